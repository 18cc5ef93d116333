"""`linli staff import`: the office's sheet in, every bad row refused with its row number, nothing half-done."""
from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from openpyxl import Workbook
from sqlalchemy import select

from bot.cli import cli
from bot.db import make_engine, make_session_factory, transaction
from bot.db.models import Staff
from tests.commands.conftest import write_config

HEADER = ("姓名", "手机", "角色", "节假日不排班")
GOOD = [("张伟", "13800000001", "负责人", ""), ("王芳", 13800000002, "", "否"), ("周婷", "138-0000-0009", "工作人员", "是")]


def sheet(path, rows, header=HEADER):
    wb = Workbook()
    wb.active.append(list(header))
    for row in rows:
        wb.active.append(list(row))
    wb.save(path)
    return path


def staff_rows(db_url) -> dict[str, Staff]:
    engine = make_engine(db_url, null_pool=True)
    try:
        with transaction(make_session_factory(engine)) as s:
            return {st.name: st for st in s.scalars(select(Staff))}
    finally:
        engine.dispose()


@pytest.fixture
def run(tmp_path, db_url, no_linli_env):
    cfg = write_config(tmp_path / "site", database={"url": db_url})

    def invoke(*args):
        return CliRunner().invoke(cli, [*args, "--config", str(cfg)])
    return invoke


def test_a_good_sheet_adds_staff_in_rotation_order(run, tmp_path, db_url):
    result = run("staff", "import", str(sheet(tmp_path / "s.xlsx", GOOD)))
    assert result.exit_code == 0, result.output
    assert "新增 3" in result.output
    people = staff_rows(db_url)
    assert people["张伟"].role == "lead" and people["王芳"].phone == "13800000002"
    assert people["周婷"].no_holiday_duty and people["周婷"].phone == "13800000009"
    assert [n for n, _ in sorted(people.items(), key=lambda kv: kv[1].rotation_order)] == ["张伟", "王芳", "周婷"]
    again = run("staff", "import", str(sheet(tmp_path / "s2.xlsx", GOOD[:2] + [("周婷", "13800000009", "", "")])))
    assert "更新 1" in again.output and "未变 2" in again.output
    assert not staff_rows(db_url)["周婷"].no_holiday_duty


# Bad rows come after the three good ones (Excel rows 2-4), so the first bad row is row 5.
@pytest.mark.parametrize("bad,reason", [
    (("李娜", "1380000", "", ""), "第5行：手机“1380000”不是11位手机号"),
    (("李娜", "", "", ""), "第5行：手机为空"),
    (("", "13800000003", "", ""), "第5行：姓名为空"),
    (("李娜", "13800000003", "书记", ""), "第5行：角色“书记”无法识别"),
    (("李娜", "13800000003", "", "有时"), "第5行：节假日不排班“有时”无法识别"),
    (("王芳", "13800000003", "", ""), "第5行：姓名“王芳”与第3行重复"),
])
def test_a_bad_row_is_refused_with_row_and_reason_and_nothing_changes(run, tmp_path, db_url, bad, reason):
    result = run("staff", "import", str(sheet(tmp_path / "bad.xlsx", GOOD + [bad])))
    assert result.exit_code == 1, result.output
    assert "没有做任何修改" in result.output and reason in result.output, result.output
    assert staff_rows(db_url) == {}  # the three good rows were not imported either


@pytest.mark.parametrize("header,rows,reason", [
    (("姓名", "电话号码"), [("张伟", "13800000001")], "第1行：不认识的列“电话号码”"),
    (("姓名",), [("张伟",)], "第1行：缺少“手机”列"),
    (HEADER, [], "表中没有任何人员"),
])
def test_a_bad_header_or_empty_sheet_is_refused(run, tmp_path, db_url, header, rows, reason):
    result = run("staff", "import", str(sheet(tmp_path / "bad.xlsx", rows, header)))
    assert result.exit_code == 1 and reason in result.output, result.output
    assert staff_rows(db_url) == {}


def test_every_problem_is_listed_at_once(run, tmp_path):
    path = sheet(tmp_path / "bad.xlsx", [("张伟", "1", "", ""), ("", "13800000001", "x", "")])
    out = run("staff", "import", str(path)).output
    assert "第2行：手机“1”" in out and "第3行：姓名为空" in out and "第3行：角色“x”" in out


def test_a_file_that_is_not_xlsx(run, tmp_path):
    path = tmp_path / "staff.xlsx"
    path.write_text("姓名,手机\n张伟,13800000001\n", encoding="utf-8")
    result = run("staff", "import", str(path))
    assert result.exit_code == 1 and "不是可读取的 xlsx 文件" in result.output


def test_bind_codes_for_unbound_staff(run, tmp_path, db_url):
    run("staff", "import", str(sheet(tmp_path / "s.xlsx", GOOD)))
    out = run("staff", "bind-codes").output
    assert len(re.findall(r"：绑定 \d{6}", out)) == 3 and "张伟（13800000001）" in out
    codes = {s.name: s.bind_code for s in staff_rows(db_url).values()}
    assert all(code and code in out for code in codes.values())


def test_optional_columns_duty_and_notes(run, tmp_path, db_url):
    header = ("序号", "姓名", "手机", "角色", "参加值班", "备注")
    rows = [(1, "刘书记", "13800000011", "管理员", "否", "只管后台"), (2, "王芳", "13800000002", "", "", ""),
            (3, "李娜", "13800000003", "", "是", "")]
    assert run("staff", "import", str(sheet(tmp_path / "s.xlsx", rows, header))).exit_code == 0
    people = staff_rows(db_url)
    assert not people["刘书记"].eligible and people["刘书记"].role == "admin" and people["王芳"].eligible


def test_a_later_import_keeps_the_rota_and_says_how_newcomers_join(run, tmp_path, db_url):
    from bot.db.models import RosterPlan

    run("staff", "import", str(sheet(tmp_path / "s.xlsx", GOOD)))
    out = run("staff", "import", str(sheet(tmp_path / "s2.xlsx", GOOD + [("李娜", "13800000003", "", "")]))).output
    assert "新增 1" in out and "新增的李娜从哪天开始值班" in out
    engine = make_engine(db_url, null_pool=True)
    try:
        with transaction(make_session_factory(engine)) as s:
            plans = s.scalars(select(RosterPlan)).all()
    finally:
        engine.dispose()
    assert len(plans) == 1 and [m["name"] for m in plans[0].members] == ["张伟", "王芳", "周婷"]
