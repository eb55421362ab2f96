package main

import (
	"context"
	"flag"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
)

// awsFlags are the standard AWS connection flags.
type awsFlags struct {
	region, profile, endpoint string
}

// register adds --region, --profile and --endpoint-url to fs; the help of
// the region and endpoint says what they mean for the command.
func (f *awsFlags) register(fs *flag.FlagSet, regionHelp, endpointHelp string) {
	fs.StringVar(&f.region, "region", "", regionHelp)
	fs.StringVar(&f.profile, "profile", "", "AWS shared-config profile")
	fs.StringVar(&f.endpoint, "endpoint-url", "", endpointHelp)
}

// loadAWS loads the standard configuration chain (environment, shared
// config and credentials files, SSO, roles), with retries that back off
// on throttling and server errors. The SDK itself honours AWS_ENDPOINT_URL
// and AWS_ENDPOINT_URL_<SERVICE>; --endpoint-url overrides both per client.
func (f awsFlags) load(ctx context.Context) (aws.Config, error) {
	opts := []func(*config.LoadOptions) error{
		config.WithRetryer(func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.MaxAttempts = 8
				o.MaxBackoff = 20 * time.Second
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

// baseEndpoint returns the --endpoint-url override, or nil.
func (f awsFlags) baseEndpoint() *string {
	if f.endpoint == "" {
		return nil
	}
	return aws.String(f.endpoint)
}
