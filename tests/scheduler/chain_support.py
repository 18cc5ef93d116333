"""A desk whose staff notices go through every staff channel, each on a fake server on 127.0.0.1."""
from __future__ import annotations

from sqlalchemy import select

from bot.config import WeComAppSettings
from bot.db.models import Outbox, Staff
from tests.support.harness import Desk, test_settings

USERIDS = {"张伟": "zhangwei", "杨磊": "yanglei", "王芳": "wangfang", "李娜": "lina", "刘洋": "liuyang",
           "吴刚": "wugang", "徐丽": "xuli", "黄强": "huangqiang"}


def chain_desk(db_url, oa, wecom, **overrides) -> Desk:
    """The roster's duty pair, OA API on `oa`, WeCom application and duty-group robot on `wecom`."""
    values = {"outbox.transport": "wechat", "wechat.api_base_url": oa.base_url,
              "staff_channels.wecom_app": WeComAppSettings(corp_id="wwlinli", secret="wecom-secret",
                                                           agent_id=1000002, api_base_url=wecom.base_url),
              "staff_channels.robot_url": wecom.robot_url, "staff_channels.template_id": "TPL_STAFF"}
    values.update(overrides)
    desk = Desk(test_settings(db_url, **values))
    with desk.session() as s:
        for person in s.scalars(select(Staff)):
            person.wecom_userid = USERIDS.get(person.name)
    return desk


def staff_rows(desk) -> list[Outbox]:
    return [o for o in desk.outbox() if o.channel == "staff"]


def via(row: Outbox) -> str | None:
    return (row.payload or {}).get("via")
