package sim

import (
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/workload"
)

// TestChooseBurst: with auto, hourly data replays with the ratio measured
// on the finest tier of the same model and region that divides the hour
// (never another model's, never a coarser one's), else the default;
// none and a given ratio are taken as given; 1-minute data needs none.
func TestChooseBurst(t *testing.T) {
	cfg := workload.SeedScenario(3)
	cfg.Days = 2
	minutes, err := workload.Synthesize(cfg)
	if err != nil {
		t.Fatal(err)
	}
	fiveMin, err := workload.Resample(minutes, 5*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	hourly, err := workload.Resample(minutes, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	other := *minutes
	other.ModelID = "other.model"
	elsewhere := *minutes
	elsewhere.Region = "eu-west-1"

	want, n, err := workload.BurstRatio(minutes, time.Hour)
	if err != nil || want <= 1 {
		t.Fatalf("the seed's peak minute to mean: %v %v", want, err)
	}
	got := ChooseBurst(hourly, []*workload.Series{fiveMin, hourly, minutes, &other}, BurstAuto, 0)
	if got != (BurstChoice{Kind: BurstMeasured, Ratio: want, Of: time.Hour, Finer: time.Minute, Intervals: n}) || n != 48 {
		t.Errorf("measured on the 1-minute tier: %+v, want ratio %v on %d intervals", got, want, n)
	}
	// The 5-minute tier, the finest left, when the 1-minute one is
	// another model's or region's.
	want5, n5, _ := workload.BurstRatio(fiveMin, time.Hour)
	if got := ChooseBurst(hourly, []*workload.Series{&other, fiveMin, &elsewhere}, BurstAuto, 0); got.Kind != BurstMeasured || got.Finer != 5*time.Minute || got.Ratio != want5 || got.Intervals != n5 {
		t.Errorf("measured on the 5-minute tier: %+v", got)
	}
	def := BurstChoice{Kind: BurstDefault, Ratio: workload.DefaultBurstRatio(time.Hour), Of: time.Hour}
	if got := ChooseBurst(hourly, []*workload.Series{hourly, &other, &elsewhere}, BurstAuto, 0); got != def || def.Ratio <= 1 {
		t.Errorf("no finer tier of the model: %+v, want the default %+v", got, def)
	}
	if got := ChooseBurst(fiveMin, []*workload.Series{hourly, fiveMin}, BurstAuto, 0); got.Kind != BurstDefault || got.Of != 5*time.Minute {
		t.Errorf("only a coarser tier: %+v", got)
	}
	if got := ChooseBurst(hourly, []*workload.Series{minutes}, BurstFlat, 0); got != (BurstChoice{Kind: BurstNone, Of: time.Hour}) {
		t.Errorf("--burst none: %+v", got)
	}
	if got := ChooseBurst(hourly, []*workload.Series{minutes}, BurstGiven, 1.8); got != (BurstChoice{Kind: BurstFromFlag, Ratio: 1.8, Of: time.Hour}) {
		t.Errorf("--burst 1.8: %+v", got)
	}
	for _, mode := range []BurstMode{BurstAuto, BurstFlat, BurstGiven} {
		if got := ChooseBurst(minutes, []*workload.Series{minutes}, mode, 2); got != (BurstChoice{Kind: BurstNotNeeded, Of: time.Minute}) {
			t.Errorf("1-minute data, mode %d: %+v", mode, got)
		}
	}
}

// TestScenarioBurst: the forecasts' hourly scenarios peak as the data
// measures when it is finer than an hour, else as the burst model in use.
func TestScenarioBurst(t *testing.T) {
	env := demoEnv(t, 2)
	env.Options.Burst = Burst{Ratio: 3}
	want, _, _ := workload.BurstRatio(env.Series, time.Hour)
	if got := ScenarioBurst(env); got != (Burst{Ratio: want}) || want <= 1 {
		t.Errorf("1-minute data: %+v, want ratio %v", got, want)
	}
	hourly, err := workload.Resample(env.Series, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	env.Series = hourly
	if got := ScenarioBurst(env); got != env.Options.Burst {
		t.Errorf("hourly data: %+v, want the burst model in use", got)
	}
}

// TestGuardHistory: under the minimum history only no-commitment PT may
// be bought; at or over it the options are untouched.
func TestGuardHistory(t *testing.T) {
	opt := OptimiseOptions{Terms: []pricing.Term{pricing.TermNone, pricing.TermSixMonths}, MaxMU: 4, AtTermEnd: TermEndDelete}
	got, short := GuardHistory(opt, 13*24*time.Hour, 14*24*time.Hour)
	if want := (Note{Code: NoteShortHistory, Span: 13 * 24 * time.Hour, Min: 14 * 24 * time.Hour}); short != want {
		t.Errorf("13 days under 14: note %+v, want %+v", short, want)
	}
	if !slices.Equal(got.Terms, []pricing.Term{pricing.TermNone}) || !slices.Equal(got.Products, []pricing.Product{pricing.ProductPT}) ||
		got.MaxMU != 4 || got.AtTermEnd != TermEndDelete {
		t.Errorf("13 days under 14: %v %+v", short, got)
	}
	if len(opt.Terms) != 2 {
		t.Errorf("the caller's options changed: %+v", opt)
	}
	for _, span := range []time.Duration{14 * 24 * time.Hour, 20 * 24 * time.Hour} {
		if got, short := GuardHistory(opt, span, 14*24*time.Hour); short != (Note{}) || !slices.Equal(got.Terms, opt.Terms) || got.Products != nil {
			t.Errorf("%v over 14 days: %v %+v", span, short, got)
		}
	}
	if _, short := GuardHistory(opt, time.Hour, 0); short != (Note{}) {
		t.Error("--min-history 0 still guards")
	}
}

// TestTermRiskOmitted: the risk analysis and the cash flow say why they
// did not run (no scenarios, a commitment that cannot be sized or bought,
// a history too short to forecast), and run otherwise.
func TestTermRiskOmitted(t *testing.T) {
	short := demoEnv(t, 7)
	a, err := Analyse(short, nil)
	if err != nil {
		t.Fatal(err)
	}
	opt := RiskOptions{Scenarios: 20, Seed: 1}
	if r, o, err := TermRisk(short, a, RiskOptions{}); r != nil || err != nil || o != (Omitted{Reason: OmittedNoScenarios}) {
		t.Errorf("no scenarios: %v %+v %v", r, o, err)
	}
	if r, o, err := TermRisk(short, a, opt); r != nil || err != nil || o.Reason != OmittedNoForecast || !errors.Is(o.Err, workload.ErrShortHistory) {
		t.Errorf("7 days of history: %v %+v %v", r, o, err)
	}
	unknown := short
	unknown.Offer.Throughput = pricing.Throughput{}
	if r, o, _ := TermRisk(unknown, a, opt); r != nil || o.Reason != OmittedCannotSize {
		t.Errorf("throughput unknown, no Reserved price: %v %+v", r, o)
	}
	gone := short
	gone.Offer.Tier = "flex"
	gone.Offer.Reserved = nil
	if r, o, _ := TermRisk(gone, a, opt); r != nil || o.Reason != OmittedCannotBuy || gone.Offer.PTUnavailable() == "" {
		t.Errorf("nothing to buy: %v %+v", r, o)
	}
	buyAt := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	if m, fc, o, err := DetailCashFlow(short, a, nil, StrategyRecommended, buyAt, RiskOptions{}); m != nil || fc != nil || err != nil || o.Reason != OmittedNoScenarios {
		t.Errorf("cash flow, no scenarios: %v %+v %v", m, o, err)
	}
	if m, fc, o, err := DetailCashFlow(short, a, nil, StrategyRecommended, buyAt, opt); m != nil || fc != nil || err != nil || o.Reason != OmittedNoForecast || !errors.Is(o.Err, workload.ErrShortHistory) {
		t.Errorf("cash flow, 7 days: %v %+v %v", m, o, err)
	}

	env := demoEnv(t, 21)
	if a, err = Analyse(env, nil); err != nil {
		t.Fatal(err)
	}
	risk, o, err := TermRisk(env, a, opt)
	if err != nil || o != (Omitted{}) || risk == nil || risk.Scenarios != 20 || risk.Forecast == nil {
		t.Fatalf("21 days: %+v %+v %v", risk, o, err)
	}
	months, fc, o, err := DetailCashFlow(env, a, risk, StrategyRecommended, buyAt, opt)
	if err != nil || o != (Omitted{}) || len(months) == 0 || fc != risk.Forecast {
		t.Errorf("cash flow, 21 days: %d months %+v %v, forecast %p want the risk analysis's %p", len(months), o, err, fc, risk.Forecast)
	}
	// With no risk analysis the cash flow fits its own forecast and says
	// so: the same fit the risk analysis would have made.
	own, fc, o, err := DetailCashFlow(env, a, nil, StrategyRecommended, buyAt, opt)
	if err != nil || o != (Omitted{}) || fc == nil || fc == risk.Forecast || fc.GrowthPerHour != risk.Forecast.GrowthPerHour || fc.Hours != risk.Forecast.Hours {
		t.Errorf("cash flow, no risk analysis: %+v %v, forecast %+v", o, err, fc)
	}
	if !reflect.DeepEqual(own, months) {
		t.Errorf("cash flow from its own forecast differs from the risk analysis's")
	}
}

// TestDetailStrategy: the report replays the detail strategy, or
// on-demand when it was skipped or is missing; the sensitivity is priced
// only for a detail plan that holds PT.
func TestDetailStrategy(t *testing.T) {
	a := &Analysis{Strategies: []Strategy{
		{Name: StrategyOnDemand}, {Name: StrategyRecommended, Skipped: true}, {Name: StrategyPlan},
	}}
	for detail, want := range map[string]string{StrategyPlan: StrategyPlan, StrategyRecommended: StrategyOnDemand, "missing": StrategyOnDemand} {
		if got := DetailStrategy(a, detail); got == nil || got.Name != want {
			t.Errorf("detail %s: %+v, want %s", detail, got, want)
		}
	}
	env := demoEnv(t, 7)
	if s, err := DetailSensitivity(env, a, StrategyPlan); s != nil || err != nil {
		t.Errorf("a plan without PT: %+v %v", s, err)
	}
	if s, err := DetailSensitivity(env, a, StrategyRecommended); s != nil || err != nil {
		t.Errorf("a skipped strategy: %+v %v", s, err)
	}
}
