package main

import (
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/workload"
)

// Series of the three-series account: two Llama models with their MU
// throughput in a pricing file, and Claude Sonnet 4.5, whose Reserved
// prices are not published, so it cannot be sized.
const (
	llama70 = "meta.llama3-1-70b-instruct-v1:0"
	llama8  = "meta.llama3-1-8b-instruct-v1:0"
	sonnet  = "anthropic.claude-sonnet-4-5-20250929-v1:0"
)

// accountMetrics writes a metrics file of three series, each a week and
// a half of 5-minute traffic, and a pricing file giving the two Llama
// models each their own MU throughput.
func accountMetrics(t *testing.T) (metrics, prices string) {
	t.Helper()
	var series []*workload.Series
	for i, m := range []struct {
		model, region string
		peak          float64
	}{{llama70, "us-west-2", 1}, {llama8, "us-west-2", 2.5}, {sonnet, "us-east-1", 0.2}} {
		cfg := workload.SeedScenario(uint64(i + 1))
		cfg.ModelID, cfg.Region, cfg.Days, cfg.Period = m.model, m.region, 15, 5*time.Minute
		cfg.PeakRPM *= m.peak
		s, err := workload.Synthesize(cfg)
		if err != nil {
			t.Fatal(err)
		}
		series = append(series, s)
	}
	metrics = metricsFile(t, series...)
	prices = filepath.Join(t.TempDir(), "prices.yaml")
	yaml := `models:
  ` + llama70 + `:
    regions:
      us-west-2:
        mu_throughput: {input_tpm: 1000000, output_tpm: 300000, provenance: assumed, source: "test: the 70B model"}
  ` + llama8 + `:
    regions:
      us-west-2:
        mu_throughput: {input_tpm: 3000000, output_tpm: 900000, provenance: assumed, source: "test: the 8B model"}
`
	if err := os.WriteFile(prices, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	return metrics, prices
}

// TestPortfolio plans a three-series account at once and checks it
// against three single-series runs, and against itself with another
// number of workers.
func TestPortfolio(t *testing.T) {
	metrics, prices := accountMetrics(t)
	common := []string{"--metrics", metrics, "--pricing", prices, "--scenarios", "40", "--min-history", "7d", "--buy-at", "2030-01-01T00:00:00Z"}
	dir := t.TempDir()
	account := func(workers string) (string, string) {
		out := filepath.Join(dir, "account-"+workers)
		stdout, stderr, code := runCLI(t, append([]string{"recommend", "--out", out, "--workers", workers}, common...)...)
		if code != 0 {
			t.Fatalf("recommend (%s workers) failed (%d): %s", workers, code, stderr)
		}
		return out, stdout + stderr
	}
	one, printed := account("1")
	four, _ := account("4")

	rows := csvRows(t, filepath.Join(one, "portfolio.csv"))
	if len(rows) != 4 || rows[3]["model_id"] != "ALL" {
		t.Fatalf("portfolio.csv: want three series and the ALL row, got %v", rows)
	}
	// The same figures, whatever the number of workers: every file of
	// every folder is the same, bar the command line that names them.
	for _, name := range []string{"portfolio.csv", "commitments.csv"} {
		if a, b := readFile(t, filepath.Join(one, name)), readFile(t, filepath.Join(four, name)); a != b {
			t.Errorf("%s differs between 1 and 4 workers:\n%s\n---\n%s", name, a, b)
		}
	}
	for _, r := range rows[:3] {
		for _, name := range []string{"strategies.csv", "intervals.csv", "risk.csv", "commitments.csv"} {
			a, b := filepath.Join(one, r["folder"], name), filepath.Join(four, r["folder"], name)
			if _, err := os.Stat(a); err != nil {
				continue
			}
			if readFile(t, a) != readFile(t, b) {
				t.Errorf("%s/%s differs between 1 and 4 workers", r["folder"], name)
			}
		}
	}

	// Each row equals a single-series run of that series, to the cent.
	var od, cost, contract pricing.Money
	for _, r := range rows[:3] {
		single := filepath.Join(dir, "single-"+r["folder"])
		_, stderr, code := runCLI(t, append([]string{"recommend", "--out", single, "--model", r["model_id"], "--region", r["region"]}, common...)...)
		if code != 0 {
			t.Fatalf("single run of %s failed (%d): %s", r["model_id"], code, stderr)
		}
		for _, name := range []string{"strategies.csv", "intervals.csv", "commitments.csv", "breakeven.csv"} {
			if readFile(t, filepath.Join(single, name)) != readFile(t, filepath.Join(one, r["folder"], name)) {
				t.Errorf("%s: %s differs from the single-series run's", r["folder"], name)
			}
		}
		st := csvRows(t, filepath.Join(single, "strategies.csv"))
		odRow := byName(t, st, "strategy", "on-demand")
		want := byName(t, st, "strategy", "recommended")
		if r["sized"] == "false" {
			want = odRow
		}
		if got := money(t, r["on_demand_cost_usd"]); got != money(t, odRow["total_cost_usd"]) {
			t.Errorf("%s: on_demand_cost_usd %s, single run %s", r["model_id"], r["on_demand_cost_usd"], odRow["total_cost_usd"])
		}
		if got := money(t, r["recommended_cost_usd"]); got != money(t, want["total_cost_usd"]) {
			t.Errorf("%s: recommended_cost_usd %s, single run %s", r["model_id"], r["recommended_cost_usd"], want["total_cost_usd"])
		}
		if s := money(t, r["savings_usd"]); s != money(t, r["on_demand_cost_usd"])-money(t, r["recommended_cost_usd"]) {
			t.Errorf("%s: savings_usd %s is not on-demand minus recommended", r["model_id"], r["savings_usd"])
		}
		var cv pricing.Money
		for _, c := range csvRows(t, filepath.Join(single, "commitments.csv")) {
			cv += money(t, c["contract_value_usd"])
		}
		if got := money(t, r["contract_value_usd"]); got != cv {
			t.Errorf("%s: contract_value_usd %s, single run's commitments.csv adds up to %s", r["model_id"], r["contract_value_usd"], cv.Decimal())
		}
		od += money(t, r["on_demand_cost_usd"])
		cost += money(t, r["recommended_cost_usd"])
		contract += cv
	}
	all := rows[3]
	if money(t, all["on_demand_cost_usd"]) != od || money(t, all["recommended_cost_usd"]) != cost || money(t, all["contract_value_usd"]) != contract {
		t.Errorf("ALL row %v is not the sum of the series (%s, %s, %s)", all, od.Decimal(), cost.Decimal(), contract.Decimal())
	}
	if all["savings_usd"] != (od - cost).Decimal() {
		t.Errorf("ALL savings_usd %s, want %s", all["savings_usd"], (od - cost).Decimal())
	}

	// Per-series throughput from the pricing file; the series without
	// one gets break-even figures while the others are sized.
	byModel := map[string]map[string]string{}
	for _, r := range rows {
		byModel[r["model_id"]] = r
	}
	for _, m := range []string{llama70, llama8} {
		if byModel[m]["sized"] != "true" {
			t.Errorf("%s: not sized (%s), though the pricing file gives its throughput", m, byModel[m]["note"])
		}
		assumptions := readFile(t, filepath.Join(one, byModel[m]["folder"], "summary.md"))
		// Its command reproduces it into its own folder, not over the
		// account's.
		if want := " --out " + filepath.Join(one, byModel[m]["folder"]) + " "; !strings.Contains(assumptions, want) || !strings.Contains(assumptions, " --model "+m+" ") {
			t.Errorf("%s: its summary's command does not write into its own folder (%q)", m, want)
		}
		want := map[string]string{llama70: "1,000,000 input and 300,000 output", llama8: "3,000,000 input and 900,000 output"}[m]
		if !strings.Contains(assumptions, want) {
			t.Errorf("%s: its summary does not state the pricing file's throughput %q", m, want)
		}
	}
	if r := byModel[sonnet]; r["sized"] != "false" || r["recommended_cost_usd"] != r["on_demand_cost_usd"] || r["note"] == "" {
		t.Errorf("%s: want not sized, on-demand cost and a reason; got %v", sonnet, r)
	}
	// Its Reserved tier is sold at prices nobody published: that is the
	// reason given first, then why PT cannot be sized: AWS sells none for
	// it, with where that is written.
	const notSold = "Amazon Bedrock user guide, Supported Region and models for Provisioned Throughput, docs.aws.amazon.com/bedrock/latest/userguide/prov-thru-supported.html: the model is not listed"
	if r := byModel[sonnet]; r["note_code"] != "reserved-price-unknown cause=pt-unavailable model="+sonnet+" region=us-east-1 lifecycle=active pt_not_sold="+strconv.Quote(notSold)+" pt_not_sold_as_of=2026-11-30" ||
		!strings.HasPrefix(r["note"], "the Reserved tier's prices are not published") || !strings.HasSuffix(r["note"], "; for PT, AWS sells none for this model in us-east-1 (source: "+notSold+", 2026-11-30)") {
		t.Errorf("%s: the reason does not lead with the Reserved tier's unpublished prices: %q (%s)", sonnet, r["note"], r["note_code"])
	}
	if be := csvRows(t, filepath.Join(one, byModel[sonnet]["folder"], "reserved_breakeven.csv")); len(be) == 0 {
		t.Errorf("%s: no break-even Reserved price", sonnet)
	}
	// Said once, naming the series: not again on stderr.
	if strings.Count(printed, "could not be sized and stay on-demand") != 1 || !strings.Contains(printed, "could not be sized and stay on-demand, with break-even figures instead: "+sonnet+" (us-east-1); the summary's section \"Series that could not be sized\" gives the reasons.") {
		t.Errorf("the run does not say once which series could not be sized:\n%s", printed)
	}
	// The account's cash flow adds up the series' month by month; its
	// committed months add up to the contract values, which recompute
	// from their columns and start when --buy-at says.
	acct := csvRows(t, filepath.Join(one, "cashflow.csv"))
	sums := map[string]map[string]pricing.Money{}
	for _, r := range rows[:3] {
		for _, m := range csvRows(t, filepath.Join(one, r["folder"], "cashflow.csv")) {
			if sums[m["month"]] == nil {
				sums[m["month"]] = map[string]pricing.Money{}
			}
			for _, c := range []string{"pt_committed_usd", "capacity_usd", "stay_as_is_mean_usd", "on_demand_overflow_p90_usd"} {
				sums[m["month"]][c] += money(t, m[c])
			}
		}
	}
	var committedMonths pricing.Money
	for _, m := range acct {
		for c, v := range sums[m["month"]] {
			if money(t, m[c]) != v {
				t.Errorf("cashflow.csv %s %s: %s, the series add up to %s", m["month"], c, m[c], v.Decimal())
			}
		}
		committedMonths += money(t, m["pt_committed_usd"])
	}
	if len(acct) != 6 || committedMonths != contract {
		t.Errorf("cashflow.csv: %d months, committed PT %s; want 6 months (January to June 2030) adding up to the contract values %s", len(acct), committedMonths.Decimal(), contract.Decimal())
	}
	for _, c := range csvRows(t, filepath.Join(one, "commitments.csv")) {
		q, price, units := money(t, c["quantity"]).USD(), money(t, c["unit_price_usd"]).USD(), money(t, c["units_in_term"]).USD()
		if money(t, c["contract_value_usd"]) != pricing.FromUSD(q*price*units) || c["start"] != "2030-01-01T00:00:00Z" {
			t.Errorf("commitments.csv row %v: contract value is not quantity × unit price × units, or start is not --buy-at", c)
		}
	}

	// Every series' cash flow is drawn from a forecast, and the account
	// says how fast each grows and how much of its on-demand each makes:
	// the series that could not be sized (no risk analysis states its
	// forecast) states its growth in its own cash-flow section.
	var onDemand pricing.Money
	accountSummary := readFile(t, filepath.Join(one, "summary.md"))
	for _, r := range rows[:3] {
		folder := filepath.Join(one, r["folder"])
		var want pricing.Money
		for _, m := range csvRows(t, filepath.Join(folder, "cashflow.csv")) {
			want += money(t, m["on_demand_overflow_mean_usd"])
		}
		if got := money(t, r["cash_flow_on_demand_usd"]); got != want || got <= 0 {
			t.Errorf("%s: cash_flow_on_demand_usd %s, its cashflow.csv's means add up to %s", r["model_id"], r["cash_flow_on_demand_usd"], want.Decimal())
		}
		onDemand += want
		facts := map[string]string{}
		for _, a := range csvRows(t, filepath.Join(folder, "assumptions.csv")) {
			facts[a["field"]] = a["value"]
		}
		if g := facts["forecast_growth_per_hour"]; g == "" || r["forecast_growth_per_hour"] != g || r["forecast_growth_se"] != facts["forecast_growth_se"] {
			t.Errorf("%s: portfolio.csv's growth %s ± %s, its assumptions.csv's %q ± %q", r["model_id"], r["forecast_growth_per_hour"], r["forecast_growth_se"], g, facts["forecast_growth_se"])
		}
		g, err := strconv.ParseFloat(facts["forecast_growth_per_hour"], 64)
		if err != nil {
			t.Fatal(err)
		}
		weekly := strconv.FormatFloat(math.Round(100*math.Expm1(168*g)*100)/100, 'f', -1, 64) + "%"
		if !strings.Contains(accountSummary, "| "+weekly+" (") {
			t.Errorf("%s: the account summary does not give its weekly growth %s", r["model_id"], weekly)
		}
		if r["sized"] == "false" {
			cash := readFile(t, filepath.Join(folder, "summary.md"))
			cash = cash[strings.Index(cash, "## Cash flow"):]
			if !strings.Contains(cash, "demand grows "+weekly+" a week") {
				t.Errorf("%s: no risk analysis, and its cash-flow section does not state the forecast's growth %s:\n%s", r["model_id"], weekly, cash)
			}
		}
	}
	if all := rows[3]; money(t, all["cash_flow_on_demand_usd"]) != onDemand {
		t.Errorf("ALL cash_flow_on_demand_usd %s, the series add up to %s", all["cash_flow_on_demand_usd"], onDemand.Decimal())
	}
	if unsized := money(t, byModel[sonnet]["cash_flow_on_demand_usd"]); !strings.Contains(accountSummary, unsized.String()+" of the ") {
		t.Errorf("the account summary does not say how much of its forecast on-demand (%s) is the unsized series'", unsized)
	}

	// simulate of the three plan.yaml files, as one file of three
	// documents, replays the same figures.
	var plans strings.Builder
	for _, r := range rows[:3] {
		plans.WriteString(readFile(t, filepath.Join(one, r["folder"], "plan.yaml")) + "---\n")
	}
	planFile := filepath.Join(dir, "plans.yaml")
	if err := os.WriteFile(planFile, []byte(plans.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	simOut := filepath.Join(dir, "simulated")
	if _, stderr, code := runCLI(t, append([]string{"simulate", "--plan", planFile, "--out", simOut}, common...)...); code != 0 {
		t.Fatalf("simulate failed (%d): %s", code, stderr)
	}
	for i, r := range csvRows(t, filepath.Join(simOut, "portfolio.csv")) {
		if r["plan_cost_usd"] != rows[i]["recommended_cost_usd"] || r["on_demand_cost_usd"] != rows[i]["on_demand_cost_usd"] {
			t.Errorf("simulate row %d: plan %s, on-demand %s; recommend gave %s, %s", i, r["plan_cost_usd"], r["on_demand_cost_usd"], rows[i]["recommended_cost_usd"], rows[i]["on_demand_cost_usd"])
		}
	}

	// report --from renders the account again from its data alone: the
	// same bytes in the same language, and Japanese summaries throughout.
	again := filepath.Join(dir, "again")
	if _, stderr, code := runCLI(t, "report", "--from", one, "--out", again); code != 0 {
		t.Fatalf("report --from: %d %s", code, stderr)
	}
	for _, name := range []string{"summary.md", "summary.html", "portfolio.png", "cashflow.png", filepath.Join(rows[0]["folder"], "summary.md")} {
		if readFile(t, filepath.Join(one, name)) != readFile(t, filepath.Join(again, name)) {
			t.Errorf("report --from: %s differs from the original", name)
		}
	}
	ja := filepath.Join(dir, "ja")
	if stdout, stderr, code := runCLI(t, "report", "--from", one, "--out", ja, "--lang", "ja", "--font", "none"); code != 0 || !strings.Contains(stdout, "アカウント全体の推奨") {
		t.Fatalf("report --from --lang ja: %d %s %s", code, stdout, stderr)
	}
	if s := readFile(t, filepath.Join(ja, rows[1]["folder"], "summary.md")); !strings.Contains(s, "## 結論") {
		t.Errorf("report --lang ja left the series' summary in English")
	}

	summary := readFile(t, filepath.Join(one, "summary.md"))
	for _, want := range []string{"Series by saving", "Series that could not be sized", sonnet, "portfolio.png", (od - cost).String()} {
		if !strings.Contains(summary, want) {
			t.Errorf("summary.md lacks %q", want)
		}
	}
}

// TestPortfolioSingleSeriesFlags: a flag that sizes one series is
// refused when the metrics hold several, with the way to give it per
// series.
func TestPortfolioSingleSeriesFlags(t *testing.T) {
	metrics, _ := accountMetrics(t)
	_, stderr, code := runCLI(t, "recommend", "--metrics", metrics, "--mu-input-tpm", "1000000", "--mu-output-tpm", "300000", "--out", filepath.Join(t.TempDir(), "r"))
	if code != 2 || !strings.Contains(stderr, "--mu-input-tpm, --mu-output-tpm apply to one series") || !strings.Contains(stderr, "--pricing FILE") {
		t.Errorf("exit %d, stderr %s", code, stderr)
	}
}

// TestPortfolioPlansMissing: simulate of several series needs a plan
// for each, and says which lack one.
func TestPortfolioPlansMissing(t *testing.T) {
	metrics, prices := accountMetrics(t)
	plan := filepath.Join(t.TempDir(), "plan.yaml")
	if err := os.WriteFile(plan, []byte("model_id: "+llama70+"\nregion: us-west-2\ncommitted:\n  - {model_units: 1, term: none, start: 2030-01-01T00:00:00Z}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := runCLI(t, "simulate", "--metrics", metrics, "--pricing", prices, "--plan", plan, "--out", filepath.Join(t.TempDir(), "r"))
	if code != 1 || !strings.Contains(stderr, "no plan for "+llama8+" (us-west-2), "+sonnet+" (us-east-1)") {
		t.Errorf("exit %d, stderr %s", code, stderr)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestPortfolioExisting: one --existing file of plans keyed by model and
// region gives each series its own existing commitments, in the account
// run and in a single-series run alike.
func TestPortfolioExisting(t *testing.T) {
	metrics, prices := accountMetrics(t)
	existing := filepath.Join(t.TempDir(), "existing.yaml")
	plans := "- model_id: " + llama8 + "\n  region: us-west-2\n  committed:\n    - {model_units: 2, term: one_month, start: 2030-01-01T00:00:00Z}\n" +
		"- model_id: " + llama70 + "\n  region: us-west-2\n  committed:\n    - {model_units: 1, term: six_months, start: 2030-01-01T00:00:00Z}\n"
	if err := os.WriteFile(existing, []byte(plans), 0o644); err != nil {
		t.Fatal(err)
	}
	common := []string{"--metrics", metrics, "--pricing", prices, "--existing", existing, "--scenarios", "0", "--buy-at", "2030-01-01T00:00:00Z"}
	dir := t.TempDir()
	if _, stderr, code := runCLI(t, append([]string{"recommend", "--out", filepath.Join(dir, "account")}, common...)...); code != 0 {
		t.Fatalf("recommend: %d %s", code, stderr)
	}
	rows := csvRows(t, filepath.Join(dir, "account", "portfolio.csv"))
	for _, r := range rows[:3] {
		if r["model_id"] == sonnet {
			continue
		}
		single := filepath.Join(dir, "single-"+r["folder"])
		if _, stderr, code := runCLI(t, append([]string{"recommend", "--out", single, "--model", r["model_id"], "--region", r["region"]}, common...)...); code != 0 {
			t.Fatalf("single run of %s: %d %s", r["model_id"], code, stderr)
		}
		for _, name := range []string{"strategies.csv", "schedule.csv"} {
			if readFile(t, filepath.Join(single, name)) != readFile(t, filepath.Join(dir, "account", r["folder"], name)) {
				t.Errorf("%s: %s differs from the single run's", r["folder"], name)
			}
		}
		assumptions := readFile(t, filepath.Join(dir, "account", r["folder"], "assumptions.csv"))
		want := map[string]string{llama8: "existing_mu,2\nexisting_term,one_month", llama70: "existing_mu,1\nexisting_term,six_months"}[r["model_id"]]
		if !strings.Contains(assumptions, want) {
			t.Errorf("%s: its existing commitments (%s) are not in assumptions.csv", r["model_id"], want)
		}
	}
}

// TestPortfolioExistingMismatch: a plan in --existing for a model the
// metrics do not hold is a mistake, said as one, in an account run and a
// single-series run alike.
func TestPortfolioExistingMismatch(t *testing.T) {
	metrics, prices := accountMetrics(t)
	existing := filepath.Join(t.TempDir(), "existing.yaml")
	plans := "model_id: " + llama8 + "\nregion: us-west-2\n---\nmodel_id: meta.llama3-1-70b-instruct-v9:0\n"
	if err := os.WriteFile(existing, []byte(plans), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, "a plan for meta.llama3-1-70b-instruct-v9:0, which " + metrics + " does not hold"},
		{[]string{"--model", llama70, "--region", "us-west-2"}, "no plan for " + llama70 + " in us-west-2 among its 2 plans"},
	} {
		args := append([]string{"recommend", "--metrics", metrics, "--pricing", prices, "--existing", existing, "--scenarios", "0", "--out", filepath.Join(t.TempDir(), "r")}, c.args...)
		if _, stderr, code := runCLI(t, args...); code != 1 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %s; want %q", c.args, code, stderr, c.want)
		}
	}
}
