// Package pricelist reads Amazon Bedrock prices from the AWS Price List
// API (GetProducts, service code AmazonBedrock) and turns them into a
// catalogue override (prices.yaml) with source "AWS Price List API" and
// the date read. Each PriceList entry is a JSON document encoded as a
// string. Products whose model cannot be matched to exactly one
// catalogue model are listed, not guessed.
package pricelist

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdk "github.com/aws/aws-sdk-go-v2/service/pricing"
	"github.com/aws/aws-sdk-go-v2/service/pricing/types"

	"github.com/bedrockplan/bedrockplan/internal/awserr"
	"github.com/bedrockplan/bedrockplan/internal/sdkbody"
	"github.com/bedrockplan/bedrockplan/pricing"
)

// API is the part of the Price List client used; *pricing.Client from
// the AWS SDK implements it.
type API interface {
	GetProducts(context.Context, *sdk.GetProductsInput, ...func(*sdk.Options)) (*sdk.GetProductsOutput, error)
}

// plainBody keeps net/http from closing a connection under an answer
// still being read (issue #15; package sdkbody says how). Clients other
// than the SDK's ignore it.
func plainBody(o *sdk.Options) { o.HTTPClient = sdkbody.Wrap(o.HTTPClient) }

// Endpoint returns the region whose Price List API endpoint serves a
// model region: the API lives only in us-east-1, eu-central-1 and
// ap-south-1.
func Endpoint(region string) string {
	switch {
	case strings.HasPrefix(region, "eu-"), strings.HasPrefix(region, "me-"), strings.HasPrefix(region, "il-"), strings.HasPrefix(region, "af-"):
		return "eu-central-1"
	case strings.HasPrefix(region, "ap-"):
		return "ap-south-1"
	}
	return "us-east-1"
}

// Fetch returns the raw PriceList documents for Bedrock in region.
func Fetch(ctx context.Context, api API, region string) ([]string, error) {
	var out []string
	p := sdk.NewGetProductsPaginator(api, &sdk.GetProductsInput{
		ServiceCode: aws.String("AmazonBedrock"),
		Filters:     []types.Filter{{Field: aws.String("regionCode"), Type: types.FilterTypeTermMatch, Value: aws.String(region)}},
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx, plainBody)
		if err != nil {
			return nil, awserr.Explain(err, "pricing:GetProducts")
		}
		out = append(out, page.PriceList...)
	}
	return out, nil
}

// Product is one priced Bedrock usage.
type Product struct {
	SKU, Model, Feature, InferenceType, UsageType, Region, Commitment, Unit string
	USD                                                                     float64
}

type document struct {
	Product struct {
		SKU        string            `json:"sku"`
		Attributes map[string]string `json:"attributes"`
	} `json:"product"`
	Terms struct {
		OnDemand map[string]struct {
			PriceDimensions map[string]struct {
				Unit         string            `json:"unit"`
				PricePerUnit map[string]string `json:"pricePerUnit"`
			} `json:"priceDimensions"`
		} `json:"OnDemand"`
	} `json:"terms"`
}

// Parse decodes PriceList documents. A document that is not JSON, or has
// no USD price, is an error naming its position.
func Parse(docs []string) ([]Product, error) {
	var out []Product
	for i, raw := range docs {
		var d document
		if err := json.Unmarshal([]byte(raw), &d); err != nil {
			return nil, fmt.Errorf("PriceList[%d]: not a JSON document: %v", i, err)
		}
		a := d.Product.Attributes
		p := Product{SKU: d.Product.SKU, Model: a["model"], Feature: a["feature"], InferenceType: a["inferenceType"], UsageType: a["usagetype"],
			Region: a["regionCode"], Commitment: firstOf(a, "commitmentTerm", "term", "commitment")}
		found := false
		for _, term := range d.Terms.OnDemand {
			for _, dim := range term.PriceDimensions {
				if s, ok := dim.PricePerUnit["USD"]; ok {
					v, err := strconv.ParseFloat(s, 64)
					if err != nil {
						return nil, fmt.Errorf("PriceList[%d] (%s): USD %q is not a number", i, p.SKU, s)
					}
					p.USD, p.Unit, found = v, dim.Unit, true
				}
			}
		}
		if !found {
			return nil, fmt.Errorf("PriceList[%d] (%s): no USD price", i, p.SKU)
		}
		out = append(out, p)
	}
	return out, nil
}

func firstOf(m map[string]string, keys ...string) string {
	for _, k := range keys {
		if v := m[k]; v != "" {
			return v
		}
	}
	return ""
}

// perMillion converts a token price to dollars per million tokens.
func perMillion(p Product) (float64, bool) {
	switch u := strings.ToLower(p.Unit); {
	case strings.Contains(u, "1k"), strings.Contains(u, "1,000"), strings.Contains(u, "thousand"):
		return p.USD * 1000, true
	case strings.Contains(u, "1m"), strings.Contains(u, "million"):
		return p.USD, true
	case strings.Contains(u, "token"):
		return p.USD * 1e6, true
	}
	return 0, false
}

// Override builds the catalogue override for region from products, and
// lists the products it could not match to a model.
func Override(products []Product, cat *pricing.Catalogue, region string, date time.Time) (*pricing.Catalogue, []string) {
	c := &pricing.Catalogue{AsOf: date.Format(time.DateOnly), Models: map[string]*pricing.Model{}}
	src := "AWS Price List API (GetProducts, AmazonBedrock)"
	asOf := date.Format(time.DateOnly)
	unmatched := map[string]bool{}
	batch := map[string]float64{}
	for _, p := range products {
		if p.Region != "" && p.Region != region {
			continue
		}
		ids := cat.MatchName(p.Model)
		if len(ids) != 1 {
			if p.Model != "" {
				label := p.Model
				if len(ids) > 1 {
					label += " (ambiguous: " + strings.Join(ids, ", ") + ")"
				}
				unmatched[label] = true
			}
			continue
		}
		id := ids[0]
		region := regionOf(c, id, region)
		price := &pricing.Price{Source: src + ", " + p.UsageType, AsOf: asOf}
		feature, kind := strings.ToLower(p.Feature), strings.ToLower(p.InferenceType)
		switch {
		case strings.Contains(feature, "provisioned"):
			term := termOf(p.Commitment)
			if term == "" || !strings.Contains(strings.ToLower(p.Unit), "h") {
				unmatched[p.Model+": provisioned product without a recognisable term or hourly unit ("+p.UsageType+")"] = true
				continue
			}
			price.USD = p.USD
			if region.Provisioned == nil {
				region.Provisioned = map[pricing.Term]*pricing.Price{}
			}
			region.Provisioned[term] = price
		case strings.Contains(feature, "on-demand"):
			v, ok := perMillion(p)
			if !ok {
				continue
			}
			price.USD = v
			od := region.OnDemand
			switch {
			case strings.Contains(kind, "cache read"):
				od.CacheReadPer1M = price
			case strings.Contains(kind, "cache write"):
				od.CacheWritePer1M = price
			case strings.HasPrefix(kind, "input"):
				od.InputPer1M = price
			case strings.HasPrefix(kind, "output"):
				od.OutputPer1M = price
			}
		case strings.Contains(feature, "batch"):
			if v, ok := perMillion(p); ok && strings.HasPrefix(kind, "input") {
				batch[id] = v
			}
		}
	}
	for id, v := range batch {
		od := c.Models[id].Regions[region].OnDemand
		if od.InputPer1M != nil && od.InputPer1M.USD > 0 {
			od.BatchFactor = &pricing.Factor{Value: v / od.InputPer1M.USD, Source: src + ": batch input price over on-demand input price", AsOf: asOf}
		}
	}
	// An entry needs both on-demand prices to be a usable override; a
	// partial one keeps whatever it has (Merge fills the rest).
	var list []string
	for u := range unmatched {
		list = append(list, u)
	}
	sort.Strings(list)
	return c, list
}

func regionOf(c *pricing.Catalogue, id, region string) *pricing.Region {
	m := c.Models[id]
	if m == nil {
		m = &pricing.Model{Regions: map[string]*pricing.Region{}}
		c.Models[id] = m
	}
	r := m.Regions[region]
	if r == nil {
		r = &pricing.Region{OnDemand: &pricing.OnDemand{}}
		m.Regions[region] = r
	}
	return r
}

func termOf(s string) pricing.Term {
	switch l := strings.ToLower(s); {
	case strings.Contains(l, "no commit"), strings.Contains(l, "none"):
		return pricing.TermNone
	case strings.Contains(l, "6 month"), strings.Contains(l, "six month"):
		return pricing.TermSixMonths
	case strings.Contains(l, "1 month"), strings.Contains(l, "one month"):
		return pricing.TermOneMonth
	}
	return ""
}
