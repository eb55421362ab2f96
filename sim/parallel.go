package sim

import (
	"runtime"
	"sync"
)

// forEach runs f for 0..n-1 on as many goroutines as Go may run at once
// (GOMAXPROCS). The scans of an analysis (the cost curve, the
// break-evens, the sensitivity's searches) are independent replays;
// each f writes only its own result, so the results do not depend on how
// the work is shared. The error returned is that of the lowest i that
// failed.
func forEach(n int, f func(i int) error) error {
	return forEachWorker(n, func(_, i int) error { return f(i) })
}

// workers is how many goroutines forEach runs n calls on.
func workers(n int) int { return min(n, runtime.GOMAXPROCS(0)) }

// forEachWorker is forEach, telling f which goroutine runs it (0 to
// workers(n)-1), so that each can keep scratch space of its own.
func forEachWorker(n int, f func(w, i int) error) error {
	nw := workers(n)
	if nw <= 1 {
		for i := range n {
			if err := f(0, i); err != nil {
				return err
			}
		}
		return nil
	}
	errs := make([]error, n)
	var wg sync.WaitGroup
	for w := range nw {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += nw {
				errs[i] = f(w, i)
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
