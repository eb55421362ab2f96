package sdkbody

import (
	"io"
	"net/http"
)

// Doer is an HTTP client as the AWS SDK takes one: the HTTPClient of
// every service's Options is this interface under its own name.
type Doer interface {
	Do(*http.Request) (*http.Response, error)
}

// Wrap returns c sending every request body of known length to net/http
// as a plain io.ReadCloser, without WriteTo. Wrap(nil) is nil, so that
// the SDK still sees no client; a client Wrap made is returned as it is,
// so that wrapping twice costs nothing.
func Wrap(c Doer) Doer {
	switch c.(type) {
	case nil, plainBody:
		return c
	}
	return plainBody{c}
}

type plainBody struct{ Doer }

// Do hides WriteTo from a body of known length, the only kind net/http
// checks for more bytes after its Content-Length.
func (c plainBody) Do(r *http.Request) (*http.Response, error) {
	if _, ok := r.Body.(io.WriterTo); ok && r.ContentLength > 0 {
		r.Body = readCloser{r.Body}
	}
	return c.Doer.Do(r)
}

// readCloser is an io.ReadCloser and nothing more.
type readCloser struct{ io.ReadCloser }
