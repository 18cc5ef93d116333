"""Production refuses the demo's public secrets and the demo password (simulator off = production)."""
from __future__ import annotations

from sqlalchemy import select

from bot.config import ConfigError, Settings
from bot.db import transaction
from bot.db.models import Staff
from bot.web.passwords import verify_password

# The values shipped in config.yaml (marked DEMO there): public, so never a production secret.
DEMO_SECRETS = {
    "wechat.token": {"linli-demo-token"},
    "wechat.aes_key": {"9uK9bbqNgo9RT2wU7Ih32peQePs35nizCLdIcPXKuKQ"},
    "wechat.appsecret": {"demo-app-secret"},
    "web.secret_key": {"44f47e06d5644858922404fbd5b4e70c39eea69888fe3855"},
}
DEMO_PASSWORD = "linli-demo"
ENV_HINT = {"wechat.token": "LINLI_WECHAT_TOKEN", "wechat.aes_key": "LINLI_WECHAT_AES_KEY",
            "wechat.appsecret": "LINLI_WECHAT_APPSECRET", "web.secret_key": "LINLI_SECRET_KEY"}


def demo_secret_in_use(settings: Settings) -> str | None:
    """The first setting that still holds a DEMO value, as 'section.key', or None."""
    for dotted, demo in DEMO_SECRETS.items():
        section, key = dotted.split(".")
        if getattr(getattr(settings, section), key) in demo:
            return dotted
    return None


def accounts_with_demo_password(session_factory) -> list[str]:
    """Active console accounts whose password is still the demo one."""
    with transaction(session_factory) as session:
        rows = session.execute(select(Staff.name, Staff.password_hash).where(
            Staff.active.is_(True), Staff.password_hash.is_not(None))).all()
    return [name for name, hashed in rows if hashed and verify_password(hashed, DEMO_PASSWORD)]


def refuse_demo_values(settings: Settings, session_factory=None) -> None:
    """Raise ConfigError (one line) when a production start would run on demo secrets or logins."""
    if settings.web.simulator:
        return  # the demo: its values are meant to be public
    dotted = demo_secret_in_use(settings)
    if dotted:
        raise ConfigError(f"{settings.source}: {dotted}: still the public DEMO value; set {ENV_HINT[dotted]} "
                          f"(web.simulator is false, so this is production)")
    names = accounts_with_demo_password(session_factory) if session_factory is not None else []
    if names:
        raise ConfigError(f"console account {names[0]} still has the demo password; "
                          f"run `linli user passwd {names[0]}` (web.simulator is false, so this is production)")
