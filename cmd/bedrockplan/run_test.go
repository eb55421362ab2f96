package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/workload"
)

var update = flag.Bool("update", false, "rewrite the golden files from this run")

// runCLI runs bedrockplan with args and returns stdout, stderr and the
// exit code main would use.
func runCLI(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, &out, &errOut)
	if err != nil {
		errOut.WriteString("bedrockplan: " + err.Error() + "\n")
	}
	return out.String(), errOut.String(), exitCode(err)
}

// demoMetrics writes the demo's sample traffic (seed 1, as `demo`
// writes it to metrics.csv) into a folder of the test's own and returns
// its path. It is what most tests replay; building it takes a fraction of
// a demo run, so no test shares a folder with another (a shared folder in
// os.TempDir was removed under running tests by other test binaries).
func demoMetrics(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "metrics.csv")
	writeDemoMetrics(t, path)
	return path
}

// writeDemoMetrics writes the demo's sample traffic to path.
func writeDemoMetrics(t *testing.T, path string) {
	t.Helper()
	writeScenarioMetrics(t, path, workload.SeedScenario(1))
}

// modelMetrics writes the demo's sample traffic as another model's, in
// region, for tests whose fakes serve that model.
func modelMetrics(t *testing.T, model, region string) string {
	t.Helper()
	cfg := workload.SeedScenario(1)
	cfg.ModelID, cfg.Region = model, region
	path := filepath.Join(t.TempDir(), "metrics.csv")
	writeScenarioMetrics(t, path, cfg)
	return path
}

func writeScenarioMetrics(t *testing.T, path string, cfg workload.SynthConfig) {
	t.Helper()
	s, err := workload.Synthesize(cfg)
	if err != nil {
		t.Fatal(err)
	}
	writeMetrics(t, path, s)
}

// metricsFile writes the series to a metrics file of the test's own.
func metricsFile(t *testing.T, series ...*workload.Series) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "metrics.csv")
	writeMetrics(t, path, series...)
	return path
}

func writeMetrics(t testing.TB, path string, series ...*workload.Series) {
	t.Helper()
	if err := workload.WriteMetricsFile(path, &workload.Metrics{Series: series}, false); err != nil {
		t.Fatal(err)
	}
}

// demo runs the demo into a folder of the test's own and returns the
// folder and what the demo printed.
func demo(t *testing.T) (string, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "demo")
	out, errOut, code := runCLI(t, "demo", "--out", dir)
	if code != 0 {
		t.Fatalf("demo failed (%d): %s", code, errOut)
	}
	return dir, out
}

// TestDemo runs the demo once and checks what it wrote from several
// sides; the subtests read the folder and never write it.
func TestDemo(t *testing.T) {
	dir, stdout := demo(t)
	t.Run("Golden", func(t *testing.T) { testDemoGolden(t, dir, stdout) })
	t.Run("VerdictMatchesCSV", func(t *testing.T) { testVerdictMatchesCSV(t, dir, stdout) })
	t.Run("RecommendReproducesDemo", func(t *testing.T) { testRecommendReproducesDemo(t, dir) })
	t.Run("SimulateDemoPlan", func(t *testing.T) { testSimulateDemoPlan(t, dir) })
}

// testDemoGolden: the demo's CSVs and plan are byte-identical to the
// goldens for seed 1 (go test ./cmd/bedrockplan -update rewrites them).
// The large CSVs are compared by SHA-256.
func testDemoGolden(t *testing.T, dir, stdout string) {
	for _, want := range []string{"Recommended for meta.llama3-1-70b-instruct-v1:0 in us-west-2: 1 MU 6-month", "MU throughput is assumed", "Report written to"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("demo output lacks %q:\n%s", want, stdout)
		}
	}
	for _, name := range []string{"strategies.csv", "breakeven.csv", "cost_curve.csv", "plan.yaml", "levels.csv", "schedule.csv", "risk.csv"} {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		golden := filepath.Join("testdata", "golden", name)
		if *update {
			os.WriteFile(golden, got, 0o644)
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run with -update to create it)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s (run go test -update after checking the change)", name, golden)
		}
	}
	var sums strings.Builder
	for _, name := range []string{"intervals.csv", "metrics.csv"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		h := sha256.Sum256(data)
		sums.WriteString(hex.EncodeToString(h[:]) + "  " + name + "\n")
	}
	golden := filepath.Join("testdata", "golden", "large.sha256")
	if *update {
		os.WriteFile(golden, []byte(sums.String()), 0o644)
		return
	}
	want, _ := os.ReadFile(golden)
	if sums.String() != string(want) {
		t.Errorf("large CSVs changed:\n%s\nwant\n%s", sums.String(), want)
	}
}

// testRecommendReproducesDemo: recommend on the metrics the demo wrote,
// with the demo's assumptions, gives the demo's tables byte for byte.
func testRecommendReproducesDemo(t *testing.T, dir string) {
	out := filepath.Join(t.TempDir(), "rec")
	stdout, stderr, code := runCLI(t, "recommend", "--metrics", filepath.Join(dir, "metrics.csv"), "--mu-input-tpm", "1000000",
		"--mu-output-tpm", "300000", "--timezone", "Asia/Tokyo", "--out", out)
	if code != 0 {
		t.Fatalf("recommend: %s", stderr)
	}
	if !strings.Contains(stdout, "1 MU 6-month") {
		t.Errorf("stdout: %s", stdout)
	}
	for _, name := range []string{"strategies.csv", "intervals.csv", "cost_curve.csv", "breakeven.csv"} {
		a, _ := os.ReadFile(filepath.Join(dir, name))
		b, _ := os.ReadFile(filepath.Join(out, name))
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s from recommend differs from the demo's", name)
		}
	}
}

// testSimulateDemoPlan: replaying the recommended plan.yaml gives a plan
// row with the recommended row's numbers.
func testSimulateDemoPlan(t *testing.T, dir string) {
	out := filepath.Join(t.TempDir(), "sim")
	_, stderr, code := runCLI(t, "simulate", "--metrics", filepath.Join(dir, "metrics.csv"), "--plan", filepath.Join(dir, "plan.yaml"),
		"--mu-input-tpm", "1000000", "--mu-output-tpm", "300000", "--out", out)
	if code != 0 {
		t.Fatalf("simulate: %s", stderr)
	}
	rows := strategyRows(t, filepath.Join(out, "strategies.csv"))
	plan, rec := rows["plan"], rows["recommended"]
	if plan == "" || strings.TrimPrefix(plan, "plan,") != strings.TrimPrefix(rec, "recommended,") {
		// The note differs; compare the figures.
		p, r := strings.Split(plan, ","), strings.Split(rec, ",")
		if len(p) < 15 || strings.Join(p[1:15], ",") != strings.Join(r[1:15], ",") {
			t.Errorf("plan row\n%s\nrecommended row\n%s", plan, rec)
		}
	}
	intervalsDemo, _ := os.ReadFile(filepath.Join(dir, "intervals.csv"))
	intervalsSim, _ := os.ReadFile(filepath.Join(out, "intervals.csv"))
	if !bytes.Equal(intervalsDemo, intervalsSim) {
		t.Error("simulate's intervals.csv differs from the demo's for the same plan")
	}
}

func strategyRows(t *testing.T, path string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n")[1:] {
		name, _, _ := strings.Cut(line, ",")
		rows[name] = line
	}
	return rows
}

// TestSeedModelIsEndOfLife: the seed note's model, claude-v2, gets an
// end-of-life warning and no PT.
func TestSeedModelIsEndOfLife(t *testing.T) {
	tmp := t.TempDir()
	metrics := filepath.Join(tmp, "v2.csv")
	var b strings.Builder
	b.WriteString("timestamp,model_id,region,period_s,invocations,input_tokens,output_tokens\n")
	for h := range 48 {
		b.WriteString("2026-11-02T" + twoDigits(h%24) + ":00:00Z,anthropic.claude-v2,us-east-1,3600,600,600000,150000\n")
		if h == 23 {
			break
		}
	}
	os.WriteFile(metrics, []byte(b.String()), 0o644)
	stdout, stderr, code := runCLI(t, "recommend", "--metrics", metrics, "--mu-input-tpm", "100000", "--mu-output-tpm", "30000", "--out", filepath.Join(tmp, "r"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	// Said once: as the verdict's reason, not again as a warning, nor on
	// stderr.
	want := "No PT recommendation: anthropic.claude-v2 reached end of life on 2025-07-21: no new Provisioned Throughput can be bought for it"
	if !strings.Contains(stdout, want) || !strings.Contains(stdout, "stay on-demand") || strings.Count(stdout+stderr, "reached end of life") != 1 {
		t.Errorf("stdout:\n%s\nstderr:\n%s", stdout, stderr)
	}
	// A plan that buys PT for it is replayed, with the same said once,
	// as the warning about the plan; the summary's other sections point
	// to the verdict.
	plan := filepath.Join(tmp, "plan.yaml")
	os.WriteFile(plan, []byte("model_id: anthropic.claude-v2\ncommitted:\n  - {model_units: 1, term: one_month, start: 2026-11-02T00:00:00Z}\nrouting: spillover\n"), 0o644)
	stdout, stderr, code = runCLI(t, "simulate", "--metrics", metrics, "--plan", plan, "--mu-input-tpm", "100000", "--mu-output-tpm", "30000", "--out", filepath.Join(tmp, "s"))
	if code != 0 {
		t.Fatalf("simulate: exit %d: %s", code, stderr)
	}
	if want := "Warning: the plan buys PT, but anthropic.claude-v2 reached end of life on 2025-07-21"; !strings.Contains(stdout, want) || strings.Count(stdout+stderr, "reached end of life") != 1 {
		t.Errorf("simulate: stdout:\n%s\nstderr:\n%s", stdout, stderr)
	}
	for _, dir := range []string{"r", "s"} {
		md := readFile(t, filepath.Join(tmp, dir, "summary.md"))
		if n := strings.Count(md, "reached end of life"); n != 1 || !strings.Contains(md, "No term-risk analysis: no new commitment can serve this traffic, as the verdict says.") {
			t.Errorf("%s/summary.md says the end of life %d times, want once:\n%s", dir, n, md)
		}
	}
}

func twoDigits(v int) string { return string([]byte{byte('0' + v/10), byte('0' + v%10)}) }

// TestUnknownThroughput: without MU throughput, recommend reports the
// break-even throughput instead of sizing PT.
func TestUnknownThroughput(t *testing.T) {
	out := filepath.Join(t.TempDir(), "be")
	stdout, stderr, code := runCLI(t, "recommend", "--metrics", demoMetrics(t), "--out", out)
	if code != 0 {
		t.Fatal(stderr)
	}
	if !regexp.MustCompile(`PT pays off only if one model unit carries at least: no-commit [0-9.]+[KM] tokens/min`).MatchString(stdout) {
		t.Errorf("stdout:\n%s", stdout)
	}
	rows := strategyRows(t, filepath.Join(out, "strategies.csv"))
	if !strings.Contains(rows["recommended"], "MU throughput unknown") {
		t.Errorf("recommended row: %s", rows["recommended"])
	}
	if _, err := os.Stat(filepath.Join(out, "breakeven.csv")); err != nil {
		t.Error(err)
	}
}

// TestBadInvocations: bad input exits 1 with a message that names the
// problem, and no output folder or staging folder appears. (The usage
// mistakes, exit 2, are in the scripts of testdata/script.)
func TestBadInvocations(t *testing.T) {
	tmp := t.TempDir()
	// dir stands for a report folder that holds the metrics replayed and
	// the plan recommended for them.
	dir := filepath.Join(tmp, "rep")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	metrics := filepath.Join(dir, "metrics.csv")
	writeDemoMetrics(t, metrics)
	golden, err := os.ReadFile(filepath.Join("testdata", "golden", "plan.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "plan.yaml"), golden, 0o644)
	bad := filepath.Join(tmp, "bad.csv")
	os.WriteFile(bad, []byte("timestamp,model_id,period_s,invocations,input_tokens,output_tokens\n2026-11-02T00:00:00Z,amazon.titan-text-express-v1,60,NaN,1,1\n"), 0o644)
	badPlan := filepath.Join(tmp, "plan.yaml")
	os.WriteFile(badPlan, []byte("model_id: amazon.titan-text-express-v1\nrouting: maybe\n"), 0o644)
	otherPlan := filepath.Join(tmp, "other.yaml")
	os.WriteFile(otherPlan, []byte("model_id: amazon.nova-pro-v1:0\nrouting: spillover\n"), 0o644)
	badPricing := filepath.Join(tmp, "prices.yaml")
	os.WriteFile(badPricing, []byte("models:\n  x:\n    regoins: {}\n"), 0o644)
	out := filepath.Join(tmp, "out")
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"recommend", "--metrics", bad, "--out", out}, 1, bad + ":2: invocations: NaN is not a count"},
		{[]string{"recommend", "--metrics", filepath.Join(tmp, "missing.csv"), "--out", out}, 1, "--metrics " + filepath.Join(tmp, "missing.csv") + ": no such file or directory"},
		{[]string{"recommend", "--metrics", metrics, "--model", "amazon.nova-pro-v1:0", "--out", out}, 1, `no rows for model "amazon.nova-pro-v1:0"`},
		{[]string{"recommend", "--metrics", metrics, "--region", "eu-west-1", "--out", out}, 1, "the catalogue has no prices for meta.llama3-1-70b-instruct-v1:0 in eu-west-1 (it has them for us-east-2, us-west-2)"},
		{[]string{"recommend", "--metrics", metrics, "--pricing", badPricing, "--out", out}, 1, badPricing + `:3: unknown field "regoins" (did you mean "regions"?)`},
		{[]string{"simulate", "--metrics", metrics, "--plan", badPlan, "--out", out}, 1, badPlan + `:2: routing: "maybe" is not spillover or provisioned-only`},
		{[]string{"simulate", "--metrics", metrics, "--plan", otherPlan, "--out", out}, 1, "the plan is for amazon.nova-pro-v1:0 but the metrics replayed are for meta.llama3-1-70b-instruct-v1:0"},
		{[]string{"simulate", "--metrics", metrics, "--plan", filepath.Join(dir, "plan.yaml"), "--out", out}, 1, "the plan holds PT but the throughput of one meta.llama3-1-70b-instruct-v1:0 model unit is unknown"},
		{[]string{"recommend", "--metrics", metrics, "--out", dir}, 1, "holds the input"},
		{[]string{"recommend", "--metrics", metrics, "--out", dir, "--force"}, 1, "holds the input"},
	}
	for _, c := range cases {
		_, stderr, code := runCLI(t, c.args...)
		if code != c.code || !strings.Contains(stderr, c.want) {
			t.Errorf("bedrockplan %s: exit %d, stderr:\n%s\nwant exit %d and %q", strings.Join(c.args, " "), code, stderr, c.code, c.want)
		}
		if _, err := os.Stat(out); err == nil {
			t.Fatalf("bedrockplan %s left %s behind", strings.Join(c.args, " "), out)
		}
	}
	if entries, _ := os.ReadDir(tmp); len(entries) != 5 {
		t.Errorf("staging folders left behind: %v", entries)
	}
}

// TestGapsAreReported: a gap is never silently zero: it is reported, and
// --gaps error refuses it.
func TestGapsAreReported(t *testing.T) {
	tmp := t.TempDir()
	metrics := filepath.Join(tmp, "gap.csv")
	os.WriteFile(metrics, []byte("timestamp,model_id,region,period_s,invocations,input_tokens,output_tokens\n"+
		"2026-11-02T00:00:00Z,amazon.titan-text-express-v1,us-east-1,60,10,10000,3000\n"+
		"2026-11-02T00:05:00Z,amazon.titan-text-express-v1,us-east-1,60,10,10000,3000\n"), 0o644)
	_, stderr, code := runCLI(t, "recommend", "--metrics", metrics, "--out", filepath.Join(tmp, "a"))
	if code != 0 || !strings.Contains(stderr, "4 missing intervals in 1 gaps (first at 2026-11-02T00:01:00Z), filled with --gaps zero") {
		t.Errorf("exit %d, stderr %s", code, stderr)
	}
	summary, _ := os.ReadFile(filepath.Join(tmp, "a", "summary.md"))
	if !strings.Contains(string(summary), "Data gaps: 4 missing intervals in 1 gaps, filled with --gaps zero") {
		t.Errorf("summary.md does not report the gap")
	}
	_, stderr, code = runCLI(t, "recommend", "--metrics", metrics, "--gaps", "error", "--out", filepath.Join(tmp, "b"))
	if code != 1 || !strings.Contains(stderr, "4 missing intervals in 1 gaps") {
		t.Errorf("--gaps error: exit %d, %s", code, stderr)
	}
}

func TestPricingCommands(t *testing.T) {
	stdout, _, code := runCLI(t, "pricing", "list")
	if code != 0 || !strings.Contains(stdout, "amazon.titan-text-express-v1") || !strings.Contains(stdout, "$20.50 / $18.40 / $14.80") ||
		!strings.Contains(stdout, "anthropic.claude-v2") || !strings.Contains(stdout, "eol 2025-07-21") {
		t.Errorf("pricing list:\n%s", stdout)
	}
	stdout, _, code = runCLI(t, "pricing", "show", "meta.llama3-1-70b-instruct-v1:0")
	if code != 0 || !strings.Contains(stdout, "usd: 13.08") || !strings.Contains(stdout, "provenance: unknown") || !strings.Contains(stdout, "source:") {
		t.Errorf("pricing show:\n%s", stdout)
	}
}

// TestReadmeDocumentsFlags keeps the README in step with the commands:
// every flag of every command is mentioned there.
func TestReadmeDocumentsFlags(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range everyCommand() {
		cmd := strings.Join(args, " ")
		help, _, _ := runCLI(t, append(args, "-h")...)
		for _, m := range regexp.MustCompile(`(?m)^  -([a-z0-9-]+)`).FindAllStringSubmatch(help, -1) {
			if !bytes.Contains(readme, []byte("--"+m[1])) {
				t.Errorf("README does not mention %s --%s", cmd, m[1])
			}
		}
		if !bytes.Contains(readme, []byte("bedrockplan "+cmd)) {
			t.Errorf("README does not show bedrockplan %s", cmd)
		}
	}
}

// TestImportThenRecommend: a real Azure trace imported, then planned.
func TestImportThenRecommend(t *testing.T) {
	tmp := t.TempDir()
	metrics := filepath.Join(tmp, "azure.csv")
	trace := "../../testdata/azure-llm-2023/AzureLLMInferenceTrace_conv.csv"
	stdout, stderr, code := runCLI(t, "import", "--preset", "azure-trace", "--model", "meta.llama3-1-70b-instruct-v1:0", "--region", "us-west-2", "--out", metrics, trace)
	if code != 0 {
		t.Fatalf("import: %s", stderr)
	}
	if !strings.Contains(stdout, "Read 19366 rows from 1 file(s)") || !strings.Contains(stdout, "meta.llama3-1-70b-instruct-v1:0 (us-west-2): 60 1-minute intervals") {
		t.Errorf("import summary:\n%s", stdout)
	}
	_, stderr, code = runCLI(t, "import", "--preset", "azure-trace", "--model", "m", "--out", metrics, trace)
	if code != 1 || !strings.Contains(stderr, "exists; add --force to replace it") {
		t.Errorf("overwrite without --force: %d %s", code, stderr)
	}
	stdout, stderr, code = runCLI(t, "recommend", "--metrics", metrics, "--mu-input-tpm", "20000", "--mu-output-tpm", "2000", "--out", filepath.Join(tmp, "r"))
	if code != 0 || !strings.Contains(stdout, "meta.llama3-1-70b-instruct-v1:0 in us-west-2") {
		t.Errorf("recommend on the import: %d\n%s\n%s", code, stdout, stderr)
	}
	// One hour of history is too little to commit on (--min-history, 14
	// days by default): the verdict says so, once; nothing committed
	// is bought, the break-even figures are still there; --min-history 0
	// lifts the guard.
	guard := "only 1 hour of history, less than --min-history 14 days: the recommendation buys no committed capacity"
	rec := byName(t, csvRows(t, filepath.Join(tmp, "r", "strategies.csv")), "strategy", "recommended")
	if strings.Count(stdout, guard) != 1 || strings.Count(stderr, guard) != 1 || rec["committed_mu"] != "0" || rec["reserved_term"] != "" {
		t.Errorf("min-history guard: %v\n%s\n%s", rec, stdout, stderr)
	}
	if _, err := os.Stat(filepath.Join(tmp, "r", "breakeven.csv")); err != nil {
		t.Error(err)
	}
	stdout, stderr, code = runCLI(t, "recommend", "--metrics", metrics, "--mu-input-tpm", "20000", "--mu-output-tpm", "2000", "--min-history", "0", "--out", filepath.Join(tmp, "r0"))
	if code != 0 || strings.Contains(stdout, "--min-history") || strings.Contains(stderr, "--min-history") {
		t.Errorf("--min-history 0: %d\n%s\n%s", code, stdout, stderr)
	}
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"import", "--out", filepath.Join(tmp, "x.csv")}, 2, "import: which files?"},
		{[]string{"import", "--out", filepath.Join(tmp, "x.csv"), trace}, 2, "say which model the requests are for: --model ID or --model-col NAME"},
		{[]string{"import", "--model", "m", "--out", filepath.Join(tmp, "x.csv"), trace}, 1, `no column "timestamp" (--time-col); did you mean "TIMESTAMP"?`},
		{[]string{"import", "--preset", "azure", "--out", filepath.Join(tmp, "x.csv"), trace}, 2, `--preset "azure": the only preset is azure-trace`},
		// Flags after the files are flags too.
		{[]string{"import", "--model", "m", trace, "--out", filepath.Join(tmp, "x.csv")}, 1, `no column "timestamp" (--time-col); did you mean "TIMESTAMP"?`},
	} {
		_, stderr, code := runCLI(t, c.args...)
		if code != c.code || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d\n%s\nwant %d %q", c.args, code, stderr, c.code, c.want)
		}
	}
}

// TestImportWarnsUnpricedModel: import says at once when a model id is
// not in the price catalogue, with the id it likely meant, and still
// writes the file; a known id, or an inference profile of a known model,
// gets no such warning or its own.
func TestImportWarnsUnpricedModel(t *testing.T) {
	tmp := t.TempDir()
	req := filepath.Join(tmp, "req.csv")
	os.WriteFile(req, []byte("timestamp,input_tokens,output_tokens\n2026-11-02T00:00:00Z,10,5\n2026-11-02T00:01:30Z,20,5\n"), 0o644)
	for _, c := range []struct{ model, want string }{
		{"meta.llama3-1-70b-instruct-v1", `bedrockplan: warning: model "meta.llama3-1-70b-instruct-v1" is not in the price catalogue; did you mean "meta.llama3-1-70b-instruct-v1:0"?`},
		{"us.meta.llama3-1-70b-instruct-v1:0", `bedrockplan: warning: the inference profile "us.meta.llama3-1-70b-instruct-v1:0" has no prices in the catalogue`},
		{"meta.llama3-1-70b-instruct-v1:0", ""},
	} {
		out := filepath.Join(t.TempDir(), "m.csv")
		_, stderr, code := runCLI(t, "import", "--model", c.model, "--out", out, req)
		if code != 0 {
			t.Fatalf("%s: %d %s", c.model, code, stderr)
		}
		if _, err := os.Stat(out); err != nil {
			t.Errorf("%s: %v", c.model, err)
		}
		if c.want == "" && stderr != "" || c.want != "" && (!strings.Contains(stderr, c.want) || strings.Count(stderr, "\n") != 1) {
			t.Errorf("%s: stderr %q, want one line with %q", c.model, stderr, c.want)
		}
	}
}

// TestUnconstrainedDemand: throttled requests are added back with
// --demand unconstrained, and the report says so.
func TestUnconstrainedDemand(t *testing.T) {
	tmp := t.TempDir()
	metrics := filepath.Join(tmp, "m.csv")
	os.WriteFile(metrics, []byte("timestamp,model_id,region,period_s,invocations,input_tokens,output_tokens,throttles\n"+
		"2026-11-02T00:00:00Z,amazon.titan-text-express-v1,us-east-1,60,10,10000,3000,5\n"+
		"2026-11-02T00:01:00Z,amazon.titan-text-express-v1,us-east-1,60,0,0,0,2\n"), 0o644)
	_, stderr, code := runCLI(t, "recommend", "--metrics", metrics, "--demand", "unconstrained", "--out", filepath.Join(tmp, "u"))
	if code != 0 {
		t.Fatal(stderr)
	}
	rows := strategyRows(t, filepath.Join(tmp, "u", "strategies.csv"))
	// 10 served + 5 + 2 throttled; the 2 are priced at the series' mean
	// of 1000 in / 300 out: 15,000 + 2,000 input and 4,500 + 600 output
	// tokens at $0.20 / $0.60 per million.
	if !strings.Contains(rows["on-demand"], ",17.000,") || !strings.Contains(rows["on-demand"], "0.006460") {
		t.Errorf("on-demand row: %s", rows["on-demand"])
	}
	summary, _ := os.ReadFile(filepath.Join(tmp, "u", "summary.md"))
	if !strings.Contains(string(summary), "unconstrained: 7 throttled requests added back") {
		t.Error("summary does not say the demand is unconstrained")
	}
	os.WriteFile(metrics, []byte("timestamp,model_id,period_s,invocations,input_tokens,output_tokens\n2026-11-02T00:00:00Z,amazon.titan-text-express-v1,60,1,1,1\n"), 0o644)
	_, stderr, code = runCLI(t, "recommend", "--metrics", metrics, "--demand", "unconstrained", "--out", filepath.Join(tmp, "v"))
	if code != 1 || !strings.Contains(stderr, "--demand unconstrained needs the throttles column (InvocationThrottles)") {
		t.Errorf("%d %s", code, stderr)
	}
}

// TestOptimiserFlags: each flag reaches the optimiser. (Bad values, refused
// with a clear message, are in testdata/script/recommend.txtar.)
func TestOptimiserFlags(t *testing.T) {
	metrics := demoMetrics(t)
	tmp := t.TempDir()
	// No Monte Carlo: these flags reach the optimiser, not the risk.
	base := []string{"recommend", "--metrics", metrics, "--mu-input-tpm", "1000000", "--mu-output-tpm", "300000", "--timezone", "Asia/Tokyo", "--scenarios", "0"}
	run := func(name string, extra ...string) map[string]string {
		out := filepath.Join(tmp, name)
		_, stderr, code := runCLI(t, append(append(append([]string{}, base...), extra...), "--out", out)...)
		if code != 0 {
			t.Fatalf("%s: %s", name, stderr)
		}
		return strategyRows(t, filepath.Join(out, "strategies.csv"))
	}
	if rec := run("committed-only", "--schedule=false")["recommended"]; !strings.Contains(rec, ",six_months,2,0.00,") {
		t.Errorf("--schedule=false: %s", rec)
	}
	if rec := run("one-month", "--terms", "none,one_month")["recommended"]; strings.Contains(rec, "six_months") {
		t.Errorf("--terms none,one_month still buys six_months: %s", rec)
	}
	if rec := run("capped", "--max-mu", "1")["recommended"]; !strings.Contains(rec, "1 MU 6-month") || strings.Contains(rec, "no-commit") {
		t.Errorf("--max-mu 1: %s", rec)
	}
	if rec := run("floor", "--min-mu", "3", "--schedule=false")["recommended"]; !strings.Contains(rec, ",six_months,3,") {
		t.Errorf("--min-mu 3: %s", rec)
	}
	// Existing commitments are billed in every strategy.
	existing := filepath.Join(tmp, "existing.yaml")
	os.WriteFile(existing, []byte("model_id: meta.llama3-1-70b-instruct-v1:0\ncommitted:\n  - {model_units: 2, term: one_month, start: 2026-10-20T00:00:00Z}\nrouting: spillover\n"), 0o644)
	rows := run("existing", "--existing", existing)
	if !strings.Contains(rows["on-demand"], "existing commitments") || strings.Contains(rows["on-demand"], ",0.000000,9587") {
		t.Errorf("on-demand with existing: %s", rows["on-demand"])
	}
}

// TestBurstFromFinerTier: hourly data with a 1-minute tier of the same
// model (as fetch writes) replays hourly with the peak ratio measured on
// the 1-minute tier, and the summary says what that changed.
func TestBurstFromFinerTier(t *testing.T) {
	cfg := workload.SeedScenario(3)
	cfg.Days = 8
	s, err := workload.Synthesize(cfg)
	if err != nil {
		t.Fatal(err)
	}
	cut := 6 * 24 * 60 // six days hourly, then two days of minutes
	old := &workload.Series{ModelID: s.ModelID, Region: s.Region, Period: s.Period,
		Start: s.Start[:cut], Invocations: s.Invocations[:cut], InputTokens: s.InputTokens[:cut], OutputTokens: s.OutputTokens[:cut]}
	hourly, err := workload.Resample(old, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	recent := &workload.Series{ModelID: s.ModelID, Region: s.Region, Period: s.Period,
		Start: s.Start[cut:], Invocations: s.Invocations[cut:], InputTokens: s.InputTokens[cut:], OutputTokens: s.OutputTokens[cut:]}
	tmp := t.TempDir()
	metrics := filepath.Join(tmp, "tiers.csv")
	writeMetrics(t, metrics, hourly, recent)
	out := filepath.Join(tmp, "r")
	_, stderr, code := runCLI(t, "recommend", "--metrics", metrics, "--mu-input-tpm", "1000000", "--mu-output-tpm", "300000", "--timezone", "Asia/Tokyo", "--out", out)
	if code != 0 {
		t.Fatal(stderr)
	}
	summary, _ := os.ReadFile(filepath.Join(out, "summary.md"))
	if !regexp.MustCompile(`Burst model: the busiest 1 minute of each 1-hour interval at [0-9.]+× its mean, measured on 48 intervals of the 1-minute data`).Match(summary) ||
		!strings.Contains(string(summary), "With flat traffic the recommended plan would cost") {
		t.Errorf("summary:\n%s", summary)
	}
}

// TestSummaryGolden: the demo's summary.md in both languages, with the
// clock and version fixed, is byte-identical to the goldens (-update
// rewrites them).
func TestSummaryGolden(t *testing.T) {
	t.Setenv("BEDROCKPLAN_NOW", "2026-11-26T12:00:00Z")
	t.Setenv("BEDROCKPLAN_VERSION", "test")
	goldens, _ := filepath.Abs(filepath.Join("testdata", "golden"))
	// The command line is in the summary: run from a fixed relative path.
	t.Chdir(t.TempDir())
	for _, lang := range []string{"en", "ja"} {
		out := "demo-" + lang
		// Charts in English whatever fonts this machine has, so the note
		// about them is stable.
		if _, stderr, code := runCLI(t, "demo", "--lang", lang, "--font", "none", "--out", out); code != 0 {
			t.Fatal(stderr)
		}
		got, _ := os.ReadFile(filepath.Join(out, "summary.md"))
		golden := filepath.Join(goldens, "summary."+lang+".md")
		if *update {
			os.WriteFile(golden, got, 0o644)
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run with -update)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("summary.md (%s) differs from %s (go test -update after checking the change)", lang, golden)
		}
	}
}

// TestReportFrom: a report rendered again from its folder's data alone is
// the original, byte for byte (the summaries, their numbers and the
// charts); --lang re-renders it in Japanese; a damaged folder is refused
// and left as it was.
func TestReportFrom(t *testing.T) {
	t.Setenv("BEDROCKPLAN_NOW", "2026-11-26T12:00:00Z")
	t.Setenv("BEDROCKPLAN_VERSION", "test")
	t.Chdir(t.TempDir())
	if _, stderr, code := runCLI(t, "demo", "--lang", "ja", "--out", "orig"); code != 0 {
		t.Fatal(stderr)
	}
	stdout, stderr, code := runCLI(t, "report", "--from", "orig", "--out", "again")
	if code != 0 {
		t.Fatal(stderr)
	}
	entries, _ := os.ReadDir("orig")
	for _, e := range entries {
		want, _ := os.ReadFile(filepath.Join("orig", e.Name()))
		got, err := os.ReadFile(filepath.Join("again", e.Name()))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s re-rendered differs from the original (%v)", e.Name(), err)
		}
	}
	if !strings.Contains(stdout, "推奨") || !strings.Contains(stdout, "Report rendered from orig to again") {
		t.Errorf("stdout:\n%s", stdout)
	}
	// In place, in English: the same figures in the other language.
	if _, stderr, code := runCLI(t, "report", "--from", "again", "--lang", "en"); code != 0 {
		t.Fatal(stderr)
	}
	en, _ := os.ReadFile(filepath.Join("again", "summary.md"))
	ja, _ := os.ReadFile(filepath.Join("orig", "summary.md"))
	money := regexp.MustCompile(`\$[0-9,]+\.[0-9]{2}`)
	if e, j := money.FindAllString(string(en), -1), money.FindAllString(string(ja), -1); len(e) < 10 || strings.Join(e, " ") != strings.Join(j, " ") {
		t.Errorf("amounts in English %v\nin Japanese %v", e, j)
	}
	if !bytes.Contains(en, []byte("## Verdict")) {
		t.Error("--lang en did not render English")
	}
	// Damage: a number that is not one. Nothing is written.
	os.WriteFile(filepath.Join("again", "risk.csv"), []byte("strategy,term\nx,y\n"), 0o644)
	_, stderr, code = runCLI(t, "report", "--from", "again", "--out", "third")
	if code != 1 || !strings.Contains(stderr, "risk.csv") {
		t.Errorf("damaged folder: exit %d, %s", code, stderr)
	}
	if _, err := os.Stat("third"); !os.IsNotExist(err) {
		t.Errorf("third was written from a damaged folder: %v", err)
	}
	_, stderr, code = runCLI(t, "demo", "--lang", "ja", "--font", "missing.ttf", "--out", "fontless")
	if code == 0 || !strings.Contains(stderr, "missing.ttf") {
		t.Errorf("--font missing.ttf: exit %d, %s", code, stderr)
	}
	if _, stderr, code := runCLI(t, "report"); code != 2 || !strings.Contains(stderr, "--from") {
		t.Errorf("no --from: exit %d, %s", code, stderr)
	}
}

// testVerdictMatchesCSV: every figure in the verdict is the one in
// strategies.csv and risk.csv.
func testVerdictMatchesCSV(t *testing.T, dir, stdout string) {
	rows := strategyRows(t, filepath.Join(dir, "strategies.csv"))
	rec := strings.Split(rows["recommended"], ",")
	od := strings.Split(rows["on-demand"], ",")
	money := func(s string) string { // 8346.413665 -> $8,346.41
		v, _ := strconv.ParseFloat(s, 64)
		return pricing.FromUSD(v).String()
	}
	m := regexp.MustCompile(`it costs (\$[0-9,.]+) \(PT (\$[0-9,.]+) \+ on-demand (\$[0-9,.]+)\) against (\$[0-9,.]+) all on-demand \(([0-9.]+)% less\)`).FindStringSubmatch(stdout)
	if m == nil {
		t.Fatalf("verdict:\n%s", stdout)
	}
	if m[1] != money(rec[6]) || m[2] != money(rec[4]) || m[3] != money(rec[5]) || m[4] != money(od[6]) {
		t.Errorf("verdict %v, strategies.csv total %s PT %s OD %s on-demand %s", m[1:5], rec[6], rec[4], rec[5], od[6])
	}
	if saving, _ := strconv.ParseFloat(rec[7], 64); m[5] != strconv.FormatFloat(saving, 'f', -1, 64) {
		t.Errorf("verdict saving %s%%, strategies.csv %s", m[5], rec[7])
	}
	risk, _ := os.ReadFile(filepath.Join(dir, "risk.csv"))
	var six, recRisk []string
	for _, line := range strings.Split(string(risk), "\n") {
		if strings.HasPrefix(line, "six-month,") {
			six = strings.Split(line, ",")
		}
		if strings.HasPrefix(line, "recommended,") {
			recRisk = strings.Split(line, ",")
		}
	}
	// The shares as risk.csv gives them, to one decimal, not rounded
	// again: the recommendation's first, then the 6-month commitment's.
	r := regexp.MustCompile(`the recommended plan costs more than on-demand in ([0-9.]+)% of (\d+) scenarios; a 6-month commitment alone \((\d+) MU\) in ([0-9.]+)%`).FindStringSubmatch(stdout)
	pct, _ := strconv.ParseFloat(six[10], 64)
	recPct, _ := strconv.ParseFloat(recRisk[10], 64)
	if r == nil || r[1] != strconv.FormatFloat(recPct, 'f', -1, 64) || r[2] != recRisk[11] || r[3] != six[2] || r[4] != strconv.FormatFloat(pct, 'f', -1, 64) {
		t.Errorf("verdict risk %v, risk.csv %v and %v", r, recRisk, six)
	}
}
