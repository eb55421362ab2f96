package workload

import (
	"fmt"
	"math"
	"time"
)

// BurstRatio measures how far the busiest fine interval inside each
// period-long bucket rises above the bucket's mean, in tokens (input plus
// output): max / mean per bucket with traffic, averaged with the buckets'
// tokens as weights (busy hours matter most). fine must be finer than
// period and divide it. It returns the ratio and the buckets measured.
func BurstRatio(fine *Series, period time.Duration) (float64, int, error) {
	if fine.Period >= period || period%fine.Period != 0 {
		return 0, 0, fmt.Errorf("%s: %s data cannot show the peaks inside %s intervals", fine.Key(), fine.Period, period)
	}
	p := int64(period / time.Second)
	per := float64(period / fine.Period)
	var num, den float64
	buckets := 0
	flush := func(sum, peak float64) {
		if sum > 0 {
			num += peak / (sum / per) * sum
			den += sum
			buckets++
		}
	}
	var cur int64 = math.MinInt64
	var sum, peak float64
	for i, t := range fine.Start {
		b := floorDiv(t, p) * p
		if b != cur {
			flush(sum, peak)
			cur, sum, peak = b, 0, 0
		}
		v := fine.InputTokens[i] + fine.OutputTokens[i]
		sum += v
		peak = math.Max(peak, v)
	}
	flush(sum, peak)
	if den == 0 {
		return 0, 0, fmt.Errorf("%s: no traffic to measure peaks from", fine.Key())
	}
	return num / den, buckets, nil
}

// DefaultBurstRatio is the peak-minute-to-mean ratio assumed for period
// intervals when no finer data exists: r = 0.77 + 0.255·ln(minutes),
// fitted to the busiest minute of the 5- and 15-minute intervals of the
// Azure LLM conversation trace (testdata; 1.18 and 1.46). It is an
// assumption for any other workload, and reports say so.
func DefaultBurstRatio(period time.Duration) float64 {
	m := period.Minutes()
	if m <= 1 {
		return 1
	}
	return math.Max(1, 0.77+0.255*math.Log(m))
}
