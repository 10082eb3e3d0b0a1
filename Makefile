# hrkg — two commands: `make run` (build the graph and serve it) and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# Here and in CI the datasets sit beside the checkout; elsewhere HRKG_DATA or the user cache.
ifneq ($(wildcard ../shared/data/MANIFEST.tsv),)
export HRKG_DATA ?= $(abspath ../shared/data)
endif

.PHONY: run test install browser lint bench clean

$(BIN)/hrkg: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "needs $(PYTHON)"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $(BIN)/hrkg

install: $(BIN)/hrkg  ## create the virtualenv and install hrkg with its test tools

run: install  ## fetch what is missing (if there is a network), build the graph, serve it on 127.0.0.1:7878
	-$(BIN)/hrkg data fetch || echo "hrkg: some datasets could not be fetched; building from what is there"
	$(BIN)/hrkg build
	$(BIN)/hrkg serve

browser:  ## headless Chromium for the UI tests (Debian's package; needs root or sudo)
	@command -v chromium >/dev/null || command -v chromium-browser >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

test: install browser  ## set up and run the whole suite
	$(BIN)/pytest -q

lint: install  ## ruff
	$(BIN)/ruff check hrkg loaders tests benchmarks

bench: install  ## build, report parsing/reconciliation, document extraction, validation and endpoint figures, each against its baseline in the same run
	$(BIN)/python benchmarks/build_bench.py
	$(BIN)/python benchmarks/report_bench.py
	$(BIN)/python benchmarks/doc_bench.py
	$(BIN)/python benchmarks/ohchr_bench.py
	$(BIN)/python benchmarks/validate_bench.py
	$(BIN)/python benchmarks/serve_bench.py

clean:  ## remove the store and the virtualenv
	rm -rf .hrkg $(VENV)
