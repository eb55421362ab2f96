// Command bedrockplan tells how to pay for Amazon Bedrock inference: it
// replays request metrics against on-demand and Provisioned Throughput
// prices, compares strategies and recommends how many model units to
// commit, for which term.
//
// Usage:
//
//	bedrockplan demo [--out DIR]
//	bedrockplan simulate --metrics FILE --plan FILE --out DIR
//	bedrockplan recommend --metrics FILE --out DIR
//	bedrockplan pricing list | show MODEL
//
// Run `bedrockplan COMMAND -h` for each command's flags and an example.
package main
