"""The one place kdquiz changes the process-wide garbage collector.

Two speed tricks, each for a measured reason:

- :func:`collector_paused` while content loads: loading allocates hundreds of thousands of
  containers that form no cycles, and every full collection would walk everything loaded so far
  (half the time of loading a 5,000-question bank). Reference counting still frees them.
- :func:`freeze_once` at an entry point (the CLI after loading what a command needs, the app
  after start-up, the warm grading worker after importing torch): one collection, then what is
  alive is moved to the permanent generation so later collections do not walk it. Freezing again
  and again is a leak: objects that became unreachable after a freeze are never collected (a
  re-check loop that froze on every check grew by ~1,300 objects per check), so this freezes at
  most once per process.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_frozen = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause cyclic collection inside the block (restored afterwards, even on error)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def freeze_once() -> bool:
    """Collect, then freeze what is alive; only the first call in a process does anything.

    Returns whether this call froze."""
    global _frozen
    if _frozen:
        return False
    _frozen = True
    gc.collect()
    gc.freeze()
    return True
