package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// everyCommand lists every command and pricing subcommand, as typed.
func everyCommand() [][]string {
	var out [][]string
	for _, c := range commands() {
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
// money. help, -h and --help print the command list, and version and
// --version the version.
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
	if help, _, _ := runCLI(t, "help", "simulate"); !strings.Contains(help, "\n  -plan FILE\n    \tplan FILE to replay (required; recommend writes one)\n") ||
		!strings.Contains(help, "\n  -account-quotas FILE\n") {
		t.Errorf("simulate's help:\n%s", help)
	}
	if help, _, _ := runCLI(t, "help", "probe"); !strings.Contains(help, "Example:\n  # a dry run: prints the requests it would send and their cost, and sends nothing\n  bedrockplan probe --target ") {
		t.Errorf("probe's help does not show the dry run first:\n%s", help)
	}
	top, _, code := runCLI(t, "help")
	for _, args := range [][]string{{"-h"}, {"--help"}} {
		if got, _, c := runCLI(t, args...); c != 0 || got != top {
			t.Errorf("%v: exit %d\n%s", args, c, got)
		}
	}
	if code != 0 || !strings.Contains(top, "\n  version    print the version (also --version)\n") || !strings.Contains(top, "\n  help       this help; 'bedrockplan help COMMAND'") {
		t.Errorf("help:\n%s", top)
	}
	for _, c := range commands() {
		if !strings.Contains(top, "\n  "+c.name+" ") {
			t.Errorf("help does not list %s", c.name)
		}
	}
	t.Setenv("BEDROCKPLAN_VERSION", "v1.2.3")
	for _, v := range []string{"version", "--version", "-version"} {
		if got, stderr, code := runCLI(t, v); code != 0 || got != "bedrockplan v1.2.3\n" || stderr != "" {
			t.Errorf("%s: exit %d, %q %q", v, code, got, stderr)
		}
	}
}

// TestFlagMistakes: a mistyped flag, command or subcommand is one short
// line on stderr with the closest name, exit 2, and no help printed.
func TestFlagMistakes(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"simulate", "--plna", "plan.yaml"}, "bedrockplan: simulate: unknown flag --plna (did you mean --plan?); 'bedrockplan simulate -h' lists the flags\n"},
		{[]string{"recommend", "-time-zone", "UTC"}, "bedrockplan: recommend: unknown flag --time-zone (did you mean --timezone?); 'bedrockplan recommend -h' lists the flags\n"},
		{[]string{"pricing", "show", "--pricng", "x.yaml", "m"}, "bedrockplan: pricing show: unknown flag --pricng (did you mean --pricing?); 'bedrockplan pricing show -h' lists the flags\n"},
		{[]string{"recommend", "--scenarios", "many"}, "bedrockplan: recommend: invalid value \"many\" for flag -scenarios: parse error; 'bedrockplan recommend -h' lists the flags\n"},
		{[]string{"pricing", "shwo"}, "bedrockplan: pricing: unknown subcommand \"shwo\" (did you mean \"show\"?); the subcommands are list, show, update, diff\n"},
		{[]string{"pricing"}, "bedrockplan: pricing: which subcommand? list, show MODEL, update or diff FILE; 'bedrockplan pricing -h' says what each does\n"},
		{[]string{"pricing", "diff"}, "bedrockplan: pricing diff: which file? e.g. bedrockplan pricing diff prices.yaml\n"},
		{[]string{"report", "--from", "x", "extra"}, "bedrockplan: report: unexpected argument \"extra\": the command takes flags only, and every flag starts with -; 'bedrockplan report -h' lists them\n"},
	} {
		stdout, stderr, code := runCLI(t, c.args...)
		if code != 2 || stdout != "" || stderr != c.want {
			t.Errorf("%v: exit %d, stdout %q, stderr:\n%s\nwant:\n%s", c.args, code, stdout, stderr, c.want)
		}
	}
}

// TestFlagsEitherSide: flags work before and after the arguments
// (pricing show --pricing F MODEL is pricing show MODEL --pricing F), and
// after -- everything is an argument.
func TestFlagsEitherSide(t *testing.T) {
	const model = "meta.llama3-1-70b-instruct-v1:0"
	tmp := t.TempDir()
	ours := filepath.Join(tmp, "ours.yaml")
	os.WriteFile(ours, []byte("models:\n  "+model+":\n    regions:\n      us-west-2:\n        mu_throughput: {input_tpm: 1000000, output_tpm: 300000, provenance: account-team, source: \"our account team\", as_of: 2026-11-20}\n"), 0o644)
	newer := filepath.Join(tmp, "newer.yaml")
	os.WriteFile(newer, []byte("models:\n  "+model+":\n    regions:\n      us-west-2:\n        mu_throughput: {input_tpm: 1200000, output_tpm: 300000, provenance: measured, source: \"probe\", as_of: 2026-11-28}\n"), 0o644)

	before, _, code := runCLI(t, "pricing", "show", "--pricing", ours, model)
	after, _, code2 := runCLI(t, "pricing", "show", model, "--pricing", ours)
	if code != 0 || code2 != 0 || before != after || !strings.Contains(before, "input_tpm: 1e+06") || !strings.Contains(before, "source: our account team") {
		t.Errorf("pricing show, flags before (%d) and after (%d):\n%s\n%s", code, code2, before, after)
	}
	want := newer + " against the embedded catalogue with " + ours + " (as of 2026-11-26): 4 changes\n" +
		"  " + model + " us-west-2 mu_throughput.input_tpm: 1000000 -> 1200000\n" +
		"  " + model + ` us-west-2 mu_throughput.provenance: "account-team" -> "measured"` + "\n" +
		"  " + model + ` us-west-2 mu_throughput.source: "our account team" -> "probe"` + "\n" +
		"  " + model + ` us-west-2 mu_throughput.as_of: "2026-11-20" -> "2026-11-28"` + "\n"
	for _, args := range [][]string{{"pricing", "diff", "--pricing", ours, newer}, {"pricing", "diff", newer, "--pricing", ours}} {
		if got, stderr, code := runCLI(t, args...); code != 0 || got != want {
			t.Errorf("%v: exit %d %s\n%s\nwant\n%s", args, code, stderr, got, want)
		}
	}
	if _, stderr, code := runCLI(t, "pricing", "show", "--", "-odd"); code != 1 || !strings.Contains(stderr, `unknown model "-odd"`) {
		t.Errorf("after --: exit %d %s", code, stderr)
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
