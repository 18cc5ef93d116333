"""`linli serve` and `linli send`: run the desk, and talk to it as WeChat would."""
from __future__ import annotations

import logging

import click
import requests

from bot.commands.common import config_option, get_settings


@click.command()
@config_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--no-scheduler", is_flag=True, help="Do not run the scheduler in-process.")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, no_scheduler: bool) -> None:
    """Run the webhook, console and (by default) the scheduler in one process."""
    from bot.app import create_app
    from bot.production import refuse_demo_values
    from bot.services import build_services

    settings = get_settings(ctx)
    services = build_services(settings)
    refuse_demo_values(settings, services.session_factory)  # simulator off = production
    app = create_app(settings, services)
    _warm_up(services)
    scheduler = None
    if settings.scheduler.in_process and not no_scheduler:
        scheduler = _start_in_process_scheduler(services)
    base = f"http://{host}:{port}"
    click.echo(f"Linli is running: webhook {base}/wechat")
    if settings.web.simulator:
        click.echo(f"  simulator: {base}/simulator")
    click.echo(f"  console:   {base}/admin/")
    from bot.web import demo_logins

    for line in demo_logins(services):
        click.echo(f"  demo login: {line}")
    try:
        app.run(host=host, port=port, threaded=True, use_reloader=False)
    finally:
        if scheduler is not None:
            scheduler.shutdown(wait=False)


def _warm_up(services) -> None:
    """Build the FAQ matcher before listening: built on the first message it can outlast WeChat's 5 s."""
    from bot.db import transaction

    try:
        with transaction(services.session_factory) as session:
            services.matchers.current(session)
    except Exception:  # serve anyway: every message still reaches staff as a ticket, with the error logged
        logging.getLogger("linli").exception("FAQ matcher could not be built at start")


def _start_in_process_scheduler(services):
    from scheduler import build_scheduler

    sched = build_scheduler(services)
    sched.start()
    return sched


@click.command()
@config_option
@click.argument("text")
@click.option("--as", "open_id", default="o_demo_resident_1", show_default=True, help="Sender open_id.")
@click.option("--url", default="http://127.0.0.1:8000/wechat", show_default=True)
@click.option("--mode", type=click.Choice(["safe", "compat", "plain"]), default=None,
              help="Message mode (default: wechat.mode from the config, as the server expects).")
@click.pass_context
def send(ctx: click.Context, text: str, open_id: str, url: str, mode: str) -> None:
    """Send TEXT to a running server exactly as WeChat would, and print the reply."""
    from bot.wechat.simulate import WeChatServerSimulator, text_xml

    wx = get_settings(ctx).wechat
    sim = WeChatServerSimulator(wx.token, wx.aes_key, wx.appid, mode or wx.mode)
    req = sim.sign(text_xml(open_id, "gh_linli_demo", text))
    try:
        resp = requests.post(url, params=req.params, data=req.body.encode("utf-8"), timeout=10,
                             headers={"Content-Type": "text/xml; charset=utf-8"})
    except requests.RequestException as exc:
        raise click.ClickException(f"cannot reach {url}: {exc} (is `linli serve` running?)") from None
    if resp.status_code != 200:
        raise click.ClickException(f"server answered HTTP {resp.status_code}: {resp.text[:200]}")
    reply = sim.read_reply(resp.content, req)
    click.echo(reply if reply is not None else "(no reply: the server answered 'success')")
