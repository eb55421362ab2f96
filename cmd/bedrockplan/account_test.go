package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bedrockplan/bedrockplan/bedrock/bedrocktest"
	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/pricing/pricelist/pricelisttest"
	"github.com/bedrockplan/bedrockplan/pricing/servicequotas/servicequotastest"
)

// TestAccountCommand: the four parts against fakes of the three services,
// found through AWS_ENDPOINT_URL_<SERVICE>; the files it writes feed
// recommend; a missing permission names itself and the other parts still
// land.
func TestAccountCommand(t *testing.T) {
	sq := servicequotastest.New(100,
		servicequotastest.Quota{Name: "On-demand InvokeModel requests per minute for Amazon Titan Text Express", Code: "L-A58DA1F3", Value: 400},
		servicequotastest.Quota{Name: "On-demand InvokeModel tokens per minute for Amazon Titan Text Express", Code: "L-E2D1D60C", Value: 3_000_000},
		servicequotastest.Quota{Name: "On-demand model inference tokens per minute for Mystery Model 9", Code: "L-XXXXXXX1", Value: 5})
	defer sq.Close()
	pl := pricelisttest.New(100,
		pricelisttest.Product("A", "us-east-1", "Titan Text G1 - Express", "On-demand Inference", "Input tokens", "USE1-TitanTextG1-Express-input-tokens", "1K tokens", "0.0002", nil),
		pricelisttest.Product("B", "us-east-1", "Titan Text G1 - Express", "On-demand Inference", "Output tokens", "USE1-TitanTextG1-Express-output-tokens", "1K tokens", "0.0006", nil))
	defer pl.Close()
	br := bedrocktest.New(bedrocktest.PT{ARN: "arn:aws:bedrock:us-east-1:123456789012:provisioned-model/abc", Name: "prod",
		ModelARN: "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1", ModelUnits: 1, Commitment: "OneMonth",
		Expires: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC), Status: "InService"})
	defer br.Close()
	br.Models = []bedrocktest.Model{{ID: "amazon.titan-text-express-v1", Name: "Titan Text G1 - Express", Status: "ACTIVE"},
		{ID: "anthropic.claude-opus-4-1-20250805-v1:0", Name: "Claude Opus 4.1", Status: "LEGACY", Legacy: time.Date(2026, 7, 8, 0, 0, 0, 0, time.UTC),
			PublicExtendedAccess: time.Date(2026, 10, 8, 0, 0, 0, 0, time.UTC), EOL: time.Date(2027, 1, 8, 0, 0, 0, 0, time.UTC)}}
	awsEnv(t, "", br.URL)
	t.Setenv("AWS_ENDPOINT_URL_SERVICE_QUOTAS", sq.URL)
	t.Setenv("AWS_ENDPOINT_URL_PRICING", pl.URL)

	stdout, _, code := runCLI(t, "account", "--region", "us-east-1", "--dry-run")
	if code != 0 || sq.Calls(servicequotastest.Target) != 0 || !strings.Contains(stdout, "pricing:GetProducts (AmazonBedrock, regionCode us-east-1), all pages, at the Price List endpoint in us-east-1") {
		t.Fatalf("dry run: %d\n%s", code, stdout)
	}
	out := filepath.Join(t.TempDir(), "account")
	stdout, stderr, code := runCLI(t, "account", "--region", "us-east-1", "--out", out)
	if code != 0 {
		t.Fatalf("account: %s", stderr)
	}
	for _, want := range []string{"Quotas: 3 read, 2 matched to models", "no model: On-demand model inference tokens per minute for Mystery Model 9",
		"prod: 1 MU of amazon.titan-text-express-v1, InService, commitment ends 2026-11-20", "Prices: 1 models priced",
		"  and 4 sources and dates restamped (bedrockplan pricing diff " + filepath.Join(out, "prices.yaml") + " lists every change)",
		"Lifecycle: 2 catalogue models listed by the account",
		"  anthropic.claude-opus-4-1-20250805-v1:0: legacy (legacy from 2026-07-08, public extended access from 2026-10-08, end of life 2027-01-08)",
		"Wrote " + out + ": quotas.yaml, existing.yaml, prices.yaml, lifecycle.yaml"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	// lifecycle.yaml keeps the dates, for --pricing.
	lc, err := pricing.Load(filepath.Join(out, "lifecycle.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if l := lc.Models["anthropic.claude-opus-4-1-20250805-v1:0"].Lifecycle; l.Legacy != "2026-07-08" || l.PublicExtendedAccess != "2026-10-08" || l.EOL != "2027-01-08" || l.Status != pricing.LifecycleLegacy {
		t.Errorf("lifecycle.yaml: %+v", l)
	}
	// The files feed recommend: the quota, the existing commitment (billed
	// in every strategy until it expires), the prices.
	rec := filepath.Join(t.TempDir(), "rec")
	_, stderr, code = runCLI(t, "recommend", "--metrics", modelMetrics(t, "amazon.titan-text-express-v1", "us-east-1"), "--mu-input-tpm", "1000000", "--mu-output-tpm", "300000",
		"--timezone", "Asia/Tokyo", "--pricing", filepath.Join(out, "prices.yaml"), "--account-quotas", filepath.Join(out, "quotas.yaml"),
		"--existing", filepath.Join(out, "existing.yaml"), "--scenarios", "0", "--out", rec)
	if code != 0 {
		t.Fatal(stderr)
	}
	summary, _ := os.ReadFile(filepath.Join(rec, "summary.md"))
	rows := strategyRows(t, filepath.Join(rec, "strategies.csv"))
	if !strings.Contains(string(summary), "400 requests/min, 3,000,000 tokens/min") || !strings.Contains(string(summary), "AWS Price List API") ||
		!strings.Contains(rows["on-demand"], "existing commitments") {
		t.Errorf("recommend with the account's files:\n%s\n%v", summary, rows["on-demand"])
	}
	// Missing permissions are named; the other parts are written.
	sq.Fail(servicequotastest.Target, servicequotastest.AccessDenied)
	br.FailFoundationModels(bedrocktest.Fault{Status: 403, Code: "AccessDeniedException", Message: "not authorized"})
	out2 := filepath.Join(t.TempDir(), "account")
	stdout, stderr, code = runCLI(t, "account", "--region", "us-east-1", "--out", out2)
	if code != 1 || !strings.Contains(stderr, "servicequotas:ListServiceQuotas") || !strings.Contains(stderr, "bedrock:ListFoundationModels") ||
		!strings.Contains(stdout, "Wrote "+out2+": existing.yaml, prices.yaml") {
		t.Errorf("partial: exit %d\n%s\n%s", code, stdout, stderr)
	}
	// pricing diff shows what the Price List changed: no price, but the
	// source and date of both prices it read.
	stdout, _, code = runCLI(t, "pricing", "diff", filepath.Join(out, "prices.yaml"))
	if code != 0 || !strings.Contains(stdout, "): 4 changes\n") ||
		!strings.Contains(stdout, `amazon.titan-text-express-v1 us-east-1 on_demand.input_per_1m.source: "aws.amazon.com/bedrock/pricing via DESIGN.md §1" -> "AWS Price List API (GetProducts, AmazonBedrock), USE1-TitanTextG1-Express-input-tokens"`) ||
		!strings.Contains(stdout, `amazon.titan-text-express-v1 us-east-1 on_demand.output_per_1m.as_of: "2026-11-26" -> "2026-11-30"`) {
		t.Errorf("pricing diff: %d %s", code, stdout)
	}
}

func TestExistingShownInSummary(t *testing.T) {
	metrics := demoMetrics(t)
	for _, c := range []struct{ termEnd, want string }{
		{"", "Existing commitment: 2 MU 1-month from 2026-10-10 09:00 JST, billed in every strategy; it renews at its term's end (2026-11-10 09:00 JST) and bills until someone deletes it"},
		{"delete", "Existing commitment: 2 MU 1-month from 2026-10-10 09:00 JST, billed in every strategy; it is deleted when its term ends on 2026-11-10 09:00 JST, inside the window: from then on the plan carries the traffic without it."},
	} {
		tmp := t.TempDir()
		existing := filepath.Join(tmp, "existing.yaml")
		block := "{model_units: 2, term: one_month, start: 2026-10-10T00:00:00Z}"
		if c.termEnd != "" {
			block = "{model_units: 2, term: one_month, start: 2026-10-10T00:00:00Z, at_term_end: " + c.termEnd + "}"
		}
		os.WriteFile(existing, []byte("model_id: meta.llama3-1-70b-instruct-v1:0\ncommitted:\n  - "+block+"\nrouting: spillover\n"), 0o644)
		out := filepath.Join(tmp, "r")
		_, stderr, code := runCLI(t, "recommend", "--metrics", metrics, "--mu-input-tpm", "1000000", "--mu-output-tpm", "300000",
			"--timezone", "Asia/Tokyo", "--existing", existing, "--scenarios", "0", "--out", out)
		if code != 0 {
			t.Fatal(stderr)
		}
		summary, _ := os.ReadFile(filepath.Join(out, "summary.md"))
		if !strings.Contains(string(summary), c.want) {
			t.Errorf("at_term_end %q: summary:\n%s", c.termEnd, summary)
		}
	}
}

// TestExistingMUInSchedule: recommend --existing fills schedule.csv's
// existing_mu with the existing blocks' MUs in service, averaged over
// each hour of the week. The demo window runs from Monday 2026-11-02
// 00:00 JST for two weeks; 2 MU of a 1-month term from 2026-10-10 09:00
// JST, deleted at its end, serve until Tuesday 2026-11-10 09:00 JST: in
// both weeks' Monday 00:00 to Tuesday 08:00 (33 hours of the week), in
// the first week only in every other hour.
func TestExistingMUInSchedule(t *testing.T) {
	metrics := demoMetrics(t)
	tmp := t.TempDir()
	existing := filepath.Join(tmp, "existing.yaml")
	os.WriteFile(existing, []byte("model_id: meta.llama3-1-70b-instruct-v1:0\ncommitted:\n"+
		"  - {model_units: 2, term: one_month, start: 2026-10-10T00:00:00Z, at_term_end: delete}\nrouting: spillover\n"), 0o644)
	out := filepath.Join(tmp, "r")
	_, stderr, code := runCLI(t, "recommend", "--metrics", metrics, "--mu-input-tpm", "1000000", "--mu-output-tpm", "300000",
		"--timezone", "Asia/Tokyo", "--existing", existing, "--scenarios", "0", "--out", out)
	if code != 0 {
		t.Fatal(stderr)
	}
	data, err := os.ReadFile(filepath.Join(out, "schedule.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(lines) != 1+7*24 || !strings.HasPrefix(lines[0], "day,hour,slot,existing_mu,committed_mu,scheduled_mu,total_mu,") {
		t.Fatalf("schedule.csv: %d lines, header %q", len(lines), lines[0])
	}
	twice := 0
	for _, line := range lines[1:] {
		f := strings.Split(line, ",")
		hour, _ := strconv.Atoi(f[1])
		want := "1.00"
		if f[0] == "Mon" || (f[0] == "Tue" && hour < 9) {
			want = "2.00"
			twice++
		}
		if f[3] != want {
			t.Errorf("%s %s:00 JST: existing_mu %s, want %s", f[0], f[1], f[3], want)
		}
	}
	if twice != 33 {
		t.Errorf("%d hours of the week with both weeks' MUs, want 33", twice)
	}
}
