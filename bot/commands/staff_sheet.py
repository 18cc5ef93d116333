"""The office's staff sheet (姓名, 手机, 角色, 节假日不排班, 参加值班): parsed and checked row by row."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


# Header -> field; the office's own words first, English accepted.
HEADERS = {
    "姓名": "name", "名字": "name", "name": "name",
    "手机": "phone", "手机号": "phone", "手机号码": "phone", "电话": "phone", "phone": "phone",
    "角色": "role", "role": "role",
    "节假日不排班": "no_holiday_duty", "no_holiday_duty": "no_holiday_duty",
    "企业微信账号": "wecom_userid", "企业微信userid": "wecom_userid", "wecom_userid": "wecom_userid",
    "参加值班": "eligible", "eligible": "eligible",
}
IGNORED = ("备注", "说明", "序号")
REQUIRED = {"name": "姓名", "phone": "手机"}
ROLES = {"": "staff", "工作人员": "staff", "值班人员": "staff", "staff": "staff",
         "负责人": "lead", "组长": "lead", "lead": "lead", "管理员": "admin", "admin": "admin"}
YES = ("是", "y", "yes", "true", "1", "√", "✓", "不排")
NO = ("", "否", "n", "no", "false", "0", "×")
MOBILE = re.compile(r"^1[3-9]\d{9}$")
MAX_PROBLEMS = 20


@dataclass(frozen=True)
class StaffRow:
    row: int
    name: str
    phone: str
    role: str
    no_holiday_duty: bool
    wecom_userid: str | None = None
    eligible: bool = True  # takes duty shifts (a secretary who only runs the console does not)


class SheetRefused(Exception):
    """The sheet cannot be imported; `problems` are lines like '第3行：手机号“123”不是11位手机号'."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def _text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)  # Excel stores 13800000001 as a number
    return unicodedata.normalize("NFKC", str(cell)).strip()


def read_sheet(path: str) -> list[StaffRow]:
    """Parse the first worksheet; SheetRefused lists every problem with its Excel row number."""
    from openpyxl import load_workbook

    try:
        raw = [tuple(r) for r in load_workbook(path, read_only=True, data_only=True).worksheets[0]
               .iter_rows(values_only=True)]
    except Exception as exc:  # openpyxl raises many types for a file that is not xlsx
        raise SheetRefused([f"{path} 不是可读取的 xlsx 文件（{type(exc).__name__}），请用 Excel/WPS 另存为 .xlsx"]) from None
    if not raw or not any(_text(c) for c in raw[0]):
        raise SheetRefused(["第1行：表头为空，需要“姓名、手机、角色、节假日不排班”这几列"])
    columns, problems = _header(raw[0])
    rows, seen = [], {}
    for number, cells in enumerate(raw[1:], start=2):
        values = {f: _text(cells[i]) if i < len(cells) else "" for i, f in columns.items()}
        if not any(values.values()):
            continue
        row, why = _row(number, values, seen)
        problems += [f"第{number}行：{w}" for w in why]
        rows.append(row)
    if not problems and not rows:
        problems.append("表中没有任何人员（第2行起每行一人）")
    if problems:
        raise SheetRefused(problems[:MAX_PROBLEMS] + ([f"……另有{len(problems) - MAX_PROBLEMS}处问题"]
                                                      if len(problems) > MAX_PROBLEMS else []))
    return rows


def _header(cells: tuple) -> tuple[dict[int, str], list[str]]:
    columns, problems = {}, []
    for i, cell in enumerate(cells):
        key = _text(cell).replace(" ", "").lower().rstrip("*")
        if not key or key in IGNORED:
            continue
        if key not in HEADERS:
            problems.append(f"第1行：不认识的列“{_text(cell)}”（可用：姓名、手机、角色、节假日不排班、参加值班、企业微信账号、备注）")
        elif HEADERS[key] in columns.values():
            problems.append(f"第1行：“{_text(cell)}”列重复")
        else:
            columns[i] = HEADERS[key]
    missing = [label for f, label in REQUIRED.items() if f not in columns.values()]
    if missing:
        problems.append(f"第1行：缺少“{'”“'.join(missing)}”列")
    return columns, problems


def _row(number: int, v: dict[str, str], seen: dict[str, int]) -> tuple[StaffRow, list[str]]:
    why = []
    name = v.get("name", "")
    if not name:
        why.append("姓名为空")
    elif len(name) > 32:
        why.append(f"姓名“{name[:10]}…”太长")
    elif name in seen:
        why.append(f"姓名“{name}”与第{seen[name]}行重复（同名请加以区分，如“王芳（二组）”）")
    else:
        seen[name] = number
    phone = re.sub(r"[\s\-()（）]", "", v.get("phone", "")).removeprefix("+86")
    if not MOBILE.match(phone):
        why.append(f"手机“{v.get('phone', '')}”不是11位手机号" if phone else "手机为空")
    role = ROLES.get(v.get("role", "").lower())
    if role is None:
        why.append(f"角色“{v['role']}”无法识别（可填：工作人员、负责人、管理员）")
    holiday = v.get("no_holiday_duty", "").lower()
    if holiday not in YES + NO:
        why.append(f"节假日不排班“{v['no_holiday_duty']}”无法识别（填“是”或“否”，空白表示否）")
    duty = v.get("eligible", "").lower()
    if duty not in YES + NO:
        why.append(f"参加值班“{v['eligible']}”无法识别（填“是”或“否”，空白表示是）")
    return StaffRow(number, name, phone, role or "staff", holiday in YES, v.get("wecom_userid") or None,
                    duty == "" or duty in YES), why
