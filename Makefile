# The two commands of the README: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint bench shell manage clean-db

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

run: $(STAMP)
	$(PY) -m portal.launcher run

test: $(STAMP)
	$(PY) -m portal.launcher test

lint: $(STAMP)
	$(VENV)/bin/ruff check .

# `make bench ARGS="--scale"` passes options to bench/run.py (see bench/README.md).
bench: $(STAMP)
	$(PY) -m portal.launcher bench $(ARGS)

# `make manage ARGS="createsuperuser"` runs manage.py against the same database as `make run`.
manage: $(STAMP)
	$(PY) -m portal.launcher manage $(ARGS)

shell: $(STAMP)
	$(PY) -m portal.launcher manage shell
