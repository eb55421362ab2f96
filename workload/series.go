package workload

import (
	"fmt"
	"math"
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
)

// Columns lists every metrics CSV column in canonical order.
var Columns = []string{ColTimestamp, ColModelID, ColRegion, ColPeriod, ColInvocations, ColInputTokens,
	ColOutputTokens, ColThrottles, ColCacheRead, ColCacheWrite, ColLatencyAvg, ColLatencyP90}

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
)

// Series is the demand of one model in one region: one entry per interval,
// in time order, all intervals Period long. Slices are parallel. Optional
// slices are nil when the source did not carry them. Latencies are NaN
// for intervals without a value.
type Series struct {
	ModelID string
	Region  string
	Period  time.Duration
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

// Key identifies a series in a file: model and region.
func (s *Series) Key() string {
	if s.Region == "" {
		return s.ModelID
	}
	return s.ModelID + " (" + s.Region + ")"
}

// Totals are sums over a series.
type Totals struct {
	Invocations, InputTokens, OutputTokens, Throttles, CacheRead, CacheWrite float64
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
	}
	return t
}

// appendRow adds one interval; optional values are appended only to the
// slices the series carries.
func (s *Series) appendRow(start int64, inv, in, out, thr, cr, cw, lat, p90 float64) {
	s.Start = append(s.Start, start)
	s.Invocations = append(s.Invocations, inv)
	s.InputTokens = append(s.InputTokens, in)
	s.OutputTokens = append(s.OutputTokens, out)
	if s.Throttles != nil {
		s.Throttles = append(s.Throttles, thr)
	}
	if s.CacheRead != nil {
		s.CacheRead = append(s.CacheRead, cr)
	}
	if s.CacheWrite != nil {
		s.CacheWrite = append(s.CacheWrite, cw)
	}
	if s.LatencyAvgMs != nil {
		s.LatencyAvgMs = append(s.LatencyAvgMs, lat)
	}
	if s.LatencyP90Ms != nil {
		s.LatencyP90Ms = append(s.LatencyP90Ms, p90)
	}
}

// emptyLike returns an empty series with the same identity and optional
// columns as s.
func (s *Series) emptyLike(period time.Duration, capacity int) *Series {
	n := &Series{ModelID: s.ModelID, Region: s.Region, Period: period,
		Start: make([]int64, 0, capacity), Invocations: make([]float64, 0, capacity),
		InputTokens: make([]float64, 0, capacity), OutputTokens: make([]float64, 0, capacity)}
	o := s.Optional()
	mk := func(bit Optional) []float64 {
		if o&bit == 0 {
			return nil
		}
		return make([]float64, 0, capacity)
	}
	n.Throttles, n.CacheRead, n.CacheWrite = mk(HasThrottles), mk(HasCacheRead), mk(HasCacheWrite)
	n.LatencyAvgMs, n.LatencyP90Ms = mk(HasLatencyAvg), mk(HasLatencyP90)
	return n
}

func at(v []float64, i int) float64 {
	if v == nil {
		return 0
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
// the first gap. Latencies in filled intervals are NaN.
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
	nan := math.NaN()
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
				out.appendRow(s.Start[i-1]+k*p, lerp(s.Invocations), lerp(s.InputTokens), lerp(s.OutputTokens),
					lerp(s.Throttles), lerp(s.CacheRead), lerp(s.CacheWrite), nan, nan)
			}
		}
		out.appendRow(s.Start[i], s.Invocations[i], s.InputTokens[i], s.OutputTokens[i], at(s.Throttles, i),
			at(s.CacheRead, i), at(s.CacheWrite, i), at(s.LatencyAvgMs, i), at(s.LatencyP90Ms, i))
	}
	return out, gaps, nil
}

// Resample aggregates s to a coarser period, which must be a whole
// multiple of s.Period. Intervals are aligned to multiples of the new
// period since the Unix epoch. Counts are summed; average latency is
// weighted by invocations; p90 latency becomes the largest p90 of the
// parts (an upper bound: percentiles cannot be combined exactly).
func Resample(s *Series, period time.Duration) (*Series, error) {
	if period <= 0 || period%s.Period != 0 {
		return nil, fmt.Errorf("%s: cannot resample %s data to %s: the new period must be a whole multiple of the old", s.Key(), s.Period, period)
	}
	if period == s.Period {
		return s, nil
	}
	p := int64(period / time.Second)
	out := s.emptyLike(period, s.Len()/int(period/s.Period)+2)
	var latW float64
	for i := range s.Start {
		b := floorDiv(s.Start[i], p) * p
		n := out.Len()
		if n == 0 || out.Start[n-1] != b {
			latW = 0
			out.appendRow(b, 0, 0, 0, 0, 0, 0, math.NaN(), math.NaN())
			n++
		}
		j := n - 1
		out.Invocations[j] += s.Invocations[i]
		out.InputTokens[j] += s.InputTokens[i]
		out.OutputTokens[j] += s.OutputTokens[i]
		if s.Throttles != nil {
			out.Throttles[j] += s.Throttles[i]
		}
		if s.CacheRead != nil {
			out.CacheRead[j] += s.CacheRead[i]
		}
		if s.CacheWrite != nil {
			out.CacheWrite[j] += s.CacheWrite[i]
		}
		if s.LatencyAvgMs != nil && !math.IsNaN(s.LatencyAvgMs[i]) && s.Invocations[i] > 0 {
			prev := out.LatencyAvgMs[j]
			if math.IsNaN(prev) {
				prev = 0
			}
			out.LatencyAvgMs[j] = (prev*latW + s.LatencyAvgMs[i]*s.Invocations[i]) / (latW + s.Invocations[i])
			latW += s.Invocations[i]
		}
		if s.LatencyP90Ms != nil && !math.IsNaN(s.LatencyP90Ms[i]) {
			if math.IsNaN(out.LatencyP90Ms[j]) || s.LatencyP90Ms[i] > out.LatencyP90Ms[j] {
				out.LatencyP90Ms[j] = s.LatencyP90Ms[i]
			}
		}
	}
	return out, nil
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// CombineTiers joins the retention tiers of one model (series with the
// same model and region but different periods, none overlapping another)
// into one series at the coarsest period. A coarse interval that the
// tiers cover only in part is left out, so it shows as a gap instead of
// as lower traffic.
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
	type bucket struct {
		sums    [6]float64
		latW    float64
		lat     float64
		p90     float64
		covered int64
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
				b = &bucket{lat: math.NaN(), p90: math.NaN()}
				buckets[k] = b
				order = append(order, k)
			}
			b.covered += step
			for j, v := range []float64{t.Invocations[i], t.InputTokens[i], t.OutputTokens[i], at(t.Throttles, i), at(t.CacheRead, i), at(t.CacheWrite, i)} {
				b.sums[j] += v
			}
			if t.LatencyAvgMs != nil && !math.IsNaN(t.LatencyAvgMs[i]) && t.Invocations[i] > 0 {
				if math.IsNaN(b.lat) {
					b.lat = 0
				}
				b.lat = (b.lat*b.latW + t.LatencyAvgMs[i]*t.Invocations[i]) / (b.latW + t.Invocations[i])
				b.latW += t.Invocations[i]
			}
			if t.LatencyP90Ms != nil && !math.IsNaN(t.LatencyP90Ms[i]) && (math.IsNaN(b.p90) || t.LatencyP90Ms[i] > b.p90) {
				b.p90 = t.LatencyP90Ms[i]
			}
		}
	}
	sort.Slice(order, func(i, j int) bool { return order[i] < order[j] })
	shape := *tiers[0]
	shape.Throttles, shape.CacheRead, shape.CacheWrite, shape.LatencyAvgMs, shape.LatencyP90Ms = nil, nil, nil, nil, nil
	mk := func(bit Optional) []float64 {
		if opt&bit == 0 {
			return nil
		}
		return []float64{}
	}
	shape.Throttles, shape.CacheRead, shape.CacheWrite = mk(HasThrottles), mk(HasCacheRead), mk(HasCacheWrite)
	shape.LatencyAvgMs, shape.LatencyP90Ms = mk(HasLatencyAvg), mk(HasLatencyP90)
	out := shape.emptyLike(coarsest, len(order))
	for _, k := range order {
		b := buckets[k]
		if b.covered < p {
			continue // partly covered: a gap, not a quiet interval
		}
		out.appendRow(k, b.sums[0], b.sums[1], b.sums[2], b.sums[3], b.sums[4], b.sums[5], b.lat, b.p90)
	}
	return out, nil
}

// Unconstrained returns s with the throttled requests added back to the
// demand, each at its interval's mean input and output tokens per request
// (the series' overall mean where the interval served none), because
// CloudWatch's Invocations count only what was served. It also returns
// how many requests it added. A series without a throttles column is an
// error: there is nothing to add back from.
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
		inv, in, o, thr := s.Invocations[i], s.InputTokens[i], s.OutputTokens[i], s.Throttles[i]
		perIn, perOut := meanIn, meanOut
		if inv > 0 {
			perIn, perOut = in/inv, o/inv
		}
		added += thr
		// Throttles are kept, so the file still says what was turned away.
		out.appendRow(s.Start[i], inv+thr, in+thr*perIn, o+thr*perOut, thr, at(s.CacheRead, i), at(s.CacheWrite, i),
			at(s.LatencyAvgMs, i), at(s.LatencyP90Ms, i))
	}
	return out, added, nil
}
