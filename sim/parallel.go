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
	workers := min(n, runtime.GOMAXPROCS(0))
	if workers <= 1 {
		for i := range n {
			if err := f(i); err != nil {
				return err
			}
		}
		return nil
	}
	errs := make([]error, n)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += workers {
				errs[i] = f(i)
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
