package reports

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFolderNeverDeletesInputs: an input inside the folder is refused
// however it is spelled: relative, through a symbolic link to the folder,
// or as the folder itself; and a folder that holds an input's folder too.
func TestFolderNeverDeletesInputs(t *testing.T) {
	parent := t.TempDir()
	t.Chdir(parent)
	dir := filepath.Join(parent, "out")
	os.MkdirAll(filepath.Join(dir, "sub"), 0o755)
	os.WriteFile(filepath.Join(dir, "sub", "in.csv"), []byte("x"), 0o644)
	if err := os.Symlink(dir, filepath.Join(parent, "link")); err != nil {
		t.Fatal(err)
	}
	for _, in := range []string{"out/sub/in.csv", "./out/../out/sub/in.csv", "link/sub/in.csv", "out", "out/sub"} {
		for _, target := range []string{dir, "out", "link"} {
			if _, err := CreateFolder(target, true, in); err == nil || !strings.Contains(err.Error(), "holds the input") {
				t.Errorf("--out %s with input %s: %v", target, in, err)
			}
		}
	}
	if data, err := os.ReadFile(filepath.Join(dir, "sub", "in.csv")); err != nil || string(data) != "x" {
		t.Errorf("input damaged: %q %v", data, err)
	}
	if entries, _ := os.ReadDir(parent); len(entries) != 2 {
		t.Errorf("left behind: %v", entries)
	}
}

// TestFolderRefusesConcurrentWriter: while one run writes a folder,
// another to the same folder is refused; a lock left by a process that no
// longer exists is taken over.
func TestFolderRefusesConcurrentWriter(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "out")
	first, err := CreateFolder(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := CreateFolder(dir, true); err == nil || !strings.Contains(err.Error(), "is being written by another bedrockplan run") {
		t.Fatalf("second writer: %v", err)
	}
	first.WriteBytes("a.txt", []byte("first"))
	if err := first.Commit(); err != nil {
		t.Fatal(err)
	}
	// The lock is gone after Commit: the next run is refused only for
	// the folder's content.
	if _, err := CreateFolder(dir, false); err == nil || !strings.Contains(err.Error(), "is not empty") {
		t.Errorf("after commit: %v", err)
	}
	// A lock naming no live process (no process has a negative id) is
	// stale.
	os.WriteFile(filepath.Join(parent, ".out.lock"), []byte("-7\n"), 0o644)
	f, err := CreateFolder(dir, true)
	if err != nil {
		t.Fatalf("stale lock: %v", err)
	}
	f.Abort()
	if entries, _ := os.ReadDir(parent); len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
}

// TestFolderCleansKilledRuns: staging folders a killed run left are
// removed by the next run, and a previous folder a run killed mid-Commit
// left as ".old" is put back, not deleted.
func TestFolderCleansKilledRuns(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "out")
	os.MkdirAll(filepath.Join(parent, ".out.partial-123"), 0o755)
	os.MkdirAll(filepath.Join(parent, ".out.partial-456.old"), 0o755)
	os.WriteFile(filepath.Join(parent, ".out.partial-456.old", "mine.csv"), []byte("previous report"), 0o644)
	os.MkdirAll(filepath.Join(parent, ".other.partial-1"), 0o755) // another folder's: not ours to remove
	if _, err := CreateFolder(dir, false); err == nil || !strings.Contains(err.Error(), "is not empty") {
		t.Fatalf("restored folder should count as not empty: %v", err)
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "mine.csv")); string(data) != "previous report" {
		t.Errorf("previous report not restored: %q", data)
	}
	entries, _ := os.ReadDir(parent)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, " ") != ".other.partial-1 out" {
		t.Errorf("after cleaning: %v", names)
	}
}
