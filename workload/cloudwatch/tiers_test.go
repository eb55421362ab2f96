package cloudwatch_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/bedrockplan/bedrockplan/workload"
	"github.com/bedrockplan/bedrockplan/workload/cloudwatch"
	"github.com/bedrockplan/bedrockplan/workload/cloudwatch/cloudwatchtest"
)

const sonnet = "anthropic.claude-sonnet-4-5-20250929-v1:0"

// seedTiers stores two hours of one model's traffic as the service
// publishes it since the tiers launched: the ModelId-only total, the
// requested tier (ServiceTier: 2 priority and 1 flex request a minute)
// and the tier that served it (ResolvedServiceTier: the priority requests
// were served on default, i.e. Standard). A second model reports its Flex
// traffic under the "+flex" id suffix. With mantle, 5 more Flex requests
// a minute arrive through the mantle endpoint.
func seedTiers(fake *cloudwatchtest.Server, mantle bool) (from, to time.Time) {
	from, to = now.Add(-2*time.Hour).Truncate(time.Hour), now.Add(-10*time.Minute).Truncate(time.Minute)
	put := func(ns string, dims []cloudwatchtest.Dimension, inv, ttft float64, t time.Time) {
		fake.PutIn(ns, sonnet, dims, "Invocations", t, inv)
		fake.PutIn(ns, sonnet, dims, "InputTokenCount", t, inv*1000)
		fake.PutIn(ns, sonnet, dims, "OutputTokenCount", t, inv*100)
		fake.PutIn(ns, sonnet, dims, "CacheWriteInputTokens", t, inv*10)
		fake.PutIn(ns, sonnet, dims, "EstimatedTPMQuotaUsage", t, inv*1510)
		fake.PutIn(ns, sonnet, dims, "TimeToFirstToken", t, ttft)
	}
	dim := func(name, v string) []cloudwatchtest.Dimension {
		return []cloudwatchtest.Dimension{{Name: name, Value: v}}
	}
	for t := from; t.Before(now); t = t.Add(time.Minute) {
		put(cloudwatchtest.Bedrock, nil, 3, 200, t)
		put(cloudwatchtest.Bedrock, dim("ServiceTier", "priority"), 2, 150, t)
		put(cloudwatchtest.Bedrock, dim("ServiceTier", "flex"), 1, 100, t)
		put(cloudwatchtest.Bedrock, dim("ResolvedServiceTier", "default"), 2, 150, t)
		put(cloudwatchtest.Bedrock, dim("ResolvedServiceTier", "flex"), 1, 100, t)
		if mantle {
			put(cloudwatchtest.BedrockMantle, dim("ResolvedServiceTier", "flex"), 5, 400, t)
		}
		fake.Put("amazon.nova-pro-v1:0", "Invocations", t, 4)
		fake.Put("amazon.nova-pro-v1:0", "InputTokenCount", t, 4000)
		fake.Put("amazon.nova-pro-v1:0", "OutputTokenCount", t, 40)
		fake.Put("amazon.nova-pro-v1:0+flex", "Invocations", t, 7)
		fake.Put("amazon.nova-pro-v1:0+flex", "InputTokenCount", t, 7000)
		fake.Put("amazon.nova-pro-v1:0+flex", "OutputTokenCount", t, 70)
	}
	return from, to
}

// fetchTiers discovers the namespaces given and fetches [from, to) at
// one minute.
func fetchTiers(t *testing.T, fake *cloudwatchtest.Server, from, to time.Time, namespaces ...string) *workload.Metrics {
	t.Helper()
	f := &cloudwatch.Fetcher{API: client(fake, 1), Region: "us-east-1"}
	sources := map[cloudwatch.Source][]cloudwatch.Metric{}
	for _, ns := range namespaces {
		found, notes, err := f.Discover(context.Background(), ns)
		if err != nil || len(notes) != 0 {
			t.Fatalf("discover %s: %v %v", ns, err, notes)
		}
		for src, present := range found {
			sources[src] = cloudwatch.MetricsFor(present)
		}
	}
	res, err := f.Fetch(context.Background(), cloudwatch.PlanCalls(cloudwatch.Missing(nil, sources,
		[]cloudwatch.Span{{Period: time.Minute, Start: from, End: to}})))
	if err != nil {
		t.Fatal(err)
	}
	return res.Metrics
}

// TestTierSplitFetch: a model with Standard and Flex traffic comes out as
// two series with the right sums, read from ResolvedServiceTier (not the
// requested tier, and not the ModelId-only total as well); suffixed ids
// map to their base model's tier.
func TestTierSplitFetch(t *testing.T) {
	fake := cloudwatchtest.New(now)
	defer fake.Close()
	from, to := seedTiers(fake, false)
	m := fetchTiers(t, fake, from, to, "")
	var keys []string
	for _, s := range m.Series {
		keys = append(keys, s.Key())
	}
	want := "amazon.nova-pro-v1:0 (us-east-1)|amazon.nova-pro-v1:0+flex (us-east-1)|" + sonnet + " (us-east-1)|" + sonnet + "+flex (us-east-1)"
	if strings.Join(keys, "|") != want {
		t.Fatalf("series %q\nwant %s", keys, want)
	}
	minutes := float64(to.Sub(from) / time.Minute)
	std, flex := m.Series[2], m.Series[3]
	for _, c := range []struct {
		s        *workload.Series
		tier     string
		perMin   float64
		ttft     float64
		cacheCol bool
	}{{std, workload.TierStandard, 2, 150, true}, {flex, workload.TierFlex, 1, 100, true},
		{m.Series[0], workload.TierStandard, 4, 0, false}, {m.Series[1], workload.TierFlex, 7, 0, false}} {
		tot := c.s.Totals()
		if c.s.Tier() != c.tier || c.s.Len() != int(minutes) || tot.Invocations != c.perMin*minutes || tot.InputTokens != c.perMin*1000*minutes {
			t.Errorf("%s: tier %s, %d rows, %v requests, %v input tokens; want %v requests", c.s.Key(), c.s.Tier(), c.s.Len(), tot.Invocations, tot.InputTokens, c.perMin*minutes)
		}
		if !c.cacheCol {
			if c.s.QuotaUsage != nil {
				t.Errorf("%s: quota column without the metric", c.s.Key())
			}
			continue
		}
		if tot.QuotaUsage != c.perMin*1510*minutes || tot.CacheWrite != c.perMin*10*minutes || c.s.TTFTAvgMs[0] != c.ttft {
			t.Errorf("%s: quota %v, cache writes %v, ttft %v", c.s.Key(), tot.QuotaUsage, tot.CacheWrite, c.s.TTFTAvgMs[0])
		}
	}
	// The metrics CSV carries the tier and the new columns, and reads back.
	var b strings.Builder
	if err := workload.WriteMetrics(&b, m); err != nil {
		t.Fatal(err)
	}
	header, _, _ := strings.Cut(b.String(), "\n")
	if header != "timestamp,model_id,region,service_tier,period_s,invocations,input_tokens,output_tokens,cache_write_tokens,estimated_tpm_quota_usage,ttft_avg_ms" {
		t.Errorf("header %s", header)
	}
	if !strings.Contains(b.String(), ","+sonnet+",us-east-1,flex,60,1,1000,100,10,1510,100\n") {
		t.Errorf("no flex row like the service's:\n%.600s", b.String())
	}
	back, err := workload.ReadMetrics(strings.NewReader(b.String()), "fetched.csv")
	if err != nil {
		t.Fatal(err)
	}
	if s, err := back.Select(sonnet+"+flex", ""); err != nil || s.Totals() != flex.Totals() {
		t.Errorf("read back: %v", err)
	}
}

// TestMantleAddsUp: with AWS/BedrockMantle the endpoint's traffic adds to
// the same model and tier; time to first token is weighted by requests.
func TestMantleAddsUp(t *testing.T) {
	fake := cloudwatchtest.New(now)
	defer fake.Close()
	from, to := seedTiers(fake, true)
	m := fetchTiers(t, fake, from, to, cloudwatch.Namespace, cloudwatch.MantleNamespace)
	s, err := m.Select(sonnet+"+flex", "")
	if err != nil {
		t.Fatal(err)
	}
	minutes := float64(to.Sub(from) / time.Minute)
	if s.Totals().Invocations != 6*minutes || s.TTFTAvgMs[0] != (1*100+5*400)/6.0 || s.Totals().QuotaUsage != 6*1510*minutes {
		t.Errorf("flex: %v requests (want %v), ttft %v, quota %v", s.Totals().Invocations, 6*minutes, s.TTFTAvgMs[0], s.Totals().QuotaUsage)
	}
	if std, _ := m.Select(sonnet, ""); std.Totals().Invocations != 2*minutes {
		t.Errorf("standard: %v requests", std.Totals().Invocations)
	}
}

// TestTierDimensionChoice: ServiceTier is used when ResolvedServiceTier
// is absent; an unknown tier value is left out with a note.
func TestTierDimensionChoice(t *testing.T) {
	fake := cloudwatchtest.New(now)
	defer fake.Close()
	t0 := now.Add(-time.Hour)
	fake.Put("m", "Invocations", t0, 9)
	fake.PutIn(cloudwatchtest.Bedrock, "m", []cloudwatchtest.Dimension{{Name: "ServiceTier", Value: "Priority"}}, "Invocations", t0, 4)
	fake.PutIn(cloudwatchtest.Bedrock, "m", []cloudwatchtest.Dimension{{Name: "ServiceTier", Value: "default"}}, "Invocations", t0, 3)
	fake.PutIn(cloudwatchtest.Bedrock, "m", []cloudwatchtest.Dimension{{Name: "ServiceTier", Value: "turbo"}}, "Invocations", t0, 2)
	fake.PutIn(cloudwatchtest.Bedrock, "m", []cloudwatchtest.Dimension{{Name: "Operation", Value: "Converse"}}, "Invocations", t0, 9)
	found, notes, err := (&cloudwatch.Fetcher{API: client(fake, 1)}).Discover(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for src := range found {
		model, tier, _ := src.Series()
		got = append(got, model+"/"+tier+"/"+src.ServiceTier)
	}
	if len(got) != 2 || !strings.Contains(strings.Join(got, " "), "m/priority/Priority") || !strings.Contains(strings.Join(got, " "), "m/standard/default") {
		t.Errorf("sources %v", got)
	}
	if len(notes) != 1 || notes[0] != `m ServiceTier=turbo: service tier "turbo" is not one the planner knows (standard, priority, flex, latency-optimized, reserved); its traffic is left out` {
		t.Errorf("notes %q", notes)
	}
}

// TestIncrementalPerTier: what a file holds for one tier does not stop
// another tier of the same model from being fetched.
func TestIncrementalPerTier(t *testing.T) {
	existing := &workload.Metrics{Series: []*workload.Series{{ModelID: sonnet, ServiceTier: workload.TierFlex, Period: time.Minute,
		Start: []int64{now.Add(-time.Hour).Unix()}, Invocations: []float64{1}, InputTokens: []float64{1}, OutputTokens: []float64{1}}}}
	span := cloudwatch.Span{Period: time.Minute, Start: now.Add(-time.Hour), End: now.Add(-time.Hour + time.Minute)}
	reqs := cloudwatch.Missing(existing, map[cloudwatch.Source][]cloudwatch.Metric{
		{ModelID: sonnet, ResolvedServiceTier: "flex"}:    cloudwatch.Metrics,
		{ModelID: sonnet, ResolvedServiceTier: "default"}: cloudwatch.Metrics,
		{ModelID: sonnet + "+flex"}:                       cloudwatch.Metrics,
	}, []cloudwatch.Span{span})
	if len(reqs) != 1 || reqs[0].Source.ResolvedServiceTier != "default" {
		t.Errorf("requests %+v", reqs)
	}
}
