# Two entry points: `make demo` (main job on the bundled corpus) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench

$(STAMP): pyproject.toml requirements/cpu.txt requirements/tools.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements/cpu.txt -c requirements/tools.txt -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/duiqi demo

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint
	scripts/test.sh

bench: $(STAMP)
	$(BIN)/python bench/align_bench.py
