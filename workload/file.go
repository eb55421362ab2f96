package workload

import (
	"bufio"
	"errors"
	"fmt"
	"os"

	"github.com/bedrockplan/bedrockplan/internal/atomicfile"
)

// WriteMetricsFile writes m to path atomically: to a temporary file in the
// same folder, renamed into place once complete, so an interrupted run
// leaves any previous file intact. An existing file is replaced only when
// overwrite is set.
func WriteMetricsFile(path string, m *Metrics, overwrite bool) error {
	if _, err := os.Stat(path); err == nil && !overwrite {
		return fmt.Errorf("%s exists; add --force to replace it", path)
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	err := atomicfile.Write(path, func(w *bufio.Writer) error { return WriteMetrics(w, m) })
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// ReadMetricsFile reads a metrics CSV from disk.
func ReadMetricsFile(path string) (*Metrics, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadMetrics(f, path)
}
