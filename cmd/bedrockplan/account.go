package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	sdkbedrock "github.com/aws/aws-sdk-go-v2/service/bedrock"
	sdkpricing "github.com/aws/aws-sdk-go-v2/service/pricing"
	sdkquotas "github.com/aws/aws-sdk-go-v2/service/servicequotas"
	"gopkg.in/yaml.v3"

	"github.com/bedrockplan/bedrockplan/bedrock"
	"github.com/bedrockplan/bedrockplan/pricing"
	"github.com/bedrockplan/bedrockplan/pricing/pricelist"
	"github.com/bedrockplan/bedrockplan/pricing/servicequotas"
	"github.com/bedrockplan/bedrockplan/reports"
	"github.com/bedrockplan/bedrockplan/workload"
)

func runAccount(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("account", "Reads what the account says about Bedrock, for planning with real inputs: applied on-demand quotas\n"+
		"(quotas.yaml, for --account-quotas), existing Provisioned Throughput (existing*.yaml, for --existing; idle PTs\n"+
		"flagged with --metrics), current prices from the AWS Price List API (prices.yaml, for --pricing) and model\n"+
		"lifecycle (lifecycle.yaml, for --pricing). Each part runs on its own; a missing permission is named.",
		"bedrockplan account --region us-east-1 --metrics metrics.csv --out account")
	var af awsFlags
	af.register(fs, "AWS `REGION` (required)",
		"`URL` of one endpoint for every service (tests, emulators); AWS_ENDPOINT_URL_<SERVICE> also works", defaultAWSTimeout)
	metrics := fs.String("metrics", "", "metrics CSV `FILE` fetched with --provisioned, to flag PTs that carried no traffic")
	dryRun := fs.Bool("dry-run", false, "list the calls it would make; send nothing")
	out := fs.String("out", "", "folder `DIR` to write (required)")
	force := fs.Bool("force", false, "replace a non-empty --out folder")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := af.check(fs.Name()); err != nil {
		return err
	}
	if af.region == "" {
		return usagef("account: --region is required")
	}
	priceRegion := pricelist.Endpoint(af.region)
	if *dryRun {
		fmt.Fprintf(stdout, "Dry run: nothing is sent. The calls, in %s:\n", af.region)
		fmt.Fprintf(stdout, "  servicequotas:ListServiceQuotas (service code bedrock), all pages\n")
		fmt.Fprintf(stdout, "  bedrock:ListProvisionedModelThroughputs, all pages, then bedrock:GetProvisionedModelThroughput for each PT\n")
		fmt.Fprintf(stdout, "  pricing:GetProducts (AmazonBedrock, regionCode %s), all pages, at the Price List endpoint in %s\n", af.region, priceRegion)
		fmt.Fprintf(stdout, "  bedrock:ListFoundationModels\n")
		return nil
	}
	if *out == "" {
		return usagef("account: --out DIR is required")
	}
	var m *workload.Metrics
	if *metrics != "" {
		var err error
		if m, err = workload.ReadMetricsFile(*metrics); err != nil {
			return err
		}
	}
	cfg, err := af.load(ctx)
	if err != nil {
		return fmt.Errorf("AWS configuration: %w", err)
	}
	folder, err := reports.CreateFolder(*out, *force, *metrics)
	if err != nil {
		return err
	}
	defer folder.Abort()
	cat := pricing.Default()
	today := time.Now().UTC()
	var failed []string
	var files []string
	write := func(name string, v any, header string) error {
		b, err := yaml.Marshal(v)
		if err != nil {
			return err
		}
		files = append(files, name)
		return folder.WriteBytes(name, append([]byte(header), b...))
	}
	endpoint := af.baseEndpoint()

	// 1. Quotas.
	sq := sdkquotas.NewFromConfig(cfg, func(o *sdkquotas.Options) { o.BaseEndpoint = pick(endpoint, o.BaseEndpoint) })
	if qs, err := servicequotas.List(ctx, sq); err != nil {
		failed = append(failed, "quotas: "+err.Error())
	} else {
		res := servicequotas.MatchQuotas(qs, cat)
		fmt.Fprintf(stdout, "Quotas: %d read, %d matched to models", len(qs), len(res.Matched))
		if len(res.Unmatched)+len(res.Ambiguous) > 0 {
			fmt.Fprintf(stdout, "; not matched (left out):")
			for _, q := range res.Unmatched {
				fmt.Fprintf(stdout, "\n  no model: %s (%s)", q.Name, q.Code)
			}
			for name, ids := range res.Ambiguous {
				fmt.Fprintf(stdout, "\n  ambiguous: %s (%s)", name, strings.Join(ids, ", "))
			}
		}
		fmt.Fprintln(stdout)
		for _, mt := range res.Matched {
			scope := "on-demand"
			if mt.CrossRegion {
				scope = "cross-region (inference profiles; not in quotas.yaml)"
			}
			fmt.Fprintf(stdout, "  %s %s %s = %s\n", mt.ModelID, strings.ToUpper(mt.Kind), scope, reports.SI(mt.Quota.Value))
		}
		if err := write("quotas.yaml", servicequotas.Override(res, af.region, today), "# Applied on-demand quotas from Service Quotas: use with --account-quotas.\n"); err != nil {
			return err
		}
	}

	// 2. Existing Provisioned Throughput.
	br := sdkbedrock.NewFromConfig(cfg, func(o *sdkbedrock.Options) { o.BaseEndpoint = pick(endpoint, o.BaseEndpoint) })
	if pts, err := bedrock.ListProvisioned(ctx, br); err != nil {
		failed = append(failed, "existing PT: "+err.Error())
	} else if pts, err = bedrock.Describe(ctx, br, pts); err != nil {
		failed = append(failed, "existing PT: "+err.Error())
	} else {
		plans, skipped := bedrock.ExistingPlans(pts, af.region)
		fmt.Fprintf(stdout, "Provisioned Throughput: %d found\n", len(pts))
		for _, p := range pts {
			expiry := "no commitment"
			if !p.Expires.IsZero() {
				expiry = "commitment ends " + p.Expires.UTC().Format("2006-01-02 15:04 MST")
			}
			fmt.Fprintf(stdout, "  %s: %d MU of %s, %s, %s\n", p.Name, p.ModelUnits, bedrock.ModelID(p.ModelARN), p.Status, expiry)
		}
		for _, s := range skipped {
			fmt.Fprintf(stdout, "  left out: %s\n", s)
		}
		for id, pl := range plans {
			name := "existing.yaml"
			if len(plans) > 1 {
				name = "existing-" + strings.NewReplacer(":", "_", "/", "_").Replace(id) + ".yaml"
			}
			if err := folder.Write(name, func(w io.Writer) error { return reports.WritePlan(w, pl) }); err != nil {
				return err
			}
			files = append(files, name)
		}
		if m != nil {
			for _, p := range bedrock.Idle(pts, m) {
				price := ""
				if o, err := cat.Lookup(bedrock.ModelID(p.ModelARN), af.region); err == nil {
					if pr, ok := o.PT[p.Term]; ok {
						price = fmt.Sprintf(", about $%.2f an hour", pr.USD*float64(p.ModelUnits))
					}
				}
				fmt.Fprintf(stdout, "  IDLE: %s carried no traffic in %s%s\n", p.Name, *metrics, price)
			}
		}
	}

	// 3. Prices.
	pc := sdkpricing.NewFromConfig(cfg, func(o *sdkpricing.Options) {
		o.Region = priceRegion
		o.BaseEndpoint = pick(endpoint, o.BaseEndpoint)
	})
	if over, unmatched, err := priceUpdate(ctx, pc, cat, af.region, today); err != nil {
		failed = append(failed, "prices: "+err.Error())
	} else {
		fmt.Fprintf(stdout, "Prices: %d models priced from the Price List API (endpoint in %s)\n", len(over.Models), priceRegion)
		for _, u := range unmatched {
			fmt.Fprintf(stdout, "  not matched to a model: %s\n", u)
		}
		printPriceChanges(stdout, pricing.Diff(cat, over), filepath.Join(*out, "prices.yaml"))
		if err := write("prices.yaml", over, "# Prices from the AWS Price List API: use with --pricing.\n"); err != nil {
			return err
		}
	}

	// 4. Lifecycle.
	if ls, err := bedrock.ListLifecycles(ctx, br); err != nil {
		failed = append(failed, "lifecycle: "+err.Error())
	} else {
		over := bedrock.LifecycleOverride(ls, cat, today)
		fmt.Fprintf(stdout, "Lifecycle: %d catalogue models listed by the account\n", len(over.Models))
		for _, id := range over.ModelIDs() {
			l := over.Models[id].Lifecycle
			if l.Status == pricing.LifecycleActive && l.Legacy == "" && l.PublicExtendedAccess == "" && l.EOL == "" {
				continue
			}
			fmt.Fprintf(stdout, "  %s: %s (", id, l.Status)
			if l.Legacy != "" {
				fmt.Fprintf(stdout, "legacy from %s, ", l.Legacy)
			}
			if l.PublicExtendedAccess != "" {
				fmt.Fprintf(stdout, "public extended access from %s, ", l.PublicExtendedAccess)
			}
			fmt.Fprintf(stdout, "end of life %s)\n", orDash(l.EOL))
		}
		if err := write("lifecycle.yaml", over, "# Model lifecycle from ListFoundationModels: use with --pricing.\n"); err != nil {
			return err
		}
	}
	if err := ctx.Err(); err != nil {
		// Interrupted: the parts that answered are not a whole account.
		return interrupted(err, *out)
	}
	if len(files) > 0 {
		if err := folder.Commit(); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Wrote %s: %s\n", *out, strings.Join(files, ", "))
	}
	if len(failed) > 0 {
		return errors.New(strings.Join(failed, "\n"))
	}
	return nil
}

func orDash(s string) string {
	if s == "" {
		return "not announced"
	}
	return s
}

// pick returns the --endpoint-url override when given, else the client's
// own (from AWS_ENDPOINT_URL_<SERVICE>).
func pick(override, own *string) *string {
	if override != nil {
		return override
	}
	return own
}

// priceUpdate reads the Price List API and builds the override.
func priceUpdate(ctx context.Context, api pricelist.API, cat *pricing.Catalogue, region string, today time.Time) (*pricing.Catalogue, []string, error) {
	docs, err := pricelist.Fetch(ctx, api, region)
	if err != nil {
		return nil, nil, err
	}
	products, err := pricelist.Parse(docs)
	if err != nil {
		return nil, nil, err
	}
	over, unmatched := pricelist.Override(products, cat, region, today)
	return over, unmatched, nil
}
