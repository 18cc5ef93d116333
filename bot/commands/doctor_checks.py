"""`linli doctor` checks on config, database, scheduler, outbox, roster and spool (one line each)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from bot.commands.init_config import APPID_PLACEHOLDER, APPSECRET_PLACEHOLDER

PLACEHOLDERS = {"wechat.appid": APPID_PLACEHOLDER, "wechat.appsecret": APPSECRET_PLACEHOLDER}
OUTBOX_LATE = timedelta(minutes=10)  # an undelivered message older than this is a problem


@dataclass
class Result:
    status: str  # ok | warn | fail | skip
    label: str
    detail: str


def _get(settings, dotted: str):
    node = settings
    for part in dotted.split("."):
        node = getattr(node, part)
    return node


def check_config(settings, session_factory=None) -> Result:
    """Valid (it loaded) and not the demo: no demo secret or password, no placeholder, simulator off."""
    from bot.production import accounts_with_demo_password, demo_secret_in_use

    demo = demo_secret_in_use(settings)
    empty = [k for k, v in PLACEHOLDERS.items() if _get(settings, k) in (v, "")]
    if demo:
        return Result("fail", "配置", f"{settings.source} 仍使用演示值：{demo}；用 `linli init` 生成新配置")
    if session_factory is not None and accounts_with_demo_password(session_factory):
        name = accounts_with_demo_password(session_factory)[0]
        return Result("fail", "配置", f"后台账号 {name} 仍是演示密码：请运行 linli user passwd {name}")
    if settings.web.simulator:
        return Result("fail", "配置", f"{settings.source}：web.simulator 为 true（演示模式），生产环境请改为 false")
    if empty:
        return Result("fail", "配置", f"{settings.source}：{', '.join(empty)} 尚未填写（公众号后台 → 基本配置 → 开发者ID）")
    return Result("ok", "配置", f"{settings.source} 有效，不是演示配置")


def check_database(engine) -> Result:
    """Reachable, and every migration applied."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from bot.db import alembic_config

    path = engine.url.database if engine.dialect.name == "sqlite" else None
    if path and path != ":memory:" and not Path(path).exists():  # connecting would create an empty file
        return Result("fail", "数据库", f"数据库文件 {path} 不存在：请运行 linli db upgrade")
    try:
        with engine.connect() as conn:
            current = set(MigrationContext.configure(conn).get_current_heads())
    except Exception as exc:  # any driver error: the database is not usable
        return Result("fail", "数据库", f"无法连接：{str(exc).splitlines()[0][:160]}")
    heads = set(ScriptDirectory.from_config(alembic_config(str(engine.url))).get_heads())
    if not current:
        return Result("fail", "数据库", "可以连接，但还没有建表：请运行 linli db upgrade")
    if current != heads:
        return Result("fail", "数据库", f"结构不是最新（缺 {len(heads - current)} 个迁移）：请运行 linli db upgrade")
    return Result("ok", "数据库", f"可以连接，结构已是最新（{engine.dialect.name}）")


def check_lease(session, settings, now: datetime) -> Result:
    """The active scheduler renews its lease every tick; a stale lease means no sweeps and no outbox."""
    from bot.db.models import SchedulerLease

    row = session.get(SchedulerLease, "scheduler")
    if row is None:
        return Result("fail", "调度程序", "从未运行过：请启动 linli serve（内置调度）或 linli scheduler")
    renewed = row.expires_at - timedelta(seconds=settings.scheduler.lease_seconds)
    age = int((now - renewed).total_seconds())
    if row.expires_at + timedelta(seconds=settings.scheduler.tick_seconds * 2) < now:
        return Result("fail", "调度程序", f"已停止：{age} 秒没有续约（最后运行于 {row.holder}）；提醒、升级和消息推送都不会进行")
    return Result("ok", "调度程序", f"正在运行（{row.holder}，{max(age, 0)} 秒前续约）")


def check_outbox(session, now: datetime) -> Result:
    """Backlog of undelivered messages and the age of the oldest."""
    from bot.db.models import Outbox

    # Due now, or already tried; notices held for quiet hours (not yet due, never tried) are not late.
    waiting = (Outbox.status.in_(("pending", "sending")), (Outbox.next_attempt_at <= now) | (Outbox.attempts > 0))
    count, oldest = session.execute(select(func.count(Outbox.id), func.min(Outbox.created_at)).where(*waiting)).one()
    failed = session.scalar(select(func.count(Outbox.id)).where(
        Outbox.status == "failed", Outbox.created_at >= now - timedelta(days=1)))
    if count and now - oldest > OUTBOX_LATE:
        minutes = int((now - oldest).total_seconds() // 60)
        return Result("fail", "消息推送", f"{count} 条消息未送出，最早的已等 {minutes} 分钟：请检查调度程序和微信接口（见上下行）")
    tail = f"；近24小时有 {failed} 条多次重试后仍未送达（常见原因：值班人员未绑定、微信接口不通，见其他各行）" if failed else ""
    status = "warn" if failed else "ok"
    return Result(status, "消息推送", (f"{count} 条正在发送" if count else "没有积压") + tail)
