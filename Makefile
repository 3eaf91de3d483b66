# The README's two commands are `make run` and `make test`; each sets up what it needs.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-test check lint format bench messages lock serve-ws screenshots

# Every install comes from the lock files in requirements/ (hashes checked, nothing else
# fetched), so every machine runs the same versions; then the project itself, built with
# the locked setuptools. The pip that comes with Python is used as it is.
PIP_INSTALL := $(PY) -m pip install --quiet --disable-pip-version-check

$(VENV)/.installed-run: pyproject.toml requirements/run.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) --require-hashes -r requirements/run.txt
	$(PIP_INSTALL) --no-deps --no-build-isolation -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml requirements/test.txt $(VENV)/.installed-run
	$(PIP_INSTALL) --require-hashes -r requirements/test.txt
	@touch $@

install: $(VENV)/.installed-run
install-test: $(VENV)/.installed-test

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo ""
	@echo "  Site:   http://$(HOST):$(PORT)/"
	@echo "  Admin:  http://$(HOST):$(PORT)/admin/"
	@echo "  API:    http://$(HOST):$(PORT)/api/docs/"
	@echo "  Create an admin account with:  $(PY) manage.py createsuperuser"
	@echo ""
	@# The task worker runs beside the web process and stops with it (README, Background tasks).
	$(PY) manage.py run_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

# Production sockets (/ws/, README "Deployment"): uvicorn with the frame limit of the
# settings (config/ws_server.py); HTTP goes to gunicorn. Needs the production environment.
WS_PORT ?= 8002
WS_WORKERS ?= 2
serve-ws:
	DATABASE_POOL=$${DATABASE_POOL:-true} $(PY) -m config.ws_server \
		--host $(HOST) --port $(WS_PORT) --workers $(WS_WORKERS)

# The suite runs in one pytest-xdist worker per core (TEST_WORKERS=0 runs it in this
# process). "--dist load" hands each worker its tests in pytest-django's order, every test on
# a rolled-back database before the transactional ones, which end with a flush.
TEST_WORKERS ?= auto
test: install-test
	$(PY) -m pytest -n $(TEST_WORKERS) --dist load $(PYTEST_ARGS)

check: install-test
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/lint-imports
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/bandit --quiet --recursive --severity-level high --exclude ./tests,./bench config demo pages accounts members events forum search taskqueue security webapi caching admin_actions domain

# Benchmarks (bench/README.md): PostgreSQL and Redis of this machine, wrk from Debian.
bench: install-test
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(PY) -m bench.run_all $(BENCH_ARGS)

# The README's screenshots (docs/screenshots/): the demo site on a throwaway SQLite database,
# served locally and pictured by Debian's Chromium (apt-get install chromium) at desktop and
# phone widths. Run after changing how the main pages look, and commit the PNGs.
screenshots: install-test
	$(PY) -m demo.screenshots

# The interface's catalogues (locale/): gather new messages, then compile after translating.
# Needs GNU gettext (Debian: gettext); the compiled .mo files are committed.
messages: install
	$(PY) manage.py makemessages -l de -l fr -l es --no-obsolete \
		--ignore=.venv --ignore=staticfiles --ignore=media --ignore=bench --ignore=tests
	$(PY) manage.py compilemessages --ignore=.venv

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-test
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The lock files, for Python 3.11 on Linux x86_64, from pyproject.toml: run after changing
# a dependency there. Versions already locked stay unless LOCK_ARGS=--upgrade (everything)
# or LOCK_ARGS="--upgrade-package django" (one package). The tool itself is locked too.
LOCK_TARGET := --python-version 3.11 --python-platform x86_64-unknown-linux-gnu \
	--custom-compile-command "make lock"
UV := $(VENV)/bin/uv
lock:
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) --require-hashes -r requirements/lock-tool.txt
	$(UV) pip compile --quiet --generate-hashes $(LOCK_TARGET) $(LOCK_ARGS) \
		requirements/lock-tool.in -o requirements/lock-tool.txt
	$(UV) pip compile --quiet --generate-hashes $(LOCK_TARGET) $(LOCK_ARGS) \
		pyproject.toml requirements/build.in -o requirements/run.txt
	$(UV) pip compile --quiet --generate-hashes $(LOCK_TARGET) $(LOCK_ARGS) \
		pyproject.toml requirements/build.in --extra test -c requirements/run.txt \
		-o requirements/test.txt
