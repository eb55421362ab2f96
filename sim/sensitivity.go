package sim

import (
	"errors"

	"github.com/bedrockplan/bedrockplan/pricing"
)

// SensitivityScales are the MU throughputs the sensitivity table prices
// the plan at, as shares of the throughput assumed.
func SensitivityScales() []float64 { return []float64{0.5, 0.75, 1, 1.25, 1.5} }

// SensitivityRow is the plan replayed with one MU carrying Scale times
// the throughput assumed.
type SensitivityRow struct {
	Scale               float64
	InputTPM, OutputTPM float64
	Totals              Totals
}

// Sensitivity shows what the throughput of a model unit, the largest
// unknown, does to the plan's cost, and how far it may be off before the
// optimiser would choose differently.
type Sensitivity struct {
	Rows []SensitivityRow
	// Below and Above are the scales (shares of the throughput assumed)
	// beyond which the recommendation would buy something else: the
	// first scale below 1 and above 1, to 1%, between 25% and 400%, at
	// which the optimiser's commitments (committed MUs and term, the
	// reservation) differ. Scheduled no-commitment PT follows the
	// throughput hour by hour and is not a purchase, so it does not
	// count. 0 when nothing changes in range.
	Below, Above float64
}

// ThroughputSensitivity replays plan at each of SensitivityScales, and
// searches for the throughput at which the optimiser would choose a
// different plan than base, its choice at the throughput assumed (nil:
// worked out here; the analysis has it already). It needs a known
// throughput and a plan with PT.
func ThroughputSensitivity(env Env, plan Plan, base *Optimum) (*Sensitivity, error) {
	tp := env.Offer.Throughput
	if !tp.Known() {
		return nil, errors.New("the throughput of one model unit is unknown")
	}
	scaled := func(f float64) Env {
		e := env
		e.Offer.Throughput = pricing.Throughput{InputTPM: tp.InputTPM * f, OutputTPM: tp.OutputTPM * f, Provenance: tp.Provenance, Source: tp.Source}
		return e
	}
	s := &Sensitivity{}
	// The plan's capacity and bill do not depend on the throughput: one
	// timeline serves every row.
	tl, err := prepare(env.Series, plan, env.Offer, env.Options, false, nil)
	if err != nil {
		return nil, err
	}
	for _, f := range SensitivityScales() {
		e := scaled(f)
		t := totalsOn(env.Series, plan, e.Offer, tl, env.Options)
		s.Rows = append(s.Rows, SensitivityRow{Scale: f, InputTPM: e.Offer.Throughput.InputTPM, OutputTPM: e.Offer.Throughput.OutputTPM, Totals: t})
	}
	// Every search step optimises the same demand at another throughput:
	// the slot model is built once, and each step works out only the
	// shares one MU carries.
	model, err := buildSlotModel(env, env.Optimise.Existing)
	if err != nil {
		return nil, err
	}
	if base == nil {
		if base, err = optimise(env, env.Optimise, model, nil); err != nil {
			return nil, err
		}
	}
	// Each search works out the MU's shares in scratch space of its own.
	var scratch [2][]float64
	changes := func(f float64, scratch *[]float64) (bool, error) {
		o, err := optimise(scaled(f), env.Optimise, model, scratch)
		if err != nil {
			return false, err
		}
		return !sameCommitments(o, base), nil
	}
	// Walk out from 1 in steps of 5%, then narrow the first change to 1%.
	find := func(dir float64, limit float64, scratch *[]float64) (float64, error) {
		prev := 1.0
		for f := 1 + dir*0.05; (dir < 0 && f >= limit) || (dir > 0 && f <= limit); f += dir * 0.05 {
			c, err := changes(f, scratch)
			if err != nil {
				return 0, err
			}
			if !c {
				prev = f
				continue
			}
			// The change lies between prev and f: bisect to 1%.
			lo, hi := prev, f
			for (hi-lo)*dir > 0.01 {
				mid := (lo + hi) / 2
				c, err := changes(mid, scratch)
				if err != nil {
					return 0, err
				}
				if c {
					hi = mid
				} else {
					lo = mid
				}
			}
			return hi, nil
		}
		return 0, nil
	}
	// The two searches, below and above, run side by side.
	err = forEach(2, func(k int) (err error) {
		if k == 0 {
			s.Below, err = find(-1, 0.25, &scratch[0])
		} else {
			s.Above, err = find(1, 4, &scratch[1])
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// sameCommitments reports whether two optima buy the same commitments.
func sameCommitments(a, b *Optimum) bool {
	if a.CommittedMU != b.CommittedMU || a.CommittedTerm != b.CommittedTerm || (a.Reserve == nil) != (b.Reserve == nil) {
		return false
	}
	return a.Reserve == nil || *a.Reserve == *b.Reserve
}
