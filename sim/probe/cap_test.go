package probe_test

import (
	"context"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bedrockplan/bedrockplan/sim/probe"
	"github.com/bedrockplan/bedrockplan/sim/probe/probetest"
)

// behaviour is a way a runtime can count tokens, honest or not.
type behaviour struct {
	name string
	fake func(c probe.Config) probetest.Config
	// beyond is set when the fake bills requests past the bound no
	// tokenizer can pass; the cap can then hold only for the requests
	// sent before the first such answer.
	beyond bool
	stops  string // what the run must stop with ("" when it may run out the budget)
}

var behaviours = []behaviour{
	{"honest", func(probe.Config) probetest.Config { return probetest.Config{} }, false, ""},
	{"input ×1.5", func(probe.Config) probetest.Config { return probetest.Config{InputScale: 1.5} }, false, ""},
	{"input ×3", func(probe.Config) probetest.Config { return probetest.Config{InputScale: 3} }, false, ""},
	{"cache writes", func(probe.Config) probetest.Config { return probetest.Config{CacheWriteTokens: 300} }, false, ""},
	{"negative input", func(probe.Config) probetest.Config { return probetest.Config{ReportInput: "-100000000"} }, false, "negative token counts"},
	{"non-integer input", func(probe.Config) probetest.Config { return probetest.Config{ReportInput: "200.5"} }, false, "could not be read"},
	{"absurd input", func(probe.Config) probetest.Config { return probetest.Config{ReportInput: "2000000000"} }, false, "absurd"},
	{"input ×100", func(probe.Config) probetest.Config { return probetest.Config{InputScale: 100} }, true, "prompt tokens for a prompt of at most"},
	{"output ×10 max", func(c probe.Config) probetest.Config { return probetest.Config{Overshoot: 9 * c.MaxTokens} }, true, "output tokens for a max of"},
	{"cache writes past the bound", func(c probe.Config) probetest.Config { return probetest.Config{CacheWriteTokens: 2 * c.InputBound()} }, true, "prompt tokens for a prompt of at most"},
}

// TestCapProperty: over random caps, prices, prompt sizes, concurrency,
// APIs and runtimes that miscount (1.5×, 3×, 100× input, output past
// max tokens, cache writes, negative, non-integer and absurd counts,
// misbehaving from the first request or after a few honest ones),
// neither the spend the probe records nor what the fake bills passes the
// cap while the fake bills within the bound any tokenizer keeps. A fake
// that bills past it stops the run on its first such answer, and only
// the requests already in flight then (one, when it misbehaves from the
// start) are billed past it. The probe never records less than the fake
// billed.
func TestCapProperty(t *testing.T) {
	seed := uint64(20260815)
	rng := rand.New(rand.NewPCG(seed, 1))
	trials := 60
	if testing.Short() {
		trials = 20
	}
	apis := []string{probe.APIConverse, probe.APIConverseStream, probe.APIInvoke}
	worst := map[bool]float64{} // beyond the bound or not → worst fake bill / cap
	for trial := range trials {
		b := behaviours[trial%len(behaviours)]
		c := probe.Config{Target: "amazon.titan-text-express-v1", API: apis[rng.IntN(len(apis))], Shape: probe.ShapeConcurrency,
			Concurrency: 1 + rng.IntN(12), InputTokens: 20 + rng.IntN(400), MaxTokens: 5 + rng.IntN(200), Duration: 5 * time.Second,
			InputPer1M: 0.1 + 5*rng.Float64(), OutputPer1M: 0.5 + 25*rng.Float64()}
		c.CacheWritePer1M = 1.25 * c.InputPer1M
		per := c.MaxCostPerRequest()
		c.MaxCostUSD = per * (0.5 + 25*rng.Float64())
		fc := b.fake(c)
		fc.Base = time.Millisecond
		if rng.IntN(2) == 1 {
			fc.MisbehaveAfter = 1 + rng.IntN(8)
		}
		fake := probetest.New(fc)
		res, err := probe.Run(context.Background(), &probe.Bedrock{API: runtime(fake), Target: c.Target, Mode: c.API}, c)
		fake.Close()
		if err != nil {
			t.Fatal(err)
		}
		bill := fake.Billed()
		billed := c.Cost(bill.Input, 0, bill.CacheWrite, bill.Output)
		desc := func() string {
			return b.name + " via " + c.API + ", concurrency " + strconv.Itoa(c.Concurrency) + ", misbehaving after " + strconv.Itoa(fc.MisbehaveAfter) + ": stopped " + res.Stopped
		}
		if res.SpentUSD < billed*(1-1e-9) {
			t.Errorf("%s: recorded $%.6f, the fake billed $%.6f", desc(), res.SpentUSD, billed)
		}
		worst[b.beyond] = math.Max(worst[b.beyond], math.Max(billed, res.SpentUSD)/c.MaxCostUSD)
		mustStop := b.stops != "" && len(fake.Bills()) > fc.MisbehaveAfter
		if mustStop && !strings.Contains(res.Stopped, b.stops) {
			t.Errorf("%s: want a stop with %q", desc(), b.stops)
		}
		if !b.beyond {
			if billed > c.MaxCostUSD*(1+1e-9) || res.SpentUSD > c.MaxCostUSD*(1+1e-9) {
				t.Errorf("%s: cap $%.6f, recorded $%.6f, fake billed $%.6f", desc(), c.MaxCostUSD, res.SpentUSD, billed)
			}
			continue
		}
		// Past the bound: what was billed before the first bad answer,
		// plus the requests in flight then, each at most the bound's cost
		// plus its excess; with no honest answer first, one request alone.
		bills := fake.Bills()
		bad := 0
		excess := 0.0
		for _, bl := range bills {
			if bl.Output > c.MaxTokens || bl.Input+bl.CacheWrite > c.InputBound() {
				bad++
				excess += math.Max(0, c.Cost(bl.Input, 0, bl.CacheWrite, bl.Output)-per)
			}
		}
		inFlight := c.Concurrency
		if fc.MisbehaveAfter == 0 {
			inFlight = 1
		}
		if bad > inFlight || billed > c.MaxCostUSD+excess+1e-12 {
			t.Errorf("%s: %d answers past the bound (at most %d may be in flight); cap $%.6f, fake billed $%.6f, excess $%.6f",
				desc(), bad, inFlight, c.MaxCostUSD, billed, excess)
		}
	}
	t.Logf("seed %d, %d trials: worst spend/cap %.4f within the bound, %.2f for fakes billing past it", seed, trials, worst[false], worst[true])
}
