# Bosettingsportalen: `make run` sets everything up and serves the demo; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run setup install test test-fast lint format bench clean worker serve messages loadtest

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Reinstall only when the dependency list changes.
$(VENV)/.stamp-install: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.stamp-install

setup: install
	DJANGO_SETTINGS_MODULE=portal.settings.dev $(PY) manage.py migrate --no-input
	DJANGO_SETTINGS_MODULE=portal.settings.dev $(PY) manage.py load_register
	DJANGO_SETTINGS_MODULE=portal.settings.dev $(PY) manage.py load_demo

# The web server and one background worker; Ctrl+C stops both.
run: setup
	@echo "Serverer Bosettingsportalen på http://127.0.0.1:$(PORT)/ med bakgrunnsjobber (Ctrl+C avslutter)"
	@export DJANGO_SETTINGS_MODULE=portal.settings.dev; \
	$(PY) manage.py run_jobs & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# A background worker alone (run several, on several machines: docs/drift.md).
worker: install
	DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-portal.settings.dev} $(PY) manage.py run_jobs

# Production serving: gunicorn + whitenoise on the production settings, with one worker beside
# it. Needs SECRET_KEY (and DATABASE_URL, EMAIL_HOST, ... see the README); WEB_CONCURRENCY
# gunicorn processes. Ctrl+C stops both.
WEB_CONCURRENCY ?= 2
serve: install
	@export DJANGO_SETTINGS_MODULE=portal.settings.production; \
	$(PY) manage.py migrate --no-input && \
	$(PY) manage.py collectstatic --no-input --verbosity 0 && \
	$(PY) manage.py set_site_host && \
	{ $(PY) manage.py run_jobs & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(VENV)/bin/gunicorn portal.wsgi:application --bind $${BIND:-127.0.0.1:$(PORT)} \
		--workers $(WEB_CONCURRENCY) --timeout 60 --graceful-timeout 20 \
		--access-logfile - --forwarded-allow-ips "$${FORWARDED_ALLOW_IPS:-127.0.0.1}"; }

# The suite always runs on the test settings, whatever the shell has exported.
test: install lint
	DJANGO_SETTINGS_MODULE=portal.settings.test $(PY) -m pytest $(PYTEST_ARGS)

test-fast: install
	DJANGO_SETTINGS_MODULE=portal.settings.test $(PY) -m pytest -m "not e2e" $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	DJANGO_SETTINGS_MODULE=portal.settings.test $(PY) manage.py makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Translations: update locale/nn from the code and templates, then compile. The compiled .mo is
# committed, so `make run` and `make test` need no gettext tools (msgfmt is needed here only).
messages: install
	DJANGO_SETTINGS_MODULE=portal.settings.dev $(PY) manage.py makemessages -l nn --no-obsolete \
		--ignore .venv --ignore static --ignore tests
	DJANGO_SETTINGS_MODULE=portal.settings.dev $(PY) manage.py compilemessages -l nn --ignore .venv

bench: setup
	DJANGO_SETTINGS_MODULE=portal.settings.dev $(PY) manage.py bench
	DJANGO_SETTINGS_MODULE=portal.settings.dev $(PY) manage.py bench_placement
	DJANGO_SETTINGS_MODULE=portal.settings.dev $(PY) manage.py bench_maps

# ops: the mixed load test against the production stack on PostgreSQL + Elasticsearch (README,
# «Lasttest»). LOADTEST_DURATION / LOADTEST_USERS shorten it; FAULT=pg|es|worker|deploy adds a fault.
loadtest: install
	$(PY) -m pip install --quiet -e '.[dev,load]'
	FAULT=$(FAULT) $(PY) scripts/ops/loadtest/run.py

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm static .test-media .pytest_cache .ruff_cache
