"""Stage 3: clean page -> articles and photo captions.

``split_articles(clean)`` reads the clean page line by line (one paragraph or heading a
line) and builds pieces:

- a run of heading-like lines (short, no sentence end) is a title stack when it opens the
  page, follows a closed photo caption or an article closed by a sign-off or editorial
  note, is followed by a byline/dateline, or holds two or more lines; a single heading
  line inside an article is an in-article subhead, unless it is title-shaped and the
  article has no subhead before it and none after it before the next article (subheads
  come in series): then it titles a byline-less article. Titles with a long column label
  (…（守初心 担使命…）) and subtitles opening with a dash are heading lines however long.
  A short body line ending in a dash or
  a question right above a new stack is its kicker, a line without a full stop between
  the stack and the byline its summary; chart figures (58.4亿元) and bracketed sign-offs
  after body text never join a stack;
- a byline (``本报讯（记者… 通讯员…）``, ``本报北京1月31日电（记者 X）``,
  ``新华社北京9月30日电``) at the start of an article's first paragraph is moved out of
  the body into ``byline`` and parsed into credits;
- a photo credit line (``本报通讯员 X 摄``) closes a photo caption that starts at the last
  heading before it;
- paragraphs are cut into sentences at sentence-final punctuation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.clean import (
    RE_ANY_PUNCT,
    RE_BRACKETED,
    RE_COLUMN_LABEL_END,
    RE_CREDIT_LINE,
    heading_like,
    is_note,
)
from pipeline.datafiles import read_list
from pipeline.offsets import TextBuilder
from pipeline.record import Article, CleanPage, Credit, Paragraph, Sentence

ROLE_WORDS = ("特约记者", "见习记者", "实习记者", "摄影记者", "记者", "通讯员", "实习生", "特约撰稿人")
_ROLES = "|".join(ROLE_WORDS)
# Byline at the start of a paragraph: agency or paper, optional place and date, then an
# optional bracket with reporters. Group "head" is the dateline part, "who" the bracket.
RE_BYLINE = re.compile(
    r"^(?P<head>(?:[■●▲◆]\s*)?据?(?:本报讯|(?:本报|新华社|中新社|人民网|新华网)[^\s，。（(“]{0,14}?(?:电|讯)))"
    r"(?:\s*[（(](?P<who>[^）)]{1,60})[）)])?\s*"
)
# A byline standing on its own line: "本报记者 张三 李四", "新华社记者 王五".
RE_BYLINE_LINE = re.compile(rf"^(?:本报|新华社|人民日报)?(?:{_ROLES})[\s\u4e00-\u9fff·]{{1,30}}$")
# A personal name in a credit: 2-4 Han characters (one space OCR may put inside), or a
# transliterated name with the middle dot.
RE_NAME = re.compile(r"^[\u4e00-\u9fff](?:\s?[\u4e00-\u9fff]){1,3}$|^[\u4e00-\u9fff]{1,6}·[\u4e00-\u9fff]{1,8}$")
# Credit line parts: "本报通讯员 石玉成 摄", "新华社记者 方喆摄", "本报记者 罗艾桦文 陈北跑摄".
RE_CREDIT = re.compile(
    rf"^[（(]?(?:本报|新华社|人民日报|中新社)?(?P<role>{_ROLES})?\s*(?P<names>.+?)\s*(?P<verb>摄影|摄|供图|绘|制图|作(?=[（(]))(?:报道)?[）)]?(?:\s*[（(][^（）()]{{2,8}}[）)])?$"
)
# Sentence end: final punctuation (and closing quotes/brackets that belong to it).
# A run of 。！？!? or one or two …, then closing quotes and brackets. Written to start with one
# character class, which the regex engine scans for quickly (a pattern that starts with a
# repeat or an alternation is tried at every position): the lookbehinds tell which mark came.
RE_SENTENCE_END = re.compile(r"[。！？!?…](?:(?<=…)…?|(?<!…)[。！？!?]*)[”’」』）)》]*")
# Cleaning leaves ASCII quotes as printed: their direction is unknown (``clean.normalise``).
ASCII_QUOTES = "\"'"


REGION_GAP = 2  # blank lines: OCR leaves a wider gap between layout regions than between lines


def _openers() -> tuple[str, ...]:
    return read_list("clean/article_openers.txt")




@dataclass(slots=True)
class _Piece:
    kind: str = "news"
    titles: list[tuple[int, int]] = field(default_factory=list)  # clean spans of the title stack
    byline: str | None = None
    credits: list[Credit] = field(default_factory=list)
    paras: list[tuple[str, int, int]] = field(default_factory=list)  # (kind, clean start, clean end)
    closed: bool = False
    opened_by: str = "page_start"


def parse_names(text: str) -> list[str]:
    """Split a run of names (``胡文辉 曾可可``) into names; drop what is not name-shaped."""
    names = []
    for part in re.split(r"[\s、，,]+", text.strip()):
        if part and RE_NAME.match(part):
            names.append(part.replace(" ", ""))
    return names


def parse_byline_credits(who: str) -> list[Credit]:
    """Parse the bracket of a byline (``记者邹倜然 通讯员邱一梅``) into credits."""
    credits = []
    tokens = who.split()
    role = None
    for tok in tokens:
        m = re.match(rf"^({_ROLES})(.*)$", tok)
        if m:
            role, rest = m.group(1), m.group(2)
            if rest and RE_NAME.match(rest):
                credits.append(Credit(role, rest))
        elif role and RE_NAME.match(tok):
            credits.append(Credit(role, tok))
    return credits


def parse_credit_line(text: str) -> list[Credit]:
    """Parse a photo credit line (``本报通讯员 石玉成 摄``) into credits."""
    m = RE_CREDIT.match(text)
    if not m:
        return []
    role = m.group("role")
    names_text = m.group("names")
    credits = []
    # "罗艾桦文 陈北跑摄": a writer and a photographer in one line
    parts = names_text.split()
    if len(parts) > 1 and parts[0].endswith("文") and RE_NAME.match(parts[0][:-1]):
        credits.append(Credit("撰文", parts[0][:-1], "photo_credit"))
        names_text = " ".join(parts[1:])
    verb_role = {"摄": "摄影", "摄影": "摄影", "供图": "供图", "绘": "绘图", "制图": "制图", "作": "绘图"}[m.group("verb")]
    compact = names_text.replace(" ", "") if RE_NAME.match(names_text) else None
    for name in [compact] if compact else parse_names(names_text):
        credits.append(Credit(role or verb_role, name, "photo_credit"))
    return credits


def is_credit_line(text: str) -> bool:
    """Tell whether a line is a photo/graphic credit with at least one name."""
    return len(text) <= 40 and bool(RE_CREDIT_LINE.match(text)) and bool(parse_credit_line(text))


def title_fields(lines: list[str]) -> tuple[str | None, str | None, str | None]:
    """Assign a title stack to (kicker, title, subtitle) in page order."""
    if not lines:
        return None, None, None
    if len(lines) == 1:
        return None, lines[0], None
    if len(lines) == 2:
        first, second = lines
        if second.startswith("—") or ("，" in second and "，" not in first):
            return None, first, second
        return first, second, None
    return lines[0], " ".join(lines[1:-1]), lines[-1]


def _paragraph_spans(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.split("\n"):
        if line:
            spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut ``text[start:end]`` into sentence spans at sentence-final punctuation.

    An ASCII quote right after the mark closes the sentence with it when it closes a quote
    opened in ``text[start:end]`` (an odd count of that quote so far: 他说："好！"我们走吧。);
    an even count means it opens the next sentence's quote.
    """
    spans = []
    pos = start
    for m in RE_SENTENCE_END.finditer(text, start, end):
        stop = m.end()
        while stop < end and text[stop] in ASCII_QUOTES and text.count(text[stop], start, stop) % 2 == 1:
            stop += 1
        if stop > pos:
            spans.append((pos, stop))
        pos = stop
    if pos < end:
        spans.append((pos, end))
    # trim spaces a sentence may start or end with
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def split_articles(clean: CleanPage) -> list[Article]:
    """Split a clean page into articles and photo captions.

    In: ``CleanPage`` (one paragraph or heading per line). Out: ``Article`` records in
    page order with title fields, byline and credits, body text (paragraphs joined by
    ``\\n``), paragraphs (body/heading), sentences and a map of the body to raw offsets.
    """
    text = clean.text
    spans = _paragraph_spans(text)
    lines = [text[s:e] for s, e in spans]
    kinds = [_line_kind(line) for line in lines]
    for k in range(1, len(lines)):
        # A line wholly in brackets after body text is the article's sign-off or source note
        # (（新华社北京2月25日电）, （作者为…）); under a title it is part of the title stack.
        if kinds[k] == "heading" and kinds[k - 1] == "body" and RE_BRACKETED.match(lines[k]):
            kinds[k] = "body"
    pieces: list[_Piece] = []
    cur: _Piece | None = None
    i = 0
    while i < len(lines):
        kind = kinds[i]
        if kind == "heading":
            j = i
            while j < len(lines) and kinds[j] == "heading" and not (j > i and lines[j].startswith(_openers())):
                j += 1
            if j + 1 < len(lines) and kinds[j] == "body" and kinds[j + 1] == "byline" and _deck_line(lines[j]):
                j += 1  # a summary line between the title and the byline belongs to the title
            nxt = kinds[j] if j < len(lines) else None
            opens = (
                cur is None
                or cur.closed
                or (not cur.paras and not cur.titles)
                or nxt == "byline"  # a title above a byline or dateline
                or j - i >= 2  # a title stack; a subhead is one line
                or RE_COLUMN_LABEL_END.search(lines[j - 1]) is not None  # 标题（栏目名）
                or (j < len(lines) and lines[j].startswith(_openers()))  # 编者按, 核心阅读 ...
                or (i < len(clean.gaps) and clean.gaps[i] >= REGION_GAP)  # a wide gap: a new layout region
                or _signed_off(cur, text)  # the article above ended with a note or a sign-off
                or (j - i == 1 and _lone_heading(cur, kinds, j) and _title_shaped(lines[i]))
            )
            if opens:
                opened_by = "page_start" if cur is None else ("after_photo" if cur.closed else "title_stack")
                titles = spans[i:j]
                if cur is not None and not cur.closed and _lead_in_kicker(cur, text, i, spans):
                    titles = [spans[i - 1], *titles]  # 吉林西部……变成了湿地—— above its title
                    cur.paras.pop()
                cur = _Piece(titles=titles, opened_by=opened_by)
                pieces.append(cur)
            else:
                cur.paras.append(("heading", *spans[i]))
            i = j
            continue
        if kind == "credit":
            credits = parse_credit_line(lines[i])
            if cur is None:
                cur = _Piece(kind="other")
                pieces.append(cur)
            photo = _split_photo(cur)
            if photo is not cur and photo is not None:
                pieces.append(photo)
            target = photo or cur
            target.credits.extend(credits)
            if target.byline is None:
                target.byline = lines[i]
            if photo is not None:
                target.kind = "photo"
                cur = target
                cur.closed = True
            i += 1
            continue
        if kind == "byline" and (cur is None or cur.closed or cur.paras):
            cur = _Piece(opened_by="byline")
            pieces.append(cur)
        elif cur is None or cur.closed:
            cur = _Piece(kind="other", opened_by="body")
            pieces.append(cur)
        if kind == "byline" and cur.byline is None and not cur.paras:
            s, e = spans[i]
            m = RE_BYLINE.match(lines[i])
            if m and s + m.end() < e:
                cur.byline = lines[i][: m.end()].strip()
                cur.credits.extend(parse_byline_credits(m.group("who") or ""))
                cur.paras.append(("body", s + m.end(), e))
            elif RE_BYLINE_LINE.match(lines[i]):
                cur.byline = lines[i]
                cur.credits.extend(parse_byline_credits(re.sub(r"^(?:本报|新华社|人民日报)", "", lines[i])))
            else:
                cur.paras.append(("body", *spans[i]))
            i += 1
            continue
        cur.paras.append(("body", *spans[i]))
        i += 1
    return [_to_article(seq, p, clean) for seq, p in enumerate(pieces)]


# A sign-off in brackets at the end of an article's last paragraph: the reporters who filed
# it (（本报记者 X、Y）, （…报道）, （新华社发）), the author (（作者为…）) or the dateline
# of a reprint (（本报北京2月1日电）). Nothing of the article follows it.
RE_SIGN_OFF = re.compile(r"[（(][^（()）]*(?:记者|报道|通讯员|作者|整理|撰文|电|社发)[）)]$|[（(](?:记者|作者)[^（()）]*[）)]$")


def _lone_heading(cur: _Piece, kinds: list[str], j: int) -> bool:
    """Tell whether a single heading line (ending before line ``j``) after body text titles
    a new article rather than heading a section of the current one.

    Subheads come in series: an article divided into sections has one before each. A
    heading line when the article has none before it and none follows before the next
    article (a title stack or a byline) is the title of a byline-less article.
    """
    if any(kind == "heading" for kind, _, _ in cur.paras):
        return False
    k = j
    while k < len(kinds) and kinds[k] != "byline":
        if kinds[k] == "heading":
            run = k
            while k < len(kinds) and kinds[k] == "heading":
                k += 1
            if k - run == 1 and (k >= len(kinds) or kinds[k] != "byline"):
                return False  # another subhead follows: this one opens a section too
            break
        k += 1
    return True


# A heading line that leads in to what follows or signs off: it never titles an article.
MIN_TITLE = 5  # characters: shorter lone heading lines are as often credits or names (新华社发)
MIN_TITLE_PART = 4  # characters in each space-separated part of a spaced title
MAX_COMMA_TITLE = 16  # characters: a longer heading with a comma is as often a summary line
RE_NOT_TITLE = re.compile(r"[：:—]$|^[—■●▲◆]")


def _title_shaped(line: str) -> bool:
    """Tell whether a heading line can title an article: not a box label (核心阅读), a lead-in
    (…让人信心倍增：, …正在发生——), a signature (——习近平) or a spaced name line."""
    if len(line) < MIN_TITLE or line.startswith(_openers()) or RE_NOT_TITLE.search(line):
        return False
    if any(len(part) < MIN_TITLE_PART for part in line.split()):
        return False  # 四川攀枝花市 尹 远: a place and a name; 荆风楚韵 魅力无限 is a title
    return line.count("，") + line.count(",") == 0 or (len(line) <= MAX_COMMA_TITLE and line.count("，") == 1)


MAX_KICKER = 60  # characters of a sentence-like kicker line above a title


def _lead_in_kicker(cur: _Piece, text: str, i: int, spans: list[tuple[int, int]]) -> bool:
    """Tell whether the body line right before a new title stack is its kicker (引题).

    A kicker may be a full sentence, but it leads in to the title: it ends with a dash
    (…让2400平方公里土地变成了湿地——) or asks the question the title answers
    (…重庆市璧山区如何应对？). Body paragraphs rarely end that way right before a title.
    """
    if not cur.paras or cur.paras[-1][0] != "body" or cur.paras[-1][1:] != spans[i - 1]:
        return False
    s, e = spans[i - 1]
    line = text[s:e]
    return len(line) <= MAX_KICKER and line.endswith(("——", "？", "?"))


def _deck_line(line: str) -> bool:
    """A line without a full stop anywhere (clauses may be cut by semicolons): 听取…汇报；部署…措施."""
    return RE_SENTENCE_END.search(line) is None and not line.startswith(_openers())


def _signed_off(cur: _Piece, text: str) -> bool:
    """Tell whether the article ``cur`` was closed by its last paragraph: an editorial note
    (版式设计：张丹峰) or a bracketed sign-off. A heading after it opens a new article."""
    if not cur.paras or cur.paras[-1][0] != "body":
        return False
    _, s, e = cur.paras[-1]
    last = text[s:e]
    return is_note(last) or RE_SIGN_OFF.search(last) is not None


MAX_FIGURE = 12  # characters: a figure callout of an infographic (93个 75亿, 58.4亿元, 96.84%)


# Units, quantifiers and approximators a figure callout is written with.
FIGURE_CHARS = frozenset("0123456789.．,，%％‰+～~-—/ 十百千万亿个件家人次元分米吨亩座项名户所条套台辆架倍年月日多余近约超")


def is_figure_line(line: str) -> bool:
    """Tell whether a short line is a figure callout: a number with its unit and nothing
    else (93个 75亿, 58.4亿元, 96.84%), as printed in infographics."""
    return len(line) <= MAX_FIGURE and line[:1].isdigit() and all(ch in FIGURE_CHARS for ch in line)


def _line_kind(line: str) -> str:
    if is_credit_line(line):
        return "credit"
    if is_figure_line(line):
        return "body"  # a figure of a chart belongs to the body, it does not title anything
    if is_note(line):
        return "body"  # 版式设计：张丹峰 — a note under the article, not a title
    if RE_BYLINE.match(line) or RE_BYLINE_LINE.match(line):
        return "byline"
    if heading_like(line) or _labelled_title(line) or _dash_subtitle(line):
        return "heading"
    return "body"


# A column label in brackets at the end of a title, which may be long and hold a middle
# dot or spaces: （守初心 担使命 找差距 抓落实·深入开展“不忘初心、牢记使命”主题教育）.
RE_LONG_LABEL = re.compile(r"[（(][^（()）。！？!?]{1,60}[）)]$")
MAX_TITLE_HEAD = 40  # characters of a title before its column label
MAX_SUBTITLE = 80  # characters of a subtitle line opening with a dash


def _labelled_title(line: str) -> bool:
    """Tell whether a line is a title followed by its column label: the title may ask or
    exclaim (“首店经济”，如何延续开门红？（评论员随笔）), the label may be long."""
    m = RE_LONG_LABEL.search(line)
    if m is None or RE_SIGN_OFF.search(line):
        return False
    head = line[: m.start()]
    return 0 < len(head) <= MAX_TITLE_HEAD and heading_like(head.rstrip("？！?!")) and not head.endswith(("。", "，", "："))


def _dash_subtitle(line: str) -> bool:
    """Tell whether a line is a subtitle opening with a dash and holding no clause or
    sentence punctuation (——习近平总书记…的重要讲话在…中引起热烈反响), however long; a
    dashed list item (——人少了：2018年末，…) has some."""
    return line.startswith("——") and len(line) <= MAX_SUBTITLE and RE_ANY_PUNCT.search(line) is None


def _split_photo(cur: _Piece) -> _Piece | None:
    """Close a photo caption ending at a credit line; return the caption piece or ``None``.

    The caption starts at the last in-article heading; when the article has none and no
    byline, the whole piece is the caption; a credit inside a bylined story stays there.
    """
    for k in range(len(cur.paras) - 1, -1, -1):
        if cur.paras[k][0] == "heading":
            _, hs, he = cur.paras[k]
            photo = _Piece(kind="photo", titles=[(hs, he)], paras=cur.paras[k + 1 :], opened_by="photo_heading")
            del cur.paras[k:]
            return photo
    if cur.byline is None and cur.titles:
        return cur
    return None


SIDEBAR_MAX_CHARS = 300  # a titled piece without byline opened inside another is a sidebar when short


def _to_article(seq: int, piece: _Piece, clean: CleanPage) -> Article:
    text = clean.text
    builder = TextBuilder()
    paragraphs: list[Paragraph] = []
    for k, (kind, s, e) in enumerate(piece.paras):
        if k:
            builder.add_mapped("\n", clean.raw_map, s - 1)
        start = len(builder)
        builder.add_mapped(text[s:e], clean.raw_map, s)
        paragraphs.append(Paragraph(k, kind, start, len(builder)))
    body, raw_map = builder.build()
    sentences: list[Sentence] = []
    for para in paragraphs:
        for s, e in split_sentences(body, para.start, para.end):
            sentences.append(Sentence(len(sentences), para.seq, s, e))
    kicker, title, subtitle = title_fields([text[s:e] for s, e in piece.titles])
    kind = piece.kind
    if kind == "news" and not piece.titles and piece.byline is None:
        kind = "other"
    elif kind == "news" and piece.byline is None and piece.opened_by == "title_stack" and len(body) < SIDEBAR_MAX_CHARS:
        kind = "sidebar"
    return Article(
        seq=seq,
        kind=kind,
        text=body,
        raw_map=raw_map,
        kicker=kicker,
        title=title,
        subtitle=subtitle,
        byline=piece.byline,
        credits=piece.credits,
        paragraphs=paragraphs,
        sentences=sentences,
    )
