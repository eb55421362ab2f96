package bedrock

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdk "github.com/aws/aws-sdk-go-v2/service/bedrock"
	"github.com/aws/aws-sdk-go-v2/service/bedrock/types"

	"github.com/bedrockplan/bedrockplan/internal/awserr"
	"github.com/bedrockplan/bedrockplan/internal/sdkbody"
	"github.com/bedrockplan/bedrockplan/pricing"
)

// API is the part of the Bedrock control-plane client the planner uses;
// *bedrock.Client from the AWS SDK implements it.
type API interface {
	ListProvisionedModelThroughputs(context.Context, *sdk.ListProvisionedModelThroughputsInput, ...func(*sdk.Options)) (*sdk.ListProvisionedModelThroughputsOutput, error)
	GetProvisionedModelThroughput(context.Context, *sdk.GetProvisionedModelThroughputInput, ...func(*sdk.Options)) (*sdk.GetProvisionedModelThroughputOutput, error)
	ListFoundationModels(context.Context, *sdk.ListFoundationModelsInput, ...func(*sdk.Options)) (*sdk.ListFoundationModelsOutput, error)
}

// plainBody keeps net/http from closing a connection under an answer
// still being read (issue #15; package sdkbody says how). The calls made
// today are GETs without a body, which the race cannot touch; every call
// passes it all the same, so that one with a body (a purchase, say) is
// covered when it is added. Clients other than the SDK's ignore it.
func plainBody(o *sdk.Options) { o.HTTPClient = sdkbody.Wrap(o.HTTPClient) }

// Provisioned is one Provisioned Throughput of the account.
type Provisioned struct {
	ARN        string // how it is invoked (as modelId) and how CloudWatch names it
	Name       string
	ModelARN   string // the model it serves
	Created    time.Time
	ModelUnits int
	Term       pricing.Term
	Expires    time.Time // commitment expiry; zero without commitment
	Status     string    // Creating, InService, Updating, Failed
}

// ListProvisioned lists every Provisioned Throughput of the account in the
// client's region, following pages.
func ListProvisioned(ctx context.Context, api API) ([]Provisioned, error) {
	var out []Provisioned
	p := sdk.NewListProvisionedModelThroughputsPaginator(api, &sdk.ListProvisionedModelThroughputsInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx, plainBody)
		if err != nil {
			return nil, awserr.Explain(err, "bedrock:ListProvisionedModelThroughputs")
		}
		for _, s := range page.ProvisionedModelSummaries {
			pt := Provisioned{
				ARN: aws.ToString(s.ProvisionedModelArn), Name: aws.ToString(s.ProvisionedModelName),
				ModelARN: aws.ToString(s.ModelArn), ModelUnits: int(aws.ToInt32(s.ModelUnits)),
				Term: term(s.CommitmentDuration), Expires: aws.ToTime(s.CommitmentExpirationTime), Status: string(s.Status),
			}
			out = append(out, pt)
		}
	}
	return out, nil
}

func term(d types.CommitmentDuration) pricing.Term {
	switch d {
	case types.CommitmentDurationOneMonth:
		return pricing.TermOneMonth
	case types.CommitmentDurationSixMonths:
		return pricing.TermSixMonths
	}
	return pricing.TermNone
}
