"""The cyclic garbage collector held off while a batch of pages runs.

The stages build millions of short-lived objects and no reference cycles: everything they
build is freed by reference counting, and on the benchmark pages the collector's passes
during a batch found nothing to free (``gc.callbacks``: 0 objects collected). Those passes
still cost about a twentieth of the CPU time, because each one walks the young objects
and every item of the big lists among them (a chunk's token words). So the batched
entries (``process_raw_pages``, ``chunk_tables``) run with the collector off and turn it
back on when they return: whatever a batch does leave in a cycle (an exception's
traceback) is collected by the next pass after it, so memory stays bounded. A run's chunk
(``runner._process_chunk``) is paused as a whole, so its pages are freed before the
collector comes back and its first pass does not walk them.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


def collector_paused(fn: Callable[P, R]) -> Callable[P, R]:
    """Run ``fn`` with the cyclic collector off, then turn it back on if it was on."""

    @wraps(fn)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        if not gc.isenabled():  # off already (the caller's choice, or a batch inside a batch)
            return fn(*args, **kwargs)
        gc.disable()
        try:
            return fn(*args, **kwargs)
        finally:
            gc.enable()

    return paused
