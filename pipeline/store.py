"""Parquet dataset directories under ``OUT/`` and the manifest that makes reruns safe.

Layout::

    OUT/<table>/part-<batch>.parquet   one file per table per committed batch
    OUT/_state/manifest.sqlite         which raw files are done, in which batch
    OUT/_state/lock                    held by the running run
    OUT/_state/reprints.bin            the cross-page reprint index

Crash safety (a run may be killed at any moment, or lose power):

1. every part file of a batch is written under a hidden temporary name
   (``.tmp-part-<batch>.parquet``) and fsynced, with its folder;
2. only then is the batch committed to the manifest: one SQLite transaction records the
   batch, the raw files it covers, and the older batches it replaces (rows of reprocessed
   pages are rewritten into new batches without them);
3. then the temporary files are renamed to their final names and the replaced batches'
   files are deleted.

The manifest commit is the single point where a batch becomes real. At start-up,
``recover`` finishes step 3 for committed batches (a kill between 2 and 3) and deletes
the files of every batch the manifest does not hold (a kill before 2, or replaced
batches), so the tables never hold half a batch or a row twice, and the pages of an
uncommitted batch are simply processed again. Readers never see uncommitted rows:
pandas, pyarrow and DuckDB skip ``_``/``.``-prefixed names.

One run at a time: ``OUT/_state/lock`` is held with ``flock`` for the whole run (the
kernel releases it when the process dies, so a killed run never leaves a stale lock).
The manifest uses SQLite's WAL journal with ``synchronous=FULL``: a commit is on disk
when it returns. Both need a local file system (not NFS).

``PIPELINE_FAULT=<point>[@n]`` makes the run kill itself (SIGKILL) the n-th time it
reaches a point of ``write_batch`` (``parts_written``, ``rewritten``, ``committed``,
``published``); the crash tests use it to hit each step exactly.
"""

from __future__ import annotations

import errno
import fcntl
import logging
import os
import signal
import sqlite3
import sys
import time
import uuid
import weakref
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.schema import TABLES

log = logging.getLogger(__name__)

STATE_DIR = "_state"
PART_PREFIX = "part-"
TMP_PREFIX = ".tmp-"
FAULT_ENV = "PIPELINE_FAULT"


class OutputLocked(RuntimeError):
    """Another run holds the output directory."""


@dataclass(slots=True)
class FileState:
    """What the manifest remembers of one raw file."""

    source_path: str
    size: int
    mtime_ns: int
    sha256: str
    page_id: str
    version: str
    batch: str
    error: str | None = None  # why the page was quarantined; None when it is ok


class Store:
    """The output directory: locked, recovered, written batch by batch."""

    def __init__(self, out_dir: str | os.PathLike, *, wait: bool = False):
        self.out = Path(out_dir)
        self.state = self.out / STATE_DIR
        self.state.mkdir(parents=True, exist_ok=True)
        self._lock_fh = self._acquire_lock(wait)
        _LOCKED.add(self)
        self.db = None
        try:
            self.db = sqlite3.connect(self.state / "manifest.sqlite", isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=FULL")
            self.db.executescript(
                """
                CREATE TABLE IF NOT EXISTS files (
                    source_path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, sha256 TEXT,
                    page_id TEXT, version TEXT, batch TEXT);
                CREATE TABLE IF NOT EXISTS batches (batch TEXT PRIMARY KEY, n_pages INTEGER, created REAL);
                """
            )
            if "error" not in {row[1] for row in self.db.execute("PRAGMA table_info(files)")}:
                self.db.execute("ALTER TABLE files ADD COLUMN error TEXT")  # manifests of 0.1.0
            self.recover()
        except BaseException:
            self.close()  # never keep the lock of a run that could not start
            raise

    def _acquire_lock(self, wait: bool):
        """Take the output's lock; raise ``OutputLocked``, or block when ``wait``."""
        path = self.state / "lock"
        fh = open(path, "a+")
        try:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    raise
                holder = _lock_holder(path)
                if not wait:
                    raise OutputLocked(
                        f"another run{holder} is writing to {self.out} (lock file {path}); "
                        "wait for it to finish, or pass --wait to wait for it"
                    ) from exc
                log.warning("another run%s is writing to %s; waiting for it to finish", holder, self.out)
                fcntl.flock(fh, fcntl.LOCK_EX)
        except BaseException:
            fh.close()
            raise
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()} on {os.uname().nodename} since {time.strftime('%Y-%m-%d %H:%M:%S')}\n")
        fh.flush()
        return fh

    def close(self) -> None:
        """Release the lock and the manifest."""
        _LOCKED.discard(self)
        if self.db is not None:
            self.db.close()
        fcntl.flock(self._lock_fh, fcntl.LOCK_UN)
        self._lock_fh.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- recovery -------------------------------------------------------------------

    def committed_batches(self) -> set[str]:
        return {row[0] for row in self.db.execute("SELECT batch FROM batches")}

    def recover(self) -> int:
        """Finish or undo what a killed run left; return how many files were touched.

        Temporary part files of committed batches are renamed to their final names
        (the run died after its commit); files of batches the manifest does not hold
        are deleted (it died before its commit, or they were replaced).
        """
        committed = self.committed_batches()
        done: Counter = Counter()
        for table in TABLES:
            d = self.out / table
            if not d.is_dir():
                continue
            changed = False
            for f in sorted(d.iterdir()):
                tmp = f.name.startswith(TMP_PREFIX)
                batch = _batch_of(f.name[len(TMP_PREFIX) :] if tmp else f.name)
                if tmp and batch in committed:
                    os.replace(f, d / f.name[len(TMP_PREFIX) :])
                    done["finished"] += 1
                elif tmp or (batch is not None and batch not in committed):
                    f.unlink(missing_ok=True)
                    done["deleted"] += 1
                else:
                    continue
                changed = True
            if changed:
                _fsync_dir(d)
        if done:
            log.warning(
                "recovered from an interrupted run: %d part file(s) of committed batches finished, "
                "%d file(s) of uncommitted or replaced batches deleted",
                done["finished"],
                done["deleted"],
            )
        return sum(done.values())

    # --- manifest -------------------------------------------------------------------

    def files(self) -> dict[str, FileState]:
        """Return the manifest: raw path -> what was processed from it."""
        return {
            r[0]: FileState(*r)
            for r in self.db.execute(
                "SELECT source_path, size, mtime_ns, sha256, page_id, version, batch, error FROM files"
            )
        }

    def touch(self, states: list[FileState]) -> None:
        """Record a new size/mtime for files whose bytes did not change."""
        with self.db:
            self.db.executemany(
                "UPDATE files SET size=?, mtime_ns=? WHERE source_path=?",
                [(s.size, s.mtime_ns, s.source_path) for s in states],
            )

    # --- writing ----------------------------------------------------------------------

    def write_batch(self, tables: dict[str, pa.Table], states: list[FileState], replace_page_ids: set[str]) -> str:
        """Write one batch of rows and commit it with the files it covers.

        ``replace_page_ids``: pages whose older rows (in earlier batches) this batch
        supersedes (reprocessed after a version change, or the old page of an edited
        file); those batches are rewritten without them and swapped in the same commit.
        """
        batch = _new_batch_id()
        written = [self._write_part(name, batch, table) for name, table in tables.items()]
        _fault("parts_written")
        rewritten, dropped = self._rewrite_without(replace_page_ids, exclude={batch})
        for d in {p.parent for p in written} | {self.out / t for t in TABLES if rewritten}:
            if d.is_dir():
                _fsync_dir(d)  # the data is durable before the manifest says it exists
        _fault("rewritten")
        with self.db:  # one transaction: the batch becomes real all at once
            self.db.execute("BEGIN IMMEDIATE")
            self.db.execute("INSERT INTO batches VALUES (?, ?, ?)", (batch, len(states), time.time()))
            for new in rewritten:
                self.db.execute("INSERT INTO batches VALUES (?, 0, ?)", (new, time.time()))
            for old in dropped:
                self.db.execute("DELETE FROM batches WHERE batch=?", (old,))
            self.db.executemany(
                "INSERT OR REPLACE INTO files (source_path, size, mtime_ns, sha256, page_id, version, batch, error) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(s.source_path, s.size, s.mtime_ns, s.sha256, s.page_id, s.version, batch, s.error) for s in states],
            )
        _fault("committed")
        # Retire the replaced batches before publishing their rewrites: a reader during a
        # crash may then miss a page for a moment, but never sees its rows twice.
        for old in dropped:
            self._delete_batch_files(old)
        for b in [batch, *rewritten]:
            self._publish(b)
        _fault("published")
        log.debug("committed batch %s (%d pages, %d part files)", batch, len(states), len(written))
        return batch

    def _write_part(self, table: str, batch: str, data: pa.Table) -> Path:
        """Write one part file under its temporary name, flushed to disk; return its path."""
        d = self.out / table
        d.mkdir(parents=True, exist_ok=True)
        tmp = d / f"{TMP_PREFIX}{PART_PREFIX}{batch}.parquet"
        data = data.cast(TABLES[table].schema)  # drift fails loudly here
        pq.write_table(data, tmp, compression="zstd")
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        return tmp

    def _publish(self, batch: str) -> None:
        """Rename a committed batch's temporary part files to their final names."""
        for table in TABLES:
            d = self.out / table
            tmp = d / f"{TMP_PREFIX}{PART_PREFIX}{batch}.parquet"
            if tmp.exists():  # no fsync needed: after a crash, recover() redoes the rename
                os.replace(tmp, d / f"{PART_PREFIX}{batch}.parquet")

    def _rewrite_without(self, page_ids: set[str], exclude: set[str]) -> tuple[list[str], list[str]]:
        """Rewrite committed batches holding rows of ``page_ids`` without them.

        Returns (new batches written, old batches to drop). Nothing is committed here.
        """
        if not page_ids:
            return [], []
        affected = set()
        for path in (self.out / "pages").glob(f"{PART_PREFIX}*.parquet"):
            batch = _batch_of(path.name)
            if batch in exclude:
                continue
            ids = pq.read_table(path, columns=["page_id"]).column("page_id")
            if pc.any(pc.is_in(ids, pa.array(sorted(page_ids)))).as_py():
                affected.add(batch)
        new_batches = []
        for old in sorted(affected):
            new = _new_batch_id()
            keep_any = False
            for table in TABLES:
                path = self.out / table / f"{PART_PREFIX}{old}.parquet"
                if not path.exists():
                    continue
                data = _conform(pq.read_table(path), TABLES[table].schema)
                data = data.filter(pc.invert(_rows_of(data, page_ids)))
                keep_any = keep_any or (table == "pages" and data.num_rows > 0)
                self._write_part(table, new, data)
            if keep_any:
                new_batches.append(new)
            else:
                self._delete_batch_files(new)
        return new_batches, sorted(affected)

    def _delete_batch_files(self, batch: str) -> None:
        for table in TABLES:
            (self.out / table / f"{PART_PREFIX}{batch}.parquet").unlink(missing_ok=True)
            (self.out / table / f"{TMP_PREFIX}{PART_PREFIX}{batch}.parquet").unlink(missing_ok=True)


def _conform(data: pa.Table, schema: pa.Schema) -> pa.Table:
    """Return older rows in the current schema: missing columns as nulls, dropped ones gone.

    Only used to carry rows of pages that are not reprocessed through a rewrite; after a
    schema-version change every page is reprocessed, so such rows are short-lived.
    """
    if data.schema.names == schema.names:
        return data
    cols = [
        data.column(f.name).cast(f.type) if f.name in data.column_names else pa.nulls(data.num_rows, f.type)
        for f in schema
    ]
    return pa.Table.from_arrays(cols, schema=schema)


def _fsync_dir(path: Path) -> None:
    """Flush a folder's entries (renames, new files) to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# Stores holding their lock in this process. A process forked while one is open (a worker
# of the process pool) must neither keep the lock (the flock is shared with every copy of
# the descriptor: orphaned workers of a killed run would block the next run forever) nor
# outlive the run (they would wait for work forever).
_LOCKED: weakref.WeakSet = weakref.WeakSet()


def _after_fork_in_child() -> None:
    if not _LOCKED:
        return
    devnull = os.open(os.devnull, os.O_RDONLY)
    for store in list(_LOCKED):
        fh = store._lock_fh
        if fh is not None and not fh.closed:
            os.dup2(devnull, fh.fileno())  # drop this copy of the lock; the object stays valid
    os.close(devnull)
    _LOCKED.clear()
    _exit_with_parent()


def _exit_with_parent() -> None:
    """Ask Linux to kill this process when its parent dies (no-op elsewhere)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - exotic libc
        return


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def _lock_holder(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8").strip()
    except OSError:
        return ""
    return f" ({text})" if text else ""


_fault_counts: Counter = Counter()


def _fault(point: str) -> None:
    """Kill this process at ``point`` when ``PIPELINE_FAULT`` asks for it (crash tests only)."""
    spec = os.environ.get(FAULT_ENV)
    if not spec:
        return
    name, _, nth = spec.partition("@")
    if name != point:
        return
    _fault_counts[point] += 1
    if _fault_counts[point] >= int(nth or 1):
        log.warning("PIPELINE_FAULT: killing the run at %s", point)
        os.kill(os.getpid(), signal.SIGKILL)


def _rows_of(data: pa.Table, page_ids: set[str]) -> pa.ChunkedArray:
    """Return a mask of the rows that belong to ``page_ids`` (by page_id or article_id prefix)."""
    ids = pa.array(sorted(page_ids))
    if "page_id" in data.column_names:
        return pc.is_in(data.column("page_id"), ids)
    prefix = pc.utf8_slice_codeunits(data.column("article_id"), 0, 16)
    return pc.is_in(prefix, ids)


def _batch_of(name: str) -> str | None:
    if name.startswith(PART_PREFIX) and name.endswith(".parquet"):
        return name[len(PART_PREFIX) : -len(".parquet")]
    return None


def _new_batch_id() -> str:
    # time-ordered, so part files sort in commit order; random suffix avoids clashes
    return f"{time.time_ns():020d}-{uuid.uuid4().hex[:8]}"
