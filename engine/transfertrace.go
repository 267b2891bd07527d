package engine

import "context"

// TransferTrace receives the moments of a transfer that only the session
// can see, as net/http/httptrace's ClientTrace does for a request. Callers
// attach one to the context of Retrieve or Store; every field may be nil.
// The hooks are called on the calling goroutine, before the call returns.
type TransferTrace struct {
	// Accepted is called when the server has accepted the transfer (the
	// FTP 1xx to RETR/STOR/APPE, the SFTP open of the file) and before the
	// first byte moves. An upload that failed before Accepted was called
	// has not touched the remote file: whatever is there is not ours, and a
	// retry must not continue it.
	Accepted func()
}

type transferTraceKey struct{}

// WithTransferTrace returns a context that carries t to the session.
func WithTransferTrace(ctx context.Context, t *TransferTrace) context.Context {
	return context.WithValue(ctx, transferTraceKey{}, t)
}

// ContextTransferTrace returns the TransferTrace attached to ctx, or nil.
func ContextTransferTrace(ctx context.Context) *TransferTrace {
	t, _ := ctx.Value(transferTraceKey{}).(*TransferTrace)
	return t
}

// TransferAccepted calls t.Accepted when both are set (t may be nil):
// sessions call ContextTransferTrace(ctx).TransferAccepted().
func (t *TransferTrace) TransferAccepted() {
	if t != nil && t.Accepted != nil {
		t.Accepted()
	}
}
