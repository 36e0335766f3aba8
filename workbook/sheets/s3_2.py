"""3.2 多维分层工作台 in Excel: the seven schemes, each with its parameters (inputs, in the page's units) and its
tiers counted live from the customer sheet's tier column, with a native bar chart.

The tier of each customer is a value (the rules rank, take quantiles and cumulative shares: no formula the class
could read), computed with the parameters in use at export. The counts and AUM per tier are formulas over the
customer sheet, and the parameters are inputs: a parameter changed in Excel comes back to the app with the file,
and the app re-tiers the book. Tier figures are those of :func:`workbook.segmentation.tier_summary`::

    customers = number of customers whose tier column holds the tier's label    share = customers ÷ all
    AUM (万元) = Σ aum of those customers ÷ 10,000                             share = AUM ÷ all AUM

Labels are compared exactly (SUMPRODUCT), never as COUNTIF criteria, which would read "<5万" as a comparison.
"""

from __future__ import annotations

from typing import Any

from openpyxl.chart import BarChart, Reference

from workbook import carrier, xlsx
from workbook.export import Both, ExportContext, ModuleSheet
from workbook.schema import field_label
from workbook.segmentation import INSUFFICIENT, SCHEME_IDS, SCHEMES, ParamSpec, Scheme, Tier, warning_text
from workbook.sheets import layout

PAGE = "s3_2"
WAN = xlsx.WAN_DIVISOR
BLOCK_ROWS = 18  # a scheme's block is at least as tall as its chart
CHART_COLUMN = "H"


def _cut_label(spec: ParamSpec, index: int, tiers: list[Tier], ctx: ExportContext) -> Both:
    """What a cut-off opens (as the page labels it): "潜力客户 起点", else "门槛 2"."""
    if spec.first_tier is not None and spec.first_tier + index < len(tiers):
        tier = tiers[spec.first_tier + index]
        return ctx.pair("s3_2.cut_label", tier=Both(tier.zh, tier.en))
    return ctx.pair("s3_2.cut_number", n=index + 1)


def _params(ctx: ExportContext, canvas: xlsx.Canvas, row: int, scheme: Scheme, merged: dict[str, Any],
            tiers: list[Tier]) -> int:
    """One input per parameter value, in the page's units (money in 万元, shares in %). A list or a table is
    kept whole in the workspace (as the page keeps it), so its cells carry the whole value as their seed."""
    name = Both(scheme.name("zh"), scheme.name("en"))
    for spec in scheme.params:
        value = merged.get(spec.key)
        items: list[tuple[str | int | None, Both, Any]]
        if spec.kind in ("money_list", "number_list") and isinstance(value, list):
            items = [(index, _cut_label(spec, index, tiers, ctx), item) for index, item in enumerate(value)]
        elif spec.kind == "weights" and isinstance(value, dict):
            items = [(key, Both(field_label(key, "zh"), field_label(key, "en")), item) for key, item in value.items()]
        else:
            items = [(None, Both("", ""), value)]
        scale, unit, number_format = 1.0, "plain", xlsx.DECIMAL
        if spec.kind == "money_list":
            scale, unit, number_format = WAN, "wan", xlsx.WAN
        elif spec.kind == "share":
            unit, number_format = "percent", xlsx.PERCENT
        canvas.text(row, 1, spec.label(ctx.lang), "key")
        single = items[0][0] is None
        for offset, (key, label, item) in enumerate(items):
            column = 2 + offset
            if not single:
                canvas.text(row, column, label.pick(ctx.lang), "note")
            path = ("params", scheme.id, spec.key, *(() if key is None else (key,)))
            ctx.input(canvas, row if single else row + 1, column, module=PAGE, path=path, kind=carrier.NUMBER,
                      value=item, label=ctx.both("export.s3_2.param", scheme=name, param=Both(spec.zh, spec.en),
                                                 item=label),
                      unit=unit, scale=scale, number_format=number_format, minimum=spec.minimum,
                      maximum=spec.maximum, blank=carrier.BLANK_REFUSE, seed=None if single else (3, value))
        row += 1 if single else 2
    return row


def write(ctx: ExportContext, canvas: xlsx.Canvas) -> None:
    saved = ctx.values(PAGE, {"scheme": "aum", "params": {}})
    layout.widths(canvas, 38, 16, 16, 16, 16, 14, 4)
    row = layout.title_block(ctx, canvas, PAGE)
    row = layout.note(canvas, row, ctx.t("export.s3_2.note")) + 1
    total_customers = max(ctx.customers, 0)
    aum_range = ctx.book_range("aum")
    for scheme_id in SCHEME_IDS:
        scheme = SCHEMES[scheme_id]
        detail, overrides, error = ctx.segmentation(scheme_id)
        start = row
        title = scheme.name(ctx.lang)
        if scheme_id == saved.get("scheme"):
            title += ctx.t("export.s3_2.chosen")
        row = layout.heading(canvas, row, title)
        row = layout.note(canvas, row, ctx.t("segments.params_invalid", error=error.text(ctx.lang)) if error else
                          ctx.t("segments.params_from_s3_2" if overrides else "segments.params_default"))
        tiers = [t for t in detail.tier_list if t.code != INSUFFICIENT]
        row = _params(ctx, canvas, row, scheme, scheme.merge(overrides), tiers)
        for warning in detail.warnings:
            row = layout.note(canvas, row, warning_text(warning, ctx.lang))

        row = layout.header_row(canvas, row, [
            ctx.t("tiers.col.tier"), ctx.t("tiers.col.customers"), ctx.t("tiers.col.customer_share"),
            ctx.t("export.col.money", what=ctx.t("tiers.col.aum"), unit=ctx.t("export.unit.wan")),
            ctx.t("tiers.col.aum_share")])
        tier_range = ctx.book_range(f"tier:{scheme_id}")
        first = row
        counts = detail.tiers.value_counts()
        shown = [t for t in detail.tier_list if t.code != INSUFFICIENT or int(counts.get(t.code, 0))]
        for tier in shown:
            canvas.text(row, 1, tier.label(ctx.lang))
            label = xlsx.relative(row, 1)
            canvas.formula(row, 2, f"SUMPRODUCT(--({tier_range}={label}))", "body", xlsx.COUNT)
            canvas.formula(row, 3, f"IF({total_customers}>0,{xlsx.relative(row, 2)}/{total_customers},0)", "body",
                           xlsx.PERCENT)
            canvas.formula(row, 4, f"SUMPRODUCT(({tier_range}={label})*{aum_range})/{WAN}", "body", xlsx.WAN)
            canvas.formula(row, 5, f"IFERROR({xlsx.relative(row, 4)}*{WAN}/SUM({aum_range}),0)", "body",
                           xlsx.PERCENT)
            row += 1
        last = row - 1
        if shown:
            chart = BarChart()
            chart.type = "bar"
            chart.style = 10
            chart.title = ctx.t("export.s3_2.chart", scheme=scheme.name(ctx.lang))
            chart.y_axis.title = ctx.t("tiers.col.customers")
            chart.y_axis.number_format = "#,##0"
            chart.x_axis.delete = False
            chart.y_axis.delete = False
            chart.legend = None
            chart.height, chart.width = 7.5, 13
            data = Reference(range_string=canvas.range_ref(first - 1, 2, last, 2))
            chart.add_data(data, titles_from_data=True)
            chart.set_categories(Reference(range_string=canvas.range_ref(first, 1, last, 1)))
            canvas.charts.append((chart, f"{CHART_COLUMN}{start}"))
        row = max(row + 1, start + BLOCK_ROWS)


SHEET = ModuleSheet(PAGE, write)
