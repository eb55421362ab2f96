package reports

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/sim"
	"github.com/bedrockplan/bedrockplan/workload"
)

// LoadReport reads a report folder's data files back into a Report that
// renders the same summaries and charts. Problems name the file, line and
// column.
func LoadReport(dir string) (*Report, error) {
	d, err := readData(dir)
	if err != nil {
		return nil, err
	}
	return d.report()
}

// readData reads a report folder's data through the declarations of
// reportFiles.
func readData(dir string) (*reportData, error) {
	if _, err := os.Stat(filepath.Join(dir, "assumptions.csv")); errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%s has no assumptions.csv: it is not a report folder, or one written before reports kept their assumptions; run the command in its summary's Reproduce section again", dir)
	}
	d := &reportData{}
	for _, df := range reportFiles {
		if df.read == nil {
			continue
		}
		if err := df.read(d, dir); err != nil {
			return nil, err
		}
		if df.name == "assumptions.csv" {
			loc, err := time.LoadLocation(d.field("time_zone"))
			if err != nil {
				return nil, fmt.Errorf("assumptions.csv: time_zone: %v", err)
			}
			d.loc = loc
		}
	}
	return d, nil
}

// readOptional reads the file name in dir; nil when it is optional and
// not there.
func readOptional(dir, name string, optional bool) ([]byte, error) {
	data, err := os.ReadFile(filepath.Join(dir, name))
	if errors.Is(err, os.ErrNotExist) && optional {
		return nil, nil
	}
	return data, err
}

// field is the first value of an assumptions.csv field; "" without one.
func (d *reportData) field(name string) string {
	for _, a := range d.assumptions {
		if a.Field == name {
			return a.Value
		}
	}
	return ""
}

// facts reads assumptions.csv's values, keeping the first problem.
type facts struct {
	rows []AssumptionRow
	at   map[string][]int // row indexes by field, in file order
	rec  *record
}

func newFacts(rows []AssumptionRow) *facts {
	f := &facts{rows: rows, at: map[string][]int{}, rec: &record{file: assumptionsTable.name, columns: assumptionsTable.columns}}
	for i, r := range rows {
		f.at[r.Field] = append(f.at[r.Field], i)
	}
	return f
}

// row is the record of the i-th row, to read its value.
func (f *facts) row(i int) *record {
	f.rec.line, f.rec.fields = i+2, []string{f.rows[i].Field, f.rows[i].Value}
	return f.rec
}

func (f *facts) fail(format string, args ...any) {
	if f.rec.err == nil {
		f.rec.err = fmt.Errorf(format, args...)
	}
}

func (f *facts) one(name string) string {
	if rows := f.at[name]; len(rows) > 0 {
		return f.rows[rows[0]].Value
	}
	return ""
}

func (f *facts) all(name string) []string {
	var out []string
	for _, i := range f.at[name] {
		out = append(out, f.rows[i].Value)
	}
	return out
}

func (f *facts) num(name string) float64 {
	if rows := f.at[name]; len(rows) > 0 {
		return f.row(rows[0]).num("value")
	}
	return 0
}

// time reads a field that holds an RFC 3339 time.
func (f *facts) time(name string) time.Time {
	rows := f.at[name]
	if len(rows) == 0 {
		f.fail("assumptions.csv: no %s", name)
		return time.Time{}
	}
	return f.row(rows[0]).time("value")
}

// groups returns the records of fields that repeat together
// (input_file with input_sha256, ...): the k-th row of each name, for
// every k. Unequal counts are a problem.
func (f *facts) groups(names ...string) [][]int {
	n := len(f.at[names[0]])
	for _, name := range names[1:] {
		if len(f.at[name]) != n {
			f.fail("assumptions.csv: %d %s rows but %d %s rows; they go together", n, names[0], len(f.at[name]), name)
			return nil
		}
	}
	out := make([][]int, n)
	for k := range out {
		for _, name := range names {
			out[k] = append(out[k], f.at[name][k])
		}
	}
	return out
}

// report makes the Report the summaries and charts render from the
// data. The charts and the strategies' table read the rows (r.data); the
// summaries' other sentences still read sim types, filled here from the
// rows with what the files hold and nothing else: no cost curve, no
// detail result, an optimum of levels only; the flat comparison's totals
// are the two totals assumptions.csv states, kept as PT cost.
func (d *reportData) report() (*Report, error) {
	f := newFacts(d.assumptions)
	r := &Report{Lang: f.one("lang"), Detail: f.one("detail_strategy"), CommandLine: f.one("command_line"), Version: f.one("version"),
		CatalogueAsOf: f.one("catalogue_as_of"), GapPolicy: workload.GapPolicy(f.one("gap_policy")),
		Burst: sim.Burst{Ratio: f.num("burst_ratio")}, BurstFile: f.one("burst_file"),
		TimeZone: d.loc, data: d}
	if v := f.one("today"); v != "" {
		var err error
		if r.Today, err = time.Parse(time.DateOnly, v); err != nil {
			f.fail("assumptions.csv: today: %q is not a date", v)
		}
	}
	if k := f.one("burst_kind"); k != "" {
		c := &sim.BurstChoice{Ratio: r.Burst.Ratio, Of: time.Duration(f.num("period_s")) * time.Second, Kind: -1}
		for kind, name := range burstKinds {
			if name == k {
				c.Kind = kind
			}
		}
		if c.Kind < 0 {
			f.fail("assumptions.csv: burst_kind: %q is not not-needed, none, given, measured or default", k)
		}
		if c.Kind == sim.BurstMeasured {
			c.Finer, c.Intervals = time.Duration(f.num("burst_finer_s"))*time.Second, int(f.num("burst_intervals"))
		}
		r.BurstFrom = c
	}
	var err error
	if r.RiskOmitted, err = parseOmission(f.one("risk_omitted"), f.one("risk_note")); err != nil {
		f.fail("assumptions.csv: risk_omitted: %v", err)
	}
	if r.CashFlowOmitted, err = parseOmission(f.one("cash_flow_omitted"), f.one("cash_flow_note")); err != nil {
		f.fail("assumptions.csv: cash_flow_omitted: %v", err)
	}
	if k := f.one("demand_kind"); k != "" {
		r.Demand = Demand{Kind: k, File: f.one("demand_file"), Added: f.num("demand_added")}
		if v := f.one("demand_seed"); v != "" {
			var err error
			if r.Demand.Seed, err = strconv.ParseUint(v, 10, 64); err != nil {
				f.fail("assumptions.csv: demand_seed: %q is not a whole number", v)
			}
		}
	}
	for _, g := range f.groups("input_file", "input_sha256") {
		r.Inputs = append(r.Inputs, Input{Name: f.rows[g[0]].Value, SHA256: f.rows[g[1]].Value})
	}
	for _, g := range f.groups("gap_from", "gap_missing_intervals") {
		r.Gaps = append(r.Gaps, workload.Gap{From: f.row(g[0]).time("value"), Missing: f.row(g[1]).int("value")})
	}
	cat, err := pricing.Parse(bytes.NewReader(d.pricing), "pricing.yaml")
	if err != nil {
		return nil, err
	}
	if r.Offer, err = cat.Lookup(f.one("model_id"), f.one("region")); err != nil {
		return nil, fmt.Errorf("pricing.yaml: %v", err)
	}

	a := &sim.Analysis{Chosen: -1}
	for _, g := range f.groups("warning", "warning_code") {
		a.Warnings = append(a.Warnings, f.row(g[1]).note("value"))
	}
	r.Analysis = a
	for _, g := range f.groups("existing_start", "existing_mu", "existing_term", "existing_at_term_end", "existing_delete_at") {
		c := sim.Commitment{Start: f.row(g[0]).time("value"), ModelUnits: f.row(g[1]).int("value"), Term: pricing.Term(f.rows[g[2]].Value),
			AtTermEnd: sim.TermEnd(f.rows[g[3]].Value)}
		if f.rows[g[4]].Value != "" {
			c.DeleteAt = f.row(g[4]).time("value")
		}
		a.Existing = append(a.Existing, c)
	}
	if _, ok := f.at["service_tier"]; ok {
		tf := &sim.TierFigures{Tier: f.one("service_tier"), PriorityPremium: f.num("priority_premium_usd")}
		for _, g := range f.groups("move_tier", "move_share", "move_saving_usd", "move_input_per_1m_usd", "move_output_per_1m_usd", "move_missing") {
			tf.Moves = append(tf.Moves, sim.TierMove{Tier: f.rows[g[0]].Value, Share: f.row(g[1]).num("value"), Saving: f.row(g[2]).num("value"),
				InputPer1M: f.row(g[3]).num("value"), OutputPer1M: f.row(g[4]).num("value"), Missing: f.rows[g[5]].Value != ""})
		}
		for _, g := range f.groups("tier_cost_tier", "tier_cost_requests", "tier_cost_usd", "tier_cost_missing") {
			tf.ByTier = append(tf.ByTier, sim.TierCost{Tier: f.rows[g[0]].Value, Requests: f.row(g[1]).num("value"), Cost: f.row(g[2]).money("value"), Missing: f.rows[g[3]].Value != ""})
		}
		a.Tiers = tf
	}
	if f.one("quota_check_intervals") != "" {
		qc := &sim.QuotaCheck{Intervals: int(f.num("quota_check_intervals")), MedianRatio: f.num("quota_check_median_ratio"), ApartShare: f.num("quota_check_apart_share")}
		qc.Warn = math.Abs(qc.MedianRatio-1) > sim.QuotaTolerance
		a.QuotaCheck = qc
	}
	a.Strategies = strategiesOf(d.strategies)
	for _, b := range d.breakEven {
		// The hourly prices come exactly from pricing.yaml.
		a.BreakEven = append(a.BreakEven, sim.BreakEven{Term: b.Term, HourlyUSD: r.Offer.PT[b.Term].USD, TPM: b.TPM, InputTPM: b.InputTPM,
			OutputTPM: b.OutputTPM, FullUseTPM: b.FullUseTPM, Never: b.Never, Utilization: b.UtilizationPct / 100})
	}
	if len(d.reservedBreakEven) > 0 {
		b := d.reservedBreakEven[0]
		a.ReservedBreakEven = &sim.ReservedBreakEven{Never: b.BreaksEven == "never", InputPer1KTPMMonth: b.InputPrice, OutputPer1KTPMMonth: b.OutputPrice,
			InputTPM: b.InputTPM, OutputTPM: b.OutputTPM}
	}
	r.Intervals = IntervalsMode(f.one("intervals_rows"))
	r.Series, r.rows = d.window(f, r.Offer)
	if det := a.Strategy(r.Detail); det != nil && (r.rows != nil || r.Intervals == IntervalsNone) {
		if det.Plan, err = parsePlan(d.plan, "plan.yaml"); err != nil {
			return nil, err
		}
	}
	if v := f.one("flat_recommended_total_usd"); v != "" {
		fc := &sim.FlatComparison{SameChoice: f.one("flat_same_choice") == "true"}
		if fc.Plan, err = parsePlan(d.flatPlan, "flat_plan.yaml"); err != nil {
			return nil, err
		}
		fc.RecommendedFlat.PTCost = f.amount("flat_recommended_total_usd", v)
		fc.Totals.PTCost = f.amount("flat_plan_total_usd", f.one("flat_plan_total_usd"))
		a.Flat = fc
	}
	if a.Optimum, err = d.optimum(); err != nil {
		return nil, err
	}
	r.Purchases = d.commitments
	r.Sensitivity = sensitivityOf(d.sensitivity)
	r.CashFlow = d.cashFlow
	if f.one("forecast_hours") != "" {
		r.Forecast = forecastOf(f)
	}
	if d.risk != nil {
		if r.Forecast == nil {
			f.fail("assumptions.csv: risk.csv is drawn from a forecast, but no forecast_hours states it")
		}
		r.Risk = riskOf(d.risk, r.Forecast)
	}
	if f.rec.err != nil {
		return nil, f.rec.err
	}
	return r, nil
}

func (f *facts) amount(field, v string) pricing.Money {
	m, err := pricing.ParseMoney(v)
	if err != nil {
		f.fail("assumptions.csv: %s: %v", field, err)
	}
	return m
}

// parsePlan reads a plan file's text; a missing file is a problem.
func parsePlan(text []byte, name string) (sim.Plan, error) {
	if text == nil {
		return sim.Plan{}, fmt.Errorf("open %s: %w", name, os.ErrNotExist)
	}
	return ReadPlan(bytes.NewReader(text), name)
}

// strategiesOf are strategies.csv's rows as the summaries read them: the
// totals the file states (its shares and utilisations stay in the rows).
func strategiesOf(rows []StrategyRow) []sim.Strategy {
	var out []sim.Strategy
	for _, row := range rows {
		s := sim.Strategy{Name: row.Strategy, Term: row.CommittedTerm, Note: row.Fact, Skipped: row.Skipped}
		if row.Skipped {
			out = append(out, s)
			continue
		}
		s.CommittedMU = row.CommittedMU
		s.Totals = sim.Totals{
			Requests: row.Requests, ThrottledRequests: row.ThrottledRequests,
			ScheduledMUHoursBilled: row.ScheduledMUHours, MUHoursBilled: row.BilledMUHours,
			PTCost: row.PTCost, ODCost: row.ODCost, CommittedAfterWindow: row.CommittedAfterWindow,
			ResCost: row.ReservedCost, ReservedAfterWindow: row.ReservedAfterWindow, RenewingPerMonth: row.RenewingPerMonth,
			ResInputKTPMMonths: row.ReservedInputKTPMMonths, ResOutputKTPMMonths: row.ReservedOutputKTPMMonths,
		}
		if row.ReservedTerm != "" {
			s.Reserve = &sim.Reserve{Term: row.ReservedTerm, InputTPM: row.ReservedInputTPM, OutputTPM: row.ReservedOutputTPM}
		}
		out = append(out, s)
	}
	return out
}

// sensitivityOf is sensitivity.csv as the summaries read it; nil
// without rows.
func sensitivityOf(rows []SensitivityRow) *sim.Sensitivity {
	if len(rows) == 0 {
		return nil
	}
	pct := func(v *float64) float64 {
		if v == nil {
			return 0
		}
		return *v / 100
	}
	s := &sim.Sensitivity{Below: pct(rows[0].BelowPct), Above: pct(rows[0].AbovePct)}
	for _, r := range rows {
		s.Rows = append(s.Rows, sim.SensitivityRow{Scale: r.ThroughputPct / 100, InputTPM: r.InputTPM, OutputTPM: r.OutputTPM,
			Totals: sim.Totals{PTCost: r.PTCost, ResCost: r.ReservedCost, ODCost: r.ODCost, ThrottledRequests: r.ThrottledRequests}})
	}
	return s
}

// forecastOf is the forecast assumptions.csv states, as the summaries
// read it.
func forecastOf(f *facts) *workload.Forecast {
	fc := &workload.Forecast{Hours: int(f.num("forecast_hours")),
		GrowthPerHour: f.num("forecast_growth_per_hour"), GrowthSE: f.num("forecast_growth_se")}
	// MAPE is NaN when there was too little history to backtest.
	mape, err := strconv.ParseFloat(f.one("forecast_mape"), 64)
	if err != nil {
		f.fail("assumptions.csv: forecast_mape: %q is not a number", f.one("forecast_mape"))
	}
	fc.MAPE = mape
	return fc
}

// riskOf is risk.csv, with the forecast it was drawn from, as the
// summaries read it.
func riskOf(rows []RiskRow, fc *workload.Forecast) *sim.Risk {
	rk := &sim.Risk{Forecast: fc}
	for _, r := range rows {
		row := sim.RiskRow{Strategy: r.Strategy, Term: r.Term, CommittedMU: r.CommittedMU, Scheduled: r.Scheduled, Note: r.Fact, Refused: r.Refused}
		if r.ReservedTerm != "" {
			row.Reserve = &sim.Reserve{Term: r.ReservedTerm, InputTPM: r.ReservedInputTPM, OutputTPM: r.ReservedOutputTPM}
		}
		if !r.Refused {
			row.Expected, row.P10, row.P90, row.CostlierThanOnDemand = r.Expected, r.P10, r.P90, r.CostlierPct/100
		}
		rk.Scenarios, rk.MigrationRisk = r.Scenarios, r.MigrationRiskPct/100
		rk.Start, rk.End = r.HorizonStart, r.HorizonEnd
		rk.Rows = append(rk.Rows, row)
	}
	return rk
}

// window is the series of the report's window and the intervals file's
// rows the charts draw: the rows themselves when they are every interval,
// else only the window (its times, no demand), from assumptions.csv.
func (d *reportData) window(f *facts, o pricing.Offer) (*workload.Series, *intervalRows) {
	n := int(f.num("intervals"))
	window := func() *workload.Series {
		s := &workload.Series{ModelID: o.ModelID, Region: o.Region, Period: time.Duration(f.num("period_s")) * time.Second}
		start := f.time("window_start").Unix()
		s.Start = make([]int64, n)
		for i := range s.Start {
			s.Start[i] = start + int64(i)*int64(s.Period/time.Second)
		}
		return s
	}
	rows := d.intervals
	if rows == nil {
		return window(), nil
	}
	// Written and read back, rows are the same: the period is the longest
	// row's, and row lengths are kept only where they differ.
	rows.s.ModelID, rows.s.Region = o.ModelID, o.Region
	if sec := rows.seconds; sec != nil {
		rows.s.Period = time.Duration(slices.Max(sec)) * time.Second
		if !slices.ContainsFunc(sec, func(p int64) bool { return p != sec[0] }) {
			rows.seconds = nil
		}
	}
	if IntervalsMode(f.one("intervals_rows")) == IntervalsHourly {
		return window(), rows
	}
	return rows.s, rows
}

// optimum is the optimiser's levels, from levels.csv, whose hours of the
// week schedule.csv must hold (the charts read them from its rows).
func (d *reportData) optimum() (*sim.Optimum, error) {
	if d.levels == nil {
		return nil, nil
	}
	if d.schedule == nil {
		return nil, fmt.Errorf("open schedule.csv: %w", os.ErrNotExist)
	}
	if len(d.schedule) != sim.Slots {
		return nil, fmt.Errorf("schedule.csv: %d rows, expected one per hour of the week (%d)", len(d.schedule), sim.Slots)
	}
	for i, row := range d.schedule {
		if row.Slot != i {
			return nil, fmt.Errorf("schedule.csv:%d: slot: %d, expected %d (the hours of the week in order)", i+2, row.Slot, i)
		}
	}
	return &sim.Optimum{Levels: d.levels}, nil
}
