package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// readmeCommands returns the bedrockplan commands of the README's sh
// blocks, in order, each split into its arguments (continuation lines
// joined, trailing # comments dropped).
func readmeCommands(t *testing.T, readme string) [][]string {
	t.Helper()
	var out [][]string
	for _, block := range regexp.MustCompile("(?s)```sh\n(.*?)```").FindAllStringSubmatch(readme, -1) {
		text := strings.ReplaceAll(block[1], "\\\n", " ")
		for _, line := range strings.Split(text, "\n") {
			if i := strings.Index(line, " #"); i >= 0 {
				line = line[:i]
			}
			fields := strings.Fields(line)
			if len(fields) == 0 || fields[0] != "bedrockplan" {
				continue
			}
			if strings.ContainsAny(line, `"'$*?`) {
				t.Fatalf("README command needs a shell to split: %s", line)
			}
			out = append(out, fields[1:])
		}
	}
	return out
}

// needsAWS says whether a README command talks to AWS (and so cannot run
// here): fetch and account unless --dry-run, probe with --yes, pricing
// update. Their dry runs do run; tests with fake servers cover the rest.
func needsAWS(args []string) bool {
	has := func(flag string) bool {
		for _, a := range args {
			if a == flag {
				return true
			}
		}
		return false
	}
	switch args[0] {
	case "fetch", "account":
		return !has("--dry-run")
	case "probe":
		return has("--yes")
	case "pricing":
		return len(args) > 1 && args[1] == "update"
	}
	return false
}

// TestReadmeCommands: the README can be followed literally from a clean
// clone. Its quick start says how to build or install the binary and
// which tests skip without Chromium and a Japanese font; every
// bedrockplan command of its sh blocks runs, in order, in a fresh folder
// holding only the repository's testdata (the AWS ones as dry runs); and
// the demo prints the verdict the README shows.
func TestReadmeCommands(t *testing.T) {
	if raceDetector {
		t.Skip("the README's commands run the same code as the other tests, one after another; under -race they would only add minutes")
	}
	raw, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(raw)
	quick := readme[strings.Index(readme, "## Quick start"):strings.Index(readme, "## Commands")]
	for _, want := range []string{"go install ./cmd/bedrockplan", "go build -o bedrockplan ./cmd/bedrockplan", "`TestSummaryHTMLInBrowser`", "Chromium",
		"`TestJapaneseCharts`", "fonts-ipafont-gothic", "`.ci/run`"} {
		if !strings.Contains(quick, want) {
			t.Errorf("the quick start does not say %q", want)
		}
	}
	testdata, err := filepath.Abs("../../testdata")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.Symlink(testdata, filepath.Join(dir, "testdata")); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	cmds := readmeCommands(t, readme)
	if len(cmds) < 10 || cmds[0][0] != "demo" {
		t.Fatalf("README commands: %v", cmds)
	}
	ran := 0
	for _, args := range cmds {
		if needsAWS(args) {
			continue
		}
		stdout, stderr, code := runCLI(t, args...)
		if code != 0 {
			t.Errorf("bedrockplan %s: exit %d\n%s", strings.Join(args, " "), code, stderr)
		}
		ran++
		if args[0] == "demo" {
			// The verdict as the README shows it; the purchase date
			// follows the day of the run.
			shown := readme[strings.Index(readme, "\nRecommended for meta.llama3-1-70b"):]
			shown = shown[1:strings.Index(shown, "\n```")]
			date := regexp.MustCompile(`from \d{4}-\d\d-\d\d \d\d:\d\d JST \(commitments`)
			if got := date.ReplaceAllString(stdout, "from DATE (commitments"); !strings.HasPrefix(got, date.ReplaceAllString(shown, "from DATE (commitments")) {
				t.Errorf("the demo prints\n%s\nthe README shows\n%s", stdout, shown)
			}
		}
	}
	if ran < 9 {
		t.Errorf("ran %d README commands", ran)
	}
}
