"""Scale data for the benchmark, from the sample generator's realistic rows.

- Operations database (SQLite): the sample generator's data, then its clients and batch runs
  and its ITSM tickets copied with new ids until there are `runs` batch runs and `events`
  ticket updates (every copy obeys the same rules, so the marts treat them like real rows).
- Prometheus: `samples` points of `bench_up{instance=...}` at a 5-minute step covering the
  year before `end`, written as OpenMetrics and backfilled with promtool into a TSDB.
- Looker access history: `history` rows, made in the bench warehouse by copying the history
  the Looker stand-in served (raw_looker.history) with new ids (see bench/run.py).
"""

from __future__ import annotations

import datetime as dt
import math
import subprocess
from pathlib import Path

import sqlalchemy as sa

from scripts.generate_sample_data import generate

STEP_SECONDS = 300
YEAR_POINTS = 365 * 24 * 3600 // STEP_SECONDS  # 105,120 points per series


def operations_database(path: Path, runs: int, events: int, end: dt.date) -> str:
    """An SQLite operations database with at least `runs` batch runs and `events` updates."""
    path.unlink(missing_ok=True)
    url = f"sqlite:///{path}"
    generate(url, path.with_suffix(".manifest.json"), seed=42, end_date=end)
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        base_runs = conn.execute(sa.text("select count(*) from batch_runs")).scalar_one()
        base_events = conn.execute(sa.text("select count(*) from incident")).scalar_one()
        for copy in range(1, math.ceil(runs / base_runs)):
            conn.execute(
                sa.text(
                    "insert into clients select client_id || :s, client_name || :s, "
                    "instance_size, avg_daily_sales, first_run_date, created_at, updated_at "
                    "from clients where client_id not like '%~%'"
                ),
                {"s": f"~{copy}"},
            )
            conn.execute(
                sa.text(
                    "insert into batch_runs select run_id || :s, client_id || :s, run_date, "
                    "started_at, ended_at, status, instance_size, daily_sales, updated_at "
                    "from batch_runs where run_id not like '%~%' and client_id is not null"
                ),
                {"s": f"~{copy}"},
            )
        columns = [c["name"] for c in sa.inspect(conn).get_columns("incident")]
        renamed = ", ".join("number || :s" if c == "number" else c for c in columns)
        for copy in range(1, math.ceil(events / base_events)):
            conn.execute(
                sa.text(
                    f"insert into incident select {renamed} from incident "
                    "where number not like '%~%' and number not like 'INCBAD%'"
                ),
                {"s": f"~{copy}"},
            )
    engine.dispose()
    return url


def prometheus_tsdb(data_dir: Path, samples: int, end: dt.datetime) -> int:
    """Backfill `samples` points (rounded to whole series of a year) into data_dir/tsdb."""
    series = max(1, round(samples / YEAR_POINTS))
    points = min(YEAR_POINTS, samples // series)
    stop = int(end.timestamp()) // STEP_SECONDS * STEP_SECONDS
    start = stop - (points - 1) * STEP_SECONDS
    text = data_dir / "bench_up.om"
    data_dir.mkdir(parents=True, exist_ok=True)
    with text.open("w") as out:
        out.write("# TYPE bench_up gauge\n")
        for t in range(start, stop + 1, STEP_SECONDS):
            for i in range(series):
                up = 0 if (t // STEP_SECONDS + i) % 997 == 0 else 1
                out.write(f'bench_up{{instance="i-{i:03d}",job="bench"}} {up} {t}\n')
        out.write("# EOF\n")
    subprocess.run(
        [  # month-long blocks: the default 2 h makes ~4,400 blocks for a year, very slowly
            "promtool",
            "tsdb",
            "create-blocks-from",
            "openmetrics",
            "--max-block-duration=744h",
            str(text),
            str(data_dir / "tsdb"),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    text.unlink()
    return series * points
