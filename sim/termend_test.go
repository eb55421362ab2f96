package sim

import (
	"testing"
	"time"

	"github.com/bedrockplan/bedrockplan/pricing"
)

// TestPTTermEnds: a committed PT block bills past its term unless it is
// deleted (DESIGN.md §3 rule 5): renew vs delete vs a delete date, on
// hourly data over 40 days from 2 November, 1 MU 1-month at $8/h.
func TestPTTermEnds(t *testing.T) {
	s := series(t0, time.Hour, flat(40*24, [3]float64{1, 10, 10})...)
	block := func(e TermEnd, deleteAt time.Time) Commitment {
		return Commitment{ModelUnits: 1, Term: pricing.TermOneMonth, Start: t0, AtTermEnd: e, DeleteAt: deleteAt}
	}
	hours := func(d int) float64 { return float64(d * 24) }
	cases := []struct {
		name             string
		plan             []Commitment
		billedHours      float64
		afterHours       float64
		renewingPerMonth float64
	}{
		// Nov 2 - Dec 2: 30 days billed, nothing after.
		{"deleted at term end", []Commitment{block(TermEndDelete, time.Time{})}, hours(30), 0, 0},
		// Renewed: all 40 days, then Dec 12 - Jan 2 owed, then $8 × 730.5 h a month.
		{"renewed", []Commitment{block(TermEndRenew, time.Time{})}, hours(40), hours(21), 8 * 730.5},
		{"renewed by default", []Commitment{block("", time.Time{})}, hours(40), hours(21), 8 * 730.5},
		// Deleted on 10 December: billed to the end of that term, 2 January.
		{"deleted on a date", []Commitment{block(TermEndRenew, t0.AddDate(0, 0, 38))}, hours(40), hours(21), 0},
		// Deleted on 1 December, inside the first term: billed to 2 December.
		{"delete date inside the first term", []Commitment{block(TermEndRenew, t0.AddDate(0, 0, 29))}, hours(30), 0, 0},
		// The plan renews it with a block of its own: billed once, not twice.
		{"renewed by the plan", []Commitment{block(TermEndRenew, time.Time{}), {ModelUnits: 1, Term: pricing.TermOneMonth, Start: t0.AddDate(0, 1, 0)}},
			hours(40), hours(21), 8 * 730.5},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := Replay(s, plan(c.plan...), testOffer(), Options{})
			if err != nil {
				t.Fatal(err)
			}
			tot := r.Totals
			if !near(tot.MUHoursBilled, c.billedHours) || tot.PTCost != usd(8*c.billedHours) {
				t.Errorf("billed %v MU-hours for %s, want %v", tot.MUHoursBilled, tot.PTCost, c.billedHours)
			}
			if tot.CommittedAfterWindow != usd(8*c.afterHours) {
				t.Errorf("owed after the window %s, want %s", tot.CommittedAfterWindow, usd(8*c.afterHours))
			}
			if tot.RenewingPerMonth != usd(c.renewingPerMonth) {
				t.Errorf("renewing %s a month, want %s", tot.RenewingPerMonth, usd(c.renewingPerMonth))
			}
		})
	}
	bad := plan(block("renewal", t0.AddDate(0, 0, -1)))
	if _, err := Replay(s, bad, testOffer(), Options{}); err == nil ||
		err.Error() != `plan: committed[0].at_term_end: "renewal" is not renew or delete; committed[0].delete_at: 2026-11-01T00:00:00Z is not after its start` {
		t.Errorf("bad term end: %v", err)
	}
}

// TestDailyTokenQuota: a tokens-per-day quota admits on-demand tokens
// until the UTC day's budget is spent and throttles the rest; each day
// starts afresh. 48 hours of 1,000 input tokens an hour, 10,000 a day.
func TestDailyTokenQuota(t *testing.T) {
	s := series(t0, time.Hour, flat(48, [3]float64{10, 1000, 0})...)
	o := testOffer()
	o.Quotas.TPD = f64(10_000)
	r, err := Replay(s, plan(), o, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Ten hours a day fit; fourteen are throttled.
	if tot := r.Totals; !near(tot.ThrottledRequests, 2*14*10) || tot.ODCost != usd(2*10_000*1e-6) {
		t.Errorf("throttled %v requests, on-demand %s", tot.ThrottledRequests, tot.ODCost)
	}
	if r.Intervals.Throttled[9] != 0 || r.Intervals.Throttled[10] != 10 || r.Intervals.Throttled[24] != 0 {
		t.Errorf("throttled by hour: %v", r.Intervals.Throttled)
	}
}
