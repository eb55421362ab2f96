package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/bedrockplan/bedrockplan/internal/suggest"
	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/reports"
	"github.com/bedrockplan/bedrockplan/sim"
	"github.com/bedrockplan/bedrockplan/workload"
)

// planFlags are the inputs simulate and recommend share.
type planFlags struct {
	metrics, pricing, model, region, out, gaps, demand string
	terms, maxThrottle, existing, burst, migration     string
	accountQuotas, lang, font                          string
	scenarios                                          int
	schedule                                           bool
	minMU, maxMU                                       int
	muInput, muOutput, quotaRPM, quotaTPM, burndown    float64
	seed                                               uint64
	force                                              bool
	reserved                                           reservedFlags
	atTermEnd, flexShare, batchShare, buyAt            string
	minHistory                                         string
	quotaTPD                                           float64
	workers                                            int
	intervals                                          string
}

func (p *planFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&p.metrics, "metrics", "", "metrics CSV `FILE` to replay (required)")
	fs.StringVar(&p.out, "out", "", "report folder `DIR` to write (required; refused if not empty, unless --force)")
	fs.StringVar(&p.pricing, "pricing", "", "YAML catalogue `FILE` merged over the embedded one (prices.yaml, lifecycle.yaml, calibration.yaml)")
	fs.StringVar(&p.lang, "lang", "en", langUsage)
	fs.StringVar(&p.font, "font", "", fontUsage)
	fs.StringVar(&p.accountQuotas, "account-quotas", "", "quotas.yaml `FILE` from bedrockplan account: the account's applied on-demand quotas")
	fs.StringVar(&p.model, "model", "", "model `ID`, when the metrics hold several")
	fs.StringVar(&p.region, "region", "", "AWS `REGION` whose prices apply (default: the metrics' region, else the model's only one); it also selects the traffic when the metrics hold several regions")
	fs.Float64Var(&p.muInput, "mu-input-tpm", 0, "input tokens per minute one model unit carries, `TPM` (AWS does not publish it)")
	fs.Float64Var(&p.muOutput, "mu-output-tpm", 0, "output tokens per minute one model unit carries, `TPM`")
	fs.Float64Var(&p.quotaRPM, "quota-rpm", 0, "on-demand requests-per-minute quota, `RPM` (default: catalogue, else unlimited)")
	fs.Float64Var(&p.quotaTPM, "quota-tpm", 0, "on-demand tokens-per-minute quota, `TPM` (default: catalogue, else unlimited)")
	fs.Float64Var(&p.quotaTPD, "quota-tpd", 0, "on-demand tokens-per-day quota, `TPD`, per UTC day (default: catalogue, else none)")
	fs.Float64Var(&p.burndown, "burndown", 0, "quota tokens each output token uses, a `FACTOR` (default: catalogue, else 1)")
	fs.StringVar(&p.gaps, "gaps", string(workload.GapsZero), "`POLICY` for missing intervals: zero (no traffic, as CloudWatch omits idle points), interpolate, or error")
	fs.StringVar(&p.demand, "demand", "observed", "`DEMAND` to plan for: observed (what was served), or unconstrained (throttled requests added back: they are missing from Invocations)")
	fs.StringVar(&p.terms, "terms", "none,one_month,three_months,six_months", "`TERMS` the recommendation may buy, comma-separated: PT none, one_month, six_months; Reserved one_month, three_months")
	p.reserved.register(fs)
	fs.StringVar(&p.flexShare, "flex-share", "0", "what-if: the `SHARE` of Standard traffic that could run on the Flex tier (best effort), e.g. 30%; priced beside the plan, never moved by it")
	fs.StringVar(&p.batchShare, "batch-share", "0", "what-if: the `SHARE` of Standard traffic that could run as batch jobs (within 24 hours), e.g. 0.2")
	fs.StringVar(&p.minHistory, "min-history", "14d", "least history from which a commitment is recommended, a `DURATION` such as 14d or 72h (0: no guard); with less, only no-commitment PT")
	fs.StringVar(&p.buyAt, "buy-at", "", "when the plan's commitments would be bought, an RFC 3339 `TIME` (the start of each line of commitments.csv; default: the next whole hour; never in the past)")
	fs.StringVar(&p.atTermEnd, "at-term-end", "renew", "what happens to the commitments the plans buy when their terms end, the `ACTION`: renew (Bedrock bills until they are deleted) or delete")
	fs.BoolVar(&p.schedule, "schedule", true, "allow scheduled no-commitment PT by hour of the week (--schedule=false: committed PT only)")
	fs.IntVar(&p.minMU, "min-mu", 0, "fewest new committed model units, `N` (at most 10,000)")
	fs.IntVar(&p.maxMU, "max-mu", 0, "most new model units in service at any time, `N` (0: no limit but 10,000)")
	fs.StringVar(&p.maxThrottle, "max-throttle", "0", "largest `SHARE` of requests that may be throttled, e.g. 0, 0.5% or 0.005")
	fs.StringVar(&p.burst, "burst", "auto", "`BURST` model of the peaks inside intervals coarser than a minute: auto (measured from finer data in --metrics, else a stated default), none, or a peak-minute-to-mean ratio such as 1.8")
	fs.StringVar(&p.existing, "existing", "", "plan `FILE` whose committed blocks are existing commitments: billed, carrying traffic, not reducible")
	fs.IntVar(&p.scenarios, "scenarios", defaultScenarios, "`N` Monte Carlo scenarios of the next six months for the commitment-term risk (0: skip it)")
	fs.StringVar(&p.migration, "migration-risk", "0", "`PROBABILITY` that the traffic moves to another model within six months, e.g. 0.2 or 20%")
	fs.Uint64Var(&p.seed, "seed", 1, "random `SEED` of the Monte Carlo (same seed, same report)")
	fs.BoolVar(&p.force, "force", false, "replace a non-empty --out folder")
	fs.IntVar(&p.workers, "workers", 0, "`N` series planned at once when the metrics hold several (0: one per CPU core); the results do not depend on it")
	fs.StringVar(&p.intervals, "intervals", "full", "`MODE`: how intervals.csv is written: full (every interval; gzip-compressed as intervals.csv.gz above 100,000), hourly (one row per hour: sums, and means of MUs and capacity) or none")
}

// check validates flag values that flag itself cannot.
func (p *planFlags) check(cmd string, fs *flag.FlagSet) error {
	if p.metrics == "" {
		return usagef("%s: --metrics FILE is required", cmd)
	}
	if p.out == "" {
		return usagef("%s: --out DIR is required", cmd)
	}
	for _, f := range []struct {
		name string
		v    float64
	}{{"--mu-input-tpm", p.muInput}, {"--mu-output-tpm", p.muOutput}, {"--quota-rpm", p.quotaRPM}, {"--quota-tpm", p.quotaTPM}, {"--quota-tpd", p.quotaTPD}, {"--burndown", p.burndown}} {
		if f.v < 0 || f.v != f.v || f.v > maxFlagAmount {
			return usagef("%s: %s %v: want 0 to 1e15", cmd, f.name, f.v)
		}
	}
	if p.burndown != 0 && p.burndown < 1 {
		return usagef("%s: --burndown %v: want at least 1", cmd, p.burndown)
	}
	if err := checkThroughputFlags(cmd, fs, p.muInput, p.muOutput); err != nil {
		return err
	}
	for _, f := range []struct{ name, v string }{{"--flex-share", p.flexShare}, {"--batch-share", p.batchShare}} {
		if _, err := parseShare(f.v); err != nil {
			return usagef("%s: %s %q: %v", cmd, f.name, f.v, err)
		}
	}
	if _, err := parseDays(p.minHistory); err != nil {
		return usagef("%s: --min-history %q: %v", cmd, p.minHistory, err)
	}
	if _, err := buyAt(p.buyAt); err != nil {
		return usagef("%s: %v", cmd, err)
	}
	if e := sim.TermEnd(p.atTermEnd); e == "" || !e.Valid() {
		return usagef("%s: --at-term-end %q: want renew or delete", cmd, p.atTermEnd)
	}
	if err := p.reserved.check(); err != nil {
		return usagef("%s: %v", cmd, err)
	}
	if _, err := workload.ParseGapPolicy(p.gaps); err != nil {
		return usagef("%s: %v", cmd, err)
	}
	if p.demand != "observed" && p.demand != "unconstrained" {
		return usagef("%s: --demand %q: want observed or unconstrained", cmd, p.demand)
	}
	if _, err := p.optimiseOptions(); err != nil {
		return usagef("%s: %v", cmd, err)
	}
	if p.lang != reports.LangEnglish && p.lang != reports.LangJapanese {
		return usagef("%s: --lang %q: want en or ja", cmd, p.lang)
	}
	if m := reports.IntervalsMode(p.intervals); m == "" || !m.Valid() {
		return usagef("%s: --intervals %q: want full, hourly or none", cmd, p.intervals)
	}
	if p.font != "" && p.font != "none" {
		if _, err := os.Stat(p.font); err != nil {
			return usagef("%s: --font: %v", cmd, err)
		}
	}
	if p.workers < 0 || p.workers > 1024 {
		return usagef("%s: --workers %d: want 0 (one per core) to 1024", cmd, p.workers)
	}
	if p.scenarios < 0 || p.scenarios > 1_000_000 {
		return usagef("%s: --scenarios %d: want 0 to 1,000,000", cmd, p.scenarios)
	}
	if _, err := parseShare(p.migration); err != nil {
		return usagef("%s: --migration-risk %q: %v", cmd, p.migration, err)
	}
	if p.burst != "auto" && p.burst != "none" {
		if v, err := strconv.ParseFloat(p.burst, 64); err != nil || v < 1 || v != v || v > 1e6 {
			return usagef("%s: --burst %q: want auto, none, or a ratio of at least 1", cmd, p.burst)
		}
	}
	return nil
}

// burstModel chooses the burst model for s from --burst (sim.ChooseBurst:
// a given ratio, none, or, with auto, the ratio measured from the finest
// tier of the same model in m, else the stated default); the choice says
// where it came from, for the report to word.
func (p *planFlags) burstModel(m *workload.Metrics, s *workload.Series) (sim.Burst, sim.BurstChoice) {
	mode, ratio := sim.BurstAuto, 0.0
	switch p.burst {
	case "auto":
	case "none":
		mode = sim.BurstFlat
	default:
		mode = sim.BurstGiven
		ratio, _ = strconv.ParseFloat(p.burst, 64) // checked in check
	}
	c := sim.ChooseBurst(s, m.Series, mode, ratio)
	return sim.Burst{Ratio: c.Ratio}, c
}

// optimiseOptions reads the optimiser's flags (not --existing, which
// needs the plan file).
func (p *planFlags) optimiseOptions() (sim.OptimiseOptions, error) {
	var o sim.OptimiseOptions
	for _, t := range strings.Split(p.terms, ",") {
		term := pricing.Term(strings.TrimSpace(t))
		if !term.Valid() {
			msg := fmt.Sprintf("--terms: %q is not none, one_month, three_months or six_months", t)
			if s := suggest.Closest(t, []string{"none", "one_month", "three_months", "six_months"}); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			return o, errors.New(msg)
		}
		o.Terms = append(o.Terms, term)
	}
	o.NoSchedule = !p.schedule
	if p.minMU < 0 || p.maxMU < 0 || (p.maxMU > 0 && p.minMU > p.maxMU) {
		return o, fmt.Errorf("--min-mu %d, --max-mu %d: want 0 ≤ min ≤ max", p.minMU, p.maxMU)
	}
	if p.minMU > maxModelUnits || p.maxMU > maxModelUnits {
		return o, fmt.Errorf("--min-mu %d, --max-mu %d: at most %d model units (a plan block's limit)", p.minMU, p.maxMU, maxModelUnits)
	}
	o.MinMU, o.MaxMU = p.minMU, p.maxMU
	v, err := parseShare(p.maxThrottle)
	if err != nil {
		return o, fmt.Errorf("--max-throttle %q: %v", p.maxThrottle, err)
	}
	o.MaxThrottle = v
	return o, nil
}

// parseShare reads a share as 0.005 or 0.5%.
func parseShare(raw string) (float64, error) {
	raw = strings.TrimSpace(raw)
	scale := 1.0
	if v, ok := strings.CutSuffix(raw, "%"); ok {
		raw, scale = v, 0.01
	}
	v, err := strconv.ParseFloat(raw, 64)
	if err != nil || v != v || v < 0 || v*scale > 1 {
		return 0, errors.New("want a share between 0 and 1, or a percentage such as 0.5%")
	}
	return v * scale, nil
}

// defaultScenarios is --scenarios' default: the Monte Carlo scenarios of
// the commitment-term risk and the cash flow (the demo's too).
const defaultScenarios = 1000

// inputs is what simulate and recommend replay.
type inputs struct {
	series    *workload.Series
	offer     pricing.Offer
	catalogue *pricing.Catalogue
	gaps      []workload.Gap
	policy    workload.GapPolicy
	demand    reports.Demand
	optimise  sim.OptimiseOptions
	burst     sim.Burst
	burstFrom sim.BurstChoice
	// shortHistory, when set, says why no committed capacity is
	// recommended: the history is shorter than --min-history.
	shortHistory sim.Note
	// regionNote, when set, says that the traffic ran in another region
	// than the one whose prices apply (--region).
	regionNote sim.Note
	// soldByOverride, when set, says that --pricing prices PT where the
	// embedded catalogue says AWS sells none.
	soldByOverride sim.Note
	// tiers are every service tier's series of the model, gap-filled,
	// when the metrics hold more than one.
	tiers []*workload.Series
}

// source is what every series of a run reads: the catalogue (with the
// account's quotas) and the metrics.
type source struct {
	catalogue *pricing.Catalogue
	metrics   *workload.Metrics
}

// read reads the catalogue, the account's quotas and the metrics once.
func (p *planFlags) read() (*source, error) {
	cat, err := loadCatalogue(p.pricing)
	if err != nil {
		return nil, fileFlag("--pricing", err)
	}
	if p.accountQuotas != "" {
		q, err := pricing.Load(p.accountQuotas)
		if err != nil {
			return nil, fileFlag("--account-quotas", err)
		}
		cat = pricing.Merge(cat, q)
	}
	f, err := os.Open(p.metrics)
	if err != nil {
		return nil, fileFlag("--metrics", err)
	}
	defer f.Close()
	m, err := workload.ReadMetrics(f, p.metrics)
	if err != nil {
		return nil, err
	}
	return &source{catalogue: cat, metrics: m}, nil
}

// loadFrom prepares the inputs of a single-series run.
func (p *planFlags) loadFrom(src *source, stderr io.Writer) (*inputs, error) {
	var existing []sim.Plan
	if p.existing != "" {
		var err error
		if existing, err = readPlansFile(p.existing); err != nil {
			return nil, fileFlag("--existing", err)
		}
	}
	in, err := p.unit(src, p.model, p.region, existing, len(existing) == 1, stderr)
	if err == nil && len(existing) > 1 && in.optimise.Existing == nil {
		if _, ok := existingFor(existing, in.series.ModelID, in.offer.Region, false); !ok {
			return nil, fmt.Errorf("%s: no plan for %s in %s among its %d plans (%s)", p.existing, in.series.ModelID, in.offer.Region, len(existing), planList(existing))
		}
	}
	return in, err
}

// unit prepares one series, the one Select(model, region) returns, for
// planning: its offer with the flags applied, its gaps filled, its burst
// model, history guard and existing commitments. existing are the plans
// of --existing; with strict, the only one must be for this series, else
// the one for this model and region is used, if any. Notes on the data
// go to stderr; the warnings a report states (the region priced, the
// model's lifecycle, too short a history) are in inputs and the analysis,
// for the caller to say once.
func (p *planFlags) unit(src *source, model, region string, existing []sim.Plan, strict bool, stderr io.Writer) (*inputs, error) {
	cat, m := src.catalogue, src.metrics
	s, regionNote, err := selectSeries(m, model, region)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p.metrics, err)
	}
	if region == "" {
		region = s.Region
	}
	offer, err := cat.Lookup(s.ModelID, region)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p.metrics, err)
	}
	var soldByOverride sim.Note
	if lifted := offer.PTSoldByOverride; lifted != nil {
		f := sim.Facts(offer)
		f.PTNotSold = *lifted
		soldByOverride = sim.Note{Code: sim.NotePTSoldByOverride, Offer: f}
	}
	if offer, err = offer.ForTier(s.Tier()); err != nil {
		return nil, fmt.Errorf("%s: %s: %w", p.metrics, s.Key(), err)
	}
	if p.muInput > 0 {
		offer.Throughput = pricing.Throughput{InputTPM: p.muInput, OutputTPM: p.muOutput, Provenance: pricing.ProvenanceAssumed,
			Source: reports.SourceMUFlags}
	}
	q := &offer.Quotas
	if p.quotaRPM > 0 {
		q.RPM, q.Source = &p.quotaRPM, reports.SourceQuotaFlags
	}
	if p.quotaTPM > 0 {
		q.TPM, q.Source = &p.quotaTPM, reports.SourceQuotaFlags
	}
	if p.quotaTPD > 0 {
		q.TPD, q.Source = &p.quotaTPD, reports.SourceQuotaFlags
	}
	if p.burndown > 0 {
		q.OutputBurndown = &p.burndown
	}
	p.reserved.apply(&offer, now())
	policy, _ := workload.ParseGapPolicy(p.gaps)
	filled, gaps, err := workload.FillGaps(s, policy)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p.metrics, err)
	}
	if len(gaps) > 0 {
		missing := 0
		for _, g := range gaps {
			missing += g.Missing
		}
		fmt.Fprintf(stderr, "bedrockplan: %s: %d missing intervals in %d gaps (first at %s), filled with --gaps %s\n",
			p.metrics, missing, len(gaps), gaps[0].From.Format(time.RFC3339), policy)
	}
	demand := reports.Demand{Kind: reports.DemandObserved}
	if s.Throttles == nil {
		// Not CloudWatch's metrics, or not all of them: an imported
		// request log or trace records what was served, and nothing here
		// says what was turned away.
		demand = reports.Demand{Kind: reports.DemandServed, File: p.metrics}
	}
	if p.demand == "unconstrained" {
		var added float64
		if filled, added, err = workload.Unconstrained(filled); err != nil {
			return nil, fmt.Errorf("%s: %w", p.metrics, err)
		}
		demand = reports.Demand{Kind: reports.DemandUnconstrained, Added: added}
	}
	opt, _ := p.optimiseOptions() // checked in check
	opt.AtTermEnd = sim.TermEnd(p.atTermEnd)
	minHistory, _ := parseDays(p.minHistory) // checked in check
	opt, shortHistory := sim.GuardHistory(opt, filled.Span(), minHistory)
	if ex, ok := existingFor(existing, s.ModelID, offer.Region, strict); ok {
		if ex.ModelID != s.ModelID {
			return nil, fmt.Errorf("%s: the existing commitments are for %s, the metrics for %s", p.existing, ex.ModelID, s.ModelID)
		}
		if len(ex.Scheduled) > 0 {
			fmt.Fprintf(stderr, "bedrockplan: %s: only the committed blocks count as existing; its scheduled windows are ignored\n", p.existing)
		}
		if len(ex.Reserved) > 0 {
			fmt.Fprintf(stderr, "bedrockplan: %s: only the committed PT blocks count as existing; existing reservations are not modelled yet and are ignored\n", p.existing)
		}
		opt.Existing = ex.Committed
	}
	var tiers []*workload.Series
	if len(m.OtherTiers(s)) > 0 {
		for _, t := range m.Series {
			if t.ModelID != s.ModelID || t.Region != s.Region {
				continue
			}
			f, _, err := workload.FillGaps(t, policy)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", p.metrics, err)
			}
			tiers = append(tiers, f)
		}
	}
	burst, burstFrom := p.burstModel(m, s)
	if err := checkModelUnits(p.metrics, filled, offer.Throughput, burst); err != nil {
		return nil, err
	}
	return &inputs{series: filled, offer: offer, catalogue: cat, gaps: gaps, policy: policy, demand: demand, optimise: opt, burst: burst, burstFrom: burstFrom,
		shortHistory: shortHistory, regionNote: regionNote, soldByOverride: soldByOverride, tiers: tiers}, nil
}

// existingFor picks the existing commitments of one series from the
// plans of --existing: with strict (a file of one plan, for a single
// series), that plan, whatever it is for (unit refuses another model's);
// else the plan for this model in this region (or in no region).
func existingFor(plans []sim.Plan, modelID, region string, strict bool) (sim.Plan, bool) {
	if strict {
		if len(plans) == 0 {
			return sim.Plan{}, false
		}
		return plans[0], true
	}
	for _, pl := range plans {
		if pl.ModelID == modelID && (pl.Region == "" || pl.Region == region) {
			return pl, true
		}
	}
	return sim.Plan{}, false
}

// planList names plans by model and region.
func planList(plans []sim.Plan) string {
	names := make([]string, len(plans))
	for i, pl := range plans {
		names[i] = place(pl.ModelID, pl.Region)
	}
	return strings.Join(names, ", ")
}

// place names a model in a region as the metrics do: model (region).
func place(model, region string) string {
	if region == "" {
		return model
	}
	return model + " (" + region + ")"
}

// fileFlag names the flag whose file could not be opened (a path error):
// "open x.csv: no such file" alone does not say which input it was. A
// file's content problems name the file and line already.
func fileFlag(flag string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s %s: %w", flag, pe.Path, pe.Err)
	}
	return err
}

func readPlanFile(path string) (sim.Plan, error) {
	f, err := os.Open(path)
	if err != nil {
		return sim.Plan{}, err
	}
	defer f.Close()
	return reports.ReadPlan(f, path)
}

func loadCatalogue(path string) (*pricing.Catalogue, error) {
	cat := pricing.Default()
	if path == "" {
		return cat, nil
	}
	over, err := pricing.Load(path)
	if err != nil {
		return nil, err
	}
	return pricing.Merge(cat, over), nil
}

func loadLocation(name string) (*time.Location, error) {
	if name == "Local" {
		return nil, usagef("--timezone Local is whatever zone this machine is set to; name the zone (e.g. Asia/Tokyo or UTC) so the report means the same everywhere")
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, usagef("--timezone %q is not an IANA time zone (e.g. Asia/Tokyo, Europe/Berlin, UTC)", name)
	}
	return loc, nil
}

// langUsage documents --lang.
const langUsage = "`LANG` of summary.md and summary.html: en or ja"

// fontUsage documents --font.
const fontUsage = "font `FILE` with Japanese glyphs for charts when --lang ja (TrueType, OpenType or .ttc); default: the first found in the usual\nsystem locations (e.g. Debian's fonts-ipafont-gothic); none: charts in English"

// chartFont resolves --font: a Japanese report's charts are drawn with
// the file given, or the first font found where fonts usually are.
func chartFont(lang, file string) (*reports.ChartFont, error) {
	switch {
	case lang != reports.LangJapanese || file == "none":
		return nil, nil
	case file == "":
		return reports.FindChartFont(), nil
	}
	return reports.LoadChartFont(file)
}
