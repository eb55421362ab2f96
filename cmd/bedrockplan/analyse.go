package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/bedrockplan/bedrockplan/reports"
	"github.com/bedrockplan/bedrockplan/sim"
)

// analyseAndWrite plans one series, writes the report folder
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

// analyse plans one series (sim.Run) with the flags' options and
// returns the report to write.
func (p *planFlags) analyse(ctx context.Context, in *inputs, plan *sim.Plan, loc *time.Location, detail string, args, inputFiles []string) (*reports.Report, error) {
	flex, _ := parseShare(p.flexShare)
	batch, _ := parseShare(p.batchShare)
	migration, _ := parseShare(p.migration)
	env := sim.Env{Series: in.series, Offer: in.offer, TimeZone: loc, Optimise: in.optimise, Options: sim.Options{Burst: in.burst},
		Moves: sim.Moves{Flex: flex, Batch: batch}}
	r := &reports.Report{
		CommandLine: "bedrockplan " + quoteArgs(append([]string{commandOf(detail)}, args...)),
		Series:      in.series, Offer: in.offer, TimeZone: loc,
		Gaps: in.gaps, GapPolicy: in.policy, CatalogueAsOf: in.catalogue.AsOf, Demand: in.demand, Burst: in.burst, BurstFrom: &in.burstFrom, BurstFile: p.metrics, Today: now(),
		Lang: p.lang, Version: version(), Intervals: reports.IntervalsMode(p.intervals),
	}
	r.BuyAt, _ = buyAt(p.buyAt) // checked in check
	run, err := planRun(ctx, env, plan, sim.RunOptions{Detail: detail, Scenarios: p.scenarios, MigrationRisk: migration, Seed: p.seed,
		BuyAt: r.BuyAt, Tiers: in.tiers, Notes: []sim.Note{in.shortHistory, in.regionNote, in.soldByOverride}})
	if err != nil {
		return nil, interrupted(err, p.out)
	}
	fromRun(r, run)
	if r.ChartFont, err = chartFont(p.lang, p.font); err != nil {
		return nil, err
	}
	if r.Inputs, err = inputsOf(inputFiles...); err != nil {
		return nil, err
	}
	return r, nil
}

// planRun runs sim.Run until ctx is done (Ctrl-C): then it returns ctx's
// error at once, and the abandoned run stops at its next step.
func planRun(ctx context.Context, env sim.Env, plan *sim.Plan, opt sim.RunOptions) (*sim.RunResult, error) {
	return untilInterrupted(ctx, func() (*sim.RunResult, error) { return sim.Run(ctx, env, plan, opt) })
}

// fromRun puts a planning run's results in the report.
func fromRun(r *reports.Report, run *sim.RunResult) {
	r.Analysis, r.Detail, r.DetailResult = run.Analysis, run.Detail, run.DetailResult
	r.Sensitivity, r.ExistingMU = run.Sensitivity, run.ExistingMU
	r.Risk, r.RiskOmitted = run.Risk, run.RiskOmitted
	r.CashFlow, r.CashFlowOmitted, r.Forecast = run.CashFlow, run.CashFlowOmitted, run.Forecast
}

func commandOf(detail string) string {
	if detail == sim.StrategyPlan {
		return "simulate"
	}
	return "recommend"
}
