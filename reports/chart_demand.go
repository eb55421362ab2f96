package reports

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"strings"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/sim"
	"github.com/bedrockplan/bedrockplan/workload"
)

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

// demandChartFile is demand.png, drawn from the intervals file, the
// detail strategy's strategies.csv row and its schedule (detailSchedule).
var demandChartFile = chartFile{"demand.png", func(r *Report) func() ([]byte, error) {
	d := r.detail()
	if d == nil || r.rows == nil {
		return nil
	}
	row := r.data.strategies[slices.IndexFunc(r.data.strategies, func(s StrategyRow) bool { return s.Strategy == d.Name })]
	sched := r.detailSchedule(d)
	return func() ([]byte, error) {
		return demandChart(r.rows, r.Offer.Throughput, row, sched, r.TimeZone, r.chartText())
	}
}}

// detailSchedule is the no-commitment PT the detail strategy d
// schedules: schedule.csv's rows when d is the recommendation (they are
// its week), else d's plan.yaml, whose windows schedule.csv does not hold
// (it is the optimiser's week, and a plan's windows need not be whole
// hours).
func (r *Report) detailSchedule(d *sim.Strategy) schedule {
	if d.Name == sim.StrategyRecommended && r.data.schedule != nil {
		return weekSchedule(r.data.schedule, r.TimeZone)
	}
	return planSchedule(d.Plan)
}

// demandChart draws demand against capacity over time for one replay of
// strategy d (its strategies.csv row) from the intervals file's rows:
// tokens per minute served by each layer, sent to on-demand and
// throttled, stacked, with the capacity in service as lines; the PT
// layer is split into committed and scheduled MUs by sched (nil: nothing
// scheduled). It has two panels, input and output tokens: an MU carries
// both at a fixed mix, so when output binds, PT serves less input than
// its input line shows, which only the output panel explains (Reserved
// capacity is bought on both sides, and either can bind too). Times are
// in loc.
func demandChart(rows *intervalRows, tp pricing.Throughput, d StrategyRow, sched schedule, loc *time.Location, ct ChartText) ([]byte, error) {
	ps, err := demandPlots(rows, tp, d, sched, loc, ct)
	if err != nil {
		return nil, err
	}
	return encodePanels(ps...)
}

// demandPlots are the demand chart's panels, input above output.
func demandPlots(rows *intervalRows, tp pricing.Throughput, d StrategyRow, sched schedule, loc *time.Location, ct ChartText) ([]*plot.Plot, error) {
	var ps []*plot.Plot
	for _, output := range []bool{false, true} {
		p, _, err := demandPanel(rows, tp, d, sched, loc, ct, output)
		if err != nil {
			return nil, err
		}
		ps = append(ps, p)
	}
	return ps, nil
}

// A schedule is the no-commitment PT a plan schedules: the MUs it has
// scheduled at a time. A nil schedule schedules none.
type schedule interface {
	ScheduledMU(t time.Time) float64
}

// weekSchedule is schedule.csv's rows as a schedule: each hour of the
// week in loc (the report's time zone) has the MUs of its row; nil when
// no row schedules any.
func weekSchedule(rows []ScheduleRow, loc *time.Location) schedule {
	if !slices.ContainsFunc(rows, func(r ScheduleRow) bool { return r.Scheduled > 0 }) {
		return nil
	}
	return weekRows{rows, loc}
}

type weekRows struct {
	rows []ScheduleRow
	loc  *time.Location
}

func (w weekRows) ScheduledMU(t time.Time) float64 {
	return float64(w.rows[sim.SlotOf(t, w.loc)].Scheduled)
}

// planSchedule is the windows of plan (plan.yaml) as a schedule, on the
// plan's wall clock; nil when it schedules none.
func planSchedule(plan sim.Plan) schedule {
	if len(plan.Scheduled) == 0 {
		return nil
	}
	return planWindows{plan.Scheduled, plan.Location()}
}

type planWindows struct {
	windows []sim.Scheduled
	loc     *time.Location
}

func (p planWindows) ScheduledMU(t time.Time) float64 {
	t = t.In(p.loc)
	m := sim.Clock(t.Hour()*60 + t.Minute())
	var mu float64
	for _, w := range p.windows {
		on := func(d time.Weekday) bool { return slices.Contains(w.Days, d) }
		covered := on(t.Weekday()) && m >= w.From && m < w.To
		if w.To <= w.From { // past midnight into the next day
			covered = on(t.Weekday()) && m >= w.From || on((t.Weekday()+6)%7) && m < w.To
		}
		if covered {
			mu += float64(w.ModelUnits)
		}
	}
	return mu
}

// scheduledMU is the MUs sched has scheduled at the start of each row of
// s; nil when sched is nil.
func scheduledMU(sched schedule, s *workload.Series) []float64 {
	if sched == nil {
		return nil
	}
	out := make([]float64, s.Len())
	for i := range out {
		out[i] = sched.ScheduledMU(s.Time(i))
	}
	return out
}

// demandPanel draws one side (input or output tokens) of the demand
// chart, the input side with the chart's title, and returns its legend:
// the layers that carry some traffic, bottom up, then the capacity lines.
func demandPanel(rows *intervalRows, tp pricing.Throughput, d StrategyRow, schedule schedule, loc *time.Location, ct ChartText, output bool) (*plot.Plot, []legendEntry, error) {
	s, iv := rows.s, rows.iv
	bucket := bucketFor(s.Period, s.Len())
	per := int(bucket / s.Period)
	dt := s.Period.Minutes()
	n := (s.Len() + per - 1) / per
	reserved := iv.ResCost != nil
	sched := scheduledMU(schedule, s)
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
	ptTerm := d.CommittedTerm
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
		xys, err := plotter.CopyXYs(tops[l])
		if err != nil {
			return nil, nil, err
		}
		p.Add(stepFill{xys, layers[l].col})
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

// stepFill fills the area under a step line (each point's y held until
// the next point's x) down to the y axis's minimum: what plotter.Line
// draws with StepStyle PostStep, a FillColor and no stroke, pixel for
// pixel, with its outline traced the other way round, right to left.
//
// The rasterizer keeps each pixel row's cells in a list sorted by x and
// walks it from the left for every cell an edge adds: traced left to
// right, a jagged top (a year of daily steps) walks the whole row for
// each of its vertical edges, which made a quarter of the demand chart's
// time. Traced right to left, each new cell is found or put at the head
// of its row. The cells and their sums are the same, with the opposite
// sign, and so is every pixel's coverage: the outline's edges are all
// horizontal or vertical, so every area the rasterizer sums is even, and
// its rounding of a coverage to alpha, which is not symmetric about 0 for
// odd areas, gives the same alpha for either sign (TestStepFillSamePixels).
type stepFill struct {
	xys   plotter.XYs
	color color.Color
}

func (s stepFill) Plot(c draw.Canvas, plt *plot.Plot) {
	n := len(s.xys)
	if n == 0 {
		return
	}
	// plotter.Line's polygon: from the first point's x on the axis, the
	// points but the last, and the last point's x on the axis.
	trX, trY := plt.Transforms(&c)
	minY := trY(plt.Y.Min)
	poly := make([]vg.Point, 0, n+1)
	poly = append(poly, vg.Point{X: trX(s.xys[0].X), Y: minY})
	for _, p := range s.xys[:n-1] {
		poly = append(poly, vg.Point{X: trX(p.X), Y: trY(p.Y)})
	}
	poly = append(poly, vg.Point{X: trX(s.xys[n-1].X), Y: minY})
	poly = c.ClipPolygonXY(poly)
	if len(poly) == 0 {
		return
	}
	// plotter.Line goes from each point across to the next one's x, then
	// up or down to it; the same edges, from the last point back.
	var pa vg.Path
	pa.Move(poly[len(poly)-1])
	for i := len(poly) - 1; i > 0; i-- {
		pa.Line(vg.Point{X: poly[i].X, Y: poly[i-1].Y})
		pa.Line(poly[i-1])
	}
	pa.Close()
	c.SetColor(s.color)
	c.Fill(pa)
}

// DataRange is the points' range, as plotter.Line's.
func (s stepFill) DataRange() (xmin, xmax, ymin, ymax float64) { return plotter.XYRange(s.xys) }

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
func demandTitle(s *workload.Series, iv *sim.Intervals, d StrategyRow, throttled float64, ct ChartText) string {
	var servedPT, servedRes, total float64
	for i := range s.Start {
		servedPT += iv.PTRequests[i]
		if iv.ResCost != nil {
			servedRes += iv.ResRequests[i]
		}
		total += s.Invocations[i]
	}
	name := capitalise(ct.strategy(d.Strategy))
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
