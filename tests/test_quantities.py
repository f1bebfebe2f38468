"""find_quantities: value in base units, unit, kind, qualifier and bounds; precision on numeral words."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import quantities
from pipeline.quantities import QuantityKind as K
from pipeline.quantities import QuantityQualifier as Q
from pipeline.quantities import find_quantities, parse_money

SAMPLE = Path(__file__).resolve().parents[1] / "raw" / "000_99e740105b15f725.txt"


def only(text: str):
    """Return the single quantity found in ``text``."""
    found = find_quantities(text)
    assert len(found) == 1, [q.text for q in found]
    return found[0]


# ---- spot checks: phrases of the sample page (Workers' Daily, May 2021)
# (phrase, quantity text, value, unit, kind, qualifier, low, high)
PAGE = [
    ("打造50多个“美好生活能量站”", "50多个", 50, "个", K.COUNT, Q.MORE_THAN, 50, 60),
    ("开展各类培训活动近300场次,", "近300场次", 300, "场次", K.COUNT, Q.APPROX, None, 300),
    ("吸引超过2万人进站参与活动", "超过2万人", 20000, "人", K.COUNT, Q.MORE_THAN, 20000, None),
    ("职工参与人数超过2万,充分发挥", "超过2万", 20000, None, K.COUNT, Q.MORE_THAN, 20000, None),
    ("为100名劳模拍摄影集", "100名", 100, "名", K.COUNT, Q.EXACT, 100, 100),
    ("包含古筝、摄影等近30门课程。", "近30门", 30, "门", K.COUNT, Q.APPROX, None, 30),
    ("活动每2个月不少于1次,逐步", "不少于1次", 1, "次", K.COUNT, Q.AT_LEAST, 1, None),
    (
        "累计投入资金1.72亿元,服务企业",
        "1.72亿元",
        172_000_000,
        "元",
        K.MONEY,
        Q.EXACT,
        172_000_000,
        172_000_000,
    ),
    ("共返还35.94万户小微企业", "35.94万户", 359_400, "户", K.COUNT, Q.EXACT, 359_400, 359_400),
    (
        "工会经费13.2亿元,总金额",
        "13.2亿元",
        1_320_000_000,
        "元",
        K.MONEY,
        Q.EXACT,
        1_320_000_000,
        1_320_000_000,
    ),
    ("总金额占全国的五分之一以上。", "五分之一以上", 0.2, None, K.FRACTION, Q.AT_LEAST, 0.2, None),
    ("可领取8件以内的衣服", "8件以内", 8, "件", K.COUNT, Q.AT_MOST, None, 8),
    ("3本以内的书籍", "3本以内", 3, "本", K.COUNT, Q.AT_MOST, None, 3),
    ("以及不超过2件的家电", "不超过2件", 2, "件", K.COUNT, Q.AT_MOST, None, 2),
    ("受众达88.4万人;", "88.4万人", 884_000, "人", K.COUNT, Q.EXACT, 884_000, 884_000),
    ("线上参与职工达312万人次。", "312万人次", 3_120_000, "人次", K.COUNT, Q.EXACT, 3_120_000, 3_120_000),
    ("惠及环卫工人近万人次。", "近万人次", 10000, "人次", K.COUNT, Q.APPROX, None, 10000),
    ("江苏已出台40多项产改配套文件", "40多项", 40, "项", K.COUNT, Q.MORE_THAN, 40, 50),
    ("暨第十一届“江苏职工读书月”", "第十一届", 11, "届", K.ORDINAL, Q.EXACT, 11, 11),
    ("吸引全省79万多名职工在线收看", "79万多名", 790_000, "名", K.COUNT, Q.MORE_THAN, 790_000, 800_000),
    ("线下职工受众超过58.8万人,", "超过58.8万人", 588_000, "人", K.COUNT, Q.MORE_THAN, 588_000, None),
    ("上线注册企业已超1万家;", "超1万家", 10000, "家", K.COUNT, Q.MORE_THAN, 10000, None),
    ("走基层活动8000多场,深入", "8000多场", 8000, "场", K.COUNT, Q.MORE_THAN, 8000, 9000),
    ("服务职工100多万人次。", "100多万人次", 1_000_000, "人次", K.COUNT, Q.MORE_THAN, 1_000_000, 2_000_000),
    ("2019年共投入60万元,惠及", "60万元", 600_000, "元", K.MONEY, Q.EXACT, 600_000, 600_000),
    ("工作站近百个。", "近百个", 100, "个", K.COUNT, Q.APPROX, None, 100),
    ("实现乡镇(街道)级工会百分百覆盖", "百分百", 1.0, None, K.PERCENT, Q.EXACT, 1.0, 1.0),
    ("工会工作巡礼60余年间,", "60余年", 60, "年", K.DURATION, Q.MORE_THAN, 60, 70),
    ("在未来3年内将实现", "3年内", 3, "年", K.DURATION, Q.AT_MOST, None, 3),
    ("连续8年开展", "8年", 8, "年", K.DURATION, Q.EXACT, 8, 8),
    ("已有400多对进入项目实施阶段", "400多对", 400, "对", K.COUNT, Q.MORE_THAN, 400, 500),
    ("中国共产党成立100周年,", "100周年", 100, "周年", K.DURATION, Q.EXACT, 100, 100),
]


@pytest.mark.parametrize("phrase,text,value,unit,kind,qualifier,low,high", PAGE)
def test_sample_page_phrases(phrase, text, value, unit, kind, qualifier, low, high):
    q = only(phrase) if text != "不少于1次" else find_quantities(phrase)[-1]
    assert (q.text, q.unit, q.kind, q.qualifier) == (text, unit, kind, qualifier)
    assert q.value == pytest.approx(value)
    assert q.low == (pytest.approx(low) if low is not None else None)
    assert q.high == (pytest.approx(high) if high is not None else None)
    assert phrase[q.start : q.end] == q.text


def test_frequency_is_a_duration_and_a_count():
    every, times = find_quantities("每2个月不少于1次")
    assert (every.text, every.value, every.unit, every.kind) == ("2个月", 2, "月", K.DURATION)
    assert (times.qualifier, times.low) == (Q.AT_LEAST, 1)


def test_counted_noun_follows_the_measure_word():
    assert only("为100名劳模拍摄影集").noun == "劳模"
    assert only("帮助5万名农民工和一线职工").noun == "农民工"


# ---- own phrases: forms the page does not show
OWN = [
    ("收入增长了15%", 0.15, None, K.PERCENT, Q.EXACT),
    ("占比百分之五十", 0.5, None, K.PERCENT, Q.EXACT),
    ("约三成的受访者", 0.3, None, K.FRACTION, Q.APPROX),
    ("工期缩短了三分之一", 1 / 3, None, K.FRACTION, Q.EXACT),
    ("两千名志愿者", 2000, "名", K.COUNT, Q.EXACT),
    ("二〇一九年建成三座桥", 3, "座", K.COUNT, Q.EXACT),
    ("捐款壹万贰仟元整", 12000, "元", K.MONEY, Q.EXACT),
    ("投资约4.5亿美元", 450_000_000, "美元", K.MONEY, Q.APPROX),
    ("全长12.5公里", 12500, "米", K.MEASURE, Q.EXACT),
    ("种植小麦3万亩", 20_000_001, "平方米", K.MEASURE, Q.EXACT),
    ("运送物资80吨", 80000, "千克", K.MEASURE, Q.EXACT),
    ("不到一半的时间用了两个半小时", 2.5, "小时", K.DURATION, Q.EXACT),
    ("每人补贴不足500元", 500, "元", K.MONEY, Q.LESS_THAN),
    ("票价一块五", 1.5, "元", K.MONEY, Q.EXACT),
]


@pytest.mark.parametrize("phrase,value,unit,kind,qualifier", OWN)
def test_own_phrases(phrase, value, unit, kind, qualifier):
    q = find_quantities(phrase)[-1]
    assert (q.unit, q.kind, q.qualifier) == (unit, kind, qualifier)
    assert q.value == pytest.approx(value, rel=1e-4)


@pytest.mark.parametrize(
    "phrase,low,high,unit",
    [
        ("每班3到5个人", 3, 5, "个"),
        ("三五个朋友", 3, 5, "个"),
        ("增幅在10%—15%之间", 0.10, 0.15, None),
        ("预计需要两到三万元", 20000, 30000, "元"),
        ("投资1万-5万元不等", 10000, 50000, "元"),
        ("几十万人参加", 100_000, 1_000_000, "人"),
    ],
)
def test_ranges(phrase, low, high, unit):
    q = only(phrase)
    assert (q.qualifier, q.unit) == (Q.RANGE, unit)
    assert (q.low, q.high) == (pytest.approx(low), pytest.approx(high))
    assert q.value == pytest.approx((low + high) / 2)


def test_money_and_population_near_miss():
    money, people = only("财政投入3.5亿元"), only("服务3.5亿人口")
    assert (money.kind, money.unit, money.value) == (K.MONEY, "元", 350_000_000)
    assert (people.kind, people.unit, people.value) == (K.COUNT, "人", 350_000_000)


@pytest.mark.parametrize(
    "text",
    [
        "一些基层工会",
        "奋战在一线",
        "一体化联动共振机制",
        "万众一心",
        "对“十三五”工会改革进行总结",
        "“十四五”时期",
        "5G基站建设",
        "联系电话13812345678",
        "电话0571-87654321",
        "国家一级演员张海龙",
        "统一规划、统一部署",
        "同一个产业链上",
        "我们一起努力",
        "十分重要",
        "2020年5月28日",
        "千方百计",
        "一场场精神文化大餐",
        "五一劳动节",
        "工会“三联三促”活动",
    ],
)
def test_words_that_are_not_quantities(text):
    assert find_quantities(text) == []


def test_parse_money_reads_bare_amounts_as_yuan():
    q = parse_money("三百万")
    assert (q.value, q.unit, q.kind) == (3_000_000, "元", K.MONEY)
    q = parse_money("两毛五")
    assert q.value == pytest.approx(0.25)
    assert parse_money("这里没有钱") is None


def test_sample_page_offsets_and_no_dates():
    text = SAMPLE.read_text(encoding="utf-8")
    found = find_quantities(text)
    assert len(found) > 60
    for q in found:
        assert text[q.start : q.end] == q.text
        assert q.kind in {K.COUNT, K.MONEY, K.PERCENT, K.FRACTION, K.MEASURE, K.DURATION, K.ORDINAL}
        assert q.low is None or q.high is None or q.low <= q.high
    joined = text.replace("\n\n", "")
    texts = {q.text for q in find_quantities(joined)}
    assert not texts & {"2020年", "1953年", "5月", "15日", "十三五", "十四五", "2021"}


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(
            list("0123456789.%-~到至多余近约超以上内下第个万亿元人年月日半两一二三十百千零 ,，G对分之")
        ),
        max_size=30,
    )
)
def test_offsets_on_random_strings(s):
    for q in find_quantities(s):
        assert s[q.start : q.end] == q.text
        assert 0 <= q.start < q.end <= len(s)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_no_exception_on_any_text(s):
    for q in find_quantities(s):
        assert s[q.start : q.end] == q.text


# ---- the shortcuts of _find (the scan for open cores, the date characters after a number, the cached
# readings) change nothing: the same records as reading every number core with the full pattern
def find_without_shortcuts(text: str):
    """Return find_quantities(text) with the shortcuts off."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(quantities, "RE_OPEN_CORE", quantities.RE_NUMBER_CORE)
        mp.setattr(quantities, "DATE_TIME_WORDS", {})
        mp.setattr(quantities, "_read", quantities._read.__wrapped__)
        return find_quantities(text)


def test_shortcuts_change_nothing_on_the_sample_page():
    text = SAMPLE.read_text(encoding="utf-8")
    assert find_quantities(text) == find_without_shortcuts(text)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            list("0123456789０１.%-~到至多余约超以上第个万亿元人年月日号时:/代半两一二三十百零 ,G分之场")
            + ["日元", "分钟", "人民币", "一些", "十三五", "2019", "12"]
        ),
        max_size=20,
    ).map("".join)
)
def test_shortcuts_change_nothing_on_random_strings(s):
    assert find_quantities(s) == find_without_shortcuts(s)
