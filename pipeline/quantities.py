"""Quantities: numbers with measure word or currency, value in base units, qualifier, bounds.

In: one text (an article body or any string). Out: ``Quantity`` records in text order; ``text[q.start:q.end]
== q.text`` always.

What a record says (the conventions analysts filter on):

- ``value`` is in base units: scales are applied (1.72亿元 -> 172000000), units converted with the factor of
  ``units.tsv`` (5公里 -> 5000 米), percentages and fractions are ratios (50% -> 0.5, 五分之一 -> 0.2, 三成 -> 0.3).
- ``unit`` is the base unit or measure word (元, 美元, 人次, 家, 米, 年 ...); ``None`` when the number stands alone
  or is a percentage/fraction. ``kind`` is count / money / percent / fraction / measure / duration / ordinal.
- ``qualifier`` and bounds: exact -> low = high = value; approx (约, 左右) -> no bounds; 近 -> approx with
  high = value; more_than (超过, 逾) and at_least (以上, 不少于, 至少) -> low = value; less_than (不到, 不足) and
  at_most (以内, 不超过) -> high = value; 多/余/几 after a number -> more_than with low = value and high = value
  plus one step of its last non-zero place (50多 -> 50..60, 100多万 -> 100万..200万); ranges (3到5个, 三五个,
  10%—15%, 几十万) -> range with low/high and value = their midpoint.
- Ordinals (第十一届) are kind ordinal, never dates. Five-year plans (十三五), phone-like digit strings, years
  and dates (2021年, 5月), Latin-suffixed codes (5G) and numeral words (一些, 一体化, 万众一心) are not
  quantities.
"""

from __future__ import annotations

import re
from collections import namedtuple
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from pipeline.numerals import (
    CN_NUMERAL_CHARS,
    DIGITS,
    GROUPS,
    PLACES,
    SMART,
    magnitude_step,
    parse_exact,
    read_table,
)
from pipeline.record import Quantity


class QuantityKind:
    COUNT = "count"
    MONEY = "money"
    PERCENT = "percent"
    FRACTION = "fraction"
    MEASURE = "measure"
    DURATION = "duration"
    ORDINAL = "ordinal"


class QuantityQualifier:
    EXACT = "exact"
    APPROX = "approx"
    MORE_THAN = "more_than"
    AT_LEAST = "at_least"
    LESS_THAN = "less_than"
    AT_MOST = "at_most"
    RANGE = "range"


APPROX_BELOW = "approx_below"  # table value: approx, and not more than the number (近)

# ---------------------------------------------------------------- word tables (data files, loaded once)
UNITS: dict[str, tuple[str, str, Decimal]] = {
    word: (kind, base, Decimal(factor)) for word, kind, base, factor in read_table("units.tsv")
}
CURRENCIES: dict[str, tuple[str, Decimal, str]] = {
    word: (unit, Decimal(factor), role) for word, unit, factor, role in read_table("currencies.tsv")
}
MAIN_CURRENCIES = {w: v for w, v in CURRENCIES.items() if v[2] == "main"}
SUB_CURRENCIES = {w: v for w, v in CURRENCIES.items() if v[2] == "sub"}
#: currency names that can also stand before the number (人民币3.14, 港币两千九百六十元)
NAMED_CURRENCIES = {
    w for w, (u, f, r) in MAIN_CURRENCIES.items() if len(w) >= 2 and w not in ("元钱", "块钱")
}
QUALIFIERS_BEFORE: dict[str, str] = {}
QUALIFIERS_AFTER: dict[str, str] = {}
QUALIFIERS_AFTER_DURATION: dict[str, str] = {}
for _word, _position, _qualifier in read_table("qualifiers.tsv"):
    {"before": QUALIFIERS_BEFORE, "after": QUALIFIERS_AFTER, "after_duration": QUALIFIERS_AFTER_DURATION}[
        _position
    ][_word] = _qualifier
PLAN_PERIODS = {row[0] for row in read_table("plan_periods.tsv")}
NUMERAL_WORDS = [row[0] for row in read_table("numeral_words.txt")]
NUMERAL_WORD_PREFIXES = frozenset(row[0] for row in read_table("numeral_word_prefixes.txt"))
NOUN_STOPS = frozenset(row[0] for row in read_table("noun_stops.txt"))


def _alternation(words) -> str:
    """Return a regex alternation of ``words``, longest first."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


CN_DIGITS = "".join(DIGITS)
CN_SCALES = "".join(PLACES) + "".join(GROUPS)
# one character per step (separators only where a digit follows), so no nested repetition can backtrack
NUMBER = (
    rf"[0-9０-９{CN_NUMERAL_CHARS}]"
    rf"(?:[0-9０-９{CN_NUMERAL_CHARS}]|[,，](?=[0-9０-９]{{3}}(?![0-9０-９]))|[.．](?=[0-9０-９])"
    rf"|[点點](?=[{CN_DIGITS}])|[ 个個](?=[{''.join(GROUPS)}]))*"
    r"(?:[kKw](?![A-Za-z]))?"
)
SINGLE_DIGIT = rf"[0-9{CN_DIGITS}]"
UNIT_WORDS = _alternation(list(UNITS) + list(MAIN_CURRENCIES))
MONEY_CONTEXT_UNIT_WORDS = _alternation(list(UNITS) + list(CURRENCIES) + ["个", "個"])
RANGE_SEPARATOR = r"(?:到|至|~|～|——|--|—|-|－|–)"
PERCENT_SIGN = r"(?:%|％|‰|成(?=[，。、；：,;的以左多上下\s）)]|$))"

# why: one pass over the text finds every candidate quantity; the groups say which form it is and the
# Python step checks the context (years, dates, codes, numeral words) and computes value and bounds
QUANTITY_PATTERN = rf"""
(?P<pre>{_alternation(QUALIFIERS_BEFORE)})?
(?:
  (?P<pct_cn>百分之|千分之)(?P<pct_sign>负|負)?(?P<pct_num>{NUMBER})
| (?P<pct_full>百分百)
| (?P<frac_den>{NUMBER})分之(?P<frac_num>{NUMBER})
| 第(?P<ord>{NUMBER})(?P<ord_unit>{UNIT_WORDS})?
| (?P<cur_pre>{_alternation(NAMED_CURRENCIES)})?[ ]?
  (?:(?P<few>几|数)(?P<few_scale>[{CN_SCALES}]+)|(?P<num>{NUMBER})
      (?:(?P<more>多|余|几)(?P<more_scale>[{CN_SCALES}]+)?)?(?P<half>个半|個半)?
   | (?P<half_num>半))
  (?P<incl>[(（]含[)）])?[ ]?
  (?P<unit>@UNITS@|{PERCENT_SIGN})?(?P<chain>(?:零?{SINGLE_DIGIT}[角毛毫分仙]?){{0,2}}半?钱?[整]?)
  (?P<cur_post>{_alternation(NAMED_CURRENCIES)})?
  (?:[ ]?(?P<sep>{RANGE_SEPARATOR})[ ]?(?P<cur_pre2>{_alternation(NAMED_CURRENCIES)})?
    (?P<num2>{NUMBER})(?:(?P<more2>多|余)(?P<more_scale2>[{CN_SCALES}]+)?)?[ ]?
    (?P<unit2>@UNITS@|{PERCENT_SIGN})?(?P<chain2>(?:零?{SINGLE_DIGIT}[角毛毫分仙]?){{0,2}}钱?)
    (?P<cur_post2>{_alternation(NAMED_CURRENCIES)})?)?
  (?P<incl2>[(（]含[)）])?
)
(?P<post>{_alternation(QUALIFIERS_AFTER)}|{_alternation(QUALIFIERS_AFTER_DURATION)})?
"""
# why: text mode knows measure words and main currencies; money mode (a string known to be an amount)
# also reads 角/分/毛 and the Cantonese 個 as money
RE_QUANTITY = re.compile(QUANTITY_PATTERN.replace("@UNITS@", UNIT_WORDS), re.VERBOSE)
RE_MONEY_QUANTITY = re.compile(QUANTITY_PATTERN.replace("@UNITS@", MONEY_CONTEXT_UNIT_WORDS), re.VERBOSE)
# why: a money tail after 元/角 (一块二, 三块零四, 两毛五, 1角1分) is read element by element
RE_CHAIN_ELEMENT = re.compile(rf"(零)?({SINGLE_DIGIT})([角毛毫分仙])?")
# why: the digits of a bare Arabic number, to recognise phone and ID numbers
RE_NON_DIGIT = re.compile(r"\D")
# why: spaces and the 个 of 两个亿 are not part of the numeral's value
RE_NUMBER_FILLER = re.compile(r"[ 个個]")
# why: a cheap first pass: every quantity contains a number core (digits, Chinese numerals, 几/数/半)
CORE_CLASS = rf"[0-9０-９{CN_NUMERAL_CHARS}几数半]"
RE_NUMBER_CORE = re.compile(rf"{CORE_CLASS}+")
CORE_CHARS = frozenset("0123456789０１２３４５６７８９" + CN_NUMERAL_CHARS + "几数半")
PREFIX_WORDS = frozenset(QUALIFIERS_BEFORE) | NAMED_CURRENCIES | {"第"}
MAX_PREFIX = max(len(w) for w in PREFIX_WORDS)
PREFIX_LAST_CHARS = frozenset(w[-1] for w in PREFIX_WORDS)
#: the words a quantity can continue with after its number core (units, currencies, qualifiers, and the
#: single characters of 多/余, 分之, ranges ...)
FOLLOW_WORDS = frozenset(
    list(UNITS) + list(CURRENCIES) + list(QUALIFIERS_AFTER) + list(QUALIFIERS_AFTER_DURATION)
) | frozenset("多余几个個半分%％‰成到至~～-—－–(（ 之")
#: characters that can follow a Chinese number core in a quantity (units, currencies, 多/余, 分之, ranges,
#: qualifiers); a Chinese core followed by anything else (一样, 两国, 数据) is skipped without the full pattern
FOLLOW_CHARS = frozenset(w[0] for w in FOLLOW_WORDS)
ARABIC_CHARS = frozenset("0123456789０１２３４５６７８９")
GROUP_CHARS = frozenset(GROUPS)
# why: numeral words (一些, 一起, 十分 ...) at the start of a match are ordinary words, not quantities
# (by first character, for ``str.startswith``: the same answer as an alternation of all of them, faster)
NUMERAL_WORDS_BY_FIRST_CHAR: dict[str, tuple[str, ...]] = {}
for _word in NUMERAL_WORDS:
    NUMERAL_WORDS_BY_FIRST_CHAR[_word[0]] = NUMERAL_WORDS_BY_FIRST_CHAR.get(_word[0], ()) + (_word,)


def _char_class(chars) -> str:
    """Return a regex character class of the single characters ``chars``."""
    return "[" + "".join(re.escape(c) for c in sorted(chars)) + "]"


# why: most number cores are Chinese words (一样, 两国, 数据) that _find skips anyway; this scan finds only the
# cores it may not skip: with an Arabic digit or 万/亿, followed by a FOLLOW_CHARS character, or right after
# (or one space after) the last character of a prefix word. A core starts where the character before is
# not a core character; the class comes first so the regex engine scans for it quickly.
RE_OPEN_CORE = re.compile(
    rf"{CORE_CLASS}(?<!{CORE_CLASS}{{2}})"
    rf"(?:(?<={_char_class(ARABIC_CHARS | GROUP_CHARS)})|(?={CORE_CLASS}*{_char_class(ARABIC_CHARS | GROUP_CHARS)})"
    rf"|(?={CORE_CLASS}*(?!{CORE_CLASS}){_char_class(FOLLOW_CHARS)})"
    rf"|(?<={_char_class(PREFIX_LAST_CHARS)}{CORE_CLASS})|(?<={_char_class(PREFIX_LAST_CHARS)} {CORE_CLASS}))"
    rf"{CORE_CLASS}*"
)
# why: 三五个 / 八九亿 / 四五千: two neighbouring digits read as a range
RE_NEIGHBOUR_RANGE = re.compile(rf"([一二三四五六七八九])([二三四五六七八九])([{CN_SCALES}]*)")
# why: digit-by-digit year forms (二〇一八, 2021, 九零) before 年 are dates, not durations
RE_YEAR_LIKE = re.compile(
    rf"[0-9０-９]{{4}}|[0-9０-９]{{2}}(?=年[0-9０-９{CN_DIGITS}十]+月)|[{CN_DIGITS}]{{2,4}}"
)
# why: the counted noun after a measure word (100名劳模 -> 劳模): a short run of Chinese characters
# (up to a noun stop or a numeral, which end the noun: 100名劳模的 -> 劳模; fewer than two characters: no noun)
RE_NOUN = re.compile(
    rf"(?:(?!{_char_class(NOUN_STOPS | frozenset(CN_NUMERAL_CHARS))})[\u4e00-\u9fff]){{2,4}}"
)

#: characters after a bare number that make it part of a date, a time, a code or a larger token
DATE_TIME_AFTER = frozenset("年月日号號时時点點分秒:：∶/")
#: characters that, between two numbers, make them a score, ratio, time or date nickname (3∶0, 1·25)
PAIR_SEPARATORS = frozenset(":：∶·比")
CODE_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_@#")
#: characters after an Arabic number that make it a date or a time (5月, 10日, 8时, 3/4), with the words that
#: start with them and that a quantity can continue with (10日元, 30分钟): an Arabic core followed by one of
#: these characters and by none of its words is skipped without the full pattern (点 is left out: 10点五)
DATE_TIME_WORDS = {
    c: tuple(w for w in FOLLOW_WORDS if w[0] == c) for c in DATE_TIME_AFTER - frozenset("点點")
}
ZERO = Decimal(0)
ONE = Decimal(1)
HALF = Decimal("0.5")
HUNDRED = Decimal(100)
THOUSAND = Decimal(1000)

#: the groups of a quantity match with their names as fields (g.num), as ``_read`` gets them: one
#: ``groups()`` tuple per match (the cache key) instead of one ``group()`` call per use; both patterns have
#: the same groups, all of them named
QuantityGroups = namedtuple("QuantityGroups", sorted(RE_QUANTITY.groupindex, key=RE_QUANTITY.groupindex.get))
assert (
    len(QuantityGroups._fields) == RE_QUANTITY.groups
    and RE_MONEY_QUANTITY.groupindex == RE_QUANTITY.groupindex
)


@lru_cache(maxsize=4096)
def _number(s: str) -> Decimal | None:
    """Return the value of a numeral matched in text (full-width, commas, 万/亿, k/w), or None."""
    try:
        return parse_exact(RE_NUMBER_FILLER.sub("", s), SMART)
    except (ArithmeticError, ValueError):
        return None


def _scale_of(chars: str) -> Decimal:
    """Return the product of scale characters (十万 -> 100000; empty -> 1)."""
    scale = Decimal(1)
    for c in chars:
        scale *= PLACES.get(c) or GROUPS.get(c)
    return scale


DIGIT_CHARS = frozenset(DIGITS)


def _has_digit(s: str) -> bool:
    """Return True when ``s`` contains a digit (Arabic or Chinese) or starts with 十."""
    # set and map calls instead of a per-character generator: same answer, run in C
    return s[0] in "十拾" or not DIGIT_CHARS.isdisjoint(s) or any(map(str.isdigit, s))


def _is_digit_string(s: str) -> bool:
    """Return True for a Chinese digit-by-digit string of two or more digits (一二三, 五四)."""
    return len(s) >= 2 and all(c in DIGITS for c in s)


class NumeralFacts(NamedTuple):
    """What the cardinal checks ask about the numeral of a match; one numeral string always gets the same
    answers, so they are computed once per distinct string (2019, 10, 一, 两 repeat a lot)."""

    value: Decimal | None  # its value (None: not a numeral)
    has_digit: bool  # see _has_digit (二十 yes, 十 yes, 百 no)
    lone_chinese_digit: bool  # one Chinese digit and nothing else (一, 三)
    plan_period: bool  # a five-year plan (十三五)
    neighbour: tuple[Decimal, Decimal, bool] | None  # 三五 / 八九亿: (low, high, has scale characters)
    digit_string: bool  # Chinese digit by digit (一二三)
    bare_year: bool  # four Arabic digits from 1900 to 2100
    code_like: bool  # Arabic digits of a phone, ID or code number (7+ digits, or a leading 0)
    bare_chinese: bool  # not Arabic and without 万/亿
    year_like: bool  # RE_YEAR_LIKE matches the numeral as written


@lru_cache(maxsize=8192)
def _numeral_facts(num: str) -> NumeralFacts:
    """Return the facts about the numeral ``num`` (a NUMBER match) that decide whether it is a count."""
    plain = RE_NUMBER_FILLER.sub("", num)  # without spaces and 个 (两个亿 -> 两亿)
    neighbour = None
    m = RE_NEIGHBOUR_RANGE.fullmatch(plain)
    if m and int(DIGITS[m.group(2)]) - int(DIGITS[m.group(1)]) in (1, 2):
        scale = _scale_of(m.group(3))
        neighbour = DIGITS[m.group(1)] * scale, DIGITS[m.group(2)] * scale, bool(m.group(3))
    digits_only = RE_NON_DIGIT.sub("", plain) if plain.isascii() else ""
    code_like = bool(digits_only) and (
        len(digits_only) >= 7
        and "," not in plain
        and "." not in plain
        or (len(digits_only) >= 2 and digits_only[0] == "0" and "." not in plain)
    )
    return NumeralFacts(
        value=_number(plain),
        has_digit=_has_digit(plain),
        lone_chinese_digit=plain[0] in DIGITS and not plain[0].isdigit() and len(plain) == 1,
        plan_period=plain in PLAN_PERIODS,
        neighbour=neighbour,
        digit_string=_is_digit_string(plain),
        bare_year=len(plain) == 4 and plain.isdigit() and 1900 <= int(plain) <= 2100,
        code_like=code_like,
        bare_chinese=not plain.isascii() and GROUP_CHARS.isdisjoint(plain),
        year_like=RE_YEAR_LIKE.fullmatch(num) is not None,
    )


def _unit_info(word: str | None, money_context: bool) -> tuple[str, str | None, Decimal]:
    """Return (kind, base unit, factor) for a unit word, percent sign or currency."""
    if not word:
        return (
            (QuantityKind.MONEY, "元", Decimal(1))
            if money_context
            else (QuantityKind.COUNT, None, Decimal(1))
        )
    if word in ("%", "％"):
        return QuantityKind.PERCENT, None, Decimal("0.01")
    if word == "‰":
        return QuantityKind.PERCENT, None, Decimal("0.001")
    if word == "成":
        return QuantityKind.FRACTION, None, Decimal("0.1")
    if money_context and word in ("个", "個"):
        return QuantityKind.MONEY, "元", Decimal(1)
    if word in CURRENCIES:
        unit, factor, _ = CURRENCIES[word]
        return QuantityKind.MONEY, unit, factor
    kind, base, factor = UNITS[word]
    return kind, base, factor


def _chain_value(chain: str, unit_factor: Decimal) -> tuple[Decimal, int] | None:
    """Return (value in 元, characters used) of a 角/分 tail after a money unit of ``unit_factor``."""
    total, used, factor = ZERO, 0, unit_factor
    pos = 0
    while pos < len(chain):
        if chain[pos] == "半" and factor == 1:
            return total + Decimal("0.5"), pos + 1
        m = RE_CHAIN_ELEMENT.match(chain, pos)
        if not m:
            break
        zero, digit, sub = m.groups()
        if not sub and digit.isascii():
            break  # 3541.07万元2.3: an Arabic digit after the unit starts something else
        d = Decimal(DIGITS[digit]) if digit in DIGITS else Decimal(digit)
        if sub:
            sub_factor = SUB_CURRENCIES[sub][1]
            if sub_factor >= factor:
                break
            factor = sub_factor
        else:
            factor = factor / (Decimal(100) if zero else Decimal(10))
            if factor < Decimal("0.01"):
                break
        total += d * factor
        pos = m.end()
        used = pos
        if not sub:
            break
    if chain[used:].startswith("钱"):
        used += 1
    if chain[used:].startswith("整"):
        used += 1
    return total, used


def _bounds(value: Decimal, qualifier: str) -> tuple[str, Decimal | None, Decimal | None]:
    """Return (qualifier, low, high) for a single value under a table qualifier."""
    if qualifier == QuantityQualifier.EXACT:
        return qualifier, value, value
    if qualifier == APPROX_BELOW:
        return QuantityQualifier.APPROX, None, value
    if qualifier == QuantityQualifier.APPROX:
        return qualifier, None, None
    if qualifier in (QuantityQualifier.MORE_THAN, QuantityQualifier.AT_LEAST):
        return qualifier, value, None
    return qualifier, None, value


def _f(d: Decimal | None) -> float | None:
    """Return ``d`` as a float (None stays None)."""
    return None if d is None else float(d)


def _noun_after(text: str, end: int) -> str | None:
    """Return the counted noun right after ``end`` (100名劳模 -> 劳模), or None."""
    m = RE_NOUN.match(text, end)
    return m.group() if m else None


class TextChecks(NamedTuple):
    """What the text around a cardinal match must not be, as far as its groups tell."""

    numeral_word: bool  # no qualifier before it: a numeral word (一些, 一起) at the start
    lead_digit: bool  # a Chinese digit starts it and no word before it: one of NUMERAL_WORD_PREFIXES before
    bare_number: bool  # no unit, range or 多: a date or time character after the number
    decade: bool  # unit 年: 代 after it (50年代)
    unit_text: str | None  # a one-character measure word: the same character after it (一场场)
    unit_group: str  # the group of that measure word


def _reject_context(text: str, m: re.Match, checks: TextChecks) -> bool:
    """Return True when the match is part of a date, code, phone number or ordinary word."""
    start, end = m.span()
    n = len(text)
    before = text[start - 1] if start else ""
    after = text[end] if end < n else ""
    if before in CODE_CHARS or after in CODE_CHARS:
        return True
    if before.isdigit() or (before in ".．-/" and start >= 2 and text[start - 2].isdigit()):
        return True
    if before in PAIR_SEPARATORS and start >= 2 and text[start - 2].isdigit():
        return True  # the second number of 3∶0, 1·25
    if checks.numeral_word and text.startswith(NUMERAL_WORDS_BY_FIRST_CHAR.get(text[start], ()), start):
        return True
    if checks.lead_digit and before in NUMERAL_WORD_PREFIXES:
        return True
    # ---- dates, times, decades and reduplicated measure words are not quantities
    if checks.bare_number:
        num_end = m.end("num")
        after = text[num_end] if num_end < n else ""
        if after in DATE_TIME_AFTER or (
            after in ".．-－/·比" and num_end + 1 < n and text[num_end + 1].isdigit()
        ):
            return True
    if checks.decade and m.end("unit") < n and text[m.end("unit")] == "代":
        return True  # 50年代: a decade
    if checks.unit_text:
        unit_end = m.end(checks.unit_group)
        if 0 <= unit_end < n and text[unit_end] == checks.unit_text:
            return True  # 一场场: a reduplicated measure word means "many", not one
    return False


class Reading(NamedTuple):
    """What the groups of a match say, before the text around it is checked."""

    unit: str | None  # the base unit of the record
    kind: str
    qualifier: str
    value: float
    low: float | None
    high: float | None
    end_at: str | None  # the record ends where this group starts (None: at the end of the match)
    end_offset: int  # ... plus this many characters (the part of a money tail that was read)
    checks: TextChecks | None  # for cardinals (percentages, fractions and ordinals are not checked)


def _build(text: str, m: re.Match, money_context: bool) -> Quantity | None:
    """Return the Quantity of one regex match, or None when the match is not a quantity."""
    reading = _read(m.groups(), money_context)
    if reading is None:
        return None
    if reading.checks is not None and _reject_context(text, m, reading.checks):
        return None
    start = m.start()
    end = m.end() if reading.end_at is None else m.start(reading.end_at) + reading.end_offset
    unit, kind = reading.unit, reading.kind
    noun = _noun_after(text, end) if unit and kind in (QuantityKind.COUNT, QuantityKind.MEASURE) else None
    return Quantity(
        text[start:end],
        reading.value,
        unit,
        kind,
        reading.qualifier,
        reading.low,
        reading.high,
        start,
        end,
        noun,
    )


# (a news text of 5 million characters has about 16,000 distinct matches: about 13 MB)
@lru_cache(maxsize=16384)
def _read(groups: tuple[str | None, ...], money_context: bool) -> Reading | None:
    """Return the reading of a match from its groups alone (value, unit, qualifier, bounds, where it ends,
    what to check in the text around it), or None when the groups already say it is not a quantity; equal
    groups read the same, so the readings are cached."""
    g = QuantityGroups._make(groups)
    if not (g.pct_cn or g.pct_full or g.frac_den or g.ord):
        return _read_cardinal(g, money_context)
    pre = QUALIFIERS_BEFORE.get(g.pre) if g.pre else None
    post_word = g.post
    post = QUALIFIERS_AFTER.get(post_word) or QUALIFIERS_AFTER_DURATION.get(post_word) if post_word else None
    end_at = None
    unit: str | None = None

    if g.pct_cn or g.pct_full:
        if g.pct_full:
            value = ONE
        else:
            v = _number(g.pct_num)
            if v is None:
                return None
            value = v / (HUNDRED if g.pct_cn == "百分之" else THOUSAND)
            if g.pct_sign:
                value = -value
        kind, qualifier = QuantityKind.PERCENT, pre or post or QuantityQualifier.EXACT
    elif g.frac_den:
        den, num = _number(g.frac_den), _number(g.frac_num)
        if den is None or num is None or den == 0:
            return None
        value, kind = num / den, QuantityKind.FRACTION
        qualifier = pre or post or QuantityQualifier.EXACT
    else:
        v = _number(g.ord)
        if v is None or v != int(v) or _is_digit_string(g.ord):
            return None
        value, kind, unit = v, QuantityKind.ORDINAL, g.ord_unit
        if unit in MAIN_CURRENCIES:
            return None
        qualifier = QuantityQualifier.EXACT
        if post_word:  # 第三以上 is rare; keep the ordinal span without the qualifier
            end_at = "post"
    if kind != QuantityKind.ORDINAL and post and qualifier == QuantityQualifier.EXACT:
        qualifier = post
    qualifier, low, high = _bounds(value, qualifier)
    return Reading(unit, kind, qualifier, *_floats(value, low, high), end_at, 0, None)


def _floats(
    value: Decimal, low: Decimal | None, high: Decimal | None
) -> tuple[float, float | None, float | None]:
    """Return value, low and high as floats (an exact value has low = high = value: converted once)."""
    fvalue = float(value)
    flow = fvalue if low is value else _f(low)
    fhigh = fvalue if high is value else flow if high is low else _f(high)
    return fvalue, flow, fhigh


def _read_cardinal(g: QuantityGroups, money_context: bool) -> Reading | None:
    """Return the reading of a cardinal match (a number, a range, 几万, 半), or None when its groups
    already say it is not a quantity."""
    pre = QUALIFIERS_BEFORE.get(g.pre) if g.pre else None
    post_word = g.post
    post = (
        (QUALIFIERS_AFTER.get(post_word) or QUALIFIERS_AFTER_DURATION.get(post_word)) if post_word else None
    )
    num = g.num
    unit_word = g.unit or g.unit2
    if g.cur_post and (unit_word in (None, "元", "圆") or unit_word in MAIN_CURRENCIES):
        unit_word = g.cur_post
    if g.cur_post2 and (unit_word in (None, "元", "圆") or unit_word in MAIN_CURRENCIES):
        unit_word = g.cur_post2
    cur_pre = g.cur_pre or g.cur_pre2
    if cur_pre and (
        unit_word is None or CURRENCIES.get(unit_word, ("",))[0] == "元" or unit_word in ("个", "個")
    ):
        unit_word = cur_pre
    if (
        unit_word
        and unit_word not in ("%", "％", "‰", "成")
        and unit_word not in CURRENCIES
        and unit_word not in UNITS
    ):
        if not (money_context and unit_word in ("个", "個")):
            return None
    kind, base_unit, factor = _unit_info(unit_word, money_context)
    # the end without a trailing qualifier word: where the post group starts
    end_without_post = "post" if post_word else None

    # ---- first number
    few = g.few
    more = g.more
    sep = g.sep
    low = high = None
    if g.half_num:
        if not (unit_word in ("个", "個") or UNITS.get(unit_word, ("",))[0] == QuantityKind.DURATION):
            return None
        value1, qualifier = HALF, QuantityQualifier.EXACT
    elif few:
        scale = _scale_of(g.few_scale)
        low, high = scale, scale * 10
        value1 = low
        qualifier = QuantityQualifier.RANGE
    else:
        if not num:
            return None
        facts = _numeral_facts(num)
        if not facts.has_digit and not (pre or more):
            return None
        if facts.lone_chinese_digit and not (unit_word or pre or more or g.half):
            return None
        if facts.plan_period:
            return None
        if facts.neighbour:
            low, high, scaled = facts.neighbour
            if not (unit_word or scaled):
                return None
            value1 = low
            qualifier = QuantityQualifier.RANGE
        else:
            if facts.digit_string and not (unit_word == "年"):
                return None
            value1 = facts.value
            if value1 is None:
                return None
            qualifier = QuantityQualifier.EXACT
            if more:
                step = magnitude_step(value1)
                scale = _scale_of(g.more_scale or "")
                low, high = value1 * scale, (value1 + step) * scale
                value1 = low
                qualifier = QuantityQualifier.MORE_THAN
            if g.half:
                value1 += HALF
    # ---- years and codes are not quantities (dates and times are checked against the text)
    if num and not unit_word and not sep and not more:
        if facts.bare_year:
            return None  # a bare year (2019媒体融合发展论坛)
        if facts.code_like:
            return None  # phone, ID and code numbers
        if facts.bare_chinese and not pre and not money_context:
            return (
                None  # a bare Chinese numeral (十一, 二十一) is a name or a time far more often than a count
            )
    if unit_word == "年" and num and not more and facts.year_like:
        return None

    # ---- money tail (一块二, 123元1角1分)
    chain = g.chain or ""
    chain_value = ZERO
    chain_used = 0
    if chain and kind == QuantityKind.MONEY:
        cv = _chain_value(chain, factor if unit_word in SUB_CURRENCIES else ONE)
        if cv:
            chain_value, chain_used = cv
    # ---- range
    if sep:
        num2 = g.num2
        v2 = _number(num2.replace(" ", "")) if num2 else None
        if v2 is None:
            return None
        if sep in "-－–" and not (g.unit or g.unit2 or not GROUP_CHARS.isdisjoint(num2) or num2[-1] in "kKw"):
            return None  # 2019-05, 0571-8888: dates and phone numbers
        if g.more2:
            step = magnitude_step(v2)
            scale = _scale_of(g.more_scale2 or "")
            v2 = (v2 + step) * scale
        first_plain = (num or "").replace(" ", "")
        first_has_group = not GROUP_CHARS.isdisjoint(first_plain) or first_plain[-1:] in "kKw"
        if not g.unit and not first_has_group and low is None:
            tail = ""
            for c in reversed(num2.replace(" ", "")):
                if c in GROUPS or c in "kKw":
                    tail = c + tail
                else:
                    break
            mult = ONE
            for c in tail:
                mult *= GROUPS.get(c) or Decimal(1000 if c in "kK" else 10000)
            if (
                len(first_plain) == 1
                and len(num2) >= 2
                and num2[1] in PLACES
                and (num2[0] in DIGITS or num2[0].isdigit())
            ):
                mult *= PLACES[num2[1]]
            if value1 * mult <= v2:  # 两到三万 -> 2万..3万, but 8500到3万 stays 8500
                value1 *= mult
        chain2 = g.chain2 or ""
        if chain2 and kind == QuantityKind.MONEY:
            cv = _chain_value(chain2, ONE)
            if cv:
                v2 += cv[0]
        lo = (low if low is not None else value1) + chain_value
        hi = v2
        if hi < lo:
            return None
        low, high = lo * factor, hi * factor
        value = (low + high) / 2
        post_ok = bool(post_word) and (
            post_word not in QUALIFIERS_AFTER_DURATION or kind == QuantityKind.DURATION
        )
        return Reading(
            base_unit,
            kind,
            QuantityQualifier.RANGE,
            *_floats(value, low, high),
            None if post_ok else end_without_post,
            0,
            _text_checks(g, unit_word),
        )
    value = (
        (value1 + chain_value) * factor if unit_word not in SUB_CURRENCIES else value1 * factor + chain_value
    )
    post_ok = bool(post_word) and (
        post_word not in QUALIFIERS_AFTER_DURATION or kind == QuantityKind.DURATION
    )
    end_at, end_offset = (None if post_ok else end_without_post), 0
    if chain and chain_used < len(chain):
        # an unused money tail belongs to the next words: cut the match before it
        if g.cur_post:
            return None
        end_at, end_offset = "chain", chain_used
        post_ok = False
    if qualifier == QuantityQualifier.RANGE:
        low, high = low * factor, high * factor
        value = (low + high) / 2
    elif qualifier == QuantityQualifier.MORE_THAN:  # 50多: bounds from the last place
        low, high = low * factor, high * factor
        value = low
        if pre in (QuantityQualifier.APPROX, APPROX_BELOW):
            qualifier = QuantityQualifier.APPROX
    else:
        qualifier, low, high = _bounds(value, pre or (post if post_ok else None) or QuantityQualifier.EXACT)
    return Reading(
        base_unit, kind, qualifier, *_floats(value, low, high), end_at, end_offset, _text_checks(g, unit_word)
    )


def _text_checks(g: QuantityGroups, unit_word: str | None) -> TextChecks:
    """Return what the text around a cardinal match must not be (see ``_reject_context``)."""
    num = g.num
    unit_text = g.unit2 or g.unit
    return TextChecks(
        numeral_word=g.pre is None,
        lead_digit=num is not None and g.pre is None and g.cur_pre is None and num[0] in DIGITS,
        bare_number=bool(num) and not unit_word and not g.sep and not g.more,
        decade=unit_word == "年",
        unit_text=unit_text if unit_text and len(unit_text) == 1 else None,
        unit_group="unit2" if g.unit2 else "unit",
    )


def _candidates(text: str, p: int, floor: int) -> list[int]:
    """Return the start positions to try for a number core at ``p``: after a prefix word, then at ``p``."""
    starts = []
    q = p - 1 if p > floor and text[p - 1] == " " else p
    if q <= floor or text[q - 1] not in PREFIX_LAST_CHARS:
        return [p]
    for length in range(MAX_PREFIX, 0, -1):
        if q - length >= floor and text[q - length : q] in PREFIX_WORDS:
            k = q - length
            starts.append(k)
            # a qualifier before a currency name (约人民币3亿元)
            for length2 in range(MAX_PREFIX, 0, -1):
                if k - length2 >= floor and text[k - length2 : k] in QUALIFIERS_BEFORE:
                    starts.insert(0, k - length2)
                    break
            break
    starts.append(p)
    return starts


def _find(text: str, money_context: bool) -> list[Quantity]:
    """Find number cores with a cheap scan, then read each with the full pattern anchored there."""
    if not text:
        return []
    pattern = RE_MONEY_QUANTITY if money_context else RE_QUANTITY
    out: list[Quantity] = []
    floor = 0  # text before this offset belongs to an earlier quantity
    pos, n = 0, len(text)
    scan = RE_NUMBER_CORE if money_context else RE_OPEN_CORE
    inside = False  # the last quantity ended inside a core: the rest of it is found with the plain scan
    while pos < n:
        core = (RE_NUMBER_CORE if inside else scan).search(text, pos)
        inside = False
        if core is None:
            break
        p, core_end = core.span()
        tries = _candidates(text, p, floor)
        if len(tries) == 1 and not money_context:
            nxt = text[core_end] if core_end < n else ""
            core_text = core.group()
            if (
                nxt not in FOLLOW_CHARS
                and ARABIC_CHARS.isdisjoint(core_text)
                and GROUP_CHARS.isdisjoint(core_text)
            ) or (
                nxt in DATE_TIME_WORDS
                and ARABIC_CHARS.issuperset(core_text)
                and (
                    not text.startswith(DATE_TIME_WORDS[nxt], core_end)
                    or (nxt == "年" and len(core_text) == 4)  # 2019年: a year (RE_YEAR_LIKE)
                )
            ):
                pos = core_end  # (isdisjoint: no sets built for the many cores skipped here)
                continue
        if core_end - p >= 2 and not text[p].isdigit():
            tries.append(p + 1)  # 唯一一个: the quantity may start inside a Chinese run
        found = None
        for start in tries:
            m = pattern.match(text, start)
            if m is None or m.end() <= p:
                continue
            try:
                q = _build(text, m, money_context)
            except (ArithmeticError, ValueError, KeyError, TypeError, IndexError):
                q = None
            if q is not None and q.end > q.start:
                found = q
                break
        if found is not None:
            out.append(found)
            floor = pos = found.end
            inside = pos < n and text[pos - 1] in CORE_CHARS and text[pos] in CORE_CHARS
        else:
            pos = core_end
    return out


def find_quantities(text: str) -> list[Quantity]:
    """Find every quantity in ``text``; offsets slice back to ``Quantity.text``."""
    return _find(text, money_context=False)


def parse_money(text: str) -> Quantity | None:
    """Read ``text``, known to be an amount of money, as one Quantity (bare numbers are 元, 角/分 are money)."""
    found = [q for q in _find(text, money_context=True) if q.kind == QuantityKind.MONEY]
    if not found:
        return None
    return max(found, key=lambda q: q.end - q.start)
