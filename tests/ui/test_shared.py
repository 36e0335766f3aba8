"""Results shared between sessions for the sample books (ui/shared.py): computed once however many sessions ask
at once, bounded, and never changeable by one session for another — whatever a page does to its copy."""

from __future__ import annotations

import contextlib
import threading
import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from ui.shared import SampleFrames, SharedResults, frozen_frame, isolate
from workbook import sample_book
from workbook.asset_review import DEFAULT_INPUTS, review
from workbook.segmentation import segment_detail


@dataclass(frozen=True)
class Result:
    table: pd.DataFrame
    series: pd.Series
    array: np.ndarray
    notes: dict[str, list[str]] = field(default_factory=dict)


def _result() -> Result:
    return Result(
        table=pd.DataFrame({"tier": ["a", "b"], "customers": [3, 4], "aum": [1.5, 2.5]}),
        series=pd.Series(pd.Categorical(["x", "y", "x"], categories=["x", "y"])),
        array=np.array([1.0, 2.0, 3.0]),
        notes={"zh": ["一", "二"]},
    )


def _mutate_everything(value: Result) -> None:
    """What a careless page could do to a result it was handed."""
    # writing through Series.array would reach the shared memory itself: refused
    with pytest.raises(ValueError, match="read-only"):
        value.table["aum"].array[0] = 123.0
    with pytest.raises(ValueError, match="read-only"):
        value.series.array[0] = "y"  # categorical codes
    with pytest.raises(ValueError, match="read-only"):
        value.array[0] = 42.0
    with pytest.raises(ValueError):
        value.array.flags.writeable = True
    # everything pandas lets a page do copies first (copy-on-write)
    value.table.loc[0, "customers"] = 999
    value.table["extra"] = 1
    value.table.iloc[1, 2] = -1.0
    value.table["aum"].array[0] = 123.0  # the table has its own memory by now
    value.series.iloc[0] = "y"
    value.notes["zh"].append("三")
    value.notes["en"] = ["one"]


def test_a_mutated_copy_never_reaches_the_next_caller() -> None:
    shared = SharedResults()
    first = shared.get("k", _result)
    _mutate_everything(first)
    second = shared.get("k", _result)
    pd.testing.assert_frame_equal(second.table, _result().table)
    pd.testing.assert_series_equal(second.series, _result().series)
    np.testing.assert_array_equal(second.array, [1.0, 2.0, 3.0])
    assert second.notes == {"zh": ["一", "二"]}


def test_the_computing_caller_gets_a_copy_too() -> None:
    # The first session's own object (and what it keeps referring to) must not be what is stored.
    made: list[Result] = []

    def compute() -> Result:
        made.append(_result())
        return made[-1]

    shared = SharedResults()
    handed = shared.get("k", compute)
    assert handed is not made[0] and handed.table is not made[0].table
    made[0].table.loc[0, "customers"] = 999  # the computing code keeps a reference and changes it later
    assert int(shared.get("k", compute).table.loc[0, "customers"]) == 3
    assert len(made) == 1


def test_a_real_segmentation_and_asset_review_stay_intact() -> None:
    book = sample_book(300, seed=7)
    shared = SharedResults()
    expected = segment_detail(book, "relationship")
    detail = shared.get(("segment", "relationship"), lambda: segment_detail(book, "relationship"))
    with pytest.raises(ValueError, match="read-only"):
        detail.tiers.array[:5] = detail.tiers.cat.categories[0]
    detail.tiers.iloc[:5] = detail.tiers.cat.categories[0]
    assert detail.scores is not None
    detail.scores.iloc[:, 0] = -1.0
    again = shared.get(("segment", "relationship"), lambda: segment_detail(book, "relationship"))
    pd.testing.assert_series_equal(again.tiers, expected.tiers)
    pd.testing.assert_frame_equal(again.scores, expected.scores)

    params = DEFAULT_INPUTS.params()
    result = shared.get(("review",), lambda: review(book, params))
    net_before = float(review(book, params).result["net"].sum())
    result.result["net"] = 0.0
    result.over.loc[:, "net"] = 0.0
    again_review = shared.get(("review",), lambda: review(book, params))
    assert float(again_review.result["net"].sum()) == pytest.approx(net_before)
    pd.testing.assert_frame_equal(again_review.over, review(book, params).over)


def test_a_shared_figure_changed_by_one_page_is_unchanged_for_the_next() -> None:
    shared = SharedResults()

    def figure() -> go.Figure:
        return go.Figure(go.Bar(x=["a", "b"], y=[1, 2]), layout={"title": {"text": "原图"}})

    first = shared.get("fig", figure)
    first.update_layout(title_text="改过")
    first.data[0].y = (9, 9)
    second = shared.get("fig", figure)
    assert second.layout.title.text == "原图"
    assert tuple(second.data[0].y) == (1, 2)


def test_sessions_asking_at_once_compute_once() -> None:
    shared = SharedResults()
    calls: list[int] = []
    start = threading.Barrier(8)

    def compute() -> pd.DataFrame:
        calls.append(1)
        time.sleep(0.2)  # long enough for every other thread to arrive meanwhile
        return pd.DataFrame({"x": [1, 2, 3]})

    answers: list[pd.DataFrame] = []

    def session() -> None:
        start.wait()
        answers.append(shared.get("slow", compute))

    threads = [threading.Thread(target=session) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1
    assert len(answers) == 8 and all(a["x"].tolist() == [1, 2, 3] for a in answers)
    assert len({id(a) for a in answers}) == 8  # each its own copy


def test_a_failed_computation_is_not_stored_and_can_be_retried() -> None:
    shared = SharedResults()

    def fail() -> int:
        raise ValueError("bad parameters")

    with pytest.raises(ValueError):
        shared.get("k", fail)
    assert shared.get("k", lambda: 5) == 5


def test_bounded_by_entries_and_by_bytes() -> None:
    by_count = SharedResults(max_entries=3)
    for index in range(5):
        by_count.get(index, lambda index=index: index)
    assert len(by_count) == 3
    assert by_count.get(0, lambda: "recomputed") == "recomputed"  # the oldest went first

    megabyte = 2**20
    by_bytes = SharedResults(max_bytes=3 * megabyte)
    for index in range(5):
        by_bytes.get(index, lambda: np.zeros(megabyte // 8))  # 1 MB each
    assert len(by_bytes) == 3
    assert by_bytes.bytes <= 3 * megabyte


def test_least_recently_used_goes_first() -> None:
    shared = SharedResults(max_entries=2)
    shared.get("a", lambda: 1)
    shared.get("b", lambda: 2)
    shared.get("a", lambda: -1)  # a is used again
    shared.get("c", lambda: 3)
    assert shared.get("a", lambda: -1) == 1
    assert shared.get("b", lambda: "gone") == "gone"


def test_isolate_keeps_types() -> None:
    from collections import namedtuple
    from types import MappingProxyType

    pair = namedtuple("pair", "left right")
    value = (pair([1], {"a": 2}), MappingProxyType({"k": [3]}), frozenset({1, 2}), "text", 4.5, None)
    copied = isolate(value)
    assert copied == value
    assert type(copied[0]) is pair and copied[0].left is not value[0].left
    assert isinstance(copied[1], MappingProxyType) and copied[1]["k"] is not value[1]["k"]


def test_sessions_share_one_frozen_sample_frame_and_cannot_change_it_for_each_other() -> None:
    frames = SampleFrames(lambda n, seed: sample_book(n, seed=seed))
    mine, token = frames.get(300, 7)
    theirs, their_token = frames.get(300, 7)
    assert token == their_token and token.startswith("sample-300-7-")
    original = sample_book(300, seed=7)

    mine["aum"] = 0.0
    mine["extra"] = 1
    mine.loc[mine.index[0], "age"] = -5
    with pytest.raises(ValueError, match="read-only"):
        mine["tenure_years"].array[0] = 999.0
    pd.testing.assert_frame_equal(theirs, original)
    pd.testing.assert_frame_equal(frames.get(300, 7)[0], original)


def test_frozen_frame_is_equal_and_read_only_underneath() -> None:
    book = sample_book(300, seed=7)
    book["tier"] = pd.Categorical(["a", "b", "c"] * 100)
    frozen = frozen_frame(book)
    pd.testing.assert_frame_equal(frozen, book)
    copy = frozen.copy(deep=False)
    with pytest.raises(ValueError, match="read-only"):
        copy["tier"].array[0] = "b"
    assert frozen["tier"].iloc[0] == "a"


def test_the_token_names_the_content() -> None:
    frames = SampleFrames(lambda n, seed: sample_book(n, seed=seed))
    assert frames.get(300, 7)[1] != frames.get(300, 8)[1]


def test_no_kind_of_column_writes_through_a_session_copy() -> None:
    frame = pd.DataFrame({
        "count": pd.array([1, 2, None], dtype="Int64"),
        "flag": pd.array([True, False, None], dtype="boolean"),
        "share": pd.array([0.5, None, 0.25], dtype="Float64"),
        "day": pd.to_datetime(["2024-01-01", "2024-02-01", None]),
        "stamp": pd.to_datetime(["2024-01-01", "2024-02-01", None]).tz_localize("Asia/Shanghai"),
        "text": ["甲", "乙", None],
        "tier": pd.Categorical(["x", "y", "x"]),
        "month": pd.period_range("2024-01", periods=3, freq="M"),
        "aum": [1.0, 2.0, 3.0],
        "thing": pd.Series([{"a": 1}, [1], None], dtype=object),
    })
    frozen = frozen_frame(frame)
    pd.testing.assert_frame_equal(frozen, frame)
    for column in frame.columns:
        mine = frozen.copy(deep=False)
        with contextlib.suppress(ValueError, TypeError):  # refused: the memory is read-only
            mine[column].array[0] = mine[column].array[1]
        pd.testing.assert_series_equal(frozen[column], frame[column])
