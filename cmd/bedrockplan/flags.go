package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/bedrockplan/bedrockplan/internal/suggest"
)

// helpError carries the help a user asked for (-h, --help, bedrockplan
// help COMMAND): the dispatcher prints it on stdout and exits 0. It
// unwraps to flag.ErrHelp.
type helpError struct{ text string }

func (e helpError) Error() string { return "help requested" }
func (e helpError) Unwrap() error { return flag.ErrHelp }

// aliasUsage starts the usage of a hidden alias: an old spelling of a
// flag, accepted but not shown in the help (one spelling for one idea).
const aliasUsage = "alias of -"

// newFlagSet makes a command's FlagSet. Its Usage writes the help (usage
// line, description, flags, examples) to the FlagSet's output; parse
// turns -h into a helpError with that text. The flag package itself
// prints nothing: a mistake is one short error, said once by main.
//
// Each flag's usage names its value in backquotes (`FILE`, `N`), which
// the help shows after the flag (-plan FILE); examples is one command a
// line (lines starting with # are comments), and none may spend money:
// a command that would is shown as its dry run.
func newFlagSet(name, usage, examples string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "Usage: bedrockplan %s [flags]\n\n%s\n\nFlags:\n", name, usage)
		printFlags(w, fs)
		lines := strings.Split(examples, "\n")
		commands := 0
		for _, l := range lines {
			if strings.HasPrefix(l, "bedrockplan ") {
				commands++
			}
		}
		if commands > 1 {
			fmt.Fprintf(w, "\nExamples:\n")
		} else {
			fmt.Fprintf(w, "\nExample:\n")
		}
		for _, l := range lines {
			fmt.Fprintf(w, "  %s\n", l)
		}
	}
	return fs
}

// withArgs makes the usage line of fs name its arguments:
// "Usage: bedrockplan pricing show MODEL [flags]".
func withArgs(fs *flag.FlagSet, args string) {
	usage := fs.Usage
	fs.Usage = func() {
		w := fs.Output()
		var b strings.Builder
		fs.SetOutput(&b)
		usage()
		fs.SetOutput(w)
		fmt.Fprint(w, strings.Replace(b.String(), "bedrockplan "+fs.Name()+" [flags]", "bedrockplan "+fs.Name()+" "+args+" [flags]", 1))
	}
}

// alias accepts old as another spelling of the flag name, hidden from
// the help.
func alias(fs *flag.FlagSet, old, name string) {
	fs.Var(fs.Lookup(name).Value, old, aliasUsage+name)
}

// printFlags writes the flags as flag.PrintDefaults does (name, value
// name, usage, default), without the hidden aliases.
func printFlags(w io.Writer, fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		if strings.HasPrefix(f.Usage, aliasUsage) {
			return
		}
		name, usage := flag.UnquoteUsage(f)
		line := "  -" + f.Name
		if name != "" {
			line += " " + name
		}
		line += "\n    \t" + strings.ReplaceAll(usage, "\n", "\n    \t")
		if d := f.DefValue; d != "" && d != "0" && d != "false" && d != "0s" {
			if g, ok := f.Value.(flag.Getter); ok {
				if _, isString := g.Get().(string); isString {
					d = fmt.Sprintf("%q", d)
				}
			}
			line += " (default " + d + ")"
		}
		fmt.Fprintln(w, line)
	})
}

// help is the help text of fs.
func help(fs *flag.FlagSet) string {
	var b strings.Builder
	w := fs.Output()
	fs.SetOutput(&b)
	fs.Usage()
	fs.SetOutput(w)
	return b.String()
}

// parse parses a command that takes no arguments, only flags.
func parse(fs *flag.FlagSet, args []string) error {
	rest, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("%s: unexpected argument %q: the command takes flags only, and every flag starts with -; 'bedrockplan %s -h' lists them", fs.Name(), rest[0], fs.Name())
	}
	return nil
}

// parseArgs parses flags wherever they stand among the arguments
// (bedrockplan pricing show --pricing F MODEL and pricing show MODEL
// --pricing F alike) and returns the arguments that are not flags, in
// order; after "--" everything is an argument. -h gives a helpError; a
// flag mistake one line, with the closest flag name when it is a typo.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, flagError(fs, err)
		}
		left := fs.Args()
		if len(left) == 0 {
			return rest, nil
		}
		if n := len(args) - len(left); n > 0 && args[n-1] == "--" {
			return append(rest, left...), nil
		}
		rest, args = append(rest, left[0]), left[1:]
	}
}

// flagError words an error of fs.Parse: help asked for, an unknown flag
// (with a did-you-mean), or a bad value, each with where the flags are
// listed; never the whole help.
func flagError(fs *flag.FlagSet, err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return helpError{help(fs)}
	}
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		name = strings.TrimPrefix(name, "-")
		msg = fmt.Sprintf("unknown flag --%s", name)
		if s := suggest.Closest(name, flagNames(fs)); s != "" {
			msg += fmt.Sprintf(" (did you mean --%s?)", s)
		}
	}
	return usagef("%s: %s; 'bedrockplan %s -h' lists the flags", fs.Name(), msg, fs.Name())
}

// flagNames lists the flags of fs a user is shown, without aliases.
func flagNames(fs *flag.FlagSet) []string {
	var names []string
	fs.VisitAll(func(f *flag.Flag) {
		if !strings.HasPrefix(f.Usage, aliasUsage) {
			names = append(names, f.Name)
		}
	})
	return names
}
