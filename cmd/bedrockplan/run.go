package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bedrockplan/bedrockplan/internal/suggest"
	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/reports"
	"github.com/bedrockplan/bedrockplan/sim"
	"github.com/bedrockplan/bedrockplan/workload"
)

// usageError is a mistake in how bedrockplan was called (exit status 2);
// every other error is bad input or a failure (exit status 1).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// command is one of bedrockplan's commands (or one of a command's
// subcommands). The table of them gives the top-level help and the
// dispatcher alike.
type command struct {
	name, summary string
	run           func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

// commands are bedrockplan's commands, in the order the help lists them.
func commands() []command {
	return []command{
		{"demo", "run the whole planner on built-in sample traffic; needs no AWS account", runDemo},
		{"simulate", "replay a metrics CSV against a plan file and write a report", runSimulate},
		{"recommend", "find the cheapest committed Provisioned Throughput and write a report and plan.yaml", runRecommend},
		{"fetch", "pull AWS/Bedrock metrics from CloudWatch into a metrics CSV (incremental)", runFetch},
		{"probe", "measure a model or PT live (latency, throughput, throttling) and calibrate MU throughput; dry run unless --yes", runProbe},
		{"account", "read quotas, existing PT, current prices and model lifecycle from the AWS account", runAccount},
		{"import", "turn request-level data (request CSVs, invocation logs, get-metric-data JSON) into a metrics CSV", runImport},
		{"report", "render a report folder's summaries and charts again from its CSV files (e.g. in Japanese)", runReport},
		{"pricing", "list the price catalogue, show one model's prices and their sources, update or diff an override", runPricing},
	}
}

// topUsage is bedrockplan's own help.
func topUsage() string {
	var b strings.Builder
	b.WriteString("bedrockplan: how to pay for Amazon Bedrock inference.\n\nUsage: bedrockplan COMMAND [flags]\n\nCommands:\n")
	for _, c := range commands() {
		fmt.Fprintf(&b, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(&b, "  %-10s %s\n", "help", "this help; 'bedrockplan help COMMAND' is the command's (as 'bedrockplan COMMAND -h')")
	fmt.Fprintf(&b, "  %-10s %s\n", "version", "print the version (also --version)")
	b.WriteString("\nRun 'bedrockplan help COMMAND' for a command's flags and an example.\n")
	return b.String()
}

// run is bedrockplan without the process around it: tests call it. Help
// that was asked for is printed on stdout.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	err := dispatch(ctx, args, stdout, stderr)
	var h helpError
	if errors.As(err, &h) {
		fmt.Fprint(stdout, h.text)
		return nil
	}
	return err
}

// dispatch runs the command args name.
func dispatch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, topUsage())
		return usagef("no command given")
	}
	switch args[0] {
	case "-h", "-help", "--help":
		return helpError{topUsage()}
	case "help":
		if len(args) == 1 {
			return helpError{topUsage()}
		}
		// help pricing diff is pricing diff -h.
		return dispatch(ctx, append(slices.Clone(args[1:]), "-h"), stdout, stderr)
	case "version", "-version", "--version":
		fmt.Fprintf(stdout, "bedrockplan %s\n", version())
		return nil
	}
	return runFrom(ctx, commands(), args, stdout, stderr, func(unknown, names string) string {
		return unknown + "; commands: " + names + " ('bedrockplan help' says what each does)"
	})
}

// runFrom runs the command of table that args[0] names; an unknown name
// is a usage error with a did-you-mean, worded by say from "unknown
// command ..." and the list of names.
func runFrom(ctx context.Context, table []command, args []string, stdout, stderr io.Writer, say func(unknown, names string) string) error {
	var names []string
	for _, c := range table {
		if c.name == args[0] {
			return c.run(ctx, args[1:], stdout, stderr)
		}
		names = append(names, c.name)
	}
	msg := fmt.Sprintf("unknown command %q", args[0])
	if s := suggest.Closest(args[0], names); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	return usagef("%s", say(msg, strings.Join(names, ", ")))
}

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
	fs.IntVar(&p.scenarios, "scenarios", 1000, "`N` Monte Carlo scenarios of the next six months for the commitment-term risk (0: skip it)")
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

// burstModel chooses the burst model for s from --burst: a given ratio,
// none, or (auto) the ratio measured from the finest tier of the same
// model in m, else the stated default.
func (p *planFlags) burstModel(m *workload.Metrics, s *workload.Series) sim.Burst {
	if s.Period <= time.Minute {
		return sim.Burst{Source: "none needed: the data is 1-minute"}
	}
	switch p.burst {
	case "none":
		return sim.Burst{Source: "none (--burst none): traffic assumed flat inside each " + reports.Period(s.Period) + " interval, which understates peaks"}
	case "auto":
	default:
		v, _ := strconv.ParseFloat(p.burst, 64)
		return sim.Burst{Ratio: v, Source: fmt.Sprintf("the busiest minute of each %s interval at %s× its mean (--burst)", reports.Period(s.Period), p.burst)}
	}
	var finest *workload.Series
	for _, t := range m.Series {
		if t.ModelID == s.ModelID && t.Region == s.Region && t.Period < s.Period && s.Period%t.Period == 0 && (finest == nil || t.Period < finest.Period) {
			finest = t
		}
	}
	if finest != nil {
		if r, n, err := workload.BurstRatio(finest, s.Period); err == nil {
			return sim.Burst{Ratio: r, Source: fmt.Sprintf("the busiest %s of each %s interval at %.2f× its mean, measured on %d intervals of the %s data in %s",
				reports.Span(finest.Period), reports.Period(s.Period), r, n, reports.Period(finest.Period), p.metrics)}
		}
	}
	r := workload.DefaultBurstRatio(s.Period)
	return sim.Burst{Ratio: r, Source: fmt.Sprintf("the busiest minute of each %s interval at %.2f× its mean: a default (fitted to the Azure LLM conversation trace), since %s holds no finer data for this model; --burst sets your own",
		reports.Period(s.Period), r, p.metrics)}
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
	// shortHistory, when set, says why no committed capacity is
	// recommended: the history is shorter than --min-history.
	shortHistory sim.Note
	// regionNote, when set, says that the traffic ran in another region
	// than the one whose prices apply (--region).
	regionNote sim.Note
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
		return nil, err
	}
	if p.accountQuotas != "" {
		q, err := pricing.Load(p.accountQuotas)
		if err != nil {
			return nil, err
		}
		cat = pricing.Merge(cat, q)
	}
	f, err := os.Open(p.metrics)
	if err != nil {
		return nil, err
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
			return nil, err
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
	var shortHistory sim.Note
	if span := filled.Span(); span < minHistory {
		// Too little history to forecast: buy nothing that binds.
		opt.Terms, opt.Products = []pricing.Term{pricing.TermNone}, []pricing.Product{pricing.ProductPT}
		shortHistory = sim.Note{Code: sim.NoteShortHistory, Span: span, Min: minHistory}
	}
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
	burst := p.burstModel(m, s)
	if err := checkModelUnits(p.metrics, filled, offer.Throughput, burst); err != nil {
		return nil, err
	}
	return &inputs{series: filled, offer: offer, catalogue: cat, gaps: gaps, policy: policy, demand: demand, optimise: opt, burst: burst,
		shortHistory: shortHistory, regionNote: regionNote, tiers: tiers}, nil
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

func runSimulate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("simulate", "Replays a metrics CSV against a capacity plan (plan.yaml) and writes a report folder comparing\nit with on-demand, provisioned-peak, business-hours-switch and the recommendation.",
		"bedrockplan simulate --metrics metrics.csv --plan plan.yaml --mu-input-tpm 1000000 --mu-output-tpm 300000 --out report")
	var p planFlags
	p.register(fs)
	planPath := fs.String("plan", "", "plan `FILE` to replay (required; recommend writes one)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := p.check("simulate", fs); err != nil {
		return err
	}
	if *planPath == "" {
		return usagef("simulate: --plan FILE is required")
	}
	src, err := p.read()
	if err != nil {
		return err
	}
	inputFiles := []string{p.metrics, p.pricing, *planPath}
	if units := src.metrics.Units(p.model, p.region); len(units) > 1 {
		plans, err := readPlansFile(*planPath)
		if err != nil {
			return err
		}
		return p.portfolio(ctx, fs, src, units, plans, *planPath, nil, sim.StrategyPlan, args, inputFiles, stdout, stderr)
	}
	plan, err := readPlanFile(*planPath)
	if err != nil {
		return err
	}
	in, err := p.loadFrom(src, stderr)
	if err != nil {
		return err
	}
	if plan.ModelID != in.series.ModelID {
		return fmt.Errorf("%s: the plan is for %s but the metrics replayed are for %s (choose with --model)", *planPath, plan.ModelID, in.series.ModelID)
	}
	if plan.Region != "" && plan.Region != in.offer.Region {
		return fmt.Errorf("%s: the plan is for region %s but the prices used are for %s (choose with --region)", *planPath, plan.Region, in.offer.Region)
	}
	if plan.Region == "" {
		plan.Region = in.offer.Region
	}
	return analyseAndWrite(ctx, &p, in, &plan, plan.Location(), sim.StrategyPlan, args, inputFiles, stdout, stderr)
}

func runRecommend(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("recommend", "Finds the cheapest mix of Reserved-tier capacity (input and output TPM), committed Provisioned Throughput,\nscheduled no-commitment PT by hour of the week and on-demand overflow that keeps throttling within --max-throttle;\ncompares it with the baselines, prices the commitment terms over the next six months in Monte Carlo scenarios,\nand writes a report folder with plan.yaml. Without --mu-input-tpm/--mu-output-tpm it reports the break-even MU\nthroughput instead; without Reserved prices (--reserved-price-input/--reserved-price-output or --pricing FILE),\nthe break-even Reserved price for models with a Reserved tier.",
		"bedrockplan recommend --metrics metrics.csv --mu-input-tpm 1000000 --mu-output-tpm 300000 --timezone Asia/Tokyo --out report")
	var p planFlags
	p.register(fs)
	tz := fs.String("timezone", "UTC", "IANA time `ZONE` of business hours and schedules")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := p.check("recommend", fs); err != nil {
		return err
	}
	loc, err := loadLocation(*tz)
	if err != nil {
		return err
	}
	src, err := p.read()
	if err != nil {
		return err
	}
	inputFiles := []string{p.metrics, p.pricing, p.existing}
	if units := src.metrics.Units(p.model, p.region); len(units) > 1 {
		return p.portfolio(ctx, fs, src, units, nil, "", loc, sim.StrategyRecommended, args, inputFiles, stdout, stderr)
	}
	in, err := p.loadFrom(src, stderr)
	if err != nil {
		return err
	}
	return analyseAndWrite(ctx, &p, in, nil, loc, sim.StrategyRecommended, args, inputFiles, stdout, stderr)
}

// analyseAndWrite replays the strategies, writes the report folder
// atomically and prints the verdict.
func analyseAndWrite(ctx context.Context, p *planFlags, in *inputs, plan *sim.Plan, loc *time.Location, detail string, args, inputFiles []string, stdout, stderr io.Writer) error {
	r, err := p.analyse(ctx, in, plan, loc, detail, args, inputFiles)
	if err != nil {
		return err
	}
	if err := writeReport(ctx, r, p.out, p.force, append(p.inputPaths(), inputFiles...), nil, stdout); err != nil {
		return err
	}
	if in.shortHistory.Code != "" {
		// #13 asks for it on stderr as well as in the verdict: a
		// script that keeps only stdout's report still sees why nothing
		// was bought, and one that reads stderr for problems sees it too.
		fmt.Fprintf(stderr, "bedrockplan: %s: %s\n", p.metrics, reports.Note(in.shortHistory))
	}
	return nil
}

// analyse replays the strategies of one series, prices the terms' risk
// and the throughput sensitivity, and returns the report to write.
func (p *planFlags) analyse(ctx context.Context, in *inputs, plan *sim.Plan, loc *time.Location, detail string, args, inputFiles []string) (*reports.Report, error) {
	flex, _ := parseShare(p.flexShare)
	batch, _ := parseShare(p.batchShare)
	env := sim.Env{Series: in.series, Offer: in.offer, TimeZone: loc, Optimise: in.optimise, Options: sim.Options{Burst: in.burst},
		Moves: sim.Moves{Flex: flex, Batch: batch}}
	a, err := untilInterrupted(ctx, func() (*sim.Analysis, error) { return sim.Analyse(env, plan) })
	if err != nil {
		return nil, interrupted(err, p.out)
	}
	if in.shortHistory.Code != "" {
		a.Warnings = append(a.Warnings, in.shortHistory)
	}
	if in.regionNote.Code != "" {
		a.Warnings = append(a.Warnings, in.regionNote)
	}
	if len(in.tiers) > 0 {
		base := in.offer
		if base.Tier != "" {
			base.OnDemand = base.Standard
		}
		byTier, err := sim.CostByTier(in.tiers, base, env.Options)
		if err != nil {
			return nil, err
		}
		if a.Tiers == nil {
			a.Tiers = &sim.TierFigures{Tier: in.offer.Tier}
		}
		a.Tiers.ByTier = byTier
	}
	r := &reports.Report{
		CommandLine: "bedrockplan " + quoteArgs(append([]string{commandOf(detail)}, args...)),
		Series:      in.series, Offer: in.offer, Analysis: a, Detail: detail, TimeZone: loc,
		Gaps: in.gaps, GapPolicy: in.policy, CatalogueAsOf: in.catalogue.AsOf, Demand: in.demand, Burst: in.burst, Today: now(),
		Lang: p.lang, Version: version(), Intervals: reports.IntervalsMode(p.intervals),
	}
	r.BuyAt, _ = buyAt(p.buyAt) // checked in check
	if ex := in.optimise.Existing; len(ex) > 0 && a.Optimum != nil {
		// schedule.csv shows the existing MUs beside the new ones.
		if r.ExistingMU, err = sim.ModelUnitsInService(in.series, in.offer, ex); err != nil {
			return nil, err
		}
	}
	if r.ChartFont, err = chartFont(p.lang, p.font); err != nil {
		return nil, err
	}
	if r.Inputs, err = inputsOf(inputFiles...); err != nil {
		return nil, err
	}
	if r.Sensitivity, err = sensitivity(env, a, detail); err != nil {
		return nil, err
	}
	migration, _ := parseShare(p.migration)
	r.Risk, r.RiskNote, err = assessRisk(ctx, env, a, p.scenarios, migration, p.seed)
	if err != nil {
		return nil, interrupted(err, p.out)
	}
	if r.CashFlow, r.CashFlowNote, err = cashFlow(ctx, env, a, r.Risk, p.scenarios, detail, r.BuyAt, p.seed); err != nil {
		return nil, interrupted(err, p.out)
	}
	return r, nil
}

// sensitivity prices the detail strategy's plan at other MU throughputs,
// when it holds PT and the throughput is known: it is the largest
// unknown.
func sensitivity(env sim.Env, a *sim.Analysis, detail string) (*sim.Sensitivity, error) {
	d := a.Strategy(detail)
	if d == nil || d.Skipped || !d.Plan.HasPT() || !env.Offer.Throughput.Known() {
		return nil, nil
	}
	return sim.ThroughputSensitivity(env, d.Plan, a.Optimum)
}

// assessRisk runs the commitment-term Monte Carlo when there is a
// recommendation to assess and history enough to forecast; otherwise it
// says why not.
func assessRisk(ctx context.Context, env sim.Env, a *sim.Analysis, scenarios int, migration float64, seed uint64) (*sim.Risk, string, error) {
	switch {
	case scenarios == 0:
		return nil, "--scenarios 0", nil
	case !env.Offer.CanBuyPT() && !env.Offer.CanBuy(pricing.ProductReserved):
		return nil, "no new commitment can serve this traffic: " + env.Offer.PTUnavailable(), nil
	case !env.Offer.Throughput.Known() && len(env.Offer.ReservedTerms()) == 0:
		return nil, "the throughput of one model unit is unknown and no Reserved price is given, so no commitment can be sized", nil
	}
	fc, err := workload.FitForecast(env.Series, env.TimeZone)
	if err != nil {
		return nil, forecastNote(env.Series, err), nil
	}
	risk, err := untilInterrupted(ctx, func() (*sim.Risk, error) {
		return sim.AssessRisk(env, fc, a.Optimum, sim.RiskOptions{Scenarios: scenarios, MigrationRisk: migration, Seed: seed, Burst: scenarioBurst(env)})
	})
	return risk, "", err
}

// scenarioBurst is the peak model of the forecasts' hourly scenarios:
// measured from the data when it is finer than an hour, else the burst
// model in use.
func scenarioBurst(env sim.Env) sim.Burst {
	if env.Series.Period < time.Hour {
		if r, _, err := workload.BurstRatio(env.Series, time.Hour); err == nil {
			return sim.Burst{Ratio: r}
		}
	}
	return env.Options.Burst
}

// cashFlow bills the detail strategy's plan (nothing, when it was
// skipped) month by month from the purchase, in the risk analysis's
// scenarios: from its forecast, or, when no commitment could be sized,
// from a forecast of its own, so that a series staying on-demand still
// has its months. None with --scenarios 0 or history too short to
// forecast.
func cashFlow(ctx context.Context, env sim.Env, a *sim.Analysis, risk *sim.Risk, scenarios int, detail string, buyAt time.Time, seed uint64) ([]sim.CashFlowMonth, string, error) {
	if scenarios == 0 {
		return nil, "its forecast needs scenarios (--scenarios 0)", nil
	}
	var fc *workload.Forecast
	if risk != nil {
		fc = risk.Forecast
	} else {
		var err error
		if fc, err = workload.FitForecast(env.Series, env.TimeZone); err != nil {
			return nil, forecastNote(env.Series, err), nil
		}
	}
	plan := sim.Plan{ModelID: env.Offer.ModelID, Region: env.Offer.Region, TimeZone: env.TimeZone}
	if d := a.Strategy(detail); d != nil && !d.Skipped {
		plan = d.Plan
	}
	months, err := untilInterrupted(ctx, func() ([]sim.CashFlowMonth, error) {
		return sim.CashFlow(env, fc, plan, buyAt, sim.RiskOptions{Scenarios: scenarios, Seed: seed, Burst: scenarioBurst(env)})
	})
	return months, "", err
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

func commandOf(detail string) string {
	if detail == sim.StrategyPlan {
		return "simulate"
	}
	return "recommend"
}

// writeReport replays the detail strategy interval by interval and writes
// the folder, plus what extra adds to it (nil: nothing); nothing appears at
// out unless everything was written, and nothing if ctx is done (Ctrl-C)
// before the folder is swapped in.
func writeReport(ctx context.Context, r *reports.Report, out string, force bool, inputFiles []string, extra map[string]func(io.Writer) error, stdout io.Writer) error {
	if err := replayDetail(ctx, r); err != nil {
		return interrupted(err, out)
	}
	folder, err := reports.CreateFolder(out, force, inputFiles...)
	if err != nil {
		return err
	}
	defer folder.Abort()
	folder.StopOn(ctx)
	if err := r.Write(folder); err != nil {
		return interrupted(err, out)
	}
	files := r.Files()
	for name, write := range extra {
		if err := folder.Write(name, write); err != nil {
			return interrupted(err, out)
		}
		files = append(files, name)
	}
	if err := ctx.Err(); err != nil {
		return interrupted(err, out) // the deferred Abort removes the staging folder
	}
	if err := folder.Commit(); err != nil {
		return err
	}
	fmt.Fprint(stdout, r.Verdict())
	fmt.Fprintf(stdout, "\nReport written to %s: %s\n", out, strings.Join(files, ", "))
	return nil
}

// replayDetail replays the report's detail strategy (on-demand when it
// was skipped) interval by interval, for intervals.csv and the charts.
func replayDetail(ctx context.Context, r *reports.Report) error {
	st := r.Analysis.Strategy(r.Detail)
	if st == nil || st.Skipped {
		r.Detail = sim.StrategyOnDemand
		st = r.Analysis.Strategy(r.Detail)
	}
	res, err := untilInterrupted(ctx, func() (*sim.Result, error) {
		return sim.Replay(r.Series, st.Plan, r.Offer, sim.Options{Burst: r.Burst})
	})
	r.DetailResult = res
	return err
}

func quoteArgs(args []string) string {
	out := make([]string, len(args))
	for i, a := range args {
		if a == "" || strings.ContainsAny(a, " \t\"'$\\") {
			a = strconv.Quote(a)
		}
		out[i] = a
	}
	return strings.Join(out, " ")
}

// Demo workload assumptions: AWS does not publish MU throughput, so the
// demo states one, and every report it writes labels it as assumed.
const (
	demoMUInputTPM  = 1_000_000
	demoMUOutputTPM = 300_000
)

func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("demo", "Runs the planner end to end on built-in sample traffic: two weeks of 1-minute metrics of an\noffice assistant used weekdays 9:00-17:00 in Tokyo, on Llama 3.1 70B Instruct in us-west-2. Writes the\nreport folder and the metrics it used (metrics.csv), so you can rerun simulate or recommend on them.",
		"bedrockplan demo --out bedrockplan-demo")
	out := fs.String("out", "bedrockplan-demo", "report folder `DIR` to write (refused if not empty, unless --force)")
	seed := fs.Uint64("seed", 1, "random `SEED` of the sample traffic")
	lang := fs.String("lang", "en", langUsage)
	fontFile := fs.String("font", "", fontUsage)
	force := fs.Bool("force", false, "replace a non-empty --out folder")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *lang != reports.LangEnglish && *lang != reports.LangJapanese {
		return usagef("demo: --lang %q: want en or ja", *lang)
	}
	cfg := workload.SeedScenario(*seed)
	s, err := workload.Synthesize(cfg)
	if err != nil {
		return err
	}
	cat := pricing.Default()
	offer, err := cat.Lookup(cfg.ModelID, cfg.Region)
	if err != nil {
		return err
	}
	offer.Throughput = pricing.Throughput{InputTPM: demoMUInputTPM, OutputTPM: demoMUOutputTPM, Provenance: pricing.ProvenanceAssumed,
		Source: reports.SampleSource}
	env := sim.Env{Series: s, Offer: offer, TimeZone: cfg.Location}
	a, err := untilInterrupted(ctx, func() (*sim.Analysis, error) { return sim.Analyse(env, nil) })
	if err != nil {
		return interrupted(err, *out)
	}
	r := &reports.Report{
		CommandLine: "bedrockplan " + quoteArgs(append([]string{"demo"}, args...)) + "\n# the same, from the metrics it wrote:\n" +
			fmt.Sprintf("bedrockplan recommend --metrics metrics.csv --mu-input-tpm %d --mu-output-tpm %d --timezone %s --migration-risk 10%% --seed %d --out report", demoMUInputTPM, demoMUOutputTPM, cfg.Location, *seed),
		Series: s, Offer: offer, Analysis: a, Detail: sim.StrategyRecommended, TimeZone: cfg.Location,
		CatalogueAsOf: cat.AsOf, Lang: *lang, Version: version(), Today: now(),
		Demand: reports.Demand{Kind: reports.DemandSample, Seed: *seed},
	}
	r.BuyAt, _ = buyAt("")
	if r.ChartFont, err = chartFont(*lang, *fontFile); err != nil {
		return err
	}
	if r.Risk, r.RiskNote, err = assessRisk(ctx, env, a, 1000, 0.1, *seed); err != nil {
		return interrupted(err, *out)
	}
	if r.Sensitivity, err = sensitivity(env, a, sim.StrategyRecommended); err != nil {
		return err
	}
	if r.CashFlow, r.CashFlowNote, err = cashFlow(ctx, env, a, r.Risk, 1000, sim.StrategyRecommended, r.BuyAt, *seed); err != nil {
		return interrupted(err, *out)
	}
	metrics := func(w io.Writer) error {
		return workload.WriteMetrics(w, &workload.Metrics{Series: []*workload.Series{s}})
	}
	return writeReport(ctx, r, *out, *force, nil, map[string]func(io.Writer) error{"metrics.csv": metrics}, stdout)
}
