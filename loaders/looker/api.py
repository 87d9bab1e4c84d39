"""Looker API calls with retries decided by the HTTP status, not the error text.

looker-sdk raises SDKError with the response body but not the status, so `connect()` wraps
the SDK's requests session to remember, per thread, the status and Retry-After header of
the last answer (or that the connection failed). `call()` retries what is worth retrying:
429 (after Retry-After, capped), 5xx and connection errors, at most `max_attempts` times;
anything else fails at once. Errors name the endpoint and the item and carry the status.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

import looker_sdk
from looker_sdk import error as looker_error

T = TypeVar("T")
MAX_WAIT_SECONDS = 120.0  # the longest Retry-After honoured before giving up


class LookerApiError(RuntimeError):
    """A Looker call failed (after retries when transient); names endpoint and item."""

    def __init__(
        self, message: str, status: int | None, attempts: int, statuses: list | None = None
    ) -> None:
        super().__init__(message)
        self.status = status  # None: no answer (connection failed)
        self.attempts = attempts
        self.statuses = statuses or [status]  # every attempt's answer, in order


class Looker:
    """An SDK whose answers' HTTP statuses are known."""

    def __init__(self, sdk: Any) -> None:
        self.sdk = sdk
        self._last = threading.local()
        session = sdk.transport.session
        original = session.request

        def request(*args: Any, **kwargs: Any) -> Any:
            self._last.status, self._last.retry_after = None, None
            answer = original(*args, **kwargs)  # a connection error leaves status None
            self._last.status = answer.status_code
            self._last.retry_after = answer.headers.get("Retry-After")
            return answer

        session.request = request

    def last_answer(self) -> tuple[int | None, str | None]:
        return getattr(self._last, "status", None), getattr(self._last, "retry_after", None)

    def call(
        self,
        operation: Callable[[], T],
        what: str,
        max_attempts: int = 4,
        sleep: Callable[[float], None] | None = None,
    ) -> T:
        """operation() with retries by status; `what` names the endpoint and item."""
        statuses: list[int | None] = []
        for attempt in range(1, max_attempts + 1):
            try:
                return operation()
            except (looker_error.SDKError, OSError) as exc:
                status, retry_after = self.last_answer()
                if isinstance(exc, OSError):
                    status = None
                statuses.append(status)
                transient = status is None or status == 429 or status >= 500
                if not transient or attempt == max_attempts:
                    answer = f"HTTP {status}" if status else "no answer (connection failed)"
                    text = str(exc).strip().replace("\n", " ")[:200]
                    raise LookerApiError(
                        f"looker {what}: {answer} after {attempt} attempt(s): {text}",
                        status,
                        attempt,
                        statuses,
                    ) from exc
                wait = min(2 ** (attempt - 1), 10.0)
                if status == 429 and retry_after:
                    with contextlib.suppress(ValueError):
                        wait = max(wait, float(retry_after))
                if wait > MAX_WAIT_SECONDS:
                    raise LookerApiError(
                        f"looker {what}: HTTP 429 asks to wait {wait:.0f} s, more than "
                        f"{MAX_WAIT_SECONDS:.0f}",
                        status,
                        attempt,
                    ) from exc
                (sleep or time.sleep)(wait)
        raise AssertionError("unreachable")


def connect() -> Looker:
    """looker_sdk.init40() (LOOKERSDK_* settings) with status-aware calls."""
    try:
        return Looker(looker_sdk.init40())
    except looker_error.SDKError as exc:
        raise ValueError(
            "looker: set LOOKERSDK_BASE_URL, LOOKERSDK_CLIENT_ID and "
            f"LOOKERSDK_CLIENT_SECRET ({exc})"
        ) from exc
