//go:build race

package probe_test

// raceDetector is set under -race, which slows every goroutine several
// times over: timing tests then measure the machine, not the probe.
const raceDetector = true
