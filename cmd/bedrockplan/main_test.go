package main

import (
	"os"
	"testing"
)

// TestMain lets the test binary be bedrockplan itself when
// BEDROCKPLAN_AS_MAIN=1: the signal tests run the real process (main,
// its signal handling, its exit status) as a child, with no build step.
func TestMain(m *testing.M) {
	if os.Getenv("BEDROCKPLAN_AS_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}
