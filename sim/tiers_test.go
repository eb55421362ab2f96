package sim

import (
	"strings"
	"testing"
	"time"

	"github.com/bedrockplan/bedrockplan/pricing"
)

// TestTierFigures: what-if moves and the Priority premium, by hand: 3M
// input and 1M output tokens at $1 / $2 per 1M Standard.
func TestTierFigures(t *testing.T) {
	s := series(t0, time.Minute, [3]float64{10, 1e6, 0.5e6}, [3]float64{10, 2e6, 0.5e6})
	o := testOffer()
	price := func(v float64) *pricing.Price { return &pricing.Price{USD: v, Source: "test", AsOf: "2026-11-30"} }
	o.OnDemand.Tiers = map[string]*pricing.TierPrices{
		"flex":     {InputPer1M: price(0.5), OutputPer1M: price(1)},
		"priority": {InputPer1M: price(1.75), OutputPer1M: price(3.5)},
	}
	o.OnDemand.BatchFactor = &pricing.Factor{Value: 0.5, Source: "test", AsOf: "2026-11-30"}
	tf, err := tierFigures(s, o, Moves{Flex: 0.3, Batch: 0.2})
	if err != nil {
		t.Fatal(err)
	}
	// Flex saves (1-0.5)×3 + (2-1)×1 = $2.50 on all of it; 30% of that.
	// Batch at half price saves the same $2.50 in all; 20% of that.
	if len(tf.Moves) != 2 || !near(tf.Moves[0].Saving, 0.75) || !near(tf.Moves[1].Saving, 0.5) || tf.Moves[1].InputPer1M != 0.5 {
		t.Errorf("moves %+v", tf.Moves)
	}
	pri, err := o.ForTier("priority")
	if err != nil {
		t.Fatal(err)
	}
	tf, err = tierFigures(s, pri, Moves{})
	if err != nil {
		t.Fatal(err)
	}
	// Priority: (1.75-1)×3 + (3.5-2)×1 = $3.75 more.
	if tf.Tier != "priority" || !near(tf.PriorityPremium, 3.75) || len(tf.Moves) != 0 {
		t.Errorf("priority %+v", tf)
	}
	if pri.CanBuyPT() || pri.CanBuy(pricing.ProductReserved) || !strings.Contains(pri.PTUnavailable(), "priority tier") {
		t.Error("a priority-tier offer may buy capacity")
	}
	o.OnDemand.Tiers, o.OnDemand.BatchFactor = nil, nil
	tf, err = tierFigures(s, o, Moves{Flex: 0.1})
	if err != nil || len(tf.Moves) != 1 || !tf.Moves[0].Missing {
		t.Errorf("flex without prices: %+v %v", tf, err)
	}
	if _, err := o.ForTier("flex"); err == nil || !strings.Contains(err.Error(), "on_demand.tiers.flex") {
		t.Errorf("flex offer without prices: %v", err)
	}
	if _, err := tierFigures(s, o, Moves{Batch: 1.5}); err == nil {
		t.Error("a share of 1.5 accepted")
	}
}
