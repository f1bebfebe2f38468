"""OCR'd Chinese newspaper pages -> clean articles -> normalised Parquet tables.

Public API (see README and docs/tables.md):

- ``process_page(text, source=None, issue_date=None) -> dict[str, DataFrame]``
- ``extract(text, issue_date=None) -> dict[str, DataFrame]``
"""

__version__ = "0.1.0"

__all__ = ["__version__", "extract", "process_page"]


def __getattr__(name):
    # Imported lazily so that ``import pipeline.segment`` stays light (worker start-up).
    if name in ("extract", "process_page"):
        from pipeline import api

        return getattr(api, name)
    raise AttributeError(name)
