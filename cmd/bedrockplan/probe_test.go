package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
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
	stdout, stderr, code = runCLI(t, "recommend", "--metrics", modelMetrics(t, "amazon.titan-text-express-v1", "us-east-1"), "--pricing", filepath.Join(out, "calibration.yaml"), "--scenarios", "0", "--out", rec)
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

// TestProbeMiscountingRuntimes re-runs the cases of issue 15 through the
// command, at the catalogue's Titan Text Express prices: runtimes that
// count the prompt 1.5×, 3× or 100× what the probe sized, write 2,000
// tokens for --max-tokens 200, or report a negative count. Those that
// bill within the bound any tokenizer keeps stay within --max-cost, by
// the probe's record and by the fake's own bill; those that bill past it
// are caught on their first answer, the only request in flight.
func TestProbeMiscountingRuntimes(t *testing.T) {
	awsEnv(t, "", "")
	for _, tc := range []struct {
		name   string
		fake   probetest.Config
		args   []string
		beyond bool
		stops  string
	}{
		{"302 for 200", probetest.Config{InputScale: 1.51}, []string{"--input-tokens", "200", "--concurrency", "8", "--max-cost", "0.002"}, false, "past --max-cost"},
		{"3x input", probetest.Config{InputScale: 3}, []string{"--concurrency", "8", "--max-cost", "0.01"}, false, "past --max-cost"},
		{"100x input converse", probetest.Config{InputScale: 100}, []string{"--concurrency", "8", "--max-cost", "0.01", "--api", "converse"}, true, "prompt tokens for a prompt of at most"},
		{"100x input converse-stream", probetest.Config{InputScale: 100}, []string{"--concurrency", "8", "--max-cost", "0.01"}, true, "prompt tokens for a prompt of at most"},
		{"2000 output for 200", probetest.Config{Overshoot: 1800}, []string{"--concurrency", "8", "--max-cost", "0.01"}, true, "returned 2000 output tokens for a max of 200"},
		{"negative input", probetest.Config{ReportInput: "-100000000"}, []string{"--concurrency", "8", "--max-cost", "0.01"}, false, "negative token counts"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.fake.Base = time.Millisecond
			fake := probetest.New(tc.fake)
			defer fake.Close()
			t.Setenv("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", fake.URL)
			args := append([]string{"probe", "--target", "amazon.titan-text-express-v1", "--duration", "10s", "--yes", "--out", filepath.Join(t.TempDir(), "p")}, tc.args...)
			stdout, stderr, code := runCLI(t, args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			var capUSD float64
			for i, a := range tc.args[:len(tc.args)-1] {
				if a == "--max-cost" {
					capUSD, _ = strconv.ParseFloat(tc.args[i+1], 64)
				}
			}
			var spent float64
			if i := strings.Index(stdout, "Spent about $"); i >= 0 {
				fmt.Sscanf(stdout[i+len("Spent about $"):], "%f", &spent)
			}
			b := fake.Billed()
			billed := (float64(b.Input)*0.20 + float64(b.CacheWrite)*0.40 + float64(b.Output)*0.60) / 1e6
			total, _ := fake.Requests()
			t.Logf("cap $%.4f: recorded $%.4f, fake billed $%.6f in %d requests; %s", capUSD, spent, billed, total, firstLine(stdout[strings.Index(stdout, "Stopped:"):]))
			if !strings.Contains(stdout, tc.stops) {
				t.Errorf("want a stop with %q:\n%s", tc.stops, stdout)
			}
			if !tc.beyond && (spent > capUSD || billed > capUSD) {
				t.Errorf("past the cap:\n%s", stdout)
			}
			if tc.beyond && (total != 1 || spent > capUSD && !strings.Contains(stdout, "billed past the bound")) {
				t.Errorf("%d requests sent to a runtime billing past the bound:\n%s", total, stdout)
			}
		})
	}
}

// TestProbeAllFailed: a run that stops because every request failed
// writes what it measured and exits non-zero.
func TestProbeAllFailed(t *testing.T) {
	fake := probetest.New(probetest.Config{Base: time.Millisecond})
	defer fake.Close()
	for range 20 {
		fake.Fail(probetest.ServerError)
	}
	awsEnv(t, "", "")
	t.Setenv("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", fake.URL)
	out := filepath.Join(t.TempDir(), "p")
	_, stderr, code := runCLI(t, "probe", "--target", "amazon.titan-text-express-v1", "--api", "converse", "--duration", "10s", "--max-cost", "1", "--yes", "--out", out)
	if _, err := os.Stat(filepath.Join(out, "probe.csv")); code != 1 || err != nil || !strings.Contains(stderr, "every request failed") {
		t.Errorf("exit %d, probe.csv: %v\n%s", code, err, stderr)
	}
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
