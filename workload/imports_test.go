package workload

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// independentSums reads a trace with nothing but encoding/csv: row count
// and token totals, to check the importer against.
func independentSums(t *testing.T, path string) (rows int, in, out float64, first, last string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	all, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	first, last = all[1][0], all[1][0]
	for _, r := range all[1:] {
		first, last = min(first, r[0]), max(last, r[0])
		a, _ := strconv.ParseFloat(r[1], 64)
		b, _ := strconv.ParseFloat(r[2], 64)
		in += a
		out += b
	}
	return len(all) - 1, in, out, first[:19], last[:19]
}

// TestImportAzureTraces imports both real traces and checks the totals
// against an independent sum, the time range, and that the bins are a
// gap-free minute grid.
func TestImportAzureTraces(t *testing.T) {
	for _, file := range []string{"AzureLLMInferenceTrace_conv.csv", "AzureLLMInferenceTrace_code.csv"} {
		t.Run(file, func(t *testing.T) {
			path := "../testdata/azure-llm-2023/" + file
			rows, in, out, first, last := independentSums(t, path)
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			agg := NewAggregator(time.Minute, "us-east-1")
			sum, err := ImportRequestCSV(f, path, AzureTrace("meta.llama3-1-70b-instruct-v1:0"), agg)
			if err != nil {
				t.Fatal(err)
			}
			if sum.Rows != rows || sum.Skipped != 0 {
				t.Errorf("read %d rows (skipped %d), the file has %d", sum.Rows, sum.Skipped, rows)
			}
			if got := sum.First.Format("2006-01-02 15:04:05"); got != first {
				t.Errorf("first request %s, want %s", got, first)
			}
			if got := sum.Last.Format("2006-01-02 15:04:05"); got != last {
				t.Errorf("last request %s, want %s", got, last)
			}
			minutes := int(sum.Last.Truncate(time.Minute).Sub(sum.First.Truncate(time.Minute))/time.Minute) + 1
			m, err := agg.Metrics()
			if err != nil {
				t.Fatal(err)
			}
			if len(m.Series) != 1 {
				t.Fatalf("%d series", len(m.Series))
			}
			s := m.Series[0]
			tot := s.Totals()
			if tot.Invocations != float64(rows) || tot.InputTokens != in || tot.OutputTokens != out {
				t.Errorf("totals %+v, want %d requests, %v in, %v out", tot, rows, in, out)
			}
			if len(s.Gaps()) != 0 || s.Len() != minutes || s.Start[0]%60 != 0 {
				t.Errorf("%d minutes from %s, gaps %v", s.Len(), s.Time(0), s.Gaps())
			}
			// The round trip through the metrics CSV keeps every count.
			var buf bytes.Buffer
			if err := WriteMetrics(&buf, m); err != nil {
				t.Fatal(err)
			}
			back, err := ReadMetrics(&buf, "x")
			if err != nil || back.Series[0].Totals() != tot {
				t.Errorf("round trip: %v", err)
			}
		})
	}
}

func TestImportRequestCSVErrors(t *testing.T) {
	spec := RequestCSV{TimeCol: "ts", InputCol: "in", OutputCol: "out", ModelCol: "model"}
	cases := []struct {
		name, in, want string
		spec           RequestCSV
	}{
		{"missing column", "ts,input,out,model\n", `r.csv:1: no column "in" (--input-col); did you mean "input"?; the columns are ts,input,out,model`, spec},
		{"bad time", "ts,in,out,model\nnoon,1,2,m\n", `r.csv:2: ts: "noon" is not a time (RFC 3339, or 2006-01-02 15:04:05.fffffff; --time-format sets another) (or --skip-bad)`, spec},
		{"negative", "ts,in,out,model\n2026-11-02T00:00:00Z,-1,2,m\n", "r.csv:2: in: -1 is negative (or --skip-bad)", spec},
		{"NaN", "ts,in,out,model\n2026-11-02T00:00:00Z,1,NaN,m\n", "r.csv:2: out: NaN is not a count (leave latency cells empty when there is no value) (or --skip-bad)", spec},
		{"no model", "ts,in,out\n", "say which model the requests are for: a model column or a model id", RequestCSV{TimeCol: "ts", InputCol: "in", OutputCol: "out"}},
		{"bad layout", "ts,in,out,model\n02/11/2026,1,2,m\n", `r.csv:2: ts: "02/11/2026" does not match --time-format "2006-01-02" (or --skip-bad)`,
			RequestCSV{TimeCol: "ts", InputCol: "in", OutputCol: "out", ModelCol: "model", TimeFormat: "2006-01-02"}},
		{"empty", "", "r.csv: empty file", spec},
		{"only bad rows skipped", "ts,in,out,model\nx,1,1,m\n", "r.csv: no usable rows", RequestCSV{TimeCol: "ts", InputCol: "in", OutputCol: "out", ModelCol: "model", SkipBad: true}},
	}
	for _, c := range cases {
		_, err := ImportRequestCSV(strings.NewReader(c.in), "r.csv", c.spec, NewAggregator(time.Minute, ""))
		if err == nil || err.Error() != c.want {
			t.Errorf("%s:\ngot  %v\nwant %s", c.name, err, c.want)
		}
	}
	// --skip-bad counts what it skips; unix-ms times; a model column.
	in := "ts,in,out,model\n1762041600000,10,1,a\nbad,1,1,a\n1762041630500,5,2,b\n1762041720000,1,1,a\n"
	agg := NewAggregator(time.Minute, "r")
	sum, err := ImportRequestCSV(strings.NewReader(in), "r.csv", RequestCSV{TimeCol: "ts", InputCol: "in", OutputCol: "out", ModelCol: "model", TimeFormat: "unix-ms", SkipBad: true}, agg)
	if err != nil || sum.Rows != 4 || sum.Skipped != 1 {
		t.Fatalf("%+v %v", sum, err)
	}
	m, _ := agg.Metrics()
	a := m.Series[0]
	if a.ModelID != "a" || a.Len() != 3 || a.Invocations[1] != 0 || a.InputTokens[0] != 10 {
		t.Errorf("model a: %+v", a)
	}
}

func TestImportInvocationLogs(t *testing.T) {
	logs := `{"schemaType":"ModelInvocationLog","timestamp":"2026-11-02T09:00:05Z","modelId":"anthropic.claude-3-haiku-20240307-v1:0","identity":{"arn":"arn:aws:iam::1:role/app"},"input":{"inputTokenCount":100,"cacheReadInputTokenCount":40},"output":{"outputTokenCount":20}}
{"timestamp":"2026-11-02T09:00:35.250Z","modelId":"anthropic.claude-3-haiku-20240307-v1:0","input":{"inputTokenCount":50},"output":{"outputTokenCount":10}}

{"timestamp":"2026-11-02T09:02:00Z","modelId":"anthropic.claude-3-haiku-20240307-v1:0","input":{"inputTokenCount":7},"output":{"outputTokenCount":3}}
`
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	w.Write([]byte(logs))
	w.Close()
	for name, data := range map[string][]byte{"plain": []byte(logs), "gzip": gz.Bytes()} {
		agg := NewAggregator(time.Minute, "us-east-1")
		sum, err := ImportInvocationLogs(bytes.NewReader(data), "logs.jsonl", false, agg)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		m, _ := agg.Metrics()
		s := m.Series[0]
		if sum.Rows != 3 || s.Len() != 3 || s.Invocations[0] != 2 || s.InputTokens[0] != 150 || s.CacheRead[0] != 40 || s.Invocations[1] != 0 || s.OutputTokens[2] != 3 {
			t.Errorf("%s: %+v %+v", name, sum, s)
		}
	}
	for _, c := range []struct{ in, want string }{
		{"{not json}\n", "logs.jsonl:1: record: not a JSON object: invalid character 'n' looking for beginning of object key string (or --skip-bad)"},
		{`{"timestamp":"yesterday","modelId":"m","input":{"inputTokenCount":1},"output":{"outputTokenCount":1}}`, `logs.jsonl:1: timestamp: "yesterday" is not an RFC 3339 time (or --skip-bad)`},
		{`{"timestamp":"2026-11-02T09:00:05Z","modelId":"m","input":{},"output":{"outputTokenCount":1}}`, "logs.jsonl:1: input.inputTokenCount: missing (or --skip-bad)"},
		{"\n\n", "logs.jsonl: no usable records"},
	} {
		_, err := ImportInvocationLogs(strings.NewReader(c.in), "logs.jsonl", false, NewAggregator(time.Minute, ""))
		if err == nil || err.Error() != c.want {
			t.Errorf("got  %v\nwant %s", err, c.want)
		}
	}
}

func TestImportGetMetricData(t *testing.T) {
	// As `aws cloudwatch get-metric-data` prints it: newest first, and no
	// Sum point for the idle minute 09:01.
	in := `{"MetricDataResults":[
 {"Id":"inv","Label":"amazon.nova-pro-v1:0 Invocations","Timestamps":["2026-11-02T09:03:00+00:00","2026-11-02T09:02:00+00:00","2026-11-02T09:00:00+00:00"],"Values":[1,3,5],"StatusCode":"Complete"},
 {"Id":"in","Label":"amazon.nova-pro-v1:0 InputTokenCount","Timestamps":["2026-11-02T09:02:00+00:00","2026-11-02T09:00:00+00:00"],"Values":[300,500],"StatusCode":"Complete"},
 {"Id":"out","Label":"amazon.nova-pro-v1:0 OutputTokenCount","Timestamps":["2026-11-02T09:02:00+00:00","2026-11-02T09:00:00+00:00"],"Values":[30,50],"StatusCode":"Complete"},
 {"Id":"lat_p90","Label":"amazon.nova-pro-v1:0 InvocationLatency p90","Timestamps":["2026-11-02T09:00:00+00:00"],"Values":[812],"StatusCode":"Complete"}
],"Messages":[]}`
	m, sum, err := ImportGetMetricData(strings.NewReader(in), "gmd.json", "", "us-east-1", 0)
	if err != nil {
		t.Fatal(err)
	}
	s := m.Series[0]
	if s.ModelID != "amazon.nova-pro-v1:0" || s.Period != time.Minute || s.Len() != 4 || sum.Rows != 8 {
		t.Fatalf("%+v %+v", s, sum)
	}
	if s.Invocations[1] != 0 || s.InputTokens[2] != 300 || s.LatencyP90Ms[0] != 812 || !math.IsNaN(s.LatencyP90Ms[1]) {
		t.Errorf("%v %v %v", s.Invocations, s.InputTokens, s.LatencyP90Ms)
	}
	for _, c := range []struct{ in, want string }{
		{`{"MetricDataResults":[{"Id":"x","Label":"CPUUtilization","Timestamps":[],"Values":[]}]}`, `gmd.json: MetricDataResults[0] (Id "x"): Label "CPUUtilization" names none of the metrics CacheReadInputTokens, CacheWriteInputTokens, InputTokenCount, InvocationLatency, InvocationThrottles, Invocations, OutputTokenCount`},
		{`{"MetricDataResults":[{"Id":"x","Label":"Invocations","Timestamps":["2026-11-02T09:00:00Z"],"Values":[1]}]}`, `gmd.json: MetricDataResults[0] (Id "x"): no model in Label "Invocations"; put it before the metric name or pass --model`},
		{`{"MetricDataResults":[{"Id":"x","Label":"m Invocations","Timestamps":["2026-11-02T09:00:00Z"],"Values":[1,2]}]}`, `gmd.json: MetricDataResults[0] (Id "x"): 1 timestamps but 2 values`},
		{`[]`, "gmd.json: not get-metric-data JSON: json: cannot unmarshal array into Go value of type workload.getMetricDataOutput"},
	} {
		_, _, err := ImportGetMetricData(strings.NewReader(c.in), "gmd.json", "", "", 0)
		if err == nil || err.Error() != c.want {
			t.Errorf("got  %v\nwant %s", err, c.want)
		}
	}
}

func FuzzImportRequestCSV(f *testing.F) {
	f.Add([]byte("TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46.6805900,374,44\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		agg := NewAggregator(time.Minute, "")
		if _, err := ImportRequestCSV(bytes.NewReader(data), "f.csv", AzureTrace("m"), agg); err == nil {
			if m, err := agg.Metrics(); err == nil {
				checkRoundTrip(t, m)
			}
		}
	})
}

func FuzzImportInvocationLogs(f *testing.F) {
	f.Add([]byte(`{"timestamp":"2026-11-02T09:00:05Z","modelId":"m","input":{"inputTokenCount":1},"output":{"outputTokenCount":1}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		agg := NewAggregator(time.Minute, "")
		if _, err := ImportInvocationLogs(bytes.NewReader(data), "f.jsonl", true, agg); err == nil {
			if m, err := agg.Metrics(); err == nil {
				checkRoundTrip(t, m)
			}
		}
	})
}

func FuzzImportGetMetricData(f *testing.F) {
	f.Add([]byte(`{"MetricDataResults":[{"Id":"a","Label":"m Invocations","Timestamps":["2026-11-02T09:00:00Z","2026-11-02T09:05:00Z"],"Values":[1,2]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if m, _, err := ImportGetMetricData(bytes.NewReader(data), "f.json", "", "", 0); err == nil {
			checkRoundTrip(t, m)
		}
	})
}

// checkRoundTrip: whatever an importer accepts, the metrics CSV can hold.
// Outputs of more than 100,000 rows (two requests years apart make
// millions of idle minutes) are left to the unit tests: writing them
// would stall the fuzzer on one input.
func checkRoundTrip(t *testing.T, m *Metrics) {
	t.Helper()
	rows := 0
	for _, s := range m.Series {
		rows += s.Len()
	}
	if rows > 100_000 {
		return
	}
	var buf bytes.Buffer
	if err := WriteMetrics(&buf, m); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadMetrics(&buf, "x.csv"); err != nil {
		t.Fatalf("import output does not read back: %v", err)
	}
}

// TestBurstRatioAzure: the conversation trace's busiest minute per
// 5-minute interval is 1.18x the interval's mean; the default ratio is
// fitted to it.
func TestBurstRatioAzure(t *testing.T) {
	f, err := os.Open("../testdata/azure-llm-2023/AzureLLMInferenceTrace_conv.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	agg := NewAggregator(time.Minute, "")
	if _, err := ImportRequestCSV(f, "conv", AzureTrace("m"), agg); err != nil {
		t.Fatal(err)
	}
	m, _ := agg.Metrics()
	for _, c := range []struct {
		period time.Duration
		want   float64
	}{{5 * time.Minute, 1.183}, {15 * time.Minute, 1.456}} {
		r, n, err := BurstRatio(m.Series[0], c.period)
		if err != nil || math.Abs(r-c.want) > 0.001 || n < 4 {
			t.Errorf("%s: ratio %.4f over %d buckets (%v), want %.3f", c.period, r, n, err, c.want)
		}
		if d := DefaultBurstRatio(c.period); math.Abs(d-c.want) > 0.02 {
			t.Errorf("default for %s = %.3f, fitted value %.3f", c.period, d, c.want)
		}
	}
	if _, _, err := BurstRatio(m.Series[0], 90*time.Second); err == nil {
		t.Error("1-minute data against 90 s intervals accepted")
	}
	if DefaultBurstRatio(time.Minute) != 1 || math.Abs(DefaultBurstRatio(time.Hour)-1.814) > 0.01 {
		t.Errorf("defaults: 1 min %v, 1 h %v", DefaultBurstRatio(time.Minute), DefaultBurstRatio(time.Hour))
	}
}
