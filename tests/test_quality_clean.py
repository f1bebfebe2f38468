"""The "clean" evaluation: the scorer itself on made-up pages, then the cleaner vs its floors."""

from __future__ import annotations

import importlib.util

import pytest

from pipeline.evaluation import clean as clean_eval
from pipeline.evaluation.common import check_floors, eval_dir
from pipeline.evaluation.synth import demo_articles, make_pages
from pipeline.record import Article, CleanPage


@pytest.fixture(scope="module")
def pages():
    return make_pages(demo_articles(40, seed=2), 40, seed=0)


def score_with(pages, make_text) -> dict[str, float]:
    """Score a cleaner given as ``page -> clean text`` (articles from the naive splitter)."""
    total = None
    for page in pages:
        text = make_text(page)
        c = clean_eval.score_page(page, text, clean_eval.naive_split(CleanPage(text, [])))
        total = c if total is None else total + c
    return clean_eval.scores_from(total)


def test_oracle_scores_perfectly(pages) -> None:
    counts, _ = clean_eval.evaluate(pages, "oracle")
    scores = clean_eval.scores_from(counts)
    assert scores == {
        "join_recall": 1.0,
        "glue_rate_max": 0.0,
        "duplicates_once": 1.0,
        "retention": 1.0,
        "title_recall": 1.0,
        "furniture_removed": 1.0,
    }
    assert counts["breaks"] > 100 and counts["dups"] > 5 and counts["furniture"] > 40


def test_naive_baseline_scores_low(pages) -> None:
    counts, timing = clean_eval.evaluate(pages, "naive")
    scores = clean_eval.scores_from(counts)
    assert scores["join_recall"] < 0.1
    assert scores["furniture_removed"] == 0.0
    assert scores["duplicates_once"] < 0.3
    assert scores["glue_rate_max"] == 0.0
    assert timing["clean_chars_per_s"] > 0


def test_gluing_everything_is_caught(pages) -> None:
    scores = score_with(pages, lambda p: clean_eval.oracle(p)[0].replace("\n", ""))
    assert scores["join_recall"] == 1.0 and scores["retention"] == 1.0
    assert scores["glue_rate_max"] > 0.95


def test_page_interval_brackets_the_score_and_widens_when_errors_cluster() -> None:
    from collections import Counter

    even = [Counter(glued=1, boundaries=50) for _ in range(40)]
    clustered = [Counter(glued=40 if i == 0 else 0, boundaries=50) for i in range(40)]
    assert clean_eval.page_interval(even, "glued", "boundaries") == (0.02, 0.02)
    lo, hi = clean_eval.page_interval(clustered, "glued", "boundaries")
    assert lo < 0.02 < hi and hi - lo > 0.02  # one page holding every error: the score is a draw
    assert clean_eval.page_interval(clustered, "glued", "boundaries") == (lo, hi)  # seeded
    assert clean_eval.page_interval([], "joined", "breaks") == (1.0, 1.0)
    assert clean_eval.page_interval([Counter(breaks=0)], "glued", "boundaries") == (0.0, 0.0)


def test_split_intervals_resample_real_pages_whole() -> None:
    from collections import Counter

    reused = make_pages(demo_articles(5, seed=2), 12, seed=0)  # 5 real pages, 12 generated
    per_page = [Counter(breaks=2, joined=i) for i in range(len(reused))]
    summed = clean_eval._by_real_page(reused, per_page)
    assert len(summed) == 5
    assert sorted(c["breaks"] for c in summed) == [4, 4, 4, 6, 6]
    assert sum(c["joined"] for c in summed) == sum(range(12))


def test_furniture_glued_into_text_is_caught(pages) -> None:
    scores = score_with(pages, lambda p: clean_eval.naive_clean(p.text).text.replace("\n", ""))
    assert scores["furniture_removed"] < 0.1


def test_lost_paragraph_lowers_retention(pages) -> None:
    def drop_first_body(page) -> str:
        text, _ = clean_eval.oracle(page)
        return text.replace(page.articles[0].paragraphs[0], "")

    scores = score_with(pages, drop_first_body)
    assert scores["retention"] < 1.0
    assert scores["join_recall"] < 1.0 or scores["glue_rate_max"] > 0


def test_title_recall_needs_titles_in_articles(pages) -> None:
    counts = None
    for page in pages:
        text, articles = clean_eval.oracle(page)
        untitled = [Article(a.seq, a.kind, a.text, []) for a in articles]
        c = clean_eval.score_page(page, text, untitled)
        counts = c if counts is None else counts + c
    assert clean_eval.scores_from(counts)["title_recall"] == 0.0


def test_every_score_has_a_pinned_floor() -> None:
    """Floors pin what the cleaner measured (README: targets and gaps), so no score can drop unseen."""
    floors = clean_eval.load_floors("clean")
    assert set(floors) == set(clean_eval.METRICS)
    assert all(0.0 <= v <= 1.0 for v in floors.values())


def test_cleaner_meets_floors_quick() -> None:
    if eval_dir() is None:
        pytest.skip("../shared/eval is absent")
    if (
        importlib.util.find_spec("pipeline.clean") is None
        or importlib.util.find_spec("pipeline.articles") is None
    ):
        pytest.skip("pipeline.clean / pipeline.articles are not written yet")
    scores = clean_eval.run(quick=True)
    assert scores, "the clean section was skipped"
    assert check_floors("clean", {k: v for k, v in scores.items() if k in clean_eval.METRICS}) == []


def test_section_skips_without_eval_data(monkeypatch, capsys) -> None:
    from pipeline.evaluation.common import SKIP_LINE

    monkeypatch.setattr(clean_eval, "eval_dir", lambda: None)
    assert clean_eval.run(quick=True, baseline="naive") == {}
    assert capsys.readouterr().out.strip() == SKIP_LINE


def test_split_scores_every_real_page_once_per_seed_in_fixed_halves(monkeypatch, capsys) -> None:
    """``--split``: each real page is generated once per seed and always lands in the same half."""
    articles = demo_articles(12, seed=5)
    monkeypatch.setattr(clean_eval, "eval_dir", lambda: ".")
    monkeypatch.setattr(clean_eval, "load_articles", lambda: articles)
    halves = {}
    for seed in (0, 1):
        for page in make_pages(articles, 12, seed=seed):
            halves.setdefault(page.key.split("#")[0], set()).add(clean_eval.half_of(page))
    assert len(halves) == 12 and all(len(h) == 1 for h in halves.values())
    n_dev = sum(h == {"dev"} for h in halves.values())
    assert 0 < n_dev < 12, "both halves hold pages"

    scores = clean_eval.run_split([0, 1])
    out = capsys.readouterr().out
    assert f"{2 * n_dev} + {2 * (12 - n_dev)} pages" in out
    assert set(scores) == {"dev", "check"}
    assert all(set(s) == set(clean_eval.METRICS) for s in scores.values())
    assert clean_eval.main(["--split", "--seed", "0", "1"]) == 0


def test_split_skips_without_eval_data(monkeypatch, capsys) -> None:
    from pipeline.evaluation.common import SKIP_LINE

    monkeypatch.setattr(clean_eval, "eval_dir", lambda: None)
    assert clean_eval.run_split([0]) == {}
    assert capsys.readouterr().out.strip() == SKIP_LINE


@pytest.mark.parametrize("argv", [["--seed", "0", "1"], ["--split", "--quick"], ["--split", "--raise-floors"]])
def test_split_options_that_do_not_go_together_are_refused(argv) -> None:
    with pytest.raises(SystemExit):
        clean_eval.main(argv)
