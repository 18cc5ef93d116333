"""Login throttling (issue 12, finding 10): backoff by name and by address, never a hard lock,
one answer that reveals nothing, atomic counters, and no transaction held while argon2 runs."""
from __future__ import annotations

import threading

from bot.web import login as login_module
from tests.web.helpers import PASSWORD, csrf


def _try(client, name: str, password: str, address: str = "10.0.0.1"):
    env = {"REMOTE_ADDR": address}
    token = csrf(client)
    return client.post("/admin/login", data={"name": name, "password": password, "csrf_token": token},
                       environ_base=env)


def test_bad_passwords_slow_a_name_down_but_never_lock_it(console):
    free = console.settings.limits.login_free_failures_name
    client = console.app.test_client()
    for _ in range(free):
        assert _try(client, "boss", "wrong-password").status_code == 401
    assert _try(client, "boss", PASSWORD).status_code == 401  # right password, but too soon
    console.clock.advance(seconds=2)
    assert _try(client, "boss", PASSWORD).status_code == 302  # seconds later, not 15 minutes


def test_the_wait_doubles_and_is_capped(console):
    limits = console.settings.limits
    client = console.app.test_client()
    for _ in range(limits.login_free_failures_name + 12):  # far past the cap if it doubled forever
        _try(client, "boss", "wrong-password")
        console.clock.advance(seconds=limits.login_backoff_max_s_name + 1)
    assert _try(client, "boss", PASSWORD).status_code == 302


def test_unknown_and_known_names_answer_alike(console):
    free = console.settings.limits.login_free_failures_name
    client = console.app.test_client()
    seen = {}
    for name in ("boss", "nobody-at-all"):
        answers = [_try(client, name, "wrong-password", address=f"10.1.{len(seen)}.1") for _ in range(free + 2)]
        seen[name] = [(r.status_code, r.get_data(as_text=True).count("登录未成功")) for r in answers]
    assert seen["boss"] == seen["nobody-at-all"]


def test_failures_are_forgotten_after_a_quiet_while(console):
    limits = console.settings.limits
    client = console.app.test_client()
    for _ in range(limits.login_free_failures_name - 1):
        _try(client, "boss", "wrong-password")
    console.clock.advance(minutes=limits.login_reset_minutes + 1)
    for _ in range(limits.login_free_failures_name - 1):
        _try(client, "boss", "wrong-password")
    assert _try(client, "boss", PASSWORD).status_code == 302


def test_one_address_guessing_many_names_is_slowed_down(console):
    free = console.settings.limits.login_free_failures_address
    client = console.app.test_client()
    for i in range(free):
        _try(client, f"guess-{i}", "wrong-password", address="203.0.113.9")
    assert _try(client, "boss", PASSWORD, address="203.0.113.9").status_code == 401
    assert _try(client, "boss", PASSWORD, address="198.51.100.7").status_code == 302  # others unaffected


def test_concurrent_guesses_check_no_more_passwords_than_allowed(console, monkeypatch):
    """Fifteen guesses at once: the counter is taken before hashing, so only `free` hashes run."""
    free = console.settings.limits.login_free_failures_name
    checked, real = [], login_module.verify_password

    def slow_verify(stored, password):
        checked.append(password)
        threading.Event().wait(0.05)  # widen the window a read-then-write counter would lose in
        return real(stored, password)

    monkeypatch.setattr(login_module, "verify_password", slow_verify)
    clients = [console.app.test_client() for _ in range(15)]
    tokens = [csrf(c) for c in clients]
    start, codes = threading.Barrier(15), []

    def guess(client, token, i):
        start.wait()
        codes.append(client.post("/admin/login", data={"name": "boss", "password": f"guess-{i}", "csrf_token": token},
                                 environ_base={"REMOTE_ADDR": f"10.9.0.{i}"}).status_code)

    threads = [threading.Thread(target=guess, args=(c, t, i)) for i, (c, t) in enumerate(zip(clients, tokens))]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert codes == [401] * 15 and len(checked) == free


def test_no_database_connection_is_held_while_the_password_is_hashed(console, monkeypatch):
    """argon2 takes tens of milliseconds: doing it inside a write transaction stalled the webhook."""
    held, real = [], login_module.verify_password
    pool = console.services.engine.pool

    def watching(stored, password):
        held.append(pool.checkedout())
        return real(stored, password)

    monkeypatch.setattr(login_module, "verify_password", watching)
    client = console.app.test_client()
    assert _try(client, "boss", "wrong-password").status_code == 401
    assert _try(client, "boss", PASSWORD).status_code == 302
    assert held == [0, 0]
