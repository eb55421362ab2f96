package atomicfile

import (
	"bufio"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWrite: a complete write replaces the file; a failed one leaves the
// old file and no temporary file behind.
func TestWrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f.txt")
	os.WriteFile(path, []byte("old"), 0o600)
	if err := Write(path, true, func(w *bufio.Writer) error { _, err := w.WriteString("new"); return err }); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "new" {
		t.Errorf("file holds %q", b)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v", fi.Mode())
	}
	boom := errors.New("boom")
	if err := Write(path, true, func(w *bufio.Writer) error { w.WriteString("half"); return boom }); !errors.Is(err, boom) {
		t.Fatalf("error %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "new" {
		t.Errorf("a failed write changed the file to %q", b)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("%d files left in the folder", len(entries))
	}
}

// TestWriteRefusesExisting: without replace an existing file is refused
// (fs.ErrExist) and left as it was.
func TestWriteRefusesExisting(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f.txt")
	write := func(s string) func(*bufio.Writer) error {
		return func(w *bufio.Writer) error { _, err := w.WriteString(s); return err }
	}
	if err := Write(path, false, write("first")); err != nil {
		t.Fatal(err)
	}
	if err := Write(path, false, write("second")); !errors.Is(err, fs.ErrExist) {
		t.Errorf("second write: %v, want fs.ErrExist", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "first" {
		t.Errorf("file holds %q", b)
	}
}

// TestLockRefusesConcurrentWriter: while one run holds the lock another
// is refused in words; a lock whose process is gone is taken over, and
// the temporary files its run left are removed.
func TestLockRefusesConcurrentWriter(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f.txt")
	l, err := Lock(path)
	if err != nil {
		t.Fatal(err)
	}
	err = Write(path, true, func(w *bufio.Writer) error { return nil })
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), path+" is being written by another bedrockplan run (process ") {
		t.Errorf("second writer: %v", err)
	}
	l.Unlock()
	l.Unlock() // twice is harmless
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("left after Unlock: %v", entries)
	}

	// A killed run: its lock names no live process (no process has a
	// negative id), and its temporary file is still there.
	os.WriteFile(filepath.Join(dir, ".f.txt.lock"), []byte("-7\n"), 0o644)
	os.WriteFile(filepath.Join(dir, ".f.txt.partial-123"), []byte("half a fi"), 0o644)
	os.WriteFile(filepath.Join(dir, ".g.txt.partial-123"), []byte("another file's"), 0o644)
	if err := Write(path, false, func(w *bufio.Writer) error { _, err := w.WriteString("whole"); return err }); err != nil {
		t.Fatalf("after a killed run: %v", err)
	}
	var names []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, " ") != ".g.txt.partial-123 f.txt" {
		t.Errorf("folder holds %v, want the other file's temporary file and f.txt", names)
	}
}
