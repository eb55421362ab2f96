package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bedrockplan/bedrockplan/workload"
)

// TestRegionErrors: traffic in a region the catalogue does not price
// gets an error that names what is missing (the prices for that region)
// and both ways to give them, and each way then works: --region (which
// used to lead to "no rows in region") and the --pricing entry shown. A
// region without PT prices says so, not that the term is "not offered".
func TestRegionErrors(t *testing.T) {
	const model = "meta.llama3-1-70b-instruct-v1:0"
	tmp := t.TempDir()
	// Two days of traffic are enough to be priced (and cheap under -race).
	cfg := workload.SeedScenario(1)
	cfg.Days, cfg.ModelID, cfg.Region = 2, model, "eu-west-1"
	metrics := filepath.Join(tmp, "metrics.csv")
	writeScenarioMetrics(t, metrics, cfg)
	tp := []string{"--mu-input-tpm", "1000000", "--mu-output-tpm", "300000", "--scenarios", "0"}
	_, refusal, code := runCLI(t, append([]string{"recommend", "--metrics", metrics, "--out", filepath.Join(tmp, "a")}, tp...)...)
	for _, want := range []string{
		"the catalogue has no prices for " + model + " in eu-west-1 (it has them for us-east-2, us-west-2). Give them with --pricing FILE",
		"        provisioned:\n          six_months: {usd: 0.00",
		"or price this traffic at the prices of a region that has them: --region us-west-2\n",
	} {
		if code != 1 || !strings.Contains(refusal, want) {
			t.Errorf("exit %d, stderr lacks %q:\n%s", code, want, refusal)
		}
	}

	// The first way: --region, as the error says.
	stdout, stderr, code := runCLI(t, append([]string{"recommend", "--metrics", metrics, "--region", "us-west-2", "--out", filepath.Join(tmp, "b")}, tp...)...)
	note := "the traffic ran in eu-west-1 and is priced at the prices of us-west-2 (--region us-west-2)"
	if code != 0 || !strings.Contains(stdout, "Recommended for "+model+" in us-west-2: ") || !strings.Contains(stdout, "Warning: "+note) || strings.Count(stdout+stderr, note) != 1 {
		t.Errorf("--region us-west-2: exit %d\n%s\n%s", code, stdout, stderr)
	}

	// The second way: the entry shown, filled in, with --pricing.
	i, j := strings.Index(refusal, "models:\n"), strings.Index(refusal, "\nor price this traffic")
	if i < 0 || j < i {
		t.Fatalf("no entry in:\n%s", refusal)
	}
	entry := strings.NewReplacer("YYYY-MM-DD", "2026-11-26", "input_per_1m: {usd: 0.00", "input_per_1m: {usd: 0.72", "output_per_1m: {usd: 0.00", "output_per_1m: {usd: 0.72",
		"six_months: {usd: 0.00", "six_months: {usd: 13.08").Replace(refusal[i:j])
	prices := filepath.Join(tmp, "eu.yaml")
	if err := os.WriteFile(prices, []byte(entry), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code = runCLI(t, append([]string{"recommend", "--metrics", metrics, "--pricing", prices, "--out", filepath.Join(tmp, "c")}, tp...)...)
	if code != 0 || !strings.Contains(stdout, model+" in eu-west-1: ") {
		t.Errorf("with the entry shown: exit %d\n%s\n%s", code, stdout, stderr)
	}

	// A region that sells PT at prices AWS does not publish (Nova Pro in
	// us-east-1): the risk rows say which price is missing and how to
	// give it.
	const nova = "amazon.nova-pro-v1:0"
	out := filepath.Join(tmp, "d")
	stdout, stderr, code = runCLI(t, append([]string{"recommend", "--metrics", modelMetrics(t, nova, "us-east-1"), "--scenarios", "20", "--out", out}, tp[:4]...)...)
	if code != 0 {
		t.Fatalf("%s us-east-1: exit %d\n%s", nova, code, stderr)
	}
	six := byName(t, csvRows(t, filepath.Join(out, "risk.csv")), "strategy", "six-month")
	want := "the catalogue has no price for 6-month PT for " + nova + " in us-east-1: give it with --pricing FILE, as models: " + nova +
		": regions: us-east-1: provisioned: six_months: {usd: …, source: …, as_of: …}, or choose a region that has it with --region; bedrockplan pricing show " + nova + " lists the regions"
	if six["note"] != want {
		t.Errorf("six-month risk note %q, want %q", six["note"], want)
	}
	if strings.Contains(stdout, "not offered") {
		t.Errorf("verdict says not offered:\n%s", stdout)
	}

	// A region where AWS sells no PT (Llama 3.1 70B in us-east-2; it is
	// sold in us-west-2): the verdict says so with its source, and asks
	// for no price.
	stdout, stderr, code = runCLI(t, append([]string{"recommend", "--metrics", modelMetrics(t, model, "us-east-2"), "--scenarios", "20", "--out", filepath.Join(tmp, "e")}, tp[:4]...)...)
	notSold := "AWS sells no PT for " + model + " in us-east-2 (source: Amazon Bedrock user guide, Supported Region and models for Provisioned Throughput, docs.aws.amazon.com/bedrock/latest/userguide/prov-thru-supported.html: PT for the model is listed in us-west-2 only, 2026-11-30)"
	if code != 0 || !strings.Contains(stdout, "No PT recommendation: "+notSold+".\n") || strings.Contains(stdout, "give them with") {
		t.Errorf("us-east-2: exit %d, want %q and no price asked for:\n%s\n%s", code, notSold, stdout, stderr)
	}

	// PT priced with --pricing where the embedded catalogue says AWS
	// sells none: it is sized, and the verdict says what was overridden.
	const sonnet = "anthropic.claude-sonnet-4-5-20250929-v1:0"
	over := filepath.Join(tmp, "sonnet-pt.yaml")
	if err := os.WriteFile(over, []byte("models:\n  "+sonnet+":\n    regions:\n      us-east-1:\n        provisioned:\n          six_months: {usd: 30.00, source: \"our account team\", as_of: 2026-11-20}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code = runCLI(t, append([]string{"recommend", "--metrics", modelMetrics(t, sonnet, "us-east-1"), "--pricing", over, "--out", filepath.Join(tmp, "f")}, tp...)...)
	lifted := "Warning: the embedded catalogue says AWS sells no PT for " + sonnet + " in us-east-1 (source: Amazon Bedrock user guide, Supported Region and models for Provisioned Throughput, docs.aws.amazon.com/bedrock/latest/userguide/prov-thru-supported.html: the model is not listed, 2026-11-30); the PT prices of --pricing override that: make sure your account can buy it before you do"
	if code != 0 || !strings.Contains(stdout, lifted) || strings.Contains(stdout, "AWS sells none") {
		t.Errorf("PT priced over the catalogue's not sold: exit %d, want %q:\n%s\n%s", code, lifted, stdout, stderr)
	}
}
