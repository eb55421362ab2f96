package sim

import (
	"fmt"

	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/workload"
)

// Moves are the shares of Standard traffic the user says could run
// elsewhere: on the Flex tier (best effort, may be slower or throttled)
// or as batch jobs (within 24 hours). Only the user knows which traffic
// can wait, so the recommendation never moves traffic by itself; these
// are what-ifs priced beside it.
type Moves struct {
	Flex, Batch float64
}

// TierMove is one what-if: a share of the Standard traffic's tokens
// priced on another tier instead.
type TierMove struct {
	Tier  string // "flex" or "batch"
	Share float64
	// Saving is what the moved tokens cost less, USD over the window
	// (cache tokens are left out: their price on the other tier is not
	// known).
	Saving float64
	// InputPer1M and OutputPer1M are the tier's prices used.
	InputPer1M, OutputPer1M float64
	// Missing says that the move could not be priced: the offer has no
	// prices of the tier.
	Missing bool
}

// TierFigures are the service-tier facts of a report: the tier the
// series ran on, what Priority costs over Standard for it, and the
// what-if moves.
type TierFigures struct {
	Tier string // "" for Standard
	// PriorityPremium is what the series cost over the same tokens at
	// Standard prices, USD, when it ran on the Priority tier.
	PriorityPremium float64
	Moves           []TierMove
	// ByTier is the on-demand cost of each tier of the model's traffic in
	// the metrics, when there is more than one, each at its tier's prices.
	ByTier []TierCost
}

// TierCost is one service tier's traffic priced all on-demand.
type TierCost struct {
	Tier     string
	Requests float64
	Cost     pricing.Money
	// Missing says that the tier could not be priced: the offer has no
	// prices of the tier.
	Missing bool
}

// CostByTier prices each tier series of one model all on-demand, each at
// its tier's prices (standard first).
func CostByTier(tiers []*workload.Series, o pricing.Offer, opt Options) ([]TierCost, error) {
	var out []TierCost
	for _, s := range tiers {
		tc := TierCost{Tier: s.Tier(), Requests: s.Totals().Invocations}
		to, err := o.ForTier(s.Tier())
		if err != nil {
			tc.Missing = true
			out = append(out, tc)
			continue
		}
		t, err := ReplayTotals(s, Plan{ModelID: o.ModelID, Region: o.Region, Routing: RouteSpillover}, to, opt)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s.Key(), err)
		}
		tc.Cost = t.Total()
		out = append(out, tc)
	}
	return out, nil
}

// tierFigures prices the series' tier and the user's what-if moves.
func tierFigures(s *workload.Series, o pricing.Offer, m Moves) (*TierFigures, error) {
	for _, v := range []float64{m.Flex, m.Batch} {
		if !(v >= 0 && v <= 1) {
			return nil, fmt.Errorf("a share of traffic to move, %v: want 0 to 1", v)
		}
	}
	if o.Tier == "" && m.Flex == 0 && m.Batch == 0 {
		return nil, nil
	}
	tot := s.Totals()
	tf := &TierFigures{Tier: o.Tier}
	if o.Tier == "priority" && o.Standard.InputPer1M != nil && o.Standard.OutputPer1M != nil {
		tf.PriorityPremium = (tot.InputTokens*(priceOf(o.OnDemand.InputPer1M)-o.Standard.InputPer1M.USD) +
			tot.OutputTokens*(priceOf(o.OnDemand.OutputPer1M)-o.Standard.OutputPer1M.USD)) / 1e6
	}
	if o.Tier != "" {
		// Moves are of Standard traffic.
		return tf, nil
	}
	pin, pout := priceOf(o.OnDemand.InputPer1M), priceOf(o.OnDemand.OutputPer1M)
	move := func(tier string, share, in, out float64, missing bool) {
		if share == 0 {
			return
		}
		mv := TierMove{Tier: tier, Share: share, InputPer1M: in, OutputPer1M: out, Missing: missing}
		if !missing {
			mv.Saving = share * (tot.InputTokens*(pin-in) + tot.OutputTokens*(pout-out)) / 1e6
		}
		tf.Moves = append(tf.Moves, mv)
	}
	if fp := o.OnDemand.Tiers["flex"]; fp != nil && fp.InputPer1M != nil && fp.OutputPer1M != nil {
		move("flex", m.Flex, fp.InputPer1M.USD, fp.OutputPer1M.USD, false)
	} else {
		move("flex", m.Flex, 0, 0, true)
	}
	if in, out, _, ok := o.OnDemand.BatchPrices(); ok {
		move("batch", m.Batch, in, out, false)
	} else {
		move("batch", m.Batch, 0, 0, true)
	}
	return tf, nil
}
