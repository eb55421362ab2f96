package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/reports"
	"github.com/bedrockplan/bedrockplan/sim"
	"github.com/bedrockplan/bedrockplan/workload"
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
	if in.shortHistory != "" {
		// #13 asks for it on stderr as well as in the verdict: a
		// script that keeps only stdout's report still sees why nothing
		// was bought, and one that reads stderr for problems sees it too.
		fmt.Fprintf(stderr, "bedrockplan: %s: %s\n", p.metrics, in.shortHistory)
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
	if in.shortHistory != "" {
		a.Warnings = append(a.Warnings, in.shortHistory)
	}
	if in.regionNote != "" {
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

func commandOf(detail string) string {
	if detail == sim.StrategyPlan {
		return "simulate"
	}
	return "recommend"
}
