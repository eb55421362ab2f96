package workload

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

// tinySplits share a read among goroutines in chunks of a few bytes to a
// few lines, so that small inputs meet every boundary: chunks of one
// line, lines longer than a chunk, a problem in the first or last row of
// a chunk, a quote just after a chunk's end.
func tinySplits() []split {
	// The last reads ahead of the header more than a chunk before it
	// goes parallel, and reads inputs under 64 bytes sequentially.
	return []split{{workers: 2, chunk: 1}, {workers: 3, chunk: 7}, {workers: 2, chunk: 40}, {workers: 2, chunk: 300}, {workers: 2, chunk: 5, min: 64}}
}

// describe renders what a read returned, every float by its bits and
// every slice's length and capacity: two reads are the same when they
// describe the same.
func describe(m *Metrics, err error) string {
	if err != nil {
		return "error: " + err.Error()
	}
	var b strings.Builder
	floats := func(name string, v []float64) {
		if v == nil {
			fmt.Fprintf(&b, "  %s nil\n", name)
			return
		}
		fmt.Fprintf(&b, "  %s len %d cap %d:", name, len(v), cap(v))
		for _, x := range v {
			fmt.Fprintf(&b, " %x", math.Float64bits(x))
		}
		b.WriteByte('\n')
	}
	for _, s := range m.Series {
		fmt.Fprintf(&b, "series %q %q %q %v\n  start len %d cap %d: %v\n", s.ModelID, s.Region, s.ServiceTier, s.Period, len(s.Start), cap(s.Start), s.Start)
		floats("invocations", s.Invocations)
		floats("input", s.InputTokens)
		floats("output", s.OutputTokens)
		floats("throttles", s.Throttles)
		floats("cache read", s.CacheRead)
		floats("cache write", s.CacheWrite)
		floats("latency", s.LatencyAvgMs)
		floats("p90", s.LatencyP90Ms)
		floats("quota", s.QuotaUsage)
		floats("ttft", s.TTFTAvgMs)
	}
	return b.String()
}

// sameRead fails t unless every read of data says what the reference
// (ReadMetrics as it was, readMetricsReference) says: the sequential
// read, and the parallel one with each split, through readers that hand
// over the bytes whole, one at a time and in halves. A cut >= 0 makes
// the input fail with a read error after cut bytes.
func sameRead(t *testing.T, data []byte, cut int, splits ...split) {
	t.Helper()
	boom := errors.New("boom")
	source := func() io.Reader {
		if cut >= 0 {
			return io.MultiReader(bytes.NewReader(data[:cut]), iotest.ErrReader(boom))
		}
		return bytes.NewReader(data)
	}
	want := describe(readMetricsReference(source(), "x.csv"))
	if got := describe(readSequential(source(), "x.csv", -1)); got != want {
		t.Fatalf("%q (cut %d): the sequential read says\n%s\nthe reference\n%s", data, cut, got, want)
	}
	for _, sp := range splits {
		for i, r := range []io.Reader{source(), iotest.OneByteReader(source()), iotest.HalfReader(source())} {
			if got := describe(readMetrics(r, "x.csv", fileSize(r), sp)); got != want {
				t.Fatalf("%q (cut %d): split %+v, reader %d says\n%s\nthe reference\n%s", data, cut, sp, i, got, want)
			}
		}
	}
}

// sameFileRead is sameRead for data in a file, whose size sizes the
// first series.
func sameFileRead(t *testing.T, data []byte, splits ...split) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "x.csv")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	read := func(f func(*os.File) (*Metrics, error)) string {
		file, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer file.Close()
		return describe(f(file))
	}
	want := read(func(f *os.File) (*Metrics, error) { return readMetricsReference(f, "x.csv") })
	for _, sp := range splits {
		if got := read(func(f *os.File) (*Metrics, error) { return readMetrics(f, "x.csv", fileSize(f), sp) }); got != want {
			t.Fatalf("%.300q...: split %+v from a file says\n%.2000s\nthe reference\n%.2000s", data, sp, got, want)
		}
	}
}

// generated is a metrics file of several series, of every optional
// column, region and service tier, some at other periods, with their
// rows interleaved as CloudWatch exports are not.
func generated(rng *rand.Rand, rows int) []byte {
	cols := []string{ColTimestamp, ColModelID, ColRegion, ColServiceTier, ColPeriod, ColInvocations, ColInputTokens, ColOutputTokens,
		ColThrottles, ColCacheRead, ColCacheWrite, ColLatencyAvg, ColLatencyP90, ColQuotaUsage, ColTTFTAvg}
	keep := cols[:0:0]
	for i, c := range cols {
		if i < 2 || c == ColPeriod || c == ColInvocations || c == ColInputTokens || c == ColOutputTokens || rng.IntN(2) == 0 {
			keep = append(keep, c)
		}
	}
	type series struct {
		model, region, tier string
		period, t           int64
	}
	var ss []*series
	for range 1 + rng.IntN(4) {
		ss = append(ss, &series{model: []string{"m1", "amazon.nova-pro-v1:0", " m2 "}[rng.IntN(3)],
			region: []string{"us-east-1", "", "ap-northeast-1"}[rng.IntN(3)], tier: []string{"", "flex", "priority", "standard"}[rng.IntN(4)],
			period: []int64{60, 300, 3600}[rng.IntN(3)], t: 1_790_000_000 - 1_790_000_000%3600})
	}
	var b bytes.Buffer
	b.WriteString(strings.Join(keep, ",") + "\n")
	for range rows {
		s := ss[rng.IntN(len(ss))]
		if rng.IntN(50) == 0 {
			s.period = 60 // a new retention tier
		}
		s.t += s.period
		var rec []string
		for _, c := range keep {
			switch c {
			case ColTimestamp:
				rec = append(rec, time.Unix(s.t, 0).UTC().Format(time.RFC3339))
			case ColModelID:
				rec = append(rec, s.model)
			case ColRegion:
				rec = append(rec, s.region)
			case ColServiceTier:
				rec = append(rec, s.tier)
			case ColPeriod:
				rec = append(rec, fmt.Sprint(s.period))
			case ColLatencyAvg, ColLatencyP90, ColTTFTAvg:
				rec = append(rec, []string{"", "350.5", "12", "0.001"}[rng.IntN(4)])
			default:
				rec = append(rec, []string{"0", "17", "1200.25", "1e3", "999999999999999"}[rng.IntN(5)])
			}
		}
		b.WriteString(strings.Join(rec, ",") + "\n")
	}
	return b.Bytes()
}

// mutate spoils a metrics file in a few random places: problems in
// fields, lines out of order, repeated or cut short, quotes, blank
// lines, CRLF line ends, a BOM, no last line break.
func mutate(rng *rand.Rand, data []byte) []byte {
	lines := strings.SplitAfter(string(data), "\n")
	for range rng.IntN(6) {
		i := rng.IntN(len(lines))
		l := lines[i]
		switch rng.IntN(12) {
		case 0:
			lines[i] = strings.Replace(l, ",", ",x", 1) // a field not a number, or a model renamed
		case 1:
			lines[i] = strings.Replace(l, ",", "", 1) // a field too few
		case 2:
			lines[i] = strings.Replace(l, ",", ",,", 1) // a field too many
		case 3:
			lines[i] = strings.Replace(l, ",", `,"`, 1) // a bare quote
		case 4:
			lines[i] = strings.Replace(l, ",", `,"q"`, 1) // a quoted field
		case 5:
			lines = append(lines[:i], append([]string{l}, lines[i:]...)...) // a duplicate
		case 6:
			if j := rng.IntN(len(lines)); j > 0 && i > 0 {
				lines[i], lines[j] = lines[j], lines[i] // out of order
			}
		case 7:
			lines = append(lines[:i], append([]string{[]string{"\n", "\r\n", "\r\r\n", " \n"}[rng.IntN(4)]}, lines[i:]...)...)
		case 8:
			lines[i] = strings.Replace(l, "T", " ", 1) // not RFC 3339
		case 9:
			lines[i] = strings.Replace(l, ",", ",-", 2) // negative
		case 10:
			lines[i] = strings.Replace(l, "Z", ".5Z", 1) // a fraction of a second
		case 11:
			lines = lines[:i+1] // the file ends early
		}
	}
	out := strings.Join(lines, "")
	if rng.IntN(4) == 0 {
		out = strings.ReplaceAll(out, "\n", "\r\n")
	}
	if rng.IntN(8) == 0 {
		out = "\ufeff" + out
	}
	if rng.IntN(4) == 0 {
		out = strings.TrimRight(out, "\n")
	}
	if rng.IntN(8) == 0 {
		out = strings.TrimRight(out, "\r\n") + "\r"
	}
	return []byte(out)
}

// TestParallelReadBadMetrics: on every bad input of TestBadMetrics the
// parallel read refuses as the sequential read does.
func TestParallelReadBadMetrics(t *testing.T) {
	for _, c := range badMetrics() {
		sameRead(t, []byte(c.in), -1, tinySplits()...)
	}
	var b strings.Builder
	b.WriteString(header)
	for range 30 {
		b.WriteString("x,m,r,60,1,1,1\n")
	}
	sameRead(t, []byte(b.String()), -1, tinySplits()...)
	seeds, _ := filepath.Glob("testdata/*.csv")
	for _, p := range seeds {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		sameRead(t, data, -1, tinySplits()...)
	}
}

// TestParallelReadEdges: the cases the parallel read handles itself, or
// hands to the sequential read, at chunk boundaries.
func TestParallelReadEdges(t *testing.T) {
	ok := func(i int) string { return fmt.Sprintf("2026-11-02T%02d:%02d:00Z,m,us-east-1,60,1,2,3\n", i/60, i%60) }
	rows := func(n int, at map[int]string) string {
		var b strings.Builder
		b.WriteString(header)
		for i := range n {
			if l, bad := at[i]; bad {
				b.WriteString(l)
				continue
			}
			b.WriteString(ok(i))
		}
		return b.String()
	}
	bad := "2026-11-02T99:00:00Z,m,us-east-1,60,x,2,-3\n" // three problems on a line
	many := map[int]string{}
	for i := 3; i < 60; i += 4 {
		many[i] = bad
	}
	nine := map[int]string{}
	for i := range 9 {
		nine[2*i] = "2026-11-02T00:00:00Z,m,us-east-1,60,x,2,3\n"
	}
	nine[30] = bad // the tenth problem and two more, on one line: no "stopped after"
	for name, in := range map[string]string{
		"clean":                   rows(50, nil),
		"problem in each part":    rows(50, map[int]string{0: bad, 20: bad, 49: bad}),
		"more than ten":           rows(80, many),
		"ten and more on a line":  rows(40, nine),
		"field count late":        rows(50, map[int]string{45: "2026-11-02T00:45:00Z,m,us-east-1,60,1,2\n"}),
		"field count after ten":   rows(80, map[int]string{0: bad, 1: bad, 2: bad, 3: bad, 70: "a,b\n"}),
		"duplicate far apart":     rows(50, map[int]string{40: ok(3)}),
		"out of order":            rows(50, map[int]string{30: ok(10)}),
		"overlap":                 rows(50, map[int]string{30: "2026-11-02T00:29:30Z,m,us-east-1,300,1,2,3\n"}),
		"new period":              rows(50, map[int]string{30: "2026-11-02T00:35:00Z,m,us-east-1,300,1,2,3\n"}),
		"quote late":              rows(50, map[int]string{44: `2026-11-02T00:44:00Z,"m",us-east-1,60,1,2,3` + "\n"}),
		"quoted line break":       rows(50, map[int]string{44: "2026-11-02T00:44:00Z,\"m\nm\",us-east-1,60,1,2,3\n"}),
		"bad quote late":          rows(50, map[int]string{44: `2026-11-02T00:44:00Z,m"m,us-east-1,60,1,2,3` + "\n"}),
		"quote in header":         `timestamp,"model_id",region,period_s,invocations,input_tokens,output_tokens` + "\n" + rows(20, nil)[len(header):],
		"crlf":                    strings.ReplaceAll(rows(50, map[int]string{25: bad}), "\n", "\r\n"),
		"bom":                     "\ufeff" + rows(30, nil),
		"no last line break":      strings.TrimSuffix(rows(30, nil), "\n"),
		"last line bad, no break": strings.TrimSuffix(rows(30, map[int]string{29: bad}), "\n"),
		"last line cr":            strings.TrimSuffix(rows(30, nil), "\n") + "\r",
		"blank lines":             "\n\r\n" + strings.ReplaceAll(rows(30, nil), "Z,m,us-east-1,60,1,2,3\n2026-11-02T00:1", "Z,m,us-east-1,60,1,2,3\n\n\r\n2026-11-02T00:1"),
		"header only":             header,
		"header no break":         strings.TrimSuffix(header, "\n"),
		"empty":                   "",
		"blank":                   "\n\n\r\n",
		"bad header":              strings.Replace(rows(30, nil), "region", "regoin", 1),
		"long line":               rows(20, map[int]string{10: "2026-11-02T00:10:00Z,m" + strings.Repeat("x", 5000) + ",us-east-1,60,1,2,3\n"}),
		"two series":              rows(30, nil) + strings.ReplaceAll(rows(30, nil)[len(header):], ",m,", ",n,"),
	} {
		t.Run(name, func(t *testing.T) {
			data := []byte(in)
			sameRead(t, data, -1, tinySplits()...)
			for cut := 0; cut <= len(data); cut += 1 + len(data)/17 {
				sameRead(t, data, cut, tinySplits()[1])
			}
			sameFileRead(t, data, tinySplits()...)
		})
	}
}

// TestParallelReadGenerated: on generated files of several series, whole
// and spoilt, the parallel read says what the sequential one says.
func TestParallelReadGenerated(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 3))
	n := 600
	if testing.Short() {
		n = 100
	}
	for i := range n {
		data := generated(rng, 1+rng.IntN(120))
		if i%4 != 0 {
			data = mutate(rng, data)
		}
		sameRead(t, data, -1, tinySplits()[rng.IntN(5)], split{workers: 2, chunk: 1 + rng.IntN(500)})
		if i%20 == 0 {
			sameRead(t, data, rng.IntN(len(data)+1), split{workers: 2, chunk: 1 + rng.IntN(100)})
		}
	}
}

// TestParallelReadLarge: a month of minutes and a file of several series
// read at the default split, from memory and from a file (whose size
// sizes the first series).
func TestParallelReadLarge(t *testing.T) {
	cfg := SeedScenario(2)
	cfg.Days = 30
	s, err := Synthesize(cfg)
	if err != nil {
		t.Fatal(err)
	}
	other := *s
	other.ModelID, other.ServiceTier = "other.model", TierFlex
	other.LatencyAvgMs = make([]float64, s.Len())
	for i := range other.LatencyAvgMs {
		other.LatencyAvgMs[i] = float64(i%97) / 8
		if i%13 == 0 {
			other.LatencyAvgMs[i] = math.NaN()
		}
	}
	sp := defaultSplit()
	sp.workers = max(sp.workers, 2)
	for _, series := range [][]*Series{{s}, {s, &other}} {
		var b bytes.Buffer
		if err := WriteMetrics(&b, &Metrics{Series: series}); err != nil {
			t.Fatal(err)
		}
		if b.Len() < int(sp.min) {
			t.Fatalf("%d bytes: too few for the parallel read", b.Len())
		}
		data := b.Bytes()
		sameRead(t, data, -1, sp, split{workers: 3, chunk: 4096})
		sameFileRead(t, data, sp, split{workers: 2, chunk: 10_000})
		// Problems deep in the file, and a quoted line after them.
		spoilt := bytes.Replace(data, []byte("Z,"), []byte("Q,"), 1)
		at := len(data) * 2 / 3
		at += bytes.IndexByte(data[at:], '\n') + 1
		spoilt = append(spoilt[:at:at], append([]byte("2026-11-02T00:00:00Z,\"x\",us-east-1,60,1,2,3\n"), data[at:]...)...)
		sameRead(t, spoilt, -1, sp)
		sameFileRead(t, spoilt, sp)
	}
}

// TestParallelReadSame: ReadMetrics, whichever way it reads, returns what
// it returned before it read in parallel, series for series.
func TestParallelReadSame(t *testing.T) {
	cfg := SeedScenario(3)
	cfg.Days = 20
	s, err := Synthesize(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteMetrics(&b, &Metrics{Series: []*Series{s}}); err != nil {
		t.Fatal(err)
	}
	// From a file, as the CLI reads: a reader of another kind (a pipe)
	// is read sequentially.
	path := filepath.Join(t.TempDir(), "m.csv")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if fi, _ := f.Stat(); fi.Size() < defaultSplit().min {
		t.Fatalf("%d bytes: too few to be read in parallel", fi.Size())
	}
	got, err := ReadMetrics(f, "m.csv")
	if err != nil {
		t.Fatal(err)
	}
	want, _ := readMetricsReference(bytes.NewReader(b.Bytes()), "m.csv")
	if !reflect.DeepEqual(got, want) {
		t.Error("ReadMetrics reads otherwise than before")
	}
}

// FuzzParallelRead: on any input, the parallel read, in chunks of a few
// bytes, says what the reference says.
func FuzzParallelRead(f *testing.F) {
	rng := rand.New(rand.NewPCG(5, 8))
	for i := range 20 {
		data := generated(rng, 1+rng.IntN(20))
		if i%2 == 1 {
			data = mutate(rng, data)
		}
		f.Add(data, uint8(rng.IntN(256)))
	}
	for _, c := range badMetrics() {
		f.Add([]byte(c.in), uint8(3))
	}
	f.Fuzz(func(t *testing.T, data []byte, chunk uint8) {
		want := describe(readMetricsReference(bytes.NewReader(data), "f.csv"))
		for _, sp := range []split{{workers: 2, chunk: 1 + int(chunk)}, {workers: 3, chunk: 1 + int(chunk)%8, min: int64(chunk)}} {
			for i, r := range []io.Reader{bytes.NewReader(data), iotest.OneByteReader(bytes.NewReader(data))} {
				if got := describe(readMetrics(r, "f.csv", fileSize(r), sp)); got != want {
					t.Fatalf("split %+v, reader %d says\n%s\nthe reference\n%s", sp, i, got, want)
				}
			}
		}
	})
}

// TestReadMetricsPipeLeftOpen: a pipe whose writer stays open after its
// last row (a slow exporter, /dev/stdin) is read as the sequential reader
// reads it, which answers at ten problems without waiting for the pipe
// to close; the parallel read, reading ahead, would wait on it.
func TestReadMetricsPipeLeftOpen(t *testing.T) {
	var b strings.Builder
	b.WriteString("timestamp,model_id,region,period_s,invocations,input_tokens,output_tokens\n")
	for i := 0; b.Len() < 1200<<10; i++ {
		fmt.Fprintf(&b, "2026-11-%02dT%02d:%02d:00Z,m,us-east-1,60,1,2,3\n", 1+i/1440, (i/60)%24, i%60)
	}
	for range 10 {
		b.WriteString("x,m,r,60,1,1,1\n")
	}
	pr, pw := io.Pipe()
	defer pw.Close()
	go pw.Write([]byte(b.String())) // the writer is never closed while the read runs
	done := make(chan error, 1)
	go func() {
		_, err := ReadMetrics(pr, "stdin")
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "timestamp") {
			t.Errorf("want the ten problems, got %v", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("ReadMetrics waits on a pipe left open after ten problems")
	}
}
