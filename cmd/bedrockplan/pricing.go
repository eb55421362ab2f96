package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	sdkpricing "github.com/aws/aws-sdk-go-v2/service/pricing"
	"gopkg.in/yaml.v3"

	"github.com/bedrockplan/bedrockplan/internal/atomicfile"
	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/pricing/pricelist"
	"github.com/bedrockplan/bedrockplan/reports"
	"github.com/bedrockplan/bedrockplan/sim"
)

// pricingCommands are the subcommands of pricing, in the order its help
// lists them.
func pricingCommands() []command {
	return []command{
		{"list", "list the catalogue: every model and region with its prices and MU throughput", runPricingList},
		{"show", "show one model's prices, quotas, lifecycle and MU throughput, each with its source and date", runPricingShow},
		{"update", "build a catalogue override (prices.yaml) from the AWS Price List API", runPricingUpdate},
		{"diff", "show every field an override changes in the catalogue", runPricingDiff},
	}
}

// pricingUsage is the help of pricing itself.
func pricingUsage() string {
	var b strings.Builder
	b.WriteString(`Usage:
  bedrockplan pricing list [--pricing FILE]
  bedrockplan pricing show MODEL [--pricing FILE]
  bedrockplan pricing update --region REGION --out FILE
  bedrockplan pricing diff FILE [--pricing FILE]

Subcommands:
`)
	for _, c := range pricingCommands() {
		fmt.Fprintf(&b, "  %-7s %s\n", c.name, c.summary)
	}
	b.WriteString("\nRun 'bedrockplan pricing SUBCOMMAND -h' for its flags and an example.\n")
	return b.String()
}

// runPricing dispatches the pricing subcommands.
func runPricing(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usagef("pricing: which subcommand? list, show MODEL, update or diff FILE; 'bedrockplan pricing -h' says what each does")
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		return helpError{pricingUsage()}
	}
	return runFrom(ctx, pricingCommands(), args, stdout, stderr, func(unknown, names string) string {
		return "pricing: " + strings.Replace(unknown, "command", "subcommand", 1) + "; the subcommands are " + names
	})
}

// pricingFlag adds --pricing FILE to a pricing subcommand.
func pricingFlag(fs *flag.FlagSet) *string {
	return fs.String("pricing", "", "YAML catalogue `FILE` merged over the embedded one")
}

func runPricingList(_ context.Context, args []string, stdout, _ io.Writer) error {
	fs := newFlagSet("pricing list", "Lists the models in the catalogue: each region's on-demand, PT and Reserved prices, lifecycle and MU throughput.",
		"bedrockplan pricing list --pricing prices.yaml")
	path := pricingFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	cat, err := loadCatalogue(*path)
	if err != nil {
		return err
	}
	return listCatalogue(cat, stdout)
}

func runPricingShow(_ context.Context, args []string, stdout, _ io.Writer) error {
	fs := newFlagSet("pricing show", "Shows one model's prices, quotas, lifecycle and MU throughput, each with its source and date, as the\ncatalogue YAML has them (a start for a --pricing FILE).",
		"bedrockplan pricing show meta.llama3-1-70b-instruct-v1:0")
	withArgs(fs, "MODEL")
	path := pricingFlag(fs)
	rest, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(rest) == 0:
		return usagef("pricing show: which model? e.g. bedrockplan pricing show meta.llama3-1-70b-instruct-v1:0")
	case len(rest) > 1:
		return usagef("pricing show: one model at a time, not %q and %q", rest[0], rest[1])
	}
	model := rest[0]
	cat, err := loadCatalogue(*path)
	if err != nil {
		return err
	}
	m, ok := cat.Models[model]
	if !ok {
		_, err := cat.Lookup(model, "")
		return err
	}
	fmt.Fprintf(stdout, "# %s (catalogue as of %s)\n", model, cat.AsOf)
	enc := yaml.NewEncoder(stdout)
	enc.SetIndent(2)
	if err := enc.Encode(map[string]*pricing.Model{model: m}); err != nil {
		return err
	}
	return enc.Close()
}

// runPricingDiff is the pricing diff subcommand.
func runPricingDiff(_ context.Context, args []string, stdout, _ io.Writer) error {
	fs := newFlagSet("pricing diff", "Shows every field an override changes in the catalogue, one line each: prices (with the change in percent),\n"+
		"MU throughput, quotas, lifecycle, Reserved minimums, and the source and date of each. The override is compared\n"+
		"with the embedded catalogue, or with the embedded one merged with --pricing FILE (the catalogue you plan with now).",
		"bedrockplan pricing diff prices.yaml")
	withArgs(fs, "FILE")
	basePath := fs.String("pricing", "", "catalogue `FILE` to compare against, merged over the embedded one (default: the embedded one alone)")
	rest, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(rest) == 0:
		return usagef("pricing diff: which file? e.g. bedrockplan pricing diff prices.yaml")
	case len(rest) > 1:
		return usagef("pricing diff: one file at a time, not %q and %q (--pricing FILE names the catalogue to compare against)", rest[0], rest[1])
	}
	base, err := loadCatalogue(*basePath)
	if err != nil {
		return err
	}
	against := fmt.Sprintf("the embedded catalogue (as of %s)", pricing.Default().AsOf)
	if *basePath != "" {
		against = fmt.Sprintf("the embedded catalogue with %s (as of %s)", *basePath, base.AsOf)
	}
	over, err := pricing.Load(rest[0])
	if err != nil {
		return err
	}
	changes := pricing.Diff(base, over)
	if len(changes) == 0 {
		fmt.Fprintf(stdout, "%s changes nothing in %s.\n", rest[0], against)
		return nil
	}
	fmt.Fprintf(stdout, "%s against %s: %d changes\n", rest[0], against, len(changes))
	for _, c := range changes {
		fmt.Fprintf(stdout, "  %s\n", c)
	}
	return nil
}

func listCatalogue(cat *pricing.Catalogue, w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "MODEL\tREGION\tLIFECYCLE\tON-DEMAND IN/OUT PER 1M\tPT PER MU-HOUR none/1mo/6mo\tRESERVED IN/OUT PER 1K TPM-MONTH\tMU THROUGHPUT")
	for _, id := range cat.ModelIDs() {
		m := cat.Models[id]
		for _, rn := range m.RegionNames() {
			o, err := cat.Lookup(id, rn)
			if err != nil {
				return err
			}
			od := "–"
			if o.OnDemand.InputPer1M != nil && o.OnDemand.OutputPer1M != nil {
				od = fmt.Sprintf("$%s / $%s", strconv.FormatFloat(o.OnDemand.InputPer1M.USD, 'f', -1, 64), strconv.FormatFloat(o.OnDemand.OutputPer1M.USD, 'f', -1, 64))
			}
			var pt []string
			for _, t := range pricing.ProductPT.Terms() {
				if o.PTNotSold != nil {
					pt = append(pt, "not sold")
					continue
				}
				if p, ok := o.PT[t]; ok {
					pt = append(pt, "$"+strconv.FormatFloat(p.USD, 'f', 2, 64))
				} else {
					pt = append(pt, "–")
				}
			}
			life := o.Lifecycle.Status
			if o.Lifecycle.EOL != "" {
				life += " " + o.Lifecycle.EOL
			}
			tp := string(o.Throughput.Provenance)
			if o.Throughput.Known() {
				tp = fmt.Sprintf("%s in / %s out (%s)", reports.SI(o.Throughput.InputTPM), reports.SI(o.Throughput.OutputTPM), o.Throughput.Provenance)
			}
			res := "–"
			if o.Reserved != nil {
				res = "prices unknown"
				var rs []string
				for _, t := range o.ReservedTerms() {
					in, out, _ := o.ReservedPrice(t)
					rs = append(rs, fmt.Sprintf("%s $%s / $%s", sim.TermLabel(t), strconv.FormatFloat(in*1000, 'f', -1, 64), strconv.FormatFloat(out*1000, 'f', -1, 64)))
				}
				if len(rs) > 0 {
					res = strings.Join(rs, ", ")
				}
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", id, rn, life, od, strings.Join(pt, " / "), res, tp)
		}
	}
	fmt.Fprintf(tw, "\nCatalogue as of %s. MU throughput is not published by AWS; give it with --mu-input-tpm/--mu-output-tpm or --pricing FILE.\n", cat.AsOf)
	return tw.Flush()
}

// runPricingUpdate is `pricing update`: prices.yaml from the Price List API.
func runPricingUpdate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("pricing update", "Builds a catalogue override from the AWS Price List API (on-demand input and output, cache, batch,\nPT per term where listed), with source \"AWS Price List API\" and today's date.",
		"bedrockplan pricing update --region us-east-1 --out prices.yaml")
	var af awsFlags
	af.register(fs, "model `REGION` whose prices to read (required)",
		"`URL` of the Price List API endpoint", defaultAWSTimeout)
	out := fs.String("out", "", "YAML `FILE` to write (required)")
	force := fs.Bool("force", false, "replace an existing --out file")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := af.check(fs.Name()); err != nil {
		return err
	}
	if af.region == "" || *out == "" {
		return usagef("pricing update: --region and --out are required")
	}
	if _, err := os.Stat(*out); err == nil && !*force {
		return fmt.Errorf("%s exists; add --force to replace it", *out)
	}
	cfg, err := af.load(ctx)
	if err != nil {
		return fmt.Errorf("AWS configuration: %w", err)
	}
	priceRegion := pricelist.Endpoint(af.region)
	pc := sdkpricing.NewFromConfig(cfg, func(o *sdkpricing.Options) {
		o.Region = priceRegion
		o.BaseEndpoint = pick(af.baseEndpoint(), o.BaseEndpoint)
	})
	cat := pricing.Default()
	over, unmatched, err := priceUpdate(ctx, pc, cat, af.region, time.Now().UTC())
	if err != nil {
		return err
	}
	b, err := yaml.Marshal(over)
	if err != nil {
		return err
	}
	// Checked again under the lock: another run may have written it
	// while this one read the Price List.
	err = atomicfile.Write(*out, *force, func(w *bufio.Writer) error {
		_, err := w.Write(append([]byte("# Prices from the AWS Price List API: use with --pricing.\n"), b...))
		return err
	})
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("%s exists; add --force to replace it", *out)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Read prices for %d models in %s (Price List endpoint in %s).\n", len(over.Models), af.region, priceRegion)
	for _, u := range unmatched {
		fmt.Fprintf(stdout, "  not matched to a model: %s\n", u)
	}
	printPriceChanges(stdout, pricing.Diff(cat, over), *out)
	fmt.Fprintf(stdout, "Wrote %s.\n", *out)
	return nil
}

// printPriceChanges prints what an override read from the Price List
// changes in the catalogue: each changed figure on a line, and how many
// sources and dates it restamps (every price it reads is stamped "AWS
// Price List API" and today), which `pricing diff FILE` lists.
func printPriceChanges(w io.Writer, changes []pricing.Change, file string) {
	stamps := 0
	for _, c := range changes {
		if c.Provenance() {
			stamps++
			continue
		}
		fmt.Fprintf(w, "  %s\n", c)
	}
	if stamps > 0 {
		fmt.Fprintf(w, "  and %d sources and dates restamped (bedrockplan pricing diff %s lists every change)\n", stamps, file)
	}
}
