package bookmarks

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Protocol is the wire protocol of a site.
type Protocol string

const (
	FTP  Protocol = "ftp"  // FTP and FTPS; Site.Security says which
	SFTP Protocol = "sftp" // SSH File Transfer Protocol; Security does not apply
)

// Security is how an FTP connection is protected. The spellings are the
// CLI's --tls values and engine.Security's String forms.
type Security string

const (
	TLSIfAvailable Security = "auto"     // explicit TLS when offered (FileZilla's default)
	TLSExplicit    Security = "explicit" // AUTH TLS required
	TLSImplicit    Security = "implicit" // TLS from the first byte (port 990)
	Plain          Security = "off"      // never TLS
)

// Logon is how the user is authenticated; FileZilla's Logontype.
type Logon string

const (
	Anonymous   Logon = "anonymous"   // USER anonymous, the anonymous password
	Normal      Logon = "normal"      // user and a password from the keychain
	Ask         Logon = "ask"         // ask for the password every session, never store it
	Interactive Logon = "interactive" // like Ask; the server may ask more than once
	Account     Logon = "account"     // user, password and ACCT
	KeyFile     Logon = "keyfile"     // SFTP: the key file (and ssh-agent), no password
)

// Mode is how data connections are opened.
type Mode string

const (
	ModeDefault Mode = ""        // passive, falling back to active
	ModePassive Mode = "passive" // passive only
	ModeActive  Mode = "active"  // active only
)

// Colour is the label colour FileZilla lets users give a site.
type Colour string

// Colours in FileZilla's order: index i is FileZilla's <Colour>i</Colour>.
var Colours = []Colour{"", "red", "green", "blue", "yellow", "cyan", "magenta", "orange"}

// Site is a saved server. It never holds a password: passwords live in the
// OS keychain under the site's ID (see Keychain). The zero value of every
// optional field means "the default".
type Site struct {
	// ID is stable for the life of the site: renaming or moving keeps it,
	// duplicating makes a new one. It is the keychain item's key. Store
	// assigns it when a site is added.
	ID   string `json:"id"`
	Name string `json:"name"`

	Host        string   `json:"host"`
	Port        int      `json:"port,omitempty"` // 0: 21, or 990 for implicit TLS
	Protocol    Protocol `json:"protocol"`
	Security    Security `json:"security"`
	Logon       Logon    `json:"logon"`
	User        string   `json:"user,omitempty"`
	Account     string   `json:"account,omitempty"`     // ACCT, for Logon Account
	KeyFile     string   `json:"keyFile,omitempty"`     // SFTP private key path, tried before the password
	NoAgent     bool     `json:"noAgent,omitempty"`     // SFTP: do not use ssh-agent's keys
	VirtualHost string   `json:"virtualHost,omitempty"` // RFC 7151 HOST

	RemoteDir string `json:"remoteDir,omitempty"` // opened after login
	LocalDir  string `json:"localDir,omitempty"`  // shown in the local pane

	Mode           Mode   `json:"mode,omitempty"`
	MaxConnections int    `json:"maxConnections,omitempty"`  // 0: the default (engine.DefaultTransferConns)
	TZOffsetMin    int    `json:"tzOffsetMinutes,omitempty"` // server's offset from UTC for LIST times
	Charset        string `json:"charset,omitempty"`         // "": auto (UTF-8 when offered); or a name like "ISO-8859-1"

	Colour   Colour `json:"colour,omitempty"`
	Comments string `json:"comments,omitempty"`

	// TrustedFingerprints are SHA-256 certificate fingerprints ("AB:CD:…",
	// engine.Fingerprint's form) the user chose to trust for this site.
	TrustedFingerprints []string `json:"trustedFingerprints,omitempty"`

	// Proxy is the site's own proxy (Kind none: direct); nil means the
	// default proxy stored with the sites (Tree.Proxy), if any.
	Proxy *Proxy `json:"proxy,omitempty"`
}

// Folder is a named group of sites and folders. The tree's root is a Folder
// with ID RootID and no name.
type Folder struct {
	ID      string    `json:"id"`
	Name    string    `json:"name"`
	Folders []*Folder `json:"folders,omitempty"`
	Sites   []*Site   `json:"sites,omitempty"`
}

// RootID is the ID of the tree's root folder (and the empty parent ID).
const RootID = ""

// Errors returned by tree and store operations. They are wrapped with the
// name or ID involved; test with errors.Is.
var (
	ErrNotFound  = errors.New("no such site or folder")
	ErrNameTaken = errors.New("name already used in this folder")
	ErrBadName   = errors.New("invalid name")
	ErrInvalid   = errors.New("invalid site")
	ErrCycle     = errors.New("cannot move a folder into itself")
)

// newID returns a random 128-bit ID in hex.
func newID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("bookmarks: crypto/rand failed: " + err.Error())
	}
	return hex.EncodeToString(b[:])
}

// Validate checks the fields a connection needs and the enum spellings.
func (s *Site) Validate() error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w %q: %s", ErrInvalid, s.Name, fmt.Sprintf(format, a...))
	}
	if err := checkName(s.Name); err != nil {
		return err
	}
	if strings.TrimSpace(s.Host) == "" {
		return bad("no host")
	}
	if strings.ContainsAny(s.Host, " /\r\n\t") {
		return bad("host %q contains a space or slash", s.Host)
	}
	if s.Port < 0 || s.Port > 65535 {
		return bad("port %d out of range", s.Port)
	}
	switch s.Protocol {
	case FTP, SFTP:
	default:
		return bad("unknown protocol %q", s.Protocol)
	}
	if s.Proxy != nil {
		if err := s.Proxy.Validate(); err != nil {
			return fmt.Errorf("site %q: %w", s.Name, err)
		}
	}
	switch s.Security {
	case TLSIfAvailable, TLSExplicit, TLSImplicit, Plain:
	default:
		return bad("unknown security %q", s.Security)
	}
	switch s.Logon {
	case Anonymous, Normal, Ask, Interactive, Account, KeyFile:
	default:
		return bad("unknown logon type %q", s.Logon)
	}
	switch s.Mode {
	case ModeDefault, ModePassive, ModeActive:
	default:
		return bad("unknown transfer mode %q", s.Mode)
	}
	if s.MaxConnections < 0 || s.MaxConnections > 10 {
		return bad("connection limit %d out of range 0–10", s.MaxConnections)
	}
	if s.TZOffsetMin < -24*60 || s.TZOffsetMin > 24*60 {
		return bad("time zone offset %d minutes out of range", s.TZOffsetMin)
	}
	if !slices.Contains(Colours, s.Colour) {
		return bad("unknown colour %q", s.Colour)
	}
	for _, v := range []string{s.User, s.Account, s.VirtualHost, s.Charset} {
		if strings.ContainsAny(v, "\r\n") {
			return bad("a field contains a line break")
		}
	}
	return nil
}

// normalize fills the defaults a zero Site means.
func (s *Site) normalize() {
	if s.Protocol == "" {
		s.Protocol = FTP
	}
	if s.Security == "" {
		s.Security = TLSIfAvailable
	}
	if s.Logon == "" {
		s.Logon = Normal
		if s.User == "" {
			s.Logon = Anonymous
		}
	}
}

// NeedsPassword reports whether connecting uses a password the keychain may
// hold (Normal and Account logons).
func (s *Site) NeedsPassword() bool { return s.Logon == Normal || s.Logon == Account }

// Clone returns a deep copy.
func (s *Site) Clone() *Site {
	c := *s
	c.TrustedFingerprints = slices.Clone(s.TrustedFingerprints)
	c.Proxy = s.Proxy.Clone()
	return &c
}

// LogValue describes the site without comments or other free text.
func (s Site) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", s.ID), slog.String("name", s.Name),
		slog.String("host", s.Host), slog.Int("port", s.Port), slog.String("user", s.User))
}

// Clone returns a deep copy of the folder and everything below it.
func (f *Folder) Clone() *Folder {
	c := &Folder{ID: f.ID, Name: f.Name}
	for _, sub := range f.Folders {
		c.Folders = append(c.Folders, sub.Clone())
	}
	for _, s := range f.Sites {
		c.Sites = append(c.Sites, s.Clone())
	}
	return c
}

// nameTaken reports whether a child (site or folder) other than exceptID is
// called name. Names are unique within a folder so that paths are.
func (f *Folder) nameTaken(name, exceptID string) bool {
	for _, sub := range f.Folders {
		if sub.Name == name && sub.ID != exceptID {
			return true
		}
	}
	for _, s := range f.Sites {
		if s.Name == name && s.ID != exceptID {
			return true
		}
	}
	return false
}

// freeName returns name, or "name (2)", "name (3)", … whichever is free;
// "name (2)" continues with "name (3)".
func (f *Folder) freeName(name string) string {
	if !f.nameTaken(name, "") {
		return name
	}
	base, i := name, 2
	if m := copySuffix.FindStringSubmatch(name); m != nil {
		n, _ := strconv.Atoi(m[2])
		base, i = m[1], n+1
	}
	for ; ; i++ {
		n := fmt.Sprintf("%s (%d)", base, i)
		if !f.nameTaken(n, "") {
			return n
		}
	}
}

var copySuffix = regexp.MustCompile(`^(.*) \(([0-9]{1,6})\)$`)

// checkName refuses names that would make a path ambiguous or unprintable.
// A '/' is allowed: paths escape it as `\/`.
func checkName(name string) error {
	if strings.TrimSpace(name) == "" {
		return fmt.Errorf("%w: empty name", ErrBadName)
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f {
			return fmt.Errorf("%w %q: control character", ErrBadName, name)
		}
	}
	return nil
}

// JoinPath joins names into a path "Work/Web server", escaping '/' and '\'
// inside names with a backslash (FileZilla's convention).
func JoinPath(names ...string) string {
	esc := make([]string, len(names))
	for i, n := range names {
		n = strings.ReplaceAll(n, `\`, `\\`)
		esc[i] = strings.ReplaceAll(n, "/", `\/`)
	}
	return strings.Join(esc, "/")
}

// SplitPath is the inverse of JoinPath. Empty segments (a leading, trailing
// or doubled '/') are dropped.
func SplitPath(path string) []string {
	var names []string
	var cur strings.Builder
	for i := 0; i < len(path); i++ {
		switch c := path[i]; {
		case c == '\\' && i+1 < len(path):
			i++
			cur.WriteByte(path[i])
		case c == '/':
			if cur.Len() > 0 {
				names = append(names, cur.String())
			}
			cur.Reset()
		default:
			cur.WriteByte(c)
		}
	}
	if cur.Len() > 0 {
		names = append(names, cur.String())
	}
	return names
}
