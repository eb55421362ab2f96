package pricing

import (
	"fmt"
	"strings"
)

// profilePrefixes are the inference-profile prefixes Bedrock uses: a
// geography's cross-region profiles and the global one.
func profilePrefixes() []string {
	return []string{"us", "eu", "apac", "jp", "au", "ca", "us-gov", "global"}
}

// ParseProfile splits an inference-profile id ("us.anthropic.claude-…",
// "global.anthropic.claude-…") into its prefix and the model it serves.
// ok is false for a plain model id.
func ParseProfile(id string) (prefix, model string, ok bool) {
	head, rest, found := strings.Cut(id, ".")
	if !found || rest == "" {
		return "", id, false
	}
	for _, p := range profilePrefixes() {
		if head == p {
			return head, rest, true
		}
	}
	return "", id, false
}

// GeoPrefix is the geography prefix of a region's cross-region profiles
// ("us" for us-east-1, "eu" for eu-west-1, "apac" for ap-northeast-1);
// "" when the region's geography is not known.
func GeoPrefix(region string) string {
	switch {
	case strings.HasPrefix(region, "us-gov-"):
		return "us-gov"
	case strings.HasPrefix(region, "us-"):
		return "us"
	case strings.HasPrefix(region, "eu-"):
		return "eu"
	case strings.HasPrefix(region, "ap-"):
		return "apac"
	case strings.HasPrefix(region, "ca-"):
		return "ca"
	}
	return ""
}

// unknownProfile is Lookup's error for an inference profile the
// catalogue has no entry for. A profile is priced on its own (geo
// profiles can list above the in-region price, global ones below geo) and
// has its own quotas, so the model's in-region prices are not used in its
// place.
func (c *Catalogue) unknownProfile(id, model, region string) error {
	if region == "" {
		region = "REGION"
	}
	base := fmt.Sprintf("the catalogue has no entry for the model %q it serves either", model)
	if _, ok := c.Models[model]; ok {
		base = fmt.Sprintf("`bedrockplan pricing show %s` shows the model's in-region prices, which a profile's can differ from", model)
	}
	return fmt.Errorf("no prices for the inference profile %q: a profile is priced and rate-limited on its own (%s). Add it with --pricing FILE:\n"+
		"models:\n  %s:\n    regions:\n      %s:\n        on_demand:\n"+
		"          input_per_1m: {usd: 0.00, source: \"aws.amazon.com/bedrock/pricing (cross-region inference)\", as_of: YYYY-MM-DD}\n"+
		"          output_per_1m: {usd: 0.00, source: \"aws.amazon.com/bedrock/pricing (cross-region inference)\", as_of: YYYY-MM-DD}",
		id, base, yamlKey(id), region)
}
