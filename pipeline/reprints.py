"""Cross-page reprint detection: the same article printed on two pages or in two issues.

Each article body is reduced to a small set of fingerprints: the text is normalised
(whitespace and punctuation dropped, full-width letters and digits folded), every
character ``k``-gram is hashed, and winnowing keeps the minimum hash of every window of
``window`` consecutive k-grams (about one fingerprint per 7 characters). Any passage of
``k + window - 1`` characters shared by two texts yields a shared fingerprint, whatever
the line breaks, punctuation width or truncation.

:class:`ReprintIndex` maps every fingerprint to the first article that had it. Checking a
new article looks up its fingerprints (one B-tree probe each) and counts hits per indexed
article, so the cost depends on the new article's length and hardly on how many pages are
indexed (the tree gains a level for every few hundred times more fingerprints). A hit
counts as a reprint when the shared fingerprints cover at least ``threshold`` of the
smaller side, so a copy cut off part-way still matches. Texts shorter than ``MIN_CHARS``
normalised characters get no fingerprints: they are too generic (photo credits,
boilerplate) to call a reprint.

    index = ReprintIndex.open(path)   # created if absent
    fps = index.fingerprints(article.text)
    hit = index.check(fps)            # (article_key, containment) or None
    index.add(article_key, fps)
    index.commit()
"""

from __future__ import annotations

import os
import sqlite3
from collections import Counter
from itertools import repeat
from os import PathLike

import numpy as np
import regex
from numpy.lib.stride_tricks import sliding_window_view

K = 10  # characters per shingle
WINDOW = 13  # k-grams per winnowing window: about 2 / (WINDOW + 1) = 1 fingerprint per 7 characters
MIN_CHARS = 80  # shorter normalised texts never match
THRESHOLD = 0.6  # share of the smaller side's fingerprints that must be shared
MIN_HITS = 4  # and at least this many shared fingerprints
FORMAT = 2  # 1 was a NumPy .npz file read whole into memory
CACHE_MB = 16  # SQLite page cache of an index on disk (the Bloom filter keeps most lookups off it)
BLOOM_BITS = 10  # bits of the Bloom filter per fingerprint it has room for
BLOOM_PROBES = 7  # bits set per fingerprint: about 1 % false positives when full, 0.01 % at half
BLOOM_MIN_CAPACITY = 1 << 20  # fingerprints
MAX_PARAMS = 512  # fingerprints looked up per statement
STATEMENT_SIZES = (16, 64, 128, 256, MAX_PARAMS)
LOOKUP = {n: f"SELECT owner FROM fingerprints WHERE hash IN ({', '.join('?' * n)})" for n in STATEMENT_SIZES}
SCHEMA = """
CREATE TABLE IF NOT EXISTS params (name TEXT PRIMARY KEY, value);
CREATE TABLE IF NOT EXISTS articles (idx INTEGER PRIMARY KEY, key TEXT NOT NULL, size INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS fingerprints (hash INTEGER PRIMARY KEY, owner INTEGER NOT NULL);
"""

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


class BloomFilter:
    """A set of 64-bit fingerprints that answers "surely not held" in memory.

    Fingerprints are already well-mixed hashes, so the ``BLOOM_PROBES`` bit positions come
    from their two 32-bit halves (double hashing). ``BLOOM_BITS`` bits per fingerprint of
    ``capacity``: 1.25 bytes each, against 16 for the fingerprint and its owner.
    """

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._n_bits = np.uint64(-(-capacity * BLOOM_BITS // 8) * 8)
        self._bits = np.zeros(int(self._n_bits) // 8, dtype=np.uint8)
        self._steps = np.arange(BLOOM_PROBES, dtype=np.uint64)

    def _positions(self, fps: np.ndarray) -> np.ndarray:
        low, high = fps & np.uint64(0xFFFFFFFF), (fps >> np.uint64(32)) | np.uint64(1)
        return (low[:, None] + high[:, None] * self._steps) % self._n_bits  # the sum wraps around, as hashing may

    def add(self, fps: np.ndarray) -> None:
        pos = self._positions(fps).ravel()
        np.bitwise_or.at(self._bits, pos >> np.uint64(3), np.left_shift(1, pos & np.uint64(7)).astype(np.uint8))

    def might_hold(self, fps: np.ndarray) -> np.ndarray:
        """Return, per fingerprint, False where it is surely not in the set."""
        pos = self._positions(fps)
        return ((self._bits[pos >> np.uint64(3)] >> (pos & np.uint64(7)).astype(np.uint8)) & 1).all(axis=1)


class ReprintIndex:
    """Fingerprint -> first article holding it; finds reprints without pairwise comparison.

    The index is a SQLite database (Python's ``sqlite3``): a table of fingerprints keyed
    by the hash itself (a B-tree) and a table of articles (key, number of fingerprints).
    On disk (:meth:`open`) only SQLite's page cache, ``CACHE_MB`` at most, is held in
    memory, and a run commits only what it adds. In front of the tree sits a Bloom filter
    of every fingerprint held (1.25 to 2.5 bytes each: it is rebuilt from the table, with
    room for twice as many, when an index is opened or outgrows it). A fingerprint no
    earlier article had, as nearly all are, is answered in memory at a fixed cost; only the
    others are looked up in the tree. So checking a page costs the same whatever the
    index's size, and memory grows by at most 2.5 bytes per fingerprint (about 22 MB for
    10,000 distinct pages) rather than by the fingerprints themselves. Without a path the
    database lives in memory (tests, the evaluation harness).
    """

    def __init__(
        self,
        k: int = K,
        window: int = WINDOW,
        threshold: float = THRESHOLD,
        min_hits: int = MIN_HITS,
        min_chars: int = MIN_CHARS,
        path: str | PathLike | None = None,
    ):
        self.k, self.window, self.threshold = k, window, threshold
        self.min_hits, self.min_chars = min_hits, min_chars
        self._db = sqlite3.connect(":memory:" if path is None else os.fspath(path))
        try:
            self._setup(path)
        except (sqlite3.DatabaseError, ValueError):
            self._db.close()
            raise
        self._n = self._db.execute("SELECT count(*) FROM articles").fetchone()[0]
        self._refill()

    def _filled_bloom(self) -> BloomFilter:
        """Return a Bloom filter of every fingerprint in the table, with room for as many again."""
        bloom = BloomFilter(max(BLOOM_MIN_CAPACITY, 2 * self._held))
        rows = self._db.execute("SELECT hash FROM fingerprints")
        while chunk := rows.fetchmany(1 << 16):
            bloom.add(np.array(chunk, dtype=np.int64).ravel().view(np.uint64))
        return bloom

    def _setup(self, path: str | PathLike | None) -> None:
        """Set the connection up; create the tables, or read the parameters of an existing index."""
        self._db.execute(f"PRAGMA cache_size = -{CACHE_MB * 1024}")  # KiB when negative
        if path is not None:
            self._db.execute("PRAGMA journal_mode = WAL")  # a commit appends to a log
            self._db.execute("PRAGMA synchronous = FULL")  # as the manifest: durable before the rows
        self._db.executescript(SCHEMA)
        stored = dict(self._db.execute("SELECT name, value FROM params"))
        if not stored:
            params = {"format": FORMAT, "k": self.k, "window": self.window, "threshold": self.threshold,
                      "min_hits": self.min_hits, "min_chars": self.min_chars}
            self._db.executemany("INSERT INTO params VALUES (?, ?)", params.items())
            self._db.commit()
        elif int(stored["format"]) != FORMAT:
            raise ValueError(f"{path}: reprint index format {int(stored['format'])}, expected {FORMAT}")
        else:
            self.k, self.window = int(stored["k"]), int(stored["window"])
            self.min_hits, self.min_chars = int(stored["min_hits"]), int(stored["min_chars"])
            self.threshold = float(stored["threshold"])

    @classmethod
    def open(cls, path: str | PathLike, **params) -> ReprintIndex:
        """Open the index stored at ``path`` (created with ``params`` if absent)."""
        return cls(path=path, **params)

    def __len__(self) -> int:
        return self._n

    def fingerprints(self, text: str) -> np.ndarray:
        """Fingerprint ``text`` with this index's parameters."""
        return fingerprints(text, self.k, self.window, self.min_chars)

    def _owners(self, fps: np.ndarray) -> list[int]:
        """Return the owner of every fingerprint of ``fps`` already in the index."""
        hashes = fps.view(np.int64).tolist()  # SQLite integers are signed 64-bit
        owners: list[int] = []
        for i in range(0, len(hashes), MAX_PARAMS):
            part = hashes[i : i + MAX_PARAMS]
            # a few fixed statement sizes (padded with a repeat), so SQLite reuses them
            size = next(s for s in STATEMENT_SIZES if s >= len(part))
            part += part[-1:] * (size - len(part))
            owners += (row[0] for row in self._db.execute(LOOKUP[size], part))
        return owners

    def check(self, fps: np.ndarray) -> tuple[str, float] | None:
        """Return ``(article_key, containment)`` of the best indexed match, or ``None``."""
        if len(fps) == 0:
            return None
        maybe = fps[self._bloom.might_hold(fps)]
        if len(maybe) < self.min_hits:  # too few can be held to make a match
            return None
        best: tuple[float, int, int] | None = None
        for idx, n in Counter(self._owners(maybe)).items():
            if n < self.min_hits:
                continue
            size = self._db.execute("SELECT size FROM articles WHERE idx = ?", (idx,)).fetchone()[0]
            score = n / min(len(fps), size)
            if score >= self.threshold and (best is None or (score, n) > best[:2]):
                best = (score, n, idx)
        if best is None:
            return None
        key = self._db.execute("SELECT key FROM articles WHERE idx = ?", (best[2],)).fetchone()[0]
        return key, min(1.0, best[0])

    def add(self, key: str, fps: np.ndarray) -> None:
        """Index an article's fingerprints under ``key`` (fingerprints already held keep their owner)."""
        if len(fps) == 0:
            return
        idx = self._n
        self._db.execute("INSERT INTO articles VALUES (?, ?, ?)", (idx, key, len(fps)))
        # counted as new: the fingerprints the filter surely does not hold (a lower bound)
        self._held += int(np.count_nonzero(~self._bloom.might_hold(fps)))
        self._db.executemany("INSERT OR IGNORE INTO fingerprints VALUES (?, ?)", zip(fps.view(np.int64).tolist(), repeat(idx)))
        self._bloom.add(fps)
        self._n += 1
        if self._held > self._bloom.capacity:
            self._refill()

    def _refill(self) -> None:
        """Count the fingerprints held and rebuild the Bloom filter with room for as many again."""
        self._held = self._db.execute("SELECT count(*) FROM fingerprints").fetchone()[0]
        self._bloom = None  # the old filter goes before the new one is built
        self._bloom = self._filled_bloom()

    def commit(self) -> None:
        """Make what was added since the last commit durable (on disk: one transaction)."""
        self._db.commit()

    def close(self) -> None:
        """Commit and close the database."""
        self.commit()
        self._db.close()

    def __enter__(self) -> ReprintIndex:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        """Commit on success; on an error keep only what was committed (its pages were not written)."""
        if exc_type is None:
            self.close()
        else:
            self._db.rollback()
            self._db.close()

    def import_npz(self, path: str | PathLike) -> None:
        """Add the articles of an index saved by earlier versions (format 1, a NumPy ``.npz``)."""
        with np.load(path, allow_pickle=False) as z:
            if int(z["params"][0]) != 1:
                raise ValueError(f"{path}: not a format 1 reprint index")
            keys, sizes = z["keys"].tolist(), z["sizes"].tolist()
            hashes, owners = z["hashes"].view(np.int64).tolist(), z["owners"].tolist()
        first = self._n
        self._db.executemany("INSERT INTO articles VALUES (?, ?, ?)", zip(range(first, first + len(keys)), keys, sizes))
        self._db.executemany("INSERT OR IGNORE INTO fingerprints VALUES (?, ?)", ((h, first + o) for h, o in zip(hashes, owners)))
        self._n += len(keys)
        self._refill()
