# `make demo` and `make test` work on a fresh clone: each creates .venv and installs what it needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
JS := tests/js

.PHONY: demo test lint typecheck unit bench clean node

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev,bench]'
	touch $(STAMP)

node: $(JS)/node_modules/.installed

$(JS)/node_modules/.installed: $(JS)/package.json
	cd $(JS) && npm install --no-audit --no-fund --silent
	touch $@

demo: $(STAMP)
	$(BIN)/fristvakt demo

lint: $(STAMP)
	$(BIN)/ruff check scheduler timelines notifiers tests bench
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP) node
	$(BIN)/pytest -q -n 2 --dist loadfile

test: lint typecheck unit

# Every bench runs even when one misses; the target fails at the end, naming the ones that did.
bench: $(STAMP)
	@missed=""; for b in bench/[!_]*.py; do echo "== $$b"; \
		$(BIN)/python $$b || missed="$$missed $$b"; done; \
	if [ -n "$$missed" ]; then echo "missed a target:$$missed"; exit 1; fi

clean:
	rm -rf $(VENV) $(JS)/node_modules .pytest_cache .mypy_cache .ruff_cache
