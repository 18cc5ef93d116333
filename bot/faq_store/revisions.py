"""The FAQ in the database: every save is a revision (who, when, a diff); any can be restored."""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import datetime

import yaml
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from bot.db.models import FaqEntry as FaqRow
from bot.db.models import FaqRevision
from knowledge_base.loader import FaqEntry, KnowledgeBaseError, entry_to_dict, validate_entries


@dataclass(frozen=True)
class ImportReport:
    created: int
    updated: int
    unchanged: int

    def __str__(self) -> str:
        return f"新增 {self.created} 条，更新 {self.updated} 条，未变 {self.unchanged} 条"


def to_entry(row: FaqRow) -> FaqEntry:
    return FaqEntry(id=row.slug, question=row.question, alt_questions=tuple(row.alt_questions or ()),
                    answer=row.answer, category=row.category, route=row.route,
                    tags=tuple(row.tags or ()), enabled=row.enabled)


def _snapshot(entry: FaqEntry) -> dict:
    data = entry_to_dict(entry)
    data["enabled"] = entry.enabled
    return data


def _diff(before: dict | None, after: dict) -> str:
    dump = lambda d: yaml.safe_dump(d, allow_unicode=True, sort_keys=False).splitlines()  # noqa: E731
    return "\n".join(difflib.unified_diff(dump(before) if before else [], dump(after),
                                          "before", "after", lineterm=""))


def list_entries(session: Session, query: str | None = None, category: str | None = None,
                 include_disabled: bool = True) -> list[FaqRow]:
    stmt = select(FaqRow).order_by(FaqRow.category, FaqRow.slug)
    if query:
        like = f"%{query}%"
        stmt = stmt.where(or_(FaqRow.slug.like(like), FaqRow.question.like(like), FaqRow.answer.like(like)))
    if category:
        stmt = stmt.where(FaqRow.category == category)
    if not include_disabled:
        stmt = stmt.where(FaqRow.enabled.is_(True))
    return list(session.scalars(stmt))


def categories(session: Session) -> list[str]:
    return [c for c in session.scalars(select(FaqRow.category).distinct().order_by(FaqRow.category)) if c]


def get(session: Session, slug: str) -> FaqRow | None:
    return session.scalar(select(FaqRow).where(FaqRow.slug == slug))


def save(session: Session, entry: FaqEntry, author: str, now: datetime, action: str = "edit") -> FaqRow:
    """Create or update one entry (validated); writes a revision unless nothing changed."""
    validate_entries([entry], source=f"FAQ {entry.id}")
    row = get(session, entry.id)
    before = _snapshot(to_entry(row)) if row else None
    after = _snapshot(entry)
    if before == after:
        return row
    if row is None:
        row = FaqRow(slug=entry.id, version=0, updated_at=now)
        session.add(row)
        action = "create" if action == "edit" else action
    row.question, row.alt_questions, row.answer = entry.question, list(entry.alt_questions), entry.answer
    row.category, row.route, row.tags, row.enabled = entry.category, entry.route, list(entry.tags), entry.enabled
    row.version += 1
    row.updated_at, row.updated_by = now, author
    session.add(FaqRevision(slug=entry.id, version=row.version, action=action, author=author,
                            created_at=now, snapshot=after, diff=_diff(before, after)))
    session.flush()
    return row


def set_enabled(session: Session, slug: str, enabled: bool, author: str, now: datetime) -> FaqRow:
    row = _require(session, slug)
    entry = to_entry(row)
    return save(session, FaqEntry(**{**entry.__dict__, "enabled": enabled}), author, now,
                "enable" if enabled else "disable")


def revisions(session: Session, slug: str) -> list[FaqRevision]:
    return list(session.scalars(select(FaqRevision).where(FaqRevision.slug == slug)
                                .order_by(FaqRevision.version.desc())))


def restore(session: Session, slug: str, version: int, author: str, now: datetime) -> FaqRow:
    """Make an old revision current again (as a new revision; history is kept)."""
    rev = session.scalar(select(FaqRevision).where(FaqRevision.slug == slug, FaqRevision.version == version))
    if rev is None:
        raise KnowledgeBaseError(f"FAQ {slug}: no revision {version}")
    snap = dict(rev.snapshot)
    entry = FaqEntry(id=slug, question=snap["question"], alt_questions=tuple(snap.get("alt_questions", ())),
                     answer=snap["answer"], category=snap.get("category", ""), route=snap.get("route", "consult"),
                     tags=tuple(snap.get("tags", ())), enabled=snap.get("enabled", True))
    return save(session, entry, author, now, "restore")


def import_entries(session: Session, entries: list[FaqEntry], author: str, now: datetime) -> ImportReport:
    """Import a whole file: validated first, then applied in the caller's transaction (all or nothing)."""
    validate_entries(entries, source="import")
    created = updated = unchanged = 0
    for entry in entries:
        row = get(session, entry.id)
        before_version = row.version if row else None
        row = save(session, entry, author, now, "import")
        if before_version is None:
            created += 1
        elif row.version != before_version:
            updated += 1
        else:
            unchanged += 1
    return ImportReport(created, updated, unchanged)


def export_entries(session: Session, include_disabled: bool = True) -> list[FaqEntry]:
    return [to_entry(r) for r in list_entries(session, include_disabled=include_disabled)]


def kb_version(session: Session) -> tuple[int, int]:
    """Changes whenever any entry is saved: (number of revisions, max revision id)."""
    count, last = session.execute(select(func.count(FaqRevision.id), func.max(FaqRevision.id))).one()
    return int(count or 0), int(last or 0)


def _require(session: Session, slug: str) -> FaqRow:
    row = get(session, slug)
    if row is None:
        raise KnowledgeBaseError(f"FAQ {slug}: not found")
    return row
