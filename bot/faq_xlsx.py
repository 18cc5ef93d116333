"""FAQ as an Excel sheet with the YAML's columns; bad rows are refused with row and reason."""
from __future__ import annotations

import re
from io import BytesIO
from typing import BinaryIO

from openpyxl import Workbook, load_workbook

from knowledge_base.loader import FaqEntry, KnowledgeBaseError, validate_entries

COLUMNS = ("id", "question", "alt_questions", "answer", "category", "route", "tags", "enabled")
REQUIRED = ("id", "question", "answer", "route")


def _split(cell) -> tuple[str, ...]:
    text = str(cell or "").replace("｜", "|").replace("\r", "")
    parts = [p.strip() for chunk in text.split("\n") for p in chunk.split("|")]
    return tuple(p for p in parts if p)


def _enabled(cell) -> bool:
    return str(cell).strip().lower() not in ("false", "0", "no", "否", "停用") if cell not in (None, "") else True


def read_xlsx(source: str | BinaryIO, name: str | None = None) -> list[FaqEntry]:
    """Parse the first sheet; raise KnowledgeBaseError naming the row and the reason."""
    label = name or (source if isinstance(source, str) else "upload.xlsx")
    try:
        sheet = load_workbook(source, read_only=True, data_only=True).worksheets[0]
    except Exception as exc:  # openpyxl raises many types for a file that is not xlsx
        raise KnowledgeBaseError(f"{label}: not a readable xlsx file ({type(exc).__name__})") from None
    rows = list(sheet.iter_rows(values_only=True))
    if not rows:
        raise KnowledgeBaseError(f"{label}: the sheet is empty")
    header = [str(c or "").strip().lower() for c in rows[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise KnowledgeBaseError(f"{label}: row 1: missing column(s) {', '.join(missing)}")
    entries, lines = [], []
    for number, row in enumerate(rows[1:], start=2):
        cells = dict(zip(header, row))
        if all(v in (None, "") for v in cells.values()):
            continue
        entries.append(_entry(cells))
        lines.append(number)
    try:
        validate_entries(entries, source=label, lines=lines)
    except KnowledgeBaseError as exc:  # "file:ROW: entry #n (id): reason" -> "file: row ROW: ..."
        raise KnowledgeBaseError(re.sub(rf"^{re.escape(label)}:(\d+):", rf"{label}: row \1:", str(exc))) from None
    return entries


def _entry(cells: dict) -> FaqEntry:
    text = lambda k: str(cells.get(k) or "").strip()  # noqa: E731
    return FaqEntry(id=text("id"), question=text("question"), alt_questions=_split(cells.get("alt_questions")),
                    answer=text("answer"), category=text("category"), route=text("route"),
                    tags=_split(cells.get("tags")), enabled=_enabled(cells.get("enabled")))


def write_xlsx(target: str | BinaryIO, entries: list[FaqEntry]) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "FAQ"
    ws.append(list(COLUMNS))
    for e in entries:
        ws.append([e.id, e.question, "\n".join(e.alt_questions), e.answer, e.category, e.route,
                   "|".join(e.tags), "true" if e.enabled else "false"])
    wb.save(target)


def xlsx_bytes(entries: list[FaqEntry]) -> bytes:
    buf = BytesIO()
    write_xlsx(buf, entries)
    return buf.getvalue()
