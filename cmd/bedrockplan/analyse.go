package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/bedrockplan/bedrockplan/reports"
	"github.com/bedrockplan/bedrockplan/sim"
)

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
		Gaps: in.gaps, GapPolicy: in.policy, CatalogueAsOf: in.catalogue.AsOf, Demand: in.demand, Burst: in.burst, BurstFrom: &in.burstFrom, BurstFile: p.metrics, Today: now(),
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
	if r.Sensitivity, err = sim.DetailSensitivity(env, a, detail); err != nil {
		return nil, err
	}
	migration, _ := parseShare(p.migration)
	r.Risk, r.RiskOmitted, err = assessRisk(ctx, env, a, p.scenarios, migration, p.seed)
	if err != nil {
		return nil, interrupted(err, p.out)
	}
	if r.CashFlow, r.CashFlowOmitted, err = cashFlow(ctx, env, a, r.Risk, p.scenarios, detail, r.BuyAt, p.seed); err != nil {
		return nil, interrupted(err, p.out)
	}
	return r, nil
}

// assessRisk runs the commitment-term Monte Carlo when sim.TermRisk
// finds a recommendation to assess and history enough to forecast;
// otherwise it says why not.
func assessRisk(ctx context.Context, env sim.Env, a *sim.Analysis, scenarios int, migration float64, seed uint64) (*sim.Risk, sim.Omitted, error) {
	type result struct {
		risk    *sim.Risk
		omitted sim.Omitted
	}
	r, err := untilInterrupted(ctx, func() (result, error) {
		risk, omitted, err := sim.TermRisk(env, a, sim.RiskOptions{Scenarios: scenarios, MigrationRisk: migration, Seed: seed})
		return result{risk, omitted}, err
	})
	return r.risk, r.omitted, err
}

// cashFlow bills the detail strategy's plan month by month from the
// purchase (sim.DetailCashFlow), or says why it cannot: none with
// --scenarios 0 or history too short to forecast.
func cashFlow(ctx context.Context, env sim.Env, a *sim.Analysis, risk *sim.Risk, scenarios int, detail string, buyAt time.Time, seed uint64) ([]sim.CashFlowMonth, sim.Omitted, error) {
	type result struct {
		months  []sim.CashFlowMonth
		omitted sim.Omitted
	}
	r, err := untilInterrupted(ctx, func() (result, error) {
		months, omitted, err := sim.DetailCashFlow(env, a, risk, detail, buyAt, sim.RiskOptions{Scenarios: scenarios, Seed: seed})
		return result{months, omitted}, err
	})
	return r.months, r.omitted, err
}

func commandOf(detail string) string {
	if detail == sim.StrategyPlan {
		return "simulate"
	}
	return "recommend"
}
