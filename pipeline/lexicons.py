"""Word lists behind entity and role recognition, loaded once from pipeline/data/lexicons.

Every file starts with ``#`` header lines naming its source; entries are whitespace
separated. ``## section`` lines split a file into named parts.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipeline.datafiles import read_sections, read_table

# Administrative suffixes stripped to get the short form of a place (浙江省 -> 浙江).
PLACE_SUFFIXES = (
    "特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县", "自治旗",
    "地区", "新区", "林区", "矿区", "省", "市", "县", "区", "盟", "旗", "州",
)


def _sections(name: str) -> dict[str, tuple[str, ...]]:
    """Read a lexicon file into its ``## section`` parts (the first part is ``""``)."""
    return read_sections(f"lexicons/{name}")


def _words(name: str) -> frozenset[str]:
    """Read every entry of a lexicon file."""
    return frozenset(w for ws in _sections(name).values() for w in ws)


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    level: str  # province / city / county / country / region
    province: str
    city: str


def _short_place(name: str) -> str | None:
    """Return the short form of an administrative name (浙江省 -> 浙江), if it has one."""
    for suffix in PLACE_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            stem = name[: -len(suffix)]
            # minority-autonomy names keep their place part only (延边朝鲜族 -> 延边)
            if stem.endswith("族") and "族" in stem:
                stem = stem[: stem.find("族") - 1] if stem.find("族") >= 3 else stem
            return stem if len(stem) >= 2 else None
    return None


@dataclass(frozen=True, slots=True)
class Lexicons:
    surnames: frozenset[str]
    compound_surnames: frozenset[str]
    common_surnames: frozenset[str]  # the about 100 most frequent ones
    compound_first: frozenset[str]  # first characters of compound surnames
    titles: frozenset[str]
    group_nouns: frozenset[str]
    title_domains: frozenset[str]
    title_modifiers: frozenset[str]
    org_suffixes: tuple[str, ...]  # longest first
    org_suffix_set: frozenset[str]
    org_suffix_max: int
    org_suffix_last: frozenset[str]  # last characters of suffixes: a cheap first test
    title_last: frozenset[str]
    orgs_known: frozenset[str]
    places: dict  # name or short form -> Place
    place_full: frozenset[str]  # names as written with their administrative suffix
    country_abbrev: frozenset[str]
    any_abbrev: frozenset[str]
    abbrev_compounds: frozenset[str]
    place_prefixes: frozenset[str]  # first two characters of every place: a cheap first test
    province_abbrev: frozenset[str]
    speech_verbs: frozenset[str]
    not_names: frozenset[str]
    not_places: frozenset[str]
    honorifics: frozenset[str]
    place_heads: frozenset[str]
    abbrev_heads: frozenset[str]
    not_orgs: frozenset[str]
    org_chain_stops: frozenset[str]  # verbs jieba tags as nouns: never inside an organisation name
    loc_admin: frozenset[str]
    loc_suffixes: frozenset[str]  # admin units, landforms and facilities
    translit_chars: frozenset[str]
    translit_dotted: frozenset[str]  # also trusted next to a middle dot only (马克思·卢布里克)
    japanese_surnames: frozenset[str]
    eponyms: tuple[tuple[str, tuple[tuple[int, int], ...]], ...]  # 尤伯杯 -> ((0, 2),): the person parts


@cache  # loaded once; unbounded, so a call is one dict lookup (hot paths call these)
def lexicons() -> Lexicons:
    """Load every lexicon once."""
    sur = _sections("surnames.txt")
    places: dict[str, Place] = {}
    full: set[str] = set()
    for row in read_table("lexicons/places_cn.tsv"):
        name, level, province, city = (*row, "", "", "")[:4]
        place = Place(name, level, province, city)
        full.add(name)
        places.setdefault(name, place)
        short = _short_place(name)
        # county short forms are often ordinary words (和平区 -> 和平): keep province/city ones
        if short and level in ("province", "city"):
            places.setdefault(short, place)
    for name in _words("countries.txt"):
        places.setdefault(name, Place(name, "country", "", ""))
        full.add(name)
    abbrev = _sections("place_abbrev.txt")
    context = _sections("context_words.txt")
    return Lexicons(
        surnames=frozenset(sur[""] + sur.get("common", ())),
        common_surnames=frozenset(sur.get("common", ())),
        compound_surnames=frozenset(sur.get("compound", ())),
        compound_first=frozenset(w[0] for w in sur.get("compound", ())),
        titles=_titles(),
        group_nouns=frozenset(_sections("titles.txt").get("group", ())),
        title_domains=frozenset(_sections("titles.txt").get("domain", ())),
        title_modifiers=frozenset(_sections("titles.txt").get("modifier", ())),
        org_suffixes=tuple(sorted(_words("org_suffixes.txt"), key=len, reverse=True)),
        org_suffix_set=_words("org_suffixes.txt"),
        org_suffix_max=max(map(len, _words("org_suffixes.txt"))),
        org_suffix_last=frozenset(w[-1] for w in _words("org_suffixes.txt")),
        title_last=frozenset(w[-1] for w in _titles()),
        orgs_known=_words("orgs_known.txt"),
        places=places,
        place_full=frozenset(full),
        country_abbrev=frozenset(abbrev.get("country", ())),
        any_abbrev=frozenset(abbrev.get("country", ()) + abbrev.get("province", ())),
        abbrev_compounds=frozenset(abbrev.get("compound", ())),
        place_prefixes=frozenset(p[:2] for p in places),
        province_abbrev=frozenset(abbrev.get("province", ())),
        speech_verbs=_words("speech_verbs.txt"),
        not_names=_words("not_names.txt"),
        not_places=_words("not_places.txt"),
        honorifics=frozenset(context["honorific"]),
        place_heads=frozenset(context["place_head"]),
        abbrev_heads=frozenset(context["abbrev_head"]),
        not_orgs=frozenset(context["not_org"]),
        org_chain_stops=frozenset(context["org_chain_stop"]),
        loc_admin=frozenset(_sections("loc_suffixes.txt").get("admin", ())),
        loc_suffixes=_words("loc_suffixes.txt"),
        translit_chars=frozenset("".join(_sections("translit_chars.txt")[""])),
        translit_dotted=frozenset("".join(_sections("translit_chars.txt")[""] + _sections("translit_chars.txt").get("dotted", ()))),
        japanese_surnames=_words("japanese_surnames.txt"),
        eponyms=tuple(_eponym(w) for w in _words("eponyms.txt")),
    )


# The heads a ministry's portfolio is fused with to make its minister's title (国防部长, 外务大臣).
MINISTER_HEADS = ("部长", "大臣")


def _titles() -> frozenset[str]:
    """Return the titles of titles.txt and the ministers' titles composed from its portfolios."""
    sections = _sections("titles.txt")
    return frozenset(sections[""]) | {p + h for p in sections.get("portfolio", ()) for h in MINISTER_HEADS}


def _eponym(entry: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Read ``[汤][尤]杯`` into the written form 汤尤杯 and the spans of its eponyms."""
    surface, spans, start = "", [], None
    for ch in entry:
        if ch == "[":
            start = len(surface)
        elif ch == "]":
            spans.append((start, len(surface)))
        else:
            surface += ch
    return surface, tuple(spans)


@cache  # loaded once; unbounded, so a call is one dict lookup (hot paths call these)
def _jieba_dictionary() -> tuple[dict[str, int], frozenset[str], dict[str, int]]:
    """Read jieba's dict.txt once: ordinary 2-3 character words, name-tagged words, char counts.

    jieba is a dependency; its dictionary tells an ordinary word (纪念, 安全) from a name
    part and how common each character is in general text. Empty when the file is missing,
    which only weakens the name filters.
    """
    import importlib.util

    spec = importlib.util.find_spec("jieba")
    path = Path(spec.submodule_search_locations[0]) / "dict.txt" if spec and spec.submodule_search_locations else None
    words: dict[str, int] = {}
    names: set[str] = set()
    chars: dict[str, int] = {}
    if path is None or not path.exists():
        return words, frozenset(names), chars
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) != 3:
                continue
            word, freq, tag = parts[0], int(parts[1]), parts[2]
            if tag.startswith("nr"):
                names.add(word)
                continue
            if 2 <= len(word) <= 3:
                words[word] = freq
            for ch in word:
                chars[ch] = chars.get(ch, 0) + freq
    return words, frozenset(names), chars


@cache
def common_words() -> dict[str, int]:
    """Return jieba's dictionary words of 2-3 characters not tagged as names, with frequency."""
    return _jieba_dictionary()[0]


@cache
def jieba_name_words() -> frozenset[str]:
    """Return jieba's dictionary words tagged as names (nr/nrfg/nrt): many are ordinary words."""
    return _jieba_dictionary()[1]


@cache  # loaded once; unbounded, so a call is one dict lookup (hot paths call these)
def name_char_scores() -> dict[str, float]:
    """Return log(P(char in a given name) / P(char in general text)) for every known character.

    Given-name counts come from ngender's table (given_name_chars.tsv), general counts from
    jieba's dictionary; a positive score means the character is typical of names.
    """
    import math

    name_counts: dict[str, int] = {}
    for ch, count in read_table("lexicons/given_name_chars.tsv"):
        name_counts[ch] = int(count)
    general = _jieba_dictionary()[2]
    name_total = sum(name_counts.values()) or 1
    general_total = sum(general.values()) or 1
    scores = {}
    for ch in set(name_counts) | set(general):
        p_name = (name_counts.get(ch, 0) + 0.5) / name_total
        p_general = (general.get(ch, 0) + 50) / general_total
        scores[ch] = math.log(p_name / p_general)
    return scores
