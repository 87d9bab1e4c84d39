"""Daily deprecation of stale Looker content, from the bi_deprecation_candidates mart.

    python -m scripts.deprecate_looker_content            # trial: print and record the plan
    python -m scripts.deprecate_looker_content --apply    # act
    python -m scripts.deprecate_looker_content restore dashboard 123

Dry run by default (the trial period): prints what it would do and records it in the
ledger table bi_ops.deprecation_ledger. The mart proposes; every destructive step is
re-checked at the moment of action, live through the Looker API and against the ledger.
The invariants (README, "BI cleanup"):

1. Never trash or delete an item with any use within the idle window (bi_idle_threshold_days,
   N): a web view (last_viewed_at) or any access (last_accessed_at, API runs included), a
   favourite, a placement on a live dashboard (looks), or a restore by this job.
2. Never trash without a warning (Slack DM, else the fallback channel) recorded at least
   bi_warning_days earlier for the same idle streak: an item found past N gets its warning
   now and waits.
3. Hard delete only items still in Trash, trashed by this job at least bi_trash_days
   earlier, and unused since.
4. Never act on a mart older than the last Looker load, older than
   --max-metadata-age-hours, or from a build that did not pass (kpi_meta.publish_log).
5. Every action that reached Looker is in the ledger exactly once, an answer lost after
   success included (a 404 when a DELETE is retried means it was done).
6. A complete backup before every destructive action, restorable to the same folder with
   the same title: dashboards (JSON, LookML, folder) and looks (JSON with the query, folder,
   and the dashboards it sits on). Backups live in KPI_LOOKER_BACKUP_DIR (default
   ~/.local/share/kpi-warehouse/looker-backups), outside anything `make clean` removes.

Restore: only a 404 means an item is gone; an item in Trash is moved out, a gone one is
re-created from its backup in its folder (looks with their query and dashboard places), and
the restored item is protected for a full idle window.
Exit codes: 0 nothing to do, 1 acted or would act, 2 could not run.
Settings: TARGET and KPI_* (warehouse), LOOKERSDK_* (Looker), SLACK_BOT_TOKEN and optional
SLACK_API_URL (Slack), SLACK_FALLBACK_CHANNEL, KPI_LOOKER_BACKUP_DIR; the day counts are the
dbt vars in dbt_project.yml.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import traceback
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import psycopg2
import yaml

from loaders.looker.api import Looker, LookerApiError
from loaders.looker.api import connect as looker_connect
from loaders.targets import target_name
from scripts.slack import slack_client
from scripts.warehouse import connect

LEDGER = "bi_ops.deprecation_ledger"
RESTORE_LOG = "restores.jsonl"  # beside the backups: survives a rebuilt warehouse
# a Trash time this much later than the job's own move means someone else put it there
TRASH_CLOCK_SLACK = dt.timedelta(hours=1)
PUBLISH_LOG = "kpi_meta.publish_log"
MART = "bi_deprecation_candidates"
ACTIONS = ("warn", "soft_delete", "hard_delete")
CANDIDATE_COLUMNS = (
    "content_type", "content_id", "title", "creator_email", "is_creator_disabled",
    "days_idle", "days_until_soft_delete", "warn_cycle_key", "last_access_date",
    "deprecation_action", "is_deleted",
)  # fmt: skip
PROJECT = Path(__file__).resolve().parents[1] / "dbt_project.yml"


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def default_backup_dir() -> Path:
    configured = os.environ.get("KPI_LOOKER_BACKUP_DIR")
    if configured:
        return Path(configured)
    data_home = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return data_home / "kpi-warehouse" / "looker-backups"


def check_backup_dir(path: Path) -> None:
    """Backups must outlive the checkout's clean-ups (make clean removes these folders)."""
    root = PROJECT.parent
    for cleaned in (".state", "data", "target", "logs"):
        if path.resolve().is_relative_to((root / cleaned).resolve()):
            raise CannotRun(
                f"backups in {path} would be removed by make clean: set KPI_LOOKER_BACKUP_DIR "
                "(or --backup-dir) to a folder outside them"
            )


def project_var(name: str) -> int:
    """A day count from dbt_project.yml's vars: the job and the mart share one setting."""
    return int(yaml.safe_load(PROJECT.read_text())["vars"][name])


class CannotRun(RuntimeError):
    """A condition that stops the job; the message says what to fix."""


class AlreadyGone(RuntimeError):
    """The item vanished before this job's action reached it."""


@dataclass
class Options:
    apply: bool = False
    backup_dir: Path = field(default_factory=default_backup_dir)
    fallback_channel: str = "#bi-cleanup"
    max_metadata_age_hours: float = 36
    max_candidate_share: float = 0.35
    idle_days: int = field(default_factory=lambda: project_var("bi_idle_threshold_days"))
    warning_days: int = field(default_factory=lambda: project_var("bi_warning_days"))
    trash_days: int = field(default_factory=lambda: project_var("bi_trash_days"))
    max_attempts: int = 4
    now: Callable[[], dt.datetime] = utc_now  # naive UTC; tests move it day by day


class Warehouse:
    """The marts and the publish log (read) and the ledger (written) on either target."""

    def __init__(self, conn: Any, paramstyle: str) -> None:
        self.conn = conn
        self.paramstyle = paramstyle

    @classmethod
    def connect(cls, target: str | None = None) -> Warehouse:
        target = target or target_name()
        return cls(connect(target, read_only=False), "qmark" if target == "duckdb" else "format")

    def close(self) -> None:
        self.conn.close()

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        if self.paramstyle == "format":
            sql = sql.replace("?", "%s")
        cursor = self.conn.cursor()
        cursor.execute(sql, list(params))
        return cursor.fetchall() if cursor.description else []

    def ensure_ledger(self) -> None:
        self.query("create schema if not exists bi_ops")
        self.query(
            f"create table if not exists {LEDGER} (recorded_at timestamp, run_id varchar, "
            "mode varchar, action varchar, content_type varchar, content_id varchar, "
            "title varchar, owner_email varchar, days_idle integer, warn_cycle_key varchar, "
            "detail varchar)"
        )

    def record(
        self, at: dt.datetime, run_id: str, mode: str, action: str, item: dict, detail: str = ""
    ) -> None:
        self.query(
            f"insert into {LEDGER} values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                at,
                run_id,
                mode,
                action,
                item["content_type"],
                str(item["content_id"]),
                item.get("title"),
                item.get("creator_email"),
                item.get("days_idle"),
                None if item.get("warn_cycle_key") is None else str(item["warn_cycle_key"]),
                detail,
            ],
        )

    def last_recorded(self, action: str, item: dict, cycle: bool = False) -> dt.datetime | None:
        """When `action` was last recorded for the item (for its idle streak with cycle)."""
        sql = (
            f"select max(recorded_at) from {LEDGER} where action = ? and content_type = ? "
            "and content_id = ?"
        )
        params = [action, item["content_type"], str(item["content_id"])]
        if cycle:
            sql += " and warn_cycle_key = ?"
            params.append(str(item["warn_cycle_key"]))
        found = self.query(sql, params)
        return found[0][0] if found else None

    def candidates(self) -> list[dict]:
        try:
            rows = self.query(f"select {', '.join(CANDIDATE_COLUMNS)} from analytics.{MART}")
        except (duckdb.Error, psycopg2.Error) as exc:
            raise CannotRun(f"cannot read analytics.{MART} ({exc})") from exc
        return [dict(zip(CANDIDATE_COLUMNS, row, strict=True)) for row in rows]

    def metadata_loaded_at(self) -> dt.datetime | None:
        rows = self.query("select max(inserted_at) from raw_looker._dlt_loads where status = 0")
        return naive_utc(rows[0][0]) if rows else None

    def publishes(self) -> tuple[tuple | None, dt.datetime | None]:
        """The last publish attempt (published_at, verdict) and when the build that last
        published the BI mart with a passed verdict started (its data were loaded before)."""
        try:
            attempts = self.query(
                f"select published_at, verdict, tables, build_started_at from {PUBLISH_LOG} "
                "order by published_at desc"
            )
        except (duckdb.Error, psycopg2.Error):
            if self.paramstyle == "format":
                self.conn.rollback()
            return None, None
        passed = [
            a[3] or a[0]  # a log from before build_started_at was kept: its publish time
            for a in attempts
            if a[1] == "passed" and MART in (a[2] or "").split(",")
        ]
        return (attempts[0][:2] if attempts else None), (passed[0] if passed else None)

    def false_positives(self, candidates: list[dict]) -> int:
        """Visuals flagged earlier (warned or deleted, for real or in trial) that have been
        used since: the count that tells whether N is too small."""
        current = {
            (c["content_type"], c["content_id"]): str(c["warn_cycle_key"]) for c in candidates
        }
        flagged = self.query(
            f"select distinct content_type, content_id, warn_cycle_key from {LEDGER} "
            "where action in ('warned', 'would_warn', 'soft_deleted', 'would_soft_delete')"
        )
        return len(
            {
                (t, i)
                for t, i, cycle in flagged
                if cycle is not None and (t, i) in current and current[(t, i)] > cycle
            }
        )


def naive_utc(moment: Any) -> Any:
    if isinstance(moment, dt.datetime) and moment.tzinfo is not None:
        return moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment


def check_guards(warehouse: Warehouse, candidates: list[dict], options: Options) -> None:
    now = options.now()
    loaded = warehouse.metadata_loaded_at()
    if loaded is None:
        raise CannotRun("no Looker metadata in the warehouse: run python -m loaders looker")
    last, bi_published = warehouse.publishes()
    if last is not None and last[1] != "passed":
        raise CannotRun(
            f"the last build ({last[0]:%Y-%m-%d %H:%M} UTC) did not pass, so analytics.{MART} "
            "is older than the data: fix the build (make build) before deleting anything"
        )
    if last is None or bi_published is None:
        raise CannotRun(f"no passed build has published analytics.{MART}: run make build")
    bi_published = naive_utc(bi_published)
    if bi_published < loaded:
        raise CannotRun(
            f"analytics.{MART} was built from a build started {bi_published:%Y-%m-%d %H:%M} UTC, "
            f"before the last Looker load ended ({loaded:%Y-%m-%d %H:%M}): run make build first"
        )
    age = (now - loaded).total_seconds() / 3600
    if age > options.max_metadata_age_hours:
        raise CannotRun(
            f"Looker metadata is {age:.0f} h old (limit {options.max_metadata_age_hours:g} h, "
            "--max-metadata-age-hours): load it again before deleting anything"
        )
    live = [c for c in candidates if not c["is_deleted"]]
    flagged = [c for c in live if c["deprecation_action"] in ("warn", "soft_delete")]
    share = len(flagged) / len(live) if live else 0.0
    if share > options.max_candidate_share:
        raise CannotRun(
            f"{share:.0%} of live content is flagged (limit {options.max_candidate_share:.0%}, "
            "--max-candidate-share): that looks like a broken load, not stale content"
        )


def to_json(model: Any) -> Any:
    from looker_sdk.rtl import serialize

    return json.loads(serialize.serialize40(api_model=model))


class Job:
    """One run: the warehouse, Looker, Slack and the options."""

    def __init__(
        self, warehouse: Warehouse, looker: Looker | None, slack: Any, options: Options
    ) -> None:
        self.warehouse, self.looker, self.slack, self.options = warehouse, looker, slack, options
        self.run_id = uuid.uuid4().hex[:12]
        self.mode = "apply" if options.apply else "trial"

    def call(self, operation: Callable[[], Any], what: str) -> Any:
        assert self.looker is not None
        return self.looker.call(operation, what, self.options.max_attempts)

    def record(self, action: str, item: dict, detail: str = "") -> None:
        self.warehouse.record(self.options.now(), self.run_id, self.mode, action, item, detail)

    # ---- live state ------------------------------------------------------------------
    def fetch(self, kind: str, item_id: str) -> Any | None:
        """The item as Looker has it now; None only when Looker answers 404."""
        sdk = self.looker.sdk
        getter = sdk.dashboard if kind == "dashboard" else sdk.look
        try:
            return self.call(lambda: getter(str(item_id)), f"get {kind} {item_id}")
        except LookerApiError as exc:
            if exc.status == 404:
                return None
            raise

    def placements(self, look_id: str) -> list[dict]:
        """The dashboards a look sits on: [{dashboard_id, title, type}]."""
        sdk = self.looker.sdk
        elements = self.call(
            lambda: sdk.search_dashboard_elements(look_id=str(look_id)),
            f"search dashboard elements of look {look_id}",
        )
        return [
            {"dashboard_id": str(e.dashboard_id), "title": e.title, "type": e.type or "vis"}
            for e in elements or []
        ]

    def live_use(self, kind: str, live: Any, since: dt.datetime) -> str | None:
        """Why the item is in use (any use after `since`), or None."""
        used = [
            naive_utc(moment)
            for moment in (live.last_viewed_at, getattr(live, "last_accessed_at", None))
            if moment is not None
        ]
        if used and max(used) > since:
            return f"used {max(used):%Y-%m-%d %H:%M}"
        if (live.favorite_count or 0) > 0:
            return "a favourite"
        if kind == "look":
            for place in self.placements(live.id):
                dashboard = self.fetch("dashboard", place["dashboard_id"])
                if dashboard is not None and not dashboard.deleted:
                    return f"on live dashboard {place['dashboard_id']}"
        return None

    # ---- backups -----------------------------------------------------------------------
    def backup(self, kind: str, live: Any) -> Path:
        """Everything needed to re-create the item in its folder with its title."""
        sdk = self.looker.sdk
        item_id = str(live.id)
        payload: dict[str, Any] = {
            "content_type": kind,
            "content_id": item_id,
            "title": live.title,
            "folder_id": None if live.folder_id is None else str(live.folder_id),
        }
        if kind == "dashboard":
            lookml = self.call(lambda: sdk.dashboard_lookml(item_id), f"lookml of {item_id}")
            payload |= {"dashboard": to_json(live), "lookml": lookml.lookml}
        else:
            payload |= {"look": to_json(live), "placements": self.placements(item_id)}
        self.options.backup_dir.mkdir(parents=True, exist_ok=True)
        stamp = utc_now().strftime("%Y%m%dT%H%M%S%f")
        path = self.options.backup_dir / f"{kind}-{item_id}-{stamp}.json"
        path.write_text(json.dumps(payload, indent=2, default=str))
        return path

    # ---- actions -----------------------------------------------------------------------
    def warn(self, item: dict) -> str:
        from slack_sdk.errors import SlackApiError

        text = (
            f'Your Looker {item["content_type"]} "{item["title"]}" (id {item["content_id"]}) '
            f"has not been opened for {item['days_idle']} days. It moves to Trash in "
            f"{max(int(item['days_until_soft_delete'] or 0), self.options.warning_days)} days "
            "unless someone opens it."
        )
        channel = self.options.fallback_channel
        email = item.get("creator_email")
        if email and not item.get("is_creator_disabled"):
            try:
                user = self.slack.users_lookupByEmail(email=email)["user"]
                if not user.get("deleted"):  # a deactivated account reads no DM
                    channel = user["id"]
            except SlackApiError as exc:
                if exc.response.get("error") != "users_not_found":
                    raise
        if channel == self.options.fallback_channel:
            text = f"(owner {email or 'unknown'} could not be reached) " + text
        self.slack.chat_postMessage(channel=channel, text=text)
        return channel

    def set_deleted(self, kind: str, item_id: str, deleted: bool) -> None:
        from looker_sdk import models40 as models

        sdk = self.looker.sdk
        if kind == "dashboard":
            change = lambda: sdk.update_dashboard(item_id, models.WriteDashboard(deleted=deleted))  # noqa: E731
        else:
            change = lambda: sdk.update_look(item_id, models.WriteLookWithQuery(deleted=deleted))  # noqa: E731
        self.call(change, f"{'trash' if deleted else 'untrash'} {kind} {item_id}")

    def hard_delete(self, kind: str, item_id: str) -> str:
        """DELETE. A 404 on a retry means this job's earlier attempt was done only when that
        attempt got no answer or a gateway's (502, 504): its answer was lost on the way.
        After a refusal (429, 500, 503) or on the first attempt, someone else deleted it."""
        sdk = self.looker.sdk
        deleter = sdk.delete_dashboard if kind == "dashboard" else sdk.delete_look
        try:
            self.call(lambda: deleter(item_id), f"delete {kind} {item_id}")
            return "deleted"
        except LookerApiError as exc:
            if exc.status != 404:
                raise
            if any(s in (None, 502, 504) for s in exc.statuses[:-1]):
                return "deleted (the first answer was lost; the retry found it gone)"
            raise AlreadyGone(f"{kind} {item_id} was deleted by someone else") from exc

    def skip(self, item: dict, label: str, action: str, why: str, detail: str = "") -> bool:
        """Leave the item alone, say why and record it; False: nothing was done."""
        print(f"  skipped, {why}: {label}")
        self.record(action, item, detail)
        return False

    def restored_at(self, item: dict) -> dt.datetime | None:
        """The last restore, from the ledger or, should the warehouse have been rebuilt
        (make clean, make demo), from the restore log kept beside the backups."""
        found = [self.warehouse.last_recorded("restored", item)]
        log = self.options.backup_dir / RESTORE_LOG
        if log.exists():
            for line in log.read_text().splitlines():
                entry = json.loads(line)
                if (entry["content_type"], entry["content_id"]) == (
                    item["content_type"],
                    str(item["content_id"]),
                ):
                    found.append(dt.datetime.fromisoformat(entry["restored_at"]))
        found = [f for f in found if f is not None]
        return max(found) if found else None

    def streak_start(self, item: dict) -> dt.datetime | None:
        """A warning counts only after the item's last restore or move to Trash by the job:
        either starts a new idle streak."""
        found = [self.restored_at(item), self.warehouse.last_recorded("soft_deleted", item)]
        found = [f for f in found if f is not None]
        return max(found) if found else None

    def judge(self, item: dict) -> tuple[str, str]:
        """(what to do, why) after the ledger checks that need no API."""
        now, options = self.options.now(), self.options
        action = item["deprecation_action"]
        restored = self.restored_at(item)
        if restored and now - restored < dt.timedelta(days=options.idle_days):
            return "skip", f"restored {restored:%Y-%m-%d}: protected for {options.idle_days} d"
        if action in ("warn", "soft_delete"):
            warned = self.warehouse.last_recorded("warned", item, cycle=True)
            start = self.streak_start(item)
            if warned is not None and start is not None and warned <= start:
                warned = None  # a warning from before a restore or a trash is not this streak's
            if action == "warn":
                return ("skip", "already warned this streak") if warned else ("warn", "")
            if warned is None:
                return "warn", "past the threshold, no warning this streak: warn now, trash later"
            if now - warned < dt.timedelta(days=options.warning_days):
                return "skip", f"warned {warned:%Y-%m-%d}, waiting {options.warning_days} d"
            return "soft_delete", ""
        trashed = self.warehouse.last_recorded("soft_deleted", item)
        if trashed is None or (restored is not None and restored > trashed):
            return "skip", "not in Trash by this job"
        if now - trashed < dt.timedelta(days=options.trash_days):
            return "skip", f"in Trash since {trashed:%Y-%m-%d}, less than {options.trash_days} d"
        return "hard_delete", ""

    def reconcile(self) -> None:
        """Intents without an outcome (the run died, or Looker stopped answering, between
        an action and its ledger row): ask Looker what happened and record it once."""
        pending = self.warehouse.query(
            f"select intent.action, intent.content_type, intent.content_id, intent.title, "
            f"intent.detail from {LEDGER} intent where intent.action in ('trashing', "
            f"'deleting') and not exists (select 1 from {LEDGER} outcome where "
            "outcome.content_type = intent.content_type and outcome.content_id = "
            "intent.content_id and outcome.recorded_at >= intent.recorded_at and "
            "outcome.action in ('soft_deleted', 'hard_deleted', 'trash_not_done', "
            "'delete_not_done', 'already_gone'))"
        )
        for action, kind, item_id, title, detail in pending:
            item = {"content_type": kind, "content_id": item_id, "title": title}
            live = self.fetch(kind, item_id)
            if action == "trashing":
                done = live is not None and live.deleted
                outcome = "soft_deleted" if done else "trash_not_done"
            else:
                outcome = "hard_deleted" if live is None else "delete_not_done"
            self.record(outcome, item, f"reconciled after an interrupted run; {detail}")

    def destroy(self, item: dict, action: str, perform: Callable[[], str], detail: str) -> None:
        """Record the intent, act, record the outcome: an action that reached Looker is in
        the ledger once even when its answer, or this process, is lost on the way back."""
        intent, outcome = {
            "trash": ("trashing", "soft_deleted"),
            "delete": ("deleting", "hard_deleted"),
        }[action]
        self.record(intent, item, detail)
        try:
            said = perform()
        except AlreadyGone as gone:
            self.record("already_gone", item, str(gone))
            return
        except LookerApiError:
            self.reconcile()  # learns from Looker whether it was done, when Looker answers
            raise
        self.record(outcome, item, f"{said}; {detail}")

    def act(self, item: dict, label: str) -> bool:
        """Carry out one candidate; True when something was done (or would be)."""
        kind, item_id = item["content_type"], str(item["content_id"])
        decision, why = self.judge(item)
        if decision == "skip":
            print(f"  skipped, {why}: {label}")
            return False
        if not self.options.apply:
            print(f"  would {decision}{f' ({why})' if why else ''}: {label}")
            self.record(f"would_{decision}", item, why)
            return True
        if decision == "warn":
            channel = self.warn(item)
            self.record("warned", item, f"slack {channel}")
            return True
        live = self.fetch(kind, item_id)
        if live is None:
            return self.skip(item, label, "already_gone", "already gone")
        now = self.options.now()
        if decision == "soft_delete":
            if live.deleted:
                return self.skip(item, label, "already_in_trash", "already in Trash")
            in_use = self.live_use(kind, live, now - dt.timedelta(days=self.options.idle_days))
            if in_use:
                return self.skip(item, label, "skipped_recently_used", in_use, in_use)
            warned = self.warehouse.last_recorded("warned", item, cycle=True)
            used = self.last_use(live)
            if used is not None and warned is not None and used > warned:
                # used after the warning, then idle again: a new streak needs a new warning
                channel = self.warn(item)
                self.record("warned", item, f"slack {channel}; used {used:%Y-%m-%d} since")
                return True
            path = self.backup(kind, live)
            self.destroy(
                item,
                "trash",
                lambda: self.set_deleted(kind, item_id, True) or "trashed",
                f"backup {path}",
            )
            return True
        if not live.deleted:
            return self.skip(item, label, "skipped_not_in_trash", "out of Trash")
        trashed = self.warehouse.last_recorded("soft_deleted", item)
        in_trash_since = naive_utc(getattr(live, "deleted_at", None))
        if in_trash_since is not None and in_trash_since > trashed + TRASH_CLOCK_SLACK:
            why = f"put back in Trash by someone else on {in_trash_since:%Y-%m-%d}"
            return self.skip(item, label, "skipped_not_trashed_by_job", why)
        in_use = self.live_use(kind, live, trashed)
        if in_use:
            why = f"{in_use} while in Trash"
            return self.skip(item, label, "skipped_recently_used", why, in_use)
        found = sorted(self.options.backup_dir.glob(f"{kind}-{item_id}-*.json"))
        path = found[-1] if found else self.backup(kind, live)  # taken when trashed: complete
        self.destroy(item, "delete", lambda: self.hard_delete(kind, item_id), f"backup {path}")
        return True

    def last_use(self, live: Any) -> dt.datetime | None:
        used = [
            naive_utc(m)
            for m in (live.last_viewed_at, getattr(live, "last_accessed_at", None))
            if m is not None
        ]
        return max(used) if used else None

    def run(self) -> int:
        self.warehouse.ensure_ledger()
        candidates = self.warehouse.candidates()
        check_guards(self.warehouse, candidates, self.options)
        if self.options.apply:
            self.reconcile()
        planned = [c for c in candidates if c["deprecation_action"] in ACTIONS]
        print(
            f"deprecation ({self.mode}): {len(planned)} of {len(candidates)} visuals "
            "proposed by the mart"
        )
        acted, failed = 0, []
        for item in planned:
            label = (
                f"{item['deprecation_action']:<11} {item['content_type']:<9} "
                f"{item['content_id']:<8} idle {item['days_idle']:>4} d  {item['title']}  "
                f"({item['creator_email']})"
            )
            try:
                acted += self.act(item, label)
            except LookerApiError as exc:  # this item waits for the next run; the rest go on
                print(f"  failed, {exc}: {label}", file=sys.stderr)
                self.record("failed", item, str(exc)[:500])
                failed.append(item)
        print(
            "false positives so far (flagged, then used again): "
            f"{self.warehouse.false_positives(candidates)}"
        )
        if failed:
            raise CannotRun(f"{len(failed)} item(s) failed on the Looker API; see above")
        return 1 if acted else 0

    # ---- restore ----------------------------------------------------------------------
    def restored_from(self, kind: str, old_id: str) -> str | None:
        """The id a deleted item came back under, from the restore log."""
        log = self.options.backup_dir / RESTORE_LOG
        found = None
        if log.exists():
            for line in log.read_text().splitlines():
                entry = json.loads(line)
                if entry["content_type"] == kind and entry.get("from_id") == old_id:
                    found = entry["content_id"]
        return found

    def create_once(self, create: Callable[[], Any], find: Callable[[], Any], what: str) -> Any:
        """A POST that creates must not run twice: on a failure or a lost answer, look for
        what it may have created before trying again."""
        for attempt in range(1, self.options.max_attempts + 1):
            try:
                return self.looker.call(create, what, max_attempts=1)
            except LookerApiError as exc:
                made = self.call(find, f"look for {what}")
                if made:
                    return made[0]
                transient = exc.status is None or exc.status == 429 or exc.status >= 500
                if not transient or attempt == self.options.max_attempts:
                    raise
        raise AssertionError("unreachable")

    def restore(self, kind: str, item_id: str) -> int:
        from looker_sdk import models40 as models

        if not item_id.isalnum():
            raise CannotRun(f"{item_id!r} is not a Looker id")
        found = sorted(self.options.backup_dir.glob(f"{kind}-{item_id}-*.json"))
        if not found:
            raise CannotRun(f"no backup of {kind} {item_id} in {self.options.backup_dir}")
        path, saved = found[-1], json.loads(found[-1].read_text())
        self.warehouse.ensure_ledger()
        sdk = self.looker.sdk
        current = self.fetch(kind, item_id)  # any answer but 404 stops here, named
        if current is not None and not current.deleted:
            print(f"{kind} {item_id} is not in Trash: nothing to restore")
            return 0
        title, folder = saved["title"], saved["folder_id"]
        again = self.restored_from(kind, item_id)
        again = again if current is None and again and self.fetch(kind, again) else None
        new_id, placed, dropped = item_id, [], []
        if again:  # an earlier restore re-created it: finish what it may have left undone
            new_id, detail = again, f"already re-created as {kind} {again}"
        elif current is not None:
            self.set_deleted(kind, item_id, False)
            detail = "moved back out of Trash"
        elif kind == "dashboard":
            search = lambda: sdk.search_dashboards(title=title, folder_id=folder)  # noqa: E731
            created = self.create_once(
                lambda: sdk.import_dashboard_from_lookml(
                    models.WriteDashboardLookml(folder_id=folder, lookml=saved["lookml"])
                ),
                search,
                f"re-create dashboard {item_id} from LookML",
            )
            new_id = str(created.id)
            if created.title != title:  # LookML may carry another title than the saved one
                self.call(
                    lambda: sdk.update_dashboard(new_id, models.WriteDashboard(title=title)),
                    f"title dashboard {new_id}",
                )
            detail = f"re-created from LookML as dashboard {new_id} in folder {folder}"
        else:
            look = saved["look"]
            query = {
                k: v
                for k, v in (look.get("query") or {}).items()
                if k in models.WriteQuery.__annotations__ and v is not None and k != "client_id"
            }
            new_query = self.call(
                lambda: sdk.create_query(models.WriteQuery(**query)),
                f"re-create query of {item_id}",
            )  # a spare query costs nothing and is never shown
            created = self.create_once(
                lambda: sdk.create_look(
                    models.WriteLookWithQuery(title=title, folder_id=folder, query_id=new_query.id)
                ),
                lambda: sdk.search_looks(title=title, folder_id=folder),
                f"re-create look {item_id}",
            )
            new_id = str(created.id)
            detail = f"re-created as look {new_id} in folder {folder}"
        item = {"content_type": kind, "content_id": new_id, "title": title}
        if not again:  # recorded before anything else can fail: protected from now on
            self.record("restored", item, f"{detail}; from {kind} {item_id}; {path}")
            log = self.options.backup_dir / RESTORE_LOG
            with log.open("a") as out:
                entry = {"content_type": kind, "content_id": new_id, "from_id": item_id,
                         "restored_at": self.options.now().isoformat()}  # fmt: skip
                out.write(json.dumps(entry) + "\n")
        if kind == "look" and current is None:
            for place in saved.get("placements") or []:
                board = place["dashboard_id"]
                if self.fetch("dashboard", board) is None:
                    board = self.restored_from("dashboard", board) or ""
                if not board or self.fetch("dashboard", board) is None:
                    dropped.append(place["dashboard_id"])
                    continue
                self.create_once(
                    lambda p=place, b=board: sdk.create_dashboard_element(
                        models.WriteDashboardElement(
                            dashboard_id=b, look_id=new_id, type=p["type"], title=p["title"]
                        )
                    ),
                    lambda b=board: [
                        e
                        for e in sdk.search_dashboard_elements(dashboard_id=b, look_id=new_id) or []
                    ],
                    f"place look {new_id} on dashboard {board}",
                )
                placed.append(board)
            detail += f", on dashboards {placed}"
            if dropped:
                detail += f"; dashboards {dropped} no longer exist: tiles not re-created"
                print(f"restore: dashboards {dropped} no longer exist", file=sys.stderr)
        print(f"restored {kind} {item_id}: {detail}")
        return 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--apply", action="store_true", help="act (default: dry run)")
    parser.add_argument(
        "--backup-dir",
        type=Path,
        default=None,
        help="default: KPI_LOOKER_BACKUP_DIR, else ~/.local/share/kpi-warehouse/looker-backups",
    )
    parser.add_argument(
        "--max-metadata-age-hours", type=float, default=Options.max_metadata_age_hours
    )
    parser.add_argument("--max-candidate-share", type=float, default=Options.max_candidate_share)
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    parser.add_argument("command", nargs="*", help="restore dashboard|look ID")
    args = parser.parse_args(argv)
    warehouse = None
    try:
        options = Options(
            apply=args.apply,
            backup_dir=args.backup_dir or default_backup_dir(),
            fallback_channel=os.environ.get("SLACK_FALLBACK_CHANNEL", Options.fallback_channel),
            max_metadata_age_hours=args.max_metadata_age_hours,
            max_candidate_share=args.max_candidate_share,
        )
        if args.command and (
            args.command[0] != "restore"
            or len(args.command) != 3
            or args.command[1] not in ("dashboard", "look")
        ):
            raise CannotRun("usage: restore dashboard|look ID")
        warehouse = Warehouse.connect()
        looker = slack = None
        if args.apply or args.command:
            looker = looker_connect()
        if args.apply:
            slack = slack_client()
            if slack is None:
                raise CannotRun("set SLACK_BOT_TOKEN (and SLACK_API_URL for a stand-in) to --apply")
        check_backup_dir(options.backup_dir)
        job = Job(warehouse, looker, slack, options)
        if args.command:
            options.apply = True
            job.mode = "apply"
            return job.restore(args.command[1], args.command[2])
        return job.run()
    except Exception as exc:
        if args.debug:
            traceback.print_exc()
        print(f"deprecate_looker_content: {exc}", file=sys.stderr)
        return 2
    finally:
        if warehouse is not None:
            warehouse.close()


if __name__ == "__main__":
    sys.exit(main())
