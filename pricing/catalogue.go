package pricing

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/bedrockplan/bedrockplan/internal/suggest"
)

// Term is a commitment term of a capacity product.
type Term string

// The commitment terms Bedrock sells: PT has none, one_month and
// six_months; the Reserved tier one_month and three_months.
const (
	TermNone        Term = "none"         // no commitment: billed per hour it exists, deletable any time
	TermOneMonth    Term = "one_month"    // committed for one calendar month
	TermThreeMonths Term = "three_months" // committed for three calendar months
	TermSixMonths   Term = "six_months"   // committed for six calendar months
)

// Terms lists every term of every product, shortest first.
var Terms = []Term{TermNone, TermOneMonth, TermThreeMonths, TermSixMonths}

// Committed reports whether the term binds the buyer for a fixed period.
func (t Term) Committed() bool {
	return t == TermOneMonth || t == TermThreeMonths || t == TermSixMonths
}

// Months is the term's length in calendar months (0 for TermNone).
func (t Term) Months() int {
	switch t {
	case TermOneMonth:
		return 1
	case TermThreeMonths:
		return 3
	case TermSixMonths:
		return 6
	}
	return 0
}

// Product is a priced kind of committed capacity. Each product has its
// own terms, its own unit of quantity and its own billing rule (sim's
// timeline); a new kind is a new Product, its offer in Region and Offer,
// and a layer in sim (README: "Adding a kind of capacity").
type Product string

// The capacity products Bedrock sells.
const (
	// ProductPT is Provisioned Throughput: model units of a fixed but
	// unpublished throughput, priced per MU-hour.
	ProductPT Product = "pt"
	// ProductReserved is the Reserved tier: input and output tokens per
	// minute bought separately, priced per 1K TPM per month.
	ProductReserved Product = "reserved"
)

// Terms lists the product's terms, shortest first.
func (p Product) Terms() []Term {
	if p == ProductReserved {
		return []Term{TermOneMonth, TermThreeMonths}
	}
	return []Term{TermNone, TermOneMonth, TermSixMonths}
}

// Sells reports whether the product is sold for term t.
func (p Product) Sells(t Term) bool {
	for _, v := range p.Terms() {
		if v == t {
			return true
		}
	}
	return false
}

// TermNames lists the product's terms as a sentence fragment for
// messages: "none, one_month or six_months".
func (p Product) TermNames() string {
	ts := p.Terms()
	s := string(ts[0])
	for i, t := range ts[1:] {
		if i == len(ts)-2 {
			s += " or " + string(t)
		} else {
			s += ", " + string(t)
		}
	}
	return s
}

// Label names the product for people: "PT", "Reserved".
func (p Product) Label() string {
	if p == ProductReserved {
		return "Reserved"
	}
	return "PT"
}

// Unit is the unit a product's quantity is bought and priced in, as
// purchase lists print it.
func (p Product) Unit() string {
	if p == ProductReserved {
		return "1K-TPM-month"
	}
	return "MU-hour"
}

// End returns when a commitment of this term that starts at start expires.
// Terms are calendar months in UTC, as Bedrock reports
// commitmentExpirationTime. For TermNone it returns start.
func (t Term) End(start time.Time) time.Time {
	if m := t.Months(); m > 0 {
		return start.UTC().AddDate(0, m, 0)
	}
	return start
}

// Label names the term for people: "6-month", "3-month", "1-month",
// "no-commit".
func (t Term) Label() string {
	if m := t.Months(); m > 0 {
		return fmt.Sprintf("%d-month", m)
	}
	if t == TermNone {
		return "no-commit"
	}
	return string(t)
}

// Valid reports whether t is one of Terms.
func (t Term) Valid() bool {
	for _, v := range Terms {
		if v == t {
			return true
		}
	}
	return false
}

// Provenance says where an MU throughput figure came from.
type Provenance string

// Provenances of MU throughput. AWS does not publish the throughput of a
// model unit, so the embedded catalogue says ProvenanceUnknown.
const (
	ProvenanceUnknown     Provenance = "unknown"
	ProvenanceAssumed     Provenance = "assumed"
	ProvenanceAccountTeam Provenance = "account-team"
	ProvenanceMeasured    Provenance = "measured"
)

// Lifecycle statuses of a model.
const (
	LifecycleActive = "active"
	LifecycleLegacy = "legacy"
	LifecycleEOL    = "eol"
)

// Price is a dollar amount with the place it was read from and the date it
// was checked (YYYY-MM-DD).
type Price struct {
	USD    float64 `yaml:"usd"`
	Source string  `yaml:"source"`
	AsOf   string  `yaml:"as_of"`
}

// Factor is a dimensionless multiplier with its source.
type Factor struct {
	Value  float64 `yaml:"value"`
	Source string  `yaml:"source"`
	AsOf   string  `yaml:"as_of"`
}

// OnDemand holds per-token prices, in dollars per million tokens.
//
// CacheWritePer1M is the price of a prompt-cache write with the default
// 5-minute TTL; CacheWrite1hPer1M the price of a write with the 1-hour TTL
// (Claude: about 1.25x and 2x the input price). Batch inference is priced
// per token where the price is public (BatchInputPer1M, BatchOutputPer1M);
// BatchFactor, the older form, is one ratio to the on-demand price and is
// what the Price List import still writes.
type OnDemand struct {
	InputPer1M        *Price  `yaml:"input_per_1m"`
	OutputPer1M       *Price  `yaml:"output_per_1m"`
	CacheReadPer1M    *Price  `yaml:"cache_read_per_1m,omitempty"`
	CacheWritePer1M   *Price  `yaml:"cache_write_per_1m,omitempty"`
	CacheWrite1hPer1M *Price  `yaml:"cache_write_1h_per_1m,omitempty"`
	BatchInputPer1M   *Price  `yaml:"batch_input_per_1m,omitempty"`
	BatchOutputPer1M  *Price  `yaml:"batch_output_per_1m,omitempty"`
	BatchFactor       *Factor `yaml:"batch_factor,omitempty"`
	// Tiers holds the per-token prices of the service tiers other than
	// Standard (priority, flex, latency-optimized), where the model
	// offers them.
	Tiers map[string]*TierPrices `yaml:"tiers,omitempty"`
}

// TierPrices are one service tier's per-token prices, per million tokens.
type TierPrices struct {
	InputPer1M  *Price `yaml:"input_per_1m"`
	OutputPer1M *Price `yaml:"output_per_1m"`
}

// PricedTiers are the service tiers a catalogue may price beside
// Standard (the on-demand prices themselves).
func PricedTiers() []string { return []string{"priority", "flex", "latency-optimized"} }

// BatchPrices returns the batch prices per million tokens, from the
// per-token batch prices or, failing those, the batch factor; ok is
// false when the catalogue has neither.
func (od OnDemand) BatchPrices() (in, out float64, source string, ok bool) {
	switch {
	case od.BatchInputPer1M != nil && od.BatchOutputPer1M != nil:
		return od.BatchInputPer1M.USD, od.BatchOutputPer1M.USD, od.BatchInputPer1M.Source, true
	case od.BatchFactor != nil && od.InputPer1M != nil && od.OutputPer1M != nil:
		f := od.BatchFactor.Value
		return f * od.InputPer1M.USD, f * od.OutputPer1M.USD, od.BatchFactor.Source, true
	}
	return 0, 0, "", false
}

// ForTier returns the offer that prices traffic of a service tier: the
// tier's per-token prices in place of Standard's. The Reserved tier and
// PT serve Standard traffic only, so a tier's offer has neither. An
// empty tier, "standard" and "reserved" (traffic CloudWatch shows as
// served by a reservation, whose overflow is Standard) keep the offer.
func (o Offer) ForTier(tier string) (Offer, error) {
	if tier == "" || tier == "standard" || tier == "reserved" {
		return o, nil
	}
	tp := o.OnDemand.Tiers[tier]
	if tp == nil || tp.InputPer1M == nil || tp.OutputPer1M == nil {
		return o, fmt.Errorf("the catalogue has no %s-tier prices for %s in %s: give them with --pricing FILE (on_demand.tiers.%s.input_per_1m and output_per_1m)", tier, o.ModelID, o.Region, tier)
	}
	t := o
	t.Standard = o.OnDemand
	t.OnDemand.InputPer1M, t.OnDemand.OutputPer1M = tp.InputPer1M, tp.OutputPer1M
	t.Tier = tier
	t.PT, t.Reserved = map[Term]Price{}, nil
	return t, nil
}

// Throughput is what one model unit carries, in tokens per minute. Input
// and output limits apply separately.
type Throughput struct {
	InputTPM   float64    `yaml:"input_tpm"`
	OutputTPM  float64    `yaml:"output_tpm"`
	Provenance Provenance `yaml:"provenance"`
	Source     string     `yaml:"source,omitempty"`
	AsOf       string     `yaml:"as_of,omitempty"`
	SampleSize int        `yaml:"sample_size,omitempty"`
}

// Known reports whether the throughput can be used to size PT.
func (t *Throughput) Known() bool {
	return t != nil && t.Provenance != ProvenanceUnknown && t.InputTPM > 0 && t.OutputTPM > 0
}

// Quotas are the on-demand limits of one model in one region. A nil limit
// is unlimited. OutputBurndown is how many quota tokens one output token
// uses (5 for Claude 3.7 Sonnet and later Claude models); 0 means 1.
type Quotas struct {
	RPM *float64 `yaml:"rpm,omitempty"`
	TPM *float64 `yaml:"tpm,omitempty"`
	// TPD is the tokens-per-day quota (Bedrock's default is TPM × 1,440,
	// which never binds before the TPM quota; an account may have less).
	// Days are UTC days.
	TPD            *float64 `yaml:"tpd,omitempty"`
	OutputBurndown *float64 `yaml:"output_burndown,omitempty"`
	Source         string   `yaml:"source,omitempty"`
	AsOf           string   `yaml:"as_of,omitempty"`
}

// Lifecycle is a model's support status. The dates are YYYY-MM-DD, or
// empty when not recorded: Legacy when the model entered (or enters) the
// legacy state, PublicExtendedAccess when the part of the legacy period
// begins in which the provider may charge more (ListFoundationModels'
// publicExtendedAccessTime), EOL when requests start to fail.
type Lifecycle struct {
	Status               string `yaml:"status"`
	Legacy               string `yaml:"legacy,omitempty"`
	PublicExtendedAccess string `yaml:"public_extended_access,omitempty"`
	EOL                  string `yaml:"eol,omitempty"`
	Source               string `yaml:"source,omitempty"`
}

// ReservedPrices are the Reserved tier's prices for one term, in dollars
// per 1,000 tokens per minute per month, input and output separately.
type ReservedPrices struct {
	InputPer1KTPMMonth  *Price `yaml:"input_per_1k_tpm_month"`
	OutputPer1KTPMMonth *Price `yaml:"output_per_1k_tpm_month"`
}

// ReservedOffer is the Reserved tier for one model in one region: the
// smallest reservation sold and the prices per term. AWS does not publish
// the prices (they are agreed with the account team), so an offer may
// state the minimums alone: the planner then reports the break-even
// price instead of a recommendation.
type ReservedOffer struct {
	MinInputTPM  float64         `yaml:"min_input_tpm"`
	MinOutputTPM float64         `yaml:"min_output_tpm"`
	Source       string          `yaml:"source,omitempty"`
	AsOf         string          `yaml:"as_of,omitempty"`
	OneMonth     *ReservedPrices `yaml:"one_month,omitempty"`
	ThreeMonths  *ReservedPrices `yaml:"three_months,omitempty"`
}

// Prices returns the term's prices, or nil when the term is not priced.
func (r *ReservedOffer) Prices(t Term) *ReservedPrices {
	if r == nil {
		return nil
	}
	switch t {
	case TermOneMonth:
		return r.OneMonth
	case TermThreeMonths:
		return r.ThreeMonths
	}
	return nil
}

// setPrices sets the term's prices (a term the Reserved tier does not
// sell is ignored).
func (r *ReservedOffer) setPrices(t Term, p *ReservedPrices) {
	switch t {
	case TermOneMonth:
		r.OneMonth = p
	case TermThreeMonths:
		r.ThreeMonths = p
	}
}

// Region is what a model costs and carries in one AWS region.
type Region struct {
	OnDemand    *OnDemand       `yaml:"on_demand,omitempty"`
	Provisioned map[Term]*Price `yaml:"provisioned,omitempty"`
	// PTNotSold, when set, says AWS sells no PT for the model in the
	// region: no PT is sized, and no PT price is asked for.
	PTNotSold *NotSold `yaml:"provisioned_not_sold,omitempty"`
	// PTSoldByOverride is the PTNotSold an override's PT prices lifted
	// (Merge): not a catalogue fact, so not written.
	PTSoldByOverride *NotSold       `yaml:"-"`
	Reserved         *ReservedOffer `yaml:"reserved,omitempty"`
	Throughput       *Throughput    `yaml:"mu_throughput,omitempty"`
	Quotas           *Quotas        `yaml:"quotas,omitempty"`
}

// NotSold is the fact that AWS does not sell a product for a model in a
// region, with where it is written and when it was read. It is not a
// missing price: AWS sells PT for models whose PT prices it does not
// publish, and a report says "give the price" for those, where for these
// it says there is nothing to buy.
type NotSold struct {
	Source string `yaml:"source"`
	AsOf   string `yaml:"as_of"`
}

// cloneNotSold copies a NotSold (nil stays nil).
func cloneNotSold(n *NotSold) *NotSold {
	if n == nil {
		return nil
	}
	c := *n
	return &c
}

// Model is one Bedrock model: its lifecycle and its offers per region.
type Model struct {
	Name      string             `yaml:"name,omitempty"`
	Lifecycle *Lifecycle         `yaml:"lifecycle,omitempty"`
	Regions   map[string]*Region `yaml:"regions"`
}

// Catalogue is a set of models keyed by Bedrock model id.
type Catalogue struct {
	AsOf   string            `yaml:"as_of"`
	Models map[string]*Model `yaml:"models"`
}

// ModelIDs returns the catalogue's model ids, sorted.
func (c *Catalogue) ModelIDs() []string {
	ids := make([]string, 0, len(c.Models))
	for id := range c.Models {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// RegionNames lists the model's regions, sorted.
func (m *Model) RegionNames() []string {
	regions := make([]string, 0, len(m.Regions))
	for r := range m.Regions {
		regions = append(regions, r)
	}
	sort.Strings(regions)
	return regions
}

// Offer is everything the planner needs about one model in one region,
// resolved from the catalogue. Prices are in dollars; PT prices per MU-hour.
type Offer struct {
	ModelID   string
	Region    string
	Name      string
	Lifecycle Lifecycle
	OnDemand  OnDemand
	// PT holds the hourly price per MU for each term that is offered.
	PT map[Term]Price
	// Reserved is the Reserved-tier offer, nil when the model has none.
	Reserved *ReservedOffer
	// PTNotSold is set when AWS sells no PT for the model in the region.
	PTNotSold *NotSold
	// PTSoldByOverride is the PTNotSold a --pricing file's PT prices
	// lifted, for the report to say so.
	PTSoldByOverride *NotSold
	// Profile is the inference-profile prefix ("us", "global", …) when
	// ModelID is an inference profile, "" for a model in a region.
	Profile string
	// Tier is the service tier the offer prices, "" for Standard; for
	// another tier, Standard holds the Standard prices it replaced.
	Tier       string
	Standard   OnDemand
	Throughput Throughput
	Quotas     Quotas
}

// ReservedPrice is one Reserved term's prices in dollars per TPM-month
// (input, output), and whether the term is priced.
func (o Offer) ReservedPrice(t Term) (in, out float64, ok bool) {
	p := o.Reserved.Prices(t)
	if p == nil || p.InputPer1KTPMMonth == nil || p.OutputPer1KTPMMonth == nil {
		return 0, 0, false
	}
	return p.InputPer1KTPMMonth.USD / 1000, p.OutputPer1KTPMMonth.USD / 1000, true
}

// ReservedTerms lists the Reserved terms the offer prices, shortest first.
func (o Offer) ReservedTerms() []Term {
	var out []Term
	for _, t := range ProductReserved.Terms() {
		if _, _, ok := o.ReservedPrice(t); ok {
			out = append(out, t)
		}
	}
	return out
}

// CanBuy reports whether new capacity of the product can be bought for
// the model: legacy and end-of-life models accept no new purchases of
// either kind.
func (o Offer) CanBuy(p Product) bool {
	if p == ProductReserved {
		// The Reserved tier is sold through inference profiles too.
		return o.Reserved != nil && o.lifecycleOpen()
	}
	return o.CanBuyPT()
}

// Lookup resolves a model in a region. Unknown models and regions are
// errors that list what is known, with a suggestion when a close match
// exists.
func (c *Catalogue) Lookup(modelID, region string) (Offer, error) {
	m, ok := c.Models[modelID]
	prefix, base, isProfile := ParseProfile(modelID)
	if !ok && isProfile {
		return Offer{}, c.unknownProfile(modelID, base, region)
	}
	if !ok {
		return Offer{}, c.unknownModel(modelID, region)
	}
	regions := m.RegionNames()
	if region == "" && len(regions) == 1 {
		region = regions[0]
	}
	r, ok := m.Regions[region]
	if !ok {
		return Offer{}, missingRegion(modelID, region, regions, m.bestPricedRegion())
	}
	o := Offer{ModelID: modelID, Region: region, Name: m.Name, PT: map[Term]Price{}, Profile: prefix}
	o.Lifecycle = Lifecycle{Status: LifecycleActive}
	if bm, ok := c.Models[base]; isProfile && ok && bm.Lifecycle != nil {
		// A profile serves its model: the model's lifecycle is its own.
		o.Lifecycle = *bm.Lifecycle
	}
	if m.Lifecycle != nil {
		o.Lifecycle = *m.Lifecycle
	}
	if r.OnDemand != nil {
		o.OnDemand = *r.OnDemand
	}
	for t, p := range r.Provisioned {
		if p != nil {
			o.PT[t] = *p
		}
	}
	if r.Reserved != nil {
		o.Reserved = cloneReserved(r.Reserved)
	}
	o.PTNotSold, o.PTSoldByOverride = cloneNotSold(r.PTNotSold), cloneNotSold(r.PTSoldByOverride)
	o.Throughput = Throughput{Provenance: ProvenanceUnknown}
	if r.Throughput != nil {
		o.Throughput = *r.Throughput
	}
	if r.Quotas != nil {
		o.Quotas = *r.Quotas
	}
	return o, nil
}

// missingRegion is Lookup's error for a model the catalogue prices, but
// not in region: it names what is missing (the region's prices) and the
// two ways to give them, a --pricing entry of the shape the catalogue
// wants or a region the catalogue has.
func missingRegion(modelID, region string, regions []string, suggest string) error {
	if region == "" {
		return fmt.Errorf("the catalogue prices %s in %s, and no region is named (the metrics carry none): choose the one whose prices apply with --region", modelID, strings.Join(regions, ", "))
	}
	return fmt.Errorf("the catalogue has no prices for %s in %s (it has them for %s). Give them with --pricing FILE, "+
		"for example (USD per million tokens and per MU-hour, with where you read them and when):\n"+
		"models:\n  %s:\n    regions:\n      %s:\n        on_demand:\n"+
		"          input_per_1m: {usd: 0.00, source: \"aws.amazon.com/bedrock/pricing\", as_of: YYYY-MM-DD}\n"+
		"          output_per_1m: {usd: 0.00, source: \"aws.amazon.com/bedrock/pricing\", as_of: YYYY-MM-DD}\n"+
		"        provisioned:\n"+
		"          six_months: {usd: 0.00, source: \"account team\", as_of: YYYY-MM-DD}\n"+
		"or price this traffic at the prices of a region that has them: --region %s",
		modelID, region, strings.Join(regions, ", "), yamlKey(modelID), region, suggest)
}

// bestPricedRegion is the region to suggest for a model's traffic when
// the catalogue lacks the one it ran in: the first with the most PT
// prices, since a region without them can recommend no PT.
func (m *Model) bestPricedRegion() string {
	best, n := "", -1
	for _, rn := range m.RegionNames() {
		if r := m.Regions[rn]; r != nil && len(r.Provisioned) > n {
			best, n = rn, len(r.Provisioned)
		}
	}
	return best
}

// MissingPTPrice says that the catalogue has no PT price for term (for
// any term when term is "") for the offer's model in its region, and how
// to give one: the --pricing entry, or a region that has it. A price the
// catalogue lacks is not a term AWS does not sell: PT prices of many
// current models are simply not public.
func (o Offer) MissingPTPrice(term Term) string {
	what, it, key := "PT prices", "them", "provisioned: {none: …, one_month: …, six_months: …}"
	if term != "" {
		what, it, key = "price for "+term.Label()+" PT", "it", "provisioned: "+string(term)+": {usd: …, source: …, as_of: …}"
	}
	if ns := o.PTNotSold; ns != nil {
		// A plan or a commitment held: the account may have what the
		// catalogue says AWS does not sell.
		return fmt.Sprintf("the catalogue says AWS sells no PT for %s in %s (source: %s, %s); if your account holds it there, give its %s with --pricing FILE, as models: %s: regions: %s: %s",
			o.ModelID, o.Region, ns.Source, ns.AsOf, what, yamlKey(o.ModelID), o.Region, key)
	}
	// No brackets around the entry: it holds braces of its own, and the
	// sentence is often quoted in parentheses.
	return fmt.Sprintf("the catalogue has no %s for %s in %s: give %s with --pricing FILE, as models: %s: regions: %s: %s, "+
		"or choose a region that has %s with --region; bedrockplan pricing show %s lists the regions",
		what, o.ModelID, o.Region, it, yamlKey(o.ModelID), o.Region, key, it, o.ModelID)
}

// unknownModel is Lookup's error for a model the catalogue lacks: the
// closest id when there is one, and what to pass to plan for the model
// anyway: a --pricing file with a minimal entry, which `pricing show` of
// a similar model fills out.
func (c *Catalogue) unknownModel(modelID, region string) error {
	msg := fmt.Sprintf("unknown model %q", modelID)
	similar := "MODEL` of a similar model"
	if s := suggest.Closest(modelID, c.ModelIDs()); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
		similar = s + "`"
	}
	if region == "" {
		region = "REGION"
	}
	return fmt.Errorf("%s; `bedrockplan pricing list` shows the catalogue. To plan for a model it lacks, add the model with --pricing FILE, "+
		"for example (prices in USD per million tokens, with where you read them and when):\n"+
		"models:\n  %s:\n    lifecycle: {status: active}\n    regions:\n      %s:\n        on_demand:\n"+
		"          input_per_1m: {usd: 0.00, source: \"aws.amazon.com/bedrock/pricing\", as_of: YYYY-MM-DD}\n"+
		"          output_per_1m: {usd: 0.00, source: \"aws.amazon.com/bedrock/pricing\", as_of: YYYY-MM-DD}\n"+
		"`bedrockplan pricing show %s prints a complete entry (cache, batch, PT, quotas) to copy from",
		msg, yamlKey(modelID), region, similar)
}

// YAMLKey quotes a model id for a YAML mapping key, as the messages
// that say what to write in a --pricing file do.
func YAMLKey(s string) string { return yamlKey(s) }

// yamlKey quotes a model id for a YAML mapping key when it needs it (ids
// such as "meta.llama3-1-8b-instruct-v1:0" are plain; ": " or a leading
// special character are not).
func yamlKey(s string) string {
	if s == "" || strings.ContainsAny(s, " #\"'{}[],&*!|>%@`") || strings.Contains(s, ": ") || strings.HasSuffix(s, ":") {
		return strconv.Quote(s)
	}
	return s
}

// Burndown returns the output-token quota burndown factor (1 when unset).
func (q Quotas) Burndown() float64 {
	if q.OutputBurndown == nil || *q.OutputBurndown == 0 {
		return 1
	}
	return *q.OutputBurndown
}

// CanBuyPT reports whether new Provisioned Throughput can serve this
// traffic: legacy and end-of-life models accept no new purchases, PT is
// bought for a model in a region, never through an inference profile,
// and AWS sells it for some models in some regions only.
func (o Offer) CanBuyPT() bool {
	return o.lifecycleOpen() && o.Profile == "" && o.Tier == "" && o.PTNotSold == nil
}

// Retiring reports whether the model is legacy or past its end of life:
// LifecycleWarning then says so.
func (o Offer) Retiring() bool {
	return o.Lifecycle.Status == LifecycleEOL || o.Lifecycle.Status == LifecycleLegacy
}

// PTUnavailable says why no new PT can serve this traffic, or "" when
// it can.
func (o Offer) PTUnavailable() string {
	switch {
	case !o.lifecycleOpen():
		return "no new PT can be bought: " + o.LifecycleWarning()
	case o.Profile != "":
		return fmt.Sprintf("PT cannot serve traffic sent through the inference profile %s: it is bought for a model in a region", o.ModelID)
	case o.Tier != "":
		return fmt.Sprintf("this traffic ran on the %s tier, priced per token; PT and the Reserved tier serve Standard traffic", o.Tier)
	case o.PTNotSold != nil:
		return fmt.Sprintf("AWS sells no PT for %s in %s (source: %s, %s)", o.ModelID, o.Region, o.PTNotSold.Source, o.PTNotSold.AsOf)
	}
	return ""
}

// lifecycleOpen reports whether the model accepts new commitments.
func (o Offer) lifecycleOpen() bool {
	return o.Lifecycle.Status == "" || o.Lifecycle.Status == LifecycleActive
}

// LifecycleWarning returns a sentence about the model's lifecycle, or ""
// for an active model.
func (o Offer) LifecycleWarning() string {
	switch o.Lifecycle.Status {
	case LifecycleEOL:
		when := "is past end of life"
		if o.Lifecycle.EOL != "" {
			when = "reached end of life on " + o.Lifecycle.EOL
		}
		return fmt.Sprintf("%s %s: no new Provisioned Throughput can be bought for it and its traffic must move to a newer model", o.ModelID, when)
	case LifecycleLegacy:
		s := fmt.Sprintf("%s is a legacy model: no new Provisioned Throughput can be bought for it", o.ModelID)
		if o.Lifecycle.PublicExtendedAccess != "" {
			s += "; public extended access (the provider may raise prices) from " + o.Lifecycle.PublicExtendedAccess
		}
		if o.Lifecycle.EOL != "" {
			s += "; end of life " + o.Lifecycle.EOL
		}
		return s
	}
	return ""
}

// Catalogue returns a catalogue holding only this offer, the inverse of
// Lookup: a report folder keeps the prices it used in this form, which
// --pricing reads back.
func (o Offer) Catalogue(asOf string) *Catalogue {
	od := o.OnDemand
	tp := o.Throughput
	q := o.Quotas
	lc := o.Lifecycle
	r := &Region{OnDemand: &od, Provisioned: map[Term]*Price{}, Throughput: &tp}
	for t, p := range o.PT {
		r.Provisioned[t] = &p
	}
	if q != (Quotas{}) {
		r.Quotas = &q
	}
	if o.Reserved != nil {
		r.Reserved = cloneReserved(o.Reserved)
	}
	r.PTNotSold = cloneNotSold(o.PTNotSold)
	return &Catalogue{AsOf: asOf, Models: map[string]*Model{o.ModelID: {Name: o.Name, Lifecycle: &lc, Regions: map[string]*Region{o.Region: r}}}}
}
