package ftptest

import (
	"context"
	"crypto/tls"
	"testing"

	"github.com/skiff-ftp/skiff/internal/ftpserver"
)

// goUser and goPassword are the Go server's account.
const (
	goUser     = "skiff"
	goPassword = localPassword
)

// GoServer starts the in-process server (internal/ftpserver) on a free
// 127.0.0.1 port serving a fresh Root, with anonymous read-only access to the
// same Root and, per o, explicit or required FTPS (no implicit: it skips). Passive ports are
// picked by the kernel (the library picks randomly inside a fixed range and
// answers 425 on a collision).
func GoServer(t testing.TB, o Options) *Server {
	t.Helper()
	o = o.normalize()
	if o.ImplicitTLS {
		t.Skip("ftptest: the go server has no implicit FTPS (see internal/ftpserver)")
	}
	s, err := newInstance(t, KindGo, o, "")
	if err != nil {
		t.Fatalf("ftptest: go server: %v", err)
	}
	c := ftpserver.Config{
		Root:       s.Root,
		Addr:       "127.0.0.1:0",
		User:       goUser,
		Password:   goPassword,
		Anonymous:  true,
		RequireTLS: o.RequireTLS,
	}
	if o.TLS {
		c.TLS = ftpserver.TLSExplicit
		cert, err := tls.LoadX509KeyPair(s.CAFile, s.Dir+"/key.pem")
		if err != nil {
			t.Fatalf("ftptest: go server: %v", err)
		}
		c.Certificate = &cert
	}
	srv, err := ftpserver.Start(context.Background(), c)
	if err != nil {
		t.Fatalf("ftptest: go server: %v", err)
	}
	t.Cleanup(func() { srv.Close() })
	s.Port = srv.Port
	s.User, s.Password, s.AnonRoot = goUser, goPassword, s.Root
	return s
}
