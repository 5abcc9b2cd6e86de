# Two entry points (see README "Quick start"): `make run` builds the sample site,
# `make test` runs the whole test suite. Both create .venv on first use.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/feeds build --config config.yaml

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check feeds tests bench
	$(BIN)/ruff format --check feeds tests bench
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python bench/run.py --sizes 1000

clean:
	rm -rf $(VENV) public .feeds .pytest_cache .hypothesis .mypy_cache .ruff_cache
