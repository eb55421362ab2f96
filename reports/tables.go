package reports

import (
	"math"
	"strconv"
	"time"

	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/sim"
	"github.com/bedrockplan/bedrockplan/workload"
)

// The declarations of a report folder's CSV files (intervals.csv, which
// is large and written as a stream, is declared in intervals.go), with
// their rows and how the rows are made from the sim results.

// StrategyRow is a line of strategies.csv: one strategy; a skipped one
// keeps its name and, in Note, the reason, its figures empty.
type StrategyRow struct {
	Strategy      string
	CommittedTerm pricing.Term
	Skipped       bool
	CommittedMU   int
	// ScheduledMUHours are the billed hours of scheduled no-commitment PT.
	ScheduledMUHours             float64
	PTCost, ODCost               pricing.Money
	SavingsPct                   *float64 // nil: no on-demand figure to compare with
	PTUtilizationPct             float64
	ServedByPTPct                float64
	ThrottledRequests            float64
	ThrottledPct                 float64
	Requests, BilledMUHours      float64
	CommittedAfterWindow         pricing.Money
	ReservedTerm                 pricing.Term // empty: no Reserved layer
	ReservedInputTPM             float64
	ReservedOutputTPM            float64
	ReservedInputKTPMMonths      float64
	ReservedOutputKTPMMonths     float64
	ReservedCost                 pricing.Money
	ServedByReservedPct          float64
	ReservedInputUtilizationPct  float64
	ReservedOutputUtilizationPct float64
	ReservedAfterWindow          pricing.Money
	RenewingPerMonth             pricing.Money
	// Note words Fact in English, as the file holds it; Fact is what
	// the row buys or why it was skipped (note_code), from which any
	// language words it again. A fact read from a file has no plan.
	Note string
	Fact sim.Note
}

// Total is PT plus Reserved plus on-demand: total_cost_usd.
func (s StrategyRow) Total() pricing.Money { return s.PTCost + s.ReservedCost + s.ODCost }

var strategiesTable = &table[StrategyRow]{
	name: "strategies.csv",
	columns: []string{"strategy", "committed_term", "committed_mu", "scheduled_mu_hours",
		"provisioned_cost_usd", "on_demand_cost_usd", "total_cost_usd", "savings_vs_on_demand_pct",
		"pt_utilization_pct", "served_by_pt_pct", "throttled_requests", "throttled_pct", "requests",
		"billed_mu_hours", "committed_after_window_usd",
		"reserved_term", "reserved_input_tpm", "reserved_output_tpm", "reserved_input_ktpm_months", "reserved_output_ktpm_months",
		"reserved_cost_usd", "served_by_reserved_pct", "reserved_input_utilization_pct", "reserved_output_utilization_pct",
		"reserved_after_window_usd", "renewing_per_month_usd", "note", "note_code"},
	write: func(s StrategyRow) []string {
		if s.Skipped {
			row := make([]string, 28)
			row[0], row[1], row[26], row[27] = s.Strategy, string(s.CommittedTerm), s.Note, noteCode(s.Fact)
			return row
		}
		var resIn, resOut string
		if s.ReservedTerm != "" {
			resIn, resOut = fixed(s.ReservedInputTPM, 0), fixed(s.ReservedOutputTPM, 0)
		}
		return []string{s.Strategy, string(s.CommittedTerm), strconv.Itoa(s.CommittedMU), fixed(s.ScheduledMUHours, 2),
			s.PTCost.Decimal(), s.ODCost.Decimal(), s.Total().Decimal(), optFixed(s.SavingsPct, 2),
			fixed(s.PTUtilizationPct, 2), fixed(s.ServedByPTPct, 2), fixed(s.ThrottledRequests, 3),
			fixed(s.ThrottledPct, 4), fixed(s.Requests, 3), fixed(s.BilledMUHours, 2),
			s.CommittedAfterWindow.Decimal(),
			string(s.ReservedTerm), resIn, resOut, exact(s.ReservedInputKTPMMonths), exact(s.ReservedOutputKTPMMonths),
			s.ReservedCost.Decimal(), fixed(s.ServedByReservedPct, 2), fixed(s.ReservedInputUtilizationPct, 2), fixed(s.ReservedOutputUtilizationPct, 2),
			s.ReservedAfterWindow.Decimal(), s.RenewingPerMonth.Decimal(), s.Note, noteCode(s.Fact)}
	},
	read: func(r *record) StrategyRow {
		s := StrategyRow{Strategy: r.str("strategy"), CommittedTerm: pricing.Term(r.str("committed_term")), Note: r.str("note"), Fact: r.note("note_code")}
		if r.str("total_cost_usd") == "" {
			s.Skipped = true
			return s
		}
		s.CommittedMU, s.ScheduledMUHours = r.int("committed_mu"), r.num("scheduled_mu_hours")
		s.PTCost, s.ODCost, s.SavingsPct = r.money("provisioned_cost_usd"), r.money("on_demand_cost_usd"), r.optNum("savings_vs_on_demand_pct")
		s.PTUtilizationPct, s.ServedByPTPct = r.num("pt_utilization_pct"), r.num("served_by_pt_pct")
		s.ThrottledRequests, s.ThrottledPct, s.Requests = r.num("throttled_requests"), r.num("throttled_pct"), r.num("requests")
		s.BilledMUHours, s.CommittedAfterWindow = r.num("billed_mu_hours"), r.money("committed_after_window_usd")
		s.ReservedTerm = pricing.Term(r.str("reserved_term"))
		s.ReservedInputTPM, s.ReservedOutputTPM = r.num("reserved_input_tpm"), r.num("reserved_output_tpm")
		s.ReservedInputKTPMMonths, s.ReservedOutputKTPMMonths = r.num("reserved_input_ktpm_months"), r.num("reserved_output_ktpm_months")
		s.ReservedCost, s.ServedByReservedPct = r.money("reserved_cost_usd"), r.num("served_by_reserved_pct")
		s.ReservedInputUtilizationPct, s.ReservedOutputUtilizationPct = r.num("reserved_input_utilization_pct"), r.num("reserved_output_utilization_pct")
		s.ReservedAfterWindow, s.RenewingPerMonth = r.money("reserved_after_window_usd"), r.money("renewing_per_month_usd")
		if total := r.money("total_cost_usd"); total != s.Total() {
			r.problem("total_cost_usd", "%s is not PT plus Reserved plus on-demand cost (%s)", r.str("total_cost_usd"), s.Total().Decimal())
		}
		return s
	},
}

// strategyRows are the strategies of a as strategies.csv holds them.
func strategyRows(a *sim.Analysis) []StrategyRow {
	var od pricing.Money
	if s := a.Strategy(sim.StrategyOnDemand); s != nil {
		od = s.Totals.Total()
	}
	rows := []StrategyRow{}
	for _, s := range a.Strategies {
		if s.Skipped {
			rows = append(rows, StrategyRow{Strategy: s.Name, Skipped: true, Note: noteIn(s.Note, inStrategies), Fact: s.Note})
			continue
		}
		t := s.Totals
		row := StrategyRow{Strategy: s.Name, CommittedTerm: s.Term, CommittedMU: s.CommittedMU, ScheduledMUHours: t.ScheduledMUHoursBilled,
			PTCost: t.PTCost, ODCost: t.ODCost, PTUtilizationPct: 100 * t.PTUtilization(), ServedByPTPct: 100 * t.ServedByPT(),
			ThrottledRequests: t.ThrottledRequests, ThrottledPct: 100 * t.ThrottledShare(), Requests: t.Requests, BilledMUHours: t.MUHoursBilled,
			CommittedAfterWindow: t.CommittedAfterWindow, ReservedInputKTPMMonths: t.ResInputKTPMMonths, ReservedOutputKTPMMonths: t.ResOutputKTPMMonths,
			ReservedCost: t.ResCost, ServedByReservedPct: 100 * t.ServedByReserved(), ReservedAfterWindow: t.ReservedAfterWindow,
			RenewingPerMonth: t.RenewingPerMonth, Note: noteIn(s.Note, inStrategies), Fact: s.Note}
		if od > 0 {
			v := 100 * float64(od-t.Total()) / float64(od)
			row.SavingsPct = &v
		}
		if r := s.Reserve; r != nil {
			row.ReservedTerm, row.ReservedInputTPM, row.ReservedOutputTPM = r.Term, r.InputTPM, r.OutputTPM
		}
		uIn, uOut := t.ReservedUtilization()
		row.ReservedInputUtilizationPct, row.ReservedOutputUtilizationPct = 100*uIn, 100*uOut
		rows = append(rows, row)
	}
	return rows
}

// CurveRow is a line of cost_curve.csv: the cost of holding MU
// committed model units of a term around the clock.
type CurveRow struct {
	Term              pricing.Term
	MU                int
	PTCost, ODCost    pricing.Money
	ThrottledRequests float64
	PTUtilizationPct  float64
	Chosen            bool // the recommendation's point
}

// Total is total_cost_usd.
func (c CurveRow) Total() pricing.Money { return c.PTCost + c.ODCost }

var curveTable = &table[CurveRow]{
	name:    "cost_curve.csv",
	columns: []string{"term", "committed_mu", "provisioned_cost_usd", "on_demand_cost_usd", "total_cost_usd", "throttled_requests", "pt_utilization_pct", "chosen"},
	write: func(c CurveRow) []string {
		return []string{string(c.Term), strconv.Itoa(c.MU), c.PTCost.Decimal(), c.ODCost.Decimal(), c.Total().Decimal(),
			fixed(c.ThrottledRequests, 3), fixed(c.PTUtilizationPct, 2), strconv.FormatBool(c.Chosen)}
	},
	read: func(r *record) CurveRow {
		c := CurveRow{Term: pricing.Term(r.str("term")), MU: r.int("committed_mu"), PTCost: r.money("provisioned_cost_usd"), ODCost: r.money("on_demand_cost_usd"),
			ThrottledRequests: r.num("throttled_requests"), PTUtilizationPct: r.num("pt_utilization_pct"), Chosen: r.bool("chosen")}
		if r.money("total_cost_usd") != c.Total() {
			r.problem("total_cost_usd", "%s is not PT plus on-demand cost (%s)", r.str("total_cost_usd"), c.Total().Decimal())
		}
		return c
	},
}

func curveRows(a *sim.Analysis) []CurveRow {
	rows := []CurveRow{}
	for i, c := range a.Curve {
		t := c.Totals
		rows = append(rows, CurveRow{Term: c.Term, MU: c.MU, PTCost: t.PTCost, ODCost: t.ODCost, ThrottledRequests: t.ThrottledRequests,
			PTUtilizationPct: 100 * t.PTUtilization(), Chosen: i == a.Chosen})
	}
	return rows
}

// BreakEvenRow is a line of breakeven.csv: the throughput one MU must
// carry, at this traffic's mix, for a term to cost less than on-demand.
type BreakEvenRow struct {
	Term                     pricing.Term
	HourlyUSD                float64
	Never                    bool // the TPM figures are then empty
	TPM, InputTPM, OutputTPM float64
	FullUseTPM               float64
	UtilizationPct           float64 // 0: unknown throughput
}

var breakEvenTable = &table[BreakEvenRow]{
	name: "breakeven.csv",
	columns: []string{"term", "pt_price_per_mu_hour_usd", "breakeven_mu_tokens_per_min",
		"breakeven_mu_input_tokens_per_min", "breakeven_mu_output_tokens_per_min", "full_use_breakeven_tokens_per_min", "breaks_even",
		"breakeven_utilization_pct"},
	write: func(b BreakEvenRow) []string {
		row := []string{string(b.Term), fixed(b.HourlyUSD, 2), "", "", "", fixed(b.FullUseTPM, 0), "never", ""}
		if !b.Never {
			row[2], row[3], row[4], row[6] = fixed(b.TPM, 0), fixed(b.InputTPM, 0), fixed(b.OutputTPM, 0), "yes"
		}
		if b.UtilizationPct > 0 {
			row[7] = fixed(b.UtilizationPct, 2)
		}
		return row
	},
	read: func(r *record) BreakEvenRow {
		return BreakEvenRow{Term: pricing.Term(r.str("term")), HourlyUSD: r.num("pt_price_per_mu_hour_usd"),
			TPM: r.num("breakeven_mu_tokens_per_min"), InputTPM: r.num("breakeven_mu_input_tokens_per_min"),
			OutputTPM: r.num("breakeven_mu_output_tokens_per_min"), FullUseTPM: r.num("full_use_breakeven_tokens_per_min"),
			Never: r.str("breaks_even") == "never", UtilizationPct: r.num("breakeven_utilization_pct")}
	},
}

func breakEvenRows(a *sim.Analysis) []BreakEvenRow {
	rows := []BreakEvenRow{}
	for _, b := range a.BreakEven {
		rows = append(rows, BreakEvenRow{Term: b.Term, HourlyUSD: b.HourlyUSD, Never: b.Never, TPM: b.TPM, InputTPM: b.InputTPM, OutputTPM: b.OutputTPM,
			FullUseTPM: b.FullUseTPM, UtilizationPct: 100 * b.Utilization})
	}
	return rows
}

// ReservedBreakEvenRow is a line of reserved_breakeven.csv: the first
// gives the highest Reserved prices (per 1K TPM-month, input and output
// in the ratio of the on-demand prices) at which a reservation still
// pays, with the reservation that breaks even (BreaksEven "yes" or
// "never"); each further line a Reserved term the catalogue prices, with
// its prices (Term set).
type ReservedBreakEvenRow struct {
	BreaksEven                      string
	InputPrice, OutputPrice         float64
	InputTPM, OutputTPM             float64
	Term                            pricing.Term
	TermInputPrice, TermOutputPrice float64
}

var reservedBreakEvenTable = &table[ReservedBreakEvenRow]{
	name: "reserved_breakeven.csv",
	columns: []string{"breakeven_input_price_per_1k_tpm_month_usd", "breakeven_output_price_per_1k_tpm_month_usd",
		"breakeven_reserved_input_tpm", "breakeven_reserved_output_tpm", "breaks_even", "term",
		"input_price_per_1k_tpm_month_usd", "output_price_per_1k_tpm_month_usd"},
	write: func(b ReservedBreakEvenRow) []string {
		switch {
		case b.Term != "":
			return []string{"", "", "", "", "", string(b.Term), exact(b.TermInputPrice), exact(b.TermOutputPrice)}
		case b.BreaksEven == "never":
			return []string{"", "", "", "", "never", "", "", ""}
		}
		return []string{exact(b.InputPrice), exact(b.OutputPrice), fixed(b.InputTPM, 0), fixed(b.OutputTPM, 0), "yes", "", "", ""}
	},
	read: func(r *record) ReservedBreakEvenRow {
		return ReservedBreakEvenRow{BreaksEven: r.str("breaks_even"),
			InputPrice: r.num("breakeven_input_price_per_1k_tpm_month_usd"), OutputPrice: r.num("breakeven_output_price_per_1k_tpm_month_usd"),
			InputTPM: r.num("breakeven_reserved_input_tpm"), OutputTPM: r.num("breakeven_reserved_output_tpm"), Term: pricing.Term(r.str("term")),
			TermInputPrice: r.num("input_price_per_1k_tpm_month_usd"), TermOutputPrice: r.num("output_price_per_1k_tpm_month_usd")}
	},
}

func reservedBreakEvenRows(be *sim.ReservedBreakEven, o pricing.Offer) []ReservedBreakEvenRow {
	first := ReservedBreakEvenRow{BreaksEven: "never"}
	if !be.Never {
		first = ReservedBreakEvenRow{BreaksEven: "yes", InputPrice: be.InputPer1KTPMMonth, OutputPrice: be.OutputPer1KTPMMonth, InputTPM: be.InputTPM, OutputTPM: be.OutputTPM}
	}
	rows := []ReservedBreakEvenRow{first}
	for _, t := range o.ReservedTerms() {
		pin, pout, _ := o.ReservedPrice(t)
		rows = append(rows, ReservedBreakEvenRow{Term: t, TermInputPrice: pin * 1000, TermOutputPrice: pout * 1000})
	}
	return rows
}

// levels.csv: for each new model unit stacked on what exists, what it
// takes off the on-demand bill held around the clock and what that costs
// committed, how many hour-of-week slots hold it when scheduled and what
// that saves and costs, and the layer chosen. Savings never grow from one
// level to the next (the load-duration curve), which is why the choice
// can be made level by level. Its rows are the optimiser's levels.
var levelsTable = &table[sim.Level]{
	name: "levels.csv",
	columns: []string{"mu_level", "layer", "saving_if_committed_usd", "committed_cost_usd", "scheduled_slots",
		"scheduled_saving_usd", "scheduled_cost_usd"},
	write: func(l sim.Level) []string {
		return []string{strconv.Itoa(l.MU), l.Layer, fixed(l.Saving, 6), fixed(l.CommittedCost, 6),
			strconv.Itoa(l.ScheduledSlots), fixed(l.ScheduledSaving, 6), fixed(l.ScheduledCost, 6)}
	},
	read: func(r *record) sim.Level {
		return sim.Level{MU: r.int("mu_level"), Layer: r.str("layer"), Saving: r.num("saving_if_committed_usd"),
			CommittedCost: r.num("committed_cost_usd"), ScheduledSlots: r.int("scheduled_slots"),
			ScheduledSaving: r.num("scheduled_saving_usd"), ScheduledCost: r.num("scheduled_cost_usd")}
	},
}

// ScheduleRow is a line of schedule.csv: an hour of the week in the
// plan's zone (Slot, Sunday 00:00 = 0), the MUs in service in it by
// layer, and the demand in MUs (what the intervals of that hour would
// need to be carried in full: mean and peak).
type ScheduleRow struct {
	Slot                   int
	Existing               float64
	Committed, Scheduled   int
	MeanDemand, PeakDemand float64
}

var scheduleTable = &table[ScheduleRow]{
	name:    "schedule.csv",
	columns: []string{"day", "hour", "slot", "existing_mu", "committed_mu", "scheduled_mu", "total_mu", "mean_demand_mu", "peak_demand_mu"},
	write: func(r ScheduleRow) []string {
		return []string{time.Weekday(r.Slot / 24).String()[:3], strconv.Itoa(r.Slot % 24), strconv.Itoa(r.Slot),
			fixed(r.Existing, 2), strconv.Itoa(r.Committed), strconv.Itoa(r.Scheduled), fixed(r.Existing+float64(r.Committed+r.Scheduled), 2),
			fixed(r.MeanDemand, 3), fixed(r.PeakDemand, 3)}
	},
	read: func(r *record) ScheduleRow {
		s := ScheduleRow{Slot: r.int("slot"), Existing: r.num("existing_mu"), Committed: r.int("committed_mu"), Scheduled: r.int("scheduled_mu"),
			MeanDemand: r.num("mean_demand_mu"), PeakDemand: r.num("peak_demand_mu")}
		if s.Slot >= 0 && s.Slot < sim.Slots {
			if day := time.Weekday(s.Slot / 24).String()[:3]; r.str("day") != day {
				r.problem("day", "%q is not the day of slot %d (%s)", r.str("day"), s.Slot, day)
			}
			if r.int("hour") != s.Slot%24 {
				r.problem("hour", "%s is not the hour of slot %d (%d)", r.str("hour"), s.Slot, s.Slot%24)
			}
		} else {
			r.problem("slot", "%d is not an hour of the week (0 to %d)", s.Slot, sim.Slots-1)
		}
		if total := s.Existing + float64(s.Committed+s.Scheduled); math.Abs(r.num("total_mu")-total) > 0.005+1e-9 {
			r.problem("total_mu", "%s is not existing plus committed plus scheduled MUs (%.2f)", r.str("total_mu"), total)
		}
		return s
	},
}

// scheduleRows lays the optimum and the demand over the week: a row per
// hour of the week in loc.
func scheduleRows(s *workload.Series, o *sim.Optimum, tp pricing.Throughput, loc *time.Location, existing []float64) []ScheduleRow {
	rows := make([]ScheduleRow, sim.Slots)
	count := make([]int, sim.Slots)
	needs := sim.SeriesMUNeeded(s, tp)
	for i := range s.Start {
		sl := sim.SlotOf(s.Time(i), loc)
		need := needs[i]
		r := &rows[sl]
		r.MeanDemand += need
		r.PeakDemand = max(r.PeakDemand, need)
		if existing != nil {
			r.Existing += existing[i]
		}
		count[sl]++
	}
	for sl := range rows {
		r := &rows[sl]
		r.Slot = sl
		if count[sl] > 0 {
			r.MeanDemand /= float64(count[sl])
			r.Existing /= float64(count[sl])
		}
		if o != nil {
			r.Committed, r.Scheduled = o.CommittedMU, o.Scheduled[sl]
		}
	}
	return rows
}

// RiskRow is a line of risk.csv: the cost of a way to pay over the six
// months after the history, across the Monte Carlo scenarios. The
// horizon, scenarios and migration risk are the analysis's, on every
// line.
type RiskRow struct {
	Strategy          string
	Term              pricing.Term
	CommittedMU       int
	Scheduled         bool
	ReservedTerm      pricing.Term // empty: no Reserved layer
	ReservedInputTPM  float64
	ReservedOutputTPM float64
	// Refused rows are not priced (their costs empty): Note says why.
	Refused                  bool
	Expected, P10, P90       float64
	CostlierPct              float64
	Scenarios                int
	HorizonStart, HorizonEnd time.Time
	MigrationRiskPct         float64
	// Note words Fact in English, as the file holds it (see
	// StrategyRow).
	Note string
	Fact sim.Note
}

var riskTable = &table[RiskRow]{
	name: "risk.csv",
	columns: []string{"strategy", "term", "committed_mu", "scheduled", "reserved_term", "reserved_input_tpm", "reserved_output_tpm",
		"expected_cost_usd", "p10_cost_usd", "p90_cost_usd",
		"costlier_than_on_demand_pct", "scenarios", "horizon_start", "horizon_end", "migration_risk_pct", "note", "note_code"},
	write: func(r RiskRow) []string {
		var resIn, resOut string
		if r.ReservedTerm != "" {
			resIn, resOut = fixed(r.ReservedInputTPM, 0), fixed(r.ReservedOutputTPM, 0)
		}
		rec := []string{r.Strategy, string(r.Term), strconv.Itoa(r.CommittedMU), strconv.FormatBool(r.Scheduled), string(r.ReservedTerm), resIn, resOut, "", "", "", "",
			strconv.Itoa(r.Scenarios), rfc3339(r.HorizonStart), rfc3339(r.HorizonEnd), fixed(r.MigrationRiskPct, 2), r.Note, noteCode(r.Fact)}
		if !r.Refused {
			rec[7], rec[8], rec[9], rec[10] = fixed(r.Expected, 2), fixed(r.P10, 2), fixed(r.P90, 2), fixed(r.CostlierPct, 1)
		}
		return rec
	},
	read: func(r *record) RiskRow {
		return RiskRow{Strategy: r.str("strategy"), Term: pricing.Term(r.str("term")), CommittedMU: r.int("committed_mu"), Scheduled: r.bool("scheduled"),
			ReservedTerm: pricing.Term(r.str("reserved_term")), ReservedInputTPM: r.num("reserved_input_tpm"), ReservedOutputTPM: r.num("reserved_output_tpm"),
			Refused: r.str("expected_cost_usd") == "", Expected: r.num("expected_cost_usd"), P10: r.num("p10_cost_usd"), P90: r.num("p90_cost_usd"),
			CostlierPct: r.num("costlier_than_on_demand_pct"), Scenarios: r.int("scenarios"), HorizonStart: r.time("horizon_start"),
			HorizonEnd: r.time("horizon_end"), MigrationRiskPct: r.num("migration_risk_pct"), Note: r.str("note"), Fact: r.note("note_code")}
	},
}

func riskRows(rk *sim.Risk) []RiskRow {
	rows := []RiskRow{}
	for _, row := range rk.Rows {
		r := RiskRow{Strategy: row.Strategy, Term: row.Term, CommittedMU: row.CommittedMU, Scheduled: row.Scheduled, Refused: row.Refused,
			Scenarios: rk.Scenarios, HorizonStart: rk.Start, HorizonEnd: rk.End, MigrationRiskPct: 100 * rk.MigrationRisk, Note: noteIn(row.Note, inRisk), Fact: row.Note}
		if rs := row.Reserve; rs != nil {
			r.ReservedTerm, r.ReservedInputTPM, r.ReservedOutputTPM = rs.Term, rs.InputTPM, rs.OutputTPM
		}
		if !row.Refused {
			r.Expected, r.P10, r.P90, r.CostlierPct = row.Expected, row.P10, row.P90, 100*row.CostlierThanOnDemand
		}
		rows = append(rows, r)
	}
	return rows
}

// commitments.csv: the purchase order of the plan, one row per
// commitment (a reservation is two: input and output TPM), each dated
// from when it would be bought. contract_value_usd is quantity ×
// unit_price_usd × units_in_term. Its rows are the plan's purchases.
var commitmentsTable = &table[sim.Purchase]{
	name: "commitments.csv",
	columns: []string{"model_id", "region", "product", "term", "quantity", "unit", "start", "end",
		"unit_price_usd", "units_in_term", "contract_value_usd", "at_term_end"},
	write: func(p sim.Purchase) []string {
		return []string{p.ModelID, p.Region, p.Product, string(p.Term), exact(p.Quantity), p.Unit,
			rfc3339(p.Start), rfc3339(p.End), exact(p.UnitPrice), exact(p.Units),
			pricing.FromUSD(p.ContractValue()).Decimal(), string(p.AtTermEnd)}
	},
	read: func(r *record) sim.Purchase {
		p := sim.Purchase{ModelID: r.str("model_id"), Region: r.str("region"), Product: r.str("product"), Term: pricing.Term(r.str("term")),
			Quantity: r.num("quantity"), Unit: r.str("unit"), Start: r.time("start"), End: r.time("end"),
			UnitPrice: r.num("unit_price_usd"), Units: r.num("units_in_term"), AtTermEnd: sim.TermEnd(r.str("at_term_end"))}
		if v := r.money("contract_value_usd"); v != pricing.FromUSD(p.ContractValue()) {
			r.problem("contract_value_usd", "%s is not quantity × unit price × units in the term (%s)", v.Decimal(), pricing.FromUSD(p.ContractValue()).Decimal())
		}
		return p
	},
}

// SensitivityRow is a line of sensitivity.csv: the plan's cost if one
// model unit carries ThroughputPct of the throughput assumed, and (on
// every line) the throughputs beyond which the optimiser would buy other
// commitments (nil: none between 25% and 400%).
type SensitivityRow struct {
	ThroughputPct                float64
	InputTPM, OutputTPM          float64
	PTCost, ReservedCost, ODCost pricing.Money
	ThrottledRequests            float64
	BelowPct, AbovePct           *float64
}

// Total is total_cost_usd.
func (s SensitivityRow) Total() pricing.Money { return s.PTCost + s.ReservedCost + s.ODCost }

var sensitivityTable = &table[SensitivityRow]{
	name: "sensitivity.csv",
	columns: []string{"throughput_pct", "mu_input_tpm", "mu_output_tpm", "provisioned_cost_usd", "reserved_cost_usd",
		"on_demand_cost_usd", "total_cost_usd", "throttled_requests", "commitments_change_below_pct", "commitments_change_above_pct"},
	write: func(s SensitivityRow) []string {
		return []string{fixed(s.ThroughputPct, 0), exact(s.InputTPM), exact(s.OutputTPM), s.PTCost.Decimal(), s.ReservedCost.Decimal(),
			s.ODCost.Decimal(), s.Total().Decimal(), fixed(s.ThrottledRequests, 3), optFixed(s.BelowPct, 0), optFixed(s.AbovePct, 0)}
	},
	read: func(r *record) SensitivityRow {
		s := SensitivityRow{ThroughputPct: r.num("throughput_pct"), InputTPM: r.num("mu_input_tpm"), OutputTPM: r.num("mu_output_tpm"),
			PTCost: r.money("provisioned_cost_usd"), ReservedCost: r.money("reserved_cost_usd"), ODCost: r.money("on_demand_cost_usd"),
			ThrottledRequests: r.num("throttled_requests"), BelowPct: r.optNum("commitments_change_below_pct"), AbovePct: r.optNum("commitments_change_above_pct")}
		if r.money("total_cost_usd") != s.Total() {
			r.problem("total_cost_usd", "%s is not PT plus Reserved plus on-demand cost", r.str("total_cost_usd"))
		}
		return s
	},
}

func sensitivityRows(s *sim.Sensitivity) []SensitivityRow {
	pct := func(v float64) *float64 {
		if v == 0 {
			return nil
		}
		v *= 100
		return &v
	}
	rows := []SensitivityRow{}
	for _, r := range s.Rows {
		t := r.Totals
		rows = append(rows, SensitivityRow{ThroughputPct: 100 * r.Scale, InputTPM: r.InputTPM, OutputTPM: r.OutputTPM, PTCost: t.PTCost, ReservedCost: t.ResCost,
			ODCost: t.ODCost, ThrottledRequests: t.ThrottledRequests, BelowPct: pct(s.Below), AbovePct: pct(s.Above)})
	}
	return rows
}

// cashflow.csv: the plan's bill month by month from the purchase,
// against staying on-demand. The plan's columns are its capacity (known)
// plus its on-demand overflow (forecast); means add up across months,
// percentiles do not. Its rows are the cash flow's months; the sums it
// states are sums of the figures it prints (to the cent), and read
// checks them.
var cashFlowTable = &table[sim.CashFlowMonth]{
	name: "cashflow.csv",
	columns: []string{"month", "start", "end", "pt_committed_usd", "pt_no_commit_usd", "reserved_usd", "renewals_usd", "existing_usd", "capacity_usd",
		"on_demand_overflow_mean_usd", "on_demand_overflow_p10_usd", "on_demand_overflow_p50_usd", "on_demand_overflow_p90_usd",
		"plan_mean_usd", "plan_p50_usd", "stay_as_is_mean_usd", "stay_as_is_p10_usd", "stay_as_is_p50_usd", "stay_as_is_p90_usd", "savings_mean_usd"},
	write: func(m sim.CashFlowMonth) []string {
		c := func(v float64) string { return fixed(v, 2) }
		capacity := capacityCents(m)
		return []string{m.Start.Format("2006-01"), rfc3339(m.Start), rfc3339(m.End),
			c(m.Committed), c(m.NoCommit), c(m.Reserved), c(m.Renewals), c(m.Existing), c(capacity),
			c(m.Overflow.Mean), c(m.Overflow.P10), c(m.Overflow.P50), c(m.Overflow.P90),
			c(capacity + cents(m.Overflow.Mean)), c(capacity + cents(m.Overflow.P50)),
			c(m.Stay.Mean), c(m.Stay.P10), c(m.Stay.P50), c(m.Stay.P90),
			c(cents(m.Stay.Mean) - capacity - cents(m.Overflow.Mean))}
	},
	read: func(r *record) sim.CashFlowMonth {
		m := sim.CashFlowMonth{Start: r.time("start"), End: r.time("end"),
			Committed: r.num("pt_committed_usd"), NoCommit: r.num("pt_no_commit_usd"), Reserved: r.num("reserved_usd"), Renewals: r.num("renewals_usd"), Existing: r.num("existing_usd"),
			Overflow: sim.Spread{Mean: r.num("on_demand_overflow_mean_usd"), P10: r.num("on_demand_overflow_p10_usd"), P50: r.num("on_demand_overflow_p50_usd"), P90: r.num("on_demand_overflow_p90_usd")},
			Stay:     sim.Spread{Mean: r.num("stay_as_is_mean_usd"), P10: r.num("stay_as_is_p10_usd"), P50: r.num("stay_as_is_p50_usd"), P90: r.num("stay_as_is_p90_usd")}}
		if month := m.Start.Format("2006-01"); r.str("month") != month {
			r.problem("month", "%q is not the month of start (%s)", r.str("month"), month)
		}
		for _, c := range []struct {
			col  string
			want float64
		}{{"capacity_usd", m.Capacity()}, {"plan_mean_usd", m.Capacity() + m.Overflow.Mean}, {"plan_p50_usd", m.Capacity() + m.Overflow.P50},
			{"savings_mean_usd", m.Stay.Mean - m.Capacity() - m.Overflow.Mean}} {
			if math.Abs(r.num(c.col)-c.want) > 0.005 {
				r.problem(c.col, "%s is not the sum of its parts (%.2f)", r.str(c.col), c.want)
			}
		}
		return m
	},
}

// cents rounds to the cent, so that the sums cashflow.csv states are
// sums of the figures it prints.
func cents(v float64) float64 { return math.Round(v*100) / 100 }

// capacityCents is a month's capacity as cashflow.csv states it: the
// sum of its parts, each rounded to the cent.
func capacityCents(m sim.CashFlowMonth) float64 {
	return cents(m.Committed) + cents(m.NoCommit) + cents(m.Reserved) + cents(m.Renewals) + cents(m.Existing)
}

// AssumptionRow is a line of assumptions.csv: a fact the summaries
// state that no other file of the folder holds (fields that repeat, like
// note or input_file, keep their order).
type AssumptionRow struct{ Field, Value string }

var assumptionsTable = &table[AssumptionRow]{
	name:    "assumptions.csv",
	columns: []string{"field", "value"},
	write:   func(a AssumptionRow) []string { return []string{a.Field, a.Value} },
	read:    func(r *record) AssumptionRow { return AssumptionRow{r.str("field"), r.str("value")} },
}

// BuysCapacity says whether the strategy bills PT or Reserved capacity.
func (s StrategyRow) BuysCapacity() bool {
	return s.BilledMUHours > 0 || s.ReservedInputKTPMMonths > 0 || s.ReservedOutputKTPMMonths > 0
}
