# Quick start: `make site` builds the site into site/; `make test` runs the tests.
PY ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: site test check serve lint clean

$(BIN)/factsheet: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

site: $(BIN)/factsheet  ## set up, verify every citation, build the site into site/
	$(BIN)/factsheet build
	@echo "The site is in site/ (open site/index.html, or run 'make serve' for a live preview)."

test: $(BIN)/factsheet  ## set up, lint, run the test suite
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest

check: $(BIN)/factsheet
	$(BIN)/factsheet check

serve: $(BIN)/factsheet
	$(BIN)/factsheet serve

clean:
	rm -rf site .site.* $(VENV) *.egg-info
