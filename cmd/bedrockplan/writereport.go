package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/bedrockplan/bedrockplan/reports"
)

// writeReport writes the folder of r, a planning run's report, plus what
// extra adds to it (nil: nothing); nothing appears at out unless
// everything was written, and nothing if ctx is done (Ctrl-C) before the
// folder is swapped in.
func writeReport(ctx context.Context, r *reports.Report, out string, force bool, inputFiles []string, extra map[string]func(io.Writer) error, stdout io.Writer) error {
	folder, err := reports.CreateFolder(out, force, inputFiles...)
	if err != nil {
		return err
	}
	defer folder.Abort()
	folder.StopOn(ctx)
	if err := r.Write(folder); err != nil {
		return interrupted(err, out)
	}
	files := r.Files()
	for name, write := range extra {
		if err := folder.Write(name, write); err != nil {
			return interrupted(err, out)
		}
		files = append(files, name)
	}
	if err := ctx.Err(); err != nil {
		return interrupted(err, out) // the deferred Abort removes the staging folder
	}
	if err := folder.Commit(); err != nil {
		return err
	}
	fmt.Fprint(stdout, r.Verdict())
	fmt.Fprintf(stdout, "\nReport written to %s: %s\n", out, strings.Join(files, ", "))
	return nil
}

func quoteArgs(args []string) string {
	out := make([]string, len(args))
	for i, a := range args {
		if a == "" || strings.ContainsAny(a, " \t\"'$\\") {
			a = strconv.Quote(a)
		}
		out[i] = a
	}
	return strings.Join(out, " ")
}
