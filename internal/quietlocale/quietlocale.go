// Package quietlocale keeps Fyne from printing "Fyne error: Error parsing
// user locale C" on every start in the C or POSIX locale (containers, cron,
// CI, `LANG=C skiff ls …`).
//
// Fyne's lang package reads the locale from LC_ALL, LC_MESSAGES and LANG in
// its package initialiser, before main runs, and logs an error for "C" and
// "POSIX", which are not language tags. Importing this package (blank, from
// main) runs an initialiser earlier: Go initialises packages in import-path
// order as far as their imports allow (the Go spec, "Package
// initialization"), and this package imports only os and strings, while
// fyne.io/fyne/v2/lang waits for golang.org/x/text/language, which sorts
// after github.com/skiff-ftp. When the locale is unset, C or POSIX, the
// initialiser sets LC_MESSAGES (or LC_ALL, when that is what is set) to
// "en"; Restore, which main calls first, puts the environment back, so
// programs Skiff starts (the editor, the file manager) see the user's own
// locale.
package quietlocale

import (
	"os"
	"strings"
)

// key is the variable init changed ("" when none), saved and wasSet what it
// held before.
var (
	key    string
	saved  string
	wasSet bool
)

func init() {
	if !plain(messagesLocale(os.Getenv)) {
		return
	}
	key = "LC_MESSAGES"
	if os.Getenv("LC_ALL") != "" {
		key = "LC_ALL" // it wins over LC_MESSAGES
	}
	saved, wasSet = os.LookupEnv(key)
	os.Setenv(key, "en")
}

// Restore puts the environment back as it was before the package
// initialised.
func Restore() {
	if key == "" {
		return
	}
	if wasSet {
		os.Setenv(key, saved)
	} else {
		os.Unsetenv(key)
	}
	key = ""
}

// messagesLocale is the locale POSIX uses for messages: the first of
// LC_ALL, LC_MESSAGES and LANG that is set.
func messagesLocale(getenv func(string) string) string {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := getenv(k); v != "" {
			return v
		}
	}
	return ""
}

// plain reports whether loc names no language: unset, C or POSIX (with or
// without a codeset, as in C.UTF-8).
func plain(loc string) bool {
	base, _, _ := strings.Cut(loc, ".")
	return base == "" || base == "C" || base == "POSIX"
}
