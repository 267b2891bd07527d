package bookmarks

import (
	"context"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// FileZilla's <Protocol> values Skiff maps; others are skipped by name.
var fzProtocols = map[string]struct {
	proto Protocol
	sec   Security
}{
	"":  {FTP, TLSIfAvailable},
	"0": {FTP, TLSIfAvailable}, // FTP: explicit TLS if available
	"1": {SFTP, Plain},         // SFTP (Security does not apply), with its <Keyfile>
	"3": {FTP, TLSImplicit},    // FTPS
	"4": {FTP, TLSExplicit},    // FTPES
	"6": {FTP, Plain},          // FTP, plain only (INSECURE_FTP)
}

var fzProtocolNames = map[string]string{
	"2": "HTTP", "5": "HTTPS", "7": "S3", "8": "Storj", "9": "WebDAV", "10": "Azure Files",
	"11": "Azure Blob", "12": "OpenStack Swift", "13": "Google Cloud Storage", "14": "Google Drive",
	"15": "Dropbox", "16": "OneDrive", "17": "Backblaze B2", "18": "Box", "19": "WebDAV (insecure)",
}

// FileZilla's <Logontype> values.
var fzLogons = []Logon{Anonymous, Normal, Ask, Interactive, Account, KeyFile}

// ImportSummary says what an import did, site by site.
type ImportSummary struct {
	Folders  int            // folders created or merged into
	Imported []ImportedSite // sites added (possibly with notes)
	Skipped  []SkippedSite  // sites not added, and why
}

// ImportedSite is a site an import added. Notes say what did not carry
// over ("password protected by FileZilla's master password: not imported").
type ImportedSite struct {
	Path  string // where it is now, e.g. "Work/Web server"
	ID    string
	Notes []string
}

// SkippedSite is a site an import left out.
type SkippedSite struct {
	Path   string // its path in the imported file
	Reason string
}

// String is the summary for people: counts, then one line per site with notes.
func (s *ImportSummary) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Imported %d site(s) in %d folder(s); skipped %d.\n", len(s.Imported), s.Folders, len(s.Skipped))
	for _, im := range s.Imported {
		for _, n := range im.Notes {
			fmt.Fprintf(&b, "  %s: %s\n", im.Path, n)
		}
	}
	for _, sk := range s.Skipped {
		fmt.Fprintf(&b, "  skipped %s: %s\n", sk.Path, sk.Reason)
	}
	return b.String()
}

// FileZillaImport is a parsed sitemanager.xml. The passwords it found are
// held in memory only, unexported so they cannot be marshalled, until
// Store.ImportFileZilla moves them into the keychain.
type FileZillaImport struct {
	Tree      *Tree
	Summary   ImportSummary     // Imported paths are relative to the imported tree
	passwords map[string]string // site ID → password
	notes     map[string][]string
	origName  map[string]string // site ID → its name in the file
}

type fzFolder struct {
	Text    string     `xml:",chardata"`
	Folders []fzFolder `xml:"Folder"`
	Servers []fzServer `xml:"Server"`
}

type fzServer struct {
	Text                       string `xml:",chardata"`
	Name                       string `xml:"Name"`
	Host                       string `xml:"Host"`
	Port                       string `xml:"Port"`
	Protocol                   string `xml:"Protocol"`
	User                       string `xml:"User"`
	Pass                       fzPass `xml:"Pass"`
	Account                    string `xml:"Account"`
	Keyfile                    string `xml:"Keyfile"`
	Logontype                  string `xml:"Logontype"`
	PasvMode                   string `xml:"PasvMode"`
	MaximumMultipleConnections string `xml:"MaximumMultipleConnections"`
	EncodingType               string `xml:"EncodingType"`
	CustomEncoding             string `xml:"CustomEncoding"`
	Comments                   string `xml:"Comments"`
	Colour                     string `xml:"Colour"`
	LocalDir                   string `xml:"LocalDir"`
	RemoteDir                  string `xml:"RemoteDir"`
	TimezoneOffset             string `xml:"TimezoneOffset"`
	SyncBrowsing               string `xml:"SyncBrowsing"`
}

type fzPass struct {
	Encoding string `xml:"encoding,attr"`
	Value    string `xml:",chardata"`
}

// ParseFileZilla reads FileZilla's sitemanager.xml (or a Site Manager
// export, which has the same form).
func ParseFileZilla(r io.Reader) (*FileZillaImport, error) {
	var doc struct {
		XMLName xml.Name `xml:"FileZilla3"`
		Servers fzFolder `xml:"Servers"`
	}
	if err := xml.NewDecoder(r).Decode(&doc); err != nil {
		return nil, fmt.Errorf("not a FileZilla site manager file: %w", err)
	}
	imp := &FileZillaImport{Tree: NewTree(), passwords: map[string]string{}, notes: map[string][]string{}, origName: map[string]string{}}
	imp.addFolder(imp.Tree.Root, nil, doc.Servers)
	for _, s := range imp.Tree.Sites() {
		imp.Summary.Imported = append(imp.Summary.Imported,
			ImportedSite{Path: imp.Tree.Path(s.ID), ID: s.ID, Notes: imp.notesFor(s.ID, s.Name)})
	}
	return imp, nil
}

func (imp *FileZillaImport) addFolder(dst *Folder, names []string, src fzFolder) {
	for _, sub := range src.Folders {
		name := cleanName(sub.Text)
		if name == "" {
			name = "Unnamed folder"
		}
		f, err := imp.Tree.EnsureFolder(dst.ID, name)
		if err != nil { // a site of that name is there
			f, _ = imp.Tree.AddFolder(dst.ID, dst.freeName(name))
		}
		imp.Summary.Folders++
		imp.addFolder(f, append(names[:len(names):len(names)], f.Name), sub)
	}
	for _, srv := range src.Servers {
		imp.addServer(dst, names, srv)
	}
}

func (imp *FileZillaImport) addServer(dst *Folder, names []string, srv fzServer) {
	name := cleanName(srv.Name)
	if name == "" {
		name = cleanName(srv.Text)
	}
	if name == "" {
		name = strings.TrimSpace(srv.Host)
	}
	path := JoinPath(append(names[:len(names):len(names)], name)...)
	skip := func(format string, a ...any) {
		imp.Summary.Skipped = append(imp.Summary.Skipped, SkippedSite{Path: path, Reason: fmt.Sprintf(format, a...)})
	}
	p, ok := fzProtocols[strings.TrimSpace(srv.Protocol)]
	if !ok {
		n := fzProtocolNames[strings.TrimSpace(srv.Protocol)]
		if n == "" {
			n = "protocol " + srv.Protocol
		}
		skip("%s is not supported by Skiff", n)
		return
	}
	var notes []string
	note := func(format string, a ...any) { notes = append(notes, fmt.Sprintf(format, a...)) }
	s := Site{
		Name: name, Host: strings.TrimSpace(srv.Host), Protocol: p.proto, Security: p.sec,
		User: srv.User, Account: srv.Account, KeyFile: srv.Keyfile,
		Comments: srv.Comments, LocalDir: srv.LocalDir,
	}
	if s.Host == "" {
		skip("no host")
		return
	}
	if v := strings.TrimSpace(srv.Port); v != "" {
		port, err := strconv.Atoi(v)
		if err != nil || port < 0 || port > 65535 {
			skip("invalid port %q", v)
			return
		}
		s.Port = port
	}
	if v := strings.TrimSpace(srv.Logontype); v != "" {
		i, err := strconv.Atoi(v)
		if err != nil || i < 0 || i >= len(fzLogons) {
			s.Logon = Ask
			note("unknown logon type %q: the password will be asked for", v)
		} else {
			s.Logon = fzLogons[i]
		}
	}
	if s.Logon == KeyFile && p.proto != SFTP {
		s.Logon = Ask
		note("key file logon is for SFTP only: the password will be asked for")
	}
	switch strings.TrimSpace(srv.PasvMode) {
	case "MODE_ACTIVE":
		s.Mode = ModeActive
	case "MODE_PASSIVE":
		s.Mode = ModePassive
	}
	if v := strings.TrimSpace(srv.MaximumMultipleConnections); v != "" {
		n, err := strconv.Atoi(v)
		switch {
		case err != nil || n < 0:
			note("invalid connection limit %q ignored", v)
		case n > 10:
			s.MaxConnections = 10
			note("connection limit %d lowered to 10", n)
		default:
			s.MaxConnections = n
		}
	}
	switch enc := strings.TrimSpace(srv.EncodingType); enc {
	case "", "Auto":
	case "UTF-8":
		s.Charset = "UTF-8"
	case "Custom":
		s.Charset = strings.TrimSpace(srv.CustomEncoding)
	default:
		note("unknown character set setting %q ignored", enc)
	}
	if v := strings.TrimSpace(srv.Colour); v != "" {
		i, err := strconv.Atoi(v)
		if err != nil || i < 0 || i >= len(Colours) {
			note("unknown colour %q ignored", v)
		} else {
			s.Colour = Colours[i]
		}
	}
	if v := strings.TrimSpace(srv.TimezoneOffset); v != "" {
		m, err := strconv.Atoi(v)
		if err != nil || m < -24*60 || m > 24*60 {
			note("invalid server time offset %q ignored", v)
		} else {
			// FileZilla adds its offset to listing times (as it does the
			// offset it learns from MDTM); Skiff's is the server's zone,
			// subtracted from them. A server on UTC+2 is -120 there, 120 here.
			s.TZOffsetMin = -m
		}
	}
	if v := strings.TrimSpace(srv.RemoteDir); v != "" {
		dir, err := DecodeFileZillaPath(v)
		if err != nil {
			note("default remote folder %q could not be decoded: %v", v, err)
		} else {
			s.RemoteDir = dir
		}
	}
	if strings.TrimSpace(srv.SyncBrowsing) == "1" {
		note("synchronized browsing is not supported and was not imported")
	}
	s.normalize() // no Logontype: normal with a user, else anonymous
	pw, pwNote := fzPassword(srv.Pass)
	if pwNote != "" {
		note("%s", pwNote)
	}
	if pw != "" && !s.NeedsPassword() {
		pw = "" // FileZilla keeps stale passwords of ask/anonymous sites; so do we not
	}
	if err := s.Validate(); err != nil {
		skip("%v", err)
		return
	}
	s.Name = dst.freeName(s.Name)
	site, err := imp.Tree.AddSite(dst.ID, s)
	if err != nil {
		skip("%v", err)
		return
	}
	imp.origName[site.ID] = name
	if pw != "" {
		imp.passwords[site.ID] = pw
	}
	imp.notes[site.ID] = notes
}

// notesFor returns the notes of the imported site id, plus one when it
// is saved as name rather than its name in the file.
func (imp *FileZillaImport) notesFor(id, name string) []string {
	notes := slices.Clone(imp.notes[id])
	if orig := imp.origName[id]; orig != name {
		notes = append(notes, fmt.Sprintf("saved as %q: the name %q was taken", name, orig))
	}
	return notes
}

// fzPassword decodes <Pass>; a note explains a password it cannot use.
func fzPassword(p fzPass) (pw, note string) {
	v := p.Value
	switch strings.TrimSpace(p.Encoding) {
	case "base64":
		b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(v))
		if err != nil {
			return "", "the saved password is not valid base64: not imported"
		}
		return string(b), ""
	case "crypt":
		return "", "the password is protected by FileZilla's master password and cannot be imported; enter it in Skiff"
	case "":
		return v, "" // FileZilla before 3.26 stored it as plain text
	default:
		return "", fmt.Sprintf("the password's encoding %q is unknown: not imported", p.Encoding)
	}
}

// cleanName trims a FileZilla name and turns control characters (a
// newline in a folder name) into spaces.
func cleanName(s string) string {
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s))
}

// DecodeFileZillaPath turns FileZilla's encoded server path ("1 0 3 www 4
// html": server type, prefix length and prefix, then length-prefixed
// segments) into a path: "/www/html" for Unix-like types, `C:\www` for
// DOS (type 3), "DISK:[A.B]" for VMS (type 2).
func DecodeFileZillaPath(enc string) (string, error) {
	r := []rune(enc)
	i := 0
	number := func() (int, error) {
		j := i
		for j < len(r) && r[j] >= '0' && r[j] <= '9' {
			j++
		}
		if j == i {
			return 0, fmt.Errorf("number expected at %d", i)
		}
		n, err := strconv.Atoi(string(r[i:j]))
		i = j
		return n, err
	}
	field := func(n int) (string, error) { // " " then n runes
		if i >= len(r) || r[i] != ' ' || i+1+n > len(r) {
			return "", errors.New("truncated")
		}
		s := string(r[i+1 : i+1+n])
		i += 1 + n
		return s, nil
	}
	typ, err := number()
	if err != nil {
		return "", err
	}
	if i < len(r) && r[i] == ' ' {
		i++
	}
	plen, err := number()
	if err != nil {
		return "", err
	}
	prefix := ""
	if plen > 0 {
		if prefix, err = field(plen); err != nil {
			return "", err
		}
	}
	var segs []string
	for i < len(r) {
		if r[i] != ' ' {
			return "", fmt.Errorf("space expected at %d", i)
		}
		i++
		n, err := number()
		if err != nil {
			return "", err
		}
		s, err := field(n)
		if err != nil {
			return "", err
		}
		segs = append(segs, s)
	}
	switch typ {
	case 2: // VMS
		return prefix + "[" + strings.Join(segs, ".") + "]", nil
	case 3: // DOS
		if len(segs) == 0 {
			return `\`, nil
		}
		return strings.Join(segs, `\`) + map[bool]string{true: `\`, false: ""}[len(segs) == 1], nil
	default:
		return prefix + "/" + strings.Join(segs, "/"), nil
	}
}

// ImportFileZilla parses a sitemanager.xml and adds its folders and sites
// under the folder parentID (folders of the same name are merged into;
// sites whose name is taken get "Name (2)"), in one change of the store.
// Then the passwords go into Secrets, one item per new site; with no
// keychain, or when it fails, the site stays and a note says the password
// was not saved. It never writes a password anywhere else.
func (s *Store) ImportFileZilla(ctx context.Context, r io.Reader, parentID string) (*ImportSummary, error) {
	imp, err := ParseFileZilla(r)
	if err != nil {
		return nil, err
	}
	sum := imp.Summary
	sum.Imported = nil
	sum.Skipped = slices.Clone(sum.Skipped)
	moved := map[string]*Site{} // imported ID → the site as added
	var tree *Tree
	tree, err = s.Update(func(t *Tree) error {
		dst, err := t.folder(parentID)
		if err != nil {
			return err
		}
		return graft(t, dst, imp.Tree.Root, moved)
	})
	if err != nil {
		return nil, err
	}
	for _, im := range imp.Summary.Imported {
		site := moved[im.ID]
		notes := imp.notesFor(im.ID, site.Name)
		if pw, ok := imp.passwords[im.ID]; ok {
			switch {
			case s.Secrets == nil:
				notes = append(notes, "password not saved: no keychain; it will be asked for")
			default:
				if err := s.Secrets.Set(ctx, site.ID, pw); err != nil {
					notes = append(notes, fmt.Sprintf("password not saved (%v); it will be asked for", err))
				} else {
					notes = append(notes, "password moved into the keychain")
				}
			}
		}
		sum.Imported = append(sum.Imported, ImportedSite{Path: tree.Path(site.ID), ID: site.ID, Notes: notes})
	}
	if prefix := tree.Path(parentID); prefix != "" {
		for i := range sum.Skipped {
			sum.Skipped[i].Path = prefix + "/" + sum.Skipped[i].Path
		}
	}
	clear(imp.passwords)
	return &sum, nil
}

// graft adds src's folders and sites to dst in t, merging folders by name
// and renaming sites whose name is taken. added maps each source site ID to
// the site added (whose ID is the same unless it was in use).
func graft(t *Tree, dst, src *Folder, added map[string]*Site) error {
	for _, sub := range src.Folders {
		f, err := t.EnsureFolder(dst.ID, sub.Name)
		if err != nil {
			if f, err = t.AddFolder(dst.ID, dst.freeName(sub.Name)); err != nil {
				return err
			}
		}
		if err := graft(t, f, sub, added); err != nil {
			return err
		}
	}
	for _, site := range src.Sites {
		c := *site.Clone()
		c.Name = dst.freeName(c.Name)
		a, err := t.AddSite(dst.ID, c)
		if err != nil {
			return err
		}
		added[site.ID] = a
	}
	return nil
}
