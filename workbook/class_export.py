"""The class in one Excel workbook, from the instructor's board (DESIGN §6: "one for the whole class on the board").

:func:`class_workbook` writes, in the instructor's language:

* **Overview** (总览): the workshop, when exported, and one row per group — members, and when and by whom each
  group exercise was handed in.
* **Exercise 1** (练习一): the groups side by side, one column per group — members, then each segmentation with its
  parameters in words and its tiers (customers, share, service line), then the reflection.
* **Exercise 1 detail** (练习一明细): one row per group, scheme and tier with the numbers as numbers (customers,
  shares, AUM in 万元), ready for a pivot table.
* **Exercise 2** (练习二): the groups side by side — each member's direction, the evidence, goal, ways of
  marketing, measures and 90-day actions.
* **1.1 poll** (难题自测投票): per question the number of answers, the mean and the count of each rating 1–5, with
  a chart of the means.

Only the current submission of each group is written (what the board shows). Every text a trainee typed — group
names, members, service lines, reflections, strategies — is written as a string cell through :mod:`workbook.xlsx`,
so "=HYPERLINK(…)" stays text and never becomes a formula. Payloads read back from the database may be damaged:
whatever is unreadable is left empty.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference

from workbook import classroom, clock, exercises, i18n, poll, self_check, xlsx
from workbook.store import Submission

LABEL_WIDTH = 16
GROUP_WIDTH = 42
_FILENAME_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*\s]+')


def class_filename(workshop: str, lang: str = "zh", now: datetime | None = None) -> str:
    """``课堂汇总_BJ1205_2026-12-05.xlsx`` / ``class_BJ1205_2026-12-05.xlsx`` (unsafe characters dropped)."""
    stamp = (now or datetime.now(UTC)).astimezone(clock.classroom_zone()).strftime("%Y-%m-%d")
    parts = [i18n.t("export.class.filename", lang), workshop, stamp]
    cleaned = [_FILENAME_UNSAFE.sub("_", part).strip("._ ")[:40] for part in parts]
    return "_".join(part for part in cleaned if part) + ".xlsx"


def class_workbook(workshop: str, submissions: Sequence[Submission], lang: str = "zh",
                   now: datetime | None = None) -> bytes:
    """The class workbook as xlsx bytes. ``submissions``: the workshop's current submissions (store.submissions)."""
    language = i18n.normalise_language(lang)

    def t(key: str, **values: Any) -> str:
        return i18n.t(key, language, **values)

    stamp = (now or datetime.now(UTC)).astimezone(UTC)
    groups = classroom.roster(submissions)
    canvases = [
        _overview(t, workshop, groups, stamp, language),
        _exercise1(t, groups, submissions, language),
        _exercise1_detail(t, groups, submissions, language),
        _exercise2(t, groups, submissions, language),
        _poll(t, poll.aggregate(classroom.poll_answers(submissions)), language),
    ]
    book = Workbook(write_only=True)
    for canvas in canvases:
        canvas.write_to(book.create_sheet(canvas.title))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# ---- sheets -------------------------------------------------------------------------------------------------------


def _when(moment: datetime | None, lang: str) -> str:
    return clock.local_time_text(moment, lang) if moment is not None else ""


def _overview(t: Any, workshop: str, groups: Sequence[classroom.GroupStatus], stamp: datetime,
              lang: str) -> xlsx.Canvas:
    canvas = xlsx.Canvas(t("export.class.sheet.overview"))
    canvas.text(1, 1, t("export.class.title", workshop=workshop), "title")
    canvas.text(2, 1, t("export.class.exported_at", time=_when(stamp, lang)), "note")
    canvas.text(3, 1, t("export.class.note"), "note")
    headers = [t("export.class.col.group"), t("export.class.col.members")]
    for exercise in classroom.GROUP_EXERCISES:
        headers += [t(f"export.class.col.{exercise}_time"), t(f"export.class.col.{exercise}_by")]
    row = 5
    for column, header in enumerate(headers, start=1):
        canvas.text(row, column, header, "header")
    for group in groups:
        row += 1
        canvas.text(row, 1, group.group)
        canvas.text(row, 2, t("export.class.members_separator").join(group.members), "wrap")
        for offset, exercise in enumerate(classroom.GROUP_EXERCISES):
            handed = group.handed.get(exercise)
            canvas.text(row, 3 + 2 * offset, _when(handed.time, lang) if handed else t("export.class.not_yet"))
            canvas.text(row, 4 + 2 * offset, handed.by if handed else "")
    if not groups:
        canvas.text(row + 1, 1, t("export.class.no_groups"), "note")
    for column, width in enumerate((18, 36, 26, 12, 26, 12), start=1):
        canvas.width(column, width)
    canvas.freeze = "A6"
    return canvas


def _side_by_side(t: Any, title_key: str, groups: Sequence[classroom.GroupStatus],
                  columns: Sequence[list[tuple[str, str]]]) -> xlsx.Canvas:
    """A sheet with row labels in column A and one column per group; ``columns[i]`` is group i's (label, text)
    rows. Rows are aligned by position: every group's list has the same labels in the same order."""
    canvas = xlsx.Canvas(t(title_key))
    canvas.text(1, 1, t(title_key), "title")
    canvas.text(3, 1, t("export.class.col.group"), "header")
    canvas.width(1, LABEL_WIDTH)
    for index, group in enumerate(groups, start=2):
        canvas.text(3, index, group.group, "header")
        canvas.width(index, GROUP_WIDTH)
    longest = max((len(rows) for rows in columns), default=0)
    for offset in range(longest):
        row = 4 + offset
        label = next((rows[offset][0] for rows in columns if offset < len(rows) and rows[offset][0]), "")
        canvas.text(row, 1, label, "key")
        for index, rows in enumerate(columns, start=2):
            if offset < len(rows):
                canvas.text(row, index, rows[offset][1], "wrap")
    if not groups:
        canvas.text(4, 1, t("export.class.no_groups"), "note")
    canvas.freeze = "B4"
    return canvas


def _heading_rows(t: Any, group: classroom.GroupStatus, submission: Submission | None, lang: str
                  ) -> list[tuple[str, str]]:
    handed = (submission.time, submission.submitted_by) if submission else None
    return [
        (t("export.class.row.members"), t("export.class.members_separator").join(group.members)),
        (t("export.class.row.handed"), _when(handed[0], lang) if handed else t("export.class.not_yet")),
        (t("export.class.row.by"), handed[1] if handed else ""),
    ]


def _exercise1_rows(t: Any, submission: Submission | None, width: int, lang: str) -> list[tuple[str, str]]:
    shown = exercises.submission_summary(submission.payload if submission else {}, lang)
    rows = [(t("export.class.row.book"),
             t(f"export.class.book.{shown.book_source or 'upload'}", customers=f"{shown.book_customers:,}")
             if submission else "")]
    for index in range(width):
        scheme = shown.schemes[index] if index < len(shown.schemes) else None
        lines = []
        for tier in scheme.tiers if scheme else ():
            lines.append(t("export.class.tier_line", tier=tier["tier"], customers=f"{tier['customers']:,}",
                           share=f"{tier['customer_share'] * 100:.1f}%", service=tier["service"] or "—"))
        rows += [
            (t("export.class.row.scheme", index=index + 1), scheme.name if scheme else ""),
            (t("export.class.row.params"), scheme.params if scheme else ""),
            (t("export.class.row.tiers"), "\n".join(lines)),
        ]
    rows.append((t("export.class.row.reflection"), shown.reflection))
    return rows


def _exercise1(t: Any, groups: Sequence[classroom.GroupStatus], submissions: Sequence[Submission],
               lang: str) -> xlsx.Canvas:
    chosen = [classroom.current(submissions, g.group, exercises.EXERCISE_ID) for g in groups]
    width = max((len(exercises.submission_summary(s.payload, lang).schemes) for s in chosen if s), default=0)
    columns = [_heading_rows(t, g, s, lang) + _exercise1_rows(t, s, width, lang) for g, s in zip(groups, chosen,
                                                                                                 strict=True)]
    return _side_by_side(t, "export.class.sheet.exercise1", groups, columns)


def _exercise1_detail(t: Any, groups: Sequence[classroom.GroupStatus], submissions: Sequence[Submission],
                      lang: str) -> xlsx.Canvas:
    canvas = xlsx.Canvas(t("export.class.sheet.exercise1_detail"))
    headers = [("group", None), ("scheme", None), ("params", None), ("tier", None), ("customers", xlsx.COUNT),
               ("customer_share", xlsx.PERCENT), ("aum", xlsx.WAN), ("aum_share", xlsx.PERCENT), ("service", None)]
    for column, (key, _) in enumerate(headers, start=1):
        canvas.text(1, column, t(f"export.class.detail.{key}"), "header")
    row = 1
    for group in groups:
        submission = classroom.current(submissions, group.group, exercises.EXERCISE_ID)
        if submission is None:
            continue
        for scheme in exercises.submission_summary(submission.payload, lang).schemes:
            for tier in scheme.tiers:
                row += 1
                canvas.text(row, 1, group.group)
                canvas.text(row, 2, scheme.name)
                canvas.text(row, 3, scheme.params)
                canvas.text(row, 4, tier["tier"])
                canvas.number(row, 5, tier["customers"], number_format=xlsx.COUNT)
                canvas.number(row, 6, tier["customer_share"], number_format=xlsx.PERCENT)
                canvas.number(row, 7, tier["aum"] / xlsx.WAN_DIVISOR, number_format=xlsx.WAN)
                canvas.number(row, 8, tier["aum_share"], number_format=xlsx.PERCENT)
                canvas.text(row, 9, tier["service"], "wrap")
    for column, width in enumerate((14, 16, 30, 16, 10, 10, 14, 10, 60), start=1):
        canvas.width(column, width)
    canvas.freeze = "A2"
    return canvas


DIRECTION_ROWS: tuple[str, ...] = ("member", "direction", "evidence", "goal", "channels", "kpis", "actions")


def _direction_lines(t: Any, direction: exercises.DirectionSummary, lang: str) -> list[tuple[str, str]]:
    separator = t("export.class.members_separator")
    evidence = direction.evidence
    figures = [t("export.class.evidence.customers", customers=f"{int(evidence.get('customers') or 0):,}")]
    if evidence.get("t_per_hour") is not None:
        figures.append(t("export.class.evidence.t_per_hour", value=f"{float(evidence['t_per_hour'] or 0):,.0f}"))
    kpis = separator.join(i18n.t(f"s4_4.kpi.{k['degree']}", lang, target=f"{k['target']:g}") for k in direction.kpis
                          if k["target"] is not None and i18n.has_key(f"s4_4.kpi.{k['degree']}"))
    channels = separator.join(i18n.t(f"s4_2.channel.{c}", lang) for c in direction.channels
                              if i18n.has_key(f"s4_2.channel.{c}"))
    actions = "\n".join(f"{a['due'] or '—'} · {a['owner'] or '—'} · {a['action']}" for a in direction.actions)
    return [
        (t("export.class.row.member"), direction.member),
        (t("export.class.row.direction"), f"{direction.scheme} · {direction.tier}" if direction.tier else ""),
        (t("export.class.row.evidence"), separator.join(figures) if direction.tier else ""),
        (t("export.class.row.goal"), direction.strategy.get("goal", "")),
        (t("export.class.row.channels"), channels),
        (t("export.class.row.kpis"), kpis),
        (t("export.class.row.actions"), actions),
    ]


def _exercise2(t: Any, groups: Sequence[classroom.GroupStatus], submissions: Sequence[Submission],
               lang: str) -> xlsx.Canvas:
    chosen = [classroom.current(submissions, g.group, exercises.EXERCISE2_ID) for g in groups]
    summaries = [exercises.exercise2_summary(s.payload if s else {}, lang) for s in chosen]
    width = max((len(summary.directions) for summary in summaries), default=0)
    columns = []
    for group, submission, summary in zip(groups, chosen, summaries, strict=True):
        rows = _heading_rows(t, group, submission, lang)
        rows.append((t("export.class.row.window"),
                     t("export.class.window", start=summary.start, end=summary.end) if summary.start else ""))
        for index in range(width):
            if index < len(summary.directions):
                rows += _direction_lines(t, summary.directions[index], lang)
            else:  # fewer members than the largest group: empty cells under the same row labels
                rows += [(t(f"export.class.row.{part}"), "") for part in DIRECTION_ROWS]
        columns.append(rows)
    return _side_by_side(t, "export.class.sheet.exercise2", groups, columns)


def _poll(t: Any, result: poll.PollResult, lang: str) -> xlsx.Canvas:
    canvas = xlsx.Canvas(t("export.class.sheet.poll"))
    canvas.text(1, 1, t("export.class.sheet.poll"), "title")
    canvas.text(2, 1, t("export.class.poll_respondents", n=result.respondents), "note")
    headers = [t("export.class.poll.short"), t("export.class.poll.item"), t("export.class.poll.group"),
               t("export.class.poll.answers"), t("export.class.poll.mean")]
    headers += [t("export.class.poll.rating", rating=r) for r in self_check.RATINGS]
    for column, header in enumerate(headers, start=1):
        canvas.text(4, column, header, "header")
    row = 4
    for item in result.items:
        row += 1
        spec = self_check.ITEM_BY_ID[item.item_id]
        canvas.text(row, 1, i18n.t(spec.short_key, lang))
        canvas.text(row, 2, i18n.t(spec.text_key, lang), "wrap")
        canvas.text(row, 3, i18n.t(f"s1.check.group.{spec.group}", lang), "wrap")
        canvas.number(row, 4, item.answers, number_format=xlsx.COUNT)
        canvas.number(row, 5, round(item.mean, 2) if item.mean is not None else None, number_format=xlsx.DECIMAL)
        for offset, count in enumerate(item.counts):
            canvas.number(row, 6 + offset, count, number_format=xlsx.COUNT)
    for column, width in enumerate((16, 46, 18, 8, 8, 6, 6, 6, 6, 6), start=1):
        canvas.width(column, width)
    if result.respondents:
        chart = BarChart()
        chart.type = "bar"
        chart.title = t("export.class.poll.chart")
        chart.y_axis.scaling.min = 0
        chart.y_axis.scaling.max = self_check.RATING_MAX
        chart.legend = None
        chart.add_data(Reference(range_string=canvas.range_ref(4, 5, row, 5)), titles_from_data=True)
        chart.set_categories(Reference(range_string=canvas.range_ref(5, 1, row, 1)))
        chart.height, chart.width = 9, 18
        canvas.charts.append((chart, f"A{row + 3}"))
    return canvas
