package main

import (
	"context"
	"errors"
	"flag"
	"os"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/smithy-go/logging"
)

// awsFlags are the standard AWS connection flags.
type awsFlags struct {
	region, profile, endpoint string
	timeout                   time.Duration
}

// Deadlines: how long AWS may stay silent on one request. A listing or
// a metrics call answers within seconds, so a minute names a hung
// endpoint soon. A model answering without streaming (probe --api
// converse or invoke) sends nothing until it has written every token, so
// the probe waits as long as the SDK's own default for Bedrock (15
// minutes; it sets none for the runtime at all).
const (
	defaultAWSTimeout   = time.Minute
	defaultModelTimeout = 15 * time.Minute
)

// register adds --region, --profile, --endpoint-url and --timeout (with
// its default) to fs; the help of the region and endpoint says what they
// mean for the command, naming the value `REGION` and `URL`.
func (f *awsFlags) register(fs *flag.FlagSet, regionHelp, endpointHelp string, timeout time.Duration) {
	fs.StringVar(&f.region, "region", "", regionHelp)
	fs.StringVar(&f.profile, "profile", "", "AWS shared-config `PROFILE`")
	fs.StringVar(&f.endpoint, "endpoint-url", "", endpointHelp)
	fs.DurationVar(&f.timeout, "timeout", timeout, "longest `DURATION` AWS may send nothing on one request before it is given up (not retried: a silent endpoint seldom recovers); 1s to 1h")
}

// check validates --timeout.
func (f awsFlags) check(cmd string) error {
	if f.timeout < time.Second || f.timeout > time.Hour {
		return usagef("%s: --timeout %v: want 1s to 1h", cmd, f.timeout)
	}
	return nil
}

// load loads the standard configuration chain (environment, shared
// config and credentials files, SSO, roles), with retries that back off
// on throttling and server errors. The SDK itself honours AWS_ENDPOINT_URL
// and AWS_ENDPOINT_URL_<SERVICE>; --endpoint-url overrides both per client.
//
// Every request has a deadline: a connection that delivers nothing for
// --timeout fails (the SDK's read timeout, which a slow but progressing
// answer, such as a model's stream, keeps resetting). Such a failure is
// not retried, so a server that accepts and never answers costs one
// --timeout per request, not eight with back-off in between.
//
// The SDK's own log lines ("SDK 2026/… WARN falling back to IMDSv1",
// "failed to discard remaining HTTP response body") are discarded: it
// writes them straight to the process's stderr, between and inside our
// messages, and none of them is something the user can act on; what
// matters reaches us as an error and is said in our words.
func (f awsFlags) load(ctx context.Context) (aws.Config, error) {
	opts := []func(*config.LoadOptions) error{
		config.WithLogger(logging.Nop{}),
		config.WithHTTPClient(awshttp.NewBuildableClient().WithReadTimeout(f.timeout)),
		config.WithRetryer(func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.MaxAttempts = 8
				// A custom retryer hides the standard AWS_MAX_ATTEMPTS
				// from the SDK: honour it here.
				if n, err := strconv.Atoi(os.Getenv("AWS_MAX_ATTEMPTS")); err == nil && n >= 1 && n <= 8 {
					o.MaxAttempts = n
				}
				o.MaxBackoff = 20 * time.Second
				o.Retryables = append([]retry.IsErrorRetryable{retry.IsErrorRetryableFunc(silentNotRetried)}, o.Retryables...)
			})
		}),
	}
	if f.region != "" {
		opts = append(opts, config.WithRegion(f.region))
	}
	if f.profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(f.profile))
	}
	return config.LoadDefaultConfig(ctx, opts...)
}

// silentNotRetried says a request that timed out waiting for the
// server is not to be retried, and leaves every other error to the
// standard rules.
func silentNotRetried(err error) aws.Ternary {
	var silent *awshttp.ResponseTimeoutError
	if errors.As(err, &silent) {
		return aws.FalseTernary
	}
	return aws.UnknownTernary
}

// baseEndpoint returns the --endpoint-url override, or nil.
func (f awsFlags) baseEndpoint() *string {
	if f.endpoint == "" {
		return nil
	}
	return aws.String(f.endpoint)
}
