package workload

import (
	"math"
	"testing"
	"time"
)

// TestForecastRecoversTrendAndWeek: on four weeks of synthetic traffic
// growing 3% a week with office hours in Tokyo, the fit finds the growth
// within half a percentage point, the office-hours to night ratio within
// 10%, and a backtest error under 10%.
func TestForecastRecoversTrendAndWeek(t *testing.T) {
	cfg := SeedScenario(9)
	cfg.Days = 28
	cfg.BurstsPerDay = 0
	s, err := Synthesize(cfg)
	if err != nil {
		t.Fatal(err)
	}
	f, err := FitForecast(s, cfg.Location)
	if err != nil {
		t.Fatal(err)
	}
	if g := f.WeeklyGrowth(); math.Abs(g-0.03) > 0.005 {
		t.Errorf("weekly growth %.4f, want 0.03 ± 0.005", g)
	}
	lo, hi := f.GrowthInterval(0.8)
	if !(lo < f.WeeklyGrowth() && f.WeeklyGrowth() < hi) || hi-lo > 0.02 {
		t.Errorf("80%% interval %.4f..%.4f", lo, hi)
	}
	// Tuesday 11:00 vs Tuesday 03:00 in Tokyo: 2400 vs 700 requests/min
	// in the generator (x60 an hour, lunch dip aside).
	office := f.Profile[2*24+11][0]
	night := f.Profile[2*24+3][0]
	if r := office / night; math.Abs(r/(2400.0/700)-1) > 0.1 {
		t.Errorf("office/night ratio %.2f, generator's %.2f", r, 2400.0/700)
	}
	if !(f.MAPE < 0.1) {
		t.Errorf("backtest MAPE %.3f", f.MAPE)
	}
	// The forecast a week ahead is the profile grown 3%.
	next := f.DemandAt(f.End.Add(7*24*time.Hour + 2*24*time.Hour + 2*time.Hour))
	base := f.DemandAt(f.End.Add(2*24*time.Hour + 2*time.Hour))
	if r := next[0] / base[0]; math.Abs(r-1-f.WeeklyGrowth()) > 1e-9 {
		t.Errorf("a week on the forecast grows %.4f, fitted growth %.4f", r-1, f.WeeklyGrowth())
	}
	short := *s
	short.Start, short.Invocations, short.InputTokens, short.OutputTokens = s.Start[:10*24*60], s.Invocations[:10*24*60], s.InputTokens[:10*24*60], s.OutputTokens[:10*24*60]
	if _, err := FitForecast(&short, cfg.Location); err == nil {
		t.Error("ten days of history accepted")
	}
}

// TestForecastDeterministic: the same history fits the same forecast to
// the last bit, time after time (the day-to-day noise once summed days
// in a map's order, and Monte Carlo scenarios drifted with it).
func TestForecastDeterministic(t *testing.T) {
	cfg := SeedScenario(7)
	cfg.Days = 21
	s, err := Synthesize(cfg)
	if err != nil {
		t.Fatal(err)
	}
	first, err := FitForecast(s, cfg.Location)
	if err != nil {
		t.Fatal(err)
	}
	for range 20 {
		f, err := FitForecast(s, cfg.Location)
		if err != nil {
			t.Fatal(err)
		}
		if *f != *first {
			t.Fatalf("refitted: %+v, first %+v", *f, *first)
		}
	}
}
