package sim

import (
	"math"
	"time"

	"github.com/bedrockplan/bedrockplan/pricing"
)

// ReservedStep is the granularity of a reservation the optimiser sizes:
// the Reserved tier is priced per 1,000 tokens per minute.
const ReservedStep = 1000

// Reserve is a Reserved-tier decision: input and output TPM held for a
// term, renewed over the window.
type Reserve struct {
	Term                pricing.Term
	InputTPM, OutputTPM float64
}

// reservedSizing is the cost of a Reserved layer of (A, B) TPM held over
// the window, with PT fixed behind it, reduced to what sizing needs. For
// each interval part t, with X_t and Y_t the input and output TPM of the
// demand the layer can take over (what PT behind it would not carry
// anyway) and C_t its on-demand cost:
//
//	F(A, B) = pa·A + pb·B + Σ C_t·(1 − min(1, A/X_t, B/Y_t))
//
// F is convex (a sum of linear terms and of negated minima of linear
// functions), so for a given A the best B is a weighted quantile (where
// the saving of one more TPM of output falls below its price), and the
// best B for each A gives a convex function of A, searched by ternary
// search over whole steps.
type reservedSizing struct {
	x, y, c []float64
	// pa and pb are the window's price of one input and one output TPM.
	pa, pb float64
	// Bounds in TPM: the smallest reservation sold, raised so that no
	// interval is throttled when that is asked; the largest useful.
	loA, loB, hiA, hiB float64
	// zeroOK says that reserving nothing meets the throttle limit.
	zeroOK bool
	// scratch for the weighted quantile.
	v, w []float64
}

// cost is F(A, B).
func (rs *reservedSizing) cost(a, b float64) float64 {
	f := rs.pa*a + rs.pb*b
	for t, c := range rs.c {
		served := 1.0
		if x := rs.x[t]; x > a {
			served = a / x
		}
		if y := rs.y[t]; y > b {
			served = min(served, b/y)
		}
		f += c * (1 - served)
	}
	return f
}

// bestB returns the best output TPM for input TPM a, on the step grid
// within the bounds, and its cost.
func (rs *reservedSizing) bestB(a float64) (float64, float64) {
	// The saving of output TPM b is Σ C_t·min(u_t, b/Y_t) with u_t the
	// share input lets through: its slope is Σ C_t/Y_t over the parts
	// with b < u_t·Y_t. The best b is where that falls below pb.
	rs.v, rs.w = rs.v[:0], rs.w[:0]
	for t, c := range rs.c {
		y := rs.y[t]
		if y <= 0 || c <= 0 {
			continue
		}
		u := 1.0
		if x := rs.x[t]; x > a {
			u = a / x
		}
		rs.v = append(rs.v, u*y)
		rs.w = append(rs.w, c/y)
	}
	b := weightedUpper(rs.v, rs.w, rs.pb)
	lo := math.Floor(b/ReservedStep) * ReservedStep
	best, bestCost := 0.0, math.Inf(1)
	for _, cand := range []float64{lo, lo + ReservedStep} {
		cand = math.Min(math.Max(cand, rs.loB), rs.hiB)
		if c := rs.cost(a, cand); c < bestCost {
			best, bestCost = cand, c
		}
	}
	return best, bestCost
}

// weightedUpper returns the largest value v in vals such that the weights
// of the values ≥ v add up to more than limit (0 when they never do). It
// is a quickselect: linear time on average, reordering vals and weights.
func weightedUpper(vals, weights []float64, limit float64) float64 {
	acc := 0.0
	for len(vals) > 0 {
		p := vals[len(vals)/2]
		// Three-way partition: [0, hi) above p, [hi, lo) equal, [lo, n)
		// below.
		hi, i, lo := 0, 0, len(vals)
		for i < lo {
			switch v := vals[i]; {
			case v > p:
				vals[i], vals[hi] = vals[hi], vals[i]
				weights[i], weights[hi] = weights[hi], weights[i]
				hi++
				i++
			case v < p:
				lo--
				vals[i], vals[lo] = vals[lo], vals[i]
				weights[i], weights[lo] = weights[lo], weights[i]
			default:
				i++
			}
		}
		var wHi, wEq float64
		for _, w := range weights[:hi] {
			wHi += w
		}
		for _, w := range weights[hi:lo] {
			wEq += w
		}
		switch {
		case acc+wHi > limit:
			vals, weights = vals[:hi], weights[:hi]
		case acc+wHi+wEq > limit:
			return p
		default:
			acc += wHi + wEq
			vals, weights = vals[lo:], weights[lo:]
		}
	}
	return 0
}

// solve returns the cheapest (A, B) on the step grid and its cost, or
// (0, 0) when reserving nothing is cheaper or no reservation is allowed.
func (rs *reservedSizing) solve() (a, b, cost float64) {
	zero := math.Inf(1)
	if rs.zeroOK {
		zero = rs.cost(0, 0)
	}
	if rs.loA > rs.hiA || rs.loB > rs.hiB {
		return 0, 0, zero
	}
	lo, hi := int(rs.loA/ReservedStep), int(rs.hiA/ReservedStep)
	h := func(k int) float64 {
		_, c := rs.bestB(float64(k) * ReservedStep)
		return c
	}
	// Ternary search over whole steps of A on the convex best-B cost.
	for hi-lo > 4 {
		m1, m2 := lo+(hi-lo)/3, hi-(hi-lo)/3
		if h(m1) <= h(m2) {
			hi = m2
		} else {
			lo = m1
		}
	}
	bestA, bestB, best := 0.0, 0.0, math.Inf(1)
	for k := lo; k <= hi; k++ {
		if bb, c := rs.bestB(float64(k) * ReservedStep); c < best {
			bestA, bestB, best = float64(k)*ReservedStep, bb, c
		}
	}
	if zero <= best {
		return 0, 0, zero
	}
	return bestA, bestB, best
}

// reservedSizing sets up the sizing of a Reserved layer for term over the
// window, in front of ptMU(i) MUs of PT in part i, at prices per TPM-month
// pin and pout. With noThrottle, the layer must be large enough that the
// quota admits every part's overflow.
func (sm *slotModel) reservedSizing(o pricing.Offer, months, pin, pout float64, ptMU func(i int) float64, noThrottle bool) *reservedSizing {
	rs := &reservedSizing{pa: pin * months, pb: pout * months, zeroOK: true}
	if o.Reserved != nil {
		rs.loA, rs.loB = o.Reserved.MinInputTPM, o.Reserved.MinOutputTPM
	}
	for i := range sm.c {
		// What PT behind the layer leaves: k of the demand (a Reserved
		// share f leaves max(0, k − f) to on-demand).
		k := 1.0
		if a := sm.a[i]; math.IsInf(a, 1) {
			k = 0
		} else if m := ptMU(i); m > 0 {
			k = math.Max(0, 1-m*a)
		}
		if k <= 0 {
			continue
		}
		x, y := sm.x[i]*k, sm.y[i]*k
		rs.hiA, rs.hiB = math.Max(rs.hiA, x), math.Max(rs.hiB, y)
		if noThrottle && sm.q[i] < k {
			// The overflow k − f must fit the quota share q.
			need := (k - sm.q[i]) / k
			rs.loA, rs.loB = math.Max(rs.loA, need*x), math.Max(rs.loB, need*y)
			rs.zeroOK = false
		}
		rs.x = append(rs.x, x)
		rs.y = append(rs.y, y)
		rs.c = append(rs.c, sm.c[i]*k)
	}
	// Whole steps: up for the bounds that must hold, up for the largest
	// useful size so that it still carries the peak.
	rs.loA, rs.loB = math.Ceil(rs.loA/ReservedStep-1e-9)*ReservedStep, math.Ceil(rs.loB/ReservedStep-1e-9)*ReservedStep
	rs.hiA = math.Max(rs.loA, math.Ceil(rs.hiA/ReservedStep-1e-9)*ReservedStep)
	rs.hiB = math.Max(rs.loB, math.Ceil(rs.hiB/ReservedStep-1e-9)*ReservedStep)
	return rs
}

// reservedMonths is how many months of a reservation held over the whole
// window are billed inside it: each calendar month from the window's
// start counts in proportion to its time in the window, as the timeline
// bills it.
func reservedMonths(g grid, term pricing.Term) float64 {
	start := time.Unix(g.start, 0).UTC()
	var tl timeline
	price := &pricing.Price{USD: 1}
	o := pricing.Offer{Reserved: &pricing.ReservedOffer{}}
	o.Reserved.OneMonth = &pricing.ReservedPrices{InputPer1KTPMMonth: price, OutputPer1KTPMMonth: price}
	o.Reserved.ThreeMonths = o.Reserved.OneMonth
	p := Plan{Reserved: CoverReserved(ReservedStep, ReservedStep, term, start, time.Unix(g.end(), 0))}
	// A one-interval grid over the whole window keeps this cheap.
	whole := grid{start: g.start, step: g.end() - g.start, n: 1}
	if err := tl.addReserved(p, whole, o, false); err != nil {
		return 0
	}
	return tl.resInKTPMMonths
}

// ReservedBreakEven is the highest Reserved-tier price at which a
// reservation still pays for this traffic: the figure to take into the
// negotiation, since AWS does not publish Reserved prices. Input and
// output prices keep the ratio of the on-demand input and output prices.
type ReservedBreakEven struct {
	// InputPer1KTPMMonth and OutputPer1KTPMMonth are the break-even
	// prices, USD per 1K TPM-month.
	InputPer1KTPMMonth, OutputPer1KTPMMonth float64
	// InputTPM and OutputTPM are the reservation that breaks even at
	// those prices: the one that pays best for what it costs.
	InputTPM, OutputTPM float64
	// Never is set when no reservation of at least the minimum carries
	// any traffic.
	Never bool
}

// reservedBreakEven finds the break-even Reserved price: the largest λ
// such that some reservation (A, B) at prices λ·(on-demand input price,
// on-demand output price) per TPM-month saves as much as it costs, by
// Dinkelbach's iteration on saving(A, B) / cost(A, B). Quotas are left
// out: this is a price comparison, as the PT break-even is.
func reservedBreakEven(env Env) (*ReservedBreakEven, error) {
	o := env.Offer
	o.Quotas = pricing.Quotas{}
	if !o.Throughput.Known() {
		o.Throughput = pricing.Throughput{InputTPM: 1, OutputTPM: 1, Provenance: pricing.ProvenanceAssumed}
	}
	sm, err := buildSlotModel(Env{Series: env.Series, Offer: o, TimeZone: env.TimeZone, Options: env.Options}, env.Optimise.Existing)
	if err != nil {
		return nil, err
	}
	odIn, odOut := priceOf(o.OnDemand.InputPer1M)/1e6, priceOf(o.OnDemand.OutputPer1M)/1e6
	months := reservedMonths(seriesGrid(env.Series), pricing.TermOneMonth)
	be := &ReservedBreakEven{Never: true}
	if odIn+odOut == 0 || months == 0 {
		return be, nil
	}
	lambda := 0.0
	for range 60 {
		rs := sm.reservedSizing(o, months, lambda*odIn, lambda*odOut, sm.ptMU(nil), false)
		rs.zeroOK = false
		a, b, _ := rs.solve()
		cost := months * (odIn*a + odOut*b)
		saving := rs.cost(0, 0) - (rs.cost(a, b) - rs.pa*a - rs.pb*b)
		if cost <= 0 || saving <= 0 {
			break
		}
		next := saving / cost
		be.Never, be.InputTPM, be.OutputTPM = false, a, b
		be.InputPer1KTPMMonth, be.OutputPer1KTPMMonth = next*odIn*1000, next*odOut*1000
		if next <= lambda*(1+1e-12) {
			break
		}
		lambda = next
	}
	return be, nil
}
