// Command bedrockplan tells how to pay for Amazon Bedrock inference: it
// replays request metrics against on-demand and Provisioned Throughput
// prices, compares strategies and recommends how many model units to
// commit, for which term.
//
// Usage:
//
//	bedrockplan COMMAND [flags]
//
// The commands:
//
//	demo       run the whole planner on built-in sample traffic; needs no AWS account
//	simulate   replay a metrics CSV against a plan file and write a report
//	recommend  find the cheapest plan (Reserved tier, committed and scheduled PT, on-demand) for a model or a whole account; write a report and plan.yaml
//	fetch      pull AWS/Bedrock metrics from CloudWatch into a metrics CSV (incremental)
//	probe      measure a model or PT live (latency, throughput, throttling) and calibrate MU throughput; dry run unless --yes
//	account    read quotas, existing PT, current prices and model lifecycle from the AWS account
//	import     turn request-level data (request CSVs, invocation logs, get-metric-data JSON) into a metrics CSV
//	report     render a report folder's summaries and charts again from its CSV files (e.g. in Japanese)
//	pricing    list the price catalogue, show one model's prices and their sources, update or diff an override
//	help       this help; 'bedrockplan help COMMAND' is the command's (as 'bedrockplan COMMAND -h')
//	version    print the version (also --version)
//
// Run `bedrockplan help COMMAND` (or `bedrockplan COMMAND -h`) for each
// command's flags and an example; flags may stand before or after a
// command's arguments.
//
// This comment is written by TestDocInStep from the table of commands
// (go test ./cmd/bedrockplan -run TestDocInStep -update).
package main
