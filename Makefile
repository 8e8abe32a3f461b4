# Two commands do all the set-up: `make run` and `make test`. Both are safe to repeat.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
DEPS := $(VENV)/.deps-installed

.PHONY: run test shell migrate lint format bench clean

run: $(DEPS) .env
	$(PY) -m bot run

shell: $(DEPS) .env
	$(PY) -m bot shell

migrate: $(DEPS) .env
	$(PY) -m bot migrate

test: $(DEPS)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) -m pytest

format: $(DEPS)
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

bench: $(DEPS)
	$(PY) bench/updates.py

# The bot token lives in .env: readable by its owner only, whatever the umask.
.env:
	install -m 600 .env.example .env

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is needed: set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)

$(DEPS): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(DEPS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
