"""The built wheel in a fresh virtual environment, in an empty folder: `linli init`, `linli db upgrade`,
`linli serve` answer a signed safe-mode message with the packaged sample FAQ — no file copied by hand."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
import yaml

from bot.wechat.simulate import WeChatServerSimulator, text_xml
from tests.support.fakes.fake_wechat import FakeWeChat
from tests.packaging.wheelhouse import wheelhouse


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh venv (no system site-packages) with Linli installed from its wheel, offline."""
    base = tmp_path_factory.mktemp("wheel")
    linli = wheelhouse(base / "wheels", base / "scratch")
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    subprocess.run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "-q",
                    "--no-index", "--find-links", str(base / "wheels"), str(linli)],
                   check=True, timeout=600, capture_output=True)
    return venv / "bin"


def clean_env(**extra) -> dict:
    """No LINLI_* settings, no path into the checkout: the installed package stands alone."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LINLI_", "PYTHON", "PYTEST"))}
    return {**env, **extra}


def run(bin_dir: Path, cwd: Path, *args: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run([str(bin_dir / "linli"), *args], cwd=cwd, env=clean_env(**env), text=True,
                          capture_output=True, timeout=180)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url: str, proc: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stdout.read()
        try:
            if requests.get(url, timeout=1).status_code == 200:
                return
        except requests.RequestException:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer within {seconds} s")


def test_the_package_comes_from_site_packages_not_the_checkout(installed, tmp_path):
    out = subprocess.run([str(installed / "python"), "-c", "import bot, knowledge_base; print(bot.__file__)"],
                         cwd=tmp_path, env=clean_env(), text=True, capture_output=True, check=True)
    assert "site-packages" in out.stdout and str(Path(__file__).parents[2]) not in out.stdout


def test_init_upgrade_serve_answers_from_the_sample_faq(installed, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    made = run(installed, empty, "init", "site", "--name", "测试社区24小时微服务岗", "--duty-phone", "0371-12345678",
               "--appid", "wxpackagetest01", "--appsecret", "packaged-secret")
    assert made.returncode == 0, made.stderr
    site = empty / "site"
    assert "安全模式" in made.stdout and "EncodingAESKey" in made.stdout
    upgraded = run(installed, site, "db", "upgrade")  # ./config.yaml found without --config
    assert upgraded.returncode == 0, upgraded.stderr
    cfg = yaml.safe_load((site / "config.yaml").read_text(encoding="utf-8"))
    fake, port = FakeWeChat().start(), free_port()
    proc = subprocess.Popen([str(installed / "linli"), "serve", "--port", str(port)], cwd=site, text=True,
                            env=clean_env(LINLI_WECHAT_API_BASE_URL=fake.base_url),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        wait_ready(f"http://127.0.0.1:{port}/healthz", proc)
        reply = send_safe(port, cfg["wechat"], "社区服务大厅几点开门")
        doctor = run(installed, site, "doctor", "--url", f"http://127.0.0.1:{port}/wechat",
                     LINLI_WECHAT_API_BASE_URL=fake.base_url)
    finally:
        proc.terminate()
        log = proc.communicate(timeout=30)[0]
        fake.stop()
    assert reply is not None and "8:30" in reply, (reply, log[log.find("Traceback"):][:4000] or log[-3000:])
    assert sorted(p.name for p in site.iterdir()) == ["config.yaml", "var"]  # nothing copied beside it
    for line in ("[正常] 配置", "[正常] 数据库", "[正常] 公网地址", "[正常] 微信接口", "[正常] 调度程序"):
        assert line in doctor.stdout, doctor.stdout + doctor.stderr


def send_safe(port: int, wx: dict, text: str) -> str | None:
    """POST one encrypted (safe mode) text message signed with the generated token and key."""
    sim = WeChatServerSimulator(wx["token"], wx["aes_key"], wx["appid"], "safe")
    req = sim.sign(text_xml("o_wheel_resident", "gh_wheel", text, 424242, int(time.time())))
    resp = requests.post(f"http://127.0.0.1:{port}/wechat", params=req.params, data=req.body.encode("utf-8"),
                         headers={"Content-Type": "text/xml; charset=utf-8"}, timeout=30)
    assert resp.status_code == 200, resp.text
    return sim.read_reply(resp.content, req)


def test_a_missing_config_names_the_search_order(installed, tmp_path):
    out = run(installed, tmp_path, "db", "upgrade")
    assert out.returncode != 0 and "Traceback" not in out.stderr
    assert "--config, $LINLI_CONFIG, ./config.yaml, /etc/linli/config.yaml" in out.stderr
