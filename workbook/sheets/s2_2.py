"""2.2 时间杠杆：一对多经营 in Excel: the trainee's week, each group's one-to-one load and the events that serve it
at once, as live formulas over input cells (:func:`workbook.leverage.group_outcome`), the hours saved and what they
are worth at 1.4's hourly cost, and the event calendar (values)::

    touches N = customers × hours per customer ÷ (12 × touch hours)      one-to-one hours = N × touch hours
    attendees A = MIN(events × capacity, replaceable × N)               coverage = A ÷ N
    event hours = events × hours per event + A × follow-up              hours after = (N − A) × touch + event hours
    saved = one-to-one − after;   a week = a month ÷ (52 ÷ 12);   worth a year = saved × 12 × HourlyCost

A group's format is a choice of the format table, whose numbers (capacity, hours, follow-up, cost) are inputs too.
Groups are the tiers of a segmentation (customers counted live on the customer sheet) or the need groups of the
need rules (counts as at export); events per month start at the page's suggestion until the trainee sets them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from workbook import bottleneck, carrier, kyc, services, xlsx
from workbook import leverage as lv
from workbook.export import Both, ExportContext, ModuleSheet
from workbook.schema import finite_number
from workbook.segmentation import SCHEME_IDS, get_scheme
from workbook.sheets import layout
from workbook.sheets.s1_4 import HOURLY_COST

PAGE = "s2_2"
DEFAULTS: dict[str, Any] = {"weekly_hours": None, "source": "tier", "scheme": None, "groups": {}, "formats": {}}
# Columns of the group table.
(GROUP, CUSTOMERS, HOURS_PER, TOUCH, FORMAT, REPLACEABLE, EVENTS, TOUCHES, ONE_TO_ONE, ATTENDEES, COVERAGE,
 EVENT_HOURS, AFTER, SAVED, COST) = range(1, 16)
FORMAT_NAMES = {"label": "EventFormatNames", "capacity": "EventCapacity", "hours_per_event": "EventHours",
                "follow_up_hours": "EventFollowUp", "cost_per_event": "EventCost"}


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def groups(ctx: ExportContext) -> tuple[str, str | None, list[lv.GroupSpec], dict[str, str], dict[str, Both]]:
    """(source, scheme, the groups, their labels, their names in both languages) as the page builds them: tiers of
    the chosen segmentation with 3.4's hours, or the need groups (back to tiers when the book has none)."""
    values = ctx.values(PAGE, DEFAULTS)
    source = values["source"] if values["source"] in ("tier", "need") else "tier"
    if source == "need":
        frame = kyc.need_groups(ctx.book, kyc.book_needs(ctx.book))
        specs = lv.need_group_specs(frame)
        if specs:
            labels = {s.key: kyc.CATEGORIES[s.code].label(ctx.lang) for s in specs}
            names = {s.key: Both(kyc.CATEGORIES[s.code].label("zh"), kyc.CATEGORIES[s.code].label("en"))
                     for s in specs}
            return source, None, specs, labels, names
        source = "tier"
    chosen = values["scheme"] or ctx.values("s3_2", {"scheme": None}).get("scheme") or "aum"
    scheme_id = chosen if chosen in SCHEME_IDS else "aum"
    detail, _, _ = ctx.segmentation(scheme_id)
    counts = detail.tiers.value_counts()
    codes = [tier.code for tier in detail.tier_list]
    edits = _mapping(_mapping(ctx.values("s3_4", {"overrides": {}})["overrides"]).get(scheme_id))
    rows = services.matrix_rows(scheme_id, codes, ctx.lang, edits)
    hours = {row["tier"]: float(row["hours"]) for row in rows}
    specs = lv.tier_groups(scheme_id, codes, {c: int(counts.get(c, 0)) for c in codes}, hours)
    tier_labels = detail.labels(ctx.lang)
    tier_names = layout.tier_names(detail)
    return (source, scheme_id, specs, {s.key: tier_labels[s.code] for s in specs},
            {s.key: tier_names[s.code] for s in specs})


def write(ctx: ExportContext, canvas: xlsx.Canvas) -> None:
    values = ctx.values(PAGE, DEFAULTS)
    layout.widths(canvas, 30, 10, 12, 12, 16, 12, 12, 12, 12, 12, 12, 12, 12, 12, 14)
    row = layout.title_block(ctx, canvas, PAGE)

    # ---- the week ----
    row = layout.heading(canvas, row, ctx.t("s2_2.week_title"))
    stage_rows = ctx.values("s1_3").get("stages") or bottleneck.default_rows()
    stage_hours = lv.weekly_hours(stage_rows if isinstance(stage_rows, list) else bottleneck.default_rows())
    weekly_saved = finite_number(values["weekly_hours"])
    canvas.text(row, 1, ctx.t("s2_2.weekly_hours"))
    weekly = ctx.input(canvas, row, 2, module=PAGE, path=("weekly_hours",), kind=carrier.NUMBER,
                       value=stage_hours if weekly_saved is None else weekly_saved, label=ctx.both("s2_2.weekly_hours"),
                       unit="hours", number_format=xlsx.HOURS, minimum=0.0, maximum=100.0, blank=carrier.BLANK_NONE)
    canvas.text(row, 3, ctx.t("export.s2_2.weekly_note", page=ctx.t("nav.s1_3"), hours=f"{stage_hours:g}"), "note")
    row += 2

    # ---- the formats (inputs) ----
    row = layout.heading(canvas, row, ctx.t("s2_2.formats_title"))
    row = layout.header_row(canvas, row, [ctx.t("s2_2.col.format"), ctx.t("s2_2.col.capacity"),
                                          ctx.t("s2_2.col.hours_per_event"), ctx.t("s2_2.col.follow_up"),
                                          ctx.t("s2_2.col.cost")])
    canvas.row_heights[row - 1] = 36
    saved_formats = _mapping(values["formats"])
    first = row
    format_labels: dict[str, str] = {}
    for code, base in lv.FORMATS.items():
        format_labels[code] = base.label(ctx.lang)
        canvas.text(row, 1, format_labels[code])
        try:
            shown = lv.format_with(code, _mapping(saved_formats.get(code)))
        except lv.LeverageError:
            shown = base  # a damaged saved number: the page refuses it and keeps the format's own
        for column, name, number_format, unit in ((2, "capacity", xlsx.COUNT, "count"),
                                                  (3, "hours_per_event", xlsx.HOURS, "hours"),
                                                  (4, "follow_up_hours", xlsx.DECIMAL, "hours"),
                                                  (5, "cost_per_event", xlsx.YUAN, "yuan")):
            ctx.input(canvas, row, column, module=PAGE, path=("formats", code, name), kind=carrier.NUMBER,
                      value=getattr(shown, name), unit=unit, number_format=number_format,
                      minimum=1.0 if name == "capacity" else 0.0, blank=carrier.BLANK_DELETE,
                      label=ctx.both("export.s2_2.format_cell", format=Both(base.zh, base.en),
                                     field=ctx.pair(f"export.s2_2.format.{name}")))
        row += 1
    last = row - 1
    for column, name in ((1, "label"), (2, "capacity"), (3, "hours_per_event"), (4, "follow_up_hours"),
                         (5, "cost_per_event")):
        ctx.define_name(FORMAT_NAMES[name], canvas.range_ref(first, column, last, column))
    row += 1

    # ---- the groups ----
    source, scheme_id, specs, labels, names = groups(ctx)
    row = layout.heading(canvas, row, ctx.t("s2_2.groups_title"))
    canvas.text(row, 1, ctx.t("s2_2.source_label"), "header")
    canvas.text(row, 2, ctx.t(f"s2_2.source.{source}") + (
        f" · {get_scheme(scheme_id).name(ctx.lang)}" if scheme_id else ""))
    canvas.text(row, 6, ctx.t("export.s1_2.choice_in_app"), "note")
    row += 1
    if not specs:
        layout.note(canvas, row, ctx.t("s2_2.no_groups"))
        return
    row = layout.note(canvas, row, ctx.t("export.s2_2.groups_note"))
    row = layout.header_row(canvas, row, [
        ctx.t("s2_2.col.group"), ctx.t("s2_2.col.customers"), ctx.t("s2_2.col.hours_per_customer"),
        ctx.t("s2_2.col.touch_hours"), ctx.t("s2_2.col.format"), ctx.t("s2_2.col.replaceable"),
        ctx.t("s2_2.col.events"), ctx.t("export.s2_2.touches"), ctx.t("s2_2.col.result.one_to_one"),
        ctx.t("s2_2.col.result.attendees"), ctx.t("s2_2.col.result.coverage"), ctx.t("s2_2.col.result.event_hours"),
        ctx.t("s2_2.col.result.after"), ctx.t("s2_2.col.result.saved"), ctx.t("export.s2_2.event_cost")])
    canvas.row_heights[row - 1] = 48
    edits_all = _mapping(values["groups"])
    formats = {code: _safe_format(code, _mapping(saved_formats.get(code))) for code in lv.FORMATS}
    tier_range = ctx.book_range(f"tier:{scheme_id}") if scheme_id else None
    choices = {format_labels[code]: code for code in lv.FORMATS}
    first = row
    for spec in specs:
        plan, _ = lv.group_plan(spec, _mapping(edits_all.get(spec.key)), formats)
        r = row
        cell = {column: xlsx.relative(r, column) for column in range(GROUP, COST + 1)}
        canvas.text(r, GROUP, labels[spec.key])
        if tier_range is not None:
            canvas.formula(r, CUSTOMERS, f"COUNTIF({tier_range},{cell[GROUP]})", "body", xlsx.COUNT)
        else:
            canvas.number(r, CUSTOMERS, spec.customers, "body", xlsx.COUNT)
        group_name = names[spec.key]
        for column, field, value, unit, number_format, minimum, maximum, scale in (
            (HOURS_PER, "hours_per_customer", plan.hours_per_customer, "hours", xlsx.HOURS, 0.0, None, 1.0),
            (TOUCH, "touch_hours", plan.touch_hours, "hours", xlsx.DECIMAL, 0.25, 8.0, 1.0),
            (REPLACEABLE, "replaceable_pct", plan.replaceable * 100, "percent", xlsx.PERCENT0, 0.0, 100.0, 100.0),
            (EVENTS, "events_per_month", plan.events_per_month, "plain", xlsx.DECIMAL, 0.0, 60.0, 1.0),
        ):
            ctx.input(canvas, r, column, module=PAGE, path=("groups", spec.key, field), kind=carrier.NUMBER,
                      value=value, unit=unit, scale=scale, number_format=number_format, minimum=minimum,
                      maximum=maximum, blank=carrier.BLANK_DELETE,
                      label=ctx.both("export.s2_2.group_cell", group=group_name,
                                     field=ctx.pair(f"export.s2_2.field.{field}")))
        ctx.input(canvas, r, FORMAT, module=PAGE, path=("groups", spec.key, "format"), kind=carrier.CHOICE,
                  value=plan.format, unit="text", choices=choices, blank=carrier.BLANK_DELETE,
                  label=ctx.both("export.s2_2.group_cell", group=group_name, field=ctx.pair("s2_2.col.format")))

        def lookup(table: str, chosen: str = cell[FORMAT]) -> str:
            return f"INDEX({FORMAT_NAMES[table]},MATCH({chosen},{FORMAT_NAMES['label']},0))"

        canvas.formula(r, TOUCHES, f"{cell[CUSTOMERS]}*{cell[HOURS_PER]}/(12*{cell[TOUCH]})", "body", xlsx.DECIMAL)
        canvas.formula(r, ONE_TO_ONE, f"{cell[TOUCHES]}*{cell[TOUCH]}", "body", xlsx.HOURS)
        canvas.formula(r, ATTENDEES, f"MIN({cell[EVENTS]}*{lookup('capacity')},{cell[REPLACEABLE]}*{cell[TOUCHES]})",
                       "body", xlsx.DECIMAL)
        canvas.formula(r, COVERAGE, f"IF({cell[TOUCHES]}>0,{cell[ATTENDEES]}/{cell[TOUCHES]},0)", "body",
                       xlsx.PERCENT0)
        canvas.formula(r, EVENT_HOURS, f"{cell[EVENTS]}*{lookup('hours_per_event')}+{cell[ATTENDEES]}*"
                                       f"{lookup('follow_up_hours')}", "body", xlsx.HOURS)
        canvas.formula(r, AFTER, f"({cell[TOUCHES]}-{cell[ATTENDEES]})*{cell[TOUCH]}+{cell[EVENT_HOURS]}", "body",
                       xlsx.HOURS)
        canvas.formula(r, SAVED, f"{cell[ONE_TO_ONE]}-{cell[AFTER]}", "key", xlsx.HOURS)
        canvas.formula(r, COST, f"{cell[EVENTS]}*{lookup('cost_per_event')}", "body", xlsx.YUAN)
        row += 1
    last = row - 1
    canvas.validations.append(xlsx.list_validation(list(choices), f"{xlsx.letter(FORMAT)}{first}:"
                                                                  f"{xlsx.letter(FORMAT)}{last}"))
    row = _totals(ctx, canvas, row, first, last, weekly)
    _calendar(ctx, canvas, row, specs, formats, edits_all, labels)


def _safe_format(code: str, edits: Mapping[str, Any]) -> lv.EventFormat:
    try:
        return lv.format_with(code, edits)
    except lv.LeverageError:
        return lv.FORMATS[code]


def _totals(ctx: ExportContext, canvas: xlsx.Canvas, row: int, first: int, last: int, weekly: str) -> int:
    canvas.text(row, GROUP, ctx.t("export.col.total"), "key")
    for column in (CUSTOMERS, ONE_TO_ONE, EVENT_HOURS, AFTER, SAVED, COST):
        canvas.formula(row, column, f"SUM({xlsx.column_range(column, first, last)})", "key",
                       xlsx.COUNT if column == CUSTOMERS else xlsx.YUAN if column == COST else xlsx.HOURS)
    saved_month, one_month, after_month = (xlsx.absolute(row, SAVED), xlsx.absolute(row, ONE_TO_ONE),
                                           xlsx.absolute(row, AFTER))
    load_week = (f"SUMPRODUCT({xlsx.column_range(CUSTOMERS, first, last)},{xlsx.column_range(HOURS_PER, first, last)})"
                 f"/{lv.WEEKS_PER_YEAR:g}")
    row += 2
    week = "(52/12)"  # a month holds 52 ÷ 12 weeks
    hours = ctx.t("export.unit.hours")
    figures = (
        ("s2_2.metric.one_to_one_week", load_week, xlsx.HOURS, hours),
        ("s2_2.metric.weekly_hours", weekly, xlsx.HOURS, hours),
        ("export.s2_2.load_share", f'IF({weekly}>0,{load_week}/{weekly},"—")', xlsx.PERCENT0, ""),
        ("s2_2.metric.saved_month", saved_month, xlsx.HOURS, hours),
        ("s2_2.metric.saved_week", f"{saved_month}/{week}", xlsx.HOURS, hours),
        ("export.s2_2.before_week", f"{one_month}/{week}", xlsx.HOURS, hours),
        ("s2_2.metric.after_week", f"{after_month}/{week}", xlsx.HOURS, hours),
        ("export.s2_2.value_year", f"{saved_month}*12*{HOURLY_COST}/{xlsx.WAN_DIVISOR}", xlsx.WAN,
         ctx.t("export.unit.wan")),
    )
    refs = {}
    for key, expression, number_format, unit in figures:
        canvas.text(row, 1, ctx.t(key), "key")
        canvas.merged.append(f"A{row}:C{row}")
        canvas.formula(row, 4, expression, "key", number_format)
        canvas.text(row, 5, unit, "note")
        refs[key] = canvas.ref(row, 4)
        row += 1
    ctx.key_figure(PAGE, ctx.t("s2_2.metric.saved_month"), refs["s2_2.metric.saved_month"], xlsx.HOURS,
                   ctx.t("export.unit.hours"))
    ctx.key_figure(PAGE, ctx.t("export.s2_2.value_year"), refs["export.s2_2.value_year"], xlsx.WAN,
                   ctx.t("export.unit.wan"))
    return layout.note(canvas, row, ctx.t("export.s2_2.value_note", page=ctx.t("nav.s1_4"))) + 1


def _calendar(ctx: ExportContext, canvas: xlsx.Canvas, row: int, specs: list[lv.GroupSpec],
              formats: Mapping[str, lv.EventFormat], edits: Mapping[str, Any], labels: Mapping[str, str]) -> None:
    """The next twelve months' events: a month per row, a group per column, each cell the number of events and
    their themes (values as at export: a plan, not a formula). A branch book plans hundreds of events a year, so
    they are counted per month rather than listed one by one."""
    from datetime import UTC, datetime

    plans = [lv.group_plan(spec, _mapping(edits.get(spec.key)), formats)[0] for spec in specs]
    start_month = datetime.now(UTC).month % 12 + 1  # from next month, as the page
    calendar = lv.event_calendar(plans, {spec.key: spec.defaults.themes for spec in specs}, start_month=start_month)
    row = layout.heading(canvas, row, ctx.t("s2_2.calendar_title"))
    row = layout.note(canvas, row, ctx.t("export.as_exported"))
    if calendar.empty:
        layout.note(canvas, row, ctx.t("s2_2.calendar_empty"))
        return
    months = ctx.t("s2_2.months").split(",")
    keys = [plan.key for plan in plans if (calendar["group"] == plan.key).any()]
    row = layout.header_row(canvas, row, [ctx.t("s2_2.col.month"), *(labels.get(key, key) for key in keys)])
    separator = ctx.t("common.list_sep")
    for offset in range(lv.MONTHS_PER_YEAR):
        canvas.text(row, 1, months[(start_month - 1 + offset) % 12])
        month = calendar[calendar["offset"] == offset]
        for column, key in enumerate(keys, start=2):
            events = month[month["group"] == key]
            if events.empty:
                continue
            fmt = lv.FORMATS[str(events["format"].iloc[0])].label(ctx.lang)
            themes = separator.join(dict.fromkeys(lv.THEMES[t].label(ctx.lang) for t in events["theme"] if t))
            canvas.text(row, column, ctx.t("export.s2_2.calendar_cell", count=len(events), format=fmt,
                                           themes=themes or "—"), "wrap")
        canvas.row_heights[row] = 48
        row += 1


SHEET = ModuleSheet(PAGE, write)
