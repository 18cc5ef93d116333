"""FAQ drafts (#12 入库): a readable suggested id, and the proposer told the outcome (issue 16)."""
from __future__ import annotations

import re

from sqlalchemy import select

from bot import texts as M
from bot.faq_store import revisions as faq_store
from bot.db.models import FaqDraft, Staff
from bot.tickets.notify import staff_message
from bot.web.helpers import now, services


def suggested_id(draft: FaqDraft, taken=None) -> str:
    """A slug from the question's pinyin ('kuai_di_gui_zai_na_li'), not 'draft_1'."""
    from pypinyin import lazy_pinyin

    words = [re.sub(r"[^a-z0-9]", "", w.lower()) for w in lazy_pinyin(draft.question[:8])]
    slug = "_".join(w for w in words if w)[:48] or "faq"
    slug = slug if slug[0].isalpha() else f"faq_{slug}"
    return slug if taken is None or not taken(slug) else f"{slug}_{draft.id}"


def tell_proposer(session, draft: FaqDraft, faq_id: str | None, reason: str = "") -> bool:
    """Queue a notice to whoever proposed the draft: approved (as which FAQ) or not, and why."""
    person = session.scalar(select(Staff).where(Staff.name == draft.proposed_by, Staff.active.is_(True)))
    if person is None:
        return False
    source = M.DRAFT_SOURCE.format(id=draft.ticket_id) if draft.ticket_id else ""
    if faq_id:
        text = M.DRAFT_APPROVED_TO_STAFF.format(question=draft.question[:30], source=source, faq_id=faq_id)
    else:
        why = M.DRAFT_REJECTED_WHY.format(reason=reason) if reason else ""
        text = M.DRAFT_REJECTED_TO_STAFF.format(question=draft.question[:30], source=source, why=why)
    return staff_message(session, services().settings, person, text, now(), f"faq-draft:{draft.id}:{draft.status}")


def exists(session):
    """A predicate: is this FAQ id taken?"""
    return lambda slug: faq_store.get(session, slug) is not None
