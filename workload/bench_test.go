package workload

import (
	"bytes"
	"testing"
)

// BenchmarkReadMetricsYear reads one model-year of 1-minute metrics
// (525,600 rows, one series), as simulate and recommend begin.
func BenchmarkReadMetricsYear(b *testing.B) {
	cfg := SeedScenario(1)
	cfg.Days = 365
	s, err := Synthesize(cfg)
	if err != nil {
		b.Fatal(err)
	}
	var file bytes.Buffer
	if err := WriteMetrics(&file, &Metrics{Series: []*Series{s}}); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(file.Len()))
	b.ReportAllocs()
	for b.Loop() {
		m, err := ReadMetrics(bytes.NewReader(file.Bytes()), "metrics.csv")
		if err != nil {
			b.Fatal(err)
		}
		if m.Series[0].Len() != 525_600 {
			b.Fatalf("%d intervals", m.Series[0].Len())
		}
	}
}
