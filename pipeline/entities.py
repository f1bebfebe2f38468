"""People, organisations and places with exact spans and canonical names.

In: one article body and its jieba tokens (``pipeline.segment.segment``), optionally what
earlier articles of the page taught us (``PageContext``). Out: ``Entity`` records whose
``text[start:end] == text`` and whose ``name`` is the canonical form.

jieba's POS tags are one signal among several. Candidates come from
- people: jieba ``nr`` tokens checked against surname shapes, a given-name likelihood
  (characters typical of names vs of text: ngender's name table against jieba's
  dictionary) and lists of ordinary words that are never names; split names rejoined
  (邹倜 + 然); names after a title word or byline role, before a speech verb or a title,
  listed next to a name; a surname before a title or honorific (江主席 -> 江);
  transliterated foreign names (a character table, dots and dashes); credited names of
  the page; and, on the characters where jieba cuts names badly, a surname + 1-2 name
  characters right after a title or at a clause start before a speech verb (政委高云江说),
  Japanese surnames before a title or speech verb (桥本首相), whole dotted
  transliterations (彼得·皮奥) and name-shaped items listed with 、 next to a found name;
  names right before a title after a clause start or a function word (，周恩来总理,
  托项市长); names before subject adverbs at a clause start (郑全军又安排); three-character
  names jieba's dictionary lists as nouns, time words or numerals (周恩来/t, 许立群/m) when
  their halves are no frequent words; function words jieba glued before a name (但葛菲);
  names jieba cut before their last character when a boundary follows it (李培之同志);
  老/小 + surname (老于的女儿 -> 于); the person a trophy or prize is named after (尤伯杯 ->
  尤伯, 汤尤杯 -> 汤, 尤); reporters in a dateline's byline (电记者刘正学、果永毅报道);
  further mentions of a name the text already vouched for. jieba's name tags alone are
  doubted where its dictionary or model often errs: a transliteration that names a thing
  (费加罗报, 一部桑塔纳, 科普一条街), a two-character model "name" or a three-character
  dictionary "name" of a surname outside the ~100 most frequent ones without name-typical
  characters or context (储洪, 双良, 乌龙球);
- places: also two country abbreviations before a bilateral word (中韩建交, 巴以谈判),
  one-character abbreviations jieba tags j/ns (俄将…), villages and towns (下叔村, 甘棠镇)
  and bodies of the solar system (地球, 月球); jieba ns tokens need a place ending, a
  transliteration or a dictionary entry (蒙上, 上同 are glued characters);
- places: a real administrative-division list (cpca) with short forms, country, region
  and world-city names, jieba ``ns`` tokens that are not frequent ordinary words,
  <proper name> + <place word> (维也纳市, 虹口体育馆: venues count as places), datelines
  (新华社北京5月6日电), one-character abbreviations in fixed shapes (中美, 访华, 俄方);
- organisations: a suffix grammar (<place or proper noun> … <总工会 / 公司 / 局 …>,
  quoted parts and inner verbs allowed), organisations fused with a title (外交部长 ->
  外交部, 芬兰农林 + 部长 -> 芬兰农林部), well-known names, jieba ``nt`` tokens with a
  place at the start or a suffix at the end (党政机关 is no organisation), newspaper
  abbreviations (嘉兴市总, 省总).
Overlaps are resolved longest-first (trusted sources first on ties), so a place inside an
organisation name is part of it. Canonical names: 嘉兴市总 -> 嘉兴市总工会, 省总工会 -> the
province named earlier, a shorter name -> the longer one given earlier on the page
(白银市总工会 -> 甘肃省白银市总工会), a bare surname with a title -> the full name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress
from operator import itemgetter

import regex

from pipeline import roles
from pipeline.datafiles import read_sections
from pipeline.lexicons import common_words, jieba_name_words, lexicons, name_char_scores
from pipeline.record import Credit, Entity, PersonRole, Tokens

# Cue words and characters of the rules below, one section per set, with examples
_CUES = read_sections("lexicons/entity_cues.txt")

# A run of Chinese characters (the shapes of names are checked on these only).
RE_HAN = regex.compile(r"^\p{Han}+$")
# A Latin-script personal name right after a title (导演James Cameron): capitalised or
# lower-cased words joined by a space or dot, at most four of them.
RE_LATIN_NAME = regex.compile(r"[A-Za-z][A-Za-z]+(?:[ .·•][A-Za-z][A-Za-z]+){0,3}(?![A-Za-z0-9])")
# A dateline: the agency or paper, the place the story was filed from, the date, 电/讯
# (新华社北京5月6日电, 本报波恩5月25日讯). The place is found by this shape alone.
RE_DATELINE = regex.compile(r"(?:新华社|中新社|本报|人民日报)(\p{Han}{2,6}?)(?:[0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})月(?:[0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})日(?:电|讯)")
# The session number of a congress or committee (第二届, 六届), part of its name.
RE_SESSION = regex.compile(r"^第?[一二三四五六七八九十百0-9０-９]+届$")
# Direction words ending in 部 (中南部, 东北部): parts of a region, not departments.
RE_DIRECTION = regex.compile(r"^[东南西北中大内外全上下]+部$")
# Transliterated foreign names join their parts with a middle dot or dash.
RE_FOREIGN_JOIN = regex.compile(r"^[·•・．\-—－]$")

class _MemoDict(dict):
    """key -> compute(key), filled on first sight: word-level tests recur across articles, and
    a hit is one C-level dict lookup where the regex call costs much more."""

    def __init__(self, compute, limit: int = 1_000_000):
        super().__init__()
        self.compute = compute
        self.limit = limit

    def __missing__(self, key):
        if len(self) > self.limit:
            self.clear()  # bound the memory on endless unusual input
        value = self[key] = self.compute(key)
        return value


def _memoised(compute):
    """Memoise a pure function of one string: calls become dict lookups (a hit costs far less
    than an lru_cache call, which also reorders its list); at most 65,536 entries are kept."""
    return _MemoDict(compute, limit=1 << 16).__getitem__


# Whole-string shape tests of RE_HAN, RE_SESSION, RE_DIRECTION and RE_FOREIGN_JOIN, memoised.
IS_HAN = _MemoDict(lambda s: RE_HAN.match(s) is not None)
IS_SESSION = _MemoDict(lambda s: RE_SESSION.match(s) is not None)
IS_DIRECTION = _MemoDict(lambda s: RE_DIRECTION.match(s) is not None)
IS_FOREIGN_JOIN = _MemoDict(lambda s: RE_FOREIGN_JOIN.match(s) is not None)


NR_TAGS = frozenset({"nr", "nrfg", "nrt"})
# Proper-noun tags: a dictionary word with one of them after a title may well be a name (记者江建国/ns).
PROPER_NAME_TAGS = frozenset({"nr", "nrfg", "nrt", "ns", "nz"})
# Function-word and punctuation tags: never inside a name.
FUNCTION_TAGS = frozenset({"x", "m", "mq", "p", "c", "u", "uj", "ul", "uz", "uv", "ud", "ug", "y", "e", "o", "r", "d", "eng", "f", "t", "q", "v"})
# POS tags that never belong to a name part (punctuation, numbers, function words).
NON_NAME_TAGS = frozenset({"x", "m", "mq", "p", "c", "u", "uj", "ul", "uz", "uv", "ud", "ug", "y", "e", "o", "r", "rr", "rz", "q", "f", "t", "eng", "k", "h"})
STOP_CHARS = frozenset(_CUES["stop_chars"])
# Honorifics and kinship words after a surname: the surname alone is the person (王先生 -> 王).
HONORIFIC_SET = lexicons().honorifics
NAME_TAILS = _CUES["name_tails"]
# Generic heads after a place that keep the place a LOC (法国人, 日本政府, 中英两国).
PLACE_HEADS = lexicons().place_heads
ABBREV_VERBS = frozenset(_CUES["abbrev_verbs"])
ABBREV_AFTER_VERB = frozenset(_CUES["abbrev_after_verb"])
ABBREV_VERBS_WORDS = frozenset(_CUES["abbrev_verbs_words"])
# Words after a one-character abbreviation that make it a country (俄政府, 中方).
ABBREV_HEADS = lexicons().abbrev_heads
# Tags that end an organisation name chain (function words, verbs, numbers, time).
CHAIN_BREAK_TAGS = frozenset({"x", "uj", "p", "c", "d", "r", "v", "m", "q", "f", "t", "u", "ul", "y", "ad", "vd", "df", "dg", "z", "e", "o", "uz", "uv", "ud", "ug"})
# Tags of a proper name that a place word can follow (维也纳市, 塔科马市, 巴达赫尚省).
LOC_CHAIN_PROPER = frozenset({"ns", "nz", "nr", "nrt", "nrfg", "j"})
# Quotes and title marks that may enclose part of an organisation name.
CLOSERS = {"》": "《", "”": "“", "」": "「"}
OPENERS = frozenset(CLOSERS.values())
CHINESE_NUMERALS = frozenset(_CUES["chinese_numerals"])
HEAD_CHARS = frozenset(_CUES["head_chars"])
# Tags of proper nouns: an organisation name chain must contain one.
PROPER_TAGS = frozenset({"ns", "nt", "nz", "j", "nrt", "eng", "nr"})
CHAIN_STOP = frozenset(_CUES["chain_stop"])
ORG_HEADS = frozenset(_CUES["org_heads"])
# Common words that end in an organisation suffix character but name no organisation.
NOT_ORGS = lexicons().not_orgs
FAMILIAR_PREFIXES = frozenset(_CUES["familiar_prefixes"])
ADMIN_TAIL_CHARS = frozenset(_CUES["admin_tail_chars"])
PLACE_TAIL_CHARS = frozenset(_CUES["place_tail_chars"])
FUSED_TITLES = frozenset(_CUES["fused_titles"])
FUSED_TITLE_TAILS = frozenset(t[-2:] for t in FUSED_TITLES)
# POS tags of tokens that no place rule applies to (verbs, particles, punctuation, numbers).
PLACE_SKIP_POS = frozenset({"v", "vn", "x", "uj", "ul", "uz", "uv", "ud", "ug", "u", "d", "p", "c", "r", "m", "mq", "q", "a", "ad", "y", "t", "f", "l", "i", "eng", "zg"})
# Frequency above which a "given name" is so common a word that the whole is one (阵雨).
COMMON_GIVEN_FREQ = 1000
# Mean name-likelihood (log ratio) below which a jieba name token is an ordinary word.
MIN_NAME_SCORE = 0.0
MIN_OOV_NAME_SCORE = -1.0
# The same for a three-character name jieba built itself (黄小目, 朱来常): the surname and two
# more characters read as one name by jieba's model is better evidence than two characters.
MIN_OOV_NAME_SCORE_3 = -2.0
# jieba-dictionary frequency above which an ns token outside the gazetteer is an ordinary word (普及, 回国).
COMMON_PLACE_FREQ = 300
# Below this dictionary frequency an ns word with no place ending is too rare to trust (蒙上, 昔者).
RARE_PLACE_FREQ = 10
# Mean name-likelihood that lets a name after a title end without a clear boundary.
STRONG_NAME_SCORE = 1.0
# Name-likelihood a three-character dictionary noun needs after a title to count as a name.
DICT_NAME_SCORE = -1.0
# Name-likelihood a two-character dictionary "name" needs to count as a name (李鹏, not 普惠).
TWO_CHAR_NAME_SCORE = 5.0
# Mean name-likelihood a three-character dictionary "name" of a rarer surname needs without
# context (俞平伯 2.0, not 乌龙球 1.0 or 双刃剑 0.1).
RARE_DICT_NAME_SCORE = 1.2
GLUED_CHARS = frozenset(_CUES["glued_chars"])
EVENT_TAIL_CHARS = frozenset(_CUES["event_tail_chars"])
# Mean given-name likelihood of the two characters after a surname jieba tagged as a name on
# its own (袁/nr + 步兵, 蒋/nr + 天才): the tag is evidence, the given name may be a word.
SPLIT_GIVEN_SCORE = -1.5
# Mean name-likelihood above which surname + characters cut apart by jieba form a name.
SHAPE_NAME_SCORE = 1.0
FOREIGN_PLACE_NEXT = frozenset(_CUES["foreign_place_next"])
FOREIGN_ORG_NEXT = frozenset(_CUES["foreign_org_next"])
FOREIGN_PLACE_PREV = frozenset(_CUES["foreign_place_prev"])
FOREIGN_PLACE_PREV_CHARS = frozenset(_CUES["foreign_place_prev_chars"])
# Separators between a credited role and the name (摄影记者/吴军, 作者:夏林杰).
CREDIT_SEPARATORS = frozenset({"/", "／", ":", "："})
BOUNDARY_FIRST_CHARS = frozenset(_CUES["boundary_first_chars"])
NAME_GROUP_WORDS = frozenset(_CUES["name_group_words"])
DOCTRINE_TAILS = frozenset(_CUES["doctrine_tails"])
# Separators of a list of names (陈毛弟、刘谦; 王若飞和李培之).
LIST_SEPARATORS = frozenset({"、", "和", "与", "及", ",", "，", "／", "/"})  # 葛菲／顾俊: a doubles pair
LEAD_GLUE_CHARS = frozenset(_CUES["lead_glue_chars"])
# Tags under which jieba's dictionary lists some three-character names (周恩来/t, 许立群/m).
NAME_WORD_TAGS = frozenset({"n", "nz", "t", "m"})
# Tags of tokens where no person rule starts (punctuation, numbers, particles, adverbs).
PERSON_SKIP_TAGS = frozenset({"x", "uj", "ul", "uz", "uv", "ud", "ug", "u", "m", "mq", "d", "p", "c", "y", "r", "rr", "rz", "f", "t", "eng", "e", "o", "df", "ad", "z"})
# Tags a surname or given-name token cut apart by jieba never has (punctuation, particles).
SHAPE_SKIP_TAGS = frozenset({"x", "m", "mq", "uj", "ul", "uz", "uv", "ud", "ug", "u", "p", "c", "y", "r", "rr", "rz", "eng", "e", "o", "f", "v", "d", "a", "ad", "vn"})
# Tags of the token before such a name: punctuation, verbs, prepositions, conjunctions.
SHAPE_BEFORE_TAGS = frozenset({"x", "v", "p", "c", "uj", "d"})
# Mean given-name likelihood a surname-initial name right before a speech verb needs (the verb
# vouches for it: 金人庆强调, though jieba's dictionary lists 金人庆 with unusual characters).
SPEECH_NAME_SCORE = -1.0
# The same for one token jieba tags as a proper name right before a verb of saying.
SPEECH_NAME_SCORE_TAGGED = -2.0
# Frequency in jieba's dictionary above which a word inside a token marks a common word.
COMMON_WORD_FREQ = 50


@dataclass(frozen=True, slots=True)
class PageContext:
    """What earlier articles of the same page taught us: credited people, full org names."""

    people: tuple[str, ...] = ()
    orgs: tuple[str, ...] = ()
    places: tuple[str, ...] = ()

    def add(self, entities: list[Entity], credits: list[Credit] = ()) -> PageContext:
        """Return a context that also knows these entities and credited names."""
        # dicts keep each name once, at its first place (credits before the article's people)
        people = dict.fromkeys(self.people)
        people.update(dict.fromkeys(c.name for c in credits if _is_name_shape(c.name)))
        orgs = dict.fromkeys(self.orgs)
        places = dict.fromkeys(self.places)
        for e in entities:  # one pass over the entities for the three types
            t = e.type
            if t == "PERSON":
                if len(e.name) >= 2:
                    people[e.name] = None
            elif t == "ORG":
                orgs[e.name] = None
            elif t == "LOC":
                places[e.name] = None
        return PageContext(tuple(people), tuple(orgs), tuple(places))


@_memoised  # pure on a short string; the same words recur
def _surname_len(word: str) -> int:
    """Return the length of the surname that starts ``word`` (0 when none)."""
    lex = lexicons()
    if word[:2] in lex.compound_surnames and len(word) >= 3:
        return 2
    return 1 if word[:1] in lex.surnames else 0


CORRELATIVE_CHARS = frozenset(_CUES["correlative_chars"])


@_memoised  # pure on a short string; the same words recur
def _is_name_shape(word: str) -> bool:
    """Tell whether ``word`` looks like a Chinese personal name (surname + 1-2 characters)."""
    if not word or not IS_HAN[word] or word in lexicons().not_names:
        return False
    k = _surname_len(word)
    if word[k:] in HONORIFIC_SET or (len(word) >= 3 and word[-1] in GLUED_CHARS):
        return False  # 胡老, 赵华说: a surname with an honorific, a name with a verb glued on
    if len(word) == 2 and word[0] == word[1] or len(word) == 3 and word[0] == word[2] and word[0] in CORRELATIVE_CHARS:
        return False  # 一封封 (a reduplicated measure word), 越飞越高 (越…越)
    return k > 0 and 1 <= len(word) - k <= 2


@_memoised  # pure on a short string; the same words recur
def _given_name_score(given: str) -> float:
    """Return the mean name-likelihood score of the characters of a given name."""
    scores = name_char_scores()
    return sum(scores.get(ch, -10.0) for ch in given) / len(given) if given else -10.0


@_memoised  # pure on a short string; the same words recur
def _ordinary_word(name: str) -> bool:
    """Tell whether a name-shaped string found by its context is an ordinary dictionary word.

    jieba's dictionary also lists many real three-character names under other tags (周恩来/t,
    许立群/m): such an entry is a word only when its first two characters are a frequent
    word or its last two a very frequent one (纪念章, 高新区); shorter entries are words.
    """
    common = common_words()
    if name not in common:
        return False
    return len(name) <= 2 or common.get(name[:2], 0) >= COMMON_WORD_FREQ or common.get(name[1:], 0) >= COMMON_GIVEN_FREQ


@_memoised  # pure on a short string; the same words recur
def _plausible_chinese_name(core: str) -> bool:
    """Tell whether a surname-initial jieba name token is a name rather than an ordinary word."""
    if len(core) == 2 and core[0] == core[1] or len(core) == 3 and core[0] == core[2] and core[0] in CORRELATIVE_CHARS:
        return False  # 封封, 越飞越: a reduplication or a correlative construction
    in_dictionary = core in jieba_name_words()
    # a dictionary "name" needs typical name characters (雷阵雨 has none); a name jieba
    # built itself from unknown characters gets more benefit of the doubt
    k = _surname_len(core)
    floor = MIN_NAME_SCORE if in_dictionary else MIN_OOV_NAME_SCORE_3 if len(core) - k == 2 and not any(c in GLUED_CHARS for c in core) else MIN_OOV_NAME_SCORE
    if _given_name_score(core[k:]) < floor:
        return False
    if in_dictionary:
        if len(core) == 2:
            # two-character dictionary "names" are mostly words (高潮, 弘扬, 普惠) unless the
            # given character is far more typical of names than of text (李鹏)
            return _given_name_score(core[1:]) >= TWO_CHAR_NAME_SCORE
        common = common_words()
        # 纪念章, 安全性: a frequent word made of the "surname" and the next character is
        # an ordinary word; the given name alone may well be a word (王建国, 李红梅)
        if common.get(core[:2], 0) >= COMMON_WORD_FREQ or common.get(core[1:], 0) >= COMMON_GIVEN_FREQ:
            return False
    return True


@_memoised  # pure on a short string; the same words recur
def _rare_surname_name(name: str) -> bool:
    """Tell whether a jieba name token with a surname outside the about 100 most frequent ones
    has too little evidence on its own: two characters outside jieba's dictionary with a given
    character not far more typical of names than of text (储洪, 双良, 卫勤; 喻晖, 柳萍 pass), or
    three characters from jieba's dictionary, which tags many words of things as names, with
    given characters not clearly typical of names (双刃剑, 乌龙球, 蓬莱阁; 焦裕禄, 俞平伯 pass)."""
    if name[0] in lexicons().common_surnames or _surname_len(name) != 1:
        return False
    if len(name) == 2:
        return name not in jieba_name_words() and _given_name_score(name[1]) < TWO_CHAR_NAME_SCORE
    return len(name) == 3 and name in jieba_name_words() and _given_name_score(name[1:]) < RARE_DICT_NAME_SCORE


@lru_cache(maxsize=1 << 16)  # pure on a short string; the same words recur
def _plausible_foreign_name(word: str, tag: str) -> bool:
    """Tell whether ``word`` is written like a transliterated foreign name."""
    lex = lexicons()
    if not IS_HAN[word] or word in lex.places or word in lex.not_names:
        return False
    if any(ch not in lex.translit_chars for ch in word):
        return False
    return len(word) >= 3 or (tag == "nrt" and word not in common_words())


# _plausible_foreign_name as dict lookups (tested on every jieba name token); the tag matters
# only as nrt or not.
FOREIGN_NAME_NRT = _MemoDict(lambda word: _plausible_foreign_name(word, "nrt"), limit=1 << 16)
FOREIGN_NAME_OTHER = _MemoDict(lambda word: _plausible_foreign_name(word, "nr"), limit=1 << 16)


def _is_boundary(words: list[str], pos: list[str], j: int) -> bool:
    """Tell whether token ``j`` can follow the end of a name."""
    if j >= len(words):
        return True
    w, p = words[j], pos[j]
    lex = lexicons()
    if p == "x" or p.startswith("v") or p in ("p", "c", "uj", "ul", "d", "u", "f", "t", "m", "r", "ns"):
        return True
    return w in lex.speech_verbs or w in lex.titles or w in HONORIFIC_SET or w[0] in BOUNDARY_FIRST_CHARS or w in NAME_GROUP_WORDS


def _name_after(words, pos, starts, ends, i: int, strong: bool = False) -> tuple[int, int] | None:
    """Return the token range (i, j) of a surname-initial name of 2-4 characters starting at token ``i``.

    ``strong``: the context (a title before) vouches for a name, so a name whose given
    characters are typical of names needs no boundary after it (记者胡金华上海报道).
    """
    lex = lexicons()
    n = len(words)
    if i >= n or not IS_HAN[words[i]] or words[i] in lex.not_names:
        return None
    if pos[i] in ("c", "p", "d", "u", "uj", "r", "t", "v", "f") and not (strong and len(words[i]) == 1 and pos[i] in ("d", "v", "p")):
        return None  # 和师生, 周二晚: a function word or time word that starts with a surname
    if len(words[i]) > 1 and pos[i] in NON_NAME_TAGS:
        return None
    if _surname_len(words[i]) == 0:
        return None
    length = 0
    for j in range(i, min(i + 3, n)):
        w = words[j]
        if j > i and (pos[j] in NON_NAME_TAGS or w in lex.titles or w in lex.speech_verbs or w[0] in STOP_CHARS):
            break
        if not IS_HAN[w] or (j > i and starts[j] != ends[j - 1]):
            break
        length += len(w)
        if length > 4:
            break
        name = "".join(words[i : j + 1])
        if j + 1 < n and IS_FOREIGN_JOIN[words[j + 1]]:
            return None  # 罗朗·雷斯: a foreign name, not a Chinese one
        if 2 <= length <= 4 and _is_name_shape(name) and (
            _is_boundary(words, pos, j + 1)
            or strong and j > i and _given_name_score(name[_surname_len(name):]) >= STRONG_NAME_SCORE
        ):
            # 记者马力) or 记者马力通讯员…: a byline name ends at a bracket or the next role
            closed = j + 1 < n and (words[j + 1] in (")", "）", " ") or strong and words[j + 1] in lex.titles)
            if j == i and pos[i] not in PROPER_NAME_TAGS and name in common_words() and not closed:
                # one ordinary dictionary word (文化宫, 经典), not a name; jieba's dictionary
                # also lists real names as nouns (严义埙/n), which a title before vouches for
                if not (strong and length == 3 and _given_name_score(name[1:]) >= DICT_NAME_SCORE):
                    return None
            return i, j + 1
    return None


def _translit_part(words, pos, j: int) -> bool:
    """Tell whether token ``j`` can be part of a transliterated name (诺 in 萨莫拉诺)."""
    w = words[j]
    return (len(w) <= 3 and pos[j] not in FUNCTION_TAGS and IS_HAN[w]
            and all(ch in lexicons().translit_chars for ch in w) and w not in lexicons().places)


def _foreign_extent(words, pos, starts, ends, i: int) -> tuple[int, int]:
    """Return the character span of the foreign name around name token ``i``."""
    n = len(words)
    a = i
    while a > 0 and starts[a] == ends[a - 1]:
        if _translit_part(words, pos, a - 1) and pos[a - 1] in NR_TAGS | {"ns", "nz", "n", "ng", "nrt"}:
            a -= 1
        elif a > 1 and IS_FOREIGN_JOIN[words[a - 1]] and _translit_part(words, pos, a - 2):
            a -= 2
        else:
            break
    b = i + 1
    while b < n and starts[b] == ends[b - 1]:
        if IS_FOREIGN_JOIN[words[b]] and b + 1 < n and _translit_part(words, pos, b + 1):
            b += 2
        elif _translit_part(words, pos, b) and (len(words[b]) == 1 or pos[b] in NR_TAGS | {"ns", "nz", "n", "ng"}):
            b += 1
        else:
            break
    return starts[a], ends[b - 1]


# Tags of a noun or a number right after a two-character transliteration: jieba's dictionary
# tags many such words as names (科普, 多福, 朗朗), and before a noun they modify it.
NOUN_OR_NUMBER_TAGS = frozenset({"n", "nz", "m", "mq", "q", "eng"})
FOREIGN_THING_NEXT = frozenset(_CUES["foreign_thing_next"])
# Quotes that may close a transliterated brand or craft before its head (“卡西尼”号).
THING_QUOTE_CLOSERS = frozenset("”’」》")
MACHINE_MEASURES = frozenset(_CUES["machine_measures"])
# Dictionary frequency from which two characters after a transliteration are a word of the
# sentence that the name does not run into (克林顿 + 多次).
TRANSLIT_NEXT_WORD_FREQ = 1000
# Longest transliterated name, in characters, that a run of transliteration characters extends to.
TRANSLIT_MAX_LEN = 8


def _translit_run_end(text: str, start: int, end: int) -> int:
    """Extend a transliterated name over the transliteration characters jieba cut off (莱克 + 伍德县, 奥登 + 西亚)."""
    translit = lexicons().translit_chars
    common = common_words()
    while (end < len(text) and end - start < TRANSLIT_MAX_LEN and text[end] in translit
           and common.get(text[end : end + 2], 0) < TRANSLIT_NEXT_WORD_FREQ):
        end += 1
    return end


def _foreign_is_thing(text: str, start: int, end: int) -> bool:
    """Tell whether the context makes a transliteration the name of a thing: a paper, a craft, an
    index, a make (《费加罗报》, “卡西尼”号, 布雷顿森林体系, 一部桑塔纳), or a company whose dotted
    name goes on (葛兰素·威康公司)."""
    e = end + 1 if text[end : end + 1] in THING_QUOTE_CLOSERS else end
    if text[e : e + 2] in FOREIGN_THING_NEXT or text[e : e + 1] in FOREIGN_THING_NEXT and text[e : e + 2] not in common_words():
        return True  # 费加罗报 is a paper, 米亚特报道 a report
    if text[end : end + 1] in FOREIGN_DOTS:
        translit = lexicons().translit_chars
        e = end + 1
        while e < len(text) and text[e] in translit:
            e += 1
        if text[e : e + 2] in FOREIGN_ORG_NEXT:
            return True
    # a numeral and a measure word of vehicles a few characters before (一部桑塔纳, 一辆红色“菲亚特”)
    before = text[max(0, start - 5) : start]
    return any(before[k] in MACHINE_MEASURES and before[k - 1] in CHINESE_NUMERALS for k in range(1, len(before)))


def _foreign_is_place(text: str, start: int, end: int) -> bool:
    """Tell whether the context makes a transliteration a place or an organisation (在达沃斯, 丘布特省)."""
    after = text[end : end + 2]
    if (after != "" and after[0] in FOREIGN_PLACE_NEXT) or after in FOREIGN_ORG_NEXT:
        return True
    before = text[max(0, start - 2) : start]
    return (before != "" and before[-1] in FOREIGN_PLACE_PREV_CHARS) or before in FOREIGN_PLACE_PREV


def _foreign_after(words, pos, starts, ends, i: int) -> int | None:
    """Return the end of a transliterated name starting at token ``i`` (主教练托尼·普利斯)."""
    translit = lexicons().translit_chars
    n = len(words)
    j, end, chars = i, None, 0
    while j < n and (j == i or starts[j] == ends[j - 1]):
        w = words[j]
        if IS_FOREIGN_JOIN[w] and end is not None and j + 1 < n:
            j += 1
            continue
        if not IS_HAN[w] or any(ch not in translit for ch in w):
            break
        chars += len(w)
        end = ends[j]
        j += 1
    if end is None or chars < 2 or not _is_boundary(words, pos, j) or IS_FOREIGN_JOIN[words[j - 1]]:
        return None
    if j == i + 1 and (pos[i] not in PROPER_NAME_TAGS and words[i] in common_words()):
        return None  # one ordinary word written with transliteration characters
    return end


def _shape_name_end(words, pos, starts, ends, i: int) -> int | None:
    """Return the end of a name made of surname token ``i`` and the 1-2 characters after it."""
    lex = lexicons()
    n = len(words)
    given = ""
    for j in range(i + 1, min(i + 3, n)):
        w = words[j]
        if pos[j] in SHAPE_SKIP_TAGS or starts[j] != ends[j - 1] or not IS_HAN[w] or w in lex.titles or w in lex.speech_verbs:
            return None
        given += w
        if len(given) > 2:
            return None
        name = words[i] + given
        if (_is_boundary(words, pos, j + 1) and _given_name_score(given) >= SHAPE_NAME_SCORE
                and name not in common_words() and name not in lex.places and name not in lex.not_names and _is_name_shape(name)):
            return ends[j]
    return None


def _next_to_foreign(words, pos, starts, ends, i: int) -> bool:
    """Tell whether token ``i`` touches a dot joiner or another transliterated name part (奥 + 兰迪斯)."""
    translit = lexicons().translit_chars
    for j in (i - 1, i + 1):
        if 0 <= j < len(words) and (starts[i] == ends[j] or ends[i] == starts[j]):
            w = words[j]
            if IS_FOREIGN_JOIN[w] or (pos[j] in NR_TAGS and all(ch in translit for ch in w)):
                return True
    return False


def _listed_with_name(words, pos, i: int) -> bool:
    """Tell whether name token ``i`` is listed (、 / 和) next to a clearly plausible name."""
    n = len(words)
    for j, sep in ((i - 2, i - 1), (i + 2, i + 1)):
        if 0 <= j < n and words[sep] in LIST_SEPARATORS and pos[j] in NR_TAGS:
            other = words[j]
            if _is_name_shape(other) and _plausible_chinese_name(other):
                return True
    return False


def _surname_before_title(words, pos, i: int) -> bool:
    """Tell whether one-character token ``i`` is a surname standing for a person before a title (唐外长, 李大娘)."""
    lex = lexicons()
    if i + 1 >= len(words) or words[i] not in lex.surnames or words[i] in STOP_CHARS:
        return False
    nxt = words[i + 1]
    if len(nxt) < 2 or not (nxt in lex.titles or nxt in HONORIFIC_SET) or nxt in lex.group_nouns:
        return False
    return i == 0 or pos[i - 1] in ("x", "p", "c", "v", "uj", "d") and not words[i - 1][-1:].isdigit()


BUILDING_CHARS = frozenset(_CUES["building_chars"])
NAME_BEFORE_TITLE_MODIFIERS = frozenset(_CUES["name_before_title_modifiers"])
NAME_BEFORE_TITLE_PREV = frozenset(_CUES["name_before_title_prev"])


# Characters that can end a name before a title: Han characters that are no function word.
NAME_LAST_CHARS = _MemoDict(lambda ch: IS_HAN[ch] and ch not in GLUED_CHARS and ch not in "的之其该本这那各")


def _name_before_title(text: str, t0: int) -> tuple[int, int] | None:
    """Return the span of a name ending right before a title that starts at ``t0``, if any.

    The name starts at the text start, after punctuation or after a one-character function
    word; a Chinese one is a surname and one or two characters typical of names, a foreign
    one a run of transliteration characters that is no place (库马拉通加总统).
    """
    if t0 == 0 or not NAME_LAST_CHARS[text[t0 - 1]] and not (
            text[t0 - 1] in JAPANESE_SURNAME_LAST_CHARS and (text[t0 - 2 : t0] in JAPANESE_SURNAMES or text[t0 - 3 : t0] in JAPANESE_SURNAMES)):
        return None  # the character before the title can end no name: the common case (本 can end 桥本: 桥本首相)
    lex = lexicons()
    if not (t0 <= 3 or text[t0 - 2] in BEFORE_NAME_CHARS or text[t0 - 3] in BEFORE_NAME_CHARS or text[t0 - 4] in BEFORE_NAME_CHARS
            or text[t0 - 1] in lex.translit_chars):
        return None  # no name of one to three characters can start after a boundary here
    for length in (3, 2, 1):
        a = t0 - length
        if a < 0 or not (a == 0 or text[a - 1] in CLAUSE_OPENERS or text[a - 1] in NAME_BEFORE_TITLE_PREV):
            continue
        if length == 1:
            # a bare surname before a title stands for the person (托项市长, ，常副局长)
            common = common_words()
            if (text[a] in lex.surnames and text[a] not in STOP_CHARS
                    and text[max(0, a - 1) : a + 1] not in common and text[max(0, a - 2) : a + 1] not in common):
                return a, t0  # 有关专家, 共和国总统: the surname character ends a word
            continue
        name = text[a:t0]
        if name in lex.japanese_surnames:
            return a, t0  # 对桥本首相: a Japanese surname before a title
        if not IS_HAN[name] or name in lex.places or name in lex.titles or name in lex.not_names or _ordinary_word(name):
            continue
        k = _surname_len(name)
        if (k and _is_name_shape(name) and name[k:] not in lex.title_modifiers and not any(c in GLUED_CHARS for c in name[k:])
                and name[-1] not in PLACE_TAIL_CHARS and name[-1] not in BUILDING_CHARS and name[k:] not in lex.places):
            if _given_name_score(name[k:]) >= (CONTEXT_NAME_SCORE if len(name) - k == 2 else TITLE_NAME_SCORE_ONE):
                return a, t0
    # a transliterated name: the longest run of transliteration characters before the title
    a = t0
    translit = lex.translit_chars
    while a > 0 and t0 - a < 6 and text[a - 1] in translit:
        a -= 1
    if t0 - a >= 3 and (a == 0 or text[a - 1] in CLAUSE_OPENERS or text[a - 1] in NAME_BEFORE_TITLE_PREV):
        name = text[a:t0]
        if common_words().get(name, 0) < COMMON_PLACE_FREQ and not any(name[:k] in lex.places for k in range(2, len(name) + 1)):
            return a, t0  # jieba's dictionary lists some foreign names as rarer words (奥巴马/ns)
    return None


# What the text of a jieba name token alone says (_jieba_name_token): nothing, the name is
# 姓 + a surname (姓王: the surname), a surname + an honorific (胡老: the surname), or no person.
NAME_VERDICT_SURNAME, NAME_VERDICT_HONORIFIC, NAME_VERDICT_NONE = 1, 2, 3


def _jieba_name_token(word: str) -> tuple:
    """Return the tests of _person_candidates's jieba-name rule on the token's text alone, in
    the order the rule reads them: (shift, word, core, k, familiar, verdict, trimmed, shaped,
    foreign).

    ``shift`` is 1 when jieba glued a function word before the name (但葛菲, 对陶 + 汉明; ``word``
    is then the rest), ``core`` the name without a tail (同志, 一行), ``k`` the length of its
    surname, ``familiar`` whether it is 老/小 + a surname (老于), ``verdict`` a NAME_VERDICT_…
    or 0, ``trimmed`` the core without a function word glued after it (郑咏是, 戴文宪为),
    ``shaped`` whether that is a surname and at most two Han characters, ``foreign`` whether
    it is then also written like a transliteration (tested with the neighbours in the loop).
    """
    lex = lexicons()
    surnames = lex.surnames
    shift = 0
    if len(word) >= 2 and word[0] in LEAD_GLUE_CHARS and word[1] in surnames and word[0] not in surnames:
        word = word[1:]
        shift = 1
    core = word
    for tail in NAME_TAILS:
        if core.endswith(tail) and len(core) > len(tail) + 1:
            core = core[: -len(tail)]
            break
    familiar = len(core) == 2 and core[0] in FAMILIAR_PREFIXES and core[1] in surnames
    k = _surname_len(core)
    rest = core[k:]
    verdict = 0
    if core[:1] == "姓" and len(core) >= 2 and _surname_len(core[1:]) == len(core) - 1:
        verdict = NAME_VERDICT_SURNAME
    elif k and rest in HONORIFIC_SET:
        # 元老 is a word, 胡老 a person; 刘家 the 刘 family
        verdict = NAME_VERDICT_NONE if len(rest) == 1 and rest != "家" and core in jieba_name_words() else NAME_VERDICT_HONORIFIC
    elif core in lex.places or core[-1] in ADMIN_TAIL_CHARS:
        verdict = NAME_VERDICT_NONE  # 莫斯科, 李卜村: a place jieba took for a name
    trimmed = core
    if k and len(core) >= 3 and core[-1] in GLUED_CHARS and core not in jieba_name_words():
        trimmed = core[:-1]
    shaped = bool(k) and IS_HAN[trimmed] and len(trimmed) - k <= 2
    return shift, word, core, k, familiar, verdict, trimmed, shaped, shaped and FOREIGN_NAME_NRT[trimmed]


JIEBA_NAME_TOKENS = _MemoDict(_jieba_name_token, limit=1 << 16)


def _person_word_rule(w: str) -> bool:
    """Tell whether a rule of _person_candidates for a token not tagged as a name may fire on ``w``
    whatever its tag and neighbours (doctrine, fused title, title word, speech verb)."""
    lex = lexicons()
    return (len(w) >= 5 and w[-2:] in DOCTRINE_TAILS or 3 <= len(w) <= 4 and w[-2:] in FUSED_TITLE_TAILS
            or w in lex.titles or len(w) >= 3 and (w[-2:] in lex.titles or w[-1] == "员") or w in lex.speech_verbs)


# The rules of _person_candidates after the jieba-name one, as bits: _person_rules tells
# which of them the token's text allows.
R_DOCTRINE, R_NAME_WORD, R_SURNAME, R_SURNAME_TITLE, R_SURNAME_HONORIFIC, R_NAME_BEFORE_TITLE, R_FUSED, R_TITLE, R_SPEECH = (1 << k for k in range(9))


def _person_rules(w: str) -> int:
    """Return the R_... bits of the rules of _person_candidates (after the jieba-name rule) whose
    tests on the token's text alone ``w`` passes: the loop skips the others with one bit test
    and repeats the whole test for these (a bit may be set where the rule then fails)."""
    lex = lexicons()
    titles, surnames = lex.titles, lex.surnames
    conditions = (
        (R_DOCTRINE, len(w) >= 5 and w[-2:] in DOCTRINE_TAILS),
        (R_NAME_WORD, len(w) == 3 and w[0] in surnames and w not in lex.not_names and w not in lex.places
         and _given_name_score(w[1:]) >= MIN_NAME_SCORE and _is_name_shape(w) and not _ordinary_word(w)
         and common_words().get(w[:2], 0) < COMMON_WORD_FREQ and w[:2] not in jieba_name_words()),
        # a surname cut from its given name; one before a title (_surname_before_title)
        (R_SURNAME, len(w) == 1 and w in surnames),
        (R_SURNAME_TITLE, len(w) == 1 and w in surnames and w not in STOP_CHARS),
        (R_SURNAME_HONORIFIC, len(w) <= 2 and w not in titles and IS_HAN[w] and (len(w) == 1 and w in surnames or w in lex.compound_surnames)),
        (R_NAME_BEFORE_TITLE, 2 <= len(w) <= 3 and _is_name_shape(w) and w not in lex.places and w not in common_words()),
        (R_FUSED, 3 <= len(w) <= 4 and w[-2:] in FUSED_TITLE_TAILS and w not in titles and w not in lex.not_names
         and _surname_len(w) > 0 and w[_surname_len(w):] in FUSED_TITLES),
        (R_TITLE, w in titles or (len(w) >= 3 and w[-2:] in titles) or w[-1:] == "员" and len(w) >= 3),
        (R_SPEECH, w in lex.speech_verbs),
    )
    return sum(bit for bit, holds in conditions if holds)


PERSON_RULES = _MemoDict(_person_rules, limit=1 << 16)


def _person_candidates(text: str, tokens: Tokens, out: list, flags: bytes) -> None:
    """Add PERSON candidates from jieba tags, name shapes, titles and speech verbs."""
    lex = lexicons()
    words, pos, starts, ends = tokens.words, tokens.pos, tokens.starts, tokens.ends
    n = len(words)
    titles, speech, surnames = lex.titles, lex.speech_verbs, lex.surnames
    for i in _indices_with(flags, PERSON_BIT):
        w, p = words[i], pos[i]
        # roles._title_start: the start RE_TITLE_BEFORE would match, from a few set lookups
        if p == "eng" and i > 0 and starts[i] == ends[i - 1] and roles._title_start(text, starts[i]) is not None:
            m = RE_LATIN_NAME.match(text, starts[i])
            if m:  # 执行制作人Ben Bell, 学生elaine: a Latin-script name right after a title
                out.append((m.start(), m.end(), "PERSON", "title_context", 3))
            continue
        if p in PERSON_SKIP_TAGS and not (len(w) == 3 and p in NAME_WORD_TAGS) and w not in titles:
            continue  # punctuation, numbers, particles: no person rule starts here (jieba tags some titles d: 首相/d)
        if (p not in NR_TAGS and w[0] not in surnames and w not in titles and w[-2:] not in titles
                and w[-1] != "员" and w not in speech and w[-2:] not in DOCTRINE_TAILS):
            continue  # no rule below can start at this token: a cheap test first
        if p in NR_TAGS and w not in lex.not_names:
            # the tests on the token's text alone, cached (names recur): see _jieba_name_token
            shift, w, core, k, familiar, verdict, trimmed, shaped, foreign = JIEBA_NAME_TOKENS[w]
            s = starts[i] + shift
            if familiar and not _next_to_foreign(words, pos, starts, ends, i):
                out.append((s + 1, s + 2, "PERSON", "jieba", 2))  # 老于 / 小刘: the surname
                continue
            if verdict:
                if verdict == NAME_VERDICT_SURNAME:
                    out.append((s + 1, s + len(core), "PERSON", "jieba", 2))  # 姓王
                elif verdict == NAME_VERDICT_HONORIFIC:
                    out.append((s, s + k, "PERSON", "surname_title", 3))  # 胡老, 王先生
                continue
            if len(core) == 2 and core[0] == core[1] and s > 0 and text[s - 1] in CHINESE_NUMERALS | {"每", "这", "那"}:
                continue  # 一封封, 一张张: a reduplicated measure word
            if text[s + len(core) : s + len(core) + 1] in SETTLEMENT_CHARS and text[s + len(core) + 1 : s + len(core) + 2] != "长":
                continue  # 水曲柳镇: the name of a town, not a person (镇长 is a title)
            if s >= 3 and text[s - 1] in ADMIN_TAIL_CHARS and (text[s - 3 : s] in lex.place_full or text[s - 4 : s] in lex.place_full):
                continue  # 左权县麻田: a locality right after its county, not a person
            core = trimmed
            # the (cached) shape test first: most names are not written in transliteration characters
            if shaped and not (foreign and _next_to_foreign(words, pos, starts, ends, i)):
                end = s + len(core)
                # jieba cut a three-character name after two (邹倜 + 然) or after the surname (江 + 宏伟)
                if core == w and i + 1 < n and len(core) - k in (0, 1) and IS_HAN[words[i + 1]]:
                    nxt = words[i + 1]
                    if (len(core) - k + len(nxt) <= 2 and pos[i + 1] not in NON_NAME_TAGS and nxt[0] not in STOP_CHARS
                            and nxt not in titles and nxt not in speech and nxt not in HONORIFIC_SET and nxt not in lex.places
                            and nxt[-1] not in PLACE_TAIL_CHARS and nxt[-1] not in EVENT_TAIL_CHARS and _is_boundary(words, pos, i + 2)
                            and _given_name_score(core[k:] + nxt) >= (SPLIT_GIVEN_SCORE if len(core) == k and pos[i + 1][0] not in "vad" else MIN_NAME_SCORE)):
                        end = ends[i + 1]
                name = text[s:end]
                if end - s < 2:
                    if end - s == 1 and _surname_before_title(words, pos, i):
                        out.append((s, end, "PERSON", "surname_title", 3))  # 唐/nr 外长, 李/nr 大娘
                    continue
                if not _plausible_chinese_name(name):
                    if (core == w and i + 1 < n and (words[i + 1] in titles or words[i + 1] in HONORIFIC_SET)
                            and core[-1] not in BUILDING_CHARS and core[-1] not in PLACE_TAIL_CHARS):  # 白宫发言人 is no person
                        out.append((s, ends[i], "PERSON", "title_context", 3))  # 王建国教授, 李鹏委员长
                    elif core == w and _listed_with_name(words, pos, i):
                        out.append((s, ends[i], "PERSON", "name_list", 2))  # 陈毛弟、刘谦
                    elif (len(core) >= 3 or p == "nrt" and (i == 0 or pos[i - 1] in ("x", "p", "c")) and _is_boundary(words, pos, i + 1)) and (
                            (FOREIGN_NAME_NRT if p == "nrt" else FOREIGN_NAME_OTHER)[core]):
                        end = _translit_run_end(text, s, ends[i])
                        if not _foreign_is_place(text, s, end) and not _foreign_is_thing(text, s, end):
                            out.append((s, end, "PERSON", "jieba", 2))  # 韦斯特, 米亚特: foreign, not Chinese
                    continue
                if (FOREIGN_NAME_OTHER[name] or text[end : end + 1] in FOREIGN_DOTS) and _foreign_is_thing(text, s, end):
                    continue  # 布雷顿森林体系, 葛兰素·威康公司: a transliteration that reads like a Chinese name
                if _rare_surname_name(name) and not (
                        i + 1 < n and (words[i + 1] in titles or words[i + 1] in HONORIFIC_SET or words[i + 1] in speech)
                        or i > 0 and (words[i - 1] in titles or words[i - 1][-2:] in titles) or _listed_with_name(words, pos, i)):
                    continue  # 储洪, 双良, 乌龙球: a "name" of a rarer surname that no context vouches for
                out.append((s, end, "PERSON", "jieba", 2))
                continue
            if (FOREIGN_NAME_NRT if p == "nrt" else FOREIGN_NAME_OTHER)[core]:
                # a transliterated foreign name; parts joined by a dot belong together
                start, end = _foreign_extent(words, pos, starts, ends, i)
                end = _translit_run_end(text, start, end)
                if _foreign_is_thing(text, start, end):
                    continue  # 《费加罗报》, “卡西尼”号, 一部桑塔纳: a paper, a craft, a make
                if end - start == 2 and i + 1 < n and starts[i + 1] == end and pos[i + 1] in NOUN_OR_NUMBER_TAGS:
                    continue  # 科普一条街, 多福农庄, 多达一个小时: two characters that modify what follows
                if not _foreign_is_place(text, start, end):
                    out.append((start, end, "PERSON", "jieba", 2))
                elif text[end : end + 2] not in FOREIGN_ORG_NEXT:
                    out.append((start, end, "LOC", "place_context", 1))  # 在达沃斯, 丘布特省
            continue
        # which rules below the token's text allows (cached; each rule tests again)
        rules = PERSON_RULES[w]
        if not rules:
            continue
        # a doctrine named after a person (马克思主义, 毛泽东思想): the person
        if rules & R_DOCTRINE and len(w) >= 5 and w[-2:] in DOCTRINE_TAILS and p not in NR_TAGS:
            stem = w[:-2]
            if _plausible_foreign_name(stem, "nr") or (_is_name_shape(stem) and stem in jieba_name_words()):
                out.append((starts[i], starts[i] + len(stem), "PERSON", "jieba", 2))
                continue
        # a three-character name that jieba's dictionary lists as a noun, a time word or a
        # numeral (刘彦彬/nz, 严义埙/n, 周恩来/t, 许立群/m): given-name characters more typical of
        # names than of text, and halves that are no frequent words (万公顷, 曲棍球 are words)
        if rules & R_NAME_WORD and len(w) == 3 and p in NAME_WORD_TAGS and w[0] in lex.surnames and w not in lex.not_names and w not in lex.places:
            if (_given_name_score(w[1:]) >= MIN_NAME_SCORE and _is_name_shape(w) and not _ordinary_word(w)
                    and common_words().get(w[:2], 0) < COMMON_WORD_FREQ and w[:2] not in jieba_name_words()  # 高峰/nr + 期
                    and text[ends[i] : ends[i] + 1] not in SETTLEMENT_CHARS):  # 水曲柳镇
                out.append((starts[i], ends[i], "PERSON", "name_shape", 2))
                continue
        # a surname cut apart from its given name by jieba (袁 + 步兵, 张 + 海龙)
        if rules & R_SURNAME and len(w) == 1 and w in lex.surnames and p not in SHAPE_SKIP_TAGS and i + 1 < n and (i == 0 or pos[i - 1] in SHAPE_BEFORE_TAGS or words[i - 1] in titles):
            end = _shape_name_end(words, pos, starts, ends, i)
            if end is not None:
                out.append((starts[i], end, "PERSON", "name_shape", 2))
                continue
        # a surname token before a title or honorific: the surname is the person (江主席)
        if rules & R_SURNAME_TITLE and len(w) == 1 and _surname_before_title(words, pos, i):
            out.append((starts[i], ends[i], "PERSON", "surname_title", 3))  # 汤 局长, 项 市长
            continue
        if rules & R_SURNAME_HONORIFIC and i + 1 < n and words[i + 1] in HONORIFIC_SET and len(w) <= 2 and w not in titles and IS_HAN[w]:
            if (len(w) == 1 and w in lex.surnames or w in lex.compound_surnames) and (i == 0 or pos[i - 1] in ("x", "p", "c", "v", "uj", "d") or words[i - 1] in titles):
                out.append((starts[i], ends[i], "PERSON", "surname_title", 3))
                continue
        # a name-shaped word of any tag right before a title (周恩来总理, 常副局长)
        if rules & R_NAME_BEFORE_TITLE and i + 1 < n and 2 <= len(w) <= 3 and p not in FUNCTION_TAGS and p not in NR_TAGS and (words[i + 1] in titles or words[i + 1] in HONORIFIC_SET) and words[i + 1] not in lex.group_nouns:
            if _is_name_shape(w) and w not in lex.places and (i == 0 or pos[i - 1] in ("x", "p", "c", "v", "uj", "d")) and w not in common_words():
                out.append((starts[i], ends[i], "PERSON", "title_context", 3))
                continue
        # a dictionary word fused from a surname and a title (江主席/n, 李老师/n)
        if rules & R_FUSED and 3 <= len(w) <= 4 and w[-2:] in FUSED_TITLE_TAILS and w not in titles and w not in lex.not_names:
            k = _surname_len(w)
            if k and w[k:] in FUSED_TITLES:
                out.append((starts[i], starts[i] + k, "PERSON", "surname_title", 3))
                continue
        # a name right after a title word or byline role (主席高红慧, 记者邹倜然)
        if rules & R_TITLE and (w in titles or (len(w) >= 3 and w[-2:] in titles) or w[-1:] == "员" and len(w) >= 3):
            if i > 0 and w not in lex.group_nouns and (w in titles or w[:1] in NAME_BEFORE_TITLE_MODIFIERS):
                # a name right before the title, after a clause start or a function word
                # (，周恩来总理; 对桥本首相; 了库马拉通加总统)
                t0 = starts[i - 1] if words[i - 1] in NAME_BEFORE_TITLE_MODIFIERS else starts[i]
                span = _name_before_title(text, t0)
                if span:
                    out.append((span[0], span[1], "PERSON", "title_context", 3))
            after = i + 2 if i + 1 < n and words[i + 1] in CREDIT_SEPARATORS else i + 1  # 摄影记者/吴军
            # the first character decides which name shape can follow (cheap tests before the calls)
            first = words[after][0] if after < n else ""
            span = _name_after(words, pos, starts, ends, after, strong=w not in lex.group_nouns) if first in surnames or first in lex.compound_first else None
            if span:
                out.append((starts[span[0]], ends[span[1] - 1], "PERSON", "title_context", 4))
            else:
                end = _foreign_after(words, pos, starts, ends, after) if first in lex.translit_chars else None
                if end:
                    out.append((starts[after], end, "PERSON", "title_context", 3))
                elif w not in lex.group_nouns and "A" <= text[ends[i] : ends[i] + 1].upper() <= "Z":
                    m = RE_LATIN_NAME.match(text, ends[i])
                    if m:  # 执行制作人Ben Bell: a Latin-script name after a title
                        out.append((m.start(), m.end(), "PERSON", "title_context", 3))
            continue
        # a name right before a speech verb, after punctuation (……”欧丽彬说)
        if rules & R_SPEECH and w in speech and i >= 1:
            for k in (2, 1):
                a = i - k
                if a < 0 or (a > 0 and pos[a - 1] not in ("x", "p", "c")):
                    continue
                if k == 1 and pos[a] not in PROPER_NAME_TAGS:
                    continue  # one whole dictionary token before 说 is a word, not a name
                span = _name_after(words, pos, starts, ends, a)
                name = text[starts[a] : ends[i - 1]]
                # jieba's own name tag and a verb of saying vouch together for a name with unusual
                # characters (龚育之指出, 罗干/ns 说); other tags need the usual evidence
                floor = SPEECH_NAME_SCORE_TAGGED if k == 1 and w in NAME_NEXT_VERBS else SPEECH_NAME_SCORE
                if span and span[1] == i and name not in lex.places and (
                        pos[a] in NR_TAGS and _plausible_chinese_name(name)
                        or (len(name) >= 3 or k == 1 and w in NAME_NEXT_VERBS) and _given_name_score(name[_surname_len(name):]) >= floor
                        and (name not in common_words() or k == 1 and pos[a] in PROPER_NAME_TAGS and common_words()[name] < COMMON_PLACE_FREQ)):
                    # the speech verb vouches for a name jieba's dictionary lists (金人庆强调)
                    out.append((starts[a], ends[i - 1], "PERSON", "speech_verb", 3))
                    break


@_memoised  # pure on a short string; the same words recur
def _abbrev_pair(word: str) -> bool:
    """Tell whether ``word`` is two country abbreviations and a head (中美关系, 中印边界)."""
    cabbr = lexicons().country_abbrev
    return len(word) >= 3 and word[0] in cabbr and word[1] in cabbr and word[2:] in ABBREV_HEADS


def _abbreviation_places(words: list[str], pos: list[str], starts: list[int], i: int, out: list) -> bool:
    """Add one-character place abbreviations in token ``i`` (中美, 访华, 俄政府, 华侨); tell if any."""
    lex = lexicons()
    cabbr, anyabbr = lex.country_abbrev, lex.any_abbrev
    w, p, s = words[i], pos[i], starts[i]
    n = len(words)
    nxt = words[i + 1] if i + 1 < n else ""
    headed = nxt in ABBREV_HEADS or nxt[:2] in ABBREV_HEADS
    if w in lex.abbrev_compounds:
        out.append((s, s + 1, "LOC", "abbreviation", 2))  # 华侨, 京剧: the abbreviated place
        return True
    if len(w) >= 2 and w[0] in cabbr and w[1] in cabbr and (w[2:] in ABBREV_HEADS or len(w) == 2 and (headed or p in ("ns", "j"))):
        out.append((s, s + 1, "LOC", "abbreviation", 2))  # 中美关系, 中英两国, 中日 两国
        out.append((s + 1, s + 2, "LOC", "abbreviation", 2))
        return True
    if len(w) == 2 and p in ("ns", "j") and w[0] in anyabbr and w[1] in anyabbr:
        out.append((s, s + 1, "LOC", "abbreviation", 2))  # 京津, 沪宁
        out.append((s + 1, s + 2, "LOC", "abbreviation", 2))
        return True
    if len(w) >= 2 and w[0] in ABBREV_VERBS and w[1] in ABBREV_AFTER_VERB and w[:2] not in lex.places:
        out.append((s + 1, s + 2, "LOC", "abbreviation", 2))  # 访华, 驻京, 驻华大使, 在京举行
        return True
    if len(w) >= 2 and w[0] in cabbr and w[1:] in ABBREV_HEADS and w not in lex.places and p != "m":
        out.append((s, s + 1, "LOC", "abbreviation", 2))  # 中方, 俄总统, 俄政府 as one token
        return True
    if len(w) == 1 and w in cabbr and (headed or len(nxt) == 1 and nxt in cabbr and pos[i + 1] == "ns"):
        out.append((s, s + 1, "LOC", "abbreviation", 2))  # 俄 政府, 中 美 两国关系
        return True
    if len(w) == 1 and w in anyabbr and p in ("ns", "j") and (
        i >= 1 and (words[i - 1] in ABBREV_VERBS_WORDS or len(words[i - 1]) == 1 and words[i - 1] in cabbr) or nxt in cabbr
    ):
        out.append((s, s + 1, "LOC", "abbreviation", 2))  # 对 韩, 在 京, 中 美
        return True
    return False


def _plausible_ns(word: str, common: dict) -> bool:
    """Tell whether a jieba ns token outside the gazetteer is a place name.

    A dictionary word or a name jieba built itself ends like a place (白湖乡, 涑水河), is
    written in transliteration characters (温得和克) or is a rare dictionary word; long
    tokens without a place ending are phrases (加大力度, 香港市民) and short unknown ones
    glued characters (上同, 于国).
    """
    if word[-1] in PLACE_TAIL_CHARS:
        return not word.endswith(("地区", "城市", "各国"))
    if all(ch in lexicons().translit_chars for ch in word):
        return True
    return word in common and common[word] >= RARE_PLACE_FREQ


def _ns_place(word: str) -> bool:
    """Tell whether a jieba ns token outside the gazetteer is a place as a whole (frequent words are not)."""
    common = common_words()
    return len(word) >= 2 and IS_HAN[word] and common.get(word, 0) < COMMON_PLACE_FREQ and _plausible_ns(word, common)


NS_PLACE = _MemoDict(_ns_place, limit=1 << 16)  # the test depends on the word alone


def _place_candidates(text: str, tokens: Tokens, out: list, flags: bytes) -> None:
    """Add LOC candidates from the gazetteer, jieba ns tags and place abbreviations."""
    lex = lexicons()
    words, pos, starts, ends = tokens.words, tokens.pos, tokens.starts, tokens.ends
    places, not_places, anyabbr = lex.places, lex.not_places, lex.any_abbrev
    cabbr, abbrev_compounds = lex.country_abbrev, lex.abbrev_compounds
    n = len(words)
    for i in _indices_with(flags, PLACE_BIT):
        w, p, s = words[i], pos[i], starts[i]
        if w in not_places:
            continue
        if w in places:
            out.append((s, ends[i], "LOC", "gazetteer", 3))
            continue
        if len(w) == 1 and p != "ns" and p != "j" and w not in abbrev_compounds:
            # one character not read as a place (中/f, 新/a): only the country abbreviation before
            # a head (俄 政府, 中 美) may fire, and no rule below
            nxt = words[i + 1] if i + 1 < n else ""
            if not (nxt in ABBREV_HEADS or nxt[:2] in ABBREV_HEADS or len(nxt) == 1 and nxt in cabbr):
                continue
        if (w[0] in anyabbr or w[0] in ABBREV_VERBS) and _abbreviation_places(words, pos, starts, i, out):
            continue
        if p in PLACE_SKIP_POS:
            continue  # verbs, particles, punctuation: no other place rule applies
        if len(w) >= 3 and w[:2] in lex.place_prefixes:
            # a place followed by a generic head inside one token (法国人, 日本政府)
            k = next((k for k in range(len(w) - 1, 1, -1) if w[:k] in places and w[k:] in PLACE_HEADS), 0)
            if k:
                out.append((s, s + k, "LOC", "gazetteer", 2))
                continue
        if p == "ns":
            if NS_PLACE[w]:
                out.append((s, ends[i], "LOC", "jieba", 1))
            elif len(w) >= 4 and IS_HAN[w]:
                # 德国马克, 香港市民, 委内瑞拉政府: jieba's ns glued a place to a word
                for k in range(len(w) - 2, 1, -1):
                    if w[:k] in places:
                        out.append((s, s + k, "LOC", "gazetteer", 2))
                        break
        elif len(w) >= 4 and p != "nt":
            # 中国京剧, 德国马克: a country name that starts a longer word
            for k in (3, 2):
                pl = places.get(w[:k])
                if pl is not None and pl.level == "country" and w[k:] not in lex.loc_suffixes:
                    out.append((s, s + k, "LOC", "gazetteer", 2))
                    break


# A reporter's byline after a dateline: 电/讯, 记者, one or more names joined by 、, then 报道 or a
# closing bracket (…5月25日电记者刘正学、果永毅报道). The shape vouches for names of rare
# surnames (郅振璞) and for People's Daily's placeholder of a rare character (袁（日希）).
_BYLINE_NAME = r"(?:[\u4e00-\u9fff]|（[\u4e00-\u9fff]{2,3}）){2,4}"
RE_BYLINE_NAMES = re.compile(rf"[电讯][（(]?(?:本报|新华社)?(?:特约)?记者({_BYLINE_NAME}(?:、{_BYLINE_NAME})*)(?=报道|[)）])")


def _byline_candidates(text: str, out: list) -> None:
    """Add the reporters named in a dateline's byline (电记者刘正学、果永毅报道)."""
    if "记者" not in text:
        return
    common, places = common_words(), lexicons().places
    for m in RE_BYLINE_NAMES.finditer(text):
        a = m.start(1)
        for name in m.group(1).split("、"):
            if name not in common and name not in places:
                out.append((a, a + len(name), "PERSON", "credit", 4))
            a += len(name) + 1


def _dateline_candidates(text: str, out: list) -> None:
    """Add the place of a dateline (新华社北京5月6日电 -> 北京)."""
    if "电" not in text and "讯" not in text:
        return
    places = lexicons().places
    for m in RE_DATELINE.finditer(text):
        a, b = m.start(1), m.end(1)
        # 本报德国慕尼黑…电, 本报江苏宜兴…电: the country or province and the city are two places
        for k in range(2, b - a - 1):
            head = places.get(text[a : a + k])
            if head is not None and head.level in ("country", "province"):
                out.append((a, a + k, "LOC", "dateline", 4))
                out.append((a + k, b, "LOC", "dateline", 4))
                break
        else:
            out.append((a, b, "LOC", "dateline", 4))


def _place_chain_candidates(text: str, tokens: Tokens, out: list, flags: bytes) -> None:
    """Add LOC candidates for <proper name> + <place word> (维也纳 + 市, 虹口 + 体育馆)."""
    lex = lexicons()
    words, pos, starts, ends = tokens.words, tokens.pos, tokens.starts, tokens.ends
    suffixes, admin, places = lex.loc_suffixes, lex.loc_admin, lex.places
    for i in _indices_with(flags, PLACE_CHAIN_BIT):
        if i == 0:
            continue
        w = words[i]
        if w not in suffixes or starts[i] != ends[i - 1]:
            continue
        # an administrative unit attaches to one proper name; a facility may follow a longer one
        reach = 1 if w in admin or len(w) == 1 else 3
        first = None
        for j in range(i - 1, max(-1, i - 1 - reach), -1):
            pj = pos[j]
            if pj in LOC_CHAIN_PROPER or words[j] in places:
                first = j
            elif pj not in ("n", "nz", "j", "b") or j == i - 1 and reach == 1 or not IS_HAN[words[j]]:
                break
            if j > 0 and starts[j] != ends[j - 1]:
                break
        if first is None or words[first] in lex.not_places:
            continue
        if reach > 1 and first < i - 1 and words[first] in places and places[words[first]].level in ("province", "city", "country"):
            first += 1  # 上海 + 虹口体育馆: the city is a place of its own
        if reach == 1 and len(w) > 1 and any(pos[k] in NR_TAGS and _is_name_shape(words[k]) for k in range(first, i)):
            continue
        out.append((starts[first], ends[i], "LOC", "place_suffix", 2))


@_memoised  # pure on a short string; the same words recur
def _org_suffix(word: str) -> str | None:
    """Return the organisation suffix that ends ``word``, if any."""
    suffixes = lexicons().org_suffix_set
    for k in range(min(len(word), lexicons().org_suffix_max), 0, -1):
        if word[-k:] in suffixes:
            return word[-k:]
    return None


# Tags of the parts of a foreign name joined by · or — inside an organisation name.
FOREIGN_PART_TAGS = frozenset({"nr", "nrt", "ns", "nz"})
NAMED_AFTER_SUFFIXES = frozenset(_CUES["named_after_suffixes"])


def _nt_named(word: str) -> bool:
    """Tell whether an nt token with no place at its start and no suffix ends in a known
    organisation (中共 + 十五大, 俄 + 央行) or in 组织 after a name of two characters or more
    (非统组织, 石油输出国组织; the generic 党组织, 民间组织 are listed as no organisation)."""
    known = lexicons().orgs_known
    if any(word[k:] in known for k in range(1, len(word) - 1)):
        return True
    return len(word) >= 4 and word.endswith("组织")


def _chain_start(words, pos, starts, ends, i: int) -> int | None:
    """Return the first token of the organisation name that ends with token ``i``, if proper."""
    lex = lexicons()
    titles, places = lex.titles, lex.places
    j = i
    limit = max(0, i - 10)
    while j > limit:
        pw, pp = words[j - 1], pos[j - 1]
        if pw in CLOSERS and starts[j] == ends[j - 1]:
            # a quoted or titled part of the name (美国《时代》周刊, 韩国“小天使”艺术团)
            k = j - 2
            while k > limit and words[k] not in OPENERS:
                k -= 1
            if k > limit and words[k] == CLOSERS[pw] and j - 1 - k <= 4:
                j = k
                continue
            break
        if pp == "v" and len(pw) >= 2 and pos[j] not in PROPER_TAGS and j - 2 >= 0 and pos[j - 2] in ("n", "vn", "ns", "nt", "nz", "j"):
            j -= 1  # 国家统计委员会: a verb inside the name, between nouns
            continue
        if (IS_FOREIGN_JOIN[pw] and j - 2 > limit and pos[j] in FOREIGN_PART_TAGS and pos[j - 2] in FOREIGN_PART_TAGS
                and starts[j] == ends[j - 1] and starts[j - 1] == ends[j - 2] and IS_HAN[words[j - 2]]):
            j -= 2  # 乔治·梅森大学, 佩诺—里加集团: a name of two foreign parts
            continue
        if pp == "m" and IS_SESSION[pw]:
            j -= 1  # 第二届全国人民代表大会, 六届人大常委会: the session is part of the name
            continue
        if pp == "m" and j == i and all(ch in CHINESE_NUMERALS for ch in pw):
            j -= 1  # 北京九十中学, 开原公安交警三中队: a numeral right before the suffix
            continue
        if pp in CHAIN_BREAK_TAGS and pw not in places:
            break  # 大连/d 化工 集团公司: a gazetteer place keeps the chain whatever its tag
        if pw in CHAIN_STOP or pw in titles or pw in lex.org_chain_stops or not IS_HAN[pw] or starts[j] != ends[j - 1]:
            break
        if pp in NR_TAGS and j - 2 >= 0 and words[j - 2] in titles:
            break  # 主席张三 + 工会…: a person after a title, then a new name
        j -= 1
    for k in range(j, i + 1):
        if (pos[k] in NR_TAGS and k == i - 1 and len(words[i]) <= 3 and (_is_name_shape(words[k]) or pos[k] == "nrt")
                and words[i] not in NAMED_AFTER_SUFFIXES and words[k][-1] not in "镇乡县区市州" and words[k] not in places):
            # 刘延宇办公室: a person's name does not start an organisation (休斯公司 and
            # 薛埠镇/nr + 党委, a town, do; a village of three characters is often split: 三元 朱村)
            continue
        if pos[k] in PROPER_TAGS or words[k] in places or words[k] in ORG_HEADS or words[k] in lex.orgs_known:
            while k > j and IS_SESSION[words[k - 1]]:
                k -= 1  # 第二届 + 全国人民代表大会
            return k
    return None


GENERIC_GROUPS = frozenset(_CUES["generic_groups"])


def _is_upper_place(word: str) -> bool:
    """Tell whether ``word`` is a province or city written in full (辽宁省, 长沙市): a place above the next one."""
    pl = lexicons().places.get(word)
    return pl is not None and pl.level in ("province", "city") and word[-1] in "省市"


def _is_county(word: str) -> bool:
    """Tell whether ``word`` is a county-level place (开原, 平度市, 芙蓉区)."""
    pl = lexicons().places.get(word)
    return pl is not None and pl.level == "county"


def _org_candidates(text: str, tokens: Tokens, out: list, flags: bytes) -> None:
    """Add ORG candidates from the suffix grammar, known names and jieba nt tags."""
    lex = lexicons()
    words, pos, starts, ends = tokens.words, tokens.pos, tokens.starts, tokens.ends
    places, titles = lex.places, lex.titles
    for i in _indices_with(flags, ORG_BIT):
        w, p, s = words[i], pos[i], starts[i]
        last = w[-1]
        if p != "nt" and last not in lex.org_suffix_last and (len(w) < 2 or last not in lex.title_last) and w not in lex.orgs_known:
            continue  # no organisation rule can fire on this token
        if not IS_HAN[w]:
            continue
        # an organisation fused with a title (县委书记 -> 县委, 芬兰农林部长 -> 芬兰农林部)
        if len(w) >= 3 and last in lex.title_last and p != "nt":
            for k in range(2, len(w)):
                head, tail = w[:k], w[k:]
                # 县委书记, 银行行长, 司法部长 (部 + 长: the head's last character is shared)
                if not (tail in titles or tail == "长" and head[-1] in HEAD_CHARS):
                    continue
                if (head in lex.orgs_known or _org_suffix(head)) and "副" not in head[-2:]:
                    first = _chain_start(words, pos, starts, ends, i)
                    if head in NOT_ORGS and (first is None or first >= i):
                        continue  # 银行行长 alone names no bank; 非洲发展银行行长 does
                    start = starts[first] if first is not None and first < i else s
                    out.append((start, s + k, "ORG", "org_suffix", 3))
                    break
        # a head title as its own token after the name (芬兰 农林 部长 -> 芬兰农林部, 澳门日报 社长)
        if len(w) == 2 and w[1] == "长" and w[0] in HEAD_CHARS and w in titles and i > 0 and starts[i] == ends[i - 1] and pos[i - 1] not in NR_TAGS:
            first = _chain_start(words, pos, starts, ends, i)
            prev = words[i - 1]
            if (first is not None and i - 2 <= first < i and prev not in titles and prev not in lex.title_modifiers and not prev.endswith(w[0])
                    and pos[i - 1] in ("n", "nz", "j") and len(prev) >= 2 and _org_suffix(prev) is None
                    and not any(pos[k] in NR_TAGS for k in range(first, i)) and (first < i - 1 or pos[first] in ("nz", "j"))):
                out.append((starts[first], s + 1, "ORG", "org_suffix", 3))
        if w in lex.orgs_known:
            out.append((s, ends[i], "ORG", "lexicon", 4))
        elif (p == "nt" and w not in NOT_ORGS and not IS_DIRECTION[w] and not _abbrev_pair(w) and not (w[0] in lex.country_abbrev and w[1:] in ABBREV_HEADS)
              and (w[:2] in lex.place_prefixes or _org_suffix(w) is not None or _nt_named(w))):
            # jieba's nt also covers generic phrases (党政机关, 社会科学, 广大观众): an nt token
            # needs a place at its start, an organisation suffix or a known organisation at its end
            for k in range(len(w) - 1, 1, -1):
                if w[:k] in places and w[k:] in PLACE_HEADS:
                    break  # 日本政府 is the place, handled by the place rules
            else:
                start = s
                if i > 0 and pos[i - 1] in ("ns", "nz", "j") and ends[i - 1] == s and w.endswith("组织"):
                    start = starts[i - 1]  # 泛美 + 卫生组织: a proper name before a generic body
                out.append((start, ends[i], "ORG", "jieba", 2))
        suffix = _org_suffix(w) if p != "f" and not IS_DIRECTION[w] else None
        if suffix is None or w in NOT_ORGS and len(w) > 1 and i == 0:
            continue
        if w in NOT_ORGS and w not in lex.org_suffix_set:
            continue  # 部队, 球队, 总部: ordinary nouns ending in a suffix character
        if len(w) == 1 and p not in ("n", "ng", "nt", "nz", "j", "k"):
            continue  # 所 in 印度所面临: a particle, not a suffix
        if len(suffix) == 1 and len(w) >= 2 and (w[-2:] in NOT_ORGS and w[-2:] not in lex.org_suffix_set or len(w) == 2 and p in ("v", "vn", "a", "d", "m")):
            continue  # 两国关系, 全部, 建团: a common word that happens to end in 系 / 部 / 团
        first_proper = _chain_start(words, pos, starts, ends, i)
        stem = w[: len(w) - len(suffix)]
        if first_proper is None and stem in places:
            first_proper = i  # 古巴队, 天津市委: a place and the suffix in one token
        if (first_proper in (None, i) and w[0] in "省市县区" and len(w) <= 4 and i > 0 and starts[i] == ends[i - 1]
                and words[i - 1] + w[0] in lex.place_full and IS_HAN[words[i - 1]]):
            first_proper = i - 1  # 监利 + 县委: a county's short form before its own body (监利县委)
        if first_proper is None and stem in lex.orgs_known:
            first_proper = i  # 可口可乐公司: a known name and the suffix in one token
        if first_proper is None and suffix == "队" and len(w) >= 3 and w[:-1] not in common_words():
            first_proper = i  # 五牛队: a team named by an unusual word
        if first_proper is None:
            continue
        if first_proper == i - 1 and w in GENERIC_GROUPS and words[first_proper] in places:
            continue  # 非洲球队, 西藏部队: a place and a generic noun, not a named organisation
        if first_proper == i and any(w[:k] in places and w[k:] in PLACE_HEADS for k in range(2, len(w) - 1)):
            continue  # 美国公司: the place and a generic head, handled by the place rules
        if first_proper < i - 1 and _is_upper_place(words[first_proper]) and _is_county(words[first_proper + 1]):
            first_proper += 1  # 辽宁省 + 开原公安交警三中队: the province stands apart from a county's body
            # (甘肃省白银市总工会 keeps its province: a city's body is named with it)
        if first_proper == i and (w in NOT_ORGS or len(w) <= len(suffix)):
            continue
        if (first_proper == i and w not in lex.orgs_known and p != "nt" and stem not in places and stem not in lex.orgs_known
                and not (suffix in NAMED_AFTER_SUFFIXES and p in ("nz", "nr", "nrt") and len(stem) >= 2 and stem not in common_words())):
            continue  # a lone common noun ending in a suffix; 古巴队 (place + suffix), 雅戈尔集团/nz pass
        out.append((starts[first_proper], ends[i], "ORG", "org_suffix", 3))


# Tags of a word that can end a clause before a name: punctuation, 的, conjunctions, prepositions.
CLAUSE_EDGE_TAGS = frozenset({"x", "uj", "c", "p"})


def _noun_named_org_candidates(tokens: Tokens, out: list, flags: bytes) -> None:
    """Add an organisation named by an ordinary noun before a multi-character suffix word
    (语文 + 出版社, 星牌 + 俱乐部) when the noun opens a clause: after punctuation, 的, a
    conjunction or a preposition, or at the start (这家出版社 and 各大集团 are not names)."""
    lex = lexicons()
    words, pos, starts, ends = tokens.words, tokens.pos, tokens.starts, tokens.ends
    suffixes = lex.org_suffix_set
    # every suffix word of two characters or more has the ORG feature (_org_word_rule): the
    # organisation pass's few tokens, not a scan of every word, hold this pass's
    for i in _indices_with(flags, ORG_BIT):
        w = words[i]
        if i == 0 or len(w) < 2 or w not in suffixes or w in NOT_ORGS:
            continue
        j = i - 1
        noun = words[j]
        if (pos[j] not in ("n", "nz", "j") or len(noun) < 2 or ends[j] != starts[i] or not IS_HAN[noun]
                or noun in lex.titles or noun in suffixes):
            continue
        if j == 0 or pos[j - 1] in CLAUSE_EDGE_TAGS:
            out.append((starts[j], ends[i], "ORG", "org_suffix", 2))


# A newspaper or magazine title in book-title marks: 《费加罗报》, 《朝日新闻》, 《经济周刊》;
# 《时代潮》杂志 names the magazine with its marks. A place right before it belongs to the name
# (美国《新英格兰医学杂志》, 华北《人民日报》), as PD1998 tags it.
RE_PRESS_TITLE = re.compile(r"《([\u4e00-\u9fff]{2,12}?(?:报|新闻|周刊|月刊|旬刊|季刊|杂志|画报|文摘))》|《[\u4e00-\u9fff]{1,10}》(?:杂志|周刊|月刊|画报)")


def _press_candidates(text: str, out: list) -> None:
    """Add ORG candidates for newspapers and magazines named in book-title marks."""
    if "《" not in text:
        return
    for m in RE_PRESS_TITLE.finditer(text):
        name = m.group(1)
        if name is not None:
            if "的" in name or len(name) < 3:
                continue  # 《过去的新闻》: a column, not a paper; 《情报》 is too short to tell
            s, e = m.start(1), m.end(1)
        else:
            s, e = m.start(), m.end()
        out.append((s, e, "ORG", "press", 4))
        place = next((c[0] for c in out if c[1] == m.start() and c[2] == "LOC"), None)
        if place is not None:
            out.append((place, m.end(), "ORG", "press", 4))


NOT_UNION_NEXT = frozenset(_CUES["not_union_next"])


def _union_abbrev_candidates(text: str, found: list, out: list) -> None:
    """Add the newspaper abbreviation <place>总 / 省总 / 市总 for a trade-union federation."""
    lex = lexicons()
    n = len(text)
    # bare 省总 / 市总 / 县总 / 区总 after a boundary, or <Chinese place ending in 省/市/县/区>总
    hits = []  # each 总 right after 省/市/县/区 and before no character that makes it another word
    idx = text.find("总")
    while idx != -1:
        nxt = text[idx + 1] if idx + 1 < n else ""
        if idx >= 1 and (nxt not in NOT_UNION_NEXT or nxt == "统") and text[idx - 1] in "省市县区":
            hits.append(idx)
        idx = text.find("总", idx + 1)
    if not hits:
        return  # the common case (总书记, 总统 …): no place ends need collecting
    # where a named Chinese province, city or county ends: a 总 right after it may be 市总
    place_ending_at: dict[int, int] = {}
    for (s, e, t, _src, _p) in found:
        if t == "LOC" and e not in place_ending_at and text[s:e] in lex.place_full:
            pl = lex.places.get(text[s:e])
            if pl and pl.level in ("province", "city", "county"):
                place_ending_at[e] = s
    for idx in hits:
        nxt = text[idx + 1] if idx + 1 < n else ""
        start = place_ending_at.get(idx)
        if start is None and nxt == "统":
            pass  # 市总统: a union abbreviation only after a named Chinese place
        elif start is None and (idx < 2 or not regex.match(r"\p{Han}", text[idx - 2]) or text[idx - 2] in "对此由和与及、在将把向从经后"):
            start = idx - 1
        if start is not None:
            out.append((start, idx + 1, "ORG", "abbreviation", 5))


def _context_candidates(text: str, context: PageContext | None, out: list) -> None:
    """Add PERSON mentions of people the page has already credited or named."""
    if context is None:
        return
    for name in context.people:
        if len(name) < 2:
            continue
        idx = text.find(name)
        while idx != -1:
            out.append((idx, idx + len(name), "PERSON", "credit", 6))
            idx = text.find(name, idx + len(name))


# Bodies of the solar system and the galaxy: news text (and PD1998) treats them as places.
RE_CELESTIAL = re.compile(r"地球|月球|银河系|银河|火星|木星|土星|水星|海王星|天王星|冥王星")
PAIR_HEADS = _CUES["pair_heads"]
# Punctuation after which a clause (and possibly a speaker's name) starts.
CLAUSE_OPENERS = frozenset("，。；：、“”‘’（）《》！？　 \n—…")
# Where a name before a title may start after: punctuation and one-character function words.
BEFORE_NAME_CHARS = CLAUSE_OPENERS | NAME_BEFORE_TITLE_PREV
NAME_NEXT_VERBS = _CUES["name_next_verbs"]
# Adverbs and words that follow the subject of a clause: after a clause start, a surname and
# one or two characters typical of names before one of them is a person (郑全军又安排, 袁步兵本人).
NAME_NEXT_SUBJECT = (*NAME_NEXT_VERBS, "又", "还", "也", "曾", "已经", "却", "则", "便", "本人", "同志", "先生", "女士", "等同志", "告诉", "回答", "认真", "立即", "随即", "当即", "亲自", *NAME_GROUP_WORDS)
# Their first characters: the cheap test before text.startswith with the whole tuple.
NAME_NEXT_FIRST = frozenset(w[0] for w in NAME_NEXT_SUBJECT)
SETTLEMENT_CHARS = frozenset(_CUES["settlement_chars"])
# Mean given-name likelihood a name found only by its context (clause start + speech verb) needs.
CONTEXT_NAME_SCORE = 0.0
# Mean given-name likelihood of a name right after a title (two given characters, one).
TITLE_NAME_SCORE = 0.0
TITLE_NAME_SCORE_ONE = 1.0


# Two country abbreviations (、 between allowed) before a bilateral head: 中韩建交, 中、阿建交.
_CABBR = "".join(sorted(lexicons().country_abbrev))
# The first abbreviation must not continue a run of them; that is checked by a lookbehind after
# its character, so the pattern starts with a character class and the scan skips ahead fast.
RE_ABBR_PAIR = re.compile(
    rf"([{_CABBR}])(?<![{_CABBR}]{{2}})、?([{_CABBR}])(?=" + "|".join(h for h in PAIR_HEADS if h != "在") + r"|在[，。；、])"
)


def _pair_abbrev_candidates(text: str, out: list) -> None:
    """Add both places of two country abbreviations before a bilateral head (中韩建交, 巴以谈判)."""
    for m in RE_ABBR_PAIR.finditer(text):
        if m.group(1) != m.group(2):
            out.append((m.start(1), m.end(1), "LOC", "abbreviation", 2))
            out.append((m.start(2), m.end(2), "LOC", "abbreviation", 2))


def _extra_place_candidates(text: str, tokens: Tokens, out: list, flags: bytes) -> None:
    """Add LOC candidates: lone country abbreviations, settlements, celestial bodies."""
    lex = lexicons()
    words, pos, starts, ends = tokens.words, tokens.pos, tokens.starts, tokens.ends
    cabbr, common = lex.country_abbrev, common_words()
    n = len(words)
    for i in _indices_with(flags, EXTRA_PLACE_BIT):
        w, p = words[i], pos[i]
        if len(w) == 1:
            # 俄将…, 俄/j 指责, 巴/ns 的: jieba already read the character as a place abbreviation
            if w in cabbr and p in ("j", "ns") and i + 1 < n and IS_HAN[words[i + 1]] and pos[i + 1] not in NR_TAGS and pos[i + 1] != "nz":
                out.append((starts[i], ends[i], "LOC", "abbreviation", 1))
            elif w in SETTLEMENT_CHARS and i > 0 and len(words[i - 1]) == 2 and pos[i - 1] in ("n", "nz", "nr", "ns") and starts[i] == ends[i - 1]:
                stem = words[i - 1]
                if IS_HAN[stem] and common.get(stem, 0) < COMMON_WORD_FREQ and stem not in lex.not_places:
                    out.append((starts[i - 1], ends[i], "LOC", "place_suffix", 1))  # 甘棠 + 镇
        elif len(w) == 3 and w[-1] in SETTLEMENT_CHARS and p in ("n", "nz", "nr", "ns") and w not in common and w not in lex.not_places:
            stem = w[:2]
            if common.get(stem, 0) < COMMON_WORD_FREQ and stem[0] not in "各本该全每这那此":
                out.append((starts[i], ends[i], "LOC", "place_suffix", 1))  # 下叔村, 高升镇
    if "球" in text or "星" in text or "银河" in text:  # in every name of RE_CELESTIAL: skip most texts
        for m in RE_CELESTIAL.finditer(text):
            out.append((m.start(), m.end(), "LOC", "gazetteer", 1))
    _pair_abbrev_candidates(text, out)


# Every title of two characters or more: a name may start right where one ends (副署长孙寿山).
TITLE_WORDS = frozenset(t for t in lexicons().titles if len(t) >= 2)
# A surname or transliteration character right after the last character of some title: the
# cheap first test of a name after a title (the title itself is checked by lookup).
_TITLE_LAST_CLASS = "[" + "".join(sorted({t[-1] for t in TITLE_WORDS})) + "]"
_NAME_FIRST_CLASS = "[" + "".join(sorted(lexicons().surnames | lexicons().translit_chars | {c[0] for c in lexicons().compound_surnames}
                                           | {w[0] for w in lexicons().japanese_surnames})) + "]"
# The next-to-last characters of the titles: a lookbehind after the last character drops
# most positions where no title can end (every title has two characters or more).
_TITLE_PENULT_CLASS = "[" + re.escape("".join(sorted({t[-2] for t in TITLE_WORDS}))) + "]"
# Matched on the title's last character (a lookahead, not a lookbehind, so the engine can
# skip ahead to candidate characters quickly); ``m.end()`` is where the name starts.
RE_AFTER_TITLE_CHAR = re.compile(_TITLE_LAST_CLASS + "(?<=" + _TITLE_PENULT_CLASS + ".)(?=" + _NAME_FIRST_CLASS + ")")
# The lengths of the titles ending in each character: the title before a position is
# checked with a few lookups instead of every possible length.
TITLE_LENGTHS_BY_LAST = {}
for _t in TITLE_WORDS:
    TITLE_LENGTHS_BY_LAST.setdefault(_t[-1], set()).add(len(_t))
TITLE_LENGTHS_BY_LAST = {ch: tuple(sorted(ks)) for ch, ks in TITLE_LENGTHS_BY_LAST.items()}
# The last two characters of every title: one lookup drops most places where the pattern's
# last and next-to-last characters are those of two different titles.
TITLE_TAILS = frozenset(t[-2:] for t in TITLE_WORDS)
# Single characters that may follow a name: punctuation, function words, verbs of reporting.
NAME_END_CHARS = frozenset("，。；：、“”‘’（）()《》！？ ,.;:!?—…说曾将在和与及等也是的为对向从今昨近日此讲谈任均都已率称则以便却还就又被把于时0123456789０１２３４５６７８９")
# Dictionary frequency of the two characters after a transliterated name above which they are a
# word of the sentence, so the name ends there (总参谋长马内 + 私下).
TRANSLIT_END_WORD_FREQ = 100
# Characters and joiners of a transliterated name after a title (导演山姆·雷米).
FOREIGN_DOTS = frozenset("·•・．")


def _name_end_ok(text: str, e: int) -> bool:
    """Tell whether a name can end at ``e``: the text ends, or a boundary word starts there."""
    if e >= len(text):
        return True
    lex = lexicons()
    if text[e] in NAME_END_CHARS or text.startswith(NAME_NEXT_VERBS, e):
        return True
    for k in (2, 3):  # a plain loop: this runs for most names found on the characters
        word = text[e : e + k]
        if word in lex.titles or word in HONORIFIC_SET or word in lex.speech_verbs:
            return True
    return False


TIME_MODIFIER_CHARS = frozenset(_CUES["time_modifier_chars"])


def _title_follows(text: str, e: int) -> bool:
    """Tell whether a title or honorific starts at ``e``."""
    lex = lexicons()
    return any(text[e : e + k] in lex.titles or text[e : e + k] in HONORIFIC_SET for k in (2, 3))


def _title_name_candidates(text: str, out: list) -> list[int]:
    """Add names written right after a title, found on the characters (jieba cuts them badly).

    A Chinese name is a surname and one or two characters typical of names, followed by a
    boundary (punctuation, a function word, a speech verb, another title); a foreign one is
    a run of transliteration characters, parts joined by a middle dot. Returns where the
    titles end, for the speech-verb rule.
    """
    lex = lexicons()
    surnames, translit = lex.surnames, lex.translit_chars
    common = common_words()
    n = len(text)
    title_ends = []
    for m in RE_AFTER_TITLE_CHAR.finditer(text):
        p = m.end()
        if p >= n - 1 or text[p - 2 : p] not in TITLE_TAILS:
            continue
        for k in TITLE_LENGTHS_BY_LAST[text[p - 1]]:
            if k <= p and text[p - k : p] in TITLE_WORDS:
                break
        else:
            continue
        title_ends.append(p)
        ch = text[p]
        found = False
        if ch in surnames or text[p : p + 2] in lex.compound_surnames:
            k = 2 if text[p : p + 2] in lex.compound_surnames else 1
            for g in (2, 1):
                e = p + k + g
                name = text[p:e]
                if e > n or not IS_HAN[name] or not _name_end_ok(text, e):
                    continue
                # a two-character given name may hold characters that rarely end a name (王前虎, 周恩来)
                if any(c in (GLUED_CHARS if g == 2 else STOP_CHARS) for c in name[k:]) or _ordinary_word(name) or name in lex.places or name in lex.titles or name in lex.not_names:
                    continue
                if ch == "和" and (name[1] in TIME_MODIFIER_CHARS or _title_follows(text, e)):
                    continue  # 女王和明仁天皇, 大使和新任…: 和 joins two people or posts
                if _given_name_score(name[k:]) >= (TITLE_NAME_SCORE if g == 2 else TITLE_NAME_SCORE_ONE):
                    out.append((p, e, "PERSON", "title_context", 3))
                    found = True
                    break
        if not found and ch in translit:
            e = p
            while e < n and (text[e] in translit or text[e] in FOREIGN_DOTS and e + 1 < n and text[e + 1] in translit):
                e += 1
            word = text[p:e]
            if (e - p >= 3 and any(c in FOREIGN_DOTS for c in word) or 2 <= e - p <= 6 and word not in common and word not in lex.places
                    and not any(word[:k] in lex.places for k in range(2, len(word)))) and (
                    _name_end_ok(text, e) or common.get(text[e : e + 2], 0) >= TRANSLIT_END_WORD_FREQ and common.get(word[:2], 0) < COMMON_WORD_FREQ):
                out.append((p, e, "PERSON", "title_context", 3))  # 导演山姆·雷米, 国防部长盖茨
    return title_ends


def _char_class(chars) -> str:
    """Return a regular-expression class of these characters."""
    return "[" + regex.escape("".join(sorted(chars))) + "]"


# The first character of a clause (text start or after punctuation) that may start a name,
# with the characters after it that one of the rules of _context_person_candidates needs
# (a superset, the rules test again): the first two characters of a Japanese surname; a
# surname (no stop character) whose second or third next character can start a subject word
# (高云江说: 说 starts one); two transliteration characters. Most clause starts have none of
# these shapes, and re drops them in C instead of the rules' Python loop.
# Plain character classes: the standard library's re scans them faster than regex.
# Found as <opener><lookahead> without a lookbehind (much faster to scan for); the text
# start is checked apart.
_NAME_CONTEXT = (
    _char_class({w[0] for w in lexicons().japanese_surnames}) + _char_class({w[1] for w in lexicons().japanese_surnames})
    + "|" + _char_class(lexicons().surnames - STOP_CHARS) + r"[\s\S][\s\S]?" + _char_class(NAME_NEXT_FIRST)
    + "|" + _char_class(lexicons().translit_chars) + "{2}"
)
CLAUSE_CONJUNCTIONS = frozenset(_CUES["clause_conjunctions"])
RE_CLAUSE_NAME_START = re.compile(_char_class(CLAUSE_OPENERS | CLAUSE_CONJUNCTIONS) + "(?=" + _NAME_CONTEXT + ")")
RE_NAME_CONTEXT = re.compile(_NAME_CONTEXT)


def _clause_name_starts(text: str) -> list[int]:
    """Return the positions at the text start or right after a clause opener where a name the
    rules of _context_person_candidates read may start."""
    starts = [m.end() for m in RE_CLAUSE_NAME_START.finditer(text)]
    if RE_NAME_CONTEXT.match(text):
        starts.insert(0, 0)
    return starts


# A transliterated name whose parts are joined by a middle dot (彼得·皮奥, 马·莱万多夫斯基,
# 马克思·卢布里克): next to a dot, characters that are also common in ordinary words count.
_TRANSLIT = regex.escape("".join(sorted(lexicons().translit_dotted)))
RE_DOTTED_NAME = re.compile(rf"(?<![{_TRANSLIT}])[{_TRANSLIT}]+(?:[·•・][{_TRANSLIT}]+)+")


# Last characters of a title or an organisation, after which a one-character initial may start a
# dotted name (研究所马·莱万多夫斯基, 教练汤·莫里斯).
DOTTED_BEFORE_CHARS = lexicons().org_suffix_last | lexicons().title_last
# Dictionary frequency above which the last character of a dotted name and the next one are a
# word of the sentence rather than part of the name (安南 + 希望, 英博登 + 日前).
DOTTED_TAIL_WORD_FREQ = 100


def _title_end_inside(text: str, a: int, b: int) -> int:
    """Return the end of the last title word that ends inside ``text[a:b]`` (主席 in 主席尼古拉斯), else ``a``."""
    for j in range(b - 1, a - 1, -1):
        for k in TITLE_LENGTHS_BY_LAST.get(text[j], ()):
            if j + 1 - k >= max(0, a - 3) and text[j + 1 - k : j + 1] in TITLE_WORDS:
                return j + 1
    return a


def _dotted_name_candidates(text: str, out: list) -> None:
    """Add whole dotted transliterations as people (or places when the context says so)."""
    if "·" not in text and "•" not in text and "・" not in text:
        return
    common = common_words()
    for m in RE_DOTTED_NAME.finditer(text):
        a, b = m.span()
        dot = a + min(i for i in (m.group().find(d) for d in "·•・") if i >= 0)
        # 主席尼古拉斯·英博登, 秘书长科菲·安南: a title before the name is not part of it
        a = _title_end_inside(text, a, dot)
        # 科菲·安南希望: the last character starts a word of the sentence
        if b - a > 4 and common.get(text[b - 1 : b + 1], 0) >= DOTTED_TAIL_WORD_FREQ:
            b -= 1
        if b - a < 3 or a == dot:
            continue
        if a > 0 and text[a + 1] in "·•・" and IS_HAN[text[a - 1]] and text[a - 1] not in DOTTED_BEFORE_CHARS and text[a - 1] not in STOP_CHARS:
            continue  # 导演山姆·雷米: a one-character first part cut from a longer one (山 is no transliteration)
        if _foreign_is_place(text, a, b):
            continue
        out.append((a, b, "PERSON", "name_shape", 2))


# 老/小 + a surname standing for a person (老于的女儿, 小刘说): after a boundary, before a
# function word, a verb of saying or punctuation; the surname alone is the person.
# The pattern starts with [老小] so the scan skips ahead fast; "at the text start or after one of
# the characters" is written as "not after any other character" (a negative lookbehind).
RE_FAMILIAR = re.compile(
    "[老小](?<![^" + re.escape("".join(sorted(CLAUSE_OPENERS))) + "的和与及对给让请被把跟同][老小])([" + re.escape("".join(sorted(lexicons().surnames))) + "])"
    "(?=[的还说是也就都和又却，。、；：！？])"
)


# Trophies and prizes named after a person (尤伯杯, 汤尤杯, 诺贝尔奖), longest first; the gold
# tags the eponym as a person, as it tags the founder of a doctrine.
EPONYMS = dict(lexicons().eponyms)
RE_EPONYM = re.compile("|".join(sorted(map(re.escape, EPONYMS), key=len, reverse=True)))


def _eponym_candidates(text: str, out: list) -> None:
    """Add the people that trophies and prizes are named after (尤伯杯 -> 尤伯, 汤尤杯 -> 汤, 尤)."""
    if "杯" not in text and "奖" not in text:
        return
    for m in RE_EPONYM.finditer(text):
        for a, b in EPONYMS[m.group()]:
            out.append((m.start() + a, m.start() + b, "PERSON", "eponym", 3))


def _familiar_candidates(text: str, out: list) -> None:
    """Add the surname of 老于 / 小刘 as a person (the gold convention for a surname with a familiar prefix)."""
    if "老" not in text and "小" not in text:
        return
    common = common_words()
    for m in RE_FAMILIAR.finditer(text):
        if text[m.start() : m.end()] not in common:  # 老师, 小时 are words
            out.append((m.start(1), m.end(1), "PERSON", "surname_title", 2))


# First characters of Japanese surnames: the cheap test before slicing the text for one.
JAPANESE_SURNAME_FIRST_CHARS = frozenset(w[0] for w in lexicons().japanese_surnames)
# Last characters of Japanese surnames: 本 of 桥本 ends a name before a title though it ends no Chinese one.
JAPANESE_SURNAMES = lexicons().japanese_surnames
JAPANESE_SURNAME_LAST_CHARS = frozenset(w[-1] for w in JAPANESE_SURNAMES)


def _context_person_candidates(text: str, title_ends: list[int], out: list) -> None:
    """Add names found by their context alone: clause start or title, then a speech verb.

    jieba cuts many names badly (高云 + 江说, 许立群/m): here the characters decide. A Chinese
    name is a surname and one or two characters typical of names; a foreign one a run of
    transliteration characters; a Japanese one a Japanese surname (桥本首相, 桥本龙太郎说).
    """
    lex = lexicons()
    surnames, translit, jp = lex.surnames, lex.translit_chars, lex.japanese_surnames
    n = len(text)
    # clause starts: the text start, after punctuation, after a title word (政委高云江说)
    opens = _clause_name_starts(text) + list(title_ends)
    title_set = set(title_ends)
    for p in opens:
        if p >= n - 2:
            continue
        ch = text[p]
        # Japanese: surname + title (桥本首相) or surname + 1-3 characters + speech verb
        for k in ((3, 2) if ch in JAPANESE_SURNAME_FIRST_CHARS else ()):
            sn = text[p : p + k]
            if sn in jp:
                rest = text[p + k : p + k + 4]
                after_title = p in title_set
                if (rest[:2] in lex.titles or rest[:3] in lex.titles or rest[:2] in HONORIFIC_SET or rest.startswith(NAME_NEXT_SUBJECT)
                        or after_title and _name_end_ok(text, p + k)):
                    out.append((p, p + k, "PERSON", "name_shape", 2))  # 桥本首相, 桥本还表示
                    break
                for g in (3, 2):
                    given = text[p + k : p + k + g]
                    if len(given) < g:
                        continue  # the text ends inside the given name (数据来源：中山火)
                    # before a speech verb, or before any boundary after a title or, for a two-character
                    # given name, at a clause start (首相桥本龙太郎在, ，东条英机在书房里)
                    if ((text.startswith(NAME_NEXT_SUBJECT, p + k + g) or (after_title or g == 2) and _name_end_ok(text, p + k + g))
                            and IS_HAN[given] and not any(c in GLUED_CHARS for c in given)
                            and common_words().get(given[:2], 0) < COMMON_WORD_FREQ):  # 桥本 + 坦率地回答
                        out.append((p, p + k + g, "PERSON", "name_shape", 2))
                        break
                break
        if ch in surnames and ch not in STOP_CHARS:
            for g in (2, 1):
                e = p + 1 + g
                if e >= n or text[e] not in NAME_NEXT_FIRST or not text.startswith(NAME_NEXT_SUBJECT, e):
                    continue
                name = text[p:e]
                if (IS_HAN[name] and _is_name_shape(name) and name not in lex.places and not _ordinary_word(name)
                        and name not in lex.titles and _given_name_score(name[1:]) >= CONTEXT_NAME_SCORE):
                    out.append((p, e, "PERSON", "name_shape", 2))
                    break
        if ch in translit:
            e = p
            while e < n and e - p < 6 and text[e] in translit:
                e += 1
            # a verb of saying (迪亚等人, 里德说: two characters will do) or a title must follow
            # (tested first: it rarely does)
            before_verb = e - p >= 2 and text.startswith(NAME_NEXT_VERBS, e)
            if not (before_verb or e - p >= 2 and (text[e : e + 2] in TITLE_WORDS or text[e : e + 3] in TITLE_WORDS)):
                continue
            word = text[p:e]
            if word in lex.places or word in common_words():
                continue
            if before_verb or not any(word[:k] in lex.places for k in range(2, len(word))):
                out.append((p, e, "PERSON", "name_shape", 2))  # 奥巴马总统, 泽林上将


# Separators between the items of a list of names, and what ends such an item.
LIST_ITEM_END = frozenset("、，,。；;：:（）()“”《》！？ 和与及等")
# Mean given-name likelihood an item listed next to a found name needs (陶汉明、吕钦).
LIST_NAME_SCORE = -1.0


def _list_neighbours(text: str, chosen: list) -> list:
    """Return PERSON candidates for name-shaped items listed with 、 next to a found person.

    In 胡荣华、赵汝权对陶汉明 the found names vouch for their neighbours in the list; an
    item is a surname and one or two characters, a whole item between separators.
    """
    if "、" not in text:
        return []  # no list separator: no neighbour to add (a C-level scan)
    lex = lexicons()
    taken = None  # the characters of the chosen candidates, marked when a neighbour needs them
    out = []
    todo = [(c[0], c[1]) for c in chosen if c[2] == "PERSON" and c[1] - c[0] >= 2]
    seen = set()
    while todo:
        s, e = todo.pop()
        for side in (1, -1):
            if side == 1:
                if e >= len(text) or text[e] != "、":
                    continue
                a = e + 1
                b = a
                while b < len(text) and b - a < 4 and text[b] not in LIST_ITEM_END:
                    b += 1
            else:
                if s < 2 or text[s - 1] != "、":
                    continue
                b = s - 1
                a = b
                while a > 0 and b - a < 4 and text[a - 1] not in LIST_ITEM_END:
                    a -= 1
                if a > 0 and text[a - 1] not in LIST_ITEM_END:
                    continue
            if b < len(text) and text[b] not in LIST_ITEM_END:
                continue
            name = text[a:b]
            if (a, b) in seen or not 2 <= len(name) <= 3 or not _is_name_shape(name):
                continue
            if taken is None:
                taken = bytearray(len(text))
                for c in chosen:
                    taken[c[0] : c[1]] = b"\1" * (c[1] - c[0])
            if any(taken[a:b]):
                continue
            if name in common_words() or name in lex.places or _given_name_score(name[_surname_len(name):]) < LIST_NAME_SCORE:
                continue
            seen.add((a, b))
            out.append((a, b, "PERSON", "name_list", 2))
            todo.append((a, b))
    return out


# Mean given-name likelihood of the two characters of a name extended by the character jieba
# put into the next word (李培 + 之同志, 张少 + 农等领导).
EXTEND_GIVEN_SCORE = -1.0
# Dictionary frequency from which that character and the next one are a word of the sentence.
EXTEND_WORD_FREQ = 100


def _extend_split_names(text: str, cands: list) -> None:
    """Extend two-character names that jieba cut before their last character.

    A surname and one character that do not end at a boundary, followed by one character
    after which a boundary comes (李培之同志, 张少农等, 张栗庵进士) are a three-character name.
    """
    lex = lexicons()
    n = len(text)
    for idx, c in enumerate(cands):  # the chosen candidates, in text order
        s, e = c[0], c[1]
        if c[2] != "PERSON" or e - s != 2 or e >= n or text[s] not in lex.surnames:
            continue
        if idx + 1 < len(cands) and cands[idx + 1][0] <= e:
            continue  # the next character belongs to another entity
        ch = text[e]
        if ch in STOP_CHARS and ch != "之" or not IS_HAN[ch] or _name_end_ok(text, e) or not _name_end_ok(text, e + 1):
            continue
        if common_words().get(text[e : e + 2], 0) >= EXTEND_WORD_FREQ:
            continue  # 张超 + 成为, 朱帅 + 现在: the character starts a word of the sentence
        if _given_name_score(text[s + 1 : e + 1]) >= EXTEND_GIVEN_SCORE and text[s : e + 1] not in lex.places:
            cands[idx] = (s, e + 1, *c[2:])


# Sources of PERSON candidates whose context (a title, a verb of saying) vouches for the name.
STRONG_SOURCES = frozenset({"title_context", "speech_verb", "credit"})


def _repeated_names(text: str, chosen: list) -> list:
    """Return PERSON candidates for further mentions of a name the text already gave as a person.

    A name found once by its context (记者, 说, a title) is the same person where it recurs
    without one (桥本首相 … 桥本则在会谈中).
    """
    # a two-character name only when its context vouched for it (韩正副总理, 李隼表示): a wrong
    # one from jieba's tags alone (国乒, 科普) would spread over the text
    names = {text[c[0] : c[1]] for c in chosen if c[2] == "PERSON" and c[3] != "name_list"
             and (c[1] - c[0] >= 3 or c[1] - c[0] == 2 and c[3] in STRONG_SOURCES and text[c[0] - 1 : c[0]] not in CREDIT_SEPARATORS)}
    out = []
    found = None
    for name in names:
        if text.count(name) < 2:
            continue  # one mention: nothing to add (the common case, one C-level scan)
        if found is None:
            found = {c[0] for c in chosen if c[2] == "PERSON"}
        idx = text.find(name)
        while idx != -1:
            if idx not in found:
                out.append((idx, idx + len(name), "PERSON", "repeat", 1))
            idx = text.find(name, idx + len(name))
    return out


def _selection_order(c: tuple) -> int:
    """Return the sort key (-(priority >= 5), -length, -priority, start) of a candidate packed
    into one integer (ints compare faster than tuples): fields of 32, 32, 8 and 32 bits."""
    s, e, p = c[0], c[1], c[4]
    return ((((p < 5) << 32 | (1 << 31) - (e - s)) << 8 | 128 - p) << 32) + s


def _select(cands: list) -> list:
    """Keep non-overlapping candidates, longest and most trusted first."""
    cands.sort(key=_selection_order)
    chosen = []
    occupied = bytearray(max(map(itemgetter(1), cands), default=0))
    for c in cands:
        s, e = c[0], c[1]
        if e <= s:
            continue
        if occupied.find(1, s, e) != -1:
            continue  # some character is taken (find scans in C, no slice built)
        occupied[s:e] = b"\1" * (e - s)
        chosen.append(c)
    chosen.sort(key=itemgetter(0))
    return chosen


def _canonical(text: str, chosen: list, context: PageContext | None) -> list[Entity]:
    """Build entities with canonical names: abbreviations and bare surnames resolved."""
    lex = lexicons()
    ctx_people = context.people if context else ()
    ctx_orgs = context.orgs if context else ()
    ctx_places = context.places if context else ()
    # names seen so far, most recent last; dicts keep each name once, so resolving a
    # mention costs the number of distinct names, not the number of mentions
    people: dict[str, None] = dict.fromkeys(ctx_people)
    orgs: dict[str, None] = dict.fromkeys(ctx_orgs)
    province = city = None
    for p in ctx_places:
        pl = lex.places.get(p)
        if pl and pl.level in ("province", "city", "county"):
            province = province or pl.province
            if pl.level == "city":
                city = city or pl.name
    for (s, e, t, _src, _p) in chosen:
        if t in ("LOC", "ORG"):
            pl = lex.places.get(text[s:e]) if t == "LOC" else _leading_place(text[s:e])
            if pl and pl.level in ("province", "city", "county"):
                province = pl.province or province
                if pl.level == "city":
                    city = pl.name
                elif pl.level == "county" and pl.city:
                    city = pl.city
                break
    entities = []
    for (s, e, t, src, _p) in chosen:
        surface = text[s:e]
        name = surface
        if t == "PERSON":
            if len(surface) <= 2 and _surname_len(surface) == len(surface):
                for full in reversed(people):
                    if full.startswith(surface) and len(full) > len(surface):
                        name = full
                        break
            elif len(surface) >= 2:
                people.pop(surface, None)
                people[surface] = None
        elif t == "LOC":
            pl = lex.places.get(surface)
            if pl and pl.level in ("province", "city", "county"):
                if pl.level == "province":
                    province = pl.name
                else:
                    province = pl.province or province
                    city = pl.name if pl.level == "city" else (pl.city or city)
        elif t == "ORG":
            name = _resolve_org(surface, orgs, province, city)
            pl = _leading_place(surface)
            if pl is not None:  # 江苏省人大常委会 names the province for a later 省总工会
                province = pl.province or province
                city = pl.name if pl.level == "city" else city
            orgs.pop(name, None)
            orgs[name] = None
        entities.append(Entity(t, surface, name, s, e, src))
    return entities


@_memoised  # pure on a short string; the same words recur
def _leading_place(name: str):
    """Return the Chinese administrative place that starts an organisation name, if any."""
    places = lexicons().places
    for k in range(min(len(name) - 1, 9), 1, -1):
        pl = places.get(name[:k])
        if pl is not None and pl.level in ("province", "city", "county"):
            return pl
    return None


def _resolve_org(surface: str, orgs: dict[str, None], province: str | None, city: str | None) -> str:
    """Return the full name of an organisation mention (嘉兴市总 -> 嘉兴市总工会)."""
    full = surface
    if surface.endswith("总"):
        full = surface + "工会"
    if full[:1] in "省市县区" and (full[1:] == "总工会" or full[1:] in ("委", "政府", "人大", "政协")):
        if full[0] == "省" and province:
            full = province + full[1:]
        elif full[0] == "市" and city:
            full = city + full[1:]
    # a longer name given earlier on the page that ends in this one (甘肃省白银市总工会)
    places = lexicons().places
    for known in reversed(orgs):
        if known.endswith(full) and len(known) > len(full) and known[: len(known) - len(full)] in places:
            return known
    return full


# Which candidate passes can fire on a token depends on its text and tag only. Per token,
# two C-level dict lookups give the word's and the tag's features (cached: words recur
# across articles), one byte each. The passes' first tests are then evaluated on all tokens
# at once: the feature bytes are read as one big integer and & and | combine every token
# in C (the next token's feature is one more shift by 8). The passes visit only the tokens
# a rule can start at.
PERSON_BIT, PLACE_BIT, PLACE_CHAIN_BIT, ORG_BIT, EXTRA_PLACE_BIT = 1, 2, 4, 8, 16

# Word features and tag features (one byte each) the passes' first tests use.
# A feature may hold for more words than its pass needs (the loops repeat their tests), never fewer.
# The low five bits are the pass bits themselves: a word or a tag alone may let a pass visit
# the token (a title, a gazetteer word; an ns or nt tag), so word | tag gives them at once.
# The high three bits of a word feature hold only with the same bit of the tag feature: the
# token's byte of word & tag has them, the last one only before a title or honorific.
W_TITLE_HON, W_PLACE, W_PLACE_CHAIN, W_ORG, W_EXTRA_PLACE, W_PERSON, W_SURNAME_WORD, W_PERSON_NEXT = (1 << k for k in range(8))
# T_PERSON: an eng token, or a name tag no person rule skips; T_PLACE: ns; T_ORG: nt; the
# high bits: a tag where no person rule skips the token (for W_PERSON, W_PERSON_NEXT), and
# one a surname token may have (for W_SURNAME_WORD).
T_PERSON, T_PLACE, T_ORG, T_PERSON_OK, T_SURNAME_OK, T_PERSON_NEXT_OK = 1, 2, 8, W_PERSON, W_SURNAME_WORD, W_PERSON_NEXT
PASS_BITS = PERSON_BIT | PLACE_BIT | PLACE_CHAIN_BIT | ORG_BIT | EXTRA_PLACE_BIT


def _may_hold_abbreviation(word: str) -> bool:
    """Tell whether ``word`` has one of the shapes in which _abbreviation_places finds a place."""
    lex = lexicons()
    cabbr, anyabbr = lex.country_abbrev, lex.any_abbrev
    if word in lex.abbrev_compounds:
        return True
    if len(word) == 1:
        return word in cabbr or word in anyabbr
    return (word[0] in cabbr and word[1] in cabbr
            or len(word) == 2 and word[0] in anyabbr and word[1] in anyabbr
            or word[0] in ABBREV_VERBS and word[1] in ABBREV_AFTER_VERB
            or word[0] in cabbr and word[1:] in ABBREV_HEADS)


def _org_word_rule(word: str) -> bool:
    """Tell whether a rule of _org_candidates may fire on a token not tagged nt: a known name, a
    head title (部长), a word ending in an organisation suffix or an organisation fused with a
    title (县委书记; the same head and tail tests as the loop); or _noun_named_org_candidates
    on a suffix word of two characters or more."""
    lex = lexicons()
    if len(word) >= 2 and word in lex.org_suffix_set:
        return True  # a suffix word on its own (出版社): _noun_named_org_candidates visits these
    if not IS_HAN[word]:
        return False
    if word in lex.orgs_known or len(word) == 2 and word[1] == "长" and word[0] in HEAD_CHARS and word in lex.titles:
        return True
    suffix = _org_suffix(word)
    # the suffix rule, with the loop's word-only exclusions (部队, 两国关系)
    if (suffix is not None and not IS_DIRECTION[word] and not (word in NOT_ORGS and word not in lex.org_suffix_set)
            and not (len(suffix) == 1 and len(word) >= 2 and word[-2:] in NOT_ORGS and word[-2:] not in lex.org_suffix_set)):
        return True
    return len(word) >= 3 and word[-1] in lex.title_last and any(
        (word[k:] in lex.titles or word[k:] == "长" and word[k - 1] in HEAD_CHARS)
        and (word[:k] in lex.orgs_known or _org_suffix(word[:k])) and "副" not in word[:k][-2:]
        for k in range(2, len(word)))


def _place_in_word(word: str) -> bool:
    """Tell whether a place rule of _place_candidates for a token not tagged ns may fire on
    ``word``: a place and a generic head (日本政府) or a country name starting a longer word
    (中国京剧), tested as in the loop."""
    lex = lexicons()
    places = lex.places
    if len(word) >= 3 and word[:2] in lex.place_prefixes and any(word[:k] in places and word[k:] in PLACE_HEADS for k in range(len(word) - 1, 1, -1)):
        return True
    if len(word) >= 4:
        for k in (3, 2):
            pl = places.get(word[:k])
            if pl is not None and pl.level == "country" and word[k:] not in lex.loc_suffixes:
                return True
    return False


def _word_features(word: str) -> int:
    """Return the word features (W_...) of a token text."""
    lex = lexicons()
    first, last = word[0], word[-1]
    conditions = (
        # _person_candidates, a token not tagged as a name: one of the rules after its
        # jieba-name branch may fire whatever its neighbours (doctrine, fused title, title word,
        # speech verb); with a fitting tag (three-character noun, surname token); or only before
        # a title or honorific (surname token, compound surname, name shape)
        (W_PERSON, _person_word_rule(word)),
        (W_SURNAME_WORD, len(word) == 3 and first in lex.surnames or len(word) == 1 and word in lex.surnames),
        (W_PERSON_NEXT, len(word) == 1 and word in lex.surnames or word in lex.compound_surnames or 2 <= len(word) <= 3 and _is_name_shape(word)),
        (W_TITLE_HON, word in lex.titles or word in HONORIFIC_SET),
        # _place_candidates: a gazetteer word, one of the shapes _abbreviation_places reads or a
        # place inside a longer word (日本政府, 中国京剧); ns tokens are let through by their tag
        (W_PLACE, word in lex.places or (first in lex.any_abbrev or first in ABBREV_VERBS) and _may_hold_abbreviation(word)
         or _place_in_word(word)),
        (W_ORG, _org_word_rule(word)),
        (W_PLACE_CHAIN, word in lex.loc_suffixes),  # _place_chain_candidates
        (W_EXTRA_PLACE, last in SETTLEMENT_CHARS or word in lex.country_abbrev),  # _extra_place_candidates
    )
    return sum(bit for bit, holds in conditions if holds)


def _tag_features(tag: str) -> int:
    """Return the tag features (T_...) of a POS tag."""
    # t and m tokens may be three-character names jieba's dictionary mislabels (周恩来/t): not skipped here
    person_ok = not (tag in PERSON_SKIP_TAGS and tag not in NAME_WORD_TAGS)
    conditions = ((T_PERSON, tag == "eng" or person_ok and tag in NR_TAGS), (T_PLACE, tag == "ns" and tag not in PLACE_SKIP_POS),
                  (T_ORG, tag == "nt"), (T_PERSON_OK, person_ok), (T_PERSON_NEXT_OK, person_ok),
                  (T_SURNAME_OK, person_ok and (tag not in SHAPE_SKIP_TAGS or tag in NAME_WORD_TAGS)))
    return sum(bit for bit, holds in conditions if holds)


WORD_FEATURES = _MemoDict(_word_features)
TAG_FEATURES = _MemoDict(_tag_features)


def _token_flag_list(tokens: Tokens) -> bytes:
    """Return the candidate-pass bits (PERSON_BIT …) of every token, one byte each."""
    n = len(tokens.words)
    word = int.from_bytes(bytes(map(WORD_FEATURES.__getitem__, tokens.words)), "big")
    tag = int.from_bytes(bytes(map(TAG_FEATURES.__getitem__, tokens.pos)), "big")
    ones = int.from_bytes(b"\1" * n, "big")  # 1 in every token's byte
    # the first test of each pass, as in its loop: a title starts the title rules whatever
    # its tag (jieba tags some as adverbs: 首相/d), a tag or a word alone may start the others
    flags = (word | tag) & ones * PASS_BITS
    # a word feature that needs its tag: a shift brings the bit to the byte's lowest (the & with
    # ones drops what the shift brought in from the byte before)
    both = word & tag
    flags |= (both >> W_PERSON.bit_length() - 1 | both >> W_SURNAME_WORD.bit_length() - 1) & ones
    # a name-shaped word before a title or honorific (big-endian, so << 8 moves each token's
    # byte onto the token before it; the first token's byte moves past the top and the & drops it)
    next_title = (word & ones * W_TITLE_HON) << 8
    flags |= both >> W_PERSON_NEXT.bit_length() - 1 & next_title
    return flags.to_bytes(n, "big")


# For each pass bit, a byte translation table: flags byte -> 1 when the bit is set, else 0
# (bytes.translate and compress keep the selection of a pass's tokens in C).
PASS_SELECTORS = {bit: bytes(1 if value & bit else 0 for value in range(256))
                  for bit in (PERSON_BIT, PLACE_BIT, PLACE_CHAIN_BIT, ORG_BIT, EXTRA_PLACE_BIT)}


# 0, 1, 2 …: compress over this list hands out existing ints, where over a range it builds one
# for every token it skips (extended for longer texts).
_INDICES = list(range(4096))


def _indices_with(flags: bytes, bit: int):
    """Iterate, in order, over the indices of the tokens whose flags have ``bit``."""
    return _indices_where(flags.translate(PASS_SELECTORS[bit]))


def _indices_where(selected: bytes):
    """Iterate, in order, over the indices of the non-zero bytes of ``selected``."""
    if len(selected) > len(_INDICES):
        _INDICES.extend(range(len(_INDICES), len(selected)))
    return compress(_INDICES, selected)


def token_flags(tokens: Tokens) -> bytes:
    """Return what ``find_entities`` reads of each token first: one byte of candidate-pass bits each.

    A batch of pages finds these for all its articles before it finds their entities
    (``pipeline.api.process_raw_pages``): one word-feature lookup per token, and the
    table looked up stays in the processor's caches over the whole batch, where between
    two articles the other candidate passes push it out.
    """
    return _token_flag_list(tokens)


def find_entities(text: str, tokens: Tokens, context: PageContext | None = None, flags: bytes | None = None) -> list[Entity]:
    """Find PERSON / ORG / LOC mentions in ``text`` (tokens are ``segment(text)``; ``flags``, when
    given, are ``token_flags(tokens)``)."""
    if not text:
        return []
    cands: list = []
    if flags is None:
        flags = _token_flag_list(tokens)
    _person_candidates(text, tokens, cands, flags)
    _place_candidates(text, tokens, cands, flags)
    _place_chain_candidates(text, tokens, cands, flags)
    _dateline_candidates(text, cands)
    _byline_candidates(text, cands)
    _org_candidates(text, tokens, cands, flags)
    _noun_named_org_candidates(tokens, cands, flags)
    _press_candidates(text, cands)
    _context_candidates(text, context, cands)
    _extra_place_candidates(text, tokens, cands, flags)
    title_ends = _title_name_candidates(text, cands)
    _context_person_candidates(text, title_ends, cands)
    _dotted_name_candidates(text, cands)
    _familiar_candidates(text, cands)
    _eponym_candidates(text, cands)
    _union_abbrev_candidates(text, cands, cands)
    chosen = _select(cands)
    _extend_split_names(text, chosen)
    extra = _list_neighbours(text, chosen) + _repeated_names(text, chosen)
    if extra:
        chosen = _select(chosen + extra)
    return _canonical(text, chosen, context)


def find_person_roles(text: str, entities: list[Entity]) -> list[PersonRole]:
    """Find people with a title or role (and organisation) in ``text``."""
    return roles.find_person_roles(text, entities)
