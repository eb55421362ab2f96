package reports

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // tests load Asia/Tokyo and America/New_York on machines without zoneinfo

	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/sim"
	"github.com/bedrockplan/bedrockplan/workload"
)

func seedReport(t *testing.T, days int) *Report {
	t.Helper()
	cfg := workload.SeedScenario(11)
	cfg.Days = days
	s, err := workload.Synthesize(cfg)
	if err != nil {
		t.Fatal(err)
	}
	o, err := pricing.Default().Lookup(cfg.ModelID, cfg.Region)
	if err != nil {
		t.Fatal(err)
	}
	o.Throughput = pricing.Throughput{InputTPM: 1_000_000, OutputTPM: 300_000, Provenance: pricing.ProvenanceAssumed, Source: "test"}
	a, err := sim.Analyse(sim.Env{Series: s, Offer: o, TimeZone: cfg.Location}, nil)
	if err != nil {
		t.Fatal(err)
	}
	rec := a.Strategy(sim.StrategyRecommended)
	res, err := sim.Replay(s, rec.Plan, o, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return &Report{CommandLine: "bedrockplan test", Series: s, Offer: o, Analysis: a, Detail: sim.StrategyRecommended,
		DetailResult: res, TimeZone: cfg.Location, CatalogueAsOf: "2026-11-26"}
}

// writeFolder writes a new report folder with write and returns its path.
func writeFolder(t *testing.T, write func(*Folder) error) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "out")
	f, err := CreateFolder(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := write(f); err != nil {
		t.Fatal(err)
	}
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	return dir
}

// writeReport writes r's folder and returns its path.
func writeReport(t *testing.T, r *Report) string { t.Helper(); return writeFolder(t, r.Write) }

func readCSV(t *testing.T, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, r := range rows[1:] {
		m := map[string]string{}
		for i, h := range rows[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

// micro parses a six-decimal dollar amount exactly.
func micro(t *testing.T, s string) int64 {
	t.Helper()
	whole, frac, ok := strings.Cut(s, ".")
	if !ok || len(frac) != 6 {
		t.Fatalf("%q is not a six-decimal amount", s)
	}
	w, err1 := strconv.ParseInt(whole, 10, 64)
	f, err2 := strconv.ParseInt(frac, 10, 64)
	if err1 != nil || err2 != nil {
		t.Fatalf("%q: %v %v", s, err1, err2)
	}
	return w*1_000_000 + f
}

// checkFilesListed: the folder holds exactly the files Files lists (the
// CLI prints that list and the summaries embed the charts on it).
func checkFilesListed(t *testing.T, r *Report, dir string) {
	t.Helper()
	listed := map[string]bool{}
	for _, name := range r.Files() {
		listed[name] = true
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Error(err)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !listed[e.Name()] {
			t.Errorf("%s was written but Files does not list it", e.Name())
		}
	}
}

// TestReportFolder writes a whole report and checks that it reconciles:
// intervals.csv's cost columns add up, to the micro-dollar, to the
// recommended row of strategies.csv; and the chosen cost-curve point is
// that row.
func TestReportFolder(t *testing.T) {
	r := seedReport(t, 7)
	dir := writeReport(t, r)
	checkFilesListed(t, r, dir)
	strategies := readCSV(t, filepath.Join(dir, "strategies.csv"))
	var rec map[string]string
	for _, row := range strategies {
		if row["strategy"] == "recommended" {
			rec = row
		}
	}
	var pt, od, total int64
	var throttled float64
	for _, row := range readCSV(t, filepath.Join(dir, "intervals.csv")) {
		pt += micro(t, row["provisioned_cost_usd"])
		od += micro(t, row["on_demand_cost_usd"])
		total += micro(t, row["total_cost_usd"])
		v, _ := strconv.ParseFloat(row["throttled_requests"], 64)
		throttled += v
	}
	if pt != micro(t, rec["provisioned_cost_usd"]) || od != micro(t, rec["on_demand_cost_usd"]) || total != micro(t, rec["total_cost_usd"]) || total != pt+od {
		t.Errorf("intervals add up to %d + %d = %d µ$; strategies.csv says %s + %s = %s", pt, od, total,
			rec["provisioned_cost_usd"], rec["on_demand_cost_usd"], rec["total_cost_usd"])
	}
	for _, row := range readCSV(t, filepath.Join(dir, "cost_curve.csv")) {
		if row["chosen"] == "true" && (row["total_cost_usd"] != rec["total_cost_usd"] || row["committed_mu"] != rec["committed_mu"] || row["term"] != rec["committed_term"]) {
			t.Errorf("chosen curve point %v differs from the recommended row %v", row, rec)
		}
	}
	summary, _ := os.ReadFile(filepath.Join(dir, "summary.md"))
	recS := r.Analysis.Strategy(sim.StrategyRecommended)
	for _, want := range []string{recS.Totals.Total().String(), "ASSUMED", "![Total cost vs committed model units](cost_curve.png)", "| PT 6-month, per MU-hour | $13.08 |"} {
		if !bytes.Contains(summary, []byte(want)) {
			t.Errorf("summary.md lacks %q", want)
		}
	}
	for _, name := range []string{"demand.png", "costs.png", "cost_curve.png"} {
		checkPNG(t, filepath.Join(dir, name))
	}
}

// checkPNG: the chart decodes, has the promised size, and is not blank
// (it has the layer colours in it).
func checkPNG(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	height := 480
	if filepath.Base(path) == "demand.png" {
		height = 768 // two panels: input and output
	}
	if b := img.Bounds(); b.Dx() != 1056 || b.Dy() != height {
		t.Errorf("%s: %dx%d, want 1056x%d", path, b.Dx(), b.Dy(), height)
	}
	colours := map[[3]uint32]int{}
	sample(img, func(r, g, b uint32) { colours[[3]uint32{r >> 8, g >> 8, b >> 8}]++ })
	if len(colours) < 8 {
		t.Errorf("%s: only %d colours; blank?", path, len(colours))
	}
	blue := colours[[3]uint32{0x00, 0x72, 0xB2}] + colours[[3]uint32{0x56, 0xB4, 0xE9}]
	orange := colours[[3]uint32{0xE6, 0x9F, 0x00}]
	if filepath.Base(path) != "cost_curve.png" && (blue < 100 || orange < 100) {
		t.Errorf("%s: %d PT-blue and %d on-demand-orange pixels; layers missing?", path, blue, orange)
	}
}

func sample(img image.Image, fn func(r, g, b uint32)) {
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			fn(r, g, bl)
		}
	}
}

func TestFolderIsAtomic(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "out")
	f, err := CreateFolder(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.WriteBytes("a.csv", []byte("x")); err != nil {
		t.Fatal(err)
	}
	if err := f.Write("b.csv", func(io.Writer) error { return errors.New("disk on fire") }); err == nil || err.Error() != "b.csv: disk on fire" {
		t.Fatalf("write error: %v", err)
	}
	f.Abort()
	if entries, _ := os.ReadDir(parent); len(entries) != 0 {
		t.Fatalf("a failed run left %v", entries)
	}
	// A non-empty folder is refused without force, replaced with it.
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, "old.txt"), []byte("mine"), 0o644)
	if _, err := CreateFolder(dir, false); err == nil || !strings.Contains(err.Error(), "is not empty; choose a new folder or add --force") {
		t.Errorf("non-empty folder: %v", err)
	}
	if _, err := CreateFolder(dir, true, filepath.Join(dir, "old.txt")); err == nil || !strings.Contains(err.Error(), "holds the input") {
		t.Errorf("input inside the folder: %v", err)
	}
	f, err = CreateFolder(dir, true)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteBytes("new.txt", []byte("new"))
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != "new.txt" {
		t.Errorf("after --force: %v", entries)
	}
	if all, _ := os.ReadDir(parent); len(all) != 1 {
		t.Errorf("staging left behind: %v", all)
	}
}

func TestPlanRoundTrip(t *testing.T) {
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	p := sim.Plan{ModelID: "amazon.titan-text-express-v1", Region: "us-east-1", TimeZone: tokyo, Routing: sim.RouteSpillover,
		Committed: []sim.Commitment{{ModelUnits: 2, Term: pricing.TermSixMonths, Start: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}},
		Scheduled: []sim.Scheduled{{ModelUnits: 1, Window: sim.DefaultBusinessHours}, {ModelUnits: 3, Window: sim.Window{Days: []time.Weekday{time.Saturday}, From: 22 * 60, To: 1440}}},
		PTWindows: []sim.Window{sim.DefaultBusinessHours}}
	var b bytes.Buffer
	if err := WritePlan(&b, p); err != nil {
		t.Fatal(err)
	}
	back, err := ReadPlan(bytes.NewReader(b.Bytes()), "plan.yaml")
	if err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	if Describe(back) != Describe(p) || back.TimeZone.String() != "Asia/Tokyo" || len(back.Scheduled) != 2 || back.Scheduled[1].To != 1440 {
		t.Errorf("round trip:\n%s\n%s\n%s", b.String(), Describe(p), Describe(back))
	}
	// The file DESIGN.md §4 shows reads as it says.
	design := `model_id: amazon.titan-text-express-v1
region: us-east-1
timezone: Asia/Tokyo
committed:
  - {model_units: 2, term: six_months, start: 2026-12-01T00:00:00Z}
scheduled:
  - {model_units: 1, days: [mon, tue, wed, thu, fri], from: "09:00", to: "17:00"}
routing: spillover          # or: provisioned-only
`
	d, err := ReadPlan(strings.NewReader(design), "design.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if got := Describe(d); got != "2 MU 6-month from 2026-12-01 09:00 JST + 1 MU no-commit Mon,Tue,Wed,Thu,Fri 09:00-17:00 (Asia/Tokyo); overflow to on-demand" {
		t.Errorf("DESIGN example: %s", got)
	}
}

func TestBadPlans(t *testing.T) {
	files, _ := filepath.Glob("testdata/badplan/*.yaml")
	if len(files) < 6 {
		t.Fatalf("%d bad plan fixtures", len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			want, err := os.ReadFile(strings.TrimSuffix(f, ".yaml") + ".err")
			if err != nil {
				t.Fatal(err)
			}
			in, _ := os.Open(f)
			defer in.Close()
			_, err = ReadPlan(in, f)
			if err == nil || err.Error() != strings.TrimSpace(string(want)) {
				t.Errorf("got\n%v\nwant\n%s", err, want)
			}
		})
	}
}

func TestSI(t *testing.T) {
	for v, want := range map[float64]string{0: "0", 999: "999", 999.7: "1K", 1500: "1.5K", 414_910: "415K", 2_500_000: "2.5M", 21_320_731: "21.3M", 3e9: "3B", 0.25: "0.25"} {
		if got := SI(v); got != want {
			t.Errorf("SI(%v) = %s, want %s", v, got, want)
		}
	}
}

// TestEveryColumnDocumented: columns.md explains every CSV column, in a
// report folder and at the top of an account folder (portfolio.csv in
// both its forms).
func TestEveryColumnDocumented(t *testing.T) {
	for _, tbl := range columnSets() {
		for _, c := range tbl.columns {
			if columnDocs[c] == "" {
				t.Errorf("%s column %s has no entry in columnDocs", tbl.title, c)
			}
		}
	}
	for _, detail := range []string{sim.StrategyRecommended, sim.StrategyPlan} {
		sets := accountColumnSets(detail)
		if len(sets) != 4 {
			t.Errorf("account (%s): %d column sets, want assumptions, portfolio, commitments and cash flow", detail, len(sets))
		}
		for _, tbl := range sets {
			for _, c := range tbl.columns {
				if columnDocs[c] == "" && accountDocs[c] == "" {
					t.Errorf("account's %s column %s has no entry in columnDocs", tbl.title, c)
				}
			}
		}
	}
}

// TestDescribeJapanese: the Japanese plan description says what the
// English one says, PT windows included.
func TestDescribeJapanese(t *testing.T) {
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	start := time.Date(2026, 11, 2, 0, 0, 0, 0, tokyo)
	bh := sim.Window{Days: []time.Weekday{time.Monday, time.Friday}, From: 9 * 60, To: 17 * 60}
	p := sim.Plan{ModelID: "m", TimeZone: tokyo, Routing: sim.RouteProvisionedOnly,
		Committed: []sim.Commitment{{ModelUnits: 2, Term: pricing.TermOneMonth, Start: start}, {ModelUnits: 2, Term: pricing.TermOneMonth, Start: start.AddDate(0, 1, 0)}},
		Scheduled: []sim.Scheduled{{ModelUnits: 1, Window: bh}}, PTWindows: []sim.Window{bh}}
	r := &Report{Lang: LangJapanese, TimeZone: tokyo}
	want := "2026年11月2日 00:00 JST から 2 MU（1か月コミット）、1 回更新 ＋ 1 MU（コミットなし、月・金曜 09:00〜17:00 Asia/Tokyo）。" +
		"PT に送るのは 月・金曜 09:00〜17:00（Asia/Tokyo）のトラフィックのみ。超過分はスロットリング"
	if got := r.describe(p); got != want {
		t.Errorf("describe:\n%s\nwant\n%s", got, want)
	}
	if en := Describe(p); !strings.Contains(en, "renewed 1 times") || !strings.Contains(en, "traffic sent to PT only Mon,Fri 09:00-17:00") {
		t.Errorf("English: %s", en)
	}
}

// TestCostCurveTitle: the title names the cheapest commitment alone, as
// cost_curve.csv has it, when the recommendation also schedules MUs.
func TestCostCurveTitle(t *testing.T) {
	r := seedReport(t, 7)
	a := r.Analysis
	if a.Chosen >= 0 || slices.Max(a.Optimum.Scheduled[:]) == 0 {
		t.Fatalf("the seed scenario's recommendation should schedule MUs (chosen %d)", a.Chosen)
	}
	best := a.Curve[0]
	for _, c := range a.Curve {
		if c.Totals.Total() < best.Totals.Total() {
			best = c
		}
	}
	want := fmt.Sprintf("Committing alone, %d MU %s is cheapest (%s); the plan also schedules MUs by the hour", best.MU, sim.TermLabel(best.Term), best.Totals.Total())
	if got := costCurveTitle(curveRows(a), a.Chosen, true, ChartText{}); got != want {
		t.Errorf("title %q, want %q", got, want)
	}
}

// TestSpan: windows read in the unit that suits them, in both languages.
func TestSpan(t *testing.T) {
	for _, c := range []struct {
		d             time.Duration
		adj, noun, ja string
	}{
		{14 * 24 * time.Hour, "14-day", "14 days", "14日間"},
		{84 * time.Hour, "3.5-day", "3.5 days", "3.5日間"},
		{48 * time.Hour, "2-day", "2 days", "2日間"},
		{36 * time.Hour, "36-hour", "36 hours", "36時間"},
		{time.Hour, "1-hour", "1 hour", "1時間"},
		{90 * time.Minute, "1.5-hour", "1.5 hours", "1.5時間"},
		{45 * time.Minute, "45-minute", "45 minutes", "45分間"},
	} {
		if got := language(LangEnglish).span(c.d, true); got != c.adj {
			t.Errorf("%s: adjective %q, want %q", c.d, got, c.adj)
		}
		if got := language(LangEnglish).span(c.d, false); got != c.noun {
			t.Errorf("%s: noun %q, want %q", c.d, got, c.noun)
		}
		if got := language(LangJapanese).span(c.d, false); got != c.ja {
			t.Errorf("%s: Japanese %q, want %q", c.d, got, c.ja)
		}
	}
}

// TestVerdictWhenPTDoesNotPay: when the cheapest plan buys no model units
// the verdict says to stay on-demand and why, not "Recommended: no
// Provisioned Throughput", in both languages, and the cost chart's title
// does not call it a recommendation either.
func TestVerdictWhenPTDoesNotPay(t *testing.T) {
	r := seedReport(t, 7)
	s := r.Series
	for i := range s.Invocations {
		s.Invocations[i] /= 100
		s.InputTokens[i] /= 100
		s.OutputTokens[i] /= 100
	}
	a, err := sim.Analyse(sim.Env{Series: s, Offer: r.Offer, TimeZone: r.TimeZone}, nil)
	if err != nil {
		t.Fatal(err)
	}
	rec := a.Strategy(sim.StrategyRecommended)
	if rec.Skipped || rec.Plan.HasPT() {
		t.Fatalf("the recommendation should buy no PT for a hundredth of the seed traffic: %s", Describe(rec.Plan))
	}
	if r.DetailResult, err = sim.Replay(s, rec.Plan, r.Offer, sim.Options{}); err != nil {
		t.Fatal(err)
	}
	r.Analysis = a
	od := a.Strategy(sim.StrategyOnDemand).Totals.Total()
	var dir string
	for lang, want := range map[string][]string{
		LangEnglish:  {"stay on-demand, " + od.String() + " over the 7-day window.", "PT does not pay for this traffic: the cheapest plan buys no model units."},
		LangJapanese: {"オンデマンドのままで、7日間の費用は " + od.String() + "。", "このトラフィックでは PT は割に合いません。"},
	} {
		r.Lang = lang
		dir = writeReport(t, r)
		v := r.Verdict()
		for _, w := range want {
			if !strings.Contains(v, w) {
				t.Errorf("%s verdict lacks %q:\n%s", lang, w, v)
			}
		}
		if strings.Contains(v, "Recommended") || strings.Contains(v, "推奨（") {
			t.Errorf("%s verdict still recommends:\n%s", lang, v)
		}
	}
	// The cost chart, drawn from the data read back, names the cheapest
	// strategy instead of a recommendation "0% less" than on-demand.
	loaded, err := LoadReport(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := "Cost by strategy over 7 days: on-demand is cheapest at " + od.String()
	if got := costChartTitle(loaded.data.strategies, loaded.Detail, loaded.window(), ChartText{lang: LangEnglish}); got != want {
		t.Errorf("cost chart title %q, want %q", got, want)
	}
}

// TestPeriod: interval lengths read in the largest unit that divides them.
func TestPeriod(t *testing.T) {
	for d, want := range map[time.Duration][2]string{
		time.Minute: {"1-minute", "1分"}, 5 * time.Minute: {"5-minute", "5分"}, 90 * time.Minute: {"90-minute", "90分"},
		time.Hour: {"1-hour", "1時間"}, 24 * time.Hour: {"1-day", "1日"}, 90 * time.Second: {"1m30s", "1m30s"},
	} {
		if got := language(LangEnglish).period(d); got != want[0] {
			t.Errorf("%s: %q, want %q", d, got, want[0])
		}
		if got := language(LangJapanese).period(d); got != want[1] {
			t.Errorf("%s: Japanese %q, want %q", d, got, want[1])
		}
	}
}

// TestCostChartTitleNamesTheDetail: simulate's cost chart is titled
// after the plan simulated, as its verdict is, not after the
// recommendation the analysis also computed; recommend's after the
// recommendation.
func TestCostChartTitleNamesTheDetail(t *testing.T) {
	r := seedReport(t, 7)
	s := r.Series
	plan := sim.Plan{ModelID: s.ModelID, Region: r.Offer.Region, Routing: sim.RouteSpillover,
		Committed: []sim.Commitment{{ModelUnits: 3, Term: pricing.TermOneMonth, Start: s.Time(0)}}}
	a, err := sim.Analyse(sim.Env{Series: s, Offer: r.Offer, TimeZone: r.TimeZone}, &plan)
	if err != nil {
		t.Fatal(err)
	}
	mine, rec, od := a.Strategy(sim.StrategyPlan), a.Strategy(sim.StrategyRecommended), a.Strategy(sim.StrategyOnDemand)
	if mine.Totals.Total() == rec.Totals.Total() {
		t.Fatalf("the test plan should cost other than the recommendation (%s)", rec.Totals.Total())
	}
	pct := func(st *sim.Strategy) (string, string) {
		d := float64(st.Totals.Total()-od.Totals.Total()) / float64(od.Totals.Total())
		word := "less"
		if d > 0 {
			word = "more"
		}
		return sig3(100 * math.Abs(d)), word
	}
	p, w := pct(mine)
	want := fmt.Sprintf("Cost over 7 days: your plan %s, %s%% %s than on-demand", mine.Totals.Total(), p, w)
	if got := costChartTitle(strategyRows(a), sim.StrategyPlan, r.window(), ChartText{lang: LangEnglish}); got != want {
		t.Errorf("simulate's title %q, want %q", got, want)
	}
	if got := costChartTitle(strategyRows(a), sim.StrategyPlan, r.window(), ChartText{lang: LangJapanese}); !strings.HasPrefix(got, "7日間の費用：指定プランは "+mine.Totals.Total().String()) {
		t.Errorf("simulate's Japanese title %q", got)
	}
	p, w = pct(rec)
	want = fmt.Sprintf("Cost over 7 days: recommended %s, %s%% %s than on-demand", rec.Totals.Total(), p, w)
	if got := costChartTitle(strategyRows(a), sim.StrategyRecommended, r.window(), ChartText{lang: LangEnglish}); got != want {
		t.Errorf("recommend's title %q, want %q", got, want)
	}
}

// TestDescribeEnglish: a plan in one line of English, its runs of
// renewals counted and its scheduled block in the plan's zone.
func TestDescribeEnglish(t *testing.T) {
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	p := sim.Plan{TimeZone: tokyo, Routing: sim.RouteSpillover,
		Committed: sim.CoverWindow(2, pricing.TermOneMonth, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)),
		Scheduled: []sim.Scheduled{{ModelUnits: 1, Window: sim.DefaultBusinessHours}}}
	want := "2 MU 1-month from 2026-01-01 09:00 JST, renewed 2 times + 1 MU no-commit Mon,Tue,Wed,Thu,Fri 09:00-17:00 (Asia/Tokyo); overflow to on-demand"
	if got := Describe(p); got != want {
		t.Errorf("Describe =\n%s\nwant\n%s", got, want)
	}
}
