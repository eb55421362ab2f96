package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// buyAt reads --buy-at: when the plan's commitments would be bought. A
// purchase is never dated in the past; the default is the next whole
// hour.
func buyAt(raw string) (time.Time, error) {
	n := now()
	if raw == "" {
		return n.Truncate(time.Hour).Add(time.Hour), nil
	}
	t, err := time.Parse(time.RFC3339, raw)
	if err != nil {
		return time.Time{}, fmt.Errorf("--buy-at %q: want an RFC 3339 time such as 2026-12-01T00:00:00Z", raw)
	}
	if t.Before(n) {
		return time.Time{}, fmt.Errorf("--buy-at %s is in the past (now %s): a purchase can only be made from now on", t.UTC().Format(time.RFC3339), n.Format(time.RFC3339))
	}
	return t.UTC(), nil
}

// parseDays reads a duration that may be given in days ("14d") as well
// as Go's units ("72h"); "0" is none.
func parseDays(raw string) (time.Duration, error) {
	if v, ok := strings.CutSuffix(raw, "d"); ok {
		n, err := strconv.ParseFloat(v, 64)
		if err != nil || n < 0 || n > 3650 {
			return 0, errors.New("want a number of days (0 to 3650) such as 14d, or a duration such as 72h")
		}
		return time.Duration(n * 24 * float64(time.Hour)), nil
	}
	if raw == "0" {
		return 0, nil
	}
	d, err := time.ParseDuration(raw)
	if err != nil || d < 0 {
		return 0, errors.New("want a number of days such as 14d, or a duration such as 72h")
	}
	return d, nil
}
