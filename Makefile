# 医療機関等向けポータルサイト — the two commands are `make run` and `make test`.
SHELL   := /bin/bash
GO      ?= go
PORT    ?= 8080
BIN     := bin/portal
export PORT

# Debian packages the portal needs on a fresh machine; installed only when missing.
APT_INSTALL = DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends

.PHONY: run test bench build migrate seed deps deps-test vet clean help

help:
	@echo "make run    - install what is missing, migrate, load demo data, serve on 127.0.0.1:$(PORT)"
	@echo "make test   - install what is missing (PostgreSQL, chromium) and run every test"
	@echo "make bench  - run the benchmarks (docs/benchmarks.md)"

## deps: PostgreSQL from Debian's packages, unless DATABASE_URL points elsewhere.
deps:
	@if [ -z "$$DATABASE_URL" ] && ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then \
	  echo "installing PostgreSQL (apt-get)"; \
	  if [ "$$(id -u)" != 0 ]; then echo "PostgreSQL is missing: run as root or apt-get install postgresql" >&2; exit 1; fi; \
	  apt-get update -q && $(APT_INSTALL) postgresql postgresql-contrib; \
	fi

## deps-test: deps plus Debian's chromium for the browser tests.
deps-test: deps
	@if ! command -v chromium >/dev/null 2>&1 && [ -z "$$CHROMIUM" ]; then \
	  echo "installing chromium (apt-get)"; \
	  if [ "$$(id -u)" != 0 ]; then echo "chromium is missing: run as root or apt-get install chromium" >&2; exit 1; fi; \
	  apt-get update -q && $(APT_INSTALL) chromium fonts-noto-cjk; \
	fi

build:
	$(GO) build -o $(BIN) ./cmd/portal

migrate: deps build
	./$(BIN) migrate

seed: migrate
	./$(BIN) seed-demo

run: seed
	./$(BIN) serve

vet:
	$(GO) vet ./...

test: deps-test vet
	$(GO) test -count=1 -timeout 10m ./...

bench: deps build
	$(GO) test -p 1 -run '^$$' -bench . -benchmem -timeout 30m ./...

clean:
	rm -rf bin
