package sim

import "math"

// The Monte Carlo's replays. The term-risk analysis prices every scenario
// under four to six plans, and the cash flow under two (the plan, and
// nothing bought); each scenario is hourly demand and each plan differs
// from the others only in the capacity it holds. A replay of each plan
// (server.replay) would work out, for every plan, what depends on the
// demand alone (its burst parts, the MU-minutes it asks of PT, what it
// would cost all on-demand); scenarioCost works that out once per hour
// and then prices each plan on it, with the same arithmetic as
// server.pass interval by interval, so that every plan's on-demand cost
// is the same nano-dollar sum a replay of it gives.

// scenarioPlan is the capacity one plan holds over a scenario's hours:
// MU-minutes of PT in service (full before hour until, part from then
// on, nil part meaning none; nil full meaning no PT at any hour), and a
// Reserved layer's input and output tokens before hour resUntil (nil:
// none).
type scenarioPlan struct {
	full, part    []float64
	until         int
	resIn, resOut []float64
	resUntil      int
}

// scenarioScratch is a worker's per-hour scratch for scenarioCost.
type scenarioScratch struct {
	req, in, out, u []float64
	n0              []int64
}

func newScenarioScratch(hours int) *scenarioScratch {
	return &scenarioScratch{req: make([]float64, hours), in: make([]float64, hours), out: make([]float64, hours),
		u: make([]float64, hours), n0: make([]int64, hours)}
}

// scenarioCost adds to nano[k] the on-demand cost, in nano-dollars, that
// plans[k] leaves over in hours [lo, hi) of the scenario d (requests
// and tokens only: no cache tokens, no routing windows, no daily quota;
// the overflow spills over to on-demand),
// each dt minutes long, under the burst model: the odNano of
// sv.replay(d[lo:hi] with the plan's layers, dt, burst, nil), to the
// nano-dollar.
func (sv *server) scenarioCost(d demand, lo, hi int, dt float64, burst Burst, plans []scenarioPlan, sc *scenarioScratch, nano []int64) {
	if sv.provisionedOnly {
		panic("scenarioCost prices spillover routing only")
	}
	if hi <= lo {
		return
	}
	nparts, w, tau := burst.parts(dt)
	for p := range nparts {
		sv.scenarioPart(d, lo, hi, w[p], tau[p], dt*tau[p], plans, sc, nano)
	}
}

// scenarioPart is scenarioCost for one burst part, as server.pass is for
// replay: the share w of each hour's demand arriving in the share tau of
// its time, minutes long.
func (sv *server) scenarioPart(d demand, lo, hi int, w, tau, minutes float64, plans []scenarioPlan, sc *scenarioScratch, nano []int64) {
	req, inTok, outTok := d.req[lo:hi], d.in[lo:hi], d.out[lo:hi]
	n := len(req)
	rs, ins, outs, us, n0s := sc.req[:n], sc.in[:n], sc.out[:n], sc.u[:n], sc.n0[:n]
	invCin, invCout := sv.invCin, sv.invCout
	qt, qr := sv.qtpm*minutes, sv.qrpm*minutes
	// What every plan shares: the part's demand, the MU-minutes it asks
	// of PT, and its cost with no capacity at all (server.pass with
	// mm = 0 and nothing reserved).
	var none int64
	free, pin, pout := math.IsInf(qt, 1) && math.IsInf(qr, 1), sv.pin, sv.pout
	for i, r := range req {
		in, out := inTok[i]*w, outTok[i]*w
		r *= w
		u := max(in*invCin, out*invCout)
		rs[i], ins[i], outs[i], us[i] = r, in, out, u
		c := int64(0)
		switch {
		case u == 0 && r == 0:
		case free:
			// overflowNano with o = 1 and g = 1 (x*1 is x).
			c = int64((in*pin+out*pout)*nanoPerUSD + 0.5)
		default:
			c = sv.overflowNano(r, in, out, in, 1, qt, qr)
		}
		n0s[i] = c
		none += c
	}
	for k := range plans {
		pl := &plans[k]
		switch {
		case pl.resIn != nil:
			nano[k] += sv.reservedPart(pl, lo, rs, ins, outs, us, n0s, tau, qt, qr)
		case pl.full == nil:
			nano[k] += none
		default:
			nano[k] += sv.ptPart(pl, lo, rs, ins, outs, us, n0s, tau, qt, qr)
		}
	}
}

// ptPart is the on-demand cost of a plan holding PT only, for one burst
// part of hours [lo, lo+len(rs)): its full capacity before hour until,
// its part capacity (or none) from then on.
func (sv *server) ptPart(pl *scenarioPlan, lo int, rs, ins, outs, us []float64, n0s []int64, tau, qt, qr float64) int64 {
	n := len(us)
	cut := min(max(pl.until-lo, 0), n)
	nano := sv.ptHours(pl.full[lo:lo+cut], rs[:cut], ins[:cut], outs[:cut], us[:cut], n0s[:cut], tau, qt, qr)
	if pl.part != nil {
		return nano + sv.ptHours(pl.part[lo+cut:lo+n], rs[cut:], ins[cut:], outs[cut:], us[cut:], n0s[cut:], tau, qt, qr)
	}
	for _, c := range n0s[cut:n] {
		nano += c
	}
	return nano
}

// ptHours is ptPart over hours where the plan holds muMin[i] MU-minutes
// of PT (the per-hour arrays all as long as muMin).
func (sv *server) ptHours(muMin, rs, ins, outs, us []float64, n0s []int64, tau, qt, qr float64) int64 {
	var nano int64
	free, pin, pout := math.IsInf(qt, 1) && math.IsInf(qr, 1), sv.pin, sv.pout
	rs, ins, outs, n0s = rs[:len(us)], ins[:len(us)], outs[:len(us)], n0s[:len(us)]
	muMin = muMin[:len(us)]
	for i, u := range us {
		mm := muMin[i] * tau
		switch {
		case mm == 0:
			nano += n0s[i]
		case mm >= u:
			// PT carries it all.
		case free:
			// overflowNano with g = 1: the quotas never bind. (With o
			// at 0 it gives 0, as overflowNano does.)
			o := 1 - mm/u
			nano += int64((ins[i]*o*pin+outs[i]*o*pout)*nanoPerUSD + 0.5)
		default:
			// PT is saturated: it carries mm of the u MU-minutes asked.
			nano += sv.overflowNano(rs[i], ins[i], outs[i], ins[i], 1-mm/u, qt, qr)
		}
	}
	return nano
}

// reservedPart is the on-demand cost of a plan holding a Reserved layer
// (and PT, or none), for one burst part: server.pass's rule 1 in full.
func (sv *server) reservedPart(pl *scenarioPlan, lo int, rs, ins, outs, us []float64, n0s []int64, tau, qt, qr float64) int64 {
	var nano int64
	until, resUntil := pl.until-lo, pl.resUntil-lo
	for i, u := range us {
		var mm float64
		if pl.full != nil {
			if i < until {
				mm = pl.full[lo+i] * tau
			} else if pl.part != nil {
				mm = pl.part[lo+i] * tau
			}
		}
		var a, b float64
		if i < resUntil {
			a, b = pl.resIn[lo+i]*tau, pl.resOut[lo+i]*tau
		}
		if a == 0 && b == 0 && mm == 0 {
			nano += n0s[i]
			continue
		}
		r, cin, out := rs[i], ins[i], outs[i]
		rest := 1 - reservedShare(cin, out, a, b)
		f, busy := rest, u*rest
		if mm < busy {
			f = mm / u
		} else if mm == 0 && r != 0 {
			f = 0
		}
		nano += sv.overflowNano(r, cin, out, cin, rest-f, qt, qr)
	}
	return nano
}

// overflowNano is rules 2-4 of server.pass, routed to on-demand
// (spillover), for the share o of an interval's demand (r requests, in
// and out tokens, cin of input counting against capacity and quota) that
// its capacity leaves over: its on-demand cost in nano-dollars, within
// the per-minute quotas qt and qr of the part.
func (sv *server) overflowNano(r, in, out, cin, o, qt, qr float64) int64 {
	if o <= 0 {
		return 0
	}
	oout := out * o
	g := 1.0
	if load := cin*o + sv.burn*oout; qt < load {
		g = qt / load
	}
	if or := r * o; qr < g*or {
		g = qr / or
	}
	return int64((in*o*sv.pin+oout*sv.pout)*g*nanoPerUSD + 0.5)
}
