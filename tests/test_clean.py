"""Unit tests of the cleaner's line-join decisions (pipeline.clean).

Phrases are made up in the style of Chinese dailies or taken from the sample page; each
rule has cases where it must fire and near-misses where it must not.
"""

from __future__ import annotations

import pytest

from pipeline.clean import clean_page, same_block


def paragraphs(*lines: str) -> list[str]:
    """Clean a page printed one line per blank-separated block; return its clean lines."""
    return clean_page("\n\n".join(lines)).text.split("\n")


# --- same_block: a paragraph wrapped in its own column -----------------------------------


@pytest.mark.parametrize(
    ("a", "b", "nxt"),
    [
        # three open lines of one width
        ("为进一步点亮夜间经济，激发", "更多消费潜力，需要不断创新", "消费场景和业态，更需要进一"),
        # the block's last line is shorter and ends the sentence
        ("党员干部自身存在的问题、影响和制约", "发展的问题、群众最急最忧的问题，把", "群众获得感作为重点。"),
        # a two-line paragraph whose second line fills the width
        ("几天来，参加了庆祝大会的阅兵联合", "指挥部工作人员一直处于激动之中。", "检阅车徐徐前行。"),
    ],
)
def test_same_block_joins_wrapped_lines(a, b, nxt) -> None:
    assert same_block(a, b, nxt)


@pytest.mark.parametrize(
    ("a", "b", "nxt"),
    [
        (
            "第二节 加强环境保护和治理",
            "第三节 创新绿色低碳发展模式",
            "第八章 建设宜居宜业宜游",
        ),  # numbered list
        (
            "10.20 上海东方艺术中心音乐厅",
            "意大利斯卡拉歌剧院莫扎特歌剧",
            "10.21 上音歌剧院",
        ),  # spaced schedule
        (
            "工作，应是实现价值的舞台（大家谈）",
            "时下正值大学生求职季，相比过去单",
            "纯追求高薪，有调查显示",
        ),  # column label
        ("兴学强国 风华正茂", "——写在南开大学建校一百周年", "百年南开园，秋日朗照。"),  # subtitle
        ("白银推进职工之家", "结对共建试点签约", "本报讯（记者康劲）"),  # too short to tell
        (
            "为进一步点亮夜间经济，激发",
            "更多消费潜力，需要不断创新",
            "消费场景和业态，更需要进一步推动夜间经济",
        ),  # next is wider
    ],
)
def test_same_block_near_misses(a, b, nxt) -> None:
    assert not same_block(a, b, nxt)


def test_wrapped_block_is_one_paragraph() -> None:
    out = paragraphs(
        "城市夜色越来越亮。",
        "为进一步点亮夜间经济，激发",
        "更多消费潜力，需要不断创新",
        "消费场景和业态，更需要进一",
        "步优化营商环境。",
    )
    assert out == [
        "城市夜色越来越亮。",
        "为进一步点亮夜间经济，激发更多消费潜力，需要不断创新消费场景和业态，更需要进一步优化营商环境。",
    ]


# --- _listing: schedules, tables and numbered heads are not wrapped prose ---------------


@pytest.mark.parametrize(
    ("text", "listing"),
    [
        ("10.27 14:30上海大世界", True),
        ("书名：白鹿原 作者：陈忠实", True),
        ("第二节 完善城市群和城镇发展体系", True),
        ("伟大觉醒让我们赶上时代（思想纵横）", True),
        ("第二批试点城市名单日前公布，", False),  # 第二批 is not a numbered head
        ("为进一步点亮夜间经济，激发", False),
    ],
)
def test_listing(text, listing) -> None:
    from pipeline.clean import _listing

    assert _listing(text) is listing


def test_page_column_width_does_not_join_a_schedule() -> None:
    wrapped = [
        "为进一步点亮夜间经济，激发更多",
        "消费潜力，需要不断创新消费场景",
        "和业态，更需要进一步优化营商环",
        "境，让夜间经济成为城市的名片。",
    ]
    schedule = ["10.27 13:40上海大世界", "10.27 14:30上海大世界", "10.27 15:20上海大世界"]
    out = paragraphs(*wrapped, "演出安排", *schedule, *wrapped)
    for line in schedule:
        assert line in out


def test_headings_sharing_a_width_make_no_column() -> None:
    # Four subheadings and four first lines of paragraphs, all 15 characters wide, but
    # never three in a row: no paragraph on the page is wrapped in a 15-character column,
    # so a heading of that width stays apart from the line under it.
    heads = ["乡村振兴要靠产业兴旺来带动发展", "生态保护让青山绿水变成金山银山", "文化传承使古老村落焕发新的生机", "基层治理把矛盾纠纷化解在家门口"]
    firsts = ["走进浙江安吉县余村的竹林深处，", "站在村口的观景台上向远处眺望，", "每逢周末和节假日的时候到这里，", "村里设立的调解室就在广场东侧，"]
    rest = "处处可见游客的身影，村民们在自家门前摆起了小摊，卖起了笋干和茶叶，日子越过越红火。"
    lines = ["本报记者近日来到这里，看到了一派生机勃勃的景象，村民们纷纷表示生活越来越好了。"]
    for head, first in zip(heads, firsts, strict=True):
        lines += [head, first, rest]
    out = paragraphs(*lines)
    for head, first in zip(heads, firsts, strict=True):
        assert head in out
        assert first + rest in out


def test_column_width_counts_runs_of_wrapped_lines() -> None:
    from pipeline.clean import column_width, split_lines

    wrapped = ["为进一步点亮夜间经济，激发更多", "消费潜力，需要不断创新消费场景", "和业态，更需要进一步优化营商环", "境，让夜间经济成为城市的名片。"]
    body = "夜间经济是城市活力的重要体现，也是扩大内需的重要抓手，各地纷纷出台措施。"
    col = column_width(split_lines("\n\n".join([*wrapped, body, *wrapped[:3], body])))
    assert col is not None and col.chars == 15
    scattered = [line for head in wrapped[:3] for line in (head, body)] * 2
    assert column_width(split_lines("\n\n".join(scattered))) is None


def test_word_across_a_break_must_outweigh_the_words_either_side() -> None:
    from pipeline.clean import forms_word_across

    assert forms_word_across("的劳", "模精神")  # 劳模: 劳 and 模 end no common word here
    assert forms_word_across("社区工作", "者说")  # 工作者
    # 新民 across 焕然一新 | 民生: the line ends on 一新, more common than 新民
    assert not forms_word_across("焕然一新", "民生无")
    assert not forms_word_across("乡村振兴", "业态创新")  # 振兴 is more common than 兴业
    assert forms_word_across("今年暑", "假期间")  # 暑 ends no word of its own: 暑假
    lines = ["去年以来，全市完成老旧小区改造一百二十个，惠及居民三万多户。", "老城区面貌焕然一新", "民生无小事，枝叶总关情。改造中，社区先征求居民意见。"]
    assert paragraphs(*lines) == lines


# --- a dash closes a lead-in paragraph or a kicker ---------------------------------------


def test_dash_ends_a_lead_in_paragraph() -> None:
    lead = "在党中央坚强领导下，一幅京津冀协同发展的精美画卷徐徐铺展——"
    out = paragraphs(lead, "京津冀一小时交通圈和半小时通勤圈轮廓日益清晰；北京“瘦身提质”成效明显。")
    assert out[0] == lead


def test_dash_inside_an_open_quote_goes_on() -> None:
    out = paragraphs("他说：“蜜瓜让咱脱了贫，甜在了兰考人心里，牌子就叫——", "甜心兰！”谈到未来，他信心满满。")
    assert len(out) == 1


def test_kicker_with_dash_stays_above_title() -> None:
    out = paragraphs("四川省巴中市南江县原县委常委、纪委书记王瑛——", "铁骨柔情 敢于碰硬（最美奋斗者）")
    assert len(out) == 2


# --- long lines: broken sentences, unless a quotation opens the next line ---------------


def test_long_line_is_joined() -> None:
    out = paragraphs(
        "在项目启动之初，活动中心整合利用社会资源，聘请一批导师，对每一个培训课程事先开展专题研究，探讨",
        "教学方式，预测教学效果。",
    )
    assert len(out) == 1


def test_long_summary_line_before_a_quotation_is_kept() -> None:
    out = paragraphs(
        "政策发力要研究农村、中小城市、服务消费等不同特点，提高政策发力的精准度和有效性",
        "“天猫精灵，今天天气如何？”在北京市西城区的一家商场里，智能音箱前围满了顾客。",
    )
    assert len(out) == 2


# --- short colon lines: salutations and speaker labels ------------------------------------


@pytest.mark.parametrize(
    "label",
    [
        "亲爱的妈妈：",
        "同志们，朋友们：",
        "网友“清静”：",
        "这正是：",
        "气象专家介绍，近期南方阴雨天气有3个特点：",
    ],
)
def test_colon_label_stands_alone(label) -> None:
    out = paragraphs(
        "在祖国东极，有这样一群人坚守战位。",
        label,
        "不知不觉中，和你们分别有两年时间了，我时常会怀念一家三口在一起的日子。",
    )
    assert label in out


@pytest.mark.parametrize(
    ("before", "a"),
    [
        ("在祖国东极，有这样一群人坚守战位。", "他对身边的同事说："),  # speech verb: the quote goes on
        ("在祖国东极，有这样一群人坚守战位。", "本次论坛的主题是“全媒体时代："),  # the quote is still open
    ],
)
def test_colon_near_misses_go_on(before, a) -> None:
    out = paragraphs(
        before, a, "名品超市、学海书店……尽显文化底蕴与艺术气息，今年年初，社区又新开了一家书店。"
    )
    assert not any(line == a for line in out)


# --- a sign-off bracket after the last full stop closes the paragraph ----------------------


@pytest.mark.parametrize(
    "sign_off", ["（记者康劲、通讯员白家华）", "（回信全文另发）", "（本报北京2月1日电）"]
)
def test_sign_off_ends_the_paragraph(sign_off) -> None:
    last = "此外，白银市总还建立活动台账，要求结对单位做到“五有”标准。" + sign_off
    assert paragraphs(last, "农贸市场里的家庭医生工作室")[0] == last


@pytest.mark.parametrize(
    ("line", "signed"),
    [
        ("活动由福建省总工会指导。（记者李逸萌）", True),
        ("“后续我们将调整捐赠物资。”（完）", True),
        ("有条件的镇（街道）", False),  # a bracket inside the sentence
        ("仿古小镇不宜一哄而上（观点）", False),  # a title's column label
    ],
)
def test_signed_end(line, signed) -> None:
    from pipeline.clean import RE_SIGNED_END

    assert bool(RE_SIGNED_END.search(line)) is signed


# --- body openers: a line opening with an adverbial clause is running text ---------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("据悉，施政报告发表后，林郑月娥还将邀请社会", "领袖、专家、学者继续深入审视香港的社会矛盾。"),
        ("4个月后，一副义肢支撑着徐前", "凯，他再一次站了起来。"),
        ("同时，涉及33万户居民的环境综合整治工程也实施完成，生活污水垃圾", "实现无害化收集处置。"),
        ("欧丽彬介绍，本次活动派发物资共计609件", "书籍仅余25本。"),
    ],
)
def test_body_opener_goes_on(a, b) -> None:
    assert len(paragraphs("此前的工作已经完成。", a, b)) == 2


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # a phrase closed by 期间 / 以来, a place after 在, a discourse word, a long speaker
        # before a reporting verb, a date or a time of day, 经过… / …一样: openers of a sentence
        ("春运期间，铁路部门在全国各大车站增开了", "临时列车，方便旅客返乡，车站还开设了爱心通道和母婴候车室。"),
        ("建站以来，这座小小的气象站已经连续记录了", "四十多年的数据，为研究当地气候变化留下了宝贵的资料。"),
        ("在村口的老槐树下，几位老人正围坐着", "下棋聊天，孩子们在一旁追逐打闹，笑声传得很远很远。"),
        ("其实，很多年轻人早就习惯了在网上", "办理各种手续，排队等候的场景越来越少见了，办事效率也高了。"),
        ("省气象台首席预报员张某分析，受冷空气影响", "本周后期全省将有一次明显降温过程，请大家注意防寒保暖。"),
        ("当地时间3月5日晚，一场音乐会在市中心", "广场举行，数千名市民冒着细雨赶来观看，现场气氛十分热烈。"),
        ("早晨7点，菜市场里已经挤满了前来", "采购的市民，摊主们一边吆喝一边忙着称重、找零、装袋。"),
        ("经过三年的努力，这个村子修通了", "连接县城的公路，村里的农产品第一次用卡车运出了大山。"),
        ("和许多同龄人一样，他也在城里", "找了一份工作，每到周末却总要回到村里帮父母干农活。"),
        # a conditional or concessive clause, 展望…
        ("只要有一点空闲，老周就会钻进", "自家的小工坊里，一刻不停地摆弄那些木头和刨子。"),
        ("即便天气不好，每天清晨他都会", "准时出现在村口的小广场上，带着大家一起锻炼。"),
        ("展望明年，公司计划在东南亚", "新建两座工厂，把产品卖到更多国家和地区去。"),
        # 不久前 beside 前不久, 此时此刻 beside 此刻
        ("不久前，县里的农技站派来了", "两名技术员，手把手教村民们给果树剪枝、施肥和防虫。"),
        ("此时此刻，千里之外的边防哨所里", "战士们正迎着风雪巡逻，脚下的积雪没过了膝盖。"),
    ],
)
def test_more_sentence_openers_go_on(a, b) -> None:
    assert len(paragraphs("此前的工作已经完成。", a, b)) == 2


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("在重庆，迷上滑雪", "今年春节假期，很多南方人的游玩方式出现了新变化。"),  # too short for running text
        (
            "去年，我国利用外资的数字却很亮丽：",
            "“6万家”——去年我国新设外资企业超过6万家。",
        ),  # a colon introduces a list
        (
            "11年，守护楼兰心未变（点赞新时代）",
            "小李说，在楼兰，草芽见证了他的坚守。",
        ),  # a title's column label
    ],
)
def test_body_opener_near_misses(a, b) -> None:
    assert len(paragraphs("此前的工作已经完成。", a, b)) == 3


# --- segments_across: jieba's best path runs a word across the break ---------------------


@pytest.mark.parametrize(
    ("a", "b", "across"),
    [
        ("柬埔寨首相洪森今年1月访", "华期间表示", True),  # 访华
        ("陈水兵从2006年开始养殖，摸爬", "滚打，熟知这个行业", True),  # 摸爬滚打
        ("让文朝荣和他的乡亲们欣慰的是，国家实施退", "耕还林新政", True),  # 退耕还林
        ("白银推进职工之家结对共建", "本报讯（通讯员白家华）", False),
        ("农贸市场里的家庭医生工作室", "5月18日，在江苏省镇江市", False),
        ("瞄准有益、有趣、有用", "嘉兴工会打造50多个“美好生活能量站”", False),
    ],
)
def test_segments_across(a, b, across) -> None:
    from pipeline.clean import segments_across

    assert segments_across(a, b) is across


@pytest.mark.parametrize("label", ["核心阅读", "编者按", "阅读提示"])
def test_box_label_stands_alone(label) -> None:
    out = paragraphs(
        "田野有多广袤，画布就有多大", label, "江西吉安市万安县有一群农民画家，他们用画笔描绘乡村振兴。"
    )
    assert out == [
        "田野有多广袤，画布就有多大",
        label,
        "江西吉安市万安县有一群农民画家，他们用画笔描绘乡村振兴。",
    ]


# --- duplicates: a pull quote without its full stop is not an OCR repeat -----------------


def test_pull_quote_does_not_remove_the_body_paragraph() -> None:
    quote = "生态保护成为西部开发的底色，更是不容触碰的红线"
    body = "生态保护成为西部开发的底色，更是不容触碰的红线。"
    out = paragraphs("大保护·底色", quote, "点开卫星地图，一条从黑龙江黑河到云南腾冲的线清晰可见。", body)
    assert body in out and quote in out


def test_repeated_paragraph_is_removed() -> None:
    body = "生态保护成为西部开发的底色，更是不容触碰的红线。"
    out = paragraphs("大保护·底色", body, "点开卫星地图，一条从黑龙江黑河到云南腾冲的线清晰可见。", body)
    assert out.count(body) == 1


def test_repeated_paragraph_ending_in_a_percent_sign_is_removed() -> None:
    # the key drops "%": the earlier copy still ends its sentence there (…达3.48%。)
    body = "县统计局局长李建华介绍，全县新兴产业产值去年增长一成以上，研发投入占比达3.48%。"
    out = paragraphs("小县城的新产业", body, "记者走访了几家新开的工厂，车间里一片繁忙。", body)
    assert out.count(body) == 1


def test_figure_caption_repeated_inside_a_wrapped_paragraph_keeps_the_paragraph() -> None:
    # A chart box quotes the body's sentence. In the body the sentence is wrapped in a narrow
    # column: its lines repeat the box, but the first of them goes on from the line before
    # (201|8年), so they are a sentence printed again inside a longer paragraph.
    box = ["5100公里", "全县农村公路里程从2018年的3200公里，", "增加到2021年的5100公里，通村率达到百分之百。"]
    body = ["几年来一路修一路建，全县农村公路里程从201", "8年的3200公里，增加到", "2021年的5100公里，通", "村率达到百分之百。"]
    out = paragraphs(*box, "山里通了致富路", *body, "产业兴旺带动群众增收")
    assert "几年来一路修一路建，全县农村公路里程从2018年的3200公里，增加到2021年的5100公里，通村率达到百分之百。" in out


def test_sentence_repeated_inside_a_narrow_column_keeps_the_paragraph() -> None:
    # An earlier paragraph prints the same clauses. In the later one they are wrapped in a
    # narrow column, and only the column's width shows that their first line goes on from
    # the line before (…举办了 | 100余场…): they are the paragraph's middle, no repeat.
    earlier = "这是一场文明互鉴的盛会，100余场国家日和荣誉日、3000多场民族民间文化活动，促进了各国文明交流。"
    body = ["本届博览会共有全球80个", "国家和国际组织参展，举办了", "100余场国家日和荣誉日、", "3000多场民族民间文化活", "动，吸引了近千万人次参观，", "展出规模之大前所未有。"]
    out = paragraphs("博览会闭幕", earlier, "记者在现场看到，各国展馆前排起了长队。", *body)
    assert "".join(body) in out and earlier in out


def test_reprint_opening_with_a_phrase_the_page_repeats_is_removed_whole() -> None:
    # Ten paragraphs open with the same phrase, more than a gram names sources for: the
    # narrow reprint of the last one is found from the gram after the phrase, so the later
    # copy goes, all of it, and the paragraph printed first stays.
    tails = [
        "要坚持农业农村优先发展，把产业振兴摆在突出位置。", "要培育乡村人才，让更多青年愿意回到家乡创业。",
        "要保护好乡村生态，让绿水青山成为群众的金山银山。", "要繁荣乡村文化，办好农民喜闻乐见的文化活动。",
        "要健全乡村治理体系，让村民议事有平台有规矩。", "要深化农村改革，激活土地和集体资产的潜力。",
        "要加强基础设施建设，把公路和网络通到每个村。", "要办好农村教育，让孩子们在家门口上好学校。",
        "要完善农村养老服务，让老人们老有所依。",
    ]
    last = "推进乡村全面振兴，要把建章立制贯穿全过程各方面，建立健全长效机制，形成系统完备、有效管用的制度体系。"
    reprint = ["推进乡村全面振兴，要把建章", "立制贯穿全过程各方面，建立健", "全长效机制，形成系统完备、有", "效管用的制度体系。"]
    page = "\n\n".join(["乡村振兴的路径", *("推进乡村全面振兴，" + t for t in tails), last, "各地要结合实际制定具体措施。", *reprint, "下一篇"])
    got = clean_page(page)
    assert [r.text for r in got.removed] == ["\n".join(reprint)]
    assert got.text.split("\n").count(last) == 1


def test_paragraph_printed_twice_under_a_summary_quoting_it_is_removed_once() -> None:
    summary = "老街改造要留住烟火气，既要修好路面管网，也要守住老店老铺"
    body = "老街改造要留住烟火气，既要修好路面管网，也要守住老店老铺。"
    out = paragraphs("老街新生", summary, "去年秋天，这条三百米长的老街开始改造。", body, body, "如今，老街上的十几家老店都回来了。")
    assert summary in out and out.count(body) == 1


@pytest.mark.parametrize(
    ("title", "earlier", "between", "body", "whole"),
    [
        # a pull quote leaves the full stop off; the body's sentence ends inside its third line
        (
            "社区治理有新招",
            "只有把群众的小事当成大事，才能把基层治理做细做实",
            "记者来到城东社区，居民们正在议事厅里商量加装电梯的事。",
            ["只有把群众的小事当成大", "事，才能把基层治理做细做", "实。这是社区党委书记王", "立新常说的一句话。"],
            "只有把群众的小事当成大事，才能把基层治理做细做实。这是社区党委书记王立新常说的一句话。",
        ),
        # a summary ends its sentence (…2.35%。) where the body goes on (…2.35%，比前年…)
        (
            "稳就业的答卷",
            "去年，全市新增城镇就业岗位4.2万个，登记失业率降至2.35%。",
            "记者从市人社局获悉，多项就业指标好于预期。",
            ["去年，全市新增城镇就业岗位4.", "2万个，登记失业率降至2.3", "5%，比前年下降了0.2个百分点。"],
            "去年，全市新增城镇就业岗位4.2万个，登记失业率降至2.35%，比前年下降了0.2个百分点。",
        ),
        # a lede and the body both end the sentence inside the body's third line (…人生轨|迹。),
        # then go different ways
        (
            "我的返乡路",
            "乡村振兴是一篇写在大地上的大文章，也彻底改变了我的人生轨迹。那年我刚从农学院毕业。",
            "家乡的山还是那座山，路却变了模样。",
            ["乡村振兴是一篇写在大地上的大", "文章，也彻底改变了我的人生轨", "迹。此后我在村里办起了合作社，", "带着乡亲们种植高山蔬菜。"],
            "乡村振兴是一篇写在大地上的大文章，也彻底改变了我的人生轨迹。此后我在村里办起了合作社，带着乡亲们种植高山蔬菜。",
        ),
    ],
)
def test_wrapped_paragraph_sharing_its_first_sentence_with_an_earlier_line_stays(title, earlier, between, body, whole) -> None:
    out = paragraphs(title, earlier, between, *body)
    assert earlier in out and whole in out


@pytest.mark.parametrize(
    "body",
    [
        ["2020年5月，全市对186家小微企业", "减免了房租，其中97家企业享受全", "额减免……此后，减免政策又延长", "了半年，惠及的企业越来越多。"],
        # the first line is long enough to be taken for a repeat on its own; the lines
        # together are the paragraph, so it is not
        ["2020年5月,全市对186家小微企业减免了", "房租,其中97家企业享受全", "额减免……此后,减免政策又延长", "了半年,惠及的企业越来越多。"],
    ],
)
def test_paragraph_going_on_where_a_wrapped_box_ends_its_sentence_stays(body) -> None:
    # the box's sentence is wrapped (…享受全额 | 减免。); where it ends, the body goes on (……此后)
    box = ["2020年5月，全市对186家小微企业减免了房租，其中97家企业享受全额", "减免。"]
    out = paragraphs("暖企行动", *box, "记者从市财政局获悉，各项惠企政策落地见效。", "政策落地", *body)
    whole = "2020年5月，全市对186家小微企业减免了房租，其中97家企业享受全额减免……此后，减免政策又延长了半年，惠及的企业越来越多。"
    assert whole in out


def test_copy_of_a_passage_printed_across_a_running_head_is_one_repeat() -> None:
    # the running head inside the earlier copy is not part of its text: the later copy is one
    # repeat, and its short last line (…队在车站待命。) goes with it
    first = ["春运期间，全市公交部门加开夜班线路二十条，", "人民日报 2019年2月1日 星期五", "方便返乡旅客换乘；出租车企业也安排了专门的车队在车站待命。"]
    copy = ["春运期间，全市公交部门加开夜班线路二十条，方便返乡旅客换乘；出租车企业也安排了专门的车", "队在车站待命。"]
    out = paragraphs("温暖回家路", *first, "火车站广场上，志愿者们忙着为旅客指路。", *copy)
    assert "".join(out).count("队在车站待命") == 1


def test_first_line_of_a_paragraph_a_pull_quote_quotes_stays() -> None:
    # the two lines repeat the quote, which leaves the full stop off: the body's paragraph,
    # and its first line alone is no repeat either
    quote = "2019年至2021年,全省法院共审结知识产权案件1.2万件,调解结案3800件"
    body = ["2019年至2021年，全省法院共审结知识产权案件", "1.2万件，调解结案3800件。"]
    lead = "保护知识产权就是保护创新。近年来，全省法院不断加大司法保护力度。"
    out = paragraphs(quote, "为创新保驾护航", lead, *body, "审判质效稳步提升")
    assert "".join(out).count("2019年至2021年，全省法院共审结知识产权案件") == 2


def test_line_repeating_earlier_sentences_in_another_order_stays() -> None:
    # OCR repeats a passage in reading order: a line taking a later sentence's words first
    # and an earlier one's after them is written that way, no splice of two copies
    first = "这座城市先后建成了十二座口袋公园，让居民出门就能见到绿色。"
    second = "今年还将新建一条沿河绿道，把分散的口袋公园串联起来。"
    line = "新建一条沿河绿道，这座城市先后建成了十二座口袋公园"
    out = paragraphs("绿色家园", first, second, "记者走访了几个社区。", line, "市民们纷纷点赞。")
    assert line in "".join(out)


def test_box_text_printed_again_and_cut_off_at_the_end_of_the_page_is_removed() -> None:
    # a copy of a box's text outside the box is the article body (the box quotes it), unless
    # it stops mid-sentence where the box goes on and nothing follows
    box = "去过渔村码头，去过山区茶园，去过老旧小区，记者们带回了一个个鲜活的故事。"
    cut = ["去过渔村码头，去过山区茶园，", "去过老旧小区，记者们带回了一"]
    out = paragraphs("编者按", box, "新春走基层", "本报记者 李明", "清晨六点，菜市场已经热闹起来。", *cut)
    assert box in out and not any(line.startswith("去过渔村码头") and line != box for line in out)


def test_body_sentence_quoted_by_a_box_stays() -> None:
    box = "去过渔村码头，去过山区茶园，记者们带回了许多故事。"
    body = ["去过渔村码头，去过山区茶园，", "记者们带回了许多故事。"]
    out = paragraphs("编者按", box, "新春走基层", "本报记者 李明", *body, "清晨六点，菜市场已经热闹起来。")
    assert out.count(box) == 2


def test_first_line_of_a_paragraph_quoted_by_the_summary_stays() -> None:
    # the summary quotes the body's opening; the body's first line is cut mid-word (美|好) and
    # its next line goes on as the summary does: the start of the paragraph, not a repeat
    summary = "村里的路宽了，灯亮了，乡亲们的日子过得越来越美好"
    body = "村里的路宽了，灯亮了，乡亲们的日子过得越来越美好。说起这几年的变化，老支书打开了话匣子。"
    out = paragraphs("山村新景", summary, "本报记者 王晓明", body[:23], body[23:], "村口的小广场上，孩子们在追逐嬉戏。")
    assert body in out and summary in out


def test_subheading_made_of_two_body_phrases_stays() -> None:
    # a subheading sums up the section in the body's own words: not an OCR splice
    heading = "发展乡村特色旅游是推动乡村振兴的有力抓手"
    out = paragraphs(
        "小山村的新产业",
        "近年来，当地大力发展乡村特色旅游，游客越来越多。",
        "实践证明，产业兴旺是推动乡村振兴的有力抓手。",
        heading,
        "去年，全村接待游客超过十万人次。",
    )
    assert heading in out


def test_paragraph_ending_in_its_title_printed_twice_is_kept_once_and_stays_so() -> None:
    # The title is the paragraph's last words, so the wrapped copy's last lines and the
    # repeat after them match the title and the wrapped copy: the run is split at its first
    # lost line, and the repeat still goes.
    title = "张华分别会见东方国副总理兼外交部长李青山、北方大学商学院顾问委员会委员"
    body = "新华社北京3月2日电 （记者王强）国家副主席张华2日在北京分别会见东方国副总理兼外交部长李青山、北方大学商学院顾问委员会委员。"
    wrapped = ["新华社北京3月2日电 （记", "者王强）国家副主席张华2日", "在北京分别会见东方国副总理", "兼外交部长李青山、北方大学", "商学院顾问委员会委员。"]
    page = ["何平参加会见。", title, *wrapped, body, "双方就人才交流等议题交换了意见。"]
    out = paragraphs(*page)
    assert out.count(body) == 1 and title in out
    once = clean_page("\n\n".join(page)).text
    assert clean_page(once).text == once


def test_long_repeat_cut_off_before_a_title_is_removed() -> None:
    # printed again and cut off after an opening quote, the copy runs into the next title
    body = "新学期的第一堂课上，老师们讲起了这座小城的变化。孩子们说，从前的泥巴路变成了柏油路，傍晚的广场上亮起了路灯，这些都不是一句“变化大”可以说完的。"
    cut = "新学期的第一堂课上，老师们讲起了这座小城的变化。孩子们说，从前的泥巴路变成了柏油路，傍晚的广场上亮起了路灯，这些都不是一句“"
    title = "全市中小学春季开学"
    out = paragraphs("小城新学期", body, "学校还新添了一间图书室，藏书三千余册。", cut, title, "本报讯 （记者李明）全市中小学今天正式开学。")
    assert out.count(body) == 1 and title in out and not any(line.startswith(cut) and line != body for line in out)


@pytest.mark.parametrize(
    ("a", "b"),
    [("水利部发文", "采砂管理纳入河湖长制考核体系"), ("国际象棋男子世界杯赛", "中国棋手丁立人获得亚军")],
)
def test_two_title_lines_above_a_byline_stay_apart(a, b) -> None:
    out = paragraphs("此前的工作已经完成。", a, b, "本报北京2月24日电 （记者王浩）水利部日前印发通知。")
    assert a in out and b in out


def test_broken_body_line_above_a_byline_is_still_joined() -> None:
    out = paragraphs(
        "据介绍，白银市总工会将继续推动",
        "结对共建工作走深走实。",
        "本报北京2月24日电 （记者王浩）水利部日前印发通知。",
    )
    assert out[0] == "据介绍，白银市总工会将继续推动结对共建工作走深走实。"


def test_title_with_column_label_is_not_joined_to_its_first_line() -> None:
    out = paragraphs(
        "贸易增长也可能迅速反弹。", "让“空心小镇”重焕生机（环球走笔）", "“哪天回？”“不知道，没通知。”"
    )
    assert out[1] == "让“空心小镇”重焕生机（环球走笔）"


def test_bracket_at_the_end_of_a_wrapped_line_goes_on() -> None:
    out = paragraphs("龙池、凤沼为圆形。龙池内", "刻有“太和丁未”（唐文宗年号）", "四字。")
    assert len(out) == 1


# --- a summary line under a title ----------------------------------------------------------

DECK = "减税红利由制造、经销企业和消费者共同分享，有利于增强企业发展信心，激发市场活力"


def test_summary_line_under_a_title_is_its_own_paragraph() -> None:
    out = paragraphs(
        "实体经济受益多", DECK, "4月1日实施的深化增值税改革，将制造业等行业的适用税率由16%降至13%。"
    )
    assert out == [
        "实体经济受益多",
        DECK,
        "4月1日实施的深化增值税改革，将制造业等行业的适用税率由16%降至13%。",
    ]


def test_long_line_under_a_title_with_a_short_tail_is_joined() -> None:
    out = paragraphs("实体经济受益多", DECK, "，各方都受益。")
    assert len(out) == 2


def test_long_line_after_body_text_is_joined() -> None:
    out = paragraphs(
        "此前的工作已经完成。", DECK, "4月1日实施的深化增值税改革，将制造业等行业的适用税率由16%降至13%。"
    )
    assert len(out) == 2


def test_time_of_day_across_a_colon_goes_on() -> None:
    out = paragraphs("报名开始。", "考生可于11月6日18:", "00前登录网站报名。")
    assert out == ["报名开始。", "考生可于11月6日18:00前登录网站报名。"]


def test_ellipsis_line_between_paragraphs_stays() -> None:
    out = paragraphs("党中央组建中央全面依法治国委员会；", "……", "站在新的历史起点，法治建设迈出新步伐。")
    assert out == ["党中央组建中央全面依法治国委员会；", "……", "站在新的历史起点，法治建设迈出新步伐。"]


def test_ellipsis_after_an_open_line_goes_on() -> None:
    out = paragraphs("家家户户开饭店、办民宿", "……日子越过越红火。")
    assert len(out) == 1


@pytest.mark.parametrize(
    ("a", "b"), [("煤电换新颜，", "清洁少污染。"), ("农贸市场大变样，", "管理提升信息畅。")]
)
def test_verse_lines_stay_apart(a, b) -> None:
    assert paragraphs("这正是：", a, b) == ["这正是：", a, b]


@pytest.mark.parametrize(
    ("a", "b"),
    [("为中华人民共和国成立70周年，", "为中国繁荣富强干杯！"), ("在这里，", "我们看到了希望和未来。")],
)
def test_verse_near_misses_go_on(a, b) -> None:
    assert len(paragraphs(a, b)) == 1


@pytest.mark.parametrize(
    ("before", "line", "after", "furniture"),
    [
        ("年时间大雪封山。", "13", "2014年，隧道贯通。", True),  # after a closed sentence
        ("", "05", "万里长江第一桥", True),  # top of the page
        ("这座城市已经走过了", "13", "年的发展历程。", False),  # a number broken inside a sentence
        ("全年出口额同比增长了2", "1", "%。", False),  # digits go on
        ("活动于5月1", "2", "日在市体育馆举行。", False),  # 5月12日
        ("这项计划始于201", "6", "年，至今已推进三轮。", False),  # 2016年
        # no number is broken like this: it is the page number printed between the lines
        ("管理处随之成立，", "14", "4名年轻人陆续来到这里。", True),  # digits right after it
        ("活动于5月3", "4", "日在市体育馆举行。", True),  # no 34th day
        ("这项计划始于2016", "12", "年，至今已推进三轮。", True),  # no six-digit year
    ],
)
def test_bare_number_furniture(before, line, after, furniture) -> None:
    from pipeline.clean import is_furniture

    assert is_furniture(line, before, after) is furniture


def test_date_range_cut_after_its_dash_is_no_running_head() -> None:
    from pipeline.clean import is_furniture

    assert is_furniture("2023年8月2日—1", "赛程安排", "2日在杭州举行，共设十个大项。") is False
    assert is_furniture("2023年8月2日 星期三", "赛程安排", "2日在杭州举行，共设十个大项。") is True
    got = paragraphs("赛程安排", "比赛于2023年8月2日—1", "2日在杭州举行，共设十个大项。")
    assert "".join(got).endswith("比赛于2023年8月2日—12日在杭州举行，共设十个大项。")


def test_bare_number_matching_the_page_number_is_furniture_inside_a_number() -> None:
    # the page prints its number (第6版); the same bare number inside a broken number is
    # that page number again, not digits of the number
    got = paragraphs("第6版 要闻", "全年销售收入达到4.1", "6", "7万亿元，同比增长百分之五。")
    assert got == ["全年销售收入达到4.17万亿元，同比增长百分之五。"]


def test_bare_number_with_a_leading_zero_is_furniture_inside_a_sentence() -> None:
    got = paragraphs("这项工程凝聚了数代建设者的心血，", "07", "千万人次从中受益。")
    assert got == ["这项工程凝聚了数代建设者的心血，千万人次从中受益。"]


def test_bare_number_other_than_the_page_number_stays_in_the_number() -> None:
    got = paragraphs("第6版 要闻", "这座城市已经走过了", "13", "年的发展历程。")
    assert "".join(got) == "这座城市已经走过了13年的发展历程。"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("后来，他又自掏腰包，发工资请村民来管理苗木", "基地，等苗木长好了，再送给他们种植。"),
        ("苏炳添在自己本年度室内赛的最后一场比赛", "中，延续了此前上佳的状态。"),
    ],
)
def test_short_clause_opening_a_line_ends_the_clause_left_open(a, b) -> None:
    assert paragraphs("这是上一段。", a, b) == ["这是上一段。", a + b]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("共建共享，持续提升城市颜值", "近日，市里召开了推进会。"),  # an adverbial opener starts a paragraph
        ("全国人民代表大会常务委员会免职名单", "一、免去张三的审判员职务。"),  # a list item
    ],
)
def test_short_opener_after_a_heading_stays_apart(a, b) -> None:
    assert paragraphs("这是上一段。", a, b) == ["这是上一段。", a, b]


def test_line_opening_with_a_reporting_verb_continues_the_speaker() -> None:
    got = paragraphs("他在会上发言。", "省委书记在全会上", "指出，要把工作落到实处。")
    assert got == ["他在会上发言。", "省委书记在全会上指出，要把工作落到实处。"]


def test_dateline_line_is_not_a_splice_of_earlier_text() -> None:
    first = "新华社北京2月15日电 （记者王五）全军政法工作会议15日在京召开，会议总结了去年的工作。"
    title = "国务院任免国家工作人员"
    out = paragraphs(first, title, "新华社北京2月15日电 国务院任免国家工作", "人员。")
    assert "".join(out).replace(" ", "").endswith(title + "新华社北京2月15日电国务院任免国家工作人员。")


def test_sentence_quoted_inside_a_paragraph_does_not_remove_the_quotation() -> None:
    earlier = "天然气问题牵动欧洲。北溪—2项目在欧盟内部引发的争议不断，要求加强监管的呼声也持续高涨。"
    later = "“北溪—2项目在欧盟内部引发的争议不断，要求加强监管的呼声也持续高涨。”"
    out = paragraphs("北溪—2项目引发争议", earlier, "德法两国日前达成妥协，联合向欧盟提交了修改提案。", later)
    assert later in out


# --- evidence added for issue 3 ----------------------------------------------------------


def test_dateline_line_goes_on() -> None:
    got = paragraphs("本报北京3月2日电 （记者张三）记者从文化和旅游", "部获悉：今年共命名12个示范区。")
    assert got == ["本报北京3月2日电 （记者张三）记者从文化和旅游部获悉：今年共命名12个示范区。"]


def test_name_goes_on_after_a_middle_dot() -> None:
    assert paragraphs("他同巴基斯坦总理伊姆兰", "·汗举行会谈。") == ["他同巴基斯坦总理伊姆兰·汗举行会谈。"]


def test_bullet_line_after_a_closed_sentence_stays() -> None:
    assert paragraphs("会议审议了两项议案。", "· 网络消费看点纷呈") == ["会议审议了两项议案。", "· 网络消费看点纷呈"]


@pytest.mark.parametrize(
    ("a", "b", "joined"),
    [
        ("当代中国，正在发生无数奇幻", "瑰丽、动人心魄的故事。", True),
        ("他希望能用古法红糖和当地的柚子", "让乡亲们富起来。他说……", False),  # no clause before: may be a subhead
        ("二、夯实农业基础，保障重要农产品供给", "稳定全国的粮食产量。毫不放松抓好粮食生产。", False),  # numbered item
    ],
)
def test_short_one_clause_tail_after_open_clauses(a, b, joined) -> None:
    assert (len(paragraphs(a, b)) == 1) == joined


@pytest.mark.parametrize("a", ["本报记者 张 三", "版式设计：李 四", "核心阅读"])
def test_byline_note_and_box_label_lines_stand_alone(a) -> None:
    b = "大年初七，年味逐渐散去，市政务服务中心又热闹起来"
    assert paragraphs(a, b) == [a, b]


def test_line_ending_with_an_adverb_goes_on() -> None:
    assert len(paragraphs("进入腊月，村里的年味却", "一天比一天浓了。")) == 1


def test_box_summary_does_not_remove_the_body_paragraph() -> None:
    body = "近年来，这座小城的公共图书馆不断延长开放时间，形成了覆盖城乡的阅读服务网络。"
    got = paragraphs("小城书香浓", "核心阅读", body, "本报杭州3月2日电 （记者张三）记者日前从当地文化部门获悉。", body)
    assert got.count(body) == 2


def test_bulleted_highlight_does_not_remove_the_body_paragraph() -> None:
    highlight = "■三年来，全镇新修农村公路四十多公里，"
    rest = "沿线十二个村的农产品一天之内就能运进城里。"
    body = "三年来，全镇新修农村公路四十多公里，沿线十二个村的农产品一天之内就能运进城里。"
    clean = clean_page("\n\n".join(["山路通了，日子亮了", highlight, rest, "清晨，货车沿着新修的公路驶出山谷。", body]))
    assert clean.text.count("沿线十二个村的农产品") == 2  # the highlight quotes the body: both stay
    assert not [r for r in clean.removed if r.reason != "furniture"]


def test_repeat_of_a_bulleted_paragraph_is_removed() -> None:
    para = "■三年来，全镇新修农村公路四十多公里，沿线十二个村的农产品一天之内就能运进城里。"
    clean = clean_page("\n\n".join(["山路通了，日子亮了", para, "清晨，货车沿着新修的公路驶出山谷。", para]))
    assert clean.text.count("沿线十二个村的农产品") == 1  # OCR printed the highlight again, bullet and all


def test_repeat_found_only_on_whole_paragraphs_is_removed_and_cleaning_is_idempotent() -> None:
    para = "水沙调控没有成熟经验可以借鉴，唯有在试验中不断探索。2002年，黄河首次开展调水调沙试验。"
    raw = "\n\n".join(["黄河调水调沙", para, "小浪底水库已连续多年实施调度。", "水沙调控没有成熟经验可以借鉴，", "唯有在试验中不断探索。2002年，黄河首次开展调水调沙试验。"])
    clean = clean_page(raw)
    assert clean.text.count("水沙调控没有成熟经验") == 1
    assert clean_page(clean.text).text == clean.text


def test_gram_lookup_without_an_index_finds_the_same_repeats(sample_text, monkeypatch) -> None:
    import pipeline.clean as clean_module

    lines = clean_module.split_lines(sample_text + "\n\n" + sample_text[: len(sample_text) // 2])
    searched = clean_module.find_duplicates(lines, set())
    monkeypatch.setattr(clean_module, "MAX_SEARCHED", 0)
    indexed = clean_module.find_duplicates(lines, set())
    assert searched and searched == indexed


def test_title_with_column_label_opens_its_own_line() -> None:
    got = paragraphs("推动共建一带一路走深走实", "为经济全球化健康发展增添动力（适势求是）")
    assert got == ["推动共建一带一路走深走实", "为经济全球化健康发展增添动力（适势求是）"]
    assert len(paragraphs("资产收益扶贫模式，推广到全国13个", "省（区）")) == 1


def test_quotation_title_stands_alone() -> None:
    a, b = "“正视历史，才能避免悲剧重演”", "10月5日，讲述受害者经历的纪录片在川崎市举行首映活动。"
    assert paragraphs(a, b) == [a, b]


def test_salutation_lines_stand_alone() -> None:
    lines = ["尊敬的各位来宾，", "女士们，先生们，朋友们：", "在这金风送爽的美好时节，我们相聚在北京。"]
    assert paragraphs(*lines) == lines


def test_date_opening_a_sentence_starts_a_paragraph() -> None:
    a, b = "农民义务演出队坚持二十七年", "10月20日，江苏省泗洪县曹庙乡武岗村演出队在进行例行演出。"
    assert paragraphs(a, b) == [a, b]
    assert len(paragraphs("杨善洲将林场无偿交给国家。2010年", "10月10日，杨善洲因病医治无效逝世。")) == 1


def test_a_repeat_with_other_punctuation_is_not_removed() -> None:
    # A list item quoting a sentence of the lead with its own punctuation is not an OCR
    # repeat (OCR repeats the punctuation too): removing it would lose the item's text.
    lead = "去年全市新建公园十二座，城市绿化覆盖率提高到百分之四十三，居民出行更加方便。"
    item = "城市绿化覆盖率提高到百分之四十三，居民出行更加方便；"
    got = paragraphs("城市绿了", lead, "具体来看：", item, "农村人居环境明显改善。")
    assert item in got


def test_a_sentence_shared_with_an_open_line_is_not_removed() -> None:
    # The tail of a broken paragraph repeats the end of another paragraph: it continues
    # the open line before it, so it is no repeat of its own.
    first = "本报北京3月2日电 座谈会上，与会专家表示，新的政策让大家看到了全面推进乡村振兴的信心和决心。"
    tail = "振兴的信心和决心。"
    got = paragraphs(first, "记者在村里看到，一位返乡创业的青年说，家乡的变化让他看到了全面推进乡村", tail)
    assert "".join(got).count("信心和决心") == 2
    raw = "\n\n".join([first, "记者在村里看到，一位返乡创业的青年说，家乡的变化让他看到了全面推进乡村", tail])
    clean = clean_page(raw)
    assert clean_page(clean.text).text == clean.text


def test_restored_passage_leaves_no_removal_record() -> None:
    lead = "去年全市新建公园十二座，城市绿化覆盖率提高到百分之四十三，居民出行更加方便。"
    item = "城市绿化覆盖率提高到百分之四十三，居民出行更加方便；"
    clean = clean_page("\n\n".join(["城市绿了", lead, "具体来看：", item, "农村人居环境明显改善。"]))
    assert not [r for r in clean.removed if r.reason != "furniture"]


def test_raise_floors_keeps_the_documented_margin(tmp_path, monkeypatch) -> None:
    import json

    import pipeline.evaluation.common as common
    from pipeline.evaluation.clean import raise_measured_floors

    monkeypatch.setattr(common, "FLOORS_DIR", tmp_path)
    (tmp_path / "clean.json").write_text(json.dumps({"join_recall": 0.9, "glue_rate_max": 0.02, "retention": 0.999}))
    floors = raise_measured_floors({"join_recall": 0.98, "glue_rate_max": 0.008, "retention": 0.9})
    assert floors == {"join_recall": 0.975, "glue_rate_max": 0.01, "retention": 0.999}  # never lowered


def test_floors_are_raised_from_the_worse_of_quick_and_full() -> None:
    from pipeline.evaluation.common import worst_of

    full = {"join_recall": 0.986, "glue_rate_max": 0.007, "retention": 1.0}
    quick = {"join_recall": 0.991, "glue_rate_max": 0.009, "retention": 0.998}
    assert worst_of(full, quick) == {"join_recall": 0.986, "glue_rate_max": 0.009, "retention": 0.998}


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("2016年3月，村里的合作社", "正式挂牌成立，第一批社员有四十多户。"),
        ("今年2月18日，在县城", "新建的文化广场上举行了灯会。"),
        ("3月5日下午4点多，记者来到", "镇卫生院的门诊大厅，看到候诊的人并不多。"),
        ("35岁那年，他辞去工作", "回到家乡承包了两百亩荒山。"),
    ],
)
def test_line_opening_with_a_date_goes_on(a, b) -> None:
    assert len(paragraphs(a, b)) == 1


def test_dated_list_entries_stay_apart() -> None:
    # a timeline: each entry opens with a date, and a short title-like line follows it
    lines = ["1960年5月1日，第一座电视塔建成", "全省第一次试播电视节目", "1965年10月，县里建起广播站"]
    assert paragraphs(*lines) == lines


def test_summary_opening_with_a_clause_stands_alone() -> None:
    # the body's first line looks like a heading on its own; once joined it does not, and
    # the summary opening with 如今， must still not take it on
    title = "书香里的新年俗"
    deck = "如今，越来越多的人把逛书店当作过年的新去处，在翻书品茶之间感受浓浓的文化氛围"
    got = paragraphs(title, deck, "大年初三，我和家人走进城南一家新开的书", "店，店里早已坐满了看书的人。")
    assert got == [title, deck, "大年初三，我和家人走进城南一家新开的书店，店里早已坐满了看书的人。"]


def test_long_line_under_a_title_cut_on_a_short_word_goes_on() -> None:
    title = "书香里的新年俗"
    a = "如今，越来越多的人把逛书店当作过年的新去处，城南几家书店里还"
    b = "专门摆出了长桌，供一家老小围坐读书。"
    assert paragraphs(title, a, b) == [title, a + b]


@pytest.mark.parametrize(
    ("title", "summary"),
    [
        ("小站里的大担当（一线行走）", "车站虽小，责任不轻。守住安全底线，就是守住旅客回家的路"),
        # its last sentence a single clause: long enough, it is no first line cut at random
        ("小站里的大担当（一线行走）", "车站虽小，责任不轻。守住安全底线就是守住旅客回家的路"),
        # a column label of two characters
        ("让老手艺走进新生活（新语）", "老手艺要传下去，光靠守是不够的。让它走进日常，走进年轻人的生活，老手艺才能真正活起来"),
    ],
    ids=["clauses", "one_clause", "two_character_label"],
)
def test_summary_under_a_commentary_title_stands_alone(title, summary) -> None:
    body = "腊月二十八，记者来到城南一家只有三名职工的小店，店里早已坐满了人。"
    assert paragraphs(title, summary, body) == [title, summary, body]


def test_deck_as_wide_as_the_first_body_line_stands_alone() -> None:
    title = "小站里的大担当"
    deck = "车站虽小，责任不轻，守住安全底线就是守住旅客回家的路"
    body = ["腊月二十八，记者来到这座只有三名职工的小站，站长正在", "检查站台的积雪，几位乘客已经在候车室里等车了。"]
    assert len(deck) == len(body[0])
    assert paragraphs(title, deck, *body) == [title, deck, "".join(body)]


def test_first_body_line_under_a_two_character_column_label_goes_on() -> None:
    title = "让老手艺走进新生活（新语）"
    a, b = "老手艺要传下去，光靠守是不够的。走进", "城南的手工作坊，几位年轻人正围着老师傅学做竹编，屋里满是竹子的清香。"
    assert paragraphs(title, a, b) == [title, a + b]


def test_first_body_line_under_a_commentary_title_goes_on() -> None:
    # cut a few characters into its next sentence: the paragraph goes on
    title = "小站里的大担当（一线行走）"
    got = paragraphs(title, "车站虽小，责任不轻。站长", "老周每天第一个到岗，最后一个离开，一干就是二十年。")
    assert got == [title, "车站虽小，责任不轻。站长老周每天第一个到岗，最后一个离开，一干就是二十年。"]


def test_summary_lines_in_a_block_stand_alone() -> None:
    # a block of summary lines, each a paragraph left without its full stop
    lines = [
        "乡村振兴，人才是关键，一批批年轻人正把新技术新理念带回家乡",
        "返乡创业的路并不平坦，有人起步时屡屡碰壁，有人一年下来赔光了积蓄，却始终没有放弃",
        "他们办起的合作社和网店，让更多乡亲在家门口增收致富",
        "腊月里的王家村，村口的快递点前排起了长队。",
    ]
    assert paragraphs(*lines) == lines


@pytest.mark.parametrize("a", ["暴雨过后，县医院连夜派出一支", "合作社今年又添了两台", "村里新来的几位"])
def test_measure_word_at_the_end_asks_for_its_noun(a) -> None:
    b = "医疗队赶赴受灾最重的山村，帮助群众清理淤泥。"
    assert paragraphs("此前的工作已经完成。", a, b) == ["此前的工作已经完成。", a + b]


def test_name_cut_after_its_dot_goes_on() -> None:
    a, b = "埃及学者穆斯塔法·沙", "克尔表示，两国合作前景广阔。"
    assert paragraphs("此前的工作已经完成。", a, b) == ["此前的工作已经完成。", a + b]


def test_unit_with_a_dot_is_no_name() -> None:
    lines = ["此前的工作已经完成。", "补助标准为3000元/人·年", "全县困难群众都能按时领到补助。"]
    assert paragraphs(*lines) == lines


def test_approximate_count_at_the_end_asks_for_its_noun() -> None:
    a, b = "假日的古镇游人如织，灯笼高挂，3000余名", "游客在石板街上品尝小吃、观看表演。"
    assert paragraphs("此前的工作已经完成。", a, b) == ["此前的工作已经完成。", a + b]


def test_approximate_count_alone_is_a_figure() -> None:
    lines = ["此前的工作已经完成。", "3万余家", "全市新登记的小微企业数量创下新高。"]
    assert paragraphs(*lines) == lines


@pytest.mark.parametrize("a", ["绿水青山连成一片", "我们的地球只有一个", "法律第十一条"])
def test_measure_word_ending_a_saying_or_ordinal_is_no_evidence(a) -> None:
    b = "清晨的村口，几位老人正坐在树下聊天。"
    assert paragraphs("此前的工作已经完成。", a, b) == ["此前的工作已经完成。", a, b]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("座谈会上，省农业科学院", "院长李明说，今年要把新品种送到更多农户手中。"),
        ("会议听取了县人大常委会", "副主任王红作的工作报告。"),
        ("回忆起那次考察，市工商联副", "主席张强感慨万千。"),
    ],
)
def test_post_after_its_organisation_goes_on(a, b) -> None:
    assert paragraphs("此前的工作已经完成。", a, b) == ["此前的工作已经完成。", a + b]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("出席论坛的南非某大学非洲研究中心主任", "约翰·史密斯表示，两国在农业领域的合作潜力巨大。"),
        ("活动结束后，县文化馆馆长", "王红说，明年还要把展览办到更多乡镇去。"),
    ],
)
def test_name_after_its_post_goes_on(a, b) -> None:
    assert paragraphs("此前的工作已经完成。", a, b) == ["此前的工作已经完成。", a + b]


def test_article_of_a_law_runs_to_its_full_stop() -> None:
    lines = ["第八条 县级以上人民政府应当", "加强对公共文化设施的规划和建设，保障经费投入。", "第九条 公共文化设施管理单位应当建立健全管理制度：", "（一）定期检查设施安全；"]
    assert paragraphs(*lines) == [lines[0] + lines[1], lines[2], lines[3]]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("图为3月5日，在某县一家", "食品企业的车间里，工人正在检查发酵中的酸汤。"),
        ("图②：老周（右）正在教", "徒弟修补一只旧木箱。"),
    ],
)
def test_caption_runs_to_its_full_stop(a, b) -> None:
    assert paragraphs("此前的工作已经完成。", a, b) == ["此前的工作已经完成。", a + b]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("地处深山的某县某乡小溪村", "是一个只有几十户人家的小村子，村民世代以种茶为生。"),  # 是 opens no paragraph
        ("这个小村庄如今已经成为", "远近闻名的旅游村，每到周末游客络绎不绝。"),  # a verb that takes an object
        ("村口的大树下，几位老人正围坐着", "下棋聊天，孩子们在一旁追逐打闹，笑声传得很远。"),  # the aspect particle 着
    ],
)
def test_line_ending_before_its_predicate_or_object_goes_on(a, b) -> None:
    assert paragraphs("此前的工作已经完成。", a, b) == ["此前的工作已经完成。", a + b]


def test_post_opening_a_line_after_a_heading_stands_alone() -> None:
    # the line before ends on no organisation: the post opens its own paragraph
    lines = ["此前的工作已经完成。", "让老街重新热闹起来", "主任王红说，改造后的老街每天都有游客。"]
    assert paragraphs(*lines) == lines


@pytest.mark.parametrize("a", ["从过去到现在", "这正是问题所在", "村里一派安定祥和", "好书就在身边触手可及"])
def test_noun_ending_on_an_open_character_closes_the_line(a) -> None:
    lines = ["此前的工作已经完成。", a, "村里的变化一年比一年大。"]
    assert paragraphs(*lines) == lines


def test_preposition_at_the_end_still_goes_on() -> None:
    a, b = "老人每天都坐在", "村口的大树下晒太阳。"
    assert paragraphs("此前的工作已经完成。", a, b) == ["此前的工作已经完成。", a + b]


def test_dateline_broken_before_its_dian_opens_a_paragraph() -> None:
    # a narrow column: the title is as wide as the lines under it
    lines = ["外长会见来访代表团", "本报东京10月11日", "电 （记者李明、王", "红）外长11日在东京", "会见了来访代表团。"]
    got = paragraphs("此前的工作已经完成。", *lines)
    assert got == ["此前的工作已经完成。", lines[0], "".join(lines[1:])]


def test_title_lines_above_a_box_label_stand_alone() -> None:
    # the title lines are as wide as the column below; the box label tells they are titles
    title = ["水乡小镇，许多人家养起了蚕", "日子有多忙，收成就有多好"]
    box = ["核心阅读", "小小蚕茧，撑起了一方百姓的致富梦。"]
    body = ["清晨，村口的桑园里已经有人在", "采桑叶了，竹匾里的蚕宝宝正沙", "沙地吃着，屋里屋外一片忙碌。"]
    got = paragraphs("此前的工作已经完成。", *title, *box, *body)
    assert got == ["此前的工作已经完成。", *title, *box, "".join(body)]


def test_title_lines_above_a_byline_stand_alone() -> None:
    # two lines of one width, the second ending a sentence, right above a byline
    title = ["江南水乡石桥村的老支书王守田", "日子过得好不好，乡亲们说了算！"]
    body = ["清晨，村口的桑园里已经有人在", "采桑叶了，竹匾里的蚕宝宝正沙", "沙地吃着，屋里屋外一片忙碌。"]
    got = paragraphs("此前的工作已经完成。", *title, "本报记者 李 明", *body)
    assert got == ["此前的工作已经完成。", *title, "本报记者 李 明", "".join(body)]


def test_caption_above_a_photo_credit_goes_on() -> None:
    caption = ["图②：村口的桑园里，蚕农", "正在采摘新鲜的桑叶。"]
    got = paragraphs("此前的工作已经完成。", *caption, "本报记者 李 明摄")
    assert got == ["此前的工作已经完成。", "".join(caption), "本报记者 李 明摄"]


def test_long_numbered_heading_stands_alone() -> None:
    heading = "二、加快推进农村公路提档升级，着力打通群众出行的最后一公里，让乡亲们走上致富路"
    body = "近年来，我省农村公路建设取得长足进展，通车里程逐年增加。"
    assert paragraphs("各地交通建设成效明显。", heading, body) == ["各地交通建设成效明显。", heading, body]


def test_long_heading_led_by_parallel_phrases_and_a_dash_stands_alone() -> None:
    heading = "修路架桥，通村入户——全省农村公路建设提速增效，乡亲们走上了平坦宽阔的致富路"
    body = "冬日的清晨，山里的雾气还没散尽。"
    assert paragraphs("各地交通建设成效明显。", heading, body) == ["各地交通建设成效明显。", heading, body]
    # under a long body paragraph too, where a long line of clauses is mostly a broken one
    before = "过去，山里的孩子上学要走两个小时的山路，遇上雨雪天气，泥泞的土路更是寸步难行。"
    assert paragraphs(before, heading, body) == [before, heading, body]
    # a line that only opens with such phrases and goes on to a sentence end is body text
    a = "修路架桥，通村入户——这是老村长念叨了半辈子的心愿。如今村里的公路修到了家门口，乡亲们"
    assert paragraphs("各地交通建设成效明显。", a, "都说日子有了奔头。") == ["各地交通建设成效明显。", a + "都说日子有了奔头。"]


def test_long_line_without_a_number_goes_on() -> None:
    a = "我省加快推进农村公路提档升级，着力打通群众出行的最后一公里和农产品进城的通道"
    b = "村里的特产也能更快运出大山。"
    assert paragraphs("各地交通建设成效明显。", a, b) == ["各地交通建设成效明显。", a + b]


def test_clause_opener_after_a_summary_line_stands_alone() -> None:
    # the body's first line looks like a heading on its own, the joined paragraph does not
    title = "小店经济活力足"
    summaries = ["今年以来全市新开小微商户两万余家，街巷经济持续升温", "调查显示，八成店主对今年的生意前景充满信心"]
    body = ["清晨六点，老街口的早点铺前已", "排起了长队，店主一边揉面一边", "招呼客人，蒸笼里冒出的热气飘", "满了半条街。"]
    assert paragraphs(title, *summaries, *body) == [title, *summaries, "".join(body)]


def test_clause_opener_after_a_lead_in_dash_goes_on() -> None:
    # a line ending in a dash leads in to what follows: it is no summary
    lead = "老张走了，可他留下的那股劲始终在村里传着，从没断过——"
    a, b = "今年1月，村里的合作社第一次给社员分了红，年底算账的时候", "一家家都说这是老张打下的底子。"
    assert paragraphs("村里的路修好了。", lead, a, b) == ["村里的路修好了。", lead, a + b]


def test_long_open_line_after_a_closed_paragraph_still_goes_on() -> None:
    got = paragraphs(
        "腊月里的王家村，村口的快递点前排起了长队。",
        "返乡创业的路并不平坦，有人起步时屡屡碰壁，有人一年下来赔光了积蓄，却始终没有",
        "放弃，如今他们的网店一年能卖出上万单。",
    )
    assert len(got) == 2


@pytest.mark.parametrize("heading", ["坚持正确的发展方向", "以群众需求为导向", "让人才留下来的理由"])
def test_heading_ending_with_a_noun_stands_alone(heading) -> None:
    body = "走进县职业学校的实训车间，机床轰鸣，学生们正在老师的指导下练习操作。"
    assert paragraphs("我们的工作还有很多不足。", heading, body) == ["我们的工作还有很多不足。", heading, body]


def test_line_ending_with_a_verb_of_direction_goes_on() -> None:
    assert len(paragraphs("这家企业的产品正一步步走向", "世界，去年出口额增长了三成。")) == 1


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("冬至前后，合作社的大棚里一片忙碌，社员们", "正忙着给新栽的草莓苗盖上保温膜。"),
        ("说起这些年的变化，老支书掰着指头算账，当地", "村民的人均收入翻了两番还多。"),
    ],
)
def test_line_cut_a_word_into_its_last_clause_goes_on(a, b) -> None:
    assert len(paragraphs(a, b)) == 1


@pytest.mark.parametrize(
    "heading",
    ["整治一村，修复一村，建强一村", "街巷变美了，日子好过", "基层减负：精文简会，轻装上阵"],
)
def test_heading_of_whole_short_clauses_stands_alone(heading) -> None:
    body = "走进县城老街，青石板路干净整洁，两旁的店铺挂起了红灯笼。"
    assert paragraphs("我们的工作还有很多不足。", heading, body) == ["我们的工作还有很多不足。", heading, body]


@pytest.mark.parametrize("end", ['。"', "。'", '！"', "。”"])
def test_ascii_quote_after_a_sentence_end_closes_the_line(end) -> None:
    """OCR prints quotes as ASCII marks too: a sentence end and an ASCII quote closing the
    line end the paragraph as the full-width quote does (before, the line ran on into the
    next paragraph because it held a full stop inside and none at its end)."""
    a = "老队长说：“守好这片林子，是我们一辈子的事。今年春天又补种了两千棵树" + end
    b = "入冬以后，护林员每天清晨都要巡山一圈。"
    assert reason(a, b) is None


def reason(a: str, b: str) -> str | None:
    from pipeline.clean import join_reason, split_lines

    prev, cur = split_lines(a + "\n" + b)
    return join_reason(prev, cur, None, None, None)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("老张看了看新修的院墙，那", "确实比原来结实多了，邻居们也都"),
        ("社员们说起合作社的账本，不少", "人都竖起了大拇指，说这几年"),
        ("围绕种苗培育、冷链物流、新", "机具推广等方面，县里建起了"),
    ],
)
def test_line_cut_after_a_one_or_two_character_clause_goes_on(a, b) -> None:
    assert reason(a, b) == "cut_last_clause"


@pytest.mark.parametrize("heading", ["我爱你，家乡", "新居变得宽敞、明亮、温暖"])
def test_heading_ending_on_a_short_whole_clause_stands_alone(heading) -> None:
    body = "走进县城老街，青石板路干净整洁，两旁的店铺挂起了红灯笼。"
    assert paragraphs("我们的工作还有很多不足。", heading, body) == ["我们的工作还有很多不足。", heading, body]


@pytest.mark.parametrize(
    ("a", "b"),
    [("当天下午，记者见到了村党支部书记饶", "思远，他正在地里查看麦苗的长势"), ("出席仪式的有市文联主席欧阳", "立新等二十多位书画家")],
)
def test_surname_cut_from_its_given_name_goes_on(a, b) -> None:
    assert reason(a, b) == "cut_name"


def test_title_line_ending_with_a_post_stands_alone() -> None:
    lines = ["我们的工作还有很多不足。", "一位好书记", "走进村委会的院子，几位老人正围着火炉聊天。"]
    assert paragraphs(*lines) == lines


@pytest.mark.parametrize("text", ["一位好书记", "走进乡村 记录变化——纪实摄影展", "他当了三十年的老师"])
def test_cut_name_near_misses(text) -> None:
    from pipeline.clean import _cut_name

    assert not _cut_name(text)


@pytest.mark.parametrize("heading", ["聚焦民生 精准发力", "建设美好家园 共享发展成果", "第三节 发展目标"])
def test_spaced_heading_stands_alone(heading) -> None:
    body = "近年来，全县坚持把改善民生作为工作重点，新建了一批学校和卫生院。"
    assert paragraphs("我们的工作还有很多不足。", heading, body) == ["我们的工作还有很多不足。", heading, body]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("建设美好家园 共享发展成", "果 全县今年完成植树造林三万亩。"),  # a heading cut inside its last phrase
        ("第十二条 县级以上人民政府应", "当加强对本行政区域内档案工作的领导。"),  # an article runs on
    ],
)
def test_spaced_heading_near_misses_go_on(a, b) -> None:
    from pipeline.clean import _spaced_heading

    assert not _spaced_heading(a)
    assert len(paragraphs("我们的工作还有很多不足。", a, b)) == 2


@pytest.mark.parametrize(
    "items",
    [
        # each item holds a full stop, which alone would make it body text that goes on
        ["1 选料。挑出粗细均匀的竹子，放在阴凉处晾干", "2 破篾。把竹子劈成薄片，再刮去毛刺", "3 编织。按花样把篾片编成筐"],
        ["（一）完善道路网络。加快建设", "（二）提升供水保障。改造管网", "（三）加快电网改造。推进升级"],
    ],
)
def test_numbered_list_items_stand_alone(items) -> None:
    assert paragraphs("制作竹筐要经过以下几道工序。", *items) == ["制作竹筐要经过以下几道工序。", *items]


def test_list_number_inside_running_text_goes_on() -> None:
    # a numbered clause after an open line continues it
    got = paragraphs("制作竹筐的工序有不少，", "2 个师傅一天也只能编出十来个。")
    assert len(got) == 1


def test_quotation_after_a_speech_verb_and_colon_goes_on() -> None:
    got = paragraphs("问起明年的打算，老李笑着回答：", "“先把大棚再扩一倍，让更多乡亲跟着干。”")
    assert len(got) == 1


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("主要开展了以下工作：", "“一村一品”工程全面铺开，特色产业规模持续扩大。"),  # no speech verb
        ("老李笑着回答：", "先把大棚再扩一倍，让更多乡亲跟着干。"),  # no quotation opens
    ],
)
def test_colon_without_a_quoted_speech_stands(a, b) -> None:
    assert paragraphs("我们的工作还有很多不足。", a, b) == ["我们的工作还有很多不足。", a, b]


def test_dateline_cut_before_its_dian_goes_on() -> None:
    assert reason("本报拉萨3月5日", "电 （记者张明）全区今年新建农村公路三千公里。") == "dateline_cut"
    # a title opening with 本报 is no dateline, whatever the next line opens with
    assert reason("本报评论", "电商进村，还要补上物流短板") != "dateline_cut"


@pytest.mark.parametrize(("cut", "rest"), [("本报开罗10月", "21日电 （记者李明）"), ("新华社伦敦3月1", "2日电 （记者王强）")])
def test_dateline_cut_inside_its_date_opens_a_paragraph_and_goes_on(cut, rest) -> None:
    title = "尼罗河畔的中国医疗队"  # as wide as the cut dateline: no column tells them apart
    body = "当地医院的走廊里，排队候诊的病人比往年少了许多，医生们说这是义诊带来的变化。"
    out = paragraphs("上一篇文章到这里就结束了。", title, cut, rest + body)
    assert out == ["上一篇文章到这里就结束了。", title, cut + rest + body]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("春节前，村里那段修路的视频在网上火", "了：短短几天播放量就过了十万。"),
        ("镇上的超市、饭店、卫生院", "等三十多家单位都挂上了服务牌。"),
        ("合作社新建了冷库", "和一条分拣线，今年的苹果不愁卖了。"),
    ],
)
def test_line_opening_with_a_particle_outside_a_word_goes_on(a, b) -> None:
    assert reason(a, b) == "particle_start"


def test_line_opening_with_a_word_of_a_particle_stands() -> None:
    lines = ["我们的工作还有很多不足。", "老街换新颜", "了解到居民的想法后，街道办很快拿出了改造方案。"]
    assert paragraphs(*lines) == lines


@pytest.mark.parametrize(("a", "b"), [("去年全县新修农村公路120", "余公里，通达每个行政村。"), ("这座水库的大坝高86", "米，是当地最高的建筑。")])
def test_number_and_its_measure_word_across_a_break_go_on(a, b) -> None:
    assert reason(a, b) == "number_across"


def test_subtitle_under_a_title_stands_alone_at_column_width() -> None:
    from pipeline.clean import Column, join_reason, split_lines

    title, sub, body, more = split_lines("家门口的新变化\n——记一个老旧小区的改造过程\n一条胡同三百多米，从北到南走\n一趟，家家户户门前都干干净净")
    col = Column(14.0, 14.0)
    assert join_reason(sub, body, more, col, title) is None
    # the same dash line inside a block of column text goes on (by its width)
    before = split_lines("这几年小区的变化，居民们说，")[0]
    assert join_reason(sub, body, more, col, before) is not None


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("发展特色产业既要有政策，更要有", "技术和资金的支撑。"),
        ("这个周末，他原本答应要给", "女儿买一双新球鞋。"),
        ("这些项目覆盖医疗、教育、交通等", "多个领域，惠及数十万群众。"),
        ("今年前三季度，这家公司的营业收入同比", "增长百分之十二，利润也有提高。"),
    ],
)
def test_line_ending_on_a_word_that_asks_for_more_goes_on(a, b) -> None:
    assert reason(a, b) == "open_word_end"


@pytest.mark.parametrize("heading", ["乡村振兴大有可为", "我们的首都"])
def test_heading_ending_on_a_word_holding_such_a_character_stands_alone(heading) -> None:
    body = "走进县城老街，青石板路干净整洁，两旁的店铺挂起了红灯笼。"
    assert paragraphs("我们的工作还有很多不足。", heading, body) == ["我们的工作还有很多不足。", heading, body]


def test_heading_over_a_paragraph_opening_with_a_quotation_stands_alone() -> None:
    from pipeline.clean import Column, join_reason, split_lines

    before, head, quote, more = split_lines(
        "今年全县新建了十所学校。\n把好事实事办到群众的心坎上\n“我们必须把群众的冷暖放\n在心上，一件一件抓落实。”"
    )
    col = Column(13.0, 13.0)
    assert join_reason(head, quote, more, col, before) is None
    # inside a paragraph (the line before is left open) the quotation goes on at column width
    open_line = split_lines("老支书常对年轻干部讲，干工作")[0]
    assert join_reason(head, quote, more, col, open_line) is not None


def test_line_opening_a_quote_inside_a_narrow_block_goes_on() -> None:
    lines = ["随着改革的深入推进，县里在", "招商引资中更注重项目的质量", "“选商”和“引智”两手抓的理", "念，紧盯高端制造业不放松。"]
    assert paragraphs("我们的工作还有很多不足。", *lines) == ["我们的工作还有很多不足。", "".join(lines)]


def test_narrow_block_leaves_labels_and_lists_alone() -> None:
    from pipeline.clean import _narrow_block, split_lines

    before, after = split_lines("随着改革的深入推进，县里在\n念，紧盯高端制造业不放松。")
    assert _narrow_block(before, "招商引资中更注重项目的质量", "“选商”和“引智”两手抓的理", after)
    # a speaker's label ending in a colon, and numbered items of one width, stand alone
    assert not _narrow_block(before, "县农业农村局副局长王建国：", "今年全县粮食产量再创新高，", after)
    assert not _narrow_block(before, "（一）对外开放程度日益扩大", "（二）国际合作领域全面加强", after)


def test_line_ending_on_the_verb_paishe_is_no_photo_credit() -> None:
    # a line of running text ending on 拍摄 goes on; a name and 摄 is still a credit
    assert reason("大家白天走访村民、收集素材、拍摄", "短片，晚上再一起剪辑。") is not None
    assert reason("村里的小广场上挤满了看戏的人。", "本报记者 刘一鸣摄") is None
    assert reason("刘一鸣摄", "村里的小广场上挤满了看戏的人。") is None


def test_rows_opening_with_the_same_label_stand_alone() -> None:
    from pipeline.clean import Column, join_reason, split_lines

    # rows of one width inside a block of column lines are still rows
    pp, a, b, n = split_lines("简历：一九八五年参加工作，\n职务：县农业农村局局长助理\n职务：镇党委副书记兼副镇长\n分管：农业农村")
    assert join_reason(a, b, n, Column(13.0, 13.0), pp) is None
    # a label goes on into a line that does not repeat it
    assert reason("地址：县城东大街与文化路交叉", "口往北一百米路东。") is not None


def test_lead_line_under_a_dash_kicker_stands_alone() -> None:
    from pipeline.clean import join_reason, split_lines

    kicker, lead, body, more = split_lines(
        "绿水青山入画来——\n三年来，全县上下坚持生态优先、绿色发展，关停整治了一批污染企业，全县的生态环境质量明显改善\n"
        "清晨的河岸边，不少居民在散步。\n老人们说，这样的景色多年没见了。"
    )
    assert join_reason(lead, body, more, None, kicker) is None
    # under a paragraph that ends on a dash, the long line goes on as running text
    before = split_lines("说起这几年的变化，老人们有说不完的话——")[0]
    assert join_reason(lead, body, more, None, before) is not None


def test_quoted_cry_opening_a_line_is_no_short_tail() -> None:
    # a heading over a paragraph that opens with a short quoted cry stands alone
    assert reason("老街坊的新日子", "“开饭喽！”一大早，巷子里就飘出了饭菜的香味。") is None
    # an unquoted short sentence still ends the line before it
    assert reason("这几年村里的路修好了，日子过得一天比一天", "红火！大家都说，这要感谢党的好政策。") == "short_tail"


def test_section_heading_under_another_stands_alone() -> None:
    from pipeline.clean import join_reason, split_lines

    # a table of contents: each section heading is a line of its own, even under another
    before, head, label = split_lines("第三节 提升服务水平\n第四节 动员各方参与\n前 言")
    assert join_reason(head, label, None, None, before) is None
    # a line of running text ending on the same word goes on
    assert reason("这项工作离不开社会各方的共同参与", "和支持，大家都出了一份力。") is not None


# --- fast paths: the same answers as the regexes they stand in for ----------------------


def test_end_tests_agree_with_their_patterns() -> None:
    """``_final_end``, ``_open_end`` and ``_credit_line`` answer as ``RE_FINAL_END``,
    ``RE_OPEN_END`` and ``RE_CREDIT_LINE`` do, line breaks and empty text included."""
    import random

    from pipeline.clean import (
        CLOSE_START_CHARS,
        RE_CLOSE_START,
        RE_CREDIT_LINE,
        RE_FINAL_END,
        RE_OPEN_END,
        _credit_line,
        _final_end,
        _open_end,
    )

    alphabet = "。！？!?…；;.”’」』）)》\"'，、,（(“‘「『《-摄影图绘道供制报拍作发本报记者王%：:\n "
    rng = random.Random(7)
    texts = ["", "\n", "...", "..", "。\n", "王五摄\n", "（新华社发）"]
    texts += ["".join(rng.choices(alphabet, k=rng.randint(1, 12))) for _ in range(20_000)]
    for text in texts:
        assert _final_end(text) is bool(RE_FINAL_END.search(text)), text
        assert _open_end(text) is bool(RE_OPEN_END.search(text)), text
        assert _credit_line(text) is bool(RE_CREDIT_LINE.match(text)), text
        assert text.startswith(CLOSE_START_CHARS) is bool(RE_CLOSE_START.match(text)), text


def test_key_chars_drops_what_the_pattern_drops() -> None:
    """Every character ``str.isalnum`` accepts is a ``\\w`` character, so a piece that is all
    such characters needs no substitution."""
    import sys

    from pipeline.clean import RE_KEY_CHAR

    assert all(RE_KEY_CHAR.match(ch) for ch in map(chr, range(sys.maxunicode + 1)) if ch.isalnum())


def test_prechecks_never_skip_a_match() -> None:
    """Each pattern that ``join_reason`` and its helpers test only after a cheap look at the
    first or last character matches only texts that pass that look."""
    import random

    from pipeline import clean

    starts = [
        (clean.RE_BYLINE_START, clean.DATELINE_FIRST),
        (clean.RE_DATELINE_CUT, clean.DATELINE_FIRST),
        (clean.RE_DATELINE_START, clean.DATELINE_FIRST),
        (clean.RE_BYLINE_LINE, clean.DATELINE_FIRST),
    ]
    ends = [
        (clean.RE_SIGNED_END, clean.BRACKET_CLOSE),
        (clean.RE_BRACKETED, clean.BRACKET_CLOSE),
        (clean.RE_COLUMN_LABEL_END, clean.BRACKET_CLOSE),
        (clean.RE_TITLE_LABEL_END, clean.BRACKET_CLOSE),
        (clean.RE_SALUTATION, "，：,:"),
        (clean.RE_COUNT_END, clean.COUNT_MEASURES),
        (clean.RE_APPROX_COUNT_END, clean.APPROX_MEASURES),
    ]
    alphabet = "■●▲◆ 据本报讯新华社中人民日北京2月1日电记者通讯员驻特派王们尊敬的，：,:。（）()派一两几多余支名个3·克沙\n"
    rng = random.Random(11)
    texts = ["本报北京2月14日电", "新华社记者 王五", "。（记者康劲）", "新年俗（今日谈）", "女士们，先生们，", "派出一支", "3000余名"]
    texts += ["".join(rng.choices(alphabet, k=rng.randint(1, 14))) for _ in range(30_000)]
    for text in texts:
        for pattern, chars in starts:
            assert not pattern.match(text) or clean._may_start_with(text, chars), (pattern.pattern, text)
        for pattern, chars in ends:
            assert not pattern.search(text) or clean._may_end_with(text, chars), (pattern.pattern, text)
        assert not clean.RE_NAME_CUT_AFTER_DOT.search(text) or "·" in text[-3:], text
        marker = next((kind for kind, pattern in clean.LIST_MARKERS if pattern.match(text)), None)
        assert clean._list_marker(text) == marker, text


# --- a figure printed large above its caption ---------------------------------------------


@pytest.mark.parametrize(
    "lines",
    [
        ["全县新修乡村道路1.8万公里，农村面貌焕然一新", "6.5%", "前三季度，全县农民人均收入增长6.5%，高于城镇居民。"],
        ["3.2万户", "今年以来，全市为3.2万户家庭更换了燃气管道，改造任务提前完成"],
    ],
)
def test_figure_over_its_caption_stands_alone(lines) -> None:
    assert paragraphs(*lines) == lines


def test_number_cut_off_running_text_goes_on() -> None:
    a, b, c = "新建的湿地公园环境优美，距离市中心仅有", "10余", "公里，周末前来游玩的市民络绎不绝。"
    assert paragraphs("此前的工作已经完成。", a, b, c) == ["此前的工作已经完成。", a + b + c]


# --- a song printed a line per verse, without punctuation ----------------------------------


def test_song_lines_stand_alone() -> None:
    lines = [
        "春风吹绿了门前的山岗",
        "小河弯弯流过我美丽的家乡",
        "炊烟升起在青青的屋顶",
        "妈妈的歌声飘向远方",
        "我们在金色田野上奔跑",
        "追着太阳一路向前方",
        "心中的梦想开出了花朵",
    ]
    assert paragraphs("此前的工作已经完成。", *lines) == ["此前的工作已经完成。", *lines]


def test_narrow_column_with_a_comma_goes_on() -> None:
    lines = ["新建的产业园区里厂房林立", "机器的轰鸣声此起彼伏，来自", "全国各地的年轻人在这里找", "到了施展才华的舞台。"]
    assert paragraphs("此前的工作已经完成。", *lines) == ["此前的工作已经完成。", "".join(lines)]


# --- a subheading over a paragraph that opens with a time phrase or a discourse word --------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("社会各界力量共同参与", "如今，越来越多的志愿者走进社区，为老人提供上门服务。"),
        ("以绿色发展理念引领乡村产业走向", "当前，全县正在加快建设生态农业示范园，带动农民增收。"),
        ("因地制宜发展特色产业", "10月8日，第一批新品种在示范田里播下。"),
    ],
)
def test_subheading_over_sentence_opener_stands_alone(a, b) -> None:
    lines = ["此前的工作已经完成。", a, b]
    assert paragraphs(*lines) == lines


@pytest.mark.parametrize(
    ("heading", "column"),
    [
        ("老手艺走出了一片新天地", ["前不久，这家作坊的剪纸", "作品第一次走出国门参加", "展览。"]),
        ("小山村换了一副新模样", ["建村60年来，这里第一", "次通上了自来水和天然气", "。"]),
        ("舞台上的传统与现代交汇", ["18点30分，村里的晚会", "正式开始，台下坐满了村", "民。"]),
    ],
)
def test_subheading_as_wide_as_the_column_over_a_sentence_opener_stands_alone(heading, column) -> None:
    # the subheading happens to be as wide as the column under it; the column's first line
    # opens a sentence (前不久，/ …年来，/ a time of day), so the subheading stands apart
    assert paragraphs("此前的工作已经完成。", heading, *column) == ["此前的工作已经完成。", heading, "".join(column)]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("记者从省农业农村厅获悉：今年3", "月，全省春播面积已过半。"),
        ("新品种推广会上的", "同时，几位专家也给村民讲解了种植要点。"),
        ("在县城北面的山脚下，农技站的技术员根", "据地形，为每块田设计了灌溉方案。"),
    ],
)
def test_cut_line_before_sentence_opener_goes_on(a, b) -> None:
    assert paragraphs("此前的工作已经完成。", a, b) == ["此前的工作已经完成。", a + b]


def test_list_of_names_stands_alone() -> None:
    lines = [
        "获奖集体名单",
        "某某省某某市第一人民医院急诊科",
        "某某市公共交通集团公司第三车队",
        "某某县供电公司城区供电所抢修班",
        "某某市消防救援支队特勤站",
        "某某省某某县人民法院立案庭",
    ]
    assert paragraphs("此前的工作已经完成。", *lines) == ["此前的工作已经完成。", *lines]


# --- a short line opening afresh is a heading ------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("文化活动形式多", "元宵晚会上，村民们自编自演了十几个节目。"),
        ("产业振兴之路", "上个月，合作社又添置了两台新设备。"),
    ],
)
def test_short_line_after_a_sentence_end_is_a_heading(a, b) -> None:
    lines = ["此前的工作已经完成。", a, b]
    assert paragraphs(*lines) == lines


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("会后，", "代表们来到村里的合作社参观。"),
        ("据了解，这个新建的合作社", "已经吸纳了两百多户村民入股。"),
    ],
)
def test_open_or_full_first_line_goes_on(a, b) -> None:
    assert paragraphs("此前的工作已经完成。", a, b) == ["此前的工作已经完成。", a + b]


# --- a colon inside a paragraph wrapped in a narrow column -----------------------------------


def test_colon_inside_a_narrow_block_goes_on() -> None:
    lines = ["新修订的管理办法于今年施行，其中明", "确了村务公开必须遵循的基本原则：", "公开内容真实、公开时间及时、公开", "程序规范，接受群众的监督。"]
    assert paragraphs("此前的工作已经完成。", *lines) == ["此前的工作已经完成。", "".join(lines)]


def test_colon_under_an_unpunctuated_line_stays() -> None:
    lines = ["此前的工作已经完成。", "乡村振兴的新路子在哪里", "当地干部群众给出了他们的答案：", "发展特色产业、建设美丽乡村、培育", "文明乡风，让村民的腰包鼓起来。"]
    assert paragraphs(*lines) == [*lines[:3], lines[3] + lines[4]]


# --- a numbered item after a colon starts its own line ----------------------------------------


@pytest.mark.parametrize("b", ["（一）完善村规民约，规范红白喜事；", "第一，要把好项目的质量关。", "“（一）乡镇人民政府应当公开财务收支；"])
def test_numbered_item_after_a_colon_stands_alone(b) -> None:
    lines = ["此前的工作已经完成。", "县政府办公室日前作出如下决定：", b]
    assert paragraphs(*lines) == lines


def test_quote_after_a_speech_colon_still_goes_on() -> None:
    a, b = "谈起这次活动，老李表示：", "“第一次来到这里，就被这里的风景吸引住了。”"
    assert paragraphs("此前的工作已经完成。", a, b) == ["此前的工作已经完成。", a + b]


def test_summary_under_a_title_over_a_sentence_opener_stands_alone() -> None:
    lines = [
        "此前的工作已经完成。",
        "小山村里的大变化",
        "路通了，水来了，产业兴了。村民们的日子一天比一天好，笑容写在每个人的脸上",
        "近年来，村里先后修通了三条致富路，家家户户用上了自来水。",
    ]
    assert paragraphs(*lines) == lines


def test_paragraph_cut_just_after_a_full_stop_goes_on() -> None:
    a = "村里修通了三条致富路，家家户户用上了自来水。去年"
    b = "10月，村里又建起了一座蔬菜加工厂，带动两百多人就业。"
    assert paragraphs("此前的工作已经完成。", "小山村里的大变化", a, b) == ["此前的工作已经完成。", "小山村里的大变化", a + b]


# --- a numbered heading over a one-clause lead sentence ---------------------------------------


@pytest.mark.parametrize("a", ["（四）加强基层组织建设，提升村级治理水平", "③完善公共服务体系，补齐农村民生短板"])
def test_numbered_heading_over_a_lead_sentence_stands_alone(a) -> None:
    b = "村级班子得到加强。各地普遍选派了驻村工作队，帮助村里理清发展思路。"
    lines = ["此前的工作已经完成。", a, b]
    assert paragraphs(*lines) == lines


def test_clause_line_over_a_one_clause_tail_goes_on() -> None:
    a, b = "今年以来，全县加强基层组织建设，提升", "村级治理水平。各地普遍选派了驻村工作队。"
    assert paragraphs("此前的工作已经完成。", a, b) == ["此前的工作已经完成。", a + b]


# --- a title with its column label under another title line ----------------------------------


def test_title_with_column_label_under_a_title_stands_alone() -> None:
    lines = ["此前的工作已经完成。", "山里的孩子用上了新电脑", "课堂搬进了云端（新春见闻）", "雪落山村。今年春节，孩子们的课堂连上了城里的名校。"]
    assert paragraphs(*lines) == lines


def test_dateline_with_a_bracket_under_a_title_goes_on() -> None:
    a, b = "本报北京5月4日电 （记者李明）", "全国春耕春播进度已过六成，各地农资供应充足。"
    assert paragraphs("此前的工作已经完成。", "春耕春播进展顺利", a, b)[-1] == a + b


# --- a dash opening a line: a subtitle, or an apposition in running text -----------------------


def test_subtitle_under_a_title_stands_alone() -> None:
    lines = ["此前的工作已经完成。", "让乡村生活更加美好", "——写在全县生态文化节开幕之际"]
    assert paragraphs(*lines) == lines


@pytest.mark.parametrize("b", ["——一种只在高山上生长的野生竹笋。", "——村里的老党员、退休教师，"])
def test_dash_opening_running_text_goes_on(b) -> None:
    a = "在海拔两千米以上的山坡和密林深处，村民们每年春天都会结伴上山去采一种珍贵的山货"
    assert paragraphs("此前的工作已经完成。", a, b)[1].startswith(a + b)


# --- a bracket closing a wrapped line of a narrow column is no column label --------------------


def test_bracket_closing_a_narrow_line_goes_on() -> None:
    lines = ["区文化馆有关负责人介绍，今年暑", "假期间，全区各社区活动室每天开", "放，共举办讲座（含线上、线下）", "三百多场次，参加活动的居民超过", "一万人次，受到普遍欢迎。"]
    assert paragraphs("此前的工作已经完成。", *lines) == ["此前的工作已经完成。", "".join(lines)]


def test_title_with_column_label_after_an_open_summary_stands_alone() -> None:
    lines = ["此前的工作已经完成。", "小山村里的大变化", "路通了，水来了，产业兴了，村民们的日子一天比一天好", "让老手艺焕发新生机（一线调研）", "走进村里的竹编工坊，几位老师傅正在忙着赶制订单。"]
    assert paragraphs(*lines) == lines


# --- 参与 closes a clause as often as it takes an object ------------------------------------


def test_heading_ending_on_canyu_stands_alone() -> None:
    lines = ["此前的工作已经完成。", "垃圾分类需要人人参与", "小区里新设了二十多个分类投放点，志愿者每天轮流值守。"]
    assert paragraphs(*lines) == lines


def test_canyu_cut_before_its_object_in_a_long_line_goes_on() -> None:
    a = "近年来，县里组织了形式多样的志愿服务活动，越来越多的年轻人开始主动参与"
    b = "社区治理和环境保护工作。"
    assert paragraphs("此前的工作已经完成。", a, b) == ["此前的工作已经完成。", a + b]


# --- a contributor's summary under the line with their country and name ----------------------


def test_summary_under_a_contributor_line_stands_alone() -> None:
    lines = [
        "此前的工作已经完成。",
        "（某国）约翰·史密斯",
        "中国的发展令人印象深刻。从城市到乡村，从沿海到内地，人们的生活正在发生翻天覆地的变化",
        "我第一次来中国是在二十年前，那时的北京还没有这么多高楼。",
    ]
    assert paragraphs(*lines) == lines


def test_paragraph_under_a_numbered_heading_cut_after_clauses_goes_on() -> None:
    a = "要加快推动产业转型升级。坚持以市场需求为导向，充分发挥龙头企业的带动作用，延伸产业链，提升价值链，建好示范园区和骨干"
    b = "企业，在更高层次上推动农业高质量发展。"
    lines = ["此前的工作已经完成。", "（五）大力发展农业产业经济", a, b]
    assert paragraphs(*lines) == [*lines[:2], a + b]


def test_unpunctuated_lines_of_one_column_width_go_on() -> None:
    lines = [
        "常委会会议审议了县政府关于农村",
        "饮水安全工程建设情况的报告和关",
        "于进一步加强基层医疗卫生服务体",
        "系建设的意见听取了县人民法院关",
        "于优化营商环境司法保障工作情况",
        "的汇报并决定将上述报告印发各乡",
        "镇参照执行。",
    ]
    assert paragraphs("此前的工作，已经完成", *lines) == ["此前的工作，已经完成", "".join(lines)]


# --- verse follows a sentence end or its colon, never a line left open -----------------------


def test_couplet_after_its_colon_stands_alone() -> None:
    lines = ["这正是：", "山村通新路，", "致富有奔头。"]
    assert paragraphs("此前的工作已经完成。", *lines) == ["此前的工作已经完成。", *lines]


def test_couplet_with_quotes_stands_alone() -> None:
    # the quotes make the lines 8 and 6 characters long; the verses are 5 and 5
    lines = ["这正是：", "村里“网红”多，", "致富有门路。"]
    assert paragraphs("此前的工作已经完成。", *lines) == ["此前的工作已经完成。", *lines]


def test_clauses_of_unequal_metre_go_on() -> None:
    # 9 and 8 characters, but 5 and 7 of them Chinese: no couplet, one sentence
    a, b = "产量增长了20%，", "收入也翻了一番。"
    assert paragraphs("此前的工作已经完成。", a, b) == ["此前的工作已经完成。", a + b]


def test_two_short_clauses_inside_a_sentence_go_on() -> None:
    lines = ["针对群众反映的停车难问题，交通局", "召开座谈会，", "听取各方意见。"]
    assert paragraphs("此前的工作已经完成。", *lines) == ["此前的工作已经完成。", "".join(lines)]


# --- rows of clauses printed one per line (a preamble) --------------------------------------------


def test_rows_of_a_preamble_stand_alone() -> None:
    rows = [
        "双方回顾了两国友好交往的悠久历史，",
        "重申将继续在平等互利的基础上深化各领域合作，",
        "欢迎两国地方政府和企业加强交流与往来，",
        "认为双方合作符合两国人民的根本利益，",
    ]
    lines = ["双方发表联合声明如下：", *rows, "同意建立定期会晤机制。"]
    assert paragraphs(*lines) == lines


def test_clause_rows_need_three_lines_short_of_the_column() -> None:
    from pipeline.clean import Column, clause_rows, split_lines

    two = split_lines("双方回顾了两国友好交往的悠久历史，\n重申将继续深化各领域合作，\n同意建立定期会晤机制。")
    assert clause_rows(two, None) == [False, False, False]
    # a paragraph wrapped in a 15-character column whose lines happen to end on commas
    wrapped = split_lines("全县新建改建农村公路三百公里，\n惠及沿线二十多个行政村的群众，\n修好的路连着产业也连着民心，\n村民出行更方便了。")
    assert [len(line.text) for line in wrapped[:3]] == [15, 15, 14]
    assert clause_rows(wrapped, Column(15.0, 15.0)) == [False, False, False, False]
    assert clause_rows(wrapped, None) == [True, True, True, False]


POEM = ["清晨推开木窗，", "山雾漫过了屋檐。", "小河绕着村子慢慢地流淌，", "稻田泛起一层金黄。", "阿婆坐在门口剥豆，", "笑声落进竹篮。"]


def test_lines_of_a_poem_stand_alone() -> None:
    """A poem of lines of unequal length, commas and full stops in turn: each line is its own."""
    lines = ["秋日山村（诗歌）", *POEM, "这首小诗写于作者回乡探亲期间。"]
    assert paragraphs(*lines) == lines


def test_verse_rows_need_four_short_lines_with_commas_and_sentence_ends() -> None:
    from pipeline.clean import clause_rows, split_lines

    assert clause_rows(split_lines("\n".join(POEM)), None) == [True] * len(POEM)
    # three such lines may be a short paragraph broken twice at its commas
    assert clause_rows(split_lines("\n".join(POEM[:3])), None) == [False] * 3
    # lines that all end a sentence are closed anyway; a line of two clauses is no verse row
    closed = ["山雾漫过了屋檐。", "稻田泛起一层金黄。", "笑声落进竹篮。", "村口的灯亮了。"]
    assert clause_rows(split_lines("\n".join(closed)), None) == [False] * 4
    two_clauses = [POEM[0], "小河绕着村子流淌，两岸都是稻田。", *POEM[2:4]]
    assert clause_rows(split_lines("\n".join(two_clauses)), None) == [False] * 4
    # lines of one width are a paragraph wrapped in a column that happen to end on marks
    wrapped = ["全县新建改建农村公路三百公里，", "惠及沿线二十多个行政村的群众，", "修好的路连着产业也连着民心。", "村民出行更方便了，"]
    assert clause_rows(split_lines("\n".join(wrapped)), None) == [False] * 4


# --- numbered headings of two levels -------------------------------------------------------------


def test_numbered_heading_under_a_numbered_heading_of_another_level_stands_alone() -> None:
    from pipeline.clean import Column, join_reason, split_lines

    before, head, nxt_head, sub = split_lines("（一）基础设施明显改善\n（二）公共服务更加完善\n三、下一步的工作安排\n（一）加快乡村道路建设")
    assert join_reason(head, nxt_head, sub, Column(11.0, 11.0), before) is None


@pytest.mark.parametrize(("a", "b"), [("（二）加强基础设施建设，重点是", "一、二级公路的改造升级。"), ("（二）加强基础设施建设，加快", "三、四级公路的改造升级。")])
def test_numbered_line_cut_before_an_enumeration_goes_on(a, b) -> None:
    assert paragraphs("此前的工作已经完成。", a, b) == ["此前的工作已经完成。", a + b]


def test_enumeration_of_numerals_after_a_speech_colon_goes_on() -> None:
    a, b = "谈到消费增长的新变化，他表示：", "一、二线城市之外，三、四线城市和县城的消费增速明显加快。"
    assert paragraphs("此前的工作已经完成。", a, b) == ["此前的工作已经完成。", a + b]


def test_narrow_block_leaves_a_subtitle_under_its_title_alone() -> None:
    from pipeline.clean import _narrow_block, split_lines

    title, after = split_lines("乡村振兴的生动实践与探索\n山间的小路上，村民们正在")
    assert not _narrow_block(title, "——来自山区县的一线调查", "十月的山村，层林尽染，", after)
    # a dash opening a wrapped line of running text goes on in its block
    before = split_lines("走进老街，一场小型展览——")[0]
    assert _narrow_block(before, "——“我们的老街”图片展，", "吸引了众多市民驻足观看，", after)


# --- a body line of clauses; a summary quoting an opening; boilerplate sentences ---------


def test_long_line_of_clauses_after_a_body_paragraph_goes_on() -> None:
    # after running text that ends its sentence, a long open line of clauses is the first
    # line of a paragraph broken mid-sentence, not a summary
    before = "清晨六点，菜市场已经热闹起来，摊主们忙着把刚运到的新鲜蔬菜摆上货架。"
    a = "退休后搬到县城居住的老李，每个周末都会骑着那辆旧自行车去镇上图书馆"
    b = "借上几本新书，一读就是一整天，连午饭都顾不上吃。"
    assert paragraphs("老李的周末", before, a, b) == ["老李的周末", before, a + b]


@pytest.mark.parametrize(
    "b",
    [
        "近年来，县里新建了十几家农家书屋，借书的人越来越多。",  # the next line opens a sentence
        "“这里的书可真多！”一位刚进门的读者感叹道。",  # … or a quotation
    ],
)
def test_long_line_of_clauses_before_a_sentence_opening_stays(b) -> None:
    before = "清晨六点，菜市场已经热闹起来，摊主们忙着把刚运到的新鲜蔬菜摆上货架。"
    a = "让阅读成为一种生活方式，县里的公共文化服务越来越贴近百姓的日常需要"
    assert paragraphs("老李的周末", before, a, b) == ["老李的周末", before, a, b]


def test_long_line_of_clauses_under_a_title_stays() -> None:
    # under a title, the same line is a summary printed on its own
    a = "退休后搬到县城居住的老李，每个周末都会骑着那辆旧自行车去镇上图书馆"
    b = "借上几本新书，一读就是一整天，连午饭都顾不上吃。"
    assert paragraphs("老李的周末", a, b) == ["老李的周末", a, b]


def test_paragraph_opening_as_a_summary_line_ends_stays_whole() -> None:
    # the summary quotes the body's opening and stops without a full stop; the body's
    # wrapped lines repeat it and go on past where it stops: the full paragraph, no repeat
    summary = "回家的快与慢之间，藏着一个国家发展的密码：让普通人分享发展的红利"
    body = ["回家的快与慢之间，藏着一", "个国家发展的密码：让普通", "人分享发展的", "红利，在做大蛋糕的同时分好蛋糕。"]
    out = paragraphs("回家的路", summary, "这几天，春运拉开大幕，旅客发送量将近三十亿人次。", *body)
    assert summary in out and "".join(body) in out


def test_line_of_two_whole_sentences_printed_elsewhere_stays() -> None:
    # a boilerplate lead and another article's sentence, each whole: the paper's own
    # repeat of sentences, not an OCR splice of passages (those break mid-sentence)
    first = "本届农博会将于九月五日在省城开幕。主办方介绍，今年参展企业比往年多了三成。"
    second = "记者在现场看到，不少展位前排起了长队。许多市民专程赶来选购特色农产品。"
    line = "本届农博会将于九月五日在省城开幕。许多市民专程赶来选购特色农产品。"
    out = paragraphs("农博会开幕", first, second, "丰收节里话丰收", line)
    assert line in out


# --- a preposition or an adverb ending a line -------------------------------------------


@pytest.mark.parametrize(
    ("word", "b"),
    [
        ("按照", "老人们提前登记的需求上门送菜送药。"),
        ("除了", "上门送菜送药，还陪老人们聊天。"),
        ("为了", "让老人们吃上热饭，办起了爱心食堂。"),
        ("随着", "气温下降，上门的次数越来越多。"),
        ("已", "为三十多位老人送去了过冬的棉被。"),
        ("更", "愿意花时间陪老人们聊聊天。"),
        ("不", "怕麻烦，一趟趟地上门帮忙。"),
    ],
)
def test_line_ending_on_a_preposition_or_adverb_goes_on(word, b) -> None:
    # a heading never ends on a preposition or an adverb cut off as a word: the sentence goes on
    a = f"社区里的志愿者服务队{word}"
    assert paragraphs("暖心服务进社区", "入冬以来，社区里的独居老人多了一份牵挂。", a, b)[-1] == a + b


def test_preposition_inside_a_longer_word_is_no_open_end() -> None:
    from pipeline.clean import _last_word, _open_end_words

    assert _last_word("去年他成为了") != "为了"  # 成为 / 了: no preposition
    assert _last_word("秩序恢复正常") != "常"  # 正常 is a word, 常 no adverb here
    assert _last_word("社区志愿者按照") == "按照" and "按照" in _open_end_words()


# --- the same text printed elsewhere on the page without the break ------------------------


def test_break_the_page_prints_unbroken_elsewhere_joins() -> None:
    # read alone, 老街上的裁缝铺开了三十年 could be a subheading over its paragraph; the
    # repeat printed later, wrapped at another width, holds 三十年今年换上 on one line
    a, b = "老街上的裁缝铺开了三十年", "今年换上了新招牌，生意越来越好。"
    page = ["乡村振兴看新貌", "入冬以来，村里的大棚陆续扣上了新膜。", a, b, "种植户老刘说，今年的收成比往年好得多。"]
    assert a + b not in paragraphs(*page)
    cleaned = clean_page("\n\n".join([*page, "老街上的裁缝铺开", "了三十年今年换上了新招牌，", "生意越来越好。"]))
    assert a + b in cleaned.text.split("\n")
    assert [r.reason for r in cleaned.removed] == ["duplicate"]  # the repeat still goes


@pytest.mark.parametrize(
    ("seen", "joined"),
    [
        ("坚持绿色发展生态文明建设", True),  # 4 + 6 characters match
        ("坚持绿色发展生态文化旅游", False),  # 色发展生态文 with one more on the left: 7 < 8
        ("推动绿色发展\n生态文明建设", False),  # the same break is no evidence
        ("发展生态文明建设是一项长期任务", False),  # 2 characters of the line before: a common phrase
    ],
)
def test_seen_joined_needs_a_long_match_on_both_sides(seen, joined) -> None:
    from pipeline.clean import _seen_joined

    assert _seen_joined("推动绿色发展", "生态文明建设是一项长期任务。", seen) is joined


def test_seen_texts_hold_each_line_and_stay_bounded_on_huge_files() -> None:
    from pipeline.clean import SEEN_CHUNK, _seen_texts, split_lines

    assert _seen_texts(split_lines("一行\n\n两行")) == ["一行\n两行"] * 2  # a page is searched whole
    lines = split_lines("\n\n".join(f"第{i}行的文字内容" * 20 for i in range(2000)))  # some 400,000 characters
    seen = _seen_texts(lines)
    assert all(line.text in text for line, text in zip(lines, seen))
    assert max(map(len, seen)) < 3 * SEEN_CHUNK + 1000  # a chunk and its neighbours, not the file


# --- widths that speak against a column ---------------------------------------------------

# Paragraphs wrapped in a 16- and a 15-character column: the page's column width.
WRAPPED_16 = ["一段时间以来，这里的变化大家有目", "共睹，老街区一天天热闹了起来，很", "多人专程从外地赶来，看看老厂区的", "新样子，拍下一张张照片发给家人和", "朋友。"]
WRAPPED_15 = ["一段时间以来，这里的变化大家有", "目共睹，老街区一天天热闹了起来", "，很多人专程从外地赶来，看看老", "厂区的新样子，拍下一张张照片发", "给家人和朋友。"]


@pytest.mark.parametrize(
    ("wrapped", "heading", "body"),
    [
        # the 15-character heading is as wide as a full line may be, but the open line
        # under it runs 17: the heading ended short of the column's edge
        (WRAPPED_16, "推动城市老工业基地焕发新的活力", ["今年春天这座有着六十年历史的老厂房", "迎来了第一批年轻的创业者。"]),
        # the 16-character heading runs over the open line under it, which holds 14 and is
        # no paragraph's last line
        (WRAPPED_15, "整村搬迁住上了新楼房，好日子来了", ["走进村东头的老张家，屋里亮堂", "堂的新电视机里正播着晚间新闻", "。"]),
        # heading and next line are both as wide as the column, but the next line's
        # sentence goes on in a line far wider than the column: it was broken at random
        # after a comma, and the heading above it is no column text
        (WRAPPED_15, "让老厂房成为年轻人的创业天地", ["作为这座城市最早的纺织工厂，", "它在二十年前停产，如今经过改造，变成了集展览、演出和创业孵化于一体的文化园区。"]),
    ],
)
def test_heading_against_the_page_column_stands_alone(wrapped, heading, body) -> None:
    out = paragraphs("此前的工作已经完成。", *wrapped, heading, *body)
    assert out == ["此前的工作已经完成。", "".join(wrapped), heading, "".join(body)]


def test_heading_short_of_its_paragraphs_column_stands_alone() -> None:
    # no page-wide column: the paragraph's own lines are 15 wide in print (two digits to
    # a character), the heading 14 characters against 17 in the line under it
    heading, column = "推动城市老工业基地焕发新活力", ["今年10月这座有着60年历史的老厂", "房迎来了第一批年轻的创业者和艺", "术家，车间变成了展厅和工作室。"]
    assert paragraphs("此前的工作已经完成。", heading, *column) == ["此前的工作已经完成。", heading, "".join(column)]


def test_line_wider_for_a_moved_break_goes_on() -> None:
    from pipeline.clean import _short_of

    # a line of running text runs a character or two long where its break was moved off a
    # punctuation mark: a sentence end inside it or a mark at its end proves nothing
    a = "村口那棵老槐树下的石凳"
    assert not _short_of(a, "上，常常坐着几位老人。他们")
    assert not _short_of(a, "上常常坐着几位晒太阳的老人，")
    assert not _short_of(a, "上常常坐着几位晒太阳的人")  # only one character wider
    assert _short_of(a, "上常常坐着几位晒太阳的老人")


def test_line_short_for_a_moved_break_goes_on() -> None:
    from pipeline.clean import _runs_over, split_lines

    # the open line comes out two characters short where its break was moved back to keep
    # a closing mark off the next line's start: the line above may run over it
    a, b = "这些年村里修了路，建了学校，为的是", "让孩子们都能走出大山去看"
    assert not _runs_over(a, b, split_lines("看！”老人说。")[0])
    assert _runs_over(a, b, split_lines("看外面的世界")[0])
    assert not _runs_over(a, "让孩子们都能走出大山到外面去看看", split_lines("外面的世界")[0])  # one character short only
    assert not _runs_over(a, b, None)


def test_column_overruns_by_more_than_a_moved_break() -> None:
    from pipeline.clean import Column

    col = Column(15.0, 15.0)
    assert not col.overruns("它在二十年前停产，如今经过改造，")  # 16: a break moved off a mark
    assert not col.overruns("它在二十年前停产，如今经过了改造，")  # 17
    assert col.overruns("它在二十年前停产，如今经过了一番改造，")
    assert not col.overruns("2019年10月1日的第1个周末晚上")  # 18 characters, 14 wide in print


# --- a sentence left open two lines up -----------------------------------------------------------


def test_sentence_left_open_on_a_comma_runs_on_through_the_next_line() -> None:
    """A paragraph broken twice, first after a comma: the middle line neither ends the
    sentence nor closes the line, so the third line goes on with it."""
    first, middle, last = "国庆假期，许多市民早早赶到了广场，", "想要亲眼看一看", "新落成的音乐喷泉在夜色中的样子，直到深夜才陆续散去。"
    assert paragraphs("此前的工作已经完成。", first, middle, last) == ["此前的工作已经完成。", first + middle + last]


def test_open_sentence_needs_the_comma_line_joined_and_no_poem_row() -> None:
    from pipeline.clean import join_reason, split_lines

    pp, a, b = split_lines("国庆假期，许多市民早早赶到了广场，\n想要亲眼看一看\n新落成的音乐喷泉开放。")
    assert join_reason(a, b, None, None, pp, continued=True) == "open_sentence"
    assert join_reason(a, b, None, None, pp, continued=False) is None
    # a poem's comma line (one short clause) joined to the next by mistake is no evidence
    row, a2, b2 = split_lines("清晨推开木窗，\n想要亲眼看一看\n新落成的音乐喷泉开放。")
    assert join_reason(a2, b2, None, None, row, continued=True) is None


# --- a heading wrapped onto a short tail line ----------------------------------------------------


def test_short_tail_line_of_a_wrapped_heading_joins_it() -> None:
    lines = ["此前的工作已经完成。", "推进老旧小区改造，办好事", "惠民生", "今年以来，全区新开工改造老旧小区三十多个，惠及居民一万余户。"]
    assert paragraphs(*lines) == [lines[0], lines[1] + lines[2], lines[3]]


def test_short_line_ending_on_a_colon_is_no_heading_tail() -> None:
    lines = ["此前的工作已经完成。", "换季时节，怎样预防感冒", "医生提醒：", "早晚温差较大，出门时要记得及时添加衣物，多喝温水。"]
    assert paragraphs(*lines) == lines


def test_dash_line_signing_off_a_quotation_ends_on_its_name() -> None:
    lines = ["“这座城市让我找到了新的灵感。”", "——英国作家露西·贝", "每次来到这里，都有不一样的收获，也交到了新朋友。"]
    assert paragraphs(*lines) == lines
    # without the dash the same name cut one character after its dot goes on
    assert reason("与会的英国作家露西·贝", "克表示，这座城市让她找到了灵感。") == "name_dot"
