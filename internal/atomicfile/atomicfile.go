// Package atomicfile writes a file so that readers see either the old
// file or the whole new one, never part of it: an interrupted run leaves
// any previous file intact. A lock file beside the target keeps two runs
// from writing it at once, and what a killed run left is tidied by the
// next one.
package atomicfile

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// Locked is a file this process holds the lock of, from Lock to Unlock.
type Locked struct {
	path, lock string
}

// Lock takes the lock of path: the file ".NAME.lock" beside it, created
// exclusively and holding this process's id. A lock whose process is gone
// (a killed run) is taken over; a live one is refused. Under the lock, the
// temporary files a killed run left beside path are removed: no live
// writer can own them, since every writer holds the lock.
func Lock(path string) (*Locked, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	lock := filepath.Join(filepath.Dir(abs), "."+filepath.Base(abs)+".lock")
	if err := TakeLock(lock, path); err != nil {
		return nil, err
	}
	l := &Locked{path: abs, lock: lock}
	if err := l.cleanStale(); err != nil {
		l.Unlock()
		return nil, err
	}
	return l, nil
}

// partialPrefix is how the temporary files of path begin.
func partialPrefix(abs string) string { return "." + filepath.Base(abs) + ".partial-" }

func (l *Locked) cleanStale() error {
	dir, prefix := filepath.Dir(l.path), partialPrefix(l.path)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.Type().IsRegular() && strings.HasPrefix(e.Name(), prefix) {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
				return fmt.Errorf("removing %s, which an interrupted run left: %w", e.Name(), err)
			}
		}
	}
	return nil
}

// Unlock releases the lock. It is safe to call more than once.
func (l *Locked) Unlock() {
	if l.lock != "" {
		_ = os.Remove(l.lock)
		l.lock = ""
	}
}

// Write writes the locked file through write, to a temporary file in the
// same folder that is synced and renamed into place once complete.
func (l *Locked) Write(write func(w *bufio.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(l.path), partialPrefix(l.path))
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a successful rename there is nothing left to remove
	bw := bufio.NewWriterSize(tmp, 1<<16)
	err = write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = tmp.Sync()
	}
	if err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), l.path)
}

// Write writes path through write under its lock. Unless replace, an
// existing path is refused with an error that matches fs.ErrExist: the
// check is made under the lock, so of two runs creating the same file
// one is refused, never both told they wrote it.
func Write(path string, replace bool, write func(w *bufio.Writer) error) error {
	l, err := Lock(path)
	if err != nil {
		return err
	}
	defer l.Unlock()
	if !replace {
		if _, err := os.Lstat(path); err == nil {
			return &fs.PathError{Op: "create", Path: path, Err: fs.ErrExist}
		} else if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return l.Write(write)
}

// TakeLock creates the lock file lock exclusively, holding this process's
// id; target names what it guards in the refusal. A lock whose process is
// gone is taken over once; a live one is refused.
func TakeLock(lock, target string) error {
	for attempt := 0; ; attempt++ {
		lf, err := os.OpenFile(lock, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err == nil {
			_, werr := lf.WriteString(strconv.Itoa(os.Getpid()) + "\n")
			if cerr := lf.Close(); werr == nil {
				werr = cerr
			}
			if werr != nil {
				os.Remove(lock)
				return werr
			}
			return nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return err
		}
		data, _ := os.ReadFile(lock)
		pid, perr := strconv.Atoi(strings.TrimSpace(string(data)))
		if attempt == 0 && perr == nil && !alive(pid) {
			os.Remove(lock) // its run was killed; try once more
			continue
		}
		return lockedError(fmt.Sprintf("%s is being written by another bedrockplan run (process %s, lock file %s); wait for it, or remove the lock file if no such run is going on",
			target, strings.TrimSpace(string(data)), lock))
	}
}

// ErrLocked matches (errors.Is) the refusal of a lock another run holds.
var ErrLocked = errors.New("locked by another run")

// lockedError is the refusal in words; it names the target itself, so
// callers need not wrap it.
type lockedError string

func (e lockedError) Error() string { return string(e) }
func (e lockedError) Unwrap() error { return ErrLocked }

// alive reports whether process pid exists. Where signal 0 cannot be
// sent (Windows) every process counts as gone, so a stale lock never
// blocks; the temporary files still keep the runs apart.
func alive(pid int) bool {
	if pid <= 0 {
		return false
	}
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	err = p.Signal(syscall.Signal(0))
	return err == nil || errors.Is(err, os.ErrPermission)
}
