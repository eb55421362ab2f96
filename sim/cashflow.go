package sim

import (
	"errors"
	"math"
	"math/rand/v2"
	"sort"
	"sync"
	"time"

	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/workload"
)

// CashFlowMonth is one calendar month (UTC) of a plan's bill, from the
// purchase date to the end of its longest term: the capacity it bills,
// known in advance, and the on-demand traffic it leaves over, forecast.
type CashFlowMonth struct {
	// Start and End bound the part of the month inside the cash flow:
	// the first month starts at the purchase, the last ends with the
	// longest term.
	Start, End time.Time
	// Committed is the committed PT bought (its first term), NoCommit
	// the no-commitment PT (scheduled or held), Reserved the
	// reservations bought (their first term), Renewals what the
	// commitments bill after their first term, while they renew
	// (at_term_end renew), and Existing what the commitments already
	// owned (Optimise.Existing) bill, whatever is bought: USD.
	Committed, NoCommit, Reserved, Renewals, Existing float64
	// Overflow is the on-demand traffic the plan (with the existing
	// commitments) leaves over, over the forecast's scenarios. Stay is
	// the bill of staying as it is: the existing commitments plus the
	// on-demand traffic they leave over (all of it, without any).
	Overflow, Stay Spread
}

// Capacity is what the month's capacity bills, existing commitments
// included, USD.
func (m CashFlowMonth) Capacity() float64 {
	return m.Committed + m.NoCommit + m.Reserved + m.Renewals + m.Existing
}

// Spread is a forecast cost over scenarios: its mean and its 10th,
// 50th and 90th percentiles, USD.
type Spread struct{ Mean, P10, P50, P90 float64 }

// CashFlow bills plan month by month from buyAt, when its commitments
// would be bought (as PurchaseList dates them), to the end of its longest
// term (six months when it commits to none), with the traffic forecast
// by fc in opt.Scenarios scenarios: the risk analysis's scenarios, drawn
// from buyAt on, with the traffic staying (no migration). Existing
// commitments bill and serve in the plan and in staying as it is alike.
func CashFlow(env Env, fc *workload.Forecast, plan Plan, buyAt time.Time, opt RiskOptions) ([]CashFlowMonth, error) {
	if opt.Scenarios <= 0 {
		return nil, errors.New("the cash flow needs at least one scenario")
	}
	o := env.Offer
	buyAt = buyAt.UTC().Truncate(time.Hour)
	owned := map[Commitment]bool{}
	for _, c := range env.Optimise.Existing {
		owned[c] = true
	}
	// The plan as bought at buyAt: each run once, re-dated, as the
	// purchase list has it.
	var bought, noCommit Plan
	end := pricing.TermSixMonths.End(buyAt)
	longest := time.Time{}
	for _, c := range plan.CommittedRuns() {
		if owned[c.Commitment] {
			continue
		}
		c.Start, c.DeleteAt = buyAt, time.Time{}
		if !c.Term.Committed() {
			noCommit.Committed = append(noCommit.Committed, c.Commitment)
			continue
		}
		bought.Committed = append(bought.Committed, c.Commitment)
		if e := c.Term.End(buyAt); e.After(longest) {
			longest = e
		}
	}
	for _, r := range plan.ReservedRuns() {
		r.Start, r.DeleteAt = buyAt, time.Time{}
		bought.Reserved = append(bought.Reserved, r.Reservation)
		if e := r.Term.End(buyAt); e.After(longest) {
			longest = e
		}
	}
	if !longest.IsZero() {
		end = longest
	}
	noCommit.Scheduled, noCommit.TimeZone = plan.Scheduled, plan.TimeZone
	for _, p := range []*Plan{&bought, &noCommit} {
		p.ModelID, p.Region, p.Routing = plan.ModelID, plan.Region, plan.Routing
	}
	firstTerms := bought
	firstTerms.Committed = EndAs(bought.Committed, TermEndDelete)
	firstTerms.Reserved = nil
	for _, r := range bought.Reserved {
		r.AtTermEnd = TermEndDelete
		firstTerms.Reserved = append(firstTerms.Reserved, r)
	}

	hours := int(end.Sub(buyAt) / time.Hour)
	g := grid{start: buyAt.Unix(), step: 3600, n: hours}
	renewing, err := buildTimeline(bought, g, o, 0)
	if err != nil {
		return nil, err
	}
	first, err := buildTimeline(firstTerms, g, o, 0)
	if err != nil {
		return nil, err
	}
	sched, err := buildTimeline(noCommit, g, o, 0)
	if err != nil {
		return nil, err
	}
	existing := Plan{ModelID: plan.ModelID, Region: plan.Region, Routing: plan.Routing, Committed: env.Optimise.Existing}
	held, err := buildTimeline(existing, g, o, 0)
	if err != nil {
		return nil, err
	}

	var months []CashFlowMonth
	var bounds []int // each month's first hour, and the end
	for t := buyAt; t.Before(end); {
		next := time.Date(t.Year(), t.Month()+1, 1, 0, 0, 0, 0, time.UTC)
		if next.After(end) {
			next = end
		}
		bounds = append(bounds, int(t.Sub(buyAt)/time.Hour))
		months = append(months, CashFlowMonth{Start: t, End: next})
		t = next
	}
	bounds = append(bounds, hours)
	sum := func(ms []pricing.Money, a, b int) float64 {
		if ms == nil {
			return 0
		}
		var s pricing.Money
		for _, m := range ms[a:b] {
			s += m
		}
		return s.USD()
	}
	for i := range months {
		a, b := bounds[i], bounds[i+1]
		m := &months[i]
		m.Committed, m.Reserved = sum(first.ptCost, a, b), sum(first.resCost, a, b)
		m.Renewals = sum(renewing.ptCost, a, b) + sum(renewing.resCost, a, b) - m.Committed - m.Reserved
		m.NoCommit = sum(sched.ptCost, a, b)
		m.Existing = sum(held.ptCost, a, b)
	}

	// The capacity every scenario replays against: the plan's layers
	// together.
	muMin := make([]float64, hours)
	for h := range hours {
		muMin[h] = renewing.muMinutes[h] + sched.muMinutes[h] + held.muMinutes[h]
	}
	slots := hourSlots(buyAt, hours, fc.Location)
	offset := int(buyAt.Sub(fc.End) / time.Hour)
	overflow := make([][]float64, len(months))
	onDemand := make([][]float64, len(months))
	for i := range months {
		overflow[i], onDemand[i] = make([]float64, opt.Scenarios), make([]float64, opt.Scenarios)
	}
	// Each scenario is priced under the plan (plans[0]) and with nothing
	// bought (plans[1]): the existing commitments alone.
	plans := []scenarioPlan{{until: hours, resIn: renewing.resIn, resOut: renewing.resOut, resUntil: hours}, {until: hours}}
	if anyPositive(muMin) {
		plans[0].full = muMin
	}
	if anyPositive(held.muMinutes) {
		plans[1].full = held.muMinutes
	}
	sv := newServer(o, RouteSpillover)
	var wg sync.WaitGroup
	const workers = 2
	for wk := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d := demand{req: make([]float64, hours), in: make([]float64, hours), out: make([]float64, hours)}
			sc := newScenarioScratch(hours)
			var nano [2]int64
			for k := wk; k < opt.Scenarios; k += workers {
				// Each scenario has its own stream, as in AssessRisk.
				rng := rand.New(rand.NewPCG(opt.Seed, uint64(k)))
				drawScenario(fc, rng, slots, offset, 0, d)
				for i := range months {
					nano = [2]int64{}
					sv.scenarioCost(d, bounds[i], bounds[i+1], 60, opt.Burst, plans, sc, nano[:])
					overflow[i][k] = float64(nano[0]) / nanoPerUSD
					onDemand[i][k] = float64(nano[1]) / nanoPerUSD
				}
			}
		}()
	}
	wg.Wait()
	for i := range months {
		stay := months[i].Existing
		for k := range onDemand[i] {
			onDemand[i][k] += stay
		}
		months[i].Overflow, months[i].Stay = spreadOf(overflow[i]), spreadOf(onDemand[i])
	}
	return months, nil
}

func spreadOf(costs []float64) Spread {
	sorted := append([]float64(nil), costs...)
	sort.Float64s(sorted)
	var sum float64
	for _, c := range costs {
		sum += c
	}
	return Spread{Mean: sum / float64(len(costs)), P10: quantile(sorted, 0.1), P50: quantile(sorted, 0.5), P90: quantile(sorted, 0.9)}
}

// drawScenario fills d with one scenario's hourly demand, hour h being
// offset+h hours after the forecast's end: weekly growth drawn from the
// forecast's uncertainty, day-to-day noise from its residuals, and, with
// probability migration, the traffic leaving at a uniform random hour,
// which it returns (len(d.req) when it stays). The draws come in a fixed
// order, so a seed gives the same scenario in every analysis.
//
// Hour h's demand is the profile's times exp(g·(offset+h)) and the day's
// noise, exp(e - σ²/2). The factor is taken as the day's growth and noise
// in one, exp(g·(offset+day) + e - σ²/2), times the hour's growth within
// the day, exp(g·j), from a table of 24: one math.Exp a day and 24 a
// scenario instead of two a day and one an hour (the Monte Carlo's
// costliest call). The product differs from the direct one only in its
// last bits (TestDrawScenarioNearDirect).
func drawScenario(fc *workload.Forecast, rng *rand.Rand, slots []int, offset int, migration float64, d demand) int {
	hours := len(d.req)
	g := fc.GrowthPerHour + fc.GrowthSE*rng.NormFloat64()
	leave := hours
	if rng.Float64() < migration {
		leave = int(rng.Float64() * float64(hours))
	}
	var within [24]float64
	for j := range within {
		within[j] = math.Exp(g * float64(j))
	}
	for day := 0; day < hours; day += 24 {
		e := fc.DaySigma * rng.NormFloat64()
		n := min(24, hours-day)
		stay := min(max(leave-day, 0), n)
		// The day's growth and noise in one exponential.
		f0 := math.Exp(g*float64(offset+day) + (e - fc.DaySigma*fc.DaySigma/2))
		req, in, out, slots := d.req[day:day+n], d.in[day:day+n], d.out[day:day+n], slots[day:day+n]
		for j := range stay {
			p := &fc.Profile[slots[j]]
			f := f0 * within[j]
			req[j], in[j], out[j] = p[0]*f, p[1]*f, p[2]*f
		}
		for j := stay; j < n; j++ {
			req[j], in[j], out[j] = 0, 0, 0
		}
	}
	return leave
}
