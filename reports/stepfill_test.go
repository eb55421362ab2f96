package reports

import (
	"bytes"
	"image"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg/draw"
)

// TestStepFillSamePixels: stepFill draws every pixel as plotter.Line does
// with StepStyle PostStep, a FillColor and no stroke, layers stacked as
// the demand chart stacks them: daily steps a year long (wider than a
// pixel), 15-minute ones two weeks long (narrower), flat runs and zeros,
// a single point, and axes that cut the layers off (above, below, left
// and right).
func TestStepFillSamePixels(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 2))
	layers := func(n int, step float64, jag float64) []plotter.XYs {
		var out []plotter.XYs
		base := make([]float64, n)
		for l := range 5 {
			xy := make(plotter.XYs, n)
			v := 0.0
			for i := range n {
				switch {
				case l == 4 && i%3 != 0: // mostly nothing on top
					v = 0
				case rng.IntN(10) == 0 && i > 0: // the step before held
				default:
					v = (1 + math.Sin(float64(i)/7)) * (1 + jag*rng.Float64()) * float64(5-l)
				}
				base[i] += v
				xy[i] = plotter.XY{X: 1.7e9 + float64(i)*step, Y: base[i]}
			}
			out = append(out, xy)
		}
		return out
	}
	cases := []struct {
		name   string
		layers []plotter.XYs
		axes   func(p *plot.Plot)
	}{
		{"daily, a year", layers(455, 86400, 0.8), nil},
		{"15-minute, two weeks", layers(1344, 900, 0.3), nil},
		{"one point", layers(1, 3600, 0.5), nil},
		{"two points", layers(2, 3600, 0.5), nil},
		{"cut off", layers(400, 3600, 1), func(p *plot.Plot) {
			p.Y.Min, p.Y.Max = 3, 20
			p.X.Min, p.X.Max = 1.7e9+50*3600, 1.7e9+300*3600
		}},
	}
	cols := []legendEntry{{"", ColorReserved}, {"", ColorSixMonths}, {"", ColorNoCommit}, {"", ColorOnDemand}, {"", ColorThrottled}}
	for _, c := range cases {
		draw1 := func(traced bool) *image.RGBA {
			p := newPlot(ChartText{lang: LangEnglish}, c.name, "x", "y")
			for l := len(c.layers) - 1; l >= 0; l-- {
				if traced {
					p.Add(stepFill{c.layers[l], cols[l].col})
					continue
				}
				line, err := plotter.NewLine(c.layers[l])
				if err != nil {
					t.Fatal(err)
				}
				line.StepStyle = plotter.PostStep
				line.FillColor, line.Color, line.Width = cols[l].col, cols[l].col, 0
				p.Add(line)
			}
			if c.axes != nil {
				c.axes(p)
			}
			cv := newCanvas(chartWidth, chartHeight)
			p.Draw(inset(draw.New(cv)))
			return cv.Image().(*image.RGBA)
		}
		want, got := draw1(false), draw1(true)
		if !bytes.Equal(got.Pix, want.Pix) {
			diff := 0
			for i := range got.Pix {
				if got.Pix[i] != want.Pix[i] {
					diff++
				}
			}
			t.Errorf("%s: %d bytes differ", c.name, diff)
		}
	}
}
