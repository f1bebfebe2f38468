"""The fast path gives the reference path's answers.

- rjieba words equal ``jieba.cut``'s (the reference backend), tables equal apart from POS;
- the bulk token table, the page-wide gram index and the on-demand key offsets of the
  cleaner give what the row-by-row / line-by-line versions gave;
- ``run --workers 2`` writes what ``--workers 1`` writes; a rerun reads no unchanged
  file and writes only the new page; the writer commits bounded batches.
"""

from __future__ import annotations

import os
import random
import re
from itertools import accumulate
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import segment as seg
from pipeline.api import process_raw_page
from pipeline.bench import bench_pages
from pipeline.clean import RE_KEY_CHAR, _build_key, find_duplicates, split_lines
from pipeline.evaluation.common import eval_dir
from pipeline.ingest import ingest
from pipeline.offsets import OffsetMap
from pipeline.record import Article, Entity, Facts, Paragraph, Sentence, Tokens
from pipeline.runner import run
from pipeline.tables import (
    ProcessedArticle,
    ProcessedPage,
    article_id,
    chunk_tables,
    page_tables,
    split_tables,
)

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "raw" / "000_99e740105b15f725.txt"
needs_eval = pytest.mark.skipif(eval_dir() is None, reason="../shared/eval is absent")

# ASCII runs where jieba-rs and jieba split differently unless the fast path repairs them.
ASCII_CASES = [
    "详见http://www.npc.gov.cn/pc/13_2，全国政协十三届",
    "《实施方案（2018-2020年）》和2017-2018学年",
    "邮箱：yxxz8494@163.com 电话0931-8257272",
    "增长3.5%，达到1.72亿元，38.Y总部",
    "㐀㐀中国\u9fd6\u9fd6人民𠀀𠀀",  # Han outside jieba's U+4E00-U+9FD5 block pattern
]
# Characters of every class the two segmenters treat differently somewhere.
SEGMENTER_ALPHABET = [
    *"中国人民的一是在不了有和我他这年月日劳模成立", *"abcXYZ0123456789.-_+#&%@/:， 。\n\r\t",
    "\u3000", "龥", "\u9fd6", "\u3400", "ａ１", "カタ", "한", "é", "😀", "·", "\r\n", "\u00a0", "𠀀", "﨎",
]


@pytest.fixture(scope="module")
def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def eval_pages() -> list[str]:
    return bench_pages(120_000)


@pytest.fixture
def use_backend(monkeypatch):
    def switch(name: str) -> None:
        monkeypatch.setenv("PIPELINE_SEGMENTER", name)
        seg.backend.cache_clear()

    yield switch
    seg.backend.cache_clear()


def _jieba_cut(text: str) -> list[str]:
    return list(seg._jieba().cut(text))


# --- segmentation ---------------------------------------------------------------------


@pytest.mark.parametrize("text", ASCII_CASES)
def test_rjieba_words_equal_jieba_cut_on_ascii_runs(text):
    assert seg.tag_words(text, "rjieba")[0] == _jieba_cut(text)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(SEGMENTER_ALPHABET), max_size=25).map("".join))
def test_rjieba_words_equal_jieba_cut_on_mixed_text(text):
    assert seg.tag_words(text, "rjieba")[0] == _jieba_cut(text)


def test_rjieba_words_equal_jieba_cut_on_sample_page(sample_text):
    assert seg.tag_words(sample_text, "rjieba")[0] == _jieba_cut(sample_text)


@needs_eval
def test_rjieba_words_equal_jieba_cut_on_eval_pages(eval_pages):
    for page in eval_pages:
        assert seg.tag_words(page, "rjieba")[0] == _jieba_cut(page)


@settings(max_examples=500, deadline=None, derandomize=True)
@given(st.text(alphabet="aZ09+#&._%-中 \n。é", max_size=20))
def test_joined_ascii_pattern_equals_its_plain_definition(text):
    # the pattern is written for a fast scan; its matches are those of the plain form
    plain = re.compile(r"[a-zA-Z0-9+#&._%\-]*[a-zA-Z0-9][+#&._%\-][a-zA-Z0-9+#&._%\-]*")
    assert [m.span() for m in seg.RE_JOINED_ASCII.finditer(text)] == [m.span() for m in plain.finditer(text)]


@pytest.mark.parametrize("backend", ["rjieba", "jieba"])
def test_segment_offsets_slice_back_and_skip_whitespace(backend, use_backend):
    use_backend(backend)
    text = "本报讯 记者邹倜然\n近300场次，增长3.5%。\u3000\u3000www.npc.gov.cn"
    tokens = seg.segment(text)
    assert tokens.words and all(not w.isspace() for w in tokens.words)
    assert [text[s:e] for s, e in zip(tokens.starts, tokens.ends, strict=True)] == tokens.words
    assert "".join(tokens.words) == re.sub(r"\s", "", text)


@given(st.text(alphabet=[*"中国人民 abc1.", "\n", "\u3000", "\r", "\t", "\u00a0", "\u2028"], max_size=60))
@settings(max_examples=300, derandomize=True)
def test_segment_drops_exactly_the_whitespace_words(text):
    # segment finds whitespace words from the text's whitespace; the plain definition tests every word
    words, tags = seg.tag_words(text)
    ends = list(accumulate(map(len, words)))
    kept = [(w, t, e - len(w), e) for w, t, e in zip(words, tags, ends, strict=True) if not w.isspace()]
    tokens = seg.segment(text)
    assert list(zip(tokens.words, tokens.pos, tokens.starts, tokens.ends, strict=True)) == kept


def test_unknown_backend_is_refused(use_backend):
    use_backend("fastest")
    with pytest.raises(ValueError, match="PIPELINE_SEGMENTER"):
        seg.backend()


def _page_tables_with(backend: str, text: str, use_backend) -> dict:
    use_backend(backend)
    tables = page_tables(process_raw_page(ingest(text.encode("utf-8"), "raw/2021-05-20/p03.txt")))
    return {name: t.to_pylist() for name, t in tables.items()}


POS_DEPENDENT = ("entities", "person_roles")


def _assert_tables_equal_apart_from_pos(text: str, use_backend) -> None:
    fast = _page_tables_with("rjieba", text, use_backend)
    ref = _page_tables_with("jieba", text, use_backend)
    assert fast.keys() == ref.keys()
    for name in fast:
        if name in POS_DEPENDENT:
            continue  # entity rules read POS tags as one signal, so they may differ with them
        if name == "tokens":
            drop_pos = [{k: v for k, v in row.items() if k != "pos"} for row in fast[name]]
            assert drop_pos == [{k: v for k, v in row.items() if k != "pos"} for row in ref[name]]
        else:
            assert fast[name] == ref[name], name
    assert len(fast["tokens"]) > 1000


def test_fast_path_tables_equal_reference_path_apart_from_pos(sample_text, use_backend):
    _assert_tables_equal_apart_from_pos(sample_text, use_backend)


@needs_eval
def test_fast_path_tables_equal_reference_path_on_eval_pages(eval_pages, use_backend):
    for page in eval_pages[:3]:
        _assert_tables_equal_apart_from_pos(page, use_backend)


# --- tables ----------------------------------------------------------------------------


def test_token_rows_follow_sentences():
    # two sentences with a gap between them; tokens in the gap belong to no sentence
    text = "甲乙。丙 丁戊。"
    art = Article(seq=0, kind="news", text=text, raw_map=OffsetMap([0], [0], len(text)),
                  sentences=[Sentence(0, 0, 0, 3), Sentence(1, 0, 5, 8)])
    tokens = Tokens(["甲", "乙", "。", "丙", "丁", "戊", "。"], ["x"] * 7, [0, 1, 2, 3, 5, 6, 7], [1, 2, 3, 4, 6, 7, 8])
    page = ProcessedPage(raw=ingest(text.encode()), page_id="p" * 16)
    page.articles.append(ProcessedArticle(art, tokens, Facts()))
    rows = page_tables(page)["tokens"].to_pylist()
    assert [(r["sentence_id"][-4:], r["seq"], r["word"]) for r in rows] == [
        ("0000", 0, "甲"), ("0000", 1, "乙"), ("0000", 2, "。"),
        ("0001", 0, "丁"), ("0001", 1, "戊"), ("0001", 2, "。"),
    ]
    assert {r["article_id"] for r in rows} == {"p" * 16 + "-000"}


def test_chunk_tables_cut_back_equal_page_tables(eval_pages):
    # a chunk converted at once and cut back into pages gives every page the rows it has
    # alone: good pages, a quarantined page and a page with no rows but its pages row
    raws = [ingest(text.encode("utf-8"), f"raw/2019-02-01/p{k:02d}.txt") for k, text in enumerate(eval_pages[:4])]
    raws.insert(2, ingest(bytes(range(256)) * 8, "raw/2019-02-01/bad.txt"))
    raws.append(ingest(b"", "raw/2019-02-01/empty.txt"))
    pages = [process_raw_page(raw) for raw in raws]
    assert raws[2].error and raws[-1].error
    alone = [page_tables(page) for page in pages]
    together = split_tables(*chunk_tables(pages))
    assert len(together) == len(pages)
    for one, cut in zip(alone, together, strict=True):
        assert one.keys() == cut.keys()
        for name in one:
            assert cut[name].equals(one[name]), name


SPAN_TABLES = ("paragraphs", "sentences", "entities", "person_roles", "quantities", "dates")


def _hand_made_page() -> ProcessedPage:
    """Articles whose maps and spans take each path of the chunk's raw offset lookup."""
    text = "甲乙丙丁戊己"
    page = ProcessedPage(raw=ingest(text.encode()), page_id="q" * 16)
    maps = [
        OffsetMap([0, 3], [100, 200], 6),  # a TextBuilder's shape: looked up for the chunk at once
        OffsetMap([0, 3], [7, 1], 6),  # raw runs out of order are fine
        OffsetMap([0, 5, 3], [0, 50, 30], 6),  # runs that do not rise: row by row, as before
    ]
    for seq, rmap in enumerate(maps):
        art = Article(seq=seq, kind="news", text=text, raw_map=rmap, paragraphs=[Paragraph(0, "body", 0, 6)],
                      sentences=[Sentence(0, 0, 0, 2), Sentence(1, 0, 2, 6)])
        entities = [Entity("PERSON", "乙丙", "乙丙", 1, 3, "jieba"), Entity("LOC", "丁戊己", "丁戊己", 3, 6, "lexicon")]
        if seq == 1:
            entities.append(Entity("ORG", "", "", 2, 2, "lexicon"))  # an empty span: row by row, as before
        page.articles.append(ProcessedArticle(art, Tokens(), Facts(entities=entities)))
    return page


def test_chunk_raw_offsets_equal_each_articles_map(eval_pages):
    # raw offsets are looked up for a chunk at once: they equal each article's own map's
    pages = [process_raw_page(ingest(text.encode("utf-8"), f"raw/2019-02-01/p{k:02d}.txt"))
             for k, text in enumerate(eval_pages[:6])]
    pages.insert(1, _hand_made_page())
    tables, _ = chunk_tables(pages)
    maps = {article_id(p.page_id, a.article.seq): a.article.raw_map for p in pages for a in p.articles}
    for name in SPAN_TABLES:
        rows = tables[name].to_pylist()
        assert rows, name
        for row in rows:
            assert (row["raw_start"], row["raw_end"]) == maps[row["article_id"]].raw_span(row["start"], row["end"]), name
    hand_made = [r for r in tables["entities"].to_pylist() if r["article_id"].startswith("q")]
    assert [(r["raw_start"], r["raw_end"]) for r in hand_made] == [
        (101, 103), (200, 203), (8, 10), (1, 4), (9, 9), (1, 3), (3, 33),
    ]


# --- cleaning internals ---------------------------------------------------------------


def _duplicated_page(text: str, seed: int) -> str:
    """Insert re-wrapped (and sometimes cut-off) copies of passages later on the page."""
    rng = random.Random(seed)
    blocks = text.split("\n\n")
    for _ in range(3):
        i = rng.randrange(len(blocks))
        copy = "\n\n".join(blocks[i : i + rng.randrange(1, 4)])
        if rng.random() < 0.5:
            copy = copy[: rng.randrange(1, len(copy) + 1)]
        width = rng.randrange(8, 30)
        copy = "\n".join(copy[k : k + width] for k in range(0, len(copy), width))
        blocks.insert(rng.randrange(i, len(blocks) + 1), copy)
    return "\n\n".join(blocks)


def test_key_raw_positions_match_character_walk(sample_text):
    lines = split_lines(_duplicated_page(sample_text, 1))
    key = _build_key(lines)
    walk = [raw + m.start() for line in lines for text, raw in line.pieces for m in RE_KEY_CHAR.finditer(text)]
    assert len(walk) == len(key.chars)
    for k in range(0, len(walk), 7):
        assert key.raw_pos(k) == walk[k]
    assert key.raw_pos(len(walk) - 1) == walk[-1]


@pytest.mark.parametrize("seed", range(4))
def test_duplicates_point_at_an_earlier_identical_passage(sample_text, seed):
    page = _duplicated_page(sample_text, seed)
    lines = split_lines(page)
    removals = [r for r in find_duplicates(lines, set()) if r.reason == "duplicate"]
    assert removals
    norm = lambda s: "".join(RE_KEY_CHAR.findall(s))  # noqa: E731
    for r in removals:
        assert r.kept_raw_end <= r.raw_start
        kept = norm(page[r.kept_raw_start : r.kept_raw_end])
        assert kept and norm(r.text) == kept


def test_gram_index_keeps_the_first_eight_positions():
    from pipeline.clean import GRAM, _gram_index

    s = "甲乙丙丁戊己庚辛" * 12 + "子丑寅卯辰巳午未"
    first, repeated = _gram_index(s, 1)
    gram = s[:GRAM]
    assert first == {}  # stride 1: a gram seen once can only be found where it is looked up
    assert repeated[gram] == [0, 8, 16, 24, 32, 40, 48, 56]
    assert "子丑寅卯辰巳午未" not in repeated
    first, strided = _gram_index(s, 2)
    assert all(p % 2 == 0 for p in strided[gram])
    assert first["子丑寅卯辰巳午未"] == len(s) - GRAM


def _repeated_grams_plainly(s: str) -> dict[str, list[int]]:
    from pipeline.clean import GRAM

    positions: dict[str, list[int]] = {}
    for p in range(len(s) - GRAM + 1):
        positions.setdefault(s[p : p + GRAM], []).append(p)
    return {g: ps[:8] for g, ps in positions.items() if len(ps) > 1}


@given(st.text(alphabet="甲乙丙丁ab𠀀", max_size=80))
@settings(max_examples=300, derandomize=True)
def test_hashed_repeated_grams_equal_the_plain_definition(s):
    from pipeline.clean import _repeated_grams

    assert _repeated_grams(s) == _repeated_grams_plainly(s)


@given(st.text(alphabet="甲乙", min_size=1, max_size=12), st.integers(1, 400), st.lists(st.integers(0, 10**6), max_size=3), st.data())
@settings(max_examples=300, deadline=None, derandomize=True)
def test_common_prefix_of_blocks_equals_the_character_walk(unit, times, flips, data):
    # long runs of one text with a few characters changed: the doubling and halving
    # block comparison stops where the character walk does
    from pipeline.clean import _common_prefix

    chars = list(unit * times)
    for f in flips:
        chars[f % len(chars)] = "丙"
    s = "".join(chars)
    a = data.draw(st.integers(0, len(s) - 1))
    b = data.draw(st.integers(0, len(s) - 1))
    limit = data.draw(st.integers(0, len(s) - max(a, b)))
    walked = 0
    while walked < limit and s[a + walked] == s[b + walked]:
        walked += 1
    assert _common_prefix(s, a, b, limit) == walked


def test_line_join_frequencies_equal_jiebas_dictionary():
    from pipeline.clean import MIN_WORD_FREQ, _jieba_freq

    full = seg._jieba().dt.FREQ
    small = _jieba_freq()
    assert small == {w: f for w, f in full.items() if 2 <= len(w) <= 3 and f >= MIN_WORD_FREQ}


# --- runner ----------------------------------------------------------------------------


def _write_raw(raw: Path, texts: list[str], first: int = 0) -> None:
    for k, text in enumerate(texts, start=first):
        path = raw / "2021-05-20" / f"p{k:02d}_{k:04d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _pages(sample_text: str, n: int, salt: str = "") -> list[str]:
    blocks = sample_text.split("\n\n")
    out = []
    for k in range(n):
        rng = random.Random(f"{salt}{k}")
        start = rng.randrange(len(blocks) // 2)
        out.append("\n\n".join(blocks[start : start + rng.randrange(8, 30)]) + f"\n\n第{k}号{salt}。\n")
    return out


def _read_tables(out: Path) -> dict[str, list[dict]]:
    tables = {}
    for d in sorted(p for p in out.iterdir() if p.is_dir() and not p.name.startswith("_")):
        rows = []
        for f in sorted(d.glob("part-*.parquet")):
            rows.extend(pq.read_table(f).to_pylist())
        tables[d.name] = rows
    return tables


def test_two_workers_write_what_one_writes(tmp_path, sample_text):
    raw = tmp_path / "raw"
    _write_raw(raw, _pages(sample_text, 8))
    run(raw, tmp_path / "one", workers=1, engine="serial")
    run(raw, tmp_path / "two", workers=2, engine="process", batch_pages=3)
    one, two = _read_tables(tmp_path / "one"), _read_tables(tmp_path / "two")
    assert one.keys() == two.keys() and len(one["pages"]) == 8
    for name in one:
        assert one[name] == two[name], name


def test_rerun_reads_no_unchanged_file_and_writes_only_new_pages(tmp_path, sample_text, monkeypatch):
    raw, out = tmp_path / "raw", tmp_path / "out"
    _write_raw(raw, _pages(sample_text, 6))
    first = run(raw, out, workers=1)
    assert first.processed == 6
    before = set((out / "pages").glob("part-*.parquet"))
    _write_raw(raw, _pages(sample_text, 2, salt="new"), first=6)

    opened: list[str] = []
    real_read_bytes, real_open = Path.read_bytes, open

    def read_bytes(self):
        opened.append(str(self))
        return real_read_bytes(self)

    def spy_open(file, *args, **kwargs):
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    real_os_open = os.open

    def spy_os_open(file, *args, **kwargs):
        opened.append(str(file))
        return real_os_open(file, *args, **kwargs)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    monkeypatch.setattr("builtins.open", spy_open)
    monkeypatch.setattr(os, "open", spy_os_open)
    second = run(raw, out, workers=1)
    monkeypatch.undo()

    assert (second.processed, second.skipped) == (2, 6)
    raw_files_read = {p for p in opened if p.endswith(".txt")}
    assert len(raw_files_read) == 2 and all("_0006" in p or "_0007" in p for p in raw_files_read)
    new_parts = set((out / "pages").glob("part-*.parquet")) - before
    assert sum(pq.read_metadata(f).num_rows for f in new_parts) == 2


def test_writer_commits_bounded_batches(tmp_path, sample_text):
    raw, out = tmp_path / "raw", tmp_path / "out"
    _write_raw(raw, _pages(sample_text, 5))
    run(raw, out, workers=1, batch_pages=2)
    parts = sorted((out / "pages").glob("part-*.parquet"))
    assert [pq.read_metadata(f).num_rows for f in parts] == [2, 2, 1]


# --- bench page builder ----------------------------------------------------------------


@needs_eval
def test_bench_pages_are_distinct_ocr_like_pages(eval_pages):
    assert sum(map(len, eval_pages)) >= 120_000
    assert len(set(eval_pages)) == len(eval_pages)
    assert all("\n\n" in p for p in eval_pages)
    assert bench_pages(120_000) == eval_pages  # deterministic


def test_bench_skips_in_one_line_without_eval_data(monkeypatch, capsys):
    import pipeline.bench as bench

    monkeypatch.setattr(bench, "eval_dir", lambda: None)
    assert bench.bench_pages(1000) == []
    assert bench.main(["--quick"]) == 0
    assert capsys.readouterr().out.count("\n") == 1

