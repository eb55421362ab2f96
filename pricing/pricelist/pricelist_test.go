package pricelist_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	sdk "github.com/aws/aws-sdk-go-v2/service/pricing"

	"github.com/bedrockplan/bedrockplan/internal/awsjsontest"
	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/pricing/pricelist"
	"github.com/bedrockplan/bedrockplan/pricing/pricelist/pricelisttest"
)

type noBackoff struct{}

func (noBackoff) BackoffDelay(int, error) (time.Duration, error) { return 0, nil }

// Docs are real-shaped PriceList documents: per-1K-token prices as AWS
// lists them, a batch price, PT terms, another region and a model the
// catalogue lacks.
func Docs() []string {
	p := pricelisttest.Product
	return []string{
		p("SKU1", "us-east-1", "Titan Text G1 - Express", "On-demand Inference", "Input tokens", "USE1-TitanTextG1-Express-input-tokens", "1K tokens", "0.0002200000", nil),
		p("SKU2", "us-east-1", "Titan Text G1 - Express", "On-demand Inference", "Output tokens", "USE1-TitanTextG1-Express-output-tokens", "1K tokens", "0.0006000000", nil),
		p("SKU3", "us-east-1", "Titan Text G1 - Express", "Provisioned Throughput", "", "USE1-TitanTextG1-Express-PT-6mo", "Hrs", "14.8000000000", map[string]string{"commitmentTerm": "6 month"}),
		p("SKU4", "us-east-1", "Titan Text G1 - Express", "Provisioned Throughput", "", "USE1-TitanTextG1-Express-PT-nocommit", "Hrs", "21.0000000000", map[string]string{"commitmentTerm": "No commitment"}),
		p("SKU5", "us-east-1", "Claude 3 Haiku", "On-demand Inference", "Input tokens", "USE1-Claude3Haiku-input-tokens", "1K tokens", "0.0002500000", nil),
		p("SKU6", "us-east-1", "Claude 3 Haiku", "On-demand Inference", "Output tokens", "USE1-Claude3Haiku-output-tokens", "1K tokens", "0.0012500000", nil),
		p("SKU7", "us-east-1", "Claude 3 Haiku", "Batch Inference", "Input tokens", "USE1-Claude3Haiku-batch-input-tokens", "1K tokens", "0.0001250000", nil),
		p("SKU8", "us-east-1", "Command R+", "On-demand Inference", "Input tokens", "USE1-CommandRPlus-input-tokens", "1K tokens", "0.0030000000", nil),
		p("SKU9", "eu-central-1", "Claude 3 Haiku", "On-demand Inference", "Input tokens", "EUC1-Claude3Haiku-input-tokens", "1K tokens", "0.0003000000", nil),
	}
}

func client(url string) *sdk.Client {
	return sdk.New(sdk.Options{Region: "us-east-1", BaseEndpoint: aws.String(url),
		Credentials: credentials.NewStaticCredentialsProvider("AKIDTEST", "secret", ""),
		Retryer: retry.NewStandard(func(o *retry.StandardOptions) {
			o.MaxAttempts, o.Backoff, o.RateLimiter = 3, noBackoff{}, ratelimit.None
		})})
}

func TestPriceList(t *testing.T) {
	fake := pricelisttest.New(3, Docs()...)
	defer fake.Close()
	docs, err := pricelist.Fetch(context.Background(), client(fake.URL), "us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 8 || fake.Calls(pricelisttest.Target) != 3 {
		t.Fatalf("%d documents in %d calls, want 8 (us-east-1) in 3 pages", len(docs), fake.Calls(pricelisttest.Target))
	}
	products, err := pricelist.Parse(docs)
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
	over, unmatched := pricelist.Override(products, pricing.Default(), "us-east-1", day)
	if err := over.Validate(); err != nil {
		t.Fatal(err)
	}
	if strings.Join(unmatched, "|") != "Command R+" {
		t.Errorf("unmatched %v", unmatched)
	}
	o, err := pricing.Merge(pricing.Default(), over).Lookup("amazon.titan-text-express-v1", "us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	near := func(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }
	if !near(o.OnDemand.InputPer1M.USD, 0.22) || !near(o.OnDemand.OutputPer1M.USD, 0.60) || o.PT[pricing.TermSixMonths].USD != 14.8 ||
		o.PT[pricing.TermNone].USD != 21 || o.PT[pricing.TermOneMonth].USD != 18.4 {
		t.Errorf("titan: in %v out %v PT %v", o.OnDemand.InputPer1M.USD, o.OnDemand.OutputPer1M.USD, o.PT)
	}
	if !strings.HasPrefix(o.OnDemand.InputPer1M.Source, "AWS Price List API") || o.OnDemand.InputPer1M.AsOf != "2026-11-26" {
		t.Errorf("source %q as of %q", o.OnDemand.InputPer1M.Source, o.OnDemand.InputPer1M.AsOf)
	}
	h, _ := pricing.Merge(pricing.Default(), over).Lookup("anthropic.claude-3-haiku-20240307-v1:0", "us-east-1")
	if h.OnDemand.BatchFactor == nil || !near(h.OnDemand.BatchFactor.Value, 0.5) {
		t.Errorf("haiku batch factor %+v", h.OnDemand.BatchFactor)
	}
	var figures []string
	for _, c := range pricing.Diff(pricing.Default(), over) {
		if !c.Provenance() {
			figures = append(figures, c.String())
		}
	}
	diff := strings.Join(figures, "\n")
	want := "amazon.titan-text-express-v1 us-east-1 on_demand.input_per_1m: $0.2 -> $0.22 (+10.0%)\namazon.titan-text-express-v1 us-east-1 provisioned.none: $20.5 -> $21 (+2.4%)"
	if diff != want {
		t.Errorf("diff:\n%s\nwant\n%s", diff, want)
	}
	if pricelist.Endpoint("eu-west-1") != "eu-central-1" || pricelist.Endpoint("ap-northeast-1") != "ap-south-1" || pricelist.Endpoint("us-west-2") != "us-east-1" {
		t.Error("Price List endpoints")
	}
	// Throttling is retried by the SDK; the fetch still completes.
	before := fake.Calls(pricelisttest.Target)
	fake.Fail(pricelisttest.Target, awsjsontest.Fault{Status: 400, Type: "ThrottlingException", Message: "Rate exceeded"})
	if docs, err := pricelist.Fetch(context.Background(), client(fake.URL), "us-east-1"); err != nil || len(docs) != 8 || fake.Calls(pricelisttest.Target)-before != 4 {
		t.Errorf("after a throttle: %v, %d docs, %d calls", err, len(docs), fake.Calls(pricelisttest.Target)-before)
	}
	fake.Fail(pricelisttest.Target, pricelisttest.AccessDenied)
	if _, err := pricelist.Fetch(context.Background(), client(fake.URL), "us-east-1"); err == nil || !strings.Contains(err.Error(), "lack the IAM permission pricing:GetProducts") {
		t.Errorf("access denied: %v", err)
	}
	if _, err := pricelist.Parse([]string{"{not json"}); err == nil || !strings.HasPrefix(err.Error(), "PriceList[0]: not a JSON document") {
		t.Errorf("bad document: %v", err)
	}
}
