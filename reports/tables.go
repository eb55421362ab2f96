package reports

import (
	"encoding/csv"
	"io"
	"math"
	"strconv"
	"time"

	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/sim"
	"github.com/bedrockplan/bedrockplan/workload"
)

// StrategyColumns are the columns of strategies.csv.
var StrategyColumns = []string{"strategy", "committed_term", "committed_mu", "scheduled_mu_hours",
	"provisioned_cost_usd", "on_demand_cost_usd", "total_cost_usd", "savings_vs_on_demand_pct",
	"pt_utilization_pct", "served_by_pt_pct", "throttled_requests", "throttled_pct", "requests",
	"billed_mu_hours", "committed_after_window_usd",
	"reserved_term", "reserved_input_tpm", "reserved_output_tpm", "reserved_input_ktpm_months", "reserved_output_ktpm_months",
	"reserved_cost_usd", "served_by_reserved_pct", "reserved_input_utilization_pct", "reserved_output_utilization_pct",
	"reserved_after_window_usd", "renewing_per_month_usd", "note", "note_code"}

// WriteStrategies writes strategies.csv: one row per strategy; skipped
// strategies keep their row, with empty figures and the reason in note.
func WriteStrategies(w io.Writer, a *sim.Analysis) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(StrategyColumns); err != nil {
		return err
	}
	var od pricing.Money
	if s := a.Strategy(sim.StrategyOnDemand); s != nil {
		od = s.Totals.Total()
	}
	for _, s := range a.Strategies {
		if s.Skipped {
			row := make([]string, len(StrategyColumns))
			row[0], row[len(row)-2], row[len(row)-1] = s.Name, noteIn(s.Note, inStrategies), noteCode(s.Note)
			if err := cw.Write(row); err != nil {
				return err
			}
			continue
		}
		t := s.Totals
		savings := ""
		if od > 0 {
			savings = fixed(100*float64(od-t.Total())/float64(od), 2)
		}
		var resTerm, resIn, resOut string
		if r := s.Reserve; r != nil {
			resTerm, resIn, resOut = string(r.Term), fixed(r.InputTPM, 0), fixed(r.OutputTPM, 0)
		}
		uIn, uOut := t.ReservedUtilization()
		if err := cw.Write([]string{s.Name, string(s.Term), strconv.Itoa(s.CommittedMU), fixed(t.ScheduledMUHoursBilled, 2),
			t.PTCost.Decimal(), t.ODCost.Decimal(), t.Total().Decimal(), savings,
			fixed(100*t.PTUtilization(), 2), fixed(100*t.ServedByPT(), 2), fixed(t.ThrottledRequests, 3),
			fixed(100*t.ThrottledShare(), 4), fixed(t.Requests, 3), fixed(t.MUHoursBilled, 2),
			t.CommittedAfterWindow.Decimal(),
			resTerm, resIn, resOut, exact(t.ResInputKTPMMonths), exact(t.ResOutputKTPMMonths),
			t.ResCost.Decimal(), fixed(100*t.ServedByReserved(), 2), fixed(100*uIn, 2), fixed(100*uOut, 2),
			t.ReservedAfterWindow.Decimal(), t.RenewingPerMonth.Decimal(), noteIn(s.Note, inStrategies), noteCode(s.Note)}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// IntervalColumns are the columns of intervals.csv for a plan without
// Reserved capacity.
var IntervalColumns = intervalColumns(false)

// IntervalReservedColumns are the columns of intervals.csv for a plan
// that reserves: the Reserved layer's capacity, what it served and its
// bill come before the PT columns, in the order the layers serve.
var IntervalReservedColumns = intervalColumns(true)

func intervalColumns(reserved bool) []string {
	cols := []string{"timestamp", "local_time", "period_s", "requests", "input_tokens", "output_tokens"}
	if reserved {
		cols = append(cols, "reserved_input_tpm", "reserved_output_tpm", "reserved_share_pct", "reserved_requests",
			"reserved_input_tokens", "reserved_output_tokens")
	}
	cols = append(cols, "pt_mu", "pt_share_pct", "pt_requests", "pt_input_tokens", "pt_output_tokens",
		"on_demand_requests", "on_demand_input_tokens", "on_demand_output_tokens", "throttled_requests")
	if reserved {
		cols = append(cols, "reserved_cost_usd")
	}
	return append(cols, "provisioned_cost_usd", "on_demand_cost_usd", "total_cost_usd")
}

// WriteIntervals writes intervals.csv: the replay of one plan, interval by
// interval. Its cost columns add up exactly to the plan's totals. The
// Reserved columns are there when the plan reserves.
func WriteIntervals(w io.Writer, s *workload.Series, iv *sim.Intervals, loc *time.Location) error {
	_, err := writeIntervalRows(w, &intervalRows{s: s, iv: iv}, loc, false)
	return err
}

// CurveColumns are the columns of cost_curve.csv.
var CurveColumns = []string{"term", "committed_mu", "provisioned_cost_usd", "on_demand_cost_usd", "total_cost_usd",
	"throttled_requests", "pt_utilization_pct", "chosen"}

// WriteCostCurve writes cost_curve.csv: the total cost of holding each
// number of committed MUs for each term; chosen marks the recommendation.
func WriteCostCurve(w io.Writer, a *sim.Analysis) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CurveColumns); err != nil {
		return err
	}
	for i, c := range a.Curve {
		chosen := i == a.Chosen
		t := c.Totals
		if err := cw.Write([]string{string(c.Term), strconv.Itoa(c.MU), t.PTCost.Decimal(), t.ODCost.Decimal(), t.Total().Decimal(),
			fixed(t.ThrottledRequests, 3), fixed(100*t.PTUtilization(), 2), strconv.FormatBool(chosen)}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// BreakEvenColumns are the columns of breakeven.csv.
var BreakEvenColumns = []string{"term", "pt_price_per_mu_hour_usd", "breakeven_mu_tokens_per_min",
	"breakeven_mu_input_tokens_per_min", "breakeven_mu_output_tokens_per_min", "full_use_breakeven_tokens_per_min", "breaks_even",
	"breakeven_utilization_pct"}

// WriteBreakEven writes breakeven.csv: per term, the throughput one MU
// must carry at this traffic's mix for PT to cost less than on-demand.
func WriteBreakEven(w io.Writer, a *sim.Analysis) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(BreakEvenColumns); err != nil {
		return err
	}
	for _, b := range a.BreakEven {
		row := []string{string(b.Term), fixed(b.HourlyUSD, 2), "", "", "", fixed(b.FullUseTPM, 0), "never", ""}
		if !b.Never {
			row[2], row[3], row[4], row[6] = fixed(b.TPM, 0), fixed(b.InputTPM, 0), fixed(b.OutputTPM, 0), "yes"
		}
		if b.Utilization > 0 {
			row[7] = fixed(100*b.Utilization, 2)
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func fixed(v float64, decimals int) string { return strconv.FormatFloat(v, 'f', decimals, 64) }

// ReservedBreakEvenColumns are the columns of reserved_breakeven.csv.
var ReservedBreakEvenColumns = []string{"breakeven_input_price_per_1k_tpm_month_usd", "breakeven_output_price_per_1k_tpm_month_usd",
	"breakeven_reserved_input_tpm", "breakeven_reserved_output_tpm", "breaks_even", "term",
	"input_price_per_1k_tpm_month_usd", "output_price_per_1k_tpm_month_usd"}

// WriteReservedBreakEven writes reserved_breakeven.csv: the highest
// Reserved prices (per 1K TPM-month, input and output in the ratio of the
// on-demand prices) at which a reservation still pays for this traffic,
// with the reservation that breaks even, then one row per Reserved term
// the catalogue prices, with its prices, to compare.
func WriteReservedBreakEven(w io.Writer, be *sim.ReservedBreakEven, o pricing.Offer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(ReservedBreakEvenColumns); err != nil {
		return err
	}
	row := []string{"", "", "", "", "never", "", "", ""}
	if !be.Never {
		row = []string{exact(be.InputPer1KTPMMonth), exact(be.OutputPer1KTPMMonth), fixed(be.InputTPM, 0), fixed(be.OutputTPM, 0), "yes", "", "", ""}
	}
	rows := [][]string{row}
	for _, t := range o.ReservedTerms() {
		pin, pout, _ := o.ReservedPrice(t)
		rows = append(rows, []string{"", "", "", "", "", string(t), exact(pin * 1000), exact(pout * 1000)})
	}
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	return cw.Error()
}

// LevelColumns are the columns of levels.csv.
var LevelColumns = []string{"mu_level", "layer", "saving_if_committed_usd", "committed_cost_usd", "scheduled_slots",
	"scheduled_saving_usd", "scheduled_cost_usd"}

// WriteLevels writes levels.csv: for each new model unit stacked on what
// exists, what it takes off the on-demand bill held around the clock and
// what that costs committed, how many hour-of-week slots hold it when
// scheduled and what that saves and costs, and the layer chosen. Savings
// never grow from one level to the next (the load-duration curve), which
// is why the choice can be made level by level.
func WriteLevels(w io.Writer, o *sim.Optimum) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(LevelColumns); err != nil {
		return err
	}
	if o != nil {
		for _, l := range o.Levels {
			if err := cw.Write([]string{strconv.Itoa(l.MU), l.Layer, fixed(l.Saving, 6), fixed(l.CommittedCost, 6),
				strconv.Itoa(l.ScheduledSlots), fixed(l.ScheduledSaving, 6), fixed(l.ScheduledCost, 6)}); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// ScheduleColumns are the columns of schedule.csv.
var ScheduleColumns = []string{"day", "hour", "slot", "existing_mu", "committed_mu", "scheduled_mu", "total_mu",
	"mean_demand_mu", "peak_demand_mu"}

// WriteSchedule writes schedule.csv: for every hour of the week in the
// plan's zone, the MUs in service by layer and the demand in MUs (what
// the intervals of that hour would need to be carried in full: mean and
// peak).
func WriteSchedule(w io.Writer, sched Schedule) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(ScheduleColumns); err != nil {
		return err
	}
	for sl := range sim.Slots {
		r := sched[sl]
		if err := cw.Write([]string{time.Weekday(sl / 24).String()[:3], strconv.Itoa(sl % 24), strconv.Itoa(sl),
			fixed(r.Existing, 2), strconv.Itoa(r.Committed), strconv.Itoa(r.Scheduled), fixed(r.Existing+float64(r.Committed+r.Scheduled), 2),
			fixed(r.MeanDemand, 3), fixed(r.PeakDemand, 3)}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// SlotRow is one hour of the week: MUs by layer and demand in MUs.
type SlotRow struct {
	Existing               float64
	Committed, Scheduled   int
	MeanDemand, PeakDemand float64
	Intervals              int
}

// Schedule is the week, slot by slot (Sunday 00:00 = 0).
type Schedule [sim.Slots]SlotRow

// BuildSchedule lays the optimum and the demand over the week.
func BuildSchedule(s *workload.Series, o *sim.Optimum, tp pricing.Throughput, loc *time.Location, existing []float64) Schedule {
	var sch Schedule
	needs := sim.SeriesMUNeeded(s, tp)
	for i := range s.Start {
		sl := sim.SlotOf(s.Time(i), loc)
		need := needs[i]
		r := &sch[sl]
		r.MeanDemand += need
		r.PeakDemand = max(r.PeakDemand, need)
		if existing != nil {
			r.Existing += existing[i]
		}
		r.Intervals++
	}
	for sl := range sch {
		r := &sch[sl]
		if r.Intervals > 0 {
			r.MeanDemand /= float64(r.Intervals)
			r.Existing /= float64(r.Intervals)
		}
		if o != nil {
			r.Committed, r.Scheduled = o.CommittedMU, o.Scheduled[sl]
		}
	}
	return sch
}

// RiskColumns are the columns of risk.csv.
var RiskColumns = []string{"strategy", "term", "committed_mu", "scheduled", "reserved_term", "reserved_input_tpm", "reserved_output_tpm",
	"expected_cost_usd", "p10_cost_usd", "p90_cost_usd",
	"costlier_than_on_demand_pct", "scenarios", "horizon_start", "horizon_end", "migration_risk_pct", "note", "note_code"}

// WriteRisk writes risk.csv: the cost over the six months after the
// history of each way to pay, across the Monte Carlo scenarios.
func WriteRisk(w io.Writer, r *sim.Risk) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(RiskColumns); err != nil {
		return err
	}
	for _, row := range r.Rows {
		var resTerm, resIn, resOut string
		if rs := row.Reserve; rs != nil {
			resTerm, resIn, resOut = string(rs.Term), fixed(rs.InputTPM, 0), fixed(rs.OutputTPM, 0)
		}
		rec := []string{row.Strategy, string(row.Term), strconv.Itoa(row.CommittedMU), strconv.FormatBool(row.Scheduled), resTerm, resIn, resOut, "", "", "", "",
			strconv.Itoa(r.Scenarios), r.Start.UTC().Format(time.RFC3339), r.End.UTC().Format(time.RFC3339), fixed(100*r.MigrationRisk, 2), noteIn(row.Note, inRisk), noteCode(row.Note)}
		if !row.Refused {
			rec[7], rec[8], rec[9], rec[10] = fixed(row.Expected, 2), fixed(row.P10, 2), fixed(row.P90, 2), fixed(100*row.CostlierThanOnDemand, 1)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// CommitmentColumns are the columns of commitments.csv.
var CommitmentColumns = []string{"model_id", "region", "product", "term", "quantity", "unit", "start", "end",
	"unit_price_usd", "units_in_term", "contract_value_usd", "at_term_end"}

// WriteCommitments writes commitments.csv: the purchase order of the
// plan, one row per commitment (a reservation is two: input and output
// TPM), each dated from when it would be bought. contract_value_usd is
// quantity × unit_price_usd × units_in_term.
func WriteCommitments(w io.Writer, ps []sim.Purchase) error {
	cw := csv.NewWriter(w)
	rows := [][]string{CommitmentColumns}
	for _, p := range ps {
		rows = append(rows, []string{p.ModelID, p.Region, p.Product, string(p.Term), exact(p.Quantity), p.Unit,
			p.Start.UTC().Format(time.RFC3339), p.End.UTC().Format(time.RFC3339), exact(p.UnitPrice), exact(p.Units),
			pricing.FromUSD(p.ContractValue()).Decimal(), string(p.AtTermEnd)})
	}
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	return cw.Error()
}

// SensitivityColumns are the columns of sensitivity.csv.
var SensitivityColumns = []string{"throughput_pct", "mu_input_tpm", "mu_output_tpm", "provisioned_cost_usd", "reserved_cost_usd",
	"on_demand_cost_usd", "total_cost_usd", "throttled_requests", "commitments_change_below_pct", "commitments_change_above_pct"}

// WriteSensitivity writes sensitivity.csv: the plan's cost if one model
// unit carries 50%, 75%, 100%, 125% or 150% of the throughput assumed,
// and (on every row) the throughputs beyond which the optimiser would
// buy other commitments (empty: none between 25% and 400%).
func WriteSensitivity(w io.Writer, s *sim.Sensitivity) error {
	cw := csv.NewWriter(w)
	rows := [][]string{SensitivityColumns}
	pct := func(v float64) string {
		if v == 0 {
			return ""
		}
		return fixed(100*v, 0)
	}
	for _, r := range s.Rows {
		t := r.Totals
		rows = append(rows, []string{fixed(100*r.Scale, 0), exact(r.InputTPM), exact(r.OutputTPM), t.PTCost.Decimal(), t.ResCost.Decimal(),
			t.ODCost.Decimal(), t.Total().Decimal(), fixed(t.ThrottledRequests, 3), pct(s.Below), pct(s.Above)})
	}
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	return cw.Error()
}

// CashFlowColumns are the columns of cashflow.csv.
var CashFlowColumns = []string{"month", "start", "end", "pt_committed_usd", "pt_no_commit_usd", "reserved_usd", "renewals_usd", "capacity_usd",
	"on_demand_overflow_mean_usd", "on_demand_overflow_p10_usd", "on_demand_overflow_p50_usd", "on_demand_overflow_p90_usd",
	"plan_mean_usd", "plan_p50_usd", "stay_on_demand_mean_usd", "stay_on_demand_p10_usd", "stay_on_demand_p50_usd", "stay_on_demand_p90_usd", "savings_mean_usd"}

// WriteCashFlow writes cashflow.csv: the plan's bill month by month from
// the purchase, against staying on-demand. The plan's columns are its
// capacity (known) plus its on-demand overflow (forecast); means add up
// across months, percentiles do not.
func WriteCashFlow(w io.Writer, months []sim.CashFlowMonth) error {
	cw := csv.NewWriter(w)
	rows := [][]string{CashFlowColumns}
	c := func(v float64) string { return fixed(v, 2) }
	for _, m := range months {
		capacity := cents(m.Committed) + cents(m.NoCommit) + cents(m.Reserved) + cents(m.Renewals)
		rows = append(rows, []string{m.Start.Format("2006-01"), m.Start.UTC().Format(time.RFC3339), m.End.UTC().Format(time.RFC3339),
			c(m.Committed), c(m.NoCommit), c(m.Reserved), c(m.Renewals), c(capacity),
			c(m.Overflow.Mean), c(m.Overflow.P10), c(m.Overflow.P50), c(m.Overflow.P90),
			c(capacity + cents(m.Overflow.Mean)), c(capacity + cents(m.Overflow.P50)),
			c(m.OnDemand.Mean), c(m.OnDemand.P10), c(m.OnDemand.P50), c(m.OnDemand.P90),
			c(cents(m.OnDemand.Mean) - capacity - cents(m.Overflow.Mean))})
	}
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	return cw.Error()
}

// cents rounds to the cent, so that the sums cashflow.csv states are
// sums of the figures it prints.
func cents(v float64) float64 { return math.Round(v*100) / 100 }
