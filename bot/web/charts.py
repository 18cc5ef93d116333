"""Server-side SVG charts: no JavaScript, no CDN, render anywhere (also offline)."""
from __future__ import annotations

from markupsafe import Markup, escape

from bot import texts as M

PALETTE = ("#07c160", "#2f6fed", "#f5a623", "#e5484d", "#8e59ff", "#13c2c2", "#86909c")


def _nice_max(value: float) -> float:
    """A round axis maximum at or above value."""
    if value <= 0:
        return 1
    step = 10 ** (len(str(int(value))) - 1)
    return max(step, -(-value // step) * step)


def bar_chart(labels: list[str], series: list[tuple[str, list[float]]], title: str,
              width: int = 520, height: int = 260, unit: str = "") -> Markup:
    """Grouped vertical bars with value labels; one colour per series, a legend on top."""
    pad_l, pad_b, pad_t = 44, 30, 34
    plot_w, plot_h = width - pad_l - 10, height - pad_b - pad_t
    top = _nice_max(max((v for _, vals in series for v in vals), default=0))
    n, k = max(len(labels), 1), max(len(series), 1)
    group = plot_w / n
    bar = max(2.0, min(28.0, group * 0.8 / k))
    parts = [_frame(width, height, title), _axis(pad_l, pad_t, plot_w, plot_h, top, unit)]
    for si, (name, vals) in enumerate(series):
        colour = PALETTE[si % len(PALETTE)]
        parts.append(f'<rect x="{pad_l + si * 150}" y="8" width="12" height="12" fill="{colour}"/>'
                     f'<text x="{pad_l + 17 + si * 150}" y="19" font-size="14">{escape(name)}</text>')
        for i, v in enumerate(vals):
            h = plot_h * (v / top)
            x = pad_l + i * group + (group - bar * k) / 2 + si * bar
            parts.append(f'<rect x="{x:.1f}" y="{pad_t + plot_h - h:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                         f'fill="{colour}"><title>{escape(labels[i])} {escape(name)}：{v:g}{unit}</title></rect>')
            if n <= 16 and v:
                parts.append(f'<text x="{x + bar / 2:.1f}" y="{pad_t + plot_h - h - 3:.1f}" font-size="10" '
                             f'text-anchor="middle">{v:g}</text>')
    every = max(1, -(-n // 8))
    for i, label in enumerate(labels):
        if i % every == 0:
            parts.append(f'<text x="{pad_l + i * group + group / 2:.1f}" y="{height - 10}" font-size="13" '
                         f'text-anchor="middle">{escape(label)}</text>')
    return Markup("".join(parts) + "</svg>")


def hbar_chart(items: list[tuple[str, float]], title: str, width: int = 520, unit: str = "") -> Markup:
    """Horizontal bars, one per labelled item (e.g. tickets by category)."""
    row, pad_l, pad_t = 30, 90, 8
    height = pad_t + row * max(len(items), 1) + 10
    top = _nice_max(max((v for _, v in items), default=0))
    plot_w = width - pad_l - 50
    parts = [_frame(width, height, title)]
    if not items:
        parts.append(f'<text x="{width / 2}" y="{pad_t + 18}" font-size="14" text-anchor="middle" fill="#8a8f99">{M.CHART_NO_DATA}</text>')
    for i, (label, v) in enumerate(items):
        y = pad_t + i * row
        w = plot_w * v / top
        parts.append(f'<text x="{pad_l - 8}" y="{y + 20}" font-size="14" text-anchor="end">{escape(label)}</text>'
                     f'<rect x="{pad_l}" y="{y + 4}" width="{w:.1f}" height="{row - 8}" rx="3" '
                     f'fill="{PALETTE[i % len(PALETTE)]}"/>'
                     f'<text x="{pad_l + w + 6:.1f}" y="{y + 20}" font-size="13">{v:g}{unit}</text>')
    return Markup("".join(parts) + "</svg>")


def _frame(width: int, height: int, title: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
            f'aria-label="{escape(title)}" font-family="Noto Sans CJK SC, PingFang SC, sans-serif">'
            f'<title>{escape(title)}</title>')


def _axis(x: int, y: int, w: float, h: float, top: float, unit: str) -> str:
    lines = []
    for i in range(5):
        yy = y + h - h * i / 4
        lines.append(f'<line x1="{x}" x2="{x + w}" y1="{yy:.1f}" y2="{yy:.1f}" stroke="#e5e6eb"/>'
                     f'<text x="{x - 5}" y="{yy + 4:.1f}" font-size="12" text-anchor="end" fill="#8a8f99">'
                     f'{top * i / 4:g}{escape(unit)}</text>')
    return "".join(lines)
