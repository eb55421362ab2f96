package sim

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/workload"
)

// drawScenarioDirect is drawScenario as it was, with a math.Exp for every
// hour's growth factor: the reference its table of factors is held to.
func drawScenarioDirect(fc *workload.Forecast, rng *rand.Rand, slots []int, offset int, migration float64, d demand) int {
	hours := len(d.req)
	g := fc.GrowthPerHour + fc.GrowthSE*rng.NormFloat64()
	leave := hours
	if rng.Float64() < migration {
		leave = int(rng.Float64() * float64(hours))
	}
	req, in, out, slots := d.req[:hours], d.in[:hours], d.out[:hours], slots[:hours]
	for day := 0; day < hours; day += 24 {
		e := fc.DaySigma * rng.NormFloat64()
		dayNoise := math.Exp(e - fc.DaySigma*fc.DaySigma/2)
		for h := day; h < min(day+24, hours); h++ {
			if h >= leave {
				req[h], in[h], out[h] = 0, 0, 0
				continue
			}
			p := &fc.Profile[slots[h]]
			f := math.Exp(g*float64(offset+h)) * dayNoise
			req[h], in[h], out[h] = p[0]*f, p[1]*f, p[2]*f
		}
	}
	return leave
}

// TestDrawScenarioNearDirect: drawScenario, which builds each hour's
// growth factor from the day's and the hour's within it, draws the same
// scenarios as one math.Exp an hour does (the same draws, the same
// migrations, zero where that is zero), every hour's demand within a
// relative (1+|g·x|)·1e-15 of it, x the hours of growth: a few units in
// the last place, the products rounding differently, and the exponents'
// arguments (g·x, and the day's g·x plus its noise, of the order of the
// forecast's DaySigma) rounded to their ulps, which exp turns into
// relative errors of that size. Growth rates up to ±1% an hour (the
// fitted ones are some 1e-4), horizons not a whole number of days,
// offsets.
func TestDrawScenarioNearDirect(t *testing.T) {
	_, base, _ := riskSetup(t)
	for _, c := range []struct {
		growth, se float64
		hours      int
		offset     int
		migration  float64
	}{
		{base.GrowthPerHour, base.GrowthSE, 4380, 0, 0.7},
		{base.GrowthPerHour, base.GrowthSE, 4391, 731, 0},
		{1e-3, 5e-4, 8784, 0, 0.3},
		{-1e-2, 1e-3, 2207, 24 * 40, 1},
		{0, 0, 100, 5, 0},
	} {
		// The largest |g·x| of the case's draws (g within 6 SE).
		tol := (1 + (math.Abs(c.growth)+6*c.se)*float64(c.offset+c.hours)) * 1e-15
		worst := 0.0
		fc := *base
		fc.GrowthPerHour, fc.GrowthSE = c.growth, c.se
		slots := make([]int, c.hours)
		for h := range slots {
			slots[h] = (h * 7) % Slots
		}
		got := demand{req: make([]float64, c.hours), in: make([]float64, c.hours), out: make([]float64, c.hours)}
		want := demand{req: make([]float64, c.hours), in: make([]float64, c.hours), out: make([]float64, c.hours)}
		for k := range 50 {
			gl := drawScenario(&fc, rand.New(rand.NewPCG(9, uint64(k))), slots, c.offset, c.migration, got)
			wl := drawScenarioDirect(&fc, rand.New(rand.NewPCG(9, uint64(k))), slots, c.offset, c.migration, want)
			if gl != wl {
				t.Fatalf("%+v, scenario %d: leaves at %d, directly at %d", c, k, gl, wl)
			}
			for _, p := range [][2][]float64{{got.req, want.req}, {got.in, want.in}, {got.out, want.out}} {
				for h, w := range p[1] {
					g := p[0][h]
					if w == 0 || g == 0 {
						if g != w {
							t.Fatalf("%+v, scenario %d, hour %d: %v, directly %v", c, k, h, g, w)
						}
						continue
					}
					rel := math.Abs(g-w) / w
					worst = max(worst, rel)
					if rel > tol {
						t.Fatalf("%+v, scenario %d, hour %d: %v, directly %v (relative %.3g)", c, k, h, g, w, rel)
					}
				}
			}
		}
		t.Logf("%+v: worst relative difference %.3g (bound %.3g)", c, worst, tol)
	}
}

// BenchmarkDrawScenario draws six months of hourly demand per scenario,
// with a math.Exp an hour (direct) and with drawScenario's table.
func BenchmarkDrawScenario(b *testing.B) {
	env := halfYear(b)
	fc, err := workload.FitForecast(env.Series, env.TimeZone)
	if err != nil {
		b.Fatal(err)
	}
	start := fc.End
	hours := int(pricing.TermSixMonths.End(start).Sub(start) / time.Hour)
	slots := hourSlots(start, hours, fc.Location)
	d := demand{req: make([]float64, hours), in: make([]float64, hours), out: make([]float64, hours)}
	for _, f := range []struct {
		name string
		f    func(*workload.Forecast, *rand.Rand, []int, int, float64, demand) int
	}{{"direct", drawScenarioDirect}, {"table", drawScenario}} {
		b.Run(f.name, func(b *testing.B) {
			k := 0
			for b.Loop() {
				rng := rand.New(rand.NewPCG(1, uint64(k)))
				k++
				f.f(fc, rng, slots, 0, 0.1, d)
			}
		})
	}
}
