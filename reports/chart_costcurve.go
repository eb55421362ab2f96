package reports

import (
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/bedrockplan/bedrockplan/pricing"
)

// costCurveChartFile is cost_curve.png, drawn from cost_curve.csv and
// schedule.csv.
var costCurveChartFile = chartFile{"cost_curve.png", func(r *Report) func() ([]byte, error) {
	if len(r.data.curve) == 0 {
		return nil
	}
	return func() ([]byte, error) { return CostCurveChart(r.data.curve, schedules(r.data.schedule), r.chartText()) }
}}

// schedules says whether the week holds scheduled MUs in some hour.
func schedules(rows []ScheduleRow) bool {
	return slices.ContainsFunc(rows, func(r ScheduleRow) bool { return r.Scheduled > 0 })
}

// CostCurveChart draws total cost against committed MUs for each term,
// with the recommendation marked.
//
// schedules says whether the plan also schedules MUs by the hour, which
// the title says when the recommendation is not on the curve.
func CostCurveChart(rows []CurveRow, schedules bool, ct ChartText) ([]byte, error) {
	p, err := costCurvePlot(rows, schedules, ct)
	if err != nil {
		return nil, err
	}
	return encodePNG(p)
}

// costCurvePlot draws the cost curve.
func costCurvePlot(rows []CurveRow, schedules bool, ct ChartText) (*plot.Plot, error) {
	byTerm := map[pricing.Term]plotter.XYs{}
	var terms []pricing.Term
	var top float64
	chosen := -1
	for i, c := range rows {
		if _, ok := byTerm[c.Term]; !ok {
			terms = append(terms, c.Term)
		}
		byTerm[c.Term] = append(byTerm[c.Term], plotter.XY{X: float64(c.MU), Y: c.Total().USD()})
		top = math.Max(top, c.Total().USD())
		if c.Chosen {
			chosen = i
		}
	}
	title := costCurveTitle(rows, chosen, schedules, ct)
	p := newPlot(ct, title, ct.tr("committed model units (held around the clock, overflow on-demand)", "コミット MU 数（終日保持、超過分はオンデマンド）"),
		ct.tr("total cost over the window (USD)", "分析期間の総費用（米ドル）"))
	p.Y.Tick.Marker = dollarTicks{}
	p.X.Tick.Marker = integerTicks{}
	p.Y.Min, p.Y.Max = 0, math.Max(1, top*1.3)
	for _, t := range terms {
		line, pts, err := plotter.NewLinePoints(byTerm[t])
		if err != nil {
			return nil, err
		}
		line.Color, line.Width = TermColor(t), vg.Points(2)
		pts.Color, pts.Shape = TermColor(t), draw.CircleGlyph{}
		p.Add(line, pts)
		p.Legend.Add(ct.lang.term(t), line, pts)
	}
	if chosen >= 0 {
		c := rows[chosen]
		mark, err := plotter.NewScatter(plotter.XYs{{X: float64(c.MU), Y: c.Total().USD()}})
		if err != nil {
			return nil, err
		}
		mark.Shape, mark.Radius, mark.Color = draw.RingGlyph{}, vg.Points(9), colorCapacity
		p.Add(mark)
		lab, err := plotter.NewLabels(plotter.XYLabels{XYs: plotter.XYs{{X: float64(c.MU), Y: c.Total().USD() - top*0.08}},
			Labels: []string{ct.tr("chosen: ", "選択：") + c.Total().String()}})
		if err != nil {
			return nil, err
		}
		lab.TextStyle[0].XAlign = draw.XCenter
		lab.TextStyle[0].Font.Size = vg.Points(11)
		ct.style(&lab.TextStyle[0])
		p.Add(lab)
		p.Legend.Add(ct.tr("chosen", "選択"), mark)
	}
	return p, nil
}

// costCurveTitle states the curve's finding: the recommendation's point,
// or, when the recommendation is not on the curve, the cheapest
// commitment alone.
func costCurveTitle(rows []CurveRow, chosen int, schedules bool, ct ChartText) string {
	title := ct.tr("Total cost vs committed model units", "コミット MU 数と総費用")
	if chosen >= 0 {
		c := rows[chosen]
		if c.MU == 0 {
			title += ct.tr(": no PT is cheapest", "：PT なしが最安")
		} else {
			title += ct.tr(": %d MU %s is cheapest", "：%d MU（%s）が最安", c.MU, ct.lang.term(c.Term))
		}
	} else if len(rows) > 0 {
		// The recommendation is not on the curve (it schedules MUs by the
		// hour, say): say what committing alone would do best.
		best := rows[0]
		for _, c := range rows {
			if c.Total() < best.Total() {
				best = c
			}
		}
		what := ct.tr("no PT", "PT なし")
		if best.MU > 0 {
			what = ct.tr("%d MU %s", "%d MU（%s）", best.MU, ct.lang.term(best.Term))
		}
		title = ct.tr("Committing alone, %s is cheapest (%s)", "コミットのみなら %s が最安（%s）", what, best.Total())
		if schedules {
			title += ct.tr("; the plan also schedules MUs by the hour", "。推奨は時間帯指定の MU も使います")
		}
	}
	return title
}
