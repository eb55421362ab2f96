package sim

import (
	"time"

	"github.com/bedrockplan/bedrockplan/pricing"
)

// Purchase is one line of a purchase order: a commitment the plan buys,
// dated from when it would be bought.
type Purchase struct {
	ModelID, Region string
	// Product is "pt", "reserved-input" or "reserved-output": a
	// reservation is bought as input and output TPM, each with its price.
	Product string
	Term    pricing.Term
	// Quantity is in Unit: MUs for PT (priced per MU-hour), thousands of
	// TPM for the Reserved tier (priced per 1K TPM per month).
	Quantity   float64
	Unit       string
	Start, End time.Time
	UnitPrice  float64 // USD per unit
	// Units is how many units the term holds: hours for PT, months for
	// the Reserved tier.
	Units     float64
	AtTermEnd TermEnd
}

// ContractValue is what the term commits to: quantity × unit price ×
// units in the term, USD.
func (p Purchase) ContractValue() float64 { return p.Quantity * p.UnitPrice * p.Units }

// PurchaseList lists what plan buys as a purchase order starting at
// buyAt: each run of committed PT and each run of reservations once (its
// renewals in the plan are what at_term_end renew does anyway),
// re-dated to buyAt, since a purchase is never dated in the past. The
// existing commitments are owned already, and no-commitment PT is not a
// commitment: neither is listed.
func PurchaseList(p Plan, o pricing.Offer, existing []Commitment, buyAt time.Time) []Purchase {
	owned := map[Commitment]bool{}
	for _, c := range existing {
		owned[c] = true
	}
	buyAt = buyAt.UTC()
	var out []Purchase
	for _, r := range p.ReservedRuns() {
		pin, pout, ok := o.ReservedPrice(r.Term)
		if !ok {
			continue
		}
		end := r.Term.End(buyAt)
		months := float64(r.Term.Months())
		for _, side := range []struct {
			product string
			tpm     float64
			price   float64
		}{{"reserved-input", r.InputTPM, pin}, {"reserved-output", r.OutputTPM, pout}} {
			out = append(out, Purchase{ModelID: p.ModelID, Region: p.Region, Product: side.product, Term: r.Term,
				Quantity: side.tpm / 1000, Unit: pricing.ProductReserved.Unit(), Start: buyAt, End: end,
				UnitPrice: side.price * 1000, Units: months, AtTermEnd: r.AtTermEnd.Or(TermEndRenew)})
		}
	}
	for _, c := range p.CommittedRuns() {
		if owned[c.Commitment] || !c.Term.Committed() {
			continue
		}
		price, ok := o.PT[c.Term]
		if !ok {
			continue
		}
		end := c.Term.End(buyAt)
		out = append(out, Purchase{ModelID: p.ModelID, Region: p.Region, Product: string(pricing.ProductPT), Term: c.Term,
			Quantity: float64(c.ModelUnits), Unit: pricing.ProductPT.Unit(), Start: buyAt, End: end,
			UnitPrice: price.USD, Units: end.Sub(buyAt).Hours(), AtTermEnd: c.AtTermEnd.Or(TermEndRenew)})
	}
	return out
}
