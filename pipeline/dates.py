"""Dates and date expressions, normalised to ISO with the year inferred from the issue date.

In: one text and, optionally, the issue date of the page it comes from. Out: ``DateMention`` records in text
order; ``text[d.start:d.end] == d.text`` always.

Conventions:

- ``value`` is ISO as precise as the text: ``2021``, ``2021-05``, ``2021-05-15``; a plan period is
  ``2021/2025`` (precision ``period``). Without an issue date a month–day has no year: ``--05-15`` / ``--05``
  (ISO 8601 omitted-year form), and relative words (今年, 昨天) are not reported.
- Month–day dates (5月15日) take the issue year, except a month after the issue's month, which belongs to the
  year before (newspapers report the past); ``year_inferred`` is true. A day alone (9日) is in the issue's month.
- Relative words (今年, 去年, 昨天, 上个月 ...) are resolved against the issue date; 当日/当天/同日 refer to the
  date mentioned last in the text (5月18日……当日), or the issue date when there is none.
- Two-digit years (98年4月, 零七年) take the latest century that puts them no more than ten years after
  the issue year, and never one before 1900 (19xx/20xx without an issue date by the 50 split).
- Weekdays (周一, 上周六) are in the issue's week (Monday first), shifted by 上/下; 3天前 / 20天后 count days
  from the issue date. Festivals on fixed or n-th-weekday dates (国庆, 母亲节) and the solar terms (立冬, 清明节,
  their day computed from the sun's longitude) follow the month–day rule.
- Numeric dates: 2021-05-15, 2021/5/15, 2019.9.6, 20210515 and, as OCR leaves them, 2021 5 15.
- Lunar dates (农历八月十五, 正月初一, 腊月18, 五月廿二, a Chinese month with a bare Chinese day such as 八月十五,
  which Gregorian dates never omit 日/号 from) and lunar festivals (春节, 中秋) are converted with the lunar
  table; their lunar year is the named year or the issue year (festivals lie ahead as often as behind).
- Clock times are ignored; 第十一届, 十一 and other numerals are never dates.
"""

from __future__ import annotations

import calendar
import math
import re
from collections import Counter
from datetime import date, timedelta
from functools import lru_cache

from pipeline.datafiles import read_sections
from pipeline.numerals import DIGITS, parse_number, read_table
from pipeline.record import DateMention


class DatePrecision:
    YEAR = "year"
    MONTH = "month"
    DAY = "day"
    PERIOD = "period"


class DateKind:
    ABSOLUTE = "absolute"
    MONTH_DAY = "month_day"
    RELATIVE = "relative"
    PERIOD = "period"


# ---------------------------------------------------------------- word tables (data files, loaded once)
PLAN_PERIODS = {name: (int(a), int(b)) for name, a, b in read_table("plan_periods.tsv")}
RELATIVE_WORDS = {
    word: (precision, int(offset), anchor, "" if blockers == "-" else blockers)
    for word, precision, offset, anchor, blockers in read_table("relative_dates.tsv")
}
RELATIVE_YEARS = {w: v for w, v in RELATIVE_WORDS.items() if v[0] == "year"}
RELATIVE_MONTHS = {w: v for w, v in RELATIVE_WORDS.items() if v[0] == "month"}
FESTIVALS: dict[str, tuple[int, str]] = {
    name: (int(month), day) for name, month, day in read_table("festivals.tsv")
}
#: solar terms read only before a time word or a non-Chinese character (立冬后), as festival rules "sun:LON";
#: the unambiguous forms (清明节, 大雪节气) join FESTIVALS
BARE_SOLAR_TERMS: dict[str, tuple[int, str]] = {}
for _word, _longitude, _month, _use in read_table("solar_terms.tsv"):
    (BARE_SOLAR_TERMS if _use == "bare" else FESTIVALS)[_word] = (int(_month), f"sun:{_longitude}")
SOLAR_TERM_FOLLOWERS = [row[0] for row in read_table("solar_term_followers.txt")]
#: the first characters of verbs ending in 立 (成立冬奥会, 设立夏令营: no 立冬, 立夏) and of season words
#: ending in 冬/夏, after which 至 means "to" (入冬至今, 初夏至秋: no 冬至, 夏至)
LI_VERB_FIRST_CHARS = "".join(read_sections("numbers/solar_term_guards.txt")["li_verb"])
SEASON_WORD_FIRST_CHARS = "".join(read_sections("numbers/solar_term_guards.txt")["season_word"])
LUNAR_YEARS: dict[int, tuple[date, int, list[int]]] = {
    int(y): (date.fromisoformat(ny), int(leap), [int(x) for x in lengths.split(",")])
    for y, ny, leap, lengths in read_table("lunar_years.tsv")
}
LUNAR_FESTIVALS = {name: (int(m), int(d)) for name, m, d in read_table("lunar_festivals.tsv")}
LUNAR_MONTH_NAMES = {"正": 1, "冬": 11, "腊": 12}
WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
WEEK_SHIFTS = {"上上": -2, "上": -1, "本": 0, "这": 0, "下": 1, "下下": 2}
OFFSET_UNITS = {"天": "day", "日": "day", "周": "week", "个星期": "week", "个月": "month", "年": "year"}


def _alternation(words) -> str:
    """Return a regex alternation of ``words``, longest first."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _alternation_by_first_char(words) -> str:
    """Return a regex alternation of ``words`` grouped by first character (上(?:上周|个月|周)|...), longest
    first within a group: it matches what ``_alternation`` matches, trying fewer branches at each position."""
    groups: dict[str, list[str]] = {}
    for w in sorted(set(words), key=len, reverse=True):
        groups.setdefault(w[0], []).append(re.escape(w[1:]))
    return "|".join(
        re.escape(first) + (f"(?:{'|'.join(rests)})" if rests != [""] else "")
        for first, rests in groups.items()
    )


CN_DIGIT = "〇零一二三四五六七八九"
YEAR = rf"(?:[12][0-9]{{3}}|[{CN_DIGIT}]{{4}}|[{CN_DIGIT}]{{2}}|[0-9]{{2}}(?=年[0-9一二三四五六七八九十]{{1,2}}月))"
MONTH = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
DAY_CN = r"(?:三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])"
DAY_AR = r"(?:3[01]|[12][0-9]|0?[1-9])"
MONTH_CN = r"(?:十[一二]?|[一二三四五六七八九])"
LUNAR_DAY = r"(?:初[一二三四五六七八九十]|廿[一二三四五六七八九]?|三十|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])"
LUNAR_DAY_BARE = r"(?:三十|二十[一二三四五六七八九]?|十[一二三四五六七八九])"

TRADITIONAL = {trad: simp for trad, simp in read_table("traditional_chars.tsv")}
#: full-width digits and traditional characters read as their plain forms, one character for one
SCAN_TRANSLATION = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)}, **TRADITIONAL})

# why: one pass finds every date form; the groups say which form matched and the Python step resolves it
RE_DATE = re.compile(
    rf"""
    (?P<iso_y>(?<![0-9])[12][0-9]{{3}})[-/.](?P<iso_m>1[0-2]|0?[1-9])[-/.](?P<iso_d>3[01]|[12][0-9]|0?[1-9])(?![0-9])
  | (?<![0-9])(?P<sp_y>(?:19|20)[0-9]{{2}})[ ](?P<sp_m>1[0-2]|0?[1-9])[ ](?P<sp_d>3[01]|[12][0-9]|0?[1-9])(?![0-9])
  | (?<![0-9])(?P<c8_y>(?:19|20)[0-9]{{2}})(?P<c8_m>0[1-9]|1[0-2])(?P<c8_d>0[1-9]|[12][0-9]|3[01])(?![0-9])
  | (?P<plan>{_alternation(PLAN_PERIODS)})
  | (?:(?P<ly>{YEAR})年|(?P<lry>{_alternation(RELATIVE_YEARS)}))?
    (?:(?P<lcal>农历|阴历)(?P<lleap1>闰)?(?P<lm1>{MONTH}|正|腊|冬)月(?P<ld1>{LUNAR_DAY}|{DAY_AR})[日号號]?
     | (?P<lleap2>闰)?(?P<lm2>正|腊|冬)月(?P<ld2>{LUNAR_DAY}|{DAY_AR})[日号號]?
     | (?P<lleap3>闰)?(?P<lm3>{MONTH_CN})月(?P<ld3>初[一二三四五六七八九十]|廿[一二三四五六七八九]?)
     | (?P<lm4>{MONTH_CN})月(?P<ld4>{LUNAR_DAY_BARE})(?![日号號0-9一二三四五六七八九十])
     | 大年(?P<ld5>初[一二三四五六七八九十]|三十)
     | (?:农历)?(?P<lfest>{_alternation(LUNAR_FESTIVALS)}))
  | (?P<nth_m>{MONTH})月份?的?第(?P<nth>[1-5一二三四五])个(?:周|星期|礼拜)(?P<nth_wd>[一二三四五六日天])
  | (?:(?P<fest_y>{YEAR})年|(?P<fest_ry>{_alternation(RELATIVE_YEARS)}))?
    (?:(?P<fest>{_alternation(FESTIVALS)})
     | (?<!《)(?P<sterm>(?<![{LI_VERB_FIRST_CHARS}])立[春夏秋冬]|(?<![{SEASON_WORD_FIRST_CHARS}])[冬夏]至
        |{_alternation(w for w in BARE_SOLAR_TERMS if w[0] != "立" and w not in ("冬至", "夏至"))})
       (?:(?![\u4e00-\u9fff])|(?={_alternation(SOLAR_TERM_FOLLOWERS)})))
  | (?<![0-9])(?:(?P<y>{YEAR})年|(?P<ry>{_alternation(RELATIVE_YEARS)}))?
    (?:(?P<rm>{_alternation(RELATIVE_MONTHS)})|(?P<m>{MONTH})月份?)
    (?:(?P<d>{DAY_AR}|{DAY_CN})[日号號]|(?P<d_bare>{DAY_AR})(?![0-9.%万亿年月日号个天时点:：]))?
  | (?<![0-9])(?P<y_only>{YEAR})年(?:份|度)?
  | (?<![0-9月])(?P<d_only>{DAY_AR})[日号號]
  | (?<![0-9])(?P<dot_m>1[0-2]|[1-9])·(?P<dot_d>3[01]|[12][0-9]|[1-9])(?![0-9])
  | (?<![0-9\-])(?P<md_m>0[1-9]|1[0-2])-(?P<md_d>0[1-9]|[12][0-9]|3[01])(?![0-9\-])
  | (?<!每)(?:(?P<wk>上上|下下|上|下|本|这)个?(?:周|星期|礼拜)?)?(?:周|星期|礼拜)(?P<wd>[一二三四五六日天])(?![年刊期])
  | (?P<off_n>[0-9]{{1,3}}|[{CN_DIGIT}十两半]{{1,4}})(?P<off_u>天|周|个星期|个月|年)(?P<off_d>以后|以前|之后|之前|后|前)
  | (?P<rel>{_alternation(RELATIVE_WORDS)})
    """,
    re.VERBOSE,
)


#: the form of a date match, from the name of the group that closed last: every branch of RE_DATE ends with
#: groups of its own, so one look-up says which branch matched (instead of testing the groups of each in turn)
FORM_OF_LAST_GROUP = {
    **dict.fromkeys(("iso_d", "c8_d", "sp_d"), "numeric"),
    **dict.fromkeys(("ld1", "ld2", "ld3", "ld4", "ld5", "lfest"), "lunar"),
    "nth_wd": "nth_weekday",
    "plan": "plan",
    **dict.fromkeys(("fest", "sterm"), "festival"),
    **dict.fromkeys(("m", "rm", "d", "d_bare"), "month"),
    "y_only": "year",
    **dict.fromkeys(("d_only", "dot_d", "md_d"), "day"),
    "wd": "weekday",
    "off_d": "offset",
    "rel": "relative",
}


DATE_WORDS = (
    list(PLAN_PERIODS)
    + list(FESTIVALS)
    + list(BARE_SOLAR_TERMS)
    + list(LUNAR_FESTIVALS)
    + list(RELATIVE_WORDS)
    + ["农历", "阴历", "闰", "正月", "腊月", "冬月", "大年", "星期", "礼拜"]
    + [p + x for p in WEEK_SHIFTS for x in ("周", "个", "星期", "礼拜")]
    + ["周" + d for d in WEEKDAYS]
)
# why: cheap first passes: a date starts with a run of digits followed by a date character or separator
# (2021年, 5月, 3天前, 2019-05-27), with an 8-digit compact date, or with a date word (今年, 国庆, 周六);
# the full pattern is then tried only there. Both start with a character class or literals, which the
# regex engine scans for quickly: the digit pattern starts with one class for both branches (a pattern that
# starts with ``[...]+`` or with branches of classes is tried at every position of the text instead); its
# 8-digit branch checks that this first character is a digit, and the character before it is not, with
# lookbehinds. The date words are grouped by first character, so fewer branches are tried at each 上/下/十.
DATE_DIGIT_CLASS = "[0-9" + CN_DIGIT + "十两半廿]"
RE_DATE_DIGITS_START = re.compile(
    DATE_DIGIT_CLASS
    + "(?:"
    + DATE_DIGIT_CLASS
    + "*(?=[年月日号號天周个份\\-/.·． ])|(?<=[0-9])(?<![0-9]{2})[0-9]{7}(?![0-9]))"
)
RE_DATE_WORD_START = re.compile(_alternation_by_first_char(DATE_WORDS))
# why: full-width digits and traditional characters are rare: translate only texts that have one
RE_NEEDS_TRANSLATION = re.compile("[０-９" + "".join(TRADITIONAL) + "]")


@lru_cache(maxsize=1024)
def _cn_or_ar(s: str) -> int | None:
    """Return the integer value of a short Arabic or Chinese number (12, 十二), or None (cached: months and
    days repeat)."""
    v = parse_number(s)
    return None if v is None or v != int(v) else int(v)


def _year(s: str, issue: date | None) -> int | None:
    """Return the year of a 4-digit or 2-digit (Arabic or digit-by-digit Chinese) year string."""
    if all(c in CN_DIGIT for c in s):
        s = "".join(str(DIGITS[c]) for c in s)
    if not s.isdigit():
        return None
    y = int(s)
    if len(s) == 4:
        return y
    if issue is None:
        return 2000 + y if y < 50 else 1900 + y
    for century in range((issue.year + 10) // 100 * 100, 1800, -100):
        if century + y <= issue.year + 10:
            return century + y
    return 1900 + y  # an abbreviated year is a 20th- or 21st-century habit: never before 1900


def _shift_month(year: int, month: int, offset: int) -> tuple[int, int]:
    """Return (year, month) moved by ``offset`` months."""
    k = year * 12 + (month - 1) + offset
    return k // 12, k % 12 + 1


def _past_year(month: int, issue: date) -> int:
    """Return the year of a month named without a year: the issue year, or the year before for a later month."""
    return issue.year - 1 if month > issue.month else issue.year


def _valid(y: int | None, m: int, d: int | None) -> bool:
    """Return True when month and day form a real date (Feb 29 checked when the year is known)."""
    if not 1 <= m <= 12:
        return False
    if d is None:
        return True
    last = calendar.monthrange(y if y is not None else 2000, m)[1]
    return 1 <= d <= last


def _iso(y: int | None, m: int | None = None, d: int | None = None) -> str:
    """Return ISO text for a year, year-month or full date (``--MM-DD`` when the year is unknown)."""
    if y is None:
        return f"--{m:02d}" if d is None else f"--{m:02d}-{d:02d}"
    if m is None:
        return f"{y:04d}"
    if d is None:
        return f"{y:04d}-{m:02d}"
    return f"{y:04d}-{m:02d}-{d:02d}"


def _sun_longitude(jd: float) -> float:
    """Return the sun's apparent ecliptic longitude in degrees at Julian day ``jd`` (Meeus, Astronomical
    Algorithms ch. 25, low accuracy: about 0.01 degree, a quarter of an hour of the sun's motion)."""
    t = (jd - 2451545.0) / 36525
    mean_anomaly = math.radians(357.52911 + 35999.05029 * t - 0.0001537 * t * t)
    centre = (
        (1.914602 - 0.004817 * t - 0.000014 * t * t) * math.sin(mean_anomaly)
        + (0.019993 - 0.000101 * t) * math.sin(2 * mean_anomaly)
        + 0.000289 * math.sin(3 * mean_anomaly)
    )
    omega = math.radians(125.04 - 1934.136 * t)
    mean_longitude = 280.46646 + 36000.76983 * t + 0.0003032 * t * t
    return (mean_longitude + centre - 0.00569 - 0.00478 * math.sin(omega)) % 360


@lru_cache(maxsize=1024)
def solar_term_day(year: int, month: int, longitude: float) -> int:
    """Return the day of ``month`` in ``year`` on which the sun reaches ``longitude`` (China Standard Time)."""
    jd = 2451544.5 + (date(year, month, 15) - date(2000, 1, 1)).days  # near the term: Newton steps from here
    for _ in range(6):
        jd += ((longitude - _sun_longitude(jd) + 180) % 360 - 180) * 365.2422 / 360
    return (date(2000, 1, 1) + timedelta(days=math.floor(jd + 8 / 24 - 2451544.5))).day


def _festival_day(year: int, month: int, rule: str) -> int:
    """Return the day of a festival in ``year``: a fixed day, the N-th weekday (N:W) or a solar term (sun:LON)."""
    if rule.startswith("sun:"):
        return solar_term_day(year, month, float(rule[4:]))
    if ":" not in rule:
        return int(rule)
    nth, weekday = (int(x) for x in rule.split(":"))
    first = date(year, month, 1).isoweekday()
    return 1 + (weekday - first) % 7 + 7 * (nth - 1)


def lunar_to_solar(year: int, month: int, day: int, leap: bool = False) -> date | None:
    """Return the Gregorian date of a lunar date (day 0 = the month's last day), or None when it does not exist."""
    if year not in LUNAR_YEARS:
        return None
    new_year, leap_month, lengths = LUNAR_YEARS[year]
    if leap and leap_month != month:
        return None
    index = month - 1 + (1 if leap_month and (month > leap_month or leap) else 0)
    if not 0 <= index < len(lengths):
        return None
    if day == 0:
        day = lengths[index]
    if not 1 <= day <= lengths[index]:
        return None
    return new_year + timedelta(days=sum(lengths[:index]) + day - 1)


def _lunar_number(s: str) -> int | None:
    """Return the number of a lunar month or day name (正 -> 1, 腊 -> 12, 初五 -> 5, 廿二 -> 22, 18 -> 18)."""
    if s in LUNAR_MONTH_NAMES:
        return LUNAR_MONTH_NAMES[s]
    if s.startswith("初"):
        s = s[1:]
    return _cn_or_ar(s)


def _resolve_lunar(text: str, m: re.Match, issue: date | None) -> DateMention | None:
    """Return the DateMention of a lunar date or festival; the lunar year is the (named or issue) year."""
    g = m.group
    if g("ly"):
        year, inferred, kind = _year(g("ly"), issue), False, DateKind.ABSOLUTE
    elif g("lry"):
        if issue is None:
            return None
        year, inferred, kind = issue.year + RELATIVE_YEARS[g("lry")][1], True, DateKind.RELATIVE
    else:
        if issue is None:
            return None
        year, inferred, kind = issue.year, True, DateKind.MONTH_DAY
    if year is None:
        return None
    if g("lfest"):
        month, day = LUNAR_FESTIVALS[g("lfest")]
        leap = False
    elif g("ld5"):
        month, day, leap = 1, (0 if g("ld5") == "三十" else _lunar_number(g("ld5"))), False
        if g("ld5") == "三十":
            month = 12
    else:
        k = next(i for i in "1234" if g("lm" + i))
        month, day = _lunar_number(g("lm" + k)), _lunar_number(g("ld" + k))
        leap = bool(g("lleap" + k)) if k != "4" else False
    if month is None or day is None:
        return None
    solar = lunar_to_solar(year, month, day, leap)
    if solar is None:
        return None
    return _mention(text, m.start(), m.end(), solar.isoformat(), DatePrecision.DAY, inferred, kind)


def _mention(
    text: str, start: int, end: int, value: str, precision: str, inferred: bool, kind: str
) -> DateMention:
    """Return a DateMention for ``text[start:end]``."""
    return DateMention(text[start:end], value, precision, inferred, start, end, kind)


def _resolve(text: str, m: re.Match, issue: date | None, last: date | None) -> DateMention | None:
    """Return the DateMention of one match, or None when it is not a date (or cannot be resolved)."""
    g = m.group
    start, end = m.start(), m.end()
    form = FORM_OF_LAST_GROUP[m.lastgroup]
    if form == "numeric":
        p = "iso_" if g("iso_y") else "c8_" if g("c8_y") else "sp_"
        y, mo, d = int(g(p + "y")), int(g(p + "m")), int(g(p + "d"))
        if not _valid(y, mo, d):
            return None
        return _mention(text, start, end, _iso(y, mo, d), DatePrecision.DAY, False, DateKind.ABSOLUTE)
    if form == "lunar":
        return _resolve_lunar(text, m, issue)
    if form == "nth_weekday":
        mo, nth = _cn_or_ar(g("nth_m")), _cn_or_ar(g("nth"))
        if mo is None or nth is None or issue is None:
            return None
        y = _past_year(mo, issue)
        day = _festival_day(y, mo, f"{nth}:{WEEKDAYS[g('nth_wd')] + 1}")
        if not _valid(y, mo, day):
            return None
        return _mention(text, start, end, _iso(y, mo, day), DatePrecision.DAY, True, DateKind.MONTH_DAY)
    if form == "plan":
        a, b = PLAN_PERIODS[g("plan")]
        return _mention(text, start, end, f"{a}/{b}", DatePrecision.PERIOD, False, DateKind.PERIOD)
    if form == "festival":
        month, rule = FESTIVALS[g("fest")] if g("fest") else BARE_SOLAR_TERMS[g("sterm")]
        if g("fest_y"):
            y, inferred, kind = _year(g("fest_y"), issue), False, DateKind.ABSOLUTE
        elif g("fest_ry"):
            if issue is None:
                return None
            y, inferred, kind = issue.year + RELATIVE_YEARS[g("fest_ry")][1], True, DateKind.RELATIVE
        else:
            if issue is None:
                return None
            y, inferred, kind = _past_year(month, issue), True, DateKind.MONTH_DAY
        if y is None:
            return None
        return _mention(
            text, start, end, _iso(y, month, _festival_day(y, month, rule)), DatePrecision.DAY, inferred, kind
        )
    if form == "month":
        day_text = g("d") or g("d_bare")
        d = _cn_or_ar(day_text) if day_text else None
        if g("rm"):
            if issue is None or g("y") or g("ry"):
                return None
            _, offset, anchor, _ = RELATIVE_MONTHS[g("rm")]
            base = last if anchor == "previous" and last else issue
            y, mo = _shift_month(base.year, base.month, offset)
            inferred, kind = True, DateKind.RELATIVE
        else:
            mo = _cn_or_ar(g("m"))
            if mo is None:
                return None
            if g("y"):
                y, inferred, kind = _year(g("y"), issue), False, DateKind.ABSOLUTE
                if y is None:
                    return None
            elif g("ry"):
                if issue is None:
                    return None
                y, inferred, kind = issue.year + RELATIVE_YEARS[g("ry")][1], True, DateKind.RELATIVE
            else:
                y = _past_year(mo, issue) if issue else None
                inferred, kind = issue is not None, DateKind.MONTH_DAY
        if not _valid(y, mo, d):
            return None
        return _mention(
            text, start, end, _iso(y, mo, d), DatePrecision.DAY if d else DatePrecision.MONTH, inferred, kind
        )
    if form == "year":
        raw = g("y_only")
        y = _year(raw, issue)
        if y is None:
            return None
        if raw.isdigit() and not 1900 <= y <= 2100:
            return None  # 1000年 is a duration far more often than a year
        if len(raw) == 2 and not all(c in CN_DIGIT for c in raw):
            return None
        return _mention(text, start, end, _iso(y), DatePrecision.YEAR, False, DateKind.ABSOLUTE)
    if form == "day":
        if g("d_only"):
            if issue is None:
                return None
            y, mo, d = issue.year, issue.month, int(g("d_only"))
        else:
            mo = int(g("dot_m") or g("md_m"))
            d = int(g("dot_d") or g("md_d"))
            y = _past_year(mo, issue) if issue else None
        if not _valid(y, mo, d):
            return None
        return _mention(
            text, start, end, _iso(y, mo, d), DatePrecision.DAY, issue is not None, DateKind.MONTH_DAY
        )
    if issue is None:
        return None
    if form == "weekday":
        shift = WEEK_SHIFTS.get(g("wk") or "本", 0)
        monday = issue - timedelta(days=issue.weekday())
        day = monday + timedelta(days=7 * shift + WEEKDAYS[g("wd")])
        return _mention(text, start, end, day.isoformat(), DatePrecision.DAY, True, DateKind.RELATIVE)
    if form == "offset":
        n = 0.5 if g("off_n") == "半" else parse_number(g("off_n"))
        if n is None or n != int(n) or n > 999:
            return None
        n = int(n) * (-1 if "前" in g("off_d") else 1)
        unit = OFFSET_UNITS[g("off_u")]
        if unit in ("day", "week"):
            day = issue + timedelta(days=n * (7 if unit == "week" else 1))
            return _mention(text, start, end, day.isoformat(), DatePrecision.DAY, True, DateKind.RELATIVE)
        if unit == "month":
            y, mo = _shift_month(issue.year, issue.month, n)
            return _mention(text, start, end, _iso(y, mo), DatePrecision.MONTH, True, DateKind.RELATIVE)
        return _mention(text, start, end, _iso(issue.year + n), DatePrecision.YEAR, True, DateKind.RELATIVE)
    word = g("rel")
    precision, offset, anchor, blockers = RELATIVE_WORDS[word]
    if start and text[start - 1] in blockers:
        return None
    base = last if anchor == "previous" and last else issue
    if precision == "day":
        return _mention(
            text,
            start,
            end,
            (base + timedelta(days=offset)).isoformat(),
            DatePrecision.DAY,
            True,
            DateKind.RELATIVE,
        )
    if precision == "month":
        y, mo = _shift_month(base.year, base.month, offset)
        return _mention(text, start, end, _iso(y, mo), DatePrecision.MONTH, True, DateKind.RELATIVE)
    return _mention(text, start, end, _iso(base.year + offset), DatePrecision.YEAR, True, DateKind.RELATIVE)


def _as_date(mention: DateMention) -> date | None:
    """Return the calendar day of a day-precision mention with a known year, else None."""
    if mention.precision != DatePrecision.DAY or mention.value.startswith("--"):
        return None
    try:
        return date.fromisoformat(mention.value)
    except ValueError:
        return None


def find_dates(text: str, issue_date: date | None = None) -> list[DateMention]:
    """Find every date expression in ``text``; offsets slice back to ``DateMention.text``."""
    if not text:
        return []
    scan = text.translate(SCAN_TRANSLATION) if RE_NEEDS_TRANSLATION.search(text) else text  # same length
    out: list[DateMention] = []
    last: date | None = None
    pos, n = 0, len(scan)
    digit_at = word_at = -1
    digit_m = word_m = None
    while pos < n:
        if digit_at < pos:
            digit_m = RE_DATE_DIGITS_START.search(scan, pos)
            digit_at = digit_m.start() if digit_m else n
        if word_at < pos:
            word_m = RE_DATE_WORD_START.search(scan, pos)
            word_at = word_m.start() if word_m else n
        start = min(digit_at, word_at)
        if start >= n:
            break
        m = RE_DATE.match(scan, start)
        if m is None or m.end() == m.start():
            pos = start + 1
            continue
        try:
            mention = _resolve(text, m, issue_date, last)
        except (ValueError, OverflowError, KeyError, TypeError):
            mention = None
        if mention is None:
            pos = m.start() + 1
            continue
        out.append(mention)
        day = _as_date(mention)
        if day is not None:
            last = day
        pos = m.end()
    return out


def infer_issue_date(texts: list[str]) -> date | None:
    """Return the issue date a page's texts imply: the latest fully dated day, moved on to the latest
    month–day that falls within 60 days after it (pages report the recent past); None without a full date."""
    full: list[date] = []
    month_days: list[tuple[int, int]] = []
    for t in texts:
        for d in find_dates(t):
            if d.kind == DateKind.ABSOLUTE and d.precision == DatePrecision.DAY:
                day = _as_date(d)
                if day is not None:
                    full.append(day)
            elif d.kind == DateKind.MONTH_DAY and d.value.startswith("--") and len(d.value) == 7:
                month_days.append((int(d.value[2:4]), int(d.value[5:7])))
    if not full:
        return None
    counts = Counter(full)
    latest = max(full)
    # a far-future deadline (2035年前) mentioned once should not move the issue date
    recent = [day for day in full if (latest - day).days <= 366 or counts[day] > 1]
    base = max(recent)
    best = base
    for month, day in month_days:
        for year in (base.year, base.year + 1):
            try:
                candidate = date(year, month, day)
            except ValueError:
                continue
            if 0 < (candidate - base).days <= 60:
                best = max(best, candidate)
    return best
