package reports

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/sim"
	"github.com/bedrockplan/bedrockplan/workload"
)

// PortfolioAll is the model_id of portfolio.csv's last row: the sums
// over every series.
const PortfolioAll = "ALL"

// PortfolioRow is one series of an account's plan: the figures of its
// own report folder, as its CSV files hold them.
type PortfolioRow struct {
	ModelID, Region, Tier string
	// MUThroughput is where the series' MU throughput comes from
	// (assumed, account-team, measured); empty when it is unknown.
	MUThroughput pricing.Provenance
	// History is how long the series' replayed window is; each row's
	// costs are over its own window.
	History time.Duration
	// OnDemand is the series all on-demand; Cost is the plan replayed
	// (on-demand again when the series could not be sized).
	OnDemand, Cost pricing.Money
	// PTCost, ReservedCost and OverflowCost are Cost's parts: PT,
	// Reserved and the on-demand traffic the plan leaves over.
	PTCost, ReservedCost, OverflowCost pricing.Money
	CommittedMU                        int
	CommittedTerm                      pricing.Term
	// ReservedInputTPM and ReservedOutputTPM are the Reserved layer the
	// plan holds; 0 without one.
	ReservedInputTPM, ReservedOutputTPM float64
	// ScheduledMUHours are the no-commitment MU-hours the plan bills.
	ScheduledMUHours float64
	// ContractValue is what the series' commitments.csv commits to.
	ContractValue pricing.Money
	// BreakEvenTPM is the least throughput (input + output tokens a
	// minute) at which one MU pays on its best term, BreakEvenTerm, when
	// the throughput is unknown; 0 otherwise or when no term pays.
	BreakEvenTPM  float64
	BreakEvenTerm pricing.Term
	// ReservedBreakEvenInput and ReservedBreakEvenOutput are the highest
	// Reserved prices (USD per 1K TPM-month) at which a reservation
	// pays; 0 when the model has no Reserved tier or no reservation pays.
	ReservedBreakEvenInput, ReservedBreakEvenOutput float64
	// Growth is the growth of the demand forecast the series' cash flow
	// was drawn from (only GrowthPerHour and GrowthSE are set), and
	// CashFlowOnDemand the on-demand that cash flow forecasts for the
	// plan over its months (means, each month to the cent); nil and 0
	// without a cash flow.
	Growth           *workload.Forecast
	CashFlowOnDemand pricing.Money
	// Warnings are the series' own (its analysis's), and PricesAsOf the
	// date of the oldest price it used (zero: none dated), from which the
	// account says when its prices are stale.
	Warnings   []sim.Note
	PricesAsOf time.Time
	// Sized is false when no plan could be sized for the series (unknown
	// MU throughput and no Reserved price, a model that sells no
	// capacity); Note then says why, and the folder's break-even files
	// say at what throughput or price it would be.
	Sized bool
	Plan  string
	Note  sim.Note
	// Folder is the series' report folder, relative to the portfolio's.
	Folder string
}

// Savings is what the plan saves against all on-demand; negative when
// it costs more.
func (r PortfolioRow) Savings() pricing.Money { return r.OnDemand - r.Cost }

// SavingsPct is Savings as a percentage of the on-demand cost.
func (r PortfolioRow) SavingsPct() float64 {
	if r.OnDemand == 0 {
		return 0
	}
	return 100 * float64(r.Savings()) / float64(r.OnDemand)
}

// PortfolioRow sums up the report (as its folder holds it, once
// written) for the account's table: detail is the strategy that stands
// for the series, the recommendation or the user's plan.
func (r *Report) PortfolioRow(detail, folder string) PortfolioRow {
	if r.rendered != nil {
		r = r.rendered
	}
	a := r.Analysis
	od := a.Strategy(sim.StrategyOnDemand).Totals.Total()
	row := PortfolioRow{ModelID: r.Offer.ModelID, Region: r.Offer.Region, Tier: r.Offer.Tier, History: r.window(),
		OnDemand: od, Cost: od, OverflowCost: od, Folder: folder}
	if row.Tier == "" {
		row.Tier = "standard"
	}
	if tp := r.Offer.Throughput; tp.Known() {
		row.MUThroughput = tp.Provenance
	}
	row.Warnings, row.PricesAsOf = slices.Clone(a.Warnings), r.oldestPrice()
	if fc := r.forecast(); fc != nil && r.CashFlow != nil {
		row.Growth = &workload.Forecast{GrowthPerHour: fc.GrowthPerHour, GrowthSE: fc.GrowthSE}
		row.CashFlowOnDemand = cashFlowTotalsOf(r.CashFlow).overflow
	}
	if !r.Offer.Throughput.Known() {
		for _, b := range a.BreakEven {
			if !b.Never && b.TPM > 0 && (row.BreakEvenTPM == 0 || b.TPM < row.BreakEvenTPM) {
				row.BreakEvenTPM, row.BreakEvenTerm = b.TPM, b.Term
			}
		}
	}
	if be := a.ReservedBreakEven; be != nil && !be.Never {
		row.ReservedBreakEvenInput, row.ReservedBreakEvenOutput = be.InputPer1KTPMMonth, be.OutputPer1KTPMMonth
	}
	d := a.Strategy(detail)
	if d == nil || d.Skipped {
		row.Note = sim.Note{Code: sim.NoteNoRecommendation}
		if d != nil {
			row.Note = d.Note
		}
		row.Plan = "all on-demand"
		return row
	}
	row.Sized = true
	row.Cost = d.Totals.Total()
	row.PTCost, row.ReservedCost, row.OverflowCost = d.Totals.PTCost, d.Totals.ResCost, d.Totals.ODCost
	row.CommittedMU, row.CommittedTerm = d.CommittedMU, d.Term
	row.ScheduledMUHours = d.Totals.ScheduledMUHoursBilled
	if d.Reserve != nil {
		row.ReservedInputTPM, row.ReservedOutputTPM = d.Reserve.InputTPM, d.Reserve.OutputTPM
	}
	for _, p := range r.Purchases {
		row.ContractValue += pricing.FromUSD(p.ContractValue())
	}
	row.Plan = Describe(d.Plan)
	if detail == sim.StrategyRecommended {
		// What is bought, undated, as the verdict says it: the purchase
		// is dated by commitments.csv, not by the replayed window.
		row.Plan = language(LangEnglish).describe(d.Plan, nil)
	}
	if !d.BuysCapacity() {
		row.Plan = "all on-demand"
	}
	return row
}

// Portfolio is an account's report: one row per series, each with its
// own report folder beside portfolio.csv.
type Portfolio struct {
	CommandLine string
	// Detail is the strategy each row stands for: recommended or plan.
	Detail string
	Rows   []PortfolioRow
	// Purchases are every series' commitments.csv together.
	Purchases []sim.Purchase
	// BuyAt is when the purchases are dated from.
	BuyAt time.Time
	// CashFlow is the series' cash flows added up month by month (see
	// AddCashFlow); nil when no series has one.
	CashFlow []sim.CashFlowMonth
	Lang     string
	Version  string
	// Today dates the account's report: its series' prices older than 90
	// days then get a warning, as in their own reports. Zero skips it.
	Today time.Time
	// ChartFont draws Japanese charts, as for a Report.
	ChartFont *ChartFont

	// data is the account's data as its files hold it, on a portfolio
	// made from it (LoadPortfolio, or Write's rendering).
	data *portfolioData
	// rendered is the portfolio made from its data, which the
	// summary was rendered from.
	rendered *Portfolio
}

// AddCashFlow adds one series' cash flow into the account's, month by
// month. Capacity and means add up exactly; the account's percentiles
// are the sums of the series' percentiles, which is what they are when
// the series rise and fall together (their scenarios share one seed), and
// a cautious range otherwise.
func (p *Portfolio) AddCashFlow(months []sim.CashFlowMonth) {
	for _, m := range months {
		i := slices.IndexFunc(p.CashFlow, func(a sim.CashFlowMonth) bool { return a.Start.Equal(m.Start) })
		if i < 0 {
			p.CashFlow = append(p.CashFlow, sim.CashFlowMonth{Start: m.Start, End: m.End})
			i = len(p.CashFlow) - 1
		}
		a := &p.CashFlow[i]
		if m.End.After(a.End) {
			a.End = m.End
		}
		a.Committed += m.Committed
		a.NoCommit += m.NoCommit
		a.Reserved += m.Reserved
		a.Renewals += m.Renewals
		a.Existing += m.Existing
		for _, s := range []struct{ to, from *sim.Spread }{{&a.Overflow, &m.Overflow}, {&a.Stay, &m.Stay}} {
			s.to.Mean += s.from.Mean
			s.to.P10 += s.from.P10
			s.to.P50 += s.from.P50
			s.to.P90 += s.from.P90
		}
	}
	slices.SortFunc(p.CashFlow, func(a, b sim.CashFlowMonth) int { return a.Start.Compare(b.Start) })
}

// Total is the ALL row: the sums over every series. Its history is the
// longest of the series'.
func (p *Portfolio) Total() PortfolioRow {
	t := PortfolioRow{ModelID: PortfolioAll, Sized: true}
	for _, r := range p.Rows {
		t.OnDemand += r.OnDemand
		t.Cost += r.Cost
		t.PTCost += r.PTCost
		t.ReservedCost += r.ReservedCost
		t.OverflowCost += r.OverflowCost
		t.CommittedMU += r.CommittedMU
		t.ReservedInputTPM += r.ReservedInputTPM
		t.ReservedOutputTPM += r.ReservedOutputTPM
		t.ContractValue += r.ContractValue
		t.CashFlowOnDemand += r.CashFlowOnDemand
		t.ScheduledMUHours += r.ScheduledMUHours
		t.History = max(t.History, r.History)
		t.Sized = t.Sized && r.Sized
	}
	return t
}

// Files lists the files Write puts at the top of the folder, in order:
// the summaries and columns.md, then each file of portfolioFiles
// followed by its charts.
func (p *Portfolio) Files() []string {
	files := []string{"summary.html", "summary.md", "columns.md"}
	m := p
	if p.rendered != nil {
		m = p.rendered
	}
	if m.data == nil {
		d, err := p.build()
		if err != nil {
			return files
		}
		if m, err = d.portfolio(); err != nil {
			return files
		}
	}
	for _, af := range portfolioFiles {
		if name := af.file(m.data); name != "" {
			files = append(files, name)
		}
		for _, c := range af.charts {
			if c.draw(m, ChartText{}) != nil {
				files = append(files, c.name)
			}
		}
	}
	return files
}

// Render writes the account's summaries, charts and columns.md into f
// from its data (the portfolio LoadPortfolio or Write made); the data
// files themselves are the caller's to copy.
func (p *Portfolio) Render(f *Folder) error {
	ct := ChartText{lang: LangEnglish}
	if p.Lang == LangJapanese && p.ChartFont != nil {
		ct = ChartText{lang: LangJapanese, font: p.ChartFont}
	}
	images := map[string][]byte{}
	for _, af := range portfolioFiles {
		for _, c := range af.charts {
			draw := c.draw(p, ct)
			if draw == nil {
				continue
			}
			png, err := draw()
			if err != nil {
				return fmt.Errorf("%s: %w", c.name, err)
			}
			if err := f.WriteBytes(c.name, png); err != nil {
				return err
			}
			images[c.name] = png
		}
	}
	// The language is the rendering's, as in a series' folder.
	if p.data != nil && p.Lang != langOf(p.data.assumptions) {
		if err := f.Write("assumptions.csv", func(w io.Writer) error { return assumptionsTable.writeTo(w, p.assumptions()) }); err != nil {
			return err
		}
	}
	blocks := p.blocks()
	if err := f.Write("summary.md", func(w io.Writer) error { return renderMarkdown(w, blocks) }); err != nil {
		return err
	}
	if err := f.Write("columns.md", func(w io.Writer) error { return writeAccountColumns(w, p.Detail) }); err != nil {
		return err
	}
	lang := p.Lang
	if lang == "" {
		lang = LangEnglish
	}
	title := language(lang).tr("bedrockplan: account plan", "bedrockplan：アカウント全体のプラン")
	return f.Write("summary.html", func(w io.Writer) error {
		return renderHTML(w, blocks, lang, title, images)
	})
}

// IsPortfolio says whether dir holds an account's report (portfolio.csv
// and one folder per series) rather than one series'.
func IsPortfolio(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, "portfolio.csv"))
	return err == nil
}

// ranked is the rows by saving, largest first; ties keep the file's
// order.
func (p *Portfolio) ranked() []PortfolioRow {
	rows := slices.Clone(p.Rows)
	slices.SortStableFunc(rows, func(a, b PortfolioRow) int {
		switch {
		case a.Savings() > b.Savings():
			return -1
		case a.Savings() < b.Savings():
			return 1
		}
		return 0
	})
	return rows
}

// Verdict is what the run prints: the account's total and what buying
// it commits to.
func (p *Portfolio) Verdict() string {
	if p.rendered != nil {
		p = p.rendered
	}
	l := language(p.Lang)
	t := p.Total()
	subject := l.tr("Recommended for the account", "アカウント全体の推奨")
	if p.Detail == sim.StrategyPlan {
		subject = l.tr("Your plans for the account", "アカウント全体の指定プラン")
	}
	var unsized []string
	for _, r := range p.Rows {
		if !r.Sized {
			unsized = append(unsized, l.tr("%s (%s)", "%s（%s）", r.ModelID, r.Region))
		}
	}
	s := l.tr("%[1]s, %[2]d series: it costs %[3]s against %[4]s all on-demand, %[5]s over each series' own history",
		"%[1]s（%[2]d 系列）：各系列の履歴期間の合計で、すべてオンデマンドの %[4]s に対して %[3]s（%[5]s）", subject, len(p.Rows), t.Cost, t.OnDemand, savingWords(l, t))
	out := s + l.tr(".\n", "。\n")
	if t.ContractValue > 0 {
		out += l.tr("Buying it commits %s in contract value over its terms, from %s (commitments.csv).\n",
			"購入すると、契約期間の合計で %s の契約額になります（%s から、commitments.csv）。\n", t.ContractValue, l.when(p.BuyAt, time.UTC))
	} else {
		out += l.tr("It buys no commitment.\n", "コミットメントは購入しません。\n")
	}
	// A plan that buys PT on an assumed MU throughput says so on the
	// page that approves it, as each series' verdict does.
	var assumed []string
	for _, r := range p.Rows {
		if r.Sized && r.MUThroughput == pricing.ProvenanceAssumed && (r.CommittedMU > 0 || r.ScheduledMUHours > 0) {
			assumed = append(assumed, l.tr("%s (%s)", "%s（%s）", r.ModelID, r.Region))
		}
	}
	if len(assumed) > 0 {
		out += l.tr("MU throughput is assumed, not measured, for %s: check it before buying (each series' summary gives the figure and its source).\n",
			"%sの MU の処理能力は仮定値で、実測ではありません。購入前に確認してください（値と出典は各系列のサマリーに記載）。\n", strings.Join(assumed, l.word(", ", "、")))
	}
	out += p.cashFlowVerdict()
	out += p.warnings()
	// The series are named here, and only here: the run prints this
	// verdict and nothing else about them.
	if n := len(unsized); n > 0 {
		const named = 5
		if n > named {
			unsized = append(unsized[:named], l.tr("%d more", "ほか %d 系列", n-named))
		}
		out += l.tr("%d of %d series could not be sized and stay on-demand, with break-even figures instead: %s; the summary's section \"Series that could not be sized\" gives the reasons.\n",
			"%[2]d 系列のうち %[1]d 系列は規模を決められず、オンデマンドのままで、代わりに損益分岐の値を示します：%[3]s。理由はサマリーの「規模を決められなかった系列」の節にあります。\n",
			n, len(p.Rows), strings.Join(unsized, l.word(", ", "、")))
	}
	return out
}

// cashFlowVerdict is the verdict's line on the months ahead: what the
// plans are forecast to bill against buying nothing, and how much of it
// rests on the forecast of series nothing was sized for.
func (p *Portfolio) cashFlowVerdict() string {
	cf := p.CashFlow
	if cf == nil {
		return ""
	}
	l := language(p.Lang)
	c := p.cashFlowTotals()
	out := l.tr("From %s to %s the plans are forecast to bill %s against %s buying nothing (means; cashflow.csv).\n",
		"%sから%sまでのプランの請求額は予測で %s、何も買わない場合は %s です（平均、cashflow.csv）。\n",
		p.day(cf[0].Start), p.day(cf[len(cf)-1].End), c.plan(), c.stay)
	var unsized []PortfolioRow
	var forecast pricing.Money
	for _, r := range p.Rows {
		if !r.Sized && r.Growth != nil && r.CashFlowOnDemand > 0 {
			unsized = append(unsized, r)
			forecast += r.CashFlowOnDemand
		}
	}
	switch {
	case len(unsized) == 1:
		r := unsized[0]
		out += l.tr("%s of it is the on-demand of %s (%s), for which nothing was sized: its demand growing %s%% a week, extrapolated from %s of history; see the summary's cash-flow section.\n",
			"そのうち %s は規模を決められなかった %s（%s）のオンデマンドで、需要は週 %s%% 増加し、%sの履歴から外挿したものです。サマリーの「月ごとの支払い」の節を参照してください。\n",
			forecast, r.ModelID, r.Region, trim(100*r.Growth.WeeklyGrowth()), l.span(r.History, false))
	case len(unsized) > 1:
		out += l.tr("%s of it is the on-demand of %d series for which nothing was sized, their growth extrapolated from their history alone; see the summary's cash-flow section.\n",
			"そのうち %s は規模を決められなかった %d 系列のオンデマンドで、増加はそれぞれの履歴だけから外挿したものです。サマリーの「月ごとの支払い」の節を参照してください。\n", forecast, len(unsized))
	}
	return out
}

// warnings are the series' warnings for the account's verdict, as each
// series' verdict gives them: each said once, naming the series it
// applies to, in the order they first appear.
func (p *Portfolio) warnings() string {
	l := language(p.Lang)
	worder := &Report{Lang: p.Lang}
	var texts []string
	series := map[string][]string{}
	for _, r := range p.Rows {
		var ws []string
		for _, w := range r.Warnings {
			ws = append(ws, worder.note(w, inAccount))
		}
		for _, w := range append(ws, l.stale(p.Today, r.PricesAsOf)) {
			name := l.tr("%s (%s)", "%s（%s）", r.ModelID, r.Region)
			if w == "" || slices.Contains(series[w], name) {
				continue
			}
			if series[w] == nil {
				texts = append(texts, w)
			}
			series[w] = append(series[w], name)
		}
	}
	var out string
	for _, w := range texts {
		names := l.tr("all %d series", "全 %d 系列", len(p.Rows))
		if len(series[w]) < len(p.Rows) || len(p.Rows) == 1 {
			names = strings.Join(series[w], l.word(", ", "、"))
		}
		out += l.tr("Warning for %s: %s.\n", "%sについての注意：%s。\n", names, w)
	}
	return out
}

// savingWords says the saving with its sign in words: "12.94% less" or
// "3% more", the same way round as savings_pct.
func savingWords(l language, r PortfolioRow) string {
	pct := trim(math.Abs(r.SavingsPct()))
	switch {
	case r.Savings() > 0:
		return l.tr("%s%% less", "%s%% 安い", pct)
	case r.Savings() < 0:
		return l.tr("%s%% more", "%s%% 高い", pct)
	}
	return l.tr("the same", "同額")
}

func (p *Portfolio) blocks() []block {
	l := language(p.Lang)
	var bs []block
	add := func(b block) { bs = append(bs, b) }
	add(block{kind: "h1", text: l.tr("bedrockplan: account plan, %d series", "bedrockplan：アカウント全体のプラン（%d 系列）", len(p.Rows))})
	add(block{kind: "h2", text: l.word("Verdict", "結論")})
	for i, v := range splitLines(p.Verdict()) {
		add(block{kind: "p", text: v, strong: i == 0})
	}
	add(block{kind: "h2", text: l.word("Series by saving", "節約額の大きい順")})
	costHead := l.word("Recommended", "推奨")
	if p.Detail == sim.StrategyPlan {
		costHead = l.word("Your plan", "指定プラン")
	}
	header := []string{"#", l.word("Model", "モデル"), l.word("Region", "リージョン"), l.word("Tier", "階層"), l.word("History", "履歴"),
		l.word("On-demand", "オンデマンド"), costHead, l.word("Saving", "節約額"), l.word("Saving %", "節約率"), l.word("Plan", "プラン"), l.word("Report", "レポート")}
	var rows [][]string
	for i, r := range p.ranked() {
		rows = append(rows, []string{strconv.Itoa(i + 1), "`" + r.ModelID + "`", r.Region, r.Tier, l.span(r.History, false), r.OnDemand.String(), r.Cost.String(),
			signedMoney(r.Savings()), trim(r.SavingsPct()) + "%", shortPlan(l, r), r.Folder + "/summary.md"})
	}
	t := p.Total()
	rows = append(rows, []string{"", "**" + l.word("Account", "アカウント合計") + "**", "", "", l.span(t.History, false), t.OnDemand.String(), t.Cost.String(),
		signedMoney(t.Savings()), trim(t.SavingsPct()) + "%", "", ""})
	add(block{kind: "table", header: header, rows: rows})
	add(block{kind: "p", text: l.tr("Each row's costs are over that series' own history (its report folder gives the window); the account row adds them. Saving is on-demand minus the plan: positive when the plan costs less, as in portfolio.csv.",
		"各行の費用はその系列自身の履歴期間のものです（期間は各レポートフォルダーに記載）。アカウント合計はその和です。節約額はオンデマンドからプランを引いた値で、プランの方が安いとき正になります（portfolio.csv と同じ）。")})
	var unsized []string
	for _, r := range p.Rows {
		if !r.Sized {
			// The item names the series; the reason need not again.
			why := (&Report{Lang: p.Lang}).note(r.Note, inAccount)
			item := l.tr("`%s` in %s: %s.", "`%s`（%s）：%s。", r.ModelID, r.Region, why)
			if r.BreakEvenTPM > 0 {
				item += l.tr(" One MU pays for itself from %s tokens a minute on a %s term (%s/breakeven.csv).", "1 MU は %[2]s の期間で毎分 %[1]s トークンから元が取れます（%[3]s/breakeven.csv）。",
					pricing.Thousands(int64(math.Ceil(r.BreakEvenTPM))), l.term(r.BreakEvenTerm), r.Folder)
			}
			if r.ReservedBreakEvenInput > 0 {
				item += l.tr(" A reservation pays at up to $%s input and $%s output per 1K TPM-month (%s/reserved_breakeven.csv).", "予約は 1K TPM・月あたり入力 $%s・出力 $%s までなら元が取れます（%s/reserved_breakeven.csv）。",
					usd2(r.ReservedBreakEvenInput), usd2(r.ReservedBreakEvenOutput), r.Folder)
			}
			unsized = append(unsized, item)
		}
	}
	if len(unsized) > 0 {
		add(block{kind: "h2", text: l.word("Series that could not be sized", "規模を決められなかった系列")})
		add(block{kind: "ul", items: unsized})
	}
	add(block{kind: "img", src: "portfolio.png", caption: l.word("Cost by series and strategy", "系列・戦略ごとの費用")})
	if cf := p.CashFlow; cf != nil {
		add(block{kind: "h2", text: l.word("Cash flow", "月ごとの支払い")})
		c := p.cashFlowTotals()
		add(block{kind: "p", text: l.tr("From %s to %s the account's plans are forecast to bill %s: %s of capacity and %s on-demand (means), against %s buying nothing, %s. The series' cash flows are added month by month in cashflow.csv, whose P10 and P90 are the sums of the series' (as if the series rise and fall together: a cautious range).",
			"%sから%sまで、アカウント全体のプランの請求額は予測で %s（キャパシティ %s、オンデマンド %s、いずれも平均）で、何も買わない場合の %s と比べて%s。各系列の月ごとの支払いを足し合わせたものが cashflow.csv で、その P10・P90 は各系列の値の和です（系列がそろって増減する場合の値で、慎重な幅です）。",
			p.day(cf[0].Start), p.day(cf[len(cf)-1].End), c.plan(), c.capacity, c.overflow, c.stay, savingWords(l, PortfolioRow{OnDemand: c.stay, Cost: c.plan()}))})
		if c.existing > 0 {
			add(block{kind: "p", text: l.tr("Both include the %s the commitments already owned bill over these months, whatever is bought.",
				"どちらにも、何を買っても既存のコミットがこの期間に請求される %s を含みます。", c.existing)})
		}
		for _, b := range p.forecastBlocks() {
			add(b)
		}
		add(block{kind: "img", src: "cashflow.png", caption: l.word("Cash flow by month", "月ごとの支払い")})
	}
	add(block{kind: "h2", text: l.word("Files", "ファイル")})
	add(block{kind: "ul", items: []string{
		l.tr("`portfolio.csv`: one row per series and the `ALL` row of sums.", "`portfolio.csv`：系列ごとに 1 行と、合計の `ALL` 行。"),
		l.tr("`commitments.csv`: every commitment the plan buys, as a purchase order.", "`commitments.csv`：プランが購入するすべてのコミットメント（発注書の形式）。"),
		l.tr("One folder per series: its complete report (summary, CSV files, charts, plan.yaml).", "系列ごとのフォルダー：その系列の完全なレポート（サマリー、CSV、グラフ、plan.yaml）。"),
	}})
	add(block{kind: "h2", text: l.word("Reproduce", "再現方法")})
	add(block{kind: "pre", text: p.CommandLine})
	if p.Version != "" {
		add(block{kind: "p", text: l.tr("bedrockplan %s.", "bedrockplan %s。", p.Version)})
	}
	return bs
}

// signedMoney writes a saving with its sign: +$1,234.56 or −$1,234.56.
func signedMoney(m pricing.Money) string {
	if m < 0 {
		return "−" + (-m).String()
	}
	return "+" + m.String()
}

func splitLines(s string) []string {
	var out []string
	start := 0
	for i := range len(s) {
		if s[i] == '\n' {
			if i > start {
				out = append(out, s[start:i])
			}
			start = i + 1
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

// day is a UTC date in the account's language, as a series' summary
// words its dates.
func (p *Portfolio) day(t time.Time) string { return (&Report{Lang: p.Lang}).day(t.UTC()) }

// cashFlowTotals are the account's cash flow over its months, as
// cashflow.csv states each month (to the cent): capacity, on-demand
// (means), buying nothing (means) and the existing commitments' part.
type cashFlowTotals struct{ capacity, overflow, stay, existing pricing.Money }

func (c cashFlowTotals) plan() pricing.Money { return c.capacity + c.overflow }

func (p *Portfolio) cashFlowTotals() cashFlowTotals { return cashFlowTotalsOf(p.CashFlow) }

// cashFlowTotalsOf adds up months as cashflow.csv states each (to the
// cent): the one sum behind every cash-flow total a summary prints.
func cashFlowTotalsOf(months []sim.CashFlowMonth) cashFlowTotals {
	var c cashFlowTotals
	for _, m := range months {
		c.existing += pricing.FromUSD(cents(m.Existing))
		c.capacity += pricing.FromUSD(capacityCents(m))
		c.overflow += pricing.FromUSD(cents(m.Overflow.Mean))
		c.stay += pricing.FromUSD(cents(m.Stay.Mean))
	}
	return c
}

// forecastBlocks are the account cash flow's forecast on-demand by
// series: how fast each series' forecast grows and how much of the
// account's on-demand it makes, and how much comes from series with
// nothing sized, whose months rest on their history's growth alone.
func (p *Portfolio) forecastBlocks() []block {
	l := language(p.Lang)
	t := p.Total()
	if t.CashFlowOnDemand <= 0 {
		return nil
	}
	rows := slices.Clone(p.Rows)
	slices.SortStableFunc(rows, func(a, b PortfolioRow) int { return cmp.Compare(b.CashFlowOnDemand, a.CashFlowOnDemand) })
	share := func(m pricing.Money) string { return trim(100*float64(m)/float64(t.CashFlowOnDemand)) + "%" }
	var table [][]string
	var unsized pricing.Money
	for _, r := range rows {
		if r.Growth == nil {
			continue
		}
		lo, hi := r.Growth.GrowthInterval(0.8)
		sized := l.word("yes", "はい")
		if !r.Sized {
			sized = l.word("no", "いいえ")
			unsized += r.CashFlowOnDemand
		}
		doubles := "–"
		if d := r.Growth.DoublingWeeks(); d > 0 {
			doubles = l.tr("%s weeks", "%s 週", strconv.FormatFloat(d, 'f', 1, 64))
		}
		table = append(table, []string{"`" + r.ModelID + "`", r.Region, sized, l.tr("%s%% (%s%% to %s%%)", "%s%%（%s%%〜%s%%）", trim(100*r.Growth.WeeklyGrowth()), trim(100*lo), trim(100*hi)),
			doubles, r.CashFlowOnDemand.String(), share(r.CashFlowOnDemand)})
	}
	bs := []block{{kind: "p", text: l.tr("The forecast on-demand by series: what each series' plan still pays on-demand (the overflow above its capacity, or all its traffic when it buys none), in scenarios generated from its own forecast, whose weekly growth (80%% interval) its summary states; means added up month by month, each to the cent (portfolio.csv: forecast_growth_per_hour, forecast_growth_se, cash_flow_on_demand_usd).",
		"系列ごとの予測オンデマンド：各系列のプランがなおオンデマンドで支払う額（キャパシティを超えた分、何も買わない系列ではすべて）を、その系列自身の予測から生成したシナリオで求めたものです。週あたりの増加率（80%% 区間）は各系列のサマリーにあります。月ごとの平均（各月セント単位）の和です（portfolio.csv：forecast_growth_per_hour、forecast_growth_se、cash_flow_on_demand_usd）。")},
		{kind: "table", header: []string{l.word("Model", "モデル"), l.word("Region", "リージョン"), l.word("Sized", "容量算定"), l.word("Weekly growth (80% interval)", "週あたりの増加（80% 区間）"),
			l.word("Doubles every", "倍増までの期間"), l.word("On-demand, forecast (means)", "予測オンデマンド（平均）"), l.word("Share", "割合")}, rows: table}}
	if unsized > 0 {
		bs = append(bs, block{kind: "p", text: l.tr("%s of the %s forecast on-demand (%s) is that of series that could not be sized: it extrapolates the growth of their history alone, with no commitment of theirs at stake, but it is in the budget all the same.",
			"予測オンデマンド %[2]s のうち %[1]s（%[3]s）は規模を決められなかった系列の予測です。その履歴だけから増加を外挿したもので、コミットはかかっていませんが、予算には含まれます。", unsized.String(), t.CashFlowOnDemand.String(), share(unsized))})
	}
	return bs
}

// optional writes v with the given decimals (-1: as many as it needs),
// or nothing when it is 0 (not applicable).
func optional(v float64, decimals int) string {
	if v == 0 {
		return ""
	}
	return strconv.FormatFloat(v, 'f', decimals, 64)
}

// shortPlan says what a series' plan holds in a few words, for the
// account's table; its folder's summary gives the plan in full.
func shortPlan(l language, r PortfolioRow) string {
	var parts []string
	if r.ReservedInputTPM > 0 || r.ReservedOutputTPM > 0 {
		parts = append(parts, l.tr("Reserved %s in / %s out TPM", "予約 入力 %s・出力 %s TPM", SI(r.ReservedInputTPM), SI(r.ReservedOutputTPM)))
	}
	if r.CommittedMU > 0 {
		parts = append(parts, l.tr("%d MU %s", "%d MU（%s）", r.CommittedMU, l.term(r.CommittedTerm)))
	}
	if r.ScheduledMUHours > 0 {
		parts = append(parts, l.tr("scheduled no-commit PT", "時間帯指定のコミットなし PT"))
	}
	if len(parts) == 0 {
		return l.word("all on-demand", "すべてオンデマンド")
	}
	return strings.Join(parts, " + ") + l.tr(", overflow on-demand", "、溢れはオンデマンド")
}
