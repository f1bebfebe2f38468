"""Shared fixtures: the sample page and its processed tables (computed once per session)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "raw" / "000_99e740105b15f725.txt"
SAMPLE_ISSUE_DATE = date(2021, 5, 20)  # Workers' Daily, late May 2021 (the page's own dates run to 5月18日)


@pytest.fixture(scope="session")
def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def sample_tables(sample_text):
    import pipeline

    return pipeline.process_page(sample_text, source=str(SAMPLE))
