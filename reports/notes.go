package reports

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/sim"
	"github.com/bedrockplan/bedrockplan/workload"
)

// noteUse is where a note is said: the words differ by place, not by
// fact.
type noteUse struct {
	// risk: a row of risk.csv or of the term-risk table, rather than of
	// strategies.csv, the strategies table or the warnings.
	risk bool
	// said: a reason inside a sentence of the summary, where a model's
	// lifecycle is reason enough (a report file gives it in full).
	said bool
	// named: a line that names the model and region already (the
	// account summary).
	named bool
}

// Places notes are said.
var (
	inStrategies = noteUse{}
	inRisk       = noteUse{risk: true}
	inSummary    = noteUse{said: true}
	inRiskTable  = noteUse{risk: true, said: true}
	inAccount    = noteUse{said: true, named: true}
	// inPortfolio: portfolio.csv's note, on a row that names the model
	// and region, of an account that takes prices from --pricing alone.
	inPortfolio = noteUse{named: true}
)

// Note words a note of the analysis in English, as assumptions.csv and
// stderr give it.
func Note(n sim.Note) string { return noteIn(n, inStrategies) }

// noteIn words a note in English for the place use: report files hold
// notes in English.
func noteIn(n sim.Note, use noteUse) string { return (&Report{Lang: LangEnglish}).note(n, use) }

// english returns the report in English: report files are written in it
// whatever the summaries' language.
func (r *Report) english() *Report {
	if r.Lang == LangEnglish {
		return r
	}
	en := *r
	en.Lang = LangEnglish
	return &en
}

// note words n in the report's language for the place use. It is the
// one wording of sim's notes; files hold it in English (note) and the
// fact beside it (note_code), from which a report in any language is
// worded again.
func (r *Report) note(n sim.Note, use noteUse) string {
	l := language(r.Lang)
	o := n.Offer.Offer()
	switch n.Code {
	case "":
		return ""
	case sim.NoteOnDemand:
		switch {
		case use.risk:
			return r.tr("no PT", "PT なし")
		case n.N > 0:
			return r.tr("no new PT: existing commitments, everything else on-demand", "新しい PT なし：既存のコミット以外はすべてオンデマンド")
		}
		return r.tr("no PT; every request on-demand", "PT なし：すべてのリクエストをオンデマンドで処理")
	case sim.NotePTUnavailable:
		return l.ptUnavailable(o, use.said)
	case sim.NotePTSoldByOverride:
		return r.tr("the embedded catalogue says AWS sells no PT for %s in %s (source: %s, %s); the PT prices of --pricing override that: make sure your account can buy it before you do",
			"組み込みカタログでは、AWS は %s（%s）の PT を販売していません（出典：%s、%s）。--pricing の PT 価格がこれを上書きしています。購入の前に、アカウントで購入できることを確認してください",
			o.ModelID, o.Region, n.Offer.PTNotSold.Source, n.Offer.PTNotSold.AsOf)
	case sim.NoteNoPTPrice:
		return l.missingPTPrice(o, n.Term, use.named)
	case sim.NoteThroughputUnknown:
		if use.risk {
			return r.tr("MU throughput unknown", "MU の処理能力が不明")
		}
		return r.tr("MU throughput unknown; see the break-even throughput per term", "MU の処理能力が不明なため、期間ごとの損益分岐スループットを示します")
	case sim.NoteReservedUnavailable:
		if use.risk {
			return r.tr("no new Reserved capacity can be bought for this model", "このモデルでは新しい予約（Reserved）を購入できません")
		}
		return r.tr("no new Reserved capacity can be bought: %s", "新しい予約（Reserved）は購入できません：%s", l.lifecycle(o))
	case sim.NoteReservedPriceUnknown:
		if cause, ok := causeSaid(n); ok {
			pt := r.note(cause, use)
			if ns := o.PTNotSold; cause.Code == sim.NotePTUnavailable && ns != nil && !o.Retiring() && o.Profile == "" && o.Tier == "" {
				// Not "for PT, AWS sells no PT for…": PT twice, and the model
				// is named already.
				pt = r.tr("AWS sells none for this model in %s (source: %s, %s)", "AWS は %s ではこのモデル向けに販売していません（出典：%s、%s）",
					o.Region, ns.Source, ns.AsOf)
			}
			if use.named {
				// An account takes prices per series, from --pricing
				// alone: the flags size one series.
				return r.tr("the Reserved tier's prices are not published (they are agreed with the account team): give this series' prices with `--pricing FILE`, as `models: %s: regions: %s: reserved: one_month: {input_per_1k_tpm_month: …, output_per_1k_tpm_month: …}`, to size a reservation; for PT, %s",
					"予約（Reserved）の価格は公表されていません（アカウントチームとの個別契約）。この系列の価格を `--pricing FILE` で `models: %s: regions: %s: reserved: one_month: {input_per_1k_tpm_month: …, output_per_1k_tpm_month: …}` として指定すれば予約の規模を決められます。PT については、%s",
					pricing.YAMLKey(o.ModelID), o.Region, pt)
			}
			return r.tr("the Reserved tier's prices are not published (they are agreed with the account team): give yours with `--reserved-price-input` and `--reserved-price-output`, or `--pricing FILE`, to size a reservation; for PT, %s",
				"予約（Reserved）の価格は公表されていません（アカウントチームとの個別契約）。`--reserved-price-input` と `--reserved-price-output`、または `--pricing FILE` で指定すれば予約の規模を決められます。PT については、%s", pt)
		}
		if n.Term != "" {
			return r.tr("the %s Reserved price is unknown", "予約（Reserved）の%sの価格が不明", r.term(n.Term))
		}
		return r.tr("Reserved-tier prices unknown (they are agreed with the account team); see the break-even price",
			"予約（Reserved）の価格が不明なため（アカウントチームとの個別契約）、損益分岐価格を示します")
	case sim.NoteOutlivesEOL:
		eol := n.EOL.Format(time.DateOnly)
		switch {
		case !n.Start.IsZero():
			return r.tr("a %s term from %s outlives the model's end of life on %s", "%[2]s からの%[1]sの期間は、モデルのサポート終了日 %[3]s を越えます",
				r.term(n.Term), n.Start.Format(time.DateOnly), eol)
		case n.Product == pricing.ProductReserved:
			return r.tr("its %s reservation outlives the model's end of life on %s", "推奨する%sの予約は、モデルのサポート終了日 %s を越えます", r.term(n.Term), eol)
		}
		return r.tr("its %s term outlives the model's end of life on %s", "推奨する%sの期間は、モデルのサポート終了日 %s を越えます", r.term(n.Term), eol)
	case sim.NoteNoRecommendation:
		if use.said {
			return r.tr("nothing is recommended", "推奨するプランがありません")
		}
		return r.tr("no recommendation", "推奨なし")
	case sim.NotePeak:
		return r.tr("%d MU %s sized for the busiest interval; nothing on-demand", "最も混む間隔に合わせた %d MU（%s）。オンデマンドなし", n.MU, r.term(n.Term))
	case sim.NoteBusinessHours:
		var w sim.Window
		var zone *time.Location
		if p := n.Plan; p != nil && len(p.PTWindows) > 0 {
			w, zone = p.PTWindows[0], p.TimeZone
		}
		if n.MU == 0 {
			return r.tr("nothing bought: no traffic in business hours, %s (%s); every request on-demand", "購入なし：業務時間（%s、%s）のトラフィックがなく、すべてオンデマンド",
				l.window(w), zone)
		}
		return r.tr("%d MU %s for the business-hours peak, used %s (%s), billed around the clock; on-demand otherwise",
			"業務時間のピークに合わせた %d MU（%s）。%s（%s）に使い、終日課金。それ以外はオンデマンド", n.MU, r.term(n.Term), l.window(w), zone)
	case sim.NotePlan:
		return r.describePlan(n.Plan)
	case sim.NoteOptimised:
		s := r.tr("optimised: %s", "最適化：%s", r.describePlan(n.Plan))
		if n.Cause == sim.NoteThrottleLimit {
			s += r.tr("; cannot keep throttling within %.4g%% with the capacity allowed: this is the least it can be",
				"。許される容量ではスロットリングを %.4g%% 以内に抑えられず、これが最小です", 100*n.Limit)
		}
		return s
	case sim.NoteAlone:
		switch {
		case n.Product == pricing.ProductPT:
			return r.tr("%d MU %s, the optimiser's count for this term alone", "%d MU（%s）：この期間だけでの最適化の数", n.MU, r.term(n.Term))
		case use.risk:
			return r.tr("the optimiser's reservation for this term alone: %s", "この期間だけでの最適化の予約：%s", r.describePlan(n.Plan))
		}
		return r.tr("the best reservation alone: %s", "予約だけでの最適：%s", r.describePlan(n.Plan))
	case sim.NoteDoesNotPay:
		switch {
		case n.Product == pricing.ProductPT:
			return r.tr("no MU: a %s commitment does not pay for this traffic", "MU なし：%sはこのトラフィックでは元が取れません", r.term(n.Term))
		case use.risk:
			return r.tr("no reservation: a %s reservation does not pay for this traffic", "予約なし：%sの予約はこのトラフィックでは元が取れません", r.term(n.Term))
		}
		return r.tr("no reservation pays for this traffic at the prices given: everything on-demand", "この価格では元が取れる予約がありません：すべてオンデマンド")
	case sim.NoteNoNewCapacity:
		why := r.tr("no allowed term is offered for this model", "このモデルには許可された期間の価格がありません")
		switch n.Cause {
		case sim.NoteLifecycle:
			why = l.lifecycle(o)
		case sim.NoteThroughputUnknown:
			why = r.tr("the throughput of one model unit is unknown and no Reserved-tier price is given", "1 モデルユニットの処理能力が不明で、予約（Reserved）の価格もありません")
		}
		return r.tr("no new capacity: %s", "新しい容量なし：%s", why)
	case sim.NoteLifecycle:
		return l.lifecycle(o)
	case sim.NotePlanPTUnavailable:
		return r.tr("the plan buys PT, but %s", "プランは PT を購入しますが、%s", l.ptUnavailable(o, use.said))
	case sim.NoteQuotaRule:
		return r.tr("the quota rule counts %s× what CloudWatch's EstimatedTPMQuotaUsage counts (median over %d intervals), more than %.0f%% off: the throttling figures are in doubt; check the output burndown (--burndown) and the quotas",
			"クォータの計算は CloudWatch の EstimatedTPMQuotaUsage の %s 倍です（%d 区間の中央値）。%.0f%% を超えてずれているため、スロットリングの数値は疑わしく、出力のバーンダウン（--burndown）とクォータを確認してください",
			strconv.FormatFloat(n.Ratio, 'g', 3, 64), n.N, 100*sim.QuotaTolerance)
	case sim.NoteThrottleLimit:
		return r.tr("the throttle limit cannot be met with the capacity allowed", "許される容量ではスロットリングの上限を守れません")
	case sim.NoteShortHistory:
		return r.tr("only %s of history, less than --min-history %s: the recommendation buys no committed capacity (a forecast needs at least that much); the break-even figures still stand, and --min-history 0 lifts the guard",
			"履歴が %s しかなく --min-history %s より短いため、推奨はコミット容量を購入しません（予測には少なくともその長さが必要）。損益分岐の値は有効です。--min-history 0 でこの制限を外せます",
			l.span(n.Span, false), l.span(n.Min, false))
	case sim.NoteOtherRegion:
		return r.tr("the traffic ran in %s and is priced at the prices of %s (--region %s)", "トラフィックは %s で実行され、%s の価格で計算しています（--region %s）",
			n.Ran, n.Offer.Region, n.Offer.Region)
	}
	return string(n.Code)
}

// causeSaid is the note n words within itself as its cause, if any: a
// Reserved tier sold at unknown prices says, too, why PT cannot be
// sized. A table that has said n has said this one as well.
func causeSaid(n sim.Note) (sim.Note, bool) {
	if n.Code != sim.NoteReservedPriceUnknown || n.Cause == "" {
		return sim.Note{}, false
	}
	return sim.Note{Code: n.Cause, Offer: n.Offer}, true
}

// noRecommendation is the verdict's sentence for a recommendation
// skipped for the reason n. Unknown Reserved prices leave no capacity
// of any kind to size; any other reason leaves PT alone unsized.
func (r *Report) noRecommendation(n sim.Note) string {
	if n.Code == sim.NoteReservedPriceUnknown {
		return r.tr("No capacity recommended: %s.", "容量の推奨はありません：%s。", r.note(n, inSummary))
	}
	return r.tr("No PT recommendation: %s.", "PT の推奨はありません：%s。", r.note(n, inSummary))
}

// Kinds of Demand.
const (
	// DemandObserved is CloudWatch's accepted requests: throttled ones
	// are not in Invocations.
	DemandObserved = "observed"
	// DemandServed is what File records as served, with no throttles
	// column.
	DemandServed = "served"
	// DemandUnconstrained adds Added throttled requests back.
	DemandUnconstrained = "unconstrained"
	// DemandSample is the demo's synthetic traffic of seed Seed.
	DemandSample = "sample"
)

// Sources the command line gives the figures it is given or chooses,
// as a report's pricing.yaml keeps them: a report words them in its
// language. Any other source is a citation, quoted as it is.
const (
	SampleSource          = "chosen for the demo" // the demo's MU throughput
	SourceMUFlags         = "given with --mu-input-tpm and --mu-output-tpm"
	SourceQuotaFlags      = "command line"
	SourceReservedInput   = "given with --reserved-price-input"
	SourceReservedOutput  = "given with --reserved-price-output"
	SourceReservedMinimum = "Amazon Bedrock Reserved tier: minimum 100,000 input and 10,000 output TPM (DESIGN.md §1)"
)

// sourcesJA are the command line's sources in Japanese.
var sourcesJA = map[string]string{
	SampleSource:          "デモ用に選んだ値",
	SourceMUFlags:         "--mu-input-tpm と --mu-output-tpm で指定",
	SourceQuotaFlags:      "コマンドライン",
	SourceReservedInput:   "--reserved-price-input で指定",
	SourceReservedOutput:  "--reserved-price-output で指定",
	SourceReservedMinimum: "Amazon Bedrock の予約（Reserved）ティア：最小は入力 100,000・出力 10,000 TPM（DESIGN.md §1）",
}

// Demand is what the demand replayed is.
type Demand struct {
	Kind  string
	File  string
	Added float64
	Seed  uint64
}

// demand says what the demand is, for the assumptions' Demand line.
func (r *Report) demand() string {
	d := r.Demand
	switch d.Kind {
	case DemandObserved:
		return r.tr("observed: throttled calls are not in CloudWatch's Invocations, so demand that was turned away is not included (--demand unconstrained adds it back)",
			"観測値：スロットリングされた呼び出しは CloudWatch の Invocations に含まれないため、断られた需要は含みません（--demand unconstrained で加算できます）")
	case DemandServed:
		return r.tr("observed, as %s records it: it has no throttles column, so requests that were turned away, if any, are not included",
			"%s の記録どおりの観測値：throttles 列がないため、断られたリクエストがあっても含みません", d.File)
	case DemandUnconstrained:
		return r.tr("unconstrained: %s throttled requests added back to what was served, at each interval's mean tokens per request",
			"制約なし：スロットリングされた %s 件のリクエストを、各間隔のリクエストあたり平均トークン数で処理済みの分に加算", SI(d.Added))
	case DemandSample:
		return r.tr("synthetic, as generated", "合成データ（生成したとおり）")
	}
	return r.tr("as given", "入力どおり")
}

// sampleNote describes the demo's sample traffic; "" for other demand.
func (r *Report) sampleNote() string {
	if r.Demand.Kind != DemandSample {
		return ""
	}
	return r.tr("Sample traffic: synthetic (seed %d), business hours Mon-Fri 09:00-17:00 Asia/Tokyo, +3%% a week, with bursts; see metrics.csv.",
		"サンプルのトラフィック：合成データ（seed %d）。平日 9:00〜17:00（東京）の業務時間型、週 3%% 増加、バーストあり。metrics.csv を参照。", r.Demand.Seed)
}

// source words where a figure came from: the command line's own
// sources in the report's language, citations as they are.
func (r *Report) source(s string) string {
	if ja, ok := sourcesJA[s]; ok && r.Lang == LangJapanese {
		return ja
	}
	return s
}

// moveMissing says why a what-if move was not priced; "" for one that
// was.
func (r *Report) moveMissing(m sim.TierMove) string {
	switch {
	case !m.Missing:
		return ""
	case m.Tier == "batch":
		return r.tr("the catalogue has no batch prices for %s in %s (batch_input_per_1m and batch_output_per_1m in --pricing FILE)",
			"カタログに %s・%s のバッチの価格がありません。--pricing FILE の batch_input_per_1m と batch_output_per_1m で指定できます", r.Offer.ModelID, r.Offer.Region)
	}
	return r.tr("the catalogue has no Flex-tier prices for %s in %s (on_demand.tiers.flex in --pricing FILE)",
		"カタログに %s・%s の Flex ティアの価格がありません。--pricing FILE の on_demand.tiers.flex で指定できます", r.Offer.ModelID, r.Offer.Region)
}

// tierMissing says why a tier's traffic was not priced; "" for one
// that was.
func (r *Report) tierMissing(c sim.TierCost) string {
	if !c.Missing {
		return ""
	}
	return r.tr("the catalogue has no %[1]s-tier prices for %[2]s in %[3]s: give them with --pricing FILE (on_demand.tiers.%[1]s.input_per_1m and output_per_1m)",
		"カタログに %[2]s・%[3]s の %[1]s ティアの価格がありません。--pricing FILE の on_demand.tiers.%[1]s.input_per_1m と output_per_1m で指定できます", c.Tier, r.Offer.ModelID, r.Offer.Region)
}

// describePlan describes a note's plan; a note read back from a report
// file has none, and the file's English note says it.
func (r *Report) describePlan(p *sim.Plan) string {
	if p == nil {
		return "–"
	}
	return r.describe(*p)
}

// lifecycle says where the model is in its lifecycle, "" for an
// active model: pricing's sentence in English.
func (l language) lifecycle(o pricing.Offer) string {
	if l != LangJapanese {
		return o.LifecycleWarning()
	}
	lc := o.Lifecycle
	switch lc.Status {
	case pricing.LifecycleEOL:
		when := o.ModelID + " はサポート終了（EOL）を過ぎています"
		if lc.EOL != "" {
			when = o.ModelID + " は " + lc.EOL + " にサポート終了（EOL）となりました"
		}
		return when + "。新しいプロビジョンドスループットは購入できず、トラフィックは新しいモデルへ移す必要があります"
	case pricing.LifecycleLegacy:
		s := o.ModelID + " はレガシーモデルです。新しいプロビジョンドスループットは購入できません"
		if lc.PublicExtendedAccess != "" {
			s += "。" + lc.PublicExtendedAccess + " からパブリック延長アクセス（プロバイダーが料金を上げる場合があります）"
		}
		if lc.EOL != "" {
			s += "。サポート終了は " + lc.EOL
		}
		return s
	}
	return ""
}

// ptUnavailable says why no new PT can serve the traffic of o; said
// leaves the lifecycle to say it alone.
func (l language) ptUnavailable(o pricing.Offer, said bool) string {
	switch {
	case o.Lifecycle.Status != "" && o.Lifecycle.Status != pricing.LifecycleActive:
		if said {
			return l.lifecycle(o)
		}
		return l.tr("no new PT can be bought: %s", "新しい PT は購入できません：%s", l.lifecycle(o))
	case o.Profile != "":
		return l.tr("PT cannot serve traffic sent through the inference profile %s: it is bought for a model in a region",
			"推論プロファイル %s 経由のトラフィックは PT では処理できません：PT はリージョン内のモデルに対して購入します", o.ModelID)
	case o.Tier == "" && o.PTNotSold != nil:
		return l.tr("AWS sells no PT for %s in %s (source: %s, %s)", "AWS は %s（%s）の PT を販売していません（出典：%s、%s）",
			o.ModelID, o.Region, o.PTNotSold.Source, o.PTNotSold.AsOf)
	}
	return l.tr("this traffic ran on the %s tier, priced per token; PT and the Reserved tier serve Standard traffic",
		"このトラフィックは %s ティアで実行され、トークン単位で課金されます。PT と予約（Reserved）は Standard のトラフィックを処理します", o.Tier)
}

// missingPTPrice says that the catalogue has no PT price for term (for
// any term when ""), as pricing's Offer.MissingPTPrice does; named
// leaves out the model and region a line names already.
func (l language) missingPTPrice(o pricing.Offer, term pricing.Term, named bool) string {
	if !named && l != LangJapanese {
		return o.MissingPTPrice(term)
	}
	key := "provisioned: {none: …, one_month: …, six_months: …}"
	what, it := l.word("PT prices", " PT の価格"), l.word("them", "")
	if term != "" {
		key = "provisioned: " + string(term) + ": {usd: …, source: …, as_of: …}"
		what, it = l.tr("price for %s PT", " PT（%s）の価格", l.term(term)), l.word("it", "")
	}
	where := ""
	if !named {
		where = l.tr(" for %s in %s", " %s（%s）の", o.ModelID, o.Region)
	}
	if named {
		// An account line: its series ran in its region, and the
		// account takes prices from --pricing alone.
		return l.tr("the catalogue has no %[1]s%[2]s: give %[3]s with `--pricing FILE`, as `models: %[4]s: regions: %[5]s: %[6]s`",
			"カタログに%[2]s%[1]sがありません：`--pricing FILE` で `models: %[4]s: regions: %[5]s: %[6]s` として指定してください",
			what, where, it, pricing.YAMLKey(o.ModelID), o.Region, key)
	}
	return l.tr("the catalogue has no %[1]s%[2]s: give %[3]s with `--pricing FILE`, as `models: %[4]s: regions: %[5]s: %[6]s`, or choose a region that has %[3]s with `--region`; `bedrockplan pricing show %[7]s` lists the regions",
		"カタログに%[2]s%[1]sがありません：`--pricing FILE` で `models: %[4]s: regions: %[5]s: %[6]s` として指定するか、`--region` で価格のあるリージョンを選んでください。`bedrockplan pricing show %[7]s` でリージョンを一覧できます",
		what, where, it, pricing.YAMLKey(o.ModelID), o.Region, key, o.ModelID)
}

// noteCode writes the fact of a note for a report file's note_code
// column: its code, then key=value for each figure it has, a value with
// spaces quoted as in Go. A plan is not written; the note column
// describes it.
func noteCode(n sim.Note) string {
	if n.Code == "" {
		return ""
	}
	parts := []string{string(n.Code)}
	add := func(k, v string) {
		// Quoted, a value holds no space and no line break: an
		// account's warning_codes puts one code on each line.
		if strings.ContainsAny(v, " \t\"=\n") {
			v = strconv.Quote(v)
		}
		if v != "" {
			parts = append(parts, k+"="+v)
		}
	}
	date := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format(time.DateOnly)
	}
	num := func(v float64) string {
		if v == 0 {
			return ""
		}
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	dur := func(d time.Duration) string {
		if d == 0 {
			return ""
		}
		return d.String()
	}
	add("cause", string(n.Cause))
	add("product", string(n.Product))
	add("term", string(n.Term))
	if n.MU != 0 {
		add("mu", strconv.Itoa(n.MU))
	}
	add("start", date(n.Start))
	add("eol", date(n.EOL))
	add("limit", num(n.Limit))
	add("ratio", num(n.Ratio))
	if n.N != 0 {
		add("n", strconv.Itoa(n.N))
	}
	add("span", dur(n.Span))
	add("min", dur(n.Min))
	add("ran", n.Ran)
	f := n.Offer
	add("model", f.Model)
	add("region", f.Region)
	add("tier", f.Tier)
	add("lifecycle", f.Lifecycle.Status)
	add("legacy", f.Lifecycle.Legacy)
	add("extended_access", f.Lifecycle.PublicExtendedAccess)
	add("model_eol", f.Lifecycle.EOL)
	add("pt_not_sold", f.PTNotSold.Source)
	add("pt_not_sold_as_of", f.PTNotSold.AsOf)
	return strings.Join(parts, " ")
}

// parseNoteCode reads what noteCode wrote.
func parseNoteCode(s string) (sim.Note, error) {
	code, rest, _ := strings.Cut(strings.TrimSpace(s), " ")
	n := sim.Note{Code: sim.Code(code)}
	for rest = strings.TrimLeft(rest, " "); rest != ""; rest = strings.TrimLeft(rest, " ") {
		k, v, ok := strings.Cut(rest, "=")
		if !ok || k == "" || strings.Contains(k, " ") {
			return n, fmt.Errorf("%q is not key=value", rest)
		}
		var err error
		if strings.HasPrefix(v, `"`) {
			q, qerr := strconv.QuotedPrefix(v)
			if qerr != nil {
				return n, fmt.Errorf("%s: %v", k, qerr)
			}
			rest = v[len(q):]
			v, _ = strconv.Unquote(q)
		} else {
			v, rest, _ = strings.Cut(v, " ")
		}
		switch k {
		case "cause":
			n.Cause = sim.Code(v)
		case "product":
			n.Product = pricing.Product(v)
		case "term":
			n.Term = pricing.Term(v)
		case "mu":
			n.MU, err = strconv.Atoi(v)
		case "start":
			n.Start, err = time.Parse(time.DateOnly, v)
		case "eol":
			n.EOL, err = time.Parse(time.DateOnly, v)
		case "limit":
			n.Limit, err = strconv.ParseFloat(v, 64)
		case "ratio":
			n.Ratio, err = strconv.ParseFloat(v, 64)
		case "n":
			n.N, err = strconv.Atoi(v)
		case "span":
			n.Span, err = time.ParseDuration(v)
		case "min":
			n.Min, err = time.ParseDuration(v)
		case "ran":
			n.Ran = v
		case "model":
			n.Offer.Model = v
		case "region":
			n.Offer.Region = v
		case "tier":
			n.Offer.Tier = v
		case "lifecycle":
			n.Offer.Lifecycle.Status = v
		case "legacy":
			n.Offer.Lifecycle.Legacy = v
		case "extended_access":
			n.Offer.Lifecycle.PublicExtendedAccess = v
		case "model_eol":
			n.Offer.Lifecycle.EOL = v
		case "pt_not_sold":
			n.Offer.PTNotSold.Source = v
		case "pt_not_sold_as_of":
			n.Offer.PTNotSold.AsOf = v
		default:
			return n, fmt.Errorf("unknown key %q", k)
		}
		if err != nil {
			return n, fmt.Errorf("%s: %v", k, err)
		}
	}
	return n, nil
}

// burstSource says where the burst model came from ("" when the report
// does not say): the facts of sim.ChooseBurst, with the metrics file it
// was measured in, or that holds no finer data.
func (r *Report) burstSource() string {
	c := r.BurstFrom
	if c == nil {
		return ""
	}
	l := language(r.Lang)
	switch c.Kind {
	case sim.BurstNotNeeded:
		return r.tr("none needed: the data is 1-minute", "不要：データが 1 分間隔です")
	case sim.BurstNone:
		return r.tr("none (--burst none): traffic assumed flat inside each %s interval, which understates peaks",
			"なし（--burst none）：%s間隔の中ではトラフィックが平坦だと仮定しており、ピークを過小評価します", l.period(c.Of))
	case sim.BurstFromFlag:
		return r.tr("the busiest minute of each %s interval at %s× its mean (--burst)", "%s間隔ごとに最も混む 1 分を平均の %s 倍とする（--burst）",
			l.period(c.Of), strconv.FormatFloat(c.Ratio, 'g', -1, 64))
	case sim.BurstMeasured:
		return r.tr("the busiest %[1]s of each %[2]s interval at %.2[3]f× its mean, measured on %[4]d intervals of the %[5]s data in %[6]s",
			"%[2]s間隔ごとに最も混む%[1]sを平均の %.2[3]f 倍とする（%[6]s の%[5]s間隔データの %[4]d 間隔で測定）",
			l.span(c.Finer, false), l.period(c.Of), c.Ratio, c.Intervals, l.period(c.Finer), r.BurstFile)
	}
	return r.tr("the busiest minute of each %[1]s interval at %.2[2]f× its mean: a default (fitted to the Azure LLM conversation trace), since %[3]s holds no finer data for this model; --burst sets your own",
		"%[1]s間隔ごとに最も混む 1 分を平均の %.2[2]f 倍とする既定値（Azure LLM の会話トレースに当てはめたもの）。%[3]s にこのモデルのより細かいデータがないためです。--burst で指定できます",
		l.period(c.Of), c.Ratio, r.BurstFile)
}

// Omission codes, as assumptions.csv holds them (risk_omitted,
// cash_flow_omitted).
var omissionCodes = map[sim.Omission]string{
	sim.OmittedNoScenarios: "no-scenarios",
	sim.OmittedCannotBuy:   "cannot-buy",
	sim.OmittedCannotSize:  "cannot-size",
	sim.OmittedNoForecast:  "no-forecast",
}

// omissionCode is o's code; a forecast too short is short-history.
func omissionCode(o sim.Omitted) string {
	if o.Reason == sim.OmittedNoForecast && errors.Is(o.Err, workload.ErrShortHistory) {
		return "short-history"
	}
	return omissionCodes[o.Reason]
}

// parseOmission reads what omissionCode wrote; note is the English
// sentence beside it, which holds the forecast's error for no-forecast.
func parseOmission(code, note string) (sim.Omitted, error) {
	switch code {
	case "":
		return sim.Omitted{}, nil
	case "short-history":
		return sim.Omitted{Reason: sim.OmittedNoForecast, Err: workload.ErrShortHistory}, nil
	case "no-forecast":
		return sim.Omitted{Reason: sim.OmittedNoForecast, Err: errors.New(note)}, nil
	}
	for o, c := range omissionCodes {
		if c == code {
			return sim.Omitted{Reason: o}, nil
		}
	}
	return sim.Omitted{}, fmt.Errorf("%q is not no-scenarios, cannot-buy, cannot-size, short-history or no-forecast", code)
}

// omitted says why the risk analysis (cashFlow: the cash flow) was left
// out, "" when it ran. said: in the summary, where the verdict gives the
// model's lifecycle already.
func (r *Report) omitted(o sim.Omitted, cashFlow, said bool) string {
	l := language(r.Lang)
	switch o.Reason {
	case sim.OmittedNoScenarios:
		if cashFlow {
			return r.tr("its forecast needs scenarios (--scenarios 0)", "予測にはシナリオが必要です（--scenarios 0）")
		}
		return "--scenarios 0"
	case sim.OmittedCannotBuy:
		if said && l.lifecycle(r.Offer) != "" {
			return r.tr("no new commitment can serve this traffic, as the verdict says", "このトラフィックに使える新しいコミットはありません（結論を参照）")
		}
		return r.tr("no new commitment can serve this traffic: %s", "このトラフィックに使える新しいコミットはありません：%s", l.ptUnavailable(r.Offer, false))
	case sim.OmittedCannotSize:
		if r.Offer.PTNotSold != nil && r.Offer.CanBuy(pricing.ProductReserved) {
			// PT is not sold: its throughput is not what is missing.
			if said {
				return r.tr("no Reserved price is given and AWS sells no PT here, as the verdict says, so no commitment can be sized",
					"予約（Reserved）の価格がなく、AWS はここで PT を販売していないため（結論を参照）、コミットの量を決められません")
			}
			return r.tr("no Reserved price is given and %s, so no commitment can be sized", "予約（Reserved）の価格がなく、%s。そのためコミットの量を決められません",
				l.ptUnavailable(r.Offer, false))
		}
		return r.tr("the throughput of one model unit is unknown and no Reserved price is given, so no commitment can be sized",
			"1 モデルユニットの処理能力が不明で、予約（Reserved）の価格もないため、コミットの量を決められません")
	case sim.OmittedNoForecast:
		if errors.Is(o.Err, workload.ErrShortHistory) {
			return r.tr("only %s of history; a forecast of trend and weekly pattern needs at least %s", "履歴が %s しかありません。傾向と週のパターンの予測には少なくとも %s が必要です",
				l.span(r.window(), false), l.span(workload.MinForecastHistory, false))
		}
		return r.tr("no forecast: %s", "予測できません：%s", o.Err)
	}
	return ""
}

// burstKinds are the kinds of burst model as assumptions.csv holds
// them (burst_kind).
var burstKinds = map[sim.BurstKind]string{
	sim.BurstNotNeeded: "not-needed",
	sim.BurstNone:      "none",
	sim.BurstFromFlag:  "given",
	sim.BurstMeasured:  "measured",
	sim.BurstDefault:   "default",
}
