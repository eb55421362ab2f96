package main

import (
	"strings"
	"testing"
)

// TestPricingShowCurrent: `pricing show` prints the 1-hour cache write,
// the batch prices and the lifecycle dates with their sources; a model
// the catalogue lacks gets the entry to add with --pricing.
func TestPricingShowCurrent(t *testing.T) {
	stdout, _, code := runCLI(t, "pricing", "show", "anthropic.claude-sonnet-4-5-20250929-v1:0")
	for _, want := range []string{"cache_write_per_1m:", "usd: 3.75", "cache_write_1h_per_1m:", "usd: 6", "batch_input_per_1m:", "usd: 1.5",
		"batch_output_per_1m:", "usd: 7.5", "pricing-cache.md (last updated 2026-08-24)"} {
		if code != 0 || !strings.Contains(stdout, want) {
			t.Errorf("pricing show lacks %q:\n%s", want, stdout)
		}
	}
	stdout, _, code = runCLI(t, "pricing", "show", "anthropic.claude-opus-4-1-20250805-v1:0")
	if code != 0 || !strings.Contains(stdout, "status: legacy") || !strings.Contains(stdout, "legacy: \"2026-07-08\"") || !strings.Contains(stdout, "eol: \"2027-01-08\"") {
		t.Errorf("pricing show opus 4.1:\n%s", stdout)
	}
	_, stderr, code := runCLI(t, "pricing", "show", "anthropic.claude-sonnet-4-7")
	if code != 1 || !strings.Contains(stderr, "add the model with --pricing FILE") || !strings.Contains(stderr, "models:\n  anthropic.claude-sonnet-4-7:\n") ||
		!strings.Contains(stderr, "`bedrockplan pricing show anthropic.claude-") {
		t.Errorf("unknown model: exit %d\n%s", code, stderr)
	}
}
