"""Merge keys that are never null, so bad rows land (for dbt to reject) instead of failing.

dlt makes merge-key columns non-nullable; a source row with a null key would stop the whole
load. `add_merge_key` adds a string column: the natural key values joined with "|" when all
are present, else "null-key:" + a hash of the whole row (the same row always gets the same
key, so re-loading it stays idempotent).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence

import pyarrow as pa
import pyarrow.compute as pc


def add_merge_key(table: pa.Table, columns: Sequence[str], name: str) -> pa.Table:
    parts = [pc.cast(table[c], pa.string()) for c in columns]
    key = pc.binary_join_element_wise(*parts, "|")
    missing = pc.is_null(key)
    if pc.any(missing).as_py():
        values = key.to_pylist()
        positions = pc.indices_nonzero(missing).to_pylist()
        for position, row in zip(positions, table.take(positions).to_pylist(), strict=True):
            digest = hashlib.sha1(json.dumps(row, sort_keys=True, default=str).encode()).hexdigest()
            values[position] = f"null-key:{digest}"
        key = pa.array(values, pa.string())
    return table.append_column(name, key)
