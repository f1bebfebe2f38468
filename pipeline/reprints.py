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
    """Fingerprint -> first article holding it; finds reprints without pairwise comparison.

    Fingerprints live in two places: a sorted ``uint64`` array with a parallel array of
    owners (what :meth:`load` reads and :meth:`save` writes, 16 bytes a fingerprint,
    looked up with a binary search) and a dict of the ones added since, merged into the
    arrays once it holds ``compact_at`` entries.
    """

    def __init__(
        self,
        k: int = K,
        window: int = WINDOW,
        threshold: float = THRESHOLD,
        min_hits: int = MIN_HITS,
        min_chars: int = MIN_CHARS,
        compact_at: int = 1_000_000,
    ):
        self.k, self.window, self.threshold = k, window, threshold
        self.min_hits, self.min_chars, self.compact_at = min_hits, min_chars, compact_at
        self._hashes = np.empty(0, dtype=np.uint64)
        self._owners = np.empty(0, dtype=np.int64)
        self._recent: dict[int, int] = {}
        self._keys: list[str] = []
        self._sizes: list[int] = []

    def __len__(self) -> int:
        return len(self._keys)

    def fingerprints(self, text: str) -> np.ndarray:
        """Fingerprint ``text`` with this index's parameters."""
        return fingerprints(text, self.k, self.window, self.min_chars)

    def _split(self, fps: np.ndarray) -> tuple[list[int], np.ndarray]:
        """Return the owners of ``fps`` found in the sorted arrays, and the fingerprints not there."""
        if not len(self._hashes):
            return [], fps
        pos = np.searchsorted(self._hashes, fps)
        pos[pos == len(self._hashes)] = 0
        found = self._hashes[pos] == fps
        return self._owners[pos[found]].tolist(), fps[~found]

    def check(self, fps: np.ndarray) -> tuple[str, float] | None:
        """Return ``(article_key, containment)`` of the best indexed match, or ``None``."""
        if len(fps) == 0:
            return None
        owners, rest = self._split(fps)
        recent = self._recent
        owners.extend(recent[h] for h in rest.tolist() if h in recent)
        best: tuple[float, int, int] | None = None
        for idx, n in Counter(owners).items():
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
        _, rest = self._split(fps)
        setdefault = self._recent.setdefault
        for h in rest.tolist():
            setdefault(h, idx)
        if len(self._recent) >= self.compact_at:
            self._compact()

    def _compact(self) -> None:
        """Merge the recently added fingerprints into the sorted arrays."""
        if not self._recent:
            return
        hashes = np.concatenate(
            [self._hashes, np.fromiter(self._recent.keys(), np.uint64, len(self._recent))]
        )
        owners = np.concatenate(
            [self._owners, np.fromiter(self._recent.values(), np.int64, len(self._recent))]
        )
        order = np.argsort(hashes, kind="stable")
        self._hashes, self._owners = hashes[order], owners[order]
        self._recent = {}

    def save(self, path: str | PathLike) -> None:
        """Write the index as one compressed ``.npz`` file."""
        self._compact()
        params = np.array([FORMAT, self.k, self.window, self.min_hits, self.min_chars], dtype=np.int64)
        with open(path, "wb") as fh:
            np.savez_compressed(
                fh,
                params=params,
                threshold=np.array([self.threshold]),
                hashes=self._hashes,
                owners=self._owners,
                keys=np.array(self._keys, dtype=str),
                sizes=np.array(self._sizes, dtype=np.int64),
            )

    @classmethod
    def load(cls, path: str | PathLike) -> ReprintIndex:
        """Read an index written by :meth:`save`."""
        with np.load(path, allow_pickle=False) as z:
            fmt, k, window, min_hits, min_chars = (int(x) for x in z["params"])
            if fmt != FORMAT:
                raise ValueError(f"{path}: reprint index format {fmt}, expected {FORMAT}")
            index = cls(k, window, float(z["threshold"][0]), min_hits, min_chars)
            index._hashes = z["hashes"]
            index._owners = z["owners"]
            index._keys = z["keys"].tolist()
            index._sizes = z["sizes"].tolist()
        return index
