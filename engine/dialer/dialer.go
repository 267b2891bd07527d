// Package dialer picks the engine for a site: engine/ftp or engine/sftp by
// Config.Protocol. The window and the command line dial through it; neither
// engine package imports the other.
package dialer

import (
	"context"
	"fmt"

	"github.com/skiff-ftp/skiff/engine"
	"github.com/skiff-ftp/skiff/engine/ftp"
	"github.com/skiff-ftp/skiff/engine/sftp"
)

// Dialer dials FTP(S) or SFTP. It implements engine.Dialer.
type Dialer struct {
	FTP  ftp.Dialer
	SFTP sftp.Dialer
}

// Dial opens a session with the engine cfg.Protocol names.
func (d Dialer) Dial(ctx context.Context, cfg engine.Config) (engine.Session, error) {
	switch cfg.Protocol {
	case engine.ProtocolFTP:
		return d.FTP.Dial(ctx, cfg)
	case engine.ProtocolSFTP:
		return d.SFTP.Dial(ctx, cfg)
	}
	return nil, fmt.Errorf("unknown protocol %d", cfg.Protocol)
}
