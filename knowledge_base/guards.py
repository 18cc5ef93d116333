"""Pattern guards: messages that must never be auto-answered (urgent, personal case, complaint, suggestion)."""
from __future__ import annotations

import re

from .normalize import normalize

# Emergencies happening now. Past-tense context (上个月着火了, 去年被狗咬) is excluded below.
_URGENT = [
    r"(燃气|煤气|天然气|液化气)\S{0,6}(味|泄漏|漏气|泄露)|(漏气|闻到\S{0,4}(燃气|煤气)味)",
    r"着火|起火|失火|冒烟|火灾|烧起来|爆炸|冒火|火苗",
    r"淹了|被淹|水漫|漏水\S{0,8}(止不住|厉害|很大|往下流|淹)|(水管|管子|管道|暖气管|水管子)\S{0,4}(爆|裂|崩)|"
    r"(水|热水)\S{0,4}(喷|哗哗|往下流|顺着)|爆管",
    r"摔倒|跌倒|晕倒|昏倒|昏迷|不省人事|没气了|没有呼吸|没呼吸|心脏病(犯了|发作)|抽搐|休克|喘不上气|"
    r"胸口(疼|痛)得|叫不醒|头晕得厉害|吐血|(流了?|出了?)\S{0,3}血|血流不止|突然(倒|中风|晕)",
    r"(孩子|老人|小孩|儿子|女儿|老爷子|我爸|我妈|父亲|母亲)\S{0,8}(走丢|丢了|找不到|失踪|不见了|没回来|联系不上)|"
    r"走失|老年痴呆\S{0,6}(没回|找不到|不见)|(没回来|不见了)\S{0,12}(痴呆|打不通)",
    r"触电|电着了|被电",
    r"电梯\S{0,8}(困|卡住|卡在|关在|被关)|(困|关)在电梯|电梯里\S{0,6}(出不来|有人)",
    r"被打|打人|打架|持刀|动刀|拿刀|砍人|砍伤|捅人|行凶|抢劫|打起来了|要跳楼|跳楼|自杀|轻生",
    r"(三|几|好几|3|2|两)天没(出门|见|露面)|敲门\S{0,4}(没人应|不应|没反应)|独居\S{0,8}(联系不上|没动静)",
    r"救命|快来人|快报警|(?<!\d)(120|119|110)(?!\d)",
]
_URGENT_RE = [re.compile(p) for p in _URGENT]
# Past tense or hypothetical: an aid/procedure question, not an emergency now.
_NOT_NOW = re.compile(r"上个月|上月|去年|前年|以前|之前|上次|那次|前些年|万一|如果|怎么预防|预防|安全知识|"
                      r"演练|培训|怎么交|缴费|充值|开户|安检|报销|救助|补助|保险")
_URGENT_STRONG = re.compile(r"救命|快来人|快报警|正在|赶紧|马上来|不省人事|没气了")

_PERSONAL = re.compile(
    r"(我的|我家|我们家|我爸|我妈|我父亲|我母亲|我爷爷|我奶奶|我孩子|我老公|我爱人|我媳妇|我老婆|"
    r"我(上个月|上周|前天|昨天|前几天|之前)?(交|递|提交|报|申请)的?)"
    r"\S{0,14}(申请|材料|工单|单子|手续|补贴|津贴|低保|证|报修|审批|审核|养老金|救助|钱)"
    r"\S{0,10}(怎么样了|到哪一步|到哪了|进度|审核了没|审核了吗|审批了吗|批了吗|批下来|办好了|"
    r"办下来|下来了没|没到账|还没到|没发|停发|还没批|怎么还没|什么时候能批|结果)")
_PERSONAL2 = re.compile(r"(审批|审核|办理|处理)(到哪一步|进度|到哪了)|(怎么|为什么|咋)\S{0,4}没到账|"
                        r"这个月\S{0,4}没(到账|发)|我的工单|我报修的")
_COMPLAINT = re.compile(
    r"我要投诉|要投诉他|投诉你们|我投诉|举报他|"
    r"(反映|电话|说了|报修|报了|找过|找了|投诉|几次|多次|好几天|一直|到现在|还是|你们|物业|社区)"
    r"\S{0,12}没人(管|回|理|来|修|清|处理|接)|没人(管|回|理|接)\S{0,3}(你们|到底)|"
    r"态度(太)?差|态度恶劣|骂人|打了\S{0,4}(几|多|好几|五六|三四|\d+)次电话|"
    r"(几|多|好几|\d+)次\S{0,4}(都)?没(人)?(来|修|管|回)|到底管不管|到底有没有人管|你们干什么吃的|"
    r"扣了钱\S{0,6}没|扣钱\S{0,6}没|退钱|(两|几|好几|\d+)天没人|一直没人|踢皮球|推来推去")
_SUGGESTION = re.compile(r"^(我)?(建议|提个?建议|提议|希望社区|希望物业|希望能|能不能增加|可不可以增加|"
                         r"强烈建议)|我(有个|想提个?)建议|建议(社区|物业|小区|增加|多装|多设|开设|安装)")


def is_urgent(norm: str) -> bool:
    if not any(p.search(norm) for p in _URGENT_RE):
        return False
    return not _NOT_NOW.search(norm) or bool(_URGENT_STRONG.search(norm))


def guard(text: str, norm: str | None = None) -> str | None:
    """Name of the guard that forbids an automatic answer, or None."""
    n = normalize(text) if norm is None else norm
    raw = text or ""
    if is_urgent(n) or is_urgent(raw):
        return "urgent"
    if _PERSONAL.search(n) or _PERSONAL2.search(n):
        return "personal_status"
    if _COMPLAINT.search(n):
        return "complaint"
    if _SUGGESTION.search(n):
        return "suggestion"
    return None
