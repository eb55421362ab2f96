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

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// Explain turns AWS errors into messages that say what to do, naming the
// IAM permission the operation needs.
func Explain(err error, permission string) error {
	op := operation(permission)
	switch {
	case errors.Is(err, context.Canceled):
		return explained{fmt.Sprintf("%s interrupted (cancelled) before AWS answered", op), err}
	case errors.Is(err, context.DeadlineExceeded):
		return explained{fmt.Sprintf("%s: AWS did not answer in time; check the network and --endpoint-url, then re-run", op), err}
	}
	var silent *awshttp.ResponseTimeoutError
	if errors.As(err, &silent) {
		return explained{fmt.Sprintf("%s: AWS sent nothing for %v (--timeout)%s; check the network and --endpoint-url, or raise --timeout, then re-run", op, silent.TimeoutDur, attempts(err)), err}
	}
	var garbled *smithy.DeserializationError
	if errors.As(err, &garbled) {
		// An answer came, but not one the SDK could read: a proxy's page,
		// a body cut short, another service's format.
		what := "an answer that is not the service's format"
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			what = "an answer cut short"
		}
		var re *smithyhttp.ResponseError
		if errors.As(err, &re) && re.Response != nil && re.HTTPStatusCode() != 0 {
			what = fmt.Sprintf("HTTP %d %s with %s", re.HTTPStatusCode(), http.StatusText(re.HTTPStatusCode()), what)
		}
		return explained{fmt.Sprintf("%s failed: AWS (or something between) sent %s%s; check --endpoint-url and any proxy in between, then re-run", op, what, attempts(err)), err}
	}
	if msg := networkProblem(err); msg != "" {
		return explained{fmt.Sprintf("could not reach AWS for %s: %s; check the network, proxy and --endpoint-url, then re-run", op, msg), err}
	}
	var ae smithy.APIError
	if errors.As(err, &ae) && isUnknown(ae.ErrorCode()) {
		// The SDK could not read an error code from the answer (an empty
		// or non-AWS body, often a proxy or a server fault): say what
		// HTTP status came back instead of "UnknownError: UnknownError".
		status := "an answer it could not read"
		var re *smithyhttp.ResponseError
		if errors.As(err, &re) && re.Response != nil && re.HTTPStatusCode() != 0 {
			status = fmt.Sprintf("HTTP %d %s with no AWS error in it", re.HTTPStatusCode(), http.StatusText(re.HTTPStatusCode()))
		}
		hint := "re-run later; if it persists, check --endpoint-url and any proxy in between"
		if errors.As(err, &re) && re.Response != nil && re.HTTPStatusCode() >= 400 && re.HTTPStatusCode() < 500 {
			hint = "check --endpoint-url, the region and any proxy in between"
		}
		return explained{fmt.Sprintf("%s failed: AWS (or something between) sent %s; %s", op, status, hint), err}
	}
	if errors.As(err, &ae) {
		switch code := ae.ErrorCode(); code {
		case "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnauthorizedException":
			return fmt.Errorf("AWS denied %s: the credentials in use lack the IAM permission %s (%s)", operation(permission), permission, ae.ErrorMessage())
		case "ExpiredToken", "ExpiredTokenException", "RequestExpired", "TokenRefreshRequired":
			return fmt.Errorf("the AWS session has expired (%s): sign in again (aws sso login, or fresh credentials) and re-run", code)
		case "InvalidClientTokenId", "UnrecognizedClientException", "SignatureDoesNotMatch", "IncompleteSignature":
			return fmt.Errorf("AWS rejected the credentials (%s): check the access key, secret and profile", code)
		case "Throttling", "ThrottlingException", "TooManyRequestsException":
			return fmt.Errorf("AWS kept throttling %s after retries (%s); wait and re-run: the fetch resumes where it stopped", operation(permission), code)
		}
		return fmt.Errorf("%s failed: %s: %s", operation(permission), ae.ErrorCode(), ae.ErrorMessage())
	}
	msg := err.Error()
	if strings.Contains(msg, "failed to retrieve credentials") || strings.Contains(msg, "no EC2 IMDS role found") || strings.Contains(msg, "failed to refresh cached credentials") {
		return fmt.Errorf("no AWS credentials found: set AWS_PROFILE or --profile, run aws sso login, or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (%v)", err)
	}
	return err
}

// explained is an error in words that still unwraps to the SDK's, so
// callers can tell an interruption (context.Canceled) apart.
type explained struct {
	msg string
	err error
}

func (e explained) Error() string { return e.msg }
func (e explained) Unwrap() error { return e.err }

// attempts says how often the SDK tried, when it gave up after retrying.
func attempts(err error) string {
	var max *retry.MaxAttemptsError
	if errors.As(err, &max) {
		return fmt.Sprintf(" (%d attempts)", max.Attempt)
	}
	return ""
}

func isUnknown(code string) bool { return code == "" || code == "UnknownError" }

// networkProblem describes a failure to reach the endpoint at all (no
// HTTP answer), or returns "".
func networkProblem(err error) string {
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return fmt.Sprintf("the name %s does not resolve", dns.Name)
	}
	var op *net.OpError
	if errors.As(err, &op) {
		switch {
		case errors.Is(op.Err, syscall.ECONNREFUSED):
			return fmt.Sprintf("the connection to %v was refused", op.Addr)
		case op.Timeout():
			return fmt.Sprintf("the connection to %v timed out", op.Addr)
		}
		return fmt.Sprintf("network error (%v)", op.Err)
	}
	var re *smithyhttp.ResponseError
	if errors.As(err, &re) && (re.Response == nil || re.HTTPStatusCode() == 0) {
		var ae smithy.APIError
		if !errors.As(err, &ae) {
			return "no answer came back"
		}
	}
	return ""
}

func operation(permission string) string {
	_, op, _ := strings.Cut(permission, ":")
	return op
}
