package reports

import (
	"bytes"
	"image"
	"testing"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/sim"
)

// TestDrawOnBlankSamePixels: every kind of plot the charts draw first on
// their canvas (each chart's, the demand chart's upper panel, the heat
// map) comes out the same pixel for pixel without its white background
// filled (drawOnBlank) as with it (plot.Draw), in English and Japanese.
func TestDrawOnBlankSamePixels(t *testing.T) {
	r := loadedReport(t, richReport(t, LangEnglish))
	cts := map[string]ChartText{"en": {lang: LangEnglish}}
	if f := FindChartFont(); f != nil {
		cts["ja"] = ChartText{lang: LangJapanese, font: f}
	}
	for lang, ct := range cts {
		plots := map[string]*plot.Plot{}
		add := func(name string, p *plot.Plot, err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
			plots[name] = p
		}
		d := r.detail()
		ps, err := demandPlots(r.rows, r.Offer.Throughput, detailRow(d), r.detailSchedule(d), r.TimeZone, ct)
		add("demand, upper panel", ps[0], err)
		cost, _, err := costPlot(r.data.strategies, r.Detail, r.window(), r.Offer.PT[pricing.TermNone].USD, ct)
		add("costs", cost, err)
		p, err := costCurvePlot(r.data.curve, schedules(r.data.schedule), ct)
		add("cost curve", p, err)
		p, err = loadDurationPlot(r.rows, r.Offer.Throughput, r.data.schedule, pricing.TermSixMonths, r.TimeZone, ct)
		add("load duration", p, err)
		hm, _, err := heatmapPlots(weekOf(r.data.schedule, slotIntervals(r.Series, r.TimeZone)), r.TimeZone, ct)
		add("heat map", hm, err)
		p, err = riskPlot(r.data.risk, ct)
		add("risk", p, err)
		start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
		p, _, err = cashFlowPlot([]sim.CashFlowMonth{{Start: start, End: start.AddDate(0, 1, 0), Committed: 9000, Overflow: sim.Spread{P10: 3000, P50: 5000, P90: 9000}}}, ct, false)
		add("cash flow", p, err)
		p, _, err = cashFlowPlot([]sim.CashFlowMonth{{Start: start, End: start.AddDate(0, 1, 0), Overflow: sim.Spread{P10: 3000, P50: 5000, P90: 9000}, Stay: sim.Spread{P10: 3000, P50: 5000, P90: 9000}}}, ct, false)
		add("cash flow, nothing bought", p, err)
		for name, p := range plots {
			old := vgimg.New(chartWidth, chartHeight)
			p.Draw(inset(draw.New(old)))
			c := newCanvas(chartWidth, chartHeight)
			drawOnBlank(p, inset(draw.New(c)))
			if p.BackgroundColor == nil {
				t.Fatalf("%s %s: drawOnBlank left the plot without its background", lang, name)
			}
			if !bytes.Equal(c.Image().(*image.RGBA).Pix, old.Image().(*image.RGBA).Pix) {
				t.Errorf("%s %s: pixels differ", lang, name)
			}
		}
	}
}
