"""Plain-text tables for `linli roster show`, aligned for CJK text in a terminal."""
from __future__ import annotations

import unicodedata
from typing import Sequence

from .fairness import FairnessReport
from .rotation import DutyDay

KIND_ZH = {"workday": "工作日", "weekend": "周末", "holiday": "节假日", "makeup_workday": "调休上班"}
WEEKDAY_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


def display_width(text: str) -> int:
    """Terminal columns `text` takes: wide and fullwidth characters count two."""
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def _table(header: Sequence[str], rows: list[Sequence[str]]) -> str:
    widths = [max(display_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(_pad(c, w) for c, w in zip(r, widths)).rstrip() for r in [header, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def render_table(days: Sequence[DutyDay]) -> str:
    """Roster table: 日期 星期 类型 值班人员 备注."""
    rows = [
        (d.day.isoformat(), WEEKDAY_ZH[d.day.weekday()], KIND_ZH.get(d.kind, d.kind),
         "、".join(d.staff), "；".join(d.notes))
        for d in days
    ]
    return _table(("日期", "星期", "类型", "值班人员", "备注"), rows)


def render_fairness(report: FairnessReport) -> str:
    """Fairness table per person followed by the spreads."""
    rows = [(p.name, str(p.total), str(p.weekend), str(p.holiday)) for p in report.people]
    table = _table(("姓名", "值班", "周末", "节假日"), rows)
    period = f"{report.start} 至 {report.end}" if report.start else "（无排班）"
    window = (
        f"最差{report.window_days}天窗口差值：{report.worst_window_spread}"
        f"（自 {report.worst_window_start} 起）"
    )
    summary = [
        f"统计区间：{period}",
        f"值班次数差值：{report.spread_total}",
        f"周末/节假日值班差值：{report.spread_rest_days}",
        window,
    ]
    return table + "\n\n" + "\n".join(summary)
