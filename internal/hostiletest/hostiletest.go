// Package hostiletest is a fake AWS endpoint that answers every request
// the way a broken service, proxy or network does: never, with a body
// that is not the protocol's, with a server error that carries no AWS
// error, or with an answer cut short. It speaks no protocol on purpose,
// so one server stands in for CloudWatch, Bedrock, the Bedrock runtime,
// Service Quotas and the Price List API alike.
package hostiletest

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
)

// Mode is how the server misbehaves.
type Mode string

// The modes.
const (
	// Hang accepts the request and never answers, until the client
	// gives up (closes the connection).
	Hang Mode = "hang"
	// Garbage answers 200 with a body that is no protocol's.
	Garbage Mode = "garbage"
	// ServerError answers 500 with an HTML page, as a proxy or load
	// balancer does, and no AWS error code.
	ServerError Mode = "server-error"
	// Truncated announces a body it does not send: the connection closes
	// after the first bytes.
	Truncated Mode = "truncated"
)

// Modes lists every mode.
func Modes() []Mode { return []Mode{Hang, Garbage, ServerError, Truncated} }

// Server is the fake.
type Server struct {
	*httptest.Server
	mode  Mode
	calls atomic.Int64
	quit  chan struct{} // closed by Close: hung requests end
}

// New starts a server misbehaving in mode.
func New(mode Mode) *Server {
	s := &Server{mode: mode, quit: make(chan struct{})}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Close ends the requests left hanging, then stops the server.
func (s *Server) Close() {
	close(s.quit)
	s.Server.Close()
}

// Calls is how many requests arrived.
func (s *Server) Calls() int { return int(s.calls.Load()) }

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.calls.Add(1)
	switch s.mode {
	case Hang:
		select {
		case <-r.Context().Done(): // the client gave up
		case <-s.quit:
		}
	case Garbage:
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte("\x00\xff<html>this is not the answer}{\n"))
	case ServerError:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusInternalServerError)
		w.Write([]byte("<html><body><h1>500 Internal Server Error</h1></body></html>\n"))
	case Truncated:
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", "4096")
		w.WriteHeader(http.StatusOK)
		w.Write([]byte(`{"MetricDataResults":[{"Id":"m0","Lab`))
		// Returning with fewer bytes than announced makes the server
		// close the connection: the client reads a body cut short.
	}
}
