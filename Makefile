# Two commands set everything up: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
export FLASK_APP := kvkk_tracker:create_app

.PHONY: install run test lint debs-run debs-test translations messages migrate clean

install: debs-run $(BIN)/.installed translations migrate

debs-run:
	@scripts/ensure-debs.sh run

debs-test:
	@scripts/ensure-debs.sh test

$(BIN)/.installed: pyproject.toml requirements/constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "kvkk-tracker needs Python >= 3.11"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check \
	  -c requirements/constraints.txt -e '.[test]'
	touch $@

translations: $(BIN)/.installed
	@$(BIN)/pybabel -q compile -f -d kvkk_tracker/translations

# Developers: refresh the catalogue after changing UI strings, then translate the new entries.
messages: $(BIN)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l --sort-by-file -o kvkk_tracker/translations/messages.pot kvkk_tracker templates
	$(BIN)/pybabel update -i kvkk_tracker/translations/messages.pot -d kvkk_tracker/translations -l tr --width 100

migrate: $(BIN)/.installed translations
	@$(BIN)/kvkk-tracker db upgrade

run: install
	$(BIN)/kvkk-tracker run --host $(HOST) --port $(PORT)

lint: $(BIN)/.installed
	$(BIN)/ruff check .

# ruff, the whole suite on SQLite, then the whole suite again on PostgreSQL when a server is
# reachable (skipped with the reason printed otherwise; REQUIRE_POSTGRES=1 makes that a failure).
# Each pass spreads the test files over PYTEST_WORKERS processes (pytest-xdist; a file's tests
# stay together, so module-scoped databases are built once); PYTEST_WORKERS=0 runs serially.
PYTEST_WORKERS ?= 2
PYTEST_XDIST = $(if $(filter 0,$(PYTEST_WORKERS)),,-n $(PYTEST_WORKERS) --dist loadfile)
test: debs-test install node_modules/.installed
	@scripts/ensure-postgres.sh
	@scripts/ensure-redis.sh
	$(BIN)/ruff check .
	$(BIN)/python -m pytest $(PYTEST_XDIST) $(PYTEST_ARGS)
	@scripts/test-postgres.sh $(PYTEST_XDIST) $(PYTEST_ARGS)

# Test-only JavaScript (axe-core for tests/e2e), exactly as package-lock.json pins it.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

clean:
	rm -rf $(VENV) dist build .pytest_cache .ruff_cache node_modules
