package bookmarks

import (
	"fmt"
	"slices"
)

// Tree is the whole site manager: a root folder of folders and sites. A
// Tree returned by Store is a snapshot the caller owns; changing it changes
// nothing on disk — use Store's methods or Store.Update for that.
//
// The methods below are the in-memory operations Store applies under its
// lock; they validate names (unique within a folder) and keep IDs.
type Tree struct {
	Root *Folder
	// Proxy is the default proxy of every site without its own; nil: none.
	Proxy *Proxy
}

// NewTree returns an empty tree.
func NewTree() *Tree { return &Tree{Root: &Folder{ID: RootID}} }

// Clone returns a deep copy.
func (t *Tree) Clone() *Tree { return &Tree{Root: t.Root.Clone(), Proxy: t.Proxy.Clone()} }

// Folder returns the folder with the given ID; RootID is the root.
func (t *Tree) Folder(id string) (*Folder, bool) {
	if id == RootID {
		return t.Root, true
	}
	var found *Folder
	t.walk(t.Root, nil, func(_ []string, f *Folder, _ *Site) bool {
		if f != nil && f.ID == id {
			found = f
			return false
		}
		return true
	})
	return found, found != nil
}

// Site returns the site with the given ID.
func (t *Tree) Site(id string) (*Site, bool) {
	s, _ := t.siteAndParent(id)
	return s, s != nil
}

// Parent returns the folder that holds the site or folder id.
func (t *Tree) Parent(id string) (*Folder, bool) {
	if _, p := t.siteAndParent(id); p != nil {
		return p, true
	}
	p := t.folderParent(id)
	return p, p != nil
}

// Children returns the IDs of a folder's folders then sites, in order: what
// widget.Tree's ChildUIDs wants. IsFolder tells the branches apart.
func (t *Tree) Children(folderID string) []string {
	f, ok := t.Folder(folderID)
	if !ok {
		return nil
	}
	ids := make([]string, 0, len(f.Folders)+len(f.Sites))
	for _, sub := range f.Folders {
		ids = append(ids, sub.ID)
	}
	for _, s := range f.Sites {
		ids = append(ids, s.ID)
	}
	return ids
}

// IsFolder reports whether id names a folder (including RootID).
func (t *Tree) IsFolder(id string) bool {
	_, ok := t.Folder(id)
	return ok
}

// Path returns the escaped path of a site or folder ("Work/Web server"), or
// "" for the root or an unknown ID.
func (t *Tree) Path(id string) string {
	var path string
	t.walk(t.Root, nil, func(names []string, f *Folder, s *Site) bool {
		if (f != nil && f.ID == id) || (s != nil && s.ID == id) {
			path = JoinPath(names...)
			return false
		}
		return true
	})
	return path
}

// Lookup finds a site or folder by path ("Work/Sub/Name", see SplitPath).
// Exactly one of the results is non-nil when err is nil.
func (t *Tree) Lookup(path string) (*Folder, *Site, error) {
	names := SplitPath(path)
	f := t.Root
	for i, n := range names {
		last := i == len(names)-1
		next := (*Folder)(nil)
		for _, sub := range f.Folders {
			if sub.Name == n {
				next = sub
			}
		}
		if next != nil {
			f = next
			continue
		}
		if last {
			for _, s := range f.Sites {
				if s.Name == n {
					return nil, s, nil
				}
			}
		}
		return nil, nil, fmt.Errorf("%q: %w", path, ErrNotFound)
	}
	return f, nil, nil
}

// LookupSite finds a site by path.
func (t *Tree) LookupSite(path string) (*Site, error) {
	_, s, err := t.Lookup(path)
	if err == nil && s == nil {
		err = fmt.Errorf("%q is a folder, not a site: %w", path, ErrNotFound)
	}
	return s, err
}

// Walk calls fn for every folder (s nil) and site (f nil) below the root in
// depth-first order, with the names leading to it. Returning false stops.
func (t *Tree) Walk(fn func(names []string, f *Folder, s *Site) bool) {
	t.walk(t.Root, nil, fn)
}

func (t *Tree) walk(f *Folder, names []string, fn func([]string, *Folder, *Site) bool) bool {
	for _, sub := range f.Folders {
		p := append(slices.Clip(names), sub.Name)
		if !fn(p, sub, nil) || !t.walk(sub, p, fn) {
			return false
		}
	}
	for _, s := range f.Sites {
		if !fn(append(slices.Clip(names), s.Name), nil, s) {
			return false
		}
	}
	return true
}

// Sites returns every site, depth first.
func (t *Tree) Sites() []*Site {
	var all []*Site
	t.Walk(func(_ []string, _ *Folder, s *Site) bool {
		if s != nil {
			all = append(all, s)
		}
		return true
	})
	return all
}

func (t *Tree) siteAndParent(id string) (site *Site, parent *Folder) {
	var visit func(f *Folder) bool
	visit = func(f *Folder) bool {
		for _, s := range f.Sites {
			if s.ID == id {
				site, parent = s, f
				return true
			}
		}
		return slices.ContainsFunc(f.Folders, visit)
	}
	visit(t.Root)
	return site, parent
}

func (t *Tree) folderParent(id string) *Folder {
	var parent *Folder
	var visit func(f *Folder) bool
	visit = func(f *Folder) bool {
		for _, sub := range f.Folders {
			if sub.ID == id {
				parent = f
				return true
			}
		}
		return slices.ContainsFunc(f.Folders, visit)
	}
	visit(t.Root)
	return parent
}

func (t *Tree) folder(id string) (*Folder, error) {
	f, ok := t.Folder(id)
	if !ok {
		return nil, fmt.Errorf("folder %s: %w", id, ErrNotFound)
	}
	return f, nil
}

// AddFolder creates a folder named name in parentID.
func (t *Tree) AddFolder(parentID, name string) (*Folder, error) {
	p, err := t.folder(parentID)
	if err != nil {
		return nil, err
	}
	if err := checkName(name); err != nil {
		return nil, err
	}
	if p.nameTaken(name, "") {
		return nil, fmt.Errorf("%q: %w", name, ErrNameTaken)
	}
	f := &Folder{ID: newID(), Name: name}
	p.Folders = append(p.Folders, f)
	return f, nil
}

// EnsureFolder returns the folder at the path of names below parentID,
// creating missing folders.
func (t *Tree) EnsureFolder(parentID string, names ...string) (*Folder, error) {
	f, err := t.folder(parentID)
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		i := slices.IndexFunc(f.Folders, func(sub *Folder) bool { return sub.Name == n })
		if i >= 0 {
			f = f.Folders[i]
			continue
		}
		if f, err = t.AddFolder(f.ID, n); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// AddSite adds a copy of s to parentID, with a new ID unless s has one that
// is not in use, and the defaults filled in. It returns the stored site.
func (t *Tree) AddSite(parentID string, s Site) (*Site, error) {
	p, err := t.folder(parentID)
	if err != nil {
		return nil, err
	}
	c := s.Clone()
	c.normalize()
	if c.ID == "" || t.idUsed(c.ID) {
		c.ID = newID()
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if p.nameTaken(c.Name, "") {
		return nil, fmt.Errorf("%q: %w", c.Name, ErrNameTaken)
	}
	p.Sites = append(p.Sites, c)
	return c, nil
}

func (t *Tree) idUsed(id string) bool {
	_, s := t.Site(id)
	return s || t.IsFolder(id)
}

// UpdateSite replaces the site with s.ID by s, in place.
func (t *Tree) UpdateSite(s Site) error {
	old, p := t.siteAndParent(s.ID)
	if old == nil {
		return fmt.Errorf("site %s: %w", s.ID, ErrNotFound)
	}
	c := s.Clone()
	c.normalize()
	if err := c.Validate(); err != nil {
		return err
	}
	if p.nameTaken(c.Name, c.ID) {
		return fmt.Errorf("%q: %w", c.Name, ErrNameTaken)
	}
	*old = *c
	return nil
}

// Rename renames a site or folder; its ID (and so its password) is kept.
func (t *Tree) Rename(id, name string) error {
	if err := checkName(name); err != nil {
		return err
	}
	p, ok := t.Parent(id)
	if !ok {
		return fmt.Errorf("%s: %w", id, ErrNotFound)
	}
	if p.nameTaken(name, id) {
		return fmt.Errorf("%q: %w", name, ErrNameTaken)
	}
	if s, ok := t.Site(id); ok {
		s.Name = name
	} else if f, ok := t.Folder(id); ok {
		f.Name = name
	}
	return nil
}

// Move moves a site or folder into the folder toID, keeping its ID.
func (t *Tree) Move(id, toID string) error {
	to, err := t.folder(toID)
	if err != nil {
		return err
	}
	if s, p := t.siteAndParent(id); s != nil {
		if to.nameTaken(s.Name, s.ID) {
			return fmt.Errorf("%q: %w", s.Name, ErrNameTaken)
		}
		p.Sites = slices.DeleteFunc(p.Sites, func(x *Site) bool { return x.ID == id })
		to.Sites = append(to.Sites, s)
		return nil
	}
	p := t.folderParent(id)
	if p == nil {
		return fmt.Errorf("%s: %w", id, ErrNotFound)
	}
	f, _ := t.Folder(id)
	if inside := (&Tree{Root: f}); toID == id || (toID != RootID && inside.IsFolder(toID)) {
		return fmt.Errorf("%q: %w", f.Name, ErrCycle)
	}
	if to.nameTaken(f.Name, f.ID) {
		return fmt.Errorf("%q: %w", f.Name, ErrNameTaken)
	}
	p.Folders = slices.DeleteFunc(p.Folders, func(x *Folder) bool { return x.ID == id })
	to.Folders = append(to.Folders, f)
	return nil
}

// Duplicate copies a site or folder next to the original under a free name
// ("Name (2)"); every copied site and folder gets a new ID. It returns the
// new ID and a map from each original site ID to its copy's.
func (t *Tree) Duplicate(id string) (copyID string, siteIDs map[string]string, err error) {
	p, ok := t.Parent(id)
	if !ok {
		return "", nil, fmt.Errorf("%s: %w", id, ErrNotFound)
	}
	siteIDs = map[string]string{}
	if s, ok := t.Site(id); ok {
		c := s.Clone()
		c.ID, c.Name = newID(), p.freeName(s.Name)
		siteIDs[s.ID] = c.ID
		p.Sites = append(p.Sites, c)
		return c.ID, siteIDs, nil
	}
	f, _ := t.Folder(id)
	c := f.Clone()
	c.Name = p.freeName(f.Name)
	reID(c, siteIDs)
	p.Folders = append(p.Folders, c)
	return c.ID, siteIDs, nil
}

func reID(f *Folder, siteIDs map[string]string) {
	f.ID = newID()
	for _, s := range f.Sites {
		n := newID()
		siteIDs[s.ID] = n
		s.ID = n
	}
	for _, sub := range f.Folders {
		reID(sub, siteIDs)
	}
}

// Delete removes a site or a folder with everything in it and returns the
// IDs of the sites removed (whose keychain items should go too).
func (t *Tree) Delete(id string) ([]string, error) {
	if s, p := t.siteAndParent(id); s != nil {
		p.Sites = slices.DeleteFunc(p.Sites, func(x *Site) bool { return x.ID == id })
		return []string{id}, nil
	}
	p := t.folderParent(id)
	if p == nil {
		return nil, fmt.Errorf("%s: %w", id, ErrNotFound)
	}
	f, _ := t.Folder(id)
	gone := (&Tree{Root: f}).Sites()
	ids := make([]string, len(gone))
	for i, s := range gone {
		ids[i] = s.ID
	}
	p.Folders = slices.DeleteFunc(p.Folders, func(x *Folder) bool { return x.ID == id })
	return ids, nil
}

// check validates a tree read from disk: known enums, unique IDs, unique
// names per folder. A file that fails is reported, never "repaired".
func (t *Tree) check() error {
	if t.Root == nil {
		return fmt.Errorf("no root folder")
	}
	if t.Proxy != nil {
		if err := t.Proxy.Validate(); err != nil {
			return fmt.Errorf("the default proxy: %w", err)
		}
	}
	ids := map[string]bool{}
	var visit func(f *Folder) error
	visit = func(f *Folder) error {
		names := map[string]bool{}
		for _, sub := range f.Folders {
			if sub == nil || sub.ID == "" || ids[sub.ID] {
				return fmt.Errorf("folder %q: missing or duplicate id", nameOf(sub))
			}
			ids[sub.ID] = true
			if err := checkName(sub.Name); err != nil {
				return err
			}
			if names[sub.Name] {
				return fmt.Errorf("%q: %w", sub.Name, ErrNameTaken)
			}
			names[sub.Name] = true
			if err := visit(sub); err != nil {
				return err
			}
		}
		for _, s := range f.Sites {
			if s == nil || s.ID == "" || ids[s.ID] {
				return fmt.Errorf("site %q: missing or duplicate id", siteName(s))
			}
			ids[s.ID] = true
			if err := s.Validate(); err != nil {
				return err
			}
			if names[s.Name] {
				return fmt.Errorf("%q: %w", s.Name, ErrNameTaken)
			}
			names[s.Name] = true
		}
		return nil
	}
	return visit(t.Root)
}

func nameOf(f *Folder) string {
	if f == nil {
		return "<null>"
	}
	return f.Name
}

func siteName(s *Site) string {
	if s == nil {
		return "<null>"
	}
	return s.Name
}
