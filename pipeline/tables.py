"""Stage 6: page records -> Arrow tables of the output contract.

``page_tables`` turns one processed page (its raw page, clean page, articles and what
was found in each) into one ``pyarrow.Table`` per output table, cast to the schemas of
``pipeline.schema``. ``chunk_tables`` does the same for a chunk of pages at once and
``split_tables`` cuts the result back into pages: columns are built as plain lists and
converted in bulk, once per table per chunk.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import compress, repeat
from operator import attrgetter

import numpy as np
import pyarrow as pa

from pipeline import __version__
from pipeline.collector import collector_paused
from pipeline.offsets import OffsetMap
from pipeline.record import Article, CleanPage, Facts, RawPage, Tokens
from pipeline.schema import SCHEMA_VERSION, TABLES


@dataclass(slots=True)
class ProcessedArticle:
    """An article with its tokens and facts, ready to become rows."""

    article: Article
    tokens: Tokens
    facts: Facts
    duplicate_of: str | None = None
    duplicate_score: float | None = None


@dataclass(slots=True)
class ProcessedPage:
    """Everything the stages produced for one page."""

    raw: RawPage
    page_id: str
    clean: CleanPage | None = None
    articles: list[ProcessedArticle] = field(default_factory=list)


def article_id(page_id: str, seq: int) -> str:
    """Return the stable article key."""
    return f"{page_id}-{seq:03d}"


def sentence_id(art_id: str, seq: int) -> str:
    """Return the stable sentence key."""
    return f"{art_id}-{seq:04d}"


# Built once: ``Table.schema`` constructs a new schema object on every access.
SCHEMAS: dict[str, pa.Schema] = {name: t.schema for name, t in TABLES.items()}
_EMPTY: dict[str, pa.Table] = {name: schema.empty_table() for name, schema in SCHEMAS.items()}


class _Columns(dict):
    """Column lists of one table, filled row by row or column by column, converted once."""

    def __init__(self, table: str):
        super().__init__((name, []) for name in TABLES[table].names)
        self.table = table
        self.first = TABLES[table].names[0]  # filled for every row: its length counts them
        # Rows that point into an article (``_span_rows``) get their raw offsets in bulk, at
        # conversion: per run of rows, the article's base on the chunk's line (-1: the rows'
        # raw offsets are in the raw_start/raw_end lists already) and the number of rows.
        self.span_bases: list[int] = []
        self.span_counts: list[int] = []

    def n_rows(self) -> int:
        return len(self[self.first])

    def to_arrow(self, line: _ChunkLine) -> pa.Table:
        if not any(self.values()):
            return _EMPTY[self.table]
        schema = SCHEMAS[self.table]  # one array per column: cheaper than Table.from_pydict
        columns = dict(self)
        if self.span_bases:
            columns["raw_start"], columns["raw_end"] = self._raw_spans(line)
        return pa.Table.from_arrays([pa.array(columns[f.name], f.type) for f in schema], schema=schema)

    def _raw_spans(self, line: _ChunkLine) -> tuple[np.ndarray, np.ndarray]:
        """The raw starts and ends of all rows, as ``OffsetMap.raw_spans`` gives them."""
        bases = np.repeat(np.array(self.span_bases, np.int64), np.array(self.span_counts, np.int64))
        deferred = bases >= 0
        raw_starts, raw_ends = np.empty(len(bases), np.int64), np.empty(len(bases), np.int64)
        raw_starts[~deferred] = np.array(self["raw_start"], np.int64)
        raw_ends[~deferred] = np.array(self["raw_end"], np.int64)
        if deferred.any():
            starts = np.array(self["start"], np.int64)[deferred] + bases[deferred]
            last = np.array(self["end"], np.int64)[deferred] - 1 + bases[deferred]
            raw_starts[deferred] = line.raw(starts)
            raw_ends[deferred] = line.raw(last) + 1
        return raw_starts, raw_ends


class _ChunkLine:
    """The offset maps of a chunk's articles laid end to end on one line, for bulk lookups.

    Each article's map starts at its own base on the line, past the end of the article
    before: one ``numpy.searchsorted`` over all the runs then maps every row of the chunk
    to raw offsets, where ``OffsetMap.raw_spans`` would bisect once per row.
    """

    def __init__(self) -> None:
        self.runs: list[int] = []  # run starts on the line
        self.raw_starts: list[int] = []
        self.end = 0
        self._arrays: tuple[np.ndarray, np.ndarray] | None = None

    def add(self, rmap: OffsetMap) -> int:
        """Place ``rmap`` on the line; return its base, or -1 when its runs do not start at 0 and
        rise (only ``TextBuilder`` maps, which always do, are placed: others keep ``raw_spans``)."""
        runs = rmap.starts
        if not runs or runs[0] != 0 or not all(map(int.__lt__, runs, runs[1:])):
            return -1
        base = self.end
        self.runs.extend([r + base for r in runs])
        self.raw_starts.extend(rmap.raw_starts)
        self.end = base + max(rmap.length, runs[-1]) + 1
        self._arrays = None
        return base

    def raw(self, at: np.ndarray) -> np.ndarray:
        """Return the raw offset of each line offset in ``at`` (each inside a placed map)."""
        if self._arrays is None:
            self._arrays = np.array(self.runs, np.int64), np.array(self.raw_starts, np.int64)
        runs, raws = self._arrays
        k = np.searchsorted(runs, at, side="right") - 1
        return raws[k] + (at - runs[k])


class _TokenColumns:
    """Token rows of a chunk of pages, gathered as plain lists and converted once.

    Tokens are most of a chunk's rows, so no Python step runs per token here: every
    article's text is placed at its own offset on one line (``base``), so a single
    ``numpy.searchsorted`` over all the chunk's sentences finds each token's sentence, and
    ids are taken from small arrays of article and sentence ids.
    """

    def __init__(self) -> None:
        self.article_ids: list[str] = []
        self.sentence_ids: list[str] = []
        self.counts: list[int] = []  # tokens per article
        self.pages: list[int] = []  # per article: the page of the chunk it is on
        self.bases: list[int] = []  # per article: where its text starts on the common line
        self.sent_starts: list[int] = []  # on the common line
        self.sent_ends: list[int] = []
        self.words: list[str] = []
        self.pos: list[str] = []
        self.starts: list[int] = []  # in the article's text
        self.ends: list[int] = []
        self.base = 0
        self.page = -1

    def start_page(self) -> None:
        """Count the articles added from now on as the next page's."""
        self.page += 1

    def add_article(self, aid: str, sids: list[str], sentences: list, toks: Tokens) -> None:
        """Add the tokens of one article; those outside its sentences are dropped later."""
        if not sentences or not toks.starts:
            return
        base = self.base
        self.pages.append(self.page)
        self.article_ids.append(aid)
        self.sentence_ids.extend(sids)
        self.sent_starts.extend([s.start + base for s in sentences])
        self.sent_ends.extend([s.end + base for s in sentences])
        self.counts.append(len(toks.starts))
        self.bases.append(base)
        self.words.extend(toks.words)
        self.pos.extend(toks.pos)
        self.starts.extend(toks.starts)
        self.ends.extend(toks.ends)
        # past this article's last token and sentence: no sentence reaches the next article
        self.base = base + max(toks.ends[-1], sentences[-1].end) + 1

    def to_arrow(self, n_pages: int) -> tuple[pa.Table, list[int]]:
        """Return the token table and the number of its rows on each page of the chunk."""
        if not self.words:
            return _EMPTY["tokens"], [0] * n_pages
        counts = np.array(self.counts, np.int64)
        article = np.repeat(np.arange(len(counts)), counts)
        starts = np.array(self.starts, np.int64)
        ends = np.array(self.ends, np.int64)
        on_line = starts + np.repeat(np.array(self.bases, np.int64), counts)
        sent_ends = np.array(self.sent_ends, np.int64)
        k = np.searchsorted(np.array(self.sent_starts, np.int64), on_line, side="right") - 1
        inside = (k >= 0) & (on_line < sent_ends[np.maximum(k, 0)])
        words, pos = self.words, self.pos
        if not inside.all():
            keep = inside.tolist()
            words, pos = list(compress(words, keep)), list(compress(pos, keep))
            k, article, starts, ends = k[inside], article[inside], starts[inside], ends[inside]
            if not len(k):
                return _EMPTY["tokens"], [0] * n_pages
        # order in the sentence: position minus the position of the sentence's first token
        idx = np.arange(len(k))
        first_of_sentence = np.ones(len(k), bool)
        first_of_sentence[1:] = k[1:] != k[:-1]
        seq = idx - np.maximum.accumulate(np.where(first_of_sentence, idx, 0))
        schema = SCHEMAS["tokens"]
        columns = {
            "sentence_id": pa.array(self.sentence_ids, pa.string()).take(k),
            "article_id": pa.array(self.article_ids, pa.string()).take(article),
            "seq": pa.array(seq.astype(np.int32)),
            "word": pa.array(words, pa.string()),
            "pos": pa.array(pos, pa.string()),
            "start": pa.array(starts.astype(np.int32)),
            "end": pa.array(ends.astype(np.int32)),
        }
        per_page = np.bincount(np.array(self.pages, np.int64)[article], minlength=n_pages).tolist()
        return pa.Table.from_arrays([columns[name] for name in schema.names], schema=schema), per_page


def empty_tables() -> dict[str, pa.Table]:
    """Return one empty table per output table."""
    return dict(_EMPTY)


def page_tables(page: ProcessedPage) -> dict[str, pa.Table]:
    """Turn one processed page into one Arrow table per output table.

    In: ``ProcessedPage``. Out: ``{table name: pyarrow.Table}`` with every table of the
    contract (empty where the page has no rows), cast to ``pipeline.schema``.
    """
    tables, _ = chunk_tables([page])
    return tables


@collector_paused  # no cycles to find: see pipeline.collector
def chunk_tables(pages: list[ProcessedPage]) -> tuple[dict[str, pa.Table], dict[str, list[int]]]:
    """Turn a chunk of processed pages into one Arrow table per output table.

    Rows come page by page in the order given. Converting to Arrow costs a fixed amount
    per column whatever its length, so a chunk of pages is converted at once rather than
    each page on its own. Out: the tables and, per table, the number of rows of each page
    (``split_tables`` cuts the tables back into pages).
    """
    line = _ChunkLine()
    cols = {name: _Columns(name) for name in TABLES if name != "tokens"}
    tokens = _TokenColumns()
    counts: dict[str, list[int]] = {name: [] for name in TABLES}
    for page in pages:
        before = {name: c.n_rows() for name, c in cols.items()}
        tokens.start_page()
        _page_rows(cols, tokens, line, page)
        for name, c in cols.items():
            counts[name].append(c.n_rows() - before[name])
    out = {name: c.to_arrow(line) for name, c in cols.items()}
    out["tokens"], counts["tokens"] = tokens.to_arrow(len(pages))
    return {name: out[name] for name in TABLES}, counts


def split_tables(tables: dict[str, pa.Table], counts: dict[str, list[int]]) -> list[dict[str, pa.Table]]:
    """Cut the tables of a chunk back into one set of tables per page (zero-copy slices)."""
    n_pages = len(counts["pages"])
    per_page: list[dict[str, pa.Table]] = [{} for _ in range(n_pages)]
    for name, table in tables.items():
        offset = 0
        for k, n in enumerate(counts[name]):
            per_page[k][name] = table.slice(offset, n) if n else _EMPTY[name]
            offset += n
    return per_page


def _page_rows(cols: dict[str, _Columns], tokens: _TokenColumns, line: _ChunkLine, page: ProcessedPage) -> None:
    """Append the rows of one page to the chunk's columns."""
    raw, clean = page.raw, page.clean
    p = cols["pages"]
    for name, value in [
        ("page_id", page.page_id),
        ("source_path", raw.source_path),
        ("sha256", raw.sha256 if len(raw.sha256) == 64 else None),  # a file not read has no hash
        ("encoding", raw.encoding or None),
        ("paper", raw.paper),
        ("issue_date", raw.issue_date),
        ("issue_date_source", raw.issue_date_source),
        ("page_no", raw.page_no),
        ("n_chars_raw", len(raw.text)),
        ("n_chars_clean", len(clean.text) if clean else 0),
        ("n_articles", len(page.articles)),
        ("n_removed", len(clean.removed) if clean else 0),
        ("n_joins", clean.n_joins if clean else 0),
        ("status", "quarantined" if raw.error else "ok"),
        ("error", raw.error),
        ("pipeline_version", __version__),
        ("schema_version", SCHEMA_VERSION),
    ]:
        p[name].append(value)
    if clean is not None and clean.removed:
        r = cols["removed"]
        removed = clean.removed
        r["page_id"].extend([page.page_id] * len(removed))
        r["raw_start"].extend([rem.raw_start for rem in removed])
        r["raw_end"].extend([rem.raw_end for rem in removed])
        r["text"].extend([rem.text for rem in removed])
        r["reason"].extend([rem.reason for rem in removed])
        r["kept_raw_start"].extend([rem.kept_raw_start for rem in removed])
        r["kept_raw_end"].extend([rem.kept_raw_end for rem in removed])
    for pa_ in page.articles:
        _article_rows(cols, tokens, line, page.page_id, pa_)


def _article_rows(cols: dict[str, _Columns], tokens: _TokenColumns, line: _ChunkLine, page_id: str,
                  pa_: ProcessedArticle) -> None:
    art = pa_.article
    aid = article_id(page_id, art.seq)
    text, rmap = art.text, art.raw_map
    a = cols["articles"]
    rs, re_ = rmap.raw_span(0, len(text)) if text else (None, None)
    for name, value in [
        ("article_id", aid),
        ("page_id", page_id),
        ("seq", art.seq),
        ("kind", art.kind),
        ("kicker", art.kicker),
        ("title", art.title),
        ("subtitle", art.subtitle),
        ("byline", art.byline),
        ("text", text),
        ("raw_start", rs),
        ("raw_end", re_),
        ("duplicate_of", pa_.duplicate_of),
        ("duplicate_score", pa_.duplicate_score),
    ]:
        a[name].append(value)

    c = cols["credits"]
    for cr in art.credits:
        c["article_id"].append(aid)
        c["role"].append(cr.role)
        c["name"].append(cr.name)
        c["source"].append(cr.source)

    sentences = art.sentences
    sids = [sentence_id(aid, s.seq) for s in sentences]
    base = line.add(rmap)
    _span_rows(cols["paragraphs"], art.paragraphs, text, rmap, aid, ("seq", "kind"), with_text=True, base=base)
    _span_rows(cols["sentences"], sentences, text, rmap, aid, ("paragraph_seq", "seq"), with_text=True,
               first={"sentence_id": sids}, base=base)
    tokens.add_article(aid, sids, sentences, pa_.tokens)

    sent_starts = [s.start for s in sentences]
    sent_ends = [s.end for s in sentences]

    def sentence_ids(rows: list) -> list[str | None]:
        """The id of the sentence each row starts in (None between sentences)."""
        out = []
        for row in rows:
            k = bisect_right(sent_starts, row.start) - 1
            out.append(sids[k] if k >= 0 and row.start < sent_ends[k] else None)
        return out

    facts = pa_.facts
    for table, rows, fields, with_text in [
        ("entities", facts.entities, ("type", "text", "name", "source"), False),
        ("person_roles", facts.person_roles, ("person", "title", "org"), True),
        ("quantities", facts.quantities, ("text", "value", "unit", "kind", "qualifier", "low", "high", "noun"), False),
        ("dates", facts.dates, ("text", "value", "precision", "year_inferred", "kind"), False),
    ]:
        if rows:
            _span_rows(cols[table], rows, text, rmap, aid, fields, with_text, {"sentence_id": sentence_ids(rows)}, base)


def _span_rows(t: _Columns, rows: list, text: str, rmap: OffsetMap, aid: str, fields: tuple[str, ...],
               with_text: bool = False, first: dict[str, list] | None = None, base: int = -1) -> None:
    """Append rows that point into an article: its id, ``fields`` of each row, their
    ``start``/``end``, the raw span of each and, when ``with_text``, the text they cover;
    ``first`` holds ready-made columns. With the article's ``base`` on the chunk's line
    (``_ChunkLine``), raw spans are looked up at conversion, for the whole chunk at once."""
    if not rows:
        return
    starts = [r.start for r in rows]
    ends = [r.end for r in rows]
    if base >= 0 and min(starts) >= 0 and max(ends) <= rmap.length and not any(map(int.__ge__, starts, ends)):
        t.span_bases.append(base)  # spans inside the text, none empty: the bulk lookup gives raw_spans' answer
    else:
        raw_starts, raw_ends = rmap.raw_spans(starts, ends)  # raises or handles empty spans as before
        t["raw_start"].extend(raw_starts)
        t["raw_end"].extend(raw_ends)
        t.span_bases.append(-1)
    t.span_counts.append(len(rows))
    t["article_id"].extend(repeat(aid, len(rows)))
    for name, column in (first or {}).items():
        t[name].extend(column)
    for f in fields:
        t[f].extend(map(attrgetter(f), rows))
    if with_text:
        t["text"].extend([text[s:e] for s, e in zip(starts, ends, strict=True)])
    t["start"].extend(starts)
    t["end"].extend(ends)
