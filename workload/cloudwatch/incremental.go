package cloudwatch

import (
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/bedrockplan/bedrockplan/workload"
)

// coverage lists the [start, end) ranges (Unix seconds) that a model's
// existing rows cover, merged and sorted.
func coverage(existing *workload.Metrics, modelID string) [][2]int64 {
	var spans [][2]int64
	if existing == nil {
		return nil
	}
	for _, s := range existing.Series {
		if s.ModelID != modelID {
			continue
		}
		p := int64(s.Period / time.Second)
		for _, t := range s.Start {
			if n := len(spans); n > 0 && spans[n-1][1] == t {
				spans[n-1][1] = t + p
				continue
			}
			spans = append(spans, [2]int64{t, t + p})
		}
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i][0] < spans[j][0] })
	var merged [][2]int64
	for _, sp := range spans {
		if n := len(merged); n > 0 && sp[0] <= merged[n-1][1] {
			merged[n-1][1] = max(merged[n-1][1], sp[1])
			continue
		}
		merged = append(merged, sp)
	}
	return merged
}

// Missing returns the requests that fetch what existing lacks: for each
// model and tier, the parts of the tier no existing row covers, trimmed to
// whole intervals of the tier's period. Nothing is asked twice.
func Missing(existing *workload.Metrics, models map[string][]Metric, tiers []Span) []Request {
	ids := make([]string, 0, len(models))
	for id := range models {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var reqs []Request
	for _, id := range ids {
		cov := coverage(existing, id)
		for _, tier := range tiers {
			for _, part := range subtract(tier.Start.Unix(), tier.End.Unix(), cov) {
				sp := Span{Period: tier.Period, Start: ceilTo(time.Unix(part[0], 0), tier.Period), End: floorTo(time.Unix(part[1], 0), tier.Period)}
				if sp.End.After(sp.Start) {
					reqs = append(reqs, Request{ModelID: id, Metrics: models[id], Span: sp})
				}
			}
		}
	}
	return reqs
}

// subtract returns [lo, hi) minus the sorted, disjoint spans.
func subtract(lo, hi int64, spans [][2]int64) [][2]int64 {
	var out [][2]int64
	cur := lo
	for _, sp := range spans {
		if sp[1] <= cur || sp[0] >= hi {
			continue
		}
		if sp[0] > cur {
			out = append(out, [2]int64{cur, sp[0]})
		}
		cur = max(cur, sp[1])
	}
	if cur < hi {
		out = append(out, [2]int64{cur, hi})
	}
	return out
}

// Merge adds fetched rows to existing ones, which are kept unchanged.
// Each model's rows are put in time order and split into one series per
// run of equal period (retention tiers). Overlapping rows are an error:
// Missing never asks for what exists.
func Merge(existing, fetched *workload.Metrics) (*workload.Metrics, error) {
	type row struct {
		start  int64
		period time.Duration
		v      [9]float64
	}
	type model struct {
		id, region string
		rows       []row
		opt        workload.Optional
	}
	var models []*model
	byID := map[string]*model{}
	add := func(m *workload.Metrics) {
		if m == nil {
			return
		}
		for _, s := range m.Series {
			md := byID[s.ModelID]
			if md == nil {
				md = &model{id: s.ModelID, region: s.Region}
				byID[s.ModelID] = md
				models = append(models, md)
			}
			md.opt |= s.Optional()
			for i, t := range s.Start {
				md.rows = append(md.rows, row{t, s.Period, [9]float64{s.Invocations[i], s.InputTokens[i], s.OutputTokens[i],
					at(s.Throttles, i, 0), at(s.CacheRead, i, 0), at(s.CacheWrite, i, 0), at(s.LatencyAvgMs, i, math.NaN()), at(s.LatencyP90Ms, i, math.NaN())}})
			}
		}
	}
	add(existing)
	add(fetched)
	sort.SliceStable(models, func(i, j int) bool { return models[i].id < models[j].id })
	out := &workload.Metrics{}
	for _, md := range models {
		sort.SliceStable(md.rows, func(i, j int) bool { return md.rows[i].start < md.rows[j].start })
		var cur *workload.Series
		for i, r := range md.rows {
			if i > 0 {
				prev := md.rows[i-1]
				if r.start < prev.start+int64(prev.period/time.Second) {
					return nil, fmt.Errorf("%s: rows at %s and %s overlap", md.id, time.Unix(prev.start, 0).UTC().Format(time.RFC3339), time.Unix(r.start, 0).UTC().Format(time.RFC3339))
				}
			}
			if cur == nil || cur.Period != r.period || (r.start-cur.Start[len(cur.Start)-1])%int64(r.period/time.Second) != 0 {
				cur = &workload.Series{ModelID: md.id, Region: md.region, Period: r.period}
				mk := func(bit workload.Optional) []float64 {
					if md.opt&bit == 0 {
						return nil
					}
					return []float64{}
				}
				cur.Throttles, cur.CacheRead, cur.CacheWrite = mk(workload.HasThrottles), mk(workload.HasCacheRead), mk(workload.HasCacheWrite)
				cur.LatencyAvgMs, cur.LatencyP90Ms = mk(workload.HasLatencyAvg), mk(workload.HasLatencyP90)
				out.Series = append(out.Series, cur)
			}
			cur.Start = append(cur.Start, r.start)
			cur.Invocations = append(cur.Invocations, r.v[0])
			cur.InputTokens = append(cur.InputTokens, r.v[1])
			cur.OutputTokens = append(cur.OutputTokens, r.v[2])
			for j, dst := range []*[]float64{&cur.Throttles, &cur.CacheRead, &cur.CacheWrite, &cur.LatencyAvgMs, &cur.LatencyP90Ms} {
				if *dst != nil {
					*dst = append(*dst, r.v[3+j])
				}
			}
		}
	}
	return out, nil
}

func at(v []float64, i int, missing float64) float64 {
	if v == nil {
		return missing
	}
	return v[i]
}
