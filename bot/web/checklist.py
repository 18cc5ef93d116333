"""The first-login checklist (issue 16): what a new desk must do before residents can be served."""
from __future__ import annotations

from dataclasses import dataclass

from flask import request, url_for
from sqlalchemy import func, select

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
        Step("导入本社区的问答", "把示例问答换成本社区的真实政策和办事指南（可用 Excel 导入）。", own_faq > 0,
             url_for("faq.import_"), "导入知识库"),
        Step("添加工作人员并绑定微信", f"已有{staff}位工作人员，{bound}位绑定了微信；没绑定的人收不到工单通知。",
             staff >= 2 and bound >= 2, url_for("staff.index"), "管理人员"),
        Step("核对值班表", "看看未来几周谁值班，登记已知的换班、请假和节假日。", rota > 0,
             url_for("roster.calendar"), "查看值班表"),
        Step("在微信公众平台填写服务器地址", f"服务器地址填 https://{request.host}/wechat（需 HTTPS），Token 和 EncodingAESKey 与配置一致。",
             heard > 0, "https://mp.weixin.qq.com/", "打开公众平台"),
    ]
