package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bedrockplan/bedrockplan/workload"
)

// TestQuotaCheckInReport: metrics that carry CloudWatch's
// EstimatedTPMQuotaUsage get the replay's quota count compared with it;
// a service that counts 25% more than the quota rule is a warning in the
// verdict, with the median ratio in the summary.
func TestQuotaCheckInReport(t *testing.T) {
	cfg := workload.SeedScenario(1)
	cfg.Days = 3
	s, err := workload.Synthesize(cfg)
	if err != nil {
		t.Fatal(err)
	}
	s.QuotaUsage = make([]float64, s.Len())
	for i := range s.QuotaUsage {
		s.QuotaUsage[i] = 1.25 * (s.InputTokens[i] + s.OutputTokens[i])
	}
	metrics := metricsFile(t, s)
	out := filepath.Join(t.TempDir(), "rec")
	stdout, stderr, code := runCLI(t, "recommend", "--metrics", metrics, "--scenarios", "0", "--out", out)
	if code != 0 {
		t.Fatal(stderr)
	}
	if !strings.Contains(stdout, "Warning: the quota rule counts 0.8× what CloudWatch's EstimatedTPMQuotaUsage counts") {
		t.Errorf("verdict:\n%s", stdout)
	}
	summary, _ := os.ReadFile(filepath.Join(out, "summary.md"))
	if !strings.Contains(string(summary), "which is 0.8× the service's own count (median over 4320 intervals; 100% of intervals differ by more than 10%)") {
		t.Errorf("summary lacks the check:\n%s", summary)
	}
}
