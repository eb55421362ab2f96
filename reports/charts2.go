package reports

import (
	"cmp"
	"image/color"
	"math"
	"slices"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/sim"
	"github.com/bedrockplan/bedrockplan/workload"
)

// LoadDurationChart draws the load-duration curve: every interval's
// demand in model units, busiest first, with the part each layer of the
// plan carries (committed, scheduled) and what is left on-demand.
//
// A plan that reserves, or one without a known MU throughput, has layers
// that MUs cannot measure: its curve is drawn in input tokens per minute
// (loadDurationTokens).
func LoadDurationChart(s *workload.Series, iv *sim.Intervals, tp pricing.Throughput, o *sim.Optimum, term pricing.Term, loc *time.Location, ct ChartText) ([]byte, error) {
	if iv.ResCost != nil || !tp.Known() {
		if o != nil && o.CommittedMU == 0 {
			term = pricing.TermNone // the PT in it is scheduled no-commit PT
		}
		return loadDurationTokens(s, iv, term, ct)
	}
	n := s.Len()
	type point struct {
		need, committed, total float64
		i                      int
	}
	pts := make([]point, n)
	needs := sim.SeriesMUNeeded(s, tp)
	for i := range pts {
		need := needs[i]
		total := iv.MU[i]
		committed := total
		if o != nil {
			committed = math.Max(0, total-float64(o.Scheduled[sim.SlotOf(s.Time(i), loc)]))
		}
		pts[i] = point{need, committed, total, i}
	}
	slices.SortFunc(pts, func(a, b point) int { return busiestFirst(a.need, b.need, a.i, b.i) })
	step := max(1, n/1500)
	var demand, byCommitted, byTotal plotter.XYs
	top := 0.0
	for i := 0; i < n; i += step {
		x := 100 * float64(i) / float64(n)
		p := pts[i]
		demand = append(demand, plotter.XY{X: x, Y: p.need})
		byTotal = append(byTotal, plotter.XY{X: x, Y: math.Min(p.need, p.total)})
		byCommitted = append(byCommitted, plotter.XY{X: x, Y: math.Min(p.need, p.committed)})
		top = math.Max(top, math.Max(p.need, p.total))
	}
	var sumNeed, sumCommitted, sumTotal float64
	for _, p := range pts {
		sumNeed += p.need
		sumCommitted += math.Min(p.need, p.committed)
		sumTotal += math.Min(p.need, p.total)
	}
	title := ct.tr("Load-duration curve: demand in model units, busiest intervals first", "負荷持続曲線：MU 換算の需要（多い順）")
	if sumNeed > 0 {
		title = ct.tr("Load-duration curve: committed PT carries %s%% of demand, scheduled %s%%, on-demand %s%%",
			"負荷持続曲線：需要の %s%% をコミット PT、%s%% を時間帯指定 PT、%s%% をオンデマンドが処理",
			trim(math.Round(100*sumCommitted/sumNeed)), trim(math.Round(100*(sumTotal-sumCommitted)/sumNeed)), trim(math.Round(100*(sumNeed-sumTotal)/sumNeed)))
	}
	p := newPlot(ct, title, ct.tr("share of the time (%%)", "時間の割合（%%）"), ct.tr("model units needed to carry the demand", "需要の処理に必要な MU 数"))
	p.Y.Min, p.Y.Max = 0, math.Max(1, top*1.3)
	p.X.Min, p.X.Max = 0, 100
	if err := fillAreas(p, []filledArea{{demand, ColorOnDemand}, {byTotal, ColorNoCommit}, {byCommitted, TermColor(term)}}); err != nil {
		return nil, err
	}
	p.Legend.Add(ct.tr("committed %s", "コミット（%s）", ct.lang.term(term)), swatchOf(TermColor(term)))
	p.Legend.Add(ct.tr("scheduled no-commit", "時間帯指定（コミットなし）"), swatchOf(ColorNoCommit))
	p.Legend.Add(ct.tr("on-demand", "オンデマンド"), swatchOf(ColorOnDemand))
	return encodePNG(p)
}

// busiestFirst orders load-duration points by demand, highest first, and
// equal demands in time order: the order a stable sort by demand gives,
// which the reflection-based sort.SliceStable took most of the chart's
// time to reach on a year of minutes.
func busiestFirst(needA, needB float64, i, j int) int {
	switch {
	case needA > needB:
		return -1
	case needB > needA:
		return 1
	}
	return cmp.Compare(i, j)
}

// filledArea is a curve drawn filled down to the axis in one colour.
type filledArea struct {
	xy  plotter.XYs
	col color.Color
}

// fillAreas adds the areas to p in order, each drawn over the last.
func fillAreas(p *plot.Plot, areas []filledArea) error {
	for _, a := range areas {
		line, err := plotter.NewLine(a.xy)
		if err != nil {
			return err
		}
		line.FillColor, line.Color, line.Width = a.col, a.col, 0
		p.Add(line)
	}
	return nil
}

// loadDurationTokens draws the load-duration curve in input tokens per
// minute: each interval's demand, busiest first, with the part the
// Reserved layer and PT carry.
func loadDurationTokens(s *workload.Series, iv *sim.Intervals, term pricing.Term, ct ChartText) ([]byte, error) {
	n := s.Len()
	dt := s.Period.Minutes()
	type point struct {
		need, res, pt float64
		i             int
	}
	pts := make([]point, n)
	for i := range pts {
		var res float64
		if iv.ResShare != nil {
			res = s.InputTokens[i] * iv.ResShare[i] / dt
		}
		pts[i] = point{s.InputTokens[i] / dt, res, iv.PTInput[i] / dt, i}
	}
	slices.SortFunc(pts, func(a, b point) int { return busiestFirst(a.need, b.need, a.i, b.i) })
	step := max(1, n/1500)
	var demand, byRes, byPT plotter.XYs
	top := 0.0
	for i := 0; i < n; i += step {
		x := 100 * float64(i) / float64(n)
		p := pts[i]
		demand = append(demand, plotter.XY{X: x, Y: p.need})
		byPT = append(byPT, plotter.XY{X: x, Y: p.res + p.pt})
		byRes = append(byRes, plotter.XY{X: x, Y: p.res})
		top = math.Max(top, p.need)
	}
	var sumNeed, sumRes, sumPT float64
	for _, p := range pts {
		sumNeed, sumRes, sumPT = sumNeed+p.need, sumRes+p.res, sumPT+p.pt
	}
	title := ct.tr("Load-duration curve: input tokens per minute, busiest intervals first", "負荷持続曲線：入力トークン/分（多い順）")
	if sumNeed > 0 {
		title = ct.tr("Load-duration curve: Reserved carries %s%% of input tokens, PT %s%%, on-demand the rest",
			"負荷持続曲線：入力トークンの %s%% を予約、%s%% を PT が処理し、残りはオンデマンド",
			trim(math.Round(100*sumRes/sumNeed)), trim(math.Round(100*sumPT/sumNeed)))
	}
	p := newPlot(ct, title, ct.tr("share of the time (%%)", "時間の割合（%%）"), ct.tr("input tokens / min", "入力トークン/分"))
	p.Y.Min, p.Y.Max = 0, math.Max(1, top*1.3)
	p.X.Min, p.X.Max = 0, 100
	ptCol := TermColor(term)
	if err := fillAreas(p, []filledArea{{demand, ColorOnDemand}, {byPT, ptCol}, {byRes, ColorReserved}}); err != nil {
		return nil, err
	}
	if sumRes > 0 {
		p.Legend.Add(ct.tr("Reserved", "予約"), swatchOf(ColorReserved))
	}
	if sumPT > 0 {
		p.Legend.Add("PT", swatchOf(ptCol))
	}
	p.Legend.Add(ct.tr("on-demand", "オンデマンド"), swatchOf(ColorOnDemand))
	return encodePNG(p)
}

// weekGrid is demand by hour of the week for a heat map: columns are
// hours, rows days (Monday at the top).
type weekGrid struct{ sch *Schedule }

func (g weekGrid) Dims() (c, r int)   { return 24, 7 }
func (g weekGrid) X(c int) float64    { return float64(c) }
func (g weekGrid) Y(r int) float64    { return float64(r) }
func (g weekGrid) Z(c, r int) float64 { return g.sch[dayOfRow(r)*24+c].MeanDemand }

// dayOfRow puts Monday on the top row and Sunday at the bottom.
func dayOfRow(r int) int { return []int{0, 6, 5, 4, 3, 2, 1}[r] }

// blues is a light-to-dark sequential palette (ColorBrewer Blues), which
// reads in grey and for colour-blind readers.
type blues struct{}

func (blues) Colors() []color.Color {
	hex := []uint32{0xf7fbff, 0xdeebf7, 0xc6dbef, 0x9ecae1, 0x6baed6, 0x4292c6, 0x2171b5, 0x08519c, 0x08306b}
	out := make([]color.Color, len(hex))
	for i, h := range hex {
		out[i] = color.RGBA{uint8(h >> 16), uint8(h >> 8), uint8(h), 0xff}
	}
	return out
}

var _ palette.Palette = blues{}

// HeatmapChart draws mean demand (model units) for each hour of the week
// in the plan's zone, with the PT the plan holds in that hour written in
// each cell.
func HeatmapChart(sch Schedule, loc *time.Location, ct ChartText) ([]byte, error) {
	hm := plotter.NewHeatMap(weekGrid{&sch}, blues{})
	maxDemand := 0.0
	for _, r := range sch {
		maxDemand = math.Max(maxDemand, r.MeanDemand)
	}
	title := ct.tr("Demand by hour of the week (shade, darkest %s MU) and PT in service (numbers)",
		"曜日・時間帯ごとの需要（濃淡、最も濃い色が %s MU）と稼働中の PT（数字、MU）", trim(maxDemand))
	p := newPlot(ct, title, ct.tr("hour of day (%s)", "時（%s）", loc), "")
	p.Add(hm)
	p.Y.Tick.Marker = dayTicker{ct}
	p.X.Tick.Marker = integerTicks{}
	var xys plotter.XYs
	var labels []string
	for r := range 7 {
		for c := range 24 {
			row := sch[dayOfRow(r)*24+c]
			total := row.Existing + float64(row.Committed+row.Scheduled)
			if total == 0 {
				continue
			}
			xys = append(xys, plotter.XY{X: float64(c), Y: float64(r)})
			labels = append(labels, trim(total))
		}
	}
	if len(xys) > 0 {
		lab, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: labels})
		if err != nil {
			return nil, err
		}
		for i := range lab.TextStyle {
			lab.TextStyle[i].XAlign, lab.TextStyle[i].YAlign = draw.XCenter, draw.YCenter
			lab.TextStyle[i].Font.Size = vg.Points(10)
			ct.style(&lab.TextStyle[i])
			// Dark cells get white text.
			row := sch[dayOfRow(int(xys[i].Y))*24+int(xys[i].X)]
			if maxDemand > 0 && row.MeanDemand > 0.55*maxDemand {
				lab.TextStyle[i].Color = color.White
			}
		}
		p.Add(lab)
	}
	return encodePNG(p)
}

// dayTicker names the heat map's rows.
type dayTicker struct{ ct ChartText }

func (d dayTicker) Ticks(lo, hi float64) []plot.Tick {
	var ticks []plot.Tick
	for r := range 7 {
		ticks = append(ticks, plot.Tick{Value: float64(r), Label: d.ct.weekday(time.Weekday(dayOfRow(r)))})
	}
	return ticks
}

// RiskChart draws each strategy's cost over the horizon: the P10-P90
// range as a bar and the expected cost as a dot.
func RiskChart(r *sim.Risk, ct ChartText) ([]byte, error) {
	var names []string
	var rows []sim.RiskRow
	for _, row := range r.Rows {
		if !row.Refused {
			names = append(names, ct.strategy(row.Strategy))
			rows = append(rows, row)
		}
	}
	title := ct.tr("Cost over the next six months, %d scenarios", "今後 6 か月の費用（%d シナリオ）", r.Scenarios)
	if six := r.Row(sim.RiskSixMonths); six != nil && !six.Refused {
		title = ct.tr("Next six months, %d scenarios: a 6-month commitment costs more than on-demand in %s%% of them",
			"今後 6 か月（%d シナリオ）：6か月コミットがオンデマンドより高くつくのは %s%%", r.Scenarios, trim(math.Round(100*six.CostlierThanOnDemand)))
	}
	p := newPlot(ct, title, "", ct.tr("cost over the horizon (USD): P10-P90 bar, expected dot", "期間中の費用（米ドル）：棒は P10〜P90、点は期待値"))
	p.Y.Tick.Marker = dollarTicks{}
	top := 0.0
	for i, row := range rows {
		var col color.Color = ColorOnDemand
		switch row.Strategy {
		case sim.RiskRolling:
			col = ColorOneMonth
		case sim.RiskSixMonths:
			col = ColorSixMonths
		case sim.RiskRecommended:
			col = TermColor(row.Term)
		}
		bar, err := plotter.NewLine(plotter.XYs{{X: float64(i), Y: row.P10}, {X: float64(i), Y: row.P90}})
		if err != nil {
			return nil, err
		}
		bar.Color, bar.Width = col, vg.Points(28)
		dot, err := plotter.NewScatter(plotter.XYs{{X: float64(i), Y: row.Expected}})
		if err != nil {
			return nil, err
		}
		dot.Shape, dot.Radius, dot.Color = draw.CircleGlyph{}, vg.Points(5), color.Black
		p.Add(bar, dot)
		top = math.Max(top, row.P90)
		text := ct.tr("expected $%s", "期待値 $%s", SI(row.Expected))
		if row.Strategy != sim.RiskOnDemand {
			text += ct.tr("\ncostlier than on-demand\nin %s%% of scenarios", "\nオンデマンドより高い\nシナリオ %s%%", trim(math.Round(100*row.CostlierThanOnDemand)))
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
	p.NominalX(names...)
	p.X.Min, p.X.Max = -0.6, float64(len(names))-0.4
	p.Y.Min, p.Y.Max = 0, math.Max(1, top*1.35)
	return encodePNG(p)
}
