"""Stage 6: page records -> Arrow tables of the output contract.

``page_tables`` turns one processed page (its raw page, clean page, articles and what
was found in each) into one ``pyarrow.Table`` per output table, cast to the schemas of
``pipeline.schema``. Columns are built as plain lists and converted in bulk.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

import pyarrow as pa

from pipeline import __version__
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


class _Columns(dict):
    """Column lists of one table, appended row by row, converted once."""

    def __init__(self, table: str):
        super().__init__((name, []) for name in TABLES[table].names)
        self.table = table

    def to_arrow(self) -> pa.Table:
        return pa.Table.from_pydict(dict(self), schema=TABLES[self.table].schema)


def empty_tables() -> dict[str, pa.Table]:
    """Return one empty table per output table."""
    return {name: t.schema.empty_table() for name, t in TABLES.items()}


def page_tables(page: ProcessedPage) -> dict[str, pa.Table]:
    """Turn one processed page into one Arrow table per output table.

    In: ``ProcessedPage``. Out: ``{table name: pyarrow.Table}`` with every table of the
    contract (empty where the page has no rows), cast to ``pipeline.schema``.
    """
    cols = {name: _Columns(name) for name in TABLES}
    raw, clean = page.raw, page.clean
    p = cols["pages"]
    for name, value in [
        ("page_id", page.page_id),
        ("source_path", raw.source_path),
        ("sha256", raw.sha256),
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
    if clean is not None:
        r = cols["removed"]
        for rem in clean.removed:
            r["page_id"].append(page.page_id)
            r["raw_start"].append(rem.raw_start)
            r["raw_end"].append(rem.raw_end)
            r["text"].append(rem.text)
            r["reason"].append(rem.reason)
            r["kept_raw_start"].append(rem.kept_raw_start)
            r["kept_raw_end"].append(rem.kept_raw_end)
    for pa_ in page.articles:
        _article_rows(cols, page.page_id, pa_)
    return {name: c.to_arrow() for name, c in cols.items()}


def _article_rows(cols: dict[str, _Columns], page_id: str, pa_: ProcessedArticle) -> None:
    art = pa_.article
    aid = article_id(page_id, art.seq)
    text, rmap = art.text, art.raw_map
    raw_span = rmap.raw_span

    a = cols["articles"]
    rs, re_ = raw_span(0, len(text)) if text else (None, None)
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

    par = cols["paragraphs"]
    for para in art.paragraphs:
        rs, re_ = raw_span(para.start, para.end)
        for name, value in [
            ("article_id", aid),
            ("seq", para.seq),
            ("kind", para.kind),
            ("text", text[para.start : para.end]),
            ("start", para.start),
            ("end", para.end),
            ("raw_start", rs),
            ("raw_end", re_),
        ]:
            par[name].append(value)

    sent = cols["sentences"]
    sent_starts = [s.start for s in art.sentences]
    sids = [sentence_id(aid, s.seq) for s in art.sentences]
    for s, sid in zip(art.sentences, sids):
        rs, re_ = raw_span(s.start, s.end)
        for name, value in [
            ("sentence_id", sid),
            ("article_id", aid),
            ("paragraph_seq", s.paragraph_seq),
            ("seq", s.seq),
            ("text", text[s.start : s.end]),
            ("start", s.start),
            ("end", s.end),
            ("raw_start", rs),
            ("raw_end", re_),
        ]:
            sent[name].append(value)

    def sid_of(start: int) -> str | None:
        k = bisect_right(sent_starts, start) - 1
        return sids[k] if k >= 0 and start < art.sentences[k].end else None

    tok = cols["tokens"]
    toks = pa_.tokens
    seq_in_sentence: dict[str, int] = {}
    for w, pos, s, e in zip(toks.words, toks.pos, toks.starts, toks.ends):
        sid = sid_of(s)
        if sid is None:
            continue
        n = seq_in_sentence.get(sid, 0)
        seq_in_sentence[sid] = n + 1
        tok["sentence_id"].append(sid)
        tok["article_id"].append(aid)
        tok["seq"].append(n)
        tok["word"].append(w)
        tok["pos"].append(pos)
        tok["start"].append(s)
        tok["end"].append(e)

    facts = pa_.facts
    for table, rows, fields in [
        ("entities", facts.entities, ("type", "text", "name", "source")),
        ("person_roles", facts.person_roles, ("person", "title", "org")),
        ("quantities", facts.quantities, ("text", "value", "unit", "kind", "qualifier", "low", "high", "noun")),
        ("dates", facts.dates, ("text", "value", "precision", "year_inferred", "kind")),
    ]:
        t = cols[table]
        for row in rows:
            t["article_id"].append(aid)
            t["sentence_id"].append(sid_of(row.start))
            for f in fields:
                t[f].append(getattr(row, f))
            if table == "person_roles":
                t["text"].append(text[row.start : row.end])
            rs, re_ = raw_span(row.start, row.end)
            t["start"].append(row.start)
            t["end"].append(row.end)
            t["raw_start"].append(rs)
            t["raw_end"].append(re_)
