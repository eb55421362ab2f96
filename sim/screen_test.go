package sim

import (
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/workload"
)

// TestScreenMatchesOld: on random slot models (idle parts, quotas,
// Reserved shares, whole and fractional existing MUs) and random prices,
// screen decides every level as the old screen did, every saving and
// cost to the bit.
func TestScreenMatchesOld(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 13))
	for trial := range 300 {
		n := 1 + rng.IntN(2000)
		sm := &slotModel{slot: make([]int, n), c: make([]float64, n), r: make([]float64, n), a: make([]float64, n),
			q: make([]float64, n), e: make([]float64, n)}
		fractional := rng.IntN(4) == 0
		if rng.IntN(3) == 0 {
			sm.rho = make([]float64, n)
		}
		for i := range n {
			sm.slot[i] = rng.IntN(Slots)
			sm.used[sm.slot[i]] = true
			sm.c[i] = rng.Float64() * 3
			sm.r[i] = math.Floor(rng.Float64() * 50)
			sm.a[i] = math.Inf(1)
			if rng.IntN(8) > 0 {
				sm.a[i] = 0.02 + rng.Float64()*1.5
			}
			sm.q[i] = math.Inf(1)
			if rng.IntN(3) == 0 {
				sm.q[i] = rng.Float64() * 2
			}
			if rng.IntN(4) == 0 {
				sm.e[i] = float64(rng.IntN(3))
				if fractional {
					sm.e[i] += rng.Float64()
				}
			}
			if sm.rho != nil {
				sm.rho[i] = rng.Float64()
			}
		}
		for sl := range Slots {
			sm.hours[sl] = float64(rng.IntN(60))
		}
		sm.commitHours = float64(100 + rng.IntN(9000))
		J := rng.IntN(40)
		term := []pricing.Term{"", pricing.TermNone, pricing.TermOneMonth, pricing.TermSixMonths}[rng.IntN(4)]
		pc, pn := rng.Float64()*0.01, rng.Float64()*0.02
		schedule, minMU := rng.IntN(3) > 0, rng.IntN(3)
		got, want := sm.screen(J, term, pc, schedule, pn, minMU), sm.oldScreen(J, term, pc, schedule, pn, minMU)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("trial %d: screen gives\n%+v\nthe old one\n%+v", trial, got, want)
		}
	}
}

// oldScreen is screen as it was before it worked out o(m-1) once per
// part (34e28e7), kept to hold the new one to it.
func (sm *slotModel) oldScreen(J int, commitTerm pricing.Term, pc float64, schedule bool, pn float64, minMU int) *Optimum {
	res := &Optimum{Feasible: true}
	// big makes a level that some interval of a slot cannot do without
	// worth more than any price.
	const big = 1e15
	committedDone := false
	// active lists the parts that still overflow the levels decided so
	// far. Once a level carries all of a part, every later level adds
	// exactly zero saving and zero throttling for it, so it is dropped and
	// each level scans only the parts still overflowing: on a year of
	// minutes most parts need a few of the thirty-odd levels. That holds
	// when the MUs in service are whole numbers (m-1 of a later level is
	// then at least this level's m); parts with fractional existing MUs
	// stay in. The order of the sums is unchanged, so are the savings.
	active := make([]int32, len(sm.c))
	for i := range active {
		active[i] = int32(i)
	}
	for j := 1; j <= J; j++ {
		var saving, sched [Slots]float64
		var mandatory [Slots]bool
		keep := active[:0]
		for _, i := range active {
			m := sm.e[i] + float64(j)
			rest := sm.overflow(int(i), m)
			v := sm.c[i] * (sm.overflow(int(i), m-1) - rest)
			saving[sm.slot[i]] += v
			if sm.thr(int(i), m-1) > 1e-9 {
				mandatory[sm.slot[i]] = true
			}
			if rest > 0 || sm.e[i] != math.Trunc(sm.e[i]) {
				keep = append(keep, i)
			}
		}
		active = keep
		lv := Level{MU: j, Layer: "none"}
		var valueCommit, valueSched float64
		feasibleSched := true
		for sl := range Slots {
			if !sm.used[sl] {
				continue
			}
			lv.Saving += saving[sl]
			sv := saving[sl]
			if mandatory[sl] {
				sv += big
			}
			valueCommit += sv
			cost := pn * sm.hours[sl]
			if schedule && sv > cost {
				valueSched += sv - cost
				sched[sl] = 1
			} else if mandatory[sl] {
				feasibleSched = false
			}
		}
		lv.CommittedCost = pc * sm.commitHours
		valueCommit -= lv.CommittedCost
		canCommit := commitTerm != "" && !committedDone
		switch {
		case canCommit && (j <= minMU || (valueCommit > 0 && (!feasibleSched || valueCommit >= valueSched))):
			lv.Layer = "committed"
			res.CommittedMU = j
		case feasibleSched && valueSched > 0:
			committedDone = true
			lv.Layer = "scheduled"
			for sl := range Slots {
				if sched[sl] > 0 && res.Scheduled[sl] == j-1-res.CommittedMU {
					res.Scheduled[sl]++
					lv.ScheduledSlots++
					lv.ScheduledSaving += saving[sl]
					lv.ScheduledCost += pn * sm.hours[sl]
				}
			}
		default:
			committedDone = true
			for sl := range Slots {
				if mandatory[sl] {
					res.Feasible = false
				}
			}
		}
		if lv.Layer != "committed" {
			committedDone = true
		}
		res.Levels = append(res.Levels, lv)
	}
	if res.CommittedMU > 0 {
		res.CommittedTerm = commitTerm
	}
	return res
}

// TestShareOfMUMatchesOld: on random series (idle intervals, cache
// writes, flat and bursty), shareOfMU gives the old shares to the bit,
// in new space or in a buffer written before.
func TestShareOfMUMatchesOld(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 8))
	var buf []float64
	for trial := range 200 {
		period := []time.Duration{time.Minute, 5 * time.Minute, time.Hour}[rng.IntN(3)]
		s := &workload.Series{Period: period}
		n := 1 + rng.IntN(500)
		for range n {
			in, out := 0.0, 0.0
			if rng.IntN(5) > 0 {
				in, out = rng.Float64()*1e6*math.Exp(rng.NormFloat64()*3), rng.Float64()*3e5
			}
			s.InputTokens = append(s.InputTokens, in)
			s.OutputTokens = append(s.OutputTokens, out)
		}
		if rng.IntN(3) == 0 {
			for range n {
				s.CacheWrite = append(s.CacheWrite, rng.Float64()*1e4)
			}
		}
		sm := &slotModel{series: s}
		if rng.IntN(2) == 0 {
			sm.burst = Burst{Ratio: 1 + rng.Float64()*5}
		}
		tp := pricing.Throughput{InputTPM: rng.Float64() * 2e6, OutputTPM: rng.Float64() * 6e5}
		want := oldShareOfMU(sm, tp)
		for _, got := range [][]float64{sm.shareOfMU(tp, nil), sm.shareOfMU(tp, buf)} {
			if len(got) != len(want) {
				t.Fatalf("trial %d: %d shares, want %d", trial, len(got), len(want))
			}
			for i := range got {
				if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
					t.Fatalf("trial %d part %d: %v, the old one %v", trial, i, got[i], want[i])
				}
			}
		}
		buf = sm.shareOfMU(tp, buf)
	}
}

// oldShareOfMU is shareOfMU as it was (34e28e7).
func oldShareOfMU(sm *slotModel, tp pricing.Throughput) []float64 {
	s := sm.series
	dt := s.Period.Minutes()
	nparts, w, tau := sm.burst.parts(dt)
	out := make([]float64, 0, s.Len()*nparts)
	for i := range s.Len() {
		in, o := s.InputTokens[i], s.OutputTokens[i]
		if s.CacheWrite != nil {
			in += s.CacheWrite[i]
		}
		a := math.Inf(1)
		if in > 0 {
			a = math.Min(a, tp.InputTPM*dt/in)
		}
		if o > 0 {
			a = math.Min(a, tp.OutputTPM*dt/o)
		}
		for p := range nparts {
			out = append(out, a*tau[p]/w[p])
		}
	}
	return out
}

// TestThrottledWithMatchesThr: throttledWith sums thr(i, ptMU(i)) over
// the parts, to the bit, for no plan and for random ones.
func TestThrottledWithMatchesThr(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 2))
	for range 100 {
		env, opt := smallInstance(rng)
		sm, err := buildSlotModel(env, opt.Existing)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range []*Optimum{nil, {CommittedMU: rng.IntN(3)}} {
			if o != nil {
				for sl := range Slots {
					o.Scheduled[sl] = rng.IntN(3)
				}
			}
			mu := sm.ptMU(o)
			var want float64
			for i := range sm.c {
				want += sm.thr(i, mu(i))
			}
			if got := sm.throttledWith(o); math.Float64bits(got) != math.Float64bits(want) {
				t.Fatalf("throttledWith %v, thr summed %v", got, want)
			}
		}
	}
}
