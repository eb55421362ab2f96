package reports

import (
	"io"
	"testing"
	"time"

	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/sim"
	"github.com/bedrockplan/bedrockplan/workload"
)

// seedTraffic synthesises cfg's traffic and prices it at the catalogue's
// offer for its model, with a throughput of 1M input and 300K output
// tokens a minute.
func seedTraffic(b *testing.B, cfg workload.SynthConfig) (*workload.Series, pricing.Offer) {
	b.Helper()
	s, err := workload.Synthesize(cfg)
	if err != nil {
		b.Fatal(err)
	}
	o, err := pricing.Default().Lookup(cfg.ModelID, cfg.Region)
	if err != nil {
		b.Fatal(err)
	}
	o.Throughput = pricing.Throughput{InputTPM: 1_000_000, OutputTPM: 300_000, Provenance: pricing.ProvenanceAssumed}
	return s, o
}

// yearReplay is the demo's traffic over a model-year of minutes (525,600
// intervals), replayed under one committed and two scheduled MUs.
func yearReplay(b *testing.B) (*workload.Series, *sim.Intervals, pricing.Throughput, *sim.Optimum) {
	b.Helper()
	cfg := workload.SeedScenario(1)
	cfg.Days = 365
	s, o := seedTraffic(b, cfg)
	opt := &sim.Optimum{CommittedMU: 1, CommittedTerm: pricing.TermSixMonths}
	for sl := range sim.Slots {
		if d, h := sl/24, sl%24; d >= 1 && d <= 5 && h >= 9 && h < 17 {
			opt.Scheduled[sl] = 2
		}
	}
	p := sim.Plan{ModelID: cfg.ModelID, Region: cfg.Region, TimeZone: cfg.Location, Routing: sim.RouteSpillover,
		Committed: sim.CoverWindow(1, pricing.TermSixMonths, s.Time(0), s.End()),
		Scheduled: []sim.Scheduled{{ModelUnits: 2, Window: sim.DefaultBusinessHours}}}
	res, err := sim.Replay(s, p, o, sim.Options{})
	if err != nil {
		b.Fatal(err)
	}
	return s, res.Intervals, o.Throughput, opt
}

// BenchmarkLoadDurationChartYear draws the load-duration chart of a
// model-year of minutes: every interval sorted by demand.
func BenchmarkLoadDurationChartYear(b *testing.B) {
	s, iv, tp, o := yearReplay(b)
	loc := workload.SeedScenario(1).Location
	sched := scheduleRows(s, o, tp, loc, nil)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := loadDurationChart(&intervalRows{s: s, iv: iv}, tp, sched, pricing.TermSixMonths, loc, ChartText{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWriteIntervalsYear writes intervals.csv for a model-year of
// minutes, keeping the rows as they read back (as Write does), plain and
// gzip-compressed.
func BenchmarkWriteIntervalsYear(b *testing.B) {
	s, iv, _, _ := yearReplay(b)
	loc := workload.SeedScenario(1).Location
	for _, name := range []string{"intervals.csv", "intervals.csv.gz"} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := writeIntervalsFile(io.Discard, name, &intervalRows{s: s, iv: iv}, loc, true); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDemandChart455Days draws the demand chart of 455 days of
// hourly intervals (as the account benchmark's series): 455 daily steps
// a layer, both panels.
func BenchmarkDemandChart455Days(b *testing.B) {
	cfg := workload.SeedScenario(1)
	cfg.Days, cfg.Period, cfg.GrowthPerWeek = 455, time.Hour, 0.01
	s, o := seedTraffic(b, cfg)
	p := sim.Plan{ModelID: cfg.ModelID, Region: cfg.Region, TimeZone: cfg.Location, Routing: sim.RouteSpillover,
		Committed: sim.CoverWindow(1, pricing.TermSixMonths, s.Time(0), s.End()),
		Scheduled: []sim.Scheduled{{ModelUnits: 2, Window: sim.DefaultBusinessHours}}}
	res, err := sim.Replay(s, p, o, sim.Options{})
	if err != nil {
		b.Fatal(err)
	}
	row := StrategyRow{Strategy: sim.StrategyRecommended, CommittedTerm: pricing.TermSixMonths, CommittedMU: 1}
	rows := &intervalRows{s: s, iv: res.Intervals}
	for b.Loop() {
		if _, err := demandChart(rows, o.Throughput, row, planSchedule(p), cfg.Location, ChartText{}); err != nil {
			b.Fatal(err)
		}
	}
}
