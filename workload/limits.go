package workload

import (
	"fmt"
	"time"
)

// Limits on what a metrics file or an import may hold. They are far above
// any real traffic and far below where arithmetic breaks: a value beyond
// one is a mistake in the data (a unit slip, a stray timestamp, a corrupt
// cell), and answering it with an error naming the limit beats a replay
// that runs out of memory or sums to infinity.
const (
	// MaxCount is the most requests or tokens one interval may hold.
	MaxCount = 1e15
	// MaxRequestTokens is the most tokens one request may carry.
	MaxRequestTokens = 1e9
	// MaxLatencyMs is the largest latency, in milliseconds (a day).
	MaxLatencyMs = 86_400_000
	// MaxPeriod is the longest interval (CloudWatch's longest is a day;
	// a week leaves room for weekly roll-ups).
	MaxPeriod = 7 * 24 * time.Hour
	// maxIntervals bounds the intervals one series may span (9.5 years
	// of minutes), which bounds the memory a replay needs.
	maxIntervals = 5_000_000
)

// Timestamps must fall in [2000, 2100): Bedrock launched in 2023, and the
// bound keeps every interval arithmetic far from overflow.
const (
	minUnix = 946_684_800   // 2000-01-01T00:00:00Z
	maxUnix = 4_102_444_800 // 2100-01-01T00:00:00Z
)

// timeProblem says what is wrong with a timestamp, or "" when it is in
// range.
func timeProblem(t time.Time) string {
	if u := t.Unix(); u < minUnix || u >= maxUnix {
		return fmt.Sprintf("%s is outside the years 2000 to 2099", t.UTC().Format(time.RFC3339))
	}
	return ""
}

// limitWords writes a limit the way messages state it.
func limitWords(limit float64) string {
	switch limit {
	case MaxCount:
		return "1e15"
	case MaxRequestTokens:
		return "1e9 tokens in one request"
	case MaxLatencyMs:
		return "86400000 ms (a day)"
	}
	return fmt.Sprint(limit)
}
