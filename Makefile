# rfeplatform: `make run` starts the whole platform on its embedded default; `make test` runs the suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PORT

.PHONY: run test install install-dev lint format migrate demo clean

$(VENV)/.installed: requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

## run: install, migrate, load demo data, start web (HTTP + WebSocket) and the django-q2 worker.
run: install
	DEBUG=$${DEBUG:-true} bash scripts/run.sh

## test: install test requirements (and Chromium if missing and possible) and run the whole suite.
test: install-dev
	@bash scripts/ensure_browser.sh || echo "note: Chromium not available; browser tests will be skipped"
	DEBUG=$${DEBUG:-true} $(PY) -m pytest $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

migrate: install
	DEBUG=$${DEBUG:-true} $(PY) manage.py migrate --noinput
	DEBUG=$${DEBUG:-true} $(PY) manage.py createcachetable

demo: migrate
	DEBUG=$${DEBUG:-true} $(PY) manage.py demo

clean:
	rm -rf $(VENV) var/staticfiles .pytest_cache .ruff_cache
