# Safehub: `make demo` to try it, `make test` to check it. `make help` lists everything.
SHELL := /bin/bash
VENV := .venv
TOOLS := .tools
UV := $(TOOLS)/bin/uv
PY := $(VENV)/bin/python
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.DEFAULT_GOAL := help
.PHONY: help setup demo serve migrate test test-fast lint format typecheck bench browser-deps pg15-check clean

help: ## List the commands
	@grep -E '^[a-zA-Z0-9_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-12s %s\n", $$1, $$2}'

$(UV):
	python3 -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==0.13.8

$(VENV)/.synced: $(UV) uv.lock pyproject.toml
	$(UV) sync --frozen --all-extras --quiet --compile-bytecode
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

src/safehub/http/static/govuk/govuk-frontend.min.css: node_modules/.installed scripts/install-assets.sh
	scripts/install-assets.sh

setup: $(VENV)/.synced src/safehub/http/static/govuk/govuk-frontend.min.css ## Install Python and front-end dependencies from the lock files (idempotent)

demo: setup ## Embedded database, a synthetic area, the staff web UI on :8000 and the public app on :8001
	$(VENV)/bin/safehub demo

serve: setup ## Serve the staff web UI on the existing database
	$(VENV)/bin/safehub serve

migrate: setup ## Create or upgrade the database schema
	$(VENV)/bin/safehub migrate

browser-deps: ## Install Debian's Chromium (browser tests) and Pango (PDF exports) if missing
	scripts/install-chromium.sh
	scripts/install-pdf-deps.sh

test: setup browser-deps lint pg15-check ## Install what the tests need and run the whole suite
	$(VENV)/bin/pytest -n 2 --dist loadfile -q

test-fast: setup ## The suite without browser tests
	$(VENV)/bin/pytest -n 2 --dist loadfile -q -m "not browser and not spark"

pg15-check: setup ## Run the migrations on Debian's PostgreSQL 15 too ("any PostgreSQL 15+")
	scripts/check-postgres15.sh

lint: setup ## ruff, mypy and bandit (no high-severity finding; SQL built from strings: tests/guards/test_sql_strings.py)
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench
	$(VENV)/bin/mypy
	$(VENV)/bin/bandit --quiet --recursive src --severity-level high

format: setup ## Format the code
	$(VENV)/bin/ruff format src tests bench
	$(VENV)/bin/ruff check --fix src tests bench

typecheck: setup ## mypy strict on src/
	$(VENV)/bin/mypy

bench: setup ## Run every benchmark and rewrite bench/results.md
	$(PY) bench/run_all.py

clean: ## Remove installed dependencies and demo data
	rm -rf $(VENV) $(TOOLS) node_modules .safehub-data src/safehub/http/static/govuk src/safehub/http/static/vendor src/safehub/web/static/govuk src/safehub/web/static/vendor
