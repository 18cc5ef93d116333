"""Guards: urgent, personal-status, complaint and suggestion messages are never auto-answered."""
import pytest

from knowledge_base.guards import guard

URGENT = [
    "楼道里有很大的煤气味 怎么办", "厨房天然气泄漏了", "着火了 3号楼冒烟", "隔壁起火了",
    "楼上漏水淹了我家", "水管爆了 水喷了一地", "我爸摔倒了起不来", "有人晕倒在电梯口",
    "老人昏迷不省人事", "孩子走丢了 找不到了", "老人出门到现在没回来 有老年痴呆",
    "有人触电了", "电梯困人了 卡在5楼", "楼下有人持刀打人", "邻居被打了 快来人",
    "对门独居老人三天没出门 敲门没人应", "救命", "小孩被狗咬了 流了好多血",
    "電梯裡有人被關住了", "燃气报警器一直响", "楼道里全是烟", "配电箱冒火花了", "外墙砖掉下来砸到人了",
    "我爸喘不过气来", "老人突然说不出话 嘴歪了", "邻居家煤气中毒了", "有人从楼上跳下来了",
    "孩子掉进小区水池里了", "八岁儿子放学到现在没到家", "有人撬我家门", "孩子吞了电池",
    "楼下有人躺地上一动不动", "井盖没了 有人掉下去了", "暖气片漏水 满屋子都是水", "老人在家中风了",
    "天然气管道被挖断了", "窗户玻璃要掉下来了", "gas leak in the kitchen!!", "之前就有煤气味 现在越来越大",
]
NEAR_MISS_NOT_URGENT = [
    "燃气费怎么交", "燃气公司上门安检是真的吗", "上个月家里着火了 能申请救助吗",
    "楼上漏水不给修怎么办", "电梯经常坏 找谁修", "怎么预防老人摔倒", "电梯有异响",
    "孩子打疫苗在哪", "老人走路不方便能代办吗", "狗丢了 谁看见一只白色泰迪", "1205室的快递",
    "心脏病患者能办残疾证吗", "消防安全知识培训什么时候", "燃气灶打不着火", "老人防走失手环哪里领",
    "老人摔倒后能申请护理补贴吗", "上周电梯困人的事后来怎么处理的", "燃气报警器在哪买",
    "暖气管道漏水找谁修", "食物中毒了能报销吗", "我爸中风了能办残疾证吗", "燃气管道改造什么时候",
    "燃气表坏了", "躺椅能放楼道吗", "上周楼道冒烟是怎么回事",
]


@pytest.mark.parametrize("text", URGENT)
def test_urgent(text):
    assert guard(text) == "urgent"


@pytest.mark.parametrize("text", NEAR_MISS_NOT_URGENT)
def test_near_miss_is_not_urgent(text):
    assert guard(text) != "urgent"


@pytest.mark.parametrize("text", [
    "我上个月交的低保材料 审批到哪一步了", "我家的申请办得怎么样了", "俺爹的高龄津贴这个月咋没到账",
    "我的工单有人处理吗", "我妈的残疾证审核了吗", "上次提交的居住证明办好了没", "我那个残疾证办到哪一步了",
    "申请的公租房有结果了吗",
])
def test_personal_status(text):
    assert guard(text) == "personal_status"


@pytest.mark.parametrize("text", [
    "打了五六次电话没人来修", "保安态度太差了 我要投诉他", "垃圾桶满了两天没人清",
    "反映好几次了没人管", "扫码扣了钱没充上电 找谁退钱", "你们工作人员什么态度", "说好的今天来修 结果人呢",
    "等了一个星期了还没人处理", "电话一直打不通 到底有没有人",
])
def test_complaint(text):
    assert guard(text) == "complaint"


@pytest.mark.parametrize("text", ["建议小区多装几个路灯", "希望社区多办些老年活动", "我有个建议 活动中心晚上多开一会",
                                  "能不能在小区里加几个健身器材", "提个意见 活动中心晚上关太早了"])
def test_suggestion(text):
    assert guard(text) == "suggestion"


@pytest.mark.parametrize("text", [
    "怎么投诉物业", "广场舞太吵了怎么投诉", "低保怎么申请", "暖气不热", "楼道狗屎没人管",
    "活动中心几点开门", "低保审批需要多长时间", "投诉物业打什么电话", "怎么给社区提建议", "物业不作为",
    "能不能申请低保", "公租房申请结果在哪看",
])
def test_ordinary_questions_pass(text):
    assert guard(text) is None
