"""Nothing vanishes silently: every raw character is in the clean text, in a ``removed`` record,
or whitespace (issue #3's property, over the random pages of ``test_properties``)."""

from __future__ import annotations

from hypothesis import example, given
from test_properties import SETTINGS, pages

from pipeline.clean import clean_page
from pipeline.evaluation.synth import demo_articles, make_pages
from pipeline.ingest import normalise


def unaccounted(raw: str) -> list[tuple[int, str]]:
    """Raw characters that are neither mapped from the clean text, nor removed, nor whitespace."""
    clean = clean_page(raw)
    covered = bytearray(len(raw))
    for start, end, raw_start in clean.raw_map.runs():
        covered[raw_start : raw_start + end - start] = b"\x01" * (end - start)
    for r in clean.removed:
        covered[r.raw_start : r.raw_end] = b"\x01" * (r.raw_end - r.raw_start)
    norm = normalise(raw)
    return [(i, raw[i]) for i in range(len(raw)) if not covered[i] and not norm[i].isspace()]


@SETTINGS
@given(pages)
@example("本报讯\n\n本报讯\n\n第3版\n\n1")
def test_every_raw_character_is_kept_removed_or_whitespace(raw):
    assert unaccounted(raw) == []


def test_synthetic_pages_lose_nothing_silently():
    """Generated OCR pages with repeats, furniture and broken lines (no eval data needed)."""
    for page in make_pages(demo_articles(8), 8, seed=3):
        assert unaccounted(page.text) == [], page.key


def test_sample_page_loses_nothing_silently(sample_text):
    assert unaccounted(sample_text) == []
