"""FAQ revision history in words (issue 16): field names in Chinese, any two versions side by side."""
from __future__ import annotations

from flask import abort, render_template, request

from bot.faq_store import revisions as faq_store
from bot.faq_store.columns import clean_text, route_name
from bot.web.helpers import db
from bot import texts as M


def value_text(field: str, value) -> str:
    """A snapshot value as a person reads it."""
    if field == "route":
        return route_name(value or "")
    if field == "enabled":
        return M.YES if value in (True, None) else M.NO
    if isinstance(value, (list, tuple)):
        return "\n".join(clean_text(v) for v in value)
    return clean_text(value)


def rows(a: dict | None, b: dict) -> list[tuple[str, str, str, bool]]:
    """(field name, value in a, value in b, changed) for every field."""
    a = a or {}
    out = []
    for field, label in M.FAQ_FIELD_NAMES.items():
        old, new = value_text(field, a.get(field)) if a else "", value_text(field, b.get(field))
        out.append((label, old, new, old != new))
    return out


def changes(a: dict | None, b: dict) -> list[tuple[str, str, str, bool]]:
    """Only the fields that changed from a to b."""
    return [r for r in rows(a, b) if r[3]]


def history(revs) -> dict[int, list]:
    """For each revision (newest first), what it changed from the one before."""
    ordered = sorted(revs, key=lambda r: r.version)
    out, before = {}, None
    for r in ordered:
        out[r.version] = changes(before, r.snapshot)
        before = r.snapshot
    return out


def register_history_routes(bp) -> None:
    @bp.get("/<slug>/compare")
    def compare(slug: str):
        with db() as s:
            revs = {r.version: r for r in faq_store.revisions(s, slug)}
            if not revs:
                abort(404)
            newest = max(revs)
            a = request.args.get("a", type=int) or max(min(revs), newest - 1)
            b = request.args.get("b", type=int) or newest
            if a not in revs or b not in revs:
                abort(404)
            return render_template("admin/faq_compare.html", slug=slug, a=revs[a], b=revs[b],
                                   table=rows(revs[a].snapshot, revs[b].snapshot), versions=sorted(revs),
                                   actions=M.FAQ_ACTION_NAMES)
