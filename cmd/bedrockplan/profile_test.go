package main

import (
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/reports"
	"github.com/bedrockplan/bedrockplan/workload"
)

// TestProfileSeries: traffic recorded under an inference-profile id is
// priced at the profile's prices and throttled by the profile's quota;
// PT is not offered for it, the Reserved tier is.
func TestProfileSeries(t *testing.T) {
	const id = "global.anthropic.claude-sonnet-4-5-20250929-v1:0"
	cfg := workload.SeedScenario(2)
	cfg.ModelID, cfg.Region, cfg.Days = id, "us-east-1", 2
	cfg.PeakRPM, cfg.OffHoursRPM, cfg.WeekendRPM = 300, 80, 50
	s, err := workload.Synthesize(cfg)
	if err != nil {
		t.Fatal(err)
	}
	metrics := metricsFile(t, s)
	prices := filepath.Join(t.TempDir(), "profile.yaml")
	os.WriteFile(prices, []byte(`models:
  "`+id+`":
    regions:
      us-east-1:
        on_demand:
          input_per_1m: {usd: 2.70, source: "test", as_of: 2026-11-30}
          output_per_1m: {usd: 13.50, source: "test", as_of: 2026-11-30}
        quotas: {tpm: 400000, output_burndown: 5, source: "test", as_of: 2026-11-30}
        reserved: {min_input_tpm: 100000, min_output_tpm: 10000}
`), 0o644)
	out := filepath.Join(t.TempDir(), "rec")
	_, stderr, code := runCLI(t, "recommend", "--metrics", metrics, "--pricing", prices, "--scenarios", "0", "--out", out)
	if code != 0 {
		t.Fatal(stderr)
	}
	rows := csvRows(t, filepath.Join(out, "strategies.csv"))
	od := byName(t, rows, "strategy", "on-demand")
	if thr, _ := strconv.ParseFloat(od["throttled_requests"], 64); thr == 0 {
		t.Errorf("the profile's 400K TPM quota (output ×5) throttles nothing: %v", od)
	}
	// Unthrottled, the same traffic costs every token at the profile's
	// prices; with the quota, less.
	tot := s.Totals()
	all := pricing.FromUSD(tot.InputTokens*2.70/1e6 + tot.OutputTokens*13.50/1e6)
	if c := money(t, od["on_demand_cost_usd"]); c <= 0 || c >= all {
		t.Errorf("on-demand %s, all tokens at the profile's prices %s", c, all)
	}
	for _, name := range []string{"provisioned-peak", "business-hours-switch"} {
		if r := byName(t, rows, "strategy", name); !strings.Contains(r["note"], "PT cannot serve traffic sent through the inference profile") {
			t.Errorf("%s: %v", name, r["note"])
		}
	}
	if r := byName(t, rows, "strategy", "reserved"); !strings.Contains(r["note"], "Reserved-tier prices unknown") {
		t.Errorf("reserved: %v", r["note"])
	}
	if _, err := os.Stat(filepath.Join(out, "reserved_breakeven.csv")); err != nil {
		t.Error(err)
	}
	// Without an entry for the profile, it is refused with what to add.
	_, stderr, code = runCLI(t, "recommend", "--metrics", metrics, "--scenarios", "0", "--out", filepath.Join(t.TempDir(), "x"))
	if code != 1 || !strings.Contains(stderr, `no prices for the inference profile "`+id+`"`) {
		t.Errorf("no profile entry: exit %d %s", code, stderr)
	}
}

// TestTiersInReport: what-if moves of Standard traffic to batch (priced
// from the catalogue's batch factor) and to Flex (no Flex prices for the
// model: said so), and a Flex-tier series priced at its own prices with
// no capacity sized for it.
func TestTiersInReport(t *testing.T) {
	metrics := demoMetrics(t)
	out := filepath.Join(t.TempDir(), "rec")
	stdout, stderr, code := runCLI(t, "recommend", "--metrics", metrics, "--batch-share", "20%", "--flex-share", "0.1", "--scenarios", "0", "--out", out)
	if code != 0 {
		t.Fatal(stderr)
	}
	if !strings.Contains(stdout, "What-if: moving 20% of the Standard traffic to batch ($0.36 / $0.36 per 1M tokens) would save $2,377.06 over the window") ||
		!strings.Contains(stdout, "What-if, 10% of Standard traffic on flex: not priced: the catalogue has no Flex-tier prices") {
		t.Errorf("verdict:\n%s", stdout)
	}
	_, stderr, code = runCLI(t, "recommend", "--metrics", metrics, "--batch-share", "120%", "--out", filepath.Join(t.TempDir(), "x"))
	if code != 2 || !strings.Contains(stderr, `--batch-share "120%"`) {
		t.Errorf("--batch-share 120%%: exit %d %s", code, stderr)
	}

	cfg := workload.SeedScenario(1)
	cfg.Days = 2
	s, err := workload.Synthesize(cfg)
	if err != nil {
		t.Fatal(err)
	}
	s.ServiceTier = "flex"
	flexMetrics := metricsFile(t, s)
	prices := flexPrices(t)
	out = filepath.Join(t.TempDir(), "flex")
	stdout, stderr, code = runCLI(t, "recommend", "--metrics", flexMetrics, "--model", "meta.llama3-1-70b-instruct-v1:0+flex", "--pricing", prices,
		"--mu-input-tpm", "1000000", "--mu-output-tpm", "300000", "--scenarios", "0", "--out", out)
	if code != 0 {
		t.Fatal(stderr)
	}
	od := byName(t, csvRows(t, filepath.Join(out, "strategies.csv")), "strategy", "on-demand")
	tot := s.Totals()
	if want := pricing.FromUSD((tot.InputTokens + tot.OutputTokens) * 0.36 / 1e6); money(t, od["on_demand_cost_usd"]) != want {
		t.Errorf("flex traffic costs %s, at flex prices %s", od["on_demand_cost_usd"], want)
	}
	if !strings.Contains(stdout, "This traffic ran on the flex tier") {
		t.Errorf("verdict:\n%s", stdout)
	}
	_, stderr, code = runCLI(t, "recommend", "--metrics", flexMetrics, "--model", "meta.llama3-1-70b-instruct-v1:0+flex", "--scenarios", "0", "--out", filepath.Join(t.TempDir(), "y"))
	if code != 1 || !strings.Contains(stderr, "no flex-tier prices for meta.llama3-1-70b-instruct-v1:0 in us-west-2") {
		t.Errorf("flex without prices: exit %d %s", code, stderr)
	}
}

// TestCostByTier: metrics holding a model's Standard and Flex traffic
// plan the Standard series and show each tier's on-demand cost at its
// own prices.
func TestCostByTier(t *testing.T) {
	cfg := workload.SeedScenario(1)
	cfg.Days = 2
	std, err := workload.Synthesize(cfg)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Seed, cfg.PeakRPM = 5, 600
	flex, err := workload.Synthesize(cfg)
	if err != nil {
		t.Fatal(err)
	}
	flex.ServiceTier = "flex"
	metrics := metricsFile(t, std, flex)
	prices := flexPrices(t)
	out := filepath.Join(t.TempDir(), "rec")
	_, stderr, code := runCLI(t, "recommend", "--metrics", metrics, "--pricing", prices, "--scenarios", "0", "--out", out)
	if code != 0 {
		t.Fatal(stderr)
	}
	summary, _ := os.ReadFile(filepath.Join(out, "summary.md"))
	st, ft := std.Totals(), flex.Totals()
	for _, want := range []string{"Cost by service tier", "this report plans the standard tier",
		"| standard | " + reports.SI(st.Invocations) + " | " + pricing.FromUSD((st.InputTokens+st.OutputTokens)*0.72/1e6).String() + " |",
		"| flex | " + reports.SI(ft.Invocations) + " | " + pricing.FromUSD((ft.InputTokens+ft.OutputTokens)*0.36/1e6).String() + " |"} {
		if !strings.Contains(string(summary), want) {
			t.Errorf("summary lacks %q:\n%s", want, summary)
		}
	}
}

// flexPrices writes a --pricing file giving the demo's model Flex-tier
// prices of $0.36 per 1M tokens, input and output.
func flexPrices(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "flex.yaml")
	if err := os.WriteFile(path, []byte(`models:
  meta.llama3-1-70b-instruct-v1:0:
    regions:
      us-west-2:
        on_demand:
          tiers:
            flex: {input_per_1m: {usd: 0.36, source: test, as_of: 2026-11-30}, output_per_1m: {usd: 0.36, source: test, as_of: 2026-11-30}}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestCostChartScheduledColour: the demo's recommendation schedules
// no-commit PT beside its 6-month MU; the cost chart draws that part in
// the no-commit colour (issue 14's first reviewer finding), and the
// summary's strategy table shows the saving with the CSV's sign.
func TestCostChartScheduledColour(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo")
	if _, stderr, code := runCLI(t, "demo", "--out", dir); code != 0 {
		t.Fatal(stderr)
	}
	f, err := os.Open(filepath.Join(dir, "costs.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	green := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if r, g, bl, _ := img.At(x, y).RGBA(); r>>8 == 0x00 && g>>8 == 0x9E && bl>>8 == 0x73 {
				green++
			}
		}
	}
	if green < 100 {
		t.Errorf("%d no-commit-green pixels in costs.png; the scheduled PT is drawn as committed", green)
	}
	rec := byName(t, csvRows(t, filepath.Join(dir, "strategies.csv")), "strategy", "recommended")
	summary, _ := os.ReadFile(filepath.Join(dir, "summary.md"))
	if !strings.Contains(string(summary), "| saving vs on-demand |") || !strings.Contains(string(summary), "| +"+rec["savings_vs_on_demand_pct"]+"% |") {
		t.Errorf("summary's saving column does not read as strategies.csv's %s%%", rec["savings_vs_on_demand_pct"])
	}
}
