package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/workload"
)

// TestTimelineMatchesOld: on random grids (steps of a minute to an hour,
// and odd ones, starting off the hour) and random plans (committed blocks
// starting and deleted anywhere, renewed by the plan or not, scheduled
// windows, PT windows, reservations, lead times), layTimeline lays
// exactly what the old buildTimeline did, every capacity and bill to the
// bit; laid for totals alone, the same capacity and its bill's totals,
// in new arrays or in scratch space laid in before.
func TestTimelineMatchesOld(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 5))
	o := reservedOffer()
	var zones []*time.Location
	for _, name := range []string{"UTC", "Asia/Tokyo", "America/New_York"} {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Fatal(err)
		}
		zones = append(zones, loc)
	}
	errs := 0
	var sc timelineScratch // laid in over and over, over grids of every size
	for trial := range 400 {
		step := []int64{60, 300, 3600, 90, 7}[rng.IntN(5)]
		n := 1 + rng.IntN(3000)
		switch rng.IntN(20) {
		case 0:
			n = 1
		case 1, 2: // more than one chunk of a bill's total (grid.total)
			n = 4000 + rng.IntN(10_000)
		}
		start := t0.Unix() + rng.Int64N(40*86400)
		g := grid{start: start, step: step, n: n}
		at := func() time.Time { // anywhere around the window, often off the grid
			return time.Unix(start-step*int64(n)/2+rng.Int64N(2*step*int64(n)+1), 0)
		}
		var p Plan
		p.ModelID, p.Region = o.ModelID, o.Region
		p.TimeZone = zones[rng.IntN(len(zones))]
		for range rng.IntN(4) {
			c := Commitment{ModelUnits: rng.IntN(4), Term: pricing.ProductPT.Terms()[rng.IntN(3)], Start: at()}
			switch rng.IntN(4) {
			case 0:
				c.AtTermEnd = TermEndDelete
			case 1:
				c.DeleteAt = at()
			}
			p.Committed = append(p.Committed, c)
			if rng.IntN(3) == 0 && c.Term.Committed() { // renewed by a block of the plan
				next := c
				next.Start = c.Term.End(c.Start)
				p.Committed = append(p.Committed, next)
			}
		}
		switch rng.IntN(3) {
		case 0: // the whole window covered, after the others
			p.Committed = append(p.Committed, CoverWindow(1+rng.IntN(3), pricing.ProductPT.Terms()[rng.IntN(3)], time.Unix(g.start, 0), time.Unix(g.end(), 0))...)
		case 1: // and before them, as a scan lays it
			p.Committed = append(CoverWindow(1+rng.IntN(3), pricing.ProductPT.Terms()[rng.IntN(3)], time.Unix(g.start, 0), time.Unix(g.end(), 0)), p.Committed...)
		}
		if rng.IntN(2) == 0 {
			from := Clock(rng.IntN(24*4) * 15)
			p.Scheduled = append(p.Scheduled, Scheduled{ModelUnits: 1 + rng.IntN(3), Window: Window{Days: weekdays(), From: from, To: (from+Clock(15+rng.IntN(900)))%1440 + 1}})
		}
		if rng.IntN(4) == 0 {
			from := Clock(rng.IntN(24) * 60)
			p.PTWindows = []Window{{Days: weekdays(), From: from, To: (from+Clock(60+rng.IntN(900)))%1440 + 1}}
		}
		if rng.IntN(3) == 0 {
			for range 1 + rng.IntN(2) {
				r := reserve(100+rng.Float64()*5000, 10+rng.Float64()*2000, []pricing.Term{pricing.TermOneMonth, pricing.TermThreeMonths}[rng.IntN(2)], at())
				if rng.IntN(3) == 0 {
					r.DeleteAt = at()
				}
				p.Reserved = append(p.Reserved, r)
			}
		}
		lead := time.Duration(rng.IntN(40)) * time.Minute
		want, werr := oldBuildTimeline(p, g, o, lead)
		for _, c := range []struct {
			perInterval bool
			sc          *timelineScratch
		}{{true, nil}, {false, nil}, {false, &sc}} {
			perInterval := c.perInterval
			got, err := layTimeline(p, g, o, lead, perInterval, c.sc)
			if fmt.Sprint(err) != fmt.Sprint(werr) {
				t.Fatalf("trial %d: error %v, was %v", trial, err, werr)
			}
			if werr != nil {
				errs++
				continue
			}
			w := want
			w.ptTotal, w.resTotal = sumOf(want.ptCost), sumOf(want.resCost)
			if !perInterval {
				w.ptCost, w.resCost = nil, nil
			}
			if d := timelineDiff(got, w); d != "" {
				t.Fatalf("trial %d (step %d, %d intervals, per interval %v): %s", trial, step, n, perInterval, d)
			}
		}
	}
	if errs > 40 {
		t.Errorf("%d of 400 plans refused: the test checks too few", errs)
	}
}

func sumOf(ms []pricing.Money) pricing.Money {
	var t pricing.Money
	for _, m := range ms {
		t += m
	}
	return t
}

// timelineDiff says where two timelines differ, floats to the bit ("" if
// nowhere).
func timelineDiff(a, b timeline) string {
	floats := func(name string, x, y []float64) string {
		if (x == nil) != (y == nil) || len(x) != len(y) {
			return fmt.Sprintf("%s: %d values against %d (nil %v, %v)", name, len(x), len(y), x == nil, y == nil)
		}
		for i := range x {
			if math.Float64bits(x[i]) != math.Float64bits(y[i]) {
				return fmt.Sprintf("%s[%d]: %v against %v", name, i, x[i], y[i])
			}
		}
		return ""
	}
	money := func(name string, x, y []pricing.Money) string {
		if (x == nil) != (y == nil) || len(x) != len(y) {
			return fmt.Sprintf("%s: %d values against %d (nil %v, %v)", name, len(x), len(y), x == nil, y == nil)
		}
		for i := range x {
			if x[i] != y[i] {
				return fmt.Sprintf("%s[%d]: %s against %s", name, i, x[i].Decimal(), y[i].Decimal())
			}
		}
		return ""
	}
	for _, d := range []string{
		floats("muMinutes", a.muMinutes, b.muMinutes), floats("resIn", a.resIn, b.resIn), floats("resOut", a.resOut, b.resOut),
		money("ptCost", a.ptCost, b.ptCost), money("resCost", a.resCost, b.resCost),
	} {
		if d != "" {
			return d
		}
	}
	if fmt.Sprint(a.toPT) != fmt.Sprint(b.toPT) {
		return "toPT differs"
	}
	scalars := func(tl timeline) [8]uint64 {
		return [8]uint64{uint64(tl.committedAfter), uint64(tl.reservedAfter), math.Float64bits(tl.muHoursBilled), math.Float64bits(tl.scheduledMUHours),
			math.Float64bits(tl.resInKTPMMonths), math.Float64bits(tl.resOutKTPMMonths), math.Float64bits(tl.renewingPerMonth), uint64(tl.ptTotal)<<32 ^ uint64(tl.resTotal)}
	}
	if scalars(a) != scalars(b) || a.ptTotal != b.ptTotal || a.resTotal != b.resTotal {
		return fmt.Sprintf("totals differ: %+v against %+v", scalars(a), scalars(b))
	}
	return ""
}

// oldSpread is grid.spread as it was: it visits every interval overlapping [from, to) (Unix seconds) with
// the seconds of overlap.
func oldSpread(g grid, from, to int64, visit func(i int, overlap int64)) {
	from, to = max(from, g.start), min(to, g.end())
	if from >= to {
		return
	}
	i0 := int((from - g.start) / g.step)
	i1 := int((to - g.start + g.step - 1) / g.step)
	for i := i0; i < i1; i++ {
		s := g.start + int64(i)*g.step
		if ov := min(to, s+g.step) - max(from, s); ov > 0 {
			visit(i, ov)
		}
	}
}

// oldBuildTimeline is buildTimeline as it was before grid.add and
// totals-only timelines (34e28e7), kept to hold the new one to it. It lays plan over g, priced by offer. Per-interval costs
// are the increments of the rounded running total, so they add up to the
// total bill exactly.
func oldBuildTimeline(plan Plan, g grid, offer pricing.Offer, leadTime time.Duration) (timeline, error) {
	// ptCost is made from costUSD at the end (billRunningTotal).
	tl := timeline{muMinutes: make([]float64, g.n)}
	if err := oldAddReserved(&tl, plan, g, offer); err != nil {
		return tl, err
	}
	costUSD := make([]float64, g.n)
	price := func(t pricing.Term) (float64, error) {
		p, ok := offer.PT[t]
		if !ok {
			return 0, fmt.Errorf("%s; or give the plan another term", offer.MissingPTPrice(t))
		}
		return p.USD, nil
	}
	// billPerHour bills a no-commitment PT that exists over [from, to):
	// whole hours, rounded up, plus the lead time when it is created
	// inside the window. The bill is spread over the covered intervals.
	billPerHour := func(mu int, hourly float64, from, to int64) (muHours float64) {
		hours := g.billedHours(from, to, leadTime)
		from, to = max(from, g.start), min(to, g.end())
		if hours == 0 {
			return 0
		}
		tl.muHoursBilled += float64(mu) * hours
		bill := float64(mu) * hourly * hours
		oldSpread(g, from, to, func(i int, ov int64) {
			tl.muMinutes[i] += float64(mu) * float64(ov) / 60
			costUSD[i] += bill * float64(ov) / float64(to-from)
		})
		return float64(mu) * hours
	}
	// A block that another block of the plan takes over at its term's end
	// (same MUs and term) is renewed by the plan itself.
	type runKey struct {
		mu    int
		term  pricing.Term
		start int64
	}
	starts := map[runKey]bool{}
	for _, c := range plan.Committed {
		starts[runKey{c.ModelUnits, c.Term, c.Start.Unix()}] = true
	}
	for _, c := range plan.Committed {
		if c.ModelUnits == 0 {
			continue
		}
		hourly, err := price(c.Term)
		if err != nil {
			return tl, err
		}
		from := c.Start.Unix()
		if !c.Term.Committed() {
			to := g.end()
			if !c.DeleteAt.IsZero() {
				to = min(to, c.DeleteAt.Unix())
			}
			billPerHour(c.ModelUnits, hourly, from, to)
			continue
		}
		sp := spanOf(c.Term, c.Start, c.AtTermEnd, c.DeleteAt, starts[runKey{c.ModelUnits, c.Term, c.Term.End(c.Start).Unix()}])
		to := sp.billedUntil(g.end())
		mu := float64(c.ModelUnits)
		oldSpread(g, from, to, func(i int, ov int64) {
			tl.muMinutes[i] += mu * float64(ov) / 60
			costUSD[i] += mu * hourly * float64(ov) / 3600
		})
		tl.muHoursBilled += mu * float64(max(0, min(to, g.end())-max(from, g.start))) / 3600
		if after := sp.owedUntil(g.end()) - max(from, g.end()); after > 0 {
			tl.committedAfter += pricing.FromUSD(mu * hourly * float64(after) / 3600)
		}
		if sp.open {
			tl.renewingPerMonth += mu * hourly * hoursPerMonth
		}
	}
	loc := plan.Location()
	for _, s := range plan.Scheduled {
		if s.ModelUnits == 0 {
			continue
		}
		hourly, err := price(pricing.TermNone)
		if err != nil {
			return tl, fmt.Errorf("scheduled PT is no-commitment PT: %w", err)
		}
		for _, o := range s.Window.occurrences(loc, g.start, g.end()) {
			tl.scheduledMUHours += billPerHour(s.ModelUnits, hourly, o[0], o[1])
		}
	}
	if len(plan.PTWindows) > 0 {
		tl.toPT = make([]bool, g.n)
		for _, w := range plan.PTWindows {
			for _, o := range w.occurrences(loc, g.start, g.end()) {
				// An interval is routed by where its start falls.
				for i := g.firstAtOrAfter(o[0]); i < g.firstAtOrAfter(o[1]); i++ {
					tl.toPT[i] = true
				}
			}
		}
	}
	tl.ptCost = oldBillRunningTotal(costUSD)
	return tl, nil
}

// oldBillRunningTotal is billRunningTotal as it was: it turns per-interval dollar amounts into Money that adds
// up exactly to the rounded total: each interval gets the step of the
// rounded running total.
func oldBillRunningTotal(usd []float64) []pricing.Money {
	out := make([]pricing.Money, len(usd))
	var cum float64
	var billed pricing.Money
	for i, c := range usd {
		cum += c
		next := pricing.FromUSD(cum)
		out[i] = next - billed
		billed = next
	}
	return out
}

// oldAddReserved is addReserved as it was: it lays the plan's reservations over g: their capacity, and
// their monthly bill, each month of a term (calendar months from its
// start) charged in proportion to its seconds inside the window.
func oldAddReserved(tl *timeline, plan Plan, g grid, offer pricing.Offer) error {
	if !plan.HasReserved() {
		return nil
	}
	tl.resIn, tl.resOut = make([]float64, g.n), make([]float64, g.n)
	costUSD := make([]float64, g.n)
	type runKey struct {
		in, out float64
		term    pricing.Term
		start   int64
	}
	starts := map[runKey]bool{}
	for _, r := range plan.Reserved {
		starts[runKey{r.InputTPM, r.OutputTPM, r.Term, r.Start.Unix()}] = true
	}
	for k, r := range plan.Reserved {
		if r.InputTPM == 0 && r.OutputTPM == 0 {
			continue
		}
		pin, pout, ok := offer.ReservedPrice(r.Term)
		if !ok {
			return fmt.Errorf("reserved[%d]: the Reserved tier has no %s price for %s in %s: give it with --reserved-price-input and --reserved-price-output (USD per 1K TPM-month) or --pricing FILE", k, TermLabel(r.Term), plan.ModelID, plan.Region)
		}
		if res := offer.Reserved; res != nil && (r.InputTPM < res.MinInputTPM || r.OutputTPM < res.MinOutputTPM) {
			return fmt.Errorf("reserved[%d]: %s input and %s output TPM is below the smallest reservation sold (%s input, %s output TPM)",
				k, pricing.CompactTPM(r.InputTPM), pricing.CompactTPM(r.OutputTPM), pricing.CompactTPM(res.MinInputTPM), pricing.CompactTPM(res.MinOutputTPM))
		}
		monthly := r.InputTPM*pin + r.OutputTPM*pout
		sp := spanOf(r.Term, r.Start, r.AtTermEnd, r.DeleteAt, starts[runKey{r.InputTPM, r.OutputTPM, r.Term, r.Term.End(r.Start).Unix()}])
		to, owed := sp.billedUntil(g.end()), sp.owedUntil(g.end())
		// Month by month (calendar months from its start), each billed in
		// proportion to its seconds inside the window, and what is owed
		// after it.
		for start := r.Start.UTC(); start.Unix() < max(to, owed); start = start.AddDate(0, 1, 0) {
			ms, me := start.Unix(), start.AddDate(0, 1, 0).Unix()
			perSecond := monthly / float64(me-ms)
			oldSpread(g, ms, min(me, to), func(i int, ov int64) { costUSD[i] += perSecond * float64(ov) })
			inside := float64(max(0, min(me, to, g.end())-max(ms, g.start))) / float64(me-ms)
			tl.resInKTPMMonths += r.InputTPM / 1000 * inside
			tl.resOutKTPMMonths += r.OutputTPM / 1000 * inside
			if after := min(me, owed) - max(ms, g.end()); after > 0 {
				tl.reservedAfter += pricing.FromUSD(perSecond * float64(after))
			}
		}
		if sp.open {
			tl.renewingPerMonth += monthly
		}
		in, out := r.InputTPM, r.OutputTPM
		oldSpread(g, r.Start.Unix(), to, func(i int, ov int64) {
			tl.resIn[i] += in * float64(ov) / 60
			tl.resOut[i] += out * float64(ov) / 60
		})
	}
	tl.resCost = oldBillRunningTotal(costUSD)
	return nil
}

// TestCostCurveTermsOfOtherCapacity: where the terms of one MU count hold
// other capacity to the bit (a month's term that ends inside an 11-second
// interval splits it in two parts, n·4/60 + n·7/60 MU-minutes, not always
// n·11/60 to the bit), the cost curve, laying its timelines in scratch
// space, still gives every point the totals a replay of it alone gives.
func TestCostCurveTermsOfOtherCapacity(t *testing.T) {
	s := elevenSecondSeries(3)
	env := Env{Series: s, Offer: testOffer(), TimeZone: time.UTC}
	env.Offer.Throughput = pricing.Throughput{InputTPM: 20_000, OutputTPM: 5_000, Provenance: pricing.ProvenanceAssumed}
	base := Plan{ModelID: env.Offer.ModelID, Region: env.Offer.Region, TimeZone: env.TimeZone, Routing: RouteSpillover}
	const peak = 4
	curve, err := scanCommitted(env, base, peak)
	if err != nil {
		t.Fatal(err)
	}
	differ := 0
	for _, pt := range curve {
		p := base
		p.Committed = EndAs(CoverWindow(pt.MU, pt.Term, s.Time(0), s.End()), TermEndRenew)
		want, err := ReplayTotals(s, p, env.Offer, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if pt.Totals != want {
			t.Errorf("%d MU %s: %+v, alone %+v", pt.MU, pt.Term, pt.Totals, want)
		}
		first := base
		first.Committed = EndAs(CoverWindow(pt.MU, offeredTerms(env.Offer)[0], s.Time(0), s.End()), TermEndRenew)
		a, _ := buildTimeline(first, seriesGrid(s), env.Offer, 0)
		b, _ := buildTimeline(p, seriesGrid(s), env.Offer, 0)
		if !sameCapacity(a, b, s.Len()) {
			differ++
		}
	}
	if differ == 0 {
		t.Error("every term holds the same capacity: the test checks nothing of the kind")
	}
}

// elevenSecondSeries is 32 days of random traffic at 11-second intervals
// starting 13 seconds past t0: intervals that a month's term ends inside
// of, splitting an MU's minutes in two parts.
func elevenSecondSeries(seed uint64) *workload.Series {
	rng := rand.New(rand.NewPCG(3, seed))
	const period = 11 * time.Second
	s := &workload.Series{ModelID: "test.model", Region: "us-east-1", Period: period}
	start := t0.Add(13 * time.Second)
	for i := range 32 * 86400 / 11 {
		r := math.Floor(rng.Float64() * 40)
		s.Start = append(s.Start, start.Add(time.Duration(i)*period).Unix())
		s.Invocations = append(s.Invocations, r)
		s.InputTokens = append(s.InputTokens, r*rng.Float64()*3000*period.Minutes())
		s.OutputTokens = append(s.OutputTokens, r*rng.Float64()*800*period.Minutes())
	}
	return s
}
