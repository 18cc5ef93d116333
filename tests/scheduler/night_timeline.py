"""Print the timeline of every staff notice for an urgent message at 03:00 that nobody touches.

    .venv/bin/python -m tests.scheduler.night_timeline [--minutes 120] [--first-line]

Runs the real code on a fresh SQLite database in a temporary folder, with the staff channels on
fake WeCom and WeChat servers on 127.0.0.1 (all channels working), and the demo staff and roster.
"""
from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from tests.support.fakes.fake_wechat import FakeWeChat
from tests.support.fakes.fake_wecom import FakeWeCom
from tests.scheduler.chain_support import chain_desk
from tests.scheduler.helpers import local
from tests.scheduler.timeline import report, timeline, walk


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=int, default=120)
    parser.add_argument("--first-line", action="store_true", help="each notice's first line only")
    args = parser.parse_args()
    oa, wecom = FakeWeChat().start(), FakeWeCom().start()
    with tempfile.TemporaryDirectory() as tmp:
        desk = chain_desk(f"sqlite:///{Path(tmp) / 'linli.db'}", oa, wecom)
        try:
            walk(desk, local(2026, 12, 1, 8, 30), [0], twice=False)  # the day's handover and report are done
            start = local(2026, 12, 2, 3, 0)
            tid = report(desk, "楼道里有很浓的煤气味，邻居家敲门没人应", start, priority="urgent", category="urgent")
            walk(desk, start, range(0, args.minutes + 1))
            print(f"urgent ticket #{tid} at 2026-12-02 03:00 (Asia/Shanghai), nobody acknowledges it; "
                  f"time  person  channel  text")
            print("\n".join(timeline(desk, start, args.first_line)))
            print("resident:", " | ".join(oa.texts(to="o_resident_1")))
        finally:
            desk.close()
            oa.stop()
            wecom.stop()


if __name__ == "__main__":
    main()
