package main

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bedrockplan/bedrockplan/internal/hostiletest"
)

// smallMetrics is two days of hourly traffic: enough for recommend and
// simulate, and quick to replay.
func smallMetrics() string {
	var b strings.Builder
	b.WriteString("timestamp,model_id,region,period_s,invocations,input_tokens,output_tokens\n")
	for h := range 48 {
		day, hour := 2+h/24, h%24
		b.WriteString("2026-11-0" + strconv.Itoa(day) + "T" + twoDigits(hour) + ":00:00Z,meta.llama3-1-70b-instruct-v1:0,us-west-2,3600,600,600000,150000\n")
	}
	return b.String()
}

// snapshot lists every file and folder under dir with a hash of its
// content: two equal snapshots mean nothing was written, deleted or
// replaced.
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	var lines []string
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, _ := os.Readlink(path)
			lines = append(lines, rel+" -> "+target)
		case d.IsDir():
			lines = append(lines, rel+"/")
		default:
			data, _ := os.ReadFile(path)
			h := sha256.Sum256(data)
			lines = append(lines, rel+" "+hex.EncodeToString(h[:8]))
		}
		return nil
	})
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// TestHostileInputs is the sweep of issue 15: hostile inputs, each with
// the exit status and message it must get, and nothing written: the
// working folder (inputs, an existing report, everything) is the same
// after the run, byte for byte. README "Hostile inputs" counts the cases.
func TestHostileInputs(t *testing.T) {
	tmp := t.TempDir()
	t.Chdir(tmp)
	write := func(name, content string) string {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return name
	}
	metrics := write("in/metrics.csv", smallMetrics())
	// An existing report folder, with the inputs it was made from inside
	// it and a sub-folder of the user's.
	if _, stderr, code := runCLI(t, "recommend", "--metrics", metrics, "--mu-input-tpm", "100000", "--mu-output-tpm", "30000", "--scenarios", "0", "--out", "par/rep"); code != 0 {
		t.Fatal(stderr)
	}
	write("par/rep/metrics.csv", smallMetrics())
	write("par/rep/notes/mine.txt", "the user's own notes")
	write("par/rep/quotas.yaml", "models:\n  meta.llama3-1-70b-instruct-v1:0:\n    regions:\n      us-west-2:\n        quotas: {rpm: 400, source: x}\n")
	write("par/rep/prices.yaml", "models: {}\n")
	write("par/rep/pt.yaml", "model_id: meta.llama3-1-70b-instruct-v1:0\nrouting: spillover\ncommitted:\n  - {model_units: 1, term: none, start: 2026-11-02T00:00:00Z}\n")
	write("par/rep/existing.yaml", "model_id: meta.llama3-1-70b-instruct-v1:0\nrouting: spillover\n")
	if err := os.Symlink("par/rep", "link"); err != nil {
		t.Fatal(err)
	}
	row := func(rows ...string) string {
		return "timestamp,model_id,region,period_s,invocations,input_tokens,output_tokens\n" + strings.Join(rows, "\n") + "\n"
	}
	const ok = "2026-11-02T00:00:00Z,meta.llama3-1-70b-instruct-v1:0,us-west-2,60,1,1,1"
	bad := func(name, content string) string { return write("bad/"+name, content) }
	plan := "model_id: meta.llama3-1-70b-instruct-v1:0\nrouting: spillover\n"
	mu := []string{"--mu-input-tpm", "100000", "--mu-output-tpm", "30000", "--scenarios", "0"}
	rec := func(extra ...string) []string {
		return append(append([]string{"recommend", "--metrics", metrics, "--out", "new"}, mu...), extra...)
	}
	recOn := func(file string) []string {
		return append([]string{"recommend", "--metrics", file, "--out", "new"}, mu...)
	}
	sim := func(planFile string) []string {
		return append([]string{"simulate", "--metrics", metrics, "--plan", planFile, "--out", "new"}, mu...)
	}
	imp := func(extra ...string) []string {
		return append([]string{"import", "--model", "m", "--out", "new.csv"}, extra...)
	}
	const (
		parsers = "parsers"
		files   = "losing files"
		flags   = "flags and messages"
		servers = "hostile servers"
	)
	// Hostile endpoints: one server per way of misbehaving, standing in
	// for every AWS service. Two attempts a call (AWS_MAX_ATTEMPTS)
	// instead of eight keep the retried 500s quick; --timeout 1s bounds
	// the server that never answers.
	awsEnv(t, "", "")
	t.Setenv("AWS_MAX_ATTEMPTS", "2")
	hostile := map[hostiletest.Mode]string{}
	for _, m := range hostiletest.Modes() {
		srv := hostiletest.New(m)
		t.Cleanup(srv.Close)
		hostile[m] = srv.URL
	}
	against := func(m hostiletest.Mode, args ...string) []string {
		return append(args, "--timeout", "1s", "--endpoint-url", hostile[m])
	}
	fetch := func(m hostiletest.Mode) []string {
		return against(m, "fetch", "--models", "amazon.titan-text-express-v1", "--since", "1h", "--out", "new.csv")
	}
	account := func(m hostiletest.Mode) []string {
		return against(m, "account", "--region", "us-east-1", "--out", "new")
	}
	priceUpdate := func(m hostiletest.Mode) []string {
		return against(m, "pricing", "update", "--region", "us-east-1", "--out", "new.yaml")
	}
	probeRun := func(m hostiletest.Mode, api string) []string {
		return against(m, "probe", "--target", "amazon.titan-text-express-v1", "--api", api, "--max-requests", "3", "--max-cost", "1", "--yes", "--out", "probed")
	}
	const (
		silent    = "AWS sent nothing for 1s (--timeout); check the network and --endpoint-url, or raise --timeout"
		notFormat = "AWS (or something between) sent HTTP 200 OK with an answer that is not the service's format"
		page      = "AWS (or something between) sent HTTP 500 Internal Server Error with an answer that is not the service's format (2 attempts)"
		cut       = "AWS (or something between) sent HTTP 200 OK with an answer cut short"
	)
	cases := []struct {
		class string
		args  []string
		code  int
		want  string
	}{
		// Metrics CSV: every field checked for type, range and meaning.
		{parsers, recOn(bad("nan.csv", row("2026-11-02T00:00:00Z,meta.llama3-1-70b-instruct-v1:0,us-west-2,60,NaN,1,1"))), 1, "bad/nan.csv:2: invocations: NaN is not a count"},
		{parsers, recOn(bad("inf.csv", row("2026-11-02T00:00:00Z,meta.llama3-1-70b-instruct-v1:0,us-west-2,60,1,Inf,1"))), 1, `bad/inf.csv:2: input_tokens: "Inf" is infinite or out of range: at most 1e15`},
		{parsers, recOn(bad("huge.csv", row("2026-11-02T00:00:00Z,meta.llama3-1-70b-instruct-v1:0,us-west-2,60,1e300,1,1"))), 1, "bad/huge.csv:2: invocations: 1e300 is too large: at most 1e15"},
		{parsers, recOn(bad("neg.csv", row("2026-11-02T00:00:00Z,meta.llama3-1-70b-instruct-v1:0,us-west-2,60,1,1,-1"))), 1, "bad/neg.csv:2: output_tokens: -1 is negative"},
		{parsers, recOn(bad("dup.csv", row(ok, ok))), 1, "bad/dup.csv:3: timestamp: duplicate 2026-11-02T00:00:00Z"},
		{parsers, recOn(bad("order.csv", row(strings.Replace(ok, "00:00:00Z", "00:05:00Z", 1), ok))), 1, "bad/order.csv:3: timestamp: 2026-11-02T00:00:00Z is before 2026-11-02T00:05:00Z on line 2"},
		{parsers, recOn(bad("garbage.csv", row(ok+",trailing"))), 1, "bad/garbage.csv:2: 8 fields, but the header has 7 (a comma too many or too few?)"},
		{parsers, recOn(bad("period.csv", row(strings.Replace(ok, ",60,", ",10000000000,", 1)))), 1, "bad/period.csv:2: period_s: 10000000000 is too long: at most 604800 (a week)"},
		{parsers, recOn(bad("epoch.csv", row(strings.Replace(ok, "2026-11-02", "1970-01-01", 1)))), 1, "bad/epoch.csv:2: timestamp: 1970-01-01T00:00:00Z is outside the years 2000 to 2099"},
		{parsers, recOn(bad("span.csv", row(ok, strings.Replace(ok, "2026-11-02", "2090-11-02", 1)))), 1, "bad/span.csv:3: timestamp: 2090-11-02T00:00:00Z is 33661440 intervals of 60s after the first row"},
		{parsers, recOn(bad("latency.csv", "timestamp,model_id,period_s,invocations,input_tokens,output_tokens,latency_avg_ms\n2026-11-02T00:00:00Z,m,60,1,1,1,1e12\n")), 1, "bad/latency.csv:2: latency_avg_ms: 1e12 is too large: at most 86400000 ms (a day)"},
		// Plan YAML.
		{parsers, sim(bad("two.yaml", plan+"---\n"+plan)), 1, "bad/two.yaml:3: a second YAML document (after ---); one file holds one document"},
		{parsers, sim(bad("local.yaml", plan+"timezone: Local\n")), 1, `bad/local.yaml:3: timezone: "Local" is whatever zone the machine is set to`},
		{parsers, sim(bad("units.yaml", plan+"committed:\n  - {model_units: 1000000, term: none, start: 2026-11-02T00:00:00Z}\n")), 1, "bad/units.yaml:4: committed[0].model_units: 1000000: at most 10000"},
		{parsers, sim(bad("start.yaml", plan+"committed:\n  - {model_units: 1, term: none, start: 0001-01-01T00:00:00Z}\n")), 1, `bad/start.yaml:4: committed[0].start: "0001-01-01T00:00:00Z" is outside the years 2000 to 2099`},
		{parsers, rec("--existing", bad("existing.yaml", plan+"---\n"+plan)), 1, "bad/existing.yaml:4: a second plan for meta.llama3-1-70b-instruct-v1:0"},
		// Pricing YAML (--pricing and --account-quotas).
		{parsers, rec("--pricing", bad("two-prices.yaml", "models: {}\n---\nmodels: {}\n")), 1, "bad/two-prices.yaml:2: a second YAML document"},
		{parsers, rec("--pricing", bad("inf.yaml", "models:\n  m:\n    regions:\n      r:\n        quotas: {tpm: .inf}\n")), 1, `bad/inf.yaml:5: models["m"].regions["r"].quotas.tpm: +Inf: at most 1e15`},
		{parsers, rec("--account-quotas", bad("nan.yaml", "models:\n  m:\n    regions:\n      r:\n        mu_throughput: {input_tpm: .nan, output_tpm: 1, provenance: unknown}\n")), 1, `bad/nan.yaml:5: models["m"].regions["r"].mu_throughput.input_tpm: NaN: want 0 to 1e15 tokens per minute`},
		// Imports.
		{parsers, imp("--period", "10000000000", metrics), 2, "import: --period 10000000000: at most 604800 seconds (a week)"},
		{parsers, imp("--period", "1e10", metrics), 2, `invalid value "1e10" for flag -period`},
		{parsers, imp("--timezone", "Local", metrics), 2, "import: --timezone Local is whatever zone this machine is set to"},
		{parsers, imp("--time-zone", "Local", metrics), 2, "import: --timezone Local is whatever zone this machine is set to"},
		{parsers, imp(bad("req.csv", "timestamp,input_tokens,output_tokens\n2026-11-02T00:00:00Z,1e300,1\n")), 1, "bad/req.csv:2: input_tokens: 1e300 is too large: at most 1e9 tokens in one request"},
		{parsers, imp(bad("req-time.csv", "timestamp,input_tokens,output_tokens\n9999-11-02T00:00:00Z,1,1\n")), 1, "bad/req-time.csv:2: timestamp: 9999-11-02T00:00:00Z is outside the years 2000 to 2099"},
		{parsers, imp("--format", "invocation-logs", bad("logs.jsonl", `{"timestamp":"2026-11-02T09:00:05Z","modelId":"m","input":{"inputTokenCount":-1},"output":{"outputTokenCount":1}}`+"\n")), 1,
			"bad/logs.jsonl:1: input.inputTokenCount: -1 is negative"},
		{parsers, imp("--format", "get-metric-data", bad("gmd.json", `{"MetricDataResults":[{"Id":"a","Label":"m Invocations","Timestamps":["2026-11-02T09:00:00Z"],"Values":[1]}]}{}`)), 1,
			"bad/gmd.json: more after the JSON document (from byte 109)"},
		{parsers, imp("--format", "get-metric-data", bad("gmd-dup.json", `{"MetricDataResults":[{"Id":"a","Label":"m Invocations","Timestamps":["2026-11-02T09:00:00Z","2026-11-02T09:00:00Z"],"Values":[1,2]}]}`)), 1,
			"a second Invocations point for m at 2026-11-02T09:00:00Z"},
		// Losing files: no output path, however named, replaces an input
		// or a folder holding one.
		{files, []string{"recommend", "--metrics", "par/rep/metrics.csv", "--out", "par/rep", "--force"}, 1, "--out par/rep holds the input par/rep/metrics.csv"},
		{files, append(rec("--account-quotas", "par/rep/quotas.yaml", "--force"), "--out", "par/rep"), 1, "holds the input par/rep/quotas.yaml"},
		{files, append(rec("--existing", "par/rep/existing.yaml", "--force"), "--out", "par/rep"), 1, "holds the input par/rep/existing.yaml"},
		{files, append(sim("par/rep/plan.yaml"), "--force", "--out", "par/rep"), 1, "holds the input par/rep/plan.yaml"},
		{files, []string{"recommend", "--metrics", "par/rep/metrics.csv", "--out", "par", "--force"}, 1, "--out par holds the input par/rep/metrics.csv"},
		{files, []string{"recommend", "--metrics", "link/metrics.csv", "--out", "par/rep", "--force"}, 1, "holds the input link/metrics.csv"},
		{files, []string{"recommend", "--metrics", "par/rep/metrics.csv", "--out", "link", "--force"}, 1, "holds the input par/rep/metrics.csv"},
		{files, []string{"report", "--from", "par/rep", "--out", "par", "--force"}, 1, "--out par holds the input par/rep"},
		{files, []string{"report", "--from", "par/rep", "--out", "par/rep/ja"}, 2, "report: --out par/rep/ja is inside --from par/rep"},
		{files, []string{"report", "--from", "par/rep", "--out", "in"}, 1, "--out in is not empty"},
		{files, append(rec(), "--out", "par/rep"), 1, "--out par/rep is not empty; choose a new folder or add --force"},
		{files, imp("--force", "--out", metrics, metrics), 2, "import: --out in/metrics.csv is also an input"},
		{files, []string{"probe", "--target", "amazon.titan-text-express-v1", "--pricing", "par/rep/prices.yaml", "--max-cost", "1", "--yes", "--force", "--out", "par/rep"}, 1,
			"--out par/rep holds the input par/rep/prices.yaml"},
		{files, []string{"probe", "--target", "amazon.titan-text-express-v1", "--plan", "par/rep/pt.yaml", "--mu-input-tpm", "100000", "--mu-output-tpm", "30000",
			"--max-cost", "1", "--yes", "--force", "--out", "par"}, 1, "--out par holds the input par/rep/pt.yaml"},
		// Flags and their messages.
		{flags, rec("--timezone", "Local"), 2, "--timezone Local is whatever zone this machine is set to"},
		{flags, []string{"recommend", "--metrics", metrics, "--out", "new", "--mu-input-tpm", "0", "--mu-output-tpm", "5"}, 2,
			"recommend: --mu-input-tpm 0: one model unit carries some tokens a minute; want more than 0 (up to 1e15)"},
		{flags, []string{"recommend", "--metrics", metrics, "--out", "new", "--mu-output-tpm", "0"}, 2, "recommend: --mu-output-tpm 0: one model unit carries some tokens a minute"},
		{flags, []string{"recommend", "--metrics", metrics, "--out", "new", "--mu-input-tpm", "5"}, 2, "give both --mu-input-tpm and --mu-output-tpm"},
		{flags, rec("--quota-tpm", "1e300"), 2, "recommend: --quota-tpm 1e+300: want 0 to 1e15"},
		{flags, rec("--mu-input-tpm", "NaN"), 2, "recommend: --mu-input-tpm NaN: want 0 to 1e15"},
		{flags, []string{"fetch", "--models", "m", "--timeout", "500ms", "--out", "new.csv"}, 2, "fetch: --timeout 500ms: want 1s to 1h"},
		// Hostile servers: the command says what came back, in words, and
		// writes nothing.
		{servers, fetch(hostiletest.Hang), 1, "bedrockplan: GetMetricData: " + silent + ", then re-run; nothing was written, new.csv is as it was"},
		{servers, fetch(hostiletest.Garbage), 1, "bedrockplan: GetMetricData failed: " + notFormat},
		{servers, fetch(hostiletest.ServerError), 1, "bedrockplan: GetMetricData failed: " + page},
		{servers, fetch(hostiletest.Truncated), 1, "bedrockplan: GetMetricData failed: " + cut},
		{servers, account(hostiletest.Hang), 1, "bedrockplan: quotas: ListServiceQuotas: " + silent},
		{servers, account(hostiletest.Garbage), 1, "bedrockplan: quotas: ListServiceQuotas failed: " + notFormat},
		{servers, account(hostiletest.ServerError), 1, "bedrockplan: quotas: ListServiceQuotas failed: " + page},
		{servers, account(hostiletest.Truncated), 1, "bedrockplan: quotas: ListServiceQuotas failed: " + cut},
		{servers, priceUpdate(hostiletest.Hang), 1, "bedrockplan: GetProducts: " + silent},
		{servers, priceUpdate(hostiletest.Garbage), 1, "bedrockplan: GetProducts failed: " + notFormat},
		{servers, priceUpdate(hostiletest.ServerError), 1, "bedrockplan: GetProducts failed: " + page},
		{servers, priceUpdate(hostiletest.Truncated), 1, "bedrockplan: GetProducts failed: " + cut},
		{servers, probeRun(hostiletest.Hang, "converse"), 1, "probe: every request failed (the last with InvokeModel: " + silent},
		{servers, probeRun(hostiletest.Garbage, "converse"), 1, "probe: every request failed (the last with InvokeModel failed: " + notFormat},
		{servers, probeRun(hostiletest.ServerError, "converse"), 1, "probe: every request failed (the last with InvokeModel failed: AWS (or something between) sent HTTP 500 Internal Server Error"},
		{servers, probeRun(hostiletest.Truncated, "converse"), 1, "probe: every request failed (the last with InvokeModel failed: " + cut},
		{servers, probeRun(hostiletest.Hang, "converse-stream"), 1, "probe: every request failed (the last with InvokeModel: " + silent},
		{servers, probeRun(hostiletest.Garbage, "converse-stream"), 1, "probe: every request failed (the service's answer could not be read (the SDK could not read the stream"},
		{servers, probeRun(hostiletest.Truncated, "invoke"), 1, "probe: every request failed (the last with InvokeModel failed: " + cut},
	}
	counts := map[string]int{}
	for _, c := range cases {
		counts[c.class]++
		before := snapshot(t, tmp)
		_, stderr, code := runCLI(t, c.args...)
		if code != c.code || !strings.Contains(stderr, c.want) {
			t.Errorf("bedrockplan %s\nexit %d, stderr:\n%s\nwant exit %d and %q", strings.Join(c.args, " "), code, stderr, c.code, c.want)
		}
		// The probe's progress line ("probing …") is not a message.
		msg := strings.TrimSpace(regexp.MustCompile(`(?m)^bedrockplan: probing .*\n`).ReplaceAllString(stderr, ""))
		// account runs four parts on their own and names each failure on
		// its line.
		if code == 1 && strings.Count(msg, "\n") > 0 && c.args[0] != "account" {
			// Each input here has one problem: one message, one line.
			t.Errorf("bedrockplan %s: more than one line:\n%s", strings.Join(c.args, " "), stderr)
		}
		if c.class == servers && c.args[0] == "probe" {
			// The probe keeps the record of its failed requests
			// (probe.csv), as it keeps what it measured when
			// interrupted: that folder is the one thing it may write.
			if _, err := os.Stat("probed/probe.csv"); err != nil {
				t.Errorf("bedrockplan %s: no record of the failures: %v", strings.Join(c.args, " "), err)
			}
			os.RemoveAll("probed")
		}
		if after := snapshot(t, tmp); after != before {
			t.Errorf("bedrockplan %s changed the files:\nbefore\n%s\nafter\n%s", strings.Join(c.args, " "), before, after)
		}
	}
	t.Logf("%d cases: %v", len(cases), counts)
}

// TestConcurrentRunsSameOut: two runs writing the same new folder at
// once never both succeed silently: one writes it, the other is refused
// (by the lock, or because the folder is no longer empty).
func TestConcurrentRunsSameOut(t *testing.T) {
	tmp := t.TempDir()
	metrics := filepath.Join(tmp, "m.csv")
	os.WriteFile(metrics, []byte(smallMetrics()), 0o644)
	out := filepath.Join(tmp, "out")
	var wg sync.WaitGroup
	codes := make([]int, 2)
	errs := make([]string, 2)
	for i := range codes {
		wg.Go(func() {
			_, errs[i], codes[i] = runCLI(t, "recommend", "--metrics", metrics, "--scenarios", "0", "--out", out)
		})
	}
	wg.Wait()
	if codes[0]+codes[1] != 1 {
		t.Fatalf("exit codes %v, want one 0 and one 1:\n%s\n%s", codes, errs[0], errs[1])
	}
	refused := errs[0] + errs[1]
	if !strings.Contains(refused, "is being written by another bedrockplan run") && !strings.Contains(refused, "is not empty") {
		t.Errorf("refusal: %s", refused)
	}
	if entries, _ := os.ReadDir(tmp); len(entries) != 2 {
		t.Errorf("left behind: %v", entries)
	}
}

// TestReportInPlaceKeepsSubfolders: re-rendering a folder in place keeps
// what the user put in it, sub-folders included.
func TestReportInPlaceKeepsSubfolders(t *testing.T) {
	tmp := t.TempDir()
	t.Chdir(tmp)
	os.WriteFile("m.csv", []byte(smallMetrics()), 0o644)
	if _, stderr, code := runCLI(t, "recommend", "--metrics", "m.csv", "--scenarios", "0", "--out", "rep"); code != 0 {
		t.Fatal(stderr)
	}
	os.MkdirAll("rep/notes/deep", 0o755)
	os.WriteFile("rep/notes/deep/mine.txt", []byte("keep me"), 0o644)
	for _, args := range [][]string{{"report", "--from", "rep"}, {"report", "--from", "rep", "--out", "./rep/../rep", "--lang", "ja", "--font", "none"}} {
		if _, stderr, code := runCLI(t, args...); code != 0 {
			t.Fatalf("%v: %s", args, stderr)
		}
		if data, err := os.ReadFile("rep/notes/deep/mine.txt"); err != nil || string(data) != "keep me" {
			t.Errorf("%v dropped the sub-folder: %v", args, err)
		}
	}
	if _, stderr, code := runCLI(t, "report", "--from", "rep", "--out", "copy"); code != 0 {
		t.Fatal(stderr)
	} else if _, err := os.Stat("copy/notes/deep/mine.txt"); err != nil {
		t.Errorf("the copy lacks the sub-folder: %v", err)
	}
}

// TestReportSymlinkLoops: links inside a report folder that point back
// up its tree are copied as links, not walked. Two of them used to make
// the copy branch 2^40 ways before the kernel's link limit stopped it.
func TestReportSymlinkLoops(t *testing.T) {
	tmp := t.TempDir()
	t.Chdir(tmp)
	os.WriteFile("m.csv", []byte(smallMetrics()), 0o644)
	if _, stderr, code := runCLI(t, "recommend", "--metrics", "m.csv", "--scenarios", "0", "--out", "rep"); code != 0 {
		t.Fatal(stderr)
	}
	os.MkdirAll("rep/notes", 0o755)
	os.WriteFile("outside.txt", []byte("linked file"), 0o644)
	links := map[string]string{"rep/self": ".", "rep/up": "..", "rep/notes/back": "../..", "rep/notes/gone": "nowhere", "rep/notes/file": "../../outside.txt"}
	for link, target := range links {
		if err := os.Symlink(target, link); err != nil {
			t.Fatal(err)
		}
	}
	for _, args := range [][]string{{"report", "--from", "rep"}, {"report", "--from", "rep", "--out", "copy"}} {
		done := make(chan struct{})
		var stderr string
		var code int
		go func() { _, stderr, code = runCLI(t, args...); close(done) }()
		select {
		case <-done:
		case <-time.After(time.Minute):
			t.Fatalf("%v still running after a minute: the copy is walking a link loop", args)
		}
		if code != 0 {
			t.Fatalf("%v: %s", args, stderr)
		}
		dir := args[len(args)-1]
		for link, target := range links {
			link = filepath.Join(dir, strings.TrimPrefix(link, "rep/"))
			if link == filepath.Join(dir, "notes/file") {
				// A link to a file is followed: the copy holds the content.
				if data, err := os.ReadFile(link); err != nil || string(data) != "linked file" {
					t.Errorf("%v: %s: %q %v", args, link, data, err)
				}
				continue
			}
			if got, err := os.Readlink(link); err != nil || got != target {
				t.Errorf("%v: %s -> %q (%v), want the link kept -> %q", args, link, got, err, target)
			}
		}
	}
}

// TestConcurrentImportsSameOut: two imports creating one file at once:
// one writes it, the other is refused (by the lock, or because the file
// now exists), never both. The temporary file of a killed import is
// removed by the next.
func TestConcurrentImportsSameOut(t *testing.T) {
	tmp := t.TempDir()
	req := filepath.Join(tmp, "req.csv")
	os.WriteFile(req, []byte("timestamp,input_tokens,output_tokens\n2026-11-02T00:00:00Z,10,5\n2026-11-02T00:01:30Z,20,5\n"), 0o644)
	out := filepath.Join(tmp, "out.csv")
	os.WriteFile(filepath.Join(tmp, ".out.csv.partial-4242"), []byte("timestamp,mo"), 0o644) // a killed import's
	for round := range 5 {
		os.Remove(out)
		var wg sync.WaitGroup
		codes := make([]int, 2)
		errs := make([]string, 2)
		for i := range codes {
			wg.Go(func() {
				_, errs[i], codes[i] = runCLI(t, "import", "--model", "m", "--out", out, req)
			})
		}
		wg.Wait()
		if codes[0]+codes[1] != 1 {
			t.Fatalf("round %d: exit codes %v, want one 0 and one 1:\n%s\n%s", round, codes, errs[0], errs[1])
		}
		refused := errs[0] + errs[1]
		if !strings.Contains(refused, "is being written by another bedrockplan run") && !strings.Contains(refused, "exists; add --force to replace it") {
			t.Errorf("refusal: %s", refused)
		}
		if entries, _ := os.ReadDir(tmp); len(entries) != 2 {
			t.Errorf("round %d left behind: %v", round, entries)
		}
	}
}

// TestExtremeValuesBounded: work is bounded by the data's size, not its
// values. Throughput flags in the wrong unit (1e-6 or 1 token a minute),
// the largest counts a metrics file may hold, quotas and MU limits at
// and past their ceilings: each run ends within a bound, with a message
// when refused. Before the model-unit limit, the first two ran for
// minutes and grew to gigabytes.
func TestExtremeValuesBounded(t *testing.T) {
	tmp := t.TempDir()
	t.Chdir(tmp)
	os.WriteFile("m.csv", []byte(smallMetrics()), 0o644)
	var huge, spiky strings.Builder
	huge.WriteString("timestamp,model_id,region,period_s,invocations,input_tokens,output_tokens\n")
	spiky.WriteString(huge.String())
	for h := range 48 {
		ts := "2026-11-0" + strconv.Itoa(2+h/24) + "T" + twoDigits(h%24) + ":00:00Z,amazon.titan-text-express-v1,us-east-1,3600,"
		huge.WriteString(ts + "1e15,1e15,1e15\n")
		if h%7 == 0 {
			spiky.WriteString(ts + "1e15,1e15,1e15\n")
		} else {
			spiky.WriteString(ts + "0,0,0\n")
		}
	}
	os.WriteFile("huge.csv", []byte(huge.String()), 0o644)
	os.WriteFile("spiky.csv", []byte(spiky.String()), 0o644)
	const bound = 60 * time.Second // generous: -race on a loaded 2-core machine
	needs := "model units at"
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--mu-input-tpm", "1e-6", "--mu-output-tpm", "1e-6"}, 1, needs},
		{[]string{"--mu-input-tpm", "1", "--mu-output-tpm", "1"}, 1, "the busiest interval needs 18141 model units at 1 input and 1 output tokens a minute"},
		{[]string{"--mu-input-tpm", "0.01", "--mu-output-tpm", "0.01"}, 1, "bedrockplan sizes at most 10000, a plan block's limit"},
		{[]string{"--mu-input-tpm", "1e15", "--mu-output-tpm", "1e15"}, 0, ""},
		{[]string{"--mu-input-tpm", "100000", "--mu-output-tpm", "30000", "--quota-tpm", "1e15", "--quota-rpm", "1e15"}, 0, ""},
		{[]string{"--mu-input-tpm", "100000", "--mu-output-tpm", "30000", "--min-mu", "1000000000"}, 2, "at most 10000 model units"},
		{[]string{"--mu-input-tpm", "100000", "--mu-output-tpm", "30000", "--max-mu", "1000000000"}, 2, "at most 10000 model units"},
		{[]string{"--mu-input-tpm", "100000", "--mu-output-tpm", "30000", "--min-mu", "10000"}, 0, ""},
		{[]string{"--mu-input-tpm", "100000", "--mu-output-tpm", "30000", "--max-throttle", "50%", "--min-mu", "10000"}, 0, ""},
		{[]string{"--metrics", "huge.csv", "--mu-input-tpm", "100000", "--mu-output-tpm", "30000"}, 1, needs},
		{[]string{"--metrics", "huge.csv", "--mu-input-tpm", "1e15", "--mu-output-tpm", "1e15"}, 0, ""},
		{[]string{"--metrics", "huge.csv"}, 0, ""}, // throughput unknown: the break-even
		{[]string{"--metrics", "spiky.csv", "--mu-input-tpm", "1e12", "--mu-output-tpm", "1e12", "--max-throttle", "1%"}, 0, ""},
	} {
		args := append([]string{"recommend", "--metrics", "m.csv", "--scenarios", "100", "--out", "out", "--force"}, c.args...)
		start := time.Now()
		_, stderr, code := runCLI(t, args...)
		took := time.Since(start)
		if code != c.code || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, want %d and %q:\n%s", c.args, code, c.code, c.want, stderr)
		}
		if took > bound {
			t.Errorf("%v took %v, more than %v", c.args, took, bound)
		}
		t.Logf("%v: exit %d in %v", c.args, code, took.Round(time.Millisecond))
	}
}

// TestHangingServerDeadline: against an endpoint that accepts every
// request and never answers, each command gives up after --timeout per
// request (a silent request is not retried) and says so; the default
// deadline is a minute, 15 for the probe.
func TestHangingServerDeadline(t *testing.T) {
	srv := hostiletest.New(hostiletest.Hang)
	defer srv.Close()
	awsEnv(t, "", "")
	dir := t.TempDir()
	for _, c := range []struct {
		args  []string
		calls int // requests the command makes before giving up
		want  string
	}{
		{[]string{"fetch", "--models", "amazon.titan-text-express-v1", "--since", "1h", "--out", filepath.Join(dir, "m.csv")}, 1, "GetMetricData: AWS sent nothing for 1s (--timeout)"},
		{[]string{"account", "--region", "us-east-1", "--out", filepath.Join(dir, "a")}, 4, "lifecycle: ListFoundationModels: AWS sent nothing for 1s (--timeout)"},
		{[]string{"pricing", "update", "--region", "us-east-1", "--out", filepath.Join(dir, "p.yaml")}, 1, "GetProducts: AWS sent nothing for 1s (--timeout)"},
		{[]string{"probe", "--target", "amazon.titan-text-express-v1", "--max-requests", "2", "--max-cost", "1", "--yes", "--out", filepath.Join(dir, "p")}, 2,
			"InvokeModel: AWS sent nothing for 1s (--timeout)"},
	} {
		before := srv.Calls()
		start := time.Now()
		_, stderr, code := runCLI(t, append(c.args, "--timeout", "1s", "--endpoint-url", srv.URL)...)
		took := time.Since(start)
		t.Logf("%s: gave up after %v, %d requests", c.args[0], took.Round(time.Millisecond), srv.Calls()-before)
		if code != 1 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, want 1 and %q:\n%s", c.args, code, c.want, stderr)
		}
		if n := srv.Calls() - before; n != c.calls {
			t.Errorf("%v: %d requests, want %d (a silent request is not retried)", c.args, n, c.calls)
		}
		// Each request waits its second; 10 s more is slack for a loaded
		// machine, far below the minutes a hung run would take.
		if lo, hi := time.Duration(c.calls)*time.Second, time.Duration(c.calls)*time.Second+10*time.Second; took < lo || took > hi {
			t.Errorf("%v took %v, want %v to %v", c.args, took, lo, hi)
		}
	}
	help, _, _ := runCLI(t, "fetch", "-h")
	if !strings.Contains(help, "-timeout DURATION") || !strings.Contains(help, "(default 1m0s)") {
		t.Errorf("fetch -h does not state the default deadline:\n%s", help)
	}
	// A model answering without streaming is silent until done: the
	// probe waits longer.
	if help, _, _ := runCLI(t, "probe", "-h"); !strings.Contains(help, "(default 15m0s)") {
		t.Errorf("probe -h does not state its deadline:\n%s", help)
	}
}
