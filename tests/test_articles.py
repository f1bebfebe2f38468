"""Unit tests of the article splitter's decisions (pipeline.articles)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.articles import RE_SENTENCE_END, split_articles, split_sentences
from pipeline.clean import clean_page

FIRST = [
    "白银推进职工之家结对共建",
    "本报讯（通讯员白家华 记者康劲）5月12日，甘肃省白银市总工会举行模范职工之家结对共建试点单位签约仪式。",
    "这次签约的最大特点就是引入“大带小”“强带弱”等帮扶机制，逐步补齐短板弱项。",
]
SECOND_BODY = "5月18日，在江苏省镇江市农副产品批发市场，医务人员在为流动人员进行中医推拿服务。"


def titles(*lines: str) -> list[str | None]:
    return [a.title for a in split_articles(clean_page("\n\n".join(lines)))]


@pytest.mark.parametrize(
    "closing",
    [
        "版式设计：张丹峰",
        "此外，白银市总还建立活动台账。（记者康劲、通讯员白家华）",
        "此外，白银市总还建立活动台账。（本报记者康劲报道）",
        "此外，白银市总还建立活动台账。（本报白银5月12日电）",
        "现场展出了摄影作品。（新华社发）",
    ],
)
def test_heading_after_a_sign_off_opens_an_article(closing) -> None:
    got = titles(*FIRST, closing, "农贸市场里的家庭医生工作室", SECOND_BODY)
    assert got == ["白银推进职工之家结对共建", "农贸市场里的家庭医生工作室"]


@pytest.mark.parametrize(
    "closing",
    [
        "此外，白银市总还建立活动台账。",  # no sign-off: the heading is a subhead
        "习近平给澳门街坊总会颐骏中心的长者们回信。（回信全文另发）",  # a note inside the lead
    ],
)
def test_heading_after_plain_paragraph_is_a_subhead(closing) -> None:
    # subheads come in series: a heading with another one after it heads a section
    got = titles(*FIRST, closing, "因地制宜结对共建", SECOND_BODY, "补齐短板弱项", SECOND_BODY)
    assert got == ["白银推进职工之家结对共建"]


def test_lone_heading_after_plain_paragraph_opens_an_article() -> None:
    # no subhead before it and none after it: the title of a byline-less article
    got = titles(*FIRST, "此外，白银市总还建立活动台账。", "农贸市场里的家庭医生工作室", SECOND_BODY)
    assert got == ["白银推进职工之家结对共建", "农贸市场里的家庭医生工作室"]


@pytest.mark.parametrize("line", ["核心阅读", "细析这三个数字，让人信心倍增：", "——习近平", "四川攀枝花市 尹 远", "新华社发"])
def test_lone_heading_that_cannot_title_stays_in_the_article(line) -> None:
    got = titles(*FIRST, "此外，白银市总还建立活动台账。", line, SECOND_BODY)
    assert got == ["白银推进职工之家结对共建"]


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("刘春燕摄（人民视觉）", ["刘春燕"]),
        ("庞革平 黄勇丹摄影报道（影像中国）", ["庞革平", "黄勇丹"]),
        ("朱慧卿作（新华社发）", ["朱慧卿"]),
        ("本报通讯员 石玉成 摄", ["石玉成"]),
    ],
)
def test_credit_line_with_agency(line, names) -> None:
    from pipeline.articles import is_credit_line, parse_credit_line

    assert is_credit_line(line)
    assert [c.name for c in parse_credit_line(line)] == names


@pytest.mark.parametrize(
    "line",
    ["开拓进取深化中卢合作（大使新春寄语）", "“网络互助”应规范运作（财经观）", "摄影展（组图）在京开幕"],
)
def test_titles_with_column_labels_are_not_credits(line) -> None:
    from pipeline.articles import is_credit_line

    assert not is_credit_line(line)


def test_photo_caption_with_agency_credit_gets_its_title() -> None:
    got = titles(
        *FIRST,
        "森林消防演练忙",
        "近日，黑龙江省黑河市森林消防支队开展秋季森林消防演练。",
        "侯崇慧摄（人民视觉）",
    )
    assert got == ["白银推进职工之家结对共建", "森林消防演练忙"]


def stacks(*lines: str) -> list[list[str]]:
    return [
        [x for x in (a.kicker, a.title, a.subtitle) if x]
        for a in split_articles(clean_page("\n\n".join(lines)))
    ]


def test_bracketed_sign_off_line_is_not_part_of_the_next_title() -> None:
    got = stacks(
        *FIRST,
        "（新华社北京2月25日电）",
        "农贸市场里的家庭医生工作室",
        "市场的家庭医生",
        "本报讯（记者张翀）" + SECOND_BODY,
    )
    assert got[1] == ["农贸市场里的家庭医生工作室", "市场的家庭医生"]


def test_bracketed_line_under_a_title_stays_in_the_stack() -> None:
    got = stacks(
        "中华人民共和国密码法",
        "（2019年10月26日第十三届全国人民代表大会常务委员会第十四次会议通过）",
        "第一条 为了规范密码应用和管理，制定本法。",
    )
    assert got[0] == [
        "中华人民共和国密码法",
        "（2019年10月26日第十三届全国人民代表大会常务委员会第十四次会议通过）",
    ]


@pytest.mark.parametrize(
    ("line", "figure"),
    [
        ("58.4亿元", True),
        ("93个 75亿", True),
        ("96.84%", True),
        ("2019中国国际数字经济博览会", False),
        ("5G商用元年", False),
        ("1月PMI为49.5%", False),
        ("2018年1月至11月", False),
    ],
)
def test_figure_line(line, figure) -> None:
    from pipeline.articles import is_figure_line

    assert is_figure_line(line) is figure


def test_figure_lines_do_not_join_the_title_stack() -> None:
    got = stacks(
        *FIRST,
        "春节假期全国电影票房创新高",
        "票房口碑双丰收",
        "58.4亿元",
        "今年春节假期全国电影票房达58.4亿元，创同期历史新高。",
    )
    assert got[1] == ["春节假期全国电影票房创新高", "票房口碑双丰收"]


@pytest.mark.parametrize(
    "kicker",
    [
        "少了带来不便，建在旁边住户又不答应，重庆市璧山区如何应对？",
        "一项工程，让2400平方公里土地变成了湿地——",
    ],
)
def test_lead_in_kicker_joins_the_title_stack(kicker) -> None:
    got = stacks(*FIRST, kicker, "公厕标准化 大家都认可", "本报重庆2月13日电（记者刘新吾）" + SECOND_BODY)
    assert got[1] == [kicker, "公厕标准化 大家都认可"]


def test_plain_last_paragraph_is_not_a_kicker() -> None:
    got = stacks(
        *FIRST,
        "此外，白银市总还建立了活动台账。",
        "公厕标准化 大家都认可",
        "本报重庆2月13日电（记者刘新吾）" + SECOND_BODY,
    )
    assert got[1] == ["公厕标准化 大家都认可"]


DECK = "听取国务院第六次大督查情况汇报，要求着力破除政策落实堵点；部署进一步做好稳外贸工作"


def test_summary_line_between_title_and_byline_joins_the_stack() -> None:
    got = stacks(
        *FIRST,
        "李克强主持召开国务院常务会议",
        DECK,
        "新华社北京10月23日电 国务院总理李克强主持召开国务院常务会议。",
    )
    assert got[1] == ["李克强主持召开国务院常务会议", DECK]


def test_full_sentence_before_a_byline_is_not_a_deck() -> None:
    body = "春节期间，我国移动互联网流量翻倍。基础电信企业为返乡用户提供服务"
    got = stacks(
        *FIRST, "春节移动数据流量消费增长翻倍", body, "本报北京2月12日电（记者王政）工信部日前发布数据。"
    )
    assert not any(body in stack for stack in got)


@settings(max_examples=500, deadline=None, derandomize=True)
@given(st.text(alphabet="。！？!?…”’」』）)》甲 ", max_size=16), st.integers(0, 16), st.integers(0, 16))
def test_sentence_end_pattern_equals_its_plain_definition(text, start, end):
    # the pattern is written for a fast scan; its matches are those of the plain form
    plain = re.compile(r"(?:[。！？!?]+|……|…)[”’」』）)》]*")
    assert [m.span() for m in RE_SENTENCE_END.finditer(text, start, end)] == [m.span() for m in plain.finditer(text, start, end)]


def test_sentences_end_after_marks_and_closers():
    text = "他说：“好。”……走吧！！对吗？"
    assert [text[s:e] for s, e in split_sentences(text, 0, len(text))] == ["他说：“好。”", "……", "走吧！！", "对吗？"]


def test_an_ascii_quote_closing_a_quotation_ends_the_sentence_with_it():
    text = '他说："好！"我们走吧。"走！"她答。'
    assert [text[s:e] for s, e in split_sentences(text, 0, len(text))] == ['他说："好！"', "我们走吧。", '"走！"', "她答。"]
    # counted within the span given: a quote opened before it is not this paragraph's
    assert [text[s:e] for s, e in split_sentences(text, 4, len(text))] == ["好！", '"我们走吧。"', "走！", '"她答。']
