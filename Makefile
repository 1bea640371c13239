# Two commands on a fresh machine: `make demo` and `make test`. Each creates .venv if missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench clean realworld

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The bundled example: a markdown spec (target) against the tables an init_schema() creates
# (current), run from the example's folder so its pyproject.toml (rename hints) applies.
demo: $(STAMP)
	cd examples/creative-pipeline && $(CURDIR)/$(BIN)/schemaudit audit \
		--target 'spec:docs/TECH_SPEC.md#5' --current 'python:scripts/backend.py:init_schema' \
		--format md --fail-on never

test: $(STAMP)
	$(BIN)/python -m pytest -q

# Checks 4 and 5 of ../shared/corpus/realworld/README.md on the real servers, judged by the
# catalog (pg_dump -s, SHOW CREATE TABLE, SQLite pragmas; OpenStreetMap needs PostGIS); prints a
# table. About 4 minutes on a busy machine.
realworld: $(STAMP)
	$(BIN)/python -m tests.realworld

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .mypy_cache .ruff_cache
