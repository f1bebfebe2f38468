"""Stage 4: jieba segmentation with POS tags and offsets.

Backends (``PIPELINE_SEGMENTER``):

- ``rjieba`` (default when installed): jieba-rs, jieba's dictionary and algorithm in
  Rust (tagging ~8x ``jieba.cut``, ~50x ``jieba.posseg.cut`` in ``make bench``). Its
  words equal ``jieba.cut``'s once two differences are repaired here: ASCII runs such
  as ``www.npc.gov.cn`` or ``2018-2020`` are split the way jieba's HMM step splits them
  (jieba-rs keeps them whole), and Han characters outside jieba's U+4E00-U+9FD5 stand
  alone. Tags: the dictionary tag; for a word not in the dictionary, jieba's POS HMM
  (CJK) or digits -> ``m``, Latin -> ``eng``, else ``x``.
- ``jieba``: the reference and the fallback without rjieba: ``jieba.cut`` words tagged
  by the same rule in Python.
- ``posseg``: ``jieba.posseg.cut``, jieba's own tagger. Its words differ from
  ``jieba.cut`` (its HMM and its digit/Latin handling differ), and it runs at ~30-100k
  chars/s; kept for comparing tags (``python -m pipeline.bench`` reports agreement).
"""

from __future__ import annotations

import logging
import os
import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from itertools import accumulate, compress
from operator import itemgetter

from pipeline.record import Tokens

log = logging.getLogger(__name__)

BACKENDS = ("rjieba", "jieba", "posseg")
_first, _second = itemgetter(0), itemgetter(1)


class _Shared(dict):
    """tag -> one shared copy of it: ``TAGS[tag]`` is ``tag``, the first string seen with its value."""

    def __missing__(self, tag: str) -> str:
        self[tag] = tag
        return tag


# jieba-rs gives every token a new string for its tag, though there are a few dozen tags.
# Swapped for one shared copy each while the new ones are still in the processor's cache,
# a million tags are one dozen objects: the later stages (the entity finder's tag
# features, the token table) then read a few hot strings instead of a cold one per token.
TAGS = _Shared()

# jieba's HMM step splits non-Han text at this pattern (jieba/finalseg: re_skip).
RE_JIEBA_SKIP = re.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")
# An ASCII run that jieba splits but jieba-rs may keep whole: letters/digits joined by
# one of the connectors jieba's block pattern allows (not a plain decimal or percentage).
# The matches of [C]*[A][D][C]* (C the run characters, A letters and digits, D connectors)
# are the whole runs of C that hold an A before a D. Written to start with one character
# class, which the regex engine scans for quickly (a pattern that starts with a repeat is
# tried at every position): a C with no C before it, then an A-D pair at it or later.
_C, _A, _D = r"a-zA-Z0-9+#&._%\-", r"a-zA-Z0-9", r"+#&._%\-"
RE_JOINED_ASCII = re.compile(rf"[{_C}](?<![{_C}]{{2}})(?:(?<=[{_A}])(?=[{_D}])|(?=[{_C}]*[{_A}][{_D}]))[{_C}]*")
# Han characters outside jieba's block pattern (U+4E00-U+9FD5): jieba yields each one alone
# and cuts the text there; jieba-rs counts them as Han and may join them into words.
RE_HAN_OUTSIDE_JIEBA = re.compile("([\u3400-\u4dbf\u9fd6-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f])")
# Any whitespace: the segmenter makes a word of it, which ``segment`` drops.
RE_SPACE = re.compile(r"\s")


@lru_cache(maxsize=1)
def backend() -> str:
    """Return the segmentation backend in use: ``"rjieba"``, ``"jieba"`` or ``"posseg"``."""
    wanted = os.environ.get("PIPELINE_SEGMENTER", "auto")
    if wanted not in ("auto", *BACKENDS):
        raise ValueError(f"PIPELINE_SEGMENTER={wanted!r}: expected one of auto, {', '.join(BACKENDS)}")
    if wanted in ("auto", "rjieba"):
        try:
            import rjieba  # noqa: F401

            return "rjieba"
        except ImportError:
            if wanted == "rjieba":
                raise
            return "jieba"
    return wanted


@lru_cache(maxsize=1)
def _jieba():
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def _tag_rjieba(text: str) -> tuple[list[str], list[str]]:
    import rjieba

    if RE_HAN_OUTSIDE_JIEBA.search(text):
        return _tag_rjieba_around_rare_han(text)
    pairs = rjieba.tag(text)
    words, tags = list(map(_first, pairs)), list(map(TAGS.__getitem__, map(_second, pairs)))
    spans = [m.span() for m in RE_JOINED_ASCII.finditer(text) if not RE_JIEBA_SKIP.fullmatch(m.group())]
    if spans:
        _split_joined_ascii(words, tags, spans)
    return words, tags


def _tag_rjieba_around_rare_han(text: str) -> tuple[list[str], list[str]]:
    words: list[str] = []
    tags: list[str] = []
    for k, part in enumerate(RE_HAN_OUTSIDE_JIEBA.split(text)):
        if k % 2:  # a separator: one rare Han character, a word of its own
            words.append(part)
            tags.append(_single_tag_rjieba(part))
        elif part:
            more_words, more_tags = _tag_rjieba(part)
            words += more_words
            tags += more_tags
    return words, tags


def _split_joined_ascii(words: list[str], tags: list[str], spans: list[tuple[int, int]]) -> None:
    """Split, in place, ASCII words inside ``spans`` that jieba-rs keeps whole but jieba splits."""
    import rjieba

    ends = list(accumulate(map(len, words)))
    for start, end in reversed(spans):  # from the back, so earlier indices stay valid
        first, last = bisect_right(ends, start), bisect_left(ends, end)
        for k in range(min(last, len(words) - 1), first - 1, -1):
            w = words[k]
            if len(w) > 1 and w.isascii() and not RE_JIEBA_SKIP.fullmatch(w) and not rjieba.has_word(w):
                pieces = [p for p in RE_JIEBA_SKIP.split(w) if p]
                words[k : k + 1] = pieces
                tags[k : k + 1] = [_single_tag_rjieba(p) for p in pieces]


def _single_tag_rjieba(word: str) -> str:
    import rjieba

    pairs = rjieba.tag(word)
    return pairs[0][1] if len(pairs) == 1 else _guess_ascii_tag(word)


def _guess_ascii_tag(word: str) -> str:
    """jieba-rs' tag of a word outside the dictionary with ASCII letters or digits in it."""
    letters_digits = sum(1 for ch in word if ch.isascii() and ch.isalnum())
    digits = sum(1 for ch in word if ch.isascii() and ch.isdigit())
    if not letters_digits:
        return "x"
    return "m" if letters_digits == digits else "eng"


def _reference_tag(word: str) -> str:
    """Tag one ``jieba.cut`` word the way jieba-rs does (dictionary, else a guess)."""
    jieba = _jieba()
    tag = jieba.posseg.dt.word_tag_tab.get(word)
    if tag is not None:
        return tag
    if any(ch.isascii() and ch.isalnum() for ch in word):
        return _guess_ascii_tag(word)
    if any("\u4e00" <= ch <= "\u9fff" for ch in word):
        pairs = list(jieba.posseg.dt._POSTokenizer__cut(word))  # jieba's POS HMM on the word alone
        if len(pairs) == 1:
            return pairs[0].flag
        longest = max(len(p.word) for p in pairs)
        return [p.flag for p in pairs if len(p.word) == longest][-1]
    return "x"


def _tag_jieba(text: str) -> tuple[list[str], list[str]]:
    words = list(_jieba().cut(text))
    return words, [_reference_tag(w) for w in words]


def _tag_posseg(text: str) -> tuple[list[str], list[str]]:
    pairs = [(p.word, p.flag) for p in _jieba().posseg.cut(text)]
    if not pairs:
        return [], []
    words, tags = map(list, zip(*pairs, strict=True))
    return words, tags


TAGGERS = {"rjieba": _tag_rjieba, "jieba": _tag_jieba, "posseg": _tag_posseg}


def tag_words(text: str, which: str | None = None) -> tuple[list[str], list[str]]:
    """Return the words of ``text`` (concatenating to ``text``) and their POS tags."""
    return TAGGERS[which or backend()](text)


def segment(text: str) -> Tokens:
    """Segment ``text`` into words with POS tags; whitespace tokens are dropped.

    In: any string. Out: ``Tokens`` whose offsets slice back to each word.
    """
    words, tags = tag_words(text)
    ends = list(accumulate(map(len, words)))
    if (ends[-1] if ends else 0) != len(text):  # the segmenter must rebuild its input exactly
        raise ValueError(f"segmenter lost characters: {ends[-1] if ends else 0} != {len(text)}")
    starts = [0, *ends[:-1]] if ends else []
    # whitespace words start at whitespace characters, which are few (paragraph newlines):
    # test the words found there rather than every word
    spaces = {i for i in (bisect_right(ends, m.start()) for m in RE_SPACE.finditer(text)) if words[i].isspace()}
    if spaces:
        keep = bytearray(b"\1") * len(words)
        for i in spaces:
            keep[i] = 0
        return Tokens(
            list(compress(words, keep)), list(compress(tags, keep)),
            list(compress(starts, keep)), list(compress(ends, keep)),
        )
    return Tokens(words, tags, starts, ends)

