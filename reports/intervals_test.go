package reports

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/sim"
)

// sumColumn adds up a column of intervals.csv rows.
func sumColumn(t *testing.T, rows []map[string]string, col string) float64 {
	t.Helper()
	var sum float64
	for _, r := range rows {
		v, err := strconv.ParseFloat(r[col], 64)
		if err != nil {
			t.Fatalf("%s: %v", col, err)
		}
		sum += v
	}
	return sum
}

// sumMicro adds up a money column of intervals.csv rows exactly.
func sumMicro(t *testing.T, rows []map[string]string, col string) int64 {
	t.Helper()
	var sum int64
	for _, r := range rows {
		sum += micro(t, r[col])
	}
	return sum
}

// rerender renders the folder again from its data alone and checks that
// every summary and chart is byte for byte what Write rendered, and that
// the rows read from disk are the rows Write rendered from.
func rerender(t *testing.T, r *Report, dir string) *Report {
	t.Helper()
	loaded, err := LoadReport(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(loaded.rows, r.rendered.rows) {
		t.Error("the intervals read from the folder are not the ones Write rendered from")
	}
	again := writeFolder(t, loaded.Render)
	rendered, _ := os.ReadDir(again)
	for _, e := range rendered {
		want, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		got, _ := os.ReadFile(filepath.Join(again, e.Name()))
		if !bytes.Equal(got, want) {
			t.Errorf("%s rendered from the data differs from the original", e.Name())
		}
	}
	return loaded
}

// TestIntervalsModes writes the same report with every interval, hour by
// hour and without intervals: the hourly rows add up to the same totals
// as every interval does (costs to the micro-dollar, the rest to float
// rounding) and to strategies.csv; each mode's folder is re-rendered
// byte for byte from its data; without intervals there is no demand
// chart and the summary says why.
func TestIntervalsModes(t *testing.T) {
	r := richReport(t, LangEnglish)
	full := writeReport(t, r)
	checkFilesListed(t, r, full)
	rerender(t, r, full)
	every := readCSV(t, filepath.Join(full, "intervals.csv"))
	if len(every) != r.Series.Len() {
		t.Fatalf("%d rows for %d intervals", len(every), r.Series.Len())
	}

	r.Intervals = IntervalsHourly
	hourly := writeReport(t, r)
	checkFilesListed(t, r, hourly)
	loaded := rerender(t, r, hourly)
	hours := readCSV(t, filepath.Join(hourly, "intervals.csv"))
	// 5-minute data: twelve intervals to an hour of Asia/Tokyo (no DST,
	// whole-hour offset), the window starting on an hour.
	if len(hours)*12 != len(every) {
		t.Errorf("%d hourly rows for %d 5-minute intervals", len(hours), len(every))
	}
	rec := r.Analysis.Strategy(sim.StrategyRecommended).Totals
	for col, want := range map[string]int64{"provisioned_cost_usd": int64(rec.PTCost), "on_demand_cost_usd": int64(rec.ODCost), "total_cost_usd": int64(rec.Total())} {
		if got, all := sumMicro(t, hours, col), sumMicro(t, every, col); got != all || got != want {
			t.Errorf("%s: hourly rows add up to %d µ$, every interval to %d, strategies.csv says %d", col, got, all, want)
		}
	}
	for _, col := range []string{"requests", "input_tokens", "output_tokens", "pt_requests", "pt_input_tokens", "pt_output_tokens",
		"on_demand_requests", "on_demand_input_tokens", "on_demand_output_tokens", "throttled_requests"} {
		got, want := sumColumn(t, hours, col), sumColumn(t, every, col)
		if math.Abs(got-want) > 1e-9*math.Abs(want)+0.001*float64(len(hours)) {
			t.Errorf("%s: hourly rows add up to %v, every interval to %v", col, got, want)
		}
	}
	if got := sumColumn(t, hours, "period_s"); got != r.window().Seconds() {
		t.Errorf("hourly rows cover %v s, the window %v s", got, r.window().Seconds())
	}
	// The third hour: its MUs are the mean of its intervals', its share
	// of requests served by PT is its PT requests over its requests.
	h := hours[2]
	var mu float64
	for _, row := range every[24:36] {
		v, _ := strconv.ParseFloat(row["pt_mu"], 64)
		mu += v / 12
	}
	if got, _ := strconv.ParseFloat(h["pt_mu"], 64); math.Abs(got-mu) > 1e-4 {
		t.Errorf("hour 3: pt_mu %v, the mean of its intervals %v", got, mu)
	}
	ptr, _ := strconv.ParseFloat(h["pt_requests"], 64)
	req, _ := strconv.ParseFloat(h["requests"], 64)
	if got, _ := strconv.ParseFloat(h["pt_share_pct"], 64); math.Abs(got-100*ptr/req) > 1e-4 {
		t.Errorf("hour 3: pt_share_pct %v, pt_requests/requests %v%%", got, 100*ptr/req)
	}
	if loaded.Series.Len() != r.Series.Len() || loaded.Series.Period != 5*time.Minute || loaded.rows.len() != len(hours) || loaded.rows.s.Period != time.Hour {
		t.Errorf("hourly report read back as %d intervals of %s and %d rows of %s", loaded.Series.Len(), loaded.Series.Period, loaded.rows.len(), loaded.rows.s.Period)
	}
	summary, _ := os.ReadFile(filepath.Join(hourly, "summary.md"))
	if want := "written hour by hour (`intervals.csv`, `--intervals hourly`: " + strconv.Itoa(len(hours)) + " rows for 6,048 5-minute intervals"; !bytes.Contains(summary, []byte(want)) {
		t.Errorf("summary.md lacks %q", want)
	}

	r.Intervals = IntervalsNone
	none := writeReport(t, r)
	checkFilesListed(t, r, none)
	loaded = rerender(t, r, none)
	for _, name := range []string{"intervals.csv", "intervals.csv.gz", "demand.png", "load_duration.png"} {
		if _, err := os.Stat(filepath.Join(none, name)); err == nil {
			t.Errorf("--intervals none wrote %s", name)
		}
	}
	if loaded.rows != nil || loaded.Series.Len() != r.Series.Len() || loaded.window() != r.window() {
		t.Errorf("without intervals: rows %v, %d intervals over %s", loaded.rows != nil, loaded.Series.Len(), loaded.window())
	}
	if d := loaded.Analysis.Strategy(sim.StrategyRecommended); Describe(d.Plan) != Describe(r.Analysis.Strategy(sim.StrategyRecommended).Plan) {
		t.Errorf("the plan read back without intervals is %s", Describe(d.Plan))
	}
	summary, _ = os.ReadFile(filepath.Join(none, "summary.md"))
	if !bytes.Contains(summary, []byte("the intervals were not written (`--intervals none`)")) {
		t.Error("summary.md does not say the intervals were not written")
	}
	if loaded.Verdict() != r.Verdict() {
		t.Errorf("verdict without intervals\n%s\nwant\n%s", loaded.Verdict(), r.Verdict())
	}
}

// TestIntervalsGzip: intervals.csv.gz is intervals.csv compressed, and
// reads back to the same rows as writing kept; a window of more than
// GzipAbove intervals names it, and a damaged one is refused with its
// name.
func TestIntervalsGzip(t *testing.T) {
	if IntervalsFile(IntervalsFull, GzipAbove) != "intervals.csv" || IntervalsFile("", GzipAbove+1) != "intervals.csv.gz" ||
		IntervalsFile(IntervalsHourly, GzipAbove+1) != "intervals.csv" || IntervalsFile(IntervalsNone, 10) != "" {
		t.Error("IntervalsFile names the wrong files")
	}
	r := richReport(t, LangEnglish)
	rows := &intervalRows{s: r.Series, iv: r.DetailResult.Intervals}
	dir := t.TempDir()
	write := func(name string) *intervalRows {
		var b bytes.Buffer
		back, err := writeIntervalsFile(&b, name, rows, r.TimeZone, true)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, name), b.Bytes(), 0o644)
		return back
	}
	plainRows, gzRows := write("intervals.csv"), write("intervals.csv.gz")
	plain, _ := os.ReadFile(filepath.Join(dir, "intervals.csv"))
	zf, _ := os.Open(filepath.Join(dir, "intervals.csv.gz"))
	defer zf.Close()
	zr, err := gzip.NewReader(zf)
	if err != nil {
		t.Fatal(err)
	}
	unzipped, _ := io.ReadAll(zr)
	if !bytes.Equal(unzipped, plain) {
		t.Fatal("intervals.csv.gz does not hold intervals.csv")
	}
	var want bytes.Buffer
	if err := WriteIntervals(&want, r.Series, r.DetailResult.Intervals, r.TimeZone); err != nil || !bytes.Equal(want.Bytes(), plain) {
		t.Errorf("WriteIntervals writes other bytes than the rows Write keeps (%v)", err)
	}
	_, read, err := readIntervals(dir, IntervalsFull, GzipAbove+1)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(read, gzRows) || !reflect.DeepEqual(gzRows, plainRows) {
		t.Error("intervals.csv.gz reads back other rows than writing kept")
	}
	os.WriteFile(filepath.Join(dir, "intervals.csv.gz"), unzipped[:100], 0o644)
	if _, _, err := readIntervals(dir, IntervalsFull, GzipAbove+1); err == nil || !strings.Contains(err.Error(), "intervals.csv.gz") {
		t.Errorf("a damaged intervals.csv.gz: %v", err)
	}
}

// gatedWriter waits for open to be closed before its first write, then
// keeps what it is given, failing from failAt bytes on (0: never).
type gatedWriter struct {
	open   chan struct{}
	failAt int
	got    bytes.Buffer
}

var errGated = errors.New("disk full")

func (g *gatedWriter) Write(p []byte) (int, error) {
	<-g.open
	if g.failAt > 0 && g.got.Len()+len(p) >= g.failAt {
		return 0, errGated
	}
	return g.got.Write(p)
}

// TestCompressBehind: the writing side does not wait for the writer
// behind while the queue has room; what is written comes out behind in
// order, through a queue of one chunk or of many; a writer behind that
// fails stops the writing side with its error, and close gives it too.
func TestCompressBehind(t *testing.T) {
	var text bytes.Buffer
	for i := range 50_000 {
		text.WriteString(strconv.Itoa(i*7919) + ",")
	}

	g := &gatedWriter{open: make(chan struct{})}
	b := compressBehind(nopCloser{g}, 4<<20)
	written := make(chan error, 1)
	go func() {
		_, err := b.Write(text.Bytes()[:100_000])
		if err == nil {
			_, err = b.Write(text.Bytes()[100_000:])
		}
		written <- err
	}()
	select {
	case err := <-written:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(time.Minute):
		t.Fatal("Write waited for the writer behind, with room in the queue")
	}
	close(g.open)
	if err := b.close(); err != nil || !bytes.Equal(g.got.Bytes(), text.Bytes()) {
		t.Fatalf("%d bytes behind, want %d (%v)", g.got.Len(), text.Len(), err)
	}
	for _, bound := range []int{1, 64 << 10, 1 << 20} {
		g := &gatedWriter{open: make(chan struct{})}
		close(g.open)
		b := compressBehind(nopCloser{g}, bound)
		for p := text.Bytes(); len(p) > 0; {
			n := min(len(p), 1000+len(p)%5000)
			if k, err := b.Write(p[:n]); err != nil || k != n {
				t.Fatalf("bound %d: Write = %d, %v", bound, k, err)
			}
			p = p[n:]
		}
		if err := b.close(); err != nil || !bytes.Equal(g.got.Bytes(), text.Bytes()) {
			t.Errorf("bound %d: %d bytes behind, want %d (%v)", bound, g.got.Len(), text.Len(), err)
		}

		g = &gatedWriter{open: make(chan struct{}), failAt: 100_000}
		close(g.open)
		b = compressBehind(nopCloser{g}, bound)
		var werr error
		for p := text.Bytes(); len(p) > 0 && werr == nil; p = p[min(len(p), 4096):] {
			_, werr = b.Write(p[:min(len(p), 4096)])
		}
		if cerr := b.close(); !errors.Is(cerr, errGated) {
			t.Errorf("bound %d: close after a failed write = %v", bound, cerr)
		}
		if werr != nil && !errors.Is(werr, errGated) {
			t.Errorf("bound %d: Write after a failed write = %v", bound, werr)
		}
	}
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

// TestAppendFixed: whole numbers are written as strconv writes them, and
// so is everything else.
func TestAppendFixed(t *testing.T) {
	for _, v := range []float64{0, math.Copysign(0, -1), 1, 713, 1 << 40, 1<<53 - 1, 1 << 53, 1e15, 1e300, 0.5, 0.00005, 2.5, 1e-7, -3, -0.25,
		math.Inf(1), math.NaN(), 123456.78905, 99.99995} {
		for _, d := range []int{3, 4} {
			got, whole := appendFixed([]byte("x,"), v, d)
			want := strconv.AppendFloat([]byte("x,"), v, 'f', d, 64)
			if !bytes.Equal(got, want) {
				t.Errorf("appendFixed(%v, %d) = %q, want %q", v, d, got, want)
			}
			if w := v >= 0 && v < 1<<53 && v == math.Trunc(v) && !math.Signbit(v); whole != w {
				t.Errorf("appendFixed(%v, %d) says whole %v", v, d, whole)
			}
		}
	}
}

// TestIntervalsReadBackShared: on random rows (whole counts, fractions,
// shares, columns all whole and columns that are not, with and without
// the Reserved layer), the rows writing keeps, sharing the columns that
// read back as they are, are the rows the text written reads back to.
func TestIntervalsReadBackShared(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 11))
	for trial := range 40 {
		n := 1 + rng.IntN(300)
		rows := newIntervalRows(n, rng.IntN(2) == 0)
		rows.s.Period = time.Minute
		start := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC).Unix()
		for i := range n {
			rows.s.Start[i] = start + 60*int64(i)
			rows.iv.PTCost[i], rows.iv.ODCost[i] = pricing.Money(rng.IntN(1e6)), pricing.Money(rng.IntN(1e6))
			if rows.iv.ResCost != nil {
				rows.iv.ResCost[i] = pricing.Money(rng.IntN(1e6))
			}
		}
		for k, c := range intervalNums(rows.iv.ResCost != nil) {
			col := *columnOf(rows, c.name)
			kind := (trial + k) % 4 // all whole, mixed, all fractions, all zero
			for i := range col {
				switch {
				case kind == 0 || kind == 1 && rng.IntN(2) == 0:
					col[i] = float64(rng.IntN(1e6))
				case kind == 3:
					col[i] = 0
				case c.pct:
					col[i] = rng.Float64()
				default:
					col[i] = rng.Float64() * 1e4
				}
			}
		}
		var b bytes.Buffer
		back, err := writeIntervalRows(&b, rows, time.UTC, true)
		if err != nil {
			t.Fatal(err)
		}
		read, err := parseIntervals(bytes.NewReader(b.Bytes()), "intervals.csv")
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range intervalNums(rows.iv.ResCost != nil) {
			got, want := *columnOf(back, c.name), *columnOf(read, c.name)
			for i := range want {
				if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
					t.Fatalf("trial %d: %s[%d] kept as %v, reads back as %v", trial, c.name, i, got[i], want[i])
				}
			}
			if len(got) != len(want) {
				t.Fatalf("trial %d: %s: %d rows kept, %d read", trial, c.name, len(got), len(want))
			}
		}
	}
}

// TestTimeWriterMatchesTime: timeWriter writes what time.Time.In(loc)
// .AppendFormat(time.RFC3339) writes, for times one after another at
// steps of a minute to a day (across changes of offset, half-hour and
// 45-minute zones, a zone whose summer time is its negative offset,
// seconds-off local mean times of the 19th century) and at random.
func TestTimeWriterMatchesTime(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 3))
	var zones []*time.Location
	for _, name := range []string{"UTC", "Asia/Tokyo", "America/New_York", "Europe/Dublin", "Australia/Lord_Howe", "Asia/Kathmandu", "Asia/Kolkata", "America/St_Johns", "Pacific/Chatham"} {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Fatal(err)
		}
		zones = append(zones, loc)
	}
	zones = append(zones, time.FixedZone("odd", -(3*3600+25*60+17)))
	check := func(f *timeWriter, loc *time.Location, unix int64) {
		t.Helper()
		got := string(f.append([]byte("x"), unix))
		want := "x" + time.Unix(unix, 0).In(loc).Format(time.RFC3339)
		if got != want {
			t.Fatalf("%d in %s: %s, want %s", unix, loc, got, want)
		}
	}
	for _, loc := range zones {
		for _, step := range []int64{60, 300, 3600, 86400, 7} {
			f := newTimeWriter(loc)
			start := time.Date(2000+rng.IntN(100), 1, 1, 0, 0, 0, 0, time.UTC).Unix() + rng.Int64N(86400)
			for i := range int64(100_000 / max(1, step/60)) {
				check(f, loc, start+i*step)
			}
		}
		f := newTimeWriter(loc)
		for range 20_000 {
			check(f, loc, rng.Int64N(int64(200*365*86400))-int64(100*365*86400)) // 1870 to 2170
		}
	}
}
