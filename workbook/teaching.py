"""讲师提示 — where each course page sits on the day, for the instructor's teaching notes.

The day's timetable is :mod:`workbook.agenda` (slots in clock times). ``workbook/data/teaching.toml`` says how many
minutes of which slot each page takes; :func:`page_times` lays the pages of each slot end to end, so a page's notes
can say "09:30–09:55, 25 minutes". The notes' text (talking points, questions for the room, what to listen for) is
in the catalogue under ``notes.<page id>.*``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from workbook import agenda

DATA_FILE = Path(__file__).parent / "data" / "teaching.toml"


@dataclass(frozen=True)
class PageTime:
    """A page's time on the day: its stretches in clock minutes (contiguous stretches merged), its minutes in all,
    and the agenda slots it falls in (in order)."""

    page_id: str
    spans: tuple[tuple[int, int], ...]
    minutes: int
    slots: tuple[str, ...]

    @property
    def clock(self) -> str:
        """The stretches as "14:20–15:00" (several joined by ", ")."""
        return ", ".join(f"{agenda.clock(start)}–{agenda.clock(end)}" for start, end in self.spans)


@lru_cache(maxsize=1)
def _data() -> tuple[dict[str, Any], ...]:
    with DATA_FILE.open("rb") as handle:
        return tuple(tomllib.load(handle)["page"])


def planned_pages() -> tuple[str, ...]:
    """The page ids the timetable places, in the data file's order."""
    return tuple(str(entry["id"]) for entry in _data())


def page_times(start: str | None = None) -> dict[str, PageTime]:
    """Every planned page's time on the day that starts at ``start`` (the agenda's default, 09:00)."""
    slots = {slot.id: slot for slot in agenda.agenda(start)}
    filled = {slot_id: 0 for slot_id in slots}  # minutes of each slot already given to earlier pages
    times: dict[str, PageTime] = {}
    for entry in _data():
        spans: list[tuple[int, int]] = []
        names: list[str] = []
        for part in entry["time"]:
            slot = slots[str(part["slot"])]
            minutes = int(part["minutes"])
            begin = slot.start + filled[slot.id]
            filled[slot.id] += minutes
            if filled[slot.id] > slot.minutes:
                raise ValueError(f"teaching.toml gives slot {slot.id!r} more than its {slot.minutes} minutes")
            names.append(slot.id)
            if spans and spans[-1][1] == begin:
                spans[-1] = (spans[-1][0], begin + minutes)  # one stretch across the slot boundary
            else:
                spans.append((begin, begin + minutes))
        times[str(entry["id"])] = PageTime(str(entry["id"]), tuple(spans), sum(e - s for s, e in spans), tuple(names))
    return times


def slot_fill() -> dict[str, int]:
    """Minutes the pages take of each agenda slot (a test compares it with the slots' own minutes)."""
    filled: dict[str, int] = {}
    for entry in _data():
        for part in entry["time"]:
            filled[str(part["slot"])] = filled.get(str(part["slot"]), 0) + int(part["minutes"])
    return filled


def page_time(page_id: str, start: str | None = None) -> PageTime | None:
    """One page's time on the day, or None for a page the timetable does not place (the board)."""
    return page_times(start).get(page_id)
