package awserr

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/smithy-go"
)

// Explain turns AWS errors into messages that say what to do, naming the
// IAM permission the operation needs.
func Explain(err error, permission string) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var ae smithy.APIError
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

func operation(permission string) string {
	_, op, _ := strings.Cut(permission, ":")
	return op
}
