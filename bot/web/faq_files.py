"""FAQ import and export routes: YAML and xlsx, all or nothing."""
from __future__ import annotations

import io
import re

from flask import Response, flash, g, redirect, render_template, request, url_for

from bot import texts as M
from bot.faq_store import revisions as faq_store
from bot.faq_store.xlsx import SheetError, read_xlsx, xlsx_bytes
from bot.web.helpers import db, download, local, now
from knowledge_base.loader import KnowledgeBaseError, dump_kb, parse_kb

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class FaqFileError(ValueError):
    """A file that cannot be imported; the message names the row (or line) and the reason."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__("\n".join([message, *(problems or [])]))
        self.headline, self.problems = message, problems or []


REASONS_ZH = (
    (r"\brow (\d+)", r"第\1行"),
    (r"entry #(\d+)", r"第\1条"),
    (r"answer is empty", "答案为空"),
    (r"question is empty", "标准问题为空"),
    (r"id must be a slug of lowercase letters, digits and _ starting with a letter",
     "编号只能由小写字母、数字和下划线组成，并以字母开头"),
    (r"duplicate id \(first used by 第(\d+)条\)", r"编号重复（第\1条已使用）"),
    (r"unknown route ('[^']*') \(expected one of ([^)]*)\)", r"未知的工单类别 \1（可选：\2）"),
    (r"answer is too long for a WeChat text reply \((\d+) bytes UTF-8 > (\d+)\)",
     r"答案太长，超出微信文字回复上限（\1 字节 > \2）"),
    (r"missing column\(s\) ", "缺少列："),
    (r"not a readable xlsx file", "不是可读取的 xlsx 文件"),
    (r"the sheet is empty", "表格是空的"),
    (r"invalid YAML: YAML anchors and aliases \(&name / \*name\) are not allowed in FAQ files",
     "YAML 文件里不能使用锚点和别名（&名称 / *名称），请把内容直接写出来"),
    (r"too many entries \((\d+) > (\d+)\)", r"问答条数太多（\1 条，最多 \2 条），请拆分后分批导入"),
    (r"file too large \(over (\d+) MB\)", r"文件太大（超过 \1 MB），请拆分后分批导入"),
)


def _zh(message: str) -> str:
    """Loader messages with rows, entries and the common reasons in Chinese."""
    for pattern, repl in REASONS_ZH:
        message = re.sub(pattern, repl, message)
    return message


def parse_upload(filename: str, data: bytes, existing: dict | None = None) -> list:
    """Entries from an uploaded .xlsx or .yaml file; raises FaqFileError.

    `existing` (stored entries by id) fills the fields an xlsx file has no column for."""
    name = (filename or "").lower()
    try:
        if name.endswith(".xlsx"):
            return read_xlsx(io.BytesIO(data), name=filename, existing=existing)
        if name.endswith((".yaml", ".yml")):
            return parse_kb(data.decode("utf-8"), source=filename)
    except UnicodeDecodeError:
        raise FaqFileError(M.FAQ_FILE_NOT_UTF8) from None
    except SheetError as exc:
        raise FaqFileError(M.FAQ_FILE_PROBLEMS.format(count=len(exc.problems)), exc.problems) from None
    except KnowledgeBaseError as exc:
        raise FaqFileError(M.FAQ_FILE_WRONG.format(why=_zh(str(exc)))) from None
    raise FaqFileError(M.FAQ_FILE_KIND)


def import_file(session, filename: str, data: bytes, author: str):
    """Import every entry of the file or none of them."""
    existing = {e.id: e for e in faq_store.export_entries(session)}
    entries = parse_upload(filename, data, existing)
    try:
        return faq_store.import_entries(session, entries, author, now())
    except KnowledgeBaseError as exc:
        raise FaqFileError(M.FAQ_FILE_WRONG.format(why=_zh(str(exc)))) from None


def register_file_routes(bp) -> None:
    """Attach /import and /export.<fmt> to the FAQ blueprint."""

    @bp.route("/import", methods=["GET", "POST"])
    def import_():
        if request.method == "GET":
            return render_template("admin/faq_import.html")
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            flash(M.WEB_IMPORT_NO_FILE, "error")
            return render_template("admin/faq_import.html"), 400
        try:
            with db() as s:
                report = import_file(s, upload.filename, upload.read(), g.user.name)
        except FaqFileError as exc:
            flash(M.WEB_IMPORT_FAILED.format(why=exc.headline if exc.problems else exc), "error")
            return render_template("admin/faq_import.html", problems=exc.problems), 400
        flash(M.WEB_IMPORT_DONE.format(report=report), "success")
        return redirect(url_for(".index"))

    @bp.get("/export.<fmt>")
    def export(fmt: str):
        with db() as s:
            entries = faq_store.export_entries(s)
        stamp = local(now(), "%Y%m%d-%H%M")
        if fmt == "yaml":
            text = dump_kb(entries, {"name": "linli-faq", "version": 1})
            return _download(text.encode("utf-8"), f"faq-{stamp}.yaml", "application/x-yaml")
        if fmt == "xlsx":
            return _download(xlsx_bytes(entries), M.FAQ_EXPORT_NAME.format(stamp=stamp), XLSX_MIME)
        return Response("unknown format", status=404)


def _download(data: bytes, filename: str, mime: str) -> Response:
    return download(data, filename, mime)
