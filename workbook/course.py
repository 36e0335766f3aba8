"""The course map: the day's sections, their time on the agenda, and the registry of the app's pages.

``PAGES`` is the one registry ``app.py`` builds its navigation from. It lists only pages that exist (a test
checks every file); a later module adds its page here when it ships. Titles live in the catalogue under
``nav.<page id>``; section headers under ``section.<section id>``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Section:
    id: str
    minutes: int  # time on the 6-hour agenda
    outline_items: tuple[str, ...] = ()  # catalogue keys of the outline points it covers


@dataclass(frozen=True)
class PageEntry:
    id: str  # stable id: catalogue keys nav.<id>, lecture.<id>, workspace module id
    file: str  # path relative to the project root
    icon: str
    section: str
    worksheet: bool = True  # counts towards the trainee's progress
    default: bool = False

    @property
    def title_key(self) -> str:
        return f"nav.{self.id}"


SECTIONS: tuple[Section, ...] = (
    Section("start", 15),
    Section("s1", 90),
    Section("s2", 60),
    Section("s3", 120),
    Section("s4", 75),
    Section("wrap", 0),  # after the day: one's own work, saved and taken home (not on the 6-hour agenda)
    Section("instructor", 0),  # the instructor's board (PIN): runs beside the day, not a part of it
)

PAGES: tuple[PageEntry, ...] = (
    PageEntry("home", "views/home.py", ":material/map:", "start", worksheet=False, default=True),
    PageEntry("book", "views/book.py", ":material/group:", "start"),
    PageEntry("s1_1", "views/s1_1_self_check.py", ":material/quiz:", "s1"),
    PageEntry("s1_2", "views/s1_2_performance_formula.py", ":material/functions:", "s1"),
    PageEntry("s1_3", "views/s1_3_bottleneck.py", ":material/filter_alt:", "s1"),
    PageEntry("s1_4", "views/s1_4_asset_liability.py", ":material/balance:", "s1"),
    PageEntry("s2_1", "views/s2_1_kyc.py", ":material/person_search:", "s2"),
    PageEntry("s2_2", "views/s2_2_time_leverage.py", ":material/groups:", "s2"),
    PageEntry("s3_1", "views/s3_1_peer_tiers.py", ":material/stairs:", "s3"),
    PageEntry("s3_2", "views/s3_2_segmentation.py", ":material/layers:", "s3"),
    PageEntry("s3_3", "views/s3_3_four_degrees.py", ":material/radar:", "s3"),
    PageEntry("s3_4", "views/s3_4_service_matrix.py", ":material/table_view:", "s3"),
    PageEntry("s3_5", "views/s3_5_exercise1.py", ":material/assignment:", "s3"),
    PageEntry("s4_1", "views/s4_1_engagement_ladder.py", ":material/trending_up:", "s4"),
    PageEntry("s4_2", "views/s4_2_strategy.py", ":material/edit_note:", "s4"),
    PageEntry("s4_3", "views/s4_3_throughput.py", ":material/speed:", "s4"),
    PageEntry("s4_4", "views/s4_4_exercise2.py", ":material/flag:", "s4"),
    PageEntry("results", "views/results.py", ":material/workspace_premium:", "wrap", worksheet=False),
    PageEntry("board", "views/board.py", ":material/co_present:", "instructor", worksheet=False),
)


def section_of(page: PageEntry) -> Section:
    return next(s for s in SECTIONS if s.id == page.section)


def pages_in(section_id: str) -> tuple[PageEntry, ...]:
    return tuple(p for p in PAGES if p.section == section_id)


def page_by_id(page_id: str) -> PageEntry:
    return next(p for p in PAGES if p.id == page_id)


def total_minutes() -> int:
    return sum(s.minutes for s in SECTIONS)


def worksheet_pages() -> tuple[PageEntry, ...]:
    return tuple(p for p in PAGES if p.worksheet)
