package queue

import "github.com/skiff-ftp/skiff/engine"

// SetTransferType sets Options.TransferType for the transfers that start
// from now on.
func (q *Queue) SetTransferType(r engine.TypeRule) {
	r.ASCIIExtensions = append([]string(nil), r.ASCIIExtensions...)
	q.ttype.Store(&r)
}

// setASCII sets the session's type for a transfer of remote and reports
// whether it is ASCII. Pooled sessions keep the last setting, so it is set
// either way; a session without an ASCII mode (SFTP) is binary.
func (q *Queue) setASCII(sess engine.Session, remote string) bool {
	s, ok := sess.(engine.ASCIISetter)
	if !ok {
		return false
	}
	ascii := q.ttype.Load().ASCII(remote)
	s.SetASCII(ascii)
	return ascii
}
