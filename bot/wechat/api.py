"""The WeChat API client (wechatpy) with a database-shared access token and a refresh lock.

The token is fetched only by the dispatcher (never on the webhook path). One process at a time may
refresh it: the AccessToken row's `refreshing_until` is the lock; the others retry later.
"""
from __future__ import annotations

import logging
import os
import time
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

from sqlalchemy.exc import IntegrityError
from wechatpy import WeChatClient
from wechatpy.exceptions import WeChatClientException
from wechatpy.session import SessionStorage

from bot.db import transaction
from bot.db.models import AccessToken
from bot.redact import add_secret
from bot.wechat.deadline_http import mount_deadline_adapter, total_deadline

log = logging.getLogger("linli.wechat.api")

EARLY_REFRESH = timedelta(minutes=5)  # treat a token as expired this long before WeChat does
REFRESH_LOCK = timedelta(seconds=30)
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


class TokenUnavailable(Exception):
    """Another process is refreshing the access token; try again shortly."""


def refuse_real_network_in_tests(url: str) -> None:
    """Real network adapters refuse to run under pytest unless they point at loopback."""
    if not os.environ.get("PYTEST_CURRENT_TEST"):
        return
    host = urlsplit(url).hostname or ""
    if not (host.startswith("127.") or host in ("localhost", "::1")):
        raise RuntimeError(f"refusing to call {url!r} from a test: only 127.0.0.1 fakes are allowed")


class DbTokenStorage(SessionStorage):
    """wechatpy session storage backed by the AccessToken table (shared by every process)."""

    def __init__(self, session_factory, appid: str, clock):
        self.session_factory = session_factory
        self.appid = appid
        self.clock = clock

    def get(self, key, default=None):
        with transaction(self.session_factory) as s:
            row = s.get(AccessToken, self.appid)
            if row is None or not row.token or row.expires_at - EARLY_REFRESH <= self.clock.now():
                return default
            add_secret(row.token)
            return row.token

    def set(self, key, value, ttl=None):
        add_secret(value)  # an access token is masked in every log line and stored error
        expires = self.clock.now() + timedelta(seconds=int(ttl or 7200))
        with transaction(self.session_factory) as s:
            row = s.get(AccessToken, self.appid, with_for_update=True)
            if row is None:
                row = AccessToken(appid=self.appid)
                s.add(row)
            row.token, row.expires_at, row.refreshing_until = value, expires, None

    def delete(self, key):
        with transaction(self.session_factory) as s:
            row = s.get(AccessToken, self.appid, with_for_update=True)
            if row is not None:
                row.token, row.expires_at = "", EPOCH

    def try_lock(self) -> bool:
        """Take the refresh lock unless another process holds a live one."""
        now = self.clock.now()
        try:
            with transaction(self.session_factory) as s:
                row = s.get(AccessToken, self.appid, with_for_update=True)
                if row is None:
                    s.add(AccessToken(appid=self.appid, token="", expires_at=EPOCH,
                                      refreshing_until=now + REFRESH_LOCK))
                    return True
                if row.refreshing_until is not None and row.refreshing_until > now:
                    return False
                row.refreshing_until = now + REFRESH_LOCK
                return True
        except IntegrityError:  # two processes created the row at once: the other one won
            return False

    def unlock(self) -> None:
        with transaction(self.session_factory) as s:
            row = s.get(AccessToken, self.appid, with_for_update=True)
            if row is not None:
                row.refreshing_until = None


class LinliWeChatClient(WeChatClient):
    """wechatpy's client with every call (the token fetch included) going to a configurable base URL."""

    def __init__(self, appid: str, secret: str, storage: DbTokenStorage, api_base_url: str, timeout: float):
        refuse_real_network_in_tests(api_base_url)
        super().__init__(appid, secret, session=storage, timeout=timeout)
        self.API_BASE_URL = api_base_url if api_base_url.endswith("/") else api_base_url + "/"
        self.storage = storage
        mount_deadline_adapter(self._http)
        add_secret(secret)

    def _request(self, method, url_or_endpoint, **kwargs):
        """Every API call (its token fetch included) ends within `timeout` seconds in total."""
        with total_deadline(self.timeout):
            return super()._request(method, url_or_endpoint, **kwargs)

    @property
    def access_token(self):
        """The shared token; fetched (under the lock) only when missing or about to expire."""
        token = self.storage.get(self.access_token_key)
        if token:
            return token
        self.fetch_access_token()
        return self.storage.get(self.access_token_key)

    def fetch_access_token(self):
        """GET {base}token under the database refresh lock."""
        if not self.storage.try_lock():
            return self._wait_for_other_refresh()
        try:
            res = self._http.get(self.API_BASE_URL + "token", timeout=self.timeout, params={
                "grant_type": "client_credential", "appid": self.appid, "secret": self.secret})
            res.raise_for_status()
            result = res.json()
            if result.get("errcode"):
                raise WeChatClientException(result["errcode"], result.get("errmsg"), client=self)
            self.storage.set(self.access_token_key, result["access_token"], result.get("expires_in", 7200))
            log.info("access token refreshed for %s", self.appid)
            return result
        finally:
            self.storage.unlock()


    def _wait_for_other_refresh(self) -> dict:
        """Another process holds the lock: poll for its token (bounded), else give up for now."""
        deadline = time.monotonic() + (self.timeout or 5)
        while time.monotonic() < deadline:
            time.sleep(0.05)
            token = self.storage.get(self.access_token_key)
            if token:
                return {"access_token": token}
        raise TokenUnavailable("another process is refreshing the access token")


def make_client(services) -> LinliWeChatClient:
    """The API client for this process, from settings.wechat."""
    wx = services.settings.wechat
    storage = DbTokenStorage(services.session_factory, wx.appid, services.clock)
    return LinliWeChatClient(wx.appid, wx.appsecret, storage, wx.api_base_url,
                             services.settings.outbox.send_timeout_s)
