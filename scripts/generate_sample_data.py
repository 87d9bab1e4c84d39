"""Generate a realistic, deterministic operations database for the demo and the tests.

Batch domain: ~100 clients, one nightly batch run per client and day. Each client's run
duration grows over time by its own function (linear, logarithmic, square-root or stepwise),
with weekday seasonality and bounded noise. The generator plants what the marts must find:

- duration outliers (successful runs several times longer than usual),
- stale clients (their runs stop a few days before the end date),
- bad rows (null client, end before start, absurd duration, duplicate run id, unknown status),

and writes a JSON manifest of everything it planted, so tests can check the marts flag exactly
those. Same seed and end date -> byte-identical data.

    python -m scripts.generate_sample_data --url sqlite:///data/ops.sqlite
    python -m scripts.generate_sample_data --url postgresql://kpi:kpi@127.0.0.1/kpi_ops
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import random
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from scripts.sample_itsm import INCIDENT, make_itsm, write_servicenow_csv

INSTANCE_SIZES = (
    "t3.medium",
    "t3.large",
    "t3.xlarge",
    "m5.large",
    "m5.xlarge",
    "m5.2xlarge",
    "m5.4xlarge",
)
NAME_FIRST = (
    "Acme", "Northwind", "Blue Harbor", "Summit", "Ironclad", "Silverline", "Redwood",
    "Brightpath", "Cobalt", "Evergreen", "Falcon", "Granite", "Horizon", "Keystone",
    "Lakeside", "Meridian", "Nimbus", "Oakridge", "Pinnacle", "Quantum", "Riverstone",
    "Sterling", "Tidewater", "Vantage", "Westbrook", "Zenith", "Crescent", "Driftwood",
    "Lumen", "Orchard",
)  # fmt: skip
NAME_SECOND = (
    "Logistics", "Retail", "Pharma", "Foods", "Analytics", "Energy", "Motors", "Health",
    "Insurance", "Textiles", "Media", "Travel", "Robotics", "Finance", "Outfitters",
)  # fmt: skip
NAME_SUFFIX = ("Inc.", "Ltd", "GmbH", "SA", "LLC", "Group", "Co.")
GROWTH_KINDS = ("linear", "logarithmic", "square_root", "stepwise")

# Bounds that keep ordinary runs well inside the outlier rule's defaults (z >= 3.5 on a
# MAD floored at 0.05 log units, i.e. about +30 %); planted outliers are 3-6x longer.
NOISE_LIMIT = 0.05  # |log noise| never exceeds this
WEEKDAY_FACTOR = {0: 1.05, 1: 1.0, 2: 1.0, 3: 1.0, 4: 1.02, 5: 0.93, 6: 0.93}
OUTLIER_FACTORS = (3.0, 6.0)
FAILED_RUN_SHARE = 0.015
MIN_HISTORY_BEFORE_OUTLIER = 40  # runs before a planted outlier (rule needs >= 7)


@dataclass(frozen=True)
class Client:
    client_id: str
    client_name: str
    instance_size: str
    avg_daily_sales: float
    first_run_date: dt.date
    growth_kind: str
    base_minutes: float
    growth_rate: float
    runs_on_weekends: bool
    last_run_date: dt.date  # end date, or earlier for a planted stale client
    created_at: dt.datetime


def growth(kind: str, rate: float) -> Callable[[int], float]:
    """Duration multiplier after `age_days` days, by the client's growth function."""
    if kind == "linear":
        return lambda age_days: 1 + rate * age_days / 365
    if kind == "logarithmic":
        return lambda age_days: 1 + rate * math.log1p(age_days / 30)
    if kind == "square_root":
        return lambda age_days: 1 + rate * math.sqrt(age_days / 365)
    if kind == "stepwise":  # +6 % every 90 days: a step stays under the outlier rule
        return lambda age_days: 1.06 ** (age_days // 90)
    raise ValueError(f"unknown growth kind {kind!r}")


def make_clients(
    rng: random.Random, count: int, end_date: dt.date, stale_count: int
) -> list[Client]:
    names: set[str] = set()
    while len(names) < count:
        names.add(f"{rng.choice(NAME_FIRST)} {rng.choice(NAME_SECOND)} {rng.choice(NAME_SUFFIX)}")
    stale_ids = set(rng.sample(range(count), stale_count))
    clients = []
    for i, name in enumerate(sorted(names)):
        size_index = rng.randrange(len(INSTANCE_SIZES))
        first_run = end_date - dt.timedelta(days=rng.randint(90, 720))
        if i == count - 1:  # one brand-new client: too little history to judge
            first_run = end_date - dt.timedelta(days=4)
        last_run = end_date
        if i in stale_ids:
            last_run = end_date - dt.timedelta(days=rng.randint(5, 25))
        clients.append(
            Client(
                client_id=f"C{i + 1:04d}",
                client_name=name,
                instance_size=INSTANCE_SIZES[size_index],
                avg_daily_sales=round(rng.lognormvariate(9.5, 0.8), 2),
                first_run_date=first_run,
                growth_kind=GROWTH_KINDS[i % len(GROWTH_KINDS)],
                base_minutes=round(rng.uniform(6, 90) / (1 + size_index * 0.15), 2),
                growth_rate=rng.uniform(0.1, 0.6),
                runs_on_weekends=rng.random() > 0.1,
                last_run_date=last_run,
                created_at=dt.datetime.combine(first_run, dt.time(9, 0)) - dt.timedelta(days=7),
            )
        )
    return clients


def make_runs(
    rng: random.Random, clients: Sequence[Client], outlier_count: int
) -> tuple[list[dict], list[str]]:
    runs: list[dict] = []
    candidates: list[int] = []  # indexes of runs that may become planted outliers
    seq = 0
    for client in clients:
        grow = growth(client.growth_kind, client.growth_rate)
        day, history = client.first_run_date, 0
        while day <= client.last_run_date:
            if not client.runs_on_weekends and day.weekday() >= 5:
                day += dt.timedelta(days=1)
                continue
            seq += 1
            age = (day - client.first_run_date).days
            noise = max(-NOISE_LIMIT, min(NOISE_LIMIT, rng.gauss(0, NOISE_LIMIT / 2)))
            minutes = (
                client.base_minutes * grow(age) * WEEKDAY_FACTOR[day.weekday()] * math.exp(noise)
            )
            status = "success"
            if rng.random() < FAILED_RUN_SHARE:
                status, minutes = "failed", minutes * rng.uniform(0.1, 0.8)
            elif history >= MIN_HISTORY_BEFORE_OUTLIER:
                candidates.append(len(runs))
            started = dt.datetime.combine(day, dt.time(1, 0)) + dt.timedelta(
                minutes=rng.randint(0, 90)
            )
            runs.append(
                {
                    "run_id": f"R{seq:07d}",
                    "client_id": client.client_id,
                    "run_date": day,
                    "started_at": started,
                    "ended_at": started + dt.timedelta(minutes=minutes),
                    "status": status,
                    "instance_size": client.instance_size,
                    "daily_sales": round(client.avg_daily_sales * rng.uniform(0.7, 1.3), 2),
                }
            )
            history += 1
            day += dt.timedelta(days=1)
    outliers = []
    for index in sorted(rng.sample(candidates, outlier_count)):
        run = runs[index]
        factor = rng.uniform(*OUTLIER_FACTORS)
        minutes = max((run["ended_at"] - run["started_at"]).total_seconds() / 60 * factor, 20.0)
        run["ended_at"] = run["started_at"] + dt.timedelta(minutes=minutes)
        outliers.append(run["run_id"])
    for run in runs:
        run["ended_at"] = run["ended_at"].replace(microsecond=0)
        run["updated_at"] = run["ended_at"] + dt.timedelta(seconds=5)
    return runs, outliers


def plant_bad_rows(
    rng: random.Random, runs: list[dict], end_date: dt.date, keep: set[str]
) -> list[dict]:
    """Append one row per kind of bad input; return [{run_id, reason}] for the manifest."""
    template = runs[rng.randrange(len(runs) // 2)]
    start = dt.datetime.combine(end_date - dt.timedelta(days=3), dt.time(2, 0))

    def bad(run_id: str, **changes: object) -> dict:
        row = {
            **template,
            "run_id": run_id,
            "run_date": start.date(),
            "started_at": start,
            "ended_at": start + dt.timedelta(minutes=30),
            "updated_at": start + dt.timedelta(minutes=31),
            **changes,
        }
        runs.append(row)
        return row

    bad("X0000001", client_id=None)
    bad("X0000002", ended_at=start - dt.timedelta(minutes=20))
    bad("X0000003", ended_at=start + dt.timedelta(days=40))
    bad("X0000004", status="exploded")
    ordinary = [r for r in runs[: len(runs) // 2] if r["run_id"] not in keep]
    duplicate = dict(rng.choice(ordinary))
    duplicate["updated_at"] += dt.timedelta(seconds=1)
    runs.append(duplicate)
    return [
        {"run_id": "X0000001", "reason": "null_client_id"},
        {"run_id": "X0000002", "reason": "ended_before_started"},
        {"run_id": "X0000003", "reason": "absurd_duration"},
        {"run_id": "X0000004", "reason": "unknown_status"},
        {"run_id": duplicate["run_id"], "reason": "duplicate_run_id"},
    ]


BATCH_METADATA = sa.MetaData()
CLIENTS = sa.Table(
    "clients",
    BATCH_METADATA,
    sa.Column("client_id", sa.String(16), primary_key=True),
    sa.Column("client_name", sa.String(200), nullable=False),
    sa.Column("instance_size", sa.String(32)),
    sa.Column("avg_daily_sales", sa.Numeric(14, 2)),
    sa.Column("first_run_date", sa.Date),
    sa.Column("created_at", sa.DateTime),
    sa.Column("updated_at", sa.DateTime, nullable=False),
)
# Like many scheduler log tables, batch_runs enforces no key: the warehouse must cope with
# what such a table can hold (duplicates, nulls, impossible times).
BATCH_RUNS = sa.Table(
    "batch_runs",
    BATCH_METADATA,
    sa.Column("run_id", sa.String(16)),
    sa.Column("client_id", sa.String(16)),
    sa.Column("run_date", sa.Date),
    sa.Column("started_at", sa.DateTime),
    sa.Column("ended_at", sa.DateTime),
    sa.Column("status", sa.String(16)),
    sa.Column("instance_size", sa.String(32)),
    sa.Column("daily_sales", sa.Numeric(14, 2)),
    sa.Column("updated_at", sa.DateTime, nullable=False),
)


APP_METADATA = sa.MetaData()
APP_USERS = sa.Table(
    "users",
    APP_METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("email", sa.String(200), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
)
APP_PROFILES = sa.Table(
    "profiles",
    APP_METADATA,
    sa.Column("user_id", sa.Integer, primary_key=True),
    sa.Column("display_name", sa.String(200)),
)
APP_API_KEYS = sa.Table(
    "api_keys",
    APP_METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("user_id", sa.Integer, nullable=False),
)


def make_app_tables(rng: random.Random, end_date: dt.date, users: int) -> dict:
    """The application's own tables, whose row counts the appdb loader reads."""
    start = dt.datetime.combine(end_date - dt.timedelta(days=365), dt.time(0))
    user_rows = [
        {
            "id": i,
            "email": f"user{i}@example.com",
            "created_at": start + dt.timedelta(minutes=rng.randint(0, 365 * 24 * 60)),
        }
        for i in range(1, users + 1)
    ]
    profiles = [
        {"user_id": u["id"], "display_name": f"User {u['id']}"}
        for u in user_rows
        if rng.random() < 0.8
    ]
    keys = [
        {"id": n, "user_id": u["id"]}
        for n, u in enumerate((u for u in user_rows if rng.random() < 0.3), start=1)
    ]
    return {APP_USERS: user_rows, APP_PROFILES: profiles, APP_API_KEYS: keys}


def client_row(client: Client) -> dict:
    return {
        "client_id": client.client_id,
        "client_name": client.client_name,
        "instance_size": client.instance_size,
        "avg_daily_sales": client.avg_daily_sales,
        "first_run_date": client.first_run_date,
        "created_at": client.created_at,
        "updated_at": client.created_at,
    }


def write_tables(url: str, tables: dict[sa.Table, Sequence[dict]]) -> None:
    """(Re)create these tables and fill them; the same DDL on SQLite and PostgreSQL."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        for table in tables:
            table.drop(conn, checkfirst=True)
            table.create(conn)
            if tables[table]:
                conn.execute(table.insert(), list(tables[table]))
    engine.dispose()


def generate(
    url: str,
    manifest_path: Path,
    seed: int = 42,
    end_date: dt.date | None = None,
    clients: int = 100,
    outliers: int = 12,
    stale: int = 6,
    tickets: int = 2500,
    itsm_csv: Path | None = None,
) -> dict:
    end_date = end_date or dt.datetime.now(dt.UTC).date()
    rng = random.Random(seed)
    client_rows = make_clients(rng, clients, end_date, stale)
    runs, outlier_ids = make_runs(rng, client_rows, outliers)
    rejected = plant_bad_rows(rng, runs, end_date, set(outlier_ids))
    itsm_tables, itsm_manifest = make_itsm(random.Random(seed + 1), end_date, tickets)
    app_tables = make_app_tables(random.Random(seed + 2), end_date, users=5000)
    write_tables(
        url,
        {
            CLIENTS: [client_row(c) for c in client_rows],
            BATCH_RUNS: runs,
            **itsm_tables,
            **app_tables,
        },
    )
    if itsm_csv is not None:
        write_servicenow_csv(itsm_csv, itsm_tables[INCIDENT])
    manifest = {
        "seed": seed,
        "end_date": end_date.isoformat(),
        "clients": len(client_rows),
        "batch_runs": len(runs),
        "failed_runs": sum(r["status"] == "failed" for r in runs),
        "outlier_run_ids": outlier_ids,
        "stale_client_ids": sorted(c.client_id for c in client_rows if c.last_run_date < end_date),
        "weekday_only_client_ids": sorted(
            c.client_id for c in client_rows if not c.runs_on_weekends
        ),
        "rejected_runs": rejected,
        **itsm_manifest,
        "app_row_counts": {table.name: len(rows) for table, rows in app_tables.items()},
    }
    manifest_path.parent.mkdir(parents=True, exist_ok=True)
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="sqlite:///data/ops.sqlite", help="SQLAlchemy URL")
    parser.add_argument("--manifest", type=Path, default=Path("data/manifest.json"))
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--end-date", type=dt.date.fromisoformat, default=None, help="default: today (UTC)"
    )
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--tickets", type=int, default=2500, help="ITSM tickets")
    parser.add_argument(
        "--itsm-csv",
        type=Path,
        default=Path("data/itsm_incident_export.csv"),
        help="also write the incident table as a ServiceNow CSV export here",
    )
    args = parser.parse_args(argv)
    if args.clients < 10:
        print("--clients must be at least 10", file=sys.stderr)
        return 2
    try:
        manifest = generate(
            args.url,
            args.manifest,
            args.seed,
            args.end_date,
            args.clients,
            tickets=args.tickets,
            itsm_csv=args.itsm_csv,
        )
    except sa.exc.SQLAlchemyError as exc:
        print(f"could not write the operations database {args.url!r}: {exc}", file=sys.stderr)
        return 2
    print(
        f"wrote {manifest['clients']} clients, {manifest['batch_runs']} batch runs and "
        f"{manifest['itsm_events']} ITSM events ({manifest['itsm_tickets']} tickets) "
        f"to {args.url}; manifest {args.manifest}; ITSM CSV export {args.itsm_csv}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
