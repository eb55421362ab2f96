package probe

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/schemas"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/aws/smithy-go/transport/http/protocol/restjson1"

	"github.com/bedrockplan/bedrockplan/internal/awserr"
	"github.com/bedrockplan/bedrockplan/internal/sdkbody"
)

// RuntimeAPI is the part of the bedrock-runtime client the probe uses;
// *bedrockruntime.Client implements it. Build it with retries off
// (aws.NopRetryer): the probe retries itself and counts every retry.
type RuntimeAPI interface {
	Converse(context.Context, *bedrockruntime.ConverseInput, ...func(*bedrockruntime.Options)) (*bedrockruntime.ConverseOutput, error)
	ConverseStream(context.Context, *bedrockruntime.ConverseStreamInput, ...func(*bedrockruntime.Options)) (*bedrockruntime.ConverseStreamOutput, error)
	InvokeModel(context.Context, *bedrockruntime.InvokeModelInput, ...func(*bedrockruntime.Options)) (*bedrockruntime.InvokeModelOutput, error)
}

// Bedrock sends probe requests to bedrock-runtime.
type Bedrock struct {
	API    RuntimeAPI
	Target string // model id, inference profile or PT ARN
	Mode   string // APIConverse, APIConverseStream or APIInvoke
	// BodyFormat is the InvokeModel body family: anthropic, titan,
	// llama, nova or mistral ("" guesses it from Target).
	BodyFormat string
}

// Prompt builds a synthetic prompt of about n tokens: an instruction and
// a run of plain words. No user data is ever sent.
func Prompt(n int) string {
	words := []string{"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet", "kilo", "lima"}
	var b strings.Builder
	b.WriteString("Count upward from one, one number per line, until you are stopped.")
	for i := 12; i < n; i++ {
		b.WriteByte(' ')
		b.WriteString(words[i%len(words)])
	}
	return b.String()
}

// Invoke sends one request and measures it.
func (b *Bedrock) Invoke(ctx context.Context, inputTokens, maxTokens int) Record {
	prompt := Prompt(inputTokens)
	r := Record{Start: time.Now()}
	var err error
	switch b.Mode {
	case APIConverse:
		var out *bedrockruntime.ConverseOutput
		out, err = b.API.Converse(ctx, &bedrockruntime.ConverseInput{
			ModelId:         aws.String(b.Target),
			Messages:        []types.Message{{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: prompt}}}},
			InferenceConfig: &types.InferenceConfiguration{MaxTokens: aws.Int32(int32(maxTokens))},
		}, plainRequestBody)
		if err == nil {
			readUsage(out.Usage, &r)
		}
	case APIConverseStream:
		err = b.stream(ctx, prompt, maxTokens, &r)
	case APIInvoke:
		err = b.invoke(ctx, prompt, maxTokens, &r)
	default:
		err = fmt.Errorf("unknown API %q", b.Mode)
	}
	r.End = time.Now()
	r.Latency = r.End.Sub(r.Start)
	if r.TTFT > 0 && r.OutputTokens > 1 {
		// NVIDIA AIPerf: inter-token latency is the time after the first
		// token divided by the tokens after it.
		r.InterTokenLatency = (r.Latency - r.TTFT) / time.Duration(r.OutputTokens-1)
	}
	r.Status, r.Error, r.Refused = classify(err)
	var de *smithy.DeserializationError
	if errors.As(err, &de) {
		// An answer the SDK could not read, such as a token count that is
		// not an integer: it may have been billed at any count.
		r.CountError = "the SDK could not read the answer: " + de.Error()
	}
	return r
}

// readUsage copies the service's token counts into r, or says they are
// missing.
func readUsage(u *types.TokenUsage, r *Record) {
	if u == nil || u.InputTokens == nil || u.OutputTokens == nil {
		r.CountError = "the answer carries no token usage"
		return
	}
	r.InputTokens, r.OutputTokens = int(*u.InputTokens), int(*u.OutputTokens)
	r.CacheReadTokens, r.CacheWriteTokens = int(aws.ToInt32(u.CacheReadInputTokens)), int(aws.ToInt32(u.CacheWriteInputTokens))
}

// ownProtocol gives one ConverseStream call a protocol instance of its
// own. The client's single restjson1.Protocol decodes every event stream
// through one event-stream Codec that keeps a lazily made decoder and a
// payload buffer without a lock, so two streams in flight on one client
// race (bedrockruntime v1.63.13, smithy-go v1.28.9; TestSDKStreamRace
// reproduces it). A protocol per call costs a few allocations and holds
// whatever the shape of the load, where a client per worker would not
// cover constant and Poisson arrivals, which overlap requests freely.
// Clients other than the SDK's (fakes of RuntimeAPI) ignore it.
func ownProtocol(o *bedrockruntime.Options) {
	o.Protocol = restjson1.New(schemas.AmazonBedrockFrontendService)
}

// plainRequestBody keeps net/http from closing a connection under the
// answer being read from it, a stream above all (issue #15; package
// sdkbody says how). Clients other than the SDK's ignore it.
func plainRequestBody(o *bedrockruntime.Options) {
	o.HTTPClient = sdkbody.Wrap(o.HTTPClient)
}

func (b *Bedrock) stream(ctx context.Context, prompt string, maxTokens int, r *Record) error {
	out, err := b.API.ConverseStream(ctx, &bedrockruntime.ConverseStreamInput{
		ModelId:         aws.String(b.Target),
		Messages:        []types.Message{{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: prompt}}}},
		InferenceConfig: &types.InferenceConfiguration{MaxTokens: aws.Int32(int32(maxTokens))},
	}, ownProtocol, plainRequestBody)
	if err != nil {
		return err
	}
	st := out.GetStream()
	defer st.Close()
	var usage *types.TokenUsage
	for ev := range st.Events() {
		switch v := ev.(type) {
		case *types.ConverseStreamOutputMemberContentBlockDelta:
			if r.TTFT == 0 {
				r.TTFT = time.Since(r.Start)
			}
		case *types.ConverseStreamOutputMemberMetadata:
			usage = v.Value.Usage
		}
	}
	if err := st.Err(); err != nil {
		var ae smithy.APIError
		if !errors.As(err, &ae) && ctx.Err() == nil {
			// Not an exception the service sent but a stream the SDK could
			// not read (a count that is not an integer, a broken frame):
			// the request may have been billed at any count.
			r.CountError = "the SDK could not read the stream: " + err.Error()
		}
		return err
	}
	readUsage(usage, r)
	return nil
}

// invokeBody builds an InvokeModel body for the model family.
func invokeBody(format, target, prompt string, maxTokens int) ([]byte, error) {
	if format == "" {
		id := target
		if i := strings.LastIndex(id, "/"); i >= 0 {
			id = id[i+1:]
		}
		switch {
		case strings.Contains(id, "anthropic."):
			format = "anthropic"
		case strings.Contains(id, "amazon.titan"):
			format = "titan"
		case strings.Contains(id, "amazon.nova"):
			format = "nova"
		case strings.Contains(id, "meta.llama"):
			format = "llama"
		case strings.Contains(id, "mistral."):
			format = "mistral"
		default:
			return nil, fmt.Errorf("cannot tell the InvokeModel body format of %q; pass --body-format anthropic|titan|nova|llama|mistral, or use --api converse", target)
		}
	}
	var body any
	switch format {
	case "anthropic":
		body = map[string]any{"anthropic_version": "bedrock-2023-05-31", "max_tokens": maxTokens,
			"messages": []map[string]any{{"role": "user", "content": prompt}}}
	case "titan":
		body = map[string]any{"inputText": prompt, "textGenerationConfig": map[string]any{"maxTokenCount": maxTokens}}
	case "nova":
		body = map[string]any{"messages": []map[string]any{{"role": "user", "content": []map[string]string{{"text": prompt}}}},
			"inferenceConfig": map[string]any{"maxTokens": maxTokens}}
	case "llama":
		body = map[string]any{"prompt": prompt, "max_gen_len": maxTokens}
	case "mistral":
		body = map[string]any{"prompt": "<s>[INST] " + prompt + " [/INST]", "max_tokens": maxTokens}
	default:
		return nil, fmt.Errorf("--body-format %q: want anthropic, titan, nova, llama or mistral", format)
	}
	return json.Marshal(body)
}

// invoke reads token counts from the X-Amzn-Bedrock-*-Token-Count
// response headers, the only place InvokeModel reports them.
func (b *Bedrock) invoke(ctx context.Context, prompt string, maxTokens int, r *Record) error {
	body, err := invokeBody(b.BodyFormat, b.Target, prompt, maxTokens)
	if err != nil {
		return err
	}
	out, err := b.API.InvokeModel(ctx, &bedrockruntime.InvokeModelInput{
		ModelId: aws.String(b.Target), Body: body, ContentType: aws.String("application/json"), Accept: aws.String("application/json"),
	}, plainRequestBody)
	if err != nil {
		return err
	}
	raw, ok := awsmiddleware.GetRawResponse(out.ResultMetadata).(*smithyhttp.Response)
	if !ok {
		r.CountError = "no HTTP response to read the token count headers from"
		return nil
	}
	var problems []string
	count := func(name string, required bool) int {
		v := raw.Header.Get(name)
		if v == "" {
			if required {
				problems = append(problems, "no "+name+" header")
			}
			return 0
		}
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s %q is not an integer", name, v))
		}
		return n
	}
	r.InputTokens = count("X-Amzn-Bedrock-Input-Token-Count", true)
	r.OutputTokens = count("X-Amzn-Bedrock-Output-Token-Count", true)
	r.CacheReadTokens = count("X-Amzn-Bedrock-Cache-Read-Input-Token-Count", false)
	r.CacheWriteTokens = count("X-Amzn-Bedrock-Cache-Write-Input-Token-Count", false)
	r.CountError = strings.Join(problems, "; ")
	return nil
}

// classify turns an error into a status, and says whether the service
// refused the request outright (an HTTP 4xx answer), so it cost nothing.
// Messages never include the request.
func classify(err error) (status, msg string, refused bool) {
	if err == nil {
		return StatusOK, "", false
	}
	var throttled *types.ThrottlingException
	var notReady *types.ModelNotReadyException
	var ae smithy.APIError
	var re *smithyhttp.ResponseError
	refused = errors.As(err, &re) && re.HTTPStatusCode() >= 400 && re.HTTPStatusCode() < 500
	switch {
	case errors.As(err, &throttled):
		return StatusThrottled, "ThrottlingException", true
	case errors.As(err, &notReady):
		return StatusNotReady, "ModelNotReadyException", true
	case errors.As(err, &ae):
		if ae.ErrorCode() == "ThrottlingException" || ae.ErrorCode() == "TooManyRequestsException" {
			return StatusThrottled, ae.ErrorCode(), true
		}
		return StatusError, ae.ErrorCode() + ": " + ae.ErrorMessage(), refused
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return StatusCancelled, "cancelled", false
	}
	// In words: an endpoint that never answers, a proxy's page or an
	// answer cut short, not the SDK's "deserialization failed".
	return StatusError, awserr.Explain(err, "bedrock:InvokeModel").Error(), refused
}
