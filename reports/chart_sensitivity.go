package reports

import (
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// sensitivityChartFile is sensitivity.png, drawn from sensitivity.csv.
var sensitivityChartFile = chartFile{"sensitivity.png", func(r *Report) func() ([]byte, error) {
	if len(r.data.sensitivity) == 0 {
		return nil
	}
	return func() ([]byte, error) { return SensitivityChart(r.data.sensitivity, r.chartText()) }
}}

// SensitivityChart draws, tornado-style, how much more or less the plan
// costs if one model unit carries another share of the throughput
// assumed: one horizontal bar per share, from the cost at 100%.
func SensitivityChart(rows []SensitivityRow, ct ChartText) ([]byte, error) {
	p, err := sensitivityPlot(rows, ct)
	if err != nil {
		return nil, err
	}
	return encodePNG(p)
}

// sensitivityPlot draws the sensitivity chart.
func sensitivityPlot(rows []SensitivityRow, ct ChartText) (*plot.Plot, error) {
	var base float64
	var below, above float64 // percent; 0: none
	for _, r := range rows {
		if r.ThroughputPct == 100 {
			base = r.Total().USD()
		}
		if r.BelowPct != nil {
			below = *r.BelowPct
		}
		if r.AbovePct != nil {
			above = *r.AbovePct
		}
	}
	var names []string
	var ups, downs plotter.Values
	var labels []string
	var xys plotter.XYs
	span := 1.0
	for _, r := range rows {
		if r.ThroughputPct == 100 {
			continue
		}
		d := r.Total().USD() - base
		names = append(names, ct.tr("MU carries %s%%", "MU の処理能力 %s%%", trim(r.ThroughputPct)))
		ups, downs = append(ups, math.Max(d, 0)), append(downs, math.Min(d, 0))
		labels = append(labels, signedDollars(d))
		xys = append(xys, plotter.XY{X: d, Y: float64(len(names) - 1)})
		span = math.Max(span, math.Abs(d))
	}
	// Labels sit just past the end of their bar, on its side.
	for i := range xys {
		xys[i].X += math.Copysign(span*0.015, xys[i].X)
	}
	title := ct.tr("The plan's cost if one MU carries more or less than assumed (%s at 100%%)", "1 MU の処理能力が仮定と違う場合のプランの費用（100%% で %s）", dollars(base))
	switch {
	case below > 0 && above > 0:
		title += ct.tr("; other commitments below %s%% or above %s%%", "。%s%% 未満か %s%% 超で購入が変わる", trim(below), trim(above))
	case below > 0:
		title += ct.tr("; other commitments below %s%%", "。%s%% 未満で購入が変わる", trim(below))
	case above > 0:
		title += ct.tr("; other commitments above %s%%", "。%s%% 超で購入が変わる", trim(above))
	}
	p := newPlot(ct, title, ct.tr("change in total cost over the window (USD)", "分析期間の総費用の変化（米ドル）"), "")
	p.X.Tick.Marker = dollarTicks{}
	p.X.Min, p.X.Max = -span*1.35, span*1.35
	w := vg.Points(28)
	for _, v := range []struct {
		vals plotter.Values
		up   bool
	}{{ups, true}, {downs, false}} {
		bar, err := plotter.NewBarChart(v.vals, w)
		if err != nil {
			return nil, err
		}
		bar.Horizontal, bar.LineStyle.Width = true, 0
		bar.Color = ColorSixMonths
		if v.up {
			bar.Color = ColorThrottled
		}
		p.Add(bar)
	}
	lab, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: labels})
	if err != nil {
		return nil, err
	}
	for i := range lab.TextStyle {
		lab.TextStyle[i].XAlign, lab.TextStyle[i].YAlign = draw.XLeft, draw.YCenter
		if xys[i].X < 0 {
			lab.TextStyle[i].XAlign = draw.XRight
		}
		lab.TextStyle[i].Font.Size = vg.Points(11)
		ct.style(&lab.TextStyle[i])
	}
	p.Add(lab)
	p.NominalY(names...)
	p.Y.Min, p.Y.Max = -0.6, float64(len(names))-0.4
	return p, nil
}
