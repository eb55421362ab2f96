package main

import (
	"fmt"
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// childReady is the line a child process (below) writes on stderr once
// it catches Ctrl-C and SIGTERM; startChild's stderr watches for it.
const childReady = "bedrockplan-test: signals caught"

// TestMain lets the test binary be bedrockplan itself when
// BEDROCKPLAN_AS_MAIN=1: the signal tests run the real process (main's
// mainExit, its signal handling, its exit status) as a child, with no
// build step. The child says when its signal handling is in place, so a
// test can signal it then rather than after a guessed sleep.
//
// testscript.Main makes the test binary the command bedrockplan of the
// scripts in testdata/script (TestScripts): the same main, run as a
// process of its own.
func TestMain(m *testing.M) {
	if os.Getenv("BEDROCKPLAN_AS_MAIN") == "1" {
		os.Exit(mainExit(os.Args[1:], os.Stdout, os.Stderr, func() { fmt.Fprintln(os.Stderr, childReady) }))
	}
	testscript.Main(m, map[string]func(){
		"bedrockplan": func() { os.Exit(mainExit(os.Args[1:], os.Stdout, os.Stderr, func() {})) },
	})
}
