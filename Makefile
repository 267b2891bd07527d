# Skiff — `make run` to open the window, `make test` to run every check.
GO ?= go
BIN ?= ./skiff

.PHONY: run demo build test bench deps clean

run: build
	$(BIN)

demo: build
	$(BIN) --demo

build: deps
	$(GO) build -o $(BIN) .

deps:
	@bash scripts/deps.sh build

test:
	bash scripts/test.sh

bench: build
	bash scripts/deps.sh bench
	bash bench/run.sh

clean:
	rm -rf $(BIN) test-output bench/out
