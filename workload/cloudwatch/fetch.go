package cloudwatch

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

	"github.com/bedrockplan/bedrockplan/internal/awserr"
	"github.com/bedrockplan/bedrockplan/internal/sdkbody"
	"github.com/bedrockplan/bedrockplan/workload"
)

// Namespaces and dimensions of Bedrock's runtime metrics.
const (
	Namespace = "AWS/Bedrock"
	// MantleNamespace holds the traffic sent through Bedrock's
	// OpenAI-compatible ("mantle") endpoint. The planner assumes it uses
	// the same metric names and dimensions as AWS/Bedrock.
	MantleNamespace = "AWS/BedrockMantle"
	Dimension       = "ModelId"
	// TierDimension is the service tier a request asked for;
	// ResolvedTierDimension the tier that served (and billed) it.
	TierDimension         = "ServiceTier"
	ResolvedTierDimension = "ResolvedServiceTier"
)

// Source is one CloudWatch metric stream of a model: a namespace, the
// ModelId dimension's value as CloudWatch has it (which may carry a tier
// suffix such as "+flex") and the values of the tier dimensions, empty
// when the stream lacks that dimension. Several sources can feed one
// series: a model's traffic through the mantle endpoint, or under a
// suffixed id, adds to the same model and tier.
type Source struct {
	Namespace                        string // empty: AWS/Bedrock
	ModelID                          string
	ServiceTier, ResolvedServiceTier string
}

func (s Source) namespace() string {
	if s.Namespace == "" {
		return Namespace
	}
	return s.Namespace
}

// Series returns the model id and service tier (workload.ServiceTiers)
// whose series the source's traffic belongs to, or ok false for a tier
// value the planner does not know. ResolvedServiceTier wins over
// ServiceTier and both over an id suffix: a Priority request can be
// served, and billed, on another tier, and the bill is what is planned.
func (s Source) Series() (model, tier string, ok bool) {
	model, tier = workload.SplitTierSuffix(s.ModelID)
	for _, v := range []string{s.ServiceTier, s.ResolvedServiceTier} {
		if v == "" {
			continue
		}
		if tier, ok = tierOf(v); !ok {
			return model, v, false
		}
	}
	return model, tier, true
}

// tierOf maps a tier dimension's value to a planner tier. Bedrock's API
// calls Standard "default"; case is not trusted.
func tierOf(v string) (string, bool) {
	v = strings.ToLower(strings.TrimSpace(v))
	if v == "default" {
		return workload.TierStandard, true
	}
	for _, t := range workload.ServiceTiers {
		if v == t {
			return t, true
		}
	}
	return "", false
}

func (s Source) String() string {
	var b strings.Builder
	b.WriteString(s.ModelID)
	if s.ServiceTier != "" {
		fmt.Fprintf(&b, " %s=%s", TierDimension, s.ServiceTier)
	}
	if s.ResolvedServiceTier != "" {
		fmt.Fprintf(&b, " %s=%s", ResolvedTierDimension, s.ResolvedServiceTier)
	}
	if s.Namespace != "" && s.Namespace != Namespace {
		b.WriteString(" in " + s.Namespace)
	}
	return b.String()
}

func (s Source) dimensions() []types.Dimension {
	dims := []types.Dimension{{Name: aws.String(Dimension), Value: aws.String(s.ModelID)}}
	if s.ServiceTier != "" {
		dims = append(dims, types.Dimension{Name: aws.String(TierDimension), Value: aws.String(s.ServiceTier)})
	}
	if s.ResolvedServiceTier != "" {
		dims = append(dims, types.Dimension{Name: aws.String(ResolvedTierDimension), Value: aws.String(s.ResolvedServiceTier)})
	}
	return dims
}

// API is the part of the CloudWatch client the fetcher uses;
// *cloudwatch.Client implements it.
type API interface {
	GetMetricData(context.Context, *cloudwatch.GetMetricDataInput, ...func(*cloudwatch.Options)) (*cloudwatch.GetMetricDataOutput, error)
	ListMetrics(context.Context, *cloudwatch.ListMetricsInput, ...func(*cloudwatch.Options)) (*cloudwatch.ListMetricsOutput, error)
}

// plainBody keeps net/http from closing a connection under an answer
// still being read (issue #15): the larger a page of datapoints, the
// longer it takes to arrive. Package sdkbody says how. Clients other
// than the SDK's ignore it.
func plainBody(o *cloudwatch.Options) { o.HTTPClient = sdkbody.Wrap(o.HTTPClient) }

// Fetcher reads AWS/Bedrock metrics through a CloudWatch client.
type Fetcher struct {
	API    API
	Region string // recorded on every row
	// Progress, when set, is told after each call how many of the calls
	// are done.
	Progress func(done, total int)
}

// Discover lists the sources with metrics in a namespace (empty:
// AWS/Bedrock) and, per source, the metric names CloudWatch has for it.
// ListMetrics only sees metrics with data in the last two weeks.
//
// CloudWatch keeps each combination of dimensions as a metric of its own,
// and the ModelId-only metric is taken to be the total of the tier-split
// ones. So per model one dimension set is chosen, never two, or traffic
// would be counted twice: ResolvedServiceTier (what served and billed the
// request) when present, else ServiceTier, else ModelId alone; with
// ResolvedServiceTier the streams that carry it alone are preferred over
// those that also carry ServiceTier. Streams with other dimensions, or a
// tier value the planner does not know, are left out and described in
// the notes. A model whose tier-split metrics began inside the range
// reads as idle before they began: name it with --models to read its
// ModelId-only total instead.
func (f *Fetcher) Discover(ctx context.Context, namespace string) (map[Source]map[string]bool, []string, error) {
	if namespace == "" {
		namespace = Namespace
	}
	// Dimension sets, ranked: lower is preferred.
	const (
		resolvedOnly = iota
		resolvedAndRequested
		requestedOnly
		modelOnly
	)
	type found struct {
		rank    int
		metrics map[Source]map[string]bool
	}
	byModel := map[string]*found{}
	var notes []string
	noted := map[string]bool{}
	note := func(msg string) {
		if !noted[msg] {
			noted[msg] = true
			notes = append(notes, msg)
		}
	}
	p := cloudwatch.NewListMetricsPaginator(f.API, &cloudwatch.ListMetricsInput{
		Namespace:  aws.String(namespace),
		Dimensions: []types.DimensionFilter{{Name: aws.String(Dimension)}},
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx, plainBody)
		if err != nil {
			return nil, nil, awserr.Explain(err, "cloudwatch:ListMetrics")
		}
		for _, m := range page.Metrics {
			src := Source{Namespace: namespace}
			other := ""
			for _, d := range m.Dimensions {
				switch v := aws.ToString(d.Value); aws.ToString(d.Name) {
				case Dimension:
					src.ModelID = v
				case TierDimension:
					src.ServiceTier = v
				case ResolvedTierDimension:
					src.ResolvedServiceTier = v
				default:
					other = aws.ToString(d.Name)
				}
			}
			if src.ModelID == "" || other != "" {
				continue // another breakdown of the same traffic
			}
			if _, tier, ok := src.Series(); !ok {
				note(fmt.Sprintf("%s: service tier %q is not one the planner knows (%s); its traffic is left out", src, tier, strings.Join(workload.ServiceTiers, ", ")))
				continue
			}
			rank := modelOnly
			switch {
			case src.ResolvedServiceTier != "" && src.ServiceTier == "":
				rank = resolvedOnly
			case src.ResolvedServiceTier != "":
				rank = resolvedAndRequested
			case src.ServiceTier != "":
				rank = requestedOnly
			}
			fd := byModel[src.ModelID]
			if fd == nil || rank < fd.rank {
				fd = &found{rank: rank, metrics: map[Source]map[string]bool{}}
				byModel[src.ModelID] = fd
			}
			if rank != fd.rank {
				continue
			}
			if fd.metrics[src] == nil {
				fd.metrics[src] = map[string]bool{}
			}
			fd.metrics[src][aws.ToString(m.MetricName)] = true
		}
	}
	out := map[Source]map[string]bool{}
	for _, fd := range byModel {
		for src, names := range fd.metrics {
			out[src] = names
		}
	}
	return out, notes, nil
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
// followed (NextToken, PartialData) and merged per query Id. A series
// (model and service tier) that reported any datapoint at a period gets a
// row for every interval all its sources' metrics were fetched for:
// CloudWatch omits the Sum of idle intervals. The sources of one series
// are added up: counts summed, averages weighted by each source's
// invocations, p90 the largest (an upper bound). On error or cancellation
// Fetch returns the rows the completed calls hold in full, with the
// error.
func (f *Fetcher) Fetch(ctx context.Context, calls []Call) (*Result, error) {
	res := &Result{Planned: len(calls)}
	type srcKey struct {
		src    Source
		period time.Duration
	}
	type ident struct{ model, tier string }
	type seriesKey struct {
		ident
		period time.Duration
	}
	values := map[srcKey]map[int64]map[string]float64{} // column values
	cover := map[srcKey]map[int64]int{}                 // metrics fetched per interval
	planned := map[Source]map[Metric]bool{}             // metrics asked per source
	members := map[seriesKey][]srcKey{}                 // the sources of a series
	asked := map[ident]map[string]bool{}                // columns asked per series, so it keeps one shape
	seriesOf := map[Source]ident{}
	reported := map[seriesKey]bool{}
	var order []seriesKey
	for _, c := range calls {
		for _, q := range c.Queries {
			id, ok := seriesOf[q.Source]
			if !ok {
				model, tier, known := q.Source.Series()
				if !known {
					return res, fmt.Errorf("%s: service tier %q is not one the planner knows (%s)", q.Source, tier, strings.Join(workload.ServiceTiers, ", "))
				}
				id = ident{model, tier}
				seriesOf[q.Source] = id
			}
			if planned[q.Source] == nil {
				planned[q.Source] = map[Metric]bool{}
			}
			planned[q.Source][q.Metric] = true
			if asked[id] == nil {
				asked[id] = map[string]bool{}
			}
			asked[id][q.Metric.Column] = true
			sk, k := seriesKey{id, c.Span.Period}, srcKey{q.Source, c.Span.Period}
			if members[sk] == nil {
				order = append(order, sk)
			}
			if !slices.Contains(members[sk], k) {
				members[sk] = append(members[sk], k)
			}
		}
	}
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
			k := srcKey{q.Source, c.Span.Period}
			if values[k] == nil {
				values[k], cover[k] = map[int64]map[string]float64{}, map[int64]int{}
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
				reported[seriesKey{seriesOf[q.Source], c.Span.Period}] = true
			}
		}
		res.Done++
		if f.Progress != nil {
			f.Progress(res.Done, len(calls))
		}
	}
	// An interval is a row when every source of the series has all its
	// metrics for it: a half-fetched interval would read as less traffic.
	rows := map[seriesKey]map[int64][]map[string]float64{}
	for _, sk := range order {
		if !reported[sk] {
			continue
		}
		first := members[sk][0]
		rows[sk] = map[int64][]map[string]float64{}
	times:
		for t := range cover[first] {
			var parts []map[string]float64
			for _, k := range members[sk] {
				if cover[k][t] != len(planned[k.src]) {
					continue times
				}
				parts = append(parts, values[k][t]) // nil: idle
			}
			rows[sk][t] = parts
		}
	}
	order = slices.DeleteFunc(order, func(k seriesKey) bool { return len(rows[k]) == 0 })
	sort.SliceStable(order, func(i, j int) bool {
		a, b := order[i], order[j]
		if a.model != b.model {
			return a.model < b.model
		}
		if a.tier != b.tier {
			return tierRank(a.tier) < tierRank(b.tier)
		}
		return firstKey(rows[a]) < firstKey(rows[b])
	})
	m := &workload.Metrics{}
	for _, k := range order {
		cols := asked[k.ident]
		s := &workload.Series{ModelID: k.model, Region: f.Region, Period: k.period}
		if k.tier != workload.TierStandard {
			s.ServiceTier = k.tier
		}
		opt := func(c string) []float64 {
			if cols[c] {
				return []float64{}
			}
			return nil
		}
		s.Throttles, s.CacheRead, s.CacheWrite = opt(workload.ColThrottles), opt(workload.ColCacheRead), opt(workload.ColCacheWrite)
		s.LatencyAvgMs, s.LatencyP90Ms = opt(workload.ColLatencyAvg), opt(workload.ColLatencyP90)
		s.QuotaUsage, s.TTFTAvgMs = opt(workload.ColQuotaUsage), opt(workload.ColTTFTAvg)
		times := make([]int64, 0, len(rows[k]))
		for t := range rows[k] {
			times = append(times, t)
		}
		sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
		for _, t := range times {
			parts := rows[k][t]
			s.Start = append(s.Start, t)
			s.Invocations = append(s.Invocations, sum(parts, workload.ColInvocations))
			s.InputTokens = append(s.InputTokens, sum(parts, workload.ColInputTokens))
			s.OutputTokens = append(s.OutputTokens, sum(parts, workload.ColOutputTokens))
			for _, o := range []struct {
				dst *[]float64
				col string
				get func([]map[string]float64, string) float64
			}{{&s.Throttles, workload.ColThrottles, sum}, {&s.CacheRead, workload.ColCacheRead, sum}, {&s.CacheWrite, workload.ColCacheWrite, sum},
				{&s.QuotaUsage, workload.ColQuotaUsage, sum}, {&s.LatencyAvgMs, workload.ColLatencyAvg, mean},
				{&s.LatencyP90Ms, workload.ColLatencyP90, largest}, {&s.TTFTAvgMs, workload.ColTTFTAvg, mean}} {
				if *o.dst != nil {
					*o.dst = append(*o.dst, o.get(parts, o.col))
				}
			}
		}
		m.Series = append(m.Series, s)
	}
	res.Metrics = m
	return res, firstErr
}

// sum adds a count over the sources of an interval; an idle source
// (nil) or a missing point is 0.
func sum(parts []map[string]float64, col string) float64 {
	var v float64
	for _, p := range parts {
		v += p[col]
	}
	return v
}

// mean is the sources' average weighted by their invocations (equal
// weights when none served any); NaN when no source has a value.
func mean(parts []map[string]float64, col string) float64 {
	var s, w, plain float64
	n := 0
	for _, p := range parts {
		v, ok := p[col]
		if !ok {
			continue
		}
		n++
		plain += v
		s += v * p[workload.ColInvocations]
		w += p[workload.ColInvocations]
	}
	switch {
	case n == 0:
		return math.NaN()
	case w > 0:
		return s / w
	}
	return plain / float64(n)
}

// largest is the largest value over the sources; NaN when none has one.
func largest(parts []map[string]float64, col string) float64 {
	v := math.NaN()
	for _, p := range parts {
		if x, ok := p[col]; ok && (math.IsNaN(v) || x > v) {
			v = x
		}
	}
	return v
}

func firstKey[V any](m map[int64]V) int64 {
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
					Namespace:  aws.String(q.Source.namespace()),
					MetricName: aws.String(q.Metric.Name),
					Dimensions: q.Source.dimensions(),
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
		out, err := f.API.GetMetricData(ctx, in, plainBody)
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
