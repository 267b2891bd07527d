package ui

import (
	"context"
	"path"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/skiff-ftp/skiff/engine/listing"
)

// lister lists one directory of a pane's file system. It is called off the
// UI goroutine.
type lister func(ctx context.Context, dir string) ([]listing.Entry, error)

// pane is one side of the window: a path bar, a folder tree and a file
// table over a directory cache. The local and the remote pane are both panes;
// they differ in their lister and their actions.
type pane struct {
	name   string // "Local site" / "Remote site"
	list   lister
	cache  *dirCache
	cwd    string
	gen    int // listing generation; stale results are dropped
	loaded bool

	pathEntry *widget.Entry
	tree      *folderTree
	table     *fileTable
	status    *widget.Label
	content   fyne.CanvasObject
	split     *container.Split
	center    *fyne.Container // holds split, and the first-run card (remote)

	// The filter bar above the table and the saved filters' globs
	// (ui/filter.go).
	filterEntry *filterEntry
	filterRow   fyne.CanvasObject // "Filter:" and the entry; hidden when unused
	tableBox    *fyne.Container   // the filter bar over the table
	quick       quickFilter
	excludes    []string

	// OnChdir is called after a directory was shown.
	OnChdir func(dir string)
	// OnError reports a listing failure.
	OnError func(dir string, err error)
	// pair links this pane with the other pane of its connection
	// (directory comparison, synchronized browsing); nil until used.
	pair *panePair
	// OnFirstRows is called once, the first time a listing is on screen (bench).
	OnFirstRows func(n int)
}

func newPane(name string) *pane {
	p := &pane{name: name, cache: newDirCache()}
	p.pathEntry = widget.NewEntry()
	p.pathEntry.OnSubmitted = func(s string) { p.Open(s) }
	p.tree = newFolderTree(p.cache, "", nil)
	p.tree.OnOpen = func(dir string) { p.Open(dir) }
	p.table = newFileTable()
	p.table.OnActivate = func(e *listing.Entry) {
		if e == nil {
			p.Up()
		} else if e.IsDir() || e.Type == listing.Link {
			p.Open(path.Join(p.cwd, e.Name))
		}
	}
	p.status = widget.NewLabel("Not connected.")
	p.status.Truncation = fyne.TextTruncateEllipsis
	bar := container.NewBorder(nil, nil, widget.NewLabel(name+":"), nil, p.pathEntry)
	p.filterEntry = newFilterEntry()
	p.filterEntry.OnChanged = p.setQuickFilter
	p.filterEntry.OnDone = func() { p.showFilter(false) }
	p.filterRow = filterBar(p.filterEntry)
	p.filterRow.Hide()
	p.tableBox = container.NewBorder(p.filterRow, nil, nil, nil, p.table.table)
	p.split = container.NewVSplit(p.tree.tree, p.tableBox)
	p.split.SetOffset(0.3)
	p.center = container.NewStack(p.split)
	p.content = container.NewBorder(bar, p.status, nil, nil, p.center)
	return p
}

// SetLister connects the pane to a file system rooted at root; nil disconnects.
func (p *pane) SetLister(l lister, root string) {
	p.list = l
	p.gen++
	p.cache.reset()
	p.tree.load = l
	p.tree.SetRoot(root)
	if l == nil {
		p.cwd = ""
		p.pathEntry.SetText("")
		p.table.SetEntries(nil, false)
		p.status.SetText("Not connected.")
	}
}

// Open shows dir: at once from the cache when it was listed before,
// otherwise after a background listing.
func (p *pane) Open(dir string) {
	if p.list == nil || dir == "" {
		return
	}
	dir = path.Clean(dir)
	if es, ok := p.cache.get(dir); ok {
		p.show(dir, es)
		return
	}
	p.load(dir)
}

// Refresh lists the current directory again (F5).
func (p *pane) Refresh() {
	if p.list == nil || p.cwd == "" {
		return
	}
	p.cache.forget(p.cwd)
	p.load(p.cwd)
	p.tree.tree.Refresh()
}

// Up opens the parent directory.
func (p *pane) Up() {
	if p.cwd != "" && p.cwd != "/" {
		p.Open(path.Dir(p.cwd))
	}
}

func (p *pane) load(dir string) {
	list := p.list
	p.await(dir, func() ([]listing.Entry, error) { return list(context.Background(), dir) })
}

// await shows dir once fetch, run in a goroutine, returns its listing; a
// later load or SetLister supersedes it. Connect gives it a listing that was
// started before the window was up.
func (p *pane) await(dir string, fetch func() ([]listing.Entry, error)) {
	p.gen++
	gen := p.gen
	p.status.SetText("Reading directory listing of \"" + dir + "\"…")
	go func() {
		es, err := fetch()
		do(func() {
			if gen != p.gen {
				return
			}
			if err != nil {
				p.status.SetText("Failed to read \"" + dir + "\"")
				if p.OnError != nil {
					p.OnError(dir, err)
				}
				return
			}
			p.cache.put(dir, es)
			p.show(dir, es)
			p.tree.tree.Refresh()
		})
	}()
}

func (p *pane) show(dir string, es []listing.Entry) {
	p.cwd = dir
	p.pathEntry.SetText(dir)
	p.table.SetEntries(es, dir != "/")
	p.showCount()
	p.tree.Reveal(dir)
	if !p.loaded && p.OnFirstRows != nil {
		p.loaded = true
		p.OnFirstRows(len(es))
	}
	if p.OnChdir != nil {
		p.OnChdir(dir)
	}
}
