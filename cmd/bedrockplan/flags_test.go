package main

import (
	"regexp"
	"strings"
	"testing"
)

// everyCommand lists every command and pricing subcommand that takes
// flags, as typed (help and version take none; their scripts check them).
func everyCommand() [][]string {
	var out [][]string
	for _, c := range commands() {
		if c.name == "help" || c.name == "version" {
			continue
		}
		if c.name == "pricing" {
			for _, s := range pricingCommands() {
				out = append(out, []string{"pricing", s.name})
			}
			continue
		}
		out = append(out, []string{c.name})
	}
	return out
}

// TestHelpEverywhere: bedrockplan help COMMAND, COMMAND -h and COMMAND
// --help print the same help on stdout and exit 0, for every command and
// pricing subcommand (pricing diff -h too); the help names every value
// (-plan FILE, never -plan recommend or -plan string); no example spends
// money; help lists every command of the table. (The scripts in
// testdata/script check each command's key help lines, the top-level
// help and the version.)
func TestHelpEverywhere(t *testing.T) {
	flagLine := regexp.MustCompile(`(?m)^  -([a-z0-9-]+)(?: (\S+))?$`)
	for _, cmd := range everyCommand() {
		name := strings.Join(cmd, " ")
		want, stderr, code := runCLI(t, append([]string{"help"}, cmd...)...)
		if code != 0 || stderr != "" || !strings.HasPrefix(want, "Usage: bedrockplan "+name+" ") {
			t.Errorf("help %s: exit %d, stderr %q\n%s", name, code, stderr, want)
			continue
		}
		for _, h := range []string{"-h", "--help", "-help"} {
			got, stderr, code := runCLI(t, append(cmd, h)...)
			if code != 0 || stderr != "" || got != want {
				t.Errorf("%s %s: exit %d, stderr %q; not the help of help %s:\n%s", name, h, code, stderr, name, got)
			}
		}
		flags := flagLine.FindAllStringSubmatch(want, -1)
		if len(flags) == 0 {
			t.Errorf("%s: no flags in the help:\n%s", name, want)
		}
		for _, m := range flags {
			// Go shows a type name (string, float, duration) where the
			// usage names no value; a bool flag takes none.
			if m[2] != "" && !regexp.MustCompile(`^[A-Z]+$`).MatchString(m[2]) {
				t.Errorf("%s -%s: the value is called %q, not a name", name, m[1], m[2])
			}
		}
		example := want[strings.Index(want, "\nExample"):]
		for _, l := range strings.Split(example, "\n") {
			l = strings.TrimSpace(l)
			if !strings.HasPrefix(l, "bedrockplan ") {
				continue
			}
			if strings.Contains(l, "--yes") || (strings.HasPrefix(l, "bedrockplan fetch") && !strings.Contains(l, "--dry-run")) {
				t.Errorf("%s: the example spends money: %s", name, l)
			}
		}
	}
	top, _, code := runCLI(t, "help")
	if code != 0 {
		t.Errorf("help: exit %d", code)
	}
	for _, c := range commands() {
		if !strings.Contains(top, "\n  "+c.name+" ") {
			t.Errorf("help does not list %s", c.name)
		}
	}
}

// TestOneSpellingPerIdea: no two flags of bedrockplan are spellings of
// one name (--timezone and --time-zone); an old spelling is accepted as
// a hidden alias.
func TestOneSpellingPerIdea(t *testing.T) {
	flagLine := regexp.MustCompile(`(?m)^  -([a-z0-9-]+)`)
	seen := map[string]string{}
	for _, cmd := range everyCommand() {
		help, _, _ := runCLI(t, append(cmd, "-h")...)
		for _, m := range flagLine.FindAllStringSubmatch(help, -1) {
			key := strings.ReplaceAll(m[1], "-", "")
			if other, ok := seen[key]; ok && other != m[1] {
				t.Errorf("--%s (%s) and --%s are one name spelled two ways", m[1], strings.Join(cmd, " "), other)
			}
			seen[key] = m[1]
		}
	}
	if help, _, _ := runCLI(t, "import", "-h"); strings.Contains(help, "time-zone") || !strings.Contains(help, "\n  -timezone ZONE\n") {
		t.Errorf("import's help:\n%s", help)
	}
}
