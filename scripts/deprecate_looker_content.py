"""Daily deprecation of stale Looker content, from the bi_deprecation_candidates mart.

    python -m scripts.deprecate_looker_content            # trial: print and record the plan
    python -m scripts.deprecate_looker_content --apply    # act
    python -m scripts.deprecate_looker_content restore dashboard 123

Dry run by default (the trial period): prints what it would do and records it in the
ledger table bi_ops.deprecation_ledger. With --apply:
- warn: a Slack DM to the owner (email -> Slack user), or the fallback channel when the owner
  is unknown to Slack or disabled in Looker; never twice for the same visual and idle streak;
- soft_delete: re-check the item live through the API (skipped when viewed since the mart
  saw it), back it up (JSON, plus LookML for dashboards; looks with their query), then move
  it to Looker's Trash (deleted: true);
- hard_delete: items in Trash past the window, backed up first if no backup exists.
Guards: refuses to run when the Looker metadata in the warehouse is older than
--max-metadata-age-hours, or when candidates exceed --max-candidate-share of live content
(a broken load must never look like "everything is stale").
Exit codes: 0 nothing to do, 1 acted or would act, 2 could not run.
Settings: TARGET and KPI_* (warehouse), LOOKERSDK_* (Looker), SLACK_BOT_TOKEN and optional
SLACK_API_URL (Slack), SLACK_FALLBACK_CHANNEL.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import traceback
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import psycopg2

from loaders.looker import with_retries
from loaders.targets import target_name
from scripts.slack import slack_client
from scripts.warehouse import connect

LEDGER = "bi_ops.deprecation_ledger"
ACTIONS = ("warn", "soft_delete", "hard_delete")
CANDIDATE_COLUMNS = (
    "content_type", "content_id", "title", "creator_email", "is_creator_disabled",
    "days_idle", "days_until_soft_delete", "warn_cycle_key", "last_access_date",
    "deprecation_action", "is_deleted",
)  # fmt: skip


class CannotRun(RuntimeError):
    """A condition that stops the job; the message says what to fix."""


@dataclass
class Options:
    apply: bool = False
    backup_dir: Path = Path(".state/looker_backups")
    fallback_channel: str = "#bi-cleanup"
    max_metadata_age_hours: float = 36
    max_candidate_share: float = 0.35


class Warehouse:
    """The marts (read) and the ledger (written) on either target."""

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

    def record(self, run_id: str, mode: str, action: str, item: dict, detail: str = "") -> None:
        self.query(
            f"insert into {LEDGER} values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                dt.datetime.now(dt.UTC).replace(tzinfo=None),
                run_id,
                mode,
                action,
                item["content_type"],
                item["content_id"],
                item.get("title"),
                item.get("creator_email"),
                item.get("days_idle"),
                item.get("warn_cycle_key"),
                detail,
            ],
        )

    def already_warned(self, item: dict) -> bool:
        return bool(
            self.query(
                f"select 1 from {LEDGER} where action = 'warned' and content_type = ? "
                "and content_id = ? and warn_cycle_key = ?",
                [item["content_type"], item["content_id"], item["warn_cycle_key"]],
            )
        )

    def candidates(self) -> list[dict]:
        try:
            rows = self.query(
                f"select {', '.join(CANDIDATE_COLUMNS)} from analytics.bi_deprecation_candidates"
            )
        except (duckdb.Error, psycopg2.Error) as exc:
            raise CannotRun(f"cannot read analytics.bi_deprecation_candidates ({exc})") from exc
        return [dict(zip(CANDIDATE_COLUMNS, row, strict=True)) for row in rows]

    def metadata_loaded_at(self) -> dt.datetime | None:
        rows = self.query("select max(inserted_at) from raw_looker._dlt_loads where status = 0")
        moment = rows[0][0] if rows else None
        if moment is not None and moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
        return moment

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
            {(t, i) for t, i, cycle in flagged if (t, i) in current and current[(t, i)] > cycle}
        )


def check_guards(warehouse: Warehouse, candidates: list[dict], options: Options) -> None:
    loaded = warehouse.metadata_loaded_at()
    if loaded is None:
        raise CannotRun("no Looker metadata in the warehouse: run python -m loaders looker")
    age = (dt.datetime.now(dt.UTC) - loaded).total_seconds() / 3600
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


def backup(looker: Any, item: dict, options: Options) -> Path:
    kind, item_id = item["content_type"], item["content_id"]
    if kind == "dashboard":
        content = with_retries(lambda: looker.dashboard(item_id), "dashboard", 4)
        lookml = with_retries(lambda: looker.dashboard_lookml(item_id), "dashboard_lookml", 4)
        payload = {
            "dashboard": to_json(content),
            "lookml": lookml.lookml,
            "folder_id": lookml.folder_id,
        }
    else:
        payload = {"look": to_json(with_retries(lambda: looker.look(item_id), "look", 4))}
    options.backup_dir.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
    path = options.backup_dir / f"{kind}-{item_id}-{stamp}.json"
    path.write_text(
        json.dumps({"content_type": kind, "content_id": item_id, **payload}, indent=2, default=str)
    )
    return path


def to_json(model: Any) -> Any:
    from looker_sdk.rtl import serialize

    return json.loads(serialize.serialize40(api_model=model))


def latest_backup(options: Options, kind: str, item_id: str) -> Path | None:
    found = sorted(options.backup_dir.glob(f"{kind}-{item_id}-*.json"))
    return found[-1] if found else None


def set_deleted(looker: Any, kind: str, item_id: str, deleted: bool) -> None:
    from looker_sdk import models40 as models

    if kind == "dashboard":
        with_retries(
            lambda: looker.update_dashboard(item_id, models.WriteDashboard(deleted=deleted)),
            "update_dashboard",
            4,
        )
    else:
        with_retries(
            lambda: looker.update_look(item_id, models.WriteLookWithQuery(deleted=deleted)),
            "update_look",
            4,
        )


def fetch(looker: Any, item: dict) -> Any | None:
    """The item as Looker has it now, or None when it no longer exists."""
    getter = looker.dashboard if item["content_type"] == "dashboard" else looker.look
    try:
        return with_retries(lambda: getter(item["content_id"]), "re-check", 4)
    except RuntimeError as exc:
        if "Not found" in str(exc):
            return None
        raise


def warn(slack: Any, item: dict, options: Options) -> str:
    from slack_sdk.errors import SlackApiError

    text = (
        f'Your Looker {item["content_type"]} "{item["title"]}" (id {item["content_id"]}) '
        f"has not been opened for {item['days_idle']} days. It moves to Trash in "
        f"{item['days_until_soft_delete']} days unless someone opens it."
    )
    channel = options.fallback_channel
    email = item.get("creator_email")
    if email and not item.get("is_creator_disabled"):
        try:
            channel = slack.users_lookupByEmail(email=email)["user"]["id"]
        except SlackApiError as exc:
            if exc.response.get("error") != "users_not_found":
                raise
    if channel == options.fallback_channel:
        text = f"(owner {email or 'unknown'} could not be reached) " + text
    slack.chat_postMessage(channel=channel, text=text)
    return channel


def run(warehouse: Warehouse, looker: Any, slack: Any, options: Options) -> int:
    warehouse.ensure_ledger()
    candidates = warehouse.candidates()
    check_guards(warehouse, candidates, options)
    run_id = uuid.uuid4().hex[:12]
    mode = "apply" if options.apply else "trial"
    planned = [c for c in candidates if c["deprecation_action"] in ACTIONS]
    acted = 0
    print(f"deprecation ({mode}): {len(planned)} of {len(candidates)} visuals need action")
    for item in planned:
        action = item["deprecation_action"]
        label = (
            f"{action:<11} {item['content_type']:<9} {item['content_id']:<8} "
            f"idle {item['days_idle']:>4} d  {item['title']}  ({item['creator_email']})"
        )
        if action == "warn" and warehouse.already_warned(item):
            print(f"  already warned this streak: {label}")
            continue
        if not options.apply:
            print(f"  would {label}")
            warehouse.record(run_id, mode, f"would_{action}", item)
            acted += 1
            continue
        if action == "warn":
            channel = warn(slack, item, options)
            warehouse.record(run_id, mode, "warned", item, f"slack {channel}")
        elif action == "soft_delete":
            live = fetch(looker, item)
            if live is None or live.deleted:
                gone = "already_gone" if live is None else "already_in_trash"
                print(f"  skipped, {gone.replace('_', ' ')}: {label}")
                warehouse.record(run_id, mode, gone, item)
                continue
            viewed = getattr(live, "last_viewed_at", None)
            if viewed is not None and viewed.date() > item["last_access_date"]:
                print(f"  skipped, viewed {viewed:%Y-%m-%d} since: {label}")
                warehouse.record(run_id, mode, "skipped_recently_used", item, str(viewed))
                continue
            path = backup(looker, item, options)
            set_deleted(looker, item["content_type"], item["content_id"], True)
            warehouse.record(run_id, mode, "soft_deleted", item, f"backup {path}")
        else:
            if fetch(looker, item) is None:
                print(f"  skipped, already gone: {label}")
                warehouse.record(run_id, mode, "already_gone", item)
                continue
            path = latest_backup(options, item["content_type"], item["content_id"])
            path = path or backup(looker, item, options)
            deleter = (
                looker.delete_dashboard
                if item["content_type"] == "dashboard"
                else looker.delete_look
            )
            with_retries(lambda d=deleter, i=item["content_id"]: d(i), "delete", 4)
            warehouse.record(run_id, mode, "hard_deleted", item, f"backup {path}")
        print(f"  done: {label}")
        acted += 1
    print(
        f"false positives so far (flagged, then used again): "
        f"{warehouse.false_positives(candidates)}"
    )
    return 1 if acted else 0


def restore(warehouse: Warehouse, looker: Any, options: Options, kind: str, item_id: str) -> int:
    from looker_sdk import error as looker_error
    from looker_sdk import models40 as models

    path = latest_backup(options, kind, item_id)
    if path is None:
        raise CannotRun(f"no backup of {kind} {item_id} in {options.backup_dir}")
    saved = json.loads(path.read_text())
    getter = looker.dashboard if kind == "dashboard" else looker.look
    try:
        current = getter(item_id)
    except looker_error.SDKError:
        current = None
    warehouse.ensure_ledger()
    item = {
        "content_type": kind,
        "content_id": item_id,
        "title": (saved.get("dashboard") or saved.get("look") or {}).get("title"),
    }
    if current is not None:
        if not current.deleted:
            print(f"{kind} {item_id} is not in Trash: nothing to restore")
            return 0
        set_deleted(looker, kind, item_id, False)
        detail = "moved back out of Trash"
    elif kind == "dashboard":
        created = with_retries(
            lambda: looker.import_dashboard_from_lookml(
                models.WriteDashboardLookml(folder_id=saved["folder_id"], lookml=saved["lookml"])
            ),
            "import_dashboard_from_lookml",
            4,
        )
        detail = f"re-created from LookML as dashboard {created.id}"
    else:
        raise CannotRun(
            f"look {item_id} was hard-deleted; the API here cannot re-create it: its query and "
            f"settings are in {path}"
        )
    warehouse.record(uuid.uuid4().hex[:12], "apply", "restored", item, f"{detail}; {path}")
    print(f"restored {kind} {item_id}: {detail}")
    return 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--apply", action="store_true", help="act (default: dry run)")
    parser.add_argument("--backup-dir", type=Path, default=Options.backup_dir)
    parser.add_argument(
        "--max-metadata-age-hours", type=float, default=Options.max_metadata_age_hours
    )
    parser.add_argument("--max-candidate-share", type=float, default=Options.max_candidate_share)
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    parser.add_argument("command", nargs="*", help="restore dashboard|look ID")
    args = parser.parse_args(argv)
    options = Options(
        apply=args.apply,
        backup_dir=args.backup_dir,
        fallback_channel=os.environ.get("SLACK_FALLBACK_CHANNEL", Options.fallback_channel),
        max_metadata_age_hours=args.max_metadata_age_hours,
        max_candidate_share=args.max_candidate_share,
    )
    warehouse = None
    try:
        if args.command and (
            args.command[0] != "restore"
            or len(args.command) != 3
            or args.command[1] not in ("dashboard", "look")
        ):
            raise CannotRun("usage: restore dashboard|look ID")
        warehouse = Warehouse.connect()
        looker = slack = None
        if args.apply or args.command:
            import looker_sdk

            looker = looker_sdk.init40()
        if args.apply:
            slack = slack_client()
            if slack is None:
                raise CannotRun("set SLACK_BOT_TOKEN (and SLACK_API_URL for a stand-in) to --apply")
        if args.command:
            return restore(warehouse, looker, options, args.command[1], args.command[2])
        return run(warehouse, looker, slack, options)
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
