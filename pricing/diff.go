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
			fields := []struct {
				name string
				get  func(*Region) *Price
			}{
				{"on_demand.input_per_1m", func(r *Region) *Price { return odField(r, func(o *OnDemand) *Price { return o.InputPer1M }) }},
				{"on_demand.output_per_1m", func(r *Region) *Price { return odField(r, func(o *OnDemand) *Price { return o.OutputPer1M }) }},
				{"on_demand.cache_read_per_1m", func(r *Region) *Price { return odField(r, func(o *OnDemand) *Price { return o.CacheReadPer1M }) }},
				{"on_demand.cache_write_per_1m", func(r *Region) *Price { return odField(r, func(o *OnDemand) *Price { return o.CacheWritePer1M }) }},
				{"on_demand.cache_write_1h_per_1m", func(r *Region) *Price { return odField(r, func(o *OnDemand) *Price { return o.CacheWrite1hPer1M }) }},
				{"on_demand.batch_input_per_1m", func(r *Region) *Price { return odField(r, func(o *OnDemand) *Price { return o.BatchInputPer1M }) }},
				{"on_demand.batch_output_per_1m", func(r *Region) *Price { return odField(r, func(o *OnDemand) *Price { return o.BatchOutputPer1M }) }},
			}
			for _, tier := range PricedTiers() {
				tier := tier
				tierPrice := func(get func(*TierPrices) *Price) func(*Region) *Price {
					return func(r *Region) *Price {
						if r == nil || r.OnDemand == nil || r.OnDemand.Tiers[tier] == nil {
							return nil
						}
						return get(r.OnDemand.Tiers[tier])
					}
				}
				fields = append(fields, struct {
					name string
					get  func(*Region) *Price
				}{"on_demand.tiers." + tier + ".input_per_1m", tierPrice(func(t *TierPrices) *Price { return t.InputPer1M })}, struct {
					name string
					get  func(*Region) *Price
				}{"on_demand.tiers." + tier + ".output_per_1m", tierPrice(func(t *TierPrices) *Price { return t.OutputPer1M })})
			}
			for _, t := range ProductReserved.Terms() {
				term := t
				fields = append(fields, struct {
					name string
					get  func(*Region) *Price
				}{"reserved." + string(term) + ".input_per_1k_tpm_month", func(r *Region) *Price {
					if p := r.Reserved.Prices(term); p != nil {
						return p.InputPer1KTPMMonth
					}
					return nil
				}}, struct {
					name string
					get  func(*Region) *Price
				}{"reserved." + string(term) + ".output_per_1k_tpm_month", func(r *Region) *Price {
					if p := r.Reserved.Prices(term); p != nil {
						return p.OutputPer1KTPMMonth
					}
					return nil
				}})
			}
			for _, t := range ProductPT.Terms() {
				term := t
				fields = append(fields, struct {
					name string
					get  func(*Region) *Price
				}{"provisioned." + string(term), func(r *Region) *Price { return r.Provisioned[term] }})
			}
			for _, f := range fields {
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

func odField(r *Region, get func(*OnDemand) *Price) *Price {
	if r == nil || r.OnDemand == nil {
		return nil
	}
	return get(r.OnDemand)
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
