"""1.4 客户资产负债审视: the hourly cost worked back, the cost-to-serve assumptions a bank export needs, each
customer's revenue, cost and net, the whale curve, the revenue/cost scatter, the 倒推 against the manager's
capacity with the over- and under-served lists and the top liabilities with actions, the 花旗 case."""

from __future__ import annotations

import html  # a customer number from the trainee's file is text in Plotly's hover HTML
import math
from typing import Any

import pandas as pd
import streamlit as st

from ui import charts
from ui.editors import editor_start, restart_editor
from ui.frame import footer, header
from ui.layout import flow_columns, metric_row
from ui.persona_cards import persona_cards
from ui.state import active_book, book_memo, lang, module_values, save_values, t
from workbook import asset_review as ar
from workbook.money import money_text
from workbook.profit import COST_INPUTS, KINDS, REVENUE_INPUTS, assumed_inputs
from workbook.schema import field_label
from workbook.segmentation import SCHEMES

PAGE = "s1_4"
TEXT_NAMES = ("my_assets", "my_liabilities", "my_action")
DEFAULTS: dict[str, Any] = {**{name: getattr(ar.DEFAULT_INPUTS, name) for name in ar.INPUT_NAMES},
                            ar.TIER_COSTS_KEY: {}, **dict.fromkeys(TEXT_NAMES, "")}
WAN = 10_000.0  # 元 per 万元: money is typed in 万元 and kept in 元
SCALE = {"annual_cost": WAN, "potential_external": WAN, "potential_new_aum": WAN}
EXAMPLE_REVENUE = 10_000.0  # the 倒推 sentence's example customer (元 a year)
EXAMPLE_TIER = "affluent"
EDITOR = f"{PAGE}_tier_costs"  # the tier assumptions table (ui.editors: its key and the rows it starts from)
TIER_NUMBER_COLUMNS = ("hours", "minutes_per_contact", "gift_cost", "event_cost")


def _then() -> str:
    """What goes between two sentences: nothing after a Chinese full stop, a space in English."""
    return "" if lang() == "zh" else " "


def _key(name: str) -> str:
    return f"{PAGE}_{name}"


def _save(name: str) -> None:
    value = st.session_state.get(_key(name))
    if name in SCALE and value is not None:
        value = float(value) * SCALE[name]
    elif name == "assume_missing":
        value = 1.0 if value else 0.0
    save_values(PAGE, **{name: value})


def _init(name: str, value: Any) -> None:
    # Widgets start from the workspace so entries survive leaving the page and coming back.
    if _key(name) not in st.session_state:
        st.session_state[_key(name)] = value


def _init_number(name: str) -> None:
    _init(name, float(values[name]) / SCALE.get(name, 1.0))


def _number_input(name: str, *, step: float, fmt: str, min_value: float = 0.0,
                  max_value: float | None = None) -> None:
    _init_number(name)
    st.number_input(t(f"s1.asset.{name}"), key=_key(name), min_value=min_value, max_value=max_value, step=step,
                    format=fmt, on_change=_save, args=(name,), help=t(f"s1.asset.help.{name}"))


def _fields_text(keys: tuple[str, ...]) -> str:
    return t("s1.list_sep").join(field_label(key, language) for key in keys)


def _money(value: float) -> str:
    return money_text(value, language)


def _hours(value: float) -> str:
    return f"{round(value):,}"  # an int: a value that rounds to zero never shows as "-0"


def _reset_assumptions() -> None:
    save_values(PAGE, **{ar.TIER_COSTS_KEY: {}, "assume_missing": 1.0,
                         **{name: getattr(ar.DEFAULT_INPUTS, name)
                            for name in ("wealth_fee_pct", "fund_fee_pct", "insurance_fee_pct")}})
    for name in ("assume_missing", "wealth_fee_pct", "fund_fee_pct", "insurance_fee_pct"):
        st.session_state.pop(_key(name), None)
    restart_editor(EDITOR)


def _assumption_editor(params_now: Any) -> None:
    """The tier assumptions as an editable table; the edited cells go to the workspace as overrides."""
    editor_key, start_rows = editor_start(EDITOR, language, lambda: ar.tier_cost_table(params_now.assumptions))
    frame = pd.DataFrame(start_rows)
    frame.insert(1, "label", [t(f"s1.asset.tier_row.{name}") for name in frame["field"]])
    tiers = [tier for tier in SCHEMES["aum"].tiers() if tier.code in frame.columns]
    # "localized": 1.5 hours, 10 minutes and 3,000 元 each without a needless decimal, in one column
    number_columns = {
        tier.code: st.column_config.NumberColumn(tier.label(language), min_value=0.0, format="localized")
        for tier in tiers
    }
    edited = st.data_editor(
        frame,
        key=editor_key,
        hide_index=True,
        width="stretch",
        num_rows="fixed",
        column_order=["label", *number_columns],
        disabled=["label"],
        column_config={"label": st.column_config.TextColumn(t("s1.asset.tier_col.label")),
                       **number_columns},
    )
    overrides = ar.tier_cost_overrides_from_table(edited.to_dict("records"))
    if overrides != values[ar.TIER_COSTS_KEY]:
        save_values(PAGE, **{ar.TIER_COSTS_KEY: overrides})
        values[ar.TIER_COSTS_KEY] = overrides


def _assumed_text(assumed: Any) -> str:
    """Which figures come from the assumptions, as one sentence (empty when none)."""
    parts = []
    if assumed.hours in ("contacts", "tier"):
        parts.append(t(f"s1.asset.assumed.hours_{assumed.hours}"))
    if assumed.gifts or assumed.events:
        parts.append(t("s1.asset.assumed.perks"))
    if assumed.fee_from:
        parts.append(t("s1.asset.assumed.fees", fields=_fields_text(assumed.fee_from)))
    if not parts:
        return ""
    text = t("s1.asset.assumed.lead", items=t("s1.asset.assumed.sep").join(parts))
    if assumed.rebates_zero:
        text += _then() + t("s1.asset.assumed.rebates")
    return text


def _customer_table(frame: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """Masked customer columns beside the chosen figures, with translated headers and labels."""
    table = result.customers.loc[frame.index].rename(
        columns={key: field_label(key, language) for key in ("customer_id", "name")})
    for source, label_key in columns.items():
        values_ = frame[source]
        if source == "kind":
            values_ = values_.astype("str").map(lambda code: t(f"profit.kind.{code}"))
        elif source == "cost_driver":
            values_ = values_.astype("str").map(lambda code: t(f"profit.driver.{code}"))
        elif source == "action":
            values_ = values_.map(lambda code: t(f"profit.action.{code}") if code else "")
        table[t(label_key)] = values_.to_numpy()
    return table.reset_index(drop=True)


TEXT_COLUMNS = {"kind", "cost_driver", "action"}
MONEY_COLUMNS = {"revenue", "cost", "net", "perks", "rebate_cost"}


def _show_list(frame: pd.DataFrame, columns: dict[str, str]) -> None:
    if frame.empty:
        st.caption(t("s1.asset.empty_list"))
        return
    table = _customer_table(frame, columns)
    config: dict[str, Any] = {
        t(key): st.column_config.NumberColumn(format="%,.0f" if source in MONEY_COLUMNS else "%,.1f")
        for source, key in columns.items() if source not in TEXT_COLUMNS
    }
    if "action" in columns:
        config[t(columns["action"])] = st.column_config.TextColumn(width="medium")
    st.dataframe(table, hide_index=True, width="stretch", column_config=config)
    st.caption(t("s1.asset.top_note", n=len(table)))


def _whale_figure(review: ar.AssetReview) -> Any:
    """The whale curve with its peak and the point where 100% of profit is reached; in money when the book
    loses money as a whole (shares of a non-positive total mean nothing)."""
    whale, curve = review.whale, review.curve_plot
    if not whale.meaningful:
        figure = charts.curve_with_marks(
            curve["customer_share"], curve["cumulative_net"], name=t("s1.asset.whale_name"),
            x_title=t("s1.asset.whale_x"), y_title=t("s1.asset.whale_y_money"), percent_axes=False,
            title=t("s1.asset.whale_title"), from_origin=True,
        )
        return figure.update_xaxes(tickformat=".0%")
    marks = [(whale.peak_customer_share, whale.peak_share,
              t("s1.asset.whale_peak", peak=charts.percent(whale.peak_share, 0),
                customers=charts.percent(whale.peak_customer_share, 0)))]
    if whale.reach_customer_share is not None and whale.reach_customer_share < whale.peak_customer_share:
        marks.append((whale.reach_customer_share, 1.0,
                      t("s1.asset.whale_reach", customers=charts.percent(whale.reach_customer_share, 1))))
    if whale.crossing_customer_share is not None:
        marks.append((whale.crossing_customer_share, 1.0, t("s1.asset.whale_cross")))
    return charts.curve_with_marks(
        curve["customer_share"], curve["cumulative_profit_share"], name=t("s1.asset.whale_name"),
        marks=marks, reference_y=1.0, reference_label=t("s1.asset.whale_100"),
        x_title=t("s1.asset.whale_x"), y_title=t("s1.asset.whale_y"), title=t("s1.asset.whale_title"),
        from_origin=True,
    )


def _scatter_figure(review: ar.AssetReview, log_axes: bool) -> Any:
    """Revenue against cost to serve, one colour per kind, with the break-even line."""
    points = review.scatter
    groups = []
    for kind, colour in zip(KINDS, (charts.GOOD, charts.HIGHLIGHT, charts.ACCENT), strict=True):
        subset = points[points["kind"].astype("str") == kind]
        hovers = [t("s1.asset.hover", customer=html.escape(customer), revenue=_money(revenue), cost=_money(cost),
                    net=_money(net))
                  for customer, revenue, cost, net in zip(subset["customer"], subset["revenue"], subset["cost"],
                                                          subset["net"], strict=True)]
        groups.append((t(f"profit.kind.{kind}"), subset["revenue"], subset["cost"], hovers, colour))
    return charts.scatter_groups(
        groups, diagonal=ar.break_even_range(points, positive_only=log_axes),
        diagonal_label=t("s1.asset.break_even"), x_title=t("s1.asset.scatter_x"),
        # ticks in the axis titles' unit (元 a year), with separators: 1,000 · 10,000 · 100,000
        y_title=t("s1.asset.scatter_y"), log_axes=log_axes, tick_label=lambda amount: f"{amount:,.0f}",
        title=t("s1.asset.scatter_title"),
    )


@st.fragment
def _scatter(params: ar.ProfitParams) -> None:
    """The scatter and its log-axes switch: flipping the switch reruns only this part of the page. Its
    arguments stay with the session for those reruns, so it takes the parameters, not the review itself."""
    _init("log_axes", True)
    log_axes = bool(st.session_state[_key("log_axes")])
    review: ar.AssetReview = book_memo("s1_4.review", ar.review, params)
    figure = book_memo("s1_4.scatter", lambda _frame, _p, _l, log: _scatter_figure(review, log), params, lang(),
                       log_axes)
    st.plotly_chart(figure, width="stretch")
    st.caption(t("s1.asset.scatter_note"))
    st.toggle(t("s1.asset.log_axes"), key=_key("log_axes"))
    if len(review.scatter) < len(review.result):
        st.caption(t("s1.asset.scatter_sampled", shown=len(review.scatter), total=len(review.result)))


header(PAGE)
language = lang()
book = active_book()
values = module_values(PAGE, DEFAULTS)
# 3.4's service standard for the default AUM ladder, with the trainee's edits there: it caps the justified hours.
# ``trainee_params`` is the one function every page builds its ProfitParams with (ui.profit_settings).
service_plan = module_values("s3_4", {"overrides": {}})
params = ar.trainee_params(values, service_plan)

# ---- step 1: the hourly cost, worked back ------------------------------------------------------------------
st.header(t("s1.asset.step1"))
cost_columns = flow_columns(3, min_width=200)
with cost_columns[0]:
    _number_input("annual_cost", step=1.0, fmt="%.0f")
    _number_input("effective_hours", step=50.0, fmt="%.0f", min_value=1.0)
with cost_columns[1]:
    _number_input("deposit_spread_pct", step=0.1, fmt="%.2f", max_value=10.0)
    _number_input("loan_spread_pct", step=0.1, fmt="%.2f", max_value=10.0)
with cost_columns[2]:
    st.metric(t("s1.asset.hourly_metric"), _money(params.hourly_cost))
    _number_input("target_cost_ratio_pct", step=5.0, fmt="%.0f", min_value=1.0, max_value=100.0)
# Below the columns, at full width: inside a third of a projector's page its label is cut to "…".
with st.popover(t("s1.asset.potential_title"), icon=":material/tune:"):
    _number_input("potential_external", step=10.0, fmt="%.0f")
    _number_input("potential_growth_pct", step=5.0, fmt="%.0f")
    _number_input("potential_new_aum", step=1.0, fmt="%.0f")
standard_hours = params.service_standard()
st.markdown(t(
    "s1.asset.hourly_formula", annual=_money(params.annual_cost), hours=_hours(params.effective_hours),
    hourly=_money(params.hourly_cost), example=_money(EXAMPLE_REVENUE),
    ratio=charts.percent(params.target_cost_ratio, 0),
    budget=_money(EXAMPLE_REVENUE * params.target_cost_ratio),
    justified=f"{ar.justified_hours(EXAMPLE_REVENUE, params):,.0f}",
    standard=f"{standard_hours.get(EXAMPLE_TIER, math.inf):g}",
))
st.caption(t("s1.asset.formulas"))

# ---- the cost-to-serve assumptions, for what the book lacks ------------------------------------------------
assumed_text = _assumed_text(assumed_inputs(book.frame, params))
with st.expander(t("s1.asset.assumptions_title"), icon=":material/rule:", expanded=bool(assumed_text)):
    st.markdown(assumed_text or t("s1.asset.assumed.none"))
    _init("assume_missing", bool(values["assume_missing"]))
    st.toggle(t("s1.asset.assume_missing"), key=_key("assume_missing"), on_change=_save, args=("assume_missing",))
    _assumption_editor(params)
    st.caption(t("s1.asset.assumptions_note"))
    fee_columns = st.columns(3)
    for name, column in zip(("wealth_fee_pct", "fund_fee_pct", "insurance_fee_pct"), fee_columns, strict=True):
        with column:
            _number_input(name, step=0.1, fmt="%.1f", max_value=10.0)
    st.caption(t("s1.asset.fee_note", fields=_fields_text(("fee_income_12m",))))
    st.button(t("s1.asset.assumptions_reset"), on_click=_reset_assumptions, icon=":material/restart_alt:",
              key=_key("assumptions_reset"))
params = ar.trainee_params(values, service_plan)  # with this run's edits of the assumptions table

result: ar.AssetReview = book_memo("s1_4.review", ar.review, params)

if result.status != ar.STATUS_OK:
    message = t(f"s1.asset.status.{result.status}", revenue=_fields_text(REVENUE_INPUTS),
                cost=_fields_text(COST_INPUTS))
    st.warning(message, icon=":material/info:")
    st.info(t("frame.missing_fields", fields=_fields_text(result.missing_revenue + result.missing_cost),
              what=t("s1.asset.status.what")) + _then() + t("s1.asset.status.hint"))
elif not params.assumptions.enabled and (result.missing_revenue or result.missing_cost):
    st.caption(t("s1.asset.missing_zero", fields=_fields_text(result.missing_revenue + result.missing_cost)))
if result.status != ar.STATUS_NOTHING and result.missing_potential:
    st.caption(t("s1.asset.missing_potential", fields=_fields_text(result.missing_potential)))

# ---- step 2: assets and liabilities, the whale curve, the scatter ------------------------------------------
if result.status != ar.STATUS_NOTHING:
    st.header(t("s1.asset.step2"))
    kinds = result.kinds
    # Two rows of two on a projector (four money figures in one row are cut to "CNY 7…"), one row where they fit.
    metric_columns = metric_row(4, min_width=240)
    for kind, column in zip(KINDS, metric_columns, strict=False):
        column.metric(t("s1.asset.kind_metric", kind=t(f"profit.kind.{kind}"), count=kinds.counts[kind]),
                      _money(kinds.net[kind]))
    metric_columns[-1].metric(t("s1.asset.total_metric", count=result.whale.customers),
                              _money(kinds.total_net))
    if assumed_text:
        st.caption(t("s1.asset.on_assumptions"))

    whale = result.whale
    whale_column, scatter_column = flow_columns(2, min_width=420)  # stacked on a projector
    with whale_column:
        # Figures are rebuilt only when the book, the parameters or the language change (~20 ms each); for the
        # sample book they are built once for every session (book_memo).
        figure = book_memo("s1_4.whale", lambda _frame, _p, _l: _whale_figure(result), params, language)
        if not whale.meaningful:
            st.info(t("s1.asset.whale_not_meaningful", total=_money(whale.total_net)))
        st.plotly_chart(figure, width="stretch")
        if whale.meaningful:
            st.markdown(t("s1.asset.whale_note", top20=charts.percent(whale.top20_share, 0),
                          peak=charts.percent(whale.peak_share, 0),
                          peak_at=charts.percent(whale.peak_customer_share, 0),
                          lost=charts.percent(ar.lost_share(whale), 0)))
    with scatter_column:
        _scatter(params)

    # ---- step 3: the 倒推 against the manager's capacity -----------------------------------------------------
    st.header(t("s1.asset.step3"))
    st.caption(t("s1.asset.step3_help", ratio=charts.percent(params.target_cost_ratio, 0),
                 standard=t("s1.list_sep").join(
                     t("s1.asset.standard_item", tier=label, hours=f"{standard_hours.get(code, math.inf):g}")
                     for code, label in ((tier.code, tier.label(language)) for tier in SCHEMES["aum"].tiers())
                     if code in standard_hours)))
    review = result.service
    budget = review.budget
    if not review.hours_known:
        st.info(t("s1.asset.no_hours"))
    else:
        hours_columns = metric_row(4)
        hours_columns[0].metric(t("s1.asset.budget.today"), _hours(budget.today),
                                help=t("s1.asset.budget.today_help", capacity=_hours(budget.capacity)))
        hours_columns[1].metric(t("s1.asset.budget.to_free"), _hours(budget.to_free),
                                help=t("s1.asset.budget.to_free_help"))
        hours_columns[2].metric(t("s1.asset.budget.to_reinvest"), _hours(budget.to_reinvest),
                                help=t("s1.asset.budget.to_reinvest_help"))
        hours_columns[3].metric(t("s1.asset.budget.planned"), _hours(budget.planned),
                                help=t("s1.asset.budget.planned_help", capacity=_hours(budget.capacity)))
        budget_text = t("s1.asset.budget.story", capacity=_hours(budget.capacity), today=_hours(budget.today),
                        to_free=_hours(budget.to_free),
                        value=_money(ar.hours_value(budget.to_free, params)), needed=_hours(budget.needed))
        if budget.over_capacity:
            budget_text += _then() + t("s1.asset.budget.over_capacity", kept=_hours(budget.kept))
        elif budget.unfunded > 0.5:
            budget_text += _then() + t("s1.asset.budget.partly", to_reinvest=_hours(budget.to_reinvest),
                                   share=charts.percent(budget.reinvest_share, 0))
        else:
            budget_text += _then() + t("s1.asset.budget.fits", planned=_hours(budget.planned),
                                   spare=_hours(budget.capacity - budget.planned))
        st.markdown(budget_text)
    # What to do first, then why: at projector size the action must not be the column cut off at the right.
    # Over-served: the hours to take back beside the action (the cost driver is the same "too many hours" on
    # most rows, so it goes last).
    list_columns = {"action": "s1.asset.col.action", "hours_gap": "s1.asset.col.hours_gap",
                    "kind": "s1.asset.col.kind", "actual_hours": "s1.asset.col.actual_hours",
                    "justified_hours": "s1.asset.col.justified_hours", "revenue": "s1.asset.col.revenue",
                    "cost_driver": "s1.asset.col.cost_driver"}
    under_columns = {"add_hours": "s1.asset.col.add_hours", "revenue": "s1.asset.col.revenue",
                     "net": "s1.asset.col.net", "justified_hours": "s1.asset.col.justified_hours",
                     "actual_hours": "s1.asset.col.actual_hours"}
    over_tab, under_tab, liability_tab = st.tabs([
        t("s1.asset.tab_over", n=len(review.over)),
        t("s1.asset.tab_under", n=len(review.under)),
        t("s1.asset.tab_liabilities"),
    ])
    with over_tab:
        _show_list(result.over, list_columns)
    with under_tab:
        _show_list(result.under, under_columns)
    with liability_tab:
        _show_list(result.liabilities, {"action": "s1.asset.col.action",
                                        "cost_driver": "s1.asset.col.cost_driver", "net": "s1.asset.col.net",
                                        "revenue": "s1.asset.col.revenue", "actual_hours": "s1.asset.col.actual_hours",
                                        "perks": "s1.asset.col.perks", "rebate_cost": "s1.asset.col.rebates"})

# ---- the 花旗私行 case card ------------------------------------------------------------------------------
case = ar.CITI_CASE
with st.container(border=True):
    st.subheader(t("s1.asset.case.title"))
    st.markdown(t(
        "s1.asset.case.body", customers=case.customers, net_worth=_money(case.min_net_worth),
        annual=_money(case.annual_cost), hours=_hours(case.effective_hours), hourly=_money(case.hourly_cost),
        assets=case.assets, assets_share=charts.percent(case.assets_profit_share, 0), potential=case.potential,
        potential_share=charts.percent(case.potential_loss_share, 0), liabilities=case.liabilities,
        liabilities_share=charts.percent(case.liabilities_loss_share, 0),
        others_share=charts.percent(case.others_loss_share, 0),
        freed_hours=_hours(case.hours_freed), freed_value=_money(case.freed_value),
        per_liability=_hours(case.hours_freed / case.liabilities), others=case.potential + case.liabilities,
    ))
    st.caption(t("frame.illustrative"))

# ---- step 4: the trainee's own definitions -------------------------------------------------------------------
st.header(t("s1.asset.step4"))
text_columns = flow_columns(3, min_width=240)
for name, column in zip(TEXT_NAMES, text_columns, strict=True):
    _init(name, str(values[name]))
    column.text_area(t(f"s1.asset.{name}"), key=_key(name), on_change=_save, args=(name,),
                     placeholder=t("s1.asset.placeholder"), height=130)

persona_cards(PAGE, params)  # the sample book's persona customers, for the instructor
footer(PAGE)
