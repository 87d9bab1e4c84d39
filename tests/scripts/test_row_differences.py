"""row_differences, the cross-engine row comparison check-warehouses relies on."""

from __future__ import annotations

import datetime as dt
import decimal

from scripts.warehouse import row_differences

DUCK = [
    ("C1", dt.date(2026, 3, 1), 31, 4.330078125000001, True, None),
    ("C2", dt.date(2026, 3, 1), 2, -2.92304177e-14, False, "x"),
]
PG = [  # another engine: other order, Decimal and float error, aware timestamps elsewhere
    ("C2", dt.date(2026, 3, 1), 2, -1.46152088e-14, False, "x"),
    ("C1", dt.date(2026, 3, 1), 31, decimal.Decimal("4.330078125"), True, None),
]


def test_same_rows_in_any_order_with_float_noise_are_equal():
    assert row_differences(DUCK, PG) == []


def test_every_kind_of_column_is_compared():
    for column, changed in ((0, "C3"), (1, dt.date(2026, 3, 2)), (2, 30), (3, 4.3301), (4, False)):
        other = [tuple(changed if i == column else v for i, v in enumerate(PG[1])), PG[0]]
        assert row_differences(DUCK, other), f"column {column} changed unnoticed"
    assert row_differences(DUCK, [PG[0], (*PG[1][:5], "y")])  # null against text
    assert row_differences(DUCK, PG[:1]) == ["2 rows against 1"]


def test_timestamps_compare_in_utc():
    naive = [(dt.datetime(2026, 3, 1, 12),)]
    aware = [(dt.datetime(2026, 3, 1, 13, tzinfo=dt.timezone(dt.timedelta(hours=1))),)]
    assert row_differences(naive, aware) == []
