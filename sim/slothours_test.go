package sim

import (
	"math/rand/v2"
	"testing"
	"time"
)

// TestSlotHoursMatchesOccurrences: the one-walk slot hours equal, bit for
// bit, the per-slot sums over Window.occurrences that the optimiser used
// before, in zones with and without changes of offset (half-hour ones
// too) and on grids that start and end mid-hour.
func TestSlotHoursMatchesOccurrences(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	for _, zone := range []string{"UTC", "Asia/Tokyo", "America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kolkata", "America/St_Johns"} {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			t.Fatal(err)
		}
		for range 6 {
			start := time.Date(2025, time.Month(1+rng.IntN(12)), 1+rng.IntN(28), rng.IntN(24), 0, 0, 0, time.UTC).Unix()
			if rng.IntN(2) == 0 {
				start += int64(rng.IntN(3600))
			}
			step := []int64{60, 300, 3600}[rng.IntN(3)]
			g := grid{start: start, step: step, n: rng.IntN(400*86400/int(step)) + 1}
			var used [Slots]bool
			for sl := range used {
				used[sl] = rng.IntN(4) > 0
			}
			got := slotHours(g, loc, &used)
			var want [Slots]float64
			for sl := range Slots {
				if !used[sl] {
					continue
				}
				w := Window{Days: []time.Weekday{time.Weekday(sl / 24)}, From: Clock(sl % 24 * 60), To: Clock(sl%24*60 + 60)}
				for _, oc := range w.occurrences(loc, g.start, g.end()) {
					want[sl] += g.billedHours(oc[0], oc[1], 0)
				}
			}
			if got != want {
				for sl := range Slots {
					if got[sl] != want[sl] {
						t.Fatalf("%s, grid %+v: slot %d: %v hours, by occurrences %v", zone, g, sl, got[sl], want[sl])
					}
				}
			}
		}
	}
}
