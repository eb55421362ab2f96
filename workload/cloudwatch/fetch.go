package cloudwatch

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

	"github.com/bedrockplan/bedrockplan/internal/awserr"
	"github.com/bedrockplan/bedrockplan/workload"
)

// Namespace and dimension of Bedrock's runtime metrics.
const (
	Namespace = "AWS/Bedrock"
	Dimension = "ModelId"
)

// API is the part of the CloudWatch client the fetcher uses;
// *cloudwatch.Client implements it.
type API interface {
	GetMetricData(context.Context, *cloudwatch.GetMetricDataInput, ...func(*cloudwatch.Options)) (*cloudwatch.GetMetricDataOutput, error)
	ListMetrics(context.Context, *cloudwatch.ListMetricsInput, ...func(*cloudwatch.Options)) (*cloudwatch.ListMetricsOutput, error)
}

// Fetcher reads AWS/Bedrock metrics through a CloudWatch client.
type Fetcher struct {
	API    API
	Region string // recorded on every row
	// Progress, when set, is told after each call how many of the calls
	// are done.
	Progress func(done, total int)
}

// Discover lists the models with AWS/Bedrock metrics and, per model, the
// metric names CloudWatch has for it. ListMetrics only sees metrics with
// data in the last two weeks.
func (f *Fetcher) Discover(ctx context.Context) (map[string]map[string]bool, error) {
	models := map[string]map[string]bool{}
	p := cloudwatch.NewListMetricsPaginator(f.API, &cloudwatch.ListMetricsInput{
		Namespace:  aws.String(Namespace),
		Dimensions: []types.DimensionFilter{{Name: aws.String(Dimension)}},
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, awserr.Explain(err, "cloudwatch:ListMetrics")
		}
		for _, m := range page.Metrics {
			for _, d := range m.Dimensions {
				if aws.ToString(d.Name) != Dimension || len(m.Dimensions) != 1 {
					continue
				}
				id := aws.ToString(d.Value)
				if models[id] == nil {
					models[id] = map[string]bool{}
				}
				models[id][aws.ToString(m.MetricName)] = true
			}
		}
	}
	return models, nil
}

// MetricsFor keeps the metrics whose CloudWatch name is in present; nil
// present means all (models named by hand, not discovered).
func MetricsFor(present map[string]bool) []Metric {
	var out []Metric
	for _, m := range Metrics {
		if present == nil || present[m.Name] || m.Stat == "Sum" && isCore(m.Name) {
			out = append(out, m)
		}
	}
	return out
}

// isCore: the counts every row needs, requested even when ListMetrics has
// not seen them lately.
func isCore(name string) bool {
	return name == "Invocations" || name == "InputTokenCount" || name == "OutputTokenCount"
}

// Result is what a fetch brought back.
type Result struct {
	Metrics *workload.Metrics
	// Done counts the calls completed; on an interruption it is less than
	// the calls planned, and Metrics holds the completed ones.
	Done, Planned int
	// Requested counts the metrics requested over all calls and pages
	// (what CloudWatch bills).
	Requested int
}

// Fetch runs the calls and assembles the series. A call's pages are
// followed (NextToken, PartialData) and merged per query Id. A model that
// reported any datapoint at a period gets a row for every interval all
// its metrics were fetched for: CloudWatch omits the Sum of idle
// intervals. On error or cancellation Fetch returns the rows the
// completed calls hold in full, with the error.
func (f *Fetcher) Fetch(ctx context.Context, calls []Call) (*Result, error) {
	res := &Result{Planned: len(calls)}
	type key struct {
		model  string
		period time.Duration
	}
	values := map[key]map[int64]map[string]float64{} // column values
	cover := map[key]map[int64]int{}                 // metrics fetched per interval
	planned := map[string]map[Metric]bool{}          // metrics asked per model
	reported := map[key]bool{}
	for _, c := range calls {
		for _, q := range c.Queries {
			if planned[q.ModelID] == nil {
				planned[q.ModelID] = map[Metric]bool{}
			}
			planned[q.ModelID][q.Metric] = true
		}
	}
	var order []key
	var firstErr error
	for _, c := range calls {
		got, n, err := f.call(ctx, c)
		res.Requested += n
		if err != nil {
			firstErr = err
			break
		}
		step := int64(c.Span.Period / time.Second)
		for _, q := range c.Queries {
			k := key{q.ModelID, c.Span.Period}
			if values[k] == nil {
				values[k], cover[k] = map[int64]map[string]float64{}, map[int64]int{}
				order = append(order, k)
			}
			for t := c.Span.Start.Unix(); t < c.Span.End.Unix(); t += step {
				cover[k][t]++
			}
			for t, v := range got[q.ID] {
				if t < c.Span.Start.Unix() || t >= c.Span.End.Unix() {
					continue
				}
				if values[k][t] == nil {
					values[k][t] = map[string]float64{}
				}
				values[k][t][q.Metric.Column] = v
				reported[k] = true
			}
		}
		res.Done++
		if f.Progress != nil {
			f.Progress(res.Done, len(calls))
		}
	}
	rows := map[key]map[int64]map[string]float64{}
	for _, k := range order {
		if !reported[k] {
			continue
		}
		rows[k] = map[int64]map[string]float64{}
		for t, n := range cover[k] {
			if n == len(planned[k.model]) {
				rows[k][t] = values[k][t] // nil: an idle interval
			}
		}
	}
	order = slices.DeleteFunc(order, func(k key) bool { return len(rows[k]) == 0 })
	// Columns asked for per model, so a model keeps one shape.
	asked := map[string]map[string]bool{}
	for _, c := range calls {
		for _, q := range c.Queries {
			if asked[q.ModelID] == nil {
				asked[q.ModelID] = map[string]bool{}
			}
			asked[q.ModelID][q.Metric.Column] = true
		}
	}
	sort.SliceStable(order, func(i, j int) bool {
		if order[i].model != order[j].model {
			return order[i].model < order[j].model
		}
		return firstKey(rows[order[i]]) < firstKey(rows[order[j]])
	})
	m := &workload.Metrics{}
	for _, k := range order {
		cols := asked[k.model]
		s := &workload.Series{ModelID: k.model, Region: f.Region, Period: k.period}
		opt := func(c string) []float64 {
			if cols[c] {
				return []float64{}
			}
			return nil
		}
		s.Throttles, s.CacheRead, s.CacheWrite = opt(workload.ColThrottles), opt(workload.ColCacheRead), opt(workload.ColCacheWrite)
		s.LatencyAvgMs, s.LatencyP90Ms = opt(workload.ColLatencyAvg), opt(workload.ColLatencyP90)
		times := make([]int64, 0, len(rows[k]))
		for t := range rows[k] {
			times = append(times, t)
		}
		sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
		for _, t := range times {
			c := rows[k][t]
			val := func(col string, idle float64) float64 {
				if c == nil {
					return idle
				}
				if v, ok := c[col]; ok {
					return v
				}
				return idle
			}
			s.Start = append(s.Start, t)
			s.Invocations = append(s.Invocations, val(workload.ColInvocations, 0))
			s.InputTokens = append(s.InputTokens, val(workload.ColInputTokens, 0))
			s.OutputTokens = append(s.OutputTokens, val(workload.ColOutputTokens, 0))
			for _, o := range []struct {
				dst  *[]float64
				col  string
				idle float64
			}{{&s.Throttles, workload.ColThrottles, 0}, {&s.CacheRead, workload.ColCacheRead, 0}, {&s.CacheWrite, workload.ColCacheWrite, 0},
				{&s.LatencyAvgMs, workload.ColLatencyAvg, math.NaN()}, {&s.LatencyP90Ms, workload.ColLatencyP90, math.NaN()}} {
				if *o.dst != nil {
					*o.dst = append(*o.dst, val(o.col, o.idle))
				}
			}
		}
		m.Series = append(m.Series, s)
	}
	res.Metrics = m
	return res, firstErr
}

func firstKey(m map[int64]map[string]float64) int64 {
	first := int64(math.MaxInt64)
	for t := range m {
		first = min(first, t)
	}
	return first
}

// call runs one GetMetricData request through all its pages and returns
// the points per query Id, and how many metrics it requested.
func (f *Fetcher) call(ctx context.Context, c Call) (map[string]map[int64]float64, int, error) {
	in := &cloudwatch.GetMetricDataInput{
		StartTime: aws.Time(c.Span.Start),
		EndTime:   aws.Time(c.Span.End),
		ScanBy:    types.ScanByTimestampAscending,
	}
	for _, q := range c.Queries {
		in.MetricDataQueries = append(in.MetricDataQueries, types.MetricDataQuery{
			Id: aws.String(q.ID),
			MetricStat: &types.MetricStat{
				Metric: &types.Metric{
					Namespace:  aws.String(Namespace),
					MetricName: aws.String(q.Metric.Name),
					Dimensions: []types.Dimension{{Name: aws.String(Dimension), Value: aws.String(q.ModelID)}},
				},
				Period: aws.Int32(int32(c.Span.Period / time.Second)),
				Stat:   aws.String(q.Metric.Stat),
			},
			ReturnData: aws.Bool(true),
		})
	}
	got := map[string]map[int64]float64{}
	requested := 0
	for page := 0; ; page++ {
		if page > 10_000 {
			return got, requested, errors.New("GetMetricData: more than 10,000 pages; giving up")
		}
		out, err := f.API.GetMetricData(ctx, in)
		requested += len(in.MetricDataQueries)
		if err != nil {
			return got, requested, awserr.Explain(err, "cloudwatch:GetMetricData")
		}
		for _, r := range out.MetricDataResults {
			id := aws.ToString(r.Id)
			if len(r.Timestamps) != len(r.Values) {
				return got, requested, fmt.Errorf("GetMetricData: query %s returned %d timestamps and %d values", id, len(r.Timestamps), len(r.Values))
			}
			if got[id] == nil {
				got[id] = map[int64]float64{}
			}
			for i, t := range r.Timestamps {
				got[id][t.Unix()] = r.Values[i]
			}
		}
		if out.NextToken == nil || *out.NextToken == "" {
			return got, requested, nil
		}
		in.NextToken = out.NextToken
	}
}
