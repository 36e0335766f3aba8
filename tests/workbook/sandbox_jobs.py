"""Module-level jobs for the sandbox tests: the reader worker's children import this module by name to run
them (a job must be importable, as intake's own entry points are)."""

from __future__ import annotations

import io
import os
import time


def own_pid() -> int:
    return os.getpid()


def abort() -> None:
    os.abort()  # what calamine's failed allocation does: no exception, the process ends on SIGABRT


def fail(message: str) -> None:
    raise ValueError(message)


def allocate(gigabytes: int) -> int:
    block = bytearray(gigabytes * 2**30)  # beyond the child's address-space limit: MemoryError
    return len(block)


def sleep(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def calamine_grid(data: bytes) -> tuple[int, int]:
    """The sheet as calamine lays it out, with no pre-scan: the reader's own behaviour on a file."""
    from python_calamine import CalamineWorkbook

    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
    return sheet.height, sheet.width
