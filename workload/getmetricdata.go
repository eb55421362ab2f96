package workload

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"time"
)

// The AWS/Bedrock metrics the planner reads, by CloudWatch name.
var metricColumn = map[string]string{
	"Invocations":           ColInvocations,
	"InputTokenCount":       ColInputTokens,
	"OutputTokenCount":      ColOutputTokens,
	"InvocationThrottles":   ColThrottles,
	"CacheReadInputTokens":  ColCacheRead,
	"CacheWriteInputTokens": ColCacheWrite,
	"InvocationLatency":     ColLatencyAvg,
}

type getMetricDataOutput struct {
	MetricDataResults []struct {
		ID         string    `json:"Id"`
		Label      string    `json:"Label"`
		Timestamps []string  `json:"Timestamps"`
		Values     []float64 `json:"Values"`
		StatusCode string    `json:"StatusCode"`
	} `json:"MetricDataResults"`
}

// ImportGetMetricData reads the JSON that `aws cloudwatch get-metric-data`
// prints for AWS/Bedrock metrics. Each result's metric is found in its
// Label or Id (Invocations, InputTokenCount, OutputTokenCount,
// InvocationThrottles, CacheReadInputTokens, CacheWriteInputTokens,
// InvocationLatency; a Label or Id holding "p90" and InvocationLatency
// is the p90 latency), its model in the Label's text before the metric
// name ("amazon.titan-text-express-v1 Invocations") or else model. The
// period, which the JSON does not carry, is the greatest common divisor
// of the steps between timestamps unless period is set.
// A model's missing Sum points inside its time range are zero traffic,
// as CloudWatch omits the Sum of idle intervals.
func ImportGetMetricData(r io.Reader, name, model, region string, period time.Duration) (*Metrics, ImportSummary, error) {
	var sum ImportSummary
	var out getMetricDataOutput
	dec := json.NewDecoder(r)
	if err := dec.Decode(&out); err != nil {
		return nil, sum, fmt.Errorf("%s: not get-metric-data JSON: %v", name, err)
	}
	// One JSON document: anything after it means a damaged or
	// concatenated file, whose second half would be silently ignored.
	if end := dec.InputOffset(); !errors.Is(tokenErr(dec), io.EOF) {
		return nil, sum, fmt.Errorf("%s: more after the JSON document (from byte %d): want the output of one get-metric-data call", name, end)
	}
	if len(out.MetricDataResults) == 0 {
		return nil, sum, fmt.Errorf("%s: no MetricDataResults", name)
	}
	type point = map[string]float64
	byModel := map[string]map[int64]point{}
	var models []string
	var step int64 // gcd of the steps between timestamps
	for i, res := range out.MetricDataResults {
		where := fmt.Sprintf("%s: MetricDataResults[%d] (Id %q)", name, i, res.ID)
		if len(res.Timestamps) != len(res.Values) {
			return nil, sum, fmt.Errorf("%s: %d timestamps but %d values", where, len(res.Timestamps), len(res.Values))
		}
		metric, col := "", ""
		for m, c := range metricColumn {
			if strings.Contains(res.Label, m) || strings.Contains(res.ID, m) || strings.EqualFold(res.ID, m) {
				if len(m) > len(metric) {
					metric, col = m, c
				}
			}
		}
		if col == "" {
			return nil, sum, fmt.Errorf("%s: Label %q names none of the metrics %s", where, res.Label, strings.Join(sortedKeys(metricColumn), ", "))
		}
		if metric == "InvocationLatency" && (strings.Contains(strings.ToLower(res.Label), "p90") || strings.Contains(strings.ToLower(res.ID), "p90")) {
			col = ColLatencyP90
		}
		mid := strings.TrimSpace(res.Label[:max(0, strings.Index(res.Label, metric))])
		if mid == "" {
			mid = model
		}
		if mid == "" {
			return nil, sum, fmt.Errorf("%s: no model in Label %q; put it before the metric name or pass --model", where, res.Label)
		}
		if byModel[mid] == nil {
			byModel[mid] = map[int64]point{}
			models = append(models, mid)
		}
		var ts []int64
		for j, raw := range res.Timestamps {
			t, err := time.Parse(time.RFC3339, raw)
			if err != nil {
				return nil, sum, fmt.Errorf("%s: Timestamps[%d]: %q is not an RFC 3339 time", where, j, raw)
			}
			if p := timeProblem(t); p != "" {
				return nil, sum, fmt.Errorf("%s: Timestamps[%d]: %s", where, j, p)
			}
			v := res.Values[j]
			limit := float64(MaxCount)
			if col == ColLatencyAvg || col == ColLatencyP90 {
				limit = MaxLatencyMs
			}
			switch {
			case math.IsNaN(v) || math.IsInf(v, 0) || v < 0:
				return nil, sum, fmt.Errorf("%s: Values[%d]: %v is not a count", where, j, v)
			case v > limit:
				return nil, sum, fmt.Errorf("%s: Values[%d]: %v is too large: at most %s", where, j, v, limitWords(limit))
			}
			p := byModel[mid][t.Unix()]
			if p == nil {
				p = point{}
				byModel[mid][t.Unix()] = p
			}
			if _, dup := p[col]; dup {
				return nil, sum, fmt.Errorf("%s: Timestamps[%d]: a second %s point for %s at %s; each metric of a model has one point per time", where, j, metric, mid, raw)
			}
			p[col] = v
			ts = append(ts, t.Unix())
			sum.Rows++
			sum.saw(t)
		}
		sort.Slice(ts, func(a, b int) bool { return ts[a] < ts[b] })
		for j := 1; j < len(ts); j++ {
			if d := ts[j] - ts[j-1]; d > 0 {
				step = gcd(step, d)
			}
		}
	}
	p := int64(period / time.Second)
	if p == 0 {
		if step == 0 {
			return nil, sum, fmt.Errorf("%s: one timestamp per metric: pass --period", name)
		}
		p = step
	}
	if p > int64(MaxPeriod/time.Second) {
		return nil, sum, fmt.Errorf("%s: the timestamps are %ds apart at best, which is no CloudWatch period; pass --period", name, p)
	}
	m := &Metrics{}
	for _, mid := range models {
		pts := byModel[mid]
		keys := make([]int64, 0, len(pts))
		for k := range pts {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(a, b int) bool { return keys[a] < keys[b] })
		if n := (keys[len(keys)-1]-keys[0])/p + 1; n > maxIntervals {
			return nil, sum, fmt.Errorf("%s: %s spans %d intervals of %ds; check the timestamps", name, mid, n, p)
		}
		s := &Series{ModelID: mid, Region: region, Period: time.Duration(p) * time.Second}
		has := map[string]bool{}
		for _, k := range keys {
			for c := range pts[k] {
				has[c] = true
			}
		}
		if has[ColThrottles] {
			s.Throttles = []float64{}
		}
		if has[ColCacheRead] {
			s.CacheRead = []float64{}
		}
		if has[ColCacheWrite] {
			s.CacheWrite = []float64{}
		}
		if has[ColLatencyAvg] {
			s.LatencyAvgMs = []float64{}
		}
		if has[ColLatencyP90] {
			s.LatencyP90Ms = []float64{}
		}
		for t := keys[0]; t <= keys[len(keys)-1]; t += p {
			v := pts[t]
			lat, p90 := math.NaN(), math.NaN()
			if x, ok := v[ColLatencyAvg]; ok {
				lat = x
			}
			if x, ok := v[ColLatencyP90]; ok {
				p90 = x
			}
			s.appendRow(t, row{inv: v[ColInvocations], in: v[ColInputTokens], out: v[ColOutputTokens], thr: v[ColThrottles],
				cr: v[ColCacheRead], cw: v[ColCacheWrite], lat: lat, p90: p90, ttft: math.NaN()})
		}
		for _, k := range keys {
			if (k-keys[0])%p != 0 {
				return nil, sum, fmt.Errorf("%s: %s at %s is off the %ds grid; pass --period", name, mid, time.Unix(k, 0).UTC().Format(time.RFC3339), p)
			}
		}
		m.Series = append(m.Series, s)
	}
	return m, sum, nil
}

// tokenErr reads one more token and returns its error (io.EOF at the
// end of the input).
func tokenErr(dec *json.Decoder) error {
	_, err := dec.Token()
	return err
}

func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
