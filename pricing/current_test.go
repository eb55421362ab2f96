package pricing

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// eolDateUnrecorded are the end-of-life models whose date no source the
// catalogue cites gives: DESIGN.md §1 says only that they have reached end
// of life.
var eolDateUnrecorded = map[string]bool{
	"anthropic.claude-instant-v1":  true,
	"amazon.titan-text-lite-v1":    true,
	"amazon.titan-text-express-v1": true,
}

// TestCatalogueConsistency: every model has a lifecycle; every price names
// its source and a date no later than the catalogue's; lifecycle dates
// agree with the status as of the catalogue's date (no active model past
// its legacy or end-of-life date, no legacy model past its end of life, no
// end-of-life model before it); legacy and end-of-life entries carry their
// dates; the prices of one offer are in the order they must be; names
// identify one model each.
func TestCatalogueConsistency(t *testing.T) {
	c := Default()
	asOf, err := time.Parse(time.DateOnly, c.AsOf)
	if err != nil {
		t.Fatalf("catalogue as_of %q: %v", c.AsOf, err)
	}
	date := func(id, field, s string) (time.Time, bool) {
		if s == "" {
			return time.Time{}, false
		}
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Errorf("%s %s: %v", id, field, err)
			return time.Time{}, false
		}
		return d, true
	}
	names := map[string]string{}
	for _, id := range c.ModelIDs() {
		m := c.Models[id]
		if m.Name == "" {
			t.Errorf("%s: no name", id)
		} else if other, dup := names[NormalName(m.Name)]; dup {
			t.Errorf("%s and %s have the same name %q: name matching cannot tell them apart", other, id, m.Name)
		} else {
			names[NormalName(m.Name)] = id
		}
		l := m.Lifecycle
		if _, base, isProfile := ParseProfile(id); l == nil && isProfile && c.Models[base] != nil {
			// A profile takes its model's lifecycle (TestProfileEntries).
			l = c.Models[base].Lifecycle
		}
		if l == nil {
			t.Errorf("%s: no lifecycle", id)
			continue
		}
		legacy, hasLegacy := date(id, "legacy", l.Legacy)
		_, hasPEA := date(id, "public_extended_access", l.PublicExtendedAccess)
		eol, hasEOL := date(id, "eol", l.EOL)
		switch l.Status {
		case LifecycleActive:
			if hasEOL && !eol.After(asOf) {
				t.Errorf("%s: active, but its end of life %s is not after the catalogue's date %s", id, l.EOL, c.AsOf)
			}
			if hasLegacy && !legacy.After(asOf) {
				t.Errorf("%s: active, but legacy since %s (catalogue date %s)", id, l.Legacy, c.AsOf)
			}
		case LifecycleLegacy:
			if !hasLegacy || !hasEOL {
				t.Errorf("%s: legacy without its legacy and end-of-life dates (%+v)", id, *l)
			}
			if hasEOL && !eol.After(asOf) {
				t.Errorf("%s: legacy, but its end of life %s is not after the catalogue's date %s: it is eol", id, l.EOL, c.AsOf)
			}
			if hasLegacy && legacy.After(asOf) {
				t.Errorf("%s: legacy from %s, after the catalogue's date %s", id, l.Legacy, c.AsOf)
			}
		case LifecycleEOL:
			if !hasEOL && !eolDateUnrecorded[id] {
				t.Errorf("%s: eol without its date", id)
			}
			if hasEOL && eol.After(asOf) {
				t.Errorf("%s: eol, but its end of life %s is after the catalogue's date %s", id, l.EOL, c.AsOf)
			}
		default:
			t.Errorf("%s: status %q", id, l.Status)
		}
		if (hasLegacy || hasPEA || hasEOL || l.Status != LifecycleActive) && l.Source == "" && !eolDateUnrecorded[id] {
			t.Errorf("%s: lifecycle dates or status %s without a source", id, l.Status)
		}
		if len(m.Regions) == 0 {
			t.Errorf("%s: no region", id)
		}
		for _, rn := range m.RegionNames() {
			r := m.Regions[rn]
			for name, p := range prices(r) {
				if strings.TrimSpace(p.Source) == "" {
					t.Errorf("%s %s %s: no source", id, rn, name)
				}
				if d, ok := date(id, rn+" "+name+".as_of", p.AsOf); !ok {
					t.Errorf("%s %s %s: no date", id, rn, name)
				} else if d.After(asOf) {
					t.Errorf("%s %s %s: dated %s, after the catalogue's %s", id, rn, name, p.AsOf, c.AsOf)
				}
				if strings.Contains(p.Source, "‡") && !strings.Contains(p.Source, "unverified") {
					t.Errorf("%s %s %s: cites a mark without saying what it means: %s", id, rn, name, p.Source)
				}
			}
			if f := r.OnDemand.BatchFactor; f != nil && (f.Source == "" || f.AsOf == "") {
				t.Errorf("%s %s batch_factor: source %q, date %q", id, rn, f.Source, f.AsOf)
			}
			od := r.OnDemand
			less := func(what string, a, b *Price, orEqual bool) {
				if a != nil && b != nil && (a.USD > b.USD || (!orEqual && a.USD == b.USD)) {
					t.Errorf("%s %s: %s: %v, %v", id, rn, what, a.USD, b.USD)
				}
			}
			less("cache read not below input", od.CacheReadPer1M, od.InputPer1M, false)
			less("5-minute cache write above the 1-hour one", od.CacheWritePer1M, od.CacheWrite1hPer1M, true)
			less("batch input not below on-demand input", od.BatchInputPer1M, od.InputPer1M, false)
			less("batch output not below on-demand output", od.BatchOutputPer1M, od.OutputPer1M, false)
			if (od.BatchInputPer1M == nil) != (od.BatchOutputPer1M == nil) {
				t.Errorf("%s %s: a batch price for only one of input and output", id, rn)
			}
		}
	}
}

// prices lists every price of a region by field name.
func prices(r *Region) map[string]*Price {
	out := map[string]*Price{}
	if r.OnDemand != nil {
		v := reflect.ValueOf(r.OnDemand).Elem()
		for i := 0; i < v.NumField(); i++ {
			if p, ok := v.Field(i).Interface().(*Price); ok && p != nil {
				out[strings.Split(v.Type().Field(i).Tag.Get("yaml"), ",")[0]] = p
			}
		}
	}
	if r.OnDemand != nil {
		for tier, tp := range r.OnDemand.Tiers {
			if tp != nil && tp.InputPer1M != nil {
				out["tiers."+tier+".input_per_1m"] = tp.InputPer1M
			}
			if tp != nil && tp.OutputPer1M != nil {
				out["tiers."+tier+".output_per_1m"] = tp.OutputPer1M
			}
		}
	}
	for term, p := range r.Provisioned {
		if p != nil {
			out["provisioned."+string(term)] = p
		}
	}
	return out
}

// TestCurrentModels: the models DESIGN.md §1 names, at the prices it
// quotes from the awslabs/startups compilation, and the lifecycle it lists.
func TestCurrentModels(t *testing.T) {
	c := Default()
	for _, r := range []struct {
		id, region string
		in, out    float64
	}{
		{"anthropic.claude-sonnet-4-5-20250929-v1:0", "us-east-1", 3, 15},
		{"anthropic.claude-sonnet-4-6", "us-east-1", 3, 15},
		{"anthropic.claude-sonnet-5", "us-east-1", 3, 15},
		{"anthropic.claude-opus-4-5-20251101-v1:0", "us-east-1", 5, 25},
		{"anthropic.claude-opus-4-6-v1", "us-east-1", 5, 25},
		{"anthropic.claude-opus-4-8", "us-east-1", 5, 25},
		{"anthropic.claude-haiku-4-5-20251001-v1:0", "us-east-1", 1, 5},
		{"amazon.nova-2-lite-v1:0", "us-east-2", 0.33, 2.75},
		{"amazon.nova-pro-v1:0", "us-east-2", 0.80, 3.20},
		{"amazon.nova-lite-v1:0", "us-east-2", 0.06, 0.24},
		{"amazon.nova-micro-v1:0", "us-east-2", 0.035, 0.14},
		{"meta.llama4-maverick-17b-instruct-v1:0", "us-east-2", 0.24, 0.97},
		{"meta.llama4-scout-17b-instruct-v1:0", "us-east-2", 0.17, 0.66},
		{"meta.llama3-3-70b-instruct-v1:0", "us-east-2", 0.72, 0.72},
		{"openai.gpt-oss-120b-1:0", "us-east-2", 0.15, 0.60},
		{"openai.gpt-oss-20b-1:0", "us-east-2", 0.07, 0.30},
		{"mistral.mistral-large-3-675b-instruct", "us-east-1", 0.50, 1.50},
		{"deepseek.r1-v1:0", "us-east-2", 1.35, 5.40},
	} {
		o, err := c.Lookup(r.id, r.region)
		if err != nil {
			t.Error(err)
			continue
		}
		if o.OnDemand.InputPer1M.USD != r.in || o.OnDemand.OutputPer1M.USD != r.out {
			t.Errorf("%s %s: %v / %v, want %v / %v", r.id, r.region, o.OnDemand.InputPer1M.USD, o.OnDemand.OutputPer1M.USD, r.in, r.out)
		}
		if o.Retiring() || o.LifecycleWarning() != "" {
			t.Errorf("%s: lifecycle %+v", r.id, o.Lifecycle)
		}
	}
	// The Ohio cross-region rate of Sonnet 4.6 is the US profile's, not
	// the model's in us-east-2.
	if _, err := c.Lookup("anthropic.claude-sonnet-4-6", "us-east-2"); err == nil {
		t.Error("sonnet 4.6 has an in-region us-east-2 price: the compilation lists only the cross-region one")
	}
	s46, err := c.Lookup("us.anthropic.claude-sonnet-4-6", "us-east-2")
	if err != nil || s46.Profile != "us" || s46.OnDemand.InputPer1M.USD != 3.30 || s46.OnDemand.OutputPer1M.USD != 16.50 ||
		s46.OnDemand.BatchInputPer1M.USD != 1.65 || !strings.HasPrefix(s46.OnDemand.BatchInputPer1M.Source, "projection, not a listed price") ||
		s46.Lifecycle.Status != LifecycleActive || s46.CanBuyPT() || s46.Quotas.Burndown() != 5 {
		t.Errorf("us.anthropic.claude-sonnet-4-6: %+v %v", s46, err)
	}
	// Claude: batch 50%, 5-minute write 1.25x, 1-hour write 2x, read 0.1x.
	s45, _ := c.Lookup("anthropic.claude-sonnet-4-5-20250929-v1:0", "us-east-1")
	od := s45.OnDemand
	if od.BatchInputPer1M.USD != 1.5 || od.BatchOutputPer1M.USD != 7.5 || od.CacheWritePer1M.USD != 3.75 || od.CacheWrite1hPer1M.USD != 6 || od.CacheReadPer1M.USD != 0.3 || s45.Quotas.Burndown() != 5 {
		t.Errorf("sonnet 4.5: %+v, burndown %v", od, s45.Quotas.Burndown())
	}
	// What the compilation marks unverified, or derives, says so.
	s5, _ := c.Lookup("anthropic.claude-sonnet-5", "us-east-1")
	if !strings.Contains(s5.OnDemand.BatchInputPer1M.Source, "unverified") {
		t.Errorf("sonnet 5 batch source: %s", s5.OnDemand.BatchInputPer1M.Source)
	}
	o47, _ := c.Lookup("anthropic.claude-opus-4-7", "us-east-1")
	if o47.OnDemand.CacheWrite1hPer1M.USD != 10 || !strings.HasPrefix(o47.OnDemand.CacheWrite1hPer1M.Source, "projection") || o47.OnDemand.BatchInputPer1M != nil {
		t.Errorf("opus 4.7: %+v", o47.OnDemand)
	}

	for id, want := range map[string]Lifecycle{
		"amazon.titan-text-lite-v1":                 {Status: LifecycleEOL},
		"anthropic.claude-3-7-sonnet-20250219-v1:0": {Status: LifecycleEOL, EOL: "2026-04-28"},
		"anthropic.claude-3-5-sonnet-20240620-v1:0": {Status: LifecycleEOL, EOL: "2026-07-30"},
		"anthropic.claude-3-haiku-20240307-v1:0":    {Status: LifecycleEOL, EOL: "2026-09-10"},
		"anthropic.claude-sonnet-4-20250514-v1:0":   {Status: LifecycleEOL, EOL: "2026-10-14"},
		"meta.llama3-2-90b-instruct-v1:0":           {Status: LifecycleEOL, EOL: "2026-07-07"},
		"amazon.nova-premier-v1:0":                  {Status: LifecycleEOL, EOL: "2026-09-14"},
		"ai21.jamba-1-5-large-v1:0":                 {Status: LifecycleEOL, EOL: "2026-11-26"},
		"ai21.jamba-1-5-mini-v1:0":                  {Status: LifecycleEOL, EOL: "2026-11-26"},
		"anthropic.claude-opus-4-1-20250805-v1:0":   {Status: LifecycleLegacy, Legacy: "2026-07-08", EOL: "2027-01-08"},
	} {
		o, err := c.Lookup(id, "")
		if err != nil {
			t.Error(err)
			continue
		}
		got := o.Lifecycle
		got.Source = ""
		if got != want {
			t.Errorf("%s: lifecycle %+v, want %+v", id, got, want)
		}
		if o.CanBuyPT() || o.LifecycleWarning() == "" {
			t.Errorf("%s: PT can be bought (%v) or no warning", id, o.CanBuyPT())
		}
	}
	opus41, _ := c.Lookup("anthropic.claude-opus-4-1-20250805-v1:0", "")
	if w := opus41.LifecycleWarning(); w != "anthropic.claude-opus-4-1-20250805-v1:0 is a legacy model: no new Provisioned Throughput can be bought for it; end of life 2027-01-08" {
		t.Errorf("opus 4.1: %s", w)
	}
	opus41.Lifecycle.PublicExtendedAccess = "2026-10-08"
	if w := opus41.LifecycleWarning(); !strings.Contains(w, "public extended access (the provider may raise prices) from 2026-10-08; end of life 2027-01-08") {
		t.Errorf("with public extended access: %s", w)
	}
}

// TestMergeNewFields: an override sets the 1-hour cache write, batch
// prices and lifecycle dates; Diff reports every field it changes.
func TestMergeNewFields(t *testing.T) {
	over, err := Parse(strings.NewReader(`
models:
  anthropic.claude-haiku-4-5-20251001-v1:0:
    lifecycle: {status: legacy, legacy: 2026-12-01, public_extended_access: 2027-03-01, eol: 2027-06-01, source: "ListFoundationModels"}
    regions:
      us-east-1:
        on_demand:
          cache_write_1h_per_1m: {usd: 2.2, source: "negotiated", as_of: 2026-11-20}
          batch_input_per_1m: {usd: 0.45, source: "negotiated", as_of: 2026-11-20}
`), "over.yaml")
	if err != nil {
		t.Fatal(err)
	}
	m := Merge(Default(), over)
	o, err := m.Lookup("anthropic.claude-haiku-4-5-20251001-v1:0", "us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	if o.OnDemand.CacheWrite1hPer1M.USD != 2.2 || o.OnDemand.BatchInputPer1M.USD != 0.45 || o.OnDemand.BatchOutputPer1M.USD != 2.5 || o.OnDemand.CacheWritePer1M.USD != 1.25 {
		t.Errorf("merged: %+v", o.OnDemand)
	}
	if o.Lifecycle.PublicExtendedAccess != "2027-03-01" || o.Lifecycle.Legacy != "2026-12-01" {
		t.Errorf("lifecycle %+v", o.Lifecycle)
	}
	got := strings.Join(diffLines(Default(), over), "\n")
	// Every field the override changes, the lifecycle and the sources
	// and dates too, not only the prices.
	const h = "anthropic.claude-haiku-4-5-20251001-v1:0"
	want := h + ` lifecycle.status: "active" -> "legacy"
` + h + ` lifecycle.legacy: new "2026-12-01"
` + h + ` lifecycle.public_extended_access: new "2027-03-01"
` + h + ` lifecycle.eol: new "2027-06-01"
` + h + ` lifecycle.source: "awslabs/startups pricing-cache.md (last updated 2026-08-24), quick reference status column: active" -> "ListFoundationModels"
` + h + ` us-east-1 on_demand.cache_write_1h_per_1m: $2 -> $2.2 (+10.0%)
` + h + ` us-east-1 on_demand.cache_write_1h_per_1m.source: "awslabs/startups pricing-cache.md (last updated 2026-08-24), Claude batch & prompt cache table (Standard, US East N. Virginia), 1-hour cache write" -> "negotiated"
` + h + ` us-east-1 on_demand.cache_write_1h_per_1m.as_of: "2026-08-24" -> "2026-11-20"
` + h + ` us-east-1 on_demand.batch_input_per_1m: $0.5 -> $0.45 (-10.0%)
` + h + ` us-east-1 on_demand.batch_input_per_1m.source: "awslabs/startups pricing-cache.md (last updated 2026-08-24), Claude batch & prompt cache table (Standard, US East N. Virginia); batch support verified there, 2026-09-02" -> "negotiated"
` + h + ` us-east-1 on_demand.batch_input_per_1m.as_of: "2026-08-24" -> "2026-11-20"`
	if got != want {
		t.Errorf("diff:\n%s\nwant\n%s", got, want)
	}
}

// catalogueProviders are the providers whose models the embedded
// catalogue holds: an id that is not an inference profile starts with one.
var catalogueProviders = map[string]bool{
	"anthropic": true, "amazon": true, "meta": true, "mistral": true, "deepseek": true,
	"openai": true, "google": true, "minimax": true, "ai21": true,
}

// TestProfileEntries: every inference-profile entry has a prefix
// ParseProfile knows (an id that is not a profile starts with a known
// provider, so a profile with an unknown prefix cannot pass for a
// model), serves a model the catalogue holds, is priced for regions of
// its geography (global: any region), sells no PT, and takes its model's
// lifecycle when it has none of its own.
func TestProfileEntries(t *testing.T) {
	c := Default()
	profiles := 0
	for _, id := range c.ModelIDs() {
		prefix, base, ok := ParseProfile(id)
		if !ok {
			if head, _, _ := strings.Cut(id, "."); !catalogueProviders[head] {
				t.Errorf("%s: neither a known profile prefix nor a known provider", id)
			}
			continue
		}
		profiles++
		bm := c.Models[base]
		if bm == nil {
			t.Errorf("%s: serves %s, which the catalogue does not hold", id, base)
			continue
		}
		if _, _, nested := ParseProfile(base); nested {
			t.Errorf("%s: serves another profile %s", id, base)
		}
		m := c.Models[id]
		for _, rn := range m.RegionNames() {
			if geo := GeoPrefix(rn); prefix != "global" && geo != prefix && !((prefix == "jp" || prefix == "au") && geo == "apac") {
				t.Errorf("%s: priced in %s, outside the %s. geography", id, rn, prefix)
			}
			if len(m.Regions[rn].Provisioned) > 0 {
				t.Errorf("%s %s: PT prices, but PT cannot be bought through a profile", id, rn)
			}
			o, err := c.Lookup(id, rn)
			if err != nil {
				t.Error(err)
				continue
			}
			if o.Profile != prefix || o.CanBuyPT() {
				t.Errorf("%s %s: profile %q, PT %v", id, rn, o.Profile, o.CanBuyPT())
			}
			if m.Lifecycle == nil && bm.Lifecycle != nil && o.Lifecycle != *bm.Lifecycle {
				t.Errorf("%s: lifecycle %+v, want its model's %+v", id, o.Lifecycle, *bm.Lifecycle)
			}
		}
	}
	if profiles == 0 {
		t.Error("no inference-profile entries")
	}
}

// TestTierPrices: every service-tier price is a priced tier with both
// prices, each with a source and a date; Priority costs more than
// Standard, Flex less, latency-optimized not less; a derived price says
// so; and the tier offer carries the tier's prices.
func TestTierPrices(t *testing.T) {
	c := Default()
	tiers := 0
	for _, id := range c.ModelIDs() {
		for _, rn := range c.Models[id].RegionNames() {
			od := c.Models[id].Regions[rn].OnDemand
			if od == nil {
				continue
			}
			for tier, tp := range od.Tiers {
				tiers++
				where := id + " " + rn + " " + tier
				if !slices.Contains(PricedTiers(), tier) {
					t.Errorf("%s: not one of %v", where, PricedTiers())
					continue
				}
				if tp == nil || tp.InputPer1M == nil || tp.OutputPer1M == nil {
					t.Errorf("%s: want input_per_1m and output_per_1m", where)
					continue
				}
				for _, p := range []struct {
					what     string
					tier, st *Price
				}{{"input", tp.InputPer1M, od.InputPer1M}, {"output", tp.OutputPer1M, od.OutputPer1M}} {
					if !(p.tier.USD > 0) || strings.TrimSpace(p.tier.Source) == "" {
						t.Errorf("%s %s: %+v", where, p.what, *p.tier)
					}
					if _, err := time.Parse(time.DateOnly, p.tier.AsOf); err != nil {
						t.Errorf("%s %s: as_of %q", where, p.what, p.tier.AsOf)
					}
					if strings.Contains(p.tier.Source, "projection") && !strings.HasPrefix(p.tier.Source, "projection, not a listed price: ") {
						t.Errorf("%s %s: a projection that does not say so first: %s", where, p.what, p.tier.Source)
					}
					switch {
					case tier == "priority" && !(p.tier.USD > p.st.USD),
						tier == "flex" && !(p.tier.USD < p.st.USD),
						tier == "latency-optimized" && p.tier.USD < p.st.USD:
						t.Errorf("%s %s: %v against Standard %v", where, p.what, p.tier.USD, p.st.USD)
					}
				}
				o, err := c.Lookup(id, rn)
				if err != nil {
					t.Error(err)
					continue
				}
				to, err := o.ForTier(tier)
				if err != nil || to.OnDemand.InputPer1M.USD != tp.InputPer1M.USD || to.Standard.InputPer1M.USD != od.InputPer1M.USD {
					t.Errorf("%s: tier offer %+v, %v", where, to.OnDemand, err)
				}
			}
		}
	}
	if tiers == 0 {
		t.Error("no service-tier prices")
	}
}

// TestProfileAndTierFigures: the profile and tier prices the compilation
// lists, and the projections it states a rule for, at their figures.
func TestProfileAndTierFigures(t *testing.T) {
	c := Default()
	for _, r := range []struct {
		id, region, tier string
		in, out          float64
		projection       bool
	}{
		{"us.anthropic.claude-sonnet-4-6", "us-east-2", "", 3.30, 16.50, false},
		{"us.amazon.nova-micro-v1:0", "us-east-2", "", 0.035, 0.14, false},
		{"us.amazon.nova-lite-v1:0", "us-east-2", "", 0.06, 0.24, false},
		{"us.amazon.nova-pro-v1:0", "us-east-2", "", 0.80, 3.20, false},
		{"us.amazon.nova-pro-v1:0", "us-east-2", "latency-optimized", 1.00, 4.00, false},
		{"amazon.nova-pro-v1:0", "us-east-2", "latency-optimized", 1.00, 4.00, false},
		{"us.amazon.nova-2-pro-v1:0", "us-east-2", "", 1.375, 11, false},
		{"amazon.nova-2-lite-v1:0", "us-east-2", "priority", 0.5775, 4.8125, false},
		{"amazon.nova-2-lite-v1:0", "us-east-2", "flex", 0.165, 1.375, false},
		{"us.amazon.nova-2-lite-v1:0", "us-east-2", "", 0.33, 2.75, false},
		{"us.amazon.nova-2-lite-v1:0", "us-east-2", "priority", 0.5775, 4.8125, false},
		{"global.amazon.nova-2-lite-v1:0", "us-east-2", "", 0.30, 2.50, false},
		{"global.amazon.nova-2-lite-v1:0", "us-east-2", "priority", 0.525, 4.375, false},
		{"global.amazon.nova-2-lite-v1:0", "us-east-2", "flex", 0.15, 1.25, false},
		{"meta.llama3-1-70b-instruct-v1:0", "us-east-2", "latency-optimized", 0.90, 0.90, false},
		{"mistral.mistral-large-3-675b-instruct", "us-west-2", "priority", 0.875, 2.625, true},
		{"mistral.ministral-3-8b-instruct", "us-east-1", "flex", 0.075, 0.075, true},
		{"us.openai.gpt-5.6-terra", "us-east-1", "", 2.20, 13.20, false},
		{"global.openai.gpt-5.6-luna", "us-east-2", "", 0.20, 1.20, false},
		{"global.openai.gpt-5.6-sol", "us-east-1", "", 4.00, 20.00, false},
	} {
		o, err := c.Lookup(r.id, r.region)
		if err == nil {
			o, err = o.ForTier(r.tier)
		}
		if err != nil {
			t.Error(err)
			continue
		}
		in, out := o.OnDemand.InputPer1M, o.OnDemand.OutputPer1M
		if in.USD != r.in || out.USD != r.out {
			t.Errorf("%s %s %s: %v / %v, want %v / %v", r.id, r.region, r.tier, in.USD, out.USD, r.in, r.out)
		}
		if strings.HasPrefix(in.Source, "projection, not a listed price") != r.projection {
			t.Errorf("%s %s %s: source %q", r.id, r.region, r.tier, in.Source)
		}
	}
	sol, _ := c.Lookup("global.openai.gpt-5.6-sol", "us-east-1")
	if !strings.Contains(sol.OnDemand.InputPer1M.Source, "unverified") {
		t.Errorf("global Sol: %s", sol.OnDemand.InputPer1M.Source)
	}
}

// diffLines is Diff as the lines `pricing diff` prints.
func diffLines(base, over *Catalogue) []string {
	var out []string
	for _, c := range Diff(base, over) {
		out = append(out, c.String())
	}
	return out
}
