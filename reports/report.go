package reports

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/sim"
	"github.com/bedrockplan/bedrockplan/workload"
)

// Report is everything a report folder is written from.
type Report struct {
	CommandLine string
	Series      *workload.Series // the demand replayed (gap-free)
	Offer       pricing.Offer
	Analysis    *sim.Analysis
	// Detail is the strategy whose intervals, plan and demand chart the
	// folder holds: the user's plan or the recommendation.
	Detail        string
	DetailResult  *sim.Result
	TimeZone      *time.Location
	Gaps          []workload.Gap
	GapPolicy     workload.GapPolicy
	CatalogueAsOf string
	// Today dates the report; prices older than 90 days then get a
	// warning. Zero skips the check.
	Today time.Time
	// Burst is the burst model the replay used.
	Burst sim.Burst
	// Demand says whether demand is as observed or with throttled
	// requests added back; empty means observed.
	Demand string
	// Risk is the commitment-term analysis, when history allows one;
	// RiskNote says why there is none otherwise.
	Risk     *sim.Risk
	RiskNote string
	// ExistingMU, when set, holds the existing commitments' MUs in
	// service per interval (for schedule.csv).
	ExistingMU []float64
	// Notes are further sentences for the assumptions section.
	Notes []string
}

// Files lists the files Write produces, in order.
func (r *Report) Files() []string {
	files := []string{"summary.md", "strategies.csv", "breakeven.csv"}
	if r.DetailResult != nil {
		files = append(files, "intervals.csv", "plan.yaml", "demand.png")
	}
	if len(r.Analysis.Curve) > 0 {
		files = append(files, "cost_curve.csv", "cost_curve.png")
	}
	if r.Risk != nil {
		files = append(files, "risk.csv", "risk.png")
	}
	if r.Analysis.Optimum != nil {
		files = append(files, "levels.csv", "schedule.csv", "schedule.png")
		if r.DetailResult != nil {
			files = append(files, "load_duration.png")
		}
	}
	return append(files, "costs.png")
}

// Write writes the report's files into f.
func (r *Report) Write(f *Folder) error {
	a := r.Analysis
	if err := f.Write("strategies.csv", func(w io.Writer) error { return WriteStrategies(w, a) }); err != nil {
		return err
	}
	if err := f.Write("breakeven.csv", func(w io.Writer) error { return WriteBreakEven(w, a) }); err != nil {
		return err
	}
	if d := r.detail(); d != nil && r.DetailResult != nil {
		if err := f.Write("intervals.csv", func(w io.Writer) error {
			return WriteIntervals(w, r.Series, r.DetailResult.Intervals, r.TimeZone)
		}); err != nil {
			return err
		}
		if err := f.Write("plan.yaml", func(w io.Writer) error { return WritePlan(w, d.Plan) }); err != nil {
			return err
		}
		png, err := DemandChart(r.Series, r.DetailResult.Intervals, r.Offer.Throughput, TermColor(d.Term), d.Name, r.TimeZone)
		if err != nil {
			return fmt.Errorf("demand.png: %w", err)
		}
		if err := f.WriteBytes("demand.png", png); err != nil {
			return err
		}
	}
	if len(a.Curve) > 0 {
		if err := f.Write("cost_curve.csv", func(w io.Writer) error { return WriteCostCurve(w, a) }); err != nil {
			return err
		}
		png, err := CostCurveChart(a)
		if err != nil {
			return fmt.Errorf("cost_curve.png: %w", err)
		}
		if err := f.WriteBytes("cost_curve.png", png); err != nil {
			return err
		}
	}
	if o := a.Optimum; o != nil {
		if err := f.Write("levels.csv", func(w io.Writer) error { return WriteLevels(w, o) }); err != nil {
			return err
		}
		var existing []float64
		if r.ExistingMU != nil {
			existing = r.ExistingMU
		}
		sch := BuildSchedule(r.Series, o, r.Offer.Throughput, r.TimeZone, existing)
		if err := f.Write("schedule.csv", func(w io.Writer) error { return WriteSchedule(w, sch) }); err != nil {
			return err
		}
		png, err := HeatmapChart(sch, r.TimeZone)
		if err != nil {
			return fmt.Errorf("schedule.png: %w", err)
		}
		if err := f.WriteBytes("schedule.png", png); err != nil {
			return err
		}
		if r.DetailResult != nil {
			term := o.CommittedTerm
			if term == "" {
				term = pricing.TermSixMonths
			}
			png, err := LoadDurationChart(r.Series, r.DetailResult.Intervals, r.Offer.Throughput, o, term, r.TimeZone)
			if err != nil {
				return fmt.Errorf("load_duration.png: %w", err)
			}
			if err := f.WriteBytes("load_duration.png", png); err != nil {
				return err
			}
		}
	}
	if r.Risk != nil {
		if err := f.Write("risk.csv", func(w io.Writer) error { return WriteRisk(w, r.Risk) }); err != nil {
			return err
		}
		png, err := RiskChart(r.Risk)
		if err != nil {
			return fmt.Errorf("risk.png: %w", err)
		}
		if err := f.WriteBytes("risk.png", png); err != nil {
			return err
		}
	}
	png, err := CostChart(a, r.days())
	if err != nil {
		return fmt.Errorf("costs.png: %w", err)
	}
	if err := f.WriteBytes("costs.png", png); err != nil {
		return err
	}
	return f.Write("summary.md", func(w io.Writer) error { return r.writeSummary(w) })
}

func (r *Report) detail() *sim.Strategy {
	if s := r.Analysis.Strategy(r.Detail); s != nil && !s.Skipped {
		return s
	}
	return nil
}

func (r *Report) days() float64 { return r.Series.End().Sub(r.Series.Time(0)).Hours() / 24 }

// Verdict is the report's answer in a few sentences, printed on stdout
// and at the top of summary.md.
func (r *Report) Verdict() string {
	a := r.Analysis
	var b strings.Builder
	od := a.Strategy(sim.StrategyOnDemand)
	days := trim(r.days())
	subject := r.Detail
	if d := r.detail(); d != nil && d.Name == sim.StrategyPlan {
		subject = "your plan"
	}
	if d := r.detail(); d != nil && d.Name != sim.StrategyOnDemand {
		t := d.Totals
		fmt.Fprintf(&b, "%s for %s in %s: %s.\n", capitalise(subject), r.Offer.ModelID, r.Offer.Region, d.Plan.Describe())
		fmt.Fprintf(&b, "Over the %s-day window it costs %s (PT %s + on-demand %s) against %s all on-demand",
			days, t.Total(), t.PTCost, t.ODCost, od.Totals.Total())
		if od.Totals.Total() > 0 {
			fmt.Fprintf(&b, " (%s%% %s)", trim(100*abs(float64(od.Totals.Total()-t.Total()))/float64(od.Totals.Total())), moreOrLess(t.Total(), od.Totals.Total()))
		}
		fmt.Fprintf(&b, "; %s of %s requests throttled (%s%%).\n", SI(t.ThrottledRequests), SI(t.Requests), sig3(100*t.ThrottledShare()))
		if t.CommittedAfterWindow > 0 {
			fmt.Fprintf(&b, "Committed terms run past the window: %s more is owed after it ends.\n", t.CommittedAfterWindow)
		}
	} else {
		fmt.Fprintf(&b, "%s in %s: stay on-demand, %s over the %s-day window", r.Offer.ModelID, r.Offer.Region, od.Totals.Total(), days)
		if t := od.Totals; t.ThrottledRequests > 0 {
			fmt.Fprintf(&b, "; the on-demand quota throttles %s of %s requests (%s%%)", SI(t.ThrottledRequests), SI(t.Requests), sig3(100*t.ThrottledShare()))
		}
		b.WriteString(".\n")
		if rec := a.Strategy(sim.StrategyRecommended); rec != nil && rec.Skipped {
			fmt.Fprintf(&b, "No PT recommendation: %s.\n", rec.Note)
		}
	}
	if rk := r.Risk; rk != nil {
		if six := rk.Row(sim.RiskSixMonths); six != nil && !six.Refused && six.CommittedMU > 0 {
			fmt.Fprintf(&b, "Term risk: over the next six months a 6-month commitment (%d MU) costs more than on-demand in %s%% of %d scenarios",
				six.CommittedMU, trim(math.Round(100*six.CostlierThanOnDemand)), rk.Scenarios)
			if roll := rk.Row(sim.RiskRolling); roll != nil && !roll.Refused && roll.CommittedMU > 0 {
				fmt.Fprintf(&b, ", rolling 1-month commitments (%d MU) in %s%%", roll.CommittedMU, trim(math.Round(100*roll.CostlierThanOnDemand)))
			} else if roll != nil && !roll.Refused {
				b.WriteString("; a 1-month commitment does not pay for this traffic at all")
			}
			fmt.Fprintf(&b, " (migration risk %s%%).\n", trim(100*rk.MigrationRisk))
		} else if six != nil && six.Refused {
			fmt.Fprintf(&b, "Term risk: no 6-month commitment: %s.\n", six.Note)
		}
	}
	if !r.Offer.Throughput.Known() && len(a.BreakEven) > 0 {
		b.WriteString("PT pays off only if one model unit carries at least:")
		for _, be := range a.BreakEven {
			if be.Never {
				fmt.Fprintf(&b, " %s never;", sim.TermLabel(be.Term))
				continue
			}
			fmt.Fprintf(&b, " %s %s tokens/min (%s in + %s out);", sim.TermLabel(be.Term), SI(be.TPM), SI(be.InputTPM), SI(be.OutputTPM))
		}
		b.WriteString(" ask your AWS account team what one model unit carries for this model.\n")
	} else if r.Offer.Throughput.Provenance != pricing.ProvenanceMeasured && r.Offer.Throughput.Known() {
		fmt.Fprintf(&b, "MU throughput is %s (%s in / %s out tokens/min, %s), not measured: check it before buying.\n",
			r.Offer.Throughput.Provenance, SI(r.Offer.Throughput.InputTPM), SI(r.Offer.Throughput.OutputTPM), r.Offer.Throughput.Source)
	}
	for _, w := range a.Warnings {
		fmt.Fprintf(&b, "Warning: %s.\n", w)
	}
	if w := r.staleWarning(); w != "" {
		fmt.Fprintf(&b, "Warning: %s.\n", w)
	}
	return b.String()
}

// staleAfter is how old a price may be before reports warn.
const staleAfter = 90 * 24 * time.Hour

// staleWarning says when the oldest price used is older than 90 days.
func (r *Report) staleWarning() string {
	if r.Today.IsZero() {
		return ""
	}
	prices := []*pricing.Price{r.Offer.OnDemand.InputPer1M, r.Offer.OnDemand.OutputPer1M}
	for _, p := range r.Offer.PT {
		prices = append(prices, &p)
	}
	var oldest time.Time
	for _, p := range prices {
		if p == nil {
			continue
		}
		if t, err := time.Parse(time.DateOnly, p.AsOf); err == nil && (oldest.IsZero() || t.Before(oldest)) {
			oldest = t
		}
	}
	if oldest.IsZero() || r.Today.Sub(oldest) <= staleAfter {
		return ""
	}
	return fmt.Sprintf("some prices used are %d days old (as of %s); refresh them with `bedrockplan pricing update` and --pricing", int(r.Today.Sub(oldest).Hours()/24), oldest.Format(time.DateOnly))
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}

func moreOrLess(a, b pricing.Money) string {
	if a > b {
		return "more"
	}
	return "less"
}

func (r *Report) writeSummary(w io.Writer) error {
	a, o := r.Analysis, r.Offer
	var b strings.Builder
	fmt.Fprintf(&b, "# bedrockplan: %s in %s\n\n", o.ModelID, o.Region)
	fmt.Fprintf(&b, "## Verdict\n\n%s\n", strings.ReplaceAll(r.Verdict(), "\n", "\n\n"))

	b.WriteString("## Assumptions\n\n")
	tp := o.Throughput
	if tp.Known() {
		fmt.Fprintf(&b, "- **MU throughput: %s input and %s output tokens per minute per model unit, %s** (source: %s%s). AWS does not publish this figure.\n",
			pricing.Thousands(int64(tp.InputTPM)), pricing.Thousands(int64(tp.OutputTPM)), strings.ToUpper(string(tp.Provenance)), tp.Source, asOf(tp.AsOf))
	} else {
		b.WriteString("- **MU throughput: unknown.** AWS does not publish it; PT cannot be sized, so the break-even throughput per term is reported instead.\n")
	}
	q := o.Quotas
	quota := func(v *float64, unit string) string {
		if v == nil {
			return unit + " not set (unlimited)"
		}
		return pricing.Thousands(int64(*v)) + " " + unit
	}
	fmt.Fprintf(&b, "- On-demand quotas: %s, %s; each output token counts %s× against the TPM quota", quota(q.RPM, "requests/min"), quota(q.TPM, "tokens/min"), trim(q.Burndown()))
	if q.Source != "" {
		fmt.Fprintf(&b, " (source: %s%s)", q.Source, asOf(q.AsOf))
	}
	b.WriteString(".\n")
	s := r.Series
	demand := r.Demand
	if demand == "" {
		demand = "as given"
	}
	fmt.Fprintf(&b, "- Demand: %s to %s (%s days), %s %s intervals, %s.\n",
		s.Time(0).In(r.TimeZone).Format("2006-01-02 15:04 MST"), s.End().In(r.TimeZone).Format("2006-01-02 15:04 MST"), trim(r.days()), pricing.Thousands(int64(s.Len())), durationWords(s.Period), demand)
	if r.Burst.Source != "" {
		fmt.Fprintf(&b, "- Burst model: %s.", r.Burst.Source)
		if fc := r.Analysis.Flat; fc != nil {
			if rec := r.Analysis.Strategy(sim.StrategyRecommended); rec != nil {
				fmt.Fprintf(&b, " With flat traffic the recommended plan would cost %s instead of %s", fc.RecommendedFlat.Total(), rec.Totals.Total())
				if fc.Plan.Describe() != rec.Plan.Describe() {
					fmt.Fprintf(&b, ", and the optimiser would have chosen %s (%s)", fc.Plan.Describe(), fc.Totals.Total())
				} else {
					b.WriteString("; the optimiser's choice is the same")
				}
				b.WriteString(".")
			}
		}
		b.WriteString("\n")
	} else if s.Period > time.Minute {
		fmt.Fprintf(&b, "- Burst model: none. The data is %s; peaks inside an interval are not modelled, so PT overflow and throttling are understated.\n", s.Period)
	}
	if len(r.Gaps) > 0 {
		missing := 0
		for _, g := range r.Gaps {
			missing += g.Missing
		}
		fmt.Fprintf(&b, "- Data gaps: %d missing intervals in %d gaps, filled with --gaps %s.\n", missing, len(r.Gaps), r.GapPolicy)
	}
	{
		existing := r.Analysis.Existing
		for _, c := range existing {
			end := "runs until deleted"
			if c.Term.Committed() {
				end = "expires " + c.Term.End(c.Start).In(r.TimeZone).Format("2006-01-02 15:04 MST")
				if c.Term.End(c.Start).Before(r.Series.End()) {
					end += ", inside the window: from then on the plan carries the traffic without it"
				} else {
					end += ", after the window"
				}
			}
			fmt.Fprintf(&b, "- Existing commitment: %d MU %s from %s, billed in every strategy; it %s.\n", c.ModelUnits, sim.TermLabel(c.Term),
				c.Start.In(r.TimeZone).Format("2006-01-02 15:04 MST"), end)
		}
	}
	fmt.Fprintf(&b, "- Committed PT is billed every hour of its term inside the window, used or not; no-commitment PT per hour it exists, partial hours rounded up. Costs cover the window only; committed hours after it are shown separately.\n")
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "- %s\n", n)
	}
	b.WriteString("\nPrices used (USD):\n\n| price | value | source | as of |\n|---|---|---|---|\n")
	od := o.OnDemand
	for _, p := range []struct {
		name string
		p    *pricing.Price
	}{{"on-demand input, per 1M tokens", od.InputPer1M}, {"on-demand output, per 1M tokens", od.OutputPer1M},
		{"cache read, per 1M tokens", od.CacheReadPer1M}, {"cache write, per 1M tokens", od.CacheWritePer1M}} {
		if p.p != nil {
			fmt.Fprintf(&b, "| %s | $%s | %s | %s |\n", p.name, usd(p.p.USD), p.p.Source, p.p.AsOf)
		}
	}
	terms := make([]string, 0, len(o.PT))
	for t := range o.PT {
		terms = append(terms, string(t))
	}
	sort.Strings(terms)
	for _, t := range terms {
		p := o.PT[pricing.Term(t)]
		fmt.Fprintf(&b, "| PT %s, per MU-hour | $%s | %s | %s |\n", sim.TermLabel(pricing.Term(t)), usd(p.USD), p.Source, p.AsOf)
	}

	b.WriteString("\n## Strategies\n\nFrom `strategies.csv`; costs over the window.\n\n| strategy | PT | PT cost | on-demand cost | total | vs on-demand | PT utilisation | throttled |\n|---|---|---|---|---|---|---|---|\n")
	var odTotal pricing.Money
	if st := a.Strategy(sim.StrategyOnDemand); st != nil {
		odTotal = st.Totals.Total()
	}
	for _, st := range a.Strategies {
		if st.Skipped {
			fmt.Fprintf(&b, "| %s | – | – | – | – | – | – | %s |\n", st.Name, st.Note)
			continue
		}
		t := st.Totals
		pt := "none"
		if st.CommittedMU > 0 {
			pt = fmt.Sprintf("%d MU %s", st.CommittedMU, sim.TermLabel(st.Term))
		}
		vs := "–"
		if odTotal > 0 {
			vs = signedPct(100 * float64(t.Total()-odTotal) / float64(odTotal))
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %.2f%% | %s |\n", st.Name, pt, t.PTCost, t.ODCost, t.Total(), vs,
			100*t.PTUtilization(), SI(t.ThrottledRequests))
	}
	b.WriteString("\n![Cost by strategy](costs.png)\n")
	if r.detail() != nil && r.DetailResult != nil {
		fmt.Fprintf(&b, "\n## Traffic and capacity\n\nThe %s strategy replayed interval by interval (`intervals.csv`, plan in `plan.yaml`).\n\n![Demand vs PT capacity](demand.png)\n", r.Detail)
	}
	if len(a.Curve) > 0 {
		b.WriteString("\n## Cost curve\n\nTotal cost of holding each number of committed MUs around the clock, without a schedule (`cost_curve.csv`).\n\n![Cost curve](cost_curve.png)\n")
	}
	if o := a.Optimum; o != nil && r.Offer.Throughput.Known() {
		b.WriteString("\n## How the plan was chosen\n\nEach new model unit, stacked on the ones below it, takes less off the on-demand bill than the one before (`levels.csv`), so each is decided on its own: committed when holding it around the clock beats scheduling it hour by hour, scheduled in the hours of the week where it saves more than it costs, otherwise left on-demand.\n\n| MU | layer | saving if committed | committed cost | scheduled hours of week | scheduled saving | scheduled cost |\n|---|---|---|---|---|---|---|\n")
		for _, l := range o.Levels {
			fmt.Fprintf(&b, "| %d | %s | %s | %s | %d | %s | %s |\n", l.MU, l.Layer, pricing.FromUSD(l.Saving), pricing.FromUSD(l.CommittedCost),
				l.ScheduledSlots, pricing.FromUSD(l.ScheduledSaving), pricing.FromUSD(l.ScheduledCost))
		}
		b.WriteString("\n![Load-duration curve](load_duration.png)\n\n![Schedule](schedule.png)\n")
	}
	if len(a.BreakEven) > 0 {
		b.WriteString("\n## Break-even MU throughput\n\nThe tokens per minute one model unit must carry, at this traffic's input/output mix and daily shape, for each term to cost less than on-demand (`breakeven.csv`). The full-use figure is the floor: an MU busy every hour.\n\n| term | price per MU-hour | break-even tokens/min | input | output | full-use floor |\n|---|---|---|---|---|---|\n")
		for _, be := range a.BreakEven {
			if be.Never {
				fmt.Fprintf(&b, "| %s | $%s | never | – | – | %s |\n", sim.TermLabel(be.Term), usd(be.HourlyUSD), pricing.Thousands(int64(be.FullUseTPM+0.5)))
				continue
			}
			fmt.Fprintf(&b, "| %s | $%s | %s | %s | %s | %s |\n", sim.TermLabel(be.Term), usd(be.HourlyUSD),
				pricing.Thousands(int64(be.TPM+0.5)), pricing.Thousands(int64(be.InputTPM+0.5)), pricing.Thousands(int64(be.OutputTPM+0.5)), pricing.Thousands(int64(be.FullUseTPM+0.5)))
		}
	}
	if rk := r.Risk; rk != nil {
		fc := rk.Forecast
		lo, hi := fc.GrowthInterval(0.8)
		mape := "not measured: the backtest needs three weeks of history"
		if !math.IsNaN(fc.MAPE) {
			mape = fmt.Sprintf("%s%% on daily demand, forecasting the last week from the weeks before it", trim(100*fc.MAPE))
		}
		fmt.Fprintf(&b, "\n## Commitment term\n\nForecast from %d hours of history (trend and hour-of-week pattern, least squares on log demand): demand grows %s%% a week (80%% interval %s%% to %s%%); forecast error (MAPE) %s.\n\n",
			fc.Hours, trim(100*fc.WeeklyGrowth()), trim(100*lo), trim(100*hi), mape)
		fmt.Fprintf(&b, "Costs from %s to %s in %d scenarios (growth drawn from its uncertainty, day-to-day noise from the fit, and a %s%% chance the traffic moves to another model at a random time), from `risk.csv`:\n\n",
			rk.Start.Format("2006-01-02"), rk.End.Format("2006-01-02"), rk.Scenarios, trim(100*rk.MigrationRisk))
		b.WriteString("| strategy | buys | expected | P10 | P90 | costs more than on-demand in |\n|---|---|---|---|---|---|\n")
		for _, row := range rk.Rows {
			if row.Refused {
				fmt.Fprintf(&b, "| %s | – | – | – | – | refused: %s |\n", row.Strategy, row.Note)
				continue
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s%% |\n", row.Strategy, row.Note, pricing.FromUSD(row.Expected), pricing.FromUSD(row.P10), pricing.FromUSD(row.P90), trim(100*row.CostlierThanOnDemand))
		}
		b.WriteString("\n![Commitment risk](risk.png)\n")
	} else if r.RiskNote != "" {
		fmt.Fprintf(&b, "\n## Commitment term\n\nNo term-risk analysis: %s.\n", r.RiskNote)
	}
	fmt.Fprintf(&b, "\n## Reproduce\n\n```\n%s\n```\n\nCatalogue as of %s.\n", r.CommandLine, r.CatalogueAsOf)
	_, err := io.WriteString(w, b.String())
	return err
}

// usd formats a unit price: at least two decimals, more when the price
// has them ($0.035).
func usd(v float64) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if i := strings.IndexByte(s, '.'); i < 0 {
		return s + ".00"
	} else if len(s)-i == 2 {
		return s + "0"
	}
	return s
}

// signedPct formats a change in percent with its sign; zero has none.
func signedPct(v float64) string {
	if math.Abs(v) < 0.005 {
		return "0.00%"
	}
	return fmt.Sprintf("%+.2f%%", v)
}

func asOf(d string) string {
	if d == "" {
		return ""
	}
	return ", " + d
}
