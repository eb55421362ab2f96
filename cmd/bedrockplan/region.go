package main

import (
	"github.com/bedrockplan/bedrockplan/sim"
	"github.com/bedrockplan/bedrockplan/workload"
)

// selectSeries picks the series simulate and recommend plan for.
// --region names the region whose prices apply (its help says so); it
// selects the traffic too when the metrics hold the model in that region.
// When they hold it only in one other region, that traffic is planned at
// --region's prices, as the error of a region the catalogue lacks
// suggests, and note says so for the report and the terminal.
func selectSeries(m *workload.Metrics, model, region string) (s *workload.Series, note sim.Note, err error) {
	s, err = m.Select(model, region)
	if err == nil || region == "" {
		return s, note, err
	}
	other, oerr := m.Select(model, "")
	if oerr != nil || other.Region == "" || other.Region == region {
		return nil, note, err
	}
	return other, sim.Note{Code: sim.NoteOtherRegion, Ran: other.Region, Offer: sim.OfferFacts{Model: model, Region: region}}, nil
}
