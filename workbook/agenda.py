"""课程日程 — the day's timetable in clock times: the course's six hours of teaching with lunch, breaks and the
debriefs after the two group exercises (outline: 1天，6小时/天).

The slots are data (``workbook/data/agenda.toml``): an id (catalogue ``home.slot.<id>``), a kind, the course
section it belongs to and its minutes. The clock start is data too (09:00 by default): ``agenda(start)`` lays
the slots end to end from it, so a day that starts at 09:30 is one value, not a new table. Teaching time per
section (its teaching, exercise and debrief slots) matches ``course.SECTIONS``; a test says so.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from workbook import i18n

DATA_FILE = Path(__file__).parent / "data" / "agenda.toml"

KINDS: tuple[str, ...] = ("section", "exercise", "debrief", "break", "lunch")
TEACHING_KINDS: tuple[str, ...] = ("section", "exercise", "debrief")
MINUTES_PER_DAY = 24 * 60
_CLOCK = re.compile(r"^\s*(\d{1,2})\s*[:：]\s*(\d{2})\s*$")


class AgendaError(i18n.LocalisedError):
    """A start time the timetable cannot use (catalogue ``error.agenda.<code>``)."""

    catalogue_prefix = "error.agenda"


@dataclass(frozen=True)
class Slot:
    id: str  # catalogue home.slot.<id>
    kind: str  # one of KINDS
    section: str | None  # the course section (None for breaks and lunch)
    minutes: int
    start: int  # minutes after midnight
    end: int

    @property
    def clock(self) -> str:
        """The slot's time as 09:15–10:45."""
        return f"{clock(self.start)}–{clock(self.end)}"

    @property
    def teaching(self) -> bool:
        return self.kind in TEACHING_KINDS


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    with DATA_FILE.open("rb") as handle:
        return tomllib.load(handle)


DEFAULT_START: str = str(_data()["start"])


def parse_clock(text: str) -> int:
    """"09:00" (or 9:00, 09：00) → minutes after midnight; AgendaError for anything else."""
    match = _CLOCK.match(str(text))
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise AgendaError("start", value=text)
    return int(match.group(1)) * 60 + int(match.group(2))


def clock(minutes: int) -> str:
    """Minutes after midnight → "HH:MM"."""
    minutes %= MINUTES_PER_DAY
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def agenda(start: str | None = None) -> tuple[Slot, ...]:
    """The day's slots laid end to end from ``start`` (default: the data file's, 09:00)."""
    begin = parse_clock(DEFAULT_START if start is None else start)
    slots = []
    at = begin
    for raw in _data()["slot"]:
        minutes = int(raw["minutes"])
        if raw["kind"] not in KINDS:
            raise ValueError(f"agenda slot {raw['id']!r} has an unknown kind {raw['kind']!r}")
        slots.append(Slot(str(raw["id"]), str(raw["kind"]), raw.get("section"), minutes, at, at + minutes))
        at += minutes
    if at > MINUTES_PER_DAY:  # the day would run past midnight
        raise AgendaError("too_late", value=start)
    return tuple(slots)


day_agenda = agenda  # the facade's name for it (``workbook.agenda`` is this module)


def teaching_minutes(slots: tuple[Slot, ...], section: str | None = None) -> int:
    """Minutes of teaching (sections, exercises, debriefs), of one section or of the whole day."""
    return sum(s.minutes for s in slots if s.teaching and (section is None or s.section == section))


def day_span(slots: tuple[Slot, ...]) -> str:
    """The day as 09:00–16:30."""
    return f"{clock(slots[0].start)}–{clock(slots[-1].end)}" if slots else ""
