package reports

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"testing"

	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// TestPNGSamePixels: every chart of a report, English and Japanese, drawn
// on newCanvas and written by encodeCanvas, decodes to the pixels it had
// drawn on vgimg.New and written by image/png.
func TestPNGSamePixels(t *testing.T) {
	r := loadedReport(t, richReport(t, LangEnglish))
	cts := map[string]ChartText{"en": {lang: LangEnglish}}
	if f := FindChartFont(); f != nil {
		cts["ja"] = ChartText{lang: LangJapanese, font: f}
	}
	for lang, ct := range cts {
		for name, fig := range chartFigures(t, r, ct) {
			old := vgimg.New(fig.w, fig.h)
			fig.draw(draw.New(old))
			var want bytes.Buffer
			if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&want, old.Image()); err != nil {
				t.Fatal(err)
			}
			c := newCanvas(fig.w, fig.h)
			fig.draw(draw.New(c))
			got, err := encodeCanvas(c)
			if err != nil {
				t.Fatal(err)
			}
			samePixels(t, lang+" "+name, got, want.Bytes())
			t.Logf("%s %s: %d bytes, image/png %d", lang, name, len(got), want.Len())
		}
	}
}

// TestPNGNotOpaque: an image with transparent pixels is written as
// image/png writes it.
func TestPNGNotOpaque(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 7, 5))
	for i := range img.Pix {
		img.Pix[i] = byte(i * 37)
	}
	img.SetRGBA(3, 2, color.RGBA{10, 20, 30, 40})
	var want bytes.Buffer
	if err := png.Encode(&want, img); err != nil {
		t.Fatal(err)
	}
	got, err := encodeImage(img)
	if err != nil {
		t.Fatal(err)
	}
	samePixels(t, "transparent", got, want.Bytes())
}

// samePixels fails t unless the PNGs got and want decode to the same
// size and pixels.
func samePixels(t *testing.T, name string, got, want []byte) {
	t.Helper()
	g, err := png.Decode(bytes.NewReader(got))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	w, err := png.Decode(bytes.NewReader(want))
	if err != nil {
		t.Fatal(err)
	}
	if g.Bounds() != w.Bounds() {
		t.Fatalf("%s: %v, want %v", name, g.Bounds(), w.Bounds())
	}
	b := w.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if gc, wc := color.NRGBA64Model.Convert(g.At(x, y)), color.NRGBA64Model.Convert(w.At(x, y)); gc != wc {
				t.Fatalf("%s: pixel %d,%d is %v, want %v", name, x, y, gc, wc)
			}
		}
	}
}
