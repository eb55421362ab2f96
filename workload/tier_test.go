package workload

import (
	"math"
	"strings"
	"testing"
	"time"
)

const tierCSV = `timestamp,model_id,region,service_tier,period_s,invocations,input_tokens,output_tokens,latency_avg_ms,estimated_tpm_quota_usage,ttft_avg_ms
2026-11-02T00:00:00Z,m,us-east-1,standard,60,2,200,20,300,300,120
2026-11-02T00:01:00Z,m,us-east-1,,60,4,400,40,,600,
2026-11-02T00:00:00Z,m,us-east-1,flex,60,1,100,10,900,150,400.5
2026-11-02T00:00:00Z,m,us-east-1,priority,60,3,300,30,200,450,80
`

func TestServiceTierColumns(t *testing.T) {
	m, err := ReadMetrics(strings.NewReader(tierCSV), "tiers.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Series) != 3 {
		t.Fatalf("%d series, want standard, flex and priority", len(m.Series))
	}
	std, flex := m.Series[0], m.Series[1]
	if std.ServiceTier != "" || std.Tier() != TierStandard || std.Len() != 2 || flex.ServiceTier != TierFlex {
		t.Errorf("tiers: %q (%d rows), %q", std.ServiceTier, std.Len(), flex.ServiceTier)
	}
	if got := []string{std.Key(), flex.Key(), m.Series[2].Key()}; strings.Join(got, "|") != "m (us-east-1)|m+flex (us-east-1)|m+priority (us-east-1)" {
		t.Errorf("keys %q", got)
	}
	if std.QuotaUsage[1] != 600 || !math.IsNaN(std.TTFTAvgMs[1]) || flex.TTFTAvgMs[0] != 400.5 || std.Totals().QuotaUsage != 900 {
		t.Errorf("quota %v, ttft %v / %v", std.QuotaUsage, std.TTFTAvgMs, flex.TTFTAvgMs)
	}
	// Round trip: same bytes, with empty tier cells written as standard.
	var b strings.Builder
	if err := WriteMetrics(&b, m); err != nil {
		t.Fatal(err)
	}
	want := strings.Replace(tierCSV, "us-east-1,,60", "us-east-1,standard,60", 1)
	if b.String() != want {
		t.Errorf("written:\n%s\nwant\n%s", b.String(), want)
	}
}

// TestNoTierColumnsWhenStandard: a file without the new columns is
// written back without them.
func TestNoTierColumnsWhenStandard(t *testing.T) {
	in := "timestamp,model_id,period_s,invocations,input_tokens,output_tokens\n2026-11-02T00:00:00Z,m+flex,60,1,1,1\n"
	m, err := ReadMetrics(strings.NewReader(in), "old.csv")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	WriteMetrics(&b, m)
	if b.String() != in {
		t.Errorf("written:\n%s", b.String())
	}
	// An old file's suffixed id stays what it was, and --model finds it.
	if s, err := m.Select("m+flex", ""); err != nil || s.ModelID != "m+flex" || s.Tier() != TierStandard {
		t.Errorf("select a literal suffixed id: %v %+v", err, s)
	}
}

func TestBadServiceTier(t *testing.T) {
	const h = "timestamp,model_id,service_tier,period_s,invocations,input_tokens,output_tokens,estimated_tpm_quota_usage,ttft_avg_ms\n"
	for _, c := range []struct{ row, want string }{
		{"2026-11-02T00:00:00Z,m,flx,60,1,1,1,1,1",
			`bad.csv:2: service_tier: "flx" is not a service tier (did you mean "flex"?); tiers are standard, priority, flex, latency-optimized, reserved, or empty for standard`},
		{"2026-11-02T00:00:00Z,m,Priority,60,1,1,1,1,1",
			`bad.csv:2: service_tier: "Priority" is not a service tier (did you mean "priority"?); tiers are standard, priority, flex, latency-optimized, reserved, or empty for standard`},
		{"2026-11-02T00:00:00Z,m,default,60,1,1,1,1,1",
			`bad.csv:2: service_tier: "default": write "standard" (Bedrock's API calls the Standard tier "default")`},
		{"2026-11-02T00:00:00Z,m,flex,60,1,1,1,-4,1", "bad.csv:2: estimated_tpm_quota_usage: -4 is negative"},
		{"2026-11-02T00:00:00Z,m,flex,60,1,1,1,,1", "bad.csv:2: estimated_tpm_quota_usage: missing value"},
		{"2026-11-02T00:00:00Z,m,flex,60,1,1,1,1,1e12", "bad.csv:2: ttft_avg_ms: 1e12 is too large: at most 86400000 ms (a day)"},
	} {
		_, err := ReadMetrics(strings.NewReader(h+c.row+"\n"), "bad.csv")
		if err == nil || err.Error() != c.want {
			t.Errorf("%s:\ngot  %v\nwant %s", c.row, err, c.want)
		}
	}
}

func TestSelectTier(t *testing.T) {
	m, err := ReadMetrics(strings.NewReader(tierCSV), "tiers.csv")
	if err != nil {
		t.Fatal(err)
	}
	s, err := m.Select("m", "us-east-1")
	if err != nil || s.Tier() != TierStandard {
		t.Fatalf("bare id: %v %v", err, s)
	}
	if other := m.OtherTiers(s); strings.Join(other, ",") != "flex,priority" {
		t.Errorf("other tiers %v", other)
	}
	if s, err := m.Select("", ""); err != nil || s.Tier() != TierStandard {
		t.Errorf("the only model: %v %v", err, s)
	}
	if s, err := m.Select("m+flex", ""); err != nil || s.Tier() != TierFlex || s.InputTokens[0] != 100 {
		t.Errorf("m+flex: %v %v", err, s)
	}
	if _, err := m.Select("m+latency-optimized", ""); err == nil || !strings.Contains(err.Error(), `no rows for model "m+latency-optimized"; the metrics hold: m (us-east-1), m+flex (us-east-1), m+priority (us-east-1)`) {
		t.Errorf("missing tier: %v", err)
	}
	// Without Standard traffic a bare id must name the tier.
	noStd := &Metrics{Series: m.Series[1:]}
	if _, err := noStd.Select("m", ""); err == nil || err.Error() != "m has no standard-tier traffic, and traffic on flex, priority; choose one with --model m+flex" {
		t.Errorf("no standard: %v", err)
	}
}

func TestSplitTierSuffix(t *testing.T) {
	for in, want := range map[string][2]string{
		"anthropic.claude-sonnet-4-5-20250929-v1:0+flex":    {"anthropic.claude-sonnet-4-5-20250929-v1:0", "flex"},
		"us.amazon.nova-pro-v1:0+priority":                  {"us.amazon.nova-pro-v1:0", "priority"},
		"meta.llama3-1-70b-instruct-v1:0+latency-optimized": {"meta.llama3-1-70b-instruct-v1:0", "latency-optimized"},
		"amazon.nova-pro-v1:0":                              {"amazon.nova-pro-v1:0", "standard"},
		"m+reserved":                                        {"m+reserved", "standard"}, // not a CloudWatch suffix
		"+flex":                                             {"+flex", "standard"},
	} {
		if b, tier := SplitTierSuffix(in); b != want[0] || tier != want[1] {
			t.Errorf("%s: %s, %s", in, b, tier)
		}
	}
}

// TestTierColumnsThroughTransforms: quota usage is summed and time to
// first token weighted by requests when resampling and combining
// retention tiers, and gaps leave the averages empty.
func TestTierColumnsThroughTransforms(t *testing.T) {
	nan := math.NaN()
	s := &Series{ModelID: "m", ServiceTier: TierFlex, Period: time.Minute, Start: []int64{0, 60, 240},
		Invocations: []float64{1, 3, 2}, InputTokens: []float64{1, 1, 1}, OutputTokens: []float64{1, 1, 1},
		QuotaUsage: []float64{10, 30, 20}, TTFTAvgMs: []float64{100, 200, nan}}
	r, err := Resample(s, 5*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if r.ServiceTier != TierFlex || r.Len() != 1 || r.QuotaUsage[0] != 60 || r.TTFTAvgMs[0] != 175 {
		t.Errorf("resampled: tier %q, quota %v, ttft %v", r.ServiceTier, r.QuotaUsage, r.TTFTAvgMs)
	}
	f, _, err := FillGaps(s, GapsInterpolate)
	if err != nil {
		t.Fatal(err)
	}
	if f.Len() != 5 || f.QuotaUsage[2] != 30-10.0/3 || !math.IsNaN(f.TTFTAvgMs[2]) || f.TTFTAvgMs[1] != 200 {
		t.Errorf("filled: quota %v, ttft %v", f.QuotaUsage, f.TTFTAvgMs)
	}
	hourly := &Series{ModelID: "m", ServiceTier: TierFlex, Period: 5 * time.Minute, Start: []int64{-300},
		Invocations: []float64{1}, InputTokens: []float64{1}, OutputTokens: []float64{1}}
	c, err := CombineTiers([]*Series{hourly, f})
	if err != nil {
		t.Fatal(err)
	}
	if c.ServiceTier != TierFlex || c.QuotaUsage == nil || c.QuotaUsage[0] != 0 || math.Abs(c.QuotaUsage[1]-110) > 1e-9 { // 10 + 30 + 80/3 + 70/3 + 20
		t.Errorf("combined: tier %q, quota %v", c.ServiceTier, c.QuotaUsage)
	}
}
