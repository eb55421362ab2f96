package sim

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/workload"
)

// smallInstance is a random problem small enough to enumerate: a few
// hour-of-week slots of hourly or 15-minute data, random demand, prices,
// quotas and terms on offer.
func smallInstance(rng *rand.Rand) (Env, OptimiseOptions) {
	period := []time.Duration{time.Hour, 15 * time.Minute, 20 * time.Minute}[rng.IntN(3)]
	hours := 2 + rng.IntN(3)
	n := int(time.Duration(hours) * time.Hour / period)
	// Some instances straddle New York's daylight-saving changes, so the
	// schedule's hour slots have 5- or 7-hour nights.
	zones := []string{"UTC", "Asia/Tokyo", "America/New_York"}
	loc, _ := time.LoadLocation(zones[rng.IntN(len(zones))])
	start := t0.Add(time.Duration(rng.IntN(48)) * time.Hour)
	switch rng.IntN(3) {
	case 1:
		start = time.Date(2026, 3, 8, 5, 0, 0, 0, time.UTC).Add(time.Duration(rng.IntN(5)-3) * time.Hour) // 2:00 EST jumps to 3:00 EDT at 07:00 UTC
	case 2:
		start = time.Date(2026, 11, 1, 4, 0, 0, 0, time.UTC).Add(time.Duration(rng.IntN(5)-3) * time.Hour) // 2:00 EDT falls back to 1:00 EST at 06:00 UTC
	}
	s := &workload.Series{ModelID: "test.model", Region: "us-east-1", Period: period}
	for i := range n {
		r := math.Floor(rng.Float64() * 40)
		s.Start = append(s.Start, start.Add(time.Duration(i)*period).Unix())
		s.Invocations = append(s.Invocations, r)
		s.InputTokens = append(s.InputTokens, r*(500+rng.Float64()*1500)*period.Minutes())
		s.OutputTokens = append(s.OutputTokens, r*(100+rng.Float64()*400)*period.Minutes())
	}
	o := testOffer()
	o.Throughput = pricing.Throughput{InputTPM: 8000 + rng.Float64()*20000, OutputTPM: 2000 + rng.Float64()*6000, Provenance: pricing.ProvenanceAssumed}
	o.OnDemand.InputPer1M = &pricing.Price{USD: 5 + rng.Float64()*20}
	o.OnDemand.OutputPer1M = &pricing.Price{USD: 10 + rng.Float64()*40}
	p6 := 0.5 + rng.Float64()*3
	p1 := p6 * (1 + rng.Float64()*0.5)
	pn := p1 * (1 + rng.Float64()*0.5)
	o.PT = map[pricing.Term]pricing.Price{pricing.TermSixMonths: {USD: p6}, pricing.TermOneMonth: {USD: p1}, pricing.TermNone: {USD: pn}}
	if rng.IntN(4) == 0 {
		delete(o.PT, pricing.TermNone)
	}
	if rng.IntN(2) == 0 {
		o.Quotas.TPM = f64(20_000 + rng.Float64()*60_000)
	}
	if rng.IntN(3) == 0 {
		o.Quotas.RPM = f64(10 + rng.Float64()*30)
	}
	opt := OptimiseOptions{}
	switch rng.IntN(7) {
	case 1, 2:
		opt.MaxThrottle = 0.02 + rng.Float64()*0.2
	case 3:
		opt.Terms = []pricing.Term{pricing.TermNone, pricing.TermOneMonth}
	case 4:
		opt.NoSchedule = true
	case 5:
		opt.MaxMU = 1
	case 6:
		opt.MinMU = 1
	}
	if rng.IntN(4) == 0 {
		// An existing commitment that expires inside the window.
		opt.Existing = []Commitment{{ModelUnits: 1, Term: pricing.TermOneMonth, Start: start.Add(time.Duration(hours)*time.Hour/2).AddDate(0, -1, 0)}}
	}
	env := Env{Series: s, Offer: o, TimeZone: loc}
	if rng.IntN(3) == 0 {
		env.Options.Burst = Burst{Ratio: 1 + rng.Float64()*4}
	}
	return env, opt
}

// bruteForce replays every plan the optimiser could choose (each allowed
// committed term and count, every scheduled count per slot) and returns
// the cheapest within the throttle limit (or the least throttled).
func bruteForce(t *testing.T, env Env, opt OptimiseOptions, maxLevel int) (Totals, int) {
	t.Helper()
	var slots []int
	seen := map[int]bool{}
	for i := range env.Series.Start {
		sl := SlotOf(env.Series.Time(i), env.TimeZone)
		if !seen[sl] {
			seen[sl] = true
			slots = append(slots, sl)
		}
	}
	allowed := map[pricing.Term]bool{}
	terms := opt.Terms
	if terms == nil {
		terms = pricing.ProductPT.Terms()
	}
	for _, tm := range terms {
		if _, ok := env.Offer.PT[tm]; ok {
			allowed[tm] = true
		}
	}
	schedule := allowed[pricing.TermNone] && !opt.NoSchedule
	budget := opt.MaxThrottle * env.Series.Totals().Invocations
	var best *Totals
	tried := 0
	consider := func(tot Totals) {
		tried++
		feasible := tot.ThrottledRequests <= budget+1e-6
		switch {
		case best == nil:
		case feasible && best.ThrottledRequests > budget+1e-6:
		case feasible && tot.Total() < best.Total():
		case !feasible && best.ThrottledRequests > budget+1e-6 && tot.ThrottledRequests < best.ThrottledRequests-1e-9:
		default:
			return
		}
		b := tot
		best = &b
	}
	commitTerms := []pricing.Term{""}
	for _, tm := range pricing.ProductPT.Terms() {
		if allowed[tm] {
			commitTerms = append(commitTerms, tm)
		}
	}
	for _, term := range commitTerms {
		maxC := 0
		if term != "" {
			maxC = maxLevel
		}
		if opt.MaxMU > 0 {
			maxC = min(maxC, opt.MaxMU)
		}
		for nc := 0; nc <= maxC; nc++ {
			if term != "" && nc == 0 || nc < opt.MinMU && len(commitTerms) > 1 {
				continue
			}
			maxK := 0
			if schedule {
				maxK = maxLevel - nc
				if opt.MaxMU > 0 {
					maxK = max(0, opt.MaxMU-nc)
				}
			}
			k := make([]int, len(slots))
			for {
				var sched [Slots]int
				for i, sl := range slots {
					sched[sl] = k[i]
				}
				p := buildPlan(env, &Optimum{CommittedTerm: term, CommittedMU: nc, Scheduled: sched}, opt.Existing)
				tot, err := ReplayTotals(env.Series, p, env.Offer, env.Options)
				if err != nil {
					t.Fatal(err)
				}
				consider(tot)
				i := 0
				for i < len(k) && k[i] == maxK {
					k[i] = 0
					i++
				}
				if i == len(k) {
					break
				}
				k[i]++
			}
		}
	}
	return *best, tried
}

// TestOptimiserMatchesBruteForce: on many random small instances, with
// and without quotas, throttle allowances, terms and the scheduled layer,
// the optimiser's plan costs exactly what the best enumerated plan costs.
func TestOptimiserMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	cases := 0
	for k := 0; cases < 300 && k < 5000; k++ {
		env, opt := smallInstance(rng)
		sm, err := buildSlotModel(env, opt.Existing)
		if err != nil {
			t.Fatal(err)
		}
		J := sm.levels()
		if J > 3 || J == 0 {
			continue // keep enumeration small
		}
		cases++
		got, err := Optimise(env, opt)
		if err != nil {
			t.Fatal(err)
		}
		gotTot, err := ReplayTotals(env.Series, got.Plan, env.Offer, env.Options)
		if err != nil {
			t.Fatal(err)
		}
		want, tried := bruteForce(t, env, opt, max(J, opt.MinMU)+1)
		budget := opt.MaxThrottle * env.Series.Totals().Invocations
		wantFeasible := want.ThrottledRequests <= budget+1e-6
		if got.Feasible != wantFeasible {
			t.Fatalf("case %d: optimiser feasible=%v, brute force %v (throttled %v, budget %v)", k, got.Feasible, wantFeasible, want.ThrottledRequests, budget)
		}
		if !wantFeasible && math.Abs(gotTot.ThrottledRequests-want.ThrottledRequests) > 1e-6*math.Max(1, want.ThrottledRequests) {
			t.Fatalf("case %d: infeasible; optimiser throttles %v, the least possible is %v", k, gotTot.ThrottledRequests, want.ThrottledRequests)
		}
		if wantFeasible && (math.Abs(float64(gotTot.Total()-want.Total())) >= 10_000 || gotTot.ThrottledRequests > budget+1e-6) {
			t.Fatalf("case %d (%+v, %d plans tried): optimiser %s (throttled %.3f) with %s; brute force %s (throttled %.3f)",
				k, opt, tried, gotTot.Total().Decimal(), gotTot.ThrottledRequests, planText(got.Plan), want.Total().Decimal(), want.ThrottledRequests)
		}
	}
	if cases < 200 {
		t.Fatalf("only %d usable cases", cases)
	}
}
