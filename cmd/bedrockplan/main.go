package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // plan time zones must resolve on machines without a zoneinfo database
)

func main() {
	// Ctrl-C (or SIGTERM) cancels ctx: each command stops, removes what
	// it staged and says what it kept. After the first, the signals get
	// their default meaning back, so a second Ctrl-C ends the process at
	// once (what it staged is then removed by the next run).
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop()
	}()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bedrockplan:", err)
	}
	os.Exit(exitCode(err))
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
