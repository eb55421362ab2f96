package sim

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/workload"
)

func demoEnv(t testing.TB, days int) Env {
	t.Helper()
	cfg := workload.SeedScenario(7)
	cfg.Days = days
	s, err := workload.Synthesize(cfg)
	if err != nil {
		t.Fatal(err)
	}
	o, err := pricing.Default().Lookup(cfg.ModelID, cfg.Region)
	if err != nil {
		t.Fatal(err)
	}
	o.Throughput = pricing.Throughput{InputTPM: 1_000_000, OutputTPM: 300_000, Provenance: pricing.ProvenanceAssumed, Source: "test"}
	return Env{Series: s, Offer: o, TimeZone: cfg.Location}
}

// TestAnalyseSeedScenario: the four strategies on the seed's traffic, and
// what each must satisfy.
func TestAnalyseSeedScenario(t *testing.T) {
	env := demoEnv(t, 14)
	a, err := Analyse(env, nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range a.Strategies {
		names = append(names, s.Name)
		if s.Skipped {
			t.Errorf("%s skipped: %+v", s.Name, s.Note)
		}
	}
	if got := strings.Join(names, ","); got != "on-demand,provisioned-peak,business-hours-switch,recommended" {
		t.Fatalf("strategies = %s", got)
	}
	od, peak, bh, rec := a.Strategies[0], a.Strategies[1], a.Strategies[2], a.Strategies[3]
	if od.Totals.PTCost != 0 || od.Totals.ODRequests != od.Totals.Requests {
		t.Errorf("on-demand strategy uses PT: %+v", od.Totals)
	}
	if peak.Totals.ThrottledRequests != 0 || peak.Totals.ODCost != 0 {
		t.Errorf("provisioned-peak throttles %v requests and spends %s on-demand; sized for the peak it should do neither",
			peak.Totals.ThrottledRequests, peak.Totals.ODCost)
	}
	// One MU fewer than the peak size must fall short somewhere.
	fewer := peak.Plan
	fewer.Committed = CoverWindow(peak.CommittedMU-1, peak.Term, env.Series.Time(0), env.Series.End())
	if tot, _ := ReplayTotals(env.Series, fewer, env.Offer, Options{}); tot.ThrottledRequests == 0 {
		t.Errorf("provisioned-peak buys %d MU but %d carry the busiest interval", peak.CommittedMU, peak.CommittedMU-1)
	}
	// The seed's switch: committed PT bills all 336 hours of two weeks.
	if want := pricing.FromUSD(float64(bh.CommittedMU) * env.Offer.PT[pricing.TermOneMonth].USD * 14 * 24); bh.Term != pricing.TermOneMonth || bh.Totals.PTCost != want {
		t.Errorf("business-hours switch: %s PT costs %s, want 1-month %s", bh.Term, bh.Totals.PTCost.Decimal(), want.Decimal())
	}
	for _, s := range a.Strategies {
		if s.Totals.ThrottledRequests >= rec.Totals.ThrottledRequests && s.Totals.Total() < rec.Totals.Total() {
			t.Errorf("%s costs %s, less than recommended %s at no better service", s.Name, s.Totals.Total(), rec.Totals.Total())
		}
	}
	if rec.CommittedMU != 1 || rec.Term != pricing.TermSixMonths {
		t.Errorf("recommended %d MU %s, want 1 MU six_months for this traffic and assumed throughput", rec.CommittedMU, rec.Term)
	}
}

// TestRecommendedBeatsCommittedOnly: with a tight on-demand quota the
// recommendation throttles nothing and costs no more than the best plan
// of committed MUs alone (brute force over terms and counts).
func TestRecommendedBeatsCommittedOnly(t *testing.T) {
	env := demoEnv(t, 7)
	env.Offer.Quotas.TPM = f64(2_500_000) // on-demand alone would throttle the peaks
	a, err := Analyse(env, nil)
	if err != nil {
		t.Fatal(err)
	}
	rec := a.Strategy(StrategyRecommended)
	var best *Totals
	for _, term := range pricing.ProductPT.Terms() {
		for n := 0; n <= a.PeakMU+2; n++ {
			p := Plan{ModelID: env.Offer.ModelID, Region: env.Offer.Region, TimeZone: env.TimeZone, Routing: RouteSpillover,
				Committed: CoverWindow(n, term, env.Series.Time(0), env.Series.End())}
			tot, err := ReplayTotals(env.Series, p, env.Offer, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if best == nil || better(tot, *best) {
				best = &tot
			}
		}
	}
	if best.ThrottledRequests != 0 || rec.Totals.ThrottledRequests != 0 || rec.Totals.Total() > best.Total() {
		t.Errorf("committed-only best %s with %v throttled; recommended %s with %v", best.Total(), best.ThrottledRequests, rec.Totals.Total(), rec.Totals.ThrottledRequests)
	}
	if od := a.Strategy(StrategyOnDemand); od.Totals.ThrottledRequests == 0 || rec.Totals.ThrottledRequests != 0 {
		t.Errorf("with a tight quota on-demand should throttle (%v) and the recommendation not (%v)", od.Totals.ThrottledRequests, rec.Totals.ThrottledRequests)
	}
}

// TestBreakEven: at the break-even throughput one MU saves nothing, just
// below it loses money, just above it saves; and the full-use floor is
// the hourly price over the blended per-minute on-demand value.
func TestBreakEven(t *testing.T) {
	env := demoEnv(t, 7)
	env.Offer.Throughput = pricing.Throughput{Provenance: pricing.ProvenanceUnknown}
	a, err := Analyse(env, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.BreakEven) != 3 {
		t.Fatalf("break-even for %d terms, want 3", len(a.BreakEven))
	}
	for _, name := range []string{StrategyProvisionedPeak, StrategyBusinessHoursSwitch, StrategyRecommended} {
		if s := a.Strategy(name); !s.Skipped || s.Note.Code != NoteThroughputUnknown {
			t.Errorf("%s with unknown throughput: skipped=%v note=%+v", name, s.Skipped, s.Note)
		}
	}
	tot := env.Series.Totals()
	si := tot.InputTokens / (tot.InputTokens + tot.OutputTokens)
	odTotal := a.Strategy(StrategyOnDemand).Totals.Total()
	for _, b := range a.BreakEven {
		if b.Never {
			t.Errorf("%s never breaks even", b.Term)
			continue
		}
		floor := b.HourlyUSD / 60 / ((si*env.Offer.OnDemand.InputPer1M.USD + (1-si)*env.Offer.OnDemand.OutputPer1M.USD) / 1e6)
		if math.Abs(b.FullUseTPM-floor) > 1e-6*floor || b.TPM < b.FullUseTPM {
			t.Errorf("%s: full-use floor %v, want %v, and below break-even %v", b.Term, b.FullUseTPM, floor, b.TPM)
		}
		for _, c := range []struct {
			scale float64
			saves bool
		}{{0.99, false}, {1.01, true}} {
			o := env.Offer
			o.Throughput = pricing.Throughput{InputTPM: b.InputTPM * c.scale, OutputTPM: b.OutputTPM * c.scale, Provenance: pricing.ProvenanceAssumed}
			p := Plan{ModelID: o.ModelID, Region: o.Region, TimeZone: env.TimeZone, Routing: RouteSpillover,
				Committed: CoverWindow(1, b.Term, env.Series.Time(0), env.Series.End())}
			got, err := ReplayTotals(env.Series, p, o, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if saves := got.Total() < odTotal; saves != c.saves {
				t.Errorf("%s at %.2fx break-even: 1 MU costs %s vs on-demand %s", b.Term, c.scale, got.Total(), odTotal)
			}
		}
	}
}

// TestEndOfLifeModel: the seed's model is past end of life; analysis
// warns and recommends no new PT.
func TestEndOfLifeModel(t *testing.T) {
	env := demoEnv(t, 2)
	o, err := pricing.Default().Lookup("anthropic.claude-v2", "us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	o.Throughput = env.Offer.Throughput
	env.Offer = o
	env.Series.ModelID = o.ModelID
	a, err := Analyse(env, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Warnings) != 1 || a.Warnings[0].Code != NoteLifecycle {
		t.Errorf("warnings = %+v", a.Warnings)
	}
	if rec := a.Strategy(StrategyRecommended); !rec.Skipped || rec.Note.Code != NotePTUnavailable {
		t.Errorf("recommended for an EOL model: %+v", rec)
	}
}

func TestWindowOccurrencesPastMidnight(t *testing.T) {
	w := Window{Days: []time.Weekday{time.Friday}, From: 22 * 60, To: 2 * 60}
	start := time.Date(2026, 11, 6, 0, 0, 0, 0, time.UTC).Unix() // Friday
	got := w.occurrences(time.UTC, start, start+3*86400)
	if len(got) != 1 || got[0][0] != start+22*3600 || got[0][1] != start+26*3600 {
		t.Errorf("Friday 22:00-02:00 occurrences = %v", got)
	}
}

// TestPlanSame: plans are the same when they buy the same runs, blocks,
// windows and routing, however the runs are split into terms.
func TestPlanSame(t *testing.T) {
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	from, to := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	p := Plan{TimeZone: tokyo, Routing: RouteSpillover,
		Committed: CoverWindow(2, pricing.TermOneMonth, from, to),
		Scheduled: []Scheduled{{ModelUnits: 1, Window: DefaultBusinessHours}, {ModelUnits: 0, Window: DefaultBusinessHours}}}
	q := p
	q.Scheduled = p.Scheduled[:1]
	q.Committed = append([]Commitment(nil), p.Committed...)
	if !p.Same(q) {
		t.Errorf("a plan is not the same as itself without its empty block")
	}
	for name, change := range map[string]func(*Plan){
		"one more MU":   func(r *Plan) { r.Committed = CoverWindow(3, pricing.TermOneMonth, from, to) },
		"another term":  func(r *Plan) { r.Committed = CoverWindow(2, pricing.TermSixMonths, from, to) },
		"a later start": func(r *Plan) { r.Committed = CoverWindow(2, pricing.TermOneMonth, from.Add(time.Hour), to) },
		"throttled":     func(r *Plan) { r.Routing = RouteProvisionedOnly },
		"no schedule":   func(r *Plan) { r.Scheduled = nil },
		"a PT window":   func(r *Plan) { r.PTWindows = []Window{DefaultBusinessHours} },
	} {
		r := p
		change(&r)
		if p.Same(r) || r.Same(p) {
			t.Errorf("%s: still the same plan", name)
		}
	}
}

// TestLegacyModelGetsNoNewPT: a legacy model keeps its existing PT but
// the optimiser buys none.
func TestLegacyModelGetsNoNewPT(t *testing.T) {
	env := demoEnv(t, 2)
	env.Offer.Lifecycle = pricing.Lifecycle{Status: pricing.LifecycleLegacy}
	o, err := Optimise(env, OptimiseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if o.CommittedMU != 0 || hasScheduled(o) || !slices.ContainsFunc(o.Notes, func(n Note) bool { return n.Code == NoteNoNewCapacity && n.Cause == NoteLifecycle }) {
		t.Errorf("legacy: %+v", o)
	}
}

// planText shows what a plan buys, for test messages.
func planText(p Plan) string {
	return fmt.Sprintf("committed %+v reserved %+v scheduled %+v", p.CommittedRuns(), p.ReservedRuns(), p.Scheduled)
}
