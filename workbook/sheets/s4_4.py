"""4.4 练习二 in Excel: the group's exercise as the instructor would read it — the group and its members, the 90
days, and for each member the core customer direction (a tier of one of the group's segmentations), the evidence
from the data, the segment's strategy from 4.2 and the 90-day actions — and whether it is complete.

The payload is built exactly as the page builds it (:func:`workbook.exercises.exercise2_submission`: directions
from 4.4, parameters from 3.2, strategies from 4.2 and 3.4) and read back with
:func:`workbook.exercises.exercise2_summary`, so the sheet shows what the page shows. Evidence figures are
aggregates as at export. The group, the members and every action (what, who, by when) are inputs the group may
keep working on in Excel; a few empty action rows per member take new ones.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from workbook import carrier, exercises, xlsx
from workbook import strategy as strat
from workbook.export import Both, ExportContext, ModuleSheet
from workbook.segmentation import INSUFFICIENT, SCHEME_IDS, SCHEMES, SchemeParamError
from workbook.sheets import layout
from workbook.sheets.s1_4 import profit_params

PAGE = "s4_4"
DEFAULTS: dict[str, Any] = {"group": None, "members": None, "start": None, "directions": {}, "submission": None,
                            "submitted_at": None}
SPARE_ACTIONS = 3  # empty rows per member for actions added in Excel
ACTION_FIELDS = ("action", "owner", "due")


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def exercise2_payload(ctx: ExportContext) -> tuple[dict[str, Any], dict[str, Any], list[str], str]:
    """(payload, the fields as the page starts them, the members, the start date) as 4.4 builds them."""
    saved = ctx.values(PAGE, DEFAULTS)
    exercise1 = ctx.values("s3_5", {"group": "", "members": "", "schemes": None})
    group = _text(saved["group"] if saved["group"] is not None else exercise1.get("group"))
    members_text = _text(saved["members"] if saved["members"] is not None else exercise1.get("members"))
    members = list(dict.fromkeys(exercises.split_members(members_text)))
    start_date = exercises.action_window(saved["start"])
    start = start_date[0].isoformat() if start_date else datetime.now(UTC).date().isoformat()
    chosen_schemes = [s for s in (exercise1.get("schemes") or []) if s in SCHEME_IDS] if isinstance(
        exercise1.get("schemes"), list) else []
    options = chosen_schemes or list(SCHEME_IDS)
    stored = {k: dict(_mapping(v)) for k, v in _mapping(saved["directions"]).items()}
    params_by_scheme = _mapping(ctx.values("s3_2", {"params": {}}).get("params"))
    plans = _mapping(ctx.values("s4_2", {"strategies": {}}).get("strategies"))
    service = _mapping(ctx.values("s3_4", {"overrides": {}}).get("overrides"))
    params = profit_params(ctx)
    directions = []
    for member in members:
        mine = stored.get(member, {})
        scheme_id = str(mine["scheme"]) if mine.get("scheme") in options else options[0]
        overrides = dict(_mapping(params_by_scheme.get(scheme_id)))
        try:
            SCHEMES[scheme_id].resolve(overrides)
        except (SchemeParamError, TypeError, ValueError):
            overrides = {}
        evidence: exercises.SegmentEvidence = ctx.memo(
            f"s4_4.evidence.{scheme_id}.{sorted(overrides.items())!r}",
            functools.partial(exercises.segment_evidence, ctx.book, scheme_id, overrides, params))
        tiers = [c for c in evidence.tiers.index if int(evidence.tiers.loc[c, "customers"]) > 0 and c != INSUFFICIENT]
        code = mine.get("tier") if mine.get("tier") in tiers else ""
        plan = None
        if code:
            codes = [c for c in evidence.tiers.index if int(evidence.tiers.loc[c, "customers"]) > 0]
            plan = strat.strategies(scheme_id, codes, ctx.lang, _mapping(plans.get(scheme_id)),
                                    _mapping(service.get(scheme_id)), evidence.figures)[code]
        directions.append({"member": member, "scheme": scheme_id, "params": overrides, "tier": code,
                           "strategy": plan, "actions": exercises.clean_actions(mine.get("actions"))})
    payload = exercises.exercise2_submission(ctx.book, group=group, members=members, start=start,
                                             directions=directions, book_source=ctx.book_source or "",
                                             profit_params=params)
    return payload, {"group": group, "members": members_text}, members, start


def write(ctx: ExportContext, canvas: xlsx.Canvas) -> None:
    saved = ctx.values(PAGE, DEFAULTS)
    payload, fields, members, start = exercise2_payload(ctx)
    shown = exercises.exercise2_summary(payload, ctx.lang)
    problems = exercises.check_exercise2(payload, ctx.lang)
    stored = {k: dict(_mapping(v)) for k, v in _mapping(saved["directions"]).items()}
    layout.widths(canvas, 30, 60, 16, 14)
    row = layout.title_block(ctx, canvas, PAGE)

    row = layout.heading(canvas, row, ctx.t("s3_5.group_title"))
    for name, label_key, height in (("group", "s3_5.group_label", None), ("members", "s3_5.members_label", 60)):
        canvas.text(row, 1, ctx.t(label_key), "header")
        ctx.input(canvas, row, 2, module=PAGE, path=(name,), kind=carrier.TEXT, value=fields[name],
                  label=ctx.both(label_key), unit="text", blank=carrier.BLANK_EMPTY)
        if height:
            canvas.row_heights[row] = height
        row += 1
    canvas.text(row, 1, ctx.t("s4_4.start_label"), "header")
    canvas.text(row, 2, ctx.t("export.s4_4.window", start=shown.start or start, end=shown.end or "—"))
    canvas.text(row, 3, ctx.t("export.s4_4.start_in_app"), "note")
    row += 2

    row = layout.heading(canvas, row, ctx.t("s4_4.directions_title"))
    if not members:
        row = layout.note(canvas, row, ctx.t("s4_4.no_members")) + 1
    for member, direction in zip(members, shown.directions, strict=False):
        row = layout.heading(canvas, row, ctx.t("export.s4_4.member", member=member))
        if not direction.tier:
            row = layout.note(canvas, row, ctx.t("export.s4_4.no_direction")) + 1
        else:
            row = _direction(ctx, canvas, row, direction)
        row = _actions(ctx, canvas, row, member, stored.get(member, {}))
        row += 1

    row = layout.heading(canvas, row, ctx.t("s4_4.check_title"))
    if problems:
        row = layout.note(canvas, row, ctx.t("s4_4.incomplete", count=len(problems)))
        for problem in problems:
            canvas.text(row, 1, f"• {problem.text(ctx.lang)}", "warning")
            row += 1
    else:
        canvas.text(row, 1, ctx.t("s4_4.complete"), "key")
        row += 1
    if saved.get("submitted_at"):
        canvas.text(row, 1, ctx.t("export.s3_5.finished", time=str(saved["submitted_at"])), "note")
        row += 1
    layout.note(canvas, row + 1, ctx.t("export.s4_4.note"))


def _direction(ctx: ExportContext, canvas: xlsx.Canvas, row: int, direction: Any) -> int:
    """The direction, its evidence and its strategy as the page's summary shows them (values)."""
    canvas.text(row, 1, ctx.t("export.s4_4.direction"), "header")
    canvas.text(row, 2, f"{direction.scheme} · {direction.tier}", "key")
    row += 1
    evidence = direction.evidence
    for key, value, number_format in (
        ("s4_4.metric.customers", evidence.get("customers"), xlsx.COUNT),
        ("export.s4_4.customer_share", evidence.get("customer_share"), xlsx.PERCENT0),
        ("export.s4_4.aum_wan", None if evidence.get("aum") is None else evidence["aum"] / xlsx.WAN_DIVISOR,
         xlsx.WAN),
        ("export.s4_4.t_wan", None if evidence.get("t") is None else evidence["t"] / xlsx.WAN_DIVISOR, xlsx.WAN),
        ("export.s4_3.per_hour_header", evidence.get("t_per_hour"), xlsx.YUAN),
    ):
        canvas.text(row, 1, ctx.t(key))
        if value is None:
            canvas.text(row, 2, "—")
        else:
            canvas.number(row, 2, value, "body", number_format)
        row += 1
    for field in strat.TEXT_FIELDS:
        canvas.text(row, 1, ctx.t(f"s4_2.field.{field}"))
        canvas.text(row, 2, direction.strategy.get(field) or "—", "wrap")
        row += 1
    canvas.text(row, 1, ctx.t("s4_2.field.channels"))
    canvas.text(row, 2, ctx.t("common.list_sep").join(ctx.t(f"s4_2.channel.{c}") for c in direction.channels
                                                      if c in strat.CHANNELS) or "—")
    row += 1
    kpis = ctx.t("common.list_sep").join(ctx.t(f"s4_4.kpi.{k['degree']}", target=f"{k['target']:g}")
                                         for k in direction.kpis if k["target"] is not None)
    canvas.text(row, 1, ctx.t("s4_2.kpi_title"))
    canvas.text(row, 2, kpis or "—", "wrap")
    row += 1
    canvas.text(row, 1, ctx.t("export.s4_4.hours"))
    if direction.hours is None:
        canvas.text(row, 2, "—")
    else:
        canvas.number(row, 2, direction.hours, "body", xlsx.COUNT)
    row += 1
    return layout.note(canvas, row, ctx.t("export.s4_4.strategy_note", page=ctx.t("nav.s4_2")))


def _actions(ctx: ExportContext, canvas: xlsx.Canvas, row: int, member: str, mine: Mapping[str, Any]) -> int:
    """The member's 90-day actions as inputs (what, who, by when), with a few empty rows for new ones."""
    canvas.text(row, 1, ctx.t("s4_4.actions_title"), "subtitle")
    row += 1
    row = layout.header_row(canvas, row, [ctx.t("s4_4.col.action"), "", ctx.t("s4_4.col.owner"),
                                          ctx.t("s4_4.col.due")])
    canvas.merged.append(f"A{row - 1}:B{row - 1}")
    actions = exercises.clean_actions(mine.get("actions"))
    rows = actions + [dict.fromkeys(ACTION_FIELDS, "") for _ in range(SPARE_ACTIONS)]
    seed = (3, [dict(r) for r in rows])
    who = Both(member, member)
    for index, action in enumerate(rows):
        canvas.merged.append(f"A{row}:B{row}")
        for column, field in ((1, "action"), (3, "owner"), (4, "due")):
            ctx.input(canvas, row, column, module=PAGE, path=("directions", member, "actions", index, field),
                      kind=carrier.TEXT, value=action[field], unit="text", blank=carrier.BLANK_EMPTY, seed=seed,
                      label=ctx.both("export.s4_4.action_cell", member=who, number=index + 1,
                                     field=ctx.pair(f"s4_4.col.{field}")))
        canvas.row_heights[row] = 36
        row += 1
    return row


SHEET = ModuleSheet(PAGE, write)
