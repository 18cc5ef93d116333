"""Where an incident is: the whole community, a building, or a unit. A small parser for 号楼/栋/幢/单元."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_CN = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_NUM = r"(\d{1,3}|[一二两三四五六七八九十]{1,3})"
_BUILDING = re.compile(_NUM + r"\s*(?:号楼|号院楼|栋|幢|#楼|#)")
_UNIT = re.compile(_NUM + r"\s*单元")
_WHOLE = re.compile(r"全小区|全社区|整个小区|整个社区|小区所有|全部楼|各楼|所有楼")
# "3号" alone is also a date or a room: only accept bare 号 when a unit or 楼 context follows.
_BARE_HAO = re.compile(_NUM + r"\s*号(?!楼|院楼)")


@dataclass(frozen=True)
class Place:
    """building/unit as plain numbers in text ("5", "2"); both empty = the whole community."""

    building: str = ""
    unit: str = ""

    @property
    def whole(self) -> bool:
        return not self.building

    def label(self) -> str:
        """Chinese label residents and staff read: 全小区 / 5号楼 / 5号楼2单元."""
        if not self.building:
            return "全小区"
        return f"{self.building}号楼" + (f"{self.unit}单元" if self.unit else "")

    def covers(self, other: "Place") -> bool:
        """True when an incident here affects someone at `other` (unknown parts never conflict)."""
        if self.whole or not other.building:
            return True
        if self.building != other.building:
            return False
        return not self.unit or not other.unit or self.unit == other.unit


def number(token: str) -> str:
    """'５' / '5' / '五' / '十二' -> '5' / '12'."""
    token = unicodedata.normalize("NFKC", token)
    if token.isdigit():
        return str(int(token))
    if token == "十":
        return "10"
    if token.startswith("十"):
        return str(10 + _CN.get(token[1:], 0))
    if "十" in token:
        tens, _, ones = token.partition("十")
        return str(_CN.get(tens, 0) * 10 + _CN.get(ones, 0))
    return str(_CN.get(token, 0)) if token in _CN else ""


def parse_place(text: str) -> tuple[Place, bool]:
    """The place a message names and whether it named one ("全小区" counts as named)."""
    t = unicodedata.normalize("NFKC", text or "")
    if _WHOLE.search(t):
        return Place(), True
    unit_m = _UNIT.search(t)
    unit = number(unit_m.group(1)) if unit_m else ""
    b = _BUILDING.search(t)
    if b is None and unit_m is not None:  # "5号2单元": a bare 号 before a unit is a building
        b = _BARE_HAO.search(t[: unit_m.start()])
    building = number(b.group(1)) if b else ""
    if not building:
        return Place(), False
    return Place(building, unit), True


def from_resident(building: str, unit: str) -> Place:
    """A resident's registered address (free text such as '5栋' or '5') as a Place."""
    place, named = parse_place(f"{building}号楼" if building.isdigit() else building)
    unit_n = number(unit.replace("单元", "")) if unit else ""
    return Place(place.building, unit_n) if named else Place()
