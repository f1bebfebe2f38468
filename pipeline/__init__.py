"""OCR'd Chinese newspaper pages -> clean articles -> normalised Parquet tables.

Public API (see README and docs/tables.md):

- ``process_page(text, source=None, issue_date=None) -> dict[str, DataFrame]``
- ``extract(text, issue_date=None) -> dict[str, DataFrame]``
"""

__version__ = "0.1.0"

from pipeline.api import extract, process_page  # noqa: E402

__all__ = ["__version__", "extract", "process_page"]
