package sim

import (
	"context"
	"time"

	"github.com/bedrockplan/bedrockplan/workload"
)

// RunOptions are the choices of a planning run (Run) beyond its Env.
type RunOptions struct {
	// Detail is the strategy the report details: StrategyRecommended, or
	// StrategyPlan when a plan is given.
	Detail string
	// Scenarios is the number of Monte Carlo scenarios of the
	// commitment-term risk and the cash flow (0: neither runs).
	Scenarios int
	// MigrationRisk is the probability that the traffic moves to another
	// model within the risk's horizon.
	MigrationRisk float64
	Seed          uint64
	// BuyAt is when the plan's commitments would be bought: the first
	// month of the cash flow.
	BuyAt time.Time
	// Tiers are every service tier's series of the model (gap-free),
	// when the metrics hold more than one; each is priced on-demand at
	// its tier's prices (Analysis.Tiers.ByTier).
	Tiers []*workload.Series
	// Notes are warnings the analysis carries besides its own, in order
	// (a short history, the traffic of another region); notes without a
	// code are left out.
	Notes []Note
}

// RunResult is a planning run of one series: the analysis and what the
// report shows beside it.
type RunResult struct {
	// Analysis holds the strategies, with the warnings of RunOptions.Notes
	// after its own, and the on-demand cost of each tier of RunOptions.Tiers.
	Analysis *Analysis
	// Detail is the strategy replayed interval by interval
	// (DetailStrategy: RunOptions.Detail, or on-demand when it was
	// skipped), and DetailResult its replay.
	Detail       string
	DetailResult *Result
	// Sensitivity prices the detail strategy at other MU throughputs
	// (DetailSensitivity); nil when it does not apply.
	Sensitivity *Sensitivity
	// Risk is the commitment-term risk (TermRisk), or RiskOmitted says
	// why there is none.
	Risk        *Risk
	RiskOmitted Omitted
	// CashFlow is the detail strategy billed month by month from
	// RunOptions.BuyAt (DetailCashFlow), or CashFlowOmitted says why
	// there is none.
	CashFlow        []CashFlowMonth
	CashFlowOmitted Omitted
	// Forecast is the demand forecast the risk analysis and the cash
	// flow drew their scenarios from: Risk's, or the cash flow's own
	// when no risk analysis ran; nil when neither did.
	Forecast *workload.Forecast
	// ExistingMU is the model units the existing commitments
	// (env.Optimise.Existing) hold in service in each interval, when
	// there are some and a recommendation was optimised; else nil.
	ExistingMU []float64
}

// Run plans one series: it analyses the strategies (Analyse, plan as
// its first row when given), adds the notes and the tiers' costs, prices
// the detail strategy's throughput sensitivity, the commitment-term risk
// and the cash flow, counts the existing model units, and replays the
// detail strategy interval by interval. It checks ctx between these
// steps and returns ctx's error once ctx is done; a step already running
// runs to its end, so a caller that must stop at once (Ctrl-C) runs Run
// apart and stops waiting for it.
func Run(ctx context.Context, env Env, plan *Plan, opt RunOptions) (*RunResult, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	a, err := Analyse(env, plan)
	if err != nil {
		return nil, err
	}
	for _, n := range opt.Notes {
		if n.Code != "" {
			a.Warnings = append(a.Warnings, n)
		}
	}
	if len(opt.Tiers) > 0 {
		// Each tier at its own prices: the offer's on-demand prices are
		// its tier's, and CostByTier starts from Standard's.
		base := env.Offer
		if base.Tier != "" {
			base.OnDemand = base.Standard
		}
		byTier, err := CostByTier(opt.Tiers, base, env.Options)
		if err != nil {
			return nil, err
		}
		if a.Tiers == nil {
			a.Tiers = &TierFigures{Tier: env.Offer.Tier}
		}
		a.Tiers.ByTier = byTier
	}
	r := &RunResult{Analysis: a}
	if ex := env.Optimise.Existing; len(ex) > 0 && a.Optimum != nil {
		if r.ExistingMU, err = ModelUnitsInService(env.Series, env.Offer, ex); err != nil {
			return nil, err
		}
	}
	// The sensitivity runs beside the risk, the cash flow and the detail
	// replay: they only read env and a, and each writes its own fields of
	// r. Each of them leaves a core idle at times (a scan of three terms
	// on two cores, a last scenario), which the other fills.
	sens := make(chan error, 1)
	go func() {
		var err error
		r.Sensitivity, err = DetailSensitivity(env, a, opt.Detail)
		sens <- err
	}()
	err = r.riskAndDetail(ctx, env, a, opt)
	// The sensitivity's error comes first, as when it ran first.
	if serr := <-sens; serr != nil {
		return nil, serr
	}
	if err != nil {
		return nil, err
	}
	return r, nil
}

// riskAndDetail is the part of Run after the analysis that follows the
// sensitivity: the commitment-term risk, the cash flow and the detail
// replay, with ctx checked between them.
func (r *RunResult) riskAndDetail(ctx context.Context, env Env, a *Analysis, opt RunOptions) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	var err error
	r.Risk, r.RiskOmitted, err = TermRisk(env, a, RiskOptions{Scenarios: opt.Scenarios, MigrationRisk: opt.MigrationRisk, Seed: opt.Seed})
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	r.CashFlow, r.Forecast, r.CashFlowOmitted, err = DetailCashFlow(env, a, r.Risk, opt.Detail, opt.BuyAt, RiskOptions{Scenarios: opt.Scenarios, Seed: opt.Seed})
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	st := DetailStrategy(a, opt.Detail)
	r.Detail = st.Name
	r.DetailResult, err = Replay(env.Series, st.Plan, env.Offer, env.Options)
	return err
}
