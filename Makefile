# Skiff — `make run` to open the window, `make test` to run every check.
GO ?= go
BIN ?= ./skiff
# no_emoji leaves Fyne's colour emoji font out: every text face otherwise
# parses it, 15 MiB of the window's memory (bench/out/gui.md); emoji in
# file names are drawn with the system's fonts, as FileZilla draws them.
TAGS ?= no_emoji

.PHONY: run demo build test bench deps clean package package-linux package-windows install uninstall wine-test

run: build
	$(BIN)

demo: build
	$(BIN) --demo

build: deps
	$(GO) build -tags '$(TAGS)' -o $(BIN) .

deps:
	@bash scripts/deps.sh build

test:
	bash scripts/test.sh

bench: build
	bash scripts/deps.sh bench
	bash bench/run.sh

clean:
	rm -rf $(BIN) test-output bench/out dist

# Release packages into dist/ (docs/packaging.md): the Linux tar.xz and the
# cgo-built skiff.exe with icon and version resource.
VERSION := $(shell sed -n 's/^Version *= *"\(.*\)"/\1/p' FyneApp.toml)
TARBALL := dist/skiff-$(VERSION)-linux-amd64.tar.xz

package: package-linux package-windows

package-linux:
	bash scripts/package.sh linux

package-windows:
	bash scripts/package.sh windows

# Install for this user into ~/.local (PREFIX=... for elsewhere) through the
# tarball's own Makefile, so the two installs cannot drift apart.
PREFIX ?= $(HOME)/.local
install: package-linux
	rm -rf dist/install && mkdir -p dist/install
	tar -C dist/install -xf $(TARBALL)
	$(MAKE) -C dist/install install PREFIX=$(PREFIX)

uninstall:
	$(MAKE) -f packaging/linux/Makefile uninstall PREFIX=$(PREFIX)

# The Windows test run under Wine (also a step of `make test`).
wine-test:
	bash scripts/wine-test.sh
