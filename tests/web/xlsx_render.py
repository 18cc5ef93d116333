"""Render an xlsx sheet as HTML the way a spreadsheet shows it (bold, widths, frozen rows, dates),
so a browser can take its picture (LibreOffice is not installed on the test machines)."""
from __future__ import annotations

from datetime import datetime
from html import escape

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

CSS = ("body{font:13px 'Noto Sans CJK SC',sans-serif;margin:0;background:#fff}"
       "table{border-collapse:collapse;table-layout:fixed}td,th{border:1px solid #c8c8c8;padding:2px 4px;"
       "vertical-align:top;white-space:pre-wrap;overflow:hidden}th.rh,td.rh{background:#f0f0f0;color:#555;"
       "text-align:center;width:34px}thead th{background:#f0f0f0;font-weight:normal;color:#555}"
       ".b{font-weight:bold}.frozen{border-bottom:2px solid #666}.title{font-size:16px}"
       ".tab{display:inline-block;margin:6px;padding:2px 12px;border:1px solid #999;background:#fff;font-weight:bold}")


def _value(v, fmt: str) -> str:
    if isinstance(v, datetime):
        return v.strftime("%Y-%m-%d %H:%M") if "hh" in fmt else v.strftime("%Y-%m-%d")
    return "" if v is None else str(v)


def render_html(path) -> str:
    ws = load_workbook(path).active
    frozen = ws.freeze_panes and ws[ws.freeze_panes].row - 1 or 0
    widths = [(ws.column_dimensions[get_column_letter(i)].width or 8.43) * 7.5 for i in range(1, ws.max_column + 1)]
    out = [f"<html><head><meta charset='utf-8'><style>{CSS}</style></head><body><table>",
           "<colgroup><col style='width:34px'>" + "".join(f"<col style='width:{w:.0f}px'>" for w in widths) + "</colgroup>",
           "<thead><tr><th class='rh'></th>" + "".join(f"<th>{get_column_letter(i)}</th>" for i in range(1, ws.max_column + 1)) + "</tr></thead>"]
    spans = {(m.min_row, m.min_col): m.max_col - m.min_col + 1 for m in ws.merged_cells.ranges}
    hidden = {(m.min_row, c) for m in ws.merged_cells.ranges for c in range(m.min_col + 1, m.max_col + 1)}
    for r, row in enumerate(ws.iter_rows(), start=1):
        cls = " class='frozen'" if r == frozen else ""
        cells = "".join(f"<td colspan='{spans.get((r, c.column), 1)}' class='{'b' if c.font and c.font.b else ''}"
                        f"{' title' if r == 1 else ''}'>{escape(_value(c.value, c.number_format))}</td>"
                        for c in row if (r, c.column) not in hidden)
        out.append(f"<tr{cls}><td class='rh'>{r}</td>{cells}</tr>")
    out.append(f"</table><div class='tab'>{escape(ws.title)}</div></body></html>")
    return "".join(out)
