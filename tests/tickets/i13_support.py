"""Issue 13 test support: pinned FAQ decisions and a conversation that keeps its own transcript.

    talk = Talk(desk, fake)
    talk.resident("我家厨房水龙头坏了")      -> the passive reply (also written to talk.lines)
    talk.staff("#1 答复 好的", WANGFANG)     -> the staff member's reply
    talk.deliver()                          -> run the dispatcher; what reached people is logged too
    print(talk.transcript())                 (LINLI_TRANSCRIPTS=1 prints it at the end of each test)
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from knowledge_base.matcher import Candidate, MatchResult
from tests.tickets.conftest import LINA, RESIDENT, WANGFANG, ZHANGWEI, dispatch

NAMES = {WANGFANG: "王芳（值班）", LINA: "李娜（值班）", ZHANGWEI: "张伟（负责人）", RESIDENT: "居民"}


class _PinnedLive:
    def __init__(self, live, pins: dict):
        self.live, self.entries, self.version, self.matcher = live, live.entries, live.version, live.matcher
        self.pins = pins

    def match(self, text: str):
        if text not in self.pins:
            return self.live.match(text)
        decision, ids = self.pins[text]
        score = 0.99 if decision == "answer" else 0.3
        cands = tuple(Candidate(i, self.entries[i].question, score, self.entries[i].route) for i in ids)
        return MatchResult(decision, cands, text)


class Pins:
    """The live matcher with some texts' decisions fixed (the matcher evolves in issue 10)."""

    def __init__(self, provider, pins: dict | None = None):
        self.provider, self.pins = provider, dict(pins or {})

    def current(self, session=None):
        return _PinnedLive(self.provider.current(session), self.pins)


def pin(desk, pins: dict) -> None:
    """pins: text -> (decision, [faq ids]); the rest goes to the real matcher."""
    base = desk.services.matchers
    provider = base.provider if isinstance(base, Pins) else base
    merged = {**(base.pins if isinstance(base, Pins) else {}), **pins}
    desk.services.matchers = Pins(provider, merged)


class Talk:
    """A conversation through the real webhook, with the dispatcher's deliveries, as a transcript."""

    def __init__(self, desk, fake, title: str = ""):
        self.desk, self.fake, self.lines = desk, fake, [f"== {title}"] if title else []
        self._seen = 0

    def resident(self, text: str, as_: str = RESIDENT) -> str | None:
        reply = self.desk.send(text, as_=as_)
        self.lines += [f"居民：{text}", f"  机器人：{reply}"]
        return reply

    def staff(self, text: str, as_: str = WANGFANG) -> str | None:
        reply = self.desk.send(text, as_=as_)
        self.lines += [f"{NAMES.get(as_, as_)}：{text}", f"  机器人（回给工作人员）：{reply}"]
        return reply

    def media(self, kind: str, recognition: str = "") -> str | None:
        from tests.tickets.conftest import send_media

        reply = send_media(self.desk, kind, recognition=recognition)
        self.lines += [f"居民：[{kind}]{'（语音识别：' + recognition + '）' if recognition else ''}", f"  机器人：{reply}"]
        return reply

    def note(self, text: str) -> None:
        self.lines.append(f"（{text}）")

    def deliver(self) -> list:
        """Run the dispatcher; log every text the fake WeChat API accepted since the last call."""
        dispatch(self.desk)
        calls = [c for c in self.fake.calls("message/custom/send") if c.ok][self._seen:]
        self._seen += len(calls)
        for c in calls:
            who = NAMES.get(c.body.get("touser"), c.body.get("touser"))
            self.lines.append(f"  → 发给{who}：{c.body['text']['content']}")
        return calls

    def transcript(self) -> str:
        return "\n".join(self.lines)



@pytest.fixture
def talk(wx, request):
    """A Talk on the wx desk; LINLI_TRANSCRIPTS=1 writes its transcript to artifacts/transcripts/."""
    desk, fake = wx
    t = Talk(desk, fake, request.node.name)
    yield t
    if os.environ.get("LINLI_TRANSCRIPTS"):
        out = Path(__file__).resolve().parents[2] / "artifacts" / "transcripts"
        out.mkdir(parents=True, exist_ok=True)
        (out / f"{request.node.name}.txt").write_text(t.transcript() + "\n", encoding="utf-8")
