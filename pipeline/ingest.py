"""Stage 1: bytes -> decoded page text and page metadata.

``ingest(data, source_path)`` detects the encoding (BOMs, UTF-8, GB18030/GBK, Big5,
UTF-16 without BOM), refuses what is not text (binary files, empty pages, pages over the
size limit) with a reason a person understands, and reads page metadata from a sidecar
or the path. ``read_page_bytes(path)`` is the one place a page file is read: it checks
the size with ``fstat`` before reading, so a 200 MB dump is refused without loading it.
``normalise`` is the character normalisation the cleaner applies first: it maps one
character to one character, so raw offsets survive it unchanged.

The size limit is ``PIPELINE_MAX_MB`` (environment, MiB, default 32); the command line's
``--max-mb`` sets it for the run and its workers.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import logging
import os
import re
import stat
from datetime import date
from pathlib import PurePath

from pipeline.record import RawPage

log = logging.getLogger(__name__)

DEFAULT_MAX_MB = 32  # a page is ~100 KB; far larger is a dump. Processing takes ~100 bytes of
# memory per byte of UTF-8 Chinese (5M characters, 14 MiB: 1.4 GB), so the limit also bounds memory.
MAX_MB_ENV = "PIPELINE_MAX_MB"

# Magic numbers of files that are often dropped into raw/ by mistake.
BINARY_SIGNATURES = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive (or DOCX/XLSX)",
    b"\x1f\x8b": "a gzip archive",
    b"II*\x00": "a TIFF image",
    b"MM\x00*": "a TIFF image",
    b"\xd0\xcf\x11\xe0": "an old Microsoft Office document",
    b"7z\xbc\xaf": "a 7-Zip archive",
    b"Rar!": "a RAR archive",
}

# (byte-order mark, codec that strips it, name reported in pages.encoding); UTF-32 first
# because its little-endian mark starts with UTF-16's.
BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32", "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32", "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16", "utf-16-be"),
]

# Control characters other than tab/newline/CR: many of them means the bytes are not text.
RE_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Han characters: a decoded page with none of them is not a Chinese newspaper page.
RE_HAN = re.compile(r"[\u3400-\u9fff]")


NO_TEXT = "no text: only spaces, line breaks or NUL bytes"


class UnreadablePage(ValueError):
    """The bytes are not a text page; the message says why, for the ``pages.error`` column."""


class PageTooLarge(UnreadablePage):
    """The file is over the size limit; it was refused without being read."""


def max_bytes() -> int:
    """Return the page size limit in bytes (``PIPELINE_MAX_MB``, default 32 MiB)."""
    raw = os.environ.get(MAX_MB_ENV, "").strip()
    try:
        mb = float(raw) if raw else DEFAULT_MAX_MB
    except ValueError:
        log.warning("ignoring %s=%r: not a number", MAX_MB_ENV, raw)
        mb = DEFAULT_MAX_MB
    return max(1, int(mb * 2**20))


def _too_large(size: int, limit: int) -> PageTooLarge:
    return PageTooLarge(
        f"file too large for one page: {size / 2**20:.1f} MiB > {limit / 2**20:g} MiB limit "
        f"(a page is ~100 KB; raise the limit with --max-mb if this really is one page)"
    )


def read_page_bytes(path: str | os.PathLike, limit: int | None = None) -> tuple[bytes, os.stat_result]:
    """Read one page file; return its bytes and its ``stat``.

    The size is checked on the open file before reading, so a file over ``limit`` bytes
    (default ``max_bytes()``) raises ``PageTooLarge`` without being read, and a file that
    grows while it is read is cut off at ``limit + 1`` bytes and refused. Raises
    ``UnreadablePage`` for something that is not a regular file and ``OSError`` (e.g.
    ``FileNotFoundError``, ``PermissionError``) when the file cannot be opened.
    """
    limit = max_bytes() if limit is None else limit
    # O_NONBLOCK: opening a FIFO dropped into raw/ must not hang the run.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise UnreadablePage("not a regular file (a folder, pipe or device)")
        if st.st_size > limit:
            raise _too_large(st.st_size, limit)
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(limit + 1)
    finally:
        os.close(fd)
    if len(data) > limit:
        raise _too_large(len(data), limit)
    return data, st


def sha256_hex(data: bytes) -> str:
    """Return the hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: str | os.PathLike, chunk: int = 1 << 20) -> str:
    """Return the hex SHA-256 of a file, read in chunks (never whole into memory)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()


def _looks_utf16(data: bytes) -> str | None:
    # UTF-16 without BOM, mostly ASCII: every other byte is NUL.
    if len(data) < 4 or len(data) % 2:
        return None
    sample = data[:4096]
    even_nul = sample[0::2].count(0) / (len(sample) / 2)
    odd_nul = sample[1::2].count(0) / (len(sample) / 2)
    if odd_nul > 0.3 and even_nul < 0.05:
        return "utf-16-le"
    if even_nul > 0.3 and odd_nul < 0.05:
        return "utf-16-be"
    return None


def _looks_chinese_utf16(data: bytes) -> str | None:
    # UTF-16 without BOM, mostly Chinese: no NULs, so each byte order is tried on a sample
    # and kept when it decodes cleanly into common Chinese characters (GB18030 bytes read
    # as UTF-16 give rare characters, surrogate errors or control characters). Only tried
    # after UTF-8, which Chinese UTF-16 practically never is.
    if len(data) < 4 or len(data) % 2:
        return None
    sample = data[:4096]
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = sample.decode(enc)
        except UnicodeDecodeError:
            continue  # a surrogate cut at the sample's end is rare enough to ignore
        if RE_CONTROL.search(text):
            continue
        if _score_text(text) > 0.3 and _common_share(text) > 0.3:
            return enc
    return None


def _score_text(text: str) -> float:
    """Return a plausibility score of decoded text: Han share minus control-char share."""
    if not text:
        return 0.0
    sample = text[:20000]
    return (len(RE_HAN.findall(sample)) - 5 * len(RE_CONTROL.findall(sample))) / len(sample)


def decode(data: bytes, source: str | None = None) -> tuple[str, str]:
    """Decode page bytes; return ``(text, encoding)`` or raise ``UnreadablePage``.

    ``source`` (the file's path) only names the page in log messages.
    """
    if not data.strip():
        raise UnreadablePage("empty file: no text at all" if not data else NO_TEXT)
    limit = max_bytes()
    if len(data) > limit:
        raise _too_large(len(data), limit)
    for sig, what in BINARY_SIGNATURES.items():
        if data.startswith(sig):
            raise UnreadablePage(f"binary file, not text: looks like {what}")
    text, encoding = _decode_text(data, source or "a page")
    text = text.rstrip("\x00")  # NUL padding after the text (pre-allocated files)
    if not text.strip(WHITESPACE_AND_NUL):
        raise UnreadablePage(NO_TEXT)
    if len(RE_CONTROL.findall(text[:20000])) > 0.05 * min(len(text), 20000):
        raise UnreadablePage("binary file, not text: too many control characters")
    if "\x00" in text:
        # Stray NULs some OCR tools leave carry nothing; dropping them here keeps them out
        # of every stage (raw offsets point into this decoded text, NULs already gone).
        log.info("%s: dropped %d NUL character(s)", source or "a page", text.count("\x00"))
        text = text.replace("\x00", "")
    if text.strip() and not RE_HAN.search(text):
        raise UnreadablePage(f"no Chinese characters after decoding as {encoding}: not a Chinese page")
    return text, encoding


# Characters that carry no text (NUL padding counts as blank).
WHITESPACE_AND_NUL = " \t\r\n\x00\x0b\x0c\u3000\ufeff"
# Up to this many invalid bytes (per MiB, at least 4) are replaced in otherwise valid
# UTF-8: a file cut inside its last character, or a few bytes damaged by the OCR tool.
MAX_BAD_UTF8_PER_MIB = 16


def _decode_nearly_utf8(data: bytes, source: str) -> tuple[str, str] | None:
    """Decode UTF-8 with a few invalid bytes replaced (U+FFFD); ``None`` if not nearly UTF-8."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    allowed = max(4, MAX_BAD_UTF8_PER_MIB * len(data) // 2**20)
    multibyte = sum(1 for ch in text[:20000] if ord(ch) > 0x7F and ch != "\ufffd")
    if bad > allowed or multibyte < 4 * bad:
        return None
    log.warning("%s: replaced %d invalid byte sequence(s) in otherwise valid UTF-8 with U+FFFD", source, bad)
    return text, "utf-8"


def _decode_text(data: bytes, source: str) -> tuple[str, str]:
    """Decode by byte-order mark, UTF-16 shape, UTF-8, nearly UTF-8, then GB18030/Big5."""
    for bom, codec, name in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), name
            except UnicodeDecodeError as exc:
                raise UnreadablePage(f"starts with a {name} byte-order mark but is not valid {name}: {exc.reason}") from exc
    enc16 = _looks_utf16(data)
    if enc16:
        try:
            return data.decode(enc16), enc16
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    enc16 = _looks_chinese_utf16(data)
    if enc16:
        try:
            return data.decode(enc16), enc16
        except UnicodeDecodeError:
            pass
    return _decode_nearly_utf8(data, source) or _decode_legacy(data)


def _decode_legacy(data: bytes) -> tuple[str, str]:
    """Decode non-UTF-8 bytes as the most plausible of GB18030 and Big5."""
    candidates = []
    for enc in ("gb18030", "big5"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        candidates.append((_score_text(text), enc, text))
    if not candidates:
        try:  # last resort: a statistical guess over all encodings
            from charset_normalizer import from_bytes

            best = from_bytes(data[:200000]).best()
        except Exception:  # noqa: BLE001 - any detector failure means "cannot decode"
            best = None
        if best is not None and best.encoding:
            try:
                return data.decode(best.encoding), best.encoding
            except (UnicodeDecodeError, LookupError):
                pass
        raise UnreadablePage("cannot decode as text (not UTF-8, UTF-16, GB18030 or Big5): probably a binary file")
    if len(candidates) == 2:
        # GB18030 decodes almost any byte string; Big5 text read as GB18030 yields rare
        # characters, so prefer Big5 only when it reads clearly better.
        gb, big5 = candidates
        if big5[0] > gb[0] + 0.05 and _common_share(big5[2]) > _common_share(gb[2]):
            return big5[2], big5[1]
        return gb[2], gb[1]
    return candidates[0][2], candidates[0][1]


# The most frequent Han characters of news text (general knowledge: the top of any
# character-frequency list); used only to tell GB18030 from Big5 mojibake.
COMMON_HAN = frozenset("的一是不了在人有我他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持取设始版双历越史商千片容研像找友孩站广改议形委早房音火际则首单据导影失拿网香似斯专石若兵弟谁校读志飞观争究包组造落视济喜离虽坏兴")


def _common_share(text: str) -> float:
    han = RE_HAN.findall(text[:20000])
    return sum(ch in COMMON_HAN for ch in han) / len(han) if han else 0.0


# --- character normalisation (one character in, one character out) -----------------

# Full-width digits and Latin letters to ASCII (U+FF10-FF19, U+FF21-FF3A, U+FF41-FF5A).
_FULLWIDTH_ALNUM = {
    **{0xFF10 + i: 0x30 + i for i in range(10)},
    **{0xFF21 + i: 0x41 + i for i in range(26)},
    **{0xFF41 + i: 0x61 + i for i in range(26)},
}
# Unicode spaces that OCR emits; they become plain spaces (the cleaner treats them as layout).
# NUL (padding some OCR tools leave in their output) is blank too.
_SPACES = {0x00A0: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x2009: 0x20, 0x200B: 0x20, 0xFEFF: 0x20, 0x0000: 0x20}
NORMALISE_TABLE = {**_FULLWIDTH_ALNUM, **_SPACES}

# ASCII punctuation whose Chinese form is full-width; applied only next to Chinese text.
ASCII_TO_FULLWIDTH = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "!": "！", "?": "？"}
_CJK = r"\u3400-\u9fff\u3000-\u303f\uff00-\uffef“”‘’《》、。…—"
# A run of ASCII marks with Chinese on at least one side, so 1,000 and 10:30 stay ASCII while
# "(记者" and "街道)" become full-width. The whole run converts: a full-width mark is itself
# Chinese context, so converting one mark at a time would go on (一:, -> 一：, -> 一：，) and
# normalising twice would differ from once. The pattern starts with one mark class, which
# the regex engine scans for quickly: a leading look-behind, and also a leading repeat such
# as ``[...]+``, is tried at every position instead (hence ``[x][x]*``, not ``[x]+``).
RE_ASCII_MARKS = re.compile(r"[,;:!?()][,;:!?()]*")
RE_CJK_CHAR = re.compile(rf"[{_CJK}]")
FULLWIDTH_MARKS = str.maketrans(ASCII_TO_FULLWIDTH)
# Runs of characters NORMALISE_TABLE changes: most text has few, and translating just the
# runs is several times faster than ``str.translate`` over a whole page. ``[x][x]*`` for the
# fast scan, as RE_ASCII_MARKS.
_NORMALISED = "[" + re.escape("".join(map(chr, NORMALISE_TABLE))) + "]"
RE_NORMALISE_RUN = re.compile(_NORMALISED + _NORMALISED + "*")


def _translate_run(m: re.Match) -> str:
    return m.group().translate(NORMALISE_TABLE)


def _fullwidth_marks(m: re.Match) -> str:
    text, (start, end) = m.string, m.span()
    if (start and RE_CJK_CHAR.match(text, start - 1)) or RE_CJK_CHAR.match(text, end):
        return m.group().translate(FULLWIDTH_MARKS)
    return m.group()


def normalise(text: str) -> str:
    """Return ``text`` with full-width alphanumerics as ASCII and ASCII punctuation in Chinese as full-width.

    Length-preserving: character ``i`` of the result comes from character ``i`` of the input.
    Decimals (1.72) and ASCII-only runs (10:30, 1,000) are kept. Idempotent.
    """
    text = RE_NORMALISE_RUN.sub(_translate_run, text)
    return RE_ASCII_MARKS.sub(_fullwidth_marks, text)


# --- page metadata -------------------------------------------------------------------

# A date in a path: 2021-05-20, 2021_05_20, 20210520, 2021/05/20.
RE_PATH_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})[-_/.]?(0[1-9]|1[0-2])[-_/.]?(0[1-9]|[12]\d|3[01])(?!\d)")
# A page number in a file name: p03, page_3, 第3版, 03版.
RE_PATH_PAGE = re.compile(r"(?:(?<![a-z])p(?:age)?[-_]?|第)(\d{1,3})(?:版)?(?!\d)|(?<!\d)(\d{1,3})版", re.I)


def sidecar_path(source_path: str) -> str:
    """Return the metadata sidecar path of a page: ``page.txt`` -> ``page.json``."""
    p = PurePath(source_path)
    return str(p.with_suffix(".json"))


def metadata_from_path(source_path: str) -> dict:
    """Read issue date and page number from a path such as ``raw/2021-05-20/p03.txt``."""
    meta: dict = {}
    matches = list(RE_PATH_DATE.finditer(source_path))
    m = matches[-1] if matches else None  # the innermost folder or file name wins
    if m:
        try:
            meta["issue_date"] = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            pass
    pm = RE_PATH_PAGE.search(PurePath(source_path).name)
    if pm:
        meta["page_no"] = int(pm.group(1) or pm.group(2))
    return meta


def metadata_from_sidecar(raw_json: bytes | str | None) -> dict:
    """Parse a sidecar ``{"paper": ..., "issue_date": "YYYY-MM-DD", "page_no": n}``."""
    if not raw_json:
        return {}
    try:
        obj = json.loads(raw_json)
    except (json.JSONDecodeError, UnicodeDecodeError):
        log.warning("ignoring a sidecar that is not JSON")
        return {}
    meta: dict = {}
    if isinstance(obj.get("paper"), str):
        meta["paper"] = obj["paper"]
    if obj.get("issue_date"):
        try:
            meta["issue_date"] = date.fromisoformat(str(obj["issue_date"]))
        except ValueError:
            log.warning("ignoring sidecar issue_date %r", obj["issue_date"])
    if obj.get("page_no") is not None:
        try:
            meta["page_no"] = int(obj["page_no"])
        except (TypeError, ValueError):
            pass
    return meta


def page_id_for(sha256: str) -> str:
    """Return the stable page key: the first 16 hex digits of the content hash."""
    return sha256[:16]


def ingest(data: bytes, source_path: str | None = None, sidecar: bytes | str | None = None) -> RawPage:
    """Turn page bytes (and an optional JSON sidecar) into a ``RawPage``.

    In: the file's bytes, its path (for metadata), the sidecar's bytes if any.
    Out: ``RawPage``; when the bytes are not a readable page, ``text`` is empty and
    ``error`` says why (the page is quarantined, never fatal).
    """
    digest = sha256_hex(data)
    meta = metadata_from_path(source_path) if source_path else {}
    sources = {"issue_date": "path"} if "issue_date" in meta else {}
    side = metadata_from_sidecar(sidecar)
    if "issue_date" in side:
        sources["issue_date"] = "sidecar"
    meta.update(side)
    page = RawPage(
        text="",
        source_path=source_path,
        sha256=digest,
        encoding="",
        paper=meta.get("paper"),
        issue_date=meta.get("issue_date"),
        issue_date_source=sources.get("issue_date"),
        page_no=meta.get("page_no"),
    )
    try:
        page.text, page.encoding = decode(data, source_path)
    except UnreadablePage as exc:
        page.error = str(exc)
    return page
