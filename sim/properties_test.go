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
// random quotas, committed and scheduled PT, either routing.
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
		p.Committed = CoverWindow(k, pricing.Terms[rng.IntN(3)], start.Add(-time.Duration(rng.IntN(48))*time.Hour), s.End())
	}
	if rng.IntN(2) == 0 {
		from := Clock(rng.IntN(24) * 60)
		p.Scheduled = []Scheduled{{ModelUnits: 1 + rng.IntN(3), Window: Window{Days: weekdays(), From: from, To: (from+Clock(60+rng.IntN(600)))%1440 + 1}}}
	}
	return s, o, p
}

// TestReplayProperties: on random inputs, per-interval results add up to
// the totals (costs exactly), costs are never negative, the PT share stays
// in [0, 1], and every request is served by PT, on-demand or throttled.
func TestReplayProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for k := range 300 {
		s, o, p := randomCase(rng)
		r, err := Replay(s, p, o, Options{LeadTime: time.Duration(rng.IntN(30)) * time.Minute})
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
		totals, err := ReplayTotals(s, p, o, Options{LeadTime: 0})
		if err != nil {
			t.Fatal(err)
		}
		if totals.ODCost < 0 || totals.PTCost < 0 {
			t.Fatalf("case %d: negative totals", k)
		}
	}
}

// TestMoreMUsNeverThrottleMore: adding model units to a plan never raises
// the number of throttled requests, whatever the routing and quotas.
func TestMoreMUsNeverThrottleMore(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for k := range 200 {
		s, o, p := randomCase(rng)
		term := pricing.Terms[rng.IntN(3)]
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
