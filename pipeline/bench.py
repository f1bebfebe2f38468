"""Throughput and memory benchmark: ``python -m pipeline.bench [--chars N] [--quick] [--rounds N] [--scale]``.

Runs the whole pipeline in memory (ingest -> clean -> articles -> segment -> facts ->
tables, the work ``process_files`` does for a chunk of pages minus reading the files) over OCR-like
pages built from the real articles in ``../shared/eval/articles/``, and prints from the
same run: chars/s and pages/s end to end and per stage, peak RSS, the same text through
``jieba.posseg.cut``, ``jieba.cut`` and ``rjieba`` alone with the ratios, and the same
work on a pool of 2 worker processes. The pipeline and its rivals take turns chunk by chunk
(the pool and one process: block by block), so a machine shared with other jobs slows
them alike and the ratios stay fair; the race is run three times (``--rounds``) and the
round with the median ratio is reported, because the machine's speed also drifts from
minute to minute. ``--scale`` also writes 1,000 and 10,000 pages to a
temporary raw folder and runs ``python -m pipeline run`` on them as a child process: the
child's peak RSS, and a rerun with 10 new pages. Skips with one line when
``../shared/eval`` is absent.

Timings are printed, never asserted: a benchmark is not a test.
"""

from __future__ import annotations

import argparse
import gc
import gzip
import hashlib
import json
import logging
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from itertools import accumulate
from pathlib import Path

from pipeline.api import StageClock, process_raw_pages
from pipeline.collector import collector_paused
from pipeline.evaluation.common import ROOT, SKIP_LINE, eval_dir
from pipeline.ingest import ingest
from pipeline.runner import CHUNK_PAGES, _warm_up
from pipeline.segment import backend, tag_words
from pipeline.tables import chunk_tables

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
    year, month, day = (int(x) for x in articles[0]["date"].split("-"))
    lines = [f"人民日报 {year}年{month}月{day}日 第{articles[0]['page']}版"]  # running head: furniture
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


def _page_stream() -> Iterator[str]:
    """Yield distinct OCR-like pages without end (rounds repeat the corpus with other breaks)."""
    groups = _articles_by_page()
    seen: set[bytes] = set()  # digests: --scale keeps tens of thousands of pages apart
    rounds = 0
    while groups:
        fresh = 0
        for k, arts in enumerate(groups):
            text = _page_text(arts, random.Random(f"{rounds}:{k}"))
            digest = hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()
            if digest not in seen:  # a page without breakable lines comes out the same every round
                seen.add(digest)
                fresh += 1
                yield text
        if not fresh:
            return
        rounds += 1


def bench_pages(min_chars: int) -> list[str]:
    """Return OCR-like page texts totalling at least ``min_chars`` characters.

    One page per (date, page) of ``../shared/eval/articles``: title lines and paragraphs,
    every line separated by a blank line, some lines broken mid-sentence by a blank line.
    When the corpus is too small the pages repeat with other breaks, so no two pages have
    the same bytes (a run would store identical pages once). Deterministic. Returns
    ``[]`` when the eval data is absent.
    """
    pages: list[str] = []
    total = 0
    for text in _page_stream():
        if total >= min_chars:
            break
        pages.append(text)
        total += len(text)
    return pages


# --- in-memory run --------------------------------------------------------------------

STAGES = ("ingest", "clean", "articles", "segment", "facts", "tables")


def _source_path(k: int) -> str:
    return f"raw/2019-02-01/p{k % 100:02d}_{k:05d}.txt"


def run_pages(pages: list[str], clock: StageClock | None = None, first: int = 0) -> int:
    """Run the whole pipeline on page texts, as ``process_files`` does after reading; return rows.

    Pages go in chunks of ``CHUNK_PAGES``: each stage runs over a chunk at once and the
    chunk's rows are converted to Arrow together, as in a run. A page that fails raises.
    """
    return sum(_run_chunk(pages[c : c + CHUNK_PAGES], clock, first + c) for c in range(0, len(pages), CHUNK_PAGES))


@collector_paused  # the whole chunk, as runner._process_chunk: see pipeline.collector
def _run_chunk(pages: list[str], clock: StageClock | None, first: int) -> int:
    if clock is not None:
        clock.start()
    raws = [ingest(text.encode("utf-8"), _source_path(k)) for k, text in enumerate(pages, start=first)]
    if clock is not None:
        clock.lap("ingest")
    done = process_raw_pages(raws, clock)
    for page in done:
        if isinstance(page, Exception):
            raise page
    if clock is not None:
        clock.start()
    tables, _ = chunk_tables(done)
    if clock is not None:
        clock.lap("tables")
    return sum(t.num_rows for t in tables.values())


def _pool_task(chunk: tuple[list[str], int]) -> tuple[int, float]:
    cpu = time.process_time()
    rows = run_pages(chunk[0], None, chunk[1])
    return rows, time.process_time() - cpu


# --- reference segmenters on the same text ----------------------------------------------


class Timer:
    """Wall and CPU seconds of one contestant, summed over calls."""

    __slots__ = ("wall", "cpu")

    def __init__(self) -> None:
        self.wall = self.cpu = 0.0

    def time(self, fn, *args):
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn(*args)
        self.wall += time.perf_counter() - t0
        self.cpu += time.process_time() - c0
        return out


def _spans(words: list[str]) -> list[tuple[int, int]]:
    ends = list(accumulate(map(len, words)))
    return list(zip([0, *ends[:-1]], ends, strict=True))


def _load_jieba():
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    gc.collect()
    gc.freeze()  # as the runner does after its warm-up: jieba's tables out of the collector's way
    return jieba


def race(pages: list[str]) -> tuple[StageClock, dict[str, Timer], Counter]:
    """Run the pipeline and each segmenter alone on every page, a chunk of pages at a time, and compare them.

    Interleaving chunk by chunk makes the ratios fair on a machine that other jobs share:
    a busy spell slows every contestant alike. Returns the pipeline's stage clock, the
    timers (``pipeline``, ``jieba.posseg.cut``, ``jieba.cut``, ``rjieba.tag``) and counts
    comparing the fast path's words with ``jieba.cut`` and its tags with ``jieba.posseg``.
    """
    jieba = _load_jieba()
    clock = StageClock()
    timers = {name: Timer() for name in ("pipeline", "jieba.posseg.cut", "jieba.cut", "rjieba.tag")}
    counts: Counter = Counter()
    for k, text in enumerate(pages):
        if k % CHUNK_PAGES == 0:  # the pipeline converts a chunk of pages at once
            timers["pipeline"].time(run_pages, pages[k : k + CHUNK_PAGES], clock, k)
        fast_words, fast_tags = timers["rjieba.tag"].time(tag_words, text, "rjieba")
        cut = timers["jieba.cut"].time(lambda t: list(jieba.cut(t)), text)
        posseg = timers["jieba.posseg.cut"].time(lambda t: [(w.word, w.flag) for w in jieba.posseg.cut(t)], text)
        counts["pages"] += 1
        counts["fast_tokens"] += len(fast_words)
        if fast_words == cut:
            counts["pages_words_equal"] += 1
        else:
            counts["word_spans_differing"] += len(set(_spans(fast_words)) ^ set(_spans(cut)))
        ref = dict(zip(_spans([w for w, _ in posseg]), (t for _, t in posseg), strict=True))
        for span, tag in zip(_spans(fast_words), fast_tags, strict=True):
            other = ref.get(span)
            if other is not None:
                counts["shared_spans"] += 1
                counts["same_tag"] += tag == other
                if other in ("nr", "ns", "nt"):
                    counts["shared_ne"] += 1
                    counts["same_tag_ne"] += tag == other
    return clock, timers, counts


def race_pool(pages: list[str], workers: int, block: int = 8 * CHUNK_PAGES) -> tuple[Timer, Timer, float]:
    """Time one process against a pool of ``workers`` on the same blocks of pages, alternately.

    Returns the single-process timer, the pool's wall-clock timer and the workers' CPU
    seconds. Pool tasks return row counts only: page tables are built in the workers but
    not shipped back (``--scale`` measures a real run, writer included).
    """
    single, pooled = Timer(), Timer()
    workers_cpu = 0.0
    with ProcessPoolExecutor(max_workers=workers, initializer=_warm_up) as ex:
        list(ex.map(time.sleep, [0.5] * workers))  # start and warm up every worker before the clock
        for i in range(0, len(pages), block):
            part = pages[i : i + block]
            single.time(run_pages, part, None, i)
            chunks = [(part[j : j + CHUNK_PAGES], i + j) for j in range(0, len(part), CHUNK_PAGES)]
            results = pooled.time(lambda c: list(ex.map(_pool_task, c)), chunks)
            workers_cpu += sum(cpu for _, cpu in results)
    return single, pooled, workers_cpu


# --- scale: a real run as a child process -----------------------------------------------


def _write_pages(raw: Path, pages: Iterable[str], first: int) -> tuple[int, int]:
    """Write pages as files under ``raw``; return (pages, characters) written."""
    n = chars = 0
    for k, text in enumerate(pages, start=first):
        path = raw / _source_path(k).removeprefix("raw/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        n += 1
        chars += len(text)
    return n, chars


# Runs the pipeline as its own child and reports that child's peak RSS. A middle process
# is needed because ru_maxrss of a child forked from this (large) benchmark process
# starts at this process's size, before the child's exec.
_MEASURE_CHILD = """
import json, resource, subprocess, sys
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
print(json.dumps([resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, done.returncode, done.stdout, done.stderr]))
"""


def _run_child(raw: Path, out: Path, workers: int) -> tuple[float, float, str]:
    """Run ``python -m pipeline run`` as a child; return (seconds, peak RSS in MB, summary line).

    The peak RSS is that of the run's largest process (``ru_maxrss`` over the child and
    the pool workers it waited for: ``RUSAGE_CHILDREN`` seen from a small middle process).
    """
    cmd = [sys.executable, "-m", "pipeline", "run", str(raw), "--out", str(out), "--workers", str(workers), "-q"]
    t0 = time.perf_counter()
    middle = subprocess.run([sys.executable, "-c", _MEASURE_CHILD, *cmd], capture_output=True, text=True, cwd=ROOT, check=True)
    seconds = time.perf_counter() - t0
    max_rss_kb, returncode, stdout, stderr = json.loads(middle.stdout)
    if returncode not in (0, 1):
        raise RuntimeError(f"pipeline run failed ({returncode}): {stderr[-2000:]}")
    return seconds, max_rss_kb / 1024, stdout.strip().splitlines()[0] if stdout.strip() else ""


def _quarantined(out: Path) -> list[str]:
    """Return ``path: error`` of every quarantined page in ``out`` (generated pages are all good)."""
    import pyarrow.dataset as ds

    pages = ds.dataset(out / "pages", format="parquet").to_table(columns=["source_path", "status", "error"]).to_pylist()
    return [f"{p['source_path']}: {p['error']}" for p in pages if p["status"] != "ok"]


def _pages_rows(out: Path, exclude: set[Path]) -> int:
    import pyarrow.parquet as pq

    return sum(pq.read_metadata(f).num_rows for f in (out / "pages").glob("part-*.parquet") if f not in exclude)


def scale(sizes: list[int], workers: int, new_pages: int = 10) -> list[str]:
    """Run the CLI over ``sizes`` generated pages; rerun the largest with ``new_pages`` added."""
    lines = []
    stream = _page_stream()
    with tempfile.TemporaryDirectory(prefix="pipeline-bench-") as tmp:
        raw = Path(tmp) / "raw"
        written = chars = 0
        results = {}
        for n in sorted(sizes):
            more, more_chars = _write_pages(raw, (next(stream) for _ in range(n - written)), written)
            written, chars = written + more, chars + more_chars
            out = Path(tmp) / f"out-{n}"
            seconds, rss, summary = _run_child(raw, out, workers)
            results[n] = (seconds, rss)
            lines.append(f"  {n:>6} pages  {seconds:7.1f} s  {n / seconds:6.1f} pages/s  {_rate(chars, seconds)}  "
                         f"peak RSS {rss:6.0f} MB   [{summary}]")
            lines.extend(f"  ERROR: a generated page was quarantined, a pipeline bug: {q}" for q in _quarantined(out))
        largest = max(sizes)
        out = Path(tmp) / f"out-{largest}"
        before = set((out / "pages").glob("part-*.parquet"))
        _write_pages(raw, (next(stream) for _ in range(new_pages)), written)
        seconds, rss, summary = _run_child(raw, out, workers)
        new_rows = _pages_rows(out, before)
        full = results[largest][0]
        lines.append(
            f"  rerun: {largest} unchanged + {new_pages} new pages  {seconds:5.1f} s = {seconds / full:.1%} of the full run; "
            f"pages rows written {new_rows}   [{summary}]"
        )
        if len(sizes) > 1:
            small, big = min(sizes), largest
            lines.append(f"  peak RSS {big} pages / {small} pages: {results[big][1] / results[small][1]:.2f}")
    return lines


# The generated pages repeat the evaluation corpus (with other breaks) once it runs out,
# so past a few hundred pages their fingerprints are held already and the reprint index
# stops growing. An archive of distinct pages adds ~900 fingerprints a page for good:
# this measures the index alone on that worst case (random fingerprints, 10 articles of
# 90 a page, committed every 200 pages as a run does), in a child process of its own.
_INDEX_CHILD = """
import json, os, resource, sys, tempfile, time
import numpy as np
from pipeline.reprints import ReprintIndex
pages = int(sys.argv[1])
rng = np.random.default_rng(0)
articles = lambda: [np.unique(rng.integers(1, 2**63, 90, dtype=np.uint64)) for _ in range(10)]
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "reprints.sqlite")
    t0 = time.perf_counter()
    with ReprintIndex.open(path) as index:
        for p in range(pages):
            for a, fps in enumerate(articles()):
                index.check(fps)
                index.add(f"{p}/{a}", fps)
            if p % 200 == 199:
                index.commit()
        seconds = time.perf_counter() - t0
        t0 = time.perf_counter()
        for _ in range(100):
            for fps in articles():
                index.check(fps)
        check = (time.perf_counter() - t0) / 100
    size = sum(os.path.getsize(os.path.join(tmp, f)) for f in os.listdir(tmp))
print(json.dumps([seconds, check, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, size]))
"""


def index_scale(sizes: list[int]) -> list[str]:
    """Grow a reprint index on disk with the fingerprints of ``sizes`` distinct pages."""
    lines, rss = [], {}
    for n in sorted(sizes):
        # through the small middle process, as _run_child: a child forked from this process
        # would report this process's size
        cmd = [sys.executable, "-c", _MEASURE_CHILD, sys.executable, "-c", _INDEX_CHILD, str(n)]
        middle = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=True)
        max_rss_kb, returncode, stdout, stderr = json.loads(middle.stdout)
        if returncode:
            raise RuntimeError(f"reprint index run failed ({returncode}): {stderr[-2000:]}")
        seconds, check, _, size = json.loads(stdout)
        rss[n] = max_rss_kb / 1024
        lines.append(f"  {n:>6} pages  {seconds:7.1f} s  {seconds / n * 1e3:5.2f} ms/page to check and add  "
                     f"then {check * 1e3:4.2f} ms/page to check   peak RSS {rss[n]:4.0f} MB   on disk {size / 2**20:4.0f} MB")
    if len(sizes) > 1:
        lines.append(f"  peak RSS {max(sizes)} pages / {min(sizes)} pages: {rss[max(sizes)] / rss[min(sizes)]:.2f}")
    return lines


# --- report -----------------------------------------------------------------------------


def _rate(chars: int, seconds: float) -> str:
    return f"{chars / seconds / 1e6:6.2f} M chars/s" if seconds > 0 else "      -"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--chars", type=int, help="characters of pages to run (default 2,000,000; --quick: 300,000)")
    parser.add_argument("--quick", action="store_true", help="fewer characters, no pool (a smoke run)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes for the pool figures (default 2)")
    parser.add_argument("--rounds", type=int, help="races run, the median one reported (default 3; --quick: 1)")
    parser.add_argument("--scale", action="store_true", help="also run the CLI over 1,000 and 10,000 pages (minutes)")
    parser.add_argument("--scale-pages", default="1000,10000", help="page counts for --scale (default 1000,10000)")
    args = parser.parse_args(argv)
    if eval_dir() is None:
        print(SKIP_LINE)
        return 0
    chars = args.chars or (300_000 if args.quick else 2_000_000)
    t0 = time.perf_counter()
    pages = bench_pages(chars)
    n_chars = sum(map(len, pages))
    print(f"pipeline.bench: {len(pages)} pages, {n_chars:,} chars (built in {time.perf_counter() - t0:.1f} s); "
          f"segmenter {backend()}; {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")

    t0 = time.perf_counter()
    _warm_up()
    print(f"start-up (dictionaries, one process): {time.perf_counter() - t0:.2f} s, not counted below")

    # A first pass alone, before jieba's own dictionaries load: the pipeline's peak RSS.
    t0 = time.perf_counter()
    rows = run_pages(pages)
    first_pass = time.perf_counter() - t0
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    # A shared machine's speed drifts by ±10 % from minute to minute: the race is run a few
    # times and the round with the median ratio to jieba.posseg is reported.
    n_rounds = args.rounds or (1 if args.quick else 3)
    rounds = sorted((race(pages) for _ in range(n_rounds)), key=lambda r: r[1]["jieba.posseg.cut"].wall / r[1]["pipeline"].wall)
    clock, timers, counts = rounds[len(rounds) // 2]
    pipe = timers["pipeline"]
    print(f"\n== whole pipeline, 1 process ({rows:,} rows); segmenters alone on the same pages, in turns of {CHUNK_PAGES} pages")
    print(f"  end to end   {pipe.wall:7.2f} s  {_rate(n_chars, pipe.wall)}  {len(pages) / pipe.wall:7.1f} pages/s"
          f"   CPU {pipe.cpu:.2f} s ({_rate(n_chars, pipe.cpu).strip()}); first pass alone {first_pass:.2f} s")
    for stage in STAGES:
        sec = clock.get(stage, 0.0)
        print(f"  {stage:<12} {sec:7.2f} s  {_rate(n_chars, sec)}  {sec / pipe.wall:6.1%}")
    print(f"  peak RSS {rss_mb:.0f} MB (this process, before jieba's own dictionaries load)")
    for name in ("jieba.posseg.cut", "jieba.cut", "rjieba.tag"):
        t = timers[name]
        print(f"  {name:<18} {t.wall:7.2f} s  {_rate(n_chars, t.wall)}   pipeline end to end: "
              f"{t.wall / pipe.wall:5.2f}x its speed (CPU time {t.cpu / pipe.cpu:5.2f}x)")
    if n_rounds > 1:
        ratios = ", ".join(f"{r[1]['jieba.posseg.cut'].wall / r[1]['pipeline'].wall:.2f}x" for r in rounds)
        print(f"  {n_rounds} rounds, end to end vs jieba.posseg.cut: {ratios}; the figures above are the median round's")
    print(f"  words of the fast path == jieba.cut: {counts['pages_words_equal']} of {counts['pages']} pages "
          f"({counts['word_spans_differing']} token spans differ)")
    print(f"  POS rjieba vs jieba.posseg on the {counts['shared_spans']:,} tokens with the same span "
          f"({counts['shared_spans'] / max(counts['fast_tokens'], 1):.1%} of {counts['fast_tokens']:,}): "
          f"{counts['same_tag'] / max(counts['shared_spans'], 1):.1%} agree; where posseg says nr/ns/nt: "
          f"{counts['same_tag_ne'] / max(counts['shared_ne'], 1):.1%} of {counts['shared_ne']:,}")

    if not args.quick:
        pools = sorted((race_pool(pages, args.workers) for _ in range(n_rounds)), key=lambda r: r[0].wall / r[1].wall)
        single, pooled, workers_cpu = pools[len(pools) // 2]
        print(f"\n== whole pipeline, {args.workers} worker processes vs 1 process, alternating blocks of {8 * CHUNK_PAGES} pages")
        print(f"  1 process    {single.wall:7.2f} s  {_rate(n_chars, single.wall)}  {len(pages) / single.wall:7.1f} pages/s")
        print(f"  {args.workers} workers    {pooled.wall:7.2f} s  {_rate(n_chars, pooled.wall)}  {len(pages) / pooled.wall:7.1f} pages/s"
              f"   {single.wall / pooled.wall:.2f}x one process")
        if n_rounds > 1:
            print(f"  {n_rounds} rounds: {', '.join(f'{r[0].wall / r[1].wall:.2f}x' for r in pools)}; the figures above are the median round's")
        # On a machine shared with other jobs the workers get less than a core each;
        # CPU seconds tell how much of a shortfall is the machine rather than the pool.
        print(f"  workers' CPU {workers_cpu:.2f} s = {workers_cpu / pooled.wall:.2f} cores busy on average; "
              f"CPU per page {single.cpu / workers_cpu:.0%} as efficient as one process")
        if workers_cpu / pooled.wall < args.workers - 0.3:
            print(f"  the workers were short of CPU (other jobs; Linux shares CPU between sessions): with "
                  f"{args.workers} idle cores expect ~{args.workers * single.cpu / workers_cpu:.2f}x (workers x efficiency)")

    if args.scale:
        sizes = [int(x) for x in args.scale_pages.split(",") if x]
        print(f"\n== python -m pipeline run --workers {args.workers} as a child process (peak RSS: its largest process)")
        for line in scale(sizes, args.workers):
            print(line)
        print("\n== the reprint index alone, on disk, with the fingerprints of distinct pages (the generated pages above repeat)")
        for line in index_scale(sizes):
            print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
