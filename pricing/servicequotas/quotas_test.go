package servicequotas_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	sdk "github.com/aws/aws-sdk-go-v2/service/servicequotas"

	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/pricing/servicequotas"
	"github.com/bedrockplan/bedrockplan/pricing/servicequotas/servicequotastest"
)

type noBackoff struct{}

func (noBackoff) BackoffDelay(int, error) (time.Duration, error) { return 0, nil }

// realistic is a slice of Bedrock's quota list as Service Quotas names
// it, including quotas that must not match a model.
var realistic = []servicequotastest.Quota{
	{"On-demand model inference requests per minute for Anthropic Claude 3 Haiku", "L-2DC80978", 1000},
	{"On-demand model inference tokens per minute for Anthropic Claude 3 Haiku", "L-8CE99163", 2000000},
	{"Cross-region model inference tokens per minute for Anthropic Claude 3 Haiku", "L-6E888CC2", 4000000},
	{"On-demand InvokeModel requests per minute for Amazon Titan Text Express", "L-A58DA1F3", 400},
	{"On-demand InvokeModel tokens per minute for Amazon Titan Text Express", "L-E2D1D60C", 300000},
	{"On-demand model inference tokens per minute for Meta Llama 3.1 70B Instruct", "L-DCADBC78", 300000},
	{"On-demand model inference requests per minute for Cohere Command R+", "L-0000CRP1", 400},
	{"Batch inference job size (in GB) for Claude 3 Haiku", "L-BATCH001", 5},
	{"Model units no-commitment Provisioned Throughputs across base models", "L-PTNOCOM1", 2},
	{"Model invocation max tokens per day for Anthropic Claude 3 Haiku", "L-DAYTOK01", 720000000},
	{"Minimum number of records per batch inference job", "L-MINREC01", 1000},
}

func client(url string) *sdk.Client {
	return sdk.New(sdk.Options{Region: "us-east-1", BaseEndpoint: aws.String(url),
		Credentials: credentials.NewStaticCredentialsProvider("AKIDTEST", "secret", ""),
		Retryer: retry.NewStandard(func(o *retry.StandardOptions) {
			o.MaxAttempts, o.Backoff, o.RateLimiter = 3, noBackoff{}, ratelimit.None
		})})
}

func TestQuotasMatchAndOverride(t *testing.T) {
	fake := servicequotastest.New(4, realistic...)
	defer fake.Close()
	qs, err := servicequotas.List(context.Background(), client(fake.URL))
	if err != nil {
		t.Fatal(err)
	}
	if len(qs) != len(realistic) || fake.Calls(servicequotastest.Target) != 3 {
		t.Fatalf("%d quotas in %d calls, want %d in 3 pages", len(qs), fake.Calls(servicequotastest.Target), len(realistic))
	}
	res := servicequotas.MatchQuotas(qs, pricing.Default())
	var got []string
	for _, m := range res.Matched {
		got = append(got, m.ModelID+" "+m.Kind+map[bool]string{true: " cross-region", false: ""}[m.CrossRegion])
	}
	want := "amazon.titan-text-express-v1 rpm|amazon.titan-text-express-v1 tpm|anthropic.claude-3-haiku-20240307-v1:0 rpm|anthropic.claude-3-haiku-20240307-v1:0 tpm|anthropic.claude-3-haiku-20240307-v1:0 tpm cross-region|meta.llama3-1-70b-instruct-v1:0 tpm"
	if strings.Join(got, "|") != want {
		t.Errorf("matched\n%s\nwant\n%s", strings.Join(got, "|"), want)
	}
	if len(res.Unmatched) != 1 || res.Unmatched[0].Code != "L-0000CRP1" || len(res.Ambiguous) != 0 {
		t.Errorf("unmatched %+v, ambiguous %v", res.Unmatched, res.Ambiguous)
	}
	over := servicequotas.Override(res, "us-east-1", time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC))
	if err := over.Validate(); err != nil {
		t.Fatal(err)
	}
	o, err := pricing.Merge(pricing.Default(), over).Lookup("anthropic.claude-3-haiku-20240307-v1:0", "us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	if *o.Quotas.RPM != 1000 || *o.Quotas.TPM != 2_000_000 || !strings.Contains(o.Quotas.Source, "Service Quotas") {
		t.Errorf("quotas %+v (the cross-region 4M must not replace the on-demand 2M)", o.Quotas)
	}
	fake.Fail(servicequotastest.Target, servicequotastest.AccessDenied)
	if _, err := servicequotas.List(context.Background(), client(fake.URL)); err == nil || !strings.Contains(err.Error(), "lack the IAM permission servicequotas:ListServiceQuotas") {
		t.Errorf("access denied: %v", err)
	}
}
