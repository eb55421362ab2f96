package reports

import (
	"fmt"
	"io"
	"strings"

	"github.com/bedrockplan/bedrockplan/workload"
)

// columnDocs says, once, what every CSV column of a report folder means
// and in what unit. A test keeps it complete.
var columnDocs = map[string]string{
	// strategies.csv
	"strategy":                        "the strategy (on-demand, provisioned-peak, business-hours-switch, reserved, recommended, plan; in risk.csv also rolling-1-month, six-month, reserved-1-month, reserved-3-month)",
	"committed_term":                  "term of the committed PT layer: none, one_month or six_months; empty without one",
	"committed_mu":                    "model units in the committed layer (the largest block)",
	"scheduled_mu_hours":              "billed MU-hours of scheduled no-commitment PT, hours",
	"provisioned_cost_usd":            "PT cost, US dollars (six decimals: the exact micro-dollar sum)",
	"on_demand_cost_usd":              "on-demand cost, US dollars",
	"total_cost_usd":                  "PT plus Reserved plus on-demand cost, US dollars",
	"savings_vs_on_demand_pct":        "saving against the on-demand strategy, percent (negative: costs more)",
	"pt_utilization_pct":              "share of PT capacity in service that carried traffic, on each interval's binding dimension, percent",
	"served_by_pt_pct":                "share of requests PT served, percent",
	"throttled_requests":              "requests turned away (quota exceeded, or overflow with provisioned-only routing), requests",
	"throttled_pct":                   "throttled share of requests, percent",
	"requests":                        "requests, count",
	"billed_mu_hours":                 "MU-hours billed, hours",
	"committed_after_window_usd":      "what committed terms still cost after the window ends, US dollars",
	"note":                            "what the row buys, or why it could not be priced",
	"note_code":                       "the fact note words, for reports in other languages: a code (such as mu-throughput-unknown, outlives-eol, no-pt-price) and its figures as key=value (term, mu, start, eol, model, region, lifecycle, …)",
	"reserved_term":                   "term of the Reserved layer: one_month or three_months; empty without one",
	"reserved_input_tpm":              "input tokens per minute reserved (cache writes use them too), tokens/min",
	"reserved_output_tpm":             "output tokens per minute reserved, tokens/min",
	"reserved_input_ktpm_months":      "Reserved input capacity billed inside the window, thousands of TPM × months (each month of a term counted by its share of hours in the window); × the input price per 1K TPM-month gives its part of reserved_cost_usd",
	"reserved_output_ktpm_months":     "the same for output capacity",
	"reserved_cost_usd":               "Reserved-tier cost inside the window, US dollars",
	"served_by_reserved_pct":          "share of requests the Reserved layer served, percent",
	"reserved_input_utilization_pct":  "share of the reserved input capacity in service that carried tokens, percent",
	"reserved_output_utilization_pct": "share of the reserved output capacity in service that carried tokens, percent",
	"reserved_after_window_usd":       "what reserved months still cost after the window ends, US dollars",
	"renewing_per_month_usd":          "what the commitments that renew with no delete date (at_term_end: renew) go on costing each month after their current terms, US dollars a month (PT at 730.5 hours a month): billing stops only when they are deleted",
	// intervals.csv, when the plan reserves
	"reserved_share_pct":     "share of the interval's demand the Reserved layer served, percent",
	"reserved_requests":      "requests the Reserved layer served",
	"reserved_input_tokens":  "input tokens (cache writes included) the Reserved layer served",
	"reserved_output_tokens": "output tokens the Reserved layer served",
	// sensitivity.csv
	"throughput_pct":               "the MU throughput the row assumes, percent of the throughput given",
	"mu_input_tpm":                 "input tokens per minute one MU carries in the row",
	"mu_output_tpm":                "output tokens per minute one MU carries in the row",
	"commitments_change_below_pct": "below this share of the throughput given (percent, to 1%) the optimiser would buy other commitments; empty: not above 25%",
	"commitments_change_above_pct": "above this share it would buy other commitments; empty: not below 400%",
	// commitments.csv
	"product":            "what is bought: pt (committed model units), reserved-input or reserved-output (a reservation's input and output TPM)",
	"quantity":           "how many units: model units for pt, thousands of tokens per minute for reserved",
	"unit":               "what unit_price_usd is per: MU-hour, or 1K-TPM-month",
	"start":              "when it would be bought: the next whole hour after the run, or --buy-at; never in the past",
	"end":                "when its first term ends, RFC 3339",
	"unit_price_usd":     "price per unit, US dollars",
	"units_in_term":      "units the term holds: hours for pt, months for reserved",
	"contract_value_usd": "quantity × unit_price_usd × units_in_term: what the first term commits to, US dollars",
	"at_term_end":        "what the plan says happens at the term's end: renew (Bedrock's default: it bills until deleted) or delete",
	// reserved_breakeven.csv
	"breakeven_input_price_per_1k_tpm_month_usd":  "highest Reserved input price at which a reservation still pays for this traffic (input and output prices in the ratio of the on-demand prices), US dollars per 1K TPM per month",
	"breakeven_output_price_per_1k_tpm_month_usd": "the matching output price, US dollars per 1K TPM per month",
	"breakeven_reserved_input_tpm":                "input TPM of the reservation that breaks even at those prices",
	"breakeven_reserved_output_tpm":               "its output TPM",
	"input_price_per_1k_tpm_month_usd":            "on rows with a term: the catalogue's Reserved input price for it, US dollars per 1K TPM per month",
	"output_price_per_1k_tpm_month_usd":           "the catalogue's Reserved output price, US dollars per 1K TPM per month",
	// intervals.csv
	"timestamp":               "interval start, RFC 3339 UTC",
	"local_time":              "interval start in the plan's time zone",
	"period_s":                "interval length, seconds",
	"input_tokens":            "input tokens, count",
	"output_tokens":           "output tokens, count",
	"pt_mu":                   "model units in service (average over the interval)",
	"pt_share_pct":            "share of the interval's demand PT served, percent",
	"pt_requests":             "requests PT served",
	"pt_input_tokens":         "input tokens PT served",
	"pt_output_tokens":        "output tokens PT served",
	"on_demand_requests":      "requests on-demand admitted",
	"on_demand_input_tokens":  "input tokens on-demand admitted",
	"on_demand_output_tokens": "output tokens on-demand admitted",
	// cost_curve.csv
	"term":   "commitment term: none, one_month or six_months for PT; in reserved_breakeven.csv one_month or three_months",
	"chosen": "true on the point the recommendation equals (committed only, no schedule)",
	// breakeven.csv
	"pt_price_per_mu_hour_usd":           "PT price per model unit and hour, US dollars",
	"breakeven_mu_tokens_per_min":        "tokens (input plus output) a minute one MU must carry for the term to cost less than on-demand",
	"breakeven_mu_input_tokens_per_min":  "its input part, tokens a minute",
	"breakeven_mu_output_tokens_per_min": "its output part, tokens a minute",
	"full_use_breakeven_tokens_per_min":  "the same for an MU busy every hour: the floor, tokens a minute",
	"breaks_even":                        "yes, or never when even carrying all traffic does not pay",
	"breakeven_utilization_pct":          "average share of its capacity an MU of the given throughput must use to pay, percent",
	// levels.csv
	"mu_level":                "the n-th new model unit above the existing ones",
	"layer":                   "committed, scheduled or none",
	"saving_if_committed_usd": "on-demand cost it takes over held around the clock, US dollars",
	"committed_cost_usd":      "what holding it committed costs over the window, US dollars",
	"scheduled_slots":         "hours of the week it is scheduled in",
	"scheduled_saving_usd":    "on-demand cost it takes over in those hours, US dollars",
	"scheduled_cost_usd":      "what scheduling it in those hours costs, US dollars",
	// schedule.csv
	"day":            "day of the week in the plan's time zone",
	"hour":           "hour of the day in the plan's time zone",
	"slot":           "hour of the week, Sunday 00:00 = 0",
	"existing_mu":    "existing committed MUs in service (average)",
	"scheduled_mu":   "scheduled no-commitment MUs",
	"total_mu":       "all MUs in service",
	"mean_demand_mu": "mean demand in model units: what carrying the hour's intervals in full would take",
	"peak_demand_mu": "peak demand in model units",
	// risk.csv
	"scheduled":                   "true when the strategy also schedules no-commitment PT",
	"expected_cost_usd":           "mean cost over the scenarios of the next six months, US dollars",
	"p10_cost_usd":                "10th percentile of that cost, US dollars",
	"p90_cost_usd":                "90th percentile, US dollars",
	"costlier_than_on_demand_pct": "share of scenarios in which it costs more than on-demand, percent",
	"scenarios":                   "Monte Carlo scenarios, count",
	"horizon_start":               "start of the six months priced (the end of the history), RFC 3339",
	"horizon_end":                 "their end, RFC 3339",
	"migration_risk_pct":          "probability that the traffic moves to another model within the horizon, percent",
	// assumptions.csv
	"field": "what the row states: model_id, region, time_zone, lang, detail_strategy, command_line, version, catalogue_as_of, today, window_start, period_s, intervals, intervals_rows (how intervals.csv was written: full, hourly or none), demand (in words) + demand_kind (observed, served, unconstrained or sample) + demand_file (the file served requests were read from) + demand_added (throttled requests added back) + demand_seed (the sample's seed), burst_ratio, burst_source (in words) + burst_kind (not-needed, none, given, measured or default) + burst_finer_s (the interval of the data a measured ratio comes from, seconds) + burst_intervals (how many intervals it was measured on) + burst_file (the metrics file it was measured in, or that holds no finer data), gap_policy, gap_from + gap_missing_intervals, existing_start + existing_mu + existing_term + existing_at_term_end + existing_delete_at, warning + warning_code (a warning and its fact, as note and note_code), note (the demo's sample traffic, in words), input_file + input_sha256, flat_recommended_total_usd, flat_plan_total_usd, flat_same_choice, service_tier (the tier the series ran on, empty for Standard) and priority_premium_usd (Priority over Standard prices for the same tokens), tier_cost_tier + tier_cost_requests + tier_cost_usd + tier_cost_missing (each tier of the model's traffic priced all on-demand), move_tier + move_share + move_saving_usd + move_input_per_1m_usd + move_output_per_1m_usd + move_missing (the what-if moves of --flex-share and --batch-share), quota_check_intervals + quota_check_median_ratio + quota_check_apart_share (the replay's quota count against CloudWatch's EstimatedTPMQuotaUsage), risk_note + risk_omitted (why there is no term-risk analysis, in words and as a code: no-scenarios, cannot-buy, cannot-size, short-history or no-forecast), cash_flow_note + cash_flow_omitted (the same for the cash flow), forecast_hours, forecast_growth_per_hour (log-growth per hour), forecast_growth_se, forecast_mape (NaN: not measured); fields that repeat keep their order",
	"value": "its value; numbers are written so that reading them back gives the same number",
	// metrics.csv
	"model_id":                  "Bedrock model id (or PT ARN)",
	"region":                    "AWS region",
	"invocations":               "requests served (CloudWatch Invocations), count",
	"throttles":                 "requests throttled (InvocationThrottles), count",
	"cache_read_tokens":         "prompt-cache read tokens, count",
	"cache_write_tokens":        "prompt-cache write tokens, count",
	"latency_avg_ms":            "mean invocation latency, milliseconds",
	"latency_p90_ms":            "90th-percentile invocation latency, milliseconds",
	"service_tier":              "service tier the traffic ran on: standard, priority, flex, latency-optimized or reserved (absent: standard)",
	"estimated_tpm_quota_usage": "tokens the service counted against the TPM quota (CloudWatch EstimatedTPMQuotaUsage), sum over the interval",
	"ttft_avg_ms":               "mean time to first token (streaming requests), milliseconds",
	// cashflow.csv
	"month":                       "calendar month (UTC), YYYY-MM",
	"pt_committed_usd":            "committed PT bought (commitments.csv), its first term, billed in the month, USD",
	"pt_no_commit_usd":            "no-commitment PT (scheduled or held) billed in the month, USD",
	"reserved_usd":                "reservations bought (commitments.csv), their first term, billed in the month, USD",
	"renewals_usd":                "what the commitments bill after their first term while they renew (at_term_end: renew), USD",
	"existing_usd":                "what the commitments already owned (--existing) bill in the month: billed whatever is bought, so in the plan and in staying as it is alike, USD",
	"capacity_usd":                "pt_committed_usd + pt_no_commit_usd + reserved_usd + renewals_usd + existing_usd: the capacity billed, known in advance, USD",
	"on_demand_overflow_mean_usd": "forecast on-demand cost of the traffic the plan leaves over, mean over the risk analysis's scenarios, USD",
	"on_demand_overflow_p10_usd":  "the same, 10th percentile of the scenarios, USD",
	"on_demand_overflow_p50_usd":  "the same, median, USD",
	"on_demand_overflow_p90_usd":  "the same, 90th percentile, USD",
	"plan_mean_usd":               "capacity_usd + on_demand_overflow_mean_usd, USD; means add up across months",
	"plan_p50_usd":                "capacity_usd + on_demand_overflow_p50_usd, USD",
	"stay_as_is_mean_usd":         "forecast bill of buying nothing: existing_usd plus the on-demand cost of the traffic the existing commitments leave over (all of it, without any), mean over the scenarios, USD",
	"stay_as_is_p10_usd":          "the same, 10th percentile, USD",
	"stay_as_is_p50_usd":          "the same, median, USD",
	"stay_as_is_p90_usd":          "the same, 90th percentile, USD",
	"savings_mean_usd":            "stay_as_is_mean_usd − plan_mean_usd: positive when the plan costs less, USD",
	// portfolio.csv (an account folder's)
	"history_days":                        "how long the series' replayed history is, days; each row's costs are over its own history (the ALL row: the longest)",
	"recommended_cost_usd":                "the recommendation replayed over the series' history (recommend), US dollars; on-demand again when the series could not be sized",
	"plan_cost_usd":                       "the series' plan replayed over its history (simulate), US dollars; on-demand again when the series could not be sized",
	"on_demand_overflow_usd":              "the part of the plan's cost the traffic it leaves to on-demand costs, US dollars",
	"savings_usd":                         "on_demand_cost_usd minus the plan's cost: positive when the plan costs less, US dollars",
	"savings_pct":                         "savings_usd as a percentage of on_demand_cost_usd (negative: the plan costs more)",
	"mu_throughput":                       "where the series' MU throughput comes from: assumed, account-team or measured (empty: unknown, so PT could not be sized and the break-even throughput is given)",
	"sized":                               "true when a plan could be sized for the series; false when it could not (note says why) and its costs are all on-demand",
	"breakeven_term":                      "the PT term on which one MU pays from the least throughput, breakeven_mu_tokens_per_min (its least over the terms); empty when the MU throughput is known or no term pays",
	"breakeven_reserved_input_price_usd":  "highest Reserved input price at which a reservation pays for the series (reserved_breakeven.csv), US dollars per 1K TPM per month; empty when none pays or the model has no Reserved tier",
	"breakeven_reserved_output_price_usd": "the matching output price, US dollars per 1K TPM per month",
	"plan":                                "the plan in words (as plan.yaml's first line says it), or all on-demand",
	"folder":                              "the series' report folder, relative to the account folder",
}

// columnSets are the column sets columns.md explains: every CSV file of
// reportFiles, in order, then the demo's metrics.
func columnSets() []columnSet {
	var sets []columnSet
	for _, df := range reportFiles {
		sets = append(sets, df.columns...)
	}
	return append(sets, columnSet{"metrics.csv (demo)", workload.AllColumns()})
}

// writeColumns writes columns.md: every column of every CSV in the folder.
func writeColumns(w io.Writer) error {
	return writeColumnSets(w, "Every column of the CSV files in this folder, once: what it holds and its unit. "+unitNames+" `pricing.yaml` is the catalogue entry the report priced with (the --pricing format); `plan.yaml` the plan replayed in `intervals.csv`; `flat_plan.yaml` what the optimiser would choose with flat traffic. `intervals.csv` holds every interval, gzip-compressed as `intervals.csv.gz` above 100,000 of them; written with `--intervals hourly` it holds one row per hour of the plan's time zone (counts, tokens and costs are the hour's sums, `pt_mu` and the Reserved TPM the hour's means, the shares those of the hour's requests, `period_s` the seconds the row covers), and with `--intervals none` it is not there. `bedrockplan report --from DIR` renders the summaries and charts again from these files alone.", columnSets(), nil)
}

// writeAccountColumns writes an account folder's columns.md: every column
// of the CSV files at its top, as an account whose rows stand for the
// strategy detail writes them.
func writeAccountColumns(w io.Writer, detail string) error {
	return writeColumnSets(w, "Every column of the CSV files at the top of this account folder, once: what it holds and its unit. "+unitNames+" Each series' folder beside them is a complete report with its own `columns.md`. `bedrockplan report --from DIR` renders the account's summaries and charts again from these files alone.", accountColumnSets(detail), accountDocs)
}

// unitNames says how the columns' names give their units.
const unitNames = "Units are also in the names: `_usd` US dollars, `_pct` percent, `_tokens` tokens, `_mu` model units, `_ms` milliseconds, `_s` seconds."

// writeColumnSets writes a columns.md: the intro, then each set's
// columns, each column explained where it first appears, by docs where
// it has the column, else by columnDocs.
func writeColumnSets(w io.Writer, intro string, sets []columnSet, docs map[string]string) error {
	var b strings.Builder
	b.WriteString("# Columns\n\n" + intro + "\n\n")
	seen := map[string]bool{}
	for _, t := range sets {
		var fresh []string
		for _, c := range t.columns {
			if !seen[c] {
				fresh = append(fresh, c)
				seen[c] = true
			}
		}
		fmt.Fprintf(&b, "## %s\n\n%s\n\n", t.title, strings.Join(quoteAll(t.columns), ", "))
		if len(fresh) == 0 {
			continue
		}
		b.WriteString("| column | meaning and unit |\n|---|---|\n")
		for _, c := range fresh {
			doc, ok := docs[c]
			if !ok {
				doc = columnDocs[c]
			}
			fmt.Fprintf(&b, "| `%s` | %s |\n", c, doc)
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func quoteAll(cols []string) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = "`" + c + "`"
	}
	return out
}
