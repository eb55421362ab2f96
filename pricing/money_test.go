package pricing

import "testing"

func TestParseMoney(t *testing.T) {
	for _, m := range []Money{0, 1, -1, 999_999, 1_000_000, 8_346_413_665, -12_345_678, 1 << 60} {
		got, err := ParseMoney(m.Decimal())
		if err != nil || got != m {
			t.Errorf("ParseMoney(%q) = %d, %v; want %d", m.Decimal(), got, err, m)
		}
	}
	for s, want := range map[string]Money{"12": 12_000_000, "0.5": 500_000, "-0.000001": -1} {
		if got, err := ParseMoney(s); err != nil || got != want {
			t.Errorf("ParseMoney(%q) = %d, %v; want %d", s, got, err, want)
		}
	}
	for _, bad := range []string{"", ".5", "1.2345678", "1e3", "$1", "1,000.00", "NaN", "--1", "99999999999999999999"} {
		if _, err := ParseMoney(bad); err == nil {
			t.Errorf("ParseMoney(%q) accepted", bad)
		}
	}
}
