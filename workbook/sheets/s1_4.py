"""1.4 客户资产负债审视 in Excel: the hourly cost worked back from the trainee's inputs, the cost-to-serve assumptions
for what the book lacks (a table of input cells per AUM tier), each customer's revenue, cost, net, kind and
justified hours as live formulas on the customer sheet, totals per kind, the whale curve and the 倒推 lists.

The customer sheet's formulas are the arithmetic of :func:`workbook.profit.profitability`, term for term and in
the same order (so Excel and LibreOffice reproduce the app's figures to the last digit)::

    cost tier = the customer's AUM tier of the assumption table (MATCH on the tiers' lower bounds)
    hours     = service_hours_12m; where the book lacks it and the assumptions are on: contacts_12m × the tier's
                minutes per contact ÷ 60 when the book has contacts, else the tier's hours a year
    revenue   = fee income + deposit_balance × DepositSpread + loan_balance × LoanSpread, where fee income is
                fee_income_12m, or (book without it, assumptions on) Σ product balance × the yearly fee rate
    cost      = hours × HourlyCost + gifts + rebate_cost_12m + events, gifts and events from the book or (book
                without them, assumptions on) the tier's policy
    net       = revenue − cost
    kind      = 资产 if net ≥ 0, else 潜力资产 if assets elsewhere ≥ PotentialExternal, or AUM grown ≥
                PotentialGrowth (a year-ago AUM > 0), or a new customer (tenure < 1 year; without tenure, nothing a
                year ago) with AUM ≥ PotentialNewAum; else 负债
    justified = MIN(MAX(revenue, 0) × TargetCostRatio ÷ HourlyCost, the tier's service standard on 3.4)

Which fields the book lacks is decided at export (a column absent, or blank in every row, as the app decides);
whether the assumptions apply follows the 是/否 input cell live. ``HourlyCost`` = annual cost ÷ max(effective hours,
1), as ``asset_review.ReviewInputs.params``. Money typed on the page in 万元 is typed in 万元 here too (the cell
holds 万元, the formulas × 10,000). The whale curve needs the customers sorted by net, which a formula cannot do
cheaply for 50,000 rows: its points and the 倒推 lists are values, computed with the parameters at export.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from openpyxl.chart import Reference, ScatterChart, Series

from workbook import asset_review as ar
from workbook import carrier, xlsx
from workbook.export import ExportContext, ModuleSheet
from workbook.profit import (
    DEFAULT_ASSUMPTIONS,
    FEE_BALANCES,
    KINDS,
    LIABILITY,
    POTENTIAL,
    TIER_COST_FIELDS,
    ProfitParams,
)
from workbook.schema import column_numbers, field_label
from workbook.segmentation import SCHEMES
from workbook.sheets import layout

PAGE = "s1_4"
TEXT_NAMES = ("my_assets", "my_liabilities", "my_action")
DEFAULTS: dict[str, Any] = {**{name: getattr(ar.DEFAULT_INPUTS, name) for name in ar.INPUT_NAMES},
                            ar.TIER_COSTS_KEY: {}, **dict.fromkeys(TEXT_NAMES, "")}
WAN = xlsx.WAN_DIVISOR
# Defined names of the parameter cells (the customer sheet's formulas and other sheets use them).
HOURLY_COST, DEPOSIT_SPREAD, LOAN_SPREAD = "HourlyCost", "DepositSpread", "LoanSpread"
ANNUAL_COST, EFFECTIVE_HOURS, TARGET_RATIO = "AnnualCostWan", "EffectiveHours", "TargetCostRatio"
POTENTIAL_EXTERNAL, POTENTIAL_GROWTH, POTENTIAL_NEW = "PotentialExternalWan", "PotentialGrowth", "PotentialNewWan"
ASSUME = "AssumeMissing"
TIER_LABELS, TIER_BOUNDS, TIER_STANDARD = "CostTierLabels", "CostTierBounds", "CostTierStandard"
TIER_NAMES = {"hours": "CostTierHours", "minutes_per_contact": "CostTierMinutes", "gift_cost": "CostTierGifts",
              "event_cost": "CostTierEvents"}
FEE_NAMES = {"wealth_balance": "FeeRateWealth", "fund_balance": "FeeRateFund",
             "insurance_balance": "FeeRateInsurance"}
FEE_INPUTS = {"wealth_balance": "wealth_fee_pct", "fund_balance": "fund_fee_pct",
              "insurance_balance": "insurance_fee_pct"}
GROWTH_TOLERANCE = "1E-9"  # profit._GROWTH_TOLERANCE: 20% growth computed as 0.19999999999999996 still counts


def present(book: Any, key: str) -> bool:
    """Whether the book carries ``key`` with at least one value: a column blank throughout is lacking, as
    ``workbook.profit`` decides what to assume."""
    import numpy as np

    values = column_numbers(book, key)
    return values is not None and (len(values) == 0 or not bool(np.isnan(values).all()))


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def profit_params(ctx: ExportContext) -> ProfitParams:
    """The trainee's profitability parameters as page 1.4 builds them: its entries and edited tier assumptions
    (``asset_review.params_from``), the justified hours capped by 3.4's service standard for the AUM ladder."""

    def compute() -> ProfitParams:
        plan = _mapping(ctx.values("s3_4", {"overrides": {}}).get("overrides"))
        standard = ar.standard_hours_from(_mapping(plan.get("aum")) or None)
        return ar.params_from(ctx.values(PAGE, DEFAULTS), standard)

    return ctx.memo("s1_4.params", compute)


def _yes_no(ctx: ExportContext) -> dict[str, float]:
    return {ctx.t("export.choice.yes"): 1.0, ctx.t("export.choice.no"): 0.0}


def _assume_on(ctx: ExportContext) -> str:
    """A formula that is TRUE while the 是/否 cell says yes."""
    return f"{ASSUME}={xlsx.formula_string(ctx.t('export.choice.yes'))}"


def prepare(ctx: ExportContext) -> None:
    """The customer sheet's cost tier, hours (when assumed), revenue, cost, net, kind, justified hours and the truly
    variable cost (gifts, rebates, events: 4.3's T)."""
    letter = ctx.book_letter
    on = _assume_on(ctx)
    aum = letter("aum")
    tier_position = f"IFERROR(MATCH({aum}{{r}},{TIER_BOUNDS},1),1)" if aum else "1"
    tier_col = ctx.add_book_column("cost_tier", ctx.t("export.s1_4.col.cost_tier"),
                                   f"INDEX({TIER_LABELS},{tier_position})", xlsx.GENERAL, 10.0)

    def per_tier(name: str) -> str:
        return f"INDEX({name},MATCH({tier_col}{{r}},{TIER_LABELS},0))"

    has = {key: letter(key) is not None and present(ctx.book, key) for key in (
        "service_hours_12m", "contacts_12m", "fee_income_12m", "gift_cost_12m", "event_cost_12m")}

    # Hours a year: the book's, else assumed (blank when the assumptions are off: unknown, no time cost).
    if has["service_hours_12m"]:
        hours = f"{letter('service_hours_12m')}{{r}}"
    else:
        assumed = (f"{letter('contacts_12m')}{{r}}*{per_tier(TIER_NAMES['minutes_per_contact'])}/60"
                   if has["contacts_12m"] else per_tier(TIER_NAMES["hours"]))
        column = ctx.add_book_column("actual_hours", ctx.t("export.s1_4.col.hours"), f'IF({on},{assumed},"")',
                                     xlsx.HOURS, 12.0)
        hours = f"N({column}{{r}})"

    # Revenue, term for term as profitability adds it.
    fee_terms = [f"{letter('fee_income_12m')}{{r}}"] if has["fee_income_12m"] else []
    if not has["fee_income_12m"]:
        balances = [f"{letter(b)}{{r}}*{FEE_NAMES[b]}" for b in FEE_BALANCES if letter(b) and present(ctx.book, b)]
        if balances:
            fee_terms.append(f"IF({on},{'+'.join(balances)},0)")
    revenue_terms = fee_terms[:]
    if letter("deposit_balance"):
        revenue_terms.append(f"{letter('deposit_balance')}{{r}}*{DEPOSIT_SPREAD}")
    if letter("loan_balance"):
        revenue_terms.append(f"{letter('loan_balance')}{{r}}*{LOAN_SPREAD}")
    revenue = ctx.add_book_column("revenue", ctx.t("export.s1_4.col.revenue"), _sum(revenue_terms), xlsx.YUAN)

    def perk(key: str, tier_name: str) -> str | None:
        if has[key]:
            return f"{letter(key)}{{r}}"
        return f"IF({on},{per_tier(tier_name)},0)"

    gifts = perk("gift_cost_12m", TIER_NAMES["gift_cost"])
    rebates = f"{letter('rebate_cost_12m')}{{r}}" if letter("rebate_cost_12m") else None
    events = perk("event_cost_12m", TIER_NAMES["event_cost"])
    variable = [term for term in (gifts, rebates, events) if term]
    cost = ctx.add_book_column("cost", ctx.t("export.s1_4.col.cost"),
                               _sum([f"{hours}*{HOURLY_COST}", *variable]), xlsx.YUAN)
    net = ctx.add_book_column("net", ctx.t("export.s1_4.col.net"), f"{revenue}{{r}}-{cost}{{r}}", xlsx.YUAN)

    promising = []
    if letter("external_assets_est"):
        promising.append(f"{letter('external_assets_est')}{{r}}>={POTENTIAL_EXTERNAL}*{WAN}")
    before = letter("aum_12m_ago")
    if aum and before:
        # IF guards the division: OR evaluates every argument, so a zero base would otherwise be #DIV/0!.
        promising.append(f"IF(AND({before}{{r}}>0,ISNUMBER({aum}{{r}})),"
                         f"{aum}{{r}}/{before}{{r}}-1>={POTENTIAL_GROWTH}-{GROWTH_TOLERANCE},FALSE)")
    tenure = letter("tenure_years")
    new = None
    if tenure and before:
        new = f"IF(ISNUMBER({tenure}{{r}}),{tenure}{{r}}<1,AND(ISNUMBER({before}{{r}}),{before}{{r}}=0))"
    elif tenure:
        new = f"AND(ISNUMBER({tenure}{{r}}),{tenure}{{r}}<1)"
    elif before:
        new = f"AND(ISNUMBER({before}{{r}}),{before}{{r}}=0)"
    if new and aum:
        promising.append(f"AND({new},ISNUMBER({aum}{{r}}),{aum}{{r}}>={POTENTIAL_NEW}*{WAN})")
    labels = {kind: xlsx.formula_string(ctx.t(f"profit.kind.{kind}")) for kind in KINDS}
    otherwise = labels[LIABILITY]
    if promising:
        otherwise = f"IF(OR({','.join(promising)}),{labels[POTENTIAL]},{labels[LIABILITY]})"
    ctx.add_book_column("kind", ctx.t("export.s1_4.col.kind"), f"IF({net}{{r}}>=0,{labels['asset']},{otherwise})",
                        xlsx.GENERAL, 10.0)
    standard = per_tier(TIER_STANDARD)
    ctx.add_book_column("justified_hours", ctx.t("export.s1_4.col.justified_hours"),
                        f"IFERROR(MIN(MAX({revenue}{{r}},0)*{TARGET_RATIO}/{HOURLY_COST},{standard}),{standard})",
                        xlsx.HOURS)
    ctx.add_book_column("variable_cost", ctx.t("export.s1_4.col.variable_cost"), _sum(variable), xlsx.YUAN)


def _sum(terms: list[str]) -> str:
    return "+".join(terms) if terms else "0"


def hours_column(ctx: ExportContext) -> str | None:
    """The customer-sheet column that holds each customer's service hours a year (the book's, or the assumed
    ones), None when there is none."""
    letter = ctx.book_letter("actual_hours")
    if letter is not None:
        return ctx.book_range("actual_hours")
    if ctx.book_letter("service_hours_12m") is not None and present(ctx.book, "service_hours_12m"):
        return ctx.book_range("service_hours_12m")
    return None


def write(ctx: ExportContext, canvas: xlsx.Canvas) -> None:
    values = ctx.values(PAGE, DEFAULTS)
    inputs = ar.inputs_from(values)
    params = profit_params(ctx)
    layout.widths(canvas, 50, 16, 16, 16, 16, 4, 16, 16, 14, 14, 14, 30)
    row = layout.title_block(ctx, canvas, PAGE)

    # ---- step 1: the hourly cost and the other assumptions (inputs) ----
    row = layout.heading(canvas, row, ctx.t("s1.asset.step1"))
    row = layout.header_row(canvas, row, [ctx.t("export.col.item"), ctx.t("export.col.value"),
                                          ctx.t("export.col.unit")])
    units = {"wan": ctx.t("export.unit.wan"), "hours": ctx.t("export.unit.hours"),
             "percent": ctx.t("export.unit.percent")}

    def number_input(name: str, unit: str, number_format: str, scale: float = 1.0, minimum: float | None = 0.0,
                     maximum: float | None = None, label_key: str | None = None) -> str:
        nonlocal row
        key = label_key or f"s1.asset.{name}"
        canvas.text(row, 1, ctx.t(key))
        ref = ctx.input(canvas, row, 2, module=PAGE, path=(name,), kind=carrier.NUMBER,
                        value=getattr(inputs, name), label=ctx.both(key), unit=unit, scale=scale,
                        number_format=number_format, minimum=minimum, maximum=maximum, blank=carrier.BLANK_REFUSE)
        canvas.text(row, 3, units[unit], "note")
        row += 1
        return ref

    ctx.define_name(ANNUAL_COST, number_input("annual_cost", "wan", xlsx.WAN, scale=WAN))
    ctx.define_name(EFFECTIVE_HOURS, number_input("effective_hours", "hours", xlsx.COUNT, minimum=1.0))
    canvas.text(row, 1, ctx.t("s1.asset.hourly_metric"), "key")
    canvas.formula(row, 2, f"{ANNUAL_COST}*{WAN}/MAX({EFFECTIVE_HOURS},1)", "key", xlsx.YUAN)
    canvas.text(row, 3, ctx.t("export.unit.yuan_per_hour"), "note")
    canvas.text(row, 4, ctx.t("export.s1_4.hourly_note"), "note")
    hourly = canvas.ref(row, 2)
    ctx.define_name(HOURLY_COST, hourly)
    ctx.key_figure(PAGE, ctx.t("s1.asset.hourly_metric"), hourly, xlsx.YUAN, ctx.t("export.unit.yuan_per_hour"))
    row += 1
    ctx.define_name(DEPOSIT_SPREAD, number_input("deposit_spread_pct", "percent", xlsx.PERCENT2, scale=100.0,
                                                 maximum=10.0))
    ctx.define_name(LOAN_SPREAD, number_input("loan_spread_pct", "percent", xlsx.PERCENT2, scale=100.0, maximum=10.0))
    ctx.define_name(TARGET_RATIO, number_input("target_cost_ratio_pct", "percent", xlsx.PERCENT0, scale=100.0,
                                               minimum=1.0, maximum=100.0))
    row = layout.note(canvas, row, ctx.t("export.s1_4.formulas_note"))
    row += 1

    row = layout.heading(canvas, row, ctx.t("s1.asset.potential_title"))
    ctx.define_name(POTENTIAL_EXTERNAL, number_input("potential_external", "wan", xlsx.WAN, scale=WAN))
    ctx.define_name(POTENTIAL_GROWTH, number_input("potential_growth_pct", "percent", xlsx.PERCENT0, scale=100.0))
    ctx.define_name(POTENTIAL_NEW, number_input("potential_new_aum", "wan", xlsx.WAN, scale=WAN))
    row += 1

    row = _assumptions(ctx, canvas, row, values, params)

    # ---- step 2: assets and liabilities per kind (live) ----
    row = layout.heading(canvas, row, ctx.t("s1.asset.step2"))
    wan = ctx.t("export.unit.wan")
    row = layout.header_row(canvas, row, [ctx.t("s1.asset.col.kind"), ctx.t("export.col.customers")] + [
        ctx.t("export.col.money", what=ctx.t(f"export.s1_4.sum.{what}"), unit=wan)
        for what in ("net", "revenue", "cost")])
    kind_range, net_range = ctx.book_range("kind"), ctx.book_range("net")
    revenue_range, cost_range = ctx.book_range("revenue"), ctx.book_range("cost")
    first = row
    for kind in KINDS:
        canvas.text(row, 1, ctx.t(f"profit.kind.{kind}"))
        label = xlsx.relative(row, 1)
        canvas.formula(row, 2, f"COUNTIF({kind_range},{label})", "body", xlsx.COUNT)
        for column, money in ((3, net_range), (4, revenue_range), (5, cost_range)):
            canvas.formula(row, column, f"SUMIF({kind_range},{label},{money})/{WAN}", "body", xlsx.WAN)
        row += 1
    canvas.text(row, 1, ctx.t("export.col.total"), "key")
    for column in range(2, 6):
        column_letter = xlsx.letter(column)
        canvas.formula(row, column, f"SUM({column_letter}{first}:{column_letter}{row - 1})", "key",
                       xlsx.COUNT if column == 2 else xlsx.WAN)
    ctx.key_figure(PAGE, ctx.t("export.s1_4.total_net"), canvas.ref(row, 3), xlsx.WAN, wan)
    for offset, kind in enumerate(KINDS):
        ctx.key_figure(PAGE, ctx.t("export.s1_4.kind_count", kind=ctx.t(f"profit.kind.{kind}")),
                       canvas.ref(first + offset, 2), xlsx.COUNT, ctx.t("export.unit.customers"))
    row += 2

    review = ctx.memo("s1_4.review", lambda: ar.review(ctx.book, params))
    row = _whale(ctx, canvas, row, review)
    row = _lists(ctx, canvas, row, review)

    # ---- step 4: the trainee's own definitions ----
    row = layout.heading(canvas, row, ctx.t("s1.asset.step4"))
    for name in TEXT_NAMES:
        canvas.text(row, 1, ctx.t(f"s1.asset.{name}"), "wrap")
        canvas.merged.append(f"B{row}:E{row}")
        ctx.input(canvas, row, 2, module=PAGE, path=(name,), kind=carrier.TEXT, value=values[name],
                  label=ctx.both(f"s1.asset.{name}"), unit="text", blank=carrier.BLANK_EMPTY)
        canvas.row_heights[row] = 60
        row += 1


def _assumptions(ctx: ExportContext, canvas: xlsx.Canvas, row: int, values: Mapping[str, Any],
                 params: ProfitParams) -> int:
    """The cost-to-serve assumptions: the 是/否 switch, the per-tier table (inputs), the service standard that caps
    the justified hours (from 3.4, values) and the fee rates."""
    row = layout.heading(canvas, row, ctx.t("s1.asset.assumptions_title"))
    row = layout.note(canvas, row, ctx.t("export.s1_4.assumed", items=_assumed_text(ctx, params)))
    canvas.text(row, 1, ctx.t("s1.asset.assume_missing"))
    choices = _yes_no(ctx)
    ctx.define_name(ASSUME, ctx.input(
        canvas, row, 2, module=PAGE, path=("assume_missing",), kind=carrier.CHOICE,
        value=1.0 if float(ar.inputs_from(values).assume_missing) else 0.0, label=ctx.both("s1.asset.assume_missing"),
        unit="text", choices=choices, blank=carrier.BLANK_REFUSE))
    row += 2

    tiers = DEFAULT_ASSUMPTIONS.tiers
    tier_names = {tier.code: tier.label(ctx.lang) for tier in SCHEMES["aum"].tiers()}
    first_column = 2
    last_column = first_column + len(tiers) - 1
    row = layout.header_row(canvas, row, [ctx.t("s1.asset.tier_col.label")] + [
        tier_names.get(tier.code, tier.code) for tier in tiers])
    ctx.define_name(TIER_LABELS, canvas.range_ref(row - 1, first_column, row - 1, last_column))
    canvas.text(row, 1, ctx.t("export.s1_4.tier_lower_bound"))
    for offset, tier in enumerate(tiers):
        canvas.number(row, first_column + offset, tier.min_aum, "body", xlsx.YUAN)
    ctx.define_name(TIER_BOUNDS, canvas.range_ref(row, first_column, row, last_column))
    row += 1
    current = params.assumptions
    formats = {"hours": xlsx.HOURS, "minutes_per_contact": xlsx.COUNT, "gift_cost": xlsx.YUAN,
               "event_cost": xlsx.YUAN}
    units = {"hours": "hours", "minutes_per_contact": "plain", "gift_cost": "yuan", "event_cost": "yuan"}
    for name in TIER_COST_FIELDS:
        canvas.text(row, 1, ctx.t(f"s1.asset.tier_row.{name}"))
        for offset, tier in enumerate(tiers):
            tier_label = ctx.pair("export.s1_4.tier_cell", tier=_both_tier(tier.code),
                                  field=ctx.pair(f"s1.asset.tier_row.{name}"))
            ctx.input(canvas, row, first_column + offset, module=PAGE, path=(ar.TIER_COSTS_KEY, tier.code, name),
                      kind=carrier.NUMBER, value=getattr(current.tier(tier.code), name),
                      label=(tier_label.zh, tier_label.en), unit=units[name], number_format=formats[name],
                      minimum=0.0, blank=carrier.BLANK_DELETE)
        ctx.define_name(TIER_NAMES[name], canvas.range_ref(row, first_column, row, last_column))
        row += 1
    standard = params.service_standard()
    canvas.text(row, 1, ctx.t("export.s1_4.standard_row"))
    for offset, tier in enumerate(tiers):
        hours = standard.get(tier.code)
        if hours is None:
            canvas.number(row, first_column + offset, 1e12, "body", xlsx.HOURS)  # no standard: no cap
        else:
            canvas.number(row, first_column + offset, hours, "body", xlsx.HOURS)
    ctx.define_name(TIER_STANDARD, canvas.range_ref(row, first_column, row, last_column))
    row += 1
    row = layout.note(canvas, row, ctx.t("export.s1_4.standard_note", page=ctx.t("nav.s3_4")))
    row += 1
    for balance in FEE_BALANCES:
        name = FEE_INPUTS[balance]
        canvas.text(row, 1, ctx.t(f"s1.asset.{name}"))
        ref = ctx.input(canvas, row, 2, module=PAGE, path=(name,), kind=carrier.NUMBER,
                        value=getattr(ar.inputs_from(values), name), label=ctx.both(f"s1.asset.{name}"),
                        unit="percent", scale=100.0, number_format=xlsx.PERCENT2, minimum=0.0, maximum=10.0,
                        blank=carrier.BLANK_REFUSE)
        canvas.text(row, 3, ctx.t("export.unit.percent"), "note")
        ctx.define_name(FEE_NAMES[balance], ref)
        row += 1
    row = layout.note(canvas, row, ctx.t("s1.asset.fee_note", fields=field_label("fee_income_12m", ctx.lang)))
    return row + 1


def _both_tier(code: str) -> Any:
    from workbook.export import Both

    tier = next((t for t in SCHEMES["aum"].tiers() if t.code == code), None)
    return Both(tier.label("zh"), tier.label("en")) if tier is not None else Both(code, code)


def _assumed_text(ctx: ExportContext, params: ProfitParams) -> str:
    """Which figures come from the assumptions for this book (as the page says it), or that none do."""
    from workbook.profit import assumed_inputs

    assumed = assumed_inputs(ctx.book, params)
    parts = []
    if assumed.hours in ("contacts", "tier"):
        parts.append(ctx.t(f"s1.asset.assumed.hours_{assumed.hours}"))
    if assumed.gifts or assumed.events:
        parts.append(ctx.t("s1.asset.assumed.perks"))
    if assumed.fee_from:
        parts.append(ctx.t("s1.asset.assumed.fees", fields=ctx.t("s1.list_sep").join(
            field_label(key, ctx.lang) for key in assumed.fee_from)))
    return ctx.t("s1.asset.assumed.sep").join(parts) if parts else ctx.t("export.s1_4.assumed_none")


def _whale(ctx: ExportContext, canvas: xlsx.Canvas, row: int, review: ar.AssetReview) -> int:
    """The whale curve's points (values at export) beside a native scatter chart, and the figures read off it."""
    whale = review.whale
    row = layout.heading(canvas, row, ctx.t("s1.asset.whale_title"))
    row = layout.note(canvas, row, ctx.t("export.as_exported"))
    facts = []
    if whale.meaningful:
        facts = [("export.s1_4.top20", whale.top20_share), ("export.s1_4.peak", whale.peak_share),
                 ("export.s1_4.peak_at", whale.peak_customer_share)]
    else:
        row = layout.note(canvas, row, ctx.t("export.s1_4.whale_money"))
    for key, value in facts:
        canvas.text(row, 1, ctx.t(key))
        canvas.number(row, 2, value, "key", xlsx.PERCENT0)
        row += 1
    if whale.meaningful:
        ctx.key_figure(PAGE, ctx.t("export.s1_4.peak"), canvas.ref(row - 2, 2), xlsx.PERCENT0)

    # The points, in columns G:H from this row down (thinned to at most ~800, first, peak and last kept).
    points = review.curve_plot
    y_key = "cumulative_profit_share" if whale.meaningful else "cumulative_net"
    top = row
    canvas.text(top, 7, ctx.t("s1.asset.whale_x"), "header")
    canvas.text(top, 8, ctx.t("s1.asset.whale_y" if whale.meaningful else "s1.asset.whale_y_money"), "header")
    canvas.number(top + 1, 7, 0.0, "body", xlsx.PERCENT0)
    canvas.number(top + 1, 8, 0.0, "body", xlsx.PERCENT0 if whale.meaningful else xlsx.YUAN)
    for offset, (x, y) in enumerate(zip(points["customer_share"], points[y_key], strict=True), start=2):
        canvas.number(top + offset, 7, float(x), "body", xlsx.PERCENT0)
        canvas.number(top + offset, 8, float(y), "body", xlsx.PERCENT0 if whale.meaningful else xlsx.YUAN)
    last = top + 1 + len(points)
    if len(points):
        chart = ScatterChart()
        chart.title = ctx.t("s1.asset.whale_title")
        chart.style = 2
        chart.height, chart.width = 9, 16
        chart.x_axis.title = ctx.t("s1.asset.whale_x")
        chart.y_axis.title = ctx.t("s1.asset.whale_y" if whale.meaningful else "s1.asset.whale_y_money")
        chart.x_axis.number_format = "0%"
        chart.y_axis.number_format = "0%" if whale.meaningful else "#,##0"
        chart.x_axis.scaling.min, chart.x_axis.scaling.max = 0, 1
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        chart.legend = None
        xs = Reference(range_string=canvas.range_ref(top + 1, 7, last, 7))
        ys = Reference(range_string=canvas.range_ref(top + 1, 8, last, 8))
        series = Series(ys, xs, title=ctx.t("s1.asset.whale_name"))
        series.marker.symbol = "none"
        series.smooth = False
        series.graphicalProperties.line.solidFill = "C0392B"
        series.graphicalProperties.line.width = 28_000
        chart.series.append(series)
        canvas.charts.append((chart, xlsx.relative(row, 1)))
        row += 19  # the chart's height in rows
    return max(row, last) + 2


def _lists(ctx: ExportContext, canvas: xlsx.Canvas, row: int, review: ar.AssetReview) -> int:
    """The 倒推 against the manager's capacity, and the top over- / under-served customers and liabilities (values,
    masked), as the page lists them."""
    row = layout.heading(canvas, row, ctx.t("s1.asset.step3"))
    row = layout.note(canvas, row, ctx.t("export.as_exported"))
    service = review.service
    if not service.hours_known:
        return layout.note(canvas, row, ctx.t("s1.asset.no_hours")) + 1
    budget = service.budget
    for key, value in (("today", budget.today), ("to_free", budget.to_free), ("to_reinvest", budget.to_reinvest),
                       ("planned", budget.planned)):
        canvas.text(row, 1, ctx.t(f"s1.asset.budget.{key}"))
        canvas.number(row, 2, round(value), "key", xlsx.COUNT)
        canvas.text(row, 3, ctx.t("export.unit.hours"), "note")
        row += 1
    canvas.text(row, 1, ctx.t("export.s1_4.capacity"))
    canvas.number(row, 2, round(budget.capacity), "body", xlsx.COUNT)
    canvas.text(row, 3, ctx.t("export.unit.hours"), "note")
    row += 2
    customers = review.customers
    over_columns = ("action", "cost_driver", "kind", "revenue", "justified_hours", "actual_hours", "hours_gap")
    under_columns = ("add_hours", "revenue", "net", "justified_hours", "actual_hours")
    liability_columns = ("action", "cost_driver", "net", "revenue", "actual_hours", "perks", "rebate_cost")
    headers = {"perks": "s1.asset.col.perks", "rebate_cost": "s1.asset.col.rebates"}
    for title, frame, columns in (
        (ctx.t("s1.asset.tab_over", n=len(service.over)), review.over, over_columns),
        (ctx.t("s1.asset.tab_under", n=len(service.under)), review.under, under_columns),
        (ctx.t("s1.asset.tab_liabilities"), review.liabilities, liability_columns),
    ):
        row = layout.heading(canvas, row, title)
        if frame.empty:
            row = layout.note(canvas, row, ctx.t("s1.asset.empty_list")) + 1
            continue
        row = layout.header_row(canvas, row, [ctx.t("export.col.customer")] + [
            ctx.t(headers.get(c, f"s1.asset.col.{c}")) for c in columns])
        for index, record in frame.iterrows():
            canvas.text(row, 1, customers.at[index, "customer_id"] if index in customers.index else "")
            for offset, column in enumerate(columns, start=2):
                value = record[column]
                if column == "action":
                    canvas.text(row, offset, ctx.t(f"profit.action.{value}") if value else "")
                elif column == "cost_driver":
                    canvas.text(row, offset, ctx.t(f"profit.driver.{value}"))
                elif column == "kind":
                    canvas.text(row, offset, ctx.t(f"profit.kind.{value}"))
                else:
                    money = column in ("revenue", "cost", "net", "perks", "rebate_cost")
                    canvas.number(row, offset, float(value), "body", xlsx.YUAN if money else xlsx.HOURS)
            row += 1
        row = layout.note(canvas, row, ctx.t("s1.asset.top_note", n=len(frame))) + 1
    return row


SHEET = ModuleSheet(PAGE, write, prepare)
