package cloudwatch

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"time"

	"github.com/bedrockplan/bedrockplan/workload"
)

// coverage lists the [start, end) ranges (Unix seconds) that the existing
// rows of a model on a service tier cover, merged and sorted.
func coverage(existing *workload.Metrics, modelID, tier string) [][2]int64 {
	var spans [][2]int64
	if existing == nil {
		return nil
	}
	for _, s := range existing.Series {
		if s.ModelID != modelID || s.Tier() != tier {
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
// source and retention tier, the parts of the tier that no existing row
// of the source's series (model and service tier) covers, trimmed to
// whole intervals of the tier's period. Nothing is asked twice, and the
// sources of one series are asked for the same spans, so their rows line
// up.
func Missing(existing *workload.Metrics, sources map[Source][]Metric, tiers []Span) []Request {
	srcs := make([]Source, 0, len(sources))
	for src := range sources {
		srcs = append(srcs, src)
	}
	sort.Slice(srcs, func(i, j int) bool { return srcs[i].String() < srcs[j].String() })
	var reqs []Request
	for _, src := range srcs {
		model, tier, _ := src.Series()
		cov := coverage(existing, model, tier)
		for _, rt := range tiers {
			for _, part := range subtract(rt.Start.Unix(), rt.End.Unix(), cov) {
				sp := Span{Period: rt.Period, Start: ceilTo(time.Unix(part[0], 0), rt.Period), End: floorTo(time.Unix(part[1], 0), rt.Period)}
				if sp.End.After(sp.Start) {
					reqs = append(reqs, Request{Source: src, Metrics: sources[src], Span: sp})
				}
			}
		}
	}
	return reqs
}

// Named returns the sources for model ids given by hand (--models, PT
// ARNs), each with every metric, in each namespace given (none:
// AWS/Bedrock). A suffixed id ("m+flex") is its model's tier; tier
// dimensions are found only by Discover.
func Named(ids []string, namespaces ...string) map[Source][]Metric {
	if len(namespaces) == 0 {
		namespaces = []string{Namespace}
	}
	out := map[Source][]Metric{}
	for _, ns := range namespaces {
		for _, id := range ids {
			out[Source{Namespace: ns, ModelID: id}] = MetricsFor(nil)
		}
	}
	return out
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
// Each series' (model and service tier) rows are put in time order and
// split into one series per run of equal period (retention tiers).
// Overlapping rows are an error: Missing never asks for what exists.
func Merge(existing, fetched *workload.Metrics) (*workload.Metrics, error) {
	type row struct {
		start  int64
		period time.Duration
		v      [10]float64
	}
	type model struct {
		id, region, tier string
		rows             []row
		opt              workload.Optional
	}
	var models []*model
	byID := map[[2]string]*model{}
	add := func(m *workload.Metrics) {
		if m == nil {
			return
		}
		for _, s := range m.Series {
			key := [2]string{s.ModelID, s.Tier()}
			md := byID[key]
			if md == nil {
				md = &model{id: s.ModelID, region: s.Region, tier: s.ServiceTier}
				byID[key] = md
				models = append(models, md)
			}
			md.opt |= s.Optional()
			nan := math.NaN()
			for i, t := range s.Start {
				md.rows = append(md.rows, row{t, s.Period, [10]float64{s.Invocations[i], s.InputTokens[i], s.OutputTokens[i],
					at(s.Throttles, i, 0), at(s.CacheRead, i, 0), at(s.CacheWrite, i, 0), at(s.LatencyAvgMs, i, nan), at(s.LatencyP90Ms, i, nan),
					at(s.QuotaUsage, i, 0), at(s.TTFTAvgMs, i, nan)}})
			}
		}
	}
	add(existing)
	add(fetched)
	sort.SliceStable(models, func(i, j int) bool {
		if models[i].id != models[j].id {
			return models[i].id < models[j].id
		}
		return tierRank(models[i].tier) < tierRank(models[j].tier)
	})
	out := &workload.Metrics{}
	for _, md := range models {
		sort.SliceStable(md.rows, func(i, j int) bool { return md.rows[i].start < md.rows[j].start })
		var cur *workload.Series
		for i, r := range md.rows {
			if i > 0 {
				prev := md.rows[i-1]
				if r.start < prev.start+int64(prev.period/time.Second) {
					return nil, fmt.Errorf("%s: rows at %s and %s overlap", workload.WithTierSuffix(md.id, md.tier), time.Unix(prev.start, 0).UTC().Format(time.RFC3339), time.Unix(r.start, 0).UTC().Format(time.RFC3339))
				}
			}
			if cur == nil || cur.Period != r.period || (r.start-cur.Start[len(cur.Start)-1])%int64(r.period/time.Second) != 0 {
				cur = &workload.Series{ModelID: md.id, Region: md.region, ServiceTier: md.tier, Period: r.period}
				mk := func(bit workload.Optional) []float64 {
					if md.opt&bit == 0 {
						return nil
					}
					return []float64{}
				}
				cur.Throttles, cur.CacheRead, cur.CacheWrite = mk(workload.HasThrottles), mk(workload.HasCacheRead), mk(workload.HasCacheWrite)
				cur.LatencyAvgMs, cur.LatencyP90Ms = mk(workload.HasLatencyAvg), mk(workload.HasLatencyP90)
				cur.QuotaUsage, cur.TTFTAvgMs = mk(workload.HasQuotaUsage), mk(workload.HasTTFTAvg)
				out.Series = append(out.Series, cur)
			}
			cur.Start = append(cur.Start, r.start)
			cur.Invocations = append(cur.Invocations, r.v[0])
			cur.InputTokens = append(cur.InputTokens, r.v[1])
			cur.OutputTokens = append(cur.OutputTokens, r.v[2])
			for j, dst := range []*[]float64{&cur.Throttles, &cur.CacheRead, &cur.CacheWrite, &cur.LatencyAvgMs, &cur.LatencyP90Ms, &cur.QuotaUsage, &cur.TTFTAvgMs} {
				if *dst != nil {
					*dst = append(*dst, r.v[3+j])
				}
			}
		}
	}
	return out, nil
}

// tierRank orders service tiers as workload.ServiceTiers lists them,
// Standard (empty) first.
func tierRank(t string) int {
	if t == "" {
		return 0
	}
	return slices.Index(workload.ServiceTiers, t)
}

func at(v []float64, i int, missing float64) float64 {
	if v == nil {
		return missing
	}
	return v[i]
}
