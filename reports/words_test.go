package reports

import (
	"testing"
	"time"
)

// TestCount: request counts are whole numbers; less than one but some
// is "<1"; large ones keep the short form.
func TestCount(t *testing.T) {
	for v, want := range map[float64]string{0: "0", 0.43: "<1", 0.5: "1", 22.323: "22", 999.4: "999", 1234.5: "1.23K", 21.3e6: "21.3M"} {
		if got := count(v); got != want {
			t.Errorf("count(%v) = %q, want %q", v, got, want)
		}
	}
}

// TestAside: text quoted in brackets loses brackets of its own.
func TestAside(t *testing.T) {
	for in, want := range map[string]string{
		"Bedrock quota docs: 5x for Claude 3.7 Sonnet and later (DESIGN.md §1)":   "Bedrock quota docs: 5x for Claude 3.7 Sonnet and later, DESIGN.md §1",
		"Reserved tier (launched 2025-11-26; minimum 100,000 TPM), via DESIGN.md": "Reserved tier, launched 2025-11-26; minimum 100,000 TPM, via DESIGN.md",
		"デモ用（仮定）の値":                                                               "デモ用、仮定の値",
		"chosen for the demo":                                                     "chosen for the demo",
	} {
		if got := aside(in); got != want {
			t.Errorf("aside(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestInScenarios: a share of the risk analysis's scenarios to one
// decimal, as risk.csv gives it, and none in words.
func TestInScenarios(t *testing.T) {
	en, ja := &Report{Lang: LangEnglish}, &Report{Lang: LangJapanese}
	for _, c := range []struct {
		p      float64
		n      int
		en, ja string
	}{
		{0.038, 1000, " in 3.8% of 1000 scenarios", " 1000 シナリオ中 3.8%"},
		{0.004, 0, " in 0.4%", " 0.4%"},
		{0, 1000, " in none of 1000 scenarios", " 1000 シナリオ中 0 件"},
		{0.00004, 0, " in none", " 0 件"},
	} {
		if got := en.inScenarios(c.p, c.n); got != c.en {
			t.Errorf("en %v of %d: %q, want %q", c.p, c.n, got, c.en)
		}
		if got := ja.inScenarios(c.p, c.n); got != c.ja {
			t.Errorf("ja %v of %d: %q, want %q", c.p, c.n, got, c.ja)
		}
	}
}

// TestAge: how old traffic is, in words.
func TestAge(t *testing.T) {
	day := 24 * time.Hour
	for d, want := range map[time.Duration]string{1106 * day: "over 3 years", 400 * day: "over a year", 100 * day: "over 3 months", 91 * day: "over 2 months", 45 * day: "45 days"} {
		if got := language(LangEnglish).age(d); got != want {
			t.Errorf("age(%v) = %q, want %q", d, got, want)
		}
	}
}
