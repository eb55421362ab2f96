package main

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/workload"
)

// intervalCosts adds up the cost columns of intervals rows, exactly.
func intervalCosts(t *testing.T, rows []map[string]string) (pt, od, total pricing.Money) {
	t.Helper()
	for _, r := range rows {
		pt += money(t, r["provisioned_cost_usd"])
		od += money(t, r["on_demand_cost_usd"])
		total += money(t, r["total_cost_usd"])
	}
	return pt, od, total
}

// checkReRender runs report --from dir into a new folder and checks that
// the summary it renders is the one the run wrote.
func checkReRender(t *testing.T, dir string) {
	t.Helper()
	again := filepath.Join(t.TempDir(), "again")
	if _, stderr, code := runCLI(t, "report", "--from", dir, "--out", again); code != 0 {
		t.Fatalf("report --from %s: %s", filepath.Base(dir), stderr)
	}
	for _, name := range []string{"summary.md", "summary.html"} {
		want, _ := os.ReadFile(filepath.Join(dir, name))
		got, _ := os.ReadFile(filepath.Join(again, name))
		if len(want) == 0 || !bytes.Equal(got, want) {
			t.Errorf("report --from %s: %s differs from the one the run wrote", filepath.Base(dir), name)
		}
	}
}

// TestIntervalsFlag: recommend --intervals hourly writes one row per hour
// whose costs add up, to the micro-dollar, to the full file's and to
// strategies.csv; --intervals none writes no intervals and no demand
// chart; report --from re-renders both as they were; a mode it does not
// know is a usage error.
func TestIntervalsFlag(t *testing.T) {
	metrics := demoMetrics(t)
	recommend := func(name string, extra ...string) (string, string) {
		t.Helper()
		out := filepath.Join(t.TempDir(), name)
		args := append([]string{"recommend", "--metrics", metrics, "--mu-input-tpm", "1000000", "--mu-output-tpm", "300000",
			"--timezone", "Asia/Tokyo", "--scenarios", "0", "--out", out}, extra...)
		stdout, stderr, code := runCLI(t, args...)
		if code != 0 {
			t.Fatalf("recommend %v: %s", extra, stderr)
		}
		return out, stdout
	}
	full, _ := recommend("full")
	hourly, stdout := recommend("hourly", "--intervals", "hourly")
	if !strings.Contains(stdout, "intervals.csv, plan.yaml") {
		t.Errorf("stdout: %s", stdout)
	}
	every, hours := csvRows(t, filepath.Join(full, "intervals.csv")), csvRows(t, filepath.Join(hourly, "intervals.csv"))
	if len(every) != 14*24*60 || len(hours) != 14*24 {
		t.Errorf("%d intervals, %d hourly rows; want 20160 and 336", len(every), len(hours))
	}
	rec := byName(t, csvRows(t, filepath.Join(hourly, "strategies.csv")), "strategy", "recommended")
	pt, od, total := intervalCosts(t, hours)
	fpt, fod, ftotal := intervalCosts(t, every)
	if pt != fpt || od != fod || total != ftotal || total != money(t, rec["total_cost_usd"]) || pt != money(t, rec["provisioned_cost_usd"]) {
		t.Errorf("hourly rows add up to %s + %s = %s, every interval to %s + %s = %s, strategies.csv says %s", pt, od, total, fpt, fod, ftotal, rec["total_cost_usd"])
	}
	checkReRender(t, hourly)

	none, stdout := recommend("none", "--intervals", "none")
	for _, name := range []string{"intervals.csv", "intervals.csv.gz", "demand.png", "load_duration.png"} {
		if _, err := os.Stat(filepath.Join(none, name)); err == nil || strings.Contains(stdout, name) {
			t.Errorf("--intervals none wrote %s (stdout: %s)", name, stdout)
		}
	}
	if _, err := os.Stat(filepath.Join(none, "plan.yaml")); err != nil {
		t.Error(err)
	}
	checkReRender(t, none)

	_, stderr, code := runCLI(t, "recommend", "--metrics", metrics, "--intervals", "daily", "--out", filepath.Join(t.TempDir(), "x"))
	if code != 2 || !strings.Contains(stderr, `--intervals "daily": want full, hourly or none`) {
		t.Errorf("--intervals daily: exit %d: %s", code, stderr)
	}
}

// TestIntervalsGzipAbove: with more than 100,000 intervals (70 days of
// minutes), the default writes every interval gzip-compressed as
// intervals.csv.gz; its rows add up to strategies.csv, and report --from
// reads it back and renders the same summary.
func TestIntervalsGzipAbove(t *testing.T) {
	if raceDetector {
		// 40 s under -race on 2 cores; its goroutines (the gzip pipe, the
		// scans, the charts) run under -race in TestIntervalsGzip and the
		// other recommend tests.
		t.Skip("a recommend run on 100,800 intervals; skipped under -race")
	}
	cfg := workload.SeedScenario(1)
	cfg.Days = 70
	s, err := workload.Synthesize(cfg)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "rec")
	stdout, stderr, code := runCLI(t, "recommend", "--metrics", metricsFile(t, s), "--mu-input-tpm", "1000000", "--mu-output-tpm", "300000",
		"--timezone", "Asia/Tokyo", "--scenarios", "0", "--out", out)
	if code != 0 {
		t.Fatal(stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "intervals.csv")); err == nil || !strings.Contains(stdout, "intervals.csv.gz") {
		t.Fatalf("100,800 intervals written as intervals.csv (stdout: %s)", stdout)
	}
	f, err := os.Open(filepath.Join(out, "intervals.csv.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(zr).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var rows []map[string]string
	for _, rec := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = rec[i]
		}
		rows = append(rows, m)
	}
	if len(rows) != 100_800 {
		t.Errorf("%d rows, want 100800", len(rows))
	}
	rec := byName(t, csvRows(t, filepath.Join(out, "strategies.csv")), "strategy", "recommended")
	if _, _, total := intervalCosts(t, rows); total != money(t, rec["total_cost_usd"]) {
		t.Errorf("intervals.csv.gz adds up to %s, strategies.csv says %s", total, rec["total_cost_usd"])
	}
	summary, _ := os.ReadFile(filepath.Join(out, "summary.md"))
	if !bytes.Contains(summary, []byte("`intervals.csv.gz`: all 100,800 intervals, gzip-compressed since there are more than 100,000")) {
		t.Error("summary.md does not say intervals.csv.gz was written, and why")
	}
	checkReRender(t, out)
}
