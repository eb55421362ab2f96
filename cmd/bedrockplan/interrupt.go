package main

import (
	"context"
	"errors"
	"fmt"
	"os"
)

// untilInterrupted runs work (a replay, the optimiser, the Monte Carlo:
// computation that writes nothing and takes no context) and returns its
// result, or ctx's error as soon as ctx is done (Ctrl-C): the command
// then stops at once rather than when the work ends. The abandoned work
// ends with the process.
func untilInterrupted[T any](ctx context.Context, work func() (T, error)) (T, error) {
	var zero T
	if err := ctx.Err(); err != nil {
		return zero, err
	}
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1) // buffered: abandoned work does not block
	go func() {
		v, err := work()
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-ctx.Done():
		return zero, ctx.Err()
	}
}

// interrupted says what a run stopped by Ctrl-C (or SIGTERM) kept, when
// err is that interruption; other errors pass through. Nothing is written
// to out before the last step, so out is as it was.
func interrupted(err error, out string) error {
	if !errors.Is(err, context.Canceled) {
		return err
	}
	if _, statErr := os.Stat(out); statErr == nil {
		return fmt.Errorf("interrupted: stopped before writing anything; %s is as it was", out)
	}
	return fmt.Errorf("interrupted: stopped before writing anything (%s was not created)", out)
}
