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
	{Name: "On-demand model inference requests per minute for Anthropic Claude 3 Haiku", Code: "L-2DC80978", Value: 1000},
	{Name: "On-demand model inference tokens per minute for Anthropic Claude 3 Haiku", Code: "L-8CE99163", Value: 2000000},
	{Name: "Cross-region model inference tokens per minute for Anthropic Claude 3 Haiku", Code: "L-6E888CC2", Value: 4000000},
	{Name: "Global cross-region model inference tokens per minute for Anthropic Claude 3 Haiku", Code: "L-GLOBAL01", Value: 6000000},
	{Name: "On-demand InvokeModel requests per minute for Amazon Titan Text Express", Code: "L-A58DA1F3", Value: 400},
	{Name: "On-demand InvokeModel tokens per minute for Amazon Titan Text Express", Code: "L-E2D1D60C", Value: 300000},
	{Name: "On-demand model inference tokens per minute for Meta Llama 3.1 70B Instruct", Code: "L-DCADBC78", Value: 300000},
	{Name: "On-demand model inference requests per minute for Cohere Command R+", Code: "L-0000CRP1", Value: 400},
	{Name: "Batch inference job size (in GB) for Claude 3 Haiku", Code: "L-BATCH001", Value: 5},
	{Name: "Model units no-commitment Provisioned Throughputs across base models", Code: "L-PTNOCOM1", Value: 2},
	{Name: "Model invocation max tokens per day for Anthropic Claude 3 Haiku", Code: "L-DAYTOK01", Value: 720000000},
	{Name: "Minimum number of records per batch inference job", Code: "L-MINREC01", Value: 1000},
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
	want := "amazon.titan-text-express-v1 rpm|amazon.titan-text-express-v1 tpm|anthropic.claude-3-haiku-20240307-v1:0 rpm|anthropic.claude-3-haiku-20240307-v1:0 tpd|anthropic.claude-3-haiku-20240307-v1:0 tpm|anthropic.claude-3-haiku-20240307-v1:0 tpm cross-region|anthropic.claude-3-haiku-20240307-v1:0 tpm cross-region|meta.llama3-1-70b-instruct-v1:0 tpm"
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
	if *o.Quotas.RPM != 1000 || *o.Quotas.TPM != 2_000_000 || o.Quotas.TPD == nil || *o.Quotas.TPD != 720_000_000 || !strings.Contains(o.Quotas.Source, "Service Quotas") {
		t.Errorf("quotas %+v (the cross-region 4M must not replace the on-demand 2M)", o.Quotas)
	}
	// The cross-region quota is the us. profile's in us-east-1, the
	// global one the global. profile's.
	if g := over.Models["global.anthropic.claude-3-haiku-20240307-v1:0"]; g == nil || *g.Regions["us-east-1"].Quotas.TPM != 6_000_000 {
		t.Errorf("global quota not on the global. profile: %+v", g)
	}
	prof := over.Models["us.anthropic.claude-3-haiku-20240307-v1:0"]
	if prof == nil || prof.Regions["us-east-1"].Quotas.TPM == nil || *prof.Regions["us-east-1"].Quotas.TPM != 4_000_000 ||
		!strings.Contains(prof.Regions["us-east-1"].Quotas.Source, "L-6E888CC2 = 4000000") {
		t.Errorf("cross-region quota not on the us. profile: %+v", prof)
	}
	fake.Fail(servicequotastest.Target, servicequotastest.AccessDenied)
	if _, err := servicequotas.List(context.Background(), client(fake.URL)); err == nil || !strings.Contains(err.Error(), "lack the IAM permission servicequotas:ListServiceQuotas") {
		t.Errorf("access denied: %v", err)
	}
}
