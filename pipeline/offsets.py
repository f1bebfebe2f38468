"""Provenance of derived text: a compact map from derived offsets back to raw offsets.

Cleaning and article splitting build new strings out of pieces of the raw page. Each
piece is a run of characters that sit at consecutive raw offsets, so the map is stored
as runs (``starts[i]`` in the derived text maps to ``raw_starts[i]`` in the raw text)
rather than one integer per character.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import repeat


@dataclass(slots=True)
class OffsetMap:
    """Piecewise-linear map from offsets of a derived text to raw offsets."""

    starts: list[int] = field(default_factory=list)
    raw_starts: list[int] = field(default_factory=list)
    length: int = 0

    def raw(self, i: int) -> int:
        """Return the raw offset of derived character ``i``."""
        if not 0 <= i < self.length:
            raise IndexError(f"offset {i} outside derived text of length {self.length}")
        k = bisect_right(self.starts, i) - 1
        return self.raw_starts[k] + (i - self.starts[k])

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Return the raw ``(start, end)`` covering derived ``[start, end)``."""
        if end <= start:
            r = self.raw(start) if start < self.length else self.raw(self.length - 1) + 1
            return r, r
        return self.raw(start), self.raw(end - 1) + 1

    def raw_spans(self, starts: list[int], ends: list[int]) -> tuple[list[int], list[int]]:
        """Return the raw starts and ends of many derived spans at once, as ``raw_span`` does."""
        if not starts:
            return [], []
        if min(starts) < 0 or max(ends) > self.length or any(map(int.__ge__, starts, ends)):
            spans = [self.raw_span(s, e) for s, e in zip(starts, ends, strict=True)]  # rare: raises or handles empty spans
            return [s for s, _ in spans], [e for _, e in spans]
        runs, raws = self.starts, self.raw_starts
        if len(runs) == 1:  # one run: a shift
            shift = raws[0] - runs[0]
            return [s + shift for s in starts], [e + shift for e in ends]
        after = list(map(bisect_right, repeat(runs), starts))  # index of the run + 1
        raw_starts = [raws[k - 1] + s - runs[k - 1] for s, k in zip(starts, after)]
        after = list(map(bisect_right, repeat(runs), [e - 1 for e in ends]))
        raw_ends = [raws[k - 1] + e - runs[k - 1] for e, k in zip(ends, after)]
        return raw_starts, raw_ends

    def runs(self):
        """Yield ``(start, end, raw_start)`` for every run of the map."""
        n = len(self.starts)
        for k in range(n):
            end = self.starts[k + 1] if k + 1 < n else self.length
            yield self.starts[k], end, self.raw_starts[k]



class TextBuilder:
    """Build a derived string piece by piece together with its ``OffsetMap``."""

    __slots__ = ("_parts", "_map", "_raw_end")

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._map = OffsetMap()
        self._raw_end: int | None = None  # the raw offset right after the last character added

    def __len__(self) -> int:
        return self._map.length

    def add(self, text: str, raw_start: int) -> None:
        """Append ``text`` whose characters sit at consecutive raw offsets from ``raw_start``."""
        if not text:
            return
        m = self._map
        if raw_start != self._raw_end:  # does not continue the last run: a new run
            m.starts.append(m.length)
            m.raw_starts.append(raw_start)
        n = len(text)
        m.length += n
        self._raw_end = raw_start + n
        self._parts.append(text)

    def add_mapped(self, text: str, source: OffsetMap, start: int) -> None:
        """Append ``text``, a slice starting at ``start`` of a text mapped by ``source``."""
        end = start + len(text)
        runs = source.starts
        k = bisect_right(runs, start) - 1
        run_end = runs[k + 1] if k + 1 < len(runs) else source.length
        if end <= run_end:  # inside one run of the source (most paragraphs): one piece
            self.add(text, source.raw_starts[k] + (start - runs[k]))
            return
        pos = start
        offset = 0
        while pos < end:
            run_end = runs[k + 1] if k + 1 < len(runs) else source.length
            stop = min(end, run_end)
            self.add(text[offset : offset + stop - pos], source.raw_starts[k] + (pos - runs[k]))
            offset += stop - pos
            pos = stop
            k += 1

    def build(self) -> tuple[str, OffsetMap]:
        """Return the text and its map."""
        return "".join(self._parts), self._map
