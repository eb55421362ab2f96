package pricing

import (
	"fmt"
	"strconv"
)

// Diff lists what over changes in base, a line per changed price: model,
// region, field, old and new value. Prices over leaves out are not
// mentioned; prices it adds are shown as new.
func Diff(base, over *Catalogue) []string {
	var out []string
	ids := over.ModelIDs()
	for _, id := range ids {
		om := over.Models[id]
		for _, rn := range om.RegionNames() {
			or := om.Regions[rn]
			var br *Region
			if bm := base.Models[id]; bm != nil {
				br = bm.Regions[rn]
			}
			old := func(get func(*Region) *Price) *Price {
				if br == nil {
					return nil
				}
				return get(br)
			}
			for _, f := range priceFields() {
				n := f.get(or)
				if n == nil {
					continue
				}
				o := old(f.get)
				switch {
				case o == nil:
					out = append(out, fmt.Sprintf("%s %s %s: new $%s", id, rn, f.name, num(n.USD)))
				case o.USD != n.USD:
					out = append(out, fmt.Sprintf("%s %s %s: $%s -> $%s (%+.1f%%)", id, rn, f.name, num(o.USD), num(n.USD), 100*(n.USD-o.USD)/o.USD))
				}
			}
		}
	}
	return out
}

// priceField is one price of a region's entry, by its YAML path.
type priceField struct {
	name string
	get  func(*Region) *Price
}

// priceFields lists every price a region may hold: on-demand, tier,
// Reserved and PT prices.
func priceFields() []priceField {
	od := func(name string, get func(*OnDemand) *Price) priceField {
		return priceField{"on_demand." + name, func(r *Region) *Price { return odField(r, get) }}
	}
	fields := []priceField{
		od("input_per_1m", func(o *OnDemand) *Price { return o.InputPer1M }),
		od("output_per_1m", func(o *OnDemand) *Price { return o.OutputPer1M }),
		od("cache_read_per_1m", func(o *OnDemand) *Price { return o.CacheReadPer1M }),
		od("cache_write_per_1m", func(o *OnDemand) *Price { return o.CacheWritePer1M }),
		od("cache_write_1h_per_1m", func(o *OnDemand) *Price { return o.CacheWrite1hPer1M }),
		od("batch_input_per_1m", func(o *OnDemand) *Price { return o.BatchInputPer1M }),
		od("batch_output_per_1m", func(o *OnDemand) *Price { return o.BatchOutputPer1M }),
	}
	for _, tier := range PricedTiers() {
		tp := func(get func(*TierPrices) *Price) func(*OnDemand) *Price {
			return func(o *OnDemand) *Price {
				if o.Tiers[tier] == nil {
					return nil
				}
				return get(o.Tiers[tier])
			}
		}
		fields = append(fields,
			od("tiers."+tier+".input_per_1m", tp(func(t *TierPrices) *Price { return t.InputPer1M })),
			od("tiers."+tier+".output_per_1m", tp(func(t *TierPrices) *Price { return t.OutputPer1M })))
	}
	for _, term := range ProductReserved.Terms() {
		rp := func(side string, get func(*ReservedPrices) *Price) priceField {
			return priceField{"reserved." + string(term) + "." + side, func(r *Region) *Price {
				if p := r.Reserved.Prices(term); p != nil {
					return get(p)
				}
				return nil
			}}
		}
		fields = append(fields,
			rp("input_per_1k_tpm_month", func(p *ReservedPrices) *Price { return p.InputPer1KTPMMonth }),
			rp("output_per_1k_tpm_month", func(p *ReservedPrices) *Price { return p.OutputPer1KTPMMonth }))
	}
	for _, term := range ProductPT.Terms() {
		fields = append(fields, priceField{"provisioned." + string(term), func(r *Region) *Price { return r.Provisioned[term] }})
	}
	return fields
}

func odField(r *Region, get func(*OnDemand) *Price) *Price {
	if r == nil || r.OnDemand == nil {
		return nil
	}
	return get(r.OnDemand)
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
