"""The learning loop (admins): handed-off questions grouped by similarity, and FAQ drafts to approve."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from rapidfuzz import fuzz
from sqlalchemy import select

from bot import texts as M
from bot.faq_store import revisions as faq_store
from bot.db.models import FaqDraft
from bot.web.auth import guard
from bot.web.faq import entry_from_form
from bot.web.helpers import db, now, services
from bot.web.learning_drafts import suggested_id, tell_proposer
from bot.web.learning_sources import candidates, common_route
from knowledge_base.loader import ROUTES, KnowledgeBaseError
from knowledge_base.normalize import normalize

SIMILAR_AT = 60  # rapidfuzz score (0-100) at which two questions count as the same need
LINK_MEMBERS = 5
NEAR_ENOUGH = 0.3  # a nearest FAQ this close lends its category to a new one  # compare with a group's first few members (limits chaining)


@dataclass
class Group:
    key: str  # normalised text of the first (most recent) member
    texts: list[str] = field(default_factory=list)
    norms: list[str] = field(default_factory=list)
    last_at: object = None
    routes: list = field(default_factory=list)  # ticket category of each member, when known

    @property
    def count(self) -> int:
        return len(self.texts)

    def wordings(self, limit: int = 8) -> list[str]:
        """The group's distinct wordings after the first (for 其他问法)."""
        seen = {self.texts[0]}
        out = []
        for t in self.texts[1:]:
            if t not in seen and len(out) < limit:
                seen.add(t)
                out.append(t)
        return out


# Function words that say nothing about what a resident needs.
STOPWORDS = frozenset("的 了 吗 呢 啊 吧 么 个 是 我 我家 你 请问 一下 怎么 怎么办 如何 什么 哪里 在哪 在哪里 去哪 "
                      "能不能 可以 能 有 没有 太 都 就 也 要 想".split())


@lru_cache(maxsize=4096)
def words(norm: str) -> str:
    """The content words of a normalised question, sorted and space-separated."""
    import jieba

    return " ".join(sorted({w for w in jieba.lcut(norm) if w.strip() and w not in STOPWORDS}))


def similarity(a: str, b: str) -> float:
    """Similarity of two normalised questions: the better of character and content-word views."""
    return max(fuzz.ratio(a, b), fuzz.token_set_ratio(words(a), words(b)))


def group_questions(rows) -> list[Group]:
    """Greedy clustering, newest first: a question joins the first group it resembles.

    rows: (text, at) or (text, at, route) tuples."""
    groups: list[Group] = []
    for text, at, *route in rows:
        norm = normalize(text) or text
        home = next((gr for gr in groups
                     if any(similarity(norm, other) >= SIMILAR_AT for other in gr.norms[:LINK_MEMBERS])), None)
        if home is None:
            home = Group(norm, last_at=at)
            groups.append(home)
        home.texts.append(text)
        home.norms.append(norm)
        home.routes.append(route[0] if route else None)
    return sorted(groups, key=lambda gr: (-gr.count, gr.key))


def still_unanswered(groups: list[Group]) -> list[Group]:
    """Groups the live FAQ still cannot answer: once an FAQ answers them they leave the list."""
    kb = services().matchers.current()
    return [gr for gr in groups if not all(kb.match(t).decision == "answer" for t in gr.texts[:3])]


def write_up_link(gr: Group) -> str:
    """写成问答 with the group's wordings as 其他问法, the usual route and the nearest FAQ's category."""
    top = [c for c in services().matchers.current().match(gr.texts[0]).candidates[:1] if c.score >= NEAR_ENOUGH]
    category = ""
    if top:
        with db() as s:
            row = faq_store.get(s, top[0].faq_id)
            category = row.category if row else ""
    return url_for("faq.new", question=gr.texts[0], alt_questions="\n".join(gr.wordings()),
                   route=common_route(gr.routes) or "", category=category)


def handed_off(session, days: int) -> list[tuple[str, object, str | None]]:
    """Every question the bot did not answer in the last `days` days, newest first."""
    return [(c.text, c.at, c.route) for c in candidates(session, now(), days)]


def make_blueprint(_services) -> Blueprint:
    bp = Blueprint("learning", __name__, url_prefix="/admin/learning")
    bp.before_request(guard("admin"))

    @bp.get("/")
    def index():
        days = min(max(request.args.get("days", 30, type=int), 1), 365)
        with db() as s:
            rows = handed_off(s, days)
        # The live matcher reads the database itself: ask it outside this page's transaction.
        groups = [(gr, write_up_link(gr)) for gr in still_unanswered(group_questions(rows))]
        with db() as s:
            drafts = list(s.scalars(select(FaqDraft).where(FaqDraft.status == "pending").order_by(FaqDraft.id)))
            return render_template("admin/learning.html", groups=groups, drafts=drafts, days=days, routes=ROUTES,
                                   categories=faq_store.categories(s), suggested_id=suggested_id)

    @bp.post("/drafts/<int:draft_id>/approve")
    def approve(draft_id: int):
        with db() as s:
            draft = s.get(FaqDraft, draft_id) or abort(404)
            entry = entry_from_form(request.form)
            if draft.status != "pending":
                flash(M.WEB_DRAFT_DONE, "error")
            elif faq_store.get(s, entry.id):
                flash(M.WEB_FAQ_ID_TAKEN.format(id=entry.id), "error")
            else:
                try:
                    faq_store.save(s, entry, g.user.name, now(), action="create")
                except KnowledgeBaseError as exc:
                    flash(M.WEB_DRAFT_FAILED.format(why=exc), "error")
                    return redirect(url_for(".index"))
                draft.status, draft.decided_by, draft.decided_at = "approved", g.user.name, now()
                tell_proposer(s, draft, entry.id)
                flash(M.WEB_DRAFT_APPROVED.format(id=entry.id, name=draft.proposed_by), "success")
        return redirect(url_for(".index"))

    @bp.post("/drafts/<int:draft_id>/reject")
    def reject(draft_id: int):
        with db() as s:
            draft = s.get(FaqDraft, draft_id) or abort(404)
            if draft.status == "pending":
                draft.status, draft.decided_by, draft.decided_at = "rejected", g.user.name, now()
                tell_proposer(s, draft, None, " ".join(request.form.get("reason", "").split())[:200])
                flash(M.WEB_DRAFT_REJECTED.format(name=draft.proposed_by), "success")
        return redirect(url_for(".index"))

    return bp
