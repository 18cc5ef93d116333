"""FAQ console: edit with revisions and restore, try a question, YAML/xlsx import and export."""
from __future__ import annotations

import io
import os

from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from bot.faq_store import revisions as faq_store
from bot.db.models import FaqEntry as FaqRow
from bot.db.models import FaqRevision
from tests.web.helpers import post


def _form(row, **changes) -> dict:
    data = {"question": row.question, "alt_questions": "\n".join(row.alt_questions), "answer": row.answer,
            "category": row.category, "route": row.route, "tags": "\n".join(row.tags), "enabled": "on"}
    data.update(changes)
    return data


def _first(console):
    with console.session() as s:
        return s.scalars(select(FaqRow).order_by(FaqRow.slug)).first()


def _xlsx(rows) -> bytes:
    wb = Workbook()
    for r in rows:
        wb.active.append(list(r))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _state(console):
    with console.session() as s:
        return (s.scalar(select(func.count(FaqRevision.id))),
                sorted((r.slug, r.version, r.answer) for r in s.scalars(select(FaqRow))))


def test_edit_creates_a_revision_with_a_diff_and_restore_brings_it_back(console, admin):
    row = _first(console)
    resp = post(admin, f"/admin/faq/{row.slug}", _form(row, answer="新的答案：周一至周五 9:00-17:00。"),
                token_from="/admin/faq/new")
    assert resp.status_code == 302
    page = admin.get(f"/admin/faq/{row.slug}").get_data(as_text=True)
    assert "新的答案" in page and "boss" in page
    with console.session() as s:
        revs = faq_store.revisions(s, row.slug)
        assert revs[0].version == row.version + 1 and revs[0].author == "boss"
        assert "+answer: 新的答案" in revs[0].diff.replace("'", "")
    resp = post(admin, f"/admin/faq/{row.slug}/restore/{row.version}", token_from="/admin/faq/new")
    assert resp.status_code == 302
    with console.session() as s:
        again = faq_store.get(s, row.slug)
        assert again.answer == row.answer and again.version == row.version + 2


def test_an_invalid_edit_is_refused_and_changes_nothing(console, admin):
    row = _first(console)
    before = _state(console)
    resp = post(admin, f"/admin/faq/{row.slug}", _form(row, answer="   "), token_from="/admin/faq/new")
    assert resp.status_code == 200 and "保存失败" in resp.get_data(as_text=True)
    assert _state(console) == before


def test_create_and_disable(console, admin):
    data = {"id": "bike_shed", "question": "小区的自行车棚在哪里？", "answer": "自行车棚在3号楼北侧。",
            "category": "生活服务", "route": "consult", "alt_questions": "电动车停哪|车棚在哪", "enabled": "on"}
    assert post(admin, "/admin/faq/new", data, token_from="/admin/faq/new").status_code == 302
    with console.session() as s:
        made = faq_store.get(s, "bike_shed")
        assert made.alt_questions == ["电动车停哪", "车棚在哪"] and made.enabled
    assert post(admin, "/admin/faq/bike_shed/enabled", {"enabled": "0"}, token_from="/admin/faq/new").status_code == 302
    with console.session() as s:
        assert not faq_store.get(s, "bike_shed").enabled
    assert "已停用" in admin.get("/admin/faq/?q=bike").get_data(as_text=True)


def test_try_a_question_shows_normalised_text_candidates_and_decision(console, admin):
    page = admin.get("/admin/faq/?try=几点下班？？").get_data(as_text=True)
    assert "规范化文本" in page and "决定" in page
    assert 'class="cand"' in page
    assert any(word in page for word in ("直接回答", "给出候选菜单", "转人工"))


def test_search_and_category_filter(console, admin):
    row = _first(console)
    page = admin.get(f"/admin/faq/?q={row.slug}").get_data(as_text=True)
    assert row.slug in page
    page = admin.get("/admin/faq/?category=__none__").get_data(as_text=True)
    assert "没有找到问答" in page


def test_bad_xlsx_is_refused_with_row_and_reason_and_changes_nothing(console, admin):
    before = _state(console)
    data = _xlsx([("id", "question", "alt_questions", "answer", "category", "route", "tags"),
                  ("good_one", "好问题", "", "好答案", "测试", "consult", ""),
                  ("bad_one", "坏问题", "", "答案", "测试", "nowhere", "")])
    resp = post(admin, "/admin/faq/import", {"file": (io.BytesIO(data), "faq.xlsx")},
                token_from="/admin/faq/import", content_type="multipart/form-data")
    text = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert "第3行" in text and "nowhere" in text and "没有任何改动" in text
    assert _state(console) == before


def test_xlsx_that_is_not_a_workbook_is_refused(console, admin):
    resp = post(admin, "/admin/faq/import", {"file": (io.BytesIO(b"not a zip"), "faq.xlsx")},
                token_from="/admin/faq/import", content_type="multipart/form-data")
    assert resp.status_code == 400 and "文件有误" in resp.get_data(as_text=True)


def test_bad_yaml_is_refused_with_the_entry_and_reason(console, admin):
    before = _state(console)
    text = "faqs:\n  - id: ok_entry\n    question: 问\n    answer: 答\n    route: consult\n" \
           "  - id: Bad-Id\n    question: 问\n    answer: 答\n    route: consult\n"
    resp = post(admin, "/admin/faq/import", {"file": (io.BytesIO(text.encode()), "kb.yaml")},
                token_from="/admin/faq/import", content_type="multipart/form-data")
    page = resp.get_data(as_text=True)
    assert resp.status_code == 400 and "第2条" in page and "Bad-Id" in page
    assert _state(console) == before


def test_xlsx_export_then_import_round_trips_and_updates(console, admin):
    exported = admin.get("/admin/faq/export.xlsx")
    assert exported.status_code == 200
    wb = load_workbook(io.BytesIO(exported.data))
    ws = wb.active
    header = [c.value for c in ws[1]]
    assert header == ["编号", "问题", "其他问法", "答案", "分类", "工单类别", "标签", "启用"]
    ws.cell(row=2, column=header.index("答案") + 1, value="表格里改过的答案")
    buf = io.BytesIO()
    wb.save(buf)
    slug = ws.cell(row=2, column=1).value
    resp = post(admin, "/admin/faq/import", {"file": (io.BytesIO(buf.getvalue()), "faq.xlsx")},
                token_from="/admin/faq/import", content_type="multipart/form-data")
    assert resp.status_code == 302
    with console.session() as s:
        assert faq_store.get(s, slug).answer == "表格里改过的答案"
        assert faq_store.revisions(s, slug)[0].action == "import"


def test_yaml_export_is_importable(console, admin):
    exported = admin.get("/admin/faq/export.yaml")
    assert exported.status_code == 200 and b"faqs:" in exported.data
    before = _state(console)
    resp = post(admin, "/admin/faq/import", {"file": (io.BytesIO(exported.data), "kb.yaml")},
                token_from="/admin/faq/import", content_type="multipart/form-data")
    assert resp.status_code == 302 and "未变" in admin.get("/admin/faq/").get_data(as_text=True)
    assert _state(console) == before


def test_upload_larger_than_the_webhook_limit_is_accepted(console, admin):
    rows = [("id", "question", "alt_questions", "answer", "category", "route", "tags", "notes")]
    rows += [(f"bulk_{i:03d}", f"批量问题{i}", "", "答" * 300, "批量", "consult", "", os.urandom(600).hex())
             for i in range(150)]
    data = _xlsx(rows)
    assert len(data) > console.settings.wechat.max_body_bytes
    resp = post(admin, "/admin/faq/import", {"file": (io.BytesIO(data), "big.xlsx")},
                token_from="/admin/faq/import", content_type="multipart/form-data")
    assert resp.status_code == 302


def test_parse_upload_names_the_problem():
    import pytest

    from bot.web.faq_files import FaqFileError, parse_upload

    cases = [
        ("faq.xlsx", _xlsx([("id", "question"), ("a1", "问")]), "缺少必需的列：答案（answer）"),
        ("faq.xlsx", _xlsx([("id", "question", "answer"), ("a1", "问", "答")]), "第2行：新问答需要填写工单类别"),
        ("faq.xlsx", _xlsx([("id", "question", "answer", "route"), ("a1", "问", "答", "consult"),
                            ("a1", "问2", "答2", "consult")]), "第3行"),
        ("faq.xlsx", _xlsx([("id", "question", "answer", "route"), ("xx", "问", "答" * 1100, "consult")]), "第2行：答案共1100个字"),
        ("faq.yaml", b"faqs: [", "文件有误"),
        ("faq.yaml", "faqs:\n  - id: a\n".encode(), "文件有误"),
        ("faq.yaml", b"\xff\xfe", "UTF-8"),
        ("faq.csv", b"id,question", ".xlsx"),
    ]
    for name, data, expected in cases:
        with pytest.raises(FaqFileError) as err:
            parse_upload(name, data)
        assert expected in str(err.value), (name, str(err.value))
