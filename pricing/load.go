package pricing

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/bedrockplan/bedrockplan/internal/suggest"
)

//go:embed catalogue.yaml
var embedded []byte

// Default returns the embedded catalogue. It panics only if the embedded
// file is broken, which a test rules out.
func Default() *Catalogue {
	c, err := Parse(bytes.NewReader(embedded), "embedded catalogue")
	if err != nil {
		panic(err)
	}
	return c
}

// Load reads and validates a catalogue file.
func Load(path string) (*Catalogue, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Parse(f, path)
}

// Parse decodes a catalogue strictly (unknown fields are errors) and
// validates it. Errors read "name:line: field.path: problem".
func Parse(r io.Reader, name string) (*Catalogue, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var c Catalogue
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: empty catalogue", name)
		}
		return nil, decodeError(name, err)
	}
	var root yaml.Node
	_ = yaml.Unmarshal(data, &root) // already decoded once; only used for line numbers
	if errs := c.validate(); len(errs) > 0 {
		msgs := make([]string, len(errs))
		for i, e := range errs {
			msgs[i] = fmt.Sprintf("%s:%d: %s: %s", name, lineOf(&root, e.path), e.path, e.problem)
		}
		return nil, errors.New(strings.Join(msgs, "\n"))
	}
	return &c, nil
}

var (
	unknownFieldRE = regexp.MustCompile(`line (\d+): field (\S+) not found in type pricing\.(\w+)`)
	lineRE         = regexp.MustCompile(`^line (\d+): (.*)$`)
)

// yamlTypes maps Go type names in yaml.v3 messages to the types, so an
// unknown field can be answered with the fields that are allowed.
var yamlTypes = map[string]reflect.Type{}

func init() {
	for _, v := range []any{Catalogue{}, Model{}, Region{}, OnDemand{}, Price{}, Factor{}, Throughput{}, Quotas{}, Lifecycle{}} {
		t := reflect.TypeOf(v)
		yamlTypes[t.Name()] = t
	}
}

func decodeError(name string, err error) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		if m := lineRE.FindStringSubmatch(msg); m != nil {
			return fmt.Errorf("%s:%s: %s", name, m[1], m[2])
		}
		return fmt.Errorf("%s: %s", name, msg)
	}
	msgs := make([]string, 0, len(te.Errors))
	for _, e := range te.Errors {
		if m := unknownFieldRE.FindStringSubmatch(e); m != nil {
			allowed := yamlFields(yamlTypes[m[3]])
			msg := fmt.Sprintf("%s:%s: unknown field %q", name, m[1], m[2])
			if s := suggest.Closest(m[2], allowed); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			msgs = append(msgs, msg+"; allowed: "+strings.Join(allowed, ", "))
			continue
		}
		if m := lineRE.FindStringSubmatch(e); m != nil {
			msgs = append(msgs, fmt.Sprintf("%s:%s: %s", name, m[1], m[2]))
			continue
		}
		msgs = append(msgs, name+": "+e)
	}
	return errors.New(strings.Join(msgs, "\n"))
}

func yamlFields(t reflect.Type) []string {
	if t == nil {
		return nil
	}
	var out []string
	for i := 0; i < t.NumField(); i++ {
		tag := strings.Split(t.Field(i).Tag.Get("yaml"), ",")[0]
		if tag != "" && tag != "-" {
			out = append(out, tag)
		}
	}
	return out
}

// fieldPath names a place in the catalogue: fields as .name, map keys as
// ["key"] because model ids contain dots and colons.
type fieldPath []string

func (p fieldPath) String() string {
	var b strings.Builder
	for _, s := range p {
		if strings.HasPrefix(s, "[") {
			b.WriteString(s)
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s)
	}
	return b.String()
}

func (p fieldPath) field(name string) fieldPath { return append(p[:len(p):len(p)], name) }
func (p fieldPath) key(k string) fieldPath      { return append(p[:len(p):len(p)], strconv.Quote(k)) }

type fieldError struct {
	path    fieldPath
	problem string
}

// lineOf finds the line of the deepest node of path that exists.
func lineOf(root *yaml.Node, path fieldPath) int {
	n := root
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	line := n.Line
	for _, el := range path {
		if n.Kind != yaml.MappingNode {
			break
		}
		key := el
		if uq, err := strconv.Unquote(el); err == nil {
			key = uq
		}
		found := false
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				line = n.Content[i].Line
				n = n.Content[i+1]
				found = true
				break
			}
		}
		if !found {
			break
		}
	}
	return line
}

// Validate checks the catalogue's values. Parse calls it; callers that
// build a catalogue in code can call it too.
func (c *Catalogue) Validate() error {
	errs := c.validate()
	if len(errs) == 0 {
		return nil
	}
	msgs := make([]string, len(errs))
	for i, e := range errs {
		msgs[i] = e.path.String() + ": " + e.problem
	}
	return errors.New(strings.Join(msgs, "\n"))
}

func (c *Catalogue) validate() []fieldError {
	var errs []fieldError
	add := func(p fieldPath, format string, args ...any) {
		errs = append(errs, fieldError{p, fmt.Sprintf(format, args...)})
	}
	checkDate := func(p fieldPath, s string, required bool) {
		if s == "" {
			if required {
				add(p, "missing (a date, YYYY-MM-DD)")
			}
			return
		}
		if _, err := time.Parse(time.DateOnly, s); err != nil {
			add(p, "%q is not a date (YYYY-MM-DD)", s)
		}
	}
	checkPrice := func(p fieldPath, pr *Price) {
		if pr == nil {
			return
		}
		if !(pr.USD >= 0) || pr.USD > 1e6 {
			add(p.field("usd"), "%v is not a price (want 0 ≤ usd ≤ 1,000,000)", pr.USD)
		}
		if strings.TrimSpace(pr.Source) == "" {
			add(p.field("source"), "missing: every price names its source")
		}
		checkDate(p.field("as_of"), pr.AsOf, true)
	}
	checkDate(fieldPath{"as_of"}, c.AsOf, false)
	for _, id := range c.ModelIDs() {
		m := c.Models[id]
		mp := fieldPath{"models"}.key(id)
		if m == nil {
			add(mp, "empty model entry")
			continue
		}
		if l := m.Lifecycle; l != nil {
			switch l.Status {
			case LifecycleActive, LifecycleLegacy, LifecycleEOL:
			default:
				add(mp.field("lifecycle").field("status"), "%q is not one of active, legacy, eol", l.Status)
			}
			checkDate(mp.field("lifecycle").field("eol"), l.EOL, false)
		}
		regions := make([]string, 0, len(m.Regions))
		for r := range m.Regions {
			regions = append(regions, r)
		}
		sort.Strings(regions)
		for _, rn := range regions {
			r := m.Regions[rn]
			rp := mp.field("regions").key(rn)
			if r == nil {
				add(rp, "empty region entry")
				continue
			}
			if od := r.OnDemand; od != nil {
				op := rp.field("on_demand")
				checkPrice(op.field("input_per_1m"), od.InputPer1M)
				checkPrice(op.field("output_per_1m"), od.OutputPer1M)
				checkPrice(op.field("cache_read_per_1m"), od.CacheReadPer1M)
				checkPrice(op.field("cache_write_per_1m"), od.CacheWritePer1M)
				if f := od.BatchFactor; f != nil {
					if !(f.Value > 0 && f.Value <= 1) {
						add(op.field("batch_factor").field("value"), "%v is not a factor in (0, 1]", f.Value)
					}
					if f.Source == "" {
						add(op.field("batch_factor").field("source"), "missing: every price names its source")
					}
					checkDate(op.field("batch_factor").field("as_of"), f.AsOf, true)
				}
			}
			for t, p := range r.Provisioned {
				pp := rp.field("provisioned").field(string(t))
				if !t.Valid() {
					msg := fmt.Sprintf("unknown term %q (terms: none, one_month, six_months)", t)
					if s := suggest.Closest(string(t), []string{"none", "one_month", "six_months"}); s != "" {
						msg = fmt.Sprintf("unknown term %q (did you mean %q?)", t, s)
					}
					add(pp, "%s", msg)
					continue
				}
				checkPrice(pp, p)
			}
			if tp := r.Throughput; tp != nil {
				p := rp.field("mu_throughput")
				switch tp.Provenance {
				case ProvenanceUnknown:
				case ProvenanceAssumed, ProvenanceAccountTeam, ProvenanceMeasured:
					if !(tp.InputTPM > 0) || math64Inf(tp.InputTPM) {
						add(p.field("input_tpm"), "%v: must be > 0 when provenance is %s", tp.InputTPM, tp.Provenance)
					}
					if !(tp.OutputTPM > 0) || math64Inf(tp.OutputTPM) {
						add(p.field("output_tpm"), "%v: must be > 0 when provenance is %s", tp.OutputTPM, tp.Provenance)
					}
					if tp.Source == "" {
						add(p.field("source"), "missing: say who gave or measured this throughput")
					}
				default:
					add(p.field("provenance"), "%q is not one of unknown, assumed, account-team, measured", tp.Provenance)
				}
				checkDate(p.field("as_of"), tp.AsOf, false)
			}
			if q := r.Quotas; q != nil {
				p := rp.field("quotas")
				for name, v := range map[string]*float64{"rpm": q.RPM, "tpm": q.TPM} {
					if v != nil && !(*v > 0) {
						add(p.field(name), "%v: a quota must be > 0 (leave it out for unlimited)", *v)
					}
				}
				if v := q.OutputBurndown; v != nil && !(*v >= 1) {
					add(p.field("output_burndown"), "%v: burndown must be ≥ 1", *v)
				}
				checkDate(p.field("as_of"), q.AsOf, false)
			}
		}
	}
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].path.String() < errs[j].path.String() })
	return errs
}

func math64Inf(v float64) bool { return v > 1e300 || v < -1e300 }

// Merge returns base with over laid on top: every field over sets
// replaces the same field in base; models, regions and terms that over
// does not mention are kept. Neither input is modified.
func Merge(base, over *Catalogue) *Catalogue {
	out := &Catalogue{AsOf: base.AsOf, Models: map[string]*Model{}}
	if over.AsOf != "" {
		out.AsOf = over.AsOf
	}
	for id, m := range base.Models {
		out.Models[id] = cloneModel(m)
	}
	for id, om := range over.Models {
		m, ok := out.Models[id]
		if !ok {
			out.Models[id] = cloneModel(om)
			continue
		}
		if om.Name != "" {
			m.Name = om.Name
		}
		if om.Lifecycle != nil {
			l := *om.Lifecycle
			m.Lifecycle = &l
		}
		for rn, or := range om.Regions {
			r, ok := m.Regions[rn]
			if !ok {
				m.Regions[rn] = cloneRegion(or)
				continue
			}
			mergeRegion(r, or)
		}
	}
	return out
}

func cloneModel(m *Model) *Model {
	c := &Model{Name: m.Name, Regions: map[string]*Region{}}
	if m.Lifecycle != nil {
		l := *m.Lifecycle
		c.Lifecycle = &l
	}
	for rn, r := range m.Regions {
		c.Regions[rn] = cloneRegion(r)
	}
	return c
}

func cloneRegion(r *Region) *Region {
	c := &Region{}
	mergeRegion(c, r)
	return c
}

func mergeRegion(dst, src *Region) {
	if src.OnDemand != nil {
		if dst.OnDemand == nil {
			dst.OnDemand = &OnDemand{}
		}
		d, s := dst.OnDemand, src.OnDemand
		d.InputPer1M = pick(d.InputPer1M, s.InputPer1M)
		d.OutputPer1M = pick(d.OutputPer1M, s.OutputPer1M)
		d.CacheReadPer1M = pick(d.CacheReadPer1M, s.CacheReadPer1M)
		d.CacheWritePer1M = pick(d.CacheWritePer1M, s.CacheWritePer1M)
		d.BatchFactor = pick(d.BatchFactor, s.BatchFactor)
	}
	if len(src.Provisioned) > 0 && dst.Provisioned == nil {
		dst.Provisioned = map[Term]*Price{}
	}
	for t, p := range src.Provisioned {
		dst.Provisioned[t] = pick(dst.Provisioned[t], p)
	}
	dst.Throughput = pick(dst.Throughput, src.Throughput)
	if src.Quotas != nil {
		if dst.Quotas == nil {
			dst.Quotas = &Quotas{}
		}
		d, s := dst.Quotas, src.Quotas
		d.RPM = pick(d.RPM, s.RPM)
		d.TPM = pick(d.TPM, s.TPM)
		d.OutputBurndown = pick(d.OutputBurndown, s.OutputBurndown)
		if s.Source != "" {
			d.Source, d.AsOf = s.Source, s.AsOf
		}
	}
}

// pick returns a copy of over when set, else old.
func pick[T any](old, over *T) *T {
	if over == nil {
		return old
	}
	v := *over
	return &v
}
