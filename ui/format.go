package ui

import (
	"fmt"
	"io/fs"
	"path"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/skiff-ftp/skiff/engine/listing"
)

// humanSize formats bytes the way FileZilla does with binary prefixes: "512 B",
// "4.0 KiB", "1.3 MiB".
func humanSize(n int64) string {
	if n < 1024 {
		return fmt.Sprintf("%d B", n)
	}
	const units = "KMGTPE"
	v := float64(n) / 1024
	u := 0
	for v >= 1024 && u < len(units)-1 {
		v /= 1024
		u++
	}
	return fmt.Sprintf("%.1f %ciB", v, units[u])
}

// humanSpeed formats bytes per second.
func humanSpeed(bps float64) string {
	if bps <= 0 {
		return ""
	}
	return humanSize(int64(bps)) + "/s"
}

// humanDuration formats a time left as "1:05" or "1:02:03".
func humanDuration(d time.Duration) string {
	if d <= 0 {
		return ""
	}
	s := int(d.Round(time.Second).Seconds())
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// fileType is the type column: "Folder", "Link" or the upper-case extension
// followed by "-file" ("PNG-file"), as FileZilla shows it.
func fileType(e *listing.Entry) string {
	switch e.Type {
	case listing.Dir:
		return "Folder"
	case listing.Link:
		return "Link"
	}
	ext := path.Ext(e.Name)
	if len(ext) < 2 {
		return "File"
	}
	return strings.ToUpper(ext[1:]) + "-file"
}

// formatTime shows as much of t as the server told.
func formatTime(t time.Time, p listing.Precision) string {
	if t.IsZero() {
		return ""
	}
	t = t.Local()
	switch p {
	case listing.PrecisionDay:
		return t.Format("2006-01-02")
	case listing.PrecisionSecond:
		return t.Format("2006-01-02 15:04:05")
	}
	return t.Format("2006-01-02 15:04")
}

// modeString renders permission bits as "rwxr-xr-x".
func modeString(m fs.FileMode) string {
	const rwx = "rwxrwxrwx"
	b := []byte("---------")
	for i := range 9 {
		if m&(1<<uint(8-i)) != 0 {
			b[i] = rwx[i]
		}
	}
	return string(b)
}

// parsePerm reads "rwxr-xr-x" (optionally with a leading type letter) into
// permission bits; ok is false for anything else (MLSD perm facts, DOS).
func parsePerm(s string) (fs.FileMode, bool) {
	if len(s) == 10 {
		s = s[1:]
	}
	if len(s) != 9 {
		return 0, false
	}
	var m fs.FileMode
	for i := range 9 {
		switch s[i] {
		case '-':
		case 'r', 'w', 'x', 's', 't':
			m |= 1 << uint(8-i)
		case 'S', 'T':
		default:
			return 0, false
		}
	}
	return m, true
}

func entryIcon(e *listing.Entry) fyne.Resource {
	switch e.Type {
	case listing.Dir:
		return theme.FolderIcon()
	case listing.Link:
		return theme.MailForwardIcon()
	}
	switch strings.ToLower(path.Ext(e.Name)) {
	case ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".bmp":
		return theme.FileImageIcon()
	case ".mp3", ".wav", ".ogg", ".flac":
		return theme.FileAudioIcon()
	case ".mp4", ".mkv", ".avi", ".mov", ".webm":
		return theme.FileVideoIcon()
	case ".txt", ".md", ".html", ".htm", ".css", ".js", ".go", ".json", ".xml", ".csv", ".log", ".conf", ".ini", ".php":
		return theme.FileTextIcon()
	case ".zip", ".gz", ".tgz", ".tar", ".bz2", ".xz", ".7z":
		return theme.StorageIcon()
	}
	return theme.FileIcon()
}

// summary is the pane's status line: "3 files and 2 directories. Total size: 12.0 KiB".
func summary(entries []listing.Entry) string {
	var files, dirs int
	var total int64
	for i := range entries {
		if entries[i].IsDir() {
			dirs++
			continue
		}
		files++
		if entries[i].Size > 0 {
			total += entries[i].Size
		}
	}
	plural := func(n int, s string) string {
		if n == 1 {
			return fmt.Sprintf("%d %s", n, s)
		}
		return fmt.Sprintf("%d %ss", n, s)
	}
	if files == 0 && dirs == 0 {
		return "Empty directory."
	}
	return fmt.Sprintf("%s and %s. Total size: %s", plural(files, "file"), strings.Replace(plural(dirs, "directory"), "directorys", "directories", 1), humanSize(total))
}
