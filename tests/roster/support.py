"""Plain helpers for the roster tests (fixtures live in conftest.py)."""
from __future__ import annotations

from datetime import timedelta

NAMES = "张伟 王芳 李娜 刘洋 陈静 杨磊 赵敏 黄强 周婷 吴刚 徐丽 孙浩 马琳".split()


def window_spreads(days, names, size=28):
    """Spread (max - min duty count over `names`) of every `size`-day window of `days`."""
    out = []
    for i in range(len(days) - size + 1):
        counts = {n: 0 for n in names}
        for d in days[i : i + size]:
            for n in d.staff:
                if n in counts:
                    counts[n] += 1
        out.append(max(counts.values()) - min(counts.values()))
    return out


def consecutive(days):
    """Consecutive duty-day pairs (d, d+1) in `days`."""
    return [(a, b) for a, b in zip(days, days[1:]) if b.day - a.day == timedelta(days=1)]
