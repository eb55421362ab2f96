package sim

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/workload"
)

var runBuyAt = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)

// TestRunEqualsSteps: a run is the analysis with the notes given after
// its own warnings (those without a code left out), the detail
// strategy's sensitivity, the term risk, the cash flow from the risk's
// scenarios and the detail strategy's replay, exactly as each step alone
// returns them.
func TestRunEqualsSteps(t *testing.T) {
	env := demoEnv(t, 21)
	short := Note{Code: NoteShortHistory, Span: 20 * 24 * time.Hour, Min: 30 * 24 * time.Hour}
	region := Note{Code: NoteOtherRegion, Ran: "us-east-1", Offer: Facts(env.Offer)}
	opt := RunOptions{Detail: StrategyRecommended, Scenarios: 20, MigrationRisk: 0.2, Seed: 3, BuyAt: runBuyAt,
		Notes: []Note{short, {}, region}}
	got, err := Run(context.Background(), env, nil, opt)
	if err != nil {
		t.Fatal(err)
	}

	a, err := Analyse(env, nil)
	if err != nil {
		t.Fatal(err)
	}
	a.Warnings = append(a.Warnings, short, region)
	want := &RunResult{Analysis: a, Detail: StrategyRecommended}
	if want.Sensitivity, err = DetailSensitivity(env, a, StrategyRecommended); err != nil {
		t.Fatal(err)
	}
	if want.Risk, want.RiskOmitted, err = TermRisk(env, a, RiskOptions{Scenarios: 20, MigrationRisk: 0.2, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	if want.CashFlow, want.Forecast, want.CashFlowOmitted, err = DetailCashFlow(env, a, want.Risk, StrategyRecommended, runBuyAt, RiskOptions{Scenarios: 20, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	if want.DetailResult, err = Replay(env.Series, a.Strategy(StrategyRecommended).Plan, env.Offer, env.Options); err != nil {
		t.Fatal(err)
	}

	if got.Risk == nil || got.Sensitivity == nil || len(got.CashFlow) == 0 || got.DetailResult == nil || got.ExistingMU != nil {
		t.Fatalf("a run on 21 days with known throughput lacks a part: risk %v, sensitivity %v, %d months, replay %v, existing %v",
			got.Risk != nil, got.Sensitivity != nil, len(got.CashFlow), got.DetailResult != nil, got.ExistingMU)
	}
	if w := got.Analysis.Warnings; len(w) < 2 || w[len(w)-2] != short || w[len(w)-1] != region {
		t.Errorf("warnings %+v: want the short history and the other region last", w)
	}
	for _, part := range []struct {
		name      string
		got, want any
	}{
		{"analysis", got.Analysis, want.Analysis},
		{"detail", got.Detail, want.Detail},
		{"sensitivity", got.Sensitivity, want.Sensitivity},
		{"risk", got.Risk, want.Risk},
		{"risk omitted", got.RiskOmitted, want.RiskOmitted},
		{"cash flow", got.CashFlow, want.CashFlow},
		{"cash flow omitted", got.CashFlowOmitted, want.CashFlowOmitted},
		{"forecast", got.Forecast, want.Forecast},
		{"detail replay", got.DetailResult, want.DetailResult},
	} {
		if !reflect.DeepEqual(part.got, part.want) {
			t.Errorf("%s: the run's differs from the step's alone", part.name)
		}
	}
}

// TestRunOmitted: the run says why the risk and the cash flow were left
// out (no scenarios; history too short to forecast), and replays
// on-demand when the detail strategy was skipped.
func TestRunOmitted(t *testing.T) {
	env := demoEnv(t, 7)
	r, err := Run(context.Background(), env, nil, RunOptions{Detail: StrategyRecommended, BuyAt: runBuyAt})
	if err != nil {
		t.Fatal(err)
	}
	if r.Risk != nil || r.CashFlow != nil || r.RiskOmitted != (Omitted{Reason: OmittedNoScenarios}) || r.CashFlowOmitted != (Omitted{Reason: OmittedNoScenarios}) {
		t.Errorf("no scenarios: risk %v %+v, cash flow %d months %+v", r.Risk, r.RiskOmitted, len(r.CashFlow), r.CashFlowOmitted)
	}
	r, err = Run(context.Background(), env, nil, RunOptions{Detail: StrategyRecommended, Scenarios: 10, Seed: 1, BuyAt: runBuyAt})
	if err != nil {
		t.Fatal(err)
	}
	for what, o := range map[string]Omitted{"risk": r.RiskOmitted, "cash flow": r.CashFlowOmitted} {
		if o.Reason != OmittedNoForecast || !errors.Is(o.Err, workload.ErrShortHistory) {
			t.Errorf("7 days, %s: %+v, want no forecast for a short history", what, o)
		}
	}

	unknown := env
	unknown.Offer.Throughput = pricing.Throughput{}
	unknown.Offer.Reserved = nil
	r, err = Run(context.Background(), unknown, nil, RunOptions{Detail: StrategyRecommended, Scenarios: 10, Seed: 1, BuyAt: runBuyAt})
	if err != nil {
		t.Fatal(err)
	}
	if r.RiskOmitted.Reason != OmittedCannotSize || r.Sensitivity != nil {
		t.Errorf("throughput unknown: risk omitted %+v, sensitivity %v", r.RiskOmitted, r.Sensitivity)
	}
	if st := r.Analysis.Strategy(StrategyRecommended); st == nil || !st.Skipped {
		t.Fatalf("throughput unknown: the recommendation was not skipped: %+v", st)
	}
	want, err := Replay(unknown.Series, r.Analysis.Strategy(StrategyOnDemand).Plan, unknown.Offer, unknown.Options)
	if err != nil {
		t.Fatal(err)
	}
	if r.Detail != StrategyOnDemand || !reflect.DeepEqual(r.DetailResult, want) {
		t.Errorf("skipped recommendation: detail %q, want on-demand's replay", r.Detail)
	}
}

// TestRunExistingMU: the model units existing commitments hold in each
// interval: none before a block starts, its units while it runs; none
// at all without existing commitments.
func TestRunExistingMU(t *testing.T) {
	o := testOffer()
	s := series(t0, time.Hour, flat(48, [3]float64{60, 30_000, 6_000})...)
	start := t0.Add(10 * time.Hour)
	env := Env{Series: s, Offer: o, TimeZone: time.UTC,
		Optimise: OptimiseOptions{Existing: []Commitment{{ModelUnits: 3, Term: pricing.TermOneMonth, Start: start}}}}
	r, err := Run(context.Background(), env, nil, RunOptions{Detail: StrategyRecommended, BuyAt: runBuyAt})
	if err != nil {
		t.Fatal(err)
	}
	if r.Analysis.Optimum == nil {
		t.Fatal("no optimum: the existing units are counted beside a recommendation")
	}
	if len(r.ExistingMU) != s.Len() {
		t.Fatalf("%d intervals of existing MU, want %d", len(r.ExistingMU), s.Len())
	}
	for i, mu := range r.ExistingMU {
		want := 0.0
		if !s.Time(i).Before(start) {
			want = 3
		}
		if mu != want {
			t.Errorf("interval %d (%s): %v existing MU, want %v", i, s.Time(i).Format(time.RFC3339), mu, want)
		}
	}
	env.Optimise.Existing = nil
	if r, err = Run(context.Background(), env, nil, RunOptions{Detail: StrategyRecommended, BuyAt: runBuyAt}); err != nil || r.ExistingMU != nil {
		t.Errorf("no existing commitments: %v %v", r.ExistingMU, err)
	}
}

// TestRunTiers: every tier is priced on-demand at its own prices, also
// when the series planned is another tier's (its offer's on-demand
// prices are then that tier's).
func TestRunTiers(t *testing.T) {
	price := func(v float64) *pricing.Price { return &pricing.Price{USD: v, Source: "test", AsOf: "2026-11-30"} }
	o := testOffer()
	o.OnDemand.Tiers = map[string]*pricing.TierPrices{"flex": {InputPer1M: price(0.5), OutputPer1M: price(1)}}
	standard := series(t0, time.Minute, flat(30, [3]float64{10, 1e6, 0.5e6})...)
	flex := series(t0, time.Minute, flat(30, [3]float64{10, 1e6, 0.5e6})...)
	flex.ServiceTier = "flex"
	fo, err := o.ForTier("flex")
	if err != nil {
		t.Fatal(err)
	}
	env := Env{Series: flex, Offer: fo, TimeZone: time.UTC}
	r, err := Run(context.Background(), env, nil, RunOptions{Detail: StrategyRecommended, Tiers: []*workload.Series{standard, flex}})
	if err != nil {
		t.Fatal(err)
	}
	// 30 minutes of 1M input and 0.5M output tokens: Standard $1 + $1,
	// Flex $0.50 + $0.50 a minute.
	tf := r.Analysis.Tiers
	if tf == nil || tf.Tier != "flex" || len(tf.ByTier) != 2 {
		t.Fatalf("tiers %+v", tf)
	}
	for i, want := range []struct {
		tier string
		usd  float64
	}{{workload.TierStandard, 60}, {"flex", 30}} {
		if c := tf.ByTier[i]; c.Tier != want.tier || c.Missing || !near(c.Cost.USD(), want.usd) || c.Requests != 300 {
			t.Errorf("tier %d: %+v, want %s at $%v for 300 requests", i, c, want.tier, want.usd)
		}
	}
}

// TestRunCancelled: a run whose context is done returns its error.
func TestRunCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if r, err := Run(ctx, demoEnv(t, 7), nil, RunOptions{Detail: StrategyRecommended}); r != nil || !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v %v", r, err)
	}
}
