package sim

import (
	"math"
	"math/rand/v2"
	"slices"

	"github.com/bedrockplan/bedrockplan/workload"
	"strings"
	"testing"
	"time"

	"github.com/bedrockplan/bedrockplan/pricing"
)

// reservedOffer is testOffer with a Reserved tier: $1 per 1K input TPM
// and $5 per 1K output TPM a month for one month, $0.8 and $4 for three,
// with minimums small enough for hand-sized cases, and cache writes at
// $1.25 per 1M tokens.
func reservedOffer() pricing.Offer {
	o := testOffer()
	price := func(v float64) *pricing.Price { return &pricing.Price{USD: v, Source: "test", AsOf: "2026-11-01"} }
	o.Reserved = &pricing.ReservedOffer{MinInputTPM: 100, MinOutputTPM: 10,
		OneMonth:    &pricing.ReservedPrices{InputPer1KTPMMonth: price(1), OutputPer1KTPMMonth: price(5)},
		ThreeMonths: &pricing.ReservedPrices{InputPer1KTPMMonth: price(0.8), OutputPer1KTPMMonth: price(4)},
	}
	o.OnDemand.CacheWritePer1M = price(1.25)
	return o
}

func reserve(in, out float64, term pricing.Term, start time.Time) Reservation {
	return Reservation{InputTPM: in, OutputTPM: out, Term: term, Start: start}
}

// TestReservedReplay checks the Reserved layer on one-minute cases
// computed by hand (November 2026 has 30 days, so a 1-month reservation
// of 1,000 input and 1,000 output TPM costs $6 a month, $6/43,200 a
// minute).
func TestReservedReplay(t *testing.T) {
	minute := usd(6.0 / 43200)
	oneK := reserve(1000, 1000, pricing.TermOneMonth, t0)
	cases := []struct {
		name                string
		row                 [3]float64
		cacheWrite          float64
		reserved            []Reservation
		committed           []Commitment
		quotas              pricing.Quotas
		resShare, ptShare   float64
		odReq, thr          float64
		resCost, odCost     pricing.Money
		resInUsed, resOutUs float64
	}{
		{name: "input-bound", row: [3]float64{10, 2000, 500}, reserved: []Reservation{oneK},
			// f = min(1, 1000/2000, 1000/500) = 0.5: on-demand gets 1000 in + 250 out.
			resShare: 0.5, odReq: 5, resCost: minute, odCost: usd(1000*1e-6 + 250*2e-6), resInUsed: 1000, resOutUs: 250},
		{name: "output-bound", row: [3]float64{10, 500, 2000}, reserved: []Reservation{oneK},
			resShare: 0.5, odReq: 5, resCost: minute, odCost: usd(250*1e-6 + 1000*2e-6), resInUsed: 250, resOutUs: 1000},
		{name: "two reservations pool", row: [3]float64{10, 2000, 500}, reserved: []Reservation{oneK, oneK},
			resShare: 1, resCost: 2 * minute, resInUsed: 2000, resOutUs: 500},
		{name: "layers bind on different sides", row: [3]float64{10, 2000, 1000},
			// Reserved (1000 in, 100 out): f_R = min(1, 1000/2000, 100/1000) = 0.1.
			// One MU (1000/1000) would carry 1/2 of all demand: f_P = min(0.9, 0.5).
			// Summed, (2000, 1100) would have carried everything.
			reserved:  []Reservation{reserve(1000, 100, pricing.TermOneMonth, t0)},
			committed: []Commitment{{ModelUnits: 1, Term: pricing.TermSixMonths, Start: t0}},
			resShare:  0.1, ptShare: 0.5, odReq: 4, resCost: usd((1000*1.0/1000 + 100*5.0/1000) / 43200), odCost: usd(800*1e-6 + 400*2e-6),
			resInUsed: 200, resOutUs: 100},
		{name: "cache writes use the capacity", row: [3]float64{10, 500, 100}, cacheWrite: 1500, reserved: []Reservation{oneK},
			// Input for capacity is 500 + 1500 = 2000: f = 0.5.
			resShare: 0.5, odReq: 5, resCost: minute, odCost: usd(250*1e-6 + 50*2e-6 + 750*1.25e-6), resInUsed: 1000, resOutUs: 50},
		{name: "quota on the overflow", row: [3]float64{10, 4000, 1000}, reserved: []Reservation{oneK}, quotas: pricing.Quotas{TPM: f64(1000)},
			// f = 0.25; overflow 3000 in + 750 out = 3750 quota tokens: g = 1000/3750.
			resShare: 0.25, odReq: 7.5 * 1000 / 3750, thr: 7.5 * (1 - 1000.0/3750), resCost: minute,
			odCost: usd((3000*1e-6 + 750*2e-6) * 1000 / 3750), resInUsed: 1000, resOutUs: 250},
		{name: "cache writes count against the quota", row: [3]float64{10, 500, 500}, cacheWrite: 1500, quotas: pricing.Quotas{TPM: f64(1250)},
			// No capacity: 500 + 1500 + 500 = 2500 quota tokens, g = 0.5.
			odReq: 5, thr: 5, odCost: usd((500*1e-6 + 500*2e-6 + 1500*1.25e-6) / 2)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := series(t0, time.Minute, c.row)
			if c.cacheWrite > 0 {
				s.CacheWrite = []float64{c.cacheWrite}
			}
			o := reservedOffer()
			o.Quotas = c.quotas
			p := plan(c.committed...)
			p.Reserved = c.reserved
			r, err := Replay(s, p, o, Options{})
			if err != nil {
				t.Fatal(err)
			}
			tot, iv := r.Totals, r.Intervals
			if c.reserved != nil && !near(iv.ResShare[0], c.resShare) {
				t.Errorf("reserved share %v, want %v", iv.ResShare[0], c.resShare)
			}
			if !near(iv.PTShare[0], c.ptShare) {
				t.Errorf("PT share %v, want %v", iv.PTShare[0], c.ptShare)
			}
			if !near(tot.ODRequests, c.odReq) || !near(tot.ThrottledRequests, c.thr) {
				t.Errorf("on-demand %v throttled %v, want %v and %v", tot.ODRequests, tot.ThrottledRequests, c.odReq, c.thr)
			}
			if tot.ResCost != c.resCost || tot.ODCost != c.odCost {
				t.Errorf("reserved %s on-demand %s, want %s and %s", tot.ResCost, tot.ODCost, c.resCost, c.odCost)
			}
			if !near(tot.ResInputUsed, c.resInUsed) || !near(tot.ResOutputUsed, c.resOutUs) {
				t.Errorf("reserved carried %v in %v out, want %v and %v", tot.ResInputUsed, tot.ResOutputUsed, c.resInUsed, c.resOutUs)
			}
			if !near(tot.ResRequests+tot.PTRequests+tot.ODRequests+tot.ThrottledRequests, tot.Requests) {
				t.Errorf("requests do not add up: %+v", tot)
			}
			if got := iv.Cost(0); got != tot.Total() {
				t.Errorf("interval cost %s, total %s", got, tot.Total())
			}
		})
	}
}

// TestReservedBilling checks monthly billing pro-rated inside the window,
// what is owed after it and what renewing goes on costing, on hourly
// data over 40 days from 2 November (to 12 December).
func TestReservedBilling(t *testing.T) {
	s := series(t0, time.Hour, flat(40*24, [3]float64{1, 10, 10})...)
	deleted := func(r Reservation) Reservation { r.AtTermEnd = TermEndDelete; return r }
	cases := []struct {
		name          string
		r             Reservation
		in, after     float64
		inKTPMMonths  float64
		outKTPMMonths float64
		renewing      float64
	}{
		// Nov 2 - Dec 2 is one whole month inside the window: $6.
		{"one month inside, deleted at term end", deleted(reserve(1000, 1000, pricing.TermOneMonth, t0)), 6, 0, 1, 1, 0},
		// Renewed: Dec 2 - Jan 2 (31 days) is billed for its 10 days in
		// the window and owed for the other 21; $6 a month after that.
		{"one month, renewed", reserve(1000, 1000, pricing.TermOneMonth, t0), 6 + 6*10.0/31, 6 * 21.0 / 31, 1 + 10.0/31, 1 + 10.0/31, 6},
		// Deleted on 20 December: at the end of the term that date falls
		// in, 2 January; nothing renews after it.
		{"one month, deleted on a date", Reservation{InputTPM: 1000, OutputTPM: 1000, Term: pricing.TermOneMonth, Start: t0, DeleteAt: t0.AddDate(0, 0, 48)},
			6 + 6*10.0/31, 6 * 21.0 / 31, 1 + 10.0/31, 1 + 10.0/31, 0},
		// $4.80 a month: Nov 2 - Dec 2 whole, Dec 2 - Jan 2 for 10 of its
		// 31 days, Jan 2 - Feb 2 after the window.
		{"three months past the window", deleted(reserve(1000, 1000, pricing.TermThreeMonths, t0)), 4.8 + 4.8*10/31, 4.8*21/31 + 4.8, 1 + 10.0/31, 1 + 10.0/31, 0},
		// Started a month before the window and deleted at term end: all
		// of it is before.
		{"before the window, deleted", deleted(reserve(1000, 1000, pricing.TermOneMonth, t0.AddDate(0, -1, 0))), 0, 0, 0, 0, 0},
		// Renewed, it runs through the window.
		{"before the window, renewed", reserve(1000, 1000, pricing.TermOneMonth, t0.AddDate(0, -1, 0)), 6 + 6*10.0/31, 6 * 21.0 / 31, 1 + 10.0/31, 1 + 10.0/31, 6},
		// Starts mid-window, on Dec 1: Dec 1 - Jan 1 is 31 days, 11 inside.
		{"starts inside", deleted(reserve(2000, 1000, pricing.TermOneMonth, t0.AddDate(0, 0, 29))), 7 * 11.0 / 31, 7 * 20.0 / 31, 2 * 11.0 / 31, 11.0 / 31, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := plan()
			p.Reserved = []Reservation{c.r}
			r, err := Replay(s, p, reservedOffer(), Options{})
			if err != nil {
				t.Fatal(err)
			}
			tot := r.Totals
			if tot.ResCost != usd(c.in) {
				t.Errorf("billed in the window %s, want %s", tot.ResCost, usd(c.in))
			}
			if d := tot.ReservedAfterWindow - usd(c.after); d < -1 || d > 1 {
				t.Errorf("owed after the window %s, want %s", tot.ReservedAfterWindow, usd(c.after))
			}
			if tot.RenewingPerMonth != usd(c.renewing) {
				t.Errorf("renewing %s a month, want %s", tot.RenewingPerMonth, usd(c.renewing))
			}
			if !near(tot.ResInputKTPMMonths, c.inKTPMMonths) || !near(tot.ResOutputKTPMMonths, c.outKTPMMonths) {
				t.Errorf("1K-TPM-months %v/%v, want %v/%v", tot.ResInputKTPMMonths, tot.ResOutputKTPMMonths, c.inKTPMMonths, c.outKTPMMonths)
			}
			var sum pricing.Money
			for i := range s.Start {
				sum += r.Intervals.ResCost[i]
			}
			if sum != tot.ResCost {
				t.Errorf("intervals add up to %s, total %s", sum, tot.ResCost)
			}
		})
	}
}

// TestReservedRefuses checks every bad reservation gets its message.
func TestReservedRefuses(t *testing.T) {
	s := series(t0, time.Minute, [3]float64{1, 10, 10})
	unpriced := reservedOffer()
	unpriced.Reserved.ThreeMonths = nil
	cases := []struct {
		name  string
		r     Reservation
		offer pricing.Offer
		want  string
	}{
		{"negative", reserve(-1000, 1000, pricing.TermOneMonth, t0), reservedOffer(), "reserved[0].input_tpm: -1000 is not a number of tokens per minute"},
		{"below the minimum", reserve(50, 1000, pricing.TermOneMonth, t0), reservedOffer(), "below the smallest reservation sold (100 input, 10 output TPM)"},
		{"unknown term", reserve(1000, 1000, pricing.TermSixMonths, t0), reservedOffer(), `reserved[0].term: "six_months" is not one_month or three_months`},
		{"no price", reserve(1000, 1000, pricing.TermThreeMonths, t0), unpriced, "the Reserved tier has no 3-month price for test.model in us-east-1"},
		{"no offer", reserve(1000, 1000, pricing.TermOneMonth, t0), testOffer(), "the Reserved tier has no 1-month price"},
		{"no start", reserve(1000, 1000, pricing.TermOneMonth, time.Time{}), reservedOffer(), "reserved[0].start: missing"},
	}
	for _, c := range cases {
		p := plan()
		p.Reserved = []Reservation{c.r}
		_, err := Replay(s, p, c.offer, Options{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", c.name, err, c.want)
		}
	}
}

// reservedInstance is a random problem small enough to enumerate every
// reservation on the 1K-TPM grid: two hours of 1- or 5-minute data (5-minute
// data with a burst model), Reserved prices around the break-even, random
// minimums and sometimes a TPM quota that a throttle-free plan must
// reserve above.
func reservedInstance(rng *rand.Rand) Env {
	period := []time.Duration{time.Minute, 5 * time.Minute}[rng.IntN(2)]
	n := int(2 * time.Hour / period)
	s := &workload.Series{ModelID: "test.model", Region: "us-east-1", Period: period}
	// Input and output peaks of different shape, so that the best
	// reservation is not on one ray.
	for i := range n {
		s.Start = append(s.Start, t0.Add(time.Duration(i)*period).Unix())
		s.Invocations = append(s.Invocations, 10)
		s.InputTokens = append(s.InputTokens, rng.Float64()*30_000*period.Minutes())
		s.OutputTokens = append(s.OutputTokens, math.Pow(rng.Float64(), 2)*15_000*period.Minutes())
	}
	o := reservedOffer()
	// One TPM of input held for two hours saves at most $1/1M × 120
	// minutes; the month has 360 two-hour windows: break-even near $43
	// per 1K TPM-month for input and $86 for output.
	price := func(v float64) *pricing.Price { return &pricing.Price{USD: v, Source: "test", AsOf: "2026-11-01"} }
	o.Reserved.OneMonth = &pricing.ReservedPrices{InputPer1KTPMMonth: price(5 + rng.Float64()*50), OutputPer1KTPMMonth: price(10 + rng.Float64()*100)}
	o.Reserved.ThreeMonths = nil
	o.Reserved.MinInputTPM = []float64{0, 1000, 5000, 12000}[rng.IntN(4)]
	o.Reserved.MinOutputTPM = []float64{0, 1000, 4000}[rng.IntN(3)]
	if rng.IntN(3) == 0 {
		o.Quotas.TPM = f64(20_000 + rng.Float64()*20_000)
	}
	env := Env{Series: s, Offer: o, TimeZone: time.UTC}
	if period > time.Minute {
		env.Options.Burst = Burst{Ratio: 1 + rng.Float64()*3}
	}
	return env
}

// TestReservedOptimiserMatchesBruteForce checks that the Reserved sizing
// finds the cheapest throttle-free reservation that every (A, B) on the
// 1K-TPM grid, replayed, gives, including cases where the minimums and the
// quota decide.
func TestReservedOptimiserMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for k := range 60 {
		env := reservedInstance(rng)
		o := env.Offer
		// Up to the busiest minute's rates, which the burst model raises.
		ratio := max(1, env.Options.Burst.Ratio)
		var maxA, maxB float64
		for i := range env.Series.Start {
			maxA = max(maxA, env.Series.InputTokens[i]*ratio/env.Series.Period.Minutes())
			maxB = max(maxB, env.Series.OutputTokens[i]*ratio/env.Series.Period.Minutes())
		}
		best, bestA, bestB := pricing.Money(math.MaxInt64), -1.0, -1.0
		for a := 0.0; a <= maxA+ReservedStep; a += ReservedStep {
			for b := 0.0; b <= maxB+ReservedStep; b += ReservedStep {
				if (a > 0 || b > 0) && (a < o.Reserved.MinInputTPM || b < o.Reserved.MinOutputTPM || a == 0 || b == 0) {
					continue
				}
				p := Plan{ModelID: "test.model", Region: "us-east-1", Routing: RouteSpillover,
					Reserved: CoverReserved(a, b, pricing.TermOneMonth, env.Series.Time(0), env.Series.End())}
				tot, err := ReplayTotals(env.Series, p, o, env.Options)
				if err != nil {
					t.Fatal(err)
				}
				if tot.ThrottledRequests > 1e-6 {
					continue
				}
				if c := tot.Total(); c < best {
					best, bestA, bestB = c, a, b
				}
			}
		}
		opt, err := Optimise(env, OptimiseOptions{Products: []pricing.Product{pricing.ProductReserved}})
		if err != nil {
			t.Fatal(err)
		}
		got, err := ReplayTotals(env.Series, opt.Plan, o, env.Options)
		if err != nil {
			t.Fatal(err)
		}
		// Costs equal to a few micro-dollars (the sizing sums in floats,
		// the replay in rounded money).
		if d := got.Total() - best; d > 5 || d < -5 || got.ThrottledRequests > 1e-6 {
			var a, b float64
			if opt.Reserve != nil {
				a, b = opt.Reserve.InputTPM, opt.Reserve.OutputTPM
			}
			t.Errorf("case %d: optimiser reserves %v/%v for %s (throttled %v), brute force %v/%v for %s", k, a, b, got.Total(), got.ThrottledRequests, bestA, bestB, best)
		}
	}
}

// withReserved adds a Reserved offer to env at the given 1-month prices
// per 1K TPM-month (none when both are 0) with the Reserved tier's real
// minimums.
func withReserved(env Env, in, out float64) Env {
	o := env.Offer
	o.Reserved = &pricing.ReservedOffer{MinInputTPM: 100_000, MinOutputTPM: 10_000, Source: "test", AsOf: "2026-11-01"}
	if in > 0 || out > 0 {
		price := func(v float64) *pricing.Price { return &pricing.Price{USD: v, Source: "test", AsOf: "2026-11-01"} }
		o.Reserved.OneMonth = &pricing.ReservedPrices{InputPer1KTPMMonth: price(in), OutputPer1KTPMMonth: price(out)}
	}
	env.Offer = o
	return env
}

// TestReservedBreakEvenPrice: at the break-even price the reservation it
// names costs what on-demand costs, to the cent; 1% below it the
// optimiser reserves and saves, 1% above it reserves nothing.
func TestReservedBreakEvenPrice(t *testing.T) {
	env := withReserved(demoEnv(t, 14), 0, 0)
	a, err := Analyse(env, nil)
	if err != nil {
		t.Fatal(err)
	}
	be := a.ReservedBreakEven
	if be == nil || be.Never {
		t.Fatalf("no break-even price: %+v", be)
	}
	if st := a.Strategy(StrategyReserved); st == nil || !st.Skipped || st.Note.Code != NoteReservedPriceUnknown {
		t.Errorf("reserved strategy without prices: %+v", st)
	}
	// The break-even prices keep the ratio of the on-demand prices.
	prices := env.Offer.OnDemand
	if !near(be.OutputPer1KTPMMonth/be.InputPer1KTPMMonth, prices.OutputPer1M.USD/prices.InputPer1M.USD) {
		t.Errorf("break-even prices %v / %v are not in the on-demand ratio", be.InputPer1KTPMMonth, be.OutputPer1KTPMMonth)
	}
	at := withReserved(env, be.InputPer1KTPMMonth, be.OutputPer1KTPMMonth)
	s := env.Series
	od, err := ReplayTotals(s, Plan{ModelID: s.ModelID, Region: s.Region, Routing: RouteSpillover}, at.Offer, Options{})
	if err != nil {
		t.Fatal(err)
	}
	p := Plan{ModelID: s.ModelID, Region: s.Region, Routing: RouteSpillover,
		Reserved: CoverReserved(be.InputTPM, be.OutputTPM, pricing.TermOneMonth, s.Time(0), s.End())}
	res, err := ReplayTotals(s, p, at.Offer, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if d := res.Total() - od.Total(); d > 10_000 || d < -10_000 {
		t.Errorf("at the break-even price the reservation %v/%v costs %s, on-demand %s", be.InputTPM, be.OutputTPM, res.Total(), od.Total())
	}
	for _, c := range []struct {
		scale float64
		buys  bool
	}{{0.99, true}, {1.01, false}} {
		e := withReserved(env, c.scale*be.InputPer1KTPMMonth, c.scale*be.OutputPer1KTPMMonth)
		o, err := Optimise(e, OptimiseOptions{Products: []pricing.Product{pricing.ProductReserved}})
		if err != nil {
			t.Fatal(err)
		}
		if (o.Reserve != nil) != c.buys {
			t.Errorf("at %.2f× the break-even price the optimiser reserves %+v", c.scale, o.Reserve)
		}
	}
}

// TestStackedRecommendation: on the seed's office traffic with a Reserved
// price below what a 6-month MU costs per TPM, the cheapest plan stacks a
// Reserved base under scheduled office-hours PT, and it costs less than
// either product alone.
func TestStackedRecommendation(t *testing.T) {
	env := withReserved(demoEnv(t, 14), 4, 12)
	a, err := Analyse(env, nil)
	if err != nil {
		t.Fatal(err)
	}
	rec, res := a.Strategy(StrategyRecommended), a.Strategy(StrategyReserved)
	if rec.Reserve == nil || !rec.BuysPT() {
		t.Fatalf("recommended %s; want a Reserved base and PT", planText(rec.Plan))
	}
	ptOnly, err := Optimise(env, OptimiseOptions{Products: []pricing.Product{pricing.ProductPT}})
	if err != nil {
		t.Fatal(err)
	}
	pt, err := ReplayTotals(env.Series, ptOnly.Plan, env.Offer, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rec.Totals.Total() >= res.Totals.Total() || rec.Totals.Total() >= pt.Total() {
		t.Errorf("stacked %s, Reserved alone %s, PT alone %s", rec.Totals.Total(), res.Totals.Total(), pt.Total())
	}
	if rec.Totals.ThrottledRequests != 0 {
		t.Errorf("stacked plan throttles %v", rec.Totals.ThrottledRequests)
	}
	t.Logf("stacked: %s for %s; Reserved alone %s; PT alone %s", planText(rec.Plan), rec.Totals.Total(), res.Totals.Total(), pt.Total())
}

// TestReservedRefusedPastEndOfLife: a reservation whose term would
// outlive the model's end of life is refused, in the recommendation and
// in the term risk; a shorter one is still sized.
func TestReservedRefusedPastEndOfLife(t *testing.T) {
	env := withReserved(demoEnv(t, 14), 4, 12)
	env.Offer.Reserved.ThreeMonths = env.Offer.Reserved.OneMonth
	env.Offer.PT = nil
	// End of life six weeks after the history: 1 month fits, 3 do not.
	env.Offer.Lifecycle.EOL = env.Series.End().AddDate(0, 0, 42).Format("2006-01-02")
	o, err := Optimise(env, OptimiseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if o.Reserve == nil || o.Reserve.Term != pricing.TermOneMonth || !slices.ContainsFunc(o.Notes, func(n Note) bool {
		return n.Code == NoteOutlivesEOL && n.Product == pricing.ProductReserved && n.Term == pricing.TermThreeMonths && n.Start.Equal(env.Series.End())
	}) {
		t.Errorf("reserve %+v, notes %+v", o.Reserve, o.Notes)
	}
	fc, err := workload.FitForecast(env.Series, env.TimeZone)
	if err != nil {
		t.Fatal(err)
	}
	risk, err := AssessRisk(env, fc, o, RiskOptions{Scenarios: 20, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if r := risk.Row(RiskReserved3); r == nil || !r.Refused || r.Note.Code != NoteOutlivesEOL || r.Note.Product != pricing.ProductReserved {
		t.Errorf("3-month row %+v", r)
	}
	if r := risk.Row(RiskReserved1); r == nil || r.Refused || r.Reserve == nil {
		t.Errorf("1-month row %+v", r)
	}
}

// TestRiskPTRowsBuyPT: with Reserved prices on offer, the PT rows of the
// term risk still price PT alone (a Reserved candidate must not displace
// the MUs they are about).
func TestRiskPTRowsBuyPT(t *testing.T) {
	plain := demoEnv(t, 14)
	fc, err := workload.FitForecast(plain.Series, plain.TimeZone)
	if err != nil {
		t.Fatal(err)
	}
	withRes := withReserved(plain, 4, 12)
	withRes.Offer.Reserved.ThreeMonths = withRes.Offer.Reserved.OneMonth
	for _, name := range []string{RiskRolling, RiskSixMonths} {
		var mus []int
		for _, env := range []Env{plain, withRes} {
			r, err := AssessRisk(env, fc, nil, RiskOptions{Scenarios: 10, Seed: 1})
			if err != nil {
				t.Fatal(err)
			}
			mus = append(mus, r.Row(name).CommittedMU)
		}
		if mus[0] != mus[1] || mus[0] == 0 {
			t.Errorf("%s: %d MU without Reserved prices, %d with", name, mus[0], mus[1])
		}
	}
}
