package reports

import (
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	kgzip "github.com/klauspost/compress/gzip"

	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/sim"
	"github.com/bedrockplan/bedrockplan/workload"
)

// IntervalsMode is how a report writes the detail strategy's replay
// (--intervals).
type IntervalsMode string

const (
	// IntervalsFull writes every interval: intervals.csv, or
	// intervals.csv.gz above GzipAbove intervals. The empty mode is full.
	IntervalsFull IntervalsMode = "full"
	// IntervalsHourly writes one row per hour of the report's time zone.
	IntervalsHourly IntervalsMode = "hourly"
	// IntervalsNone writes no intervals file.
	IntervalsNone IntervalsMode = "none"
)

// Valid reports whether m is a mode reports know.
func (m IntervalsMode) Valid() bool {
	return m == "" || m == IntervalsFull || m == IntervalsHourly || m == IntervalsNone
}

func (m IntervalsMode) or() IntervalsMode {
	if m == "" {
		return IntervalsFull
	}
	return m
}

// GzipAbove is the most intervals a full intervals.csv is written plain
// for. A model-year of minutes is 525,600 rows, about 96 MB of text:
// compressed it is about a fifth of that, and every row is still there.
const GzipAbove = 100_000

// IntervalsFile names the file mode writes for a window of n intervals:
// intervals.csv, intervals.csv.gz, or "" for none.
func IntervalsFile(mode IntervalsMode, n int) string {
	switch mode.or() {
	case IntervalsNone:
		return ""
	case IntervalsFull:
		if n > GzipAbove {
			return "intervals.csv.gz"
		}
	}
	return "intervals.csv"
}

// intervalRows are the rows of intervals.csv: the detail replay interval
// by interval, or hour by hour.
type intervalRows struct {
	s  *workload.Series // demand of each row
	iv *sim.Intervals
	// seconds is how long each row lasts, when rows differ (hourly rows
	// at the edges of the window); nil: every row lasts s.Period.
	seconds []int64
}

func (rows *intervalRows) len() int { return len(rows.s.Start) }

func (rows *intervalRows) period(i int) int64 {
	if rows.seconds != nil {
		return rows.seconds[i]
	}
	return int64(rows.s.Period / time.Second)
}

// hourly sums the rows of each hour of the time zone loc into one row:
// requests, tokens and costs are the hour's sums, so hourly rows add up to
// the totals every interval adds up to (costs to the micro-dollar); the
// MUs and Reserved capacity in service are means over the hour, and the
// shares served are shares of the hour's requests. A row starts at the
// first interval of its hour, and the rows at the edges of the window may
// be shorter than an hour. Data an hour or coarser is returned as it is.
func (rows *intervalRows) hourly(loc *time.Location) *intervalRows {
	s, iv := rows.s, rows.iv
	if s.Period >= time.Hour || rows.seconds != nil {
		return rows
	}
	// groups[k] is the first interval of the k-th hour.
	var groups []int
	last := int64(math.MinInt64)
	for i := range s.Start {
		lt := s.Time(i).In(loc)
		hour := s.Start[i] - int64(lt.Minute()*60+lt.Second())
		if hour != last {
			groups = append(groups, i)
			last = hour
		}
	}
	n := len(groups)
	reserved := iv.ResCost != nil
	out := newIntervalRows(n, reserved)
	out.s.ModelID, out.s.Region, out.s.Period = s.ModelID, s.Region, time.Hour
	out.seconds = make([]int64, n)
	o := out.iv
	step := int64(s.Period / time.Second)
	for k, lo := range groups {
		hi := s.Len()
		if k+1 < n {
			hi = groups[k+1]
		}
		out.s.Start[k] = s.Start[lo]
		out.seconds[k] = int64(hi-lo) * step
		var ptShare, resShare float64
		for i := lo; i < hi; i++ {
			out.s.Invocations[k] += s.Invocations[i]
			out.s.InputTokens[k] += s.InputTokens[i]
			out.s.OutputTokens[k] += s.OutputTokens[i]
			o.MU[k] += iv.MU[i]
			ptShare += iv.PTShare[i]
			o.PTRequests[k] += iv.PTRequests[i]
			o.PTInput[k] += iv.PTInput[i]
			o.PTOutput[k] += iv.PTOutput[i]
			o.ODRequests[k] += iv.ODRequests[i]
			o.ODInput[k] += iv.ODInput[i]
			o.ODOutput[k] += iv.ODOutput[i]
			o.Throttled[k] += iv.Throttled[i]
			o.PTCost[k] += iv.PTCost[i]
			o.ODCost[k] += iv.ODCost[i]
			if reserved {
				o.ResInputTPM[k] += iv.ResInputTPM[i]
				o.ResOutputTPM[k] += iv.ResOutputTPM[i]
				resShare += iv.ResShare[i]
				o.ResRequests[k] += iv.ResRequests[i]
				o.ResInput[k] += iv.ResInput[i]
				o.ResOutput[k] += iv.ResOutput[i]
				o.ResCost[k] += iv.ResCost[i]
			}
		}
		count := float64(hi - lo)
		o.MU[k] /= count
		// A share of the hour's requests; an hour without requests gets
		// the mean of its intervals' shares.
		share := func(served, mean float64) float64 {
			if r := out.s.Invocations[k]; r > 0 {
				return served / r
			}
			return mean / count
		}
		o.PTShare[k] = share(o.PTRequests[k], ptShare)
		if reserved {
			o.ResInputTPM[k] /= count
			o.ResOutputTPM[k] /= count
			o.ResShare[k] = share(o.ResRequests[k], resShare)
		}
	}
	return out
}

// newIntervalRows makes n rows of zeros.
func newIntervalRows(n int, reserved bool) *intervalRows {
	s := &workload.Series{Start: make([]int64, n)}
	iv := &sim.Intervals{PTCost: make([]pricing.Money, n), ODCost: make([]pricing.Money, n)}
	for _, c := range []*[]float64{&s.Invocations, &s.InputTokens, &s.OutputTokens, &iv.MU, &iv.PTShare, &iv.PTRequests, &iv.PTInput, &iv.PTOutput,
		&iv.ODRequests, &iv.ODInput, &iv.ODOutput, &iv.Throttled} {
		*c = make([]float64, n)
	}
	if reserved {
		for _, c := range []*[]float64{&iv.ResInputTPM, &iv.ResOutputTPM, &iv.ResShare, &iv.ResRequests, &iv.ResInput, &iv.ResOutput} {
			*c = make([]float64, n)
		}
		iv.ResCost = make([]pricing.Money, n)
	}
	return &intervalRows{s: s, iv: iv}
}

// intervalColumns are the columns of intervals.csv: the time, the
// number columns of intervalNums, then the costs. A plan that reserves
// has the Reserved layer's capacity, what it served and its bill before
// the PT columns, in the order the layers serve.
func intervalColumns(reserved bool) []string {
	cols := []string{"timestamp", "local_time", "period_s"}
	for _, c := range intervalNums(reserved) {
		cols = append(cols, c.name)
	}
	if reserved {
		cols = append(cols, "reserved_cost_usd")
	}
	return append(cols, "provisioned_cost_usd", "on_demand_cost_usd", "total_cost_usd")
}

// WriteIntervals writes intervals.csv: the replay of one plan, interval by
// interval. Its cost columns add up exactly to the plan's totals. The
// Reserved columns are there when the plan reserves.
func WriteIntervals(w io.Writer, s *workload.Series, iv *sim.Intervals, loc *time.Location) error {
	_, err := writeIntervalRows(w, &intervalRows{s: s, iv: iv}, loc, false)
	return err
}

// intervalNum is a number column of intervals.csv: where its values are
// in a row set, how many decimals it is written with, and whether it is
// a share written in percent.
type intervalNum struct {
	name     string
	decimals int
	pct      bool
	values   func(*intervalRows) []float64
}

// intervalNums are intervals.csv's number columns between period_s and
// the costs, in file order (the Reserved ones only when the plan
// reserves), as intervalColumns names them.
func intervalNums(reserved bool) []intervalNum {
	s := func(f func(*workload.Series) []float64) func(*intervalRows) []float64 {
		return func(r *intervalRows) []float64 { return f(r.s) }
	}
	iv := func(f func(*sim.Intervals) []float64) func(*intervalRows) []float64 {
		return func(r *intervalRows) []float64 { return f(r.iv) }
	}
	cols := []intervalNum{
		{"requests", 3, false, s(func(s *workload.Series) []float64 { return s.Invocations })},
		{"input_tokens", 3, false, s(func(s *workload.Series) []float64 { return s.InputTokens })},
		{"output_tokens", 3, false, s(func(s *workload.Series) []float64 { return s.OutputTokens })},
	}
	if reserved {
		cols = append(cols,
			intervalNum{"reserved_input_tpm", 3, false, iv(func(v *sim.Intervals) []float64 { return v.ResInputTPM })},
			intervalNum{"reserved_output_tpm", 3, false, iv(func(v *sim.Intervals) []float64 { return v.ResOutputTPM })},
			intervalNum{"reserved_share_pct", 4, true, iv(func(v *sim.Intervals) []float64 { return v.ResShare })},
			intervalNum{"reserved_requests", 3, false, iv(func(v *sim.Intervals) []float64 { return v.ResRequests })},
			intervalNum{"reserved_input_tokens", 3, false, iv(func(v *sim.Intervals) []float64 { return v.ResInput })},
			intervalNum{"reserved_output_tokens", 3, false, iv(func(v *sim.Intervals) []float64 { return v.ResOutput })})
	}
	return append(cols,
		intervalNum{"pt_mu", 4, false, iv(func(v *sim.Intervals) []float64 { return v.MU })},
		intervalNum{"pt_share_pct", 4, true, iv(func(v *sim.Intervals) []float64 { return v.PTShare })},
		intervalNum{"pt_requests", 3, false, iv(func(v *sim.Intervals) []float64 { return v.PTRequests })},
		intervalNum{"pt_input_tokens", 3, false, iv(func(v *sim.Intervals) []float64 { return v.PTInput })},
		intervalNum{"pt_output_tokens", 3, false, iv(func(v *sim.Intervals) []float64 { return v.PTOutput })},
		intervalNum{"on_demand_requests", 3, false, iv(func(v *sim.Intervals) []float64 { return v.ODRequests })},
		intervalNum{"on_demand_input_tokens", 3, false, iv(func(v *sim.Intervals) []float64 { return v.ODInput })},
		intervalNum{"on_demand_output_tokens", 3, false, iv(func(v *sim.Intervals) []float64 { return v.ODOutput })},
		intervalNum{"throttled_requests", 3, false, iv(func(v *sim.Intervals) []float64 { return v.Throttled })})
}

// writeIntervalRows writes rows as intervals.csv, byte for byte what
// encoding/csv writes (no field of the file ever needs quotes), and, with
// back, returns them as LoadReport reads that text back: a report renders
// from what its files hold, and this way the file is not parsed again to
// find out. Money, times and whole numbers read back as they are; other
// numbers are parsed from the text just written.
func writeIntervalRows(w io.Writer, rows *intervalRows, loc *time.Location, back bool) (*intervalRows, error) {
	s, iv := rows.s, rows.iv
	n := rows.len()
	reserved := iv.ResCost != nil
	nums := intervalNums(reserved)
	src := make([][]float64, len(nums))
	for k, c := range nums {
		src[k] = c.values(rows)
	}
	var out *intervalRows
	var dst [][]float64
	if back {
		// Money and times read back exactly, so those columns are shared,
		// and so is a number column every value of which reads back as
		// it is (whole counts): its own array is made at its first value
		// that does not (dst[k] nil until then).
		out = newIntervalRows(0, false)
		out.s.Start, out.s.Period, out.seconds = s.Start, s.Period, rows.seconds
		out.iv.PTCost, out.iv.ODCost, out.iv.ResCost = iv.PTCost, iv.ODCost, iv.ResCost
		dst = make([][]float64, len(nums))
	}
	buf := make([]byte, 0, 64<<10)
	buf = append(buf, strings.Join(intervalColumns(reserved), ",")...)
	buf = append(buf, '\n')
	utc, local := newTimeWriter(time.UTC), newTimeWriter(loc)
	for i := range n {
		buf = utc.append(buf, s.Start[i])
		buf = append(buf, ',')
		buf = local.append(buf, s.Start[i])
		buf = append(buf, ',')
		buf = strconv.AppendInt(buf, rows.period(i), 10)
		for k, c := range nums {
			v := src[k][i]
			if c.pct {
				v *= 100
			}
			buf = append(buf, ',')
			start := len(buf)
			var whole bool
			buf, whole = appendFixed(buf, v, c.decimals)
			if !back {
				continue
			}
			// A whole number reads back as itself; anything else is
			// parsed as LoadReport parses it.
			if !whole {
				// The text goes to ParseFloat alone, which keeps no
				// reference to it: the conversion then needs no heap.
				if v, _ = strconv.ParseFloat(string(buf[start:]), 64); math.IsNaN(v) || math.IsInf(v, 0) {
					return nil, fmt.Errorf("line %d: %s: %q is not a number", i+2, c.name, buf[start:])
				}
			}
			if c.pct {
				v /= 100
			}
			if dst[k] == nil {
				if math.Float64bits(v) == math.Float64bits(src[k][i]) {
					continue
				}
				dst[k] = make([]float64, n)
				copy(dst[k], src[k][:i])
			}
			dst[k][i] = v
		}
		buf = append(buf, ',')
		if reserved {
			buf = iv.ResCost[i].AppendDecimal(buf)
			buf = append(buf, ',')
		}
		buf = iv.PTCost[i].AppendDecimal(buf)
		buf = append(buf, ',')
		buf = iv.ODCost[i].AppendDecimal(buf)
		buf = append(buf, ',')
		buf = iv.Cost(i).AppendDecimal(buf)
		buf = append(buf, '\n')
		if len(buf) > 60<<10 {
			if _, err := w.Write(buf); err != nil {
				return nil, err
			}
			buf = buf[:0]
		}
	}
	if _, err := w.Write(buf); err != nil {
		return nil, err
	}
	if back {
		for k, c := range nums {
			col := dst[k]
			if col == nil {
				col = src[k][:n]
			}
			*columnOf(out, c.name) = col
		}
	}
	return out, nil
}

// appendFixed appends v with the given decimals (1 to 4), as
// strconv.AppendFloat(b, v, 'f', decimals, 64) does, and says whether v
// is a whole number from 0 to 2^53: most counts are, and their digits
// and zero decimals are written sooner than AppendFloat writes them.
func appendFixed(b []byte, v float64, decimals int) ([]byte, bool) {
	if v == math.Trunc(v) && v < 1<<53 && (v > 0 || v == 0 && !math.Signbit(v)) && decimals >= 1 && decimals <= 4 {
		b = strconv.AppendInt(b, int64(v), 10)
		return append(b, ".0000"[:decimals+1]...), true
	}
	return strconv.AppendFloat(b, v, 'f', decimals, 64), false
}

// columnOf is where rows keep the number column name.
func columnOf(rows *intervalRows, name string) *[]float64 {
	s, iv := rows.s, rows.iv
	return map[string]*[]float64{
		"requests": &s.Invocations, "input_tokens": &s.InputTokens, "output_tokens": &s.OutputTokens,
		"reserved_input_tpm": &iv.ResInputTPM, "reserved_output_tpm": &iv.ResOutputTPM, "reserved_share_pct": &iv.ResShare,
		"reserved_requests": &iv.ResRequests, "reserved_input_tokens": &iv.ResInput, "reserved_output_tokens": &iv.ResOutput,
		"pt_mu": &iv.MU, "pt_share_pct": &iv.PTShare, "pt_requests": &iv.PTRequests, "pt_input_tokens": &iv.PTInput,
		"pt_output_tokens": &iv.PTOutput, "on_demand_requests": &iv.ODRequests, "on_demand_input_tokens": &iv.ODInput,
		"on_demand_output_tokens": &iv.ODOutput, "throttled_requests": &iv.Throttled,
	}[name]
}

// writeIntervalsFile writes rows into w as the file name says: plain, or
// gzip-compressed when it ends in .gz.
func writeIntervalsFile(w io.Writer, name string, rows *intervalRows, loc *time.Location, back bool) (*intervalRows, error) {
	if !strings.HasSuffix(name, ".gz") {
		return writeIntervalRows(w, rows, loc, back)
	}
	// klauspost/compress's gzip at its fastest level: the text is
	// repetitive enough that it still shrinks to about a fifth. It takes
	// 0.6 of compress/gzip's time at the same level on the year's rows,
	// for a file 8% smaller; the default level takes five times longer
	// for a tenth less. compress/gzip reads it.
	zw, err := kgzip.NewWriterLevel(w, kgzip.BestSpeed)
	if err != nil {
		return nil, err
	}
	// Compressing takes half as long again as formatting the rows, on
	// another core: the formatted text waits for it in a queue. Joined by
	// io.Pipe, whose Write waits until the reader has read it all, the
	// two took turns, and took their sum.
	q := compressBehind(zw, compressQueueBytes)
	out, err := writeIntervalRows(q, rows, loc, back)
	if zerr := q.close(); err == nil {
		err = zerr
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// compressQueueBytes is the most formatted text the compressor may lag
// behind by. A megabyte keeps both sides busy; a queue of 40 MB, which
// let the report's charts start while the compressor caught up, ran no
// faster on two cores and held 20 MB more.
const compressQueueBytes = 4 << 20

// behindWriter hands what is written to it to a writer (a compressor)
// running on its own goroutine, holding up to a bound of bytes in a
// queue, so that the writing side does not wait for it.
type behindWriter struct {
	chunks chan []byte
	spare  chan []byte // chunks written out, for reuse
	done   chan error
	// failed is closed when the writer behind fails: Write stops
	// queueing then.
	failed chan struct{}
	err    error // the writer's error, read after failed or done
}

// compressBehind starts w's goroutine. close must be called, once, to
// flush w (which it closes) and learn its error.
func compressBehind(w io.WriteCloser, bound int) *behindWriter {
	const chunk = 64 << 10
	b := &behindWriter{
		chunks: make(chan []byte, max(1, bound/chunk)),
		spare:  make(chan []byte, max(1, bound/chunk)),
		done:   make(chan error, 1),
		failed: make(chan struct{}),
	}
	go func() {
		var err error
		for c := range b.chunks {
			if err == nil {
				if _, err = w.Write(c); err != nil {
					b.err = err
					close(b.failed)
				}
			}
			select {
			case b.spare <- c:
			default:
			}
		}
		if err == nil {
			err = w.Close()
		}
		b.done <- err
	}()
	return b
}

// Write queues a copy of p; it fails once the writer behind has.
func (b *behindWriter) Write(p []byte) (int, error) {
	var c []byte
	select {
	case <-b.failed:
		return 0, b.err
	case c = <-b.spare:
		c = append(c[:0], p...)
	default:
		c = append(make([]byte, 0, max(len(p), 64<<10)), p...)
	}
	select {
	case b.chunks <- c:
		return len(p), nil
	case <-b.failed:
		return 0, b.err
	}
}

// close ends the queue, waits for the writer behind to write it all and
// close, and returns its error.
func (b *behindWriter) close() error {
	close(b.chunks)
	return <-b.done
}

// intervalsDataFile declares intervals.csv: the detail strategy's
// replay interval by interval (or hour by hour), with the Reserved
// columns when the plan reserves; gzip-compressed as intervals.csv.gz
// above GzipAbove intervals. It is the one large file of a report, so it
// is written as a stream (writeIntervalRows) and its rows are kept in
// columns, as the demand and load-duration charts read them.
var intervalsDataFile = dataFile{
	name:    "intervals.csv",
	columns: []columnSet{{"intervals.csv", intervalColumns(false)}, {"intervals.csv (a plan that reserves)", intervalColumns(true)}},
	file:    func(d *reportData) string { return d.intervalsFile },
	// Written, the rows are kept as the file holds them: writeIntervalRows
	// reads them back from the text as it writes it.
	write: func(d *reportData, w io.Writer) error {
		back, err := writeIntervalsFile(w, d.intervalsFile, d.intervals, d.loc, true)
		if err == nil {
			d.intervals = back
		}
		return err
	},
	read: func(d *reportData, dir string) (err error) {
		n, _ := strconv.Atoi(d.field("intervals"))
		d.intervalsFile, d.intervals, err = readIntervals(dir, IntervalsMode(d.field("intervals_rows")), n)
		return err
	},
}

// readIntervals reads intervals.csv or intervals.csv.gz from the folder
// dir, whichever the report's mode names (or the other, if only it is
// there: a file someone compressed or uncompressed); nothing if neither
// is. Every field is checked as the other tables' are, but the rows are
// read one at a time rather than held as text.
func readIntervals(dir string, mode IntervalsMode, n int) (string, *intervalRows, error) {
	if mode.or() == IntervalsNone {
		return "", nil, nil
	}
	names := []string{"intervals.csv", "intervals.csv.gz"}
	if IntervalsFile(mode, n) == "intervals.csv.gz" {
		names[0], names[1] = names[1], names[0]
	}
	for _, name := range names {
		file, err := os.Open(filepath.Join(dir, name))
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return "", nil, err
		}
		defer file.Close()
		var r io.Reader = file
		if strings.HasSuffix(name, ".gz") {
			zr, err := gzip.NewReader(file)
			if err != nil {
				return "", nil, fmt.Errorf("%s: %v", name, err)
			}
			r = zr
		}
		rows, err := parseIntervals(r, name)
		if err != nil {
			return "", nil, err
		}
		return name, rows, nil
	}
	return "", nil, nil
}

// parseIntervals reads intervals.csv from r; problems name the file
// (name), line and column.
func parseIntervals(r io.Reader, name string) (*intervalRows, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("%s: empty file", name)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	reserved := slices.Equal(head, intervalColumns(true))
	columns := intervalColumns(reserved)
	if err := checkHeader(name, head, columns); err != nil {
		return nil, err
	}
	cr.FieldsPerRecord = len(columns)
	nums := intervalNums(reserved)
	rows := newIntervalRows(0, reserved)
	dst := make([]*[]float64, len(nums))
	for k, c := range nums {
		dst[k] = columnOf(rows, c.name)
	}
	var seconds []int64
	varying := false
	first := 3 + len(nums) // the first cost column
	costs := []*[]pricing.Money{&rows.iv.PTCost, &rows.iv.ODCost}
	if reserved {
		costs = []*[]pricing.Money{&rows.iv.ResCost, &rows.iv.PTCost, &rows.iv.ODCost}
	}
	line := 1
	problem := func(col, format string, args ...any) error {
		return fmt.Errorf("%s:%d: %s: %s", name, line, col, fmt.Sprintf(format, args...))
	}
	for {
		line++
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %v", name, err)
		}
		t, err := time.Parse(time.RFC3339, rec[0])
		if err != nil {
			return nil, problem("timestamp", "%q is not an RFC 3339 time", rec[0])
		}
		rows.s.Start = append(rows.s.Start, t.Unix())
		// period_s is read for hourly rows, whose lengths differ at the
		// window's edges; a full file's rows all last the window's period.
		p, err := strconv.ParseInt(rec[2], 10, 64)
		if err != nil || p <= 0 {
			return nil, problem("period_s", "%q is not a whole number of seconds", rec[2])
		}
		varying = varying || (len(seconds) > 0 && p != seconds[0])
		seconds = append(seconds, p)
		for k, c := range nums {
			v, err := parseNum(rec[3+k])
			if err != nil {
				return nil, problem(c.name, "%q is not a number", rec[3+k])
			}
			if c.pct {
				v /= 100
			}
			*dst[k] = append(*dst[k], v)
		}
		for k, c := range costs {
			m, err := parseAmount(rec[first+k])
			if err != nil {
				return nil, problem(columns[first+k], "%v", err)
			}
			*c = append(*c, m)
		}
	}
	if len(seconds) > 0 {
		rows.s.Period = time.Duration(slices.Max(seconds)) * time.Second
	}
	if varying {
		rows.seconds = seconds
	}
	return rows, nil
}

// parseNum reads a number as table.num does: empty reads as 0; NaN and
// infinities are refused.
func parseNum(s string) (float64, error) {
	if s == "" {
		return 0, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err == nil && (math.IsNaN(v) || math.IsInf(v, 0)) {
		err = errors.New("not a number")
	}
	return v, err
}

// parseAmount reads money as table.money does: empty reads as 0.
func parseAmount(s string) (pricing.Money, error) {
	if s == "" {
		return 0, nil
	}
	return pricing.ParseMoney(s)
}

// timeWriter appends times given in Unix seconds as
// time.Time.In(loc).AppendFormat(b, time.RFC3339) does, for the rows of
// intervals.csv, one after another: the zone's offset is looked up once
// per zone period (time.Time.ZoneBounds) and the date once a day, the
// clock worked out from the seconds. Every piece that is not digits of
// the clock is Go's own formatting.
type timeWriter struct {
	loc *time.Location
	// from and to bound the zone period offset and suffix hold for
	// (Unix seconds, to excluded).
	from, to int64
	offset   int64
	suffix   []byte // the offset as RFC 3339 writes it: "Z", "+09:00"
	// day is the local day (days since 1970-01-01) prefix holds.
	day    int64
	prefix []byte // "2006-01-02T"
}

func newTimeWriter(loc *time.Location) *timeWriter {
	return &timeWriter{loc: loc, from: 1, to: 0, day: math.MinInt64}
}

func (f *timeWriter) append(b []byte, unix int64) []byte {
	if unix < f.from || unix >= f.to {
		t := time.Unix(unix, 0).In(f.loc)
		_, off := t.Zone()
		f.offset = int64(off)
		f.suffix = t.AppendFormat(f.suffix[:0], "Z07:00")
		start, end := t.ZoneBounds()
		f.from, f.to = math.MinInt64, int64(math.MaxInt64)
		if !start.IsZero() {
			f.from = start.Unix()
		}
		if !end.IsZero() {
			f.to = end.Unix()
		}
	}
	local := unix + f.offset
	day := local / 86400
	if local < 0 && local%86400 != 0 {
		day-- // floor: the day a time before 1970 falls in
	}
	if day != f.day {
		f.day = day
		f.prefix = time.Unix(day*86400, 0).UTC().AppendFormat(f.prefix[:0], "2006-01-02T")
	}
	s := local - day*86400
	h, m, sec := s/3600, s/60%60, s%60
	b = append(b, f.prefix...)
	b = append(b, byte('0'+h/10), byte('0'+h%10), ':', byte('0'+m/10), byte('0'+m%10), ':', byte('0'+sec/10), byte('0'+sec%10))
	return append(b, f.suffix...)
}
