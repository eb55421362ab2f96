package reports

import (
	"encoding/csv"
	"fmt"
	"image/color"
	"io"
	"math"
	"strconv"
	"time"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gopkg.in/yaml.v3"

	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/sim/probe"
)

// ProbeColumns are the columns of probe.csv.
var ProbeColumns = []string{"start", "end", "step", "offered", "status", "error", "latency_ms", "ttft_ms", "inter_token_latency_ms",
	"input_tokens", "output_tokens", "cache_read_tokens", "cache_write_tokens", "count_error", "retries", "retry_wait_ms"}

// WriteProbe writes probe.csv: one row per request, its final attempt.
func WriteProbe(w io.Writer, res *probe.Result) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(ProbeColumns); err != nil {
		return err
	}
	msf := func(d time.Duration) string { return fixed(float64(d)/float64(time.Millisecond), 3) }
	for _, r := range res.Records {
		if err := cw.Write([]string{r.Start.UTC().Format(time.RFC3339Nano), r.End.UTC().Format(time.RFC3339Nano), strconv.Itoa(r.Step + 1),
			strconv.FormatFloat(r.Offered, 'f', -1, 64), r.Status, r.Error, msf(r.Latency), msf(r.TTFT), msf(r.InterTokenLatency),
			strconv.Itoa(r.InputTokens), strconv.Itoa(r.OutputTokens), strconv.Itoa(r.CacheReadTokens), strconv.Itoa(r.CacheWriteTokens), r.CountError,
			strconv.Itoa(r.Retries), msf(r.RetryWait)}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// ProbeSummaryColumns are the columns of probe_summary.csv.
var ProbeSummaryColumns = []string{"step", "offered", "requests", "succeeded", "throttled", "errors", "retries", "input_tokens", "output_tokens",
	"cost_usd", "latency_p50_ms", "latency_p90_ms", "latency_p99_ms", "ttft_p50_ms", "ttft_p90_ms", "ttft_p99_ms", "inter_token_latency_p50_ms",
	"output_tokens_per_s", "achieved_input_tpm", "achieved_output_tpm", "throttle_rate_pct", "error_rate_pct", "duration_s"}

// WriteProbeSummary writes probe_summary.csv: the whole run ("all"), then
// each step of a ramp.
func WriteProbeSummary(w io.Writer, all probe.Summary, steps []probe.Step) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(ProbeSummaryColumns); err != nil {
		return err
	}
	msf := func(d time.Duration) string { return fixed(float64(d)/float64(time.Millisecond), 1) }
	row := func(name, offered string, s probe.Summary) []string {
		return []string{name, offered, strconv.Itoa(s.Requests), strconv.Itoa(s.Succeeded), strconv.Itoa(s.Throttled), strconv.Itoa(s.Errors + s.NotReady),
			strconv.Itoa(s.Retries), strconv.Itoa(s.InputTokens), strconv.Itoa(s.OutputTokens), fixed(s.CostUSD, 6),
			msf(s.LatencyP50), msf(s.LatencyP90), msf(s.LatencyP99), msf(s.TTFTP50), msf(s.TTFTP90), msf(s.TTFTP99), msf(s.InterTokenP50),
			fixed(s.OutputTokensPerS, 1), fixed(s.AchievedInputTPM, 0), fixed(s.AchievedOutputTPM, 0),
			fixed(100*s.ThrottleRate, 2), fixed(100*s.ErrorRate, 2), fixed(s.Duration.Seconds(), 3)}
	}
	if err := cw.Write(row("all", "", all)); err != nil {
		return err
	}
	if len(steps) > 1 {
		for i, st := range steps {
			if err := cw.Write(row(strconv.Itoa(i+1), strconv.FormatFloat(st.Offered, 'f', -1, 64), st.Summary)); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// Calibration is a pricing override holding a measured MU throughput.
func Calibration(modelID, region string, inTPM, outTPM float64, samples int, source string, date time.Time) ([]byte, error) {
	c := pricing.Catalogue{AsOf: date.Format(time.DateOnly), Models: map[string]*pricing.Model{modelID: {Regions: map[string]*pricing.Region{region: {
		Throughput: &pricing.Throughput{InputTPM: math.Round(inTPM), OutputTPM: math.Round(outTPM), Provenance: pricing.ProvenanceMeasured,
			Source: source, AsOf: date.Format(time.DateOnly), SampleSize: samples}}}}}}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	b, err := yaml.Marshal(c)
	if err != nil {
		return nil, err
	}
	return append([]byte("# Measured by bedrockplan probe; use it with --pricing calibration.yaml.\n"), b...), nil
}

// ProbeTimeChart draws each request's latency over the run (by status)
// and the output tokens served per minute, in 5-second buckets.
func ProbeTimeChart(res *probe.Result) ([]byte, error) {
	ok, bad := plotter.XYs{}, plotter.XYs{}
	top := 0.0
	for _, r := range res.Records {
		if r.Status == probe.StatusCancelled {
			continue
		}
		xy := plotter.XY{X: r.End.Sub(res.Start).Seconds(), Y: float64(r.Latency) / float64(time.Millisecond)}
		top = math.Max(top, xy.Y)
		if r.Status == probe.StatusOK {
			ok = append(ok, xy)
		} else {
			bad = append(bad, xy)
		}
	}
	s := probe.Summarise(res.Records, res.End.Sub(res.Start), nil)
	p := newPlot(ChartText{}, fmt.Sprintf("Latency over the run: p50 %d ms, p90 %d ms; %s throttled or failed", s.LatencyP50.Milliseconds(), s.LatencyP90.Milliseconds(), pctText(s.ThrottleRate+s.ErrorRate)),
		"seconds since the start", "latency (ms)")
	p.Y.Min, p.Y.Max = 0, math.Max(1, top*1.3)
	for _, series := range []struct {
		xy    plotter.XYs
		col   color.Color
		label string
	}{{ok, ColorSixMonths, "succeeded"}, {bad, ColorThrottled, "throttled or failed"}} {
		if len(series.xy) == 0 {
			continue
		}
		sc, err := plotter.NewScatter(series.xy)
		if err != nil {
			return nil, err
		}
		sc.Color, sc.Shape, sc.Radius = series.col, draw.CircleGlyph{}, vg.Points(2)
		p.Add(sc)
		p.Legend.Add(series.label, sc)
	}
	return encodePNG(p)
}

func pctText(v float64) string { return trim(math.Round(1000*v)/10) + "%" }

// ProbeLoadChart draws latency (p50, p90) and output tokens per minute
// against the offered load of each step.
func ProbeLoadChart(steps []probe.Step, knee int) ([]byte, error) {
	var p50, p90 plotter.XYs
	top := 0.0
	for _, st := range steps {
		x := st.Offered
		p50 = append(p50, plotter.XY{X: x, Y: float64(st.Summary.LatencyP50) / float64(time.Millisecond)})
		p90 = append(p90, plotter.XY{X: x, Y: float64(st.Summary.LatencyP90) / float64(time.Millisecond)})
		top = math.Max(top, float64(st.Summary.LatencyP90)/float64(time.Millisecond))
	}
	title := "Latency against offered load"
	if knee >= 0 {
		title += fmt.Sprintf(": throughput stops scaling at %s (%s output tokens/min)", trim(steps[knee].Offered), SI(steps[knee].Summary.AchievedOutputTPM))
	}
	p := newPlot(ChartText{}, title, "offered load (requests in flight, or requests/s)", "latency (ms)")
	p.Y.Min, p.Y.Max = 0, math.Max(1, top*1.3)
	for _, l := range []struct {
		xy    plotter.XYs
		col   color.Color
		label string
	}{{p50, ColorSixMonths, "p50"}, {p90, ColorOnDemand, "p90"}} {
		line, pts, err := plotter.NewLinePoints(l.xy)
		if err != nil {
			return nil, err
		}
		line.Color, line.Width, pts.Color = l.col, vg.Points(2), l.col
		p.Add(line, pts)
		p.Legend.Add(l.label, line, pts)
	}
	return encodePNG(p)
}

// ProbeThroughputChart draws output tokens served per minute over the
// run, in one-second buckets, with the throttled attempts per second.
func ProbeThroughputChart(res *probe.Result) ([]byte, error) {
	secs := int(math.Ceil(res.End.Sub(res.Start).Seconds()))
	if secs < 1 {
		secs = 1
	}
	out := make([]float64, secs)
	thr := make([]float64, secs)
	for _, r := range res.Records {
		i := min(secs-1, max(0, int(r.End.Sub(res.Start).Seconds())))
		if r.Status == probe.StatusOK {
			out[i] += float64(r.OutputTokens) * 60 // tokens in a second, per minute
		}
		thr[i] += float64(r.Retries)
		if r.Status == probe.StatusThrottled {
			thr[i]++
		}
	}
	var xy, txy plotter.XYs
	top := 0.0
	for i := range out {
		xy = append(xy, plotter.XY{X: float64(i), Y: out[i]})
		txy = append(txy, plotter.XY{X: float64(i), Y: thr[i]})
		top = math.Max(top, out[i])
	}
	s := probe.Summarise(res.Records, res.End.Sub(res.Start), nil)
	p := newPlot(ChartText{}, fmt.Sprintf("Throughput over the run: %s output tokens/min on average", SI(s.AchievedOutputTPM)),
		"seconds since the start", "output tokens per minute (1-second buckets)")
	p.Y.Min, p.Y.Max = 0, math.Max(1, top*1.3)
	line, err := plotter.NewLine(xy)
	if err != nil {
		return nil, err
	}
	line.StepStyle, line.Color, line.Width = plotter.PostStep, ColorSixMonths, vg.Points(1.5)
	p.Add(line)
	p.Legend.Add("output tokens/min served", line)
	// Throttles are drawn on the same axis, scaled so the busiest second
	// of throttling reaches a tenth of the chart, and labelled with counts.
	most := 0.0
	for _, v := range thr {
		most = math.Max(most, v)
	}
	if most > 0 {
		for i := range txy {
			txy[i].Y *= top * 0.1 / most
		}
		tl, err := plotter.NewLine(txy)
		if err != nil {
			return nil, err
		}
		tl.StepStyle, tl.Color, tl.FillColor = plotter.PostStep, ColorThrottled, ColorThrottled
		p.Add(tl)
		p.Legend.Add(fmt.Sprintf("throttled attempts (most %s in a second)", trim(most)), tl)
	}
	return encodePNG(p)
}
