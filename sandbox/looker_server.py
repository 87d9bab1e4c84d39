"""Local stand-in for the Looker API 4.0, for the demo and tests (no Looker runs here).

Serves what looker-sdk calls for kpi-warehouse: login/logout, dashboards and looks (list,
search incl. deleted, get, LookML, soft delete and restore by PATCH {"deleted": ...}, hard
delete), users (limit/offset), and System Activity history through run_inline_query
(model system__activity, view history, filtered on history.id for paging). Every request
and answer is checked against specs/looker (problems land in `problems`).

Generated content: users (some disabled), a few hundred dashboards and looks created over
two years, some in Trash, some favourited, looks placed on dashboards, and skewed access
history: popular, old, recently created and never-viewed content.

Faithful to the spec where the job's safety depends on it: `last_viewed_at` is set by web-UI
views only, `last_accessed_at` by any access (views and API runs); DashboardLookml's
write-only `folder_id` is never returned; searches honour `limit`/`offset` up to a server
cap (`row_cap`), as System Activity queries do, and System Activity keeps 90 days.
Test knobs: `fail_next` (statuses to answer next: 429 with `retry_after`, 5xx with varied
bodies, or "drop" to close the connection), `lose_answer_next` (do the next change, then
answer 502), `touch(kind, id)` (viewed now), `access(kind, id)` (run through the API now),
`favorite(kind, id)`. `actions` lists every change that reached the server.

    python -m sandbox.looker_server --port 8766
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import random
import socket
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
    fail_next: list[int | str] = field(default_factory=list)
    lose_answer_next: int = 0
    retry_after: str = "1"
    row_cap: int = 5000
    history_days: int = 90
    requests: list[str] = field(default_factory=list)
    actions: list[tuple[str, str, str]] = field(default_factory=list)
    queries: dict[str, dict] = field(default_factory=dict)
    after_request: list = field(default_factory=list)  # callables(method, path), for tests
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
        item["last_accessed_at"] = iso(moment)

    def touch(self, kind: str, item_id: str) -> None:
        self.view(kind, item_id, self.users[0]["id"], self.now)

    def access(self, kind: str, item_id: str) -> None:
        """Run through the API (a schedule, an embed): last_accessed_at only, as the spec
        says last_viewed_at is the web UI's."""
        item = (self.dashboards if kind == "dashboard" else self.looks)[item_id]
        item["last_accessed_at"] = iso(self.now)
        self.history.append(
            {
                "history.id": len(self.history) + 1,
                "history.created_time": self.now.strftime("%Y-%m-%d %H:%M:%S"),
                "history.source": "api",
                "dashboard.id": int(item_id) if kind == "dashboard" else None,
                "look.id": int(item_id) if kind == "look" else None,
                "user.id": int(self.users[0]["id"]),
            }
        )

    def favorite(self, kind: str, item_id: str) -> None:
        (self.dashboards if kind == "dashboard" else self.looks)[item_id]["favorite_count"] += 1

    def page(self, rows: list, query: dict) -> list:
        """limit/offset as the API takes them, never more than the server's cap."""
        offset = int(query.get("offset") or 0)
        limit = min(int(query.get("limit") or self.row_cap), self.row_cap)
        return rows[offset : offset + limit]

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
        if parts == ["dashboard_elements", "search"]:
            found = [
                e
                for d in self.dashboards.values()
                for e in d["dashboard_elements"]
                if all(
                    str(e.get(name)) == query[name]
                    for name in ("look_id", "dashboard_id")
                    if name in query
                )
            ]
            return 200, found  # the spec gives this search no limit/offset: all of it
        if parts == ["dashboard_elements"] and method == "POST":
            dashboard = self.dashboards.get(str((body or {}).get("dashboard_id")))
            if dashboard is None:
                return 404, {"message": "Not found", "documentation_url": "https://docs"}
            element = {
                "id": str(next(self._ids)),
                "dashboard_id": dashboard["id"],
                "look_id": (body or {}).get("look_id"),
                "type": (body or {}).get("type", "vis"),
                "title": (body or {}).get("title"),
            }
            dashboard["dashboard_elements"].append(element)
            self.actions.append(("POST", "dashboard_element", element["id"]))
            return 200, element
        if parts == ["queries"] and method == "POST":
            query_id = str(next(self._ids))
            self.queries[query_id] = {**(body or {}), "id": query_id}
            return 200, self.queries[query_id]
        if parts == ["looks"] and method == "POST":
            owner = self.users[0]
            look = self.add_content("look", (body or {}).get("title") or "Look", owner, self.now)
            look["folder_id"] = str((body or {}).get("folder_id") or look["folder_id"])
            look["folder"] = {"id": look["folder_id"], "name": "restored"}
            look["query_id"] = str((body or {}).get("query_id") or look["query_id"])
            self.actions.append(("POST", "look", look["id"]))
            return 200, self.with_query(look)
        kind = {"dashboards": "dashboard", "looks": "look"}.get(parts[0])
        store = self.dashboards if kind == "dashboard" else self.looks
        if kind and len(parts) == 1:
            return 200, [i for i in store.values() if not i["deleted"]]
        if kind and parts[1] == "search":
            wanted = query.get("deleted")
            found = sorted(
                (
                    i
                    for i in store.values()
                    if (wanted is None or str(i["deleted"]).lower() == wanted.lower())
                    and all(str(i.get(n)) == query[n] for n in ("title", "folder_id") if n in query)
                ),
                key=lambda i: int(i["id"]),
            )
            return 200, self.page(found, query)
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
            item["folder_id"] = str((body or {}).get("folder_id") or item["folder_id"])
            item["folder"] = {"id": item["folder_id"], "name": "restored"}
            self.actions.append(("POST", "dashboard", item["id"]))
            return 200, item
        if kind == "dashboard" and parts[1] == "lookml":
            item = store.get(parts[2])
            if item is None:
                return 404, {"message": "Not found", "documentation_url": "https://docs"}
            lookml = f"- dashboard: d{item['id']}\n  title: {item['title']}\n  elements: []\n"
            # folder_id is write-only in DashboardLookml: Looker never returns it
            return 200, {"dashboard_id": item["id"], "lookml": lookml}
        item = store.get(parts[1]) if kind else None
        if item is None:
            return 404, {"message": "Not found", "documentation_url": "https://docs"}
        if method == "GET":
            return 200, self.with_query(item) if kind == "look" else item
        if method == "PATCH":
            if "deleted" in (body or {}) and bool(body["deleted"]) != item["deleted"]:
                item["deleted"] = bool(body["deleted"])
                item["deleted_at"] = iso(self.now) if item["deleted"] else None
                self.actions.append(("PATCH", f"{kind} deleted={item['deleted']}", item["id"]))
            return 200, self.with_query(item) if kind == "look" else item
        if method == "DELETE":
            del store[parts[1]]
            self.actions.append(("DELETE", kind, parts[1]))
            return 204, None
        return 405, {"message": "Method not allowed", "documentation_url": "https://docs"}

    def with_query(self, look: dict) -> dict:
        """A look as GET /looks/{id} answers it (LookWithQuery)."""
        query = self.queries.get(look["query_id"]) or {
            "id": look["query_id"],
            "model": "kpi_warehouse",
            "view": "fct_batch_runs",
            "fields": ["fct_batch_runs.run_date", "fct_batch_runs.count"],
        }
        return {**look, "query": query}

    def run_inline_query(self, body: dict) -> tuple[int, Any]:
        if body.get("model") != "system__activity" or body.get("view") != "history":
            return 422, {
                "message": "stand-in serves system__activity/history only",
                "documentation_url": "https://docs",
            }
        kept_from = (self.now - dt.timedelta(days=self.history_days)).strftime("%Y-%m-%d")
        rows = [r for r in self.history if r["history.created_time"] >= kept_from]
        after = (body.get("filters") or {}).get("history.id", "")
        if after.startswith(">"):
            rows = [r for r in rows if r["history.id"] > int(after[1:])]
        rows = sorted(rows, key=lambda r: r["history.id"])
        rows = rows[: min(int(body.get("limit") or self.row_cap), self.row_cap)]
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
            if status == "drop":  # the connection closes without an answer
                environ["werkzeug.socket"].shutdown(socket.SHUT_RDWR)
                return Response(status=500)(environ, start_response)
            return failure(int(status), self.retry_after)(environ, start_response)
        status, answer = self.handle(request.method, request.path, {**query, **form}, body)
        changes = request.method in ("PATCH", "DELETE", "POST") and not request.path.endswith(
            ("/login", "/logout", "/queries/run/json")
        )
        if self.lose_answer_next and changes:
            self.lose_answer_next -= 1  # done, but the answer is lost on the way back
            return failure(502, self.retry_after)(environ, start_response)
        if status != 204:
            answer = self.spec.project(operation, status, answer)
            self.spec.check_response(operation, status, answer)
        for hook in self.after_request:
            hook(request.method, request.path)
        return json_response(status, answer)(environ, start_response)

    @property
    def problems(self) -> list[str]:
        return self.spec.problems


def failure(status: int, retry_after: str) -> Response:
    """Error answers as proxies and Looker give them: JSON, HTML or empty bodies."""
    if status == 429:
        return json_response(
            429,
            {"message": "Too Many Requests", "documentation_url": "https://docs"},
            {"Retry-After": retry_after},
        )
    if status == 502:
        return Response("<html><body>502 Bad Gateway</body></html>", 502, content_type="text/html")
    if status == 504:
        return Response("", 504)
    reason = {500: "Internal Server Error", 503: "Service Unavailable", 404: "Not found"}
    return json_response(
        status, {"message": reason.get(status, "Error"), "documentation_url": "https://docs"}
    )


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
