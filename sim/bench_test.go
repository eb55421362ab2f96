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

// reportPerInterval adds the time per interval of an n-interval run.
func reportPerInterval(b *testing.B, n int) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/interval")
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
	reportPerInterval(b, s.Len())
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
	reportPerInterval(b, s.Len())
}

// BenchmarkReplayLoopYear times the inner loop alone, on a prepared
// timeline: the part that runs once per interval.
func BenchmarkReplayLoopYear(b *testing.B) {
	s, o, p := yearOfMinutes(b)
	benchLoop(b, s, o, p)
}

// benchLoop times run alone on plan p's prepared timeline.
func benchLoop(b *testing.B, s *workload.Series, o pricing.Offer, p Plan) {
	tl, err := buildTimeline(p, grid{s.Start[0], 60, s.Len()}, o, 0)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		var tot Totals
		run(s, p.Routing, o, tl, Burst{}, &tot, nil)
	}
	reportPerInterval(b, s.Len())
}

// BenchmarkSumYear is the baseline: summing the same input arrays. The
// sum is a function of its own, called from the loop as run is, so that
// both are compiled alike. (Written in the b.Loop body itself, the sums
// are kept in memory across iterations, which makes the baseline about 4x
// slower than summing is, and the replay's ratio to it look 4x better
// than it is.)
func BenchmarkSumYear(b *testing.B) {
	s, _, _ := yearOfMinutes(b)
	b.ReportAllocs()
	for b.Loop() {
		sumSink = sumInputs(s)
	}
	reportPerInterval(b, s.Len())
}

var sumSink float64

// sumInputs adds up the three arrays the replay reads for demand.
func sumInputs(s *workload.Series) float64 {
	req := s.Invocations
	in, out := s.InputTokens[:len(req)], s.OutputTokens[:len(req)]
	var r, i, o float64
	for k := range req {
		r += req[k]
		i += in[k]
		o += out[k]
	}
	return r + i + o
}

// BenchmarkDivisionFloorYear is the least any replay does per interval:
// read the four arrays (requests, input and output tokens, MU-minutes),
// find the MU-minutes the demand asks for, divide once for the PT share,
// and sum two results. It bounds how close to SumYear a replay can get.
func BenchmarkDivisionFloorYear(b *testing.B) {
	s, o, p := yearOfMinutes(b)
	tl, err := buildTimeline(p, grid{s.Start[0], 60, s.Len()}, o, 0)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		sumSink = divisionFloor(s, tl.muMinutes, 1/o.Throughput.InputTPM, 1/o.Throughput.OutputTPM)
	}
	reportPerInterval(b, s.Len())
}

func divisionFloor(s *workload.Series, muMin []float64, invCin, invCout float64) float64 {
	req := s.Invocations
	in, out, mm := s.InputTokens[:len(req)], s.OutputTokens[:len(req)], muMin[:len(req)]
	var served, share float64
	for k := range req {
		f := mm[k] / max(in[k]*invCin, out[k]*invCout)
		served += req[k] * f
		share += f
	}
	return served + share
}

// BenchmarkTimelineYear lays a committed and a scheduled block over a
// year of minutes.
func BenchmarkTimelineYear(b *testing.B) {
	s, o, p := yearOfMinutes(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := buildTimeline(p, grid{s.Start[0], 60, s.Len()}, o, 0); err != nil {
			b.Fatal(err)
		}
	}
}

var _ = time.Minute

// reservedYear is yearOfMinutes with a Reserved offer ($4 / $12 per 1K
// TPM-month for one month, made up for the benchmark: AWS publishes no
// Reserved prices) and a plan that stacks a Reserved base under its PT.
func reservedYear(b *testing.B) (*workload.Series, pricing.Offer, Plan) {
	s, o, p := yearOfMinutes(b)
	price := func(v float64) *pricing.Price { return &pricing.Price{USD: v, Source: "benchmark", AsOf: "2026-11-30"} }
	o.Reserved = &pricing.ReservedOffer{MinInputTPM: 100_000, MinOutputTPM: 10_000,
		OneMonth: &pricing.ReservedPrices{InputPer1KTPMMonth: price(4), OutputPer1KTPMMonth: price(12)}}
	p.Reserved = CoverReserved(800_000, 240_000, pricing.TermOneMonth, s.Time(0), s.End())
	return s, o, p
}

// BenchmarkReplayLoopYearReserved is BenchmarkReplayLoopYear with a
// Reserved layer in front of the PT: the second layer's cost per interval.
func BenchmarkReplayLoopYearReserved(b *testing.B) {
	s, o, p := reservedYear(b)
	benchLoop(b, s, o, p)
}

// BenchmarkReservedOptimiseYear sizes the cheapest reservation alone for
// a model-year of 1-minute data (the target: under a second on 2
// cores), replaying the candidates as Optimise does.
func BenchmarkReservedOptimiseYear(b *testing.B) {
	s, o, _ := reservedYear(b)
	env := Env{Series: s, Offer: o, TimeZone: time.UTC}
	var got *Optimum
	for b.Loop() {
		var err error
		if got, err = Optimise(env, OptimiseOptions{Products: []pricing.Product{pricing.ProductReserved}}); err != nil {
			b.Fatal(err)
		}
	}
	if got.Reserve == nil {
		b.Fatal("no reservation for a year of office traffic at $4 / $12")
	}
}

// BenchmarkStackedOptimiseYear is the whole recommendation across both
// products: PT alone, the reservation alone, and the two stacked.
func BenchmarkStackedOptimiseYear(b *testing.B) {
	s, o, _ := reservedYear(b)
	env := Env{Series: s, Offer: o, TimeZone: time.UTC}
	for b.Loop() {
		if _, err := Optimise(env, OptimiseOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
