package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/sim/probe/probetest"
)

// TestProbeCommand: a dry run sends nothing; a ramp against a fake PT of
// known capacity writes the measurements and a calibration that recommend
// reads as measured throughput.
func TestProbeCommand(t *testing.T) {
	fake := probetest.New(probetest.Config{OutputTPM: 130_000, Base: 50 * time.Millisecond, OutputTokens: 40})
	defer fake.Close()
	awsEnv(t, "", "")
	t.Setenv("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", fake.URL)
	pt := "arn:aws:bedrock:us-east-1:123456789012:provisioned-model/abc"
	base := []string{"probe", "--target", pt, "--model", "amazon.titan-text-express-v1", "--api", "converse", "--input-tokens", "200", "--max-tokens", "40"}

	stdout, stderr, code := runCLI(t, append(base, "--shape", "ramp", "--steps", "1,2,4,8", "--step-duration", "1500ms")...)
	if total, _ := fake.Requests(); code != 0 || total != 0 || !strings.Contains(stdout, "Dry run: nothing is sent") || !strings.Contains(stdout, "billed by the hour") {
		t.Fatalf("dry run: exit %d, %d requests sent\n%s%s", code, total, stdout, stderr)
	}
	_, stderr, code = runCLI(t, append(base, "--yes", "--out", filepath.Join(t.TempDir(), "x"))...)
	if code != 2 || !strings.Contains(stderr, "--yes needs --max-cost") {
		t.Errorf("--yes without --max-cost: %d %s", code, stderr)
	}
	out := filepath.Join(t.TempDir(), "probe")
	stdout, stderr, code = runCLI(t, append(base, "--shape", "ramp", "--steps", "1,2,4,8", "--step-duration", "1500ms", "--model-units", "1",
		"--max-cost", "5", "--yes", "--out", out)...)
	if code != 0 {
		t.Fatalf("probe: %s", stderr)
	}
	if !strings.Contains(stdout, "Throughput stopped scaling at ramp step 3") || !strings.Contains(stdout, "calibration.yaml holds the measured throughput") {
		t.Errorf("stdout:\n%s", stdout)
	}
	for _, f := range []string{"probe.csv", "probe_summary.csv", "latency.png", "load.png", "calibration.yaml"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}
	cal, err := pricing.Load(filepath.Join(out, "calibration.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	o, err := pricing.Merge(pricing.Default(), cal).Lookup("amazon.titan-text-express-v1", "us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	if tp := o.Throughput; tp.Provenance != pricing.ProvenanceMeasured || tp.OutputTPM < 117_000 || tp.OutputTPM > 143_000 || tp.SampleSize == 0 {
		t.Errorf("calibrated throughput %+v, fake carries 130,000 output tokens a minute", tp)
	}
	// recommend with the calibration says the throughput is measured.
	rec := filepath.Join(t.TempDir(), "rec")
	stdout, stderr, code = runCLI(t, "recommend", "--metrics", demoMetrics(t), "--pricing", filepath.Join(out, "calibration.yaml"), "--scenarios", "0", "--out", rec)
	summary, _ := os.ReadFile(filepath.Join(rec, "summary.md"))
	if code != 0 || !strings.Contains(string(summary), "MEASURED") || strings.Contains(stdout, "not measured") {
		t.Errorf("recommend with calibration: %d %s\n%s", code, stderr, stdout)
	}
}

// TestProbeInterrupted: Ctrl-C mid-run still writes what was measured.
func TestProbeInterrupted(t *testing.T) {
	if raceDetector {
		// Two concurrent ConverseStream calls on one client share the
		// SDK's event-stream codec: smithy-go v1.28.9 races there
		// (aws/smithy-go#714, fix pending in #716), outside this code.
		t.Skip("smithy-go event-stream codec race, aws/smithy-go#714")
	}
	fake := probetest.New(probetest.Config{Base: 20 * time.Millisecond, OutputTokens: 10})
	defer fake.Close()
	awsEnv(t, "", "")
	t.Setenv("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", fake.URL)
	out := filepath.Join(t.TempDir(), "probe")
	ctx, cancel := context.WithTimeout(context.Background(), 400*time.Millisecond)
	defer cancel()
	var so, se strings.Builder
	err := run(ctx, []string{"probe", "--target", "amazon.titan-text-express-v1", "--api", "converse-stream", "--concurrency", "2", "--duration", "1m",
		"--max-cost", "1", "--yes", "--out", out}, &so, &se)
	if err != nil {
		t.Fatalf("%v\n%s", err, se.String())
	}
	data, err := os.ReadFile(filepath.Join(out, "probe.csv"))
	if err != nil || strings.Count(string(data), "\n") < 6 || !strings.Contains(so.String(), "Stopped: interrupted") {
		t.Errorf("probe.csv has %d lines; stdout %s", strings.Count(string(data), "\n"), so.String())
	}
}
