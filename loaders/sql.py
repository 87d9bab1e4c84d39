"""What every loader that reads a SQL database shares."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from dlt.common.configuration.specs import ConnectionStringCredentials


def engine_for(
    credentials: ConnectionStringCredentials | str, setting: str, tables: Sequence[str]
) -> sa.Engine:
    """An engine for a source database that has `tables`; errors name `setting`."""
    url = credentials if isinstance(credentials, str) else credentials.to_native_representation()
    try:
        engine = sa.create_engine(url)
    except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError) as exc:
        raise ValueError(f"{setting} is not a usable SQLAlchemy URL ({exc})") from exc
    try:
        with engine.connect() as conn:
            missing = [t for t in tables if not sa.inspect(conn).has_table(t)]
    except sa.exc.OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0]
        raise ValueError(f"{setting}: cannot connect to {engine.url!r}: {reason}") from exc
    if missing:
        raise ValueError(
            f"{setting} points at {engine.url!r}, which has no table(s) {', '.join(missing)}"
        )
    return engine
