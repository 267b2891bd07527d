// Package ftp implements engine.Session for FTP and FTPS.
//
// Implemented: RFC 959 (the protocol; stream mode, TYPE I and A), RFC 2228
// and RFC 4217 (AUTH TLS, PBSZ 0, PROT P; implicit FTPS on port 990 as
// practised), RFC 2389 (FEAT, OPTS), RFC 2428 (EPSV, EPRT), RFC 3659 (MLST,
// MLSD, SIZE, MDTM, REST STREAM), RFC 7151 (HOST), the MFMT draft and
// draft-bryan-ftpext-hash (HASH) with the older XSHA256/XSHA1/XMD5/XCRC
// and GridFTP's CKSM.
//
// Not done: block and compressed modes, TYPE E/L, the Telnet IP/Synch
// sequence before ABOR, TLS client certificates, CCC.
//
// Use: Dial(ctx, cfg) connects and logs in and returns a *Conn, which
// implements engine.Session (plus ListFunc, which streams a listing, and
// SetASCII); Dialer is the engine.Dialer the pool takes; NewConn logs in
// over a connection the caller dialled.
//
// Behaviour worth knowing:
//   - Names are UTF-8 inside Skiff. Config.Charset (charset.go) says how
//     the server writes them: Auto ("") sends OPTS UTF8 ON when FEAT lists
//     UTF8 and otherwise passes names as the bytes come; "UTF-8" sends OPTS
//     UTF8 ON whatever FEAT says; a legacy charset (ISO-8859-x,
//     windows-1252, Shift_JIS, GBK, Big5, EUC-KR, KOI8-R, ... — see
//     Charsets; IANA names first, so ISO-8859-1 is Latin-1) never sends it,
//     and then every command line is encoded and every reply and listing
//     line decoded, at the one place each passes (sendLines, reply, the
//     listing reader). A name the charset cannot write is
//     engine.ErrBadArgument naming the character, refused before anything
//     is sent (a PASS is named by its verb only).
//   - SetASCII(true) (engine.ASCIISetter; the queue sets it per file from
//     engine.TypeRule) sends TYPE A and converts line ends (ascii.go): a
//     download's CRLF becomes the local line end (LF; Windows keeps CRLF),
//     an upload's bare LF goes as CRLF. An ASCII transfer is checked by no
//     size (line ends change it) and never resumed: an offset is
//     engine.ErrNoRestart, which callers answer by starting over, and the
//     site does not learn NoRestart from it.
//   - The trace's levels (engine.TraceLevel): commands, the first line
//     of each reply, status lines and errors are TraceNormal; the rest of a
//     multi-line reply TraceVerbose; a listing's raw lines (decoded) are
//     TraceDebug and made only when Config.TraceLevel asks for them.
//   - Every data connection of an FTPS session resumes the control
//     connection's TLS session (one tls.ClientSessionCache per Conn, the
//     ServerName always set, also for IP hosts, whose certificate is then
//     checked against the IP). The handshake happens after the transfer
//     command, concurrently with reading its 1xx reply, which suits both
//     servers that wait for the command (pure-ftpd) and those that answer
//     first (vsftpd). The trace says whether each data connection resumed.
//   - Passive data connections always go to the control connection's peer
//     address: a PASV reply naming another host is logged and ignored.
//   - With Config.Proxy (engine/proxy: SOCKS5 or HTTP CONNECT) the control
//     connection and every data connection go through the proxy (one dial
//     function, dial in data.go); data goes to Config.Host at the
//     EPSV/PASV port, since the peer address is then the proxy's. Active
//     mode cannot work through a proxy: Mode active is taken as passive,
//     and the trace says so. TLS checks Config.Host, never the proxy.
//   - EPSV, PASV and active are tried in that order (Config.Mode permitting)
//     and a method that fails is not tried again on the same Conn.
//   - Once EPSV has given a data connection on a Conn, the transfer command
//     of a transfer that starts at offset 0 goes out in the same write as
//     its EPSV: a round trip less per file, most of a small file's cost. A
//     reply other than 229 (some servers answer the whole write with one
//     502), or no reply to the command until the timeout, turns this off
//     for the site (engine.SiteMemory, shared by the pool's sessions); the
//     transfer is then set up again one command at a time on the same Conn
//     once the command sent along has had its reply or none came within
//     2 s. Servers lftp knows to mishandle such commands (Microsoft FTP
//     Service, MadGoat, MikroTik, by greeting) get one at a time from the
//     start. REST, and everything else, waits for its reply before the
//     next command.
//   - A download's data connection is closed (TLS close_notify) before the
//     final reply is read: vsftpd sends its 226 only then. An upload ends
//     with close_notify and a TCP half-close, and its connection is closed
//     after the 226: an early close resets it and vsftpd answers 426.
//   - Sizes are verified (TYPE I): a download or upload shorter than the
//     server's size is engine.ErrShort, never success. A whole download is
//     checked against the size the 150 reply states ("(N bytes)", vsftpd and
//     ProFTPD), which saves a SIZE round trip per file; a resume, or a server
//     that states no size (pure-ftpd), is checked with SIZE. An upload is
//     checked with SIZE afterwards. Uploads resume with REST+STOR when FEAT
//     has REST STREAM, else APPE. A REST (or APPE) refused with 500, 502 or
//     504 is engine.ErrNoRestart and is remembered for the site
//     (engine.SiteMemory): later resumes fail at once with ErrNoRestart,
//     without asking, and the caller starts the file over.
//   - An empty listing of a path that is not a directory (vsftpd answers
//     LIST of a missing path with an empty 226) is engine.ErrNotFound.
//     A listing made only of error messages (servers that run /bin/ls send
//     "ls: cannot access 'x': No such file or directory" as data, then 226)
//     is engine.ErrNotFound or engine.ErrPermission with the server's
//     words; such lines among entries are counted in the trace, never
//     listed (listing.ParseComplaint).
//   - Memory is bounded whatever a server sends (limits.go): a control reply
//     may be at most 1 MiB, a listing line 1 MiB, and List collects at most
//     2,000,000 entries (ListFunc streams any number); a budget that runs
//     out is an error that names it. Config.Timeout is an inactivity
//     timeout: every read that brings bytes moves the deadline, and a
//     reply must be complete within three timeouts. Every listing, List's
//     and ListFunc's, is read by one streaming reader with these budgets.
//   - "TLS if available" never sends USER or PASS in clear text unless
//     Config.ConfirmPlain said yes after AUTH TLS was refused.
//   - A path with a space is listed from inside it (CWD, bare LIST, CWD
//     back) when the server has no MLSD: servers that hand LIST's argument
//     to /bin/ls split it into two names.
//   - Unix servers are listed with LIST -a, so dot files are not missing;
//     a server that refuses -a is listed without it, and
//     Features.HiddenListed says so.
//   - On a server without MLSD, List (not ListFunc) lists a folder by
//     "STAT -a path" over the control connection once a STAT listing has
//     matched a LIST one on the Conn (statlist.go): one round trip, no data
//     connection, no TLS handshake. A STAT that differs, is refused, or is
//     broken by a name with CR LF (a NOOP sent along checks the reply's
//     end) turns it off for the site (engine.NoStatList) and that folder
//     is listed by LIST; the Conn stays in step. Such a reply is read with
//     a listing's budgets (lines, entries, inactivity), not a reply's.
//   - The 1xx to RETR, STOR or APPE is reported through
//     engine.TransferTrace.Accepted: an upload that failed before it has
//     not touched the remote file. A 2xx without a 1xx moved no data and is
//     never a finished upload of a non-empty file.
//   - Certificates are verified against the system roots or Config.CAFile,
//     or accepted by SHA-256 fingerprint (Config.TrustedFingerprints); any
//     other certificate ends the connection with *engine.CertError.
//
// Errors follow the engine contract: operations return *engine.Error{Op,
// Path, Err}; a server rejection keeps the reply as *textproto.Error in the
// chain, joined with the sentinel engine.Classify picks. A line containing CR
// or LF is refused with engine.ErrBadArgument before anything is sent.
// Cancelling a context makes the call return promptly: a cancelled transfer
// is aborted with ABOR and the Conn stays usable when the server agrees,
// any other interrupted exchange closes the Conn (Alive reports false).
//
// Concurrency: a *Conn serves one operation at a time; calls from several
// goroutines are serialised, not interleaved. The keep-alive NOOP runs only
// while the Conn is idle. Close may be called from any goroutine and
// interrupts an operation in progress. Dialer is safe for concurrent use.
package ftp
