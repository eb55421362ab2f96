package main

import (
	"fmt"

	"github.com/bedrockplan/bedrockplan/workload"
)

// selectSeries picks the series simulate and recommend plan for.
// --region names the region whose prices apply (its help says so); it
// selects the traffic too when the metrics hold the model in that region.
// When they hold it only in one other region, that traffic is planned at
// --region's prices, as the error of a region the catalogue lacks
// suggests, and note says so for the report and the terminal.
func selectSeries(m *workload.Metrics, model, region string) (s *workload.Series, note string, err error) {
	s, err = m.Select(model, region)
	if err == nil || region == "" {
		return s, "", err
	}
	other, oerr := m.Select(model, "")
	if oerr != nil || other.Region == "" || other.Region == region {
		return nil, "", err
	}
	return other, fmt.Sprintf("the traffic ran in %s and is priced at the prices of %s (--region %s)", other.Region, region, region), nil
}
