package bedrock_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/bedrockplan/bedrockplan/bedrock"
	"github.com/bedrockplan/bedrockplan/bedrock/bedrocktest"
	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/workload"
)

func TestExistingPlansAndIdle(t *testing.T) {
	expires := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
	busy := "arn:aws:bedrock:us-east-1:123456789012:provisioned-model/busy"
	idle := "arn:aws:bedrock:us-east-1:123456789012:provisioned-model/idle"
	fake := bedrocktest.New(
		bedrocktest.PT{ARN: busy, Name: "busy", ModelARN: "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1", ModelUnits: 2, Commitment: "SixMonths", Expires: expires, Status: "InService"},
		bedrocktest.PT{ARN: idle, Name: "idle", ModelARN: "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1", ModelUnits: 1, Created: time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC), Status: "InService"},
		bedrocktest.PT{ARN: "arn:x/custom", Name: "custom", ModelARN: "arn:aws:bedrock:us-east-1:123456789012:custom-model/mine", ModelUnits: 1, Status: "InService"},
	)
	defer fake.Close()
	ctx := context.Background()
	pts, err := bedrock.ListProvisioned(ctx, client(fake))
	if err != nil {
		t.Fatal(err)
	}
	if pts, err = bedrock.Describe(ctx, client(fake), pts); err != nil {
		t.Fatal(err)
	}
	plans, skipped := bedrock.ExistingPlans(pts, "us-east-1")
	p := plans["amazon.titan-text-express-v1"]
	if len(plans) != 1 || len(p.Committed) != 2 || len(skipped) != 1 || !strings.Contains(skipped[0], "custom") {
		t.Fatalf("plans %+v, skipped %v", plans, skipped)
	}
	six, none := p.Committed[0], p.Committed[1]
	if six.ModelUnits != 2 || six.Term != pricing.TermSixMonths || !six.Start.Equal(expires.AddDate(0, -6, 0)) || !six.Term.End(six.Start).Equal(expires) {
		t.Errorf("committed block %+v (expires %s)", six, expires)
	}
	if none.Term != pricing.TermNone || !none.Start.Equal(time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)) {
		t.Errorf("no-commit block %+v", none)
	}
	m := &workload.Metrics{Series: []*workload.Series{{ModelID: busy, Period: time.Hour, Start: []int64{0}, Invocations: []float64{5}, InputTokens: []float64{1}, OutputTokens: []float64{1}}}}
	got := bedrock.Idle(pts, m)
	if len(got) != 2 || got[0].Name != "idle" || got[1].Name != "custom" {
		t.Errorf("idle: %+v", got)
	}
}

func TestLifecycle(t *testing.T) {
	fake := bedrocktest.New()
	defer fake.Close()
	fake.Models = []bedrocktest.Model{
		{ID: "amazon.titan-text-express-v1", Name: "Titan Text G1 - Express", Status: "ACTIVE"},
		{ID: "anthropic.claude-opus-4-1-20250805-v1:0", Name: "Claude Opus 4.1", Status: "LEGACY", Legacy: time.Date(2026, 7, 8, 0, 0, 0, 0, time.UTC),
			PublicExtendedAccess: time.Date(2026, 10, 8, 0, 0, 0, 0, time.UTC), EOL: time.Date(2027, 1, 8, 0, 0, 0, 0, time.UTC)},
		{ID: "anthropic.claude-sonnet-4-5-20250929-v1:0", Name: "Claude Sonnet 4.5", Status: "ACTIVE", Legacy: time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)},
		{ID: "anthropic.claude-instant-v1", Name: "Claude Instant", Status: "LEGACY", EOL: time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)},
		{ID: "cohere.command-r-plus-v1:0", Name: "Command R+", Status: "ACTIVE"},
	}
	ls, err := bedrock.ListLifecycles(context.Background(), client(fake))
	if err != nil {
		t.Fatal(err)
	}
	over := bedrock.LifecycleOverride(ls, pricing.Default(), time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC))
	if err := over.Validate(); err != nil {
		t.Fatal(err)
	}
	cat := pricing.Merge(pricing.Default(), over)
	// The dates travel over the wire (legacyTime, publicExtendedAccessTime,
	// endOfLifeTime) into the override.
	if l := ls[2]; l.ModelID != "anthropic.claude-opus-4-1-20250805-v1:0" || !l.Legacy.Equal(time.Date(2026, 7, 8, 0, 0, 0, 0, time.UTC)) ||
		!l.PublicExtendedAccess.Equal(time.Date(2026, 10, 8, 0, 0, 0, 0, time.UTC)) || !l.EOL.Equal(time.Date(2027, 1, 8, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("listed %+v", l)
	}
	h, _ := cat.Lookup("anthropic.claude-opus-4-1-20250805-v1:0", "us-east-1")
	s, _ := cat.Lookup("anthropic.claude-sonnet-4-5-20250929-v1:0", "us-east-1")
	i, _ := cat.Lookup("anthropic.claude-instant-v1", "us-east-1")
	x, _ := cat.Lookup("amazon.titan-text-express-v1", "us-east-1")
	if want := (pricing.Lifecycle{Status: "legacy", Legacy: "2026-07-08", PublicExtendedAccess: "2026-10-08", EOL: "2027-01-08", Source: "ListFoundationModels, 2026-11-26"}); h.Lifecycle != want || h.CanBuyPT() {
		t.Errorf("opus 4.1 %+v, want %+v", h.Lifecycle, want)
	}
	if !strings.Contains(h.LifecycleWarning(), "public extended access (the provider may raise prices) from 2026-10-08; end of life 2027-01-08") {
		t.Errorf("warning: %s", h.LifecycleWarning())
	}
	if s.Lifecycle.Status != "active" || s.Lifecycle.Legacy != "2027-02-01" || s.Retiring() {
		t.Errorf("sonnet 4.5 %+v", s.Lifecycle)
	}
	if i.Lifecycle.Status != "eol" || x.Lifecycle.Status != "active" || len(over.Models) != 4 {
		t.Errorf("instant %+v, titan %+v, %d models", i.Lifecycle, x.Lifecycle, len(over.Models))
	}
	fake.FailFoundationModels(bedrocktest.Fault{Status: 403, Code: "AccessDeniedException", Message: "not authorized to perform: bedrock:ListFoundationModels"})
	if _, err := bedrock.ListLifecycles(context.Background(), client(fake)); err == nil || !strings.Contains(err.Error(), "lack the IAM permission bedrock:ListFoundationModels") {
		t.Errorf("access denied: %v", err)
	}
}
