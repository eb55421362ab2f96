package workload

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

const header = "timestamp,model_id,region,period_s,invocations,input_tokens,output_tokens\n"

func TestReadMetrics(t *testing.T) {
	in := "timestamp,model_id,period_s,invocations,input_tokens,output_tokens,latency_avg_ms,throttles\n" +
		"2026-11-02T00:00:00Z,m1,60,10,1000,200,350.5,0\n" +
		"2026-11-02T00:00:00Z,m2,300,1,10,2,,1\n" +
		"2026-11-02T00:01:00Z,m1,60,0,0,0,,0\n" +
		"2026-11-02T09:03:00+09:00,m1,60,5,500,100,120,2\n"
	m, err := ReadMetrics(strings.NewReader(in), "x.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Series) != 2 {
		t.Fatalf("%d series, want 2", len(m.Series))
	}
	s := m.Series[0]
	if s.ModelID != "m1" || s.Period != time.Minute || s.Len() != 3 {
		t.Fatalf("series m1: %+v", s)
	}
	if got := s.Time(2); !got.Equal(time.Date(2026, 11, 2, 0, 3, 0, 0, time.UTC)) {
		t.Errorf("offset timestamp read as %s, want 00:03 UTC", got)
	}
	if !math.IsNaN(s.LatencyAvgMs[1]) || s.LatencyAvgMs[0] != 350.5 {
		t.Errorf("latencies = %v", s.LatencyAvgMs)
	}
	if s.CacheRead != nil || s.Throttles == nil {
		t.Errorf("optional columns: cache %v, throttles %v", s.CacheRead, s.Throttles)
	}
	if tot := s.Totals(); tot.Invocations != 15 || tot.InputTokens != 1500 || tot.Throttles != 2 {
		t.Errorf("totals = %+v", tot)
	}
	gaps := s.Gaps()
	if len(gaps) != 1 || gaps[0].Missing != 1 || !gaps[0].From.Equal(time.Date(2026, 11, 2, 0, 2, 0, 0, time.UTC)) {
		t.Errorf("gaps = %+v", gaps)
	}
}

func TestMetricsRoundTrip(t *testing.T) {
	cfg := SeedScenario(3)
	cfg.Days = 1
	s, err := Synthesize(cfg)
	if err != nil {
		t.Fatal(err)
	}
	s.Throttles = make([]float64, s.Len())
	s.LatencyAvgMs = make([]float64, s.Len())
	s.CacheRead = make([]float64, s.Len())
	for i := range s.Start {
		s.Throttles[i] = float64(i % 3)
		s.LatencyAvgMs[i] = 100 + float64(i)/7
		s.CacheRead[i] = 0.25 * float64(i)
		if i%10 == 0 {
			s.LatencyAvgMs[i] = math.NaN()
		}
	}
	other := &Series{ModelID: "amazon.nova-pro-v1:0", Region: "us-west-2", Period: time.Hour,
		Start: []int64{1_790_000_000, 1_790_003_600}, Invocations: []float64{1, 2}, InputTokens: []float64{3, 4}, OutputTokens: []float64{5, 6}}
	m := &Metrics{Series: []*Series{s, other}}
	var buf bytes.Buffer
	if err := WriteMetrics(&buf, m); err != nil {
		t.Fatal(err)
	}
	first := buf.String()
	back, err := ReadMetrics(&buf, "round.csv")
	if err != nil {
		t.Fatal(err)
	}
	// The other series had no optional columns; written as 0 / empty,
	// they read back as present.
	other.Throttles, other.CacheRead, other.LatencyAvgMs = []float64{0, 0}, []float64{0, 0}, []float64{math.NaN(), math.NaN()}
	for i := range m.Series {
		if !equalSeries(m.Series[i], back.Series[i]) {
			t.Errorf("series %d differs after a round trip", i)
		}
	}
	var again bytes.Buffer
	if err := WriteMetrics(&again, back); err != nil {
		t.Fatal(err)
	}
	if again.String() != first {
		t.Error("writing what was read does not give the same bytes")
	}
}

func equalSeries(a, b *Series) bool {
	eq := func(x, y []float64) bool {
		if len(x) != len(y) {
			return false
		}
		for i := range x {
			if x[i] != y[i] && !(math.IsNaN(x[i]) && math.IsNaN(y[i])) {
				return false
			}
		}
		return true
	}
	return a.ModelID == b.ModelID && a.Region == b.Region && a.Period == b.Period && reflect.DeepEqual(a.Start, b.Start) &&
		eq(a.Invocations, b.Invocations) && eq(a.InputTokens, b.InputTokens) && eq(a.OutputTokens, b.OutputTokens) &&
		eq(a.Throttles, b.Throttles) && eq(a.CacheRead, b.CacheRead) && eq(a.CacheWrite, b.CacheWrite) &&
		eq(a.LatencyAvgMs, b.LatencyAvgMs) && eq(a.LatencyP90Ms, b.LatencyP90Ms)
}

// TestBadMetrics: every bad-input case, one fixture each, with its exact
// message.
func TestBadMetrics(t *testing.T) {
	for _, c := range badMetrics() {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadMetrics(strings.NewReader(c.in), "bad.csv")
			if err == nil || err.Error() != c.want {
				t.Errorf("got  %v\nwant %s", err, c.want)
			}
		})
	}
}

// badMetrics lists the bad inputs of TestBadMetrics, with the message
// each is refused with.
func badMetrics() []struct{ name, in, want string } {
	row := func(rows ...string) string { return header + strings.Join(rows, "\n") + "\n" }
	return []struct{ name, in, want string }{
		{"empty", "", "bad.csv: empty file: want a header line with timestamp,model_id,period_s,invocations,input_tokens,output_tokens"},
		{"unknown column", "timestamp,model_id,period_s,invocations,input_tokens,output_tokns\n",
			`bad.csv:1: output_tokns: unknown column (did you mean "output_tokens"?); columns are timestamp,model_id,region,service_tier,period_s,invocations,input_tokens,output_tokens,throttles,cache_read_tokens,cache_write_tokens,latency_avg_ms,latency_p90_ms,estimated_tpm_quota_usage,ttft_avg_ms`},
		{"missing column", "timestamp,model_id,period_s,invocations,input_tokens\n",
			"bad.csv:1: output_tokens: required column missing (required: timestamp,model_id,period_s,invocations,input_tokens,output_tokens)"},
		{"duplicate column", "timestamp,model_id,model_id\n", "bad.csv:1: model_id: column appears twice"},
		{"bad timestamp", row("2026-11-02 00:00:00,m,us-east-1,60,1,1,1"),
			`bad.csv:2: timestamp: "2026-11-02 00:00:00" is not an RFC 3339 time (want e.g. 2026-11-02T09:00:00Z)`},
		{"fractional second", row("2026-11-02T00:00:00.5Z,m,us-east-1,60,1,1,1"),
			`bad.csv:2: timestamp: "2026-11-02T00:00:00.5Z" has fractions of a second; interval starts are whole seconds`},
		{"NaN", row("2026-11-02T00:00:00Z,m,us-east-1,60,NaN,1,1"),
			"bad.csv:2: invocations: NaN is not a count (leave latency cells empty when there is no value)"},
		{"Inf", row("2026-11-02T00:00:00Z,m,us-east-1,60,1,+Inf,1"), `bad.csv:2: input_tokens: "+Inf" is infinite or out of range: at most 1e15`},
		{"overflow", row("2026-11-02T00:00:00Z,m,us-east-1,60,1,1e400,1"), `bad.csv:2: input_tokens: "1e400" is infinite or out of range: at most 1e15`},
		{"absurd", row("2026-11-02T00:00:00Z,m,us-east-1,60,1e300,1,1"), "bad.csv:2: invocations: 1e300 is too large: at most 1e15"},
		{"absurd latency", "timestamp,model_id,period_s,invocations,input_tokens,output_tokens,latency_avg_ms\n2026-11-02T00:00:00Z,m,60,1,1,1,1e12\n",
			"bad.csv:2: latency_avg_ms: 1e12 is too large: at most 86400000 ms (a day)"},
		{"long period", row("2026-11-02T00:00:00Z,m,us-east-1,10000000000,1,1,1"), "bad.csv:2: period_s: 10000000000 is too long: at most 604800 (a week)"},
		{"period out of range", row("2026-11-02T00:00:00Z,m,us-east-1,99999999999999999999,1,1,1"),
			"bad.csv:2: period_s: 99999999999999999999 is too long: at most 604800 (a week)"},
		{"epoch", row("1970-01-01T00:00:00Z,m,us-east-1,60,1,1,1"), "bad.csv:2: timestamp: 1970-01-01T00:00:00Z is outside the years 2000 to 2099"},
		{"far future", row("9999-12-31T00:00:00Z,m,us-east-1,60,1,1,1"), "bad.csv:2: timestamp: 9999-12-31T00:00:00Z is outside the years 2000 to 2099"},
		{"span", row("2026-11-02T00:00:00Z,m,us-east-1,60,1,1,1", "2090-01-01T00:00:00Z,m,us-east-1,60,1,1,1"),
			"bad.csv:3: timestamp: 2090-01-01T00:00:00Z is 33222240 intervals of 60s after the first row of m (us-east-1): a series spans at most 5000000 intervals; check the timestamps"},
		{"trailing garbage", row("2026-11-02T00:00:00Z,m,us-east-1,60,1,1,1,garbage"), "bad.csv:2: 8 fields, but the header has 7 (a comma too many or too few?)"},
		{"garbage in a number", row("2026-11-02T00:00:00Z,m,us-east-1,60,1x,1,1"), `bad.csv:2: invocations: "1x" is not a number`},
		{"negative", row("2026-11-02T00:00:00Z,m,us-east-1,60,1,1,-3"), "bad.csv:2: output_tokens: -3 is negative"},
		{"not a number", row("2026-11-02T00:00:00Z,m,us-east-1,60,ten,1,1"), `bad.csv:2: invocations: "ten" is not a number`},
		{"empty count", row("2026-11-02T00:00:00Z,m,us-east-1,60,,1,1"), "bad.csv:2: invocations: missing value"},
		{"bad period", row("2026-11-02T00:00:00Z,m,us-east-1,0,1,1,1"), `bad.csv:2: period_s: "0" is not a positive whole number of seconds`},
		{"empty model", row("2026-11-02T00:00:00Z,,us-east-1,60,1,1,1"), "bad.csv:2: model_id: empty"},
		{"unsorted", row("2026-11-02T00:01:00Z,m,us-east-1,60,1,1,1", "2026-11-02T00:00:00Z,m,us-east-1,60,1,1,1"),
			"bad.csv:3: timestamp: 2026-11-02T00:00:00Z is before 2026-11-02T00:01:00Z on line 2: rows of m (us-east-1) must be in time order"},
		{"duplicate", row("2026-11-02T00:00:00Z,m,us-east-1,60,1,1,1", "2026-11-02T00:00:00Z,m,us-east-1,60,2,2,2"),
			"bad.csv:3: timestamp: duplicate 2026-11-02T00:00:00Z for m (us-east-1) (first at line 2)"},
		{"mixed periods overlap", row("2026-11-02T00:00:00Z,m,us-east-1,300,1,1,1", "2026-11-02T00:02:00Z,m,us-east-1,60,1,1,1"),
			"bad.csv:3: timestamp: 2026-11-02T00:02:00Z falls inside the 300s interval that starts on line 2: intervals of one model may not overlap"},
		{"off the grid", row("2026-11-02T00:00:00Z,m,us-east-1,60,1,1,1", "2026-11-02T00:01:30Z,m,us-east-1,60,1,1,1"),
			"bad.csv:3: timestamp: 2026-11-02T00:01:30Z is not a whole number of 60s periods after line 2"},
		{"short row", row("2026-11-02T00:00:00Z,m,us-east-1,60,1,1"), "bad.csv:2: 6 fields, but the header has 7 (a comma too many or too few?)"},
		{"no rows", header, "bad.csv: no data rows after the header"},
		{"bad latency", "timestamp,model_id,period_s,invocations,input_tokens,output_tokens,latency_p90_ms\n2026-11-02T00:00:00Z,m,60,1,1,1,-5\n",
			"bad.csv:2: latency_p90_ms: -5 is negative"},
		{"two problems on one row", row("yesterday,m,us-east-1,60,-1,1,1"),
			"bad.csv:2: timestamp: \"yesterday\" is not an RFC 3339 time (want e.g. 2026-11-02T09:00:00Z)\nbad.csv:2: invocations: -1 is negative"},
	}
}

func TestReadStopsAfterTenProblems(t *testing.T) {
	var b strings.Builder
	b.WriteString(header)
	for range 30 {
		b.WriteString("x,m,r,60,1,1,1\n")
	}
	_, err := ReadMetrics(strings.NewReader(b.String()), "many.csv")
	if err == nil {
		t.Fatal("no error")
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != 11 || lines[10] != "many.csv: stopped after 10 problems" {
		t.Errorf("%d lines, last %q", len(lines), lines[len(lines)-1])
	}
}

func TestSelect(t *testing.T) {
	m := &Metrics{Series: []*Series{{ModelID: "amazon.titan-text-express-v1", Region: "us-east-1"}, {ModelID: "amazon.nova-pro-v1:0", Region: "us-east-1"}}}
	if _, err := m.Select("", ""); err == nil || !strings.Contains(err.Error(), "the metrics hold 2 series") {
		t.Errorf("no model among two: %v", err)
	}
	want := `no rows for model "amazon.titan-text-expres-v1" (did you mean "amazon.titan-text-express-v1"?); the metrics hold: amazon.titan-text-express-v1 (us-east-1), amazon.nova-pro-v1:0 (us-east-1)`
	if _, err := m.Select("amazon.titan-text-expres-v1", ""); err == nil || err.Error() != want {
		t.Errorf("typo: %v", err)
	}
	if s, err := m.Select("amazon.nova-pro-v1:0", ""); err != nil || s != m.Series[1] {
		t.Errorf("select nova: %v", err)
	}
}

func gappy() *Series {
	return &Series{ModelID: "m", Period: time.Minute, Start: []int64{0, 60, 240, 300},
		Invocations: []float64{1, 2, 8, 1}, InputTokens: []float64{10, 20, 80, 10}, OutputTokens: []float64{1, 2, 5, 1}}
}

func TestFillGaps(t *testing.T) {
	s := gappy()
	if _, _, err := FillGaps(s, GapsError); err == nil || err.Error() != "m: 2 missing intervals in 1 gaps, the first 2 at 1970-01-01T00:02:00Z; choose --gaps zero or --gaps interpolate" {
		t.Errorf("GapsError: %v", err)
	}
	z, gaps, err := FillGaps(s, GapsZero)
	if err != nil || len(gaps) != 1 {
		t.Fatal(err, gaps)
	}
	if !reflect.DeepEqual(z.Invocations, []float64{1, 2, 0, 0, 8, 1}) || len(z.Gaps()) != 0 {
		t.Errorf("zero-filled = %v", z.Invocations)
	}
	in, _, _ := FillGaps(s, GapsInterpolate)
	if !reflect.DeepEqual(in.Invocations, []float64{1, 2, 4, 6, 8, 1}) || !reflect.DeepEqual(in.InputTokens, []float64{10, 20, 40, 60, 80, 10}) {
		t.Errorf("interpolated = %v / %v", in.Invocations, in.InputTokens)
	}
	if _, err := ParseGapPolicy("fill"); err == nil {
		t.Error("--gaps fill accepted")
	}
}

func TestResample(t *testing.T) {
	cfg := SeedScenario(5)
	cfg.Days = 2
	s, _ := Synthesize(cfg)
	s.LatencyAvgMs = make([]float64, s.Len())
	for i := range s.LatencyAvgMs {
		s.LatencyAvgMs[i] = 100
	}
	h, err := Resample(s, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if h.Len() != 48 || h.Period != time.Hour {
		t.Fatalf("%d hourly intervals of %s", h.Len(), h.Period)
	}
	a, b := s.Totals(), h.Totals()
	if a != b {
		t.Errorf("totals changed: %+v -> %+v", a, b)
	}
	if h.Start[0]%3600 != 0 || h.LatencyAvgMs[5] != 100 {
		t.Errorf("start %d, latency %v", h.Start[0], h.LatencyAvgMs[5])
	}
	if _, err := Resample(s, 90*time.Second); err == nil {
		t.Error("resampling 60s to 90s accepted")
	}
}

// TestSynthesize: the generator is deterministic, seeded, and has the
// shape it promises: Tokyo office hours busier than nights and weekends.
func TestSynthesize(t *testing.T) {
	cfg := SeedScenario(1)
	a, _ := Synthesize(cfg)
	b, _ := Synthesize(cfg)
	cfg.Seed = 2
	c, _ := Synthesize(cfg)
	if !equalSeries(a, b) {
		t.Error("same seed, different series")
	}
	if equalSeries(a, c) {
		t.Error("different seeds, same series")
	}
	if a.Len() != 14*24*60 {
		t.Errorf("%d intervals, want two weeks of minutes", a.Len())
	}
	var office, night, weekend, nOffice, nNight, nWeekend float64
	for i := range a.Start {
		lt := a.Time(i).In(cfg.Location)
		switch {
		case lt.Weekday() == time.Saturday || lt.Weekday() == time.Sunday:
			weekend += a.Invocations[i]
			nWeekend++
		case lt.Hour() >= 10 && lt.Hour() < 16:
			office += a.Invocations[i]
			nOffice++
		case lt.Hour() < 7 || lt.Hour() >= 19:
			night += a.Invocations[i]
			nNight++
		}
	}
	o, n, w := office/nOffice, night/nNight, weekend/nWeekend
	if !(o > 2000 && o < 2800 && n > 600 && n < 800 && w < n) {
		t.Errorf("mean requests/min: office %.0f, night %.0f, weekend %.0f", o, n, w)
	}
	tok := a.Totals()
	if r := tok.InputTokens / tok.Invocations; math.Abs(r-1200) > 10 {
		t.Errorf("input tokens per request = %.1f, want about 1200", r)
	}
}

func FuzzReadMetrics(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.csv")
	for _, p := range seeds {
		data, err := os.ReadFile(p)
		if err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(header + "2026-11-02T00:00:00Z,m,us-east-1,60,1,2,3\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ReadMetrics(bytes.NewReader(data), "fuzz.csv")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.csv") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		var out bytes.Buffer
		if err := WriteMetrics(&out, m); err != nil {
			t.Fatal(err)
		}
		back, err := ReadMetrics(&out, "again.csv")
		if err != nil {
			t.Fatalf("what was written does not read back: %v\n%s", err, out.String())
		}
		for i := range m.Series {
			if back.Series[i].Len() != m.Series[i].Len() {
				t.Fatal("row count changed in a round trip")
			}
		}
	})
}

// TestRetentionTiers: a model's rows may switch period where CloudWatch's
// retention tiers meet; selecting the model combines them at the coarsest
// period, and a coarse interval covered only in part becomes a gap.
func TestRetentionTiers(t *testing.T) {
	var b strings.Builder
	b.WriteString(header)
	b.WriteString("2026-11-02T00:00:00Z,m,r,3600,60,600,60\n")
	b.WriteString("2026-11-02T01:00:00Z,m,r,3600,60,600,60\n")
	for i := range 12 { // 02:00-03:00 in 5-minute rows
		b.WriteString("2026-11-02T02:" + twoDigit(5*i) + ":00Z,m,r,300,5,50,5\n")
	}
	for i := range 30 { // 03:00-03:30 in 1-minute rows: half an hour
		b.WriteString("2026-11-02T03:" + twoDigit(i) + ":00Z,m,r,60,1,10,1\n")
	}
	m, err := ReadMetrics(strings.NewReader(b.String()), "tiers.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Series) != 3 {
		t.Fatalf("%d tiers, want 3", len(m.Series))
	}
	s, err := m.Select("m", "")
	if err != nil {
		t.Fatal(err)
	}
	if s.Period != time.Hour || !reflect.DeepEqual(s.Invocations, []float64{60, 60, 60}) {
		t.Errorf("combined: %s %v (the half-covered 03:00 hour must be left out)", s.Period, s.Invocations)
	}
	if gaps := s.Gaps(); len(gaps) != 0 {
		t.Errorf("gaps %v", gaps)
	}
	var out bytes.Buffer
	WriteMetrics(&out, m)
	if out.String() != b.String() {
		t.Error("tiers do not round-trip")
	}
}

func twoDigit(v int) string { return string([]byte{byte('0' + v/10), byte('0' + v%10)}) }
