//go:build linux || freebsd || openbsd || netbsd || dragonfly

package bookmarks

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	dbus "github.com/godbus/dbus/v5"
)

const secretsName = "org.freedesktop.secrets"

// probeOS asks the session bus whether a Secret Service is running (or can
// be started) and whether the collection go-keyring uses ("login", else the
// default alias) is locked. It mirrors go-keyring's choice of collection.
func probeOS() (locked bool, err error) {
	if !sessionBusKnown() {
		// godbus would run dbus-launch and leave a private bus behind,
		// one per call, with no keyring on it anyway.
		return false, &KeychainError{Err: ErrNoKeychain, Cause: errors.New("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)")}
	}
	conn, err := dbus.SessionBus()
	if err != nil {
		return false, &KeychainError{Err: ErrNoKeychain, Cause: err}
	}
	bus := conn.BusObject()
	var has bool
	if err := bus.Call("org.freedesktop.DBus.NameHasOwner", 0, secretsName).Store(&has); err != nil {
		return false, &KeychainError{Err: ErrNoKeychain, Cause: err}
	}
	if !has {
		var names []string
		if err := bus.Call("org.freedesktop.DBus.ListActivatableNames", 0).Store(&names); err != nil || !slices.Contains(names, secretsName) {
			return false, &KeychainError{Err: ErrNoKeychain, Cause: fmt.Errorf("no %s on the session bus", secretsName)}
		}
	}
	for _, path := range []dbus.ObjectPath{"/org/freedesktop/secrets/collection/login", "/org/freedesktop/secrets/aliases/default"} {
		v, err := conn.Object(secretsName, path).GetProperty("org.freedesktop.Secret.Collection.Locked")
		if err != nil {
			continue
		}
		l, _ := v.Value().(bool)
		return l, nil
	}
	return false, nil // no collection yet: go-keyring's Unlock will say
}

// sessionBusKnown reports whether godbus will find a session bus without
// autolaunching one: the address is set, or $XDG_RUNTIME_DIR/bus exists.
func sessionBusKnown() bool {
	if a := os.Getenv("DBUS_SESSION_BUS_ADDRESS"); a != "" {
		return true
	}
	dir := os.Getenv("XDG_RUNTIME_DIR")
	if dir == "" {
		dir = "/run/user/" + strconv.Itoa(os.Getuid())
	}
	_, err := os.Stat(filepath.Join(dir, "bus"))
	return err == nil
}
