package pricelist_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	sdk "github.com/aws/aws-sdk-go-v2/service/pricing"

	"github.com/bedrockplan/bedrockplan/internal/sdkbody/sdkbodytest"
	"github.com/bedrockplan/bedrockplan/pricing/pricelist"
	"github.com/bedrockplan/bedrockplan/pricing/pricelist/pricelisttest"
)

// TestFetchOutlivesRequestWrite: pages whose answers arrive while
// net/http's write goroutine is still finishing the request (certain
// with connections that stall 50 ms after each write, sdkbodytest, and
// answers that take 200 ms; a page of price documents is large) are read
// whole, over one connection. Without plainBody the first page fails:
// "use of closed network connection".
func TestFetchOutlivesRequestWrite(t *testing.T) {
	fake := pricelisttest.New(3, Docs()...)
	defer fake.Close()
	fake.AnswerPause = 200 * time.Millisecond
	hc := sdkbodytest.New(50 * time.Millisecond)
	defer hc.CloseIdleConnections()
	api := sdk.New(sdk.Options{Region: "us-east-1", BaseEndpoint: aws.String(fake.URL),
		Credentials: credentials.NewStaticCredentialsProvider("AKIDTEST", "secret", ""),
		Retryer:     aws.NopRetryer{}, HTTPClient: hc})
	docs, err := pricelist.Fetch(context.Background(), api, "us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	if pages := fake.Calls(pricelisttest.Target); len(docs) != 8 || pages != 3 {
		t.Fatalf("%d documents in %d pages, want 8 in 3", len(docs), pages)
	}
	if n := hc.Dials(); n != 1 {
		t.Errorf("%d connections for 3 pages in a row, want 1: a connection was closed under its answer", n)
	}
}
