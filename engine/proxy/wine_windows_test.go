package proxy

// Go file deletion under Wine: see internal/winetest.
import _ "github.com/skiff-ftp/skiff/internal/winetest"
