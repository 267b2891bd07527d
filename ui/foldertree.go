package ui

import (
	"context"
	"path"
	"slices"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/skiff-ftp/skiff/engine/listing"
)

// dirCache holds directory listings by path for one pane's tree and table.
// It is touched only on the UI goroutine; loads run in the background and
// their results are stored with fyne.Do.
type dirCache struct {
	mu      sync.Mutex
	entries map[string][]listing.Entry
	subdirs map[string][]string // sorted child directory paths
}

func newDirCache() *dirCache {
	return &dirCache{entries: map[string][]listing.Entry{}, subdirs: map[string][]string{}}
}

func (c *dirCache) put(dir string, es []listing.Entry) {
	var subs []string
	for i := range es {
		if es[i].IsDir() || (es[i].Type == listing.Link && es[i].Size <= 0) {
			if es[i].Type == listing.Link {
				continue // a link may be a file; do not offer it as a branch
			}
			subs = append(subs, path.Join(dir, es[i].Name))
		}
	}
	slices.SortFunc(subs, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })
	c.mu.Lock()
	c.entries[dir], c.subdirs[dir] = es, subs
	c.mu.Unlock()
}

func (c *dirCache) get(dir string) ([]listing.Entry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	es, ok := c.entries[dir]
	return es, ok
}

func (c *dirCache) children(dir string) ([]string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	s, ok := c.subdirs[dir]
	return s, ok
}

func (c *dirCache) forget(dir string) {
	c.mu.Lock()
	delete(c.entries, dir)
	delete(c.subdirs, dir)
	c.mu.Unlock()
}

func (c *dirCache) reset() {
	c.mu.Lock()
	clear(c.entries)
	clear(c.subdirs)
	c.mu.Unlock()
}

// folderTree is a lazy widget.Tree over a dirCache: a branch's children are
// listed in the background the first time it is shown and then cached.
type folderTree struct {
	tree    *widget.Tree
	cache   *dirCache
	root    string
	load    func(ctx context.Context, dir string) ([]listing.Entry, error)
	loading map[string]bool

	// OnOpen is called when the user selects a folder.
	OnOpen func(dir string)
	quiet  bool // selection made by the program, not the user

	// nodes maps each node made to the folder it shows (the drop's hit test).
	nodes map[fyne.CanvasObject]string
}

func newFolderTree(cache *dirCache, root string, load func(ctx context.Context, dir string) ([]listing.Entry, error)) *folderTree {
	ft := &folderTree{cache: cache, root: root, load: load, loading: map[string]bool{}, nodes: map[fyne.CanvasObject]string{}}
	ft.tree = widget.NewTree(ft.childUIDs, func(string) bool { return true }, ft.create, ft.update)
	ft.tree.OnSelected = func(uid widget.TreeNodeID) {
		if !ft.quiet && ft.OnOpen != nil {
			ft.OnOpen(uid)
		}
	}
	ft.tree.OnBranchOpened = func(uid widget.TreeNodeID) { ft.childUIDs(uid) }
	return ft
}

func (ft *folderTree) childUIDs(uid widget.TreeNodeID) []widget.TreeNodeID {
	if uid == "" {
		if ft.root == "" {
			return nil
		}
		return []string{ft.root}
	}
	if subs, ok := ft.cache.children(uid); ok {
		return subs
	}
	ft.fetch(uid)
	return nil
}

// fetch lists dir in the background unless it is already being listed.
func (ft *folderTree) fetch(dir string) {
	if ft.load == nil || ft.loading[dir] {
		return
	}
	ft.loading[dir] = true
	load := ft.load
	go func() {
		es, err := load(context.Background(), dir)
		do(func() {
			delete(ft.loading, dir)
			if err != nil {
				ft.cache.put(dir, nil)
			} else {
				ft.cache.put(dir, es)
			}
			ft.tree.Refresh()
		})
	}()
}

func (ft *folderTree) create(bool) fyne.CanvasObject {
	l := widget.NewLabel("")
	l.Truncation = fyne.TextTruncateEllipsis
	return container.NewBorder(nil, nil, widget.NewIcon(theme.FolderIcon()), nil, l)
}

func (ft *folderTree) update(uid widget.TreeNodeID, _ bool, o fyne.CanvasObject) {
	c := o.(*fyne.Container)
	ft.nodes[o] = uid
	name := path.Base(uid)
	if uid == ft.root {
		name = uid
	}
	c.Objects[0].(*widget.Label).SetText(name)
}

// SetRoot starts the tree over at root ("" empties it).
func (ft *folderTree) SetRoot(root string) {
	ft.root = root
	clear(ft.loading)
	ft.tree.CloseAllBranches()
	ft.tree.Refresh()
}

// Reveal opens every ancestor of dir and selects it without calling OnOpen.
func (ft *folderTree) Reveal(dir string) {
	if ft.root == "" || !strings.HasPrefix(dir, ft.root) {
		return
	}
	var chain []string
	for d := dir; ; d = path.Dir(d) {
		chain = append(chain, d)
		if d == ft.root || d == "/" || d == "." {
			break
		}
	}
	for i := len(chain) - 1; i >= 0; i-- {
		ft.tree.OpenBranch(chain[i])
	}
	ft.quiet = true
	ft.tree.Select(dir)
	ft.quiet = false
	ft.tree.ScrollTo(dir)
}
