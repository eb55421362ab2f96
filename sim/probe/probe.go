package probe

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/bedrockplan/bedrockplan/pricing"
)

// API is how requests are sent.
const (
	APIConverse       = "converse"
	APIConverseStream = "converse-stream"
	APIInvoke         = "invoke"
)

// Shapes of load.
const (
	ShapeConstant    = "constant"    // Rate requests a second, evenly spaced
	ShapePoisson     = "poisson"     // Rate requests a second, exponential gaps
	ShapeConcurrency = "concurrency" // Concurrency requests always in flight
	ShapeRamp        = "ramp"        // concurrency stepping up through Steps
)

// Config is one probe run.
type Config struct {
	Target string // model id, inference profile id or PT ARN
	API    string
	Shape  string
	// Rate (requests a second) for constant and poisson; Concurrency for
	// concurrency; Steps (concurrency levels) and StepDuration for ramp.
	Rate         float64
	Concurrency  int
	Steps        []int
	StepDuration time.Duration
	// InputTokens sizes the synthetic prompt; MaxTokens caps each answer.
	InputTokens, MaxTokens int
	// Bounds: the run stops at whichever comes first.
	Duration    time.Duration
	MaxRequests int
	MaxCostUSD  float64
	// MaxRetries on throttling per request (the probe's own, counted).
	MaxRetries int
	Seed       uint64
	// Prices for the cost cap, per million tokens; zero prices (a PT,
	// billed by the hour) make the cap count on-demand-equivalent cost
	// only if given. The probe never asks for prompt caching, but a
	// service that reports cache tokens is charged for them: cache reads
	// at CacheReadPer1M (InputPer1M when zero), cache writes at the
	// dearer of CacheWritePer1M and the 1-hour rate, twice InputPer1M.
	InputPer1M, OutputPer1M         float64
	CacheReadPer1M, CacheWritePer1M float64
}

// Validate checks a config before anything is sent.
func (c Config) Validate() error {
	switch c.API {
	case APIConverse, APIConverseStream, APIInvoke:
	default:
		return fmt.Errorf("--api %q: want converse, converse-stream or invoke", c.API)
	}
	switch c.Shape {
	case ShapeConstant, ShapePoisson:
		if !(c.Rate > 0) || c.Rate > 10_000 {
			return fmt.Errorf("--rate %v: want requests a second above 0", c.Rate)
		}
	case ShapeConcurrency:
		if c.Concurrency < 1 || c.Concurrency > 10_000 {
			return fmt.Errorf("--concurrency %d: want 1 or more", c.Concurrency)
		}
	case ShapeRamp:
		if len(c.Steps) == 0 || c.StepDuration <= 0 {
			return errors.New("a ramp needs --steps (e.g. 1,2,4,8) and --step-duration")
		}
		for _, s := range c.Steps {
			if s < 1 {
				return fmt.Errorf("--steps: %d is not a concurrency", s)
			}
		}
	default:
		return fmt.Errorf("--shape %q: want constant, poisson, concurrency or ramp", c.Shape)
	}
	if c.InputTokens < 1 || c.MaxTokens < 1 {
		return errors.New("--input-tokens and --max-tokens must be at least 1")
	}
	if c.Duration <= 0 && c.MaxRequests <= 0 && c.Shape != ShapeRamp {
		return errors.New("bound the run with --duration or --max-requests")
	}
	if c.MaxCostUSD < 0 || math.IsNaN(c.MaxCostUSD) {
		return fmt.Errorf("--max-cost %v: want a positive amount", c.MaxCostUSD)
	}
	return nil
}

// totalDuration is how long the load runs at most.
func (c Config) totalDuration() time.Duration {
	if c.Shape == ShapeRamp {
		return time.Duration(len(c.Steps)) * c.StepDuration
	}
	return c.Duration
}

// templateAllowance is the tokens a service may add around the prompt
// (chat template, role markers, a default system prompt): generous,
// since the bound it enters only holds back the last requests of a run.
const templateAllowance = 256

// InputBound is the most prompt tokens (input, cache reads and cache
// writes together) one request can count under any tokenizer: the
// prompt's UTF-8 bytes, since every tokenizer in use (byte-level BPE,
// SentencePiece with byte fallback) spends at least one byte a token,
// plus the template allowance. InputTokens only sizes the prompt; the
// service's tokenizer decides what it counts, and it may count more.
func (c Config) InputBound() int { return len(Prompt(c.InputTokens)) + templateAllowance }

// prices are the per-million prices a request is charged at.
func (c Config) cacheReadPrice() float64 {
	if c.CacheReadPer1M > 0 {
		return c.CacheReadPer1M
	}
	return c.InputPer1M
}

func (c Config) cacheWritePrice() float64 { return math.Max(c.CacheWritePer1M, 2*c.InputPer1M) }

// Cost is what a request's counts cost at the config's prices.
func (c Config) Cost(in, cacheRead, cacheWrite, out int) float64 {
	return (float64(in)*c.InputPer1M + float64(cacheRead)*c.cacheReadPrice() +
		float64(cacheWrite)*c.cacheWritePrice() + float64(out)*c.OutputPer1M) / 1e6
}

// MaxCostPerRequest is what one request may cost at most whatever the
// service's tokenizer: InputBound prompt tokens at the dearest prompt
// price (input, cache read or cache write) and the full max tokens. Every
// request in flight is reserved at it.
func (c Config) MaxCostPerRequest() float64 {
	prompt := math.Max(c.InputPer1M, math.Max(c.cacheReadPrice(), c.cacheWritePrice()))
	return (float64(c.InputBound())*prompt + float64(c.MaxTokens)*c.OutputPer1M) / 1e6
}

// DryRun is the request plan a run would follow, with its expected
// tokens and cost.
type DryRun struct {
	Requests             int // upper estimate
	InputTokens          int
	MaxOutputTokens      int
	MaxCostUSD           float64
	PerRequestMaxCostUSD float64
	Description          string
}

// Plan estimates a run without sending anything.
func Plan(c Config) DryRun {
	var n int
	var desc string
	d := c.totalDuration()
	switch c.Shape {
	case ShapeConstant, ShapePoisson:
		n = int(math.Ceil(c.Rate * d.Seconds()))
		desc = fmt.Sprintf("%s load at %.3g requests/s for %s", c.Shape, c.Rate, d)
	case ShapeConcurrency:
		// A guess: one request a second per worker; the real count depends
		// on latency, and the bounds stop it.
		n = int(math.Ceil(float64(c.Concurrency) * d.Seconds()))
		desc = fmt.Sprintf("%d requests in flight for %s (assuming about 1 s per request)", c.Concurrency, d)
	case ShapeRamp:
		for _, s := range c.Steps {
			n += int(math.Ceil(float64(s) * c.StepDuration.Seconds()))
		}
		desc = fmt.Sprintf("ramp through concurrency %v, %s a step", c.Steps, c.StepDuration)
	}
	if c.MaxRequests > 0 && (n == 0 || c.MaxRequests < n) {
		n = c.MaxRequests
	}
	per := c.MaxCostPerRequest()
	if c.MaxCostUSD > 0 && per > 0 {
		n = min(n, int(c.MaxCostUSD/per))
	}
	return DryRun{Requests: n, InputTokens: n * c.InputTokens, MaxOutputTokens: n * c.MaxTokens,
		MaxCostUSD: float64(n) * per, PerRequestMaxCostUSD: per, Description: desc}
}

// Status of a request.
const (
	StatusOK        = "ok"
	StatusThrottled = "throttled"
	StatusNotReady  = "model-not-ready"
	StatusError     = "error"
	StatusCancelled = "cancelled" // cut short by Ctrl-C; left out of the statistics
)

// Record is one request as measured. Times are the final attempt's;
// Retries counts the attempts before it and RetryWait the time they took.
type Record struct {
	Start, End        time.Time
	Latency, TTFT     time.Duration // TTFT is zero without streaming
	InterTokenLatency time.Duration // (latency - TTFT) / (output tokens - 1), streaming only
	InputTokens       int
	OutputTokens      int
	// Cache tokens, when the service reports any (the probe asks for no
	// caching).
	CacheReadTokens, CacheWriteTokens int
	// CountError says why the token counts of an answered request could
	// not be read ("" when they were): missing, or not an integer. Run
	// then charges the request at its bound and stops.
	CountError string
	// Refused is set when the service turned the request away before
	// doing any work (a 4xx answer other than throttling), so it costs
	// nothing. Any other failure may have been billed, and Run charges
	// it at its bound.
	Refused   bool
	Status    string
	Error     string
	Retries   int
	RetryWait time.Duration
	// Offered is the concurrency (ramp, concurrency) or rate (constant,
	// poisson) the request was sent under.
	Offered float64
	Step    int
}

// Invoker sends one request and measures it. Implementations return a
// Record with Status set; Retries are left to Run.
type Invoker interface {
	Invoke(ctx context.Context, inputTokens, maxTokens int) Record
}

// Result is a run: every request, and why it stopped.
type Result struct {
	Config  Config
	Records []Record
	Start   time.Time
	End     time.Time
	Stopped string
	// SpentUSD is the spend as charged: reported counts where the service
	// gave usable ones, the request's bound where it did not.
	SpentUSD float64
	// Failed is set when the run stopped because requests kept failing
	// and none succeeded.
	Failed bool
	// Lag is each time the probe itself ran late (see watchLag): when
	// it did, the load it meant to offer was not all sent, and a step
	// can read low because of the client rather than the target.
	Lag []Lag
}

// Lag is a stretch in which the probe could not run on time: its own
// timer fired Late past its time, at At. The machine was short of CPU,
// or the process was paused, from At-Late to At.
type Lag struct {
	At   time.Time
	Late time.Duration
}

// Run sends load as the config says, through inv, until a bound or
// cancellation.
//
// The cost cap: every request in flight is reserved at MaxCostPerRequest,
// a bound that holds for any tokenizer, and a request starts only if the
// spend so far plus every reservation, its own included, stays within
// MaxCostUSD. Until the service has answered one request with usable
// counts, only one request is in flight, so a service that counts beyond
// the bound from the start is caught on its first answer. Each answer's
// counts are checked: negative or unreadable counts are charged at the
// bound and stop the run; counts above the bound are charged as reported
// (that is what the service says it billed) and stop the run at once.
// The cap therefore holds for what the service bills so long as it bills
// no request beyond the bound; a service that does can pass it by the
// excess of the requests in flight when the first such answer arrives.
func Run(ctx context.Context, inv Invoker, c Config) (*Result, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	res := &Result{Config: c, Start: time.Now()}
	var mu sync.Mutex
	var spent float64
	started, inFlight, succeeded := 0, 0, 0
	trusted := false // an answer with usable counts has arrived
	stopReason := ""
	stop := func(why string) {
		if stopReason == "" {
			stopReason = why
		}
	}
	per := c.MaxCostPerRequest()
	inBound := c.InputBound()
	// admit reserves a request's bound, says to wait (one request is
	// already out and no counts have come back), or says why not.
	admit := func() (ok, wait bool) {
		mu.Lock()
		defer mu.Unlock()
		if stopReason != "" {
			return false, false
		}
		if c.MaxRequests > 0 && started >= c.MaxRequests {
			stop(fmt.Sprintf("reached --max-requests %d", c.MaxRequests))
			return false, false
		}
		if !trusted && inFlight > 0 {
			return false, true
		}
		if c.MaxCostUSD > 0 && spent+float64(inFlight+1)*per > c.MaxCostUSD*(1+1e-12) {
			if inFlight > 0 {
				// Finishing requests may leave room for another.
				return false, true
			}
			stop(fmt.Sprintf("the next request could take the spend past --max-cost $%.4f (spent $%.4f, $%.6f a request at most)", c.MaxCostUSD, spent, per))
			return false, false
		}
		started++
		inFlight++
		return true, false
	}
	// acquire waits for admission while ctx lasts.
	acquire := func(ctx context.Context) bool {
		for {
			ok, wait := admit()
			if !wait {
				return ok
			}
			if !sleepUntil(ctx, time.Now().Add(admitPoll)) {
				return false
			}
		}
	}
	failures := 0 // consecutive requests that failed other than by throttling
	done := func(r Record) {
		mu.Lock()
		defer mu.Unlock()
		inFlight--
		spent += charge(c, r, inBound, per, stop, &trusted)
		res.Records = append(res.Records, r)
		switch r.Status {
		case StatusError, StatusNotReady:
			failures++
			if failures >= maxConsecutiveFailures {
				stop(fmt.Sprintf("%d requests in a row failed, the last with %s", failures, r.Error))
				res.Failed = succeeded == 0
			}
		case StatusOK:
			failures = 0
			succeeded++
		}
	}
	// runCtx bounds when requests are started; requests in flight at the
	// end finish under ctx, which only the caller (Ctrl-C) cancels.
	runCtx, cancel := context.WithTimeout(ctx, c.totalDuration())
	if c.totalDuration() <= 0 {
		runCtx, cancel = context.WithCancel(ctx)
	}
	defer cancel()
	lagCtx, stopLag := context.WithCancel(context.Background())
	lags := make(chan []Lag, 1)
	go func() { lags <- watchLag(lagCtx) }()
	var wg sync.WaitGroup
	send := func(offered float64, step int) string {
		defer wg.Done()
		r := invokeWithRetries(ctx, inv, c)
		r.Offered, r.Step = offered, step
		done(r)
		return r.Status
	}
	stopped := func() bool {
		mu.Lock()
		defer mu.Unlock()
		return stopReason != ""
	}
	switch c.Shape {
	case ShapeConstant, ShapePoisson:
		rng := rand.New(rand.NewPCG(c.Seed, 0x70726f6265))
		next := time.Now()
		for runCtx.Err() == nil && !stopped() {
			before := time.Now()
			if !acquire(runCtx) {
				break
			}
			if waited := time.Since(before); waited > admitPoll {
				// Held back (the first answer, or the cap): keep the
				// spacing from here rather than sending the missed
				// requests in a burst.
				next = time.Now()
			}
			wg.Add(1)
			go func() { send(c.Rate, 0) }()
			gap := 1 / c.Rate
			if c.Shape == ShapePoisson {
				gap = rng.ExpFloat64() / c.Rate
			}
			next = next.Add(time.Duration(gap * float64(time.Second)))
			if !sleepUntil(runCtx, next) {
				break
			}
		}
	case ShapeConcurrency, ShapeRamp:
		steps := []int{c.Concurrency}
		stepDur := c.Duration
		if c.Shape == ShapeRamp {
			steps, stepDur = c.Steps, c.StepDuration
		}
		for i, n := range steps {
			stepCtx := runCtx
			var stepCancel context.CancelFunc = func() {}
			if stepDur > 0 {
				stepCtx, stepCancel = context.WithTimeout(runCtx, stepDur)
			}
			var workers sync.WaitGroup
			for range n {
				workers.Add(1)
				go func() {
					defer workers.Done()
					for stepCtx.Err() == nil && acquire(stepCtx) {
						wg.Add(1)
						if send(float64(n), i) != StatusOK {
							// Past capacity or failing: pause rather than hammer.
							sleepUntil(stepCtx, time.Now().Add(throttlePause))
						}
					}
				}()
			}
			workers.Wait()
			stepCancel()
			if runCtx.Err() != nil || stopped() {
				break
			}
		}
	}
	wg.Wait()
	res.End = time.Now()
	stopLag()
	res.Lag = <-lags
	res.SpentUSD = spent
	switch {
	case stopReason != "":
		res.Stopped = stopReason
	case ctx.Err() != nil:
		res.Stopped = "interrupted"
	default:
		res.Stopped = "ran for the whole duration"
	}
	return res, nil
}

// throttlePause is how long a worker waits after a request that stayed
// throttled or failed, so a probe past capacity does not hammer the
// service; maxConsecutiveFailures stops a run that only fails.
const (
	throttlePause          = 20 * time.Millisecond
	maxConsecutiveFailures = 10
	admitPoll              = 2 * time.Millisecond // how often a held-back worker asks again
	// absurd times the bound is past any bill a service could mean.
	absurd = 1000
)

// lagTick is how often the probe checks that it runs on time, and
// lagFloor the lateness a timer may have on any machine (the scheduler's
// ordinary jitter) that is not counted.
const (
	lagTick  = 10 * time.Millisecond
	lagFloor = 2 * time.Millisecond
)

// watchLag checks every lagTick, until ctx ends, that the probe's own
// timer fires on time, and returns each time it fired more than lagFloor
// late. A timer fires late when the process cannot run: the machine's
// CPUs are busy with other work, or with the probe's own (too many
// workers for the machine), or the process was paused. The workers are
// held up just as long, so in that time the probe offers less than its
// shape says, whatever the target could carry.
func watchLag(ctx context.Context) []Lag {
	var lags []Lag
	timer := time.NewTimer(lagTick)
	defer timer.Stop()
	due := time.Now().Add(lagTick)
	for {
		select {
		case <-ctx.Done():
			return lags
		case <-timer.C:
		}
		now := time.Now()
		if late := now.Sub(due); late > lagFloor {
			lags = append(lags, Lag{At: now, Late: late})
		}
		due = now.Add(lagTick)
		timer.Reset(lagTick)
	}
}

// charge is what a finished request costs against the cap, and stops
// the run when its counts cannot be trusted. It marks the counts trusted
// on the first answer whose counts are usable and within the bound.
func charge(c Config, r Record, inBound int, bound float64, stop func(string), trusted *bool) float64 {
	switch r.Status {
	case StatusThrottled, StatusNotReady:
		return 0 // turned away before any work
	case StatusOK:
	default:
		if r.CountError != "" {
			stop(fmt.Sprintf("the service's answer could not be read (%s); the request was charged at its bound and the run stopped", r.CountError))
			return bound
		}
		if r.Refused {
			return 0
		}
		// Failed midway, cancelled, or an answer the SDK could not read:
		// the service may have billed it, and we cannot know how much.
		return bound
	}
	prompt := r.InputTokens + r.CacheReadTokens + r.CacheWriteTokens
	switch {
	case r.CountError != "":
		stop(fmt.Sprintf("the service's token counts could not be read (%s); the request was charged at its bound and the run stopped", r.CountError))
		return bound
	case r.InputTokens < 0 || r.OutputTokens < 0 || r.CacheReadTokens < 0 || r.CacheWriteTokens < 0 || prompt < 0:
		stop(fmt.Sprintf("the service reported negative token counts (input %d, cache read %d, cache write %d, output %d); the request was charged at its bound and the run stopped",
			r.InputTokens, r.CacheReadTokens, r.CacheWriteTokens, r.OutputTokens))
		return bound
	case prompt > absurd*inBound || r.OutputTokens > absurd*c.MaxTokens:
		// Not a bill but a garbled number: charging it would record a
		// spend nobody incurred.
		stop(fmt.Sprintf("the service reported absurd token counts (%d prompt, %d output for at most %d and %d); the request was charged at its bound and the run stopped",
			prompt, r.OutputTokens, inBound, c.MaxTokens))
		return bound
	case r.OutputTokens > c.MaxTokens:
		stop(fmt.Sprintf("the service returned %d output tokens for a max of %d; stopped so the cost cap holds", r.OutputTokens, c.MaxTokens))
	case prompt > inBound:
		stop(fmt.Sprintf("the service counted %d prompt tokens for a prompt of at most %d under any tokenizer; stopped so the cost cap holds", prompt, inBound))
	default:
		*trusted = true
	}
	return c.Cost(r.InputTokens, r.CacheReadTokens, r.CacheWriteTokens, r.OutputTokens)
}

func sleepUntil(ctx context.Context, t time.Time) bool {
	d := time.Until(t)
	if d <= 0 {
		return ctx.Err() == nil
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-timer.C:
		return true
	}
}

// invokeWithRetries retries throttled requests with jittered backoff,
// counting the retries and the time they took, so that latency stays the
// final attempt's own.
func invokeWithRetries(ctx context.Context, inv Invoker, c Config) Record {
	first := time.Now()
	backoff := 100 * time.Millisecond
	for attempt := 0; ; attempt++ {
		r := inv.Invoke(ctx, c.InputTokens, c.MaxTokens)
		r.Retries = attempt
		r.RetryWait = r.Start.Sub(first)
		if ctx.Err() != nil && r.Status != StatusOK {
			r.Status = StatusCancelled
			return r
		}
		if r.Status != StatusThrottled || attempt >= c.MaxRetries {
			return r
		}
		if !sleepUntil(ctx, time.Now().Add(backoff)) {
			return r
		}
		backoff = min(2*backoff, 2*time.Second)
	}
}

// SetPrices fills the config's prices from an offer's on-demand prices.
func (c *Config) SetPrices(o pricing.Offer) {
	for _, p := range []struct {
		dst *float64
		src *pricing.Price
	}{{&c.InputPer1M, o.OnDemand.InputPer1M}, {&c.OutputPer1M, o.OnDemand.OutputPer1M},
		{&c.CacheReadPer1M, o.OnDemand.CacheReadPer1M}, {&c.CacheWritePer1M, o.OnDemand.CacheWritePer1M}} {
		if p.src != nil {
			*p.dst = p.src.USD
		}
	}
}
