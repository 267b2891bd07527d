package ui

import (
	"bytes"
	"cmp"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"

	"github.com/skiff-ftp/skiff/bookmarks"
	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/queue"
)

// The queue's export and import use FileZilla 3's queue XML (what
// FileZilla's File ▸ Export writes with "Export queue"):
//
//	<FileZilla3><Queue><Server><Host>…<Port>…<Protocol>…<User>…<Logontype>…
//	  <File><LocalFile>/l/a</LocalFile><RemoteFile>a</RemoteFile>
//	        <RemotePath>1 0 3 pub</RemotePath><Download>1</Download><Size>5</Size></File>
//	  <Folder>…</Folder></Server></Queue></FileZilla3>
//
// RemotePath is FileZilla's encoded server path (bookmarks.DecodeFileZillaPath).
// Passwords are never written: a user's site is exported with Logontype 2
// ("ask for password"), and FileZilla's <Pass> is ignored on import. A
// FileZilla <Folder> with one side only is an empty folder FileZilla would
// create; Skiff skips those. A Skiff folder not walked yet is written as a
// <Folder> with both sides, which Skiff imports as a folder to walk again.
type fzQueueDoc struct {
	XMLName xml.Name      `xml:"FileZilla3"`
	Servers []fzQueueSite `xml:"Queue>Server"`
}

type fzQueueSite struct {
	Host      string         `xml:"Host"`
	Port      int            `xml:"Port"`
	Protocol  int            `xml:"Protocol"`
	Type      int            `xml:"Type"`
	User      string         `xml:"User,omitempty"`
	Logontype int            `xml:"Logontype"`
	Files     []fzQueueEntry `xml:"File"`
	Folders   []fzQueueEntry `xml:"Folder"`
}

type fzQueueEntry struct {
	LocalFile  string `xml:"LocalFile,omitempty"`
	RemoteFile string `xml:"RemoteFile,omitempty"`
	RemotePath string `xml:"RemotePath,omitempty"`
	Download   int    `xml:"Download"`
	Size       *int64 `xml:"Size,omitempty"`
	Priority   *int   `xml:"Priority,omitempty"` // 0 lowest … 2 normal … 4 highest
	DataType   int    `xml:"DataType"`           // 1: binary
}

// FileZilla's <Protocol> numbers for Skiff's sites, and back.
const (
	fzFTP         = 0 // explicit TLS if available
	fzSFTP        = 1
	fzFTPS        = 3 // implicit TLS
	fzFTPES       = 4 // explicit TLS required
	fzInsecureFTP = 6
	fzNormalPrio  = 2
	fzLogonAnon   = 0
	fzLogonAsk    = 2
)

// encodeFileZillaPath is DecodeFileZillaPath's inverse for a Unix path:
// "/pub/a b" is "1 0 3 pub 3 a b" (type 1, no prefix, length-prefixed
// segments).
func encodeFileZillaPath(p string) string {
	var b strings.Builder
	b.WriteString("1 0")
	for _, s := range strings.Split(strings.Trim(path.Clean("/"+p), "/"), "/") {
		if s != "" {
			fmt.Fprintf(&b, " %d %s", len([]rune(s)), s)
		}
	}
	return b.String()
}

// writeQueueXML writes items (the unfinished and failed ones) as FileZilla
// queue XML, grouped by site in queue order.
func writeQueueXML(w io.Writer, items []queue.Item) (int, error) {
	var doc fzQueueDoc
	index := map[engine.SiteKey]int{}
	n := 0
	for _, it := range items {
		if it.State == queue.Done || it.State == queue.Skipped {
			continue
		}
		i, ok := index[it.Site]
		if !ok {
			i = len(doc.Servers)
			index[it.Site] = i
			doc.Servers = append(doc.Servers, fzSiteOf(it.Site))
		}
		dir, name := path.Split(it.Remote)
		e := fzQueueEntry{LocalFile: it.Local, RemoteFile: name, RemotePath: encodeFileZillaPath(dir), DataType: 1}
		if it.Direction == queue.Download {
			e.Download = 1
		}
		if it.Dir {
			doc.Servers[i].Folders = append(doc.Servers[i].Folders, e)
		} else {
			if it.Size >= 0 {
				e.Size = &it.Size
			}
			if it.Priority != queue.Normal {
				p := fzNormalPrio + int(it.Priority) // low 1, high 3
				e.Priority = &p
			}
			doc.Servers[i].Files = append(doc.Servers[i].Files, e)
		}
		n++
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return 0, err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "\t")
	if err := enc.Encode(doc); err != nil {
		return 0, err
	}
	_, err := io.WriteString(w, "\n")
	return n, err
}

func fzSiteOf(k engine.SiteKey) fzQueueSite {
	s := fzQueueSite{Host: k.Host, Port: k.Port, Type: 0, User: k.User, Logontype: fzLogonAsk}
	if s.Port == 0 {
		s.Port = defaultPortOf(k)
	}
	switch {
	case k.Protocol == engine.ProtocolSFTP:
		s.Protocol = fzSFTP
	case k.Security == engine.TLSImplicit:
		s.Protocol = fzFTPS
	case k.Security == engine.TLSExplicit:
		s.Protocol = fzFTPES
	case k.Security == engine.Plain:
		s.Protocol = fzInsecureFTP
	default:
		s.Protocol = fzFTP
	}
	if k.User == "" || k.User == "anonymous" {
		s.User, s.Logontype = "", fzLogonAnon
	}
	return s
}

// defaultPortOf is the port a site without one uses.
func defaultPortOf(k engine.SiteKey) int {
	switch {
	case k.Protocol == engine.ProtocolSFTP:
		return engine.DefaultSFTPPort
	case k.Security == engine.TLSImplicit:
		return engine.DefaultImplicitPort
	}
	return engine.DefaultPort
}

// queueImport is what readQueueXML found: jobs to queue, and what it left
// out and why.
type queueImport struct {
	Jobs    []queue.Job
	Skipped []string
	Added   int // jobs the queue took (ImportQueue)
}

// readQueueXML reads FileZilla queue XML into jobs for the queue.
func readQueueXML(r io.Reader) (*queueImport, error) {
	var doc fzQueueDoc
	if err := xml.NewDecoder(r).Decode(&doc); err != nil {
		return nil, fmt.Errorf("not a FileZilla queue file: %w", err)
	}
	imp := &queueImport{}
	for _, s := range doc.Servers {
		cfg, err := fzSiteConfig(s)
		if err != nil {
			imp.Skipped = append(imp.Skipped, fmt.Sprintf("%d transfers for %s: %v", len(s.Files)+len(s.Folders), s.Host, err))
			continue
		}
		add := func(e fzQueueEntry, dir bool) {
			j, err := fzJob(cfg, e, dir)
			if err != nil {
				imp.Skipped = append(imp.Skipped, fmt.Sprintf("%s: %v", cmp.Or(e.LocalFile, e.RemoteFile), err))
				return
			}
			imp.Jobs = append(imp.Jobs, j)
		}
		for _, e := range s.Files {
			add(e, false)
		}
		for _, e := range s.Folders {
			add(e, true)
		}
	}
	if len(doc.Servers) == 0 {
		return nil, errors.New("not a FileZilla queue file: no <Queue><Server>")
	}
	return imp, nil
}

// fzSiteConfig is the site of a <Server>, without a password.
func fzSiteConfig(s fzQueueSite) (engine.Config, error) {
	cfg := engine.Config{Host: strings.TrimSpace(s.Host), Port: s.Port}
	switch s.Protocol {
	case fzFTP:
		cfg.Security = engine.TLSIfAvailable
	case fzSFTP:
		cfg.Protocol = engine.ProtocolSFTP
	case fzFTPS:
		cfg.Security = engine.TLSImplicit
	case fzFTPES:
		cfg.Security = engine.TLSExplicit
	case fzInsecureFTP:
		cfg.Security = engine.Plain
	default:
		return cfg, fmt.Errorf("protocol %d is not supported", s.Protocol)
	}
	if cfg.Host == "" {
		return cfg, errors.New("no host")
	}
	if s.Logontype != fzLogonAnon {
		cfg.User = s.User
	}
	// The default port is no port: the key a connection without one has.
	if cfg.Port == defaultPortOf(cfg.Key()) {
		cfg.Port = 0
	}
	return cfg, nil
}

// fzJob is the queue job of a <File> (dir false) or <Folder>.
func fzJob(cfg engine.Config, e fzQueueEntry, dir bool) (queue.Job, error) {
	if e.LocalFile == "" || e.RemoteFile == "" || e.RemotePath == "" {
		if dir {
			return queue.Job{}, errors.New("an empty folder to create: not imported")
		}
		return queue.Job{}, errors.New("local or remote file missing")
	}
	rdir, err := bookmarks.DecodeFileZillaPath(e.RemotePath)
	if err != nil {
		return queue.Job{}, fmt.Errorf("remote path %q: %v", e.RemotePath, err)
	}
	if !strings.HasPrefix(rdir, "/") {
		return queue.Job{}, fmt.Errorf("remote path %s is not a Unix path", rdir)
	}
	if !filepath.IsAbs(e.LocalFile) {
		return queue.Job{}, errors.New("local path is not absolute")
	}
	j := queue.Job{Site: cfg.Key(), SiteRef: cfg.URL(""), Remote: path.Join(rdir, e.RemoteFile), Dir: dir, Size: -1}
	if e.Size != nil {
		j.Size = *e.Size
	}
	if e.Priority != nil {
		switch p := *e.Priority; {
		case p < fzNormalPrio:
			j.Priority = queue.Low
		case p > fzNormalPrio:
			j.Priority = queue.High
		}
	}
	if e.Download != 0 {
		j.Direction = queue.Download
		j.Local, j.Name = filepath.Dir(e.LocalFile), filepath.Base(e.LocalFile)
		j.Restart = true // as the window's downloads: see QueueBridge.Download
	} else {
		j.Direction = queue.Upload
		j.Local = e.LocalFile
	}
	return j, nil
}

// ExportQueue writes the queue's unfinished and failed items to w as
// FileZilla queue XML and returns how many it wrote.
func (b *QueueBridge) ExportQueue(w io.Writer) (int, error) {
	q := b.queue()
	if q == nil {
		return 0, errors.New("no queue")
	}
	return writeQueueXML(w, q.Items())
}

// ImportQueue queues the transfers of FileZilla queue XML for their sites
// with the default overwrite actions. Their sites' passwords are not in the
// file: they wait for the user to connect to the site, as restored items do
// (QueueBridge.Config), unless the window is connected to it already.
func (b *QueueBridge) ImportQueue(r io.Reader) (*queueImport, error) {
	imp, err := readQueueXML(r)
	if err != nil {
		return nil, err
	}
	q := b.queue()
	if q == nil {
		return nil, errors.New("no queue")
	}
	down, up := b.policies()
	for i := range imp.Jobs {
		j := &imp.Jobs[i]
		j.Policy = up
		if j.Direction == queue.Download {
			j.Policy = down
		}
		if _, err := q.Add(*j); err != nil {
			imp.Skipped = append(imp.Skipped, fmt.Sprintf("%s: %v", j.Remote, err))
			continue
		}
		imp.Added++
	}
	return imp, nil
}

// queueFiler is a Transfers that can export and import the queue.
type queueFiler interface {
	ExportQueue(w io.Writer) (int, error)
	ImportQueue(r io.Reader) (*queueImport, error)
}

// queueFileItems are File ▸ Export queue… and Import queue…, when the
// window's Transfers can (the QueueBridge).
func (w *Window) queueFileItems() []*fyne.MenuItem {
	if _, ok := w.opts.Transfers.(queueFiler); !ok {
		return nil
	}
	return []*fyne.MenuItem{
		fyne.NewMenuItem("Export queue…", w.exportQueue),
		fyne.NewMenuItem("Import queue…", w.importQueue),
	}
}

func (w *Window) exportQueue() {
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil || wc == nil {
			return
		}
		p := wc.URI().Path()
		wc.Close()
		w.exportQueueTo(p)
	}, w.win)
	d.SetFileName("FileZilla-queue.xml")
	d.SetFilter(storage.NewExtensionFileFilter([]string{".xml"}))
	d.Resize(fyne.NewSize(800, 560))
	d.Show()
}

// exportQueueTo writes the queue to p in the background (atomically: a
// temporary file renamed over p).
func (w *Window) exportQueueTo(p string) {
	f := w.opts.Transfers.(queueFiler)
	go func() {
		// The export is built in memory (a few MB for 10,000 items) and
		// written the way the site store writes its files.
		var buf bytes.Buffer
		n, err := f.ExportQueue(&buf)
		if err == nil {
			err = bookmarks.WriteFileAtomic(p, buf.Bytes())
		}
		do(func() {
			if err != nil {
				w.showError("Export queue", err)
				return
			}
			w.msgs.Status(fmt.Sprintf("Exported %d transfers to %s", n, p))
		})
	}()
}

func (w *Window) importQueue() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		p := r.URI().Path()
		r.Close()
		w.importQueueFrom(p)
	}, w.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".xml"}))
	d.Resize(fyne.NewSize(800, 560))
	d.Show()
}

// importQueueFrom queues the transfers in p in the background and says
// what it did.
func (w *Window) importQueueFrom(p string) {
	f := w.opts.Transfers.(queueFiler)
	go func() {
		var imp *queueImport
		r, err := os.Open(p)
		if err == nil {
			imp, err = f.ImportQueue(r)
			r.Close()
		}
		do(func() {
			if err != nil {
				w.showError("Import queue", err)
				return
			}
			msg := "Imported " + strconv.Itoa(imp.Added) + " transfers from " + filepath.Base(p)
			if len(imp.Skipped) > 0 {
				msg += fmt.Sprintf("; %d skipped:\n%s", len(imp.Skipped), strings.Join(imp.Skipped, "\n"))
			}
			w.msgs.Status(msg)
			if len(imp.Skipped) > 0 {
				dialog.ShowInformation("Import queue", msg, w.win)
			}
		})
	}()
}

// portVariant is k with the default port spelled the other way (0 and
// 21, 990 or 22): a connection typed without a port and a site saved with
// one reach the same server, and their queued items the same password.
func portVariant(k engine.SiteKey) (engine.SiteKey, bool) {
	switch def := defaultPortOf(k); k.Port {
	case 0:
		k.Port = def
	case def:
		k.Port = 0
	default:
		return k, false
	}
	return k, true
}
