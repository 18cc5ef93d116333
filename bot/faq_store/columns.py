"""The FAQ sheet's columns: Chinese headers, documented aliases, cell parsing and row checks in Chinese."""
from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass

from bot.texts import CATEGORY_NAMES
from knowledge_base.loader import ID_PATTERN, MAX_ANSWER_BYTES, ROUTES, FaqEntry

FIELDS = ("id", "question", "alt_questions", "answer", "category", "route", "tags", "enabled")
HEADERS_ZH = {"id": "编号", "question": "问题", "alt_questions": "其他问法", "answer": "答案",
              "category": "分类", "route": "工单类别", "tags": "标签", "enabled": "启用"}
# Every header a file may use for each field (compared after normalise_header).
ALIASES = {
    "id": ("id", "编号", "问答编号"),
    "question": ("question", "问题", "标准问题", "标准问法"),
    "alt_questions": ("alt_questions", "其他问法", "其它问法", "相似问法", "相似问题"),
    "answer": ("answer", "答案", "回答", "答复"),
    "category": ("category", "分类", "问答分类"),
    "route": ("route", "工单类别", "转办类别"),
    "tags": ("tags", "标签", "关键词"),
    "enabled": ("enabled", "启用", "是否启用"),
}
# Columns a secretary may keep for herself; they are read past, never imported.
IGNORED = ("备注", "说明", "notes", "note", "comment")
REQUIRED = ("id", "question", "answer")
ROUTE_BY_NAME = {name: code for code, name in CATEGORY_NAMES.items() if code in ROUTES}
MAX_ANSWER_CHARS = MAX_ANSWER_BYTES // 3  # a Chinese character is 3 bytes in UTF-8
NO = ("false", "0", "no", "否", "停用", "不启用")


def normalise_header(cell) -> str:
    """'  其他问法* ' and 'Alt_Questions' compare equal to their alias."""
    text = unicodedata.normalize("NFKC", str(cell or "")).strip().strip("*").strip().lower()
    return text.replace(" ", "")


LOOKUP = {normalise_header(a): field for field, names in ALIASES.items() for a in names}


def column_label(field: str) -> str:
    """'其他问法（alt_questions）' — how error messages name a column."""
    return f"{HEADERS_ZH[field]}（{field}）"


def suggest(header: str) -> str:
    """The closest known header to an unknown one, as a hint ('' when nothing is close)."""
    known = list(LOOKUP) + [normalise_header(i) for i in IGNORED]
    close = difflib.get_close_matches(normalise_header(header), known, n=1, cutoff=0.5)
    if not close or close[0] not in LOOKUP:
        return ""
    return f"是不是“{column_label(LOOKUP[close[0]])}”？"


def known_columns() -> str:
    """The headers a file may use, for the error message."""
    return "、".join(HEADERS_ZH[f] for f in FIELDS) + "（也可用英文列名 " + ", ".join(FIELDS) + "）"


def clean_text(cell) -> str:
    """A cell as text with Windows/Mac line breaks normalised (so a round trip changes nothing)."""
    if cell is None:
        return ""
    return str(cell).replace("\r\n", "\n").replace("\r", "\n").strip()


def split_list(cell, extra: str = "") -> tuple[str, ...]:
    """Alternative questions or tags: one per line, or separated by | (tags also by 、，,)."""
    text = clean_text(cell).replace("｜", "|")
    for sep in extra:
        text = text.replace(sep, "|")
    parts = [p.strip() for chunk in text.split("\n") for p in chunk.split("|")]
    return tuple(p for p in parts if p)


def parse_enabled(cell) -> bool:
    if isinstance(cell, bool):
        return cell
    return clean_text(cell).lower() not in NO if clean_text(cell) else True


def parse_route(cell) -> str:
    """'报修' or 'repair' -> 'repair'; anything else is returned as given (checked later)."""
    text = clean_text(cell)
    return ROUTE_BY_NAME.get(text, text.lower() if text.lower() in ROUTES else text)


@dataclass(frozen=True)
class RowProblem:
    """One thing wrong with one Excel row."""

    row: int
    reason: str

    def __str__(self) -> str:
        return f"第{self.row}行：{self.reason}"


def row_problems(entry: FaqEntry, row: int, first_row_of: dict[str, int]) -> list[RowProblem]:
    """Everything wrong with one entry, in Chinese; `first_row_of` records ids already seen."""
    out = []
    if not ID_PATTERN.match(entry.id or ""):
        out.append(f"编号“{entry.id}”不合规：只能用小写字母、数字和下划线，以字母开头，2-64个字符")
    elif entry.id in first_row_of:
        out.append(f"编号“{entry.id}”与第{first_row_of[entry.id]}行重复")
    else:
        first_row_of[entry.id] = row
    if not entry.question.strip():
        out.append("问题为空")
    if not entry.answer.strip():
        out.append("答案为空")
    if entry.route not in ROUTES:
        names = "、".join(CATEGORY_NAMES[r] for r in ROUTES if r in CATEGORY_NAMES)
        out.append(f"工单类别“{entry.route}”无法识别（可填：{names}）" if entry.route
                   else f"新问答需要填写工单类别（可填：{names}）")
    size = len(entry.answer.encode("utf-8"))
    if size > MAX_ANSWER_BYTES:
        out.append(f"答案共{len(entry.answer)}个字，超出微信一条文字消息的上限"
                   f"（约{MAX_ANSWER_CHARS}个汉字），请删减约{-(-(size - MAX_ANSWER_BYTES) // 3)}个字")
    return [RowProblem(row, reason) for reason in out]


def route_name(code: str) -> str:
    return CATEGORY_NAMES.get(code, code)
