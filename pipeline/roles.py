"""People's titles and organisations: who holds which post where.

In: an article body and its entities (``pipeline.entities.find_entities``). Out:
``PersonRole`` rows whose ``start``/``end`` span the whole role phrase, from the shapes
- <org><title><name>        嘉兴市总工会副主席高红慧
- <title><name>             国家一级演员张海龙, 记者邹倜然
- <org><title>、<org><title><name>  江苏省人大常委会副主任、省总工会主席魏国强 (one row per post)
- <name><title>             戴文宪教授
- <name>(<title>)           张三(总经理)
``title`` is the post with its modifiers (副主席, 常务副市长, 国家一级演员) but without
the organisation, which goes to ``org`` as the organisation entity's canonical name.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from itertools import accumulate

import regex

from pipeline.lexicons import lexicons
from pipeline.record import Entity, PersonRole

# Modifiers that stand before a title and belong to it (副主席, 常务副市长, 国家一级演员);
# words of time (原, 前, 新任) are not among them: 原副行长 holds the post 副行长.
TITLE_MODIFIERS = tuple(sorted(lexicons().title_modifiers, key=len, reverse=True))


# A post named by its duty and 员 (监测员, 调解员, 质检员): two characters of a job before 员,
# none of them a function word, digit or letter.
GENERIC_MEMBER_TITLE = "(?:(?![的了和与及是在等一个这那其各该本全成人党团会议])[\u4e00-\u9fff]){2}员"


def _title_alternation() -> str:
    """Return a regex alternation of every title, longest first."""
    titles = sorted(lexicons().titles, key=len, reverse=True)
    return "|".join(regex.escape(t) for t in titles)


_MODS = "|".join(regex.escape(m) for m in TITLE_MODIFIERS)
_DOMAINS = "|".join(regex.escape(d) for d in sorted(lexicons().title_domains, key=len, reverse=True))
# A title that ends exactly where a name starts (searched with endpos = the name's start);
# _title_start computes the same match start from sets, much faster, for the role finder.
RE_TITLE_BEFORE = regex.compile(rf"(?:{_DOMAINS})?(?:{_MODS})*(?:{_title_alternation()})\Z", regex.IGNORECASE)
# A <duty>员 post that ends exactly where a name starts, tried when no listed title does: kept
# apart so that the big literal alternation above stays fast.
RE_MEMBER_BEFORE = re.compile(rf"(?:{_DOMAINS})?(?:{_MODS})*{GENERIC_MEMBER_TITLE}\Z")
# A title right after a name (戴文宪教授).
RE_TITLE_AFTER = regex.compile(rf"(?:{_DOMAINS})?(?:{_MODS})*(?:{_title_alternation()})", regex.IGNORECASE)
# A title in brackets right after a name (张三(总经理)).
RE_TITLE_BRACKET = regex.compile(rf"[(（]((?:{_MODS})*(?:{_title_alternation()}))[)）]", regex.IGNORECASE)
# First characters (in every case) of the titles, modifiers and domains: a title after a name
# starts with one of them, so other positions skip the regex match.
TITLE_FIRST_CHARS = frozenset(
    c for w in (*lexicons().titles, *lexicons().title_modifiers, *lexicons().title_domains) for c in {w[0], w[0].lower(), w[0].upper()}
)
# Separators a credit line puts between a title and a name (作者:夏林杰, 摄影记者/吴军).
TITLE_NAME_SEPARATORS = frozenset("：:/／")
# The lengths of the titles ending in each character, in every case: _title_start looks up
# only the titles that can end where the name starts.
TITLE_LENGTHS_BY_LAST: dict[str, set[int]] = {}
for _title in lexicons().titles:
    for _last in {_title[-1], _title[-1].lower(), _title[-1].upper()}:
        TITLE_LENGTHS_BY_LAST.setdefault(_last, set()).add(len(_title))


# How far before a name a title may start: long enough for 国家一级演员, short to stay fast.
TITLE_WINDOW = 14

# The pieces of RE_TITLE_BEFORE as sets, for _title_start (upper-cased: the regex ignores case).
TITLES_UPPER = frozenset(t.upper() for t in lexicons().titles)
MODIFIERS_UPPER = frozenset(m.upper() for m in lexicons().title_modifiers)
DOMAINS_UPPER = frozenset(d.upper() for d in lexicons().title_domains)
MODIFIER_LENGTHS = tuple(sorted({len(m) for m in MODIFIERS_UPPER}))
DOMAIN_LENGTHS = tuple(sorted({len(d) for d in DOMAINS_UPPER}))


def _title_start(text: str, end: int) -> int | None:
    """Return where the title phrase ending at ``end`` starts, as RE_TITLE_BEFORE would find it.

    The regex search is (domain)?(modifier)*(title) anchored at ``end`` and takes the leftmost
    start within TITLE_WINDOW; here the same start comes from a few set lookups (_title_starts).
    """
    seen = _title_starts(text, end)
    return min(seen) if seen else None


def _title_starts(text: str, end: int) -> set[int] | None:
    """Return every start of a title phrase (domain)?(modifier)*(title) that ends at ``end``:
    the titles ending at ``end``, then modifiers before them, then one domain."""
    lo = max(0, end - TITLE_WINDOW)
    reach = []
    for k in TITLE_LENGTHS_BY_LAST.get(text[end - 1], ()):
        s = end - k
        if s >= lo and text[s:end].upper() in TITLES_UPPER:
            reach.append(s)
    if not reach:
        return None
    seen = set(reach)
    todo = list(reach)
    while todo:  # any number of modifiers before the title (常务副)
        pos = todo.pop()
        for k in MODIFIER_LENGTHS:
            s = pos - k
            if s >= lo and s not in seen and text[s:pos].upper() in MODIFIERS_UPPER:
                seen.add(s)
                todo.append(s)
    for pos in list(seen):  # one domain before them (营销 + 总监)
        for k in DOMAIN_LENGTHS:
            s = pos - k
            if s >= lo and text[s:pos].upper() in DOMAINS_UPPER:
                seen.add(s)
    return seen


def _org_before(pos: int, by_end: dict[int, Entity], text: str) -> tuple[int, str] | None:
    """Return (start, name) of an organisation (with a place prefix) that ends at ``pos``."""
    org = by_end.get(pos)
    if org is None and pos >= 1 and text[pos - 1] == "的":
        org = by_end.get(pos - 1)
    if org is None or org.type == "PERSON":
        return None
    start, name = org.start, org.name
    if org.type == "ORG":
        loc = by_end.get(start)
        if loc is not None and loc.type == "LOC" and not name.startswith(loc.name):
            start, name = loc.start, loc.name + name
    return start, name


def _outside_places(starts: set[int], places: tuple[list[int], list[int]]) -> int | None:
    """Return the leftmost of ``starts`` that falls inside no place: a title does not begin in the
    middle of a place's name (法国画家 is 法国 + 画家, not 法 + 国画家). Organisations are not
    asked: their found extent often runs into the title (试点处 + 处长). ``places``: the starts of
    the text's places in order, and the furthest end of the places up to each."""
    place_starts, reach = places
    for s in sorted(starts):
        k = bisect_left(place_starts, s) - 1  # the places that start before s
        if k < 0 or reach[k] <= s:
            return s
    return None


def _roles_before(text: str, person: Entity, by_end: dict[int, Entity], places: tuple[list[int], list[int]]) -> list[PersonRole]:
    """Return the roles written before a name: <org><title>(、<org><title>)* <name>."""
    roles = []
    cursor = person.start
    if cursor >= 1 and text[cursor - 1] in TITLE_NAME_SEPARATORS:
        cursor -= 1  # 作者:夏林杰, 摄影记者/吴军
    while True:
        if cursor == 0:
            break
        starts = _title_starts(text, cursor)
        title_start = _outside_places(starts, places) if starts else None
        if title_start is None and text[cursor - 1] == "员":
            m = RE_MEMBER_BEFORE.search(text, max(0, cursor - TITLE_WINDOW), cursor)  # 监测员潘彤
            title_start = m.start() if m else None
        if title_start is None:
            break  # no title ends right before the name
        org = _org_before(title_start, by_end, text)
        start = org[0] if org else title_start
        roles.append((start, text[title_start:cursor], org[1] if org else None))
        # a list of posts joined by 、 belongs to the same person
        if start >= 1 and text[start - 1] == "、":
            cursor = start - 1
            continue
        break
    if not roles:
        return []
    phrase_start = roles[-1][0]
    return [PersonRole(person.name, title, org, phrase_start, person.end) for (_s, title, org) in roles]


def find_person_roles(text: str, entities: list[Entity]) -> list[PersonRole]:
    """Find people with a title or role (and organisation) in ``text``."""
    by_end = {e.end: e for e in entities}
    person_starts = {e.start for e in entities if e.type == "PERSON"}
    spans = sorted((e.start, e.end) for e in entities if e.type == "LOC")
    places = ([a for a, _ in spans], list(accumulate((b for _, b in spans), max)))
    roles: list[PersonRole] = []
    for person in entities:
        if person.type != "PERSON":
            continue
        found = _roles_before(text, person, by_end, places)
        nxt = text[person.end : person.end + 1]
        m = RE_TITLE_BRACKET.match(text, person.end) if nxt in ("(", "（") else None
        if m is not None:
            found.append(PersonRole(person.name, m.group(1), None, person.start, m.end()))
        elif nxt in TITLE_FIRST_CHARS:
            m = RE_TITLE_AFTER.match(text, person.end)
            # 记者白云通讯员高山: a title followed by another name is that name's title
            if m is not None and m.end() not in person_starts:
                org = _org_before(person.start, by_end, text)
                start = org[0] if org else person.start
                found.append(PersonRole(person.name, m.group(), org[1] if org else None, start, m.end()))
        roles.extend(found)
    return roles
