"""4.2 经营策略设计 in Excel: the outline's first two questions (the trainee's answers, inputs), then per chosen tier
its strategy as the page resolves it (:func:`workbook.strategy.strategies`: the templates and the 3.4 plan, with
the trainee's edits) — goal, real needs, product mix, service actions, cadence, hours per customer and the
four-degree KPI targets as inputs, the ways of marketing as text — and the hours all strategies need against the
effective hours of 1.4, live::

    hours = customers (COUNTIF on the customer sheet) × hours per customer;  Σ hours against MAX(EffectiveHours, 1)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from workbook import carrier, xlsx
from workbook import strategy as strat
from workbook.degrees import four_degrees
from workbook.export import ExportContext, ModuleSheet
from workbook.segmentation import INSUFFICIENT, get_scheme, tier_summary
from workbook.sheets import layout
from workbook.sheets.s1_4 import EFFECTIVE_HOURS, profit_params

PAGE = "s4_2"
DEFAULTS: dict[str, Any] = {"scheme": None, "state": "", "review": "", "tiers": {}, "strategies": {}}
KPI_FORMATS = {"points": xlsx.COUNT, "percent": xlsx.COUNT, "growth_percent": xlsx.COUNT}


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def chosen_tiers(ctx: ExportContext, scheme_id: str, with_customers: list[str]) -> list[str]:
    """The tiers the page designs strategies for: the trainee's choice, else every tier with customers but 信息不足
    (as the page opens)."""
    saved = ctx.values(PAGE, DEFAULTS)
    remembered = _mapping(saved["tiers"]).get(scheme_id)
    chosen = [c for c in remembered if c in with_customers] if isinstance(remembered, list) else []
    return chosen or [c for c in with_customers if c != INSUFFICIENT]


def resolved_strategies(ctx: ExportContext, scheme_id: str) -> tuple[dict[str, strat.Strategy], Any, Any]:
    """Every tier's strategy as 4.2 shows it, the tier summary and the four-degree figures (memoised per export:
    4.4 reads the same strategies)."""

    def compute() -> tuple[dict[str, strat.Strategy], Any, Any]:
        detail, _, _ = ctx.segmentation(scheme_id)
        params = profit_params(ctx)
        summary = tier_summary(ctx.book, detail)
        figures = four_degrees(ctx.book, detail.tiers, profit_params=params).figures
        with_customers = [c for c in summary.index if int(summary.loc[c, "customers"]) > 0]
        codes = [tier.code for tier in detail.tier_list if tier.code in with_customers]
        service_overrides = _mapping(_mapping(ctx.values("s3_4", {"overrides": {}})["overrides"]).get(scheme_id))
        overrides = {k: dict(_mapping(v)) for k, v in _mapping(_mapping(ctx.values(PAGE, DEFAULTS)["strategies"])
                                                                 .get(scheme_id)).items()}
        start = strat.starting_strategies(scheme_id, codes, ctx.lang, service_overrides, figures)
        return ({c: strat.apply_overrides(start[c], overrides.get(c)) for c in codes}, summary, figures)

    return ctx.memo(f"s4_2.strategies.{scheme_id}", compute)


def write(ctx: ExportContext, canvas: xlsx.Canvas) -> None:
    values = ctx.values(PAGE, DEFAULTS)
    scheme_id = layout.page_scheme(ctx, PAGE)
    detail, _, _ = ctx.segmentation(scheme_id)
    labels = detail.labels(ctx.lang)
    names = layout.tier_names(detail)
    resolved, summary, figures = resolved_strategies(ctx, scheme_id)
    with_customers = list(resolved)
    chosen = [c for c in with_customers if c in chosen_tiers(ctx, scheme_id, with_customers)]

    layout.widths(canvas, 34, 70, 14, 14)
    row = layout.title_block(ctx, canvas, PAGE)
    canvas.text(row, 1, ctx.t("s4.scheme_label"), "header")
    canvas.text(row, 2, get_scheme(scheme_id).name(ctx.lang))
    canvas.text(row, 3, ctx.t("export.s1_2.choice_in_app"), "note")
    row += 2

    # ---- the whole book first: the outline's first two questions ----
    row = layout.heading(canvas, row, ctx.t("s4_2.questions_title"))
    questions = {q.field: q for q in strat.QUESTIONS}
    for name in strat.OVERALL_FIELDS:
        question = questions[name]
        canvas.text(row, 1, f"{question.number}. {question.prompt(ctx.lang)}", "wrap")
        ctx.input(canvas, row, 2, module=PAGE, path=(name,), kind=carrier.TEXT, value=str(values[name] or ""),
                  label=ctx.both("export.s4_2.question", number=question.number, text=ctx.pair(
                      f"export.s4_2.overall.{name}")), unit="text", blank=carrier.BLANK_EMPTY)
        canvas.row_heights[row] = 72
        row += 1
    row += 1

    # ---- a strategy per chosen tier ----
    row = layout.heading(canvas, row, ctx.t("s4_2.segments_title"))
    if not chosen:
        row = layout.note(canvas, row, ctx.t("s4_2.no_segments")) + 1
    hours_rows: dict[str, int] = {}
    tier_range = ctx.book_range(f"tier:{scheme_id}")
    for code in chosen:
        plan = resolved[code]
        tier = names[code]
        row = layout.heading(canvas, row, labels[code])
        facts = ctx.t("export.s4_2.facts", customers=f"{int(summary.loc[code, 'customers']):,}",
                      aum=f"{float(summary.loc[code, 'aum']) / xlsx.WAN_DIVISOR:,.0f}")
        row = layout.note(canvas, row, facts)
        for field in strat.TEXT_FIELDS:
            label = ctx.t(f"s4_2.field.{field}")
            asked = questions.get(field)
            canvas.text(row, 1, f"{label} · {asked.number}. {asked.prompt(ctx.lang)}" if asked else label, "wrap")
            ctx.input(canvas, row, 2, module=PAGE, path=("strategies", scheme_id, code, field), kind=carrier.TEXT,
                      value=plan.value(field), unit="text", blank=carrier.BLANK_EMPTY,
                      label=ctx.both("export.s4_2.cell", tier=tier, field=ctx.pair(f"s4_2.field.{field}")))
            canvas.row_heights[row] = 48
            row += 1
        canvas.text(row, 1, ctx.t("s4_2.field.channels"))
        canvas.text(row, 2, ctx.t("common.list_sep").join(ctx.t(f"s4_2.channel.{c}") for c in plan.channels) or "—")
        canvas.text(row, 3, ctx.t("export.s1_2.choice_in_app"), "note")
        row += 1
        for spec in strat.KPIS:
            field = f"kpi.{spec.degree}"
            canvas.text(row, 1, ctx.t(f"s4_2.kpi.{spec.degree}"))
            ctx.input(canvas, row, 2, module=PAGE, path=("strategies", scheme_id, code, field), kind=carrier.NUMBER,
                      value=plan.kpis.get(spec.degree), unit="plain", number_format=KPI_FORMATS[spec.unit],
                      minimum=spec.low, maximum=spec.high, blank=carrier.BLANK_NONE,
                      label=ctx.both("export.s4_2.cell", tier=tier, field=ctx.pair(f"s4_2.kpi.{spec.degree}")))
            today = strat.kpi_current(spec, figures.loc[code].to_dict()) if code in figures.index else None
            if today is None:
                canvas.text(row, 3, ctx.t("s4_2.kpi_unknown"), "note")
            elif spec.unit == "growth_percent":
                canvas.text(row, 3, ctx.t("export.s4_2.today_money", value=f"{today:,.0f}"), "note")
            else:
                canvas.text(row, 3, ctx.t(f"s4_2.kpi_today_{spec.unit}", value=f"{today:.0f}"), "note")
            row += 1
        canvas.text(row, 1, ctx.t("s4_2.field.hours_per_customer"), "key")
        ctx.input(canvas, row, 2, module=PAGE, path=("strategies", scheme_id, code, "hours_per_customer"),
                  kind=carrier.NUMBER, value=plan.hours_per_customer, unit="hours", number_format=xlsx.HOURS,
                  minimum=0.0, blank=carrier.BLANK_REFUSE,
                  label=ctx.both("export.s4_2.cell", tier=tier, field=ctx.pair("s4_2.field.hours_per_customer")))
        hours_rows[code] = row
        row += 2

    # ---- the hours all strategies need (live) ----
    if not chosen:
        return
    row = layout.heading(canvas, row, ctx.t("s4_2.hours_title"))
    row = layout.header_row(canvas, row, [ctx.t("tiers.col.tier"), ctx.t("s4_2.col.per_customer"),
                                          ctx.t("tiers.col.customers"), ctx.t("export.s4_2.hours_total")])
    first = row
    for code in chosen:
        canvas.text(row, 1, labels[code])
        canvas.formula(row, 2, xlsx.relative(hours_rows[code], 2), "body", xlsx.HOURS)
        canvas.formula(row, 3, f"COUNTIF({tier_range},{xlsx.relative(row, 1)})", "body", xlsx.COUNT)
        canvas.formula(row, 4, f"{xlsx.relative(row, 2)}*{xlsx.relative(row, 3)}", "body", xlsx.COUNT)
        row += 1
    needed = f"SUM({xlsx.column_range(4, first, row - 1)})"
    available = f"MAX({EFFECTIVE_HOURS},1)"
    for key, expression in (("s4_2.metric.needed", needed), ("s4_2.metric.available", available)):
        canvas.text(row, 1, ctx.t(key), "key")
        canvas.formula(row, 4, expression, "key", xlsx.COUNT)
        row += 1
    ctx.key_figure(PAGE, ctx.t("s4_2.metric.needed"), canvas.ref(row - 2, 4), xlsx.COUNT, ctx.t("export.unit.hours"))
    fits = xlsx.formula_string(ctx.t("export.s4_2.fits"))
    over = xlsx.formula_string(ctx.t("export.s4_2.over"))
    canvas.formula(row, 1, f"IF({needed}<={available},{fits},{over}&TEXT({needed}-{available},\"#,##0\"))", "key")
    row += 1
    layout.note(canvas, row, ctx.t("s4_2.hours_source", page=ctx.t("nav.s1_4")))


SHEET = ModuleSheet(PAGE, write)
