package sftp

// SetDefaultAgentPipe points the no-SSH_AUTH_SOCK default at a test's pipe
// until the returned function restores it.
func SetDefaultAgentPipe(p string) (restore func()) {
	old := defaultAgent
	defaultAgent = p
	return func() { defaultAgent = old }
}
