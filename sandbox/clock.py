"""The stand-ins' clock: the run's pinned as-of moment, never the wall clock when one is set.

`make test` pins AS_OF_DATE once per run; dbt reads it as the end of that day in UTC
(macros/as_of_timestamp.sql), and the sample-data generator ends its data on that date. The
stand-ins take the same moment, so the DuckDB and the PostgreSQL loads (minutes apart, maybe
either side of midnight) see identical GA4 reports and Looker content. With no AS_OF_DATE
(the demo) the clock is the wall clock, in UTC.
"""

from __future__ import annotations

import datetime as dt
import os


def as_of_moment() -> dt.datetime:
    """Naive UTC: AS_OF_DATE at 23:59:59 when set (as dbt's as_of_timestamp()), else now."""
    pinned = os.environ.get("AS_OF_DATE", "").strip()
    if not pinned:
        return dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    try:
        day = dt.date.fromisoformat(pinned)
    except ValueError:
        raise ValueError(f"AS_OF_DATE={pinned!r} is not a date (YYYY-MM-DD)") from None
    return dt.datetime.combine(day, dt.time(23, 59, 59))
