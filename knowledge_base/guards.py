"""Pattern guards: messages that must never be auto-answered (urgent, personal case, complaint, suggestion)."""
from __future__ import annotations

import re

from .normalize import normalize

# Emergencies happening now. Past-tense context (上个月着火了, 去年被狗咬) is excluded below.
_URGENT = [
    # gas
    r"(燃气|煤气|天然气|液化气)(报警器)?.{0,6}(味|泄漏|漏气|泄露|漏了|一直响|响了)|漏气|"
    r"闻到.{0,4}(燃气|煤气)味|燃气报警器.{0,4}(响|叫)|煤气罐.{0,4}漏|中毒|一氧化碳|"
    r"(燃气|煤气|天然气)管.{0,4}(断|破|裂)",
    # fire, smoke, explosion, electrical
    r"(?<!不)着火|起火|失火|冒烟|火灾|烧起来|爆炸|冒火|火苗|火星|火花|全是烟|好多烟|浓烟|焦糊味|烧焦|触电|电着了|被电",
    # water
    r"淹了|被淹|淹到|淹没|水漫|进水了|(满屋子?|一屋子|满地|一地)(都是)?水|漏水.{0,8}(止不住|厉害|很大|往下流|淹)|"
    r"(水管|管子|管道|暖气管|下水管|水管子)\S{0,4}(爆|裂|崩)|(水|热水).{0,4}(喷|哗哗|往下流|往下灌|顺着)|爆管",
    # people hurt or ill right now
    r"摔倒|跌倒|晕倒|昏倒|晕过去|昏过去|昏迷|不省人事|没气了|没有呼吸|没呼吸|心脏病(犯了|发作)|抽搐|抽风|休克|"
    r"喘不上气|喘不过气|呼吸困难|说不出话|嘴歪|心脏不舒服|胸口(疼|痛)|心口疼|叫不醒|头晕得厉害|吐血|"
    r"(流了?|出了?)\S{0,3}血|血流不止|大出血|头破血流|突然(倒|中风|晕)|倒在.{0,6}(不动|起不来)|不动了|"
    r"骨折|烫伤.{0,4}(严重|厉害)|吞了|误食|溺水|落水|掉进.{0,6}(水|河|池|井)|(人|孩子|老人|小孩).{0,6}掉下去|"
    r"躺.{0,6}(不动|一动不动|起不来)|中风了|脑梗了|脑出血|喝药|喝农药|安眠药|呼救|"
    r"(孩子|小孩).{0,8}(窗台|阳台外|爬到窗)",
    # missing people
    r"(孩子|老人|小孩|儿子|女儿|老爷子|我爸|我妈|父亲|母亲|爷爷|奶奶|姥姥|老伴).{0,12}"
    r"(走丢|丢了|找不到|失踪|不见了|没回来|没到家|联系不上)|(?<!防)走失|"
    r"老年痴呆.{0,6}(没回|找不到|不见)|(没回来|不见了).{0,12}(痴呆|打不通)",
    # lifts
    r"电梯.{0,8}(困|卡住|卡在|关在|被关|往下掉|坠落|掉下)|(困|关)在电梯|电梯里.{0,6}(出不来|有人)",
    # violence, crime, self-harm, falling objects
    r"被打|打人|打架|持刀|动刀|拿刀|拿着刀|砍人|砍伤|捅人|行凶|抢劫|打起来了|跳楼|要跳|跳下来|自杀|轻生|"
    r"撬.{0,3}门|进小偷|入室|塌了|倒塌|坍塌|砸到人|砸伤|掉下来砸|(要|快)掉下来了|家暴|打老婆",
    # someone living alone not seen
    r"(三|几|好几|3|2|两)天没(出门|见|露面)|好几天没见|敲门.{0,4}(没人应|不应|没反应)|独居.{0,8}(联系不上|没动静)",
    r"救命|快来人|快报警|(?<!\d)(120|119|110)(?!\d)",
]
_URGENT_RE = [re.compile(p) for p in _URGENT]
# An aid/procedure question about such an event, not an emergency now.
_PROCEDURE = re.compile(r"万一|如果|怎么预防|预防|安全知识|演练|培训|怎么交|缴费|充值|开户|安检|报销|救助|补助|"
                        r"补贴|保险|申请|后来|怎么处理的|手环|哪里买|在哪买|能借|能领|能办|办理|残疾证|康复")
# Past events are not emergencies unless the message says it is still going on.
_PAST = re.compile(r"上个月|上月|去年|前年|以前|之前|上次|那次|前些年|上周|上礼拜")
_STILL = re.compile(r"现在|还在|又|越来越|一直|到现在|刚才|刚刚")
_URGENT_STRONG = re.compile(r"救命|快来人|快报警|正在|赶紧|马上来|不省人事|没气了")

_PERSONAL = re.compile(
    r"(我的|我家|我们家|我爸|我妈|我父亲|我母亲|我爷爷|我奶奶|我孩子|我老公|我爱人|我媳妇|我老婆|"
    r"我(上个月|上周|前天|昨天|前几天|之前)?(交|递|提交|报|申请)的?)"
    r"\S{0,14}(申请|材料|工单|单子|手续|补贴|津贴|低保|证|报修|审批|审核|养老金|救助|钱)"
    r"\S{0,10}(怎么样了|到哪一步|到哪了|进度|审核了没|审核了吗|审批了吗|批了吗|批下来|办好了|"
    r"办下来|下来了没|没到账|还没到|没发|停发|还没批|怎么还没|什么时候能批|结果)")
_PERSONAL2 = re.compile(r"(审批|审核|办理|处理)(到哪一步|进度|到哪了)|(怎么|为什么|咋)\S{0,4}没到账|"
                        r"这个月\S{0,4}没(到账|发)|我的工单|我报修的|办到哪|到哪一步了|进行到哪|"
                        r"(提交|交|递|申请|报)的.{0,12}(办好了没|办好了吗|怎么样了|有结果|有消息|到哪|批了|批下来)|"
                        r"(有结果|有消息|批下来|办好)了(吗|没)|还没(消息|结果|批)")
_COMPLAINT = re.compile(
    r"我要投诉|要投诉他|投诉你们|我投诉|举报他|"
    r"(反映|电话|说了|报修|报了|找过|找了|投诉|几次|多次|好几天|一直|到现在|还是|你们|物业|社区)"
    r"\S{0,12}没人(管|回|理|来|修|清|处理|接)|没人(管|回|理|接)\S{0,3}(你们|到底)|"
    r"态度(太)?差|态度恶劣|骂人|打了\S{0,4}(几|多|好几|五六|三四|\d+)次电话|"
    r"(几|多|好几|\d+)次\S{0,4}(都)?没(人)?(来|修|管|回)|到底管不管|到底有没有人管|你们干什么吃的|"
    r"扣了钱\S{0,6}没|扣钱\S{0,6}没|退钱|(两|几|好几|\d+)天没人|一直没人|踢皮球|推来推去|"
    r"什么态度|不负责任|不办事|收了钱|打不通.{0,8}(有没有人|没人)|一直打不通|人呢|一点用都没有|白说了|"
    r"等了.{0,8}(还没|都没)|还没人(处理|来|修|管|回)")
_SUGGESTION = re.compile(r"^(我)?(建议|提个?建议|提个?意见|提议|希望社区|希望物业|希望能|能不能增加|可不可以增加|"
                         r"强烈建议)|我(有个|想提个?)建议|建议(社区|物业|小区|增加|多装|多设|开设|安装)|"
                         r"(能不能|可不可以|可以)(在|给)?.{0,8}(多装|多放|多设|加装|增设|安装|装几个|加几个|延长|增加)")


def emergency_words(norm: str) -> bool:
    """The emergency patterns fire and the text does not place them in the past.

    Unlike is_urgent(), a procedure word (申请, 保险 …) does not cancel them: the safety net
    treats these words as one signal, and an emergency told with a question stays one."""
    if not any(p.search(norm) for p in _URGENT_RE):
        return False
    return not _PAST.search(norm) or bool(_STILL.search(norm))


def is_urgent(norm: str) -> bool:
    if not any(p.search(norm) for p in _URGENT_RE):
        return False
    if _URGENT_STRONG.search(norm):
        return True
    if _PROCEDURE.search(norm):
        return False
    return not _PAST.search(norm) or bool(_STILL.search(norm))


def guard(text: str, norm: str | None = None, urgent: bool = True) -> str | None:
    """Name of the pattern guard that forbids an automatic answer, or None (`urgent=False`:
    the emergency patterns are left to the safety net, which uses them as one signal)."""
    n = normalize(text) if norm is None else norm
    raw = text or ""
    if urgent and (is_urgent(n) or is_urgent(raw)):
        return "urgent"
    if _PERSONAL.search(n) or _PERSONAL2.search(n):
        return "personal_status"
    if _COMPLAINT.search(n) or _COMPLAINT.search(raw):
        return "complaint"
    if _SUGGESTION.search(n) or _SUGGESTION.search(raw.strip()):
        return "suggestion"
    return None
