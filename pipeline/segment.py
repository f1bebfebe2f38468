"""Stage 4: jieba segmentation with POS tags and offsets.

``rjieba`` (jieba-rs with jieba's own dictionary and algorithm) is the fast backend;
``jieba.posseg`` is the reference and the fallback when rjieba is not installed.
Set ``PIPELINE_SEGMENTER=jieba`` to force the reference backend.
"""

from __future__ import annotations

import logging
import os
from functools import lru_cache

from pipeline.record import Tokens

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def backend() -> str:
    """Return the segmentation backend in use: ``"rjieba"`` or ``"jieba"``."""
    wanted = os.environ.get("PIPELINE_SEGMENTER", "auto")
    if wanted in ("auto", "rjieba"):
        try:
            import rjieba  # noqa: F401

            return "rjieba"
        except ImportError:
            if wanted == "rjieba":
                raise
    return "jieba"


@lru_cache(maxsize=1)
def _jieba_posseg():
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba.posseg


def _tag(text: str) -> list[tuple[str, str]]:
    if backend() == "rjieba":
        import rjieba

        return rjieba.tag(text)
    return [(p.word, p.flag) for p in _jieba_posseg().cut(text)]


def segment(text: str) -> Tokens:
    """Segment ``text`` into words with POS tags; whitespace tokens are dropped.

    In: any string. Out: ``Tokens`` whose offsets slice back to each word.
    """
    tokens = Tokens()
    pos = 0
    for word, flag in _tag(text):
        start = pos
        pos += len(word)
        if word.isspace():
            continue
        tokens.words.append(word)
        tokens.pos.append(flag)
        tokens.starts.append(start)
        tokens.ends.append(pos)
    if pos != len(text):  # the segmenter must rebuild its input exactly
        raise ValueError(f"segmenter lost characters: {pos} != {len(text)}")
    return tokens
