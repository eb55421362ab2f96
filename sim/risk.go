package sim

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"sync"
	"time"

	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/workload"
)

// RiskOptions set up the Monte Carlo over future demand.
type RiskOptions struct {
	Scenarios int
	// MigrationRisk is the probability that the traffic leaves this model
	// (for a newer one) at some time within the horizon, uniformly.
	MigrationRisk float64
	Seed          uint64
	// Burst is the peak model for the scenarios' hourly demand.
	Burst Burst
}

// Risk strategies, as they appear in risk.csv.
const (
	RiskOnDemand    = "on-demand"
	RiskRolling     = "rolling-1-month"
	RiskSixMonths   = "six-month"
	RiskReserved1   = "reserved-1-month"
	RiskReserved3   = "reserved-3-month"
	RiskRecommended = "recommended"
)

// RiskRow is the cost distribution of one way to pay over the horizon.
type RiskRow struct {
	Strategy    string
	Term        pricing.Term
	CommittedMU int
	Scheduled   bool
	// Reserve is the Reserved layer the strategy holds, nil when none.
	Reserve *Reserve
	// Costs over the horizon, USD.
	Expected, P10, P90 float64
	// CostlierThanOnDemand is the share of scenarios in which this
	// strategy costs more than staying on-demand.
	CostlierThanOnDemand float64
	// Refused rows are not priced: Note says why.
	Refused bool
	Note    Note
}

// Risk is the commitment-term analysis.
type Risk struct {
	Start, End    time.Time // the horizon: six months from the end of history
	Scenarios     int
	MigrationRisk float64
	Forecast      *workload.Forecast
	Rows          []RiskRow
}

// Row returns the named row, or nil.
func (r *Risk) Row(strategy string) *RiskRow {
	for i := range r.Rows {
		if r.Rows[i].Strategy == strategy {
			return &r.Rows[i]
		}
	}
	return nil
}

// riskPlan is a strategy over the horizon: committed MUs of a term, a
// Reserved layer of a term, and scheduled no-commit MUs per hour-of-week
// slot. A commitment bought at the start of the horizon is owed for its
// whole term; it is renewed at each term's end while the traffic remains
// (a no-commit block held around the clock, and scheduled blocks, are
// deleted when the traffic leaves).
type riskPlan struct {
	committed int
	term      pricing.Term
	sched     [Slots]int
	reserve   *Reserve
}

// horizonLayers is a riskPlan laid over the horizon's hours by the
// timeline, split into the parts that stop billing at different times.
type horizonLayers struct {
	commit, sched, res timeline
	// commitEnds and resEnds are the hours at which each term ends.
	commitEnds, resEnds []int
	// prefix sums of each part's bill, USD, by hour.
	commitUSD, schedUSD, resUSD []float64
	// full is the MU-minutes in service each hour while the commitments
	// bill (committed and scheduled), part those of the scheduled blocks
	// alone; nil when none at any hour.
	full, part []float64
}

// lay builds the plan's layers over hours hourly intervals from start.
func (p riskPlan) lay(o pricing.Offer, start time.Time, hours int, loc *time.Location) (*horizonLayers, error) {
	g := grid{start: start.Unix(), step: 3600, n: hours}
	end := time.Unix(g.end(), 0)
	l := &horizonLayers{}
	ends := func(terms []time.Time) []int {
		var out []int
		for _, t := range terms {
			out = append(out, int((t.Unix()-g.start+3599)/3600))
		}
		return out
	}
	var err error
	cw := CoverWindow(p.committed, p.term, start, end)
	if l.commit, err = buildTimeline(Plan{ModelID: o.ModelID, Region: o.Region, Committed: cw}, g, o, 0); err != nil {
		return nil, err
	}
	for _, c := range cw {
		if c.Term.Committed() {
			l.commitEnds = append(l.commitEnds, ends([]time.Time{c.Term.End(c.Start)})...)
		}
	}
	if l.sched, err = buildTimeline(Plan{ModelID: o.ModelID, Region: o.Region, TimeZone: loc, Scheduled: scheduleWindows(p.sched)}, g, o, 0); err != nil {
		return nil, err
	}
	if r := p.reserve; r != nil {
		rs := CoverReserved(r.InputTPM, r.OutputTPM, r.Term, start, end)
		if l.res, err = buildTimeline(Plan{ModelID: o.ModelID, Region: o.Region, Reserved: rs}, g, o, 0); err != nil {
			return nil, err
		}
		for _, x := range rs {
			l.resEnds = append(l.resEnds, ends([]time.Time{x.Term.End(x.Start)})...)
		}
	}
	prefix := func(ms []pricing.Money) []float64 {
		out := make([]float64, hours+1)
		for h := range hours {
			if ms != nil {
				out[h+1] = out[h] + ms[h].USD()
			}
		}
		return out
	}
	l.commitUSD, l.schedUSD, l.resUSD = prefix(l.commit.ptCost), prefix(l.sched.ptCost), prefix(l.res.resCost)
	full := make([]float64, hours)
	for h := range hours {
		full[h] = l.commit.muMinutes[h] + l.sched.muMinutes[h]
	}
	if anyPositive(full) {
		l.full = full
	}
	if anyPositive(l.sched.muMinutes[:hours]) {
		l.part = l.sched.muMinutes[:hours]
	}
	return l, nil
}

// cut is where a run of back-to-back terms ending at ends stops billing
// when the traffic leaves at hour leave: the first term is owed in full,
// and each later one only if it starts while the traffic remains.
func cut(ends []int, leave int) int {
	c := 0
	for k, e := range ends {
		if k > 0 && ends[k-1] >= leave {
			break
		}
		c = e
	}
	return c
}

// AssessRisk prices on-demand, rolling 1-month commitments, a 6-month
// commitment and the recommended mix over the six months after the
// history, in seeded scenarios: weekly growth drawn from the forecast's
// uncertainty, day-to-day noise from its residuals, and, with
// MigrationRisk, the traffic leaving at a uniform random time. The
// committed counts are what the optimiser buys on the history when
// limited to each term. Terms that outlive the model's end of life are
// refused.
func AssessRisk(env Env, fc *workload.Forecast, rec *Optimum, opt RiskOptions) (*Risk, error) {
	if opt.Scenarios <= 0 {
		return nil, errors.New("the Monte Carlo needs at least one scenario")
	}
	if opt.MigrationRisk < 0 || opt.MigrationRisk > 1 || math.IsNaN(opt.MigrationRisk) {
		return nil, fmt.Errorf("migration risk %v: want a probability between 0 and 1", opt.MigrationRisk)
	}
	o := env.Offer
	start := fc.End
	end := pricing.TermSixMonths.End(start)
	risk := &Risk{Start: start, End: end, Scenarios: opt.Scenarios, MigrationRisk: opt.MigrationRisk, Forecast: fc}
	eol, hasEOL := eolDate(o)
	plans := map[string]riskPlan{RiskOnDemand: {}}
	rows := []RiskRow{{Strategy: RiskOnDemand, Note: Note{Code: NoteOnDemand}}}
	for _, c := range []struct {
		name string
		term pricing.Term
	}{{RiskRolling, pricing.TermOneMonth}, {RiskSixMonths, pricing.TermSixMonths}} {
		row := RiskRow{Strategy: c.name, Term: c.term}
		switch _, offered := o.PT[c.term]; {
		case !o.CanBuyPT():
			row.Refused, row.Note = true, Note{Code: NotePTUnavailable, Offer: Facts(o)}
		case !offered:
			row.Refused, row.Note = true, Note{Code: NoteNoPTPrice, Term: c.term, Offer: Facts(o)}
		case !o.Throughput.Known():
			row.Refused, row.Note = true, Note{Code: NoteThroughputUnknown}
		case hasEOL && c.term.End(start).After(eol):
			row.Refused, row.Note = true, Note{Code: NoteOutlivesEOL, Product: pricing.ProductPT, Term: c.term, Start: start, EOL: eol}
		default:
			o1, err := Optimise(env, OptimiseOptions{Products: []pricing.Product{pricing.ProductPT}, Terms: []pricing.Term{c.term}, NoSchedule: true, Existing: env.Optimise.Existing, MaxThrottle: env.Optimise.MaxThrottle})
			if err != nil {
				return nil, err
			}
			row.CommittedMU = o1.CommittedMU
			row.Note = Note{Code: NoteAlone, Product: pricing.ProductPT, Term: c.term, MU: o1.CommittedMU}
			if o1.CommittedMU == 0 {
				row.Note = Note{Code: NoteDoesNotPay, Product: pricing.ProductPT, Term: c.term}
			}
			plans[c.name] = riskPlan{committed: o1.CommittedMU, term: c.term}
		}
		rows = append(rows, row)
	}
	if o.Reserved != nil {
		for _, c := range []struct {
			name string
			term pricing.Term
		}{{RiskReserved1, pricing.TermOneMonth}, {RiskReserved3, pricing.TermThreeMonths}} {
			row := RiskRow{Strategy: c.name, Term: c.term}
			_, _, priced := o.ReservedPrice(c.term)
			switch {
			case !o.CanBuy(pricing.ProductReserved):
				row.Refused, row.Note = true, Note{Code: NoteReservedUnavailable, Offer: Facts(o)}
			case !priced:
				row.Refused, row.Note = true, Note{Code: NoteReservedPriceUnknown, Term: c.term}
			case hasEOL && c.term.End(start).After(eol):
				row.Refused, row.Note = true, Note{Code: NoteOutlivesEOL, Product: pricing.ProductReserved, Term: c.term, Start: start, EOL: eol}
			default:
				o1, err := Optimise(env, OptimiseOptions{Products: []pricing.Product{pricing.ProductReserved}, Terms: []pricing.Term{c.term}, Existing: env.Optimise.Existing, MaxThrottle: env.Optimise.MaxThrottle})
				if err != nil {
					return nil, err
				}
				row.Reserve = o1.Reserve
				row.Note = Note{Code: NoteAlone, Product: pricing.ProductReserved, Term: c.term, Plan: &o1.Plan}
				if o1.Reserve == nil {
					row.Note = Note{Code: NoteDoesNotPay, Product: pricing.ProductReserved, Term: c.term}
				}
				plans[c.name] = riskPlan{reserve: o1.Reserve}
			}
			rows = append(rows, row)
		}
	}
	recRow := RiskRow{Strategy: RiskRecommended}
	if rec != nil {
		rp := riskPlan{committed: rec.CommittedMU, term: rec.CommittedTerm, sched: rec.Scheduled, reserve: rec.Reserve}
		recRow.Term, recRow.CommittedMU, recRow.Scheduled, recRow.Reserve = rec.CommittedTerm, rec.CommittedMU, hasScheduled(rec), rec.Reserve
		recRow.Note = Note{Code: NotePlan, Plan: &rec.Plan}
		switch {
		case hasEOL && rec.CommittedMU > 0 && rec.CommittedTerm.Committed() && rec.CommittedTerm.End(start).After(eol):
			recRow.Refused, recRow.Note = true, Note{Code: NoteOutlivesEOL, Product: pricing.ProductPT, Term: rec.CommittedTerm, EOL: eol}
		case hasEOL && rec.Reserve != nil && rec.Reserve.Term.End(start).After(eol):
			recRow.Refused, recRow.Note = true, Note{Code: NoteOutlivesEOL, Product: pricing.ProductReserved, Term: rec.Reserve.Term, EOL: eol}
		default:
			plans[RiskRecommended] = rp
		}
	} else {
		recRow.Refused, recRow.Note = true, Note{Code: NoteNoRecommendation}
	}
	rows = append(rows, recRow)

	hours := int(end.Sub(start) / time.Hour)
	slots := hourSlots(start, hours, fc.Location)
	names := make([]string, 0, len(plans))
	layers := map[string]*horizonLayers{}
	for _, r := range rows {
		if p, ok := plans[r.Strategy]; ok {
			names = append(names, r.Strategy)
			l, err := p.lay(o, start, hours, fc.Location)
			if err != nil {
				return nil, err
			}
			layers[r.Strategy] = l
		}
	}
	costs := make([][]float64, len(names))
	for i := range costs {
		costs[i] = make([]float64, opt.Scenarios)
	}
	byName := make([]*horizonLayers, len(names))
	for i, name := range names {
		byName[i] = layers[name]
	}
	sv := newServer(o, RouteSpillover)
	var wg sync.WaitGroup
	workers := 2
	for wk := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d := demand{req: make([]float64, hours), in: make([]float64, hours), out: make([]float64, hours)}
			sc := newScenarioScratch(hours)
			pls := make([]scenarioPlan, len(names))
			usd := make([]float64, len(names))
			nano := make([]int64, len(names))
			for k := wk; k < opt.Scenarios; k += workers {
				// Each scenario has its own stream, so results do not
				// depend on how scenarios are shared among workers.
				rng := rand.New(rand.NewPCG(opt.Seed, uint64(k)))
				leave := drawScenario(fc, rng, slots, 0, opt.MigrationRisk, d)
				for i, l := range byName {
					pls[i], usd[i] = l.scenario(leave, hours)
					nano[i] = 0
				}
				// After the traffic leaves there is no demand, and so
				// no on-demand cost.
				sv.scenarioCost(d, 0, min(leave, hours), 60, opt.Burst, pls, sc, nano)
				for i := range byName {
					costs[i][k] = usd[i] + float64(nano[i])/nanoPerUSD
				}
			}
		}()
	}
	wg.Wait()
	odIdx := -1
	for i, n := range names {
		if n == RiskOnDemand {
			odIdx = i
		}
	}
	for ri := range rows {
		idx := -1
		for i, n := range names {
			if n == rows[ri].Strategy {
				idx = i
			}
		}
		if idx < 0 {
			continue
		}
		c := costs[idx]
		sorted := append([]float64(nil), c...)
		sort.Float64s(sorted)
		var sum float64
		worse := 0
		for k, v := range c {
			sum += v
			if v > costs[odIdx][k]+1e-9 {
				worse++
			}
		}
		rows[ri].Expected = sum / float64(len(c))
		rows[ri].P10 = quantile(sorted, 0.1)
		rows[ri].P90 = quantile(sorted, 0.9)
		rows[ri].CostlierThanOnDemand = float64(worse) / float64(len(c))
	}
	risk.Rows = rows
	return risk, nil
}

// scenario is the plan's capacity in a scenario whose traffic leaves at
// hour leave (hours when it stays), each layer kept up to where it stops
// billing, and what the capacity bills, USD.
func (l *horizonLayers) scenario(leave, hours int) (scenarioPlan, float64) {
	commitUntil := leave
	if l.commitEnds != nil {
		commitUntil = cut(l.commitEnds, leave)
	}
	commitUntil = min(commitUntil, hours)
	pl := scenarioPlan{full: l.full, part: l.part, until: commitUntil}
	usd := l.commitUSD[commitUntil] + l.schedUSD[min(leave, hours)]
	if l.res.resIn != nil {
		resUntil := min(cut(l.resEnds, leave), hours)
		pl.resIn, pl.resOut, pl.resUntil = l.res.resIn, l.res.resOut, resUntil
		usd += l.resUSD[resUntil]
	}
	return pl, usd
}

func quantile(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return math.NaN()
	}
	pos := q * float64(len(sorted)-1)
	lo := int(math.Floor(pos))
	hi := min(lo+1, len(sorted)-1)
	return sorted[lo] + (pos-float64(lo))*(sorted[hi]-sorted[lo])
}

// eolDate parses the offer's end-of-life date, if it has one.
func eolDate(o pricing.Offer) (time.Time, bool) {
	if o.Lifecycle.EOL == "" {
		return time.Time{}, false
	}
	t, err := time.Parse(time.DateOnly, o.Lifecycle.EOL)
	return t, err == nil
}
