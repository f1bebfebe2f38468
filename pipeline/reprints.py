"""Cross-page reprint detection: the same article printed on two pages or in two issues.

Each article body is reduced to a small set of fingerprints: the text is normalised
(whitespace and punctuation dropped, full-width letters and digits folded), every
character ``k``-gram is hashed, and winnowing keeps the minimum hash of every window of
``window`` consecutive k-grams (about one fingerprint per 7 characters). Any passage of
``k + window - 1`` characters shared by two texts yields a shared fingerprint, whatever
the line breaks, punctuation width or truncation.

:class:`ReprintIndex` maps every fingerprint to the first article that had it. Checking a
new article looks up its fingerprints (a dict lookup each) and counts hits per indexed
article, so the cost depends on the new article's length, never on how many pages are
indexed. A hit counts as a reprint when the shared fingerprints cover at least
``threshold`` of the smaller side, so a copy cut off part-way still matches. Texts shorter
than ``MIN_CHARS`` normalised characters get no fingerprints: they are too generic
(photo credits, boilerplate) to call a reprint.

    index = ReprintIndex.load(path) if path.exists() else ReprintIndex()
    fps = index.fingerprints(article.text)
    hit = index.check(fps)          # (article_key, containment) or None
    index.add(article_key, fps)
    index.save(path)
"""

from __future__ import annotations

from collections import Counter
from os import PathLike

import numpy as np
import regex
from numpy.lib.stride_tricks import sliding_window_view

K = 10  # characters per shingle
WINDOW = 13  # k-grams per winnowing window: about 2 / (WINDOW + 1) = 1 fingerprint per 7 characters
MIN_CHARS = 80  # shorter normalised texts never match
THRESHOLD = 0.6  # share of the smaller side's fingerprints that must be shared
MIN_HITS = 4  # and at least this many shared fingerprints
FORMAT = 1

RE_NOT_WORD = regex.compile(r"[^\p{L}\p{N}]+")
RE_FULLWIDTH_ALNUM = regex.compile(r"[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]")
FULLWIDTH_TABLE = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
PRIME = np.uint64(0x100000001B3)
MIX_1 = np.uint64(0xBF58476D1CE4E5B9)
MIX_2 = np.uint64(0x94D049BB133111EB)
SHIFT_1, SHIFT_2, SHIFT_3 = np.uint64(30), np.uint64(27), np.uint64(31)


def normalise(text: str) -> str:
    """Drop whitespace and punctuation; fold full-width letters and digits; lower-case."""
    if RE_FULLWIDTH_ALNUM.search(text):
        text = text.translate(FULLWIDTH_TABLE)
    return RE_NOT_WORD.sub("", text).lower()


def kgram_hashes(norm: str, k: int = K) -> np.ndarray:
    """Return a well-mixed 64-bit hash of every ``k``-character window of ``norm``."""
    n = len(norm) - k + 1
    if n <= 0:
        return np.empty(0, dtype=np.uint64)
    cps = np.frombuffer(norm.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    h = np.zeros(n, dtype=np.uint64)
    for j in range(k):
        h = h * PRIME + cps[j : j + n]
    h ^= h >> SHIFT_1
    h *= MIX_1
    h ^= h >> SHIFT_2
    h *= MIX_2
    h ^= h >> SHIFT_3
    return h


def fingerprints(text: str, k: int = K, window: int = WINDOW, min_chars: int = MIN_CHARS) -> np.ndarray:
    """Return the sorted winnowed k-gram hashes of ``text`` (empty when it is too short)."""
    norm = normalise(text)
    if len(norm) < min_chars:
        return np.empty(0, dtype=np.uint64)
    h = kgram_hashes(norm, k)
    if len(h) <= window:
        return np.unique(h)
    return np.unique(sliding_window_view(h, window).min(axis=1))


def containment(a: np.ndarray, b: np.ndarray) -> float:
    """Return the share of the smaller fingerprint set found in the other one."""
    if not len(a) or not len(b):
        return 0.0
    shared = np.intersect1d(a, b, assume_unique=True).size
    return shared / min(len(a), len(b))


class ReprintIndex:
    """Fingerprint -> first article holding it; finds reprints without pairwise comparison."""

    def __init__(self, k: int = K, window: int = WINDOW, threshold: float = THRESHOLD,
                 min_hits: int = MIN_HITS, min_chars: int = MIN_CHARS):
        self.k, self.window, self.threshold = k, window, threshold
        self.min_hits, self.min_chars = min_hits, min_chars
        self._owner: dict[int, int] = {}
        self._keys: list[str] = []
        self._sizes: list[int] = []

    def __len__(self) -> int:
        return len(self._keys)

    def fingerprints(self, text: str) -> np.ndarray:
        """Fingerprint ``text`` with this index's parameters."""
        return fingerprints(text, self.k, self.window, self.min_chars)

    def check(self, fps: np.ndarray) -> tuple[str, float] | None:
        """Return ``(article_key, containment)`` of the best indexed match, or ``None``."""
        if len(fps) == 0:
            return None
        owner = self._owner
        hits = Counter(owner[h] for h in fps.tolist() if h in owner)
        best: tuple[float, int, int] | None = None
        for idx, n in hits.items():
            if n < self.min_hits:
                continue
            score = n / min(len(fps), self._sizes[idx])
            if score >= self.threshold and (best is None or (score, n) > best[:2]):
                best = (score, n, idx)
        return None if best is None else (self._keys[best[2]], min(1.0, best[0]))

    def add(self, key: str, fps: np.ndarray) -> None:
        """Index an article's fingerprints under ``key`` (fingerprints already held keep their owner)."""
        if len(fps) == 0:
            return
        idx = len(self._keys)
        self._keys.append(key)
        self._sizes.append(len(fps))
        setdefault = self._owner.setdefault
        for h in fps.tolist():
            setdefault(h, idx)

    def save(self, path: str | PathLike) -> None:
        """Write the index as one compressed ``.npz`` file."""
        hashes = np.fromiter(self._owner.keys(), dtype=np.uint64, count=len(self._owner))
        owners = np.fromiter(self._owner.values(), dtype=np.int64, count=len(self._owner))
        params = np.array([FORMAT, self.k, self.window, self.min_hits, self.min_chars], dtype=np.int64)
        with open(path, "wb") as fh:
            np.savez_compressed(
                fh, params=params, threshold=np.array([self.threshold]), hashes=hashes,
                owners=owners, keys=np.array(self._keys, dtype=str), sizes=np.array(self._sizes, dtype=np.int64),
            )

    @classmethod
    def load(cls, path: str | PathLike) -> ReprintIndex:
        """Read an index written by :meth:`save`."""
        with np.load(path, allow_pickle=False) as z:
            fmt, k, window, min_hits, min_chars = (int(x) for x in z["params"])
            if fmt != FORMAT:
                raise ValueError(f"{path}: reprint index format {fmt}, expected {FORMAT}")
            index = cls(k, window, float(z["threshold"][0]), min_hits, min_chars)
            index._owner = dict(zip(z["hashes"].tolist(), z["owners"].tolist()))
            index._keys = z["keys"].tolist()
            index._sizes = z["sizes"].tolist()
        return index
