"""Normalisation: one test per kind of noise residents produce."""
import pytest
from hypothesis import given, strategies as st

from knowledge_base.normalize import cn_to_int, normalize
from knowledge_base.pinyin import fuzzy, initials, is_abbreviation, syllables


def test_full_width_to_half_width():
    assert normalize("ＡＢＣ１２３社区") == "abc123社区"


def test_traditional_to_simplified():
    assert normalize("請問社區週六上班嗎") == "社区周六上班吗"


def test_punctuation_becomes_space():
    assert normalize("低保，怎么办？？材料!!") == "低保 怎么办 材料"


def test_emoji_and_wechat_codes_removed():
    assert normalize("宝宝出生啦🎉🎉 上户口[微笑][捂脸]") == "孩子出生 上户口"


def test_fillers_and_particles_removed():
    assert normalize("你好，麻烦问一下，活动中心几点开门呀？") == "活动中心几点开门"


def test_book_bar_is_not_a_particle():
    assert normalize("书吧几点开") == "书吧几点开"
    assert normalize("去书吧") == "去书吧"


@pytest.mark.parametrize("raw,want", [
    ("老人八十了", "老人80了"), ("十二点半", "12点半"), ("一百八十多", "180多"),
    ("一级残疾", "1级残疾"), ("三天没出门", "3天没出门"),
])
def test_chinese_numerals(raw, want):
    assert normalize(raw) == want


def test_numeral_words_stay_words():
    assert normalize("一起去 统一办理 一征三议两公开") == "一起去 统一办理 一征三议两公开"


@pytest.mark.parametrize("raw,want", [
    ("恁社区晌午有人没", "你社区中午有人没"), ("俺咋申请", "我怎么申请"),
    ("中不中", "行不行"), ("木有", "没有"), ("夜儿个来过", "昨天来过"), ("啥时候", "什么时候"),
])
def test_henan_dialect(raw, want):
    assert normalize(raw) == want


def test_voice_text_without_punctuation_kept_intact():
    assert normalize("小孩刚出生怎么落户要去哪里办") == "孩子刚出生怎么落户要去哪里办"


def test_homophones_meet_in_fuzzy_pinyin():
    assert syllables("设区") == syllables("社区")
    assert syllables("无业") == syllables("物业")
    assert fuzzy("zhang") == "zan" and fuzzy("ning") == "lin"


def test_pinyin_initials():
    assert initials("低保") == "db"
    assert initials("居住证") == "jzz"
    assert is_abbreviation("dbsq") and is_abbreviation("jzz")
    assert not is_abbreviation("wifi") and not is_abbreviation("online")


def test_english_lower_cased_and_glossed():
    assert normalize("能Online弄吗 APP上找不到") == "能线上弄吗 app上找不到"


def test_cn_to_int():
    assert cn_to_int("八十一") == 81 and cn_to_int("二零二四") == 2024 and cn_to_int("十") == 10


@given(st.text(max_size=40))
def test_normalize_is_total_and_idempotent(s):
    once = normalize(s)
    assert isinstance(once, str)
    assert normalize(once) == once
