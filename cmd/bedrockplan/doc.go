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
//	bedrockplan fetch | probe | account | import | report [flags]
//	bedrockplan pricing list | show MODEL | update | diff FILE
//	bedrockplan help [COMMAND]
//	bedrockplan version
//
// Run `bedrockplan help COMMAND` (or `bedrockplan COMMAND -h`) for each
// command's flags and an example; flags may stand before or after a
// command's arguments.
package main
