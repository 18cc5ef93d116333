"""One label table: every ticket priority and status has one name wherever residents and staff read it.

The names are bot.texts' PRIORITY_NAMES and STATUS_NAMES. One scene renders every priority and every
status through the real code paths — the new-ticket and transfer notices, the resident's 我的工单 and
查询, the staff's ticket detail and 待办, the scheduler's reminders, handover and overdue digests and daily
report, the console's queue, ticket pages and ledger — and reads the name in each place's label slot.
Each value must read as its one name everywhere, and no retired name may appear anywhere.
"""
from __future__ import annotations

import io
import re
from collections import defaultdict
from datetime import timedelta
from types import SimpleNamespace

from openpyxl import load_workbook
from sqlalchemy import select

from bot import texts as M
from bot import tickets as T
from bot.db.models import Outbox, Staff, Ticket
from bot.domain import Inbound
from scheduler import run_once
from tests.support.harness import ACCOUNT
from tests.web.helpers import add_user, login

PRIORITIES = tuple(M.PRIORITY_NAMES)
STATUSES = tuple(M.STATUS_NAMES)
# Names these values went by in copies of the table that drifted; none may come back.
RETIRED = ("普通", "待处理", "已撤销", "办理中", "居民撤销")
LEAD = "o_demo_staff_zhangwei"  # 张伟, a lead in config.yaml


class Found:
    """What each place showed: (dimension, ticket) -> {(place, name)}; and every text read."""

    def __init__(self, tickets: dict[int, Ticket]):
        self.tickets = tickets
        self.names: dict[tuple[str, int], set[tuple[str, str]]] = defaultdict(set)
        self.texts: list[tuple[str, str]] = []

    def read(self, place: str, text: str) -> str:
        self.texts.append((place, text))
        return text

    def add(self, place: str, dimension: str, ticket_id, name: str) -> None:
        if int(ticket_id) in self.tickets:
            self.names[(dimension, int(ticket_id))].add((place, name.strip()))

    def scan(self, place: str, text: str, patterns: dict[str, str]) -> None:
        """Each pattern's groups are (ticket id, name) for its dimension."""
        self.read(place, text)
        for dimension, pattern in patterns.items():
            for ticket_id, name in re.findall(pattern, text, re.M):
                self.add(place, dimension, ticket_id, name)


def _open(session, services, resident: str, subject: str, priority: str, category: str, now) -> Ticket:
    msg = Inbound(open_id=resident, account=ACCOUNT, msg_key=f"labels:{resident}:{subject}", kind="text",
                  at=now, text=subject)
    return T.open_ticket(session, services, msg, SimpleNamespace(category=category, priority=priority,
                                                                 rule="labels"), now)


def _scene(desk) -> tuple[dict[str, int], dict[str, int], dict[int, Ticket]]:
    """A ticket of every priority, a ticket in every status, and one more ticket for each status
    ticket's resident (whose new-ticket notice lists the earlier one with its status)."""
    now = desk.clock.now()
    by_priority, by_status = {}, {}
    with desk.session() as s:
        wangfang = s.scalar(select(Staff).where(Staff.name == "王芳"))
        for n, p in enumerate(PRIORITIES, 1):
            by_priority[p] = _open(s, desk.services, f"o_labels_{p}", f"门禁卡补办{n}号", p, "other", now).id
        for n, status in enumerate(STATUSES, 1):
            t = _open(s, desk.services, f"o_labels_{status}", f"楼道灯坏了{n}号", "normal", "repair", now)
            if status == "answered":
                T.answer(s, t, wangfang, "您好，已安排师傅今天下午上门维修。", now, mode="answer")
            elif status == "closed":
                T.close(s, t, "王芳", now)
            elif status == "cancelled":
                T.cancel(s, desk.services, t, now)
            by_status[status] = t.id
    desk.clock.advance(minutes=1)
    with desk.session() as s:
        for n, status in enumerate(STATUSES, 1):
            _open(s, desk.services, f"o_labels_{status}", f"单元门关不上{n}号", "normal", "repair", desk.clock.now())
        zhangwei = s.scalar(select(Staff).where(Staff.name == "张伟"))
        for p in PRIORITIES:
            t = s.get(Ticket, by_priority[p])
            T.transfer(s, desk.services, t, t.assignee or zhangwei, zhangwei, desk.clock.now())
    with desk.session() as s:
        tickets = {t.id: t for t in s.scalars(select(Ticket))}
        for t in tickets.values():
            s.expunge(t)
    return by_priority, by_status, tickets


NOTICE = {"priority": r"^【新工单#(\d+)】[^·\n]+·(\S+)$",
          "status": r"^历史：.*?#(\d+) [^（\n]*（([^）]+)）"}
URGENT_NOTICE = {"priority": r"^【(\S+?)工单#(\d+)】请立即处理"}
TRANSFER = {"priority": r"^【\S*?工单#(\d+) 转交给您】.*\n类别：[^·\n]+·(\S+)$"}
REMINDER = {"priority": r"工单 #(\d+)（([^）]+)）"}
MY_TICKETS = {"status": r"^#(\d+) \S+（([^，）]+)，"}
QUERY = {"status": r"^工单#(\d+)：.*\n状态：(\S+)$"}
DETAIL = {"priority": r"^工单#(\d+)：.*\n类别：[^·\n]+·(\S+)$", "status": r"^工单#(\d+)：.*\n.*\n状态：(\S+)$"}
TODO = {"priority": r"^#(\d+) \[([^\]]+)\]", "status": r"^#(\d+) \[[^\]]+\] \S+（([^，）]+)，"}


def _digest(found: Found, place: str, text: str) -> None:
    """Digest and report lines: '【逾期】【紧急】#12 …' — only an urgent ticket is named, by its mark."""
    found.read(place, text)
    for marks, ticket_id in re.findall(r"^((?:【[^】]+】)*)#(\d+) ", text, re.M):
        names = [m for m in re.findall(r"【([^】]+)】", marks) if m != "逾期"]
        for name in names or [""]:
            found.add(place, "priority", ticket_id, name)


def _outbox(desk, found: Found) -> None:
    for row in desk.outbox():
        text, key = row.text, row.dedupe_key or ""
        if text.startswith("【新工单#"):
            found.scan("new-ticket notice", text, NOTICE)
        elif re.match(r"【\S+?工单#\d+】请立即处理", text):
            found.read("new-ticket notice", text)
            for name, ticket_id in re.findall(URGENT_NOTICE["priority"], text, re.M):
                found.add("new-ticket notice", "priority", ticket_id, name)
        elif "转交给您】" in text:
            found.scan("transfer notice", text, TRANSFER)
        elif key.startswith("esc:"):
            found.scan("reminder", text, REMINDER)
        elif key.startswith("handover:"):
            _digest(found, "handover digest", text)
        elif key.startswith("overdue:"):
            _digest(found, "overdue digest", text)
        elif key.startswith("report:"):
            _digest(found, "daily report", text)
        else:
            found.read("other notice", text)


def _wechat(desk, found: Found, by_status: dict[str, int]) -> None:
    for status, ticket_id in by_status.items():
        resident = f"o_labels_{status}"
        found.scan("resident 我的工单", desk.send("我的工单", as_=resident) or "", MY_TICKETS)
        found.scan("resident 查询", desk.send(f"查询 {ticket_id}", as_=resident) or "", QUERY)
    for ticket_id in found.tickets:
        found.scan("staff ticket detail", desk.send(f"#{ticket_id}", as_=LEAD) or "", DETAIL)
    with desk.session() as s:
        holders = {t.assignee.open_id for t in s.scalars(select(Ticket)) if t.assignee and t.assignee.open_id}
    for open_id in sorted(holders):
        found.scan("staff 待办", desk.send("待办", as_=open_id) or "", TODO)


def _console(desk, found: Found) -> None:
    add_user(desk, "boss", "admin")
    client = login(desk, "boss")
    queue = found.read("console queue", client.get("/admin/tickets/?status=all").get_data(as_text=True))
    for row in re.findall(r"<tr>(.*?)</tr>", queue, re.S):
        number = re.search(r">#(\d+)</a>", row)
        for cls, name in re.findall(r'<span class="tag (\w+)">([^<]+)</span>', row) if number else []:
            dimension = "priority" if cls in PRIORITIES else "status" if cls in STATUSES else None
            if dimension:
                found.add("console queue", dimension, number.group(1), name)
    for ticket_id in found.tickets:
        page = found.read("console ticket page", client.get(f"/admin/tickets/{ticket_id}").get_data(as_text=True))
        head = re.search(r"<h1>(.*?)</h1>", page, re.S).group(1)
        for cls, name in re.findall(r'<span class="tag (\w+)">([^<]+)</span>', head):
            dimension = "priority" if cls in PRIORITIES else "status" if cls in STATUSES else None
            if dimension:
                found.add("console ticket page", dimension, ticket_id, name)
        for name in re.findall(r"优先级：</span>([^<]+?)\s*(?:<|$)", page):
            found.add("console ticket history", "priority", ticket_id, name)
    day = desk.clock.now().date()
    sheet = client.get(f"/admin/dashboard/ledger.xlsx?from={day - timedelta(days=3)}&to={day}")
    ws = load_workbook(io.BytesIO(sheet.data)).active
    head = [c.value for c in ws[2]]
    for values in ws.iter_rows(min_row=3, values_only=True):
        row = dict(zip(head, values))
        found.read("console ledger", " ".join(str(v) for v in values if v is not None))
        found.add("console ledger", "priority", row["工单编号"], row["紧急程度"])
        found.add("console ledger", "status", row["工单编号"], re.split(r"[：，]", row["办理结果"])[0])


def _expected(found: Found, dimension: str, ticket_id: int) -> str:
    t = found.tickets[ticket_id]
    return M.PRIORITY_NAMES[t.priority] if dimension == "priority" else M.STATUS_NAMES[t.status]


def test_every_priority_and_status_reads_as_one_name_everywhere(desk):
    by_priority, by_status, tickets = _scene(desk)
    found = Found(tickets)
    desk.clock.advance(minutes=61)  # every ladder has a step by now: reminders name the priority
    run_once(desk.services, outbox=False)
    desk.clock.advance(days=1)  # the next duty day: handover digest, overdue digest, daily report
    run_once(desk.services, outbox=False)
    _outbox(desk, found)
    _wechat(desk, found, by_status)
    _console(desk, found)

    wrong = sorted(f"{place}: {dimension} of #{tid} ({_expected(found, dimension, tid)}) reads {name!r}"
                   for (dimension, tid), seen in found.names.items() for place, name in seen
                   if name != _expected(found, dimension, tid)
                   and not (place.endswith(("digest", "report")) and name == ""
                            and found.tickets[tid].priority != "urgent"))
    assert not wrong, "\n".join(wrong)
    retired = sorted({(place, word) for place, text in found.texts for word in RETIRED if word in text})
    assert not retired, retired

    def places(dimension: str, value: str) -> set[str]:
        ids = [tid for tid, t in tickets.items() if getattr(t, dimension) == value]
        return {place for tid in ids for place, name in found.names[(dimension, tid)] if name}

    # every value was read in every place that shows it
    for p in PRIORITIES:
        shown = {"new-ticket notice", "transfer notice", "reminder", "staff ticket detail", "staff 待办",
                 "console ledger"}
        shown |= {"console queue"} if p in ("urgent", "high") else set()
        shown |= {"console ticket page"} if p != "normal" else set()
        shown |= {"handover digest", "overdue digest", "daily report"} if p == "urgent" else set()
        assert shown <= places("priority", p), (p, shown - places("priority", p))
    for status in STATUSES:
        shown = {"new-ticket notice", "resident 我的工单", "resident 查询", "staff ticket detail",
                 "console queue", "console ticket page", "console ledger"}
        shown |= {"staff 待办"} if status in ("open", "answered") else set()
        assert shown <= places("status", status), (status, shown - places("status", status))
    assert by_priority and by_status
    # the overdue word: the console's tag on an overdue ticket and the leads' overdue digest
    queue = "".join(text for place, text in found.texts if place == "console queue")
    digest = "".join(text for place, text in found.texts if place == "overdue digest")
    assert f'<span class="tag overdue">{M.OVERDUE}</span>' in queue and M.OVERDUE + "工单日报" in digest
    assert not [word for word in RETIRED_OVERDUE if word in queue or word in digest]


# Role and overdue words the console used before the WeChat words won; none may come back.
RETIRED_ROLE = "组长"
RETIRED_OVERDUE = ('tag overdue">超时',)


def test_every_role_reads_as_one_name_in_the_console_and_wechat(desk):
    add_user(desk, "boss", "admin")
    client = login(desk, "boss")
    staff_page = client.get("/admin/staff/").get_data(as_text=True)
    simulator = desk.app.test_client().get("/simulator").get_data(as_text=True)
    for role, name in M.ROLE_NAMES.items():
        assert f'<option value="{role}" selected>{name}</option>' in staff_page, role
    assert f"张伟（{M.ROLE_NAMES['lead']}）" in simulator  # 张伟 is a lead in config.yaml
    # the escalation step that reaches a lead, as the daily report and the ticket history name it
    assert M.ROLE_NAMES["lead"] in M.ACTION_NAMES["notify_lead"]
    assert not [place for place, text in (("staff page", staff_page), ("simulator", simulator))
                if RETIRED_ROLE in text]
