"""Stage 2: raw OCR page text -> clean text, with a map back to raw offsets.

``clean_page(raw_text)`` runs five steps, each a pure function over ``Line`` records:

1. ``split_lines``: normalise characters (1:1, so offsets survive) and cut the page into
   non-blank lines, remembering blank lines and indentation before each.
2. ``is_furniture``: running heads and page numbers (``人民日报 2019年2月1日 星期五``,
   ``第3版``, ``要闻``) are removed and recorded.
3. ``find_duplicates``: passages printed again later on the page (re-wrapped or cut off)
   are found on normalised characters (no whitespace, no punctuation), so a different
   wrap of the same sentence still matches; the later copy is removed and recorded with
   where the kept copy is (unless the earlier copy is a pull quote: it leaves the full
   stop off, or a summary box such as 核心阅读 quoting the body).
4. ``join_broken_lines``: decides for each pair of neighbouring lines whether the break
   is a real paragraph/heading boundary or an OCR break inside a sentence or word, from
   punctuation, the width of the page's column and of the line's own block, jieba's
   dictionary and segmentation, sentence openers and title-likeness, and a repeat of the
   passage that prints the text unbroken (see ``join_reason``).
5. ``settle_paragraphs``: the joined paragraphs are checked again as whole lines, the way
   cleaning the clean text would see them (joins, furniture, repeats), until nothing
   changes, so that cleaning is idempotent.

The result has one paragraph or heading per ``\\n``-separated line.
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress, groupby
from operator import ne

import numpy as np

from pipeline.datafiles import read_list, read_sections
from pipeline.ingest import normalise
from pipeline.offsets import TextBuilder
from pipeline.record import CleanPage, Removal

log = logging.getLogger(__name__)

# A physical line: anything between line terminators (\n, \r\n or a lone \r).
RE_LINE = re.compile(r"[^\r\n]+")
# Runs of non-space characters inside a line (``\s`` covers U+3000 and NBSP).
RE_NONSPACE = re.compile(r"\S+")
# Characters that carry text for duplicate detection: Han, kana, Latin letters, digits.
RE_KEY_CHAR = re.compile(r"[\w]", re.UNICODE)
RE_NON_KEY_CHARS = re.compile(r"\W+", re.UNICODE)  # the complement, to drop in bulk
# Punctuation that closes a sentence; a line ending with one (optionally followed by a
# closing quote or bracket) ends a paragraph unless other evidence says otherwise. A bare
# closing quote is not enough: titles end with one (打造50多个“美好生活能量站”). OCR often
# prints quotes as ASCII " and ', which normalising leaves alone (their direction is not
# known); after a sentence end at the end of a line they can only close the quote.
RE_FINAL_END = re.compile(r"(?:[。！？!?…；;]|\.{3})[”’」』）)》\"']*$")
FINAL_MARKS = ("。", "！", "？", "!", "?", "…", "；", ";", "...")
FINAL_CLOSERS = "”’」』）)》\"'"


def _final_end(text: str) -> bool:
    """Tell whether ``RE_FINAL_END`` finds a sentence end closing ``text``.

    The same answer without the regex: it is asked of nearly every line and paragraph, and a
    search tries every position of a long paragraph. The closers and the marks are disjoint,
    so a match is a mark (or ``...``) right before the run of closers ending the text.
    """
    if text.endswith("\n"):  # ``$`` also matches before a final line break
        text = text[:-1]
    return text.rstrip(FINAL_CLOSERS).endswith(FINAL_MARKS)


def _may_end_with(text: str, chars: str) -> bool:
    """Tell whether ``text`` ends with one of ``chars``, as ``$`` sees its end (before a
    final line break too). An end-anchored pattern whose every match ends with one of
    ``chars`` can match only then: testing this first skips a search through the line."""
    return text[-1:] in chars or text.endswith("\n")


def _may_start_with(text: str, chars: str) -> bool:
    """Tell whether ``text`` starts with one of ``chars`` (or is empty): a pattern anchored
    at the start whose every match opens with one of them can match only then."""
    return text[:1] in chars


BRACKET_CLOSE = "）)"  # the last character of the bracket patterns (RE_SIGNED_END, RE_*LABEL_END)
DATELINE_FIRST = "■●▲◆据本新中人"  # the first character of any byline or dateline match
# A bracket right after a sentence end is a sign-off or a note that closes the paragraph:
# 。（记者康劲、通讯员白家华）, 。（回信全文另发）.
RE_SIGNED_END = re.compile(r"[。！？!?…][”’」』]*[（(][^（()）]{1,40}[）)]$")
# A line of nothing but an ellipsis or sentence marks.
RE_PUNCT_LINE = re.compile(r"^[…\.。？?！!]+$")
# One clause of verse: no punctuation inside, a comma or a sentence end after it.
RE_VERSE_LINE = re.compile(r"^[^，,。！？!?；;、：:]+[，,。！？!?；;…”]*$")
MAX_VERSE = 10  # characters in a line of a poem, song or jingle (这正是：… verses)
# Clause punctuation: a pure title line has none of it.
RE_ANY_PUNCT = re.compile(r"[，,、：:；;。！？!?]")
# Punctuation that cannot end a paragraph: the sentence goes on in the next line. (A colon
# may end a paragraph that introduces a list or a quote: see RE_LIST_START.)
RE_OPEN_END = re.compile(r"[，、,（(“‘「『《-]$")
OPEN_END_CHARS = tuple("，、,（(“‘「『《-")


def _open_end(text: str) -> bool:
    """``RE_OPEN_END.search(text)`` as a suffix test (asked several times per line break)."""
    if text.endswith("\n"):  # ``$`` also matches before a final line break
        text = text[:-1]
    return text.endswith(OPEN_END_CHARS)
# A colon after a speech verb: the quotation follows in the same paragraph.
# Verbs of reporting and announcing (获悉, 宣布, 决定) introduce content the same way.
RE_SPEECH_COLON = re.compile(
    r"(?:说|道|表示|指出|强调|介绍|认为|坦言|感慨|回忆|告诉记者|问|获悉|发布|宣布|决定|结论|显示|表明|写道|提出|要求|规定|称)[：:]$"
)
# More verbs of speaking and commenting: with a quotation opening the next line, the quote
# goes on in the same paragraph (他笑着回答：|“…”). (写下： is left out: a poem quoted after
# it is printed as its own lines.)
RE_QUOTING_COLON = re.compile(
    r"(?:感叹|感慨道|叹道|笑道|回答|答道|问道|评价|点评|评论|提到|谈到|谈道|报告|坦承|直言|解释|补充|回应|总结|描述|说明|讲述)[：:]$"
)
# A reporting verb and a comma opening a line: the speaker ends the line before.
RE_SPEECH_START = re.compile(r"^(?:指出|表示|认为|强调|介绍|透露|坦言|告诉记者)[，,]")
# The start of a list item or a quoted figure: a paragraph ending in a colon introduces it.
RE_LIST_START = re.compile(r"^(?:[“‘「《（(]|——|[一二三四五六七八九十]+是|第[一二三四五六七八九十]|[①-⑳]|图[①-⑳\d]|\d+[.、．])")
# A bullet starts a new line in print (■ 网络、定制等新兴消费看点纷呈). A middle dot right
# after a Chinese character goes on a name or a title instead (伊姆兰|·汗, “科学|·技术·发展”).
RE_BULLET = re.compile(r"^[■□●○▲△◆◇★☆•·]")
RE_NAME_DOT = re.compile(r"^·[^\s·]+(?:$|[^·])")
# A title that ends with its column label in brackets: 新年俗，让生活更美好（今日谈）.
RE_COLUMN_LABEL_END = re.compile(r"[（(][^（()）]{1,24}[）)]$")
# A column label (three or more characters, opening with a Chinese one) at the end of a
# title: （一线探访）, （适势求是）; a short bracket such as （区） may end a wrapped line of text.
RE_TITLE_LABEL_END = re.compile(r"[（(][\u4e00-\u9fff][^（()）]{2,23}[）)]$")
# A column label of two or more characters: （新语）. Over a wrapped line of body text such a
# short bracket may end it too (…的村（社区）), so it counts only on a title line.
RE_LABEL_END = re.compile(r"[（(][\u4e00-\u9fff][^（()）]{1,23}[）)]$")
# A line wholly inside brackets (a sign-off such as （本报洛杉矶2月14日电）) is complete.
RE_BRACKETED = re.compile(r"^[（(][^（()）]*[）)]$")
# Punctuation that cannot start a paragraph: the line continues the one before.
RE_CLOSE_START = re.compile(r"^[，。、；：！？,.;:!?）)”’」』》%…]")
CLOSE_START_CHARS = tuple("，。、；：！？,.;:!?）)”’」』》%…")  # str.startswith(CLOSE_START_CHARS) is RE_CLOSE_START.match
# A sentence end inside a line: headings never contain one.
RE_INNER_FINAL = re.compile(r"[。！？!?](?!$)")
# A subheading of a feature story led by two parallel short phrases and a dash (科学设计，
# 稳步推进——规划建设…开局): however long it runs, it holds no sentence end.
RE_LEAD_HEADING = re.compile(r"^[\u4e00-\u9fff]{2,6}[，、][\u4e00-\u9fff]{2,6}——[^。！？!?]+$")
# Byline or dateline at the start of a paragraph: a new article begins there.
RE_BYLINE_START = re.compile(
    r"^(?:[■●▲◆]\s*)?据?(?:本报讯|本报[^\s，。]{0,12}?电|新华社[^\s，。]{0,12}?电|中新社[^\s，。]{0,12}?电|"
    r"(?:本报|新华社|人民日报)(?:驻[^\s，。]{1,8}?)?(?:特派|特约)?(?:记者|通讯员))"
)
# A byline standing on its own line, without a dateline: 本报记者 潘俊强, 新华社记者 王五.
RE_BYLINE_LINE = re.compile(
    r"^(?:本报|新华社|人民日报)(?:驻[^\s，。]{1,8}?)?(?:特派|特约|见习|实习)?记者[\s\u4e00-\u9fff·]{1,30}$"
)
# The salutation of a speech or letter, printed a line each: 尊敬的各国使节，/ 女士们，先生们，
RE_SALUTATION = re.compile(r"^(?:尊敬的[^。！？!?]{1,40}|(?:[\u4e00-\u9fff]{1,3}们[，,、])*[\u4e00-\u9fff]{1,3}们)[，：,:]$")
# A date (and time of day) opening a sentence: 2月12日晚间，/ 1983年，
RE_DATE_OPENER = re.compile(r"^(?=\d)(?:\d{4}年)?(?:\d{1,2}月)?(?:\d{1,2}日)?(?:[上下]午|晚间?|凌晨|傍晚|清晨|早上|晚上)?[，,]")
# Digits at the end of a line and a number going on at the start of the next: 2013年12|月,
# or the measure word or unit that counts it: 400|米, 102|次, 260|余名.
RE_DIGIT_END = re.compile(r"\d[.．]?$")
RE_NUMBER_GOES_ON = re.compile(
    r"^(?:\d|[年月日号时分秒%％万亿千百元]|[多余个名位次件项家座条米吨户辆架艘张批只倍届]|公里|千米|公斤|千克|小时|分钟|周年)"
)
# A photo or picture credit line: "本报通讯员 石玉成 摄", "新华社记者 X摄", "X/摄", with the
# picture agency in brackets after it: "侯崇慧摄（人民视觉）", "X摄影报道（影像中国）",
# "朱慧卿作（新华社发）" (作 only with an agency, or 开拓进取深化中卢合作（栏目） would be one).
# 拍摄 is the verb (…一起去拍摄), never the credit after a name.
RE_CREDIT_LINE = re.compile(
    r"^[（(]?[^，。！？]{0,30}(?:(?:(?<!拍)摄|摄影|供图|绘|制图)(?:报道)?[）)]?(?:\s*[（(][^（）()]{2,8}[）)])?|作[（(][^（）()]{1,6}发[）)])$"
)
CREDIT_LAST = "摄影图绘道）)"  # the last character of any RE_CREDIT_LINE match


def _credit_line(text: str) -> bool:
    """``RE_CREDIT_LINE.match(text)``, skipping the regex (which backtracks through up to
    30 characters) for the lines that cannot end like a credit."""
    return _may_end_with(text, CREDIT_LAST) and RE_CREDIT_LINE.match(text) is not None


def _alternation(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def _furniture_re() -> re.Pattern:
    papers = _alternation(read_list("clean/newspapers.txt"))
    sections = _alternation(read_list("clean/sections.txt"))
    date = r"(?:\d{4}\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*日"
    token = (
        rf"(?:{papers}|{sections}|{date}|星期[一二三四五六日天]|周[一二三四五六日]|"
        r"农历\S{2,8}?[年月日]|第\s*\d{1,3}\s*版|\d{1,3}\s*版|[A-Z]?\d{1,3})"
    )
    sep = r"[\s|｜·•\-—_/]*"
    return re.compile(rf"^{token}(?:{sep}{token})*$")


# A bare date line with nothing else is ambiguous (it may be a broken sentence fragment);
# furniture needs a weekday, a paper, a section or a page number with it.
RE_BARE_DATE = re.compile(r"^(?:\d{4}\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*日$")
RE_DATE_RANGE_CUT = re.compile(r"日\s*[—–\-－~～至到]\s*\d{1,2}$")
RE_DATE_RANGE_GOES_ON = re.compile(r"^\d?[月日]")
RE_BARE_NUMBER = re.compile(r"^\d{1,3}$")


@dataclass(slots=True)
class Line:
    """One non-blank physical line of the page (normalised, outer whitespace stripped)."""

    text: str
    pieces: tuple[tuple[str, int], ...]  # (text, raw_start) runs; a single space joins them
    raw_start: int
    raw_end: int
    blank_before: int  # blank lines between this line and the previous non-blank one
    indented: bool  # the raw line started with indentation (a paragraph start in print)


def split_lines(raw_text: str) -> list[Line]:
    """Cut raw page text into normalised non-blank lines with their raw spans."""
    norm = normalise(raw_text)
    lines: list[Line] = []
    blanks = 0
    for m in RE_LINE.finditer(norm):
        line = m.group()
        # Most lines are one run of text: str.split and str.lstrip cut at exactly the
        # characters ``\s`` matches, so they find that run without a match object per piece.
        runs = line.split()
        if len(runs) == 1:
            pieces: tuple[tuple[str, int], ...] = ((runs[0], m.start() + len(line) - len(line.lstrip())),)
        elif runs:
            pieces = tuple((p.group(), m.start() + p.start()) for p in RE_NONSPACE.finditer(line))
        else:
            blanks += 1
            continue
        text = " ".join(p for p, _ in pieces) if len(pieces) > 1 else pieces[0][0]
        first = pieces[0][1]
        last_text, last_start = pieces[-1]
        lines.append(
            Line(text, pieces, first, last_start + len(last_text), blanks, indented=first > m.start())
        )
        blanks = 0
    # Count blank lines by the line terminators between consecutive content lines.
    for prev, cur in zip(lines, lines[1:]):
        gap = norm[prev.raw_end : cur.raw_start]
        if gap == "\n":  # the common case, a single line break: no blank line
            cur.blank_before = 0
        else:
            cur.blank_before = max(0, gap.count("\n") + gap.count("\r") - gap.count("\r\n") - 1)
    return lines


def is_furniture(text: str, before: str = "", after: str = "", page_numbers: frozenset[int] = frozenset()) -> bool:
    """Tell whether a whole line is a running head, section name or page number.

    ``before``/``after`` are the neighbouring lines: a bare number after a line ending in
    a digit, or inside an open sentence and followed by 年, 万, % ..., is part of a broken
    number, not a page number. At the top of the page or after a closed sentence it is one,
    and so it is anywhere when it is one of the ``page_numbers`` the page's other furniture
    prints (第3版 … 3), and inside an open sentence when it has a leading zero, which no
    number opens with (…中华民族 | 01 | 千百年来).
    """
    if len(text) > 60 or RE_BARE_DATE.match(text):
        return False
    if RE_DATE_RANGE_GOES_ON.match(after) and RE_DATE_RANGE_CUT.search(text):
        return False  # 2023年7月29日—8 | 月6日: a date range broken across the lines
    if (
        RE_BARE_NUMBER.match(text)
        and int(text) not in page_numbers
        and (RE_DIGIT_END.search(before) or (not text.startswith("0") and RE_NUMBER_GOES_ON.match(after) and before and not _final_end(before)))
        and not _no_number(before, text, after)
    ):
        return False  # 共有 | 13 | 个: a broken number; after a closed sentence it is a page number
    return bool(_furniture_re().match(text))


RE_DIGITS_END = re.compile(r"\d+$")
RE_DAY_CUT = re.compile(r"月\d{1,2}$")
MAX_YEAR_DIGITS = 4
MAX_DAY = 31


def _no_number(before: str, text: str, after: str) -> bool:
    """Tell whether a bare number between two lines cannot be part of a number broken across
    them: the next line goes on with digits (…成立， | 14 | 4名: one number is not broken
    twice in three digits), or the digits would make a year of five or more (在2016 | 16 |
    年) or a day past the 31st (8月3 | 4 | 日)."""
    if after[:1].isdigit():
        return True
    m = RE_DIGITS_END.search(before)
    if m is None:
        return False
    digits = m.group() + text
    if after.startswith("年"):
        return len(digits) > MAX_YEAR_DIGITS
    return after.startswith("日") and RE_DAY_CUT.search(before) is not None and int(digits) > MAX_DAY


# The page number a furniture line prints, once its date is taken out: 第3版, 要闻 03, 理论 11.
RE_FURNITURE_DATE = re.compile(r"(?:\d{4}\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*日")
RE_PAGE_NUMBER = re.compile(r"(?<![\d.])\d{1,3}(?![\d.])")


def page_numbers(lines: list[Line]) -> frozenset[int]:
    """Return the page numbers that the page's furniture lines print.

    Every furniture line but a bare number counts, and a bare number counts where its
    context already makes it one (the top of the page, after a closed sentence): a bare
    number with the same value elsewhere is then the page number too, even inside an open
    sentence (两国 | 3 | 元首, 3.1 | 2 | 8万亿元).
    """
    found: set[int] = set()
    for i, line in enumerate(lines):
        text = line.text
        if len(text) > 60 or not any(ch.isdigit() for ch in text):
            continue
        before = lines[i - 1].text if i else ""
        after = lines[i + 1].text if i + 1 < len(lines) else ""
        if is_furniture(text, before, after):
            found.update(int(m.group()) for m in RE_PAGE_NUMBER.finditer(RE_FURNITURE_DATE.sub(" ", text)))
    return frozenset(found)


# --- duplicate passages ----------------------------------------------------------------

GRAM = 8  # characters in an index gram: long enough to be specific, short enough for short lines
GRAM_SOURCES = 8  # earlier positions a gram names: a very common gram adds nothing but cost
MAX_SKIPPED_GRAMS = 3  # common grams looked past at a line's start before the search gives up
MIN_DUP_KEY = 16  # a removed run must hold at least this many text characters
MIN_NEAR_DUP_KEY = 20  # a line rebuilt from several earlier passages must be at least this long
MAX_INDEXED = 2_000_000  # beyond this many key characters, index grams at a stride
MAX_SEARCHED = 20_000  # up to this many key characters, look grams up without an index
RUN_ON = 2  # key characters that an earlier copy must share with a neighbouring line to run on into it
CUT_COPY = 2 * MIN_DUP_KEY  # key characters of a single line taken for a copy cut off before a title
MAX_REWORD_GAP = 4  # characters: a splice whose parts are this close in one paragraph is a re-worded sentence


@dataclass(slots=True)
class _Key:
    """Normalised text of the page (no whitespace, no punctuation) and where it came from."""

    chars: str
    line_start: list[int]  # key offset where each line starts
    line_end: list[int]
    piece_start: list[int]  # key offset where each line piece starts
    pieces: list[tuple[str, int]]  # every line piece: (text, raw_start)

    def raw_pos(self, k: int) -> int:
        """Return the raw offset of key character ``k`` (found on demand: only removals need it)."""
        p = bisect_right(self.piece_start, k) - 1
        text, raw = self.pieces[p]
        nth = k - self.piece_start[p]
        for j, m in enumerate(RE_KEY_CHAR.finditer(text)):
            if j == nth:
                return raw + m.start()
        raise IndexError(k)


@lru_cache(maxsize=4096)
def _key_chars(piece: str) -> str:
    """Return the key characters of one line piece.

    Memoised: the second cleaning pass (``settle_paragraphs``) looks for repeats again
    over paragraphs made of the same pieces, so each piece would be scanned twice. The
    cache holds about one page's pieces: pieces may be whole paragraphs, and a larger cache
    kept across pages made a worker's memory grow with the length of the run.
    """
    if piece.isalnum():  # every character str.isalnum accepts is one \w matches: nothing to drop
        return piece
    return RE_NON_KEY_CHARS.sub("", piece)


def _build_key(lines: list[Line], skip: set[int] | frozenset[int] = frozenset()) -> _Key:
    """Return the key of ``lines``; a line in ``skip`` (page furniture) adds no characters,
    so a passage with a running head printed inside it is one run of the key."""
    parts: list[str] = []
    piece_start: list[int] = []
    pieces: list[tuple[str, int]] = []
    starts, ends = [], []
    n = 0
    for i, line in enumerate(lines):
        starts.append(n)
        if i in skip:
            ends.append(n)
            continue
        for piece in line.pieces:
            chars = _key_chars(piece[0])
            piece_start.append(n)
            pieces.append(piece)
            parts.append(chars)
            n += len(chars)
        ends.append(n)
    return _Key("".join(parts), starts, ends, piece_start, pieces)


def _gram_index(s: str, stride: int) -> tuple[dict[str, int], dict[str, list[int]]]:
    """Index the ``GRAM``-character grams of ``s`` at every ``stride``-th position.

    Returns the first position of every gram, and the first 8 positions of the grams
    that occur more than once (very common grams add nothing but cost). With
    ``stride == 1`` the first dict is empty: a gram seen once is found only at the
    position it is looked up from, so it never names an earlier copy, and the repeated
    grams are found by hashing every gram at once (numpy) instead of a dict entry each.
    """
    if stride == 1:
        return {}, _repeated_grams(s)
    positions = range(0, len(s) - GRAM + 1, stride)
    grams = list(map(s.__getitem__, map(slice, positions, range(GRAM, len(s) + 1, stride))))
    first = dict(zip(reversed(grams), reversed(positions), strict=True))  # the earliest position wins
    repeated: dict[str, list[int]] = {}
    for p in compress(positions, map(ne, map(first.__getitem__, grams), positions)):
        g = s[p : p + GRAM]
        bucket = repeated.get(g)
        if bucket is None:
            bucket = repeated[g] = [first[g]]
        if len(bucket) < GRAM_SOURCES:
            bucket.append(p)
    return first, repeated


def _repeated_grams(s: str) -> dict[str, list[int]]:
    """Return the first 8 positions of every ``GRAM``-character gram of ``s`` seen twice or more."""
    n = len(s) - GRAM + 1
    if n < 2:
        return {}
    codes = np.frombuffer(s.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    hashes = np.zeros(n, np.uint64)
    for j in range(GRAM):  # a polynomial hash of each gram, modulo 2**64
        hashes = hashes * np.uint64(1_000_003) + codes[j : j + n]
    order = np.argsort(hashes, kind="stable")
    ordered = hashes[order]
    same_as_next = np.zeros(n, bool)
    same_as_next[:-1] = ordered[1:] == ordered[:-1]
    shared = same_as_next.copy()
    shared[1:] |= same_as_next[:-1]
    repeated: dict[str, list[int]] = {}
    for p in np.sort(order[shared]).tolist():  # positions whose hash another gram shares
        g = s[p : p + GRAM]
        bucket = repeated.get(g)
        if bucket is None:
            repeated[g] = [p]
        elif len(bucket) < GRAM_SOURCES:
            bucket.append(p)
    return {g: b for g, b in repeated.items() if len(b) > 1}  # a hash collision is no repeat


def _common_prefix(s: str, a: int, b: int, limit: int) -> int:
    """Return the length of the common prefix of ``s[a:]`` and ``s[b:]``, at most ``limit``.

    Blocks are compared whole (at C speed), doubling while they match and halving where
    they do not, so a passage printed many times over costs a few dozen comparisons, not
    one per 64 characters."""
    n = 0
    step = 64
    while n < limit:
        k = min(step, limit - n)
        if s[a + n : a + n + k] == s[b + n : b + n + k]:
            n += k
            step *= 2
        elif k > 64:
            step = k // 2
        else:
            while n < limit and s[a + n] == s[b + n]:
                n += 1
            return n
    return n


def find_duplicates(
    lines: list[Line], skip: set[int] | None = None, keep: tuple[tuple[int, int], ...] = ()
) -> list[Removal]:
    """Find lines that repeat a passage printed earlier on the page.

    In: the page's lines (``skip``: indices already removed; ``keep``: raw spans that must
    not be removed). Out: one ``Removal`` per run of removed lines, with the raw span of
    the kept (earlier) copy. A run is removed only when whole lines are covered and it
    holds at least ``MIN_DUP_KEY`` characters.
    """
    skip = set() if skip is None else skip
    col = column_width([line for k, line in enumerate(lines) if k not in skip])
    key = _build_key(lines, skip)
    s = key.chars
    n = len(s)
    stride = 1 if n <= MAX_INDEXED else -(-n // MAX_INDEXED)
    # A lookup sees only positions before ``indexed_to`` (the text read so far), which
    # gives the same candidates, in the same order, as indexing line by line: the first
    # 8 earlier positions of a gram. An ordinary page is searched directly (C-level
    # ``str.find`` over the text read so far is cheaper than building an index); a long
    # one is indexed once up front, so the search does not grow with the square of it.
    indexed_to = 0
    removals: list[Removal] = []

    def index_until(pos: int) -> None:
        nonlocal indexed_to
        if pos > indexed_to:  # runs once a line: a comparison is cheaper than a call to max
            indexed_to = pos

    if n <= MAX_SEARCHED:

        def earlier(gram: str) -> list[int] | tuple[int, ...]:
            found: list[int] = []
            end = indexed_to + GRAM - 1
            p = s.find(gram, 0, end)
            while p != -1 and len(found) < GRAM_SOURCES:
                found.append(p)
                p = s.find(gram, p + 1, end)
            return found

    else:
        first, repeated = _gram_index(s, stride)

        def earlier(gram: str) -> list[int] | tuple[int, ...]:
            bucket = repeated.get(gram)
            if bucket is None:
                p = first.get(gram)
                return () if p is None or p >= indexed_to else (p,)
            return [p for p in bucket if p < indexed_to]

    def longest_source(o: int, want: int) -> tuple[int, int]:
        """Return (source, length) of the longest earlier match starting at key offset o: the
        latest of equally long ones (a paragraph printed twice in a row repeats the copy right
        before it, not a summary line above that quotes it without its full stop). ``want``:
        the key characters left in o's line."""
        best_p, best_len = -1, 0
        offsets = list(range(stride))
        for d in offsets:
            if o + d + GRAM > n:
                break
            found = earlier(s[o + d : o + d + GRAM])
            for p in found:
                src = p - d
                if src < 0 or src >= o:
                    continue
                length = _common_prefix(s, src, o, n - o)
                if length >= best_len and length:
                    best_p, best_len = src, length
            if len(found) == GRAM_SOURCES and best_len < want and d + GRAM < want and len(offsets) < stride + MAX_SKIPPED_GRAMS:
                # A phrase the page prints over and over (加强党的政治建设 in a document on it)
                # names only its first few sources, none of them covering the line: the gram
                # after the phrase may name the right one.
                offsets.append(d + GRAM)
        return best_p, best_len

    def kept_before(k: int) -> int | None:
        """Return the last line before line k that is not removed, if any."""
        return next((m for m in range(k - 1, -1, -1) if m not in skip), None)

    def kept_from(k: int) -> int | None:
        """Return the first line from line k on that is not removed, if any."""
        return next((m for m in range(k, len(lines)) if m not in skip), None)

    def joins(p: int, k: int) -> bool:
        """Tell whether line k goes on from line p, with the page's layout as evidence."""
        nx, pp = kept_from(k + 1), kept_before(p)
        return join_reason(lines[p], lines[k], None if nx is None else lines[nx], col, None if pp is None else lines[pp]) is not None

    def aligned(i: int, j: int, whole_line: bool = False, copy: tuple[int, int] | None = None) -> bool:
        """Tell whether lines i..j-1 form whole paragraphs, not the middle of one.

        Newspapers repeat sentences on purpose (a 核心阅读 box quotes the body), so a run
        is only an OCR duplicate when it does not continue the line before it (as the
        joining judges it, the page's column width included: a repeat wrapped in a narrow
        column goes on from its line before where nothing but the width shows it); a single
        line must also not run on into the line after it, unless the whole line is a
        splice of earlier text (``whole_line``) or a long copy cut off where a title
        follows (``copy``: the key span of the earlier copy, see ``stops_short``).
        """
        if keep and any(lines[i].raw_start < end and start < lines[j - 1].raw_end for start, end in keep):
            return False  # a passage whose removal would lose its text (see ``lost_removals``)
        p = kept_before(i)
        if p is not None and joins(p, i):
            return False
        n = kept_from(j)
        # a long copy may be cut off right there (short ones are often formulas that open
        # several paragraphs, 会议听取了…, and do go on)
        cut = copy is not None and copy[1] - copy[0] >= CUT_COPY and stops_short(j, copy[1])
        if j - i == 1 and not whole_line and n is not None and not cut and joins(i, n):
            return False
        return True

    def stops_short(j: int, end: int) -> bool:
        """Tell whether a copy ending at line j-1 (key ``end``) stops mid-sentence where the
        earlier copy goes on, with nothing after it that goes on instead: a title, or the
        end of the page. A passage printed again may be cut off mid-sentence (…亮起了路)
        and run into the next article's title; a sentence going on in the next line starts
        that line with the earlier copy's next characters, or is no title."""
        if _final_end(lines[j - 1].text) or end >= len(s):
            return False
        n = kept_from(j)
        if n is None:
            return True
        q0 = key.line_start[n]
        return s[end : end + RUN_ON] != s[q0 : q0 + RUN_ON] and heading_like(lines[n].text)

    def goes_on_as_copy(j: int, end: int) -> bool:
        """Tell whether the line after line j-1 goes on as the earlier copy (ending at key
        ``end``) does, and continues line j-1: the line is the start of a paragraph whose
        opening repeats an earlier passage (a lede quoted by a summary), cut by a line break."""
        n = kept_from(j)
        if n is None or end >= len(s) or key.line_end[n] == key.line_start[n]:
            return False
        return s[end] == s[key.line_start[n]] and joins(j - 1, n)

    def runs_on(k: int) -> bool:
        """Tell whether line k goes on from the kept line before it."""
        p = kept_before(k)
        return p is not None and joins(p, k)

    def shares_context(i: int, j: int, src: int, end: int) -> bool:
        """Tell whether the earlier copy (key ``src`` .. ``end``) of lines i..j-1 goes on
        the way an open kept line before them, or the kept line after their open last
        line, does (``RUN_ON`` characters or more, the line after then going another way).

        Then the lines are part of a sentence printed once more inside a longer passage (a
        roundup lead quoting an article's opening), not a repeat on their own: removing
        them would leave the rest of their paragraph cut off. So would removing them when
        the earlier copy stops right there (a summary line quoting a paragraph's opening
        without its full stop): the later lines open the full text.
        """
        p = kept_before(i)
        if p is not None and src >= RUN_ON and key.line_end[p] - key.line_start[p] >= RUN_ON:
            p0, p1 = key.line_start[p], key.line_end[p]
            # A line p that repeats the earlier copy as a whole is part of the repeat, not its
            # context, unless p itself goes on from the line before it: then p and these lines
            # are a sentence printed again inside a longer paragraph.
            whole = src >= p1 - p0 and s[src - (p1 - p0) : src] == s[p0:p1] and not runs_on(p)
            if not _starts_fresh(lines[p]) and not whole and s[src - RUN_ON : src] == s[p1 - RUN_ON : p1]:
                return True
        if _final_end(lines[j - 1].text):
            return False
        q = kept_from(j)
        if q is None or end >= n:
            return False
        q0 = key.line_start[q]
        source = _line_of(key, end)
        shared = _common_prefix(s, end, q0, min(key.line_end[q] - q0, n - end))
        if end == q0 or not shared:
            return False
        # Where the earlier copy's line ends (the key runs on across line ends), one copy ends
        # its sentence and the other goes on (…做细做 | 实。这是… against a pull quote's
        # …做细做实, or …降至2.3 | 5%，比前年… against a summary's …降至2.35%。), or both end
        # it and then go different ways (…人生轨 | 迹。此后… against …轨迹。那年…): the lines
        # open a paragraph whose first sentence the earlier lede, pull quote or summary shares.
        # An OCR repeat keeps the punctuation and goes on as its copy does.
        # The same is checked where the copies part, when the earlier copy is wrapped there.
        def part_ways(k: int) -> bool:
            later_ends = RE_FINAL_START.match(_text_after(lines[q], key.raw_pos(q0 + k - 1))) is not None
            last = end + k - 1
            earlier_ends = RE_FINAL_START.match(_text_after(lines[_line_of(key, last)], key.raw_pos(last))) is not None
            return later_ends != earlier_ends or (later_ends and k == shared < key.line_end[q] - q0)

        in_line = min(shared, key.line_end[source] - end)
        if part_ways(in_line) or (shared > in_line and part_ways(shared)):
            return True
        if shared >= key.line_end[q] - q0:
            return False  # a next line the earlier copy runs on into as a whole is a repeat as well
        return shared >= RUN_ON

    i = 0
    while i < len(lines):
        o, e = key.line_start[i], key.line_end[i]
        if i in skip or e - o == 0:
            i += 1
            continue
        index_until(o)
        src, length = longest_source(o, e - o)
        # Lines fully covered by the match: i .. j-1.
        j = i
        while j < len(lines) and key.line_end[j] <= o + length and (j == i or j not in skip):
            j += 1
        covered = key.line_end[j - 1] - o if j > i else 0
        # Lines i..j-1 kept as no repeat of the earlier copy: line i, their first, is none on its
        # own either (the run, not the line, shows how the copies part or what quotes what).
        kept_run = False
        if j > i and covered >= MIN_DUP_KEY:
            quoted = _quote_without_end(lines, key, src + covered - 1, lines[j - 1].text) or _quote_without_start(
                lines, key, src, lines[i].text
            )
            if (
                aligned(i, j, copy=(src, src + covered))
                and not shares_context(i, j, src, src + covered)
                and not (_quotes_box(lines, _line_of(key, src), i) and not stops_short(j, src + covered))
                and not quoted
            ):
                removals.append(_removal(lines, key, i, j, src, covered, "duplicate"))
                skip.update(range(i, j))
                i = j
                continue
            kept_run = quoted or j > i + 1
            # The copy printed first was cut off and the full text follows right after it
            # (the earlier lines are a prefix of the later ones): drop the cut copy instead.
            k0 = _line_starting_at(key, src)
            if (
                k0 is not None
                and src + length >= o
                and o - src >= MIN_DUP_KEY
                and not any(k in skip for k in range(k0, i))
                and aligned(k0, i, whole_line=True)
                and not _quotes_box(lines, k0, i)
            ):
                removals.append(_removal(lines, key, k0, i, o, o - src, "duplicate"))
                skip.update(range(k0, i))
                index_until(key.line_end[j - 1])
                i = j
                continue
        # A single line rebuilt from up to three earlier passages (an OCR splice). A line
        # opening with a dateline is not one: every article of the agency and day starts
        # with the same words (新华社北京2月15日电 + a title's words is a new article).
        if e - o >= MIN_NEAR_DUP_KEY and length >= GRAM and not (_may_start_with(lines[i].text, DATELINE_FIRST) and RE_DATELINE_START.match(lines[i].text)):
            pos, parts, first_src, last_end, seams = o, 0, src, -1, []
            while pos < e and parts < 3:
                p, ln = (src, length) if pos == o else longest_source(pos, e - pos)
                # OCR repeats a passage in reading order and as one run of the key (the furniture
                # it was printed across is not in the key): parts out of order, or a few
                # characters apart, are a sentence re-worded (a subheading's 一季度全省汽车产量
                # 12.8万辆 from a kicker's 一季度，全省汽车产量高达12.8万辆) or a table row
                # repeating cells of other rows.
                if ln < GRAM or (parts and p <= last_end + MAX_REWORD_GAP + 1):
                    break
                last_end = p + min(ln, e - pos) - 1  # key offset of the last character copied
                pos += ln
                parts += 1
                if pos < e:
                    seams.append(pos)
            if (
                pos >= e
                and aligned(i, i + 1, whole_line=not _open_end(lines[i].text))
                and not (parts == 1 and (kept_run or goes_on_as_copy(i + 1, last_end + 1)))
                # whole sentences found elsewhere are the paper's own repeats (a boilerplate
                # lead 某某博览会将于…开幕。 and a sentence of another article): OCR splices a
                # passage wherever a column or a line broke it, mostly mid-sentence
                and not (seams and all(_sentence_seam(lines[i], key, k) for k in seams))
                # a subheading sums a section up in the body's own words: no splice
                and not (parts > 1 and _title_line(lines[i].text) and not RE_ANY_PUNCT.search(lines[i].text))
                and not shares_context(i, i + 1, first_src, last_end + 1)
                and not _quotes_box(lines, _line_of(key, first_src), i)
                and not _quote_without_end(lines, key, last_end, lines[i].text)
                and not _quote_without_start(lines, key, first_src, lines[i].text)
            ):
                removals.append(_removal(lines, key, i, i + 1, first_src, e - o, "near_duplicate"))
                skip.add(i)
                i += 1
                continue
        index_until(e)
        i += 1
    return removals


BOX_LINES = 6  # lines after a box label (核心阅读, 编者按) that its summary may take, up to a byline


def _quotes_box(lines: list[Line], k: int, i: int) -> bool:
    """Tell whether line ``i`` repeats text of a summary box (核心阅读, 编者按 …) or of a
    bulleted highlight (■ …) that line ``k`` is in, from outside it.

    Boxes and highlights quote the article's own sentences verbatim, so a later copy of
    their text out of the box, or without the bullet, is the article body, not an OCR
    repeat (OCR prints a passage again as it was, bullet included).
    """
    if RE_BULLET.match(lines[k].text) and not RE_BULLET.match(lines[i].text):
        return True

    def boxed(x: int) -> bool:
        for m in range(x - 1, max(-1, x - 1 - BOX_LINES), -1):
            if lines[m].text in _box_labels():
                return True
            if _may_start_with(lines[m].text, DATELINE_FIRST) and RE_BYLINE_START.match(lines[m].text):
                return False  # the body starts at its byline or dateline
        return False

    return boxed(k) and not boxed(i)


def _line_starting_at(key: _Key, k: int) -> int | None:
    """Return the line whose text starts at key offset ``k``, or ``None`` when k is mid-line."""
    i = bisect_left(key.line_start, k)
    while i < len(key.line_start) and key.line_start[i] == k:
        if key.line_end[i] > k:
            return i
        i += 1
    return None


def _line_of(key: _Key, k: int) -> int:
    """Return the line holding key character ``k``."""
    i = bisect_right(key.line_start, k) - 1
    while i > 0 and key.line_end[i] <= k:
        i -= 1
    return i


# What follows the last key character of a copy that ends a sentence: characters the key
# drops (closing quotes and brackets, %, ℃ …) and a sentence end among them (…增长3.5%。).
RE_FINAL_START = re.compile(r"^[^\w。！？!?…；;]*(?:[。！？!?…；;]|\.{3})")


def _text_after(line: Line, raw_pos: int) -> str:
    """Return the text of ``line`` after the character at ``raw_pos`` (pieces joined by a space)."""
    for p, (text, start) in enumerate(line.pieces):
        if start <= raw_pos < start + len(text):
            return " ".join((text[raw_pos - start + 1 :], *(t for t, _ in line.pieces[p + 1 :]))).strip()
    return ""


def _text_before(line: Line, raw_pos: int) -> str:
    """Return the text of ``line`` before the character at ``raw_pos``."""
    for p, (text, start) in enumerate(line.pieces):
        if start <= raw_pos < start + len(text):
            return " ".join((*(t for t, _ in line.pieces[:p]), text[: raw_pos - start])).strip()
    return ""


def _sentence_seam(line: Line, key: _Key, k: int) -> bool:
    """Tell whether key character ``k`` of ``line`` opens a sentence: the text before it
    in the line ends one."""
    return _final_end(_text_before(line, key.raw_pos(k)))


def _quote_without_start(lines: list[Line], key: _Key, first: int, removed_first: str) -> bool:
    """Tell whether the later copy opens a quotation the earlier copy does not open.

    An OCR repeat reproduces the opening quote (“北溪—2”项目…); a sentence quoted
    inside another paragraph (…影响力。“北溪—2”… vs …影响力，北溪—2…) does not.
    """
    opening = removed_first[:1]
    if opening not in "“‘「『":
        return False
    return not _text_before(lines[_line_of(key, first)], key.raw_pos(first)).endswith(opening)


def _quote_without_end(lines: list[Line], key: _Key, last: int, removed_last: str) -> bool:
    """Tell whether the earlier copy is a quote of the later passage rather than an OCR repeat.

    A passage printed again by OCR repeats its punctuation; a pull quote, summary line or
    caption that quotes a sentence of the body leaves the full stop off. When the later
    copy ends a sentence and the earlier one (ending at key offset ``last``) does not, the
    later copy is the article's own paragraph and is kept.
    """
    if not _final_end(removed_last):
        return False
    after = _text_after(lines[_line_of(key, last)], key.raw_pos(last))
    return not RE_FINAL_START.match(after)


def _removal(lines: list[Line], key: _Key, i: int, j: int, src: int, covered: int, reason: str) -> Removal:
    kept_end = min(src + covered, len(key.chars)) - 1
    return Removal(
        raw_start=lines[i].raw_start,
        raw_end=lines[j - 1].raw_end,
        text="\n".join(line.text for line in lines[i:j]),
        reason=reason,
        kept_raw_start=key.raw_pos(src),
        kept_raw_end=key.raw_pos(kept_end) + 1,
    )


# --- joining broken lines -------------------------------------------------------------


def display_width(text: str) -> float:
    """Return the printed width of ``text``: ASCII counts half a Chinese character."""
    return len(text) - 0.5 * len(text.encode("ascii", "ignore"))  # the encoding keeps only ASCII


def _width_mode(widths: Counter) -> float | None:
    best, best_count = None, 0
    for w in widths:
        count = widths[w] + widths.get(w - 1, 0) + widths.get(w + 1, 0)
        if count > best_count or (count == best_count and best is not None and w > best):
            best, best_count = w, count
    return float(best) if best_count >= 4 else None


MAX_OVERRUN = 2  # characters: a column line runs this much long where its break was moved off a mark


@dataclass(frozen=True, slots=True)
class Column:
    """The page's narrow column: its width in characters and in printed width."""

    chars: float | None
    printed: float | None

    def is_full(self, text: str) -> bool:
        """Tell whether a line fills the column (so the text may go on in the next line)."""
        return (self.chars is not None and abs(len(text) - self.chars) <= 1) or (
            self.printed is not None and abs(display_width(text) - self.printed) <= 1
        )

    def overruns(self, text: str) -> bool:
        """Tell whether a line is wider than the column by more than a moved break explains."""
        return (self.chars is None or len(text) > self.chars + MAX_OVERRUN) and (
            self.printed is None or display_width(text) > self.printed + MAX_OVERRUN
        )

    def fits(self, text: str) -> bool:
        """Tell whether a line is no wider than the column."""
        return (self.chars is not None and len(text) <= self.chars + 1) or (
            self.printed is not None and display_width(text) <= self.printed + 1
        )


MIN_COLUMN_RUN = 3  # open lines of one width in a row: a paragraph wrapped in a column


def column_width(lines: list[Line]) -> Column | None:
    """Estimate the page's narrow column width from its own line-length distribution.

    Narrow-column text shows many lines of (nearly) the same width that do not end a
    sentence, and shows them in runs: a paragraph wrapped in a column fills line after
    line at that width before its last line. Only lines in such a run (``MIN_COLUMN_RUN``
    or more in a row) count, so headings or list entries that happen to share a width,
    scattered over the page, make no column. OCR wraps by printed width (ASCII digits are
    half as wide) and re-typeset text by characters, so both are measured. ``None`` when
    the page has no such column.
    """
    open_lines = [text for run in _open_runs([line.text for line in lines]) if len(run) >= MIN_COLUMN_RUN for text in run]
    chars = _width_mode(Counter(map(len, open_lines)))
    printed = _width_mode(Counter(round(display_width(t)) for t in open_lines))
    return Column(chars, printed) if chars or printed else None


def _open_runs(texts: list[str]) -> list[list[str]]:
    """Split ``texts`` into runs of consecutive open lines (8-40 characters, no sentence end)
    each of the same width as the one before it."""
    runs: list[list[str]] = []
    last = -2  # index of the last open line
    for i, text in enumerate(texts):
        if not (8 <= len(text) <= 40 and not _final_end(text)):
            continue
        if last == i - 1 and _same_width(texts[last], text):
            runs[-1].append(text)
        else:
            runs.append([text])
        last = i
    return runs


@lru_cache(maxsize=1)
def _jieba_freq() -> dict[str, int]:
    """Frequencies of jieba's dictionary words that ``forms_word_across`` can use.

    Read from jieba's own dictionary file rather than ``jieba.initialize()``: only 2-3
    character words with frequency >= ``MIN_WORD_FREQ`` can change an answer, so the
    table is a fraction of jieba's, loads faster and leaves workers without jieba's
    full prefix dictionary when the segmenter is rjieba.
    """
    import jieba

    freq: dict[str, int] = {}
    with jieba.get_dict_file() as fh:
        for raw in fh:
            word, count = raw.decode("utf-8").split(" ", 2)[:2]
            if 2 <= len(word) <= 3 and int(count) >= MIN_WORD_FREQ:
                freq[word] = int(count)
    return freq


MIN_WORD_FREQ = 50  # a word across the break must be common, not a rare dictionary entry


def forms_word_across(left: str, right: str) -> bool:
    """Tell whether the break between ``left`` and ``right`` falls inside a dictionary word.

    Only two- and three-character words whose halves are not words on their own count:
    ``劳|模`` (劳模) and ``成|立`` (成立) do, ``有用|嘉兴`` does not: a one-character half
    that ends (or opens) a very common word on its own side is taken as that word. A line
    ending on a word as common as the word across the break ends there too (``焕然一新 |
    民生``: 一新 is more common than 新民), as a heading ends on a whole word; the next
    line's opening word weighs only when very common (``暑 | 假期间``: 暑 ends no word,
    假期 is no more common than 暑假, so 暑假 stands).
    """
    # Only three characters either side are read; the second cleaning pass asks about the
    # same breaks again, so the answer is memoised on them.
    return _forms_word_across(left[-3:], right[:3])


@lru_cache(maxsize=16384)
def _forms_word_across(left: str, right: str) -> bool:
    freq = _jieba_freq()
    for k in (1, 2):
        for m in (1, 2):
            if k + m > 3 or len(left) < k or len(right) < m:
                continue
            word = left[-k:] + right[:m]
            if not _is_han(word) or freq.get(word, 0) < MIN_WORD_FREQ:
                continue
            # the halves must not already be complete words at their own side
            lword, rword = left[-k - 1 :] if len(left) > k else left[-k:], right[: m + 1]
            if k == 1 and len(lword) == 2 and freq.get(lword, 0) >= min(MIN_WORD_FREQ * 20, freq[word]):
                continue
            if m == 1 and len(rword) == 2 and freq.get(rword, 0) >= MIN_WORD_FREQ * 20:
                continue
            return True
    return False


SEGMENT_WINDOW = 5  # characters either side of a break given to the segmenter


@lru_cache(maxsize=1)
def _jieba_tokenizer():
    """Return jieba's default tokenizer, initialised once and quietly."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba.dt


def segments_across(left: str, right: str) -> bool:
    """Tell whether jieba's best segmentation of the text around a break puts a Chinese
    word across it (``访|华期间`` -> 访华, ``摸爬|滚打`` -> 摸爬滚打).

    Unlike ``forms_word_across`` this weighs the word against the other ways to cut the
    window, so it also takes longer words and words whose halves are words themselves,
    but only where the dictionary's best path runs across the break. The window is the
    run of Chinese characters on either side (at most ``SEGMENT_WINDOW`` each).
    """
    a = RE_HAN_TAIL.search(left[-SEGMENT_WINDOW:])
    b = RE_HAN_HEAD.match(right[:SEGMENT_WINDOW])
    if a is None or b is None:
        return False
    return _segments_across(a.group(), b.group())


@lru_cache(maxsize=16384)
def _segments_across(a_text: str, b_text: str) -> bool:
    """``segments_across`` on the Chinese runs either side of the break, memoised: the
    second cleaning pass asks about the same breaks again, and segmenting is costly."""
    text = a_text + b_text
    dt = _jieba_tokenizer()
    route: dict = {}
    dt.calc(text, dt.get_DAG(text), route)  # jieba's best path (as cut(HMM=False))
    x = 0
    while x < len(a_text):
        y = route[x][1] + 1
        if y > len(a_text):
            return y - x >= 2
        x = y
    return False


RE_HAN_TAIL = re.compile(r"[\u4e00-\u9fff]+$")
RE_HAN_HEAD = re.compile(r"^[\u4e00-\u9fff]+")


def _last_word(text: str) -> str:
    """Return the last word of jieba's best segmentation of the Chinese run ending ``text``
    (at most ``SEGMENT_WINDOW`` characters), or ``""`` when ``text`` ends otherwise."""
    m = RE_HAN_TAIL.search(text[-SEGMENT_WINDOW:])
    if m is None:
        return ""
    tail = m.group()
    dt = _jieba_tokenizer()
    route: dict = {}
    dt.calc(tail, dt.get_DAG(tail), route)
    x = 0
    while True:
        y = route[x][1] + 1
        if y >= len(tail):
            return tail[x:]
        x = y


def _ends_on_single_word(text: str) -> bool:
    """Tell whether the segmenter makes the last character of ``text`` a word of its own."""
    return len(_last_word(text)) == 1


def _is_han(text: str) -> bool:
    if len(text) == 1:  # the common call: the character on either side of a break
        return "\u4e00" <= text <= "\u9fff"
    return all("\u4e00" <= ch <= "\u9fff" for ch in text)


def heading_like(text: str) -> bool:
    """Tell whether a line can be a title, heading or credit: short, no sentence inside or at the end."""
    return (
        len(text) <= 50
        and not _final_end(text)
        and not _open_end(text)
        and not RE_INNER_FINAL.search(text)
    )


@lru_cache(maxsize=1)
def _note_labels() -> frozenset:
    return frozenset(read_list("clean/note_labels.txt"))


def is_note(line: str) -> bool:
    """Tell whether a line is an editorial note under an article (版式设计：张丹峰)."""
    label, colon, rest = line.partition("：")
    return bool(colon) and bool(rest) and label.strip() in _note_labels()


@lru_cache(maxsize=1)
def _box_labels() -> frozenset:
    return frozenset(read_list("clean/article_openers.txt"))


@lru_cache(maxsize=1)
def _closed_end_words() -> frozenset:
    return frozenset(read_list("clean/closed_end_words.txt"))


@lru_cache(maxsize=1)
def _grammar_chars() -> tuple[frozenset, frozenset]:
    return frozenset(read_list("clean/continuation_chars.txt")), frozenset(read_list("clean/open_end_chars.txt"))


@lru_cache(maxsize=1)
def _open_end_words() -> frozenset:
    return frozenset(read_list("clean/open_end_words.txt"))


@lru_cache(maxsize=1)
def _word_particles() -> frozenset:
    return frozenset(read_list("clean/word_particles.txt"))


# A time phrase opening a sentence: 去年，/ 4个月后，/ 10月18日上午，/ 几天来，
_TIME_OPENER = (
    r"(?:(?:\d+|[一二三四五六七八九十两几数多半百千]+)(?:年|个月|月|天|日|周|时|分)"
    r"(?:[初底中末]|以来|来|前|后|间|里|上午|下午|晚|晚上|凌晨|中旬|下旬|上旬)*"
    # a full date, with the year as a number or a word and a time of day: 2017年7月，
    # 今年1月18日，/ 1月24日下午3点多，/ 去年11月，
    r"|(?:当地时间)?(?:\d{4}年|[今去明前当同]年)?(?:\d{1,2}|[一二三四五六七八九十]{1,2})月(?:(?:\d{1,2}|[一二三四五六七八九十]{1,3})[日号])?"
    r"(?:上午|下午|中午|晚上|晚间|凌晨|傍晚|清晨|早上|早晨|晚)?(?:\d{1,2}[时点](?:\d{1,2}分|半|多)?)?(?:[初底中末]|以来|前后?|后)?"
    # a time of day: 早晨9点，/ 晚11点20分，/ 18点30分，
    r"|(?:上午|下午|中午|晚上|凌晨|傍晚|清晨|早上|早晨|晚)?\d{1,2}[时点](?:\d{1,2}分|半|多)?"
    r"|\d{1,3}岁那年|此后(?:数|几|\d+)[年月天日])"  # 28岁那年，/ 此后数年，
)
_SAYS = r"[^，,。]{1,12}(?:表示|指出|介绍|认为|强调|说|看来|显示|透露|分析|告诉记者)"


def _opener_word(word: str) -> str:
    if word.endswith("*"):
        return re.escape(word[:-1]) + r"[^，,。]{0,8}"
    if word.startswith("*"):
        return r"[^，,。]{1,8}" + re.escape(word[1:])
    return re.escape(word)


def _opener_words() -> str:
    return "|".join(_opener_word(w) for w in read_list("clean/clause_openers.txt"))


@lru_cache(maxsize=1)
def _clause_opener() -> re.Pattern:
    """A line opening with an adverbial or discourse clause and a comma (body text, not a title)."""
    return re.compile(rf"^(?:{_TIME_OPENER}|{_SAYS}|{_opener_words()})[，,]")


@lru_cache(maxsize=1)
def _sentence_opener() -> re.Pattern:
    """A line opening with a time phrase or a discourse word and a comma (近年来，/ 5月3日，/
    同时，): a sentence starts there. (``X说，`` is left out: a wrapped line often opens with
    the end of a name or a post before it, …研究 | 员王某认为，.)"""
    return re.compile(rf"^(?:{_TIME_OPENER}|{_opener_words()})[，,]")


# The first sentence of a line, when the line has a sentence end at all.
RE_FIRST_SENTENCE = re.compile(r"^([^。！？!?]*)[。！？!?]")
SHORT_TAIL = 6  # characters: a first sentence this short is the tail of the line before
# A short exclamation or question quoted whole at the start of a line: “开饭喽！” / “到了吗？”
RE_QUOTED_CRY = re.compile(r"^“[^“”。！？!?]{1,8}[！？!?]+”")
CLAUSE_TAIL = 12  # characters: a one-clause first sentence this short ends an open line of clauses
# A one-clause sentence (no comma) closed by a full stop at the start of a line.
RE_CLAUSE_TAIL = re.compile(rf"^[^，,；;：:。！？!?]{{1,{CLAUSE_TAIL}}}。")
# A dateline that opens a paragraph of body text: 本报北京2月14日电, 据新华社巴黎2月13日电, 本报讯.
RE_DATELINE_START = re.compile(r"^(?:[■●▲◆]\s*)?据?(?:本报讯|(?:本报|新华社|中新社)[^\s，。]{0,12}?电)")
# A dateline broken before its 电, or inside its date: 本报南宁3月8日 | 电 （记者…）,
# 本报开罗10月 | 11日电, 新华社北京2月1 | 1日电.
RE_DATELINE_CUT = re.compile(r"^(?:[■●▲◆]\s*)?据?(?:本报|新华社|中新社)[^\s，。]{0,12}?\d{1,2}(?:日|月\d{0,2})$")
# What the cut dateline goes on with: the rest of its date and 电.
RE_DATELINE_REST = re.compile(r"^(?:\d{1,2}[月日]?)*电")
# A line ending on one, two or a few of a measure word that always takes its noun (…派出一支 |
# 医疗队); not part of a longer number or an ordinal (第十一条), and not 个, 片, 把, 套 or 场,
# which end sayings too (只有一个, 连成一片, 帮一把, 另搞一套, 忙活一场).
COUNT_MEASURES = "批位名项种件条支座所张份道群串双对副架辆艘台部本篇首幅根颗头匹棵株间"
RE_COUNT_END = re.compile(rf"[\u4e00-\u9fff](?<![第每零〇一二三四五六七八九十百千万])[一两几][{COUNT_MEASURES}]$")
# A transliterated name cut one character after its middle dot: a given name of two or more
# characters, the dot and the first character of the family name (…穆斯塔法·沙 | 克尔). A unit
# such as 元/人·年 has a single character before its dot.
RE_NAME_CUT_AFTER_DOT = re.compile(r"[\u4e00-\u9fff]{2}·[\u4e00-\u9fff]$")
# A number with 余 or 多 and a measure word ending a line of text (…，3000余名 | 游客): the
# noun comes next. A line holding little but the number is a figure of a chart (4万余家).
APPROX_MEASURES = "名个位家项件批"
RE_APPROX_COUNT_END = re.compile(rf"[\d一二三四五六七八九十百千万]+[余多][{APPROX_MEASURES}]$")
# A numbered item heading: 二、夯实农业基础，保障重要农产品有效供给.
RE_NUMBERED_ITEM = re.compile(r"^[一二三四五六七八九十]+、")


MIN_CLAUSE_LINE = 12  # characters: a shorter line of clauses may be a heading (护旗英雄被围殴，不改初衷)
MAX_CUT_CLAUSE = 4  # characters after the last comma of a line cut mid-clause
# What follows the last clause mark of a line.
RE_LAST_CLAUSE = re.compile(r"[，,；;。！？!?]([^，,；;。！？!?]*)$")
RE_CLAUSE_MARK = re.compile(r"[，,；;。！？!?]")


def _short_last_clause(text: str) -> bool:
    """Tell whether ``text`` is clauses of running text whose last clause was cut off
    after a word or two (…他是一名地震 has 6 characters, so not; …带领村党支部 neither;
    …，实现 / …，当地 do)."""
    if len(text) < MIN_CLAUSE_LINE or "，" not in text or _final_end(text):
        return False
    if text.endswith(("：", ":", "—")) or "：" in text or (_may_end_with(text, BRACKET_CLOSE) and RE_COLUMN_LABEL_END.search(text)):
        return False  # a label or a kicker (生态为先：…), or a title with its column
    m = RE_LAST_CLAUSE.search(text)
    if m is None or not 0 < len(m.group(1)) <= MAX_CUT_CLAUSE:
        return False
    clauses = RE_CLAUSE_MARK.split(text)
    return len({len(c) for c in clauses}) > 1  # 整治一村，修复一村，建强一村: parallel clauses make a heading


def _clause_tail(text: str) -> bool:
    """Tell whether ``text`` opens with a short sentence of a single clause (瑰丽、摄人心魄的故事。)."""
    return RE_CLAUSE_TAIL.match(text) is not None


def _unbalanced(text: str) -> bool:
    """Tell whether ``text`` opens a quote or bracket it does not close (either width)."""
    count = text.count  # spelt out pair by pair: this runs several times for most line breaks
    return (
        count("“") > count("”")
        or count("《") > count("》")
        or count("（") + count("(") > count("）") + count(")")
        or count("‘") > count("’")
        or count("「") > count("」")
        or count("『") > count("』")
    )


MIN_BLOCK_LINE = 10  # characters: shorter lines of equal width are as often list items


def _same_width(x: str, y: str) -> bool:
    if abs(len(x) - len(y)) <= 1:
        return True
    return abs(display_width(x) - display_width(y)) <= 1


RE_NUMBERED_HEAD = re.compile(r"^第[一二三四五六七八九十百\d]+[章节条部篇编]")
# A line opening with the copula 是 (not 是的 / 是否 / 是时候, which may open a sentence):
# a paragraph does not start there, its subject ends the line before.
RE_COPULA_START = re.compile(r"^是(?![的否]|时候)")
# A photo caption's opening (图为…, 图⑤：…, 上图：…).
RE_CAPTION_START = re.compile(r"^(?:[上下左右]|左上|右上|左下|右下)?图(?:为|[①-⑳\d一二三四五六七八九十]*[：:])")
# An article of a law or a regulation, its text on the same line (第九条 国家鼓励和支持…).
RE_LAW_ARTICLE = re.compile(r"^第[一二三四五六七八九十百零〇\d]+条[ 　]\S")


def _listing(text: str) -> bool:
    """Tell whether a line looks like a list or table entry rather than wrapped prose.

    Running Chinese text carries no spaces, so a spaced line (``10.20 上海大世界``,
    ``书名：白鹿原 作者：陈忠实``) is a schedule or table row; ``第二节 …`` heads a section of
    a document; ``标题（栏目名）`` is a title with its column label.
    """
    return " " in text or bool(RE_NUMBERED_HEAD.match(text) or (_may_end_with(text, BRACKET_CLOSE) and RE_COLUMN_LABEL_END.search(text)))


def _block_listing(text: str) -> bool:
    """``_listing`` for a line inside a block of one width: a bracket closing a line of
    clauses (…共出动警力（含辅警）) is no column label after a title there."""
    if not _listing(text):
        return False
    if " " in text or RE_NUMBERED_HEAD.match(text):
        return True
    m = RE_COLUMN_LABEL_END.search(text)
    return m is None or not RE_ANY_PUNCT.search(text[: m.start()])


def _block_line(text: str) -> bool:
    """Tell whether a line can be a wrapped line of running text (not a list or a title)."""
    return not (_listing(text) or text.startswith(("——", "第")) or RE_LIST_START.match(text) or text.endswith("—"))


def same_block(a: str, b: str, nxt: str) -> bool:
    """Tell whether ``a`` and ``b`` are consecutive lines of one column-wrapped paragraph.

    The page may hold columns of several widths, so the page-wide width is not enough: a
    text block wrapped in its own column shows two open lines of the same width followed by
    a third of that width or by a shorter line that ends the sentence (the paragraph's
    last line). Titles stacked in equal widths are rare and are spaced, numbered or end
    with a bracketed column label, which ``_block_line`` rules out.
    """
    if len(a) < MIN_BLOCK_LINE or not _same_width(a, b) or not (_block_line(a) and _block_line(b)):
        return False
    if _final_end(b):
        return True  # a two-line paragraph whose last line happens to fill the width
    return _same_width(b, nxt) or (bool(_final_end(nxt)) and len(nxt) <= len(b) + 1)


def _short_of(a: str, b: str) -> bool:
    """Tell whether ``a`` ends short of the width that the open line ``b`` under it fills:
    ``b`` holds two characters or more than ``a`` and is no narrower in print.

    The lines of a wrapped paragraph are of one width but for the last; one runs a
    character or two long where its break was moved off a punctuation mark, so a ``b``
    with a sentence end inside or a mark at its end proves nothing. An open ``b`` without
    them that is wider than ``a`` shows ``a`` stopped before the column's edge: a heading
    over a paragraph wrapped in its column (推动城市老工业基地焕发新的活力 / 今年春天这座有着
    六十年历史的老厂房).
    """
    return len(b) >= len(a) + 2 and display_width(b) >= display_width(a) and heading_like(b)


# A mark in the first characters of a line: the break above it may have been moved back to
# keep the mark off the line's start (…为的是 / 让孩子们都能走出大山去看 / 看！”…).
RE_MARK_NEAR_START = re.compile(r"^.{0,2}[，,、：:；;。！？!?”’）)》]")


def _runs_over(a: str, b: str, nxt: Line | None) -> bool:
    """Tell whether ``a`` runs over the width of the open line ``b`` under it, which is no
    paragraph's last line: ``a`` holds two characters or more than ``b``, is no narrower
    in print, and the line after ``b`` opens without a mark (a line comes out a character
    or two short where its break was moved back to keep a mark off the next line's start).
    ``a`` is no line of ``b``'s column: a heading over it (整村搬迁住上了新楼房，好日子来了 /
    走进村东头的老张家，屋里亮堂).
    """
    return (
        nxt is not None
        and len(a) >= len(b) + 2
        and display_width(a) >= display_width(b)
        and heading_like(b)
        and not RE_MARK_NEAR_START.match(nxt.text)
    )


def _off_width(a: str, b: str, nxt: Line | None) -> bool:
    """Tell whether ``a`` and the open line ``b`` under it differ in width as no two lines
    of one column do (``_short_of``, ``_runs_over``): width is then no evidence for a join."""
    return _short_of(a, b) or _runs_over(a, b, nxt)


def _narrow_block(prev_prev: Line | None, a: str, b: str, nxt: Line | None) -> bool:
    """Tell whether ``a`` and ``b`` sit inside a paragraph wrapped in a narrow column: the
    line before them, both of them and the line after (or a shorter last line ending the
    sentence) are of one width, none of the first three closes a sentence (…更注重招商 /
    更加注重“引智”和“精准招商”理 / 念，围绕…). Four lines of one width outweigh what a line
    opens or ends with (a quote, a dash, a colon); lists, spaced lines, a quotation standing
    whole, a speaker's label (…副局长王某：) and a line ending in a colon under a line
    without any punctuation (a label or a kicker over what it introduces) are left out.
    """
    if prev_prev is None or nxt is None:
        return False
    p, n = prev_prev.text, nxt.text
    if min(len(p), len(a), len(b)) < MIN_BLOCK_LINE or not (_same_width(p, a) and _same_width(a, b)):
        return False
    if not (_same_width(b, n) or _final_end(n)) or _final_end(p):
        return False
    if a.startswith("——") and _title_line(a) and _title_line(p) and not RE_ANY_PUNCT.search(a + p):
        return False  # 红色旅游的新气象 / ——来自老区的调查: a subtitle under its title
    if any(_block_listing(t) or _list_marker(t) or RE_NUMBERED_ITEM.match(t) for t in (p, a, b)):
        return False
    if (a.startswith("“") and a.endswith("”")) or (a.endswith(("：", ":")) and (not RE_ANY_PUNCT.search(p + a[:-1]) or _speaker_label(a))):
        return False
    return True


def _starts_fresh(before: Line | None) -> bool:
    """Tell whether the line after ``before`` starts a new paragraph or heading: the page
    starts there, or ``before`` ends a sentence, a kicker (——), a sign-off or a credit."""
    if before is None:
        return True
    t = before.text
    return bool(_final_end(t) or (_may_end_with(t, BRACKET_CLOSE) and (RE_BRACKETED.match(t) or RE_SIGNED_END.search(t))) or _credit_line(t)) or t.endswith("——")


MAX_TAIL = 20  # characters: a short last line ending the sentence is a wrapped tail


def _deck(a: str, b: str, prev_prev: Line | None) -> bool:
    """Tell whether ``a`` is the summary line (提要) printed right under a title.

    Papers print a one-sentence summary without a full stop between the title and the
    body. It is a long line right after a title line (no sentence end, and no comma
    unless the title ends with its column label, 走过七十年，中俄关系历久弥坚（大使随笔）);
    it is still a broken line when the next line is a short tail that ends the sentence.
    """
    if prev_prev is None or not _title_line(prev_prev.text):
        return False
    if RE_ANY_PUNCT.search(prev_prev.text) and not RE_COLUMN_LABEL_END.search(prev_prev.text):
        return False
    return not (_final_end(b) and len(b) <= MAX_TAIL)


RE_LAST_SENTENCE = re.compile(r"[。！？!?]([^。！？!?]*)$")
MIN_DECK = 20  # characters: a line under a title this long is a deck, whatever the next line's width
MIN_SUMMARY_TAIL = 12  # characters in the last sentence of a summary line left without its full stop


# A contributor's line: a country or place in brackets and a name (（某国）约翰·史密斯, （上海）王某).
# (Not a numbered heading: （五）推进产业升级.)
RE_PLACE_NAME_LINE = re.compile(r"^[（(](?![一二三四五六七八九十百]+[）)])[\u4e00-\u9fff]{1,8}[）)][\u4e00-\u9fff·—]{2,20}$")


def _summary_under_title(a: str, b: str, prev_prev: Line | None) -> bool:
    """Tell whether ``a``, holding sentences but no final full stop, is the summary that a
    commentary prints under its title with a column label (好日子，是干出来的（基层走笔）),
    or a contributor's quote under the line with their country and name (（某国）约翰·史密斯).

    Its last sentence runs ``MIN_SUMMARY_TAIL`` characters or more (…。家门口的养老更让老
    人安心, with or without a comma); the first line of a paragraph cut at random mostly
    ends a few characters into its next sentence (…心中有民生。基层).
    """
    if prev_prev is None or not (RE_LABEL_END.search(prev_prev.text) or RE_PLACE_NAME_LINE.match(prev_prev.text)) or not _deck(a, b, prev_prev):
        return False
    m = RE_LAST_SENTENCE.search(a)
    return m is not None and len(m.group(1)) >= MIN_SUMMARY_TAIL


def _han_count(text: str) -> int:
    """Return the number of Chinese characters in ``text``."""
    return sum("\u4e00" <= ch <= "\u9fff" for ch in text)


def _verse(a: str, b: str) -> bool:
    """Tell whether ``a`` and ``b`` are lines of verse: two short single clauses of the
    same length in Chinese characters (煤电换新颜，/ 清洁少污染。, 村里“网红”多，/ 致富有门路。:
    quotes are no part of a verse's metre). Poems are printed a line per clause; an OCR
    wrap at a column would not fall at the clause end of two equal short lines."""
    return (
        len(a) <= MAX_VERSE
        and len(b) <= MAX_VERSE
        and abs(_han_count(a) - _han_count(b)) <= 1
        and bool(RE_VERSE_LINE.match(a) and RE_VERSE_LINE.match(b))
        and (b.endswith(("，", ",")) or bool(_final_end(b)))
    )


MAX_SONG_LINE = 25  # characters in a line of a song, poem or list printed without punctuation
MIN_COLUMN_WIDTH = 12  # characters in the narrowest column of running text


def _song_lines(prev_prev: Line | None, a: str, b: str, nxt: Line | None) -> bool:
    """Tell whether ``a`` and ``b`` sit in a song or poem printed a line per verse, or in a
    list of names printed a line per entry, with no punctuation at all (春风吹绿了山岗 /
    小河流过我的家乡 / …, 某某市第一人民医院急诊科 / 某某县供电公司抢修班 / …): four lines in
    a row of Chinese characters only, none longer than ``MAX_SONG_LINE``. Running text
    wrapped in a narrow column has a comma or a full stop every line or two.
    """
    if prev_prev is None or nxt is None:
        return False
    texts = (prev_prev.text, a, b, nxt.text)
    if not all(len(t) <= MAX_SONG_LINE and _is_han(t) for t in texts):
        return False
    lengths = [len(t) for t in texts]
    # four lines of one column's width may be a long name or title wrapped in the column
    return max(lengths) - min(lengths) > 1 or min(lengths) < MIN_COLUMN_WIDTH


# Phrases of four or more Chinese characters separated by single spaces: 聚焦民生 精准发力.
RE_SPACED_PHRASES = re.compile(r"^[\u4e00-\u9fff]{4,}(?: [\u4e00-\u9fff]{4,})+$")
# A section heading of a document: 第二节 发展目标 (an article, 第五条 …, runs on as text).
RE_SECTION_HEADING = re.compile(r"^第[一二三四五六七八九十百\d]+[章节编篇部] [\u4e00-\u9fff]+$")


def _spaced_heading(text: str) -> bool:
    """Tell whether ``text`` is a heading printed as spaced phrases of about one length
    (聚焦民生 精准发力, 建设美好家园 共享发展成果) or a document's section heading.

    Running text carries no spaces between Chinese phrases. A heading cut at random has a
    last phrase shorter than the first (建设美好家园 共享发展), so that one is no heading.
    """
    if RE_SECTION_HEADING.match(text):
        return True
    if not RE_SPACED_PHRASES.match(text) or text.startswith("第"):
        return False
    parts = text.split(" ")
    return 0 <= len(parts[-1]) - len(parts[0]) <= 2


# The number of a list item, by kind: 1 / 1、/ 1. (a digit and a space or a mark), ①,
# （一）, 一、 and 一是.
LIST_MARKERS = (
    ("digit", re.compile(r"^(\d{1,2})(?: |、|\.|．)(?=\D)")),
    ("circled", re.compile(r"^([①-⑳])")),
    ("bracketed", re.compile(r"^[（(]([一二三四五六七八九十]{1,3})[）)]")),
    ("numeral", re.compile(r"^([一二三四五六七八九十]{1,3})、")),
    ("numeral_is", re.compile(r"^([一二三四五六七八九十]{1,3})是")),
)


# The first character of a list number, a digit aside: ① to ⑳, a bracket or a numeral.
LIST_FIRST = "".join(map(chr, range(ord("①"), ord("⑳") + 1))) + "（(一二三四五六七八九十"


def _list_marker(text: str) -> str | None:
    """Return the kind of list-item number ``text`` opens with, or ``None``."""
    if not (_may_start_with(text, LIST_FIRST) or text[0].isdecimal()):  # ``\d`` is str.isdecimal
        return None  # most lines open with none: skip the five patterns
    for kind, pattern in LIST_MARKERS:
        if pattern.match(text):
            return kind
    return None


# Numerals in a row (一、二级公路, 三、四线城市): an enumeration, not a list item's number.
RE_NUMERAL_RUN = re.compile(r"^[一二三四五六七八九十]+、[一二三四五六七八九十]")


# An ordinal opening a point: 第一，/ 第二、
RE_ORDINAL_START = re.compile(r"^第[一二三四五六七八九十]+[，,、]")


def _opens_list_item(text: str) -> bool:
    """Tell whether ``text`` opens a numbered item or point (（一）, 1., 一、, 第一，), maybe
    inside the quotation of an amended text (“（一）…)."""
    text = text.lstrip("“\"")
    if not text or RE_NUMERAL_RUN.match(text):
        return False  # 一、二线城市: an enumeration of numerals
    return _list_marker(text) is not None or RE_ORDINAL_START.match(text) is not None


def _heading_levels(a: str, b: str) -> bool:
    """Tell whether ``a`` is a numbered heading and ``b`` opens a numbered heading or item of
    any level (（二）公共服务更加完善 / 三、下一步工作安排). A heading left on a preposition
    or particle (（二）重点是 | 一、二级公路…) is no heading."""
    if not (_title_line(a) and _list_marker(a) is not None and _list_marker(b) is not None) or RE_NUMERAL_RUN.match(b):
        return False
    return not (a[-1] in _grammar_chars()[1] and a[-2:] not in _closed_end_words())


def _next_list_item(b: str, a: str, prev_prev: Line | None) -> bool:
    """Tell whether ``b`` opens a list item numbered the way ``a`` (or the line before it,
    when ``a`` is a wrapped item) opens one: each item of a numbered list starts a line."""
    kind = _list_marker(b)
    if kind is None:
        return False
    return _list_marker(a) == kind or (prev_prev is not None and _list_marker(prev_prev.text) == kind)


# A label and its colon opening a line: 姓名：… / 职务：…
RE_LINE_LABEL = re.compile(r"^([\u4e00-\u9fff]{1,4})[：:]")


def _same_label(a: str, b: str) -> bool:
    """Tell whether ``a`` and ``b`` open with the same label (职务：… / 职务：…): rows of a
    table or form. A wrapped line never opens the next one with the label it opened with."""
    ma = RE_LINE_LABEL.match(a)
    mb = RE_LINE_LABEL.match(b) if ma is not None else None
    return mb is not None and ma.group(1) == mb.group(1)


def _dash_kicker(text: str) -> bool:
    """Tell whether ``text`` is a kicker ending in a dash (一路向前—— / 北京、上海行——): a
    short phrase with no clause mark but enumeration commas, leading in to the line below."""
    return (
        text.endswith("——")
        and "——" not in text[:-2]
        and _title_line(text[:-2])
        and not RE_ANY_PUNCT.search(text.replace("、", ""))
    )


# A figure printed large on a line of its own: a number, maybe with 多 or 余, a unit of
# magnitude and a measure word or a percent sign (1.5万户, 30多家, 8.6%).
RE_FIGURE_LINE = re.compile(r"^\d+(?:[.．]\d+)?[多余]?[万亿千百]*[多余]?[\u4e00-\u9fff]{0,2}[%％]?$")


def _figure_over_caption(figure: str, caption: str) -> bool:
    """Tell whether ``figure`` is a figure printed large above the text it sums up.

    Infographics and data boxes print a number with its unit on a line of its own and the
    sentence it comes from below it: 2.6万家 / 今年以来，全省新增2.6万家企业…. The caption
    repeats the figure; a number cut off a line of running text (…共有 | 120名 | 学生参加)
    is not repeated in the line after it.
    """
    if len(figure) > 10 or not RE_FIGURE_LINE.match(figure):
        return False
    return figure.replace("％", "%") in caption.replace("％", "%")


# Digits, or a year or month in digits, ending a line: a number or a date goes on (2月 | 10日，).
RE_DATE_PART_END = re.compile(r"\d[年月]?$")


MIN_DECK_TAIL = 5  # characters after the last full stop of a summary line left open


def _heading_over_opener(prev_prev: Line | None, a: str, b: str) -> bool:
    """Tell whether ``a`` is a subheading and ``b`` opens the paragraph under it.

    A title line right after a sentence end and a line opening a sentence with a time
    phrase or a discourse word (近年来，/ 10月8日，/ 同时，) stand apart: a paragraph's first
    line is not cut right before such an opener. Unless ``a`` is visibly cut: it ends in
    digits or a date going on (201 | 8年，, 2月 | 10日，), in a one-word preposition or
    particle (…的 | 同时，) or in a clause of a word or two, or ``b`` opens by finishing its
    word (根 | 据地，). Without the line before ``a`` (a repeat checked on its own) nothing
    tells a subheading. The summary printed under a title (see ``_deck``) with sentences
    inside stands apart the same way when its last sentence is whole: ``MIN_DECK_TAIL``
    characters or more after its last full stop (…。去年 | 10月，… is a paragraph cut two
    characters into a sentence).
    """
    if prev_prev is None or not (_sentence_opener().match(b) or RE_DATE_OPENER.match(b)):
        return False
    if not (_starts_fresh(prev_prev) and _title_line(a)):
        m = RE_LAST_SENTENCE.search(a) if _deck(a, b, prev_prev) else None
        if m is None or len(m.group(1)) < MIN_DECK_TAIL:
            return False
    if RE_DATE_PART_END.search(a) or _cut_last_clause(a) or forms_word_across(a, b):
        return False
    return not (a[-1] in _grammar_chars()[1] and _ends_on_single_word(a))


MAX_SHORT_HEADING = 8  # characters: no column is this narrow, so a line this short ends where it ends


def _short_heading(prev_prev: Line | None, a: str) -> bool:
    """Tell whether ``a`` is a short heading (种植经验谈, 老街新貌, 山村夜话): a title line of
    at most ``MAX_SHORT_HEADING`` characters right after a sentence end.

    The first line of a paragraph fills its column, and no column of running text is that
    narrow; a line this short that opens afresh and is left open is a heading or a label.
    Unless it ends in a word that asks for more: a preposition or particle (老人每天都坐在 |
    村口…) or a number and its measure word (新来的几位 | 医生).
    """
    if prev_prev is None or len(a) > MAX_SHORT_HEADING or not (_starts_fresh(prev_prev) and _title_line(a)):
        return False
    if _may_end_with(a, COUNT_MEASURES + APPROX_MEASURES) and (RE_COUNT_END.search(a) or RE_APPROX_COUNT_END.search(a)):
        return False
    return not (a[-1] in _grammar_chars()[1] and a[-2:] not in _closed_end_words())


def _after_title(prev_prev: Line | None, a: str) -> bool:
    """Tell whether ``a`` starts afresh or stands under another title line (a main title
    over its subtitle); a dateline (本报北京5月4日电 （记者X）) opens body text instead."""
    if _starts_fresh(prev_prev):
        return True
    if not _title_line(prev_prev.text) or _open_clauses(prev_prev.text):
        return False  # a line of clauses left open is running text (…今年除夕夜全所 | 上岗，出动警力（含辅警）)
    return not (_may_start_with(a, DATELINE_FIRST) and (RE_BYLINE_START.match(a) or RE_DATELINE_START.match(a)))


def _open_clauses(text: str) -> bool:
    """Tell whether ``text`` is clauses of running text left open: clause punctuation inside,
    no sentence end and no column label closing it."""
    return bool(RE_ANY_PUNCT.search(text)) and not _final_end(text) and not (_may_end_with(text, BRACKET_CLOSE) and RE_COLUMN_LABEL_END.search(text))


def _title_line(text: str) -> bool:
    """A short line without any punctuation that could end or split a sentence."""
    return len(text) <= 40 and heading_like(text) and not _open_end(text) and not text.endswith(("：", ":"))


def join_reason(
    prev: Line,
    cur: Line,
    nxt: Line | None,
    col: Column | None,
    prev_prev: Line | None,
    stood_alone: bool = False,
    seen: str = "",
    row: bool = False,
    continued: bool = False,
) -> str | None:
    """Return why ``cur`` continues ``prev`` (a broken line), or ``None`` for a real boundary.

    The checks run in a fixed order: first what makes a line a boundary whatever else
    holds (bylines, credits, box labels, editorial notes, salutations, titles with a
    column label, title lines above a byline, a closed sentence, a sign-off, a dash or
    colon that closes the line, verse, a quotation standing as a title), then evidence
    for a join from the strongest (a dateline going on to its 电, a paragraph wrapped in a
    narrow block of four lines, punctuation, a name going on after a middle dot,
    grammar, a reporting verb opening the line, a post and its holder's name, a word
    across the break, an open quote, a number going on, a dateline opening body text, a
    short one-clause tail) to the weakest (a last clause cut after a word or two, column
    widths, a body opener, a long line, a line of clauses after a body paragraph, the
    segmenter, a clause of one or two characters opening the next line); a date opening
    the next line marks a sentence start before the weak evidence is weighed. Where
    nothing else decides, an article of a law (第九条 …) and a photo caption (图为…) run
    on to their full stop, a line opening with the copula 是 takes its subject from the
    line before, the same text printed elsewhere on the page without this break joins
    the lines, and so does a sentence left open on a comma two lines up and carried on
    through ``prev``.
    ``row``: ``prev`` is a row of clauses printed one per line (``clause_rows``) and stands
    alone whatever follows. ``continued``: ``prev`` was joined to ``prev_prev`` (it goes on
    a paragraph begun on an earlier line). ``stood_alone``: ``prev_prev`` and ``prev`` each
    stood alone; after a long open line standing alone (a summary), ``prev`` being long is
    no evidence.
    ``seen``: the page's lines, one per line, repeats included (a passage printed twice is
    wrapped at two widths, so one copy shows where the other's breaks are the layout's).
    The first that applies decides; its name is the reason (the evaluation scripts count
    them).
    """
    a, b = prev.text, cur.text
    if _final_end(a) and not b.startswith(CLOSE_START_CHARS):
        # The common case first: a closed sentence, and no closing mark opening the next line
        # to carry it on. Every check below would return None for it (none joins after a
        # sentence end but continuation_punct), so the answer is the same, only sooner.
        return None
    if cur.indented and not prev.indented and cur.blank_before == 0:
        return None  # an indented line starts a paragraph in print
    if _is_han(a[-1]) and RE_NAME_DOT.match(b) and not b.endswith("·"):
        return "name_dot"  # 伊姆兰|·汗: a transliterated name or a dotted title goes on
    if RE_DATELINE_REST.match(b) and RE_DATELINE_CUT.match(a):
        return "dateline_cut"  # 本报南宁3月8日 | 电 （记者…）: the dateline goes on
    if (_may_start_with(b, DATELINE_FIRST) and (RE_BYLINE_START.match(b) or RE_DATELINE_CUT.match(b))) or _credit_line(b) or _credit_line(a) or RE_BULLET.match(b):
        return None  # a byline or dateline (even one broken before its 电) opens a paragraph
    if a in _box_labels() or b in _box_labels():
        return None  # 核心阅读, 编者按 ... head a box on a line of their own
    if (_may_start_with(a, DATELINE_FIRST) and RE_BYLINE_LINE.match(a)) or is_note(a) or (_may_end_with(a, "，：,:") and RE_SALUTATION.match(a)):
        # 本报记者 潘俊强 / 版式设计：蔡华伟 / 女士们，先生们，: a byline, an editorial note or
        # the salutation of a speech stands alone
        return None
    if _may_end_with(a, BRACKET_CLOSE) and RE_COLUMN_LABEL_END.search(a) and heading_like(a) and _after_title(prev_prev, a):
        return None  # 让“空心小镇”重焕生机（环球走笔）: a title with its column label
    if nxt is not None and _may_start_with(nxt.text, DATELINE_FIRST) and RE_BYLINE_START.match(nxt.text) and _title_line(a) and _title_line(b):
        return None  # two title lines right above a byline: each is printed on its own line
    if RE_PUNCT_LINE.match(b) and _final_end(a):
        return None  # a line of "……" after a closed sentence marks an omission between paragraphs
    if b.startswith(CLOSE_START_CHARS) and not b.startswith("——"):
        return "continuation_punct"
    if _final_end(a) or (_may_end_with(a, BRACKET_CLOSE) and (RE_BRACKETED.match(a) or RE_SIGNED_END.search(a))):
        return None
    if _same_label(a, b):
        return None  # 姓名：张三 / 姓名：李四: rows of a table or form, each on its own line
    if _figure_over_caption(a, b) or (nxt is not None and _figure_over_caption(b, nxt.text)):
        return None  # 2.6万家 / 今年以来，全省新增2.6万家企业…: a figure printed above its caption
    if _song_lines(prev_prev, a, b, nxt):
        return None  # lines of a song, each printed on its own line
    if _narrow_block(prev_prev, a, b, nxt):
        return "narrow_block"
    if RE_SECTION_HEADING.match(a) or (_spaced_heading(a) and _starts_fresh(prev_prev)):
        # 第二节 发展目标 / 聚焦民生 精准发力: a heading of spaced phrases stands alone; a
        # document's section heading does even right under another (a table of contents)
        return None
    if not _open_end(a) and (_next_list_item(b, a, prev_prev) or _heading_levels(a, b)):
        # 2 晾干 / 3 上色: the next item of a numbered list starts its own line, and so does a
        # numbered heading of another level under a numbered heading (（二）… / 四、…)
        return None
    if a.endswith("——") and not _unbalanced(a):
        # A paragraph ending in a dash leads in to what follows (…徐徐铺展——), and a kicker
        # ends with one above its title (王瑛——): the dash closes the line.
        return None
    if _open_end(a):
        if row:
            return None  # 重申…， / 认为…， / 宣布…，: a row of a preamble or a litany
        # verse comes after a sentence end or the colon that introduces it (这正是：), never
        # in the middle of a sentence left open on the line before
        runs_on = prev_prev is not None and not _final_end(prev_prev.text) and not prev_prev.text.endswith(("：", ":"))
        return None if _verse(a, b) and not runs_on else "open_punct"
    if a.endswith(("：", ":")):
        # After a speech or reporting verb the quote goes on. Otherwise the colon closes the
        # line: what it introduces (a list, a letter after its salutation, a speaker's words
        # after a label, an elaboration, a title after a kicker) is printed as a new
        # paragraph as often as not, so the break stays unless a quote is still open or a
        # time of day goes on (18:|00).
        if _opens_list_item(b):
            return None  # …作出如下规定：| （一）…: each numbered item the colon introduces starts a line
        if RE_SPEECH_COLON.search(a) or _unbalanced(a) or (a[-2:-1].isdigit() and b[:1].isdigit()):
            return "open_colon"
        if RE_QUOTING_COLON.search(a) and b.startswith("“"):
            return "open_colon"  # …他笑着回答：| “…”: the words quoted after a speech verb go on
        return None
    if b.startswith("——") and heading_like(a) and ((heading_like(b) and not _unbalanced(b)) or _list_marker(a)):
        # a subtitle line (——写在…之际), itself a heading; a dash opening a line that ends a
        # sentence, is left open or opens a quote or a title it does not close (——一种…的
        # 竹笋。/ ——村里的老党员，) sets off an apposition or an example in running text
        return None
    if _may_end_with(b, BRACKET_CLOSE) and RE_TITLE_LABEL_END.search(b) and heading_like(b) and _is_han(b[0]) and not (_open_clauses(a) and _same_width(a, b)):
        # 守护一方碧水蓝天（记者调查）: a title with its column label opens its own line (not
        # after a line of clauses left open: …全所民警 | 上岗，出动警力（含辅警） is a bracket
        # closing a wrapped line of running text)
        return None
    cont_start, open_end = _grammar_chars()
    if b[0] in cont_start:
        return "particle_start"
    if b[0] in _word_particles() and _jieba_freq().get(b[:2], 0) < MIN_WORD_FREQ and _is_han(a[-1]):
        return "particle_start"  # …这首歌一下子火 | 了：… / …餐饮等 | 服务行业: a particle that opens no word here
    if RE_SPEECH_START.match(b) and _is_han(a[-1]):
        return "speech_verb_start"  # 习近平总书记在全会上 | 指出，…: the speaker is in the line before
    if a.startswith("“") and a.endswith("”") and a.count("“") == 1:
        return None  # “正视历史，才能避免悲剧重演”: a quotation without a sentence end is a title
    if _short_heading(prev_prev, a):
        return None  # …已经完成。/ 山村夜话 / …: a short line opening afresh is a heading
    if _heading_over_opener(prev_prev, a, b):
        return None  # 稳步推进产业升级 / 近年来，…: a subheading over its paragraph
    if a[-1] in open_end and len(a) > 1 and a[-2:] not in _closed_end_words():
        return "open_word_end"
    if _is_han(b[0]) and (a[-1] in _open_end_words() or a[-2:] in _open_end_words()) and _last_word(a) in _open_end_words():
        # …产业发展还要有 | 人才和资金 / …企业按照 | 规定…: a preposition, adverb or 有 standing as a word
        return "open_word_end"
    if a.endswith(ORGANISATION_ENDS + ("副",)) and _post_start().match(b):
        return "post_after_organisation"  # …艺术研究院 | 院长李明说: the post follows its organisation
    if a.endswith(POST_ENDS) and _post_end().search(a) and RE_NAME_SAYS.match(b):
        return "name_after_post"  # …研究中心主任 | 戴维·蒙亚埃表示: the name follows its post
    if "·" in a[-3:] and RE_NAME_CUT_AFTER_DOT.search(a) and _is_han(b[0]) and not a.startswith("——"):  # the dot is the last but one character
        # …学者穆斯塔法·沙 | 克尔表示: a transliterated name cut one character after its dot (a
        # dash opening the line signs a quotation off, and its name ends there: ——英国作家露西·贝)
        return "name_dot"
    if _may_end_with(a, APPROX_MEASURES) and RE_APPROX_COUNT_END.search(a) and len(a) >= MIN_CLAUSE_LINE and _is_han(b[0]):
        return "count_end"  # …灯光璀璨，3000余名 | 游客…
    if _may_end_with(a, COUNT_MEASURES) and RE_COUNT_END.search(a) and _is_han(b[0]):
        return "count_end"  # …医院连夜派出一支 | 医疗队: a number and a measure word ask for their noun
    if RE_INNER_FINAL.search(a) and not _summary_under_title(a, b, prev_prev):
        return "sentence_inside"  # headings never hold a full stop: this is body text
    if forms_word_across(a, b):
        return "word_across"
    if _unbalanced(a):
        return "open_bracket"  # a quote or title bracket opened in a is closed later
    if RE_DIGIT_END.search(a) and RE_NUMBER_GOES_ON.match(b):
        return "number_across"
    m = RE_FIRST_SENTENCE.match(b)
    if m and len(m.group(1)) <= SHORT_TAIL and not RE_QUOTED_CRY.match(b):
        # a paragraph does not open with a two-word sentence: b ends a's. But a short cry
        # or question in quotes (“好！” / “来了？”) often opens a paragraph of reportage.
        return "short_tail"
    if _may_start_with(a, DATELINE_FIRST) and RE_DATELINE_START.match(a):
        return "dateline_body"  # 本报北京2月14日电 （记者X）记者从…: a dateline opens body text, never a title
    if "，" in a and _clause_tail(b) and not (RE_LIST_START.match(b) or RE_NUMBERED_ITEM.match(a) or _list_marker(a) in ("bracketed", "circled")):
        # 当代中国，正在发生无数奇幻|瑰丽、摄人心魄的故事。 A line of clauses left open and a
        # short one-clause sentence ending the next: the sentence goes on across the break.
        # A numbered heading (二、… / （三）… / ③…) is whole: its section opens with a short lead.
        return "clause_tail"
    if RE_DATE_OPENER.match(b) and not a.endswith(("至", "到")):
        return None  # 10月20日，江苏省…: a sentence opens with a date; the line before is complete
    if _short_last_clause(a) and _final_end(b):
        # 春节前夕，姜浩成决定…，带领村党支部 / 全体党员，迎接…。 A line of clauses whose last
        # clause is only a word or two is cut there: headings end on whole clauses.
        return "short_last_clause"
    if a.startswith("——") and heading_like(a) and prev_prev is not None and _title_line(prev_prev.text):
        return None  # 小巷新春 / ——走进老街看变化: a subtitle under its title stands alone, whatever its width
    if b.startswith("“") and _unbalanced(b) and heading_like(a) and not a.endswith(("”", "》")) and _starts_fresh(prev_prev):
        # 让老手艺焕发新生机 / “这门手艺是…根，: a heading-like line starting afresh and a
        # quotation opening the next line: a heading over a paragraph that opens with a quote
        return None
    if nxt is not None and (nxt.text in _box_labels() or (_may_start_with(nxt.text, DATELINE_FIRST) and RE_BYLINE_START.match(nxt.text) and not _credit_line(nxt.text))):
        # The lines right above a box label (核心阅读) or a byline (本报记者 王某) are the
        # title's, whatever their widths; a photo credit (本报记者 王某摄) ends a caption.
        return None
    if nxt is not None and same_block(a, b, nxt.text) and not (len(a) >= MIN_DECK and _deck(a, b, prev_prev)) and not _off_width(a, b, nxt):
        # (A long line right under a title is its deck, even where the body's first line
        # happens to run as wide.)
        return "local_column"
    if col is not None and col.is_full(a) and col.fits(b) and not (_listing(a) or _listing(b) or _off_width(a, b, nxt)):
        # A full line goes on in the next one inside a block of column lines. A heading-like
        # next line must itself be full and followed by more column text, or it may be a title.
        in_block = prev_prev is not None and col.is_full(prev_prev.text) and not _final_end(prev_prev.text)
        if heading_like(b):
            if col.is_full(b) and nxt is not None and col.fits(nxt.text):
                return "column_width"
        elif (in_block or col.is_full(b)) and not (nxt is not None and not _final_end(b) and col.overruns(nxt.text)):
            # (b's paragraph going on in a line far wider than the column is no column text:
            # b is the first part of a line broken at random, and a is on its own.)
            return "column_width"
    # 春风又绿江南岸—— / 三年来，…: the line under a kicker ending in a dash is the
    # section's lead sentence, printed whole; opening with a clause or running long is no
    # evidence that it goes on.
    lead = prev_prev is not None and _dash_kicker(prev_prev.text)
    # A long summary line under a title may open with a clause too (如今，…): unless it is
    # cut on a one-character word (…不少人还), it is no running text. Nor is a line right
    # after a summary line standing alone: summaries come in blocks (调查显示，…).
    deck = display_width(a) >= 36 and _deck(a, b, prev_prev) and not _ends_on_single_word(a)
    if _clause_opener().match(a) and not (a.endswith(("：", ":")) or (_may_end_with(a, BRACKET_CLOSE) and RE_COLUMN_LABEL_END.search(a)) or heading_like(b) or lead or deck or (stood_alone and _open_summary(prev_prev))):
        return "body_opener"  # 据悉，… / 去年，… / 4个月后，…: a sentence of running text
    if display_width(a) >= 36 and "，" in a and not b.startswith(("“", '"')) and not _deck(a, b, prev_prev) and not (RE_NUMBERED_ITEM.match(a) or RE_LEAD_HEADING.match(a)) and not (stood_alone and _open_summary(prev_prev)) and not lead:
        # A long line is body text cut mid-sentence, unless the next line opens a quotation:
        # a long summary line without a full stop is followed by a quoted lead. A numbered
        # heading (二、…，…) or a heading led by parallel phrases and a dash (领航掌舵，把脉
        # 定向——…) is printed whole on its line however long it runs.
        return "long_line"
    if _body_line(prev_prev, a, b):
        return "body_line"
    if not (_listing(a) or _listing(b) or RE_LIST_START.match(a)) and segments_across(a, b):
        return "segmented_across"
    if heading_like(a) and heading_like(b) and len(b) <= 5 and "，" in a and not a.endswith(("）", ")", "”", "》")) and not b.endswith(("：", ":")):
        # A heading wrapped in print: a clause-structured heading and a short tail line
        # (将产改试点做成示范，办实事 / 服务职工) followed by body text. A short line ending on
        # a colon (医生提醒：) is a lead-in of its own, not the heading's tail.
        if nxt is None or not heading_like(nxt.text):
            return "heading_tail"
    if _is_han(a[-1]) and not heading_like(b) and _short_clause_start(a, b):
        return "short_clause_start"
    if _is_han(b[0]) and _cut_last_clause(a) and not (prev_prev is not None and _may_end_with(prev_prev.text, BRACKET_CLOSE) and RE_TITLE_LABEL_END.search(prev_prev.text)):
        # …村里变了样，那 | 可真是好: a line of running text broken a word after its last comma
        # (a summary under a commentary's title may end on a short verb: 去实践、创新)
        return "cut_last_clause"
    if _is_han(b[0]) and _cut_name(a):
        return "cut_name"
    if RE_LAW_ARTICLE.match(a) and not (_opens_list_item(b) or RE_NUMBERED_HEAD.match(b)):
        return "article_text"  # 第九条 国家鼓励和支持 | 密码科学技术研究…: an article's text runs to its full stop
    if RE_CAPTION_START.match(a) and _is_han(b[0]):
        return "caption_text"  # 图为首届中国国际进口博览会 | 举办场地…: a caption runs to its full stop
    if RE_COPULA_START.match(b) and _is_han(a[-1]):
        return "copula_start"  # …噶尔县扎西岗乡典角村 | 是一个只有48户人家的…: the subject is in the line before
    if seen and _seen_joined(a, b, seen):
        return "joined_elsewhere"  # the page prints the same text elsewhere without this break
    if continued and prev_prev is not None and _open_end(prev_prev.text) and not _verse_row(prev_prev.text):
        # 国庆假期，市民们赶到广场， | 想要看一看 | 新落成的喷泉。 The sentence left open on the
        # line before runs on through a, which neither ends it nor closes the line: b carries
        # it on. (A poem's comma line and the next may be rows that were joined wrongly.)
        return "open_sentence"
    return None


# The same text printed elsewhere on the page without the break (a passage printed twice,
# each copy wrapped at its own width) shows the break is the layout's: at least 3
# characters on each side and 8 in all must match, so that a heading whose last words
# happen to open a phrase of the body (…协调发展 | 中国特色… against …发展中国特色社会主义…)
# is no evidence.
MIN_SEEN_SIDE = 3
MIN_SEEN_SEAM = 8


def _seen_joined(a: str, b: str, seen: str) -> bool:
    """Tell whether ``seen`` (the page's lines) holds the end of ``a`` and the start of ``b``
    run together on one line: the page prints this text elsewhere without the break."""
    side = MIN_SEEN_SIDE
    if len(a) < side or len(b) < side:
        return False
    core = a[-side:] + b[:side]
    start = seen.find(core)
    while start >= 0:
        left = right = side
        while left < len(a) and start > left - side and seen[start - (left - side) - 1] == a[-left - 1]:
            left += 1
        end = start + 2 * side
        while right < len(b) and end + right - side < len(seen) and seen[end + right - side] == b[right]:
            right += 1
        if left + right >= MIN_SEEN_SEAM:
            return True
        start = seen.find(core, start + 1)
    return False


# The last clause of a line after a comma, an enumeration comma or a semicolon, and the
# clause before it: …国内还没有先例 cut as …，国内 | 还没有先例.
RE_LAST_TWO_CLAUSES = re.compile(r"([^，、；,;]*)([，、；,;])([^，、；,;]*)$")
MIN_CUT_CLAUSE_LINE = 8  # characters: a shorter line ending on a two-character clause may be a title (我爱你，中国)


def _cut_last_clause(text: str) -> bool:
    """Tell whether ``text`` ends on a clause of one or two characters, cut off by the break.

    Headings and list lines end on whole clauses; a line of running text broken at random
    often stops a word or two after its last comma (…村里变了样，那 | 可真是好, …围绕芯片
    设计、新 | 材料研发中心). A two-character last item of an enumeration as short as the
    items before it is a whole one (舒适、安全、智能), and so is a two-character clause
    ending a short line (我爱你，中国).
    """
    m = RE_LAST_TWO_CLAUSES.search(text)
    if m is None or not 1 <= len(m.group(3)) <= 2 or not _is_han(m.group(3)):
        return False
    if len(m.group(3)) == 2:
        if m.group(2) == "、" and len(m.group(1)) <= 2:
            return False
        if len(text) < MIN_CUT_CLAUSE_LINE:
            return False
    return True


# The last characters of an organisation's name: 委员会, 研究院, 电视台, 报社, 公司 ...
ORGANISATION_ENDS = tuple("会院部台社局厅委厂所校馆站办处司署团队组联") + ("中心", "公司", "集团")
# Posts that head an organisation or sit on it (院长, 主任, 书记, 总编辑, 委员 ...)
POST_ENDS = ("长", "主任", "主席", "书记", "委员", "总编辑", "总经理", "总裁", "理事")


def _posts() -> str:
    posts = sorted({t for t in read_sections("lexicons/titles.txt")[""] if t.endswith(POST_ENDS)}, key=len, reverse=True)
    return "|".join(map(re.escape, posts))


@lru_cache(maxsize=1)
def _post_start() -> re.Pattern:
    """A line opening with a post (副主任, 台长 ...): in running text the post follows its
    organisation, so a line ending on an organisation (or on 副) goes on in it."""
    return re.compile(rf"^副?(?:{_posts()})")


@lru_cache(maxsize=1)
def _post_end() -> re.Pattern:
    """A line ending on a post (…研究中心主任): the holder's name follows in running text."""
    return re.compile(rf"(?:{_posts()})$")


# A person's name and what they said opening a line (戴维·蒙亚埃表示 / 王某说).
RE_NAME_SAYS = re.compile(r"^[\u4e00-\u9fff·]{2,10}?(?:表示|说|认为|指出|介绍|强调)")


@lru_cache(maxsize=1)
def _titles_and_surnames() -> tuple[tuple[str, ...], frozenset, frozenset]:
    titles = read_sections("lexicons/titles.txt")[""]
    surnames = read_sections("lexicons/surnames.txt")
    single = frozenset(surnames[""] + surnames.get("common", ()))
    return tuple(sorted(titles, key=len, reverse=True)), single, frozenset(surnames.get("compound", ()))


def _cut_name(text: str) -> bool:
    """Tell whether ``text`` ends on a person's title and a bare surname (…县委书记王 | 小明
    说): the given name went on to the next line. A title line never ends on a surname."""
    if " " in text:
        return False  # a spaced line is a listing (看 阅读北京——摄影展)
    titles, single, compound = _titles_and_surnames()
    for k, names in ((1, single), (2, compound)):
        if len(text) > k and text[-k:] in names and text[:-k].endswith(titles):
            return True
    return False


# A line opening with a clause of one or two Chinese characters: 基地，等草果苗长好了… / 中，延续了…
RE_ONE_CHAR_CLAUSE = re.compile(r"^[\u4e00-\u9fff][，、；。,;]")
RE_TWO_CHAR_CLAUSE = re.compile(r"^[\u4e00-\u9fff]{2}[，；。,;]")
MIN_OPEN_CLAUSES = 10  # characters: a line of clauses this long, left open, is running text


def _speaker_label(text: str) -> bool:
    """Tell whether ``text`` is a speaker's label in an interview or a round-up: a post and
    a name of two or three characters before a colon (县农业农村局副局长王某某：)."""
    if not text.endswith(("：", ":")):
        return False
    titles, single, compound = _titles_and_surnames()
    label = text[:-1]
    for size in (2, 3):
        name = label[-size:]
        if len(label) > size and _is_han(name) and (name[0] in single or name[:2] in compound) and label[:-size].endswith(titles):
            return True
    return False


def _short_clause_start(a: str, b: str) -> bool:
    """Tell whether ``b`` opens with the end of a clause that ``a`` left open.

    A paragraph does not open with a one-character clause (中，/ 上，), and a two-character
    one (基地，/ 对方，) only as an adverbial opener (近日，/ 目前，); after a line of clauses
    that stops mid-clause (…发工资请村民来管理草果) such a short clause completes it. (The
    caller asks for ``b`` to be running text: 寿光，这个春节暖暖的 is a title.)
    """
    if RE_ONE_CHAR_CLAUSE.match(b):
        return not RE_NUMBERED_ITEM.match(b)  # 一、免去…: a list item
    return (
        RE_TWO_CHAR_CLAUSE.match(b) is not None
        and len(a) >= MIN_OPEN_CLAUSES
        and ("，" in a or "," in a)
        and not _clause_opener().match(b)
    )


MIN_BODY_LINE = 30  # display width of a line of clauses that runs on after a body paragraph
MIN_BODY_PARAGRAPH = 30  # characters in a paragraph that shows the column holds running text


def _body_line(prev_prev: Line | None, a: str, b: str) -> bool:
    """Tell whether ``a``, a long line of clauses right after a body paragraph, is the first
    line of a paragraph broken mid-sentence (…他每个周末都骑车去镇上的 | 图书馆借书。).

    Under a title a long open line is a summary, so the evidence is the paragraph before:
    running text that ends a sentence. A subhead with a comma (稳住基本盘，激发新活力) is
    as long only now and then, and the next line of a broken sentence ends the sentence
    without opening one (a time phrase, a discourse word, a quote). Lines opening with a
    dash (an attribution), a list marker or parallel phrases and a dash (``RE_LEAD_HEADING``)
    are whole.
    """
    if prev_prev is None or "，" not in a or display_width(a) < MIN_BODY_LINE:
        return False
    pp = prev_prev.text
    if len(pp) < MIN_BODY_PARAGRAPH or not _final_end(pp) or not _final_end(b):
        return False
    if a.startswith("——") or _list_marker(a) or RE_NUMBERED_ITEM.match(a) or RE_LIST_START.match(a) or RE_LEAD_HEADING.match(a):
        return False
    return not (b.startswith(("“", '"')) or _clause_opener().match(b) or RE_DATE_OPENER.match(b))


def _open_summary(line: Line | None) -> bool:
    """Tell whether ``line`` is long running text left without a sentence end (a line
    ending in a dash leads in to what follows instead)."""
    return (
        line is not None
        and "，" in line.text
        and len(line.text) >= 20
        and display_width(line.text) >= 20
        and not _final_end(line.text)
        and not line.text.endswith("——")
    )


MIN_CLAUSE_ROWS = 3  # lines in a row ending on a comma short of the column: clauses printed one per line
MIN_VERSE_ROWS = 4  # short one-clause lines in a row, commas and sentence ends mixed: a poem
MAX_VERSE_ROW = 20  # characters in such a line
MIN_VERSE_SPREAD = 3  # characters between the widest and the narrowest of them


def clause_rows(lines: list[Line], col: Column | None) -> list[bool]:
    """Mark each line that sits in a run of ``MIN_CLAUSE_ROWS`` or more lines in a row, each
    ending on a comma and none as wide as the page's column: clauses printed one per line
    (a preamble: 重申…， / 认为…， / 宣布…，; a litany). Running text breaks at the
    column's width, or anywhere in a sentence where the OCR broke it, so a line of it
    ends on a comma short of the column once in a while, not three times in a row; a
    row of such a run stands alone, and so does its last row above the line that closes it.

    A poem prints a clause per line too, its lines of unequal length (so ``_verse``, which
    pairs equal lines, misses them) and ending on commas and sentence ends in turn: a run
    of ``MIN_VERSE_ROWS`` or more lines of one clause each, none over ``MAX_VERSE_ROW``
    characters, each ending on a mark, with a comma and a sentence end among them and
    widths ``MIN_VERSE_SPREAD`` or more apart (not the lines of a column), is marked as
    rows as well. Running text broken at random leaves two or three pieces of
    a paragraph, seldom all short and all ending on a mark, and four such lines in a row
    almost never."""
    rows: list[bool] = []
    for is_row, run in groupby(lines, key=lambda line: line.text.endswith(("，", ",")) and (col is None or not col.is_full(line.text))):
        n = len(list(run))
        rows.extend([is_row and n >= MIN_CLAUSE_ROWS] * n)
    start = 0
    for is_verse, run in groupby(lines, key=lambda line: _verse_row(line.text)):
        texts = [line.text for line in run]
        widths = [len(t) for t in texts[:-1]]  # a wrapped paragraph's last line is shorter anyway
        if (
            is_verse
            and len(texts) >= MIN_VERSE_ROWS
            and max(widths) - min(widths) >= MIN_VERSE_SPREAD
            and any(map(_final_end, texts))
            and any(t.endswith(("，", ",")) for t in texts)
        ):
            rows[start : start + len(texts)] = [True] * len(texts)
        start += len(texts)
    return rows


def _verse_row(text: str) -> bool:
    """Tell whether ``text`` can be a line of a poem: one short clause ending on a mark."""
    return len(text) <= MAX_VERSE_ROW and bool(RE_VERSE_LINE.match(text)) and bool(RE_ANY_PUNCT.search(text[-2:]))


def join_broken_lines(lines: list[Line], keep: list[int]) -> list[list[int]]:
    """Group the kept lines into paragraphs: each group is one logical paragraph or heading.

    Every line of ``lines``, kept or not, is evidence: a repeat dropped from the page may
    show unbroken what a kept line breaks (``_seen_texts``)."""
    col = column_width([lines[i] for i in keep])
    seen = _seen_texts(lines)
    rows = clause_rows([lines[i] for i in keep], col)
    groups: list[list[int]] = []
    for pos, i in enumerate(keep):
        if groups:
            prev = lines[keep[pos - 1]]
            nxt = lines[keep[pos + 1]] if pos + 1 < len(keep) else None
            pprev = lines[keep[pos - 2]] if pos >= 2 else None
            # a long line left open that stood alone is a summary line, and so is a long
            # open line right after it (summaries come in blocks of such lines)
            stood_alone = len(groups[-1]) == 1 and len(groups) > 1 and len(groups[-2]) == 1
            continued = len(groups[-1]) > 1
            if join_reason(prev, lines[i], nxt, col, pprev, stood_alone, seen[i], rows[pos - 1], continued):
                groups[-1].append(i)
                continue
        groups.append([i])
    return groups


SEEN_CHUNK = 30_000  # characters of lines searched for a break's text, and as many either side


def _seen_texts(lines: list[Line]) -> list[str]:
    """Return, for each line, the text its break is looked up in (``_seen_joined``): the
    page's lines, one per line. A page runs to some ten thousand characters; a file of
    many pages is cut into chunks of lines, each searched with its neighbours, so that
    the lookups cost time in proportion to the file and not to its square."""
    texts = [line.text for line in lines]
    page = "\n".join(texts)
    if len(page) <= SEEN_CHUNK:
        return [page] * len(lines)
    chunks: list[list[str]] = [[]]
    size = 0
    chunk_of: list[int] = []
    for text in texts:
        if size >= SEEN_CHUNK:
            chunks.append([])
            size = 0
        chunks[-1].append(text)
        size += len(text) + 1
        chunk_of.append(len(chunks) - 1)
    joined = ["\n".join(chunk) for chunk in chunks]
    around = ["\n".join(joined[max(0, c - 1) : c + 2]) for c in range(len(joined))]
    return [around[c] for c in chunk_of]


def settle_joins(lines: list[Line], groups: list[list[int]]) -> tuple[list[list[int]], list[Line]]:
    """Join paragraphs again, as whole lines, until no two of them join any more.

    The first pass decides on physical lines; cleaning the clean text again sees whole
    paragraphs instead, with no indentation or blank lines left. Deciding again on those,
    until nothing changes, makes the joins idempotent. Returns the groups and the
    paragraph line of each.
    """
    paragraphs = [_paragraph_line(lines, g) for g in groups]
    while len(groups) > 1:
        regrouped = join_broken_lines(paragraphs, list(range(len(paragraphs))))
        if len(regrouped) == len(groups):
            break
        paragraphs = [paragraphs[new[0]] if len(new) == 1 else _merge_paragraphs([paragraphs[k] for k in new]) for new in regrouped]
        groups = [[i for k in new for i in groups[k]] for new in regrouped]
    return groups, paragraphs


def settle_paragraphs(
    lines: list[Line], groups: list[list[int]], removed: list[Removal], keep: tuple[tuple[int, int], ...] = ()
) -> list[list[int]]:
    """Check the joined paragraphs for furniture and repeats as a second cleaning pass would.

    Whether a run of lines is a repeat depends on whether it forms whole paragraphs
    (``find_duplicates``), and a bare page number may have been joined to another number
    (14|14); on physical lines the first pass cannot tell for sure. Whole paragraphs that
    are furniture or repeats are dropped (and recorded in ``removed``), and the rest are
    joined again, until nothing changes: clean(clean(x)) == clean(x).
    """
    while True:
        groups, paragraphs = settle_joins(lines, groups)
        skip, more = _furniture_and_repeats(paragraphs, keep)
        removed.extend(more)
        if not skip:
            return groups
        groups = [g for k, g in enumerate(groups) if k not in skip]


def _paragraph_line(lines: list[Line], group: list[int]) -> Line:
    """Return a group of lines as the single line the clean text will hold."""
    if len(group) == 1:
        line = lines[group[0]]
        if len(line.pieces) == 1 and not line.indented and not line.blank_before:
            return line
        return Line(line.text, line.pieces, line.raw_start, line.raw_end, 0, False)
    return _merge_paragraphs([lines[i] for i in group])


def _merge_paragraphs(parts: list[Line]) -> Line:
    """Join lines into one paragraph line (as the clean text will hold it), keeping every
    piece's raw offset."""
    text = parts[0].text
    for a, b in zip(parts, parts[1:]):
        text += (" " if _needs_space(a.text, b.text) else "") + b.text
    pieces = tuple(p for part in parts for p in part.pieces)
    return Line(normalise(text), pieces, parts[0].raw_start, parts[-1].raw_end, 0, False)


def _needs_space(left: str, right: str) -> bool:
    """Tell whether joining two lines needs a space: between Latin words, not inside a
    number broken across the lines (56|2亿元 is 562亿元)."""
    a, b = left[-1:], right[:1]
    return a.isascii() and a.isalnum() and b.isascii() and b.isalnum() and not (a.isdigit() and b.isdigit())


def _paragraphs(lines: list[Line], keep: tuple[tuple[int, int], ...]) -> tuple[list[list[int]], list[Removal]]:
    """Drop furniture and repeats (never a passage in ``keep``) and group the rest into paragraphs."""
    skip, removed = _furniture_and_repeats(lines, keep)
    kept = [i for i in range(len(lines)) if i not in skip]
    return settle_paragraphs(lines, join_broken_lines(lines, kept), removed, keep), removed


def _furniture_and_repeats(lines: list[Line], keep: tuple[tuple[int, int], ...]) -> tuple[set[int], list[Removal]]:
    """Return the indices of the lines (or paragraphs) that are page furniture or repeats, and
    a removal record for each."""
    removed: list[Removal] = []
    skip: set[int] = set()
    bare = any(RE_BARE_NUMBER.match(line.text) for line in lines)
    numbers = page_numbers(lines) if bare else frozenset()  # only a bare number needs them
    for i, line in enumerate(lines):
        before = lines[i - 1].text if i else ""
        after = lines[i + 1].text if i + 1 < len(lines) else ""
        if is_furniture(line.text, before, after, numbers):
            skip.add(i)
            removed.append(Removal(line.raw_start, line.raw_end, line.text, "furniture"))
    removed.extend(find_duplicates(lines, skip, keep))
    return skip, removed


# Punctuation folded to one width for the check that a removed passage is still present.
FOLD_PRESENT = tuple(zip(",;:!?()", "，；：！？（）", strict=True))
RE_SPACES = re.compile(r"\s+")


def _present_form(text: str) -> str:
    text = RE_SPACES.sub("", text)
    for ascii_mark, wide in FOLD_PRESENT:  # str.replace is many times faster than str.translate here
        if ascii_mark in text:
            text = text.replace(ascii_mark, wide)
    return text


def _spliced_from(text: str, kept: str) -> bool:
    """Tell whether ``text`` is made of at most three passages of ``kept``, each at least
    ``GRAM`` characters long and none right after the one before with a few characters
    between (that would be the same sentence re-worded, whose own wording is then lost)."""
    pos, end_before = 0, -1
    for _ in range(3):
        lo, hi = 0, len(text) - pos
        while lo < hi:  # the longest prefix of text[pos:] that kept holds
            mid = (lo + hi + 1) // 2
            if text[pos : pos + mid] in kept:
                lo = mid
            else:
                hi = mid - 1
        if lo < min(GRAM, len(text) - pos):
            return False
        at = kept.find(text[pos : pos + lo])
        if end_before >= 0 and end_before < at <= end_before + MAX_REWORD_GAP:
            return False
        pos, end_before = pos + lo, at + lo
        if pos >= len(text):
            return True
    return False


def lost_removals(lines: list[Line], groups: list[list[int]], removed: list[Removal]) -> list[Removal]:
    """Return the removed repeats whose text the clean text no longer holds.

    A repeat is removed because its text is kept elsewhere: every removed line must occur
    inside one kept paragraph (a near duplicate, spliced from up to three passages, as
    those passages), compared without whitespace and with punctuation of one width. A
    removal that breaks this (its "earlier copy" was a different wording, was itself
    removed, or ran on differently) would lose text.
    """
    repeats = [r for r in removed if r.reason != "furniture"]
    if not repeats:
        return []
    kept = _present_form("".join([lines[i].text for g in groups for i in g]))
    lost = []
    for r in repeats:
        parts = [_present_form(t) for t in r.text.split("\n")]
        if r.reason == "near_duplicate":
            ok = all(p in kept or _spliced_from(p, kept) for p in parts)
        else:
            ok = all(p in kept for p in parts)
        if not ok:
            lost.append(r)
    return lost


def _span_to_keep(
    lost: Removal, removed: list[Removal], keep: tuple[tuple[int, int], ...], lines: list[Line], kept: str
) -> tuple[int, int]:
    """Return the raw span to keep so that a removal that lost its text loses nothing.

    When the earlier copy of a repeat was itself removed as a near duplicate (the first
    line of a broken paragraph taken for a splice of a summary), the earlier copy is kept
    and the repeat can still go: keeping the repeat instead would leave the broken
    paragraph's rest next to it, and a second cleaning (which keeps nothing) would then
    drop the repeat. Otherwise the first line of the repeat whose text is lost is kept
    (``kept``: the kept text in its present form): a run that went on past the end of a
    paragraph into its repeat (…委员。| 新华社…电 …委员。) is split there, and the repeat
    after it can still go. The whole run is kept when no single line is missing.
    """
    src = (lost.kept_raw_start, lost.kept_raw_end)
    if lost.reason == "duplicate" and src not in keep and any(
        r.reason == "near_duplicate" and r.raw_start < src[1] and src[0] < r.raw_end for r in removed
    ):
        return src
    for line in lines:
        if lost.raw_start <= line.raw_start and line.raw_end <= lost.raw_end and _present_form(line.text) not in kept:
            span = (line.raw_start, line.raw_end)
            if span not in keep:
                return span
    return (lost.raw_start, lost.raw_end)


def clean_page(raw_text: str) -> CleanPage:
    """Clean one page of OCR text.

    In: the decoded raw page text. Out: ``CleanPage`` whose text has one paragraph or
    heading per line, a map from every clean character to its raw offset, and every
    removed passage (furniture, duplicates) in raw coordinates.
    """
    lines = split_lines(raw_text)
    keep_spans: tuple[tuple[int, int], ...] = ()
    while True:
        groups, removed = _paragraphs(lines, keep_spans)
        lost = lost_removals(lines, groups, removed)
        if not lost:
            break
        # Clean again with those passages kept: nothing else may then be removed in their place.
        kept = _present_form("".join([lines[i].text for g in groups for i in g]))
        spans = {_span_to_keep(r, removed, keep_spans, lines, kept) for r in lost} - set(keep_spans)
        if not spans:
            break  # nothing new to keep: cleaning again would give the same
        keep_spans += tuple(sorted(spans))

    builder = TextBuilder()
    n_joins = 0
    gaps = [lines[group[0]].blank_before for group in groups]
    for g, group in enumerate(groups):
        if g:
            builder.add("\n", lines[group[0]].raw_start - 1 if lines[group[0]].raw_start else 0)
        for k, i in enumerate(group):
            line = lines[i]
            if k:
                n_joins += 1
                if _needs_space(lines[group[k - 1]].text, line.text):
                    builder.add(" ", line.raw_start - 1)
            for p, (text, raw) in enumerate(line.pieces):
                if p:
                    builder.add(" ", raw - 1)
                builder.add(text, raw)
    text, raw_map = builder.build()
    # ASCII punctuation that OCR left at a line break meets Chinese on both sides only now
    # that the lines are joined; normalising again (1:1, idempotent) keeps the map valid.
    text = normalise(text)
    removed.sort(key=lambda r: r.raw_start)
    return CleanPage(text=text, raw_map=raw_map, removed=removed, n_joins=n_joins, gaps=gaps)
