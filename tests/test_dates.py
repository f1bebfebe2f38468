"""find_dates: absolute, partial, month–day (past-biased), relative, lunar and plan-period dates."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.dates import (
    CN_DIGIT,
    DATE_WORDS,
    FORM_OF_LAST_GROUP,
    RE_DATE,
    RE_DATE_DIGITS_START,
    RE_DATE_WORD_START,
    DateKind,
    _alternation,
    find_dates,
    infer_issue_date,
    lunar_to_solar,
    solar_term_day,
)

SAMPLE = Path(__file__).resolve().parents[1] / "raw" / "000_99e740105b15f725.txt"
ISSUE = date(2021, 5, 20)  # the sample page: Workers' Daily, late May 2021


def one(text: str, issue: date | None = ISSUE):
    """Return (text, value, precision, year_inferred, kind) of the single date found."""
    found = find_dates(text, issue)
    assert len(found) == 1, [d.text for d in found]
    d = found[0]
    assert text[d.start : d.end] == d.text
    return d.text, d.value, d.precision, d.year_inferred, d.kind


# ---- phrases of the sample page
PAGE = [
    ("5月15日,国网浙江嘉兴供电公司", "5月15日", "2021-05-15", "day", True, DateKind.MONTH_DAY),
    ("自2018年8月起推动创建", "2018年8月", "2018-08", "month", False, DateKind.ABSOLUTE),
    ("从1953年建省初期的84万", "1953年", "1953", "year", False, DateKind.ABSOLUTE),
    ("2020年5月28日,江苏省总工会", "2020年5月28日", "2020-05-28", "day", False, DateKind.ABSOLUTE),
    ("截至2021年2月,共返还", "2021年2月", "2021-02", "month", False, DateKind.ABSOLUTE),
    ("4月24日,由武汉市总主办", "4月24日", "2021-04-24", "day", True, DateKind.MONTH_DAY),
    ("今年已增至200万元", "今年", "2021", "year", True, DateKind.RELATIVE),
    ("去年完成2185家化工企业", "去年", "2020", "year", True, DateKind.RELATIVE),
    ("对“十四五”时期深化工会改革", "十四五", "2021/2025", "period", False, DateKind.PERIOD),
    ("对“十三五”工会改革进行总结", "十三五", "2016/2020", "period", False, DateKind.PERIOD),
]


@pytest.mark.parametrize("phrase,text,value,precision,inferred,kind", PAGE)
def test_sample_page_phrases(phrase, text, value, precision, inferred, kind):
    assert one(phrase) == (text, value, precision, inferred, kind)


def test_every_month_day_of_the_sample_page_is_2021():
    text = SAMPLE.read_text(encoding="utf-8").replace("\n\n", "")
    found = find_dates(text, ISSUE)
    month_days = [d for d in found if d.kind == DateKind.MONTH_DAY]
    assert {d.text for d in month_days} >= {
        "5月15日",
        "5月18日",
        "5月12日",
        "4月24日",
        "4月28日",
        "4月29日",
        "5月17日",
    }
    assert all(d.value.startswith("2021-") and d.year_inferred for d in month_days)
    for d in found:
        assert text[d.start : d.end] == d.text


def test_same_day_refers_to_the_date_just_mentioned():
    text = "5月18日,在江苏省镇江市农副产品批发市场……当日,镇江市润州区成立家庭医生工作室"
    assert [(d.text, d.value) for d in find_dates(text, ISSUE)] == [
        ("5月18日", "2021-05-18"),
        ("当日", "2021-05-18"),
    ]


@pytest.mark.parametrize(
    "phrase,issue,value",
    [
        ("5月1日举行", date(2021, 5, 20), "2021-05-01"),
        ("12月30日召开", date(2021, 3, 10), "2020-12-30"),  # a later month: the year before
        ("3月10日召开", date(2021, 3, 10), "2021-03-10"),
        ("9日上午", date(2021, 6, 14), "2021-06-09"),  # a day alone: the issue's month
        ("昨天下午", date(2021, 3, 1), "2021-02-28"),
        ("上个月15号", date(2021, 1, 14), "2020-12-15"),
        ("上周六", date(2021, 6, 14), "2021-06-12"),
        ("3天前", date(2021, 6, 14), "2021-06-11"),
        ("去年元旦", date(2021, 6, 14), "2020-01-01"),
        ("今年母亲节", date(2021, 6, 14), "2021-05-09"),
        ("国庆", date(2021, 6, 14), "2020-10-01"),
    ],
)
def test_resolution_against_the_issue_date(phrase, issue, value):
    assert find_dates(phrase, issue)[0].value == value


@pytest.mark.parametrize(
    "phrase,value",
    [
        ("二〇一八年八月", "2018-08"),
        ("二零二零年十二月三十一日", "2020-12-31"),
        ("98年4月", "1998-04"),
        ("2019-05-27", "2019-05-27"),
        ("2019/4/19", "2019-04-19"),
        ("2019.9.6", "2019-09-06"),
        ("20190906", "2019-09-06"),
    ],
)
def test_absolute_forms(phrase, value):
    assert find_dates(phrase, ISSUE)[0].value == value


@pytest.mark.parametrize(
    "phrase,issue,value",
    [
        ("八五年3月", date(1970, 5, 1), "1985-03"),  # more than ten years ahead, but never 1885
        ("七八年冬天", date(1962, 3, 1), "1978"),
        ("95年10月", date(1950, 1, 1), "1995-10"),
        ("零五年", date(1999, 7, 1), "2005"),  # within ten years ahead: the next century
        ("98年4月", date(2021, 5, 20), "1998-04"),
    ],
)
def test_two_digit_years_are_never_before_1900(phrase, issue, value):
    assert find_dates(phrase, issue)[0].value == value


@pytest.mark.parametrize(
    "phrase,value",
    [
        ("农历正月十五", "2021-02-26"),
        ("2020年春节", "2020-01-25"),
        ("今年中秋节", "2021-09-21"),
        ("腊月初八", "2022-01-10"),
        ("八月十五", "2021-09-21"),  # no 日/号: a lunar date
    ],
)
def test_lunar_dates(phrase, value):
    assert find_dates(phrase, ISSUE)[0].value == value


def test_lunar_table():
    assert lunar_to_solar(2021, 1, 1) == date(2021, 2, 12)
    assert lunar_to_solar(2020, 4, 1, leap=True) == date(2020, 5, 23)
    assert lunar_to_solar(2021, 4, 1, leap=True) is None


@pytest.mark.parametrize(
    "phrase,issue,text,value,kind",
    [
        ("立冬后气温骤降", date(2021, 12, 1), "立冬", "2021-11-07", DateKind.MONTH_DAY),
        ("芒种前后抢收小麦", date(2021, 5, 20), "芒种", "2020-06-05", DateKind.MONTH_DAY),  # a later month
        ("2022年冬至", date(2021, 5, 20), "2022年冬至", "2022-12-22", DateKind.ABSOLUTE),
        ("今年清明节放假三天", date(2021, 5, 20), "今年清明节", "2021-04-04", DateKind.RELATIVE),
        ("去年立春那天", date(2021, 5, 20), "去年立春", "2020-02-04", DateKind.RELATIVE),
        ("大雪节气到了", date(2020, 12, 30), "大雪节气", "2020-12-07", DateKind.MONTH_DAY),
        ("“秋分”。", date(2019, 10, 2), "秋分", "2019-09-23", DateKind.MONTH_DAY),
    ],
)
def test_solar_terms(phrase, issue, text, value, kind):
    found = find_dates(phrase, issue)
    assert [(d.text, d.value, d.kind) for d in found] == [(text, value, kind)]


@pytest.mark.parametrize(
    "year,month,longitude,day",
    [
        (2019, 2, 315, 4),  # 立春
        (2021, 2, 315, 3),  # 立春 at 22:59 China time
        (2021, 12, 270, 21),  # 冬至
        (2022, 12, 270, 22),
        (2023, 4, 15, 5),  # 清明
        (2024, 4, 15, 4),
        (2021, 3, 0, 20),  # 春分
        (2019, 8, 135, 8),  # 立秋
    ],
)
def test_solar_term_day(year, month, longitude, day):
    assert solar_term_day(year, month, longitude) == day


def test_without_issue_date():
    assert one("5月15日", None) == ("5月15日", "--05-15", "day", False, DateKind.MONTH_DAY)
    assert find_dates("今年以来", None) == []
    assert one("2020年5月28日", None)[1] == "2020-05-28"


@pytest.mark.parametrize(
    "text",
    [
        "第十一届江苏职工读书月",
        "十一",
        "一日之计在于晨",
        "这个玩具一点都不好玩",
        "连续8年开展",
        "未来3年内",
        "60余年间",
        "身份证号140302197706220124",
        "查询202403073计划",
        "电话0571-87654321",
        "目前天气晴好",
        "13月45日",
        "5个月",
        "每周一例会",
        "成立冬奥组委",  # 立冬 inside 成立 + 冬奥
        "设立夏令营",
        "一场大雪覆盖全城",  # 大雪 and 清明 are read only as 大雪节气 / 清明节
        "风清气正、政治清明",
        "雨水充足",
        "入冬至今",  # 至 means "to" after the season word 入冬
        "话剧《立秋》",  # a title
        "立春的小说",  # a bare term before another Chinese word: a name
    ],
)
def test_not_dates(text):
    assert find_dates(text, ISSUE) == []


def test_infer_issue_date_from_the_sample_page():
    text = SAMPLE.read_text(encoding="utf-8").replace("\n\n", "")
    inferred = infer_issue_date([text])
    assert inferred is not None and (inferred.year, inferred.month) == (2021, 5) and inferred.day >= 18
    assert infer_issue_date(["没有日期的文字"]) is None


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(
            list("0123456789-/.年月日号今去昨当上下周六农历正腊初十五一二〇零十三四五 ")
        ),
        max_size=30,
    )
)
def test_offsets_on_random_strings(s):
    for d in find_dates(s, ISSUE):
        assert s[d.start : d.end] == d.text
        assert d.precision in {"year", "month", "day", "period"}


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_no_exception_on_any_text(s):
    for d in find_dates(s, ISSUE):
        assert s[d.start : d.end] == d.text


# ---- the start scans are written for speed; they find what their plain forms find, from any position
PLAIN_DIGITS_START = re.compile(
    "[0-9" + CN_DIGIT + "十两半廿]+(?=[年月日号號天周个份\\-/.·． ])|[0-9](?<![0-9]{2})[0-9]{7}(?![0-9])"
)
PLAIN_WORD_START = re.compile(_alternation(DATE_WORDS))


def assert_same_scans(text: str) -> None:
    for pos in range(len(text) + 1):
        for fast, plain in (
            (RE_DATE_DIGITS_START, PLAIN_DIGITS_START),
            (RE_DATE_WORD_START, PLAIN_WORD_START),
        ):
            a, b = fast.search(text, pos), plain.search(text, pos)
            assert (a and a.span()) == (b and b.span()), (text, pos)


def test_start_scans_on_the_sample_page():
    assert_same_scans(SAMPLE.read_text(encoding="utf-8")[:20000])


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            list("0123456789-/.· 年月日号天周个份今上下本这大十两半廿一二〇") + ["上上周", "国庆"]
        ),
        max_size=30,
    ).map("".join)
)
def test_start_scans_on_random_strings(s):
    assert_same_scans(s)


# ---- the form of a match is read from the group that closed last: every form must have one mapped
EVERY_FORM = [
    "2019-05-27",
    "2021 5 15",
    "20190906",
    "十四五",
    "农历八月十五",
    "腊月初八",
    "五月初五",
    "八月十五",
    "大年初二",
    "春节",
    "五月的第二个星期日",
    "国庆",
    "2021年5月",
    "5月",
    "5月15日",
    "5月15",
    "上个月",
    "2021年",
    "9日",
    "5·12",
    "05-12",
    "上周六",
    "3天前",
    "昨天",
]


@pytest.mark.parametrize("phrase", EVERY_FORM)
def test_every_form_of_match_is_mapped(phrase):
    m = RE_DATE.match(phrase)
    assert m is not None and m.end() == len(phrase)
    assert m.lastgroup in FORM_OF_LAST_GROUP
    assert find_dates(phrase, ISSUE), phrase


def test_every_group_that_ends_a_branch_is_mapped():
    text = SAMPLE.read_text(encoding="utf-8") + "".join(EVERY_FORM)
    for pos in range(len(text)):
        m = RE_DATE.match(text, pos)
        if m is not None and m.end() > m.start():
            assert m.lastgroup in FORM_OF_LAST_GROUP, (m.group(), m.lastgroup)
