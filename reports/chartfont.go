package reports

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"golang.org/x/image/font/sfnt"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
)

// ChartFont is a font with Japanese glyphs that charts are drawn with when
// the report is in Japanese. The embedded Liberation fonts that gonum/plot
// draws with by default have none, so Japanese charts need one from the
// system (or --font).
type ChartFont struct {
	// Path is the file it was read from.
	Path    string
	handler text.Handler
}

// japaneseSample is text every chart label in Japanese is made of: kana,
// common kanji and full-width punctuation.
const japaneseSample = "日本語の需要と費用（米ドル）：時間帯指定オンデマンドコミット推奨月火水木金土曜"

// LoadChartFont reads a TrueType or OpenType font, or the first font of a
// collection (.ttc), and checks that it has Japanese glyphs.
func LoadChartFont(path string) (*ChartFont, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--font: %w", err)
	}
	var f *sfnt.Font
	if ext := strings.ToLower(filepath.Ext(path)); ext == ".ttc" || ext == ".otc" {
		c, err := sfnt.ParseCollection(data)
		if err != nil {
			return nil, fmt.Errorf("--font %s: not a font collection: %v", path, err)
		}
		if f, err = c.Font(0); err != nil {
			return nil, fmt.Errorf("--font %s: %v", path, err)
		}
	} else if f, err = sfnt.Parse(data); err != nil {
		return nil, fmt.Errorf("--font %s: not a TrueType or OpenType font: %v", path, err)
	}
	var buf sfnt.Buffer
	for _, r := range japaneseSample {
		if i, err := f.GlyphIndex(&buf, r); err != nil || i == 0 {
			return nil, fmt.Errorf("--font %s has no glyph for %q: choose a font with Japanese glyphs (e.g. Debian's fonts-ipafont-gothic, /usr/share/fonts/opentype/ipafont-gothic/ipagp.ttf)", path, r)
		}
	}
	// A cache holding only this face, under the names gonum/plot's text
	// styles ask for (Liberation Sans by default), so every lookup finds it.
	var coll font.Collection
	for _, variant := range []font.Variant{"Sans", "Serif", "Mono", ""} {
		coll = append(coll, font.Face{Font: font.Font{Typeface: plot.DefaultFont.Typeface, Variant: variant}, Face: f})
	}
	cache := font.NewCache(coll)
	return &ChartFont{Path: path, handler: text.Plain{Fonts: cache}}, nil
}

// chartFontPaths are where fonts with Japanese glyphs usually are: Debian
// and Ubuntu packages (IPA, Noto CJK, VL Gothic, Takao), macOS, Windows.
var chartFontPaths = []string{
	"/usr/share/fonts/opentype/ipafont-gothic/ipagp.ttf",
	"/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf",
	"/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
	"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
	"/usr/share/fonts/truetype/vlgothic/VL-PGothic-Regular.ttf",
	"/usr/share/fonts/truetype/takao-gothic/TakaoPGothic.ttf",
	"/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
	"/System/Library/Fonts/ヒラギノ角ゴシック W3.ttc",
	"/Library/Fonts/Arial Unicode.ttf",
	`C:\Windows\Fonts\meiryo.ttc`,
	`C:\Windows\Fonts\msgothic.ttc`,
}

// FindChartFont returns the first usable font of the usual locations, or
// nil when there is none.
func FindChartFont() *ChartFont {
	for _, p := range chartFontPaths {
		if runtime.GOOS != "windows" && strings.HasPrefix(p, `C:\`) {
			continue
		}
		if f, err := LoadChartFont(p); err == nil {
			return f
		}
	}
	return nil
}

// ChartText is the language charts are written in and the font they are
// drawn with. The zero value is English in the embedded fonts.
type ChartText struct {
	lang language
	font *ChartFont
}

// chartText: charts follow the report's language when there is a font
// to draw it with, and stay in English otherwise.
func (r *Report) chartText() ChartText {
	if r.Lang == LangJapanese && r.ChartFont != nil {
		return ChartText{lang: LangJapanese, font: r.ChartFont}
	}
	return ChartText{lang: LangEnglish}
}

func (c ChartText) tr(en, ja string, args ...any) string { return c.lang.tr(en, ja, args...) }

// style draws a text style in the chart's font.
func (c ChartText) style(s *text.Style) {
	if c.font != nil {
		s.Handler = c.font.handler
	}
}

// styled applies the chart's font to every text of p.
func (c ChartText) styled(p *plot.Plot) *plot.Plot {
	if c.font != nil {
		p.TextHandler = c.font.handler
		for _, s := range []*text.Style{&p.Title.TextStyle, &p.X.Label.TextStyle, &p.Y.Label.TextStyle, &p.X.Tick.Label, &p.Y.Tick.Label, &p.Legend.TextStyle} {
			c.style(s)
		}
	}
	return p
}

// strategy names a strategy for a chart: capitalised in English.
func (c ChartText) strategy(name string) string {
	if c.lang == LangJapanese {
		return c.lang.strategyName(name)
	}
	return name
}

// weekday is a day's short name.
func (c ChartText) weekday(d time.Weekday) string {
	if c.lang == LangJapanese {
		return jaDays[d]
	}
	return d.String()[:3]
}

// date formats a day tick: with the weekday, the month or the year.
func (c ChartText) date(t time.Time, weekday, month, year bool) string {
	if c.lang == LangJapanese {
		s := fmt.Sprintf("%d日", t.Day())
		if month || year {
			s = fmt.Sprintf("%d月%d日", t.Month(), t.Day())
		}
		if year {
			s = fmt.Sprintf("%d年", t.Year()) + s
		}
		if weekday {
			s += "(" + jaDays[t.Weekday()] + ")"
		}
		return s
	}
	switch {
	case weekday && year:
		return t.Format("Mon 2 Jan 2006")
	case weekday && month:
		return t.Format("Mon 2 Jan")
	case weekday:
		return t.Format("Mon 2")
	case year:
		return t.Format("2 Jan 2006")
	}
	return t.Format("2 Jan")
}

// month names a calendar month: "Dec 2026", or 2026年12月.
func (c ChartText) month(t time.Time) string {
	if c.lang == LangJapanese {
		return fmt.Sprintf("%d年%d月", t.Year(), t.Month())
	}
	return t.Format("Jan 2006")
}
