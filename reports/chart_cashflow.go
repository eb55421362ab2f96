package reports

import (
	"image/color"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/bedrockplan/bedrockplan/sim"
)

// colorStay is staying on-demand, the baseline a budget is set against.
var colorStay = color.RGBA{0xB0, 0xB0, 0xB0, 0xFF}

// colorExisting is the commitments already owned: billed in the plan and
// in staying as it is alike, so neutral.
var colorExisting = color.RGBA{0x55, 0x55, 0x55, 0xFF}

// cashFlowChartFile is cashflow.png, drawn from cashflow.csv.
var cashFlowChartFile = chartFile{"cashflow.png", func(r *Report) func() ([]byte, error) {
	if r.data.cashFlow == nil {
		return nil
	}
	return func() ([]byte, error) { return CashFlowChart(r.data.cashFlow, r.chartText(), false) }
}}

// CashFlowChart draws each month's bill: the plan's capacity by product
// with its forecast on-demand overflow (median, whisker P10 to P90)
// stacked on top, beside staying on-demand (median, P10 to P90). A plan
// that holds no capacity is its on-demand alone, one bar a month. An
// account's on-demand (account) holds all the traffic of the series
// nothing was bought for, not only overflow.
//
// months are cashflow.csv's rows: sim.CashFlowMonth is the row type of
// its declaration (cashFlowTable), as a report's or an account's folder
// holds it, not the sim results.
func CashFlowChart(months []sim.CashFlowMonth, ct ChartText, account bool) ([]byte, error) {
	p, _, err := cashFlowPlot(months, ct, account)
	if err != nil {
		return nil, err
	}
	return encodePNG(p)
}

// cashFlowPlot draws the cash-flow chart; legend is its legend's
// labels, top down.
func cashFlowPlot(months []sim.CashFlowMonth, ct ChartText, account bool) (p *plot.Plot, legend []string, err error) {
	n := len(months)
	col := func(f func(sim.CashFlowMonth) float64) plotter.Values {
		v := make(plotter.Values, n)
		for i, m := range months {
			v[i] = f(m)
		}
		return v
	}
	if !slices.ContainsFunc(months, func(m sim.CashFlowMonth) bool { return m.Capacity() > 0 }) {
		return onDemandCashFlowPlot(months, ct, col(func(m sim.CashFlowMonth) float64 { return m.Overflow.P50 }), account)
	}
	var top float64
	for _, m := range months {
		top = math.Max(top, math.Max(m.Capacity()+m.Overflow.P90, m.Stay.P90))
	}
	owned := slices.ContainsFunc(months, func(m sim.CashFlowMonth) bool { return m.Existing > 0 })
	overflowLabel := ct.tr("on-demand overflow (median; P10–P90)", "オンデマンド溢れ（中央値、P10〜P90）")
	if account {
		// An account's medians and P10-P90 are the series' added up.
		overflowLabel = ct.tr("on-demand: overflow, or all of a series with nothing bought (series' medians; P10–P90, added)", "オンデマンド：溢れ分、何も買わない系列は全量（各系列の中央値、P10〜P90 の合計）")
	}
	title := ct.tr("Cash flow by month: the plan against staying on-demand", "月ごとの支払い：プランとオンデマンドのままの比較")
	if owned {
		title = ct.tr("Cash flow by month: the plan against buying nothing", "月ごとの支払い：プランと何も買わない場合の比較")
	}
	p = newCashFlowPlot(ct, title, top)
	w := vg.Points(math.Min(36, 480/float64(max(n, 1))))
	var below *plotter.BarChart
	var entries []legendEntry
	for _, seg := range []struct {
		v     plotter.Values
		c     color.Color
		label string
	}{
		{col(func(m sim.CashFlowMonth) float64 { return m.Existing }), colorExisting, ct.tr("existing commitments", "既存のコミット")},
		{col(func(m sim.CashFlowMonth) float64 { return m.Reserved }), ColorReserved, ct.tr("Reserved", "予約")},
		{col(func(m sim.CashFlowMonth) float64 { return m.Committed }), ColorSixMonths, ct.tr("PT committed", "PT コミット")},
		{col(func(m sim.CashFlowMonth) float64 { return m.Renewals }), ColorOneMonth, ct.tr("renewals", "更新分")},
		{col(func(m sim.CashFlowMonth) float64 { return m.NoCommit }), ColorNoCommit, ct.tr("PT no-commit", "PT コミットなし")},
		{col(func(m sim.CashFlowMonth) float64 { return m.Overflow.P50 }), ColorOnDemand, overflowLabel},
	} {
		bar, err := plotter.NewBarChart(seg.v, w)
		if err != nil {
			return nil, nil, err
		}
		bar.Color, bar.LineStyle.Width, bar.Offset = seg.c, 0, -w/2
		if below != nil {
			bar.StackOn(below)
		}
		p.Add(bar)
		below = bar
		if slices.Max(seg.v) > 0 {
			entries = append(entries, legendEntry{seg.label, seg.c})
		}
	}
	// The legend lists top down, as the segments stack.
	for i := len(entries) - 1; i >= 0; i-- {
		p.Legend.Add(entries[i].label, swatchOf(entries[i].col))
		legend = append(legend, entries[i].label)
	}
	stay, err := plotter.NewBarChart(col(func(m sim.CashFlowMonth) float64 { return m.Stay.P50 }), w)
	if err != nil {
		return nil, nil, err
	}
	stay.Color, stay.LineStyle.Width, stay.Offset = colorStay, 0, w/2
	p.Add(stay)
	stayLabel := ct.tr("staying on-demand (median; P10–P90)", "オンデマンドのまま（中央値、P10〜P90）")
	if owned {
		stayLabel = ct.tr("buying nothing (median; P10–P90)", "何も買わない場合（中央値、P10〜P90）")
	}
	if account {
		stayLabel = ct.tr("staying on-demand (series' medians; P10–P90, added)", "オンデマンドのまま（各系列の中央値、P10〜P90 の合計）")
		if owned {
			stayLabel = ct.tr("buying nothing (series' medians; P10–P90, added)", "何も買わない場合（各系列の中央値、P10〜P90 の合計）")
		}
	}
	p.Legend.Add(stayLabel, swatchOf(colorStay))
	legend = append(legend, stayLabel)
	// Whiskers from P10 to P90 at the bars' centres: the bars are offset
	// in points, the whiskers placed in data units, at about the points
	// one month takes on the x axis (the width less the y axis's labels).
	dx := float64(w) / 2 / ((float64(chartWidth) - float64(vg.Inch)*1.3) / float64(n))
	for i, m := range months {
		for _, wk := range []struct {
			x, lo, hi float64
		}{{float64(i) - dx, m.Capacity() + m.Overflow.P10, m.Capacity() + m.Overflow.P90}, {float64(i) + dx, m.Stay.P10, m.Stay.P90}} {
			if err := addWhisker(p, wk.x, wk.lo, wk.hi); err != nil {
				return nil, nil, err
			}
		}
	}
	nameMonths(p, months, ct)
	return p, legend, nil
}

// newCashFlowPlot starts a cash-flow chart: dollars billed in the month
// up from zero to a quarter above top, the highest P90 it draws, so the
// whiskers clear the legend. The range is set before any bar is added:
// Add only widens it.
func newCashFlowPlot(ct ChartText, title string, top float64) *plot.Plot {
	p := newPlot(ct, title, "", ct.tr("billed in the month (USD)", "月の請求額（米ドル）"))
	p.Y.Tick.Marker = dollarTicks{}
	p.Y.Min, p.Y.Max = 0, math.Max(1, top*1.25)
	return p
}

// nameMonths names the months along x, under their bars.
func nameMonths(p *plot.Plot, months []sim.CashFlowMonth, ct ChartText) {
	names := make([]string, len(months))
	for i, m := range months {
		names[i] = ct.month(m.Start)
	}
	nominalBarsX(p, names)
}

// addWhisker draws a month's P10 to P90 at x; nothing when they are one.
func addWhisker(p *plot.Plot, x, lo, hi float64) error {
	if hi <= lo {
		return nil
	}
	l, err := plotter.NewLine(plotter.XYs{{X: x, Y: lo}, {X: x, Y: hi}})
	if err != nil {
		return err
	}
	l.Color, l.Width = colorCapacity, vg.Points(1.5)
	p.Add(l)
	return nil
}

// onDemandCashFlowPlot draws the months of a plan that holds no
// capacity: its forecast on-demand, which is staying on-demand itself,
// one bar a month (median, whisker P10 to P90).
func onDemandCashFlowPlot(months []sim.CashFlowMonth, ct ChartText, medians plotter.Values, account bool) (*plot.Plot, []string, error) {
	var top float64
	for _, m := range months {
		top = math.Max(top, m.Overflow.P90)
	}
	p := newCashFlowPlot(ct, ct.tr("Cash flow by month: on-demand, forecast (nothing is bought)", "月ごとの支払い：オンデマンドの予測（購入なし）"), top)
	n := len(months)
	bar, err := plotter.NewBarChart(medians, vg.Points(math.Min(48, 600/float64(max(n, 1)))))
	if err != nil {
		return nil, nil, err
	}
	bar.Color, bar.LineStyle.Width = ColorOnDemand, 0
	p.Add(bar)
	label := ct.tr("on-demand, forecast (median; P10–P90)", "オンデマンドの予測（中央値、P10〜P90）")
	if account {
		label = ct.tr("on-demand, forecast (series' medians; P10–P90, added)", "オンデマンドの予測（各系列の中央値、P10〜P90 の合計）")
	}
	p.Legend.Add(label, swatchOf(ColorOnDemand))
	for i, m := range months {
		if err := addWhisker(p, float64(i), m.Overflow.P10, m.Overflow.P90); err != nil {
			return nil, nil, err
		}
	}
	nameMonths(p, months, ct)
	return p, []string{label}, nil
}
