# Cove — build, demo, test and benchmark.
#
#   make demo    install what is missing, build, show `cove config` and `cove graph` on examples/,
#                import a busybox base image into a cove daemon and list it
#   make test    unit tests (swift test), then `cove config` against Docker Compose v2
#   make bench   `cove config` against Docker Compose v2 and v1 on generated projects
#
# Variables: SWIFT (the swift driver), SWIFT_FLAGS (extra flags for swift build and
# swift test, e.g. --scratch-path .build-mine), PYTHON, BENCH_FLAGS (e.g. --sizes 10,100).

SWIFT       ?= swift
SWIFT_FLAGS ?=
PYTHON      ?= python3
BENCH_FLAGS ?=

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
export SWIFT PYTHON

# Where swift build puts the binaries (follows --scratch-path in SWIFT_FLAGS).
RELEASE_BIN = $$($(SWIFT) build -c release $(RELEASE_FLAGS) $(SWIFT_FLAGS) --show-bin-path)
# The Swift runtime and Foundation linked in: no dynamic-linker work at start-up
# (`cove --version` 6 ms instead of 10 ms, measured with perf stat).
RELEASE_FLAGS = --static-swift-stdlib
DEBUG_BIN   = $$($(SWIFT) build $(SWIFT_FLAGS) --show-bin-path)

.PHONY: all deps build demo test bench clean

all: build

## deps: install what is missing (Compose v2 and v1, jsonschema, GNU time); check Swift
deps:
	@bash scripts/deps

## build: the release `cove` binary and its per-container shim (.build/release/cove, cove-shim)
build:
	$(SWIFT) build -c release --product cove $(RELEASE_FLAGS) $(SWIFT_FLAGS)
	$(SWIFT) build -c release --product cove-shim $(RELEASE_FLAGS) $(SWIFT_FLAGS)

## demo: `cove config` and `cove graph` in every examples/*/ project, then a busybox base
## image imported into a cove daemon and, as root, a container run from it (state in .demo/, new
## each run; the daemon stopped at the end)
DEMO_DIR = $(CURDIR)/.demo
demo: deps build
	@cove="$(RELEASE_BIN)/cove"; \
	for dir in examples/*/; do \
	    printf '\n==== %s ====\n\n--- cove config\n' "$${dir%/}"; \
	    (cd "$$dir" && "$$cove" config); \
	    printf '\n--- cove graph\n'; \
	    (cd "$$dir" && "$$cove" graph); \
	done
	@cove="$(RELEASE_BIN)/cove"; \
	export COVE_ROOT="$(DEMO_DIR)/root" COVE_HOST="unix://$(DEMO_DIR)/cove.sock"; \
	rm -rf "$$COVE_ROOT"; mkdir -p "$(DEMO_DIR)"; \
	printf '\n==== a base image from busybox-static ====\n\n'; \
	bash scripts/busybox-rootfs > "$(DEMO_DIR)/busybox-rootfs.tar"; \
	"$$cove" image import --change 'CMD ["sh"]' "$(DEMO_DIR)/busybox-rootfs.tar" busybox:latest; \
	"$$cove" image ls; \
	if [ "$$(id -u)" -eq 0 ]; then \
	    printf '\n==== a container from it ====\n\n'; \
	    "$$cove" container run --rm busybox sh -c 'echo "hello from $$(hostname), pid $$$$ in its own namespaces"'; \
	else \
	    printf '\n(containers need root: run make demo as root to start one)\n'; \
	fi; \
	kill -TERM "$$(cat "$$COVE_ROOT/daemon.pid")"; \
	printf '\n(stopped the demo daemon; its state is in %s)\n' "$(DEMO_DIR)"

## test: swift test, then the loader against Docker Compose v2 (Tests/oracle/compare.py)
test: deps
	$(SWIFT) build $(SWIFT_FLAGS)
	$(SWIFT) test $(SWIFT_FLAGS)
	COVE="$(DEBUG_BIN)/cove" $(PYTHON) Tests/oracle/compare.py

## bench: wall time and peak memory of `cove config` vs Compose v2 and v1, the daemon vs dockerd,
## a container running `true` through cove's runtime vs crun and runc, the shim's PSS, `run --rm`,
## 50 parallel starts and their memory through cove's daemon vs docker and podman, a 1000-cycle soak,
## layer unpack vs tar -x (bench/bench.py and its modules; COVE_BENCH_PARALLEL, COVE_BENCH_SOAK)
bench: deps build
	$(SWIFT) build -c release --product cove-runtime-bench $(RELEASE_FLAGS) $(SWIFT_FLAGS)
	$(SWIFT) build -c release --product cove-layer-helper $(RELEASE_FLAGS) $(SWIFT_FLAGS)
	COVE="$(RELEASE_BIN)/cove" COVE_RUNTIME_BENCH="$(RELEASE_BIN)/cove-runtime-bench" \
	    COVE_LAYER_HELPER="$(RELEASE_BIN)/cove-layer-helper" $(PYTHON) bench/bench.py $(BENCH_FLAGS)

clean:
	rm -rf .build bench/out .demo
