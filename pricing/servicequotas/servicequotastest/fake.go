// Package servicequotastest is a fake Service Quotas (awsJson1_1) holding
// a list of Bedrock quotas, with paging and injectable faults.
package servicequotastest

import (
	"strconv"

	"github.com/bedrockplan/bedrockplan/internal/awsjsontest"
)

// Quota is one quota the fake lists.
type Quota struct {
	Name, Code string
	Value      float64
}

// Target is the X-Amz-Target of ListServiceQuotas.
const Target = "ServiceQuotasV20190624.ListServiceQuotas"

// AccessDenied is Service Quotas refusing the caller.
var AccessDenied = awsjsontest.Fault{Status: 400, Type: "AccessDeniedException", Message: "User: arn:aws:iam::123456789012:user/planner is not authorized to perform: servicequotas:ListServiceQuotas"}

// New starts a fake holding quotas, pageSize per page.
func New(pageSize int, quotas ...Quota) *awsjsontest.Server {
	return awsjsontest.New(map[string]awsjsontest.Handler{Target: func(req map[string]any) (any, *awsjsontest.Fault) {
		if req["ServiceCode"] != "bedrock" {
			return map[string]any{"Quotas": []any{}}, nil
		}
		from, to, f := awsjsontest.Page(req, len(quotas), pageSize)
		if f != nil {
			return nil, f
		}
		var out []map[string]any
		for _, q := range quotas[from:to] {
			out = append(out, map[string]any{"QuotaName": q.Name, "QuotaCode": q.Code, "Value": q.Value, "ServiceCode": "bedrock",
				"ServiceName": "Amazon Bedrock", "Adjustable": true, "GlobalQuota": false, "Unit": "None"})
		}
		res := map[string]any{"Quotas": out}
		if to < len(quotas) {
			res["NextToken"] = strconv.Itoa(to)
		}
		return res, nil
	}})
}
