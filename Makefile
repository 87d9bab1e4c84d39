# kpi-warehouse: `make demo` and `make test` are the whole set-up (see README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
export PATH := $(BIN):$(PATH)

# One variable picks where loaders and dbt write: duckdb (default) or postgres.
TARGET ?= duckdb
export TARGET
export KPI_DUCKDB_PATH ?= warehouse.duckdb
export KPI_PG_HOST ?= 127.0.0.1
export KPI_PG_PORT ?= 5432
export KPI_PG_USER ?= kpi
export KPI_PG_PASSWORD ?= kpi
export KPI_PG_DATABASE ?= kpi
# The read-only role readers use (Grafana's datasource, Looker's connection).
export KPI_REPORTING_ROLE ?= reporting
export KPI_REPORTING_PASSWORD ?= reporting
# PostgreSQL sessions (libpq: dbt, psycopg2, dlt) in UTC whatever the host's TZ; DuckDB's
# are set in the profile and scripts/warehouse.py. Reports are UTC, "today" is the UTC date.
export PGTZ := UTC
# Grafana's provisioning files find the dashboards under this checkout (README, "Grafana").
export KPI_WAREHOUSE_DIR ?= $(CURDIR)
# The operations database the batch loader reads (the demo's is written by `make data`).
OPS_DB_URL ?= sqlite:///data/ops.sqlite
# Only the demo (KPI_SOURCES unset) reads the sample database by default: a team naming its
# own sources sets their credentials, and a missing or misspelt one is named, never
# silently replaced by demo data. A CSV export alone needs no ITSM database either.
ifeq ($(strip $(KPI_SOURCES)),)
export SOURCES__BATCH__CREDENTIALS ?= $(OPS_DB_URL)
ifeq ($(SOURCES__ITSM__INCIDENT_CSV),)
export SOURCES__ITSM__CREDENTIALS ?= $(OPS_DB_URL)
endif
export SOURCES__APPDB__CREDENTIALS ?= $(OPS_DB_URL)
endif
SEED ?= 42
# The day reports are computed for (YYYY-MM-DD). Empty: the sample data ends today and dbt
# reports as of now. `make test` pins it once for the whole run, so the DuckDB and the
# PostgreSQL builds (minutes apart, maybe either side of midnight) see the same data and the
# same moment.
AS_OF_DATE ?=
export AS_OF_DATE
# Expanded when used (=, not :=), so `make test`'s target-specific AS_OF_DATE reaches the
# recipes of its prerequisites too, not only its sub-makes.
DATA_END_ARG = $(if $(AS_OF_DATE),--end-date $(AS_OF_DATE))
DBT_VARS_ARG = $(if $(AS_OF_DATE),--vars '{as_of_date: "$(AS_OF_DATE)"}')

# Use the user's own kpi_warehouse profile when there is one, else a copy of
# profiles.example.yml as ./profiles.yml (gitignored), which a bare `dbt build` run in this
# folder also finds.
ifeq ($(origin DBT_PROFILES_DIR),undefined)
  ifeq ($(shell grep -qs '^kpi_warehouse:' $(HOME)/.dbt/profiles.yml && echo yes),yes)
    DBT_PROFILES_DIR := $(HOME)/.dbt
  else
    DBT_PROFILES_DIR := $(CURDIR)
  endif
endif
export DBT_PROFILES_DIR
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DO_NOT_TRACK := 1
DBT := $(BIN)/dbt

.PHONY: help setup settings data load build demo summary lint test pytest pg-up \
        test-duckdb test-postgres check-warehouses docs freshness clean deprecation-plan faults bench bench-smoke airflow-check test-spark

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' Makefile | awk -F':.*## ' '{printf "  %-18s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip check
	@touch $@

setup: $(VENV)/.installed $(DBT_PROFILES_DIR)/profiles.yml  ## create .venv and install the pinned set

$(CURDIR)/profiles.yml: profiles.example.yml
	cp $< $@

# Every step first checks the settings (TARGET, AS_OF_DATE, KPI_*), naming a wrong one
# before anything starts, and warns about unknown KPI_* variables (loaders/settings.py).
settings: setup
	@$(BIN)/python -m loaders.settings

data: settings  ## generate the deterministic sample operations database (data/ops.sqlite)
	$(BIN)/python -m scripts.generate_sample_data --url "$(OPS_DB_URL)" --seed $(SEED) $(DATA_END_ARG)

# LOAD_SANDBOX=1 (default) starts a local Prometheus and the GA4 stand-in for the loaders;
# set LOAD_SANDBOX=0 when SOURCES__PROMETHEUS__BASE_URL / sources.ga4 point at real ones.
LOAD_SANDBOX ?= 1
load: settings  ## run every loader into TARGET (python -m loaders [SOURCE ...])
ifeq ($(LOAD_SANDBOX),1)
	$(BIN)/python -m sandbox.services --sources "$(SOURCES)" -- $(BIN)/python -m loaders $(SOURCES)
else
	$(BIN)/python -m loaders $(SOURCES)
endif

# dbt builds and tests in analytics_build; only a build with no failure is copied to
# analytics, the schema readers see (scripts/publish.py).
build: settings  ## dbt build (seeds, models, unit and data tests) on TARGET, then publish
	$(BIN)/python -m scripts.publish $(DBT_VARS_ARG)

summary: settings  ## print where the results are and what they say
	$(BIN)/python -m scripts.warehouse_summary

# The sample data is regenerated from scratch (dates end today), so the demo's DuckDB
# warehouse and its loader state start afresh too: an incremental cursor from an older demo
# would skip rows that moved.
demo: setup  ## install, make sample data, load, build on DuckDB, show results
	KPI_SOURCES= $(MAKE) data TARGET=duckdb
	rm -f $(KPI_DUCKDB_PATH) && rm -rf .state/pipelines/kpi_batch_duckdb
	KPI_SOURCES= $(MAKE) load build summary deprecation-plan TARGET=duckdb  # all six sources

lint: setup  ## sqlfluff (dbt templater) and ruff: zero violations
	@mkdir -p target
	KPI_DUCKDB_PATH=target/sqlfluff.duckdb $(BIN)/sqlfluff lint models tests/dbt  # never locks the warehouse
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

pytest: setup pg-up  ## Python tests (loaders against real PostgreSQL)
	$(BIN)/python -m pytest tests --ignore=tests/warehouse --ignore=tests/spark

faults: setup pg-up  ## only the fault and bad-input suite, with its summary table (also in make test)
	$(BIN)/python -m pytest -m fault tests --ignore=tests/warehouse --ignore=tests/spark

pg-up:  ## start local PostgreSQL 15 and create role and databases (idempotent)
	bash scripts/pg_up.sh

test-duckdb: setup
	rm -f $(KPI_DUCKDB_PATH) && rm -rf .state/pipelines
	$(MAKE) data load build TARGET=duckdb

test-postgres: setup
	KPI_PG_RESET=1 bash scripts/pg_up.sh
	rm -rf .state/pipelines
	$(MAKE) data load build TARGET=postgres \
	    OPS_DB_URL="postgresql://$(KPI_PG_USER):$(KPI_PG_PASSWORD)@$(KPI_PG_HOST):$(KPI_PG_PORT)/kpi_ops"

check-warehouses: setup  ## after both builds: marts vs manifest, Grafana panels, LookML, roles, publish gate
	$(BIN)/python -m pytest tests/warehouse

# The benchmark (not part of make test's verdict on speed): report in bench/report.md.
BENCH_SCALE ?= 1.0
bench: setup pg-up  ## loaders, dbt and incremental runs against the machine's limits (BENCH_SCALE=1.0)
	$(BIN)/python -m bench.run --scale $(BENCH_SCALE)

# CI runs the benchmark at 1 % size only to prove it still works; its figures are not judged.
bench-smoke: setup pg-up
	$(BIN)/python -m bench.run --scale 0.01 --report .bench/report-smoke.md

# Airflow lives in its own virtualenv, so its pins never constrain the project's.
AIRFLOW_VENV := .venv-airflow
$(AIRFLOW_VENV)/.installed: orchestration/airflow/requirements.txt
	@test -x $(AIRFLOW_VENV)/bin/python || /usr/bin/python3 -m venv $(AIRFLOW_VENV)
	$(AIRFLOW_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r $<
	@touch $@

airflow-check: $(AIRFLOW_VENV)/.installed  ## import the Airflow DAG in its own venv and check its task graph
	AIRFLOW_HOME=$(CURDIR)/.state/airflow AIRFLOW__CORE__LOAD_EXAMPLES=False \
	    $(AIRFLOW_VENV)/bin/python orchestration/airflow/check_dag.py

# Spark: the same loaders land parquet (dlt filesystem destination) and the same dbt project
# builds through dbt-spark in local mode; the marts are compared with the DuckDB build of
# the same data (run test-duckdb first). dbt-spark and pyspark install on top of .venv.
export KPI_LAKE_URL ?= $(CURDIR)/.lake
$(VENV)/.spark-installed: requirements-spark.txt $(VENV)/.installed
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-spark.txt
	@touch $@

test-spark: setup  ## loaders -> parquet -> dbt build on Spark, marts compared with the DuckDB build
	@if ! command -v java >/dev/null; then \
	    echo "test-spark: SKIPPED: Java is missing (apt-get install -y openjdk-17-jre-headless)"; \
	else \
	    $(MAKE) $(VENV)/.spark-installed && \
	    rm -rf $(KPI_LAKE_URL) metastore_db spark-warehouse .state/pipelines/*_spark && \
	    $(MAKE) data load TARGET=spark && \
	    $(DBT) build --target spark $(DBT_VARS_ARG) && \
	    $(BIN)/python -m pytest tests/spark; \
	fi

# Sub-makes inherit the exported AS_OF_DATE, fixed here once per `make test`.
test: AS_OF_DATE := $(or $(AS_OF_DATE),$(shell date -u +%F))
test: lint pytest test-duckdb test-postgres check-warehouses test-spark airflow-check bench-smoke  ## everything CI runs

deprecation-plan: settings  ## dry run of the Looker deprecation job, and models only stale content uses
	$(BIN)/python -m scripts.deprecate_looker_content || test $$? -eq 1
	$(BIN)/python -m scripts.stale_model_report || test $$? -eq 1

docs: settings  ## build the dbt docs site into target/
	$(DBT) docs generate --target $(TARGET)

freshness: settings  ## dbt source freshness on TARGET
	$(DBT) source freshness --target $(TARGET)

clean:  ## remove built artefacts (not .venv)
	rm -rf target logs .state data $(KPI_DUCKDB_PATH)
