package main

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
