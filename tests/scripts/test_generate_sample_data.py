import datetime as dt
import json

import sqlalchemy as sa

from scripts.generate_sample_data import generate, main

END = dt.date(2026, 3, 31)


def table_rows(url: str, table: str) -> list[tuple]:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        result = conn.execute(sa.text(f"select * from {table} order by 1, updated_at"))
        return [tuple(r) for r in result]


def test_same_seed_same_data_and_another_seed_differs(tmp_path):
    urls = [f"sqlite:///{tmp_path}/ops{i}.sqlite" for i in range(3)]
    for url, seed in zip(urls, (7, 7, 8), strict=True):
        generate(url, tmp_path / f"{seed}.json", seed=seed, end_date=END, clients=20)
    assert table_rows(urls[0], "batch_runs") == table_rows(urls[1], "batch_runs")
    assert table_rows(urls[0], "clients") == table_rows(urls[1], "clients")
    assert table_rows(urls[0], "batch_runs") != table_rows(urls[2], "batch_runs")


def test_manifest_describes_what_was_planted(tmp_path):
    url = f"sqlite:///{tmp_path}/ops.sqlite"
    manifest = generate(url, tmp_path / "m.json", seed=3, end_date=END, clients=30)
    assert json.loads((tmp_path / "m.json").read_text()) == manifest
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        last_runs = dict(
            conn.execute(
                sa.text(
                    "select client_id, max(run_date) from batch_runs "
                    "where run_id like 'R%' group by client_id"
                )
            ).all()
        )
        outliers = conn.execute(
            sa.text(
                "select status from batch_runs where run_id in "
                f"({','.join(repr(r) for r in manifest['outlier_run_ids'])})"
            )
        ).all()
        names = conn.execute(sa.text("select client_name from clients")).scalars().all()
    stale = {c for c, last in last_runs.items() if str(last) < END.isoformat()}
    assert stale == set(manifest["stale_client_ids"]) and stale
    assert [s for (s,) in outliers] == ["success"] * len(manifest["outlier_run_ids"])
    assert len(set(names)) == 30
    reasons = {r["reason"] for r in manifest["rejected_runs"]}
    assert reasons == {
        "null_client_id",
        "ended_before_started",
        "absurd_duration",
        "unknown_status",
        "duplicate_run_id",
    }
    assert manifest["failed_runs"] > 0


def test_durations_grow_over_time_for_each_client(tmp_path):
    url = f"sqlite:///{tmp_path}/ops.sqlite"
    generate(url, tmp_path / "m.json", seed=5, end_date=END, clients=12)
    engine = sa.create_engine(url)
    query = sa.text(
        "select client_id, started_at, ended_at from batch_runs "
        "where status = 'success' and run_id like 'R%' order by client_id, run_date"
    )
    by_client: dict[str, list[float]] = {}
    with engine.connect() as conn:
        for client, start, end in conn.execute(query):
            start, end = (dt.datetime.fromisoformat(str(v)) for v in (start, end))
            by_client.setdefault(client, []).append((end - start).total_seconds())
    grown = [sorted(d[-20:])[10] > sorted(d[:20])[10] for d in by_client.values() if len(d) > 120]
    assert grown and all(grown)


def test_cli_rejects_too_few_clients(tmp_path, capsys):
    assert main(["--url", f"sqlite:///{tmp_path}/x.sqlite", "--clients", "3"]) == 2
    assert "--clients" in capsys.readouterr().err
