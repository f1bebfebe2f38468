"""One schema module: docs/tables.md is generated from it, and stages do no I/O."""

from __future__ import annotations

import builtins
import io
from pathlib import Path

from pipeline.schema import TABLES, render_markdown

ROOT = Path(__file__).resolve().parents[1]


def test_docs_tables_md_is_generated_from_the_schema():
    assert (ROOT / "docs" / "tables.md").read_text(encoding="utf-8") == render_markdown(), (
        "docs/tables.md is stale: run `make docs`"
    )


def test_every_column_has_a_description():
    for table in TABLES.values():
        for field in table.schema:
            assert field.metadata[b"description"].strip(), (table.name, field.name)


def test_stages_do_no_io(sample_text, monkeypatch):
    """Stage functions take and return plain data, so they run anywhere (pool, cluster)."""
    from pipeline.api import process_raw_page
    from pipeline.ingest import ingest
    from pipeline.tables import page_tables

    raw = ingest(sample_text.encode("utf-8"), "raw/x.txt")
    page_tables(process_raw_page(raw))  # warm up: dictionaries load once per process

    def no_io(*args, **kwargs):
        raise AssertionError(f"I/O inside a stage: open{args[:1]}")

    monkeypatch.setattr(builtins, "open", no_io)
    monkeypatch.setattr(io, "open", no_io)
    monkeypatch.setattr(Path, "read_text", no_io)
    monkeypatch.setattr(Path, "read_bytes", no_io)
    raw = ingest(sample_text.encode("utf-8"), "raw/x.txt")
    tables = page_tables(process_raw_page(raw))
    assert tables["articles"].num_rows in (7, 8)
