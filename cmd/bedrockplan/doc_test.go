package main

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// docHead and docTail are doc.go around its list of commands.
const (
	docHead = `// Command bedrockplan tells how to pay for Amazon Bedrock inference: it
// replays request metrics against on-demand and Provisioned Throughput
// prices, compares strategies and recommends how many model units to
// commit, for which term.
//
// Usage:
//
//	bedrockplan COMMAND [flags]
//
// The commands:
//
`
	docTail = `//
// Run ` + "`bedrockplan help COMMAND`" + ` (or ` + "`bedrockplan COMMAND -h`" + `) for each
// command's flags and an example; flags may stand before or after a
// command's arguments.
//
// This comment is written by TestDocInStep from the table of commands
// (go test ./cmd/bedrockplan -run TestDocInStep -update).
package main
`
)

// TestDocInStep keeps doc.go's list of commands the table's, as the help
// lists them (commandList); -update rewrites doc.go.
func TestDocInStep(t *testing.T) {
	var b strings.Builder
	b.WriteString(docHead)
	for _, l := range commandList() {
		b.WriteString("//\t" + l + "\n")
	}
	b.WriteString(docTail)
	want := b.String()
	if *update {
		if err := os.WriteFile("doc.go", []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("doc.go is not the table of commands (go test -run TestDocInStep -update rewrites it):\n%s", lineDiff(string(got), want))
	}
}

// lineDiff lists the lines of got and want that differ, by number.
func lineDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	var b strings.Builder
	for i := range max(len(g), len(w)) {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			fmt.Fprintf(&b, "line %d:\n-%s\n+%s\n", i+1, gl, wl)
		}
	}
	return b.String()
}
