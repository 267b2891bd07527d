// Package sftp is the engine.Session for the SSH File Transfer Protocol
// (version 3, draft-ietf-secsh-filexfer-02), over github.com/pkg/sftp and
// golang.org/x/crypto/ssh (RFC 4251–4254).
//
// Contracts: every call takes a context; cancelling it closes the SSH
// connection (the session is then not Alive), since SFTP requests in flight
// cannot be taken back. Errors are *engine.Error with the server's status
// (*sftp.StatusError, whose message the server wrote) kept in the chain and
// mapped to engine sentinels: SSH_FX_NO_SUCH_FILE is ErrNotFound,
// SSH_FX_PERMISSION_DENIED is ErrPermission, SSH_FX_OP_UNSUPPORTED is
// ErrUnsupported; a lost connection is ErrClosed (temporary). A *Session is
// not safe for concurrent use.
//
// Where to connect: Config.Host may be a Host alias of ~/.ssh/config
// (github.com/kevinburke/ssh_config), which supplies HostName, Port, User,
// IdentityFile and IdentitiesOnly, and ProxyJump: the session then runs
// through an SSH connection to each jump host in turn (direct-tcpip), each
// with its own host key check and key authentication; the target's password
// is never sent to a jump host, and a jump host's own ProxyJump is not
// followed. What the Config says explicitly (port, user) wins over the file.
//
// Authentication, in OpenSSH's order, each method only if the server allows
// it: public keys (Config.IdentityFiles, the file's IdentityFile or
// OpenSSH's default key names, then ssh-agent at SSH_AUTH_SOCK — a Unix
// socket, or on Windows a named pipe, by default OpenSSH's agent service
// at \\.\pipe\openssh-ssh-agent — unless Config.NoAgent; only the
// agent's copies of configured keys with IdentitiesOnly), then
// keyboard-interactive through Config.KeyboardInteractive, which sees the
// server's prompts as sent, then the password; without a password the
// password is asked of Config.KeyboardInteractive only when the server
// wants one. Without a prompter, PAM's password prompt is answered with the
// password and any other prompt (a one-time code) fails the login.
//
// Host keys are checked against ~/.ssh/known_hosts and Config.KnownHostsFile;
// HostKeyAlgorithms is set from the recorded keys, so a host with several
// key types offers the one on record. An unknown key goes to
// Config.ConfirmHostKey and, when accepted, is written to KnownHostsFile
// only; an unknown key whose fingerprint is in Config.TrustedFingerprints is
// accepted for that config without being written (the window's "Trust
// once"). A changed key is refused (HostKeyError, with the key type),
// naming both fingerprints, whatever the config says.
//
// The user answering Config.KeyboardInteractive is not the server being
// slow: the handshake's inactivity deadline waits while a question is open.
//
// The message log (Config.Trace) shows the handshake — host key and its
// SHA256 fingerprint, key exchange, ciphers, the methods the server accepts
// and each one tried — and every SFTP request, except that a file's READs
// and WRITEs show as the first one (with its offset) and a count at CLOSE.
// Requests and their statuses are engine.TraceDebug lines (a log at normal
// or verbose leaves them out); a failed status is TraceNormal.
//
// Throughput: requests of 32 KiB, or, where the server states larger
// limits (OpenSSH's limits@openssh.com, 255 KiB), of that size. A download
// keeps 64 of 32 KiB or 4 MiB's worth in flight. An upload keeps as many
// as cover the round trip to the server and about one more, up to the
// same number (pacer.go): more only wait in a busy server's buffers, and
// OpenSSH's sshd spends a third more CPU per GiB when they do. AES-GCM is
// first in the cipher list where the CPU has AES instructions,
// ChaCha20-Poly1305 first elsewhere. The socket is read through a 256 KiB
// buffer. Downloads bypass pkg/sftp: they go over a second sftp channel
// of the connection, opened by the first Retrieve and kept for the
// session, whose replies are read into a fixed set of buffers (or straight
// to the writer when in order), so a download allocates nothing per
// request; a server that refuses a second channel (MaxSessions 1)
// downloads through pkg/sftp. Uploads send each request with pkg/sftp's
// File.WriteAt.
//
// Site settings that are FTP's alone, which the site form hides for SFTP:
// encryption (TLS), account (ACCT), virtual host (HOST), transfer mode
// (passive/active) and the server time offset (SFTP times are UTC).
//
// What SSH cannot express: Checksum and Quote (no HASH or raw commands over
// SFTP v3) return ErrUnsupported; there is no welcome banner, TLS or
// transfer mode. There is no ASCII mode either: files go as their bytes,
// and a Session has no SetASCII (engine.ASCIISetter), so a transfer type
// of ASCII or auto (queue.Options.TransferType) changes nothing and sends
// nothing. Config.Charset is FTP's: SFTP names go as their bytes.
package sftp
