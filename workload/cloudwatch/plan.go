package cloudwatch

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/bedrockplan/bedrockplan/workload"
)

// API limits of GetMetricData.
const (
	MaxQueriesPerCall    = 500
	MaxDatapointsPerCall = 100_800
	// USDPerThousandMetrics is what GetMetricData costs: about $0.01 per
	// 1,000 metrics requested, outside the free tier.
	USDPerThousandMetrics = 0.01
)

// Retention of CloudWatch metric data by period.
var retention = []struct {
	Period time.Duration
	Kept   time.Duration
}{
	{time.Minute, 15 * 24 * time.Hour},
	{5 * time.Minute, 63 * 24 * time.Hour},
	{time.Hour, 455 * 24 * time.Hour},
}

// Settle is how long CloudWatch takes to settle a minute's datapoints;
// the newest minutes are not fetched so that a later incremental run does
// not keep an undercounted interval.
const Settle = 5 * time.Minute

// Metric is one AWS/Bedrock metric and statistic the planner reads, and
// the metrics CSV column it fills.
type Metric struct {
	Name, Stat, Column string
}

// Metrics are the metrics fetched per model.
var Metrics = []Metric{
	{"Invocations", "Sum", workload.ColInvocations},
	{"InputTokenCount", "Sum", workload.ColInputTokens},
	{"OutputTokenCount", "Sum", workload.ColOutputTokens},
	{"InvocationThrottles", "Sum", workload.ColThrottles},
	{"CacheReadInputTokens", "Sum", workload.ColCacheRead},
	{"CacheWriteInputTokens", "Sum", workload.ColCacheWrite},
	{"InvocationLatency", "Average", workload.ColLatencyAvg},
	{"InvocationLatency", "p90", workload.ColLatencyP90},
	{"EstimatedTPMQuotaUsage", "Sum", workload.ColQuotaUsage},
	{"TimeToFirstToken", "Average", workload.ColTTFTAvg},
}

// Span is a time range [Start, End) fetched at one period.
type Span struct {
	Period     time.Duration
	Start, End time.Time
}

// Points is the number of datapoints one query returns over the span.
func (s Span) Points() int { return int(s.End.Sub(s.Start) / s.Period) }

func (s Span) String() string {
	return fmt.Sprintf("%s to %s at %s", s.Start.UTC().Format(time.RFC3339), s.End.UTC().Format(time.RFC3339), periodWords(s.Period))
}

func periodWords(p time.Duration) string {
	switch p {
	case time.Minute:
		return "1 minute"
	case 5 * time.Minute:
		return "5 minutes"
	case time.Hour:
		return "1 hour"
	}
	return p.String()
}

// Tiers splits [start, end) into retention tiers as seen at now: each
// part at the finest period CloudWatch still keeps for it, oldest first,
// with boundaries on the coarser period's grid. With a fixed period
// (non-zero) the whole range uses it, and a range that period cannot
// serve is an error rather than an empty file. The newest Settle minutes
// are left out.
func Tiers(start, end, now time.Time, period time.Duration) ([]Span, error) {
	if !end.After(start) {
		return nil, fmt.Errorf("the range %s to %s is empty", start.UTC().Format(time.RFC3339), end.UTC().Format(time.RFC3339))
	}
	if end.After(now.Add(-Settle)) {
		end = now.Add(-Settle)
	}
	oldest := now.Add(-retention[len(retention)-1].Kept)
	if period != 0 {
		var kept time.Duration
		for _, r := range retention {
			if period%r.Period == 0 {
				kept = r.Kept
			}
		}
		if kept == 0 {
			return nil, fmt.Errorf("--period %d: CloudWatch periods for this data are 60, 300 or 3600 seconds (or multiples of them)", int(period/time.Second))
		}
		first := ceilTo(now.Add(-kept).Add(period), period)
		if start.Before(first) {
			return nil, fmt.Errorf("--period %d: CloudWatch keeps %s data for %d days, and the range starts %s (%.0f days ago); use --period auto, a coarser period, or a later --start",
				int(period/time.Second), periodWords(period), int(kept.Hours()/24), start.UTC().Format(time.RFC3339), now.Sub(start).Hours()/24)
		}
		s := Span{Period: period, Start: ceilTo(start, period), End: floorTo(end, period)}
		if !s.End.After(s.Start) {
			return nil, fmt.Errorf("the range %s to %s holds no whole %s interval that CloudWatch has settled", start.UTC().Format(time.RFC3339), end.UTC().Format(time.RFC3339), periodWords(period))
		}
		return []Span{s}, nil
	}
	if !end.After(oldest) {
		return nil, fmt.Errorf("the range ends %s, but CloudWatch keeps nothing older than 455 days (%s)", end.UTC().Format(time.RFC3339), oldest.UTC().Format(time.RFC3339))
	}
	// Tier boundaries, newest first: where the finer period's retention
	// begins, rounded up to the coarser grid, plus one coarse period so a
	// request in flight cannot lose its oldest point.
	var spans []Span
	hi := end
	for i, r := range retention {
		lo := start
		if i+1 < len(retention) {
			coarse := retention[i+1].Period
			if b := ceilTo(now.Add(-r.Kept).Add(coarse), coarse); b.After(lo) {
				lo = b
			}
		} else if b := ceilTo(oldest.Add(r.Period), r.Period); b.After(lo) {
			lo = b
		}
		s := Span{Period: r.Period, Start: ceilTo(lo, r.Period), End: floorTo(hi, r.Period)}
		if s.End.After(s.Start) {
			spans = append(spans, s)
		}
		if !lo.After(start) {
			break
		}
		hi = lo
	}
	for i, j := 0, len(spans)-1; i < j; i, j = i+1, j-1 {
		spans[i], spans[j] = spans[j], spans[i]
	}
	if len(spans) == 0 {
		return nil, fmt.Errorf("the range %s to %s holds no whole interval that CloudWatch has settled", start.UTC().Format(time.RFC3339), end.UTC().Format(time.RFC3339))
	}
	return spans, nil
}

func floorTo(t time.Time, d time.Duration) time.Time {
	u := t.Unix() - mod(t.Unix(), int64(d/time.Second))
	return time.Unix(u, 0).UTC()
}

func ceilTo(t time.Time, d time.Duration) time.Time {
	f := floorTo(t, d)
	if f.Before(t) {
		return f.Add(d)
	}
	return f
}

func mod(a, b int64) int64 {
	m := a % b
	if m < 0 {
		m += b
	}
	return m
}

// Request asks for some metrics of one source over one span.
type Request struct {
	Source  Source
	Metrics []Metric
	Span    Span
}

// Query is one metric of one source in a call.
type Query struct {
	ID     string
	Source Source
	Metric Metric
}

// Call is one GetMetricData request: queries sharing a time range and
// period.
type Call struct {
	Span    Span
	Queries []Query
}

// Datapoints is the most points the call can return.
func (c Call) Datapoints() int { return len(c.Queries) * c.Span.Points() }

// PlanCalls packs requests into GetMetricData calls. Requests over the
// same span share calls. A call holds at most 500 queries and asks for at
// most 100,800 datapoints, so a group of s queries over P points needs
// ceil(P / floor(100,800 / s)) calls, each a time chunk; the queries of a
// span are split into the groups that need the fewest calls in all (an
// exact search over group sizes).
func PlanCalls(reqs []Request) []Call {
	bySpan := map[Span][]Query{}
	var spans []Span
	for _, r := range reqs {
		if len(r.Metrics) == 0 || r.Span.Points() == 0 {
			continue
		}
		if _, ok := bySpan[r.Span]; !ok {
			spans = append(spans, r.Span)
		}
		for _, m := range r.Metrics {
			bySpan[r.Span] = append(bySpan[r.Span], Query{Source: r.Source, Metric: m})
		}
	}
	sort.Slice(spans, func(i, j int) bool {
		if !spans[i].Start.Equal(spans[j].Start) {
			return spans[i].Start.Before(spans[j].Start)
		}
		return spans[i].Period < spans[j].Period
	})
	var calls []Call
	for _, sp := range spans {
		queries := bySpan[sp]
		points := sp.Points()
		next := 0
		for _, size := range groupSizes(len(queries), points) {
			group := queries[next : next+size]
			next += size
			chunk := time.Duration(MaxDatapointsPerCall/size) * sp.Period
			for start := sp.Start; start.Before(sp.End); start = start.Add(chunk) {
				c := Call{Span: Span{Period: sp.Period, Start: start, End: minTime(sp.End, start.Add(chunk))}}
				for i, q := range group {
					q.ID = fmt.Sprintf("q%d", i)
					c.Queries = append(c.Queries, q)
				}
				calls = append(calls, c)
			}
		}
	}
	return calls
}

// callsFor is how many calls a group of size queries over points needs.
func callsFor(size, points int) int { return ceilDiv(points, MaxDatapointsPerCall/size) }

// groupSizes splits n queries over points into groups that need the
// fewest calls in all: best[k] = min over s of best[k-s] + callsFor(s).
func groupSizes(n, points int) []int {
	best := make([]int, n+1)
	pick := make([]int, n+1)
	for k := 1; k <= n; k++ {
		best[k] = -1
		for s := 1; s <= min(k, MaxQueriesPerCall); s++ {
			if c := best[k-s] + callsFor(s, points); best[k] < 0 || c < best[k] {
				best[k], pick[k] = c, s
			}
		}
	}
	var sizes []int
	for k := n; k > 0; k -= pick[k] {
		sizes = append(sizes, pick[k])
	}
	return sizes
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// MinimumCalls is the fewest calls any plan needs for reqs: per span, the
// larger of the query bound and the datapoint bound.
func MinimumCalls(reqs []Request) int {
	queries := map[Span]int{}
	for _, r := range reqs {
		queries[r.Span] += len(r.Metrics)
	}
	n := 0
	for sp, q := range queries {
		if q == 0 || sp.Points() == 0 {
			continue
		}
		n += max(ceilDiv(q, MaxQueriesPerCall), ceilDiv(q*sp.Points(), MaxDatapointsPerCall))
	}
	return n
}

// Describe prints a plan the way --dry-run shows it.
func Describe(calls []Call) string {
	var b strings.Builder
	metrics, points := 0, 0
	for i, c := range calls {
		sources := map[Source]bool{}
		for _, q := range c.Queries {
			sources[q.Source] = true
		}
		fmt.Fprintf(&b, "call %d: %s, %d queries (%d model stream(s)), up to %d datapoints\n", i+1, c.Span, len(c.Queries), len(sources), c.Datapoints())
		metrics += len(c.Queries)
		points += c.Datapoints()
	}
	fmt.Fprintf(&b, "%d GetMetricData calls, %d metrics requested, up to %d datapoints; estimated CloudWatch API cost $%.4f (about $%.2f per 1,000 metrics)\n",
		len(calls), metrics, points, float64(metrics)*USDPerThousandMetrics/1000, USDPerThousandMetrics)
	return b.String()
}
