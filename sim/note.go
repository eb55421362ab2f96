package sim

import (
	"time"

	"github.com/bedrockplan/bedrockplan/pricing"
)

// Code names a fact the analysis states about a strategy, a term-risk
// row, the optimiser's choice or the analysis as a whole. sim returns
// codes and numbers; reports words them in each language.
type Code string

// Codes of strategies and term-risk rows: what a row buys, or why it
// was not priced.
const (
	// NoteOnDemand: nothing new is bought, every request on-demand; N
	// existing commitments still bill.
	NoteOnDemand Code = "on-demand"
	// NotePTUnavailable: no new PT can serve this traffic; the offer's
	// lifecycle, inference profile or service tier (Offer) says why.
	NotePTUnavailable Code = "pt-unavailable"
	// NoteNoPTPrice: the catalogue has no PT price for Term (for any
	// term when Term is "") for the model and region of Offer.
	NoteNoPTPrice Code = "no-pt-price"
	// NoteThroughputUnknown: the throughput of one MU is unknown.
	NoteThroughputUnknown Code = "mu-throughput-unknown"
	// NoteReservedUnavailable: the model's lifecycle (Offer) closes the
	// Reserved tier to new reservations.
	NoteReservedUnavailable Code = "reserved-unavailable"
	// NoteReservedPriceUnknown: the Reserved price of Term (of every term
	// when Term is "") is unknown. With a Cause, it is why nothing could
	// be sized: the Reserved tier is sold but unpriced, and Cause (with
	// Offer) says why PT cannot be sized either.
	NoteReservedPriceUnknown Code = "reserved-price-unknown"
	// NoteOutlivesEOL: a Product term bought at Start outlives the
	// model's end of life on EOL. Start is zero for the recommendation's
	// own term.
	NoteOutlivesEOL Code = "outlives-eol"
	// NoteNoRecommendation: there is no recommendation to assess.
	NoteNoRecommendation Code = "no-recommendation"
	// NotePeak: MU of Term sized for the busiest interval, nothing
	// on-demand.
	NotePeak Code = "peak"
	// NoteBusinessHours: MU of Term for the business-hours peak, used in
	// the window of Plan (its PTWindows, in its zone), billed around the
	// clock; MU 0 means nothing is bought.
	NoteBusinessHours Code = "business-hours"
	// NotePlan: the row's plan, described (the user's or the
	// optimiser's, Plan set).
	NotePlan Code = "plan"
	// NoteOptimised: the optimiser's plan (Plan set); Cause
	// NoteThrottleLimit when it cannot keep throttling within Limit.
	NoteOptimised Code = "optimised"
	// NoteAlone: the optimiser limited to Product and Term alone bought MU
	// (PT) or the reservation of Plan (Reserved).
	NoteAlone Code = "alone"
	// NoteDoesNotPay: no capacity of Product and Term (any term when "")
	// pays for this traffic at the prices given.
	NoteDoesNotPay Code = "does-not-pay"
	// NoteNoNewCapacity: the optimiser may buy nothing new; Cause is
	// NoteLifecycle, NoteThroughputUnknown (and no Reserved price) or
	// NoteNoPTPrice (no allowed term is offered).
	NoteNoNewCapacity Code = "no-new-capacity"
)

// Codes of the analysis' warnings.
const (
	// NoteLifecycle: the lifecycle of Offer (legacy or end of life).
	NoteLifecycle Code = "lifecycle"
	// NotePlanPTUnavailable: the plan buys PT that cannot serve this
	// traffic (Offer says why, as for NotePTUnavailable).
	NotePlanPTUnavailable Code = "plan-pt-unavailable"
	// NotePTSoldByOverride: the embedded catalogue says AWS sells no PT
	// for Offer's model in its region (Offer.PTNotSold says where), and
	// the PT prices of a --pricing file override that.
	NotePTSoldByOverride Code = "pt-sold-by-override"
	// NoteQuotaRule: the quota rule counts Ratio× CloudWatch's
	// EstimatedTPMQuotaUsage (median over N intervals), more than
	// QuotaTolerance off.
	NoteQuotaRule Code = "quota-rule"
	// NoteThrottleLimit: the throttle limit Limit cannot be met with the
	// capacity allowed.
	NoteThrottleLimit Code = "throttle-limit"
	// NoteShortHistory: Span of history, less than the minimum Min: the
	// recommendation buys no committed capacity.
	NoteShortHistory Code = "short-history"
	// NoteOtherRegion: the traffic ran in Ran and is priced at the
	// prices of the region of Offer.
	NoteOtherRegion Code = "other-region"
)

// Note is a fact and its figures; which fields a code uses is said at
// the code. Notes compare with == (Plan by pointer).
type Note struct {
	Code Code
	// Cause is the code of the fact behind this one, where it has one.
	Cause   Code
	Product pricing.Product
	Term    pricing.Term
	MU      int
	// Start is when a term would start; EOL the model's end of life.
	Start, EOL time.Time
	// Limit is a throttle share; Ratio a ratio over N intervals.
	Limit, Ratio float64
	N            int
	// Span and Min are lengths of history.
	Span, Min time.Duration
	Ran       string // a region
	// Offer holds the facts of the offer the codes about what can be
	// bought say: its model, region, service tier and lifecycle (no
	// prices).
	Offer OfferFacts
	// Plan is the plan a row describes; reports words it. It is not
	// kept in report files: a note read back from one has none.
	Plan *Plan
}

// OfferFacts are what a note says of an offer.
type OfferFacts struct {
	Model, Region, Tier string
	// Lifecycle holds the status and dates, without a source.
	Lifecycle pricing.Lifecycle
	// PTNotSold is where it is written that AWS sells no PT for the
	// model in the region (zero when it does).
	PTNotSold pricing.NotSold
}

// Facts returns what a note says of o.
func Facts(o pricing.Offer) OfferFacts {
	lc := o.Lifecycle
	lc.Source = ""
	f := OfferFacts{Model: o.ModelID, Region: o.Region, Tier: o.Tier, Lifecycle: lc}
	if o.PTNotSold != nil {
		f.PTNotSold = *o.PTNotSold
	}
	return f
}

// Offer returns an offer with these facts and no prices: its sentences
// about lifecycle and what can be bought are those of the offer the
// facts are of.
func (f OfferFacts) Offer() pricing.Offer {
	prefix, _, _ := pricing.ParseProfile(f.Model)
	o := pricing.Offer{ModelID: f.Model, Region: f.Region, Tier: f.Tier, Profile: prefix, Lifecycle: f.Lifecycle}
	if f.PTNotSold != (pricing.NotSold{}) {
		ns := f.PTNotSold
		o.PTNotSold = &ns
	}
	return o
}
