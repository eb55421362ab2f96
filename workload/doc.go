// Package workload holds demand time series: how many requests and tokens
// one Bedrock model served in each interval.
//
// The canonical file is the metrics CSV (ReadMetrics, WriteMetrics), one
// row per interval per model, as CloudWatch's AWS/Bedrock namespace
// reports it. Reading is strict: every problem is reported as
// "file:line: field: problem". Missing intervals are found by Gaps and
// filled only as the caller says (FillGaps), never silently.
//
// Series are columnar (one slice per metric) so the replay in package sim
// can walk them without allocating. Synthesize builds seeded, reproducible
// workloads for the demo and tests.
package workload
