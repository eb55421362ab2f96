package main

import (
	"errors"
	"flag"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/reports"
)

// reservedFlags give Reserved-tier prices on the command line, for the
// common case of one negotiated price pair; a --pricing file gives them
// per term and region.
type reservedFlags struct {
	priceIn, priceOut float64
	terms             string
}

// reservedMinimum is the smallest reservation AWS sells (DESIGN.md §1),
// used when the catalogue has no Reserved entry for the model.
func reservedMinimum() *pricing.ReservedOffer {
	return &pricing.ReservedOffer{MinInputTPM: 100_000, MinOutputTPM: 10_000,
		Source: reports.SourceReservedMinimum, AsOf: "2026-11-26"}
}

func (f *reservedFlags) register(fs *flag.FlagSet) {
	fs.Float64Var(&f.priceIn, "reserved-price-input", 0, "Reserved-tier price per 1K input tokens-per-minute per month, `USD` (agreed with AWS; not published)")
	fs.Float64Var(&f.priceOut, "reserved-price-output", 0, "Reserved-tier price per 1K output tokens-per-minute per month, `USD`")
	fs.StringVar(&f.terms, "reserved-terms", "one_month", "Reserved `TERMS` the prices are for: one_month, three_months, or both")
}

func (f *reservedFlags) check() error {
	for _, v := range []struct {
		name string
		v    float64
	}{{"--reserved-price-input", f.priceIn}, {"--reserved-price-output", f.priceOut}} {
		if math.IsNaN(v.v) || v.v < 0 || v.v > 1e6 {
			return fmt.Errorf("%s %v: want a price in USD per 1K TPM-month, 0 to 1,000,000", v.name, v.v)
		}
	}
	if (f.priceIn > 0) != (f.priceOut > 0) {
		return errors.New("give both --reserved-price-input and --reserved-price-output (the Reserved tier prices input and output TPM separately)")
	}
	_, err := f.termList()
	return err
}

func (f *reservedFlags) termList() ([]pricing.Term, error) {
	var out []pricing.Term
	for _, t := range strings.Split(f.terms, ",") {
		term := pricing.Term(strings.TrimSpace(t))
		if !pricing.ProductReserved.Sells(term) {
			return nil, fmt.Errorf("--reserved-terms: %q is not %s", t, pricing.ProductReserved.TermNames())
		}
		out = append(out, term)
	}
	return out, nil
}

// apply sets the flags' prices on the offer, adding the Reserved tier's
// published minimums when the catalogue has no Reserved entry.
func (f *reservedFlags) apply(o *pricing.Offer, today time.Time) {
	if f.priceIn == 0 {
		return
	}
	if o.Reserved == nil {
		o.Reserved = reservedMinimum()
	} else {
		c := *o.Reserved
		o.Reserved = &c
	}
	date := today.UTC().Format(time.DateOnly)
	terms, _ := f.termList()
	for _, t := range terms {
		p := &pricing.ReservedPrices{
			InputPer1KTPMMonth:  &pricing.Price{USD: f.priceIn, Source: reports.SourceReservedInput, AsOf: date},
			OutputPer1KTPMMonth: &pricing.Price{USD: f.priceOut, Source: reports.SourceReservedOutput, AsOf: date},
		}
		switch t {
		case pricing.TermOneMonth:
			o.Reserved.OneMonth = p
		case pricing.TermThreeMonths:
			o.Reserved.ThreeMonths = p
		}
	}
}
