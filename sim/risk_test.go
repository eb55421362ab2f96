package sim

import (
	"math"
	"slices"
	"testing"
	"time"

	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/workload"
)

func riskSetup(t *testing.T) (Env, *workload.Forecast, *Optimum) {
	t.Helper()
	env := demoEnv(t, 21)
	fc, err := workload.FitForecast(env.Series, env.TimeZone)
	if err != nil {
		t.Fatal(err)
	}
	opt, err := Optimise(env, OptimiseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return env, fc, opt
}

// TestRiskReproducible: the same seed gives the same distribution,
// another seed another.
func TestRiskReproducible(t *testing.T) {
	env, fc, opt := riskSetup(t)
	a, err := AssessRisk(env, fc, opt, RiskOptions{Scenarios: 200, MigrationRisk: 0.2, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := AssessRisk(env, fc, opt, RiskOptions{Scenarios: 200, MigrationRisk: 0.2, Seed: 5})
	c, _ := AssessRisk(env, fc, opt, RiskOptions{Scenarios: 200, MigrationRisk: 0.2, Seed: 6})
	for i := range a.Rows {
		if a.Rows[i] != b.Rows[i] {
			t.Errorf("seed 5 twice: %+v vs %+v", a.Rows[i], b.Rows[i])
		}
	}
	if a.Rows[0].Expected == c.Rows[0].Expected {
		t.Error("seeds 5 and 6 give the same on-demand cost")
	}
	for _, r := range a.Rows {
		if r.Refused || !(r.P10 <= r.Expected*1.5 && r.P10 <= r.P90) {
			t.Errorf("row %+v", r)
		}
	}
}

// TestRiskCertainties: with no uncertainty every scenario is the same and
// on-demand costs exactly the forecast demand at on-demand prices; with
// certain migration the 6-month commitment, owed in full, loses to
// on-demand more often than rolling 1-month commitments.
func TestRiskCertainties(t *testing.T) {
	env, fc, opt := riskSetup(t)
	flat := *fc
	flat.GrowthSE, flat.DaySigma = 0, 0
	r, err := AssessRisk(env, &flat, opt, RiskOptions{Scenarios: 20, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	od := r.Row(RiskOnDemand)
	var want float64
	for h := time.Duration(0); h < r.End.Sub(r.Start); h += time.Hour {
		d := flat.DemandAt(r.Start.Add(h))
		want += d[1]*env.Offer.OnDemand.InputPer1M.USD/1e6 + d[2]*env.Offer.OnDemand.OutputPer1M.USD/1e6
	}
	if math.Abs(od.Expected-want) > 1e-6*want || od.P10 != od.P90 {
		t.Errorf("on-demand %v (P10 %v, P90 %v), forecast demand costs %v", od.Expected, od.P10, od.P90, want)
	}
	if six := r.Row(RiskSixMonths); six.CommittedMU < 1 || six.Expected >= od.Expected {
		t.Errorf("six-month row %+v vs on-demand %v", six, od.Expected)
	}
	gone, err := AssessRisk(env, fc, opt, RiskOptions{Scenarios: 300, MigrationRisk: 1, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	six, roll := gone.Row(RiskSixMonths), gone.Row(RiskRolling)
	if !(six.CostlierThanOnDemand > 0.3 && six.CostlierThanOnDemand > roll.CostlierThanOnDemand) {
		t.Errorf("certain migration: six-month loses in %.2f, rolling in %.2f", six.CostlierThanOnDemand, roll.CostlierThanOnDemand)
	}
}

// TestEOLRefusesLongTerms: a model that reaches end of life in two months
// gets no 6-month commitment, from the optimiser or the risk analysis.
func TestEOLRefusesLongTerms(t *testing.T) {
	env, fc, _ := riskSetup(t)
	env.Offer.Lifecycle = pricing.Lifecycle{Status: pricing.LifecycleActive, EOL: env.Series.End().AddDate(0, 2, 0).Format(time.DateOnly)}
	opt, err := Optimise(env, OptimiseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if opt.CommittedTerm == pricing.TermSixMonths || !slices.ContainsFunc(opt.Notes, func(n Note) bool {
		return n.Code == NoteOutlivesEOL && n.Product == pricing.ProductPT && n.Term == pricing.TermSixMonths
	}) {
		t.Errorf("optimiser with EOL in two months: %s %+v", opt.CommittedTerm, opt.Notes)
	}
	r, err := AssessRisk(env, fc, opt, RiskOptions{Scenarios: 10, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if six := r.Row(RiskSixMonths); !six.Refused || six.Note.Code != NoteOutlivesEOL {
		t.Errorf("six-month row: %+v", six)
	}
	if roll := r.Row(RiskRolling); roll.Refused {
		t.Errorf("rolling row refused: %+v", roll)
	}
}
