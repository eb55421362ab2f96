package reports

import (
	"cmp"
	"image/color"
	"math"
	"slices"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"

	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/sim"
)

// loadDurationChartFile is load_duration.png, drawn from the intervals
// file and schedule.csv; the committed term is the recommendation's
// (strategies.csv).
var loadDurationChartFile = chartFile{"load_duration.png", func(r *Report) func() ([]byte, error) {
	if r.data.levels == nil || r.rows == nil {
		return nil
	}
	term := pricing.TermSixMonths
	for _, s := range r.data.strategies {
		if s.Strategy == sim.StrategyRecommended && s.CommittedTerm != "" {
			term = s.CommittedTerm
		}
	}
	return func() ([]byte, error) {
		return loadDurationChart(r.rows, r.Offer.Throughput, r.data.schedule, term, r.TimeZone, r.chartText())
	}
}}

// loadDurationChart draws the load-duration curve: every interval's
// demand in model units, busiest first, with the part each layer of the
// plan carries (committed, scheduled) and what is left on-demand.
//
// A plan that reserves, or one without a known MU throughput, has layers
// that MUs cannot measure: its curve is drawn in input tokens per minute
// (loadDurationTokens).
//
// rows are the intervals file's rows, sched schedule.csv's rows (the MUs
// committed and scheduled in each hour of the week in loc; nil: no
// optimum) and term the committed term.
func loadDurationChart(rows *intervalRows, tp pricing.Throughput, sched []ScheduleRow, term pricing.Term, loc *time.Location, ct ChartText) ([]byte, error) {
	p, err := loadDurationPlot(rows, tp, sched, term, loc, ct)
	if err != nil {
		return nil, err
	}
	return encodePNG(p)
}

// loadDurationPlot draws the load-duration curve.
func loadDurationPlot(rows *intervalRows, tp pricing.Throughput, sched []ScheduleRow, term pricing.Term, loc *time.Location, ct ChartText) (*plot.Plot, error) {
	s, iv := rows.s, rows.iv
	if iv.ResCost != nil || !tp.Known() {
		if sched != nil && sched[0].Committed == 0 {
			term = pricing.TermNone // the PT in it is scheduled no-commit PT
		}
		return loadDurationTokens(rows, term, ct)
	}
	n := s.Len()
	type point struct {
		need, committed, total float64
		i                      int
	}
	pts := make([]point, n)
	needs := sim.SeriesMUNeeded(s, tp)
	for k, i := range busiestOrder(needs) {
		total := iv.MU[i]
		committed := total
		if sched != nil {
			committed = math.Max(0, total-float64(sched[sim.SlotOf(s.Time(i), loc)].Scheduled))
		}
		pts[k] = point{needs[i], committed, total, i}
	}
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
// equal demands in time order: the order a stable sort by demand gives.
func busiestFirst(needA, needB float64, i, j int) int {
	switch {
	case needA > needB:
		return -1
	case needB > needA:
		return 1
	}
	return cmp.Compare(i, j)
}

// busiestOrder is the order busiestFirst puts the intervals in by their
// needs: the indices of need, highest first, equal needs in time order.
// It is a stable radix sort of the needs' bits, where a comparison sort
// took half the chart's time on a year of minutes; needs holding a NaN,
// which no bits order as busiestFirst does, are sorted by comparison.
func busiestOrder(need []float64) []int {
	n := len(need)
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	if n < 2 {
		return order
	}
	if slices.ContainsFunc(need, math.IsNaN) {
		slices.SortStableFunc(order, func(i, j int) int { return busiestFirst(need[i], need[j], i, j) })
		return order
	}
	// Each need as a key whose unsigned order is the needs' order,
	// highest first: -0 as 0 (they compare equal), then the sign bit set
	// for positives and every bit flipped for negatives, all flipped.
	keys := make([]uint64, n)
	for i, v := range need {
		b := math.Float64bits(v + 0)
		if b>>63 == 0 {
			b |= 1 << 63
		} else {
			b = ^b
		}
		keys[i] = ^b
	}
	// Least significant digit first, 11 bits a digit (six passes, whose
	// counts stay in cache: 16-bit digits took longer in four). Each pass
	// is stable and the indices start in time order, so equal needs stay
	// in it. A pass whose digit is the same for every key leaves the
	// order as it is, and is skipped.
	tmpOrder, tmpKeys := make([]int, n), make([]uint64, n)
	const bits = 11
	var count [1 << bits]int
	for shift := 0; shift < 64; shift += bits {
		clear(count[:])
		for _, k := range keys {
			count[k>>shift&(1<<bits-1)]++
		}
		if count[keys[0]>>shift&(1<<bits-1)] == n {
			continue
		}
		at := 0
		for d, c := range count {
			count[d] = at
			at += c
		}
		for j, k := range keys {
			d := k >> shift & (1<<bits - 1)
			tmpOrder[count[d]], tmpKeys[count[d]] = order[j], k
			count[d]++
		}
		order, tmpOrder = tmpOrder, order
		keys, tmpKeys = tmpKeys, keys
	}
	return order
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
func loadDurationTokens(rows *intervalRows, term pricing.Term, ct ChartText) (*plot.Plot, error) {
	s, iv := rows.s, rows.iv
	n := s.Len()
	dt := s.Period.Minutes()
	type point struct {
		need, res, pt float64
		i             int
	}
	needs := make([]float64, n)
	for i := range needs {
		needs[i] = s.InputTokens[i] / dt
	}
	pts := make([]point, n)
	for k, i := range busiestOrder(needs) {
		var res float64
		if iv.ResShare != nil {
			res = s.InputTokens[i] * iv.ResShare[i] / dt
		}
		pts[k] = point{needs[i], res, iv.PTInput[i] / dt, i}
	}
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
