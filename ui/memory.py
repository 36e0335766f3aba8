"""Memory given back to the machine when trainees leave.

A class of sixty on the branch demo took the server from ~230 MB to ~700 MB, and the figure stayed there after
every tab had closed. Three things held it:

- each session's memo of derived results and figures (``ui.state.memo``), kept with the session's state for
  Streamlit's reconnect window and beyond: it is now emptied as soon as the tab disconnects (the results can be
  computed again if the trainee comes back);
- the cycles of the sessions just closed, which nothing collects promptly once the forced collection after every
  click is off (``runner.postScriptGC = false``: it cost ~70% of a click's CPU);
- memory freed inside the process that its allocators keep for later: the C library's heaps (one per thread
  that ran a script) and Arrow's pool behind pandas' text columns.

The C library also grows its threshold for serving a large block (a 20,000-row column is 160 kB) from its own
heaps instead of the operating system each time such a block is freed, up to 32 MB; the columns of every
click's intermediate frames then fragment those heaps. ``fix_large_block_threshold()`` (called once, when this
module is first imported) keeps the threshold at 128 kB, as setting ``MALLOC_MMAP_THRESHOLD_=131072`` would:
measured with 30 sessions on the branch demo, 2.6 instead of 3.7 MB per session and a peak 56 MB lower.

``session_ended()`` is called when a tab disconnects. A few seconds later — once, however many trainees leave
together — ``give_back()`` collects the cycles, asks Arrow to release its unused memory and the C library to
return its free pages to the operating system. Each step is skipped where the platform lacks it (``malloc_trim``
is glibc's: Linux servers have it, Windows and macOS laptops do not).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import os
import threading
from collections.abc import Callable
from functools import cache

GIVE_BACK_DELAY_SECONDS = 5.0
LARGE_BLOCK_BYTES = 128 * 1024
_M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter number

_lock = threading.Lock()
_timer: threading.Timer | None = None


def session_ended(delay: float = GIVE_BACK_DELAY_SECONDS) -> None:
    """A session's tab has disconnected: give memory back shortly, after whoever else is leaving too."""
    global _timer
    with _lock:
        if _timer is not None:
            _timer.cancel()
        _timer = threading.Timer(delay, give_back)
        _timer.daemon = True
        _timer.start()


def give_back() -> dict[str, bool]:
    """Collect cycles, release Arrow's unused memory and trim the C library's heaps. Says which steps ran."""
    gc.collect()
    done = {"gc": True, "arrow": False, "malloc_trim": False}
    try:
        import pyarrow

        pyarrow.default_memory_pool().release_unused()
        done["arrow"] = True
    except (ImportError, AttributeError):  # no pyarrow, or one too old to release
        pass
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
        done["malloc_trim"] = True
    return done


def fix_large_block_threshold(size: int = LARGE_BLOCK_BYTES) -> bool:
    """Blocks of ``size`` bytes and more come straight from the operating system and go back when freed
    (glibc's ``mallopt(M_MMAP_THRESHOLD)``; a no-op elsewhere). True when it was set."""
    libc = _glibc()
    mallopt = getattr(libc, "mallopt", None) if libc is not None else None
    if mallopt is None or "MALLOC_MMAP_THRESHOLD_" in os.environ:  # an operator's own setting wins
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return bool(mallopt(_M_MMAP_THRESHOLD, size))


@cache
def _glibc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    if not name:
        return None
    try:
        libc = ctypes.CDLL(name)
    except OSError:
        return None
    return libc if hasattr(libc, "malloc_trim") else None  # malloc_trim and mallopt's parameters are glibc's


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    libc = _glibc()
    if libc is None:
        return None
    trim = libc.malloc_trim
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


fix_large_block_threshold()
