# The two commands a newcomer needs: `make run` and `make test`. Python 3.11+ is all it takes.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: install run worker test test-fast print-check lint format messages check-deploy bench bench-data clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

## Serve the portal with the demo district at http://127.0.0.1:8000 (SQLite, DEBUG on), with
## the background worker for large exports (docs/exports.md) beside it, stopped with it.
run: install
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py seed_demo
	DEBUG=1 $(PY) manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

## The background worker alone (large exports, docs/exports.md), for a runserver started by hand.
worker: install
	DEBUG=1 $(PY) manage.py db_worker

## The whole test suite, browser tests included (set DATABASE_URL for PostgreSQL).
test: install
	$(PY) -m pytest

test-fast: install
	$(PY) -m pytest --ignore=tests/e2e -m "not slow" -x -q

## Print the demo district's annual workbook to PDF with LibreOffice (apt-get install
## libreoffice-calc-nogui poppler-utils) and show its pages, sheet by sheet.
print-check: install
	$(PY) -m pytest tests/portal/test_annual_report_print.py -q -s -p no:logging

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint templates --lint

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## Refresh the zh_Hans catalogue from the source strings and compile it (commit both files).
messages: install
	$(PY) manage.py makemessages -l zh_Hans --ignore=.venv --ignore=tests --ignore=staticfiles --no-location --no-wrap
	$(PY) manage.py compilemessages --ignore=.venv

check-deploy: install
	DEBUG=0 SECRET_KEY=$$($(PY) -c "import secrets; print(secrets.token_urlsafe(50))") \
	ALLOWED_HOSTS=portal.example.gov.cn HTTPS=1 REDIS_URL=redis://127.0.0.1:6379/0 $(PY) manage.py check --deploy --fail-level WARNING

## Generate the two benchmark databases once (docs/bench.md), then `make bench`.
BENCH_SERVER ?= postgres://postgres@127.0.0.1:5432
bench-data: install
	for scale in district city; do \
	  createdb -h 127.0.0.1 -U postgres bench_$$scale && \
	  DATABASE_URL=$(BENCH_SERVER)/bench_$$scale $(PY) manage.py migrate -v0 && \
	  DATABASE_URL=$(BENCH_SERVER)/bench_$$scale $(PY) manage.py seed_city --scale $$scale || exit 1; \
	done

## Measure pages, report, export, import, requests/s (also while a writer saves) and two
## hosts (needs Redis); writes bench/results/LATEST.md. Options: BENCH_ARGS, docs/bench.md.
bench: install
	BENCH_SERVER=$(BENCH_SERVER) $(PY) bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
