//go:build unix

package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// longMetrics is days of 1-minute traffic: enough that a recommend run
// spends a second or so analysing and writing, long enough to be
// interrupted in either.
func longMetrics(days int) string {
	var b strings.Builder
	b.WriteString("timestamp,model_id,region,period_s,invocations,input_tokens,output_tokens\n")
	t := time.Date(2026, 9, 7, 0, 0, 0, 0, time.UTC)
	for i := range days * 1440 {
		inv := 20 + i%97
		if h := t.Hour(); h >= 9 && h < 17 && t.Weekday() != time.Saturday && t.Weekday() != time.Sunday {
			inv += 600
		}
		b.WriteString(t.Format(time.RFC3339) + ",amazon.titan-text-express-v1,us-east-1,60,")
		b.WriteString(strconv.Itoa(inv) + "," + strconv.Itoa(inv*1000) + "," + strconv.Itoa(inv*250) + "\n")
		t = t.Add(time.Minute)
	}
	return b.String()
}

// child is bedrockplan run as a process of its own (see TestMain).
type child struct {
	cmd    *exec.Cmd
	stderr childStderr
	done   chan struct{}
}

// childStderr is a child's stderr as it arrives: it closes ready when
// the child says it catches signals (childReady), and String leaves that
// line out.
type childStderr struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	ready chan struct{}
	seen  bool
}

func (s *childStderr) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.buf.Write(p)
	if !s.seen && strings.Contains(s.buf.String(), childReady+"\n") {
		s.seen = true
		close(s.ready)
	}
	return len(p), nil
}

func (s *childStderr) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Replace(s.buf.String(), childReady+"\n", "", 1)
}

func startChild(t *testing.T, dir string, args ...string) *child {
	t.Helper()
	c := &child{cmd: exec.Command(os.Args[0], args...), done: make(chan struct{})}
	c.stderr.ready = make(chan struct{})
	c.cmd.Dir = dir
	c.cmd.Env = append(os.Environ(), "BEDROCKPLAN_AS_MAIN=1")
	c.cmd.Stderr = &c.stderr
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { c.cmd.Wait(); close(c.done) }()
	t.Cleanup(func() {
		c.cmd.Process.Kill()
		<-c.done
	})
	return c
}

// ready waits until the child catches Ctrl-C and SIGTERM, and reports
// whether it did before it ended or within says. A signal sent before
// then would kill it (exit -1) rather than stop it cleanly, however long
// the process takes to start on a loaded machine.
func (c *child) ready(within time.Duration) bool {
	select {
	case <-c.stderr.ready:
		return true
	case <-c.done:
		return false
	case <-time.After(within):
		return false
	}
}

// staged waits until a staging folder of out appears in dir (the run is
// writing) and reports whether it did before the run ended.
func (c *child) staged(dir, out string, within time.Duration) bool {
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		select {
		case <-c.done:
			return false
		default:
		}
		for _, name := range leftovers(dir, out) {
			if strings.Contains(name, ".partial-") {
				return true
			}
		}
		time.Sleep(time.Millisecond)
	}
	return false
}

// wait waits for the child to end and returns its exit status.
func (c *child) wait(t *testing.T, within time.Duration) int {
	t.Helper()
	select {
	case <-c.done:
	case <-time.After(within):
		t.Fatalf("still running after %v", within)
	}
	return c.cmd.ProcessState.ExitCode()
}

// leftovers lists the staging folders and lock file of out in dir.
func leftovers(dir, out string) []string {
	entries, _ := os.ReadDir(dir)
	var left []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "."+out+".partial-") || e.Name() == "."+out+".lock" {
			left = append(left, e.Name())
		}
	}
	return left
}

// TestSignals: Ctrl-C (SIGINT) during the analysis and while the report
// is being written stops the run at once, says the previous report was
// kept, and leaves it byte for byte as it was, with no staging folder or
// lock behind. SIGKILL while writing cannot clean up: the previous report
// is still intact, and the next run for the same folder removes what the
// killed one left.
func TestSignals(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	os.WriteFile("small.csv", []byte(smallMetrics()), 0o644)
	os.WriteFile("long.csv", []byte(longMetrics(60)), 0o644)
	if _, stderr, code := runCLI(t, "recommend", "--metrics", "small.csv", "--scenarios", "0", "--out", "out"); code != 0 {
		t.Fatal(stderr)
	}
	previous := snapshot(t, filepath.Join(dir, "out"))
	long := []string{"recommend", "--metrics", "long.csv", "--mu-input-tpm", "1000000", "--mu-output-tpm", "300000", "--scenarios", "0", "--force", "--out", "out"}
	const kept = "bedrockplan: interrupted: stopped before writing anything; out is as it was"
	intact := func(when string) {
		t.Helper()
		if now := snapshot(t, filepath.Join(dir, "out")); now != previous {
			t.Errorf("%s: the previous report changed:\nbefore\n%s\nafter\n%s", when, previous, now)
		}
	}

	// SIGINT during the load of the metrics or the analysis, as soon as
	// the run catches it.
	c := startChild(t, dir, long...)
	if !c.ready(60 * time.Second) {
		t.Fatalf("the run never caught signals:\n%s", c.stderr.String())
	}
	sent := time.Now()
	c.cmd.Process.Signal(os.Interrupt)
	code := c.wait(t, 30*time.Second)
	t.Logf("SIGINT while loading or analysing: exit %d %v after the signal", code, time.Since(sent).Round(time.Millisecond))
	if code != 1 || !strings.Contains(c.stderr.String(), kept) {
		t.Errorf("SIGINT while loading or analysing: exit %d, stderr:\n%s", code, c.stderr.String())
	}
	intact("SIGINT while loading or analysing")
	if left := leftovers(dir, "out"); left != nil {
		t.Errorf("SIGINT while loading or analysing left %v", left)
	}

	// SIGINT while writing.
	c = startChild(t, dir, long...)
	if !c.staged(dir, "out", 60*time.Second) {
		t.Fatalf("the run never started writing:\n%s", c.stderr.String())
	}
	sent = time.Now()
	c.cmd.Process.Signal(os.Interrupt)
	code = c.wait(t, 30*time.Second)
	t.Logf("SIGINT while writing: exit %d %v after the signal", code, time.Since(sent).Round(time.Millisecond))
	if code != 1 || !strings.Contains(c.stderr.String(), kept) {
		t.Errorf("SIGINT while writing: exit %d, stderr:\n%s", code, c.stderr.String())
	}
	intact("SIGINT while writing")
	if left := leftovers(dir, "out"); left != nil {
		t.Errorf("SIGINT while writing left %v", left)
	}

	// SIGKILL while writing.
	c = startChild(t, dir, long...)
	if !c.staged(dir, "out", 60*time.Second) {
		t.Fatalf("the run never started writing:\n%s", c.stderr.String())
	}
	c.cmd.Process.Signal(syscall.SIGKILL)
	c.wait(t, 30*time.Second)
	intact("SIGKILL while writing")
	left := leftovers(dir, "out")
	t.Logf("SIGKILL while writing left %v", left)
	if _, stderr, code := runCLI(t, "recommend", "--metrics", "small.csv", "--scenarios", "0", "--force", "--out", "out"); code != 0 {
		t.Fatalf("the next run: %s", stderr)
	}
	if left := leftovers(dir, "out"); left != nil {
		t.Errorf("the next run left %v of the killed one", left)
	}
}

// TestConcurrentProcessesSameOut: two bedrockplan processes writing one
// --out at once: one writes it, the other is refused by the first's lock
// (naming its process) or because the folder is then not empty.
func TestConcurrentProcessesSameOut(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "long.csv"), []byte(longMetrics(14)), 0o644)
	args := []string{"recommend", "--metrics", "long.csv", "--mu-input-tpm", "1000000", "--mu-output-tpm", "300000", "--scenarios", "0", "--out", "out"}
	a, b := startChild(t, dir, args...), startChild(t, dir, args...)
	codes := []int{a.wait(t, time.Minute), b.wait(t, time.Minute)}
	refusal := a.stderr.String() + b.stderr.String()
	if codes[0]+codes[1] != 1 {
		t.Fatalf("exit codes %v, want one 0 and one 1:\n%s", codes, refusal)
	}
	if !strings.Contains(refusal, "--out out is being written by another bedrockplan run (process ") && !strings.Contains(refusal, "--out out is not empty") {
		t.Errorf("refusal: %s", refusal)
	}
	if left := leftovers(dir, "out"); left != nil {
		t.Errorf("left %v", left)
	}
	t.Logf("exit codes %v; refused with: %s", codes, strings.TrimSpace(refusal))
}
