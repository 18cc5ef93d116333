"""Console fixtures: the desk with an admin, a lead and a staff login."""
from __future__ import annotations

import pytest

from tests.web.helpers import add_user, login


@pytest.fixture
def console(desk):
    """The desk with logins: admin 'boss', lead 张伟, staff 王芳 (all with helpers.PASSWORD)."""
    add_user(desk, "boss", "admin")
    add_user(desk, "张伟", "lead")
    add_user(desk, "王芳", "staff")
    return desk


@pytest.fixture
def admin(console):
    return login(console, "boss")


@pytest.fixture
def staff_client(console):
    return login(console, "王芳")
