# bybit-wsapi developer tasks. Everything runs in .venv, created on first use.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: venv demo test bench interop soak soak-streams soak-orders generate check lint typecheck serve clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

venv: $(VENV)/.installed

demo: venv  ## the README's main command: the demo against the local server
	$(VENV)/bin/bybit-wsapi demo

test: venv  ## every test (the README's test command)
	$(PY) -m pytest

$(VENV)/.bench: $(VENV)/.installed
	$(PY) -m pip install -q -e '.[dev,bench]'
	touch $@

bench: $(VENV)/.bench  ## latency, throughput, cost: ours vs raw websockets/httpx-ws, pybit, Node SDK
	$(PY) -m tests.bench $(BENCH_ARGS)
	$(PY) -m tests.server.bench_streams  # stream pushes/s to one consumer; 100 conns x 10 topics

interop: $(VENV)/.bench  ## the Node SDK and pybit against the server's streams (installs them)
	$(PY) -m pytest -q -rs tests/server/test_interop.py

soak: venv  ## >= 100,000 calls over 10 connections with faults on, then 10 minutes of stream memory (not in CI)
	$(PY) -m tests.reliability.soak $(SOAK_ARGS)
	$(PY) -m tests.streams.soak --seconds 600

soak-streams: venv  ## client memory over a fast orderbook stream with a slow consumer (60 s)
	$(PY) -m tests.streams.soak $(SOAK_ARGS)

soak-orders: venv  ## the order ledger at scale: 20,000 orders through faults, tracker == server
	$(PY) -m tests.tracking.ledger_run $(SOAK_ARGS)

generate: venv  ## regenerate generated/ from schema/ws_api.yaml
	$(PY) -m codegen

check: lint typecheck  ## lint, mypy --strict, and generated code in sync with the spec
	$(PY) -m codegen --check

lint: venv
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

typecheck: venv
	$(PY) -m mypy src generated codegen

serve: venv  ## run the local Bybit WS API server
	$(VENV)/bin/bybit-wsapi serve

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache build *.egg-info src/*.egg-info
