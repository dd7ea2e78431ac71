# socialpulse — one-command setup. Every target refreshes .venv when the pins change.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PIP_FLAGS := --disable-pip-version-check --no-input --progress-bar off
SANDBOX_PORT ?= 8765

.PHONY: help venv demo test lint bench sandbox sync db-up db-down clean

help:
	@echo "make demo    - install, start the warehouse + sandbox, connect the demo agency, sync"
	@echo "make test    - install, lint, type-check and run the test suite"
	@echo "make lint    - ruff, mypy on every package, SQLFluff (what pre-commit runs)"
	@echo "make bench   - benchmark scripts, each beside its baseline; tables in benchmarks/results/"
	@echo "make dbt     - dbt against the warehouse in use: make dbt ARGS=\"build -s posts\""
	@echo "make api     - the report API on 127.0.0.1:8000 (OpenAPI at /docs)"
	@echo "make dagster - Dagster UI on 127.0.0.1:3000 (assets, checks, schedules, sensors)"
	@echo "make workers - N=2 Celery workers for DAGSTER_EXECUTOR=celery make dagster"
	@echo "make sandbox - serve the platform sandbox on 127.0.0.1:$(SANDBOX_PORT)"
	@echo "make superset - Superset with the dashboards/ bundle deployed on 127.0.0.1:8088"
	@echo "make sync    - sync all connected accounts once"
	@echo "make db-up / db-down - start / stop the embedded Postgres"

venv: $(STAMP)

$(STAMP): pyproject.toml requirements/base.in requirements/dev.in requirements/constraints.txt
	@echo "==> preparing $(VENV) (pinned by requirements/constraints.txt)"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/pip install $(PIP_FLAGS) -q --upgrade "pip>=24"
	$(BIN)/pip install $(PIP_FLAGS) -q -c requirements/constraints.txt \
		-r requirements/base.in -r requirements/dev.in
	$(BIN)/pip install $(PIP_FLAGS) -q --no-deps --no-build-isolation -e .
	@touch $(STAMP)
	@echo "==> $(VENV) ready"

# DEMO_ARGS passes options to `socialpulse demo`, e.g. DEMO_ARGS="--cycles 4"
DEMO_ARGS ?=
demo: venv
	$(BIN)/socialpulse demo --port $(SANDBOX_PORT) $(DEMO_ARGS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/sqlfluff lint --disable-progress-bar dbt_project/models

test: lint
	$(BIN)/pytest

# Not part of CI: figures depend on the machine, so each script prints ratios against a baseline
# measured in the same run. BENCH="load sentiment" picks scripts; api_load needs `make demo` first.
# The scale scripts (ingest dbt_build cycle endpoints storage) build their own worlds; pass their
# flags with one script at a time: make bench BENCH=cycle BENCH_ARGS="--sizes 100000,1000000"
# scale_out starts its own Celery workers (1, 2, 4) on the local RabbitMQ; its flags differ:
# make bench BENCH=scale_out BENCH_ARGS="--accounts 200 --latency-ms 200"
BENCH ?= load sentiment sentiment_tiers api_load ingest dbt_build cycle endpoints storage scale_out
BENCH_ARGS ?=
bench: venv
	@mkdir -p benchmarks/results
	@set -o pipefail; for b in $(BENCH); do \
		script=benchmarks/$$b.py; [ -f $$script ] || script=benchmarks/$${b}_benchmark.py; \
		out=benchmarks/results/$$(date -u +%Y-%m-%d)-$$b.txt; \
		echo "==> $$script (table also in $$out)"; \
		$(BIN)/python $$script $(BENCH_ARGS) | tee $$out || exit 1; \
	done

sandbox: venv
	@# the clock continues the warehouse's timeline (an hour after its newest observation)
	now=$$($(BIN)/socialpulse db resume-at); \
		$(BIN)/socialpulse sandbox serve --port $(SANDBOX_PORT) --speed 60 $${now:+--now $$now}

sync: venv
	$(BIN)/socialpulse sync

db-up: venv
	$(BIN)/socialpulse db up

db-down: venv
	$(BIN)/socialpulse db down

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

.PHONY: dbt
ARGS ?= build
# dbt against the warehouse in use (DATABASE_URL, else the embedded server) through
# socialpulse.transform.run_dbt, so dbt's connection comes from that one URL:
# make dbt ARGS="build -s posts"
define DBT_PY
import shlex, sys
from socialpulse.transform import DbtRunError, run_dbt
try:
    run_dbt(shlex.split(sys.argv[1]))
except DbtRunError as error:
    sys.exit(str(error))
endef
export DBT_PY
dbt: venv
	@$(BIN)/python -c "$$DBT_PY" "$(ARGS)"

.PHONY: dagster
DAGSTER_PORT ?= 3000
# Dagster UI + daemon (schedules). DAGSTER_HOME defaults to .dagster_home (generated dagster.yaml;
# Postgres storage when DAGSTER_PG_URL is set: a postgresql:// URL, or DAGSTER_PG_URL=warehouse
# for a `dagster` database on the warehouse's server). DAGSTER_EXECUTOR=celery runs the steps on
# the Celery workers of `make workers` (in-process otherwise). dagster dev runs in its own
# process group, so Ctrl-C (or a TERM to make) stops the webserver, daemon and code server.
dagster: venv
	@set -e; export DAGSTER_HOME="$$($(BIN)/python -m dagster_project.instance)"; \
	$(BIN)/socialpulse db migrate; \
	echo "==> dbt parse"; \
	$(BIN)/python -c "from socialpulse.transform import run_dbt; \
	from socialpulse.warehouse import database_url; \
	run_dbt(['parse'], database_url(start_embedded=False))" >/dev/null; \
	echo "==> Dagster UI at http://127.0.0.1:$(DAGSTER_PORT) (DAGSTER_HOME=$$DAGSTER_HOME; Ctrl-C stops it)"; \
	setsid $(BIN)/dagster dev -h 127.0.0.1 -p $(DAGSTER_PORT) -w workspace.yaml & pid=$$!; \
	trap 'kill -INT -- -$$pid 2>/dev/null; sleep 5; kill -KILL -- -$$pid 2>/dev/null; exit 0' INT TERM; \
	wait $$pid

.PHONY: workers
N ?= 2
# N Celery workers (one task each at a time) for DAGSTER_EXECUTOR=celery, on the RabbitMQ broker
# DAGSTER_CELERY_BROKER (default amqp://guest:guest@127.0.0.1:5672//), reading the queue
# DAGSTER_CELERY_QUEUE (default dagster). They share DAGSTER_HOME and DATABASE_URL with
# `make dagster` (same instance, same step storage, same warehouse). Ctrl-C stops them all.
workers: venv
	@set -e; export DAGSTER_HOME="$$($(BIN)/python -m dagster_project.instance)"; \
	pids=""; for i in $$(seq 1 $(N)); do \
	  setsid $(BIN)/celery -A dagster_project.workers worker --concurrency 1 \
	    --prefetch-multiplier 1 -Q "$${DAGSTER_CELERY_QUEUE:-dagster}" -n "socialpulse-$$i@%h" \
	    --loglevel INFO & \
	  pids="$$pids $$!"; done; \
	echo "==> $(N) Celery workers (pids$$pids); Ctrl-C stops them"; \
	trap 'for p in $$pids; do kill -TERM -- -$$p 2>/dev/null; done; exit 0' INT TERM; \
	wait

.PHONY: api
API_PORT ?= 8000
# The report API on 127.0.0.1:$(API_PORT) (OpenAPI at /docs). For the local demo a JWT_SECRET is
# generated into .env on first use; elsewhere set JWT_SECRET (the API refuses a placeholder).
# API_WORKERS (default 1) uvicorn processes; FORWARDED_ALLOW_IPS: proxies whose X-Forwarded-For
# is trusted (default none); both from the environment or .env (report_api/serve.py).
api: venv
	@$(BIN)/python -c "from report_api.config import ensure_jwt_secret; ensure_jwt_secret()"
	@$(BIN)/socialpulse db migrate
	API_PORT=$(API_PORT) $(BIN)/python -m report_api.serve

.PHONY: superset
SUPERSET_PORT ?= 8088
SS_VENV := .venv-superset
SS_STAMP := $(SS_VENV)/.installed
# Superset 6.1.0 in its own venv (it pins an older Flask / SQLAlchemy 1.4 world). rich: the CLI
# fails without it; cachetools: else a misleading "Could not load database driver";
# flask-caching 2.5 crashes at start. httpx is for dashboards/deploy.py.
$(SS_STAMP): requirements/superset-constraints.txt
	@echo "==> preparing $(SS_VENV) (pinned by requirements/superset-constraints.txt)"
	@test -x $(SS_VENV)/bin/python || $(PYTHON) -m venv $(SS_VENV)
	@$(SS_VENV)/bin/pip install $(PIP_FLAGS) -q --upgrade "pip>=24"
	$(SS_VENV)/bin/pip install $(PIP_FLAGS) -q -c requirements/superset-constraints.txt \
		"apache-superset==6.1.0" psycopg2-binary rich cachetools "flask-caching<2.5" httpx
	@touch $(SS_STAMP)

# Superset on 127.0.0.1:$(SUPERSET_PORT) with the dashboards/ bundle deployed (run `make demo`
# first for data). Metadata: Postgres when SUPERSET_DATABASE_URL is set, else SQLite in
# .data/superset. Admin from SUPERSET_ADMIN_USER/PASSWORD (demo default admin/admin-demo-password);
# one client login per workspace (client_<slug>, SUPERSET_CLIENT_PASSWORD, default
# client-demo-password). Warehouse: DATABASE_URL, else `socialpulse db url`.
superset: $(SS_STAMP)
	@set -e; export SUPERSET_CONFIG_PATH="$(CURDIR)/dashboards/superset_config.py" FLASK_APP=superset; \
	ss=$(SS_VENV)/bin/superset; \
	if curl -sf -o /dev/null http://127.0.0.1:$(SUPERSET_PORT)/health; then \
		echo "!! something already serves 127.0.0.1:$(SUPERSET_PORT); stop it or set SUPERSET_PORT" >&2; exit 1; fi; \
	echo "==> superset db upgrade"; $$ss db upgrade >/dev/null 2>&1; \
	$$ss fab create-admin --username "$${SUPERSET_ADMIN_USER:-admin}" \
		--password "$${SUPERSET_ADMIN_PASSWORD:-admin-demo-password}" \
		--firstname Admin --lastname Socialpulse --email admin@example.invalid 2>&1 | tail -1; \
	echo "==> superset init"; $$ss init >/dev/null 2>&1; \
	setsid $$ss run -h 127.0.0.1 -p $(SUPERSET_PORT) --with-threads & pid=$$!; \
	trap 'kill -TERM -- -$$pid 2>/dev/null; sleep 3; kill -KILL -- -$$pid 2>/dev/null; exit 0' INT TERM; \
	for i in $$(seq 60); do curl -sf http://127.0.0.1:$(SUPERSET_PORT)/health >/dev/null && break; sleep 1; done; \
	echo "==> deploying dashboards/"; \
	SUPERSET_URL=http://127.0.0.1:$(SUPERSET_PORT) $(SS_VENV)/bin/python dashboards/deploy.py; \
	echo "==> Superset at http://127.0.0.1:$(SUPERSET_PORT) (Ctrl-C stops it)"; \
	wait $$pid
