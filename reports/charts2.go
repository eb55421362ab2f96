package reports

import (
	"cmp"
	"image/color"
	"math"
	"slices"
	"strings"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

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
	p, err := loadDurationPlot(s, iv, tp, o, term, loc, ct)
	if err != nil {
		return nil, err
	}
	return encodePNG(p)
}

// loadDurationPlot draws the load-duration curve.
func loadDurationPlot(s *workload.Series, iv *sim.Intervals, tp pricing.Throughput, o *sim.Optimum, term pricing.Term, loc *time.Location, ct ChartText) (*plot.Plot, error) {
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
		pc := percents(sumCommitted, sumTotal-sumCommitted, sumNeed-sumTotal)
		title = ct.tr("Load-duration curve: committed PT carries %d%% of demand, scheduled %d%%, on-demand %d%%",
			"負荷持続曲線：需要の %d%% をコミット PT、%d%% を時間帯指定 PT、%d%% をオンデマンドが処理", pc[0], pc[1], pc[2])
	}
	p := newPlot(ct, title, ct.tr("share of the time (%%)", "時間の割合（%%）"), ct.tr("model units needed to carry the demand", "需要の処理に必要な MU 数"))
	p.Y.Min, p.Y.Max = 0, math.Max(1, top*1.3)
	p.X.Min, p.X.Max = 0, 100
	if err := fillAreas(p, []filledArea{{demand, ColorOnDemand}, {byTotal, ColorNoCommit}, {byCommitted, TermColor(term)}}); err != nil {
		return nil, err
	}
	// Entries for what the curve shows, top down as the areas stack.
	p.Legend.Add(ct.tr("on-demand", "オンデマンド"), swatchOf(ColorOnDemand))
	if sumTotal > sumCommitted {
		p.Legend.Add(ct.tr("scheduled no-commit", "時間帯指定（コミットなし）"), swatchOf(ColorNoCommit))
	}
	if sumCommitted > 0 {
		p.Legend.Add(ct.tr("committed %s", "コミット（%s）", ct.lang.term(term)), swatchOf(TermColor(term)))
	}
	return p, nil
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
func loadDurationTokens(s *workload.Series, iv *sim.Intervals, term pricing.Term, ct ChartText) (*plot.Plot, error) {
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
		pc := percents(sumRes, sumPT, sumNeed-sumRes-sumPT)
		title = ct.tr("Load-duration curve: Reserved carries %d%% of input tokens, PT %d%%, on-demand %d%%",
			"負荷持続曲線：入力トークンの %d%% を予約、%d%% を PT、%d%% をオンデマンドが処理", pc[0], pc[1], pc[2])
	}
	p := newPlot(ct, title, ct.tr("share of the time (%%)", "時間の割合（%%）"), ct.tr("input tokens / min", "入力トークン/分"))
	p.Y.Min, p.Y.Max = 0, math.Max(1, top*1.3)
	p.X.Min, p.X.Max = 0, 100
	ptCol := TermColor(term)
	if err := fillAreas(p, []filledArea{{demand, ColorOnDemand}, {byPT, ptCol}, {byRes, ColorReserved}}); err != nil {
		return nil, err
	}
	// Top down, as the areas stack.
	p.Legend.Add(ct.tr("on-demand", "オンデマンド"), swatchOf(ColorOnDemand))
	if sumPT > 0 {
		p.Legend.Add("PT", swatchOf(ptCol))
	}
	if sumRes > 0 {
		p.Legend.Add(ct.tr("Reserved", "予約"), swatchOf(ColorReserved))
	}
	return p, nil
}

// weekGrid is demand by hour of the week for a heat map: columns are
// hours, rows days (Monday at the top). Hours without data are NaN.
type weekGrid struct{ sch *Schedule }

func (g weekGrid) Dims() (c, r int) { return 24, 7 }
func (g weekGrid) X(c int) float64  { return float64(c) }
func (g weekGrid) Y(r int) float64  { return float64(r) }
func (g weekGrid) Z(c, r int) float64 {
	if row := g.sch[dayOfRow(r)*24+c]; row.Intervals > 0 {
		return row.MeanDemand
	}
	return math.NaN()
}

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

// colorNoData fills the heat map's hours without data, under a hatch: a
// grey no shade of blue is, and a pattern that reads without colour.
var colorNoData = color.RGBA{0xE4, 0xE4, 0xE4, 0xFF}

// HeatmapChart draws mean demand (model units) for each hour of the week
// in the plan's zone, with the PT the plan holds in that hour written in
// each cell, and the colour scale beside it. Hours the history has no
// interval in are hatched: their demand is unknown, not zero.
func HeatmapChart(sch Schedule, loc *time.Location, ct ChartText) ([]byte, error) {
	hm, scale, err := heatmapPlots(sch, loc, ct)
	if err != nil {
		return nil, err
	}
	c := vgimg.New(chartWidth, chartHeight)
	drawHeatmap(draw.New(c), hm, scale)
	return encodeCanvas(c)
}

// scaleWidth is the width of the heat map's colour scale, labels
// included.
const scaleWidth = 1.4 * vg.Inch

// drawHeatmap draws the heat map with its colour scale at the right,
// the scale's column as tall as the map's rows.
func drawHeatmap(dc draw.Canvas, hm, scale *plot.Plot) {
	dc = inset(dc)
	left, right := dc, dc
	right.Min.X = dc.Max.X - scaleWidth
	left.Max.X = right.Min.X - vg.Points(12)
	want, got := hm.DataCanvas(left), scale.DataCanvas(right)
	right.Min.Y += want.Min.Y - got.Min.Y
	right.Max.Y += want.Max.Y - got.Max.Y
	hm.Draw(left)
	scale.Draw(right)
}

// noDataCells are the heat map cells (hour, row) of the hours without
// data.
func noDataCells(sch *Schedule) []plotter.XY {
	var cells []plotter.XY
	for r := range 7 {
		for c := range 24 {
			if sch[dayOfRow(r)*24+c].Intervals == 0 {
				cells = append(cells, plotter.XY{X: float64(c), Y: float64(r)})
			}
		}
	}
	return cells
}

// demandScale is the demand range the heat map's shades span: from no
// demand to the highest hour's mean.
func demandScale(sch *Schedule) (lo, hi float64) {
	for _, r := range sch {
		if r.Intervals > 0 {
			hi = math.Max(hi, r.MeanDemand)
		}
	}
	if hi <= 0 {
		hi = 1 // no demand anywhere: every hour in the lightest shade
	}
	return 0, hi
}

// colourScale is the heat map's key: each shade of the palette and the
// demand (MU) it stands for, lightest first. A cell takes the shade
// whose demand is nearest its own.
func colourScale(lo, hi float64) []legendEntry {
	pal := blues{}.Colors()
	out := make([]legendEntry, len(pal))
	for k, c := range pal {
		out[k] = legendEntry{trim(lo + (hi-lo)*float64(k)/float64(len(pal)-1)), c}
	}
	return out
}

// heatmapPlots draws the heat map and its colour scale.
func heatmapPlots(sch Schedule, loc *time.Location, ct ChartText) (hm, scale *plot.Plot, err error) {
	lo, hi := demandScale(&sch)
	m := plotter.NewHeatMap(weekGrid{&sch}, blues{})
	m.Min, m.Max, m.NaN = lo, hi, colorNoData
	missing := noDataCells(&sch)
	title := ct.tr("Mean demand by hour of the week (shade) and PT in service (numbers)",
		"曜日・時間帯ごとの平均需要（濃淡）と稼働中の PT（数字、MU）")
	if len(missing) > 0 {
		title = ct.tr("Mean demand by hour of the week and PT in service (numbers); no data in %d of 168 hours",
			"曜日・時間帯ごとの平均需要と稼働中の PT（数字）。168 時間中 %d 時間はデータなし", len(missing))
	}
	hm = newPlot(ct, title, ct.tr("hour of day (%s)", "時（%s）", loc), "")
	hm.Add(m, hatch{missing})
	hm.Y.Tick.Marker = dayTicker{ct}
	hm.X.Tick.Marker = integerTicks{}
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
			return nil, nil, err
		}
		for i := range lab.TextStyle {
			lab.TextStyle[i].XAlign, lab.TextStyle[i].YAlign = draw.XCenter, draw.YCenter
			lab.TextStyle[i].Font.Size = vg.Points(10)
			ct.style(&lab.TextStyle[i])
			// Dark cells get white text.
			row := sch[dayOfRow(int(xys[i].Y))*24+int(xys[i].X)]
			if row.Intervals > 0 && row.MeanDemand > 0.55*hi {
				lab.TextStyle[i].Color = color.White
			}
		}
		hm.Add(lab)
	}

	// The scale: a column of the palette's shades, lightest at the
	// bottom, each labelled with its demand, and the hatch of hours
	// without data below them.
	key := colourScale(lo, hi)
	scale = newPlot(ct, "", "", ct.tr("mean demand (MU)", "平均需要（MU）"))
	scale.Title.Padding = 0
	scale.HideX()
	scale.Add(plotter.NewHeatMap(keyGrid(len(key)), blues{}))
	// An outline, for the lightest shade is near white.
	n := float64(len(key)) - 0.5
	outline, err := plotter.NewLine(plotter.XYs{{X: -0.5, Y: -0.5}, {X: -0.5, Y: n}, {X: 0.5, Y: n}, {X: 0.5, Y: -0.5}, {X: -0.5, Y: -0.5}})
	if err != nil {
		return nil, nil, err
	}
	outline.Color, outline.Width = color.RGBA{0x99, 0x99, 0x99, 0xFF}, vg.Points(0.75)
	scale.Add(outline)
	var ticks []plot.Tick
	for k, e := range key {
		ticks = append(ticks, plot.Tick{Value: float64(k), Label: e.label})
	}
	scale.Y.Min, scale.Y.Max = -0.5, float64(len(key))-0.5
	if len(missing) > 0 {
		scale.Add(hatch{[]plotter.XY{{X: 0, Y: -1.5}}})
		ticks = append(ticks, plot.Tick{Value: -1.5, Label: ct.tr("no data", "データなし")})
		scale.Y.Min = -2
	}
	scale.Y.Tick.Marker = plot.ConstantTicks(ticks)
	scale.X.Min, scale.X.Max = -0.5, 0.5
	return hm, scale, nil
}

// keyGrid is the colour scale's column: n cells, the k-th of the
// demand the palette's k-th shade stands for, in the palette's units.
type keyGrid int

func (g keyGrid) Dims() (c, r int)   { return 1, int(g) }
func (g keyGrid) X(c int) float64    { return 0 }
func (g keyGrid) Y(r int) float64    { return float64(r) }
func (g keyGrid) Z(c, r int) float64 { return float64(r) }

// hatch draws grid cells (one unit square around each point) in the
// no-data grey with diagonal lines across, which run on from cell to
// cell.
type hatch struct{ cells []plotter.XY }

func (h hatch) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	line := draw.LineStyle{Color: color.RGBA{0x99, 0x99, 0x99, 0xFF}, Width: vg.Points(0.75)}
	gap := vg.Points(6)
	for _, cell := range h.cells {
		x0, x1 := trX(cell.X-0.5), trX(cell.X+0.5)
		y0, y1 := trY(cell.Y-0.5), trY(cell.Y+0.5)
		c.FillPolygon(colorNoData, []vg.Point{{X: x0, Y: y0}, {X: x0, Y: y1}, {X: x1, Y: y1}, {X: x1, Y: y0}})
		// The lines x − y = m·gap that cross the cell, clipped to it.
		for m := math.Ceil(float64((x0 - y1) / gap)); m <= math.Floor(float64((x1-y0)/gap)); m++ {
			k := vg.Length(m) * gap
			ya, yb := max(y0, x0-k), min(y1, x1-k)
			if yb > ya {
				c.StrokeLine2(line, ya+k, ya, yb+k, yb)
			}
		}
	}
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
// range as a bar and the expected cost as a dot. A strategy that holds
// nothing (no MU, no reservation) is staying on-demand under another
// name: it is named on the on-demand bar, not drawn as a bar of its own.
func RiskChart(r *sim.Risk, ct ChartText) ([]byte, error) {
	p, err := riskPlot(r, ct)
	if err != nil {
		return nil, err
	}
	return encodePNG(p)
}

// riskBox is a bar of the risk chart: one way to pay, and the
// strategies that are it.
type riskBox struct {
	names []string
	row   sim.RiskRow
	col   color.Color
}

// riskBoxes are the risk chart's bars, in the rows' order.
func riskBoxes(r *sim.Risk) []riskBox {
	var boxes []riskBox
	od := -1
	for _, row := range r.Rows {
		if row.Refused {
			continue
		}
		holdsNothing := row.CommittedMU == 0 && !row.Scheduled && row.Reserve == nil
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
func riskColor(row sim.RiskRow) color.Color {
	switch {
	case row.Strategy == sim.RiskOnDemand:
		return ColorOnDemand
	case row.CommittedMU > 0:
		return TermColor(row.Term)
	case row.Reserve != nil:
		return ColorReserved
	case row.Scheduled:
		return ColorNoCommit
	}
	return ColorOnDemand
}

// riskPlot draws the risk chart.
func riskPlot(r *sim.Risk, ct ChartText) (*plot.Plot, error) {
	boxes := riskBoxes(r)
	title := ct.tr("Cost over the next six months, %d scenarios", "今後 6 か月の費用（%d シナリオ）", r.Scenarios)
	if six := r.Row(sim.RiskSixMonths); six != nil && !six.Refused {
		title = ct.tr("Next six months, %d scenarios: a 6-month commitment costs more than on-demand in %s%% of them",
			"今後 6 か月（%d シナリオ）：6か月コミットがオンデマンドより高くつくのは %s%%", r.Scenarios, trim(math.Round(100*six.CostlierThanOnDemand)))
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
	return p, nil
}
