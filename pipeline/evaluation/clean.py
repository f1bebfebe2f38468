"""Evaluation section "clean": line-break repair, duplicates, furniture and titles.

Synthetic OCR pages with a known answer (:mod:`pipeline.evaluation.synth`) go through
``pipeline.clean.clean_page`` and ``pipeline.articles.split_articles``; the scores are

* ``join_recall``: planted breaks whose two sides end up contiguous in one clean line;
* ``glue_rate_max``: real paragraph, title/title, title/body and article boundaries
  wrongly merged into one clean line, over all such boundaries (lower is better);
* ``duplicates_once``: planted repeated passages whose text occurs exactly once;
* ``retention``: gold paragraphs present in the clean text;
* ``title_recall``: gold title lines found as an article's kicker, title or subtitle;
* ``furniture_removed``: planted running heads, page numbers and section names gone.

Each score is printed with a 95 % interval from resampling whole pages (``page_interval``):
errors cluster on a page, so another sample of pages of the same kind may score anywhere in
it. Comparisons drop whitespace and fold full-/half-width punctuation. ``--baseline naive``
(split on blank lines, no joins) and ``--baseline oracle`` (the gold answer) exist only to
check the scorer itself.

``--split`` scores every real page once (one generated page each) and reports two fixed
halves of them, keyed by a hash of the page's date and number: ``dev``, whose errors a rule
may be written from, and ``check``, whose score is only read. A rule that helps ``dev`` and
not ``check`` fits its examples rather than the text.

    python -m pipeline.evaluation.clean [--quick] [--pages N] [--seed K] [--raise-floors] [--baseline naive]
    python -m pipeline.evaluation.clean --split [--seed K ...]
"""

from __future__ import annotations

import argparse
import sys
import time
import zlib
from collections import Counter
from collections.abc import Callable

import regex

from pipeline.evaluation.common import (
    SKIP_LINE,
    check_floors,
    eval_dir,
    load_floors,
    print_table,
    raise_floors,
    worst_of,
)
from pipeline.evaluation.synth import DEFAULTS, SynthPage, group_pages, load_articles, make_pages, normalise
from pipeline.offsets import OffsetMap
from pipeline.record import Article, CleanPage

SECTION = "clean"
FULL_PAGES = 300
QUICK_PAGES = 40
SEED = 0
CONTEXT = 8  # characters either side of a boundary or furniture line

RE_BLANK_SPLIT = regex.compile(r"\n\s*\n")
RE_SENTENCE_TAIL = regex.compile(r"[。！？!?…；;][”’」』）)\"']*$")

METRICS = {
    "join_recall": ("joined", "breaks"),
    "glue_rate_max": ("glued", "boundaries"),
    "duplicates_once": ("dups_once", "dups"),
    "retention": ("kept", "paragraphs"),
    "title_recall": ("titles_found", "titles"),
    "furniture_removed": ("furniture_gone", "furniture"),
}


def score_page(page: SynthPage, clean_text: str, articles: list[Article]) -> Counter:
    """Count what the cleaner got right on one page (numerators and denominators)."""
    lines = [normalise(line) for line in clean_text.split("\n")]
    by_line = "\n".join(lines)
    flat = "".join(lines)
    line_set = set(lines)
    c: Counter = Counter()
    gold_by_line = "\n".join(normalise(x) for a in page.articles for x in (*a.title_lines, *a.paragraphs))
    for b in page.breaks:
        seam = normalise(b.before) + normalise(b.after)
        ok = seam in by_line and by_line.count(seam) >= gold_by_line.count(seam)
        c["breaks"] += 1
        c["joined"] += ok
        c[f"breaks:{b.kind}"] += 1
        c[f"joined:{b.kind}"] += ok
    copies = "\n".join(normalise(d) for d in page.duplicates)  # a kept copy is not a glue
    for bd in page.boundaries:
        seam = normalise(bd.left)[-CONTEXT:] + normalise(bd.right)[:CONTEXT]
        glued = seam in by_line and by_line.count(seam) > gold_by_line.count(seam) + copies.count(seam)
        c["boundaries"] += 1
        c["glued"] += glued
        c[f"boundaries:{bd.kind}"] += 1
        c[f"glued:{bd.kind}"] += glued
    for d in page.duplicates:
        c["dups"] += 1
        c["dups_once"] += flat.count(normalise(d)) == 1
    for a in page.articles:
        for p in a.paragraphs:
            c["paragraphs"] += 1
            c["kept"] += normalise(p) in flat
    found = {normalise(x) for a in articles for x in (a.kicker, a.title, a.subtitle) if x}
    for a in page.articles:
        for t in a.title_lines:
            c["titles"] += 1
            c["titles_found"] += normalise(t) in found
    for f in page.furniture:
        text = normalise(f.text)
        present = text in line_set
        if f.before and not present:
            present = (normalise(f.before)[-CONTEXT:] + text) in by_line
        if f.after and not present:
            present = (text + normalise(f.after)[:CONTEXT]) in by_line
        c["furniture"] += 1
        c["furniture_gone"] += not present
        c[f"furniture:{f.kind}"] += 1
        c[f"furniture_gone:{f.kind}"] += not present
    return c


def ratio(c: Counter, num: str, den: str) -> float:
    """Return ``c[num] / c[den]`` (1.0, or 0.0 for a ``glued`` count, when nothing was planted)."""
    if not c[den]:
        return 0.0 if num.startswith("glued") else 1.0
    return c[num] / c[den]


def scores_from(c: Counter) -> dict[str, float]:
    """Turn summed counts into the section's scores."""
    return {name: ratio(c, num, den) for name, (num, den) in METRICS.items()}


def gold_title_fields(heads: list[str]) -> tuple[str | None, str | None, str | None]:
    """Map 1-3 heading lines to (kicker, title, subtitle) as the generator lays them out.

    The generator's two-line stacks are a title and a subtitle, so the scorer's reference
    cleaners (the oracle and the naive baseline) read stacks this way;
    ``pipeline.articles.title_fields`` has to guess from the text (a two-line stack may
    also be a kicker and a title).
    """
    if not heads:
        return None, None, None
    if len(heads) == 1:
        return None, heads[0], None
    if len(heads) == 2:
        return None, heads[0], heads[1]
    return heads[0], heads[1], heads[2]


def naive_clean(text: str) -> CleanPage:
    """Split on blank lines and join nothing (scorer development only)."""
    lines = [s.strip() for s in RE_BLANK_SPLIT.split(text) if s.strip()]
    out = "\n".join(lines)
    return CleanPage(text=out, raw_map=OffsetMap())


def naive_split(clean: CleanPage) -> list[Article]:
    """Start an article at every run of short lines that do not end a sentence."""
    articles: list[Article] = []
    heads: list[str] = []
    body: list[str] = []

    def flush() -> None:
        if heads or body:
            k, t, s = gold_title_fields(heads)
            articles.append(
                Article(len(articles), "news", "\n".join(body), OffsetMap(), kicker=k, title=t, subtitle=s)
            )

    for line in clean.text.split("\n"):
        heading = len(line) < 50 and not RE_SENTENCE_TAIL.search(line)
        if heading and body:
            flush()
            heads, body = [], []
        (heads if heading else body).append(line)
    flush()
    return articles


def oracle(page: SynthPage) -> tuple[str, list[Article]]:
    """Return the gold answer as a cleaner would (scorer self-check only)."""
    lines, articles = [], []
    for i, a in enumerate(page.articles):
        lines.extend(a.title_lines)
        lines.extend(a.paragraphs)
        k, t, s = gold_title_fields(a.title_lines)
        articles.append(Article(i, "news", "\n".join(a.paragraphs), OffsetMap(), kicker=k, title=t, subtitle=s))
    return "\n".join(lines), articles


def real_cleaner() -> tuple[Callable[[str], CleanPage], Callable[[CleanPage], list[Article]]] | None:
    """Return ``(clean_page, split_articles)`` or ``None`` when they are not written yet."""
    try:
        from pipeline.articles import split_articles
        from pipeline.clean import clean_page
    except ModuleNotFoundError as exc:
        if exc.name in ("pipeline.clean", "pipeline.articles"):
            return None
        raise
    return clean_page, split_articles


def evaluate(
    pages: list[SynthPage], baseline: str | None = None, per_page: list[Counter] | None = None
) -> tuple[Counter, dict[str, float]]:
    """Run a cleaner over ``pages``; return the summed counts and timings. Each page's own
    counts are appended to ``per_page`` when one is given (``page_interval`` needs them)."""
    counts: Counter = Counter()
    per_page = [] if per_page is None else per_page
    t_clean = t_split = 0.0
    n_chars = 0
    if baseline == "oracle":
        for page in pages:
            text, arts = oracle(page)
            per_page.append(score_page(page, text, arts))
            counts += per_page[-1]
        return counts, {}
    if baseline == "naive":
        clean_page, split_articles = naive_clean, naive_split
    elif baseline is None:
        funcs = real_cleaner()
        if funcs is None:
            raise ModuleNotFoundError("pipeline.clean / pipeline.articles are not written yet")
        clean_page, split_articles = funcs
    else:
        raise ValueError(f"unknown baseline {baseline!r}")
    for page in pages:
        t0 = time.perf_counter()
        clean = clean_page(page.text)
        t1 = time.perf_counter()
        arts = split_articles(clean)
        t2 = time.perf_counter()
        t_clean += t1 - t0
        t_split += t2 - t1
        n_chars += len(page.text)
        per_page.append(score_page(page, clean.text, arts))
        counts += per_page[-1]
    timing = {
        "chars": float(n_chars),
        "clean_chars_per_s": n_chars / t_clean if t_clean else 0.0,
        "clean_split_chars_per_s": n_chars / (t_clean + t_split) if t_clean + t_split else 0.0,
    }
    return counts, timing


INTERVAL_ROUNDS = 2000  # resamples of the pages behind a score's interval
INTERVAL_LEVEL = 0.95


def page_interval(per_page: list[Counter], num: str, den: str, rounds: int = INTERVAL_ROUNDS, seed: int = 0) -> tuple[float, float]:
    """Return an ``INTERVAL_LEVEL`` bootstrap interval of the score ``num / den`` with whole
    pages resampled: the percentile interval of the score over ``rounds`` samples of as many
    pages drawn with replacement. Errors come in clusters (one poem, one listing, one form
    can hold a dozen glued boundaries), so a page, not a boundary, is the unit drawn; the
    interval says how far another sample of pages of the same kind may put the score."""
    import numpy as np

    empty = ratio(Counter(), num, den)  # the score when nothing was planted
    if not per_page:
        return empty, empty
    nums = np.array([c[num] for c in per_page], dtype=float)
    dens = np.array([c[den] for c in per_page], dtype=float)
    draws = np.random.default_rng(seed).integers(0, len(per_page), size=(rounds, len(per_page)))
    top, bottom = nums[draws].sum(axis=1), dens[draws].sum(axis=1)
    values = np.where(bottom > 0, top / np.maximum(bottom, 1), empty)
    tail = (1 - INTERVAL_LEVEL) / 2 * 100
    lo, hi = np.percentile(values, [tail, 100 - tail])
    return float(lo), float(hi)


def build_pages(quick: bool = False, n_pages: int | None = None, seed: int = SEED) -> list[SynthPage]:
    """Generate the section's pages (``[]`` without eval data)."""
    n = n_pages or (QUICK_PAGES if quick else FULL_PAGES)
    articles = load_articles()
    return make_pages(articles, n, seed=seed) if articles else []


def report(
    counts: Counter,
    scores: dict[str, float],
    timing: dict[str, float],
    n_pages: int,
    label: str,
    per_page: list[Counter] | None = None,
) -> None:
    """Print the score table (with each score's page-resampled interval when ``per_page``
    is given), the per-kind breakdown and the cleaner's speed."""
    floors = load_floors(SECTION)
    rows = []
    for name, (num, den) in METRICS.items():
        target = floors.get(name, "")
        row = (name, scores[name], target, f"{counts[num]}/{counts[den]}")
        if per_page:
            lo, hi = page_interval(per_page, num, den)
            row = (*row, f"{lo:.4f}-{hi:.4f}")
        rows.append(row)
    header = ("score", "value", "floor", "count", *((f"{INTERVAL_LEVEL:.0%} over pages",) if per_page else ()))
    print_table(f"clean ({label}, {n_pages} pages)", rows, header)
    detail = []
    for prefix, num in (("breaks", "joined"), ("boundaries", "glued"), ("furniture", "furniture_gone")):
        for key in sorted(k for k in counts if k.startswith(prefix + ":")):
            kind = key.split(":", 1)[1]
            detail.append(
                (
                    f"{num}:{kind}",
                    ratio(counts, f"{num}:{kind}", key),
                    f"{counts[f'{num}:{kind}']}/{counts[key]}",
                )
            )
    print_table("clean: by kind", detail, ("what", "rate", "count"))
    if timing:
        print(
            f"cleaner speed: {timing['clean_chars_per_s']:,.0f} chars/s clean_page, "
            f"{timing['clean_split_chars_per_s']:,.0f} chars/s with split_articles "
            f"({timing['chars']:,.0f} chars)"
        )


def run(quick: bool = False, n_pages: int | None = None, baseline: str | None = None, seed: int = SEED) -> dict[str, float]:
    """Score the cleaner on synthetic pages and print the table; ``{}`` when skipped."""
    if eval_dir() is None:
        print(SKIP_LINE)
        return {}
    if baseline is None and real_cleaner() is None:
        print("skipped: pipeline.clean / pipeline.articles are not written yet")
        return {}
    pages = build_pages(quick, n_pages, seed)
    if not pages:
        print(SKIP_LINE)
        return {}
    per_page: list[Counter] = []
    counts, timing = evaluate(pages, baseline, per_page)
    scores = scores_from(counts)
    label = (baseline or "pipeline.clean") + (f", seed {seed}" if seed != SEED else "")
    report(counts, scores, timing, len(pages), label, per_page)
    return {**scores, **{k: v for k, v in timing.items() if k.endswith("per_s")}}


HALVES = ("dev", "check")


def half_of(page: SynthPage) -> str:
    """Return the half (``dev`` or ``check``) that a generated page's real page belongs to:
    fixed by a hash of its date and page number, whatever the seed."""
    return HALVES[zlib.crc32(real_page_of(page).encode("utf-8")) % 2]


def real_page_of(page: SynthPage) -> str:
    """Return the real page (date/number) a generated page was made from."""
    return page.key.split("#", 1)[0]


def _by_real_page(pages: list[SynthPage], per_page: list[Counter]) -> list[Counter]:
    """Sum the counts of the generated pages made from the same real page."""
    summed: dict[str, Counter] = {}
    for page, c in zip(pages, per_page, strict=True):
        summed.setdefault(real_page_of(page), Counter()).update(c)
    return list(summed.values())


def run_split(seeds: list[int]) -> dict[str, dict[str, float]]:
    """Score one generated page per real page for each seed and print the two halves side
    by side; ``{}`` when skipped. The floors are not checked here."""
    articles = load_articles() if eval_dir() is not None else []
    if not articles or real_cleaner() is None:
        print(SKIP_LINE if not articles else "skipped: pipeline.clean / pipeline.articles are not written yet")
        return {}
    n_pages = len(group_pages(articles, int(DEFAULTS["max_articles"])))
    pages: dict[str, list[SynthPage]] = {h: [] for h in HALVES}
    for seed in seeds:
        for page in make_pages(articles, n_pages, seed=seed):
            pages[half_of(page)].append(page)
    per_page: dict[str, list[Counter]] = {h: [] for h in HALVES}
    counts = {h: evaluate(pages[h], None, per_page[h])[0] for h in HALVES}
    scores = {h: scores_from(counts[h]) for h in HALVES}
    # the pages generated from one real page under several seeds share its text and its
    # errors: the interval resamples real pages, each with all its generated pages
    per_real = {h: _by_real_page(pages[h], per_page[h]) for h in HALVES}
    rows = [
        (
            name,
            *(scores[h][name] for h in HALVES),
            *(f"{counts[h][num]}/{counts[h][den]}" for h in HALVES),
            *("{:.4f}-{:.4f}".format(*page_interval(per_real[h], num, den)) for h in HALVES),
        )
        for name, (num, den) in METRICS.items()
    ]
    title = (
        f"clean: dev/check halves of the real pages (seeds {', '.join(map(str, seeds))}; "
        f"{len(pages['dev'])} + {len(pages['check'])} pages)"
    )
    level = f"{INTERVAL_LEVEL:.0%}"
    print_table(title, rows, ("score", *HALVES, *(f"{h} count" for h in HALVES), *(f"{h} {level} over pages" for h in HALVES)))
    return scores


FLOOR_MARGIN = 0.005  # a floor sits this far below the measured score
CEILING_MARGIN = 0.002  # a ``_max`` ceiling sits this far above it


def raise_measured_floors(scores: dict[str, float]) -> dict[str, float]:
    """Raise the pinned floors to the measured scores less ``FLOOR_MARGIN`` (ceilings: the
    scores plus ``CEILING_MARGIN``), never loosening one."""
    raise_floors(SECTION, {k: v for k, v in scores.items() if not k.endswith("_max")}, margin=FLOOR_MARGIN)
    return raise_floors(SECTION, {k: v for k, v in scores.items() if k.endswith("_max")}, margin=CEILING_MARGIN)


def main(argv: list[str] | None = None) -> int:
    """Command line: print the section's scores; non-zero exit when a floor fails."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help=f"{QUICK_PAGES} pages instead of {FULL_PAGES}")
    ap.add_argument("--pages", type=int, default=None, help="number of generated pages")
    ap.add_argument(
        "--raise-floors",
        action="store_true",
        help=f"raise tests/floors/clean.json to these scores - {FLOOR_MARGIN} (ceilings + {CEILING_MARGIN})",
    )
    ap.add_argument("--baseline", choices=("naive", "oracle"), default=None, help="score a reference cleaner")
    ap.add_argument(
        "--seed", type=int, nargs="+", default=[SEED],
        help=f"generate other pages (floors are pinned on seed {SEED} only); with --split, one or more seeds",
    )
    ap.add_argument(
        "--split", action="store_true",
        help="score every real page once per seed and report the dev and check halves side by side",
    )
    a = ap.parse_args(argv)
    if a.split:
        if a.quick or a.pages or a.raise_floors or a.baseline:
            ap.error("--split scores the cleaner on every real page; it takes only --seed")
        run_split(a.seed)
        return 0
    if len(a.seed) > 1:
        ap.error("more than one --seed needs --split")
    a.seed = a.seed[0]
    scores = run(a.quick, a.pages, a.baseline, a.seed)
    if not scores:
        return 0
    metric_scores = {k: v for k, v in scores.items() if k in METRICS}
    if a.raise_floors:
        if a.baseline or a.seed != SEED:
            print("not raising floors from a baseline or another seed")
        else:
            print("scoring the other sample too: floors are raised from the worse of quick and full")
            other = {k: v for k, v in run(not a.quick, None, None, a.seed).items() if k in METRICS}
            print("floors now:", raise_measured_floors(worst_of(metric_scores, other)))
    failures = [] if a.baseline or a.seed != SEED else check_floors(SECTION, metric_scores)
    for f in failures:
        print("FLOOR", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
