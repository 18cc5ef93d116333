"""Generate a realistic large synthetic FAQ knowledge base (default 5,000 entries) for benchmarks.

Entries are built from templates x topics x places x audiences, so questions vary in wording
and vocabulary rather than being copies:  python bench/make_large_kb.py --n 5000 --out var/kb5000.yaml
"""
from __future__ import annotations

import random
import sys
from pathlib import Path

import click

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from knowledge_base.loader import FaqEntry, dump_kb  # noqa: E402

TOPICS = {  # topic -> (route, category, nouns)
    "证明": ("certificate", "证明开具", ["居住证明", "收入情况说明", "房屋情况证明", "养老证明", "就业情况证明", "家庭成员证明"]),
    "救助": ("aid", "社会救助", ["低保", "临时救助", "特困供养", "医疗救助", "教育救助", "残疾人补贴", "高龄津贴", "取暖补贴"]),
    "维修": ("repair", "物业维修", ["暖气", "电梯", "楼道灯", "下水管", "单元门禁", "屋顶防水", "外墙脱落", "消防栓", "水泵", "监控"]),
    "缴费": ("consult", "生活缴费", ["水费", "电费", "燃气费", "物业费", "暖气费", "有线电视费", "垃圾清运费", "停车费"]),
    "证件": ("consult", "户籍居住", ["居住证", "身份证", "户口迁移", "临时身份证", "出生登记", "老年卡", "残疾证", "优待证"]),
    "医疗": ("consult", "卫生健康", ["家庭医生", "疫苗接种", "老年体检", "慢病随访", "孕产检查", "中医理疗", "心理咨询", "康复训练"]),
    "活动": ("activity", "活动中心", ["书法班", "舞蹈队", "合唱团", "棋牌室", "亲子阅读", "手机课堂", "太极拳", "象棋比赛", "手工课", "电影放映"]),
    "纠纷": ("dispute", "矛盾纠纷", ["噪音扰民", "漏水纠纷", "占用楼道", "宠物扰民", "停车纠纷", "装修扰民", "高空抛物", "违章搭建"]),
    "社保": ("consult", "社会保障", ["医保缴费", "养老保险", "失业登记", "工伤认定", "生育津贴", "社保卡补办", "退休审批", "养老金认证"]),
    "环境": ("consult", "环境卫生", ["垃圾分类", "大件垃圾", "绿化修剪", "灭鼠消杀", "化粪池清掏", "厨余垃圾", "建筑垃圾", "旧衣回收"]),
}
PLACES = ["锦绣城", "棉纺路", "建设路", "桐柏路", "中原西路", "秦岭路", "华山路", "伏牛路", "嵩山路", "淮河路",
          "西站路", "航海路", "陇海路", "工人路", "友爱路", "百花路", "颍河路", "须水", "石佛", "汝河路"]
AUDIENCES = ["老年人", "残疾人", "退役军人", "外来务工人员", "新婚家庭", "独居老人", "低保户", "在校学生",
             "新入住居民", "租户", "个体工商户", "孕妇", "退休人员", "党员", "志愿者"]
Q_TEMPLATES = ["{place}社区{noun}怎么办理？", "{audience}的{noun}去哪里办？", "{noun}需要带什么材料？",
               "{place}片区{noun}几点可以办？", "{noun}要收费吗？多少钱？", "{audience}申请{noun}有什么条件？",
               "{noun}可以网上办吗？", "{place}的{noun}找谁联系？"]
ALT_TEMPLATES = ["{noun}咋办", "办{noun}去哪", "{noun}流程", "{audience}{noun}", "{place}{noun}电话",
                 "{noun}多久能办好", "{noun}能代办吗", "{noun}在哪个窗口", "{noun}什么时候办"]
ANSWERS = ["{place}社区{noun}（示例）：携带身份证、户口本到社区服务大厅{window}号窗口办理，工作日{start}:30-17:30，咨询电话0371-6783{tel}（示例号码）。",
           "{audience}办理{noun}（示例）可先在公众号预约，再到{place}便民服务站提交材料，一般{days}个工作日办结。",
           "{noun}由{place}街道统一受理（示例），社区负责初审；材料不全的请先联系网格员，电话0371-6783{tel}（示例号码）。"]


def make_entries(n: int, seed: int = 1) -> list[FaqEntry]:
    rng = random.Random(seed)
    entries, seen = [], set()
    topics = list(TOPICS.items())
    while len(entries) < n:
        topic, (route, category, nouns) = rng.choice(topics)
        noun, place, aud = rng.choice(nouns), rng.choice(PLACES), rng.choice(AUDIENCES)
        key = (noun, place, aud, len(entries) // 4000)
        if key in seen:
            continue
        seen.add(key)
        fill = {"noun": noun, "place": place, "audience": aud}
        q = rng.choice(Q_TEMPLATES).format(**fill)
        alts = tuple(t.format(**fill) for t in rng.sample(ALT_TEMPLATES, 3))
        ans = rng.choice(ANSWERS).format(**fill, window=rng.randint(1, 9), start=rng.choice([8, 9]),
                                         tel=f"{rng.randint(0, 9999):04d}", days=rng.randint(1, 15))
        entries.append(FaqEntry(id=f"faq_{len(entries):05d}", question=q, alt_questions=alts,
                                answer=ans, category=category, route=route,
                                tags=(topic, noun, place)))
    return entries


@click.command()
@click.option("--n", default=5000, show_default=True)
@click.option("--seed", default=1, show_default=True)
@click.option("--out", default="var/kb5000.yaml", show_default=True)
def main(n: int, seed: int, out: str) -> None:
    """Write a synthetic KB with N entries."""
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(dump_kb(make_entries(n, seed), {"name": f"synthetic {n}", "version": 1,
                                                          "notice": "合成基准数据，非真实内容"}),
                         encoding="utf-8")
    click.echo(f"wrote {n} entries to {out}")


if __name__ == "__main__":
    main()
