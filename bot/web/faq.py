"""FAQ editing (admins): list, search, edit, disable, revisions, restore, try a question."""
from __future__ import annotations



from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for

from bot import texts as M
from bot.faq_store import revisions as faq_store
from bot.web.auth import guard
from bot.web.faq_files import register_file_routes
from bot.web.helpers import GUARD_NAMES, db, now, services
from bot.faq_store.columns import MAX_ANSWER_CHARS, clean_text, row_problems
from bot.web.faq_history import history, register_history_routes
from knowledge_base.loader import ROUTES, FaqEntry, KnowledgeBaseError

LIST_FIELDS = ("alt_questions", "tags")


def entry_from_form(form, slug: str | None = None) -> FaqEntry:
    """An FaqEntry from the edit form; one alternative question or tag per line."""
    lines = lambda name: tuple(x.strip() for x in form.get(name, "").replace("|", "\n").splitlines() if x.strip())  # noqa: E731
    return FaqEntry(id=(slug or form.get("id", "")).strip(), question=form.get("question", "").strip(),
                    alt_questions=lines("alt_questions"), answer=clean_text(form.get("answer", "")),
                    category=form.get("category", "").strip(), route=form.get("route", "consult"),
                    tags=lines("tags"), enabled="enabled" in form)


def search(rows, query: str) -> list:
    """Entries whose id, question, other wordings, answer or tags contain the query."""
    q = query.strip().lower()
    if not q:
        return list(rows)
    text = lambda r: " ".join([r.slug, r.question, r.answer, *(r.alt_questions or ()), *(r.tags or ())]).lower()  # noqa: E731
    return [r for r in rows if q in text(r)]


def from_learning(args) -> FaqEntry:
    """A new entry pre-filled from 写成问答: the question, the group's other wordings, route, category."""
    alts = tuple(dict.fromkeys(x.strip()[:200] for x in args.get("alt_questions", "").splitlines() if x.strip()))
    route = args.get("route", "")
    return FaqEntry("", args.get("question", "")[:500], alts[:20], "", args.get("category", "")[:64],
                    route if route in ROUTES else "consult", (), True)


def try_question(text: str) -> dict:
    """What the live matcher makes of a question: normalised text, candidates, decision, and in words
    what the resident would get and why."""
    result = services().matchers.current().match(text)
    cands = [(c.faq_id, c.question, round(c.score, 3)) for c in result.candidates]
    return {"text": text, "normalized": result.normalized, "decision": result.decision, "guard": result.guard,
            "candidates": cands, "explain": explain(result.decision, result.guard, cands)}


def explain(decision: str, guard: str | None, cands: list) -> tuple[str, str]:
    """(why, what the resident would receive), in words, with the configured thresholds."""
    faq = services().settings.faq
    answer_at, menu_at = faq.answer_threshold, faq.suggest_threshold
    top = cands[0][2] if cands else 0.0
    if guard:
        return M.TRY_GUARD.format(guard=GUARD_NAMES.get(guard, M.GUARD_OTHER)), M.TRY_HANDED_ON
    if decision == "answer":
        with db() as s:
            row = faq_store.get(s, cands[0][0])
        return (M.TRY_ANSWER.format(top=top, answer_at=answer_at),
                (row.answer if row else "") + M.TRY_ANSWER_HINT)
    if decision == "suggest":
        menu = M.LIST_SEPARATOR.join(M.TRY_MENU_ITEM.format(n=i, question=q)
                                     for i, (_, q, _) in enumerate(cands[:3], start=1))
        return (M.TRY_SUGGEST.format(top=top, answer_at=answer_at, menu_at=menu_at), M.TRY_MENU.format(menu=menu))
    return M.TRY_NOTHING.format(top=top, menu_at=menu_at), M.TRY_HANDED_ON


def make_blueprint(_services) -> Blueprint:
    bp = Blueprint("faq", __name__, url_prefix="/admin/faq")
    bp.before_request(guard("admin"))
    register_file_routes(bp)
    register_history_routes(bp)

    @bp.get("/")
    def index():
        query, category = request.args.get("q", "").strip(), request.args.get("category", "")
        tried = try_question(request.args["try"]) if request.args.get("try", "").strip() else None
        with db() as s:
            return render_template("admin/faq_list.html", rows=search(faq_store.list_entries(s, None, category or None), query),
                                   categories=faq_store.categories(s), q=query, category=category, tried=tried)

    @bp.route("/new", methods=["GET", "POST"])
    def new():
        return _edit_page(None)

    @bp.route("/<slug>", methods=["GET", "POST"])
    def edit(slug: str):
        return _edit_page(slug)

    def _edit_page(slug: str | None):
        with db() as s:
            row = faq_store.get(s, slug) if slug else None
            if slug and row is None:
                abort(404)
            entry = faq_store.to_entry(row) if row else from_learning(request.args)
            if request.method == "POST":
                entry = entry_from_form(request.form, slug)
                if not slug and faq_store.get(s, entry.id):
                    flash(M.WEB_FAQ_ID_TAKEN.format(id=entry.id), "error")
                else:
                    problems = [p.reason for p in row_problems(entry, 0, {})]  # in Chinese, in characters
                    if problems:
                        flash(M.WEB_FAQ_NOT_SAVED.format(problems=M.LIST_SEPARATOR.join(problems)), "error")
                    else:
                        faq_store.save(s, entry, g.user.name, now())
                        flash(M.WEB_FAQ_SAVED, "success")
                        return redirect(url_for(".edit", slug=entry.id))
            revs = faq_store.revisions(s, slug) if slug else []
            return render_template("admin/faq_edit.html", e=entry, row=row, revs=revs, routes=ROUTES,
                                   max_chars=MAX_ANSWER_CHARS, changes=history(revs), actions=M.FAQ_ACTION_NAMES,
                                   categories=faq_store.categories(s))

    @bp.post("/<slug>/enabled")
    def toggle(slug: str):
        enabled = request.form.get("enabled") == "1"
        with db() as s:
            if faq_store.get(s, slug) is None:
                abort(404)
            faq_store.set_enabled(s, slug, enabled, g.user.name, now())
        flash(M.WEB_FAQ_ENABLED if enabled else M.WEB_FAQ_DISABLED, "success")
        return redirect(url_for(".edit", slug=slug))

    @bp.post("/<slug>/restore/<int:version>")
    def restore(slug: str, version: int):
        with db() as s:
            try:
                faq_store.restore(s, slug, version, g.user.name, now())
            except KnowledgeBaseError as exc:
                flash(M.WEB_FAQ_RESTORE_FAILED.format(why=exc), "error")
            else:
                flash(M.WEB_FAQ_RESTORED.format(version=version), "success")
        return redirect(url_for(".edit", slug=slug))

    return bp



