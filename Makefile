# The two commands of the README's quick start, `make demo` and `make test`; `make test-deep`,
# the deeper tier CI runs after it; `make check` for the edit loop (docs/testing.md). Each
# creates .venv on first use and installs what it needs, no more: the demo needs leadscore and
# pandas; the tests need the development tools as well.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_STAMP := $(VENV)/.demo-installed
DEV_STAMP := $(VENV)/.dev-installed
A11Y_STAMP := tests/a11y/node_modules/.installed
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check

.PHONY: demo test test-deep check lint layers typecheck reference unit bench catalogues clean

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

# axe-core, the accessibility checker the browser tests run inside Chromium (npm, locked).
$(A11Y_STAMP): tests/a11y/package.json tests/a11y/package-lock.json
	npm ci --prefix tests/a11y --no-audit --no-fund --silent
	touch $@

demo: $(DEMO_STAMP)
	$(BIN)/python examples/demo.py

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The API reference, from the docstrings (pdoc), into build/reference; a warning fails it.
reference: $(DEV_STAMP)
	$(BIN)/python scripts/reference.py build/reference

# The architecture: the import-linter contracts in pyproject.toml (docs/architecture.md).
layers: $(DEV_STAMP)
	$(BIN)/lint-imports

typecheck: $(DEV_STAMP)
	$(BIN)/mypy

# Every test but those marked deep, on every core, every property at the ci profile's 200
# examples (CI=1; the dev profile's 100 otherwise), with branch coverage (100 % required).
# Each tier leaves its tests' times in .test-times/ for scripts/suite_times.py (docs/testing.md).
unit: $(DEV_STAMP) $(A11Y_STAMP)
	$(BIN)/pytest -n auto --dist worksteal -q -m "not deep" --cov --cov-report=term-missing:skip-covered --junitxml=.test-times/test.xml

test: lint layers typecheck reference unit

# The deeper tier: every property at the deep profile's 1,000 examples (five times ci's), and
# the tests marked deep (fresh virtual environments, ...); no coverage, which make test measures.
test-deep: $(DEV_STAMP) $(A11Y_STAMP)
	LEADSCORE_HYPOTHESIS_PROFILE=deep $(BIN)/pytest -n auto --dist worksteal -q -p no:cacheprovider -m "deep or hypothesis" \
		--junitxml=.test-times/test-deep.xml

# The edit loop (about 90 s on two cores): the same checks, every test with 10 examples per property
# but those that open a browser or lay out a PDF, no coverage, stopping at the first failure.
check: $(DEV_STAMP) $(A11Y_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	LEADSCORE_HYPOTHESIS_PROFILE=quick $(BIN)/pytest -n auto -x -q -p no:cacheprovider -m "not browser"

bench: $(DEV_STAMP)
	$(BIN)/python benchmarks/bench_scoring.py
	$(BIN)/python benchmarks/bench_frames.py
	$(BIN)/python benchmarks/bench_privacy.py
	$(BIN)/python benchmarks/bench_exports.py
	$(BIN)/python benchmarks/bench_compile.py
	$(BIN)/python benchmarks/bench_reliability.py

# The message catalogues (src/leadscore/locale): bring every .po in step with the messages the
# code marks, and compile the .mo files leadscore reads (Babel; tests/test_catalogues.py checks).
catalogues: $(DEV_STAMP)
	$(BIN)/python scripts/catalogues.py

clean:
	rm -rf tests/a11y/node_modules $(VENV) .test-times .coverage .coverage.* .hypothesis .mypy_cache .ruff_cache .pytest_cache .import_linter_cache build
