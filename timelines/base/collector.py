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
def frozen() -> Iterator[None]:
    """What exists when the block begins is left out of every collection until it ends
    (`gc.freeze`), then handed back, so nothing lives longer than it would have. For a block
    that makes many short-lived objects beside a large heap that stays (a reminder pass
    beside every owner's config, the compiled templates and the modules)."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@contextmanager
def few_full_collections(freeze: bool = False) -> Iterator[None]:
    """Full collections rare inside the block; with `freeze`, also `frozen`."""
    thresholds = gc.get_threshold()
    gc.set_threshold(thresholds[0], thresholds[1], RARE_FULL_COLLECTIONS)
    try:
        if freeze:
            with frozen():
                yield
        else:
            yield
    finally:
        gc.set_threshold(*thresholds)
