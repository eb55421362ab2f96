package reports

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Folder is a report folder being written. Files go to a hidden staging
// folder beside the target; Commit swaps it into place in one rename, so a
// failed run leaves the target as it was.
type Folder struct {
	dir, staging string
}

// CreateFolder starts writing the folder dir. A dir that exists and is not
// empty is refused unless force; inputs lists files the run reads, which
// may never sit inside a folder that force would replace.
func CreateFolder(dir string, force bool, inputs ...string) (*Folder, error) {
	if dir == "" {
		return nil, errors.New("no output folder given (--out DIR)")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if fi, err := os.Stat(abs); err == nil {
		if !fi.IsDir() {
			return nil, fmt.Errorf("--out %s is a file, not a folder", dir)
		}
		entries, err := os.ReadDir(abs)
		if err != nil {
			return nil, err
		}
		if len(entries) > 0 && !force {
			return nil, fmt.Errorf("--out %s is not empty; choose a new folder or add --force to replace it", dir)
		}
		for _, in := range inputs {
			if in == "" {
				continue
			}
			ain, err := filepath.Abs(in)
			if err == nil && strings.HasPrefix(ain, abs+string(filepath.Separator)) {
				return nil, fmt.Errorf("--out %s holds the input %s, which replacing the folder would delete; choose another folder", dir, in)
			}
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	parent := filepath.Dir(abs)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	staging, err := os.MkdirTemp(parent, "."+filepath.Base(abs)+".partial-")
	if err != nil {
		return nil, err
	}
	return &Folder{dir: abs, staging: staging}, nil
}

// Write creates one file in the folder from what write produces.
func (f *Folder) Write(name string, write func(io.Writer) error) error {
	file, err := os.Create(filepath.Join(f.staging, name))
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(file, 1<<16)
	if err := write(bw); err != nil {
		file.Close()
		return fmt.Errorf("%s: %w", name, err)
	}
	if err := bw.Flush(); err != nil {
		file.Close()
		return fmt.Errorf("%s: %w", name, err)
	}
	return file.Close()
}

// WriteBytes creates one file with the given content.
func (f *Folder) WriteBytes(name string, data []byte) error {
	return f.Write(name, func(w io.Writer) error { _, err := w.Write(data); return err })
}

// Commit puts the folder in place, replacing an existing one.
func (f *Folder) Commit() error {
	if err := os.Chmod(f.staging, 0o755); err != nil {
		return err
	}
	old := ""
	if _, err := os.Stat(f.dir); err == nil {
		old = f.staging + ".old"
		if err := os.Rename(f.dir, old); err != nil {
			return err
		}
	}
	if err := os.Rename(f.staging, f.dir); err != nil {
		if old != "" {
			_ = os.Rename(old, f.dir) // put the previous folder back
		}
		return err
	}
	if old != "" {
		return os.RemoveAll(old)
	}
	return nil
}

// Abort removes the staging folder; the target is untouched. It is safe
// to call after Commit.
func (f *Folder) Abort() {
	_ = os.RemoveAll(f.staging)
}

// Dir returns the folder's final path.
func (f *Folder) Dir() string { return f.dir }
