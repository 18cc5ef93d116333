"""The demo simulator: chat with the bot as a resident or a staff member, through the real webhook."""
from __future__ import annotations

import itertools
import time

from flask import Blueprint, abort, current_app, jsonify, render_template, request
from sqlalchemy import select

from bot import texts as M
from bot.db.models import InboundMessage, Outbox, Resident, Staff
from bot.web.helpers import db, local, now, services
from bot.wechat.simulate import WeChatServerSimulator, event_xml, text_xml

ACCOUNT = "gh_linli_demo"
DEMO_RESIDENTS = [("o_demo_resident_1", "居民 李阿姨（3号楼）"), ("o_demo_resident_2", "居民 王先生（8号楼）"),
                  ("o_demo_resident_3", "居民 小张（12号楼）")]
HIDDEN_STATUSES = ("failed",)
EVENTS = ("subscribe", "unsubscribe")
_msg_ids = itertools.count(int(time.time() * 1000) % 10**11 * 100)


def identities(session) -> dict[str, list[tuple[str, str]]]:
    """Residents (demo plus any seen) and staff with a bound open_id, for the picker."""
    residents = list(DEMO_RESIDENTS)
    known = {oid for oid, _ in residents}
    for r in session.scalars(select(Resident).order_by(Resident.id).limit(30)):
        if r.open_id not in known and not r.open_id.startswith("o_demo_staff"):
            residents.append((r.open_id, M.SIM_RESIDENT.format(name=r.name or r.open_id)))
    staff = [(s.open_id, M.SIM_STAFF.format(name=s.name, role=M.ROLE_NAMES.get(s.role, M.ROLE_NAMES['staff'])))
             for s in session.scalars(select(Staff).where(Staff.active.is_(True), Staff.open_id.is_not(None))
                                      .order_by(Staff.rotation_order, Staff.id))]
    return {"residents": residents, "staff": staff}


def send_as(open_id: str, text: str, event: str | None = None) -> dict:
    """POST a signed, AES-encrypted message (or event) to our own /wechat; return the decrypted reply."""
    wx = services().settings.wechat
    sim = WeChatServerSimulator(wx.token, wx.aes_key, wx.appid, wx.mode)  # as the account is configured
    created = int(now().timestamp())
    xml = event_xml(open_id, ACCOUNT, event, created=created) if event else \
        text_xml(open_id, ACCOUNT, text, next(_msg_ids), created)
    req = sim.sign(xml, created)
    resp = current_app.test_client().post("/wechat", query_string=req.params, data=req.body.encode("utf-8"),
                                          content_type="text/xml; charset=utf-8")
    if resp.status_code != 200:
        return {"ok": False, "error": M.SIM_HTTP_ERROR.format(status=resp.status_code)}
    return {"ok": True, "reply": sim.read_reply(resp.data, req)}


def _push(row: Outbox) -> dict:
    return {"id": row.id, "text": row.text, "channel": row.channel, "status": row.status,
            "at": local(row.created_at, "%H:%M"), "ticket": row.ticket_id}


def pushes(session, open_id: str, after: int) -> list[dict]:
    """Outbound messages for one identity (customer-service messages and notifications)."""
    q = (select(Outbox).where(Outbox.recipient == open_id, Outbox.id > after,
                              Outbox.status.not_in(HIDDEN_STATUSES)).order_by(Outbox.id).limit(50))
    return [_push(r) for r in session.scalars(q)]


def history(session, open_id: str) -> list[dict]:
    """The identity's recent conversation: its messages, passive replies and pushes, in order."""
    items = []
    rows = session.scalars(select(InboundMessage).where(InboundMessage.open_id == open_id, InboundMessage.kind != "event")
                           .order_by(InboundMessage.id.desc()).limit(20))
    for m in rows:
        items.append((m.received_at, 0, {"kind": "in", "text": m.text, "at": local(m.received_at, "%H:%M")}))
        if m.reply_text:
            items.append((m.received_at, 1, {"kind": "reply", "text": m.reply_text, "at": local(m.received_at, "%H:%M")}))
    outs = session.scalars(select(Outbox).where(Outbox.recipient == open_id, Outbox.status.not_in(HIDDEN_STATUSES))
                           .order_by(Outbox.id.desc()).limit(20))
    for o in outs:
        items.append((o.created_at, 2, dict(_push(o), kind="push")))
    return [item for _, _, item in sorted(items, key=lambda t: (t[0], t[1]))]


def make_blueprint(_services) -> Blueprint:
    bp = Blueprint("simulator", __name__, url_prefix="/simulator")

    def _open_id() -> str:
        open_id = (request.values.get("open_id") or (request.get_json(silent=True) or {}).get("open_id") or "").strip()
        if not open_id or len(open_id) > 64:
            abort(400)
        return open_id

    @bp.get("")
    def page():
        with db() as s:
            return render_template("simulator.html", ids=identities(s))

    @bp.post("/send")
    def send():
        data = request.get_json(silent=True) or request.form
        if data.get("event") in EVENTS:
            return jsonify(send_as(_open_id(), "", data["event"]))
        text = (data.get("text") or "").strip()
        if not text or len(text) > 600:
            return jsonify({"ok": False, "error": M.SIM_TEXT_LENGTH}), 400
        return jsonify(send_as(_open_id(), text))

    @bp.get("/feed")
    def feed():
        open_id = _open_id()
        with db() as s:
            if request.args.get("after") is None:
                items = history(s, open_id)
                last = max([i["id"] for i in items if i["kind"] == "push"], default=0)
                return jsonify({"history": items, "last": last})
            return jsonify({"pushes": pushes(s, open_id, request.args.get("after", 0, type=int))})

    return bp
