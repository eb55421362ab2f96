package workload

import (
	"bytes"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// modelYear is one model-year of 1-minute metrics (525,600 rows, one
// series) as a metrics CSV.
func modelYear(b *testing.B) []byte {
	b.Helper()
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
	return file.Bytes()
}

// BenchmarkReadMetricsYear reads one model-year of 1-minute metrics
// (525,600 rows, one series) from memory: a reader that is not a file is
// read sequentially, so this is the one-core read (the CLI's, from a
// file, is BenchmarkReadMetricsYearFile).
func BenchmarkReadMetricsYear(b *testing.B) {
	file := modelYear(b)
	b.SetBytes(int64(len(file)))
	b.ReportAllocs()
	for b.Loop() {
		m, err := ReadMetrics(bytes.NewReader(file), "metrics.csv")
		if err != nil {
			b.Fatal(err)
		}
		if m.Series[0].Len() != 525_600 {
			b.Fatalf("%d intervals", m.Series[0].Len())
		}
	}
}

// BenchmarkReadMetricsYearFile reads the model-year from a file, as
// recommend does (the file's size sizes the series), and reports the CPU
// time per read besides the wall time: on a shared machine the two tell
// apart work done from cores used.
func BenchmarkReadMetricsYearFile(b *testing.B) {
	path := filepath.Join(b.TempDir(), "metrics.csv")
	if err := os.WriteFile(path, modelYear(b), 0o644); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	cpu := cpuTime()
	for b.Loop() {
		m, err := ReadMetricsFile(path)
		if err != nil {
			b.Fatal(err)
		}
		if m.Series[0].Len() != 525_600 {
			b.Fatalf("%d intervals", m.Series[0].Len())
		}
	}
	b.ReportMetric((cpuTime()-cpu).Seconds()/float64(b.N), "cpu-s/op")
}

// cpuTime is the CPU time (user and system) the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
