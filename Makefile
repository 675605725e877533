# The two commands a newcomer needs: `make demo` and `make test`.
# Every install takes the exact versions of constraints.txt (those the suite passed with).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip install --quiet -c constraints.txt
# pytest-xdist: one worker per core (make test JOBS=0 runs in one process).
JOBS   ?= auto

.PHONY: demo test lint bench clean install constraints catalogs graphviz clispec

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(PIP) -e '.[pdf]'

# Graphviz's programs draw the ecomaps (Debian: apt-get install graphviz).
graphviz:
	@command -v dot >/dev/null 2>&1 || echo "note: Graphviz is not installed (no \`dot\`): the demo's ecomap is skipped; install it with: apt-get install graphviz"

demo: install graphviz
	$(BIN)/python scripts/demo.py

test: $(BIN)/python
	$(PIP) -e '.[test]'
	$(BIN)/python -m ruff check src tests bench scripts
	$(BIN)/python -m ruff format --check src tests bench scripts
	$(BIN)/python -m mypy
	$(BIN)/python scripts/catalogs.py --check
	$(BIN)/python -m pytest -q -n $(JOBS)

lint: $(BIN)/python
	$(BIN)/python -m ruff check src tests bench scripts
	$(BIN)/python -m ruff format --check src tests bench scripts
	$(BIN)/python -m mypy

bench: install
	$(BIN)/python bench/bench.py

# After a dependency upgrade the whole suite passed with: record the versions it used.
constraints: $(BIN)/python
	{ sed -n '/^#/p' constraints.txt; $(BIN)/python -m pip freeze --exclude-editable; } > constraints.txt.new
	mv constraints.txt.new constraints.txt

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache

# Message catalogs (src/reseau_cli/locale/<lang>/LC_MESSAGES/reseau.po and .mo): extract the
# messages of the code and templates (babel.cfg), update every .po, compile every .mo.
catalogs: $(BIN)/python
	$(PIP) -e '.[test]'
	$(BIN)/python scripts/catalogs.py

# The fast path's command table (src/reseau_cli/cli/commands.jsonl), generated from the Typer
# application: run after adding or changing a command or an option.
clispec: $(BIN)/python
	$(BIN)/python scripts/clispec.py
