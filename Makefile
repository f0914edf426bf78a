# Klachtroute: `make run` starts the demo, `make test` runs the suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test setup install messages lint typecheck format bench clean

# The suite runs on two processes (pytest-xdist); PYTEST_ARGS= runs it in one.
PYTEST_ARGS ?= -n 2

run: setup
	$(BIN)/python bin/run-dev

test: install messages
	$(BIN)/python -m pytest $(PYTEST_ARGS)

setup: install messages
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py demo_setup

install: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) not found; run: make PYTHON=python3 ..."; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	touch $(STAMP)

# The compiled catalogues are committed; they are rebuilt when gettext's msgfmt is present.
messages: install
	@if command -v msgfmt >/dev/null 2>&1; then $(BIN)/python manage.py compilemessages -v0 --ignore=.venv; fi

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# mypy with django-stubs over the files listed in pyproject.toml's [tool.mypy].
typecheck: install
	$(BIN)/mypy

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Benchmarks on a database of their own (never the suite): see README, "Benchmarks".
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/klachtroute_bench
BENCH_COMPLAINTS ?= 100000
bench: install messages
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python bench/run.py --complaints $(BENCH_COMPLAINTS) $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var
