// Package awserr turns errors from AWS SDK calls into messages that say
// what to do: which IAM permission is missing, that a session expired,
// that no credentials were found.
package awserr
