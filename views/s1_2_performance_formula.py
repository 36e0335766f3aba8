"""1.2 核心业绩公式: P = N × c × v from the trainee's book, a target, each lever's uplift, the plan's waterfall."""

from __future__ import annotations

import math
from typing import Any

import streamlit as st

from ui import charts, saving
from ui.frame import footer, header
from ui.state import active_book, book_memo, lang, memo, module_values, save_values, t
from workbook import i18n
from workbook import performance as perf
from workbook.money import money_text, money_texts
from workbook.schema import field_label

PAGE = "s1_2"
DEFAULTS: dict[str, Any] = {
    "period": "month",
    "n_month": None,
    "n_year": None,
    "c_pct_month": None,  # c differs by period: a month's deals over a month's reach
    "c_pct_year": None,
    "v": None,
    "repurchase": False,
    "r_pct": None,
    "target_month": None,
    "target_year": None,
    "plan_pct": None,
    "order": None,
    "lesson_pct": perf.LESSON_UPLIFT * 100,
    "basis": None,  # None: the page picks (perf.default_basis) until the trainee chooses
    "own_month": {},
    "own_year": {},
}
LEVER_INPUT = {"n": "n", "c": "c_pct", "v": "v", "r": "r_pct"}  # lever -> worksheet input name
WAN = 10_000.0  # 元 per 万元: money is typed in 万元 and kept in 元
SCALE = {"v": WAN, "target_month": WAN, "target_year": WAN}
OWN_FIELDS = ("deals", "wealth", "fund", "insurance", "fee_income")  # perf.OwnSales, money in 元


def _values() -> dict[str, Any]:
    return module_values(PAGE, DEFAULTS)


def _then() -> str:
    """What goes between two sentences: nothing after a Chinese full stop, a space in English."""
    return "" if lang() == "zh" else " "


def _key(name: str) -> str:
    return f"{PAGE}_{name}"


def _save_from_widget(name: str, widget_key: str) -> None:
    value = st.session_state.get(widget_key)
    if name in SCALE and value is not None:
        value = float(value) * SCALE[name]
    save_values(PAGE, **{name: value})


def _own(period: str) -> perf.OwnSales:
    saved = _values()[f"own_{period}"] or {}
    numbers = {}
    for name in OWN_FIELDS:
        try:
            numbers[name] = max(float(saved.get(name) or 0.0), 0.0)
        except (TypeError, ValueError):
            numbers[name] = 0.0
    return perf.OwnSales(**numbers)


def _save_own(period: str, name: str) -> None:
    own = dict(_values()[f"own_{period}"] or {})
    value = st.session_state.get(_key(f"own_{period}_{name}"))
    own[name] = 0.0 if value is None else float(value) * (1.0 if name == "deals" else WAN)
    save_values(PAGE, **{f"own_{period}": own})


def _reset_levers() -> None:
    save_values(PAGE, n_month=None, n_year=None, c_pct_month=None, c_pct_year=None, v=None, r_pct=None,
                plan_pct=None)
    for name in ("n_month", "n_year", "c_pct_month", "c_pct_year", "v", "r_pct"):
        st.session_state.pop(_key(name), None)
    _forget_plan_widgets()


def _forget_plan_widgets() -> None:
    for lever in perf.ALL_LEVERS:
        st.session_state.pop(_key(f"plan_{lever}"), None)


def _save_plan(names: tuple[str, ...]) -> None:
    save_values(PAGE, plan_pct={lever: float(st.session_state[_key(f"plan_{lever}")]) for lever in names})


def _use_balanced(pcts: dict[str, float]) -> None:
    save_values(PAGE, plan_pct=pcts)
    _forget_plan_widgets()


def _count(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _lever_text(lever: str, value: float, language: str) -> str:
    """A lever's value for display: N a count, c and r a percentage, v money."""
    if lever == "n":
        return _count(value)
    if lever == "v":
        return money_text(value, language)
    return charts.percent(value)


def _init_widget(widget_key: str, value: Any, *, follow: bool = False) -> None:
    """Start a widget from the workspace (or the book), so entries survive leaving the page.

    ``follow``: the trainee has not entered their own value, so the widget tracks the computed one (the book's
    value, the balanced plan, the default target) as the inputs it depends on change.
    """
    if follow or widget_key not in st.session_state:
        st.session_state[widget_key] = value


def _times(ratio: float, digits: int = 2) -> str:
    return f"{ratio:.{digits}f}".rstrip("0").rstrip(".")


header(PAGE)
language = lang()
values = _values()

# ---- step 1: today's formula --------------------------------------------------------------------------------
st.header(t("s1.formula.step1"))
_init_widget(_key("period"), values["period"])
period = st.radio(
    t("s1.formula.period"),
    options=perf.PERIODS,
    # Bound to this run's language: AppTest (and any later caller) may call it outside the session.
    format_func=lambda code, language=language: i18n.t(f"s1.formula.period_option.{code}", language),
    key=_key("period"),
    horizontal=True,
    on_change=_save_from_widget,
    args=("period", _key("period")),
)
period_word = t(f"s1.formula.period_word.{period}")

# ---- what 业绩 is measured by, and the trainee's own figures ------------------------------------------------
own = _own(period)
with st.container(border=True):
    st.markdown(t("s1.formula.basis_title"))
    basis_default = values["basis"] if values["basis"] in perf.BASES else perf.default_basis(active_book().frame,
                                                                                              own)
    _init_widget(_key("basis"), basis_default, follow=values["basis"] not in perf.BASES)
    basis = st.radio(
        t("s1.formula.basis_label"), options=perf.BASES, key=_key("basis"), horizontal=True,
        format_func=lambda code, language=language: i18n.t(f"s1.formula.basis.{code}", language),
        on_change=_save_from_widget, args=("basis", _key("basis")),
    )
    st.caption(t("s1.formula.own_title", period=period_word))
    own_columns = st.columns(len(OWN_FIELDS))
    for name, column in zip(OWN_FIELDS, own_columns, strict=True):
        widget_key = _key(f"own_{period}_{name}")
        _init_widget(widget_key, getattr(own, name) / (1.0 if name == "deals" else WAN))
        column.number_input(t(f"s1.formula.own.{name}"), key=widget_key, min_value=0.0,
                            step=1.0, format="%.0f" if name == "deals" else "%.1f",
                            on_change=_save_own, args=(period, name))

book_levers: perf.BookLevers = book_memo("s1_2.derive", perf.derive_from_book, period, basis, own)
st.caption(t(f"s1.formula.basis_note.{basis}"))
resolved = perf.resolve_levers(
    book_levers,
    n=values[f"n_{period}"],
    c_pct=values[f"c_pct_{period}"],
    v=values["v"],
    repurchase=bool(values["repurchase"]),
    r_pct=values["r_pct"],
)
shown = resolved.inputs

_init_widget(_key("repurchase"), bool(values["repurchase"]))
repurchase = st.toggle(t("s1.formula.repurchase_toggle"), key=_key("repurchase"),
                       on_change=_save_from_widget, args=("repurchase", _key("repurchase")))
lever_names = perf.ALL_LEVERS if repurchase else perf.BASE_LEVERS
input_columns = st.columns(len(lever_names))


MONEY_DETAILS = {"total", "amount"}


def _detail_text(key: str, value: float) -> str:
    return money_text(value, language) if key in MONEY_DETAILS else _count(value)


def _source_caption(lever: str) -> str:
    derived = {"n": book_levers.n, "c": book_levers.c, "v": book_levers.v}.get(lever)
    if lever in resolved.overridden:
        book_value = perf.DEFAULT_REPURCHASE if derived is None else derived.value
        return t("s1.formula.source.override", value=_lever_text(lever, book_value, language))
    if lever == "r":
        return t("s1.formula.source.repurchase", value=charts.percent(perf.DEFAULT_REPURCHASE))
    assert derived is not None
    values_ = {k: _detail_text(k, v) for k, v in derived.detail.items()}
    values_.update(threshold=charts.percent(perf.DEAL_GROWTH_MIN, 0), as_of=book_levers.as_of or "",
                   value=_count(derived.value), period=period_word)
    # The most specific text there is: per source, lever and period; per source and lever; per source.
    for key in (f"{derived.source}_{lever}_{period}", f"{derived.source}_{lever}", derived.source):
        if i18n.has_key(f"s1.formula.source.{key}"):
            text = t(f"s1.formula.source.{key}", **values_)
            break
    if derived.detail.get("capped"):
        text += _then() + t("s1.formula.source.capped")
    if lever == "n" and period == "month" and derived.source == perf.SOURCE_ALL:
        text += _then() + t("s1.formula.source.per_month")
    return text


widget_specs = {
    "n": {"name": f"n_{period}", "min_value": 0.0, "step": 1.0, "format": "%.0f"},  # whole customers
    "c": {"name": f"c_pct_{period}", "min_value": 0.0, "max_value": 100.0, "step": 0.5, "format": "%.1f"},
    "v": {"name": "v", "min_value": 0.0, "step": 1.0, "format": "%.2f"},  # 万元
    "r": {"name": "r_pct", "min_value": 0.0, "max_value": 100.0, "step": 1.0, "format": "%.1f"},
}
for lever, column in zip(lever_names, input_columns, strict=True):
    spec = dict(widget_specs[lever])
    name = spec.pop("name")
    widget_key = _key(name)
    entered = values[name]
    _init_widget(widget_key, float(shown[LEVER_INPUT[lever]]) / SCALE.get(name, 1.0), follow=entered is None)
    with column:
        st.number_input(
            t(f"s1.formula.lever.{lever}", period=period_word),
            key=widget_key,
            help=t(f"s1.formula.help.{lever}"),
            on_change=_save_from_widget,
            args=(name, widget_key),
            **spec,
        )
        st.caption(_source_caption(lever))
if book_levers.missing:
    st.caption(t("frame.missing_fields",
                 fields=t("s1.list_sep").join(field_label(key, language) for key in book_levers.missing),
                 what=t("s1.formula.missing_what")))
st.button(t("s1.formula.reset"), on_click=_reset_levers, icon=":material/restart_alt:", key=_key("reset"))

current = resolved.levers
p_now = current.performance
terms = " × ".join(
    f"(1 + {charts.percent(current.r)})" if lever == "r" else _lever_text(lever, current.factor(lever), language)
    for lever in lever_names
)
metric_column, equation_column = st.columns([1, 2])
metric_column.metric(t("s1.formula.current_p", period=period_word), money_text(p_now, language))
equation_column.markdown(t("s1.formula.equation", terms=terms, p=money_text(p_now, language)))

# ---- step 2: target and what each lever must do -----------------------------------------------------------
st.header(t("s1.formula.step2"))
target_name = f"target_{period}"
target_entered = values[target_name] is not None
_init_widget(_key(target_name), float(values[target_name] if target_entered else perf.default_target(current)) / WAN,
             follow=not target_entered)
target_wan = st.number_input(t("s1.formula.target", period=period_word), key=_key(target_name), min_value=0.0,
                             step=10.0, format="%.1f", on_change=_save_from_widget,
                             args=(target_name, _key(target_name)))
plan = perf.target_plan(current, float(target_wan) * WAN)
if plan is None:
    st.warning(t("s1.formula.zero_p"))
else:
    st.markdown(t("s1.formula.ratio", ratio=_times(plan.ratio), alone=charts.percent(plan.alone_uplift),
                  balanced=charts.percent(plan.balanced_uplift), k=len(lever_names)))

    def _cell(lever: str, value: float) -> str:
        """A lever's value in its column's unit (said once, in the header): a count, a percentage, 万元."""
        if lever == "n":  # customers are whole: the target needs at least this many (139.9 → 140)
            return _count(math.ceil(round(value, 6)))
        if lever == "v":
            return _times(value / WAN, 2) if value / WAN < 100 else f"{value / WAN:,.0f}"
        return f"{value * 100:.1f}"

    def _need_text(lever: str, value: float, feasible: bool) -> str:
        text = _cell(lever, value)
        return text if feasible else t("s1.formula.impossible", value=f"{text}%")

    def _lever_header(lever: str) -> str:
        if lever == "r":
            return t("layout.with_unit", label=t("s1.formula.lever_short.r"), unit="%")
        return t(f"s1.formula.lever.{lever}", period=period_word)

    # One lever per column, so each column has one unit (customers, %, 万元) stated in its header.
    needs = {need.lever: need for need in plan.needs}
    rows = [
        {t("s1.formula.col.scenario"): t("s1.formula.col.current"),
         **{_lever_header(lever): _cell(lever, need.current) for lever, need in needs.items()}},
        {t("s1.formula.col.scenario"): t("s1.formula.col.alone"),
         **{_lever_header(lever): _need_text(lever, need.alone, need.alone_feasible) for lever, need in needs.items()}},
        {t("s1.formula.col.scenario"): t("s1.formula.col.balanced"),
         **{_lever_header(lever): _need_text(lever, need.balanced, need.balanced_feasible)
            for lever, need in needs.items()}},
    ]
    st.dataframe(rows, hide_index=True, width="stretch")


@saving.fragment  # st.fragment that also saves after its own reruns
def _lesson(lever_count: int) -> None:
    """+u% on every lever compounds: moving the slider reruns only this box, not the page."""
    with st.container(border=True):
        st.subheader(t("s1.formula.lesson_title"))
        _init_widget(_key("lesson_pct"), float(_values()["lesson_pct"]))
        lesson_pct = st.slider(t("s1.formula.lesson_slider"), min_value=1.0, max_value=50.0, step=1.0,
                               key=_key("lesson_pct"), format="%.0f%%", on_change=_save_from_widget,
                               args=("lesson_pct", _key("lesson_pct")))
        compound, additive = perf.lesson_pct(lesson_pct, lever_count)
        st.markdown(t("s1.formula.lesson_result", k=lever_count, u=f"{lesson_pct:.0f}%",
                      total=charts.percent(compound), additive=charts.percent(additive, 0)))


_lesson(len(lever_names))

# ---- step 3: my plan and its waterfall -------------------------------------------------------------------
if plan is not None:
    st.header(t("s1.formula.step3"))
    st.caption(t("s1.formula.plan_help"))
    balanced = perf.balanced_pcts(plan, lever_names)
    saved_plan = values["plan_pct"] or {}
    plan_columns = st.columns(len(lever_names))
    for lever, column in zip(lever_names, plan_columns, strict=True):
        _init_widget(_key(f"plan_{lever}"), float(saved_plan.get(lever, balanced[lever])),
                     follow=lever not in saved_plan)
        column.number_input(t("s1.formula.plan_uplift", lever=t(f"s1.formula.lever_short.{lever}")),
                            key=_key(f"plan_{lever}"), min_value=-90.0, max_value=1000.0, step=1.0, format="%.1f",
                            on_change=_save_plan, args=(lever_names,))
    st.button(t("s1.formula.plan_balanced"), on_click=_use_balanced, args=(balanced,), icon=":material/balance:")
    planned = perf.plan_from_pcts(current, {lever: st.session_state[_key(f"plan_{lever}")] for lever in lever_names})

    orders = perf.attribution_orders(lever_names)
    order_codes = [",".join(order) for order in orders]
    saved_order = values["order"] if values["order"] in order_codes else order_codes[0]
    _init_widget(_key("order"), saved_order)
    if st.session_state[_key("order")] not in order_codes:  # the lever count changed since
        st.session_state[_key("order")] = order_codes[0]

    def _order_label(code: str, language: str = language) -> str:
        return " → ".join(i18n.t(f"s1.formula.lever_short.{lever}", language) for lever in code.split(","))

    result_column, order_column = st.columns([1, 1])
    order_code = order_column.selectbox(t("s1.formula.order"), order_codes, format_func=_order_label,
                                        key=_key("order"), on_change=_save_from_widget, args=("order", _key("order")))
    flow = perf.waterfall(current, planned, order_code.split(","))
    gap = perf.gap_to_target(flow.end, plan.target)
    result_column.metric(t("s1.formula.plan_p", period=period_word), money_text(flow.end, language),
                         delta=None if gap is None else charts.percent(gap), help=t("s1.formula.plan_vs_target"),
                         delta_description=None if gap is None else t("s1.formula.delta_vs_target"),
                         delta_arrow="off" if gap is not None and abs(gap) < 0.0005 else "auto")
    def _waterfall_figure() -> Any:
        labels = [t("s1.formula.wf_current")] + [t(f"s1.formula.lever_short.{step.lever}") for step in flow.steps]
        labels.append(t("s1.formula.wf_plan"))
        measures = ["absolute"] + ["relative"] * len(flow.steps) + ["total"]
        amounts = [flow.start] + [step.delta for step in flow.steps] + [flow.end]
        # one unit on every bar, the target line and the axis title (the largest amount's unit)
        texts, unit = money_texts([*amounts, plan.target], language)
        *texts, target_text = texts
        texts = [("+" if 0 < index < len(amounts) - 1 and amount >= 0 else "") + text
                 for index, (amount, text) in enumerate(zip(amounts, texts, strict=True))]
        return charts.waterfall(labels, measures, amounts, texts, target=plan.target,
                                target_label=f"{t('s1.formula.wf_target')} {target_text}",
                                title=t("s1.formula.wf_title"),
                                y_title=t("s1.formula.wf_axis", period=period_word, unit=unit))

    # The figure is kept per session until one of its inputs changes (building one costs ~20 ms).
    figure = memo("s1_2.waterfall", (language, period, current, planned, order_code, plan.target), _waterfall_figure)
    st.plotly_chart(figure, width="stretch")
    st.caption(t("s1.formula.order_note", order=_order_label(order_code)))

# ---- case cards ------------------------------------------------------------------------------------------
case_columns = st.columns(2, gap="large")
for (case_id, text_id), column in zip((("spdb_champion", "spdb"), ("ten_x", "tenx")), case_columns, strict=True):
    result = perf.case_result(perf.CASES[case_id])
    before, after = result.before, result.after
    with column, st.container(border=True):
        st.subheader(t(f"s1.formula.case.{text_id}.title"))
        st.markdown(t(
            f"s1.formula.case.{text_id}.body",
            n0=_count(before.n), n1=_count(after.n), c0=charts.percent(before.c), c1=charts.percent(after.c),
            v0=money_text(before.v, language), v1=money_text(after.v, language),
            p0=money_text(before.performance, language), p1=money_text(after.performance, language),
            uplift=charts.percent(result.per_lever_uplift), ratio=_times(result.ratio, 3),
            factor=f"{result.per_lever_factor:.3f}",
        ))
        st.caption(t("frame.illustrative"))

footer(PAGE)
