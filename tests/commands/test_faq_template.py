"""`linli faq template`: a blank sheet with Chinese headers that `linli faq import` takes back."""
from __future__ import annotations

from click.testing import CliRunner
from openpyxl import load_workbook

from bot.cli import cli
from bot.db import make_engine, make_session_factory, transaction
from bot.faq_store.revisions import get
from tests.commands.conftest import write_config


def test_the_blank_template_has_chinese_headers_and_imports(tmp_path, db_url, no_linli_env):
    cfg = write_config(tmp_path / "site", database={"url": db_url}, knowledge_base=None)
    path = tmp_path / "问答模板.xlsx"
    made = CliRunner().invoke(cli, ["faq", "template", str(path)])
    assert made.exit_code == 0, made.output
    wb = load_workbook(path)
    header = [c.value for c in wb.worksheets[0][1]]
    assert header[:4] == ["编号", "问题", "其他问法", "答案"] and "工单类别" in header
    assert wb.worksheets[1].title == "填写说明"
    ws = wb.worksheets[0]
    row = {"编号": "water_bill", "问题": "水费在哪里交？", "其他问法": "怎么交水费\n水费去哪交",
           "答案": "水费可在“郑州水务”公众号缴纳。", "分类": "生活缴费", "工单类别": "政策咨询"}
    ws.append([row.get(h, "") for h in header])
    wb.save(path)
    result = CliRunner().invoke(cli, ["faq", "import", str(path), "--config", str(cfg)])
    assert result.exit_code == 0, result.output
    engine = make_engine(db_url, null_pool=True)
    try:
        with transaction(make_session_factory(engine)) as session:
            entry = get(session, "water_bill")
            assert entry.route == "consult" and entry.alt_questions == ["怎么交水费", "水费去哪交"]
    finally:
        engine.dispose()


def test_the_template_never_overwrites(tmp_path):
    path = tmp_path / "faq.xlsx"
    path.write_bytes(b"keep")
    result = CliRunner().invoke(cli, ["faq", "template", str(path)])
    assert result.exit_code != 0 and path.read_bytes() == b"keep"


def test_import_replace_disables_the_sample_faq(tmp_path, db_url, no_linli_env):
    cfg = write_config(tmp_path / "site", database={"url": db_url})  # the sample FAQ is seeded
    path = tmp_path / "own.xlsx"
    CliRunner().invoke(cli, ["faq", "template", str(path)])
    wb = load_workbook(path)
    wb.worksheets[0].append(["own_hours", "社区几点上班？", "", "工作日9:00-17:00。", "办事服务", "政策咨询"])
    wb.save(path)
    result = CliRunner().invoke(cli, ["faq", "import", str(path), "--replace", "--config", str(cfg)])
    assert result.exit_code == 0 and "已停用不在文件中的" in result.output, result.output
    engine = make_engine(db_url, null_pool=True)
    try:
        with transaction(make_session_factory(engine)) as session:
            from bot.faq_store.revisions import export_entries

            enabled = [e.id for e in export_entries(session) if e.enabled]
    finally:
        engine.dispose()
    assert enabled == ["own_hours"]
