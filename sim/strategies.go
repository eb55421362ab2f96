package sim

import (
	"fmt"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/workload"
)

// Strategy names, as they appear in strategies.csv.
const (
	StrategyPlan                = "plan"
	StrategyOnDemand            = "on-demand"
	StrategyProvisionedPeak     = "provisioned-peak"
	StrategyBusinessHoursSwitch = "business-hours-switch"
	StrategyReserved            = "reserved"
	StrategyRecommended         = "recommended"
)

// Env is what every strategy is replayed against.
type Env struct {
	Series   *workload.Series // gap-free demand
	Offer    pricing.Offer
	TimeZone *time.Location // the plan's zone: business hours and schedules
	Options  Options
	// BusinessHours is when the business-hours switch sends traffic to PT.
	// Zero means Monday to Friday 09:00-17:00.
	BusinessHours Window
	// Optimise constrains the recommendation; its existing commitments
	// are part of every strategy (they are owed whatever is chosen).
	Optimise OptimiseOptions
	// Moves are the what-if shares of Standard traffic on other tiers.
	Moves Moves
}

// DefaultBusinessHours is the seed note's office day.
var DefaultBusinessHours = Window{
	Days: []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday},
	From: 9 * 60, To: 17 * 60,
}

func (e Env) businessHours() Window {
	if len(e.BusinessHours.Days) == 0 {
		return DefaultBusinessHours
	}
	return e.BusinessHours
}

// Strategy is one way to pay for the traffic, replayed.
type Strategy struct {
	Name        string
	Plan        Plan
	Term        pricing.Term // term of the committed PT layer; "" without one
	CommittedMU int
	// Reserve is the Reserved layer the strategy buys, nil when none.
	Reserve *Reserve
	Totals  Totals
	// Skipped strategies could not be priced; Note says why. Priced
	// ones say what they buy.
	Skipped bool
	Note    Note
}

// BuysPT says whether the strategy bills any PT. It reads the totals,
// not the plan, so it holds for a strategy read back from a report.
func (s Strategy) BuysPT() bool { return s.Totals.MUHoursBilled > 0 }

// BuysReserved says whether the strategy bills any Reserved capacity,
// from the totals as BuysPT does.
func (s Strategy) BuysReserved() bool {
	return s.Totals.ResInputKTPMMonths > 0 || s.Totals.ResOutputKTPMMonths > 0
}

// BuysCapacity says whether the strategy bills committed capacity of any
// kind.
func (s Strategy) BuysCapacity() bool { return s.BuysPT() || s.BuysReserved() }

// CurvePoint is the cost of holding MU committed model units of Term
// around the clock, overflow on-demand.
type CurvePoint struct {
	Term   pricing.Term
	MU     int
	Totals Totals
}

// BreakEven is the throughput one MU must carry, at this traffic's
// input/output mix and shape, for the term to cost less than on-demand.
type BreakEven struct {
	Term      pricing.Term
	HourlyUSD float64
	// TPM is the break-even throughput in tokens (input + output) per
	// minute, split into InputTPM and OutputTPM by the traffic's mix.
	TPM, InputTPM, OutputTPM float64
	// FullUseTPM is the break-even of an MU that is busy every hour: the
	// floor under TPM.
	FullUseTPM float64
	// Never is set when even an MU that carries all traffic costs more.
	Never bool
	// Utilization is the share of its capacity an MU of the known
	// throughput must use, on average, to pay for itself at this mix
	// (0 when the throughput is unknown).
	Utilization float64
}

// Analysis is the comparison every report is built from.
type Analysis struct {
	Strategies []Strategy
	Curve      []CurvePoint
	// Chosen indexes the recommendation in Curve; -1 when there is none.
	Chosen    int
	BreakEven []BreakEven
	// PeakMU is the MU count that carries the busiest interval (0 when
	// throughput is unknown).
	PeakMU   int
	Warnings []Note
	// Optimum is the optimiser's decision behind the recommendation.
	Optimum *Optimum
	// Existing are the commitments every strategy carries.
	Existing []Commitment
	// Flat, when a burst model is in use, is what the recommendation would
	// have been and cost with flat traffic inside intervals.
	Flat *FlatComparison
	// ReservedBreakEven is the highest Reserved price at which a
	// reservation pays for this traffic; nil when the model has no
	// Reserved tier.
	ReservedBreakEven *ReservedBreakEven
	// QuotaCheck compares the replay's quota rule with the service's own
	// count, when the metrics carry EstimatedTPMQuotaUsage; nil otherwise.
	QuotaCheck *QuotaCheck
	// Tiers are the service-tier figures: the series' tier, the Priority
	// premium, the what-if moves; nil for Standard traffic without moves.
	Tiers *TierFigures
}

// FlatComparison shows what the burst model changed.
type FlatComparison struct {
	// RecommendedFlat is the recommended plan replayed with flat traffic.
	RecommendedFlat Totals
	// Plan is what the optimiser chooses with flat traffic.
	Plan   Plan
	Totals Totals // that plan, replayed with flat traffic
	// SameChoice says the optimiser chooses the recommended plan with flat
	// traffic too.
	SameChoice bool
}

// Strategy returns the named strategy, or nil.
func (a *Analysis) Strategy(name string) *Strategy {
	for i := range a.Strategies {
		if a.Strategies[i].Name == name {
			return &a.Strategies[i]
		}
	}
	return nil
}

// Analyse replays the baselines and the recommendation (and plan, when
// given, as the first row) on the same demand.
func Analyse(env Env, plan *Plan) (*Analysis, error) {
	s, offer := env.Series, env.Offer
	if err := checkSeries(s); err != nil {
		return nil, err
	}
	if err := checkPrices(s, offer); err != nil {
		return nil, err
	}
	a := &Analysis{Chosen: -1, Existing: env.Optimise.Existing}
	if offer.Retiring() {
		a.Warnings = append(a.Warnings, Note{Code: NoteLifecycle, Offer: Facts(offer)})
	}
	tf, err := tierFigures(s, offer, env.Moves)
	if err != nil {
		return nil, err
	}
	a.Tiers = tf
	if s.QuotaUsage != nil {
		if qc, err := CheckQuota(s, offer.Quotas.Burndown()); err == nil {
			a.QuotaCheck = &qc
			if qc.Warn {
				a.Warnings = append(a.Warnings, Note{Code: NoteQuotaRule, Ratio: qc.MedianRatio, N: qc.Intervals})
			}
		}
	}
	start, end := s.Time(0), s.End()
	base := Plan{ModelID: offer.ModelID, Region: offer.Region, TimeZone: env.TimeZone, Routing: RouteSpillover,
		Committed: env.Optimise.Existing}
	replayOne := func(st Strategy) (Strategy, error) {
		t, err := ReplayTotals(s, st.Plan, offer, env.Options)
		st.Totals = t
		return st, err
	}
	if plan != nil {
		st, err := replayOne(Strategy{Name: StrategyPlan, Plan: *plan, Term: mainTerm(*plan), CommittedMU: committedMU(*plan), Reserve: mainReserve(*plan), Note: Note{Code: NotePlan, Plan: plan}})
		if err != nil {
			return nil, err
		}
		if plan.HasPT() && !offer.CanBuyPT() {
			a.Warnings = append(a.Warnings, Note{Code: NotePlanPTUnavailable, Offer: Facts(offer)})
		}
		a.Strategies = append(a.Strategies, st)
	}
	od, err := replayOne(Strategy{Name: StrategyOnDemand, Plan: base, Note: Note{Code: NoteOnDemand, N: len(base.Committed)}})
	if err != nil {
		return nil, err
	}
	a.Strategies = append(a.Strategies, od)
	be, err := breakEvens(env)
	if err != nil {
		return nil, err
	}
	a.BreakEven = be

	skip := func(name string, why Note) {
		a.Strategies = append(a.Strategies, Strategy{Name: name, Skipped: true, Note: why})
	}
	if offer.Reserved != nil {
		if a.ReservedBreakEven, err = reservedBreakEven(env); err != nil {
			return nil, err
		}
	}
	var why Note
	switch {
	case !offer.CanBuyPT():
		why = Note{Code: NotePTUnavailable, Offer: Facts(offer)}
	case len(offer.PT) == 0:
		why = Note{Code: NoteNoPTPrice, Offer: Facts(offer)}
	case !offer.Throughput.Known():
		why = Note{Code: NoteThroughputUnknown}
	}
	canReserve := offer.CanBuy(pricing.ProductReserved) && len(offer.ReservedTerms()) > 0
	if why.Code != "" {
		skip(StrategyProvisionedPeak, why)
		skip(StrategyBusinessHoursSwitch, why)
	}
	// The best reservation alone, listed after the PT baselines.
	var reserved []Strategy
	if offer.Reserved != nil {
		switch {
		case !offer.CanBuy(pricing.ProductReserved):
			reserved = append(reserved, Strategy{Name: StrategyReserved, Skipped: true, Note: Note{Code: NoteReservedUnavailable, Offer: Facts(offer)}})
		case !canReserve:
			reserved = append(reserved, Strategy{Name: StrategyReserved, Skipped: true, Note: Note{Code: NoteReservedPriceUnknown}})
		default:
			ro := env.Optimise
			ro.Products = []pricing.Product{pricing.ProductReserved}
			opt, err := Optimise(env, ro)
			if err != nil {
				return nil, err
			}
			st := Strategy{Name: StrategyReserved, Plan: opt.Plan, Reserve: opt.Reserve}
			if st.Totals, err = ReplayTotals(s, opt.Plan, offer, env.Options); err != nil {
				return nil, err
			}
			st.Note = Note{Code: NoteAlone, Product: pricing.ProductReserved, Plan: &opt.Plan}
			if opt.Reserve == nil {
				st.Note = Note{Code: NoteDoesNotPay, Product: pricing.ProductReserved}
			}
			reserved = append(reserved, st)
		}
	}
	if why.Code != "" {
		a.Strategies = append(a.Strategies, reserved...)
		if !canReserve {
			// A model that sells the Reserved tier at prices nobody
			// published is sized once they are given: say that first,
			// then why PT cannot be.
			if offer.Reserved != nil && offer.CanBuy(pricing.ProductReserved) {
				why = Note{Code: NoteReservedPriceUnknown, Cause: why.Code, Offer: Facts(offer)}
			}
			skip(StrategyRecommended, why)
			return a, nil
		}
		// Only the Reserved tier can be bought: the recommendation is the
		// cheapest plan of it.
		return a, a.recommend(env)
	}

	committed := cheapestTerm(offer, true)
	a.PeakMU = requiredMU(s, offer.Throughput, nil)
	peak := base
	peak.Routing = RouteProvisionedOnly
	termEnd := env.Optimise.AtTermEnd.Or(TermEndRenew)
	peak.Committed = append(slices.Clone(base.Committed), EndAs(CoverWindow(a.PeakMU, committed, start, end), termEnd)...)
	st, err := replayOne(Strategy{Name: StrategyProvisionedPeak, Plan: peak, Term: committed, CommittedMU: a.PeakMU,
		Note: Note{Code: NotePeak, MU: a.PeakMU, Term: committed}})
	if err != nil {
		return nil, err
	}
	a.Strategies = append(a.Strategies, st)

	// The seed's switch: PT in business hours, on-demand otherwise. It
	// bought a 1-month commitment, which bills around the clock.
	bhTerm := pricing.TermOneMonth
	if _, ok := offer.PT[bhTerm]; !ok {
		bhTerm = committed
	}
	bh := env.businessHours()
	bhPlan := base
	bhPlan.Routing = RouteProvisionedOnly
	bhPlan.PTWindows = []Window{bh}
	tl, err := buildTimeline(Plan{TimeZone: env.TimeZone, PTWindows: []Window{bh}}, seriesGrid(s), pricing.Offer{}, 0)
	if err != nil {
		return nil, err
	}
	bhMU := requiredMU(s, offer.Throughput, tl.toPT)
	bhPlan.Committed = append(slices.Clone(base.Committed), EndAs(CoverWindow(bhMU, bhTerm, start, end), termEnd)...)
	bhSt := Strategy{Name: StrategyBusinessHoursSwitch, Plan: bhPlan, Term: bhTerm, CommittedMU: bhMU,
		Note: Note{Code: NoteBusinessHours, MU: bhMU, Term: bhTerm, Plan: &bhPlan}}
	if bhMU == 0 {
		// Not "0 MU 1-month": nothing is bought, and the row must not
		// read as a purchase.
		bhSt.Term, bhSt.Note.Term = "", ""
	}
	st, err = replayOne(bhSt)
	if err != nil {
		return nil, err
	}
	a.Strategies = append(a.Strategies, st)

	a.Strategies = append(a.Strategies, reserved...)
	// The cost curve and the recommendation are worked out side by side:
	// the optimiser is one goroutine, and the curve's scan keeps both
	// cores busy only while MU counts are left for both. The curve's error
	// comes first, as when it ran first.
	var curve []CurvePoint
	scanned := make(chan error, 1)
	go func() {
		var err error
		curve, err = scanCommitted(env, base, a.PeakMU)
		scanned <- err
	}()
	rec, recErr := a.optimised(env)
	if err := <-scanned; err != nil {
		return nil, err
	}
	a.Curve = curve
	if recErr != nil {
		return nil, recErr
	}
	a.addRecommended(rec)
	return a, nil
}

// recommend runs the optimiser and adds the recommended strategy (and,
// under a burst model, what flat traffic would have chosen).
func (a *Analysis) recommend(env Env) error {
	rec, err := a.optimised(env)
	if err != nil {
		return err
	}
	a.addRecommended(rec)
	return nil
}

// optimised is the first part of recommend: the optimiser's plan and its
// replays, with a.Optimum, a.Flat and the warning of a throttle limit
// not met. It does not read a.Curve.
func (a *Analysis) optimised(env Env) (Strategy, error) {
	s, offer := env.Series, env.Offer
	opt, err := Optimise(env, env.Optimise)
	if err != nil {
		return Strategy{}, err
	}
	a.Optimum = opt
	rec := Strategy{Name: StrategyRecommended, Plan: opt.Plan, Term: opt.CommittedTerm, CommittedMU: opt.CommittedMU, Reserve: opt.Reserve}
	rec.Totals, err = ReplayTotals(s, opt.Plan, offer, env.Options)
	if err != nil {
		return Strategy{}, err
	}
	rec.Note = Note{Code: NoteOptimised, Plan: &opt.Plan}
	if !opt.Feasible {
		rec.Note.Cause, rec.Note.Limit = NoteThrottleLimit, env.Optimise.MaxThrottle
		a.Warnings = append(a.Warnings, Note{Code: NoteThrottleLimit, Limit: env.Optimise.MaxThrottle})
	}
	if env.Options.Burst.Ratio > 1 && s.Period > time.Minute {
		flat := env
		flat.Options.Burst = Burst{}
		fc := &FlatComparison{}
		if fc.RecommendedFlat, err = ReplayTotals(s, opt.Plan, offer, flat.Options); err != nil {
			return Strategy{}, err
		}
		fo, err := Optimise(flat, env.Optimise)
		if err != nil {
			return Strategy{}, err
		}
		fc.Plan, fc.SameChoice = fo.Plan, fo.Plan.Same(opt.Plan)
		if fc.Totals, err = ReplayTotals(s, fo.Plan, offer, flat.Options); err != nil {
			return Strategy{}, err
		}
		a.Flat = fc
	}
	return rec, nil
}

// addRecommended is the end of recommend: rec joins the strategies, and
// a.Chosen is the committed-only curve point equal to it, if any.
func (a *Analysis) addRecommended(rec Strategy) {
	opt := a.Optimum
	for i, c := range a.Curve {
		if c.Term == opt.CommittedTerm && c.MU == opt.CommittedMU && !hasScheduled(opt) && opt.Reserve == nil {
			a.Chosen = i
		}
	}
	a.Strategies = append(a.Strategies, rec)
}

func hasScheduled(o *Optimum) bool {
	for _, k := range o.Scheduled {
		if k > 0 {
			return true
		}
	}
	return false
}

// scanCommitted replays 0..peak MUs of every offered term held around
// the clock with spillover: the cost curve of the committed layer alone,
// which the report draws beside the optimiser's answer.
func scanCommitted(env Env, base Plan, peak int) ([]CurvePoint, error) {
	s := env.Series
	start, end := s.Time(0), s.End()
	terms := offeredTerms(env.Offer)
	curve := make([]CurvePoint, len(terms)*(peak+1))
	// The MU counts run side by side. n MUs of one term or another hold
	// the same MUs in service through the window, billed differently:
	// the terms of a count share one replay when their timelines hold
	// the same capacity (sameCapacity), and each gets its own bill.
	// The series and the prices are checked once, not for each of the
	// timelines laid below (checking for gaps reads the whole series).
	if err := checkSeries(s); err != nil {
		return nil, err
	}
	if err := checkPrices(s, env.Offer); err != nil {
		return nil, err
	}
	// Each goroutine lays each term's timelines in scratch space of its
	// own, used again for every MU count it scans.
	scratch := make([][]timelineScratch, workers(peak+1))
	for w := range scratch {
		scratch[w] = make([]timelineScratch, len(terms))
	}
	err := forEachWorker(peak+1, func(w, n int) error {
		var first timeline
		var x sums
		for ti, term := range terms {
			p := base
			p.Committed = append(slices.Clone(base.Committed), EndAs(CoverWindow(n, term, start, end), env.Optimise.AtTermEnd.Or(TermEndRenew))...)
			if err := checkPlan(p, env.Offer); err != nil {
				return err
			}
			tl, err := layTimeline(p, seriesGrid(s), env.Offer, env.Options.LeadTime, false, &scratch[w][ti])
			if err != nil {
				return err
			}
			if ti == 0 || !sameCapacity(tl, first, s.Len()) {
				first, x = tl, replaySums(s, p.Routing, env.Offer, tl, env.Options.Burst, nil)
			}
			curve[ti*(peak+1)+n] = CurvePoint{Term: term, MU: n, Totals: totalsOf(x, tl)}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return curve, nil
}

// replayMemo keeps the replays of one capacity by the throughput they
// were made at, for the goroutines that search alongside.
type replayMemo struct {
	mu sync.Mutex
	at map[float64]*memoReplay
}

type memoReplay struct {
	once sync.Once
	x    sums
}

// sums returns the replay made at throughput c, made by replay the
// first time c is asked for (once, whichever goroutine asks first).
func (m *replayMemo) sums(c float64, replay func() sums) sums {
	m.mu.Lock()
	r := m.at[c]
	if r == nil {
		r = &memoReplay{}
		m.at[c] = r
	}
	m.mu.Unlock()
	r.once.Do(func() { r.x = replay() })
	return r.x
}

// better orders candidates: fewer throttled requests first, then lower
// cost. Throttle counts within a millionth of a request are equal.
func better(a, b Totals) bool {
	if d := a.ThrottledRequests - b.ThrottledRequests; math.Abs(d) > 1e-6 {
		return d < 0
	}
	return a.Total() < b.Total()
}

// MUNeeded is demand in model units: how many MUs of throughput tp carry
// in input and out output tokens (cache writes count as input) over
// minutes in full; 0 when the throughput is unknown. Every "demand in
// MUs" the tool shows comes from here.
func MUNeeded(in, out, minutes float64, tp pricing.Throughput) float64 {
	if tp.InputTPM <= 0 || tp.OutputTPM <= 0 || minutes <= 0 {
		return 0
	}
	return math.Max(in/(tp.InputTPM*minutes), out/(tp.OutputTPM*minutes))
}

// SeriesMUNeeded is MUNeeded for every interval of s.
func SeriesMUNeeded(s *workload.Series, tp pricing.Throughput) []float64 {
	dt := s.Period.Minutes()
	out := make([]float64, s.Len())
	for i := range out {
		in := s.InputTokens[i]
		if s.CacheWrite != nil {
			in += s.CacheWrite[i]
		}
		out[i] = MUNeeded(in, s.OutputTokens[i], dt, tp)
	}
	return out
}

// ModelUnitsInService is the average number of model units the
// committed blocks cs hold in service in each interval of s: the
// existing commitments the optimiser builds on, and the existing_mu of
// schedule.csv. Both read it from here, so they agree.
func ModelUnitsInService(s *workload.Series, o pricing.Offer, cs []Commitment) ([]float64, error) {
	tl, err := buildTimeline(Plan{ModelID: o.ModelID, Region: o.Region, Committed: cs}, seriesGrid(s), o, 0)
	if err != nil {
		return nil, fmt.Errorf("existing commitments: %w", err)
	}
	mu := make([]float64, s.Len())
	for i := range mu {
		mu[i] = tl.muMinutes[i] / s.Period.Minutes()
	}
	return mu, nil
}

// requiredMU is the MU count that carries every interval in full (only
// the intervals routed to PT when toPT is given).
func requiredMU(s *workload.Series, tp pricing.Throughput, toPT []bool) int {
	need := 0.0
	for i, n := range SeriesMUNeeded(s, tp) {
		if toPT != nil && !toPT[i] {
			continue
		}
		need = math.Max(need, n)
	}
	// A hair of tolerance so that exactly 3.0000000001 MUs of float noise
	// does not buy a fourth.
	return int(math.Ceil(need - 1e-9))
}

// offeredTerms lists the offer's PT terms, shortest first.
func offeredTerms(o pricing.Offer) []pricing.Term {
	var out []pricing.Term
	for _, t := range pricing.ProductPT.Terms() {
		if _, ok := o.PT[t]; ok {
			out = append(out, t)
		}
	}
	return out
}

// cheapestTerm is the offered term with the lowest hourly price, among
// committed terms when committedOnly (falling back to any term).
func cheapestTerm(o pricing.Offer, committedOnly bool) pricing.Term {
	terms := offeredTerms(o)
	if committedOnly {
		if c := slices.DeleteFunc(slices.Clone(terms), func(t pricing.Term) bool { return !t.Committed() }); len(c) > 0 {
			terms = c
		}
	}
	best := terms[0]
	for _, t := range terms[1:] {
		if o.PT[t].USD < o.PT[best].USD {
			best = t
		}
	}
	return best
}

func committedMU(p Plan) int {
	mu := 0
	for _, c := range p.Committed {
		mu = max(mu, c.ModelUnits)
	}
	return mu
}

// mainReserve summarises a plan's Reserved layer as its first
// reservation (nil without one).
func mainReserve(p Plan) *Reserve {
	for _, r := range p.Reserved {
		if r.InputTPM > 0 || r.OutputTPM > 0 {
			return &Reserve{Term: r.Term, InputTPM: r.InputTPM, OutputTPM: r.OutputTPM}
		}
	}
	return nil
}

func mainTerm(p Plan) pricing.Term {
	for _, c := range p.Committed {
		if c.ModelUnits > 0 {
			return c.Term
		}
	}
	return ""
}

// breakEvens finds, per offered term, the throughput at which one MU held
// around the clock costs exactly what on-demand costs for the traffic it
// takes over. The first MU saves the most (each further MU carries only
// what is left above it), so if the first does not pay, none does.
// Quotas are left out: this is a price comparison.
func breakEvens(env Env) ([]BreakEven, error) {
	s := env.Series
	offer := env.Offer
	offer.Quotas = pricing.Quotas{}
	tot := s.Totals()
	if tot.InputTokens+tot.OutputTokens == 0 {
		return nil, nil
	}
	si := tot.InputTokens / (tot.InputTokens + tot.OutputTokens)
	so := 1 - si
	dt := s.Period.Minutes()
	hi := 0.0
	for i := range s.Start {
		if si > 0 {
			hi = math.Max(hi, s.InputTokens[i]/(si*dt))
		}
		if so > 0 {
			hi = math.Max(hi, s.OutputTokens[i]/(so*dt))
		}
	}
	base := Plan{ModelID: offer.ModelID, Region: offer.Region, TimeZone: env.TimeZone, Routing: RouteSpillover}
	odTotals, err := ReplayTotals(s, base, offer, env.Options)
	if err != nil {
		return nil, err
	}
	blended := (si*priceOf(offer.OnDemand.InputPer1M) + so*priceOf(offer.OnDemand.OutputPer1M)) / 1e6
	start, end := s.Time(0), s.End()
	terms := offeredTerms(offer)
	out := make([]BreakEven, len(terms))
	// Each search replays one MU of its term at many throughputs, on one
	// timeline (the MU's hours and bill do not depend on what it
	// carries).
	plans := make([]Plan, len(terms))
	tls := make([]timeline, len(terms))
	at := offer
	at.Throughput = pricing.Throughput{InputTPM: 1, OutputTPM: 1, Provenance: pricing.ProvenanceAssumed}
	// Terms whose timelines hold the same capacity (sameCapacity, as a
	// rule all of them) get the same replay at a throughput, billed
	// differently: every search starts at hi, then hi/2, and they part
	// only as their prices tell them apart, so each throughput's replay
	// is kept and shared (replayMemo) by the terms of that capacity, and
	// made on the timeline of the first of them (leader). Only a leader's
	// capacity is read after it is laid: the others are laid in scratch
	// space, each in turn.
	leader := make([]int, len(terms))
	shared := make([]*replayMemo, len(terms))
	var sc timelineScratch
	for k, term := range terms {
		plans[k] = base
		plans[k].Committed = CoverWindow(1, term, start, end)
		if tls[k], err = prepare(s, plans[k], at, env.Options, false, &sc); err != nil {
			return nil, err
		}
		leader[k] = k
		for j := range k {
			if leader[j] == j && sameCapacity(tls[k], tls[j], s.Len()) {
				leader[k] = j
				break
			}
		}
		if leader[k] == k {
			tls[k].muMinutes = slices.Clone(tls[k].muMinutes) // its own: sc is laid in again
			shared[k] = &replayMemo{at: map[float64]*memoReplay{}}
		} else {
			tls[k].muMinutes = nil // sc's, laid over by the next term
			shared[k] = shared[leader[k]]
		}
	}
	// The terms are searched side by side.
	err = forEach(len(terms), func(k int) error {
		term := terms[k]
		hourly := offer.PT[term].USD
		p, tl, capacity := plans[k], tls[k], tls[leader[k]]
		saving := func(c float64) float64 {
			o := offer
			o.Throughput = pricing.Throughput{InputTPM: math.Max(c*si, 1e-9), OutputTPM: math.Max(c*so, 1e-9), Provenance: pricing.ProvenanceAssumed}
			x := shared[k].sums(c, func() sums { return replaySums(s, p.Routing, o, capacity, env.Options.Burst, nil) })
			t := totalsOf(x, tl)
			return float64(odTotals.Total()-t.Total()) / pricing.MicroPerUSD
		}
		b := BreakEven{Term: term, HourlyUSD: hourly}
		if blended > 0 {
			b.FullUseTPM = hourly / 60 / blended
			if tp := env.Offer.Throughput; tp.Known() {
				// An MU at this mix carries min(Cin/si, Cout/so) tokens a minute.
				b.Utilization = b.FullUseTPM / math.Min(tp.InputTPM/si, tp.OutputTPM/so)
			}
		}
		if saving(hi) < 0 {
			b.Never = true
			out[k] = b
			return nil
		}
		lo, up := 0.0, hi
		for up-lo > 1e-4*up {
			mid := (lo + up) / 2
			if saving(mid) >= 0 {
				up = mid
			} else {
				lo = mid
			}
		}
		b.TPM, b.InputTPM, b.OutputTPM = up, up*si, up*so
		out[k] = b
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
