"""Shared fixtures: a throw-away database on the real local PostgreSQL (make pg-up)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import psycopg2
import pytest

from loaders.targets import postgres_url


def _admin_connection(dbname: str):
    url = postgres_url().rsplit("/", 1)[0] + f"/{dbname}"
    conn = psycopg2.connect(url)
    conn.autocommit = True
    return conn


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
        with admin.cursor() as cur:
            cur.execute(f'drop database if exists "{name}" with (force)')
        admin.close()
