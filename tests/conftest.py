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


def _drop(name: str) -> None:
    """Drop a test database. FORCE ends our own idle pooled connections at once; an
    autovacuum worker (which a non-superuser may not end) is waited out briefly. Each try
    connects afresh: a test may have restarted the server."""
    for _ in range(80):
        try:
            admin = _admin_connection("postgres")
            try:
                with admin.cursor() as cur:
                    cur.execute(f'drop database if exists "{name}" with (force)')
                return
            finally:
                admin.close()
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
    admin.close()
    try:
        yield postgres_url().rsplit("/", 1)[0] + f"/{name}"
    finally:
        _drop(name)


# The fault and bad-input suite: tests marked `fault(kind, tried, survives)` are listed, with
# their outcome, in a table at the end of every pytest run (`make faults` runs only them).
FAULT_KINDS = ("rerun", "kill", "outage", "bad input")


def pytest_configure(config):
    config.stash[_FAULTS] = {}


def pytest_collection_modifyitems(config, items):
    for item in items:
        marker = item.get_closest_marker("fault")
        if marker:
            kind, tried, survives = marker.args
            if hasattr(item, "callspec"):  # one row per case: "{kind}" from its parameters
                tried, survives = (t.format(**item.callspec.params) for t in (tried, survives))
            if kind not in FAULT_KINDS:
                raise pytest.UsageError(f"{item.nodeid}: fault kind {kind!r} not in {FAULT_KINDS}")
            config.stash[_FAULTS][item.nodeid] = [kind, tried, survives, "not run"]


def pytest_runtest_logreport(report):
    faults = _CONFIG[0].stash[_FAULTS] if _CONFIG else {}
    if report.nodeid in faults and (report.when == "call" or report.outcome != "passed"):
        faults[report.nodeid][3] = "survived" if report.outcome == "passed" else report.outcome


def pytest_sessionstart(session):
    _CONFIG[:] = [session.config]


def pytest_terminal_summary(terminalreporter, config):
    faults = config.stash[_FAULTS]
    if not faults:
        return
    write = terminalreporter.write_line
    terminalreporter.section("faults and bad input: what was tried and what survived")
    for kind, tried, survives, outcome in sorted(faults.values()):
        write(f"{kind:<10} {outcome:<9} {tried}: {survives}")
    survived = sum(f[3] == "survived" for f in faults.values())
    write(f"{survived} of {len(faults)} survived")


_FAULTS = pytest.StashKey[dict]()
_CONFIG: list = []
