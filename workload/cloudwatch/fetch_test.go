package cloudwatch_test

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	awscw "github.com/aws/aws-sdk-go-v2/service/cloudwatch"

	"github.com/bedrockplan/bedrockplan/workload"
	"github.com/bedrockplan/bedrockplan/workload/cloudwatch"
	"github.com/bedrockplan/bedrockplan/workload/cloudwatch/cloudwatchtest"
)

var now = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

type noBackoff struct{}

func (noBackoff) BackoffDelay(int, error) (time.Duration, error) { return 0, nil }

// client is the real SDK client pointed at the fake: static dummy
// credentials, no backoff, at most attempts tries.
func client(fake *cloudwatchtest.Server, attempts int) *awscw.Client {
	return awscw.New(awscw.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(fake.URL),
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDTEST", "secret", ""),
		Retryer: retry.NewStandard(func(o *retry.StandardOptions) {
			o.MaxAttempts = attempts
			o.Backoff = noBackoff{}
			o.RateLimiter = ratelimit.None
		}),
	})
}

// seed stores traffic for two models: every minute of the last 100 days
// for titan (with idle minutes on the hour), the last 3 days for nova.
// It returns titan's per-minute invocations for independent sums.
func seed(fake *cloudwatchtest.Server) map[int64]float64 {
	titan := map[int64]float64{}
	start := now.Add(-100 * 24 * time.Hour).Truncate(time.Hour)
	for t := start; t.Before(now); t = t.Add(time.Minute) {
		if t.Minute() == 0 {
			continue // idle: CloudWatch has no Sum point
		}
		inv := float64(1 + t.Minute()%7)
		titan[t.Unix()] = inv
		fake.Put("amazon.titan-text-express-v1", "Invocations", t, inv)
		fake.Put("amazon.titan-text-express-v1", "InputTokenCount", t, inv*1000)
		fake.Put("amazon.titan-text-express-v1", "OutputTokenCount", t, inv*300)
		fake.Put("amazon.titan-text-express-v1", "InvocationLatency", t, 400+float64(t.Minute()))
	}
	for t := now.Add(-72 * time.Hour).Truncate(time.Minute); t.Before(now); t = t.Add(time.Minute) {
		fake.Put("amazon.nova-pro-v1:0", "Invocations", t, 2)
		fake.Put("amazon.nova-pro-v1:0", "InputTokenCount", t, 900)
		fake.Put("amazon.nova-pro-v1:0", "OutputTokenCount", t, 100)
		fake.Put("amazon.nova-pro-v1:0", "InvocationThrottles", t, 1)
	}
	return titan
}

func sumBetween(minutes map[int64]float64, from, to time.Time) float64 {
	var s float64
	for t, v := range minutes {
		if t >= from.Unix() && t < to.Unix() {
			s += v
		}
	}
	return s
}

func TestTiers(t *testing.T) {
	spans, err := cloudwatch.Tiers(now.Add(-90*24*time.Hour), now, now, 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range spans {
		got = append(got, s.String())
	}
	want := []string{
		"2026-08-28T12:00:00Z to 2026-09-24T13:00:00Z at 1 hour",
		"2026-09-24T13:00:00Z to 2026-11-11T12:05:00Z at 5 minutes",
		"2026-11-11T12:05:00Z to 2026-11-26T11:55:00Z at 1 minute",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("tiers:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, c := range []struct {
		start  time.Time
		period time.Duration
		want   string
	}{
		{now.Add(-20 * 24 * time.Hour), time.Minute, "--period 60: CloudWatch keeps 1 minute data for 15 days, and the range starts 2026-11-06T12:00:00Z (20 days ago); use --period auto, a coarser period, or a later --start"},
		{now.Add(-70 * 24 * time.Hour), 5 * time.Minute, "--period 300: CloudWatch keeps 5 minutes data for 63 days"},
		{now.Add(-time.Hour), 90 * time.Second, "--period 90: CloudWatch periods for this data are 60, 300 or 3600 seconds"},
		{now.Add(-500 * 24 * time.Hour), 0, ""},
	} {
		_, err := cloudwatch.Tiers(c.start, now.Add(-470*24*time.Hour+time.Duration(boolInt(c.want != ""))*470*24*time.Hour), now, c.period)
		if c.want == "" {
			if err == nil || !strings.Contains(err.Error(), "keeps nothing older than 455 days") {
				t.Errorf("a range older than 455 days: %v", err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: got %v, want %q", c.period, err, c.want)
		}
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestCallsAreMinimal: a multi-model, multi-tier plan uses exactly as
// many calls as the limits force.
func TestCallsAreMinimal(t *testing.T) {
	tiers, err := cloudwatch.Tiers(now.Add(-120*24*time.Hour), now, now, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, models := range []int{1, 3, 7, 70} {
		var reqs []cloudwatch.Request
		for i := range models {
			for _, tier := range tiers {
				reqs = append(reqs, cloudwatch.Request{Source: cloudwatch.Source{ModelID: "m" + string(rune('a'+i%26)) + string(rune('a'+i/26))}, Metrics: cloudwatch.Metrics, Span: tier})
			}
		}
		calls := cloudwatch.PlanCalls(reqs)
		if lower := cloudwatch.MinimumCalls(reqs); len(calls) != lower {
			t.Errorf("%d models: %d calls, the limits allow %d", models, len(calls), lower)
		}
		covered := map[string]int{}
		for _, c := range calls {
			if len(c.Queries) > cloudwatch.MaxQueriesPerCall || c.Datapoints() > cloudwatch.MaxDatapointsPerCall {
				t.Fatalf("call over the limits: %d queries, %d datapoints", len(c.Queries), c.Datapoints())
			}
			for _, q := range c.Queries {
				covered[q.Source.ModelID+q.Metric.Name+q.Metric.Stat] += c.Span.Points()
			}
		}
		var want int
		for _, tier := range tiers {
			want += tier.Points()
		}
		for k, n := range covered {
			if n != want {
				t.Errorf("%s covered %d points, want %d", k, n, want)
			}
		}
	}
}

// TestFetchEndToEnd: discovery, a three-tier fetch through the real SDK
// client, totals equal to what the service holds, idle minutes as zeros.
func TestFetchEndToEnd(t *testing.T) {
	fake := cloudwatchtest.New(now)
	defer fake.Close()
	fake.ListPageSize = 3 // force ListMetrics paging
	titan := seed(fake)
	f := &cloudwatch.Fetcher{API: client(fake, 3), Region: "us-east-1"}
	ctx := context.Background()
	found, notes, err := f.Discover(ctx, "")
	if err != nil || len(notes) != 0 {
		t.Fatal(err)
	}
	if len(found) != 2 || !found[cloudwatch.Source{Namespace: cloudwatch.Namespace, ModelID: "amazon.nova-pro-v1:0"}]["InvocationThrottles"] ||
		found[cloudwatch.Source{Namespace: cloudwatch.Namespace, ModelID: "amazon.titan-text-express-v1"}]["InvocationThrottles"] {
		t.Fatalf("discovered %v", found)
	}
	if n := fake.Calls("ListMetrics"); n != 3 {
		t.Errorf("ListMetrics calls = %d, want 3 pages", n)
	}
	tiers, _ := cloudwatch.Tiers(now.Add(-90*24*time.Hour), now, now, 0)
	models := map[cloudwatch.Source][]cloudwatch.Metric{}
	for id, present := range found {
		models[id] = cloudwatch.MetricsFor(present)
	}
	calls := cloudwatch.PlanCalls(cloudwatch.Missing(nil, models, tiers))
	res, err := f.Fetch(ctx, calls)
	if err != nil {
		t.Fatal(err)
	}
	if fake.Calls("GetMetricData") != len(calls) || res.Done != len(calls) {
		t.Errorf("%d GetMetricData calls for %d planned", fake.Calls("GetMetricData"), len(calls))
	}
	var titanTiers []*workload.Series
	for _, s := range res.Metrics.Series {
		if s.ModelID == "amazon.titan-text-express-v1" {
			titanTiers = append(titanTiers, s)
		}
	}
	if len(titanTiers) != 3 {
		t.Fatalf("titan has %d tiers, want 3", len(titanTiers))
	}
	for i, s := range titanTiers {
		tier := tiers[i]
		if s.Period != tier.Period || !s.Time(0).Equal(tier.Start) || !s.End().Equal(tier.End) || len(s.Gaps()) != 0 {
			t.Errorf("tier %d: %s from %s to %s, gaps %v; want %s", i, s.Period, s.Time(0), s.End(), s.Gaps(), tier)
		}
		if got, want := s.Totals().Invocations, sumBetween(titan, tier.Start, tier.End); got != want {
			t.Errorf("tier %s: %v invocations, the service holds %v", tier, got, want)
		}
		if s.Throttles != nil || s.LatencyAvgMs == nil {
			t.Errorf("tier %d columns: throttles %v, latency %v", i, s.Throttles != nil, s.LatencyAvgMs != nil)
		}
	}
	minute := titanTiers[2]
	for i := range minute.Start {
		if minute.Time(i).Minute() == 0 && (minute.Invocations[i] != 0 || !math.IsNaN(minute.LatencyAvgMs[i])) {
			t.Fatalf("idle minute %s: %v invocations, latency %v", minute.Time(i), minute.Invocations[i], minute.LatencyAvgMs[i])
		}
	}
	// The CSV holds the tiers, and selecting the model combines them.
	var b strings.Builder
	if err := workload.WriteMetrics(&b, res.Metrics); err != nil {
		t.Fatal(err)
	}
	back, err := workload.ReadMetrics(strings.NewReader(b.String()), "fetched.csv")
	if err != nil {
		t.Fatal(err)
	}
	one, err := back.Select("amazon.titan-text-express-v1", "")
	if err != nil || one.Period != time.Hour {
		t.Fatalf("select: %v %v", err, one)
	}
}

// TestPagingAndPartialData: small pages force NextToken paging with
// PartialData; the merged result equals the unpaged one.
func TestPagingAndPartialData(t *testing.T) {
	fetch := func(pageSize int) (*cloudwatch.Result, int) {
		fake := cloudwatchtest.New(now)
		defer fake.Close()
		fake.PageSize = pageSize
		seed(fake)
		tiers, _ := cloudwatch.Tiers(now.Add(-2*24*time.Hour), now, now, 0)
		calls := cloudwatch.PlanCalls(cloudwatch.Missing(nil, cloudwatch.Named([]string{"amazon.nova-pro-v1:0"}), tiers))
		res, err := (&cloudwatch.Fetcher{API: client(fake, 1)}).Fetch(context.Background(), calls)
		if err != nil {
			t.Fatal(err)
		}
		return res, fake.Calls("GetMetricData")
	}
	whole, n1 := fetch(0)
	paged, n2 := fetch(700)
	if n2 <= n1 {
		t.Fatalf("%d requests paged vs %d unpaged: no paging happened", n2, n1)
	}
	var a, b strings.Builder
	workload.WriteMetrics(&a, whole.Metrics)
	workload.WriteMetrics(&b, paged.Metrics)
	if a.String() != b.String() || whole.Metrics.Series[0].Totals().Throttles != 2*24*60-5 {
		t.Errorf("paged result differs (%d vs %d bytes), throttles %v", len(a.String()), len(b.String()), whole.Metrics.Series[0].Totals().Throttles)
	}
}

// TestFaults: throttling and server errors are retried; permission and
// expired-credential errors are explained, naming what is missing.
func TestFaults(t *testing.T) {
	tiers, _ := cloudwatch.Tiers(now.Add(-time.Hour), now, now, 0)
	calls := cloudwatch.PlanCalls(cloudwatch.Missing(nil, cloudwatch.Named([]string{"amazon.nova-pro-v1:0"}), tiers))
	for _, c := range []struct {
		name     string
		faults   []cloudwatchtest.Fault
		requests int
		want     string
	}{
		{"throttled twice", []cloudwatchtest.Fault{cloudwatchtest.Throttling, cloudwatchtest.Throttling}, 3, ""},
		{"server error once", []cloudwatchtest.Fault{cloudwatchtest.InternalError}, 2, ""},
		{"throttled throughout", []cloudwatchtest.Fault{cloudwatchtest.Throttling, cloudwatchtest.Throttling, cloudwatchtest.Throttling, cloudwatchtest.Throttling}, 4,
			"AWS kept throttling GetMetricData after retries (Throttling); wait and re-run"},
		{"access denied", []cloudwatchtest.Fault{cloudwatchtest.AccessDenied}, 1,
			"AWS denied GetMetricData: the credentials in use lack the IAM permission cloudwatch:GetMetricData"},
		{"expired token", []cloudwatchtest.Fault{cloudwatchtest.ExpiredToken}, 1,
			"the AWS session has expired (ExpiredToken): sign in again"},
	} {
		t.Run(c.name, func(t *testing.T) {
			fake := cloudwatchtest.New(now)
			defer fake.Close()
			seed(fake)
			fake.Fail("GetMetricData", c.faults...)
			res, err := (&cloudwatch.Fetcher{API: client(fake, 4)}).Fetch(context.Background(), calls)
			if got := fake.Calls("GetMetricData"); got != c.requests {
				t.Errorf("%d requests, want %d", got, c.requests)
			}
			if c.want == "" {
				if err != nil || res.Done != len(calls) {
					t.Errorf("err %v, done %d/%d", err, res.Done, len(calls))
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v\nwant %q", err, c.want)
			}
		})
	}
}

// TestWrongPeriodTrap: the service answers a 1-minute query for 20-day-old
// data with no points and no error, which is why Tiers refuses to plan it.
func TestWrongPeriodTrap(t *testing.T) {
	fake := cloudwatchtest.New(now)
	defer fake.Close()
	seed(fake)
	old := cloudwatch.Span{Period: time.Minute, Start: now.Add(-20 * 24 * time.Hour), End: now.Add(-19 * 24 * time.Hour)}
	call := cloudwatch.Call{Span: old, Queries: []cloudwatch.Query{{ID: "q0", Source: cloudwatch.Source{ModelID: "amazon.titan-text-express-v1"}, Metric: cloudwatch.Metrics[0]}}}
	res, err := (&cloudwatch.Fetcher{API: client(fake, 1)}).Fetch(context.Background(), []cloudwatch.Call{call})
	if err != nil || len(res.Metrics.Series) != 0 {
		t.Fatalf("a 1-minute query for 20-day-old data: %v, %d series (CloudWatch returns nothing)", err, len(res.Metrics.Series))
	}
	if _, err := cloudwatch.Tiers(old.Start, old.End, now, time.Minute); err == nil {
		t.Error("Tiers planned a 1-minute query for 20-day-old data")
	}
	spans, _ := cloudwatch.Tiers(old.Start, old.End, now, 0)
	if len(spans) != 1 || spans[0].Period != 5*time.Minute {
		t.Errorf("auto period for 20-day-old data: %v", spans)
	}
}

// TestIncremental: a second fetch over an overlapping range asks only for
// the part the first did not bring, and keeps the first's rows.
func TestIncremental(t *testing.T) {
	fake := cloudwatchtest.New(now)
	defer fake.Close()
	titan := seed(fake)
	f := &cloudwatch.Fetcher{API: client(fake, 1)}
	models := cloudwatch.Named([]string{"amazon.titan-text-express-v1"})
	first, _ := cloudwatch.Tiers(now.Add(-5*24*time.Hour), now.Add(-2*24*time.Hour), now, 0)
	res1, err := f.Fetch(context.Background(), cloudwatch.PlanCalls(cloudwatch.Missing(nil, models, first)))
	if err != nil {
		t.Fatal(err)
	}
	calls1, req1 := fake.Calls("GetMetricData"), fake.Requested()
	// The same range again costs nothing.
	if again := cloudwatch.Missing(res1.Metrics, models, first); len(again) != 0 {
		t.Errorf("re-fetching the same range asks for %v", again)
	}
	second, _ := cloudwatch.Tiers(now.Add(-7*24*time.Hour), now.Add(-24*time.Hour), now, 0)
	missing := cloudwatch.Missing(res1.Metrics, models, second)
	if len(missing) != 2 || !missing[0].Span.End.Equal(first[0].Start) || !missing[1].Span.Start.Equal(first[0].End) {
		t.Fatalf("missing = %+v", missing)
	}
	res2, err := f.Fetch(context.Background(), cloudwatch.PlanCalls(missing))
	if err != nil {
		t.Fatal(err)
	}
	merged, err := cloudwatch.Merge(res1.Metrics, res2.Metrics)
	if err != nil {
		t.Fatal(err)
	}
	s, err := merged.Select("amazon.titan-text-express-v1", "")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := s.Totals().Invocations, sumBetween(titan, second[0].Start, second[0].End); got != want || len(s.Gaps()) != 0 {
		t.Errorf("merged: %v invocations, want %v; gaps %v", got, want, s.Gaps())
	}
	points := 0
	for _, r := range missing {
		points += r.Span.Points()
	}
	if fake.Requested()-req1 != len(cloudwatch.Metrics)*len(cloudwatch.PlanCalls(missing)) || fake.Calls("GetMetricData")-calls1 != len(cloudwatch.PlanCalls(missing)) {
		t.Errorf("second fetch made %d calls", fake.Calls("GetMetricData")-calls1)
	}
	if points != 4*24*60-1 && points != 4*24*60 {
		t.Logf("second fetch asked for %d minutes", points)
	}
}

// TestInterrupted: a cancelled fetch returns the rows its completed calls
// hold in full (every metric of the model fetched), the same as an
// uninterrupted fetch has for them, and never a half-filled row.
func TestInterrupted(t *testing.T) {
	fake := cloudwatchtest.New(now)
	defer fake.Close()
	seed(fake)
	tiers, _ := cloudwatch.Tiers(now.Add(-14*24*time.Hour), now, now, 0)
	calls := cloudwatch.PlanCalls(cloudwatch.Missing(nil, cloudwatch.Named([]string{
		"amazon.titan-text-express-v1", "amazon.nova-pro-v1:0", "amazon.nova-lite-v1:0"}), tiers))
	if len(calls) < 3 {
		t.Fatalf("%d calls; the test needs several", len(calls))
	}
	full, err := (&cloudwatch.Fetcher{API: client(fake, 1)}).Fetch(context.Background(), calls)
	if err != nil {
		t.Fatal(err)
	}
	rowsOf := func(m *workload.Metrics) map[string]string {
		var b strings.Builder
		workload.WriteMetrics(&b, m)
		out := map[string]string{}
		for _, line := range strings.Split(b.String(), "\n")[1:] {
			if k, _, ok := strings.Cut(line, ",60,"); ok {
				out[k] = line
			}
		}
		return out
	}
	all := rowsOf(full.Metrics)
	for stop := 1; stop < len(calls); stop++ {
		ctx, cancel := context.WithCancel(context.Background())
		f := &cloudwatch.Fetcher{API: client(fake, 1), Progress: func(done, total int) {
			if done == stop {
				cancel()
			}
		}}
		res, err := f.Fetch(ctx, calls)
		cancel()
		if err == nil || res.Done != stop {
			t.Fatalf("stopped after %d: err %v, done %d", stop, err, res.Done)
		}
		part := rowsOf(res.Metrics)
		if len(part) >= len(all) {
			t.Errorf("stopped after %d of %d calls, yet %d of %d rows", stop, len(calls), len(part), len(all))
		}
		for k, line := range part {
			if all[k] != line {
				t.Fatalf("stopped after %d: row %s is %q, complete fetch has %q", stop, k, line, all[k])
			}
		}
	}
}

// TestLimitsEnforced: the fake refuses what CloudWatch refuses, so a
// planner that broke the limits would fail the tests.
func TestLimitsEnforced(t *testing.T) {
	fake := cloudwatchtest.New(now)
	defer fake.Close()
	f := &cloudwatch.Fetcher{API: client(fake, 1)}
	span := cloudwatch.Span{Period: time.Minute, Start: now.Add(-61 * 24 * time.Hour).Truncate(time.Hour), End: now.Add(-time.Hour).Truncate(time.Hour)}
	var many cloudwatch.Call
	many.Span = cloudwatch.Span{Period: time.Minute, Start: span.Start, End: span.Start.Add(time.Hour)}
	for i := range 501 {
		many.Queries = append(many.Queries, cloudwatch.Query{ID: "q" + strings.Repeat("x", i%3) + string(rune('a'+i%26)) + string(rune('a'+i/26%26)), Source: cloudwatch.Source{ModelID: "m"}, Metric: cloudwatch.Metrics[0]})
	}
	_, err := f.Fetch(context.Background(), []cloudwatch.Call{many})
	if err == nil || !strings.Contains(err.Error(), "The collection MetricDataQueries must not have a size greater than 500.") {
		t.Errorf("501 queries: %v", err)
	}
	big := cloudwatch.Call{Span: span, Queries: []cloudwatch.Query{{ID: "a", Source: cloudwatch.Source{ModelID: "m"}, Metric: cloudwatch.Metrics[0]}, {ID: "b", Source: cloudwatch.Source{ModelID: "m"}, Metric: cloudwatch.Metrics[1]}}}
	_, err = f.Fetch(context.Background(), []cloudwatch.Call{big})
	if err == nil || !strings.Contains(err.Error(), "exceeds the limit of 100800") {
		t.Errorf("too many datapoints: %v", err)
	}
}
