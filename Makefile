# Self-documenting Makefile: `make` lists the targets (## comments below).
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
RAW    ?= raw
OUT    ?= output

.DEFAULT_GOAL := help
.PHONY: help setup run test eval eval-split bench lint docs lexicons clean-output clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11+ is required (found $$($(PYTHON) --version))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,dask]'
	@touch $(STAMP)

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-13s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

setup: $(STAMP) ## create .venv and install the package with its dev extras (done by run/test when needed)

run: $(STAMP) ## process new and changed pages of raw/ into output/ (RAW=... OUT=... to change)
	$(PY) -m pipeline run $(RAW) --out $(OUT)

test: $(STAMP) ## run the test suite, incl. quick quality gates against tests/floors/
	$(PY) -m pytest -q -n 2 --dist loadfile

eval: $(STAMP) ## full evaluation on ../shared/eval (clean, entities, numbers, reprints)
	$(PY) -m pipeline.evaluation

eval-split: $(STAMP) ## cleaning scores on the dev and check halves of all real pages (SEEDS="1 2 14 15")
	$(PY) -m pipeline.evaluation.clean --split --seed $(or $(SEEDS),1 2 14 15)

bench: $(STAMP) ## throughput and peak memory next to plain jieba on the same text
	$(PY) -m pipeline.bench

lint: $(STAMP) ## ruff checks
	$(PY) -m ruff check pipeline tests

docs: $(STAMP) ## regenerate docs/tables.md from pipeline/schema.py
	$(PY) -m pipeline docs

lexicons: $(STAMP) ## regenerate the package-derived lexicons (places from cpca, name characters from ngender)
	$(PY) -m pip install --quiet -e '.[lexicons]'
	$(PY) tools/build_lexicons.py

clean-output: ## delete generated tables under output/ (keeps output/README.md)
	find $(OUT) -mindepth 1 ! -name README.md -exec rm -rf {} +

clean: clean-output ## also delete the virtual environment
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
