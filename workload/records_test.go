package workload

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
)

// transcript is what a reader makes of a file, as ReadMetrics reads it:
// every record with its line, up to the first error, in full.
func transcript(read func() ([]string, error), line func() int) string {
	var b strings.Builder
	for {
		rec, err := read()
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				fmt.Fprintf(&b, "error %d %d %d %v", pe.StartLine, pe.Line, pe.Column, pe.Err)
			} else {
				fmt.Fprintf(&b, "error %v", err)
			}
			return b.String()
		}
		fmt.Fprintf(&b, "%d %q\n", line(), rec)
	}
}

// sameRecords fails t unless recordReader reads data as encoding/csv
// does (ReuseRecord, fields per record from the first), through a reader
// that hands over one byte at a time too.
func sameRecords(t *testing.T, data []byte) {
	t.Helper()
	cr := csv.NewReader(bytes.NewReader(data))
	cr.ReuseRecord = true
	want := transcript(cr.Read, func() int { line, _ := cr.FieldPos(0); return line })
	for _, r := range []io.Reader{bytes.NewReader(data), iotest.OneByteReader(bytes.NewReader(data))} {
		rr := newRecordReader(r)
		if got := transcript(rr.Read, rr.Line); got != want {
			t.Fatalf("%q:\nrecordReader reads\n%s\nencoding/csv\n%s", data, got, want)
		}
	}
}

// randomCSV is a file of lines made of fields, commas, spaces, carriage
// returns, empty lines and, in some files, double quotes (quoted fields,
// quotes inside them, bare and broken ones), with or without a last line
// break; some lines are longer than the reader's buffer.
func randomCSV(rng *rand.Rand) []byte {
	var b bytes.Buffer
	quotes := rng.IntN(2) == 0
	pieces := []string{"a", "12", "2026-11-02T00:00:00Z", ",", ",", " ", "\r", "é", ""}
	if quotes {
		pieces = append(pieces, `"`, `"x,y"`, `""`, "\"a\nb\"", `"a""b"`)
	}
	for range rng.IntN(12) {
		switch rng.IntN(8) {
		case 0:
			b.WriteString("\n") // empty
		case 1:
			b.WriteString("\r\n")
		case 2:
			if rng.IntN(10) == 0 {
				b.WriteString(strings.Repeat("x,", 40_000)) // longer than the buffer
			}
		}
		for range rng.IntN(8) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		b.WriteString([]string{"\n", "\r\n", "\n", "\r\r\n"}[rng.IntN(4)])
	}
	if rng.IntN(3) == 0 && b.Len() > 0 {
		b.Truncate(b.Len() - 1) // no last line break
	}
	return b.Bytes()
}

// TestRecordReaderMatchesCSV: on random files and on the metrics files
// of the tests, recordReader returns every record, line and error that
// encoding/csv does.
func TestRecordReaderMatchesCSV(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 9))
	for range 3000 {
		sameRecords(t, randomCSV(rng))
	}
	seeds, _ := filepath.Glob("testdata/*.csv")
	for _, p := range seeds {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		sameRecords(t, data)
	}
	for _, s := range []string{"", "\n", "\r", "\r\n", "a", "a\r", "a\r\n", "a,b\nc\n", "a,b\n\"c\",d\ne\n", "a\n\"b\nc\"\nd,e\n",
		"a,b\nc,\"d\ne\",f\n", "\ufeffa,b\n1,2\n", "a,b\n1,2,3\n4,5\n", "a,b\n1\"2,3\n", "a\r\r\n", "\r\r\n"} {
		sameRecords(t, []byte(s))
	}
}

// TestRecordReaderReadError: a reader's error ends the records, as it
// does with encoding/csv.
func TestRecordReaderReadError(t *testing.T) {
	boom := errors.New("boom")
	data := header + "2026-11-02T00:00:00Z,m,us-east-1,60,1,2,3\n"
	for _, cut := range []int{0, 10, len(header), len(data)} {
		r := newRecordReader(io.MultiReader(strings.NewReader(data[:cut]), iotest.ErrReader(boom)))
		var err error
		for err == nil {
			_, err = r.Read()
		}
		if err != boom {
			t.Errorf("cut at %d: %v", cut, err)
		}
	}
}

func FuzzRecordReader(f *testing.F) {
	rng := rand.New(rand.NewPCG(1, 1))
	for range 20 {
		f.Add(randomCSV(rng))
	}
	f.Fuzz(func(t *testing.T, data []byte) { sameRecords(t, data) })
}

// TestWholeNumberMatchesParseFloat: where wholeNumber reads a field, it
// reads the float64 strconv.ParseFloat does, to the bit; anything but 1
// to 15 digits it leaves to parseNumber's ParseFloat.
func TestWholeNumberMatchesParseFloat(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for range 200_000 {
		var b strings.Builder
		for range rng.IntN(18) {
			const alphabet = "0123456789012345678901234567890123456789 .e-+x"
			b.WriteByte(alphabet[rng.IntN(len(alphabet))])
		}
		raw := b.String()
		v, ok := wholeNumber(raw)
		digits := len(raw) >= 1 && len(raw) <= 15 && strings.Trim(raw, "0123456789") == ""
		if ok != digits {
			t.Fatalf("wholeNumber(%q) says %v", raw, ok)
		}
		if want, err := strconv.ParseFloat(raw, 64); ok && (err != nil || math.Float64bits(v) != math.Float64bits(want)) {
			t.Fatalf("wholeNumber(%q) = %v, ParseFloat %v (%v)", raw, v, want, err)
		}
	}
	for _, raw := range []string{"999999999999999", "000000000000001", "0", "1000000000000000"} {
		v, ok := wholeNumber(raw)
		if want, _ := strconv.ParseFloat(raw, 64); ok && v != want || ok != (len(raw) <= 15) {
			t.Errorf("wholeNumber(%q) = %v, %v", raw, v, ok)
		}
	}
}

// TestReadMetricsFileSized: read from a file, whose size sizes the first
// series, the metrics are those read from memory; a year of minutes gets
// its room at once, and a file of several series leaves the first with
// room for at most twice its rows.
func TestReadMetricsFileSized(t *testing.T) {
	cfg := SeedScenario(1)
	cfg.Days = 30
	year, err := Synthesize(cfg)
	if err != nil {
		t.Fatal(err)
	}
	other := *year
	other.ModelID = "other.model"
	for _, c := range []struct {
		name   string
		series []*Series
	}{{"one", []*Series{year}}, {"two", []*Series{year, &other}}} {
		var b bytes.Buffer
		if err := WriteMetrics(&b, &Metrics{Series: c.series}); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "metrics.csv")
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		fromFile, err := ReadMetricsFile(path)
		if err != nil {
			t.Fatal(err)
		}
		fromMemory, err := ReadMetrics(bytes.NewReader(b.Bytes()), path)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(fromFile, fromMemory) {
			t.Errorf("%s: the file reads otherwise than the same bytes in memory", c.name)
		}
		first := fromFile.Series[0]
		switch n := first.Len(); {
		case len(c.series) == 1 && (cap(first.Start) < n || cap(first.Start) > n*3/2):
			t.Errorf("%s: room for %d rows, %d read", c.name, cap(first.Start), n)
		case len(c.series) > 1 && cap(first.Start) > 2*n:
			t.Errorf("%s: the first series keeps room for %d rows, %d read", c.name, cap(first.Start), n)
		}
	}
}
