// Package engine is Skiff's protocol-neutral file-transfer API.
//
// It defines what the UI, the command line and the transfer queue talk to: a
// Config naming a server and how to reach it, the Session interface every
// protocol implements (engine/ftp today; SFTP can be added without touching
// callers), the Pool that reuses logged-in sessions per site and owns the
// per-site connection limit, the protocol trace events behind the message
// log, and the error contract.
//
// Error contract: operations return *Error {Op, Path, Err}. When the server
// rejected the command, the chain holds the server's *textproto.Error (so its
// reply code survives) and, where one applies, one of the sentinels below,
// chosen by Classify from the reply code. IsTemporary decides retry.
//
// The package never imports Fyne.
package engine
