// Package cloudwatch fetches Amazon Bedrock's AWS/Bedrock (and
// AWS/BedrockMantle) metrics from CloudWatch into the planner's metrics
// series, one per model and service tier (Source.Series says which
// stream feeds which series; Discover says why one dimension set per
// model).
//
// CloudWatch keeps 1-minute data for 15 days, 5-minute data for 63 days
// and hourly data for 455 days, and a GetMetricData query whose period
// does not suit the age of the data returns no points and no error. The
// planner therefore splits a time range into retention tiers (Tiers) and
// asks each for the finest period it still has. Queries are packed into
// as few calls as the API's limits allow (500 queries and 100,800
// datapoints a call, PlanCalls), pages are followed and merged, a model's
// missing Sum points inside a range where it reported data are idle
// intervals, and a re-run asks only for what an existing file lacks
// (Missing).
//
// The SDK's CloudWatch client speaks Smithy RPC v2 CBOR; the fake in
// cloudwatchtest speaks it too, so tests run the real client.
package cloudwatch
