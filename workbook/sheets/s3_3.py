"""3.3 客户四度 in Excel: per tier of the scheme the page shows, the 0–100 score of each degree and the raw
figures behind them (:func:`workbook.degrees.four_degrees`), as values at export with the page's units.

NPS, retention ratios and the 0–100 scaling are means and ratios over groups of customers: written as values
(the sheet says so), with the same revenue assumptions as 1.4 (the trainee's spreads when set there). Then the
plan (提高四度) as the page shows it: per tier the degree to raise, its key figure today and the target, and the
actions — the trainee's own text, an input they may keep working on.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from workbook import carrier, services, xlsx
from workbook.degrees import ALL, DEGREES, FIGURE_BY_KEY, FIGURES, degree_plan, four_degrees
from workbook.export import Both, ExportContext, ModuleSheet
from workbook.schema import field_label
from workbook.segmentation import CROSS_IDS, INSUFFICIENT, get_scheme
from workbook.sheets import layout

PAGE = "s3_3"
FORMATS = {
    "count": xlsx.COUNT, "score": "+0;-0;0", "years": "0.0", "ratio": xlsx.PERCENT, "share": xlsx.PERCENT,
    "per_customer": xlsx.DECIMAL, "money": xlsx.YUAN,
}


def write(ctx: ExportContext, canvas: xlsx.Canvas) -> None:
    saved = ctx.values(PAGE, {"scheme": None, "tiers": {}, "plans": {}})
    chosen = ctx.values("s3_2", {"scheme": "aum"})
    scheme_id = saved["scheme"] or chosen.get("scheme") or "aum"
    scheme_id = scheme_id if scheme_id in CROSS_IDS else "aum"
    detail, _, _ = ctx.segmentation(scheme_id)
    profit_params, from_s1_4 = services.profit_params_from(ctx.values("s1_4"))
    result = four_degrees(ctx.book, detail.tiers, profit_params=profit_params)
    labels = detail.labels(ctx.lang) | {ALL: ctx.t("s3_3.all_customers")}
    sizes = result.figures["customers"]
    columns = [code for code in result.figures.index if code == ALL or int(sizes[code]) > 0]

    layout.widths(canvas, 44, *([16] * len(columns)))
    row = layout.title_block(ctx, canvas, PAGE)
    canvas.text(row, 1, ctx.t("s3_3.scheme_label"), "header")
    canvas.text(row, 2, get_scheme(scheme_id).name(ctx.lang))
    row += 1
    row = layout.note(canvas, row, ctx.t("export.as_exported"))
    row = layout.note(canvas, row, ctx.t("s3_3.revenue_from_s1_4" if from_s1_4 else "s3_3.revenue_source")) + 1

    def table_header(first: str) -> None:
        nonlocal row
        row = layout.header_row(canvas, row, [first] + [labels[code] for code in columns])

    row = layout.heading(canvas, row, ctx.t("s3_3.scores_title"))
    table_header(ctx.t("s3_3.tier_column"))
    canvas.text(row, 1, ctx.t("s3_3.customers_row"))
    for offset, code in enumerate(columns, start=2):
        canvas.number(row, offset, int(sizes[code]), "body", xlsx.COUNT)
    row += 1
    for degree in DEGREES:
        canvas.text(row, 1, ctx.t(f"deg.name.{degree}"), "key")
        for offset, code in enumerate(columns, start=2):
            value = result.scores.loc[code, degree]
            if value is None or math.isnan(float(value)):
                canvas.text(row, offset, "—")
            else:
                canvas.number(row, offset, round(float(value), 6), "key", "0")
        row += 1
    row = layout.note(canvas, row, ctx.t("s3_3.scores_help")) + 1

    row = layout.heading(canvas, row, ctx.t("s3_3.table_title"))
    table_header(ctx.t("s3_3.figure_column"))
    for degree in DEGREES:
        for figure in FIGURES:
            if figure.degree != degree:
                continue
            canvas.text(row, 1, f"{ctx.t(f'deg.name.{degree}')} · {ctx.t(f'deg.figure.{figure.key}')}")
            for offset, code in enumerate(columns, start=2):
                value = result.figures.loc[code, figure.key]
                if value is None or math.isnan(float(value)):
                    canvas.text(row, offset, "—")
                else:
                    canvas.number(row, offset, float(value), "body", FORMATS.get(figure.unit, xlsx.DECIMAL))
            row += 1
    for degree in DEGREES:
        if result.missing_by_degree[degree]:
            fields = ("、" if ctx.lang == "zh" else ", ").join(
                field_label(f, ctx.lang)
                for f in result.missing_by_degree[degree])
            row = layout.note(canvas, row, ctx.t("s3_3.missing", degree=ctx.t(f"deg.name.{degree}"), fields=fields))
    row = layout.note(canvas, row + 1, ctx.t("s3_3.scales_note")) + 1
    _plan(ctx, canvas, row, scheme_id, result, labels, saved)


def _plan(ctx: ExportContext, canvas: xlsx.Canvas, row: int, scheme_id: str, result: Any,
          labels: Mapping[str, str], saved: Mapping[str, Any]) -> None:
    """提高四度: per tier the degree to raise, today's key figure, the target (values as the page shows them) and the
    actions (an input: the trainee's own text)."""
    sizes = result.figures["customers"]
    tiers = [c for c in result.figures.index if c not in (ALL, INSUFFICIENT) and int(sizes[c]) > 0]
    plans = saved.get("plans")
    plans = plans if isinstance(plans, Mapping) else {}
    scheme_plan = plans.get(scheme_id)
    scheme_plan = scheme_plan if isinstance(scheme_plan, Mapping) else {}
    plan = degree_plan(result, tiers, scheme_plan, ctx.lang)
    row = layout.heading(canvas, row, ctx.t("s3_3.plan_title"))
    row = layout.header_row(canvas, row, [ctx.t("s3_3.tier_column"), ctx.t("s3_3.plan_degree"),
                                          ctx.t("s3_3.plan_current"), ctx.t("s3_3.plan_target"),
                                          ctx.t("s3_3.plan_actions")])
    canvas.width(5, max(canvas.widths.get(5, 16), 60))
    scheme_name = Both(get_scheme(scheme_id).name("zh"), get_scheme(scheme_id).name("en"))
    for entry in plan:
        canvas.text(row, 1, labels[entry.tier], "key")
        canvas.text(row, 2, ctx.t(f"deg.name.{entry.degree}") if entry.degree else "—")
        if entry.figure is None:
            canvas.text(row, 3, "—")
            canvas.text(row, 4, "—")
        else:
            unit = FIGURE_BY_KEY[entry.figure].unit
            number_format = FORMATS.get(unit, xlsx.DECIMAL)
            canvas.number(row, 3, entry.current, "body", number_format)
            canvas.number(row, 4, entry.target, "body", number_format)
        tier = next((t for t in get_scheme(scheme_id).tiers() if t.code == entry.tier), None)
        tier_name = Both(tier.label("zh"), tier.label("en")) if tier is not None else Both(entry.tier, entry.tier)
        ctx.input(canvas, row, 5, module=PAGE, path=("plans", scheme_id, entry.tier, "actions"), kind=carrier.TEXT,
                  value=entry.actions, label=ctx.both("export.s3_3.actions", scheme=scheme_name, tier=tier_name),
                  unit="text", blank=carrier.BLANK_EMPTY)
        canvas.row_heights[row] = 60
        row += 1
    layout.note(canvas, row, ctx.t("export.s3_3.plan_note", page=ctx.t("nav.s3_3")))


SHEET = ModuleSheet(PAGE, write)
