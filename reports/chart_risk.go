package reports

import (
	"image/color"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/bedrockplan/bedrockplan/sim"
)

// riskChartFile is risk.png, drawn from risk.csv.
var riskChartFile = chartFile{"risk.png", func(r *Report) func() ([]byte, error) {
	if r.data.risk == nil {
		return nil
	}
	return func() ([]byte, error) { return RiskChart(r.data.risk, r.chartText()) }
}}

// RiskChart draws each strategy's cost over the horizon: the P10-P90
// range as a bar and the expected cost as a dot. A strategy that holds
// nothing (no MU, no reservation) is staying on-demand under another
// name: it is named on the on-demand bar, not drawn as a bar of its own.
func RiskChart(rows []RiskRow, ct ChartText) ([]byte, error) {
	p, err := riskPlot(rows, ct)
	if err != nil {
		return nil, err
	}
	return encodePNG(p)
}

// riskBox is a bar of the risk chart: one way to pay, and the
// strategies that are it.
type riskBox struct {
	names []string
	row   RiskRow
	col   color.Color
}

// riskBoxes are the risk chart's bars, in the rows' order.
func riskBoxes(rows []RiskRow) []riskBox {
	var boxes []riskBox
	od := -1
	for _, row := range rows {
		if row.Refused {
			continue
		}
		holdsNothing := row.CommittedMU == 0 && !row.Scheduled && row.ReservedTerm == ""
		if row.Strategy != sim.RiskOnDemand && holdsNothing && od >= 0 {
			boxes[od].names = append(boxes[od].names, row.Strategy)
			continue
		}
		if row.Strategy == sim.RiskOnDemand {
			od = len(boxes)
		}
		boxes = append(boxes, riskBox{names: []string{row.Strategy}, row: row, col: riskColor(row)})
	}
	return boxes
}

// riskColor is a risk row's colour: its product's, and for PT its term's.
func riskColor(row RiskRow) color.Color {
	switch {
	case row.Strategy == sim.RiskOnDemand:
		return ColorOnDemand
	case row.CommittedMU > 0:
		return TermColor(row.Term)
	case row.ReservedTerm != "":
		return ColorReserved
	case row.Scheduled:
		return ColorNoCommit
	}
	return ColorOnDemand
}

// riskPlot draws the risk chart.
func riskPlot(rows []RiskRow, ct ChartText) (*plot.Plot, error) {
	boxes := riskBoxes(rows)
	var scenarios int
	// The title gives the recommendation's risk, else the 6-month
	// commitment's, as the verdict does.
	var lead *RiskRow
	what := [2]string{"the recommended plan", "推奨プラン"}
	for i, row := range rows {
		scenarios = row.Scenarios
		if row.Strategy == sim.RiskRecommended && !row.Refused && (lead == nil || lead.Strategy != sim.RiskRecommended) {
			lead, what = &rows[i], [2]string{"the recommended plan", "推奨プラン"}
		}
		if row.Strategy == sim.RiskSixMonths && !row.Refused && lead == nil {
			lead, what = &rows[i], [2]string{"a 6-month commitment", "6か月コミット"}
		}
	}
	title := ct.tr("Cost over the next six months, %d scenarios", "今後 6 か月の費用（%d シナリオ）", scenarios)
	if lead != nil {
		title = ct.tr("Next six months, %d scenarios: %s costs more than on-demand in %s%% of them",
			"今後 6 か月（%d シナリオ）：%sがオンデマンドより高くつくのは %s%%", scenarios, ct.lang.word(what[0], what[1]), tenths(lead.CostlierPct))
		if tenths(lead.CostlierPct) == "0" {
			title = ct.tr("Next six months, %d scenarios: %s costs more than on-demand in none of them",
				"今後 6 か月（%d シナリオ）：%sがオンデマンドより高くつくシナリオはありません", scenarios, ct.lang.word(what[0], what[1]))
		}
	}
	p := newPlot(ct, title, ct.tr("bar: P10 to P90 of the scenarios; dot: the expected cost", "棒：シナリオの P10〜P90、点：期待値"),
		ct.tr("cost over the horizon (USD)", "期間中の費用（米ドル）"))
	p.Y.Tick.Marker = dollarTicks{}
	var names []string
	top := 0.0
	for _, b := range boxes {
		top = math.Max(top, b.row.P90)
	}
	for i, b := range boxes {
		row := b.row
		name := ct.strategy(b.names[0])
		if len(b.names) > 1 {
			var same []string
			for _, n := range b.names[1:] {
				same = append(same, ct.strategy(n))
			}
			name += ct.tr("\n= %s (holds nothing)", "\n＝%s（保有なし）", strings.Join(same, ct.lang.word(", ", "、")))
		}
		names = append(names, name)
		bar, err := plotter.NewLine(plotter.XYs{{X: float64(i), Y: row.P10}, {X: float64(i), Y: row.P90}})
		if err != nil {
			return nil, err
		}
		bar.Color, bar.Width = b.col, vg.Points(28)
		dot, err := plotter.NewScatter(plotter.XYs{{X: float64(i), Y: row.Expected}})
		if err != nil {
			return nil, err
		}
		dot.Shape, dot.Radius, dot.Color = draw.CircleGlyph{}, vg.Points(5), color.Black
		p.Add(bar, dot)
		text := ct.tr("expected $%s", "期待値 $%s", SI(row.Expected))
		if row.Strategy != sim.RiskOnDemand {
			if p := tenths(row.CostlierPct); p == "0" {
				text += ct.tr("\nnever costlier\nthan on-demand", "\nオンデマンドより\n高いシナリオなし")
			} else {
				text += ct.tr("\ncostlier than on-demand\nin %s%% of scenarios", "\nオンデマンドより高い\nシナリオ %s%%", p)
			}
		}
		lab, err := plotter.NewLabels(plotter.XYLabels{XYs: plotter.XYs{{X: float64(i), Y: row.P90 + top*0.03}}, Labels: []string{text}})
		if err != nil {
			return nil, err
		}
		lab.TextStyle[0].XAlign = draw.XCenter
		lab.TextStyle[0].Font.Size = vg.Points(10)
		ct.style(&lab.TextStyle[0])
		p.Add(lab)
	}
	nominalBarsX(p, names)
	p.Y.Min, p.Y.Max = 0, math.Max(1, top*1.35)
	return p, nil
}

// tenths writes a percentage to one decimal, as risk.csv and the
// summary's table give it: a rounded 0.4% is not "0%", and a share too
// small to show is "<0.1", never "0"; "0" is none at all.
func tenths(pct float64) string {
	if pct > 0 && pct < 0.05 {
		return "<0.1"
	}
	return strconv.FormatFloat(math.Round(10*pct)/10, 'f', -1, 64)
}
