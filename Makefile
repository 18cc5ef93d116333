# Linli: `make run` starts the demo, `make test` runs the whole suite (SQLite and PostgreSQL).
VENV ?= .venv
PY := $(VENV)/bin/python
PYTEST_ARGS ?=

.PHONY: setup run test test-sqlite services bench clean

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

test: setup services
	$(PY) -m pytest $(PYTEST_ARGS)

test-sqlite: setup
	LINLI_TEST_DATABASES=sqlite $(PY) -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache
