package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bedrockplan/bedrockplan/bedrock/bedrocktest"
	"github.com/bedrockplan/bedrockplan/workload"
	"github.com/bedrockplan/bedrockplan/workload/cloudwatch/cloudwatchtest"
)

// awsEnv points the standard AWS configuration at the fakes, with dummy
// credentials and nothing read from the user's ~/.aws.
func awsEnv(t *testing.T, cw, br string) {
	t.Helper()
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID": "AKIDTEST", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_SESSION_TOKEN": "", "AWS_REGION": "us-east-1",
		"AWS_PROFILE": "", "AWS_DEFAULT_PROFILE": "", "AWS_CONFIG_FILE": filepath.Join(t.TempDir(), "none"),
		"AWS_SHARED_CREDENTIALS_FILE": filepath.Join(t.TempDir(), "none"), "AWS_EC2_METADATA_DISABLED": "true",
		"AWS_BEARER_TOKEN_BEDROCK": "", "AWS_ENDPOINT_URL": "", "AWS_ENDPOINT_URL_CLOUDWATCH": cw, "AWS_ENDPOINT_URL_BEDROCK": br,
	} {
		t.Setenv(k, v)
	}
}

func seedFake(fake *cloudwatchtest.Server, model string, days int) {
	for t := time.Now().Add(-time.Duration(days) * 24 * time.Hour).Truncate(time.Minute); t.Before(time.Now()); t = t.Add(time.Minute) {
		fake.Put(model, "Invocations", t, 10)
		fake.Put(model, "InputTokenCount", t, 12_000)
		fake.Put(model, "OutputTokenCount", t, 3_500)
	}
}

// TestFetchCommand: discovery and PT listing through the standard AWS
// configuration (AWS_ENDPOINT_URL_<SERVICE> honoured), a multi-tier
// fetch, a report from it, and an incremental re-run that asks for
// nothing it has.
func TestFetchCommand(t *testing.T) {
	cw := cloudwatchtest.New(time.Now())
	defer cw.Close()
	seedFake(cw, "amazon.titan-text-express-v1", 20)
	pt := "arn:aws:bedrock:us-east-1:123456789012:provisioned-model/abc"
	seedFake(cw, pt, 2)
	br := bedrocktest.New(bedrocktest.PT{ARN: pt, Name: "prod", ModelUnits: 1, Status: "InService"})
	defer br.Close()
	awsEnv(t, cw.URL, br.URL)
	out := filepath.Join(t.TempDir(), "metrics.csv")

	stdout, stderr, code := runCLI(t, "fetch", "--since", "3d", "--dry-run", "--out", out)
	if code != 0 || cw.Calls("GetMetricData")+cw.Calls("ListMetrics") != 0 || !strings.Contains(stdout, "Dry run: nothing is sent.") || !strings.Contains(stdout, "estimated CloudWatch API cost $") {
		t.Fatalf("dry run: %d %d calls\n%s\n%s", code, cw.Calls("GetMetricData"), stdout, stderr)
	}
	stdout, stderr, code = runCLI(t, "fetch", "--since", "20d", "--provisioned", "--out", out)
	if code != 0 {
		t.Fatalf("fetch: %s", stderr)
	}
	if !strings.Contains(stderr, "ListMetrics found 2 models") || !strings.Contains(stderr, "It only sees metrics with data in the last two weeks") ||
		!strings.Contains(stderr, "1 Provisioned Throughputs in us-east-1 added") {
		t.Errorf("stderr:\n%s", stderr)
	}
	if !strings.Contains(stdout, "amazon.titan-text-express-v1: ") || !strings.Contains(stdout, "x 5m0s + ") || !strings.Contains(stdout, pt+": ") {
		t.Errorf("stdout:\n%s", stdout)
	}
	m, err := workload.ReadMetricsFile(out)
	if err != nil {
		t.Fatal(err)
	}
	s, err := m.Select("amazon.titan-text-express-v1", "")
	if err != nil || s.Period != 5*time.Minute || s.Region != "us-east-1" {
		t.Fatalf("select: %v %+v", err, s)
	}
	calls := cw.Calls("GetMetricData")
	stdout, stderr, code = runCLI(t, "fetch", "--since", "20d", "--provisioned", "--out", out)
	if code != 0 || cw.Calls("GetMetricData") > calls+2 {
		t.Errorf("re-run: exit %d, %d more calls (only the minutes since the first run may be new)\n%s%s", code, cw.Calls("GetMetricData")-calls, stdout, stderr)
	}
	report := filepath.Join(t.TempDir(), "r")
	_, stderr, code = runCLI(t, "recommend", "--metrics", out, "--model", "amazon.titan-text-express-v1", "--mu-input-tpm", "1000000", "--mu-output-tpm", "300000", "--out", report)
	if code != 0 {
		t.Errorf("recommend on fetched metrics: %s", stderr)
	}
	_, stderr, code = runCLI(t, "simulate", "--metrics", out, "--model", "amazon.titan-text-express-v1", "--plan", filepath.Join(report, "plan.yaml"),
		"--mu-input-tpm", "1000000", "--mu-output-tpm", "300000", "--out", filepath.Join(t.TempDir(), "s"))
	if code != 0 {
		t.Errorf("simulate on fetched metrics: %s", stderr)
	}
}

func TestFetchFailures(t *testing.T) {
	cw := cloudwatchtest.New(time.Now())
	defer cw.Close()
	seedFake(cw, "amazon.titan-text-express-v1", 1)
	awsEnv(t, cw.URL, "")
	dir := t.TempDir()
	out := filepath.Join(dir, "m.csv")

	_, stderr, code := runCLI(t, "fetch", "--since", "20d", "--period", "60", "--out", out)
	if code != 2 || !strings.Contains(stderr, "--period 60: CloudWatch keeps 1 minute data for 15 days") {
		t.Errorf("wrong period: %d %s", code, stderr)
	}
	cw.Fail("ListMetrics", cloudwatchtest.Fault{Status: 403, Code: "AccessDenied", Message: "not authorized to perform: cloudwatch:ListMetrics"})
	_, stderr, code = runCLI(t, "fetch", "--since", "1d", "--out", out)
	if code != 1 || !strings.Contains(stderr, "lack the IAM permission cloudwatch:ListMetrics") {
		t.Errorf("access denied: %d %s", code, stderr)
	}
	cw.Fail("GetMetricData", cloudwatchtest.ExpiredToken)
	_, stderr, code = runCLI(t, "fetch", "--models", "amazon.titan-text-express-v1", "--since", "1d", "--out", out)
	if code != 1 || !strings.Contains(stderr, "the AWS session has expired") || !strings.Contains(stderr, "nothing was written") {
		t.Errorf("expired: %d %s", code, stderr)
	}
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	_, stderr, code = runCLI(t, "fetch", "--models", "amazon.titan-text-express-v1", "--since", "1d", "--out", out)
	if code != 1 || !strings.Contains(stderr, "no AWS credentials found") {
		t.Errorf("no credentials: %d %s", code, stderr)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("failed fetches left %v", entries)
	}
	// A corrupt --out is not overwritten.
	os.WriteFile(out, []byte("not,a,metrics,file\n"), 0o644)
	_, stderr, code = runCLI(t, "fetch", "--models", "x", "--since", "1d", "--out", out)
	if data, _ := os.ReadFile(out); code != 1 || string(data) != "not,a,metrics,file\n" || !strings.Contains(stderr, "--out must be a metrics CSV that fetch can extend") {
		t.Errorf("corrupt out: %d %s", code, stderr)
	}
}
