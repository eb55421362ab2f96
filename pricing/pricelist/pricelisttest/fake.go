// Package pricelisttest is a fake AWS Price List API (awsJson1_1): a set
// of PriceList documents served by GetProducts with paging, region
// filtering and injectable faults.
package pricelisttest

import (
	"encoding/json"
	"strconv"

	"github.com/bedrockplan/bedrockplan/internal/awsjsontest"
)

// Target is the X-Amz-Target of GetProducts.
const Target = "AWSPriceListService.GetProducts"

// AccessDenied is the Price List API refusing the caller.
var AccessDenied = awsjsontest.Fault{Status: 400, Type: "AccessDeniedException", Message: "User: arn:aws:iam::123456789012:user/planner is not authorized to perform: pricing:GetProducts"}

// Product builds a PriceList document as AWS writes them.
func Product(sku, region, model, feature, inferenceType, usageType, unit, usd string, extra map[string]string) string {
	attrs := map[string]string{"regionCode": region, "model": model, "feature": feature, "inferenceType": inferenceType,
		"usagetype": usageType, "servicecode": "AmazonBedrock"}
	for k, v := range extra {
		attrs[k] = v
	}
	doc := map[string]any{
		"product":     map[string]any{"sku": sku, "productFamily": "Amazon Bedrock", "attributes": attrs},
		"serviceCode": "AmazonBedrock",
		"terms": map[string]any{"OnDemand": map[string]any{sku + ".JRTCKXETXF": map[string]any{
			"effectiveDate": "2026-11-01T00:00:00Z", "offerTermCode": "JRTCKXETXF", "sku": sku,
			"priceDimensions": map[string]any{sku + ".JRTCKXETXF.6YS6EN2CT7": map[string]any{
				"unit": unit, "beginRange": "0", "endRange": "Inf", "description": usageType, "pricePerUnit": map[string]string{"USD": usd},
			}},
		}}},
		"version": "20261101", "publicationDate": "2026-11-01T00:00:00Z",
	}
	b, _ := json.Marshal(doc)
	return string(b)
}

// New starts a fake serving docs, pageSize per page.
func New(pageSize int, docs ...string) *awsjsontest.Server {
	return awsjsontest.New(map[string]awsjsontest.Handler{Target: func(req map[string]any) (any, *awsjsontest.Fault) {
		if req["ServiceCode"] != "AmazonBedrock" {
			return map[string]any{"PriceList": []string{}, "FormatVersion": "aws_v1"}, nil
		}
		region := ""
		if fs, ok := req["Filters"].([]any); ok {
			for _, f := range fs {
				if m, ok := f.(map[string]any); ok && m["Field"] == "regionCode" {
					region, _ = m["Value"].(string)
				}
			}
		}
		var keep []string
		for _, d := range docs {
			var parsed struct {
				Product struct {
					Attributes map[string]string `json:"attributes"`
				} `json:"product"`
			}
			json.Unmarshal([]byte(d), &parsed)
			if region == "" || parsed.Product.Attributes["regionCode"] == region {
				keep = append(keep, d)
			}
		}
		from, to, f := awsjsontest.Page(req, len(keep), pageSize)
		if f != nil {
			return nil, f
		}
		res := map[string]any{"PriceList": keep[from:to], "FormatVersion": "aws_v1"}
		if to < len(keep) {
			res["NextToken"] = strconv.Itoa(to)
		}
		return res, nil
	}})
}
