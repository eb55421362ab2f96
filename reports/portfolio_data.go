package reports

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/sim"
	"github.com/bedrockplan/bedrockplan/workload"
)

// PortfolioColumns are the columns of portfolio.csv; the cost of the
// plan replayed is recommended_cost_usd for recommend and plan_cost_usd
// for simulate (portfolioColumns).
var PortfolioColumns = portfolioColumns(sim.StrategyRecommended)

func portfolioColumns(detail string) []string {
	cost := "recommended_cost_usd"
	if detail == sim.StrategyPlan {
		cost = "plan_cost_usd"
	}
	return []string{"model_id", "region", "service_tier", "history_days", "on_demand_cost_usd", cost, "provisioned_cost_usd", "reserved_cost_usd", "on_demand_overflow_usd", "savings_usd", "savings_pct",
		"committed_mu", "committed_term", "scheduled_mu_hours", "reserved_input_tpm", "reserved_output_tpm", "contract_value_usd", "sized", "mu_throughput",
		"breakeven_mu_tokens_per_min", "breakeven_term", "breakeven_reserved_input_price_usd", "breakeven_reserved_output_price_usd",
		"forecast_growth_per_hour", "forecast_growth_se", "cash_flow_on_demand_usd", "prices_as_of", "warning_codes", "plan", "note", "note_code", "folder"}
}

// portfolioData is an account folder's own data, as its files hold it:
// assumptions.csv, portfolio.csv (the ALL row last), commitments.csv and
// cashflow.csv (nil: none).
type portfolioData struct {
	assumptions []AssumptionRow
	table       *table[PortfolioRow]
	rows        []PortfolioRow
	commitments []sim.Purchase
	cashFlow    []sim.CashFlowMonth
}

// accountFile is one file of an account folder's own data, and the
// charts drawn from it, listed after it.
type accountFile struct {
	name string
	// columns are the file's columns as an account with the detail
	// strategy detail writes them, for columns.md.
	columns func(detail string) columnSet
	// file names the file as d has it; "" when d has none.
	file  func(d *portfolioData) string
	write func(d *portfolioData, w io.Writer) error
	// read reads the file from the folder dir into d; a missing
	// optional file leaves d without it.
	read   func(d *portfolioData, dir string) error
	charts []accountChart
}

// accountChart is a chart of an account folder; draw gives nil when the
// account has no such chart.
type accountChart struct {
	name string
	draw func(p *Portfolio, ct ChartText) func() ([]byte, error)
}

// accountCSV declares a table of the account's data: where d keeps its
// rows.
func accountCSV[R any](t *table[R], rows func(d *portfolioData) *[]R, optional bool, charts ...accountChart) accountFile {
	return accountFile{name: t.name, charts: charts,
		columns: func(string) columnSet { return columnSet{t.name, t.columns} },
		file: func(d *portfolioData) string {
			if *rows(d) == nil {
				return ""
			}
			return t.name
		},
		write: func(d *portfolioData, w io.Writer) error { return t.writeTo(w, *rows(d)) },
		read: func(d *portfolioData, dir string) (err error) {
			*rows(d), err = t.load(dir, optional)
			return err
		}}
}

// portfolioFiles are the account folder's own files (beside the series'
// folders), in the order they are written and listed, each followed by
// the charts drawn from it. Files, Write, LoadPortfolio, Render and the
// account's columns.md all follow it.
var portfolioFiles = []accountFile{
	accountCSV(assumptionsTable, func(d *portfolioData) *[]AssumptionRow { return &d.assumptions }, false),
	{name: "portfolio.csv",
		columns: func(detail string) columnSet {
			return columnSet{"portfolio.csv", portfolioColumns(detail)}
		},
		file:  func(*portfolioData) string { return "portfolio.csv" },
		write: func(d *portfolioData, w io.Writer) error { return d.table.writeTo(w, d.rows) },
		// The header says which plan the rows stand for: recommend's
		// (recommended_cost_usd) or simulate's (plan_cost_usd).
		read: func(d *portfolioData, dir string) error {
			data, err := os.ReadFile(filepath.Join(dir, "portfolio.csv"))
			if err != nil {
				return err
			}
			d.table = portfolioTable(sim.StrategyRecommended)
			if head, _, _ := bytes.Cut(data, []byte("\n")); bytes.Contains(head, []byte("plan_cost_usd")) {
				d.table = portfolioTable(sim.StrategyPlan)
			}
			d.rows, err = d.table.decode(data)
			return err
		},
		charts: []accountChart{{"portfolio.png", func(p *Portfolio, ct ChartText) func() ([]byte, error) {
			return func() ([]byte, error) { return PortfolioChart(p.Rows, p.Detail, ct) }
		}}}},
	accountCSV(commitmentsTable, func(d *portfolioData) *[]sim.Purchase { return &d.commitments }, true),
	accountCSV(cashFlowTable, func(d *portfolioData) *[]sim.CashFlowMonth { return &d.cashFlow }, true,
		accountChart{"cashflow.png", func(p *Portfolio, ct ChartText) func() ([]byte, error) {
			if p.CashFlow == nil {
				return nil
			}
			return func() ([]byte, error) { return CashFlowChart(p.CashFlow, ct, true) }
		}}),
}

// accountDocs are what the account's columns mean where a report
// folder's file gives the same name another meaning.
var accountDocs = map[string]string{
	"field":                    "what the row states: kind (portfolio), detail_strategy (recommended or plan: what each series' row stands for), command_line, version, lang, buy_at (when commitments.csv's purchases start, RFC 3339), today (the date the account's report is dated, YYYY-MM-DD: its series' prices_as_of are judged stale against it)",
	"model_id":                 "Bedrock model id (or PT ARN) of the series; ALL on the last row, the sums over every series",
	"service_tier":             "service tier the series ran on: standard, priority, flex, latency-optimized or reserved",
	"on_demand_cost_usd":       "the series all on-demand over its own history, US dollars",
	"contract_value_usd":       "what the series' commitments.csv commits to over the first terms, US dollars; in commitments.csv, quantity × unit_price_usd × units_in_term",
	"note":                     "why the series could not be sized; empty when it was",
	"forecast_growth_per_hour": "log-growth per hour of the demand forecast the series' cash flow was drawn from (its assumptions.csv states the same); empty without a cash flow, and on the ALL row",
	"forecast_growth_se":       "standard error of forecast_growth_per_hour",
	"prices_as_of":             "the date of the oldest price the series used (its on-demand and PT prices; YYYY-MM-DD): with the account's today (assumptions.csv), when its prices are more than 90 days old the account's verdict warns",
	"warning_codes":            "the series' warnings as its assumptions.csv's warning_code states them, one on each line of the field; the account's verdict words each once, naming the series it applies to",
	"cash_flow_on_demand_usd":  "the on-demand the series' cashflow.csv forecasts for the plan over its months: the sum of its on_demand_overflow_mean_usd, US dollars; on the ALL row, the sum over the series",
}

// accountColumnSets are the column sets the account's columns.md
// explains: every CSV file of portfolioFiles, as an account with the
// detail strategy detail writes them.
func accountColumnSets(detail string) []columnSet {
	var sets []columnSet
	for _, af := range portfolioFiles {
		if af.columns != nil {
			sets = append(sets, af.columns(detail))
		}
	}
	return sets
}

// build builds the account's data once, as its files hold it.
func (p *Portfolio) build() (*portfolioData, error) {
	d := &portfolioData{table: portfolioTable(p.Detail)}
	var err error
	d.assumptions, err = asWritten(assumptionsTable, p.assumptions(), err)
	d.rows, err = asWritten(d.table, append(slices.Clone(p.Rows), p.Total()), err)
	d.commitments, err = asWritten(commitmentsTable, orEmpty(p.Purchases), err)
	if p.CashFlow != nil {
		d.cashFlow, err = asWritten(cashFlowTable, p.CashFlow, err)
	}
	return d, err
}

// Write writes the account's files into f, beside the series' folders:
// its data, built once as the files hold it, then what is rendered from
// that data, in memory, as LoadPortfolio renders it from the folder.
func (p *Portfolio) Write(f *Folder) error {
	d, err := p.build()
	if err != nil {
		return err
	}
	if err := d.write(f); err != nil {
		return err
	}
	made, err := d.portfolio()
	if err != nil {
		return fmt.Errorf("the account's data: %w", err)
	}
	made.ChartFont = p.ChartFont
	if err := made.Render(f); err != nil {
		return err
	}
	p.rendered = made
	return nil
}

// write writes the data into f, in the order of portfolioFiles.
func (d *portfolioData) write(f *Folder) error {
	for _, af := range portfolioFiles {
		if name := af.file(d); name != "" {
			if err := f.Write(name, func(w io.Writer) error { return af.write(d, w) }); err != nil {
				return err
			}
		}
	}
	return nil
}

// assumptions are the account's assumptions.csv: what its summary
// states that no other file holds.
func (p *Portfolio) assumptions() []AssumptionRow {
	var today string
	if !p.Today.IsZero() {
		today = p.Today.Format(time.DateOnly)
	}
	return []AssumptionRow{{"kind", "portfolio"}, {"detail_strategy", p.Detail}, {"command_line", p.CommandLine},
		{"version", p.Version}, {"lang", p.Lang}, {"buy_at", p.BuyAt.UTC().Format(time.RFC3339)}, {"today", today}}
}

// LoadPortfolio reads an account folder's own files back (portfolioFiles)
// into the Portfolio that renders the same summary; the ALL row must be
// the sum of the others.
func LoadPortfolio(dir string) (*Portfolio, error) {
	d := &portfolioData{}
	for _, af := range portfolioFiles {
		if err := af.read(d, dir); err != nil {
			return nil, err
		}
	}
	return d.portfolio()
}

// portfolio makes the Portfolio the summary renders from the data; the
// ALL row must be the sum of the others.
func (d *portfolioData) portfolio() (*Portfolio, error) {
	p := &Portfolio{Purchases: d.commitments, CashFlow: d.cashFlow, data: d}
	rec := &record{file: assumptionsTable.name, columns: assumptionsTable.columns}
	for i, a := range d.assumptions {
		switch a.Field {
		case "detail_strategy":
			p.Detail = a.Value
		case "command_line":
			p.CommandLine = a.Value
		case "version":
			p.Version = a.Value
		case "lang":
			p.Lang = a.Value
		case "buy_at":
			rec.line, rec.fields = i+2, []string{a.Field, a.Value}
			p.BuyAt = rec.time("value")
		case "today":
			if a.Value != "" {
				rec.line, rec.fields = i+2, []string{a.Field, a.Value}
				p.Today = rec.date("value")
			}
		}
	}
	if rec.err != nil {
		return nil, rec.err
	}
	rows := d.rows
	var all PortfolioRow
	if n := len(rows); n > 0 && rows[n-1].ModelID == PortfolioAll {
		all, rows = rows[n-1], rows[:n-1]
	}
	p.Rows = rows
	if sum := p.Total(); all.OnDemand != sum.OnDemand || all.Cost != sum.Cost || all.ContractValue != sum.ContractValue || all.CashFlowOnDemand != sum.CashFlowOnDemand {
		return nil, fmt.Errorf("portfolio.csv: the ALL row is not the sum of the series (on-demand %s, cost %s, contract value %s, cash-flow on-demand %s)",
			sum.OnDemand.Decimal(), sum.Cost.Decimal(), sum.ContractValue.Decimal(), sum.CashFlowOnDemand.Decimal())
	}
	return p, nil
}

// portfolioTable declares portfolio.csv: one line per series, then the
// ALL line, their sums. The plan's cost is recommended_cost_usd for
// recommend and plan_cost_usd for simulate (detail).
func portfolioTable(detail string) *table[PortfolioRow] {
	cost := portfolioColumns(detail)[5]
	return &table[PortfolioRow]{
		name:    "portfolio.csv",
		columns: portfolioColumns(detail),
		write: func(r PortfolioRow) []string {
			term := string(r.CommittedTerm)
			if r.CommittedMU == 0 {
				term = ""
			}
			var growth, growthSE, asOf string
			if r.Growth != nil {
				growth, growthSE = exact(r.Growth.GrowthPerHour), exact(r.Growth.GrowthSE)
			}
			if !r.PricesAsOf.IsZero() {
				asOf = r.PricesAsOf.Format(time.DateOnly)
			}
			var warnings []string
			for _, w := range r.Warnings {
				warnings = append(warnings, noteCode(w))
			}
			return []string{r.ModelID, r.Region, r.Tier, fixed(r.History.Hours()/24, 2), r.OnDemand.Decimal(), r.Cost.Decimal(),
				r.PTCost.Decimal(), r.ReservedCost.Decimal(), r.OverflowCost.Decimal(), r.Savings().Decimal(), fixed(r.SavingsPct(), 2), strconv.Itoa(r.CommittedMU), term, exact(r.ScheduledMUHours),
				exact(r.ReservedInputTPM), exact(r.ReservedOutputTPM), r.ContractValue.Decimal(), strconv.FormatBool(r.Sized), string(r.MUThroughput),
				optional(r.BreakEvenTPM, 0), string(r.BreakEvenTerm), optional(r.ReservedBreakEvenInput, 4), optional(r.ReservedBreakEvenOutput, 4),
				growth, growthSE, r.CashFlowOnDemand.Decimal(), asOf, strings.Join(warnings, "\n"), r.Plan, noteIn(r.Note, inPortfolio), noteCode(r.Note), r.Folder}
		},
		read: func(t *record) PortfolioRow {
			r := PortfolioRow{ModelID: t.str("model_id"), Region: t.str("region"), Tier: t.str("service_tier"),
				History:  time.Duration(t.num("history_days") * 24 * float64(time.Hour)),
				OnDemand: t.money("on_demand_cost_usd"), Cost: t.money(cost),
				PTCost: t.money("provisioned_cost_usd"), ReservedCost: t.money("reserved_cost_usd"), OverflowCost: t.money("on_demand_overflow_usd"),
				CommittedMU: t.int("committed_mu"), CommittedTerm: pricing.Term(t.str("committed_term")), ScheduledMUHours: t.num("scheduled_mu_hours"),
				ReservedInputTPM: t.num("reserved_input_tpm"), ReservedOutputTPM: t.num("reserved_output_tpm"), ContractValue: t.money("contract_value_usd"),
				Sized: t.bool("sized"), MUThroughput: pricing.Provenance(t.str("mu_throughput")), BreakEvenTPM: t.num("breakeven_mu_tokens_per_min"), BreakEvenTerm: pricing.Term(t.str("breakeven_term")),
				ReservedBreakEvenInput: t.num("breakeven_reserved_input_price_usd"), ReservedBreakEvenOutput: t.num("breakeven_reserved_output_price_usd"),
				CashFlowOnDemand: t.money("cash_flow_on_demand_usd"), Plan: t.str("plan"), Note: t.note("note_code"), Folder: t.str("folder")}
			if d := t.str("prices_as_of"); d != "" {
				r.PricesAsOf = t.date("prices_as_of")
			}
			if ws := t.str("warning_codes"); ws != "" {
				for _, w := range strings.Split(ws, "\n") {
					n, err := parseNoteCode(w)
					if err != nil {
						t.problem("warning_codes", "%v", err)
					}
					r.Warnings = append(r.Warnings, n)
				}
			}
			if g := t.optNum("forecast_growth_per_hour"); g != nil {
				r.Growth = &workload.Forecast{GrowthPerHour: *g, GrowthSE: t.num("forecast_growth_se")}
			}
			if r.ModelID != PortfolioAll && r.Cost != r.PTCost+r.ReservedCost+r.OverflowCost {
				t.problem(cost, "%s is not PT plus Reserved plus on-demand overflow", r.Cost.Decimal())
			}
			if t.money("savings_usd") != r.Savings() {
				t.problem("savings_usd", "%s is not on-demand minus the plan's cost (%s)", t.str("savings_usd"), r.Savings().Decimal())
			}
			if math.Abs(t.num("savings_pct")-r.SavingsPct()) > 0.005+1e-9 {
				t.problem("savings_pct", "%s is not the saving in percent of on-demand (%.2f)", t.str("savings_pct"), r.SavingsPct())
			}
			if note := noteIn(r.Note, inPortfolio); t.str("note") != note {
				t.problem("note", "%q does not word note_code (%q)", t.str("note"), note)
			}
			return r
		},
	}
}
