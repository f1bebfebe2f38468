"""Load the word lists and pattern tables kept as data under ``pipeline/data/``.

One reader per file shape, each cached (a file is read once per process):

- ``read_list``: one entry per line (``pipeline/data/clean/*.txt``, ``numbers/*.txt``);
- ``read_table``: tab-separated rows (``numbers/*.tsv``, ``lexicons/*.tsv``);
- ``read_sections``: whitespace-separated entries split into ``## section`` parts
  (``lexicons/*.txt``).

Names are paths relative to ``pipeline/data/`` (``"numbers/units.tsv"``). In every
shape, lines starting with ``#`` are comments: each file opens with a header naming
its source.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


def _lines(name: str) -> Iterator[str]:
    """Yield the lines of a data file that are neither blank nor ``#`` comments."""
    for line in (DATA_DIR / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            yield line


@cache
def read_list(name: str) -> tuple[str, ...]:
    """Return the entries of a one-entry-per-line data file (``#`` also starts a trailing comment)."""
    entries = (line.split("#", 1)[0].strip() for line in _lines(name))
    return tuple(entry for entry in entries if entry)


@cache
def read_table(name: str) -> tuple[tuple[str, ...], ...]:
    """Return the tab-separated rows of a data file, each cell stripped."""
    return tuple(tuple(cell.strip() for cell in line.split("\t")) for line in _lines(name))


@cache
def read_sections(name: str) -> dict[str, tuple[str, ...]]:
    """Return the whitespace-separated entries of a data file by ``## section`` (the first part is ``""``)."""
    parts: dict[str, list[str]] = {"": []}
    current = ""
    for line in (DATA_DIR / name).read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            current = line[3:].strip()
            parts.setdefault(current, [])
        elif line.strip() and not line.startswith("#"):
            parts[current].extend(line.split())
    return {section: tuple(entries) for section, entries in parts.items()}
