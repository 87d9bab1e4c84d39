"""Run a stand-in's WSGI app on 127.0.0.1 in a background thread (demo and tests)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from werkzeug.serving import make_server

logging.getLogger("werkzeug").setLevel(logging.ERROR)


class BackgroundServer:
    """`with Server(...) as server:` serves `app` on a free loopback port (or `port`)."""

    def __init__(self, app: Callable, port: int = 0) -> None:
        self._server = make_server("127.0.0.1", port, app, threaded=True)
        self.port = self._server.server_port
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()

    def serve_forever(self) -> None:
        """Serve in the foreground (python -m sandbox.<stand-in>)."""
        self._server.serve_forever()
