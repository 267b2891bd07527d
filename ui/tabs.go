package ui

import (
	"fmt"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/skiff-ftp/skiff/engine"
)

// tab is one connection of the window (FileZilla's tabs, Ctrl+T): its own
// local and remote panes with their folders, histories and selections, its
// own browsing connection and site. The queue, the message log and the
// status bar's tools are the window's, shared by every tab.
//
// Window embeds the current tab, so w.local, w.remote, w.conn, w.cfg,
// w.connected and w.active mean "the current tab's" everywhere. Code that
// finishes later (a connect, a listing) and belongs to one tab captures the
// tab and runs with w.inTab / w.within, which make it current for the call
// without showing it.
type tab struct {
	local, remote *pane
	active        *pane // the pane keyboard actions apply to

	conn      *remote
	closing   chan struct{} // closed when the last Disconnect's close has run
	cfg       engine.Config
	connected bool

	panesSplit *container.Split

	name  string // the saved site's name; "": the host is the title
	state string // the status bar's text while this tab is shown
	item  *container.TabItem
	first *firstRun // the remote pane's "how to start" card
}

// newTab builds a tab with its two panes, wired to the window, and adds
// it to w.tabs (not shown yet). Per-pane wiring belongs here, so that
// every tab gets it.
func (w *Window) newTab() *tab {
	t := &tab{state: "Not connected."}
	t.local = newPane("Local site")
	t.local.SetLister(localList, "/")
	t.local.OnChdir = func(dir string) { w.app.Preferences().SetString(prefLocalDir, dir) }
	t.local.OnError = func(dir string, err error) { w.msgs.Error(fmt.Sprintf("Cannot read %s: %v", dir, err)) }
	t.remote = newPane("Remote site")
	t.remote.OnError = func(dir string, err error) {
		w.msgs.Error(plainError(err))
		w.showError("Cannot list "+dir, err)
	}
	t.setActive(t.remote)
	for _, p := range []*pane{t.local, t.remote} {
		p.table.OnSelect = func() {
			t.setActive(p)
			if w.queue != nil {
				w.queue.active = false
			}
		}
		p.table.OnSort = w.sortChanged
	}
	t.remote.table.OnActivate = w.remoteActivate
	t.local.table.OnActivate = w.localActivate
	t.local.table.OnMenu = func(pos fyne.Position) { t.setActive(t.local); w.localMenu(pos) }
	t.remote.table.OnMenu = func(pos fyne.Position) { t.setActive(t.remote); w.remoteMenu(pos) }
	t.panesSplit = container.NewHSplit(t.local.content, t.remote.content)
	t.item = container.NewTabItem("Not connected", t.panesSplit)
	w.firstRunFor(t)
	w.dndFor(t)
	w.tabs = append(w.tabs, t)
	w.tabCount.Store(int32(len(w.tabs)))
	return t
}

// tabTitle is what a tab's handle says: the site's name, else its host.
func (t *tab) title() string {
	switch {
	case t.name != "":
		return t.name
	case t.conn != nil:
		return t.cfg.Host
	}
	return "Not connected"
}

// NewTab opens a new, unconnected tab on the current local folder and shows
// it (Ctrl+T, File ▸ New tab).
func (w *Window) NewTab() {
	cur := w.shown
	t := w.newTab()
	t.panesSplit.SetOffset(cur.panesSplit.Offset)
	t.local.split.SetOffset(cur.local.split.Offset)
	t.remote.split.SetOffset(cur.remote.split.Offset)
	w.inTab(t, func() { w.startLocal(cur.local.cwd) })
	w.layoutTabs()
	w.selectTab(t)
}

// CloseTab closes the current tab (Ctrl+W).
func (w *Window) CloseTab() { w.closeTab(w.shown) }

// closeTab disconnects t and removes it; the queue keeps its site's
// transfers, which go on with their own connections. The last tab stays,
// disconnected.
func (w *Window) closeTab(t *tab) {
	i := slices.Index(w.tabs, t)
	if i < 0 {
		return
	}
	w.inTab(t, w.Disconnect)
	t.name = ""
	if len(w.tabs) == 1 {
		w.tabTitleChanged(t)
		return
	}
	w.tabs = slices.Delete(w.tabs, i, i+1)
	w.tabCount.Store(int32(len(w.tabs)))
	if w.shown == t {
		w.selectTab(w.tabs[max(0, i-1)])
	}
	w.layoutTabs()
}

// selectTab shows t and makes it the current tab.
func (w *Window) selectTab(t *tab) {
	if !slices.Contains(w.tabs, t) {
		return
	}
	if t != w.shown {
		w.tab, w.shown = t, t
		w.fitTab(t)
		w.status.SetText(t.state)
		w.setTitle()
		w.refreshFirstRun()
		if w.sv != nil {
			w.sv.showPair()
		}
	}
	if len(w.tabs) > 1 && w.tabBar.Selected() != t.item {
		w.tabBar.Select(t.item)
	}
}

// nextTab shows the tab delta places away, wrapping (Ctrl+Tab, Ctrl+Shift+Tab).
func (w *Window) nextTab(delta int) {
	n := len(w.tabs)
	i := slices.Index(w.tabs, w.shown)
	w.selectTab(w.tabs[((i+delta)%n+n)%n])
}

// layoutTabs puts the tabs on screen: with one, its panes alone (as
// FileZilla does, no tab bar); with more, the tab bar over them.
func (w *Window) layoutTabs() {
	if len(w.tabs) == 1 {
		w.tabBar.SetItems(nil)
		w.tabArea.Objects = []fyne.CanvasObject{w.tabs[0].panesSplit}
		w.tabArea.Refresh()
		return
	}
	items := make([]*container.TabItem, len(w.tabs))
	for i, t := range w.tabs {
		t.item.Text = t.title()
		items[i] = t.item
	}
	w.tabBar.SetItems(items)
	w.tabBar.Select(w.shown.item)
	if len(w.tabArea.Objects) != 1 || w.tabArea.Objects[0] != w.tabBar {
		w.tabArea.Objects = []fyne.CanvasObject{w.tabBar}
		w.tabArea.Refresh()
	}
}

// tabTitleChanged shows t's title on its handle.
func (w *Window) tabTitleChanged(t *tab) {
	if title := t.title(); t.item.Text != title {
		t.item.Text = title
		if len(w.tabs) > 1 {
			w.tabBar.Refresh()
		}
	}
}

// newTabBar builds the tab bar: "+" opens a tab, × closes one.
func (w *Window) newTabBar() {
	w.tabBar = container.NewDocTabs()
	w.tabBar.CreateTab = func() *container.TabItem { w.NewTab(); return nil }
	w.tabBar.CloseIntercept = func(it *container.TabItem) { w.closeTab(w.tabOfItem(it)) }
	w.tabBar.OnSelected = func(it *container.TabItem) { w.selectTab(w.tabOfItem(it)) }
	w.tabArea = container.NewStack(w.panesSplit)
}

func (w *Window) tabOfItem(it *container.TabItem) *tab {
	for _, t := range w.tabs {
		if t.item == it {
			return t
		}
	}
	return nil
}

// tabOf returns the tab whose browsing connection is r, or nil.
func (w *Window) tabOf(r *remote) *tab {
	for _, t := range w.tabs {
		if t.conn == r && r != nil {
			return t
		}
	}
	return nil
}

// inTab runs fn with t as the current tab (w.local, w.conn … are t's),
// without showing it; a tab closed meanwhile runs nothing. Afterwards the
// tab shown is current again (fn may have shown another).
func (w *Window) inTab(t *tab, fn func()) {
	if !slices.Contains(w.tabs, t) {
		return
	}
	old, shown := w.tab, w.shown
	w.tab = t
	defer func() {
		if w.shown != shown || !slices.Contains(w.tabs, old) {
			w.tab = w.shown
		} else {
			w.tab = old
		}
	}()
	fn()
}

// within returns fn bound to t (inTab), for callbacks that run later.
func (w *Window) within(t *tab, fn func()) func() {
	return func() { w.inTab(t, fn) }
}

// useTab picks the tab a new connection opens in: the current one when it
// is not connected (nor connecting), else a new tab, which is shown
// (FileZilla asks; Skiff never drops a connection the user did not close).
// name is the saved site's name ("" for a quick connection).
func (w *Window) useTab(name string) *tab {
	if w.conn != nil {
		w.NewTab()
	}
	w.tab.name = name
	w.tabTitleChanged(w.tab)
	return w.tab
}

// fitTab applies to t what the window shows alike in every tab: hidden
// files, the folder trees toggle, the sort order.
func (w *Window) fitTab(t *tab) {
	p := w.app.Preferences()
	hidden := w.currentSettings().ShowHidden
	trees := p.BoolWithFallback(prefShowTrees, true)
	col := column(p.IntWithFallback(prefSortCol, int(colName)))
	if col < 0 || col >= numColumns {
		col = colName
	}
	desc := p.Bool(prefSortDesc)
	for _, pn := range []*pane{t.local, t.remote} {
		pn.table.SetShowHidden(hidden)
		setVisible(trees, pn.tree.tree)
		if pn.table.sortCol != col || pn.table.sortDesc != desc {
			pn.table.SortBy(col, desc)
		}
	}
}

// tagTrace returns the trace function of a connection opened in a tab: the
// shared message log, each line tagged with the tab's site while more than
// one tab is open. Called on any goroutine.
func (w *Window) tagTrace(tag string) func(engine.TraceEvent) {
	return func(ev engine.TraceEvent) {
		if w.tabCount.Load() > 1 {
			if ev.Kind == engine.TraceCommand {
				ev.Text = engine.MaskCommand(ev.Text) // before the tag hides the verb
			}
			ev.Text = "[" + tag + "] " + ev.Text
		}
		w.msgs.Add(ev)
	}
}

// tabShortcuts binds Ctrl+T (new tab), Ctrl+W (close tab), Ctrl+Tab and
// Ctrl+Shift+Tab (next and previous tab).
func (w *Window) tabShortcuts() {
	c := w.win.Canvas()
	add := func(k fyne.KeyName, mod fyne.KeyModifier, fn func()) {
		c.AddShortcut(&desktop.CustomShortcut{KeyName: k, Modifier: mod}, func(fyne.Shortcut) { fn() })
	}
	add(fyne.KeyT, fyne.KeyModifierShortcutDefault, w.NewTab)
	add(fyne.KeyW, fyne.KeyModifierShortcutDefault, w.CloseTab)
	add(fyne.KeyTab, fyne.KeyModifierControl, func() { w.nextTab(1) })
	add(fyne.KeyTab, fyne.KeyModifierControl|fyne.KeyModifierShift, func() { w.nextTab(-1) })
	add(fyne.KeyPageDown, fyne.KeyModifierControl, func() { w.nextTab(1) })
	add(fyne.KeyPageUp, fyne.KeyModifierControl, func() { w.nextTab(-1) })
}

// tabMenuItems are File ▸ New tab and Close tab.
func (w *Window) tabMenuItems() []*fyne.MenuItem {
	return []*fyne.MenuItem{
		withShortcut(fyne.NewMenuItem("New tab", w.NewTab), ctrlKey(fyne.KeyT)),
		withShortcut(fyne.NewMenuItem("Close tab", w.CloseTab), ctrlKey(fyne.KeyW)),
		fyne.NewMenuItemSeparator(),
	}
}

// refreshFinished shows the folders that got new files in every tab.
func (w *Window) refreshFinished(local, remote map[string]bool) {
	for _, t := range w.tabs {
		if local[t.local.cwd] {
			t.local.Refresh()
		}
		if t.connected && remote[t.remote.cwd] {
			t.remote.Refresh()
		}
	}
}

// connectQuick connects from the quick-connect bar: in the current tab, or
// in a new one when the current tab is connected (useTab).
func (w *Window) connectQuick(cfg engine.Config, dir string) {
	t := w.useTab("")
	w.inTab(t, func() { w.connectWithDefaultProxy(cfg, dir) })
}
