// Package probe sends a few live requests to a Bedrock model, inference
// profile or Provisioned Throughput (addressed by its ARN as the model
// id) to measure what the plan cannot know from prices alone: how many
// tokens per minute a model unit carries, how latency behaves under load,
// and where throttling starts.
//
// Safety comes first: Plan computes the request plan and its cost from
// the catalogue and sends nothing; Run sends only within a cost cap that
// reserves every request in flight at a bound no tokenizer can pass (the
// prompt's bytes and the full max tokens) and checks the counts the
// service reports against it; cancelling the context stops it cleanly
// with everything measured so far. Calibrate takes a ramp's capacity
// from the sustained throughput of its saturated steps, not from bursts,
// and marks it uncertain when the probe itself could not run on time
// (the machine short of CPU), since the client may then have been the
// limit. Prompts are synthetic; no user data is sent, and neither
// requests nor credentials are logged.
//
// Retries are the probe's own (the SDK's are off), counted per request
// and never folded into latency. The fake in probetest speaks
// bedrock-runtime's restJson1 and event-stream protocols.
package probe
