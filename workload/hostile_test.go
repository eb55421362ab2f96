package workload

import (
	"strings"
	"testing"
	"time"
)

// TestHostileImports: each importer refuses values out of range, times
// outside 2000-2099, duplicates and trailing garbage, with the file, line
// (or element) and field, and the limit.
func TestHostileImports(t *testing.T) {
	requests := RequestCSV{TimeCol: "ts", InputCol: "in", OutputCol: "out", Model: "m", TimeFormat: "auto"}
	unix := requests
	unix.TimeFormat = "unix"
	for _, c := range []struct {
		name, in string
		spec     RequestCSV
		want     string
	}{
		{"huge tokens", "ts,in,out\n2026-11-02T09:00:00Z,1e300,1\n", requests, "r.csv:2: in: 1e300 is too large: at most 1e9 tokens in one request (or --skip-bad)"},
		{"NaN tokens", "ts,in,out\n2026-11-02T09:00:00Z,1,NaN\n", requests, "r.csv:2: out: NaN is not a count"},
		{"epoch", "ts,in,out\n1970-01-01T00:00:00Z,1,1\n", requests, "r.csv:2: ts: 1970-01-01T00:00:00Z is outside the years 2000 to 2099 (or --skip-bad)"},
		{"unix far away", "ts,in,out\n1e300,1,1\n", unix, "r.csv:2: ts: 1e300 is outside the years 2000 to 2099 as a unix time (or --skip-bad)"},
		{"unix negative", "ts,in,out\n-5,1,1\n", unix, "r.csv:2: ts: -5 is outside the years 2000 to 2099 as a unix time (or --skip-bad)"},
	} {
		_, err := ImportRequestCSV(strings.NewReader(c.in), "r.csv", c.spec, NewAggregator(time.Minute, ""))
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%s: got %v\nwant %s", c.name, err, c.want)
		}
	}
	for _, c := range []struct{ name, in, want string }{
		{"huge tokens", `{"timestamp":"2026-11-02T09:00:05Z","modelId":"m","input":{"inputTokenCount":1e300},"output":{"outputTokenCount":1}}`,
			"logs.jsonl:1: input.inputTokenCount: 1e+300 is too large: at most 1e9 tokens in one request (or --skip-bad)"},
		{"negative cache", `{"timestamp":"2026-11-02T09:00:05Z","modelId":"m","input":{"inputTokenCount":1,"cacheWriteInputTokenCount":-1},"output":{"outputTokenCount":1}}`,
			"logs.jsonl:1: input.cacheWriteInputTokenCount: -1 is negative (or --skip-bad)"},
		{"year 9999", `{"timestamp":"9999-11-02T09:00:05Z","modelId":"m","input":{"inputTokenCount":1},"output":{"outputTokenCount":1}}`,
			"logs.jsonl:1: timestamp: 9999-11-02T09:00:05Z is outside the years 2000 to 2099 (or --skip-bad)"},
		{"trailing garbage", `{"timestamp":"2026-11-02T09:00:05Z","modelId":"m","input":{"inputTokenCount":1},"output":{"outputTokenCount":1}} x`,
			"logs.jsonl:1: record: not a JSON object: invalid character 'x' after top-level value (or --skip-bad)"},
	} {
		_, err := ImportInvocationLogs(strings.NewReader(c.in), "logs.jsonl", false, NewAggregator(time.Minute, ""))
		if err == nil || err.Error() != c.want {
			t.Errorf("%s: got  %v\nwant %s", c.name, err, c.want)
		}
	}
	gmd := func(results string) string { return `{"MetricDataResults":[` + results + `]}` }
	inv := `{"Id":"a","Label":"m Invocations","Timestamps":["2026-11-02T09:00:00Z","2026-11-02T09:01:00Z"],"Values":[1,2]}`
	for _, c := range []struct{ name, in, want string }{
		{"trailing garbage", gmd(inv) + ` {"MetricDataResults":[]}`, "gmd.json: more after the JSON document (from byte 134): want the output of one get-metric-data call"},
		{"duplicate timestamp", gmd(`{"Id":"a","Label":"m Invocations","Timestamps":["2026-11-02T09:00:00Z","2026-11-02T09:00:00Z"],"Values":[1,2]}`),
			`gmd.json: MetricDataResults[0] (Id "a"): Timestamps[1]: a second Invocations point for m at 2026-11-02T09:00:00Z; each metric of a model has one point per time`},
		{"duplicate result", gmd(inv + "," + strings.Replace(inv, `"a"`, `"b"`, 1)),
			`gmd.json: MetricDataResults[1] (Id "b"): Timestamps[0]: a second Invocations point for m at 2026-11-02T09:00:00Z; each metric of a model has one point per time`},
		{"huge value", gmd(`{"Id":"a","Label":"m Invocations","Timestamps":["2026-11-02T09:00:00Z"],"Values":[1e300]}`),
			`gmd.json: MetricDataResults[0] (Id "a"): Values[0]: 1e+300 is too large: at most 1e15`},
		{"epoch", gmd(`{"Id":"a","Label":"m Invocations","Timestamps":["1970-01-01T00:00:00Z"],"Values":[1]}`),
			`gmd.json: MetricDataResults[0] (Id "a"): Timestamps[0]: 1970-01-01T00:00:00Z is outside the years 2000 to 2099`},
	} {
		_, _, err := ImportGetMetricData(strings.NewReader(c.in), "gmd.json", "", "", 0)
		if err == nil || err.Error() != c.want {
			t.Errorf("%s: got  %v\nwant %s", c.name, err, c.want)
		}
	}
	// A bin that sums past the per-interval limit is refused, not written
	// as a file ReadMetrics would refuse.
	agg := NewAggregator(time.Minute, "")
	for range 1_000_001 {
		agg.Add(Request{Time: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC), ModelID: "m", InputTokens: MaxRequestTokens})
	}
	if _, err := agg.Metrics(); err == nil || !strings.Contains(err.Error(), "holds more than 1e15 requests or tokens") {
		t.Errorf("overfull bin: %v", err)
	}
}
