package reports

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
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

// readSet is the columns of a table that some line of some round trip
// read.
type readSet struct {
	name    string
	columns []string
	read    []bool
}

// roundTrip checks one table on the rows built from the sim results
// (before asWritten): written by the declaration, read back by it and
// written again, they are the same text, so every column reads back what
// was written, to the precision it is written with (a read that drops or
// alters a column changes the text written again). Read back once more,
// the rows are the same rows. The columns each line read are added to
// reads, by table.
func roundTrip[R any](t *testing.T, tbl *table[R], rows []R, reads map[*table[R]]*readSet) {
	t.Helper()
	if rows == nil {
		return
	}
	text, err := tbl.encode(rows)
	if err != nil {
		t.Fatalf("%s: %v", tbl.name, err)
	}
	back, rec, err := tbl.decodeRecord(text)
	if err != nil {
		t.Fatalf("%s: %v", tbl.name, err)
	}
	rs := reads[tbl]
	if rs == nil {
		rs = &readSet{name: tbl.name, columns: tbl.columns, read: make([]bool, len(tbl.columns))}
		reads[tbl] = rs
	}
	for i := range rs.read {
		rs.read[i] = rs.read[i] || rec.read != nil && rec.read[i]
	}
	again, err := tbl.encode(back)
	if err != nil {
		t.Fatalf("%s: %v", tbl.name, err)
	}
	if !bytes.Equal(again, text) {
		t.Errorf("%s: the rows built, written and read back, are written otherwise:\n%s", tbl.name, firstDiff(tbl, text, again))
	}
	twice, err := tbl.decode(again)
	if err != nil || !reflect.DeepEqual(twice, back) {
		t.Errorf("%s reads back other rows than were written (%v):\n%+v\nwant\n%+v", tbl.name, err, twice, back)
	}
}

// firstDiff names the first field that differs between two texts of
// tbl's file: line, column, and the two values.
func firstDiff[R any](tbl *table[R], want, got []byte) string {
	wl, gl := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	for i := range min(len(wl), len(gl)) {
		if wl[i] == gl[i] {
			continue
		}
		wf, gf := strings.Split(wl[i], ","), strings.Split(gl[i], ",")
		for k := range min(len(wf), len(gf), len(tbl.columns)) {
			if wf[k] != gf[k] {
				return fmt.Sprintf("line %d: %s: written %q, read back and written again %q", i+1, tbl.columns[k], wf[k], gf[k])
			}
		}
		return fmt.Sprintf("line %d: %q, then %q", i+1, wl[i], gl[i])
	}
	return fmt.Sprintf("%d lines, then %d", len(wl), len(gl))
}

// unread reports the columns of the tables in reads that no line read.
func unread[R any](t *testing.T, reads map[*table[R]]*readSet) {
	t.Helper()
	for _, rs := range reads {
		for i, c := range rs.columns {
			if !rs.read[i] {
				t.Errorf("%s: column %s is written but never read (nor checked)", rs.name, c)
			}
		}
	}
}

// TestTablesRoundTrip: the round trip through the table declarations for
// every CSV of a report folder (and an account's portfolio.csv): rows
// built from a real analysis, written by the declaration, read back by it
// and written again, are the same text (every column to its written
// precision), and read back again the same rows; every column declared
// is read (or checked) by the declaration's read. intervals.csv, written
// as a stream, reads back as the rows its writer kept, and is written
// again byte for byte, in every mode.
func TestTablesRoundTrip(t *testing.T) {
	seen := map[string]bool{}
	strategies, breakEven, reservedBreakEven := map[*table[StrategyRow]]*readSet{}, map[*table[BreakEvenRow]]*readSet{}, map[*table[ReservedBreakEvenRow]]*readSet{}
	assumptions, commitments, curve := map[*table[AssumptionRow]]*readSet{}, map[*table[sim.Purchase]]*readSet{}, map[*table[CurveRow]]*readSet{}
	risk, cashFlow, sensitivity := map[*table[RiskRow]]*readSet{}, map[*table[sim.CashFlowMonth]]*readSet{}, map[*table[SensitivityRow]]*readSet{}
	levels, schedule, portfolio := map[*table[sim.Level]]*readSet{}, map[*table[ScheduleRow]]*readSet{}, map[*table[PortfolioRow]]*readSet{}
	rich, every := richReport(t, LangEnglish), everyTableReport(t)
	hourly := *every
	hourly.Intervals = IntervalsHourly
	for _, r := range []*Report{rich, every, seedReport(t, 2), &hourly} {
		d, err := r.built()
		if err != nil {
			t.Fatal(err)
		}
		roundTrip(t, assumptionsTable, d.assumptions, assumptions)
		roundTrip(t, strategiesTable, d.strategies, strategies)
		roundTrip(t, breakEvenTable, d.breakEven, breakEven)
		roundTrip(t, reservedBreakEvenTable, d.reservedBreakEven, reservedBreakEven)
		roundTrip(t, commitmentsTable, d.commitments, commitments)
		roundTrip(t, curveTable, d.curve, curve)
		roundTrip(t, riskTable, d.risk, risk)
		roundTrip(t, cashFlowTable, d.cashFlow, cashFlow)
		roundTrip(t, sensitivityTable, d.sensitivity, sensitivity)
		roundTrip(t, levelsTable, d.levels, levels)
		roundTrip(t, scheduleTable, d.schedule, schedule)
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
		roundTrip(t, portfolioTable(detail), append(p.Rows, p.Total()), portfolio)
	}
	unread(t, assumptions)
	unread(t, strategies)
	unread(t, breakEven)
	unread(t, reservedBreakEven)
	unread(t, commitments)
	unread(t, curve)
	unread(t, risk)
	unread(t, cashFlow)
	unread(t, sensitivity)
	unread(t, levels)
	unread(t, schedule)
	unread(t, portfolio)
	for _, m := range []map[string]bool{names(assumptions), names(strategies), names(breakEven), names(reservedBreakEven), names(commitments),
		names(curve), names(risk), names(cashFlow), names(sensitivity), names(levels), names(schedule)} {
		maps.Copy(seen, m)
	}
	for _, df := range reportFiles {
		if df.columns != nil && !seen[df.name] {
			t.Errorf("%s: no round trip", df.name)
		}
	}
	if len(portfolio) != 2 {
		t.Error("portfolio.csv: no round trip of both its forms")
	}
}

// names are the files of the tables in reads.
func names[R any](reads map[*table[R]]*readSet) map[string]bool {
	out := map[string]bool{}
	for _, rs := range reads {
		out[rs.name] = true
	}
	return out
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

// TestBoolStrict: a true/false column reads true or false and nothing
// else; anything else is a problem named by file, line and column.
func TestBoolStrict(t *testing.T) {
	text, err := curveTable.encode([]CurveRow{{Term: pricing.TermOneMonth, MU: 1}, {Term: pricing.TermOneMonth, MU: 2, Chosen: true}})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := curveTable.decode(text)
	if err != nil || len(rows) != 2 || rows[0].Chosen || !rows[1].Chosen {
		t.Fatalf("%+v, %v", rows, err)
	}
	for _, bad := range []string{"", "yes", "TRUE", "1"} {
		_, err := curveTable.decode(bytes.Replace(text, []byte(",true\n"), []byte(","+bad+"\n"), 1))
		if want := fmt.Sprintf("cost_curve.csv:3: chosen: %q is not true or false", bad); err == nil || err.Error() != want {
			t.Errorf("chosen %q: %v, want %s", bad, err, want)
		}
	}
}

// TestPortfolioFiles: an account folder holds, at its top, the files
// Files lists (portfolioFiles, columns.md among them), before and after
// it is written and when read back; its columns.md explains its own
// portfolio.csv.
func TestPortfolioFiles(t *testing.T) {
	rich, every := richReport(t, LangEnglish), everyTableReport(t)
	for _, detail := range []string{sim.StrategyRecommended, sim.StrategyPlan} {
		p := &Portfolio{Detail: detail, Rows: []PortfolioRow{rich.PortfolioRow(detail, "a"), every.PortfolioRow(detail, "b")}}
		p.AddCashFlow(every.CashFlow)
		before := p.Files()
		dir := writeFolder(t, p.Write)
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		var written []string
		for _, e := range entries {
			written = append(written, e.Name())
		}
		listed := slices.Sorted(slices.Values(p.Files()))
		if !slices.Equal(written, listed) || !slices.Equal(before, p.Files()) || !slices.Contains(written, "columns.md") {
			t.Errorf("%s: folder holds %v; Files lists %v (before Write %v)", detail, written, p.Files(), before)
		}
		loaded, err := LoadPortfolio(dir)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(loaded.Files(), p.Files()) {
			t.Errorf("%s: read back, Files lists %v, want %v", detail, loaded.Files(), p.Files())
		}
		cols, err := os.ReadFile(filepath.Join(dir, "columns.md"))
		if err != nil {
			t.Fatal(err)
		}
		cost := portfolioColumns(detail)[5]
		if !bytes.Contains(cols, []byte("| `"+cost+"` |")) || !bytes.Contains(cols, []byte("## cashflow.csv")) {
			t.Errorf("%s: columns.md does not explain %s and cashflow.csv:\n%s", detail, cost, cols)
		}
	}
}

// TestPortfolioWarnings: the series' warnings and the age of their prices
// reach the account's verdict, each said once for the series it applies
// to, and survive portfolio.csv and assumptions.csv.
func TestPortfolioWarnings(t *testing.T) {
	quota := sim.Note{Code: sim.NoteQuotaRule, Ratio: 1.7, N: 120}
	old := time.Date(2026, 8, 24, 0, 0, 0, 0, time.UTC)
	p := &Portfolio{Detail: sim.StrategyRecommended, Today: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC), BuyAt: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC),
		Rows: []PortfolioRow{
			{ModelID: "a", Region: "us-east-1", Sized: true, PricesAsOf: old, Warnings: []sim.Note{quota}, Folder: "a"},
			{ModelID: "b", Region: "us-west-2", Sized: true, PricesAsOf: old, Folder: "b"},
			{ModelID: "c", Region: "us-west-2", Sized: true, PricesAsOf: old.AddDate(0, 3, 0), Folder: "c"},
		}}
	dir := writeFolder(t, p.Write)
	loaded, err := LoadPortfolio(dir)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range loaded.Rows {
		if !r.PricesAsOf.Equal(p.Rows[i].PricesAsOf) || len(r.Warnings) != len(p.Rows[i].Warnings) {
			t.Errorf("row %d read back: prices as of %v, warnings %+v; wrote %v, %+v", i, r.PricesAsOf, r.Warnings, p.Rows[i].PricesAsOf, p.Rows[i].Warnings)
		}
	}
	if !loaded.Today.Equal(p.Today) || !reflect.DeepEqual(loaded.Rows[0].Warnings, []sim.Note{quota}) {
		t.Errorf("read back: today %v, warnings %+v", loaded.Today, loaded.Rows[0].Warnings)
	}
	v := loaded.Verdict()
	stale := "Warning for a (us-east-1), b (us-west-2): some prices used are 98 days old (as of 2026-08-24)"
	if !strings.Contains(v, stale) || strings.Count(v, "days old") != 1 {
		t.Errorf("verdict does not give the stale prices once, for a and b:\n%s", v)
	}
	if !strings.Contains(v, "Warning for a (us-east-1): the quota rule counts 1.7×") || strings.Count(v, "quota rule") != 1 {
		t.Errorf("verdict does not give a's quota warning once, for a:\n%s", v)
	}
	p.Rows[2].PricesAsOf, p.rendered = old, nil
	if v := p.Verdict(); !strings.Contains(v, "Warning for all 3 series: some prices used are 98 days old") {
		t.Errorf("every series' prices stale, the verdict does not say so in one line:\n%s", v)
	}
}
