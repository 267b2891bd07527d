// Package sftp is the engine.Session for the SSH File Transfer Protocol,
// over github.com/pkg/sftp and golang.org/x/crypto/ssh.
//
// Contracts: every call takes a context; cancelling it closes the SSH
// connection (the session is then not Alive), since SFTP requests in flight
// cannot be taken back. Errors are *engine.Error with the server's status
// (*sftp.StatusError, whose message the server wrote) kept in the chain and
// mapped to engine sentinels: SSH_FX_NO_SUCH_FILE is ErrNotFound,
// SSH_FX_PERMISSION_DENIED is ErrPermission, SSH_FX_OP_UNSUPPORTED is
// ErrUnsupported; a lost connection is ErrClosed (temporary).
//
// Host keys are checked against ~/.ssh/known_hosts and Config.KnownHostsFile;
// an unknown key goes to Config.ConfirmHostKey and, when accepted, is written
// to KnownHostsFile only. An unknown key whose fingerprint is in
// Config.TrustedFingerprints is accepted for that config without being
// written (the window's "Trust once"). A changed key is refused, naming
// both fingerprints, whatever the config says.
//
// What SSH cannot express: Checksum and Quote (no HASH or raw commands over
// SFTP v3) return ErrUnsupported; there is no welcome banner, TLS or
// transfer mode.
package sftp
