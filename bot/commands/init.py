"""`linli init DIR`: a production config with fresh secrets, and what to paste into WeChat."""
from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click


from bot.commands.init_config import APPID_PLACEHOLDER, APPSECRET_PLACEHOLDER, Answers, Secrets, render


@click.command("init")
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--name", help="服务岗名称 / the desk's name, e.g. 锦绣城社区24小时微服务奉献岗")
@click.option("--duty-phone", help="社区值班电话 / the duty phone residents may call")
@click.option("--timezone", default="Asia/Shanghai", show_default=True)
@click.option("--database", default="sqlite:///var/linli.db", show_default=True,
              help="Database URL, e.g. postgresql+psycopg://linli:PASS@127.0.0.1/linli")
@click.option("--appid", default=None, help="公众号 AppID (can be filled in later)")
@click.option("--appsecret", default=None, help="公众号 AppSecret (or LINLI_WECHAT_APPSECRET later)")
@click.option("--public-url", default="", help="The address WeChat will call, e.g. https://linli.example.cn")
@click.option("--force", is_flag=True, help="Overwrite an existing config.yaml (new secrets!).")
def init(directory: str, name, duty_phone, timezone, database, appid, appsecret, public_url, force) -> None:
    """Write DIR/config.yaml for a new community (secrets generated) and print the next steps."""
    answers = Answers(
        name=_value(name, "服务岗名称（如 锦绣城社区24小时微服务奉献岗）", "--name"),
        duty_phone=_value(duty_phone, "社区值班电话（居民在回复中看到）", "--duty-phone"),
        timezone=_timezone(timezone), database=_database(database),
        appid=appid or APPID_PLACEHOLDER, appsecret=appsecret or APPSECRET_PLACEHOLDER,
        public_url=public_url.rstrip("/"),
    )
    target = Path(directory).expanduser().resolve() / "config.yaml"
    secrets_ = Secrets.fresh()
    _write(target, render(answers, secrets_, _mode_supported(), date.today(), _has_embedding_cache(),
                          _has_field("web", "proxy_hops")), force)
    (target.parent / "var").mkdir(exist_ok=True)
    click.echo(instructions(target, answers, secrets_))


def _value(given: str | None, prompt: str, flag: str) -> str:
    """A flag's value, else a prompt on a terminal, else a one-line refusal naming the flag."""
    if given and given.strip():
        return given.strip()
    if _interactive():
        return click.prompt(prompt).strip()
    raise click.UsageError(f"请用 {flag} 给出{prompt.split('（')[0]} / {flag} is required when not on a terminal")


def _interactive() -> bool:
    return sys.stdin.isatty()


def _timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise click.BadParameter(f"未知时区 {value!r}（例如 Asia/Shanghai）", param_hint="--timezone") from None
    return value


def _database(url: str) -> str:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError:
        raise click.BadParameter(f"无法识别的数据库地址 {url!r}", param_hint="--database") from None
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise click.BadParameter("只支持 PostgreSQL 或 SQLite", param_hint="--database")
    return url


def _mode_supported() -> bool:
    """Whether this version's config knows `wechat.mode` (safe / compat / plain)."""
    from bot.config import WeChatSettings

    return "mode" in WeChatSettings.model_fields


def _has_field(section: str, key: str) -> bool:
    """Whether this version's config knows `section.key`."""
    from bot.config import Settings

    model = Settings.model_fields[section].annotation
    return key in getattr(model, "model_fields", {})


def _has_embedding_cache() -> bool:
    """Whether the matcher keeps an on-disk embedding cache (then it lives in var/, never site-packages)."""
    from knowledge_base.settings import FaqSettings

    return "embedding_cache" in FaqSettings.model_fields


def _write(target: Path, text: str, force: bool) -> None:
    """Create the file with mode 0600 from the start, so the secrets are never world-readable."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists() and not force:
        raise click.ClickException(f"{target} 已存在，未做任何修改（重新生成密钥请加 --force，"
                                   f"之后须把新的 Token 和 EncodingAESKey 重新填到公众号后台）")
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(target, flags, 0o600)
    os.fchmod(fd, 0o600)  # an existing file (with --force) keeps no looser mode
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)


def instructions(target: Path, a: Answers, s: Secrets) -> str:
    """What the IT helper does next, in Chinese: the WeChat admin page first, then commands."""
    base = a.public_url or "https://你的域名"
    lines = [
        f"已生成配置文件：{target}（权限 0600，内含密钥，请妥善保管）",
        "",
        "一、登录微信公众平台 mp.weixin.qq.com → 设置与开发 → 基本配置 → 服务器配置 → 修改配置，逐项填写：",
        f"    URL：            {base}/wechat",
        f"    Token：          {s.token}",
        f"    EncodingAESKey： {s.aes_key}",
        "    消息加解密方式：  安全模式（推荐）",
        "  先不要点“提交”：微信会立即访问上面的 URL 验证，须等第三步服务启动、域名可以访问后再提交，然后点“启用”。",
    ]
    if a.appid == APPID_PLACEHOLDER or a.appsecret == APPSECRET_PLACEHOLDER:
        lines.append("  同一页面“开发者ID”处的 AppID 和 AppSecret，请填入配置文件 wechat.appid 和 wechat.appsecret。")
    lines += [
        "  同一页面的“IP白名单”中加入本服务器的公网出口IP，否则无法给居民和值班人员推送消息。",
        "",
        "二、接着依次运行（在配置文件所在目录运行时会自动使用 ./config.yaml）：",
        f"    cd {target.parent}",
        "    linli db upgrade                                # 建立数据库",
        "    linli staff import 工作人员.xlsx                  # 导入工作人员（姓名、手机、角色、节假日不排班）",
        "    linli faq template 问答模板.xlsx                  # 生成空白问答模板，填好后：",
        "    linli faq import 问答模板.xlsx --replace          # 换成本社区的问答",
        "    linli user add 管理员姓名 --role admin            # 后台登录账号",
        "    linli roster show --days 14                     # 核对排班",
        "",
        "三、启动并检查：",
        "    linli serve --host 127.0.0.1 --port 8000        # 由 nginx 以 https 转发到此端口",
        f"    linli doctor --url {base}/wechat",
        "",
        "详细步骤见 docs/上线指南.md。",
    ]
    return "\n".join(lines)
