"""The learning loop (admins): handed-off questions grouped by similarity, and FAQ drafts to approve."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from datetime import timedelta

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from rapidfuzz import fuzz
from sqlalchemy import or_, select

from bot import faq_store
from bot.db.models import FaqDraft, InboundMessage, TicketEvent
from bot.web.auth import guard
from bot.web.faq import entry_from_form
from bot.web.helpers import db, now
from knowledge_base.loader import ROUTES, KnowledgeBaseError
from knowledge_base.normalize import normalize

SIMILAR_AT = 60  # rapidfuzz score (0-100) at which two questions count as the same need
LINK_MEMBERS = 5  # compare with a group's first few members (limits chaining)
MAX_MESSAGES = 1000


@dataclass
class Group:
    key: str  # normalised text of the first (most recent) member
    texts: list[str] = field(default_factory=list)
    norms: list[str] = field(default_factory=list)
    last_at: object = None

    @property
    def count(self) -> int:
        return len(self.texts)


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


def group_questions(rows: list[tuple[str, object]]) -> list[Group]:
    """Greedy clustering, newest first: a question joins the first group it resembles."""
    groups: list[Group] = []
    for text, at in rows:
        norm = normalize(text) or text
        home = next((gr for gr in groups
                     if any(similarity(norm, other) >= SIMILAR_AT for other in gr.norms[:LINK_MEMBERS])), None)
        if home is None:
            home = Group(norm, last_at=at)
            groups.append(home)
        home.texts.append(text)
        home.norms.append(norm)
    return sorted(groups, key=lambda gr: (-gr.count, gr.key))


def _is_handoff(reason: str | None) -> bool:
    return reason in ("handoff", "asked_for_person") or (reason or "").startswith("guard:")


def handed_off(session, days: int) -> list[tuple[str, object]]:
    """Questions the FAQ could not answer in the last `days` days, newest first.

    Sources: tickets opened on a hand-off (their opening text, which for "转人工" after a menu is
    the original question) and inbound messages the matcher handed off or a guard stopped.
    """
    since = now() - timedelta(days=days)
    found: dict[str, tuple[str, object]] = {}
    events = session.scalars(select(TicketEvent).where(TicketEvent.kind == "opened", TicketEvent.at >= since)
                             .order_by(TicketEvent.id.desc()).limit(MAX_MESSAGES))
    for ev in events:
        data = ev.data or {}
        if _is_handoff(data.get("reason")) and str(data.get("text") or "").strip():
            found[data.get("msg_key") or f"event:{ev.id}"] = (str(data["text"]), ev.at)
    q = (select(InboundMessage.msg_key, InboundMessage.text, InboundMessage.received_at)
         .where(InboundMessage.received_at >= since, InboundMessage.text != "",
                or_(InboundMessage.decision == "handoff", InboundMessage.decision.like("guard:%")))
         .order_by(InboundMessage.id.desc()).limit(MAX_MESSAGES))
    for key, text, at in session.execute(q):
        if text and text.strip():
            found.setdefault(key, (text, at))
    return sorted(found.values(), key=lambda item: item[1], reverse=True)


def make_blueprint(_services) -> Blueprint:
    bp = Blueprint("learning", __name__, url_prefix="/admin/learning")
    bp.before_request(guard("admin"))

    @bp.get("/")
    def index():
        days = min(max(request.args.get("days", 30, type=int), 1), 365)
        with db() as s:
            groups = group_questions(handed_off(s, days))
            drafts = list(s.scalars(select(FaqDraft).where(FaqDraft.status == "pending").order_by(FaqDraft.id)))
            return render_template("admin/learning.html", groups=groups, drafts=drafts, days=days, routes=ROUTES,
                                   categories=faq_store.categories(s))

    @bp.post("/drafts/<int:draft_id>/approve")
    def approve(draft_id: int):
        with db() as s:
            draft = s.get(FaqDraft, draft_id) or abort(404)
            entry = entry_from_form(request.form)
            if draft.status != "pending":
                flash("这条草稿已经处理过了。", "error")
            elif faq_store.get(s, entry.id):
                flash(f"编号“{entry.id}”已存在，请换一个。", "error")
            else:
                try:
                    faq_store.save(s, entry, g.user.name, now(), action="create")
                except KnowledgeBaseError as exc:
                    flash(f"入库失败：{exc}", "error")
                    return redirect(url_for(".index"))
                draft.status, draft.decided_by, draft.decided_at = "approved", g.user.name, now()
                flash(f"已入库为“{entry.id}”，机器人几秒后即可回答。", "success")
        return redirect(url_for(".index"))

    @bp.post("/drafts/<int:draft_id>/reject")
    def reject(draft_id: int):
        with db() as s:
            draft = s.get(FaqDraft, draft_id) or abort(404)
            if draft.status == "pending":
                draft.status, draft.decided_by, draft.decided_at = "rejected", g.user.name, now()
                flash("已驳回这条草稿。", "success")
        return redirect(url_for(".index"))

    return bp
