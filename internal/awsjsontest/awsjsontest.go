// Package awsjsontest is the shared core of fakes for AWS services that
// speak awsJson1_1 (POST / with X-Amz-Target; errors as {"__type",
// "Message"}): Service Quotas and the Price List API. It routes by
// target, injects faults and counts calls.
package awsjsontest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"time"
)

// Fault is an error answer.
type Fault struct {
	Status  int
	Type    string
	Message string
}

// Handler answers one operation's request body.
type Handler func(req map[string]any) (any, *Fault)

// Server is the fake.
type Server struct {
	*httptest.Server
	// AnswerPause, when positive, sends each answer's body in two halves
	// this far apart, as a large answer crossing a network arrives: the
	// client reads it after its request is done (see internal/sdkbody).
	AnswerPause time.Duration

	mu       sync.Mutex
	handlers map[string]Handler
	faults   map[string][]Fault
	calls    map[string]int
}

// New starts a server with a handler per X-Amz-Target value.
func New(handlers map[string]Handler) *Server {
	s := &Server{handlers: handlers, faults: map[string][]Fault{}, calls: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Fail makes the next calls of target fail, in order.
func (s *Server) Fail(target string, faults ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[target] = append(s.faults[target], faults...)
}

// Calls returns how many requests of target arrived.
func (s *Server) Calls(target string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[target]
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	target := r.Header.Get("X-Amz-Target")
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	fail := func(f Fault) {
		s.reply(w, f.Status, map[string]string{"__type": f.Type, "Message": f.Message})
	}
	if r.Method != http.MethodPost || r.URL.Path != "/" || r.Header.Get("Content-Type") != "application/x-amz-json-1.1" {
		fail(Fault{400, "SerializationException", "not an awsJson1_1 request"})
		return
	}
	if r.Header.Get("Authorization") == "" {
		fail(Fault{400, "MissingAuthenticationTokenException", "Missing Authentication Token"})
		return
	}
	s.mu.Lock()
	s.calls[target]++
	h := s.handlers[target]
	var fault *Fault
	if q := s.faults[target]; len(q) > 0 {
		fault, s.faults[target] = &q[0], q[1:]
	}
	s.mu.Unlock()
	if fault != nil {
		fail(*fault)
		return
	}
	if h == nil {
		fail(Fault{400, "UnknownOperationException", "the fake has no " + target})
		return
	}
	body, _ := io.ReadAll(r.Body)
	var req map[string]any
	if err := json.Unmarshal(body, &req); err != nil {
		fail(Fault{400, "SerializationException", err.Error()})
		return
	}
	out, f := h(req)
	if f != nil {
		fail(*f)
		return
	}
	s.reply(w, http.StatusOK, out)
}

// reply sends v as JSON with its Content-Length, in two halves
// AnswerPause apart when that is set.
func (s *Server) reply(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status, body = http.StatusInternalServerError, []byte(`{"__type":"InternalServerException","Message":"the fake could not encode its answer"}`)
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	if s.AnswerPause <= 0 {
		w.Write(body)
		return
	}
	w.Write(body[:len(body)/2])
	w.(http.Flusher).Flush()
	time.Sleep(s.AnswerPause)
	w.Write(body[len(body)/2:])
}

// Page returns the [offset, end) of n items for a request's NextToken (a
// decimal offset, as this fake issues them) and MaxResults (def when
// absent), or a fault for a bad token.
func Page(req map[string]any, n, def int) (int, int, *Fault) {
	offset := 0
	if tok, ok := req["NextToken"].(string); ok && tok != "" {
		var v int
		for _, c := range tok {
			if c < '0' || c > '9' {
				return 0, 0, &Fault{400, "InvalidNextTokenException", "Invalid pagination token"}
			}
			v = v*10 + int(c-'0')
		}
		if v > n {
			return 0, 0, &Fault{400, "InvalidNextTokenException", "Invalid pagination token"}
		}
		offset = v
	}
	size := def
	if m, ok := req["MaxResults"].(float64); ok && m > 0 {
		size = int(m)
	}
	return offset, min(n, offset+size), nil
}
