"""The synthetic OCR page generator: reproducible, and everything it plants is really there."""

from __future__ import annotations

import pytest
import regex

from pipeline.evaluation.common import eval_dir
from pipeline.evaluation.synth import (
    CLOSERS,
    SENTENCE_END,
    SynthPage,
    demo_articles,
    iter_pages,
    load_articles,
    make_pages,
    narrow_cuts,
    normalise,
    split_at,
)

RE_SINGLE_NEWLINE = regex.compile(r"[^\n]\n[^\n]")


def snapshot(pages: list[SynthPage]) -> list[tuple]:
    """Return everything a page holds as comparable tuples."""
    return [
        (p.key, p.text, repr(p.breaks), p.duplicates, repr(p.furniture), repr(p.boundaries)) for p in pages
    ]


def without_furniture(page: SynthPage) -> list[str]:
    """Return the page's non-blank lines minus the planted furniture lines."""
    furniture = {f.text for f in page.furniture}
    return [line for line in page.text.split("\n") if line and line not in furniture]


def check_planted(page: SynthPage) -> None:
    """Assert that every planted artefact of ``page`` is in its text."""
    assert not RE_SINGLE_NEWLINE.search(page.text), "every line must be separated by a blank line"
    joined = "".join(without_furniture(page))
    flat = normalise(joined)
    for b in page.breaks:
        assert b.before and b.after
        assert b.before[-1] not in SENTENCE_END, "no break right after a sentence end"
        seam = regex.escape(b.before[-1]) + r"\n\n(?:[^\n]+\n\n)*?" + regex.escape(b.after[0])
        assert regex.search(seam, page.text), b
        assert b.before + b.after in joined
    lines = set(page.text.split("\n"))
    for f in page.furniture:
        assert f.text in lines
    for d in page.duplicates:
        assert flat.count(normalise(d)) >= 2, d
    for a in page.articles:
        for p in a.paragraphs:
            assert normalise(p) in flat
        for t in a.title_lines:
            assert normalise(t) in flat


def test_same_seed_same_pages() -> None:
    arts = demo_articles(12, seed=5)
    assert snapshot(make_pages(arts, 12, seed=3)) == snapshot(make_pages(arts, 12, seed=3))


def test_other_seed_other_pages() -> None:
    arts = demo_articles(12, seed=5)
    assert [p.text for p in make_pages(arts, 12, seed=3)] != [p.text for p in make_pages(arts, 12, seed=4)]


def test_iter_pages_matches_make_pages() -> None:
    arts = demo_articles(6)
    assert snapshot(list(iter_pages(arts, 9, seed=2))) == snapshot(make_pages(arts, 9, seed=2))


def test_planted_artefacts_are_in_the_text() -> None:
    pages = make_pages(demo_articles(30, seed=1), 30, seed=0)
    for page in pages:
        check_planted(page)
    assert sum(len(p.breaks) for p in pages) > 50
    assert sum(len(p.duplicates) for p in pages) > 5
    assert sum(len(p.furniture) for p in pages) >= 30
    kinds = {b.kind for p in pages for b in p.breaks}
    assert kinds == {"random", "narrow"}


def test_narrow_columns_are_13_to_17_wide() -> None:
    para = "".join(a["paragraphs"][1] for a in demo_articles(3))
    for width in range(13, 18):
        frags = split_at(para, narrow_cuts(para, width))
        assert "".join(frags) == para
        assert all(width - 2 <= len(f) <= width + 2 for f in frags[:-1])
        assert len(frags[-1]) <= width + 2
        assert not any(f[0] in CLOSERS for f in frags)
    pages = make_pages(demo_articles(10), 10, seed=0, narrow_prob=1.0, reprint_prob=0.0, repeat_prob=0.0)
    assert {b.kind for p in pages for b in p.breaks} == {"narrow"}
    lines = [line for p in pages for line in p.text.split("\n") if line]
    assert sum(13 <= len(line) <= 17 for line in lines) / len(lines) > 0.6


def test_ascii_punctuation_inside_chinese() -> None:
    pages = make_pages(demo_articles(5), 5, seed=0, ascii_min=1.0, ascii_max=1.0)
    assert all("，" not in p.text and "," in p.text for p in pages)
    assert any("，" in para for p in pages for a in p.articles for para in a.paragraphs)


def test_furniture_names_the_issue() -> None:
    pages = make_pages(demo_articles(8), 8, seed=0, furniture_min=4, furniture_max=4, head_prob=1.0)
    for page in pages:
        assert len(page.furniture) == 5
        heads = [f.text for f in page.furniture if f.kind == "running_head"]
        assert all(f"{page.issue_date.month}月{page.issue_date.day}日" in h for h in heads)
        numbers = [f.text for f in page.furniture if f.kind == "page_number"]
        assert all(str(page.page_no) in n for n in numbers)


def test_cross_page_reprints_point_back() -> None:
    pages = make_pages(demo_articles(20), 20, seed=0, cross_reprint_prob=0.5)
    keys = [p.key for p in pages]
    reprints = [(i, a) for i, p in enumerate(pages) for a in p.articles if a.reprint_of]
    assert reprints
    for i, a in reprints:
        assert keys.index(a.reprint_of) < i
        source = next(
            s for s in pages[keys.index(a.reprint_of)].articles if s.id == a.id and not s.reprint_of
        )
        assert normalise("".join(a.paragraphs)) in normalise("".join(source.paragraphs))


def test_unknown_option_is_refused() -> None:
    with pytest.raises(TypeError):
        make_pages(demo_articles(2), 2, break_probability=0.5)


@pytest.mark.skipif(eval_dir() is None, reason="../shared/eval is absent")
def test_real_pages_hold_what_was_planted() -> None:
    pages = make_pages(load_articles(), 60, seed=11)
    for page in pages:
        check_planted(page)
    assert sum(len(p.text) for p in pages) > 200_000
