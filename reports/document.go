package reports

import (
	"encoding/base64"
	"fmt"
	"html"
	"io"
	"strings"
)

// block is one piece of a summary: a heading, a paragraph, a list, a
// table or an image. Summaries are built once as blocks and rendered to
// Markdown and HTML, so both say the same.
type block struct {
	kind    string // "h1", "h2", "p", "ul", "table", "img", "pre"
	text    string
	items   []string
	header  []string
	rows    [][]string
	src     string // image file name in the folder
	caption string
	strong  bool // a paragraph to stand out (the verdict)
}

// renderMarkdown writes blocks as Markdown with relative image links.
func renderMarkdown(w io.Writer, blocks []block) error {
	var b strings.Builder
	for _, bl := range blocks {
		switch bl.kind {
		case "h1":
			fmt.Fprintf(&b, "# %s\n\n", bl.text)
		case "h2":
			fmt.Fprintf(&b, "## %s\n\n", bl.text)
		case "p":
			if bl.strong {
				fmt.Fprintf(&b, "**%s**\n\n", bl.text)
			} else {
				fmt.Fprintf(&b, "%s\n\n", bl.text)
			}
		case "ul":
			for _, it := range bl.items {
				fmt.Fprintf(&b, "- %s\n", it)
			}
			b.WriteString("\n")
		case "table":
			fmt.Fprintf(&b, "| %s |\n|%s\n", strings.Join(bl.header, " | "), strings.Repeat("---|", len(bl.header)))
			for _, r := range bl.rows {
				fmt.Fprintf(&b, "| %s |\n", strings.Join(escapeCells(r), " | "))
			}
			b.WriteString("\n")
		case "img":
			fmt.Fprintf(&b, "![%s](%s)\n\n", bl.caption, bl.src)
		case "pre":
			fmt.Fprintf(&b, "```\n%s\n```\n\n", bl.text)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func escapeCells(r []string) []string {
	out := make([]string, len(r))
	for i, c := range r {
		out[i] = strings.ReplaceAll(c, "|", "\\|")
	}
	return out
}

// htmlStyle keeps the page readable on screen and printable on A4: one
// column, tables that fit, images that scale, page breaks before charts
// only when needed. In print no paragraph or list item leaves a line or
// two behind, and the last section (Reproduce: a heading, a command and
// a short list) moves to a new page whole rather than leave a lone line
// on the last one. That takes the section's own element: Chromium did
// not keep the heading, command and list together by break-before:
// avoid between them once a chart stood before the heading.
const htmlStyle = `
@page { size: A4; margin: 16mm 14mm; }
:root { color-scheme: light; }
body { font-family: "Helvetica Neue", Arial, "Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic", sans-serif; color: #1a1a1a;
  max-width: 60rem; margin: 2rem auto; padding: 0 1.2rem; line-height: 1.5; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 2px solid #0072B2; padding-bottom: .2rem; }
p.verdict { font-size: 1.05rem; background: #eef5fb; border-left: 5px solid #0072B2; padding: .6rem .9rem; margin: .4rem 0; }
table { border-collapse: collapse; width: 100%; font-size: .85rem; margin: .6rem 0 1rem; }
th, td { border: 1px solid #c8c8c8; padding: .25rem .45rem; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
figure { margin: 1rem 0; break-inside: avoid; }
figure img { max-width: 100%; height: auto; border: 1px solid #e0e0e0; }
figcaption { font-size: .8rem; color: #555; }
pre { background: #f6f6f6; padding: .6rem; overflow-x: auto; font-size: .8rem; white-space: pre-wrap; word-break: break-all; }
ul { padding-left: 1.3rem; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } table { break-inside: auto; } tr { break-inside: avoid; }
  p, li { orphans: 3; widows: 3; } li, pre { break-inside: avoid; } section:last-of-type { break-inside: avoid; } }
`

// renderHTML writes blocks as one self-contained page: inline CSS,
// images as data URIs, no scripts, nothing fetched.
func renderHTML(w io.Writer, blocks []block, lang, title string, images map[string][]byte) error {
	var b strings.Builder
	fmt.Fprintf(&b, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>%s</title>\n<style>%s</style>\n</head>\n<body>\n",
		lang, html.EscapeString(title), htmlStyle)
	// Each h2 opens a section that runs to the next, so that print rules
	// can hold one together.
	inSection := false
	for _, bl := range blocks {
		switch bl.kind {
		case "h1":
			fmt.Fprintf(&b, "<h1>%s</h1>\n", inline(bl.text))
		case "h2":
			if inSection {
				b.WriteString("</section>\n")
			}
			inSection = true
			fmt.Fprintf(&b, "<section>\n<h2>%s</h2>\n", inline(bl.text))
		case "p":
			if bl.strong {
				fmt.Fprintf(&b, "<p class=\"verdict\">%s</p>\n", inline(bl.text))
			} else {
				fmt.Fprintf(&b, "<p>%s</p>\n", inline(bl.text))
			}
		case "ul":
			b.WriteString("<ul>\n")
			for _, it := range bl.items {
				fmt.Fprintf(&b, "<li>%s</li>\n", inline(it))
			}
			b.WriteString("</ul>\n")
		case "table":
			b.WriteString("<table>\n<thead><tr>")
			for _, h := range bl.header {
				fmt.Fprintf(&b, "<th>%s</th>", inline(h))
			}
			b.WriteString("</tr></thead>\n<tbody>\n")
			for _, r := range bl.rows {
				b.WriteString("<tr>")
				for _, c := range r {
					class := ""
					if numeric(c) {
						class = ` class="num"`
					}
					fmt.Fprintf(&b, "<td%s>%s</td>", class, inline(c))
				}
				b.WriteString("</tr>\n")
			}
			b.WriteString("</tbody>\n</table>\n")
		case "img":
			data, ok := images[bl.src]
			if !ok {
				continue
			}
			fmt.Fprintf(&b, "<figure><img src=\"data:image/png;base64,%s\" alt=\"%s\"><figcaption>%s (%s)</figcaption></figure>\n",
				base64.StdEncoding.EncodeToString(data), html.EscapeString(bl.caption), html.EscapeString(bl.caption), html.EscapeString(bl.src))
		case "pre":
			fmt.Fprintf(&b, "<pre>%s</pre>\n", html.EscapeString(bl.text))
		}
	}
	if inSection {
		b.WriteString("</section>\n")
	}
	b.WriteString("</body>\n</html>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// inline escapes text and turns `code` and **bold** into HTML.
func inline(s string) string {
	s = html.EscapeString(s)
	for _, m := range []struct{ mark, open, close string }{{"`", "<code>", "</code>"}, {"**", "<strong>", "</strong>"}} {
		for {
			i := strings.Index(s, m.mark)
			if i < 0 {
				break
			}
			j := strings.Index(s[i+len(m.mark):], m.mark)
			if j < 0 {
				break
			}
			j += i + len(m.mark)
			s = s[:i] + m.open + s[i+len(m.mark):j] + m.close + s[j+len(m.mark):]
		}
	}
	return s
}

// numeric reports whether a cell reads as a number or amount (right
// aligned in HTML).
func numeric(c string) bool {
	c = strings.TrimSpace(c)
	if c == "" {
		return false
	}
	c = strings.TrimLeft(c, "+-$¥")
	for _, r := range c {
		if !strings.ContainsRune("0123456789.,%KMB ", r) {
			return false
		}
	}
	return true
}
