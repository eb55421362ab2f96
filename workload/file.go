package workload

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/bedrockplan/bedrockplan/internal/atomicfile"
)

// WriteMetricsFile writes m to path atomically: to a temporary file in the
// same folder, renamed into place once complete, so an interrupted run
// leaves any previous file intact. An existing file is replaced only when
// overwrite is set; a run writing the same file at the same time is
// refused (see atomicfile.Lock).
func WriteMetricsFile(path string, m *Metrics, overwrite bool) error {
	err := atomicfile.Write(path, overwrite, func(w *bufio.Writer) error { return WriteMetrics(w, m) })
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s exists; add --force to replace it", path)
	}
	if err != nil && !errors.Is(err, atomicfile.ErrLocked) { // the refusal names the file already
		return fmt.Errorf("%s: %w", path, err)
	}
	return err
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
