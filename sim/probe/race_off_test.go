//go:build !race

package probe_test

// raceDetector is set under -race; see race_on_test.go.
const raceDetector = false
