package sim

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/bedrockplan/bedrockplan/pricing"
)

// Routing says where traffic PT cannot carry goes.
type Routing string

// Routings.
const (
	RouteSpillover       Routing = "spillover"        // overflow goes to on-demand
	RouteProvisionedOnly Routing = "provisioned-only" // overflow is throttled
)

// Clock is a wall-clock time of day in minutes after midnight; 1440 is
// the midnight that ends a day.
type Clock int

// ParseClock reads "HH:MM" (00:00 to 24:00).
func ParseClock(s string) (Clock, error) {
	var h, m int
	if len(s) != 5 || s[2] != ':' {
		return 0, fmt.Errorf("%q is not a time of day (HH:MM)", s)
	}
	if _, err := fmt.Sscanf(s, "%02d:%02d", &h, &m); err != nil || h > 24 || m > 59 || (h == 24 && m != 0) {
		return 0, fmt.Errorf("%q is not a time of day (HH:MM, 00:00 to 24:00)", s)
	}
	return Clock(h*60 + m), nil
}

func (c Clock) String() string { return fmt.Sprintf("%02d:%02d", int(c)/60, int(c)%60) }

// Window is a recurring weekly time window in a plan's time zone: on each
// of Days from From to To. A window with To ≤ From runs past midnight
// into the next day.
type Window struct {
	Days []time.Weekday
	From Clock
	To   Clock
}

// Validate checks a window.
func (w Window) Validate() error {
	if len(w.Days) == 0 {
		return errors.New("no days")
	}
	if w.From < 0 || w.From >= 1440 || w.To <= 0 || w.To > 1440 {
		return fmt.Errorf("from %s to %s is outside 00:00-24:00", w.From, w.To)
	}
	if w.From == w.To {
		return fmt.Errorf("from %s to %s is empty", w.From, w.To)
	}
	return nil
}

func (w Window) String() string {
	names := make([]string, len(w.Days))
	for i, d := range w.Days {
		names[i] = d.String()[:3]
	}
	return strings.Join(names, ",") + " " + w.From.String() + "-" + w.To.String()
}

// TermEnd says what happens to a commitment when its term ends: Bedrock
// does not stop billing by itself (DESIGN.md §1), so a plan states it.
type TermEnd string

// What happens at the end of a term.
const (
	// TermEndRenew: the commitment renews term after term until deleted
	// (on DeleteAt, when given, at the end of the term it falls in).
	TermEndRenew TermEnd = "renew"
	// TermEndDelete: someone deletes it when its term ends.
	TermEndDelete TermEnd = "delete"
)

// Valid reports whether e is a known choice ("" means renew).
func (e TermEnd) Valid() bool { return e == "" || e == TermEndRenew || e == TermEndDelete }

// Or returns e, or def when e is unset.
func (e TermEnd) Or(def TermEnd) TermEnd {
	if e == "" {
		return def
	}
	return e
}

// Commitment is a block of PT bought at Start for Term. A TermNone block
// exists from Start until DeleteAt (or past the window) and is billed
// per hour. A committed block is billed for its term and, unless
// AtTermEnd is delete or the plan renews it with a block of its own, term
// after term until the end of the term DeleteAt falls in.
type Commitment struct {
	ModelUnits int
	Term       pricing.Term
	Start      time.Time
	AtTermEnd  TermEnd   // "" means renew
	DeleteAt   time.Time // zero: never
}

// Reservation is Reserved-tier capacity bought at Start for Term: input
// and output tokens per minute, bought separately. A plan's reservations
// are one pool of input and one of output TPM (Bedrock sells them that
// way), so they serve as a single layer.
type Reservation struct {
	InputTPM, OutputTPM float64
	Term                pricing.Term
	Start               time.Time
	AtTermEnd           TermEnd   // "" means renew
	DeleteAt            time.Time // zero: never
}

// Scheduled is no-commitment PT that exists only inside its window each
// week: created at From, deleted at To.
type Scheduled struct {
	ModelUnits int
	Window
}

// Plan is the capacity a model has and how traffic is routed to it. Its
// capacity comes in layers that serve one after another (DESIGN.md §3
// rule 1): the Reserved tier first, then PT (committed and scheduled
// MUs, which share one layer since every MU carries the same mix).
type Plan struct {
	ModelID   string
	Region    string
	TimeZone  *time.Location
	Reserved  []Reservation
	Committed []Commitment
	Scheduled []Scheduled
	Routing   Routing
	// PTWindows limits when traffic is sent to PT; outside them everything
	// goes to on-demand even while PT exists (the seed's business-hours
	// switch). Empty means always.
	PTWindows []Window
}

// Location returns the plan's time zone, UTC when unset.
func (p Plan) Location() *time.Location {
	if p.TimeZone == nil {
		return time.UTC
	}
	return p.TimeZone
}

// HasPT reports whether the plan holds any PT.
func (p Plan) HasPT() bool {
	for _, c := range p.Committed {
		if c.ModelUnits > 0 {
			return true
		}
	}
	for _, s := range p.Scheduled {
		if s.ModelUnits > 0 {
			return true
		}
	}
	return false
}

// HasReserved reports whether the plan holds any Reserved-tier capacity.
func (p Plan) HasReserved() bool {
	for _, r := range p.Reserved {
		if r.InputTPM > 0 || r.OutputTPM > 0 {
			return true
		}
	}
	return false
}

// HasCapacity reports whether the plan holds capacity of any kind.
func (p Plan) HasCapacity() bool { return p.HasPT() || p.HasReserved() }

// maxTPM bounds a reservation: far above any account's traffic, and
// small enough that costs stay well inside Money's range.
const maxTPM = 1e12

// Validate checks the plan on its own; Replay also checks it against the
// offer (terms offered, throughput known, minimum reservation).
func (p Plan) Validate() error {
	var errs []string
	switch p.Routing {
	case RouteSpillover, RouteProvisionedOnly:
	default:
		errs = append(errs, fmt.Sprintf("routing: %q is not spillover or provisioned-only", p.Routing))
	}
	for i, r := range p.Reserved {
		for _, side := range []struct {
			name string
			v    float64
		}{{"input_tpm", r.InputTPM}, {"output_tpm", r.OutputTPM}} {
			if !(side.v >= 0) || side.v > maxTPM {
				errs = append(errs, fmt.Sprintf("reserved[%d].%s: %v is not a number of tokens per minute (0 to 1e12)", i, side.name, side.v))
			}
		}
		if !pricing.ProductReserved.Sells(r.Term) {
			errs = append(errs, fmt.Sprintf("reserved[%d].term: %q is not %s", i, r.Term, pricing.ProductReserved.TermNames()))
		}
		if r.Start.IsZero() {
			errs = append(errs, fmt.Sprintf("reserved[%d].start: missing", i))
		}
		errs = append(errs, checkTermEnd(fmt.Sprintf("reserved[%d]", i), r.AtTermEnd, r.Start, r.DeleteAt)...)
	}
	for i, c := range p.Committed {
		if c.ModelUnits < 0 {
			errs = append(errs, fmt.Sprintf("committed[%d].model_units: %d is negative", i, c.ModelUnits))
		}
		if !pricing.ProductPT.Sells(c.Term) {
			errs = append(errs, fmt.Sprintf("committed[%d].term: %q is not %s", i, c.Term, pricing.ProductPT.TermNames()))
		}
		if c.Start.IsZero() {
			errs = append(errs, fmt.Sprintf("committed[%d].start: missing", i))
		}
		errs = append(errs, checkTermEnd(fmt.Sprintf("committed[%d]", i), c.AtTermEnd, c.Start, c.DeleteAt)...)
	}
	for i, s := range p.Scheduled {
		if s.ModelUnits < 0 {
			errs = append(errs, fmt.Sprintf("scheduled[%d].model_units: %d is negative", i, s.ModelUnits))
		}
		if err := s.Window.Validate(); err != nil {
			errs = append(errs, fmt.Sprintf("scheduled[%d]: %v", i, err))
		}
	}
	for i, w := range p.PTWindows {
		if err := w.Validate(); err != nil {
			errs = append(errs, fmt.Sprintf("pt_windows[%d]: %v", i, err))
		}
	}
	if len(errs) > 0 {
		return errors.New(strings.Join(errs, "; "))
	}
	return nil
}

// checkTermEnd checks what a commitment says about its term's end.
func checkTermEnd(at string, e TermEnd, start, deleteAt time.Time) []string {
	var errs []string
	if !e.Valid() {
		errs = append(errs, fmt.Sprintf("%s.at_term_end: %q is not renew or delete", at, e))
	}
	if !deleteAt.IsZero() && !deleteAt.After(start) {
		errs = append(errs, fmt.Sprintf("%s.delete_at: %s is not after its start", at, deleteAt.Format(time.RFC3339)))
	}
	return errs
}

// CommittedRun is a committed block with the renewals that follow it
// back to back (same MUs, same term, each starting as the last ends).
type CommittedRun struct {
	Commitment
	Renewals int
}

// CommittedRuns groups the plan's committed blocks of at least one MU
// into runs of renewals, which read as one when a plan is described.
func (p Plan) CommittedRuns() []CommittedRun {
	var runs []CommittedRun
	renewalRuns(p.Committed, func(c Commitment) bool { return c.ModelUnits == 0 },
		func(a, b Commitment) bool {
			return a.ModelUnits == b.ModelUnits && a.Term == b.Term && b.Start.Equal(a.Term.End(a.Start))
		},
		func(c Commitment, renewals int) { runs = append(runs, CommittedRun{Commitment: c, Renewals: renewals}) })
	return runs
}

// renewalRuns walks blocks in plan order, skipping empty ones, and calls
// run for each first block with the number of blocks that renew it back
// to back (renews(previous, next) says whether next continues previous).
func renewalRuns[T any](blocks []T, empty func(T) bool, renews func(a, b T) bool, run func(first T, renewals int)) {
	for i := 0; i < len(blocks); i++ {
		if empty(blocks[i]) {
			continue
		}
		first, n := blocks[i], 0
		for i+1 < len(blocks) && renews(blocks[i], blocks[i+1]) {
			n++
			i++
		}
		run(first, n)
	}
}

// ReservedRun is a reservation with the renewals that follow it back to
// back (same TPM, same term, each starting as the last ends).
type ReservedRun struct {
	Reservation
	Renewals int
}

// ReservedRuns groups the plan's reservations into runs of renewals.
func (p Plan) ReservedRuns() []ReservedRun {
	var runs []ReservedRun
	renewalRuns(p.Reserved, func(r Reservation) bool { return r.InputTPM == 0 && r.OutputTPM == 0 },
		func(a, b Reservation) bool {
			return a.InputTPM == b.InputTPM && a.OutputTPM == b.OutputTPM && a.Term == b.Term && b.Start.Equal(a.Term.End(a.Start))
		},
		func(r Reservation, renewals int) {
			runs = append(runs, ReservedRun{Reservation: r, Renewals: renewals})
		})
	return runs
}

// Same reports whether p and q buy the same capacity the same way: the
// same runs of reservations and commitments from the same starts, the
// same scheduled blocks, PT windows and routing.
func (p Plan) Same(q Plan) bool {
	pr, qr := p.ReservedRuns(), q.ReservedRuns()
	pc, qc := p.CommittedRuns(), q.CommittedRuns()
	return slices.EqualFunc(pr, qr, func(a, b ReservedRun) bool {
		return a.InputTPM == b.InputTPM && a.OutputTPM == b.OutputTPM && a.Term == b.Term && a.Start.Equal(b.Start) && a.Renewals == b.Renewals
	}) && slices.EqualFunc(pc, qc, func(a, b CommittedRun) bool {
		return a.ModelUnits == b.ModelUnits && a.Term == b.Term && a.Start.Equal(b.Start) && a.Renewals == b.Renewals
	}) && slices.EqualFunc(nonZero(p.Scheduled), nonZero(q.Scheduled), func(a, b Scheduled) bool {
		return a.ModelUnits == b.ModelUnits && a.Window.String() == b.Window.String()
	}) && slices.EqualFunc(p.PTWindows, q.PTWindows, func(a, b Window) bool { return a.String() == b.String() }) &&
		p.Routing == q.Routing && p.Location().String() == q.Location().String()
}

// nonZero is the scheduled blocks that hold MUs.
func nonZero(s []Scheduled) []Scheduled {
	var out []Scheduled
	for _, b := range s {
		if b.ModelUnits != 0 {
			out = append(out, b)
		}
	}
	return out
}

// TermLabel names a term for people: "6-month", "3-month", "1-month",
// "no-commit" (pricing.Term.Label).
func TermLabel(t pricing.Term) string { return t.Label() }

// CoverReserved returns back-to-back reservations of (in, out) TPM for
// term that keep them in service from start to end (renewed at each
// expiry).
func CoverReserved(in, out float64, term pricing.Term, start, end time.Time) []Reservation {
	if in <= 0 && out <= 0 {
		return nil
	}
	var rs []Reservation
	for t := start; t.Before(end); t = term.End(t) {
		rs = append(rs, Reservation{InputTPM: in, OutputTPM: out, Term: term, Start: t})
	}
	return rs
}

// EndAs sets what happens at the end of the committed blocks' terms.
func EndAs(cs []Commitment, e TermEnd) []Commitment {
	for i := range cs {
		if cs[i].Term.Committed() {
			cs[i].AtTermEnd = e
		}
	}
	return cs
}

// CoverWindow returns back-to-back commitments of n MUs for term that
// keep n MUs in service from start to end (renewed at each expiry).
func CoverWindow(n int, term pricing.Term, start, end time.Time) []Commitment {
	if n <= 0 {
		return nil
	}
	if !term.Committed() {
		return []Commitment{{ModelUnits: n, Term: term, Start: start}}
	}
	var out []Commitment
	for t := start; t.Before(end); t = term.End(t) {
		out = append(out, Commitment{ModelUnits: n, Term: term, Start: t})
	}
	return out
}
