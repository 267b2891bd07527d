package sftp

import "github.com/skiff-ftp/skiff/engine"

// RequestSize is the bytes per READ a session asks for.
func RequestSize(s engine.Session) int { return s.(*Session).size }

// Pattern is n bytes that differ at every offset a misplaced range could
// land on (bulkread_test.go).
func Pattern(n int) []byte { return pattern(n) }
