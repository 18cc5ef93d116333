"""`linli roster …` and `linli tick` through click's CliRunner on a temporary config."""
from __future__ import annotations

from click.testing import CliRunner

from bot.cli import cli
from bot.db import make_engine, make_session_factory
from tests.scheduler.helpers import local, open_ticket


def run(config_file, *args):
    result = CliRunner().invoke(cli, [*args, "--config", str(config_file)], obj={})
    return result.exit_code, result.output


def pair(config_file, day):
    code, out = run(config_file, "roster", "show", "--days", "1", "--from", day)
    assert code == 0, out
    return out.splitlines()[-1].split()[3].split("、")


def test_roster_show_prints_a_readable_table(config_file):
    code, out = run(config_file, "roster", "show", "--days", "14", "--from", "2026-12-01")
    assert code == 0, out
    lines = out.splitlines()
    assert lines[0].startswith("值班表（每日 08:30 交班") and lines[1].split() == ["日期", "星期", "类型", "值班人员", "备注"]
    assert len(lines) == 3 + 14 and lines[3].split()[:3] == ["2026-12-01", "周二", "工作日"]
    assert lines[8].split()[:3] == ["2026-12-06", "周日", "周末"]
    assert all(len(line.split()[3].split("、")) == 2 for line in lines[3:])


def test_roster_swap_and_leave_and_their_errors(config_file):
    keeps, out_ = pair(config_file, "2026-12-01")
    code, text = run(config_file, "roster", "leave", out_, "2026-12-01", "2026-12-03")
    assert code == 0 and f"顶替{out_}" in text and "请假已登记" in text, text
    now = pair(config_file, "2026-12-01")
    assert out_ not in now and keeps in now and len(now) == 2
    stand_in = next(n for n in now if n != keeps)
    code, text = run(config_file, "roster", "swap", "2026-12-01", stand_in, out_)
    assert code == 1 and text.startswith("Error: ") and f"{out_}请假中" in text
    code, text = run(config_file, "roster", "swap", "2026-12-01", keeps, stand_in)
    assert code == 1 and "都在值班" in text
    code, text = run(config_file, "roster", "leave", "无名氏", "2026-12-01", "2026-12-01")
    assert code == 1 and "找不到在职工作人员“无名氏”" in text
    code, text = run(config_file, "roster", "show", "--from", "2026-13-01")
    assert code == 1 and "日期格式不对" in text and len(text.splitlines()) == 1


def test_roster_fairness_reports_the_window_spread(config_file):
    code, out = run(config_file, "roster", "fairness", "--from", "2026-12-01", "--days", "84")
    assert code == 0, out
    assert "最差28天窗口差值：1" in out or "最差28天窗口差值：0" in out
    assert len([line for line in out.splitlines() if line.startswith(("张伟", "周婷", "马琳"))]) == 3
    assert "不排周末/节假日班：周婷" in out
    from bot.roster.calendar import HolidayCalendar

    # the period reaches 2027; the installed chinese-calendar may not have that year's data yet
    assert ("还没有 2027 年的法定节假日" in out) == (not HolidayCalendar().known(2027))


def test_tick_at_prints_what_each_sweep_did(config_file, db_url):
    code, out = run(config_file, "roster", "show", "--days", "1")  # migrates and seeds staff
    assert code == 0, out
    engine = make_engine(db_url)
    start = local(2026, 12, 1, 9, 0)
    tid = open_ticket(make_session_factory(engine), assignee=pair(config_file, "2026-12-01")[0], at=start)
    engine.dispose()
    code, out = run(config_file, "tick", "--at", "2026-12-01T09:15:00+08:00")
    assert code == 0, out
    assert out.splitlines()[0] == "时间：2026-12-01T01:15:00+00:00"
    assert "升级提醒：1 条" in out and f"#{tid} 第1步/1次 remind_assignee" in out
    assert "交班：" in out and "日报：" in out and "外发消息：" in out
    code, again = run(config_file, "tick", "--at", "2026-12-01T09:15:00+08:00")
    assert "升级提醒：0 条" in again and "交班：本轮无事可做" in again
    code, bad = run(config_file, "tick", "--at", "tomorrow")
    assert code == 1 and "时间格式不对" in bad
