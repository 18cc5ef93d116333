"""`linli staff import staff.xlsx`: the office's staff sheet into the database, all or nothing."""
from __future__ import annotations

from datetime import datetime, timezone

import click

from bot.commands.common import config_option, get_settings
from bot.commands.staff_sheet import SheetRefused, StaffRow, read_sheet


def apply_rows(session, rows: list[StaffRow], settings=None, now=None) -> dict:
    """Add new staff (rotation in sheet order), update known names; staff not in the sheet stay as they are.

    The first import makes the rotation. A later one must not rewrite it (the rota is history): the
    rotation in force is frozen first, and newcomers join it from a date the admin picks in the console.
    """
    from sqlalchemy import func, select

    from bot.db.models import Staff

    known = {s.name: s for s in session.scalars(select(Staff))}
    if known and settings is not None:
        from bot.roster import plans as roster_plans

        roster_plans.ensure_baseline(session, settings, now, "linli staff import")
    order = (session.scalar(select(func.max(Staff.rotation_order))) or 0) + 1 if known else 0
    counts = {"added": 0, "updated": 0, "unchanged": 0}
    for row in rows:
        staff = known.get(row.name)
        if staff is None:
            staff, order = Staff(name=row.name, rotation_order=order), order + 1
            session.add(staff)
            counts["added"] += 1
        before = (staff.phone, staff.role, staff.no_holiday_duty, staff.eligible, staff.active, _wecom(staff))
        staff.phone, staff.role, staff.no_holiday_duty, staff.active = row.phone, row.role, row.no_holiday_duty, True
        staff.eligible = row.eligible
        if row.wecom_userid and hasattr(staff, "wecom_userid"):
            staff.wecom_userid = row.wecom_userid
        if staff.id is not None:  # a known name: count whether the sheet changed anything
            after = (staff.phone, staff.role, staff.no_holiday_duty, staff.eligible, staff.active, _wecom(staff))
            counts["updated" if after != before else "unchanged"] += 1
    names = {r.name for r in rows}
    counts["not_in_sheet"] = sorted(n for n, s in known.items() if n not in names and s.active)
    counts["newcomers"] = [r.name for r in rows if r.name not in known] if known else []
    return counts


def _wecom(staff) -> str | None:
    return getattr(staff, "wecom_userid", None)


@click.group("staff")
def staff_cli() -> None:
    """Staff: import the office's sheet, hand out WeChat bind codes."""


@staff_cli.command("import")
@config_option
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.pass_context
def staff_import(ctx: click.Context, path: str) -> None:
    """Import staff from an xlsx sheet (姓名, 手机, 角色, 节假日不排班); a bad sheet changes nothing."""
    from bot.db import make_engine, make_session_factory, transaction, upgrade

    try:
        rows = read_sheet(path)
    except SheetRefused as exc:
        raise click.ClickException("导入失败，没有做任何修改：\n" + "\n".join(exc.problems)) from None
    settings = get_settings(ctx)
    upgrade(settings.database.url)
    engine = make_engine(settings.database.url)
    try:
        with transaction(make_session_factory(engine)) as session:
            c = apply_rows(session, rows, settings, datetime.now(timezone.utc))
    finally:
        engine.dispose()
    click.echo(f"已导入工作人员 {len(rows)} 人：新增 {c['added']}，更新 {c['updated']}，未变 {c['unchanged']}。")
    if c["not_in_sheet"]:
        click.echo(f"表中没有、保持不变：{'、'.join(c['not_in_sheet'])}（如已离职请在后台停用）。")
    if c["newcomers"]:
        click.echo(f"已有的值班表保持不变；新增的{'、'.join(c['newcomers'])}从哪天开始值班，请在后台“工作人员”页面"
                   f"编辑本人、选择开始日期（保存前会预览哪些天有变化）。")
    click.echo("下一步：linli staff bind-codes 生成绑定码；linli roster show --days 14 核对排班。")


@staff_cli.command("bind-codes")
@config_option
@click.pass_context
def bind_codes(ctx: click.Context) -> None:
    """Print a fresh one-time bind code for every active staff member not yet bound to WeChat."""
    from sqlalchemy import select

    from bot.db import make_engine, make_session_factory, transaction
    from bot.db.models import Staff
    from bot.web.staff import BIND_CODE_MINUTES, new_bind_code

    engine = make_engine(get_settings(ctx).database.url)
    try:
        with transaction(make_session_factory(engine)) as session:
            unbound = session.scalars(select(Staff).where(Staff.active.is_(True), Staff.open_id.is_(None))
                                      .order_by(Staff.rotation_order, Staff.id)).all()
            lines = [f"  {s.name}（{s.phone or '无手机'}）：绑定 {new_bind_code(s, datetime.now(timezone.utc))}"
                     for s in unbound]
    finally:
        engine.dispose()
    if not lines:
        click.echo("所有在职工作人员都已绑定微信。")
        return
    click.echo(f"请把下面的绑定码分别发给本人，{BIND_CODE_MINUTES}分钟内用自己的微信关注公众号后发送“绑定 六位数字”：")
    click.echo("\n".join(lines))
