package reports

import (
	"image/color"
	"math"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/bedrockplan/bedrockplan/sim"
	"github.com/bedrockplan/bedrockplan/workload"
)

// scheduleChartFile is schedule.png, drawn from schedule.csv.
var scheduleChartFile = chartFile{"schedule.png", func(r *Report) func() ([]byte, error) {
	if r.data.levels == nil || r.data.schedule == nil {
		return nil
	}
	return func() ([]byte, error) {
		return HeatmapChart(r.data.schedule, slotIntervals(r.Series, r.TimeZone), r.TimeZone, r.chartText())
	}
}}

// week is the heat map's week: schedule.csv's row of each hour, with
// the intervals of the history in it (none: no data).
type week [sim.Slots]weekHour

type weekHour struct {
	ScheduleRow
	Intervals int
}

func weekOf(rows []ScheduleRow, intervals []int) week {
	var w week
	for i, r := range rows {
		w[i] = weekHour{r, intervals[i]}
	}
	return w
}

// slotIntervals counts the intervals of s in each hour of the week in
// loc.
func slotIntervals(s *workload.Series, loc *time.Location) []int {
	n := make([]int, sim.Slots)
	if s != nil {
		for i := range s.Start {
			n[sim.SlotOf(s.Time(i), loc)]++
		}
	}
	return n
}

// weekGrid is demand by hour of the week for a heat map: columns are
// hours, rows days (Monday at the top). Hours without data are NaN.
type weekGrid struct{ sch *week }

func (g weekGrid) Dims() (c, r int) { return 24, 7 }

func (g weekGrid) X(c int) float64 { return float64(c) }

func (g weekGrid) Y(r int) float64 { return float64(r) }

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
//
// rows are schedule.csv's, and intervals how many intervals of the
// history fall in each hour of the week.
func HeatmapChart(rows []ScheduleRow, intervals []int, loc *time.Location, ct ChartText) ([]byte, error) {
	hm, scale, err := heatmapPlots(weekOf(rows, intervals), loc, ct)
	if err != nil {
		return nil, err
	}
	c := newCanvas(chartWidth, chartHeight)
	drawHeatmap(draw.New(c), hm, scale)
	return encodeCanvas(c)
}

// scaleWidth is the width of the heat map's colour scale, labels
// included.
const scaleWidth = 1.4 * vg.Inch

// drawHeatmap draws the heat map with its colour scale at the right,
// the scale's column as tall as the map's rows, on dc, a blank canvas.
func drawHeatmap(dc draw.Canvas, hm, scale *plot.Plot) {
	dc = inset(dc)
	left, right := dc, dc
	right.Min.X = dc.Max.X - scaleWidth
	left.Max.X = right.Min.X - vg.Points(12)
	want, got := hm.DataCanvas(left), scale.DataCanvas(right)
	right.Min.Y += want.Min.Y - got.Min.Y
	right.Max.Y += want.Max.Y - got.Max.Y
	drawOnBlank(hm, left)
	scale.Draw(right)
}

// noDataCells are the heat map cells (hour, row) of the hours without
// data.
func noDataCells(sch *week) []plotter.XY {
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
func demandScale(sch *week) (lo, hi float64) {
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
func heatmapPlots(sch week, loc *time.Location, ct ChartText) (hm, scale *plot.Plot, err error) {
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

func (g keyGrid) Dims() (c, r int) { return 1, int(g) }

func (g keyGrid) X(c int) float64 { return 0 }

func (g keyGrid) Y(r int) float64 { return float64(r) }

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
