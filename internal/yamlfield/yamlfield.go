package yamlfield

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/bedrockplan/bedrockplan/internal/suggest"
)

// Decode decodes data into v, rejecting unknown fields, and returns the
// document's node tree so later checks can find line numbers (LineOf).
func Decode(data []byte, name string, v any) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: empty document", name)
		}
		return nil, decodeError(name, err, structTypes(reflect.TypeOf(v)))
	}
	// A second document would be ignored by the decode above: refuse it
	// rather than plan with half the file.
	// (An empty one, a trailing --- alone, is harmless.)
	for {
		var next yaml.Node
		err := dec.Decode(&next)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, decodeError(name, err, nil)
		}
		if len(next.Content) > 0 && next.Content[0].Tag != "!!null" {
			return nil, fmt.Errorf("%s:%d: a second YAML document (after ---); one file holds one document", name, next.Line)
		}
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	return &root, nil
}

var (
	unknownFieldRE = regexp.MustCompile(`line (\d+): field (\S+) not found in type \S+\.(\w+)`)
	notMappingRE   = regexp.MustCompile("line (\\d+): cannot unmarshal !!\\w+ `(.*)` into \\S+\\.(\\w+)$")
	lineRE         = regexp.MustCompile(`^line (\d+): (.*)$`)
)

// structTypes maps the names of the struct types reachable from t to the
// types, so that yaml.v3's "not found in type pkg.T" can be answered with
// T's fields.
func structTypes(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	var walk func(reflect.Type)
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map || t.Kind() == reflect.Array {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || out[t.Name()] != nil {
			return
		}
		out[t.Name()] = t
		for i := 0; i < t.NumField(); i++ {
			walk(t.Field(i).Type)
		}
	}
	walk(t)
	return out
}

func decodeError(name string, err error, types map[string]reflect.Type) error {
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
			allowed := fields(types[m[3]])
			msg := fmt.Sprintf("%s:%s: unknown field %q", name, m[1], m[2])
			if s := suggest.Closest(m[2], allowed); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			msgs = append(msgs, msg+"; allowed: "+strings.Join(allowed, ", "))
			continue
		}
		if m := notMappingRE.FindStringSubmatch(e); m != nil && len(fields(types[m[3]])) > 0 {
			// A scalar where a struct goes ("provisioned_not_sold: true"):
			// say what the mapping holds rather than the Go type.
			msgs = append(msgs, fmt.Sprintf("%s:%s: %q where a mapping is wanted: {%s: …}", name, m[1], m[2], strings.Join(fields(types[m[3]]), ": …, ")))
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

func fields(t reflect.Type) []string {
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

// Path names a place in a document: fields as .name, map keys as ["key"]
// (model ids contain dots and colons), list items as [i].
type Path []string

// Field extends the path with a field name.
func (p Path) Field(name string) Path { return append(p[:len(p):len(p)], name) }

// Key extends the path with a map key.
func (p Path) Key(k string) Path { return append(p[:len(p):len(p)], "["+strconv.Quote(k)+"]") }

// Index extends the path with a list index.
func (p Path) Index(i int) Path { return append(p[:len(p):len(p)], "["+strconv.Itoa(i)+"]") }

func (p Path) String() string {
	var b strings.Builder
	for _, s := range p {
		if !strings.HasPrefix(s, "[") && b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s)
	}
	return b.String()
}

// Problem is something wrong at a path.
type Problem struct {
	Path    Path
	Message string
}

// Problems collects Problems.
type Problems []Problem

// Addf records a problem at p.
func (ps *Problems) Addf(p Path, format string, args ...any) {
	*ps = append(*ps, Problem{p, fmt.Sprintf(format, args...)})
}

// Err formats the problems as one error, a line each, with the line of
// each path in root (nil root: no line numbers). It returns nil when
// there are none.
func (ps Problems) Err(name string, root *yaml.Node) error {
	if len(ps) == 0 {
		return nil
	}
	msgs := make([]string, len(ps))
	for i, p := range ps {
		if root == nil {
			msgs[i] = fmt.Sprintf("%s: %s: %s", name, p.Path, p.Message)
			continue
		}
		msgs[i] = fmt.Sprintf("%s:%d: %s: %s", name, LineOf(root, p.Path), p.Path, p.Message)
	}
	return errors.New(strings.Join(msgs, "\n"))
}

// LineOf returns the line of the deepest node along path that exists.
func LineOf(root *yaml.Node, path Path) int {
	n := root
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	line := n.Line
	for _, el := range path {
		var next *yaml.Node
		switch {
		case strings.HasPrefix(el, "[\""):
			key, _ := strconv.Unquote(el[1 : len(el)-1])
			next = mapValue(n, key, &line)
		case strings.HasPrefix(el, "["):
			i, _ := strconv.Atoi(el[1 : len(el)-1])
			if n.Kind == yaml.SequenceNode && i < len(n.Content) {
				next = n.Content[i]
				line = next.Line
			}
		default:
			next = mapValue(n, el, &line)
		}
		if next == nil {
			break
		}
		n = next
	}
	return line
}

func mapValue(n *yaml.Node, key string, line *int) *yaml.Node {
	if n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			*line = n.Content[i].Line
			return n.Content[i+1]
		}
	}
	return nil
}
