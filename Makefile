# Golden Thread: the two commands are `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: install demo serve stack test test-fast test-postgres browser fonts bench bench-live clean

$(STAMP): pyproject.toml requirements/constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements/constraints.txt -e '.[dev,postgres,redis]'
	touch $(STAMP)

# The stylesheet: GOV.UK Frontend and sass from package-lock.json (npm ci), compiled from
# goldenthread/web/assets/app.scss into goldenthread/web/static/goldenthread/app.css (not committed).
NODE_STAMP := node_modules/.installed
CSS        := goldenthread/web/static/goldenthread/app.css

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $(NODE_STAMP)

$(CSS): $(NODE_STAMP) $(wildcard goldenthread/web/assets/*)
	npm run --silent build

install: $(STAMP) $(CSS)   ## Create .venv and node_modules, install Golden Thread and build its stylesheet

demo: install fonts ## Load the demo data and serve the app on http://127.0.0.1:8000
	$(BIN)/goldenthread demo
	$(BIN)/goldenthread serve --host $(HOST) --port $(PORT)

serve: install fonts
	$(BIN)/goldenthread serve --host $(HOST) --port $(PORT)

# The production topology without containers (deploy/stack.py): PostgreSQL and Redis from Debian's packages, two
# app processes and a round-robin proxy on http://127.0.0.1:$(STACK_PORT)/ until Ctrl+C. docs/deploy.md.
STACK_PORT ?= 8080
stack: install          ## PostgreSQL + Redis + two app processes + a proxy, as deploy/compose.yaml, without containers
	$(BIN)/python deploy/stack.py --port $(STACK_PORT)

# Browser tests drive Debian's chromium; install it if it is missing (needs root or sudo).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

# The fonts the PDFs print every script with, from Debian's packages (needs root or sudo): Noto for Latin, Greek,
# Cyrillic, Arabic and Urdu, Gurmukhi, Bengali and more; WenQuanYi Micro Hei for Chinese. README: "PDFs in every script".
FONTS := /usr/share/fonts/truetype/noto/NotoSans-Regular.ttf /usr/share/fonts/truetype/wqy/wqy-microhei.ttc
fonts:
	@for f in $(FONTS); do test -f $$f || missing=1; done; [ -z "$$missing" ] || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq fonts-noto-core fonts-wqy-microhei >/dev/null; }

# The suite runs on every core (pytest-xdist); each worker starts its own live server for the browser tests.
# worksteal: a worker that runs out of tests takes half of what another still has queued, so neither ends alone.
PARALLEL ?= -n auto --dist worksteal

test: install browser fonts   ## Install everything, check the import layers, run the whole test suite
	$(BIN)/lint-imports
	$(BIN)/python -m pytest $(PARALLEL)

test-fast: install      ## The import layers, then everything except browser tests and real-model tests
	$(BIN)/lint-imports
	$(BIN)/python -m pytest $(PARALLEL) -m "not browser and not slow and not stack"

# The fast suite against a throwaway PostgreSQL server from Debian's packages (apt-get install postgresql).
test-postgres: install
	.ci/with-postgres $(BIN)/python -m pytest $(PARALLEL) -m "not browser and not slow and not stack"

bench: install          ## Benchmarks (theme engine against BERTopic, import speed)
	$(BIN)/python -m pip install --quiet -c requirements/constraints.txt -e '.[bench]'
	$(BIN)/python benchmarks/import_speed.py
	$(BIN)/python benchmarks/themes.py
	$(BIN)/python benchmarks/naming_check.py

bench-live: install     ## Live workshop load on every stack (SQLite/PostgreSQL, 1 and 2 processes): the table in docs/deploy.md
	$(BIN)/python benchmarks/workshop_load.py --table

clean:
	rm -rf $(VENV) var .pytest_cache node_modules $(CSS) goldenthread/web/static/goldenthread/govuk-frontend.min.js
