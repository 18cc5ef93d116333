"""The first-login checklist (issue 16): what a new desk must do before residents can be served."""
from __future__ import annotations

from dataclasses import dataclass

from flask import request, url_for
from sqlalchemy import func, select

from bot import texts as M
from bot.db.models import DutyOverride, FaqRevision, InboundMessage, RosterPlan, Staff


@dataclass(frozen=True)
class Step:
    title: str
    detail: str
    done: bool
    link: str
    link_text: str


def steps(session) -> list[Step]:
    """The four steps, each with whether the database shows it done."""
    own_faq = session.scalar(select(func.count(FaqRevision.id)).where(FaqRevision.author != "system")) or 0
    staff = session.scalar(select(func.count(Staff.id)).where(Staff.active.is_(True), Staff.role != "admin")) or 0
    bound = session.scalar(select(func.count(Staff.id)).where(Staff.active.is_(True), Staff.open_id.is_not(None))) or 0
    rota = (session.scalar(select(func.count(RosterPlan.id))) or 0) + (session.scalar(select(func.count(DutyOverride.id))) or 0)
    heard = session.scalar(select(func.count(InboundMessage.id))) or 0
    return [
        _step("faq", own_faq > 0, url_for("faq.import_")),
        _step("staff", staff >= 2 and bound >= 2, url_for("staff.index"), staff=staff, bound=bound),
        _step("rota", rota > 0, url_for("roster.calendar")),
        _step("wechat", heard > 0, "https://mp.weixin.qq.com/", host=request.host),
    ]


def _step(key: str, done: bool, url: str, **values) -> Step:
    title, text, button = M.CHECKLIST[key]
    return Step(title, text.format(**values), done, url, button)
