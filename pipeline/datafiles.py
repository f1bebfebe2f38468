"""Load the word lists and pattern tables kept as data under ``pipeline/data/``."""

from __future__ import annotations

from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


@cache
def read_list(name: str) -> tuple[str, ...]:
    """Return the entries of a one-entry-per-line data file (``#`` starts a comment)."""
    entries = []
    for line in (DATA_DIR / name).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            entries.append(line)
    return tuple(entries)


@cache
def read_table(name: str) -> tuple[tuple[str, ...], ...]:
    """Return the tab-separated rows of a data file (``#`` lines are comments)."""
    rows = []
    for line in (DATA_DIR / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        rows.append(tuple(cell.strip() for cell in line.split("\t")))
    return tuple(rows)
