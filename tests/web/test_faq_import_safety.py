"""An xlsx import never loses data silently (issue 16, blocker 2): unknown columns are refused with a
suggestion, Chinese headers are documented aliases, a column the file lacks keeps the stored values,
every problem is listed with Excel's row numbers before anything changes, and an unchanged export
imports back as unchanged."""
from __future__ import annotations

import io
from dataclasses import replace

from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from bot.faq_store import revisions as faq_store
from bot.db.models import FaqEntry as FaqRow
from bot.db.models import FaqRevision
from tests.web.helpers import post


def _xlsx(rows) -> bytes:
    wb = Workbook()
    for r in rows:
        wb.active.append(list(r))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _import(admin, data: bytes, name: str = "faq.xlsx"):
    return post(admin, "/admin/faq/import", {"file": (io.BytesIO(data), name)},
                token_from="/admin/faq/import", content_type="multipart/form-data")


def _state(desk):
    with desk.session() as s:
        return (s.scalar(select(func.count(FaqRevision.id))),
                sorted((r.slug, r.version, r.answer, tuple(r.alt_questions), r.category, tuple(r.tags))
                       for r in s.scalars(select(FaqRow))))


def _rich(desk):
    """An entry with alternative questions, a category and tags (the sample KB has them)."""
    with desk.session() as s:
        rows = list(s.scalars(select(FaqRow).order_by(FaqRow.slug)))
    row = next(r for r in rows if r.alt_questions and r.tags and r.category)
    return row


def test_a_mistyped_optional_column_is_refused_with_a_suggestion(console, admin):
    row, before = _rich(console), _state(console)
    data = _xlsx([("id", "question", "alt_question", "answer", "route"),
                  (row.slug, row.question, "另一种问法", "新答案", row.route)])
    resp = _import(admin, data)
    page = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert "不认识的列“alt_question”" in page and "是不是“其他问法（alt_questions）”" in page
    assert "没有任何改动" in page
    assert _state(console) == before


def test_chinese_headers_are_accepted_and_route_names_too(console, admin):
    data = _xlsx([("编号", "问题", "其他问法", "答案", "分类", "工单类别", "标签"),
                  ("parking_card", "停车卡怎么办理", "车位卡在哪办\n月卡怎么续", "请带行驶证到物业办理。", "停车",
                   "报修", "停车、月卡")])
    assert _import(admin, data).status_code == 302
    with console.session() as s:
        got = faq_store.get(s, "parking_card")
        assert got.alt_questions == ["车位卡在哪办", "月卡怎么续"]
        assert (got.category, got.route, got.tags) == ("停车", "repair", ["停车", "月卡"])


def test_a_column_the_file_lacks_keeps_the_stored_values(console, admin):
    row = _rich(console)
    data = _xlsx([("编号", "问题", "答案"), (row.slug, row.question, "只改了答案。")])
    assert _import(admin, data).status_code == 302
    with console.session() as s:
        got = faq_store.get(s, row.slug)
        assert got.answer == "只改了答案。"
        assert (got.alt_questions, got.category, got.route, got.tags) == \
               (row.alt_questions, row.category, row.route, row.tags)


def test_every_problem_is_listed_with_excel_row_numbers_and_nothing_changes(console, admin):
    row, before = _rich(console), _state(console)
    data = _xlsx([("编号", "问题", "答案", "工单类别"),
                  (row.slug, row.question, "改过的答案", row.route),
                  ("ok_entry", "问题", "", "consult"),
                  ("Bad-Id", "问题", "答", "consult"),
                  ("ok_entry", "问题2", "答2", "火星"),
                  (None, None, None, None),
                  ("long_one", "问题", "长" * 700, "consult")])
    resp = _import(admin, data)
    page = resp.get_data(as_text=True)
    assert resp.status_code == 400
    for expected in ("第3行：答案为空", "第4行：编号“Bad-Id”不合规", "第5行：编号“ok_entry”与第3行重复",
                     "第5行：工单类别“火星”无法识别", "第7行：答案共700个字"):
        assert expected in page, expected
    assert page.count("<li>第") == 5
    assert _state(console) == before


def test_reimporting_an_unchanged_export_changes_nothing(console, admin):
    row = _rich(console)
    with console.session() as s:  # an answer typed in a browser textarea has Windows line breaks
        entry = faq_store.to_entry(faq_store.get(s, row.slug))
        faq_store.save(s, replace(entry, answer="第一行\r\n第二行"), "boss", console.clock.now())
        s.commit()
    exported = admin.get("/admin/faq/export.xlsx")
    assert "filename*=UTF-8''%E7%A4%BE%E5%8C%BA%E9%97%AE%E7%AD%94" in exported.headers["Content-Disposition"]
    ws = load_workbook(io.BytesIO(exported.data)).active
    assert ws.freeze_panes == "A2" and ws["A1"].font.b
    before = _state(console)
    resp = _import(admin, exported.data)
    assert resp.status_code == 302
    assert "新增 0 条，更新 0 条" in admin.get("/admin/faq/").get_data(as_text=True)
    assert _state(console) == before


def test_cli_import_keeps_columns_the_file_lacks(console, tmp_path):
    from click.testing import CliRunner

    from bot.cli import cli
    from tests.web.test_users_cli import _write_config

    row = _rich(console)
    path = tmp_path / "问答.xlsx"
    path.write_bytes(_xlsx([("id", "question", "answer"), (row.slug, row.question, "命令行改的答案")]))
    config = _write_config(tmp_path, console.settings.database.url)
    result = CliRunner().invoke(cli, ["faq", "import", str(path), "--config", config])
    assert result.exit_code == 0, result.output
    with console.session() as s:
        got = faq_store.get(s, row.slug)
        assert got.answer == "命令行改的答案" and got.alt_questions == row.alt_questions
