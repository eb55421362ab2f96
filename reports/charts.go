package reports

import (
	"bytes"
	"cmp"
	"fmt"
	"image/color"
	"image/png"
	"math"
	"slices"
	"strconv"
	"strings"
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
	p.Draw(inset(draw.New(c)))
	return encodeCanvas(c)
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

// DemandChart draws demand against capacity over time for one replay of
// strategy d: tokens per minute served by each layer, sent to on-demand
// and throttled, stacked, with the capacity in service as lines. It has
// two panels, input and output tokens: an MU carries both at a fixed
// mix, so when output binds, PT serves less input than its input line
// shows, which only the output panel explains (Reserved capacity is
// bought on both sides, and either can bind too). Times are in loc.
func DemandChart(s *workload.Series, iv *sim.Intervals, tp pricing.Throughput, d *sim.Strategy, loc *time.Location, ct ChartText) ([]byte, error) {
	ps, err := demandPlots(s, iv, tp, d, loc, ct)
	if err != nil {
		return nil, err
	}
	return encodePanels(ps...)
}

// demandPlots are the demand chart's panels, input above output.
func demandPlots(s *workload.Series, iv *sim.Intervals, tp pricing.Throughput, d *sim.Strategy, loc *time.Location, ct ChartText) ([]*plot.Plot, error) {
	var ps []*plot.Plot
	for _, output := range []bool{false, true} {
		p, _, err := demandPanel(s, iv, tp, d, loc, ct, output)
		if err != nil {
			return nil, err
		}
		ps = append(ps, p)
	}
	return ps, nil
}

// encodePanels stacks plots vertically into one PNG.
func encodePanels(ps ...*plot.Plot) ([]byte, error) {
	c := vgimg.New(chartWidth, panelsHeight(len(ps)))
	drawPanels(draw.New(c), ps)
	return encodeCanvas(c)
}

// panelsHeight is the height of n panels stacked.
func panelsHeight(n int) vg.Length { return chartHeight * vg.Length(n) * 0.8 }

// drawPanels draws plots one above the other on dc.
func drawPanels(dc draw.Canvas, ps []*plot.Plot) {
	tiles := draw.Tiles{Rows: len(ps), Cols: 1, PadY: vg.Points(6)}
	for i, p := range ps {
		p.Draw(tiles.At(inset(dc), 0, i))
	}
}

// legendEntry is what a chart draws in one colour, as its legend names it.
type legendEntry struct {
	label string
	col   color.Color
}

// scheduledMU is the no-commit MUs plan schedules in each interval of s,
// by the interval's start on the plan's wall clock; nil when it
// schedules none.
func scheduledMU(plan sim.Plan, s *workload.Series) []float64 {
	if len(plan.Scheduled) == 0 {
		return nil
	}
	loc := plan.Location()
	out := make([]float64, s.Len())
	for i := range out {
		t := s.Time(i).In(loc)
		m := sim.Clock(t.Hour()*60 + t.Minute())
		for _, w := range plan.Scheduled {
			on := func(d time.Weekday) bool { return slices.Contains(w.Days, d) }
			covered := on(t.Weekday()) && m >= w.From && m < w.To
			if w.To <= w.From { // past midnight into the next day
				covered = on(t.Weekday()) && m >= w.From || on((t.Weekday()+6)%7) && m < w.To
			}
			if covered {
				out[i] += float64(w.ModelUnits)
			}
		}
	}
	return out
}

// demandPanel draws one side (input or output tokens) of the demand
// chart, the input side with the chart's title, and returns its legend:
// the layers that carry some traffic, bottom up, then the capacity lines.
func demandPanel(s *workload.Series, iv *sim.Intervals, tp pricing.Throughput, d *sim.Strategy, loc *time.Location, ct ChartText, output bool) (*plot.Plot, []legendEntry, error) {
	bucket := bucketFor(s.Period, s.Len())
	per := int(bucket / s.Period)
	dt := s.Period.Minutes()
	n := (s.Len() + per - 1) / per
	reserved := iv.ResCost != nil
	sched := scheduledMU(d.Plan, s)
	tokens, ptTok, odTok, muTPM := s.InputTokens, iv.PTInput, iv.ODInput, tp.InputTPM
	resTPM := iv.ResInputTPM
	if output {
		tokens, ptTok, odTok, muTPM, resTPM = s.OutputTokens, iv.PTOutput, iv.ODOutput, tp.OutputTPM, iv.ResOutputTPM
	}
	// The layers bottom up; each bucket's point is its layer's top.
	const (
		lRes = iota
		lCommitted
		lScheduled
		lOD
		lThrottled
		nLayers
	)
	var tops [nLayers]plotter.XYs
	var sums [nLayers]float64
	capacity, resCap := make(plotter.XYs, n), make(plotter.XYs, n)
	var top, totalThrottled float64
	for b := range n {
		lo, hi := b*per, min((b+1)*per, s.Len())
		var sum [nLayers]float64
		var sCap, sResCap float64
		for i := lo; i < hi; i++ {
			var r float64
			if reserved {
				// The layer's share of the plain tokens (its own input
				// count also holds cache writes).
				r = tokens[i] * iv.ResShare[i]
				sResCap += resTPM[i] * dt
			}
			// PT served is split between committed and scheduled MUs,
			// committed first (they are there around the clock), by the
			// MUs the binding side of PT's work needs.
			committed := ptTok[i]
			if sched != nil && iv.MU[i] > 0 && tp.Known() {
				held := math.Max(0, iv.MU[i]-sched[i])
				used := math.Max(iv.PTInput[i]/(tp.InputTPM*dt), iv.PTOutput[i]/(tp.OutputTPM*dt))
				if used > held {
					committed = ptTok[i] * held / used
				}
			}
			sum[lRes] += r
			sum[lCommitted] += committed
			sum[lScheduled] += ptTok[i] - committed
			sum[lOD] += odTok[i]
			sum[lThrottled] += math.Max(0, tokens[i]-r-ptTok[i]-odTok[i])
			sCap += iv.MU[i] * muTPM * dt
			totalThrottled += iv.Throttled[i]
		}
		mins := float64(hi-lo) * dt
		x := float64(s.Start[lo])
		var y float64
		for l := range nLayers {
			y += sum[l] / mins
			tops[l] = append(tops[l], plotter.XY{X: x, Y: y})
			sums[l] += sum[l]
		}
		resCap[b] = plotter.XY{X: x, Y: sResCap / mins}
		capacity[b] = plotter.XY{X: x, Y: (sResCap + sCap) / mins}
		top = math.Max(top, math.Max(y, capacity[b].Y))
	}
	// Each step runs to the end of its bucket: the last one too.
	end := float64(s.End().Unix())
	for l := range tops {
		tops[l] = closeSteps(tops[l], end)
	}
	capacity, resCap = closeSteps(capacity, end), closeSteps(resCap, end)

	title := ""
	if !output {
		title = demandTitle(s, iv, d, totalThrottled, ct)
		if outputBinds(iv, tp, dt) {
			title += ct.tr("; output tokens fill PT first (lower panel)", "。PT は出力トークンで先に埋まる（下段）")
		}
	}
	side := ct.tr("input", "入力")
	yLabel := ct.tr("input tokens / min (%s means)", "入力トークン/分（%s平均）", ct.lang.period(bucket))
	if output {
		side = ct.tr("output", "出力")
		yLabel = ct.tr("output tokens / min (%s means)", "出力トークン/分（%s平均）", ct.lang.period(bucket))
	}
	lo, hi := end, end
	if s.Len() > 0 {
		lo = float64(s.Start[0])
	}
	p := newPlot(ct, title, timeAxisLabel(lo, loc, ct), yLabel)
	p.X.Tick.Marker = timeTicks{loc, ct}
	p.X.Min, p.X.Max = lo, hi
	p.Y.Min, p.Y.Max = 0, math.Max(1, top*1.3) // headroom keeps the legend off the data
	ptTerm := d.Term
	if d.CommittedMU == 0 {
		ptTerm = pricing.TermNone // held around the clock without commitment, if at all
	}
	layers := [nLayers]legendEntry{
		lRes:       {ct.tr("served by Reserved", "予約が処理"), ColorReserved},
		lCommitted: {ct.tr("served by PT %s", "PT（%s）が処理", ct.lang.term(ptTerm)), TermColor(ptTerm)},
		lScheduled: {ct.tr("served by PT no-commit, scheduled", "PT（コミットなし、時間帯指定）が処理"), ColorNoCommit},
		lOD:        {ct.tr("on-demand", "オンデマンド"), ColorOnDemand},
		lThrottled: {ct.tr("throttled", "スロットリング"), ColorThrottled},
	}
	// Top layer first, each drawn over the one above it.
	for l := nLayers - 1; l >= 0; l-- {
		line, err := plotter.NewLine(tops[l])
		if err != nil {
			return nil, nil, err
		}
		line.StepStyle = plotter.PostStep
		line.FillColor, line.Color, line.Width = layers[l].col, layers[l].col, 0
		p.Add(line)
	}
	// Entries for the layers that carry traffic (more than float dust:
	// throttled tokens are a difference), on-demand at least.
	var total float64
	for _, v := range tokens {
		total += v
	}
	var legend []legendEntry
	for l := range nLayers {
		carries := sums[l] > 1e-9*total
		if l == lThrottled {
			carries = totalThrottled > 0
		}
		if carries || l == lOD && sums[lCommitted]+sums[lScheduled]+sums[lRes] == 0 {
			legend = append(legend, layers[l])
		}
	}
	// The legend lists top down, as the layers stack.
	for i := len(legend) - 1; i >= 0; i-- {
		p.Legend.Add(legend[i].label, swatchOf(legend[i].col))
	}
	ptCapacity := ct.tr("PT capacity (%s)", "PT 容量（%s）", side)
	if reserved {
		ptCapacity = ct.tr("Reserved + PT capacity (%s)", "予約 ＋ PT 容量（%s）", side)
	}
	for _, c := range []struct {
		xy     plotter.XYs
		show   bool
		dashes []vg.Length
		label  string
	}{
		{resCap, reserved, []vg.Length{vg.Points(2), vg.Points(2)}, ct.tr("Reserved capacity (%s)", "予約容量（%s）", side)},
		{capacity, slices.Max(iv.MU) > 0, []vg.Length{vg.Points(5), vg.Points(3)}, ptCapacity},
	} {
		if !c.show {
			continue
		}
		line, err := plotter.NewLine(c.xy)
		if err != nil {
			return nil, nil, err
		}
		line.StepStyle = plotter.PostStep
		line.Color, line.Width, line.Dashes = colorCapacity, vg.Points(1.5), c.dashes
		p.Add(line)
		p.Legend.Add(c.label, line)
		legend = append(legend, legendEntry{c.label, colorCapacity})
	}
	return p, legend, nil
}

// outputBinds says whether PT is full on the output side, with room left
// on the input side, in more intervals than the other way round: then
// PT serves less input than its input line, and the output panel says
// why.
func outputBinds(iv *sim.Intervals, tp pricing.Throughput, dt float64) bool {
	var outFirst, inFirst int
	for i, mu := range iv.MU {
		if mu <= 0 {
			continue
		}
		fullIn := iv.PTInput[i] >= 0.98*mu*tp.InputTPM*dt
		fullOut := iv.PTOutput[i] >= 0.98*mu*tp.OutputTPM*dt
		switch {
		case fullOut && !fullIn:
			outFirst++
		case fullIn && !fullOut:
			inFirst++
		}
	}
	return outFirst > inFirst
}

// closeSteps ends a step line at end, so its last step has the width of
// its interval.
func closeSteps(xy plotter.XYs, end float64) plotter.XYs {
	if len(xy) == 0 {
		return xy
	}
	return append(xy, plotter.XY{X: end, Y: xy[len(xy)-1].Y})
}

// demandTitle states who serves the requests, in shares that add up to
// 100%.
func demandTitle(s *workload.Series, iv *sim.Intervals, d *sim.Strategy, throttled float64, ct ChartText) string {
	var servedPT, servedRes, total float64
	for i := range s.Start {
		servedPT += iv.PTRequests[i]
		if iv.ResCost != nil {
			servedRes += iv.ResRequests[i]
		}
		total += s.Invocations[i]
	}
	name := capitalise(ct.strategy(d.Name))
	type share struct {
		en, ja string
		v      float64
	}
	var shares []share
	if iv.ResCost != nil {
		shares = append(shares, share{"Reserved", "予約", servedRes})
	}
	if servedPT > 0 {
		shares = append(shares, share{"PT", " PT", servedPT})
	}
	if len(shares) == 0 || total <= 0 {
		title := ct.tr("%s: no PT, all traffic on-demand", "%s：PT なし、すべてオンデマンド", name)
		if throttled > 0 {
			title += ct.tr("; %s requests throttled", "。%s 件がスロットリング", SI(throttled))
		}
		return title
	}
	// Throttled requests are part of the rest, with on-demand: the
	// title counts them apart.
	shares = append(shares, share{"on-demand", "オンデマンド", total - servedRes - servedPT})
	vs := make([]float64, len(shares))
	for i, sh := range shares {
		vs[i] = sh.v
	}
	pc := percents(vs...)
	var en, ja []string
	for i, sh := range shares {
		if i == 0 {
			en = append(en, fmt.Sprintf("%s serves %d%% of requests", sh.en, pc[i]))
		} else {
			en = append(en, fmt.Sprintf("%s %d%%", sh.en, pc[i]))
		}
		ja = append(ja, fmt.Sprintf("%d%% を%s", pc[i], sh.ja))
	}
	title := ct.tr("%s: %s", "%s：リクエストの %sが処理", name, ct.lang.word(strings.Join(en, ", "), strings.Join(ja, "、")))
	if throttled > 0 {
		title += ct.tr("; %s requests throttled", "。%s 件がスロットリング", SI(throttled))
	}
	return title
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

// CostChart draws total cost per strategy, stacked Reserved, PT (in its
// term's colour) and on-demand, with the total above each bar.
//
// Scheduled no-commitment PT (billed per hour at noCommitHourly) is its
// own segment in the no-commit colour, apart from the committed PT of the
// strategy's term: a report must not show an hourly block as committed.
func CostChart(a *sim.Analysis, detail string, window time.Duration, noCommitHourly float64, ct ChartText) ([]byte, error) {
	p, _, err := costPlot(a, detail, window, noCommitHourly, ct)
	if err != nil {
		return nil, err
	}
	return encodePNG(p)
}

// costBar is one strategy's bar of the cost chart.
type costBar struct {
	name  string
	total pricing.Money
	// segs bottom up: Reserved, committed PT, scheduled PT, on-demand.
	segs [4]costSegment
}

// costSegment is a part of a bar: USD in a legend entry's colour.
type costSegment struct {
	legendEntry
	usd float64
}

// costBars lays out the cost chart: a bar for each priced strategy, and
// the legend, an entry for each colour some bar shows.
func costBars(a *sim.Analysis, noCommitHourly float64, ct ChartText) ([]costBar, []legendEntry) {
	reserved := legendEntry{ct.tr("Reserved", "予約"), ColorReserved}
	scheduled := legendEntry{ct.tr("PT no-commit, scheduled", "PT コミットなし（時間帯指定）"), ColorNoCommit}
	onDemand := legendEntry{ct.tr("on-demand", "オンデマンド"), ColorOnDemand}
	pt := func(t pricing.Term) legendEntry { return legendEntry{"PT " + ct.lang.term(t), TermColor(t)} }
	var bars []costBar
	for _, s := range a.Strategies {
		if s.Skipped {
			continue
		}
		sched := math.Min(s.Totals.ScheduledMUHoursBilled*noCommitHourly, s.Totals.PTCost.USD())
		term := s.Term
		if term == "" {
			term = pricing.TermNone
		}
		bars = append(bars, costBar{name: ct.strategy(s.Name), total: s.Totals.Total(), segs: [4]costSegment{
			{reserved, s.Totals.ResCost.USD()},
			{pt(term), s.Totals.PTCost.USD() - sched},
			{scheduled, sched},
			{onDemand, s.Totals.ODCost.USD()},
		}})
	}
	var legend []legendEntry
	for _, e := range []legendEntry{reserved, pt(pricing.TermSixMonths), pt(pricing.TermOneMonth), pt(pricing.TermNone), scheduled, onDemand} {
		shown := false
		for _, b := range bars {
			for _, sg := range b.segs {
				shown = shown || sg.label == e.label && sg.usd > 0
			}
		}
		// No-commit PT, held or scheduled, is billed the same way and
		// drawn in one colour: one entry.
		if shown && !(e == scheduled && slices.Contains(legend, pt(pricing.TermNone))) {
			legend = append(legend, e)
		}
	}
	return bars, legend
}

// costPlot draws the cost chart and returns its legend.
func costPlot(a *sim.Analysis, detail string, window time.Duration, noCommitHourly float64, ct ChartText) (*plot.Plot, []legendEntry, error) {
	bars, legend := costBars(a, noCommitHourly, ct)
	var names, labels []string
	var top float64
	for _, b := range bars {
		names = append(names, b.name)
		labels = append(labels, b.total.String())
		top = math.Max(top, b.total.USD())
	}
	p := newPlot(ct, costChartTitle(a, detail, window, ct), "", ct.tr("cost (USD)", "費用（米ドル）"))
	p.Y.Tick.Marker = dollarTicks{}
	p.Y.Min, p.Y.Max = 0, math.Max(1, top*1.3)
	w := vg.Points(60)
	xys := make(plotter.XYs, len(bars))
	// One bar chart per strategy so each PT bar takes its term's colour.
	for i, b := range bars {
		one := func(v float64) plotter.Values {
			vals := make(plotter.Values, len(bars))
			vals[i] = v
			return vals
		}
		// Segments bottom up, each stacked on the one below.
		var below *plotter.BarChart
		var sum float64
		for _, seg := range b.segs {
			bar, err := plotter.NewBarChart(one(seg.usd), w)
			if err != nil {
				return nil, nil, err
			}
			bar.Color, bar.LineStyle.Width = seg.col, 0
			if below != nil {
				bar.StackOn(below)
			}
			p.Add(bar)
			below = bar
			sum += seg.usd
		}
		xys[i] = plotter.XY{X: float64(i), Y: sum + top*0.02}
	}
	lab, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: labels})
	if err != nil {
		return nil, nil, err
	}
	for i := range lab.TextStyle {
		lab.TextStyle[i].XAlign = draw.XCenter
		lab.TextStyle[i].Font.Size = vg.Points(11)
		ct.style(&lab.TextStyle[i])
	}
	p.Add(lab)
	p.NominalX(names...)
	p.X.Min, p.X.Max = -0.6, float64(len(names))-0.4
	// The legend lists top down, as the segments stack.
	for i := len(legend) - 1; i >= 0; i-- {
		p.Legend.Add(legend[i].label, swatchOf(legend[i].col))
	}
	return p, legend, nil
}

// CostCurveChart draws total cost against committed MUs for each term,
// with the recommendation marked.
func CostCurveChart(a *sim.Analysis, ct ChartText) ([]byte, error) {
	p, err := costCurvePlot(a, ct)
	if err != nil {
		return nil, err
	}
	return encodePNG(p)
}

// costCurvePlot draws the cost curve.
func costCurvePlot(a *sim.Analysis, ct ChartText) (*plot.Plot, error) {
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
	return p, nil
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
