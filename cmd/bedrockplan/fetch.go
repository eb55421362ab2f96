package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	sdkbedrock "github.com/aws/aws-sdk-go-v2/service/bedrock"
	sdkcw "github.com/aws/aws-sdk-go-v2/service/cloudwatch"

	"github.com/bedrockplan/bedrockplan/bedrock"
	"github.com/bedrockplan/bedrockplan/internal/atomicfile"
	"github.com/bedrockplan/bedrockplan/reports"
	"github.com/bedrockplan/bedrockplan/workload"
	"github.com/bedrockplan/bedrockplan/workload/cloudwatch"
)

func runFetch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("fetch", "Pulls AWS/Bedrock metrics (Invocations, InputTokenCount, OutputTokenCount, InvocationThrottles,\n"+
		"CacheReadInputTokens, CacheWriteInputTokens, InvocationLatency average and p90, EstimatedTPMQuotaUsage,\n"+
		"TimeToFirstToken average) from CloudWatch into a metrics CSV, one series per model and service tier: ids with\n"+
		"+priority, +flex or +latency-optimized and the ResolvedServiceTier (else ServiceTier) dimension give the tier.\n"+
		"Each part of the range is fetched at the finest period CloudWatch still keeps for it (1 minute for 15 days,\n"+
		"5 minutes for 63, 1 hour for 455). Re-running over an overlapping range fetches only what --out lacks.",
		"# a dry run: the calls it would make and their estimated cost; sends nothing\n"+
			"bedrockplan fetch --region us-east-1 --since 30d --out metrics.csv --dry-run\n"+
			"# without --dry-run it fetches: CloudWatch bills GetMetricData, about $0.01 per 1,000 metrics requested")
	var af awsFlags
	af.register(fs, "AWS `REGION` (default: the standard AWS configuration)",
		"`URL` of the CloudWatch (and Bedrock) endpoint, e.g. a VPC endpoint or an emulator", defaultAWSTimeout)
	models := fs.String("models", "all", "`MODELS`: all (discovered with ListMetrics) or a comma-separated list of model ids and PT ARNs")
	since := fs.String("since", "30d", "how far back from now, a `DURATION` such as 30d or 12h (ignored with --start)")
	startFlag := fs.String("start", "", "range start, an RFC 3339 `TIME` (with --end)")
	endFlag := fs.String("end", "", "range end, an RFC 3339 `TIME` (default now)")
	periodFlag := fs.String("period", "auto", "`SECONDS` per interval: auto (finest per retention tier), 60, 300 or 3600")
	provisioned := fs.Bool("provisioned", false, "also fetch the account's Provisioned Throughput ARNs (ListProvisionedModelThroughputs)")
	mantle := fs.Bool("mantle", false, "also fetch AWS/BedrockMantle (traffic through the OpenAI-compatible endpoint, assumed to use\nAWS/Bedrock's metric names and dimensions) and add it to the same models and tiers")
	dryRun := fs.Bool("dry-run", false, "print the call plan and its estimated cost; send nothing")
	out := fs.String("out", "", "metrics CSV `FILE` to write or extend (required)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := af.check(fs.Name()); err != nil {
		return err
	}
	if *out == "" {
		return usagef("fetch: --out FILE is required")
	}
	t := time.Now().UTC()
	start, end, err := fetchRange(t, *since, *startFlag, *endFlag)
	if err != nil {
		return err
	}
	var writeOut func(*workload.Metrics) error
	var period time.Duration
	if *periodFlag != "auto" {
		p, err := strconv.Atoi(*periodFlag)
		if err != nil || p <= 0 {
			return usagef("fetch: --period %q: want auto, 60, 300 or 3600", *periodFlag)
		}
		period = time.Duration(p) * time.Second
	}
	tiers, err := cloudwatch.Tiers(start, end, t, period)
	if err != nil {
		if period != 0 {
			return usageError{"fetch: " + err.Error()}
		}
		return err
	}
	if !*dryRun {
		// Held from reading what --out holds to writing it back merged:
		// two fetches extending one file at once would each drop what
		// the other brought.
		lock, err := atomicfile.Lock(*out)
		if err != nil {
			return err
		}
		defer lock.Unlock()
		writeOut = func(m *workload.Metrics) error {
			err := lock.Write(func(w *bufio.Writer) error { return workload.WriteMetrics(w, m) })
			if err != nil {
				return fmt.Errorf("%s: %w", *out, err)
			}
			return nil
		}
	}
	var existing *workload.Metrics
	if _, err := os.Stat(*out); err == nil {
		if existing, err = workload.ReadMetricsFile(*out); err != nil {
			return fmt.Errorf("%w\n(--out must be a metrics CSV that fetch can extend; choose a new file to start over)", err)
		}
	}
	namespaces := []string{cloudwatch.Namespace}
	if *mantle {
		namespaces = append(namespaces, cloudwatch.MantleNamespace)
	}
	named := map[cloudwatch.Source][]cloudwatch.Metric{}
	if *models != "all" {
		var ids []string
		for _, id := range strings.Split(*models, ",") {
			if id = strings.TrimSpace(id); id != "" {
				ids = append(ids, id)
			}
		}
		if len(ids) == 0 {
			return usagef("fetch: --models %q names no model", *models)
		}
		named = cloudwatch.Named(ids, namespaces...)
	}
	if *dryRun {
		return dryRunFetch(stdout, existing, named, tiers, *provisioned, namespaces)
	}
	cfg, err := af.load(ctx)
	if err != nil {
		return fmt.Errorf("AWS configuration: %w", err)
	}
	if cfg.Region == "" {
		return usagef("fetch: no AWS region: pass --region or set AWS_REGION")
	}
	cw := sdkcw.NewFromConfig(cfg, func(o *sdkcw.Options) {
		if e := af.baseEndpoint(); e != nil {
			o.BaseEndpoint = e
		}
	})
	fetcher := &cloudwatch.Fetcher{API: cw, Region: cfg.Region}
	if *models == "all" {
		for _, ns := range namespaces {
			found, notes, err := fetcher.Discover(ctx, ns)
			if err != nil {
				return err
			}
			ids := map[string]bool{}
			for src, present := range found {
				named[src] = cloudwatch.MetricsFor(present)
				model, _, _ := src.Series()
				ids[model] = true
			}
			fmt.Fprintf(stderr, "bedrockplan: ListMetrics found %d models with %s metrics in %s. It only sees metrics with data in the last two weeks: name older models with --models.\n", len(ids), ns, cfg.Region)
			for _, n := range notes {
				fmt.Fprintf(stderr, "bedrockplan: %s\n", n)
			}
		}
	}
	if *provisioned {
		br := sdkbedrock.NewFromConfig(cfg, func(o *sdkbedrock.Options) {
			if e := af.baseEndpoint(); e != nil {
				o.BaseEndpoint = e
			}
		})
		pts, err := bedrock.ListProvisioned(ctx, br)
		if err != nil {
			return err
		}
		for _, p := range pts {
			src := cloudwatch.Source{Namespace: cloudwatch.Namespace, ModelID: p.ARN}
			if _, ok := named[src]; !ok {
				named[src] = cloudwatch.MetricsFor(nil)
			}
		}
		fmt.Fprintf(stderr, "bedrockplan: %d Provisioned Throughputs in %s added.\n", len(pts), cfg.Region)
	}
	if len(named) == 0 {
		return errors.New("no models to fetch: ListMetrics found no AWS/Bedrock metrics in the last two weeks; name models with --models")
	}
	calls := cloudwatch.PlanCalls(cloudwatch.Missing(existing, named, tiers))
	if len(calls) == 0 {
		fmt.Fprintf(stdout, "%s already holds %s for every model; nothing to fetch.\n", *out, describeTiers(tiers))
		return nil
	}
	if isTerminal(stderr) {
		fetcher.Progress = progressBar(stderr)
	}
	res, fetchErr := fetcher.Fetch(ctx, calls)
	if isTerminal(stderr) {
		fmt.Fprintln(stderr)
	}
	merged, err := cloudwatch.Merge(existing, res.Metrics)
	if err != nil {
		return err
	}
	if res.Done > 0 {
		if err := writeOut(merged); err != nil {
			return err
		}
	}
	cost := float64(res.Requested) * cloudwatch.USDPerThousandMetrics / 1000
	if fetchErr != nil {
		if res.Done == 0 {
			return fmt.Errorf("%w; nothing was written, %s is as it was", fetchErr, *out)
		}
		return fmt.Errorf("%w\nstopped after %d of %d calls; %s holds what they brought (%d metrics requested, about $%.4f). Run the same command again to fetch the rest",
			fetchErr, res.Done, res.Planned, *out, res.Requested, cost)
	}
	fmt.Fprintf(stdout, "Fetched %s in %d GetMetricData calls (%d metrics requested, about $%.4f).\n", describeTiers(tiers), res.Done, res.Requested, cost)
	// One line per model and service tier ("m+flex"), as --model names it.
	keys := map[string][]*workload.Series{}
	var ids []string
	for _, s := range merged.Series {
		id := workload.WithTierSuffix(s.ModelID, s.ServiceTier)
		if keys[id] == nil {
			ids = append(ids, id)
		}
		keys[id] = append(keys[id], s)
	}
	sort.Strings(ids)
	for _, id := range ids {
		var parts []string
		var inv float64
		for _, s := range keys[id] {
			parts = append(parts, fmt.Sprintf("%d x %s", s.Len(), s.Period))
			inv += s.Totals().Invocations
		}
		fmt.Fprintf(stdout, "  %s: %s intervals, %s requests\n", id, strings.Join(parts, " + "), reports.SI(inv))
	}
	fmt.Fprintf(stdout, "Wrote %s.\n", *out)
	return nil
}

// fetchRange resolves --since / --start / --end.
func fetchRange(now time.Time, since, start, end string) (time.Time, time.Time, error) {
	e := now
	if end != "" {
		t, err := time.Parse(time.RFC3339, end)
		if err != nil {
			return time.Time{}, time.Time{}, usagef("fetch: --end %q is not an RFC 3339 time", end)
		}
		e = t
	}
	if start != "" {
		s, err := time.Parse(time.RFC3339, start)
		if err != nil {
			return time.Time{}, time.Time{}, usagef("fetch: --start %q is not an RFC 3339 time", start)
		}
		if !e.After(s) {
			return time.Time{}, time.Time{}, usagef("fetch: --end must be after --start")
		}
		return s, e, nil
	}
	if end != "" {
		return time.Time{}, time.Time{}, usagef("fetch: --end needs --start")
	}
	d, err := parseSince(since)
	if err != nil {
		return time.Time{}, time.Time{}, usagef("fetch: --since %q: %v", since, err)
	}
	return e.Add(-d), e, nil
}

// parseSince reads "30d", "12h", "90m" or any Go duration.
func parseSince(s string) (time.Duration, error) {
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.Atoi(n)
		if err != nil || days <= 0 {
			return 0, errors.New("want a positive number of days, e.g. 30d")
		}
		return time.Duration(days) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, errors.New("want e.g. 30d or 12h")
	}
	return d, nil
}

func describeTiers(tiers []cloudwatch.Span) string {
	parts := make([]string, len(tiers))
	for i, t := range tiers {
		parts[i] = t.String()
	}
	return strings.Join(parts, ", ")
}

// dryRunFetch prints what a fetch would ask for; it sends nothing.
func dryRunFetch(w io.Writer, existing *workload.Metrics, named map[cloudwatch.Source][]cloudwatch.Metric, tiers []cloudwatch.Span, provisioned bool, namespaces []string) error {
	fmt.Fprintf(w, "Dry run: nothing is sent.\nRange: %s.\n", describeTiers(tiers))
	if len(named) == 0 {
		fmt.Fprintln(w, "With --models all the models and their service tiers come from ListMetrics, which a dry run does not call; the plan below is for one model on one tier with all metrics. Multiply by your count of models and tiers, or name the models with --models.")
		named = cloudwatch.Named([]string{"<each model>"}, namespaces...)
	}
	if provisioned {
		fmt.Fprintln(w, "With --provisioned the account's PT ARNs would be listed (bedrock:ListProvisionedModelThroughputs) and fetched too.")
	}
	calls := cloudwatch.PlanCalls(cloudwatch.Missing(existing, named, tiers))
	if len(calls) == 0 {
		fmt.Fprintln(w, "The output already holds this range for these models: no calls.")
		return nil
	}
	fmt.Fprint(w, cloudwatch.Describe(calls))
	return nil
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// progressBar draws "[=====     ] 12/40 calls" on one line.
func progressBar(w io.Writer) func(done, total int) {
	return func(done, total int) {
		const width = 30
		filled := width * done / total
		fmt.Fprintf(w, "\rfetching [%s%s] %d/%d calls", strings.Repeat("=", filled), strings.Repeat(" ", width-filled), done, total)
	}
}
