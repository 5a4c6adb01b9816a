# Two commands on a fresh machine with python3 and make:
#   make run    set up and run the main job
#   make test   set up and run every check and test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup run test lint typecheck contracts pytest schema docs openapi messages screenshots benchmark clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

run: setup
	$(BIN)/yijianshi serve

test: setup lint typecheck contracts pytest

lint: setup
	$(BIN)/ruff check src tests benchmarks

typecheck: setup
	$(BIN)/mypy

contracts: setup
	$(BIN)/lint-imports

pytest: setup
	$(BIN)/pytest -q

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
