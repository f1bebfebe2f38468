"""Chinese and Arabic numerals -> numbers.

In: one string that is (supposedly) a numeral as a whole: ``一百二十三``, ``1.72亿``, ``两千六``, ``壹拾壹元整``.
Out: its value as a ``float``, or ``None`` when the string is not a valid numeral in the chosen mode.

Modes (named after cn2an's, whose test cases measure them):

- ``strict``: written numerals as in formal text and cheques: canonical place structure (零 exactly where a
  place is skipped), no 两/〇, no digit-by-digit reading, no abbreviations (三万五), no Arabic digits; a
  currency amount in 大写 ends with 整/正 or 角/分 (the cheque-writing rule).
- ``normal``: also the colloquial forms: 两, 〇, digit-by-digit (一七二零), abbreviations (三万五, 两千六,
  百二万), missing or superfluous 零, trailing zeros after the point; Chinese characters only.
- ``smart`` (default): also Arabic digits mixed with Chinese scales (100万, 1万600, 一百点123), thousands
  separators (34,567), SI letters after Arabic numbers (100k, 3M, .0012G), fractions (五分之一, the
  Cantonese 十份十一 and 二份一, mixed 一又二分之一) and halves (半, 一半).

The word tables (digits, places, scales, SI letters) are data files in ``pipeline/data/numbers``.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from pipeline import datafiles

STRICT, NORMAL, SMART = "strict", "normal", "smart"


def read_table(name: str) -> tuple[tuple[str, ...], ...]:
    """Read a tab-separated data file of ``pipeline/data/numbers/``."""
    return datafiles.read_table(f"numbers/{name}")


DIGITS: dict[str, int] = {}
STRICT_DIGITS: set[str] = set()
for _char, _value, _modes in read_table("digits.tsv"):
    DIGITS[_char] = int(_value)
    if _modes == "strict":
        STRICT_DIGITS.add(_char)
ZERO_CHARS = frozenset(c for c, v in DIGITS.items() if v == 0)

PLACES: dict[str, int] = {}
GROUPS: dict[str, int] = {}
CONTRACTIONS: dict[str, str] = {}
for _char, _value, _kind in read_table("scales.tsv"):
    if _kind == "place":
        PLACES[_char] = int(_value)
    elif _kind == "group":
        GROUPS[_char] = int(_value)
    else:
        CONTRACTIONS[_char] = _value

SI_LETTERS: dict[str, int] = {}
SI_TEXT_LETTERS: dict[str, int] = {}
for _char, _value, _context in read_table("si_suffixes.tsv"):
    SI_LETTERS[_char] = int(_value)
    if _context == "text":
        SI_TEXT_LETTERS[_char] = int(_value)

#: every character that can appear inside a Chinese numeral (digits, places, groups, contractions)
CN_NUMERAL_CHARS = "".join(DIGITS) + "".join(PLACES) + "".join(GROUPS) + "".join(CONTRACTIONS)
POINT_CHARS = "点點."
SIGN_CHARS = "负負-−－"

FULLWIDTH = str.maketrans("０１２３４５６７８９．，－＋％", "0123456789.,-+%")

# why: thousands separators are removed only when they group exactly three digits (34,567 / 82，225.00)
RE_THOUSANDS = re.compile(r"(?<=\d)[,，](?=\d{3}(?:\D|$))")
# why: plain Arabic numbers (most numbers in news text) skip the general parser
RE_PLAIN_ARABIC = re.compile(r"[0-9]+(?:\.[0-9]+)?")
# why: an Arabic integer run inside a numeral (100万, 1万600) is one token
RE_ARABIC_RUN = re.compile(r"\d+")
# why: amounts in 元/角/分 (壹拾壹元整, 玖仟陆佰陆拾伍圆壹角捌分) are split into their parts before parsing
RE_YUAN_AMOUNT = re.compile(
    r"(?P<yuan>.+?)[元圆](?:(?P<jiao>[^角分]+)角)?(?:(?P<fen>[^角分]+)分)?(?P<whole>[整正])?"
)
# why: 五分之一 / 百分之五十 style fractions (denominator before 分之)
RE_FRACTION = re.compile(r"(?P<den>.+?)分之(?P<num>.+)")
# why: Cantonese fractions without 之 (十份十一 = 11/10, 二份一 = 1/2); only for whole strings
RE_CANTONESE_FRACTION = re.compile(r"(?P<den>[^份分]+)[份分](?P<num>[^份分之]+)")
# why: mixed numbers 一又二分之一
RE_MIXED = re.compile(r"(?P<whole>[^又]+)又(?P<part>[^又]+)")
# why: a half on its own (半, 一半, 1半)
RE_HALF = re.compile(r"(?:[一1壹])?半")


def expand_contractions(s: str) -> str:
    """Replace 廿/卅/卌 by 二十/三十/四十."""
    for short, full in CONTRACTIONS.items():
        if short in s:
            s = s.replace(short, full)
    return s


def _tokens(s: str, mode: str) -> list[tuple[str, int]] | None:
    """Split an integer numeral into (kind, value) tokens; None on a character that has no place here."""
    out: list[tuple[str, int]] = []
    i, n = 0, len(s)
    while i < n:
        c = s[i]
        if c.isdigit() and c.isascii():
            if mode != SMART:
                return None
            m = RE_ARABIC_RUN.match(s, i)
            out.append(("arabic", int(m.group())))
            i = m.end()
            continue
        if c in DIGITS:
            if mode == STRICT and c not in STRICT_DIGITS:
                return None
            v = DIGITS[c]
            out.append(("zero", 0) if v == 0 else ("digit", v))
        elif c in PLACES:
            out.append(("place", PLACES[c]))
        elif c in GROUPS:
            out.append(("group", GROUPS[c]))
        else:
            return None
        i += 1
    return out


def parse_integer(s: str, mode: str = SMART) -> int | None:
    """Return the value of an integer numeral (no sign, no point), or None when invalid in ``mode``."""
    toks = _tokens(s, mode)
    if not toks:
        return None
    kinds = {k for k, _ in toks}
    if kinds <= {"digit", "zero", "arabic"}:
        if len(toks) == 1:
            return toks[0][1]
        if mode == STRICT or "arabic" in kinds:
            return None
        return int("".join(str(v) for _, v in toks))  # digit by digit: 一七二零
    strict = mode == STRICT
    total = 0
    section = 0
    pending: int | None = None
    pending_arabic = False
    zero_seen = False
    last_place: int | None = None  # last place (10/100/1000) used in the current section
    last_group: int | None = None  # last group (万/亿) used
    prev_kind: str | None = None
    prev_scale = 0  # value of the scale token just before the pending digit
    after_group = False  # the current section follows a 万/亿
    first_in_section = True

    for kind, v in toks:
        if kind in ("digit", "arabic"):
            if pending is not None:
                return None  # two digits in a row inside a positional numeral (十三五)
            pending, pending_arabic = v, kind == "arabic"
            prev_scale = (
                0
                if zero_seen
                else (last_place or 0)
                if prev_kind == "place"
                else (last_group or 0)
                if prev_kind == "group"
                else 0
            )
        elif kind == "zero":
            if pending is not None:
                return None
            zero_seen = True
        elif kind == "place":
            if pending is None:
                if prev_kind is None:
                    if strict and v != 10:
                        return None  # 百十一
                elif not zero_seen and strict:
                    return None  # 一百十一
                pending = 1
            if last_place is not None and v >= last_place:
                return None  # 十一十二
            if strict:
                if last_place is not None:
                    if zero_seen and v >= last_place // 10:
                        return None
                    if not zero_seen and v != last_place // 10:
                        return None  # 一千一十
                elif after_group and first_in_section:
                    if zero_seen and v >= 1000:
                        return None  # 十万零一千
                    if not zero_seen and v != 1000:
                        return None
            section += pending * v
            last_place, pending, pending_arabic, zero_seen = v, None, False, False
            first_in_section = False
        else:  # group
            if pending is None and section == 0:
                if prev_kind is None:
                    if strict:
                        return None
                    section = 1  # 萬九
                elif prev_kind != "group":
                    return None
            if pending is not None:
                if (
                    prev_kind == "digit"
                    and not pending_arabic
                    and prev_scale > 10
                    and last_place == prev_scale
                ):
                    if strict:
                        return None
                    section += pending * prev_scale // 10  # 百二万
                else:
                    if strict and after_group and first_in_section and not zero_seen:
                        return None  # 一亿五万
                    section += pending
            if strict and zero_seen and section == 0:
                return None
            value = section
            if prev_kind == "group" and section == 0:
                total *= v  # 千万亿: the groups multiply
            elif last_group is not None and last_group < v:
                total = (total + value) * v
            else:
                total += value * v
            last_group = v
            section, pending, pending_arabic, zero_seen, last_place = 0, None, False, False, None
            after_group, first_in_section = True, True
        prev_kind = kind if kind != "arabic" else "digit"
    if zero_seen and pending is None:
        return None  # a trailing 零
    if pending is not None:
        if pending_arabic or zero_seen or prev_scale == 0:
            if strict and not zero_seen and after_group and first_in_section and last_place is None:
                return None  # 一万一 is an abbreviation, 一万零一 is canonical
            if strict and zero_seen and last_place == 10:
                return None
            section += pending
        elif prev_scale == 10:
            section += pending
        else:
            if strict:
                return None  # 三万五 / 一百二
            section += pending * prev_scale // 10
    return total + section


def _digit_string(s: str, mode: str) -> str | None:
    """Return the decimal digits of a fractional part (一三四 -> '134'), or None."""
    out = []
    for c in s:
        if c.isdigit() and c.isascii():
            if mode != SMART:
                return None
            out.append(c)
        elif c in DIGITS:
            if mode == STRICT and c not in STRICT_DIGITS:
                return None
            out.append(str(DIGITS[c]))
        else:
            return None
    return "".join(out)


def _scale_product(s: str) -> int | None:
    """Return the product of a run of scale characters (千万 -> 10**7), or None."""
    product = 1
    for c in s:
        if c in PLACES:
            product *= PLACES[c]
        elif c in GROUPS:
            product *= GROUPS[c]
        else:
            return None
    return product


def parse_decimal(s: str, mode: str = SMART) -> Decimal | None:
    """Return the exact value of an unsigned numeral as a ``Decimal``, or None."""
    if not s:
        return None
    points = [i for i, c in enumerate(s) if c in POINT_CHARS]
    if len(points) > 1:
        return None
    if not points:
        v = parse_integer(s, mode)
        return None if v is None else Decimal(v)
    p = points[0]
    int_part, rest = s[:p], s[p + 1 :]
    if s[p] == "." and mode != SMART:
        return None
    k = 0
    while k < len(rest) and (rest[k] in DIGITS or (rest[k].isdigit() and rest[k].isascii())):
        k += 1
    frac, tail = rest[:k], rest[k:]
    digits = _digit_string(frac, mode) if frac else None
    if not digits:
        return None
    if mode == STRICT and digits.endswith("0"):
        return None  # 零点零 / 负零点一零
    if int_part:
        whole = parse_integer(int_part, mode)
    elif mode == SMART and s[p] == "." and frac.isascii():
        whole = 0  # .77
    else:
        whole = None
    if whole is None:
        return None
    value = Decimal(whole) + Decimal("0." + digits)
    if tail:
        if mode == STRICT:
            return None
        scale = _scale_product(tail)
        if scale is None:
            return None
        value *= scale
    return value


def _parse_yuan(s: str, mode: str) -> Decimal | None:
    """Return the value of a 元/角/分 amount written as a numeral, or None."""
    m = RE_YUAN_AMOUNT.fullmatch(s)
    if not m:
        return None
    yuan = parse_decimal(m.group("yuan"), mode)
    if yuan is None:
        return None
    value = yuan
    for key, factor in (("jiao", Decimal("0.1")), ("fen", Decimal("0.01"))):
        part = m.group(key)
        if part is not None:
            d = parse_decimal(part, mode)
            if d is None or d >= 10:
                return None
            value += d * factor
    if mode == STRICT and not (m.group("whole") or m.group("jiao") or m.group("fen")):
        return None  # cheque rule: 壹拾壹元 must end with 整
    return value


def parse_exact(s: str, mode: str = SMART) -> Decimal | None:
    """Return the exact value of a numeral string as a ``Decimal``, or None when it is not one."""
    if not s:
        return None
    if mode == SMART and RE_PLAIN_ARABIC.fullmatch(s):
        return Decimal(s)  # the common case: 2021, 35.94
    s = expand_contractions(s.strip().translate(FULLWIDTH))
    negative = False
    if s and s[0] in SIGN_CHARS:
        negative, s = True, s[1:]
        if mode == SMART:
            s = s.lstrip(" ")
    if not s:
        return None
    if mode == SMART:
        s = RE_THOUSANDS.sub("", s)
    value = parse_decimal(s, mode)
    if value is None and ("元" in s or "圆" in s):
        value = _parse_yuan(s, mode)
    if value is None and mode == SMART:
        value = _parse_smart_extras(s)
    if value is None:
        return None
    return -value if negative else value


def _parse_smart_extras(s: str) -> Decimal | None:
    """Return the value of SI-suffixed numbers, fractions and halves, or None."""
    if s[-1] in SI_LETTERS and len(s) > 1 and (s[-2].isdigit() or s[-2] in POINT_CHARS):
        base = parse_decimal(s[:-1], SMART)
        return None if base is None else base * SI_LETTERS[s[-1]]
    if RE_HALF.fullmatch(s):
        return Decimal("0.5")
    m = RE_MIXED.fullmatch(s)
    if m:
        whole, part = parse_decimal(m.group("whole"), SMART), parse_exact(m.group("part"), SMART)
        return None if whole is None or part is None else whole + part
    m = RE_FRACTION.fullmatch(s) or RE_CANTONESE_FRACTION.fullmatch(s)
    if m:
        den, num = parse_decimal(m.group("den"), SMART), parse_decimal(m.group("num"), SMART)
        if den is None or num is None or den == 0:
            return None
        return num / den
    return None


def parse_number(s: str, mode: str = SMART) -> float | None:
    """Return the value of the numeral ``s`` (Chinese, Arabic or mixed), or None when it is not one."""
    try:
        value = parse_exact(s, mode)
    except (InvalidOperation, ValueError, ArithmeticError):
        return None
    return None if value is None else float(value)


def magnitude_step(value: Decimal) -> Decimal:
    """Return the place of the last non-zero digit of ``value`` (50 -> 10, 3000 -> 1000, 1.5 -> 0.1)."""
    if value == 0:
        return Decimal(1)
    exponent = value.normalize().as_tuple().exponent
    return Decimal(1).scaleb(exponent)
