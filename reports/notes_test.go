package reports

import (
	"testing"
	"time"

	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/sim"
)

// TestNoteCodeRoundTrip: a note's fact read back from note_code is the
// note, and is worded as it was, in both languages (a plan aside: the
// note column describes it).
func TestNoteCodeRoundTrip(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	legacy := sim.OfferFacts{Model: "us.anthropic.claude-opus-4-1-20250805-v1:0", Region: "us-east-1", Tier: "flex",
		Lifecycle: pricing.Lifecycle{Status: pricing.LifecycleLegacy, Legacy: "2026-07-08", PublicExtendedAccess: "2026-10-08", EOL: "2027-01-08"}}
	notes := []sim.Note{
		{Code: sim.NoteOnDemand, N: 2},
		{Code: sim.NotePTUnavailable, Offer: legacy},
		{Code: sim.NoteNoPTPrice, Term: pricing.TermSixMonths, Offer: sim.OfferFacts{Model: "a.b: c", Region: "eu-west-1"}},
		{Code: sim.NoteOutlivesEOL, Product: pricing.ProductReserved, Term: pricing.TermThreeMonths, Start: day("2026-11-15"), EOL: day("2027-01-08")},
		{Code: sim.NoteAlone, Product: pricing.ProductPT, Term: pricing.TermOneMonth, MU: 3},
		{Code: sim.NoteNoNewCapacity, Cause: sim.NoteLifecycle, Offer: legacy},
		{Code: sim.NoteQuotaRule, Ratio: 0.8125, N: 1440},
		{Code: sim.NoteOptimised, Cause: sim.NoteThrottleLimit, Limit: 0.001},
		{Code: sim.NoteShortHistory, Span: 36 * time.Hour, Min: 14 * 24 * time.Hour},
		{Code: sim.NoteOtherRegion, Ran: "us-east-2", Offer: sim.OfferFacts{Model: "m", Region: "us-west-2"}},
	}
	for _, n := range notes {
		code := noteCode(n)
		back, err := parseNoteCode(code)
		if err != nil || back != n {
			t.Errorf("%q read back as %+v (%v), want %+v", code, back, err, n)
		}
		for _, lang := range []string{LangEnglish, LangJapanese} {
			r := &Report{Lang: lang}
			for _, use := range []noteUse{inStrategies, inRisk, inSummary, inAccount, inPortfolio} {
				if got, want := r.note(back, use), r.note(n, use); got != want || got == "" || got == string(n.Code) {
					t.Errorf("%s %s %+v: %q, want %q", lang, n.Code, use, got, want)
				}
			}
		}
	}
	if _, err := parseNoteCode("outlives-eol term"); err == nil {
		t.Error("a figure without a value is read")
	}
}
