package ftp

import (
	"context"
	"fmt"
	"io/fs"
	"net/textproto"
	pathpkg "path"
	"slices"
	"strings"
	"time"

	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/listing"
)

// do runs one operation under the Conn's lock and wraps its error.
func (c *Conn) do(op, path string, f func() error) error {
	if err := c.lock(); err != nil {
		return c.opError(op, path, err)
	}
	defer c.unlock()
	if err := f(); err != nil {
		return c.opError(op, path, err)
	}
	return nil
}

// Mkdir creates a directory (MKD). With parents, missing parents are
// created too and an existing directory is not an error.
func (c *Conn) Mkdir(ctx context.Context, path string, parents bool) error {
	return c.do("MKD", path, func() error { return c.mkdir(ctx, path, parents) })
}

func (c *Conn) mkdir(ctx context.Context, path string, parents bool) error {
	_, _, err := c.cmd(ctx, 2, "MKD %s", path)
	if err == nil || !parents || !c.Alive() {
		return err
	}
	if ok, derr := c.isDir(ctx, path); ok || derr != nil {
		return derr
	}
	parent := pathpkg.Dir(strings.TrimRight(path, "/"))
	if parent == "." || parent == "/" || parent == path {
		return err
	}
	if perr := c.mkdir(ctx, parent, true); perr != nil {
		return perr
	}
	_, _, err = c.cmd(ctx, 2, "MKD %s", path)
	return err
}

// Rmdir removes an empty directory (RMD).
func (c *Conn) Rmdir(ctx context.Context, path string) error {
	return c.do("RMD", path, func() error {
		_, _, err := c.cmd(ctx, 2, "RMD %s", path)
		return err
	})
}

// Delete removes a file (DELE).
func (c *Conn) Delete(ctx context.Context, path string) error {
	return c.do("DELE", path, func() error {
		_, _, err := c.cmd(ctx, 2, "DELE %s", path)
		return err
	})
}

// RemoveAll deletes a file, or a directory with everything in it.
func (c *Conn) RemoveAll(ctx context.Context, path string) error {
	return c.do("remove", path, func() error { return c.removeAll(ctx, path) })
}

func (c *Conn) removeAll(ctx context.Context, path string) error {
	_, _, err := c.cmd(ctx, 2, "DELE %s", path)
	if err == nil || !c.Alive() {
		return err
	}
	if ok, derr := c.isDir(ctx, path); !ok || derr != nil {
		return engine.Join(err, derr)
	}
	entries, err := c.listing(ctx, path) // a directory: CWD said so
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !safeName(e.Name) {
			return fmt.Errorf("%w: %q in %s", engine.ErrUnsafeName, e.Name, path)
		}
		child := pathpkg.Join(path, e.Name)
		if e.Type == listing.Dir {
			err = c.removeAll(ctx, child)
		} else {
			_, _, err = c.cmd(ctx, 2, "DELE %s", child)
		}
		if err != nil {
			return err
		}
	}
	_, _, err = c.cmd(ctx, 2, "RMD %s", path)
	return err
}

// safeName reports whether a server-sent name stays inside its directory.
func safeName(name string) bool {
	return name != "" && name != "." && name != ".." && !strings.ContainsAny(name, "/\x00")
}

// Rename moves from to to (RNFR 350, RNTO 250).
func (c *Conn) Rename(ctx context.Context, from, to string) error {
	return c.do("RNFR", from, func() error {
		if _, _, err := c.cmd(ctx, codePendingFurther, "RNFR %s", from); err != nil {
			return err
		}
		_, _, err := c.cmd(ctx, 2, "RNTO %s", to)
		return err
	})
}

// Chmod sets Unix permissions with SITE CHMOD.
func (c *Conn) Chmod(ctx context.Context, path string, mode fs.FileMode) error {
	return c.do("SITE CHMOD", path, func() error {
		_, _, err := c.cmd(ctx, 2, "SITE CHMOD %03o %s", mode.Perm(), path)
		return err
	})
}

// SetModTime sets the modification time: MFMT when offered, else the
// "MDTM time path" form vsftpd and others accept; ErrUnsupported when the
// server has neither.
func (c *Conn) SetModTime(ctx context.Context, path string, t time.Time) error {
	return c.do("MFMT", path, func() error {
		ts := t.UTC().Format("20060102150405")
		if c.feat.MFMT && !c.noMFMT {
			code, msg, err := c.exchange(ctx, "MFMT %s %s", ts, path)
			if err != nil || code/100 == 2 {
				return err
			}
			if code != 500 && code != 502 {
				return rejected(code, msg)
			}
			c.noMFMT = true
		}
		if c.noMDTMw {
			return engine.ErrUnsupported
		}
		code, msg, err := c.exchange(ctx, "MDTM %s %s", ts, path)
		if err != nil || code/100 == 2 {
			return err
		}
		// A server without the two-argument form reads "time path" as a
		// file name and fails it. If the plain MDTM works, the file is
		// there and the form is what failed.
		if _, err := c.mdtm(ctx, path); err != nil {
			return err
		}
		c.noMDTMw = true
		return engine.WithReply(engine.ErrUnsupported, &textproto.Error{Code: code, Msg: msg})
	})
}

// Checksum asks the server to hash a file: HASH with the strongest
// algorithm offered, else CKSM (GridFTP) when FEAT lists it, else the X
// commands FEAT listed, else those probed.
// A refused question (any 5xx: a 501 "syntax error" to XSHA256 is common)
// or an answer without a digest says nothing about the file: the next way
// is asked, and ErrUnsupported means none answered.
func (c *Conn) Checksum(ctx context.Context, path string) (alg, hex string, err error) {
	err = c.do("HASH", path, func() error {
		alg, hex, err = c.checksum(ctx, path)
		return err
	})
	return alg, hex, err
}

func (c *Conn) checksum(ctx context.Context, path string) (string, string, error) {
	for _, h := range hashPreference {
		if !offersHash(c.feat, h.hash) || c.noXHash[h.hash] {
			continue
		}
		if c.hashSel != h.hash {
			code, msg, err := c.exchange(ctx, "OPTS HASH %s", h.hash)
			if err != nil {
				return "", "", err
			}
			if code/100 != 2 {
				if err := c.unanswered(h.hash, code, msg, true); err != nil {
					return "", "", err
				}
				continue
			}
			c.hashSel = h.hash
		}
		// 213 SHA-256 0-49 169cd22282da7f147cb491e559e9dd filename
		code, msg, err := c.exchange(ctx, "HASH %s", path)
		if err != nil {
			return "", "", err
		}
		if f := strings.Fields(msg); code == 213 && len(f) >= 3 && isHex(f[2]) {
			return h.hash, strings.ToLower(f[2]), nil
		}
		if err := c.unanswered(h.hash, code, msg, code/100 == 5 && code != 550); err != nil {
			return "", "", err
		}
	}
	if algs, ok := cksmAlgorithms(c.feat); ok {
		// GridFTP's CKSM <alg> <offset> <length> <path>: 213 <hex>.
		for _, h := range hashPreference {
			way := "CKSM " + h.cksm
			if h.cksm == "" || algs != nil && !slices.Contains(algs, h.cksm) || c.noXHash[way] {
				continue
			}
			code, msg, err := c.exchange(ctx, "CKSM %s 0 -1 %s", h.cksm, path)
			if err != nil {
				return "", "", err
			}
			if f := strings.Fields(msg); code/100 == 2 && len(f) > 0 && isHex(f[0]) && len(f[0]) >= 8 {
				return h.hash, strings.ToLower(f[0]), nil
			}
			if err := c.unanswered(way, code, msg, code/100 == 5 && code != 550); err != nil {
				return "", "", err
			}
		}
	}
	listed := false
	for _, h := range hashPreference {
		listed = listed || offersHash(c.feat, h.xcmd)
	}
	for _, h := range hashPreference {
		if listed && !offersHash(c.feat, h.xcmd) || c.noXHash[h.xcmd] {
			continue
		}
		code, msg, err := c.exchange(ctx, "%s %s", h.xcmd, path)
		if err != nil {
			return "", "", err
		}
		if code/100 == 2 {
			for _, f := range strings.Fields(msg) {
				if isHex(f) && len(f) >= 8 {
					return h.hash, strings.ToLower(f), nil
				}
			}
		}
		if err := c.unanswered(h.xcmd, code, msg, code/100 == 5 && code != 550); err != nil {
			return "", "", err
		}
	}
	return "", "", engine.ErrUnsupported
}

// unanswered handles a checksum question the server did not answer with a
// digest: a 4xx is an error (try later), anything else moves on to the next
// way of asking; forget says the way never works on this server (500, 501,
// 502, 504: the command or its syntax), so it is not asked again.
func (c *Conn) unanswered(way string, code int, msg string, forget bool) error {
	if code/100 == 4 {
		return rejected(code, msg)
	}
	first, _, _ := strings.Cut(msg, "\n")
	c.status("No checksum by %s (%d %s); asking the next way", way, code, first)
	if forget {
		if c.noXHash == nil {
			c.noXHash = map[string]bool{}
		}
		c.noXHash[way] = true
	}
	return nil
}

func isHex(s string) bool {
	for _, r := range s {
		if !('0' <= r && r <= '9' || 'a' <= r && r <= 'f' || 'A' <= r && r <= 'F') {
			return false
		}
	}
	return s != ""
}

// Getwd returns the current directory (PWD).
func (c *Conn) Getwd(ctx context.Context) (string, error) {
	var wd string
	err := c.do("PWD", "", func() (err error) {
		wd, err = c.getwd(ctx)
		return err
	})
	return wd, err
}

func (c *Conn) getwd(ctx context.Context) (string, error) {
	_, msg, err := c.cmd(ctx, codePathCreated, "PWD")
	if err != nil {
		return "", err
	}
	return parseQuoted(msg)
}

// parseQuoted reads the path of a 257 reply: `"/a ""b"" c" is current`,
// where a doubled quote stands for one (RFC 959 appendix II).
func parseQuoted(msg string) (string, error) {
	i := strings.IndexByte(msg, '"')
	if i < 0 {
		return "", fmt.Errorf("malformed 257 reply %q", msg)
	}
	var b strings.Builder
	for j := i + 1; j < len(msg); j++ {
		if msg[j] != '"' {
			b.WriteByte(msg[j])
			continue
		}
		if j+1 < len(msg) && msg[j+1] == '"' {
			b.WriteByte('"')
			j++
			continue
		}
		return b.String(), nil
	}
	return "", fmt.Errorf("malformed 257 reply %q", msg)
}

// Quote sends a raw command line (the UI's custom command) and returns the
// reply; 4xx and 5xx replies are errors that still carry code and text.
// Commands that need a data connection are not supported: their
// preliminary reply is read past so the connection stays in step.
func (c *Conn) Quote(ctx context.Context, line string) (code int, msg string, err error) {
	verb, _, _ := strings.Cut(line, " ")
	err = c.do(strings.ToUpper(verb), "", func() error {
		if code, msg, err = c.exchange(ctx, "%s", line); err != nil {
			return err
		}
		for code/100 == 1 {
			if code, msg, err = c.reply(ctx); err != nil {
				return err
			}
		}
		c.typ = "" // the command may have changed TYPE
		if code >= 400 {
			return rejected(code, msg)
		}
		return nil
	})
	return code, msg, err
}

// Noop checks that the server still answers.
func (c *Conn) Noop(ctx context.Context) error {
	return c.do("NOOP", "", func() error {
		_, _, err := c.cmd(ctx, 2, "NOOP")
		return err
	})
}

var _ engine.Session = (*Conn)(nil)
