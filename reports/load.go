package reports

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/sim"
	"github.com/bedrockplan/bedrockplan/workload"
)

// A report folder is its data (the CSV files, plan.yaml, pricing.yaml)
// plus what is rendered from it (summaries, charts, columns.md). Write
// renders from the data it has just written, read back by LoadReport, and
// `bedrockplan report --from` does the same from a folder on disk, so a
// report is reproducible from its data by construction.

// AssumptionColumns are the columns of assumptions.csv.
var AssumptionColumns = []string{"field", "value"}

// dataFiles are the files LoadReport reads, in the order Write writes
// them; absent optional ones mean the report has no such section.
var dataFiles = []string{"assumptions.csv", "pricing.yaml", "strategies.csv", "breakeven.csv", "reserved_breakeven.csv", "intervals.csv", "intervals.csv.gz", "plan.yaml", "commitments.csv",
	"flat_plan.yaml", "cost_curve.csv", "levels.csv", "schedule.csv", "risk.csv", "cashflow.csv", "sensitivity.csv"}

// exact formats a float so that parsing it gives the same float back.
func exact(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// WriteAssumptions writes assumptions.csv: the facts the summaries state
// that no other file of the folder holds, one field per row (fields that
// repeat, like note or input_file, keep their order).
func WriteAssumptions(w io.Writer, r *Report) error {
	cw := csv.NewWriter(w)
	rows := [][]string{AssumptionColumns}
	add := func(field, value string) { rows = append(rows, []string{field, value}) }
	s := r.Series
	add("model_id", r.Offer.ModelID)
	add("region", r.Offer.Region)
	add("time_zone", r.TimeZone.String())
	add("lang", r.Lang)
	add("detail_strategy", r.Detail)
	add("command_line", r.CommandLine)
	add("version", r.Version)
	add("catalogue_as_of", r.CatalogueAsOf)
	if !r.Today.IsZero() {
		add("today", r.Today.Format(time.DateOnly))
	}
	add("window_start", s.Time(0).Format(time.RFC3339))
	add("period_s", strconv.FormatInt(int64(s.Period/time.Second), 10))
	add("intervals", strconv.Itoa(s.Len()))
	add("intervals_rows", string(r.Intervals.or()))
	if d := r.Demand; d.Kind == "" {
		add("demand", "")
	} else {
		add("demand", r.english().demand())
		add("demand_kind", d.Kind)
		add("demand_file", d.File)
		add("demand_added", exact(d.Added))
		add("demand_seed", strconv.FormatUint(d.Seed, 10))
	}
	add("burst_ratio", exact(r.Burst.Ratio))
	add("burst_source", r.Burst.Source)
	add("gap_policy", string(r.GapPolicy))
	for _, g := range r.Gaps {
		add("gap_from", g.From.UTC().Format(time.RFC3339))
		add("gap_missing_intervals", strconv.Itoa(g.Missing))
	}
	for _, c := range r.Analysis.Existing {
		add("existing_start", c.Start.UTC().Format(time.RFC3339))
		add("existing_mu", strconv.Itoa(c.ModelUnits))
		add("existing_term", string(c.Term))
		e, d := termEndFile(c.AtTermEnd.Or(sim.TermEndRenew), c.DeleteAt)
		add("existing_at_term_end", e)
		add("existing_delete_at", d)
	}
	for _, w := range r.Analysis.Warnings {
		add("warning", Note(w))
		add("warning_code", noteCode(w))
	}
	if n := r.english().sampleNote(); n != "" {
		add("note", n)
	}
	for _, in := range r.Inputs {
		add("input_file", in.Name)
		add("input_sha256", in.SHA256)
	}
	if fc := r.Analysis.Flat; fc != nil {
		add("flat_recommended_total_usd", fc.RecommendedFlat.Total().Decimal())
		add("flat_plan_total_usd", fc.Totals.Total().Decimal())
		add("flat_same_choice", strconv.FormatBool(fc.SameChoice))
	}
	if tf := r.Analysis.Tiers; tf != nil {
		add("service_tier", tf.Tier)
		add("priority_premium_usd", exact(tf.PriorityPremium))
		for _, c := range tf.ByTier {
			add("tier_cost_tier", c.Tier)
			add("tier_cost_requests", exact(c.Requests))
			add("tier_cost_usd", c.Cost.Decimal())
			add("tier_cost_missing", r.english().tierMissing(c))
		}
		for _, m := range tf.Moves {
			add("move_tier", m.Tier)
			add("move_share", exact(m.Share))
			add("move_saving_usd", exact(m.Saving))
			add("move_input_per_1m_usd", exact(m.InputPer1M))
			add("move_output_per_1m_usd", exact(m.OutputPer1M))
			add("move_missing", r.english().moveMissing(m))
		}
	}
	if qc := r.Analysis.QuotaCheck; qc != nil {
		add("quota_check_intervals", strconv.Itoa(qc.Intervals))
		add("quota_check_median_ratio", exact(qc.MedianRatio))
		add("quota_check_apart_share", exact(qc.ApartShare))
	}
	add("risk_note", r.RiskNote)
	if r.CashFlowNote != "" {
		add("cash_flow_note", r.CashFlowNote)
	}
	if rk := r.Risk; rk != nil && rk.Forecast != nil {
		f := rk.Forecast
		add("forecast_hours", strconv.Itoa(f.Hours))
		add("forecast_growth_per_hour", exact(f.GrowthPerHour))
		add("forecast_growth_se", exact(f.GrowthSE))
		add("forecast_mape", exact(f.MAPE))
	}
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	return cw.Error()
}

// writeData writes the report's data files into f, and returns the
// intervals file's rows as LoadReport would read them back (nil without
// one).
func (r *Report) writeData(f *Folder) (*intervalRows, error) {
	a := r.Analysis
	write := map[string]func(io.Writer) error{
		"assumptions.csv": func(w io.Writer) error { return WriteAssumptions(w, r) },
		"pricing.yaml": func(w io.Writer) error {
			enc := yaml.NewEncoder(w)
			enc.SetIndent(2)
			if err := enc.Encode(r.Offer.Catalogue(r.CatalogueAsOf)); err != nil {
				return err
			}
			return enc.Close()
		},
		"strategies.csv": func(w io.Writer) error { return WriteStrategies(w, a) },
		"breakeven.csv":  func(w io.Writer) error { return WriteBreakEven(w, a) },
	}
	if be := a.ReservedBreakEven; be != nil {
		write["reserved_breakeven.csv"] = func(w io.Writer) error { return WriteReservedBreakEven(w, be, r.Offer) }
	}
	var back *intervalRows
	if d := r.detail(); d != nil && r.DetailResult != nil {
		if name := IntervalsFile(r.Intervals, r.Series.Len()); name != "" {
			rows := &intervalRows{s: r.Series, iv: r.DetailResult.Intervals}
			if r.Intervals == IntervalsHourly {
				rows = rows.hourly(r.TimeZone)
			}
			write[name] = func(w io.Writer) (err error) {
				back, err = writeIntervalsFile(w, name, rows, r.TimeZone, true)
				return err
			}
		}
		write["plan.yaml"] = func(w io.Writer) error { return WritePlan(w, d.Plan) }
		ps := sim.PurchaseList(d.Plan, r.Offer, a.Existing, r.BuyAt)
		write["commitments.csv"] = func(w io.Writer) error { return WriteCommitments(w, ps) }
	}
	if fc := a.Flat; fc != nil {
		write["flat_plan.yaml"] = func(w io.Writer) error { return WritePlan(w, fc.Plan) }
	}
	if len(a.Curve) > 0 {
		write["cost_curve.csv"] = func(w io.Writer) error { return WriteCostCurve(w, a) }
	}
	if o := a.Optimum; o != nil {
		write["levels.csv"] = func(w io.Writer) error { return WriteLevels(w, o) }
		sch := BuildSchedule(r.Series, o, r.Offer.Throughput, r.TimeZone, r.ExistingMU)
		write["schedule.csv"] = func(w io.Writer) error { return WriteSchedule(w, sch) }
	}
	if r.Risk != nil {
		write["risk.csv"] = func(w io.Writer) error { return WriteRisk(w, r.Risk) }
	}
	if r.CashFlow != nil {
		write["cashflow.csv"] = func(w io.Writer) error { return WriteCashFlow(w, r.CashFlow) }
	}
	if r.Sensitivity != nil {
		write["sensitivity.csv"] = func(w io.Writer) error { return WriteSensitivity(w, r.Sensitivity) }
	}
	for _, name := range dataFiles {
		if fn, ok := write[name]; ok {
			if err := f.Write(name, fn); err != nil {
				return nil, err
			}
		}
	}
	return back, nil
}

// LoadReport reads a report folder's data files back into a Report that
// renders the same summaries and charts. Problems name the file, line and
// column.
func LoadReport(dir string) (*Report, error) {
	return loadReport(dir, nil)
}

// loadReport is LoadReport with the intervals file's rows already in
// hand, as Write has them (nil: read them from the folder).
func loadReport(dir string, rows *intervalRows) (*Report, error) {
	l := loader{dir: dir, rows: rows}
	r := l.load()
	if l.err != nil {
		return nil, l.err
	}
	return r, nil
}

// loader reads one folder, keeping the first problem.
type loader struct {
	dir string
	err error
	// rows, when set, are the intervals file as it would read back.
	rows *intervalRows
}

func (l *loader) fail(format string, args ...any) {
	if l.err == nil {
		l.err = fmt.Errorf(format, args...)
	}
}

// table is one CSV file read with its header checked.
type table struct {
	l    *loader
	name string
	col  map[string]int
	rows [][]string
}

// read opens name; a missing optional file gives nil.
func (l *loader) read(name string, columns []string, optional bool) *table {
	return l.readOneOf(name, optional, columns)
}

// readOneOf reads name as the one of several column sets of a table
// whose first column set its header starts like (a table such as
// intervals.csv has a set with extra columns): one read of the file.
func (l *loader) readOneOf(name string, optional bool, sets ...[]string) *table {
	if l.err != nil {
		return nil
	}
	data, err := os.ReadFile(filepath.Join(l.dir, name))
	if errors.Is(err, os.ErrNotExist) && optional {
		return nil
	}
	if err != nil {
		l.fail("%v", err)
		return nil
	}
	cr := csv.NewReader(bytes.NewReader(data))
	head, err := cr.Read()
	if err == io.EOF {
		l.fail("%s: empty file", name)
		return nil
	}
	if err != nil {
		l.fail("%s: %v", name, err)
		return nil
	}
	columns := sets[0]
	for _, set := range sets[1:] {
		if slices.Equal(head, set) {
			columns = set
		}
	}
	if len(head) != len(columns) {
		l.fail("%s:1: %d columns, expected %d (%s)", name, len(head), len(columns), strings.Join(columns, ","))
		return nil
	}
	cr.FieldsPerRecord = len(columns)
	rows, err := cr.ReadAll()
	if err != nil {
		l.fail("%s: %v", name, err)
		return nil
	}
	t := &table{l: l, name: name, col: map[string]int{}, rows: rows}
	for i, c := range head {
		if c != columns[i] {
			l.fail("%s:1: column %d is %q, expected %q", name, i+1, c, columns[i])
			return nil
		}
		t.col[c] = i
	}
	return t
}

func (t *table) str(i int, col string) string { return t.rows[i][t.col[col]] }

// note reads a note's fact (note_code).
func (t *table) note(i int, col string) sim.Note {
	n, err := parseNoteCode(t.str(i, col))
	if err != nil {
		t.problem(i, col, "%v", err)
	}
	return n
}

func (t *table) problem(i int, col, format string, args ...any) {
	t.l.fail("%s:%d: %s: %s", t.name, i+2, col, fmt.Sprintf(format, args...))
}

// num reads a number; empty reads as 0.
func (t *table) num(i int, col string) float64 {
	s := t.str(i, col)
	if s == "" {
		return 0
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		t.problem(i, col, "%q is not a number", s)
	}
	return v
}

func (t *table) int(i int, col string) int {
	s := t.str(i, col)
	if s == "" {
		return 0
	}
	v, err := strconv.Atoi(s)
	if err != nil {
		t.problem(i, col, "%q is not a whole number", s)
	}
	return v
}

func (t *table) money(i int, col string) pricing.Money {
	s := t.str(i, col)
	if s == "" {
		return 0
	}
	m, err := pricing.ParseMoney(s)
	if err != nil {
		t.problem(i, col, "%v", err)
	}
	return m
}

func (t *table) time(i int, col string) time.Time {
	v, err := time.Parse(time.RFC3339, t.str(i, col))
	if err != nil {
		t.problem(i, col, "%q is not an RFC 3339 time", t.str(i, col))
	}
	return v
}

// fields is assumptions.csv: values by field, in file order, with lines.
type fields struct {
	t      *table
	values map[string][]int // row indexes
}

func (f fields) one(name string) string {
	if rows := f.values[name]; len(rows) > 0 {
		return f.t.str(rows[0], "value")
	}
	return ""
}

func (f fields) all(name string) []string {
	var out []string
	for _, i := range f.values[name] {
		out = append(out, f.t.str(i, "value"))
	}
	return out
}

func (f fields) num(name string) float64 {
	if rows := f.values[name]; len(rows) > 0 {
		return f.t.num(rows[0], "value")
	}
	return 0
}

// time reads a field that holds an RFC 3339 time.
func (f fields) time(name string) time.Time {
	rows := f.values[name]
	if len(rows) == 0 {
		f.t.l.fail("%s: no %s", f.t.name, name)
		return time.Time{}
	}
	return f.t.time(rows[0], "value")
}

// groups returns the rows of fields that repeat together (input_file
// with input_sha256, ...): the k-th row of each name, for every k. Unequal
// counts are a problem.
func (f fields) groups(names ...string) [][]int {
	n := len(f.values[names[0]])
	for _, name := range names[1:] {
		if len(f.values[name]) != n {
			f.t.l.fail("%s: %d %s rows but %d %s rows; they go together", f.t.name, n, names[0], len(f.values[name]), name)
			return nil
		}
	}
	out := make([][]int, n)
	for k := range out {
		for _, name := range names {
			out[k] = append(out[k], f.values[name][k])
		}
	}
	return out
}

func (l *loader) load() *Report {
	if _, err := os.Stat(filepath.Join(l.dir, "assumptions.csv")); errors.Is(err, os.ErrNotExist) {
		l.fail("%s has no assumptions.csv: it is not a report folder, or one written before reports kept their assumptions; run the command in its summary's Reproduce section again", l.dir)
		return nil
	}
	at := l.read("assumptions.csv", AssumptionColumns, false)
	if at == nil {
		return nil
	}
	f := fields{t: at, values: map[string][]int{}}
	for i, row := range at.rows {
		f.values[row[0]] = append(f.values[row[0]], i)
	}
	r := &Report{Lang: f.one("lang"), Detail: f.one("detail_strategy"), CommandLine: f.one("command_line"), Version: f.one("version"),
		CatalogueAsOf: f.one("catalogue_as_of"), GapPolicy: workload.GapPolicy(f.one("gap_policy")),
		RiskNote: f.one("risk_note"), CashFlowNote: f.one("cash_flow_note"), Burst: sim.Burst{Ratio: f.num("burst_ratio"), Source: f.one("burst_source")}}
	loc, err := time.LoadLocation(f.one("time_zone"))
	if err != nil {
		l.fail("assumptions.csv: time_zone: %v", err)
		return nil
	}
	r.TimeZone = loc
	if k := f.one("demand_kind"); k != "" {
		r.Demand = Demand{Kind: k, File: f.one("demand_file"), Added: f.num("demand_added")}
		if r.Demand.Seed, err = strconv.ParseUint(f.one("demand_seed"), 10, 64); err != nil {
			l.fail("assumptions.csv: demand_seed: %q is not a whole number", f.one("demand_seed"))
		}
	}
	if d := f.one("today"); d != "" {
		if r.Today, err = time.Parse(time.DateOnly, d); err != nil {
			l.fail("assumptions.csv: today: %q is not a date", d)
		}
	}
	for _, g := range f.groups("input_file", "input_sha256") {
		r.Inputs = append(r.Inputs, Input{Name: at.str(g[0], "value"), SHA256: at.str(g[1], "value")})
	}
	for _, g := range f.groups("gap_from", "gap_missing_intervals") {
		r.Gaps = append(r.Gaps, workload.Gap{From: at.time(g[0], "value"), Missing: at.int(g[1], "value")})
	}

	cat, err := pricing.Load(filepath.Join(l.dir, "pricing.yaml"))
	if err != nil {
		l.fail("%v", err)
		return nil
	}
	if r.Offer, err = cat.Lookup(f.one("model_id"), f.one("region")); err != nil {
		l.fail("pricing.yaml: %v", err)
		return nil
	}

	a := &sim.Analysis{Chosen: -1}
	for _, g := range f.groups("warning", "warning_code") {
		a.Warnings = append(a.Warnings, at.note(g[1], "value"))
	}
	r.Analysis = a
	for _, g := range f.groups("existing_start", "existing_mu", "existing_term", "existing_at_term_end", "existing_delete_at") {
		c := sim.Commitment{Start: at.time(g[0], "value"), ModelUnits: at.int(g[1], "value"), Term: pricing.Term(at.str(g[2], "value")),
			AtTermEnd: sim.TermEnd(at.str(g[3], "value"))}
		if d := at.str(g[4], "value"); d != "" {
			c.DeleteAt = at.time(g[4], "value")
		}
		a.Existing = append(a.Existing, c)
	}
	if _, ok := f.values["service_tier"]; ok {
		tf := &sim.TierFigures{Tier: f.one("service_tier"), PriorityPremium: f.num("priority_premium_usd")}
		for _, g := range f.groups("move_tier", "move_share", "move_saving_usd", "move_input_per_1m_usd", "move_output_per_1m_usd", "move_missing") {
			tf.Moves = append(tf.Moves, sim.TierMove{Tier: at.str(g[0], "value"), Share: at.num(g[1], "value"), Saving: at.num(g[2], "value"),
				InputPer1M: at.num(g[3], "value"), OutputPer1M: at.num(g[4], "value"), Missing: at.str(g[5], "value") != ""})
		}
		for _, g := range f.groups("tier_cost_tier", "tier_cost_requests", "tier_cost_usd", "tier_cost_missing") {
			tf.ByTier = append(tf.ByTier, sim.TierCost{Tier: at.str(g[0], "value"), Requests: at.num(g[1], "value"), Cost: at.money(g[2], "value"), Missing: at.str(g[3], "value") != ""})
		}
		a.Tiers = tf
	}
	if v := f.one("quota_check_intervals"); v != "" {
		qc := &sim.QuotaCheck{Intervals: int(f.num("quota_check_intervals")), MedianRatio: f.num("quota_check_median_ratio"), ApartShare: f.num("quota_check_apart_share")}
		qc.Warn = math.Abs(qc.MedianRatio-1) > sim.QuotaTolerance
		a.QuotaCheck = qc
	}
	l.strategies(a)
	l.breakEven(a, r.Offer)
	l.reservedBreakEven(a)
	l.curve(a)
	r.Intervals = IntervalsMode(f.one("intervals_rows"))
	r.Series, r.rows = l.intervals(f, r)
	if r.rows != nil && r.Intervals != IntervalsHourly {
		r.DetailResult = &sim.Result{Intervals: r.rows.iv}
	}
	if d := r.Analysis.Strategy(r.Detail); d != nil && (r.rows != nil || r.Intervals == IntervalsNone) {
		d.Plan = l.plan("plan.yaml")
	}
	if v := f.one("flat_recommended_total_usd"); v != "" {
		fc := &sim.FlatComparison{Plan: l.plan("flat_plan.yaml")}
		fc.RecommendedFlat.PTCost = l.amount("flat_recommended_total_usd", v)
		fc.Totals.PTCost = l.amount("flat_plan_total_usd", f.one("flat_plan_total_usd"))
		a.Flat = fc
		fc.SameChoice = f.one("flat_same_choice") == "true"
	}
	a.Optimum, r.schedule = l.optimum(a, r.Series, r.TimeZone)
	r.Purchases = l.purchases()
	r.Sensitivity = l.sensitivity()
	r.CashFlow = l.cashFlow()
	r.Risk = l.risk(f)
	if l.err != nil {
		return nil
	}
	return r
}

func (l *loader) amount(field, v string) pricing.Money {
	m, err := pricing.ParseMoney(v)
	if err != nil {
		l.fail("assumptions.csv: %s: %v", field, err)
	}
	return m
}

func (l *loader) plan(name string) sim.Plan {
	if l.err != nil {
		return sim.Plan{}
	}
	file, err := os.Open(filepath.Join(l.dir, name))
	if err != nil {
		l.fail("%v", err)
		return sim.Plan{}
	}
	defer file.Close()
	p, err := ReadPlan(file, name)
	if err != nil {
		l.fail("%v", err)
	}
	return p
}

// strategies reads strategies.csv. Totals keep what the summaries print:
// utilisation comes back as MU-hours used per MU-hour in service.
func (l *loader) strategies(a *sim.Analysis) {
	t := l.read("strategies.csv", StrategyColumns, false)
	if t == nil {
		return
	}
	for i := range t.rows {
		s := sim.Strategy{Name: t.str(i, "strategy"), Term: pricing.Term(t.str(i, "committed_term")), Note: t.note(i, "note_code")}
		if t.str(i, "total_cost_usd") == "" {
			s.Skipped = true
			a.Strategies = append(a.Strategies, s)
			continue
		}
		s.CommittedMU = t.int(i, "committed_mu")
		s.Totals = sim.Totals{
			Requests: t.num(i, "requests"), ThrottledRequests: t.num(i, "throttled_requests"),
			ScheduledMUHoursBilled: t.num(i, "scheduled_mu_hours"), MUHoursBilled: t.num(i, "billed_mu_hours"),
			MUHoursInService: 1, MUHoursUsed: t.num(i, "pt_utilization_pct") / 100,
			PTCost: t.money(i, "provisioned_cost_usd"), ODCost: t.money(i, "on_demand_cost_usd"),
			CommittedAfterWindow: t.money(i, "committed_after_window_usd"),
		}
		s.Totals.PTRequests = t.num(i, "served_by_pt_pct") / 100 * s.Totals.Requests
		// Reserved figures: utilisation comes back as used per capacity,
		// as PT's does.
		tot := &s.Totals
		tot.ResCost, tot.ReservedAfterWindow = t.money(i, "reserved_cost_usd"), t.money(i, "reserved_after_window_usd")
		tot.RenewingPerMonth = t.money(i, "renewing_per_month_usd")
		tot.ResInputKTPMMonths, tot.ResOutputKTPMMonths = t.num(i, "reserved_input_ktpm_months"), t.num(i, "reserved_output_ktpm_months")
		tot.ResRequests = t.num(i, "served_by_reserved_pct") / 100 * tot.Requests
		tot.ResInputCapacity, tot.ResOutputCapacity = 1, 1
		tot.ResInputUsed, tot.ResOutputUsed = t.num(i, "reserved_input_utilization_pct")/100, t.num(i, "reserved_output_utilization_pct")/100
		if term := t.str(i, "reserved_term"); term != "" {
			s.Reserve = &sim.Reserve{Term: pricing.Term(term), InputTPM: t.num(i, "reserved_input_tpm"), OutputTPM: t.num(i, "reserved_output_tpm")}
		}
		if s.Totals.Total() != t.money(i, "total_cost_usd") {
			t.problem(i, "total_cost_usd", "%s is not PT plus Reserved plus on-demand cost (%s)", t.str(i, "total_cost_usd"), s.Totals.Total().Decimal())
		}
		a.Strategies = append(a.Strategies, s)
	}
}

// breakEven reads breakeven.csv; the hourly prices come exactly from
// pricing.yaml.
func (l *loader) breakEven(a *sim.Analysis, o pricing.Offer) {
	t := l.read("breakeven.csv", BreakEvenColumns, false)
	if t == nil {
		return
	}
	for i := range t.rows {
		b := sim.BreakEven{Term: pricing.Term(t.str(i, "term")), HourlyUSD: o.PT[pricing.Term(t.str(i, "term"))].USD,
			TPM: t.num(i, "breakeven_mu_tokens_per_min"), InputTPM: t.num(i, "breakeven_mu_input_tokens_per_min"),
			OutputTPM: t.num(i, "breakeven_mu_output_tokens_per_min"), FullUseTPM: t.num(i, "full_use_breakeven_tokens_per_min"),
			Never: t.str(i, "breaks_even") == "never", Utilization: t.num(i, "breakeven_utilization_pct") / 100}
		a.BreakEven = append(a.BreakEven, b)
	}
}

// sensitivity reads sensitivity.csv, when the report has one.
func (l *loader) sensitivity() *sim.Sensitivity {
	t := l.read("sensitivity.csv", SensitivityColumns, true)
	if t == nil || len(t.rows) == 0 {
		return nil
	}
	s := &sim.Sensitivity{Below: t.num(0, "commitments_change_below_pct") / 100, Above: t.num(0, "commitments_change_above_pct") / 100}
	for i := range t.rows {
		s.Rows = append(s.Rows, sim.SensitivityRow{Scale: t.num(i, "throughput_pct") / 100, InputTPM: t.num(i, "mu_input_tpm"), OutputTPM: t.num(i, "mu_output_tpm"),
			Totals: sim.Totals{PTCost: t.money(i, "provisioned_cost_usd"), ResCost: t.money(i, "reserved_cost_usd"), ODCost: t.money(i, "on_demand_cost_usd"),
				ThrottledRequests: t.num(i, "throttled_requests")}})
		if s.Rows[i].Totals.Total() != t.money(i, "total_cost_usd") {
			t.problem(i, "total_cost_usd", "%s is not PT plus Reserved plus on-demand cost", t.str(i, "total_cost_usd"))
		}
	}
	return s
}

// cashFlow reads cashflow.csv, when the report has one; each row's sums
// must be the sums of its parts.
func (l *loader) cashFlow() []sim.CashFlowMonth {
	t := l.read("cashflow.csv", CashFlowColumns, true)
	if t == nil {
		return nil
	}
	out := []sim.CashFlowMonth{}
	for i := range t.rows {
		m := sim.CashFlowMonth{Start: t.time(i, "start"), End: t.time(i, "end"),
			Committed: t.num(i, "pt_committed_usd"), NoCommit: t.num(i, "pt_no_commit_usd"), Reserved: t.num(i, "reserved_usd"), Renewals: t.num(i, "renewals_usd"),
			Overflow: sim.Spread{Mean: t.num(i, "on_demand_overflow_mean_usd"), P10: t.num(i, "on_demand_overflow_p10_usd"), P50: t.num(i, "on_demand_overflow_p50_usd"), P90: t.num(i, "on_demand_overflow_p90_usd")},
			OnDemand: sim.Spread{Mean: t.num(i, "stay_on_demand_mean_usd"), P10: t.num(i, "stay_on_demand_p10_usd"), P50: t.num(i, "stay_on_demand_p50_usd"), P90: t.num(i, "stay_on_demand_p90_usd")}}
		for _, c := range []struct {
			col  string
			want float64
		}{{"capacity_usd", m.Capacity()}, {"plan_mean_usd", m.Capacity() + m.Overflow.Mean}, {"plan_p50_usd", m.Capacity() + m.Overflow.P50},
			{"savings_mean_usd", m.OnDemand.Mean - m.Capacity() - m.Overflow.Mean}} {
			if math.Abs(t.num(i, c.col)-c.want) > 0.005 {
				t.problem(i, c.col, "%s is not the sum of its parts (%.2f)", t.str(i, c.col), c.want)
			}
		}
		out = append(out, m)
	}
	return out
}

// purchases reads commitments.csv, when the report has one; each row's
// contract value must be its quantity × unit price × units.
func (l *loader) purchases() []sim.Purchase {
	t := l.read("commitments.csv", CommitmentColumns, true)
	if t == nil {
		return nil
	}
	var out []sim.Purchase
	for i := range t.rows {
		p := sim.Purchase{ModelID: t.str(i, "model_id"), Region: t.str(i, "region"), Product: t.str(i, "product"), Term: pricing.Term(t.str(i, "term")),
			Quantity: t.num(i, "quantity"), Unit: t.str(i, "unit"), Start: t.time(i, "start"), End: t.time(i, "end"),
			UnitPrice: t.num(i, "unit_price_usd"), Units: t.num(i, "units_in_term"), AtTermEnd: sim.TermEnd(t.str(i, "at_term_end"))}
		if v := t.money(i, "contract_value_usd"); v != pricing.FromUSD(p.ContractValue()) {
			t.problem(i, "contract_value_usd", "%s is not quantity × unit price × units in the term (%s)", v.Decimal(), pricing.FromUSD(p.ContractValue()).Decimal())
		}
		out = append(out, p)
	}
	return out
}

// reservedBreakEven reads reserved_breakeven.csv, when the report has one.
func (l *loader) reservedBreakEven(a *sim.Analysis) {
	t := l.read("reserved_breakeven.csv", ReservedBreakEvenColumns, true)
	if t == nil || len(t.rows) == 0 {
		return
	}
	a.ReservedBreakEven = &sim.ReservedBreakEven{Never: t.str(0, "breaks_even") == "never",
		InputPer1KTPMMonth: t.num(0, "breakeven_input_price_per_1k_tpm_month_usd"), OutputPer1KTPMMonth: t.num(0, "breakeven_output_price_per_1k_tpm_month_usd"),
		InputTPM: t.num(0, "breakeven_reserved_input_tpm"), OutputTPM: t.num(0, "breakeven_reserved_output_tpm")}
}

func (l *loader) curve(a *sim.Analysis) {
	t := l.read("cost_curve.csv", CurveColumns, true)
	if t == nil {
		return
	}
	for i := range t.rows {
		c := sim.CurvePoint{Term: pricing.Term(t.str(i, "term")), MU: t.int(i, "committed_mu"), Totals: sim.Totals{
			PTCost: t.money(i, "provisioned_cost_usd"), ODCost: t.money(i, "on_demand_cost_usd"),
			ThrottledRequests: t.num(i, "throttled_requests"), MUHoursInService: 1, MUHoursUsed: t.num(i, "pt_utilization_pct") / 100}}
		if t.str(i, "chosen") == "true" {
			a.Chosen = i
		}
		a.Curve = append(a.Curve, c)
	}
}

// intervals reads the intervals file into the rows the charts draw and
// the series of the window: the rows themselves when they are every
// interval, else only the window (its times, no demand), from
// assumptions.csv.
func (l *loader) intervals(f fields, r *Report) (*workload.Series, *intervalRows) {
	n := int(f.num("intervals"))
	rows := l.rows
	if rows == nil {
		rows = l.readIntervals(r.Intervals, n)
	}
	window := func() *workload.Series {
		s := &workload.Series{ModelID: r.Offer.ModelID, Region: r.Offer.Region, Period: time.Duration(f.num("period_s")) * time.Second}
		start := f.time("window_start").Unix()
		s.Start = make([]int64, n)
		for i := range s.Start {
			s.Start[i] = start + int64(i)*int64(s.Period/time.Second)
		}
		return s
	}
	if rows == nil || l.err != nil {
		return window(), nil
	}
	// Written and read back, rows are the same: the period is the longest
	// row's, and row lengths are kept only where they differ.
	rows.s.ModelID, rows.s.Region = r.Offer.ModelID, r.Offer.Region
	if sec := rows.seconds; sec != nil {
		rows.s.Period = time.Duration(slices.Max(sec)) * time.Second
		if !slices.ContainsFunc(sec, func(p int64) bool { return p != sec[0] }) {
			rows.seconds = nil
		}
	}
	if r.Intervals == IntervalsHourly {
		return window(), rows
	}
	return rows.s, rows
}

// optimum reads levels.csv and schedule.csv: the optimiser's levels, the
// MUs it holds in each hour of the week, and the week for the heatmap,
// whose hours s has no interval in (in loc) have no data. Its committed
// term is the recommended strategy's (strategies.csv).
func (l *loader) optimum(a *sim.Analysis, s *workload.Series, loc *time.Location) (*sim.Optimum, *Schedule) {
	lt := l.read("levels.csv", LevelColumns, true)
	if lt == nil {
		return nil, nil
	}
	o := &sim.Optimum{}
	if rec := a.Strategy(sim.StrategyRecommended); rec != nil {
		o.CommittedTerm = rec.Term
	}
	for i := range lt.rows {
		o.Levels = append(o.Levels, sim.Level{MU: lt.int(i, "mu_level"), Layer: lt.str(i, "layer"), Saving: lt.num(i, "saving_if_committed_usd"),
			CommittedCost: lt.num(i, "committed_cost_usd"), ScheduledSlots: lt.int(i, "scheduled_slots"),
			ScheduledSaving: lt.num(i, "scheduled_saving_usd"), ScheduledCost: lt.num(i, "scheduled_cost_usd")})
	}
	st := l.read("schedule.csv", ScheduleColumns, false)
	if st == nil {
		return o, nil
	}
	if len(st.rows) != sim.Slots {
		l.fail("schedule.csv: %d rows, expected one per hour of the week (%d)", len(st.rows), sim.Slots)
		return o, nil
	}
	var sch Schedule
	for i := range st.rows {
		sch[i] = SlotRow{Existing: st.num(i, "existing_mu"), Committed: st.int(i, "committed_mu"), Scheduled: st.int(i, "scheduled_mu"),
			MeanDemand: st.num(i, "mean_demand_mu"), PeakDemand: st.num(i, "peak_demand_mu")}
		o.CommittedMU, o.Scheduled[i] = sch[i].Committed, sch[i].Scheduled
	}
	if s != nil {
		for i := range s.Start {
			sch[sim.SlotOf(s.Time(i), loc)].Intervals++
		}
	}
	return o, &sch
}

func (l *loader) risk(f fields) *sim.Risk {
	t := l.read("risk.csv", RiskColumns, true)
	if t == nil {
		return nil
	}
	rk := &sim.Risk{Forecast: &workload.Forecast{Hours: int(f.num("forecast_hours")),
		GrowthPerHour: f.num("forecast_growth_per_hour"), GrowthSE: f.num("forecast_growth_se")}}
	// MAPE is NaN when there was too little history to backtest.
	mape, err := strconv.ParseFloat(f.one("forecast_mape"), 64)
	if err != nil {
		l.fail("assumptions.csv: forecast_mape: %q is not a number", f.one("forecast_mape"))
	}
	rk.Forecast.MAPE = mape
	for i := range t.rows {
		row := sim.RiskRow{Strategy: t.str(i, "strategy"), Term: pricing.Term(t.str(i, "term")), CommittedMU: t.int(i, "committed_mu"),
			Scheduled: t.str(i, "scheduled") == "true", Note: t.note(i, "note_code")}
		if term := t.str(i, "reserved_term"); term != "" {
			row.Reserve = &sim.Reserve{Term: pricing.Term(term), InputTPM: t.num(i, "reserved_input_tpm"), OutputTPM: t.num(i, "reserved_output_tpm")}
		}
		if t.str(i, "expected_cost_usd") == "" {
			row.Refused = true
		} else {
			row.Expected, row.P10, row.P90 = t.num(i, "expected_cost_usd"), t.num(i, "p10_cost_usd"), t.num(i, "p90_cost_usd")
			row.CostlierThanOnDemand = t.num(i, "costlier_than_on_demand_pct") / 100
		}
		rk.Scenarios, rk.MigrationRisk = t.int(i, "scenarios"), t.num(i, "migration_risk_pct")/100
		rk.Start, rk.End = t.time(i, "horizon_start"), t.time(i, "horizon_end")
		rk.Rows = append(rk.Rows, row)
	}
	return rk
}
