package ui

import (
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
)

// shotSizes are the window sizes every screenshot is taken at.
var shotSizes = []fyne.Size{{Width: 1280, Height: 800}, {Width: 1920, Height: 1080}}

// sizeName is a size as a screenshot's name has it: "1280x800".
func sizeName(s fyne.Size) string { return fmt.Sprintf("%dx%d", int(s.Width), int(s.Height)) }

// shotAtSizes takes name's screenshot at each of shotSizes.
func shotAtSizes(t *testing.T, w *Window, name string) {
	t.Helper()
	for _, sz := range shotSizes {
		onUI(func() { w.win.Resize(sz) })
		time.Sleep(100 * time.Millisecond)
		shot(t, w, name+"-"+sizeName(sz))
	}
}

// shot captures w's canvas into name.png and checks the picture is not
// blank. The file goes to the folder SKIFF_SHOTS names (docs/ for the
// README), or to a temporary one.
func shot(t *testing.T, w *Window, name string) {
	t.Helper()
	var img image.Image
	onUI(func() { img = w.win.Canvas().Capture() })
	colours := map[[4]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 4 {
		for x := b.Min.X; x < b.Max.X; x += 4 {
			r, g, bl, a := img.At(x, y).RGBA()
			colours[[4]uint32{r, g, bl, a}] = true
		}
	}
	if len(colours) < 8 {
		t.Fatalf("%s: %d colours, the window did not render", name, len(colours))
	}
	dir := os.Getenv("SKIFF_SHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	f, err := os.Create(filepath.Join(dir, name+".png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}
