package engine

import (
	"context"
	"io"
	"io/fs"
	"time"

	"github.com/skiff-ftp/skiff/engine/listing"
)

// Session is one logged-in connection to a server. Every protocol implements
// it; callers (pool, queue, UI, CLI) use nothing else.
//
// A Session is not safe for concurrent use: one operation at a time. Every
// blocking call takes a context; cancelling it makes the call return promptly
// and leaves the session either usable or closed (Alive reports which), never
// wedged. Errors follow the package's error contract.
type Session interface {
	// List returns the entries of a remote directory ("" is the current one).
	List(ctx context.Context, path string) ([]listing.Entry, error)
	// Stat describes one remote path (MLST, else SIZE/MDTM). ErrNotFound when missing.
	Stat(ctx context.Context, path string) (listing.Entry, error)
	// Retrieve writes the remote file from offset on to w and returns the
	// bytes written. It is an error (ErrShort) if fewer bytes arrive than the
	// server's size says.
	Retrieve(ctx context.Context, path string, offset int64, w io.Writer) (int64, error)
	// Store uploads r to path; offset > 0 resumes (REST+STOR, else APPE) and r
	// must then start at that offset. The final size is verified when the
	// server can tell it.
	Store(ctx context.Context, path string, offset int64, r io.Reader) (int64, error)
	// Mkdir creates a directory; with parents, missing parents too and an
	// existing directory is not an error.
	Mkdir(ctx context.Context, path string, parents bool) error
	Rmdir(ctx context.Context, path string) error
	Delete(ctx context.Context, path string) error
	// RemoveAll deletes a file or a directory tree.
	RemoveAll(ctx context.Context, path string) error
	Rename(ctx context.Context, from, to string) error
	Chmod(ctx context.Context, path string, mode fs.FileMode) error
	// SetModTime sets the remote modification time (MFMT or alternatives);
	// ErrUnsupported when the server has no way.
	SetModTime(ctx context.Context, path string, t time.Time) error
	// Checksum asks the server for a hash of the file (HASH, XSHA256, ...).
	// It returns the algorithm used ("SHA-256", "MD5", "CRC32", ...) and the
	// lower-case hex digest; ErrUnsupported when the server offers none.
	Checksum(ctx context.Context, path string) (alg, hex string, err error)
	// Getwd returns the current remote directory.
	Getwd(ctx context.Context) (string, error)
	// Quote sends a raw command (the UI's "custom command") and returns the
	// server's reply. A reply of 4xx/5xx is returned as err.
	Quote(ctx context.Context, line string) (code int, msg string, err error)
	// Noop checks the connection.
	Noop(ctx context.Context) error
	// Alive reports whether the session may still be used (false after a
	// broken connection or a cancelled call that could not be recovered).
	Alive() bool
	// Features describes what the server can do, learned at login.
	Features() Features
	// Close logs out (QUIT) and closes the connection.
	Close() error
}

// Features are the capabilities a session learned (FEAT, SYST, probing).
type Features struct {
	System string // SYST reply text
	MLSD   bool
	// HiddenListed: List shows dot files (MLSD, or LIST -a honoured), so a
	// name missing from a listing does not exist. When false, ".htaccess"
	// not being listed says nothing.
	HiddenListed bool
	Size         bool
	MDTM         bool
	MFMT         bool
	Rest         bool // REST STREAM
	UTF8         bool
	EPSV         bool
	Hash         []string // HASH algorithms, or X* commands ("XSHA256", ...)
	TLS          bool     // the control connection is encrypted
	Welcome      string   // the 220 banner
	Features     []string // raw FEAT lines
}

// Dialer opens sessions. engine/ftp provides one; tests may provide fakes.
type Dialer interface {
	Dial(ctx context.Context, cfg Config) (Session, error)
}

// DialerFunc adapts a function to Dialer.
type DialerFunc func(ctx context.Context, cfg Config) (Session, error)

// Dial calls f.
func (f DialerFunc) Dial(ctx context.Context, cfg Config) (Session, error) { return f(ctx, cfg) }
