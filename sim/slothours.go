package sim

import "time"

// slotHours is, for every slot used, the hours one scheduled MU held in
// that slot is billed over the grid, as the timeline bills it: the sum
// of billedHours over the occurrences of the slot's hour (the Window of
// that weekday, from its hour to the next). It walks the days once for
// all the slots, where Window.occurrences walks them once per slot;
// each slot's occurrences come in the same order, so the sums are the
// same to the bit.
func slotHours(g grid, loc *time.Location, used *[Slots]bool) [Slots]float64 {
	var hours [Slots]float64
	start, end := g.start, g.end()
	first := time.Unix(start, 0).In(loc)
	day := time.Date(first.Year(), first.Month(), first.Day()-1, 0, 0, 0, 0, loc)
	for ; day.Unix() < end; day = time.Date(day.Year(), day.Month(), day.Day()+1, 0, 0, 0, 0, loc) {
		y, mo, d := day.Date()
		wd := int(day.Weekday())
		for h := range 24 {
			sl := wd*24 + h
			if !used[sl] {
				continue
			}
			// As Window.occurrences for From h:00 and To an hour later
			// (To > From: it ends on the same day, 24:00 being the
			// next midnight).
			from := wallClockAt(y, mo, d, h*60, loc, false)
			to := wallClockAt(y, mo, d, h*60+60, loc, true)
			if to.Unix() > start && from.Unix() < end {
				hours[sl] += g.billedHours(from.Unix(), to.Unix(), 0)
			}
		}
	}
	return hours
}
