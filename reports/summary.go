package reports

import (
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/sim"
	"github.com/bedrockplan/bedrockplan/workload"
)

// Languages a report can be written in.
const (
	LangEnglish  = "en"
	LangJapanese = "ja"
)

// language is the language text is written in: LangEnglish or
// LangJapanese. Summaries and charts share its phrasebook.
type language string

// tr picks the English or Japanese form of a sentence; both take the
// same arguments in the same order.
func (l language) tr(en, ja string, args ...any) string {
	if l == LangJapanese {
		return fmt.Sprintf(ja, args...)
	}
	return fmt.Sprintf(en, args...)
}

// word picks the English or Japanese form of a fixed text.
func (l language) word(en, ja string) string {
	if l == LangJapanese {
		return ja
	}
	return en
}

func (r *Report) tr(en, ja string, args ...any) string { return language(r.Lang).tr(en, ja, args...) }

// period names an interval length: "1-minute" or "1 分".
func (r *Report) period(d time.Duration) string { return language(r.Lang).period(d) }

// timeUnits are the units durations are named in, largest first, with
// their Japanese names for an interval length and for a span of time.
var timeUnits = []struct {
	d              time.Duration
	en, ja, jaSpan string
}{{24 * time.Hour, "day", "日", "日間"}, {time.Hour, "hour", "時間", "時間"}, {time.Minute, "minute", "分", "分間"}}

// Period names an interval length in English words ("1-minute",
// "1-hour"), for messages outside a report: the words a report uses.
func Period(d time.Duration) string { return language(LangEnglish).period(d) }

// Span names a length of history in English words ("1 hour", "14
// days"), for messages outside a report: the same words a report uses.
func Span(d time.Duration) string { return language(LangEnglish).span(d, false) }

// span names how long a window lasts, in days from two days up, else in
// hours, else in minutes: "14-day" (adjective) or "14 days", "36-hour"
// or "36 hours"; in Japanese "14日間", "36時間", "90分間". It is the one
// wording of a length of history (workload.Series.Span); every message
// and report goes through it.

func (l language) span(d time.Duration, adjective bool) string {
	u := timeUnits[2]
	switch {
	case d >= 48*time.Hour:
		u = timeUnits[0]
	case d >= time.Hour:
		u = timeUnits[1]
	}
	n := trim(float64(d) / float64(u.d))
	switch {
	case l == LangJapanese:
		return n + u.jaSpan
	case adjective:
		return n + "-" + u.en
	case n == "1":
		return "1 " + u.en
	}
	return n + " " + u.en + "s"
}

// period names an interval length in the largest unit that divides it.
func (l language) period(d time.Duration) string {
	for _, u := range timeUnits {
		if d%u.d == 0 {
			return l.tr("%d-%s", "%d%s", int64(d/u.d), l.word(u.en, u.ja))
		}
	}
	return d.String()
}

func (r *Report) word(en, ja string) string { return language(r.Lang).word(en, ja) }

// when formats a time in the plan's zone for the report's language.
func (r *Report) when(t time.Time) string { return language(r.Lang).when(t, r.TimeZone) }

// when formats a time in zone, to the minute, naming the zone.
func (l language) when(t time.Time, zone *time.Location) string {
	t = t.In(zone)
	if l == LangJapanese {
		return t.Format("2006年1月2日 15:04 MST")
	}
	return t.Format("2006-01-02 15:04 MST")
}

// forecastSentence states the demand forecast the scenarios were drawn
// from: the history it was fitted on, its weekly growth with the 80%
// interval, and its backtest error.
func (r *Report) forecastSentence(fc *workload.Forecast) string {
	lo, hi := fc.GrowthInterval(0.8)
	mape := r.tr("not measured: the backtest needs three weeks of history", "未測定（バックテストには 3 週間の履歴が必要）")
	if !math.IsNaN(fc.MAPE) {
		mape = r.tr("%s%% on daily demand, forecasting the last week from the weeks before it", "日次需要で %s%%（最後の 1 週間をそれ以前から予測）", trim(100*fc.MAPE))
	}
	// The forecast is fitted on the whole window: its length is the
	// window's, worded as the rest of the report words it.
	return r.tr("Forecast from %s of history (trend and hour-of-week pattern, least squares on log demand): demand grows %s%% a week (80%% interval %s%% to %s%%); forecast error (MAPE) %s.",
		"%sの履歴からの予測（トレンドと曜日・時間帯パターン、対数需要の最小二乗法）：需要は週 %s%% 増加（80%% 区間 %s%%〜%s%%）。予測誤差（MAPE）：%s。",
		language(r.Lang).span(r.window(), false), trim(100*fc.WeeklyGrowth()), trim(100*lo), trim(100*hi), mape)
}

func (r *Report) day(t time.Time) string {
	if r.Lang == LangJapanese {
		return t.Format("2006年1月2日")
	}
	return t.Format("2006-01-02")
}

func (r *Report) term(t pricing.Term) string { return language(r.Lang).term(t) }

// term names a commitment term.
func (l language) term(t pricing.Term) string {
	if l == LangJapanese {
		switch t {
		case pricing.TermSixMonths:
			return "6か月コミット"
		case pricing.TermThreeMonths:
			return "3か月コミット"
		case pricing.TermOneMonth:
			return "1か月コミット"
		case pricing.TermNone:
			return "コミットなし"
		}
	}
	return sim.TermLabel(t)
}

var jaDays = []string{"日", "月", "火", "水", "木", "金", "土"}

// jaWindow writes a weekly window in Japanese: 月・火曜 09:00〜17:00.
func jaWindow(w sim.Window) string {
	days := make([]string, len(w.Days))
	for i, d := range w.Days {
		days[i] = jaDays[d]
	}
	return fmt.Sprintf("%s曜 %s〜%s", strings.Join(days, "・"), w.From, w.To)
}

// Describe says what a plan buys, in one line of English: the words
// plan.yaml's header, portfolio.csv and the English summaries use.
func Describe(p sim.Plan) string { return language(LangEnglish).describe(p, inPlanZone(p)) }

// inPlanZone formats when a term starts for an English description:
// in the plan's own zone, since plan.yaml and portfolio.csv have no
// report's zone to give it in.
func inPlanZone(p sim.Plan) func(time.Time) string {
	return func(t time.Time) string { return language(LangEnglish).when(t, p.Location()) }
}

// describe says what a plan buys in language l. startAt words when a
// term starts; nil leaves out when each term starts and how often it
// renews in the window: what is bought, as the verdict of a
// recommendation gives it (its purchase is dated by commitments.csv,
// its replay by the window).
func (l language) describe(p sim.Plan, startAt func(time.Time) string) string {
	// English gives a reservation's TPM exactly, as plan.yaml's header
	// and portfolio.csv need it; Japanese, which only summaries use,
	// rounds it to three figures as the charts do.
	tpm := pricing.CompactTPM
	if l == LangJapanese {
		tpm = SI
	}
	// from is when a term starts, placed where each language puts it:
	// after the term in English, before it in Japanese; "" undated.
	from := func(t time.Time) string {
		if startAt == nil {
			return ""
		}
		return l.tr(" from %s", "%s から ", startAt(t))
	}
	renewed := func(n int) string {
		if n <= 0 || startAt == nil {
			return ""
		}
		return l.tr(", renewed %d times", "、%d 回更新", n)
	}
	var parts []string
	for _, c := range p.ReservedRuns() {
		parts = append(parts, l.tr("Reserved %[2]s input + %[3]s output TPM %[4]s%[1]s", "%[1]s予約 入力 %[2]s・出力 %[3]s TPM（%[4]s）",
			from(c.Start), tpm(c.InputTPM), tpm(c.OutputTPM), l.term(c.Term))+renewed(c.Renewals))
	}
	for _, c := range p.CommittedRuns() {
		parts = append(parts, l.tr("%[2]d MU %[3]s%[1]s", "%[1]s%[2]d MU（%[3]s）", from(c.Start), c.ModelUnits, l.term(c.Term))+renewed(c.Renewals))
	}
	for _, s := range p.Scheduled {
		if s.ModelUnits == 0 {
			continue
		}
		parts = append(parts, l.tr("%d MU no-commit %s (%s)", "%d MU（コミットなし、%s %s）", s.ModelUnits, l.window(s.Window), p.Location()))
	}
	if len(parts) == 0 {
		return l.word("no committed capacity: everything on-demand", "確保容量なし：すべてオンデマンド")
	}
	out := strings.Join(parts, l.word(" + ", " ＋ "))
	if len(p.PTWindows) > 0 {
		ws := make([]string, len(p.PTWindows))
		for i, w := range p.PTWindows {
			ws[i] = l.window(w)
		}
		out += l.tr("; traffic sent to PT only %s (%s)", "。PT に送るのは %s（%s）のトラフィックのみ", strings.Join(ws, l.word(", ", "、")), p.Location())
	}
	if p.Routing == sim.RouteSpillover {
		return out + l.word("; overflow to on-demand", "。超過分はオンデマンドへ")
	}
	return out + l.word("; overflow throttled", "。超過分はスロットリング")
}

// describe says what a plan buys, in the report's language.
func (r *Report) describe(p sim.Plan) string { return r.describeAs(p, true) }

// describeAs is describe; undated, as language.describe with no start.
func (r *Report) describeAs(p sim.Plan, dated bool) string {
	l := language(r.Lang)
	switch {
	case !dated:
		return l.describe(p, nil)
	case l == LangJapanese:
		return l.describe(p, r.when)
	}
	// English summaries say a plan in the words of its plan.yaml header.
	return Describe(p)
}

func (r *Report) strategyName(name string) string { return language(r.Lang).strategyName(name) }

// strategyName names a strategy (or a risk row).
func (l language) strategyName(name string) string {
	if l != LangJapanese {
		return name
	}
	return map[string]string{
		sim.StrategyPlan: "指定プラン", sim.StrategyOnDemand: "オンデマンドのみ", sim.StrategyProvisionedPeak: "ピーク分を PT",
		sim.StrategyBusinessHoursSwitch: "業務時間だけ PT", sim.StrategyRecommended: "推奨",
		sim.StrategyReserved: "予約（Reserved）のみ",
		sim.RiskRolling:      "1か月コミットを毎月更新", sim.RiskSixMonths: "6か月コミット",
		sim.RiskReserved1: "予約 1か月を毎月更新", sim.RiskReserved3: "予約 3か月",
	}[name]
}

func (r *Report) provenance(p pricing.Provenance) string {
	if r.Lang != LangJapanese {
		return strings.ToUpper(string(p))
	}
	return map[pricing.Provenance]string{pricing.ProvenanceAssumed: "仮定値", pricing.ProvenanceAccountTeam: "AWS アカウントチーム提供",
		pricing.ProvenanceMeasured: "実測値", pricing.ProvenanceUnknown: "不明"}[p]
}

// Verdict is the report's answer in a few sentences, printed on stdout
// and at the top of the summaries.
func (r *Report) Verdict() string {
	if r.rendered != nil {
		r = r.rendered
	}
	return strings.Join(r.verdict(), "\n") + "\n"
}

func (r *Report) verdict() []string {
	a := r.Analysis
	var out []string
	od := a.Strategy(sim.StrategyOnDemand)
	windowAdj := language(r.Lang).span(r.window(), true)
	d := r.detail()
	buysNone := d != nil && d.Name == sim.StrategyRecommended && !d.BuysCapacity()
	if d != nil && d.Name != sim.StrategyOnDemand && !buysNone {
		t := d.Totals
		subject := r.tr("Recommended", "推奨")
		if d.Name == sim.StrategyPlan {
			subject = r.tr("Your plan", "指定プラン")
		}
		// A recommendation is said as what it buys: the next sentence
		// dates its purchase (commitments.csv); the replay dated it from
		// the window's start. A user's plan keeps its own dates.
		what := r.describe(d.Plan)
		if d.Name == sim.StrategyRecommended {
			what = r.describeAs(d.Plan, false)
		}
		out = append(out, r.tr("%s for %s in %s: %s.", "%s（%s、%s）：%s。", subject, r.Offer.ModelID, r.Offer.Region, what))
		s := r.tr("Over the %s window it costs %s (%s) against %s all on-demand",
			"%sの費用は %s（%s）で、すべてオンデマンドの %s と比べて", windowAdj, t.Total(), r.costParts(t), od.Totals.Total())
		if od.Totals.Total() > 0 {
			diff := trim(100 * math.Abs(float64(od.Totals.Total()-t.Total())) / float64(od.Totals.Total()))
			if t.Total() > od.Totals.Total() {
				s += r.tr(" (%s%% more)", " %s%% 高く", diff)
			} else {
				s += r.tr(" (%s%% less)", " %s%% 安く", diff)
			}
		}
		s += r.tr("; %s of %s requests throttled (%s%%).", "なります。スロットリングは %s 件（全 %s 件の %s%%）です。", count(t.ThrottledRequests), count(t.Requests), sig3(100*t.ThrottledShare()))
		out = append(out, s)
		if len(r.Purchases) > 0 {
			var total float64
			for _, p := range r.Purchases {
				total += p.ContractValue()
			}
			out = append(out, r.tr("Buying it commits %s in contract value over its terms, from %s (commitments.csv).",
				"購入すると、契約期間の合計で %s の契約額になります（%s から、commitments.csv）。", pricing.FromUSD(total), r.when(r.Purchases[0].Start)))
		}
		switch {
		case d.Name == sim.StrategyRecommended && len(r.Purchases) > 0:
			// What the replay's terms owe past the window is an artefact
			// of dating them from its start: bought now, the whole
			// contract value (above) is owed.
			if t.RenewingPerMonth > 0 {
				out = append(out, r.tr("The committed terms renew unless deleted (at_term_end: renew): after the first terms they go on costing %s a month.",
					"コミット期間は削除しない限り更新され（at_term_end: renew）、最初の期間の後も毎月 %s かかります。", t.RenewingPerMonth))
			}
		case t.RenewingPerMonth > 0:
			out = append(out, r.tr("Committed terms run past the window: %s more is owed until their current terms end, and they renew unless deleted (at_term_end: renew), costing %s a month after that.",
				"コミット期間は分析期間の後も続き、現在の期間が終わるまでにさらに %s の支払いが残ります。削除しない限り更新され（at_term_end: renew）、その後も毎月 %s かかります。", t.AfterWindow(), t.RenewingPerMonth))
		case t.AfterWindow() > 0:
			out = append(out, r.tr("Committed terms run past the window: %s more is owed after it ends, until they are deleted at the end of their terms.",
				"コミット期間は分析期間の後も続き、期間終了後、期間満了時に削除されるまでにさらに %s の支払いが残ります。", t.AfterWindow()))
		}
	} else {
		// The languages put the cost and the window in opposite orders.
		s := r.tr("%[1]s in %[2]s: stay on-demand, %[3]s over the %[4]s window", "%[1]s（%[2]s）：オンデマンドのままで、%[4]sの費用は %[3]s",
			r.Offer.ModelID, r.Offer.Region, od.Totals.Total(), windowAdj)
		if t := od.Totals; t.ThrottledRequests > 0 {
			s += r.tr("; the on-demand quota throttles %s of %s requests (%s%%)", "。オンデマンドのクォータで %s 件（全 %s 件の %s%%）がスロットリングされます", count(t.ThrottledRequests), count(t.Requests), sig3(100*t.ThrottledShare()))
		}
		out = append(out, s+r.tr(".", "。"))
		if rec := a.Strategy(sim.StrategyRecommended); rec != nil && rec.Skipped {
			out = append(out, r.noRecommendation(rec.Note))
		} else if buysNone && len(r.Offer.ReservedTerms()) > 0 {
			out = append(out, r.tr("Neither PT nor the Reserved tier pays for this traffic: the cheapest plan buys no capacity.",
				"このトラフィックでは PT も予約（Reserved）も割に合いません。最も安いプランは容量を購入しません。"))
		} else if buysNone {
			out = append(out, r.tr("PT does not pay for this traffic: the cheapest plan buys no model units.",
				"このトラフィックでは PT は割に合いません。最も安いプランはモデルユニットを購入しません。"))
		}
	}
	if rk := r.Risk; rk != nil {
		if six := rk.Row(sim.RiskSixMonths); six != nil && !six.Refused && six.CommittedMU > 0 {
			s := r.tr("Term risk: over the next six months a 6-month commitment (%d MU) costs more than on-demand%s",
				"期間リスク：今後6か月で、6か月コミット（%d MU）がオンデマンドより高くつくのは%s", six.CommittedMU, r.inScenarios(six.CostlierThanOnDemand, rk.Scenarios))
			// The recommendation's own risk leads when it is another plan
			// than the 6-month commitment alone.
			if rec := rk.Row(sim.RiskRecommended); rec != nil && !rec.Refused && r.Detail == sim.StrategyRecommended &&
				(rec.CommittedMU != six.CommittedMU || rec.Term != six.Term || rec.Scheduled || rec.Reserve != nil) {
				s = r.tr("Term risk: over the next six months the recommended plan costs more than on-demand%s; a 6-month commitment alone (%d MU)%s",
					"期間リスク：今後6か月で、推奨プランがオンデマンドより高くつくのは%s。6か月コミットだけ（%d MU）なら%s",
					r.inScenarios(rec.CostlierThanOnDemand, rk.Scenarios), six.CommittedMU, r.inScenarios(six.CostlierThanOnDemand, 0))
			}
			if roll := rk.Row(sim.RiskRolling); roll != nil && !roll.Refused && roll.CommittedMU > 0 {
				s += r.tr(", rolling 1-month commitments (%d MU)%s", "、1か月コミットの毎月更新（%d MU）は%s", roll.CommittedMU, r.inScenarios(roll.CostlierThanOnDemand, 0))
			} else if roll != nil && !roll.Refused {
				s += r.tr("; a 1-month commitment does not pay for this traffic at all", "。1か月コミットはこのトラフィックでは元が取れません")
			}
			out = append(out, s+r.migration(rk.MigrationRisk))
		} else if six != nil && six.Refused {
			out = append(out, r.tr("Term risk: no 6-month commitment: %s.", "期間リスク：6か月コミットは不可：%s。", r.note(six.Note, inRisk)))
		}
	}
	out = append(out, r.tierSentences()...)
	if rk := r.Risk; rk != nil {
		if s := r.reservedRisk(rk); s != "" {
			out = append(out, s)
		}
	}
	// With Reserved prices given, the plan is priced on them: the
	// break-even price is for negotiating prices nobody has yet.
	if be := a.ReservedBreakEven; be != nil && len(r.Offer.ReservedTerms()) == 0 {
		if be.Never {
			out = append(out, r.tr("Reserved tier: no reservation of at least the minimum carries this traffic.", "予約（Reserved）：最小予約量以上の予約ではこのトラフィックを処理できません。"))
		} else {
			out = append(out, r.tr("Reserved tier: a reservation pays only at prices up to $%s per 1K input TPM-month and $%s per 1K output TPM-month (it would reserve %s input and %s output TPM); take these figures to the account team.",
				"予約（Reserved）：元が取れるのは、入力 1K TPM・月あたり $%s、出力 1K TPM・月あたり $%s 以下の価格の場合だけです（予約量は入力 %s・出力 %s TPM）。この値をアカウントチームとの交渉に使ってください。",
				usd2(be.InputPer1KTPMMonth), usd2(be.OutputPer1KTPMMonth), SI(be.InputTPM), SI(be.OutputTPM)))
		}
	}
	tp := r.Offer.Throughput
	if !tp.Known() && len(a.BreakEven) > 0 {
		s := r.tr("PT pays off only if one model unit carries at least:", "PT が元を取れるのは、1 モデルユニットが少なくとも次を処理できる場合だけです：")
		for _, be := range a.BreakEven {
			if be.Never {
				s += r.tr(" %s never;", " %s は不可；", r.term(be.Term))
				continue
			}
			s += r.tr(" %s %s tokens/min (%s in + %s out);", " %s %s トークン/分（入力 %s ＋ 出力 %s）；", r.term(be.Term), SI(be.TPM), SI(be.InputTPM), SI(be.OutputTPM))
		}
		out = append(out, s+r.tr(" ask your AWS account team what one model unit carries for this model.", " このモデルの 1 MU の処理能力を AWS のアカウントチームに確認するか、probe で測定してください。"))
	} else if tp.Known() && tp.Provenance != pricing.ProvenanceMeasured && r.Offer.PTNotSold == nil {
		out = append(out, r.tr("MU throughput is %s, not measured: %s in / %s out tokens/min (source: %s); check it before buying.",
			"MU の処理能力は%sで、実測ではありません：入力 %s / 出力 %s トークン/分（出典：%s）。購入前に確認してください。",
			r.provenanceWord(tp.Provenance), SI(tp.InputTPM), SI(tp.OutputTPM), aside(r.source(tp.Source))))
	}
	var warnings []string
	for _, w := range a.Warnings {
		warnings = append(warnings, r.note(w, inSummary))
	}
	warnings = append(warnings, r.staleWarning())
	for _, w := range warnings {
		// A warning another sentence gives already (the model's end of
		// life, as the reason there is no recommendation or why a plan's
		// PT cannot be bought) is not given again.
		within := func(s string) bool { return s != w && strings.Contains(s, w) }
		said := r.tr("Warning: %s.", "注意：%s。", w)
		if w == "" || slices.Contains(out, said) || slices.ContainsFunc(out, within) || slices.ContainsFunc(warnings, within) {
			continue
		}
		out = append(out, said)
	}
	return out
}

// inScenarios says how often an outcome happens in the risk analysis's
// scenarios: a share to one decimal, as risk.csv and the table give it,
// or none at all; n, when not 0, is the number of scenarios.
func (r *Report) inScenarios(p float64, n int) string {
	pct := strconv.FormatFloat(math.Round(1000*p)/10, 'f', -1, 64)
	switch {
	case pct == "0" && n > 0:
		return r.tr(" in none of %d scenarios", " %d シナリオ中 0 件", n)
	case pct == "0":
		return r.tr(" in none", " 0 件")
	case n > 0:
		return r.tr(" in %s%% of %d scenarios", " %[2]d シナリオ中 %[1]s%%", pct, n)
	}
	return r.tr(" in %s%%", " %s%%", pct)
}

// migration closes a term-risk sentence with the migration risk drawn.
func (r *Report) migration(risk float64) string {
	if risk == 0 {
		return r.tr(", the traffic staying on this model.", "（トラフィックは別のモデルに移らない前提）。")
	}
	return r.tr(" (migration risk %s%%).", "（移行リスク %s%%）。", trim(100*risk))
}

// aside makes text fit inside brackets: brackets of its own become
// commas, so that a source or a reason quoted in parentheses never
// nests them ("(source: docs (DESIGN.md §1), 2026)" reads "(source:
// docs, DESIGN.md §1, 2026)").
func aside(s string) string {
	return strings.NewReplacer(" (", ", ", "(", "", ")", "", "（", "、", "）", "").Replace(s)
}

// count writes a number of requests as a whole number: the replay
// splits requests between layers in shares, but a review counts them.
// Some but less than one is "<1"; large counts keep SI's short form.
func count(v float64) string {
	switch {
	case v > 0 && v < 0.5:
		return "<1"
	case math.Abs(v) < 999.5:
		return strconv.FormatFloat(math.Round(v), 'f', 0, 64)
	}
	return SI(v)
}

// tierSentences state the series' service tier, what Priority costs
// over Standard, and the what-if moves to Flex or batch.
func (r *Report) tierSentences() []string {
	tf := r.Analysis.Tiers
	if tf == nil {
		return nil
	}
	var out []string
	if tf.Tier != "" {
		out = append(out, r.tr("This traffic ran on the %s tier and is priced at its prices; PT and the Reserved tier serve Standard traffic, so no capacity is sized for it.",
			"このトラフィックは %s ティアで実行され、その価格で計算しています。PT と予約（Reserved）は Standard のトラフィックを処理するため、容量は試算しません。", tf.Tier))
	}
	if tf.Tier == "priority" && tf.PriorityPremium != 0 {
		out = append(out, r.tr("Priority costs %s more than the same tokens at Standard prices over the window.",
			"Priority は同じトークンを Standard 価格で処理する場合より、分析期間で %s 高くなります。", pricing.FromUSD(tf.PriorityPremium)))
	}
	for _, m := range tf.Moves {
		pct := trim(100 * m.Share)
		switch {
		case m.Missing:
			out = append(out, r.tr("What-if, %s%% of Standard traffic on %s: not priced: %s.", "仮定：Standard の %s%% を %s に移す場合：試算できません：%s。", pct, m.Tier, r.moveMissing(m)))
		default:
			out = append(out, r.tr("What-if: moving %s%% of the Standard traffic to %s ($%s / $%s per 1M tokens) would save %s over the window, if that traffic can wait; the plan above moves nothing.",
				"仮定：Standard トラフィックの %s%% を %s（100 万トークンあたり $%s / $%s）に移せば、分析期間で %s 節約できます（そのトラフィックが待てる場合）。上のプランは何も移しません。",
				pct, m.Tier, usd(m.InputPer1M), usd(m.OutputPer1M), pricing.FromUSD(m.Saving)))
		}
	}
	return out
}

// costParts splits a total into what the verdict names: PT and
// on-demand, and the Reserved tier when there is any.
func (r *Report) costParts(t sim.Totals) string {
	if t.ResCost == 0 && t.ResInputKTPMMonths == 0 {
		return r.tr("PT %s + on-demand %s", "PT %s ＋ オンデマンド %s", t.PTCost, t.ODCost)
	}
	if t.PTCost == 0 {
		return r.tr("Reserved %s + on-demand %s", "予約 %s ＋ オンデマンド %s", t.ResCost, t.ODCost)
	}
	return r.tr("Reserved %s + PT %s + on-demand %s", "予約 %s ＋ PT %s ＋ オンデマンド %s", t.ResCost, t.PTCost, t.ODCost)
}

// reservedRisk states the Reserved rows of the term-risk analysis.
func (r *Report) reservedRisk(rk *sim.Risk) string {
	var parts []string
	for _, name := range []string{sim.RiskReserved3, sim.RiskReserved1} {
		row := rk.Row(name)
		if row == nil || row.Refused {
			continue
		}
		if row.Reserve == nil {
			parts = append(parts, r.tr("a %s reservation does not pay", "%sの予約は元が取れません", r.term(row.Term)))
			continue
		}
		what := r.tr("a %s reservation (%s in / %s out TPM)", "%sの予約（入力 %s・出力 %s TPM）", r.term(row.Term), SI(row.Reserve.InputTPM), SI(row.Reserve.OutputTPM))
		if name == sim.RiskReserved1 {
			what = r.tr("rolling 1-month reservations (%s in / %s out TPM)", "1か月予約の毎月更新（入力 %s・出力 %s TPM）", SI(row.Reserve.InputTPM), SI(row.Reserve.OutputTPM))
		}
		when := r.inScenarios(row.CostlierThanOnDemand, 0)
		switch {
		case r.Lang == LangJapanese:
			parts = append(parts, fmt.Sprintf("%sがオンデマンドより高くつくのはシナリオの%s", what, when))
		case name == sim.RiskReserved1:
			parts = append(parts, fmt.Sprintf("%s cost more than on-demand%s of the scenarios", what, when))
		default:
			parts = append(parts, fmt.Sprintf("%s costs more than on-demand%s of the scenarios", what, when))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return r.tr("Reserved term risk over the next six months: %s.", "予約の期間リスク（今後6か月）：%s。", strings.Join(parts, r.tr("; ", "。")))
}

// usd2 writes a price to the cent.
func usd2(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }

func (r *Report) provenanceWord(p pricing.Provenance) string {
	if r.Lang == LangJapanese {
		return r.provenance(p)
	}
	return string(p)
}

// buysNothing explains a strategy that buys no capacity for this
// traffic, so that a row of the strategies table is not read as a
// purchase; "" for one that buys some, and for on-demand and the
// recommendation, which the verdict explains.
func (r *Report) buysNothing(st sim.Strategy) string {
	if st.Skipped || st.BuysCapacity() || st.Name == sim.StrategyOnDemand || st.Name == sim.StrategyRecommended {
		return ""
	}
	switch st.Name {
	case sim.StrategyBusinessHoursSwitch:
		return r.tr("The business-hours switch buys nothing for this traffic: none of it falls in business hours (%s, %s), where the switch would send it to PT, so its row is the on-demand one.",
			"業務時間だけ PT の案は、このトラフィックでは何も購入しません：業務時間（%s、%s）のトラフィックがなく、PT に送るものがないため、オンデマンドのみと同じ結果です。",
			language(r.Lang).window(sim.DefaultBusinessHours), r.TimeZone)
	case sim.StrategyReserved:
		return r.tr("The Reserved tier alone buys nothing: no reservation pays for this traffic at the prices given.",
			"予約（Reserved）のみの案は何も購入しません：この価格では、このトラフィックで元が取れる予約がありません。")
	}
	return r.tr("%s buys nothing for this traffic, so it costs what on-demand does.", "%s はこのトラフィックでは何も購入せず、オンデマンドのみと同じ費用です。", r.strategyName(st.Name))
}

// window writes a weekly window: "Mon,Tue 09:00-17:00" or "月・火曜
// 09:00〜17:00".
func (l language) window(w sim.Window) string {
	if l == LangJapanese {
		return jaWindow(w)
	}
	return w.String()
}

// oldTraffic notes, for a Demand line, traffic older than prices go
// stale (90 days before the report): it is priced at today's prices,
// and the plan assumes it still looks like this.
func (r *Report) oldTraffic() string {
	end := r.Series.End()
	if r.Today.IsZero() || r.Today.Sub(end) <= staleAfter {
		return ""
	}
	return r.tr(" The traffic ended %s, %s before this report: it is priced at the prices below, which are today's and not those of its time, and the plan assumes the traffic still looks like this.",
		"このトラフィックは %s に終わっており、本レポートの %s前のものです。当時の価格ではなく下の現在の価格で計算し、トラフィックが今も同じ形だと仮定しています。",
		r.day(end.In(r.TimeZone)), language(r.Lang).age(r.Today.Sub(end)))
}

// age says how long ago something was, roughly: in years, months or days.
func (l language) age(d time.Duration) string {
	days := int(d.Hours() / 24)
	switch {
	case days >= 730:
		return l.tr("over %d years", "%d 年以上", days/365)
	case days >= 365:
		return l.tr("over a year", "1 年以上")
	case days >= 60:
		return l.tr("over %d months", "%d か月以上", days*12/365)
	}
	return l.tr("%d days", "%d 日", days)
}

// blocks builds the summary, sections in the order a review reads them.
func (r *Report) blocks() []block {
	a, o := r.Analysis, r.Offer
	var bs []block
	add := func(b block) { bs = append(bs, b) }
	h2 := func(en, ja string) { add(block{kind: "h2", text: r.word(en, ja)}) }
	img := func(src, en, ja string) {
		for _, f := range r.Files() {
			if f == src {
				add(block{kind: "img", src: src, caption: r.word(en, ja)})
			}
		}
	}
	add(block{kind: "h1", text: r.tr("bedrockplan: %s in %s", "bedrockplan：%s（%s）", o.ModelID, o.Region)})

	h2("Verdict", "結論")
	for i, v := range r.verdict() {
		add(block{kind: "p", text: v, strong: i == 0})
	}

	h2("Assumptions", "前提")
	var items []string
	tp := o.Throughput
	if o.PTNotSold != nil && len(o.PT) == 0 {
		// Nothing to size: the throughput, given or not, does not matter.
		items = append(items, r.tr("**MU throughput: not needed.** AWS sells no PT for this model in %s.",
			"**MU の処理能力：不要。** AWS はこのモデルの PT を %s で販売していません。", o.Region))
	} else if tp.Known() {
		items = append(items, r.tr("**MU throughput: %s input and %s output tokens per minute per model unit, %s** (source: %s%s). AWS does not publish this figure.",
			"**MU の処理能力：1 モデルユニットあたり入力 %s・出力 %s トークン/分（%s）**（出典：%s%s）。AWS はこの値を公表していません。",
			pricing.Thousands(int64(tp.InputTPM)), pricing.Thousands(int64(tp.OutputTPM)), r.provenance(tp.Provenance), aside(r.source(tp.Source)), asOf(tp.AsOf)))
	} else {
		switch {
		case len(o.PT) == 0:
			// No PT price: no throughput would make a term pay.
			items = append(items, r.tr("**MU throughput: unknown.** AWS does not publish it; PT cannot be sized, and with no PT prices there is no break-even throughput either.",
				"**MU の処理能力：不明。** AWS は公表していないため PT の規模を決められません。PT の価格もないため、損益分岐スループットもありません。"))
		default:
			items = append(items, r.tr("**MU throughput: unknown.** AWS does not publish it; PT cannot be sized, so the break-even throughput per term is reported instead.",
				"**MU の処理能力：不明。** AWS は公表していないため PT の規模を決められません。代わりに期間ごとの損益分岐スループットを示します。"))
		}
	}
	q := o.Quotas
	quota := func(v *float64, en, ja string) string {
		switch {
		case v == nil && r.Lang == LangJapanese:
			return ja + "：未設定（無制限）"
		case v == nil:
			return en + " not set (unlimited)"
		case r.Lang == LangJapanese:
			return ja + " " + pricing.Thousands(int64(*v))
		}
		return pricing.Thousands(int64(*v)) + " " + en
	}
	qs := r.tr("On-demand quotas: %s, %s; each output token counts %s× against the TPM quota", "オンデマンドのクォータ：%s、%s。出力トークンは TPM クォータに対して %s 倍で数えます",
		quota(q.RPM, "requests/min", "リクエスト/分"), quota(q.TPM, "tokens/min", "トークン/分"), trim(q.Burndown()))
	if q.TPD != nil {
		qs += r.tr("; %s tokens a day (UTC days; the replay throttles past it, the optimiser sizes without it)", "。1 日 %s トークン（UTC の日単位。再生ではこれを超えるとスロットリングしますが、最適化では考慮しません）", pricing.Thousands(int64(*q.TPD)))
	}
	if q.Source != "" {
		qs += r.tr(" (source: %s%s)", "（出典：%s%s）", aside(r.source(q.Source)), asOf(q.AsOf))
	}
	items = append(items, qs+r.tr(".", "。"))
	s := r.Series
	items = append(items, r.tr("Demand: %s to %s (%s), %s %s intervals, %s.", "需要：%s〜%s（%s）、%s 個の%s間隔、%s。",
		r.when(s.Time(0)), r.when(s.End()), language(r.Lang).span(r.window(), false), pricing.Thousands(int64(s.Len())), r.period(s.Period), r.demand())+r.oldTraffic())
	if src := r.burstSource(); src != "" {
		bs := r.tr("Burst model: %s.", "バーストモデル：%s。", src)
		if fc := a.Flat; fc != nil {
			if rec := a.Strategy(sim.StrategyRecommended); rec != nil {
				// Japanese gives the plan's cost first, and its sentence
				// runs on (になり…) into what the optimiser would choose.
				bs += r.tr(" With flat traffic the recommended plan would cost %[1]s instead of %[2]s", "間隔内が平坦だと仮定すると、推奨プランの費用は %[2]s ではなく %[1]s になり",
					fc.RecommendedFlat.Total(), rec.Totals.Total())
				if !fc.SameChoice {
					bs += r.tr(", and the optimiser would have chosen %s (%s).", "、最適化の結果は %s（%s）になっていました。", r.describe(fc.Plan), fc.Totals.Total())
				} else {
					bs += r.tr("; the optimiser's choice is the same.", "ますが、最適化の結果は同じです。")
				}
			}
		}
		items = append(items, bs)
	} else if s.Period > time.Minute {
		items = append(items, r.tr("Burst model: none. The data is in %s intervals; peaks inside an interval are not modelled, so PT overflow and throttling are understated.",
			"バーストモデル：なし。データは%s間隔で、間隔内のピークを考慮しないため、PT の溢れとスロットリングは過小評価になります。", r.period(s.Period)))
	}
	if qc := a.QuotaCheck; qc != nil {
		items = append(items, r.tr("Quota rule checked against CloudWatch's EstimatedTPMQuotaUsage: this report counts input + cache writes + %s× output, which is %s× the service's own count (median over %d intervals; %s%% of intervals differ by more than 10%%).",
			"クォータの計算を CloudWatch の EstimatedTPMQuotaUsage と照合：本レポートは入力 ＋ キャッシュ書き込み ＋ 出力 × %s で数え、サービス自身の値の %s 倍です（%d 区間の中央値。10%% 超ずれた区間は %s%%）。",
			trim(o.Quotas.Burndown()), sig3(qc.MedianRatio), qc.Intervals, trim(100*qc.ApartShare)))
	}
	if len(r.Gaps) > 0 {
		missing := 0
		for _, g := range r.Gaps {
			missing += g.Missing
		}
		items = append(items, r.tr("Data gaps: %d missing intervals in %d gaps, filled with --gaps %s.", "データの欠損：%d 個の間隔（%d 箇所）が欠けており、--gaps %s で補完しました。", missing, len(r.Gaps), r.GapPolicy))
	}
	for _, c := range a.Existing {
		end := r.tr("runs until deleted", "削除するまで続きます")
		if c.Term.Committed() {
			exp := c.Term.End(c.Start)
			switch {
			case c.AtTermEnd == sim.TermEndDelete && exp.Before(s.End()):
				end = r.tr("is deleted when its term ends on %s, inside the window: from then on the plan carries the traffic without it", "%s の期間満了時に削除され（分析期間内）、以降はこれなしでトラフィックを処理します", r.when(exp))
			case c.AtTermEnd == sim.TermEndDelete:
				end = r.tr("is deleted when its term ends on %s, after the window", "%s の期間満了時に削除されます（分析期間の後）", r.when(exp))
			case !c.DeleteAt.IsZero():
				end = r.tr("renews at its term's end (%s) until it is deleted on %s", "期間満了（%s）で更新され、%s に削除されます", r.when(exp), r.when(c.DeleteAt))
			default:
				end = r.tr("renews at its term's end (%s) and bills until someone deletes it (at_term_end: delete in the plan file says otherwise)", "期間満了（%s）で更新され、削除するまで課金が続きます（プランファイルで at_term_end: delete とすれば別扱い）", r.when(exp))
			}
		}
		items = append(items, r.tr("Existing commitment: %[2]d MU %[3]s from %[1]s, billed in every strategy; it %[4]s.", "既存のコミット：%[1]s から %[2]d MU（%[3]s）。すべての戦略で課金され、%[4]s。",
			r.when(c.Start), c.ModelUnits, r.term(c.Term), end))
	}
	// The verdict warns of the lifecycle when the analysis does; said
	// there, it is not said again here.
	if w := language(r.Lang).lifecycle(o); w != "" && !slices.ContainsFunc(a.Warnings, func(n sim.Note) bool { return n.Code == sim.NoteLifecycle }) {
		items = append(items, r.tr("Model lifecycle: %s.", "モデルのライフサイクル：%s。", w))
	}
	items = append(items, r.tr("Committed PT is billed every hour of its term inside the window, used or not; no-commitment PT per hour it exists, partial hours rounded up. Costs cover the window only; committed hours after it are shown separately.",
		"コミット付き PT は期間中の毎時間、使用の有無にかかわらず課金されます。コミットなし PT は存在する時間ごとに課金され、1 時間未満は切り上げます。費用は分析期間のみで、期間後のコミット分は別に示します。"))
	items = append(items, r.tr("Term ends: Bedrock does not stop billing a commitment when its term ends; it renews until someone deletes it. Each commitment of a plan says which: at_term_end: renew (the default, and what recommend assumes unless given --at-term-end delete) or delete, with an optional delete_at date. The figures after the window follow that choice.",
		"期間満了：Bedrock は期間満了でコミットの課金を止めず、削除されるまで更新されます。プランの各コミットはどちらかを示します：at_term_end: renew（既定。--at-term-end delete を指定しない限り recommend もこれを前提にします）または delete（delete_at で日付も指定可能）。分析期間後の金額はこの選択に従います。"))
	if res := o.Reserved; res != nil {
		src := ""
		if res.Source != "" {
			src = r.tr(" (source: %s%s)", "（出典：%s%s）", aside(r.source(res.Source)), asOf(res.AsOf))
		}
		items = append(items, r.tr("Reserved tier: input and output tokens per minute bought separately, at least %s input and %s output TPM%s; billed monthly for each month of its term, used or not, each month's bill counted by its share of hours inside the window; it serves traffic before PT, cache writes count as input, and what it cannot carry overflows to PT and then on-demand. Tokens it serves are assumed to cost nothing beyond the reservation.",
			"予約（Reserved）：入力と出力の TPM を別々に購入し、最小は入力 %s・出力 %s TPM%s。期間の各月ごとに使用の有無にかかわらず月額で課金し、分析期間内の時間の割合で按分します。PT より先にトラフィックを処理し、キャッシュ書き込みは入力として数え、処理しきれない分は PT、次にオンデマンドへ流れます。予約で処理したトークンには予約料金以外の費用はかからないと仮定しています。",
			pricing.Thousands(int64(res.MinInputTPM)), pricing.Thousands(int64(res.MinOutputTPM)), src))
	}
	if n := r.sampleNote(); n != "" {
		items = append(items, n)
	}
	if r.Lang == LangJapanese {
		if r.ChartFont != nil {
			items = append(items, fmt.Sprintf("グラフはフォント %s で日本語表示しています。", filepath.Base(r.ChartFont.Path)))
		} else {
			// The embedded Liberation fonts have no Japanese glyphs.
			items = append(items, "グラフの文字は英語です。日本語の字形を持つフォントが見つからないか、--font none が指定されたためです（--font FILE で指定するか、Debian では fonts-ipafont-gothic を入れると日本語になります）。")
		}
	}
	add(block{kind: "ul", items: items})
	add(block{kind: "p", text: r.tr("Prices used (USD):", "使用した価格（米ドル）：")})
	var rows [][]string
	od := o.OnDemand
	for _, p := range []struct {
		en, ja string
		p      *pricing.Price
	}{{"on-demand input, per 1M tokens", "オンデマンド入力（100 万トークンあたり）", od.InputPer1M}, {"on-demand output, per 1M tokens", "オンデマンド出力（100 万トークンあたり）", od.OutputPer1M},
		{"cache read, per 1M tokens", "キャッシュ読み取り（100 万トークンあたり）", od.CacheReadPer1M}, {"cache write, per 1M tokens", "キャッシュ書き込み（100 万トークンあたり）", od.CacheWritePer1M}} {
		if p.p != nil {
			rows = append(rows, []string{r.word(p.en, p.ja), "$" + usd(p.p.USD), r.source(p.p.Source), p.p.AsOf})
		}
	}
	terms := make([]string, 0, len(o.PT))
	for t := range o.PT {
		terms = append(terms, string(t))
	}
	sort.Strings(terms)
	for _, t := range terms {
		p := o.PT[pricing.Term(t)]
		rows = append(rows, []string{r.tr("PT %s, per MU-hour", "PT %s（1 MU・1 時間あたり）", r.term(pricing.Term(t))), "$" + usd(p.USD), r.source(p.Source), p.AsOf})
	}
	for _, t := range o.ReservedTerms() {
		rp := o.Reserved.Prices(t)
		for _, side := range []struct {
			en, ja string
			p      *pricing.Price
		}{{"input", "入力", rp.InputPer1KTPMMonth}, {"output", "出力", rp.OutputPer1KTPMMonth}} {
			rows = append(rows, []string{r.tr("Reserved %s %s, per 1K TPM-month", "予約 %s %s（1K TPM・1 か月あたり）", r.term(t), r.word(side.en, side.ja)), "$" + usd(side.p.USD), r.source(side.p.Source), side.p.AsOf})
		}
	}
	add(block{kind: "table", header: []string{r.tr("price", "価格"), r.tr("value", "金額"), r.tr("source", "出典"), r.tr("as of", "確認日")}, rows: rows})

	h2("Strategies", "戦略の比較")
	add(block{kind: "p", text: r.tr("From `strategies.csv`; costs over the window.", "`strategies.csv` より。分析期間の費用です。")})
	var odTotal pricing.Money
	if st := a.Strategy(sim.StrategyOnDemand); st != nil {
		odTotal = st.Totals.Total()
	}
	rows = nil
	// The Reserved columns appear when the model has a Reserved tier.
	withRes := o.Reserved != nil
	// A reason is given once: the verdict gives the recommendation's, and
	// a row with the same reason as a row above points there.
	said := map[string]string{}
	if rec := a.Strategy(sim.StrategyRecommended); rec != nil && rec.Skipped {
		said[r.note(rec.Note, inSummary)] = r.tr("not priced: see the verdict", "試算なし：結論を参照")
		if cause, ok := causeSaid(rec.Note); ok {
			// The verdict's reason says its cause, too.
			said[r.note(cause, inSummary)] = r.tr("not priced: see the verdict", "試算なし：結論を参照")
		}
	}
	var buyNothing []string
	for i, st := range a.Strategies {
		if st.Skipped {
			why := r.note(st.Note, inSummary)
			if s, ok := said[why]; ok {
				why = s
			} else {
				said[why] = r.tr("not priced: as above", "試算なし：上と同じ理由")
			}
			// The reason where what it buys would be, next to its name.
			row := []string{r.strategyName(st.Name), why, "–", "–", "–", "–", "–", "–"}
			if withRes {
				row = append(row, "–", "–")
			}
			rows = append(rows, row)
			continue
		}
		t := st.Totals
		pt := r.tr("none", "なし")
		if st.CommittedMU > 0 {
			pt = fmt.Sprintf("%d MU %s", st.CommittedMU, r.term(st.Term))
		}
		if t.ScheduledMUHoursBilled > 0 {
			pt += r.tr(" + scheduled", " ＋ 時間帯指定")
		}
		vs := "–"
		if odTotal > 0 {
			vs = signedPct(100 * float64(odTotal-t.Total()) / float64(odTotal))
		}
		row := []string{r.strategyName(st.Name), pt, t.PTCost.String(), t.ODCost.String(), t.Total().String(), vs,
			fmt.Sprintf("%.2f%%", r.data.strategies[i].PTUtilizationPct), count(t.ThrottledRequests)}
		if s := r.buysNothing(st); s != "" {
			buyNothing = append(buyNothing, s)
		}
		if withRes {
			res := r.tr("none", "なし")
			if rv := st.Reserve; rv != nil {
				res = r.tr("%s in / %s out TPM %s", "入力 %s・出力 %s TPM（%s）", SI(rv.InputTPM), SI(rv.OutputTPM), r.term(rv.Term))
			}
			row = append(row[:1], append([]string{res, t.ResCost.String()}, row[1:]...)...)
		}
		rows = append(rows, row)
	}
	header := []string{r.tr("strategy", "戦略"), "PT", r.tr("PT cost", "PT 費用"), r.tr("on-demand cost", "オンデマンド費用"),
		r.tr("total", "合計"), r.tr("saving vs on-demand", "オンデマンド比の節約"), r.tr("PT utilisation", "PT 利用率"), r.tr("throttled", "スロットリング")}
	if withRes {
		header = append(header[:1], append([]string{r.tr("Reserved", "予約"), r.tr("Reserved cost", "予約費用")}, header[1:]...)...)
	}
	add(block{kind: "table", header: header, rows: rows})
	if len(buyNothing) > 0 {
		add(block{kind: "p", text: strings.Join(buyNothing, " ")})
	}
	img("costs.png", "Cost by strategy", "戦略別の費用")
	if tf := a.Tiers; tf != nil && len(tf.ByTier) > 0 {
		add(block{kind: "p", text: r.tr("Cost by service tier: the model's traffic on each tier in the metrics, all on-demand at that tier's prices (this report plans the %s tier):",
			"サービスティア別の費用：メトリクス中の各ティアのトラフィックを、そのティアの価格ですべてオンデマンドとして計算（このレポートは %s ティアを計画）：", map[bool]string{true: "standard", false: tf.Tier}[tf.Tier == ""])})
		rows = nil
		for _, c := range tf.ByTier {
			cost := c.Cost.String()
			if c.Missing {
				cost = r.tr("not priced: %s", "試算不可：%s", r.tierMissing(c))
			}
			rows = append(rows, []string{c.Tier, count(c.Requests), cost})
		}
		add(block{kind: "table", header: []string{r.tr("tier", "ティア"), r.tr("requests", "リクエスト"), r.tr("on-demand cost", "オンデマンド費用")}, rows: rows})
	}

	if r.detail() != nil && r.Intervals == IntervalsNone {
		h2("Traffic and capacity", "トラフィックと容量")
		add(block{kind: "p", text: r.tr("The %s strategy was replayed interval by interval, but the intervals were not written (`--intervals none`), so there is no demand chart; the plan is in `plan.yaml`.",
			"%sを間隔ごとに再生しましたが、間隔ごとの結果は書き出していません（`--intervals none`）。そのため需要のグラフはありません。プランは `plan.yaml` です。", r.strategyName(r.Detail))})
	}
	if r.detail() != nil && r.rows != nil {
		h2("Traffic and capacity", "トラフィックと容量")
		add(block{kind: "p", text: r.intervalsSentence()})
		if r.rows.iv.ResCost != nil {
			img("demand.png", "Demand vs Reserved and PT capacity, input and output", "需要と予約・PT 容量（入力と出力）")
		} else {
			img("demand.png", "Demand vs PT capacity, input and output", "需要と PT 容量（入力と出力）")
		}
	}
	if oo := a.Optimum; oo != nil && o.Throughput.Known() {
		h2("Schedule", "スケジュール")
		add(block{kind: "p", text: r.tr("Mean demand by hour of the week in %s, with the model units of PT in service in each hour (`schedule.csv`).",
			"%s の曜日・時間帯ごとの平均需要と、各時間に稼働する PT のモデルユニット数です（`schedule.csv`）。", r.TimeZone)})
		img("schedule.png", "Demand and PT by hour of the week", "曜日・時間帯ごとの需要と PT")
		h2("Cost curve and load-duration curve", "コスト曲線と負荷持続曲線")
		add(block{kind: "p", text: r.tr("Each new model unit, stacked on the ones below it, takes less off the on-demand bill than the one before (`levels.csv`), so each is decided on its own: committed when holding it around the clock beats scheduling it hour by hour, scheduled in the hours of the week where it saves more than it costs, otherwise left on-demand.",
			"モデルユニットを 1 つ積み増すごとに、オンデマンド費用の削減額は前のユニット以下になります（`levels.csv`）。そのため 1 つずつ判断できます：終日保持が時間帯指定より安ければコミット、費用以上に節約できる時間帯だけなら時間帯指定、どちらでもなければオンデマンドのままです。")})
		rows = nil
		for _, l := range oo.Levels {
			layer := l.Layer
			if r.Lang == LangJapanese {
				layer = map[string]string{"committed": "コミット", "scheduled": "時間帯指定", "none": "なし"}[l.Layer]
			}
			rows = append(rows, []string{fmt.Sprint(l.MU), layer, pricing.FromUSD(l.Saving).String(), pricing.FromUSD(l.CommittedCost).String(),
				fmt.Sprint(l.ScheduledSlots), pricing.FromUSD(l.ScheduledSaving).String(), pricing.FromUSD(l.ScheduledCost).String()})
		}
		add(block{kind: "table", header: []string{"MU", r.tr("layer", "層"), r.tr("saving if committed", "コミット時の削減額"), r.tr("committed cost", "コミット費用"),
			r.tr("scheduled hours of week", "時間帯指定の時間数"), r.tr("scheduled saving", "時間帯指定の削減額"), r.tr("scheduled cost", "時間帯指定の費用")}, rows: rows})
		img("cost_curve.png", "Total cost vs committed model units", "コミット MU 数と総費用")
		img("load_duration.png", "Load-duration curve with the plan's layers", "負荷持続曲線とプランの層")
	}
	if len(a.BreakEven) > 0 {
		add(block{kind: "p", text: r.tr("Break-even MU throughput (`breakeven.csv`): the tokens per minute one model unit must carry, at this traffic's mix and shape, for each term to cost less than on-demand. The full-use figure is the floor: an MU busy every hour.",
			"損益分岐スループット（`breakeven.csv`）：このトラフィックの構成と形のもとで、各期間の PT がオンデマンドより安くなるために 1 モデルユニットが処理すべきトークン数/分です。フル稼働の値はその下限です。")})
		rows = nil
		for _, be := range a.BreakEven {
			util := "–"
			if be.Utilization > 0 {
				util = fmt.Sprintf("%.2f%%", 100*be.Utilization)
			}
			if be.Never {
				rows = append(rows, []string{r.term(be.Term), "$" + usd(be.HourlyUSD), r.tr("never", "不可"), "–", "–", pricing.Thousands(int64(be.FullUseTPM + 0.5)), util})
				continue
			}
			rows = append(rows, []string{r.term(be.Term), "$" + usd(be.HourlyUSD), pricing.Thousands(int64(be.TPM + 0.5)), pricing.Thousands(int64(be.InputTPM + 0.5)),
				pricing.Thousands(int64(be.OutputTPM + 0.5)), pricing.Thousands(int64(be.FullUseTPM + 0.5)), util})
		}
		add(block{kind: "table", header: []string{r.tr("term", "期間"), r.tr("price per MU-hour", "MU・時間あたり価格"), r.tr("break-even tokens/min", "損益分岐のトークン/分"),
			r.tr("input", "入力"), r.tr("output", "出力"), r.tr("full-use floor", "フル稼働時の下限"), r.tr("break-even utilisation", "損益分岐の利用率")}, rows: rows})
	}
	if be := a.ReservedBreakEven; be != nil && !be.Never {
		add(block{kind: "p", text: r.tr("Break-even Reserved price (`reserved_breakeven.csv`): the highest price per 1K TPM-month at which the best reservation still costs no more than on-demand over the window, input and output in the ratio of the on-demand prices: $%s input and $%s output, for a reservation of %s input and %s output TPM. Reserved prices are agreed with the account team; these are the figures to negotiate with.",
			"予約の損益分岐価格（`reserved_breakeven.csv`）：分析期間で最適な予約がオンデマンド以下の費用に収まる 1K TPM・月あたりの最高価格（入力と出力はオンデマンド価格の比率）：入力 $%s・出力 $%s、予約量は入力 %s・出力 %s TPM。予約の価格はアカウントチームとの個別契約です。この値を交渉に使ってください。",
			usd2(be.InputPer1KTPMMonth), usd2(be.OutputPer1KTPMMonth), pricing.Thousands(int64(be.InputTPM)), pricing.Thousands(int64(be.OutputTPM)))})
	}
	if sv := r.Sensitivity; sv != nil {
		h2("If the MU throughput is off", "MU の処理能力が違う場合")
		var change string
		switch {
		case sv.Below > 0 && sv.Above > 0:
			change = r.tr("The optimiser would buy other commitments below %s%% or above %s%% of the throughput assumed.", "仮定の %s%% 未満または %s%% 超では、最適化の購入内容が変わります。", trim(100*sv.Below), trim(100*sv.Above))
		case sv.Below > 0:
			change = r.tr("The optimiser would buy other commitments below %s%% of the throughput assumed, and the same ones up to 400%%.", "仮定の %s%% 未満では最適化の購入内容が変わり、400%% までは同じです。", trim(100*sv.Below))
		case sv.Above > 0:
			change = r.tr("The optimiser would buy other commitments above %s%% of the throughput assumed, and the same ones down to 25%%.", "仮定の %s%% 超では最適化の購入内容が変わり、25%% までは同じです。", trim(100*sv.Above))
		default:
			change = r.tr("The optimiser would buy the same commitments anywhere from 25%% to 400%% of the throughput assumed.", "仮定の 25%%〜400%% のどこでも、最適化の購入内容は同じです。")
		}
		add(block{kind: "p", text: r.tr("AWS does not publish what a model unit carries, so this is the largest unknown. The plan replayed with one MU carrying less or more than assumed (`sensitivity.csv`). ",
			"AWS は 1 MU の処理能力を公表していないため、これが最大の不確定要素です。1 MU の処理能力が仮定より低い・高い場合にプランを再生した結果です（`sensitivity.csv`）。") + change})
		rows = nil
		for _, row := range sv.Rows {
			t := row.Totals
			rows = append(rows, []string{trim(100*row.Scale) + "%", SI(row.InputTPM) + " / " + SI(row.OutputTPM), t.CapacityCost().String(), t.ODCost.String(), t.Total().String(), count(t.ThrottledRequests)})
		}
		add(block{kind: "table", header: []string{r.tr("MU throughput", "MU の処理能力"), r.tr("input / output tokens/min", "入力 / 出力 トークン/分"),
			r.tr("capacity cost", "容量の費用"), r.tr("on-demand cost", "オンデマンド費用"), r.tr("total", "合計"), r.tr("throttled", "スロットリング")}, rows: rows})
		img("sensitivity.png", "Cost if the MU throughput is off", "MU の処理能力が違う場合の費用")
	}
	if rk := r.Risk; rk != nil {
		h2("Commitment risk", "コミット期間のリスク")
		add(block{kind: "p", text: r.forecastSentence(rk.Forecast)})
		moves := r.tr("a %s%% chance the traffic moves to another model at a random time", "トラフィックは %s%% の確率で任意の時点に別モデルへ移るものとする", trim(100*rk.MigrationRisk))
		if rk.MigrationRisk == 0 {
			moves = r.tr("the traffic staying on this model throughout", "トラフィックは別のモデルに移らないものとする")
		}
		add(block{kind: "p", text: r.tr("Costs from %s to %s in %d scenarios (growth drawn from its uncertainty, day-to-day noise from the fit, and %s), from `risk.csv`:",
			"%s〜%sの費用を %d シナリオで試算（成長率の不確かさと日々のばらつきを考慮し、%s）。`risk.csv` より：",
			r.day(rk.Start), r.day(rk.End), rk.Scenarios, moves)})
		rows = nil
		for _, row := range rk.Rows {
			name := r.strategyName(row.Strategy)
			if row.Refused {
				rows = append(rows, []string{name, "–", "–", "–", "–", r.tr("not priced: %s", "試算なし：%s", r.note(row.Note, inRiskTable))})
				continue
			}
			buys := r.tr("no PT", "PT なし")
			if row.CommittedMU > 0 {
				buys = fmt.Sprintf("%d MU %s", row.CommittedMU, r.term(row.Term))
				if row.Scheduled {
					buys += r.tr(" + scheduled", " ＋ 時間帯指定")
				}
			} else if row.Strategy == sim.RiskReserved1 || row.Strategy == sim.RiskReserved3 {
				buys = r.tr("no reservation (does not pay)", "予約なし（元が取れない）")
			} else if row.Strategy != sim.RiskOnDemand && row.Reserve == nil {
				buys = r.tr("no MU (does not pay)", "購入なし（元が取れない）")
			}
			if rv := row.Reserve; rv != nil {
				res := r.tr("Reserved %s in / %s out TPM %s", "予約 入力 %s・出力 %s TPM（%s）", SI(rv.InputTPM), SI(rv.OutputTPM), r.term(rv.Term))
				if row.CommittedMU > 0 || row.Scheduled {
					buys = res + " + " + buys
				} else {
					buys = res
				}
			}
			costlier := trim(100*row.CostlierThanOnDemand) + "%"
			if row.Strategy == sim.RiskOnDemand {
				costlier = "–" // the baseline itself
			}
			rows = append(rows, []string{name, buys, pricing.FromUSD(row.Expected).String(), pricing.FromUSD(row.P10).String(), pricing.FromUSD(row.P90).String(), costlier})
		}
		add(block{kind: "table", header: []string{r.tr("strategy", "戦略"), r.tr("buys", "購入"), r.tr("expected", "期待値"), "P10", "P90",
			r.tr("costs more than on-demand in", "オンデマンドより高くつく割合")}, rows: rows})
		img("risk.png", "Cost over the next six months", "今後 6 か月の費用")
	} else if r.RiskOmitted.Reason != sim.Ran {
		h2("Commitment risk", "コミット期間のリスク")
		// The model's lifecycle, when it is why, is in the verdict.
		add(block{kind: "p", text: r.tr("No term-risk analysis: %s.", "期間リスクの分析はありません：%s。", r.omitted(r.RiskOmitted, false, true))})
	}
	if cf := r.CashFlow; len(cf) > 0 {
		h2("Cash flow", "月ごとの支払い")
		// Without a risk section to state the forecast, this one must:
		// the months rest on its growth, compounded over them.
		ownForecast := r.Risk == nil && r.forecast() != nil
		drawn := r.tr("in the scenarios the risk analysis draws", "リスク分析と同じ方法で生成するシナリオ")
		if ownForecast {
			drawn = r.tr("in scenarios drawn from the forecast below, as the risk analysis draws them", "下記の予測から、リスク分析と同じ方法で生成するシナリオ")
		}
		span := r.tr("from its purchase on %s to the end of its longest term", "購入日 %s から最長の契約期間の終わりまで", r.when(cf[0].Start))
		if len(r.Purchases) == 0 {
			// Nothing is bought: the months start when a purchase would.
			span = r.tr("for six months from %s (the purchase date; the plan commits to nothing)", "%s（購入日。プランはコミットしません）から 6 か月間", r.when(cf[0].Start))
		}
		add(block{kind: "p", text: r.tr("What the plan is billed each calendar month (UTC) %s, against staying on-demand. Capacity is known in advance; on-demand is forecast %s (from the purchase on, the traffic staying): its mean, which adds up across months and to the total, and its median with the 10th and 90th percentiles, which do not (cashflow.csv).",
			"%sの、暦月（UTC）ごとのプランの請求額を、オンデマンドのままの場合と比べます。キャパシティは事前に確定し、オンデマンドは%s（購入日から、トラフィックが他のモデルへ移らない前提）で予測した平均（月をまたいで合計に足し合わせられます）と、中央値および 10・90 パーセンタイル（足し合わせられません）です（cashflow.csv）。",
			span, drawn)})
		if ownForecast {
			fc := r.forecast()
			text := r.forecastSentence(fc)
			if d := fc.DoublingWeeks(); d > 0 {
				text += r.tr(" At that rate demand doubles every %s weeks; the months ahead extrapolate that growth from this history alone.",
					"この増加率では需要は %s 週ごとに倍増します。今後の月は、この履歴だけからその増加を外挿したものです。", strconv.FormatFloat(d, 'f', 1, 64))
			} else if d < 0 {
				text += r.tr(" At that rate demand halves every %s weeks.", "この減少率では需要は %s 週ごとに半減します。", strconv.FormatFloat(-d, 'f', 1, 64))
			}
			add(block{kind: "p", text: text})
		}
		stayHeader := r.tr("staying on-demand", "オンデマンドのまま")
		total := cashFlowTotalsOf(cf)
		if total.existing > 0 {
			add(block{kind: "p", text: r.tr("The commitments already owned bill %s over these months whatever is bought: they are in the plan's capacity and in buying nothing alike, and serve traffic in both.",
				"既に保有しているコミットは、何を買ってもこの期間に %s 請求されます。プランのキャパシティにも、何も買わない場合にも含め、どちらでもトラフィックを処理します。", total.existing)})
			stayHeader = r.tr("buying nothing", "何も買わない場合")
		}
		// Means add up, so the columns that are totalled are means; the
		// medians and percentiles stand beside them, not totalled.
		var rows [][]string
		spread := func(s sim.Spread) string {
			return fmt.Sprintf("%s (%s–%s)", pricing.FromUSD(s.P50), pricing.FromUSD(s.P10), pricing.FromUSD(s.P90))
		}
		for _, m := range cf {
			c, o, st := capacityCents(m), cents(m.Overflow.Mean), cents(m.Stay.Mean)
			rows = append(rows, []string{m.Start.Format("2006-01"), pricing.FromUSD(c).String(), pricing.FromUSD(o).String(), spread(m.Overflow),
				pricing.FromUSD(c + o).String(), pricing.FromUSD(st).String(), spread(m.Stay)})
		}
		rows = append(rows, []string{r.tr("**total**", "**合計**"), total.capacity.String(), total.overflow.String(), "",
			total.plan().String(), total.stay.String(), ""})
		overflowHeader := r.tr("on-demand overflow", "オンデマンド溢れ")
		if total.capacity == 0 {
			// No capacity: every request is on-demand, none overflows.
			overflowHeader = r.tr("on-demand", "オンデマンド")
		}
		add(block{kind: "table", header: []string{r.tr("month", "月"), r.tr("capacity", "キャパシティ"),
			overflowHeader + r.tr(", mean", "の平均"), r.tr("median (P10–P90)", "中央値（P10〜P90）"),
			r.tr("plan, mean", "プランの平均"), stayHeader + r.tr(", mean", "の平均"), r.tr("median (P10–P90)", "中央値（P10〜P90）")}, rows: rows})
		img("cashflow.png", "Cash flow by month", "月ごとの支払い")
	} else if r.CashFlowOmitted.Reason != sim.Ran {
		h2("Cash flow", "月ごとの支払い")
		add(block{kind: "p", text: r.tr("No month-by-month cash flow: %s.", "月ごとの支払いはありません：%s。", r.omitted(r.CashFlowOmitted, true, false))})
	}

	h2("Reproduce", "再現方法")
	add(block{kind: "pre", text: r.CommandLine})
	var repro []string
	if r.Version != "" {
		repro = append(repro, r.tr("bedrockplan version %s", "bedrockplan バージョン %s", r.Version))
	}
	repro = append(repro, r.tr("Catalogue as of %s.", "価格カタログの日付：%s。", r.CatalogueAsOf))
	for _, in := range r.Inputs {
		repro = append(repro, fmt.Sprintf("`%s` SHA-256 %s", in.Name, in.SHA256))
	}
	add(block{kind: "ul", items: repro})
	return bs
}

// intervalsSentence says how the detail strategy's replay was written:
// every interval (plain, or gzip-compressed when long), or hour by hour.
func (r *Report) intervalsSentence() string {
	name := r.strategyName(r.Detail)
	n := r.Series.Len()
	switch file := IntervalsFile(r.Intervals, n); {
	case r.Intervals == IntervalsHourly:
		return r.tr("The %[1]s strategy replayed interval by interval and written hour by hour (`intervals.csv`, `--intervals hourly`: %[2]s rows for %[3]s %[4]s intervals; requests, tokens and costs are each hour's sums, so the rows add up to the totals above, MUs and capacity are the hour's means; the charts below are drawn from these rows; plan in `plan.yaml`).",
			"%[1]sを間隔ごとに再生し、1 時間ごとにまとめて書き出した結果です（`intervals.csv`、`--intervals hourly`：%[3]s 個の%[4]s間隔を %[2]s 行に集計。リクエスト・トークン・費用は各時間の合計で、行を足すと上の合計に一致します。MU と容量は時間内の平均です。下のグラフはこの行から描いています。プランは `plan.yaml`）。",
			name, pricing.Thousands(int64(r.rows.len())), pricing.Thousands(int64(n)), r.period(r.Series.Period))
	case file == "intervals.csv.gz":
		return r.tr("The %s strategy replayed interval by interval (`intervals.csv.gz`: all %s intervals, gzip-compressed since there are more than %s; `--intervals hourly` writes one row per hour instead; plan in `plan.yaml`).",
			"%sを間隔ごとに再生した結果です（`intervals.csv.gz`：全 %s 間隔。%s を超えるため gzip で圧縮しています。`--intervals hourly` なら 1 時間 1 行。プランは `plan.yaml`）。",
			name, pricing.Thousands(int64(n)), pricing.Thousands(GzipAbove))
	}
	return r.tr("The %s strategy replayed interval by interval (`intervals.csv`, plan in `plan.yaml`).",
		"%sを間隔ごとに再生した結果です（`intervals.csv`、プランは `plan.yaml`）。", name)
}
