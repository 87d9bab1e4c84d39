#!/usr/bin/env bash
# Start the local PostgreSQL 15 cluster and create the warehouse role and databases.
# Idempotent: safe when the server already runs and the role/databases already exist.
# KPI_PG_RESET=1 (make test-postgres only) drops and recreates the two databases.
set -euo pipefail
user="${KPI_PG_USER:-kpi}" password="${KPI_PG_PASSWORD:-kpi}"
reader="${KPI_REPORTING_ROLE:-reporting}" reader_password="${KPI_REPORTING_PASSWORD:-reporting}"
database="${KPI_PG_DATABASE:-kpi}" host="${KPI_PG_HOST:-127.0.0.1}"
case "$host" in 127.0.0.1 | localhost | /*) ;; *)
  echo "pg_up: KPI_PG_HOST=$host is not local; not starting a server"; exit 0 ;;
esac
if ! command -v pg_ctlcluster >/dev/null || ! pg_lsclusters 2>/dev/null | grep -q '^15 \+main'; then
  echo "pg_up: installing PostgreSQL 15"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null
fi
if ! pg_lsclusters | grep -q '^15 \+main .* online'; then
  pg_ctlcluster 15 main start
fi
for _ in $(seq 1 30); do pg_isready -q -h /var/run/postgresql && break; sleep 1; done
pg_isready -h /var/run/postgresql
as_postgres() { su postgres -c "psql -v ON_ERROR_STOP=1 -qAt $*"; }
as_postgres "-c \"do \\\$\\\$ begin
  if not exists (select from pg_roles where rolname = '$user') then
    create role \\\"$user\\\" login createdb;
  end if;
end \\\$\\\$;\""
as_postgres "-c \"alter role \\\"$user\\\" with login password '$password'\""
# Every session of the warehouse's roles runs in UTC, whatever the server's time zone.
as_postgres "-c \"alter role \\\"$user\\\" set timezone to 'UTC'\""
for db in "$database" kpi_ops; do
  if [ "${KPI_PG_RESET:-0}" = 1 ]; then  # tests only: start from empty databases
    su postgres -c "dropdb --if-exists --force '$db'"
  fi
  if [ -z "$(as_postgres "-c \"select 1 from pg_database where datname = '$db'\"")" ]; then
    su postgres -c "createdb -O '$user' '$db'"
  fi
done
# The readers' role (Grafana, Looker): it may connect to the warehouse database only; the
# publish step (scripts/publish.py) grants it SELECT on schema analytics and nothing else.
as_postgres "-c \"do \\\$\\\$ begin
  if not exists (select from pg_roles where rolname = '$reader') then
    create role \\\"$reader\\\" login nosuperuser nocreatedb nocreaterole noinherit;
  end if;
end \\\$\\\$;\""
as_postgres "-c \"alter role \\\"$reader\\\" with login password '$reader_password'\""
as_postgres "-c \"alter role \\\"$reader\\\" set timezone to 'UTC'\""
for db in "$database" kpi_ops; do
  as_postgres "-d '$db' -c \"revoke all on database \\\"$db\\\" from public\""
  as_postgres "-d '$db' -c \"revoke create on schema public from public\""
done
as_postgres "-c \"grant connect on database \\\"$database\\\" to \\\"$reader\\\"\""
echo "pg_up: PostgreSQL 15 is up; role $user owns databases $database and kpi_ops"
