package sim

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"time"

	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/workload"
)

// Slots in a week: hour-of-week in the plan's time zone, Sunday 00:00 = 0.
const Slots = 7 * 24

// OptimiseOptions constrain the optimiser.
type OptimiseOptions struct {
	// Terms allowed for new commitments of either product (PT: none,
	// one_month, six_months; Reserved: one_month, three_months); nil
	// means every term the offer prices.
	Terms []pricing.Term
	// Products allowed for new capacity; nil means every one offered.
	Products []pricing.Product
	// NoSchedule forbids the scheduled no-commitment layer.
	NoSchedule bool
	// MinMU is the fewest new committed MUs; MaxMU the most new MUs in
	// service at any time (0: no limit).
	MinMU, MaxMU int
	// MaxThrottle is the largest share of requests that may be throttled
	// (0 to 1).
	MaxThrottle float64
	// Existing commitments, fixed: they are billed and carry traffic.
	Existing []Commitment
	// AtTermEnd is what the plan says happens to the commitments it buys
	// when their terms end ("" means renew, as Bedrock does unless they
	// are deleted).
	AtTermEnd TermEnd
}

// Level is the decision for the j-th new model unit above the existing
// ones: committed around the clock, scheduled in some hour-of-week slots,
// or not bought. Savings are the on-demand cost it takes over.
type Level struct {
	MU int // 1-based level
	// Layer is "committed", "scheduled" or "none".
	Layer string
	// Saving is what the level takes off the on-demand bill if held
	// around the clock; CommittedCost what it costs committed.
	Saving, CommittedCost float64
	// ScheduledSlots is how many hour-of-week slots hold it when
	// scheduled, with their saving and cost.
	ScheduledSlots                 int
	ScheduledSaving, ScheduledCost float64
}

// Optimum is the optimiser's answer.
type Optimum struct {
	Plan          Plan
	CommittedTerm pricing.Term // "" when no new committed MU
	CommittedMU   int
	Scheduled     [Slots]int // new scheduled MUs per hour-of-week slot
	Levels        []Level
	// Reserve is the Reserved layer, nil when the plan reserves nothing.
	Reserve *Reserve
	// Feasible is false when the throttle limit cannot be met within the
	// allowed capacity; the plan then throttles as little as it can.
	Feasible bool
	// Notes say why it buys nothing new, or which terms it refused.
	Notes []Note
}

// slotModel is the replay reduced to what the optimiser needs, per
// interval (per burst part of one): OD(m) = c·min(o(m), q) and
// Thr(m) = R·max(0, o(m) - q) with o(m) = max(0, ρ - m·a), m the MUs in
// service and ρ the share a Reserved layer in front of PT leaves (1
// without one).
type slotModel struct {
	slot []int     // hour-of-week slot of each interval
	c    []float64 // on-demand cost of all the interval's demand, USD
	r    []float64 // requests
	a    []float64 // share of the demand one MU carries (+Inf: no demand)
	q    []float64 // share of the demand the quota admits (+Inf: unlimited)
	e    []float64 // existing MUs in service
	// x and y are the demand's input (cache writes included) and output
	// tokens per minute: what a Reserved layer is sized against.
	x, y []float64
	// rho is the share of demand a Reserved layer leaves to PT; nil
	// means all of it.
	rho   []float64
	hours [Slots]float64
	used  [Slots]bool
	// commitHours is what a committed MU is billed over the window.
	commitHours float64
	requests    float64
	// series and burst are what the model was built from, for
	// withThroughput.
	series *workload.Series
	burst  Burst
}

func buildSlotModel(env Env, existing []Commitment) (*slotModel, error) {
	s, o := env.Series, env.Offer
	n := s.Len()
	g := grid{start: s.Start[0], step: int64(s.Period / time.Second), n: n}
	loc := env.TimeZone
	if loc == nil {
		loc = time.UTC
	}
	m := &slotModel{}
	var existingMU []float64
	if len(existing) > 0 {
		var err error
		if existingMU, err = ModelUnitsInService(s, o, existing); err != nil {
			return nil, err
		}
	}
	dt := s.Period.Minutes()
	pin, pout := priceOf(o.OnDemand.InputPer1M)/1e6, priceOf(o.OnDemand.OutputPer1M)/1e6
	pcr, pcw := priceOf(o.OnDemand.CacheReadPer1M)/1e6, priceOf(o.OnDemand.CacheWritePer1M)/1e6
	burn := o.Quotas.Burndown()
	// Under a burst model each interval is two parts (its busiest minute
	// and the rest), each with its share of demand and of time, exactly as
	// the replay treats them.
	nparts, w, tau := env.Options.Burst.parts(dt)
	// Sized once: grown by append, the eight arrays were copied over and
	// over, which took most of the optimiser's time on a year of minutes.
	parts := n * nparts
	m.slot, m.c, m.r = make([]int, 0, parts), make([]float64, 0, parts), make([]float64, 0, parts)
	m.q, m.e, m.x, m.y = make([]float64, 0, parts), make([]float64, 0, parts), make([]float64, 0, parts), make([]float64, 0, parts)
	for i := range n {
		r, in, out := s.Invocations[i], s.InputTokens[i], s.OutputTokens[i]
		lt := time.Unix(s.Start[i], 0).In(loc)
		slot := int(lt.Weekday())*24 + lt.Hour()
		m.used[slot] = true
		m.requests += r
		c := in*pin + out*pout
		if s.CacheRead != nil {
			c += s.CacheRead[i] * pcr
		}
		if s.CacheWrite != nil {
			c += s.CacheWrite[i] * pcw
		}
		// Cache writes take capacity and quota as input does.
		cin := in
		if s.CacheWrite != nil {
			cin += s.CacheWrite[i]
		}
		q := math.Inf(1)
		if o.Quotas.TPM != nil && cin+burn*out > 0 {
			q = math.Min(q, *o.Quotas.TPM*dt/(cin+burn*out))
		}
		if o.Quotas.RPM != nil && r > 0 {
			q = math.Min(q, *o.Quotas.RPM*dt/r)
		}
		e := 0.0
		if existingMU != nil {
			e = existingMU[i]
		}
		for p := range nparts {
			// A part holds w of the demand over tau of the time: its
			// capacity and quota per unit of demand scale by tau/w.
			m.slot = append(m.slot, slot)
			m.c = append(m.c, c*w[p])
			m.r = append(m.r, r*w[p])
			m.q = append(m.q, q*tau[p]/w[p])
			m.e = append(m.e, e)
			m.x = append(m.x, cin*w[p]/(dt*tau[p]))
			m.y = append(m.y, out*w[p]/(dt*tau[p]))
		}
	}
	// Billed hours of one scheduled MU in each slot over the window, as
	// the timeline bills it.
	m.hours = slotHours(g, loc, &m.used)
	m.commitHours = float64(g.end()-g.start) / 3600
	m.series, m.burst = s, env.Options.Burst
	m.a = m.shareOfMU(o.Throughput, nil)
	return m, nil
}

// shareOfMU is a for throughput tp: in each part, the share of its
// demand one MU carries (+Inf: no demand). It is the one part of the
// model that depends on the throughput. It is written in buf when buf
// holds room enough (the sensitivity works it out at a dozen and more
// throughputs, each a year of minutes).
func (sm *slotModel) shareOfMU(tp pricing.Throughput, buf []float64) []float64 {
	s := sm.series
	dt := s.Period.Minutes()
	nparts, w, tau := sm.burst.parts(dt)
	out := buf[:0]
	if cap(out) < s.Len()*nparts {
		out = make([]float64, 0, s.Len()*nparts)
	}
	// tp·dt is worked out once: the expression tp.InputTPM*dt/in
	// multiplies first.
	kin, kout := tp.InputTPM*dt, tp.OutputTPM*dt
	for i := range s.Len() {
		in, o := s.InputTokens[i], s.OutputTokens[i]
		if s.CacheWrite != nil {
			in += s.CacheWrite[i]
		}
		a := math.Inf(1)
		if in > 0 {
			a = min(a, kin/in) // the builtin min is math.Min, inline
		}
		if o > 0 {
			a = min(a, kout/o)
		}
		if nparts == 1 {
			// A flat interval is one part with tau = w = 1, and
			// a·1/1 is a for every a.
			out = append(out, a)
			continue
		}
		for p := range nparts {
			out = append(out, a*tau[p]/w[p])
		}
	}
	return out
}

// withThroughput is the model for another MU throughput: the parts'
// shares of one MU computed again (in buf, as shareOfMU), everything
// else shared (read only).
func (sm *slotModel) withThroughput(tp pricing.Throughput, buf []float64) *slotModel {
	c := *sm
	c.a, c.rho = c.shareOfMU(tp, buf), nil
	return &c
}

// overflow is o(m): the share of interval i's demand that neither a
// Reserved layer in front nor m MUs of PT carry.
func (sm *slotModel) overflow(i int, m float64) float64 {
	a := sm.a[i]
	if math.IsInf(a, 1) {
		return 0
	}
	// The builtin max is math.Max for every input (NaN, ±0, ±Inf) and is
	// compiled inline; math.Max is a call on amd64.
	return max(0, sm.share(i)-m*a)
}

// share is ρ: the share of interval i's demand left to PT.
func (sm *slotModel) share(i int) float64 {
	if sm.rho == nil {
		return 1
	}
	return sm.rho[i]
}

// od and thr are one interval's on-demand cost and throttled requests
// with m MUs in service.
func (sm *slotModel) od(i int, m float64) float64 {
	return sm.c[i] * min(sm.overflow(i, m), sm.q[i])
}

func (sm *slotModel) thr(i int, m float64) float64 {
	return sm.r[i] * max(0, sm.overflow(i, m)-sm.q[i])
}

// levels is how many new MUs could ever be useful: enough for the
// busiest interval above what exists.
func (sm *slotModel) levels() int {
	j := 0
	for i, a := range sm.a {
		if !math.IsInf(a, 1) && a > 0 {
			j = max(j, int(math.Ceil(sm.share(i)/a-sm.e[i]-1e-9)))
		}
	}
	return j
}

// Optimise finds the cheapest plan whose throttled share stays within
// opt.MaxThrottle, from the products allowed: a Reserved layer (input and
// output TPM for one term), committed PT (one term, around the clock),
// scheduled no-commitment PT per hour-of-week slot, and on-demand
// overflow. It compares the best plan of each product alone with their
// stacking (a Reserved base, PT behind it, on-demand peaks), found by
// sizing each layer exactly while the other is held fixed, in turn, until
// neither changes; every candidate is replayed and the cheapest one
// within the throttle limit wins.
//
// PT alone uses the screening-curve structure when no throttling is
// allowed: the j-th MU level saves, in every interval, c·(o(m+j-1) -
// o(m+j)), which does not grow with j, so levels are decided one by one:
// committed while holding the level around the clock beats scheduling it
// slot by slot, then scheduled in the slots where it saves more than it
// costs. With an allowance, throttling trades against PT across slots,
// and an exact Pareto search over slots is used for each committed count.
// A Reserved layer is sized by reservedSizing.
func Optimise(env Env, opt OptimiseOptions) (*Optimum, error) {
	return optimise(env, opt, nil, nil)
}

// optimise is Optimise, given (when model is not nil) the slot model
// built for env at another MU throughput: only the throughput's part of
// it is worked out again.
//
// With model, the shares one MU carries at env's throughput are worked
// out in *scratch (grown when short): a caller that optimises at one
// throughput after another keeps it, and it is free again once optimise
// returns.
func optimise(env Env, opt OptimiseOptions, model *slotModel, scratch *[]float64) (*Optimum, error) {
	if err := checkSeries(env.Series); err != nil {
		return nil, err
	}
	if err := checkPrices(env.Series, env.Offer); err != nil {
		return nil, err
	}
	if opt.MaxThrottle < 0 || opt.MaxThrottle > 1 || math.IsNaN(opt.MaxThrottle) {
		return nil, fmt.Errorf("max throttle %v: want a share between 0 and 1", opt.MaxThrottle)
	}
	if opt.MinMU < 0 || opt.MaxMU < 0 || (opt.MaxMU > 0 && opt.MinMU > opt.MaxMU) {
		return nil, fmt.Errorf("min MU %d, max MU %d: want 0 ≤ min ≤ max", opt.MinMU, opt.MaxMU)
	}
	o := env.Offer
	termOK := func(t pricing.Term) bool { return opt.Terms == nil || slices.Contains(opt.Terms, t) }
	productOK := func(p pricing.Product) bool { return opt.Products == nil || slices.Contains(opt.Products, p) }
	canBuy := o.CanBuyPT() && o.Throughput.Known() && productOK(pricing.ProductPT)
	allowed := map[pricing.Term]bool{}
	for _, t := range pricing.ProductPT.Terms() {
		if _, ok := o.PT[t]; ok && canBuy && termOK(t) {
			allowed[t] = true
		}
	}
	var resTerms []pricing.Term
	if productOK(pricing.ProductReserved) && o.CanBuy(pricing.ProductReserved) {
		for _, t := range o.ReservedTerms() {
			if termOK(t) {
				resTerms = append(resTerms, t)
			}
		}
	}
	// A commitment bought now that would outlive the model's end of life
	// is refused: the model goes, the bill stays.
	var refused []Note
	if eol, ok := eolDate(o); ok {
		for _, t := range []pricing.Term{pricing.TermOneMonth, pricing.TermSixMonths} {
			if allowed[t] && t.End(env.Series.End()).After(eol) {
				delete(allowed, t)
				refused = append(refused, Note{Code: NoteOutlivesEOL, Product: pricing.ProductPT, Term: t, Start: env.Series.End(), EOL: eol})
			}
		}
		resTerms = slices.DeleteFunc(resTerms, func(t pricing.Term) bool {
			if t.End(env.Series.End()).After(eol) {
				refused = append(refused, Note{Code: NoteOutlivesEOL, Product: pricing.ProductReserved, Term: t, Start: env.Series.End(), EOL: eol})
				return true
			}
			return false
		})
	}
	// The committed layer uses the cheapest allowed term held around the
	// clock: every committed MU is billed every hour, so the cheaper hour
	// wins. No-commitment PT held around the clock counts as a term here.
	commitTerm := pricing.Term("")
	for _, t := range []pricing.Term{pricing.TermSixMonths, pricing.TermOneMonth, pricing.TermNone} {
		if allowed[t] && (commitTerm == "" || o.PT[t].USD < o.PT[commitTerm].USD) {
			commitTerm = t
		}
	}
	schedule := allowed[pricing.TermNone] && !opt.NoSchedule
	if !o.Throughput.Known() && (len(opt.Existing) > 0 || commitTerm != "" || schedule) {
		return nil, errors.New("the throughput of one model unit is unknown; the optimiser needs it (--mu-input-tpm, --mu-output-tpm)")
	}
	if !o.Throughput.Known() {
		// No PT to size: any throughput serves the model below.
		o.Throughput = pricing.Throughput{InputTPM: 1, OutputTPM: 1, Provenance: pricing.ProvenanceAssumed}
	}
	var sm *slotModel
	if model != nil {
		var buf []float64
		if scratch != nil {
			buf = *scratch
		}
		sm = model.withThroughput(o.Throughput, buf)
		if scratch != nil {
			*scratch = sm.a
		}
	} else {
		var err error
		if sm, err = buildSlotModel(Env{Series: env.Series, Offer: o, TimeZone: env.TimeZone, Options: env.Options}, opt.Existing); err != nil {
			return nil, err
		}
	}
	var err error
	pt := ptSizing{opt: opt, term: commitTerm, schedule: schedule}
	if commitTerm != "" {
		pt.pc = o.PT[commitTerm].USD
	}
	if schedule {
		pt.pn = o.PT[pricing.TermNone].USD
	}
	res := &Optimum{Feasible: true}
	if commitTerm != "" || schedule || opt.MinMU > 0 {
		if res, err = sm.sizePT(pt); err != nil {
			return nil, err
		}
	} else {
		// No PT to buy: the levels would only say "none".
		res.Feasible = sm.throttledWith(nil) <= opt.MaxThrottle*sm.requests+1e-6
	}
	res.Plan = buildPlan(env, res, opt.Existing)
	if len(resTerms) > 0 {
		if res, err = sm.stack(env, o, res, pt, resTerms, opt); err != nil {
			return nil, err
		}
	}
	switch {
	case !canBuy && len(resTerms) == 0 && o.Retiring():
		res.Notes = append(res.Notes, Note{Code: NoteNoNewCapacity, Cause: NoteLifecycle, Offer: Facts(o)})
	case !canBuy && len(resTerms) == 0 && !o.CanBuyPT():
		res.Notes = append(res.Notes, Note{Code: NoteNoNewCapacity, Cause: NotePTUnavailable, Offer: Facts(o)})
	case !canBuy && len(resTerms) == 0:
		res.Notes = append(res.Notes, Note{Code: NoteNoNewCapacity, Cause: NoteThroughputUnknown})
	case commitTerm == "" && !schedule && len(resTerms) == 0:
		res.Notes = append(res.Notes, Note{Code: NoteNoNewCapacity, Cause: NoteNoPTPrice})
	}
	res.Notes = append(res.Notes, refused...)
	return res, nil
}

// ptSizing is what sizing PT needs: the committed term and its hourly
// price, whether scheduling is allowed and its hourly price, and the
// limits.
type ptSizing struct {
	opt      OptimiseOptions
	term     pricing.Term // "" when no committed term is allowed
	pc, pn   float64
	schedule bool
}

// sizePT finds the cheapest PT behind whatever share sm.rho leaves it.
func (sm *slotModel) sizePT(pt ptSizing) (*Optimum, error) {
	opt := pt.opt
	J := sm.levels()
	if opt.MaxMU > 0 {
		J = min(J, opt.MaxMU)
	}
	J = max(J, opt.MinMU)
	var res *Optimum
	if opt.MaxThrottle == 0 {
		res = sm.screen(J, pt.term, pt.pc, pt.schedule, pt.pn, opt.MinMU)
	} else {
		var err error
		res, err = sm.pareto(J, pt.term, pt.pc, pt.schedule, pt.pn, opt.MinMU, opt.MaxThrottle*sm.requests)
		if err != nil {
			return nil, err
		}
	}
	// Feasibility is judged on the result, so levels the limits cut off
	// (--max-mu) count too.
	res.Feasible = sm.throttledWith(res) <= opt.MaxThrottle*sm.requests+1e-6
	return res, nil
}

// throttledWith is the requests throttled with the PT of o (nil: none
// new) behind whatever share sm.rho leaves.
func (sm *slotModel) throttledWith(o *Optimum) float64 {
	// The MUs of ptMU and the throttling of thr, worked out here rather
	// than through a closure and a call a part: the same numbers.
	var committed int
	var scheduled [Slots]int
	if o != nil {
		committed, scheduled = o.CommittedMU, o.Scheduled
	}
	var throttled float64
	for i := range sm.c {
		m := sm.e[i]
		if o != nil {
			m += float64(committed + scheduled[sm.slot[i]])
		}
		throttled += sm.r[i] * max(0, sm.overflow(i, m)-sm.q[i]) // thr(i, m), which Go does not inline
	}
	return throttled
}

// ptMU returns the MUs in service in each part under optimum o (existing
// ones included).
func (sm *slotModel) ptMU(o *Optimum) func(i int) float64 {
	return func(i int) float64 {
		m := sm.e[i]
		if o != nil {
			m += float64(o.CommittedMU + o.Scheduled[sm.slot[i]])
		}
		return m
	}
}

// stack compares PT alone (ptOnly) with a Reserved layer alone and with
// the two stacked, for each allowed Reserved term, and returns the
// cheapest plan within the throttle limit, replayed.
func (sm *slotModel) stack(env Env, o pricing.Offer, ptOnly *Optimum, pt ptSizing, terms []pricing.Term, opt OptimiseOptions) (*Optimum, error) {
	g := seriesGrid(env.Series)
	noThrottle := opt.MaxThrottle == 0
	canPT := pt.term != "" || pt.schedule
	// The months a reservation bills in the window depend on the term
	// alone: worked out once per term, not at every sizing.
	months := map[pricing.Term]float64{}
	for _, t := range terms {
		months[t] = reservedMonths(g, t)
	}
	size := func(term pricing.Term, behind *Optimum) Reserve {
		pin, pout, _ := o.ReservedPrice(term)
		rs := sm.reservedSizing(o, months[term], pin, pout, sm.ptMU(behind), noThrottle)
		a, b, _ := rs.solve()
		return Reserve{Term: term, InputTPM: a, OutputTPM: b}
	}
	// behind sizes PT behind the Reserved layer r.
	behind := func(r Reserve) (*Optimum, error) {
		if !canPT {
			return &Optimum{Feasible: true}, nil
		}
		sm.rho = make([]float64, len(sm.c))
		for i := range sm.rho {
			served := 0.0
			if r.InputTPM > 0 || r.OutputTPM > 0 {
				served = 1
				if x := sm.x[i]; x > r.InputTPM {
					served = r.InputTPM / x
				}
				if y := sm.y[i]; y > r.OutputTPM {
					served = min(served, r.OutputTPM/y)
				}
			}
			sm.rho[i] = 1 - served
		}
		defer func() { sm.rho = nil }()
		return sm.sizePT(pt)
	}
	type candidate struct {
		o      *Optimum
		totals Totals
	}
	var cands []candidate
	add := func(po *Optimum, r Reserve) error {
		c := *po
		c.Reserve = nil
		if r.InputTPM > 0 || r.OutputTPM > 0 {
			c.Reserve = &r
		}
		c.Plan = buildPlan(env, &c, opt.Existing)
		t, err := ReplayTotals(env.Series, c.Plan, o, env.Options)
		if err != nil {
			return err
		}
		cands = append(cands, candidate{&c, t})
		return nil
	}
	if err := add(ptOnly, Reserve{}); err != nil {
		return nil, err
	}
	for _, term := range terms {
		alone := size(term, nil)
		if err := add(&Optimum{}, alone); err != nil {
			return nil, err
		}
		if !canPT {
			continue
		}
		// Two descents, from the Reserved layer alone and from PT alone:
		// each step sizes one layer exactly with the other fixed, so the
		// cost never rises; stop when nothing changes.
		for _, start := range []*Optimum{nil, ptOnly} {
			p, r := start, alone
			if start != nil {
				r = size(term, start)
			}
			for range 6 {
				np, err := behind(r)
				if err != nil {
					return nil, err
				}
				nr := size(term, np)
				same := nr == r && p != nil && np.CommittedMU == p.CommittedMU && np.Scheduled == p.Scheduled
				p, r = np, nr
				if same {
					break
				}
			}
			if err := add(p, r); err != nil {
				return nil, err
			}
		}
	}
	budget := opt.MaxThrottle*sm.requests + 1e-6
	best := 0
	for i, c := range cands {
		b := cands[best]
		fi, fb := c.totals.ThrottledRequests <= budget, b.totals.ThrottledRequests <= budget
		switch {
		case fi && !fb:
			best = i
		case fi == fb && fi && c.totals.Total() < b.totals.Total():
			best = i
		case fi == fb && !fi && better(c.totals, b.totals):
			best = i
		}
	}
	res := cands[best].o
	res.Feasible = cands[best].totals.ThrottledRequests <= budget
	return res, nil
}

// screen decides level by level (no throttling allowed).
func (sm *slotModel) screen(J int, commitTerm pricing.Term, pc float64, schedule bool, pn float64, minMU int) *Optimum {
	res := &Optimum{Feasible: true}
	// big makes a level that some interval of a slot cannot do without
	// worth more than any price.
	const big = 1e15
	committedDone := false
	// Every level's saving and mandatory slots come from one pass over
	// the parts, each part adding to the levels it overflows, in turn.
	// Once a level carries all of a part, every later level adds exactly
	// zero saving and zero throttling for it, so its levels stop there:
	// on a year of minutes most parts need a few of the thirty-odd
	// levels. That holds when the MUs in service are whole numbers (m-1 of
	// a later level is then at least this level's m); parts with
	// fractional existing MUs go on to the last level. Each level's sums
	// take the parts in their order, as a pass per level would, so are
	// the same to the bit; the parts' numbers are read once, not once a
	// level.
	saving := make([][Slots]float64, J+1) // by level, 1 to J
	mandatory := make([][Slots]bool, J+1)
	wholeE := true // no fractional existing MUs: the usual case, tested once
	for _, e := range sm.e {
		wholeE = wholeE && e == math.Trunc(e)
	}
	for i := range sm.c {
		sl, c, r, q, e := sm.slot[i], sm.c[i], sm.r[i], sm.q[i], sm.e[i]
		for j := 1; j <= J; j++ {
			m := e + float64(j)
			rest := sm.overflow(i, m)
			// o(m-1) serves both the saving and thr(m-1), which is
			// r·max(0, o(m-1) - q): worked out once, the same numbers.
			before := sm.overflow(i, m-1)
			saving[j][sl] += c * (before - rest)
			if r*max(0, before-q) > 1e-9 {
				mandatory[j][sl] = true
			}
			if !(rest > 0) && (wholeE || e == math.Trunc(e)) { // as the old keep test, negated: NaN goes on
				break
			}
		}
	}
	for j := 1; j <= J; j++ {
		saving, mandatory := &saving[j], &mandatory[j]
		var sched [Slots]float64
		lv := Level{MU: j, Layer: "none"}
		var valueCommit, valueSched float64
		feasibleSched := true
		for sl := range Slots {
			if !sm.used[sl] {
				continue
			}
			lv.Saving += saving[sl]
			sv := saving[sl]
			if mandatory[sl] {
				sv += big
			}
			valueCommit += sv
			cost := pn * sm.hours[sl]
			if schedule && sv > cost {
				valueSched += sv - cost
				sched[sl] = 1
			} else if mandatory[sl] {
				feasibleSched = false
			}
		}
		lv.CommittedCost = pc * sm.commitHours
		valueCommit -= lv.CommittedCost
		canCommit := commitTerm != "" && !committedDone
		switch {
		case canCommit && (j <= minMU || (valueCommit > 0 && (!feasibleSched || valueCommit >= valueSched))):
			lv.Layer = "committed"
			res.CommittedMU = j
		case feasibleSched && valueSched > 0:
			committedDone = true
			lv.Layer = "scheduled"
			for sl := range Slots {
				if sched[sl] > 0 && res.Scheduled[sl] == j-1-res.CommittedMU {
					res.Scheduled[sl]++
					lv.ScheduledSlots++
					lv.ScheduledSaving += saving[sl]
					lv.ScheduledCost += pn * sm.hours[sl]
				}
			}
		default:
			committedDone = true
			for sl := range Slots {
				if mandatory[sl] {
					res.Feasible = false
				}
			}
		}
		if lv.Layer != "committed" {
			committedDone = true
		}
		res.Levels = append(res.Levels, lv)
	}
	if res.CommittedMU > 0 {
		res.CommittedTerm = commitTerm
	}
	return res
}

// frontPoint is one non-dominated (throttled, cost) choice over the slots
// seen so far, with the choices that give it.
type frontPoint struct {
	thr, cost float64
	k         []int8 // scheduled MUs per used slot, in slot order
}

// maxFront bounds the Pareto front; beyond it the search gives up rather
// than run away (never reached on hour-of-week slots in practice).
const maxFront = 2_000_000

// pareto solves the throttle-budget case exactly: for each committed
// count, the scheduled MUs per slot form a multiple-choice knapsack
// (minimum cost with throttled requests within budget), solved by merging
// the slots' Pareto fronts of (throttled, cost).
func (sm *slotModel) pareto(J int, commitTerm pricing.Term, pc float64, schedule bool, pn float64, minMU int, budget float64) (*Optimum, error) {
	var slots []int
	for sl := range Slots {
		if sm.used[sl] {
			slots = append(slots, sl)
		}
	}
	byslot := map[int][]int{}
	for i, sl := range sm.slot {
		byslot[sl] = append(byslot[sl], i)
	}
	maxCommit := 0
	if commitTerm != "" {
		maxCommit = J
	}
	best := (*Optimum)(nil)
	bestCost, bestThr := math.Inf(1), math.Inf(1)
	for nc := min(minMU, maxCommit); nc <= maxCommit; nc++ {
		front := []frontPoint{{0, pc * sm.commitHours * float64(nc), nil}}
		maxK := 0
		if schedule {
			maxK = J - nc
		}
		for _, sl := range slots {
			type option struct{ thr, cost float64 }
			opts := make([]option, maxK+1)
			for k := 0; k <= maxK; k++ {
				var t, c float64
				for _, i := range byslot[sl] {
					m := sm.e[i] + float64(nc+k)
					t += sm.thr(i, m)
					c += sm.od(i, m)
				}
				opts[k] = option{t, c + pn*sm.hours[sl]*float64(k)}
			}
			next := make([]frontPoint, 0, len(front)*(maxK+1))
			for _, p := range front {
				for k, op := range opts {
					if p.thr+op.thr > budget+1e-9 && k < maxK {
						continue // over budget; more MUs may still fit
					}
					ks := append(append(make([]int8, 0, len(p.k)+1), p.k...), int8(k))
					next = append(next, frontPoint{p.thr + op.thr, p.cost + op.cost, ks})
				}
			}
			front = prune(next)
			if len(front) > maxFront {
				return nil, fmt.Errorf("the throttle budget leaves too many choices to search exactly (%d); use --max-throttle 0 or fewer slots", len(front))
			}
		}
		for _, p := range front {
			feasible := p.thr <= budget+1e-9
			// Prefer feasible plans, then cheaper ones; among infeasible
			// ones, fewer throttled requests.
			better := false
			switch {
			case best == nil:
				better = true
			case feasible && !best.Feasible:
				better = true
			case feasible && best.Feasible:
				better = p.cost < bestCost-1e-9
			case !feasible && !best.Feasible:
				better = p.thr < bestThr-1e-9
			}
			if better {
				best = &Optimum{Feasible: feasible, CommittedMU: nc}
				bestCost, bestThr = p.cost, p.thr
				for idx, sl := range slots {
					best.Scheduled[sl] = int(p.k[idx])
				}
			}
		}
	}
	if best.CommittedMU > 0 {
		best.CommittedTerm = commitTerm
	}
	return best, nil
}

// prune keeps the points no other point beats on both throttling and
// cost.
func prune(ps []frontPoint) []frontPoint {
	sort.Slice(ps, func(i, j int) bool {
		if ps[i].thr != ps[j].thr {
			return ps[i].thr < ps[j].thr
		}
		return ps[i].cost < ps[j].cost
	})
	out := ps[:0]
	for _, p := range ps {
		if len(out) == 0 || p.cost < out[len(out)-1].cost-1e-12 {
			out = append(out, p)
		}
	}
	return out
}

// buildPlan turns the decision into a plan: the Reserved layer and the
// committed layer renewed over the window, and per MU level the
// hour-of-week slots merged into windows (whole hours, so merging bills
// what the slots would).
func buildPlan(env Env, o *Optimum, existing []Commitment) Plan {
	s := env.Series
	p := Plan{ModelID: env.Offer.ModelID, Region: env.Offer.Region, TimeZone: env.TimeZone, Routing: RouteSpillover}
	e := env.Optimise.AtTermEnd.Or(TermEndRenew)
	if r := o.Reserve; r != nil {
		p.Reserved = CoverReserved(r.InputTPM, r.OutputTPM, r.Term, s.Time(0), s.End())
		for i := range p.Reserved {
			p.Reserved[i].AtTermEnd = e
		}
	}
	p.Committed = append(p.Committed, existing...)
	p.Committed = append(p.Committed, EndAs(CoverWindow(o.CommittedMU, o.CommittedTerm, s.Time(0), s.End()), e)...)
	p.Scheduled = scheduleWindows(o.Scheduled)
	return p
}

// scheduleWindows merges per-slot MU counts into blocks: for each level,
// each day's runs of consecutive hours become a window, and runs with the
// same hours on several days share one block. Equal blocks at several
// levels become one block with more MUs.
func scheduleWindows(sched [Slots]int) []Scheduled {
	type run struct{ from, to Clock }
	type key struct {
		level int
		r     run
	}
	days := map[key][]time.Weekday{}
	var keys []key
	top := 0
	for _, k := range sched {
		top = max(top, k)
	}
	for level := 1; level <= top; level++ {
		for d := range 7 {
			h := 0
			for h < 24 {
				if sched[d*24+h] < level {
					h++
					continue
				}
				start := h
				for h < 24 && sched[d*24+h] >= level {
					h++
				}
				k := key{level, run{Clock(start * 60), Clock(h * 60)}}
				if days[k] == nil {
					keys = append(keys, k)
				}
				days[k] = append(days[k], time.Weekday(d))
			}
		}
	}
	var out []Scheduled
	for _, k := range keys {
		w := Window{Days: days[k], From: k.r.from, To: k.r.to}
		merged := false
		for i := range out {
			if equalWindow(out[i].Window, w) {
				out[i].ModelUnits++
				merged = true
				break
			}
		}
		if !merged {
			out = append(out, Scheduled{ModelUnits: 1, Window: w})
		}
	}
	return out
}

func equalWindow(a, b Window) bool {
	if a.From != b.From || a.To != b.To || len(a.Days) != len(b.Days) {
		return false
	}
	for i := range a.Days {
		if a.Days[i] != b.Days[i] {
			return false
		}
	}
	return true
}

// SlotOf returns the hour-of-week slot of t in loc (Sunday 00:00 = 0).
func SlotOf(t time.Time, loc *time.Location) int {
	lt := t.In(loc)
	return int(lt.Weekday())*24 + lt.Hour()
}

// hourSlots is the slot (SlotOf) of each of the hours hours from start,
// the hours a scenario is drawn over.
func hourSlots(start time.Time, hours int, loc *time.Location) []int {
	slots := make([]int, hours)
	for h := range hours {
		slots[h] = SlotOf(start.Add(time.Duration(h)*time.Hour), loc)
	}
	return slots
}
