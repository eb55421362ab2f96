package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bedrockplan/bedrockplan/workload"
)

// TestHistoryWordedOnce: a file of 60 1-minute intervals that starts at
// half past the hour holds 1 hour of history, and every place that
// states its length (the verdict, the --min-history warning, the demand
// line, the term-risk note) says 1 hour; none counts the 2 clock hours
// it touches.
func TestHistoryWordedOnce(t *testing.T) {
	s := &workload.Series{ModelID: "meta.llama3-1-70b-instruct-v1:0", Region: "us-west-2", Period: time.Minute}
	start := time.Date(2026, 11, 2, 10, 30, 0, 0, time.UTC)
	for i := range 60 {
		s.Start = append(s.Start, start.Add(time.Duration(i)*time.Minute).Unix())
		s.Invocations = append(s.Invocations, 100)
		s.InputTokens = append(s.InputTokens, 500_000)
		s.OutputTokens = append(s.OutputTokens, 100_000)
	}
	if s.Span() != time.Hour {
		t.Fatalf("span %v, want 1h", s.Span())
	}
	out := filepath.Join(t.TempDir(), "r")
	stdout, stderr, code := runCLI(t, "recommend", "--metrics", metricsFile(t, s), "--mu-input-tpm", "1000000", "--mu-output-tpm", "300000", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	summary, err := os.ReadFile(filepath.Join(out, "summary.md"))
	if err != nil {
		t.Fatal(err)
	}
	assumptions, err := os.ReadFile(filepath.Join(out, "assumptions.csv"))
	if err != nil {
		t.Fatal(err)
	}
	all := stdout + stderr + string(summary) + string(assumptions)
	for _, want := range []string{
		"Over the 1-hour window it costs",
		"only 1 hour of history, less than --min-history 14 days",
		"2026-11-02 10:30 UTC to 2026-11-02 11:30 UTC (1 hour), 60 1-minute intervals",
		"only 1 hour of history; a forecast of trend and weekly pattern needs at least 14 days",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("lacks %q", want)
		}
	}
	if m := regexp.MustCompile(`\b(2|two)[ -]hours?\b|\b1 hours\b`).FindString(all); m != "" {
		t.Errorf("the history is also called %q:\n%s", m, all)
	}
}
