package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/bedrockplan/bedrockplan/reports"
)

// runReport renders a report folder's summaries and charts again from its
// data files alone: the proof that a report is reproducible from what it
// holds, and the way to get it in another language.
func runReport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("report", "Renders summary.html, summary.md, columns.md and the charts of a report folder again from its CSV files,\n"+
		"plan.yaml and pricing.yaml alone. Other files of the folder are copied as they are. Every sentence, notes\n"+
		"and warnings included, is worded again in --lang from the facts the CSV files keep, and assumptions.csv\n"+
		"then says the folder's language is --lang.",
		"bedrockplan report --from bedrockplan-demo --out bedrockplan-demo-ja --lang ja")
	from := fs.String("from", "", "report folder `DIR` to read (written by demo, simulate or recommend)")
	out := fs.String("out", "", "folder `DIR` to write (default: --from itself, replaced atomically)")
	lang := fs.String("lang", "", "`LANG` of the summaries: en or ja (default: the report's own)")
	force := fs.Bool("force", false, "replace --out if it exists and is not empty")
	fontFile := fs.String("font", "", fontUsage)
	if err := parse(fs, args); err != nil {
		return err
	}
	if *from == "" {
		return usagef("report: --from DIR is required")
	}
	if *lang != "" && *lang != reports.LangEnglish && *lang != reports.LangJapanese {
		return usagef("report: --lang %q: want en or ja", *lang)
	}
	if reports.IsPortfolio(*from) {
		return renderPortfolio(ctx, *from, *out, *lang, *fontFile, *force, stdout)
	}
	r, err := reports.LoadReport(*from)
	if err != nil {
		return fmt.Errorf("report --from %s: %w", *from, err)
	}
	if *lang != "" {
		r.Lang = *lang
	}
	if r.ChartFont, err = chartFont(r.Lang, *fontFile); err != nil {
		return err
	}
	target, replace, inPlace, err := reportTarget(*from, *out, *force)
	if err != nil {
		return err
	}
	var protect []string
	if !inPlace {
		protect = []string{*from} // --out par --from par/rep must not delete rep
	}
	folder, err := reports.CreateFolder(target, replace, protect...)
	if err != nil {
		return err
	}
	defer folder.Abort()
	names, err := copyFolder(folder, *from, "")
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return interrupted(err, target)
	}
	if err := r.Render(folder); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return interrupted(err, target)
	}
	if err := folder.Commit(); err != nil {
		return err
	}
	fmt.Fprint(stdout, r.Verdict())
	fmt.Fprintf(stdout, "\nReport rendered from %s to %s: %s\n", *from, target, strings.Join(names, ", "))
	return nil
}

// renderPortfolio renders an account's folder again: every series'
// folder, as a series' report is rendered, then the account's summary.
func renderPortfolio(ctx context.Context, from, out, lang, fontFile string, force bool, stdout io.Writer) error {
	p, err := reports.LoadPortfolio(from)
	if err != nil {
		return fmt.Errorf("report --from %s: %w", from, err)
	}
	series := make([]*reports.Report, len(p.Rows))
	for i, row := range p.Rows {
		if series[i], err = reports.LoadReport(filepath.Join(from, row.Folder)); err != nil {
			return fmt.Errorf("report --from %s: %w", from, err)
		}
	}
	if lang != "" {
		p.Lang = lang
	}
	if p.ChartFont, err = chartFont(p.Lang, fontFile); err != nil {
		return err
	}
	target, replace, inPlace, err := reportTarget(from, out, force)
	if err != nil {
		return err
	}
	var protect []string
	if !inPlace {
		protect = []string{from}
	}
	folder, err := reports.CreateFolder(target, replace, protect...)
	if err != nil {
		return err
	}
	defer folder.Abort()
	if _, err := copyFolder(folder, from, ""); err != nil {
		return err
	}
	for i, r := range series {
		if err := ctx.Err(); err != nil {
			return interrupted(err, target)
		}
		r.Lang, r.ChartFont = p.Lang, p.ChartFont
		sub, err := folder.Sub(p.Rows[i].Folder)
		if err != nil {
			return err
		}
		if err := r.Render(sub); err != nil {
			return fmt.Errorf("%s: %w", p.Rows[i].Folder, err)
		}
	}
	if err := p.Render(folder); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return interrupted(err, target)
	}
	if err := folder.Commit(); err != nil {
		return err
	}
	fmt.Fprint(stdout, p.Verdict())
	fmt.Fprintf(stdout, "\nReport rendered from %s to %s: %s, and the %d series' folders\n", from, target, strings.Join(p.Files(), ", "), len(p.Rows))
	return nil
}
