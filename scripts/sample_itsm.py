"""Sample ITSM history in ServiceNow's shape: an incident event log, interventions, SLAs.

Each ticket goes New -> Active -> (Awaiting ...) -> Active -> Resolved -> Closed, one row
per update (`sys_mod_count` 0, 1, 2, ...), with reassignments, reopenings, SLA made or
missed, tickets still open at the end, and never-assigned tickets. Values are written as
ServiceNow displays them ("2 - Medium", "Group 12"). Used by generate_sample_data.py.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

import sqlalchemy as sa

PRIORITIES = {1: "1 - Critical", 2: "2 - High", 3: "3 - Moderate", 4: "4 - Low"}
LEVELS = {1: "1 - High", 2: "2 - Medium", 3: "3 - Low"}
SLA_HOURS = {1: 4, 2: 8, 3: 24, 4: 72}  # resolve within, calendar hours
PRIORITY_FROM = {(1, 1): 1, (1, 2): 2, (2, 1): 2, (1, 3): 3, (2, 2): 3, (3, 1): 3}
CONTACT_TYPES = ("Phone", "Email", "Self service", "Direct opening", "IVR")
CONTACT_WEIGHTS = (40, 30, 20, 8, 2)
AWAITING = ("Awaiting User Info", "Awaiting Vendor", "Awaiting Problem")
RESOLVE_MEDIAN_HOURS = {1: 3.0, 2: 6.0, 3: 18.0, 4: 40.0}

METADATA = sa.MetaData()
INCIDENT = sa.Table(
    "incident",
    METADATA,
    *(
        sa.Column(name, type_)
        for name, type_ in (
            ("number", sa.String(16)),
            ("incident_state", sa.String(32)),
            ("active", sa.Boolean),
            ("reassignment_count", sa.Integer),
            ("reopen_count", sa.Integer),
            ("sys_mod_count", sa.Integer),
            ("made_sla", sa.Boolean),
            ("caller_id", sa.String(32)),
            ("opened_by", sa.String(32)),
            ("opened_at", sa.DateTime),
            ("sys_updated_by", sa.String(32)),
            ("sys_updated_at", sa.DateTime),
            ("contact_type", sa.String(32)),
            ("location", sa.String(32)),
            ("category", sa.String(32)),
            ("subcategory", sa.String(32)),
            ("impact", sa.String(16)),
            ("urgency", sa.String(16)),
            ("priority", sa.String(16)),
            ("assignment_group", sa.String(32)),
            ("assigned_to", sa.String(32)),
            ("problem_id", sa.String(32)),
            ("resolved_by", sa.String(32)),
            ("resolved_at", sa.DateTime),
            ("closed_at", sa.DateTime),
            ("closed_code", sa.String(16)),
        )
    ),
)
INTERVENTION = sa.Table(
    "intervention",
    METADATA,
    sa.Column("id", sa.String(16), primary_key=True),
    sa.Column("ticket", sa.String(16)),
    sa.Column("location", sa.String(32)),
    sa.Column("technician", sa.String(32)),
    sa.Column("planned_date", sa.Date),
    sa.Column("delivered_date", sa.Date),
    sa.Column("status", sa.String(16)),
    sa.Column("sys_updated_at", sa.DateTime, nullable=False),
)
SLA_DEFINITION = sa.Table(
    "sla_definition",
    METADATA,
    sa.Column("priority", sa.String(16), primary_key=True),
    sa.Column("resolve_within_hours", sa.Integer, nullable=False),
    sa.Column("sys_updated_at", sa.DateTime, nullable=False),
)


def make_ticket_events(
    rng: random.Random, number: str, opened: dt.datetime, end: dt.datetime
) -> list[dict]:
    impact, urgency = rng.choices((1, 2, 3), (1, 4, 10))[0], rng.choices((1, 2, 3), (1, 4, 8))[0]
    priority = PRIORITY_FROM.get((impact, urgency), 4)
    group = f"Group {rng.randint(1, 8)}"
    base = {
        "number": number,
        "reassignment_count": 0,
        "reopen_count": 0,
        "caller_id": f"Caller {rng.randint(1, 400)}",
        "opened_by": f"Opened by {rng.randint(1, 20)}",
        "opened_at": opened,
        "contact_type": rng.choices(CONTACT_TYPES, CONTACT_WEIGHTS)[0],
        "location": f"Location {rng.randint(1, 12)}",
        "category": f"Category {rng.randint(1, 9)}",
        "subcategory": f"Subcategory {rng.randint(1, 30)}",
        "impact": LEVELS[impact],
        "urgency": LEVELS[urgency],
        "priority": PRIORITIES[priority],
        "assignment_group": group,
        "assigned_to": None,
        "problem_id": f"Problem ID {rng.randint(1, 40)}" if rng.random() < 0.08 else None,
        "resolved_by": None,
        "resolved_at": None,
        "closed_at": None,
        "closed_code": None,
    }
    sla = dt.timedelta(hours=SLA_HOURS[priority])
    events: list[dict] = []
    state = dict(base)
    moment = opened

    def emit(incident_state: str, at: dt.datetime, **changes: object) -> bool:
        """Append an update unless it lies after the end of history."""
        nonlocal moment
        if at > end:
            return False
        moment = at
        state.update(changes)
        resolved = state["resolved_at"]
        made_sla = (resolved or at) - opened <= sla
        events.append(
            {
                **state,
                "incident_state": incident_state,
                "active": incident_state not in ("Resolved", "Closed"),
                "made_sla": made_sla,
                "sys_mod_count": len(events),
                "sys_updated_by": f"Updater {rng.randint(1, 30)}",
                "sys_updated_at": at,
            }
        )
        return True

    def later(hours: float) -> dt.datetime:
        return moment + dt.timedelta(minutes=max(1, round(hours * 60)))

    emit("New", opened)
    never_assigned = rng.random() < 0.04
    if not never_assigned and not emit(
        "Active", later(rng.uniform(0.05, 2.0)), assigned_to=f"Resolver {rng.randint(1, 60)}"
    ):
        return events
    for _ in range(rng.choices((0, 1, 2, 3), (70, 20, 7, 3))[0]):
        if not emit(
            "Active",
            later(rng.uniform(0.2, 4.0)),
            assignment_group=f"Group {rng.randint(1, 8)}",
            assigned_to=f"Resolver {rng.randint(1, 60)}",
            reassignment_count=state["reassignment_count"] + 1,
        ):
            return events
    if rng.random() < 0.15:
        if not emit(rng.choice(AWAITING), later(rng.uniform(0.5, 6))):
            return events
        if not emit("Active", later(rng.uniform(1, 48))):
            return events
    resolve_hours = rng.lognormvariate(0, 0.9) * RESOLVE_MEDIAN_HOURS[priority]
    resolved_at = max(later(0.1), opened + dt.timedelta(hours=resolve_hours))
    if not emit(
        "Resolved",
        resolved_at,
        resolved_at=resolved_at,
        resolved_by=f"Resolved by {rng.randint(1, 60)}",
    ):
        return events
    if rng.random() < 0.08:
        if not emit(
            "Active",
            later(rng.uniform(2, 48)),
            reopen_count=state["reopen_count"] + 1,
            resolved_at=None,
            resolved_by=None,
        ):
            return events
        resolved_at = later(rng.uniform(1, 24))
        if not emit(
            "Resolved",
            resolved_at,
            resolved_at=resolved_at,
            resolved_by=f"Resolved by {rng.randint(1, 60)}",
        ):
            return events
    closed_at = later(rng.uniform(24, 96))
    emit("Closed", closed_at, closed_at=closed_at, closed_code=f"code {rng.randint(1, 9)}")
    return events


def make_interventions(rng: random.Random, events: list[dict], end: dt.datetime) -> list[dict]:
    firsts = [e for e in events if e["sys_mod_count"] == 0]
    rows = []
    for event in rng.sample(firsts, len(firsts) // 12):
        planned = event["opened_at"].date() + dt.timedelta(days=rng.randint(1, 10))
        status, delivered = "planned", None
        if planned <= end.date():
            roll = rng.random()
            if roll < 0.05:
                status = "cancelled"
            else:
                delay = 0 if roll < 0.8 else rng.randint(1, 4)
                if planned + dt.timedelta(days=delay) <= end.date():
                    status, delivered = "delivered", planned + dt.timedelta(days=delay)
        rows.append(
            {
                "id": f"INT{len(rows) + 1:05d}",
                "ticket": event["number"],
                "location": event["location"],
                "technician": f"Technician {rng.randint(1, 15)}",
                "planned_date": planned,
                "delivered_date": delivered,
                "status": status,
                "sys_updated_at": min(
                    end, dt.datetime.combine(delivered or planned, dt.time(18, 0))
                ),
            }
        )
    return rows


def plant_bad_events(rng: random.Random, events: list[dict]) -> list[dict]:
    """One event per kind of bad input; returns [{number, sys_mod_count, reason}]."""
    closed = [e for e in events if e["incident_state"] == "Closed"]
    template = rng.choice(closed)

    def bad(number: str | None, **changes: object) -> dict:
        row = {**template, "number": number, "sys_mod_count": 0, **changes}
        events.append(row)
        return row

    bad(None)
    opened = template["opened_at"]
    bad("INCBAD0002", resolved_at=opened - dt.timedelta(hours=3))
    bad("INCBAD0003", incident_state="Exploded")
    bad("INCBAD0004", priority="9 - Panic")
    duplicate = dict(rng.choice([e for e in closed if e is not template]))
    events.append(duplicate)
    out_of_order = dict(rng.choice([e for e in closed if e not in (template, duplicate)]))
    out_of_order["sys_mod_count"] += 1
    out_of_order["sys_updated_at"] = out_of_order["opened_at"] - dt.timedelta(hours=1)
    events.append(out_of_order)
    return [
        {"number": None, "sys_mod_count": 0, "reason": "null_number"},
        {"number": "INCBAD0002", "sys_mod_count": 0, "reason": "resolved_before_opened"},
        {"number": "INCBAD0003", "sys_mod_count": 0, "reason": "unknown_state"},
        {"number": "INCBAD0004", "sys_mod_count": 0, "reason": "unknown_priority"},
        {
            "number": duplicate["number"],
            "sys_mod_count": duplicate["sys_mod_count"],
            "reason": "duplicate_event",
        },
        {
            "number": out_of_order["number"],
            "sys_mod_count": out_of_order["sys_mod_count"],
            "reason": "out_of_order",
        },
    ]


def make_itsm(
    rng: random.Random, end_date: dt.date, tickets: int, days: int = 120
) -> tuple[dict[sa.Table, list[dict]], dict]:
    end = dt.datetime.combine(end_date, dt.time(23, 0))
    start = end - dt.timedelta(days=days)
    events: list[dict] = []
    for i in range(tickets):
        opened = start + dt.timedelta(minutes=rng.randint(0, days * 24 * 60))
        while opened.weekday() >= 5 and rng.random() < 0.7:  # fewer tickets at weekends
            opened = start + dt.timedelta(minutes=rng.randint(0, days * 24 * 60))
        events.extend(make_ticket_events(rng, f"INC{i + 1:07d}", opened, end))
    events.sort(key=lambda e: (e["number"], e["sys_mod_count"]))
    interventions = make_interventions(rng, events, end)
    rejected = plant_bad_events(rng, events)
    updated = dt.datetime.combine(end_date - dt.timedelta(days=days + 30), dt.time(0, 0))
    slas = [
        {"priority": PRIORITIES[p], "resolve_within_hours": h, "sys_updated_at": updated}
        for p, h in SLA_HOURS.items()
    ]
    manifest = {
        "itsm_tickets": tickets,
        "itsm_events": len(events),
        "itsm_interventions": len(interventions),
        "itsm_rejected_events": rejected,
    }
    return {INCIDENT: events, INTERVENTION: interventions, SLA_DEFINITION: slas}, manifest


def write_servicenow_csv(path: Path, events: list[dict]) -> None:
    """The incident table as a ServiceNow list export: day-first times, '?' for null."""

    def cell(value: object) -> str:
        if value is None:
            return "?"
        if isinstance(value, dt.datetime):
            return f"{value.day}/{value.month}/{value.year} {value:%H:%M:%S}"
        if isinstance(value, bool):
            return str(value).lower()
        return str(value)

    path.parent.mkdir(parents=True, exist_ok=True)
    columns = [c.name for c in INCIDENT.columns]
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for event in events:
            writer.writerow([cell(event[c]) for c in columns])
