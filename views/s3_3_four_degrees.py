"""3.3 客户四度: satisfaction, loyalty, stickiness and contribution per tier of a chosen scheme or dimension (by
default the scheme chosen on 3.2, with its parameters): a radar on 0–100 scales and the raw figures beside it, then
the plan — per tier the degree to raise, a target on its key figure and the actions (kept in the workspace)."""

import math
from typing import Any

import pandas as pd
import streamlit as st

from ui import charts, profit_settings
from ui import segment_views as views
from ui.frame import footer, header
from ui.layout import flow_columns
from ui.persona_cards import persona_cards
from ui.state import book_memo, lang, module_values, save_values, t
from ui.tier_views import params_key, plain_markdown
from ui.widgets import multiselect
from workbook import peers
from workbook.degrees import ALL, DEGREES, FIGURE_BY_KEY, FIGURES, degree_plan, four_degrees, plan_choices
from workbook.money import yuan_cell
from workbook.schema import field_label
from workbook.segmentation import CROSS_IDS, INSUFFICIENT, get_scheme

PAGE = "s3_3"
SCHEME_KEY = "s3_3_scheme"
TIERS_KEY = "s3_3_tiers"

header(PAGE)
language = lang()
saved = module_values(PAGE, {"scheme": None, "tiers": {}, "plans": {}})
chosen = views.saved()


def _on_scheme_change() -> None:
    save_values(PAGE, scheme=st.session_state[SCHEME_KEY])


def _format(unit: str, value: float) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if unit == "count":
        return f"{int(value):,}"
    if unit == "score":
        return f"{value:+.0f}"
    if unit == "points":
        return f"{value:.0f}"
    if unit == "years":
        return t("s3_3.fmt.years", value=f"{value:.1f}")
    if unit in ("ratio", "share"):
        return charts.percent(value)
    if unit == "money":  # per customer, in 元 (the row says so)
        return yuan_cell(value)
    return f"{value:,.2f}"


# ---- which segmentation ------------------------------------------------------------------------------------
default = saved["scheme"] or chosen.get("scheme") or "aum"
st.session_state[SCHEME_KEY] = default if default in CROSS_IDS else "aum"
scheme_names = {sid: get_scheme(sid).name(language) for sid in CROSS_IDS}
scheme_id = st.selectbox(t("s3_3.scheme_label"), CROSS_IDS, format_func=scheme_names.__getitem__,
                         key=SCHEME_KEY, on_change=_on_scheme_change)
detail, _params = views.trainee_segmentation(scheme_id)

profit_params, from_s1_4 = profit_settings.profit_params()
result = book_memo(
    "s3_3.degrees", lambda frame, _s, _k, _p: four_degrees(frame, detail.tiers, profit_params=profit_params),
    scheme_id, params_key(dict(detail.params)), repr(profit_params),
)
labels = detail.labels(language) | {ALL: t("s3_3.all_customers")}
sizes = result.figures["customers"]

# ---- what the book cannot show ----------------------------------------------------------------------------
separator = "、" if language == "zh" else ", "
gaps = [
    t("s3_3.missing", degree=t(f"deg.name.{degree}"),
      fields=separator.join(field_label(f, language) for f in result.missing_by_degree[degree]))
    for degree in DEGREES if result.missing_by_degree[degree]
]
if gaps:  # one box, one line per degree: four stacked boxes pushed the radar off the first screen
    st.info(gaps[0] if len(gaps) == 1 else "\n".join(f"- {gap}" for gap in gaps), icon=":material/info:")

# ---- radar and raw figures --------------------------------------------------------------------------------
tier_codes = [c for c in result.figures.index if c != ALL and int(sizes[c]) > 0]
real_tiers = [c for c in tier_codes if c != INSUFFICIENT]
options = [*tier_codes, ALL]
remembered = [c for c in (saved["tiers"] or {}).get(scheme_id, []) if c in options]
st.session_state[TIERS_KEY] = remembered or [*real_tiers, ALL]


def _on_tiers_change() -> None:
    kept = dict(saved["tiers"] or {})
    kept[scheme_id] = list(st.session_state[TIERS_KEY])
    save_values(PAGE, tiers=kept)


picked = multiselect(t("s3_3.tiers_label"), options, key=TIERS_KEY, format_func=lambda c: labels[c],
                        on_change=_on_tiers_change)

scores = result.scores
axes = [d for d in DEGREES if scores.loc[picked, d].notna().any()] if picked else []
drawable = [c for c in picked if axes and scores.loc[c, axes].notna().all()]
# Side by side where the radar keeps its size (English degree names are long); stacked on a projector.
radar_column, score_column = flow_columns(2, min_width=460)
with radar_column:
    st.markdown(f"**{t('s3_3.radar_title')}**")
    if len(axes) >= 3 and drawable:
        def _radar() -> Any:
            figure = charts.radar(
                [t(f"deg.name.{d}") for d in axes],
                [(labels[c], [float(scores.loc[c, d]) for d in axes]) for c in drawable],
                value_range=(0, 100), rotation=90, clockwise=True,  # the first degree on top
            )
            # 0–100 ticks every 25, drawn between two axes so they do not sit on a degree's spoke
            figure.update_polars(radialaxis_dtick=25, radialaxis_angle=45, radialaxis_tickfont_size=11)
            return figure.update_layout(margin={"t": 40})  # the sides and the legend strip come from charts.radar

        # Rebuilt only when the segmentation, the tiers picked or the language change (sample book: once for all).
        figure = book_memo("s3_3.radar", lambda _frame, *_inputs: _radar(), scheme_id,
                           params_key(dict(detail.params)), repr(profit_params), tuple(drawable), tuple(axes),
                           language)
        st.plotly_chart(figure, width="stretch", key="s3_3_radar")
    else:
        st.info(t("s3_3.radar_unavailable"), icon=":material/radar:")
    skipped = [labels[c] for c in picked if c not in drawable]
    if skipped and axes:
        st.caption(t("s3_3.radar_skipped", tiers="、".join(skipped) if language == "zh" else ", ".join(skipped)))
columns = [c for c in options if c in picked] or options
with score_column:
    st.markdown(f"**{t('s3_3.scores_title')}**")
    score_rows = [
        {t("s3_3.tier_column"): labels[c], t("s3_3.customers_row"): f"{int(sizes[c]):,}",
         **{t(f"deg.name.{d}"): _format("points", scores.loc[c, d]) for d in DEGREES}}
        for c in columns
    ]
    st.dataframe(score_rows, hide_index=True, width="stretch", key="s3_3_scores")
    st.caption(t("s3_3.scores_help"))

st.markdown(f"**{t('s3_3.table_title')}**")
rows = [{"": t("s3_3.customers_row"), **{labels[c]: f"{int(sizes[c]):,}" for c in columns}}]
for degree in DEGREES:
    for figure_def in FIGURES:
        if figure_def.degree == degree:
            rows.append({"": f"{t(f'deg.name.{degree}')} · {t(f'deg.figure.{figure_def.key}')}",
                         **{labels[c]: _format(figure_def.unit, result.figures.loc[c, figure_def.key])
                            for c in columns}})
st.dataframe(rows, hide_index=True, width="stretch", height=35 * (len(rows) + 1) + 3, key="s3_3_table",
             column_config={"": st.column_config.TextColumn(t("s3_3.figure_column"), pinned=True,
                                                            width="large")})
st.caption(t("s3_3.revenue_source" if not from_s1_4 else "s3_3.revenue_from_s1_4"))
churn = peers.PRODUCT_CHURN
st.caption(t("s3_3.churn", figure=churn.text(language), source=churn.provenance.source(language),
             year=churn.provenance.year(language),
             confidence=peers.confidence_phrase(churn.provenance.confidence, language)))

with st.expander(t("s3_3.scales_title"), icon=":material/straighten:"):
    st.markdown("\n".join(f"- {t(f'deg.scale.{f.key}')}" for f in FIGURES if f.scale is not None))
    st.markdown(t("s3_3.scales_note"))

# ---- 提高四度: per tier the degree to raise, a target and the actions ----------------------------------------------
st.subheader(t("s3_3.plan_title"))
st.caption(t("s3_3.plan_help"))
PLAN_REVISION = "s3_3_plan_revision"  # the editor starts afresh from the workspace after every saved change
PLAN_ROW_HEIGHT = {"zh": 90, "en": 110}  # three lines of Chinese, four of English
all_plans = dict(saved.get("plans") or {})
scheme_plan = dict(all_plans.get(scheme_id) or {})
plan = degree_plan(result, real_tiers, scheme_plan, language)
degree_names = {d: t(f"deg.name.{d}") for d in DEGREES}
names_to_degree = {name: d for d, name in degree_names.items()}
# Targets are typed in the figure's own unit: NPS points, % for retention and shares, 元 for revenue.
PERCENT_UNITS = ("ratio", "share")


def _shown(figure: str | None, value: float) -> float | None:
    if figure is None or math.isnan(value):
        return None
    return round(value * 100 if FIGURE_BY_KEY[figure].unit in PERCENT_UNITS else value)


def _stored(figure: str | None, value: object) -> object:
    if figure is None or value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value) / 100 if FIGURE_BY_KEY[figure].unit in PERCENT_UNITS else value  # type: ignore[arg-type]


def _today(row) -> str:
    """The key figure and its value today in one cell ("NPS +25", "留存率 86.3%"): the table stays narrow."""
    if row.figure is None:
        return "—"
    return t("s3_3.plan_today", figure=t(f"s3_3.plan_short.{row.figure}"),
             value=_format(FIGURE_BY_KEY[row.figure].unit, row.current))


plan_frame = pd.DataFrame(
    {
        "tier": [labels[r.tier] for r in plan],
        "degree": [degree_names.get(r.degree or "", "") for r in plan],
        "current": [_today(r) for r in plan],
        "target": [_shown(r.figure, r.target) for r in plan],
        "actions": [r.actions for r in plan],
    },
    index=pd.Index([r.tier for r in plan], name="code"),
)
revision = int(st.session_state.get(PLAN_REVISION, 0))
row_height = PLAN_ROW_HEIGHT[language]
edited_plan = st.data_editor(
    plan_frame,
    hide_index=True,
    width="stretch",
    height=36 + row_height * len(plan) + 3,  # every tier visible, no inner scrolling
    num_rows="fixed",
    disabled=["tier", "current"],
    key=f"s3_3_plan_{scheme_id}_{language}_{revision}",
    row_height=row_height,  # tall enough for the actions to wrap
    column_config={
        "tier": st.column_config.TextColumn(t("s3_3.tier_column"), pinned=True, width=90),
        "degree": st.column_config.SelectboxColumn(t("s3_3.plan_degree"), options=list(degree_names.values()),
                                                   required=True, width=100),
        "current": st.column_config.TextColumn(t("s3_3.plan_current"), width=130),
        "target": st.column_config.NumberColumn(t("s3_3.plan_target"), format="localized", width=70),
        "actions": st.column_config.TextColumn(t("s3_3.plan_actions"), width="large"),
    },
)
with st.expander(t("s3_3.plan_full"), icon=":material/article:"):
    # the editor cuts long actions at narrow widths; this wraps them, readable on a projector
    st.table(pd.DataFrame({
        t("s3_3.tier_column"): plan_frame["tier"], t("s3_3.plan_degree"): plan_frame["degree"],
        t("s3_3.plan_current"): plan_frame["current"],
        t("s3_3.plan_target"): ["—" if v is None or pd.isna(v) else f"{v:,.0f}" for v in plan_frame["target"]],
        t("s3_3.plan_actions"): [plain_markdown(str(a)) for a in plan_frame["actions"]],
    }), hide_index=True, border="horizontal")
new_plan: dict[str, dict] = {}
for row in plan:
    degree = names_to_degree.get(str(edited_plan.at[row.tier, "degree"]), row.degree)
    typed = edited_plan.at[row.tier, "target"]
    # an untouched target is the shown (rounded) default: keep the exact one, so nothing is stored for it
    target = row.target if typed == plan_frame.at[row.tier, "target"] else _stored(row.figure, typed)
    kept = plan_choices(row, degree, target, edited_plan.at[row.tier, "actions"], language)
    if kept:
        new_plan[row.tier] = kept
# tiers of this scheme not shown now (no customers in this book) keep what was planned for them
new_plan.update({code: value for code, value in scheme_plan.items() if code not in real_tiers})
if new_plan != scheme_plan:
    all_plans[scheme_id] = new_plan
    save_values(PAGE, plans=all_plans)
    st.session_state[PLAN_REVISION] = revision + 1
    st.rerun()
suggested = [f"{labels[r.tier]}：{degree_names[r.suggested]}" if language == "zh"
             else f"{labels[r.tier]}: {degree_names[r.suggested]}" for r in plan if r.suggested]
if suggested:
    st.caption(t("s3_3.plan_suggested", tiers=t("common.list_sep").join(suggested)))

st.info(t("s3_3.lesson"), icon=":material/lightbulb:")
persona_cards(PAGE, profit_params)

footer(PAGE)
