package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/bedrockplan/bedrockplan/internal/suggest"
)

// usageError is a mistake in how bedrockplan was called (exit status 2);
// every other error is bad input or a failure (exit status 1).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// command is one of bedrockplan's commands (or one of a command's
// subcommands). The table of them gives the top-level help and the
// dispatcher alike.
type command struct {
	name, summary string
	run           func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

// commands are bedrockplan's commands, in the order the help lists them.
func commands() []command {
	return []command{
		{"demo", "run the whole planner on built-in sample traffic; needs no AWS account", runDemo},
		{"simulate", "replay a metrics CSV against a plan file and write a report", runSimulate},
		{"recommend", "find the cheapest plan (Reserved tier, committed and scheduled PT, on-demand) for a model or a whole account; write a report and plan.yaml", runRecommend},
		{"fetch", "pull AWS/Bedrock metrics from CloudWatch into a metrics CSV (incremental)", runFetch},
		{"probe", "measure a model or PT live (latency, throughput, throttling) and calibrate MU throughput; dry run unless --yes", runProbe},
		{"account", "read quotas, existing PT, current prices and model lifecycle from the AWS account", runAccount},
		{"import", "turn request-level data (request CSVs, invocation logs, get-metric-data JSON) into a metrics CSV", runImport},
		{"report", "render a report folder's summaries and charts again from its CSV files (e.g. in Japanese)", runReport},
		{"pricing", "list the price catalogue, show one model's prices and their sources, update or diff an override", runPricing},
		{"help", "this help; 'bedrockplan help COMMAND' is the command's (as 'bedrockplan COMMAND -h')", runHelp},
		{"version", "print the version (also --version)", runVersion},
	}
}

// commandList is the list of commands the help and doc.go show, one a
// line.
func commandList() []string {
	var lines []string
	for _, c := range commands() {
		lines = append(lines, fmt.Sprintf("%-10s %s", c.name, c.summary))
	}
	return lines
}

// topUsage is bedrockplan's own help.
func topUsage() string {
	var b strings.Builder
	b.WriteString("bedrockplan: how to pay for Amazon Bedrock inference.\n\nUsage: bedrockplan COMMAND [flags]\n\nCommands:\n")
	for _, l := range commandList() {
		fmt.Fprintf(&b, "  %s\n", l)
	}
	b.WriteString("\nRun 'bedrockplan help COMMAND' for a command's flags and an example.\n")
	return b.String()
}

// run is bedrockplan without the process around it: tests call it. Help
// that was asked for is printed on stdout.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	err := dispatch(ctx, args, stdout, stderr)
	var h helpError
	if errors.As(err, &h) {
		fmt.Fprint(stdout, h.text)
		return nil
	}
	return err
}

// dispatch runs the command args name.
func dispatch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, topUsage())
		return usagef("no command given")
	}
	switch args[0] {
	case "-h", "-help", "--help":
		return helpError{topUsage()}
	case "-version", "--version":
		return runVersion(ctx, nil, stdout, stderr)
	}
	return runFrom(ctx, commands(), args, stdout, stderr, func(unknown, names string) string {
		return unknown + "; commands: " + names + " ('bedrockplan help' says what each does)"
	})
}

// runHelp is 'bedrockplan help [COMMAND]': the top-level help, or the
// command's ('help pricing diff' is 'pricing diff -h').
func runHelp(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return helpError{topUsage()}
	}
	return dispatch(ctx, append(slices.Clone(args), "-h"), stdout, stderr)
}

// versionUsage is the version command's help.
const versionUsage = "Usage: bedrockplan version (or bedrockplan --version)\n\nPrints bedrockplan's version: the module version it was built as, else the VCS revision.\n"

// runVersion is 'bedrockplan version'.
func runVersion(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		if a := args[0]; a == "-h" || a == "-help" || a == "--help" {
			return helpError{versionUsage}
		}
		return usagef("version: takes no arguments, got %q", args[0])
	}
	fmt.Fprintf(stdout, "bedrockplan %s\n", version())
	return nil
}

// runFrom runs the command of table that args[0] names; an unknown name
// is a usage error with a did-you-mean, worded by say from "unknown
// command ..." and the list of names.
func runFrom(ctx context.Context, table []command, args []string, stdout, stderr io.Writer, say func(unknown, names string) string) error {
	var names []string
	for _, c := range table {
		if c.name == args[0] {
			return c.run(ctx, args[1:], stdout, stderr)
		}
		names = append(names, c.name)
	}
	msg := fmt.Sprintf("unknown command %q", args[0])
	if s := suggest.Closest(args[0], names); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	return usagef("%s", say(msg, strings.Join(names, ", ")))
}
