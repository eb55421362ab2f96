package reports

import (
	"encoding/csv"
	"io"
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
	"billed_mu_hours", "committed_after_window_usd", "note"}

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
			row[0], row[len(row)-1] = s.Name, s.Note
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
		if err := cw.Write([]string{s.Name, string(s.Term), strconv.Itoa(s.CommittedMU), fixed(t.ScheduledMUHoursBilled, 2),
			t.PTCost.Decimal(), t.ODCost.Decimal(), t.Total().Decimal(), savings,
			fixed(100*t.PTUtilization(), 2), fixed(100*t.ServedByPT(), 2), fixed(t.ThrottledRequests, 3),
			fixed(100*t.ThrottledShare(), 4), fixed(t.Requests, 3), fixed(t.MUHoursBilled, 2),
			t.CommittedAfterWindow.Decimal(), s.Note}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// IntervalColumns are the columns of intervals.csv.
var IntervalColumns = []string{"timestamp", "local_time", "period_s", "requests", "input_tokens", "output_tokens",
	"pt_mu", "pt_share_pct", "pt_requests", "pt_input_tokens", "pt_output_tokens",
	"on_demand_requests", "on_demand_input_tokens", "on_demand_output_tokens", "throttled_requests",
	"provisioned_cost_usd", "on_demand_cost_usd", "total_cost_usd"}

// WriteIntervals writes intervals.csv: the replay of one plan, interval by
// interval. Its cost columns add up exactly to the plan's totals.
func WriteIntervals(w io.Writer, s *workload.Series, iv *sim.Intervals, loc *time.Location) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(IntervalColumns); err != nil {
		return err
	}
	period := strconv.FormatInt(int64(s.Period/time.Second), 10)
	row := make([]string, len(IntervalColumns))
	for i := range s.Start {
		t := s.Time(i)
		row = append(row[:0], t.Format(time.RFC3339), t.In(loc).Format(time.RFC3339), period,
			fixed(s.Invocations[i], 3), fixed(s.InputTokens[i], 3), fixed(s.OutputTokens[i], 3),
			fixed(iv.MU[i], 4), fixed(100*iv.PTShare[i], 4),
			fixed(iv.PTRequests[i], 3), fixed(iv.PTInput[i], 3), fixed(iv.PTOutput[i], 3),
			fixed(iv.ODRequests[i], 3), fixed(iv.ODInput[i], 3), fixed(iv.ODOutput[i], 3),
			fixed(iv.Throttled[i], 3),
			iv.PTCost[i].Decimal(), iv.ODCost[i].Decimal(), (iv.PTCost[i] + iv.ODCost[i]).Decimal())
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
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
	"breakeven_mu_input_tokens_per_min", "breakeven_mu_output_tokens_per_min", "full_use_breakeven_tokens_per_min", "breaks_even"}

// WriteBreakEven writes breakeven.csv: per term, the throughput one MU
// must carry at this traffic's mix for PT to cost less than on-demand.
func WriteBreakEven(w io.Writer, a *sim.Analysis) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(BreakEvenColumns); err != nil {
		return err
	}
	for _, b := range a.BreakEven {
		row := []string{string(b.Term), fixed(b.HourlyUSD, 2), "", "", "", fixed(b.FullUseTPM, 0), "never"}
		if !b.Never {
			row[2], row[3], row[4], row[6] = fixed(b.TPM, 0), fixed(b.InputTPM, 0), fixed(b.OutputTPM, 0), "yes"
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func fixed(v float64, decimals int) string { return strconv.FormatFloat(v, 'f', decimals, 64) }
