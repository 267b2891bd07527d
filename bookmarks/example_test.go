package bookmarks_test

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/skiff-ftp/skiff/bookmarks"
)

// A site manager's life: open the store, offer the backup when the file is
// broken, add a folder and a site, keep the password in the keychain (or
// ask each session when there is none), rename without losing it.
func Example() {
	dir, _ := os.MkdirTemp("", "skiff-example")
	defer os.RemoveAll(dir)
	ctx := context.Background()

	s, err := bookmarks.Open(dir) // bookmarks.DirFromEnv(os.Getenv) in the app
	if err != nil {
		panic(err)
	}
	s.Secrets = bookmarks.MockKeychain() // bookmarks.NewKeychain() in the app

	if _, err := s.Load(); err != nil {
		var ce *bookmarks.CorruptError
		if errors.As(err, &ce) && ce.Backup != "" {
			s.RestoreBackup() // after asking the user
		}
	}
	work, _ := s.AddFolder(bookmarks.RootID, "Work")
	site, _ := s.AddSite(work.ID, bookmarks.Site{Name: "Web server", Host: "ftp.example.com", User: "bob"})
	if err := s.Secrets.Set(ctx, site.ID, "secret"); err != nil {
		fmt.Println("no keychain; ask for the password each session:", err)
	}
	s.Rename(site.ID, "Web")

	tree, _ := s.Load()
	for _, id := range tree.Children(work.ID) {
		pw, _ := s.Secrets.Get(ctx, id)
		fmt.Println(tree.Path(id), tree.IsFolder(id), pw != "")
	}
	// Output:
	// Work/Web false true
}
