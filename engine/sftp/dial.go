package sftp

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"

	"github.com/skiff-ftp/skiff/engine"
)

// Dialer opens SFTP sessions. It implements engine.Dialer.
type Dialer struct{}

// Dial connects, checks the host key, authenticates and starts the sftp
// subsystem.
func (Dialer) Dial(ctx context.Context, cfg engine.Config) (engine.Session, error) {
	timeout := cfg.Timeout
	if timeout == 0 {
		timeout = engine.DefaultTimeout
	}
	addr := cfg.Addr()
	hk, algs, err := hostKeyCallback(ctx, cfg, addr)
	if err != nil {
		return nil, &engine.Error{Op: "login", Err: err}
	}
	auths, closeAgent := authMethods(ctx, cfg)
	defer closeAgent()
	sc := &ssh.ClientConfig{
		User:              cfg.User,
		Auth:              auths,
		HostKeyCallback:   hk,
		HostKeyAlgorithms: algs,
		Timeout:           timeout,
	}
	sc.Ciphers = []string{"aes128-gcm@openssh.com", "aes256-gcm@openssh.com", "chacha20-poly1305@openssh.com", "aes128-ctr", "aes192-ctr", "aes256-ctr"}
	var d net.Dialer
	nc, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, &engine.Error{Op: "connect", Err: err}
	}
	stop := context.AfterFunc(ctx, func() { nc.SetDeadline(time.Unix(1, 0)) })
	nc.SetDeadline(time.Now().Add(timeout))
	c, chans, reqs, err := ssh.NewClientConn(nc, addr, sc)
	stop()
	if err != nil {
		nc.Close()
		if ctx.Err() != nil {
			return nil, &engine.Error{Op: "login", Err: ctx.Err()}
		}
		var hke *HostKeyError
		if errors.As(err, &hke) {
			return nil, &engine.Error{Op: "login", Err: hke}
		}
		if isAuthErr(err) {
			err = errors.Join(engine.ErrLoginFailed, err)
		}
		return nil, &engine.Error{Op: "login", Err: err}
	}
	nc.SetDeadline(time.Time{})
	conn := ssh.NewClient(c, chans, reqs)
	client, err := sftp.NewClient(conn, sftp.MaxPacketUnchecked(maxPacket),
		sftp.UseConcurrentReads(true), sftp.UseConcurrentWrites(true), sftp.MaxConcurrentRequestsPerFile(64))
	if err != nil {
		conn.Close()
		return nil, &engine.Error{Op: "sftp", Err: err}
	}
	s := &Session{conn: conn, client: client}
	s.feat = engine.Features{
		System: string(conn.ServerVersion()), HiddenListed: true, Size: true, MDTM: true, MFMT: true, Rest: true, UTF8: true,
	}
	return s, nil
}

func isAuthErr(err error) bool {
	return err != nil && (errors.Is(err, errNoAuth) || containsAuth(err.Error()))
}

var errNoAuth = errors.New("ssh: unable to authenticate")

func containsAuth(s string) bool {
	const m = "unable to authenticate"
	for i := 0; i+len(m) <= len(s); i++ {
		if s[i:i+len(m)] == m {
			return true
		}
	}
	return false
}

// authMethods: public keys (agent, then key files), keyboard-interactive,
// password.
func authMethods(ctx context.Context, cfg engine.Config) ([]ssh.AuthMethod, func()) {
	var am []ssh.AuthMethod
	closer := func() {}
	var signers []ssh.Signer
	for _, f := range cfg.IdentityFiles {
		if s, err := loadKey(ctx, cfg, f); err == nil {
			signers = append(signers, s)
		}
	}
	if sock := os.Getenv("SSH_AUTH_SOCK"); sock != "" && !cfg.NoAgent {
		if c, err := net.Dial("unix", sock); err == nil {
			closer = func() { c.Close() }
			if as, err := agent.NewClient(c).Signers(); err == nil {
				signers = append(signers, as...)
			}
		}
	}
	if len(signers) > 0 {
		am = append(am, ssh.PublicKeys(signers...))
	}
	if cfg.KeyboardInteractive != nil {
		am = append(am, ssh.KeyboardInteractive(func(name, instr string, qs []string, echos []bool) ([]string, error) {
			return cfg.KeyboardInteractive(ctx, name, instr, qs, echos)
		}))
	} else if cfg.Password != "" {
		pw := cfg.Password
		am = append(am, ssh.KeyboardInteractive(func(name, instr string, qs []string, echos []bool) ([]string, error) {
			ans := make([]string, len(qs))
			for i := range qs {
				ans[i] = pw
			}
			return ans, nil
		}))
	}
	if cfg.Password != "" {
		am = append(am, ssh.Password(cfg.Password))
	}
	return am, closer
}

func loadKey(ctx context.Context, cfg engine.Config, file string) (ssh.Signer, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	s, err := ssh.ParsePrivateKey(b)
	var pm *ssh.PassphraseMissingError
	if errors.As(err, &pm) && cfg.Passphrase != nil {
		pp, perr := cfg.Passphrase(ctx, file)
		if perr != nil {
			return nil, perr
		}
		s, err = ssh.ParsePrivateKeyWithPassphrase(b, []byte(pp))
	}
	if err != nil {
		return nil, fmt.Errorf("key %s: %w", filepath.Base(file), err)
	}
	return s, nil
}

// maxPacket is the data per read/write request: SFTP's guaranteed 32 KiB.
// Larger requests break servers: a 256 KiB write killed pkg/sftp's server
// connection, and with 64 KiB reads that server answers 32 KiB while
// pkg/sftp's concurrent File.WriteTo skips the rest (half a file arrived;
// Retrieve's ErrShort check caught it). Throughput comes from the requests
// in flight instead.
const maxPacket = 32 << 10
