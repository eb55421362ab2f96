package reports

import (
	"math"
	"slices"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/sim"
)

// costChartFile is costs.png, drawn from strategies.csv.
var costChartFile = chartFile{"costs.png", func(r *Report) func() ([]byte, error) {
	noCommit := r.Offer.PT[pricing.TermNone].USD
	return func() ([]byte, error) {
		return CostChart(r.data.strategies, r.Detail, r.window(), noCommit, r.chartText())
	}
}}

// costChartTitle states the cost chart's finding: the strategy the
// report is about (the user's plan in simulate, the recommendation
// otherwise) against on-demand when it buys capacity, else the cheapest
// strategy. The verdict speaks of the same strategy, so the title names
// it as the verdict does.
func costChartTitle(rows []StrategyRow, detail string, window time.Duration, ct ChartText) string {
	span := ct.lang.span(window, false)
	var priced []*StrategyRow
	var best, d, od *StrategyRow
	for i := range rows {
		s := &rows[i]
		switch s.Strategy {
		case detail:
			d = s
		case sim.StrategyOnDemand:
			od = s
		}
		if !s.Skipped {
			priced = append(priced, s)
			if best == nil || s.Total() < best.Total() {
				best = s
			}
		}
	}
	if best == nil {
		return ct.tr("Cost over %s: no strategy could be priced", "%sの費用：試算できた戦略はありません", span)
	}
	switch {
	case len(priced) == 1:
		return ct.tr("Cost over %s: only %s could be priced (%s)", "%sの費用：試算できたのは %s のみ（%s）", span, ct.strategy(best.Strategy), best.Total())
	case d != nil && !d.Skipped && d.Strategy != sim.StrategyOnDemand && d.BuysCapacity() && od != nil && od.Total() > 0:
		subject := ct.tr("recommended", "推奨")
		if d.Strategy == sim.StrategyPlan {
			subject = ct.tr("your plan", "指定プラン")
		}
		diff := float64(d.Total()-od.Total()) / float64(od.Total())
		return ct.tr("Cost over %s: %s %s, %s%% %s than on-demand", "%sの費用：%sは %s で、オンデマンドより %s%% %s", span, subject, d.Total(), sig3(100*math.Abs(diff)),
			map[bool]string{true: ct.tr("more", "高い"), false: ct.tr("less", "安い")}[diff > 0])
	}
	return ct.tr("Cost by strategy over %s: %s is cheapest at %s", "%sの戦略別費用：最安は %s（%s）", span, ct.strategy(best.Strategy), best.Total())
}

// CostChart draws total cost per strategy, stacked Reserved, PT (in its
// term's colour) and on-demand, with the total above each bar.
//
// Scheduled no-commitment PT (billed per hour at noCommitHourly) is its
// own segment in the no-commit colour, apart from the committed PT of the
// strategy's term: a report must not show an hourly block as committed.
func CostChart(rows []StrategyRow, detail string, window time.Duration, noCommitHourly float64, ct ChartText) ([]byte, error) {
	p, _, err := costPlot(rows, detail, window, noCommitHourly, ct)
	if err != nil {
		return nil, err
	}
	return encodePNG(p)
}

// costBar is one strategy's bar of the cost chart.
type costBar struct {
	name  string
	total pricing.Money
	// segs bottom up: Reserved, committed PT, scheduled PT, on-demand.
	segs [4]costSegment
}

// costSegment is a part of a bar: USD in a legend entry's colour.
type costSegment struct {
	legendEntry
	usd float64
}

// costBars lays out the cost chart: a bar for each priced strategy, and
// the legend, an entry for each colour some bar shows.
func costBars(rows []StrategyRow, noCommitHourly float64, ct ChartText) ([]costBar, []legendEntry) {
	reserved := legendEntry{ct.tr("Reserved", "予約"), ColorReserved}
	scheduled := legendEntry{ct.tr("PT no-commit, scheduled", "PT コミットなし（時間帯指定）"), ColorNoCommit}
	onDemand := legendEntry{ct.tr("on-demand", "オンデマンド"), ColorOnDemand}
	pt := func(t pricing.Term) legendEntry { return legendEntry{"PT " + ct.lang.term(t), TermColor(t)} }
	var bars []costBar
	for _, s := range rows {
		if s.Skipped {
			continue
		}
		sched := math.Min(s.ScheduledMUHours*noCommitHourly, s.PTCost.USD())
		term := s.CommittedTerm
		if term == "" {
			term = pricing.TermNone
		}
		bars = append(bars, costBar{name: ct.strategy(s.Strategy), total: s.Total(), segs: [4]costSegment{
			{reserved, s.ReservedCost.USD()},
			{pt(term), s.PTCost.USD() - sched},
			{scheduled, sched},
			{onDemand, s.ODCost.USD()},
		}})
	}
	var legend []legendEntry
	for _, e := range []legendEntry{reserved, pt(pricing.TermSixMonths), pt(pricing.TermOneMonth), pt(pricing.TermNone), scheduled, onDemand} {
		shown := false
		for _, b := range bars {
			for _, sg := range b.segs {
				shown = shown || sg.label == e.label && sg.usd > 0
			}
		}
		// No-commit PT, held or scheduled, is billed the same way and
		// drawn in one colour: one entry.
		if shown && !(e == scheduled && slices.Contains(legend, pt(pricing.TermNone))) {
			legend = append(legend, e)
		}
	}
	return bars, legend
}

// costPlot draws the cost chart and returns its legend.
func costPlot(rows []StrategyRow, detail string, window time.Duration, noCommitHourly float64, ct ChartText) (*plot.Plot, []legendEntry, error) {
	bars, legend := costBars(rows, noCommitHourly, ct)
	var names, labels []string
	var top float64
	for _, b := range bars {
		names = append(names, b.name)
		labels = append(labels, b.total.String())
		top = math.Max(top, b.total.USD())
	}
	p := newPlot(ct, costChartTitle(rows, detail, window, ct), "", ct.tr("cost (USD)", "費用（米ドル）"))
	p.Y.Tick.Marker = dollarTicks{}
	p.Y.Min, p.Y.Max = 0, math.Max(1, top*1.3)
	w := vg.Points(60)
	xys := make(plotter.XYs, len(bars))
	// One bar chart per strategy so each PT bar takes its term's colour.
	for i, b := range bars {
		one := func(v float64) plotter.Values {
			vals := make(plotter.Values, len(bars))
			vals[i] = v
			return vals
		}
		// Segments bottom up, each stacked on the one below.
		var below *plotter.BarChart
		var sum float64
		for _, seg := range b.segs {
			bar, err := plotter.NewBarChart(one(seg.usd), w)
			if err != nil {
				return nil, nil, err
			}
			bar.Color, bar.LineStyle.Width = seg.col, 0
			if below != nil {
				bar.StackOn(below)
			}
			p.Add(bar)
			below = bar
			sum += seg.usd
		}
		xys[i] = plotter.XY{X: float64(i), Y: sum + top*0.02}
	}
	lab, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: labels})
	if err != nil {
		return nil, nil, err
	}
	for i := range lab.TextStyle {
		lab.TextStyle[i].XAlign = draw.XCenter
		lab.TextStyle[i].Font.Size = vg.Points(11)
		ct.style(&lab.TextStyle[i])
	}
	p.Add(lab)
	nominalBarsX(p, names)
	// The legend lists top down, as the segments stack.
	for i := len(legend) - 1; i >= 0; i-- {
		p.Legend.Add(legend[i].label, swatchOf(legend[i].col))
	}
	return p, legend, nil
}
