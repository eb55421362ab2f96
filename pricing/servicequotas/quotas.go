// Package servicequotas reads the account's applied Amazon Bedrock quotas
// from Service Quotas (service code "bedrock") and matches the on-demand
// and cross-region requests- and tokens-per-minute quotas to model ids,
// producing a catalogue override (quotas.yaml). Names it cannot match to
// exactly one model are listed, never guessed.
package servicequotas

import (
	"context"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdk "github.com/aws/aws-sdk-go-v2/service/servicequotas"

	"github.com/bedrockplan/bedrockplan/internal/awserr"
	"github.com/bedrockplan/bedrockplan/internal/sdkbody"
	"github.com/bedrockplan/bedrockplan/pricing"
)

// API is the part of the Service Quotas client used;
// *servicequotas.Client implements it.
type API interface {
	ListServiceQuotas(context.Context, *sdk.ListServiceQuotasInput, ...func(*sdk.Options)) (*sdk.ListServiceQuotasOutput, error)
}

// plainBody keeps net/http from closing a connection under an answer
// still being read (issue #15; package sdkbody says how). Clients other
// than the SDK's ignore it.
func plainBody(o *sdk.Options) { o.HTTPClient = sdkbody.Wrap(o.HTTPClient) }

// Quota is one applied quota.
type Quota struct {
	Name, Code string
	Value      float64
}

// List returns Bedrock's applied quotas in the client's region.
func List(ctx context.Context, api API) ([]Quota, error) {
	var out []Quota
	p := sdk.NewListServiceQuotasPaginator(api, &sdk.ListServiceQuotasInput{ServiceCode: aws.String("bedrock")})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx, plainBody)
		if err != nil {
			return nil, awserr.Explain(err, "servicequotas:ListServiceQuotas")
		}
		for _, q := range page.Quotas {
			out = append(out, Quota{Name: aws.ToString(q.QuotaName), Code: aws.ToString(q.QuotaCode), Value: aws.ToFloat64(q.Value)})
		}
	}
	return out, nil
}

// rateQuota is the form of per-model inference rate quota names, e.g.
// "On-demand model inference tokens per minute for Anthropic Claude 3
// Haiku" or "Cross-region model inference requests per minute for ...".
var rateQuota = regexp.MustCompile(`^(On-demand|Cross-region|Global cross-region) (?:model inference|InvokeModel) (requests|tokens) per minute for (.+)$`)

// dailyQuota is the form of a model's daily token quota name, e.g.
// "Model invocation max tokens per day for Anthropic Claude 3 Haiku".
var dailyQuota = regexp.MustCompile(`^Model invocation max tokens per day for (.+)$`)

// Match is a quota matched to a model.
type Match struct {
	ModelID     string
	Kind        string // "rpm", "tpm" or "tpd"
	CrossRegion bool
	Global      bool // a global cross-region quota (the global. profile)
	Quota       Quota
}

// Result is the matching of a quota list.
type Result struct {
	Matched []Match
	// Unmatched are rate quotas naming no catalogue model; Ambiguous ones
	// name several (with the candidates).
	Unmatched []Quota
	Ambiguous map[string][]string
}

// MatchQuotas matches rate quotas to catalogue models by name. Quotas of
// other kinds (batch sizes, PT model units...) are not rate quotas and
// are left out.
func MatchQuotas(qs []Quota, cat *pricing.Catalogue) Result {
	res := Result{Ambiguous: map[string][]string{}}
	for _, q := range qs {
		m := rateQuota.FindStringSubmatch(strings.TrimSpace(q.Name))
		if d := dailyQuota.FindStringSubmatch(strings.TrimSpace(q.Name)); m == nil && d != nil {
			m = []string{d[0], "On-demand", "day", d[1]}
		}
		if m == nil {
			continue
		}
		ids := cat.MatchName(m[3])
		switch len(ids) {
		case 0:
			res.Unmatched = append(res.Unmatched, q)
		case 1:
			kind := map[string]string{"requests": "rpm", "tokens": "tpm", "day": "tpd"}[m[2]]
			res.Matched = append(res.Matched, Match{ModelID: ids[0], Kind: kind, CrossRegion: m[1] != "On-demand", Global: m[1] == "Global cross-region", Quota: q})
		default:
			res.Ambiguous[q.Name] = ids
		}
	}
	sort.Slice(res.Matched, func(i, j int) bool {
		a, b := res.Matched[i], res.Matched[j]
		return a.ModelID < b.ModelID || a.ModelID == b.ModelID && (a.Kind < b.Kind || a.Kind == b.Kind && !a.CrossRegion && b.CrossRegion)
	})
	return res
}

// Override is the catalogue override the quotas make for a region
// (quotas.yaml). On-demand quotas apply to the model in the region;
// cross-region quotas to the inference profile the region's traffic
// goes through: the region's geography profile ("us." in us-east-1), or
// the global one for a global cross-region quota.
func Override(res Result, region string, date time.Time) *pricing.Catalogue {
	c := &pricing.Catalogue{Models: map[string]*pricing.Model{}}
	for _, m := range res.Matched {
		id := profileOf(m, region)
		if id == "" {
			continue
		}
		md := c.Models[id]
		if md == nil {
			md = &pricing.Model{Regions: map[string]*pricing.Region{region: {Quotas: &pricing.Quotas{}}}}
			c.Models[id] = md
		}
		q := md.Regions[region].Quotas
		v := m.Quota.Value
		switch m.Kind {
		case "rpm":
			q.RPM = &v
		case "tpm":
			q.TPM = &v
		case "tpd":
			q.TPD = &v
		}
		q.Source = "Service Quotas, applied account value (" + strings.Join(codes(res, id, region), ", ") + ")"
		q.AsOf = date.Format(time.DateOnly)
	}
	return c
}

// profileOf is the catalogue id a matched quota applies to in region:
// the model, or the inference profile of a cross-region quota ("" when
// the region's geography is not known).
func profileOf(m Match, region string) string {
	switch {
	case m.Global:
		return "global." + m.ModelID
	case m.CrossRegion:
		if geo := pricing.GeoPrefix(region); geo != "" {
			return geo + "." + m.ModelID
		}
		return ""
	}
	return m.ModelID
}

func codes(res Result, id, region string) []string {
	var out []string
	for _, m := range res.Matched {
		if profileOf(m, region) == id {
			out = append(out, m.Quota.Code+" = "+strconv.FormatFloat(m.Quota.Value, 'f', -1, 64))
		}
	}
	return out
}
