package bedrock_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	sdk "github.com/aws/aws-sdk-go-v2/service/bedrock"

	"github.com/bedrockplan/bedrockplan/bedrock"
	"github.com/bedrockplan/bedrockplan/bedrock/bedrocktest"
	"github.com/bedrockplan/bedrockplan/pricing"
)

type noBackoff struct{}

func (noBackoff) BackoffDelay(int, error) (time.Duration, error) { return 0, nil }

func client(fake *bedrocktest.Server) *sdk.Client {
	return sdk.New(sdk.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(fake.URL),
		Credentials: credentials.NewStaticCredentialsProvider("AKIDTEST", "secret", ""),
		Retryer: retry.NewStandard(func(o *retry.StandardOptions) {
			o.MaxAttempts, o.Backoff, o.RateLimiter = 3, noBackoff{}, ratelimit.None
		}),
	})
}

func TestListProvisioned(t *testing.T) {
	expires := time.Date(2027, 5, 1, 0, 0, 0, 0, time.UTC)
	fake := bedrocktest.New(
		bedrocktest.PT{ARN: "arn:aws:bedrock:us-east-1:123456789012:provisioned-model/abc", Name: "prod", ModelARN: "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1", ModelUnits: 2, Commitment: "SixMonths", Expires: expires, Status: "InService"},
		bedrocktest.PT{ARN: "arn:aws:bedrock:us-east-1:123456789012:provisioned-model/def", Name: "try", ModelARN: "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-lite-v1", ModelUnits: 1, Status: "Creating"},
		bedrocktest.PT{ARN: "arn:aws:bedrock:us-east-1:123456789012:provisioned-model/ghi", Name: "batch", ModelARN: "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-lite-v1", ModelUnits: 3, Commitment: "OneMonth", Expires: expires, Status: "InService"},
	)
	defer fake.Close()
	fake.PageSize = 2
	fake.Fail(bedrocktest.Throttling)
	pts, err := bedrock.ListProvisioned(context.Background(), client(fake))
	if err != nil {
		t.Fatal(err)
	}
	if len(pts) != 3 || fake.Calls() != 3 {
		t.Fatalf("%d PTs in %d calls (one throttled, two pages)", len(pts), fake.Calls())
	}
	if p := pts[0]; p.ModelUnits != 2 || p.Term != pricing.TermSixMonths || !p.Expires.Equal(expires) || p.Status != "InService" || p.Name != "prod" {
		t.Errorf("first PT: %+v", p)
	}
	if pts[1].Term != pricing.TermNone || !pts[1].Expires.IsZero() || pts[2].Term != pricing.TermOneMonth {
		t.Errorf("terms: %v %v %v", pts[1].Term, pts[1].Expires, pts[2].Term)
	}
	fake.Fail(bedrocktest.AccessDenied)
	_, err = bedrock.ListProvisioned(context.Background(), client(fake))
	if err == nil || !strings.Contains(err.Error(), "lack the IAM permission bedrock:ListProvisionedModelThroughputs") {
		t.Errorf("access denied: %v", err)
	}
}
