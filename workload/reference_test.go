package workload

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/bedrockplan/bedrockplan/internal/suggest"
)

// readMetricsReference is ReadMetrics as it was before it read in
// parallel, kept word for word as the oracle both of today's paths (the
// sequential one and the parallel one) are checked against: a change to
// what ReadMetrics accepts or says must be made here too.
func readMetricsReference(r io.Reader, name string) (*Metrics, error) {
	size := int64(-1) // the file's size, when r is a file
	if f, ok := r.(interface{ Stat() (fs.FileInfo, error) }); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
			size = fi.Size()
		}
	}
	cr := newRecordReader(r)
	header, err := cr.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("%s: empty file: want a header line with %s", name, strings.Join(requiredColumns, ","))
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, csvErr(err))
	}
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
	cRegion, cThr, cCR, cCW, cLat, cP90 := col(ColRegion), col(ColThrottles), col(ColCacheRead), col(ColCacheWrite), col(ColLatencyAvg), col(ColLatencyP90)
	cTier, cQuota, cTTFT := col(ColServiceTier), col(ColQuotaUsage), col(ColTTFTAvg)
	cTime, cModel, cPeriod := idx[ColTimestamp], idx[ColModelID], idx[ColPeriod]
	cInv, cIn, cOut := idx[ColInvocations], idx[ColInputTokens], idx[ColOutputTokens]

	type state struct {
		s        *Series
		lastLine int // line of the series' latest row
	}
	var m Metrics
	bySeries := map[string]*state{}
	var errs []string
	fail := func(line int, field, format string, args ...any) {
		errs = append(errs, fmt.Sprintf("%s:%d: %s: %s", name, line, field, fmt.Sprintf(format, args...)))
	}
	var last struct {
		model, region, tier string
		st                  *state
	}
	for len(errs) < maxErrors {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			errs = append(errs, fmt.Sprintf("%s:%s", name, recordProblem(err, len(rec), len(header))))
			break
		}
		line := cr.Line()
		bad := len(errs)
		ts, err := time.Parse(time.RFC3339, strings.TrimSpace(rec[cTime]))
		if err != nil {
			fail(line, ColTimestamp, "%q is not an RFC 3339 time (want e.g. 2026-11-02T09:00:00Z)", rec[cTime])
		} else if ts.Nanosecond() != 0 {
			fail(line, ColTimestamp, "%q has fractions of a second; interval starts are whole seconds", rec[cTime])
		} else if p := timeProblem(ts); p != "" {
			fail(line, ColTimestamp, "%s", p)
		}
		model := strings.TrimSpace(rec[cModel])
		if model == "" {
			fail(line, ColModelID, "empty")
		}
		region := ""
		if cRegion >= 0 {
			region = strings.TrimSpace(rec[cRegion])
		}
		tier := TierStandard
		if cTier >= 0 {
			t, problem := ParseServiceTier(rec[cTier])
			if problem != "" {
				fail(line, ColServiceTier, "%s", problem)
			}
			tier = t
		}
		period, err := strconv.ParseInt(strings.TrimSpace(rec[cPeriod]), 10, 64)
		switch {
		case err != nil && !errors.Is(err, strconv.ErrRange) || err == nil && period <= 0:
			fail(line, ColPeriod, "%q is not a positive whole number of seconds", rec[cPeriod])
		case err != nil || period > int64(MaxPeriod/time.Second):
			fail(line, ColPeriod, "%s is too long: at most %d (a week)", strings.TrimSpace(rec[cPeriod]), int64(MaxPeriod/time.Second))
		}
		count := func(c int, field string) float64 {
			if c < 0 {
				return 0
			}
			v, problem := parseNumber(rec[c], false, MaxCount)
			if problem != "" {
				fail(line, field, "%s", problem)
			}
			return v
		}
		latency := func(c int, field string) float64 {
			if c < 0 {
				return math.NaN()
			}
			v, problem := parseNumber(rec[c], true, MaxLatencyMs)
			if problem != "" {
				fail(line, field, "%s", problem)
			}
			return v
		}
		r := row{
			inv: count(cInv, ColInvocations), in: count(cIn, ColInputTokens),
			out: count(cOut, ColOutputTokens), thr: count(cThr, ColThrottles),
			cr: count(cCR, ColCacheRead), cw: count(cCW, ColCacheWrite), quota: count(cQuota, ColQuotaUsage),
			lat: latency(cLat, ColLatencyAvg), p90: latency(cP90, ColLatencyP90), ttft: latency(cTTFT, ColTTFTAvg),
		}
		if len(errs) > bad {
			continue
		}
		start := ts.Unix()
		newTier := func() *Series {
			s := &Series{ModelID: model, Region: region, Period: time.Duration(period) * time.Second}
			// The first series is given room for as many rows as the file
			// holds, a quarter more, judged by its first row (left as it is
			// by the rows that do not take it), so that a year of minutes
			// is not copied from array to array as it grows. A second
			// series shows the guess was for all of them: the first is
			// then cut to its size.
			capacity := 0
			switch {
			case len(m.Series) == 0 && size > 0 && cr.lineBytes > 0:
				capacity = int(min(size/int64(cr.lineBytes)*5/4, maxIntervals))
			case len(m.Series) == 1:
				m.Series[0].clip()
			}
			s.Start = make([]int64, 0, capacity)
			s.Invocations, s.InputTokens, s.OutputTokens = make([]float64, 0, capacity), make([]float64, 0, capacity), make([]float64, 0, capacity)
			if tier != TierStandard {
				s.ServiceTier = tier
			}
			var o Optional
			for _, c := range []struct {
				col int
				bit Optional
			}{{cThr, HasThrottles}, {cCR, HasCacheRead}, {cCW, HasCacheWrite}, {cLat, HasLatencyAvg}, {cP90, HasLatencyP90},
				{cQuota, HasQuotaUsage}, {cTTFT, HasTTFTAvg}} {
				if c.col >= 0 {
					o |= c.bit
				}
			}
			s.setOptional(o, capacity)
			m.Series = append(m.Series, s)
			return s
		}
		// Rows of one series usually follow one another: the last row's
		// series is looked up without building its key.
		st, ok := last.st, last.st != nil && model == last.model && region == last.region && tier == last.tier
		if !ok {
			key := model + "\x00" + region + "\x00" + tier
			st, ok = bySeries[key]
		}
		if !ok {
			st = &state{s: newTier()}
			bySeries[model+"\x00"+region+"\x00"+tier] = st
		} else {
			s := st.s
			n := s.Len()
			prev, prevPeriod := s.Start[n-1], int64(s.Period/time.Second)
			switch {
			case start == prev:
				fail(line, ColTimestamp, "duplicate %s for %s (first at line %d)", ts.UTC().Format(time.RFC3339), s.Key(), st.lastLine)
				continue
			case start < prev:
				fail(line, ColTimestamp, "%s is before %s on line %d: rows of %s must be in time order", ts.UTC().Format(time.RFC3339), s.Time(n-1).Format(time.RFC3339), st.lastLine, s.Key())
				continue
			case start < prev+prevPeriod:
				fail(line, ColTimestamp, "%s falls inside the %ds interval that starts on line %d: intervals of one model may not overlap", ts.UTC().Format(time.RFC3339), prevPeriod, st.lastLine)
				continue
			case period != prevPeriod:
				// A new retention tier: CloudWatch keeps 1-minute data for
				// 15 days, 5-minute for 63, hourly for 455.
				st.s = newTier()
			case (start-prev)%period != 0:
				fail(line, ColTimestamp, "%s is not a whole number of %ds periods after line %d", ts.UTC().Format(time.RFC3339), period, st.lastLine)
				continue
			}
			if st.s.Len() > 0 && (start-st.s.Start[0])/period+1 > maxIntervals {
				first := st.s.Start[0]
				fail(line, ColTimestamp, "%s is %d intervals of %ds after the first row of %s: a series spans at most %d intervals; check the timestamps",
					ts.UTC().Format(time.RFC3339), (start-first)/period, period, st.s.Key(), maxIntervals)
				continue
			}
		}
		st.lastLine = line
		st.s.appendRow(start, r)
		last.model, last.region, last.tier, last.st = model, region, tier, st
	}
	if len(errs) > 0 {
		if len(errs) == maxErrors {
			errs = append(errs, fmt.Sprintf("%s: stopped after %d problems", name, maxErrors))
		}
		return nil, errors.New(strings.Join(errs, "\n"))
	}
	if len(m.Series) == 0 {
		return nil, fmt.Errorf("%s: no data rows after the header", name)
	}
	return &m, nil
}
