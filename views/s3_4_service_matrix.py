"""3.4 差异化服务矩阵: tiers × service dimensions from templates (editable, kept per scheme in the workspace), and each
tier's plan cost (hours × hourly cost + benefits) against the revenue the tier brings."""

import pandas as pd
import streamlit as st

from ui import charts, profit_settings
from ui import segment_views as views
from ui.frame import footer, header
from ui.layout import metric_row
from ui.state import active_book, book_memo, lang, module_values, save_values, t
from ui.tier_views import grouped_bars, params_key
from workbook import services
from workbook.money import money_text, wan_cell
from workbook.profit import HOURS_FROM_CONTACTS, HOURS_FROM_TIER, assumed_inputs
from workbook.schema import field_label
from workbook.segmentation import INSUFFICIENT, SCHEME_IDS, SCHEMES

PAGE = "s3_4"
SCHEME_KEY = "s3_4_scheme"

header(PAGE)
language = lang()
saved = module_values(PAGE, {"scheme": None, "overrides": {}})
chosen = module_values("s3_2", {"scheme": "aum", "params": {}})

# ---- which segmentation ------------------------------------------------------------------------------------
if st.session_state.get(SCHEME_KEY) not in SCHEME_IDS:
    default = saved["scheme"] or chosen.get("scheme") or "aum"
    st.session_state[SCHEME_KEY] = default if default in SCHEME_IDS else "aum"
scheme_id = st.selectbox(
    t("s3_4.scheme_label"), SCHEME_IDS, format_func=lambda s: SCHEMES[s].name(language), key=SCHEME_KEY
)
if scheme_id != saved["scheme"]:
    save_values(PAGE, scheme=scheme_id)
detail, params = views.trainee_segmentation(scheme_id)

profit_params, from_s1_4 = profit_settings.profit_params()
hourly = profit_params.hourly_cost
st.caption(
    t("s3_4.hourly_from_s1_4" if from_s1_4 else "s3_4.hourly_default", hourly=money_text(hourly, language),
      page=t("nav.s1_4"), annual=money_text(profit_params.annual_cost, language),
      hours=f"{profit_params.effective_hours:,.0f}")
)
stats = book_memo(
    "s3_4.revenue", lambda frame, _s, _k, _p: services.tier_revenue(frame, detail.tiers, profit_params),
    scheme_id, params_key(params), repr(profit_params),
)
revenue_known = book_memo("s3_4.revenue_known", services.revenue_known)
labels = detail.labels(language)
# The 信息不足 tier needs a plan only when some customers are in it.
codes = [
    tier.code for tier in detail.tier_list if tier.code != INSUFFICIENT or int(stats["customers"].get(tier.code, 0))
]
overrides = dict(saved["overrides"].get(scheme_id, {}))
rows = services.matrix_rows(scheme_id, codes, language, overrides)
editor_suffix = f"{scheme_id}_{'-'.join(codes)}_{language}"


def _hours(value: float, sign: str = "") -> str:
    """Hours with separators; a tenth below 10 when not whole (a plan's 0.5 h is not "0")."""
    if pd.isna(value):
        return "—"
    fraction = abs(value) < 10 and round(value, 1) != round(value)
    return f"{value:{sign},.1f}" if fraction else f"{value:{sign},.0f}"


# ---- the matrix -------------------------------------------------------------------------------------------
st.subheader(t("s3_4.matrix_title"))
st.caption(t("s3_4.matrix_help"))
matrix = pd.DataFrame(
    [{"label": labels[r["tier"]], **{d: r[d] for d in services.DIMENSIONS}} for r in rows],
    index=pd.Index(codes, name="tier"),
)
edited_matrix = st.data_editor(
    matrix,
    hide_index=True,
    width="stretch",
    num_rows="fixed",
    disabled=["label"],
    key=f"s3_4_matrix_{editor_suffix}",
    column_config={
        "label": st.column_config.TextColumn(t("tiers.col.tier"), pinned=True),  # full tier names
        **{d: st.column_config.TextColumn(t(f"service.dim.{d}"), help=t(f"service.dim_help.{d}"), width="medium")
           for d in services.DIMENSIONS},
    },
)

with st.expander(t("s3_4.full_text"), icon=":material/article:"):
    # The editor cuts long cells; this wraps them (dimensions down, tiers across), readable on a projector.
    st.table(
        edited_matrix.set_index("label")[list(services.DIMENSIONS)]
        .rename(columns={d: t(f"service.dim.{d}") for d in services.DIMENSIONS})
        .rename_axis(None)
        .T
    )

# ---- plan cost ------------------------------------------------------------------------------------------------
st.subheader(t("s3_4.cost_title"))
st.caption(t("s3_4.cost_help", hourly=f"{hourly:,.0f}"))
if not revenue_known:
    # An id + AUM book: revenue is unknown, not 0 — no tier is judged against it.
    missing = book_memo("s3_4.missing_revenue", services.missing_revenue_inputs)
    st.info(t("s3_4.no_revenue", fields=t("common.list_sep").join(field_label(f, language) for f in missing)),
            icon=":material/info:")
numbers = pd.DataFrame(
    [
        {
            "label": labels[r["tier"]],
            "customers": int(stats["customers"].get(r["tier"], 0)),
            "hours": float(r["hours"]),
            "benefits_cost": float(r["benefits_cost"]),
        }
        for r in rows
    ],
    index=pd.Index(codes, name="tier"),
)
edited_numbers = st.data_editor(
    numbers,
    hide_index=True,
    width="stretch",
    num_rows="fixed",
    disabled=["label", "customers"],
    key=f"s3_4_numbers_{editor_suffix}",
    column_config={
        "label": st.column_config.TextColumn(t("tiers.col.tier"), pinned=True),
        "customers": st.column_config.NumberColumn(t("tiers.col.customers"), format="%d", width="small"),
        "hours": st.column_config.NumberColumn(t("service.col.hours"), min_value=0.0, step=0.5,
                                               format="%g"),  # 12 and 1.5, no needless ".0"
        "benefits_cost": st.column_config.NumberColumn(t("service.col.benefits_cost"), min_value=0.0, step=50.0,
                                                       format="%,.0f"),
    },
)

# The trainee's edits → overrides kept in the workspace (only cells that differ from the templates).
edited_rows = [
    {"tier": code, **{d: edited_matrix.at[code, d] for d in services.DIMENSIONS},
     "hours": edited_numbers.at[code, "hours"], "benefits_cost": edited_numbers.at[code, "benefits_cost"]}
    for code in codes
]
new_overrides = services.overrides_from_rows(scheme_id, edited_rows, language, overrides)
if new_overrides != overrides:
    all_overrides = dict(saved["overrides"])
    all_overrides[scheme_id] = new_overrides
    save_values(PAGE, overrides=all_overrides)
plan_rows = services.matrix_rows(scheme_id, codes, language, new_overrides)

costs = services.plan_costs(plan_rows, stats, hourly)
summary = services.plan_summary(costs, profit_params.effective_hours)
first, second, third = metric_row(3, min_width=200)
first.metric(t("s3_4.total_hours"), f"{summary.hours:,.0f}",
             delta=t("s3_4.of_available", hours=f"{summary.available_hours:,.0f}"),
             delta_color="inverse" if summary.over_capacity else "off", delta_arrow="off")
second.metric(t("s3_4.total_cost"), money_text(summary.plan_cost, language))
third.metric(t("s3_4.total_revenue"), money_text(summary.revenue, language) if revenue_known else "—")

# The verdict first, then cost against revenue, then how the cost is made up: on a projector the columns at the
# right scroll out of sight, and those are the ones a trainee reads last.
columns = {
    t("tiers.col.tier"): [labels[c] for c in costs.index],
    t("s3_4.col.status"): [
        t("s3_4.status_over") if over and n > 0 else t("s3_4.status_ok") if n > 0 else "—"
        for over, n in zip(costs["over"], costs["customers"], strict=True)
    ],
    t("s3_4.col.plan_cost"): [wan_cell(v) for v in costs["plan_cost"]],
    t("s3_4.col.revenue"): [wan_cell(v) for v in costs["revenue"]],
    t("s3_4.col.margin"): [wan_cell(v) for v in costs["margin"]],
    t("s3_4.col.cost_share"): [charts.percent(v) for v in costs["cost_share"]],
    t("tiers.col.customers"): costs["customers"].tolist(),
    t("s3_4.col.plan_hours"): [_hours(v) for v in costs["plan_hours"]],
    t("s3_4.col.time_cost"): [wan_cell(v) for v in costs["time_cost"]],
    t("s3_4.col.benefits_total"): [wan_cell(v) for v in costs["benefits_total"]],
}
if not revenue_known:  # the columns that compare with revenue would all read 0 or "cost above revenue"
    for key in ("s3_4.col.revenue", "s3_4.col.margin", "s3_4.col.cost_share", "s3_4.col.status"):
        columns.pop(t(key))
st.dataframe(pd.DataFrame(columns), hide_index=True, width="stretch")

for code in summary.over_tiers if revenue_known else ():
    row = costs.loc[code]
    st.warning(
        t("s3_4.warning_over", tier=labels[code], cost=money_text(row["plan_cost"], language),
          revenue=money_text(row["revenue"], language)),
        icon=":material/warning:",
    )
if summary.over_capacity:
    st.warning(
        t("s3_4.warning_capacity", hours=f"{summary.hours:,.0f}", available=f"{summary.available_hours:,.0f}"),
        icon=":material/schedule:",
    )
if not summary.over_tiers and not summary.over_capacity and revenue_known:
    st.success(t("s3_4.all_covered"), icon=":material/check_circle:")
elif not revenue_known and not summary.over_capacity:
    st.success(t("s3_4.capacity_ok"), icon=":material/check_circle:")

st.plotly_chart(
    grouped_bars(
        [labels[c] for c in costs.index],
        [
            # bars and their labels in 万元, the unit said once on the axis (a label in 亿元 beside one in 万元
            # would make the reader compare units, not bars)
            *([(t("s3_4.chart.revenue"), (costs["revenue"] / 1e4).tolist(),
                [wan_cell(v) for v in costs["revenue"]])] if revenue_known else []),
            (t("s3_4.chart.plan_cost"), (costs["plan_cost"] / 1e4).tolist(),
             [wan_cell(v) for v in costs["plan_cost"]]),
        ],
        y_title=t("s3_4.axis_money"),
        value_ticks=False,  # the bars carry their values
        height=420,
        # revenue blue, cost red
        colours=(charts.PALETTE[1], charts.PALETTE[0]) if revenue_known else (charts.PALETTE[0],),
    ),
    width="stretch",
    key="s3_4_cost_chart",
)

# ---- today beside the plan: hours, gifts, events and concessions per tier ------------------------------------
st.subheader(t("s3_4.today_title"))
# Today's hours, gifts and events are the ones 1.4 prices: the book's, else 1.4's cost-to-serve assumptions.
actuals = book_memo("s3_4.actuals", lambda frame, _s, _k, _p: services.tier_actuals(frame, detail.tiers, profit_params),
                    scheme_id, params_key(params), repr(profit_params))
today, balance = services.plan_vs_today(costs, actuals)
assumed_today = book_memo("s3_4.assumed", lambda frame, _p: assumed_inputs(frame, profit_params), repr(profit_params))
assumed_fields = [key for key, used in (
    ("service_hours_12m", assumed_today.hours in (HOURS_FROM_CONTACTS, HOURS_FROM_TIER)),
    ("gift_cost_12m", assumed_today.gifts),
    ("event_cost_12m", assumed_today.events),
) if used]
if balance.known:
    st.caption(t("s3_4.today_help"))
    if assumed_fields:
        st.caption(t("s3_4.today_assumed", fields=t("common.list_sep").join(field_label(f, language)
                                                                             for f in assumed_fields),
                     page=t("nav.s1_4")))
    first, second, third, fourth = metric_row(4)
    first.metric(t("s3_4.hours_today"), f"{balance.today:,.0f}")
    second.metric(t("s3_4.hours_planned"), f"{balance.planned:,.0f}",
                  delta=t("s3_4.hours_change", hours=f"{balance.change:+,.0f}"), delta_color="off",
                  delta_arrow="off")
    third.metric(t("s3_4.hours_freed"), f"{balance.freed:,.0f}")
    fourth.metric(t("s3_4.hours_needed"), f"{balance.needed:,.0f}")
else:
    missing_today = [f for f in services.ACTUAL_FIELDS if f not in active_book().frame.columns
                     and f not in assumed_fields]
    st.info(t("s3_4.today_unknown", fields=t("common.list_sep").join(field_label(f, language)
                                                                     for f in missing_today)),
            icon=":material/info:")


st.dataframe(
    pd.DataFrame({
        t("tiers.col.tier"): [labels[c] for c in today.index],
        t("tiers.col.customers"): today["customers"].tolist(),
        t("s3_4.col.hours_today"): [_hours(v) for v in today["hours_today"]],
        t("s3_4.col.plan_hours"): [_hours(v) for v in today["plan_hours"]],
        t("s3_4.col.hours_change"): [_hours(v, "+") for v in today["hours_change"]],
        t("s3_4.col.gifts_today"): [wan_cell(v) for v in today["gifts_today"]],
        t("s3_4.col.events_today"): [wan_cell(v) for v in today["events_today"]],
        t("s3_4.col.rebates_today"): [wan_cell(v) for v in today["rebates_today"]],
        t("s3_4.col.benefits_planned"): [wan_cell(v) for v in today["benefits_planned"]],
    }),
    hide_index=True, width="stretch", key="s3_4_today",
)
st.caption(t("s3_4.rebates_note"))

if st.button(t("s3_4.reset"), key="s3_4_reset", icon=":material/restart_alt:"):
    all_overrides = dict(module_values(PAGE, {"overrides": {}})["overrides"])
    all_overrides.pop(scheme_id, None)
    save_values(PAGE, overrides=all_overrides)
    for key in (f"s3_4_matrix_{editor_suffix}", f"s3_4_numbers_{editor_suffix}"):
        st.session_state.pop(key, None)
    st.rerun()

footer(PAGE)
