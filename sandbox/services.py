"""Local services for the demo and tests: a real Prometheus and the GA4 stand-in.

    python -m sandbox.services [--sources batch,ga4] -- python -m loaders

Only what the sources need starts (default: the KPI_SOURCES setting): Prometheus for
prometheus, the GA4 stand-in for ga4, the Looker stand-in for looker.

Prometheus is the real server (Debian package `prometheus`, installed with apt when
missing and we are root), started on a free loopback port with its own data directory,
scraping itself. The GA4 Data API cannot run here, so sandbox/ga4_server.py stands in.
Nor can Looker: sandbox/looker_server.py stands in. The command gets
SOURCES__PROMETHEUS__BASE_URL, SOURCES__GA4__API_ENDPOINT, SOURCES__GA4__URL_SCHEME and
LOOKERSDK_* pointing at them.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import requests

from loaders.settings import check, enabled_sources, parse_sources
from sandbox.ga4_server import Ga4Server
from sandbox.looker_server import LookerServer


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ensure_prometheus() -> str:
    binary = shutil.which("prometheus")
    if binary:
        return binary
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("services: installing prometheus with apt-get", file=sys.stderr)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "prometheus"], check=True, env=env)
        binary = shutil.which("prometheus")
    if not binary:
        raise RuntimeError("prometheus is not installed: apt-get install -y prometheus")
    return binary


@contextlib.contextmanager
def prometheus(
    data_dir: Path, scrape_seconds: int = 5, min_samples: int = 2, retention: str = "15d"
) -> Iterator[str]:
    """A real Prometheus scraping itself; yields its base URL once `up` has samples (or,
    with min_samples=0, once it is ready: for a TSDB backfilled with promtool)."""
    binary = ensure_prometheus()
    data_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    config = data_dir / "prometheus.yml"
    config.write_text(
        f"global:\n  scrape_interval: {scrape_seconds}s\n  evaluation_interval: 15s\n"
        f"scrape_configs:\n  - job_name: prometheus\n    static_configs:\n"
        f"      - targets: ['127.0.0.1:{port}']\n"
    )
    log = (data_dir / "prometheus.log").open("w")
    process = subprocess.Popen(
        [
            binary,
            f"--config.file={config}",
            f"--storage.tsdb.path={data_dir / 'tsdb'}",
            f"--web.listen-address=127.0.0.1:{port}",
            f"--storage.tsdb.retention.time={retention}",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"prometheus exited; see {data_dir / 'prometheus.log'}")
            try:
                if min_samples == 0:
                    if requests.get(f"{url}/-/ready", timeout=2).ok:
                        break
                    raise ValueError("not ready")
                # this instance's own series: the data directory may keep the `up` series
                # of earlier runs (other ports), whose counts no longer grow
                query = f'count_over_time(up{{instance="127.0.0.1:{port}"}}[10m])'
                answer = requests.get(
                    f"{url}/api/v1/query", params={"query": query}, timeout=2
                ).json()
                result = answer["data"]["result"]
                if result and float(result[0]["value"][1]) >= min_samples:
                    break
            except (requests.RequestException, ValueError, KeyError):
                pass
            if time.time() > deadline:
                raise RuntimeError(f"prometheus at {url} had no samples after 60 s")
            time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


# which stand-in or server each source needs; the other sources need none
NEEDS = {"prometheus": "prometheus", "ga4": "ga4", "looker": "looker"}


@contextlib.contextmanager
def demo_services(
    sources: list[str] | None = None, state_dir: Path = Path(".state")
) -> Iterator[dict[str, str]]:
    """Start only what `sources` (default: KPI_SOURCES) need; yield the settings that point
    the loaders at them."""
    needed = {NEEDS[s] for s in (sources or enabled_sources()) if s in NEEDS}
    env: dict[str, str] = {}
    with contextlib.ExitStack() as stack:
        if "prometheus" in needed:
            # 2 s scrapes and 15 samples: a fresh demo Prometheus has half a minute of history
            print("services: starting Prometheus (about 30 s to gather samples)", flush=True)
            env["SOURCES__PROMETHEUS__BASE_URL"] = stack.enter_context(
                prometheus(state_dir / "prometheus", scrape_seconds=2, min_samples=15)
            )
        if "ga4" in needed:
            ga4 = stack.enter_context(Ga4Server())
            env |= {"SOURCES__GA4__API_ENDPOINT": ga4.host, "SOURCES__GA4__URL_SCHEME": "http"}
        if "looker" in needed:
            env |= stack.enter_context(LookerServer()).env()
        yield env


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sandbox.services", usage="%(prog)s [--sources LIST] -- COMMAND ..."
    )
    parser.add_argument(
        "--sources", default="", help="comma-separated sources to serve (default: KPI_SOURCES)"
    )
    if "--" not in argv or argv.index("--") == len(argv) - 1:
        parser.print_usage(sys.stderr)
        return 2
    split = argv.index("--")
    args, command = parser.parse_args(argv[:split]), argv[split + 1 :]
    try:
        for warning in check():  # a wrong setting stops here, before any server starts
            print(warning, file=sys.stderr)
        sources = parse_sources(args.sources, "--sources") if args.sources.strip() else None
        with demo_services(sources) as env:
            started = {
                "SOURCES__PROMETHEUS__BASE_URL": "prometheus",
                "SOURCES__GA4__API_ENDPOINT": "GA4 stand-in",
                "LOOKERSDK_BASE_URL": "Looker stand-in",
            }
            shown = [f"{what} {env[key]}" for key, what in started.items() if key in env]
            print(f"services: {', '.join(shown) or 'none needed'}", flush=True)
            return subprocess.run(command, env={**os.environ, **env}).returncode
    except (RuntimeError, ValueError, subprocess.CalledProcessError) as exc:
        print(f"services: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
