# Linli: `make run` starts the demo, `make test` runs the whole suite (SQLite and PostgreSQL).
VENV ?= .venv
PY := $(VENV)/bin/python
PYTEST_ARGS ?=

.PHONY: setup run test test-sqlite test-faults services bench clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

run: setup
	$(VENV)/bin/linli serve

services:
	bash scripts/ensure-services.sh

# the long fault runs (marked slow: PostgreSQL restarted, kill -9 under load) are `make test-faults`
test: setup services
	$(PY) -m pytest -m "not slow" $(PYTEST_ARGS)

test-faults: setup services
	LINLI_FAULT_SCALE=5 LINLI_FAULT_PG_RESTART=1 $(PY) -m pytest -m slow tests/faults $(PYTEST_ARGS)

bench: setup services
	$(PY) -m bench.run

test-sqlite: setup
	LINLI_TEST_DATABASES=sqlite $(PY) -m pytest -m "not slow" $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache
