"""Spreadsheet cells that stay text: a resident's '=HYPERLINK(…)' must never become a formula.

openpyxl turns any string starting with '=' into a formula. Every exported string cell is written as
an inline string instead, and the risky ones (= + - @, tab, CR — what Excel and LibreOffice would
evaluate when the cell is edited) also get Excel's quotePrefix style. The text itself is untouched,
so an exported FAQ imports back exactly as it was (no apostrophes added).
"""
from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet

RISKY_STARTS = ("=", "+", "-", "@", "\t", "\r")


def keep_as_text(ws: Worksheet) -> int:
    """Make every string cell of the sheet plain text; returns how many looked like formulas."""
    risky = 0
    for row in ws.iter_rows():
        for cell in row:
            if not isinstance(cell.value, str):
                continue
            cell.data_type = "s"
            if cell.value.startswith(RISKY_STARTS):
                cell.quotePrefix = True
                risky += 1
    return risky
