package bedrock

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdk "github.com/aws/aws-sdk-go-v2/service/bedrock"
	"github.com/aws/aws-sdk-go-v2/service/bedrock/types"

	"github.com/bedrockplan/bedrockplan/internal/awserr"
	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/sim"
	"github.com/bedrockplan/bedrockplan/workload"
)

// Describe fills each PT's details (creation time, the foundation model)
// with GetProvisionedModelThroughput.
func Describe(ctx context.Context, api API, pts []Provisioned) ([]Provisioned, error) {
	out := make([]Provisioned, len(pts))
	for i, p := range pts {
		d, err := api.GetProvisionedModelThroughput(ctx, &sdk.GetProvisionedModelThroughputInput{ProvisionedModelId: aws.String(p.ARN)}, plainBody)
		if err != nil {
			return nil, awserr.Explain(err, "bedrock:GetProvisionedModelThroughput")
		}
		p.Created = aws.ToTime(d.CreationTime)
		if f := aws.ToString(d.FoundationModelArn); f != "" {
			p.ModelARN = f
		}
		p.ModelUnits = int(aws.ToInt32(d.ModelUnits))
		p.Term, p.Expires, p.Status = term(d.CommitmentDuration), aws.ToTime(d.CommitmentExpirationTime), string(d.Status)
		out[i] = p
	}
	return out, nil
}

// ModelID is the model id in a foundation-model ARN
// (arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1),
// or the ARN itself for custom models.
func ModelID(arn string) string {
	if _, id, ok := strings.Cut(arn, ":foundation-model/"); ok {
		return id
	}
	return arn
}

// ExistingPlans turns the account's PTs into one plan per model of fixed
// committed blocks: a committed PT started one term before it expires
// and runs until then; a no-commitment PT runs from its creation until
// deleted (as a TermNone block). PTs that are not in service, or serve
// custom models, are left out and reported.
func ExistingPlans(pts []Provisioned, region string) (map[string]sim.Plan, []string) {
	plans := map[string]sim.Plan{}
	var skipped []string
	for _, p := range pts {
		id := ModelID(p.ModelARN)
		if p.Status != "InService" || id == p.ModelARN {
			skipped = append(skipped, fmt.Sprintf("%s (%s, %s): not an in-service PT of a foundation model", p.Name, p.Status, p.ModelARN))
			continue
		}
		start := p.Created
		switch p.Term {
		case pricing.TermOneMonth:
			start = p.Expires.AddDate(0, -1, 0)
		case pricing.TermSixMonths:
			start = p.Expires.AddDate(0, -6, 0)
		}
		pl := plans[id]
		pl.ModelID, pl.Region, pl.Routing, pl.TimeZone = id, region, sim.RouteSpillover, time.UTC
		pl.Committed = append(pl.Committed, sim.Commitment{ModelUnits: p.ModelUnits, Term: p.Term, Start: start.UTC()})
		plans[id] = pl
	}
	return plans, skipped
}

// Idle returns the in-service PTs that carried no traffic in the metrics
// (fetched with --provisioned, where PTs appear under their ARN): spend
// with nothing to show for it.
func Idle(pts []Provisioned, m *workload.Metrics) []Provisioned {
	traffic := map[string]float64{}
	for _, s := range m.Series {
		traffic[s.ModelID] += s.Totals().Invocations
	}
	var out []Provisioned
	for _, p := range pts {
		if p.Status == "InService" && traffic[p.ARN] == 0 {
			out = append(out, p)
		}
	}
	return out
}

// Lifecycle lists the foundation models of the region with their
// lifecycle status (ACTIVE or LEGACY) and dates: when the model became (or
// becomes) legacy, when its public extended access begins (the part of the
// legacy period in which the provider may charge more) and its end of
// life. A zero time is a date the account did not report.
type Lifecycle struct {
	ModelID, Name, Status        string
	Legacy, PublicExtendedAccess time.Time
	EOL                          time.Time
}

// ListLifecycles reads ListFoundationModels.
func ListLifecycles(ctx context.Context, api API) ([]Lifecycle, error) {
	out, err := api.ListFoundationModels(ctx, &sdk.ListFoundationModelsInput{}, plainBody)
	if err != nil {
		return nil, awserr.Explain(err, "bedrock:ListFoundationModels")
	}
	var ls []Lifecycle
	for _, m := range out.ModelSummaries {
		l := Lifecycle{ModelID: aws.ToString(m.ModelId), Name: aws.ToString(m.ModelName), Status: string(types.FoundationModelLifecycleStatusActive)}
		if lc := m.ModelLifecycle; lc != nil {
			l.Status = string(lc.Status)
			l.Legacy = aws.ToTime(lc.LegacyTime)
			l.PublicExtendedAccess = aws.ToTime(lc.PublicExtendedAccessTime)
			l.EOL = aws.ToTime(lc.EndOfLifeTime)
		}
		ls = append(ls, l)
	}
	sort.Slice(ls, func(i, j int) bool { return ls[i].ModelID < ls[j].ModelID })
	return ls, nil
}

// LifecycleOverride refreshes the lifecycle of the catalogue's models:
// LEGACY becomes legacy, and a model past its end of life becomes eol;
// the legacy, public-extended-access and end-of-life dates the account
// reports are kept. Models the account does not list are left as they
// are.
func LifecycleOverride(ls []Lifecycle, cat *pricing.Catalogue, today time.Time) *pricing.Catalogue {
	c := &pricing.Catalogue{Models: map[string]*pricing.Model{}}
	for _, l := range ls {
		if _, ok := cat.Models[l.ModelID]; !ok {
			continue
		}
		lc := &pricing.Lifecycle{Status: pricing.LifecycleActive, Source: "ListFoundationModels, " + today.Format(time.DateOnly)}
		day := func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.UTC().Format(time.DateOnly)
		}
		lc.Legacy, lc.PublicExtendedAccess, lc.EOL = day(l.Legacy), day(l.PublicExtendedAccess), day(l.EOL)
		switch {
		case !l.EOL.IsZero() && !l.EOL.After(today):
			lc.Status = pricing.LifecycleEOL
		case strings.EqualFold(l.Status, "LEGACY"):
			lc.Status = pricing.LifecycleLegacy
		}
		c.Models[l.ModelID] = &pricing.Model{Lifecycle: lc, Regions: map[string]*pricing.Region{}}
	}
	return c
}
