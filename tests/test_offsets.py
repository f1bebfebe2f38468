"""Offsets are provenance: every row that points into text slices back to its surface."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.ingest import normalise
from pipeline.offsets import TextBuilder

TEXT_TABLES = ["paragraphs", "sentences", "entities", "person_roles", "quantities", "dates"]


@pytest.fixture(scope="module")
def article_text(sample_tables):
    return dict(zip(sample_tables["articles"].article_id, sample_tables["articles"].text))


@pytest.mark.parametrize("table", TEXT_TABLES)
def test_start_end_slice_back_to_text(sample_tables, article_text, table):
    df = sample_tables[table]
    for row in df.itertuples():
        assert article_text[row.article_id][row.start : row.end] == row.text, (table, row)


def test_tokens_slice_back_and_rebuild_sentences(sample_tables, article_text):
    tokens = sample_tables["tokens"]
    assert len(tokens) > 1000
    for row in tokens.itertuples():
        assert article_text[row.article_id][row.start : row.end] == row.word
    sentences = sample_tables["sentences"].set_index("sentence_id")
    for sid, group in tokens.groupby("sentence_id"):
        assert "".join(group.sort_values("seq").word) == sentences.loc[sid, "text"].replace(" ", "")


@pytest.mark.parametrize("table", ["articles", "paragraphs", "sentences", "entities", "quantities", "dates", "person_roles"])
def test_raw_offsets_point_into_the_raw_page(sample_tables, sample_text, table):
    """Raw spans start and end on the same characters as the row (after 1:1 normalisation)."""
    raw = normalise(sample_text)
    df = sample_tables[table]
    for row in df.itertuples():
        assert 0 <= row.raw_start <= row.raw_end <= len(raw)
        surface = row.text
        assert raw[row.raw_start] == surface[0]
        assert raw[row.raw_end - 1] == surface[-1]
        # the raw span holds the surface with only whitespace (OCR line breaks) inserted
        assert "".join(raw[row.raw_start : row.raw_end].split()) == "".join(surface.split())


def test_removed_spans_point_into_the_raw_page(sample_tables, sample_text):
    raw = normalise(sample_text)
    for row in sample_tables["removed"].itertuples():
        assert "".join(raw[row.raw_start : row.raw_end].split()) == "".join(row.text.split())


def test_article_raw_span_covers_its_body(sample_tables, sample_text):
    for row in sample_tables["articles"].itertuples():
        assert 0 <= row.raw_start < row.raw_end <= len(sample_text)


# --- fast helpers equal their plain definitions ------------------------------------------

_CHARS = "劳模精神工会１２ＡＢｚ,;:!?()（），。 \u00a0\u200b\ufeff\x0012ab.-"


def _normalise_reference(text: str) -> str:
    """normalise spelt out: translate every character, then turn an ASCII mark with Chinese
    (or a mark already turned full-width) beside it into its full-width form, until none is left."""
    import re

    from pipeline.ingest import _CJK, ASCII_TO_FULLWIDTH, NORMALISE_TABLE

    text = text.translate(NORMALISE_TABLE)
    pattern = re.compile(rf"(?<=[{_CJK}])[,;:!?()]|[,;:!?()](?=[{_CJK}])")
    while (again := pattern.sub(lambda m: ASCII_TO_FULLWIDTH[m.group()], text)) != text:
        text = again
    return text


@given(st.text(alphabet=_CHARS, max_size=60))
@settings(max_examples=300, derandomize=True)
def test_normalise_equals_its_plain_definition(text):
    out = normalise(text)
    assert len(out) == len(text)
    assert out == _normalise_reference(text)
    assert normalise(out) == out


def test_normalise_converts_a_run_of_marks_beside_chinese():
    assert normalise("一:, 1,000 10:30 (记者") == "一：， 1,000 10:30 （记者"


@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 8)), min_size=1, max_size=8),
       st.lists(st.tuples(st.integers(0, 40), st.integers(1, 10)), max_size=12))
@settings(max_examples=300, derandomize=True)
def test_raw_spans_equal_raw_span(pieces, spans):
    """OffsetMap.raw_spans (many spans at once) gives what raw_span gives span by span."""
    builder = TextBuilder()
    raw_pos = 0
    for gap, length in pieces:
        raw_pos += gap
        builder.add("字" * (length + 1), raw_pos)
        raw_pos += length + 1
    text, rmap = builder.build()
    spans = [(s % len(text), min(len(text), s % len(text) + n)) for s, n in spans]
    starts, ends = [s for s, _ in spans], [e for _, e in spans]
    assert rmap.raw_spans(starts, ends) == ([rmap.raw_span(s, e)[0] for s, e in spans], [rmap.raw_span(s, e)[1] for s, e in spans])


@given(st.lists(st.tuples(st.integers(-2, 12), st.integers(0, 4)), max_size=10),
       st.lists(st.tuples(st.integers(0, 40), st.integers(0, 12)), max_size=6))
@settings(max_examples=300, derandomize=True)
def test_text_builder_maps_every_character(pieces, slices):
    """TextBuilder's runs map every character as a character-by-character map does, for pieces
    that continue the last run or not (raw offsets may even go back), and add_mapped slices of a
    built text map through it."""
    builder, raws, parts = TextBuilder(), [], []
    for raw, length in pieces:
        piece = "".join(chr(0x4E00 + len(parts) + k) for k in range(length))
        builder.add(piece, raw)
        parts.append(piece)
        raws.extend(range(raw, raw + length))
    text, rmap = builder.build()
    assert text == "".join(parts) and rmap.length == len(text)
    assert [rmap.raw(i) for i in range(len(text))] == raws
    assert all(a < b for a, b in zip(rmap.starts, rmap.starts[1:]))  # runs are never empty
    assert all(rmap.raw_starts[k] + rmap.starts[k + 1] - rmap.starts[k] != rmap.raw_starts[k + 1]
               for k in range(len(rmap.starts) - 1))  # a run that continues the last one joins it
    if not text:
        return
    again = TextBuilder()
    expected = []
    for start, length in slices:
        start %= len(text)
        piece = text[start : start + length]
        again.add_mapped(piece, rmap, start)
        expected.extend(raws[start : start + len(piece)])
    derived, dmap = again.build()
    assert [dmap.raw(i) for i in range(len(derived))] == expected
