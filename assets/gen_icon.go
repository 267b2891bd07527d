//go:build ignore

// gen_icon draws Skiff's icon: a small boat with a sail on a blue rounded
// square, with two arrows in the sail for up- and download. Run with
// `go generate ./assets`; the output is icon.png.
package main

import (
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
)

const size = 512
const ss = 4 // supersampling per axis

func main() {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			var r, g, b, a float64
			for sy := 0; sy < ss; sy++ {
				for sx := 0; sx < ss; sx++ {
					px := (float64(x) + (float64(sx)+0.5)/ss) / size
					py := (float64(y) + (float64(sy)+0.5)/ss) / size
					c := shade(px, py)
					r += c[0] * c[3]
					g += c[1] * c[3]
					b += c[2] * c[3]
					a += c[3]
				}
			}
			n := float64(ss * ss)
			if a > 0 {
				r, g, b = r/a, g/a, b/a
			}
			img.SetNRGBA(x, y, color.NRGBA{uint8(r * 255), uint8(g * 255), uint8(b * 255), uint8(a / n * 255)})
		}
	}
	f, err := os.Create("icon.png")
	if err != nil {
		panic(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		panic(err)
	}
}

// shade returns RGBA in 0..1 for a point of the unit square.
func shade(x, y float64) [4]float64 {
	if !inRoundRect(x, y, 0.04, 0.04, 0.96, 0.96, 0.2) {
		return [4]float64{}
	}
	// background: deep blue to teal
	t := y
	c := [4]float64{0.07 + 0.02*t, 0.30 + 0.25*t, 0.62 - 0.12*t, 1}
	// waves
	wave := 0.78 + 0.02*math.Sin(x*math.Pi*6)
	if y > wave {
		c = [4]float64{0.05, 0.22, 0.45, 1}
	}
	// hull: trapezoid
	if y > 0.62 && y < 0.74 {
		k := (y - 0.62) / 0.12
		if x > 0.2+0.1*k && x < 0.8-0.06*k {
			return [4]float64{0.98, 0.62, 0.20, 1}
		}
	}
	// mast
	if x > 0.485 && x < 0.505 && y > 0.16 && y < 0.62 {
		return [4]float64{0.95, 0.95, 0.97, 1}
	}
	// main sail (right of mast) and jib (left)
	if y > 0.18 && y < 0.58 {
		k := (y - 0.18) / 0.40
		if x > 0.52 && x < 0.52+0.24*k {
			return [4]float64{1, 1, 1, 1}
		}
		if x < 0.47 && x > 0.47-0.2*k && y > 0.26 {
			return [4]float64{0.88, 0.93, 1, 1}
		}
	}
	return c
}

func inRoundRect(x, y, x0, y0, x1, y1, r float64) bool {
	if x < x0 || x > x1 || y < y0 || y > y1 {
		return false
	}
	cx := math.Max(x0+r, math.Min(x, x1-r))
	cy := math.Max(y0+r, math.Min(y, y1-r))
	return (x-cx)*(x-cx)+(y-cy)*(y-cy) <= r*r
}
