package sim

import (
	"testing"
	"time"

	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/workload"
)

// yearOfMinutes is one model-year of 1-minute demand: 525,600 intervals.
func yearOfMinutes(b *testing.B) (*workload.Series, pricing.Offer, Plan) {
	b.Helper()
	cfg := workload.SeedScenario(1)
	cfg.Days = 365
	s, err := workload.Synthesize(cfg)
	if err != nil {
		b.Fatal(err)
	}
	if s.Len() != 525_600 {
		b.Fatalf("%d intervals, want 525,600", s.Len())
	}
	o, err := pricing.Default().Lookup(cfg.ModelID, cfg.Region)
	if err != nil {
		b.Fatal(err)
	}
	o.Throughput = pricing.Throughput{InputTPM: 1_000_000, OutputTPM: 300_000, Provenance: pricing.ProvenanceAssumed}
	tpm := 4_000_000.0
	o.Quotas = pricing.Quotas{TPM: &tpm}
	p := Plan{ModelID: cfg.ModelID, Region: cfg.Region, TimeZone: cfg.Location, Routing: RouteSpillover,
		Committed: CoverWindow(1, pricing.TermSixMonths, s.Time(0), s.End()),
		Scheduled: []Scheduled{{ModelUnits: 2, Window: DefaultBusinessHours}}}
	return s, o, p
}

// BenchmarkReplayYear replays a model-year with per-interval results,
// as a report does.
func BenchmarkReplayYear(b *testing.B) {
	s, o, p := yearOfMinutes(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Replay(s, p, o, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(s.Len()), "ns/interval")
}

// BenchmarkReplayYearTotals replays a model-year keeping only totals, as
// the recommender's scan does.
func BenchmarkReplayYearTotals(b *testing.B) {
	s, o, p := yearOfMinutes(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReplayTotals(s, p, o, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(s.Len()), "ns/interval")
}

// BenchmarkReplayLoopYear times the inner loop alone, on a prepared
// timeline: the part that runs once per interval.
func BenchmarkReplayLoopYear(b *testing.B) {
	s, o, p := yearOfMinutes(b)
	tl, err := buildTimeline(p, grid{s.Start[0], 60, s.Len()}, o.PT, 0)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		var tot Totals
		run(s, p.Routing, o, tl, Burst{}, &tot, nil)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(s.Len()), "ns/interval")
}

// BenchmarkSumYear is the baseline: summing the same input arrays.
func BenchmarkSumYear(b *testing.B) {
	s, _, _ := yearOfMinutes(b)
	b.ReportAllocs()
	var sink float64
	for b.Loop() {
		var r, in, out float64
		for i := range s.Start {
			r += s.Invocations[i]
			in += s.InputTokens[i]
			out += s.OutputTokens[i]
		}
		sink += r + in + out
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(s.Len()), "ns/interval")
	_ = sink
}

// BenchmarkTimelineYear lays a committed and a scheduled block over a
// year of minutes.
func BenchmarkTimelineYear(b *testing.B) {
	s, o, p := yearOfMinutes(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := buildTimeline(p, grid{s.Start[0], 60, s.Len()}, o.PT, 0); err != nil {
			b.Fatal(err)
		}
	}
}

var _ = time.Minute
