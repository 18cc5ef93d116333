"""The message pipeline's handlers. Their order lives in ONE place: build_handlers().

Handlers never import each other: what they share is typed on bot.pipeline.Context (ctx.staff,
ctx.handoff, ctx.decision …), the resident's conversation state is bot.conversation, and the words
residents type are knowledge_base.phrases. The pipeline's error hook is handlers.errors.make_error_hook.
"""
from __future__ import annotations

from handlers.bind import Bind
from handlers.contact_card import ContactCard
from handlers.conversation import Conversation
from handlers.dedupe import Dedupe
from handlers.deferred import Deferred
from handlers.erase_me import EraseMe
from handlers.errors import make_error_hook
from handlers.events import Events
from handlers.fallback import Fallback
from handlers.faq import Faq
from handlers.flood import Flood, TicketCap
from handlers.former_staff import FormerStaff
from handlers.incidents import IncidentDesk, IncidentNotice
from handlers.selfservice import SelfService
from handlers.several import Several
from handlers.staff_commands import StaffCommands
from handlers.thread import Thread
from handlers.ticket import Ticket
from handlers.urgent import Urgent

__all__ = ["build_handlers", "make_error_hook"]


def build_handlers(services) -> list:
    """The ordered handler list: the first handler that returns a Reply ends the pipeline."""
    return [
        Dedupe(),
        Deferred(),  # answers the 48-hour window held back go first in this reply
        Events(),
        Bind(),
        IncidentDesk(),  # staff 通报 commands and incident ratings, before the ticket commands
        StaffCommands(),
        FormerStaff(),  # a deactivated colleague's '#3 …' is refused, not answered as a resident's question
        EraseMe(),  # 删除我的信息 → 确认删除 (issue 12B privacy)
        SelfService(),
        ContactCard(),  # 我的信息, 修改电话 …, and the answer to our 'where are you'
        Conversation(),
        Urgent(services.settings),
        IncidentNotice(),  # a live incident answers before threads and the FAQ; emergencies stay first
        Flood(),  # a resident past the message rate: follow-ups join quietly, one staff notice per window
        Several(services.settings),  # two matters in one message: answer one, ticket the other
        Thread(services.settings),
        Faq(),
        TicketCap(),  # no ticket after ticket from one resident (转人工/取消 loops)
        Ticket(services.settings),
        Fallback(),
    ]
