"""The first login lands on a checklist, not an all-zero dashboard without a hint (issue 16)."""
from __future__ import annotations

import re


def test_a_new_desk_sees_what_to_do_first(console, admin):
    page = admin.get("/admin/dashboard/").get_data(as_text=True)
    assert 'id="first-steps"' in page
    for step in ("导入本社区的问答", "添加工作人员并绑定微信", "核对值班表", "在微信公众平台填写服务器地址"):
        assert step in page
    assert "/wechat" in page
    console.send("你好")  # WeChat reaches the desk: that step is done
    page = admin.get("/admin/dashboard/").get_data(as_text=True)
    assert re.search(r'class="done"><b>✓ 在微信公众平台填写服务器地址', page)
