"""dlt loaders: each source lands its system's raw tables in raw_<source> on the target.

`SOURCES` (name -> dlt source function) is built on first use, so light modules of the
package (loaders.settings, loaders.targets) import without loading every source's SDK.
"""

from __future__ import annotations

from typing import Any


def _sources() -> dict[str, Any]:
    from loaders.appdb import appdb_source
    from loaders.batch import batch_source
    from loaders.ga4 import ga4_source
    from loaders.itsm import itsm_source
    from loaders.looker import looker_source
    from loaders.prometheus import prometheus_source

    return {
        "batch": batch_source,
        "itsm": itsm_source,
        "ga4": ga4_source,
        "prometheus": prometheus_source,
        "appdb": appdb_source,
        "looker": looker_source,
    }


def __getattr__(name: str) -> Any:
    if name == "SOURCES":
        globals()["SOURCES"] = sources = _sources()
        return sources
    raise AttributeError(f"module 'loaders' has no attribute {name!r}")
