package workload

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"time"
)

// Column names of the metrics CSV, in canonical order.
const (
	ColTimestamp    = "timestamp"
	ColModelID      = "model_id"
	ColRegion       = "region"
	ColPeriod       = "period_s"
	ColInvocations  = "invocations"
	ColInputTokens  = "input_tokens"
	ColOutputTokens = "output_tokens"
	ColThrottles    = "throttles"
	ColCacheRead    = "cache_read_tokens"
	ColCacheWrite   = "cache_write_tokens"
	ColLatencyAvg   = "latency_avg_ms"
	ColLatencyP90   = "latency_p90_ms"
	// ColServiceTier is the tier the row's traffic ran on (ServiceTiers;
	// empty or absent: standard).
	ColServiceTier = "service_tier"
	// ColQuotaUsage is CloudWatch's EstimatedTPMQuotaUsage summed over the
	// interval, in tokens.
	ColQuotaUsage = "estimated_tpm_quota_usage"
	// ColTTFTAvg is the mean TimeToFirstToken, in milliseconds.
	ColTTFTAvg = "ttft_avg_ms"
)

// Columns lists the metrics CSV columns the file had before service tiers
// and the 2026 CloudWatch metrics, in canonical order. AllColumns adds
// the newer ones; files with only these columns read as they always did.
var Columns = []string{ColTimestamp, ColModelID, ColRegion, ColPeriod, ColInvocations, ColInputTokens,
	ColOutputTokens, ColThrottles, ColCacheRead, ColCacheWrite, ColLatencyAvg, ColLatencyP90}

// AllColumns lists every metrics CSV column in canonical order: Columns
// with service_tier after region, and estimated_tpm_quota_usage and
// ttft_avg_ms at the end.
func AllColumns() []string {
	return []string{ColTimestamp, ColModelID, ColRegion, ColServiceTier, ColPeriod, ColInvocations, ColInputTokens,
		ColOutputTokens, ColThrottles, ColCacheRead, ColCacheWrite, ColLatencyAvg, ColLatencyP90, ColQuotaUsage, ColTTFTAvg}
}

var requiredColumns = []string{ColTimestamp, ColModelID, ColPeriod, ColInvocations, ColInputTokens, ColOutputTokens}

// Optional metric columns a Series may carry.
type Optional uint8

// Optional columns, as bits.
const (
	HasThrottles Optional = 1 << iota
	HasCacheRead
	HasCacheWrite
	HasLatencyAvg
	HasLatencyP90
	HasQuotaUsage
	HasTTFTAvg
)

// Series is the demand of one model in one region on one service tier:
// one entry per interval, in time order, all intervals Period long.
// Slices are parallel. Optional slices are nil when the source did not
// carry them. Latencies are NaN for intervals without a value.
type Series struct {
	ModelID string
	Region  string
	// ServiceTier is one of ServiceTiers; empty means TierStandard, so
	// series built before tiers existed keep their meaning.
	ServiceTier string
	Period      time.Duration
	// Start holds each interval's start, Unix seconds UTC.
	Start        []int64
	Invocations  []float64
	InputTokens  []float64
	OutputTokens []float64
	Throttles    []float64
	CacheRead    []float64
	CacheWrite   []float64
	LatencyAvgMs []float64
	LatencyP90Ms []float64
	// QuotaUsage is CloudWatch's EstimatedTPMQuotaUsage summed over each
	// interval: the tokens the service itself counted against the TPM
	// quota (burndown and cache writes applied).
	QuotaUsage []float64
	// TTFTAvgMs is the mean TimeToFirstToken (streaming requests only).
	TTFTAvgMs []float64
}

// Tier returns the series' service tier, TierStandard when unset.
func (s *Series) Tier() string {
	if s.ServiceTier == "" {
		return TierStandard
	}
	return s.ServiceTier
}

// Len returns the number of intervals.
func (s *Series) Len() int { return len(s.Start) }

// Optional reports which optional columns the series carries.
func (s *Series) Optional() Optional {
	var o Optional
	if s.Throttles != nil {
		o |= HasThrottles
	}
	if s.CacheRead != nil {
		o |= HasCacheRead
	}
	if s.CacheWrite != nil {
		o |= HasCacheWrite
	}
	if s.LatencyAvgMs != nil {
		o |= HasLatencyAvg
	}
	if s.LatencyP90Ms != nil {
		o |= HasLatencyP90
	}
	if s.QuotaUsage != nil {
		o |= HasQuotaUsage
	}
	if s.TTFTAvgMs != nil {
		o |= HasTTFTAvg
	}
	return o
}

// Time returns the start of interval i.
func (s *Series) Time(i int) time.Time { return time.Unix(s.Start[i], 0).UTC() }

// End returns the end of the last interval (the window's end).
func (s *Series) End() time.Time {
	if s.Len() == 0 {
		return time.Time{}
	}
	return s.Time(s.Len() - 1).Add(s.Period)
}

// Span is how much history the series holds: from the start of its
// first interval to the end of its last (60 1-minute intervals are 1
// hour, wherever the hour starts). Every message and report that states
// a length of history states this one.
func (s *Series) Span() time.Duration {
	if s.Len() == 0 {
		return 0
	}
	return s.End().Sub(s.Time(0))
}

// Key identifies a series in a file: model, tier and region. A tier
// other than Standard is written as CloudWatch writes it, as a model-id
// suffix ("m+flex (us-east-1)"), which --model accepts back.
func (s *Series) Key() string {
	id := WithTierSuffix(s.ModelID, s.ServiceTier)
	if s.Region == "" {
		return id
	}
	return id + " (" + s.Region + ")"
}

// Totals are sums over a series.
type Totals struct {
	Invocations, InputTokens, OutputTokens, Throttles, CacheRead, CacheWrite, QuotaUsage float64
}

// Totals sums the series.
func (s *Series) Totals() Totals {
	var t Totals
	for i := range s.Start {
		t.Invocations += s.Invocations[i]
		t.InputTokens += s.InputTokens[i]
		t.OutputTokens += s.OutputTokens[i]
		if s.Throttles != nil {
			t.Throttles += s.Throttles[i]
		}
		if s.CacheRead != nil {
			t.CacheRead += s.CacheRead[i]
		}
		if s.CacheWrite != nil {
			t.CacheWrite += s.CacheWrite[i]
		}
		if s.QuotaUsage != nil {
			t.QuotaUsage += s.QuotaUsage[i]
		}
	}
	return t
}

// row is one interval's values. Counts absent from the source are 0;
// averages without a value are NaN.
type row struct {
	inv, in, out, thr, cr, cw, quota float64
	lat, p90, ttft                   float64
}

// nanRow is an interval with no counts and no averages.
func nanRow() row { n := math.NaN(); return row{lat: n, p90: n, ttft: n} }

// rowAt returns interval i of s.
func (s *Series) rowAt(i int) row {
	nan := math.NaN()
	return row{s.Invocations[i], s.InputTokens[i], s.OutputTokens[i], at(s.Throttles, i, 0), at(s.CacheRead, i, 0),
		at(s.CacheWrite, i, 0), at(s.QuotaUsage, i, 0), at(s.LatencyAvgMs, i, nan), at(s.LatencyP90Ms, i, nan), at(s.TTFTAvgMs, i, nan)}
}

// appendRow adds one interval; optional values are appended only to the
// slices the series carries.
func (s *Series) appendRow(start int64, r row) {
	if n := len(s.Start); n == cap(s.Start) && n >= 1024 {
		// Doubled: append grows a long slice by a quarter, which copied a
		// year of minutes some thirty times over.
		s.Start = slices.Grow(s.Start, n)
		for _, v := range []*[]float64{&s.Invocations, &s.InputTokens, &s.OutputTokens, &s.Throttles, &s.CacheRead,
			&s.CacheWrite, &s.QuotaUsage, &s.LatencyAvgMs, &s.LatencyP90Ms, &s.TTFTAvgMs} {
			if *v != nil {
				*v = slices.Grow(*v, n)
			}
		}
	}
	s.Start = append(s.Start, start)
	s.Invocations = append(s.Invocations, r.inv)
	s.InputTokens = append(s.InputTokens, r.in)
	s.OutputTokens = append(s.OutputTokens, r.out)
	for _, o := range []struct {
		dst *[]float64
		v   float64
	}{{&s.Throttles, r.thr}, {&s.CacheRead, r.cr}, {&s.CacheWrite, r.cw}, {&s.QuotaUsage, r.quota},
		{&s.LatencyAvgMs, r.lat}, {&s.LatencyP90Ms, r.p90}, {&s.TTFTAvgMs, r.ttft}} {
		if *o.dst != nil {
			*o.dst = append(*o.dst, o.v)
		}
	}
}

// clip cuts the room s's columns hold for more rows down to twice the
// rows they hold, when they hold more.
func (s *Series) clip() {
	n := len(s.Start)
	if cap(s.Start) <= 2*n {
		return
	}
	s.Start = append(make([]int64, 0, 2*n), s.Start...)
	for _, v := range []*[]float64{&s.Invocations, &s.InputTokens, &s.OutputTokens, &s.Throttles, &s.CacheRead,
		&s.CacheWrite, &s.QuotaUsage, &s.LatencyAvgMs, &s.LatencyP90Ms, &s.TTFTAvgMs} {
		if *v != nil {
			*v = append(make([]float64, 0, 2*n), *v...)
		}
	}
}

// setOptional gives s an empty slice for every optional column in o and
// nil for the others.
func (s *Series) setOptional(o Optional, capacity int) {
	mk := func(bit Optional) []float64 {
		if o&bit == 0 {
			return nil
		}
		return make([]float64, 0, capacity)
	}
	s.Throttles, s.CacheRead, s.CacheWrite = mk(HasThrottles), mk(HasCacheRead), mk(HasCacheWrite)
	s.LatencyAvgMs, s.LatencyP90Ms = mk(HasLatencyAvg), mk(HasLatencyP90)
	s.QuotaUsage, s.TTFTAvgMs = mk(HasQuotaUsage), mk(HasTTFTAvg)
}

// emptyLike returns an empty series with the same identity and optional
// columns as s.
func (s *Series) emptyLike(period time.Duration, capacity int) *Series {
	n := &Series{ModelID: s.ModelID, Region: s.Region, ServiceTier: s.ServiceTier, Period: period,
		Start: make([]int64, 0, capacity), Invocations: make([]float64, 0, capacity),
		InputTokens: make([]float64, 0, capacity), OutputTokens: make([]float64, 0, capacity)}
	n.setOptional(s.Optional(), capacity)
	return n
}

func at(v []float64, i int, missing float64) float64 {
	if v == nil {
		return missing
	}
	return v[i]
}

// Gap is a run of missing intervals: Missing intervals starting at From.
type Gap struct {
	From    time.Time
	Missing int
}

// Gaps lists the runs of missing intervals between the first and the last.
func (s *Series) Gaps() []Gap {
	var gaps []Gap
	p := int64(s.Period / time.Second)
	for i := 1; i < s.Len(); i++ {
		if d := s.Start[i] - s.Start[i-1]; d > p {
			gaps = append(gaps, Gap{From: time.Unix(s.Start[i-1]+p, 0).UTC(), Missing: int(d/p) - 1})
		}
	}
	return gaps
}

// GapPolicy says how FillGaps treats missing intervals.
type GapPolicy string

// Gap policies.
const (
	GapsError       GapPolicy = "error"       // refuse the series
	GapsZero        GapPolicy = "zero"        // no traffic in the gap (CloudWatch omits Sum points of idle intervals)
	GapsInterpolate GapPolicy = "interpolate" // straight line between the neighbours
)

// ParseGapPolicy checks a --gaps value.
func ParseGapPolicy(s string) (GapPolicy, error) {
	switch p := GapPolicy(s); p {
	case GapsError, GapsZero, GapsInterpolate:
		return p, nil
	}
	return "", fmt.Errorf("--gaps %q: want error, zero or interpolate", s)
}

// FillGaps returns a gap-free copy of s, filled as policy says, and the
// gaps it found. With GapsError a series with gaps is an error that names
// the first gap. Averages (latencies, time to first token) in filled
// intervals are NaN.
func FillGaps(s *Series, policy GapPolicy) (*Series, []Gap, error) {
	gaps := s.Gaps()
	if len(gaps) == 0 {
		return s, nil, nil
	}
	missing := 0
	for _, g := range gaps {
		missing += g.Missing
	}
	if policy == GapsError {
		return nil, gaps, fmt.Errorf("%s: %d missing intervals in %d gaps, the first %d at %s; choose --gaps zero or --gaps interpolate",
			s.Key(), missing, len(gaps), gaps[0].Missing, gaps[0].From.Format(time.RFC3339))
	}
	out := s.emptyLike(s.Period, s.Len()+missing)
	p := int64(s.Period / time.Second)
	for i := range s.Start {
		if i > 0 {
			steps := (s.Start[i] - s.Start[i-1]) / p
			for k := int64(1); k < steps; k++ {
				w := 0.0
				if policy == GapsInterpolate {
					w = float64(k) / float64(steps)
				}
				lerp := func(v []float64) float64 {
					if v == nil || policy == GapsZero {
						return 0
					}
					return v[i-1] + w*(v[i]-v[i-1])
				}
				r := nanRow()
				r.inv, r.in, r.out = lerp(s.Invocations), lerp(s.InputTokens), lerp(s.OutputTokens)
				r.thr, r.cr, r.cw, r.quota = lerp(s.Throttles), lerp(s.CacheRead), lerp(s.CacheWrite), lerp(s.QuotaUsage)
				out.appendRow(s.Start[i-1]+k*p, r)
			}
		}
		out.appendRow(s.Start[i], s.rowAt(i))
	}
	return out, gaps, nil
}

// bucket adds intervals into one coarser interval: counts are summed,
// averages weighted by invocations, and p90 latency is the largest p90 of
// the parts (an upper bound: percentiles cannot be combined exactly).
// Time to first token is weighted by all invocations although only
// streaming requests report it: CloudWatch does not say how many did.
type bucket struct {
	r           row
	latW, ttftW float64
	coveredSecs int64
}

func newBucket() *bucket { return &bucket{r: nanRow()} }

func (b *bucket) add(r row) {
	b.r.inv += r.inv
	b.r.in += r.in
	b.r.out += r.out
	b.r.thr += r.thr
	b.r.cr += r.cr
	b.r.cw += r.cw
	b.r.quota += r.quota
	b.r.lat, b.latW = weighted(b.r.lat, b.latW, r.lat, r.inv)
	b.r.ttft, b.ttftW = weighted(b.r.ttft, b.ttftW, r.ttft, r.inv)
	if !math.IsNaN(r.p90) && (math.IsNaN(b.r.p90) || r.p90 > b.r.p90) {
		b.r.p90 = r.p90
	}
}

// weighted folds the average v over w requests into the running average
// avg over sumW; NaN averages and parts without requests change nothing.
func weighted(avg, sumW, v, w float64) (float64, float64) {
	if math.IsNaN(v) || w <= 0 {
		return avg, sumW
	}
	if math.IsNaN(avg) {
		avg = 0
	}
	return (avg*sumW + v*w) / (sumW + w), sumW + w
}

// Resample aggregates s to a coarser period, which must be a whole
// multiple of s.Period. Intervals are aligned to multiples of the new
// period since the Unix epoch. Counts are summed; averages are weighted
// by invocations; p90 latency becomes the largest p90 of the parts (see
// bucket).
func Resample(s *Series, period time.Duration) (*Series, error) {
	if period <= 0 || period%s.Period != 0 {
		return nil, fmt.Errorf("%s: cannot resample %s data to %s: the new period must be a whole multiple of the old", s.Key(), s.Period, period)
	}
	if period == s.Period {
		return s, nil
	}
	p := int64(period / time.Second)
	out := s.emptyLike(period, s.Len()/int(period/s.Period)+2)
	var cur *bucket
	var curStart int64
	flush := func() {
		if cur != nil {
			out.appendRow(curStart, cur.r)
		}
	}
	for i := range s.Start {
		b := floorDiv(s.Start[i], p) * p
		if cur == nil || b != curStart {
			flush()
			cur, curStart = newBucket(), b
		}
		cur.add(s.rowAt(i))
	}
	flush()
	return out, nil
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// CombineTiers joins the retention tiers of one series (series with the
// same model, region and service tier but different periods, none
// overlapping another) into one series at the coarsest period. A coarse
// interval that the tiers cover only in part is left out, so it shows as
// a gap instead of as lower traffic. ("Tiers" here are CloudWatch's
// retention tiers, not Bedrock's service tiers.)
func CombineTiers(tiers []*Series) (*Series, error) {
	if len(tiers) == 1 {
		return tiers[0], nil
	}
	coarsest := tiers[0].Period
	for _, t := range tiers {
		if t.Period > coarsest {
			coarsest = t.Period
		}
	}
	for _, t := range tiers {
		if coarsest%t.Period != 0 {
			return nil, fmt.Errorf("%s: periods %s and %s cannot be combined: one must divide the other", t.Key(), t.Period, coarsest)
		}
	}
	p := int64(coarsest / time.Second)
	buckets := map[int64]*bucket{}
	var order []int64
	var opt Optional
	for _, t := range tiers {
		opt |= t.Optional()
		step := int64(t.Period / time.Second)
		for i, st := range t.Start {
			k := floorDiv(st, p) * p
			b := buckets[k]
			if b == nil {
				b = newBucket()
				buckets[k] = b
				order = append(order, k)
			}
			b.coveredSecs += step
			b.add(t.rowAt(i))
		}
	}
	sort.Slice(order, func(i, j int) bool { return order[i] < order[j] })
	out := &Series{ModelID: tiers[0].ModelID, Region: tiers[0].Region, ServiceTier: tiers[0].ServiceTier, Period: coarsest,
		Start: make([]int64, 0, len(order)), Invocations: make([]float64, 0, len(order)),
		InputTokens: make([]float64, 0, len(order)), OutputTokens: make([]float64, 0, len(order))}
	out.setOptional(opt, len(order))
	for _, k := range order {
		b := buckets[k]
		if b.coveredSecs < p {
			continue // partly covered: a gap, not a quiet interval
		}
		out.appendRow(k, b.r)
	}
	return out, nil
}

// Unconstrained returns s with the throttled requests added back to the
// demand, each at its interval's mean input and output tokens per request
// (the series' overall mean where the interval served none), because
// CloudWatch's Invocations count only what was served. It also returns
// how many requests it added. A series without a throttles column is an
// error: there is nothing to add back from. The service's quota count is
// left as measured: it counted what was served.
func Unconstrained(s *Series) (*Series, float64, error) {
	if s.Throttles == nil {
		return nil, 0, fmt.Errorf("%s: --demand unconstrained needs the throttles column (InvocationThrottles)", s.Key())
	}
	tot := s.Totals()
	meanIn, meanOut := 0.0, 0.0
	if tot.Invocations > 0 {
		meanIn, meanOut = tot.InputTokens/tot.Invocations, tot.OutputTokens/tot.Invocations
	}
	out := s.emptyLike(s.Period, s.Len())
	var added float64
	for i := range s.Start {
		r := s.rowAt(i)
		perIn, perOut := meanIn, meanOut
		if r.inv > 0 {
			perIn, perOut = r.in/r.inv, r.out/r.inv
		}
		added += r.thr
		// Throttles are kept, so the file still says what was turned away.
		r.inv, r.in, r.out = r.inv+r.thr, r.in+r.thr*perIn, r.out+r.thr*perOut
		out.appendRow(s.Start[i], r)
	}
	return out, added, nil
}
