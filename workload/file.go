package workload

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
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
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".partial-")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a successful rename there is nothing left to remove
	bw := bufio.NewWriterSize(tmp, 1<<16)
	if err := WriteMetrics(bw, m); err != nil {
		tmp.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		tmp.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
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
