package main

import (
	"context"
	"fmt"
	"io"

	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/reports"
	"github.com/bedrockplan/bedrockplan/sim"
	"github.com/bedrockplan/bedrockplan/workload"
)

// Demo workload assumptions: AWS does not publish MU throughput, so the
// demo states one, and every report it writes labels it as assumed.
// It also states the probability that its traffic moves to another model
// within six months.
const (
	demoMUInputTPM    = 1_000_000
	demoMUOutputTPM   = 300_000
	demoMigrationRisk = 0.1
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
	r := &reports.Report{
		CommandLine: "bedrockplan " + quoteArgs(append([]string{"demo"}, args...)) + "\n# the same, from the metrics it wrote:\n" +
			fmt.Sprintf("bedrockplan recommend --metrics metrics.csv --mu-input-tpm %d --mu-output-tpm %d --timezone %s --migration-risk %g%% --seed %d --out report", demoMUInputTPM, demoMUOutputTPM, cfg.Location, demoMigrationRisk*100, *seed),
		Series: s, Offer: offer, TimeZone: cfg.Location,
		CatalogueAsOf: cat.AsOf, Lang: *lang, Version: version(), Today: now(),
		Demand: reports.Demand{Kind: reports.DemandSample, Seed: *seed},
	}
	r.BuyAt, _ = buyAt("")
	if r.ChartFont, err = chartFont(*lang, *fontFile); err != nil {
		return err
	}
	// recommend's defaults, but for the migration risk the sample states.
	env := sim.Env{Series: s, Offer: offer, TimeZone: cfg.Location}
	run, err := planRun(ctx, env, nil, sim.RunOptions{Detail: sim.StrategyRecommended, Scenarios: defaultScenarios, MigrationRisk: demoMigrationRisk,
		Seed: *seed, BuyAt: r.BuyAt})
	if err != nil {
		return interrupted(err, *out)
	}
	fromRun(r, run)
	metrics := func(w io.Writer) error {
		return workload.WriteMetrics(w, &workload.Metrics{Series: []*workload.Series{s}})
	}
	return writeReport(ctx, r, *out, *force, nil, map[string]func(io.Writer) error{"metrics.csv": metrics}, stdout)
}
