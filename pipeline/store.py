"""Parquet dataset directories under ``OUT/`` and the manifest that makes reruns safe.

Layout::

    OUT/<table>/part-<batch>.parquet   one file per table per committed batch
    OUT/_state/manifest.sqlite         which raw files are done, in which batch
    OUT/_state/lock                    held by the running run
    OUT/_state/reprints.bin            the cross-page reprint index

Crash safety: part files are written under a temporary name, flushed and renamed; only
then is the batch committed to the manifest (one SQLite transaction). At start-up, part
files of batches the manifest does not know are leftovers of a killed run and are
deleted, so the tables never hold half a batch, and pages of an uncommitted batch are
processed again. Readers skip ``_state`` and dot-files (pyarrow and DuckDB ignore
``_``/``.`` prefixed names).
"""

from __future__ import annotations

import errno
import fcntl
import logging
import os
import sqlite3
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.schema import TABLES

log = logging.getLogger(__name__)

STATE_DIR = "_state"
PART_PREFIX = "part-"


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


class Store:
    """The output directory: locked, recovered, written batch by batch."""

    def __init__(self, out_dir: str | os.PathLike, *, wait: bool = False):
        self.out = Path(out_dir)
        self.state = self.out / STATE_DIR
        self.state.mkdir(parents=True, exist_ok=True)
        self._lock_fh = open(self.state / "lock", "a+")
        try:
            fcntl.flock(self._lock_fh, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except OSError as exc:
            self._lock_fh.close()
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                raise OutputLocked(
                    f"another run is writing to {self.out} (lock {self.state / 'lock'} is held); "
                    "wait for it to finish or pass --wait"
                ) from exc
            raise
        self._lock_fh.seek(0)
        self._lock_fh.truncate()
        self._lock_fh.write(f"pid {os.getpid()}\n")
        self._lock_fh.flush()
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
        self.recover()

    def close(self) -> None:
        """Release the lock and the manifest."""
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
        """Delete temporary files and part files of uncommitted batches; return how many."""
        committed = self.committed_batches()
        removed = 0
        for table in TABLES:
            d = self.out / table
            if not d.is_dir():
                continue
            for f in d.iterdir():
                batch = _batch_of(f.name)
                if f.name.startswith(".tmp-") or (batch is not None and batch not in committed):
                    f.unlink(missing_ok=True)
                    removed += 1
        if removed:
            log.warning("removed %d leftover file(s) of an interrupted run", removed)
        return removed

    # --- manifest -------------------------------------------------------------------

    def files(self) -> dict[str, FileState]:
        """Return the manifest: raw path -> what was processed from it."""
        return {
            r[0]: FileState(*r)
            for r in self.db.execute(
                "SELECT source_path, size, mtime_ns, sha256, page_id, version, batch FROM files"
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
        rewritten, dropped = self._rewrite_without(replace_page_ids, exclude={batch})
        with self.db:  # one transaction: the batch becomes visible all at once
            self.db.execute("BEGIN IMMEDIATE")
            self.db.execute("INSERT INTO batches VALUES (?, ?, ?)", (batch, len(states), time.time()))
            for new in rewritten:
                self.db.execute("INSERT INTO batches VALUES (?, 0, ?)", (new, time.time()))
            for old in dropped:
                self.db.execute("DELETE FROM batches WHERE batch=?", (old,))
            self.db.executemany(
                "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(s.source_path, s.size, s.mtime_ns, s.sha256, s.page_id, s.version, batch) for s in states],
            )
        for old in dropped:
            self._delete_batch_files(old)
        log.debug("committed batch %s (%d pages, %d part files)", batch, len(states), len(written))
        return batch

    def _write_part(self, table: str, batch: str, data: pa.Table) -> Path:
        d = self.out / table
        d.mkdir(parents=True, exist_ok=True)
        final = d / f"{PART_PREFIX}{batch}.parquet"
        tmp = d / f".tmp-{PART_PREFIX}{batch}.parquet"
        data = data.cast(TABLES[table].schema)  # drift fails loudly here
        pq.write_table(data, tmp, compression="zstd")
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, final)
        return final

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
                data = pq.read_table(path)
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
