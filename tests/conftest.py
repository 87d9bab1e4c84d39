"""Shared fixtures: a throw-away database on the real local PostgreSQL (make pg-up)."""

from __future__ import annotations

import os
import time
import uuid
import warnings
from collections.abc import Iterator

import psycopg2
import pytest

from loaders.targets import postgres_url


def _admin_connection(dbname: str):
    url = postgres_url().rsplit("/", 1)[0] + f"/{dbname}"
    conn = psycopg2.connect(url)
    conn.autocommit = True
    return conn


@pytest.fixture(autouse=True)
def no_inherited_loader_settings(monkeypatch):
    """Tests set the loader settings they mean; none leak in from the caller (make exports
    the demo's SOURCES__* defaults)."""
    for name in list(os.environ):
        if name.startswith(("SOURCES__", "DESTINATION__")):
            monkeypatch.delenv(name)


def _drop(admin, name: str) -> None:
    """Drop a test database. FORCE ends our own idle pooled connections at once; an
    autovacuum worker (which a non-superuser may not end) is waited out briefly."""
    for _ in range(40):
        try:
            with admin.cursor() as cur:
                cur.execute(f'drop database if exists "{name}" with (force)')
            return
        except psycopg2.Error:
            time.sleep(0.25)
    warnings.warn(f"could not drop test database {name}", stacklevel=2)


@pytest.fixture
def pg_database() -> Iterator[str]:
    """SQLAlchemy URL of a fresh PostgreSQL database, dropped after the test."""
    name = f"kpi_test_{uuid.uuid4().hex[:10]}"
    try:
        admin = _admin_connection("postgres")
    except psycopg2.OperationalError as exc:
        pytest.fail(f"PostgreSQL is not reachable ({exc}); run `make pg-up` first")
    with admin.cursor() as cur:
        cur.execute(f'create database "{name}"')
    try:
        yield postgres_url().rsplit("/", 1)[0] + f"/{name}"
    finally:
        _drop(admin, name)
        admin.close()
