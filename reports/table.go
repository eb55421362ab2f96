package reports

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/sim"
)

// A table is one CSV file of a report folder, declared once: its name,
// its columns (their meanings and units are in columnDocs, which
// columns.md prints), how a row is written and how it is read. The
// writer, LoadReport and the column dictionary all use the declaration,
// so a column cannot be written without being read and documented.
//
// R is the row: a plain struct of the values one line holds. Columns
// that follow from others (a total, a contract value) are not kept in
// the row: write computes them and read checks them.
type table[R any] struct {
	name    string
	columns []string
	write   func(R) []string
	// read reads one line; problems go to the record, which keeps the
	// first, named by file, line and column.
	read func(*record) R
}

// encode writes rows as the file: a header, then a line per row.
func (t *table[R]) encode(rows []R) ([]byte, error) {
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	if err := cw.Write(t.columns); err != nil {
		return nil, err
	}
	for _, r := range rows {
		if err := cw.Write(t.write(r)); err != nil {
			return nil, err
		}
	}
	cw.Flush()
	return b.Bytes(), cw.Error()
}

// writeTo writes rows as the file into w.
func (t *table[R]) writeTo(w io.Writer, rows []R) error {
	b, err := t.encode(rows)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// decode reads the file's text: the header must be the declared
// columns. The rows are never nil, so that a file without rows is told
// apart from no file.
func (t *table[R]) decode(data []byte) ([]R, error) {
	rows, _, err := t.decodeRecord(data)
	return rows, err
}

// decodeRecord is decode, which also returns the record the lines were
// read through: it knows which columns were read.
func (t *table[R]) decodeRecord(data []byte) ([]R, *record, error) {
	cr := csv.NewReader(bytes.NewReader(data))
	head, err := cr.Read()
	if err == io.EOF {
		return nil, nil, fmt.Errorf("%s: empty file", t.name)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %v", t.name, err)
	}
	if err := checkHeader(t.name, head, t.columns); err != nil {
		return nil, nil, err
	}
	cr.FieldsPerRecord = len(t.columns)
	lines, err := cr.ReadAll()
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %v", t.name, err)
	}
	rows := make([]R, 0, len(lines))
	rec := &record{file: t.name, columns: t.columns}
	for i, line := range lines {
		rec.line, rec.fields = i+2, line
		rows = append(rows, t.read(rec))
	}
	if rec.err != nil {
		return nil, rec, rec.err
	}
	return rows, rec, nil
}

// load reads the table from the folder dir; without the file, nil rows
// when it is optional, else the error.
func (t *table[R]) load(dir string, optional bool) ([]R, error) {
	data, err := os.ReadFile(filepath.Join(dir, t.name))
	if errors.Is(err, os.ErrNotExist) && optional {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return t.decode(data)
}

// checkHeader checks a file's header against the columns declared.
func checkHeader(name string, head, columns []string) error {
	if len(head) != len(columns) {
		return fmt.Errorf("%s:1: %d columns, expected %d (%s)", name, len(head), len(columns), strings.Join(columns, ","))
	}
	for i, c := range head {
		if c != columns[i] {
			return fmt.Errorf("%s:1: column %d is %q, expected %q", name, i+1, c, columns[i])
		}
	}
	return nil
}

// record is the line of a table being read. It remembers which columns
// were read, on any line: a test checks that a table's read reads (or
// checks) every column its write writes.
type record struct {
	file    string
	columns []string
	line    int
	fields  []string
	err     error  // the first problem of the file
	read    []bool // read[i]: columns[i] was read on some line
}

func (r *record) str(col string) string {
	for i, c := range r.columns {
		if c == col {
			if r.read == nil {
				r.read = make([]bool, len(r.columns))
			}
			r.read[i] = true
			return r.fields[i]
		}
	}
	panic("reports: no column " + col + " in " + r.file)
}

// unread are the columns no line has read so far.
func (r *record) unread() []string {
	var out []string
	for i, c := range r.columns {
		if r.read == nil || !r.read[i] {
			out = append(out, c)
		}
	}
	return out
}

func (r *record) problem(col, format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("%s:%d: %s: %s", r.file, r.line, col, fmt.Sprintf(format, args...))
	}
}

// num reads a number; empty reads as 0.
func (r *record) num(col string) float64 {
	s := r.str(col)
	if s == "" {
		return 0
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		r.problem(col, "%q is not a number", s)
	}
	return v
}

// optNum reads a number that may be empty: nil then.
func (r *record) optNum(col string) *float64 {
	if r.str(col) == "" {
		return nil
	}
	v := r.num(col)
	return &v
}

// int reads a whole number; empty reads as 0.
func (r *record) int(col string) int {
	s := r.str(col)
	if s == "" {
		return 0
	}
	v, err := strconv.Atoi(s)
	if err != nil {
		r.problem(col, "%q is not a whole number", s)
	}
	return v
}

// money reads an amount in dollars; empty reads as 0.
func (r *record) money(col string) pricing.Money {
	s := r.str(col)
	if s == "" {
		return 0
	}
	m, err := pricing.ParseMoney(s)
	if err != nil {
		r.problem(col, "%v", err)
	}
	return m
}

// time reads an RFC 3339 time.
func (r *record) time(col string) time.Time {
	v, err := time.Parse(time.RFC3339, r.str(col))
	if err != nil {
		r.problem(col, "%q is not an RFC 3339 time", r.str(col))
	}
	return v
}

// date reads a date (YYYY-MM-DD).
func (r *record) date(col string) time.Time {
	v, err := time.Parse(time.DateOnly, r.str(col))
	if err != nil {
		r.problem(col, "%q is not a date (YYYY-MM-DD)", r.str(col))
	}
	return v
}

// bool reads true or false, and nothing else.
func (r *record) bool(col string) bool {
	switch s := r.str(col); s {
	case "true":
		return true
	case "false":
		return false
	default:
		r.problem(col, "%q is not true or false", s)
		return false
	}
}

// note reads a note's fact (a note_code column); a plan is not kept.
func (r *record) note(col string) sim.Note {
	n, err := parseNoteCode(r.str(col))
	if err != nil {
		r.problem(col, "%v", err)
	}
	return n
}

// exact formats a float so that parsing it gives the same float back.
// Plain decimals, never an exponent (1e+06 reads badly in a spreadsheet).
func exact(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func fixed(v float64, decimals int) string { return strconv.FormatFloat(v, 'f', decimals, 64) }

// optFixed formats an optional number: empty when nil.
func optFixed(v *float64, decimals int) string {
	if v == nil {
		return ""
	}
	return fixed(*v, decimals)
}

func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }
