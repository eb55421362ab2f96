package probe_test

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/bedrockplan/bedrockplan/sim/probe"
	"github.com/bedrockplan/bedrockplan/sim/probe/probetest"
)

// TestSDKStreamRace is the minimal reproduction of a data race in the
// SDK, not in the probe: two ConverseStream calls on one
// *bedrockruntime.Client (v1.63.13, smithy-go v1.28.9) decode their
// streams through the one restjson1.Protocol the client holds, whose
// event-stream Codec lazily creates its decoder and resets a payload
// buffer without a lock (smithy-go internal/eventstream.Codec.
// DeserializeEventMessage). It is skipped by default because it fails
// under -race by design; run it with BEDROCKPLAN_SDK_RACE=1 go test -race
// -run SDKStreamRace to see whether an SDK upgrade fixed it.
func TestSDKStreamRace(t *testing.T) {
	if os.Getenv("BEDROCKPLAN_SDK_RACE") == "" {
		t.Skip("reproduces an SDK data race; set BEDROCKPLAN_SDK_RACE=1 and use -race")
	}
	fake := probetest.New(probetest.Config{Base: time.Millisecond, OutputTokens: 20})
	defer fake.Close()
	client := runtime(fake)
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, err := client.ConverseStream(context.Background(), &bedrockruntime.ConverseStreamInput{
				ModelId:         aws.String("m"),
				Messages:        []types.Message{{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "hi"}}}},
				InferenceConfig: &types.InferenceConfiguration{MaxTokens: aws.Int32(20)},
			})
			if err != nil {
				t.Error(err)
				return
			}
			st := out.GetStream()
			for range st.Events() {
			}
			st.Close()
		}()
	}
	wg.Wait()
}

// TestConcurrentStreams: many streams in flight through one client, in
// every shape that overlaps requests, are race-free (run with -race):
// the probe gives each stream its own protocol instance.
func TestConcurrentStreams(t *testing.T) {
	fake := probetest.New(probetest.Config{Base: 2 * time.Millisecond, PerToken: 50 * time.Microsecond, OutputTokens: 30})
	defer fake.Close()
	client := runtime(fake)
	for _, shape := range []string{probe.ShapeConcurrency, probe.ShapePoisson} {
		c := cfg(probe.APIConverseStream)
		c.Shape, c.Concurrency, c.Rate, c.MaxRequests, c.Duration = shape, 6, 400, 60, 2*time.Second
		res, err := probe.Run(context.Background(), &probe.Bedrock{API: client, Target: c.Target, Mode: c.API}, c)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res.Records {
			if r.Status != probe.StatusOK || r.OutputTokens != 30 {
				t.Fatalf("%s: %+v", shape, r)
			}
		}
	}
}
