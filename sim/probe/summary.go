package probe

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Summary is a run's statistics over the requests that were not
// cancelled. Latencies are per request, final attempt; throughput counts
// the tokens of successful requests over the run's wall time.
type Summary struct {
	Requests, Succeeded, Throttled, NotReady, Errors, Cancelled int
	Retries                                                     int
	InputTokens, OutputTokens                                   int
	CostUSD                                                     float64
	LatencyP50, LatencyP90, LatencyP99                          time.Duration
	TTFTP50, TTFTP90, TTFTP99                                   time.Duration
	InterTokenP50                                               time.Duration
	// OutputTokensPerS is the median over requests of output tokens per
	// second of generation (after the first token when streaming).
	OutputTokensPerS float64
	// AchievedInputTPM and AchievedOutputTPM are tokens served per minute
	// of the run.
	AchievedInputTPM, AchievedOutputTPM float64
	// ThrottleRate is the share of attempts (retries included: only
	// throttles are retried) that were throttled; ErrorRate the share of
	// requests that failed otherwise.
	ThrottleRate, ErrorRate float64
	Duration                time.Duration
}

// Summarise computes the summary of records over the given wall time.
// cost prices a request's counts (Config.Cost, the same prices the spend
// cap charges, cache tokens included); nil leaves CostUSD at 0.
func Summarise(records []Record, wall time.Duration, cost func(in, cacheRead, cacheWrite, out int) float64) Summary {
	var s Summary
	var lat, ttft, itl []time.Duration
	var rates []float64
	attempts, throttledAttempts := 0, 0
	for _, r := range records {
		if r.Status == StatusCancelled {
			s.Cancelled++
			continue
		}
		s.Requests++
		s.Retries += r.Retries
		attempts += r.Retries + 1
		throttledAttempts += r.Retries
		switch r.Status {
		case StatusOK:
			s.Succeeded++
			s.InputTokens += r.InputTokens
			s.OutputTokens += r.OutputTokens
			lat = append(lat, r.Latency)
			if r.TTFT > 0 {
				ttft = append(ttft, r.TTFT)
				if r.InterTokenLatency > 0 {
					itl = append(itl, r.InterTokenLatency)
				}
			}
			gen := r.Latency - r.TTFT
			if gen > 0 && r.OutputTokens > 0 {
				rates = append(rates, float64(r.OutputTokens)/gen.Seconds())
			}
		case StatusThrottled:
			s.Throttled++
			throttledAttempts++
		case StatusNotReady:
			s.NotReady++
		default:
			s.Errors++
		}
		if cost != nil {
			s.CostUSD += cost(r.InputTokens, r.CacheReadTokens, r.CacheWriteTokens, r.OutputTokens)
		}
	}
	s.LatencyP50, s.LatencyP90, s.LatencyP99 = pct(lat, 0.5), pct(lat, 0.9), pct(lat, 0.99)
	s.TTFTP50, s.TTFTP90, s.TTFTP99 = pct(ttft, 0.5), pct(ttft, 0.9), pct(ttft, 0.99)
	s.InterTokenP50 = pct(itl, 0.5)
	if len(rates) > 0 {
		sort.Float64s(rates)
		s.OutputTokensPerS = rates[len(rates)/2]
	}
	s.Duration = wall
	if m := wall.Minutes(); m > 0 {
		s.AchievedInputTPM, s.AchievedOutputTPM = float64(s.InputTokens)/m, float64(s.OutputTokens)/m
	}
	if s.Requests > 0 {
		s.ThrottleRate = float64(throttledAttempts) / float64(attempts)
		s.ErrorRate = float64(s.Errors+s.NotReady) / float64(s.Requests)
	}
	return s
}

// pct is the nearest-rank percentile.
func pct(v []time.Duration, q float64) time.Duration {
	if len(v) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), v...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := int(math.Ceil(q*float64(len(s)))) - 1
	return s[max(0, min(i, len(s)-1))]
}

// Step is one step of a ramp (or the whole run), summarised.
type Step struct {
	Offered float64
	Summary Summary
	// Sustained is the step's throughput once its warm-up is over: see
	// sustain. Zero when the step had too little of it to tell.
	Sustained Sustained
	// ClientLag is how long the probe itself was held up (Result.Lag)
	// in the time the step is judged on, Measured: the window Sustained
	// spans, or the whole step when it has none.
	ClientLag, Measured time.Duration
}

// maxClientLag is the share of a step's measured time the probe may be
// held up for before the step is taken as limited by the client: a
// stall can take up to its share off the throughput measured, whatever
// the target carries.
const maxClientLag = 0.05

// ClientLimited says the probe itself was held up for more than
// maxClientLag of the step's measured time, so that it did not offer
// the load it meant to: the step's throughput may be the client's limit
// rather than the target's.
func (s Step) ClientLimited() bool {
	return s.Measured > 0 && float64(s.ClientLag) > maxClientLag*float64(s.Measured)
}

// Sustained is a step's throughput after its warm-up: from the first
// request admitted after throttling set in (a throttled step), or after
// the first fifth of the step (one never throttled), to the last request
// admitted, counting the tokens of the successful requests whose final
// attempt started in between. A limiter's burst allowance is spent
// before throttling sets in, so this is the rate the target keeps up,
// not the rate it allows for a few seconds; and measuring from one
// admission to the last also spans whole periods of a sliding window.
type Sustained struct {
	InputTPM, OutputTPM float64
	From                time.Time // when the window began
	Window              time.Duration
	Throttled           bool // the window began after throttling set in
}

// warmup is the share of a never-throttled step left out as warm-up;
// minWindow the share of the step a sustained window must span to count.
const (
	warmup    = 0.2
	minWindow = 0.2
)

// sustain measures a step's sustained throughput.
func sustain(rs []Record, first, last time.Time) Sustained {
	var throttledAt time.Time
	for _, r := range rs {
		if r.Status == StatusCancelled || r.Retries == 0 && r.Status != StatusThrottled {
			continue
		}
		// The request's first attempt was throttled.
		if t := r.Start.Add(-r.RetryWait); throttledAt.IsZero() || t.Before(throttledAt) {
			throttledAt = t
		}
	}
	from := first.Add(time.Duration(warmup * float64(last.Sub(first))))
	if !throttledAt.IsZero() {
		from = time.Time{}
		for _, r := range rs {
			if r.Status == StatusOK && r.Start.After(throttledAt) && (from.IsZero() || r.Start.Before(from)) {
				from = r.Start
			}
		}
	}
	var to time.Time
	for _, r := range rs {
		if r.Status == StatusOK && r.Start.After(to) {
			to = r.Start
		}
	}
	if from.IsZero() || !to.After(from) || to.Sub(from) < time.Duration(minWindow*float64(last.Sub(first))) {
		return Sustained{}
	}
	var in []Record
	for _, r := range rs {
		if r.Status == StatusOK && !r.Start.Before(from) && !r.Start.After(to) {
			in = append(in, r)
		}
	}
	slices.SortFunc(in, func(a, b Record) int { return a.Start.Compare(b.Start) })
	return Sustained{InputTPM: slope(in, from, func(r Record) int { return r.InputTokens }), OutputTPM: slope(in, from, func(r Record) int { return r.OutputTokens }),
		From: from, Window: to.Sub(from), Throttled: !throttledAt.IsZero()}
}

// slope is the least-squares slope, in tokens a minute, of the tokens
// admitted so far against time. Fitting every admission, rather than
// dividing the tokens between the first and the last by the time
// between them, does not hang on when those two happened to be sent.
func slope(rs []Record, t0 time.Time, tokens func(Record) int) float64 {
	var n, sx, sy, sxx, sxy float64
	cum := 0
	for _, r := range rs {
		cum += tokens(r)
		x, y := r.Start.Sub(t0).Minutes(), float64(cum)
		n++
		sx, sy, sxx, sxy = sx+x, sy+y, sxx+x*x, sxy+x*y
	}
	d := n*sxx - sx*sx
	if n < 2 || d <= 0 {
		return 0
	}
	return (n*sxy - sx*sy) / d
}

// Steps summarises each step of a run by its offered load, over the time
// its requests spanned.
func Steps(res *Result) []Step {
	by := map[int][]Record{}
	var order []int
	for _, r := range res.Records {
		if _, ok := by[r.Step]; !ok {
			order = append(order, r.Step)
		}
		by[r.Step] = append(by[r.Step], r)
	}
	sort.Ints(order)
	var out []Step
	for _, k := range order {
		rs := by[k]
		first, last := rs[0].Start.Add(-rs[0].RetryWait), rs[0].End
		for _, r := range rs {
			if t := r.Start.Add(-r.RetryWait); t.Before(first) {
				first = t
			}
			if r.End.After(last) {
				last = r.End
			}
		}
		st := Step{Offered: rs[0].Offered, Summary: Summarise(rs, last.Sub(first), res.Config.Cost), Sustained: sustain(rs, first, last)}
		if w := st.Sustained; w.Window > 0 {
			first, last = w.From, w.From.Add(w.Window)
		}
		st.ClientLag, st.Measured = lagWithin(res.Lag, first, last), last.Sub(first)
		out = append(out, st)
	}
	return out
}

// lagWithin is how much of the time from first to last the probe was
// held up.
func lagWithin(lags []Lag, first, last time.Time) time.Duration {
	var d time.Duration
	for _, l := range lags {
		from, to := l.At.Add(-l.Late), l.At
		if from.Before(first) {
			from = first
		}
		if to.After(last) {
			to = last
		}
		if to.After(from) {
			d += to.Sub(from)
		}
	}
	return d
}

// Capacity is what a run says the target carries: the plateau of the
// sustained throughput of its saturated steps.
type Capacity struct {
	// Knee is the first saturated step (-1 when none was): the first
	// whose throttle rate passes 5%, whose median latency doubles the
	// first step's, or whose sustained output grows less than 10% over
	// the step before.
	Knee int
	// InputTPM and OutputTPM are the medians of the sustained throughput
	// of the saturated steps that had a sustained window (Used); with no
	// knee, the most any step sustained, a lower bound.
	InputTPM, OutputTPM float64
	Used                []int
	// Spread is (most − least) / median of the used steps' sustained
	// output.
	Spread float64
	// ClientLimited are the steps the figure rests on (the knee and the
	// steps after it; every step when there is no knee) in which the
	// probe itself was held up (Step.ClientLimited): there the client,
	// not the target, may have been the limit, and the figure is
	// uncertain.
	ClientLimited []int
	// Uncertain says why the figure should not be trusted as it stands
	// ("" when it can be).
	Uncertain string
}

// maxSpread is the spread past which a plateau is not flat enough to
// calibrate on without a second look.
const maxSpread = 0.10

// Calibrate finds a run's capacity from its steps. It takes the plateau
// of the saturated steps rather than the most any step achieved: the
// first saturated step often spends a limiter's burst allowance, and a
// maximum would keep exactly that overshoot. A figure resting on a step
// in which the probe itself was held up (Step.ClientLimited) is marked
// uncertain: the step may show what the client could offer, not what
// the target carries, and a step that grew less than it should because
// of the client can even be taken for the knee.
func Calibrate(steps []Step) Capacity {
	c := calibrate(steps)
	from := max(c.Knee, 0)
	for i := from; i < len(steps); i++ {
		if steps[i].ClientLimited() {
			c.ClientLimited = append(c.ClientLimited, i)
		}
	}
	if len(c.ClientLimited) > 0 {
		var held []string
		for _, i := range c.ClientLimited {
			s := steps[i]
			held = append(held, fmt.Sprintf("step %d for %s of %s", i+1, s.ClientLag.Round(time.Millisecond), s.Measured.Round(time.Millisecond)))
		}
		why := "the probe itself was held up (" + strings.Join(held, ", ") +
			"), offering less load than it meant to: the client, not the target, may have been the limit; probe from a machine with CPU to spare"
		if c.Uncertain != "" {
			why = c.Uncertain + "; " + why
		}
		c.Uncertain = why
	}
	return c
}

// calibrate is Calibrate short of judging the client.
func calibrate(steps []Step) Capacity {
	c := Capacity{Knee: -1}
	for i, s := range steps {
		if c.Knee >= 0 {
			break
		}
		switch {
		case s.Summary.ThrottleRate > 0.05:
			c.Knee = i
		case i > 0 && steps[0].Summary.LatencyP50 > 0 && s.Summary.LatencyP50 > 2*steps[0].Summary.LatencyP50:
			c.Knee = i
		case i > 0 && s.Sustained.OutputTPM > 0 && s.Sustained.OutputTPM < 1.1*steps[i-1].Sustained.OutputTPM:
			c.Knee = i
		}
	}
	if c.Knee < 0 {
		for _, s := range steps {
			c.InputTPM = math.Max(c.InputTPM, s.Sustained.InputTPM)
			c.OutputTPM = math.Max(c.OutputTPM, s.Sustained.OutputTPM)
		}
		c.Uncertain = "no step was saturated: the figure is a lower bound"
		return c
	}
	var ins, outs []float64
	for i := c.Knee; i < len(steps); i++ {
		if s := steps[i].Sustained; s.OutputTPM > 0 {
			c.Used = append(c.Used, i)
			ins, outs = append(ins, s.InputTPM), append(outs, s.OutputTPM)
		}
	}
	switch len(c.Used) {
	case 0:
		c.Uncertain = "no saturated step lasted long enough after its warm-up to measure"
		return c
	case 1:
		c.Uncertain = "one saturated step only: ramp further past the knee to see the plateau"
	}
	c.InputTPM, c.OutputTPM = median(ins), median(outs)
	c.Spread = (slices.Max(outs) - slices.Min(outs)) / c.OutputTPM
	if c.Uncertain == "" && c.Spread > maxSpread {
		c.Uncertain = fmt.Sprintf("the saturated steps disagree by %.0f%%", 100*c.Spread)
	}
	return c
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// StepNames lists steps by number and offered load, e.g. "steps 3–5
// (offered 4, 8, 16)".
func (c Capacity) StepNames(steps []Step) string {
	if len(c.Used) == 0 {
		return "no step"
	}
	var nums, loads []string
	for _, i := range c.Used {
		nums = append(nums, strconv.Itoa(i+1))
		loads = append(loads, strconv.FormatFloat(steps[i].Offered, 'g', -1, 64))
	}
	word := "step"
	if len(nums) > 1 {
		word = "steps"
	}
	return fmt.Sprintf("%s %s (offered %s)", word, strings.Join(nums, ", "), strings.Join(loads, ", "))
}

// Knee is Calibrate for callers that want the knee and the capacity.
func Knee(steps []Step) (knee int, inTPM, outTPM float64) {
	c := Calibrate(steps)
	return c.Knee, c.InputTPM, c.OutputTPM
}

// Verdict compares what was measured with what the plan assumes: the
// throughput of modelUnits MUs (per-MU figures from the catalogue or the
// command line) and the latency budget. It returns sentences.
func Verdict(s Summary, knee int, capIn, capOut float64, modelUnits int, assumedIn, assumedOut float64, latencyBudget time.Duration) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d requests: %d succeeded, %d throttled, %d errors (%d retries, counted apart from latency). ",
		s.Requests, s.Succeeded, s.Throttled, s.Errors+s.NotReady, s.Retries)
	fmt.Fprintf(&b, "Latency p50 %s, p90 %s, p99 %s", ms(s.LatencyP50), ms(s.LatencyP90), ms(s.LatencyP99))
	if s.TTFTP50 > 0 {
		fmt.Fprintf(&b, "; time to first token p50 %s", ms(s.TTFTP50))
	}
	fmt.Fprintf(&b, ". Achieved %.0f input and %.0f output tokens per minute.\n", s.AchievedInputTPM, s.AchievedOutputTPM)
	if knee >= 0 {
		fmt.Fprintf(&b, "Throughput stopped scaling at ramp step %d: the target carries about %.0f input and %.0f output tokens per minute.\n", knee+1, capIn, capOut)
	} else if capOut > 0 {
		fmt.Fprintf(&b, "No knee was reached: the target carried at least %.0f input and %.0f output tokens per minute; ramp higher to find its limit.\n", capIn, capOut)
	}
	if modelUnits > 0 && assumedOut > 0 {
		gotOut := capOut / float64(modelUnits)
		gotIn := capIn / float64(modelUnits)
		ratio := gotOut / assumedOut
		switch {
		case knee < 0:
			fmt.Fprintf(&b, "Per model unit at least %.0f in / %.0f out tokens per minute against the plan's %.0f / %.0f (%.0f%% of the assumed output so far).\n", gotIn, gotOut, assumedIn, assumedOut, 100*ratio)
		case ratio < 0.9:
			fmt.Fprintf(&b, "Per model unit %.0f in / %.0f out tokens per minute: %.0f%% of the plan's assumed %.0f output tokens. The plan overstates PT capacity; recalibrate before buying.\n", gotIn, gotOut, 100*ratio, assumedOut)
		case ratio > 1.1:
			fmt.Fprintf(&b, "Per model unit %.0f in / %.0f out tokens per minute: %.0f%% of the plan's assumed %.0f output tokens. The plan is conservative.\n", gotIn, gotOut, 100*ratio, assumedOut)
		default:
			fmt.Fprintf(&b, "Per model unit %.0f in / %.0f out tokens per minute, within 10%% of the plan's assumption (%.0f / %.0f).\n", gotIn, gotOut, assumedIn, assumedOut)
		}
	}
	if latencyBudget > 0 && s.LatencyP90 > latencyBudget {
		fmt.Fprintf(&b, "p90 latency %s is over the %s budget.\n", ms(s.LatencyP90), ms(latencyBudget))
	}
	return b.String()
}

func ms(d time.Duration) string { return fmt.Sprintf("%d ms", d.Milliseconds()) }
