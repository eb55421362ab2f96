package workload

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/bedrockplan/bedrockplan/internal/suggest"
)

// Request is one model invocation, as request-level data records it.
type Request struct {
	Time             time.Time
	ModelID          string
	InputTokens      float64
	OutputTokens     float64
	CacheReadTokens  float64
	CacheWriteTokens float64
}

// Aggregator bins requests into fixed periods per model. Request-level
// data lists every request, so a period without any is truly idle: the
// series it builds are gap-free from each model's first to last period.
type Aggregator struct {
	Period time.Duration
	Region string
	models map[string]map[int64]*[5]float64
	cache  bool
	order  []string
}

// NewAggregator bins requests into period-long intervals (aligned to
// multiples of the period since the Unix epoch).
func NewAggregator(period time.Duration, region string) *Aggregator {
	return &Aggregator{Period: period, Region: region, models: map[string]map[int64]*[5]float64{}}
}

// Add counts one request.
func (a *Aggregator) Add(r Request) {
	bins, ok := a.models[r.ModelID]
	if !ok {
		bins = map[int64]*[5]float64{}
		a.models[r.ModelID] = bins
		a.order = append(a.order, r.ModelID)
	}
	p := int64(a.Period / time.Second)
	k := floorDiv(r.Time.Unix(), p) * p
	b := bins[k]
	if b == nil {
		b = &[5]float64{}
		bins[k] = b
	}
	b[0]++
	b[1] += r.InputTokens
	b[2] += r.OutputTokens
	b[3] += r.CacheReadTokens
	b[4] += r.CacheWriteTokens
	a.cache = a.cache || r.CacheReadTokens > 0 || r.CacheWriteTokens > 0
}

// Metrics returns the binned series, one per model in order of first
// appearance, with idle periods as zero rows.
func (a *Aggregator) Metrics() (*Metrics, error) {
	m := &Metrics{}
	p := int64(a.Period / time.Second)
	for _, id := range a.order {
		bins := a.models[id]
		keys := make([]int64, 0, len(bins))
		for k := range bins {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
		n := (keys[len(keys)-1]-keys[0])/p + 1
		if n > maxIntervals {
			return nil, fmt.Errorf("%s: requests from %s to %s span %d intervals of %s; check the timestamps", id,
				time.Unix(keys[0], 0).UTC().Format(time.RFC3339), time.Unix(keys[len(keys)-1], 0).UTC().Format(time.RFC3339), n, a.Period)
		}
		s := &Series{ModelID: id, Region: a.Region, Period: a.Period}
		if a.cache {
			s.CacheRead, s.CacheWrite = []float64{}, []float64{}
		}
		for i := range n {
			k := keys[0] + i*p
			v := bins[k]
			if v == nil {
				v = &[5]float64{}
			}
			if v[0] > MaxCount || v[1] > MaxCount || v[2] > MaxCount || v[3] > MaxCount || v[4] > MaxCount {
				return nil, fmt.Errorf("%s: the %s interval from %s holds more than %s requests or tokens; check the data", id, a.Period,
					time.Unix(k, 0).UTC().Format(time.RFC3339), limitWords(MaxCount))
			}
			r := nanRow()
			r.inv, r.in, r.out, r.cr, r.cw = v[0], v[1], v[2], v[3], v[4]
			s.appendRow(k, r)
		}
		m.Series = append(m.Series, s)
	}
	return m, nil
}

// ImportSummary says what an import read.
type ImportSummary struct {
	Rows    int // data rows or lines read
	Skipped int // bad rows skipped with SkipBad
	First   time.Time
	Last    time.Time
}

func (s *ImportSummary) saw(t time.Time) {
	if s.First.IsZero() || t.Before(s.First) {
		s.First = t
	}
	if t.After(s.Last) {
		s.Last = t
	}
}

// RequestCSV describes a request-level CSV: which columns hold what.
type RequestCSV struct {
	TimeCol, InputCol, OutputCol string
	ModelCol                     string // or Model for a file of one model
	Model                        string
	// TimeFormat is a Go time layout, or "auto" (RFC 3339, or
	// "2006-01-02 15:04:05" with any fraction of a second), "unix" or
	// "unix-ms".
	TimeFormat string
	// Location applies to timestamps that carry no zone (default UTC).
	Location *time.Location
	SkipBad  bool
}

// AzureTrace is the layout of the Azure LLM inference traces
// (TIMESTAMP,ContextTokens,GeneratedTokens; seven-digit fractions, no
// zone: UTC).
func AzureTrace(model string) RequestCSV {
	return RequestCSV{TimeCol: "TIMESTAMP", InputCol: "ContextTokens", OutputCol: "GeneratedTokens", Model: model, TimeFormat: "auto"}
}

// ImportRequestCSV reads a request-level CSV into agg. Problems read
// "name:line: column: problem"; with SkipBad bad rows are counted and
// skipped instead.
func ImportRequestCSV(r io.Reader, name string, spec RequestCSV, agg *Aggregator) (ImportSummary, error) {
	var sum ImportSummary
	if spec.ModelCol == "" && spec.Model == "" {
		return sum, errors.New("say which model the requests are for: a model column or a model id")
	}
	loc := spec.Location
	if loc == nil {
		loc = time.UTC
	}
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err == io.EOF {
		return sum, fmt.Errorf("%s: empty file", name)
	}
	if err != nil {
		return sum, fmt.Errorf("%s: %w", name, csvErr(err))
	}
	cols := make([]string, len(header))
	for i, h := range header {
		cols[i] = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
	}
	find := func(flag, want string) (int, error) {
		if want == "" {
			return -1, nil
		}
		for i, c := range cols {
			if c == want {
				return i, nil
			}
		}
		msg := fmt.Sprintf("%s:1: no column %q (%s)", name, want, flag)
		if s := suggest.Closest(want, cols); s != "" {
			msg += fmt.Sprintf("; did you mean %q?", s)
		}
		return -1, fmt.Errorf("%s; the columns are %s", msg, strings.Join(cols, ","))
	}
	cTime, err := find("--time-col", spec.TimeCol)
	if err != nil {
		return sum, err
	}
	cIn, err := find("--input-col", spec.InputCol)
	if err != nil {
		return sum, err
	}
	cOut, err := find("--output-col", spec.OutputCol)
	if err != nil {
		return sum, err
	}
	cModel, err := find("--model-col", spec.ModelCol)
	if err != nil {
		return sum, err
	}
	if cTime < 0 || cIn < 0 || cOut < 0 {
		return sum, errors.New("--time-col, --input-col and --output-col are required")
	}
	parseTime := timeParser(spec.TimeFormat, loc)
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return sum, fmt.Errorf("%s: %w", name, csvErr(err))
		}
		line, _ := cr.FieldPos(0)
		sum.Rows++
		bad := func(col, format string, args ...any) error {
			if spec.SkipBad {
				sum.Skipped++
				return nil
			}
			return fmt.Errorf("%s:%d: %s: %s (or --skip-bad)", name, line, col, fmt.Sprintf(format, args...))
		}
		get := func(i int) string {
			if i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		t, err := parseTime(get(cTime))
		if err == nil {
			if p := timeProblem(t); p != "" {
				err = errors.New(p)
			}
		}
		if err != nil {
			if e := bad(cols[cTime], "%v", err); e != nil {
				return sum, e
			}
			continue
		}
		in, p1 := parseNumber(get(cIn), false, MaxRequestTokens)
		out, p2 := parseNumber(get(cOut), false, MaxRequestTokens)
		if p1 != "" || p2 != "" {
			col, p := cols[cIn], p1
			if p1 == "" {
				col, p = cols[cOut], p2
			}
			if e := bad(col, "%s", p); e != nil {
				return sum, e
			}
			continue
		}
		model := spec.Model
		if cModel >= 0 {
			model = get(cModel)
		}
		if model == "" {
			if e := bad(spec.ModelCol, "empty model id"); e != nil {
				return sum, e
			}
			continue
		}
		sum.saw(t)
		agg.Add(Request{Time: t, ModelID: model, InputTokens: in, OutputTokens: out})
	}
	if sum.Rows-sum.Skipped == 0 {
		return sum, fmt.Errorf("%s: no usable rows", name)
	}
	return sum, nil
}

// tokenProblem says what is wrong with one request's token count, or "".
func tokenProblem(v float64) string {
	switch {
	case v < 0:
		return fmt.Sprintf("%v is negative", v)
	case v > MaxRequestTokens:
		return fmt.Sprintf("%v is too large: at most %s", v, limitWords(MaxRequestTokens))
	}
	return ""
}

// timeParser returns a parser for one of the TimeFormat values.
func timeParser(format string, loc *time.Location) func(string) (time.Time, error) {
	switch format {
	case "", "auto":
		return func(s string) (time.Time, error) {
			if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
				return t, nil
			}
			// Azure traces and many logs: no zone, up to 9 fraction digits.
			if t, err := time.ParseInLocation("2006-01-02 15:04:05.999999999", s, loc); err == nil {
				return t, nil
			}
			if t, err := time.ParseInLocation("2006-01-02T15:04:05.999999999", s, loc); err == nil {
				return t, nil
			}
			return time.Time{}, fmt.Errorf("%q is not a time (RFC 3339, or 2006-01-02 15:04:05.fffffff; --time-format sets another)", s)
		}
	case "unix", "unix-ms":
		scale := 1.0
		if format == "unix-ms" {
			scale = 1e-3
		}
		return func(s string) (time.Time, error) {
			v, err := strconv.ParseFloat(s, 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				return time.Time{}, fmt.Errorf("%q is not a %s time", s, format)
			}
			sec := v * scale
			if sec < minUnix || sec >= maxUnix {
				return time.Time{}, fmt.Errorf("%s is outside the years 2000 to 2099 as a %s time", s, format)
			}
			return time.Unix(int64(math.Floor(sec)), int64((sec-math.Floor(sec))*1e9)).UTC(), nil
		}
	}
	return func(s string) (time.Time, error) {
		t, err := time.ParseInLocation(format, s, loc)
		if err != nil {
			return time.Time{}, fmt.Errorf("%q does not match --time-format %q", s, format)
		}
		return t, nil
	}
}

// invocationLog is the part of a Bedrock model invocation log record the
// planner reads.
type invocationLog struct {
	Timestamp string `json:"timestamp"`
	ModelID   string `json:"modelId"`
	Input     struct {
		InputTokenCount           *float64 `json:"inputTokenCount"`
		CacheReadInputTokenCount  float64  `json:"cacheReadInputTokenCount"`
		CacheWriteInputTokenCount float64  `json:"cacheWriteInputTokenCount"`
	} `json:"input"`
	Output struct {
		OutputTokenCount *float64 `json:"outputTokenCount"`
	} `json:"output"`
}

// ImportInvocationLogs reads Bedrock model invocation logs (JSON lines,
// plain or gzip, as delivered to S3 or exported from CloudWatch Logs)
// into agg. Each record needs timestamp, modelId, input.inputTokenCount
// and output.outputTokenCount; input.cacheReadInputTokenCount and
// input.cacheWriteInputTokenCount are read when present.
func ImportInvocationLogs(r io.Reader, name string, skipBad bool, agg *Aggregator) (ImportSummary, error) {
	var sum ImportSummary
	br := bufio.NewReaderSize(r, 1<<16)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		gz, err := gzip.NewReader(br)
		if err != nil {
			return sum, fmt.Errorf("%s: %w", name, err)
		}
		defer gz.Close()
		br = bufio.NewReaderSize(gz, 1<<16)
	}
	sc := bufio.NewScanner(br)
	sc.Buffer(make([]byte, 1<<20), 64<<20) // records carry prompts: long lines
	line := 0
	for sc.Scan() {
		line++
		raw := bytes.TrimSpace(sc.Bytes())
		if len(raw) == 0 {
			continue
		}
		sum.Rows++
		bad := func(field, format string, args ...any) error {
			if skipBad {
				sum.Skipped++
				return nil
			}
			return fmt.Errorf("%s:%d: %s: %s (or --skip-bad)", name, line, field, fmt.Sprintf(format, args...))
		}
		var rec invocationLog
		if err := json.Unmarshal(raw, &rec); err != nil {
			if e := bad("record", "not a JSON object: %v", err); e != nil {
				return sum, e
			}
			continue
		}
		t, err := time.Parse(time.RFC3339Nano, rec.Timestamp)
		var e error
		switch {
		case err != nil:
			e = bad("timestamp", "%q is not an RFC 3339 time", rec.Timestamp)
		case rec.ModelID == "":
			e = bad("modelId", "missing")
		case rec.Input.InputTokenCount == nil:
			e = bad("input.inputTokenCount", "missing")
		case rec.Output.OutputTokenCount == nil:
			e = bad("output.outputTokenCount", "missing")
		case timeProblem(t) != "":
			e = bad("timestamp", "%s", timeProblem(t))
		case tokenProblem(*rec.Input.InputTokenCount) != "":
			e = bad("input.inputTokenCount", "%s", tokenProblem(*rec.Input.InputTokenCount))
		case tokenProblem(*rec.Output.OutputTokenCount) != "":
			e = bad("output.outputTokenCount", "%s", tokenProblem(*rec.Output.OutputTokenCount))
		case tokenProblem(rec.Input.CacheReadInputTokenCount) != "":
			e = bad("input.cacheReadInputTokenCount", "%s", tokenProblem(rec.Input.CacheReadInputTokenCount))
		case tokenProblem(rec.Input.CacheWriteInputTokenCount) != "":
			e = bad("input.cacheWriteInputTokenCount", "%s", tokenProblem(rec.Input.CacheWriteInputTokenCount))
		default:
			sum.saw(t)
			agg.Add(Request{Time: t, ModelID: rec.ModelID, InputTokens: *rec.Input.InputTokenCount, OutputTokens: *rec.Output.OutputTokenCount,
				CacheReadTokens: rec.Input.CacheReadInputTokenCount, CacheWriteTokens: rec.Input.CacheWriteInputTokenCount})
			continue
		}
		if e != nil {
			return sum, e
		}
	}
	if err := sc.Err(); err != nil {
		return sum, fmt.Errorf("%s:%d: %w", name, line+1, err)
	}
	if sum.Rows-sum.Skipped == 0 {
		return sum, fmt.Errorf("%s: no usable records", name)
	}
	return sum, nil
}
