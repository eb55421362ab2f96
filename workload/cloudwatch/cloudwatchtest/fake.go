// Package cloudwatchtest is a fake CloudWatch for tests, speaking the
// protocol the AWS SDK for Go v2 uses (Smithy RPC v2 CBOR) and behaving
// like the service where the planner depends on it: retention by period
// (a period that does not suit the data's age returns no points and no
// error), the 500-query and 100,800-datapoint limits, NextToken paging
// with PartialData, ListMetrics' two-week horizon, and injectable
// throttling, server and authorization faults.
//
// Metrics live in the AWS/Bedrock or AWS/BedrockMantle namespace under a
// ModelId dimension and, optionally, further dimensions (ServiceTier,
// ResolvedServiceTier). As in CloudWatch, a query matches a metric only
// when its dimensions are exactly the metric's: the fake does not add
// tier-split metrics up into the ModelId-only one; a test that wants both
// (as the service publishes them) stores both.
package cloudwatchtest

import (
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/smithy-go/encoding/cbor"
)

// Fault is an error the server returns instead of an answer.
type Fault struct {
	Status int
	// Code is the error code (the X-Amzn-Query-Error code and __type).
	Code    string
	Message string
}

// Common faults.
var (
	Throttling    = Fault{400, "Throttling", "Rate exceeded"}
	InternalError = Fault{500, "InternalServiceFault", "Internal service error"}
	AccessDenied  = Fault{403, "AccessDenied", "User: arn:aws:iam::123456789012:user/planner is not authorized to perform: cloudwatch:GetMetricData because no identity-based policy allows the cloudwatch:GetMetricData action"}
	ExpiredToken  = Fault{403, "ExpiredToken", "The security token included in the request is expired"}
)

// Namespaces the fake serves.
const (
	Bedrock       = "AWS/Bedrock"
	BedrockMantle = "AWS/BedrockMantle"
)

// Dimension is a metric dimension besides ModelId.
type Dimension struct{ Name, Value string }

type seriesKey struct {
	namespace, model string
	dims             string // the other dimensions, canonical (dimsKey)
	metric           string
}

// dimsKey writes dimensions in one order, so that equal sets are equal
// strings.
func dimsKey(dims []Dimension) string {
	parts := make([]string, len(dims))
	for i, d := range dims {
		parts[i] = d.Name + "=" + d.Value
	}
	sort.Strings(parts)
	return strings.Join(parts, ",")
}

// parseDims is the inverse of dimsKey.
func parseDims(key string) []Dimension {
	if key == "" {
		return nil
	}
	var out []Dimension
	for _, p := range strings.Split(key, ",") {
		n, v, _ := strings.Cut(p, "=")
		out = append(out, Dimension{n, v})
	}
	return out
}

// Server is the fake. Its zero configuration is ready after New.
type Server struct {
	*httptest.Server
	// Now is the service's clock for retention rules.
	Now time.Time
	// PageSize caps the datapoints in one response (default 100,800);
	// smaller values force NextToken paging.
	PageSize int
	// ListPageSize caps the metrics in one ListMetrics response (default
	// 500, as CloudWatch).
	ListPageSize int
	// AnswerPause, when positive, sends each answer's body in two halves
	// this far apart, as a large answer crossing a network arrives: the
	// client reads it after its request is done (see internal/sdkbody).
	AnswerPause time.Duration

	mu     sync.Mutex
	data   map[seriesKey]map[int64]float64 // per-minute values, Unix seconds
	faults map[string][]Fault              // per operation, served in order
	calls  map[string]int
	// Requested counts the metric queries received, as CloudWatch bills.
	requested int
}

// New starts a fake whose clock reads now.
func New(now time.Time) *Server {
	s := &Server{Now: now.UTC(), data: map[seriesKey]map[int64]float64{}, faults: map[string][]Fault{}, calls: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Put stores one minute's value of an AWS/Bedrock metric with the
// ModelId dimension alone. For Sum metrics it is the minute's sum; for
// latency a mean.
func (s *Server) Put(model, metric string, t time.Time, v float64) {
	s.PutIn(Bedrock, model, nil, metric, t, v)
}

// PutIn stores one minute's value of a metric in a namespace, with the
// ModelId dimension and the further dimensions given.
func (s *Server) PutIn(namespace, model string, dims []Dimension, metric string, t time.Time, v float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := seriesKey{namespace, model, dimsKey(dims), metric}
	if s.data[k] == nil {
		s.data[k] = map[int64]float64{}
	}
	s.data[k][t.Unix()/60*60] = v
}

// Fail makes the next calls of op (GetMetricData or ListMetrics) fail, in
// the order given.
func (s *Server) Fail(op string, faults ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[op] = append(s.faults[op], faults...)
}

// Calls returns how many requests of op the server received.
func (s *Server) Calls(op string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[op]
}

// Requested returns the metric queries received over all GetMetricData
// calls (CloudWatch bills per metric requested).
func (s *Server) Requested() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requested
}

const pathPrefix = "/service/GraniteServiceVersion20100801/operation/"

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	op := strings.TrimPrefix(r.URL.Path, pathPrefix)
	if r.Method != http.MethodPost || op == r.URL.Path || r.Header.Get("Smithy-Protocol") != "rpc-v2-cbor" {
		s.fail(w, Fault{400, "UnknownOperationException", "not an RPC v2 CBOR request: " + r.Method + " " + r.URL.Path})
		return
	}
	if r.Header.Get("Authorization") == "" {
		s.fail(w, Fault{403, "MissingAuthenticationToken", "Request is missing Authentication Token"})
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		s.fail(w, Fault{400, "SerializationException", err.Error()})
		return
	}
	in, err := cbor.Decode(body)
	if err != nil {
		s.fail(w, Fault{400, "SerializationException", "body is not CBOR: " + err.Error()})
		return
	}
	req, ok := in.(cbor.Map)
	if !ok {
		s.fail(w, Fault{400, "SerializationException", "body is not a CBOR map"})
		return
	}
	s.mu.Lock()
	s.calls[op]++
	var fault *Fault
	if q := s.faults[op]; len(q) > 0 {
		fault, s.faults[op] = &q[0], q[1:]
	}
	s.mu.Unlock()
	if fault != nil {
		s.fail(w, *fault)
		return
	}
	var out cbor.Map
	var f *Fault
	switch op {
	case "GetMetricData":
		out, f = s.getMetricData(req)
	case "ListMetrics":
		out, f = s.listMetrics(req)
	default:
		f = &Fault{400, "UnknownOperationException", "the fake has no " + op}
	}
	if f != nil {
		s.fail(w, *f)
		return
	}
	answer := cbor.Encode(out)
	w.Header().Set("Smithy-Protocol", "rpc-v2-cbor")
	w.Header().Set("Content-Type", "application/cbor")
	w.Header().Set("Content-Length", strconv.Itoa(len(answer)))
	w.WriteHeader(http.StatusOK)
	s.write(w, answer)
}

// write sends an answer's body, in two halves AnswerPause apart when
// that is set. The caller has set Content-Length: it is known up front.
func (s *Server) write(w http.ResponseWriter, body []byte) {
	if s.AnswerPause <= 0 {
		w.Write(body)
		return
	}
	w.Write(body[:len(body)/2])
	w.(http.Flusher).Flush()
	time.Sleep(s.AnswerPause)
	w.Write(body[len(body)/2:])
}

// fail writes an error as CloudWatch does in RPC v2 CBOR with query
// compatibility: a CBOR map with __type and message, and the code in
// X-Amzn-Query-Error.
func (s *Server) fail(w http.ResponseWriter, f Fault) {
	fault := "Sender"
	if f.Status >= 500 {
		fault = "Receiver"
	}
	w.Header().Set("Smithy-Protocol", "rpc-v2-cbor")
	w.Header().Set("Content-Type", "application/cbor")
	w.Header().Set("X-Amzn-Query-Error", f.Code+";"+fault)
	body := cbor.Encode(cbor.Map{"__type": cbor.String("com.amazonaws.cloudwatch#" + f.Code), "message": cbor.String(f.Message)})
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(f.Status)
	s.write(w, body)
}

func str(v cbor.Value) string {
	if s, ok := v.(cbor.String); ok {
		return string(s)
	}
	return ""
}

func num(v cbor.Value) float64 {
	f, err := cbor.AsFloat64(v)
	if err != nil {
		return math.NaN()
	}
	return f
}

func timeOf(v cbor.Value) (time.Time, bool) {
	t, err := cbor.AsTime(v)
	return t, err == nil
}

type query struct {
	id, namespace, model, dims, metric, stat string
	period                                   int64
}

// allowed reports whether CloudWatch still has data of this age at this
// period: 1-minute data 15 days, 5-minute 63, hourly 455.
func allowed(age time.Duration, period int64) bool {
	day := 24 * time.Hour
	switch {
	case age > 455*day:
		return false
	case age > 63*day:
		return period%3600 == 0
	case age > 15*day:
		return period%300 == 0
	}
	return period%60 == 0
}

func (s *Server) getMetricData(req cbor.Map) (cbor.Map, *Fault) {
	start, ok1 := timeOf(req["StartTime"])
	end, ok2 := timeOf(req["EndTime"])
	if !ok1 || !ok2 || !end.After(start) {
		return nil, &Fault{400, "InvalidParameterValue", "StartTime and EndTime are required and EndTime must be after StartTime"}
	}
	list, _ := req["MetricDataQueries"].(cbor.List)
	if len(list) == 0 {
		return nil, &Fault{400, "MissingParameter", "The parameter MetricDataQueries is required"}
	}
	if len(list) > 500 {
		return nil, &Fault{400, "InvalidParameterValue", "The collection MetricDataQueries must not have a size greater than 500."}
	}
	var qs []query
	points := 0
	for _, item := range list {
		m, _ := item.(cbor.Map)
		stat, _ := m["MetricStat"].(cbor.Map)
		metric, _ := stat["Metric"].(cbor.Map)
		q := query{id: str(m["Id"]), namespace: str(metric["Namespace"]), metric: str(metric["MetricName"]), stat: str(stat["Stat"]), period: int64(num(stat["Period"]))}
		var others []Dimension
		if dims, ok := metric["Dimensions"].(cbor.List); ok {
			for _, d := range dims {
				dm, _ := d.(cbor.Map)
				if str(dm["Name"]) == "ModelId" {
					q.model = str(dm["Value"])
				} else {
					others = append(others, Dimension{str(dm["Name"]), str(dm["Value"])})
				}
			}
		}
		q.dims = dimsKey(others)
		if q.id == "" || q.period <= 0 || q.namespace != Bedrock && q.namespace != BedrockMantle {
			return nil, &Fault{400, "InvalidParameterValue", "each query needs an Id, the AWS/Bedrock or AWS/BedrockMantle namespace and a positive Period"}
		}
		qs = append(qs, q)
		points += int((end.Unix() - start.Unix() + q.period - 1) / q.period)
	}
	if points > 100_800 {
		// Worded as CloudWatch words its datapoint limit errors.
		return nil, &Fault{400, "InvalidParameterCombination", fmt.Sprintf("You have requested up to %d datapoints, which exceeds the limit of 100800. You may reduce the datapoints requested by increasing Period, or decreasing the time range.", points)}
	}
	s.mu.Lock()
	s.requested += len(qs)
	s.mu.Unlock()
	descending := str(req["ScanBy"]) != "TimestampAscending"

	// Every point of every query in order, then the page NextToken picks.
	type point struct {
		q int
		t int64
		v float64
	}
	var all []point
	for i, q := range qs {
		for _, p := range s.points(q, start, end) {
			all = append(all, point{i, p[0], math.Float64frombits(uint64(p[1]))})
		}
	}
	if descending {
		sort.SliceStable(all, func(a, b int) bool { return all[a].q < all[b].q || all[a].q == all[b].q && all[a].t > all[b].t })
	}
	offset, stop, f := page(req["NextToken"], len(all), s.PageSize, 100_800)
	if f != nil {
		return nil, f
	}
	page := all[offset:stop]
	more := stop < len(all)
	results := cbor.List{}
	for i, q := range qs {
		var ts, vs cbor.List
		for _, p := range page {
			if p.q == i {
				ts = append(ts, &cbor.Tag{ID: 1, Value: cbor.Float64(float64(p.t))})
				vs = append(vs, cbor.Float64(p.v))
			}
		}
		status := "Complete"
		if more {
			status = "PartialData"
		}
		results = append(results, cbor.Map{"Id": cbor.String(q.id), "Label": cbor.String(q.metric), "Timestamps": orEmpty(ts),
			"Values": orEmpty(vs), "StatusCode": cbor.String(status)})
	}
	out := cbor.Map{"MetricDataResults": results, "Messages": cbor.List{}}
	if more {
		out["NextToken"] = cbor.String("page-" + strconv.Itoa(stop))
	}
	return out, nil
}

func orEmpty(l cbor.List) cbor.List {
	if l == nil {
		return cbor.List{}
	}
	return l
}

// points aggregates the stored minutes of a query into its period,
// ascending, as [unix, float64 bits]. Intervals without data are absent,
// as in CloudWatch, and so is everything the retention rules hide.
func (s *Server) points(q query, start, end time.Time) [][2]int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	minutes := s.data[seriesKey{q.namespace, q.model, q.dims, q.metric}]
	type agg struct {
		sum, n float64
		vals   []float64
	}
	buckets := map[int64]*agg{}
	for t, v := range minutes {
		if t < start.Unix() || t >= end.Unix() {
			continue
		}
		b := start.Unix() + (t-start.Unix())/q.period*q.period
		if !allowed(s.Now.Sub(time.Unix(b, 0)), q.period) {
			continue
		}
		a := buckets[b]
		if a == nil {
			a = &agg{}
			buckets[b] = a
		}
		a.sum += v
		a.n++
		a.vals = append(a.vals, v)
	}
	var out [][2]int64
	for b, a := range buckets {
		var v float64
		switch q.stat {
		case "Sum":
			v = a.sum
		case "Average":
			v = a.sum / a.n
		case "Maximum":
			v = maxOf(a.vals)
		case "p90":
			sort.Float64s(a.vals)
			v = a.vals[int(math.Ceil(0.9*float64(len(a.vals))))-1]
		default:
			continue
		}
		out = append(out, [2]int64{b, int64(math.Float64bits(v))})
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}

func maxOf(v []float64) float64 {
	m := math.Inf(-1)
	for _, x := range v {
		m = math.Max(m, x)
	}
	return m
}

// listMetrics lists the metrics (namespace, dimensions, name) with data
// in the last two weeks that match the request's namespace and dimension
// names, one page at a time (500 per page, as CloudWatch does).
func (s *Server) listMetrics(req cbor.Map) (cbor.Map, *Fault) {
	ns := str(req["Namespace"])
	var wantDims []string
	if filters, ok := req["Dimensions"].(cbor.List); ok {
		for _, f := range filters {
			fm, _ := f.(cbor.Map)
			wantDims = append(wantDims, str(fm["Name"]))
		}
	}
	s.mu.Lock()
	var keys []seriesKey
	horizon := s.Now.Add(-14 * 24 * time.Hour).Unix()
	for k, minutes := range s.data {
		if ns != "" && k.namespace != ns || !hasDims(k, wantDims) {
			continue
		}
		for t := range minutes {
			if t >= horizon {
				keys = append(keys, k)
				break
			}
		}
	}
	s.mu.Unlock()
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.namespace != b.namespace {
			return a.namespace < b.namespace
		}
		if a.model != b.model {
			return a.model < b.model
		}
		if a.dims != b.dims {
			return a.dims < b.dims
		}
		return a.metric < b.metric
	})
	offset, stop, f := page(req["NextToken"], len(keys), s.ListPageSize, 500)
	if f != nil {
		return nil, f
	}
	page := keys[offset:stop]
	metrics := cbor.List{}
	for _, k := range page {
		dims := cbor.List{cbor.Map{"Name": cbor.String("ModelId"), "Value": cbor.String(k.model)}}
		for _, d := range parseDims(k.dims) {
			dims = append(dims, cbor.Map{"Name": cbor.String(d.Name), "Value": cbor.String(d.Value)})
		}
		metrics = append(metrics, cbor.Map{"Namespace": cbor.String(k.namespace), "MetricName": cbor.String(k.metric), "Dimensions": dims})
	}
	out := cbor.Map{"Metrics": metrics}
	if stop < len(keys) {
		out["NextToken"] = cbor.String("page-" + strconv.Itoa(stop))
	}
	return out, nil
}

// hasDims reports whether the metric has every dimension named.
func hasDims(k seriesKey, names []string) bool {
	for _, n := range names {
		found := n == "ModelId"
		for _, d := range parseDims(k.dims) {
			found = found || d.Name == n
		}
		if !found {
			return false
		}
	}
	return true
}

// page reads a NextToken ("page-N", as this fake issues them) and returns
// the [offset, stop) slice of n items for a page of size (def when 0).
func page(token cbor.Value, n, size, def int) (int, int, *Fault) {
	offset := 0
	if tok := str(token); tok != "" {
		v, err := strconv.Atoi(strings.TrimPrefix(tok, "page-"))
		if err != nil || v < 0 || v > n {
			return 0, 0, &Fault{400, "InvalidNextToken", "The service couldn't process the NextToken"}
		}
		offset = v
	}
	if size <= 0 {
		size = def
	}
	return offset, min(n, offset+size), nil
}
