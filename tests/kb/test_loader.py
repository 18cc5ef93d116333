"""Loader and validator: good files round-trip, bad ones name file, entry and reason."""
from pathlib import Path

import pytest

from knowledge_base.loader import (MAX_ANSWER_BYTES, FaqEntry, KnowledgeBaseError, dump_kb,
                                   load_kb, parse_kb, validate_entries)

GOOD = """meta: {name: t, version: 1}
faqs:
  - id: office_hours
    question: 社区办公时间？
    alt_questions: [几点上班]
    answer: 工作日 8:30-17:30
    category: 办事服务
    route: consult
    tags: [办公时间]
  - id: dibao
    question: 低保怎么申请？
    answer: 到社区申请
    route: aid
"""


def _with(**override) -> str:
    entry = {"id": "x_entry", "question": "问题", "answer": "回答", "route": "consult"}
    entry.update(override)
    body = "\n".join(f"    {k}: {v}" for k, v in entry.items())
    return GOOD + "  - " + body.lstrip() + "\n"


def test_parse_good():
    entries = parse_kb(GOOD)
    assert [e.id for e in entries] == ["office_hours", "dibao"]
    assert entries[0].alt_questions == ("几点上班",) and entries[1].tags == ()


def test_round_trip():
    entries = parse_kb(GOOD)
    assert parse_kb(dump_kb(entries, {"name": "t"})) == entries


def test_default_kb_loads_and_is_marked_sample():
    path = Path(__file__).parents[2] / "knowledge_base" / "default_faq.yaml"
    entries = load_kb(path)
    assert len(entries) >= 40
    assert "示例内容，上线前须由社区工作人员核实" in path.read_text(encoding="utf-8")


def test_duplicate_id():
    with pytest.raises(KnowledgeBaseError, match=r"entry #3 \(dibao\).*duplicate id"):
        parse_kb(_with(id="dibao"), source="faq.yaml")


def test_empty_answer_names_file_entry_and_line():
    with pytest.raises(KnowledgeBaseError) as exc:
        parse_kb(_with(answer="''"), source="faq.yaml")
    msg = str(exc.value)
    assert msg.startswith("faq.yaml:14: entry #3 (x_entry)") and "answer is empty" in msg


def test_empty_question():
    with pytest.raises(KnowledgeBaseError, match="question is empty"):
        parse_kb(_with(question="''"))


def test_unknown_route():
    with pytest.raises(KnowledgeBaseError, match="unknown route 'plumbing'"):
        parse_kb(_with(route="plumbing"))


def test_over_long_answer():
    long = "啊" * (MAX_ANSWER_BYTES // 3 + 1)   # 3 bytes per CJK char in UTF-8
    with pytest.raises(KnowledgeBaseError, match="too long"):
        parse_kb(_with(answer=long))
    parse_kb(_with(answer="啊" * (MAX_ANSWER_BYTES // 3)))


def test_bad_slug():
    with pytest.raises(KnowledgeBaseError, match="slug"):
        parse_kb(_with(id="'Bad Id'"))


def test_bad_yaml_reports_line():
    text = "faqs:\n  - id: a\n    question: [unclosed\n    answer: b\n"
    with pytest.raises(KnowledgeBaseError, match=r"^k\.yaml:\d+: invalid YAML"):
        parse_kb(text, source="k.yaml")


def test_missing_faqs_list():
    with pytest.raises(KnowledgeBaseError, match="faqs"):
        parse_kb("meta: {}\n")


def test_validate_entries_directly():
    e = FaqEntry("a_b", "q", (), "a", "c", "consult", ())
    validate_entries([e], "x")
    with pytest.raises(KnowledgeBaseError, match="duplicate"):
        validate_entries([e, e], "x")


def test_load_kb_reports_file_name(tmp_path):
    p = tmp_path / "faq.yaml"
    p.write_text(_with(answer="''"), encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match=r"^faq\.yaml:"):
        load_kb(p)
