package bookmarks

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// ErrNetrcInsecure is returned when a ~/.netrc that holds passwords can be
// read by other users; like ftp(1), Skiff then ignores its passwords.
var ErrNetrcInsecure = errors.New("the netrc file is readable by other users; its passwords are ignored (chmod 600 it)")

// NetrcEntry is a matching entry of a netrc file.
type NetrcEntry struct {
	Machine  string // "" for the default entry
	Login    string
	Password string
	Account  string
}

// NetrcPath returns $NETRC when set, else ~/.netrc (_netrc on Windows).
func NetrcPath(getenv func(string) string) string {
	if p := getenv("NETRC"); p != "" {
		return p
	}
	home := getenv("HOME")
	if home == "" {
		home, _ = os.UserHomeDir()
	}
	name := ".netrc"
	if runtime.GOOS == "windows" {
		name = "_netrc"
	}
	return filepath.Join(home, name)
}

// NetrcLookup reads the netrc file at path and returns the entry for host:
// the first "machine host" entry whose login is user (any login when user
// is ""), else the "default" entry. ok is false when nothing matches or
// the file does not exist. This is a password source for the command line
// only; Skiff never writes netrc files.
func NetrcLookup(path, host, user string) (e NetrcEntry, ok bool, err error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return e, false, nil
	}
	if err != nil {
		return e, false, err
	}
	defer f.Close()
	entries, err := parseNetrc(f)
	if err != nil {
		return e, false, fmt.Errorf("%s: %w", path, err)
	}
	var def *NetrcEntry
	for i := range entries {
		n := &entries[i]
		switch {
		case n.Machine == "" && def == nil:
			def = n
		case n.Machine != "" && strings.EqualFold(n.Machine, host) && (user == "" || n.Login == "" || n.Login == user):
			e, ok = *n, true
		}
		if ok {
			break
		}
	}
	if !ok && def != nil && (user == "" || def.Login == "" || def.Login == user) {
		e, ok = *def, true
	}
	if ok && e.Password != "" && runtime.GOOS != "windows" {
		if fi, err := f.Stat(); err == nil && fi.Mode().Perm()&0o077 != 0 {
			return NetrcEntry{}, false, fmt.Errorf("%s: %w", path, ErrNetrcInsecure)
		}
	}
	return e, ok, nil
}

// parseNetrc reads the tokens machine, default, login, password, account
// and macdef (whose body, up to an empty line, is skipped). Tokens are
// separated by white space; a token in double quotes may contain spaces
// and backslash escapes.
func parseNetrc(r io.Reader) ([]NetrcEntry, error) {
	br := bufio.NewReader(r)
	var entries []NetrcEntry
	var cur *NetrcEntry
	for {
		tok, err := netrcToken(br)
		if err == io.EOF {
			return entries, nil
		}
		if err != nil {
			return nil, err
		}
		switch tok {
		case "machine", "default":
			entries = append(entries, NetrcEntry{})
			cur = &entries[len(entries)-1]
			if tok == "machine" {
				if cur.Machine, err = netrcToken(br); err != nil {
					return nil, errors.New("machine without a name")
				}
			}
		case "login", "password", "account":
			v, err := netrcToken(br)
			if err != nil {
				return nil, fmt.Errorf("%s without a value", tok)
			}
			if cur == nil {
				continue // before any machine: ignored, like curl
			}
			switch tok {
			case "login":
				cur.Login = v
			case "password":
				cur.Password = v
			default:
				cur.Account = v
			}
		case "macdef":
			if _, err := netrcToken(br); err != nil {
				return entries, nil
			}
			if err := skipMacro(br); err != nil {
				return entries, nil
			}
		}
	}
}

func skipMacro(br *bufio.Reader) error {
	br.ReadString('\n') // rest of the macdef line
	for {
		line, err := br.ReadString('\n')
		if strings.TrimRight(line, "\r\n") == "" || err != nil {
			return err
		}
	}
}

func netrcToken(br *bufio.Reader) (string, error) {
	var b strings.Builder
	for { // skip space and comments
		c, err := br.ReadByte()
		if err != nil {
			return "", io.EOF
		}
		if c == '#' {
			br.ReadString('\n')
			continue
		}
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			br.UnreadByte()
			break
		}
	}
	quoted := false
	if c, _ := br.ReadByte(); c == '"' {
		quoted = true
	} else {
		br.UnreadByte()
	}
	for {
		c, err := br.ReadByte()
		if err != nil {
			break
		}
		switch {
		case quoted && c == '"':
			return b.String(), nil
		case quoted && c == '\\':
			if n, err := br.ReadByte(); err == nil {
				c = n
			}
		case !quoted && (c == ' ' || c == '\t' || c == '\n' || c == '\r'):
			return b.String(), nil
		}
		b.WriteByte(c)
	}
	return b.String(), nil
}
