"""企业微信 (WeCom) application messages: wechatpy's enterprise client on a configurable base URL.

The access token is shared through the AccessToken table like the Official Account's (its row is
keyed "wecom:<corp_id>:<agent_id>"), and fetched only by the dispatcher, never on a webhook.
"""
from __future__ import annotations

import logging

from wechatpy.enterprise import WeChatClient as WeComClient
from wechatpy.exceptions import WeChatClientException

from bot.wechat.api import DbTokenStorage, TokenUnavailable, refuse_real_network_in_tests

log = logging.getLogger("linli.wechat.wecom")


class LinliWeComClient(WeComClient):
    """wechatpy's WeCom client with every call, gettoken included, at `api_base_url`."""

    def __init__(self, corp_id: str, secret: str, storage: DbTokenStorage, api_base_url: str, timeout: float):
        refuse_real_network_in_tests(api_base_url)
        super().__init__(corp_id, secret, session=storage, timeout=timeout)
        self.API_BASE_URL = api_base_url if api_base_url.endswith("/") else api_base_url + "/"
        self.storage = storage

    @property
    def access_token(self):
        token = self.storage.get(self.access_token_key)
        if token:
            return token
        self.fetch_access_token()
        return self.storage.get(self.access_token_key)

    def fetch_access_token(self):
        """GET {base}gettoken under the database refresh lock."""
        if not self.storage.try_lock():
            raise TokenUnavailable("another process is refreshing the WeCom access token")
        try:
            res = self._http.get(self.API_BASE_URL + "gettoken", timeout=self.timeout,
                                 params={"corpid": self.corp_id, "corpsecret": self.secret})
            res.raise_for_status()
            result = res.json()
            if result.get("errcode"):
                raise WeChatClientException(result["errcode"], result.get("errmsg"), client=self)
            self.storage.set(self.access_token_key, result["access_token"], result.get("expires_in", 7200))
            return result
        finally:
            self.storage.unlock()


def make_wecom_client(services) -> LinliWeComClient | None:
    """The WeCom application client, or None when staff_channels.wecom_app is not configured."""
    app = services.settings.staff_channels.wecom_app
    if app is None:
        return None
    storage = DbTokenStorage(services.session_factory, f"wecom:{app.corp_id}:{app.agent_id}"[:64], services.clock)
    return LinliWeComClient(app.corp_id, app.secret, storage, app.api_base_url,
                            services.settings.outbox.send_timeout_s)
