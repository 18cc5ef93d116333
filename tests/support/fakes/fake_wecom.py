"""A fake 企业微信 (WeCom) API: a real HTTP server on 127.0.0.1 that records requests and fails on demand.

    fake = FakeWeCom().start()
    fake.base_url                         -> "http://127.0.0.1:PORT/cgi-bin/" (staff_channels.wecom_app.api_base_url)
    fake.robot_url                        -> the duty group's robot webhook on the same server
    fake.fail("message/send", 60020)      -> answer an errcode (times=None: until cleared)
    fake.invalid_user("zhangsan")         -> message/send answers 0 but lists the user as invaliduser
    fake.app_texts(to="zhangsan")         -> contents of application messages accepted for that UserID
"""
from __future__ import annotations

from tests.support.fakes.fake_wechat import FakeWeChat


class FakeWeCom(FakeWeChat):
    """The WeCom endpoints Linli uses: gettoken, message/send (application), webhook/send (group robot)."""

    def __init__(self):
        super().__init__()
        self.invalid: set[str] = set()

    def invalid_user(self, userid: str) -> None:
        self.invalid.add(userid)

    def app_texts(self, to: str | None = None) -> list[str]:
        """Application texts the fake accepted, in arrival order."""
        return [r.body["text"]["content"] for r in self.calls("message/send")
                if r.ok and not r.answer.get("invaliduser") and (to is None or r.body.get("touser") == to)]

    def robot_texts(self) -> list[str]:
        return [r.body["text"]["content"] for r in self.calls("webhook/send") if r.ok]

    def _answer(self, path: str, query: dict) -> dict:
        endpoint = path.split("/cgi-bin/", 1)[-1]
        if endpoint == "gettoken" and endpoint not in self._failures:
            token = f"FAKE_WECOM_TOKEN_{len(self.issued) + 1}"
            self.issued.append(token)
            return {"errcode": 0, "errmsg": "ok", "access_token": token, "expires_in": 7200}
        answer = super()._answer(path, query)
        if endpoint == "message/send" and not answer.get("errcode"):
            rec = self.requests[-1]
            bad = [u for u in str(rec.body.get("touser", "")).split("|") if u in self.invalid]
            if bad:
                return {"errcode": 0, "errmsg": "ok", "invaliduser": "|".join(bad)}
        return answer
