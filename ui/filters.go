package ui

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/skiff-ftp/skiff/bookmarks"
	"github.com/skiff-ftp/skiff/engine/queue"
)

// FiltersName is the saved filters file, kept next to the sites and the
// settings.
const FiltersName = "filters.json"

// What a saved filter applies to.
const (
	appliesBoth    = "both"
	appliesFiles   = "files"
	appliesFolders = "folders"
)

// savedFilter is one of FileZilla's "filename filters": names matching
// one of its globs are hidden in both panes and left out of folder
// transfers while it is enabled.
type savedFilter struct {
	Name     string   `json:"name"`
	Patterns []string `json:"patterns"` // globs on the name (path.Match, case-sensitive)
	Applies  string   `json:"applies"`  // appliesBoth, appliesFiles, appliesFolders
	Enabled  bool     `json:"enabled"`
	Builtin  bool     `json:"builtin,omitempty"` // offered by Skiff: cannot be removed
}

// builtinFilters are offered to everyone, disabled until the user enables
// them (FileZilla enables none by default either).
func builtinFilters() []savedFilter {
	return []savedFilter{
		{Name: "Version control folders", Patterns: []string{".git", ".svn", ".hg", "CVS"}, Applies: appliesFolders, Builtin: true},
		{Name: "node_modules", Patterns: []string{"node_modules"}, Applies: appliesFolders, Builtin: true},
		{Name: "System files", Patterns: []string{".DS_Store", "Thumbs.db", "desktop.ini"}, Applies: appliesFiles, Builtin: true},
		{Name: "Temporary files", Patterns: []string{"*.tmp", "*~", "*.swp", "*.bak"}, Applies: appliesFiles, Builtin: true},
	}
}

// globs returns the enabled filters' globs in queue.Excluded's syntax: the
// one form the panes, folder transfers and sync all take.
func globs(fs []savedFilter) []string {
	var out []string
	for _, f := range fs {
		if !f.Enabled {
			continue
		}
		prefix := ""
		switch f.Applies {
		case appliesFiles:
			prefix = queue.ExcludeFiles
		case appliesFolders:
			prefix = queue.ExcludeDirs
		}
		for _, p := range f.Patterns {
			out = append(out, prefix+p)
		}
	}
	return out
}

// splitPatterns turns "*.log, cache  tmp" into its globs; a bad glob is an error.
func splitPatterns(s string) ([]string, error) {
	ps := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == ';' })
	if len(ps) == 0 {
		return nil, errors.New("give at least one name or glob, such as *.log")
	}
	for _, p := range ps {
		if _, err := path.Match(p, ""); err != nil {
			return nil, errors.New("not a glob: " + p)
		}
	}
	return ps, nil
}

// filterStore keeps the saved filters in DIR/filters.json (written
// atomically), or in memory when there is no site store. The built-ins
// are always there; the file says which are enabled. Its methods touch
// the disk: never on the UI goroutine.
type filterStore struct {
	path string // "": memory only

	mu  sync.Mutex
	mem []savedFilter
}

func newFilterStore(st SiteStore) *filterStore {
	if st == nil {
		return &filterStore{}
	}
	return &filterStore{path: filepath.Join(st.Dir(), FiltersName)}
}

type filterFile struct {
	Filters []savedFilter `json:"filters"`
}

// load returns the saved filters; the built-ins alone when there is no
// file (or a broken one, reported).
func (s *filterStore) load() ([]savedFilter, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.mem != nil {
		return slices.Clone(s.mem), nil
	}
	if s.path == "" {
		return builtinFilters(), nil
	}
	raw, err := os.ReadFile(s.path)
	if errors.Is(err, fs.ErrNotExist) {
		return builtinFilters(), nil
	}
	var f filterFile
	if err == nil {
		err = json.Unmarshal(raw, &f)
	}
	if err != nil {
		return builtinFilters(), err
	}
	return withBuiltins(f.Filters), nil
}

// withBuiltins keeps the user's filters and the built-ins' enabled flags,
// and adds the built-ins a file from an older version does not have.
func withBuiltins(saved []savedFilter) []savedFilter {
	out := builtinFilters()
	for i, b := range out {
		if j := slices.IndexFunc(saved, func(f savedFilter) bool { return f.Builtin && f.Name == b.Name }); j >= 0 {
			out[i].Enabled = saved[j].Enabled
		}
	}
	for _, f := range saved {
		if !f.Builtin && f.Name != "" && len(f.Patterns) > 0 {
			out = append(out, f)
		}
	}
	return out
}

// save writes fs; the filters in memory change even if the disk refuses.
func (s *filterStore) save(fs []savedFilter) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mem = slices.Clone(fs)
	if s.path == "" {
		return nil
	}
	data, err := json.MarshalIndent(filterFile{Filters: fs}, "", "\t")
	if err != nil {
		return err
	}
	return bookmarks.WriteFileAtomic(s.path, append(data, '\n'))
}

// excluder is a Transfers whose folder jobs leave out what the saved
// filters exclude (the QueueBridge: queue.Job.Exclude).
type excluder interface{ SetExclude(globs []string) }

// filterState is the window's saved filters.
type filterState struct {
	store *filterStore
	mu    sync.Mutex
	list  []savedFilter // guarded by mu
	saves sync.WaitGroup
}

// loadFilters reads the saved filters in the background and applies them:
// to the queue at once (a folder queued next leaves out the same), to the
// panes on the UI goroutine.
func (w *Window) loadFilters() {
	w.filters = &filterState{store: newFilterStore(w.opts.Sites)}
	go func() {
		fs, err := w.filters.store.load()
		if err != nil {
			w.log.Warn("saved filters unreadable, using the built-ins", "err", err)
		}
		w.filters.mu.Lock()
		w.filters.list = fs
		w.filters.mu.Unlock()
		if ex, ok := w.opts.Transfers.(excluder); ok {
			ex.SetExclude(globs(fs))
		}
		do(func() { w.applyFilterGlobs(globs(fs)) })
	}()
}

// filterGlobs returns the enabled saved filters' globs, for a Synchronize
// (mirror.Options.Excludes) or any other folder-wide operation.
func (w *Window) filterGlobs() []string {
	w.filters.mu.Lock()
	defer w.filters.mu.Unlock()
	return globs(w.filters.list)
}

func (w *Window) applyFilterGlobs(g []string) {
	for _, p := range []*pane{w.local, w.remote} {
		p.setSavedFilters(g)
	}
}

// setFilters applies fs now (panes and queue) and saves it in the
// background. UI goroutine.
func (w *Window) setFilters(fs []savedFilter) {
	w.filters.mu.Lock()
	w.filters.list = slices.Clone(fs)
	w.filters.mu.Unlock()
	g := globs(fs)
	w.applyFilterGlobs(g)
	if ex, ok := w.opts.Transfers.(excluder); ok {
		ex.SetExclude(g)
	}
	w.filters.saves.Add(1)
	go func() {
		defer w.filters.saves.Done()
		if err := w.filters.store.save(fs); err != nil {
			w.log.Warn("filters not saved", "err", err)
			do(func() { w.msgs.Error("Filters not saved: " + err.Error()) })
		}
	}()
}

// filtersDialog is View ▸ Filename filters…: each filter with a check box
// that enables it, user filters with a remove button, and a form to add one.
type filtersDialog struct {
	w       *Window
	list    *fyne.Container
	name    *widget.Entry
	globs   *widget.Entry
	applies *widget.Select
	add     *widget.Button
	d       dialog.Dialog
}

var appliesLabels = map[string]string{appliesBoth: "Files and folders", appliesFiles: "Files", appliesFolders: "Folders"}

func (w *Window) showFilters() {
	fd := &filtersDialog{w: w, list: container.NewVBox()}
	fd.name = widget.NewEntry()
	fd.name.SetPlaceHolder("Name")
	fd.globs = widget.NewEntry()
	fd.globs.SetPlaceHolder("Names or globs: *.log, cache")
	fd.applies = widget.NewSelect([]string{appliesLabels[appliesBoth], appliesLabels[appliesFiles], appliesLabels[appliesFolders]}, nil)
	fd.applies.SetSelectedIndex(0)
	fd.add = widget.NewButtonWithIcon("Add", theme.ContentAddIcon(), fd.addFilter)
	fd.rebuild()
	note := widget.NewLabel("Enabled filters hide matching names in both panes and leave them out of folder uploads and downloads.")
	note.Wrapping = fyne.TextWrapWord
	form := container.NewBorder(nil, nil, nil, container.NewHBox(fd.applies, fd.add),
		container.NewGridWithColumns(2, fd.name, fd.globs))
	content := container.NewBorder(note, form, nil, nil, container.NewVScroll(fd.list))
	fd.d = dialog.NewCustom("Filename filters", "Close", content, w.win)
	fd.d.Resize(fyne.NewSize(640, 420))
	w.filtersForm = fd
	fd.d.Show()
}

func (fd *filtersDialog) current() []savedFilter {
	fd.w.filters.mu.Lock()
	defer fd.w.filters.mu.Unlock()
	return slices.Clone(fd.w.filters.list)
}

// rebuild shows the filters as they are now.
func (fd *filtersDialog) rebuild() {
	fd.list.RemoveAll()
	for i, f := range fd.current() {
		check := widget.NewCheck(f.Name+" — "+strings.Join(f.Patterns, ", ")+" ("+strings.ToLower(appliesLabels[f.Applies])+")", func(on bool) {
			fs := fd.current()
			if i < len(fs) && fs[i].Enabled != on {
				fs[i].Enabled = on
				fd.w.setFilters(fs)
			}
		})
		check.Checked = f.Enabled
		var row fyne.CanvasObject = check
		if !f.Builtin {
			row = container.NewBorder(nil, nil, nil, widget.NewButtonWithIcon("", theme.DeleteIcon(), func() {
				fs := fd.current()
				if i < len(fs) {
					fd.w.setFilters(slices.Delete(fs, i, i+1))
					fd.rebuild()
				}
			}), check)
		}
		fd.list.Add(row)
	}
	fd.list.Refresh()
}

// addFilter adds the form's filter, enabled.
func (fd *filtersDialog) addFilter() {
	name := strings.TrimSpace(fd.name.Text)
	ps, err := splitPatterns(fd.globs.Text)
	if err == nil && name == "" {
		err = errors.New("give the filter a name")
	}
	if err != nil {
		dialog.ShowError(err, fd.w.win)
		return
	}
	applies := appliesBoth
	for k, v := range appliesLabels {
		if v == fd.applies.Selected {
			applies = k
		}
	}
	fd.w.setFilters(append(fd.current(), savedFilter{Name: name, Patterns: ps, Applies: applies, Enabled: true}))
	fd.name.SetText("")
	fd.globs.SetText("")
	fd.rebuild()
}
