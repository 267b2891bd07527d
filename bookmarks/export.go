package bookmarks

import (
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// exportFile is the export document: the site file's form (so an export
// is also a valid sites.json) plus where it came from.
type exportFile struct {
	Schema   int       `json:"schema"`
	App      string    `json:"app"`
	Exported time.Time `json:"exported"`
	Folders  []*Folder `json:"folders"`
	Sites    []*Site   `json:"sites"`
}

// WriteExport writes the folder folderID of t (RootID: everything) as
// indented JSON. A Site has no password field, so an export has none.
func WriteExport(w io.Writer, t *Tree, folderID string) error {
	f, ok := t.Folder(folderID)
	if !ok {
		return fmt.Errorf("folder %s: %w", folderID, ErrNotFound)
	}
	doc := exportFile{Schema: SchemaVersion, App: "Skiff", Exported: time.Now().UTC().Truncate(time.Second),
		Folders: f.Folders, Sites: f.Sites}
	if folderID != RootID {
		doc.Folders, doc.Sites = []*Folder{f}, nil
	}
	if doc.Folders == nil {
		doc.Folders = []*Folder{}
	}
	if doc.Sites == nil {
		doc.Sites = []*Site{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "\t")
	return enc.Encode(doc)
}

// Export writes the store's current sites (see WriteExport).
func (s *Store) Export(w io.Writer, folderID string) error {
	t, err := s.Load()
	if err != nil {
		return err
	}
	return WriteExport(w, t, folderID)
}

// ReadExport reads an export (or a sites.json) back into a tree, checked
// like the site file.
func ReadExport(r io.Reader) (*Tree, error) {
	raw, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(raw) > MaxFileSize {
		return nil, fmt.Errorf("export is larger than %d MiB", MaxFileSize>>20)
	}
	return decode(raw)
}

// ImportTree adds the folders and sites of t (read by ReadExport) under
// parentID, merging folders by name and renaming sites whose name is
// taken, in one change. Sites keep their IDs unless the store already uses
// them (importing an export back into its own store makes copies).
// Exports carry no passwords, so none are imported.
func (s *Store) ImportTree(t *Tree, parentID string) (*ImportSummary, error) {
	added := map[string]*Site{}
	tree, err := s.Update(func(dst *Tree) error {
		f, err := dst.folder(parentID)
		if err != nil {
			return err
		}
		return graft(dst, f, t.Root, added)
	})
	if err != nil {
		return nil, err
	}
	sum := &ImportSummary{}
	t.Walk(func(_ []string, f *Folder, site *Site) bool {
		if f != nil {
			sum.Folders++
			return true
		}
		a := added[site.ID]
		im := ImportedSite{Path: tree.Path(a.ID), ID: a.ID}
		if a.Name != site.Name {
			im.Notes = append(im.Notes, fmt.Sprintf("saved as %q: the name %q was taken", a.Name, site.Name))
		}
		sum.Imported = append(sum.Imported, im)
		return true
	})
	return sum, nil
}
