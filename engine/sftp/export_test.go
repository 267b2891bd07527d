package sftp

import "github.com/skiff-ftp/skiff/engine"

// RequestSize is the bytes per READ a session asks for.
func RequestSize(s engine.Session) int { return s.(*Session).size }
