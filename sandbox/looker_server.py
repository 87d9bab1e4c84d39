"""Local stand-in for the Looker API 4.0, for the demo and tests (no Looker runs here).

Serves what looker-sdk calls for kpi-warehouse: login/logout, dashboards and looks (list,
search incl. deleted, get, LookML, soft delete and restore by PATCH {"deleted": ...}, hard
delete), users (limit/offset), and System Activity history through run_inline_query
(model system__activity, view history, filtered on history.id for paging). Every request
and answer is checked against specs/looker (problems land in `problems`).

Generated content: users (some disabled), a few hundred dashboards and looks created over
two years, some in Trash, some favourited, looks placed on dashboards, and skewed access
history: popular, old, recently created and never-viewed content.
Test knobs: `fail_next` (statuses to answer next, e.g. 429 with Retry-After, 500),
`touch(kind, id)` (someone just viewed the item).

    python -m sandbox.looker_server --port 8766
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import random
from dataclasses import dataclass, field
from typing import Any

from werkzeug.wrappers import Request, Response

from sandbox.clock import as_of_moment
from sandbox.openapi import looker_spec
from sandbox.serving import BackgroundServer

CLIENT_ID, CLIENT_SECRET = "kpi-client", "kpi-secret"
TOKEN = "stand-in-token"


def iso(moment: dt.datetime | None) -> str | None:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000+00:00") if moment else None


@dataclass
class LookerStandIn:
    seed: int = 7
    now: dt.datetime = field(default_factory=as_of_moment)
    dashboards: dict[str, dict] = field(default_factory=dict)
    looks: dict[str, dict] = field(default_factory=dict)
    users: list[dict] = field(default_factory=list)
    history: list[dict] = field(default_factory=list)
    fail_next: list[int] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    generate: bool = True

    def __post_init__(self) -> None:
        self.spec = looker_spec()
        self._ids = itertools.count(10_000)
        if self.generate:
            self.populate(random.Random(self.seed))

    # ---- content -------------------------------------------------------------------
    def add_user(self, email: str, disabled: bool = False) -> dict:
        user = {
            "id": str(len(self.users) + 1),
            "email": email,
            "first_name": email.split("@")[0].title(),
            "last_name": "Analyst",
            "display_name": email.split("@")[0].title(),
            "is_disabled": disabled,
        }
        self.users.append(user)
        return user

    def add_content(
        self, kind: str, title: str, owner: dict, created: dt.datetime, deleted_at=None
    ) -> dict:
        item_id = str(next(self._ids))
        item = {
            "id": item_id,
            "title": title,
            "user_id": owner["id"],
            "user_name": owner["display_name"],
            "created_at": iso(created),
            "updated_at": iso(created),
            "deleted": deleted_at is not None,
            "deleted_at": iso(deleted_at),
            "favorite_count": 0,
            "view_count": 0,
            "folder": {"id": str(int(owner["id"]) + 100), "name": f"{owner['display_name']}'s"},
            "folder_id": str(int(owner["id"]) + 100),
        }
        if kind == "dashboard":
            item["dashboard_elements"] = []
            self.dashboards[item_id] = item
        else:
            item["query_id"] = str(int(item_id) + 50_000)
            self.looks[item_id] = item
        return item

    def view(self, kind: str, item_id: str, user_id: str, moment: dt.datetime) -> None:
        self.history.append(
            {
                "history.id": len(self.history) + 1,
                "history.created_time": moment.strftime("%Y-%m-%d %H:%M:%S"),
                "history.source": "dashboard" if kind == "dashboard" else "look",
                "dashboard.id": int(item_id) if kind == "dashboard" else None,
                "look.id": int(item_id) if kind == "look" else None,
                "user.id": int(user_id),
            }
        )
        item = (self.dashboards if kind == "dashboard" else self.looks)[item_id]
        item["view_count"] += 1
        item["last_viewed_at"] = iso(moment)

    def touch(self, kind: str, item_id: str) -> None:
        self.view(kind, item_id, self.users[0]["id"], self.now)

    def populate(self, rng: random.Random) -> None:
        for i in range(60):
            self.add_user(f"analyst{i + 1}@example.com", disabled=rng.random() < 0.1)
        self.add_user("nobody.on.slack@example.com")
        topics = ("Revenue", "Churn", "Pipeline", "Support", "Marketing", "Ops", "Finance")
        for kind, count in (("dashboard", 220), ("look", 260)):
            for n in range(count):
                created = self.now - dt.timedelta(days=rng.choice([3, 20, 45, 90, 200, 500]))
                created -= dt.timedelta(hours=rng.randint(0, 400))
                created = max(created, self.now - dt.timedelta(days=700))
                deleted = None
                if rng.random() < 0.06:
                    deleted = self.now - dt.timedelta(days=rng.choice([5, 20, 40, 90]))
                item = self.add_content(
                    kind,
                    f"{rng.choice(topics)} {kind} {n + 1}",
                    rng.choice(self.users),
                    created,
                    deleted,
                )
                item["favorite_count"] = 1 if rng.random() < 0.05 else 0
                popularity = rng.choices(["never", "old", "recent", "busy"], [15, 15, 35, 35])[0]
                age = (self.now - created).days
                views = {"never": 0, "old": 3, "recent": 4, "busy": 25}[popularity]
                for _ in range(views):
                    if popularity == "old" and age > 100:
                        ago = rng.randint(max(0, age - 10) // 2 + 50, max(age, 51))
                    else:
                        ago = rng.randint(0, min(age, 30))
                    moment = self.now - dt.timedelta(days=ago, minutes=rng.randint(0, 1000))
                    self.view(kind, item["id"], rng.choice(self.users)["id"], max(moment, created))
        look_ids = list(self.looks)
        for dashboard in self.dashboards.values():
            for look_id in rng.sample(look_ids, rng.choice([0, 0, 1, 2])):
                dashboard["dashboard_elements"].append(
                    {
                        "id": str(next(self._ids)),
                        "dashboard_id": dashboard["id"],
                        "look_id": look_id,
                        "type": "vis",
                        "title": self.looks[look_id]["title"],
                    }
                )
        self.history.sort(key=lambda h: h["history.created_time"])
        for n, row in enumerate(self.history, start=1):
            row["history.id"] = n

    # ---- API -------------------------------------------------------------------------
    def handle(self, method: str, path: str, query: dict, body: Any) -> tuple[int, Any]:
        parts = path.removeprefix("/api/4.0/").split("/")
        if parts == ["login"]:
            ok = query.get("client_id") == CLIENT_ID and query.get("client_secret") == CLIENT_SECRET
            if not ok:
                return 404, {"message": "Not found", "documentation_url": "https://docs"}
            return 200, {"access_token": TOKEN, "token_type": "Bearer", "expires_in": 3600}
        if parts == ["logout"]:
            return 204, None
        if parts == ["users"]:
            offset, limit = int(query.get("offset", 0)), int(query.get("limit", 100))
            return 200, self.users[offset : offset + limit]
        if parts == ["queries", "run", "json"]:
            return self.run_inline_query(body)
        kind = {"dashboards": "dashboard", "looks": "look"}.get(parts[0])
        store = self.dashboards if kind == "dashboard" else self.looks
        if kind and len(parts) == 1:
            return 200, [i for i in store.values() if not i["deleted"]]
        if kind and parts[1] == "search":
            wanted = query.get("deleted")
            return 200, [
                i
                for i in store.values()
                if wanted is None or str(i["deleted"]).lower() == wanted.lower()
            ]
        if kind == "dashboard" and parts[1:] == ["lookml"] and method == "POST":
            lookml = (body or {}).get("lookml", "")
            title = next(
                (
                    line.split(":", 1)[1].strip()
                    for line in lookml.splitlines()
                    if line.strip().startswith("title:")
                ),
                "Imported dashboard",
            )
            owner = self.users[0]
            item = self.add_content("dashboard", title, owner, self.now)
            item["folder_id"] = (body or {}).get("folder_id") or item["folder_id"]
            return 200, item
        if kind == "dashboard" and parts[1] == "lookml":
            item = store.get(parts[2])
            if item is None:
                return 404, {"message": "Not found", "documentation_url": "https://docs"}
            lookml = f"- dashboard: d{item['id']}\n  title: {item['title']}\n  elements: []\n"
            return 200, {
                "dashboard_id": item["id"],
                "folder_id": item["folder_id"],
                "lookml": lookml,
            }
        item = store.get(parts[1]) if kind else None
        if item is None:
            return 404, {"message": "Not found", "documentation_url": "https://docs"}
        if method == "GET":
            return 200, item
        if method == "PATCH":
            if "deleted" in (body or {}):
                item["deleted"] = bool(body["deleted"])
                item["deleted_at"] = iso(self.now) if item["deleted"] else None
            return 200, item
        if method == "DELETE":
            del store[parts[1]]
            return 204, None
        return 405, {"message": "Method not allowed", "documentation_url": "https://docs"}

    def run_inline_query(self, body: dict) -> tuple[int, Any]:
        if body.get("model") != "system__activity" or body.get("view") != "history":
            return 422, {
                "message": "stand-in serves system__activity/history only",
                "documentation_url": "https://docs",
            }
        rows = self.history
        after = (body.get("filters") or {}).get("history.id", "")
        if after.startswith(">"):
            rows = [r for r in rows if r["history.id"] > int(after[1:])]
        rows = sorted(rows, key=lambda r: r["history.id"])[: int(body.get("limit") or 5000)]
        fields = body.get("fields") or list(rows[0]) if rows else []
        return 200, [{f: r.get(f) for f in fields} for r in rows]

    def wsgi(self, environ, start_response):
        request = Request(environ)
        query = dict(request.args)
        form = dict(request.form)
        body = request.get_json(silent=True) if request.data else None
        self.requests.append(f"{request.method} {request.path}")
        operation = self.spec.check_request(request.method, request.path, query, body, form)
        if not request.path.endswith("/login"):
            auth = request.headers.get("Authorization", "")
            if auth.split(" ")[-1] != TOKEN:
                return json_response(
                    401, {"message": "Requires authentication", "documentation_url": "https://docs"}
                )(environ, start_response)
        if self.fail_next:
            status = self.fail_next.pop(0)
            headers = {"Retry-After": "1"} if status == 429 else {}
            reason = {429: "Too Many Requests", 503: "Service Unavailable"}.get(
                status, "Internal Server Error"
            )
            return json_response(
                status,
                {"message": reason, "documentation_url": "https://docs"},
                headers,
            )(environ, start_response)
        status, answer = self.handle(request.method, request.path, {**query, **form}, body)
        if status != 204:
            answer = self.spec.project(operation, status, answer)
            self.spec.check_response(operation, status, answer)
        return json_response(status, answer)(environ, start_response)

    @property
    def problems(self) -> list[str]:
        return self.spec.problems


def json_response(status: int, body: Any, headers: dict | None = None) -> Response:
    if status == 204:
        return Response(status=204)
    return Response(
        json.dumps(body), status=status, content_type="application/json", headers=headers or {}
    )


class LookerServer(BackgroundServer):
    """The stand-in on 127.0.0.1 in a background thread: `with LookerServer() as server:`."""

    def __init__(self, stand_in: LookerStandIn | None = None, port: int = 0) -> None:
        self.stand_in = stand_in or LookerStandIn()
        super().__init__(self.stand_in.wsgi, port)
        self.base_url = f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        """The LOOKERSDK_* settings looker_sdk.init40() reads."""
        return {
            "LOOKERSDK_BASE_URL": self.base_url,
            "LOOKERSDK_CLIENT_ID": CLIENT_ID,
            "LOOKERSDK_CLIENT_SECRET": CLIENT_SECRET,
            "LOOKERSDK_VERIFY_SSL": "false",
            "LOOKERSDK_TIMEOUT": "30",
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8766)
    args = parser.parse_args()
    server = LookerServer(port=args.port)
    print(f"Looker stand-in on {server.base_url}")
    server.serve_forever()


if __name__ == "__main__":
    main()
