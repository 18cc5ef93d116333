"""FAQ as an Excel sheet (Chinese headers; English ones accepted). Nothing is lost silently on import:
unknown columns are refused with a suggestion, a column the file lacks keeps the stored values, and
every problem is listed with the row number Excel shows, before anything changes."""
from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass, field, replace
from io import BytesIO
from typing import BinaryIO, Mapping

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font

from bot.faq_store.columns import (
    FIELDS, HEADERS_ZH, IGNORED, LOOKUP, REQUIRED, RowProblem, clean_text, column_label, known_columns,
    normalise_header, parse_enabled, parse_route, route_name, row_problems, split_list, suggest,
)
from bot.xlsx_safe import keep_as_text
from knowledge_base.loader import FaqEntry, KnowledgeBaseError

COLUMNS = FIELDS  # field order of the export
# Import caps, checked before rows are materialised (a community FAQ has hundreds of rows).
MAX_ROWS = 5000
MAX_COLUMNS = 64
MAX_XLSX_BYTES = 5 * 2**20
MAX_XLSX_UNPACKED = 50 * 2**20
WIDTHS = {"id": 22, "question": 30, "alt_questions": 34, "answer": 60, "category": 12, "route": 12,
          "tags": 16, "enabled": 8}


class SheetError(KnowledgeBaseError):
    """A sheet that cannot be imported; `.problems` lists every reason (one line each)."""

    def __init__(self, label: str, problems: list[str]):
        super().__init__(f"{label}：\n" + "\n".join(problems))
        self.problems = problems


@dataclass
class Sheet:
    """The rows of an FAQ sheet by field, and which fields the file has columns for."""

    columns: dict[int, str]  # column index -> field
    rows: list[tuple[int, dict[str, object]]] = field(default_factory=list)  # (Excel row, cells)


def _header(cells: tuple, has_data: list[bool]) -> tuple[dict[int, str], list[str]]:
    """Map header cells to fields; every unknown, duplicate or missing column is a problem."""
    columns, problems, seen = {}, [], {}
    for i, cell in enumerate(cells):
        key = normalise_header(cell)
        if not key:
            if has_data[i]:
                problems.append(f"第1行：第{i + 1}列有内容但没有列名，请补上列名或删除这一列")
            continue
        if key in (normalise_header(x) for x in IGNORED):
            continue
        fld = LOOKUP.get(key)
        if fld is None:
            problems.append(f"第1行：不认识的列“{cell}”。{suggest(str(cell))}可用的列：{known_columns()}；"
                            f"只想留作备注的列请命名为“备注”")
        elif fld in seen:
            problems.append(f"第1行：“{cell}”和“{seen[fld]}”都是{column_label(fld)}列，请只保留一列")
        else:
            columns[i], seen[fld] = fld, cell
    missing = [column_label(f) for f in REQUIRED if f not in seen]
    if missing:
        problems.append(f"第1行：缺少必需的列：{'、'.join(missing)}")
    return columns, problems


def read_sheet(source: str | BinaryIO, label: str) -> Sheet:
    """Read the first worksheet; SheetError when the header row is not right."""
    _check_size(source, label)
    try:
        ws = load_workbook(source, read_only=True, data_only=True).worksheets[0]
        ws.reset_dimensions()  # a declared A1:XFD1048576 would pad every row to 16384 cells
        raw = _capped_rows(ws, label)
    except SheetError:
        raise
    except Exception as exc:  # openpyxl raises many types for a file that is not xlsx
        raise SheetError(label, [f"不是可读取的 xlsx 文件（{type(exc).__name__}）"]) from None
    if not raw:
        raise SheetError(label, ["表格是空的"])
    width = max(len(r) for r in raw)
    has_data = [any(len(r) > i and r[i] not in (None, "") for r in raw[1:]) for i in range(width)]
    columns, problems = _header(raw[0] + (None,) * (width - len(raw[0])), has_data)
    if problems:
        raise SheetError(label, problems)
    sheet = Sheet(columns)
    for number, row in enumerate(raw[1:], start=2):
        cells = {fld: row[i] for i, fld in columns.items() if i < len(row)}
        if any(clean_text(v) for v in cells.values()):
            sheet.rows.append((number, cells))
    return sheet


def _check_size(source: str | BinaryIO, label: str) -> None:
    """Refuse, before openpyxl inflates anything, a file or its unpacked content over the caps."""
    try:
        if isinstance(source, str):
            size = os.path.getsize(source)
        else:
            size = source.seek(0, os.SEEK_END)
            source.seek(0)
        with zipfile.ZipFile(source) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (OSError, zipfile.BadZipFile, ValueError):
        return  # not a zip: load_workbook says so in its own words
    finally:
        if not isinstance(source, str):
            source.seek(0)
    if size > MAX_XLSX_BYTES or unpacked > MAX_XLSX_UNPACKED:
        raise SheetError(label, [f"文件太大：最多 {MAX_XLSX_BYTES // 2**20} MB（解压后 {MAX_XLSX_UNPACKED // 2**20} MB），"
                                 f"请拆分后分批导入"])


def _capped_rows(ws, label: str) -> list[tuple]:
    """Every row as a tuple, refusing too many rows or columns as soon as they are seen."""
    too_many = SheetError(label, [f"行数太多：最多 {MAX_ROWS} 条问答（另加 1 行列名），请拆分后分批导入"])
    raw, filled = [], 0
    for row in ws.iter_rows(values_only=True):
        if len(row) > MAX_COLUMNS:
            if any(v not in (None, "") for v in row[MAX_COLUMNS:]):
                raise SheetError(label, [f"列数太多：最多 {MAX_COLUMNS} 列"])
            row = row[:MAX_COLUMNS]
        filled += any(v not in (None, "") for v in row)
        if filled > MAX_ROWS + 1 or len(raw) > 2 * MAX_ROWS:  # blank formatted rows count, more loosely
            raise too_many
        raw.append(tuple(row))
    return raw


def _entry(cells: dict, old: FaqEntry | None) -> FaqEntry:
    """The entry a row describes; a field without a column keeps the stored value (or a blank)."""
    base = old or FaqEntry(id="", question="", alt_questions=(), answer="", category="", route="", tags=())
    parsed = {
        "id": lambda v: clean_text(v), "question": clean_text, "answer": clean_text, "category": clean_text,
        "alt_questions": split_list, "tags": lambda v: split_list(v, "、，,"), "route": parse_route,
        "enabled": parse_enabled,
    }
    new = {k: parsed[k](v) for k, v in cells.items()}
    if old is not None:  # keep the stored text when only its line breaks differ
        new = {k: (getattr(old, k) if _same(getattr(old, k), v) else v) for k, v in new.items()}
    return replace(base, **new)


def _same(stored, new) -> bool:
    if isinstance(stored, str):
        return clean_text(stored) == new
    if isinstance(stored, tuple):
        return tuple(clean_text(x) for x in stored) == new
    return stored == new


def to_entries(sheet: Sheet, label: str, existing: Mapping[str, FaqEntry]) -> list[FaqEntry]:
    """Entries for every row, merged with the stored ones; SheetError lists every problem."""
    entries, problems, first_row_of = [], [], {}
    for number, cells in sheet.rows:
        entry = _entry(cells, existing.get(clean_text(cells.get("id"))))
        problems += row_problems(entry, number, first_row_of)
        entries.append(entry)
    if problems:
        raise SheetError(label, [str(p) for p in problems])
    return entries


def read_xlsx(source: str | BinaryIO, name: str | None = None,
              existing: Mapping[str, FaqEntry] | None = None) -> list[FaqEntry]:
    """Parse and check the sheet; `existing` (by id) supplies fields the file has no column for."""
    label = name or (source if isinstance(source, str) else "upload.xlsx")
    return to_entries(read_sheet(source, label), label, existing or {})


def write_xlsx(target: str | BinaryIO, entries: list[FaqEntry]) -> None:
    """The FAQ with Chinese headers (bold, frozen), readable widths; it imports back unchanged."""
    wb = Workbook()
    ws = wb.active
    ws.title = "问答"
    ws.append([HEADERS_ZH[c] for c in COLUMNS])
    for e in entries:
        ws.append([e.id, e.question, "\n".join(e.alt_questions), e.answer, e.category, route_name(e.route),
                   "\n".join(e.tags), "是" if e.enabled else "否"])
    _style(ws)
    keep_as_text(ws)  # an answer starting with '=' or '-' stays text and imports back unchanged
    wb.save(target)


def _style(ws) -> None:
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    for i, col in enumerate(COLUMNS):
        ws.column_dimensions[ws.cell(row=1, column=i + 1).column_letter].width = WIDTHS[col]
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def xlsx_bytes(entries: list[FaqEntry]) -> bytes:
    buf = BytesIO()
    write_xlsx(buf, entries)
    return buf.getvalue()


__all__ = ["COLUMNS", "RowProblem", "Sheet", "SheetError", "read_sheet", "read_xlsx", "to_entries",
           "write_xlsx", "xlsx_bytes"]
