package ui

import (
	"path"
	"strconv"
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/skiff-ftp/skiff/engine/listing"
	"github.com/skiff-ftp/skiff/engine/queue"
)

// quickFilter is the text of a pane's filter bar (FileZilla's quick
// search): a case-insensitive substring of the name, or, when the text
// holds '*' or '?', a case-insensitive glob on the whole name.
type quickFilter struct {
	pat   string // lower-cased
	glob  bool
	ascii bool // pat is ASCII: names are compared without lower-casing a copy
}

func newQuickFilter(text string) quickFilter {
	pat := strings.ToLower(strings.TrimSpace(text))
	return quickFilter{pat: pat, glob: strings.ContainsAny(pat, "*?"), ascii: isASCII(pat)}
}

// empty reports whether the filter lets every name through.
func (q quickFilter) empty() bool { return q.pat == "" }

// match reports whether name passes the filter. It allocates nothing for
// an ASCII substring, so 100,000 names take a few milliseconds.
func (q quickFilter) match(name string) bool {
	switch {
	case q.pat == "":
		return true
	case q.glob:
		ok, _ := path.Match(q.pat, strings.ToLower(name))
		return ok
	case q.ascii:
		return containsFoldASCII(name, q.pat)
	}
	return strings.Contains(strings.ToLower(name), q.pat)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// containsFoldASCII reports whether s holds sub (ASCII, lower case),
// ignoring the case of ASCII letters in s.
func containsFoldASCII(s, sub string) bool {
	n := len(sub)
	for i := 0; i+n <= len(s); i++ {
		j := 0
		for ; j < n; j++ {
			c := s[i+j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != sub[j] {
				break
			}
		}
		if j == n {
			return true
		}
	}
	return false
}

// filterRows makes order the entries of all that the filter shows, in
// all's (sorted) order: one pass, no sorting.
func (ft *fileTable) filterRows() {
	if ft.filter == nil {
		ft.order = ft.all
		return
	}
	order := make([]int32, 0, len(ft.all))
	for _, i := range ft.all {
		if ft.filter(&ft.entries[i]) {
			order = append(order, i)
		}
	}
	ft.order = order
}

// SetFilter shows only the entries f accepts (nil: all). Selected entries
// that are no longer shown are unselected: what is not on screen is never
// acted on.
func (ft *fileTable) SetFilter(f func(e *listing.Entry) bool) {
	ft.filter = f
	ft.filterRows()
	shown := make(map[int32]bool, len(ft.selected))
	for _, i := range ft.order {
		if ft.selected[i] {
			shown[i] = true
		}
	}
	if len(shown) != len(ft.selected) {
		keepUp := ft.selected[-1]
		ft.selected = shown
		if keepUp {
			ft.selected[-1] = true
		}
		ft.changed()
	}
	ft.anchor = -1
	ft.table.Refresh()
	ft.table.ScrollToTop()
}

// shownOf returns how many entries are shown and how many there would be
// without the filters.
func (ft *fileTable) shownOf() (shown, total int) { return len(ft.order), len(ft.all) }

// filterEntry is the filter bar's entry: Esc clears it. OnDone is called
// when Esc cleared it or it lost the focus empty: the bar then goes away.
type filterEntry struct {
	widget.Entry
	OnDone func()
}

func (e *filterEntry) FocusLost() {
	e.Entry.FocusLost()
	if e.Text == "" && e.OnDone != nil {
		e.OnDone()
	}
}

func newFilterEntry() *filterEntry {
	e := &filterEntry{}
	e.ExtendBaseWidget(e)
	e.SetPlaceHolder("Filter names (Ctrl+I)")
	return e
}

func (e *filterEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape {
		e.SetText("")
		if e.OnDone != nil {
			e.OnDone()
		}
		return
	}
	e.Entry.TypedKey(k)
}

// filterBar is the row above a file table: "Filter:" and the entry.
func filterBar(e *filterEntry) fyne.CanvasObject {
	return container.NewBorder(nil, nil, widget.NewLabel("Filter:"), nil, e)
}

// setQuickFilter applies the filter bar's text to the table. The bar is
// on screen while it holds a filter (or was asked for: showFilter), so
// the table keeps its rows the rest of the time.
func (p *pane) setQuickFilter(text string) {
	p.quick = newQuickFilter(text)
	if text != "" {
		p.showFilter(true)
	}
	p.applyFilters()
}

// showFilter puts the filter bar above the table or takes it away.
func (p *pane) showFilter(on bool) {
	if on == p.filterRow.Visible() {
		return
	}
	setVisible(on, p.filterRow)
	p.tableBox.Refresh()
}

// setSavedFilters applies the enabled saved filters' globs (queue.Excluded
// on the name, as a folder transfer tries them below its folder).
func (p *pane) setSavedFilters(globs []string) {
	p.excludes = globs
	p.applyFilters()
}

// applyFilters gives the table the filter bar's and the saved filters'
// predicate, and says in the status line how many rows it shows.
func (p *pane) applyFilters() {
	quick, globs := p.quick, p.excludes
	if quick.empty() && len(globs) == 0 {
		p.table.SetFilter(nil)
	} else {
		p.table.SetFilter(func(e *listing.Entry) bool {
			return quick.match(e.Name) && !queue.Excluded(globs, e.Name, e.IsDir())
		})
	}
	p.showCount()
}

// showCount puts "12 of 3,400 shown" in the status line while a filter
// hides rows, the listing's summary otherwise.
func (p *pane) showCount() {
	if p.list == nil || p.cwd == "" {
		return
	}
	shown, total := p.table.shownOf()
	if shown == total {
		p.status.SetText(summary(p.table.entries))
		return
	}
	p.status.SetText(thousands(shown) + " of " + thousands(total) + " shown")
}

// thousands writes n with commas: 3,400.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// focusFilter is Ctrl+I: the active pane's filter bar gets the keyboard.
func (w *Window) focusFilter() {
	w.active.showFilter(true)
	w.win.Canvas().Focus(w.active.filterEntry)
}
