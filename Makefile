# The two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: demo test lint bench clean install

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[pdf]'

demo: install
	$(BIN)/python scripts/demo.py

test: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m ruff check src tests bench scripts
	$(BIN)/python -m ruff format --check src tests bench scripts
	$(BIN)/python -m mypy
	$(BIN)/python -m pytest -q

lint: $(BIN)/python
	$(BIN)/python -m ruff check src tests bench scripts
	$(BIN)/python -m ruff format --check src tests bench scripts
	$(BIN)/python -m mypy

bench: install
	$(BIN)/python bench/bench.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache
