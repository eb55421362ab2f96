package probe_test

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"

	"github.com/bedrockplan/bedrockplan/sim/probe"
	"github.com/bedrockplan/bedrockplan/sim/probe/probetest"
)

// runtime is the real SDK client pointed at the fake, with static dummy
// credentials and the SDK's retries off (the probe counts its own).
func runtime(fake *probetest.Server) *bedrockruntime.Client {
	return bedrockruntime.New(bedrockruntime.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(fake.URL),
		Credentials: credentials.NewStaticCredentialsProvider("AKIDTEST", "secret", ""),
		Retryer:     aws.NopRetryer{},
	})
}

func cfg(api string) probe.Config {
	return probe.Config{Target: "amazon.titan-text-express-v1", API: api, Shape: probe.ShapeConcurrency, Concurrency: 1,
		InputTokens: 200, MaxTokens: 40, MaxRequests: 3, Duration: 5 * time.Second, InputPer1M: 1, OutputPer1M: 2}
}

// TestEachAPICountsTokens: converse, converse-stream and invoke all read
// the token counts the service reports (headers for invoke), and the
// stream gives a time to first token.
func TestEachAPICountsTokens(t *testing.T) {
	fake := probetest.New(probetest.Config{Base: 5 * time.Millisecond, PerToken: 100 * time.Microsecond, OutputTokens: 30})
	defer fake.Close()
	for _, api := range []string{probe.APIConverse, probe.APIConverseStream, probe.APIInvoke} {
		c := cfg(api)
		res, err := probe.Run(context.Background(), &probe.Bedrock{API: runtime(fake), Target: c.Target, Mode: api}, c)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Records) != 3 {
			t.Fatalf("%s: %d records", api, len(res.Records))
		}
		for _, r := range res.Records {
			if r.Status != probe.StatusOK || r.InputTokens != 200 || r.OutputTokens != 30 {
				t.Errorf("%s: %+v", api, r)
			}
			if streaming := api == probe.APIConverseStream; streaming != (r.TTFT > 0) || streaming && !(r.TTFT >= 5*time.Millisecond && r.TTFT < r.Latency && r.InterTokenLatency > 0) {
				t.Errorf("%s: TTFT %s, latency %s, ITL %s", api, r.TTFT, r.Latency, r.InterTokenLatency)
			}
		}
	}
}

// TestMeasuredCapacity: driven past its capacity, the fake's measured
// throughput is within 10% of what it is configured to carry.
func TestMeasuredCapacity(t *testing.T) {
	fake := probetest.New(probetest.Config{InputTPM: 600_000, OutputTPM: 120_000, Base: 10 * time.Millisecond, OutputTokens: 40})
	defer fake.Close()
	c := cfg(probe.APIConverse)
	c.Concurrency, c.MaxRequests, c.Duration = 12, 0, 3*time.Second
	res, err := probe.Run(context.Background(), &probe.Bedrock{API: runtime(fake), Target: c.Target, Mode: c.API}, c)
	if err != nil {
		t.Fatal(err)
	}
	s := probe.Summarise(res.Records, res.End.Sub(res.Start), c.Cost)
	// 200 in + 40 out per request: output binds at 120K/min = 3,000
	// requests a minute; input runs at 600K/min.
	if math.Abs(s.AchievedOutputTPM/120_000-1) > 0.1 || math.Abs(s.AchievedInputTPM/600_000-1) > 0.1 {
		t.Errorf("measured %.0f in / %.0f out tokens per minute, capacity 600,000 / 120,000", s.AchievedInputTPM, s.AchievedOutputTPM)
	}
	if s.Throttled == 0 || s.ThrottleRate == 0 {
		t.Error("no throttling past capacity")
	}
}

// TestRampFindsTheKnee: concurrency 1, 2, 4, 8 against a fake that
// carries about three workers' worth: the knee is at 4.
func TestRampFindsTheKnee(t *testing.T) {
	// One worker: a request every ~50 ms of 40 output tokens = 48,000
	// output tokens a minute; capacity 130,000 (2.7 workers).
	fake := probetest.New(probetest.Config{OutputTPM: 130_000, Base: 50 * time.Millisecond, OutputTokens: 40})
	defer fake.Close()
	c := cfg(probe.APIConverse)
	c.Shape, c.Steps, c.StepDuration, c.MaxRequests = probe.ShapeRamp, []int{1, 2, 4, 8}, 1500*time.Millisecond, 0
	res, err := probe.Run(context.Background(), &probe.Bedrock{API: runtime(fake), Target: c.Target, Mode: c.API}, c)
	if err != nil {
		t.Fatal(err)
	}
	steps := probe.Steps(res)
	knee, _, out := probe.Knee(steps)
	if len(steps) != 4 || knee != 2 {
		for _, s := range steps {
			t.Logf("offered %v: %.0f out TPM, throttled %.2f, p50 %s", s.Offered, s.Summary.AchievedOutputTPM, s.Summary.ThrottleRate, s.Summary.LatencyP50)
		}
		t.Fatalf("knee at step %d of %d, want step 3 (concurrency 4)", knee, len(steps))
	}
	if math.Abs(out/130_000-1) > 0.1 {
		t.Errorf("capacity %.0f output tokens a minute, fake carries 130,000", out)
	}
}

// TestCostCap: the spend never passes --max-cost: every request in
// flight is reserved at its bound, the run uses the budget up to the
// last request that fits, and a service that writes more than asked
// stops the run on its first answer.
func TestCostCap(t *testing.T) {
	fake := probetest.New(probetest.Config{Base: time.Millisecond})
	defer fake.Close()
	c := cfg(probe.APIConverse)
	c.Concurrency, c.MaxRequests, c.MaxCostUSD = 4, 0, 0.01
	per := c.MaxCostPerRequest()
	res, err := probe.Run(context.Background(), &probe.Bedrock{API: runtime(fake), Target: c.Target, Mode: c.API}, c)
	if err != nil {
		t.Fatal(err)
	}
	// $0.00028 a request as billed, up to $0.003 at the bound.
	if res.SpentUSD > c.MaxCostUSD || res.SpentUSD+per <= c.MaxCostUSD || !strings.Contains(res.Stopped, "past --max-cost") {
		t.Errorf("spent $%.5f of $%.4f ($%.5f a request at most) in %d requests; stopped: %s", res.SpentUSD, c.MaxCostUSD, per, len(res.Records), res.Stopped)
	}
	over := probetest.New(probetest.Config{Base: time.Millisecond, Overshoot: 20})
	defer over.Close()
	c.Concurrency = 4
	res, err = probe.Run(context.Background(), &probe.Bedrock{API: runtime(over), Target: c.Target, Mode: c.API}, c)
	if err != nil {
		t.Fatal(err)
	}
	if res.SpentUSD > c.MaxCostUSD || len(res.Records) != 1 || !strings.Contains(res.Stopped, "returned 60 output tokens for a max of 40") {
		t.Errorf("overshooting service: spent $%.5f in %d requests; stopped: %s", res.SpentUSD, len(res.Records), res.Stopped)
	}
}

// TestThrottlesAndRetriesCounted: throttled requests are retried by the
// probe, every retry counted, and latency is the final attempt's.
func TestThrottlesAndRetriesCounted(t *testing.T) {
	fake := probetest.New(probetest.Config{Base: time.Millisecond})
	defer fake.Close()
	fake.Fail(probetest.NotReady, probetest.ServerError)
	c := cfg(probe.APIConverse)
	c.MaxRequests = 4
	res, err := probe.Run(context.Background(), &probe.Bedrock{API: runtime(fake), Target: c.Target, Mode: c.API}, c)
	if err != nil {
		t.Fatal(err)
	}
	s := probe.Summarise(res.Records, res.End.Sub(res.Start), probe.Config{InputPer1M: 1, OutputPer1M: 2}.Cost)
	if s.NotReady != 1 || s.Errors != 1 || s.Succeeded != 2 {
		t.Errorf("summary %+v", s)
	}
	tight := probetest.New(probetest.Config{OutputTPM: 600, Base: time.Millisecond, OutputTokens: 40, Burst: time.Second}) // 10 tokens a second
	defer tight.Close()
	c.MaxRequests, c.MaxRetries = 2, 3
	res, err = probe.Run(context.Background(), &probe.Bedrock{API: runtime(tight), Target: c.Target, Mode: c.API}, c)
	if err != nil {
		t.Fatal(err)
	}
	total, throttled := tight.Requests()
	s = probe.Summarise(res.Records, res.End.Sub(res.Start), probe.Config{InputPer1M: 1, OutputPer1M: 2}.Cost)
	// Every attempt reached the service: each record is its final attempt
	// plus its retries, and every throttle is a retry or a throttled record.
	if throttled == 0 || total != s.Retries+len(res.Records) || throttled != s.Retries+s.Throttled {
		t.Errorf("fake saw %d requests (%d throttled); probe counted %d retries, %+v", total, throttled, s.Retries, s)
	}
	for _, r := range res.Records {
		if r.Retries > 0 && (r.RetryWait <= 0 || r.Latency >= r.RetryWait+r.Latency) {
			t.Errorf("retried record: %+v", r)
		}
		if r.Latency > 50*time.Millisecond {
			t.Errorf("latency %s includes the retry waits", r.Latency)
		}
	}
}

// TestInterrupt: cancelling the run keeps every finished request.
func TestInterrupt(t *testing.T) {
	fake := probetest.New(probetest.Config{Base: 20 * time.Millisecond})
	defer fake.Close()
	c := cfg(probe.APIConverse)
	c.MaxRequests, c.Duration = 0, 10*time.Second
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	res, err := probe.Run(ctx, &probe.Bedrock{API: runtime(fake), Target: c.Target, Mode: c.API}, c)
	if err != nil {
		t.Fatal(err)
	}
	ok := 0
	for _, r := range res.Records {
		if r.Status == probe.StatusOK {
			ok++
		}
	}
	if res.Stopped != "interrupted" || ok < 5 || res.End.Sub(res.Start) > 2*time.Second {
		t.Errorf("stopped %q after %s with %d finished requests", res.Stopped, res.End.Sub(res.Start), ok)
	}
}

// TestMidStreamError: an error inside a stream is an error, not a success.
func TestMidStreamError(t *testing.T) {
	fake := probetest.New(probetest.Config{Base: time.Millisecond})
	defer fake.Close()
	fake.Fail(probetest.MidStream)
	c := cfg(probe.APIConverseStream)
	c.MaxRequests = 2
	res, err := probe.Run(context.Background(), &probe.Bedrock{API: runtime(fake), Target: c.Target, Mode: c.API}, c)
	if err != nil {
		t.Fatal(err)
	}
	if res.Records[0].Status != probe.StatusError || !strings.Contains(res.Records[0].Error, "ModelStreamErrorException") || res.Records[1].Status != probe.StatusOK {
		t.Errorf("records: %+v", res.Records)
	}
}

// TestSummaryCostCountsCache: probe_summary.csv's cost prices cache
// tokens as the spend cap does (Config.Cost), not as free.
func TestSummaryCostCountsCache(t *testing.T) {
	c := probe.Config{InputPer1M: 1, OutputPer1M: 4, CacheReadPer1M: 0.5, CacheWritePer1M: 3}
	recs := []probe.Record{
		{Status: probe.StatusOK, InputTokens: 100, CacheReadTokens: 1000, CacheWriteTokens: 2000, OutputTokens: 10},
		{Status: probe.StatusOK, InputTokens: 50, OutputTokens: 5},
	}
	s := probe.Summarise(recs, time.Minute, c.Cost)
	want := c.Cost(100, 1000, 2000, 10) + c.Cost(50, 0, 0, 5)
	// 150 input at $1, 1000 cache reads at $0.5, 2000 cache writes at
	// $3, 15 output at $4 a million.
	if hand := (150*1 + 1000*0.5 + 2000*3 + 15*4) / 1e6; math.Abs(want-hand) > 1e-15 || math.Abs(s.CostUSD-want) > 1e-15 {
		t.Errorf("cost $%.9f, want $%.9f (by hand $%.9f)", s.CostUSD, want, hand)
	}
	if s := probe.Summarise(recs, time.Minute, nil); s.CostUSD != 0 {
		t.Errorf("no prices: cost $%v", s.CostUSD)
	}
}

// inMemoryRuntime is runtime for a fake made by probetest.NewInMemory:
// requests reach it through its Do, with no socket, so that a test can
// run the probe and the fake on a testing/synctest bubble's clock.
func inMemoryRuntime(fake *probetest.Server) *bedrockruntime.Client {
	return bedrockruntime.New(bedrockruntime.Options{
		Region: "us-east-1", BaseEndpoint: aws.String("http://probetest.invalid"), HTTPClient: fake,
		Credentials: credentials.NewStaticCredentialsProvider("AKIDTEST", "secret", ""),
		Retryer:     aws.NopRetryer{},
	})
}
