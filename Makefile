# Pathway: `make run` serves the app with demo data; `make test` runs the whole suite.
# Both work from a fresh clone: they create .venv and install what they need.
# Emails and promotion PDFs are made off the request path by a worker (`manage.py db_worker`, django-tasks'
# database queue): `make run` and `make serve` start one beside the web server and stop it with it.

PYTHON ?= python3
VENV ?= .venv
PORT ?= 8000
BIN := $(VENV)/bin
PY := $(BIN)/python

.DEFAULT_GOAL := help
.PHONY: help install run serve test test-fast lint format check-migrations pytest bench load clean

help:
	@echo "make run    set up and serve Pathway with demo data on http://127.0.0.1:$(PORT)"
	@echo "make test   set up and run lint, migration checks and the whole test suite, with branch coverage"
	@echo "make test-fast   the same without the browser tier or coverage, on every core"
	@echo "make serve  serve with gunicorn against the configured database (production-like), with one worker"

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/activate
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed

run: export DEBUG ?= 1
# Links in the demo's emails lead to this server.
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_default_frameworks
	$(PY) manage.py seed_demo
	@echo ""
	@echo "Pathway is starting on http://127.0.0.1:$(PORT)/ with a worker for emails and PDFs (Ctrl+C stops both);"
	@echo "links in its emails lead to $(SITE_URL)"
	$(PY) manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

serve: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@# In production run the worker as its own service, as many as needed on any machine that shares the
	@# database: `python manage.py db_worker --no-reload` (README, Deploying). Here one starts beside gunicorn.
	$(PY) manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn pathway.wsgi:application --config pathway/gunicorn.conf.py --bind 127.0.0.1:$(PORT)

# Tests run with DEBUG=1 for the dev secret key; Django's test runner switches DEBUG off
# itself, and the production settings are checked by their own test (check --deploy).
# Tests keep Python's bytecode and pytest's rewritten test modules in __pycache__ (ignored by git) even where the
# environment sets PYTHONDONTWRITEBYTECODE (these machines do): without them each test process compiles every
# module again, 18 s of CPU to collect the fast tier against 8.5 s (README, "Tests").
test test-fast pytest: export PYTHONDONTWRITEBYTECODE =
test: export DEBUG = 1
test: install lint check-migrations pytest

# The loop to run while working: no browser tier and no coverage, on one test process per core
# (pytest-xdist; each process gets its own test database). A file's tests go to one process, so the casts kept
# for a whole module (the access matrix, the forms fuzz, the demo) are built once, not once per process.
test-fast: export DEBUG = 1
test-fast: install lint check-migrations
	$(BIN)/pytest -m "not browser and not live" -n $${TEST_PROCESSES:-auto} --dist loadfile $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check-migrations: install
	$(PY) manage.py makemigrations --check --dry-run

# Branch coverage of every run; `coverage report` fails under the floor set in pyproject.toml.
pytest: install
	$(BIN)/coverage erase
	$(BIN)/coverage run -m pytest $(PYTEST_ARGS)
	$(BIN)/coverage report

# Organisation-scale benchmarks (bench/README.md): SQLite, or the PostgreSQL of DATABASE_URL; fails when a
# page is over its budget. BENCH_SIZES, BENCH_REPEATS and BENCH_ONLY narrow a run. Not part of `make test`.
bench: export DEBUG = 1
bench: install
	$(PY) bench/run.py

# Load test (bench/README.md): gunicorn and a task worker against `<database>_load` on the PostgreSQL server of
# DATABASE_URL, 50 signed-in people for a minute, then again with 6 parallel PDF requests; fails on a lost write,
# a 5xx, or the PDFs slowing everyone else over 3×. LOAD_SECONDS, LOAD_USERS, LOAD_WORKERS, LOAD_FRESH=1.
load: install
	$(PY) bench/load.py

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .ruff_cache screenshots
