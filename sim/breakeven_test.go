package sim

import (
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/bedrockplan/bedrockplan/pricing"
)

// TestBreakEvensShareReplaysExactly: the break-even searches, sharing
// each throughput's replay among the terms of one capacity, find what
// each term's search on its own found, to the bit, with and without a
// burst model, and at prices where a term never breaks even.
func TestBreakEvensShareReplaysExactly(t *testing.T) {
	env := demoEnv(t, 21)
	for _, c := range []struct {
		burst Burst
		scale float64
	}{{scale: 1}, {burst: Burst{Ratio: 1.8}, scale: 1}, {scale: 40}} {
		env := env
		env.Options.Burst = c.burst
		env.Offer.PT = map[pricing.Term]pricing.Price{}
		for term, p := range demoEnv(t, 1).Offer.PT {
			p.USD *= c.scale
			env.Offer.PT[term] = p
		}
		got, err := breakEvens(env)
		if err != nil {
			t.Fatal(err)
		}
		want, err := oldBreakEvens(env)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("scale %v: %+v\nalone: %+v", c.scale, got, want)
		}
		if c.scale > 1 && !got[0].Never {
			t.Errorf("at %v times the prices the first term still breaks even: the case of no break-even is not tested", c.scale)
		}
	}
}

// TestBreakEvensOfOtherCapacity: where a term's one MU holds other
// capacity to the bit than another's (a month's term ending inside an
// 11-second interval), the searches still find what each found alone.
func TestBreakEvensOfOtherCapacity(t *testing.T) {
	s := elevenSecondSeries(5)
	env := Env{Series: s, Offer: testOffer(), TimeZone: time.UTC}
	env.Offer.Throughput = pricing.Throughput{InputTPM: 20_000, OutputTPM: 5_000, Provenance: pricing.ProvenanceAssumed}
	terms := offeredTerms(env.Offer)
	differ := false
	for _, term := range terms[1:] {
		a, _ := buildTimeline(Plan{Committed: CoverWindow(1, terms[0], s.Time(0), s.End())}, seriesGrid(s), env.Offer, 0)
		b, _ := buildTimeline(Plan{Committed: CoverWindow(1, term, s.Time(0), s.End())}, seriesGrid(s), env.Offer, 0)
		differ = differ || !sameCapacity(a, b, s.Len())
	}
	if !differ {
		t.Fatal("every term holds the same capacity: the test checks nothing of the kind")
	}
	got, err := breakEvens(env)
	if err != nil {
		t.Fatal(err)
	}
	want, err := oldBreakEvens(env)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%+v\nalone: %+v", got, want)
	}
}

// oldBreakEvens is breakEvens as it was before its terms shared their
// replays (34e28e7; timelines laid as prepare lays them now).
func oldBreakEvens(env Env) ([]BreakEven, error) {
	s := env.Series
	offer := env.Offer
	offer.Quotas = pricing.Quotas{}
	tot := s.Totals()
	if tot.InputTokens+tot.OutputTokens == 0 {
		return nil, nil
	}
	si := tot.InputTokens / (tot.InputTokens + tot.OutputTokens)
	so := 1 - si
	dt := s.Period.Minutes()
	hi := 0.0
	for i := range s.Start {
		if si > 0 {
			hi = math.Max(hi, s.InputTokens[i]/(si*dt))
		}
		if so > 0 {
			hi = math.Max(hi, s.OutputTokens[i]/(so*dt))
		}
	}
	base := Plan{ModelID: offer.ModelID, Region: offer.Region, TimeZone: env.TimeZone, Routing: RouteSpillover}
	odTotals, err := ReplayTotals(s, base, offer, env.Options)
	if err != nil {
		return nil, err
	}
	blended := (si*priceOf(offer.OnDemand.InputPer1M) + so*priceOf(offer.OnDemand.OutputPer1M)) / 1e6
	start, end := s.Time(0), s.End()
	terms := offeredTerms(offer)
	out := make([]BreakEven, len(terms))
	// The terms are searched side by side; each search replays one MU of
	// its term at many throughputs, on one timeline (the MU's hours and
	// bill do not depend on what it carries).
	err = forEach(len(terms), func(k int) error {
		term := terms[k]
		hourly := offer.PT[term].USD
		p := base
		p.Committed = CoverWindow(1, term, start, end)
		at := offer
		at.Throughput = pricing.Throughput{InputTPM: 1, OutputTPM: 1, Provenance: pricing.ProvenanceAssumed}
		tl, err := prepare(s, p, at, env.Options, false, nil)
		if err != nil {
			return err
		}
		saving := func(c float64) float64 {
			o := offer
			o.Throughput = pricing.Throughput{InputTPM: math.Max(c*si, 1e-9), OutputTPM: math.Max(c*so, 1e-9), Provenance: pricing.ProvenanceAssumed}
			t := totalsOn(s, p, o, tl, env.Options)
			return float64(odTotals.Total()-t.Total()) / pricing.MicroPerUSD
		}
		b := BreakEven{Term: term, HourlyUSD: hourly}
		if blended > 0 {
			b.FullUseTPM = hourly / 60 / blended
			if tp := env.Offer.Throughput; tp.Known() {
				// An MU at this mix carries min(Cin/si, Cout/so) tokens a minute.
				b.Utilization = b.FullUseTPM / math.Min(tp.InputTPM/si, tp.OutputTPM/so)
			}
		}
		if saving(hi) < 0 {
			b.Never = true
			out[k] = b
			return nil
		}
		lo, up := 0.0, hi
		for up-lo > 1e-4*up {
			mid := (lo + up) / 2
			if saving(mid) >= 0 {
				up = mid
			} else {
				lo = mid
			}
		}
		b.TPM, b.InputTPM, b.OutputTPM = up, up*si, up*so
		out[k] = b
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
