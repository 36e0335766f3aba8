"""3.4 差异化服务矩阵 in Excel: the service matrix of the scheme chosen on the page (text cells the trainee can
edit), and each tier's plan cost against its revenue, live (:func:`workbook.services.plan_costs`)::

    customers      = customers of the tier on the customer sheet        revenue = Σ their revenue (1.4's formula)
    plan hours     = hours per customer × customers
    time cost      = plan hours × HourlyCost (1.4)                      benefits = benefits per customer × customers
    plan cost      = time cost + benefits                                margin  = revenue − plan cost
    cost share     = plan cost ÷ revenue                                 over    = plan cost > revenue, customers > 0
    capacity       = Σ plan hours against the effective hours of 1.4
    today          = what the book records per tier for the last 12 months (hours, gifts, events, rebates:
                     SUMIF over the customer sheet; "—" for a field the book lacks), beside the plan:
                     hours ± = plan hours − hours today; freed = Σ of the negative ones, needed = Σ of the positive

Hours and benefits per customer are inputs; so is every cell of the matrix. Change the hourly cost on the 1.4
sheet and every tier's plan cost follows. Totals are in 万元, per-customer figures in 元, as on the page.
"""

from __future__ import annotations

from workbook import carrier, services, xlsx
from workbook.export import Both, ExportContext, ModuleSheet
from workbook.schema import field_label
from workbook.segmentation import INSUFFICIENT, SCHEME_IDS, SCHEMES
from workbook.sheets import layout
from workbook.sheets.s1_4 import EFFECTIVE_HOURS, HOURLY_COST, present, profit_params

PAGE = "s3_4"
WAN = xlsx.WAN_DIVISOR
# Columns of the cost table.
TIER, CUSTOMERS, REVENUE, HOURS, BENEFITS, PLAN_HOURS, TIME_COST, BENEFITS_TOTAL, PLAN_COST, MARGIN, SHARE, STATUS = (
    range(1, 13))


def chosen_scheme(ctx: ExportContext) -> str:
    """The scheme the page shows: the one chosen on 3.4, else the one chosen on 3.2, else the AUM ladder."""
    saved = ctx.values(PAGE, {"scheme": None, "overrides": {}})
    chosen = ctx.values("s3_2", {"scheme": "aum", "params": {}})
    scheme_id = saved["scheme"] or chosen.get("scheme") or "aum"
    return scheme_id if scheme_id in SCHEME_IDS else "aum"


def write(ctx: ExportContext, canvas: xlsx.Canvas) -> None:
    saved = ctx.values(PAGE, {"scheme": None, "overrides": {}})
    scheme_id = chosen_scheme(ctx)
    scheme = SCHEMES[scheme_id]
    detail, _, _ = ctx.segmentation(scheme_id)
    params = profit_params(ctx)
    from_s1_4 = any(key in ctx.values("s1_4", {}) for key in services.HOURLY_COST_KEYS)
    stats = services.tier_revenue(ctx.book, detail.tiers, params)
    codes = [t.code for t in detail.tier_list if t.code != INSUFFICIENT or int(stats["customers"].get(t.code, 0))]
    all_overrides = saved["overrides"] if isinstance(saved["overrides"], dict) else {}
    overrides = all_overrides.get(scheme_id, {}) if isinstance(all_overrides.get(scheme_id), dict) else {}
    rows = services.matrix_rows(scheme_id, codes, ctx.lang, overrides)
    labels = detail.labels(ctx.lang)
    scheme_name = Both(scheme.name("zh"), scheme.name("en"))
    tiers = {t.code: Both(t.zh, t.en) for t in detail.tier_list}

    layout.widths(canvas, 18, 12, 14, 14, 14, 14, 14, 14, 14, 14, 12, 16)
    row = layout.title_block(ctx, canvas, PAGE)
    canvas.text(row, 1, ctx.t("export.s3_4.scheme"), "header")
    canvas.text(row, 2, scheme.name(ctx.lang))
    canvas.text(row, 4, ctx.t("export.s1_2.choice_in_app"), "note")
    row += 2

    # ---- the matrix (text inputs) ----
    row = layout.heading(canvas, row, ctx.t("s3_4.matrix_title"))
    row = layout.header_row(canvas, row, [ctx.t("tiers.col.tier")] + [
        ctx.t(f"service.dim.{d}") for d in services.DIMENSIONS])
    for column in range(2, 2 + len(services.DIMENSIONS)):
        canvas.width(column, max(canvas.widths.get(column, 14), 22))
    for matrix_row in rows:
        code = matrix_row["tier"]
        canvas.text(row, 1, labels[code], "key")
        tier = tiers[code]
        for offset, dimension in enumerate(services.DIMENSIONS, start=2):
            ctx.input(canvas, row, offset, module=PAGE, path=("overrides", scheme_id, code, dimension),
                      kind=carrier.TEXT, value=matrix_row[dimension],
                      label=ctx.both("export.s3_4.cell", scheme=scheme_name, tier=tier,
                                     column=ctx.pair(f"service.dim.{dimension}")),
                      unit="text", blank=carrier.BLANK_EMPTY)
        canvas.row_heights[row] = 64
        row += 1
    row += 1

    # ---- plan cost against revenue (live) ----
    row = layout.heading(canvas, row, ctx.t("s3_4.cost_title"))
    row = layout.note(canvas, row, ctx.t("export.s3_4.cost_note"))
    if not services.revenue_known(ctx.book):
        row = layout.note(canvas, row, ctx.t("export.s3_4.no_revenue"))
    wan = ctx.t("export.unit.wan")
    row = layout.header_row(canvas, row, [
        ctx.t("tiers.col.tier"), ctx.t("tiers.col.customers"),
        ctx.t("export.col.money", what=ctx.t("s3_4.col.revenue"), unit=wan),
        ctx.t("service.col.hours"), ctx.t("service.col.benefits_cost"), ctx.t("s3_4.col.plan_hours"),
        ctx.t("export.col.money", what=ctx.t("s3_4.col.time_cost"), unit=wan),
        ctx.t("export.col.money", what=ctx.t("s3_4.col.benefits_total"), unit=wan),
        ctx.t("export.col.money", what=ctx.t("s3_4.col.plan_cost"), unit=wan),
        ctx.t("export.col.money", what=ctx.t("s3_4.col.margin"), unit=wan),
        ctx.t("s3_4.col.cost_share"), ctx.t("s3_4.col.status")])
    canvas.row_heights[row - 1] = 48
    tier_range = ctx.book_range(f"tier:{scheme_id}")
    revenue_range = ctx.book_range("revenue")
    first = row
    over_text = xlsx.formula_string(ctx.t("s3_4.status_over"))
    ok_text = xlsx.formula_string(ctx.t("s3_4.status_ok"))
    for matrix_row in rows:
        code = matrix_row["tier"]
        tier = tiers[code]
        canvas.text(row, TIER, labels[code])
        label, r = xlsx.relative(row, TIER), row
        canvas.formula(r, CUSTOMERS, f"SUMPRODUCT(--({tier_range}={label}))", "body", xlsx.COUNT)
        if revenue_range is not None:
            canvas.formula(r, REVENUE, f"SUMPRODUCT(({tier_range}={label})*{revenue_range})/{WAN}", "body", xlsx.WAN)
        else:  # no 1.4 sheet to compute revenue from: the app's figure, as at export
            canvas.number(r, REVENUE, float(stats["revenue"].get(code, 0.0)) / WAN, "body", xlsx.WAN)
        for column, key in ((HOURS, "hours"), (BENEFITS, "benefits_cost")):
            ctx.input(canvas, r, column, module=PAGE, path=("overrides", scheme_id, code, key),
                      kind=carrier.NUMBER, value=matrix_row[key],
                      label=ctx.both("export.s3_4.cell", scheme=scheme_name, tier=tier,
                                     column=ctx.pair(f"service.col.{key}")),
                      unit="hours" if key == "hours" else "yuan", number_format=xlsx.HOURS if key == "hours"
                      else xlsx.YUAN, minimum=0.0, blank=carrier.BLANK_REFUSE)
        cell = {column: xlsx.relative(r, column) for column in range(TIER, STATUS + 1)}
        canvas.formula(r, PLAN_HOURS, f"{cell[HOURS]}*{cell[CUSTOMERS]}", "body", xlsx.COUNT)
        canvas.formula(r, TIME_COST, f"{cell[PLAN_HOURS]}*{HOURLY_COST}/{WAN}", "body", xlsx.WAN)
        canvas.formula(r, BENEFITS_TOTAL, f"{cell[BENEFITS]}*{cell[CUSTOMERS]}/{WAN}", "body", xlsx.WAN)
        canvas.formula(r, PLAN_COST, f"{cell[TIME_COST]}+{cell[BENEFITS_TOTAL]}", "key", xlsx.WAN)
        canvas.formula(r, MARGIN, f"{cell[REVENUE]}-{cell[PLAN_COST]}", "body", xlsx.WAN)
        canvas.formula(r, SHARE, f'IF({cell[REVENUE]}>0,{cell[PLAN_COST]}/{cell[REVENUE]},"—")', "body",
                       xlsx.PERCENT0)
        canvas.formula(r, STATUS, f'IF({cell[CUSTOMERS]}=0,"—",IF({cell[PLAN_COST]}>{cell[REVENUE]},{over_text},'
                                  f'{ok_text}))', "body")
        row += 1
    last = row - 1
    canvas.text(row, TIER, ctx.t("export.col.total"), "key")
    for column in (CUSTOMERS, REVENUE, PLAN_HOURS, TIME_COST, BENEFITS_TOTAL, PLAN_COST, MARGIN):
        canvas.formula(row, column, f"SUM({xlsx.column_range(column, first, last)})", "key",
                       xlsx.COUNT if column in (CUSTOMERS, PLAN_HOURS) else xlsx.WAN)
    total_row = row
    ctx.key_figure(PAGE, ctx.t("s3_4.total_cost"), canvas.ref(total_row, PLAN_COST), xlsx.WAN, wan)
    ctx.key_figure(PAGE, ctx.t("s3_4.total_hours"), canvas.ref(total_row, PLAN_HOURS), xlsx.COUNT,
                   ctx.t("export.unit.hours"))
    row += 2
    # Long labels over three columns, the figure beside them.
    canvas.text(row, 1, ctx.t("export.s3_4.available"))
    canvas.merged.append(f"A{row}:C{row}")
    canvas.formula(row, 4, EFFECTIVE_HOURS, "body", xlsx.COUNT)
    canvas.text(row, 5, ctx.t("export.unit.hours"), "note")
    row += 1
    over_capacity = xlsx.formula_string(ctx.t("export.s3_4.over_capacity"))
    within = xlsx.formula_string(ctx.t("export.s3_4.within_capacity"))
    canvas.text(row, 1, ctx.t("export.s3_4.capacity"))
    canvas.merged.append(f"A{row}:C{row}")
    canvas.merged.append(f"D{row}:F{row}")
    canvas.formula(row, 4, f"IF({xlsx.absolute(total_row, PLAN_HOURS)}>{EFFECTIVE_HOURS},{over_capacity},{within})",
                   "key")
    row += 2
    row = layout.note(canvas, row, ctx.t("s3_4.hourly_from_s1_4" if from_s1_4 else "s3_4.hourly_default",
                                         hourly=f"{params.hourly_cost:,.0f}", page=ctx.t("nav.s1_4"),
                                         annual=f"{params.annual_cost:,.0f}",
                                         hours=f"{params.effective_hours:,.0f}"))
    row += 1
    _today(ctx, canvas, row, rows, labels, tier_range, first)


# Columns of the today-beside-the-plan table.
T_TIER, T_CUSTOMERS, T_TODAY, T_PLAN, T_CHANGE, T_GIFTS, T_EVENTS, T_REBATES, T_BENEFITS = range(1, 10)


def _today(ctx: ExportContext, canvas: xlsx.Canvas, row: int, rows: list[dict], labels: dict[str, str],
           tier_range: str | None, cost_first: int) -> int:
    """Each tier's plan beside what the book records for it today (``services.plan_vs_today``), live."""
    row = layout.heading(canvas, row, ctx.t("s3_4.today_title"))
    row = layout.note(canvas, row, ctx.t("s3_4.today_help"))
    missing = [key for key in services.ACTUAL_FIELDS if key not in ctx.book.columns]
    if missing:
        row = layout.note(canvas, row, ctx.t("s3_4.today_unknown", fields=ctx.t("common.list_sep").join(
            field_label(key, ctx.lang) for key in missing)))
    row = layout.header_row(canvas, row, [
        ctx.t("tiers.col.tier"), ctx.t("tiers.col.customers"), ctx.t("s3_4.col.hours_today"),
        ctx.t("s3_4.col.plan_hours"), ctx.t("s3_4.col.hours_change"), ctx.t("s3_4.col.gifts_today"),
        ctx.t("s3_4.col.events_today"), ctx.t("s3_4.col.rebates_today"), ctx.t("s3_4.col.benefits_planned")])
    first = row
    hours_known = "service_hours_12m" in ctx.book.columns and present(ctx.book, "service_hours_12m")
    for offset, matrix_row in enumerate(rows):
        code = matrix_row["tier"]
        r, cost_row = row, cost_first + offset
        canvas.text(r, T_TIER, labels[code])
        label = xlsx.relative(r, T_TIER)
        canvas.formula(r, T_CUSTOMERS, xlsx.relative(cost_row, CUSTOMERS), "body", xlsx.COUNT)
        for column, key, divisor in ((T_TODAY, "service_hours_12m", 1), (T_GIFTS, "gift_cost_12m", WAN),
                                     (T_EVENTS, "event_cost_12m", WAN), (T_REBATES, "rebate_cost_12m", WAN)):
            source = ctx.book_range(key) if key in ctx.book.columns else None
            if source is None or tier_range is None:
                canvas.text(r, column, "—")
                continue
            scale = "" if divisor == 1 else f"/{divisor}"
            canvas.formula(r, column, f"SUMIF({tier_range},{label},{source}){scale}", "body",
                           xlsx.COUNT if divisor == 1 else xlsx.WAN)
        canvas.formula(r, T_PLAN, xlsx.relative(cost_row, PLAN_HOURS), "body", xlsx.COUNT)
        if hours_known:
            canvas.formula(r, T_CHANGE, f"{xlsx.relative(r, T_PLAN)}-{xlsx.relative(r, T_TODAY)}", "body",
                           xlsx.SIGNED_HOURS)
        else:
            canvas.text(r, T_CHANGE, "—")
        canvas.formula(r, T_BENEFITS, f"{xlsx.relative(cost_row, BENEFITS_TOTAL)}", "body", xlsx.WAN)
        row += 1
    last = row - 1
    if hours_known and rows:
        change = xlsx.column_range(T_CHANGE, first, last)
        for key, expression in (("s3_4.hours_today", f"SUM({xlsx.column_range(T_TODAY, first, last)})"),
                                ("s3_4.hours_planned", f"SUM({xlsx.column_range(T_PLAN, first, last)})"),
                                ("s3_4.hours_freed", f'-SUMIF({change},"<0")'),
                                ("s3_4.hours_needed", f'SUMIF({change},">0")')):
            row += 1
            canvas.text(row, 1, ctx.t(key))
            canvas.merged.append(f"A{row}:C{row}")
            canvas.formula(row, 4, expression, "key", xlsx.COUNT)
            canvas.text(row, 5, ctx.t("export.unit.hours"), "note")
    row += 2
    return layout.note(canvas, row, ctx.t("s3_4.rebates_note"))


SHEET = ModuleSheet(PAGE, write)
