// Package bedrocktest is a fake Amazon Bedrock control plane for tests,
// speaking restJson1 as the AWS SDK for Go v2 does: a store of
// Provisioned Throughputs listed with nextToken paging, and injectable
// faults.
package bedrocktest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"time"
)

// PT is a Provisioned Throughput the fake lists.
type PT struct {
	ARN, Name, ModelARN string
	ModelUnits          int
	// Commitment is "", "OneMonth" or "SixMonths".
	Commitment string
	Expires    time.Time
	Status     string
}

// Fault is an error the server returns instead of an answer.
type Fault struct {
	Status  int
	Code    string
	Message string
}

// Common faults.
var (
	AccessDenied = Fault{403, "AccessDeniedException", "User: arn:aws:iam::123456789012:user/planner is not authorized to perform: bedrock:ListProvisionedModelThroughputs"}
	Throttling   = Fault{429, "ThrottlingException", "Too many requests, please wait before trying again."}
)

// Server is the fake.
type Server struct {
	*httptest.Server
	// PageSize caps the summaries in one response (default 100).
	PageSize int

	mu     sync.Mutex
	pts    []PT
	faults []Fault
	calls  int
}

// New starts a fake holding pts.
func New(pts ...PT) *Server {
	s := &Server{pts: pts}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Fail makes the next requests fail, in the order given.
func (s *Server) Fail(faults ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, faults...)
}

// Calls returns how many requests the server received.
func (s *Server) Calls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.calls++
	var fault *Fault
	if len(s.faults) > 0 {
		fault, s.faults = &s.faults[0], s.faults[1:]
	}
	pts := s.pts
	s.mu.Unlock()
	if r.Header.Get("Authorization") == "" {
		fault = &Fault{403, "UnrecognizedClientException", "The security token included in the request is invalid."}
	}
	if r.Method != http.MethodGet || r.URL.Path != "/provisioned-model-throughputs" {
		fault = &Fault{404, "UnknownOperationException", "the fake serves GET /provisioned-model-throughputs only"}
	}
	if fault != nil {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Amzn-ErrorType", fault.Code)
		w.WriteHeader(fault.Status)
		json.NewEncoder(w).Encode(map[string]string{"message": fault.Message})
		return
	}
	offset := 0
	if tok := r.URL.Query().Get("nextToken"); tok != "" {
		n, err := strconv.Atoi(tok)
		if err != nil || n < 0 || n > len(pts) {
			w.Header().Set("X-Amzn-ErrorType", "ValidationException")
			w.WriteHeader(400)
			json.NewEncoder(w).Encode(map[string]string{"message": "invalid nextToken"})
			return
		}
		offset = n
	}
	size := s.PageSize
	if size <= 0 {
		size = 100
	}
	end := min(len(pts), offset+size)
	var summaries []map[string]any
	for _, p := range pts[offset:end] {
		m := map[string]any{
			"provisionedModelArn": p.ARN, "provisionedModelName": p.Name, "modelArn": p.ModelARN, "desiredModelArn": p.ModelARN,
			"foundationModelArn": p.ModelARN, "modelUnits": p.ModelUnits, "desiredModelUnits": p.ModelUnits, "status": p.Status,
			"creationTime": "2026-01-01T00:00:00Z", "lastModifiedTime": "2026-01-01T00:00:00Z",
		}
		if p.Commitment != "" {
			m["commitmentDuration"] = p.Commitment
			m["commitmentExpirationTime"] = p.Expires.UTC().Format(time.RFC3339)
		}
		summaries = append(summaries, m)
	}
	out := map[string]any{"provisionedModelSummaries": summaries}
	if end < len(pts) {
		out["nextToken"] = strconv.Itoa(end)
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(out)
}
