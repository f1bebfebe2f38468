"""Run the pipeline over a folder of raw pages into the output tables.

The runner decides which files are new or changed (manifest: path, size, mtime, hash,
pipeline version), hands each one to ``process_file`` (pure apart from reading that one
file, so it runs in this process, a process pool or on a Dask cluster), checks the
results for reprints across pages in page order, and writes them in bounded batches.
"""

from __future__ import annotations

import gc
import logging
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from pipeline import __version__
from pipeline.api import process_raw_page
from pipeline.ingest import ingest, page_id_for, sha256_hex, sidecar_path
from pipeline.record import RawPage
from pipeline.reprints import ReprintIndex
from pipeline.schema import SCHEMA_VERSION
from pipeline.store import FileState, Store
from pipeline.tables import ProcessedPage, empty_tables, page_tables

log = logging.getLogger(__name__)

VERSION_KEY = f"{__version__}+schema{SCHEMA_VERSION}"
# Below this many pages a process pool costs more (starting and warming up workers)
# than it saves: a rerun with a handful of new pages runs in this process.
MIN_PAGES_FOR_POOL = 32
SIDECAR_SUFFIX = ".json"


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

    def lines(self) -> list[str]:
        out = [
            f"processed {self.processed} page(s), skipped {self.skipped} unchanged, "
            f"quarantined {self.quarantined}, reprints found {self.reprints} "
            f"in {self.seconds:.1f}s"
        ]
        for path, reason in self.quarantine_reasons[:20]:
            out.append(f"  quarantined {path}: {reason}")
        if len(self.quarantine_reasons) > 20:
            out.append(f"  ... and {len(self.quarantine_reasons) - 20} more (see the pages table)")
        return out


def discover(raw_dir: str | os.PathLike) -> list[Path]:
    """List the page files under ``raw_dir`` in a stable order.

    Hidden files and JSON sidecars of a page are not pages; symbolic links to folders
    are not followed (no loops).
    """
    root = Path(raw_dir)
    found = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        names = set(filenames)
        for name in sorted(filenames):
            if name.startswith(".") or name.lower() in ("readme.md", "readme.txt"):
                continue
            if name.endswith(SIDECAR_SUFFIX) and any(
                n != name and Path(n).stem == Path(name).stem for n in names
            ):
                continue
            found.append(Path(dirpath) / name)
    return found


def process_file(path: str) -> PageOutcome:
    """Read one raw file and run the whole pipeline on it (quarantine on any failure)."""
    try:
        st = os.stat(path)
        with open(path, "rb") as fh:
            data = fh.read()
        side = Path(sidecar_path(path))
        sidecar = side.read_bytes() if side != Path(path) and side.is_file() else None
    except OSError as exc:
        reason = f"cannot read file: {exc.strerror or exc}"
        digest = sha256_hex(f"unreadable:{path}".encode())
        raw = RawPage(text="", source_path=path, sha256=digest, error=reason)
        size, mtime = _stat_or_zero(path)
        return _outcome(ProcessedPage(raw=raw, page_id=page_id_for(digest)), size, mtime)
    raw = ingest(data, path, sidecar)
    try:
        page = process_raw_page(raw)
    except Exception as exc:  # noqa: BLE001 - one bad page must never stop the run
        log.exception("page %s failed", path)
        raw.error = f"pipeline error: {type(exc).__name__}: {exc}"
        page = ProcessedPage(raw=raw, page_id=page_id_for(raw.sha256))
    return _outcome(page, st.st_size, st.st_mtime_ns)


def _stat_or_zero(path: str) -> tuple[int, int]:
    try:
        st = os.stat(path)
        return st.st_size, st.st_mtime_ns
    except OSError:
        return 0, 0


def _outcome(page: ProcessedPage, size: int, mtime_ns: int) -> PageOutcome:
    raw = page.raw
    state = FileState(raw.source_path or "", size, mtime_ns, raw.sha256, page.page_id, VERSION_KEY, "")
    status = "quarantined" if raw.error else "ok"
    return PageOutcome(state, status, page_tables(page), raw.error)


# --- executors: where process_file runs --------------------------------------------


def _ordered(submit: Callable, paths: list[str], window: int) -> Iterator:
    """Yield results in input order, keeping at most ``window`` tasks in flight."""
    pending: deque = deque()
    it = iter(paths)
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
    for p in paths:
        yield process_file(p)


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


def _process_file_packed(path: str) -> PageOutcome:
    outcome = process_file(path)
    outcome.tables = _pack_tables(outcome.tables)
    return outcome


def run_pool(paths: list[str], workers: int) -> Iterator[PageOutcome]:
    with ProcessPoolExecutor(max_workers=workers, initializer=_warm_up) as ex:
        for outcome in _ordered(lambda p: ex.submit(_process_file_packed, p), paths, window=4 * workers):
            outcome.tables = _unpack_tables(outcome.tables)
            yield outcome


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
        yield from _ordered(lambda p: client.submit(process_file, p, pure=False), paths, window=4 * n)
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

    Relative keys let a user move or copy the raw folder with its output.
    """
    try:
        return Path(path).relative_to(raw_dir).as_posix()
    except ValueError:
        return Path(path).as_posix()


def plan(store: Store, paths: list[Path], raw_dir: str | os.PathLike, force: bool = False) -> tuple[list[str], dict[str, str], int]:
    """Decide which files to process.

    Returns the paths to process, the page id each reprocessed path had before (its
    rows are replaced, never appended to), and how many files were skipped unchanged.
    Unchanged size and mtime skip a file without reading it.
    """
    known = store.files()
    todo, replace, touched = [], {}, []
    skipped = 0
    for path in paths:
        key = str(path)
        old = known.get(manifest_key(path, raw_dir))
        try:
            st = path.stat()
        except OSError:
            todo.append(key)  # process_file turns the error into a quarantine row
            continue
        if old and not force and old.version == VERSION_KEY:
            if old.size == st.st_size and old.mtime_ns == st.st_mtime_ns:
                skipped += 1
                continue
            try:
                digest = sha256_hex(path.read_bytes())
            except OSError:
                digest = None
            if digest == old.sha256:
                old.size, old.mtime_ns = st.st_size, st.st_mtime_ns
                touched.append(old)
                skipped += 1
                continue
        if old:
            replace[manifest_key(path, raw_dir)] = old.page_id
        todo.append(key)
    if touched:
        store.touch(touched)
    return todo, replace, skipped


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
        paths = discover(raw_dir)
        todo, replace, summary.skipped = plan(store, paths, raw_dir, force)
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
        seen_ids = set(store_page_ids(store)) - set(replace.values())
        reprints = load_reprint_index(store)
        buffer: list[PageOutcome] = []
        done = 0
        for outcome in outcomes:
            done += 1
            outcome.state.source_path = manifest_key(outcome.state.source_path, raw_dir)
            if progress:
                progress(done, len(todo))
            if outcome.state.page_id in seen_ids:
                # the same bytes under another name: one copy of the rows is enough
                outcome.tables = {k: v.slice(0, 0) for k, v in outcome.tables.items()}
            seen_ids.add(outcome.state.page_id)
            if outcome.status == "quarantined":
                summary.quarantined += 1
                summary.quarantine_reasons.append((outcome.state.source_path, outcome.error or ""))
            else:
                summary.processed += 1
                summary.reprints += mark_reprints(reprints, outcome)
            buffer.append(outcome)
            if len(buffer) >= batch_pages:
                save_reprint_index(store, reprints)
                _flush(store, buffer, replace)
                buffer = []
        if buffer:
            save_reprint_index(store, reprints)
            _flush(store, buffer, replace)
    gc.unfreeze()  # the warm-up froze this process's objects; a library caller lives on
    summary.seconds = time.perf_counter() - t0
    return summary


REPRINT_INDEX = "reprints.npz"


def load_reprint_index(store: Store) -> ReprintIndex:
    """Return the run's reprint index: the one saved by earlier runs, or a new one."""
    path = store.state / REPRINT_INDEX
    if path.exists():
        try:
            return ReprintIndex.load(path)
        except (OSError, ValueError) as exc:
            log.warning("reprint index %s unreadable (%s): starting a new one", path, exc)
    return ReprintIndex()


def save_reprint_index(store: Store, index: ReprintIndex) -> None:
    """Write the reprint index atomically (temporary file, then rename)."""
    path = store.state / REPRINT_INDEX
    tmp = path.with_name(".tmp-" + path.name)
    index.save(tmp)
    os.replace(tmp, path)


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
        arts = arts.set_column(schema.get_field_index("duplicate_of"), schema.field("duplicate_of"), pa.array(dup_of, pa.string()))
        arts = arts.set_column(schema.get_field_index("duplicate_score"), schema.field("duplicate_score"), pa.array(scores, pa.float64()))
        outcome.tables["articles"] = arts
    return found


def store_page_ids(store: Store) -> list[str]:
    return [s.page_id for s in store.files().values()]


def _flush(store: Store, outcomes: list[PageOutcome], replace: dict[str, str]) -> None:
    old_ids = {replace[o.state.source_path] for o in outcomes if o.state.source_path in replace}
    tables = empty_tables()
    for name in tables:
        parts = [o.tables[name] for o in outcomes if o.tables[name].num_rows]
        if parts:
            tables[name] = pa.concat_tables(parts)
    store.write_batch(tables, [o.state for o in outcomes], old_ids)


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
