package sim

import (
	"syscall"
	"testing"
	"time"

	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/workload"
)

// realisticSmall is the seed scenario's busiest stretch, Monday 08:00 to
// 14:00 in Tokyo at 5-minute resolution, with a quota: small enough (six
// hour-of-week slots, a few MUs) for brute force to finish.
func realisticSmall(b *testing.B) (Env, int) {
	cfg := workload.SeedScenario(4)
	cfg.Days = 1
	cfg.Period = 5 * time.Minute
	s, err := workload.Synthesize(cfg)
	if err != nil {
		b.Fatal(err)
	}
	from := 8 * 12
	cut := &workload.Series{ModelID: s.ModelID, Region: s.Region, Period: s.Period, Start: s.Start[from : from+6*12],
		Invocations: s.Invocations[from : from+6*12], InputTokens: s.InputTokens[from : from+6*12], OutputTokens: s.OutputTokens[from : from+6*12]}
	o, err := pricing.Default().Lookup(cfg.ModelID, cfg.Region)
	if err != nil {
		b.Fatal(err)
	}
	o.Throughput = pricing.Throughput{InputTPM: 1_000_000, OutputTPM: 300_000, Provenance: pricing.ProvenanceAssumed}
	tpm := 2_500_000.0
	o.Quotas.TPM = &tpm
	env := Env{Series: cut, Offer: o, TimeZone: cfg.Location, Options: Options{Burst: Burst{Ratio: 1.2}}}
	sm, err := buildSlotModel(env, nil)
	if err != nil {
		b.Fatal(err)
	}
	return env, sm.levels()
}

// BenchmarkOptimiserVsBruteForce times the exact optimiser and brute-force
// enumeration of every plan on the same instance, checks they agree to
// the cent, and reports the speed-up.
func BenchmarkOptimiserVsBruteForce(b *testing.B) {
	env, J := realisticSmall(b)
	t := &testing.T{}
	start := time.Now()
	want, tried := bruteForce(t, env, OptimiseOptions{}, J)
	brute := time.Since(start)
	b.ResetTimer()
	var got *Optimum
	for b.Loop() {
		var err error
		if got, err = Optimise(env, OptimiseOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	tot, err := ReplayTotals(env.Series, got.Plan, env.Offer, env.Options)
	if err != nil {
		b.Fatal(err)
	}
	if d := tot.Total() - want.Total(); d > 10_000 || d < -10_000 {
		b.Fatalf("optimiser %s, brute force %s", tot.Total(), want.Total())
	}
	per := b.Elapsed() / time.Duration(b.N)
	b.ReportMetric(float64(tried), "plans-enumerated")
	b.ReportMetric(float64(brute)/float64(per), "x-faster")
}

// BenchmarkOptimiseHalfYear optimises six months of 5-minute data.
func BenchmarkOptimiseHalfYear(b *testing.B) {
	env := halfYear(b)
	for b.Loop() {
		if _, err := Optimise(env, OptimiseOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func halfYear(b *testing.B) Env {
	cfg := workload.SeedScenario(2)
	cfg.Days = 182
	cfg.Period = 5 * time.Minute
	cfg.GrowthPerWeek = 0.01
	s, err := workload.Synthesize(cfg)
	if err != nil {
		b.Fatal(err)
	}
	o, err := pricing.Default().Lookup(cfg.ModelID, cfg.Region)
	if err != nil {
		b.Fatal(err)
	}
	o.Throughput = pricing.Throughput{InputTPM: 1_000_000, OutputTPM: 300_000, Provenance: pricing.ProvenanceAssumed}
	return Env{Series: s, Offer: o, TimeZone: cfg.Location, Options: Options{Burst: Burst{Ratio: 1.2}}}
}

// BenchmarkRiskHalfYear is the Monte Carlo of recommend: 1,000 scenarios
// of six months, hourly, four strategies.
func BenchmarkRiskHalfYear(b *testing.B) {
	env := halfYear(b)
	fc, err := workload.FitForecast(env.Series, env.TimeZone)
	if err != nil {
		b.Fatal(err)
	}
	opt, err := Optimise(env, OptimiseOptions{})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := AssessRisk(env, fc, opt, RiskOptions{Scenarios: 1000, MigrationRisk: 0.1, Seed: 1, Burst: Burst{Ratio: 1.8}}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRecommendHalfYear is what recommend computes for one model
// with six months of 5-minute data: every strategy, the optimiser, the
// committed cost curve, break-even, the forecast and 1,000 scenarios.
func BenchmarkRecommendHalfYear(b *testing.B) {
	env := halfYear(b)
	for b.Loop() {
		a, err := Analyse(env, nil)
		if err != nil {
			b.Fatal(err)
		}
		fc, err := workload.FitForecast(env.Series, env.TimeZone)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := AssessRisk(env, fc, a.Optimum, RiskOptions{Scenarios: 1000, MigrationRisk: 0.1, Seed: 1, Burst: Burst{Ratio: 1.8}}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOptimiseYear optimises a model-year of 1-minute data, as
// recommend does once for the plan and again for every throughput the
// sensitivity analysis tries.
func BenchmarkOptimiseYear(b *testing.B) {
	s, o, p := yearOfMinutes(b)
	env := Env{Series: s, Offer: o, TimeZone: p.TimeZone}
	defer reportCPU(b, cpuTime())
	for b.Loop() {
		if _, err := Optimise(env, OptimiseOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSensitivityYear is recommend's throughput sensitivity on a
// model-year of 1-minute data: the plan at five throughputs and the
// search for where the optimiser's choice changes.
func BenchmarkSensitivityYear(b *testing.B) {
	s, o, p := yearOfMinutes(b)
	env := Env{Series: s, Offer: o, TimeZone: p.TimeZone}
	base, err := Optimise(env, OptimiseOptions{})
	if err != nil {
		b.Fatal(err)
	}
	defer reportCPU(b, cpuTime())
	for b.Loop() {
		if _, err := ThroughputSensitivity(env, base.Plan, base); err != nil {
			b.Fatal(err)
		}
	}
}

// cpuTime is the CPU time (user and system) the process has used: on a
// machine shared with other work it varies less than wall time does.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU adds the CPU time per run since start to b's figures.
func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric((cpuTime()-start).Seconds()/float64(b.N), "cpu-s/op")
}
