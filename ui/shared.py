"""Results shared by every session of the server process: for the sample books only.

The sample books (the 300-customer book and the 20,000-customer branch demo) are the same for every trainee and
hold no personal data. What pages derive from them (segmentations, tier summaries, the asset review, charts of
the book ...) was computed again by every session; in a class of sixty that is sixty times the same work at the
moment they all arrive. Here each result is computed once per process, by the first session that asks, while
the others asking for the same key wait for it instead of computing it too, and it is then handed to everyone.

An uploaded book never comes here (DESIGN §5): ``ui.state.book_memo`` keeps its results in the trainee's own
session. Entries are keyed by the book's content token, the result's name and its parameters, and bounded both
in number and in (estimated) bytes, least recently used first out.

No session can change what another one reads, and sharing must not cost a copy of every result on every click
(a deep copy of the 20,000-customer asset review is ~8 MB and several ms). So a result is stored *frozen*
(``freeze``): a private copy whose numeric memory is read-only (numpy arrays, the codes of categoricals, the values
and masks of nullable columns). Every caller then gets a cheap *hand-out* of it (``handout``): pandas objects as
shallow copy-on-write copies (whatever a page does to its copy — set cells, add columns, write through
``Series.array`` — either copies first or raises on the read-only memory), containers and dataclasses rebuilt
around handed-out contents, numpy arrays as read-only views, Plotly figures rebuilt from a fresh dict (~1 ms).
The sample book itself is frozen the same way, and each session works on its own shallow copy of it.
"""

from __future__ import annotations

import copy
import dataclasses
import enum
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import Any, TypeVar, cast

import numpy as np
import pandas as pd

T = TypeVar("T")

MAX_ENTRIES = 1_024
MAX_BYTES = 384 * 2**20  # estimated; a sample-book result is a few kB to a few MB
_ATOMS = (type(None), bool, int, float, complex, str, bytes, Decimal, Fraction, date, datetime, time, timedelta,
          enum.Enum, range, np.generic, pd.Timestamp, pd.Timedelta, pd.Period, type(pd.NaT))
_MISSING = object()


def freeze(value: T) -> T:
    """A private copy of ``value`` whose array memory is read-only: what the shared store keeps."""
    return cast(T, _walk(value, _freeze_leaf))


def handout(value: T) -> T:
    """What a caller gets of a frozen value: its own objects, sharing only read-only memory with the store."""
    return cast(T, _walk(value, _handout_leaf))


def isolate(value: T) -> T:
    """A copy of ``value`` that shares nothing writable with it (frozen, then handed out)."""
    return handout(freeze(value))


def _walk(value: Any, leaf: Callable[[Any], Any]) -> Any:
    """Rebuild containers and dataclasses around ``leaf`` applied to everything else."""
    if isinstance(value, _ATOMS):
        return value
    if isinstance(value, tuple):
        items = [_walk(item, leaf) for item in value]
        return type(value)._make(items) if hasattr(value, "_fields") else tuple(items)  # type: ignore[attr-defined]
    if isinstance(value, list):
        return type(value)(_walk(item, leaf) for item in value)
    if isinstance(value, MappingProxyType):
        return MappingProxyType(_walk(dict(value), leaf))
    if isinstance(value, dict):  # dict, OrderedDict, defaultdict (its factory kept by copy)
        rebuilt = copy.copy(value)
        for key, item in value.items():
            rebuilt[key] = _walk(item, leaf)
        return rebuilt
    if isinstance(value, frozenset | set):
        return type(value)(_walk(item, leaf) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        clone = copy.copy(value)
        for spec in dataclasses.fields(value):
            object.__setattr__(clone, spec.name, _walk(getattr(value, spec.name), leaf))
        return clone
    return leaf(value)


def _freeze_leaf(value: Any) -> Any:
    if isinstance(value, pd.DataFrame):
        return frozen_frame(value)
    if isinstance(value, pd.Series):
        return frozen_series(value)
    if isinstance(value, pd.Index):
        return value.copy(deep=True)  # an Index cannot be changed in place; its own copy keeps it apart
    if isinstance(value, np.ndarray):
        return _read_only(np.array(value, copy=True))
    if _is_figure(value):
        return _figure_copy(value)
    return copy.deepcopy(value)  # anything else: a private full copy, handed out as a full copy again


def _handout_leaf(value: Any) -> Any:
    if isinstance(value, pd.DataFrame | pd.Series):
        return value.copy(deep=False)  # copy-on-write over read-only memory
    if isinstance(value, pd.Index):
        return value
    if isinstance(value, np.ndarray):
        return value.view()  # a view of read-only memory cannot be made writable again
    if _is_figure(value):
        return _figure_copy(value)
    return copy.deepcopy(value)


def _is_figure(value: Any) -> bool:
    return hasattr(value, "to_plotly_json") and hasattr(value, "to_dict")


def _read_only(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


def _figure_copy(figure: Any) -> Any:
    """A Plotly figure rebuilt from a fresh dict of itself. Validation is skipped: the stored figure was
    validated when it was built (``copy.deepcopy`` of a figure costs ~8 ms, this ~1 ms)."""
    try:
        return type(figure)(figure.to_dict(), _validate=False)
    except TypeError:  # a Plotly without the private flag
        return copy.deepcopy(figure)


def _readonly_view(array: np.ndarray) -> np.ndarray:
    base = array if array.base is None else array.copy()  # a view may point at writable memory elsewhere
    base.flags.writeable = False
    return base.view()  # a view of read-only memory cannot be made writable again


def estimated_bytes(value: Any, _depth: int = 0) -> int:
    """A rough size for the byte bound: pandas and numpy memory, containers walked a few levels deep."""
    if isinstance(value, pd.DataFrame):
        return int(value.memory_usage(index=True, deep=False).sum())
    if isinstance(value, pd.Series | pd.Index):
        return int(value.memory_usage(deep=False))
    if isinstance(value, np.ndarray):
        return int(value.nbytes)
    if isinstance(value, str | bytes):
        return len(value)
    if _depth > 4:
        return 64
    if isinstance(value, dict):
        return sum(estimated_bytes(k, _depth + 1) + estimated_bytes(v, _depth + 1) for k, v in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return sum(estimated_bytes(item, _depth + 1) for item in value) + 56
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return sum(estimated_bytes(getattr(value, f.name), _depth + 1) for f in dataclasses.fields(value))
    if hasattr(value, "to_plotly_json"):
        return 256 * 1024  # a figure: its data arrays dominate, and walking them costs more than it tells
    return 64


class SharedResults:
    """A process-wide, thread-safe, bounded LRU of computed results; one computation per key at a time."""

    def __init__(self, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._entries: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self._computing: dict[Hashable, threading.Lock] = {}
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The result for ``key``: stored, or computed now by ``compute`` (once, however many ask at once)."""
        with self._lock:
            found = self._lookup(key)
            if found is _MISSING:
                key_lock = self._computing.setdefault(key, threading.Lock())
        if found is not _MISSING:
            return handout(found)
        with key_lock:  # sessions asking for the same key meanwhile wait here, then find it stored
            with self._lock:
                found = self._lookup(key)
            if found is not _MISSING:
                return handout(found)
            try:
                stored = freeze(compute())  # a private copy: the caller's own objects may be changed later
            finally:
                with self._lock:
                    self._computing.pop(key, None)
            self._store(key, stored)
        return handout(stored)

    def _lookup(self, key: Hashable) -> Any:
        entry = self._entries.get(key)
        if entry is None:
            return _MISSING
        self._entries.move_to_end(key)
        self.hits += 1
        return entry[0]

    def _store(self, key: Hashable, value: Any) -> None:
        size = estimated_bytes(value)
        with self._lock:
            self.misses += 1
            previous = self._entries.pop(key, None)
            if previous is not None:
                self._bytes -= previous[1]
            self._entries[key] = (value, size)
            self._bytes += size
            while len(self._entries) > 1 and (len(self._entries) > self.max_entries or self._bytes > self.max_bytes):
                _, (_, dropped) = self._entries.popitem(last=False)
                self._bytes -= dropped

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def bytes(self) -> int:
        return self._bytes

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0


def frozen_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose array memory is read-only, so that a shallow (copy-on-write) copy of it handed
    to a session cannot write through to the others, whatever the session does to its copy."""
    columns = {position: frozen_series(frame.iloc[:, position]) for position in range(frame.shape[1])}
    frozen = pd.DataFrame(columns, index=frame.index.copy(deep=True), copy=False)
    frozen.columns = frame.columns.copy(deep=True)
    frozen.attrs = copy.deepcopy(frame.attrs)
    return frozen


def frozen_series(series: pd.Series) -> pd.Series:
    """A copy of ``series`` whose array memory is read-only (see ``frozen_frame``)."""
    values = series.array
    if isinstance(series.dtype, pd.CategoricalDtype):
        codes = _read_only(np.array(values.codes, copy=True))
        array: Any = pd.Categorical.from_codes(codes, dtype=series.dtype)
    elif isinstance(series.dtype, np.dtype):
        array = _read_only(series.to_numpy(copy=True))
    elif isinstance(values, pd.arrays.IntegerArray | pd.arrays.FloatingArray | pd.arrays.BooleanArray):
        mask = _read_only(np.array(values.isna(), copy=True))
        numpy_dtype = values.dtype.numpy_dtype  # type: ignore[union-attr]  # present; missing from the stubs
        data = _read_only(values.to_numpy(dtype=numpy_dtype, na_value=0))
        array = type(values)(data, mask, copy=False)
    else:
        array = values.copy()
        # Dates with a time zone, periods, durations keep a numpy array in ``_ndarray`` (pandas' NDArrayBacked);
        # Arrow-backed text has immutable buffers already.
        backing = getattr(array, "_ndarray", None)
        if isinstance(backing, np.ndarray):
            _read_only(backing)
    frozen = pd.Series(array, index=series.index.copy(deep=True), name=series.name, copy=False)
    frozen.attrs = copy.deepcopy(series.attrs)
    return frozen


class SampleFrames:
    """One frozen frame per sample book (size, seed) for the whole process, with its content token."""

    def __init__(self, build: Callable[[int, int], pd.DataFrame]) -> None:
        self._build = build
        self._frames: dict[tuple[int, int], tuple[pd.DataFrame, str]] = {}
        self._lock = threading.Lock()

    def get(self, n: int, seed: int) -> tuple[pd.DataFrame, str]:
        """(a session's own shallow copy of the book, the token naming its content)."""
        with self._lock:
            if (n, seed) not in self._frames:
                frame = frozen_frame(self._build(n, seed))
                self._frames[(n, seed)] = (frame, f"sample-{n}-{seed}-{content_digest(frame)}")
            frame, token = self._frames[(n, seed)]
        return frame.copy(deep=False), token


def content_digest(frame: pd.DataFrame) -> str:
    """A short digest of a frame's values, index and columns: results are keyed by what the book holds."""
    import hashlib

    digest = hashlib.sha256()
    digest.update(repr(list(frame.columns)).encode())
    digest.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
    return digest.hexdigest()[:16]
