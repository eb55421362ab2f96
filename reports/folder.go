package reports

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/bedrockplan/bedrockplan/internal/atomicfile"
)

// Folder is a report folder being written. Files go to a hidden staging
// folder beside the target; Commit swaps it into place in one rename, so a
// failed run leaves the target as it was. From CreateFolder to Commit or
// Abort the run holds a lock file beside the target, so two runs cannot
// both replace the same folder and each believe it wrote it.
type Folder struct {
	dir, staging, lock string
	stop               context.Context // nil: never
}

// CreateFolder starts writing the folder dir. A dir that exists and is not
// empty is refused unless force; inputs lists files (or folders) the run
// reads, and no input may be dir or sit anywhere inside it, however either
// is spelled (relative, through symbolic links): replacing dir would
// delete it.
func CreateFolder(dir string, force bool, inputs ...string) (*Folder, error) {
	if dir == "" {
		return nil, errors.New("no output folder given (--out DIR)")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if fi, err := os.Stat(abs); err == nil && !fi.IsDir() {
		return nil, fmt.Errorf("--out %s is a file, not a folder", dir)
	}
	parent := filepath.Dir(abs)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	f := &Folder{dir: abs}
	// The lock is taken before anything is checked or tidied, so that
	// two runs never both see the folder free.
	lock := filepath.Join(parent, "."+filepath.Base(abs)+".lock")
	if err := atomicfile.TakeLock(lock, "--out "+dir); err != nil {
		return nil, err
	}
	f.lock = lock
	if err := f.prepare(dir, force, inputs); err != nil {
		f.Abort()
		return nil, err
	}
	if f.staging, err = os.MkdirTemp(parent, stagingPrefix(abs)); err != nil {
		f.Abort()
		return nil, err
	}
	return f, nil
}

// stagingPrefix is how the staging folders of dir begin; a killed run
// leaves them behind, and the next run for dir removes them.
func stagingPrefix(abs string) string { return "." + filepath.Base(abs) + ".partial-" }

// prepare runs under the lock: it tidies what killed runs left and
// checks that dir may be written.
func (f *Folder) prepare(dir string, force bool, inputs []string) error {
	if err := cleanStale(f.dir); err != nil {
		return err
	}
	fi, err := os.Stat(f.dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("--out %s is a file, not a folder", dir)
	}
	for _, in := range inputs {
		if in != "" && within(in, f.dir) {
			return fmt.Errorf("--out %s holds the input %s, which replacing the folder would delete; choose another folder", dir, in)
		}
	}
	entries, err := os.ReadDir(f.dir)
	if err != nil {
		return err
	}
	if len(entries) > 0 && !force {
		return fmt.Errorf("--out %s is not empty; choose a new folder or add --force to replace it", dir)
	}
	return nil
}

// within reports whether path is dir or lies inside it, comparing real
// paths (symbolic links resolved) so that no spelling slips past.
func within(path, dir string) bool {
	p, d := realPath(path), realPath(dir)
	return p == d || strings.HasPrefix(p, d+string(filepath.Separator))
}

// realPath is the absolute path with symbolic links resolved as far as
// the path exists.
func realPath(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return path
	}
	// Resolve the longest existing prefix; the rest is appended as given.
	rest := ""
	for cur := abs; ; {
		if real, err := filepath.EvalSymlinks(cur); err == nil {
			return filepath.Join(real, rest)
		}
		up := filepath.Dir(cur)
		if up == cur {
			return abs
		}
		rest = filepath.Join(filepath.Base(cur), rest)
		cur = up
	}
}

// cleanStale removes the staging folders of dir that a killed run left.
// A run killed between the two renames of Commit left the previous
// folder as a ".old" staging folder and no dir: that one is put back.
func cleanStale(dir string) error {
	parent, prefix := filepath.Dir(dir), stagingPrefix(dir)
	entries, err := os.ReadDir(parent)
	if err != nil {
		return err
	}
	_, statErr := os.Stat(dir)
	missing := errors.Is(statErr, os.ErrNotExist)
	for _, e := range entries {
		name := e.Name()
		if !e.IsDir() || !strings.HasPrefix(name, prefix) {
			continue
		}
		path := filepath.Join(parent, name)
		if missing && strings.HasSuffix(name, ".old") {
			if err := os.Rename(path, dir); err != nil {
				return fmt.Errorf("restoring %s, which an interrupted run left, to %s: %w", path, dir, err)
			}
			missing = false
			continue
		}
		if err := os.RemoveAll(path); err != nil {
			return fmt.Errorf("removing %s, which an interrupted run left: %w", path, err)
		}
	}
	return nil
}

// StopOn makes every later Write fail with ctx's error once ctx is done
// (Ctrl-C), so a run stops between files rather than writing the rest of
// a folder it will not commit.
func (f *Folder) StopOn(ctx context.Context) { f.stop = ctx }

// Write creates one file in the folder from what write produces.
func (f *Folder) Write(name string, write func(io.Writer) error) error {
	if f.stop != nil {
		if err := f.stop.Err(); err != nil {
			return err
		}
	}
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

// Mkdir creates a sub-folder (a path relative to the folder) and its
// parents.
func (f *Folder) Mkdir(name string) error {
	return os.MkdirAll(filepath.Join(f.staging, name), 0o755)
}

// Symlink creates a symbolic link name (a path relative to the folder)
// pointing at target, as given.
func (f *Folder) Symlink(target, name string) error {
	return os.Symlink(target, filepath.Join(f.staging, name))
}

// Commit puts the folder in place, replacing an existing one, and
// releases the lock.
func (f *Folder) Commit() error {
	defer f.release()
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

// Abort removes the staging folder and releases the lock; the target is
// untouched. It is safe to call after Commit.
func (f *Folder) Abort() {
	if f.staging != "" {
		_ = os.RemoveAll(f.staging)
	}
	f.release()
}

func (f *Folder) release() {
	if f.lock != "" {
		_ = os.Remove(f.lock)
		f.lock = ""
	}
}

// Dir returns the folder's final path.
func (f *Folder) Dir() string { return f.dir }

// Sub starts the sub-folder name (one path element) inside f, or goes
// into it when it exists already: it is written in f's staging folder and
// lands when f is committed, so a portfolio's series reports appear with
// the account's report or not at all. A sub-folder holds no lock of its
// own and is never committed by itself.
func (f *Folder) Sub(name string) (*Folder, error) {
	if name == "" || name == "." || name == ".." || strings.ContainsAny(name, `/\`) {
		return nil, fmt.Errorf("sub-folder %q: want one path element", name)
	}
	if err := os.MkdirAll(filepath.Join(f.staging, name), 0o755); err != nil {
		return nil, err
	}
	return &Folder{dir: filepath.Join(f.dir, name), staging: filepath.Join(f.staging, name), stop: f.stop}, nil
}
