package probe

import (
	"fmt"
	"math"
	"sort"
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
func Summarise(records []Record, wall time.Duration, inPer1M, outPer1M float64) Summary {
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
		s.CostUSD += (float64(r.InputTokens)*inPer1M + float64(r.OutputTokens)*outPer1M) / 1e6
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
		out = append(out, Step{Offered: rs[0].Offered, Summary: Summarise(rs, last.Sub(first), res.Config.InputPer1M, res.Config.OutputPer1M)})
	}
	return out
}

// Knee finds where a ramp stops scaling: the first step whose throttle
// rate passes 5%, or whose median latency doubles the first step's, or
// whose output throughput grows less than 10% over the step before. It
// returns the step's index (-1 when none) and the capacity: the most
// output and input tokens per minute any step achieved.
func Knee(steps []Step) (knee int, inTPM, outTPM float64) {
	knee = -1
	for i, s := range steps {
		inTPM = math.Max(inTPM, s.Summary.AchievedInputTPM)
		outTPM = math.Max(outTPM, s.Summary.AchievedOutputTPM)
		if knee >= 0 {
			continue
		}
		switch {
		case s.Summary.ThrottleRate > 0.05:
			knee = i
		case i > 0 && steps[0].Summary.LatencyP50 > 0 && s.Summary.LatencyP50 > 2*steps[0].Summary.LatencyP50:
			knee = i
		case i > 0 && s.Summary.AchievedOutputTPM < 1.1*steps[i-1].Summary.AchievedOutputTPM:
			knee = i
		}
	}
	return knee, inTPM, outTPM
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
