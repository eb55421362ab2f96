package reports

import (
	"image/color"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// portfolioChartRows is how many series the chart draws by name; the
// rest are one "others" row, so that a 100-series account stays
// readable.
const portfolioChartRows = 15

// PortfolioChart draws each series' cost all on-demand against its plan
// (Reserved, PT and on-demand overflow stacked), largest saving first,
// as horizontal bars.
func PortfolioChart(rows []PortfolioRow, detail string, ct ChartText) ([]byte, error) {
	p, h, err := portfolioPlot(rows, detail, ct)
	if err != nil {
		return nil, err
	}
	return encodePlot(p, chartWidth, h)
}

// portfolioPlot draws the account's chart and returns its height, which
// grows with the number of series.
func portfolioPlot(rows []PortfolioRow, detail string, ct ChartText) (*plot.Plot, vg.Length, error) {
	p := &Portfolio{Rows: rows}
	ranked := p.ranked()
	if len(ranked) > portfolioChartRows {
		others := PortfolioRow{ModelID: ct.tr("%d other series", "その他 %d 系列", len(ranked)-portfolioChartRows+1)}
		for _, r := range ranked[portfolioChartRows-1:] {
			others.OnDemand += r.OnDemand
			others.PTCost += r.PTCost
			others.ReservedCost += r.ReservedCost
			others.OverflowCost += r.OverflowCost
		}
		ranked = append(ranked[:portfolioChartRows-1:portfolioChartRows-1], others)
	}
	n := len(ranked)
	planName := ct.strategy(detail)
	pl := newPlot(ct, ct.tr("Cost by series: all on-demand against the %s plan", "系列ごとの費用：すべてオンデマンドと%sプランの比較", planName), ct.tr("cost over each series' own history (USD)", "各系列の履歴期間の費用（米ドル）"), "")
	pl.X.Tick.Marker = dollarTicks{}
	pl.Y.Tick.Marker = plot.DefaultTicks{}
	names := make([]string, n)
	var top float64
	// Rows top down in rank order: the y axis grows upwards.
	for i, r := range ranked {
		// The leading spaces keep gonum/plot from clipping the first
		// letter of the longest name at the image's edge.
		names[n-1-i] = "   " + r.ModelID
		if r.Region != "" {
			names[n-1-i] += " (" + r.Region + ")"
		}
		top = math.Max(top, math.Max(r.OnDemand.USD(), (r.PTCost+r.ReservedCost+r.OverflowCost).USD()))
	}
	height := vg.Length(math.Max(float64(chartHeight), float64(vg.Inch)*(1.6+0.32*float64(n))))
	// A row is about the plot's height (less the title and the axis)
	// over n; its two bars take three quarters of it, so rows stay apart.
	perRow := (float64(height) - 1.2*float64(vg.Inch)) / float64(n)
	w := vg.Points(math.Min(20, 0.375*perRow))
	at := func(f func(PortfolioRow) float64) plotter.Values {
		v := make(plotter.Values, n)
		for i, r := range ranked {
			v[n-1-i] = f(r)
		}
		return v
	}
	odBar, err := plotter.NewBarChart(at(func(r PortfolioRow) float64 { return r.OnDemand.USD() }), w)
	if err != nil {
		return nil, 0, err
	}
	odBar.Horizontal, odBar.Offset, odBar.LineStyle.Width = true, w/2, 0
	odBar.Color = color.RGBA{0xB0, 0xB0, 0xB0, 0xFF}
	pl.Add(odBar)
	pl.Legend.Add(ct.tr("all on-demand", "すべてオンデマンド"), swatchOf(odBar.Color))
	var below *plotter.BarChart
	for _, seg := range []struct {
		v     plotter.Values
		col   color.Color
		label string
	}{{at(func(r PortfolioRow) float64 { return r.ReservedCost.USD() }), ColorReserved, ct.tr("Reserved", "予約")},
		{at(func(r PortfolioRow) float64 { return r.PTCost.USD() }), ColorSixMonths, "PT"},
		{at(func(r PortfolioRow) float64 { return r.OverflowCost.USD() }), ColorOnDemand, ct.tr("on-demand (overflow, or all of a series not sized)", "オンデマンド（溢れ、または規模を決められなかった系列の全量）")}} {
		if slices.Max(seg.v) > 0 {
			pl.Legend.Add(seg.label, swatchOf(seg.col))
		}
		bar, err := plotter.NewBarChart(seg.v, w)
		if err != nil {
			return nil, 0, err
		}
		bar.Horizontal, bar.Offset, bar.LineStyle.Width, bar.Color = true, -w/2, 0, seg.col
		if below != nil {
			bar.StackOn(below)
		}
		pl.Add(bar)
		below = bar
	}
	// Each bar's total at its end, as the single series' chart has them:
	// the axis's few ticks cannot give amounts. The bars sit w/2 above
	// and below their row, in points.
	var xys plotter.XYs
	var labels []string
	for i, r := range ranked {
		y := float64(n - 1 - i)
		for _, b := range []struct {
			usd float64
			dy  float64
		}{{r.OnDemand.USD(), float64(w / 2)}, {(r.PTCost + r.ReservedCost + r.OverflowCost).USD(), -float64(w / 2)}} {
			xys = append(xys, plotter.XY{X: b.usd + top*0.01, Y: y + b.dy/perRow})
			labels = append(labels, "$"+SI(b.usd))
		}
	}
	lab, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: labels})
	if err != nil {
		return nil, 0, err
	}
	for i := range lab.TextStyle {
		lab.TextStyle[i].XAlign, lab.TextStyle[i].YAlign = draw.XLeft, draw.YCenter
		lab.TextStyle[i].Font.Size = vg.Points(9)
		ct.style(&lab.TextStyle[i])
	}
	pl.Add(lab)
	pl.NominalY(names...)
	pl.Y.Min, pl.Y.Max = -0.6, float64(n)-0.4
	// Room on the right for the legend, clear of the longest bar.
	pl.X.Min, pl.X.Max = 0, math.Max(1, top*1.6)
	pl.Legend.Top, pl.Legend.Left = true, false
	return pl, height, nil
}
