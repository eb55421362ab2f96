package workload

import (
	"fmt"
	"strings"

	"github.com/bedrockplan/bedrockplan/internal/suggest"
)

// Service tiers a series' traffic ran on. They are priced differently
// (Priority about 1.75× Standard, Flex about 0.5×), so one model's traffic
// on two tiers is two series. The empty string is never stored: a series
// without a tier is Standard.
const (
	TierStandard         = "standard"
	TierPriority         = "priority"
	TierFlex             = "flex"
	TierLatencyOptimized = "latency-optimized"
	// TierReserved is traffic CloudWatch's ResolvedServiceTier says a
	// Reserved-tier reservation served. It is kept apart because the
	// reservation, not the token, paid for it.
	TierReserved = "reserved"
)

// ServiceTiers lists the tier values a metrics CSV may hold.
var ServiceTiers = []string{TierStandard, TierPriority, TierFlex, TierLatencyOptimized, TierReserved}

// tierSuffixes are the model-id suffixes under which CloudWatch reports
// tier traffic (e.g. "anthropic.claude-sonnet-4-5-v1:0+flex"). Standard
// traffic has none.
var tierSuffixes = []string{TierPriority, TierFlex, TierLatencyOptimized}

// SplitTierSuffix maps a model id as CloudWatch reports it to the base
// model id and its tier: "m+flex" is ("m", "flex"); an id without a known
// suffix is itself on Standard.
func SplitTierSuffix(id string) (base, tier string) {
	for _, t := range tierSuffixes {
		if b, ok := strings.CutSuffix(id, "+"+t); ok && b != "" {
			return b, t
		}
	}
	return id, TierStandard
}

// WithTierSuffix is the inverse of SplitTierSuffix, used to name a
// series: Standard traffic keeps the bare id.
func WithTierSuffix(id, tier string) string {
	if tier == "" || tier == TierStandard {
		return id
	}
	return id + "+" + tier
}

// ParseServiceTier checks a service_tier cell. Empty is Standard. The
// problem it returns, if any, is worded for a "file:line: field:" message.
func ParseServiceTier(raw string) (string, string) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return TierStandard, ""
	}
	for _, t := range ServiceTiers {
		if s == t {
			return t, ""
		}
	}
	if strings.EqualFold(s, "default") {
		// Bedrock's API names the Standard tier "default"; the file uses
		// one name per tier so that two spellings cannot split a series.
		return "", fmt.Sprintf("%q: write %q (Bedrock's API calls the Standard tier \"default\")", s, TierStandard)
	}
	msg := fmt.Sprintf("%q is not a service tier", s)
	if c := suggest.Closest(s, ServiceTiers); c != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", c)
	}
	return "", msg + "; tiers are " + strings.Join(ServiceTiers, ", ") + ", or empty for standard"
}
