"""Run the pipeline over a folder of raw pages into the output tables.

The runner decides which files are new or changed (manifest: path, size, mtime, hash,
pipeline version), hands them in chunks to ``process_files`` (pure apart from reading those
files, so it runs in this process, a process pool or on a Dask cluster), checks the
results for reprints across pages in page order, and writes them in bounded batches.
"""

from __future__ import annotations

import errno
import gc
import logging
import os
import sqlite3
import stat
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import pyarrow as pa

from pipeline import __version__
from pipeline.api import process_raw_pages
from pipeline.collector import collector_paused
from pipeline.ingest import (
    PageTooLarge,
    UnreadablePage,
    ingest,
    max_bytes,
    page_id_for,
    read_page_bytes,
    sha256_file,
    sha256_hex,
    sidecar_path,
)
from pipeline.record import RawPage
from pipeline.reprints import ReprintIndex
from pipeline.schema import SCHEMA_VERSION
from pipeline.store import STATE_DIR, FileState, Store
from pipeline.tables import ProcessedPage, chunk_tables, empty_tables, page_tables, split_tables

log = logging.getLogger(__name__)

# The manifest's version key: a page processed under another key is processed again and
# its rows replaced. PIPELINE_VERSION_SUFFIX (environment, read at import) is appended, to
# force a full rebuild deliberately or to test version changes.
VERSION_SUFFIX_ENV = "PIPELINE_VERSION_SUFFIX"
VERSION_KEY = f"{__version__}+schema{SCHEMA_VERSION}" + (
    f"+{os.environ[VERSION_SUFFIX_ENV]}" if os.environ.get(VERSION_SUFFIX_ENV) else ""
)
# Below this many pages a process pool costs more (starting and warming up workers)
# than it saves: a rerun with a handful of new pages runs in this process.
MIN_PAGES_FOR_POOL = 32
SIDECAR_SUFFIX = ".json"
# FileState.sha256 of a file that was not read: "" when it could not be read (retried on
# every run: a permission fix does not change mtime), TOO_LARGE + limit when refused for
# its size (retried when the limit is raised).
TOO_LARGE = "too-large>"


@dataclass(slots=True)
class PageOutcome:
    """What a worker sends back for one raw file."""

    state: FileState
    status: str
    tables: dict[str, pa.Table]
    error: str | None = None


@dataclass(slots=True)
class RunSummary:
    processed: int = 0
    skipped: int = 0
    quarantined: int = 0
    reprints: int = 0
    seconds: float = 0.0
    quarantine_reasons: list[tuple[str, str]] = field(default_factory=list)
    # paths under raw/ that are not page files (symlink loops, pipes, unreadable folders)
    ignored: list[tuple[str, str]] = field(default_factory=list)
    # files that disappeared between listing and reading: no rows written
    vanished: list[str] = field(default_factory=list)
    # files read by an earlier run that cannot be read now: their rows are kept
    kept: list[tuple[str, str]] = field(default_factory=list)
    # unchanged files that an earlier run quarantined (skipped now, still bad)
    still_quarantined: list[tuple[str, str]] = field(default_factory=list)

    @property
    def bad_pages(self) -> int:
        """Quarantined pages among the current files, this run's and earlier runs' (for --strict)."""
        return self.quarantined + len(self.still_quarantined)

    def lines(self) -> list[str]:
        out = [
            f"processed {self.processed} page(s), skipped {self.skipped} unchanged, "
            f"quarantined {self.quarantined}, reprints found {self.reprints} "
            f"in {self.seconds:.1f}s"
        ]
        if self.still_quarantined:
            out.append(f"{len(self.still_quarantined)} unchanged page(s) remain quarantined from earlier runs")
        others = [
            f"{n} {what}"
            for n, what in [
                (len(self.ignored), "path(s) ignored that are not page files"),
                (len(self.vanished), "file(s) disappeared during the run"),
                (len(self.kept), "unreadable file(s) kept their earlier rows"),
            ]
            if n
        ]
        if others:
            out.append(", ".join(others))
        listed = (
            [f"quarantined {p}: {r}" for p, r in self.quarantine_reasons]
            + [f"ignored {p}: {r}" for p, r in self.ignored]
            + [f"gone {p}: disappeared during the run; nothing written for it" for p in self.vanished]
            + [f"not read {p}: {r}; kept its rows from an earlier run" for p, r in self.kept]
            + [f"still quarantined {p}: {r}" for p, r in self.still_quarantined]
        )
        out += [f"  {line}" for line in listed[:20]]
        if len(listed) > 20:
            out.append(f"  ... and {len(listed) - 20} more (see the pages table)")
        return out


def discover(raw_dir: str | os.PathLike, problems: list[tuple[str, str]] | None = None) -> list[Path]:
    """List the page files under ``raw_dir`` in a stable order.

    Hidden files and JSON sidecars of a page are not pages; symbolic links to folders
    are not followed (no loops). Only regular files (or links to one) are pages: a
    symlink loop, a broken link, a pipe or a folder that cannot be listed is appended
    to ``problems`` as ``(path, reason)`` and skipped, as is an output folder of the
    pipeline inside ``raw_dir`` (``--out raw/out``).
    """
    root = Path(raw_dir)
    found = []
    problems = [] if problems is None else problems

    def walk_error(exc: OSError) -> None:
        problems.append((str(exc.filename or root), f"cannot list folder: {exc.strerror or exc}"))

    for dirpath, dirnames, filenames in os.walk(root, onerror=walk_error, followlinks=False):
        for d in sorted(dirnames):
            if not d.startswith(".") and os.path.islink(os.path.join(dirpath, d)):
                problems.append((os.path.join(dirpath, d), "symbolic link to a folder: not followed"))
        if dirpath != str(root) and os.path.exists(os.path.join(dirpath, STATE_DIR, "manifest.sqlite")):
            problems.append((dirpath, "an output folder of the pipeline: not read as pages"))
            dirnames[:] = []
            continue
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        names = set(filenames)
        for name in sorted(filenames):
            if name.startswith(".") or name.lower() in ("readme.md", "readme.txt"):
                continue
            if name.endswith(SIDECAR_SUFFIX) and any(
                n != name and Path(n).stem == Path(name).stem for n in names
            ):
                continue
            path = Path(dirpath) / name
            reason = _not_a_page_file(path)
            if reason:
                problems.append((str(path), reason))
                continue
            found.append(path)
    return found


def _not_a_page_file(path: Path) -> str | None:
    """Return why ``path`` is not a regular file to read, or ``None``."""
    try:
        st = path.stat()  # follows links
    except FileNotFoundError:
        return "broken symbolic link" if path.is_symlink() else None  # gone: the run notices
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop"
        return None  # e.g. permission denied: process_file quarantines it with the reason
    if not stat.S_ISREG(st.st_mode):
        return "not a regular file (a pipe, socket or device)"
    return None


def process_file(path: str) -> PageOutcome:
    """Read one raw file and run the whole pipeline on it (quarantine on any failure).

    The size limit (``PIPELINE_MAX_MB``) is checked before reading. A file that
    disappeared since it was listed comes back with status ``gone`` and no rows.
    A quarantined page's id also depends on its path, so that two bad files with the
    same bytes (two empty files) each get their row in ``pages``.
    """
    return process_files([path])[0]


def process_files(paths: list[str]) -> list[PageOutcome]:
    """``process_file`` for a chunk of files, their rows converted to Arrow together.

    Converting a column to Arrow has a fixed cost whatever its length, so a chunk of
    pages is converted at once and then cut back into pages (zero-copy slices).
    """
    outcomes, tables, counts = _process_chunk(paths)
    _attach(outcomes, split_tables(tables, counts))
    return outcomes


@collector_paused  # the whole chunk: see pipeline.collector
def _process_chunk(paths: list[str]) -> tuple[list[PageOutcome], dict[str, pa.Table], dict[str, list[int]]]:
    """Process each file; return the outcomes (tables not yet attached) and the chunk's tables.

    The files are read first, then the pages that were read go through the stages as one
    batch (``process_raw_pages``); a page whose stage fails is quarantined alone.
    """
    read = [_read_one(path) for path in paths]
    done = iter(process_raw_pages([r.raw for r in read if isinstance(r, _Read) and not r.raw.error]))
    outcomes, pages = [], []
    for r in read:
        if not isinstance(r, _Read):
            outcome, page = r
        elif r.raw.error:
            outcome, page = _outcome(ProcessedPage(raw=r.raw, page_id=_quarantine_id(r.raw.sha256, r.path)), r.size, r.mtime_ns)
        else:
            result = next(done)
            if isinstance(result, Exception):
                log.error("page %s failed", r.path, exc_info=result)
                r.raw.error = f"pipeline error: {type(result).__name__}: {result}"
                result = ProcessedPage(raw=r.raw, page_id=_quarantine_id(r.raw.sha256, r.path))
            outcome, page = _outcome(result, r.size, r.mtime_ns)
        outcomes.append(outcome)
        if page is not None:
            pages.append(page)
    tables, counts = chunk_tables(pages)
    return outcomes, tables, counts


def _attach(outcomes: list[PageOutcome], per_page: list[dict[str, pa.Table]]) -> None:
    """Give each outcome that has rows (all but the files gone) its page's tables."""
    it = iter(per_page)
    for outcome in outcomes:
        if outcome.status != "gone":
            outcome.tables = next(it)


@dataclass(slots=True)
class _Read:
    """A file read and decoded, waiting for the stages."""

    path: str
    raw: RawPage
    size: int
    mtime_ns: int


def _read_one(path: str) -> _Read | tuple[PageOutcome, ProcessedPage | None]:
    """Read and decode one file, or return the outcome of a file that could not be read."""
    try:
        data, st = read_page_bytes(path)
    except FileNotFoundError:
        return PageOutcome(FileState(path, 0, 0, "", "", VERSION_KEY, ""), "gone", {}, "file disappeared"), None
    except PageTooLarge as exc:
        return _unread(path, str(exc), f"{TOO_LARGE}{max_bytes()}")
    except UnreadablePage as exc:
        return _unread(path, str(exc), "")
    except OSError as exc:
        return _unread(path, f"cannot read file: {(exc.strerror or str(exc)).lower()}", "")
    return _Read(path, ingest(data, path, _read_sidecar(path)), st.st_size, st.st_mtime_ns)


def _quarantine_id(digest: str, path: str) -> str:
    return page_id_for(sha256_hex(f"quarantined:{digest}:{path}".encode()))


def _read_sidecar(path: str) -> bytes | None:
    side = Path(sidecar_path(path))
    if side == Path(path):
        return None
    try:
        return side.read_bytes() if side.is_file() else None
    except OSError as exc:
        log.warning("ignoring the sidecar %s: %s", side, exc.strerror or exc)
        return None


def _unread(path: str, reason: str, marker: str) -> tuple[PageOutcome, ProcessedPage]:
    """Return the quarantine outcome of a file that was not read (no content hash)."""
    raw = RawPage(text="", source_path=path, sha256=marker, encoding="", error=reason)
    size, mtime = _stat_or_zero(path)
    return _outcome(ProcessedPage(raw=raw, page_id=_quarantine_id(marker, path)), size, mtime)


def _stat_or_zero(path: str) -> tuple[int, int]:
    try:
        st = os.stat(path)
        return st.st_size, st.st_mtime_ns
    except OSError:
        return 0, 0


def _outcome(page: ProcessedPage, size: int, mtime_ns: int) -> tuple[PageOutcome, ProcessedPage]:
    raw = page.raw
    state = FileState(raw.source_path or "", size, mtime_ns, raw.sha256, page.page_id, VERSION_KEY, "", raw.error)
    status = "quarantined" if raw.error else "ok"
    return PageOutcome(state, status, {}, raw.error), page


def _was_read(sha256: str) -> bool:
    return len(sha256) == 64


# --- executors: where process_files runs -------------------------------------------

CHUNK_PAGES = 16  # pages per task: converted to Arrow together, sent back as one message


def _chunks(paths: list[str], workers: int) -> list[list[str]]:
    """Cut the paths into chunks: ``CHUNK_PAGES`` each, smaller when there are too few
    pages to keep every worker busy (four chunks per worker at least)."""
    size = max(1, min(CHUNK_PAGES, len(paths) // (4 * workers)))
    return [paths[i : i + size] for i in range(0, len(paths), size)]


def _ordered(submit: Callable, tasks: list, window: int) -> Iterator:
    """Yield results in input order, keeping at most ``window`` tasks in flight."""
    pending: deque = deque()
    it = iter(tasks)
    for p in it:
        pending.append(submit(p))
        if len(pending) >= window:
            break
    while pending:
        yield pending.popleft().result()
        nxt = next(it, None)
        if nxt is not None:
            pending.append(submit(nxt))


def run_serial(paths: list[str]) -> Iterator[PageOutcome]:
    for chunk in _chunks(paths, 1):
        yield from process_files(chunk)


def _pack_tables(tables: dict[str, pa.Table]) -> dict[str, pa.Buffer]:
    """Serialise the non-empty tables as Arrow IPC streams.

    Pickling eleven Arrow tables (schemas with their descriptions, every buffer as a
    Python object) cost a worker a quarter of the time it took to make them; an IPC
    stream is written in C++ and read back without copying.
    """
    packed = {}
    for name, table in tables.items():
        if table.num_rows:
            sink = pa.BufferOutputStream()
            with pa.ipc.new_stream(sink, table.schema) as writer:
                writer.write_table(table)
            packed[name] = sink.getvalue()
    return packed


def _unpack_tables(packed: dict[str, pa.Buffer]) -> dict[str, pa.Table]:
    tables = empty_tables()
    for name, buf in packed.items():
        tables[name] = pa.ipc.open_stream(buf).read_all()
    return tables


def _process_files_packed(paths: list[str]) -> tuple[list[PageOutcome], dict[str, pa.Buffer], dict[str, list[int]]]:
    outcomes, tables, counts = _process_chunk(paths)
    return outcomes, _pack_tables(tables), counts


def run_pool(paths: list[str], workers: int) -> Iterator[PageOutcome]:
    with ProcessPoolExecutor(max_workers=workers, initializer=_warm_up) as ex:
        submit = partial(ex.submit, _process_files_packed)
        for outcomes, packed, counts in _ordered(submit, _chunks(paths, workers), window=4 * workers):
            _attach(outcomes, split_tables(_unpack_tables(packed), counts))
            yield from outcomes


def run_dask(paths: list[str], workers: int, scheduler: str | None) -> Iterator[PageOutcome]:
    """Run on a Dask cluster (``scheduler`` address) or a local one with ``workers`` processes.

    Workers read the raw files themselves, so on a real cluster ``raw/`` must be on
    storage every worker sees at the same path.
    """
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - depends on the optional extra
        raise SystemExit("the dask engine needs the optional extra: pip install 'ocr-news-pipeline[dask]'") from exc
    if scheduler:
        client = Client(scheduler)
        cluster = None
    else:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    try:
        client.run(_warm_up)
        n = max(1, len(client.scheduler_info().get("workers", {})))
        submit = partial(client.submit, process_files, pure=False)
        for outcomes in _ordered(submit, _chunks(paths, n), window=4 * n):
            yield from outcomes
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


WARM_UP_PAGE = "本报讯 预热。\n\n劳\n\n模"  # reaches the segmenter and the line-join dictionary


def _warm_up() -> None:
    """Load dictionaries once per process, before the first page, and freeze them.

    ``gc.freeze`` moves everything alive now (dictionaries, compiled patterns, modules)
    out of the collector's reach: the pipeline allocates millions of short-lived
    objects, and every full collection would otherwise walk those tables again.
    """
    from pipeline.api import process_raw_page as _p

    page_tables(_p(RawPage(text=WARM_UP_PAGE, sha256="0" * 64)))
    gc.collect()
    gc.freeze()


# --- the run -------------------------------------------------------------------------


def manifest_key(path: str | os.PathLike, raw_dir: str | os.PathLike) -> str:
    """Return the manifest key of a raw file: its path relative to the raw folder.

    Relative keys let a user move or copy the raw folder together with its output.
    """
    try:
        return Path(path).relative_to(raw_dir).as_posix()
    except ValueError:
        return Path(path).as_posix()


def plan(
    store: Store, paths: list[Path], raw_dir: str | os.PathLike, force: bool = False
) -> tuple[list[str], dict[str, str], int]:
    """Decide which files to process.

    Returns the paths to process, the page id each reprocessed file had before (by
    manifest key; its rows are replaced, never appended to), and how many files were
    skipped unchanged. Unchanged size and mtime skip a file without reading it.
    """
    known = store.files()
    limit = max_bytes()
    todo, replace, touched = set(), {}, []
    skipped: set[str] = set()
    for path in paths:
        key = manifest_key(path, raw_dir)
        old = known.get(key)
        try:
            st = path.stat()
        except OSError:
            st = None  # process_file turns the error into a quarantine row (or "gone")
        if st is not None and old and not force and old.version == VERSION_KEY and _unchanged(old, path, st, limit):
            if (old.size, old.mtime_ns) != (st.st_size, st.st_mtime_ns):
                old.size, old.mtime_ns = st.st_size, st.st_mtime_ns
                touched.append(old)
            skipped.add(key)
            continue
        if old:
            replace[key] = old.page_id
        todo.add(key)
    # A file skipped as "the same bytes under another name" holds no rows of its own; when
    # the file that holds them is reprocessed, it is reprocessed too, so no rows are lost.
    replaced = set(replace.values())
    for key in sorted(skipped):
        if known[key].page_id in replaced:
            skipped.discard(key)
            todo.add(key)
            replace[key] = known[key].page_id
    if touched:
        store.touch(touched)
    return [str(p) for p in paths if manifest_key(p, raw_dir) in todo], replace, len(skipped)


def _unchanged(old: FileState, path: Path, st: os.stat_result, limit: int) -> bool:
    """Tell whether a file the manifest knows can be skipped (never reads a changed-size file)."""
    if old.sha256.startswith(TOO_LARGE):
        same = (old.size, old.mtime_ns) == (st.st_size, st.st_mtime_ns)
        return same and limit <= int(old.sha256[len(TOO_LARGE) :])
    if not _was_read(old.sha256):
        return False  # it could not be read last time: try again
    if old.size != st.st_size:
        return False
    if old.mtime_ns == st.st_mtime_ns:
        return True
    try:  # same size, new mtime: compare the bytes (hashed in chunks, never whole in memory)
        return st.st_size <= limit and sha256_file(path) == old.sha256
    except OSError:
        return False


def run(
    raw_dir: str | os.PathLike = "raw",
    out_dir: str | os.PathLike = "output",
    *,
    workers: int = 1,
    engine: str = "auto",
    scheduler: str | None = None,
    batch_pages: int = 200,
    wait: bool = False,
    force: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> RunSummary:
    """Process new and changed pages of ``raw_dir`` into ``out_dir``; return the summary."""
    t0 = time.perf_counter()
    summary = RunSummary()
    if not Path(raw_dir).is_dir():
        raise FileNotFoundError(f"raw folder not found: {raw_dir}")
    with Store(out_dir, wait=wait) as store:
        paths = discover(raw_dir, summary.ignored)
        known = store.files()
        todo, replace, summary.skipped = plan(store, paths, raw_dir, force)
        planned = set(todo)
        keys = {str(p): manifest_key(p, raw_dir) for p in paths}
        summary.still_quarantined = [
            (str(p), known[keys[str(p)]].error or "")
            for p in paths
            if str(p) not in planned and keys[str(p)] in known and known[keys[str(p)]].error
        ]
        if engine == "auto":
            engine = "serial" if workers <= 1 or len(todo) < MIN_PAGES_FOR_POOL else "process"
        if todo and engine in ("serial", "process"):
            # Before the pool forks: workers inherit the loaded, frozen dictionaries
            # (shared copy-on-write pages) instead of each loading its own.
            _warm_up()
        if engine == "serial":
            outcomes: Iterable[PageOutcome] = run_serial(todo)
        elif engine == "process":
            outcomes = run_pool(todo, workers)
        elif engine == "dask":
            outcomes = run_dask(todo, workers, scheduler)
        else:
            raise ValueError(f"unknown engine {engine!r}: serial, process or dask")
        known_ids = {s.page_id for s in known.values()}
        seen_ids = known_ids - set(replace.values())
        written: set[str] = set()  # page ids whose rows this run has committed
        with load_reprint_index(store) as reprints:
            buffer: list[PageOutcome] = []
            done = 0
            for outcome in outcomes:
                done += 1
                if progress:
                    progress(done, len(todo))
                shown = outcome.state.source_path  # the path as given, for messages
                path = outcome.state.source_path = manifest_key(shown, raw_dir)
                if outcome.status == "gone":
                    summary.vanished.append(shown)
                    continue
                old = known.get(path)
                if not _was_read(outcome.state.sha256) and old is not None and _was_read(old.sha256):
                    # readable last time, not now (permissions?): keep its rows rather than lose them
                    summary.kept.append((shown, outcome.error or ""))
                    continue
                if outcome.state.page_id in seen_ids:
                    # the same bytes under another name: one copy of the rows is enough
                    outcome.tables = {k: v.slice(0, 0) for k, v in outcome.tables.items()}
                seen_ids.add(outcome.state.page_id)
                if outcome.status == "quarantined":
                    summary.quarantined += 1
                    summary.quarantine_reasons.append((shown, outcome.error or ""))
                else:
                    summary.processed += 1
                    summary.reprints += mark_reprints(reprints, outcome)
                buffer.append(outcome)
                if len(buffer) >= batch_pages:
                    reprints.commit()  # before the rows: a written page is always indexed
                    _flush(store, buffer, replace, known_ids, written)
                    buffer = []
            if buffer:
                reprints.commit()  # before the rows: a written page is always indexed
                _flush(store, buffer, replace, known_ids, written)
    gc.unfreeze()  # the warm-up froze this process's objects; a library caller lives on
    summary.seconds = time.perf_counter() - t0
    return summary


REPRINT_INDEX = "reprints.sqlite"
LEGACY_REPRINT_INDEX = "reprints.npz"  # format 1: earlier versions kept the index in memory


def load_reprint_index(store: Store) -> ReprintIndex:
    """Open the run's reprint index in the store (created on the first run).

    An unreadable index is set aside (renamed ``*.unreadable``) with a warning and a new
    one started: reprints of earlier pages then go unmarked, but no page is lost. An
    index written by an older version (``reprints.npz``) is imported once.
    """
    path = store.state / REPRINT_INDEX
    try:
        index = ReprintIndex.open(path)
    except (sqlite3.DatabaseError, ValueError) as exc:
        log.warning("reprint index %s unreadable (%s): moved aside as *.unreadable, starting a new one", path, exc)
        for part in (path, *(path.with_name(path.name + end) for end in ("-wal", "-shm"))):
            if part.exists():
                os.replace(part, part.with_name(part.name + ".unreadable"))
        index = ReprintIndex.open(path)
    legacy = store.state / LEGACY_REPRINT_INDEX
    if legacy.exists():
        if not len(index):
            index.import_npz(legacy)
            index.commit()
        legacy.unlink()
    return index


def mark_reprints(index: ReprintIndex, outcome: PageOutcome) -> int:
    """Check a page's articles against earlier pages; fill ``duplicate_of``; index them.

    This is the one place where a page meets other pages' state: it runs in the driver,
    in page order, so the first printing wins whatever the number of workers.
    """
    arts = outcome.tables["articles"]
    if arts.num_rows == 0:
        return 0
    ids = arts.column("article_id").to_pylist()
    dup_of = arts.column("duplicate_of").to_pylist()
    scores = arts.column("duplicate_score").to_pylist()
    found = 0
    for k, (aid, text) in enumerate(zip(ids, arts.column("text").to_pylist())):
        fps = index.fingerprints(text)
        hit = index.check(fps)
        # the same page seen again (a rerun after a crash) is not a reprint of itself
        if hit is not None and hit[0][:16] != aid[:16]:
            dup_of[k], scores[k] = hit
            found += 1
        index.add(aid, fps)
    if found:
        schema = arts.schema
        for name, values, typ in (("duplicate_of", dup_of, pa.string()), ("duplicate_score", scores, pa.float64())):
            i = schema.get_field_index(name)
            arts = arts.set_column(i, schema.field(name), pa.array(values, typ))
        outcome.tables["articles"] = arts
    return found


def _flush(
    store: Store, outcomes: list[PageOutcome], replace: dict[str, str], known_ids: set[str], written: set[str]
) -> None:
    """Commit one batch; older rows of its pages (earlier runs) are replaced, never kept twice.

    Replaced: the old page of every changed file, and any page this batch writes that an
    earlier run wrote too (the old copy of a renamed file). Never a page this run has
    already written in an earlier batch.
    """
    new_ids = {o.state.page_id for o in outcomes if o.tables["pages"].num_rows}
    old_ids = {replace[o.state.source_path] for o in outcomes if o.state.source_path in replace}
    old_ids = (old_ids | (new_ids & known_ids)) - written
    tables = empty_tables()
    for name in tables:
        parts = [o.tables[name] for o in outcomes if o.tables[name].num_rows]
        if parts:
            tables[name] = pa.concat_tables(parts)
    store.write_batch(tables, [o.state for o in outcomes], old_ids)
    written |= new_ids


class Progress:
    """Print a progress line to stderr at most twice a second (command-line layer only)."""

    def __init__(self) -> None:
        self.t0 = time.perf_counter()
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.perf_counter()
        if done != total and now - self.last < 0.5:
            return
        self.last = now
        rate = done / max(now - self.t0, 1e-9)
        end = "\n" if done == total else "\r"
        print(f"  {done}/{total} pages ({rate:.1f} pages/s)", end=end, file=sys.stderr, flush=True)
