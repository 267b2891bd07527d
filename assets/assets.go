// Package assets holds Skiff's embedded resources: the application icon.
// icon.png is drawn by gen_icon.go (go generate ./assets).
package assets

import (
	_ "embed"

	"fyne.io/fyne/v2"
)

//go:generate go run gen_icon.go

//go:embed icon.png
var iconPNG []byte

// Icon is the application icon.
var Icon = fyne.NewStaticResource("icon.png", iconPNG)
