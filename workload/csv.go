package workload

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bedrockplan/bedrockplan/internal/suggest"
)

// Metrics is the content of a metrics CSV: one series per model and
// region, in order of first appearance.
type Metrics struct {
	Series []*Series
}

// Select returns the series for a model (and region, when given). With an
// empty model it returns the only one, or an error listing the models.
// When the model's rows come in several retention tiers (periods), they
// are combined at the coarsest period (see CombineTiers).
//
// Service tiers: a model id may carry a tier suffix as CloudWatch writes
// it ("m+flex", "m+priority", "m+latency-optimized"), which selects that
// tier's series. A bare id whose model has traffic on several tiers
// selects its Standard series, and the other tiers are left out of it:
// OtherTiers names them so the caller can say so. A model with no
// Standard traffic but several other tiers needs the suffix.
func (m *Metrics) Select(modelID, region string) (*Series, error) {
	id, tier := modelID, ""
	if !m.hasModel(modelID) {
		if base, t := SplitTierSuffix(modelID); t != TierStandard {
			id, tier = base, t
		}
	}
	var keys []string
	seen := map[string]bool{}
	byKey := map[string][]*Series{}
	var matchKeys []string
	places := map[string]bool{} // model and region of the matches, tiers aside
	for _, s := range m.Series {
		k := s.Key()
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
		if (id == "" || s.ModelID == id) && (region == "" || s.Region == "" || s.Region == region) && (tier == "" || s.Tier() == tier) {
			if byKey[k] == nil {
				matchKeys = append(matchKeys, k)
			}
			byKey[k] = append(byKey[k], s)
			places[s.ModelID+"\x00"+s.Region] = true
		}
	}
	if len(matchKeys) > 1 && len(places) == 1 {
		// One model in one region on several service tiers.
		var tiers []string
		for _, k := range matchKeys {
			s := byKey[k][0]
			if s.Tier() == TierStandard {
				return CombineTiers(byKey[k])
			}
			tiers = append(tiers, s.Tier())
		}
		s := byKey[matchKeys[0]][0]
		return nil, fmt.Errorf("%s has no standard-tier traffic, and traffic on %s; choose one with --model %s",
			s.ModelID, strings.Join(tiers, ", "), WithTierSuffix(s.ModelID, tiers[0]))
	}
	switch {
	case len(m.Series) == 0:
		return nil, errors.New("the metrics hold no rows")
	case len(matchKeys) == 1:
		return CombineTiers(byKey[matchKeys[0]])
	case len(matchKeys) == 0:
		msg := "no rows"
		if modelID != "" {
			msg += fmt.Sprintf(" for model %q", modelID)
		}
		if region != "" {
			msg += fmt.Sprintf(" in region %q", region)
		}
		ids := make([]string, len(m.Series))
		for i, s := range m.Series {
			ids[i] = s.ModelID
		}
		if s := suggest.Closest(modelID, ids); modelID != "" && s != "" && s != modelID {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		}
		return nil, fmt.Errorf("%s; the metrics hold: %s", msg, strings.Join(keys, ", "))
	case modelID == "":
		return nil, fmt.Errorf("the metrics hold %d series (%s); choose one with --model (and --region)", len(keys), strings.Join(keys, ", "))
	}
	return nil, fmt.Errorf("model %q appears in several regions; choose one with --region", modelID)
}

// hasModel reports whether some series' model id is exactly id (a file
// written before tiers may hold a suffixed id such as "m+flex" as is).
func (m *Metrics) hasModel(id string) bool {
	for _, s := range m.Series {
		if s.ModelID == id {
			return true
		}
	}
	return false
}

// OtherTiers lists the service tiers, other than s's, on which the
// metrics hold traffic of s's model in s's region, in order of first
// appearance: what Select left out when it chose the Standard series.
func (m *Metrics) OtherTiers(s *Series) []string {
	var out []string
	seen := map[string]bool{s.Tier(): true}
	for _, o := range m.Series {
		if o.ModelID == s.ModelID && o.Region == s.Region && !seen[o.Tier()] {
			seen[o.Tier()] = true
			out = append(out, o.Tier())
		}
	}
	return out
}

// maxErrors bounds how many problems one read reports before it stops.
const maxErrors = 10

// ReadMetrics reads a metrics CSV strictly. name is used in messages,
// which read "name:line: field: problem". Up to ten problems are reported
// together.
//
// A file of a megabyte or more is parsed on every core the process may
// use (see readParallel); what it returns, metrics or problems, is what
// the sequential read (readSequential) returns, to the bit and the word.
func ReadMetrics(r io.Reader, name string) (*Metrics, error) {
	sp, size := defaultSplit(), fileSize(r)
	if size < 0 {
		// A pipe (/dev/stdin, <(exporter)) may stay open after its last
		// row: the parallel read, which reads ahead, would wait on it
		// where the sequential read has its answer.
		sp.workers = 1
	}
	return readMetrics(r, name, size, sp)
}

// fileSize is r's size when r is a regular file, else -1.
func fileSize(r io.Reader) int64 {
	if f, ok := r.(interface{ Stat() (fs.FileInfo, error) }); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
			return fi.Size()
		}
	}
	return -1
}

// readMetrics reads as ReadMetrics does, sharing the work as sp says;
// size is r's (fileSize).
func readMetrics(r io.Reader, name string, size int64, sp split) (*Metrics, error) {
	if sp.workers < 2 || size >= 0 && size < sp.min {
		return readSequential(r, name, size)
	}
	return readParallel(r, name, size, sp)
}

// readSequential reads a metrics CSV on one goroutine, record by record:
// the reference the parallel read is held to, and the read of small
// inputs and of files with quotes. size is the file's size (-1: not a
// file), which sizes the first series.
func readSequential(r io.Reader, name string, size int64) (*Metrics, error) {
	cr := newRecordReader(r)
	header, err := cr.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("%s: empty file: want a header line with %s", name, strings.Join(requiredColumns, ","))
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, csvErr(err))
	}
	cols, err := readHeader(header, name)
	if err != nil {
		return nil, err
	}
	a := newAssembler(name, size, cols)
	a.records(cr)
	return a.result()
}

// columns is where a metrics file's header puts each column: -1 for an
// optional column it lacks.
type columns struct {
	n                                                int // fields the header has, and every record must
	region, thr, cr, cw, lat, p90, tier, quota, ttft int
	time, model, period, inv, in, out                int
}

// readHeader checks a metrics file's header record and finds its
// columns.
func readHeader(header []string, name string) (*columns, error) {
	idx := map[string]int{}
	all := AllColumns()
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if _, dup := idx[h]; dup {
			return nil, fmt.Errorf("%s:1: %s: column appears twice", name, h)
		}
		known := false
		for _, c := range all {
			known = known || c == h
		}
		if !known {
			msg := fmt.Sprintf("%s:1: %s: unknown column", name, h)
			if s := suggest.Closest(h, all); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			return nil, fmt.Errorf("%s; columns are %s", msg, strings.Join(all, ","))
		}
		idx[h] = i
	}
	for _, c := range requiredColumns {
		if _, ok := idx[c]; !ok {
			return nil, fmt.Errorf("%s:1: %s: required column missing (required: %s)", name, c, strings.Join(requiredColumns, ","))
		}
	}
	col := func(c string) int {
		if i, ok := idx[c]; ok {
			return i
		}
		return -1
	}
	return &columns{n: len(header),
		region: col(ColRegion), thr: col(ColThrottles), cr: col(ColCacheRead), cw: col(ColCacheWrite),
		lat: col(ColLatencyAvg), p90: col(ColLatencyP90), tier: col(ColServiceTier), quota: col(ColQuotaUsage), ttft: col(ColTTFTAvg),
		time: idx[ColTimestamp], model: idx[ColModelID], period: idx[ColPeriod],
		inv: idx[ColInvocations], in: idx[ColInputTokens], out: idx[ColOutputTokens]}, nil
}

// fieldProblem is what is wrong with one field of a record, the
// message without its "name:line:" (which the assembler adds).
type fieldProblem struct{ field, msg string }

// parsedRow is one record read on its own: everything about it that
// does not depend on the rows before it.
type parsedRow struct {
	start, period       int64 // Unix seconds; seconds
	model, region, tier string
	r                   row
	// probs is how many problems the record has, appended after those
	// of the records before it.
	probs int
}

// parse reads one record (of c.n fields) into *p, appending its
// problems, in the order of its fields, to *probs. (p is filled in place:
// the parallel read's rows are large, and copied they cost a tenth of
// its time.)
func (c *columns) parse(p *parsedRow, rec []string, probs *[]fieldProblem) {
	n0 := len(*probs)
	fail := func(field, format string, args ...any) {
		*probs = append(*probs, fieldProblem{field, fmt.Sprintf(format, args...)})
	}
	*p = parsedRow{}
	ts, err := time.Parse(time.RFC3339, strings.TrimSpace(rec[c.time]))
	if err != nil {
		fail(ColTimestamp, "%q is not an RFC 3339 time (want e.g. 2026-11-02T09:00:00Z)", rec[c.time])
	} else if ts.Nanosecond() != 0 {
		fail(ColTimestamp, "%q has fractions of a second; interval starts are whole seconds", rec[c.time])
	} else if problem := timeProblem(ts); problem != "" {
		fail(ColTimestamp, "%s", problem)
	}
	p.start = ts.Unix()
	p.model = strings.TrimSpace(rec[c.model])
	if p.model == "" {
		fail(ColModelID, "empty")
	}
	if c.region >= 0 {
		p.region = strings.TrimSpace(rec[c.region])
	}
	p.tier = TierStandard
	if c.tier >= 0 {
		t, problem := ParseServiceTier(rec[c.tier])
		if problem != "" {
			fail(ColServiceTier, "%s", problem)
		}
		p.tier = t
	}
	period, err := strconv.ParseInt(strings.TrimSpace(rec[c.period]), 10, 64)
	switch {
	case err != nil && !errors.Is(err, strconv.ErrRange) || err == nil && period <= 0:
		fail(ColPeriod, "%q is not a positive whole number of seconds", rec[c.period])
	case err != nil || period > int64(MaxPeriod/time.Second):
		fail(ColPeriod, "%s is too long: at most %d (a week)", strings.TrimSpace(rec[c.period]), int64(MaxPeriod/time.Second))
	}
	p.period = period
	count := func(i int, field string) float64 {
		if i < 0 {
			return 0
		}
		v, problem := parseNumber(rec[i], false, MaxCount)
		if problem != "" {
			fail(field, "%s", problem)
		}
		return v
	}
	latency := func(i int, field string) float64 {
		if i < 0 {
			return math.NaN()
		}
		v, problem := parseNumber(rec[i], true, MaxLatencyMs)
		if problem != "" {
			fail(field, "%s", problem)
		}
		return v
	}
	p.r = row{
		inv: count(c.inv, ColInvocations), in: count(c.in, ColInputTokens),
		out: count(c.out, ColOutputTokens), thr: count(c.thr, ColThrottles),
		cr: count(c.cr, ColCacheRead), cw: count(c.cw, ColCacheWrite), quota: count(c.quota, ColQuotaUsage),
		lat: latency(c.lat, ColLatencyAvg), p90: latency(c.p90, ColLatencyP90), ttft: latency(c.ttft, ColTTFTAvg),
	}
	p.probs = len(*probs) - n0
}

// seriesState is a series being read.
type seriesState struct {
	s        *Series
	lastLine int // line of the series' latest row
}

// assembler puts parsed rows, in file order, into series: the checks
// that take the rows before (duplicates, order, overlaps, tiers, span)
// and the problems, up to maxErrors.
type assembler struct {
	name     string
	size     int64 // the file's size (-1: not a file)
	cols     *columns
	m        Metrics
	bySeries map[string]*seriesState
	errs     []string
	// done is set by a record the CSV reader refused: nothing after it
	// is read.
	done bool
	last struct {
		model, region, tier string
		st                  *seriesState
	}
}

func newAssembler(name string, size int64, cols *columns) *assembler {
	return &assembler{name: name, size: size, cols: cols, bySeries: map[string]*seriesState{}}
}

// full reports whether the read stops here: ten problems, or a record
// the CSV reader refused.
func (a *assembler) full() bool { return a.done || len(a.errs) >= maxErrors }

// records reads the rest of the file from cr, record by record.
func (a *assembler) records(cr *recordReader) {
	var probs []fieldProblem
	var p parsedRow
	for !a.full() {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			a.refuse(err, len(rec))
			break
		}
		probs = probs[:0]
		a.cols.parse(&p, rec, &probs)
		a.add(cr.Line(), cr.lineBytes, &p, probs)
	}
}

// refuse adds the problem of a record the CSV reader refused (got
// fields long), which ends the read.
func (a *assembler) refuse(err error, got int) {
	a.errs = append(a.errs, fmt.Sprintf("%s:%s", a.name, recordProblem(err, got, a.cols.n)))
	a.done = true
}

func (a *assembler) fail(line int, field, format string, args ...any) {
	a.errs = append(a.errs, fmt.Sprintf("%s:%d: %s: %s", a.name, line, field, fmt.Sprintf(format, args...)))
}

// add adds the row read from line (lineBytes long, line break included;
// 0 when encoding/csv read it), whose field problems are probs.
func (a *assembler) add(line, lineBytes int, p *parsedRow, probs []fieldProblem) {
	for _, pr := range probs {
		a.fail(line, pr.field, "%s", pr.msg)
	}
	if len(probs) > 0 {
		return
	}
	model, region, tier, period, start := p.model, p.region, p.tier, p.period, p.start
	utc := func() string { return time.Unix(start, 0).UTC().Format(time.RFC3339) }
	newTier := func() *Series {
		// The model and region may be cut from a much longer string (the
		// line, or the parallel read's chunk): copied, they keep it from
		// living as long as the series.
		s := &Series{ModelID: strings.Clone(model), Region: strings.Clone(region), Period: time.Duration(period) * time.Second}
		// The first series is given room for as many rows as the file
		// holds, a quarter more, judged by its first row (left as it is
		// by the rows that do not take it), so that a year of minutes
		// is not copied from array to array as it grows. A second
		// series shows the guess was for all of them: the first is
		// then cut to its size.
		capacity := 0
		switch {
		case len(a.m.Series) == 0 && a.size > 0 && lineBytes > 0:
			capacity = int(min(a.size/int64(lineBytes)*5/4, maxIntervals))
		case len(a.m.Series) == 1:
			a.m.Series[0].clip()
		}
		s.Start = make([]int64, 0, capacity)
		s.Invocations, s.InputTokens, s.OutputTokens = make([]float64, 0, capacity), make([]float64, 0, capacity), make([]float64, 0, capacity)
		if tier != TierStandard {
			s.ServiceTier = tier
		}
		cols := a.cols
		var o Optional
		for _, c := range []struct {
			col int
			bit Optional
		}{{cols.thr, HasThrottles}, {cols.cr, HasCacheRead}, {cols.cw, HasCacheWrite}, {cols.lat, HasLatencyAvg}, {cols.p90, HasLatencyP90},
			{cols.quota, HasQuotaUsage}, {cols.ttft, HasTTFTAvg}} {
			if c.col >= 0 {
				o |= c.bit
			}
		}
		s.setOptional(o, capacity)
		a.m.Series = append(a.m.Series, s)
		return s
	}
	// Rows of one series usually follow one another: the last row's
	// series is looked up without building its key.
	last := &a.last
	st, ok := last.st, last.st != nil && model == last.model && region == last.region && tier == last.tier
	if !ok {
		key := model + "\x00" + region + "\x00" + tier
		st, ok = a.bySeries[key]
	}
	if !ok {
		st = &seriesState{s: newTier()}
		a.bySeries[model+"\x00"+region+"\x00"+tier] = st
	} else {
		s := st.s
		n := s.Len()
		prev, prevPeriod := s.Start[n-1], int64(s.Period/time.Second)
		switch {
		case start == prev:
			a.fail(line, ColTimestamp, "duplicate %s for %s (first at line %d)", utc(), s.Key(), st.lastLine)
			return
		case start < prev:
			a.fail(line, ColTimestamp, "%s is before %s on line %d: rows of %s must be in time order", utc(), s.Time(n-1).Format(time.RFC3339), st.lastLine, s.Key())
			return
		case start < prev+prevPeriod:
			a.fail(line, ColTimestamp, "%s falls inside the %ds interval that starts on line %d: intervals of one model may not overlap", utc(), prevPeriod, st.lastLine)
			return
		case period != prevPeriod:
			// A new retention tier: CloudWatch keeps 1-minute data for
			// 15 days, 5-minute for 63, hourly for 455.
			st.s = newTier()
		case (start-prev)%period != 0:
			a.fail(line, ColTimestamp, "%s is not a whole number of %ds periods after line %d", utc(), period, st.lastLine)
			return
		}
		if st.s.Len() > 0 && (start-st.s.Start[0])/period+1 > maxIntervals {
			first := st.s.Start[0]
			a.fail(line, ColTimestamp, "%s is %d intervals of %ds after the first row of %s: a series spans at most %d intervals; check the timestamps",
				utc(), (start-first)/period, period, st.s.Key(), maxIntervals)
			return
		}
	}
	st.lastLine = line
	st.s.appendRow(start, p.r)
	last.model, last.region, last.tier, last.st = model, region, tier, st
}

// result is the metrics read, or the problems found.
func (a *assembler) result() (*Metrics, error) {
	errs := a.errs
	if len(errs) > 0 {
		if len(errs) == maxErrors {
			errs = append(errs, fmt.Sprintf("%s: stopped after %d problems", a.name, maxErrors))
		}
		return nil, errors.New(strings.Join(errs, "\n"))
	}
	if len(a.m.Series) == 0 {
		return nil, fmt.Errorf("%s: no data rows after the header", a.name)
	}
	m := a.m // not &a.m, which would keep the assembler, and the last chunk its last row points into, as long as the metrics
	return &m, nil
}

// parseNumber parses a count or latency, at most limit. Empty is allowed
// only when emptyOK, and reads as NaN (no value).
func parseNumber(raw string, emptyOK bool, limit float64) (float64, string) {
	if v, ok := wholeNumber(raw); ok && v <= limit {
		return v, ""
	}
	s := strings.TrimSpace(raw)
	if s == "" {
		if emptyOK {
			return math.NaN(), ""
		}
		return 0, "missing value"
	}
	v, err := strconv.ParseFloat(s, 64)
	switch {
	case err != nil && !errors.Is(err, strconv.ErrRange):
		return 0, fmt.Sprintf("%q is not a number", raw)
	case math.IsNaN(v):
		return 0, "NaN is not a count (leave latency cells empty when there is no value)"
	case math.IsInf(v, 0) || errors.Is(err, strconv.ErrRange):
		return 0, fmt.Sprintf("%q is infinite or out of range: at most %s", s, limitWords(limit))
	case v < 0:
		return 0, fmt.Sprintf("%s is negative", s)
	case v > limit:
		return 0, fmt.Sprintf("%s is too large: at most %s", s, limitWords(limit))
	}
	return v, ""
}

// wholeNumber reads raw when it is 1 to 15 decimal digits and nothing
// else, as most counts are: every such number is a float64 exactly, the
// one strconv.ParseFloat returns, found in a fraction of its time.
func wholeNumber(raw string) (float64, bool) {
	if len(raw) == 0 || len(raw) > 15 {
		return 0, false
	}
	var n int64
	for i := 0; i < len(raw); i++ {
		d := raw[i] - '0'
		if d > 9 {
			return 0, false
		}
		n = n*10 + int64(d)
	}
	return float64(n), true
}

// recordProblem says what is wrong with a data line the CSV reader
// refused, in the file:line form of the other problems: a line with
// another number of fields than the header (got, want) says both.
func recordProblem(err error, got, want int) string {
	var pe *csv.ParseError
	switch {
	case errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrFieldCount):
		return fmt.Sprintf("%d: %d fields, but the header has %d (a comma too many or too few?)", pe.Line, got, want)
	case errors.As(err, &pe):
		return fmt.Sprintf("%d: %v", pe.Line, pe.Err)
	}
	return " " + err.Error()
}

func csvErr(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("line %d: %v", pe.Line, pe.Err)
	}
	return err
}

// WriteMetrics writes m as a metrics CSV. Optional columns appear when any
// series carries them, service_tier when any series is not Standard (so a
// file without tiers is written as before); rows are grouped by series,
// in time order.
func WriteMetrics(w io.Writer, m *Metrics) error {
	var opt Optional
	region, tiers := false, false
	for _, s := range m.Series {
		opt |= s.Optional()
		region = region || s.Region != ""
		tiers = tiers || s.Tier() != TierStandard
	}
	cols := []string{ColTimestamp, ColModelID}
	if region {
		cols = append(cols, ColRegion)
	}
	if tiers {
		cols = append(cols, ColServiceTier)
	}
	cols = append(cols, ColPeriod, ColInvocations, ColInputTokens, ColOutputTokens)
	optCols := []struct {
		bit  Optional
		name string
		get  func(*Series) []float64
	}{
		{HasThrottles, ColThrottles, func(s *Series) []float64 { return s.Throttles }},
		{HasCacheRead, ColCacheRead, func(s *Series) []float64 { return s.CacheRead }},
		{HasCacheWrite, ColCacheWrite, func(s *Series) []float64 { return s.CacheWrite }},
		{HasLatencyAvg, ColLatencyAvg, func(s *Series) []float64 { return s.LatencyAvgMs }},
		{HasLatencyP90, ColLatencyP90, func(s *Series) []float64 { return s.LatencyP90Ms }},
		{HasQuotaUsage, ColQuotaUsage, func(s *Series) []float64 { return s.QuotaUsage }},
		{HasTTFTAvg, ColTTFTAvg, func(s *Series) []float64 { return s.TTFTAvgMs }},
	}
	for _, oc := range optCols {
		if opt&oc.bit != 0 {
			cols = append(cols, oc.name)
		}
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(cols); err != nil {
		return err
	}
	rec := make([]string, 0, len(cols))
	for _, s := range m.Series {
		period := strconv.FormatInt(int64(s.Period/time.Second), 10)
		for i := range s.Start {
			rec = append(rec[:0], s.Time(i).Format(time.RFC3339), s.ModelID)
			if region {
				rec = append(rec, s.Region)
			}
			if tiers {
				rec = append(rec, s.Tier())
			}
			rec = append(rec, period, FormatNumber(s.Invocations[i]), FormatNumber(s.InputTokens[i]), FormatNumber(s.OutputTokens[i]))
			for _, oc := range optCols {
				if opt&oc.bit == 0 {
					continue
				}
				v := oc.get(s)
				switch {
				case v == nil && (oc.bit == HasLatencyAvg || oc.bit == HasLatencyP90 || oc.bit == HasTTFTAvg):
					rec = append(rec, "")
				case v == nil:
					rec = append(rec, "0")
				default:
					rec = append(rec, FormatNumber(v[i]))
				}
			}
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// FormatNumber formats a count the shortest way that reads back exactly;
// NaN (no value) is the empty string.
func FormatNumber(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// Unit is one series to plan on its own: the model (with a tier suffix
// when it is planned on a tier other than Standard) and region that
// Select takes to return it, and the model id its series has.
type Unit struct {
	Model, Region string
	ModelID       string
}

// Holds reports whether a plan for modelID in region (empty: any) is for
// this unit's series.
func (u Unit) Holds(modelID, region string) bool {
	return u.ModelID == modelID && (region == "" || u.Region == "" || region == u.Region)
}

// Units lists what a portfolio plans, in order of first appearance, among
// the series that modelID and region (each may be empty) select: one unit
// per model and region, since Select folds a model's other service tiers
// into its Standard series; and, for a model with no Standard traffic
// there, one unit per tier. Select(u.Model, u.Region) returns each.
func (m *Metrics) Units(modelID, region string) []Unit {
	id, tier := modelID, ""
	if !m.hasModel(modelID) {
		if base, t := SplitTierSuffix(modelID); t != TierStandard {
			id, tier = base, t
		}
	}
	type place struct{ model, region string }
	var order []place
	tiers := map[place][]string{}
	for _, s := range m.Series {
		if (id != "" && s.ModelID != id) || (region != "" && s.Region != "" && s.Region != region) || (tier != "" && s.Tier() != tier) {
			continue
		}
		p := place{s.ModelID, s.Region}
		if _, ok := tiers[p]; !ok {
			order = append(order, p)
		}
		if !slices.Contains(tiers[p], s.Tier()) {
			tiers[p] = append(tiers[p], s.Tier())
		}
	}
	var out []Unit
	for _, p := range order {
		ts := tiers[p]
		if tier == "" && slices.Contains(ts, TierStandard) {
			out = append(out, Unit{Model: p.model, Region: p.region, ModelID: p.model})
			continue
		}
		for _, t := range ts {
			out = append(out, Unit{Model: WithTierSuffix(p.model, t), Region: p.region, ModelID: p.model})
		}
	}
	return out
}
