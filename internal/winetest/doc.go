// Package winetest makes Go's file deletion work under Wine 8.0 for the
// tests scripts/wine-test.sh runs as Windows programs. Test packages import
// it for its side effect from a _windows_test.go file:
//
//	import _ "github.com/skiff-ftp/skiff/internal/winetest"
//
// Go 1.26 deletes files (os.RemoveAll, os.Root.Remove, and so t.TempDir's
// cleanup) with NtSetInformationFile(FileDispositionInformationEx), falling
// back to the older FileDispositionInfo when Windows answers that it does not
// know that class. Wine 8.0 answers STATUS_NOT_IMPLEMENTED instead, which Go
// reports as "Invalid function" without falling back. Under Wine (ntdll
// exports wine_get_version) this package turns on Go's own fallback path,
// the one it takes on Windows before 10 1607 and on FAT; on real Windows it
// does nothing. Linking it needs -ldflags=-checklinkname=0 (wine-test.sh
// passes it), since the switch is internal to the standard library.
package winetest
