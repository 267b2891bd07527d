package sftp

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"

	"github.com/skiff-ftp/skiff/engine"
)

// auth is the client side of one connection's authentication, in
// OpenSSH's order: public keys (key files and ssh-agent), then
// keyboard-interactive, then password. Its next method is the
// ssh.ClientConfig's AuthCallback, which sees the negotiated algorithms and
// the methods the server allows, so the trace can show both, and which picks
// each method itself.
type auth struct {
	tr      tracer
	methods []namedMethod
	agent   io.Closer // closed when the handshake is over
	shown   bool      // the handshake summary has been traced
	last    string    // the method tried last
}

type namedMethod struct {
	name string // RFC 4252 name
	desc string // for the trace: which keys
	m    ssh.AuthMethod
}

// newAuth gathers h's methods. A key file that cannot be read or parsed is
// traced and skipped; the login fails later only if nothing else works.
func newAuth(ctx context.Context, cfg engine.Config, h hop, tr tracer) (*auth, error) {
	a := &auth{tr: tr}
	var signers []ssh.Signer
	var fromFiles []ssh.PublicKey // for IdentitiesOnly: the agent keys allowed
	for _, f := range h.identityFiles {
		s, pub, err := loadKey(ctx, cfg, f)
		if err != nil {
			if !(h.defaultKeys && errors.Is(err, os.ErrNotExist)) {
				tr.error(fmt.Sprintf("key %s: %v", f, err))
			}
			if pub != nil {
				fromFiles = append(fromFiles, pub)
			}
			continue
		}
		signers = append(signers, s)
		fromFiles = append(fromFiles, s.PublicKey())
	}
	if !cfg.NoAgent {
		if c, err := openAgent(); err != nil {
			tr.error(err.Error())
		} else if c != nil {
			a.agent = c
			as, err := agent.NewClient(c).Signers()
			if err != nil {
				tr.error(fmt.Sprintf("ssh-agent: %v", err))
			}
			for _, s := range as {
				if h.identitiesOnly && !slices.ContainsFunc(fromFiles, func(k ssh.PublicKey) bool {
					return bytes.Equal(k.Marshal(), s.PublicKey().Marshal())
				}) {
					continue // IdentitiesOnly: only the agent's copies of the configured keys
				}
				if !slices.ContainsFunc(signers, func(o ssh.Signer) bool {
					return bytes.Equal(o.PublicKey().Marshal(), s.PublicKey().Marshal())
				}) {
					signers = append(signers, s)
				}
			}
		}
	}
	if len(signers) > 0 {
		var fps []string
		for _, s := range signers {
			fps = append(fps, s.PublicKey().Type()+" "+ssh.FingerprintSHA256(s.PublicKey()))
		}
		a.methods = append(a.methods, namedMethod{"publickey", strings.Join(fps, ", "), ssh.PublicKeys(signers...)})
	}
	answer := cfg.KeyboardInteractive
	if answer == nil && h.password != "" {
		// Without a prompter, answer PAM's password prompt with the
		// password (what the password method would have sent), and nothing
		// else: a one-time code is not the password.
		pw := h.password
		answer = func(_ context.Context, _, _ string, qs []string, echos []bool) ([]string, error) {
			ans := make([]string, len(qs))
			for i, q := range qs {
				if !IsPasswordPrompt(q, i < len(echos) && echos[i]) {
					return nil, fmt.Errorf("the server asks %q, which only the user can answer", q)
				}
				ans[i] = pw
			}
			return ans, nil
		}
	}
	if answer != nil {
		a.methods = append(a.methods, namedMethod{"keyboard-interactive", "", ssh.KeyboardInteractive(
			func(name, instr string, qs []string, echos []bool) ([]string, error) {
				if len(qs) > 0 {
					tr.reply(fmt.Sprintf("keyboard-interactive prompts: %q", qs)) // the prompts, never the answers
				}
				return answer(ctx, name, instr, qs, echos)
			})})
	}
	if h.password != "" {
		a.methods = append(a.methods, namedMethod{"password", "", ssh.Password(h.password)})
	} else if cfg.KeyboardInteractive != nil {
		// No password given: ask for one only if the server wants it (a
		// key login never prompts), through the prompter, as ssh does.
		prompt := fmt.Sprintf("%s@%s's password: ", h.user, h.host)
		a.methods = append(a.methods, namedMethod{"password", "asked", ssh.PasswordCallback(func() (string, error) {
			ans, err := cfg.KeyboardInteractive(ctx, "", "", []string{prompt}, []bool{false})
			if err != nil {
				return "", err
			}
			if len(ans) != 1 {
				return "", errors.New("no password given")
			}
			return ans[0], nil
		})})
	}
	return a, nil
}

// next is the AuthCallback: the first method of ours the server allows
// and that has not been tried (or has partly succeeded) yet; nil when none
// is left, which fails the login.
func (a *auth) next(c *ssh.ClientAuthContext) (ssh.AuthMethod, error) {
	if !a.shown {
		a.shown = true
		al := c.Algorithms
		a.tr.status(fmt.Sprintf("Key exchange %s, host key %s", al.KeyExchange, al.HostKey))
		a.tr.status(fmt.Sprintf("Cipher %s (to server), %s (from server)%s", al.Write.Cipher, al.Read.Cipher, macs(al)))
	}
	a.tr.reply("Server accepts: " + strings.Join(c.AllowedMethods, ", "))
	for _, m := range a.methods {
		if !slices.Contains(c.AllowedMethods, m.name) || slices.Contains(c.TriedMethods, m.name) ||
			slices.Contains(c.PartialSuccessMethods, m.name) {
			continue
		}
		a.last = m.name
		if m.desc != "" {
			a.tr.command(fmt.Sprintf("Trying %s (%s)", m.name, m.desc))
		} else {
			a.tr.command("Trying " + m.name)
		}
		return m.m, nil
	}
	var have []string
	for _, m := range a.methods {
		have = append(have, m.name)
	}
	a.tr.error(fmt.Sprintf("No authentication method left (have: %s; tried: %s)", orNone(have), orNone(c.TriedMethods)))
	return nil, nil
}

// succeeded names the method that logged in.
func (a *auth) succeeded() string { return a.last }

func (a *auth) close() {
	if a.agent != nil {
		a.agent.Close()
	}
}

func macs(al ssh.NegotiatedAlgorithms) string {
	if al.Write.MAC == "" || strings.Contains(al.Write.Cipher, "gcm") || strings.Contains(al.Write.Cipher, "poly1305") {
		return "" // AEAD ciphers have no separate MAC
	}
	return fmt.Sprintf(", MAC %s", al.Write.MAC)
}

func orNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}

// loadKey reads a private key file, asking cfg.Passphrase for an encrypted
// one. When the key cannot be used, the public key is still returned if
// file.pub exists (ssh-agent may hold the private half).
func loadKey(ctx context.Context, cfg engine.Config, file string) (ssh.Signer, ssh.PublicKey, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, pubFile(file), err
	}
	s, err := ssh.ParsePrivateKey(b)
	var pm *ssh.PassphraseMissingError
	if errors.As(err, &pm) {
		if cfg.Passphrase == nil {
			return nil, pm.PublicKey, fmt.Errorf("encrypted, and no passphrase")
		}
		pp, perr := cfg.Passphrase(ctx, file)
		if perr != nil {
			return nil, pm.PublicKey, perr
		}
		s, err = ssh.ParsePrivateKeyWithPassphrase(b, []byte(pp))
	}
	if err != nil {
		return nil, pubFile(file), fmt.Errorf("key %s: %w", filepath.Base(file), err)
	}
	return s, s.PublicKey(), nil
}

func pubFile(file string) ssh.PublicKey {
	b, err := os.ReadFile(file + ".pub")
	if err != nil {
		return nil
	}
	k, _, _, _, err := ssh.ParseAuthorizedKey(b)
	if err != nil {
		return nil
	}
	return k
}

// IsPasswordPrompt reports whether a keyboard-interactive prompt asks for
// the account's password (PAM's "Password: ", "user@host's password: "):
// echo off and the word in it. A one-time code ("Verification code: ") is
// not.
func IsPasswordPrompt(prompt string, echo bool) bool {
	return !echo && strings.Contains(strings.ToLower(prompt), "password")
}
