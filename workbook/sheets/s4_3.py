"""4.3 有效产出会计 in Excel: T, OE, NP, T ÷ OE, T per hour, investment and ROI per tier and for the whole book, and
the best use of the manager's hours against today's — all live formulas over the customer sheet and the 1.4 inputs
(:mod:`workbook.throughput`)::

    per tier   customers = COUNTIF(tier)          revenue, truly variable cost = SUMIF over the customer sheet
               T = revenue − variable             hours = Σ the customers' service hours as 1.4 prices
                                                  them (the book's, or 1.4's assumed ones)
               OE = hours × HourlyCost            NP = T − OE        T ÷ OE        T per hour = T ÷ hours
               ROI = NP ÷ I (I: the marketing budget, an input)
    the book   OE = the annual cost (1.4) + other operating expense (an input);  NP = ΣT − OE;  T ÷ OE;  ROI
    allocation floor = own floor or today × floor %; ceiling = max(own ceiling or today × ceiling %, floor);
               every tier gets its floor, the hours left go in descending T per hour, each tier filled to its
               ceiling before the next, never to a tier whose T per hour is ≤ 0 (allocate_hours' greedy fill, the
               exact optimum): extra = MIN(ceiling − floor, MAX(left − Σ the room of the better tiers, 0))

Money is in 万元 (the cell holds 元 ÷ 10,000), T per hour in 元. Which tiers are listed (customers in the book) and
which can be priced per hour is as at export; every figure is live.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from workbook import carrier, services, xlsx
from workbook import throughput as tp
from workbook.export import ExportContext, ModuleSheet
from workbook.schema import field_label, finite_number
from workbook.sheets import layout
from workbook.sheets.s1_4 import ANNUAL_COST, HOURLY_COST, hours_column, present, profit_params

PAGE = "s4_3"
WAN = xlsx.WAN_DIVISOR
DEFAULTS: dict[str, Any] = {"scheme": None, "other_oe": 0.0, "investment": {}, "available": None,
                            "floor_pct": tp.DEFAULT_FLOOR_SHARE * 100, "ceiling_pct": tp.DEFAULT_CEILING_SHARE * 100,
                            "bounds": {}}
NP_TODAY = "ThroughputNP"  # defined name of the book's NP today
# Columns of the tier table.
TIER, CUSTOMERS, REVENUE, VARIABLE, T, HOURS, OE, NP, T_OVER_OE, PER_HOUR, INVESTMENT, ROI = range(1, 13)
# Columns of the allocation table.
(A_TIER, A_TODAY, A_PER_HOUR, A_OWN_FLOOR, A_OWN_CEILING, A_FLOOR, A_CEILING, A_RANK, A_BEST, A_MOVED, A_T_TODAY,
 A_T_BEST) = range(1, 13)


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _number(value: Any, default: float) -> float:
    number = finite_number(value)
    return default if number is None else number


def write(ctx: ExportContext, canvas: xlsx.Canvas) -> None:
    values = ctx.values(PAGE, DEFAULTS)
    scheme_id = layout.page_scheme(ctx, PAGE)
    detail, _, _ = ctx.segmentation(scheme_id)
    params = profit_params(ctx)
    labels = detail.labels(ctx.lang)
    names = layout.tier_names(detail)
    wan = ctx.t("export.unit.wan")
    layout.widths(canvas, 40, 12, 14, 14, 14, 14, 14, 14, 12, 16, 16, 12)
    row = layout.title_block(ctx, canvas, PAGE)
    canvas.text(row, 1, ctx.t("s4.scheme_label"), "header")
    canvas.text(row, 2, detail_name(ctx, scheme_id))
    canvas.text(row, 4, ctx.t("export.s1_2.choice_in_app"), "note")
    row += 2
    row = layout.note(canvas, row, ctx.t("export.s4_3.definitions"))
    if not services.revenue_known(ctx.book):
        fields = ctx.t("common.list_sep").join(field_label(key, ctx.lang) for key in services.missing_revenue_inputs(
            ctx.book))
        layout.note(canvas, row + 1, ctx.t("s4_3.no_revenue", fields=fields))
        return

    # The tiers' hours are the ones 1.4 prices (the book's, else its cost-to-serve assumptions), as on the page.
    hours_recorded = present(ctx.book, "service_hours_12m")
    investment = {k: _number(v, 0.0) for k, v in _mapping(_mapping(values["investment"]).get(scheme_id)).items()}
    by_tier = tp.throughput_by_tier(ctx.book, detail.tiers, params, investment=investment)
    codes = [code for code in by_tier.index if int(by_tier.loc[code, "customers"]) > 0]

    # ---- the whole book's inputs ----
    canvas.text(row, 1, ctx.t("s4_3.other_oe"))
    other_oe = ctx.input(canvas, row, 2, module=PAGE, path=("other_oe",), kind=carrier.NUMBER,
                         value=_number(values["other_oe"], 0.0), label=ctx.both("s4_3.other_oe"), unit="wan", scale=WAN,
                         number_format=xlsx.WAN, minimum=0.0, blank=carrier.BLANK_REFUSE)
    canvas.text(row, 3, wan, "note")
    row += 2

    # ---- per tier ----
    row = layout.heading(canvas, row, ctx.t("s4_3.tiers_title"))
    row = layout.header_row(canvas, row, [
        ctx.t("tiers.col.tier"), ctx.t("tiers.col.customers"),
        *(ctx.t("export.col.money", what=ctx.t(f"s4_3.col.{key}"), unit=wan) for key in ("revenue", "variable", "t")),
        ctx.t("s4_3.col.hours"),
        *(ctx.t("export.col.money", what=ctx.t(f"s4_3.col.{key}"), unit=wan) for key in ("oe", "np")),
        ctx.t("s4_3.col.t_over_oe"), ctx.t("export.s4_3.per_hour_header"),
        ctx.t("s4_3.col.investment_wan"), ctx.t("s4_3.col.roi")])
    canvas.row_heights[row - 1] = 36
    tier_range = ctx.book_range(f"tier:{scheme_id}")
    hours_range = hours_column(ctx)
    if ctx.book_range("revenue") is None or ctx.book_range("variable_cost") is None:
        raise ValueError("the 1.4 columns of the customer sheet are missing")  # its writer failed: say so here too
    first = row
    tier_rows: dict[str, int] = {}
    for code in codes:
        r = row
        tier_rows[code] = r
        canvas.text(r, TIER, labels[code])
        label = xlsx.relative(r, TIER)
        cell = {column: xlsx.relative(r, column) for column in range(TIER, ROI + 1)}
        canvas.formula(r, CUSTOMERS, f"COUNTIF({tier_range},{label})", "body", xlsx.COUNT)
        canvas.formula(r, REVENUE, f"SUMIF({tier_range},{label},{ctx.book_range('revenue')})/{WAN}", "body", xlsx.WAN)
        canvas.formula(r, VARIABLE, f"SUMIF({tier_range},{label},{ctx.book_range('variable_cost')})/{WAN}", "body",
                       xlsx.WAN)
        canvas.formula(r, T, f"{cell[REVENUE]}-{cell[VARIABLE]}", "key", xlsx.WAN)
        if hours_range is None:  # no hours recorded and 1.4's assumptions off: no time cost, no T per hour
            canvas.text(r, HOURS, "—")
        else:
            recorded = f"SUMPRODUCT(({tier_range}={label})*ISNUMBER({hours_range}))"
            canvas.formula(r, HOURS, f'IF({recorded}>0,SUMIF({tier_range},{label},{hours_range}),"")', "body",
                           xlsx.COUNT)
        canvas.formula(r, OE, f"N({cell[HOURS]})*{HOURLY_COST}/{WAN}", "body", xlsx.WAN)
        canvas.formula(r, NP, f"{cell[T]}-{cell[OE]}", "key", xlsx.WAN)
        canvas.formula(r, T_OVER_OE, f'IF({cell[OE]}>0,{cell[T]}/{cell[OE]},"—")', "body", xlsx.RATIO)
        canvas.formula(r, PER_HOUR, f'IF(N({cell[HOURS]})>0,{cell[T]}*{WAN}/{cell[HOURS]},"—")', "key", xlsx.YUAN)
        ctx.input(canvas, r, INVESTMENT, module=PAGE, path=("investment", scheme_id, code), kind=carrier.NUMBER,
                  value=investment.get(code) or None, label=ctx.both("export.s4_3.investment", tier=names[code]),
                  unit="wan", scale=WAN, number_format=xlsx.WAN, minimum=0.0, blank=carrier.BLANK_DELETE)
        canvas.formula(r, ROI, f'IF(N({cell[INVESTMENT]})>0,{cell[NP]}/{cell[INVESTMENT]},"—")', "body",
                       xlsx.PERCENT0)
        row += 1
    last = row - 1
    row = _totals(ctx, canvas, row, first, last, other_oe)
    if not hours_recorded:
        row = layout.note(canvas, row, ctx.t("export.s4_3.hours_source", page=ctx.t("nav.s1_4")))
    row += 1

    # ---- the best use of the hours ----
    priced = [c for c in codes if by_tier.loc[c, "hours"] > 0 and by_tier.loc[c, "t_per_hour"] == by_tier.loc[
        c, "t_per_hour"]]
    _allocation(ctx, canvas, row, values, scheme_id, priced, tier_rows, by_tier, labels, names)


def detail_name(ctx: ExportContext, scheme_id: str) -> str:
    from workbook.segmentation import get_scheme

    return get_scheme(scheme_id).name(ctx.lang)


def _totals(ctx: ExportContext, canvas: xlsx.Canvas, row: int, first: int, last: int, other_oe: str) -> int:
    """The tiers' sums, then the whole book as 4.3 shows it: OE is the year's annual cost and other costs."""
    canvas.text(row, TIER, ctx.t("export.col.total"), "key")
    for column in (CUSTOMERS, REVENUE, VARIABLE, T, HOURS, OE, NP, INVESTMENT):
        canvas.formula(row, column, f"SUM({xlsx.column_range(column, first, last)})", "key",
                       xlsx.COUNT if column in (CUSTOMERS, HOURS) else xlsx.WAN)
    t_total, oe_assigned = xlsx.absolute(row, T), xlsx.absolute(row, OE)
    invested = xlsx.absolute(row, INVESTMENT)
    row += 2
    row = layout.heading(canvas, row, ctx.t("s4_3.totals_title"))
    wan = ctx.t("export.unit.wan")
    figures: list[tuple[str, str, str, str]] = [
        ("s4_3.metric.t", t_total, xlsx.WAN, wan),
        ("s4_3.metric.oe", f"{ANNUAL_COST}+{other_oe}", xlsx.WAN, wan),
    ]
    refs: dict[str, str] = {}
    for key, expression, number_format, unit in figures:
        canvas.text(row, 1, ctx.t(key), "key")
        canvas.formula(row, 2, expression, "key", number_format)
        canvas.text(row, 3, unit, "note")
        refs[key] = xlsx.absolute(row, 2)
        row += 1
    oe_total = refs["s4_3.metric.oe"]
    for key, expression, number_format, unit in (
        ("s4_3.metric.np", f"{t_total}-{oe_total}", xlsx.WAN, wan),
        ("s4_3.metric.t_over_oe", f'IF({oe_total}>0,{t_total}/{oe_total},"—")', xlsx.RATIO, ""),
        ("s4_3.metric.roi", f'IF({invested}>0,({t_total}-{oe_total})/{invested},"—")', xlsx.PERCENT0, ""),
        ("export.s4_3.oe_assigned", oe_assigned, xlsx.WAN, wan),
        ("export.s4_3.oe_unassigned", f"{oe_total}-{oe_assigned}", xlsx.WAN, wan),
    ):
        canvas.text(row, 1, ctx.t(key), "key" if key.startswith("s4_3") else "body")
        canvas.formula(row, 2, expression, "key" if key.startswith("s4_3") else "body", number_format)
        canvas.text(row, 3, unit, "note")
        refs[key] = xlsx.absolute(row, 2)
        row += 1
    ctx.define_name(NP_TODAY, xlsx.sheet_ref(canvas.title, refs["s4_3.metric.np"]))
    for key in ("s4_3.metric.t", "s4_3.metric.np"):
        ctx.key_figure(PAGE, ctx.t(key), xlsx.sheet_ref(canvas.title, refs[key]), xlsx.WAN, wan)
    ctx.key_figure(PAGE, ctx.t("s4_3.metric.t_over_oe"), xlsx.sheet_ref(canvas.title, refs["s4_3.metric.t_over_oe"]),
                   xlsx.RATIO)
    return row + 1


def _allocation(ctx: ExportContext, canvas: xlsx.Canvas, row: int, values: Mapping[str, Any], scheme_id: str,
                priced: list[str], tier_rows: Mapping[str, int], by_tier: Any, labels: Mapping[str, str],
                names: Mapping[str, Any]) -> int:
    row = layout.heading(canvas, row, ctx.t("s4_3.allocation_title"))
    row = layout.note(canvas, row, ctx.t("s4_3.allocation_help"))
    if not priced:
        return layout.note(canvas, row, ctx.t("s4_3.allocation_empty"))
    today_total = float(by_tier.loc[priced, "hours"].sum())
    saved_available = values["available"]
    available_value = _number(saved_available, round(today_total)) if saved_available is not None else round(
        today_total)
    hours_unit = ctx.t("export.unit.hours")
    inputs = {}
    for name, value, label_key, unit, scale, number_format, minimum, maximum, blank in (
        ("available", available_value, "s4_3.available", "hours", 1.0, xlsx.COUNT, 0.0, None, carrier.BLANK_NONE),
        ("floor_pct", _number(values["floor_pct"], tp.DEFAULT_FLOOR_SHARE * 100), "s4_3.floor_pct", "percent", 100.0,
         xlsx.PERCENT0, 0.0, 100.0, carrier.BLANK_REFUSE),
        ("ceiling_pct", _number(values["ceiling_pct"], tp.DEFAULT_CEILING_SHARE * 100), "s4_3.ceiling_pct",
         "percent", 100.0, xlsx.PERCENT0, 100.0, 1_000.0, carrier.BLANK_REFUSE),
    ):
        canvas.text(row, 1, ctx.t(label_key))
        inputs[name] = ctx.input(canvas, row, 2, module=PAGE, path=(name,), kind=carrier.NUMBER, value=value,
                                 label=ctx.both(label_key), unit=unit, scale=scale, number_format=number_format,
                                 minimum=minimum, maximum=maximum, blank=blank)
        canvas.text(row, 3, hours_unit if unit == "hours" else ctx.t("export.unit.percent"), "note")
        row += 1
    # A blank "available" means today's hours, as on the page.
    available = f'IF(ISNUMBER({inputs["available"]}),{inputs["available"]},SUM({{today}}))'
    row += 1
    row = layout.header_row(canvas, row, [
        ctx.t("tiers.col.tier"), ctx.t("s4_3.col.today_hours"), ctx.t("export.s4_3.per_hour_header"),
        ctx.t("export.s4_3.own_floor"), ctx.t("export.s4_3.own_ceiling"), ctx.t("s4_3.col.floor"),
        ctx.t("s4_3.col.ceiling"), ctx.t("export.s4_3.rank"), ctx.t("s4_3.col.best_hours"),
        ctx.t("export.s4_3.moved"), ctx.t("export.col.money", what=ctx.t("s4_3.col.t_today"), unit=ctx.t(
            "export.unit.wan")), ctx.t("export.col.money", what=ctx.t("s4_3.col.t_best"), unit=ctx.t(
            "export.unit.wan"))])
    canvas.row_heights[row - 1] = 36
    first, last = row, row + len(priced) - 1
    rng = {column: xlsx.column_range(column, first, last) for column in range(A_TIER, A_T_BEST + 1)}
    available = available.replace("{today}", rng[A_TODAY])
    left = f"MAX({available}-SUM({rng[A_FLOOR]}),0)"
    infeasible = f"SUM({rng[A_FLOOR]})>{available}*(1+1E-9)+1E-9"
    bounds = _mapping(_mapping(values["bounds"]).get(scheme_id))
    floor_share, ceiling_share = inputs["floor_pct"], inputs["ceiling_pct"]
    for position, code in enumerate(priced):
        r = first + position
        cell = {column: xlsx.relative(r, column) for column in range(A_TIER, A_T_BEST + 1)}
        source = tier_rows[code]
        canvas.text(r, A_TIER, labels[code])
        canvas.formula(r, A_TODAY, f"N({xlsx.relative(source, HOURS)})", "body", xlsx.COUNT)
        canvas.formula(r, A_PER_HOUR, f"N({xlsx.relative(source, PER_HOUR)})", "body", xlsx.YUAN)
        own = _mapping(bounds.get(code))
        for column, key in ((A_OWN_FLOOR, "floor"), (A_OWN_CEILING, "ceiling")):
            ctx.input(canvas, r, column, module=PAGE, path=("bounds", scheme_id, code, key), kind=carrier.NUMBER,
                      value=finite_number(own.get(key)),
                      label=ctx.both(f"export.s4_3.own_{key}_of", tier=names[code]), unit="hours",
                      number_format=xlsx.COUNT, minimum=0.0, blank=carrier.BLANK_DELETE)
        canvas.formula(r, A_FLOOR, f"IF(ISNUMBER({cell[A_OWN_FLOOR]}),{cell[A_OWN_FLOOR]},"
                                   f"{cell[A_TODAY]}*MAX({floor_share},0))", "body", xlsx.COUNT)
        canvas.formula(r, A_CEILING, f"MAX(IF(ISNUMBER({cell[A_OWN_CEILING]}),{cell[A_OWN_CEILING]},"
                                     f"{cell[A_TODAY]}*MAX({ceiling_share},0)),{cell[A_FLOOR]})", "body", xlsx.COUNT)
        above = f"{xlsx.absolute(first, A_PER_HOUR)}:{xlsx.relative(r, A_PER_HOUR)}"
        # Rank by T per hour, highest first; ties keep the table's order (allocate_hours' stable sort).
        canvas.formula(r, A_RANK, f"SUMPRODUCT(--({rng[A_PER_HOUR]}>{cell[A_PER_HOUR]}))"
                                  f"+SUMPRODUCT(--({above}={cell[A_PER_HOUR]}))", "body", xlsx.COUNT)
        better_room = (f"SUMPRODUCT(({rng[A_RANK]}<{cell[A_RANK]})*({rng[A_PER_HOUR]}>0)"
                       f"*({rng[A_CEILING]}-{rng[A_FLOOR]}))")
        extra = f"IF({cell[A_PER_HOUR]}>0,MIN({cell[A_CEILING]}-{cell[A_FLOOR]},MAX({left}-{better_room},0)),0)"
        canvas.formula(r, A_BEST, f'IF({infeasible},"—",{cell[A_FLOOR]}+{extra})', "key", xlsx.COUNT)
        canvas.formula(r, A_MOVED, f'IF(ISNUMBER({cell[A_BEST]}),{cell[A_BEST]}-{cell[A_TODAY]},"—")', "body",
                       xlsx.SIGNED_HOURS)
        canvas.formula(r, A_T_TODAY, f"{cell[A_PER_HOUR]}*{cell[A_TODAY]}/{WAN}", "body", xlsx.WAN)
        canvas.formula(r, A_T_BEST, f"{cell[A_PER_HOUR]}*N({cell[A_BEST]})/{WAN}", "body", xlsx.WAN)
    row = last + 2
    check = xlsx.formula_string(ctx.t("export.s4_3.floors_exceed"))
    canvas.formula(row, 1, f'IF({infeasible},{check},"")', "warning")
    row += 1
    wan = ctx.t("export.unit.wan")
    t_today, t_best = f"SUM({rng[A_T_TODAY]})", f"SUM({rng[A_T_BEST]})"
    uplift = f"({t_best}-{t_today})"
    np_today = NP_TODAY
    refs = {}
    for key, expression, number_format, unit in (
        ("s4_3.metric.t_best", t_best, xlsx.WAN, wan),
        ("export.s4_3.uplift", uplift, xlsx.WAN, wan),
        ("s4_3.metric.np_best", f"{np_today}+{uplift}", xlsx.WAN, wan),
        ("export.s4_3.np_change", f'IF({np_today}>0,{uplift}/{np_today},"—")', xlsx.PERCENT0, ""),
        ("s4_3.metric.moved", f'IF({infeasible},"—",SUMIF({rng[A_MOVED]},">0"))', xlsx.COUNT, hours_unit),
        ("export.s4_3.unused", f'IF({infeasible},"—",{available}-SUM({rng[A_BEST]}))', xlsx.COUNT, hours_unit),
    ):
        canvas.text(row, 1, ctx.t(key), "key")
        canvas.formula(row, 2, f'IF({infeasible},"—",{expression})', "key", number_format)
        canvas.text(row, 3, unit, "note")
        refs[key] = canvas.ref(row, 2)
        row += 1
    ctx.key_figure(PAGE, ctx.t("export.s4_3.uplift"), refs["export.s4_3.uplift"], xlsx.WAN, wan)
    return layout.note(canvas, row, ctx.t("s4_3.assumption"))


SHEET = ModuleSheet(PAGE, write)
