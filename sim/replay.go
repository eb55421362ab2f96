package sim

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/workload"
)

// Options tune a replay beyond the plan and the offer.
type Options struct {
	// LeadTime is billed before each no-commitment PT comes into service
	// (creating a PT takes time). Default 0.
	LeadTime time.Duration
	// Burst models the peaks inside intervals coarser than a minute.
	Burst Burst
}

// Intervals holds a replay's per-interval results, parallel to the series.
// The Res* fields are nil when the plan reserves nothing.
type Intervals struct {
	MU         []float64 // average model units in service
	PTShare    []float64 // share of the interval's demand PT served, 0..1
	PTRequests []float64
	PTInput    []float64
	PTOutput   []float64
	// ResInputTPM and ResOutputTPM are the Reserved capacity in service
	// (average TPM); ResShare the share of demand it served.
	ResInputTPM, ResOutputTPM []float64
	ResShare                  []float64
	ResRequests               []float64
	ResInput                  []float64 // input tokens served, cache writes included
	ResOutput                 []float64
	ODRequests                []float64 // admitted to on-demand
	ODInput                   []float64
	ODOutput                  []float64
	Throttled                 []float64 // requests turned away
	PTCost                    []pricing.Money
	ResCost                   []pricing.Money
	ODCost                    []pricing.Money
}

// Cost is the interval's total: capacity of every kind plus on-demand.
func (iv *Intervals) Cost(i int) pricing.Money {
	c := iv.PTCost[i] + iv.ODCost[i]
	if iv.ResCost != nil {
		c += iv.ResCost[i]
	}
	return c
}

// Totals sums a replay. Costs are exact sums of the per-interval costs.
type Totals struct {
	// Requests arrived; served by PT; admitted to on-demand; throttled.
	// (Token sums are in the per-interval results; the totals keep only
	// what reports print, so the loop keeps few running sums.)
	Requests, PTRequests, ODRequests, ThrottledRequests float64
	MUHoursInService, MUHoursBilled, MUHoursUsed        float64
	ScheduledMUHoursBilled                              float64
	// The Reserved layer: requests it served; the tokens it could carry
	// over the window and carried, input (cache writes included) and
	// output; the 1K-TPM-months billed inside the window.
	ResRequests                      float64
	ResInputCapacity, ResInputUsed   float64
	ResOutputCapacity, ResOutputUsed float64
	ResInputKTPMMonths               float64
	ResOutputKTPMMonths              float64
	PTCost, ResCost, ODCost          pricing.Money
	// CommittedAfterWindow is owed for committed PT hours after the
	// window; ReservedAfterWindow for reserved months after it: up to
	// where each commitment stops, or, for one that renews with no delete
	// date, to the end of the term it is in when the window ends.
	CommittedAfterWindow, ReservedAfterWindow pricing.Money
	// RenewingPerMonth is what the commitments that renew with no delete
	// date go on costing each month after that (PT at 730.5 hours a
	// month): billing only stops when someone deletes them.
	RenewingPerMonth pricing.Money
}

// Total is capacity (PT and Reserved) plus on-demand cost.
func (t Totals) Total() pricing.Money { return t.PTCost + t.ResCost + t.ODCost }

// CapacityCost is what the committed capacity of every kind costs.
func (t Totals) CapacityCost() pricing.Money { return t.PTCost + t.ResCost }

// AfterWindow is what commitments of every kind still cost after the
// window.
func (t Totals) AfterWindow() pricing.Money { return t.CommittedAfterWindow + t.ReservedAfterWindow }

// ReservedUtilization is the share of the Reserved capacity in service
// that carried traffic, input and output.
func (t Totals) ReservedUtilization() (in, out float64) {
	if t.ResInputCapacity > 0 {
		in = t.ResInputUsed / t.ResInputCapacity
	}
	if t.ResOutputCapacity > 0 {
		out = t.ResOutputUsed / t.ResOutputCapacity
	}
	return in, out
}

// ServedByReserved is the share of requests the Reserved tier served.
func (t Totals) ServedByReserved() float64 {
	if t.Requests == 0 {
		return 0
	}
	return t.ResRequests / t.Requests
}

// PTUtilization is the share of PT capacity in service that carried
// traffic, on the binding dimension (input or output) of each interval.
func (t Totals) PTUtilization() float64 {
	if t.MUHoursInService == 0 {
		return 0
	}
	return t.MUHoursUsed / t.MUHoursInService
}

// ServedByPT is the share of requests PT served.
func (t Totals) ServedByPT() float64 {
	if t.Requests == 0 {
		return 0
	}
	return t.PTRequests / t.Requests
}

// ThrottledShare is the share of requests throttled.
func (t Totals) ThrottledShare() float64 {
	if t.Requests == 0 {
		return 0
	}
	return t.ThrottledRequests / t.Requests
}

// Result is a replay: totals, and per-interval values when asked for.
type Result struct {
	Totals    Totals
	Intervals *Intervals
}

// Replay runs the series through the plan and prices it, returning the
// per-interval results and their totals.
func Replay(s *workload.Series, plan Plan, offer pricing.Offer, opt Options) (*Result, error) {
	return replay(s, plan, offer, opt, true)
}

// ReplayTotals is Replay without the per-interval results, for scans.
func ReplayTotals(s *workload.Series, plan Plan, offer pricing.Offer, opt Options) (Totals, error) {
	r, err := replay(s, plan, offer, opt, false)
	if err != nil {
		return Totals{}, err
	}
	return r.Totals, nil
}

// checkSeries rejects series the replay cannot price honestly.
func checkSeries(s *workload.Series) error {
	if s.Len() == 0 {
		return errors.New("no intervals to replay")
	}
	if s.Period < time.Second || s.Period%time.Second != 0 {
		return fmt.Errorf("period %s is not a whole number of seconds", s.Period)
	}
	if gaps := s.Gaps(); len(gaps) > 0 {
		return fmt.Errorf("%s has %d gaps (the first at %s); fill them first (--gaps)", s.Key(), len(gaps), gaps[0].From.Format(time.RFC3339))
	}
	return nil
}

// checkPrices refuses to price traffic at zero for lack of a price.
func checkPrices(s *workload.Series, offer pricing.Offer) error {
	od := offer.OnDemand
	if od.InputPer1M == nil || od.OutputPer1M == nil {
		return fmt.Errorf("the catalogue has no on-demand input and output prices for %s in %s", offer.ModelID, offer.Region)
	}
	if od.CacheReadPer1M == nil && anyPositive(s.CacheRead) {
		return fmt.Errorf("the metrics hold cache read tokens but the catalogue has no cache read price for %s in %s", offer.ModelID, offer.Region)
	}
	if od.CacheWritePer1M == nil && anyPositive(s.CacheWrite) {
		return fmt.Errorf("the metrics hold cache write tokens but the catalogue has no cache write price for %s in %s", offer.ModelID, offer.Region)
	}
	return nil
}

func anyPositive(v []float64) bool {
	for _, x := range v {
		if x > 0 {
			return true
		}
	}
	return false
}

func replay(s *workload.Series, plan Plan, offer pricing.Offer, opt Options, keep bool) (*Result, error) {
	tl, err := prepare(s, plan, offer, opt, keep, nil)
	if err != nil {
		return nil, err
	}
	res := &Result{}
	if keep {
		n := s.Len()
		iv := &Intervals{
			MU: make([]float64, n), PTShare: make([]float64, n),
			PTRequests: make([]float64, n), PTInput: make([]float64, n), PTOutput: make([]float64, n),
			ODRequests: make([]float64, n), ODInput: make([]float64, n), ODOutput: make([]float64, n),
			Throttled: make([]float64, n), PTCost: tl.ptCost, ODCost: make([]pricing.Money, n),
		}
		if tl.resIn != nil {
			iv.ResInputTPM, iv.ResOutputTPM, iv.ResShare = make([]float64, n), make([]float64, n), make([]float64, n)
			iv.ResRequests, iv.ResInput, iv.ResOutput = make([]float64, n), make([]float64, n), make([]float64, n)
			iv.ResCost = tl.resCost
		}
		res.Intervals = iv
	}
	run(s, plan.Routing, offer, tl, opt.Burst, &res.Totals, res.Intervals)
	return res, nil
}

// prepare checks what a replay of plan needs and lays the plan's
// capacity and bill over the series, the bill interval by interval when
// perInterval is set, else as its totals (all a replay of totals reads);
// in sc's arrays when sc is given (layTimeline).
// The timeline depends on the offer's prices, not on the MU throughput,
// so scans that vary only the throughput lay it once and replay it with
// totalsOn.
func prepare(s *workload.Series, plan Plan, offer pricing.Offer, opt Options, perInterval bool, sc *timelineScratch) (timeline, error) {
	if err := checkSeries(s); err != nil {
		return timeline{}, err
	}
	if err := checkPlan(plan, offer); err != nil {
		return timeline{}, err
	}
	if err := checkPrices(s, offer); err != nil {
		return timeline{}, err
	}
	return layTimeline(plan, seriesGrid(s), offer, opt.LeadTime, perInterval, sc)
}

// checkPlan is what prepare checks of the plan itself: a scan that
// checked the series and the prices once checks only this for each plan.
func checkPlan(plan Plan, offer pricing.Offer) error {
	if err := plan.Validate(); err != nil {
		return fmt.Errorf("plan: %w", err)
	}
	if plan.HasPT() && !offer.Throughput.Known() {
		return fmt.Errorf("the plan holds PT but the throughput of one %s model unit is unknown; give it with --mu-input-tpm and --mu-output-tpm", offer.ModelID)
	}
	return nil
}

// totalsOn is ReplayTotals on a timeline prepare laid for plan, with
// offer's throughput (known when the plan holds PT): the same totals,
// without laying the timeline again.
func totalsOn(s *workload.Series, plan Plan, offer pricing.Offer, tl timeline, opt Options) Totals {
	var t Totals
	run(s, plan.Routing, offer, tl, opt.Burst, &t, nil)
	return t
}

// Burst models traffic inside an interval coarser than a minute as two
// levels: for the interval's busiest minute demand runs at Ratio times
// the interval's mean rate, and the rest of the interval carries the
// remainder evenly. Ratio 1 (or 0) is flat traffic.
type Burst struct {
	Ratio float64
}

// parts returns the demand share and time share of the burst's peak and
// base parts for an interval of dt minutes (one part, the whole
// interval, when flat).
func (b Burst) parts(dt float64) (n int, w, tau [2]float64) {
	if b.Ratio <= 1 || dt <= 1 {
		return 1, [2]float64{1}, [2]float64{1}
	}
	h := 1 / dt
	r := math.Min(b.Ratio, dt) // the busiest minute cannot hold more than all of it
	return 2, [2]float64{h * r, 1 - h*r}, [2]float64{h, 1 - h}
}

// seriesGrid is the series' intervals as a grid.
func seriesGrid(s *workload.Series) grid {
	return grid{start: s.Start[0], step: int64(s.Period / time.Second), n: s.Len()}
}

// server holds what every interval's replay needs: prices per token,
// MU-minutes per token, quotas per minute.
type server struct {
	invCin, invCout     float64 // MU-minutes one input / output token takes (0: throughput unknown)
	pin, pout, pcr, pcw float64
	qtpm, qrpm, burn    float64 // quotas per minute (+Inf: none)
	qtpd                float64 // tokens-per-day quota (+Inf: none)
	provisionedOnly     bool
}

func newServer(offer pricing.Offer, routing Routing) server {
	sv := server{
		pin: priceOf(offer.OnDemand.InputPer1M) / 1e6, pout: priceOf(offer.OnDemand.OutputPer1M) / 1e6,
		pcr: priceOf(offer.OnDemand.CacheReadPer1M) / 1e6, pcw: priceOf(offer.OnDemand.CacheWritePer1M) / 1e6,
		qtpm: math.Inf(1), qrpm: math.Inf(1), qtpd: math.Inf(1), burn: offer.Quotas.Burndown(),
		provisionedOnly: routing == RouteProvisionedOnly,
	}
	// Unknown throughput is allowed only when no PT is in service; zero
	// then keeps the MU-minutes asked at 0, not NaN.
	if tp := offer.Throughput; tp.InputTPM > 0 && tp.OutputTPM > 0 {
		sv.invCin, sv.invCout = 1/tp.InputTPM, 1/tp.OutputTPM
	}
	if q := offer.Quotas.TPM; q != nil {
		sv.qtpm = *q
	}
	if q := offer.Quotas.TPD; q != nil {
		sv.qtpd = *q
	}
	if q := offer.Quotas.RPM; q != nil {
		sv.qrpm = *q
	}
	return sv
}

// demand is what a replay reads interval by interval: requests and
// tokens, cache-write tokens (nil: none; they use capacity and quota as
// input does), the on-demand price of cache tokens (nil: none), the
// timeline's layers (the Reserved layer's input and output tokens, nil
// when none; the MU-minutes of PT), and whether traffic is routed to PT
// (nil: always).
type demand struct {
	req, in, out  []float64
	cacheWrite    []float64
	cacheUSD      []float64
	resIn, resOut []float64
	muMin         []float64
	toPT          []bool
	// newDay marks the first interval of each UTC day, when a daily
	// token quota applies (nil: none).
	newDay []bool
}

// sums are a replay's running totals.
type sums struct {
	// Requests arrived and MU-minutes in service: they do not depend on
	// the rules, but summing them here saves a second pass.
	requests, muMinInService                     float64
	ptRequests, odRequests, throttled, muMinUsed float64
	resRequests, resInUsed, resOutUsed           float64
	odNano                                       int64 // on-demand cost, in nano-dollars
}

// nanoPerUSD scales each interval's on-demand cost to a whole number of
// nano-dollars. Integer sums are exact in any order, so burst parts can
// be priced in separate passes, and a replay of totals and one of
// per-interval results agree to the micro-dollar. Rounding every interval
// to a nano-dollar moves a year of 1-minute intervals by at most $0.0003;
// an int64 holds $9.2 billion.
const nanoPerUSD = 1e9

// replay applies DESIGN.md §3 rules 1-4 to every interval of d, each dt
// minutes long, under the burst model, and sums them. iv may be nil when
// only totals matter; then it allocates nothing. Each burst part is a
// pass over the whole series (pass), so the inner loop handles one part
// and keeps its sums in registers.
func (sv *server) replay(d demand, dt float64, burst Burst, iv *Intervals) sums {
	nparts, w, tau := burst.parts(dt)
	var odNano []int64 // each interval's on-demand cost, when iv wants it
	if iv != nil {
		odNano = make([]int64, len(d.req))
	}
	var tot sums
	for p := range nparts {
		s := sv.pass(d, w[p], tau[p], dt*tau[p], iv, odNano)
		if p == 0 {
			tot.requests, tot.muMinInService = s.requests, s.muMinInService
		}
		tot.ptRequests += s.ptRequests
		tot.resRequests += s.resRequests
		tot.resInUsed += s.resInUsed
		tot.resOutUsed += s.resOutUsed
		tot.odRequests += s.odRequests
		tot.throttled += s.throttled
		tot.muMinUsed += s.muMinUsed
		tot.odNano += s.odNano
	}
	if iv != nil {
		// Bill the intervals as a running total so that they add up to
		// the total exactly.
		var cum int64
		var billed pricing.Money
		for i, c := range odNano {
			cum += c
			next := microFromNano(cum)
			iv.ODCost[i] = next - billed
			billed = next
		}
	}
	return tot
}

// microFromNano rounds a non-negative nano-dollar amount to Money.
func microFromNano(n int64) pricing.Money {
	return pricing.Money((n + 500) / 1000)
}

// pass applies rules 1-4 to every interval of d for one burst part: the
// share w of each interval's demand arriving in the share tau of its
// time, minutes long. With iv, it adds each interval's results to it,
// and its on-demand cost to odNano.
func (sv *server) pass(d demand, w, tau, minutes float64, iv *Intervals, odNano []int64) sums {
	req := d.req
	inTok, outTok, muMin, toPTs := d.in[:len(req)], d.out[:len(req)], d.muMin[:len(req)], d.toPT
	if toPTs != nil {
		toPTs = toPTs[:len(req)]
	}
	cacheUSD, cacheWrite, resIn, resOut := d.cacheUSD, d.cacheWrite, d.resIn, d.resOut
	if cacheUSD != nil {
		cacheUSD = cacheUSD[:len(req)]
	}
	if cacheWrite != nil {
		cacheWrite = cacheWrite[:len(req)]
	}
	if resIn != nil {
		resIn, resOut = resIn[:len(req)], resOut[:len(req)]
	}
	invCin, invCout, provisionedOnly := sv.invCin, sv.invCout, sv.provisionedOnly
	qt, qr := sv.qtpm*minutes, sv.qrpm*minutes
	newDay := d.newDay
	if newDay != nil {
		newDay = newDay[:len(req)]
	}
	// A burst part gets its share of each day's token budget.
	dayCap, dayUsed := sv.qtpd*w, 0.0
	var requests, inService, ptR, odR, thr, used float64
	var resR, resInUsed, resOutUsed float64
	var nano int64
	for i, r := range req {
		requests += r
		inService += muMin[i]
		if newDay != nil && newDay[i] {
			dayUsed = 0
		}
		in, out, mm := inTok[i]*w, outTok[i]*w, muMin[i]*tau
		r *= w
		// Cache writes take capacity and quota as input does.
		cin := in
		if cacheWrite != nil {
			cin += cacheWrite[i] * w
		}
		// Outside the PT windows traffic goes to on-demand, even under
		// provisioned-only routing.
		throttleOverflow := provisionedOnly
		if toPTs != nil && !toPTs[i] {
			mm, throttleOverflow = 0, false
		}
		// Rule 1, layer by layer: the Reserved layer serves first, the
		// share its input and its output capacity both allow; PT serves
		// what is left, up to its own limits.
		rest := 1.0
		if resIn != nil {
			fr := reservedShare(cin, out, resIn[i]*tau, resOut[i]*tau)
			rest = 1 - fr
			resR += r * fr
			resInUsed += cin * fr
			resOutUsed += out * fr
			if iv != nil {
				iv.ResShare[i] += fr * w
				iv.ResRequests[i] += r * fr
				iv.ResInput[i] += cin * fr
				iv.ResOutput[i] += out * fr
			}
		}
		// u is the MU-minutes all the demand would ask of PT.
		u := max(cin*invCin, out*invCout)
		f, busy := rest, u*rest
		if mm < busy {
			// PT is saturated (or absent): it carries mm of them.
			f, busy = mm/u, mm
		} else if mm == 0 && r != 0 {
			// Requests without tokens, and no PT to take them.
			f = 0
		}
		ptR += r * f
		used += busy
		if iv != nil {
			iv.PTShare[i] += f * w
			iv.PTRequests[i] += r * f
			iv.PTInput[i] += in * f
			iv.PTOutput[i] += out * f
		}
		o := rest - f
		if o <= 0 {
			continue
		}
		// Rules 2-3: overflow to on-demand within quota, or throttled.
		or, oin, oout := r*o, in*o, out*o
		g := 1.0
		if throttleOverflow {
			g = 0
		} else {
			load := cin*o + sv.burn*oout
			if qt < load {
				g = qt / load
			}
			if qr < g*or {
				g = qr / or
			}
			if newDay != nil && load > 0 {
				// The day's token quota admits what is left of it.
				if room := dayCap - dayUsed; room < load*g {
					g = max(0, room) / load
				}
				dayUsed += load * g
			}
		}
		odr := or * g
		odR += odr
		thr += or - odr
		// Rule 4: on-demand cost.
		c := (oin*sv.pin + oout*sv.pout) * g
		if cacheUSD != nil {
			c += cacheUSD[i] * w * o * g
		}
		n := int64(c*nanoPerUSD + 0.5)
		nano += n
		if iv != nil {
			iv.ODRequests[i] += odr
			iv.ODInput[i] += oin * g
			iv.ODOutput[i] += oout * g
			iv.Throttled[i] += or - odr
			odNano[i] += n
		}
	}
	return sums{requests: requests, muMinInService: inService, ptRequests: ptR, odRequests: odR, throttled: thr, muMinUsed: used,
		resRequests: resR, resInUsed: resInUsed, resOutUsed: resOutUsed, odNano: nano}
}

// reservedShare is rule 1 for the Reserved layer: the share of an
// interval's demand (cin input tokens, cache writes included, and out
// output tokens) that a capacity of a input and b output tokens carries.
func reservedShare(cin, out, a, b float64) float64 {
	fr := 0.0
	if a > 0 || b > 0 {
		fr = 1
		if cin > a {
			fr = a / cin
		}
		if out > b {
			fr = min(fr, b/out)
		}
	}
	return fr
}

// run replays the series under the timeline into tot (and iv, when
// given).
func run(s *workload.Series, routing Routing, offer pricing.Offer, tl timeline, burst Burst, tot *Totals, iv *Intervals) {
	*tot = totalsOf(replaySums(s, routing, offer, tl, burst, iv), tl)
}

// replaySums is the replay of run: its running sums (and iv, when
// given). They depend on the timeline only through the capacity it
// holds (sameCapacity), not through its bill.
func replaySums(s *workload.Series, routing Routing, offer pricing.Offer, tl timeline, burst Burst, iv *Intervals) sums {
	dt := s.Period.Minutes()
	sv := newServer(offer, routing)
	d := demand{req: s.Invocations, in: s.InputTokens, out: s.OutputTokens, cacheWrite: s.CacheWrite,
		resIn: tl.resIn, resOut: tl.resOut, muMin: tl.muMinutes[:s.Len()], toPT: tl.toPT}
	if offer.Quotas.TPD != nil {
		d.newDay = make([]bool, s.Len())
		for i := range d.newDay {
			d.newDay[i] = i == 0 || s.Start[i]/86400 != s.Start[i-1]/86400
		}
	}
	if s.CacheRead != nil || s.CacheWrite != nil {
		// Priced once here, so the pass reads one column, not two.
		d.cacheUSD = make([]float64, s.Len())
		for i := range d.cacheUSD {
			if s.CacheRead != nil {
				d.cacheUSD[i] += s.CacheRead[i] * sv.pcr
			}
			if s.CacheWrite != nil {
				d.cacheUSD[i] += s.CacheWrite[i] * sv.pcw
			}
		}
	}
	x := sv.replay(d, dt, burst, iv)
	if iv != nil {
		for i, mm := range d.muMin {
			iv.MU[i] = mm / dt
		}
		if tl.resIn != nil {
			for i := range tl.resIn {
				iv.ResInputTPM[i], iv.ResOutputTPM[i] = tl.resIn[i]/dt, tl.resOut[i]/dt
			}
		}
	}
	return x
}

// totalsOf is a replay's totals: its sums, and the timeline's bill.
func totalsOf(x sums, tl timeline) Totals {
	tot := Totals{
		Requests: x.requests, PTRequests: x.ptRequests, ODRequests: x.odRequests, ThrottledRequests: x.throttled,
		MUHoursInService: x.muMinInService / 60, MUHoursUsed: x.muMinUsed / 60,
		MUHoursBilled: tl.muHoursBilled, ScheduledMUHoursBilled: tl.scheduledMUHours,
		ResRequests: x.resRequests, ResInputUsed: x.resInUsed, ResOutputUsed: x.resOutUsed,
		ResInputKTPMMonths: tl.resInKTPMMonths, ResOutputKTPMMonths: tl.resOutKTPMMonths,
		PTCost: tl.ptTotal, ResCost: tl.resTotal, ODCost: microFromNano(x.odNano),
		CommittedAfterWindow: tl.committedAfter, ReservedAfterWindow: tl.reservedAfter,
		RenewingPerMonth: pricing.FromUSD(tl.renewingPerMonth),
	}
	for i := range tl.resIn {
		tot.ResInputCapacity += tl.resIn[i]
		tot.ResOutputCapacity += tl.resOut[i]
	}
	return tot
}

// sameCapacity reports whether two timelines laid over the same n
// intervals hold the same capacity, to the bit, and route the same
// intervals to it: a replay on one then sums exactly what a replay on
// the other does (replaySums), whatever each bills.
func sameCapacity(a, b timeline, n int) bool {
	return slices.Equal(a.muMinutes[:n], b.muMinutes[:n]) && slices.Equal(a.toPT, b.toPT) &&
		slices.Equal(a.resIn, b.resIn) && slices.Equal(a.resOut, b.resOut)
}

func priceOf(p *pricing.Price) float64 {
	if p == nil {
		return 0
	}
	return p.USD
}
