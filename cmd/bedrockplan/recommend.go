package main

import (
	"context"
	"io"

	"github.com/bedrockplan/bedrockplan/sim"
)

func runRecommend(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("recommend", "Finds the cheapest mix of Reserved-tier capacity (input and output TPM), committed Provisioned Throughput,\nscheduled no-commitment PT by hour of the week and on-demand overflow that keeps throttling within --max-throttle;\ncompares it with the baselines, prices the commitment terms over the next six months in Monte Carlo scenarios,\nand writes a report folder with plan.yaml. Without --mu-input-tpm/--mu-output-tpm it reports the break-even MU\nthroughput instead; without Reserved prices (--reserved-price-input/--reserved-price-output or --pricing FILE),\nthe break-even Reserved price for models with a Reserved tier.",
		"bedrockplan recommend --metrics metrics.csv --mu-input-tpm 1000000 --mu-output-tpm 300000 --timezone Asia/Tokyo --out report")
	var p planFlags
	p.register(fs)
	tz := fs.String("timezone", "UTC", "IANA time `ZONE` of business hours and schedules")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := p.check("recommend", fs); err != nil {
		return err
	}
	loc, err := loadLocation(*tz)
	if err != nil {
		return err
	}
	src, err := p.read()
	if err != nil {
		return err
	}
	inputFiles := []string{p.metrics, p.pricing, p.existing}
	if units := src.metrics.Units(p.model, p.region); len(units) > 1 {
		return p.portfolio(ctx, fs, src, units, nil, "", loc, sim.StrategyRecommended, args, inputFiles, stdout, stderr)
	}
	in, err := p.loadFrom(src, stderr)
	if err != nil {
		return err
	}
	return analyseAndWrite(ctx, &p, in, nil, loc, sim.StrategyRecommended, args, inputFiles, stdout, stderr)
}
