package queue

// keepIdleRoots: on Windows an open folder handle keeps the user from
// deleting or renaming that folder (Explorer says it is in use), so a
// folder's handle is closed as soon as no transfer uses it.
const keepIdleRoots = false
