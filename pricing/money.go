package pricing

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Money is an amount in US micro-dollars (1e-6 USD). Costs are rounded to
// micro-dollars once per interval and summed as integers, so totals equal
// the sum of the per-interval values printed in CSV exactly.
type Money int64

// MicroPerUSD is the number of Money units in one dollar.
const MicroPerUSD = 1_000_000

// FromUSD converts dollars to Money, rounding half away from zero.
func FromUSD(usd float64) Money { return Money(math.Round(usd * MicroPerUSD)) }

// USD returns the amount in dollars.
func (m Money) USD() float64 { return float64(m) / MicroPerUSD }

// Decimal formats the exact amount with six decimals ("12.345678"), the
// form used in CSV files so that columns can be re-added to the cent.
func (m Money) Decimal() string { return string(m.AppendDecimal(nil)) }

// AppendDecimal appends the amount as Decimal formats it to b: a report
// writes hundreds of thousands of them, and this makes no garbage.
func (m Money) AppendDecimal(b []byte) []byte {
	u := uint64(m)
	if m < 0 {
		b = append(b, '-')
		u = -u
	}
	b = strconv.AppendUint(b, u/MicroPerUSD, 10)
	b = append(b, ".000000"...)
	// The six decimals, zero-padded, written from the right.
	for i, f := len(b)-1, u%MicroPerUSD; f > 0; i, f = i-1, f/10 {
		b[i] = byte('0' + f%10)
	}
	return b
}

// String formats the amount rounded to cents with thousands separators,
// "$12,345.68", for prose and charts.
func (m Money) String() string {
	cents := (int64(m) + sign(int64(m))*MicroPerUSD/200) / (MicroPerUSD / 100)
	neg := cents < 0
	if neg {
		cents = -cents
	}
	s := "$" + Thousands(cents/100) + "." + strconv.FormatInt(cents%100/10, 10) + strconv.FormatInt(cents%10, 10)
	if neg {
		return "-" + s
	}
	return s
}

func sign(v int64) int64 {
	if v < 0 {
		return -1
	}
	return 1
}

// CompactTPM writes a tokens-per-minute figure compactly and exactly:
// 400,000 → "400K", 1,250,000 → "1.25M".
func CompactTPM(v float64) string {
	switch {
	case v >= 1e6:
		return strconv.FormatFloat(v/1e6, 'f', -1, 64) + "M"
	case v >= 1e3:
		return strconv.FormatFloat(v/1e3, 'f', -1, 64) + "K"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// Thousands formats an integer with comma thousands separators.
func Thousands(v int64) string {
	s := strconv.FormatInt(v, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// ParseMoney reads an amount written by Decimal (or any plain decimal with
// at most six places) exactly, without going through a float.
func ParseMoney(s string) (Money, error) {
	t := strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(t, ".")
	if whole == "" || len(frac) > 6 || strings.Trim(whole+frac, "0123456789") != "" {
		return 0, fmt.Errorf("%q is not an amount in dollars with at most six decimals", s)
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w > math.MaxInt64/MicroPerUSD-1 {
		return 0, fmt.Errorf("%q is out of range", s)
	}
	f, _ := strconv.ParseInt(frac+strings.Repeat("0", 6-len(frac)), 10, 64)
	m := Money(w*MicroPerUSD + f)
	if strings.HasPrefix(s, "-") {
		m = -m
	}
	return m, nil
}
