"""Python's garbage collector while a command holds a whole country's plans in memory.

Reading 1,000 files makes hundreds of thousands of objects that live until the command ends;
each of the collector's full collections walks all of them again, so with Python's default
(a full collection every tenth collection of the middle generation) they were a fifth to a
quarter of the CPU of `validate` and `apply` at 100k tasks. Young garbage is still collected
as usual; only the full collections are made rare, and all is as before when the block ends.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

# Collections of the middle generation between two full ones (Python's default: 10).
RARE_FULL_COLLECTIONS = 1000


@contextmanager
def few_full_collections(freeze: bool = False) -> Iterator[None]:
    """Full collections rare inside the block; with `freeze`, what exists when it begins is
    also left out of every collection until it ends (`gc.freeze`)."""
    thresholds = gc.get_threshold()
    if freeze:
        gc.freeze()
    gc.set_threshold(thresholds[0], thresholds[1], RARE_FULL_COLLECTIONS)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        if freeze:
            gc.unfreeze()
