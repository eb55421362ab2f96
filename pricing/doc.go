// Package pricing holds the price catalogue bedrockplan replays traffic
// against: on-demand per-token prices, Provisioned Throughput (PT) prices
// per model unit (MU) and hour for each commitment term, the throughput of
// one MU with its provenance, on-demand quotas and model lifecycle.
//
// The catalogue is YAML. An embedded default ships with the binary and a
// user file can be merged over it (Load, Merge). Every price carries the
// source it was taken from and the date it was checked, because PT
// decisions are defended in finance reviews and prices age.
//
// Money is kept in integer micro-dollars so that per-interval costs add up
// to reported totals exactly.
package pricing
