// Package queue is Skiff's transfer queue: the machinery behind the queue pane
// and `skiff get/put`. It imports no Fyne.
//
// # Jobs and items
//
// A caller adds a Job: one file or one folder, downloaded or uploaded. A
// folder becomes an Item with Dir set that is walked when its turn comes;
// walking queues one Item per entry (files, and sub-folders to be walked in
// turn) and then marks the folder Done. A folder job's Exclude globs
// (Excluded: the same matcher as engine/mirror's) leave names out of the
// walk; they are kept on every folder item of the job, so a restored walk leaves
// out the same, and the folder's Reason counts what was left out. Each Item has a State (queued, running, paused, done,
// failed, skipped), bytes done, speed, time left, attempts and, when it
// failed or was skipped, the server's reason and reply code. An upload
// into a remote folder that does not exist creates it and its parents (after
// the server refused the first STOR, so existing folders cost nothing).
//
// # Scheduling
//
// Up to engine.Pool.Limit(site) items run per site on the Pool's transfer
// connections (the Pool owns that limit; SetSiteLimit changes it, default 2,
// 1–10) and at most Options.Parallel in total. A folder walk is one of them:
// it never needs a connection of its own (`get -r --parallel 4` logs in four
// times, like lftp, not five), leaves the browsing connection to the user,
// and goes first, one per site at a time, so the tree is walked while its
// files transfer. Higher Priority first, then queue order (Move changes it; MoveBlock moves a selection side by side in one stored change; Order lists it). Pause/Resume one item or all, Cancel (stop and remove), Retry
// failed items, RemoveFinished. A file that ends starts the next file of its
// site in the same goroutine when the limits allow and no other site waits
// for a slot; otherwise the scheduler goroutine decides.
//
// # Guarantees
//
//   - Never done unless whole. A download is written to "name.part",
//     fsynced (unless Options.NoSync: then its owner syncs, as the command
//     line does once before it exits 0; on Linux the disk is asked to start
//     writing every 8 MiB as it arrives, so that sync waits for the tail
//     only), and renamed to its name only after at least the size known
//     for it arrived and the server ended the transfer cleanly (and the
//     checksum matched, with Options.Verify, when the server offers one). A
//     file that grew since it was listed is accepted whole. An upload is
//     done when the server confirmed the size (engine.Session.Store); a
//     reply without a transfer (2xx without 1xx) never is.
//   - Nothing is written outside the chosen folder. A download job names
//     the folder the user chose (Job.Local) and the server's name for its
//     target (Job.Name); the queue alone checks every such name, the job's
//     and those a folder walk finds, with SafeName: ".", "..", names with
//     "/" or "\", NUL, and empty names are refused (the item is Skipped
//     with the reason); other control characters and, on Windows, reserved
//     names and characters are replaced (the item says so in Reason). All
//     local writes of a download then go through an os.Root opened on the
//     chosen folder, which refuses any path (or symlink) leading outside it.
//   - One job per local target: an item holds its target while it runs, and
//     a second item for the same file waits, then meets the first's file
//     with its overwrite policy; two items never share a ".part".
//   - An upload is continued only after the server accepted it (the 1xx,
//     through engine.TransferTrace): one that failed before, or a crash
//     before, never appends to the file that was there.
//   - Resume never renames the user's file: an existing file is continued
//     in a copy, and replaced only by the whole file.
//   - Folder symlinks in a folder download are walked as folders (the
//     server says what a link is); a link to its own folder or above is
//     reported and not followed.
//   - A name missing from a listing counts as missing at the target only
//     when the session's listing shows hidden files (engine.Features
//     .HiddenListed) or the name does not start with a dot.
//   - Temporary errors (engine.IsTemporary: 421, 425, 426, 450, 451, timeouts,
//     resets, short transfers) are retried Options.Retries times (default 2)
//     with doubling back-off, resuming from the bytes already written (REST).
//     A server that cannot resume (engine.ErrNoRestart: REST or APPE
//     refused, remembered for the site) gets the file from the start, and
//     the item's Reason says so; so does one --verify could not check
//     ("not verified: the server offers no checksum").
//     Once an item has run out of retries on a reply, the site's other items
//     that meet the same reply fail at once, until an item of the site
//     succeeds or the user retries: a server with a full disk answers every
//     upload 451, and 2,000 files would otherwise take 50 minutes to fail.
//     Permanent errors (550, 553, login failed, local file errors, ...) fail
//     the item with the server's reason; the rest of the queue goes on.
//   - A full local disk (ENOSPC, EDQUOT) pauses the download that met it and
//     every queued download into the same folder, with the Reason "local
//     disk full: ...", partial files kept: Resume continues them once there
//     is room.
//   - Server names that would land on one local file ("a\x01" and "a\x02"
//     both become "a_"; "x" and "x.part" share "x.part") get distinct names
//     ("a_ (1)"), reported in Reason.
//   - A ".part" file is continued, not restarted, unless it is longer than
//     the remote file, the job says Restart and the item did not write it
//     (the window always does; the command line unless --resume), or the
//     remote file changed since the item started it (every retry asks its
//     size and time again). A failed download keeps it (Retry continues
//     it); Cancel deletes it.
//   - A permanent failure to connect (login refused, untrusted certificate,
//     TLS required but not offered) fails every queued item of that site at
//     once with the same reason, instead of logging in again per item.
//
// # Persistence
//
// With Options.Path set (DefaultPath for the app), every item is kept in a
// bbolt file as the queue changes: additions are committed before Add
// returns, a folder's expansion (its items and the folder marked done) goes
// into one batch, committed whole or not at all; other changes (state,
// bytes) are committed in batches at most FlushInterval later, each
// fsynced unless Options.NoSync (then a kill is survived, since bbolt's
// writes are in the page cache once a commit returns, but a power cut may
// lose the last commits). Batches are committed on the store's own
// goroutine, so a transfer never waits for a commit; the fsyncs of a
// 2,000-file download add up to about 0.1 s there. Transitions a restart
// undoes anyway (running, the attempt count) are stored with the next
// change that matters. After a crash (even SIGKILL) New restores every
// unfinished item: running ones come back queued and continue their
// ".part" file; an expansion lost to the crash is simply walked again. No
// password is stored: an item keeps its engine.SiteKey
// and the caller's SiteRef, and Options.Config turns them into an
// engine.Config (with the password) whenever the queue needs to connect.
// The file is locked: one process per file.
//
// # Concurrency and events
//
// A *Queue is safe for concurrent use. Subscribe registers a callback that
// receives Added, Changed and Removed events, in order, on a goroutine owned
// by the queue — never the UI goroutine, so a Fyne UI applies them inside
// fyne.Do. The callback may call the Queue's methods. Progress of a running
// item is coalesced to at most one Changed event per ProgressInterval
// (100 ms, so ≤ 10 per second per item).
package queue
