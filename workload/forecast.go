package workload

import (
	"errors"
	"fmt"
	"math"
	"time"

	"gonum.org/v1/gonum/stat/distuv"
)

// Forecast is a fitted model of hourly demand (tokens, input plus
// output): log(demand) = level + growth·hours + weekly profile + noise,
// fitted by least squares on hourly data with an hour-of-week effect for
// each of the week's 168 hours.
type Forecast struct {
	// End is the end of the history the model was fitted on.
	End time.Time
	// Location is where hours of the week are counted.
	Location *time.Location
	// GrowthPerHour is the fitted log-growth per hour and GrowthSE its
	// standard error.
	GrowthPerHour, GrowthSE float64
	// Profile is the mean hourly demand for each hour of the week
	// (Sunday 00:00 = 0), in requests, input and output tokens, scaled to
	// the level at End.
	Profile [168][3]float64
	// DaySigma is the standard deviation of a day's log demand around the
	// fit (the day-to-day noise scenarios draw from).
	DaySigma float64
	// Hours is the history length in hours; MAPE the mean absolute
	// percentage error of daily demand when the last week was forecast
	// from the weeks before it (NaN without three weeks of history).
	Hours int
	MAPE  float64
}

// WeeklyGrowth is the fitted growth per week, e.g. 0.03 for +3%.
func (f *Forecast) WeeklyGrowth() float64 { return math.Expm1(f.GrowthPerHour * 168) }

// DoublingWeeks is how many weeks demand takes to double at the fitted
// growth: negative when it shrinks (minus the weeks it takes to halve),
// 0 when it is flat.
func (f *Forecast) DoublingWeeks() float64 {
	if f.GrowthPerHour == 0 {
		return 0
	}
	return math.Ln2 / (f.GrowthPerHour * 168)
}

// GrowthInterval is the central prediction interval of weekly growth at
// the given level (0.8 for P10-P90).
func (f *Forecast) GrowthInterval(level float64) (lo, hi float64) {
	z := distuv.UnitNormal.Quantile(0.5 + level/2)
	return math.Expm1((f.GrowthPerHour - z*f.GrowthSE) * 168), math.Expm1((f.GrowthPerHour + z*f.GrowthSE) * 168)
}

// DemandAt is the expected hourly demand (requests, input, output) for
// the hour starting at t, from the profile and the trend.
func (f *Forecast) DemandAt(t time.Time) [3]float64 {
	lt := t.In(f.Location)
	p := f.Profile[int(lt.Weekday())*24+lt.Hour()]
	g := math.Exp(f.GrowthPerHour * t.Sub(f.End).Hours())
	return [3]float64{p[0] * g, p[1] * g, p[2] * g}
}

// MinForecastHistory is the least history a forecast is fitted on: two
// weeks, since less cannot separate a trend from the weekly pattern.
const MinForecastHistory = 14 * 24 * time.Hour

// minForecastHours is MinForecastHistory in hourly points.
const minForecastHours = int(MinForecastHistory / time.Hour)

// ErrShortHistory is FitForecast's error for a series shorter than
// MinForecastHistory. It states no length: the caller words the series'
// Span as every other message does (an hourly count would differ from it
// when the history does not start on the hour).
var ErrShortHistory = errors.New("a forecast of trend and weekly pattern needs at least two weeks of history")

// FitForecast fits the model to s (resampled to hours) in loc, and
// backtests it on the last week when there are three weeks or more.
func FitForecast(s *Series, loc *time.Location) (*Forecast, error) {
	if s.Span() < MinForecastHistory {
		return nil, fmt.Errorf("%s: %w", s.Key(), ErrShortHistory)
	}
	h, err := hourly(s)
	if err != nil {
		return nil, err
	}
	f, err := fit(h, loc)
	if err != nil {
		return nil, err
	}
	f.MAPE = math.NaN()
	if h.Len() >= minForecastHours+7*24 {
		week := 7 * 24
		n := h.Len() - week
		train := &Series{ModelID: h.ModelID, Period: time.Hour, Start: h.Start[:n], Invocations: h.Invocations[:n], InputTokens: h.InputTokens[:n], OutputTokens: h.OutputTokens[:n]}
		bt, err := fit(train, loc)
		if err != nil {
			return nil, err
		}
		var sum float64
		days := 0
		for d := range 7 {
			var actual, predicted float64
			for k := range 24 {
				i := n + d*24 + k
				actual += h.InputTokens[i] + h.OutputTokens[i]
				p := bt.DemandAt(h.Time(i))
				predicted += p[1] + p[2]
			}
			if actual > 0 {
				sum += math.Abs(predicted-actual) / actual
				days++
			}
		}
		if days > 0 {
			f.MAPE = sum / float64(days)
		}
	}
	return f, nil
}

func hourly(s *Series) (*Series, error) {
	if s.Period > time.Hour || time.Hour%s.Period != 0 {
		return nil, fmt.Errorf("%s: %s data cannot be summed into hours for a forecast", s.Key(), s.Period)
	}
	return Resample(s, time.Hour)
}

func fit(h *Series, loc *time.Location) (*Forecast, error) {
	n := h.Len()
	if n < minForecastHours {
		return nil, fmt.Errorf("%s: %w", h.Key(), ErrShortHistory)
	}
	// The model is log demand = growth × hours from the end + a level per
	// hour of the week present. Its least-squares fit has a closed form
	// (Frisch–Waugh–Lovell): the growth is the regression of log demand on
	// time within each hour-of-week slot, and each slot's level is its
	// mean less the growth at its mean time. That is the same estimate a
	// QR factorisation of the dummy-variable design gives, in O(n) rather
	// than O(n × slots²): a 455-day history has 10,920 rows and 169
	// columns.
	slots := make([]int, n)
	hours := make([]float64, n)
	y := make([]float64, n)
	end := h.End()
	// A small floor keeps idle hours finite in log space without letting
	// them dominate.
	var total float64
	for i := range n {
		total += h.InputTokens[i] + h.OutputTokens[i]
	}
	if total == 0 {
		return nil, errors.New("no demand to forecast")
	}
	floor := 1e-3 * total / float64(n)
	var count, meanT, meanY [168]float64
	for i := range n {
		t := h.Time(i)
		lt := t.In(loc)
		sl := int(lt.Weekday())*24 + lt.Hour()
		slots[i] = sl
		hours[i] = t.Sub(end).Hours()
		y[i] = math.Log(h.InputTokens[i] + h.OutputTokens[i] + floor)
		count[sl]++
		meanT[sl] += hours[i]
		meanY[sl] += y[i]
	}
	present := 0
	for sl := range count {
		if count[sl] > 0 {
			meanT[sl] /= count[sl]
			meanY[sl] /= count[sl]
			present++
		}
	}
	var sxy, sxx float64
	for i := range n {
		dt := hours[i] - meanT[slots[i]]
		sxy += dt * (y[i] - meanY[slots[i]])
		sxx += dt * dt
	}
	if sxx == 0 {
		return nil, errors.New("forecast: the history does not span time within any hour of the week")
	}
	growth := sxy / sxx
	// Residuals, per hour and summed per day.
	p := 1 + present
	var rss float64
	// Days in the order of the history (not a map's, whose order would
	// change the sums' last bits from run to run, and the scenarios with
	// them).
	var dayRes []float64
	var dayCount []int
	lastDay := int64(math.MinInt64)
	for i := range n {
		sl := slots[i]
		r := y[i] - (meanY[sl] + growth*(hours[i]-meanT[sl]))
		rss += r * r
		lt := h.Time(i).In(loc)
		if d := time.Date(lt.Year(), lt.Month(), lt.Day(), 0, 0, 0, 0, time.UTC).Unix(); d != lastDay {
			dayRes, dayCount, lastDay = append(dayRes, 0), append(dayCount, 0), d
		}
		dayRes[len(dayRes)-1] += r
		dayCount[len(dayCount)-1]++
	}
	sigma2 := rss / float64(max(1, n-p))
	// The growth's standard error: sqrt(sigma² (X'X)⁻¹[0,0]), where
	// (X'X)⁻¹[0,0] is 1/sxx once the slots' levels are partialled out.
	f := &Forecast{End: end, Location: loc, GrowthPerHour: growth, GrowthSE: math.Sqrt(sigma2 / sxx), Hours: n}
	var ds, dn float64
	for d, r := range dayRes {
		m := r / float64(dayCount[d])
		ds += m * m
		dn++
	}
	if dn > 1 {
		f.DaySigma = math.Sqrt(ds / (dn - 1))
	}
	// The profile: mean demand of each hour of the week, each observation
	// brought forward to the level at End by the fitted growth.
	var counts [168]float64
	for i := range n {
		g := math.Exp(-f.GrowthPerHour * h.Time(i).Sub(end).Hours())
		sl := slots[i]
		f.Profile[sl][0] += h.Invocations[i] * g
		f.Profile[sl][1] += h.InputTokens[i] * g
		f.Profile[sl][2] += h.OutputTokens[i] * g
		counts[sl]++
	}
	for sl := range f.Profile {
		if counts[sl] > 0 {
			for k := range 3 {
				f.Profile[sl][k] /= counts[sl]
			}
		}
	}
	return f, nil
}
