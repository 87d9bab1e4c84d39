"""The deprecation job against the Looker and Slack stand-ins (both spec-checked)."""

from __future__ import annotations

import datetime as dt
import json

import duckdb
import pytest

from sandbox.looker_server import LookerServer, LookerStandIn
from sandbox.slack_server import SlackServer, SlackStandIn
from scripts.deprecate_looker_content import main

TODAY = dt.datetime.now(dt.UTC).date()


@pytest.fixture
def looker():
    stand_in = LookerStandIn(generate=False)
    owner = stand_in.add_user("owner@example.com")
    gone = stand_in.add_user("left.company@example.com", disabled=True)
    old = stand_in.now - dt.timedelta(days=400)
    for title, who in (
        ("warn me", owner),
        ("warn gone", gone),
        ("stale", owner),
        ("used again", owner),
        ("hard", owner),
    ):
        stand_in.add_content("dashboard", title, who, old)
    stand_in.add_content("look", "old look", owner, old)
    stand_in.dashboards["10004"].update(deleted=True, deleted_at="2025-01-01T00:00:00.000+00:00")
    with LookerServer(stand_in) as server:
        yield server


@pytest.fixture
def slack():
    with SlackServer(SlackStandIn(known_emails={"owner@example.com"})) as server:
        yield server


def candidate(content_id, action, email="owner@example.com", kind="dashboard", **extra):
    return {
        "content_type": kind,
        "content_id": content_id,
        "title": f"item {content_id}",
        "creator_email": email,
        "is_creator_disabled": email.startswith("left"),
        "days_idle": 70,
        "days_until_soft_delete": -10,
        "warn_cycle_key": "2026-01-01",
        "last_access_date": dt.date(2026, 1, 1),
        "deprecation_action": action,
        "is_deleted": action == "hard_delete",
        **extra,
    }


CANDIDATES = [
    candidate("10000", "warn"),
    candidate("10001", "warn", email="left.company@example.com"),
    candidate("10002", "soft_delete"),
    candidate("10003", "soft_delete"),
    candidate("10004", "hard_delete"),
    candidate("10005", "keep", kind="look"),
] + [candidate(str(20000 + n), "keep") for n in range(20)]


def make_warehouse(path, candidates=CANDIDATES, loaded_hours_ago=1):
    con = duckdb.connect(str(path))
    con.execute("create schema analytics; create schema raw_looker")
    con.execute(
        "create table analytics.bi_deprecation_candidates (content_type varchar, content_id "
        "varchar, title varchar, creator_email varchar, is_creator_disabled boolean, days_idle "
        "integer, days_until_soft_delete integer, warn_cycle_key varchar, last_access_date date, "
        "deprecation_action varchar, is_deleted boolean)"
    )
    for c in candidates:
        con.execute(
            "insert into analytics.bi_deprecation_candidates values "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            list(c.values()),
        )
    loaded = dt.datetime.now(dt.UTC) - dt.timedelta(hours=loaded_hours_ago)
    con.execute("create table raw_looker._dlt_loads (inserted_at timestamptz, status integer)")
    con.execute("insert into raw_looker._dlt_loads values (?, 0)", [loaded])
    con.close()


@pytest.fixture
def env(tmp_path, monkeypatch, looker, slack):
    make_warehouse(tmp_path / "wh.duckdb")
    monkeypatch.setenv("TARGET", "duckdb")
    monkeypatch.setenv("KPI_DUCKDB_PATH", str(tmp_path / "wh.duckdb"))
    for name, value in looker.env().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("SLACK_API_URL", slack.base_url)
    return tmp_path


def ledger(tmp_path) -> list[tuple]:
    with duckdb.connect(str(tmp_path / "wh.duckdb"), read_only=True) as con:
        return con.execute(
            "select action, content_id, detail from bi_ops.deprecation_ledger "
            "order by recorded_at, content_id"
        ).fetchall()


def run(tmp_path, *args) -> int:
    return main([*args, "--backup-dir", str(tmp_path / "backups")])


def test_dry_run_prints_and_records_the_plan_and_touches_nothing(env, looker, slack, capsys):
    assert run(env) == 1
    out = capsys.readouterr().out
    assert "would warn" in out and "would soft_delete" in out and "would hard_delete" in out
    actions = sorted(a for a, _, _ in ledger(env))
    assert actions == [
        "would_hard_delete",
        "would_soft_delete",
        "would_soft_delete",
        "would_warn",
        "would_warn",
    ]
    assert slack.stand_in.messages == []
    assert not looker.stand_in.dashboards["10002"]["deleted"]
    assert "10004" in looker.stand_in.dashboards


def test_apply_warns_backs_up_soft_and_hard_deletes_and_skips_what_was_used(env, looker, slack):
    looker.stand_in.touch("dashboard", "10003")  # viewed after the mart saw it
    assert run(env, "--apply") == 1
    by_item = {item: (action, detail) for action, item, detail in ledger(env)}
    assert by_item["10000"][0] == "warned" and by_item["10000"][1].startswith("slack U")
    assert by_item["10001"] == ("warned", "slack #bi-cleanup")  # disabled owner: fallback
    assert by_item["10002"][0] == "soft_deleted"
    assert by_item["10003"][0] == "skipped_recently_used"
    assert by_item["10004"][0] == "hard_deleted"
    assert looker.stand_in.dashboards["10002"]["deleted"] is True
    assert looker.stand_in.dashboards["10003"]["deleted"] is False
    assert "10004" not in looker.stand_in.dashboards
    backups = {p.name.split("-")[1] for p in (env / "backups").glob("*.json")}
    assert backups == {"10002", "10004"}
    saved = json.loads(next((env / "backups").glob("dashboard-10002-*.json")).read_text())
    assert saved["dashboard"]["title"] == "stale" and "- dashboard:" in saved["lookml"]
    assert [m["channel"] for m in slack.stand_in.messages][1] == "#bi-cleanup"
    assert looker.stand_in.problems == [] and slack.stand_in.problems == []


def test_a_rerun_never_warns_twice_in_the_same_streak(env, slack):
    run(env, "--apply")
    warned = len(slack.stand_in.messages)
    run(env, "--apply")
    assert len(slack.stand_in.messages) == warned == 2


def test_backups_restore_from_trash_and_after_a_hard_delete(env, looker):
    assert run(env, "--apply") == 1
    assert run(env, "restore", "dashboard", "10002") == 1
    assert looker.stand_in.dashboards["10002"]["deleted"] is False
    assert run(env, "restore", "dashboard", "10004") == 1  # hard-deleted: from LookML
    titles = [d["title"] for d in looker.stand_in.dashboards.values()]
    assert "hard" in titles
    assert [a for a, _, _ in ledger(env)].count("restored") == 2
    assert run(env, "restore", "look", "99999") == 2
    assert looker.stand_in.problems == []


@pytest.mark.fault("bad input", "deprecation job on stale Looker metadata", "refuses to act")
def test_stale_metadata_guard_refuses(tmp_path, env, capsys):
    (env / "wh.duckdb").unlink()
    make_warehouse(env / "wh.duckdb", loaded_hours_ago=72)
    assert run(env, "--apply") == 2
    assert "Looker metadata is 72 h old" in capsys.readouterr().err


def test_too_many_candidates_guard_refuses(env, looker, capsys):
    (env / "wh.duckdb").unlink()
    make_warehouse(
        env / "wh.duckdb", candidates=[candidate(str(n), "soft_delete") for n in range(5)]
    )
    assert run(env) == 2
    assert "100% of live content is flagged" in capsys.readouterr().err
    assert looker.stand_in.requests == []


@pytest.mark.fault("outage", "Slack 429 with Retry-After, Looker 429", "waits and completes")
def test_rate_limits_are_honoured_on_slack_and_looker(env, looker, slack):
    slack.stand_in.rate_limit_next = 1
    looker.stand_in.fail_next = [429]
    assert run(env, "--apply") == 1
    assert len(slack.stand_in.messages) == 2
    assert looker.stand_in.dashboards["10002"]["deleted"] is True


def test_missing_settings_are_named(env, monkeypatch, capsys):
    monkeypatch.delenv("SLACK_BOT_TOKEN")
    assert run(env, "--apply") == 2
    assert "set SLACK_BOT_TOKEN" in capsys.readouterr().err
    monkeypatch.setenv("KPI_DUCKDB_PATH", str(env / "missing.duckdb"))
    assert run(env) == 2
    assert "no warehouse at" in capsys.readouterr().err


def test_runs_on_postgres_too(pg_database, tmp_path, monkeypatch, looker, slack):
    import psycopg2

    conn = psycopg2.connect(pg_database)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("create schema analytics; create schema raw_looker")
        cur.execute(
            "create table analytics.bi_deprecation_candidates (content_type varchar, content_id "
            "varchar, title varchar, creator_email varchar, is_creator_disabled boolean, "
            "days_idle integer, days_until_soft_delete integer, warn_cycle_key varchar, "
            "last_access_date date, deprecation_action varchar, is_deleted boolean)"
        )
        for c in CANDIDATES:
            cur.execute(
                "insert into analytics.bi_deprecation_candidates values "
                "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                list(c.values()),
            )
        cur.execute("create table raw_looker._dlt_loads (inserted_at timestamptz, status int)")
        cur.execute("insert into raw_looker._dlt_loads values (now(), 0)")
    monkeypatch.setenv("TARGET", "postgres")
    monkeypatch.setenv("KPI_PG_DATABASE", pg_database.rsplit("/", 1)[1])
    for name, value in looker.env().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("SLACK_API_URL", slack.base_url)
    assert run(tmp_path, "--apply") == 1
    # before the next load the mart still lists them: nothing is done twice, nothing fails
    assert run(tmp_path, "--apply") == 0
    with conn.cursor() as cur:
        cur.execute("select action, count(*) from bi_ops.deprecation_ledger group by action")
        actions = dict(cur.fetchall())
    conn.close()
    assert actions["warned"] == 2 and actions["soft_deleted"] == 2  # nobody viewed 10003 here
    assert actions["already_in_trash"] == 2 and actions["already_gone"] == 1
    assert len(slack.stand_in.messages) == 2
