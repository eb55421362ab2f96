package sim

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/workload"
)

// BenchmarkScenarioKernel is the term-risk Monte Carlo's inner loop on
// one goroutine, without the optimiser runs around it: a scenario drawn
// and priced under five plans (nothing, 1- and 6-month commitments of
// the recommended size and one more, and the recommendation), six months
// hourly under a burst model, without quotas (as the account's series)
// and with them.
func BenchmarkScenarioKernel(b *testing.B) {
	for _, quotas := range []bool{false, true} {
		name := "no-quota"
		if quotas {
			name = "quota"
		}
		b.Run(name, func(b *testing.B) {
			env := halfYear(b)
			if !quotas {
				env.Offer.Quotas = pricing.Quotas{}
			}
			fc, err := workload.FitForecast(env.Series, env.TimeZone)
			if err != nil {
				b.Fatal(err)
			}
			rec, err := Optimise(env, OptimiseOptions{})
			if err != nil {
				b.Fatal(err)
			}
			start := fc.End
			hours := int(pricing.TermSixMonths.End(start).Sub(start) / time.Hour)
			slots := hourSlots(start, hours, fc.Location)
			c := max(rec.CommittedMU, 1)
			plans := []riskPlan{{}, {committed: c, term: pricing.TermOneMonth}, {committed: c + 1, term: pricing.TermSixMonths},
				{committed: rec.CommittedMU, term: rec.CommittedTerm, sched: rec.Scheduled, reserve: rec.Reserve}}
			var layers []*horizonLayers
			for _, p := range plans {
				l, err := p.lay(env.Offer, start, hours, fc.Location)
				if err != nil {
					b.Fatal(err)
				}
				layers = append(layers, l)
			}
			sv := newServer(env.Offer, RouteSpillover)
			d := demand{req: make([]float64, hours), in: make([]float64, hours), out: make([]float64, hours)}
			sc := newScenarioScratch(hours)
			pls := make([]scenarioPlan, len(layers))
			nano := make([]int64, len(layers))
			burst := Burst{Ratio: 1.8}
			k := 0
			defer reportCPU(b, cpuTime())
			for b.Loop() {
				rng := rand.New(rand.NewPCG(1, uint64(k)))
				k++
				leave := drawScenario(fc, rng, slots, 0, 0.1, d)
				for i, l := range layers {
					pls[i], _ = l.scenario(leave, hours)
					nano[i] = 0
				}
				sv.scenarioCost(d, 0, min(leave, hours), 60, burst, pls, sc, nano)
			}
		})
	}
}
