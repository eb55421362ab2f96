package reports

import (
	"bytes"
	"io"
	"strconv"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/bedrockplan/bedrockplan/sim"
)

// A report folder is its data (the CSV files, plan.yaml, pricing.yaml)
// plus what is rendered from it (summaries, charts, columns.md). The data
// is built once from the sim results (Report.build) and kept as the files
// hold it; Write writes it and renders from it in memory, and
// `bedrockplan report --from` reads the same data from a folder
// (LoadReport) and renders it the same way. Every figure a summary shows
// is one the files hold, and a re-render is byte for byte the original.

// reportData is a report folder's data: each CSV file's rows as the file
// holds them (numbers as rounded in the text), and the YAML files' text.
// A nil table is a file the folder does not have.
type reportData struct {
	// loc is the time zone of the report (assumptions.csv's time_zone).
	loc               *time.Location
	assumptions       []AssumptionRow
	pricing           []byte
	strategies        []StrategyRow
	breakEven         []BreakEvenRow
	reservedBreakEven []ReservedBreakEvenRow
	// intervalsFile names the intervals file (intervals.csv or
	// intervals.csv.gz; "" without one) and intervals are its rows: as
	// built until Write writes them, then as the file holds them.
	intervalsFile string
	intervals     *intervalRows
	plan          []byte
	commitments   []sim.Purchase
	flatPlan      []byte
	curve         []CurveRow
	risk          []RiskRow
	cashFlow      []sim.CashFlowMonth
	sensitivity   []SensitivityRow
	levels        []sim.Level
	schedule      []ScheduleRow
}

// dataFile is one file of a report folder's data, and the charts drawn
// from it, listed after it.
type dataFile struct {
	name string
	// columns are the file's column sets, for columns.md; nil for YAML.
	columns []columnSet
	// file names the file as d has it; "" when d has none.
	file  func(d *reportData) string
	write func(d *reportData, w io.Writer) error
	// read reads the file from the folder dir into d; a missing optional
	// file leaves d without it.
	read func(d *reportData, dir string) error
	// settle makes the rows as built the rows as the file holds them
	// (asWritten; err is the first problem so far); nil for files kept
	// as text, or written as a stream.
	settle func(d *reportData, err error) error
	charts []chartFile
}

// columnSet is a set of columns a file may have, under its title in
// columns.md.
type columnSet struct {
	title   string
	columns []string
}

// chartFile is a chart of a report; draw gives nil when the report has
// no such chart.
type chartFile struct {
	name string
	draw func(r *Report) func() ([]byte, error)
}

// csvFile declares a table of the report's data: where d keeps its rows.
func csvFile[R any](t *table[R], rows func(d *reportData) *[]R, optional bool, charts ...chartFile) dataFile {
	return dataFile{name: t.name, columns: []columnSet{{t.name, t.columns}}, charts: charts,
		file: func(d *reportData) string {
			if *rows(d) == nil {
				return ""
			}
			return t.name
		},
		write: func(d *reportData, w io.Writer) error { return t.writeTo(w, *rows(d)) },
		read: func(d *reportData, dir string) (err error) {
			*rows(d), err = t.load(dir, optional)
			return err
		},
		settle: func(d *reportData, err error) error {
			if *rows(d) == nil {
				return err
			}
			*rows(d), err = asWritten(t, *rows(d), err)
			return err
		}}
}

// yamlFile declares a YAML file of the report's data, which d keeps as
// text.
func yamlFile(name string, text func(d *reportData) *[]byte, optional bool, charts ...chartFile) dataFile {
	return dataFile{name: name, charts: charts,
		file: func(d *reportData) string {
			if *text(d) == nil {
				return ""
			}
			return name
		},
		write: func(d *reportData, w io.Writer) error {
			_, err := w.Write(*text(d))
			return err
		},
		read: func(d *reportData, dir string) (err error) {
			*text(d), err = readOptional(dir, name, optional)
			return err
		}}
}

// reportFiles are the data files of a report folder, in the order they
// are written and listed, each followed by the charts drawn from it (and
// the files before it); the last entry is no file, only the cost chart.
// Files, Write, LoadReport, Render and columns.md all follow it.
var reportFiles = []dataFile{
	csvFile(assumptionsTable, func(d *reportData) *[]AssumptionRow { return &d.assumptions }, false),
	yamlFile("pricing.yaml", func(d *reportData) *[]byte { return &d.pricing }, false),
	csvFile(strategiesTable, func(d *reportData) *[]StrategyRow { return &d.strategies }, false),
	csvFile(breakEvenTable, func(d *reportData) *[]BreakEvenRow { return &d.breakEven }, false),
	csvFile(reservedBreakEvenTable, func(d *reportData) *[]ReservedBreakEvenRow { return &d.reservedBreakEven }, true),
	intervalsDataFile,
	yamlFile("plan.yaml", func(d *reportData) *[]byte { return &d.plan }, true),
	csvFile(commitmentsTable, func(d *reportData) *[]sim.Purchase { return &d.commitments }, true, demandChartFile),
	yamlFile("flat_plan.yaml", func(d *reportData) *[]byte { return &d.flatPlan }, true),
	csvFile(curveTable, func(d *reportData) *[]CurveRow { return &d.curve }, true, costCurveChartFile),
	csvFile(riskTable, func(d *reportData) *[]RiskRow { return &d.risk }, true, riskChartFile),
	csvFile(cashFlowTable, func(d *reportData) *[]sim.CashFlowMonth { return &d.cashFlow }, true, cashFlowChartFile),
	csvFile(sensitivityTable, func(d *reportData) *[]SensitivityRow { return &d.sensitivity }, true, sensitivityChartFile),
	csvFile(levelsTable, func(d *reportData) *[]sim.Level { return &d.levels }, true),
	csvFile(scheduleTable, func(d *reportData) *[]ScheduleRow { return &d.schedule }, true, scheduleChartFile, loadDurationChartFile),
	{file: func(*reportData) string { return "" }, charts: []chartFile{costChartFile}},
}

// build builds the report's data from its sim results, once: each table's
// rows as built (built), then written and read back in memory so that
// they hold what the file holds. The intervals file's rows are as built
// until Write writes them.
func (r *Report) build() (*reportData, error) {
	d, err := r.built()
	for _, df := range reportFiles {
		if df.settle != nil {
			err = df.settle(d, err)
		}
	}
	return d, err
}

// built is the report's data as built from its sim results: the CSV
// files' rows before they are written (their numbers not yet rounded as
// the text rounds them), the YAML files' text.
func (r *Report) built() (*reportData, error) {
	a := r.Analysis
	d := &reportData{loc: r.TimeZone}
	var err error
	d.assumptions = assumptionRows(r)
	var pricing bytes.Buffer
	enc := yaml.NewEncoder(&pricing)
	enc.SetIndent(2)
	if e := enc.Encode(r.Offer.Catalogue(r.CatalogueAsOf)); e != nil && err == nil {
		err = e
	}
	if e := enc.Close(); e != nil && err == nil {
		err = e
	}
	d.pricing = pricing.Bytes()
	d.strategies = strategyRows(a)
	d.breakEven = breakEvenRows(a)
	if be := a.ReservedBreakEven; be != nil {
		d.reservedBreakEven = reservedBreakEvenRows(be, r.Offer)
	}
	if det := r.detail(); det != nil && r.DetailResult != nil {
		if name := IntervalsFile(r.Intervals, r.Series.Len()); name != "" {
			rows := &intervalRows{s: r.Series, iv: r.DetailResult.Intervals}
			if r.Intervals == IntervalsHourly {
				rows = rows.hourly(r.TimeZone)
			}
			d.intervalsFile, d.intervals = name, rows
		}
		d.plan, err = planText(det.Plan, err)
		d.commitments = orEmpty(sim.PurchaseList(det.Plan, r.Offer, a.Existing, r.BuyAt))
	}
	if fc := a.Flat; fc != nil {
		d.flatPlan, err = planText(fc.Plan, err)
	}
	if len(a.Curve) > 0 {
		d.curve = curveRows(a)
	}
	if o := a.Optimum; o != nil {
		d.levels = orEmpty(o.Levels)
		d.schedule = scheduleRows(r.Series, o, r.Offer.Throughput, r.TimeZone, r.ExistingMU)
	}
	if r.Risk != nil {
		d.risk = riskRows(r.Risk)
	}
	if r.CashFlow != nil {
		d.cashFlow = r.CashFlow
	}
	if r.Sensitivity != nil {
		d.sensitivity = sensitivityRows(r.Sensitivity)
	}
	return d, err
}

// orEmpty is rows, or no rows rather than nil: a file without rows, not
// no file.
func orEmpty[R any](rows []R) []R {
	if rows == nil {
		return []R{}
	}
	return rows
}

// asWritten is rows as t's file holds them: written and read back. Only
// err, the first problem so far, is kept.
func asWritten[R any](t *table[R], rows []R, err error) ([]R, error) {
	text, e := t.encode(rows)
	if e == nil {
		rows, e = t.decode(text)
	}
	if err != nil {
		return rows, err
	}
	return rows, e
}

func planText(p sim.Plan, err error) ([]byte, error) {
	var b bytes.Buffer
	if e := WritePlan(&b, p); e != nil && err == nil {
		err = e
	}
	return b.Bytes(), err
}

// write writes the data into f, in the order of reportFiles. The
// intervals file is written as a stream, and its rows are then kept as
// it holds them.
func (d *reportData) write(f *Folder) error {
	for _, df := range reportFiles {
		if name := df.file(d); name != "" {
			if err := f.Write(name, func(w io.Writer) error { return df.write(d, w) }); err != nil {
				return err
			}
		}
	}
	return nil
}

// assumptionRows are the facts the summaries state that no other file
// of the folder holds, one field per row (fields that repeat, like note
// or input_file, keep their order).
func assumptionRows(r *Report) []AssumptionRow {
	var rows []AssumptionRow
	add := func(field, value string) { rows = append(rows, AssumptionRow{field, value}) }
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
	en := r.english()
	add("burst_source", en.burstSource())
	if c := r.BurstFrom; c != nil {
		add("burst_kind", burstKinds[c.Kind])
		if c.Kind == sim.BurstMeasured {
			add("burst_finer_s", strconv.FormatInt(int64(c.Finer/time.Second), 10))
			add("burst_intervals", strconv.Itoa(c.Intervals))
		}
		add("burst_file", r.BurstFile)
	}
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
	add("risk_note", en.omitted(r.RiskOmitted, false, false))
	if c := omissionCode(r.RiskOmitted); c != "" {
		add("risk_omitted", c)
	}
	if c := omissionCode(r.CashFlowOmitted); c != "" {
		add("cash_flow_note", en.omitted(r.CashFlowOmitted, true, false))
		add("cash_flow_omitted", c)
	}
	if f := r.forecast(); f != nil {
		add("forecast_hours", strconv.Itoa(f.Hours))
		add("forecast_growth_per_hour", exact(f.GrowthPerHour))
		add("forecast_growth_se", exact(f.GrowthSE))
		add("forecast_mape", exact(f.MAPE))
	}
	return rows
}
