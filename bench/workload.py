"""What the load generator says: realistic Chinese messages by kind, and how replies are classified."""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]

# Candidates per intended path; bench/run.py calibrates them against the live server first,
# because what the matcher answers depends on the knowledge base and thresholds of the day.
MENU_CANDIDATES = ["证明", "补贴", "老年卡怎么办", "低保怎么申请", "居住证怎么办理", "请问疫苗在哪里打",
                   "社区服务大厅几点开门", "社区电话是多少", "小区门口垃圾没人收", "残疾证怎么办理",
                   "身份证丢了怎么补办", "我家楼上漏水到我家了怎么办"]
HANDOFF_CANDIDATES = [
    "你好", "谢谢", "办证", "我家门口的下水道堵了，味道很大，麻烦派人来看看",
    "三号楼二单元楼道里堆满了纸箱，谁来管一下", "隔壁装修每天早上七点就开始打电钻，能不能协调一下",
    "我的快递放在驿站被人拿走了", "小区里有只流浪猫腿受伤了，有人能帮忙吗", "物业费为什么今年涨了",
    "能不能在我们楼下装几个健身器材", "我想给社区提个建议，晚上广场舞声音太大了", "10号楼东边的路灯不亮了",
    "我母亲腿脚不方便，想请网格员上门帮忙看看", "孩子上学的事情想找社区开个情况说明", "我们单元的门禁卡坏了",
]
STAFF_TEMPLATES = ["#{id} 您好，已联系物业今天下午上门处理，请保持电话畅通。", "待办",
                   "#{id} 您好，相关材料请带身份证原件到社区一楼窗口办理。"]
OPEN_ID_POOL = 5000


def faq_candidates(kb_path: Path | None = None) -> list[str]:
    """Every question and alternative question in the knowledge base (most should be answered)."""
    data = yaml.safe_load((kb_path or ROOT / "knowledge_base/default_faq.yaml").read_text(encoding="utf-8"))
    texts = []
    for faq in data.get("faqs", []):
        texts.append(faq["question"])
        texts.extend(faq.get("alt_questions") or [])
    return texts


def classify(reply: str | None, staff: bool = False) -> str:
    """The content kind of a decrypted passive reply."""
    if reply is None:
        return "success"
    if "系统刚才出了点小问题" in reply:
        return "apology"
    if "您的消息已收到，系统正在处理" in reply:
        return "spooled"
    if staff:
        return "staff"
    if reply.startswith("【紧急】"):
        return "urgent"
    if "您是不是想问" in reply:
        return "menu"
    if "已登记为工单#" in reply:
        return "handoff"
    if "加入工单#" in reply:
        return "followup"
    return "answer"


@dataclass
class Mix:
    """Weights of each message kind in a run, and the calibrated texts for each."""

    weights: dict[str, float]
    texts: dict[str, list[str]] = field(default_factory=dict)
    staff_ids: list[str] = field(default_factory=list)
    ticket_ids: list[int] = field(default_factory=list)

    @classmethod
    def parse(cls, spec: str) -> "Mix":
        """'answer=60,menu=15,handoff=15,staff=5,retry=5' -> Mix."""
        weights = {}
        for part in spec.split(","):
            name, _, value = part.partition("=")
            weights[name.strip()] = float(value)
        unknown = set(weights) - {"answer", "menu", "handoff", "staff", "retry"}
        if unknown:
            raise ValueError(f"unknown message kinds: {sorted(unknown)}")
        return cls(weights)

    def pick(self, rng: random.Random) -> str:
        kinds = [k for k, w in self.weights.items() if w > 0 and (k == "retry" or self._usable(k))]
        return rng.choices(kinds, [self.weights[k] for k in kinds])[0]

    def _usable(self, kind: str) -> bool:
        return bool(self.staff_ids) if kind == "staff" else bool(self.texts.get(kind))

    def message(self, kind: str, rng: random.Random, seq: int) -> tuple[str, str]:
        """(open_id, text) for a new message of `kind` (retries are handled by the client)."""
        if kind == "staff":
            tid = rng.choice(self.ticket_ids) if self.ticket_ids else 1
            return rng.choice(self.staff_ids), rng.choice(STAFF_TEMPLATES).format(id=tid)
        text = rng.choice(self.texts[kind])
        if kind == "handoff":  # a new resident each time: a repeat sender would be a follow-up instead
            return f"o_bench_new_{seq}_{rng.randrange(10**9)}", text
        return f"o_bench_{rng.randrange(OPEN_ID_POOL)}", text
