"""Staff notices: queued once per person on the 'staff' channel, sent through the configured chain.

The dispatcher tries WeCom app → WeCom group robot → OA template → OA customer service (config
order; unconfigured channels are skipped). Nothing is dropped here: a person with no usable channel
still gets an outbox row, whose failure reaches their duty partner and the lead (bot.outbox.undelivered).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot import texts as M
from bot.db.models import Staff, Ticket
from bot.domain import OutboundMessage
from bot.outbox.enqueue import enqueue
from bot.sweeps.quiet import in_quiet_hours, quiet_end, quiet_priority

URGENT = 1


def staff_payload(staff: Staff) -> dict:
    """What every channel needs to reach this person, detached from the database."""
    return {"kind": "staff", "staff_id": staff.id, "staff": staff.name, "open_id": staff.open_id,
            "wecom_user": staff.wecom_userid, "mobiles": [staff.phone] if staff.phone else []}


def queue_staff_notice(session: Session, settings, staff: Staff, text: str, now: datetime,
                       key: str | None = None, ticket_id: int | None = None, **extra) -> bool:
    """Queue one notice to one staff member; False only when this key was queued before.

    A notice about a ticket whose priority quiet hours hold is kept ('held') for the morning digest.
    """
    ticket = session.get(Ticket, ticket_id) if ticket_id is not None else None
    payload = {**staff_payload(staff), **extra}
    hold_until = None
    quiet = settings.escalation.quiet_hours
    if (ticket is not None and quiet is not None and quiet.hold_notices and in_quiet_hours(settings, ticket.priority, now)
            and in_quiet_hours(settings, quiet_priority(session, ticket), now)):
        hold_until = quiet_end(settings, now)
        payload["held"] = True
    msg = OutboundMessage(recipient=staff.open_id or f"staff:{staff.id}", text=text, channel="staff",
                          ticket_id=ticket_id, dedupe_key=key, extra=payload)
    return enqueue(session, msg, now, hold_until=hold_until) is not None


def usable_channels(settings, staff: Staff) -> list[str]:
    """The configured channels that could carry a notice to this person (in order)."""
    cfg, out = settings.staff_channels, settings.outbox
    if out.transport == "local":
        return ["local"]
    have = {
        "wecom_app": cfg.wecom_app is not None and bool(staff.wecom_userid),
        "wecom_robot": bool(cfg.robot_url or out.wecom_robot_url),
        "template": bool(cfg.template_id or out.template_id) and bool(staff.open_id),
        "customer_service": bool(staff.open_id),
    }
    return [c for c in cfg.order if have[c]]


def reachability_warnings(settings, people: list[Staff]) -> list[str]:
    """Chinese warnings for people on duty who cannot be reliably notified."""
    out = []
    for p in people:
        channels = usable_channels(settings, p)
        if not channels:
            out.append(M.REACH_NO_CHANNEL.format(name=p.name))
        elif channels == ["customer_service"]:
            out.append(M.REACH_WINDOW_ONLY.format(name=p.name))
    return out
