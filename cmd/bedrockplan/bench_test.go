package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/bedrockplan/bedrockplan/workload"
)

// modelYearMetrics writes one model-year of 1-minute metrics (the demo's
// traffic over 365 days: 525,600 rows, one series) into dir.
func modelYearMetrics(b *testing.B, dir string) string {
	b.Helper()
	cfg := workload.SeedScenario(1)
	cfg.Days = 365
	s, err := workload.Synthesize(cfg)
	if err != nil {
		b.Fatal(err)
	}
	if s.Len() != 525_600 {
		b.Fatalf("%d intervals, want 525,600", s.Len())
	}
	path := filepath.Join(dir, "metrics.csv")
	writeMetrics(b, path, s)
	return path
}

// peakRSS measures the most memory the process holds resident while f
// runs: the kernel's high-water mark (VmHWM), reset before f. The heap
// left from setup is handed back to the kernel first, so the figure is
// f's working set plus the runtime and binary (about 10 MB), as RSS.
// It returns 0 where /proc cannot reset the mark (not Linux).
func peakRSS(b *testing.B, f func()) float64 {
	b.Helper()
	debug.FreeOSMemory()
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		f()
		return 0
	}
	f()
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(status)) {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			return kb * 1024
		}
	}
	return 0
}

// cpuTime is the CPU time (user and system) the process has used: on a
// machine shared with other work it varies less than wall time does.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU adds the CPU time per run since start (cpuTime) to b's
// figures.
func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric((cpuTime()-start).Seconds()/float64(b.N), "cpu-s/op")
}

// BenchmarkRecommendModelYear runs `recommend` end to end on a model-year
// of 1-minute metrics: read, replay, optimise, 1,000 risk scenarios, and
// the whole report written (CSV, charts, summaries). Compare it with
// BenchmarkParseModelYearCSV, the least any reader of the file does.
func BenchmarkRecommendModelYear(b *testing.B) {
	dir := b.TempDir()
	metrics := modelYearMetrics(b, dir)
	b.ReportAllocs()
	n := 0
	var peak float64
	cpu := cpuTime()
	for b.Loop() {
		out := filepath.Join(dir, "report"+strconv.Itoa(n))
		n++
		p := peakRSS(b, func() {
			var stdout, stderr bytes.Buffer
			if err := run(context.Background(), []string{"recommend", "--metrics", metrics,
				"--mu-input-tpm", "1000000", "--mu-output-tpm", "300000", "--timezone", "Asia/Tokyo", "--out", out}, &stdout, &stderr); err != nil {
				b.Fatalf("%v\n%s", err, stderr.String())
			}
		})
		peak = max(peak, p)
		b.StopTimer()
		os.RemoveAll(out) // the disk is not what is measured
		b.StartTimer()
	}
	reportCPU(b, cpu)
	b.ReportMetric(peak/1e6, "peak-RSS-MB")
}

// BenchmarkParseModelYearCSV reads the same model-year file with bare
// encoding/csv, every record, and nothing else: the floor for recommend.
func BenchmarkParseModelYearCSV(b *testing.B) {
	metrics := modelYearMetrics(b, b.TempDir())
	b.ReportAllocs()
	cpu := cpuTime()
	for b.Loop() {
		f, err := os.Open(metrics)
		if err != nil {
			b.Fatal(err)
		}
		cr := csv.NewReader(f)
		rows := 0
		for {
			_, err := cr.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			rows++
		}
		f.Close()
		if rows != 525_601 {
			b.Fatalf("%d records, want 525,601", rows)
		}
	}
	reportCPU(b, cpu)
}
