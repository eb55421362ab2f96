// Package sim replays demand against a capacity plan and prices it, per
// DESIGN.md §3: in every interval Provisioned Throughput (PT) serves the
// share its model units can carry (limited separately by input and by
// output tokens per minute), the overflow spills to on-demand within the
// on-demand quotas (with output-token burndown), and the rest is
// throttled. Committed PT is billed every hour of its term that falls in
// the window, used or not; no-commitment PT every hour it exists, partial
// hours rounded up.
//
// It also builds the strategies every report compares (on-demand,
// provisioned-peak, business-hours-switch, recommended) and the first
// recommender: the cheapest committed MU count per term, or, when the
// throughput of a model unit is unknown, the break-even throughput per
// term instead of a recommendation that pretends to know.
//
// Run is a whole planning run of one series, as every command makes it:
// the analysis, the throughput sensitivity, the commitment-term risk, the
// cash flow and the replay of the strategy a report details.
//
// sim is pure: values in, values out, no files, network or clocks.
package sim
