package workload

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// SynthConfig describes a synthetic workload: business-hours traffic in a
// time zone, with growth, noise and bursts. Rates are requests per minute.
type SynthConfig struct {
	ModelID  string
	Region   string
	Start    time.Time
	Days     int
	Period   time.Duration
	Location *time.Location // business hours are wall-clock times here

	BusinessDays []time.Weekday // default Monday to Friday
	OpenHour     int            // business hours start (default 9)
	CloseHour    int            // and end (default 17)

	PeakRPM     float64 // business-hours plateau
	OffHoursRPM float64 // business days outside business hours
	WeekendRPM  float64 // other days (daytime is 1.5x this, night 0.5x)

	GrowthPerWeek float64 // compound growth, 0.02 = +2% a week
	Noise         float64 // relative standard deviation of each interval's rate
	BurstsPerDay  float64 // expected bursts a day
	BurstFactor   float64 // rate multiplier during a burst
	BurstMinutes  int     // burst length

	InputTokensPerRequest  float64
	OutputTokensPerRequest float64

	Seed uint64
}

// SeedScenario is the workload of the note bedrockplan grew from: an
// internal assistant used in office hours in Tokyo, weekdays 9:00-17:00,
// two weeks of 1-minute data. The note ran it on Amazon Titan Text Express,
// now past end of life; the scenario runs on Llama 3.1 70B Instruct in
// us-west-2, a current model whose PT prices AWS publishes.
func SeedScenario(seed uint64) SynthConfig {
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		// Asia/Tokyo has no DST; a fixed zone is exact when tzdata is absent.
		tokyo = time.FixedZone("Asia/Tokyo", 9*3600)
	}
	return SynthConfig{
		ModelID:  "meta.llama3-1-70b-instruct-v1:0",
		Region:   "us-west-2",
		Start:    time.Date(2026, 11, 2, 0, 0, 0, 0, tokyo), // a Monday
		Days:     14,
		Period:   time.Minute,
		Location: tokyo,
		OpenHour: 9, CloseHour: 17,
		PeakRPM: 2400, OffHoursRPM: 700, WeekendRPM: 450,
		GrowthPerWeek: 0.03,
		Noise:         0.08,
		BurstsPerDay:  3, BurstFactor: 1.8, BurstMinutes: 10,
		InputTokensPerRequest:  1200,
		OutputTokensPerRequest: 350,
		Seed:                   seed,
	}
}

// Synthesize generates the workload c describes. The same config and
// seed give the same series on every platform.
func Synthesize(c SynthConfig) (*Series, error) {
	switch {
	case c.Days <= 0:
		return nil, errors.New("synthetic workload: Days must be > 0")
	case c.Period < time.Second || c.Period%time.Second != 0:
		return nil, fmt.Errorf("synthetic workload: period %s is not a whole number of seconds", c.Period)
	case c.Location == nil:
		return nil, errors.New("synthetic workload: no time zone")
	case c.PeakRPM < 0 || c.OffHoursRPM < 0 || c.WeekendRPM < 0 || c.Noise < 0 || c.BurstFactor < 0:
		return nil, errors.New("synthetic workload: rates, noise and burst factor must be ≥ 0")
	}
	days := c.BusinessDays
	if days == nil {
		days = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}
	}
	business := [7]bool{}
	for _, d := range days {
		business[d] = true
	}
	rng := rand.New(rand.NewPCG(c.Seed, c.Seed^0x9E3779B97F4A7C15))
	start := c.Start.UTC().Truncate(c.Period)
	end := c.Start.AddDate(0, 0, c.Days).UTC()
	n := int(end.Sub(start) / c.Period)
	s := &Series{ModelID: c.ModelID, Region: c.Region, Period: c.Period,
		Start: make([]int64, n), Invocations: make([]float64, n), InputTokens: make([]float64, n), OutputTokens: make([]float64, n)}
	minutes := c.Period.Minutes()
	perDay := float64(24*time.Hour) / float64(c.Period)
	burstLeft := 0
	for i := range n {
		t := start.Add(time.Duration(i) * c.Period)
		local := t.In(c.Location)
		hour := float64(local.Hour()) + float64(local.Minute())/60
		var rpm float64
		if business[local.Weekday()] {
			open := smoothstep(float64(c.OpenHour)-0.5, float64(c.OpenHour)+0.5, hour) *
				(1 - smoothstep(float64(c.CloseHour)-0.5, float64(c.CloseHour)+0.5, hour))
			lunch := 1 - 0.2*smoothstep(11.75, 12.25, hour)*(1-smoothstep(12.75, 13.25, hour))
			rpm = c.OffHoursRPM + (c.PeakRPM*lunch-c.OffHoursRPM)*open
		} else {
			rpm = c.WeekendRPM * (0.5 + smoothstep(8, 11, hour)*(1-smoothstep(19, 23, hour)))
		}
		weeks := t.Sub(start).Hours() / (24 * 7)
		rpm *= math.Pow(1+c.GrowthPerWeek, weeks)
		rpm *= math.Max(0, 1+c.Noise*rng.NormFloat64())
		if burstLeft == 0 && c.BurstsPerDay > 0 && rng.Float64() < c.BurstsPerDay/perDay {
			burstLeft = max(1, int(math.Ceil(float64(c.BurstMinutes)/minutes)))
		}
		if burstLeft > 0 {
			rpm *= c.BurstFactor
			burstLeft--
		}
		req := poisson(rng, rpm*minutes)
		s.Start[i] = t.Unix()
		s.Invocations[i] = req
		s.InputTokens[i] = math.Round(req * c.InputTokensPerRequest * math.Max(0.5, 1+0.05*rng.NormFloat64()))
		s.OutputTokens[i] = math.Round(req * c.OutputTokensPerRequest * math.Max(0.5, 1+0.05*rng.NormFloat64()))
	}
	return s, nil
}

// smoothstep rises from 0 at a to 1 at b with zero slope at both ends.
func smoothstep(a, b, x float64) float64 {
	t := math.Min(1, math.Max(0, (x-a)/(b-a)))
	return t * t * (3 - 2*t)
}

// poisson draws a Poisson count with mean lambda: exactly for small means,
// by the normal approximation above 30 where it is accurate to well under
// the noise the generator adds anyway.
func poisson(rng *rand.Rand, lambda float64) float64 {
	if lambda <= 0 {
		return 0
	}
	if lambda > 30 {
		return math.Max(0, math.Round(lambda+math.Sqrt(lambda)*rng.NormFloat64()))
	}
	l, k, p := math.Exp(-lambda), 0.0, 1.0
	for {
		p *= rng.Float64()
		if p <= l {
			return k
		}
		k++
	}
}
