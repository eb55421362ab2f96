// Package bedrocktest is a fake Amazon Bedrock control plane for tests,
// speaking restJson1 as the AWS SDK for Go v2 does: a store of
// Provisioned Throughputs listed with nextToken paging, and injectable
// faults.
package bedrocktest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
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
	Created    time.Time
	Status     string
}

// Model is a foundation model the fake lists, with its lifecycle
// ("ACTIVE" or "LEGACY") and its dates (zero: not reported): legacyTime,
// publicExtendedAccessTime and endOfLifeTime.
type Model struct {
	ID, Name, Status             string
	Legacy, PublicExtendedAccess time.Time
	EOL                          time.Time
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

	// Models are listed by ListFoundationModels.
	Models []Model
	// foundationFault fails the next ListFoundationModels call.
	foundationFault *Fault

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

// FailFoundationModels makes the next ListFoundationModels call fail.
func (s *Server) FailFoundationModels(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.foundationFault = &f
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
	if strings.HasPrefix(r.URL.EscapedPath(), "/foundation-models") {
		fault, s.foundationFault = s.foundationFault, nil
	} else if len(s.faults) > 0 {
		fault, s.faults = &s.faults[0], s.faults[1:]
	}
	pts := s.pts
	s.mu.Unlock()
	if r.Header.Get("Authorization") == "" {
		fault = &Fault{403, "UnrecognizedClientException", "The security token included in the request is invalid."}
	}

	path := r.URL.EscapedPath()
	if r.Method != http.MethodGet {
		fault = &Fault{404, "UnknownOperationException", "the fake serves GET requests only"}
	}
	if fault != nil {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Amzn-ErrorType", fault.Code)
		w.WriteHeader(fault.Status)
		json.NewEncoder(w).Encode(map[string]string{"message": fault.Message})
		return
	}
	switch {
	case path == "/foundation-models":
		var ms []map[string]any
		for _, m := range s.Models {
			lc := map[string]any{"status": m.Status}
			for name, t := range map[string]time.Time{"legacyTime": m.Legacy, "publicExtendedAccessTime": m.PublicExtendedAccess, "endOfLifeTime": m.EOL} {
				if !t.IsZero() {
					lc[name] = t.UTC().Format(time.RFC3339)
				}
			}
			ms = append(ms, map[string]any{"modelId": m.ID, "modelName": m.Name, "modelArn": "arn:aws:bedrock:us-east-1::foundation-model/" + m.ID,
				"providerName": "x", "modelLifecycle": lc})
		}
		writeJSON(w, map[string]any{"modelSummaries": ms})
		return
	case strings.HasPrefix(path, "/provisioned-model-throughput/"):
		id, _ := url.PathUnescape(strings.TrimPrefix(path, "/provisioned-model-throughput/"))
		for _, p := range pts {
			if p.ARN == id || p.Name == id {
				writeJSON(w, summary(p))
				return
			}
		}
		w.Header().Set("X-Amzn-ErrorType", "ResourceNotFoundException")
		w.WriteHeader(404)
		json.NewEncoder(w).Encode(map[string]string{"message": "no such provisioned model"})
		return
	case path != "/provisioned-model-throughputs":
		w.Header().Set("X-Amzn-ErrorType", "UnknownOperationException")
		w.WriteHeader(404)
		json.NewEncoder(w).Encode(map[string]string{"message": "unknown path " + path})
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
		summaries = append(summaries, summary(p))
	}
	out := map[string]any{"provisionedModelSummaries": summaries}
	if end < len(pts) {
		out["nextToken"] = strconv.Itoa(end)
	}
	writeJSON(w, out)
}

func summary(p PT) map[string]any {
	created := p.Created
	if created.IsZero() {
		created = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	m := map[string]any{
		"provisionedModelArn": p.ARN, "provisionedModelName": p.Name, "modelArn": p.ModelARN, "desiredModelArn": p.ModelARN,
		"foundationModelArn": p.ModelARN, "modelUnits": p.ModelUnits, "desiredModelUnits": p.ModelUnits, "status": p.Status,
		"creationTime": created.UTC().Format(time.RFC3339), "lastModifiedTime": created.UTC().Format(time.RFC3339),
	}
	if p.Commitment != "" {
		m["commitmentDuration"] = p.Commitment
		m["commitmentExpirationTime"] = p.Expires.UTC().Format(time.RFC3339)
	}
	return m
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}
