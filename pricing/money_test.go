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

// TestAppendDecimal: AppendDecimal appends what Decimal returns, after
// what b held, for amounts of every width (padding), sign and size.
func TestAppendDecimal(t *testing.T) {
	for _, c := range []struct {
		m    Money
		want string
	}{
		{0, "0.000000"}, {1, "0.000001"}, {-1, "-0.000001"}, {10, "0.000010"}, {999_999, "0.999999"},
		{1_000_000, "1.000000"}, {-1_000_001, "-1.000001"}, {8_346_413_665, "8346.413665"},
		{1 << 60, "1152921504606.846976"}, {-(1 << 62), "-4611686018427.387904"},
	} {
		if got := string(c.m.AppendDecimal([]byte("x,"))); got != "x,"+c.want {
			t.Errorf("AppendDecimal(%d) = %q, want %q", c.m, got, "x,"+c.want)
		}
		if got := c.m.Decimal(); got != c.want {
			t.Errorf("Decimal(%d) = %q, want %q", c.m, got, c.want)
		}
	}
}
