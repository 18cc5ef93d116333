"""SQLAlchemy 2.0 typed models: the whole state of the desk lives here."""
from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import (
    JSON, BigInteger, Date, DateTime, ForeignKey, Index, String, Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on both SQLite and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime stored; use timezone-aware UTC")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON, list[Any]: JSON}


class Resident(Base):
    __tablename__ = "residents"
    id: Mapped[int] = mapped_column(primary_key=True)
    open_id: Mapped[str] = mapped_column(String(64), unique=True)
    first_seen: Mapped[datetime]
    last_message_at: Mapped[datetime | None]  # starts the 48-hour customer-service window
    subscribed: Mapped[bool] = mapped_column(default=True)
    name: Mapped[str] = mapped_column(String(64), default="")
    phone: Mapped[str] = mapped_column(String(32), default="")
    building: Mapped[str] = mapped_column(String(16), default="")
    unit: Mapped[str] = mapped_column(String(16), default="")
    room: Mapped[str] = mapped_column(String(16), default="")


class Staff(Base):
    __tablename__ = "staff"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    open_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    phone: Mapped[str] = mapped_column(String(32), default="")
    role: Mapped[str] = mapped_column(String(16), default="staff")  # staff | lead | admin
    active: Mapped[bool] = mapped_column(default=True)
    eligible: Mapped[bool] = mapped_column(default=True)  # takes duty shifts
    no_holiday_duty: Mapped[bool] = mapped_column(default=False)
    rotation_order: Mapped[int] = mapped_column(default=0)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    bind_code: Mapped[str | None] = mapped_column(String(16))
    bind_code_expires: Mapped[datetime | None]
    wecom_userid: Mapped[str | None] = mapped_column(String(64))  # 企业微信 UserID (staff channels)


class InboundMessage(Base):
    """Every delivery WeChat made us, stored once per message key."""

    __tablename__ = "inbound_messages"
    id: Mapped[int] = mapped_column(primary_key=True)
    msg_key: Mapped[str] = mapped_column(String(128), unique=True)
    open_id: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text, default="")
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    sent_at: Mapped[datetime]  # CreateTime
    received_at: Mapped[datetime] = mapped_column(index=True)
    handler: Mapped[str | None] = mapped_column(String(32))
    decision: Mapped[str | None] = mapped_column(String(32))  # answer | suggest | handoff | ...
    scores: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    reply_text: Mapped[str | None] = mapped_column(Text)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), index=True)
    error: Mapped[str | None] = mapped_column(Text)


class FaqEntry(Base):
    __tablename__ = "faq_entries"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    question: Mapped[str] = mapped_column(Text)
    alt_questions: Mapped[list[Any]] = mapped_column(default=list)
    answer: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(32), default="")
    route: Mapped[str] = mapped_column(String(16), default="consult")
    tags: Mapped[list[Any]] = mapped_column(default=list)
    enabled: Mapped[bool] = mapped_column(default=True)
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(64), default="")


class FaqRevision(Base):
    """Append-only history of FAQ edits; any revision can be restored."""

    __tablename__ = "faq_revisions"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[int]
    action: Mapped[str] = mapped_column(String(16))  # create | edit | disable | enable | restore | import
    author: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    snapshot: Mapped[dict[str, Any]]
    diff: Mapped[str] = mapped_column(Text, default="")
    __table_args__ = (UniqueConstraint("slug", "version"),)


class FaqDraft(Base):
    """An FAQ proposed by staff (#12 入库) waiting for an admin."""

    __tablename__ = "faq_drafts"
    id: Mapped[int] = mapped_column(primary_key=True)
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    route: Mapped[str] = mapped_column(String(16), default="consult")
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    proposed_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending|approved|rejected
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None]


class Ticket(Base):
    __tablename__ = "tickets"
    id: Mapped[int] = mapped_column(primary_key=True)  # the ticket number residents see
    resident_open_id: Mapped[str] = mapped_column(String(64), index=True)
    subject: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(16))
    priority: Mapped[str] = mapped_column(String(8), default="normal")  # urgent|high|normal|low
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    # open -> answered -> closed; cancelled; reopened tickets go back to open
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    escalation_level: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime]
    waiting_since: Mapped[datetime | None]  # response clock: set on open and on resident follow-up
    first_response_at: Mapped[datetime | None]
    last_answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    rating: Mapped[int | None]
    unreachable: Mapped[bool] = mapped_column(default=False)  # 48h window passed: phone them
    assignee: Mapped["Staff | None"] = relationship(lazy="joined")
    events: Mapped[list["TicketEvent"]] = relationship(
        back_populates="ticket", order_by="TicketEvent.id", lazy="select"
    )
    __table_args__ = (Index("ix_tickets_status_waiting", "status", "waiting_since"),)


class TicketEvent(Base):
    """Append-only audit log of everything that happened to a ticket."""

    __tablename__ = "ticket_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(64))  # "resident", "system", "scheduler", staff name
    kind: Mapped[str] = mapped_column(String(32))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Idempotence for sweeps: an escalation step is recorded once per ticket and clock start.
    dedupe_key: Mapped[str | None] = mapped_column(String(128), unique=True)
    ticket: Mapped[Ticket] = relationship(back_populates="events")


class ConversationState(Base):
    """Short-lived per-user state: a pending suggestion menu, an awaited rating."""

    __tablename__ = "conversation_state"
    id: Mapped[int] = mapped_column(primary_key=True)
    open_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))  # menu | rating
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    __table_args__ = (UniqueConstraint("open_id", "kind"),)


class Outbox(Base):
    """Messages to send to the WeChat API, written in the same transaction as their cause."""

    __tablename__ = "outbox"
    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime]
    channel: Mapped[str] = mapped_column(String(24))  # customer_service|template|wecom_robot|local
    recipient: Mapped[str] = mapped_column(String(64), index=True)
    text: Mapped[str] = mapped_column(Text)
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    dedupe_key: Mapped[str | None] = mapped_column(String(128), unique=True)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    # pending | sending | sent | failed (gave up) | fallback
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime]
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_until: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    priority: Mapped[int] = mapped_column(default=0)  # 1: about an urgent ticket, sent first
    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)


class DutyOverride(Base):
    """A swap, leave or manual assignment on top of the generated rotation (never rewritten)."""

    __tablename__ = "duty_overrides"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))  # swap | leave | assign
    day_from: Mapped[date] = mapped_column(Date)
    day_to: Mapped[date] = mapped_column(Date)
    staff: Mapped[str] = mapped_column(String(64))
    other: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64), default="")
    revoked: Mapped[bool] = mapped_column(default=False)


class SchedulerLease(Base):
    """Which scheduler process may act; renewed every few seconds by the holder."""

    __tablename__ = "scheduler_lease"
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    holder: Mapped[str] = mapped_column(String(128))
    expires_at: Mapped[datetime]
    fencing: Mapped[int] = mapped_column(BigInteger, default=0)


class SweepMark(Base):
    """Idempotence marks for periodic jobs (handover of a duty day, a daily report)."""

    __tablename__ = "sweep_marks"
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    done_at: Mapped[datetime]


class AccessToken(Base):
    """Shared WeChat access-token store (one row per appid)."""

    __tablename__ = "access_tokens"
    appid: Mapped[str] = mapped_column(String(64), primary_key=True)
    token: Mapped[str] = mapped_column(Text, default="")
    expires_at: Mapped[datetime]
    refreshing_until: Mapped[datetime | None]  # refresh lock


class StaffAlert(Base):
    """A staff notice no channel could deliver: a red console banner until someone acknowledges it."""

    __tablename__ = "staff_alerts"
    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime]
    staff_name: Mapped[str] = mapped_column(String(64))
    outbox_id: Mapped[int | None] = mapped_column(unique=True)
    ticket_id: Mapped[int | None]
    text: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text, default="")
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by: Mapped[str | None] = mapped_column(String(64))


class WebhookNonce(Base):
    """A (timestamp, nonce) pair WeChat signed, remembered for the timestamp window (replay cache)."""

    __tablename__ = "webhook_nonces"
    __table_args__ = (UniqueConstraint("timestamp", "nonce", name="uq_webhook_nonces_ts_nonce"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    timestamp: Mapped[int] = mapped_column(BigInteger)
    nonce: Mapped[str] = mapped_column(String(64))
    msg_key: Mapped[str] = mapped_column(String(128))  # a WeChat retry of the same message may reuse it
    seen_at: Mapped[datetime] = mapped_column(index=True)


class Incident(Base):
    """One event many residents report (issue 15): an outage, or planned work announced ahead."""

    __tablename__ = "incidents"
    id: Mapped[int] = mapped_column(primary_key=True)  # residents and staff see #I{id}
    kind: Mapped[str] = mapped_column(String(16), default="outage")  # outage | planned
    status: Mapped[str] = mapped_column(String(16), index=True)
    # proposed (waiting for staff) | open (处理中) | recovered (已恢复) | closed (已结束) | dismissed
    title: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(16), default="other")  # water|power|heating|...
    building: Mapped[str] = mapped_column(String(16), default="")  # "" = the whole community
    unit: Mapped[str] = mapped_column(String(16), default="")
    expected_at: Mapped[datetime | None]
    starts_at: Mapped[datetime | None]  # planned work: the notice answers from creation to ends_at
    ends_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64), default="")
    confirmed_at: Mapped[datetime | None]
    first_update_at: Mapped[datetime | None]
    recovered_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    last_update: Mapped[str] = mapped_column(Text, default="")
    last_update_at: Mapped[datetime | None]


class IncidentUpdate(Base):
    """The incident's timeline: every update staff published, and how many residents it reached."""

    __tablename__ = "incident_updates"
    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    at: Mapped[datetime]
    author: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))  # opened | update | recovered | closed | linked | unlinked
    text: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16))
    queued: Mapped[int] = mapped_column(default=0)  # residents the update was queued for
    unreachable: Mapped[int] = mapped_column(default=0)  # residents outside the 48-hour window / quota


class IncidentReport(Base):
    """A resident's message about an outage: a candidate for grouping, then a link to its incident."""

    __tablename__ = "incident_reports"
    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id"), index=True)
    open_id: Mapped[str] = mapped_column(String(64), index=True)
    msg_key: Mapped[str] = mapped_column(String(128), unique=True)
    text: Mapped[str] = mapped_column(Text, default="")
    topic: Mapped[str] = mapped_column(String(16), default="")
    building: Mapped[str] = mapped_column(String(16), default="")
    unit: Mapped[str] = mapped_column(String(16), default="")
    at: Mapped[datetime] = mapped_column(index=True)
    state: Mapped[str] = mapped_column(String(16), default="candidate")  # candidate | linked | unlinked
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    linked_at: Mapped[datetime | None]
    rating: Mapped[int | None]


class RateCounter(Base):
    """A failure/attempt counter with backoff (login names and addresses, bind codes); issue 12B."""

    __tablename__ = "rate_counters"
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(index=True)
    blocked_until: Mapped[datetime | None]


class ConsoleSession(Base):
    """A console login on the server side: the cookie only carries its random id (hashed here)."""

    __tablename__ = "console_sessions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 of the cookie's token
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    pw: Mapped[str] = mapped_column(String(32), default="")  # password fingerprint at login
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime] = mapped_column(index=True)
    address: Mapped[str] = mapped_column(String(64), default="")


# The flood check counts one sender's recent messages (issue 12B migration i12b_abuse_privacy).
Index("ix_inbound_messages_open_id_received", InboundMessage.open_id, InboundMessage.received_at)


class MediaItem(Base):
    """A photo, voice message or video a resident sent for a ticket (issue 13): fetched from the WeChat
    media API by the dispatcher into local storage, shown to staff through the console."""

    __tablename__ = "media_items"
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), index=True)
    open_id: Mapped[str] = mapped_column(String(64), index=True)
    msg_key: Mapped[str] = mapped_column(String(128), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # image | voice | video | shortvideo
    media_id: Mapped[str] = mapped_column(String(256))
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    # pending | stored | too_large | failed
    path: Mapped[str | None] = mapped_column(Text)  # relative to the media folder
    size: Mapped[int | None]
    content_type: Mapped[str | None] = mapped_column(String(128))
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]


class RosterPlan(Base):
    """The staff list the rotation uses from `effective_from` on (issue 16): a staff change never
    rewrites days before it. `members` is the rotation order with each person's duty flags;
    `pinned` keeps the earlier pair on days that carry a swap or leave, so those survive."""

    __tablename__ = "roster_plans"
    id: Mapped[int] = mapped_column(primary_key=True)
    effective_from: Mapped[date] = mapped_column(Date, unique=True)
    members: Mapped[list[Any]] = mapped_column(default=list)  # [{name, eligible, no_holiday_duty}]
    pinned: Mapped[dict[str, Any]] = mapped_column(default=dict)  # {"2026-12-05": ["张伟", "杨磊"]}
    holidays: Mapped[dict[str, Any]] = mapped_column(default=dict)  # console holidays it sees {"2027-01-01": "holiday:元旦"}
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64), default="")


class HolidayDay(Base):
    """A public holiday or 调休 make-up workday set in the console (issue 16), on top of
    chinese-calendar and config; a roster era sees the ones recorded before it began."""

    __tablename__ = "holiday_days"
    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # holiday | makeup_workday
    name: Mapped[str] = mapped_column(String(32), default="")
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64), default="")
