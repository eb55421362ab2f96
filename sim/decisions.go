package sim

import (
	"time"

	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/workload"
)

// The decisions a planning run makes around Analyse: which burst model
// replays coarse data, whether too short a history forbids commitments,
// whether the commitment-term risk and the cash flow run (and why not),
// what the throughput sensitivity prices and which strategy is replayed
// interval by interval for the report (Run makes these after the burst
// and history choices). Each returns the facts of its choice (a kind, a
// Note or an Omission, and the numbers); the caller words them.

// BurstMode is how --burst asks for the peaks inside intervals coarser
// than a minute to be modelled.
type BurstMode int

const (
	// BurstAuto measures the ratio from finer data of the same model,
	// else uses the stated default.
	BurstAuto BurstMode = iota
	// BurstFlat assumes flat traffic inside each interval (--burst none).
	BurstFlat
	// BurstGiven uses the ratio given.
	BurstGiven
)

// BurstKind says where a chosen burst model came from.
type BurstKind int

const (
	// BurstNotNeeded: the data is 1-minute (or finer); no model is needed.
	BurstNotNeeded BurstKind = iota
	// BurstNone: flat traffic, as asked (BurstFlat).
	BurstNone
	// BurstFromFlag: the ratio given (BurstGiven).
	BurstFromFlag
	// BurstMeasured: measured on the finest finer tier of the same model
	// and region (Finer, Intervals).
	BurstMeasured
	// BurstDefault: workload.DefaultBurstRatio, for want of finer data.
	BurstDefault
)

// BurstChoice is the burst model chosen for a series and the facts of
// the choice.
type BurstChoice struct {
	Kind  BurstKind
	Ratio float64       // 0 for BurstNotNeeded and BurstNone
	Of    time.Duration // the series' interval
	// Finer and Intervals, for BurstMeasured: the interval of the data
	// the ratio was measured on and how many intervals of Of it spans.
	Finer     time.Duration
	Intervals int
}

// ChooseBurst chooses the burst model of s as mode asks (ratio is the
// given one, for BurstGiven): for BurstAuto, the ratio measured on the
// finest series of all that is of the same model and region, finer than
// s and dividing its interval, else the default for s's interval.
func ChooseBurst(s *workload.Series, all []*workload.Series, mode BurstMode, ratio float64) BurstChoice {
	c := BurstChoice{Of: s.Period}
	if s.Period <= time.Minute {
		c.Kind = BurstNotNeeded
		return c
	}
	switch mode {
	case BurstFlat:
		c.Kind = BurstNone
		return c
	case BurstGiven:
		c.Kind, c.Ratio = BurstFromFlag, ratio
		return c
	}
	var finest *workload.Series
	for _, t := range all {
		if t.ModelID == s.ModelID && t.Region == s.Region && t.Period < s.Period && s.Period%t.Period == 0 && (finest == nil || t.Period < finest.Period) {
			finest = t
		}
	}
	if finest != nil {
		if r, n, err := workload.BurstRatio(finest, s.Period); err == nil {
			c.Kind, c.Ratio, c.Finer, c.Intervals = BurstMeasured, r, finest.Period, n
			return c
		}
	}
	c.Kind, c.Ratio = BurstDefault, workload.DefaultBurstRatio(s.Period)
	return c
}

// ScenarioBurst is the peak model of the forecasts' hourly scenarios:
// measured from the data when it is finer than an hour, else the burst
// model in use.
func ScenarioBurst(env Env) Burst {
	if env.Series.Period < time.Hour {
		if r, _, err := workload.BurstRatio(env.Series, time.Hour); err == nil {
			return Burst{Ratio: r}
		}
	}
	return env.Options.Burst
}

// GuardHistory restricts opt to what binds nothing (Provisioned
// Throughput without commitment) when span, the history's length, is
// shorter than minHistory: too little history to forecast. It says so
// in the note it returns (NoteShortHistory), the zero Note when it left
// opt as it was.
func GuardHistory(opt OptimiseOptions, span, minHistory time.Duration) (OptimiseOptions, Note) {
	if span >= minHistory {
		return opt, Note{}
	}
	opt.Terms, opt.Products = []pricing.Term{pricing.TermNone}, []pricing.Product{pricing.ProductPT}
	return opt, Note{Code: NoteShortHistory, Span: span, Min: minHistory}
}

// Omission says why an analysis of a run was left out; Ran, that it
// was not.
type Omission int

const (
	Ran Omission = iota
	// OmittedNoScenarios: no Monte Carlo scenarios were asked for.
	OmittedNoScenarios
	// OmittedCannotBuy: no new commitment (PT or Reserved) can serve the
	// traffic (Offer.PTUnavailable says why).
	OmittedCannotBuy
	// OmittedCannotSize: the throughput of one model unit is unknown and
	// no Reserved price is given.
	OmittedCannotSize
	// OmittedNoForecast: no forecast could be fitted to the history
	// (Omitted.Err says why; workload.ErrShortHistory when too short).
	OmittedNoForecast
)

// Omitted is why an analysis was left out, with the forecast's error
// for OmittedNoForecast.
type Omitted struct {
	Reason Omission
	Err    error
}

// TermRisk runs AssessRisk on a's recommendation when there is one to
// assess and history enough to forecast; otherwise it returns why not.
// opt.Burst is set to ScenarioBurst(env).
func TermRisk(env Env, a *Analysis, opt RiskOptions) (*Risk, Omitted, error) {
	switch {
	case opt.Scenarios == 0:
		return nil, Omitted{Reason: OmittedNoScenarios}, nil
	case !env.Offer.CanBuyPT() && !env.Offer.CanBuy(pricing.ProductReserved):
		return nil, Omitted{Reason: OmittedCannotBuy}, nil
	case !env.Offer.Throughput.Known() && len(env.Offer.ReservedTerms()) == 0:
		return nil, Omitted{Reason: OmittedCannotSize}, nil
	}
	fc, err := workload.FitForecast(env.Series, env.TimeZone)
	if err != nil {
		return nil, Omitted{Reason: OmittedNoForecast, Err: err}, nil
	}
	opt.Burst = ScenarioBurst(env)
	risk, err := AssessRisk(env, fc, a.Optimum, opt)
	return risk, Omitted{}, err
}

// DetailCashFlow bills the detail strategy's plan (nothing, when it was
// skipped) month by month from buyAt, in the risk analysis's scenarios:
// from risk's forecast, or, when there is no risk analysis, from a
// forecast of its own, so that a series staying on-demand still has its
// months. It returns the forecast the scenarios were drawn from (risk's,
// or its own), which a report must state where no risk analysis does.
// None with no scenarios or history too short to forecast, and it says
// which. opt.Burst is set to ScenarioBurst(env); its migration risk is
// not used.
func DetailCashFlow(env Env, a *Analysis, risk *Risk, detail string, buyAt time.Time, opt RiskOptions) ([]CashFlowMonth, *workload.Forecast, Omitted, error) {
	if opt.Scenarios == 0 {
		return nil, nil, Omitted{Reason: OmittedNoScenarios}, nil
	}
	var fc *workload.Forecast
	if risk != nil {
		fc = risk.Forecast
	} else {
		var err error
		if fc, err = workload.FitForecast(env.Series, env.TimeZone); err != nil {
			return nil, nil, Omitted{Reason: OmittedNoForecast, Err: err}, nil
		}
	}
	plan := Plan{ModelID: env.Offer.ModelID, Region: env.Offer.Region, TimeZone: env.TimeZone}
	if d := a.Strategy(detail); d != nil && !d.Skipped {
		plan = d.Plan
	}
	months, err := CashFlow(env, fc, plan, buyAt, RiskOptions{Scenarios: opt.Scenarios, Seed: opt.Seed, Burst: ScenarioBurst(env)})
	if err != nil {
		return nil, nil, Omitted{}, err
	}
	return months, fc, Omitted{}, nil
}

// DetailSensitivity prices the detail strategy's plan at other MU
// throughputs (ThroughputSensitivity), when it holds PT and the
// throughput is known: it is the largest unknown. Nil otherwise.
func DetailSensitivity(env Env, a *Analysis, detail string) (*Sensitivity, error) {
	d := a.Strategy(detail)
	if d == nil || d.Skipped || !d.Plan.HasPT() || !env.Offer.Throughput.Known() {
		return nil, nil
	}
	return ThroughputSensitivity(env, d.Plan, a.Optimum)
}

// DetailStrategy is the strategy of a the report replays interval by
// interval: detail, or on-demand when detail was skipped (or is not in
// a).
func DetailStrategy(a *Analysis, detail string) *Strategy {
	if st := a.Strategy(detail); st != nil && !st.Skipped {
		return st
	}
	return a.Strategy(StrategyOnDemand)
}
