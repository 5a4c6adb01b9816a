# Two commands on a fresh machine with python3 and make:
#   make run    set up and run the main job
#   make test   check what the browser tests need from the machine (installing Chromium and a
#               CJK font when root with apt-get, else stopping with the command to run), then set
#               up and run every check and test, pytest with branch coverage and its floor
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: browser-deps setup run test unit lint typecheck contracts pytest schema docs openapi messages screenshots benchmark clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

run: setup
	$(BIN)/yijianshi serve

# In this order, and the first step before anything else: a missing browser stops the run at once.
test: browser-deps setup lint typecheck contracts pytest

browser-deps:
	@bash scripts/browser_deps.sh

lint: setup
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/ruff check src tests benchmarks

typecheck: setup
	$(BIN)/mypy

contracts: setup
	$(BIN)/lint-imports

# The domain and the use cases on fakes: seconds, no database, no browser.
unit: setup
	$(BIN)/pytest -q tests/unit

# Branch coverage of src/yijianshi; fails under [tool.coverage.report] fail_under (pyproject.toml).
pytest: setup
	$(BIN)/pytest -q --cov --cov-report=term

schema: setup
	$(BIN)/python -m yijianshi.adapters.catalog_files.json_schema

docs: setup
	$(BIN)/python -m yijianshi.settings_docs

openapi: setup
	$(BIN)/python -m yijianshi.entrypoints.api.openapi_document

messages: setup
	$(BIN)/python -m yijianshi.entrypoints.web.messages

screenshots: setup
	$(BIN)/python -m tests.browser.screenshots docs/screenshots

benchmark: setup
	$(BIN)/python benchmarks/planner.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
