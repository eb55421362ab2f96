package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/bedrockplan/bedrockplan/internal/suggest"
	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/reports"
	"github.com/bedrockplan/bedrockplan/workload"
)

func runImport(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("import", "Turns request-level data into a metrics CSV, aggregated to --period:\n"+
		"  requests         a CSV with one row per request (columns named by --time-col, --input-col, --output-col,\n"+
		"                   --model-col or --model); --preset azure-trace reads the Azure LLM inference traces\n"+
		"  invocation-logs  Bedrock model invocation logs: JSON lines, plain or .gz (several files may be given)\n"+
		"  get-metric-data  the JSON `aws cloudwatch get-metric-data` prints for AWS/Bedrock metrics\n"+
		"The format is guessed from the file name (.csv, .jsonl/.gz, .json) unless --format says it.",
		"bedrockplan import --preset azure-trace --model meta.llama3-1-70b-instruct-v1:0 --region us-west-2 --out metrics.csv AzureLLMInferenceTrace_conv.csv")
	format := fs.String("format", "auto", "`FORMAT` of the files: requests, invocation-logs, get-metric-data, or auto (by file name)")
	out := fs.String("out", "", "metrics CSV `FILE` to write (required; an existing file is replaced only with --force)")
	force := fs.Bool("force", false, "replace an existing --out file")
	period := fs.Int("period", 60, "interval length in `SECONDS` (get-metric-data: default is the data's own period)")
	region := fs.String("region", "", "AWS `REGION` to record on every row")
	model := fs.String("model", "", "model `ID` of all requests (requests, get-metric-data without model ids in the labels)")
	preset := fs.String("preset", "", "column layout `NAME`: azure-trace (TIMESTAMP, ContextTokens, GeneratedTokens)")
	timeCol := fs.String("time-col", "timestamp", "requests: `COLUMN` with the request time")
	inputCol := fs.String("input-col", "input_tokens", "requests: `COLUMN` with input tokens")
	outputCol := fs.String("output-col", "output_tokens", "requests: `COLUMN` with output tokens")
	modelCol := fs.String("model-col", "", "requests: `COLUMN` with the model id (else --model)")
	timeFormat := fs.String("time-format", "auto", "requests: `LAYOUT` of the times: auto (RFC 3339 or 2006-01-02 15:04:05.fffffff), unix, unix-ms, or a Go layout")
	timeZone := fs.String("timezone", "UTC", "requests: IANA time `ZONE` of timestamps that carry none")
	alias(fs, "time-zone", "timezone") // the spelling before recommend's --timezone was the one
	skipBad := fs.Bool("skip-bad", false, "skip and count bad rows instead of stopping at the first")
	files, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	switch {
	case *out == "":
		return usagef("import: --out FILE is required")
	case len(files) == 0:
		return usagef("import: which files? e.g. bedrockplan import --out metrics.csv requests.csv")
	case *period <= 0:
		return usagef("import: --period %d: want a positive number of seconds", *period)
	case *period > int(workload.MaxPeriod/time.Second):
		return usagef("import: --period %d: at most %d seconds (a week)", *period, int(workload.MaxPeriod/time.Second))
	case *timeZone == "Local":
		return usagef("import: --timezone Local is whatever zone this machine is set to; name the zone (e.g. Asia/Tokyo or UTC)")
	}
	loc, err := time.LoadLocation(*timeZone)
	if err != nil {
		return usagef("import: --timezone %q is not an IANA time zone", *timeZone)
	}
	spec := workload.RequestCSV{TimeCol: *timeCol, InputCol: *inputCol, OutputCol: *outputCol, ModelCol: *modelCol, Model: *model,
		TimeFormat: *timeFormat, Location: loc, SkipBad: *skipBad}
	switch *preset {
	case "":
	case "azure-trace":
		a := workload.AzureTrace(*model)
		spec.TimeCol, spec.InputCol, spec.OutputCol = a.TimeCol, a.InputCol, a.OutputCol
	default:
		return usagef("import: --preset %q: the only preset is azure-trace", *preset)
	}
	kind := *format
	if kind == "auto" {
		kind = guessFormat(files[0])
	}
	for _, f := range files {
		if abs(f) == abs(*out) {
			return usagef("import: --out %s is also an input", *out)
		}
	}
	var m *workload.Metrics
	var total workload.ImportSummary
	switch kind {
	case "requests", "invocation-logs":
		if kind == "requests" && spec.Model == "" && spec.ModelCol == "" {
			return usagef("import: say which model the requests are for: --model ID or --model-col NAME")
		}
		agg := workload.NewAggregator(time.Duration(*period)*time.Second, *region)
		for _, path := range files {
			f, err := os.Open(path)
			if err != nil {
				return err
			}
			var sum workload.ImportSummary
			if kind == "requests" {
				sum, err = workload.ImportRequestCSV(f, path, spec, agg)
			} else {
				sum, err = workload.ImportInvocationLogs(f, path, *skipBad, agg)
			}
			f.Close()
			if err != nil {
				return err
			}
			addSummary(&total, sum)
		}
		if m, err = agg.Metrics(); err != nil {
			return err
		}
	case "get-metric-data":
		if len(files) != 1 {
			return usagef("import: get-metric-data takes one file")
		}
		f, err := os.Open(files[0])
		if err != nil {
			return err
		}
		var explicit time.Duration
		fs.Visit(func(f *flag.Flag) {
			if f.Name == "period" {
				explicit = time.Duration(*period) * time.Second
			}
		})
		m, total, err = workload.ImportGetMetricData(f, files[0], *model, *region, explicit)
		f.Close()
		if err != nil {
			return err
		}
	default:
		return usagef("import: --format %q: want requests, invocation-logs or get-metric-data", kind)
	}
	if err := workload.WriteMetricsFile(*out, m, *force); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Read %d %s from %d file(s)", total.Rows, map[bool]string{true: "records", false: "rows"}[kind != "requests"], len(files))
	if total.Skipped > 0 {
		fmt.Fprintf(stdout, ", skipped %d bad ones", total.Skipped)
	}
	fmt.Fprintf(stdout, "; %s to %s.\n", total.First.UTC().Format(time.RFC3339), total.Last.UTC().Format(time.RFC3339))
	for _, s := range m.Series {
		t := s.Totals()
		fmt.Fprintf(stdout, "  %s: %d %s intervals from %s, %s requests, %s input and %s output tokens\n", s.Key(), s.Len(), reports.Period(s.Period),
			s.Time(0).Format(time.RFC3339), reports.SI(t.Invocations), reports.SI(t.InputTokens), reports.SI(t.OutputTokens))
	}
	fmt.Fprintf(stdout, "Wrote %s.\n", *out)
	warnUnpriced(stderr, m, pricing.Default())
	return nil
}

// warnUnpriced warns about every model id of m that cat has no entry
// for, with the closest id it has: a typo in --model or a log's own
// spelling, caught at import rather than at recommend, which cannot
// price the model without --pricing FILE.
func warnUnpriced(w io.Writer, m *workload.Metrics, cat *pricing.Catalogue) {
	ids := cat.ModelIDs()
	seen := map[string]bool{}
	for _, s := range m.Series {
		id := s.ModelID
		if seen[id] {
			continue
		}
		seen[id] = true
		if _, ok := cat.Models[id]; ok {
			continue
		}
		if _, base, profile := pricing.ParseProfile(id); profile && cat.Models[base] != nil {
			fmt.Fprintf(w, "bedrockplan: warning: the inference profile %q has no prices in the catalogue; a profile is priced on its own, so recommend needs them from --pricing FILE (bedrockplan pricing show %s has the model's own)\n", id, base)
			continue
		}
		msg := fmt.Sprintf("bedrockplan: warning: model %q is not in the price catalogue", id)
		if c := suggest.Closest(id, ids); c != "" {
			msg += fmt.Sprintf("; did you mean %q?", c)
		}
		fmt.Fprintf(w, "%s Recommend needs its prices from --pricing FILE; bedrockplan pricing list shows the catalogue.\n", msg)
	}
}

func addSummary(total *workload.ImportSummary, s workload.ImportSummary) {
	total.Rows += s.Rows
	total.Skipped += s.Skipped
	if total.First.IsZero() || (!s.First.IsZero() && s.First.Before(total.First)) {
		total.First = s.First
	}
	if s.Last.After(total.Last) {
		total.Last = s.Last
	}
}

func guessFormat(path string) string {
	switch p := strings.ToLower(path); {
	case strings.HasSuffix(p, ".csv"):
		return "requests"
	case strings.HasSuffix(p, ".json"):
		return "get-metric-data"
	}
	return "invocation-logs"
}

func abs(p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	return a
}
