package main

import (
	"context"
	"fmt"
	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"

	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/reports"
	"github.com/bedrockplan/bedrockplan/sim"
	"github.com/bedrockplan/bedrockplan/sim/probe"
)

func runProbe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("probe", "Sends live requests to a model, inference profile or Provisioned Throughput ARN to measure latency,\n"+
		"throughput and where throttling starts, and to check a plan's assumptions. Without --yes it is a dry run:\n"+
		"it prints the request plan and its estimated cost and sends nothing. With --yes, --max-cost is required.\n"+
		"Prompts are synthetic; no user data is sent.",
		"# a dry run: prints the requests it would send and their cost, and sends nothing\n"+
			"bedrockplan probe --target arn:aws:bedrock:us-west-2:123456789012:provisioned-model/abc --model meta.llama3-1-70b-instruct-v1:0 --model-units 1 --shape ramp --steps 1,2,4,8,16 --step-duration 30s --max-cost 5 --out probe-report\n"+
			"# the same with --yes sends them, and spends up to --max-cost USD")
	var af awsFlags
	af.register(fs, "AWS `REGION` (default: the standard AWS configuration)",
		"`URL` of the bedrock-runtime endpoint (AWS_ENDPOINT_URL_BEDROCK_RUNTIME also works)", defaultModelTimeout)
	target := fs.String("target", "", "model id, inference profile id or PT ARN to invoke, the `TARGET` (required)")
	model := fs.String("model", "", "catalogue model `ID` for prices and calibration (default: --target when it is a model id)")
	api := fs.String("api", probe.APIConverseStream, "`API` to call: converse, converse-stream (time to first token) or invoke")
	bodyFormat := fs.String("body-format", "", "invoke only: the request body's `FORMAT`, anthropic, titan, nova, llama or mistral (default: from the model id)")
	shape := fs.String("shape", probe.ShapeConcurrency, "`SHAPE` of the load: constant, poisson, concurrency or ramp")
	rate := fs.Float64("rate", 1, "requests a second, the `RATE` (constant, poisson)")
	concurrency := fs.Int("concurrency", 1, "`N` requests in flight (concurrency)")
	steps := fs.String("steps", "1,2,4,8", "ramp: concurrency `LEVELS`, comma-separated")
	stepDuration := fs.Duration("step-duration", 30*time.Second, "ramp: `DURATION` at each level")
	planPath := fs.String("plan", "", "plan `FILE` whose busiest hour to replay a fraction of: its peak PT capacity times --scale, at a constant rate")
	scale := fs.Float64("scale", 0.1, "with --plan: the `FRACTION` of the busiest hour to send")
	inputTokens := fs.Int("input-tokens", 500, "prompt size in `TOKENS` (synthetic text)")
	maxTokens := fs.Int("max-tokens", 200, "most output `TOKENS` per request")
	duration := fs.Duration("duration", time.Minute, "how long to send, a `DURATION` (constant, poisson, concurrency)")
	maxRequests := fs.Int("max-requests", 0, "most requests, `N` (0: no limit but --duration and --max-cost)")
	maxCost := fs.Float64("max-cost", 0, "most `USD` to spend, counting each request in flight at its bound: the prompt's bytes as tokens and the full --max-tokens (required with --yes)")
	maxRetries := fs.Int("max-retries", 2, "`N` retries of a throttled request, each counted")
	yes := fs.Bool("yes", false, "send the requests (without it: dry run)")
	out := fs.String("out", "", "report folder `DIR` (with --yes): probe.csv, probe_summary.csv, charts, calibration.yaml")
	force := fs.Bool("force", false, "replace a non-empty --out folder")
	pricingPath := fs.String("pricing", "", "YAML catalogue `FILE` merged over the embedded one")
	modelUnits := fs.Int("model-units", 0, "`N` MUs behind --target (a PT), to turn capacity into per-MU throughput and write calibration.yaml")
	muIn := fs.Float64("mu-input-tpm", 0, "the plan's assumed input tokens per minute per MU, `TPM`, to compare with")
	muOut := fs.Float64("mu-output-tpm", 0, "the plan's assumed output tokens per minute per MU, `TPM`, to compare with")
	budget := fs.Duration("latency-budget", 0, "p90 latency the plan must keep, a `DURATION` (0: none)")
	seed := fs.Uint64("seed", 1, "`SEED` of Poisson arrivals")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := af.check(fs.Name()); err != nil {
		return err
	}
	if *target == "" {
		return usagef("probe: --target is required (a model id, inference profile id or PT ARN)")
	}
	// A PT's ARN names its region: the calls go there, and its prices
	// are that region's. Another --region would call where the PT is not.
	if r := arnRegion(*target); r != "" {
		if af.region != "" && af.region != r {
			return usagef("probe: --target is in %s, but --region says %s: a PT is called in its own region", r, af.region)
		}
		af.region = r
	}
	modelID := *model
	if modelID == "" && !strings.HasPrefix(*target, "arn:") {
		modelID = *target
	}
	c := probe.Config{Target: *target, API: *api, Shape: *shape, Rate: *rate, Concurrency: *concurrency, StepDuration: *stepDuration,
		InputTokens: *inputTokens, MaxTokens: *maxTokens, Duration: *duration, MaxRequests: *maxRequests, MaxCostUSD: *maxCost,
		MaxRetries: *maxRetries, Seed: *seed}
	if *shape == probe.ShapeRamp {
		for _, f := range strings.Split(*steps, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil {
				return usagef("probe: --steps %q: want concurrency levels such as 1,2,4,8", *steps)
			}
			c.Steps = append(c.Steps, n)
		}
	}
	cat, err := loadCatalogue(*pricingPath)
	if err != nil {
		return err
	}
	region := af.region
	var assumedIn, assumedOut float64 = *muIn, *muOut
	var quotas pricing.Quotas
	if modelID != "" {
		offer, err := cat.Lookup(modelID, region)
		if err != nil {
			return err
		}
		region = offer.Region
		quotas = offer.Quotas
		c.SetPrices(offer)
		if assumedOut == 0 && offer.Throughput.Known() {
			assumedIn, assumedOut = offer.Throughput.InputTPM, offer.Throughput.OutputTPM
		}
	}
	if *planPath != "" {
		plan, err := readPlanFile(*planPath)
		if err != nil {
			return fileFlag("--plan", err)
		}
		if assumedOut == 0 {
			return usagef("probe: --plan needs the plan's MU throughput: --mu-input-tpm and --mu-output-tpm, or a catalogue that has it")
		}
		mu := peakMU(plan)
		if *modelUnits == 0 {
			*modelUnits = mu
		}
		// The busiest hour's PT capacity, scaled, in requests a second.
		perReq := min(assumedIn/float64(*inputTokens), assumedOut/float64(*maxTokens))
		c.Shape, c.Rate = probe.ShapeConstant, *scale*float64(mu)*perReq/60
		if !(c.Rate > 0) {
			return fmt.Errorf("%s: the plan holds no PT to validate", *planPath)
		}
	}
	if err := c.Validate(); err != nil {
		return usagef("probe: %v", err)
	}
	plan := probe.Plan(c)
	if !*yes {
		fmt.Fprintf(stdout, "Dry run: nothing is sent (add --yes and --max-cost to run).\n")
		fmt.Fprintf(stdout, "Target %s via %s: %s.\n", c.Target, c.API, plan.Description)
		fmt.Fprintf(stdout, "Up to %d requests of %d input and at most %d output tokens: %d input and at most %d output tokens.\n",
			plan.Requests, c.InputTokens, c.MaxTokens, plan.InputTokens, plan.MaxOutputTokens)
		if c.InputPer1M > 0 || c.OutputPer1M > 0 {
			fmt.Fprintf(stdout, "At %s on-demand prices: at most $%.4f a request, $%.4f in all.\n", modelID, plan.PerRequestMaxCostUSD, plan.MaxCostUSD)
			fmt.Fprintf(stdout, "A request is counted at its bound, whatever the model's tokenizer: its prompt as %d tokens (one a byte, plus %d for the template) at the dearest prompt price, and all %d output tokens.\n",
				c.InputBound(), c.InputBound()-len(probe.Prompt(c.InputTokens)), c.MaxTokens)
		} else {
			fmt.Fprintln(stdout, "No per-token price known for the target (pass --model for the catalogue's prices).")
		}
		if strings.Contains(c.Target, ":provisioned-model/") {
			fmt.Fprintln(stdout, "A Provisioned Throughput is billed by the hour whatever it carries; the cost above is the on-demand equivalent the cap counts.")
		}
		return nil
	}
	if *maxCost <= 0 {
		return usagef("probe: --yes needs --max-cost USD: the most the run may spend")
	}
	if c.InputPer1M == 0 && c.OutputPer1M == 0 {
		return usagef("probe: no prices to enforce --max-cost with: pass --model (a catalogue model id) or --pricing")
	}
	if *out == "" {
		return usagef("probe: --yes needs --out DIR for the measurements")
	}
	// --force must not replace a folder holding the plan or catalogue the
	// run read.
	folder, err := reports.CreateFolder(*out, *force, *planPath, *pricingPath)
	if err != nil {
		return err
	}
	defer folder.Abort()
	cfg, err := af.load(ctx)
	if err != nil {
		return fmt.Errorf("AWS configuration: %w", err)
	}
	client := bedrockruntime.NewFromConfig(cfg, func(o *bedrockruntime.Options) {
		o.Retryer = aws.NopRetryer{} // the probe retries itself, and counts it
		if e := af.baseEndpoint(); e != nil {
			o.BaseEndpoint = e
		}
	})
	fmt.Fprintf(stderr, "bedrockplan: probing %s (%s); Ctrl-C stops and keeps what was measured\n", c.Target, plan.Description)
	res, err := probe.Run(ctx, &probe.Bedrock{API: client, Target: c.Target, Mode: c.API, BodyFormat: *bodyFormat}, c)
	if err != nil {
		return err
	}
	all := probe.Summarise(res.Records, res.End.Sub(res.Start), c.Cost)
	stepSummaries := probe.Steps(res)
	// Capacity is the plateau of the saturated steps' sustained
	// throughput, not the most a step achieved: a limiter's burst
	// allowance inflates the first saturated step. A run of one shape is
	// one step, saturated when throttled.
	capacity := probe.Calibrate(stepSummaries)
	knee, capIn, capOut := capacity.Knee, capacity.InputTPM, capacity.OutputTPM
	verdict := probe.Verdict(all, knee, capIn, capOut, *modelUnits, assumedIn, assumedOut, *budget)
	calibration := ""
	if knee >= 0 && len(capacity.Used) > 0 {
		calibration = fmt.Sprintf("sustained throughput of %s after each step's warm-up; spread %.1f%%", capacity.StepNames(stepSummaries), 100*capacity.Spread)
		verdict += "Capacity is the median " + calibration + ".\n"
		if capacity.Uncertain != "" {
			verdict += "Uncertain: " + capacity.Uncertain + ".\n"
		}
	} else if len(capacity.ClientLimited) > 0 {
		// No knee: ramping higher helps only if the probe can offer more.
		verdict += "Uncertain: " + capacity.Uncertain + ".\n"
	}
	if q := quotas.TPM; q != nil && !strings.HasPrefix(c.Target, "arn:") {
		// On-demand: the quota, not an MU, is the limit to compare with.
		load := capIn + quotas.Burndown()*capOut
		verdict += fmt.Sprintf("On-demand quota %.0f tokens a minute (input + %g× output): the probe reached %.0f (%.0f%% of it)", *q, quotas.Burndown(), load, 100*load / *q)
		if knee >= 0 {
			verdict += " before throttling set in.\n"
		} else {
			verdict += " without being throttled.\n"
		}
	}
	files := []string{"probe.csv", "probe_summary.csv", "latency.png", "throughput.png"}
	if err := folder.Write("probe.csv", func(w io.Writer) error { return reports.WriteProbe(w, res) }); err != nil {
		return err
	}
	if err := folder.Write("probe_summary.csv", func(w io.Writer) error { return reports.WriteProbeSummary(w, all, stepSummaries) }); err != nil {
		return err
	}
	png, err := reports.ProbeTimeChart(res)
	if err != nil {
		return err
	}
	if err := folder.WriteBytes("latency.png", png); err != nil {
		return err
	}
	if png, err = reports.ProbeThroughputChart(res); err != nil {
		return err
	}
	if err := folder.WriteBytes("throughput.png", png); err != nil {
		return err
	}
	if len(stepSummaries) > 1 {
		png, err := reports.ProbeLoadChart(stepSummaries, knee)
		if err != nil {
			return err
		}
		if err := folder.WriteBytes("load.png", png); err != nil {
			return err
		}
		files = append(files, "load.png")
	}
	calibrated := ""
	switch {
	case *modelUnits <= 0:
		calibrated = "no calibration.yaml: pass --model-units (the MUs behind a PT target) to turn capacity into per-MU throughput"
	case knee < 0:
		calibrated = "no calibration.yaml: the target was not driven to its limit (no throttling, no knee), so its capacity is only a lower bound"
	case len(capacity.Used) == 0:
		calibrated = "no calibration.yaml: " + capacity.Uncertain
	case modelID == "" || region == "":
		calibrated = "no calibration.yaml: pass --model and --region to say which catalogue entry it calibrates"
	default:
		source := fmt.Sprintf("bedrockplan probe of %s (%s, %s, %d MU) at %d input : %d output tokens a request; median %s; one mix cannot tell which limit binds, so the other side is at least this",
			c.Target, c.API, c.Shape, *modelUnits, c.InputTokens, c.MaxTokens, calibration)
		if capacity.Uncertain != "" {
			source = "UNCERTAIN (" + capacity.Uncertain + "): " + source
		}
		yml, err := reports.Calibration(modelID, region, capIn/float64(*modelUnits), capOut/float64(*modelUnits), all.Succeeded, source, time.Now().UTC())
		if err != nil {
			return err
		}
		if err := folder.WriteBytes("calibration.yaml", yml); err != nil {
			return err
		}
		files = append(files, "calibration.yaml")
		calibrated = "calibration.yaml holds the measured throughput per MU: use it with --pricing"
		if capacity.Uncertain != "" {
			calibrated = "calibration.yaml holds the measured throughput per MU, marked uncertain: " + capacity.Uncertain
		}
	}
	if err := folder.Commit(); err != nil {
		return err
	}
	fmt.Fprint(stdout, verdict)
	fmt.Fprintf(stdout, "Stopped: %s. Spent about $%.4f (at on-demand prices).\n%s.\nWrote %s: %s\n", res.Stopped, res.SpentUSD, calibrated, *out, strings.Join(files, ", "))
	if res.SpentUSD > c.MaxCostUSD {
		fmt.Fprintf(stdout, "The service billed past the bound any tokenizer keeps, so the spend passed --max-cost $%.4f; check the token counts in probe.csv against the bill.\n", c.MaxCostUSD)
	}
	if res.Failed || (all.Succeeded == 0 && all.Errors+all.NotReady > 0) {
		// Nothing was measured but failures: not a result to go on.
		return fmt.Errorf("probe: every request failed (%s); what was measured is in %s", everyFailure(res), *out)
	}
	return nil
}

// everyFailure says with what error the last request of a run whose
// requests all failed failed, and why the run stopped.
func everyFailure(res *probe.Result) string {
	for i := len(res.Records) - 1; i >= 0; i-- {
		if r := res.Records[i]; r.Error != "" && !strings.Contains(res.Stopped, r.Error) {
			return "the last with " + r.Error + "; stopped: " + res.Stopped
		}
	}
	return res.Stopped
}

// peakMU is the most model units a plan holds at once: its committed
// blocks and its busiest scheduled hour of the week.
func peakMU(p sim.Plan) int {
	// Committed blocks: the most in service at one time (renewals follow
	// each other; distinct purchases add up).
	type event struct {
		at time.Time
		mu int
	}
	var events []event
	for _, c := range p.Committed {
		end := c.Term.End(c.Start)
		if !c.Term.Committed() {
			end = c.Start.AddDate(100, 0, 0)
		}
		events = append(events, event{c.Start, c.ModelUnits}, event{end, -c.ModelUnits})
	}
	sort.Slice(events, func(i, j int) bool {
		if !events[i].at.Equal(events[j].at) {
			return events[i].at.Before(events[j].at)
		}
		return events[i].mu < events[j].mu // an expiry before a renewal at the same instant
	})
	committed, running := 0, 0
	for _, e := range events {
		running += e.mu
		committed = max(committed, running)
	}
	var slots [sim.Slots]int
	for _, s := range p.Scheduled {
		for _, d := range s.Days {
			for h := int(s.From) / 60; h < (int(s.To)+59)/60 && h < 24; h++ {
				slots[int(d)*24+h] += s.ModelUnits
			}
		}
	}
	most := 0
	for _, v := range slots {
		most = max(most, v)
	}
	return committed + most
}

// arnRegion is the region an ARN names; "" for anything else.
func arnRegion(target string) string {
	if a, err := arn.Parse(target); err == nil {
		return a.Region
	}
	return ""
}
