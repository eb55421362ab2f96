package reports

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/image/font/gofont/goregular"

	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/sim"
	"github.com/bedrockplan/bedrockplan/workload"
)

// richReport is a report with every optional part: a burst model (and so
// a flat comparison), an existing commitment, gaps, notes, inputs, and a
// risk analysis.
func richReport(t *testing.T, lang string) *Report {
	t.Helper()
	r, _, _ := richReportOf(t, lang, func(*pricing.Offer) {}, 50)
	return r
}

// richReportOf is richReport with its offer changed by offer and
// scenarios risk scenarios; it also returns the analysis's environment
// and the forecast, for further analyses.
func richReportOf(t *testing.T, lang string, offer func(*pricing.Offer), scenarios int) (*Report, sim.Env, *workload.Forecast) {
	t.Helper()
	cfg := workload.SeedScenario(5)
	cfg.Days = 21
	fine, err := workload.Synthesize(cfg)
	if err != nil {
		t.Fatal(err)
	}
	s, err := workload.Resample(fine, 5*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	o, err := pricing.Default().Lookup(cfg.ModelID, cfg.Region)
	if err != nil {
		t.Fatal(err)
	}
	o.Throughput = pricing.Throughput{InputTPM: 1_000_000, OutputTPM: 300_000, Provenance: pricing.ProvenanceAccountTeam, Source: "account team", AsOf: "2026-11-20"}
	offer(&o)
	burst := sim.Burst{Ratio: 1.3}
	existing := []sim.Commitment{{ModelUnits: 1, Term: pricing.TermOneMonth, Start: s.Time(0).AddDate(0, 0, -20)}}
	env := sim.Env{Series: s, Offer: o, TimeZone: cfg.Location, Options: sim.Options{Burst: burst}, Optimise: sim.OptimiseOptions{Existing: existing}}
	a, err := sim.Analyse(env, nil)
	if err != nil {
		t.Fatal(err)
	}
	if a.Flat == nil {
		t.Fatal("no flat comparison with a burst model")
	}
	fc, err := workload.FitForecast(s, cfg.Location)
	if err != nil {
		t.Fatal(err)
	}
	risk, err := sim.AssessRisk(env, fc, a.Optimum, sim.RiskOptions{Scenarios: scenarios, MigrationRisk: 0.1, Seed: 3, Burst: burst})
	if err != nil {
		t.Fatal(err)
	}
	rec := a.Strategy(sim.StrategyRecommended)
	res, err := sim.Replay(s, rec.Plan, o, sim.Options{Burst: burst})
	if err != nil {
		t.Fatal(err)
	}
	return &Report{CommandLine: "bedrockplan recommend --metrics \"my metrics.csv\"", Series: s, Offer: o, Analysis: a, Detail: sim.StrategyRecommended,
		DetailResult: res, TimeZone: cfg.Location, CatalogueAsOf: "2026-11-26", Today: time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC), Lang: lang,
		Version: "test", Inputs: []Input{{Name: "my metrics.csv", SHA256: strings.Repeat("ab", 32)}}, Burst: burst,
		BurstFrom: &sim.BurstChoice{Kind: sim.BurstMeasured, Ratio: burst.Ratio, Of: 5 * time.Minute, Finer: time.Minute, Intervals: 96}, BurstFile: "my metrics.csv", Demand: Demand{Kind: DemandServed, File: "my \"metrics\", v2.csv"},
		Gaps: []workload.Gap{{From: s.Time(10), Missing: 3}}, GapPolicy: workload.GapPolicy("zero"), Risk: risk,
	}, env, fc
}

// TestLoadReportRoundTrip: the summaries and charts rendered from the
// folder's data alone are the ones Write produced from the analysis,
// byte for byte, in both languages; and they state what the analysis
// computed (the summary is not merely consistent with itself).
func TestLoadReportRoundTrip(t *testing.T) {
	for _, lang := range []string{LangEnglish, LangJapanese} {
		r := richReport(t, lang)
		dir := writeReport(t, r)
		checkFilesListed(t, r, dir)
		loaded, err := LoadReport(dir)
		if err != nil {
			t.Fatal(err)
		}
		again := writeFolder(t, loaded.Render)
		rendered, _ := os.ReadDir(again)
		if len(rendered) < 8 {
			t.Fatalf("%s: rendered only %d files", lang, len(rendered))
		}
		for _, e := range rendered {
			want, _ := os.ReadFile(filepath.Join(dir, e.Name()))
			got, _ := os.ReadFile(filepath.Join(again, e.Name()))
			if !bytes.Equal(got, want) {
				t.Errorf("%s: %s rendered from the data differs from the original", lang, e.Name())
			}
		}
		if loaded.Verdict() != r.Verdict() {
			t.Errorf("%s: verdict\n%s\nwant\n%s", lang, loaded.Verdict(), r.Verdict())
		}
		summary, _ := os.ReadFile(filepath.Join(dir, "summary.md"))
		rec := r.Analysis.Strategy(sim.StrategyRecommended)
		wants := []string{rec.Totals.Total().String(), r.Analysis.Flat.RecommendedFlat.Total().String(), "my \"metrics\", v2.csv",
			strings.Repeat("ab", 32), "--gaps zero"}
		if lang == LangEnglish {
			wants = append(wants, "Existing commitment: 1 MU 1-month", "Data gaps: 3 missing intervals in 1 gaps",
				"Burst model: the busiest 1 minute of each 5-minute interval at 1.30× its mean, measured on 96 intervals of the 1-minute data in my metrics.csv.")
		} else {
			wants = append(wants, "バーストモデル：5分間隔ごとに最も混む1分間を平均の 1.30 倍とする（my metrics.csv の1分間隔データの 96 間隔で測定）")
		}
		for _, want := range wants {
			if !bytes.Contains(summary, []byte(want)) {
				t.Errorf("%s: summary.md lacks %q", lang, want)
			}
		}
		if lo, hi := r.Risk.Forecast.GrowthInterval(0.8); !bytes.Contains(summary, []byte(trim(100*lo)+"%")) || !bytes.Contains(summary, []byte(trim(100*hi)+"%")) {
			t.Errorf("%s: summary.md lacks the growth interval %s%%..%s%%", lang, trim(100*lo), trim(100*hi))
		}
	}
}

// TestLoadReportProblems: a damaged folder is refused with the file, line
// and column of the problem.
func TestLoadReportProblems(t *testing.T) {
	dir := writeReport(t, seedReport(t, 7))
	damage := func(name, old, new string) string {
		t.Helper()
		copyDir := filepath.Join(t.TempDir(), "copy")
		os.MkdirAll(copyDir, 0o755)
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			data, _ := os.ReadFile(filepath.Join(dir, e.Name()))
			if e.Name() == name {
				if !bytes.Contains(data, []byte(old)) {
					t.Fatalf("%s lacks %q", name, old)
				}
				data = bytes.Replace(data, []byte(old), []byte(new), 1)
			}
			os.WriteFile(filepath.Join(copyDir, e.Name()), data, 0o644)
		}
		return copyDir
	}
	strategies, _ := os.ReadFile(filepath.Join(dir, "strategies.csv"))
	var recLine string
	for _, line := range strings.Split(string(strategies), "\n") {
		if strings.HasPrefix(line, "recommended,") {
			recLine = line
		}
	}
	withTotal := func(total string) string {
		f := strings.Split(recLine, ",")
		f[6] = total
		return strings.Join(f, ",")
	}
	for _, c := range []struct{ name, old, new, want string }{
		{"strategies.csv", recLine, withTotal("12x"), ": total_cost_usd: \"12x\" is not an amount"},
		{"strategies.csv", recLine, withTotal("1.00"), ": total_cost_usd: 1.00 is not PT plus Reserved plus on-demand cost"},
		{"strategies.csv", "strategy,", "strategie,", `strategies.csv:1: column 1 is "strategie", expected "strategy"`},
		{"assumptions.csv", "time_zone,Asia/Tokyo", "time_zone,Asia/Tokio", "assumptions.csv: time_zone:"},
		{"pricing.yaml", "usd: 13.08", "usd: -14.8", "pricing.yaml"},
		{"intervals.csv", "T", "X", "intervals.csv:2: timestamp:"},
	} {
		_, err := LoadReport(damage(c.name, c.old, c.new))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s with %q: error %v, want it to contain %q", c.name, c.new, err, c.want)
		}
	}
	empty := t.TempDir()
	if _, err := LoadReport(empty); err == nil || !strings.Contains(err.Error(), "assumptions.csv") {
		t.Errorf("empty folder: %v", err)
	}
}

// TestJapaneseCharts: with a font that has the glyphs, a Japanese report's
// charts are drawn in Japanese (they differ from the English ones) and the
// summary names the font; without one they stay in English and the
// summary says why.
func TestJapaneseCharts(t *testing.T) {
	font := FindChartFont()
	if font == nil {
		t.Skip("no font with Japanese glyphs in the usual locations (Debian: apt install fonts-ipafont-gothic); .ci/run installs one")
	}
	r := richReport(t, LangJapanese)
	english := writeReport(t, r)
	r.ChartFont = font
	japanese := writeReport(t, r)
	for _, name := range []string{"demand.png", "costs.png", "cost_curve.png", "schedule.png", "load_duration.png", "risk.png"} {
		en, _ := os.ReadFile(filepath.Join(english, name))
		ja, _ := os.ReadFile(filepath.Join(japanese, name))
		if img, err := png.Decode(bytes.NewReader(ja)); err != nil || img.Bounds().Dx() < 1000 {
			t.Errorf("%s: %v", name, err)
		}
		if bytes.Equal(en, ja) {
			t.Errorf("%s: the Japanese chart is the English one", name)
		}
	}
	summary, _ := os.ReadFile(filepath.Join(japanese, "summary.md"))
	if !bytes.Contains(summary, []byte("グラフはフォント "+filepath.Base(font.Path)+" で日本語表示しています。")) {
		t.Error("summary.md does not name the chart font")
	}
	summary, _ = os.ReadFile(filepath.Join(english, "summary.md"))
	if !bytes.Contains(summary, []byte("グラフの文字は英語です。")) {
		t.Error("summary.md does not say why the charts are in English")
	}
}

// TestLoadChartFontRefuses: files that are not fonts, and fonts without
// Japanese glyphs, are refused with the reason.
func TestLoadChartFontRefuses(t *testing.T) {
	dir := t.TempDir()
	latin := filepath.Join(dir, "Go-Regular.ttf")
	os.WriteFile(latin, goregular.TTF, 0o644)
	notFont := filepath.Join(dir, "notes.ttf")
	os.WriteFile(notFont, []byte("not a font"), 0o644)
	for path, want := range map[string]string{
		latin:                          `has no glyph for '日'`,
		notFont:                        "not a TrueType or OpenType font",
		filepath.Join(dir, "x.ttc"):    "no such file",
		filepath.Join(dir, "none.ttf"): "no such file",
	} {
		if _, err := LoadChartFont(path); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("LoadChartFont(%s): %v, want %q", filepath.Base(path), err, want)
		}
	}
}
