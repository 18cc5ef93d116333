"""The incidents 台账: figures per incident for the console and the xlsx export, and daily figures."""
from __future__ import annotations

import io
import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.db.models import Incident, IncidentReport, IncidentUpdate
from bot.incidents import store
from bot.incidents import texts as T
from bot.incidents.matching import TOPICS
from bot.roster.store import shift_start
from bot.xlsx_safe import keep_as_text

COLUMNS = ("编号", "类型", "标题", "类别", "地点", "状态", "创建时间", "首次通报时间", "首次通报用时（分钟）",
           "恢复时间", "结束时间", "关联居民反映（条）", "通知居民（人）", "更新次数", "最新情况")


@dataclass
class Row:
    incident: Incident
    reports: int
    audience: int
    updates: int
    first_report_at: datetime | None

    @property
    def minutes_to_first_update(self) -> float | None:
        """From the first report (or the incident's creation) to the first word residents heard."""
        i = self.incident
        if i.first_update_at is None or i.kind == "planned":
            return None
        start = min(filter(None, (self.first_report_at, i.created_at)))
        return round(max((i.first_update_at - start).total_seconds(), 0) / 60, 1)


def rows(session: Session, since: datetime | None = None, until: datetime | None = None) -> list[Row]:
    """Every incident (proposals that were dismissed left out), newest first, with its counts."""
    q = select(Incident).where(Incident.status != "dismissed").order_by(Incident.id.desc())
    if since is not None:
        q = q.where(Incident.created_at >= since)
    if until is not None:
        q = q.where(Incident.created_at < until)
    incidents = list(session.scalars(q.limit(2000)))
    ids = [i.id for i in incidents]
    if not ids:
        return []
    linked = (IncidentReport.incident_id.in_(ids), IncidentReport.state == "linked")
    reports = dict(session.execute(select(IncidentReport.incident_id, func.count()).where(*linked)
                                   .group_by(IncidentReport.incident_id)).all())
    first = dict(session.execute(select(IncidentReport.incident_id, func.min(IncidentReport.at)).where(*linked)
                                 .group_by(IncidentReport.incident_id)).all())
    updates = dict(session.execute(select(IncidentUpdate.incident_id, func.count()).where(
        IncidentUpdate.incident_id.in_(ids), IncidentUpdate.kind.in_(("opened", "update", "recovered", "closed")))
        .group_by(IncidentUpdate.incident_id)).all())
    sizes = store.audience_size(session, ids)
    return [Row(i, reports.get(i.id, 0), sizes.get(i.id, 0), updates.get(i.id, 0), first.get(i.id)) for i in incidents]


def day_figures(session: Session, start: datetime, end: datetime) -> dict:
    """For the daily report: incidents confirmed in the day, reports linked, median time to first update."""
    day = [r for r in rows(session, until=end) if r.incident.confirmed_at and start <= r.incident.confirmed_at < end]
    linked = session.scalar(select(func.count()).select_from(IncidentReport).where(
        IncidentReport.state == "linked", IncidentReport.linked_at >= start, IncidentReport.linked_at < end)) or 0
    waits = [r.minutes_to_first_update for r in day if r.minutes_to_first_update is not None]
    return {"incidents": len(day), "linked_reports": linked,
            "median_first_update_min": round(statistics.median(waits), 1) if waits else None}


def xlsx(session: Session, settings) -> bytes:
    """The 台账 as an Excel workbook (one row per incident)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "社区通报台账"
    ws.append(COLUMNS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    fmt = "%Y-%m-%d %H:%M"
    for r in rows(session):
        i = r.incident
        ws.append([f"I{i.id}", "计划通知" if i.kind == "planned" else "突发事件", i.title,
                   TOPICS.get(i.category, i.category), store.place_of(i).label(), T.STATUS_NAMES.get(i.status, i.status),
                   store.local(i.created_at, settings, fmt), store.local(i.first_update_at, settings, fmt),
                   r.minutes_to_first_update, store.local(i.recovered_at, settings, fmt),
                   store.local(i.closed_at, settings, fmt), r.reports, r.audience, r.updates, i.last_update])
    keep_as_text(ws)  # titles and updates may quote residents: never formulas
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def add_to_report(session: Session, settings, f) -> None:
    """The daily report's incident figures (bot.sweeps.reports.DailyFigures.incidents)."""
    start, end = shift_start(f.day, settings), shift_start(f.day + timedelta(days=1), settings)  # that duty day
    f.incidents = day_figures(session, start, end)


def report_lines(figures: dict) -> list[str]:
    """The daily report's incident line (none on a day without incidents or linked reports)."""
    if not figures or not (figures.get("incidents") or figures.get("linked_reports")):
        return []
    minutes = figures.get("median_first_update_min")
    median = "暂无" if minutes is None else ("不到1分钟" if minutes < 1 else f"{minutes:g}分钟")
    return [T.REPORT_FIGURES.format(n=figures["incidents"], linked=figures["linked_reports"], median=median)]
