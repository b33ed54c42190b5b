# Two commands for a newcomer: `make run` starts the app, `make test` runs every check.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
PORT ?= 8501
# Browser tests drive Debian's Chromium (never a browser downloaded by a test tool).
CHROMIUM ?= /usr/bin/chromium
# Ma fiche's PDF embeds DejaVu Sans (every character of names and labels); without the
# font it falls back to a Latin-1 core font.
DEJAVU := /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
# ODK Validate (the Java validator shipped in pyxform's wheel) checks every exported XForm.
JAVA ?= /usr/bin/java
# Store tests also run on a throwaway PostgreSQL cluster (tests/pg_cluster.py), started
# from Debian's binaries: the newest installed initdb, else the package is installed.
INITDB := $(or $(lastword $(sort $(wildcard /usr/lib/postgresql/*/bin/initdb))),/usr/lib/postgresql/15/bin/initdb)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test typecheck lint format lock demo bench clean permissions translations

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Interface texts: gettext catalogues (.po, committed) compiled to .mo by Babel; the .mo
# files are build products (git-ignored) that the wheel ships as package data.
LOCALE := src/opp/locale
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard $(LOCALE)/*/LC_MESSAGES/opp.po))

$(STAMP): $(BIN)/python pyproject.toml requirements.lock
	$(BIN)/python -m pip install --quiet -c requirements.lock -e .
	touch $@

$(LOCALE)/%/LC_MESSAGES/opp.mo: $(LOCALE)/%/LC_MESSAGES/opp.po $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy --statistics -D opp -l $* -i $< -o $@

## Compile the translation catalogues (src/opp/locale/*/LC_MESSAGES/opp.po → .mo)
translations: $(CATALOGUES)

$(DEV_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[dev]"
	touch $@

## Start the app on http://localhost:$(PORT) (creates data/opp.duckdb with demo data if absent)
# asgi.py is Streamlit's ASGI app around app.py, with OPP's security headers and warm-up.
# MALLOC_ARENA_MAX: each Streamlit session runs in a thread and glibc gives threads their
# own memory arenas, which hold on to freed memory (docs/PERFORMANCE.md, peak memory).
run: $(STAMP) $(CATALOGUES)
	$(BIN)/python -m opp init-db
	MALLOC_ARENA_MAX=2 $(BIN)/python -m streamlit run asgi.py --server.port $(PORT)

$(CHROMIUM):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium

$(DEJAVU):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq fonts-dejavu-core

$(JAVA):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq default-jre-headless

$(INITDB):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq postgresql

## Lint (ruff), types (mypy), layers (lint-imports) and the whole test suite (browser tests included)
# Two passes: unit and app tests spread over TEST_WORKERS processes (pytest-xdist), then the
# browser and reliability tests alone, one at a time: they start servers, browsers and
# writer processes of their own and must not compete for the cores (their waits would
# then measure the machine's load, not OPP).
TEST_WORKERS ?= 2
test: $(DEV_STAMP) $(CATALOGUES) $(CHROMIUM) $(DEJAVU) $(JAVA) $(INITDB)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) -m "not browser and not slow"
	$(BIN)/python -m pytest -q -m "browser or slow"

## Type-check src/opp with mypy (strictness: [tool.mypy] in pyproject.toml; zero errors)
typecheck: $(DEV_STAMP)
	$(BIN)/mypy

format: $(DEV_STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## Regenerate the README's permission matrix from src/opp/access/policy.py
permissions: $(STAMP)
	$(BIN)/python -m opp permissions-matrix --write README.md

## Rebuild the demo region (SCALE=10 for ten times bigger)
demo: $(STAMP)
	$(BIN)/python -m opp demo --scale $(or $(SCALE),1)

## Run every benchmark in bench/ (×1, ×10, ×100; results in bench/results/). BENCH_ARGS="--dry-run"
# (concurrent_viewers drives Debian's Chromium through Playwright, a dev dependency;
# backends starts a throwaway PostgreSQL cluster from Debian's binaries)
bench: $(DEV_STAMP) $(CHROMIUM) $(INITDB)
	$(BIN)/python bench/run_all.py $(BENCH_ARGS)

## Pin the versions of the current environment (run after changing dependencies)
lock: $(DEV_STAMP)
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^opp' > requirements.lock

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis .mypy_cache
