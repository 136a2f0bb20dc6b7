# The two commands of the README's quick start, `make demo` and `make test`, and `make check`
# for the edit loop. Each creates .venv on first use and installs what it needs, no more:
# the demo needs leadscore and pandas; the tests need the development tools as well.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_STAMP := $(VENV)/.demo-installed
DEV_STAMP := $(VENV)/.dev-installed
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check

.PHONY: demo test check lint layers typecheck unit bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(DEMO_STAMP): pyproject.toml | $(BIN)/python
	$(PIP) -e ".[pandas]"
	touch $@

# pip 25.1 reads dependency groups (--group).
$(DEV_STAMP): pyproject.toml plugins_example/pyproject.toml | $(BIN)/python
	$(PIP) --upgrade "pip>=25.1"
	$(PIP) -e ".[testing,pandas]" --group dev
	$(PIP) --no-deps -e plugins_example
	touch $@ $(DEMO_STAMP)

demo: $(DEMO_STAMP)
	$(BIN)/python examples/demo.py

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The architecture: the import-linter contracts in pyproject.toml (docs/architecture.md).
layers: $(DEV_STAMP)
	$(BIN)/lint-imports

typecheck: $(DEV_STAMP)
	$(BIN)/mypy

# Every test, on every core, with branch coverage (100 % required; see pyproject.toml).
unit: $(DEV_STAMP)
	$(BIN)/pytest -n auto --cov --cov-report=term-missing:skip-covered

test: lint layers typecheck unit

# The edit loop, under a minute: the same checks, every test with 10 examples per property,
# no coverage, stopping at the first failure.
check: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	LEADSCORE_HYPOTHESIS_PROFILE=quick $(BIN)/pytest -n auto -x -q -p no:cacheprovider

bench: $(DEV_STAMP)
	$(BIN)/python benchmarks/bench_scoring.py
	$(BIN)/python benchmarks/bench_frames.py
	$(BIN)/python benchmarks/bench_privacy.py
	$(BIN)/python benchmarks/bench_exports.py

clean:
	rm -rf $(VENV) .coverage .coverage.* .hypothesis .mypy_cache .ruff_cache .pytest_cache .import_linter_cache
