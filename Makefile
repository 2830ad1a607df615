# Two entry points for a newcomer: `make run` and `make test`. Both are idempotent.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000

.PHONY: run test install install-dev migrate demo lint format messages benchmark clean backup restore backup-drill fuzz mutate mutate-sample

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.runtime

install-dev: $(VENV)/.dev

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

# Serves the demo on http://$(HOST)/ (admin at /admin/). --insecure serves the
# admin's static files although DEBUG is off.
run: demo
	$(BIN)/python manage.py runserver --insecure $(HOST)

# Tests run in parallel, one worker per core (pytest-xdist); PYTEST_ARGS= runs them in one process.
PYTEST_ARGS ?= -n auto
test: install-dev
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Rebuild the Vietnamese translation catalogue after changing strings (needs gettext).
messages: install
	$(BIN)/python manage.py makemessages --locale vi --ignore '.venv/*' --ignore 'var/*' --ignore 'tests/*'
	$(BIN)/python manage.py compilemessages --locale vi --ignore '.venv/*'

# The registry at national scale (100k channels at scale 1) on a scratch PostgreSQL database, beside DATABASE_URL's:
# manage.py benchmark (README, "Benchmark"). E.g. make benchmark BENCHMARK_ARGS="--scale 10 --json var/scale10.json".
BENCHMARK_ARGS ?= --scale 1
benchmark: install-dev
	$(BIN)/python manage.py benchmark $(BENCHMARK_ARGS)

# Database backups (scripts/backup.py): pg_dump/pg_restore on PostgreSQL, a copy on SQLite, into
# var/backups/ (KOLREG_BACKUP_DIR). `restore` replaces what the backup contains and asks nothing.
ifneq ($(filter restore,$(MAKECMDGOALS)),)
ifndef FILE
$(error make restore needs the backup to restore: make restore FILE=var/backups/kolregistry-<time>.pgdump)
endif
endif

backup: install
	$(BIN)/python scripts/backup.py backup

restore: install
	$(BIN)/python scripts/backup.py restore "$(FILE)"

# Backs up, restores into a scratch database and compares every table (row counts and checksums).
backup-drill: install
	$(BIN)/python scripts/backup.py drill

# Fuzzes the live API against its OpenAPI schema on PostgreSQL (scripts/fuzz.sh, schemathesis): the long
# run. CI runs 1,500 cases in 4 minutes. Drops and recreates the database FUZZ_DATABASE_URL (default: fuzz).
FUZZ_CASES ?= 20000
FUZZ_SECONDS ?= 5400
fuzz: install-dev
	scripts/fuzz.sh $(FUZZ_CASES) $(FUZZ_SECONDS)

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache

# Mutation testing (scripts/mutate.py, docs/mutation.md): a score per area; AREA=scoping|dates|api runs one,
# FILE=kolregistry/access.py one file. mutate-sample is CI's bounded run: 40 scoping mutants, fails under 90%;
# it skips mutmut's unmutated run, as CI runs it after the whole suite passed.
MUTATE_ARGS ?= $(if $(AREA),--area $(AREA)) $(if $(FILE),--file $(FILE))
mutate: install-dev
	$(BIN)/python scripts/mutate.py $(MUTATE_ARGS)

mutate-sample: install-dev
	$(BIN)/python scripts/mutate.py --area scoping --sample 40 --min-score 90 --skip-clean-run
