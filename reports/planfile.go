package reports

import (
	"fmt"
	"io"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/bedrockplan/bedrockplan/internal/suggest"
	"github.com/bedrockplan/bedrockplan/internal/yamlfield"
	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/sim"
)

// planFile is plan.yaml as written on disk (DESIGN.md §4).
type planFile struct {
	ModelID   string          `yaml:"model_id"`
	Region    string          `yaml:"region,omitempty"`
	TimeZone  string          `yaml:"timezone,omitempty"`
	Reserved  []reservedFile  `yaml:"reserved,omitempty"`
	Committed []committedFile `yaml:"committed,omitempty"`
	Scheduled []windowFile    `yaml:"scheduled,omitempty"`
	Routing   string          `yaml:"routing"`
	PTWindows []windowFile    `yaml:"pt_windows,omitempty"`
}

type reservedFile struct {
	InputTPM  float64 `yaml:"input_tpm"`
	OutputTPM float64 `yaml:"output_tpm"`
	Term      string  `yaml:"term"`
	Start     string  `yaml:"start"`
	AtTermEnd string  `yaml:"at_term_end,omitempty"`
	DeleteAt  string  `yaml:"delete_at,omitempty"`
}

type committedFile struct {
	ModelUnits int    `yaml:"model_units"`
	Term       string `yaml:"term"`
	Start      string `yaml:"start"`
	AtTermEnd  string `yaml:"at_term_end,omitempty"`
	DeleteAt   string `yaml:"delete_at,omitempty"`
}

// readTermEnd reads what a commitment says about its term's end:
// renew (the default) or delete, and an optional delete date.
func readTermEnd(probs *yamlfield.Problems, at yamlfield.Path, e, deleteAt string) (sim.TermEnd, time.Time) {
	te := sim.TermEnd(e)
	if !te.Valid() {
		probs.Addf(at.Field("at_term_end"), "%q is not renew or delete (Bedrock bills a commitment until it is deleted)", e)
	}
	if deleteAt == "" {
		return te, time.Time{}
	}
	d, err := time.Parse(time.RFC3339, deleteAt)
	if err != nil {
		probs.Addf(at.Field("delete_at"), "%q is not an RFC 3339 time (e.g. 2027-06-01T00:00:00Z)", deleteAt)
	}
	return te, d.UTC()
}

// termEndFile writes what a commitment says about its term's end.
func termEndFile(e sim.TermEnd, deleteAt time.Time) (string, string) {
	d := ""
	if !deleteAt.IsZero() {
		d = deleteAt.UTC().Format(time.RFC3339)
	}
	return string(e), d
}

type windowFile struct {
	ModelUnits int      `yaml:"model_units,omitempty"`
	Days       []string `yaml:"days,flow"`
	From       string   `yaml:"from"`
	To         string   `yaml:"to"`
}

var dayNames = []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// ReadPlan reads a plan file strictly. Errors read "name:line: field:
// problem".
func ReadPlan(r io.Reader, name string) (sim.Plan, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return sim.Plan{}, fmt.Errorf("%s: %w", name, err)
	}
	var f planFile
	root, err := yamlfield.Decode(data, name, &f)
	if err != nil {
		return sim.Plan{}, err
	}
	var probs yamlfield.Problems
	p := sim.Plan{ModelID: f.ModelID, Region: f.Region, Routing: sim.Routing(f.Routing)}
	if strings.TrimSpace(f.ModelID) == "" {
		probs.Addf(yamlfield.Path{"model_id"}, "missing")
	}
	switch p.Routing {
	case sim.RouteSpillover, sim.RouteProvisionedOnly:
	case "":
		p.Routing = sim.RouteSpillover
	default:
		probs.Addf(yamlfield.Path{"routing"}, "%q is not spillover or provisioned-only", f.Routing)
	}
	p.TimeZone = time.UTC
	if f.TimeZone == "Local" {
		probs.Addf(yamlfield.Path{"timezone"}, "%q is whatever zone the machine is set to; name the zone (e.g. Asia/Tokyo or UTC), so the plan means the same everywhere", f.TimeZone)
	} else if f.TimeZone != "" {
		loc, err := time.LoadLocation(f.TimeZone)
		if err != nil {
			probs.Addf(yamlfield.Path{"timezone"}, "%q is not an IANA time zone (e.g. Asia/Tokyo)", f.TimeZone)
		} else {
			p.TimeZone = loc
		}
	}
	for i, c := range f.Reserved {
		at := yamlfield.Path{"reserved"}.Index(i)
		for _, side := range []struct {
			name string
			v    float64
		}{{"input_tpm", c.InputTPM}, {"output_tpm", c.OutputTPM}} {
			if !(side.v > 0) || side.v > 1e12 {
				probs.Addf(at.Field(side.name), "%v: want tokens per minute above 0, at most 1e12", side.v)
			}
		}
		term := pricing.Term(c.Term)
		if !pricing.ProductReserved.Sells(term) {
			msg := fmt.Sprintf("%q is not %s", c.Term, pricing.ProductReserved.TermNames())
			if term.Valid() {
				msg = fmt.Sprintf("%q is a PT term; the Reserved tier sells %s", c.Term, pricing.ProductReserved.TermNames())
			} else if s := suggest.Closest(c.Term, []string{"one_month", "three_months"}); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			probs.Addf(at.Field("term"), "%s", msg)
		}
		te, del := readTermEnd(&probs, at, c.AtTermEnd, c.DeleteAt)
		p.Reserved = append(p.Reserved, sim.Reservation{InputTPM: c.InputTPM, OutputTPM: c.OutputTPM, Term: term, Start: readStart(&probs, at, c.Start), AtTermEnd: te, DeleteAt: del})
	}
	for i, c := range f.Committed {
		at := yamlfield.Path{"committed"}.Index(i)
		checkUnits(&probs, at.Field("model_units"), c.ModelUnits)
		term := pricing.Term(c.Term)
		if !pricing.ProductPT.Sells(term) {
			msg := fmt.Sprintf("%q is not none, one_month or six_months", c.Term)
			if s := suggest.Closest(c.Term, []string{"none", "one_month", "six_months"}); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			probs.Addf(at.Field("term"), "%s", msg)
		}
		te, del := readTermEnd(&probs, at, c.AtTermEnd, c.DeleteAt)
		p.Committed = append(p.Committed, sim.Commitment{ModelUnits: c.ModelUnits, Term: term, Start: readStart(&probs, at, c.Start), AtTermEnd: te, DeleteAt: del})
	}
	readWindow := func(at yamlfield.Path, w windowFile) sim.Window {
		var out sim.Window
		if len(w.Days) == 0 {
			probs.Addf(at.Field("days"), "missing (e.g. [mon, tue, wed, thu, fri])")
		}
		for _, d := range w.Days {
			i := indexOf(dayNames, strings.ToLower(d))
			if i < 0 {
				probs.Addf(at.Field("days"), "%q is not a day (sun, mon, tue, wed, thu, fri, sat)", d)
				continue
			}
			out.Days = append(out.Days, time.Weekday(i))
		}
		from, errFrom := sim.ParseClock(w.From)
		if errFrom != nil || from == 1440 {
			probs.Addf(at.Field("from"), "%q is not a start time (HH:MM, 00:00 to 23:59)", w.From)
		}
		to, errTo := sim.ParseClock(w.To)
		if errTo != nil {
			probs.Addf(at.Field("to"), "%q is not an end time (HH:MM, 00:00 to 24:00)", w.To)
		}
		if to == 0 {
			to = 1440 // "00:00" as an end is the midnight that ends the day
		}
		if errFrom == nil && errTo == nil && from == to {
			probs.Addf(at.Field("to"), "%s equals from: the window is empty", w.To)
		}
		out.From, out.To = from, to
		return out
	}
	for i, w := range f.Scheduled {
		at := yamlfield.Path{"scheduled"}.Index(i)
		checkUnits(&probs, at.Field("model_units"), w.ModelUnits)
		p.Scheduled = append(p.Scheduled, sim.Scheduled{ModelUnits: w.ModelUnits, Window: readWindow(at, w)})
	}
	for i, w := range f.PTWindows {
		at := yamlfield.Path{"pt_windows"}.Index(i)
		if w.ModelUnits != 0 {
			probs.Addf(at.Field("model_units"), "pt_windows say when traffic goes to PT; they hold no model units")
		}
		p.PTWindows = append(p.PTWindows, readWindow(at, w))
	}
	if err := probs.Err(name, root); err != nil {
		return sim.Plan{}, err
	}
	return p, nil
}

// maxPlanUnits bounds the model units of one block: far above any
// purchase, far below where unit counts times hours overflow.
const maxPlanUnits = 10_000

func checkUnits(probs *yamlfield.Problems, at yamlfield.Path, mu int) {
	switch {
	case mu < 1:
		probs.Addf(at, "%d: want at least 1", mu)
	case mu > maxPlanUnits:
		probs.Addf(at, "%d: at most %d", mu, maxPlanUnits)
	}
}

// readStart reads a commitment's start: an RFC 3339 time in 2000-2099.
func readStart(probs *yamlfield.Problems, at yamlfield.Path, s string) time.Time {
	start, err := time.Parse(time.RFC3339, s)
	if err != nil {
		probs.Addf(at.Field("start"), "%q is not an RFC 3339 time (e.g. 2026-12-01T00:00:00Z)", s)
	} else if y := start.UTC().Year(); y < 2000 || y > 2099 {
		probs.Addf(at.Field("start"), "%q is outside the years 2000 to 2099", s)
	}
	return start.UTC()
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

// WritePlan writes p as plan.yaml, with a header comment saying what it
// buys.
func WritePlan(w io.Writer, p sim.Plan) error {
	f := planFile{ModelID: p.ModelID, Region: p.Region, TimeZone: p.Location().String(), Routing: string(p.Routing)}
	for _, c := range p.Reserved {
		e, d := termEndFile(c.AtTermEnd, c.DeleteAt)
		f.Reserved = append(f.Reserved, reservedFile{InputTPM: c.InputTPM, OutputTPM: c.OutputTPM, Term: string(c.Term), Start: c.Start.UTC().Format(time.RFC3339), AtTermEnd: e, DeleteAt: d})
	}
	for _, c := range p.Committed {
		e, d := termEndFile(c.AtTermEnd, c.DeleteAt)
		f.Committed = append(f.Committed, committedFile{ModelUnits: c.ModelUnits, Term: string(c.Term), Start: c.Start.UTC().Format(time.RFC3339), AtTermEnd: e, DeleteAt: d})
	}
	window := func(mu int, win sim.Window) windowFile {
		wf := windowFile{ModelUnits: mu, From: win.From.String(), To: win.To.String()}
		for _, d := range win.Days {
			wf.Days = append(wf.Days, dayNames[d])
		}
		return wf
	}
	for _, s := range p.Scheduled {
		f.Scheduled = append(f.Scheduled, window(s.ModelUnits, s.Window))
	}
	for _, win := range p.PTWindows {
		f.PTWindows = append(f.PTWindows, window(0, win))
	}
	if _, err := fmt.Fprintf(w, "# bedrockplan capacity plan: %s\n", Describe(p)); err != nil {
		return err
	}
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(f); err != nil {
		return err
	}
	return enc.Close()
}

// ReadPlans reads a plan file that holds one plan or several: a YAML
// list of plans, or plan documents separated by --- lines (as a
// portfolio's plan.yaml files concatenate). Each plan is read as
// ReadPlan reads one, and its problems keep their lines in the file.
func ReadPlans(r io.Reader, name string) ([]sim.Plan, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	var docs []string
	if len(root.Content) > 0 && root.Content[0].Kind == yaml.SequenceNode {
		docs = listItems(string(data), root.Content[0])
	} else {
		docs = documents(string(data))
	}
	var plans []sim.Plan
	first := map[[2]string]int{} // each model and region's plan, by its line
	for _, d := range docs {
		if strings.TrimSpace(stripComments(d)) == "" {
			continue
		}
		p, err := ReadPlan(strings.NewReader(d), name)
		if err != nil {
			return nil, err
		}
		// A plan's first line: the empty lines before it stand for the
		// lines of the file before it.
		line := 1 + len(d) - len(strings.TrimLeft(d, "\n"))
		key := [2]string{p.ModelID, p.Region}
		if at, ok := first[key]; ok {
			return nil, fmt.Errorf("%s:%d: a second plan for %s%s (the first is at line %d): one plan per model and region", name, line, p.ModelID, inRegion(p.Region), at)
		}
		first[key] = line
		plans = append(plans, p)
	}
	if len(plans) == 0 {
		return nil, fmt.Errorf("%s: no plan in the file", name)
	}
	return plans, nil
}

// documents splits YAML text at its --- lines. Each part keeps its
// lines' numbers: it starts with as many empty lines as come before it.
func documents(text string) []string {
	lines := strings.SplitAfter(text, "\n")
	var out []string
	start := 0
	flush := func(end int) {
		out = append(out, strings.Repeat("\n", start)+strings.Join(lines[start:end], ""))
	}
	for i, l := range lines {
		if t := strings.TrimRight(l, " \t\r\n"); t == "---" || strings.HasPrefix(t, "--- ") {
			flush(i)
			start = i + 1
		}
	}
	flush(len(lines))
	return out
}

// listItems cuts each item of a top-level YAML list out of text as a
// document of its own, dedented to the item's mapping and with its lines'
// numbers kept.
func listItems(text string, seq *yaml.Node) []string {
	lines := strings.SplitAfter(text, "\n")
	var out []string
	for k, item := range seq.Content {
		first := item.Line - 1
		end := len(lines)
		if k+1 < len(seq.Content) {
			end = seq.Content[k+1].Line - 1
		}
		indent := item.Column - 1
		var b strings.Builder
		b.WriteString(strings.Repeat("\n", first))
		for i := first; i < end && i < len(lines); i++ {
			l := lines[i]
			if i == first && indent <= len(l) {
				// "- key: v" becomes "  key: v", then is dedented.
				l = strings.Repeat(" ", indent) + l[indent:]
			}
			cut := 0
			for cut < indent && cut < len(l) && l[cut] == ' ' {
				cut++
			}
			b.WriteString(l[cut:])
		}
		out = append(out, b.String())
	}
	return out
}

func stripComments(s string) string {
	var b strings.Builder
	for _, l := range strings.Split(s, "\n") {
		if t := strings.TrimSpace(l); t != "" && !strings.HasPrefix(t, "#") {
			b.WriteString(t)
		}
	}
	return b.String()
}

func inRegion(region string) string {
	if region == "" {
		return ""
	}
	return " in " + region
}
