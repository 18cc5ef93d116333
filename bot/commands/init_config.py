"""The production config that `linli init` writes: fresh secrets, comments in Chinese and English."""
from __future__ import annotations

import secrets
import string
from dataclasses import dataclass
from datetime import date

ALPHANUM = string.ascii_letters + string.digits
# Written when --appid/--appsecret are not given; `linli doctor` reports them as not filled in.
APPID_PLACEHOLDER = "wx_fill_in_appid"
APPSECRET_PLACEHOLDER = "fill-in-appsecret"


def new_token() -> str:
    """A WeChat server Token: 32 letters and digits (WeChat allows 3-32)."""
    return "".join(secrets.choice(ALPHANUM) for _ in range(32))


def new_aes_key() -> str:
    """An EncodingAESKey: exactly 43 letters and digits, as WeChat's own generator makes."""
    return "".join(secrets.choice(ALPHANUM) for _ in range(43))


def new_secret_key() -> str:
    """The console's session signing key."""
    return secrets.token_hex(32)


@dataclass
class Answers:
    """What `linli init` was told (flags or prompts)."""

    name: str
    duty_phone: str
    timezone: str
    database: str
    appid: str = APPID_PLACEHOLDER
    appsecret: str = APPSECRET_PLACEHOLDER
    public_url: str = ""


@dataclass
class Secrets:
    token: str
    aes_key: str
    secret_key: str

    @classmethod
    def fresh(cls) -> "Secrets":
        return cls(new_token(), new_aes_key(), new_secret_key())


def _q(value: str) -> str:
    """A YAML double-quoted scalar (names and phone numbers may hold anything)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render(a: Answers, s: Secrets, wechat_mode_supported: bool, today: date, embedding_cache: bool = False,
           proxy_hops: bool = False) -> str:
    """The config file text (optional lines only for keys this version knows)."""
    hops = "  proxy_hops: 1                # 前面有一层 nginx / one reverse proxy (nginx) in front\n" if proxy_hops else ""
    secure = "false" if a.public_url.startswith("http://") else "true"
    cache = "  embedding_cache: var/embeddings.sqlite   # 问答语义向量缓存 / FAQ embedding cache (a data file)\n" \
        if embedding_cache else ""
    mode = "  mode: safe                     # 消息加解密方式：安全模式 / safe mode (encrypted)\n" \
        if wechat_mode_supported else ""
    return TEMPLATE.format(
        today=today.isoformat(), url=_q(a.database), token=s.token, aes_key=s.aes_key, appid=_q(a.appid),
        appsecret=_q(a.appsecret), mode=mode, secret_key=s.secret_key, secure=secure, name=_q(a.name),
        phone=_q(a.duty_phone), tz=_q(a.timezone), cache=cache, hops=hops,
    )


TEMPLATE = """\
# 邻里 Linli 生产配置 / production configuration — `linli init` {today}
# 本文件含密钥（权限 0600），请勿外传或提交到代码库。This file holds secrets (mode 0600): keep it private.
# 相对路径以本文件所在目录为准。Relative paths are read from this file's folder.
# 环境变量 LINLI_DATABASE_URL、LINLI_WECHAT_* 、LINLI_SECRET_KEY 会覆盖本文件中的同名项。
# Environment variables LINLI_DATABASE_URL, LINLI_WECHAT_*, LINLI_SECRET_KEY override this file.

database:
  # 数据库 / database. PostgreSQL: postgresql+psycopg://用户:密码@主机/库名 ; SQLite: sqlite:///var/linli.db
  url: {url}

wechat:
  # 以下两项填到公众号后台 → 设置与开发 → 基本配置 → 服务器配置 / paste into the WeChat admin page
  token: {token}
  aes_key: {aes_key}   # EncodingAESKey（43位）
  # 公众号后台 → 基本配置 → 开发者ID：AppID 和 AppSecret / the account's developer ID and secret
  appid: {appid}
  appsecret: {appsecret}
{mode}  api_base_url: https://api.weixin.qq.com/cgi-bin/

web:
  secret_key: {secret_key}   # 后台登录会话密钥 / console session key
  simulator: false           # 生产环境关闭模拟器 / no simulator in production
  secure_cookies: {secure}        # 后台经 https 访问时为 true / true when the console is served over https
{hops}
desk:
  name: {name}                 # 服务岗名称，出现在欢迎语中 / the desk's name (welcome message)
  duty_phone: {phone}          # 社区值班电话，出现在每条工单回复中 / duty phone shown to residents
  timezone: {tz}
  on_duty: []                  # 留空：值班人员来自排班表 / empty: the roster decides
  menu_ttl_minutes: 30

# 首次启动时载入空数据库的问答。builtin:sample = 软件自带的示例问答（仅供试用）；
# 正式上线前用 `linli faq import 本社区问答.xlsx --replace` 换成本社区的问答。null = 不载入。
# FAQ loaded into an empty database: builtin:sample (packaged sample), a file path, or null.
knowledge_base: builtin:sample

# 自动回答的阈值省略时使用软件内置的调优值（answer_threshold、margin 等，见 knowledge_base/settings.py）。
# Matcher thresholds: omitted keys take the values tuned on the development sets.
faq:
  max_suggestions: 3           # “您是不是想问”菜单最多几项 / menu options at most
{cache}
roster:
  anchor: "{today}"            # 轮班从这一天开始 / rotation starts on this day
  shift_change: "08:30"        # 每日交班时间 / daily shift change
  per_day: 2                   # 每天值班人数 / staff on duty per day
  min_rest_days: 1
  never_pair: []               # 不排在同一天的人，如 [[张三, 李四]] / people never paired
  holiday_overrides: {{}}        # 补充节假日，如 "2027-01-01": holiday / extra holidays

escalation:                    # 无人回复时的提醒和升级（分钟）/ escalation ladder (minutes), as in the demo config
  normal:
    - {{after_min: 15, action: remind_assignee}}
    - {{after_min: 30, action: reassign_other}}
    - {{after_min: 60, action: notify_lead, repeat_every_min: 60, repeat_times: 5}}
    - {{after_min: 240, action: remind_assignee, clock: resolution}}   # taken (接单) but not yet answered
  high:
    - {{after_min: 10, action: remind_assignee}}
    - {{after_min: 20, action: reassign_other}}
    - {{after_min: 30, action: notify_lead, repeat_every_min: 30, repeat_times: 5}}
    - {{after_min: 120, action: remind_assignee, clock: resolution}}
  # Urgent tickets are chased until someone takes (接单) or answers them: the duty pair every 5
  # minutes, the lead every 10 (never a lead who is the one being chased), then the whole staff list.
  urgent:
    - {{after_min: 0, action: notify_on_duty}}
    - {{after_min: 0, action: notify_lead}}
    - {{after_min: 5, action: notify_on_duty, repeat_every_min: 5, until_ack: true}}
    - {{after_min: 10, action: notify_lead, repeat_every_min: 10, until_ack: true}}
    - {{after_min: 30, action: notify_all_staff, repeat_every_min: 30, until_ack: true}}
    - {{after_min: 30, action: remind_assignee, clock: resolution, repeat_every_min: 30, until_ack: true}}
  low:
    - {{after_min: 60, action: remind_assignee}}
    - {{after_min: 240, action: notify_lead}}
  # Quiet hours: the listed priorities' ladders pause at night, staff notices about them are held and
  # arrive as one morning digest per person, and residents are told "明早8点后处理" (urgent never waits).
  quiet_hours: null                     # e.g. {{start: "22:00", end: "08:00", priorities: [normal, low]}}

outbox:
  transport: wechat            # 通过微信接口发送客服消息 / send through the WeChat API
  # template_id: ""            # 超过48小时窗口时使用的模板消息 / template after the 48-hour window
  # wecom_robot_url: ""        # 企业微信群机器人，通知值班人员 / WeCom group robot for staff notices

scheduler:
  in_process: true             # `linli serve` 同时运行调度；gunicorn 部署时改为 false 并单独运行 `linli scheduler`
"""
