package sim

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/bedrockplan/bedrockplan/pricing"
)

// randomScenario is hourly demand with the cases the rules treat apart:
// idle hours, requests without tokens, tokens without requests, hours
// far above and far below the capacity.
func randomScenario(rng *rand.Rand, hours int) demand {
	d := demand{req: make([]float64, hours), in: make([]float64, hours), out: make([]float64, hours)}
	for h := range hours {
		scale := math.Exp(rng.NormFloat64()*2) * 1e6
		switch rng.IntN(10) {
		case 0: // idle
		case 1:
			d.req[h] = rng.Float64() * 100
		case 2:
			d.in[h], d.out[h] = rng.Float64()*scale, rng.Float64()*scale/3
		default:
			d.req[h], d.in[h], d.out[h] = rng.Float64()*scale/1000, rng.Float64()*scale, rng.Float64()*scale/3
		}
	}
	return d
}

// randomLayer is an hourly capacity array: absent (nil), all zero, or
// random MU-minutes (or tokens) with idle hours.
func randomLayer(rng *rand.Rand, hours int, scale float64) []float64 {
	switch rng.IntN(5) {
	case 0:
		return nil
	case 1:
		return make([]float64, hours)
	}
	v := make([]float64, hours)
	level := rng.Float64() * scale
	for h := range v {
		if rng.IntN(4) > 0 {
			v[h] = level * float64(1+rng.IntN(3))
		}
	}
	return v
}

func randomServer(rng *rand.Rand) server {
	sv := server{pin: rng.Float64() * 3e-6, pout: rng.Float64() * 15e-6, qtpm: math.Inf(1), qrpm: math.Inf(1), qtpd: math.Inf(1), burn: 1}
	if rng.IntN(5) > 0 { // else throughput unknown
		sv.invCin, sv.invCout = 1/(rng.Float64()*2e6+1e4), 1/(rng.Float64()*6e5+1e3)
	}
	if rng.IntN(2) == 0 {
		sv.qtpm = rng.Float64() * 5e5
	}
	if rng.IntN(2) == 0 {
		sv.qrpm = rng.Float64() * 50
	}
	if rng.IntN(2) == 0 {
		sv.burn = 5
	}
	return sv
}

// TestScenarioCostMatchesReplay: for random hourly demand, plans and
// servers (quotas, unknown throughput, flat and bursty hours), every plan's on-demand cost from scenarioCost is
// the nano-dollar sum a replay of it gives, over any range of hours.
func TestScenarioCostMatchesReplay(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 1))
	const hours = 400
	for trial := range 300 {
		sv := randomServer(rng)
		d := randomScenario(rng, hours)
		burst := Burst{Ratio: []float64{0, 1, 1.7, 30, 200}[rng.IntN(5)]}
		plans := make([]scenarioPlan, 1+rng.IntN(6))
		for k := range plans {
			if k == 0 {
				continue // nothing bought
			}
			pl := scenarioPlan{full: randomLayer(rng, hours, 60*20), part: randomLayer(rng, hours, 60*5), until: rng.IntN(hours + 1)}
			if rng.IntN(3) == 0 {
				pl.resIn, pl.resOut, pl.resUntil = randomLayer(rng, hours, 6e7), randomLayer(rng, hours, 2e7), rng.IntN(hours+1)
				if pl.resIn == nil || pl.resOut == nil {
					pl.resIn, pl.resOut = make([]float64, hours), make([]float64, hours)
				}
			}
			if pl.full == nil {
				pl.part = nil
			}
			plans[k] = pl
		}
		lo := rng.IntN(hours / 2)
		hi := lo + rng.IntN(hours-lo+1)
		if trial%3 == 0 {
			lo, hi = 0, hours
		}
		got := make([]int64, len(plans))
		sv.scenarioCost(d, lo, hi, 60, burst, plans, newScenarioScratch(hours), got)
		for k, pl := range plans {
			mm := make([]float64, hours)
			for h := range mm {
				switch {
				case pl.full == nil:
				case h < pl.until:
					mm[h] = pl.full[h]
				case pl.part != nil:
					mm[h] = pl.part[h]
				}
			}
			part := demand{req: d.req[lo:hi], in: d.in[lo:hi], out: d.out[lo:hi], muMin: mm[lo:hi]}
			if pl.resIn != nil {
				ri, ro := make([]float64, hours), make([]float64, hours)
				for h := range pl.resUntil {
					ri[h], ro[h] = pl.resIn[h], pl.resOut[h]
				}
				part.resIn, part.resOut = ri[lo:hi], ro[lo:hi]
			}
			want := sv.replay(part, 60, burst, nil).odNano
			if got[k] != want {
				t.Fatalf("trial %d, plan %d (hours %d-%d, burst %v, server %+v): scenarioCost %d nano-dollars, replay %d", trial, k, lo, hi, burst.Ratio, sv, got[k], want)
			}
		}
	}
}

// costByReplay is how AssessRisk priced a scenario before scenarioCost:
// each layer kept up to where it stops billing, written into the demand,
// and replayed.
func (l *horizonLayers) costByReplay(sv *server, d demand, leave int, burst Burst) float64 {
	hours := len(d.req)
	d.muMin = make([]float64, hours)
	commitUntil := leave
	if l.commitEnds != nil {
		commitUntil = cut(l.commitEnds, leave)
	}
	commitUntil = min(commitUntil, hours)
	for h := range hours {
		mm := 0.0
		if h < commitUntil {
			mm = l.commit.muMinutes[h]
		}
		if h < leave {
			mm += l.sched.muMinutes[h]
		}
		d.muMin[h] = mm
	}
	usd := l.commitUSD[commitUntil] + l.schedUSD[min(leave, hours)]
	if l.res.resIn != nil {
		resIn, resOut := make([]float64, hours), make([]float64, hours)
		resUntil := min(cut(l.resEnds, leave), hours)
		for h := range resUntil {
			resIn[h], resOut[h] = l.res.resIn[h], l.res.resOut[h]
		}
		d.resIn, d.resOut = resIn, resOut
		usd += l.resUSD[resUntil]
	}
	return usd + float64(sv.replay(d, 60, burst, nil).odNano)/nanoPerUSD
}

// TestRiskScenarioMatchesReplay: the term-risk plans (committed PT of
// each term, scheduled PT, a Reserved layer, and together) priced in
// scenarios with and without migration cost what replaying each one
// costs, to the bit.
func TestRiskScenarioMatchesReplay(t *testing.T) {
	env, fc, _ := riskSetup(t)
	o := reservedOffer()
	o.OnDemand.CacheWritePer1M = nil
	o.Throughput = env.Offer.Throughput
	start := fc.End
	hours := int(pricing.TermSixMonths.End(start).Sub(start) / time.Hour)
	slots := make([]int, hours)
	for h := range hours {
		slots[h] = SlotOf(start.Add(time.Duration(h)*time.Hour), fc.Location)
	}
	var sched [Slots]int
	for s := range sched {
		if s%7 < 3 {
			sched[s] = 1 + s%3
		}
	}
	res := &Reserve{InputTPM: 150_000, OutputTPM: 20_000, Term: pricing.TermThreeMonths}
	plans := []riskPlan{{}, {committed: 1, term: pricing.TermOneMonth}, {committed: 2, term: pricing.TermSixMonths},
		{sched: sched}, {committed: 1, term: pricing.TermNone, sched: sched}, {reserve: res}, {committed: 1, term: pricing.TermOneMonth, sched: sched, reserve: res}}
	var layers []*horizonLayers
	for _, p := range plans {
		l, err := p.lay(o, start, hours, fc.Location)
		if err != nil {
			t.Fatal(err)
		}
		layers = append(layers, l)
	}
	sv := newServer(o, RouteSpillover)
	d := demand{req: make([]float64, hours), in: make([]float64, hours), out: make([]float64, hours)}
	sc := newScenarioScratch(hours)
	for _, burst := range []Burst{{}, {Ratio: 2.5}} {
		for k := range 40 {
			rng := rand.New(rand.NewPCG(3, uint64(k)))
			leave := drawScenario(fc, rng, slots, 0, 0.7, d)
			pls := make([]scenarioPlan, len(layers))
			usd := make([]float64, len(layers))
			nano := make([]int64, len(layers))
			for i, l := range layers {
				pls[i], usd[i] = l.scenario(leave, hours)
			}
			sv.scenarioCost(d, 0, min(leave, hours), 60, burst, pls, sc, nano)
			for i, l := range layers {
				got := usd[i] + float64(nano[i])/nanoPerUSD
				if want := l.costByReplay(&sv, d, leave, burst); got != want {
					t.Fatalf("scenario %d (leaves at %d of %d), plan %+v: %v, by replay %v", k, leave, hours, plans[i], got, want)
				}
			}
		}
	}
}

// TestCostCurveSharesReplaysExactly: the cost curve, whose terms share a
// replay per MU count, gives every point's totals exactly as replaying
// that point alone does, with and without a burst model and existing
// commitments.
func TestCostCurveSharesReplaysExactly(t *testing.T) {
	env := demoEnv(t, 21)
	start, end := env.Series.Time(0), env.Series.End()
	for _, c := range []struct {
		burst Burst
		base  []Commitment
	}{{}, {burst: Burst{Ratio: 1.8}, base: CoverWindow(1, pricing.TermOneMonth, start, end)}} {
		env.Options.Burst = c.burst
		base := Plan{ModelID: env.Offer.ModelID, Region: env.Offer.Region, TimeZone: env.TimeZone, Routing: RouteSpillover, Committed: c.base}
		curve, err := scanCommitted(env, base, 6)
		if err != nil {
			t.Fatal(err)
		}
		if len(curve) != 7*len(offeredTerms(env.Offer)) {
			t.Fatalf("%d points", len(curve))
		}
		for _, pt := range curve {
			p := base
			p.Committed = append(slices.Clone(base.Committed), EndAs(CoverWindow(pt.MU, pt.Term, start, end), env.Optimise.AtTermEnd.Or(TermEndRenew))...)
			want, err := ReplayTotals(env.Series, p, env.Offer, env.Options)
			if err != nil {
				t.Fatal(err)
			}
			if pt.Totals != want {
				t.Errorf("%d MU %s: %+v, alone %+v", pt.MU, pt.Term, pt.Totals, want)
			}
		}
	}
}
