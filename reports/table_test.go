package reports

import (
	"bytes"
	"reflect"
	"testing"
	"time"

	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/sim"
)

// everyTableReport is a report whose folder has every CSV file: the rich
// report's parts, with a Reserved offer (reserved_breakeven.csv, a
// Reserved strategy), a cash flow and the throughput sensitivity.
func everyTableReport(t *testing.T) *Report {
	t.Helper()
	price := func(v float64) *pricing.Price { return &pricing.Price{USD: v, Source: "test", AsOf: "2026-11-01"} }
	r, env, fc := richReportOf(t, LangEnglish, func(o *pricing.Offer) {
		o.Reserved = &pricing.ReservedOffer{MinInputTPM: 1000, MinOutputTPM: 100,
			OneMonth:    &pricing.ReservedPrices{InputPer1KTPMMonth: price(4), OutputPer1KTPMMonth: price(12)},
			ThreeMonths: &pricing.ReservedPrices{InputPer1KTPMMonth: price(3.5), OutputPer1KTPMMonth: price(10.5)}}
	}, 20)
	plan := r.detail().Plan
	r.BuyAt = r.Series.Time(r.Series.Len() - 1).Add(time.Hour).Truncate(time.Hour)
	var err error
	if r.CashFlow, err = sim.CashFlow(env, fc, plan, r.BuyAt, sim.RiskOptions{Scenarios: 20, Seed: 3, Burst: r.Burst}); err != nil {
		t.Fatal(err)
	}
	if r.Sensitivity, err = sim.ThroughputSensitivity(env, plan, r.Analysis.Optimum); err != nil {
		t.Fatal(err)
	}
	return r
}

// roundTrip checks one table: its rows, written by the declaration and
// read back by it, are the rows; written again, the same bytes.
func roundTrip[R any](t *testing.T, tbl *table[R], rows []R, seen map[string]bool) {
	t.Helper()
	if rows == nil {
		return
	}
	seen[tbl.name] = true
	text, err := tbl.encode(rows)
	if err != nil {
		t.Fatalf("%s: %v", tbl.name, err)
	}
	back, err := tbl.decode(text)
	if err != nil {
		t.Fatalf("%s: %v", tbl.name, err)
	}
	if !reflect.DeepEqual(back, rows) {
		t.Errorf("%s reads back other rows than were written:\n%+v\nwant\n%+v", tbl.name, back, rows)
	}
	again, err := tbl.encode(back)
	if err != nil || !bytes.Equal(again, text) {
		t.Errorf("%s written again differs (%v):\n%s\nwant\n%s", tbl.name, err, again, text)
	}
}

// TestTablesRoundTrip: the round trip through the table declarations for
// every CSV of a report folder (and an account's portfolio.csv): rows
// built from a real analysis, written by the declaration and read back by
// it, are the same rows (reflect.DeepEqual), and written again the same
// bytes. intervals.csv, written as a stream, reads back as the rows its
// writer kept, and is written again byte for byte, in every mode.
func TestTablesRoundTrip(t *testing.T) {
	seen := map[string]bool{}
	rich, every := richReport(t, LangEnglish), everyTableReport(t)
	hourly := *every
	hourly.Intervals = IntervalsHourly
	for _, r := range []*Report{rich, every, seedReport(t, 2), &hourly} {
		d, err := r.build()
		if err != nil {
			t.Fatal(err)
		}
		roundTrip(t, assumptionsTable, d.assumptions, seen)
		roundTrip(t, strategiesTable, d.strategies, seen)
		roundTrip(t, breakEvenTable, d.breakEven, seen)
		roundTrip(t, reservedBreakEvenTable, d.reservedBreakEven, seen)
		roundTrip(t, commitmentsTable, d.commitments, seen)
		roundTrip(t, curveTable, d.curve, seen)
		roundTrip(t, riskTable, d.risk, seen)
		roundTrip(t, cashFlowTable, d.cashFlow, seen)
		roundTrip(t, sensitivityTable, d.sensitivity, seen)
		roundTrip(t, levelsTable, d.levels, seen)
		roundTrip(t, scheduleTable, d.schedule, seen)
		if d.intervals == nil {
			continue
		}
		seen[intervalsDataFile.name] = true
		var text bytes.Buffer
		kept, err := writeIntervalRows(&text, d.intervals, d.loc, true)
		if err != nil {
			t.Fatal(err)
		}
		back, err := parseIntervals(bytes.NewReader(text.Bytes()), "intervals.csv")
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(back.iv, kept.iv) || !reflect.DeepEqual(back.s.Start, kept.s.Start) ||
			!reflect.DeepEqual([][]float64{back.s.Invocations, back.s.InputTokens, back.s.OutputTokens}, [][]float64{kept.s.Invocations, kept.s.InputTokens, kept.s.OutputTokens}) {
			t.Errorf("%s (%s) reads back other rows than its writer kept", d.intervalsFile, r.Intervals.or())
		}
		var again bytes.Buffer
		if _, err := writeIntervalRows(&again, back, d.loc, false); err != nil || !bytes.Equal(again.Bytes(), text.Bytes()) {
			t.Errorf("%s (%s) written again differs (%v)", d.intervalsFile, r.Intervals.or(), err)
		}
	}
	for _, detail := range []string{sim.StrategyRecommended, sim.StrategyPlan} {
		p := &Portfolio{Detail: detail, Rows: []PortfolioRow{rich.PortfolioRow(detail, "a"), every.PortfolioRow(detail, "b")}}
		// Rows as the file holds them: the portfolio renders from those.
		rows, err := asWritten(portfolioTable(detail), append(p.Rows, p.Total()), nil)
		if err != nil {
			t.Fatal(err)
		}
		roundTrip(t, portfolioTable(detail), rows, seen)
	}
	for _, df := range reportFiles {
		if df.columns != nil && !seen[df.name] {
			t.Errorf("%s: no round trip", df.name)
		}
	}
	if !seen["portfolio.csv"] {
		t.Error("portfolio.csv: no round trip")
	}
}

// TestWriteThenLoadSameTables: the tables Write rendered from, in
// memory, are the tables LoadReport reads from the folder it wrote, and
// the two render the same.
func TestWriteThenLoadSameTables(t *testing.T) {
	for _, mode := range []IntervalsMode{IntervalsFull, IntervalsHourly, IntervalsNone} {
		r := everyTableReport(t)
		r.Intervals = mode
		dir := writeReport(t, r)
		loaded, err := LoadReport(dir)
		if err != nil {
			t.Fatal(err)
		}
		mem, disk := *r.rendered.data, *loaded.data
		if mem.loc.String() != disk.loc.String() {
			t.Errorf("%s: time zone %s in memory, %s read", mode, mem.loc, disk.loc)
		}
		mem.loc, disk.loc = nil, nil
		if !reflect.DeepEqual(mem, disk) {
			v, w := reflect.ValueOf(mem), reflect.ValueOf(disk)
			for i := range v.NumField() {
				if !reflect.DeepEqual(v.Field(i).Interface(), w.Field(i).Interface()) {
					t.Errorf("%s: %s in memory differs from the folder's", mode, v.Type().Field(i).Name)
				}
			}
		}
		if !reflect.DeepEqual(r.rendered.Files(), loaded.Files()) || !reflect.DeepEqual(r.Files(), loaded.Files()) {
			t.Errorf("%s: files %v, read back %v", mode, r.Files(), loaded.Files())
		}
	}
}
