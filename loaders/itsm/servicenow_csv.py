"""Read a ServiceNow incident list export (CSV) into an Arrow table, typed like the database.

Exports vary, so every choice is a setting with detection that never guesses silently:

- null_values: cells meaning null (default "", "?" and "NULL").
- timestamp_format: "auto" (default), "iso", "dayfirst" or "monthfirst". "auto" reads every
  timestamp cell: ISO if all are ISO; for d/m/y-style cells, day-first when some first field
  is over 12, month-first when some second field is; when no cell decides (all fields <= 12)
  or both orders appear, it stops and asks for the setting.
Coded values such as "2 - Medium" are kept as exported; dbt staging splits them.
Every error names the file, the line, the column and the value.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import pyarrow as pa

TIMESTAMP_COLUMNS = ("opened_at", "sys_updated_at", "resolved_at", "closed_at")
INTEGER_COLUMNS = ("reassignment_count", "reopen_count", "sys_mod_count")
BOOLEAN_COLUMNS = ("active", "made_sla")
REQUIRED_COLUMNS = ("number", "incident_state", "sys_mod_count", "sys_updated_at", "opened_at")
TIMESTAMP_FORMATS = ("auto", "iso", "dayfirst", "monthfirst")
BOOLEANS = {"true": True, "false": False, "1": True, "0": False, "yes": True, "no": False}

ISO = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?$")
SLASHED = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}) (\d{1,2}):(\d{2})(:\d{2})?$")


class CsvExportError(ValueError):
    """A CSV export that cannot be read as configured; the message says where and why."""


def detect_timestamp_format(path: Path, cells: pd.DataFrame) -> str:
    values = pd.unique(cells.stack().dropna())
    if all(ISO.match(v) for v in values):
        return "iso"
    day_first = month_first = False
    for value in values:
        match = SLASHED.match(value)
        if match is None:
            raise CsvExportError(
                f"{path}: timestamp {value!r} is neither ISO nor d/m/y; set "
                "sources.itsm.csv_timestamp_format"
            )
        first, second = int(match[1]), int(match[2])
        day_first |= first > 12
        month_first |= second > 12
    if day_first and month_first:
        raise CsvExportError(
            f"{path}: timestamps use both day-first and month-first orders; fix the export"
        )
    if not (day_first or month_first):
        raise CsvExportError(
            f"{path}: cannot tell day-first from month-first (no day above 12); set "
            "sources.itsm.csv_timestamp_format to dayfirst or monthfirst"
        )
    return "dayfirst" if day_first else "monthfirst"


def parse_timestamps(path: Path, column: pd.Series, fmt: str) -> pd.Series:
    text = column.astype("string")
    if fmt == "iso":
        text = text.str.replace("T", " ", regex=False)
        text = text.where(~text.str.len().eq(16), text + ":00")
        pattern = "%Y-%m-%d %H:%M:%S"
    else:
        parts = text.str.extract(SLASHED)
        day, month = (parts[0], parts[1]) if fmt == "dayfirst" else (parts[1], parts[0])
        seconds = parts[5].fillna(":00")
        text = parts[2] + "-" + month + "-" + day + " " + parts[3] + ":" + parts[4] + seconds
        pattern = "%Y-%m-%d %H:%M:%S"
    parsed = pd.to_datetime(text, format=pattern, errors="coerce")
    bad = parsed.isna() & column.notna()
    if bad.any():
        line = int(bad.idxmax()) + 2  # header is line 1
        raise CsvExportError(
            f"{path}: line {line}, column {column.name}: {column[bad.idxmax()]!r} is not a "
            f"{fmt} timestamp"
        )
    return parsed


def read_servicenow_csv(
    path: str | Path,
    timestamp_format: str = "auto",
    null_values: Sequence[str] = ("", "?", "NULL"),
) -> pa.Table:
    path = Path(path)
    if timestamp_format not in TIMESTAMP_FORMATS:
        raise CsvExportError(
            f"sources.itsm.csv_timestamp_format must be one of {', '.join(TIMESTAMP_FORMATS)}; "
            f"got {timestamp_format!r}"
        )
    if not path.is_file():
        raise CsvExportError(f"sources.itsm.incident_csv: no file at {path}")
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False)
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise CsvExportError(f"{path}: not a readable CSV export ({exc})") from exc
    except pd.errors.EmptyDataError as exc:
        raise CsvExportError(f"{path}: the file is empty (no header row)") from exc
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise CsvExportError(f"{path}: missing column(s) {', '.join(missing)}")
    frame = frame.apply(lambda col: col.str.strip()).mask(frame.isin(list(null_values)))
    present = [c for c in TIMESTAMP_COLUMNS if c in frame.columns]
    if timestamp_format == "auto" and len(frame):
        timestamp_format = detect_timestamp_format(path, frame[present])
    for name in present:
        frame[name] = parse_timestamps(path, frame[name], timestamp_format)
    for name in (c for c in INTEGER_COLUMNS if c in frame.columns):
        numbers = pd.to_numeric(frame[name], errors="coerce")
        bad = numbers.isna() & frame[name].notna()
        if bad.any():
            raise CsvExportError(
                f"{path}: line {int(bad.idxmax()) + 2}, column {name}: "
                f"{frame[name][bad.idxmax()]!r} is not a whole number"
            )
        frame[name] = numbers.astype("Int64")
    for name in (c for c in BOOLEAN_COLUMNS if c in frame.columns):
        flags = frame[name].str.lower().map(BOOLEANS)
        bad = flags.isna() & frame[name].notna()
        if bad.any():
            raise CsvExportError(
                f"{path}: line {int(bad.idxmax()) + 2}, column {name}: "
                f"{frame[name][bad.idxmax()]!r} is not true/false"
            )
        frame[name] = flags.astype("boolean")
    return pa.Table.from_pandas(frame, preserve_index=False)
