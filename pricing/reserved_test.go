package pricing

import (
	"strings"
	"testing"
	"time"
)

const reservedYAML = `as_of: 2026-11-30
models:
  anthropic.claude-sonnet-4-5-20250929-v1:0:
    regions:
      us-east-1:
        reserved:
          min_input_tpm: 100000
          min_output_tpm: 10000
          source: "Amazon Bedrock Reserved tier"
          one_month:
            input_per_1k_tpm_month: {usd: 60, source: "our agreement", as_of: 2026-11-30}
            output_per_1k_tpm_month: {usd: 300, source: "our agreement", as_of: 2026-11-30}
`

// TestReservedOffer: a Reserved offer parses, resolves into an offer with
// per-TPM prices, merges term by term over the embedded catalogue, shows
// in pricing diff, and survives a report's pricing.yaml round trip.
func TestReservedOffer(t *testing.T) {
	over, err := Parse(strings.NewReader(reservedYAML), "prices.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cat := Merge(Default(), over)
	o, err := cat.Lookup("anthropic.claude-sonnet-4-5-20250929-v1:0", "us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	in, out, ok := o.ReservedPrice(TermOneMonth)
	if !ok || in != 0.06 || out != 0.3 {
		t.Errorf("1-month price %v / %v (%v), want $0.06 / $0.30 per TPM-month", in, out, ok)
	}
	if _, _, ok := o.ReservedPrice(TermThreeMonths); ok {
		t.Error("3-month price where none was given")
	}
	if got := o.ReservedTerms(); len(got) != 1 || got[0] != TermOneMonth {
		t.Errorf("priced terms %v", got)
	}
	if !o.CanBuy(ProductReserved) {
		t.Error("an active model with a Reserved offer cannot buy it")
	}
	// A second override adds the 3-month term and keeps the 1-month one.
	more, err := Parse(strings.NewReader(`models:
  anthropic.claude-sonnet-4-5-20250929-v1:0:
    regions:
      us-east-1:
        reserved:
          three_months:
            input_per_1k_tpm_month: {usd: 50, source: "our agreement", as_of: 2026-11-30}
            output_per_1k_tpm_month: {usd: 250, source: "our agreement", as_of: 2026-11-30}
`), "more.yaml")
	if err != nil {
		t.Fatal(err)
	}
	o2, err := Merge(cat, more).Lookup("anthropic.claude-sonnet-4-5-20250929-v1:0", "us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	if len(o2.ReservedTerms()) != 2 || o2.Reserved.MinInputTPM != 100000 {
		t.Errorf("merged offer %+v", o2.Reserved)
	}
	if _, _, ok := o.ReservedPrice(TermThreeMonths); ok {
		t.Error("Merge changed its input")
	}
	diff := strings.Join(diffLines(cat, more), "\n")
	if !strings.Contains(diff, "reserved.three_months.input_per_1k_tpm_month: new $50") {
		t.Errorf("diff:\n%s", diff)
	}
	back, err := o2.Catalogue("2026-11-30").Lookup(o2.ModelID, o2.Region)
	if err != nil {
		t.Fatal(err)
	}
	if b, _, _ := back.ReservedPrice(TermThreeMonths); b != 0.05 {
		t.Errorf("round trip lost the 3-month price: %+v", back.Reserved)
	}
}

// TestProductTerms: each product sells its own terms; a term of the
// other product is named as such.
func TestProductTerms(t *testing.T) {
	if !ProductPT.Sells(TermSixMonths) || ProductPT.Sells(TermThreeMonths) || !ProductReserved.Sells(TermThreeMonths) || ProductReserved.Sells(TermNone) {
		t.Error("products sell the wrong terms")
	}
	// Calendar months as Go's AddDate counts them: 30 February is 2 March.
	if got := TermThreeMonths.End(mustDate(t, "2026-11-30")); got.Format("2006-01-02") != "2027-03-02" {
		t.Errorf("three months from 2026-11-30 end %s", got)
	}
	if ProductReserved.Unit() != "1K-TPM-month" || ProductPT.Unit() != "MU-hour" {
		t.Error("units")
	}
}

func mustDate(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
