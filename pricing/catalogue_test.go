package pricing

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

// TestDefaultCatalogue: the embedded catalogue parses, every price names
// its source and date, MU throughput is unknown everywhere (AWS does not
// publish it), and the reference table of DESIGN.md §1 is what it holds.
func TestDefaultCatalogue(t *testing.T) {
	c := Default()
	if len(c.Models) < 10 {
		t.Fatalf("%d models", len(c.Models))
	}
	for _, id := range c.ModelIDs() {
		for rn, r := range c.Models[id].Regions {
			if r.Throughput == nil || r.Throughput.Provenance != ProvenanceUnknown {
				t.Errorf("%s %s: MU throughput %+v, want unknown", id, rn, r.Throughput)
			}
			if r.OnDemand == nil || r.OnDemand.InputPer1M == nil || r.OnDemand.OutputPer1M == nil {
				t.Errorf("%s %s: no on-demand prices", id, rn)
			}
		}
	}
	ref := []struct {
		id, region   string
		in, out      float64
		none, m1, m6 float64 // 0: not offered
	}{
		{"anthropic.claude-v2", "us-east-1", 8, 24, 0, 63, 35},
		{"anthropic.claude-instant-v1", "us-east-1", 0.80, 2.40, 0, 39.60, 22},
		{"amazon.titan-text-express-v1", "us-east-1", 0.20, 0.60, 20.50, 18.40, 14.80},
		{"amazon.titan-text-lite-v1", "us-east-1", 0.15, 0.20, 7.10, 6.40, 5.10},
		{"meta.llama3-1-70b-instruct-v1:0", "us-west-2", 0.72, 0.72, 24, 21.18, 13.08},
		{"meta.llama3-1-8b-instruct-v1:0", "us-west-2", 0.22, 0.22, 24, 21.18, 13.08},
		{"anthropic.claude-3-haiku-20240307-v1:0", "us-east-1", 0.25, 1.25, 0, 0, 0},
		{"anthropic.claude-sonnet-4-20250514-v1:0", "us-east-1", 3, 15, 0, 0, 0},
		{"amazon.nova-micro-v1:0", "us-east-1", 0.035, 0.14, 0, 0, 0},
		{"amazon.nova-pro-v1:0", "us-east-1", 0.80, 3.20, 0, 0, 0},
	}
	for _, r := range ref {
		o, err := c.Lookup(r.id, r.region)
		if err != nil {
			t.Error(err)
			continue
		}
		if o.OnDemand.InputPer1M.USD != r.in || o.OnDemand.OutputPer1M.USD != r.out {
			t.Errorf("%s on-demand %v/%v, want %v/%v", r.id, o.OnDemand.InputPer1M.USD, o.OnDemand.OutputPer1M.USD, r.in, r.out)
		}
		for term, want := range map[Term]float64{TermNone: r.none, TermOneMonth: r.m1, TermSixMonths: r.m6} {
			p, ok := o.PT[term]
			if ok != (want > 0) || p.USD != want {
				t.Errorf("%s PT %s = %v (offered %v), want %v", r.id, term, p.USD, ok, want)
			}
		}
	}
	v2, _ := c.Lookup("anthropic.claude-v2", "")
	if v2.CanBuyPT() || !strings.Contains(v2.LifecycleWarning(), "reached end of life on 2025-07-21") {
		t.Errorf("claude-v2 lifecycle: %+v", v2.Lifecycle)
	}
	s4, _ := c.Lookup("anthropic.claude-sonnet-4-20250514-v1:0", "us-east-1")
	if s4.Quotas.Burndown() != 5 || s4.OnDemand.CacheWritePer1M.USD != 3.75 || s4.OnDemand.CacheReadPer1M.USD != 0.30 {
		t.Errorf("sonnet 4 burndown %v, cache %v / %v", s4.Quotas.Burndown(), s4.OnDemand.CacheWritePer1M, s4.OnDemand.CacheReadPer1M)
	}
}

func TestLookupErrors(t *testing.T) {
	c := Default()
	_, err := c.Lookup("amazon.titan-text-expres-v1", "us-east-1")
	if want := `unknown model "amazon.titan-text-expres-v1" (did you mean "amazon.titan-text-express-v1"?); ` + "`bedrockplan pricing list` shows the catalogue. " +
		"To plan for a model it lacks, add the model with --pricing FILE, for example (prices in USD per million tokens, with where you read them and when):\n" +
		"models:\n  amazon.titan-text-expres-v1:\n    lifecycle: {status: active}\n    regions:\n      us-east-1:\n        on_demand:\n" +
		"          input_per_1m: {usd: 0.00, source: \"aws.amazon.com/bedrock/pricing\", as_of: YYYY-MM-DD}\n" +
		"          output_per_1m: {usd: 0.00, source: \"aws.amazon.com/bedrock/pricing\", as_of: YYYY-MM-DD}\n" +
		"`bedrockplan pricing show amazon.titan-text-express-v1` prints a complete entry (cache, batch, PT, quotas) to copy from"; err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
	// The entry the message shows is one --pricing reads, once the dates
	// are filled in; with no close match it names no model to copy from.
	for _, id := range []string{"amazon.titan-text-expres-v1", "acme.model: v1", "zz"} {
		_, err := c.Lookup(id, "")
		if err == nil {
			t.Fatalf("%s: no error", id)
		}
		msg := err.Error()
		snippet := msg[strings.Index(msg, "models:\n"):strings.LastIndex(msg, "\n`bedrockplan pricing show")]
		over, perr := Parse(strings.NewReader(strings.ReplaceAll(strings.ReplaceAll(snippet, "YYYY-MM-DD", "2026-11-26"), "REGION", "eu-west-1")), "snippet.yaml")
		if perr != nil {
			t.Fatalf("%s: the entry shown does not parse: %v\n%s", id, perr, snippet)
		}
		if _, err := Merge(c, over).Lookup(id, ""); err != nil {
			t.Errorf("%s: with the entry shown: %v", id, err)
		}
		if id == "zz" && !strings.Contains(msg, "`bedrockplan pricing show MODEL` of a similar model prints") {
			t.Errorf("no close match: %s", msg)
		}
	}
	// A region the catalogue lacks: the error names what is missing (the
	// prices for that region) and both ways to give them; the entry shown
	// parses and, merged, prices the model there.
	_, err = c.Lookup("amazon.titan-text-express-v1", "eu-west-1")
	if err == nil {
		t.Fatal("eu-west-1: no error")
	}
	msg := err.Error()
	for _, want := range []string{"the catalogue has no prices for amazon.titan-text-express-v1 in eu-west-1 (it has them for us-east-1). Give them with --pricing FILE",
		"\nor price this traffic at the prices of a region that has them: --region us-east-1"} {
		if !strings.Contains(msg, want) {
			t.Errorf("region error lacks %q:\n%s", want, msg)
		}
	}
	snippet := msg[strings.Index(msg, "models:\n"):strings.LastIndex(msg, "\nor price")]
	over, err := Parse(strings.NewReader(strings.ReplaceAll(snippet, "YYYY-MM-DD", "2026-11-26")), "snippet.yaml")
	if err != nil {
		t.Fatalf("the entry shown does not parse: %v\n%s", err, snippet)
	}
	if o, err := Merge(c, over).Lookup("amazon.titan-text-express-v1", "eu-west-1"); err != nil || len(o.PT) != 1 {
		t.Errorf("with the entry shown: %+v, %v", o, err)
	}
	if _, err := c.Lookup("meta.llama3-1-70b-instruct-v1:0", ""); err == nil ||
		err.Error() != "the catalogue prices meta.llama3-1-70b-instruct-v1:0 in us-east-2, us-west-2, and no region is named (the metrics carry none): choose the one whose prices apply with --region" {
		t.Errorf("no region named: %v", err)
	}
	// A missing PT price is the catalogue's gap, not a term AWS does not
	// sell: it is named with the entry that gives it.
	o, err := c.Lookup("amazon.titan-text-express-v1", "us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	o.Region = "eu-west-1"
	want := "the catalogue has no price for 6-month PT for amazon.titan-text-express-v1 in eu-west-1: give it with --pricing FILE, " +
		"as models: amazon.titan-text-express-v1: regions: eu-west-1: provisioned: six_months: {usd: …, source: …, as_of: …}, " +
		"or choose a region that has it with --region; bedrockplan pricing show amazon.titan-text-express-v1 lists the regions"
	if got := o.MissingPTPrice(TermSixMonths); got != want {
		t.Errorf("missing PT price:\n%s\nwant\n%s", got, want)
	}
}

// TestMerge: an override changes only what it sets and can add models,
// regions and terms.
func TestMerge(t *testing.T) {
	over, err := Parse(strings.NewReader(`
models:
  amazon.titan-text-express-v1:
    regions:
      us-east-1:
        on_demand:
          input_per_1m: {usd: 0.25, source: "negotiated", as_of: 2026-11-20}
        mu_throughput: {input_tpm: 900000, output_tpm: 250000, provenance: account-team, source: "AWS account team email", as_of: 2026-11-20}
        quotas: {tpm: 400000, source: "Service Quotas console", as_of: 2026-11-20}
      eu-central-1:
        on_demand:
          input_per_1m: {usd: 0.30, source: "x", as_of: 2026-11-20}
          output_per_1m: {usd: 0.80, source: "x", as_of: 2026-11-20}
  my.custom-model:
    lifecycle: {status: active}
    regions:
      us-east-1:
        on_demand:
          input_per_1m: {usd: 1, source: "x", as_of: 2026-11-20}
          output_per_1m: {usd: 2, source: "x", as_of: 2026-11-20}
        provisioned:
          six_months: {usd: 30, source: "x", as_of: 2026-11-20}
`), "over.yaml")
	if err != nil {
		t.Fatal(err)
	}
	base := Default()
	m := Merge(base, over)
	o, err := m.Lookup("amazon.titan-text-express-v1", "us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	if o.OnDemand.InputPer1M.USD != 0.25 || o.OnDemand.InputPer1M.Source != "negotiated" {
		t.Errorf("input price %+v", o.OnDemand.InputPer1M)
	}
	if o.OnDemand.OutputPer1M.USD != 0.60 || o.PT[TermSixMonths].USD != 14.80 {
		t.Errorf("fields the override did not set changed: out %v, PT %v", o.OnDemand.OutputPer1M.USD, o.PT[TermSixMonths].USD)
	}
	if !o.Throughput.Known() || o.Throughput.Provenance != ProvenanceAccountTeam || *o.Quotas.TPM != 400000 {
		t.Errorf("throughput %+v quotas %+v", o.Throughput, o.Quotas)
	}
	if _, err := m.Lookup("amazon.titan-text-express-v1", "eu-central-1"); err != nil {
		t.Error(err)
	}
	if c, err := m.Lookup("my.custom-model", ""); err != nil || c.PT[TermSixMonths].USD != 30 {
		t.Errorf("custom model: %v %+v", err, c.PT)
	}
	if b, _ := base.Lookup("amazon.titan-text-express-v1", "us-east-1"); b.OnDemand.InputPer1M.USD != 0.20 || b.Throughput.Known() {
		t.Error("Merge modified its base")
	}
}

// TestBadCatalogue: one fixture per bad case under testdata/bad, each
// with its exact message in the .err file beside it.
func TestBadCatalogue(t *testing.T) {
	files, _ := filepath.Glob("testdata/bad/*.yaml")
	if len(files) < 8 {
		t.Fatalf("%d bad fixtures", len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			want, err := os.ReadFile(strings.TrimSuffix(f, ".yaml") + ".err")
			if err != nil {
				t.Fatal(err)
			}
			_, err = Load(f)
			if err == nil {
				t.Fatal("accepted")
			}
			if got := err.Error(); got != strings.TrimSpace(string(want)) {
				t.Errorf("got\n%s\nwant\n%s", got, want)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("models: {}\n"))
	files, _ := filepath.Glob("testdata/bad/*.yaml")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(bytes.NewReader(data), "fuzz.yaml")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.yaml") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("parsed but invalid: %v", err)
		}
		_ = Merge(Default(), c)
	})
}

func TestMoney(t *testing.T) {
	for _, c := range []struct {
		m       Money
		dec, st string
	}{
		{FromUSD(1234.565), "1234.565000", "$1,234.57"},
		{FromUSD(0.0000004), "0.000000", "$0.00"},
		{FromUSD(-12.345), "-12.345000", "-$12.35"},
		{FromUSD(1e6), "1000000.000000", "$1,000,000.00"},
		{5, "0.000005", "$0.00"},
	} {
		if c.m.Decimal() != c.dec || c.m.String() != c.st {
			t.Errorf("%d: Decimal %s String %s, want %s %s", c.m, c.m.Decimal(), c.m.String(), c.dec, c.st)
		}
	}
	if got := TermOneMonth.End(time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC)); !got.Equal(time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("one month from 31 Jan = %s (Go's AddDate normalises)", got)
	}
}

func TestMatchName(t *testing.T) {
	c := Default()
	for name, want := range map[string]string{
		"Anthropic Claude 3 Haiku":     "anthropic.claude-3-haiku-20240307-v1:0",
		"Titan Text G1 - Express":      "amazon.titan-text-express-v1",
		"Amazon Titan Text Express":    "amazon.titan-text-express-v1",
		"Meta Llama 3.1 70B Instruct":  "meta.llama3-1-70b-instruct-v1:0",
		"Nova Micro":                   "amazon.nova-micro-v1:0",
		"Claude 3.5 Sonnet":            "anthropic.claude-3-5-sonnet-20240620-v1:0",
		"Claude 3 Sonnet":              "",
		"Cohere Command R+":            "",
		"Amazon Titan Text Embeddings": "",
	} {
		got := strings.Join(c.MatchName(name), ",")
		if got != want {
			t.Errorf("MatchName(%q) = %q, want %q", name, got, want)
		}
	}
}

// TestOfferCatalogueRoundTrip: an offer written as a one-model catalogue
// looks up to the same offer.
func TestOfferCatalogueRoundTrip(t *testing.T) {
	for _, id := range Default().ModelIDs() {
		for region := range Default().Models[id].Regions {
			o, err := Default().Lookup(id, region)
			if err != nil {
				t.Fatal(err)
			}
			data, err := yaml.Marshal(o.Catalogue("2026-11-26"))
			if err != nil {
				t.Fatal(err)
			}
			c, err := Parse(bytes.NewReader(data), "offer.yaml")
			if err != nil {
				t.Fatalf("%s %s: %v\n%s", id, region, err, data)
			}
			back, err := c.Lookup(id, region)
			if err != nil || !reflect.DeepEqual(back, o) {
				t.Errorf("%s %s: round trip gives %+v, %v; want %+v", id, region, back, err, o)
			}
		}
	}
}

// TestPTNotSold: a region where AWS sells no PT refuses PT and says why
// with its source, where a region that sells it (the same model's, or
// one whose PT price is merely unpublished) does not; a --pricing file
// that prices PT there lifts the fact, and one that states it over
// prices drops them.
func TestPTNotSold(t *testing.T) {
	c := Default()
	for _, r := range []struct {
		id, region string
		sold       bool
	}{
		{"anthropic.claude-sonnet-4-5-20250929-v1:0", "us-east-1", false},
		{"anthropic.claude-haiku-4-5-20251001-v1:0", "us-east-1", false},
		{"meta.llama3-1-70b-instruct-v1:0", "us-west-2", true},
		{"meta.llama3-1-70b-instruct-v1:0", "us-east-2", false},
		{"amazon.nova-pro-v1:0", "us-east-1", true}, // sold, its price not public
		{"amazon.nova-pro-v1:0", "us-east-2", false},
	} {
		o, err := c.Lookup(r.id, r.region)
		if err != nil {
			t.Fatal(err)
		}
		why := o.PTUnavailable()
		if o.CanBuyPT() != r.sold || (why == "") != r.sold {
			t.Errorf("%s %s: CanBuyPT %v, PTUnavailable %q; want sold %v", r.id, r.region, o.CanBuyPT(), why, r.sold)
		}
		if !r.sold && (!strings.HasPrefix(why, "AWS sells no PT for "+r.id+" in "+r.region+" (source: Amazon Bedrock user guide") || !strings.HasSuffix(why, ", 2026-11-30)")) {
			t.Errorf("%s %s: %q", r.id, r.region, why)
		}
		// A plan or a commitment held that buys PT here is asked for
		// its price with what the catalogue says, not as if unpublished.
		if missing := o.MissingPTPrice(TermSixMonths); !r.sold && !strings.HasPrefix(missing, "the catalogue says AWS sells no PT for "+r.id+" in "+r.region+" (source: ") {
			t.Errorf("%s %s: MissingPTPrice %q", r.id, r.region, missing)
		}
	}
	over, err := Parse(strings.NewReader(`
models:
  anthropic.claude-sonnet-4-5-20250929-v1:0:
    regions:
      us-east-1:
        provisioned:
          one_month: {usd: 40, source: "account team", as_of: 2026-11-20}
  meta.llama3-1-70b-instruct-v1:0:
    regions:
      us-west-2:
        provisioned_not_sold: {source: "our account team", as_of: 2026-11-29}
`), "over.yaml")
	if err != nil {
		t.Fatal(err)
	}
	m := Merge(c, over)
	if o, _ := m.Lookup("anthropic.claude-sonnet-4-5-20250929-v1:0", "us-east-1"); !o.CanBuyPT() || o.PT[TermOneMonth].USD != 40 {
		t.Errorf("PT priced over a region it is not sold in: CanBuyPT %v, PT %v", o.CanBuyPT(), o.PT)
	}
	if o, _ := m.Lookup("meta.llama3-1-70b-instruct-v1:0", "us-west-2"); o.CanBuyPT() || len(o.PT) != 0 || o.PTNotSold.Source != "our account team" {
		t.Errorf("not sold over PT prices: CanBuyPT %v, PT %v, %+v", o.CanBuyPT(), o.PT, o.PTNotSold)
	}
	if o, _ := c.Lookup("anthropic.claude-sonnet-4-5-20250929-v1:0", "us-east-1"); o.CanBuyPT() {
		t.Error("Merge modified its base")
	}
}
