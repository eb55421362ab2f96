package reports

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
	"math/rand/v2"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	xfont "golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	fixedpt "golang.org/x/image/math/fixed"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/sim"
	"github.com/bedrockplan/bedrockplan/workload"
)

// affine maps (x, y) to (a·x + b·y + c, d·x + e·y + f).
type affine struct{ a, b, c, d, e, f float64 }

func (m affine) then(n affine) affine { // m applied after n: m∘n
	return affine{
		m.a*n.a + m.b*n.d, m.a*n.b + m.b*n.e, m.a*n.c + m.b*n.f + m.c,
		m.d*n.a + m.e*n.d, m.d*n.b + m.e*n.e, m.d*n.c + m.e*n.f + m.f,
	}
}

func (m affine) apply(x, y float64) (float64, float64) {
	return m.a*x + m.b*y + m.c, m.d*x + m.e*y + m.f
}

// inkText is a text a chart draws and the box its glyphs' ink fills on
// the image, in points from the bottom left.
type inkText struct {
	text     string
	min, max vg.Point
}

// inkCanvas is a vg.Canvas that draws nothing: for each text a chart
// draws on it, it works out from the font's glyph bounds and the
// canvas's transforms where the ink falls. Tests check text stays on
// the image from these numbers, not from pixels.
type inkCanvas struct {
	w, h  vg.Length
	m     affine
	stack []affine
	texts []inkText
	buf   sfnt.Buffer
}

func newInkCanvas(w, h vg.Length) *inkCanvas {
	return &inkCanvas{w: w, h: h, m: affine{a: 1, e: 1}}
}

func (c *inkCanvas) Size() (vg.Length, vg.Length)        { return c.w, c.h }
func (c *inkCanvas) SetLineWidth(vg.Length)              {}
func (c *inkCanvas) SetLineDash([]vg.Length, vg.Length)  {}
func (c *inkCanvas) SetColor(color.Color)                {}
func (c *inkCanvas) Stroke(vg.Path)                      {}
func (c *inkCanvas) Fill(vg.Path)                        {}
func (c *inkCanvas) DrawImage(vg.Rectangle, image.Image) {}
func (c *inkCanvas) Push()                               { c.stack = append(c.stack, c.m) }
func (c *inkCanvas) Pop() {
	c.m = c.stack[len(c.stack)-1]
	c.stack = c.stack[:len(c.stack)-1]
}
func (c *inkCanvas) Rotate(rad float64) {
	sin, cos := math.Sincos(rad)
	c.m = c.m.then(affine{a: cos, b: -sin, d: sin, e: cos})
}
func (c *inkCanvas) Translate(pt vg.Point) {
	c.m = c.m.then(affine{a: 1, c: float64(pt.X), e: 1, f: float64(pt.Y)})
}
func (c *inkCanvas) Scale(x, y float64) { c.m = c.m.then(affine{a: x, e: y}) }

// FillString records the box of the glyphs' ink: each glyph's bounds
// (y down in the font, up on the canvas) at its advance along the
// baseline from pt, through the transform.
func (c *inkCanvas) FillString(f font.Face, pt vg.Point, text string) {
	fnt := f.Face
	ppem := fixedpt.Int26_6(fnt.UnitsPerEm())
	scale := float64(f.Font.Size) / float64(ppem)
	x0, y0, x1, y1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	var dot float64
	var prev sfnt.GlyphIndex
	for i, r := range text {
		g, err := fnt.GlyphIndex(&c.buf, r)
		if err != nil {
			continue
		}
		if i > 0 {
			if k, err := fnt.Kern(&c.buf, prev, g, ppem, xfont.HintingNone); err == nil {
				dot += float64(k) * scale
			}
		}
		b, adv, err := fnt.GlyphBounds(&c.buf, g, ppem, xfont.HintingNone)
		if err == nil && b.Max.X > b.Min.X {
			x0, x1 = min(x0, dot+float64(b.Min.X)*scale), max(x1, dot+float64(b.Max.X)*scale)
			y0, y1 = min(y0, -float64(b.Max.Y)*scale), max(y1, -float64(b.Min.Y)*scale)
		}
		dot += float64(adv) * scale
		prev = g
	}
	if x0 > x1 {
		return // blanks only
	}
	t := inkText{text: text, min: vg.Point{X: vg.Length(math.Inf(1)), Y: vg.Length(math.Inf(1))}, max: vg.Point{X: vg.Length(math.Inf(-1)), Y: vg.Length(math.Inf(-1))}}
	for _, corner := range [][2]float64{{x0, y0}, {x0, y1}, {x1, y0}, {x1, y1}} {
		x, y := c.m.apply(float64(pt.X)+corner[0], float64(pt.Y)+corner[1])
		t.min.X, t.min.Y = min(t.min.X, vg.Length(x)), min(t.min.Y, vg.Length(y))
		t.max.X, t.max.Y = max(t.max.X, vg.Length(x)), max(t.max.Y, vg.Length(y))
	}
	c.texts = append(c.texts, t)
}

// figure is a chart as its Chart function lays it out: its size and how
// it is drawn.
type figure struct {
	w, h vg.Length
	draw func(draw.Canvas)
}

func onePlot(p *plot.Plot) figure {
	return figure{chartWidth, chartHeight, func(dc draw.Canvas) { p.Draw(inset(dc)) }}
}

// chartFigures draws every chart of a report from its data, as Render
// does (a loaded report), with a sensitivity table, a cash flow and an
// account's chart of hand-made figures.
func chartFigures(t *testing.T, r *Report, ct ChartText) map[string]figure {
	t.Helper()
	must := func(p *plot.Plot, err error) figure {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return onePlot(p)
	}
	d := r.detail()
	figs := map[string]figure{}
	ps, err := demandPlots(r.rows, r.Offer.Throughput, detailRow(d), r.detailSchedule(d), r.TimeZone, ct)
	if err != nil {
		t.Fatal(err)
	}
	figs["demand.png"] = figure{chartWidth, panelsHeight(len(ps)), func(dc draw.Canvas) { drawPanels(dc, ps) }}
	cost, _, err := costPlot(r.data.strategies, r.Detail, r.window(), r.Offer.PT[pricing.TermNone].USD, ct)
	figs["costs.png"] = must(cost, err)
	figs["cost_curve.png"] = must(costCurvePlot(r.data.curve, schedules(r.data.schedule), ct))
	figs["load_duration.png"] = must(loadDurationPlot(r.rows, r.Offer.Throughput, r.data.schedule, pricing.TermSixMonths, r.TimeZone, ct))
	hm, scale, err := heatmapPlots(weekOf(r.data.schedule, slotIntervals(r.Series, r.TimeZone)), r.TimeZone, ct)
	if err != nil {
		t.Fatal(err)
	}
	figs["schedule.png"] = figure{chartWidth, chartHeight, func(dc draw.Canvas) { drawHeatmap(dc, hm, scale) }}
	figs["risk.png"] = must(riskPlot(r.data.risk, ct))
	sens := &sim.Sensitivity{Below: 0.66, Above: 1.4}
	for i, sc := range sim.SensitivityScales() {
		sens.Rows = append(sens.Rows, sim.SensitivityRow{Scale: sc, Totals: sim.Totals{PTCost: pricing.FromUSD(9000 + 4000*float64(2-i))}})
	}
	figs["sensitivity.png"] = must(sensitivityPlot(sensitivityRows(sens), ct))
	var months []sim.CashFlowMonth
	for i := range 7 {
		start := time.Date(2026, time.Month(11+i), 1, 0, 0, 0, 0, time.UTC)
		months = append(months, sim.CashFlowMonth{Start: start, End: start.AddDate(0, 1, 0), Committed: 9000, NoCommit: 8000, Renewals: float64(i) * 100,
			Existing: 2000, Overflow: sim.Spread{P10: 3000, P50: 5000, P90: 9000}, Stay: sim.Spread{P10: 60000, P50: 65000, P90: 70000}})
	}
	figs["cashflow.png"] = must(cashFlowPlotOnly(months, ct))
	rows := []PortfolioRow{
		{ModelID: "meta.llama3-1-70b-instruct-v1:0", Region: "us-west-2", OnDemand: pricing.FromUSD(39332), Cost: pricing.FromUSD(16193), PTCost: pricing.FromUSD(13000), OverflowCost: pricing.FromUSD(3193)},
		{ModelID: "anthropic.claude-sonnet-4-5-20250929-v1:0", Region: "us-east-1", OnDemand: pricing.FromUSD(175795), Cost: pricing.FromUSD(175795), OverflowCost: pricing.FromUSD(175795)},
	}
	pf, h, err := portfolioPlot(rows, sim.StrategyRecommended, ct)
	if err != nil {
		t.Fatal(err)
	}
	figs["portfolio.png"] = figure{chartWidth, h, func(dc draw.Canvas) { pf.Draw(inset(dc)) }}
	return figs
}

// detailRow is the strategies.csv row the demand chart reads of s.
func detailRow(s *sim.Strategy) StrategyRow {
	return StrategyRow{Strategy: s.Name, CommittedTerm: s.Term, CommittedMU: s.CommittedMU}
}

// loadedReport writes r's folder and reads it back, as Render sees it.
func loadedReport(t *testing.T, r *Report) *Report {
	t.Helper()
	loaded, err := LoadReport(writeReport(t, r))
	if err != nil {
		t.Fatal(err)
	}
	return loaded
}

// TestChartTextOnImage: every text of every chart, English and Japanese,
// has its glyphs' ink on the image. gonum/plot leaves room at the edges
// for glyphs of Latin height, and kanji rise higher: the Japanese y-axis
// labels and titles lost their tops (issue #14, finding 9).
func TestChartTextOnImage(t *testing.T) {
	r := loadedReport(t, richReport(t, LangEnglish))
	cts := map[string]ChartText{"en": {lang: LangEnglish}}
	if f := FindChartFont(); f != nil {
		cts["ja"] = ChartText{lang: LangJapanese, font: f}
	} else {
		t.Log("no font with Japanese glyphs (Debian: apt install fonts-ipafont-gothic): English charts only")
	}
	for lang, ct := range cts {
		for name, fig := range chartFigures(t, r, ct) {
			c := newInkCanvas(fig.w, fig.h)
			fig.draw(draw.New(c))
			if len(c.texts) < 5 {
				t.Errorf("%s %s: %d texts drawn", lang, name, len(c.texts))
			}
			for _, tx := range c.texts {
				if tx.min.X < 0 || tx.min.Y < 0 || tx.max.X > fig.w || tx.max.Y > fig.h {
					t.Errorf("%s %s: %q inks %.1f,%.1f to %.1f,%.1f: off the %.0f × %.0f pt image", lang, name, tx.text,
						tx.min.X.Points(), tx.min.Y.Points(), tx.max.X.Points(), tx.max.Y.Points(), fig.w.Points(), fig.h.Points())
				}
			}
		}
	}
}

// TestInkCanvas: the ink box of a text is where its glyphs are: a
// capital M of 100 pt set on (10, 20) (the bottom of its line, where
// gonum/plot puts the baseline a descent above) inks from the baseline
// to the cap height, and turned a quarter turn it inks the same box
// turned, to the left of its point.
func TestInkCanvas(t *testing.T) {
	sty := plot.New().Title.TextStyle
	sty.Font.Size = vg.Points(100)
	sty.XAlign, sty.YAlign = draw.XLeft, draw.YBottom
	c := newInkCanvas(vg.Points(500), vg.Points(500))
	dc := draw.New(c)
	dc.FillText(sty, vg.Point{X: 10, Y: 20}, "M")
	sty.Rotation = math.Pi / 2
	dc.FillText(sty, vg.Point{X: 300, Y: 20}, "M")
	if len(c.texts) != 2 {
		t.Fatalf("%d texts", len(c.texts))
	}
	m := c.texts[0]
	if h := (m.max.Y - m.min.Y).Points(); h < 60 || h > 75 {
		t.Errorf("M is %.1f pt tall, want its cap height (about 66)", h)
	}
	if base := 20 + sty.Font.Size - sty.FontExtents().Ascent; math.Abs((m.min.Y - base).Points()) > 0.5 {
		t.Errorf("M inks from %.1f pt up, want its baseline at %.1f", m.min.Y.Points(), base.Points())
	}
	rot := c.texts[1]
	if w, h := (rot.max.X - rot.min.X).Points(), (rot.max.Y - rot.min.Y).Points(); math.Abs(w-(m.max.Y-m.min.Y).Points()) > 0.01 || math.Abs(h-(m.max.X-m.min.X).Points()) > 0.01 {
		t.Errorf("rotated M inks %.1f × %.1f, want %.1f × %.1f", w, h, (m.max.Y - m.min.Y).Points(), (m.max.X - m.min.X).Points())
	}
	if rot.max.X > 300 {
		t.Errorf("a quarter turn inks to %.1f, right of its point", rot.max.X.Points())
	}
}

// TestTimeTicks: a time axis has ticks however short its window: five
// minutes apart over the hour of the Azure trace (which starts at
// 18:15:46), three hours apart with midnight named by its day over 36
// hours, a day apart over two weeks; and its label names the first day.
func TestTimeTicks(t *testing.T) {
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	labels := func(lo, hi time.Time, loc *time.Location, ct ChartText) []string {
		var out []string
		for _, tk := range (timeTicks{loc, ct}).Ticks(float64(lo.Unix()), float64(hi.Unix())) {
			out = append(out, tk.Label)
		}
		return out
	}
	az := time.Date(2023, 11, 16, 18, 15, 46, 0, time.UTC)
	for _, c := range []struct {
		name   string
		lo, hi time.Time
		loc    *time.Location
		ct     ChartText
		want   []string
	}{
		{"one hour", az, az.Add(59 * time.Minute), time.UTC, ChartText{},
			[]string{"18:20", "18:25", "18:30", "18:35", "18:40", "18:45", "18:50", "18:55", "19:00", "19:05", "19:10"}},
		{"36 hours", time.Date(2026, 11, 2, 12, 0, 0, 0, tokyo), time.Date(2026, 11, 4, 0, 0, 0, 0, tokyo), tokyo, ChartText{},
			[]string{"12:00", "15:00", "18:00", "21:00", "Tue 3", "03:00", "06:00", "09:00", "12:00", "15:00", "18:00", "21:00", "Wed 4"}},
		{"36 hours, Japanese", time.Date(2026, 11, 2, 12, 0, 0, 0, tokyo), time.Date(2026, 11, 3, 6, 0, 0, 0, tokyo), tokyo, ChartText{lang: LangJapanese},
			[]string{"12:00", "14:00", "16:00", "18:00", "20:00", "22:00", "3日(火)", "02:00", "04:00", "06:00"}},
		{"two weeks", time.Date(2026, 11, 2, 0, 0, 0, 0, tokyo), time.Date(2026, 11, 16, 0, 0, 0, 0, tokyo), tokyo, ChartText{},
			[]string{"Mon 2", "Tue 3", "Wed 4", "Thu 5", "Fri 6", "Sat 7", "Sun 8", "Mon 9", "Tue 10", "Wed 11", "Thu 12", "Fri 13", "Sat 14", "Sun 15", "Mon 16"}},
		// fetch's 455 days: a tick on each first of the month, every
		// second one labelled, the same months each year.
		{"455 days", time.Date(2025, 8, 25, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC), time.UTC, ChartText{},
			[]string{"Sep 2025", "", "Nov 2025", "", "Jan 2026", "", "Mar 2026", "", "May 2026", "", "Jul 2026", "", "Sep 2026", "", "Nov 2026"}},
	} {
		if got := labels(c.lo, c.hi, c.loc, c.ct); !slices.Equal(got, c.want) {
			t.Errorf("%s: ticks %q, want %q", c.name, got, c.want)
		}
	}
	// Five years: a tick a month, a label a year.
	all := labels(time.Date(2022, 1, 10, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 10, 0, 0, 0, 0, time.UTC), time.UTC, ChartText{})
	if named := slices.DeleteFunc(slices.Clone(all), func(l string) bool { return l == "" }); len(all) != 60 || !slices.Equal(named, []string{"Jan 2023", "Jan 2024", "Jan 2025", "Jan 2026", "Jan 2027"}) {
		t.Errorf("five years: %d ticks, labelled %q", len(all), named)
	}
	if got, want := timeAxisLabel(float64(az.Unix()), time.UTC, ChartText{}), "time (UTC), from Thu 16 Nov 2023"; got != want {
		t.Errorf("axis label %q, want %q", got, want)
	}
	if got, want := timeAxisLabel(float64(az.Unix()), time.UTC, ChartText{lang: LangJapanese}), "時刻（UTC、2023年11月16日(木) から）"; got != want {
		t.Errorf("axis label %q, want %q", got, want)
	}
}

// TestPercents: shares round to whole percentages that add up to 100.
func TestPercents(t *testing.T) {
	for _, c := range []struct {
		parts []float64
		want  []int
	}{
		{[]float64{63.4, 18.3, 18.3}, []int{64, 18, 18}}, // each alone: 63 + 18 + 18 = 99
		{[]float64{1, 1, 1}, []int{34, 33, 33}},
		{[]float64{0.5, 0.5, 99}, []int{1, 0, 99}}, // a tie goes to the first
		{[]float64{2, 0, -1}, []int{100, 0, 0}},
		{[]float64{0, 0}, []int{0, 0}},
	} {
		if got := percents(c.parts...); !slices.Equal(got, c.want) {
			t.Errorf("percents(%v) = %v, want %v", c.parts, got, c.want)
		}
	}
}

var percentRE = regexp.MustCompile(`(\d+)%`)

// sumPercents adds the percentages a title states.
func sumPercents(title string) (sum, n int) {
	for _, m := range percentRE.FindAllStringSubmatch(title, -1) {
		v, _ := strconv.Atoi(m[1])
		sum += v
		n++
	}
	return sum, n
}

// TestTitleSharesAddUp: the demand and load-duration charts' titles
// split the traffic into shares that add up to 100%, in both languages.
func TestTitleSharesAddUp(t *testing.T) {
	r := loadedReport(t, richReport(t, LangEnglish))
	for _, ct := range []ChartText{{lang: LangEnglish}, {lang: LangJapanese}} {
		ps, err := demandPlots(r.rows, r.Offer.Throughput, detailRow(r.detail()), r.detailSchedule(r.detail()), r.TimeZone, ct)
		if err != nil {
			t.Fatal(err)
		}
		ld, err := loadDurationPlot(r.rows, r.Offer.Throughput, r.data.schedule, pricing.TermSixMonths, r.TimeZone, ct)
		if err != nil {
			t.Fatal(err)
		}
		for _, title := range []string{ps[0].Title.Text, ld.Title.Text} {
			if sum, n := sumPercents(title); n < 2 || sum != 100 {
				t.Errorf("%q: %d shares adding up to %d%%", title, n, sum)
			}
		}
	}
}

// productCase is a plan of one product (and term) replayed on a day of
// flat traffic that one MU, or the reservation, cannot carry alone:
// 1,500 input and 300 output tokens a minute against an MU of 1,000
// and 1,000.
type productCase struct {
	name  string
	plan  sim.Plan
	strat sim.Strategy
}

func productCases(t0 time.Time) []productCase {
	committed := func(term pricing.Term) sim.Plan {
		return sim.Plan{Committed: []sim.Commitment{{ModelUnits: 1, Term: term, Start: t0}}}
	}
	return []productCase{
		{"Reserved", sim.Plan{Reserved: []sim.Reservation{{InputTPM: 1000, OutputTPM: 200, Term: pricing.TermOneMonth, Start: t0}}},
			sim.Strategy{Name: sim.StrategyReserved}},
		{"PT 6-month", committed(pricing.TermSixMonths), sim.Strategy{Name: sim.StrategyRecommended, Term: pricing.TermSixMonths, CommittedMU: 1}},
		{"PT 1-month", committed(pricing.TermOneMonth), sim.Strategy{Name: sim.StrategyRecommended, Term: pricing.TermOneMonth, CommittedMU: 1}},
		{"PT no-commit scheduled", sim.Plan{Scheduled: []sim.Scheduled{{ModelUnits: 1, Window: sim.Window{
			Days: []time.Weekday{time.Sunday, time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday}, From: 9 * 60, To: 17 * 60}}}},
			sim.Strategy{Name: sim.StrategyRecommended}},
		{"on-demand", sim.Plan{}, sim.Strategy{Name: sim.StrategyOnDemand}},
	}
}

// chartOffer prices the product cases: on-demand $1 and $2 per 1M
// tokens, PT $10, $8 and $6 an MU-hour, Reserved $1 and $5 per 1K TPM a
// month.
func chartOffer() pricing.Offer {
	price := func(v float64) *pricing.Price { return &pricing.Price{USD: v, Source: "test", AsOf: "2026-11-01"} }
	return pricing.Offer{
		ModelID: "test.model", Region: "us-east-1",
		Lifecycle: pricing.Lifecycle{Status: pricing.LifecycleActive},
		OnDemand:  pricing.OnDemand{InputPer1M: price(1), OutputPer1M: price(2)},
		PT:        map[pricing.Term]pricing.Price{pricing.TermNone: {USD: 10}, pricing.TermOneMonth: {USD: 8}, pricing.TermSixMonths: {USD: 6}},
		Reserved: &pricing.ReservedOffer{MinInputTPM: 100, MinOutputTPM: 10,
			OneMonth: &pricing.ReservedPrices{InputPer1KTPMMonth: price(1), OutputPer1KTPMMonth: price(5)}},
		Throughput: pricing.Throughput{InputTPM: 1000, OutputTPM: 1000, Provenance: pricing.ProvenanceAssumed},
	}
}

// flatDay is a day of 10-minute intervals of flat traffic.
func flatDay(t0 time.Time, in, out float64) *workload.Series {
	s := &workload.Series{ModelID: "test.model", Region: "us-east-1", Period: 10 * time.Minute}
	for i := range 144 {
		s.Start = append(s.Start, t0.Add(time.Duration(i)*s.Period).Unix())
		s.Invocations = append(s.Invocations, 100)
		s.InputTokens = append(s.InputTokens, in*10)
		s.OutputTokens = append(s.OutputTokens, out*10)
	}
	return s
}

// TestDemandLegendPerProduct: the demand chart draws each product in its
// colour, named in its legend (from the chart's data: the layers it
// stacks and the capacity lines it draws), on both panels.
func TestDemandLegendPerProduct(t *testing.T) {
	t0 := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	s := flatDay(t0, 1500, 300)
	o := chartOffer()
	ct := ChartText{lang: LangEnglish}
	want := map[string][]legendEntry{
		"Reserved":               {{"served by Reserved", ColorReserved}, {"on-demand", ColorOnDemand}, {"Reserved capacity (input)", colorCapacity}},
		"PT 6-month":             {{"served by PT 6-month", ColorSixMonths}, {"on-demand", ColorOnDemand}, {"PT capacity (input)", colorCapacity}},
		"PT 1-month":             {{"served by PT 1-month", ColorOneMonth}, {"on-demand", ColorOnDemand}, {"PT capacity (input)", colorCapacity}},
		"PT no-commit scheduled": {{"served by PT no-commit, scheduled", ColorNoCommit}, {"on-demand", ColorOnDemand}, {"PT capacity (input)", colorCapacity}},
		"on-demand":              {{"on-demand", ColorOnDemand}},
	}
	for _, c := range productCases(t0) {
		c.plan.ModelID, c.plan.Region, c.plan.TimeZone, c.plan.Routing = o.ModelID, o.Region, time.UTC, sim.RouteSpillover
		res, err := sim.Replay(s, c.plan, o, sim.Options{})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		c.strat.Plan = c.plan
		rows := &intervalRows{s: s, iv: res.Intervals}
		_, in, err := demandPanel(rows, o.Throughput, detailRow(&c.strat), planSchedule(c.strat.Plan), time.UTC, ct, false)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(in, want[c.name]) {
			t.Errorf("%s: input panel's legend %v, want %v", c.name, in, want[c.name])
		}
		_, out, err := demandPanel(rows, o.Throughput, detailRow(&c.strat), planSchedule(c.strat.Plan), time.UTC, ct, true)
		if err != nil {
			t.Fatal(err)
		}
		// The output side has the same layers: a request is served whole,
		// so the capacity that carries two thirds of the input carries
		// two thirds of the output too.
		for i := range out {
			out[i].label = strings.Replace(out[i].label, "(output)", "(input)", 1)
		}
		if !slices.Equal(out, want[c.name]) {
			t.Errorf("%s: output panel's legend %v, want %v", c.name, out, want[c.name])
		}
	}
}

// TestDemandChartShowsTheBindingSide: when output tokens fill an MU
// first, the demand chart's input panel shows PT serving less input than
// its input capacity, and says so: its title names the output side, and
// the output panel, with its own capacity line, shows PT full.
func TestDemandChartShowsTheBindingSide(t *testing.T) {
	t0 := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	s := flatDay(t0, 600, 1500) // one MU carries 1,000 of each
	o := chartOffer()
	plan := sim.Plan{ModelID: o.ModelID, Region: o.Region, TimeZone: time.UTC, Routing: sim.RouteSpillover, Committed: []sim.Commitment{{ModelUnits: 1, Term: pricing.TermOneMonth, Start: t0}}}
	res, err := sim.Replay(s, plan, o, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	d := &sim.Strategy{Name: sim.StrategyPlan, Plan: plan, Term: pricing.TermOneMonth, CommittedMU: 1}
	ps, err := demandPlots(&intervalRows{s: s, iv: res.Intervals}, o.Throughput, detailRow(d), planSchedule(d.Plan), time.UTC, ChartText{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 2 || ps[0].Y.Label.Text != "input tokens / min (10-minute means)" || ps[1].Y.Label.Text != "output tokens / min (10-minute means)" {
		t.Fatalf("panels %d, labelled %q, %q", len(ps), ps[0].Y.Label.Text, ps[1].Y.Label.Text)
	}
	if want := "Plan: PT serves 67% of requests, on-demand 33%; output tokens fill PT first (lower panel)"; ps[0].Title.Text != want {
		t.Errorf("title %q, want %q", ps[0].Title.Text, want)
	}
	// PT serves 1,000 of 1,500 output tokens a minute, so two thirds of
	// each request: 400 of the 600 input tokens, under a line at 1,000.
	iv := res.Intervals
	if in, out := iv.PTInput[10]/10, iv.PTOutput[10]/10; math.Abs(in-400) > 1e-6 || math.Abs(out-1000) > 1e-6 {
		t.Errorf("PT serves %v input and %v output tokens a minute, want 400 and 1,000", in, out)
	}
	if !outputBinds(iv, o.Throughput, s.Period.Minutes()) {
		t.Error("outputBinds: false")
	}
}

// TestCostChartLegendPerProduct: the cost chart's bars are segments in
// each product's colour, committed PT in its term's, and its legend has
// an entry for each colour a bar shows.
func TestCostChartLegendPerProduct(t *testing.T) {
	usd := pricing.FromUSD
	a := &sim.Analysis{Strategies: []sim.Strategy{
		{Name: sim.StrategyOnDemand, Totals: sim.Totals{ODCost: usd(1000)}},
		{Name: sim.StrategyReserved, Totals: sim.Totals{ResCost: usd(300), ODCost: usd(200)}},
		{Name: sim.StrategyProvisionedPeak, Term: pricing.TermSixMonths, CommittedMU: 2, Totals: sim.Totals{PTCost: usd(700)}},
		{Name: sim.StrategyBusinessHoursSwitch, Term: pricing.TermOneMonth, CommittedMU: 1, Totals: sim.Totals{PTCost: usd(600), ODCost: usd(100)}},
		// 1 MU 6-month ($200) and 30 scheduled MU-hours at $10.
		{Name: sim.StrategyRecommended, Term: pricing.TermSixMonths, CommittedMU: 1, Totals: sim.Totals{PTCost: usd(500), ScheduledMUHoursBilled: 30, ODCost: usd(50)}},
		{Name: "skipped", Skipped: true},
	}}
	bars, legend := costBars(strategyRows(a), 10, ChartText{})
	type seg struct {
		col color.Color
		usd float64
	}
	want := map[string][]seg{
		sim.StrategyOnDemand:            {{ColorOnDemand, 1000}},
		sim.StrategyReserved:            {{ColorReserved, 300}, {ColorOnDemand, 200}},
		sim.StrategyProvisionedPeak:     {{ColorSixMonths, 700}},
		sim.StrategyBusinessHoursSwitch: {{ColorOneMonth, 600}, {ColorOnDemand, 100}},
		sim.StrategyRecommended:         {{ColorSixMonths, 200}, {ColorNoCommit, 300}, {ColorOnDemand, 50}},
	}
	if len(bars) != len(want) {
		t.Fatalf("%d bars, want %d", len(bars), len(want))
	}
	for _, b := range bars {
		var got []seg
		for _, sg := range b.segs {
			if sg.usd != 0 {
				got = append(got, seg{sg.col, math.Round(sg.usd*100) / 100})
			}
		}
		if !slices.Equal(got, want[b.name]) {
			t.Errorf("%s: segments %v, want %v", b.name, got, want[b.name])
		}
	}
	wantLegend := []legendEntry{{"Reserved", ColorReserved}, {"PT 6-month", ColorSixMonths}, {"PT 1-month", ColorOneMonth},
		{"PT no-commit, scheduled", ColorNoCommit}, {"on-demand", ColorOnDemand}}
	if !slices.Equal(legend, wantLegend) {
		t.Errorf("legend %v, want %v", legend, wantLegend)
	}
	// PT held around the clock without commitment is the no-commit
	// colour too: one entry for both.
	a.Strategies = append(a.Strategies, sim.Strategy{Name: "held", Term: pricing.TermNone, CommittedMU: 1, Totals: sim.Totals{PTCost: usd(240)}})
	if _, legend = costBars(strategyRows(a), 10, ChartText{}); !slices.Contains(legend, legendEntry{"PT no-commit", ColorNoCommit}) ||
		slices.Contains(legend, legendEntry{"PT no-commit, scheduled", ColorNoCommit}) {
		t.Errorf("legend with held no-commit PT: %v", legend)
	}
}

// TestRiskChartBoxes: a strategy that holds nothing is on-demand under
// another name: it is named on the on-demand box, not drawn as a box of
// its own; every other box is in its product's colour.
func TestRiskChartBoxes(t *testing.T) {
	r := &sim.Risk{Scenarios: 100, Rows: []sim.RiskRow{
		{Strategy: sim.RiskOnDemand, Expected: 400, P10: 350, P90: 450},
		{Strategy: sim.RiskRolling, Term: pricing.TermOneMonth, Expected: 400, P10: 350, P90: 450},
		{Strategy: sim.RiskSixMonths, Term: pricing.TermSixMonths, CommittedMU: 2, Expected: 300, P10: 280, P90: 320},
		{Strategy: sim.RiskReserved1, Term: pricing.TermOneMonth, Reserve: &sim.Reserve{Term: pricing.TermOneMonth, InputTPM: 1e5, OutputTPM: 1e4}, Expected: 350},
		{Strategy: sim.RiskReserved3, Refused: true},
		{Strategy: sim.RiskRecommended, Expected: 400, P10: 350, P90: 450},
	}}
	type box struct {
		names []string
		col   color.Color
	}
	var got []box
	for _, b := range riskBoxes(riskRows(r)) {
		got = append(got, box{b.names, b.col})
	}
	want := []box{
		{[]string{sim.RiskOnDemand, sim.RiskRolling, sim.RiskRecommended}, ColorOnDemand},
		{[]string{sim.RiskSixMonths}, ColorSixMonths},
		{[]string{sim.RiskReserved1}, ColorReserved},
	}
	if !slices.EqualFunc(got, want, func(a, b box) bool { return slices.Equal(a.names, b.names) && a.col == b.col }) {
		t.Errorf("boxes %v, want %v", got, want)
	}
	p, err := riskPlot(riskRows(r), ChartText{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tk := range p.X.Tick.Marker.Ticks(p.X.Min, p.X.Max) {
		names = append(names, tk.Label)
	}
	if want := []string{"on-demand\n= rolling-1-month, recommended (holds nothing)", "six-month", "reserved-1-month"}; !slices.Equal(names, want) {
		t.Errorf("boxes named %q, want %q", names, want)
	}
}

// TestHeatmapMarksHoursWithoutData: a two-day history leaves 120 hours
// of the week without data: the heat map, drawn from the report folder,
// hatches them (NaN, not zero demand, in its grid) and says how many;
// its colour scale runs from no demand to the busiest hour's mean in
// the palette's shades.
func TestHeatmapMarksHoursWithoutData(t *testing.T) {
	r := loadedReport(t, seedReport(t, 2))
	if r.data.schedule == nil {
		t.Fatal("no schedule")
	}
	w := weekOf(r.data.schedule, slotIntervals(r.Series, r.TimeZone))
	missing := noDataCells(&w)
	if len(missing) != 120 {
		t.Errorf("%d hours without data, want 120", len(missing))
	}
	g := weekGrid{&w}
	for _, c := range missing {
		if z := g.Z(int(c.X), int(c.Y)); !math.IsNaN(z) {
			t.Errorf("hour %v without data: demand %v, want NaN", c, z)
		}
	}
	hm, scale, err := heatmapPlots(w, r.TimeZone, ChartText{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(hm.Title.Text, "no data in 120 of 168 hours") {
		t.Errorf("title %q", hm.Title.Text)
	}
	_, hi := demandScale(&w)
	var busiest float64
	for _, row := range w {
		if row.Intervals > 0 {
			busiest = max(busiest, row.MeanDemand)
		}
	}
	if hi != busiest || hi <= 0 {
		t.Errorf("scale to %v, want the busiest hour's mean %v", hi, busiest)
	}
	key := colourScale(0, hi)
	pal := blues{}.Colors()
	if len(key) != len(pal) || key[0].label != "0" || key[len(key)-1].label != trim(hi) {
		t.Fatalf("key %v", key)
	}
	for k, e := range key {
		if e.col != pal[k] {
			t.Errorf("key %d: colour %v, want the palette's %v", k, e.col, pal[k])
		}
	}
	var ticks []string
	for _, tk := range scale.Y.Tick.Marker.Ticks(scale.Y.Min, scale.Y.Max) {
		ticks = append(ticks, tk.Label)
	}
	if ticks[0] != "0" || ticks[len(ticks)-1] != "no data" {
		t.Errorf("scale ticks %q", ticks)
	}
	// A whole week of history leaves none.
	full := loadedReport(t, seedReport(t, 7))
	fw := weekOf(full.data.schedule, slotIntervals(full.Series, full.TimeZone))
	if n := len(noDataCells(&fw)); n != 0 {
		t.Errorf("a week of history: %d hours without data", n)
	}
	hm, scale, err = heatmapPlots(fw, full.TimeZone, ChartText{})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(hm.Title.Text, "no data") || scale.Y.Min != -0.5 {
		t.Errorf("a week of history: title %q, scale from %v", hm.Title.Text, scale.Y.Min)
	}
}

// TestShortWindowDemandChart: the demand chart of an hour (the Azure
// trace's shape: 60 one-minute intervals) has time ticks from its start
// and runs to its end, in two panels.
func TestShortWindowDemandChart(t *testing.T) {
	t0 := time.Date(2023, 11, 16, 18, 15, 0, 0, time.UTC)
	s := &workload.Series{ModelID: "test.model", Region: "us-east-1", Period: time.Minute}
	for i := range 60 {
		s.Start = append(s.Start, t0.Add(time.Duration(i)*time.Minute).Unix())
		s.Invocations = append(s.Invocations, 300)
		s.InputTokens = append(s.InputTokens, 400_000)
		s.OutputTokens = append(s.OutputTokens, 70_000)
	}
	o := chartOffer()
	res, err := sim.Replay(s, sim.Plan{ModelID: o.ModelID, Region: o.Region, Routing: sim.RouteSpillover}, o, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ps, err := demandPlots(&intervalRows{s: s, iv: res.Intervals}, o.Throughput, StrategyRow{Strategy: sim.StrategyRecommended}, nil, time.UTC, ChartText{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		var labelled []string
		for _, tk := range p.X.Tick.Marker.Ticks(p.X.Min, p.X.Max) {
			if tk.Label != "" {
				labelled = append(labelled, tk.Label)
			}
		}
		if len(labelled) < 6 || labelled[0] != "18:15" {
			t.Errorf("x ticks %q", labelled)
		}
		if p.X.Max != float64(s.End().Unix()) {
			t.Errorf("x axis ends at %v, want the window's end %v", p.X.Max, s.End().Unix())
		}
	}
	b, err := demandChart(&intervalRows{s: s, iv: res.Intervals}, o.Throughput, StrategyRow{Strategy: sim.StrategyRecommended}, nil, time.UTC, ChartText{})
	if err != nil {
		t.Fatal(err)
	}
	if cfg, err := png.DecodeConfig(bytes.NewReader(b)); err != nil || cfg.Width != 1056 || cfg.Height != 768 {
		t.Errorf("demand.png: %v, %d × %d px, want two panels, 1056 × 768", err, cfg.Width, cfg.Height)
	}
}

// TestCashFlowChartLegend: a plan that buys nothing draws its on-demand
// alone, under a title that says so; an account's on-demand says it
// holds the traffic of the series nothing was bought for, and its
// medians and P10-P90 say they are the series' added up.
func TestCashFlowChartLegend(t *testing.T) {
	start := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	spread := sim.Spread{Mean: 5100, P10: 3000, P50: 5000, P90: 9000}
	none, noneLegend, err := cashFlowPlot([]sim.CashFlowMonth{{Start: start, End: start.AddDate(0, 1, 0), Overflow: spread, Stay: spread}}, ChartText{}, true)
	if err != nil {
		t.Fatal(err)
	}
	if got := noneLegend; !slices.Equal(got, []string{"on-demand, forecast (series' medians; P10–P90, added)"}) || !strings.Contains(none.Title.Text, "nothing is bought") {
		t.Errorf("nothing bought: title %q, legend %q", none.Title.Text, got)
	}
	_, boughtLegend, err := cashFlowPlot([]sim.CashFlowMonth{{Start: start, End: start.AddDate(0, 1, 0), Committed: 9000, Overflow: spread, Stay: spread}}, ChartText{}, true)
	if err != nil {
		t.Fatal(err)
	}
	if got := boughtLegend; len(got) != 3 || got[0] != "on-demand: overflow, or all of a series with nothing bought (series' medians; P10–P90, added)" ||
		got[2] != "staying on-demand (series' medians; P10–P90, added)" {
		t.Errorf("an account's legend: %q", got)
	}
	// A series' own chart: its own median and P10-P90.
	_, seriesLegend, err := cashFlowPlot([]sim.CashFlowMonth{{Start: start, End: start.AddDate(0, 1, 0), Committed: 9000, Overflow: spread, Stay: spread}}, ChartText{}, false)
	if err != nil {
		t.Fatal(err)
	}
	if got := seriesLegend; len(got) != 3 || got[0] != "on-demand overflow (median; P10–P90)" || got[2] != "staying on-demand (median; P10–P90)" {
		t.Errorf("a series' legend: %q", got)
	}
}

// cashFlowPlotOnly is cashFlowPlot's plot alone.
func cashFlowPlotOnly(months []sim.CashFlowMonth, ct ChartText) (*plot.Plot, error) {
	p, _, err := cashFlowPlot(months, ct, false)
	return p, err
}

// TestBusiestOrder: the radix sort puts needs in busiestFirst's order (a
// stable sort by need, highest first) on needs with many ties, zeros of
// both signs, negatives, subnormals, infinities and wide ranges, and with
// a NaN among them.
func TestBusiestOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 8))
	special := []float64{0, math.Copysign(0, -1), 1, -1, 5e-324, -5e-324, math.MaxFloat64, math.Inf(1), math.Inf(-1), 1 << 53, 0.1, 0.30000000000000004}
	for trial := range 200 {
		n := rng.IntN(3000)
		if trial < 3 {
			n = trial
		}
		need := make([]float64, n)
		for i := range need {
			switch rng.IntN(5) {
			case 0:
				need[i] = special[rng.IntN(len(special))]
			case 1:
				need[i] = float64(rng.IntN(7)) // ties
			case 2:
				need[i] = rng.NormFloat64() * math.Pow(10, float64(rng.IntN(40)-20))
			default:
				need[i] = rng.Float64() * 30
			}
		}
		if trial%10 == 9 && n > 0 {
			need[rng.IntN(n)] = math.NaN()
		}
		want := make([]int, n)
		for i := range want {
			want[i] = i
		}
		slices.SortStableFunc(want, func(i, j int) int { return busiestFirst(need[i], need[j], i, j) })
		if got := busiestOrder(need); !slices.Equal(got, want) {
			t.Fatalf("trial %d (%d needs): busiestOrder differs from the stable sort", trial, n)
		}
	}
}
