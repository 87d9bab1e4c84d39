"""The deprecation job against the Looker and Slack stand-ins (both spec-checked): the
invariants hold at the moment of action, whatever the mart says.

Each test is one of the cases an independent Looker fake exposed (issue "Deletion you can
trust"); the clock is the job's `now`, moved day by day where a case needs time to pass."""

from __future__ import annotations

import datetime as dt
import json

import duckdb
import pytest

from loaders.looker.api import LookerApiError
from loaders.looker.api import connect as looker_connect
from sandbox.looker_server import LookerServer, LookerStandIn
from sandbox.slack_server import SlackServer, SlackStandIn
from scripts import deprecate_looker_content as job_module
from scripts.deprecate_looker_content import Job, Options, Warehouse, default_backup_dir, main
from scripts.slack import slack_client

NOW = dt.datetime(2026, 6, 1, 12, 0)
INTENTS = ("trashing", "deleting")
OLD = NOW - dt.timedelta(days=400)


@pytest.fixture
def looker():
    stand_in = LookerStandIn(generate=False, now=NOW)
    owner = stand_in.add_user("owner@example.com")
    gone = stand_in.add_user("left.company@example.com", disabled=True)
    stand_in.add_user("deactivated@example.com")
    for title, who in (
        ("warn me", owner),  # 10000
        ("warn gone", gone),  # 10001
        ("stale", owner),  # 10002
        ("stale too", owner),  # 10003
        ("old trash", owner),  # 10004, in Trash but not by the job
    ):
        stand_in.add_content("dashboard", title, who, OLD)
    stand_in.add_content("look", "old look", owner, OLD)  # 10005
    stand_in.dashboards["10004"].update(deleted=True, deleted_at="2025-01-01T00:00:00.000+00:00")
    with LookerServer(stand_in) as server:
        yield server


@pytest.fixture
def slack():
    stand_in = SlackStandIn(
        known_emails={"Owner@Example.com"}, deactivated_emails={"deactivated@example.com"}
    )
    with SlackServer(stand_in) as server:
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


KEEP = [candidate(str(20000 + n), "keep") for n in range(20)]


def make_warehouse(
    path, candidates, loaded_at=NOW - dt.timedelta(hours=1), published_at=NOW, verdict="passed"
):
    con = duckdb.connect(str(path))
    con.execute("create schema if not exists analytics; create schema if not exists raw_looker")
    con.execute("create schema if not exists kpi_meta")
    con.execute("drop table if exists analytics.bi_deprecation_candidates")
    con.execute(
        "create table analytics.bi_deprecation_candidates (content_type varchar, content_id "
        "varchar, title varchar, creator_email varchar, is_creator_disabled boolean, days_idle "
        "integer, days_until_soft_delete integer, warn_cycle_key varchar, last_access_date date, "
        "deprecation_action varchar, is_deleted boolean)"
    )
    for c in candidates + KEEP:
        con.execute(
            "insert into analytics.bi_deprecation_candidates values "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            list(c.values()),
        )
    con.execute(
        "create table if not exists raw_looker._dlt_loads (inserted_at timestamp, status integer)"
    )
    con.execute("insert into raw_looker._dlt_loads values (?, 0)", [loaded_at])
    con.execute(
        "create table if not exists kpi_meta.publish_log "
        "(published_at timestamp, verdict varchar, tables varchar, build_started_at timestamp)"
    )
    con.execute(
        "insert into kpi_meta.publish_log values "
        "(?, ?, 'fct_batch_runs,bi_deprecation_candidates', ?)",
        [published_at, verdict, published_at - dt.timedelta(minutes=10)],
    )
    con.close()


class World:
    """The warehouse file, the stand-ins and a clock: run the job on any day."""

    def __init__(self, tmp_path, looker, slack, monkeypatch) -> None:
        self.path, self.looker, self.slack = tmp_path / "wh.duckdb", looker, slack
        self.backups = tmp_path / "backups"
        self.day = NOW
        self.next_mart = None
        monkeypatch.setenv("TARGET", "duckdb")
        monkeypatch.setenv("KPI_DUCKDB_PATH", str(self.path))
        for name, value in looker.env().items():
            monkeypatch.setenv(name, value)
        monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
        monkeypatch.setenv("SLACK_API_URL", slack.base_url)
        self.sleeps: list[float] = []
        monkeypatch.setattr("time.sleep", self.sleeps.append)  # retries wait instantly

    def mart(self, candidates, **kwargs) -> None:
        """The mart the next run reads: loaded and published that morning unless said."""
        self.next_mart = (candidates, kwargs)

    def run(self, apply=True, days_later=0, command=None) -> int:
        self.day += dt.timedelta(days=days_later)
        self.looker.stand_in.now = self.day
        if self.next_mart is not None:
            candidates, kwargs = self.next_mart
            kwargs = {
                "loaded_at": self.day - dt.timedelta(hours=2),
                "published_at": self.day - dt.timedelta(hours=1),
                **kwargs,
            }
            make_warehouse(self.path, candidates, **kwargs)
        warehouse = Warehouse.connect("duckdb")
        try:
            options = Options(apply=apply, backup_dir=self.backups, now=lambda: self.day)
            job = Job(
                warehouse, looker_connect() if apply or command else None, slack_client(), options
            )
            if command:
                return job.restore(*command)
            return job.run()
        finally:
            warehouse.close()

    def ledger(self) -> list[tuple]:
        with duckdb.connect(str(self.path), read_only=True) as con:
            return con.execute(
                "select action, content_id, detail from bi_ops.deprecation_ledger "
                "order by recorded_at, content_id"
            ).fetchall()

    def actions(self, item_id: str) -> list[str]:
        """The item's ledger, without the intents recorded before each destructive call."""
        return [a for a, i, _ in self.ledger() if i == item_id and a not in INTENTS]


@pytest.fixture
def world(tmp_path, looker, slack, monkeypatch):
    return World(tmp_path, looker, slack, monkeypatch)


def trash_by_the_job(world, item_id="10002", kind="dashboard"):
    """Warn, wait the warning week, trash: the one path into Trash."""
    world.mart([candidate(item_id, "soft_delete", kind=kind)])
    assert world.run() == 1 and world.actions(item_id) == ["warned"]
    world.mart([candidate(item_id, "soft_delete", kind=kind)])
    assert world.run(days_later=8) == 1
    assert world.actions(item_id) == ["warned", "soft_deleted"]


# ---- 5: never without a warning ------------------------------------------------------
def test_content_past_the_threshold_is_warned_first_and_trashed_a_week_later(world):
    world.mart([candidate("10002", "soft_delete"), candidate("10000", "warn")])
    assert world.run() == 1
    assert world.actions("10002") == ["warned"] and world.actions("10000") == ["warned"]
    assert world.looker.stand_in.dashboards["10002"]["deleted"] is False  # waits
    world.mart([candidate("10002", "soft_delete")])
    assert world.run(days_later=3) == 0  # still inside the warning week
    assert world.looker.stand_in.dashboards["10002"]["deleted"] is False
    assert world.run(days_later=5) == 1
    assert world.looker.stand_in.dashboards["10002"]["deleted"] is True
    assert world.actions("10002") == ["warned", "soft_deleted"]
    assert world.looker.stand_in.problems == [] and world.slack.stand_in.problems == []


def test_dry_run_records_the_plan_and_touches_nothing(world, capsys):
    world.mart([candidate("10002", "soft_delete"), candidate("10004", "hard_delete")])
    assert world.run(apply=False) == 1
    out = capsys.readouterr().out
    assert "would warn (past the threshold, no warning this streak" in out
    assert "skipped, not in Trash by this job" in out  # the demo's "would hard_delete"
    assert world.slack.stand_in.messages == [] and world.looker.stand_in.requests == []


# ---- 1 and 3: hard delete only what the job trashed and nobody uses ----------------------
def test_hard_delete_never_touches_content_back_in_use(world):
    trash_by_the_job(world, "10002")
    trash_by_the_job(world, "10003")
    # the owner restores 10002 from Trash and opens it, after the load
    world.looker.stand_in.dashboards["10002"].update(deleted=False, deleted_at=None)
    world.looker.stand_in.touch("dashboard", "10002")
    # 10003 stays in Trash but someone opens it there
    world.day += dt.timedelta(days=31)
    world.looker.stand_in.now = world.day
    world.looker.stand_in.touch("dashboard", "10003")
    world.mart(
        [
            candidate("10002", "hard_delete"),
            candidate("10003", "hard_delete"),
            candidate("10004", "hard_delete"),
        ]
    )
    assert world.run() == 0
    assert {"10002", "10003", "10004"} <= set(world.looker.stand_in.dashboards)
    assert world.actions("10002")[-1] == "skipped_not_in_trash"
    assert world.actions("10003")[-1] == "skipped_recently_used"
    assert world.actions("10004") == []  # in Trash, but not by this job


def test_hard_delete_after_the_trash_window_with_a_backup(world):
    trash_by_the_job(world, "10002")
    world.mart([candidate("10002", "hard_delete")])
    assert world.run(days_later=10) == 0  # 10 days in Trash: too soon
    assert world.run(days_later=21) == 1
    assert "10002" not in world.looker.stand_in.dashboards
    assert world.actions("10002")[-1] == "hard_deleted"


def test_a_restore_is_not_undone_by_the_next_run(world):
    trash_by_the_job(world, "10002")
    assert world.run(command=("dashboard", "10002")) == 1
    assert world.looker.stand_in.dashboards["10002"]["deleted"] is False
    world.mart([candidate("10002", "soft_delete", warn_cycle_key="2026-01-01")])
    assert world.run(days_later=1) == 0  # the next load's mart still says soft_delete
    assert world.looker.stand_in.dashboards["10002"]["deleted"] is False
    assert world.actions("10002")[-1] == "restored"


# ---- 2: the live re-check covers every kind of use ---------------------------------------
@pytest.mark.parametrize("use", ["api_run", "favourite", "placed_on_live_dashboard"])
def test_any_use_since_the_load_keeps_the_item(world, use):
    stand_in = world.looker.stand_in
    kind, item_id = (
        ("look", "10005") if use == "placed_on_live_dashboard" else ("dashboard", "10002")
    )
    world.mart([candidate(item_id, "soft_delete", kind=kind)])
    world.run()  # warned
    stand_in.now = world.day + dt.timedelta(days=8)
    if use == "api_run":
        stand_in.access("dashboard", "10002")  # last_accessed_at only, not last_viewed_at
    elif use == "favourite":
        stand_in.favorite("dashboard", "10002")
    else:
        stand_in.dashboards["10000"]["dashboard_elements"].append(
            {"id": "e1", "dashboard_id": "10000", "look_id": "10005", "type": "vis", "title": "x"}
        )
    assert world.run(days_later=8) == 0
    store = stand_in.looks if kind == "look" else stand_in.dashboards
    assert store[item_id]["deleted"] is False
    assert world.actions(item_id)[-1] == "skipped_recently_used"


# ---- 4: only a fresh mart from a passed build -------------------------------------------
@pytest.mark.parametrize(
    ("published", "verdict", "message"),
    [
        (-3, "passed", "before the last Looker load"),
        (0.1, "passed", "before the last Looker load"),  # published after, started before
        (1, "failed", "did not pass"),
    ],
)
def test_never_acts_on_a_mart_older_than_the_load_or_from_a_failed_build(
    world, capsys, published, verdict, message
):
    world.mart(
        [candidate("10002", "soft_delete")],
        loaded_at=world.day - dt.timedelta(hours=2),
        published_at=world.day - dt.timedelta(hours=2) + dt.timedelta(hours=published),
        verdict=verdict,
    )
    with pytest.raises(job_module.CannotRun, match=message):
        world.run()
    assert world.looker.stand_in.actions == [] and world.slack.stand_in.messages == []


# ---- 6 and 8: backups restore dashboards and looks where they were ---------------------
def test_a_hard_deleted_dashboard_comes_back_in_its_folder_with_its_title(world):
    folder = world.looker.stand_in.dashboards["10002"]["folder_id"]
    trash_by_the_job(world, "10002")
    world.mart([candidate("10002", "hard_delete")])
    assert world.run(days_later=31) == 1
    saved = json.loads(next(world.backups.glob("dashboard-10002-*.json")).read_text())
    assert saved["folder_id"] == folder and saved["title"] == "stale"  # not from LookML
    assert world.run(command=("dashboard", "10002")) == 1
    back = [d for d in world.looker.stand_in.dashboards.values() if d["title"] == "stale"]
    assert len(back) == 1 and back[0]["folder_id"] == folder
    assert world.looker.stand_in.problems == []


def test_a_hard_deleted_look_comes_back_with_its_query_and_dashboard_places(world):
    stand_in = world.looker.stand_in
    stand_in.dashboards["10003"]["dashboard_elements"].append(
        {"id": "e9", "dashboard_id": "10003", "look_id": "10005", "type": "vis", "title": "old"}
    )
    stand_in.dashboards["10003"].update(deleted=True)  # its dashboard is in Trash: not live
    folder = stand_in.looks["10005"]["folder_id"]
    trash_by_the_job(world, "10005", kind="look")
    world.mart([candidate("10005", "hard_delete", kind="look")])
    assert world.run(days_later=31) == 1
    assert "10005" not in stand_in.looks
    assert world.run(command=("look", "10005")) == 1
    (back,) = [lk for lk in stand_in.looks.values() if lk["title"] == "old look"]
    assert back["folder_id"] == folder
    assert any(
        e["look_id"] == back["id"] for e in stand_in.dashboards["10003"]["dashboard_elements"]
    )
    assert stand_in.problems == []


def test_restore_retries_a_transient_error_and_never_mistakes_it_for_gone(world):
    trash_by_the_job(world, "10002")
    world.looker.stand_in.fail_next = [500] * 8
    with pytest.raises(job_module.LookerApiError, match="HTTP 500"):
        world.run(command=("dashboard", "10002"))
    titles = [d["title"] for d in world.looker.stand_in.dashboards.values()]
    assert titles.count("stale") == 1  # nothing re-created
    assert world.looker.stand_in.dashboards["10002"]["deleted"] is True
    world.looker.stand_in.fail_next = [503]
    assert world.run(command=("dashboard", "10002")) == 1
    assert world.looker.stand_in.dashboards["10002"]["deleted"] is False


def test_backups_live_outside_what_make_clean_removes(monkeypatch, tmp_path):
    monkeypatch.delenv("KPI_LOOKER_BACKUP_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    assert default_backup_dir() == tmp_path / "share" / "kpi-warehouse" / "looker-backups"
    monkeypatch.setenv("KPI_LOOKER_BACKUP_DIR", "/srv/looker-backups")
    assert str(default_backup_dir()) == "/srv/looker-backups"
    monkeypatch.delenv("KPI_LOOKER_BACKUP_DIR")
    monkeypatch.delenv("XDG_DATA_HOME")
    root = job_module.PROJECT.parent
    assert not default_backup_dir().resolve().is_relative_to(root)  # make clean stays inside
    makefile = (root / "Makefile").read_text()
    clean = makefile.split("\nclean:", 1)[1].split("\n\n", 1)[0]
    assert "backup" not in clean


# ---- 9: retries by HTTP status -------------------------------------------------------------
@pytest.mark.fault(
    "outage", "Looker 429 with Retry-After, 502, dropped connection", "waits and completes"
)
def test_retry_after_is_honoured_and_dropped_connections_are_retried(world):
    world.mart([candidate("10000", "warn")])
    trash_by_the_job(world, "10002")
    world.looker.stand_in.retry_after = "20"
    world.looker.stand_in.fail_next = [429, "drop", 502]
    world.mart([candidate("10002", "hard_delete")])
    assert world.run(days_later=31) == 1
    assert 20.0 in world.sleeps  # waited what Retry-After asked
    assert "10002" not in world.looker.stand_in.dashboards


@pytest.mark.fault("outage", "Looker DELETE done but answered 502", "recorded exactly once")
def test_a_delete_whose_answer_was_lost_is_in_the_ledger_exactly_once(world):
    trash_by_the_job(world, "10002")
    world.looker.stand_in.lose_answer_next = 1  # DELETE done, answered 502; the retry: 404
    world.mart([candidate("10002", "hard_delete")])
    assert world.run(days_later=31) == 1
    assert world.actions("10002").count("hard_deleted") == 1
    deletes = [a for a in world.looker.stand_in.actions if a[0] == "DELETE"]
    assert deletes == [("DELETE", "dashboard", "10002")]


def test_job_exit_codes_are_as_documented(world, monkeypatch, tmp_path, capsys):
    make_warehouse(world.path, [candidate("10002", "soft_delete")])
    args = ["--backup-dir", str(tmp_path / "b")]
    assert main(["--apply", *args]) == 2  # the job's clock is real: the mart is from 2026-06
    assert "Looker metadata is" in capsys.readouterr().err
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    make_warehouse(
        world.path, [candidate("10002", "soft_delete")], now - dt.timedelta(hours=1), now
    )
    assert main(["--apply", *args]) == 1  # warned
    make_warehouse(world.path, [], now - dt.timedelta(hours=1), now)
    assert main(["--apply", *args]) == 0
    monkeypatch.delenv("SLACK_BOT_TOKEN")
    assert main(["--apply", *args]) == 2
    assert "set SLACK_BOT_TOKEN" in capsys.readouterr().err


# ---- 10: a deactivated Slack account gets no DM ------------------------------------------
def test_a_deactivated_slack_account_is_warned_through_the_fallback_channel(world):
    world.mart(
        [
            candidate("10000", "warn", email="deactivated@example.com"),
            candidate("10001", "warn", email="left.company@example.com"),
            candidate("10003", "warn", email="OWNER@example.com"),  # any case
        ]
    )
    assert world.run() == 1
    channels = [m["channel"] for m in world.slack.stand_in.messages]
    assert channels[:2] == ["#bi-cleanup", "#bi-cleanup"] and channels[2].startswith("U")
    assert world.slack.stand_in.problems == []


# ---- the guards that were there before -------------------------------------------------------
@pytest.mark.fault("bad input", "deprecation job on stale Looker metadata", "refuses to act")
def test_stale_metadata_guard_refuses(world):
    world.mart(
        [candidate("10002", "soft_delete")],
        loaded_at=world.day - dt.timedelta(hours=72),
        published_at=world.day - dt.timedelta(hours=71),
    )
    with pytest.raises(job_module.CannotRun, match="Looker metadata is 72 h old"):
        world.run()


def test_too_many_candidates_guard_refuses(world):
    KEEP.clear()
    try:
        world.mart([candidate(str(n), "soft_delete") for n in range(5)])
        with pytest.raises(job_module.CannotRun, match="100% of live content is flagged"):
            world.run()
    finally:
        KEEP.extend(candidate(str(20000 + n), "keep") for n in range(20))
    assert world.looker.stand_in.actions == []


def test_runs_on_postgres_too(pg_database, tmp_path, monkeypatch, looker, slack):
    import psycopg2

    conn = psycopg2.connect(pg_database)
    conn.autocommit = True
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    with conn.cursor() as cur:
        cur.execute("create schema analytics; create schema raw_looker; create schema kpi_meta")
        cur.execute(
            "create table analytics.bi_deprecation_candidates (content_type varchar, content_id "
            "varchar, title varchar, creator_email varchar, is_creator_disabled boolean, "
            "days_idle integer, days_until_soft_delete integer, warn_cycle_key varchar, "
            "last_access_date date, deprecation_action varchar, is_deleted boolean)"
        )
        for c in [candidate("10000", "warn"), candidate("10002", "soft_delete"), *KEEP]:
            cur.execute(
                "insert into analytics.bi_deprecation_candidates values "
                "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                list(c.values()),
            )
        cur.execute("create table raw_looker._dlt_loads (inserted_at timestamptz, status int)")
        cur.execute("insert into raw_looker._dlt_loads values (now() - interval '1 hour', 0)")
        cur.execute(
            "create table kpi_meta.publish_log (published_at timestamp, verdict varchar, "
            "tables varchar, build_started_at timestamp)"
        )
        cur.execute(
            "insert into kpi_meta.publish_log values "
            "(%s, 'passed', 'bi_deprecation_candidates', %s)",
            [now, now - dt.timedelta(minutes=5)],
        )
    monkeypatch.setenv("TARGET", "postgres")
    monkeypatch.setenv("KPI_PG_DATABASE", pg_database.rsplit("/", 1)[1])
    for name, value in looker.env().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("SLACK_API_URL", slack.base_url)
    args = ["--apply", "--backup-dir", str(tmp_path / "b")]
    assert main(args) == 1
    assert main(args) == 0  # warned once per streak; 10002 waits its warning week
    with conn.cursor() as cur:
        cur.execute("select action, count(*) from bi_ops.deprecation_ledger group by action")
        actions = dict(cur.fetchall())
    conn.close()
    assert actions == {"warned": 2}
    assert len(slack.stand_in.messages) == 2


# ---- found by an adversarial review of the invariants -----------------------------------
def trashed(world, item_id, kind="dashboard"):
    store = world.looker.stand_in.dashboards if kind == "dashboard" else world.looker.stand_in.looks
    return store[item_id]["deleted"]


# ---- invariant 2 (and 1): a restore by the job starts a new streak, but the old warning
# ---- is reused: trashed again with no warning at all after the restore
def test_a_restore_starts_a_new_streak_that_needs_a_new_warning(world):
    trash_by_the_job(world, "10002")  # warned day 0 (key 2026-01-01), trashed day 8
    world.day += dt.timedelta(days=1)
    assert world.run(command=("dashboard", "10002")) == 1  # restore, day 9
    assert not trashed(world, "10002")
    n_msgs = len(world.slack.stand_in.messages)
    # a restore is not a view: the real mart's last_access_date (warn_cycle_key) is unchanged
    world.mart([candidate("10002", "soft_delete", warn_cycle_key="2026-01-01")])
    world.run(days_later=61)  # protection over
    new_msgs = world.slack.stand_in.messages[n_msgs:]
    print(world.actions("10002"))
    # invariant 2: no trash without a warning >= 7 d earlier in this streak (post-restore)
    assert not (trashed(world, "10002") and not new_msgs), (
        "trashed again with no warning since the restore: " + str(world.actions("10002"))
    )


# ---- invariant 3: the job trashed it, the user restored it, later the USER trashed it;
# ---- the job hard-deletes what the user put in Trash
def test_content_a_user_put_back_in_trash_is_left_to_them(world):
    trash_by_the_job(world, "10002")  # job trashes day 8
    stand_in = world.looker.stand_in
    world.day += dt.timedelta(days=2)
    stand_in.now = world.day
    stand_in.dashboards["10002"].update(deleted=False, deleted_at=None)  # user restores (no view)
    world.day += dt.timedelta(days=20)
    stand_in.now = world.day
    # the user puts it in Trash themselves on day 30
    stand_in.dashboards["10002"].update(deleted=True, deleted_at="2026-07-01T12:00:00.000+00:00")
    world.mart([candidate("10002", "hard_delete")])  # 30 d in (user's) Trash: the mart says so
    world.run(days_later=31)
    print(world.actions("10002"))
    assert "10002" in stand_in.dashboards, "hard-deleted an item the user put in Trash"


# ---- invariant 5: a PATCH whose answer is lost, then 5xx on every retry: trashed, not recorded
def test_a_trash_whose_answer_and_retries_were_lost_is_recorded_once(world):
    stand_in = world.looker.stand_in
    world.mart([candidate("10002", "soft_delete")])
    world.run()  # warned
    original = stand_in.handle

    def handle(method, path, query, body):
        answer = original(method, path, query, body)
        if method == "PATCH":
            stand_in.lose_answer_next = 1  # done, answered 502 ...
            stand_in.fail_next = [502, 503, 500]  # ... and the retries fail too
            stand_in.handle = original
        return answer

    stand_in.handle = handle
    world.mart([candidate("10002", "soft_delete")])
    with pytest.raises(job_module.CannotRun, match="failed on the Looker API"):
        world.run(days_later=8)  # exit 2; the outcome is learnt from Looker right away
    print(stand_in.actions, world.actions("10002"))
    assert trashed(world, "10002")
    assert "soft_deleted" in world.actions("10002"), "Looker action done, ledger has nothing"


# ---- invariant 5: crash between the Looker action and the ledger write
def test_a_crash_between_delete_and_ledger_is_reconciled_next_run(world, monkeypatch):
    trash_by_the_job(world, "10002")
    real = Warehouse.record

    def record(self, at, run_id, mode, action, item, detail=""):
        if action == "hard_deleted":
            raise duckdb.IOException("disk full / killed")
        return real(self, at, run_id, mode, action, item, detail)

    monkeypatch.setattr(Warehouse, "record", record)
    world.mart([candidate("10002", "hard_delete")])
    with pytest.raises(duckdb.IOException):
        world.run(days_later=31)
    monkeypatch.setattr(Warehouse, "record", real)
    assert "10002" not in world.looker.stand_in.dashboards
    world.mart([])
    world.run()  # the next run reconciles the intent recorded before the DELETE
    assert world.actions("10002").count("hard_deleted") == 1, "deleted, absent from ledger"


# ---- invariant 5/6: restore re-creates with POST; a lost answer creates a duplicate
@pytest.mark.parametrize("kind,item", [("look", "10005"), ("dashboard", "10002")])
def test_a_restore_whose_answer_was_lost_creates_one_copy(world, kind, item):
    stand_in = world.looker.stand_in
    trash_by_the_job(world, item, kind=kind)
    world.mart([candidate(item, "hard_delete", kind=kind)])
    assert world.run(days_later=31) == 1
    title = "old look" if kind == "look" else "stale"
    store = stand_in.looks if kind == "look" else stand_in.dashboards
    target = "/looks" if kind == "look" else "/dashboards/lookml"
    original = stand_in.handle

    def handle(method, path, query, body):
        if method == "POST" and path.endswith(target):
            stand_in.lose_answer_next = 1
            stand_in.handle = original
        return original(method, path, query, body)

    stand_in.handle = handle
    assert world.run(command=(kind, item)) == 1
    copies = [i for i in store.values() if i["title"] == title]
    restored = [a for a in world.ledger() if a[0] == "restored"]
    print(len(copies), restored)
    assert len(copies) == 1, f"{len(copies)} copies re-created, ledger names only one: {restored}"


# ---- invariant 5: restore fails after re-creating (placement GET 500s): no ledger row,
# ---- and the next attempt re-creates a second copy
def test_a_restore_failing_midway_is_recorded_and_finished_later(world):
    stand_in = world.looker.stand_in
    stand_in.dashboards["10003"]["dashboard_elements"].append(
        {"id": "e9", "dashboard_id": "10003", "look_id": "10005", "type": "vis", "title": "old"}
    )
    stand_in.dashboards["10003"].update(deleted=True)
    trash_by_the_job(world, "10005", kind="look")
    world.mart([candidate("10005", "hard_delete", kind="look")])
    assert world.run(days_later=31) == 1

    def after(method, path):
        if method == "POST" and path.endswith("/looks"):
            stand_in.fail_next = [500, 500, 500, 500]  # the dashboard GET for the placement
            stand_in.after_request.clear()

    stand_in.after_request.append(after)
    with pytest.raises(LookerApiError):
        world.run(command=("look", "10005"))
    copies = [lk for lk in stand_in.looks.values() if lk["title"] == "old look"]
    print(len(copies), world.ledger()[-1])
    assert not copies or any(a[0] == "restored" for a in world.ledger()), (
        "look re-created in Looker, no 'restored' row in the ledger (and unprotected)"
    )
    assert world.run(command=("look", "10005")) == 1
    copies = [lk for lk in stand_in.looks.values() if lk["title"] == "old look"]
    assert len(copies) == 1, f"{len(copies)} copies after retrying the restore"


# ---- invariant 6: look and its dashboard both hard-deleted; the dashboard is restored
# ---- (new id); the look's restore cannot find it and silently drops the placement
def test_a_look_returns_to_its_restored_dashboard(world):
    stand_in = world.looker.stand_in
    stand_in.dashboards["10003"]["dashboard_elements"].append(
        {"id": "e9", "dashboard_id": "10003", "look_id": "10005", "type": "vis", "title": "old"}
    )
    trash_by_the_job(world, "10003")  # the dashboard first; then the look is no longer exempt
    world.day += dt.timedelta(days=1)
    world.looker.stand_in.now = world.day
    trash_by_the_job(world, "10005", kind="look")
    world.mart([candidate("10003", "hard_delete"), candidate("10005", "hard_delete", kind="look")])
    assert world.run(days_later=31) == 1
    assert "10003" not in stand_in.dashboards and "10005" not in stand_in.looks
    assert world.run(command=("dashboard", "10003")) == 1
    assert world.run(command=("look", "10005")) == 1  # exit 1: "restored"
    (dash,) = [d for d in stand_in.dashboards.values() if d["title"] == "stale too"]
    (look,) = [lk for lk in stand_in.looks.values() if lk["title"] == "old look"]
    print(world.ledger()[-1])
    assert any(e["look_id"] == look["id"] for e in dash["dashboard_elements"]), (
        "restored look is on no dashboard; restore reported success"
    )


# ---- invariant 1: `make clean` / `make demo` / `make test-duckdb` rm the warehouse file,
# ---- and the ledger lives in it: a job-restored item loses its protection
def test_a_rebuilt_warehouse_keeps_the_restore_protection(world):
    trash_by_the_job(world, "10002")
    world.day += dt.timedelta(days=1)
    assert world.run(command=("dashboard", "10002")) == 1
    restored_on = world.day
    world.path.unlink()  # make clean: rm -rf ... $(KPI_DUCKDB_PATH) (warehouse.duckdb)
    world.mart([candidate("10002", "soft_delete")])
    world.run(days_later=1)  # warned again (ledger empty)
    world.mart([candidate("10002", "soft_delete")])
    world.run(days_later=7)
    print(world.actions("10002"))
    assert not trashed(world, "10002"), (
        f"restored {restored_on:%F}, trashed again {world.day:%F}: inside the protection window"
    )


# ---- invariant 1: a look on a live dashboard is kept, whatever other dashboards say
def test_a_look_on_one_live_dashboard_is_kept(world):
    stand_in = world.looker.stand_in
    stand_in.dashboards["10001"].update(deleted=True)
    for dash in ("10001", "10003"):
        stand_in.dashboards[dash]["dashboard_elements"].append(
            {
                "id": f"e{dash}",
                "dashboard_id": dash,
                "look_id": "10005",
                "type": "vis",
                "title": "x",
            }
        )
    world.mart([candidate("10005", "soft_delete", kind="look")])
    world.run()
    world.mart([candidate("10005", "soft_delete", kind="look")])
    world.run(days_later=8)
    assert not trashed(world, "10005", kind="look")


# ---- invariant 5: a DELETE refused with 503 (not done) while a user deletes the item;
# ---- the retry's 404 is recorded as the job's own hard delete
def test_a_404_after_a_refused_delete_is_not_the_jobs_delete(world):
    trash_by_the_job(world, "10002")
    stand_in = world.looker.stand_in
    original = stand_in.handle

    def handle(method, path, query, body):
        if method == "DELETE":
            stand_in.handle = original
            del stand_in.dashboards["10002"]  # someone else deletes it meanwhile
            stand_in.actions.append(("DELETE by a user", "dashboard", "10002"))
            return 503, {"message": "Service Unavailable", "documentation_url": "https://docs"}
        return original(method, path, query, body)

    stand_in.handle = handle
    world.mart([candidate("10002", "hard_delete")])
    world.run(days_later=31)
    print(stand_in.actions, world.ledger()[-1])
    job_deletes = [a for a in stand_in.actions if a[0] == "DELETE"]
    assert job_deletes or "hard_deleted" not in world.actions("10002"), (
        "ledger says the job hard-deleted 10002; the job's DELETE never took effect"
    )


def test_two_runs_a_day_and_a_trial_after_apply_do_nothing_twice(world):
    world.mart([candidate("10002", "soft_delete"), candidate("10000", "warn")])
    world.run()
    world.run()
    assert len(world.slack.stand_in.messages) == 2
    world.mart([candidate("10002", "soft_delete")])
    world.run(days_later=8)
    world.run()
    assert [a for a in world.looker.stand_in.actions if a[0] == "PATCH"] == [
        ("PATCH", "dashboard deleted=True", "10002")
    ]
    world.mart([candidate("10002", "hard_delete")])
    n = len(world.looker.stand_in.requests)
    world.run(apply=False, days_later=31)
    assert len(world.looker.stand_in.requests) == n
    world.run()
    world.run()
    assert [a for a in world.looker.stand_in.actions if a[0] == "DELETE"] == [
        ("DELETE", "dashboard", "10002")
    ]
    assert world.actions("10002").count("hard_deleted") == 1
