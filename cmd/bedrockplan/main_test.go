package main

import (
	"fmt"
	"os"
	"testing"
)

// childReady is the line a child process (below) writes on stderr once
// it catches Ctrl-C and SIGTERM; startChild's stderr watches for it.
const childReady = "bedrockplan-test: signals caught"

// TestMain lets the test binary be bedrockplan itself when
// BEDROCKPLAN_AS_MAIN=1: the signal tests run the real process (main's
// mainExit, its signal handling, its exit status) as a child, with no
// build step. The child says when its signal handling is in place, so a
// test can signal it then rather than after a guessed sleep.
func TestMain(m *testing.M) {
	if os.Getenv("BEDROCKPLAN_AS_MAIN") == "1" {
		os.Exit(mainExit(os.Args[1:], os.Stdout, os.Stderr, func() { fmt.Fprintln(os.Stderr, childReady) }))
	}
	os.Exit(m.Run())
}
