package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	_ "time/tzdata" // plan time zones must resolve on machines without a zoneinfo database
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
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
