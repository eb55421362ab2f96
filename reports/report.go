package reports

import (
	"fmt"
	"io"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/sim"
	"github.com/bedrockplan/bedrockplan/workload"
)

// Report is everything a report folder is written from.
type Report struct {
	CommandLine string
	Series      *workload.Series // the demand replayed (gap-free)
	Offer       pricing.Offer
	Analysis    *sim.Analysis
	// Detail is the strategy whose intervals, plan and demand chart the
	// folder holds: the user's plan or the recommendation.
	Detail        string
	DetailResult  *sim.Result
	TimeZone      *time.Location
	Gaps          []workload.Gap
	GapPolicy     workload.GapPolicy
	CatalogueAsOf string
	// Today dates the report; prices older than 90 days then get a
	// warning. Zero skips the check.
	Today time.Time
	// Lang is the language of the summaries (LangEnglish by default).
	Lang string
	// Version is the tool's version and Inputs the files read, with their
	// SHA-256, for the Reproduce section.
	Version string
	Inputs  []Input
	// Burst is the burst model the replay used; BurstFrom, when set, is
	// where it came from (sim.ChooseBurst), and BurstFile the metrics
	// file it was measured in, or that holds no finer data.
	Burst     sim.Burst
	BurstFrom *sim.BurstChoice
	BurstFile string
	// Demand says whether demand is as observed, with throttled
	// requests added back, or the demo's sample; the zero Demand says
	// nothing of it.
	Demand Demand
	// Risk is the commitment-term analysis, when history allows one;
	// RiskOmitted says why there is none otherwise.
	Risk        *sim.Risk
	RiskOmitted sim.Omitted
	// ExistingMU, when set, holds the existing commitments' MUs in
	// service per interval (for schedule.csv).
	ExistingMU []float64
	// BuyAt is when the plan's commitments would be bought: the start of
	// every line of commitments.csv.
	BuyAt time.Time
	// Purchases is commitments.csv, on a report made from its data.
	Purchases []sim.Purchase
	// CashFlow is the detail plan's bill month by month from BuyAt,
	// against staying on-demand; nil without a forecast,
	// CashFlowOmitted then saying why.
	CashFlow        []sim.CashFlowMonth
	CashFlowOmitted sim.Omitted
	// Forecast is the demand forecast the risk analysis and the cash
	// flow drew their scenarios from (sim.RunResult.Forecast); nil
	// without either. The summary states it with the risk analysis, or
	// with the cash flow when no risk analysis ran.
	Forecast *workload.Forecast
	// Sensitivity is the detail plan's cost at other MU throughputs;
	// nil without PT or a known throughput.
	Sensitivity *sim.Sensitivity
	// Intervals is how intervals.csv is written: every interval (the
	// default; gzip-compressed above GzipAbove intervals), one row per
	// hour, or not at all.
	Intervals IntervalsMode
	// ChartFont, when set, has the Japanese glyphs that Japanese charts
	// need; without it charts stay in English. It is not part of the
	// report's data: whoever renders chooses it.
	ChartFont *ChartFont

	// data is the report's data as its folder holds it, on a report made
	// from it (LoadReport, or Write's rendering).
	data *reportData
	// rows are the intervals file's rows, which the demand and
	// load-duration charts draw; nil without one.
	rows *intervalRows
	// rendered is the report made from its data, which the summaries
	// were rendered from.
	rendered *Report
}

// forecast is the forecast the report's scenarios were drawn from: its
// Forecast, or its risk analysis's.
func (r *Report) forecast() *workload.Forecast {
	if r.Forecast == nil && r.Risk != nil {
		return r.Risk.Forecast
	}
	return r.Forecast
}

// Input is a file a report was made from.
type Input struct{ Name, SHA256 string }

// Files lists the files Write produces, in order: the summaries and
// columns.md, then each data file of reportFiles followed by its charts.
func (r *Report) Files() []string {
	files := []string{"summary.html", "summary.md", "columns.md"}
	m := r
	if r.rendered != nil {
		m = r.rendered
	}
	if m.data == nil {
		d, err := r.build()
		if err != nil {
			return files
		}
		if m, err = d.report(); err != nil {
			return files
		}
	}
	for _, df := range reportFiles {
		if name := df.file(m.data); name != "" {
			files = append(files, name)
		}
		for _, c := range df.charts {
			if c.draw(m) != nil {
				files = append(files, c.name)
			}
		}
	}
	return files
}

// Write builds the report's data from its sim results, writes it into
// f, and renders the summaries and charts from that data in memory:
// every figure shown is one the files hold, and `report --from` renders
// the same from the folder.
func (r *Report) Write(f *Folder) error {
	d, err := r.build()
	if err != nil {
		return err
	}
	if err := d.write(f); err != nil {
		return err
	}
	made, err := d.report()
	if err != nil {
		return fmt.Errorf("the report's data: %w", err)
	}
	made.ChartFont = r.ChartFont
	if err := made.Render(f); err != nil {
		return err
	}
	r.rendered = made
	return nil
}

// Render writes the summaries, charts and columns.md of a report made
// from its data (LoadReport) into f; the data files themselves are the
// caller's to copy.
func (r *Report) Render(f *Folder) error {
	type chart struct {
		name string
		draw func() ([]byte, error)
		png  []byte
		err  error
	}
	var charts []*chart
	for _, df := range reportFiles {
		for _, c := range df.charts {
			if draw := c.draw(r); draw != nil {
				charts = append(charts, &chart{name: c.name, draw: draw})
			}
		}
	}
	// Each chart only reads the report, so they are drawn side by side
	// (a year of minutes takes a second of drawing), then written in
	// order. A stopped folder (Ctrl-C) stops the drawing between charts,
	// as it stops the writing between files.
	var wg sync.WaitGroup
	workers := min(len(charts), runtime.GOMAXPROCS(0))
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := w; k < len(charts); k += workers {
				if f.stop != nil && f.stop.Err() != nil {
					charts[k].err = f.stop.Err()
					continue
				}
				charts[k].png, charts[k].err = charts[k].draw()
			}
		}()
	}
	wg.Wait()
	images := map[string][]byte{}
	for _, c := range charts {
		if c.err != nil {
			return fmt.Errorf("%s: %w", c.name, c.err)
		}
		images[c.name] = c.png
		if err := f.WriteBytes(c.name, c.png); err != nil {
			return err
		}
	}
	// The language is the rendering's: a folder rendered again in
	// another language says so, so that rendering it once more keeps it.
	if r.Lang != "" && r.Lang != langOf(r.data.assumptions) {
		if err := f.Write("assumptions.csv", func(w io.Writer) error { return assumptionsTable.writeTo(w, r.assumptionsIn(r.Lang)) }); err != nil {
			return err
		}
	}
	blocks := r.blocks()
	if err := f.Write("summary.md", func(w io.Writer) error { return renderMarkdown(w, blocks) }); err != nil {
		return err
	}
	if err := f.Write("columns.md", func(w io.Writer) error { return writeColumns(w) }); err != nil {
		return err
	}
	title := r.tr("bedrockplan: %s in %s", "bedrockplan：%s（%s）", r.Offer.ModelID, r.Offer.Region)
	lang := r.Lang
	if lang == "" {
		lang = LangEnglish
	}
	return f.Write("summary.html", func(w io.Writer) error { return renderHTML(w, blocks, lang, title, images) })
}

// langOf is the language assumptions.csv's rows say.
func langOf(rows []AssumptionRow) string {
	for _, a := range rows {
		if a.Field == "lang" {
			return a.Value
		}
	}
	return ""
}

// assumptionsIn is the report's assumptions.csv rows, its lang lang.
func (r *Report) assumptionsIn(lang string) []AssumptionRow {
	rows := slices.Clone(r.data.assumptions)
	for i := range rows {
		if rows[i].Field == "lang" && lang != "" {
			rows[i].Value = lang
		}
	}
	return rows
}

func (r *Report) detail() *sim.Strategy {
	if s := r.Analysis.Strategy(r.Detail); s != nil && !s.Skipped {
		return s
	}
	return nil
}

// window is how long the replayed series lasts: the history the report
// is about, worded by language.span wherever it is stated.
func (r *Report) window() time.Duration { return r.Series.Span() }

// staleAfter is how old a price may be before reports warn.
const staleAfter = 90 * 24 * time.Hour

// staleWarning says when the oldest price used is older than 90 days.
func (r *Report) staleWarning() string { return language(r.Lang).stale(r.Today, r.oldestPrice()) }

// oldestPrice is the as-of date of the oldest price the report used (its
// on-demand and PT prices); zero when none is dated.
func (r *Report) oldestPrice() time.Time {
	prices := []*pricing.Price{r.Offer.OnDemand.InputPer1M, r.Offer.OnDemand.OutputPer1M}
	for _, p := range r.Offer.PT {
		prices = append(prices, &p)
	}
	var oldest time.Time
	for _, p := range prices {
		if p == nil {
			continue
		}
		if t, err := time.Parse(time.DateOnly, p.AsOf); err == nil && (oldest.IsZero() || t.Before(oldest)) {
			oldest = t
		}
	}
	return oldest
}

// stale says when the oldest price used, dated oldest, is older than 90
// days on today; "" otherwise, or when either is not known.
func (l language) stale(today, oldest time.Time) string {
	if today.IsZero() || oldest.IsZero() || today.Sub(oldest) <= staleAfter {
		return ""
	}
	return l.tr("some prices used are %d days old (as of %s); refresh them with `bedrockplan pricing update` and --pricing",
		"使用した価格の一部は %d 日前のものです（%s 時点）。`bedrockplan pricing update` と --pricing で更新してください", int(today.Sub(oldest).Hours()/24), oldest.Format(time.DateOnly))
}

// usd formats a unit price: at least two decimals, more when the price
// has them ($0.035).
func usd(v float64) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if i := strings.IndexByte(s, '.'); i < 0 {
		return s + ".00"
	} else if len(s)-i == 2 {
		return s + "0"
	}
	return s
}

// signedPct formats a change in percent with its sign; zero has none.
func signedPct(v float64) string {
	if math.Abs(v) < 0.005 {
		return "0.00%"
	}
	return fmt.Sprintf("%+.2f%%", v)
}

func asOf(d string) string {
	if d == "" {
		return ""
	}
	return ", " + d
}

// Written is the report as its written folder holds it (made by Write
// from the data it wrote); nil before Write. Sums over several reports take their figures
// from it, so that they add up what the folders' CSV files say.
func (r *Report) Written() *Report { return r.rendered }
