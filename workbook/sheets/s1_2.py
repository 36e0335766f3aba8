"""1.2 核心业绩公式 in Excel: P = N × c × v (× (1 + r)) live, the target and what each lever must become, the
classroom experiment, the trainee's plan and its waterfall, all as formulas over the input cells.

The values start where the page starts (:mod:`workbook.performance`): N (customers reached in the period), c and v
on the page's basis of 业绩 (the trainee's own sales or 中收 when entered, else the book's 中收, else its asset
growth) unless the trainee typed their own, the default target (today × 1.5), the balanced plan unless the trainee
set one. v and the targets are typed in 万元, as on the page. The formulas are the page's::

    P = N × c × v (× (1 + r))           ratio = P* ÷ P          alone = ratio − 1
    balanced = ratio^(1/k) − 1           lever needed alone = lever × ratio (for r: (1 + r) × ratio − 1)
    planned lever = lever × (1 + uplift) (for r: (1 + r)(1 + uplift) − 1)
    waterfall step = P with the levers up to this one planned − P before it (in the order chosen on the page)
    experiment: (1 + u)^k − 1 against k × u

The period, the basis and the fourth lever are the page's choices at export (values here), and so are N, c and v
as the book and the trainee's own figures give them (their own figures are inputs too, for the app to take back);
everything else is live.
Money totals are in 万元 (the cell holds 元 ÷ 10,000), as the page shows them.
"""

from __future__ import annotations

from typing import Any

from workbook import carrier, xlsx
from workbook import performance as perf
from workbook.export import ExportContext, ModuleSheet
from workbook.sheets import layout

PAGE = "s1_2"
DEFAULTS: dict[str, Any] = {
    "period": "month", "n_month": None, "n_year": None, "c_pct_month": None, "c_pct_year": None, "v": None,
    "repurchase": False, "r_pct": None, "target_month": None, "target_year": None, "plan_pct": None, "order": None,
    "lesson_pct": perf.LESSON_UPLIFT * 100, "basis": None, "own_month": {}, "own_year": {},
}
OWN_FIELDS = ("deals", "wealth", "fund", "insurance", "fee_income")  # perf.OwnSales, money in 元
WAN = xlsx.WAN_DIVISOR


def _number(value: Any) -> float | None:
    """A saved number, None when blank or damaged (the page then keeps the book's value)."""
    from workbook.schema import finite_number

    return finite_number(value)


def own_sales(values: dict[str, Any], period: str) -> perf.OwnSales:
    """The trainee's own figures for the period as the page reads them (money in 元; blank or damaged → 0)."""
    saved = values[f"own_{period}"] if isinstance(values[f"own_{period}"], dict) else {}
    return perf.OwnSales(**{name: max(_number(saved.get(name)) or 0.0, 0.0) for name in OWN_FIELDS})


def _err(expression: str) -> str:
    """A formula that shows "—" instead of an error when P is 0 (the page says the multiple cannot be computed)."""
    return f'IFERROR({expression},"—")'


def write(ctx: ExportContext, canvas: xlsx.Canvas) -> None:
    values = ctx.values(PAGE, DEFAULTS)
    period = values["period"] if values["period"] in perf.PERIODS else "month"
    own = own_sales(values, period)
    basis = values["basis"] if values["basis"] in perf.BASES else perf.default_basis(ctx.book, own)
    book_levers = perf.derive_from_book(ctx.book, period, basis, own)
    repurchase = bool(values["repurchase"])
    resolved = perf.resolve_levers(book_levers, n=_number(values[f"n_{period}"]),
                                   c_pct=_number(values[f"c_pct_{period}"]), v=_number(values["v"]),
                                   repurchase=repurchase, r_pct=_number(values["r_pct"]))
    current = resolved.levers
    names = current.names
    word = ctx.t(f"s1.formula.period_word.{period}")
    words = ctx.pair(f"s1.formula.period_word.{period}")
    target_name = f"target_{period}"
    saved_target = _number(values[target_name])
    target = saved_target if saved_target is not None else perf.default_target(current)
    plan = perf.target_plan(current, float(target))

    layout.widths(canvas, 50, 20, 20, 20, 20, 30)
    row = layout.title_block(ctx, canvas, PAGE)
    canvas.text(row, 1, ctx.t("s1.formula.period"), "header")
    canvas.text(row, 2, ctx.t(f"s1.formula.period_option.{period}"))
    canvas.text(row, 3, ctx.t("export.s1_2.choice_in_app"), "note")
    row += 1
    canvas.text(row, 1, ctx.t("s1.formula.basis_label"), "header")
    canvas.text(row, 2, ctx.t(f"s1.formula.basis.{basis}"))
    canvas.text(row, 3, ctx.t("export.s1_2.choice_in_app"), "note")
    row += 1
    row = layout.note(canvas, row, ctx.t(f"s1.formula.basis_note.{basis}"))
    canvas.text(row, 1, ctx.t("s1.formula.own_title", period=word), "header")
    row += 1
    saved_own = values[f"own_{period}"] if isinstance(values[f"own_{period}"], dict) else {}
    for name in OWN_FIELDS:
        money = name != "deals"
        canvas.text(row, 1, ctx.t(f"s1.formula.own.{name}"))
        ctx.input(canvas, row, 2, module=PAGE, path=(f"own_{period}", name), kind=carrier.NUMBER,
                  value=getattr(own, name), label=ctx.both("export.s1_2.own", field=ctx.pair(f"s1.formula.own.{name}"),
                                                           period=words),
                  unit="wan" if money else "count", scale=WAN if money else 1.0,
                  number_format=xlsx.DECIMAL if money else xlsx.COUNT, minimum=0.0, blank=carrier.BLANK_NONE,
                  seed=(1, dict(saved_own)))
        row += 1
    row = layout.note(canvas, row, ctx.t("export.s1_2.own_note"))
    row += 1

    # ---- step 1: the formula today ----
    row = layout.heading(canvas, row, ctx.t("s1.formula.step1"))
    row = layout.header_row(canvas, row, [ctx.t("s1.formula.col.lever"), ctx.t("export.col.value")])
    refs: dict[str, str] = {}
    specs = {
        "n": (f"n_{period}", carrier.NUMBER, 1.0, xlsx.DECIMAL, "plain", 0.0, None),
        "c": (f"c_pct_{period}", carrier.NUMBER, 100.0, xlsx.PERCENT, "percent", 0.0, 100.0),
        "v": ("v", carrier.NUMBER, WAN, xlsx.DECIMAL, "wan", 0.0, None),
        "r": ("r_pct", carrier.NUMBER, 100.0, xlsx.PERCENT, "percent", 0.0, 100.0),
    }
    shown = resolved.inputs
    shown_by_lever = {"n": shown["n"], "c": shown["c_pct"], "v": shown["v"], "r": shown["r_pct"]}
    for lever in names:
        name, kind, scale, number_format, unit, minimum, maximum = specs[lever]
        canvas.text(row, 1, ctx.t(f"s1.formula.lever.{lever}", period=word))
        refs[lever] = ctx.input(canvas, row, 2, module=PAGE, path=(name,), kind=kind, value=shown_by_lever[lever],
                                label=ctx.both(f"s1.formula.lever.{lever}", period=words), unit=unit, scale=scale,
                                number_format=number_format, minimum=minimum, maximum=maximum,
                                blank=carrier.BLANK_NONE)
        source = ctx.t("export.s1_2.source_override") if lever in resolved.overridden else ctx.t(
            "export.s1_2.source_default" if lever == "r" else "export.s1_2.source_own"
            if lever in ("c", "v") and basis in perf.OWN_BASES else "export.s1_2.source_book")
        canvas.text(row, 3, source, "note")
        row += 1
    factor = {lever: refs[lever] if lever != "r" else f"(1+{refs['r']})" for lever in names}
    canvas.text(row, 1, ctx.t("export.s1_2.p_now", period=word), "key")
    canvas.formula(row, 2, "*".join(factor[lever] for lever in names), "key", xlsx.WAN)  # v in 万元: P in 万元
    canvas.text(row, 3, ctx.t("export.unit.wan"), "note")
    p_now = canvas.ref(row, 2)
    ctx.key_figure(PAGE, ctx.t("export.s1_2.p_now", period=word), p_now, xlsx.WAN, ctx.t("export.unit.wan"))
    row += 2

    # ---- step 2: the target and what each lever must become ----
    row = layout.heading(canvas, row, ctx.t("s1.formula.step2"))
    canvas.text(row, 1, ctx.t("export.s1_2.target", period=word))
    target_ref = ctx.input(canvas, row, 2, module=PAGE, path=(target_name,), kind=carrier.NUMBER, value=target,
                           label=ctx.both("export.s1_2.target", period=words), unit="wan", scale=WAN,
                           number_format=xlsx.WAN, minimum=0.0, blank=carrier.BLANK_NONE)
    canvas.text(row, 3, ctx.t("export.unit.wan"), "note")
    ctx.key_figure(PAGE, ctx.t("export.s1_2.target", period=word), target_ref, xlsx.WAN, ctx.t("export.unit.wan"))
    row += 1
    k = len(names)
    ratio = canvas.ref(row, 2)
    for key, expression, number_format in (
        ("export.s1_2.ratio", f"{target_ref}/{p_now}", xlsx.RATIO),
        ("export.s1_2.alone", f"{target_ref}/{p_now}-1", xlsx.PERCENT),
        ("export.s1_2.balanced", f"({target_ref}/{p_now})^(1/{k})-1", xlsx.PERCENT),
    ):
        canvas.text(row, 1, ctx.t(key, k=k))
        canvas.formula(row, 2, _err(expression), "key", number_format)
        row += 1
    balanced = canvas.ref(row - 1, 2)
    row += 1
    row = layout.header_row(canvas, row, [ctx.t("s1.formula.col.lever"), ctx.t("s1.formula.col.current"),
                                          ctx.t("s1.formula.col.alone"), ctx.t("s1.formula.col.balanced"),
                                          ctx.t("export.s1_2.feasible")])
    formats = {"n": xlsx.DECIMAL, "c": xlsx.PERCENT, "v": xlsx.DECIMAL, "r": xlsx.PERCENT}
    for lever in names:
        canvas.text(row, 1, ctx.t(f"s1.formula.lever_short.{lever}") if lever != "r" else ctx.t(
            "s1.formula.lever.r"))
        value = refs[lever]
        canvas.formula(row, 2, value, "body", formats[lever])
        if lever == "r":
            alone, even = f"(1+{value})*{ratio}-1", f"(1+{value})*(1+{balanced})-1"
        else:
            alone, even = f"{value}*{ratio}", f"{value}*(1+{balanced})"
        canvas.formula(row, 3, _err(alone), "body", formats[lever])
        canvas.formula(row, 4, _err(even), "body", formats[lever])
        if lever in ("c", "r"):  # a rate above 100% cannot be reached (performance._feasible)
            over = xlsx.formula_string(ctx.t("export.s1_2.impossible"))
            cells = f"{xlsx.relative(row, 3)},{xlsx.relative(row, 4)}"
            canvas.formula(row, 5, f'IFERROR(IF(MAX({cells})>1+1E-9,{over},""),"")', "note")
        row += 1
    row += 1

    # ---- the classroom experiment ----
    row = layout.heading(canvas, row, ctx.t("s1.formula.lesson_title"))
    canvas.text(row, 1, ctx.t("s1.formula.lesson_slider"))
    lesson = ctx.input(canvas, row, 2, module=PAGE, path=("lesson_pct",), kind=carrier.NUMBER,
                       value=_number(values["lesson_pct"]) or perf.LESSON_UPLIFT * 100,
                       label=ctx.both("s1.formula.lesson_slider"), unit="percent",
                       scale=100.0, number_format=xlsx.PERCENT0, minimum=1.0, maximum=50.0,
                       blank=carrier.BLANK_REFUSE)
    row += 1
    canvas.text(row, 1, ctx.t("export.s1_2.compound", k=k))
    canvas.formula(row, 2, f"(1+{lesson})^{k}-1", "key", xlsx.PERCENT)
    row += 1
    canvas.text(row, 1, ctx.t("export.s1_2.additive", k=k))
    canvas.formula(row, 2, f"{k}*{lesson}", "body", xlsx.PERCENT)
    row += 2

    # ---- step 3: the plan and its waterfall ----
    row = layout.heading(canvas, row, ctx.t("s1.formula.step3"))
    if plan is None:
        layout.note(canvas, row, ctx.t("s1.formula.zero_p"))
        return
    saved_plan = values["plan_pct"] if isinstance(values["plan_pct"], dict) else {}
    pcts = perf.balanced_pcts(plan, names) | {k_: number for k_, v_ in saved_plan.items()
                                                if k_ in names and (number := _number(v_)) is not None}
    row = layout.header_row(canvas, row, [ctx.t("s1.formula.col.lever"), ctx.t("export.s1_2.uplift"),
                                          ctx.t("export.s1_2.planned")])
    planned: dict[str, str] = {}
    for lever in names:
        canvas.text(row, 1, ctx.t(f"s1.formula.lever_short.{lever}"))
        uplift = ctx.input(canvas, row, 2, module=PAGE, path=("plan_pct", lever), kind=carrier.NUMBER,
                           value=pcts[lever],
                           label=ctx.both("s1.formula.plan_uplift", lever=ctx.pair(f"s1.formula.lever_short.{lever}")),
                           unit="percent", scale=100.0, number_format=xlsx.PERCENT, minimum=-90.0, maximum=1000.0,
                           blank=carrier.BLANK_REFUSE, seed=(1, dict(pcts)))
        if lever == "r":
            canvas.formula(row, 3, f"(1+{refs['r']})*(1+{uplift})-1", "body", xlsx.PERCENT)
            planned[lever] = f"(1+{xlsx.relative(row, 3)})"
        else:
            canvas.formula(row, 3, f"{refs[lever]}*(1+{uplift})", "body", formats[lever])
            planned[lever] = xlsx.relative(row, 3)
        row += 1
    canvas.text(row, 1, ctx.t("export.s1_2.p_plan", period=word), "key")
    canvas.formula(row, 2, "*".join(planned[lever] for lever in names), "key", xlsx.WAN)
    canvas.text(row, 3, ctx.t("export.unit.wan"), "note")
    p_plan = canvas.ref(row, 2)
    ctx.key_figure(PAGE, ctx.t("export.s1_2.p_plan", period=word), p_plan, xlsx.WAN, ctx.t("export.unit.wan"))
    row += 1
    canvas.text(row, 1, ctx.t("export.s1_2.gap"))
    canvas.formula(row, 2, _err(f"{p_plan}/{target_ref}-1"), "body", xlsx.PERCENT)
    row += 2

    orders = [",".join(order) for order in perf.attribution_orders(names)]
    order = values["order"] if values["order"] in orders else orders[0]
    sequence = order.split(",")
    row = layout.heading(canvas, row, ctx.t("s1.formula.wf_title"))
    canvas.text(row, 1, ctx.t("s1.formula.order"), "header")
    canvas.text(row, 2, " → ".join(ctx.t(f"s1.formula.lever_short.{lever}") for lever in sequence))
    canvas.text(row, 6, ctx.t("export.s1_2.choice_in_app"), "note")
    row += 1
    row = layout.header_row(canvas, row, [ctx.t("export.s1_2.step"), ctx.t("export.col.money", what=ctx.t(
        "export.s1_2.delta"), unit=ctx.t("export.unit.wan"))])
    canvas.text(row, 1, ctx.t("s1.formula.wf_current"))
    canvas.formula(row, 2, p_now, "body", xlsx.WAN)
    row += 1
    before = p_now
    for step, lever in enumerate(sequence, start=1):
        changed = set(sequence[:step])
        after = "*".join(planned[name] if name in changed else factor[name] for name in names)
        canvas.text(row, 1, ctx.t(f"s1.formula.lever_short.{lever}"))
        canvas.formula(row, 2, f"{after}-{before}", "body", xlsx.WAN)
        before = f"({after})"
        row += 1
    canvas.text(row, 1, ctx.t("s1.formula.wf_plan"), "key")
    canvas.formula(row, 2, p_plan, "key", xlsx.WAN)


SHEET = ModuleSheet(PAGE, write)
