package pricing

import (
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/bedrockplan/bedrockplan/internal/suggest"
	"github.com/bedrockplan/bedrockplan/internal/yamlfield"
)

//go:embed catalogue.yaml
var embedded []byte

// Default returns the embedded catalogue. It panics only if the embedded
// file is broken, which a test rules out.
func Default() *Catalogue {
	c, err := Parse(bytes.NewReader(embedded), "embedded catalogue")
	if err != nil {
		panic(err)
	}
	return c
}

// Load reads and validates a catalogue file.
func Load(path string) (*Catalogue, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Parse(f, path)
}

// Parse decodes a catalogue strictly (unknown fields are errors) and
// validates it. Errors read "name:line: field.path: problem".
func Parse(r io.Reader, name string) (*Catalogue, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var c Catalogue
	root, err := yamlfield.Decode(data, name, &c)
	if err != nil {
		return nil, err
	}
	if err := c.validate().Err(name, root); err != nil {
		return nil, err
	}
	return &c, nil
}

// Validate checks the catalogue's values. Parse calls it; callers that
// build a catalogue in code can call it too.
func (c *Catalogue) Validate() error { return c.validate().Err("catalogue", nil) }

func (c *Catalogue) validate() yamlfield.Problems {
	var errs yamlfield.Problems
	add := (&errs).Addf
	checkDate := func(p yamlfield.Path, s string, required bool) {
		if s == "" {
			if required {
				add(p, "missing (a date, YYYY-MM-DD)")
			}
			return
		}
		if _, err := time.Parse(time.DateOnly, s); err != nil {
			add(p, "%q is not a date (YYYY-MM-DD)", s)
		}
	}
	checkPrice := func(p yamlfield.Path, pr *Price) {
		if pr == nil {
			return
		}
		if !(pr.USD >= 0) || pr.USD > 1e6 {
			add(p.Field("usd"), "%v is not a price (want 0 ≤ usd ≤ 1,000,000)", pr.USD)
		}
		if strings.TrimSpace(pr.Source) == "" {
			add(p.Field("source"), "missing: every price names its source")
		}
		checkDate(p.Field("as_of"), pr.AsOf, true)
	}
	checkDate(yamlfield.Path{"as_of"}, c.AsOf, false)
	for _, id := range c.ModelIDs() {
		m := c.Models[id]
		mp := yamlfield.Path{"models"}.Key(id)
		if m == nil {
			add(mp, "empty model entry")
			continue
		}
		if l := m.Lifecycle; l != nil {
			switch l.Status {
			case LifecycleActive, LifecycleLegacy, LifecycleEOL:
			default:
				add(mp.Field("lifecycle").Field("status"), "%q is not one of active, legacy, eol", l.Status)
			}
			lp := mp.Field("lifecycle")
			checkDate(lp.Field("legacy"), l.Legacy, false)
			checkDate(lp.Field("public_extended_access"), l.PublicExtendedAccess, false)
			checkDate(lp.Field("eol"), l.EOL, false)
			// The dates, where given, come in the order legacy, public
			// extended access, end of life.
			order := []struct{ name, date string }{{"legacy", l.Legacy}, {"public_extended_access", l.PublicExtendedAccess}, {"eol", l.EOL}}
			for i, a := range order {
				for _, b := range order[i+1:] {
					ta, ea := time.Parse(time.DateOnly, a.date)
					tb, eb := time.Parse(time.DateOnly, b.date)
					if ea == nil && eb == nil && tb.Before(ta) {
						add(lp.Field(b.name), "%s is before %s %s", b.date, strings.ReplaceAll(a.name, "_", " "), a.date)
					}
				}
			}
		}
		for _, rn := range m.RegionNames() {
			r := m.Regions[rn]
			rp := mp.Field("regions").Key(rn)
			if r == nil {
				add(rp, "empty region entry")
				continue
			}
			if od := r.OnDemand; od != nil {
				op := rp.Field("on_demand")
				checkPrice(op.Field("input_per_1m"), od.InputPer1M)
				checkPrice(op.Field("output_per_1m"), od.OutputPer1M)
				checkPrice(op.Field("cache_read_per_1m"), od.CacheReadPer1M)
				checkPrice(op.Field("cache_write_per_1m"), od.CacheWritePer1M)
				checkPrice(op.Field("cache_write_1h_per_1m"), od.CacheWrite1hPer1M)
				checkPrice(op.Field("batch_input_per_1m"), od.BatchInputPer1M)
				checkPrice(op.Field("batch_output_per_1m"), od.BatchOutputPer1M)
				for tier, tp := range od.Tiers {
					tp2 := op.Field("tiers").Key(tier)
					if !slices.Contains(PricedTiers(), tier) {
						add(tp2, "%q is not a priced service tier (priority, flex, latency-optimized)", tier)
						continue
					}
					if tp == nil || tp.InputPer1M == nil || tp.OutputPer1M == nil {
						add(tp2, "give both input_per_1m and output_per_1m")
						continue
					}
					checkPrice(tp2.Field("input_per_1m"), tp.InputPer1M)
					checkPrice(tp2.Field("output_per_1m"), tp.OutputPer1M)
				}
				if f := od.BatchFactor; f != nil {
					if !(f.Value > 0 && f.Value <= 1) {
						add(op.Field("batch_factor").Field("value"), "%v is not a factor in (0, 1]", f.Value)
					}
					if f.Source == "" {
						add(op.Field("batch_factor").Field("source"), "missing: every price names its source")
					}
					checkDate(op.Field("batch_factor").Field("as_of"), f.AsOf, true)
				}
			}
			if ns := r.PTNotSold; ns != nil {
				np := rp.Field("provisioned_not_sold")
				if strings.TrimSpace(ns.Source) == "" {
					add(np.Field("source"), "missing: say where it is written that AWS sells no PT here")
				}
				checkDate(np.Field("as_of"), ns.AsOf, true)
				if len(r.Provisioned) > 0 {
					add(np, "the region also prices PT (provisioned): give one or the other")
				}
			}
			for t, p := range r.Provisioned {
				pp := rp.Field("provisioned").Field(string(t))
				if !ProductPT.Sells(t) {
					add(pp, "%s", unknownTerm(ProductPT, t))
					continue
				}
				checkPrice(pp, p)
			}
			if res := r.Reserved; res != nil {
				p := rp.Field("reserved")
				for name, v := range map[string]float64{"min_input_tpm": res.MinInputTPM, "min_output_tpm": res.MinOutputTPM} {
					if !(v >= 0) || v > 1e12 {
						add(p.Field(name), "%v is not a number of tokens per minute (want 0 to 1e12)", v)
					}
				}
				checkDate(p.Field("as_of"), res.AsOf, false)
				for _, t := range ProductReserved.Terms() {
					rp := res.Prices(t)
					if rp == nil {
						continue
					}
					tp := p.Field(string(t))
					if rp.InputPer1KTPMMonth == nil {
						add(tp.Field("input_per_1k_tpm_month"), "missing: a Reserved term is priced input and output separately (USD per 1K TPM-month)")
					}
					if rp.OutputPer1KTPMMonth == nil {
						add(tp.Field("output_per_1k_tpm_month"), "missing: a Reserved term is priced input and output separately (USD per 1K TPM-month)")
					}
					checkPrice(tp.Field("input_per_1k_tpm_month"), rp.InputPer1KTPMMonth)
					checkPrice(tp.Field("output_per_1k_tpm_month"), rp.OutputPer1KTPMMonth)
				}
			}
			if tp := r.Throughput; tp != nil {
				p := rp.Field("mu_throughput")
				for name, v := range map[string]float64{"input_tpm": tp.InputTPM, "output_tpm": tp.OutputTPM} {
					if !(v >= 0) || v > maxTPM {
						add(p.Field(name), "%v: want 0 to 1e15 tokens per minute", v)
					}
				}
				switch tp.Provenance {
				case ProvenanceUnknown:
				case ProvenanceAssumed, ProvenanceAccountTeam, ProvenanceMeasured:
					if tp.InputTPM == 0 {
						add(p.Field("input_tpm"), "%v: must be > 0 when provenance is %s", tp.InputTPM, tp.Provenance)
					}
					if tp.OutputTPM == 0 {
						add(p.Field("output_tpm"), "%v: must be > 0 when provenance is %s", tp.OutputTPM, tp.Provenance)
					}
					if tp.Source == "" {
						add(p.Field("source"), "missing: say who gave or measured this throughput")
					}
				default:
					add(p.Field("provenance"), "%q is not one of unknown, assumed, account-team, measured", tp.Provenance)
				}
				checkDate(p.Field("as_of"), tp.AsOf, false)
			}
			if q := r.Quotas; q != nil {
				p := rp.Field("quotas")
				for name, v := range map[string]*float64{"rpm": q.RPM, "tpm": q.TPM, "tpd": q.TPD} {
					if v != nil && !(*v > 0) {
						add(p.Field(name), "%v: a quota must be > 0 (leave it out for unlimited)", *v)
					} else if v != nil && *v > maxTPM {
						add(p.Field(name), "%v: at most 1e15 (leave it out for unlimited)", *v)
					}
				}
				if v := q.OutputBurndown; v != nil && !(*v >= 1 && *v <= maxBurndown) {
					add(p.Field("output_burndown"), "%v: burndown must be from 1 to 100 (5 for recent Claude models)", *v)
				}
				checkDate(p.Field("as_of"), q.AsOf, false)
			}
		}
	}
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].Path.String() < errs[j].Path.String() })
	return errs
}

// unknownTerm says that product does not sell term t, with a suggestion.
func unknownTerm(p Product, t Term) string {
	names := make([]string, len(p.Terms()))
	for i, v := range p.Terms() {
		names[i] = string(v)
	}
	if t.Valid() {
		return fmt.Sprintf("%q is not a %s term (terms: %s)", t, p.Label(), p.TermNames())
	}
	if s := suggest.Closest(string(t), names); s != "" && s != string(t) {
		return fmt.Sprintf("unknown term %q (did you mean %q?)", t, s)
	}
	return fmt.Sprintf("unknown term %q (terms: %s)", t, p.TermNames())
}

// Limits of a catalogue's quantities: far above any real value, far
// below where sums overflow; beyond them a value is a slip.
const (
	maxTPM      = 1e15 // MU throughput and quotas, per minute
	maxBurndown = 100  // quota tokens per output token
)

// Merge returns base with over laid on top: every field over sets
// replaces the same field in base; models, regions and terms that over
// does not mention are kept. Neither input is modified.
func Merge(base, over *Catalogue) *Catalogue {
	out := &Catalogue{AsOf: base.AsOf, Models: map[string]*Model{}}
	if over.AsOf != "" {
		out.AsOf = over.AsOf
	}
	for id, m := range base.Models {
		out.Models[id] = cloneModel(m)
	}
	for id, om := range over.Models {
		m, ok := out.Models[id]
		if !ok {
			out.Models[id] = cloneModel(om)
			continue
		}
		if om.Name != "" {
			m.Name = om.Name
		}
		if om.Lifecycle != nil {
			l := *om.Lifecycle
			m.Lifecycle = &l
		}
		for rn, or := range om.Regions {
			r, ok := m.Regions[rn]
			if !ok {
				m.Regions[rn] = cloneRegion(or)
				continue
			}
			mergeRegion(r, or)
		}
	}
	return out
}

func cloneModel(m *Model) *Model {
	c := &Model{Name: m.Name, Regions: map[string]*Region{}}
	if m.Lifecycle != nil {
		l := *m.Lifecycle
		c.Lifecycle = &l
	}
	for rn, r := range m.Regions {
		c.Regions[rn] = cloneRegion(r)
	}
	return c
}

func cloneRegion(r *Region) *Region {
	c := &Region{}
	mergeRegion(c, r)
	return c
}

func mergeRegion(dst, src *Region) {
	if src.OnDemand != nil {
		if dst.OnDemand == nil {
			dst.OnDemand = &OnDemand{}
		}
		d, s := dst.OnDemand, src.OnDemand
		d.InputPer1M = pick(d.InputPer1M, s.InputPer1M)
		d.OutputPer1M = pick(d.OutputPer1M, s.OutputPer1M)
		d.CacheReadPer1M = pick(d.CacheReadPer1M, s.CacheReadPer1M)
		d.CacheWritePer1M = pick(d.CacheWritePer1M, s.CacheWritePer1M)
		d.CacheWrite1hPer1M = pick(d.CacheWrite1hPer1M, s.CacheWrite1hPer1M)
		d.BatchInputPer1M = pick(d.BatchInputPer1M, s.BatchInputPer1M)
		d.BatchOutputPer1M = pick(d.BatchOutputPer1M, s.BatchOutputPer1M)
		d.BatchFactor = pick(d.BatchFactor, s.BatchFactor)
		if len(s.Tiers) > 0 {
			tiers := map[string]*TierPrices{}
			for t, p := range d.Tiers {
				tiers[t] = p
			}
			for t, p := range s.Tiers {
				if p == nil {
					continue
				}
				old := tiers[t]
				if old == nil {
					old = &TierPrices{}
				}
				tiers[t] = &TierPrices{InputPer1M: pick(old.InputPer1M, p.InputPer1M), OutputPer1M: pick(old.OutputPer1M, p.OutputPer1M)}
			}
			d.Tiers = tiers
		}
	}
	// PT priced over a region it is not sold in is sold after all (to
	// this account, say): the prices lift the fact, which is kept as
	// lifted for the report to say so; the fact given over prices
	// replaces them.
	switch {
	case src.PTNotSold != nil:
		dst.PTNotSold, dst.PTSoldByOverride, dst.Provisioned = cloneNotSold(src.PTNotSold), nil, nil
	case len(src.Provisioned) > 0 && dst.PTNotSold != nil:
		dst.PTNotSold, dst.PTSoldByOverride = nil, dst.PTNotSold
	}
	if src.PTSoldByOverride != nil {
		dst.PTSoldByOverride = cloneNotSold(src.PTSoldByOverride)
	}
	if len(src.Provisioned) > 0 && dst.Provisioned == nil {
		dst.Provisioned = map[Term]*Price{}
	}
	for t, p := range src.Provisioned {
		dst.Provisioned[t] = pick(dst.Provisioned[t], p)
	}
	if src.Reserved != nil {
		if dst.Reserved == nil {
			dst.Reserved = &ReservedOffer{}
		}
		d, s := dst.Reserved, src.Reserved
		// Minimums come as a pair with their source.
		if s.MinInputTPM > 0 || s.MinOutputTPM > 0 || s.Source != "" {
			d.MinInputTPM, d.MinOutputTPM, d.Source, d.AsOf = s.MinInputTPM, s.MinOutputTPM, s.Source, s.AsOf
		}
		for _, t := range ProductReserved.Terms() {
			sp := s.Prices(t)
			if sp == nil {
				continue
			}
			dp := d.Prices(t)
			if dp == nil {
				dp = &ReservedPrices{}
			} else {
				c := *dp
				dp = &c
			}
			dp.InputPer1KTPMMonth = pick(dp.InputPer1KTPMMonth, sp.InputPer1KTPMMonth)
			dp.OutputPer1KTPMMonth = pick(dp.OutputPer1KTPMMonth, sp.OutputPer1KTPMMonth)
			d.setPrices(t, dp)
		}
	}
	dst.Throughput = pick(dst.Throughput, src.Throughput)
	if src.Quotas != nil {
		if dst.Quotas == nil {
			dst.Quotas = &Quotas{}
		}
		d, s := dst.Quotas, src.Quotas
		d.RPM = pick(d.RPM, s.RPM)
		d.TPM = pick(d.TPM, s.TPM)
		d.TPD = pick(d.TPD, s.TPD)
		d.OutputBurndown = pick(d.OutputBurndown, s.OutputBurndown)
		if s.Source != "" {
			d.Source, d.AsOf = s.Source, s.AsOf
		}
	}
}

// cloneReserved deep-copies a Reserved offer.
func cloneReserved(r *ReservedOffer) *ReservedOffer {
	dst := &Region{}
	mergeRegion(dst, &Region{Reserved: r})
	return dst.Reserved
}

// pick returns a copy of over when set, else old.
func pick[T any](old, over *T) *T {
	if over == nil {
		return old
	}
	v := *over
	return &v
}
