# Lianxin (连心惠民) — the two commands: `make run` and `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PY_BOOT ?= python3
UV_VERSION := 0.13.8
UV_HOME := .cache/uv-venv
UV := $(UV_HOME)/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
INFRA := deploy/local/infra.sh
SERVICES := deploy/local/services.sh
# `make run BROKERS=3` (also infra-up, test ...): Kafka as a 3-node KRaft cluster on loopback,
# topics replicated 3 times, min.insync.replicas=2 (deploy/local/kafka.sh); one broker by default.
ifdef BROKERS
export LIANXIN_KAFKA_BROKERS := $(BROKERS)
endif
# The infrastructure's addresses, as the local scripts print them (overridable from the env).
WITH_INFRA = set -a; eval "$$($(INFRA) env)"; set +a;
# The services' ports, read by deploy/local/services.sh (defaults 8100–8104) for run, stop and
# status: `make run LIANXIN_RELIEF_PORT=9101`, or set in the environment.
export LIANXIN_PROJECTION_PORT LIANXIN_RELIEF_PORT LIANXIN_FUNDS_PORT LIANXIN_SUPERVISION_PORT \
	LIANXIN_PARTY_PORT
# Projection workers in one consumer group (the projection and WORKERS-1 more processes):
# `make run WORKERS=2`.
LIANXIN_PROJECTION_WORKERS ?= $(WORKERS)
export LIANXIN_PROJECTION_WORKERS
# Tests run on a Kafka and PostgreSQL of their own (state and ports apart from `make run`'s), so
# that test events never reach the running system's topics. Where KAFKA_BOOTSTRAP_SERVERS and
# DATABASE_URL are set, the tests use those instead.
TEST_STATE ?= $(CURDIR)/.local/test
TEST_KAFKA_PORT ?= 29092
TEST_KAFKA_CONTROLLER_PORT ?= 29093
TEST_PG_PORT ?= 25432
TEST_INFRA := LIANXIN_STATE_DIR=$(TEST_STATE) LIANXIN_KAFKA_PORT=$(TEST_KAFKA_PORT) \
	LIANXIN_KAFKA_CONTROLLER_PORT=$(TEST_KAFKA_CONTROLLER_PORT) LIANXIN_PG_PORT=$(TEST_PG_PORT) \
	LIANXIN_PG_FAST=1
WITH_TEST_INFRA = if [ -z "$${KAFKA_BOOTSTRAP_SERVERS:-}" ] || [ -z "$${DATABASE_URL:-}" ]; then \
	$(TEST_INFRA) $(INFRA) up >/dev/null; set -a; eval "$$($(TEST_INFRA) $(INFRA) env)"; set +a; fi;

.PHONY: help venv infra-up infra-down infra-status infra-clean lint contracts test test-unit \
        assets browser run stop status bench replay clean fuzz chaos verify

help:
	@echo "make run    — infrastructure, all services, demo data; prints the dashboard URL"
	@echo "make test   — venv, infrastructure, lint (ruff, mypy, contracts) and all tests"
	@echo "make bench  — benchmarks; writes bench/results/<date>.json"
	@echo "make fuzz   — schemathesis against every service (FUZZ_SECONDS per run); 0 server errors"
	@echo "make chaos  — kill -9 under load on a system of its own (ROUNDS kills); 0 lost, 0 doubled"
	@echo "make verify — check every event store's hash chains and checkpoints against Kafka and the views"
	@echo "make stop   — stop services and infrastructure;  make status — what runs"

$(UV):
	@command -v $(PY_BOOT) >/dev/null || { echo "Python 3.11 is required ($(PY_BOOT) not found)"; exit 1; }
	@$(PY_BOOT) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || { \
	  echo "Python 3.11 is required; $(PY_BOOT) is $$($(PY_BOOT) --version 2>&1) (set PY_BOOT=python3.11)"; exit 1; }
	@$(PY_BOOT) -c 'import venv, ensurepip' 2>/dev/null || { \
	  echo "Python's venv module is missing: apt-get install python3.11-venv"; exit 1; }
	$(PY_BOOT) -m venv $(UV_HOME)
	$(UV_HOME)/bin/pip install -q uv==$(UV_VERSION)

$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --python $(PY_BOOT) -q
	touch $@

venv: $(VENV)/.synced

infra-up:
	$(INFRA) up

infra-down:
	$(INFRA) down

infra-status:
	$(INFRA) status

infra-clean:
	$(INFRA) clean

# The dashboard's static files (ECharts from npm, see services/projection/build_static.sh).
assets:
	@if [ -x services/projection/build_static.sh ]; then services/projection/build_static.sh; fi

# Headless Chromium and a CJK font for the browser tests (Debian packages).
browser:
	@if [ -x deploy/local/browser.sh ]; then deploy/local/browser.sh; fi

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy shared demo $(wildcard services)
	$(PY) contracts/generate.py --check

contracts: venv
	$(PY) contracts/generate.py

test-unit: venv
	$(PY) -m pytest -q -m "not integration and not browser"

test: venv assets browser lint
	$(WITH_TEST_INFRA) LIANXIN_CHECK_CONTRACTS=1 $(PY) -m pytest -q

run: venv infra-up assets
	$(WITH_INFRA) $(SERVICES) start

stop:
	-$(SERVICES) stop
	$(INFRA) down
	$(TEST_INFRA) $(INFRA) down

status:
	-$(INFRA) status
	-$(TEST_INFRA) $(INFRA) status
	-$(SERVICES) status

# Verify every store's chains and checkpoints, and reconcile them with Kafka and the views
# (docs in README "核查"); VERIFY_ARGS="--checkpoint" records a checkpoint first.
verify: venv infra-up
	$(WITH_INFRA) $(PY) -m projection.verify $(VERIFY_ARGS)

replay: venv infra-up
	$(WITH_INFRA) DATABASE_URL="$${DATABASE_URL%/*}/projection" $(PY) -m projection.replay

bench: venv infra-up
	$(WITH_INFRA) $(PY) -m bench

# schemathesis against every service (owner's and a read-only role's token; examples, coverage,
# fuzzing, stateful), each on a fresh schema of the test infrastructure; FUZZ_SECONDS per run.
FUZZ_SECONDS ?= 120
fuzz: venv
	$(WITH_TEST_INFRA) $(PY) -m tests.fuzz.driver --max-time $(FUZZ_SECONDS)

# kill -9 of each service, the broker and the postmaster in turn (ROUNDS kills) under a load of
# idempotent commands, on a system of its own (.local/chaos, Kafka 39092, PostgreSQL 35432, free
# service ports), restarted by the runner's supervisors; see deploy/local/chaos/__main__.py.
ROUNDS ?= 7
chaos: venv
	$(PY) deploy/local/chaos --rounds $(ROUNDS)

clean: stop
	$(INFRA) clean
	$(TEST_INFRA) $(INFRA) clean
	rm -rf $(VENV) $(UV_HOME)
