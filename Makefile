# hrkg — two commands: `make run` (build the graph and serve it) and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# Here and in CI the datasets sit beside the checkout; elsewhere HRKG_DATA or the user cache.
ifneq ($(wildcard ../shared/data/MANIFEST.tsv),)
export HRKG_DATA ?= $(abspath ../shared/data)
endif

.PHONY: run test install browser lint typecheck check test-unit test-data test-e2e bench clean

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

test: install browser check  ## lint, types, then the three tiers: unit, data, end-to-end
	HRKG_REQUIRE_BROWSER=1 $(BIN)/pytest -q

check: lint typecheck  ## ruff and mypy: any finding fails

lint: install  ## ruff: lint everything, format check of the package and the loaders
	$(BIN)/ruff check hrkg loaders tests benchmarks
	$(BIN)/ruff format --check hrkg loaders

# mypy cannot follow the package-dir mapping hrkg.loaders -> loaders/, so it reads a tree of
# links where hrkg/loaders is loaders/ (paths in its messages are relative to that tree)
MYPY_TREE := build/mypy
typecheck: install  ## mypy over hrkg and loaders (settings in pyproject.toml)
	@rm -rf $(MYPY_TREE) && mkdir -p $(MYPY_TREE)/hrkg
	@for f in hrkg/*; do ln -s "$(CURDIR)/$$f" $(MYPY_TREE)/hrkg/; done
	@ln -s "$(CURDIR)/loaders" $(MYPY_TREE)/hrkg/loaders
	cd $(MYPY_TREE) && $(CURDIR)/$(BIN)/mypy --config-file $(CURDIR)/pyproject.toml -p hrkg

test-unit: install  ## the unit tier: no dataset, no build, no pySHACL (under a minute)
	env -u HRKG_DATA $(BIN)/pytest -q -m "not data and not e2e"

test-data: install  ## the integration tier: the datasets of HRKG_DATA (one full build), builds, pySHACL
	$(BIN)/pytest -q -m "data and not e2e"

test-e2e: install browser  ## the server and the browser
	HRKG_REQUIRE_BROWSER=1 $(BIN)/pytest -q -m e2e

bench: install  ## build, report parsing/reconciliation, document extraction, validation and endpoint figures, each against its baseline in the same run
	$(BIN)/python benchmarks/build_bench.py
	$(BIN)/python benchmarks/report_bench.py
	$(BIN)/python benchmarks/doc_bench.py
	$(BIN)/python benchmarks/ohchr_bench.py
	$(BIN)/python benchmarks/validate_bench.py
	$(BIN)/python benchmarks/serve_bench.py

clean:  ## remove the store and the virtualenv
	rm -rf .hrkg $(VENV)
