package servicequotas_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	sdk "github.com/aws/aws-sdk-go-v2/service/servicequotas"

	"github.com/bedrockplan/bedrockplan/internal/sdkbody/sdkbodytest"
	"github.com/bedrockplan/bedrockplan/pricing/servicequotas"
	"github.com/bedrockplan/bedrockplan/pricing/servicequotas/servicequotastest"
)

// TestListOutlivesRequestWrite: pages whose answers arrive while
// net/http's write goroutine is still finishing the request (certain
// with connections that stall 50 ms after each write, sdkbodytest, and
// answers that take 200 ms) are read whole, over one connection. Without
// plainBody the first page fails: "use of closed network connection".
func TestListOutlivesRequestWrite(t *testing.T) {
	fake := servicequotastest.New(5, realistic...)
	defer fake.Close()
	fake.AnswerPause = 200 * time.Millisecond
	hc := sdkbodytest.New(50 * time.Millisecond)
	defer hc.CloseIdleConnections()
	api := sdk.New(sdk.Options{Region: "us-east-1", BaseEndpoint: aws.String(fake.URL),
		Credentials: credentials.NewStaticCredentialsProvider("AKIDTEST", "secret", ""),
		Retryer:     aws.NopRetryer{}, HTTPClient: hc})
	qs, err := servicequotas.List(context.Background(), api)
	if err != nil {
		t.Fatal(err)
	}
	if pages := fake.Calls(servicequotastest.Target); len(qs) != len(realistic) || pages != 3 {
		t.Fatalf("%d quotas in %d pages, want %d in 3", len(qs), pages, len(realistic))
	}
	if n := hc.Dials(); n != 1 {
		t.Errorf("%d connections for 3 pages in a row, want 1: a connection was closed under its answer", n)
	}
}
