package sim_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/bedrockplan/bedrockplan/sim"
	"github.com/bedrockplan/bedrockplan/workload"
)

// quotaSeries is an hour of traffic whose service quota count is the
// modelled count (input + cache writes + 5 × output) times factor(i),
// with idle intervals every tenth minute.
func quotaSeries(factor func(i int) float64) *workload.Series {
	s := &workload.Series{ModelID: "anthropic.claude-sonnet-4-5-20250929-v1:0", Region: "us-east-1", Period: time.Minute}
	for i := range 60 {
		in, out, cw := float64(1000+i*37), float64(100+i*3), float64(50*(i%4))
		if i%10 == 0 {
			in, out, cw = 0, 0, 0
		}
		s.Start = append(s.Start, int64(1_790_000_000+60*i))
		s.Invocations = append(s.Invocations, math.Ceil(in/1000))
		s.InputTokens = append(s.InputTokens, in)
		s.OutputTokens = append(s.OutputTokens, out)
		s.CacheRead = append(s.CacheRead, 5*in) // never counted
		s.CacheWrite = append(s.CacheWrite, cw)
		s.QuotaUsage = append(s.QuotaUsage, (in+cw+5*out)*factor(i))
	}
	return s
}

func TestCheckQuota(t *testing.T) {
	for _, c := range []struct {
		name   string
		factor func(int) float64
		want   sim.QuotaCheck
	}{
		{"agree", func(int) float64 { return 1 }, sim.QuotaCheck{Intervals: 54, MedianRatio: 1, ApartShare: 0, Warn: false}},
		// The service counts 25% more in every interval: modelled/service = 0.8.
		{"service 1.25x", func(int) float64 { return 1.25 }, sim.QuotaCheck{Intervals: 54, MedianRatio: 0.8, ApartShare: 1, Warn: true}},
		// Within 10% everywhere: no warning, nothing apart.
		{"service 1.05x", func(int) float64 { return 1.05 }, sim.QuotaCheck{Intervals: 54, MedianRatio: 1 / 1.05, ApartShare: 0, Warn: false}},
		// A third of the intervals doubled: apart, but the median agrees.
		{"some apart", func(i int) float64 { return map[bool]float64{true: 2, false: 1}[i%3 == 0] }, sim.QuotaCheck{Intervals: 54, MedianRatio: 1, ApartShare: 18.0 / 54, Warn: false}},
	} {
		got, err := sim.CheckQuota(quotaSeries(c.factor), 5)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got.Intervals != c.want.Intervals || math.Abs(got.MedianRatio-c.want.MedianRatio) > 1e-12 ||
			math.Abs(got.ApartShare-c.want.ApartShare) > 1e-12 || got.Warn != c.want.Warn {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
	}
}

// TestCheckQuotaBurndownMatters: leaving out the 5x burndown of a model
// that has it shows as a disagreement.
func TestCheckQuotaBurndownMatters(t *testing.T) {
	got, err := sim.CheckQuota(quotaSeries(func(int) float64 { return 1 }), 1)
	if err != nil || !got.Warn || got.MedianRatio >= 0.9 {
		t.Errorf("burndown 1 on 5x traffic: %+v %v", got, err)
	}
}

func TestCheckQuotaRefuses(t *testing.T) {
	s := quotaSeries(func(int) float64 { return 1 })
	s.QuotaUsage = nil
	if _, err := sim.CheckQuota(s, 5); err == nil || !strings.Contains(err.Error(), "no estimated_tpm_quota_usage column") {
		t.Errorf("no column: %v", err)
	}
	idle := &workload.Series{ModelID: "m", Period: time.Minute, Start: []int64{0}, Invocations: []float64{0},
		InputTokens: []float64{0}, OutputTokens: []float64{0}, QuotaUsage: []float64{0}}
	if _, err := sim.CheckQuota(idle, 1); err == nil || err.Error() != "m: no interval with traffic to compare the quota rule on" {
		t.Errorf("idle: %v", err)
	}
	if _, err := sim.CheckQuota(quotaSeries(func(int) float64 { return 1 }), math.NaN()); err == nil {
		t.Error("NaN burndown accepted")
	}
}
