package main

import (
	"os"
	"path/filepath"
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

// TestPricingDiffEveryField: an override that changes no price but sets
// MU throughput, quotas, lifecycle, Reserved minimums, a tier's prices and
// sources is shown field by field, not as "changes no price".
func TestPricingDiffEveryField(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ours.yaml")
	err := os.WriteFile(path, []byte(`models:
  meta.llama3-1-70b-instruct-v1:0:
    lifecycle: {status: active, eol: 2027-06-01, source: "ListFoundationModels"}
    regions:
      us-west-2:
        mu_throughput: {input_tpm: 1000000, output_tpm: 300000, provenance: account-team, source: "our account team", as_of: 2026-11-20}
        quotas: {rpm: 400, tpm: 800000, source: "Service Quotas", as_of: 2026-11-20}
  anthropic.claude-sonnet-4-5-20250929-v1:0:
    regions:
      us-east-1:
        on_demand:
          tiers:
            flex: {input_per_1m: {usd: 1.5, source: "pricing page", as_of: 2026-11-20}, output_per_1m: {usd: 7.5, source: "pricing page", as_of: 2026-11-20}}
        reserved: {min_input_tpm: 200000, min_output_tpm: 20000, source: "account team", as_of: 2026-11-20}
`), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	const llama, sonnet = "meta.llama3-1-70b-instruct-v1:0", "anthropic.claude-sonnet-4-5-20250929-v1:0"
	want := path + ` against the embedded catalogue (as of 2026-11-30): 21 changes
  ` + sonnet + ` us-east-1 on_demand.tiers.flex.input_per_1m: new $1.5
  ` + sonnet + ` us-east-1 on_demand.tiers.flex.input_per_1m.source: new "pricing page"
  ` + sonnet + ` us-east-1 on_demand.tiers.flex.input_per_1m.as_of: new "2026-11-20"
  ` + sonnet + ` us-east-1 on_demand.tiers.flex.output_per_1m: new $7.5
  ` + sonnet + ` us-east-1 on_demand.tiers.flex.output_per_1m.source: new "pricing page"
  ` + sonnet + ` us-east-1 on_demand.tiers.flex.output_per_1m.as_of: new "2026-11-20"
  ` + sonnet + ` us-east-1 reserved.min_input_tpm: 100000 -> 200000
  ` + sonnet + ` us-east-1 reserved.min_output_tpm: 10000 -> 20000
  ` + sonnet + ` us-east-1 reserved.source: "Amazon Bedrock Reserved tier (launched 2025-11-26 for Claude Sonnet 4.5; minimum 100,000 input and 10,000 output TPM), via DESIGN.md §1" -> "account team"
  ` + sonnet + ` us-east-1 reserved.as_of: "2026-11-26" -> "2026-11-20"
  ` + llama + ` lifecycle.eol: new "2027-06-01"
  ` + llama + ` lifecycle.source: "awslabs/startups pricing-cache.md (last updated 2026-08-24) lists Llama 3.1 70B with prices and no lifecycle note (of Llama 3.1 only 405B is past end of life)" -> "ListFoundationModels"
  ` + llama + ` us-west-2 mu_throughput.input_tpm: 0 -> 1000000
  ` + llama + ` us-west-2 mu_throughput.output_tpm: 0 -> 300000
  ` + llama + ` us-west-2 mu_throughput.provenance: "unknown" -> "account-team"
  ` + llama + ` us-west-2 mu_throughput.source: new "our account team"
  ` + llama + ` us-west-2 mu_throughput.as_of: new "2026-11-20"
  ` + llama + ` us-west-2 quotas.rpm: new 400
  ` + llama + ` us-west-2 quotas.tpm: new 800000
  ` + llama + ` us-west-2 quotas.source: new "Service Quotas"
  ` + llama + ` us-west-2 quotas.as_of: new "2026-11-20"
`
	stdout, stderr, code := runCLI(t, "pricing", "diff", path)
	if code != 0 || stdout != want {
		t.Errorf("exit %d\n%s\nstdout:\n%s\nwant:\n%s", code, stderr, stdout, want)
	}
}
