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
	"time"

	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/sim"
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
		"committed_mu", "committed_term", "scheduled_mu_hours", "reserved_input_tpm", "reserved_output_tpm", "contract_value_usd", "sized",
		"breakeven_mu_tokens_per_min", "breakeven_term", "breakeven_reserved_input_price_usd", "breakeven_reserved_output_price_usd", "plan", "note", "note_code", "folder"}
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

// Write writes the account's files into f, beside the series' folders:
// its data, built once as the files hold it, then what is rendered from
// that data, in memory, as LoadPortfolio renders it from the folder.
func (p *Portfolio) Write(f *Folder) error {
	d := &portfolioData{table: portfolioTable(p.Detail)}
	var err error
	d.assumptions, err = asWritten(assumptionsTable, p.assumptions(), err)
	d.rows, err = asWritten(d.table, append(slices.Clone(p.Rows), p.Total()), err)
	d.commitments, err = asWritten(commitmentsTable, p.Purchases, err)
	if p.CashFlow != nil {
		d.cashFlow, err = asWritten(cashFlowTable, p.CashFlow, err)
	}
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

func (d *portfolioData) write(f *Folder) error {
	if err := f.Write(assumptionsTable.name, func(w io.Writer) error { return assumptionsTable.writeTo(w, d.assumptions) }); err != nil {
		return err
	}
	if err := f.Write(d.table.name, func(w io.Writer) error { return d.table.writeTo(w, d.rows) }); err != nil {
		return err
	}
	if err := f.Write(commitmentsTable.name, func(w io.Writer) error { return commitmentsTable.writeTo(w, d.commitments) }); err != nil {
		return err
	}
	if d.cashFlow != nil {
		return f.Write(cashFlowTable.name, func(w io.Writer) error { return cashFlowTable.writeTo(w, d.cashFlow) })
	}
	return nil
}

// assumptions are the account's assumptions.csv: what its summary
// states that no other file holds.
func (p *Portfolio) assumptions() []AssumptionRow {
	return []AssumptionRow{{"kind", "portfolio"}, {"detail_strategy", p.Detail}, {"command_line", p.CommandLine},
		{"version", p.Version}, {"lang", p.Lang}, {"buy_at", p.BuyAt.UTC().Format(time.RFC3339)}}
}

// LoadPortfolio reads an account folder's own files back (assumptions.csv,
// portfolio.csv, commitments.csv, cashflow.csv) into the Portfolio that
// renders the same summary; the ALL row must be the sum of the others.
func LoadPortfolio(dir string) (*Portfolio, error) {
	d := &portfolioData{}
	var err error
	if d.assumptions, err = assumptionsTable.load(dir, false); err != nil {
		return nil, err
	}
	data, err := os.ReadFile(filepath.Join(dir, "portfolio.csv"))
	if err != nil {
		return nil, err
	}
	d.table = portfolioTable(sim.StrategyRecommended)
	if head, _, _ := bytes.Cut(data, []byte("\n")); bytes.Contains(head, []byte("plan_cost_usd")) {
		d.table = portfolioTable(sim.StrategyPlan)
	}
	if d.rows, err = d.table.decode(data); err != nil {
		return nil, err
	}
	if d.commitments, err = commitmentsTable.load(dir, true); err != nil {
		return nil, err
	}
	if d.cashFlow, err = cashFlowTable.load(dir, true); err != nil {
		return nil, err
	}
	return d.portfolio()
}

// portfolio makes the Portfolio the summary renders from the data; the
// ALL row must be the sum of the others.
func (d *portfolioData) portfolio() (*Portfolio, error) {
	p := &Portfolio{Purchases: d.commitments, CashFlow: d.cashFlow}
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
	if sum := p.Total(); all.OnDemand != sum.OnDemand || all.Cost != sum.Cost || all.ContractValue != sum.ContractValue {
		return nil, fmt.Errorf("portfolio.csv: the ALL row is not the sum of the series (on-demand %s, cost %s, contract value %s)", sum.OnDemand.Decimal(), sum.Cost.Decimal(), sum.ContractValue.Decimal())
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
			return []string{r.ModelID, r.Region, r.Tier, fixed(r.History.Hours()/24, 2), r.OnDemand.Decimal(), r.Cost.Decimal(),
				r.PTCost.Decimal(), r.ReservedCost.Decimal(), r.OverflowCost.Decimal(), r.Savings().Decimal(), fixed(r.SavingsPct(), 2), strconv.Itoa(r.CommittedMU), term, exact(r.ScheduledMUHours),
				exact(r.ReservedInputTPM), exact(r.ReservedOutputTPM), r.ContractValue.Decimal(), strconv.FormatBool(r.Sized),
				optional(r.BreakEvenTPM, 0), string(r.BreakEvenTerm), optional(r.ReservedBreakEvenInput, 4), optional(r.ReservedBreakEvenOutput, 4), r.Plan, noteIn(r.Note, inStrategies), noteCode(r.Note), r.Folder}
		},
		read: func(t *record) PortfolioRow {
			r := PortfolioRow{ModelID: t.str("model_id"), Region: t.str("region"), Tier: t.str("service_tier"),
				History:  time.Duration(t.num("history_days") * 24 * float64(time.Hour)),
				OnDemand: t.money("on_demand_cost_usd"), Cost: t.money(cost),
				PTCost: t.money("provisioned_cost_usd"), ReservedCost: t.money("reserved_cost_usd"), OverflowCost: t.money("on_demand_overflow_usd"),
				CommittedMU: t.int("committed_mu"), CommittedTerm: pricing.Term(t.str("committed_term")), ScheduledMUHours: t.num("scheduled_mu_hours"),
				ReservedInputTPM: t.num("reserved_input_tpm"), ReservedOutputTPM: t.num("reserved_output_tpm"), ContractValue: t.money("contract_value_usd"),
				Sized: t.bool("sized"), BreakEvenTPM: t.num("breakeven_mu_tokens_per_min"), BreakEvenTerm: pricing.Term(t.str("breakeven_term")),
				ReservedBreakEvenInput: t.num("breakeven_reserved_input_price_usd"), ReservedBreakEvenOutput: t.num("breakeven_reserved_output_price_usd"),
				Plan: t.str("plan"), Note: t.note("note_code"), Folder: t.str("folder")}
			if r.ModelID != PortfolioAll && r.Cost != r.PTCost+r.ReservedCost+r.OverflowCost {
				t.problem(cost, "%s is not PT plus Reserved plus on-demand overflow", r.Cost.Decimal())
			}
			if t.money("savings_usd") != r.Savings() {
				t.problem("savings_usd", "%s is not on-demand minus the plan's cost (%s)", t.str("savings_usd"), r.Savings().Decimal())
			}
			if math.Abs(t.num("savings_pct")-r.SavingsPct()) > 0.005+1e-9 {
				t.problem("savings_pct", "%s is not the saving in percent of on-demand (%.2f)", t.str("savings_pct"), r.SavingsPct())
			}
			if note := noteIn(r.Note, inStrategies); t.str("note") != note {
				t.problem("note", "%q does not word note_code (%q)", t.str("note"), note)
			}
			return r
		},
	}
}
