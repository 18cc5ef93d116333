"""Tickets: what the FAQ cannot answer goes to a person, with an append-only event log."""
from bot.tickets.actions import (
    TicketClosed, answer, ask_rating, cancel, close, mark_unreachable, propose_faq, rate, take, transfer,
)
from bot.tickets.core import (
    ACTIVE, active_for_resident, add_followup, event, get, least_loaded, open_ticket, restart_clock,
)

__all__ = [
    "ACTIVE", "TicketClosed", "active_for_resident", "add_followup", "answer", "ask_rating", "cancel",
    "close", "event", "get", "least_loaded", "mark_unreachable", "open_ticket", "propose_faq", "rate",
    "restart_clock", "take", "transfer",
]
