package pricing

import (
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Change is one field an override changes in a catalogue: the model, the
// region ("" for the model's own fields, its name and lifecycle), the
// field's YAML path inside that entry (as a --pricing file spells it; a
// price is named without its ".usd"), and its value before and after
// ("" when unset).
type Change struct {
	Model, Region, Field string
	Old, New             string
	// USD marks a price: Old and New are dollar amounts.
	USD bool
}

// Provenance reports whether the change is to where a figure was read or
// when (its source or as_of), not to the figure: a Price List update
// restamps every price it reads, so commands that print its price changes
// count these apart.
func (c Change) Provenance() bool {
	return strings.HasSuffix(c.Field, ".source") || strings.HasSuffix(c.Field, ".as_of") || c.Field == "source" || c.Field == "as_of"
}

// String is the change as one line: "model region field: old -> new",
// prices in dollars with the change in percent.
func (c Change) String() string {
	where := c.Model
	if c.Region != "" {
		where += " " + c.Region
	}
	before, after := c.Old, c.New
	if c.USD {
		before, after = "$"+before, "$"+after
	}
	switch {
	case c.Old == "":
		return fmt.Sprintf("%s %s: new %s", where, c.Field, after)
	case c.New == "":
		return fmt.Sprintf("%s %s: %s -> unset", where, c.Field, before)
	}
	line := fmt.Sprintf("%s %s: %s -> %s", where, c.Field, before, after)
	if o, err := strconv.ParseFloat(c.Old, 64); c.USD && err == nil && o != 0 {
		n, _ := strconv.ParseFloat(c.New, 64)
		line += fmt.Sprintf(" (%+.1f%%)", 100*(n-o)/o)
	}
	return line
}

// Diff lists every field over changes in base: prices (on-demand, cache,
// batch, service tiers, Reserved, PT) and everything else an override may
// set (MU throughput, quotas, lifecycle, Reserved minimums, names, and the
// source and date of each), in the order of the catalogue's YAML. It
// compares base with Merge(base, over), so what over leaves out is not
// mentioned and what it adds is shown as new.
func Diff(base, over *Catalogue) []Change {
	merged := Merge(base, over)
	var out []Change
	for _, id := range over.ModelIDs() {
		bm, mm := base.Models[id], merged.Models[id]
		out = append(out, changes(id, "", fields(head(bm)), fields(head(mm)))...)
		for _, rn := range over.Models[id].RegionNames() {
			var br *Region
			if bm != nil {
				br = bm.Regions[rn]
			}
			out = append(out, changes(id, rn, fields(br), fields(mm.Regions[rn]))...)
		}
	}
	return out
}

// modelHead is a model's own fields, without its regions.
type modelHead struct {
	Name      string     `yaml:"name,omitempty"`
	Lifecycle *Lifecycle `yaml:"lifecycle,omitempty"`
}

func head(m *Model) *modelHead {
	if m == nil {
		return nil
	}
	return &modelHead{Name: m.Name, Lifecycle: m.Lifecycle}
}

// field is one scalar of an entry, by its YAML path.
type field struct{ path, value string }

// fields lists the scalars of v (a catalogue entry) as its YAML has
// them, in order: reading the YAML rather than the Go fields means a
// field added to the catalogue is diffed without a change here.
func fields[T any](v *T) []field {
	if v == nil {
		return nil
	}
	b, err := yaml.Marshal(v)
	if err != nil {
		return nil // catalogue types always marshal
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil || len(doc.Content) == 0 {
		return nil
	}
	var out []field
	var walk func(n *yaml.Node, path string)
	walk = func(n *yaml.Node, path string) {
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				p := n.Content[i].Value
				if path != "" {
					p = path + "." + p
				}
				walk(n.Content[i+1], p)
			}
		case yaml.SequenceNode:
			for i, c := range n.Content {
				walk(c, fmt.Sprintf("%s[%d]", path, i))
			}
		case yaml.ScalarNode:
			if n.Tag != "!!null" {
				out = append(out, field{path, scalar(n)})
			}
		}
	}
	walk(doc.Content[0], "")
	return out
}

// scalar writes a YAML scalar for a change line: numbers in plain
// decimals (YAML writes 1e+06), strings quoted.
func scalar(n *yaml.Node) string {
	switch n.Tag {
	case "!!float", "!!int":
		if v, err := strconv.ParseFloat(n.Value, 64); err == nil {
			return strconv.FormatFloat(v, 'f', -1, 64)
		}
	case "!!str":
		return strconv.Quote(n.Value)
	}
	return n.Value
}

// changes lists the fields whose values differ between before and
// after.
func changes(model, region string, before, after []field) []Change {
	old := make(map[string]string, len(before))
	for _, f := range before {
		old[f.path] = f.value
	}
	var out []Change
	seen := map[string]bool{}
	for _, f := range after {
		seen[f.path] = true
		if o, ok := old[f.path]; !ok || o != f.value {
			out = append(out, change(model, region, f.path, o, f.value))
		}
	}
	for _, f := range before {
		if !seen[f.path] {
			out = append(out, change(model, region, f.path, f.value, ""))
		}
	}
	return out
}

func change(model, region, path, before, after string) Change {
	if p, ok := strings.CutSuffix(path, ".usd"); ok {
		return Change{Model: model, Region: region, Field: p, Old: before, New: after, USD: true}
	}
	return Change{Model: model, Region: region, Field: path, Old: before, New: after}
}
