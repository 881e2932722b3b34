# The two commands: `make run` serves, `make test` runs the whole suite. Both install what
# is missing first. `make bench` measures; see README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := run
DEV_DB_DIR := $(CURDIR)/.data/postgres

.PHONY: run test test-sanitize fuzz bench build deps dev-db stop-dev-db clean

deps:
	@scripts/install-deps.sh build

build: deps
	swift build -c release --product authserver

## make run: install what is missing, write .env with fresh secrets on first run, start the
## development database under .data/ unless DATABASE_URL is set, build and serve. Variables in
## the environment win over .env (`PORT=9123 make run` serves on 9123).
run: build
	@scripts/dev-env.sh
	@scripts/run.sh

stop-dev-db:
	@scripts/postgres.sh stop $(DEV_DB_DIR)

## make test: the whole suite against a throwaway PostgreSQL that it starts and stops.
test:
	@scripts/install-deps.sh test
	@scripts/test.sh

## make test-sanitize: the Swift tests under ThreadSanitizer, then under AddressSanitizer.
test-sanitize:
	@scripts/install-deps.sh test
	@scripts/test-sanitize.sh

## make fuzz: every libFuzzer target for FUZZ_SECONDS (default 900) from its seed corpus.
fuzz:
	@scripts/install-deps.sh build
	@scripts/fuzz.sh

## make bench: wrk against the server and nginx on loopback, pgbench, bcrypt against crypt(3).
bench:
	@scripts/install-deps.sh bench
	@scripts/bench.sh

clean:
	rm -rf .build .build-fuzz .build-tsan .build-asan
