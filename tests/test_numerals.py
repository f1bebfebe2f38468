"""parse_number: Chinese, Arabic and mixed numerals in the three modes, with rejections."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.numerals import magnitude_step, parse_exact, parse_number

# ---- written (canonical) numerals: valid in every mode
CANONICAL = [
    ("零", 0),
    ("七", 7),
    ("十", 10),
    ("十八", 18),
    ("四十二", 42),
    ("一百零八", 108),
    ("三百六十五", 365),
    ("两千零二十一", None),  # 两 is colloquial: checked per mode below
    ("一千九百四十九", 1949),
    ("五万零三百", 50300),
    ("八十万零六", 800006),
    ("九亿零五十万", 900500000),
    ("三千万亿", 3 * 10**15),
    ("十二万三千四百五十六", 123456),
    ("陆佰柒拾捌", 678),
    ("叁仟零伍", 3005),
    ("廿五", 25),
    ("零点五", 0.5),
    ("三点一四", 3.14),
    ("负七", -7),
    ("玖拾捌元整", 98),
    ("伍佰元陆角", 500.6),
]


@pytest.mark.parametrize("text,value", [c for c in CANONICAL if c[1] is not None])
@pytest.mark.parametrize("mode", ["strict", "normal", "smart"])
def test_canonical_numerals_in_every_mode(text, value, mode):
    assert parse_number(text, mode) == pytest.approx(value)


# ---- colloquial forms: rejected by strict, read by normal and smart
COLLOQUIAL = [
    ("两千零二十一", 2021),
    ("两万", 20000),
    ("四万五", 45000),  # abbreviated: 四万五千
    ("一千二", 1200),
    ("百五", 150),
    ("一百一", 110),
    ("二〇二一", 2021),  # digit by digit
    ("一九四九", 1949),
    ("八万零五千", 85000),  # superfluous 零
    ("一千二十", 1020),  # missing 零
    ("零点五零", 0.5),  # trailing zero
    ("〇", 0),
    ("捌拾元", 80),  # 大写 without 整
]


@pytest.mark.parametrize("text,value", COLLOQUIAL)
def test_colloquial_numerals_need_normal_mode(text, value):
    assert parse_number(text, "strict") is None
    assert parse_number(text, "normal") == pytest.approx(value)
    assert parse_number(text, "smart") == pytest.approx(value)


# ---- Arabic and mixed forms: smart only (newspaper style)
MIXED = [
    ("1.72亿", 172_000_000),
    ("35.94万", 359_400),
    ("13.2亿", 1_320_000_000),
    ("一点七二亿", 172_000_000),
    ("2156万", 21_560_000),
    ("3万5000", 35000),
    ("1,481", 1481),
    ("１２３", 123),  # full-width digits
    ("-2.5", -2.5),
    ("20k", 20000),
    ("五分之一", 0.2),
    ("一又四分之三", 1.75),
    ("半", 0.5),
]


@pytest.mark.parametrize("text,value", MIXED)
def test_mixed_numerals_need_smart_mode(text, value):
    assert parse_number(text, "normal") is None or text in ("一点七二亿",)
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "点",
        "三点",  # a point without decimals
        "点五",
        "十三五",  # a five-year plan, not 13.5 or 135
        "一些",
        "万众一心",
        "一线",
        "十二十三",  # places must decrease
        "1.2.3",
        "G5",
        "负",
        "元整",
        "3..5万",
    ],
)
def test_not_numerals(text):
    assert parse_number(text) is None


@pytest.mark.parametrize(
    "text,mode",
    [
        ("千五", "strict"),
        ("一百十", "strict"),
        ("十万零一千", "strict"),
        ("五十元", "strict"),
        ("100", "normal"),
    ],
)
def test_mode_rejections(text, mode):
    assert parse_number(text, mode) is None


def test_exact_arithmetic_keeps_decimals():
    assert str(parse_exact("1.72亿")) == "172000000.00"
    assert parse_number("零点零零零一") == 0.0001


@pytest.mark.parametrize(
    "value,step", [("50", "10"), ("3000", "1000"), ("79", "1"), ("1.5", "0.1"), ("100", "100")]
)
def test_magnitude_step(value, step):
    from decimal import Decimal

    assert magnitude_step(Decimal(value)) == Decimal(step)


@given(
    st.text(
        alphabet="零〇一二两三四五六七八九十百千万亿点负壹拾佰仟0123456789.,%元角分整半之分个k", max_size=12
    )
)
def test_parse_never_raises(s):
    for mode in ("strict", "normal", "smart"):
        v = parse_number(s, mode)
        assert v is None or isinstance(v, float)
