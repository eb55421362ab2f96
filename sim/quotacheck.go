package sim

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"github.com/bedrockplan/bedrockplan/workload"
)

// QuotaTolerance is how far (as a share) the modelled quota use may be
// from the service's own count before the two are said to disagree.
const QuotaTolerance = 0.10

// QuotaCheck compares the quota use the replay models (DESIGN §3 rule 3:
// input + cache writes + burndown × output) with CloudWatch's
// EstimatedTPMQuotaUsage, interval by interval.
type QuotaCheck struct {
	// Intervals counts the intervals compared: those with traffic.
	Intervals int
	// MedianRatio is the median over those intervals of modelled ÷
	// service (1 is perfect agreement; +Inf where the service counted
	// nothing but the model did).
	MedianRatio float64
	// ApartShare is the share of the compared intervals whose ratio is
	// more than QuotaTolerance away from 1.
	ApartShare float64
	// Warn is set when the median ratio is more than QuotaTolerance away
	// from 1: the replay's quota rule does not describe how the service
	// counts this traffic, so its throttling figures are in doubt.
	Warn bool
}

// CheckQuota compares the series' modelled quota use with the service's
// count, given the output burndown the replay applies (1 when none). The
// series must carry the estimated_tpm_quota_usage column; an interval has
// traffic when it served requests or either count is positive. A series
// without such an interval is an error: there is nothing to compare.
func CheckQuota(s *workload.Series, burndown float64) (QuotaCheck, error) {
	if s.QuotaUsage == nil {
		return QuotaCheck{}, fmt.Errorf("%s: no estimated_tpm_quota_usage column (CloudWatch EstimatedTPMQuotaUsage) to check the quota rule against", s.Key())
	}
	if !(burndown >= 1) || math.IsInf(burndown, 0) {
		return QuotaCheck{}, fmt.Errorf("output burndown %v: want a finite number of at least 1", burndown)
	}
	var ratios []float64
	apart := 0
	for i := range s.Start {
		modelled := s.InputTokens[i] + burndown*s.OutputTokens[i]
		if s.CacheWrite != nil {
			modelled += s.CacheWrite[i] // cache writes use quota; cache reads do not
		}
		service := s.QuotaUsage[i]
		if s.Invocations[i] <= 0 && modelled <= 0 && service <= 0 {
			continue
		}
		r := math.Inf(1)
		switch {
		case service > 0:
			r = modelled / service
		case modelled <= 0:
			r = 1 // both nothing: requests that used no tokens agree
		}
		ratios = append(ratios, r)
		if math.Abs(r-1) > QuotaTolerance {
			apart++
		}
	}
	if len(ratios) == 0 {
		return QuotaCheck{}, errors.New(s.Key() + ": no interval with traffic to compare the quota rule on")
	}
	sort.Float64s(ratios)
	n := len(ratios)
	median := ratios[n/2]
	if n%2 == 0 {
		median = (ratios[n/2-1] + ratios[n/2]) / 2
	}
	return QuotaCheck{
		Intervals:   n,
		MedianRatio: median,
		ApartShare:  float64(apart) / float64(n),
		Warn:        math.Abs(median-1) > QuotaTolerance,
	}, nil
}
