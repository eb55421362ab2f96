package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/bedrockplan/bedrockplan/workload"
)

// fetchShapedAccount writes a metrics file of n series shaped as fetch
// leaves them after 455 days: the oldest 392 days hourly, the next 48 at
// 5 minutes, the last 15 at 1 minute (CloudWatch's retention tiers), and a
// pricing file giving every model its MU throughput. The series are the
// two Llama models of the catalogue, each in us-west-2, told apart by
// inference-profile-like ids: each series is its own model id, priced as
// the base model through a catalogue entry of its own.
func fetchShapedAccount(tb testing.TB, dir string, n int) (metrics, prices string) {
	tb.Helper()
	end := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	var series []*workload.Series
	var yaml bytes.Buffer
	yaml.WriteString("models:\n")
	for i := range n {
		id := fmt.Sprintf("test.account-model-%03d", i)
		cfg := workload.SeedScenario(uint64(i + 1))
		cfg.ModelID, cfg.Region = id, "us-west-2"
		cfg.PeakRPM *= 0.5 + float64(i%7)/4
		start := end.AddDate(0, 0, -455)
		for _, tier := range []struct {
			days   int
			period time.Duration
		}{{392, time.Hour}, {48, 5 * time.Minute}, {15, time.Minute}} {
			c := cfg
			c.Start, c.Days, c.Period, c.Seed = start, tier.days, tier.period, cfg.Seed*10+uint64(tier.days)
			s, err := workload.Synthesize(c)
			if err != nil {
				tb.Fatal(err)
			}
			series = append(series, s)
			start = start.AddDate(0, 0, tier.days)
		}
		fmt.Fprintf(&yaml, `  %s:
    name: "account series %d"
    lifecycle: {status: active, source: "test"}
    regions:
      us-west-2:
        on_demand:
          input_per_1m: {usd: 0.72, source: "test: as Llama 3.1 70B", as_of: "2026-11-26"}
          output_per_1m: {usd: 0.72, source: "test: as Llama 3.1 70B", as_of: "2026-11-26"}
        provisioned:
          none: {usd: 24.00, source: "test", as_of: "2026-11-26"}
          one_month: {usd: 21.18, source: "test", as_of: "2026-11-26"}
          six_months: {usd: 13.08, source: "test", as_of: "2026-11-26"}
        mu_throughput: {input_tpm: 1000000, output_tpm: 300000, provenance: assumed, source: "test"}
`, id, i)
	}
	metrics = filepath.Join(dir, "account.csv")
	if err := workload.WriteMetricsFile(metrics, &workload.Metrics{Series: series}, false); err != nil {
		tb.Fatal(err)
	}
	prices = filepath.Join(dir, "prices.yaml")
	if err := os.WriteFile(prices, yaml.Bytes(), 0o644); err != nil {
		tb.Fatal(err)
	}
	return metrics, prices
}

// BenchmarkPortfolio100 plans an account of 100 fetch-shaped series end
// to end (read, plan, risk and cash flow with the default 1000 scenarios,
// every series' report and the account's), on the cores there are. It
// reports the CPU time (user + system, the data's generation left out)
// per run and per series.
func BenchmarkPortfolio100(b *testing.B) {
	dir := b.TempDir()
	series := benchSeries()
	metrics, prices := fetchShapedAccount(b, dir, series)
	n := 0
	var cpu time.Duration
	defer func() {
		if n > 0 {
			b.ReportMetric(cpu.Seconds()/float64(n), "cpu-s/op")
			b.ReportMetric(cpu.Seconds()/float64(n*series), "cpu-s/series")
		}
	}()
	for b.Loop() {
		start := cpuTime()
		out := filepath.Join(dir, "account"+strconv.Itoa(n))
		n++
		var stdout, stderr bytes.Buffer
		if err := run(context.Background(), []string{"recommend", "--metrics", metrics, "--pricing", prices, "--out", out}, &stdout, &stderr); err != nil {
			b.Fatalf("%v\n%s", err, stderr.String())
		}
		cpu += cpuTime() - start
		b.StopTimer()
		os.RemoveAll(out)
		b.StartTimer()
	}
}

// benchSeries is 100, or BEDROCKPLAN_BENCH_SERIES for a quicker look.
func benchSeries() int {
	if n, err := strconv.Atoi(os.Getenv("BEDROCKPLAN_BENCH_SERIES")); err == nil && n > 0 {
		return n
	}
	return 100
}
