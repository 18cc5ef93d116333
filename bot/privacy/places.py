"""Where a resident's personal data lives: ONE description every erase and purge works from.

Tables are found by their columns, so a table or field added later is covered without editing this
file: a column naming the resident (WHO_COLUMNS) marks a table as personal; in the rows that belong
to the resident, every free-text or JSON column and every column named in PERSONAL_NAMES is wiped.
RULES only refines that default where a table needs something else (delete rows, keep a label).
"""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field

from sqlalchemy import JSON, Column, Table, Text

from bot.db.models import Base

WHO_COLUMNS = ("open_id", "resident_open_id", "recipient")
# Contact-card and address fields wherever they appear (residents, incident reports, later tables).
PERSONAL_NAMES = frozenset({"name", "phone", "mobile", "building", "unit", "room", "address", "location",
                            "text", "subject", "reply_text", "payload", "last_answer", "scores", "error",
                            "last_error", "path", "media_id", "note", "reason", "content_type"})
NOT_RESIDENTS = frozenset({"staff", "duty_overrides", "roster_plans", "scheduler_lease", "access_tokens"})
ERASED_SUBJECT = "（居民已要求删除个人信息）"
# Ticket event fields that say what happened, not who or what was written: kept for the ledger.
SAFE_EVENT_KEYS = frozenset({"category", "priority", "to", "previous", "why", "reason", "stars", "step",
                             "action", "draft_id", "rule", "msg_kind", "asked_for_person", "coalesced",
                             "level", "n", "clock", "by", "status", "erased", "purged"})


@dataclass(frozen=True)
class Rule:
    delete: bool = False  # the resident's rows go entirely
    keep: frozenset[str] = field(default_factory=frozenset)  # columns left as they are
    labels: dict[str, str] = field(default_factory=dict)  # column -> replacement text


RULES = {
    "residents": Rule(delete=True),  # the contact card: name, phone, address, whatever is added later
    "conversation_state": Rule(delete=True),
    "tickets": Rule(keep=frozenset({"category", "priority", "status"}), labels={"subject": ERASED_SUBJECT}),
    "outbox": Rule(delete=True),
}


def who_columns(table: Table) -> list[Column]:
    """The columns of TABLE that name a resident (none for staff-only tables)."""
    if table.name in NOT_RESIDENTS:
        return []
    return [c for c in table.c if c.name in WHO_COLUMNS]


def personal_tables() -> list[tuple[Table, list[Column]]]:
    """Every table that can hold a resident's rows, with its who-columns."""
    return [(t, cols) for t in Base.metadata.sorted_tables if (cols := who_columns(t))]


def wiped_values(table: Table) -> dict[str, object]:
    """What the personal columns of TABLE become in a resident's rows."""
    rule = RULES.get(table.name, Rule())
    out: dict[str, object] = {}
    for col in table.c:
        if col.primary_key or col.foreign_keys or col.name in rule.keep or col.name in WHO_COLUMNS:
            continue
        if col.name in rule.labels:
            out[col.name] = rule.labels[col.name]
        elif isinstance(col.type, JSON):
            out[col.name] = None if col.nullable else {}
        elif isinstance(col.type, Text) or col.name in PERSONAL_NAMES:
            if col.unique:
                continue
            out[col.name] = None if col.nullable else ""
    return out


def pseudonym(prefix: str = "erased") -> str:
    """A stand-in open_id: rows stay countable for the ledger but name nobody."""
    return f"{prefix}-{secrets.token_hex(6)}"


def safe_event_data(data: dict | None) -> dict:
    """A ticket event's data without anything the resident or staff wrote."""
    return {k: v for k, v in (data or {}).items() if k in SAFE_EVENT_KEYS}


_PHONE = re.compile(r"(?<!\d)(1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}|0\d{2,3}-?\d{7,8}|\d{17}[\dXx])(?!\d)")


def scrub(text: str | None) -> str | None:
    """Phone and ID-card numbers masked in text kept for the ledger."""
    return None if text is None else _PHONE.sub("***", text)
