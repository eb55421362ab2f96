package sim

import (
	"errors"
	"fmt"
	"math"
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
type Intervals struct {
	MU         []float64 // average model units in service
	PTShare    []float64 // f: share of the interval's demand PT served, 0..1
	PTRequests []float64
	PTInput    []float64
	PTOutput   []float64
	ODRequests []float64 // admitted to on-demand
	ODInput    []float64
	ODOutput   []float64
	Throttled  []float64 // requests turned away
	PTCost     []pricing.Money
	ODCost     []pricing.Money
}

// Totals sums a replay. Costs are exact sums of the per-interval costs.
type Totals struct {
	// Requests arrived; served by PT; admitted to on-demand; throttled.
	// (Token sums are in the per-interval results; the totals keep only
	// what reports print, so the loop keeps few running sums.)
	Requests, PTRequests, ODRequests, ThrottledRequests float64
	MUHoursInService, MUHoursBilled, MUHoursUsed        float64
	ScheduledMUHoursBilled                              float64
	PTCost, ODCost                                      pricing.Money
	// CommittedAfterWindow is owed for committed hours after the window.
	CommittedAfterWindow pricing.Money
}

// Total is PT plus on-demand cost.
func (t Totals) Total() pricing.Money { return t.PTCost + t.ODCost }

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
	if err := checkSeries(s); err != nil {
		return nil, err
	}
	if err := plan.Validate(); err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	if plan.HasPT() && !offer.Throughput.Known() {
		return nil, fmt.Errorf("the plan holds PT but the throughput of one %s model unit is unknown; give it with --mu-input-tpm and --mu-output-tpm", offer.ModelID)
	}
	if err := checkPrices(s, offer); err != nil {
		return nil, err
	}
	g := grid{start: s.Start[0], step: int64(s.Period / time.Second), n: s.Len()}
	tl, err := buildTimeline(plan, g, offer.PT, opt.LeadTime)
	if err != nil {
		return nil, err
	}
	res := &Result{}
	if keep {
		n := s.Len()
		res.Intervals = &Intervals{
			MU: make([]float64, n), PTShare: make([]float64, n),
			PTRequests: make([]float64, n), PTInput: make([]float64, n), PTOutput: make([]float64, n),
			ODRequests: make([]float64, n), ODInput: make([]float64, n), ODOutput: make([]float64, n),
			Throttled: make([]float64, n), PTCost: tl.ptCost, ODCost: make([]pricing.Money, n),
		}
	}
	run(s, plan.Routing, offer, tl, opt.Burst, &res.Totals, res.Intervals)
	res.Totals.MUHoursBilled = tl.muHoursBilled
	res.Totals.ScheduledMUHoursBilled = tl.scheduledMUHours
	res.Totals.CommittedAfterWindow = tl.committedAfter
	return res, nil
}

// Burst models traffic inside an interval coarser than a minute as two
// levels: for the interval's busiest minute demand runs at Ratio times
// the interval's mean rate, and the rest of the interval carries the
// remainder evenly. Ratio 1 (or 0) is flat traffic.
type Burst struct {
	Ratio float64
	// Source says where the ratio came from, for the report.
	Source string
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

// server holds what every interval's replay needs: prices per token,
// capacity per MU-minute, quotas per minute.
type server struct {
	cin, cout, invCin, invCout float64
	pin, pout, pcr, pcw        float64
	qtpm, qrpm, burn           float64 // quotas per minute (+Inf: none)
	provisionedOnly            bool
}

func newServer(offer pricing.Offer, routing Routing) server {
	sv := server{
		cin: offer.Throughput.InputTPM, cout: offer.Throughput.OutputTPM,
		pin: priceOf(offer.OnDemand.InputPer1M) / 1e6, pout: priceOf(offer.OnDemand.OutputPer1M) / 1e6,
		pcr: priceOf(offer.OnDemand.CacheReadPer1M) / 1e6, pcw: priceOf(offer.OnDemand.CacheWritePer1M) / 1e6,
		qtpm: math.Inf(1), qrpm: math.Inf(1), burn: offer.Quotas.Burndown(),
		provisionedOnly: routing == RouteProvisionedOnly,
	}
	sv.invCin, sv.invCout = 1/sv.cin, 1/sv.cout
	if q := offer.Quotas.TPM; q != nil {
		sv.qtpm = *q
	}
	if q := offer.Quotas.RPM; q != nil {
		sv.qrpm = *q
	}
	return sv
}

// demand is what a replay reads interval by interval: requests and
// tokens, the on-demand price of cache tokens (nil: none), the MU-minutes
// of PT in service, and whether traffic is routed to PT (nil: always).
type demand struct {
	req, in, out []float64
	cacheUSD     []float64
	muMin        []float64
	toPT         []bool
}

// sums are a replay's running totals. Requests and MU-minutes in service
// are not among them: they do not depend on the rules.
type sums struct {
	ptRequests, odRequests, throttled, muMinUsed, odUSD float64
}

// chunk is how many intervals replay prices per pass: small enough for
// the pass's output to stay in the first-level cache, large enough that
// the per-pass set-up does not show.
const chunk = 512

// replay applies DESIGN.md §3 rules 1-4 to every interval of d, each dt
// minutes long, under the burst model, and sums them. It allocates
// nothing; iv may be nil when only totals matter. Each chunk of
// intervals is priced one burst part at a time (pass), so the inner loop
// handles a single part and keeps its sums in registers; the parts'
// on-demand costs meet in a small buffer and are added to the running
// total interval by interval, in the same order whatever the parts.
func (sv *server) replay(d demand, dt float64, burst Burst, iv *Intervals) (tot sums) {
	nparts, w, tau := burst.parts(dt)
	var buf [chunk]float64
	var odCum float64
	var odBilled pricing.Money
	for lo := 0; lo < len(d.req); lo += chunk {
		hi := min(len(d.req), lo+chunk)
		usd := buf[:hi-lo]
		clear(usd)
		for p := range nparts {
			s := sv.pass(d, lo, hi, w[p], tau[p], dt*tau[p], usd, iv)
			tot.ptRequests += s.ptRequests
			tot.odRequests += s.odRequests
			tot.throttled += s.throttled
			tot.muMinUsed += s.muMinUsed
		}
		for i, c := range usd {
			odCum += c
			if iv != nil {
				// Costs are rounded as a running total so the
				// intervals add up to the total exactly.
				billed := pricing.FromUSD(odCum)
				iv.ODCost[lo+i] = billed - odBilled
				odBilled = billed
			}
		}
	}
	tot.odUSD = odCum
	return tot
}

// pass applies rules 1-4 to intervals [lo, hi) of d for one burst part:
// the share w of each interval's demand arriving in the share tau of its
// time, minutes long. It adds each interval's on-demand cost to usd
// (indexed from lo) and its results to iv, when given.
func (sv *server) pass(d demand, lo, hi int, w, tau, minutes float64, usd []float64, iv *Intervals) sums {
	req, inTok, outTok, muMin := d.req[lo:hi], d.in[lo:hi], d.out[lo:hi], d.muMin[lo:hi]
	inTok, outTok, muMin, usd = inTok[:len(req)], outTok[:len(req)], muMin[:len(req)], usd[:len(req)]
	var toPTs []bool
	if d.toPT != nil {
		toPTs = d.toPT[lo:hi]
	}
	var cacheUSD []float64
	if d.cacheUSD != nil {
		cacheUSD = d.cacheUSD[lo:hi]
	}
	cin, cout, invCin, invCout := sv.cin, sv.cout, sv.invCin, sv.invCout
	qt, qr := sv.qtpm*minutes, sv.qrpm*minutes
	var ptR, odR, thr, used float64
	for k, r := range req {
		in, out, mm := inTok[k]*w, outTok[k]*w, muMin[k]*tau
		r *= w
		toPT := toPTs == nil || toPTs[k]
		// Rule 1: the PT share f, limited by input and by output
		// capacity.
		f := 0.0
		switch {
		case r == 0 && in == 0 && out == 0:
			f = 1 // nothing to serve
		case !toPT || mm == 0:
		case mm*cin >= in && mm*cout >= out:
			// PT carries it all.
			f = 1
			ptR += r
			used += max(in*invCin, out*invCout)
		default:
			// PT is saturated: it carries mm of the u MU-minutes asked.
			f = mm / max(in*invCin, out*invCout)
			ptR += r * f
			used += mm
		}
		if iv != nil {
			i := lo + k
			iv.PTShare[i] += f * w
			iv.PTRequests[i] += r * f
			iv.PTInput[i] += in * f
			iv.PTOutput[i] += out * f
		}
		if f == 1 {
			continue
		}
		// Rules 2-3: overflow to on-demand within quota, or throttled.
		o := 1 - f
		or, oin, oout := r*o, in*o, out*o
		g := 1.0
		if sv.provisionedOnly && toPT {
			g = 0
		} else {
			if load := oin + sv.burn*oout; qt < load {
				g = qt / load
			}
			if qr < g*or {
				g = qr / or
			}
		}
		odr := or * g
		odR += odr
		thr += or - odr
		// Rule 4: on-demand cost.
		c := (oin*sv.pin + oout*sv.pout) * g
		if cacheUSD != nil {
			c += cacheUSD[k] * w * o * g
		}
		usd[k] += c
		if iv != nil {
			i := lo + k
			iv.ODRequests[i] += odr
			iv.ODInput[i] += oin * g
			iv.ODOutput[i] += oout * g
			iv.Throttled[i] += or - odr
		}
	}
	return sums{ptRequests: ptR, odRequests: odR, throttled: thr, muMinUsed: used}
}

// run replays the series under the timeline into tot (and iv, when
// given).
func run(s *workload.Series, routing Routing, offer pricing.Offer, tl timeline, burst Burst, tot *Totals, iv *Intervals) {
	dt := s.Period.Minutes()
	sv := newServer(offer, routing)
	d := demand{req: s.Invocations, in: s.InputTokens, out: s.OutputTokens, muMin: tl.muMinutes[:s.Len()], toPT: tl.toPT}
	if s.CacheRead != nil || s.CacheWrite != nil {
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
	var requests, mmSum float64
	for i, r := range s.Invocations {
		requests += r
		mmSum += d.muMin[i]
	}
	if iv != nil {
		for i, mm := range d.muMin {
			iv.MU[i] = mm / dt
		}
	}
	var ptCost pricing.Money
	for _, c := range tl.ptCost {
		ptCost += c
	}
	*tot = Totals{
		Requests: requests, PTRequests: x.ptRequests, ODRequests: x.odRequests, ThrottledRequests: x.throttled,
		MUHoursInService: mmSum / 60, MUHoursUsed: x.muMinUsed / 60,
		PTCost: ptCost, ODCost: pricing.FromUSD(x.odUSD),
	}
}

func priceOf(p *pricing.Price) float64 {
	if p == nil {
		return 0
	}
	return p.USD
}
