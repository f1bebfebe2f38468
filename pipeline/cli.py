"""Command line: ``python -m pipeline run`` and one command per stage for inspection."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from datetime import date
from pathlib import Path

# Exit codes of `run`: 0 done (bad pages are quarantined, not fatal); 1 with --strict when
# any page was quarantined; 2 bad arguments or no raw folder; 3 another run holds the
# output's lock; 4 the run failed (e.g. disk full); what was committed stays consistent
# and the next run resumes; 130 interrupted (Ctrl-C), likewise.
EXIT_OK, EXIT_QUARANTINED, EXIT_USAGE, EXIT_LOCKED, EXIT_FAILED, EXIT_INTERRUPTED = 0, 1, 2, 3, 4, 130

DESCRIPTION = """\
Turn OCR'd Chinese newspaper pages into clean articles and Parquet tables.

  python -m pipeline run [RAW_DIR] [--out OUT_DIR]   process new/changed pages (default raw/ -> output/)
  python -m pipeline clean PAGE.txt                   print the cleaned page text
  python -m pipeline articles PAGE.txt                print the article split
  python -m pipeline tokens PAGE.txt                  print jieba tokens per sentence
  python -m pipeline facts PAGE.txt                   print entities, roles, quantities, dates
  python -m pipeline docs [--check]                   write (or check) docs/tables.md
"""


def _read_page(path: str):
    from pipeline.ingest import UnreadablePage, ingest, read_page_bytes, sidecar_path

    side = Path(sidecar_path(path))
    try:
        data, _ = read_page_bytes(path)
    except (OSError, UnreadablePage) as exc:
        print(f"{path}: {getattr(exc, 'strerror', None) or exc}", file=sys.stderr)
        raise SystemExit(EXIT_QUARANTINED) from exc
    raw = ingest(data, path, side.read_bytes() if side.is_file() and side != Path(path) else None)
    if raw.error:
        print(f"{path}: {raw.error}", file=sys.stderr)
        raise SystemExit(EXIT_QUARANTINED)
    return raw


def cmd_run(args) -> int:
    from concurrent.futures import BrokenExecutor

    from pipeline.ingest import MAX_MB_ENV
    from pipeline.runner import Progress, run
    from pipeline.store import OutputLocked

    if args.max_mb is not None:
        if args.max_mb <= 0:
            print("error: --max-mb must be positive", file=sys.stderr)
            return EXIT_USAGE
        os.environ[MAX_MB_ENV] = str(args.max_mb)  # read by every worker process too
    show = None if args.quiet else Progress()
    try:
        summary = run(
            args.raw_dir,
            args.out,
            workers=args.workers,
            engine=args.engine,
            scheduler=args.scheduler,
            batch_pages=args.batch_pages,
            wait=args.wait,
            force=args.force,
            progress=show,
        )
    except OutputLocked as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_LOCKED
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenExecutor as exc:
        print(f"error: a worker process died ({exc}); usually out of memory or a crash in a native "
              "library. Committed batches are kept; rerun with --workers 1 -v to see which page it was",
              file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("\ninterrupted: committed batches are kept; run again to finish", file=sys.stderr)
        return EXIT_INTERRUPTED
    except OSError as exc:
        logging.getLogger(__name__).debug("run failed", exc_info=True)
        print(f"error: the run failed: {exc}; committed batches are kept; run again to finish", file=sys.stderr)
        return EXIT_FAILED
    for line in summary.lines():
        print(line)
    if args.strict and summary.bad_pages:
        print(f"--strict: {summary.bad_pages} page(s) quarantined", file=sys.stderr)
        return EXIT_QUARANTINED
    return EXIT_OK


def cmd_clean(args) -> int:
    from pipeline.clean import clean_page

    clean = clean_page(_read_page(args.page).text)
    print(clean.text)
    if args.removed:
        for r in clean.removed:
            kept = f" (kept copy at raw {r.kept_raw_start})" if r.kept_raw_start is not None else ""
            print(f"\n[removed {r.reason} raw {r.raw_start}-{r.raw_end}{kept}]\n{r.text}", file=sys.stderr)
    return EXIT_OK


def cmd_articles(args) -> int:
    from pipeline.articles import split_articles
    from pipeline.clean import clean_page

    for a in split_articles(clean_page(_read_page(args.page).text)):
        print(f"=== [{a.seq}] {a.kind}")
        for label, value in (("kicker", a.kicker), ("title", a.title), ("subtitle", a.subtitle), ("byline", a.byline)):
            if value:
                print(f"{label:>8}: {value}")
        if a.credits:
            print(f"{'credits':>8}: " + ", ".join(f"{c.role} {c.name}" for c in a.credits))
        for p in a.paragraphs:
            mark = "##" if p.kind == "heading" else "  "
            print(f"{mark} {a.text[p.start:p.end]}")
        print()
    return EXIT_OK


def cmd_tokens(args) -> int:
    import pipeline

    tables = pipeline.process_page(_read_page(args.page).text, source=args.page)
    for sid, group in tables["tokens"].groupby("sentence_id", sort=False):
        print(sid, " ".join(f"{w}/{p}" for w, p in zip(group.word, group.pos, strict=True)))
    return EXIT_OK


def cmd_facts(args) -> int:
    import pandas as pd

    import pipeline

    issue = date.fromisoformat(args.issue_date) if args.issue_date else None
    tables = pipeline.process_page(_read_page(args.page).text, source=args.page, issue_date=issue)
    with pd.option_context("display.max_rows", 500, "display.max_columns", 20, "display.width", 200):
        for name in ("credits", "entities", "person_roles", "quantities", "dates"):
            df = tables[name].drop(columns=[c for c in ("article_id", "sentence_id", "raw_start", "raw_end") if c in tables[name]])
            print(f"== {name} ({len(df)} rows)")
            print(df.to_string(index=False) if len(df) else "(none)")
            print()
    return EXIT_OK


def cmd_docs(args) -> int:
    from pipeline.schema import render_markdown

    target = Path(args.path)
    text = render_markdown()
    if args.check:
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            print(f"{target} is out of date: run `python -m pipeline docs`", file=sys.stderr)
            return EXIT_QUARANTINED
        return EXIT_OK
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("run", help="process new and changed pages into Parquet tables",
                       description="Process new and changed pages of RAW_DIR into Parquet datasets under OUT_DIR. "
                       "Unchanged pages (same bytes, same pipeline version) are skipped; a page that cannot be read is "
                       "quarantined (a row in pages with the reason) and the run goes on. Exit codes: 0 done; "
                       "1 --strict and a page is quarantined; 2 no such raw folder; 3 another run holds the output; "
                       "4 the run failed (committed batches are kept: rerun to finish).")
    p.add_argument("raw_dir", nargs="?", default="raw", help="folder of OCR text pages (default: raw/)")
    p.add_argument("--out", default="output", help="output folder (default: output/)")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="worker processes (default: all cores)")
    p.add_argument("--engine", choices=["auto", "serial", "process", "dask"], default="auto",
                   help="where pages are processed: this process, a local process pool, or a Dask cluster")
    p.add_argument("--scheduler", help="Dask scheduler address (tcp://host:8786) for --engine dask; default: a local cluster")
    p.add_argument("--batch-pages", type=int, default=200, help="pages per committed batch (bounds memory; default 200)")
    p.add_argument("--wait", action="store_true", help="wait for a concurrent run to finish instead of exiting")
    p.add_argument("--strict", action="store_true",
                   help="exit 1 when any page is quarantined (found by this run or still bad from an earlier one)")
    p.add_argument("--max-mb", type=float, default=None,
                   help="refuse (quarantine) files over this many MiB without reading them "
                   "(default: $PIPELINE_MAX_MB or 32; about 100 MB of memory per MiB of page)")
    p.add_argument("--force", action="store_true", help="reprocess every page, replacing its rows")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress line")
    p.set_defaults(func=cmd_run)

    for name, func, helptext in [
        ("clean", cmd_clean, "print the cleaned text of one page"),
        ("articles", cmd_articles, "print the article split of one page"),
        ("tokens", cmd_tokens, "print jieba tokens of one page, one sentence per line"),
        ("facts", cmd_facts, "print credits, entities, person roles, quantities and dates of one page"),
    ]:
        sp = sub.add_parser(name, help=helptext, description=helptext)
        sp.add_argument("page", help="a raw OCR text file")
        if name == "clean":
            sp.add_argument("--removed", action="store_true", help="also print removed passages (to stderr)")
        if name == "facts":
            sp.add_argument("--issue-date", help="issue date YYYY-MM-DD (default: from metadata or inferred)")
        sp.set_defaults(func=func)

    p = sub.add_parser("docs", help="write docs/tables.md from the schema module")
    p.add_argument("--path", default="docs/tables.md")
    p.add_argument("--check", action="store_true", help="exit 1 if the file is out of date")
    p.set_defaults(func=cmd_docs)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        return args.func(args)
    except BrokenPipeError:  # output piped into `head` or a pager that quit early
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
