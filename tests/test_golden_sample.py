"""The sample page's expected cleaning and article structure (tests/golden/sample_structure.json).

The golden file is the project's copy of the page's spec; phrases are compared after
removing whitespace and folding full-width punctuation to half-width, as the spec says.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

GOLD = json.loads((Path(__file__).parent / "golden" / "sample_structure.json").read_text(encoding="utf-8"))
FOLD = str.maketrans("，：；（）！？", ",:;()!?")


def norm(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "").translate(FOLD)


@pytest.fixture(scope="module")
def articles(sample_tables):
    return sample_tables["articles"].sort_values("seq").reset_index(drop=True)


@pytest.fixture(scope="module")
def paragraphs(sample_tables):
    return sample_tables["paragraphs"]


@pytest.mark.parametrize("phrase", GOLD["joined_phrases"]["phrases"])
def test_broken_phrase_is_joined_inside_one_paragraph(paragraphs, phrase):
    hits = [t for t in paragraphs.text if norm(phrase) in norm(t)]
    assert len(hits) == 1, f"{phrase!r} should be unbroken in exactly one paragraph"


@pytest.mark.parametrize("phrase", GOLD["exactly_once"]["phrases"])
def test_repeated_phrase_occurs_exactly_once(sample_tables, phrase):
    page = "".join(norm(t) for t in sample_tables["articles"].text)
    assert page.count(norm(phrase)) == 1


def test_piece_count(articles):
    assert len(articles) in (7, 8)


def _title_lines(row) -> list[str]:
    return [norm(x) for x in (row.kicker, row.title, row.subtitle) if isinstance(x, str) and x]


@pytest.mark.parametrize("k", range(len(GOLD["articles"]["pieces"])))
def test_piece_structure(articles, sample_tables, k):
    piece = GOLD["articles"]["pieces"][k]
    matches = [row for row in articles.itertuples() if _title_lines(row) == [norm(t) for t in piece["title_lines"]]]
    assert len(matches) == 1, f"no article with title lines {piece['title_lines']}"
    row = matches[0]
    assert row.kind == piece["kind"]
    if piece["byline"] is None:
        assert not isinstance(row.byline, str) or not row.byline
    else:
        assert norm(row.byline) == norm(piece["byline"])
    credits = sample_tables["credits"]
    got = [[r.role, r.name] for r in credits[credits.article_id == row.article_id].itertuples()]
    assert got == piece["credits"]
    body = norm(row.text)
    starts = piece.get("body_starts_any_of") or [piece["body_starts"]]
    ends = piece.get("body_ends_any_of") or [piece["body_ends"]]
    assert any(body.startswith(norm(s)) for s in starts), body[:60]
    assert any(body.endswith(norm(e)) for e in ends), body[-60:]
    # the byline is not part of the body
    if piece["byline"]:
        assert norm(piece["byline"]) not in body


@pytest.mark.parametrize("head", GOLD["articles"]["section_heads"]["heads"])
def test_section_heads_are_heading_paragraphs(paragraphs, head):
    rows = paragraphs[paragraphs.text.map(norm) == norm(head)]
    assert len(rows) == 1
    assert rows.iloc[0].kind == "heading"


def test_repeats_are_recorded_with_the_kept_copy(sample_tables, sample_text):
    removed = sample_tables["removed"]
    dups = removed[removed.reason.isin(["duplicate", "near_duplicate"])]
    assert len(dups) >= 2
    for r in dups.itertuples():
        assert r.kept_raw_start < r.raw_start, "the kept copy is the earlier one"
        kept = norm(sample_text[r.kept_raw_start : r.kept_raw_end])
        assert kept and kept[:8] == norm(r.text)[:8]


@pytest.mark.parametrize("phrase", GOLD["exactly_once"]["phrases"])
def test_every_raw_copy_is_kept_or_recorded(sample_tables, sample_text, phrase):
    """Nothing is dropped silently: raw copies = the kept one + the recorded removals."""
    p = norm(phrase)
    raw_copies = norm(sample_text).count(p)
    assert raw_copies >= 1
    kept = "".join(norm(t) for t in sample_tables["articles"].text).count(p)
    removed = sum(norm(t).count(p) for t in sample_tables["removed"].text)
    assert kept + removed == raw_copies
