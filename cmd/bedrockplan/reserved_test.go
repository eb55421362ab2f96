package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/workload"
)

// seedMetrics writes two weeks (enough for the forecast) of the seed scenario's traffic to a metrics
// file in the test's own folder.
func seedMetrics(t *testing.T) string {
	t.Helper()
	cfg := workload.SeedScenario(3)
	cfg.Days = 14
	s, err := workload.Synthesize(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return metricsFile(t, s)
}

// csvRows reads a CSV file into rows keyed by column name.
func csvRows(t *testing.T, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, rec := range recs[1:] {
		row := map[string]string{}
		for i, c := range recs[0] {
			row[c] = rec[i]
		}
		out = append(out, row)
	}
	return out
}

func byName(t *testing.T, rows []map[string]string, key, name string) map[string]string {
	t.Helper()
	for _, r := range rows {
		if r[key] == name {
			return r
		}
	}
	t.Fatalf("no %s row %q", key, name)
	return nil
}

func money(t *testing.T, s string) pricing.Money {
	t.Helper()
	m, err := pricing.ParseMoney(s)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestReservedEndToEnd: recommend with Reserved prices buys a Reserved
// base, its figures reconcile in the CSVs (the Reserved bill is its
// 1K-TPM-months times the prices; intervals add up to the totals), and
// simulate of the plan.yaml it wrote gives the same figures.
func TestReservedEndToEnd(t *testing.T) {
	metrics := seedMetrics(t)
	out := filepath.Join(t.TempDir(), "rec")
	args := []string{"--metrics", metrics, "--mu-input-tpm", "1000000", "--mu-output-tpm", "300000",
		"--reserved-price-input", "4", "--reserved-price-output", "12", "--scenarios", "100"}
	stdout, stderr, code := runCLI(t, append([]string{"recommend", "--timezone", "Asia/Tokyo", "--out", out}, args...)...)
	if code != 0 {
		t.Fatalf("recommend: %s", stderr)
	}
	// Priced on the prices given: the break-even price, for negotiating
	// prices nobody has yet, is in reserved_breakeven.csv, not the verdict.
	if !strings.Contains(stdout, "(Reserved $") || strings.Contains(stdout, "Reserved tier: a reservation pays only at prices up to $") {
		t.Errorf("verdict:\n%s", stdout)
	}
	rows := csvRows(t, filepath.Join(out, "strategies.csv"))
	rec, res := byName(t, rows, "strategy", "recommended"), byName(t, rows, "strategy", "reserved")
	for _, r := range []map[string]string{rec, res} {
		if r["reserved_term"] != "one_month" {
			t.Fatalf("%s buys no reservation: %v", r["strategy"], r)
		}
		// The Reserved bill is reproducible from the row: 1K-TPM-months
		// times the price per 1K TPM-month.
		in, _ := strconv.ParseFloat(r["reserved_input_ktpm_months"], 64)
		outK, _ := strconv.ParseFloat(r["reserved_output_ktpm_months"], 64)
		if d := money(t, r["reserved_cost_usd"]) - pricing.FromUSD(in*4+outK*12); d < -1 || d > 1 {
			t.Errorf("%s: reserved_cost_usd %s, 1K-TPM-months × prices %v", r["strategy"], r["reserved_cost_usd"], in*4+outK*12)
		}
		if money(t, r["total_cost_usd"]) != money(t, r["reserved_cost_usd"])+money(t, r["provisioned_cost_usd"])+money(t, r["on_demand_cost_usd"]) {
			t.Errorf("%s: total is not Reserved + PT + on-demand: %v", r["strategy"], r)
		}
	}
	var sumRes, sumTotal pricing.Money
	for _, iv := range csvRows(t, filepath.Join(out, "intervals.csv")) {
		sumRes += money(t, iv["reserved_cost_usd"])
		sumTotal += money(t, iv["total_cost_usd"])
	}
	if sumRes != money(t, rec["reserved_cost_usd"]) || sumTotal != money(t, rec["total_cost_usd"]) {
		t.Errorf("intervals add up to %s Reserved, %s total; strategies.csv %s, %s", sumRes, sumTotal, rec["reserved_cost_usd"], rec["total_cost_usd"])
	}
	plan, _ := os.ReadFile(filepath.Join(out, "plan.yaml"))
	if !strings.Contains(string(plan), "reserved:") {
		t.Fatalf("plan.yaml has no reservation:\n%s", plan)
	}
	// The purchase list: a reservation is two rows, each contract value
	// recomputes from its columns, and nothing is dated before the run.
	var products []string
	for _, c := range csvRows(t, filepath.Join(out, "commitments.csv")) {
		products = append(products, c["product"])
		q, _ := strconv.ParseFloat(c["quantity"], 64)
		p, _ := strconv.ParseFloat(c["unit_price_usd"], 64)
		u, _ := strconv.ParseFloat(c["units_in_term"], 64)
		if money(t, c["contract_value_usd"]) != pricing.FromUSD(q*p*u) {
			t.Errorf("contract value %s is not %v × %v × %v", c["contract_value_usd"], q, p, u)
		}
		if start, err := time.Parse(time.RFC3339, c["start"]); err != nil || start.Before(time.Now().Add(-time.Minute)) {
			t.Errorf("purchase dated %s, before the run", c["start"])
		}
	}
	if strings.Join(products, ",") != "reserved-input,reserved-output" && !strings.HasPrefix(strings.Join(products, ","), "reserved-input,reserved-output,pt") {
		t.Errorf("purchases %v", products)
	}
	if !strings.Contains(stdout, "in contract value over its terms") {
		t.Errorf("verdict without the contract value:\n%s", stdout)
	}
	_, stderr, code = runCLI(t, append([]string{"recommend", "--buy-at", "2020-01-01T00:00:00Z", "--out", filepath.Join(t.TempDir(), "past")}, args...)...)
	if code != 2 || !strings.Contains(stderr, "--buy-at 2020-01-01T00:00:00Z is in the past") {
		t.Errorf("--buy-at in the past: exit %d %s", code, stderr)
	}
	risk := csvRows(t, filepath.Join(out, "risk.csv"))
	for _, name := range []string{"reserved-1-month", "reserved-3-month"} {
		byName(t, risk, "strategy", name)
	}

	sim := filepath.Join(t.TempDir(), "sim")
	_, stderr, code = runCLI(t, append([]string{"simulate", "--plan", filepath.Join(out, "plan.yaml"), "--out", sim}, args...)...)
	if code != 0 {
		t.Fatalf("simulate: %s", stderr)
	}
	p := byName(t, csvRows(t, filepath.Join(sim, "strategies.csv")), "strategy", "plan")
	for _, c := range []string{"reserved_cost_usd", "provisioned_cost_usd", "on_demand_cost_usd", "total_cost_usd", "reserved_input_tpm", "reserved_output_tpm"} {
		if p[c] != rec[c] {
			t.Errorf("simulate of the plan: %s %s, recommend %s", c, p[c], rec[c])
		}
	}
}

// TestReservedBreakEvenWithoutPrices: a model with a Reserved tier but no
// prices gets the break-even price in the verdict and in
// reserved_breakeven.csv, and the reserved strategy says why it is not
// priced.
func TestReservedBreakEvenWithoutPrices(t *testing.T) {
	metrics := seedMetrics(t)
	cat := filepath.Join(t.TempDir(), "prices.yaml")
	if err := os.WriteFile(cat, []byte(`models:
  "meta.llama3-1-70b-instruct-v1:0":
    regions:
      us-west-2:
        reserved: {min_input_tpm: 100000, min_output_tpm: 10000, source: "test", as_of: 2026-11-26}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "rec")
	stdout, stderr, code := runCLI(t, "recommend", "--metrics", metrics, "--pricing", cat, "--scenarios", "0", "--out", out)
	if code != 0 {
		t.Fatalf("recommend: %s", stderr)
	}
	be := csvRows(t, filepath.Join(out, "reserved_breakeven.csv"))[0]
	in, _ := strconv.ParseFloat(be["breakeven_input_price_per_1k_tpm_month_usd"], 64)
	if be["breaks_even"] != "yes" || !strings.Contains(stdout, "pays only at prices up to $"+strconv.FormatFloat(in, 'f', 2, 64)+" per 1K input TPM-month") {
		t.Errorf("break-even %v; verdict:\n%s", be, stdout)
	}
	if r := byName(t, csvRows(t, filepath.Join(out, "strategies.csv")), "strategy", "reserved"); !strings.Contains(r["note"], "Reserved-tier prices unknown") {
		t.Errorf("reserved row: %v", r)
	}
}

// TestReservedBadInput: every bad Reserved input gets its message and
// exit code, and writes nothing.
func TestReservedBadInput(t *testing.T) {
	metrics := seedMetrics(t)
	tmp := t.TempDir()
	plan := func(body string) string {
		path := filepath.Join(t.TempDir(), "plan.yaml")
		if err := os.WriteFile(path, []byte("model_id: meta.llama3-1-70b-instruct-v1:0\nregion: us-west-2\n"+body), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"one price", []string{"recommend", "--reserved-price-input", "4"}, 2, "give both --reserved-price-input and --reserved-price-output"},
		{"negative price", []string{"recommend", "--reserved-price-input", "-4", "--reserved-price-output", "12"}, 2, "--reserved-price-input -4: want a price in USD per 1K TPM-month"},
		{"PT term", []string{"recommend", "--reserved-price-input", "4", "--reserved-price-output", "12", "--reserved-terms", "six_months"}, 2, `--reserved-terms: "six_months" is not one_month or three_months`},
		{"below the minimum", []string{"simulate", "--reserved-price-input", "4", "--reserved-price-output", "12",
			"--plan", plan("reserved:\n  - {input_tpm: 50000, output_tpm: 20000, term: one_month, start: 2026-11-01T00:00:00Z}\n")}, 1,
			"below the smallest reservation sold (100K input, 10K output TPM)"},
		{"no price", []string{"simulate",
			"--plan", plan("reserved:\n  - {input_tpm: 500000, output_tpm: 20000, term: three_months, start: 2026-11-01T00:00:00Z}\n")}, 1,
			"the Reserved tier has no 3-month price for meta.llama3-1-70b-instruct-v1:0 in us-west-2: give it with --reserved-price-input and --reserved-price-output"},
		{"unknown term in the plan", []string{"simulate",
			"--plan", plan("reserved:\n  - {input_tpm: 500000, output_tpm: 20000, term: 3mo, start: 2026-11-01T00:00:00Z}\n")}, 1,
			`reserved[0].term: "3mo" is not one_month or three_months`},
	}
	for _, c := range cases {
		out := filepath.Join(tmp, strings.ReplaceAll(c.name, " ", "-"))
		_, stderr, code := runCLI(t, append(c.args, "--metrics", metrics, "--out", out)...)
		if code != c.code || !strings.Contains(stderr, c.want) {
			t.Errorf("%s: exit %d, %s", c.name, code, stderr)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Errorf("%s: %s was written", c.name, out)
		}
	}
}
