package sim

import (
	"testing"
)

// TestThroughputSensitivity: at ±0% the table holds the plan's own cost;
// with more throughput the same plan spends less on-demand; and the
// optimiser's commitments change past the scales the search reports.
func TestThroughputSensitivity(t *testing.T) {
	env := demoEnv(t, 14)
	opt, err := Optimise(env, env.Optimise)
	if err != nil {
		t.Fatal(err)
	}
	own, err := ReplayTotals(env.Series, opt.Plan, env.Offer, env.Options)
	if err != nil {
		t.Fatal(err)
	}
	s, err := ThroughputSensitivity(env, opt.Plan, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Rows) != len(SensitivityScales()) || s.Rows[2].Scale != 1 || s.Rows[2].Totals.Total() != own.Total() {
		t.Fatalf("rows %+v, own cost %s", s.Rows, own.Total())
	}
	for i := 1; i < len(s.Rows); i++ {
		if s.Rows[i].Totals.ODCost > s.Rows[i-1].Totals.ODCost || s.Rows[i].Totals.PTCost != own.PTCost {
			t.Errorf("at %v× throughput: PT %s, on-demand %s (before %s)", s.Rows[i].Scale, s.Rows[i].Totals.PTCost, s.Rows[i].Totals.ODCost, s.Rows[i-1].Totals.ODCost)
		}
	}
	check := func(f float64, changed bool) {
		e := env
		e.Offer.Throughput.InputTPM *= f
		e.Offer.Throughput.OutputTPM *= f
		o, err := Optimise(e, e.Optimise)
		if err != nil {
			t.Fatal(err)
		}
		if !sameCommitments(o, opt) != changed {
			t.Errorf("at %v× the commitments changed = %v, want %v: %s", f, !changed, changed, planText(o.Plan))
		}
	}
	if s.Below == 0 && s.Above == 0 {
		t.Fatal("the recommendation never changes between 25% and 400% of the throughput")
	}
	if s.Below > 0 {
		check(s.Below, true)
		check(s.Below+0.011, false)
	}
	if s.Above > 0 {
		check(s.Above, true)
		check(s.Above-0.011, false)
	}
	t.Logf("changes below %.2f, above %.2f", s.Below, s.Above)
}
