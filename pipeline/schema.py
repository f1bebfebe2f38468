"""The one declaration of every output table: columns, types and descriptions.

The writer casts every batch to these schemas (drift fails loudly), and
``docs/tables.md`` is generated from them (``python -m pipeline docs``).
Bump ``SCHEMA_VERSION`` whenever a column is renamed, dropped or changes meaning.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

SCHEMA_VERSION = "1"


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    type: pa.DataType
    description: str
    nullable: bool = True


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    one_row_per: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]

    @property
    def schema(self) -> pa.Schema:
        """Return the pyarrow schema, each field carrying its description as metadata."""
        return pa.schema(
            [pa.field(c.name, c.type, c.nullable, metadata={"description": c.description}) for c in self.columns],
            metadata={"table": self.name, "schema_version": SCHEMA_VERSION},
        )

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


S, I32, I64, F64, B, D = pa.string(), pa.int32(), pa.int64(), pa.float64(), pa.bool_(), pa.date32()

ARTICLE_ID = Column("article_id", S, "page_id, '-', and the article's order on the page (3 digits)", False)
SENTENCE_ID = Column("sentence_id", S, "article_id, '-', and the sentence's order in the article (4 digits)")
START = Column("start", I32, "offset of the first character in articles.text (Python string offset)", False)
END = Column("end", I32, "offset after the last character in articles.text (exclusive)", False)
RAW_START = Column("raw_start", I64, "offset of the first character in the page's decoded raw text")
RAW_END = Column("raw_end", I64, "offset after the last character in the page's decoded raw text; spans OCR line breaks")

TABLES: dict[str, Table] = {
    t.name: t
    for t in [
        Table(
            "pages",
            "input page (file), including quarantined ones",
            ("page_id",),
            (
                Column("page_id", S, "stable page key: first 16 hex digits of the SHA-256 of the file's bytes", False),
                Column("source_path", S, "path of the raw file as given to the run"),
                Column("sha256", S, "SHA-256 of the raw file's bytes (hex)"),
                Column("encoding", S, "detected text encoding (utf-8, utf-8-sig, gb18030, big5, utf-16-le, ...)"),
                Column("paper", S, "newspaper name from the sidecar, when given"),
                Column("issue_date", D, "issue date: from the sidecar, the path, the caller, or inferred from the page's dates"),
                Column("issue_date_source", S, "where issue_date came from: sidecar / path / argument / inferred; null when unknown"),
                Column("page_no", I32, "page (版) number from the sidecar or the file name"),
                Column("n_chars_raw", I64, "characters in the decoded raw text"),
                Column("n_chars_clean", I64, "characters in the cleaned page text"),
                Column("n_articles", I32, "articles and photo captions found on the page"),
                Column("n_removed", I32, "passages removed by cleaning (see the removed table)"),
                Column("n_joins", I32, "OCR line breaks repaired (lines joined into their paragraph)"),
                Column("status", S, "ok, or quarantined when the file could not be read as a text page", False),
                Column("error", S, "why the page was quarantined, in words a person understands; null when ok"),
                Column("pipeline_version", S, "version of the pipeline that produced the rows", False),
                Column("schema_version", S, "version of these table schemas", False),
            ),
        ),
        Table(
            "articles",
            "article, photo caption or sidebar",
            ("article_id",),
            (
                ARTICLE_ID,
                Column("page_id", S, "page the article is on", False),
                Column("seq", I32, "order of the article on the page, from 0", False),
                Column("kind", S, "news / photo / sidebar / other", False),
                Column("kicker", S, "引题: the line above the main title"),
                Column("title", S, "主题: the main title"),
                Column("subtitle", S, "副题: the line below the main title"),
                Column("byline", S, "byline or dateline (本报讯（记者… 通讯员…）) or photo credit line; not part of text"),
                Column("text", S, "body: paragraphs and in-article subheads joined by newlines", False),
                Column("raw_start", I64, "raw offset of the first body character"),
                Column("raw_end", I64, "raw offset after the last body character"),
                Column("duplicate_of", S, "article_id of an earlier copy of this article (a reprint on another page or issue)"),
                Column("duplicate_score", F64, "share of this article's fingerprints found in duplicate_of"),
            ),
        ),
        Table(
            "paragraphs",
            "paragraph or in-article subhead",
            ("article_id", "seq"),
            (
                ARTICLE_ID,
                Column("seq", I32, "order of the paragraph in the article, from 0", False),
                Column("kind", S, "body / heading", False),
                Column("text", S, "the paragraph's text", False),
                START,
                END,
                RAW_START,
                RAW_END,
            ),
        ),
        Table(
            "sentences",
            "sentence",
            ("sentence_id",),
            (
                Column("sentence_id", S, SENTENCE_ID.description, False),
                ARTICLE_ID,
                Column("paragraph_seq", I32, "paragraphs.seq of the paragraph holding the sentence", False),
                Column("seq", I32, "order of the sentence in the article, from 0", False),
                Column("text", S, "the sentence's text", False),
                START,
                END,
                RAW_START,
                RAW_END,
            ),
        ),
        Table(
            "tokens",
            "jieba token",
            ("sentence_id", "seq"),
            (
                Column("sentence_id", S, "sentence holding the token", False),
                ARTICLE_ID,
                Column("seq", I32, "order of the token in the sentence, from 0", False),
                Column("word", S, "the token's text", False),
                Column("pos", S, "jieba part-of-speech tag (ICTCLAS tag set: n, v, nr, ns, nt, m, x, ...)", False),
                START,
                END,
            ),
        ),
        Table(
            "entities",
            "mention of a person, organisation or place",
            ("article_id", "start", "end", "type"),
            (
                ARTICLE_ID,
                SENTENCE_ID,
                Column("type", S, "PERSON / ORG / LOC", False),
                Column("text", S, "the mention as written", False),
                Column("name", S, "canonical form: abbreviations (市总) resolved to the full name the page gives", False),
                START,
                END,
                RAW_START,
                RAW_END,
                Column("source", S, "which rule or signal found the mention", False),
            ),
        ),
        Table(
            "person_roles",
            "person with a title or role",
            ("article_id", "start", "end"),
            (
                ARTICLE_ID,
                SENTENCE_ID,
                Column("person", S, "the person's name (full name where the article gives it)", False),
                Column("title", S, "title or role (副主席, 记者, 教授, ...)"),
                Column("org", S, "organisation the title belongs to, canonical form"),
                Column("text", S, "the whole role phrase as written"),
                START,
                END,
                RAW_START,
                RAW_END,
            ),
        ),
        Table(
            "credits",
            "person credited in a byline or photo credit",
            ("article_id", "role", "name"),
            (
                ARTICLE_ID,
                Column("role", S, "记者 / 通讯员 / 摄影 / 特约记者 / 撰文 / ...", False),
                Column("name", S, "the credited person's name", False),
                Column("source", S, "byline / photo_credit", False),
            ),
        ),
        Table(
            "quantities",
            "number with its unit",
            ("article_id", "start", "end"),
            (
                ARTICLE_ID,
                SENTENCE_ID,
                Column("text", S, "the quantity as written, qualifier included (近300场次)", False),
                Column("value", F64, "value in base units: 1.72亿元 -> 172000000, 五分之一 -> 0.2, 50% -> 0.5"),
                Column("unit", S, "measure word or currency (元, 人次, 家); null when none"),
                Column("kind", S, "count / money / percent / fraction / measure / duration / ordinal", False),
                Column("qualifier", S, "exact / approx / more_than / at_least / less_than / at_most / range", False),
                Column("low", F64, "lower bound implied by the qualifier (null when open)"),
                Column("high", F64, "upper bound implied by the qualifier (null when open)"),
                Column("noun", S, "the counted noun when it follows (100名劳模 -> 劳模)"),
                START,
                END,
                RAW_START,
                RAW_END,
            ),
        ),
        Table(
            "dates",
            "date or date expression",
            ("article_id", "start", "end"),
            (
                ARTICLE_ID,
                SENTENCE_ID,
                Column("text", S, "the expression as written", False),
                Column("value", S, "ISO value as precise as the text: 2021, 2021-05, 2021-05-15; periods as 2021/2025", False),
                Column("precision", S, "year / month / day / period", False),
                Column("year_inferred", B, "true when the year is not written but inferred from the issue date", False),
                Column("kind", S, "absolute / month_day / relative / period"),
                START,
                END,
                RAW_START,
                RAW_END,
            ),
        ),
        Table(
            "removed",
            "passage removed by cleaning",
            ("page_id", "raw_start"),
            (
                Column("page_id", S, "page the passage was removed from", False),
                Column("raw_start", I64, "raw offset of the removed passage", False),
                Column("raw_end", I64, "raw offset after the removed passage", False),
                Column("text", S, "the removed text (lines joined by newlines)", False),
                Column("reason", S, "duplicate / near_duplicate / furniture", False),
                Column("kept_raw_start", I64, "for duplicates: raw offset where the kept copy starts"),
                Column("kept_raw_end", I64, "for duplicates: raw offset after the kept copy's matching part"),
            ),
        ),
    ]
}


def render_markdown() -> str:
    """Return the data dictionary (``docs/tables.md``) rendered from ``TABLES``."""
    out = [
        "# Data dictionary",
        "",
        "Generated from `pipeline/schema.py` by `python -m pipeline docs`; do not edit by hand.",
        f"Schema version {SCHEMA_VERSION}. Each table is a Parquet dataset directory `output/<table>/`.",
        "",
    ]
    for t in TABLES.values():
        out += [f"## {t.name}", "", f"One row per {t.one_row_per}. Key: {', '.join(f'`{k}`' for k in t.key)}.", ""]
        out += ["| column | type | null | description |", "|---|---|---|---|"]
        for c in t.columns:
            out.append(f"| `{c.name}` | {c.type} | {'yes' if c.nullable else 'no'} | {c.description} |")
        out.append("")
    return "\n".join(out)
