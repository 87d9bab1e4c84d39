"""Local stand-in for the Slack Web API (chat.postMessage, users.lookupByEmail).

Answers as Slack does (HTTP 200 with {"ok": true, ...} or {"ok": false, "error": ...}),
`users_not_found` for emails it does not know, and HTTP 429 with Retry-After when told to
(`rate_limit_next`). Every request and answer is checked against specs/slack
(Slack accepts GET or POST for every method). Messages sent are kept in `messages`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
from dataclasses import dataclass, field
from typing import Any

from werkzeug.wrappers import Request, Response

from sandbox.clock import as_of_moment
from sandbox.openapi import slack_spec
from sandbox.serving import BackgroundServer


@dataclass
class SlackStandIn:
    known_emails: set[str] = field(default_factory=set)
    deactivated_emails: set[str] = field(default_factory=set)  # deleted: true, as Slack says
    rate_limit_next: int = 0
    messages: list[dict] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.spec = slack_spec()
        self._ts = itertools.count(1)

    @property
    def problems(self) -> list[str]:
        return self.spec.problems

    def handle(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        if method == "users.lookupByEmail":
            email = params.get("email", "")
            email = str(email or "").lower()  # Slack matches addresses case-insensitively
            known = {e.lower() for e in self.known_emails | self.deactivated_emails}
            if email not in known:
                return {"ok": False, "error": "users_not_found"}
            # stable per email in every process (hash() of a str is salted per process)
            user_id = "U" + hashlib.sha256(email.encode()).hexdigest()[:8].upper()
            return {
                "ok": True,
                "user": {
                    "id": user_id,
                    "name": email.split("@")[0],
                    "deleted": email in {e.lower() for e in self.deactivated_emails},
                    "is_bot": False,
                },
            }
        if method == "chat.postMessage":
            if not params.get("channel"):
                return {"ok": False, "error": "channel_not_found"}
            if not params.get("text") and not params.get("blocks"):
                return {"ok": False, "error": "no_text"}
            ts = f"{as_of_moment().replace(tzinfo=dt.UTC).timestamp():.0f}.{next(self._ts):06d}"
            self.messages.append({"channel": params["channel"], "text": params.get("text")})
            return {
                "ok": True,
                "channel": params["channel"],
                "ts": ts,
                "message": {"text": params.get("text", ""), "type": "message", "ts": ts},
            }
        return {"ok": False, "error": "unknown_method"}

    def wsgi(self, environ, start_response):
        request = Request(environ)
        query, form = dict(request.args), dict(request.form)
        body = request.get_json(silent=True) if request.is_json else None
        fields = {**form, **(body or {})}  # a JSON body carries the spec's form fields
        if request.headers.get("Authorization", "").startswith("Bearer "):
            fields["token"] = "(Authorization header)"  # Slack takes either
        operation = self.spec.check_request(
            request.method, request.path, query, None, fields, any_method=True
        )
        if self.rate_limit_next:
            self.rate_limit_next -= 1
            answer = Response(
                json.dumps({"ok": False, "error": "ratelimited"}),
                status=429,
                content_type="application/json",
                headers={"Retry-After": "1"},
            )
            return answer(environ, start_response)
        method = request.path.removeprefix("/api/")
        answer = self.handle(method, {**query, **form, **(body or {})})
        # Slack answers errors with HTTP 200 too; its spec files them under "default"
        self.spec.check_response(operation, 200 if answer["ok"] else "default", answer)
        return Response(json.dumps(answer), content_type="application/json")(
            environ, start_response
        )


class SlackServer(BackgroundServer):
    """The stand-in on 127.0.0.1 in a background thread: `with SlackServer() as server:`."""

    def __init__(self, stand_in: SlackStandIn | None = None) -> None:
        self.stand_in = stand_in or SlackStandIn()
        super().__init__(self.stand_in.wsgi)
        self.base_url = f"http://127.0.0.1:{self.port}/api/"
