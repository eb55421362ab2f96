package sim

import (
	"math"
	"testing"
	"time"

	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/workload"
)

// TestCashFlowAddsUp: a plan of 2 committed MUs for six months, a
// 1-month reservation that renews and a scheduled no-commit block,
// bought mid-month. The committed and reserved months add up to the
// purchase list's contract values; the renewals are the reservation's
// later months; the no-commit months are its hours; and with a forecast
// without noise or growth, staying on-demand costs each month its hours
// of the profile at the on-demand prices, computed here by hand.
func TestCashFlowAddsUp(t *testing.T) {
	o := reservedOffer()
	buyAt := time.Date(2030, 1, 15, 10, 0, 0, 0, time.UTC)
	plan := Plan{ModelID: o.ModelID, Region: o.Region, TimeZone: time.UTC,
		Committed: []Commitment{{ModelUnits: 2, Term: pricing.TermSixMonths, Start: t0}},
		Reserved:  []Reservation{reserve(1000, 200, pricing.TermOneMonth, t0)},
		Scheduled: []Scheduled{{ModelUnits: 1, Window: Window{Days: []time.Weekday{time.Monday}, From: 9 * 60, To: 17 * 60}}}}
	fc := &workload.Forecast{End: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), Location: time.UTC}
	for slot := range fc.Profile {
		fc.Profile[slot] = [3]float64{60, 60_000 + float64(slot)*100, 30_000} // an hour's requests and tokens
	}
	env := Env{Offer: o, TimeZone: time.UTC}
	months, err := CashFlow(env, fc, plan, buyAt, RiskOptions{Scenarios: 20, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(months) != 7 || !months[0].Start.Equal(buyAt) || !months[6].End.Equal(pricing.TermSixMonths.End(buyAt)) {
		t.Fatalf("want 7 months from %s to six months later, got %d: %v … %v", buyAt, len(months), months[0].Start, months[len(months)-1].End)
	}
	contract := map[string]float64{}
	for _, p := range PurchaseList(plan, o, nil, buyAt) {
		contract[p.Product] += p.ContractValue()
	}
	var committed, reserved, renewals, noCommit float64
	mondayHours := 0
	for i, m := range months {
		committed += m.Committed
		reserved += m.Reserved
		renewals += m.Renewals
		noCommit += m.NoCommit
		if i > 1 && m.Renewals <= 0 {
			t.Errorf("month %d: no renewal billed for the 1-month reservation that renews", i)
		}
		var want float64
		for h := m.Start; h.Before(m.End); h = h.Add(time.Hour) {
			p := fc.Profile[SlotOf(h, time.UTC)]
			want += p[1]/1e6*1 + p[2]/1e6*2
			if h.Weekday() == time.Monday && h.Hour() >= 9 && h.Hour() < 17 {
				mondayHours++
			}
		}
		for _, got := range []float64{m.Stay.Mean, m.Stay.P10, m.Stay.P90} {
			if math.Abs(got-want) > 1e-6*want {
				t.Errorf("month %d: staying on-demand costs %.6f, by hand %.6f", i, got, want)
			}
		}
		if m.Overflow.Mean > m.Stay.Mean {
			t.Errorf("month %d: the plan leaves more on-demand (%.2f) than buying nothing (%.2f)", i, m.Overflow.Mean, m.Stay.Mean)
		}
	}
	if math.Abs(committed-contract["pt"]) > 0.01 {
		t.Errorf("committed PT months add up to %.2f, the contract to %.2f", committed, contract["pt"])
	}
	if r := contract["reserved-input"] + contract["reserved-output"]; math.Abs(reserved-r) > 0.01 || r <= 0 {
		t.Errorf("reserved months add up to %.2f, the contracts to %.2f", reserved, r)
	}
	// The reservation renews for the five months after its first: what
	// its month costs, 1000 × $1 + 200 × $5 per 1K TPM-month, times five.
	if want := 5 * (1000.0/1000*1 + 200.0/1000*5); math.Abs(renewals-want) > 0.01 {
		t.Errorf("renewals add up to %.2f, want %.2f", renewals, want)
	}
	if want := float64(mondayHours) * 10; math.Abs(noCommit-want) > 0.01 {
		t.Errorf("no-commit months add up to %.2f, want %d Monday hours × $10 = %.2f", noCommit, mondayHours, want)
	}
}

// TestCashFlowExisting: commitments already owned bill their hours in
// every month (100 MUs at the 1-month price), whatever is bought, and
// serve traffic in the plan and in staying as it is alike: with more
// capacity than the traffic asks, nothing is left on-demand, and staying
// as it is costs exactly the existing commitments.
func TestCashFlowExisting(t *testing.T) {
	o := testOffer()
	buyAt := time.Date(2030, 1, 15, 10, 0, 0, 0, time.UTC)
	fc := &workload.Forecast{End: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), Location: time.UTC}
	for slot := range fc.Profile {
		fc.Profile[slot] = [3]float64{60, 60_000 + float64(slot)*100, 30_000}
	}
	existing := []Commitment{{ModelUnits: 100, Term: pricing.TermOneMonth, Start: buyAt.AddDate(0, 0, -10)}}
	env := Env{Offer: o, TimeZone: time.UTC, Optimise: OptimiseOptions{Existing: existing}}
	plan := Plan{ModelID: o.ModelID, Region: o.Region, TimeZone: time.UTC, Committed: existing}
	months, err := CashFlow(env, fc, plan, buyAt, RiskOptions{Scenarios: 10, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(months) != 7 {
		t.Fatalf("%d months, want the six months of a plan that buys nothing", len(months))
	}
	for i, m := range months {
		want := m.End.Sub(m.Start).Hours() * 100 * 8
		if math.Abs(m.Existing-want) > 1e-6 {
			t.Errorf("month %d: existing commitments bill %.2f, want %.0f hours × 100 MU × $8 = %.2f", i, m.Existing, m.End.Sub(m.Start).Hours(), want)
		}
		if m.Committed != 0 || m.Renewals != 0 || m.Reserved != 0 || m.NoCommit != 0 {
			t.Errorf("month %d: the plan buys nothing new, yet bills %+v", i, m)
		}
		if m.Overflow.P90 != 0 || math.Abs(m.Stay.Mean-m.Existing) > 1e-6 || math.Abs(m.Stay.P90-m.Existing) > 1e-6 {
			t.Errorf("month %d: overflow %+v and staying %+v, want none and the existing commitments' %.2f", i, m.Overflow, m.Stay, m.Existing)
		}
		if math.Abs(m.Capacity()-m.Existing) > 1e-9 {
			t.Errorf("month %d: capacity %.2f leaves out the existing %.2f", i, m.Capacity(), m.Existing)
		}
	}
}
