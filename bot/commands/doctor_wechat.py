"""`linli doctor` checks that talk to WeChat: the public URL's signed GET and the API credentials."""
from __future__ import annotations

import hashlib
import re
import secrets

import requests

from bot.commands.doctor_checks import PLACEHOLDERS, Result
from bot.wechat.api import refuse_real_network_in_tests

TIMEOUT_S = 10
API_ERRORS = {
    40164: "本服务器的出口IP{ip}不在公众号的IP白名单中：公众号后台 → 设置与开发 → 基本配置 → IP白名单，添加该IP后几分钟生效",
    40125: "AppSecret 不正确：公众号后台 → 基本配置 → 开发者密码(AppSecret) 重置后，填入 wechat.appsecret（或环境变量 LINLI_WECHAT_APPSECRET）",
    40013: "AppID 不正确：请核对公众号后台 → 基本配置 → 开发者ID(AppID) 与 wechat.appid",
    40243: "AppSecret 已被冻结：请在公众号后台解冻或重置 AppSecret",
    41004: "缺少 AppSecret：请填写 wechat.appsecret（或环境变量 LINLI_WECHAT_APPSECRET）",
}


def signed_get_params(token: str, now: int) -> dict:
    """The query WeChat sends when it checks a server URL: signature over sorted token/timestamp/nonce."""
    timestamp, nonce = str(now), str(secrets.randbelow(10**9))
    signature = hashlib.sha1("".join(sorted([token, timestamp, nonce])).encode()).hexdigest()
    return {"signature": signature, "timestamp": timestamp, "nonce": nonce, "echostr": secrets.token_hex(8)}


def check_url(url: str | None, token: str, now: int) -> Result:
    """The public URL answers WeChat's signed GET by echoing echostr (as WeChat checks on 提交)."""
    if not url:
        return Result("skip", "公网地址", "未检查（加 --url https://你的域名/wechat 检查微信能否访问）")
    params = signed_get_params(token, now)
    try:
        refuse_real_network_in_tests(url)
        resp = requests.get(url, params=params, timeout=TIMEOUT_S)
    except requests.RequestException as exc:
        return Result("fail", "公网地址", f"无法访问 {url}（{type(exc).__name__}）：请检查域名解析、nginx、防火墙，以及 linli serve 是否在运行")
    if resp.status_code == 403:
        return Result("fail", "公网地址", f"{url} 拒绝了签名：服务器运行的配置与本配置的 Token 不一致，或服务器时间不准")
    if resp.status_code != 200 or resp.text.strip() != params["echostr"]:
        hint = "路径应为 /wechat" if resp.status_code == 404 else "该地址可能不是邻里的服务"
        return Result("fail", "公网地址", f"{url} 回应 HTTP {resp.status_code}，没有回显 echostr：{hint}")
    return Result("ok", "公网地址", f"{url} 通过了微信的签名验证（与公众号后台“提交”时的检查相同）")


def check_api(settings, store=None) -> Result:
    """Fetch an access token with the configured AppID/AppSecret; `store(token, ttl)` keeps it."""
    wx = settings.wechat
    if settings.outbox.transport == "local":
        return Result("warn", "微信接口", "outbox.transport 为 local：消息只留在本机，不会发给居民和值班人员（生产请设为 wechat）")
    if wx.appid == PLACEHOLDERS["wechat.appid"] or wx.appsecret in ("", PLACEHOLDERS["wechat.appsecret"]):
        return Result("fail", "微信接口", "未检查：wechat.appid / wechat.appsecret 尚未填写")
    url = wx.api_base_url + "token"
    try:
        refuse_real_network_in_tests(url)
        resp = requests.get(url, params={"grant_type": "client_credential", "appid": wx.appid, "secret": wx.appsecret},
                            timeout=TIMEOUT_S)
        data = resp.json()
    except (requests.RequestException, ValueError) as exc:
        return Result("fail", "微信接口", f"无法连接 {wx.api_base_url}（{type(exc).__name__}）：请检查本机能否访问外网")
    if data.get("access_token"):
        if store is not None:
            store(data["access_token"], int(data.get("expires_in") or 7200))
        return Result("ok", "微信接口", f"AppID {wx.appid} 可以获取 access_token，能给居民和值班人员推送消息")
    return Result("fail", "微信接口", explain(data))


def explain(data: dict) -> str:
    """A WeChat errcode in words an IT helper can act on."""
    code, message = data.get("errcode"), str(data.get("errmsg", ""))
    if code in API_ERRORS:
        ip = re.search(r"invalid ip ([0-9a-fA-F.:]+)", message)
        return f"错误 {code}：" + API_ERRORS[code].format(ip=f"（{ip.group(1)}）" if ip else "")
    return f"微信接口返回错误 {code}：{message}"
