"""The plain records that flow between stages.

A page enters as bytes and leaves as rows. Every stage takes and returns these
records (or plain ``str``/lists), never touches the file system, and reports
``start``/``end`` as Python string offsets into the text it was given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from pipeline.offsets import OffsetMap


@dataclass(slots=True)
class RawPage:
    """A decoded page: the text every ``raw_start``/``raw_end`` points into."""

    text: str
    source_path: str | None = None
    sha256: str = ""
    encoding: str = "utf-8"
    paper: str | None = None
    issue_date: date | None = None
    issue_date_source: str | None = None  # "sidecar" / "path" / "argument" / "inferred"
    page_no: int | None = None
    error: str | None = None  # set when the page cannot be read: it is quarantined


@dataclass(slots=True)
class Removal:
    """A passage the cleaner dropped, in raw coordinates."""

    raw_start: int
    raw_end: int
    text: str
    reason: str  # "duplicate" / "near_duplicate" / "furniture" / ...
    kept_raw_start: int | None = None  # where the kept copy starts (duplicates)
    kept_raw_end: int | None = None


@dataclass(slots=True)
class CleanPage:
    """Cleaned page text: one logical paragraph or heading line per ``\\n``-separated line.

    ``raw_map.raw(i)`` is the raw offset of clean character ``i``; a character the cleaner
    inserted (a line separator) maps to the raw offset of the whitespace it replaces.
    """

    text: str
    raw_map: OffsetMap
    removed: list[Removal] = field(default_factory=list)
    n_joins: int = 0
    gaps: list[int] = field(default_factory=list)  # blank lines in raw before each clean line


@dataclass(slots=True)
class Paragraph:
    seq: int
    kind: str  # "body" / "heading"
    start: int
    end: int


@dataclass(slots=True)
class Sentence:
    seq: int
    paragraph_seq: int
    start: int
    end: int


@dataclass(slots=True)
class Credit:
    role: str  # "记者" / "通讯员" / "摄影" / ...
    name: str
    source: str = "byline"  # "byline" / "photo_credit"
    raw_start: int | None = None
    raw_end: int | None = None


@dataclass(slots=True)
class Article:
    """One article or photo caption of a page.

    ``text`` is the body (paragraphs and in-article subheads joined by ``\\n``) without
    title lines or byline; ``raw_map`` maps each character of ``text`` to raw offsets.
    """

    seq: int
    kind: str  # "news" / "photo" / "sidebar" / "other"
    text: str
    raw_map: OffsetMap
    kicker: str | None = None
    title: str | None = None
    subtitle: str | None = None
    byline: str | None = None
    credits: list[Credit] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    duplicate_of: str | None = None


@dataclass(slots=True)
class Tokens:
    """Columnar jieba tokens of one text: parallel lists, offsets into that text."""

    words: list[str] = field(default_factory=list)
    pos: list[str] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.words)


@dataclass(slots=True)
class Entity:
    type: str  # "PERSON" / "ORG" / "LOC"
    text: str
    name: str  # canonical form (abbreviations resolved)
    start: int
    end: int
    source: str  # how it was found: "byline", "title_context", "org_suffix", "lexicon", "jieba", ...


@dataclass(slots=True)
class PersonRole:
    person: str
    title: str | None
    org: str | None
    start: int
    end: int


@dataclass(slots=True)
class Quantity:
    text: str
    value: float | None
    unit: str | None
    kind: str  # count / money / percent / fraction / measure / duration / ordinal
    qualifier: str  # exact / approx / more_than / at_least / less_than / at_most / range
    low: float | None
    high: float | None
    start: int
    end: int
    noun: str | None = None  # the counted noun when it follows (100名劳模 -> 劳模)


@dataclass(slots=True)
class DateMention:
    text: str
    value: str  # ISO as precise as the text: "2021", "2021-05", "2021-05-15"; periods "2021/2025"
    precision: str  # year / month / day / period
    year_inferred: bool
    start: int
    end: int
    kind: str = "absolute"  # absolute / month_day / relative / period


@dataclass(slots=True)
class Facts:
    """Everything ``extract`` finds in one article body."""

    entities: list[Entity] = field(default_factory=list)
    person_roles: list[PersonRole] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
