package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// compactTheme is Fyne's default theme (so it follows the system's light or
// dark variant) with the tighter spacing a file manager needs: FileZilla
// shows about twice as many rows per screen as Fyne's touch-friendly sizes.
type compactTheme struct {
	fyne.Theme
	variant *fyne.ThemeVariant // the user's choice (Settings.Theme); nil: the system's
}

func newCompactTheme() fyne.Theme { return compactTheme{Theme: theme.DefaultTheme()} }

// themeFor returns the compact theme in the variant named by Settings.Theme.
func themeFor(name string) fyne.Theme {
	t := compactTheme{Theme: theme.DefaultTheme()}
	switch name {
	case "light":
		v := theme.VariantLight
		t.variant = &v
	case "dark":
		v := theme.VariantDark
		t.variant = &v
	}
	return t
}

// name is the Settings.Theme spelling of t's variant.
func (t compactTheme) name() string {
	switch {
	case t.variant == nil:
		return "system"
	case *t.variant == theme.VariantDark:
		return "dark"
	}
	return "light"
}

func (t compactTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if t.variant != nil {
		v = *t.variant
	}
	return t.Theme.Color(n, v)
}

func (t compactTheme) Size(n fyne.ThemeSizeName) float32 {
	switch n {
	case theme.SizeNamePadding:
		return 2
	case theme.SizeNameInnerPadding:
		return 5
	case theme.SizeNameText:
		return 13
	case theme.SizeNameLineSpacing:
		return 2
	case theme.SizeNameSeparatorThickness:
		return 1
	case theme.SizeNameInlineIcon:
		return 16
	case theme.SizeNameScrollBarSmall:
		return 3
	}
	return t.Theme.Size(n)
}
