# Bosettingsportalen: `make run` sets everything up and serves the demo; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run setup install test test-fast lint format bench clean

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

run: setup
	@echo "Serverer Bosettingsportalen på http://127.0.0.1:$(PORT)/  (Ctrl+C avslutter)"
	DJANGO_SETTINGS_MODULE=portal.settings.dev $(PY) manage.py runserver 127.0.0.1:$(PORT)

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

bench: install
	DJANGO_SETTINGS_MODULE=portal.settings.dev $(PY) manage.py bench
	DJANGO_SETTINGS_MODULE=portal.settings.dev $(PY) manage.py bench_placement

clean:
	rm -rf $(VENV) db.sqlite3 .test-media .pytest_cache .ruff_cache
