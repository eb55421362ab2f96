package reports

import (
	"bytes"
	"image/color"
	"image/png"
	"math"
	"slices"
	"strconv"
	"time"
	"unicode"
	"unicode/utf8"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/sim"
	"github.com/bedrockplan/bedrockplan/workload"
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

func encodePNG(p *plot.Plot) ([]byte, error) { return encodePlot(p, chartWidth, chartHeight) }

// encodePlot draws p on a w × h canvas and encodes it.
func encodePlot(p *plot.Plot, w, h vg.Length) ([]byte, error) {
	c := vgimg.New(w, h)
	p.Draw(draw.New(c))
	return encodeCanvas(c)
}

// encodeCanvas writes a canvas as PNG at the fastest compression: charts
// are flat colours, which it still packs well (the demo's charts come out
// 1-4% larger than at the default level), and encoding at the default
// level took a tenth of a portfolio's time.
func encodeCanvas(c *vgimg.Canvas) ([]byte, error) {
	var b bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&b, c.Image()); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
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

// bucketFor picks the coarsest-needed readable bucket so a chart has at
// most about 2,000 points.
func bucketFor(period time.Duration, n int) time.Duration {
	span := period * time.Duration(n)
	for _, b := range []time.Duration{period, 5 * time.Minute, 15 * time.Minute, time.Hour, 3 * time.Hour, 24 * time.Hour} {
		if b >= period && b%period == 0 && span/b <= 2000 {
			return b
		}
	}
	return 24 * time.Hour
}

// DemandChart draws demand against capacity over time for one replay:
// tokens per minute served by each layer, sent to on-demand and
// throttled, stacked, with the capacity in service as lines. A plan that
// reserves gets two panels, input and output, since Reserved capacity is
// bought on both sides and either can bind; otherwise the input side.
// Times are in loc.
func DemandChart(s *workload.Series, iv *sim.Intervals, tp pricing.Throughput, ptColor color.Color, strategy string, loc *time.Location, ct ChartText) ([]byte, error) {
	if iv.ResCost == nil {
		p, err := demandPanel(s, iv, tp, ptColor, strategy, loc, ct, false, true)
		if err != nil {
			return nil, err
		}
		return encodePNG(p)
	}
	in, err := demandPanel(s, iv, tp, ptColor, strategy, loc, ct, false, true)
	if err != nil {
		return nil, err
	}
	out, err := demandPanel(s, iv, tp, ptColor, strategy, loc, ct, true, false)
	if err != nil {
		return nil, err
	}
	return encodePanels(in, out)
}

// encodePanels stacks plots vertically into one PNG.
func encodePanels(ps ...*plot.Plot) ([]byte, error) {
	c := vgimg.New(chartWidth, chartHeight*vg.Length(len(ps))*0.8)
	dc := draw.New(c)
	tiles := draw.Tiles{Rows: len(ps), Cols: 1, PadY: vg.Points(6)}
	for i, p := range ps {
		p.Draw(tiles.At(dc, 0, i))
	}
	return encodeCanvas(c)
}

// demandPanel draws one side (input or output tokens) of the demand
// chart; titled carries the chart's title.
func demandPanel(s *workload.Series, iv *sim.Intervals, tp pricing.Throughput, ptColor color.Color, strategy string, loc *time.Location, ct ChartText, output, titled bool) (*plot.Plot, error) {
	bucket := bucketFor(s.Period, s.Len())
	per := int(bucket / s.Period)
	dt := s.Period.Minutes()
	n := (s.Len() + per - 1) / per
	reserved := iv.ResCost != nil
	res, pt, od, thr, capacity, resCap := make(plotter.XYs, n), make(plotter.XYs, n), make(plotter.XYs, n), make(plotter.XYs, n), make(plotter.XYs, n), make(plotter.XYs, n)
	tokens, ptTok, odTok, muTPM := s.InputTokens, iv.PTInput, iv.ODInput, tp.InputTPM
	resTPM := iv.ResInputTPM
	if output {
		tokens, ptTok, odTok, muTPM, resTPM = s.OutputTokens, iv.PTOutput, iv.ODOutput, tp.OutputTPM, iv.ResOutputTPM
	}
	var top float64
	var totalThrottled float64
	for b := range n {
		lo, hi := b*per, min((b+1)*per, s.Len())
		var sRes, sPT, sOD, sThr, sCap, sResCap float64
		for i := lo; i < hi; i++ {
			var r float64
			if reserved {
				// The layer's share of the plain tokens (its own input
				// count also holds cache writes).
				r = tokens[i] * iv.ResShare[i]
				sResCap += resTPM[i] * dt
			}
			sRes += r
			sPT += ptTok[i]
			sOD += odTok[i]
			sThr += tokens[i] - r - ptTok[i] - odTok[i]
			sCap += iv.MU[i] * muTPM * dt
			totalThrottled += iv.Throttled[i]
		}
		mins := float64(hi-lo) * dt
		x := float64(s.Start[lo])
		res[b] = plotter.XY{X: x, Y: sRes / mins}
		pt[b] = plotter.XY{X: x, Y: (sRes + sPT) / mins}
		od[b] = plotter.XY{X: x, Y: (sRes + sPT + sOD) / mins}
		thr[b] = plotter.XY{X: x, Y: (sRes + sPT + sOD + math.Max(0, sThr)) / mins}
		resCap[b] = plotter.XY{X: x, Y: sResCap / mins}
		capacity[b] = plotter.XY{X: x, Y: (sResCap + sCap) / mins}
		top = math.Max(top, math.Max(thr[b].Y, capacity[b].Y))
	}
	var servedPT, servedRes, total float64
	for i := range s.Start {
		servedPT += iv.PTRequests[i]
		if reserved {
			servedRes += iv.ResRequests[i]
		}
		total += s.Invocations[i]
	}
	name := capitalise(ct.strategy(strategy))
	title := ""
	if titled {
		title = ct.tr("%s: no PT, all traffic on-demand", "%s：PT なし、すべてオンデマンド", name)
		switch {
		case reserved && total > 0:
			title = ct.tr("%s: Reserved serves %s%% of requests, PT %s%%, the rest goes on-demand", "%s：リクエストの %s%% を予約、%s%% を PT が処理し、残りはオンデマンド",
				name, trim(math.Round(100*servedRes/total)), trim(math.Round(100*servedPT/total)))
		case top > 0 && servedPT > 0:
			title = ct.tr("%s: PT serves %s%% of requests, the rest goes on-demand", "%s：リクエストの %s%% を PT が処理し、残りはオンデマンド", name, trim(math.Round(100*servedPT/total)))
		}
		if totalThrottled > 0 {
			title += ct.tr("; %s requests throttled", "。%s 件がスロットリング", SI(totalThrottled))
		}
	}
	yLabel := ct.tr("input tokens / min (%s means)", "入力トークン/分（%s平均）", ct.lang.period(bucket))
	if output {
		yLabel = ct.tr("output tokens / min (%s means)", "出力トークン/分（%s平均）", ct.lang.period(bucket))
	}
	p := newPlot(ct, title, ct.tr("time (%s)", "時刻（%s）", loc), yLabel)
	p.X.Tick.Marker = dayTicks{loc, ct}
	p.Y.Min, p.Y.Max = 0, math.Max(1, top*1.3) // headroom keeps the legend off the data
	layers := []struct {
		xy    plotter.XYs
		col   color.Color
		label string
	}{
		{thr, ColorThrottled, ct.tr("throttled", "スロットリング")},
		{od, ColorOnDemand, ct.tr("on-demand", "オンデマンド")},
		{pt, ptColor, ct.tr("served by PT", "PT が処理")},
	}
	if reserved {
		layers = append(layers, struct {
			xy    plotter.XYs
			col   color.Color
			label string
		}{res, ColorReserved, ct.tr("served by Reserved", "予約が処理")})
	}
	for _, l := range layers {
		line, err := plotter.NewLine(l.xy)
		if err != nil {
			return nil, err
		}
		line.StepStyle = plotter.PostStep
		line.FillColor = l.col
		line.Color = l.col
		line.Width = 0
		p.Add(line)
	}
	side := ct.tr("input", "入力")
	if output {
		side = ct.tr("output", "出力")
	}
	hasPT := slices.Max(iv.MU) > 0
	if reserved {
		resLine, err := plotter.NewLine(resCap)
		if err != nil {
			return nil, err
		}
		resLine.StepStyle = plotter.PostStep
		resLine.Color = colorCapacity
		resLine.Width = vg.Points(1.5)
		resLine.Dashes = []vg.Length{vg.Points(2), vg.Points(2)}
		p.Add(resLine)
		p.Legend.Add(ct.tr("Reserved capacity (%s)", "予約容量（%s）", side), resLine)
	}
	if hasPT {
		capLine, err := plotter.NewLine(capacity)
		if err != nil {
			return nil, err
		}
		capLine.StepStyle = plotter.PostStep
		capLine.Color = colorCapacity
		capLine.Width = vg.Points(1.5)
		capLine.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
		p.Add(capLine)
		label := ct.tr("PT capacity (%s)", "PT 容量（%s）", side)
		if reserved {
			label = ct.tr("Reserved + PT capacity (%s)", "予約 ＋ PT 容量（%s）", side)
		}
		p.Legend.Add(label, capLine)
	}
	legend := layers
	if !hasPT {
		// No PT: no PT entry in the legend.
		legend = slices.Delete(slices.Clone(layers), 2, 3)
	}
	for i := len(legend) - 1; i >= 0; i-- {
		p.Legend.Add(legend[i].label, swatchOf(legend[i].col))
	}
	return p, nil
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

// costChartTitle states the cost chart's finding: the strategy the
// report is about (the user's plan in simulate, the recommendation
// otherwise) against on-demand when it buys capacity, else the cheapest
// strategy. The verdict speaks of the same strategy, so the title names
// it as the verdict does.
func costChartTitle(a *sim.Analysis, detail string, window time.Duration, ct ChartText) string {
	span := ct.lang.span(window, false)
	var priced []*sim.Strategy
	var best *sim.Strategy
	for i := range a.Strategies {
		if s := &a.Strategies[i]; !s.Skipped {
			priced = append(priced, s)
			if best == nil || s.Totals.Total() < best.Totals.Total() {
				best = s
			}
		}
	}
	if best == nil {
		return ct.tr("Cost over %s: no strategy could be priced", "%sの費用：試算できた戦略はありません", span)
	}
	d, od := a.Strategy(detail), a.Strategy(sim.StrategyOnDemand)
	switch {
	case len(priced) == 1:
		return ct.tr("Cost over %s: only %s could be priced (%s)", "%sの費用：試算できたのは %s のみ（%s）", span, ct.strategy(best.Name), best.Totals.Total())
	case d != nil && !d.Skipped && d.Name != sim.StrategyOnDemand && d.BuysCapacity() && od != nil && od.Totals.Total() > 0:
		subject := ct.tr("recommended", "推奨")
		if d.Name == sim.StrategyPlan {
			subject = ct.tr("your plan", "指定プラン")
		}
		diff := float64(d.Totals.Total()-od.Totals.Total()) / float64(od.Totals.Total())
		return ct.tr("Cost over %s: %s %s, %s%% %s than on-demand", "%sの費用：%sは %s で、オンデマンドより %s%% %s", span, subject, d.Totals.Total(), sig3(100*math.Abs(diff)),
			map[bool]string{true: ct.tr("more", "高い"), false: ct.tr("less", "安い")}[diff > 0])
	}
	return ct.tr("Cost by strategy over %s: %s is cheapest at %s", "%sの戦略別費用：最安は %s（%s）", span, ct.strategy(best.Name), best.Totals.Total())
}

// CostChart draws total cost per strategy, stacked PT (in its term's
// colour) and on-demand, with the total above each bar.
//
// Scheduled no-commitment PT (billed per hour at noCommitHourly) is its
// own segment in the no-commit colour, apart from the committed PT of the
// strategy's term: a report must not show an hourly block as committed.
func CostChart(a *sim.Analysis, detail string, window time.Duration, noCommitHourly float64, ct ChartText) ([]byte, error) {
	var names []string
	var resV, ptV, schedV, odV plotter.Values
	var ptCols []color.Color
	var labels []string
	var top float64
	for _, s := range a.Strategies {
		if s.Skipped {
			continue
		}
		names = append(names, ct.strategy(s.Name))
		sched := math.Min(s.Totals.ScheduledMUHoursBilled*noCommitHourly, s.Totals.PTCost.USD())
		resV = append(resV, s.Totals.ResCost.USD())
		ptV = append(ptV, s.Totals.PTCost.USD()-sched)
		schedV = append(schedV, sched)
		odV = append(odV, s.Totals.ODCost.USD())
		ptCols = append(ptCols, TermColor(s.Term))
		labels = append(labels, s.Totals.Total().String())
		top = math.Max(top, s.Totals.Total().USD())
	}
	p := newPlot(ct, costChartTitle(a, detail, window, ct), "", ct.tr("cost (USD)", "費用（米ドル）"))
	p.Y.Tick.Marker = dollarTicks{}
	p.Y.Min, p.Y.Max = 0, math.Max(1, top*1.3)
	w := vg.Points(60)
	// One bar chart per strategy so each PT bar takes its term's colour.
	for i := range names {
		one := func(v float64) plotter.Values {
			vals := make(plotter.Values, len(names))
			vals[i] = v
			return vals
		}
		// Segments bottom up, each stacked on the one below.
		var below *plotter.BarChart
		for _, seg := range []struct {
			v   float64
			col color.Color
		}{{resV[i], ColorReserved}, {ptV[i], ptCols[i]}, {schedV[i], ColorNoCommit}, {odV[i], ColorOnDemand}} {
			bar, err := plotter.NewBarChart(one(seg.v), w)
			if err != nil {
				return nil, err
			}
			bar.Color, bar.LineStyle.Width = seg.col, 0
			if below != nil {
				bar.StackOn(below)
			}
			p.Add(bar)
			below = bar
		}
	}
	xys := make(plotter.XYs, len(names))
	for i := range names {
		xys[i] = plotter.XY{X: float64(i), Y: resV[i] + ptV[i] + schedV[i] + odV[i] + top*0.02}
	}
	lab, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: labels})
	if err != nil {
		return nil, err
	}
	for i := range lab.TextStyle {
		lab.TextStyle[i].XAlign = draw.XCenter
		lab.TextStyle[i].Font.Size = vg.Points(11)
		ct.style(&lab.TextStyle[i])
	}
	p.Add(lab)
	p.NominalX(names...)
	p.X.Min, p.X.Max = -0.6, float64(len(names))-0.4
	if slices.Max(resV) > 0 {
		p.Legend.Add(ct.tr("Reserved", "予約"), swatchOf(ColorReserved))
	}
	seen := map[color.Color]bool{}
	for _, t := range []pricing.Term{pricing.TermSixMonths, pricing.TermOneMonth, pricing.TermNone} {
		for i, c := range ptCols {
			if c == TermColor(t) && !seen[c] && ptV[i] > 0 {
				seen[c] = true
				p.Legend.Add("PT "+ct.lang.term(t), swatchOf(c))
			}
		}
	}
	if slices.Max(schedV) > 0 && !seen[ColorNoCommit] {
		p.Legend.Add(ct.tr("PT no-commit, scheduled", "PT コミットなし（時間帯指定）"), swatchOf(ColorNoCommit))
	}
	p.Legend.Add(ct.tr("on-demand", "オンデマンド"), swatchOf(ColorOnDemand))
	return encodePNG(p)
}

// CostCurveChart draws total cost against committed MUs for each term,
// with the recommendation marked.
func CostCurveChart(a *sim.Analysis, ct ChartText) ([]byte, error) {
	byTerm := map[pricing.Term]plotter.XYs{}
	var terms []pricing.Term
	var top float64
	for _, c := range a.Curve {
		if _, ok := byTerm[c.Term]; !ok {
			terms = append(terms, c.Term)
		}
		byTerm[c.Term] = append(byTerm[c.Term], plotter.XY{X: float64(c.MU), Y: c.Totals.Total().USD()})
		top = math.Max(top, c.Totals.Total().USD())
	}
	title := costCurveTitle(a, ct)
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
	if a.Chosen >= 0 {
		c := a.Curve[a.Chosen]
		mark, err := plotter.NewScatter(plotter.XYs{{X: float64(c.MU), Y: c.Totals.Total().USD()}})
		if err != nil {
			return nil, err
		}
		mark.Shape, mark.Radius, mark.Color = draw.RingGlyph{}, vg.Points(9), colorCapacity
		p.Add(mark)
		lab, err := plotter.NewLabels(plotter.XYLabels{XYs: plotter.XYs{{X: float64(c.MU), Y: c.Totals.Total().USD() - top*0.08}},
			Labels: []string{ct.tr("chosen: ", "選択：") + c.Totals.Total().String()}})
		if err != nil {
			return nil, err
		}
		lab.TextStyle[0].XAlign = draw.XCenter
		lab.TextStyle[0].Font.Size = vg.Points(11)
		ct.style(&lab.TextStyle[0])
		p.Add(lab)
		p.Legend.Add(ct.tr("chosen", "選択"), mark)
	}
	return encodePNG(p)
}

// costCurveTitle states the curve's finding: the recommendation's point,
// or, when the recommendation is not on the curve, the cheapest
// commitment alone.
func costCurveTitle(a *sim.Analysis, ct ChartText) string {
	title := ct.tr("Total cost vs committed model units", "コミット MU 数と総費用")
	if a.Chosen >= 0 {
		c := a.Curve[a.Chosen]
		if c.MU == 0 {
			title += ct.tr(": no PT is cheapest", "：PT なしが最安")
		} else {
			title += ct.tr(": %d MU %s is cheapest", "：%d MU（%s）が最安", c.MU, ct.lang.term(c.Term))
		}
	} else if len(a.Curve) > 0 {
		// The recommendation is not on the curve (it schedules MUs by the
		// hour, say): say what committing alone would do best.
		best := a.Curve[0]
		for _, c := range a.Curve {
			if c.Totals.Total() < best.Totals.Total() {
				best = c
			}
		}
		what := ct.tr("no PT", "PT なし")
		if best.MU > 0 {
			what = ct.tr("%d MU %s", "%d MU（%s）", best.MU, ct.lang.term(best.Term))
		}
		title = ct.tr("Committing alone, %s is cheapest (%s)", "コミットのみなら %s が最安（%s）", what, best.Totals.Total())
		if o := a.Optimum; o != nil && slices.Max(o.Scheduled[:]) > 0 {
			title += ct.tr("; the plan also schedules MUs by the hour", "。推奨は時間帯指定の MU も使います")
		}
	}
	return title
}

// dayTicks marks local midnights: every day for short windows, fewer
// (each labelled with its date) for long ones.
type dayTicks struct {
	loc *time.Location
	ct  ChartText
}

func (d dayTicks) Ticks(lo, hi float64) []plot.Tick {
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
			if len(ticks) == 0 || t.Day() == 1 {
				label = d.ct.date(t, true, true, false) // the month, once
			}
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: label})
	}
	return ticks
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
