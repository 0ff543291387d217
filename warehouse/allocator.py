"""Memory-allocator settings for Polars, applied before Polars loads: import this module first.

Polars ships its own jemalloc, configured to hand freed pages back to the operating system within
about a second. Our column work (a million-row load is split through dozens of short-lived
full-length columns) then spends much of its time taking fresh pages from the kernel again: page
faults, zeroing and `madvise` were ~10 % of the quality split's CPU profile (`perf`). Keeping freed
pages for 10 s lets jemalloc reuse them; measured on the 1M-row benchmark load, the in-memory split
took 0.72-0.75 s instead of 0.95-1.03 s wall (three fresh processes each), for ~15 % more peak RSS
(freed pages are kept a while, not handed back at once). See `docs/decisions.md`.

jemalloc reads `_RJEM_MALLOC_CONF` once, when Polars' library makes its first allocation, so the
variable must be set before `import polars`; an operator's own setting is left alone. Child
processes (Dagster run workers, benchmark contenders) inherit it.
"""

from __future__ import annotations

import os
import sys

VARIABLE = "_RJEM_MALLOC_CONF"
SETTING = "dirty_decay_ms:10000,muzzy_decay_ms:10000"


def configure() -> bool:
    """Set the allocator variable unless it is set already; False when Polars is loaded (too late)."""
    if "polars" in sys.modules:
        return False
    os.environ.setdefault(VARIABLE, SETTING)
    return True


configure()
