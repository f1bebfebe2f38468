"""Person roles: title and organisation from the shapes news text uses."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.entities import PageContext, find_entities, find_person_roles
from pipeline.segment import segment


def roles(text: str, context: PageContext | None = None):
    """Return (person, title, org, phrase) for ``text``."""
    ents = find_entities(text, segment(text), context)
    return [(r.person, r.title, r.org, text[r.start : r.end]) for r in find_person_roles(text, ents)]


# --- from the sample page --------------------------------------------------------------

@pytest.mark.parametrize(
    "text, person, title, org, phrase",
    [
        ("嘉兴市总工会副主席高红慧说,对此", "高红慧", "副主席", "嘉兴市总工会", "嘉兴市总工会副主席高红慧"),
        (
            "福建省城市市容环境卫生行业工会联合会主席欧丽彬告诉记者",
            "欧丽彬", "主席", "福建省城市市容环境卫生行业工会联合会",
            "福建省城市市容环境卫生行业工会联合会主席欧丽彬",
        ),
        (
            "江苏省人大常委会副主任、省总工会主席魏国强表示",
            "魏国强", "副主任", "江苏省人大常委会", "江苏省人大常委会副主任、省总工会主席魏国强",
        ),
        (
            "江苏省人大常委会副主任、省总工会主席魏国强表示",
            "魏国强", "主席", "江苏省总工会", "江苏省人大常委会副主任、省总工会主席魏国强",
        ),
        ("还邀请中国劳动关系学院教授戴文宪为职工讲授", "戴文宪", "教授", "中国劳动关系学院", "中国劳动关系学院教授戴文宪"),
        ("著名豫剧表演艺术家、国家一级演员张海龙等众多艺术家", "张海龙", "国家一级演员", None, "表演艺术家、国家一级演员张海龙"),
        ("(记者邹倜然 通讯员邱一梅)", "邹倜然", "记者", None, "记者邹倜然"),
    ],
)
def test_sample_page_roles(text, person, title, org, phrase):
    assert (person, title, org, phrase) in roles(text)


# --- our own phrases -----------------------------------------------------------------

@pytest.mark.parametrize(
    "text, person, title",
    [
        ("会上,王建国教授介绍了研究成果", "王建国", "教授"),  # <name><title>
        ("公司负责人李红梅(总经理)表示", "李红梅", "总经理"),  # <name>(<title>)
        ("市人民医院副院长陈志刚说", "陈志刚", "副院长"),
    ],
)
def test_title_shapes(text, person, title):
    assert any(r[0] == person and r[1] == title for r in roles(text))


@pytest.mark.parametrize(
    "text",
    [
        "欧丽彬告诉记者,本次活动派发物资",  # 记者 after a name is the listener, not her title
        "职工们在工人文化宫观看演出",  # no person at all
    ],
)
def test_no_role_near_misses(text):
    assert all(r[1] != "记者" for r in roles(text))


def test_role_span_covers_the_phrase():
    text = "会上,嘉兴市总工会副主席高红慧说"
    for person, title, _org, phrase in roles(text):
        assert phrase.endswith(person[:1] + person[1:]) or person in phrase
        assert title in phrase


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("张王李记者主席副教授市总工会省、(),。学院演员一级国家")), max_size=50))
def test_random_text_roles_valid(text):
    ents = find_entities(text, segment(text))
    for r in find_person_roles(text, ents):
        assert 0 <= r.start < r.end <= len(text)
        assert r.person


@pytest.mark.parametrize(
    "text, expected",
    [
        ("本报讯(记者白云 通讯员高山)近日,", [("白云", "记者"), ("高山", "通讯员")]),
        ("本报讯(记者白云通讯员高山)近日,", [("白云", "记者"), ("高山", "通讯员")]),
        ("白云飘过高山,落在田野上。", []),  # the same words in a sentence name nobody
    ],
)
def test_byline_names_that_are_also_words(text, expected):
    assert [(r[0], r[1]) for r in roles(text)] == expected


# --- names found on the characters after a title (made-up sentences) -------------------

@pytest.mark.parametrize(
    "text, person, title",
    [
        ("新闻出版总署副署长孙寿林曾表示，要推动产业升级。", "孙寿林", "副署长"),  # jieba: 副署/长孙/寿林
        ("对此，警备区政委杜文江说：“我们准备好了。”", "杜文江", "政委"),
        ("执行干事彼得·皮奥在开幕式上讲话", "彼得·皮奥", "执行干事"),  # 执行 is a title modifier
    ],
)
def test_title_before_a_badly_cut_name(text, person, title):
    assert any(p == person and t == title for p, t, _o, _ph in roles(text))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("副总主席书记长常务执行国家一级演员记者教授部局市委DdJjCcEeOo张、 ")), max_size=30))
def test_title_start_is_the_regex_start(text):
    # _title_start stands in for RE_TITLE_BEFORE (roles and the Latin-name rule of entities)
    from pipeline.roles import RE_TITLE_BEFORE, TITLE_WINDOW, _title_start

    for end in range(1, len(text) + 1):
        m = RE_TITLE_BEFORE.search(text, max(0, end - TITLE_WINDOW), end)
        assert _title_start(text, end) == (m.start() if m else None)


# --- a ministry's portfolio fused with its head; the rank ladders (made-up sentences) ----

@pytest.mark.parametrize(
    "text, person, title",
    [
        ("该国财政部长王晓明周二表示，预算将削减。", "王晓明", "财政部长"),  # portfolio + 部长
        ("随后，国防部长李建华会见了代表团。", "李建华", "国防部长"),
        ("能源和矿业部长赵志刚说，产量将回升。", "赵志刚", "矿业部长"),
        ("外务大臣陈国栋当天抵达。", "陈国栋", "外务大臣"),  # portfolio + 大臣
        ("国防部副部长刘振华出席了会议。", "刘振华", "副部长"),  # 国防部 is the ministry here
        ("派出所警督张立新介绍了案情。", "张立新", "警督"),  # a police rank
        ("空军大校王海平和准将周明远一同出席。", "周明远", "准将"),
    ],
)
def test_ministers_and_ranks(text, person, title):
    assert any(p == person and t == title for p, t, _o, _ph in roles(text))


@pytest.mark.parametrize(
    "text, person, title",
    [
        ("执法大队大队长孙立军带队检查。", "孙立军", "大队长"),  # the heads of 队 units
        ("消防支队支队长郭文斌介绍了情况。", "郭文斌", "支队长"),
        ("市档案馆正处级调研员吴志强参加了座谈。", "吴志强", "正处级调研员"),  # a rank level
        ("教育局正局长周海涛即将退休。", "周海涛", "正局长"),  # 正 as 副's counterpart
        ("英国画家王小川的新作在展出。", "王小川", "画家"),  # not 英 + 国画家: 英国 is a place
    ],
)
def test_unit_heads_rank_levels_and_places_before_titles(text, person, title):
    assert any(p == person and t == title for p, t, _o, _ph in roles(text))
