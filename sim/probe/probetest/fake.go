// Package probetest is a fake Amazon Bedrock runtime for tests, speaking
// the protocols the AWS SDK for Go v2 uses: restJson1 for Converse and
// InvokeModel (token counts in the X-Amzn-Bedrock-*-Token-Count headers)
// and binary event-stream frames for ConverseStream. It has the capacity
// of a Provisioned Throughput (input and output tokens per minute, as
// token buckets of a chosen burst or as a sliding window), a latency
// model, and answers past capacity with 429 ThrottlingException;
// ModelNotReadyException, server errors and mid-stream errors can be
// injected, and it can miscount tokens (see Config) while keeping its
// own bill, to test the probe's cost cap.
package probetest

import (
	"bytes"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/smithy-go/eventstream"
)

// Fault is an injected failure.
type Fault string

// Injectable faults.
const (
	NotReady    Fault = "ModelNotReadyException"    // 429, before the answer
	ServerError Fault = "InternalServerException"   // 500
	MidStream   Fault = "modelStreamErrorException" // converse-stream: after the first delta
)

// Config sets the fake's capacity and latency.
type Config struct {
	// Capacity in tokens per minute; 0 is unlimited.
	InputTPM, OutputTPM float64
	// Burst is how much of a second's capacity may be used at once
	// (default 0.1 s): the size of the token buckets, which start full.
	Burst time.Duration
	// Window, when set, replaces the buckets with a sliding-window
	// limiter: a request is let through only if the tokens let through
	// in the last Window, its own included, stay within the capacity
	// for that long.
	Window time.Duration
	// Latency: Base before the first token, PerToken for each output token.
	Base, PerToken time.Duration
	// OutputTokens the model writes (capped by max tokens unless
	// Overshoot); 0 means max tokens.
	OutputTokens int
	// Overshoot makes the model write this many more tokens than asked.
	Overshoot int

	// Misbehaviour, to test the probe's cost cap; the fake bills what it
	// says it bills (see Billed). InputScale multiplies the input count
	// (a tokenizer that counts 1.5× or 100× the words; 0 means 1), billed
	// and reported. ReportInput, when not "", is sent as the input count
	// verbatim (a JSON number or header value: "-100000000", "200.5")
	// while the true count is billed. CacheWriteTokens are reported and
	// billed as cache writes besides the input. MisbehaveAfter answers
	// that many requests honestly before misbehaving.
	InputScale       float64
	ReportInput      string
	CacheWriteTokens int
	MisbehaveAfter   int
}

// Bill is what the fake has billed, in tokens.
type Bill struct {
	Input, CacheWrite, Output int
}

// Server is the fake.
type Server struct {
	*httptest.Server
	cfg Config

	mu        sync.Mutex
	inLevel   float64
	outLevel  float64
	last      time.Time
	faults    []Fault
	requests  int
	throttled int
	tokensIn  int
	tokensOut int
	answered  int // requests let through, for MisbehaveAfter
	bill      Bill
	bills     []Bill // each billed request
	admitted  []admission
}

// admission is a request the sliding window let through.
type admission struct {
	at      time.Time
	in, out int
}

// New starts a fake listening on a loopback port (URL).
func New(cfg Config) *Server {
	s := NewInMemory(cfg)
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// NewInMemory is a fake with no listener: an SDK client reaches it
// through Do, its HTTPClient, which answers on the caller's goroutine.
// Made and used inside a testing/synctest bubble, the fake's limiter and
// latency then run on the bubble's clock, the same one the probe reads:
// a step of a second is a second of that clock however little CPU the
// machine gives the test, and neither side can fall behind the other.
// (A listener would block the bubble's clock: its goroutine waits on the
// network, which no goroutine in the bubble can end.)
func NewInMemory(cfg Config) *Server {
	if cfg.Burst <= 0 {
		cfg.Burst = 100 * time.Millisecond
	}
	s := &Server{cfg: cfg, last: time.Now()}
	s.inLevel, s.outLevel = s.bucket(cfg.InputTPM), s.bucket(cfg.OutputTPM)
	return s
}

// Close stops the fake's listener, if it has one.
func (s *Server) Close() {
	if s.Server != nil {
		s.Server.Close()
	}
}

// Do answers one request in memory, on the caller's goroutine, as the
// listener would: it is an HTTPClient for bedrockruntime.Options (any
// endpoint will do). An answer arrives whole when the handler ends, so a
// stream's time to first token is its whole latency.
func (s *Server) Do(r *http.Request) (*http.Response, error) {
	if err := r.Context().Err(); err != nil {
		return nil, err
	}
	in := r.Clone(r.Context())
	if in.Body == nil {
		in.Body = http.NoBody
	}
	rec := httptest.NewRecorder()
	s.serve(rec, in)
	resp := rec.Result()
	resp.Request = r
	return resp, nil
}

func (s *Server) bucket(tpm float64) float64 { return tpm / 60 * s.cfg.Burst.Seconds() }

// Fail queues faults for the next requests, in order.
func (s *Server) Fail(f ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, f...)
}

// Requests returns the requests received, and how many were throttled.
func (s *Server) Requests() (total, throttled int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests, s.throttled
}

// Served returns the input and output tokens the fake has served.
func (s *Server) Served() (in, out int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tokensIn, s.tokensOut
}

// take refills the buckets and takes a request's tokens, or refuses.
func (s *Server) take(in, out int) bool {
	now := time.Now()
	if s.cfg.Window > 0 {
		return s.slide(now, in, out)
	}
	dt := now.Sub(s.last).Seconds()
	s.last = now
	if s.cfg.InputTPM > 0 {
		s.inLevel = math.Min(s.bucket(s.cfg.InputTPM), s.inLevel+s.cfg.InputTPM/60*dt)
	}
	if s.cfg.OutputTPM > 0 {
		s.outLevel = math.Min(s.bucket(s.cfg.OutputTPM), s.outLevel+s.cfg.OutputTPM/60*dt)
	}
	okIn := s.cfg.InputTPM == 0 || s.inLevel >= float64(in) || s.inLevel >= s.bucket(s.cfg.InputTPM)*0.999
	okOut := s.cfg.OutputTPM == 0 || s.outLevel >= float64(out) || s.outLevel >= s.bucket(s.cfg.OutputTPM)*0.999
	if !okIn || !okOut {
		return false
	}
	if s.cfg.InputTPM > 0 {
		s.inLevel -= float64(in)
	}
	if s.cfg.OutputTPM > 0 {
		s.outLevel -= float64(out)
	}
	return true
}

// slide is the sliding-window limiter.
func (s *Server) slide(now time.Time, in, out int) bool {
	cut := 0
	for cut < len(s.admitted) && now.Sub(s.admitted[cut].at) >= s.cfg.Window {
		cut++
	}
	s.admitted = s.admitted[cut:]
	var usedIn, usedOut int
	for _, a := range s.admitted {
		usedIn += a.in
		usedOut += a.out
	}
	w := s.cfg.Window.Minutes()
	if s.cfg.InputTPM > 0 && float64(usedIn+in) > s.cfg.InputTPM*w+1e-6 || s.cfg.OutputTPM > 0 && float64(usedOut+out) > s.cfg.OutputTPM*w+1e-6 {
		return false
	}
	s.admitted = append(s.admitted, admission{now, in, out})
	return true
}

// words counts the tokens of a prompt as the fake's tokenizer: one per
// word.
func words(s string) int { return len(strings.Fields(s)) }

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	// The model id is one escaped path segment: a PT ARN's "/" arrives as
	// %2F.
	parts := strings.Split(strings.Trim(r.URL.EscapedPath(), "/"), "/")
	if r.Method != http.MethodPost || len(parts) != 3 || parts[0] != "model" {
		writeError(w, 404, "UnknownOperationException", "no such operation")
		return
	}
	if r.Header.Get("Authorization") == "" {
		writeError(w, 403, "UnrecognizedClientException", "The security token included in the request is invalid.")
		return
	}
	op := parts[2]
	body, _ := io.ReadAll(r.Body)
	prompt, maxTokens := parseRequest(op, body)
	out := maxTokens
	if s.cfg.OutputTokens > 0 {
		out = min(out, s.cfg.OutputTokens)
	}
	in := words(prompt)
	cacheWrite := 0
	reportIn := ""

	s.mu.Lock()
	s.requests++
	var fault Fault
	if len(s.faults) > 0 {
		fault, s.faults = s.faults[0], s.faults[1:]
	}
	if s.answered >= s.cfg.MisbehaveAfter {
		out += s.cfg.Overshoot
		if s.cfg.InputScale > 0 {
			in = int(math.Round(float64(in) * s.cfg.InputScale))
		}
		cacheWrite, reportIn = s.cfg.CacheWriteTokens, s.cfg.ReportInput
	}
	ok := fault != "" || s.take(in+cacheWrite, out)
	if !ok {
		s.throttled++
	} else if fault == "" || fault == MidStream {
		s.answered++
		s.tokensIn += in
		s.tokensOut += out
		// A stream that fails midway is billed in full here: the fake
		// errs on the side of billing more.
		b := Bill{Input: in, CacheWrite: cacheWrite, Output: out}
		s.bill.Input += in
		s.bill.CacheWrite += cacheWrite
		s.bill.Output += out
		s.bills = append(s.bills, b)
	}
	s.mu.Unlock()
	if reportIn == "" {
		reportIn = strconv.Itoa(in)
	}
	u := usage{in: reportIn, cacheWrite: cacheWrite, out: out}

	switch {
	case fault == NotReady:
		writeError(w, 429, "ModelNotReadyException", "Model is not ready to serve inference requests.")
		return
	case fault == ServerError:
		writeError(w, 500, "InternalServerException", "Internal server error")
		return
	case !ok:
		writeError(w, 429, "ThrottlingException", "Too many tokens, please wait before trying again.")
		return
	}
	switch op {
	case "converse":
		time.Sleep(s.cfg.Base + time.Duration(out)*s.cfg.PerToken)
		writeJSON(w, map[string]any{
			"output":     map[string]any{"message": map[string]any{"role": "assistant", "content": []map[string]string{{"text": answer(out)}}}},
			"stopReason": "max_tokens",
			"usage":      u.json(),
			"metrics":    map[string]int{"latencyMs": int((s.cfg.Base + time.Duration(out)*s.cfg.PerToken).Milliseconds())},
		}, nil)
	case "invoke":
		time.Sleep(s.cfg.Base + time.Duration(out)*s.cfg.PerToken)
		h := map[string]string{
			"X-Amzn-Bedrock-Input-Token-Count":  u.in,
			"X-Amzn-Bedrock-Output-Token-Count": strconv.Itoa(out),
			"X-Amzn-Bedrock-Invocation-Latency": strconv.Itoa(int((s.cfg.Base + time.Duration(out)*s.cfg.PerToken).Milliseconds())),
		}
		if cacheWrite > 0 {
			h["X-Amzn-Bedrock-Cache-Write-Input-Token-Count"] = strconv.Itoa(cacheWrite)
		}
		writeJSON(w, map[string]any{"completion": answer(out)}, h)
	case "converse-stream":
		s.stream(w, u, out, fault == MidStream)
	default:
		writeError(w, 404, "UnknownOperationException", "no such operation: "+op)
	}
}

// stream answers ConverseStream with event-stream frames: messageStart,
// content deltas (a few tokens each), contentBlockStop, messageStop and
// metadata with the usage.
func (s *Server) stream(w http.ResponseWriter, u usage, out int, failMidway bool) {
	w.Header().Set("Content-Type", "application/vnd.amazon.eventstream")
	w.WriteHeader(200)
	flusher, _ := w.(http.Flusher)
	enc := eventstream.NewEncoder()
	send := func(event string, payload any) {
		b, _ := json.Marshal(payload)
		var h eventstream.Headers
		h.Set(":message-type", eventstream.StringValue("event"))
		h.Set(":event-type", eventstream.StringValue(event))
		h.Set(":content-type", eventstream.StringValue("application/json"))
		enc.Encode(w, eventstream.Message{Headers: h, Payload: b})
		if flusher != nil {
			flusher.Flush()
		}
	}
	time.Sleep(s.cfg.Base)
	send("messageStart", map[string]string{"role": "assistant"})
	const perDelta = 5
	for sent := 0; sent < out; sent += perDelta {
		n := min(perDelta, out-sent)
		send("contentBlockDelta", map[string]any{"contentBlockIndex": 0, "delta": map[string]string{"text": answer(n)}})
		if failMidway {
			var h eventstream.Headers
			h.Set(":message-type", eventstream.StringValue("exception"))
			h.Set(":exception-type", eventstream.StringValue("modelStreamErrorException"))
			h.Set(":content-type", eventstream.StringValue("application/json"))
			enc.Encode(w, eventstream.Message{Headers: h, Payload: []byte(`{"message":"The model stopped unexpectedly."}`)})
			return
		}
		time.Sleep(time.Duration(n) * s.cfg.PerToken)
	}
	send("contentBlockStop", map[string]int{"contentBlockIndex": 0})
	send("messageStop", map[string]string{"stopReason": "max_tokens"})
	send("metadata", map[string]any{"usage": u.json(),
		"metrics": map[string]int{"latencyMs": int((s.cfg.Base + time.Duration(out)*s.cfg.PerToken).Milliseconds())}})
}

// usage is the token counts an answer reports; in is verbatim text, so
// that a misbehaving fake can report any number, or none.
type usage struct {
	in              string
	cacheWrite, out int
}

func (u usage) json() json.RawMessage {
	b := `{"inputTokens":` + u.in + `,"outputTokens":` + strconv.Itoa(u.out)
	if u.cacheWrite > 0 {
		b += `,"cacheWriteInputTokens":` + strconv.Itoa(u.cacheWrite)
	}
	if n, err := strconv.Atoi(u.in); err == nil {
		b += `,"totalTokens":` + strconv.Itoa(n+u.cacheWrite+u.out)
	}
	return json.RawMessage(b + "}")
}

// Billed returns what the fake has billed: the token counts of every
// request it let through, as it would bill them (the true input count
// where it reports another).
func (s *Server) Billed() Bill {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.bill
}

// Bills returns each billed request's tokens, in the order answered.
func (s *Server) Bills() []Bill {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Bill(nil), s.bills...)
}

func answer(tokens int) string {
	var b bytes.Buffer
	for i := range tokens {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(strconv.Itoa(i + 1))
	}
	return b.String()
}

// parseRequest finds the prompt text and max tokens in any of the
// request shapes the probe sends.
func parseRequest(op string, body []byte) (string, int) {
	var m map[string]any
	_ = json.Unmarshal(body, &m)
	var text strings.Builder
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, vv := range x {
				if s, ok := vv.(string); ok && (k == "text" || k == "prompt" || k == "inputText" || k == "content") {
					text.WriteString(s)
					text.WriteByte(' ')
					continue
				}
				walk(vv)
			}
		case []any:
			for _, vv := range x {
				walk(vv)
			}
		}
	}
	walk(m)
	maxTokens := 0
	var find func(v any)
	find = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, vv := range x {
				if f, ok := vv.(float64); ok && (k == "maxTokens" || k == "max_tokens" || k == "maxTokenCount" || k == "max_gen_len") {
					maxTokens = int(f)
				}
				find(vv)
			}
		case []any:
			for _, vv := range x {
				find(vv)
			}
		}
	}
	find(m)
	if maxTokens == 0 {
		maxTokens = 100
	}
	return text.String(), maxTokens
}

func writeJSON(w http.ResponseWriter, v any, headers map[string]string) {
	w.Header().Set("Content-Type", "application/json")
	for k, val := range headers {
		w.Header().Set(k, val)
	}
	json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-ErrorType", code)
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"message": msg})
}
