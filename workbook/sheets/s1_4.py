"""1.4 客户资产负债审视 in Excel: the hourly cost worked back from the trainee's inputs, each customer's revenue,
cost, net and kind as live formulas on the customer sheet, totals per kind, the whale curve, the 倒推 lists.

The customer sheet's formulas are the arithmetic of :func:`workbook.profit.profitability`, term for term and in
the same order (so Excel and LibreOffice reproduce the app's figures to the last digit)::

    revenue   = fee_income_12m + deposit_balance × DepositSpread + loan_balance × LoanSpread
    cost      = service_hours_12m × HourlyCost + gift_cost_12m + rebate_cost_12m + event_cost_12m
    net       = revenue − cost
    kind      = 资产 if net ≥ 0, else 潜力资产 if external_assets_est ≥ PotentialExternal or
                aum ÷ aum_12m_ago − 1 ≥ PotentialGrowth (a year-ago AUM > 0), else 负债
    justified = max(revenue ÷ HourlyCost, 0)

A field the book lacks is left out of its sum (the app counts it as 0); a blank cell counts as 0 in Excel as in
the app. ``HourlyCost`` = annual cost ÷ max(effective hours, 1), as ``asset_review.ReviewInputs.params``.
The whale curve needs the customers sorted by net, which a formula cannot do cheaply for 50,000 rows: its points
and the 倒推 lists are values, computed with the parameters at export (the sheet says so).
"""

from __future__ import annotations

from dataclasses import asdict

from openpyxl.chart import Reference, ScatterChart, Series

from workbook import asset_review as ar
from workbook import carrier, xlsx
from workbook.export import ExportContext, ModuleSheet
from workbook.profit import KINDS, LIABILITY, POTENTIAL
from workbook.sheets import layout

PAGE = "s1_4"
TEXT_NAMES = ("my_assets", "my_liabilities", "my_action")
DEFAULTS = {**asdict(ar.DEFAULT_INPUTS), **dict.fromkeys(TEXT_NAMES, "")}
# Defined names of the parameter cells (used by the customer sheet's formulas and by 3.4).
HOURLY_COST, DEPOSIT_SPREAD, LOAN_SPREAD = "HourlyCost", "DepositSpread", "LoanSpread"
POTENTIAL_EXTERNAL, POTENTIAL_GROWTH, EFFECTIVE_HOURS = "PotentialExternal", "PotentialGrowth", "EffectiveHours"
GROWTH_TOLERANCE = "1E-9"  # profit._GROWTH_TOLERANCE: 20% growth computed as 0.19999999999999996 still counts
LIST_LIMIT = ar.TOP_LIMIT


def review_inputs(ctx: ExportContext) -> ar.ReviewInputs:
    """The trainee's 1.4 entries as the page reads them (defaults first)."""
    values = ctx.values(PAGE, DEFAULTS)
    return ar.ReviewInputs(**{name: float(values[name]) for name in asdict(ar.DEFAULT_INPUTS)})


def _sum(terms: list[str]) -> str:
    return "+".join(terms) if terms else "0"


def prepare(ctx: ExportContext) -> None:
    """The customer sheet's revenue, cost, net, kind and justified-hours columns."""
    letter = ctx.book_letter
    revenue_terms = [f"{letter('fee_income_12m')}{{r}}"] if letter("fee_income_12m") else []
    if letter("deposit_balance"):
        revenue_terms.append(f"{letter('deposit_balance')}{{r}}*{DEPOSIT_SPREAD}")
    if letter("loan_balance"):
        revenue_terms.append(f"{letter('loan_balance')}{{r}}*{LOAN_SPREAD}")
    revenue = ctx.add_book_column("revenue", ctx.t("export.s1_4.col.revenue"), _sum(revenue_terms), xlsx.YUAN)

    cost_terms = [f"{letter('service_hours_12m')}{{r}}*{HOURLY_COST}"] if letter("service_hours_12m") else []
    cost_terms += [f"{letter(key)}{{r}}" for key in ("gift_cost_12m", "rebate_cost_12m", "event_cost_12m")
                   if letter(key)]
    cost = ctx.add_book_column("cost", ctx.t("export.s1_4.col.cost"), _sum(cost_terms), xlsx.YUAN)
    net = ctx.add_book_column("net", ctx.t("export.s1_4.col.net"), f"{revenue}{{r}}-{cost}{{r}}", xlsx.YUAN)

    promising = []
    if letter("external_assets_est"):
        promising.append(f"{letter('external_assets_est')}{{r}}>={POTENTIAL_EXTERNAL}")
    if letter("aum") and letter("aum_12m_ago"):
        aum, before = letter("aum"), letter("aum_12m_ago")
        # IF guards the division: OR evaluates every argument, so a zero base would otherwise be #DIV/0!.
        promising.append(f"IF({before}{{r}}>0,{aum}{{r}}/{before}{{r}}-1>={POTENTIAL_GROWTH}-{GROWTH_TOLERANCE},FALSE)")
    labels = {kind: xlsx.formula_string(ctx.t(f"profit.kind.{kind}")) for kind in KINDS}
    otherwise = labels[LIABILITY]
    if promising:
        otherwise = f"IF(OR({','.join(promising)}),{labels[POTENTIAL]},{labels[LIABILITY]})"
    ctx.add_book_column("kind", ctx.t("export.s1_4.col.kind"), f"IF({net}{{r}}>=0,{labels['asset']},{otherwise})",
                        xlsx.GENERAL, 10.0)
    ctx.add_book_column("justified_hours", ctx.t("export.s1_4.col.justified_hours"),
                        f"IFERROR(MAX({revenue}{{r}}/{HOURLY_COST},0),\"\")", xlsx.HOURS)


def write(ctx: ExportContext, canvas: xlsx.Canvas) -> None:
    values = ctx.values(PAGE, DEFAULTS)
    inputs = review_inputs(ctx)
    params = inputs.params()
    layout.widths(canvas, 50, 16, 16, 16, 16, 4, 16, 16, 14, 14, 14, 30)
    row = layout.title_block(ctx, canvas, PAGE)

    # ---- step 1: the hourly cost and the other assumptions (inputs) ----
    row = layout.heading(canvas, row, ctx.t("s1.asset.step1"))
    row = layout.header_row(canvas, row, [ctx.t("export.col.item"), ctx.t("export.col.value"),
                                          ctx.t("export.col.unit")])
    yuan, hours_unit, percent = ctx.t("export.unit.yuan"), ctx.t("export.unit.hours"), ctx.t("export.unit.percent")

    def number_input(name: str, label_key: str, unit: str, shown_unit: str, number_format: str, scale: float = 1.0,
                     minimum: float | None = 0.0, maximum: float | None = None) -> str:
        nonlocal row
        canvas.text(row, 1, ctx.t(label_key))
        ref = ctx.input(canvas, row, 2, module=PAGE, path=(name,), kind=carrier.NUMBER, value=values[name],
                        label=ctx.both(label_key), unit=unit, scale=scale, number_format=number_format,
                        minimum=minimum, maximum=maximum, blank=carrier.BLANK_REFUSE)
        canvas.text(row, 3, shown_unit, "note")
        row += 1
        return ref

    annual = number_input("annual_cost", "export.s1_4.annual_cost", "yuan", yuan, xlsx.YUAN)
    effective = number_input("effective_hours", "export.s1_4.effective_hours", "hours", hours_unit, xlsx.COUNT,
                             minimum=1.0)
    ctx.define_name(EFFECTIVE_HOURS, effective)
    canvas.text(row, 1, ctx.t("s1.asset.hourly_metric"), "key")
    canvas.formula(row, 2, f"{annual}/MAX({effective},1)", "key", xlsx.YUAN)
    canvas.text(row, 3, ctx.t("export.unit.yuan_per_hour"), "note")
    canvas.text(row, 4, ctx.t("export.s1_4.hourly_note"), "note")
    hourly = canvas.ref(row, 2)
    ctx.define_name(HOURLY_COST, hourly)
    ctx.key_figure(PAGE, ctx.t("s1.asset.hourly_metric"), hourly, xlsx.YUAN, ctx.t("export.unit.yuan_per_hour"))
    row += 1
    ctx.define_name(DEPOSIT_SPREAD, number_input("deposit_spread_pct", "s1.asset.deposit_spread", "percent", percent,
                                                 xlsx.PERCENT2, scale=100.0, maximum=10.0))
    ctx.define_name(LOAN_SPREAD, number_input("loan_spread_pct", "s1.asset.loan_spread", "percent", percent,
                                              xlsx.PERCENT2, scale=100.0, maximum=10.0))
    ctx.define_name(POTENTIAL_EXTERNAL, number_input("potential_external", "s1.asset.potential_external", "yuan",
                                                     yuan, xlsx.YUAN))
    ctx.define_name(POTENTIAL_GROWTH, number_input("potential_growth_pct", "s1.asset.potential_growth", "percent",
                                                   percent, xlsx.PERCENT0, scale=100.0))
    row = layout.note(canvas, row, ctx.t("export.s1_4.formulas_note"))
    row += 1

    # ---- step 2: assets and liabilities per kind (live) ----
    row = layout.heading(canvas, row, ctx.t("s1.asset.step2"))
    wan = ctx.t("export.unit.wan")
    row = layout.header_row(canvas, row, [
        ctx.t("s1.asset.col.kind"), ctx.t("export.col.customers"), ctx.t("export.col.money", what=ctx.t(
            "s1.asset.col.net"), unit=wan), ctx.t("export.col.money", what=ctx.t("s1.asset.col.revenue"), unit=wan),
        ctx.t("export.col.money", what=ctx.t("s1.asset.col.cost"), unit=wan)])
    kind_range, net_range = ctx.book_range("kind"), ctx.book_range("net")
    revenue_range, cost_range = ctx.book_range("revenue"), ctx.book_range("cost")
    first = row
    for kind in KINDS:
        canvas.text(row, 1, ctx.t(f"profit.kind.{kind}"))
        label = xlsx.relative(row, 1)
        canvas.formula(row, 2, f"COUNTIF({kind_range},{label})", "body", xlsx.COUNT)
        for column, money in ((3, net_range), (4, revenue_range), (5, cost_range)):
            canvas.formula(row, column, f"SUMIF({kind_range},{label},{money})/{xlsx.WAN_DIVISOR}", "body", xlsx.WAN)
        row += 1
    canvas.text(row, 1, ctx.t("export.col.total"), "key")
    for column in range(2, 6):
        letter = xlsx.relative(first, column)[:-len(str(first))]
        canvas.formula(row, column, f"SUM({letter}{first}:{letter}{row - 1})", "key",
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
    """The 倒推: hours to win back, and the top liabilities / over- / under-served customers (values, masked)."""
    row = layout.heading(canvas, row, ctx.t("s1.asset.step3"))
    row = layout.note(canvas, row, ctx.t("s1.asset.step3_help"))
    service = review.service
    if not service.hours_known:
        return layout.note(canvas, row, ctx.t("s1.asset.no_hours")) + 1
    for key, value in (("s1.asset.excess_metric", service.excess_hours),
                       ("s1.asset.shortfall_metric", service.shortfall_hours)):
        canvas.text(row, 1, ctx.t(key))
        canvas.number(row, 2, value, "key", xlsx.COUNT)
        canvas.text(row, 3, ctx.t("export.unit.hours"), "note")
        row += 1
    row += 1
    customers = review.customers
    for title_key, frame, columns in (
        ("s1.asset.tab_liabilities", review.liabilities, ("revenue", "cost", "net", "actual_hours", "action")),
        ("export.s1_4.over", review.over, ("revenue", "cost", "net", "justified_hours", "actual_hours", "action")),
        ("export.s1_4.under", review.under, ("revenue", "cost", "net", "justified_hours", "actual_hours", "action")),
    ):
        row = layout.heading(canvas, row, ctx.t(title_key, n=len(frame)))
        if frame.empty:
            row = layout.note(canvas, row, ctx.t("s1.asset.empty_list")) + 1
            continue
        headers = [ctx.t("export.col.customer")] + [ctx.t(f"s1.asset.col.{c}") for c in columns]
        row = layout.header_row(canvas, row, headers)
        for index, record in frame.iterrows():
            canvas.text(row, 1, customers.at[index, "customer_id"] if index in customers.index else "")
            for offset, column in enumerate(columns, start=2):
                value = record[column]
                if column == "action":
                    canvas.text(row, offset, ctx.t(f"profit.action.{value}") if value else "")
                else:
                    canvas.number(row, offset, value, "body",
                                  xlsx.YUAN if column in ("revenue", "cost", "net") else xlsx.HOURS)
            row += 1
        row = layout.note(canvas, row, ctx.t("s1.asset.top_note", n=len(frame))) + 1
    return row


SHEET = ModuleSheet(PAGE, write, prepare)
