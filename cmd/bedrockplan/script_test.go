package main

import (
	"errors"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestScripts runs the CLI behaviour scripts of testdata/script, one per
// command: its help, its usage mistakes and one success, each a txtar
// file that runs bedrockplan as a process of its own (TestMain makes the
// test binary bedrockplan) in a folder of its own. `go test -run
// TestScripts/simulate` runs one; -update rewrites the files of a
// script's archive that its cmp commands compare with.
//
// No script reaches AWS: the environment is testscript's own (HOME is
// /no-home, no AWS_* variable passes through) plus no shared config or
// credentials files, the instance metadata service off and every AWS
// endpoint a closed local port; the clock and the version are fixed.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 filepath.Join("testdata", "script"),
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		UpdateScripts:       *update,
		Setup: func(env *testscript.Env) error {
			for k, v := range map[string]string{
				"AWS_EC2_METADATA_DISABLED":   "true",
				"AWS_CONFIG_FILE":             filepath.Join(env.WorkDir, "no-aws-config"),
				"AWS_SHARED_CREDENTIALS_FILE": filepath.Join(env.WorkDir, "no-aws-credentials"),
				"AWS_ENDPOINT_URL":            "http://127.0.0.1:1",
				"AWS_MAX_ATTEMPTS":            "1",
				"BEDROCKPLAN_NOW":             "2026-11-26T12:00:00Z",
				"BEDROCKPLAN_VERSION":         "v0.0.0-test",
			} {
				env.Setenv(k, v)
			}
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){"exits": exits},
	})
}

// exits N COMMAND [ARGS...] runs COMMAND as exec does (its stdout and
// stderr are then checked as exec's) and fails unless it exits with
// status N: 0 success, 1 bad input or a failure, 2 a usage mistake.
func exits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits N COMMAND [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	ts.Check(err)
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("%s: %v", args[1], err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited with status %d, want %d", args[1], got, want)
	}
}

// TestScriptPerCommand: every command of the table (help and version
// are two) has its script, and every script is a command's.
func TestScriptPerCommand(t *testing.T) {
	want := map[string]bool{}
	for _, c := range commands() {
		want[c.name] = true
	}
	scripts, err := filepath.Glob(filepath.Join("testdata", "script", "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range scripts {
		name := strings.TrimSuffix(filepath.Base(s), ".txtar")
		if !want[name] {
			t.Errorf("%s: no command %s", s, name)
		}
		delete(want, name)
	}
	for name := range want {
		t.Errorf("no script for %s: write testdata/script/%s.txtar (its help, its usage mistakes, one success)", name, name)
	}
}
