"""Scaling out: the same page function on a Dask cluster gives the same tables as one process."""

from __future__ import annotations

import pytest
from conftest import SAMPLE, page_variant, read_tables

from pipeline.runner import run

pytest.importorskip("dask.distributed")


def test_dask_local_cluster_equals_one_process(tmp_path):
    text = SAMPLE.read_text(encoding="utf-8")
    raw = tmp_path / "raw"
    raw.mkdir()
    for i in range(4):
        (raw / f"p{i:02d}.txt").write_text(page_variant(text, i), encoding="utf-8")
    serial = run(raw, tmp_path / "serial", workers=1, engine="serial")
    dask = run(raw, tmp_path / "dask", workers=2, engine="dask")
    assert serial.processed == dask.processed == 4
    want, got = read_tables(tmp_path / "serial"), read_tables(tmp_path / "dask")
    for name in want:
        assert len(want[name]) == len(got[name]), name
        assert want[name].equals(got[name]), name
