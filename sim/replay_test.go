package sim

import (
	"math"
	"testing"
	"time"
	_ "time/tzdata" // tests load Asia/Tokyo and America/New_York on machines without zoneinfo

	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/workload"
)

// testOffer is a model with round prices: $1 per 1M input tokens, $2 per
// 1M output, PT $10 (no commit) / $8 (1 month) / $6 (6 months) per
// MU-hour, and one MU carrying 1,000 input and 1,000 output tokens a
// minute.
func testOffer() pricing.Offer {
	return pricing.Offer{
		ModelID: "test.model", Region: "us-east-1",
		Lifecycle: pricing.Lifecycle{Status: pricing.LifecycleActive},
		OnDemand:  pricing.OnDemand{InputPer1M: &pricing.Price{USD: 1}, OutputPer1M: &pricing.Price{USD: 2}},
		PT: map[pricing.Term]pricing.Price{
			pricing.TermNone: {USD: 10}, pricing.TermOneMonth: {USD: 8}, pricing.TermSixMonths: {USD: 6},
		},
		Throughput: pricing.Throughput{InputTPM: 1000, OutputTPM: 1000, Provenance: pricing.ProvenanceAssumed},
	}
}

// series builds a regular series from (requests, input, output) triples.
func series(start time.Time, period time.Duration, rows ...[3]float64) *workload.Series {
	s := &workload.Series{ModelID: "test.model", Region: "us-east-1", Period: period}
	for i, r := range rows {
		s.Start = append(s.Start, start.Add(time.Duration(i)*period).Unix())
		s.Invocations = append(s.Invocations, r[0])
		s.InputTokens = append(s.InputTokens, r[1])
		s.OutputTokens = append(s.OutputTokens, r[2])
	}
	return s
}

func flat(n int, r [3]float64) [][3]float64 {
	rows := make([][3]float64, n)
	for i := range rows {
		rows[i] = r
	}
	return rows
}

var t0 = time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC) // a Monday

func plan(committed ...Commitment) Plan {
	return Plan{ModelID: "test.model", Region: "us-east-1", TimeZone: time.UTC, Routing: RouteSpillover, Committed: committed}
}

func f64(v float64) *float64 { return &v }

func usd(v float64) pricing.Money { return pricing.FromUSD(v) }

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

// TestReplayRules checks every rule of DESIGN.md §3 on one-interval
// cases computed by hand.
func TestReplayRules(t *testing.T) {
	oneMU := Commitment{ModelUnits: 1, Term: pricing.TermSixMonths, Start: t0}
	ptMinute := usd(6.0 / 60) // one MU for one minute at $6/h
	cases := []struct {
		name    string
		row     [3]float64
		plan    Plan
		quotas  pricing.Quotas
		share   float64 // f
		odReq   float64
		thr     float64
		ptCost  pricing.Money
		odCost  pricing.Money
		ptInput float64
	}{
		{name: "PT saturated by input", row: [3]float64{10, 2000, 500}, plan: plan(oneMU),
			// f = min(1, 1000/2000, 1000/500) = 0.5; on-demand gets 1000 in + 250 out.
			share: 0.5, odReq: 5, ptCost: ptMinute, odCost: usd(1000*1e-6 + 250*2e-6), ptInput: 1000},
		{name: "PT saturated by output", row: [3]float64{8, 500, 4000}, plan: plan(oneMU),
			// f = min(1, 1000/500, 1000/4000) = 0.25; on-demand gets 375 in + 3000 out.
			share: 0.25, odReq: 6, ptCost: ptMinute, odCost: usd(375*1e-6 + 3000*2e-6), ptInput: 125},
		{name: "PT carries everything", row: [3]float64{4, 800, 900}, plan: plan(oneMU),
			share: 1, ptCost: ptMinute, ptInput: 800},
		{name: "provisioned-only throttles the overflow", row: [3]float64{10, 2000, 500},
			plan:  func() Plan { p := plan(oneMU); p.Routing = RouteProvisionedOnly; return p }(),
			share: 0.5, thr: 5, ptCost: ptMinute, ptInput: 1000},
		{name: "on-demand TPM quota with burndown", row: [3]float64{9, 500, 200}, plan: plan(),
			// load = 500 + 5*200 = 1500 quota tokens; g = 1000/1500.
			quotas: pricing.Quotas{TPM: f64(1000), OutputBurndown: f64(5)},
			odReq:  6, thr: 3, odCost: usd((500*1e-6 + 200*2e-6) * 2 / 3)},
		{name: "on-demand RPM quota", row: [3]float64{10, 100, 100}, plan: plan(),
			quotas: pricing.Quotas{RPM: f64(6)}, odReq: 6, thr: 4, odCost: usd(0.6 * (100*1e-6 + 100*2e-6))},
		{name: "the tighter quota wins", row: [3]float64{10, 1000, 0}, plan: plan(),
			// TPM admits 0.5, RPM admits 0.8.
			quotas: pricing.Quotas{RPM: f64(8), TPM: f64(500)}, odReq: 5, thr: 5, odCost: usd(500 * 1e-6)},
		{name: "spillover within quota", row: [3]float64{10, 2000, 500}, plan: plan(oneMU),
			// overflow 1000 in + 250 out = 1250 quota tokens ≤ 2000: all admitted.
			quotas: pricing.Quotas{TPM: f64(2000)}, share: 0.5, odReq: 5, ptCost: ptMinute, odCost: usd(1000*1e-6 + 250*2e-6), ptInput: 1000},
		{name: "zero demand: PT billed, f = 1", row: [3]float64{0, 0, 0}, plan: plan(oneMU), share: 1, ptCost: ptMinute},
		{name: "zero demand, no PT", row: [3]float64{0, 0, 0}, plan: plan(), share: 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := testOffer()
			o.Quotas = c.quotas
			r, err := Replay(series(t0, time.Minute, c.row), c.plan, o, Options{})
			if err != nil {
				t.Fatal(err)
			}
			iv, tot := r.Intervals, r.Totals
			if !near(iv.PTShare[0], c.share) {
				t.Errorf("PT share = %v, want %v", iv.PTShare[0], c.share)
			}
			if !near(iv.ODRequests[0], c.odReq) || !near(iv.Throttled[0], c.thr) {
				t.Errorf("on-demand requests, throttled = %v, %v; want %v, %v", iv.ODRequests[0], iv.Throttled[0], c.odReq, c.thr)
			}
			if !near(iv.PTInput[0], c.ptInput) {
				t.Errorf("PT input tokens = %v, want %v", iv.PTInput[0], c.ptInput)
			}
			if tot.PTCost != c.ptCost || tot.ODCost != c.odCost {
				t.Errorf("PT, on-demand cost = %s, %s; want %s, %s", tot.PTCost.Decimal(), tot.ODCost.Decimal(), c.ptCost.Decimal(), c.odCost.Decimal())
			}
			if served := iv.PTRequests[0] + iv.ODRequests[0] + iv.Throttled[0]; !near(served, c.row[0]) {
				t.Errorf("PT + on-demand + throttled = %v requests, want %v", served, c.row[0])
			}
		})
	}
}

// TestCommittedBlockPartlyInWindow: a 1-month block bought two hours
// before the window ends is billed for those two hours; the rest of its
// term is owed after the window.
func TestCommittedBlockPartlyInWindow(t *testing.T) {
	s := series(t0, time.Hour, flat(6, [3]float64{10, 1000, 1000})...)
	start := t0.Add(4 * time.Hour)
	r, err := Replay(s, plan(Commitment{ModelUnits: 3, Term: pricing.TermOneMonth, Start: start}), testOffer(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if want := usd(3 * 8 * 2); r.Totals.PTCost != want {
		t.Errorf("PT cost = %s, want %s (3 MU x $8 x 2 h)", r.Totals.PTCost.Decimal(), want.Decimal())
	}
	termHours := pricing.TermOneMonth.End(start).Sub(start).Hours() // 30 days in November-December
	if termHours != 30*24 {
		t.Fatalf("one month from %s = %v h, want 720", start, termHours)
	}
	if want := usd(3 * 8 * (termHours - 2)); r.Totals.CommittedAfterWindow != want {
		t.Errorf("committed after window = %s, want %s", r.Totals.CommittedAfterWindow.Decimal(), want.Decimal())
	}
	for i, mu := range r.Intervals.MU {
		want := 0.0
		if i >= 4 {
			want = 3
		}
		if mu != want {
			t.Errorf("interval %d: %v MU in service, want %v", i, mu, want)
		}
	}
	// A block that started before the window bills only the hours inside it.
	r, err = Replay(s, plan(Commitment{ModelUnits: 1, Term: pricing.TermSixMonths, Start: t0.AddDate(0, -1, 0)}), testOffer(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if want := usd(6 * 6); r.Totals.PTCost != want {
		t.Errorf("PT cost of a block bought before the window = %s, want %s", r.Totals.PTCost.Decimal(), want.Decimal())
	}
}

func weekdays() []time.Weekday {
	return []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}
}

// TestScheduledTokyo: a weekday 09:00-17:00 window in Asia/Tokyo is
// 00:00-08:00 UTC; over one Monday it bills 8 MU-hours at the no-commit
// price.
func TestScheduledTokyo(t *testing.T) {
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	s := series(t0, time.Hour, flat(24, [3]float64{1, 60_000, 60_000})...) // Monday 2 Nov 2026, UTC
	p := plan()
	p.TimeZone = tokyo
	p.Scheduled = []Scheduled{{ModelUnits: 2, Window: Window{Days: weekdays(), From: 9 * 60, To: 17 * 60}}}
	r, err := Replay(s, p, testOffer(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Monday 09:00-17:00 JST = 00:00-08:00 UTC; Tuesday's window begins at
	// 24:00 UTC, outside the data.
	if want := usd(2 * 10 * 8); r.Totals.PTCost != want {
		t.Errorf("PT cost = %s, want %s", r.Totals.PTCost.Decimal(), want.Decimal())
	}
	if r.Totals.ScheduledMUHoursBilled != 16 {
		t.Errorf("scheduled MU-hours = %v, want 16", r.Totals.ScheduledMUHoursBilled)
	}
	for i, mu := range r.Intervals.MU {
		want := 0.0
		if i < 8 {
			want = 2
		}
		if mu != want {
			t.Errorf("%02d:00 UTC: %v MU, want %v", i, mu, want)
		}
	}
}

// TestScheduledAcrossDST: a Sunday 00:00-06:00 window in New York lasts
// five hours on the day clocks go forward and seven on the day they go
// back, and is billed for exactly that.
func TestScheduledAcrossDST(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		day   time.Time
		hours float64
	}{
		{time.Date(2026, 3, 8, 0, 0, 0, 0, ny), 5},  // spring forward
		{time.Date(2026, 11, 1, 0, 0, 0, 0, ny), 7}, // fall back
		{time.Date(2026, 3, 15, 0, 0, 0, 0, ny), 6},
	} {
		s := series(c.day.UTC(), 15*time.Minute, flat(24*4, [3]float64{1, 100, 100})...)
		p := plan()
		p.TimeZone = ny
		p.Scheduled = []Scheduled{{ModelUnits: 1, Window: Window{Days: []time.Weekday{time.Sunday}, From: 0, To: 6 * 60}}}
		r, err := Replay(s, p, testOffer(), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if want := usd(10 * c.hours); r.Totals.PTCost != want {
			t.Errorf("%s: PT cost = %s, want %s (%v h)", c.day.Format("2006-01-02"), r.Totals.PTCost.Decimal(), want.Decimal(), c.hours)
		}
		if !near(r.Totals.MUHoursInService, c.hours) {
			t.Errorf("%s: %v MU-hours in service, want %v", c.day.Format("2006-01-02"), r.Totals.MUHoursInService, c.hours)
		}
	}
}

// TestNoCommitRoundsUp: no-commitment PT bills whole hours, and the
// provisioning lead time before each window.
func TestNoCommitRoundsUp(t *testing.T) {
	s := series(t0, time.Minute, flat(24*60, [3]float64{1, 10, 10})...)
	p := plan()
	p.Scheduled = []Scheduled{{ModelUnits: 1, Window: Window{Days: []time.Weekday{time.Monday}, From: 9 * 60, To: 9*60 + 30}}}
	for _, c := range []struct {
		lead  time.Duration
		hours float64
	}{{0, 1}, {20 * time.Minute, 1}, {45 * time.Minute, 2}} {
		r, err := Replay(s, p, testOffer(), Options{LeadTime: c.lead})
		if err != nil {
			t.Fatal(err)
		}
		if want := usd(10 * c.hours); r.Totals.PTCost != want {
			t.Errorf("30-minute window, lead %s: PT cost = %s, want %s", c.lead, r.Totals.PTCost.Decimal(), want.Decimal())
		}
	}
}

// TestPTWindows: outside its windows traffic goes on-demand even though
// committed PT exists and is billed.
func TestPTWindows(t *testing.T) {
	s := series(t0, time.Hour, flat(24, [3]float64{1, 60_000, 0})...)
	p := plan(Commitment{ModelUnits: 1, Term: pricing.TermOneMonth, Start: t0})
	p.PTWindows = []Window{{Days: weekdays(), From: 9 * 60, To: 17 * 60}}
	r, err := Replay(s, p, testOffer(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Totals.PTRequests != 8 || r.Totals.ODRequests != 16 {
		t.Errorf("PT, on-demand requests = %v, %v; want 8, 16", r.Totals.PTRequests, r.Totals.ODRequests)
	}
	if want := usd(8 * 24); r.Totals.PTCost != want {
		t.Errorf("PT cost = %s, want %s: committed PT bills around the clock", r.Totals.PTCost.Decimal(), want.Decimal())
	}
}

func TestReplayRefuses(t *testing.T) {
	s := series(t0, time.Minute, [3]float64{1, 1, 1}, [3]float64{1, 1, 1})
	gappy := series(t0, time.Minute, [3]float64{1, 1, 1})
	gappy.Start = append(gappy.Start, t0.Add(3*time.Minute).Unix())
	gappy.Invocations, gappy.InputTokens, gappy.OutputTokens = append(gappy.Invocations, 1), append(gappy.InputTokens, 1), append(gappy.OutputTokens, 1)
	unknown := testOffer()
	unknown.Throughput = pricing.Throughput{Provenance: pricing.ProvenanceUnknown}
	noNone := testOffer()
	delete(noNone.PT, pricing.TermNone)
	noPrice := testOffer()
	noPrice.OnDemand.OutputPer1M = nil
	sched := plan()
	sched.Scheduled = []Scheduled{{ModelUnits: 1, Window: Window{Days: weekdays(), From: 0, To: 60}}}
	oneMU := plan(Commitment{ModelUnits: 1, Term: pricing.TermOneMonth, Start: t0})
	for _, c := range []struct {
		name string
		s    *workload.Series
		p    Plan
		o    pricing.Offer
		want string
	}{
		{"gaps", gappy, plan(), testOffer(), "test.model (us-east-1) has 1 gaps (the first at 2026-11-02T00:01:00Z); fill them first (--gaps)"},
		{"unknown throughput", s, oneMU, unknown, "the plan holds PT but the throughput of one test.model model unit is unknown; give it with --mu-input-tpm and --mu-output-tpm"},
		{"term not offered", s, sched, noNone, "scheduled PT is no-commitment PT: the catalogue has no price for no-commit PT for test.model in us-east-1: give it with --pricing FILE, as models: test.model: regions: us-east-1: provisioned: none: {usd: …, source: …, as_of: …}, or choose a region that has it with --region; bedrockplan pricing show test.model lists the regions; or give the plan another term"},
		{"no on-demand price", s, plan(), noPrice, "the catalogue has no on-demand input and output prices for test.model in us-east-1"},
		{"bad routing", s, Plan{Routing: "sometimes"}, testOffer(), `plan: routing: "sometimes" is not spillover or provisioned-only`},
	} {
		_, err := Replay(c.s, c.p, c.o, Options{})
		if err == nil || err.Error() != c.want {
			t.Errorf("%s: got error %v\nwant %s", c.name, err, c.want)
		}
	}
}

// TestWindowsAtTheDSTEdges: hour windows on the nights New York's clocks
// change. A window ending at the skipped 02:00 ends when the clock jumps;
// the skipped hour has no window; the repeated hour is held twice.
func TestWindowsAtTheDSTEdges(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	for _, c := range []struct {
		day      time.Time
		from, to Clock
		hours    float64
	}{
		{time.Date(2026, 3, 8, 0, 0, 0, 0, ny), 60, 120, 1},    // 01:00-02:00 EST
		{time.Date(2026, 3, 8, 0, 0, 0, 0, ny), 120, 180, 0},   // 02:00-03:00 does not exist
		{time.Date(2026, 3, 8, 0, 0, 0, 0, ny), 60, 240, 2},    // 01:00 EST to 04:00 EDT
		{time.Date(2026, 11, 1, 0, 0, 0, 0, ny), 60, 120, 2},   // 01:00 EDT to 02:00 EST
		{time.Date(2026, 11, 1, 0, 0, 0, 0, ny), 0, 90, 2.5},   // to the second 01:30
		{time.Date(2026, 11, 1, 0, 0, 0, 0, ny), 90, 180, 2.5}, // from the first 01:30
	} {
		w := Window{Days: []time.Weekday{time.Sunday}, From: c.from, To: c.to}
		var got float64
		for _, o := range w.occurrences(ny, c.day.Unix(), c.day.Add(24*time.Hour).Unix()) {
			got += float64(o[1]-o[0]) / 3600
		}
		if got != c.hours {
			t.Errorf("%s %s: %v hours, want %v", c.day.Format("2006-01-02"), w, got, c.hours)
		}
	}
}

// TestBurstModel: an hour whose busiest minute runs at 3x the mean. One
// MU carries the hour's average (1,000 input tokens a minute) but not its
// peak minute (3,000): a third of the peak minute's 3,000 tokens fit,
// 2,000 overflow to on-demand. Flat traffic would overflow nothing.
func TestBurstModel(t *testing.T) {
	s := series(t0, time.Hour, [3]float64{60, 60_000, 0})
	p := plan(Commitment{ModelUnits: 1, Term: pricing.TermSixMonths, Start: t0})
	flat, err := Replay(s, p, testOffer(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if flat.Totals.ODCost != 0 || flat.Intervals.PTShare[0] != 1 {
		t.Fatalf("flat: %+v", flat.Totals)
	}
	b, err := Replay(s, p, testOffer(), Options{Burst: Burst{Ratio: 3}})
	if err != nil {
		t.Fatal(err)
	}
	if want := usd(2000 * 1e-6); b.Totals.ODCost != want {
		t.Errorf("on-demand cost %s, want %s", b.Totals.ODCost.Decimal(), want.Decimal())
	}
	if f := b.Intervals.PTShare[0]; !near(f, 0.95+0.05/3) || !near(b.Totals.ODRequests, 2) {
		t.Errorf("PT share %v, on-demand requests %v", f, b.Totals.ODRequests)
	}
	// A ratio above what one minute can hold is capped: the whole hour's
	// demand in one minute.
	capped, _ := Replay(s, p, testOffer(), Options{Burst: Burst{Ratio: 500}})
	if want := usd(59_000 * 1e-6); capped.Totals.ODCost != want {
		t.Errorf("capped burst: on-demand %s, want %s", capped.Totals.ODCost.Decimal(), want.Decimal())
	}
}

// TestOnDemandWithUnknownThroughput: an all on-demand plan needs no MU
// throughput, and intervals with tokens on one side only must not turn
// the PT sums into NaN through a zero capacity.
func TestOnDemandWithUnknownThroughput(t *testing.T) {
	o := testOffer()
	o.Throughput = pricing.Throughput{Provenance: pricing.ProvenanceUnknown}
	s := series(t0, time.Minute, [3]float64{1, 0, 500}, [3]float64{1, 1000, 0}, [3]float64{2, 0, 0}, [3]float64{0, 0, 0})
	res, err := Replay(s, plan(), o, Options{})
	if err != nil {
		t.Fatal(err)
	}
	tot := res.Totals
	if tot.MUHoursUsed != 0 || tot.PTRequests != 0 || tot.ODRequests != 4 || tot.ThrottledRequests != 0 {
		t.Errorf("totals = %+v, want 4 requests on-demand and no PT use", tot)
	}
	// 500 output tokens at $2/1M plus 1,000 input tokens at $1/1M.
	if tot.ODCost != usd(0.002) {
		t.Errorf("on-demand cost = %v, want $0.002", tot.ODCost)
	}
	want := []float64{0, 0, 0, 1} // a zero-demand interval counts as fully served
	for i, f := range res.Intervals.PTShare {
		if f != want[i] {
			t.Errorf("interval %d: PT share = %v, want %v", i, f, want[i])
		}
	}
}
