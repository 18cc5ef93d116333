"""Finding 12: FAQ imports refuse YAML aliases and over-large files before building anything."""
from __future__ import annotations

import io
import re
import time
import zipfile

import pytest
from openpyxl import Workbook

from bot.faq_store.xlsx import MAX_ROWS, SheetError, read_xlsx
from knowledge_base.loader import MAX_ENTRIES, KnowledgeBaseError, parse_kb

ENTRY = "  - {id: e%d, question: 问题%d, answer: 答案%d}\n"


def test_a_single_yaml_alias_is_refused_with_its_line():
    text = ("faqs:\n  - id: office_hours\n    question: &q 社区几点上班\n    answer: 八点半\n"
            "  - id: office_hours_2\n    question: *q\n    answer: 八点半\n")
    with pytest.raises(KnowledgeBaseError, match=r"upload.yaml:3: .*aliases"):
        parse_kb(text, "upload.yaml")


def test_nested_aliases_are_refused_at_once():
    levels = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    levels += [f"a{i}: &a{i} [{','.join(['*a%d' % (i - 1)] * 9)}]" for i in range(1, 9)]
    bomb = "\n".join(levels) + "\nfaqs:\n  - {id: x1, question: *a8, answer: *a8}\n"
    assert len(bomb) < 1024
    t0 = time.monotonic()
    with pytest.raises(KnowledgeBaseError, match="aliases"):
        parse_kb(bomb, "bomb.yaml")
    assert time.monotonic() - t0 < 1.0


def test_too_many_yaml_entries_are_refused():
    text = "faqs:\n" + "".join(ENTRY % (i, i, i) for i in range(MAX_ENTRIES + 1))
    with pytest.raises(KnowledgeBaseError, match="too many entries"):
        parse_kb(text, "big.yaml")
    assert len(parse_kb("faqs:\n" + "".join(ENTRY % (i, i, i) for i in range(3)))) == 3


def _xlsx(rows: int) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("问答")
    ws.append(["编号", "标准问题", "答案", "工单类别"])
    for i in range(rows):
        ws.append([f"e{i}", f"问题{i}", f"答案{i}", "政策咨询"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_too_many_xlsx_rows_are_refused():
    with pytest.raises(SheetError, match="行数太多"):
        read_xlsx(io.BytesIO(_xlsx(MAX_ROWS + 1)), name="big.xlsx")


def _patched(data: bytes, member: str, change) -> bytes:
    src, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            dst.writestr(info.filename, change(body) if info.filename == member else body)
    return out.getvalue()


def test_a_lying_sheet_dimension_does_not_pad_rows_to_a_million():
    data = _xlsx(3)
    huge = _patched(data, "xl/worksheets/sheet1.xml",
                    lambda b: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', b)
                    if b"<dimension" in b else b.replace(b"<sheetData", b'<dimension ref="A1:XFD1048576"/><sheetData', 1))
    t0 = time.monotonic()
    entries = read_xlsx(io.BytesIO(huge), name="dim.xlsx")
    assert [e.id for e in entries] == ["e0", "e1", "e2"] and time.monotonic() - t0 < 5


def test_a_small_file_that_unpacks_to_too_much_is_refused_before_parsing():
    data = _xlsx(3)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
        dst.writestr("xl/media/padding.bin", b"\0" * (60 * 2**20))  # ~60 KB compressed
    assert len(out.getvalue()) < 1 * 2**20
    with pytest.raises(SheetError, match="文件太大"):
        read_xlsx(io.BytesIO(out.getvalue()), name="bomb.xlsx")
