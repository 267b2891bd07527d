package cli

import (
	"context"

	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/ftp"
	"github.com/skiff-ftp/skiff/engine/listing"
	"github.com/skiff-ftp/skiff/engine/sftp"
)

// lister is what ls needs of a connection: a streamed listing.
type lister interface {
	ListFunc(ctx context.Context, path string, fn func(listing.Entry) error) error
	Close() error
}

// dialLister connects with the engine cfg.Protocol names.
func dialLister(ctx context.Context, cfg engine.Config) (lister, error) {
	if cfg.Protocol == engine.ProtocolSFTP {
		s, err := sftp.Dialer{}.Dial(ctx, cfg)
		if err != nil {
			return nil, err
		}
		return s.(*sftp.Session), nil
	}
	c, err := ftp.Dial(ctx, cfg)
	if err != nil {
		return nil, err // not a nil *ftp.Conn in a non-nil interface
	}
	return c, nil
}
