package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/bedrockplan/bedrockplan/reports"
	"github.com/bedrockplan/bedrockplan/sim"
	"github.com/bedrockplan/bedrockplan/workload"
)

// seriesOnlyFlags apply to one series; a portfolio takes them per
// series from the --pricing and --account-quotas files instead.
var seriesOnlyFlags = []string{"mu-input-tpm", "mu-output-tpm", "quota-rpm", "quota-tpm", "quota-tpd", "burndown",
	"reserved-price-input", "reserved-price-output", "reserved-terms"}

// portfolio plans every series of the metrics at once, in parallel, and
// writes the account's folder: one sub-folder per series (its complete
// report, as a run with --model and --region would write it) and the
// account's files at the top. plans, for simulate, are the plan file's
// plans, one per series; nil for recommend.
func (p *planFlags) portfolio(ctx context.Context, fs *flag.FlagSet, src *source, units []workload.Unit, plans []sim.Plan, planPath string,
	loc *time.Location, detail string, args, inputFiles []string, stdout, stderr io.Writer) error {
	var set []string
	fs.Visit(func(f *flag.Flag) {
		for _, name := range seriesOnlyFlags {
			if f.Name == name {
				set = append(set, "--"+name)
			}
		}
	})
	if len(set) > 0 {
		return usagef("%s: %s apply to one series, and %s holds %d (%s): give each model's MU throughput, quotas and Reserved prices in --pricing FILE (and --account-quotas), keyed by model and region, or choose one series with --model and --region",
			commandOf(detail), strings.Join(set, ", "), p.metrics, len(units), unitList(units))
	}
	var existing []sim.Plan
	if p.existing != "" {
		var err error
		if existing, err = readPlansFile(p.existing); err != nil {
			return fileFlag("--existing", err)
		}
	}
	// Every existing plan is for a series of the metrics: one that is
	// not is a mistake (a model id mistyped), not commitments to ignore.
	for _, ex := range existing {
		found := false
		for _, u := range units {
			if u.Holds(ex.ModelID, ex.Region) {
				found = true
				break
			}
		}
		if !found {
			return fmt.Errorf("%s: a plan for %s, which %s does not hold (it holds %s)", p.existing, planList([]sim.Plan{ex}), p.metrics, unitList(units))
		}
	}
	// Each series' plan, for simulate: every series needs one.
	planOf := make([]*sim.Plan, len(units))
	if detail == sim.StrategyPlan {
		var missing []string
		for i, u := range units {
			for k := range plans {
				if u.Holds(plans[k].ModelID, plans[k].Region) {
					pl := plans[k]
					planOf[i] = &pl
					break
				}
			}
			if planOf[i] == nil {
				missing = append(missing, place(u.Model, u.Region))
			}
		}
		if len(missing) > 0 {
			return fmt.Errorf("%s: no plan for %s (the metrics hold %d series; give one plan per series, as a YAML list or documents separated by ---, or choose one with --model)",
				planPath, strings.Join(missing, ", "), len(units))
		}
	}
	folder, err := reports.CreateFolder(p.out, p.force, append(p.inputPaths(), inputFiles...)...)
	if err != nil {
		return err
	}
	defer folder.Abort()
	folder.StopOn(ctx)

	// The input files are hashed once for every series' report: the
	// metrics file holds them all, and hashing it per series would cost
	// the square of the account's size.
	inputs, err := inputsOf(inputFiles...)
	if err != nil {
		return err
	}
	results := make([]seriesResult, len(units))
	workers := p.workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	names := folderNames(units)
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, len(units)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				results[i] = p.planSeries(ctx, folder, names[i], src, units[i], planOf[i], existing, loc, detail, args, inputs)
			}
		}()
	}
	for i := range units {
		if ctx.Err() != nil {
			break
		}
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return interrupted(err, p.out)
	}
	// Warnings in the series' order, whatever order they ran in.
	var failed []string
	for i, r := range results {
		for _, line := range splitNonEmpty(r.warnings.String()) {
			fmt.Fprintf(stderr, "bedrockplan: [%s] %s\n", unitList(units[i:i+1]), strings.TrimPrefix(line, "bedrockplan: "))
		}
		if r.err != nil {
			if errors.Is(r.err, context.Canceled) {
				return interrupted(r.err, p.out)
			}
			failed = append(failed, fmt.Sprintf("%s: %v", unitList(units[i:i+1]), r.err))
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("%d of %d series could not be planned, so no report was written:\n  %s", len(failed), len(units), strings.Join(failed, "\n  "))
	}
	pf := &reports.Portfolio{
		CommandLine: "bedrockplan " + quoteArgs(append([]string{commandOf(detail)}, args...)),
		Detail:      detail, Lang: p.lang, Version: version(), Today: now(),
	}
	pf.BuyAt, _ = buyAt(p.buyAt) // checked in check
	if pf.ChartFont, err = chartFont(p.lang, p.font); err != nil {
		return err
	}
	for _, r := range results {
		pf.Rows = append(pf.Rows, r.row)
		pf.Purchases = append(pf.Purchases, r.purchases...)
		pf.AddCashFlow(r.cashFlow)
	}
	if err := pf.Write(folder); err != nil {
		return interrupted(err, p.out)
	}
	if err := ctx.Err(); err != nil {
		return interrupted(err, p.out)
	}
	if err := folder.Commit(); err != nil {
		return err
	}
	fmt.Fprint(stdout, pf.Verdict())
	fmt.Fprintf(stdout, "\nReport written to %s: %s, and one folder per series: %s\n", p.out, strings.Join(pf.Files(), ", "), strings.Join(names, ", "))
	return nil
}

// seriesResult is one series of a portfolio, planned and written.
type seriesResult struct {
	row       reports.PortfolioRow
	purchases []sim.Purchase
	cashFlow  []sim.CashFlowMonth
	warnings  bytes.Buffer
	err       error
}

// planSeries plans one series exactly as a single-series run of it
// would, and writes its report into its sub-folder of the portfolio.
// inputs are the input files with their hashes (inputsOf), computed once
// for the portfolio.
func (p *planFlags) planSeries(ctx context.Context, folder *reports.Folder, name string, src *source, u workload.Unit, plan *sim.Plan, existing []sim.Plan,
	loc *time.Location, detail string, args []string, inputs []reports.Input) (res seriesResult) {
	fail := func(err error) seriesResult { res.err = err; return res }
	in, err := p.unit(src, u.Model, u.Region, existing, false, &res.warnings)
	if err != nil {
		return fail(err)
	}
	if plan != nil {
		pl := *plan
		if pl.Region == "" {
			pl.Region = in.offer.Region
		}
		plan = &pl
		loc = pl.Location()
	}
	// The series' own command: the account's, for this series alone and
	// into its sub-folder (into the account's --out it would replace the
	// whole account with one series).
	alone := append(outTo(args, filepath.Join(p.out, name)), "--model", u.Model)
	if u.Region != "" {
		alone = append(alone, "--region", u.Region)
	}
	r, err := p.analyse(ctx, in, plan, loc, detail, alone, nil)
	if err != nil {
		return fail(err)
	}
	r.Inputs = inputs
	sub, err := folder.Sub(name)
	if err != nil {
		return fail(err)
	}
	if err := r.Write(sub); err != nil {
		return fail(err)
	}
	// The account's verdict does not repeat the series' warnings: they
	// are said here, once, with the series they are about.
	for _, n := range []sim.Note{in.regionNote, {Code: sim.NoteLifecycle, Offer: sim.Facts(in.offer)}, in.shortHistory, in.soldByOverride} {
		if w := reports.Note(n); w != "" {
			fmt.Fprintf(&res.warnings, "%s\n", w)
		}
	}
	res.row = r.PortfolioRow(detail, name)
	res.purchases = r.Written().Purchases
	res.cashFlow = r.Written().CashFlow
	return res
}

// folderNames names each series' sub-folder after its model, tier and
// region, in characters every file system takes; names that would
// collide get a number.
func folderNames(units []workload.Unit) []string {
	unsafe := regexp.MustCompile(`[^A-Za-z0-9._+-]+`)
	seen := map[string]int{}
	out := make([]string, len(units))
	for i, u := range units {
		name := unsafe.ReplaceAllString(u.Model, "_")
		if u.Region != "" {
			name += "_" + u.Region
		}
		seen[name]++
		if n := seen[name]; n > 1 {
			name = fmt.Sprintf("%s-%d", name, n)
		}
		out[i] = name
	}
	return out
}

// unitList names units as the metrics do: model (region).
func unitList(units []workload.Unit) string {
	names := make([]string, len(units))
	for i, u := range units {
		names[i] = place(u.Model, u.Region)
	}
	return strings.Join(names, ", ")
}

func splitNonEmpty(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}

// readPlansFile reads a plan file holding one plan or several (a YAML
// list, or documents separated by ---).
func readPlansFile(path string) ([]sim.Plan, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return reports.ReadPlans(f, path)
}

// outTo is args with --out's value replaced by dir.
func outTo(args []string, dir string) []string {
	out := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case (a == "--out" || a == "-out") && i+1 < len(args):
			out = append(out, a, dir)
			i++
		case strings.HasPrefix(a, "--out=") || strings.HasPrefix(a, "-out="):
			out = append(out, a[:strings.Index(a, "=")+1]+dir)
		default:
			out = append(out, a)
		}
	}
	return out
}
