package main

import (
	"context"
	"fmt"
	"io"

	"github.com/bedrockplan/bedrockplan/sim"
)

func runSimulate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("simulate", "Replays a metrics CSV against a capacity plan (plan.yaml) and writes a report folder comparing\nit with on-demand, provisioned-peak, business-hours-switch and the recommendation.",
		"bedrockplan simulate --metrics metrics.csv --plan plan.yaml --mu-input-tpm 1000000 --mu-output-tpm 300000 --out report")
	var p planFlags
	p.register(fs)
	planPath := fs.String("plan", "", "plan `FILE` to replay (required; recommend writes one)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := p.check("simulate", fs); err != nil {
		return err
	}
	if *planPath == "" {
		return usagef("simulate: --plan FILE is required")
	}
	src, err := p.read()
	if err != nil {
		return err
	}
	inputFiles := []string{p.metrics, p.pricing, *planPath}
	if units := src.metrics.Units(p.model, p.region); len(units) > 1 {
		plans, err := readPlansFile(*planPath)
		if err != nil {
			return fileFlag("--plan", err)
		}
		return p.portfolio(ctx, fs, src, units, plans, *planPath, nil, sim.StrategyPlan, args, inputFiles, stdout, stderr)
	}
	plan, err := readPlanFile(*planPath)
	if err != nil {
		return fileFlag("--plan", err)
	}
	in, err := p.loadFrom(src, stderr)
	if err != nil {
		return err
	}
	if plan.ModelID != in.series.ModelID {
		return fmt.Errorf("%s: the plan is for %s but the metrics replayed are for %s (choose with --model)", *planPath, plan.ModelID, in.series.ModelID)
	}
	if plan.Region != "" && plan.Region != in.offer.Region {
		return fmt.Errorf("%s: the plan is for region %s but the prices used are for %s (choose with --region)", *planPath, plan.Region, in.offer.Region)
	}
	if plan.Region == "" {
		plan.Region = in.offer.Region
	}
	return analyseAndWrite(ctx, &p, in, &plan, plan.Location(), sim.StrategyPlan, args, inputFiles, stdout, stderr)
}
