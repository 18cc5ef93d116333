"""Typed, validated settings loaded from config.yaml with LINLI_* environment overrides."""
from __future__ import annotations

import os
from datetime import time
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from bot.incidents.settings import IncidentSettings
from bot.resources import ResourceError, find_config, resolve_file
from knowledge_base.settings import FaqSettings, RoutingSettings

DEFAULT_CONFIG = Path(__file__).resolve().parent.parent / "config.yaml"  # the checkout's demo config

# Environment variable -> dotted settings path. Secrets and the database URL only.
ENV_OVERRIDES = {
    "LINLI_DATABASE_URL": "database.url",
    "LINLI_WECHAT_TOKEN": "wechat.token",
    "LINLI_WECHAT_AES_KEY": "wechat.aes_key",
    "LINLI_WECHAT_APPID": "wechat.appid",
    "LINLI_WECHAT_APPSECRET": "wechat.appsecret",
    "LINLI_WECHAT_API_BASE_URL": "wechat.api_base_url",
    "LINLI_WECHAT_MODE": "wechat.mode",
    "LINLI_SECRET_KEY": "web.secret_key",
    "LINLI_REDIS_URL": "outbox.redis_url",
    "LINLI_WECOM_SECRET": "staff_channels.wecom_app.secret",
}


class ConfigError(Exception):
    """A configuration problem, reported as one line: 'FILE: key.path: reason'."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DatabaseSettings(_Strict):
    url: str = "sqlite:///var/linli.db"
    echo: bool = False
    pool_size: int = Field(default=5, ge=1)


class WeChatSettings(_Strict):
    token: str = Field(min_length=3, max_length=32)
    aes_key: str = ""
    appid: str = Field(min_length=1)
    appsecret: str = ""
    api_base_url: str = "https://api.weixin.qq.com/cgi-bin/"
    timestamp_window_s: int = Field(default=300, ge=1)
    max_body_bytes: int = Field(default=64 * 1024, ge=1024)
    # 消息加解密方式 as set on WeChat's admin page; only "plain" accepts unencrypted bodies.
    mode: Literal["plain", "compat", "safe"] = "safe"
    # A message is stored, or else spooled, within this many seconds (WeChat gives up after 5).
    store_deadline_s: float = Field(default=2.5, gt=0, le=4.5)

    @field_validator("aes_key")
    @classmethod
    def _aes_key_shape(cls, v: str) -> str:
        if v and len(v) != 43:
            raise ValueError("EncodingAESKey must be exactly 43 characters")
        return v

    @field_validator("api_base_url")
    @classmethod
    def _slash(cls, v: str) -> str:
        if not v.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL")
        return v if v.endswith("/") else v + "/"

    @model_validator(mode="after")
    def _mode_needs_key(self):
        if self.mode != "plain" and not self.aes_key:
            raise ValueError(f"mode {self.mode} needs an EncodingAESKey (wechat.aes_key)")
        return self


class StaffSettings(_Strict):
    name: str = Field(min_length=1)
    open_id: str | None = None
    phone: str = ""
    role: Literal["staff", "lead", "admin"] = "staff"
    no_holiday_duty: bool = False
    eligible: bool = True
    wecom_userid: str | None = None  # 企业微信 UserID for WeCom application messages


class DeskSettings(_Strict):
    name: str = "锦绣城社区24小时微服务奉献岗"
    duty_phone: str = "0371-67830000"
    timezone: str = "Asia/Shanghai"
    # Until the roster is in the database, today's duty pair can be fixed here.
    on_duty: list[str] = Field(default_factory=list)
    menu_ttl_minutes: int = Field(default=30, ge=1)


class RosterSettings(_Strict):
    anchor: str = "2026-01-01"
    shift_change: str = "08:30"
    per_day: int = Field(default=2, ge=1)
    min_rest_days: int = Field(default=1, ge=0)
    never_pair: list[list[str]] = Field(default_factory=list)
    holiday_overrides: dict[str, Literal["holiday", "makeup_workday", "workday"]] = Field(
        default_factory=dict
    )


class EscalationStep(_Strict):
    after_min: int = Field(ge=0)
    action: Literal["remind_assignee", "reassign_other", "notify_on_duty", "notify_lead", "notify_all_staff"]
    repeat_every_min: int | None = Field(default=None, ge=1)
    repeat_times: int = 0
    until_ack: bool = False  # repeat every repeat_every_min for as long as its clock runs (no repeat_times cap)
    # ack: stops at 接单 or an answer; resolution: keeps running after 接单, stops at an answer
    clock: Literal["ack", "resolution"] = "ack"


class QuietHours(_Strict):
    """Local hours in which escalations of the listed priorities wait (urgent never should)."""

    start: str = "22:00"
    end: str = "07:00"
    priorities: list[Literal["high", "normal", "low"]] = Field(default_factory=lambda: ["low"])
    # Staff notices about these priorities are held and arrive as one morning digest per person.
    hold_notices: bool = True


class EscalationSettings(_Strict):
    normal: list[EscalationStep] = Field(default_factory=list)
    high: list[EscalationStep] = Field(default_factory=list)
    urgent: list[EscalationStep] = Field(default_factory=list)
    low: list[EscalationStep] = Field(default_factory=list)
    quiet_hours: QuietHours | None = None  # none: escalate around the clock


class OutboxSettings(_Strict):
    transport: Literal["wechat", "local"] = "local"
    wecom_robot_url: str | None = None
    template_id: str | None = None
    max_attempts: int = Field(default=8, ge=1)
    backoff_base_s: float = Field(default=2.0, gt=0)
    redis_url: str | None = None
    send_timeout_s: float = Field(default=5.0, gt=0)  # one HTTP call to the WeChat API / WeCom robot
    claim_seconds: int = Field(default=60, ge=5)  # a claimed row is re-sent after this if its dispatcher died
    backoff_max_s: float = Field(default=3600.0, gt=0)
    per_recipient: int = Field(default=3, ge=1)  # rows one recipient may have in one dispatch round

    @model_validator(mode="before")
    @classmethod
    def _retired_keys(cls, data):
        """Older configs set dispatch_interval_s, which nothing read (scheduler.tick_seconds paces dispatch)."""
        if isinstance(data, dict) and "dispatch_interval_s" in data:
            data = {k: v for k, v in data.items() if k != "dispatch_interval_s"}
        return data


class WeComAppSettings(_Strict):
    """企业微信 application (自建应用) that sends staff notices; secret from LINLI_WECOM_SECRET."""

    corp_id: str = Field(min_length=1)
    secret: str = ""
    agent_id: int
    api_base_url: str = "https://qyapi.weixin.qq.com/cgi-bin/"

    @field_validator("api_base_url")
    @classmethod
    def _slash(cls, v: str) -> str:
        if not v.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL")
        return v if v.endswith("/") else v + "/"


StaffChannel = Literal["wecom_app", "wecom_robot", "template", "customer_service"]


class StaffChannelSettings(_Strict):
    """How staff are reached, tried in order; channels that are not configured are skipped."""

    order: list[StaffChannel] = Field(
        default_factory=lambda: ["wecom_app", "wecom_robot", "template", "customer_service"], min_length=1)
    wecom_app: WeComAppSettings | None = None
    robot_url: str | None = None  # WeCom group robot of the duty group (default: outbox.wecom_robot_url)
    template_id: str | None = None  # OA template for staff notices (default: outbox.template_id)


class WebSettings(_Strict):
    secret_key: str = Field(min_length=16)
    simulator: bool = False
    secure_cookies: bool = True
    # Console sessions live on the server (revoked at logout and on a password change).
    session_idle_minutes: int = Field(default=120, ge=1)
    session_max_hours: int = Field(default=12, ge=1)
    # Reverse proxies in front (nginx: 1): their X-Forwarded-For names the client for login throttling.
    proxy_hops: int = Field(default=0, ge=0, le=5)


class LimitsSettings(_Strict):
    """Abuse limits: bind codes, console logins (backoff, never a hard lock), resident floods."""

    bind_attempts_per_sender: int = Field(default=5, ge=1)  # per open_id per bind window
    bind_failures_global: int = Field(default=20, ge=1)  # then every outstanding code is void
    bind_window_minutes: int = Field(default=60, ge=1)
    login_free_failures_name: int = Field(default=5, ge=1)  # per login name, then backoff
    login_free_failures_address: int = Field(default=20, ge=1)  # per client address, then backoff
    login_backoff_max_s_name: int = Field(default=60, ge=1)  # a name is never locked for longer
    login_backoff_max_s_address: int = Field(default=900, ge=1)
    login_reset_minutes: int = Field(default=30, ge=1)  # failures are forgotten after this quiet time
    resident_messages: int = Field(default=6, ge=1)  # per window; later follow-ups are coalesced
    resident_window_minutes: int = Field(default=10, ge=1)
    resident_tickets: int = Field(default=3, ge=1)  # new tickets per resident per ticket window
    resident_ticket_window_minutes: int = Field(default=60, ge=1)


class PrivacySettings(_Strict):
    """Retention per kind of data, in days (see docs/PRIVACY.md); tickets stay, anonymised."""

    message_texts_days: int = Field(default=180, ge=1)
    locations_days: int = Field(default=30, ge=1)
    outbox_days: int = Field(default=30, ge=1)
    errors_days: int = Field(default=30, ge=1)
    ticket_residents_days: int = Field(default=180, ge=1)  # finished tickets lose who asked and details
    resident_profiles_days: int = Field(default=365, ge=1)  # since the resident's last message
    purge_at: str = "03:30"  # local time of the daily sweep

    @field_validator("purge_at")
    @classmethod
    def _clock_time(cls, v: str) -> str:
        try:
            time.fromisoformat(v)
        except ValueError:
            raise ValueError("must be a time like 03:30") from None
        return v


class SchedulerSettings(_Strict):
    in_process: bool = True
    lease_seconds: int = Field(default=20, ge=5)
    tick_seconds: float = Field(default=5.0, gt=0)
    sweep_seconds: float = Field(default=60.0, gt=0)  # escalation / handover / report sweeps


class Settings(_Strict):
    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    wechat: WeChatSettings
    desk: DeskSettings = Field(default_factory=DeskSettings)
    staff: list[StaffSettings] = Field(default_factory=list)
    roster: RosterSettings = Field(default_factory=RosterSettings)
    escalation: EscalationSettings = Field(default_factory=EscalationSettings)
    outbox: OutboxSettings = Field(default_factory=OutboxSettings)
    web: WebSettings
    scheduler: SchedulerSettings = Field(default_factory=SchedulerSettings)
    limits: LimitsSettings = Field(default_factory=LimitsSettings)
    privacy: PrivacySettings = Field(default_factory=PrivacySettings)
    staff_channels: StaffChannelSettings = Field(default_factory=StaffChannelSettings)
    incidents: IncidentSettings = Field(default_factory=IncidentSettings)  # issue 15
    faq: FaqSettings = Field(default_factory=FaqSettings)  # matcher thresholds and files
    routing: RoutingSettings = Field(default_factory=RoutingSettings)  # defaults: routing_default.yaml
    # FAQ seeded into an empty database: builtin:sample (packaged), a file, or null (seed nothing).
    knowledge_base: str | None = "builtin:sample"
    source: str = Field(default="<memory>", exclude=True)

    @field_validator("faq", "routing", mode="before")
    @classmethod
    def _mapping(cls, v):
        if not isinstance(v, (dict, BaseModel)):  # e.g. `faq:` left empty (null)
            raise ValueError("Input should be a valid dictionary")
        return v

    def staff_by_open_id(self, open_id: str) -> StaffSettings | None:
        """Registered staff member for an open_id from config, if any."""
        return next((s for s in self.staff if s.open_id == open_id), None)


def _set_path(data: dict, dotted: str, value: str) -> None:
    node = data
    *parents, leaf = dotted.split(".")
    for key in parents:
        node = node.setdefault(key, {})
        if not isinstance(node, dict):
            raise ConfigError(f"{dotted}: cannot override, parent is not a mapping")
    node[leaf] = value


def _format_error(source: str, exc: ValidationError) -> str:
    err = exc.errors()[0]
    path = ".".join(str(p) for p in err["loc"]) or "(root)"
    msg = err["msg"].removeprefix("Value error, ")
    extra = f" (and {len(exc.errors()) - 1} more)" if len(exc.errors()) > 1 else ""
    return f"{source}: {path}: {msg}{extra}"


def settings_from_dict(data: dict, source: str = "<memory>", env: dict | None = None,
                       base: Path | None = None) -> Settings:
    """Validate a config mapping, applying LINLI_* overrides from env; files resolve against base."""
    data = dict(data or {})
    env = os.environ if env is None else env
    for var, dotted in ENV_OVERRIDES.items():
        if env.get(var):
            _set_path(data, dotted, env[var])
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_format_error(source, exc)) from None
    settings.source = source
    try:
        return _resolve_paths(settings, base or Path.cwd())
    except ResourceError as exc:
        raise ConfigError(str(exc)) from None


def load_settings(path: str | os.PathLike | None = None, env: dict | None = None) -> Settings:
    """Load and validate a YAML config file: --config, $LINLI_CONFIG, ./config.yaml, /etc/linli/config.yaml."""
    try:
        path = find_config(path)
    except ResourceError as exc:
        raise ConfigError(str(exc)) from None
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        raise ConfigError(f"{path}:{where}: invalid YAML: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: top level must be a mapping")
    return settings_from_dict(data, str(path), env, base=path.parent)


def _resolve_paths(settings: Settings, base: Path) -> Settings:
    """Relative SQLite and file paths are read from the config file's folder; builtin:NAME from the package."""
    url = settings.database.url
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////") and ":memory:" not in url:
        settings.database.url = "sqlite:///" + str((base / url[len("sqlite:///"):]).resolve())
    if settings.knowledge_base:
        settings.knowledge_base = resolve_file("knowledge_base", settings.knowledge_base, base, settings.source)
    faq = settings.faq
    if faq.model_file:
        faq.model_file = resolve_file("faq.model_file", faq.model_file, base, settings.source)
    cache = faq.embedding_cache
    if cache and not Path(cache).expanduser().is_absolute():  # a data file Linli writes: beside the config
        faq.embedding_cache = str((base / cache).resolve())
    return settings
