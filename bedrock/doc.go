// Package bedrock reads the Amazon Bedrock control plane: the account's
// Provisioned Throughput (ListProvisionedModelThroughputs), so that the
// planner can fetch the metrics of PT ARNs and, later, build on existing
// commitments. The fake in bedrocktest speaks the control plane's
// restJson1 protocol.
package bedrock
