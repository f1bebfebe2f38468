"""Throughput and memory benchmark: ``python -m pipeline.bench [--chars N] [--quick] [--scale]``.

Runs the whole pipeline in memory (ingest -> clean -> articles -> segment -> facts ->
tables, the work ``process_file`` does for one page minus reading the file) over OCR-like
pages built from the real articles in ``../shared/eval/articles/``, and prints from the
same run: chars/s and pages/s end to end and per stage, peak RSS, the same text through
``jieba.posseg.cut`` and ``jieba.cut`` alone with the ratios, and the same work on a pool
of 2 worker processes. ``--scale`` also writes 1,000 and 10,000 pages to a temporary raw
folder and runs ``python -m pipeline run`` on them as a child process: the child's peak
RSS, and a rerun with 10 new pages. Skips with one line when ``../shared/eval`` is absent.

Timings are printed, never asserted: a benchmark is not a test.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from pipeline.evaluation.common import SKIP_LINE, eval_dir

BREAK_SHARE = 0.3  # share of long lines broken mid-sentence by a blank line, as OCR does
MIN_BREAK_LEN = 20  # lines shorter than this are never broken


# --- pages ----------------------------------------------------------------------------


def _articles_by_page() -> list[list[dict]]:
    """Return the eval articles grouped by (date, page), each group in print order."""
    root = eval_dir()
    if root is None:
        return []
    groups: dict[tuple[str, int], list[dict]] = defaultdict(list)
    for path in sorted((root / "articles").glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    art = json.loads(line)
                    groups[(art["date"], art["page"])].append(art)
    return [sorted(arts, key=lambda a: a["seq"]) for _, arts in sorted(groups.items())]


def _page_text(articles: list[dict], rng: random.Random) -> str:
    lines: list[str] = []
    for art in articles:
        for line in [*art["title_lines"], *art["paragraphs"]]:
            line = line.strip()
            if not line:
                continue
            if len(line) >= MIN_BREAK_LEN and rng.random() < BREAK_SHARE:
                cut = rng.randrange(5, len(line) - 5)
                lines.extend((line[:cut], line[cut:]))
            else:
                lines.append(line)
    return "\n\n".join(lines) + "\n"


def bench_pages(min_chars: int) -> list[str]:
    """Return OCR-like page texts totalling at least ``min_chars`` characters.

    One page per (date, page) of ``../shared/eval/articles``: title lines and paragraphs,
    every line separated by a blank line, some lines broken mid-sentence by a blank line.
    When the corpus is too small the pages repeat with other breaks, so no two pages have
    the same bytes (a run would store identical pages once). Deterministic. Returns
    ``[]`` when the eval data is absent.
    """
    groups = _articles_by_page()
    pages: list[str] = []
    total = 0
    rounds = 0
    while groups and total < min_chars:
        for k, arts in enumerate(groups):
            text = _page_text(arts, random.Random(f"{rounds}:{k}"))
            pages.append(text)
            total += len(text)
            if total >= min_chars:
                break
        rounds += 1
    return pages
