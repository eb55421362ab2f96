package main

import "flag"

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
