package sim

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/workload"
)

// randomCase builds a random series, offer and plan: bursty demand,
// sometimes with cache tokens, random quotas, committed and scheduled PT,
// sometimes PT windows, either routing.
func randomCase(rng *rand.Rand) (*workload.Series, pricing.Offer, Plan) {
	period := []time.Duration{time.Minute, 5 * time.Minute, time.Hour}[rng.IntN(3)]
	n := 1 + rng.IntN(400)
	s := &workload.Series{ModelID: "test.model", Region: "us-east-1", Period: period}
	start := t0.Add(time.Duration(rng.IntN(7*24)) * time.Hour)
	for i := range n {
		r := math.Floor(rng.ExpFloat64() * 20)
		if rng.IntN(8) == 0 {
			r = 0
		}
		s.Start = append(s.Start, start.Add(time.Duration(i)*period).Unix())
		s.Invocations = append(s.Invocations, r)
		s.InputTokens = append(s.InputTokens, r*rng.Float64()*2000*period.Minutes())
		s.OutputTokens = append(s.OutputTokens, r*rng.Float64()*500*period.Minutes())
	}
	o := testOffer()
	if rng.IntN(3) == 0 {
		for i := range n {
			s.CacheRead = append(s.CacheRead, s.InputTokens[i]*rng.Float64())
			s.CacheWrite = append(s.CacheWrite, s.InputTokens[i]*rng.Float64()/4)
		}
		o.OnDemand.CacheReadPer1M, o.OnDemand.CacheWritePer1M = &pricing.Price{USD: 0.1}, &pricing.Price{USD: 1.25}
	}
	if rng.IntN(2) == 0 {
		o.Quotas.TPM = f64(1000 + rng.Float64()*20000)
	}
	if rng.IntN(2) == 0 {
		o.Quotas.RPM = f64(1 + rng.Float64()*30)
	}
	if rng.IntN(2) == 0 {
		o.Quotas.OutputBurndown = f64(5)
	}
	p := plan()
	if rng.IntN(2) == 0 {
		p.Routing = RouteProvisionedOnly
	}
	if k := rng.IntN(4); k > 0 {
		p.Committed = CoverWindow(k, pricing.ProductPT.Terms()[rng.IntN(3)], start.Add(-time.Duration(rng.IntN(48))*time.Hour), s.End())
	}
	if rng.IntN(2) == 0 {
		from := Clock(rng.IntN(24) * 60)
		p.Scheduled = []Scheduled{{ModelUnits: 1 + rng.IntN(3), Window: Window{Days: weekdays(), From: from, To: (from+Clock(60+rng.IntN(600)))%1440 + 1}}}
	}
	if rng.IntN(4) == 0 {
		from := Clock(rng.IntN(24) * 60)
		p.PTWindows = []Window{{Days: weekdays(), From: from, To: (from+Clock(60+rng.IntN(900)))%1440 + 1}}
	}
	return s, o, p
}

// TestReplayProperties: on random inputs, with and without a burst model,
// per-interval results add up to the totals (costs exactly), costs are
// never negative, the PT share stays in [0, 1], every request is served
// by PT, on-demand or throttled, and a totals-only replay gives the same
// totals.
func TestReplayProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for k := range 300 {
		s, o, p := randomCase(rng)
		opt := Options{LeadTime: time.Duration(rng.IntN(30)) * time.Minute}
		if rng.IntN(2) == 0 {
			opt.Burst.Ratio = 1 + 5*rng.Float64()
		}
		r, err := Replay(s, p, o, opt)
		if err != nil {
			t.Fatalf("case %d: %v", k, err)
		}
		iv, tot := r.Intervals, r.Totals
		var pt, od pricing.Money
		var req, thr float64
		for i := range s.Start {
			if iv.PTCost[i] < 0 || iv.ODCost[i] < 0 {
				t.Fatalf("case %d interval %d: negative cost %s + %s", k, i, iv.PTCost[i].Decimal(), iv.ODCost[i].Decimal())
			}
			if f := iv.PTShare[i]; !(f >= 0 && f <= 1) {
				t.Fatalf("case %d interval %d: PT share %v outside [0, 1]", k, i, f)
			}
			if got := iv.PTRequests[i] + iv.ODRequests[i] + iv.Throttled[i]; math.Abs(got-s.Invocations[i]) > 1e-9*math.Max(1, got) {
				t.Fatalf("case %d interval %d: %v requests accounted for, %v arrived", k, i, got, s.Invocations[i])
			}
			pt += iv.PTCost[i]
			od += iv.ODCost[i]
			req += iv.PTRequests[i] + iv.ODRequests[i]
			thr += iv.Throttled[i]
		}
		if pt != tot.PTCost || od != tot.ODCost {
			t.Fatalf("case %d: intervals add up to %s + %s, totals are %s + %s", k, pt.Decimal(), od.Decimal(), tot.PTCost.Decimal(), tot.ODCost.Decimal())
		}
		if math.Abs(thr-tot.ThrottledRequests) > 1e-6*math.Max(1, thr) || math.Abs(req-tot.PTRequests-tot.ODRequests) > 1e-6*math.Max(1, req) {
			t.Fatalf("case %d: interval request sums differ from the totals", k)
		}
		totals, err := ReplayTotals(s, p, o, opt)
		if err != nil {
			t.Fatal(err)
		}
		if totals != tot {
			t.Fatalf("case %d: totals-only replay gives %+v, full replay %+v", k, totals, tot)
		}
	}
}

// TestMoreMUsNeverThrottleMore: adding model units to a plan never raises
// the number of throttled requests, whatever the routing and quotas.
func TestMoreMUsNeverThrottleMore(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for k := range 200 {
		s, o, p := randomCase(rng)
		term := pricing.ProductPT.Terms()[rng.IntN(3)]
		prev := math.Inf(1)
		for n := 0; n <= 6; n++ {
			q := p
			q.Committed = CoverWindow(n, term, s.Time(0), s.End())
			tot, err := ReplayTotals(s, q, o, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if tot.ThrottledRequests > prev+1e-9*math.Max(1, prev) {
				t.Fatalf("case %d (%s): %d MU throttle %v requests, %d MU throttled %v", k, q.Routing, n, tot.ThrottledRequests, n-1, prev)
			}
			prev = tot.ThrottledRequests
		}
	}
}

// TestOnDemandCostIsEveryToken: with no PT and no quotas, every token is
// billed on-demand whatever the burst model, so the cost is the tokens
// times their prices, summed independently here.
func TestOnDemandCostIsEveryToken(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for k := range 100 {
		s, o, _ := randomCase(rng)
		o.Quotas = pricing.Quotas{}
		var want float64
		for i := range s.Start {
			want += s.InputTokens[i]*1e-6 + s.OutputTokens[i]*2e-6
			if s.CacheRead != nil {
				want += s.CacheRead[i]*0.1e-6 + s.CacheWrite[i]*1.25e-6
			}
		}
		for _, ratio := range []float64{0, 3} {
			tot, err := ReplayTotals(s, plan(), o, Options{Burst: Burst{Ratio: ratio}})
			if err != nil {
				t.Fatal(err)
			}
			// Each interval's part is rounded to a nano-dollar.
			if d := math.Abs(tot.ODCost.USD() - want); d > 1e-6+float64(2*s.Len())*1e-9 {
				t.Fatalf("case %d, burst %v: on-demand cost %s, tokens cost %.9f", k, ratio, tot.ODCost.Decimal(), want)
			}
		}
	}
}
