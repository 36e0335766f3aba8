"""4.3 有效产出会计: T, OE, I, NP, ROI and T/OE per tier and in total, T per manager-hour, the best use of the
manager's hours (allocate_hours within floors and ceilings) against today's, and the case cards: Goldratt's P & Q,
the outline's 浦发 and 中国移动 outlets (illustrative numbers)."""

import json

import pandas as pd
import streamlit as st

from ui import charts, profit_settings, section4
from ui import segment_views as views
from ui.frame import footer, header
from ui.layout import metric_row
from ui.state import book_memo, lang, module_values, save_values, t
from ui.tier_views import params_key
from workbook import services
from workbook import throughput as tp
from workbook.money import money_text, wan_cell
from workbook.profit import HOURS_FROM_BOOK, assumed_inputs
from workbook.schema import field_label
from workbook.segmentation import INSUFFICIENT

PAGE = "s4_3"
WAN = 10_000.0  # 元 per 万元: money is typed in 万元
DEFAULTS = {"scheme": None, "other_oe": 0.0, "investment": {}, "available": None,
            "floor_pct": tp.DEFAULT_FLOOR_SHARE * 100, "ceiling_pct": tp.DEFAULT_CEILING_SHARE * 100, "bounds": {}}

header(PAGE)
language = lang()
saved = module_values(PAGE, DEFAULTS)


def _hours_number(value: float) -> str:
    """Hours a year for a column headed in hours: whole from 10 up, a tenth below when not whole; "—" unknown."""
    if pd.isna(value):
        return "—"
    return f"{value:.1f}" if abs(value) < 10 and round(value, 1) != round(value) else f"{value:,.0f}"


def _money(value: float) -> str:
    return money_text(value, language)


def _whole(value: float) -> str:
    """A case figure as a whole number with separators and a true minus sign (−300)."""
    return f"{value:,.0f}".replace("-", "−")


def _dollars(value: float) -> str:
    """A P & Q profit with its sign before the unit ("−$300", "−300 美元")."""
    return t("s4_3.pq.dollars", sign="−" if value < 0 else "", amount=_whole(abs(value)))


def _ratio(value: float) -> str:
    return "—" if pd.isna(value) else f"{value:.2f}"


def _keep(name: str, scale: float = 1.0) -> None:
    save_values(PAGE, **{name: float(st.session_state[f"{PAGE}_{name}"]) * scale})


def _init(name: str, value: float) -> None:
    if f"{PAGE}_{name}" not in st.session_state:
        st.session_state[f"{PAGE}_{name}"] = value


# ---- which segmentation, and the hour's cost ----------------------------------------------------------------------
scheme_id = section4.scheme_choice(PAGE, "s4.scheme_label")
detail, params = views.trainee_segmentation(scheme_id)
profit_params, from_s1_4 = profit_settings.profit_params()
hourly = profit_params.hourly_cost
st.caption(t("s3_4.hourly_from_s1_4" if from_s1_4 else "s3_4.hourly_default", hourly=money_text(hourly, language),
             page=t("nav.s1_4"), annual=money_text(profit_params.annual_cost, language),
             hours=f"{profit_params.effective_hours:,.0f}"))

with st.container(border=True):
    st.markdown(t("s4_3.definitions"))

labels = detail.labels(language)
revenue_known = book_memo("s4_3.revenue_known", services.revenue_known)
separator = t("common.list_sep")

if not revenue_known:
    # An id + AUM book: revenue unknown is not revenue 0 — no T is computed.
    missing = book_memo("s4_3.missing_revenue", services.missing_revenue_inputs)
    st.warning(t("s4_3.no_revenue", fields=separator.join(field_label(f, language) for f in missing)),
               icon=":material/info:")
else:
    # ---- the hours per tier: the ones 1.4 prices (the book's, else 1.4's cost-to-serve assumptions) ---------------
    hours_from = book_memo("s4_3.hours_from", lambda frame, _p: assumed_inputs(frame, profit_params).hours,
                           repr(profit_params))
    counts = book_memo("s4_3.counts", lambda frame, _s, _k: detail.tiers.value_counts().to_dict(),
                       scheme_id, params_key(dict(detail.params)))
    if hours_from != HOURS_FROM_BOOK:
        # Say which hours these are, and that 3.4's plan hours are another thing (what is intended, not today's).
        st.info(t(f"s4_3.hours_{hours_from}", field=field_label("service_hours_12m", language),
                  contacts=field_label("contacts_12m", language), page=t("nav.s1_4"), plan=t("nav.s3_4")),
                icon=":material/schedule:")

    investment = {k: float(v) for k, v in (saved["investment"].get(scheme_id) or {}).items()}

    # ---- fixed costs and investment --------------------------------------------------------------------------------
    with st.expander(t("s4_3.inputs_title"), icon=":material/tune:"):
        _init("other_oe", float(saved["other_oe"]) / WAN)
        st.number_input(t("s4_3.other_oe"), key=f"{PAGE}_other_oe", min_value=0.0, step=1.0, format="%g",
                        on_change=_keep, args=("other_oe", WAN), help=t("s4_3.other_oe_help"))
        st.caption(t("s4_3.investment_help"))
        shown = [c.code for c in detail.tier_list if c.code != INSUFFICIENT or int(counts.get(c.code, 0))]
        invest_frame = pd.DataFrame(
            {"label": [labels[c] for c in shown], "investment": [investment.get(c, 0.0) / WAN for c in shown]},
            index=pd.Index(shown, name="tier"),
        )
        edited = st.data_editor(
            invest_frame, hide_index=True, width="stretch", num_rows="fixed", disabled=["label"],
            key=f"{PAGE}_investment_{scheme_id}_{'-'.join(shown)}_{language}",
            column_config={
                "label": st.column_config.TextColumn(t("tiers.col.tier")),
                "investment": st.column_config.NumberColumn(t("s4_3.col.investment_wan"), min_value=0.0, step=0.5,
                                                            format="%g"),
            },
        )
        new_investment = {c: round(float(edited.at[c, "investment"]) * WAN, 2) for c in shown
                          if pd.notna(edited.at[c, "investment"]) and float(edited.at[c, "investment"]) > 0}
        if new_investment != investment:
            all_investment = dict(saved["investment"])
            all_investment[scheme_id] = new_investment
            save_values(PAGE, investment=all_investment)
            investment = new_investment
    other_oe = float(module_values(PAGE, DEFAULTS)["other_oe"])

    by_tier = book_memo(
        "s4_3.throughput",
        lambda frame, *_: tp.throughput_by_tier(frame, detail.tiers, profit_params, investment=investment),
        scheme_id, params_key(dict(detail.params)), repr(profit_params), json.dumps(investment, sort_keys=True),
    )
    totals = tp.throughput_totals(by_tier, profit_params, other_oe)
    tiers = by_tier[by_tier["customers"] > 0]

    # ---- the whole book --------------------------------------------------------------------------------------------
    st.subheader(t("s4_3.totals_title"))
    first, second, third = metric_row(3, min_width=200)
    first.metric(t("s4_3.metric.t"), _money(totals.t))
    second.metric(t("s4_3.metric.oe"), _money(totals.oe))
    third.metric(t("s4_3.metric.np"), _money(totals.np))
    first, second, third = metric_row(3, min_width=200)
    first.metric(t("s4_3.metric.t_over_oe"), _ratio(totals.t_over_oe))
    second.metric(t("s4_3.metric.roi"), charts.percent(totals.roi, 0) if totals.investment > 0 else "—",
                  help=None if totals.investment > 0 else t("s4_3.roi_needs_i"))
    third.metric(t("s4_3.metric.hours"), section4.hours(totals.hours))

    # ---- per tier --------------------------------------------------------------------------------------------------
    st.subheader(t("s4_3.tiers_title"))
    # One unit per column, said in its header: money in 万元, hours, 元 an hour (a cell in 元 beside one in 万元
    # makes the reader compare units, not tiers).
    def _in(key: str, unit: str) -> str:
        return t("layout.with_unit", label=t(key), unit=unit)

    wan, per_hour = t("unit.wan"), t("layout.unit.yuan_per_hour")
    table = pd.DataFrame({
        t("tiers.col.tier"): [labels[c] for c in tiers.index],
        t("tiers.col.customers"): tiers["customers"].tolist(),
        _in("s4_3.col.t_per_hour", per_hour): ["—" if pd.isna(v) else f"{v:,.0f}" for v in tiers["t_per_hour"]],
        _in("s4_3.col.revenue", wan): [wan_cell(v) for v in tiers["revenue"]],
        _in("s4_3.col.variable", wan): [wan_cell(v) for v in tiers["variable_cost"]],
        _in("s4_3.col.t", wan): [wan_cell(v) for v in tiers["t"]],
        t("s4_3.col.hours"): [_hours_number(v) for v in tiers["hours"]],  # the header says hours
        _in("s4_3.col.oe", wan): [wan_cell(v) for v in tiers["oe"]],
        _in("s4_3.col.np", wan): [wan_cell(v) for v in tiers["np"]],
        t("s4_3.col.t_over_oe"): [_ratio(v) for v in tiers["t_over_oe"]],
        _in("s4_3.col.investment", wan): [wan_cell(v) if v > 0 else "—" for v in tiers["investment"]],
        t("s4_3.col.roi"): [charts.percent(v, 0) for v in tiers["roi"]],
    })
    st.dataframe(table, hide_index=True, width="stretch")
    if totals.oe_unassigned >= 0:
        st.caption(t("s4_3.oe_note", assigned=_money(totals.oe_assigned), oe=_money(totals.oe),
                     unassigned=_money(totals.oe_unassigned)))
    else:  # the tiers' hours exceed the effective hours the annual cost pays for
        st.caption(t("s4_3.oe_over", hours=section4.hours(totals.hours),
                     effective=section4.hours(profit_params.effective_hours), assigned=_money(totals.oe_assigned),
                     annual=_money(profit_params.annual_cost)))

    # ---- T per hour ------------------------------------------------------------------------------------------------
    priced = tiers[tiers["t_per_hour"].notna()].sort_values("t_per_hour", ascending=False)
    if len(priced):
        st.subheader(t("s4_3.per_hour_title"))
        below = [labels[c] for c in priced.index if priced.loc[c, "t_per_hour"] < hourly]
        st.plotly_chart(
            charts.bars(
                [labels[c] for c in priced.index], priced["t_per_hour"].tolist(),
                [section4.per_hour(v, language) for v in priced["t_per_hour"]],
                highlight=[v < hourly for v in priced["t_per_hour"]], line=hourly,
                line_label=t("s4_3.hourly_line", amount=section4.per_hour(hourly, language)),
                value_title=t("s4_3.per_hour_axis"),
            ),
            width="stretch", key="s4_3_per_hour",
        )
        best = labels[priced.index[0]]
        st.markdown(t("s4_3.per_hour_note", best=best, amount=section4.per_hour(priced["t_per_hour"].iloc[0],
                                                                                language)))
        if below:
            st.markdown(t("s4_3.below_cost", tiers=separator.join(below),
                          hourly=section4.per_hour(hourly, language)))
    unpriced = [labels[c] for c in tiers.index if pd.isna(tiers.loc[c, "t_per_hour"])]
    if unpriced:
        st.caption(t("s4_3.unpriced", tiers=separator.join(unpriced)))

    # ---- the best use of the hours ---------------------------------------------------------------------------------
    st.subheader(t("s4_3.allocation_title"))
    st.caption(t("s4_3.allocation_help"))
    today_total = float(priced["hours"].sum()) if len(priced) else 0.0
    left, middle, right = st.columns(3)
    _init("available", round(float(saved["available"]) if saved["available"] is not None else today_total))
    _init("floor_pct", float(saved["floor_pct"]))
    _init("ceiling_pct", float(saved["ceiling_pct"]))
    left.number_input(t("s4_3.available"), key=f"{PAGE}_available", min_value=0.0, step=50.0, format="%.0f",
                      on_change=_keep, args=("available",),
                      help=t("s4_3.available_help", today=f"{today_total:,.0f}",
                             effective=f"{profit_params.effective_hours:,.0f}"))
    middle.number_input(t("s4_3.floor_pct"), key=f"{PAGE}_floor_pct", min_value=0.0, max_value=100.0, step=5.0,
                        format="%.0f", on_change=_keep, args=("floor_pct",), help=t("s4_3.floor_help"))
    right.number_input(t("s4_3.ceiling_pct"), key=f"{PAGE}_ceiling_pct", min_value=100.0, max_value=1_000.0,
                       step=10.0, format="%.0f", on_change=_keep, args=("ceiling_pct",), help=t("s4_3.ceiling_help"))
    available = float(st.session_state[f"{PAGE}_available"])
    bounds = dict(saved["bounds"].get(scheme_id) or {})
    allocation = tp.allocation_table(priced, st.session_state[f"{PAGE}_floor_pct"] / 100,
                                     st.session_state[f"{PAGE}_ceiling_pct"] / 100, bounds)
    if allocation.empty:
        st.info(t("s4_3.allocation_empty"), icon=":material/info:")
    else:
        order = list(allocation.index)
        bounds_frame = pd.DataFrame(
            {"label": [labels[c] for c in order], "today": allocation["today"].round().tolist(),
             "t_per_hour": [None if pd.isna(v) else round(float(v)) for v in allocation["t_per_hour"]],
             "floor": allocation["floor"].round().tolist(), "ceiling": allocation["ceiling"].round().tolist()},
            index=pd.Index(order, name="tier"),
        )
        edited_bounds = st.data_editor(
            bounds_frame, hide_index=True, width="stretch", num_rows="fixed",
            disabled=["label", "today", "t_per_hour"],
            key=f"{PAGE}_bounds_{scheme_id}_{'-'.join(order)}_{language}",
            column_config={
                "label": st.column_config.TextColumn(t("tiers.col.tier")),
                "today": st.column_config.NumberColumn(t("s4_3.col.today_hours"), format="%,.0f"),
                # the unit in the header, whole 元 in the cells, as in the tier table above
                "t_per_hour": st.column_config.NumberColumn(
                    t("layout.with_unit", label=t("s4_3.col.t_per_hour"), unit=t("layout.unit.yuan_per_hour")),
                    format="%,.0f"),
                "floor": st.column_config.NumberColumn(t("s4_3.col.floor"), min_value=0.0, step=10.0,
                                                       format="%,.0f"),
                "ceiling": st.column_config.NumberColumn(t("s4_3.col.ceiling"), min_value=0.0, step=10.0,
                                                         format="%,.0f"),
            },
        )
        # A bound the trainee typed is kept; one equal to the percentage rule is not (it follows the rule).
        new_bounds = {c: dict(v) for c, v in bounds.items() if c not in order}
        for code in order:
            entry = {}
            for column in ("floor", "ceiling"):
                value = edited_bounds.at[code, column]
                if pd.notna(value) and round(float(value)) != round(float(bounds_frame.at[code, column])):
                    entry[column] = float(value)
                elif column in (bounds.get(code) or {}):
                    entry[column] = float(bounds[code][column])
            if entry:
                new_bounds[code] = entry
        if new_bounds != bounds:
            all_bounds = dict(saved["bounds"])
            all_bounds[scheme_id] = new_bounds
            save_values(PAGE, bounds=all_bounds)
            allocation = tp.allocation_table(priced, st.session_state[f"{PAGE}_floor_pct"] / 100,
                                             st.session_state[f"{PAGE}_ceiling_pct"] / 100, new_bounds)
        try:
            comparison = tp.compare_allocation(allocation, available, totals.np)
        except tp.AllocationError as err:
            st.error(err.text(language), icon=":material/block:")
        else:
            first, second, third = st.columns(3)
            first.metric(t("s4_3.metric.t_best"), _money(comparison.t_best),
                         delta=_money(comparison.t_uplift), delta_arrow="off" if comparison.t_uplift == 0 else "auto")
            np_delta = (charts.percent(comparison.np_change, 0) if pd.notna(comparison.np_change)
                        else _money(comparison.t_uplift))
            second.metric(t("s4_3.metric.np_best"), _money(comparison.np_best), delta=np_delta,
                          delta_arrow="off" if comparison.t_uplift == 0 else "auto")
            third.metric(t("s4_3.metric.moved"), section4.hours(comparison.hours_moved))
            if comparison.t_uplift > 0:
                st.markdown(t("s4_3.uplift_note", moved=section4.hours(comparison.hours_moved),
                              uplift=_money(comparison.t_uplift), np_today=_money(comparison.np_today),
                              np_best=_money(comparison.np_best)))
            else:
                st.markdown(t("s4_3.no_uplift"))
            if comparison.hours_unused > 0.5:
                st.caption(t("s4_3.unused", hours=section4.hours(comparison.hours_unused)))
            moved = comparison.tiers["moved"]
            st.plotly_chart(
                section4.hours_moved_chart(
                    [labels[c] for c in order], moved.tolist(),
                    [t("s4_3.moved_label", hours=f"{v:+,.0f}") if round(v) else "0" for v in moved],
                    t("s4_3.moved_axis"),
                ),
                width="stretch", key="s4_3_moved",
            )
            st.dataframe(pd.DataFrame({
                t("tiers.col.tier"): [labels[c] for c in order],
                t("s4_3.col.today_hours"): [section4.hours(v) for v in comparison.tiers["today"]],
                t("s4_3.col.best_hours"): [section4.hours(v) for v in comparison.tiers["best"]],
                t("s4_3.col.t_today"): [_money(v) for v in comparison.tiers["t_today"]],
                t("s4_3.col.t_best"): [_money(v) for v in comparison.tiers["t_best"]],
            }), hide_index=True, width="stretch")
            st.caption(t("s4_3.assumption"))

# ---- case cards ----------------------------------------------------------------------------------------------------
st.subheader(t("s4_3.cases_title"))
pq = tp.pq_case()
with st.container(border=True):
    st.markdown(t("s4_3.pq.title"))
    p, q = pq.products
    st.markdown(t("s4_3.pq.body", **{name: _whole(getattr(product, field)) for name, product, field in (
        ("p_price", p, "price"), ("p_material", p, "material"), ("p_t", p, "t_per_unit"), ("p_minutes", p, "minutes"),
        ("p_rate", p, "t_per_minute"), ("p_demand", p, "demand"), ("q_price", q, "price"),
        ("q_material", q, "material"), ("q_t", q, "t_per_unit"), ("q_minutes", q, "minutes"),
        ("q_rate", q, "t_per_minute"), ("q_demand", q, "demand"))},
        available=_whole(pq.available), oe=_whole(pq.operating_expense)))
    margin, constraint = pq.by_margin, pq.by_constraint
    st.markdown(t("s4_3.pq.result", m_p=_whole(margin.units["P"]), m_q=_whole(margin.units["Q"]),
                  m_t=_whole(margin.t), m_np=_dollars(margin.np), c_p=_whole(constraint.units["P"]),
                  c_q=_whole(constraint.units["Q"]), c_t=_whole(constraint.t), c_np=_dollars(constraint.np)))
    st.caption(t("s4_3.pq.source"))

outlet_columns = st.columns(2, gap="large")
for key, column in zip(("spdb", "mobile"), outlet_columns, strict=True):
    case = tp.outlet_case(key)
    c = case.comparison
    with column, st.container(border=True):
        st.markdown(t(f"s4_3.case.{key}.title"))
        st.markdown(t(f"s4_3.case.{key}.outline"))
        rows = "\n".join(
            t("s4_3.case.group", name=case.groups.loc[g, f"name_{'en' if language == 'en' else 'zh'}"],
              rate=section4.per_hour(case.groups.loc[g, "t_per_hour"], language),
              today=f"{case.groups.loc[g, 'today']:,.0f}", best=f"{case.groups.loc[g, 'best']:,.0f}")
            for g in case.groups.index
        )
        st.markdown(rows)
        if case.measure == "fee_target":
            st.markdown(t("s4_3.case.spdb.result", target=_money(case.target), today=_money(c.t_today),
                          today_rate=charts.percent(case.achievement(c.t_today), 0), best=_money(c.t_best),
                          best_rate=charts.percent(case.achievement(c.t_best), 0)))
        else:
            st.markdown(t("s4_3.case.mobile.result", oe=_money(case.operating_expense), np_today=_money(c.np_today),
                          np_best=_money(c.np_best), change=charts.percent(c.np_change, 0)))
        st.caption(t("s4_3.case.illustrative"))

footer(PAGE)
