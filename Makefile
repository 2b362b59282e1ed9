# VRU Governance — the two commands of the README are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO := docs/demo-records.json

export DJANGO_SETTINGS_MODULE := vru_governance.settings

.PHONY: install chromium run demo test test-sqlite test-postgres lint migrations-check ci clean

# The virtual environment is rebuilt when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

# Migrate, load the demo records, create the demo accounts (printed), start the server.
run: install
	mkdir -p var
	DEBUG=true $(PY) manage.py migrate --no-input
	DEBUG=true $(PY) manage.py load_demo $(DEMO)
	DEBUG=true $(PY) manage.py runserver $(HOST):$(PORT)

demo: install
	mkdir -p var
	DEBUG=true $(PY) manage.py migrate --no-input
	DEBUG=true $(PY) manage.py load_demo $(DEMO)

# The whole test suite, on SQLite unless DATABASE_URL says otherwise.
# pytest exits 5 when it collected no test; make fails on it like on any failure.
# Two passes: every test but the app-server ones in TEST_WORKERS processes (pytest-xdist,
# one per core; each class or module stays in one process so its set-up is done once), then
# the app-server tests alone, since they stop and start PostgreSQL under everyone's feet.
TEST_WORKERS ?= auto
test: install chromium migrations-check
	$(PY) -m pytest -q -n $(TEST_WORKERS) --dist loadscope -m "not servers"
	$(PY) -m pytest -q -m servers

# Browser tests drive Debian's Chromium; install it when we may (root), never a downloaded one.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
	  else echo "Chromium missing: browser tests will be skipped (sudo apt-get install chromium)"; fi; }

# Documents: HarfBuzz font subsetting (WeasyPrint is much faster with it) and, for the bench's
# comparison, LibreOffice; installed when we may (root), skipped otherwise.
.PHONY: document-tools
document-tools:
	@{ ls /usr/lib/*/libharfbuzz-subset.so.0 && command -v soffice; } >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq libharfbuzz-subset0 libreoffice-writer-nogui; \
	  else echo "Missing libharfbuzz-subset0 or LibreOffice (sudo apt-get install libharfbuzz-subset0 libreoffice-writer-nogui)"; fi; }

migrations-check: install
	DEBUG=true $(PY) manage.py makemigrations --check --dry-run

# Code scanning (bandit) and known vulnerabilities in the dependencies (pip-audit); .ci/run runs it.
.PHONY: audit
audit: install
	VENV=$(VENV) scripts/audit.sh

# ruff, and the layering contracts of pyproject.toml (import-linter); .ci/run runs it.
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

clean:
	rm -rf $(VENV) var

# Render the demo documents and a generated ~60-page pack: seconds and peak memory per
# document (and LibreOffice's figures where it is installed) in var/bench/documents.json.
# Then a decade of generated records in PostgreSQL (database vru_bench, dropped and created),
# imported and exported (timed), served by gunicorn and loaded by wrk against a floor measured
# in the same run: var/bench/results.json and results.md, each goal MET or NOT MET.
.PHONY: bench
bench: install document-tools
	mkdir -p var/bench
	date +%s > var/bench/.started
	DEBUG=true $(PY) manage.py migrate --no-input
	DEBUG=true $(PY) manage.py bench_documents --demo $(DEMO) --output var/bench/documents.json
	$(PY) bench/run_bench.py --started-file var/bench/.started
