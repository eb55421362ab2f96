package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCancelledRun: a run cancelled before it plans (Ctrl-C while the
// inputs load) plans nothing, for one series, for an account and for the
// demo, says so, and creates no folder.
func TestCancelledRun(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small.csv")
	if err := os.WriteFile(small, []byte(smallMetrics()), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for name, args := range map[string][]string{
		"recommend": {"recommend", "--metrics", small, "--scenarios", "0"},
		"account":   {"recommend", "--metrics", "../../testdata/account/metrics.csv", "--pricing", "../../testdata/account/prices.yaml", "--scenarios", "0"},
		"demo":      {"demo"},
	} {
		out := filepath.Join(dir, name)
		err := run(ctx, append(args, "--out", out), io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "interrupted: stopped before writing anything") {
			t.Errorf("%s: %v, want interrupted", name, err)
		}
		if _, statErr := os.Stat(out); !os.IsNotExist(statErr) {
			t.Errorf("%s: %s exists after the interruption (%v)", name, out, statErr)
		}
	}
}
