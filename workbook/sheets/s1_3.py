"""1.3 核心瓶颈突破五步法 in Excel: the trainee's sales stages as inputs, each stage's capacity and deals/week, the
constraint and the system throughput, and the elevate what-if, all live (:mod:`workbook.bottleneck`)::

    capacity  = weekly hours ÷ hours per customer                          (customers/week)
    factor    = Π pass rates from the stage down to the deal stage (before it), or from the deal stage down to
                the stage (after it); 1 at the deal stage
    deals     = capacity × factor before/at the deal, capacity ÷ factor after it ("∞" when no flow gets there)
    throughput = MIN(deals); the constraint is the first stage at the minimum (MATCH)
    busy       = throughput ÷ deals; idle hours = weekly hours × (1 − busy)
    elevate x% = the constraint's deals × (1 + x): new throughput = MIN of the new column
    subordinate: hours per deal = hours per customer ÷ factor (up to the deal), × factor (after it); the same
               weekly hours spread by it: rebalanced = total ÷ Σ hours per deal × hours per deal (the hours stay
               as they are when a pass rate of 0 makes a deal impossible); throughput = total ÷ Σ hours per deal

Which stage is the deal stage is fixed at export (the stage types are the page's choice); a row the page leaves
out (a missing or impossible figure) is listed below the table, not computed.
"""

from __future__ import annotations

from typing import Any

from workbook import bottleneck as neck
from workbook import carrier, xlsx
from workbook.export import ExportContext, ModuleSheet
from workbook.sheets import layout

PAGE = "s1_3"
DEFAULTS: dict[str, Any] = {
    "stages": neck.default_rows(), "actions": {}, "elevate_pct": neck.DEFAULT_ELEVATION * 100, "next_focus": "",
}
# Columns of the stage table.
NAME, KIND, HOURS, PER_CUSTOMER, PASS, CAPACITY, FACTOR, DEALS, BUSY, IDLE, MARK, ELEVATED, PER_DEAL, REBALANCED, \
    CHANGE = range(1, 16)


def _kind_label(ctx: ExportContext, kind: str) -> str:
    return ctx.t(f"s1.neck.kind.{kind if kind in neck.STAGE_KINDS else 'other'}")


def write(ctx: ExportContext, canvas: xlsx.Canvas) -> None:
    values = ctx.values(PAGE, DEFAULTS)
    rows = [row if isinstance(row, dict) else {} for row in (values["stages"] or [])]
    layout.widths(canvas, 22, 14, 12, 12, 12, 14, 12, 16, 14, 14, 10, 18, 14, 16, 14)
    row = layout.title_block(ctx, canvas, PAGE)
    row = layout.note(canvas, row, ctx.t("s1.neck.no_book_needed")) + 1
    row = layout.heading(canvas, row, ctx.t("s1.neck.table_title"))

    # The rows the page analyses, with their position in the saved table (the input cells' path).
    kept: list[tuple[int, neck.Stage]] = []
    left_out: list[tuple[int, str]] = []
    for index, saved in enumerate(rows):
        stages, issues = neck.stages_from_rows([saved])
        if stages:
            kept.append((index, stages[0]))
        elif issues:
            left_out.append((index, issues[0].problem))
    if not kept:
        layout.note(canvas, row, ctx.t("s1.neck.no_stages"))
        return
    analysis = neck.analyse(tuple(stage for _, stage in kept))
    deal = analysis.deal_index

    headers = [ctx.t(f"s1.neck.col.{key}") for key in (
        "name", "kind", "weekly_hours", "hours_per_customer", "pass_pct", "capacity", "to_deal", "deals",
        "utilisation", "idle_hours", "is_constraint")] + [ctx.t("export.s1_3.elevated"), ctx.t(
        "export.s1_3.hours_per_deal"), ctx.t("s1.neck.col.hours_rebalanced"), ctx.t("s1.neck.col.hours_change")]
    row = layout.header_row(canvas, row, headers)
    first, last = row, row + len(kept) - 1
    deals_range = xlsx.column_range(DEALS, first, last)
    throughput_row = last + 2
    throughput = xlsx.absolute(throughput_row, 2)
    elevate_row = throughput_row + 6
    elevate = xlsx.absolute(elevate_row, 2)
    constraint_position = f"MATCH({throughput},{deals_range},0)"
    per_deal_range = xlsx.column_range(PER_DEAL, first, last)
    hours_total = f"SUM({xlsx.column_range(HOURS, first, last)})"
    # No spread helps when a pass rate of 0 before the deal makes a deal impossible ("∞" hours per deal).
    spread_possible = f"AND(COUNT({per_deal_range})={len(kept)},SUM({per_deal_range})>0)"
    seed = (1, [dict(r) for r in rows])
    for position, (index, stage) in enumerate(kept):
        r = first + position
        label = ctx.pair("export.s1_3.stage_input", row=index + 1)
        ctx.input(canvas, r, NAME, module=PAGE, path=("stages", index, "name"), kind=carrier.TEXT,
                  value=stage.name or _kind_label(ctx, stage.kind),
                  label=ctx.both("export.s1_3.field", stage=label, field=ctx.pair("s1.neck.col.name")),
                  unit="text", blank=carrier.BLANK_EMPTY, seed=seed)
        canvas.text(r, KIND, _kind_label(ctx, stage.kind))
        for column, key, number, scale, number_format, minimum, maximum, unit in (
            (HOURS, "weekly_hours", stage.weekly_hours, 1.0, xlsx.HOURS, 0.0, None, "hours"),
            (PER_CUSTOMER, "hours_per_customer", stage.hours_per_customer, 1.0, xlsx.DECIMAL, 1e-9, None, "hours"),
            (PASS, "pass_pct", stage.pass_rate * 100.0, 100.0, xlsx.PERCENT0, 0.0, 100.0, "percent"),
        ):
            ctx.input(canvas, r, column, module=PAGE, path=("stages", index, key), kind=carrier.NUMBER,
                      value=number, label=ctx.both("export.s1_3.field", stage=label,
                                                   field=ctx.pair(f"s1.neck.col.{key}")),
                      unit=unit, scale=scale, number_format=number_format, minimum=minimum, maximum=maximum,
                      blank=carrier.BLANK_REFUSE, seed=seed)
        canvas.formula(r, CAPACITY, f"{xlsx.relative(r, HOURS)}/{xlsx.relative(r, PER_CUSTOMER)}", "body",
                       xlsx.DECIMAL)
        pass_letter = xlsx.letter(PASS)
        if position < deal:
            canvas.formula(r, FACTOR, f"PRODUCT({pass_letter}{r}:{pass_letter}{first + deal - 1})", "body", xlsx.RATIO)
        elif position == deal:
            canvas.number(r, FACTOR, 1, "body", xlsx.RATIO)
        else:
            canvas.formula(r, FACTOR, f"PRODUCT({pass_letter}{first + deal}:{pass_letter}{r - 1})", "body", xlsx.RATIO)
        capacity, factor_ref = xlsx.relative(r, CAPACITY), xlsx.relative(r, FACTOR)
        if position <= deal:
            canvas.formula(r, DEALS, f"{capacity}*{factor_ref}", "key", xlsx.DECIMAL)
        else:  # after the deal: the deals whose follow-up this stage keeps up with; no flow reaches it → ∞
            canvas.formula(r, DEALS, f'IF({factor_ref}>0,{capacity}/{factor_ref},"∞")', "key", xlsx.DECIMAL)
        deals = xlsx.relative(r, DEALS)
        canvas.formula(r, BUSY, f"IF(ISNUMBER({deals}),IF({deals}=0,1,{throughput}/{deals}),0)", "body",
                       xlsx.PERCENT0)
        canvas.formula(r, IDLE, f"{xlsx.relative(r, HOURS)}*(1-{xlsx.relative(r, BUSY)})", "body", xlsx.HOURS)
        mark = xlsx.formula_string(ctx.t("export.s1_3.mark"))
        canvas.formula(r, MARK, f'IF({constraint_position}={position + 1},{mark},"")', "warning")
        canvas.formula(r, ELEVATED, f"IF(ISNUMBER({deals}),IF({constraint_position}={position + 1},"
                                    f"{deals}*(1+{elevate}),{deals}),{deals})", "body", xlsx.DECIMAL)
        per = xlsx.relative(r, PER_CUSTOMER)
        if position <= deal:
            canvas.formula(r, PER_DEAL, f'IF({factor_ref}>0,{per}/{factor_ref},"∞")', "body", xlsx.DECIMAL)
        else:
            canvas.formula(r, PER_DEAL, f"{per}*{factor_ref}", "body", xlsx.DECIMAL)
        canvas.formula(r, REBALANCED, f"IF({spread_possible},{hours_total}/SUM({per_deal_range})*"
                                      f"{xlsx.relative(r, PER_DEAL)},{xlsx.relative(r, HOURS)})", "body", xlsx.HOURS)
        canvas.formula(r, CHANGE, f"{xlsx.relative(r, REBALANCED)}-{xlsx.relative(r, HOURS)}", "body",
                       xlsx.SIGNED_HOURS)

    # ---- identify: throughput and the constraint ----
    names, kinds = xlsx.column_range(NAME, first, last), xlsx.column_range(KIND, first, last)

    def stage_name(position: str) -> str:
        return f'IF(INDEX({names},{position})="",INDEX({kinds},{position}),INDEX({names},{position}))'

    row = throughput_row
    canvas.text(row, 1, ctx.t("s1.neck.throughput_metric"), "key")
    canvas.formula(row, 2, f"MIN({deals_range})", "key", xlsx.DECIMAL)
    ctx.key_figure(PAGE, ctx.t("s1.neck.throughput_metric"), canvas.ref(row, 2), xlsx.DECIMAL)
    row += 1
    canvas.text(row, 1, ctx.t("s1.neck.constraint_metric"), "key")
    canvas.formula(row, 2, stage_name(constraint_position), "key")
    ctx.key_figure(PAGE, ctx.t("s1.neck.constraint_metric"), canvas.ref(row, 2), xlsx.GENERAL)
    row += 1
    canvas.text(row, 1, ctx.t("s1.neck.throughput_month"))
    canvas.formula(row, 2, f"{throughput}*52/12", "body", xlsx.DECIMAL)
    row += 1
    canvas.text(row, 1, ctx.t("s1.neck.idle_metric"))
    idle = xlsx.column_range(IDLE, first, last)
    canvas.formula(row, 2, f"SUM({idle})-INDEX({idle},{constraint_position})", "body", xlsx.HOURS)
    row += 1
    if analysis.deal_stage_assumed:
        canvas.text(row, 1, ctx.t("s1.neck.deal_assumed", name=kept[deal][1].name or _kind_label(
            ctx, kept[deal][1].kind)), "note")
    row = elevate_row - 1

    # ---- elevate: the what-if ----
    row = layout.heading(canvas, row, ctx.t("export.s1_3.elevate"))
    canvas.text(row, 1, ctx.t("export.s1_3.elevate_pct"))
    ctx.input(canvas, row, 2, module=PAGE, path=("elevate_pct",), kind=carrier.NUMBER, value=values["elevate_pct"],
              label=ctx.both("export.s1_3.elevate_pct"), unit="percent", scale=100.0, number_format=xlsx.PERCENT0,
              minimum=0.0, blank=carrier.BLANK_REFUSE)
    row += 1
    elevated_range = xlsx.column_range(ELEVATED, first, last)
    canvas.text(row, 1, ctx.t("export.s1_3.new_throughput"), "key")
    canvas.formula(row, 2, f"MIN({elevated_range})", "key", xlsx.DECIMAL)
    new_throughput = xlsx.absolute(row, 2)
    row += 1
    canvas.text(row, 1, ctx.t("export.s1_3.new_constraint"), "key")
    canvas.formula(row, 2, stage_name(f"MATCH({new_throughput},{elevated_range},0)"), "key")
    row += 1
    canvas.text(row, 1, ctx.t("export.s1_3.extra_hours"))
    canvas.formula(row, 2, f"INDEX({xlsx.column_range(HOURS, first, last)},{constraint_position})*{elevate}",
                   "body", xlsx.HOURS)
    row += 1
    canvas.text(row, 1, ctx.t("export.s1_3.per_customer_after"))
    canvas.formula(row, 2, f"INDEX({xlsx.column_range(PER_CUSTOMER, first, last)},{constraint_position})"
                           f"/(1+{elevate})", "body", xlsx.DECIMAL)
    row += 2

    # ---- subordinate: the same hours, rebalanced ----
    row = layout.heading(canvas, row, ctx.t("s1.neck.step.subordinate.title"))
    row = layout.note(canvas, row, ctx.t("export.s1_3.subordinate_note"))
    canvas.text(row, 1, ctx.t("export.s1_3.rebalanced_throughput"), "key")
    canvas.formula(row, 2, f"IF({spread_possible},{hours_total}/SUM({per_deal_range}),{throughput})", "key",
                   xlsx.DECIMAL)
    rebalanced = xlsx.absolute(row, 2)
    row += 1
    canvas.text(row, 1, ctx.t("export.s1_3.rebalanced_gain"))
    canvas.formula(row, 2, f'IF({throughput}>0,{rebalanced}/{throughput}-1,"—")', "body", xlsx.PERCENT0)
    row += 1
    canvas.text(row, 1, ctx.t("export.s1_3.hours_moved"))
    change = xlsx.column_range(CHANGE, first, last)
    canvas.formula(row, 2, f'-SUMIF({change},"<0")', "body", xlsx.HOURS)
    row += 2

    if left_out:
        row = layout.heading(canvas, row, ctx.t("export.s1_3.left_out"))
        for index, problem in left_out:
            row = layout.note(canvas, row, ctx.t(f"s1.neck.issue.{problem}", row=index + 1))
        row += 1

    # ---- steps 2–5: the trainee's actions ----
    row = layout.heading(canvas, row, ctx.t("s1.neck.worksheet_title"))
    actions = values["actions"] if isinstance(values["actions"], dict) else {}
    for step in neck.ACTION_STEPS:
        canvas.text(row, 1, ctx.t(f"s1.neck.step.{step}.title"), "wrap")
        canvas.merged.append(f"B{row}:H{row}")
        ctx.input(canvas, row, 2, module=PAGE, path=("actions", step), kind=carrier.TEXT,
                  value=str(actions.get(step) or ""), label=ctx.both(f"s1.neck.step.{step}.title"), unit="text",
                  blank=carrier.BLANK_EMPTY)
        canvas.row_heights[row] = 48
        row += 1
    canvas.text(row, 1, ctx.t("s1.neck.next_focus"), "wrap")
    canvas.merged.append(f"B{row}:H{row}")
    ctx.input(canvas, row, 2, module=PAGE, path=("next_focus",), kind=carrier.TEXT, value=values["next_focus"],
              label=ctx.both("s1.neck.next_focus"), unit="text", blank=carrier.BLANK_EMPTY)
    canvas.row_heights[row] = 48


SHEET = ModuleSheet(PAGE, write)
