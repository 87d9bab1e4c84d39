"""python -m loaders [SOURCE ...]: load the named sources (default: KPI_SOURCES, else all)
into the target.

TARGET (duckdb|postgres) picks the destination; see loaders/targets.py.
Exit 0 when every load completed, 2 when a setting is missing or wrong or a load failed.
"""

from __future__ import annotations

import argparse
import inspect
import sys
from collections.abc import Sequence

from dlt.common.configuration.exceptions import (
    ConfigFieldMissingException,
    ConfigurationException,
    InvalidNativeValue,
)
from dlt.pipeline.exceptions import PipelineStepFailed

from loaders import SOURCES
from loaders.settings import SettingError, check, check_source_settings, enabled_sources
from loaders.targets import pipeline, run_options, target_name


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m loaders", description=__doc__)
    parser.add_argument("sources", nargs="*", help=f"any of {', '.join(SOURCES)}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    args = parser.parse_args(argv)
    unknown = [s for s in args.sources if s not in SOURCES]
    if unknown:
        parser.error(f"unknown source(s) {', '.join(unknown)}; known: {', '.join(SOURCES)}")
    name = ""
    try:
        for warning in check() + check_source_settings(
            {n: inspect.signature(f).parameters for n, f in SOURCES.items()}
        ):
            print(warning, file=sys.stderr)
        target = target_name()
        for name in args.sources or enabled_sources():
            loader = pipeline(name, target)
            if loader.has_pending_data:  # a load that was killed or failed: finish it first,
                # or dlt's run() would only finish it and extract nothing new
                print(f"{name}: finishing the load package left by an interrupted run")
                loader.run()
            info = loader.run(SOURCES[name](), **run_options(target))
            rows = sum(
                count
                for table, count in info.pipeline.last_trace.last_normalize_info.row_counts.items()
                if not table.startswith("_dlt")
            )
            print(f"{name}: loaded {rows} rows into raw_{name} on {target}")
    except (ValueError, ConfigurationException, PipelineStepFailed) as exc:
        if args.debug:
            raise
        if isinstance(exc, SettingError):
            print(f"loaders: {exc}", file=sys.stderr)
            return 2
        missing = exc
        while isinstance(missing, PipelineStepFailed) and missing.__cause__ is not None:
            missing = missing.__cause__
        if isinstance(missing, ConfigFieldMissingException):
            settings = [f"sources.{name}.{field}" for field in missing.fields]
            env = [s.replace(".", "__").upper() for s in settings]
            print(
                f"loaders: source {name}: missing setting {', '.join(settings)}: "
                f"set {', '.join(env)} (or .dlt/secrets.toml)",
                file=sys.stderr,
            )
            return 2
        if isinstance(exc, InvalidNativeValue):
            setting = ".".join(("sources", name, *exc.embedded_sections))
            env = "__".join(setting.split(".")).upper()
            print(
                f"loaders: {setting} ({env}) cannot be parsed: {exc.inner_exception}",
                file=sys.stderr,
            )
            return 2
        cause, where = exc, f"source {name}" if name else "settings"
        if isinstance(exc, PipelineStepFailed):  # name the step: extract reads the source,
            # load writes the destination
            where = f"source {name}, step {exc.step} (raw_{name} on {target})"
        while isinstance(cause, PipelineStepFailed) and cause.__cause__ is not None:
            cause = cause.__cause__
        print(f"loaders: {where}: {type(cause).__name__}: {cause}", file=sys.stderr)
        return 2
    except Exception as exc:  # a source failing before its pipeline runs (e.g. its API)
        if args.debug:
            raise
        print(f"loaders: source {name}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
