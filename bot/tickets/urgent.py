"""An emergency's ticket: opened (or the open urgent one followed up), everyone told, and the
resident's reply with safety guidance at once. Both the urgent handler (the safety net) and the
ticket handler (a routing rule that says urgent) raise the alarm through here."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot import texts as M
from bot.db.models import Ticket
from bot.domain import Inbound
from bot.tickets import contact
from bot.tickets.core import active_for_resident, add_followup, open_ticket
from knowledge_base.router import Route

URGENT_ROUTE = Route("urgent", "urgent", True, "guard:urgent")


@dataclass(frozen=True)
class Alarm:
    ticket: Ticket
    reply: str  # to the resident: the ticket, safety guidance, the duty phone, where exactly


def guidance(situation: str | None) -> str:
    """Safety advice for the situation the safety net recognised (gas, fire, medical …)."""
    return M.URGENT_GUIDANCE.get(situation or "general", M.URGENT_GUIDANCE["general"])


def raise_alarm(session: Session, services, msg: Inbound, found: Route, now: datetime,
                situation: str | None = None) -> Alarm:
    """Urgent ticket (or a follow-up to the open urgent one), everyone told, guidance at once."""
    current = active_for_resident(session, msg.open_id)
    if current is not None and current.priority == "urgent":
        add_followup(session, services, current, msg, now)
        ticket = current
    else:
        ticket = open_ticket(session, services, msg, found, now, reason="urgent")
    where = contact.ask_once(session, ticket, now)  # issue 13: where exactly, at once, unless known
    text = M.URGENT_REPLY.format(id=ticket.id, guidance=guidance(situation), phone=services.settings.desk.duty_phone)
    return Alarm(ticket, text + ("\n" + where if where else ""))
