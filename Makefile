# Every target is a one-liner over the venv's `kg`, pytest or npm; logic lives in kg/ itself.
VENV   := .venv
BIN    := $(VENV)/bin
PYTHON ?= python3
HOST   ?= 127.0.0.1
PORT   ?= 8000

.DEFAULT_GOAL := help
.PHONY: help install web run serve test lint fmt validate docs test-deps bench stress profile clean

help:  ## Show the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/kg: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev,docs]'
	touch $@

install: $(BIN)/kg  ## Create .venv and install kg with its dependencies

# One npm project, explorer/, bundles every page: the explorer into api/static/explorer/ and
# the SPARQL editor (YASGUI) into api/static/sparql/. The stamps say when to install or rebuild.
explorer/node_modules/.installed: explorer/package.json explorer/package-lock.json
	cd explorer && npm ci --no-audit --no-fund
	touch $@

api/static/.built: explorer/node_modules/.installed kg/viz/palette.json $(wildcard explorer/*.mjs explorer/src/*)
	cd explorer && npm run build
	touch $@

web: api/static/.built  ## Bundle the front-end (sigma.js, graphology, YASGUI) from npm into api/static

run: install web docs  ## Install, build the pages and the handbook, load the embedded store and serve API + pages on 127.0.0.1:8000
	$(BIN)/kg serve --host $(HOST) --port $(PORT)

serve: run

test-deps:  ## System packages the tests need (Debian chromium for browser tests, virtuoso-opensource for the any-store tests, curl for the reconcile how-to; needs root)
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v virtuoso-t >/dev/null 2>&1 || missing="$$missing virtuoso-opensource"; \
	command -v curl >/dev/null 2>&1 || missing="$$missing curl"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "missing:$$missing: run 'sudo apt-get install$$missing' (Debian) and retry"; exit 1; fi; fi

lint: install explorer/node_modules/.installed  ## ruff, import layers (import-linter), ESLint
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	cd explorer && npm run lint

validate: install  ## SHACL-validate the shipped graph
	$(BIN)/kg validate

# The handbook: MkDocs + Material, offline, warnings as errors; served by `kg serve` at /handbook.
docs: install  ## Build the handbook into site/ (offline, warnings as errors)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --site-dir site

test: install web test-deps lint validate docs  ## Lint, validate the data, build the handbook, run the whole test suite
	$(BIN)/pytest -q

fmt: install  ## Format the Python code
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install  ## Benchmarks (not part of make test): ratios against baselines, results in benchmarks/results/
	$(BIN)/python -m benchmarks.run

stress: install  ## Robustness runs (not part of make test): schemathesis, load, crash safety
	$(BIN)/python -m benchmarks.stress

profile: install  ## Profile loading 1M generated triples with py-spy (native frames), results in benchmarks/results/
	$(BIN)/pip install -q -e '.[profile]'
	$(BIN)/python -m benchmarks.profile --size 1M

clean:  ## Remove the venv and build products
	rm -rf $(VENV) api/static explorer/node_modules dist site
