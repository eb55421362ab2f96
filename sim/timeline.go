package sim

import (
	"fmt"
	"math"
	"time"

	"github.com/bedrockplan/bedrockplan/pricing"
)

// timeline is a plan laid over a regular grid of intervals: the capacity
// of each layer in service in each interval, the bill attributed to it,
// and whether traffic is routed to PT in it. It is the one place where a
// plan becomes capacity and cost; the replay, the optimiser and the risk
// Monte Carlo all read it.
type timeline struct {
	// muMinutes is the PT layer: MU-minutes in service per interval.
	muMinutes []float64
	// resIn and resOut are the Reserved layer: the input and output
	// tokens it can carry in each interval (TPM × minutes in service);
	// nil when the plan reserves nothing.
	resIn, resOut []float64
	ptCost        []pricing.Money
	resCost       []pricing.Money // nil when the plan reserves nothing
	// ptTotal and resTotal are the whole bill of each layer in the
	// window: the sums of ptCost and resCost, which a timeline laid for
	// totals alone does not hold (layTimeline).
	ptTotal, resTotal pricing.Money
	toPT              []bool // nil: always routed to PT
	// committedAfter and reservedAfter are what committed PT blocks and
	// reservations still cost after the window ends: owed, but outside
	// the replayed period.
	committedAfter, reservedAfter pricing.Money
	// muHoursBilled counts billed MU-hours, including rounding up of
	// no-commit hours and provisioning lead time; scheduledMUHours the
	// part of them billed for scheduled blocks.
	muHoursBilled, scheduledMUHours float64
	// resKTPMMonths counts the 1K-TPM-months billed inside the window,
	// input and output (months pro-rated by their hours in the window).
	resInKTPMMonths, resOutKTPMMonths float64
	// renewingPerMonth is what commitments that renew past the window,
	// with no delete date, go on costing each month after their current
	// term: the part of the bill only deleting them stops.
	renewingPerMonth float64
}

// hoursPerMonth is an average calendar month (365.25 days / 12), for
// stating an hourly bill per month.
const hoursPerMonth = 365.25 * 24 / 12

// termSpan is when a commitment bought at start for term is billed: term
// after term from its start until it stops at to; open when it renews
// past any date (at_term_end renew, no delete date).
type termSpan struct {
	term  pricing.Term
	start time.Time
	from  int64
	to    int64
	open  bool
}

// spanOf works out a commitment's span: it stops at the end of its term
// when the plan renews it with a block of its own (renewedByPlan) or when
// it is deleted at term end; at the end of the term its delete date falls
// in; otherwise never.
func spanOf(term pricing.Term, start time.Time, e TermEnd, deleteAt time.Time, renewedByPlan bool) termSpan {
	sp := termSpan{term: term, start: start, from: start.Unix()}
	switch {
	case renewedByPlan || e == TermEndDelete:
		sp.to = term.End(start).Unix()
	case !deleteAt.IsZero():
		sp.to = sp.termEndAtOrAfter(deleteAt.Unix())
	default:
		sp.open = true
	}
	return sp
}

// termEndAtOrAfter is the first end of a term (the first term's, then
// each renewal's) at or after t.
func (sp termSpan) termEndAtOrAfter(t int64) int64 {
	b := sp.term.End(sp.start)
	for b.Unix() < t {
		b = sp.term.End(b)
	}
	return b.Unix()
}

// billedUntil is where billing inside a window ending at end stops.
func (sp termSpan) billedUntil(end int64) int64 {
	if sp.open {
		return end
	}
	return min(sp.to, end)
}

// owedUntil is how far past a window ending at end the commitment is owed
// for certain: to its stop, or, when it renews with no delete date, to
// the end of the term it is in when the window ends.
func (sp termSpan) owedUntil(end int64) int64 {
	if sp.open {
		return sp.termEndAtOrAfter(max(end, sp.from+1))
	}
	return sp.to
}

// grid is a regular sequence of n intervals of step seconds from start
// (Unix seconds).
type grid struct {
	start, step int64
	n           int
}

func (g grid) end() int64 { return g.start + g.step*int64(g.n) }

// firstAtOrAfter returns the index of the first interval that starts at
// or after t, clamped to [0, n].
func (g grid) firstAtOrAfter(t int64) int {
	if t <= g.start {
		return 0
	}
	return min(g.n, int((t-g.start+g.step-1)/g.step))
}

// add adds f(overlap) to dst[i] for every interval i overlapping
// [from, to) (Unix seconds), with its seconds of overlap. Only the first
// and the last of them can overlap by less than a step, so f is called
// for those two and once for all the others, whose share is the same:
// each interval gets the sum it would get with f called for it alone,
// to the bit, in a loop that only adds.
func (g grid) add(dst []float64, from, to int64, f func(overlap int64) float64) {
	g.lay(dst, from, to, f, false)
}

// lay is add, or with first what add would leave in dst were dst all
// zeros, whatever it holds: each overlapping interval gets 0 + f (f, with
// -0 as +0), every other interval 0. A timeline's first block is laid so
// in scratch space: stored, not cleared and then added to.
func (g grid) lay(dst []float64, from, to int64, f func(overlap int64) float64, first bool) {
	from, to = max(from, g.start), min(to, g.end())
	if from >= to {
		if first {
			clear(dst)
		}
		return
	}
	i0 := int((from - g.start) / g.step)
	i1 := int((to - g.start + g.step - 1) / g.step)
	overlap := func(i int) int64 {
		s := g.start + int64(i)*g.step
		return min(to, s+g.step) - max(from, s)
	}
	put := func(i int, x float64) {
		if first {
			dst[i] = plusZero(x)
		} else {
			dst[i] += x
		}
	}
	if first {
		clear(dst[:i0])
		clear(dst[i1:])
	}
	put(i0, f(overlap(i0)))
	if last := i1 - 1; last > i0 {
		if last > i0+1 {
			whole := f(g.step)
			if first {
				whole = plusZero(whole)
				for i := i0 + 1; i < last; i++ {
					dst[i] = whole
				}
			} else {
				for i := i0 + 1; i < last; i++ {
					dst[i] += whole
				}
			}
		}
		put(last, f(overlap(last)))
	}
}

// plusZero is 0 + x: x, but +0 for -0.
func plusZero(x float64) float64 {
	if x == 0 {
		return 0
	}
	return x
}

// occurrences lists each [from, to) (Unix seconds) that window w covers
// between start and end, computed on the wall clock of loc so windows
// follow daylight-saving changes.
func (w Window) occurrences(loc *time.Location, start, end int64) [][2]int64 {
	var out [][2]int64
	first := time.Unix(start, 0).In(loc)
	day := time.Date(first.Year(), first.Month(), first.Day()-1, 0, 0, 0, 0, loc)
	for ; day.Unix() < end; day = time.Date(day.Year(), day.Month(), day.Day()+1, 0, 0, 0, 0, loc) {
		if !w.on(day.Weekday()) {
			continue
		}
		from := wallClockAt(day.Year(), day.Month(), day.Day(), int(w.From), loc, false)
		toDay := day.Day()
		if w.To <= w.From {
			toDay++
		}
		to := wallClockAt(day.Year(), day.Month(), toDay, int(w.To), loc, true)
		if to.Unix() > start && from.Unix() < end {
			out = append(out, [2]int64{from.Unix(), to.Unix()})
		}
	}
	return out
}

// wallClockAt returns the instant a wall clock in loc reads minutes after
// midnight of the given day. When clocks go back, the time occurs twice:
// the earliest is returned, or the latest when latest is set (a window
// that starts at 01:00 and one that ends at 02:00 on that night both take
// in the whole repeated hour). When clocks go forward the time does not
// occur at all, and the instant of the jump is returned: a window ending
// at a skipped 02:00 ends when the clock jumps past it.
func wallClockAt(y int, mo time.Month, d, minutes int, loc *time.Location, latest bool) time.Time {
	want := time.Date(y, mo, d, 0, minutes, 0, 0, time.UTC)
	wall := func(x time.Time) time.Time {
		l := x.In(loc)
		return time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), 0, time.UTC)
	}
	t := time.Date(y, mo, d, 0, minutes, 0, 0, loc)
	if !wall(t).Equal(want) {
		start, end := t.ZoneBounds()
		if wall(t).Before(want) && !end.IsZero() {
			return end
		}
		return start
	}
	// Far from any change of offset (always, in UTC and fixed zones) the
	// wall clock reads want only at t: no need to look around it.
	if zs, ze := t.ZoneBounds(); (zs.IsZero() || t.Sub(zs) > 2*time.Hour) && (ze.IsZero() || ze.Sub(t) > 2*time.Hour) {
		return t
	}
	best := t
	for _, shift := range []time.Duration{30 * time.Minute, time.Hour, 2 * time.Hour} {
		for _, c := range []time.Time{t.Add(-shift), t.Add(shift)} {
			if wall(c).Equal(want) && (latest && c.After(best) || !latest && c.Before(best)) {
				best = c
			}
		}
	}
	return best
}

func (w Window) on(d time.Weekday) bool {
	for _, x := range w.Days {
		if x == d {
			return true
		}
	}
	return false
}

// buildTimeline lays plan over g, priced by offer. Per-interval costs
// are the increments of the rounded running total, so they add up to the
// total bill exactly.
func buildTimeline(plan Plan, g grid, offer pricing.Offer, leadTime time.Duration) (timeline, error) {
	return layTimeline(plan, g, offer, leadTime, true, nil)
}

// timelineScratch is room for the PT layer of timelines laid one after
// another over one grid: a scan lays dozens over a year of minutes, each
// an array of 525,600 to allocate and clear otherwise.
type timelineScratch struct {
	muMinutes []float64
}

// buffer is *p with room for n values, grown if it is shorter; what it
// holds is left from the timeline laid in it before (see layer).
func (sc *timelineScratch) buffer(p *[]float64, n int) []float64 {
	if cap(*p) < n {
		*p = make([]float64, n)
	}
	*p = (*p)[:n]
	return *p
}

// layer is an array of a timeline that its blocks are added to. In
// scratch space (dirty) it still holds the last timeline's values until
// the first block is laid, which grid.lay then stores, clearing only the
// intervals outside it, rather than clearing all and adding.
type layer struct {
	v     []float64
	dirty bool
}

// add is grid.add on the layer.
func (l *layer) add(g grid, from, to int64, f func(overlap int64) float64) {
	g.lay(l.v, from, to, f, l.dirty)
	l.dirty = false
}

// values is the layer's array, all zeros if no block was laid.
func (l *layer) values() []float64 {
	if l.dirty {
		clear(l.v)
		l.dirty = false
	}
	return l.v
}

// layTimeline is buildTimeline. Without perInterval the bill is kept as
// its totals alone (ptCost and resCost nil; ptTotal and resTotal are the
// sums they would hold): a replay of totals needs no more, and a scan
// lays dozens of timelines over a year of minutes.
//
// With sc, the PT layer and its bill are laid in sc's arrays rather than
// new ones: the timeline is then good until sc lays another.
func layTimeline(plan Plan, g grid, offer pricing.Offer, leadTime time.Duration, perInterval bool, sc *timelineScratch) (timeline, error) {
	// ptCost is made from costUSD at the end (billRunningTotal); laid for
	// totals, the bill is kept as its blocks, and only their total is
	// worked out (grid.total).
	var muMinutes layer
	var costUSD bill
	tl := timeline{}
	if sc != nil {
		muMinutes = layer{v: sc.buffer(&sc.muMinutes, g.n), dirty: true}
	} else {
		muMinutes = layer{v: make([]float64, g.n)}
	}
	if perInterval {
		costUSD.usd = layer{v: make([]float64, g.n)}
	}
	if err := tl.addReserved(plan, g, offer, perInterval); err != nil {
		return tl, err
	}
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
		muMinutes.add(g, from, to, func(ov int64) float64 { return float64(mu) * float64(ov) / 60 })
		costUSD.add(g, from, to, func(ov int64) float64 { return bill * float64(ov) / float64(to-from) })
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
		muMinutes.add(g, from, to, func(ov int64) float64 { return mu * float64(ov) / 60 })
		costUSD.add(g, from, to, func(ov int64) float64 { return mu * hourly * float64(ov) / 3600 })
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
	tl.muMinutes = muMinutes.values()
	if perInterval {
		tl.ptCost, tl.ptTotal = billRunningTotal(costUSD.usd.values(), true)
	} else {
		tl.ptTotal = g.total(costUSD.blocks)
	}
	return tl, nil
}

// bill is where a timeline lays its PT bill: interval by interval in
// usd, or, when usd has no array (a timeline laid for totals), as the
// blocks that would be added to it, in order.
type bill struct {
	usd    layer
	blocks []billBlock
}

// billBlock is a block of a bill: f(overlap) in every interval that
// overlaps [from, to).
type billBlock struct {
	from, to int64
	f        func(overlap int64) float64
}

func (b *bill) add(g grid, from, to int64, f func(overlap int64) float64) {
	if b.usd.v == nil {
		b.blocks = append(b.blocks, billBlock{from, to, f})
		return
	}
	b.usd.add(g, from, to, f)
}

// total is the total billRunningTotal gives for what blocks add up to
// on g, laid in order on zeros: the same amounts, interval by interval,
// summed in the same order, each chunk of intervals laid in a small
// buffer rather than the whole grid in one array.
func (g grid) total(blocks []billBlock) pricing.Money {
	const chunk = 4096
	buf := make([]float64, min(chunk, g.n))
	var cum float64
	for c0 := 0; c0 < g.n; c0 += chunk {
		// A chunk starts and ends on interval boundaries, so each of its
		// intervals overlaps a block by the seconds it does on g.
		part := grid{start: g.start + int64(c0)*g.step, step: g.step, n: min(chunk, g.n-c0)}
		v := buf[:part.n]
		clear(v)
		for _, b := range blocks {
			if b.from < part.end() && b.to > part.start {
				part.add(v, b.from, b.to, b.f)
			}
		}
		for _, x := range v {
			cum += x
		}
	}
	return pricing.FromUSD(cum)
}

// billedHours is what a no-commitment PT that exists over [from, to)
// (Unix seconds) is billed inside the grid's window: whole hours, rounded
// up, plus the lead time it takes to create.
func (g grid) billedHours(from, to int64, leadTime time.Duration) float64 {
	from, to = max(from, g.start), min(to, g.end())
	if from >= to {
		return 0
	}
	exists := time.Duration(to-from) * time.Second
	return math.Ceil((exists + leadTime).Hours() - 1e-9)
}

// billRunningTotal turns per-interval dollar amounts into Money that adds
// up exactly to the rounded total: each interval gets the step of the
// rounded running total. It returns the total too, and with perInterval
// false only the total: the steps add up to the last rounded running
// total, so that is all a sum of them needs.
func billRunningTotal(usd []float64, perInterval bool) ([]pricing.Money, pricing.Money) {
	var cum float64
	if !perInterval {
		for _, c := range usd {
			cum += c
		}
		return nil, pricing.FromUSD(cum)
	}
	out := make([]pricing.Money, len(usd))
	var billed pricing.Money
	for i, c := range usd {
		cum += c
		next := pricing.FromUSD(cum)
		out[i] = next - billed
		billed = next
	}
	return out, billed
}

// addReserved lays the plan's reservations over g: their capacity, and
// their monthly bill, each month of a term (calendar months from its
// start) charged in proportion to its seconds inside the window.
func (tl *timeline) addReserved(plan Plan, g grid, offer pricing.Offer, perInterval bool) error {
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
			g.add(costUSD, ms, min(me, to), func(ov int64) float64 { return perSecond * float64(ov) })
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
		g.add(tl.resIn, r.Start.Unix(), to, func(ov int64) float64 { return in * float64(ov) / 60 })
		g.add(tl.resOut, r.Start.Unix(), to, func(ov int64) float64 { return out * float64(ov) / 60 })
	}
	tl.resCost, tl.resTotal = billRunningTotal(costUSD, perInterval)
	return nil
}
