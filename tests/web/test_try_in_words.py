"""试一试 says in words what the resident would receive and why (issue 16)."""
from __future__ import annotations

import re
from html import unescape


def _tried(admin, text: str) -> tuple[str, str]:
    page = unescape(admin.get(f"/admin/faq/?try={text}").get_data(as_text=True))
    why = re.search(r'id="try-why">(.*?)</p>', page, re.S).group(1)
    reply = re.search(r'id="try-reply">(.*?)</div>', page, re.S).group(1)
    return why, reply


def test_an_answered_question_shows_the_answer_and_the_threshold(console, admin):
    why, reply = _tried(admin, "社区服务大厅几点开门")
    assert "达到自动回答线60%" in why and "回复0转人工" in reply and len(reply) > 20


def test_a_nonsense_question_says_it_goes_to_a_person(console, admin):
    why, reply = _tried(admin, "阿巴阿巴嘟嘟")
    assert ("转人工" in why or "菜单线" in why) and ("工单号" in reply or "您是不是想问" in reply)
    assert "guard" not in why and "urgent" not in why


def test_faq_search_finds_other_wordings(console, admin):
    from sqlalchemy import select

    from bot.db.models import FaqEntry as FaqRow

    with console.session() as s:
        row = next(r for r in s.scalars(select(FaqRow).order_by(FaqRow.slug)) if r.alt_questions)
        wording = row.alt_questions[0]
    assert wording not in row.question
    page = admin.get(f"/admin/faq/?q={wording}").get_data(as_text=True)
    assert f'/admin/faq/{row.slug}"' in page


def test_revisions_read_in_chinese_and_any_two_compare_side_by_side(console, admin):
    from sqlalchemy import select

    from bot.db.models import FaqEntry as FaqRow
    from tests.web.helpers import post

    with console.session() as s:
        row = s.scalars(select(FaqRow).order_by(FaqRow.slug)).first()
        slug, version = row.slug, row.version
        form = {"question": row.question, "alt_questions": "\n".join(row.alt_questions), "answer": row.answer,
                "category": row.category, "route": row.route, "tags": "\n".join(row.tags), "enabled": "on"}
    post(admin, f"/admin/faq/{slug}", {**form, "answer": "第一次改：\r\n周一至周五"}, token_from="/admin/faq/new")
    post(admin, f"/admin/faq/{slug}", {**form, "answer": "第二次改", "category": "新分类"}, token_from="/admin/faq/new")
    page = admin.get(f"/admin/faq/{slug}").get_data(as_text=True)
    assert "改为：第二次改" in page and "分类" in page and "\\r\\n" not in page and "+answer" not in page
    assert 'data-confirm="确定恢复到第' in page
    cmp = admin.get(f"/admin/faq/{slug}/compare?a={version}&b={version + 2}").get_data(as_text=True)
    assert "第二次改" in cmp and "有改动" in cmp and f"第{version}版" in cmp
