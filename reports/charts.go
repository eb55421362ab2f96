package reports

import (
	"cmp"
	"image"
	"image/color"
	"math"
	"slices"
	"strconv"
	"time"
	"unicode"
	"unicode/utf8"

	"git.sr.ht/~sbinet/gg"
	xdraw "golang.org/x/image/draw"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/bedrockplan/bedrockplan/pricing"
)

// Chart size: readable at 100% on a laptop screen (1056 x 480 px at the
// default 96 dpi).
const (
	chartWidth  = 11 * vg.Inch
	chartHeight = 5 * vg.Inch
)

// Layer colours, the same in every chart, from the Okabe-Ito palette,
// which stays distinguishable with the common colour-vision deficiencies.
var (
	ColorSixMonths = color.RGBA{0x00, 0x72, 0xB2, 0xFF} // blue
	ColorOneMonth  = color.RGBA{0x56, 0xB4, 0xE9, 0xFF} // sky blue
	ColorNoCommit  = color.RGBA{0x00, 0x9E, 0x73, 0xFF} // bluish green
	ColorOnDemand  = color.RGBA{0xE6, 0x9F, 0x00, 0xFF} // orange
	ColorThrottled = color.RGBA{0xD5, 0x5E, 0x00, 0xFF} // vermillion
	ColorReserved  = color.RGBA{0xCC, 0x79, 0xA7, 0xFF} // reddish purple
	colorCapacity  = color.RGBA{0x00, 0x00, 0x00, 0xFF}
)

// TermColor is the colour of a PT layer of the given term.
func TermColor(t pricing.Term) color.Color {
	switch t {
	case pricing.TermSixMonths:
		return ColorSixMonths
	case pricing.TermOneMonth:
		return ColorOneMonth
	}
	return ColorNoCommit
}

func newPlot(ct ChartText, title, xLabel, yLabel string) *plot.Plot {
	p := ct.styled(plot.New())
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = vg.Points(15)
	p.Title.Padding = vg.Points(8)
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font.Size = vg.Points(12)
		a.Tick.Label.Font.Size = vg.Points(11)
	}
	p.Legend.TextStyle.Font.Size = vg.Points(11)
	p.Legend.Top = true
	p.Y.Tick.Marker = siTicks{}
	p.Add(plotter.NewGrid())
	return p
}

// nominalBarsX names the bars along x, one name at each index, and
// leaves 0.6 of a slot beyond the first and the last, so the bars at
// the ends clear the y axis and the plot's edge.
func nominalBarsX(p *plot.Plot, names []string) {
	p.NominalX(names...)
	p.X.Min, p.X.Max = -0.6, float64(len(names))-0.4
}

func encodePNG(p *plot.Plot) ([]byte, error) { return encodePlot(p, chartWidth, chartHeight) }

// encodePlot draws p on a w × h canvas and encodes it.
func encodePlot(p *plot.Plot, w, h vg.Length) ([]byte, error) {
	c := newCanvas(w, h)
	drawOnBlank(p, inset(draw.New(c)))
	return encodeCanvas(c)
}

// drawOnBlank draws p as the first thing on a blank canvas, which is
// white, without filling p's background first when that is white too:
// white over white, at any coverage, is white to the bit in the
// rasterizer's arithmetic, and the fill was a pass over every pixel of
// the chart (a tenth of drawing it). Later plots on the same canvas
// (panels, the heat map's scale) fill theirs, which may cover what the
// first drew beyond its own area.
func drawOnBlank(p *plot.Plot, dc draw.Canvas) {
	if bg := p.BackgroundColor; bg != nil {
		if r, g, b, a := bg.RGBA(); r&g&b&a == 0xffff {
			p.BackgroundColor = nil
			defer func() { p.BackgroundColor = bg }()
		}
	}
	p.Draw(dc)
}

// chartMargin is the blank border of every chart.
const chartMargin = 4 * vg.Millimeter

// inset is dc less the chart margin. gonum/plot sets the title, the y
// axis's label and the legend against the canvas's edges, with room for
// glyphs as tall as Latin ones: kanji and full-width brackets rise
// higher (to 0.83 em in IPA Gothic, which it gives 0.76), and the edge
// cut their tops off; legends touched the image's edge.
func inset(dc draw.Canvas) draw.Canvas {
	return draw.Crop(dc, chartMargin, -chartMargin, chartMargin, -chartMargin)
}

// encodeCanvas writes a canvas as PNG (encodeImage).
func encodeCanvas(c chartCanvas) ([]byte, error) {
	if img, ok := c.Image().(*image.RGBA); ok {
		return encodeImage(img)
	}
	return encodeAnyImage(c.Image())
}

// newCanvas is vgimg.New(w, h), white, at vgimg's default resolution,
// without the copy of the blank image vgimg.New makes (it hands its image
// to gg.NewContextForImage, which copies it; a chart is 2 MB of pixels).
// vgimg takes an image and a context as they are, and derives the
// canvas's size from the image's pixels: where that is not exactly w × h
// (a height that is not a whole number of pixels) it is vgimg.New, so
// that every chart is drawn at the size it was.
func newCanvas(w, h vg.Length) chartCanvas {
	const dpi = vgimg.DefaultDPI
	px := func(l vg.Length) int { return int(l/vg.Inch*dpi + 0.5) }
	back := func(n int) vg.Length { return vg.Length(float64(n)/float64(dpi)) * vg.Inch } // as vgimg.NewWith
	pw, ph := px(w), px(h)
	if back(pw) != w || back(ph) != h {
		return chartCanvas{Canvas: vgimg.New(w, h)}
	}
	img := image.NewRGBA(image.Rect(0, 0, pw, ph))
	ctx := gg.NewContextForRGBA(img)
	// What vgimg.NewWith does to a context of its own making.
	ctx.SetLineCapButt()
	ctx.InvertY()
	ctx.SetInterpolator(xdraw.NearestNeighbor)
	return chartCanvas{vgimg.NewWith(vgimg.UseImageWithContext(img, ctx)), ctx}
}

// chartCanvas is a vgimg canvas whose text, while the canvas is neither
// rotated, scaled nor moved, is drawn with nearest-neighbour sampling
// instead of gg's bilinear: the same pixels, faster.
//
// gg draws each glyph by transforming its mask onto the image with its
// interpolator, even when the transformation is only a move by whole
// pixels, as it is for unrotated text on a vgimg canvas (vgimg's and
// FillString's flips of y cancel out). Then every pixel's centre falls on
// a glyph pixel's centre: the bilinear kernel gives that pixel a weight
// of exactly 1 and its neighbours 0, which is the pixel nearest-neighbour
// sampling takes, and x/image/draw composites both the same way, in
// integers. Bilinear took a tenth of a chart's drawing: it works out
// weights for every pixel. Rotate, Translate and Scale put the bilinear
// kernel back (vgimg's Push and Pop save and restore it with the rest of
// gg's state), as does DrawImage, so that rotated labels and images are
// drawn as they were (TestPNGSamePixels compares every chart with
// vgimg.New's).
type chartCanvas struct {
	*vgimg.Canvas
	ctx *gg.Context // nil: vgimg.New's context, bilinear throughout
}

func (c chartCanvas) bilinear() {
	if c.ctx != nil {
		c.ctx.SetInterpolator(xdraw.BiLinear)
	}
}

func (c chartCanvas) Rotate(t float64) {
	c.bilinear()
	c.Canvas.Rotate(t)
}

func (c chartCanvas) Translate(pt vg.Point) {
	c.bilinear()
	c.Canvas.Translate(pt)
}

func (c chartCanvas) Scale(x, y float64) {
	c.bilinear()
	c.Canvas.Scale(x, y)
}

func (c chartCanvas) DrawImage(rect vg.Rectangle, img image.Image) {
	c.Push()
	defer c.Pop()
	c.bilinear()
	c.Canvas.DrawImage(rect, img)
}

// siTicks labels an axis with K and M suffixes.
type siTicks struct{}

func (siTicks) Ticks(lo, hi float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(lo, hi)
	for i := range ticks {
		if ticks[i].Label != "" {
			ticks[i].Label = SI(ticks[i].Value)
		}
	}
	return ticks
}

// dollarTicks labels an axis in dollars with thousands separators.
type dollarTicks struct{}

func (dollarTicks) Ticks(lo, hi float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(lo, hi)
	for i := range ticks {
		if ticks[i].Label != "" {
			ticks[i].Label = dollars(ticks[i].Value)
		}
	}
	return ticks
}

// dollars writes a whole-dollar amount: $1,234, or −$1,234.
func dollars(v float64) string {
	if v < 0 {
		return "−" + dollars(-v)
	}
	return "$" + pricing.Thousands(int64(math.Round(v)))
}

// signedDollars writes a change: +$1,234 or −$1,234.
func signedDollars(v float64) string {
	if v < 0 {
		return dollars(v)
	}
	return "+" + dollars(v)
}

// SI formats a count to three significant digits with a K, M or B
// suffix: 1.5M, 250K, 21.3M, 12.
func SI(v float64) string {
	a := math.Abs(v)
	switch {
	case a >= 999.5e6:
		return sig3(v/1e9) + "B"
	case a >= 999.5e3:
		return sig3(v/1e6) + "M"
	case a >= 999.5:
		return sig3(v/1e3) + "K"
	}
	return sig3(v)
}

func sig3(v float64) string {
	if math.Abs(v) >= 100 {
		return strconv.FormatFloat(math.Round(v), 'f', -1, 64)
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}

func trim(v float64) string { return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64) }

// encodePanels stacks plots vertically into one PNG.
func encodePanels(ps ...*plot.Plot) ([]byte, error) {
	c := newCanvas(chartWidth, panelsHeight(len(ps)))
	drawPanels(draw.New(c), ps)
	return encodeCanvas(c)
}

// panelsHeight is the height of n panels stacked.
func panelsHeight(n int) vg.Length { return chartHeight * vg.Length(n) * 0.8 }

// drawPanels draws plots one above the other on dc, a blank canvas.
func drawPanels(dc draw.Canvas, ps []*plot.Plot) {
	tiles := draw.Tiles{Rows: len(ps), Cols: 1, PadY: vg.Points(6)}
	for i, p := range ps {
		if i == 0 {
			drawOnBlank(p, tiles.At(inset(dc), 0, i))
			continue
		}
		p.Draw(tiles.At(inset(dc), 0, i))
	}
}

// legendEntry is what a chart draws in one colour, as its legend names it.
type legendEntry struct {
	label string
	col   color.Color
}

// percents rounds shares of a whole to whole percentages that add up to
// 100 (the largest remainders round up): 63.4, 18.3 and 18.3 are 64%,
// 18% and 18%, where rounding each alone says 99% in all. Negative parts
// count as none; all zero is all 0%.
func percents(parts ...float64) []int {
	var sum float64
	for _, v := range parts {
		sum += math.Max(0, v)
	}
	out := make([]int, len(parts))
	if sum <= 0 {
		return out
	}
	rest := make([]float64, len(parts))
	left := 100
	for i, v := range parts {
		x := 100 * math.Max(0, v) / sum
		out[i] = int(math.Floor(x))
		rest[i] = x - float64(out[i])
		left -= out[i]
	}
	order := make([]int, len(parts))
	for i := range order {
		order[i] = i
	}
	// Ties go to the earlier part, so the result does not depend on sorting.
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(rest[b], rest[a]) })
	for _, i := range order[:left] {
		out[i]++
	}
	return out
}

// swatch is a legend entry drawn as a filled box.
type swatch color.RGBA

func (c swatch) Thumbnail(cv *draw.Canvas) {
	pts := []vg.Point{{X: cv.Min.X, Y: cv.Min.Y}, {X: cv.Min.X, Y: cv.Max.Y}, {X: cv.Max.X, Y: cv.Max.Y}, {X: cv.Max.X, Y: cv.Min.Y}}
	cv.FillPolygon(color.RGBA(c), cv.ClipPolygonY(pts))
}

func swatchOf(c color.Color) swatch {
	r, g, b, a := c.RGBA()
	return swatch(color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), uint8(a >> 8)})
}

// timeTicks marks a time axis in loc: local midnights, every day for
// windows of a few weeks and fewer (each labelled with its date) for
// long ones; times of day for windows of a few days or less, which have
// few midnights or none.
type timeTicks struct {
	loc *time.Location
	ct  ChartText
}

// clockSpan is the longest window whose axis is marked with times of day.
const clockSpan = 4 * 24 * time.Hour

func (d timeTicks) Ticks(lo, hi float64) []plot.Tick {
	if hi-lo < clockSpan.Seconds() {
		return d.clockTicks(lo, hi)
	}
	if hi-lo > monthSpan.Seconds() {
		return d.monthTicks(lo, hi)
	}
	first := time.Unix(int64(lo), 0).In(d.loc)
	day := time.Date(first.Year(), first.Month(), first.Day(), 0, 0, 0, 0, d.loc)
	span := (hi - lo) / 86400
	step := int(math.Max(1, math.Ceil(span/14)))
	weekday, year := true, false
	if step > 1 {
		weekday = false
	}
	if step >= 7 {
		step = 7 * int(math.Ceil(float64(step)/7))
		year = true
	}
	var ticks []plot.Tick
	for k := 0; ; k++ {
		t := time.Date(day.Year(), day.Month(), day.Day()+k, 0, 0, 0, 0, d.loc)
		v := float64(t.Unix())
		if v > hi {
			break
		}
		if v < lo {
			continue
		}
		label := ""
		if k%step == 0 {
			label = d.ct.date(t, weekday, false, year)
			if t.Day() == 1 && !year {
				label = d.ct.date(t, true, true, false) // a new month (the axis label names the first)
			}
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: label})
	}
	return ticks
}

// monthSpan is the shortest window whose axis is marked by months: a day
// tick (or a week's) would crowd it.
const monthSpan = 120 * 24 * time.Hour

// monthTicks puts a tick on the first of every month, and labels every
// step-th (the shortest step of a readable set giving at most nine
// labels) with its month and year.
func (d timeTicks) monthTicks(lo, hi float64) []plot.Tick {
	first := time.Unix(int64(lo), 0).In(d.loc)
	months := (hi - lo) / 86400 / 30.44
	step := 12
	for _, m := range []int{1, 2, 3, 6} {
		if months/float64(m) <= 9 {
			step = m
			break
		}
	}
	var ticks []plot.Tick
	for k := 1; ; k++ {
		t := time.Date(first.Year(), first.Month()+time.Month(k), 1, 0, 0, 0, 0, d.loc)
		v := float64(t.Unix())
		if v > hi {
			break
		}
		label := ""
		// Labelled months fall on the same months every year.
		if (int(t.Month())-1)%step == 0 {
			label = d.ct.month(t)
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: label})
	}
	return ticks
}

// clockTicks puts a tick every step of the wall clock from local
// midnight, the step the shortest of a readable set that gives at most
// twelve; ticks at midnight name the day.
func (d timeTicks) clockTicks(lo, hi float64) []plot.Tick {
	step := 12 * 60
	for _, m := range []int{1, 2, 5, 10, 15, 30, 60, 120, 180, 240, 360, 720} {
		if (hi-lo)/60/float64(m) <= 12 {
			step = m
			break
		}
	}
	first := time.Unix(int64(lo), 0).In(d.loc)
	var ticks []plot.Tick
	for k := 0; ; k++ {
		// On the wall clock, so ticks stay on the hour across a
		// daylight-saving change.
		t := time.Date(first.Year(), first.Month(), first.Day(), 0, k*step, 0, 0, d.loc)
		v := float64(t.Unix())
		if v > hi {
			break
		}
		if v < lo {
			continue
		}
		label := t.Format("15:04")
		if t.Hour() == 0 && t.Minute() == 0 {
			label = d.ct.date(t, true, false, false)
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: label})
	}
	return ticks
}

// timeAxisLabel names a time axis's zone and the day it starts on, which
// its ticks name by the day of the month or the time of day.
func timeAxisLabel(lo float64, loc *time.Location, ct ChartText) string {
	t := time.Unix(int64(lo), 0).In(loc)
	return ct.tr("time (%s), from %s", "時刻（%s、%s から）", loc, ct.date(t, true, true, true))
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// integerTicks puts a labelled tick on whole numbers only.
type integerTicks struct{}

func (integerTicks) Ticks(lo, hi float64) []plot.Tick {
	step := math.Max(1, math.Ceil((hi-lo)/12))
	var ticks []plot.Tick
	for v := math.Ceil(lo); v <= hi; v += step {
		ticks = append(ticks, plot.Tick{Value: v, Label: strconv.Itoa(int(v))})
	}
	return ticks
}
