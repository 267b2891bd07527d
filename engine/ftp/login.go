package ftp

import (
	"context"
	"net/textproto"
	"strings"

	"github.com/skiff-ftp/skiff/engine"
)

// login runs the sequence FileZilla users expect: greeting, HOST, AUTH TLS,
// USER/PASS/ACCT, SYST, FEAT, OPTS UTF8 ON, PBSZ 0, PROT P, TYPE I.
func (c *Conn) login(ctx context.Context) error {
	sec := c.cfg.Security
	if sec != engine.Plain {
		conf, err := c.newTLSConfig()
		if err != nil {
			return &engine.Error{Op: "connect", Err: err}
		}
		c.tlsConf = conf
		if c.cfg.Insecure {
			c.status("Warning: certificate verification is off (--insecure)")
		}
	}
	if sec == engine.TLSImplicit {
		if err := c.startTLS(ctx); err != nil {
			return &engine.Error{Op: "connect", Err: err}
		}
	}
	if err := c.greeting(ctx); err != nil {
		return &engine.Error{Op: "connect", Err: err}
	}
	if c.cfg.VirtualHost != "" {
		// RFC 7151: before AUTH, so the server can pick the certificate.
		// 500/502 means the server has no virtual hosts: carry on.
		if _, _, err := c.exchange(ctx, "HOST %s", c.cfg.VirtualHost); err != nil {
			return &engine.Error{Op: "HOST", Err: err}
		}
	}
	if sec == engine.TLSExplicit || sec == engine.TLSIfAvailable {
		if err := c.authTLS(ctx); err != nil {
			return &engine.Error{Op: "AUTH TLS", Err: err}
		}
	}
	if err := c.user(ctx); err != nil {
		return &engine.Error{Op: "login", Err: err}
	}
	if _, msg, err := c.cmd(ctx, 2, "SYST"); err == nil {
		c.feat.System = msg
	} else if !c.Alive() {
		return &engine.Error{Op: "SYST", Err: err}
	}
	code, msg, err := c.exchange(ctx, "FEAT")
	if err != nil {
		return &engine.Error{Op: "FEAT", Err: err}
	}
	if code == 211 {
		parseFeat(msg, &c.feat, &c.hashSel)
	}
	if err := c.charset(ctx); err != nil {
		return &engine.Error{Op: "OPTS UTF8", Err: err}
	}
	if c.feat.TLS {
		if err := c.protect(ctx); err != nil {
			return &engine.Error{Op: "PROT", Err: err}
		}
	}
	if err := c.setType(ctx); err != nil {
		return &engine.Error{Op: "TYPE", Err: err}
	}
	// vsftpd and most ls-based servers hide dot files from a plain LIST:
	// .htaccess and .well-known/ would be missing from every folder
	// download. Unix servers get "LIST -a"; one that refuses it gets plain
	// LIST from then on (and HiddenListed says a name may be missing).
	c.listA = !c.feat.MLSD && strings.Contains(strings.ToUpper(c.feat.System), "UNIX")
	c.feat.HiddenListed = c.feat.MLSD || c.listA
	c.publishFeat()
	c.status("Logged in")
	return nil
}

// greeting reads the banner: 220, possibly after 120 "ready in n minutes".
// 421 (too many connections) becomes engine.ErrTooMany.
func (c *Conn) greeting(ctx context.Context) error {
	for {
		code, msg, err := c.reply(ctx)
		if err != nil {
			return err
		}
		if code == 120 {
			continue
		}
		if code != codeServiceReady {
			c.close()
			return rejected(code, msg)
		}
		c.feat.Welcome = msg
		return nil
	}
}

// authTLS upgrades the control connection. A server without AUTH TLS is
// ErrTLSRequired unless the site allows plain FTP ("TLS if available"),
// and then the fallback is logged.
func (c *Conn) authTLS(ctx context.Context) error {
	code, msg, err := c.exchange(ctx, "AUTH TLS")
	if err != nil {
		return err
	}
	if code == codeAuthOK {
		return c.startTLS(ctx)
	}
	if code == codeNotAvailable || c.cfg.Security == engine.TLSExplicit {
		c.close()
		return engine.Join(engine.ErrTLSRequired, engine.WithReply(nil, &textproto.Error{Code: code, Msg: msg}))
	}
	// "TLS if available" met a server without TLS, or an attacker who
	// answered AUTH for it: nothing more is sent, the password least of all,
	// until someone said yes. The reply is kept as it is, not classified:
	// a 550 to AUTH says nothing about files.
	reply := &textproto.Error{Code: code, Msg: msg}
	if c.cfg.ConfirmPlain == nil || !c.cfg.ConfirmPlain(ctx, c.cfg.Host, engine.ReplyText(reply)) {
		c.close()
		c.trace(engine.TraceError, "Server does not support AUTH TLS; not continuing without encryption")
		return engine.Join(engine.ErrTLSRequired, engine.WithReply(nil, reply))
	}
	c.tlsConf = nil
	c.status("Server does not support AUTH TLS (%d); continuing WITHOUT encryption, as confirmed", code)
	return nil
}

// user sends USER, PASS and ACCT as the server asks. Any 5xx is
// engine.ErrLoginFailed: the caller must not retry it.
func (c *Conn) user(ctx context.Context) error {
	user, pass := c.cfg.User, c.cfg.Password
	if user == "" || user == "anonymous" || user == "ftp" {
		if user == "" {
			user = "anonymous"
		}
		if pass == "" {
			pass = engine.AnonymousPassword
		}
	}
	code, msg, err := c.exchange(ctx, "USER %s", user)
	if err != nil {
		return err
	}
	if code == codeNeedPassword {
		if code, msg, err = c.exchange(ctx, "PASS %s", pass); err != nil {
			return err
		}
	}
	if code == codeNeedAccount {
		if c.cfg.Account == "" {
			return engine.WithReply(engine.ErrLoginFailed, &textproto.Error{Code: code, Msg: msg})
		}
		if code, msg, err = c.exchange(ctx, "ACCT %s", c.cfg.Account); err != nil {
			return err
		}
	}
	if code/100 == 2 {
		return nil
	}
	c.close()
	reply := &textproto.Error{Code: code, Msg: msg}
	if code/100 == 5 && code != 530 {
		return engine.WithReply(engine.ErrLoginFailed, reply)
	}
	return engine.Classify("login", reply)
}

// protect asks for encrypted data connections (RFC 4217: PBSZ 0 then PROT
// P). A server refusing them would send files in clear text, which only
// "TLS if available" tolerates.
func (c *Conn) protect(ctx context.Context) error {
	if _, _, err := c.cmd(ctx, 2, "PBSZ 0"); err != nil && !c.Alive() {
		return err
	}
	_, _, err := c.cmd(ctx, 2, "PROT P")
	if err == nil {
		c.protP = true
		return nil
	}
	if !c.Alive() || c.cfg.Security != engine.TLSIfAvailable {
		c.close()
		return engine.Join(engine.ErrTLSRequired, err)
	}
	c.status("Server refused PROT P; data connections are NOT encrypted")
	return nil
}

// setType sends TYPE I (or A) when the last accepted type differs.
func (c *Conn) setType(ctx context.Context) error {
	want := "I"
	if c.ascii {
		want = "A"
	}
	if c.typ == want {
		return nil
	}
	if _, _, err := c.cmd(ctx, 2, "TYPE %s", want); err != nil {
		return err
	}
	c.typ = want
	return nil
}

// charset settles how names are written (Config.Charset): Auto sends OPTS
// UTF8 ON when FEAT lists UTF8 and otherwise passes names as their bytes
// come; UTF-8 sends it whatever FEAT says; a legacy charset never sends it
// (the server would take names as UTF-8) and translates every command,
// reply and listing line from then on, and from the first command.
func (c *Conn) charset(ctx context.Context) error {
	switch {
	case c.names.active():
		c.status("Names are translated to and from %s (the site's charset)", c.names.name)
		return nil
	case c.feat.UTF8 || isUTF8Charset(c.cfg.Charset):
		_, _, err := c.exchange(ctx, "OPTS UTF8 ON")
		return err
	}
	return nil
}
