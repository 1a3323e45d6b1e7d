# Vigie: `make run` serves the demo on http://127.0.0.1:8000, `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
HOST ?= 127.0.0.1:8000

.PHONY: run test install install-dev migrate demo lint messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt package-lock.json | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@# axe-core, for the accessibility scans of the browser tests (skipped without npm).
	@if command -v npm >/dev/null; then npm ci --silent --no-audit --no-fund; \
	else echo "npm not found: the accessibility scans will be skipped"; fi
	touch $(VENV)/.installed $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

run: demo
	$(BIN)/python manage.py runserver $(HOST)

test: install-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

messages: install-dev
	$(BIN)/python manage.py makemessages -l en -l fr --ignore=.venv --ignore=tests --ignore=node_modules
	@# The French catalogue: each string in French typography (no-break spaces before : ; ! ?).
	$(BIN)/python manage.py typeset_french_catalogue
	$(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
