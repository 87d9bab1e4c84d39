"""The Slack Web API client the scripts share: SLACK_BOT_TOKEN, and SLACK_API_URL for a
stand-in (sandbox/slack_server.py); 429 answers are retried after their Retry-After."""

from __future__ import annotations

import os
from typing import Any


def slack_client() -> Any | None:
    """A slack_sdk WebClient, or None when SLACK_BOT_TOKEN is not set."""
    token = os.environ.get("SLACK_BOT_TOKEN")
    if not token:
        return None
    from slack_sdk import WebClient
    from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

    return WebClient(
        token=token,
        base_url=os.environ.get("SLACK_API_URL", "https://slack.com/api/"),
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=5)],
    )
