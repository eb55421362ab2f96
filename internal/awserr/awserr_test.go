package awserr

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// sdkError wraps err the way the SDK does: an operation error around a
// response error.
func sdkError(status int, err error) error {
	resp := &smithyhttp.Response{Response: &http.Response{StatusCode: status}}
	return &smithy.OperationError{ServiceID: "CloudWatch", OperationName: "GetMetricData",
		Err: &smithyhttp.ResponseError{Response: resp, Err: err}}
}

// TestExplainInWords: no raw SDK wording ("UnknownError: UnknownError",
// "StatusCode: 0", "context canceled") reaches the user, and a cancelled
// call still unwraps to context.Canceled.
func TestExplainInWords(t *testing.T) {
	unknown := &smithy.GenericAPIError{Code: "UnknownError", Message: "UnknownError"}
	for _, c := range []struct {
		name string
		err  error
		want string
	}{
		{"unknown 500", sdkError(500, unknown), "GetMetricData failed: AWS (or something between) sent HTTP 500 Internal Server Error with no AWS error in it; re-run later"},
		{"unknown 404", sdkError(404, unknown), "GetMetricData failed: AWS (or something between) sent HTTP 404 Not Found with no AWS error in it; check --endpoint-url"},
		{"cancelled", sdkError(0, fmt.Errorf("canceled, %w", context.Canceled)), "GetMetricData interrupted (cancelled) before AWS answered"},
		{"deadline", sdkError(0, context.DeadlineExceeded), "GetMetricData: AWS did not answer in time"},
		{"refused", sdkError(0, &net.OpError{Op: "dial", Net: "tcp", Addr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 9}, Err: syscall.ECONNREFUSED}),
			"could not reach AWS for GetMetricData: the connection to 127.0.0.1:9 was refused"},
		{"dns", sdkError(0, &net.DNSError{Name: "monitoring.nowhere.example", Err: "no such host"}), "could not reach AWS for GetMetricData: the name monitoring.nowhere.example does not resolve"},
		{"no answer", sdkError(0, errors.New("EOF")), "could not reach AWS for GetMetricData: no answer came back"},
		{"silent", sdkError(0, &awshttp.ResponseTimeoutError{TimeoutDur: time.Minute}), "GetMetricData: AWS sent nothing for 1m0s (--timeout); check the network and --endpoint-url, or raise --timeout"},
		{"garbage", sdkError(200, &smithy.DeserializationError{Err: errors.New("unexpected token at offset 0")}),
			"GetMetricData failed: AWS (or something between) sent HTTP 200 OK with an answer that is not the service's format; check --endpoint-url"},
		{"cut short", sdkError(200, &smithy.DeserializationError{Err: io.ErrUnexpectedEOF}), "GetMetricData failed: AWS (or something between) sent HTTP 200 OK with an answer cut short"},
		{"proxy page", &smithy.OperationError{ServiceID: "CloudWatch", OperationName: "GetMetricData", Err: &retry.MaxAttemptsError{Attempt: 8,
			Err: &smithyhttp.ResponseError{Response: &smithyhttp.Response{Response: &http.Response{StatusCode: 500}}, Err: &smithy.DeserializationError{Err: errors.New("invalid character '<'")}}}},
			"GetMetricData failed: AWS (or something between) sent HTTP 500 Internal Server Error with an answer that is not the service's format (8 attempts)"},
		{"denied", sdkError(403, &smithy.GenericAPIError{Code: "AccessDeniedException", Message: "no"}), "AWS denied GetMetricData: the credentials in use lack the IAM permission cloudwatch:GetMetricData"},
	} {
		got := Explain(c.err, "cloudwatch:GetMetricData")
		msg := got.Error()
		if !strings.HasPrefix(msg, c.want) {
			t.Errorf("%s: %s\nwant %s", c.name, msg, c.want)
		}
		for _, raw := range []string{"UnknownError", "StatusCode: 0", "context canceled", "operation error", "deserialization failed", "exceeded maximum number of attempts"} {
			if strings.Contains(msg, raw) {
				t.Errorf("%s: raw SDK text %q in %s", c.name, raw, msg)
			}
		}
	}
	if err := Explain(sdkError(0, context.Canceled), "cloudwatch:GetMetricData"); !errors.Is(err, context.Canceled) {
		t.Error("a cancelled call no longer unwraps to context.Canceled")
	}
}
