// Package proctest runs the real servers and proxies of Skiff's tests
// (internal/ftptest, internal/sshtest, internal/proxytest) as child
// processes on 127.0.0.1: one way to start them and wait until they accept,
// one way to stop them and every session they forked, and one port plan.
//
// Port plan: each kind of server claims ports in its own band below 32768
// (outside Linux's ephemeral range, so no client socket can be sitting on
// them), so a log line's port says which server it was. Bands are listed in
// Bands; TestBandsDoNotOverlap keeps them apart. Ports are claimed across
// processes (go test runs packages in parallel) with an flock on
// /tmp/skiff-test-ports/<port>.lock, held until the test's cleanup; the
// kernel drops it if the process dies.
package proctest
