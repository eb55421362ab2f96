package main

import (
	"flag"
	"fmt"
	"math"
	"strconv"

	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/sim"
	"github.com/bedrockplan/bedrockplan/workload"
)

// inputPaths lists every file simulate and recommend read from a flag,
// whether or not the report lists it among its inputs (the font is not
// data): none of them may sit inside the --out folder that --force would
// replace.
func (p *planFlags) inputPaths() []string {
	paths := []string{p.metrics, p.pricing, p.accountQuotas, p.existing}
	if p.font != "none" {
		paths = append(paths, p.font)
	}
	return paths
}

// maxFlagAmount is the largest throughput or quota a flag takes: far
// above any real one, far below where sums overflow.
const maxFlagAmount = 1e15

// checkThroughputFlags: one model unit carries input and output tokens,
// so the two flags come together, each above 0. A flag given as 0 is
// named as such rather than reported missing.
func checkThroughputFlags(cmd string, fs *flag.FlagSet, in, out float64) error {
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	for _, f := range []struct {
		name string
		v    float64
	}{{"mu-input-tpm", in}, {"mu-output-tpm", out}} {
		if given[f.name] && f.v == 0 {
			return usagef("%s: --%s 0: one model unit carries some tokens a minute; want more than 0 (up to 1e15), or leave out both --mu-input-tpm and --mu-output-tpm when the throughput is unknown", cmd, f.name)
		}
	}
	if (in > 0) != (out > 0) {
		return usagef("%s: give both --mu-input-tpm and --mu-output-tpm (one model unit has an input and an output limit)", cmd)
	}
	return nil
}

// maxModelUnits is the most model units simulate and recommend size: the
// limit of one plan block (plan files refuse more), and what keeps the
// optimiser, whose work grows with the MU count it tries, within seconds
// per week of 1-minute data. A throughput flag given in the wrong unit
// (tokens a second, or 1) would otherwise set it trying millions.
const maxModelUnits = 10_000

// checkModelUnits refuses a series whose busiest interval needs more than
// maxModelUnits at the throughput in use (burst peaks included), naming
// where the throughput came from.
func checkModelUnits(path string, s *workload.Series, tp pricing.Throughput, burst sim.Burst) error {
	if !tp.Known() {
		return nil
	}
	peak := 0.0
	for _, n := range sim.SeriesMUNeeded(s, tp) {
		peak = max(peak, n)
	}
	if burst.Ratio > 1 {
		peak *= min(burst.Ratio, s.Period.Minutes())
	}
	if peak <= maxModelUnits {
		return nil
	}
	need := strconv.FormatFloat(math.Ceil(peak), 'f', 0, 64)
	if peak >= 1e9 {
		need = strconv.FormatFloat(peak, 'g', 3, 64)
	}
	return fmt.Errorf("%s: the busiest interval needs %s model units at %s input and %s output tokens a minute per model unit (the throughput's source: %s); bedrockplan sizes at most %d, a plan block's limit: check that the throughput is tokens a minute for one model unit",
		path, need, strconv.FormatFloat(tp.InputTPM, 'g', -1, 64), strconv.FormatFloat(tp.OutputTPM, 'g', -1, 64), tp.Source, maxModelUnits)
}
