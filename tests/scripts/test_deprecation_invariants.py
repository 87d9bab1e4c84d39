"""Property-based test of the deprecation job's invariants (README, "BI cleanup").

Hypothesis builds random Looker worlds: dashboards and looks with owners Slack knows, does
not know or has deactivated, some in Trash, favourites, looks on dashboards, uses at random
moments. The mart's proposals are random too (a mart can be stale or wrong: the job must be
safe anyway). A clock advances a few days at a time over repeated runs, with uses,
favourites, placements, restores, failing answers (429, 5xx, dropped connections, in bursts
shorter than the retry budget) and lost answers injected between and during runs. Every
change that reaches the Looker stand-in is checked, at that moment, against the item's
live state just before it and against the ledger; a failure prints Hypothesis' seed.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from loaders.looker.api import connect as looker_connect
from sandbox.looker_server import LookerServer, LookerStandIn, iso
from sandbox.slack_server import SlackServer, SlackStandIn
from scripts.deprecate_looker_content import Job, Options, Warehouse
from scripts.slack import slack_client

START = dt.datetime(2026, 3, 1, 9, 0)
IDLE, WARNING, TRASH = 60, 7, 30  # dbt_project.yml's bi_* vars, which Options reads
OWNERS = ("known@example.com", "stranger@example.com", "deactivated@example.com")


def moment(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).replace(tzinfo=None)


item_strategy = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(["dashboard", "look"]),
        "owner": st.sampled_from(OWNERS),
        "idle_days": st.integers(0, 150),
        "in_trash": st.booleans(),
        "favourite": st.integers(0, 9).map(lambda n: n == 0),
    }
)
day_strategy = st.fixed_dictionaries(
    {
        "advance": st.integers(1, 20),
        "proposals": st.lists(
            st.sampled_from(["keep", "warn", "soft_delete", "hard_delete", "exempt"]),
            min_size=8,
            max_size=8,
        ),
        "uses": st.lists(st.tuples(st.integers(0, 7), st.sampled_from(["view", "api"]))),
        "favourite": st.none() | st.integers(0, 7),
        "place": st.none() | st.tuples(st.integers(0, 7), st.integers(0, 7)),
        "restore": st.none() | st.integers(0, 7),
        "failures": st.lists(st.sampled_from([429, 500, 502, 503, "drop"]), max_size=3),
        "lose_answer": st.booleans(),
    }
)


class Checker:
    """Watches every change reaching the stand-in and checks it against the state just
    before it and the ledger's warnings and trash times."""

    def __init__(self, stand_in: LookerStandIn, ledger) -> None:
        self.stand_in, self.ledger = stand_in, ledger
        self.before: dict[tuple[str, str], dict] = {}
        self.seen = 0
        self.trashed_at: dict[tuple[str, str], dt.datetime] = {}
        self.restored_at: dict[tuple[str, str], dt.datetime] = {}
        self.violations: list[str] = []
        self.snapshot()

    def snapshot(self) -> None:
        live_dashboards = {i for i, d in self.stand_in.dashboards.items() if not d["deleted"]}
        placed = {
            e["look_id"]
            for i, d in self.stand_in.dashboards.items()
            if i in live_dashboards
            for e in d["dashboard_elements"]
        }
        self.before = {
            (kind, i): {
                "deleted": item["deleted"],
                "used": max(
                    [
                        m
                        for m in (
                            moment(item.get("last_viewed_at")),
                            moment(item.get("last_accessed_at")),
                        )
                        if m
                    ]
                    or [dt.datetime.min]
                ),
                "favourite": item["favorite_count"] > 0,
                "placed": kind == "look" and i in placed,
            }
            for kind, store in (
                ("dashboard", self.stand_in.dashboards),
                ("look", self.stand_in.looks),
            )
            for i, item in store.items()
        }

    def __call__(self, method: str, path: str) -> None:
        new = self.stand_in.actions[self.seen :]
        self.seen = len(self.stand_in.actions)
        now = self.stand_in.now
        for verb, what, item_id in new:
            kind = what.split()[0]
            state = self.before.get((kind, item_id))
            if verb == "PATCH" and what.endswith("deleted=True"):
                self.check_trash(kind, item_id, state, now)
                self.trashed_at[(kind, item_id)] = now
            elif verb == "DELETE":
                self.check_delete(kind, item_id, state, now)
        self.snapshot()

    def fail(self, text: str) -> None:
        self.violations.append(text)

    def check_in_use(self, key, state, since: dt.datetime, now: dt.datetime, what: str) -> None:
        if state["used"] > since:
            self.fail(f"{what} {key}: used {state['used']} (since {since})")
        if state["favourite"]:
            self.fail(f"{what} {key}: a favourite")
        if state["placed"]:
            self.fail(f"{what} {key}: on a live dashboard")
        restored = self.restored_at.get(key)
        if restored and now - restored < dt.timedelta(days=IDLE):
            self.fail(f"{what} {key}: restored {restored}")

    def check_trash(self, kind, item_id, state, now) -> None:
        key = (kind, item_id)
        self.check_in_use(key, state, now - dt.timedelta(days=IDLE), now, "trashed")
        warnings = self.ledger(
            "select recorded_at from bi_ops.deprecation_ledger where action = 'warned' "
            "and content_type = ? and content_id = ?",
            [kind, item_id],
        )
        ok = [
            w for (w,) in warnings if w <= now - dt.timedelta(days=WARNING) and w >= state["used"]
        ]
        if not ok:
            self.fail(f"trashed {key} without a warning {WARNING} d before, in this streak")

    def check_delete(self, kind, item_id, state, now) -> None:
        key = (kind, item_id)
        if state is None or not state["deleted"]:
            self.fail(f"hard-deleted {key}, which was not in Trash")
            return
        trashed = self.trashed_at.get(key)
        if trashed is None:
            self.fail(f"hard-deleted {key}, which this job had not trashed")
            return
        if now - trashed < dt.timedelta(days=TRASH):
            self.fail(f"hard-deleted {key} {now - trashed} after trashing it")
        self.check_in_use(key, state, trashed, now, "hard-deleted")


def build_world(items: list[dict]) -> LookerStandIn:
    stand_in = LookerStandIn(generate=False, now=START)
    users = {email: stand_in.add_user(email) for email in OWNERS}
    for n, spec in enumerate(items):
        owner = users[spec["owner"]]
        item = stand_in.add_content(
            spec["kind"], f"item {n}", owner, START - dt.timedelta(days=400)
        )
        used = START - dt.timedelta(days=spec["idle_days"])
        stand_in.view(spec["kind"], item["id"], owner["id"], used)
        if spec["in_trash"]:
            item.update(deleted=True, deleted_at=iso(used))
        item["favorite_count"] = int(spec["favourite"])
    return stand_in


def mart_rows(stand_in: LookerStandIn, ids: list[tuple[str, str]], proposals, today) -> list:
    rows = []
    for (kind, item_id), action in zip(ids, proposals, strict=False):
        store = stand_in.dashboards if kind == "dashboard" else stand_in.looks
        item = store.get(item_id)
        if item is None:
            continue
        last = moment(item.get("last_viewed_at")) or START
        rows.append(
            (
                kind,
                item_id,
                item["title"],
                OWNERS[int(item["user_id"]) - 1],
                False,
                (today - last).days,
                IDLE - (today - last).days,
                last.date().isoformat(),
                last.date(),
                action,
                item["deleted"],
            )
        )
    return rows


def write_mart(path, rows, today) -> None:
    con = duckdb.connect(str(path))
    try:
        con.execute("create schema if not exists analytics; create schema if not exists raw_looker")
        con.execute("create schema if not exists kpi_meta")
        con.execute("drop table if exists analytics.bi_deprecation_candidates")
        con.execute(
            "create table analytics.bi_deprecation_candidates (content_type varchar, "
            "content_id varchar, title varchar, creator_email varchar, is_creator_disabled "
            "boolean, days_idle integer, days_until_soft_delete integer, warn_cycle_key "
            "varchar, last_access_date date, deprecation_action varchar, is_deleted boolean)"
        )
        # plenty of content in use, so the share guard lets random proposals through
        filler = [("dashboard", f"f{n}", "f", OWNERS[0], False, 1, 59, "x", today.date(),
                   "keep", False) for n in range(40)]  # fmt: skip
        con.executemany(
            "insert into analytics.bi_deprecation_candidates values (?,?,?,?,?,?,?,?,?,?,?)",
            rows + filler,
        )
        con.execute(
            "create table if not exists raw_looker._dlt_loads (inserted_at timestamp, status int)"
        )
        con.execute(
            "insert into raw_looker._dlt_loads values (?, 0)", [today - dt.timedelta(hours=2)]
        )
        con.execute(
            "create table if not exists kpi_meta.publish_log "
            "(published_at timestamp, verdict varchar, tables varchar, build_started_at timestamp)"
        )
        con.execute(
            "insert into kpi_meta.publish_log values (?, 'passed', 'bi_deprecation_candidates', ?)",
            [today - dt.timedelta(hours=1), today - dt.timedelta(hours=1, minutes=10)],
        )
    finally:
        con.close()


@pytest.fixture(scope="module")
def slack_server():
    stand_in = SlackStandIn(
        known_emails={"known@example.com"}, deactivated_emails={"deactivated@example.com"}
    )
    with SlackServer(stand_in) as server:
        yield server


@settings(
    max_examples=25,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    items=st.lists(item_strategy, min_size=2, max_size=8),
    days=st.lists(day_strategy, min_size=2, max_size=6),
)
def test_the_invariants_hold_after_every_run(
    items, days, tmp_path_factory, slack_server, monkeypatch
):
    work = tmp_path_factory.mktemp("world")
    path = work / "wh.duckdb"
    stand_in = build_world(items)
    ids = [
        (k, i)
        for k, store in (("dashboard", stand_in.dashboards), ("look", stand_in.looks))
        for i in store
    ]
    ids.sort(key=lambda key: int(key[1]))
    monkeypatch.setenv("TARGET", "duckdb")
    monkeypatch.setenv("KPI_DUCKDB_PATH", str(path))
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("SLACK_API_URL", slack_server.base_url)
    monkeypatch.setattr("time.sleep", lambda seconds: None)
    today = START
    with LookerServer(stand_in) as server:
        for name, value in server.env().items():
            monkeypatch.setenv(name, value)
        warehouse = None

        def ledger(sql, params):
            return warehouse.query(sql, params)

        checker = Checker(stand_in, ledger)
        stand_in.after_request.append(checker)
        looker = looker_connect()
        for day in days:
            today += dt.timedelta(days=day["advance"])
            stand_in.now = today
            for index, how in day["uses"]:
                if index < len(ids) and ids[index][1] in (
                    stand_in.dashboards if ids[index][0] == "dashboard" else stand_in.looks
                ):
                    kind, item_id = ids[index]
                    if how == "view":
                        stand_in.touch(kind, item_id)
                    else:
                        stand_in.access(kind, item_id)
            if day["favourite"] is not None and day["favourite"] < len(ids):
                kind, item_id = ids[day["favourite"]]
                store = stand_in.dashboards if kind == "dashboard" else stand_in.looks
                if item_id in store:
                    stand_in.favorite(kind, item_id)
            if day["place"] is not None:
                look = [k for k in ids if k[0] == "look" and k[1] in stand_in.looks]
                boards = [k for k in ids if k[0] == "dashboard" and k[1] in stand_in.dashboards]
                if look and boards:
                    look_id = look[day["place"][0] % len(look)][1]
                    board = stand_in.dashboards[boards[day["place"][1] % len(boards)][1]]
                    board["dashboard_elements"].append(
                        {
                            "id": f"e{len(stand_in.actions)}{today:%j}",
                            "dashboard_id": board["id"],
                            "look_id": look_id,
                            "type": "vis",
                            "title": "placed",
                        }
                    )
            checker.snapshot()
            write_mart(path, mart_rows(stand_in, ids, day["proposals"], today), today)
            stand_in.fail_next = list(day["failures"])
            stand_in.lose_answer_next = int(day["lose_answer"])
            warehouse = Warehouse.connect("duckdb")
            try:
                options = Options(
                    apply=True, backup_dir=work / "backups", now=lambda day=today: day
                )
                job = Job(warehouse, looker, slack_client(), options)
                assert job.run() in (0, 1)
                if day["restore"] is not None and day["restore"] < len(ids):
                    kind, item_id = ids[day["restore"]]
                    store = stand_in.dashboards if kind == "dashboard" else stand_in.looks
                    if (
                        item_id in store
                        and store[item_id]["deleted"]
                        and (
                            kind,
                            item_id,
                        )
                        in checker.trashed_at
                    ):
                        stand_in.fail_next, stand_in.lose_answer_next = [], 0
                        assert job.restore(kind, item_id) == 1
                        checker.restored_at[(kind, item_id)] = today
                # every change that reached Looker is in the ledger exactly once
                done = warehouse.query(
                    "select action, content_type, content_id from bi_ops.deprecation_ledger "
                    "where action in ('soft_deleted', 'hard_deleted')"
                )
            finally:
                warehouse.close()
                warehouse = None
            trashes = sorted(
                (what.split()[0], i) for v, what, i in stand_in.actions if what.endswith("=True")
            )
            deletes = sorted((what, i) for v, what, i in stand_in.actions if v == "DELETE")
            assert sorted((k, i) for a, k, i in done if a == "soft_deleted") == trashes
            assert sorted((k, i) for a, k, i in done if a == "hard_deleted") == deletes
            assert checker.violations == []
    assert stand_in.problems == []
