"""`linli doctor` checks on the duty roster, holiday data and the spool."""
from __future__ import annotations

import os
import shutil
from datetime import date, timedelta
from pathlib import Path

from bot.commands.doctor_checks import Result

ROSTER_DAYS = 7
HOLIDAY_DAYS = 60
SPOOL_MIN_FREE = 200 * 1024 * 1024  # below this a database outage could lose messages
SPOOL_LOW_FREE = 1024 * 1024 * 1024


def channels(settings, staff) -> list[str]:
    """Channels that could carry a notice to this person (the duty chain's own rule)."""
    try:
        from bot.outbox.staff_channels import usable_channels
    except ImportError:  # before the duty chain (issue 14): group robot, else customer service
        robot = ["wecom_robot"] if settings.outbox.wecom_robot_url else []
        return robot + (["customer_service"] if staff.open_id else [])
    return usable_channels(settings, staff)


def check_duty_channels(session, settings, today: date) -> Result:
    """Everyone on duty in the next days must be reachable by some notification channel."""
    from bot.roster.store import effective_roster
    from bot.staff import StaffDirectory

    from bot.roster.rotation import RosterError

    try:
        days = effective_roster(session, settings, today, ROSTER_DAYS, fill=False)
    except RosterError as exc:
        return Result("fail", "值班通知", f"排不出值班表（{exc}）：请先 linli staff import 导入工作人员")
    names = sorted({n for d in days for n in d.staff})
    if not names:
        return Result("fail", "值班通知", f"未来{ROSTER_DAYS}天没有排到任何值班人员：请先 linli staff import 导入工作人员")
    directory = StaffDirectory()
    people = [directory.by_name(session, n) for n in names]
    none = [p.name for p in people if p is not None and not channels(settings, p)]
    window = [p.name for p in people if p is not None and channels(settings, p) == ["customer_service"]]
    if none:
        return Result("fail", "值班通知", f"未来{ROSTER_DAYS}天值班的{'、'.join(none)}收不到工单通知（未绑定微信，"
                                         f"也没有企业微信）：请运行 linli staff bind-codes 让本人绑定")
    if window:
        return Result("warn", "值班通知", f"{'、'.join(window)}只能收公众号客服消息（48小时内与公众号有互动才收得到）；"
                                         f"建议配置企业微信或模板消息")
    return Result("ok", "值班通知", f"未来{ROSTER_DAYS}天值班的{len(names)}人都能收到通知")


def check_holidays(settings, today: date) -> Result:
    """chinese-calendar (or roster.holiday_overrides) must know the public holidays ahead."""
    from bot.roster.store import calendar_for

    calendar = calendar_for(settings)
    end = today + timedelta(days=HOLIDAY_DAYS)
    overridden = {date.fromisoformat(d).year for d in settings.roster.holiday_overrides}
    missing = [y for y in range(today.year, end.year + 1) if not calendar.known(y) and y not in overridden]
    if missing:
        years = "、".join(str(y) for y in missing)
        return Result("warn", "节假日", f"缺少 {years} 年的法定节假日和调休数据（未来{HOLIDAY_DAYS}天会按普通周末排班）："
                                      f"请升级 chinese-calendar，或在 roster.holiday_overrides 中填写")
    return Result("ok", "节假日", f"未来{HOLIDAY_DAYS}天的节假日数据齐全")


def check_spool(settings) -> Result:
    """Messages acknowledged while the database was away and not yet replayed."""
    from bot.spool import Spool, spool_dir

    directory = spool_dir(settings)
    files = Spool(directory).pending()
    waiting = sum(_lines(f) for f in files)
    if files:
        return Result("warn", "暂存消息", f"{directory} 中有 {len(files)} 个文件、{waiting} 条消息等待补处理（数据库恢复后自动处理；"
                                        f"若一直不减少，请检查数据库和 linli serve/scheduler 是否在运行）")
    return Result("ok", "暂存消息", "没有等待补处理的消息")


def check_spool_disk(settings) -> Result:
    """Free space where the spool writes (it must take messages while the database is away)."""
    from bot.spool import spool_dir

    path = spool_dir(settings)
    existing = next(p for p in (path, *path.parents) if p.exists())
    if not os.access(existing, os.W_OK):  # the spool is the last place a message can go: it must be writable
        return Result("fail", "磁盘空间", f"暂存目录 {_place(path)} 不可写（{existing}）：请让运行 linli 的用户可写，"
                                         f"或用环境变量 LINLI_SPOOL_DIR 指定一个可写目录")
    free = shutil.disk_usage(existing).free
    text = f"{_place(path)} 所在磁盘剩余 {free / 1024 ** 3:.1f} GB"
    if free < SPOOL_MIN_FREE:
        return Result("fail", "磁盘空间", text + "，不足 200 MB：数据库故障时可能丢失居民消息，请清理磁盘")
    if free < SPOOL_LOW_FREE:
        return Result("warn", "磁盘空间", text + "，不足 1 GB，请尽快清理")
    return Result("ok", "磁盘空间", text)


def _lines(path: Path) -> int:
    try:
        return sum(1 for line in path.read_bytes().splitlines() if line.strip())
    except OSError:  # replayed and removed meanwhile
        return 0


def _place(path: Path) -> str:
    return str(path.parent)  # the per-database subfolder name means nothing to a reader
