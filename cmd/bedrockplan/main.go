package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // plan time zones must resolve on machines without a zoneinfo database
)

func main() {
	os.Exit(mainExit(os.Args[1:], os.Stdout, os.Stderr, func() {}))
}

// mainExit is main short of exiting: it runs the command with Ctrl-C
// (or SIGTERM) cancelling its context and returns the exit status.
// ready is called once those signals are caught, before the command
// starts; the signal tests, which run this as a process of their own
// (see TestMain), wait for it before signalling, since a signal that
// comes earlier still has its default meaning and kills the process.
func mainExit(args []string, stdout, stderr io.Writer, ready func()) int {
	// Ctrl-C (or SIGTERM) cancels ctx: each command stops, removes what
	// it staged and says what it kept. After the first, the signals get
	// their default meaning back, so a second Ctrl-C ends the process at
	// once (what it staged is then removed by the next run).
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop()
	}()
	ready()
	err := run(ctx, args, stdout, stderr)
	stop()
	if err != nil {
		fmt.Fprintln(stderr, "bedrockplan:", err)
	}
	return exitCode(err)
}

// exitCode is 0 for success, 2 for a usage mistake, 1 for anything else
// (bad input, failures).
func exitCode(err error) int {
	var ue usageError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ue):
		return 2
	}
	return 1
}
