package pricing

import (
	"strings"
	"testing"
)

func TestParseProfile(t *testing.T) {
	for _, c := range []struct{ id, prefix, model string }{
		{"us.anthropic.claude-sonnet-4-5-20250929-v1:0", "us", "anthropic.claude-sonnet-4-5-20250929-v1:0"},
		{"global.anthropic.claude-sonnet-4-5-20250929-v1:0", "global", "anthropic.claude-sonnet-4-5-20250929-v1:0"},
		{"apac.amazon.nova-pro-v1:0", "apac", "amazon.nova-pro-v1:0"},
		{"anthropic.claude-sonnet-4-5-20250929-v1:0", "", "anthropic.claude-sonnet-4-5-20250929-v1:0"},
		{"meta.llama3-1-70b-instruct-v1:0", "", "meta.llama3-1-70b-instruct-v1:0"},
	} {
		prefix, model, ok := ParseProfile(c.id)
		if prefix != c.prefix || model != c.model || ok != (c.prefix != "") {
			t.Errorf("%s: %q %q %v", c.id, prefix, model, ok)
		}
	}
	if GeoPrefix("us-east-2") != "us" || GeoPrefix("eu-central-1") != "eu" || GeoPrefix("ap-northeast-1") != "apac" || GeoPrefix("sa-east-1") != "" {
		t.Error("geography prefixes")
	}
}

// TestProfileLookup: an inference profile is priced from its own entry,
// takes its model's lifecycle, cannot buy PT but can buy the Reserved
// tier; without an entry it is refused with the entry to add, not priced
// at the model's in-region prices.
func TestProfileLookup(t *testing.T) {
	const id = "global.anthropic.claude-sonnet-4-5-20250929-v1:0"
	_, err := Default().Lookup(id, "us-east-1")
	if err == nil || !strings.Contains(err.Error(), `no prices for the inference profile "global.anthropic.claude-sonnet-4-5-20250929-v1:0"`) ||
		!strings.Contains(err.Error(), "bedrockplan pricing show anthropic.claude-sonnet-4-5-20250929-v1:0") {
		t.Fatalf("unknown profile: %v", err)
	}
	over, err := Parse(strings.NewReader(`models:
  "global.anthropic.claude-sonnet-4-5-20250929-v1:0":
    regions:
      us-east-1:
        on_demand:
          input_per_1m: {usd: 2.70, source: "our price sheet", as_of: 2026-11-30}
          output_per_1m: {usd: 13.50, source: "our price sheet", as_of: 2026-11-30}
        quotas: {tpm: 2000000, source: "Service Quotas", as_of: 2026-11-30}
        reserved: {min_input_tpm: 100000, min_output_tpm: 10000}
`), "profile.yaml")
	if err != nil {
		t.Fatal(err)
	}
	o, err := Merge(Default(), over).Lookup(id, "us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	base, err := Default().Lookup("anthropic.claude-sonnet-4-5-20250929-v1:0", "us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	if o.Profile != "global" || o.OnDemand.InputPer1M.USD != 2.70 || *o.Quotas.TPM != 2_000_000 || o.Lifecycle.Status != base.Lifecycle.Status {
		t.Errorf("profile offer %+v", o)
	}
	if o.CanBuyPT() || !strings.Contains(o.PTUnavailable(), "PT cannot serve traffic sent through the inference profile") || !o.CanBuy(ProductReserved) {
		t.Errorf("profile: PT %v (%s), Reserved %v", o.CanBuyPT(), o.PTUnavailable(), o.CanBuy(ProductReserved))
	}
}
