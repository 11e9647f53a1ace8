# `make demo` and `make test` work on a fresh clone: each creates .venv and installs what it needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
JS := tests/js

LOCALE := templates/locale
.PHONY: demo test lint typecheck unit bench clean node messages compile

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev,bench]'
	touch $(STAMP)

node: $(JS)/node_modules/.installed

$(JS)/node_modules/.installed: $(JS)/package.json
	cd $(JS) && npm install --no-audit --no-fund --silent
	touch $@

demo: $(STAMP) compile
	$(BIN)/fristvakt demo

# The catalogs: every message of the code and the templates into fristvakt.pot, then into each
# language's .po (new ones untranslated, changed ones fuzzy) for a translator to finish.
# The catalog's template keeps its creation date while no message changed: a run that finds
# nothing new leaves the tree clean.
messages: $(STAMP)
	$(BIN)/pybabel extract -F $(LOCALE)/babel.cfg -o $(LOCALE)/fristvakt.pot.new -w 100 \
		--add-location=file --project=Fristvakt --copyright-holder=Fristvakt \
		scheduler timelines notifiers templates
	if diff -q -I '^"POT-Creation-Date' $(LOCALE)/fristvakt.pot $(LOCALE)/fristvakt.pot.new \
		>/dev/null 2>&1; then rm $(LOCALE)/fristvakt.pot.new; \
	else mv $(LOCALE)/fristvakt.pot.new $(LOCALE)/fristvakt.pot; fi
	$(BIN)/pybabel update -i $(LOCALE)/fristvakt.pot -d $(LOCALE) -D fristvakt -w 100 \
		--ignore-obsolete --ignore-pot-creation-date

# The .mo files the program reads (the package build makes them too; they are not committed).
compile: $(STAMP)
	$(BIN)/pybabel compile -d $(LOCALE) -D fristvakt

lint: $(STAMP)
	$(BIN)/ruff check scheduler timelines notifiers tests bench
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP) node compile
	$(BIN)/pytest -q -n 2 --dist loadfile

test: lint typecheck unit

# Every bench runs even when one misses; the target fails at the end, naming the ones that did.
bench: $(STAMP) compile
	@missed=""; for b in bench/[!_]*.py; do echo "== $$b"; \
		$(BIN)/python $$b || missed="$$missed $$b"; done; \
	if [ -n "$$missed" ]; then echo "missed a target:$$missed"; exit 1; fi

clean:
	rm -rf $(VENV) $(JS)/node_modules .pytest_cache .mypy_cache .ruff_cache
