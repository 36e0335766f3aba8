"""1.4 客户资产负债审视: the hourly cost worked back, each customer's revenue, cost and net, the whale curve, the
revenue/cost scatter, the over- and under-served lists and the top liabilities with actions, the 花旗 case."""

from __future__ import annotations

import html  # a customer number from the trainee's file is text in Plotly's hover HTML
from dataclasses import asdict, fields
from typing import Any

import pandas as pd
import streamlit as st

from ui import charts
from ui.frame import footer, header
from ui.state import active_book, book_memo, lang, memo, module_values, save_values, t
from workbook import asset_review as ar
from workbook.profit import COST_INPUTS, KINDS, REVENUE_INPUTS
from workbook.schema import field_label

PAGE = "s1_4"
INPUT_NAMES = tuple(f.name for f in fields(ar.ReviewInputs))
TEXT_NAMES = ("my_assets", "my_liabilities", "my_action")
DEFAULTS: dict[str, Any] = {**asdict(ar.DEFAULT_INPUTS), **dict.fromkeys(TEXT_NAMES, "")}
EXAMPLE_REVENUE = 10_000.0  # the 倒推 sentence's example customer (元 a year)


def _key(name: str) -> str:
    return f"{PAGE}_{name}"


def _save(name: str) -> None:
    save_values(PAGE, **{name: st.session_state.get(_key(name))})


def _init(name: str, value: Any) -> None:
    # Widgets start from the workspace so entries survive leaving the page and coming back.
    if _key(name) not in st.session_state:
        st.session_state[_key(name)] = value


def _fields_text(keys: tuple[str, ...]) -> str:
    return t("s1.list_sep").join(field_label(key, language) for key in keys)


def _money(value: float) -> str:
    return charts.money(value, language)


def _customer_table(frame: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """Masked customer columns beside the chosen figures, with translated headers and labels."""
    table = result.customers.loc[frame.index].rename(
        columns={key: field_label(key, language) for key in ("customer_id", "name")})
    for source, label_key in columns.items():
        values = frame[source]
        if source == "kind":
            values = values.astype("str").map(lambda code: t(f"profit.kind.{code}"))
        elif source == "action":
            values = values.map(lambda code: t(f"profit.action.{code}") if code else "")
        table[t(label_key)] = values.to_numpy()
    return table.reset_index(drop=True)


def _show_list(frame: pd.DataFrame, columns: dict[str, str]) -> None:
    if frame.empty:
        st.caption(t("s1.asset.empty_list"))
        return
    table = _customer_table(frame, columns)
    money_format = "%,.0f"
    config: dict[str, Any] = {
        t(key): st.column_config.NumberColumn(format=money_format if source in MONEY_COLUMNS else "%,.1f")
        for source, key in columns.items() if source not in ("kind", "action")
    }
    if "action" in columns:
        config[t(columns["action"])] = st.column_config.TextColumn(width="large")
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
        y_title=t("s1.asset.scatter_y"), log_axes=log_axes, tick_label=_money, title=t("s1.asset.scatter_title"),
    )


MONEY_COLUMNS = {"revenue", "cost", "net", "perks"}

header(PAGE)
language = lang()
book = active_book()
values = module_values(PAGE, DEFAULTS)

# ---- step 1: the hourly cost, worked back ------------------------------------------------------------------
st.header(t("s1.asset.step1"))
for name in INPUT_NAMES:
    _init(name, float(values[name]))
cost_columns = st.columns([1, 1, 1])
with cost_columns[0]:
    st.number_input(t("s1.asset.annual_cost"), key=_key("annual_cost"), min_value=0.0, step=10_000.0,
                    format="%.0f", on_change=_save, args=("annual_cost",))
    st.number_input(t("s1.asset.effective_hours"), key=_key("effective_hours"), min_value=1.0, step=50.0,
                    format="%.0f", on_change=_save, args=("effective_hours",))
with cost_columns[1]:
    st.number_input(t("s1.asset.deposit_spread"), key=_key("deposit_spread_pct"), min_value=0.0, max_value=10.0,
                    step=0.1, format="%.2f", on_change=_save, args=("deposit_spread_pct",))
    st.number_input(t("s1.asset.loan_spread"), key=_key("loan_spread_pct"), min_value=0.0, max_value=10.0,
                    step=0.1, format="%.2f", on_change=_save, args=("loan_spread_pct",))
inputs = ar.ReviewInputs(**{name: float(st.session_state[_key(name)]) for name in INPUT_NAMES})
params = inputs.params()
with cost_columns[2]:
    st.metric(t("s1.asset.hourly_metric"), _money(params.hourly_cost))
    with st.popover(t("s1.asset.potential_title"), icon=":material/tune:"):
        st.number_input(t("s1.asset.potential_external"), key=_key("potential_external"), min_value=0.0,
                        step=100_000.0, format="%.0f", on_change=_save, args=("potential_external",))
        st.number_input(t("s1.asset.potential_growth"), key=_key("potential_growth_pct"), min_value=0.0,
                        step=5.0, format="%.0f", on_change=_save, args=("potential_growth_pct",))
st.markdown(t(
    "s1.asset.hourly_formula", annual=_money(params.annual_cost), hours=f"{params.effective_hours:,.0f}",
    hourly=_money(params.hourly_cost), example=_money(EXAMPLE_REVENUE),
    justified=f"{ar.justified_hours(EXAMPLE_REVENUE, params):,.0f}",
))
st.caption(t("s1.asset.formulas"))

result: ar.AssetReview = book_memo("s1_4.review", ar.review, params)

if result.status != ar.STATUS_OK:
    message = t(f"s1.asset.status.{result.status}", revenue=_fields_text(REVENUE_INPUTS),
                cost=_fields_text(COST_INPUTS))
    st.warning(message, icon=":material/info:")
    st.info(t("frame.missing_fields", fields=_fields_text(result.missing_revenue + result.missing_cost),
              what=t("s1.asset.status.what")) + " " + t("s1.asset.status.hint"))
elif result.missing_revenue or result.missing_cost:
    st.caption(t("s1.asset.missing_zero", fields=_fields_text(result.missing_revenue + result.missing_cost)))
if result.status != ar.STATUS_NOTHING and result.missing_potential:
    st.caption(t("s1.asset.missing_potential", fields=_fields_text(result.missing_potential)))

# ---- step 2: assets and liabilities, the whale curve, the scatter ------------------------------------------
if result.status != ar.STATUS_NOTHING:
    st.header(t("s1.asset.step2"))
    kinds = result.kinds
    metric_columns = st.columns(len(KINDS) + 1)
    for kind, column in zip(KINDS, metric_columns, strict=False):
        column.metric(t("s1.asset.kind_metric", kind=t(f"profit.kind.{kind}"), count=kinds.counts[kind]),
                      _money(kinds.net[kind]))
    metric_columns[-1].metric(t("s1.asset.total_metric", count=result.whale.customers),
                              _money(kinds.total_net))

    whale = result.whale
    whale_column, scatter_column = st.columns(2, gap="large")
    with whale_column:
        # Figures are kept per session until the book, the parameters or the language change (~20 ms each).
        figure = memo("s1_4.whale", (book.token, params, language), lambda: _whale_figure(result))
        if not whale.meaningful:
            st.info(t("s1.asset.whale_not_meaningful", total=_money(whale.total_net)))
        st.plotly_chart(figure, width="stretch")
        if whale.meaningful:
            st.markdown(t("s1.asset.whale_note", top20=charts.percent(whale.top20_share, 0),
                          peak=charts.percent(whale.peak_share, 0),
                          peak_at=charts.percent(whale.peak_customer_share, 0),
                          lost=charts.percent(ar.lost_share(whale), 0)))
    with scatter_column:
        _init("log_axes", True)
        log_axes = bool(st.session_state[_key("log_axes")])
        figure = memo("s1_4.scatter", (book.token, params, language, log_axes),
                      lambda: _scatter_figure(result, log_axes))
        st.plotly_chart(figure, width="stretch")
        st.caption(t("s1.asset.scatter_note"))
        st.toggle(t("s1.asset.log_axes"), key=_key("log_axes"))
        if len(result.scatter) < len(result.result):
            st.caption(t("s1.asset.scatter_sampled", shown=len(result.scatter), total=len(result.result)))

    # ---- step 3: the 倒推 lists ----------------------------------------------------------------------------
    st.header(t("s1.asset.step3"))
    st.caption(t("s1.asset.step3_help"))
    review = result.service
    list_columns = {"revenue": "s1.asset.col.revenue", "cost": "s1.asset.col.cost", "net": "s1.asset.col.net",
                    "kind": "s1.asset.col.kind", "justified_hours": "s1.asset.col.justified_hours",
                    "actual_hours": "s1.asset.col.actual_hours", "hours_gap": "s1.asset.col.hours_gap",
                    "action": "s1.asset.col.action"}
    if not review.hours_known:
        st.info(t("s1.asset.no_hours"))
    else:
        hours_columns = st.columns(3)
        hours_columns[0].metric(t("s1.asset.excess_metric"), f"{review.excess_hours:,.0f}")
        hours_columns[1].metric(t("s1.asset.excess_value"), _money(ar.hours_value(review.excess_hours, params)))
        hours_columns[2].metric(t("s1.asset.shortfall_metric"), f"{review.shortfall_hours:,.0f}")
    over_tab, under_tab, liability_tab = st.tabs([
        t("s1.asset.tab_over", n=len(review.over)),
        t("s1.asset.tab_under", n=len(review.under)),
        t("s1.asset.tab_liabilities"),
    ])
    with over_tab:
        _show_list(result.over, list_columns)
    with under_tab:
        _show_list(result.under, list_columns)
    with liability_tab:
        _show_list(result.liabilities, {"revenue": "s1.asset.col.revenue", "cost": "s1.asset.col.cost",
                                 "net": "s1.asset.col.net", "actual_hours": "s1.asset.col.actual_hours",
                                 "perks": "s1.asset.col.perks", "action": "s1.asset.col.action"})

# ---- the 花旗私行 case card ------------------------------------------------------------------------------
case = ar.CITI_CASE
with st.container(border=True):
    st.subheader(t("s1.asset.case.title"))
    st.markdown(t(
        "s1.asset.case.body", customers=case.customers, net_worth=_money(case.min_net_worth),
        annual=_money(case.annual_cost), hours=f"{case.effective_hours:,.0f}", hourly=_money(case.hourly_cost),
        assets=case.assets, assets_share=charts.percent(case.assets_profit_share, 0), potential=case.potential,
        liabilities=case.liabilities, others_share=charts.percent(case.others_loss_share, 0),
        freed_hours=f"{case.hours_freed:,.0f}", freed_value=_money(case.freed_value),
    ))
    st.caption(t("frame.illustrative"))

# ---- step 4: the trainee's own definitions -------------------------------------------------------------------
st.header(t("s1.asset.step4"))
text_columns = st.columns(3)
for name, column in zip(TEXT_NAMES, text_columns, strict=True):
    _init(name, str(values[name]))
    column.text_area(t(f"s1.asset.{name}"), key=_key(name), on_change=_save, args=(name,),
                     placeholder=t("s1.asset.placeholder"), height=130)

footer(PAGE)
