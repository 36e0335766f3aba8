"""3.2 多维分层工作台: choose one of the seven schemes, tune its parameters (widgets generated from the scheme's
data), see tier counts and AUM shares, the masked customers of a tier, a cross-tab of any two schemes and the
AUM migration of the last year. The choices are kept in the workspace for 3.3–3.5 (see ui/segment_views.py)."""

import pandas as pd
import streamlit as st

from ui import charts, profit_settings, values
from ui import segment_views as views
from ui.frame import footer, header
from ui.layout import flow_columns, metric_row
from ui.persona_cards import persona_cards
from ui.state import active_book, book_memo, lang, save_values, t
from ui.tier_views import params_key, tier_share_chart, tier_table
from workbook import privacy, profiles, services
from workbook.money import money_text, wan_cell, yuan_cell
from workbook.profit import profitability
from workbook.schema import FIELD_BY_KEY, Kind, field_label
from workbook.segmentation import (
    CROSS_IDS,
    INSUFFICIENT,
    NEW_SOURCE,
    SCHEME_IDS,
    SCHEMES,
    SchemeParamError,
    crosstab,
    get_scheme,
    migration_detail,
    scheme_fields_text,
    tier_members,
    tier_summary,
    warning_text,
)

PAGE = views.MODULE
SCHEME_KEY = "s3_2_scheme"
MEMBERS_LIMIT = 500
# How each computed detail of a rule is shown (presentation only).
DETAIL_FORMAT = {"value_cut": "money", "urgency_cut": "number", "as_of": "text", "total_revenue": "money"}
MONEY_SCORES = ("score_value", "score_revenue")

header(PAGE)
language = lang()
book = active_book()
saved = views.saved()


def _column_label(column: str) -> str:
    if column.startswith("score_"):
        return t(f"s3_2.score.{column[6:]}")
    if column in FIELD_BY_KEY and FIELD_BY_KEY[column].kind == Kind.MONEY:
        return t("s3_2.money_column", label=field_label(column, language))
    return field_label(column, language)


def _on_scheme_change() -> None:
    save_values(PAGE, scheme=st.session_state[SCHEME_KEY])


# ---- the scheme and its parameters -------------------------------------------------------------------------
st.session_state[SCHEME_KEY] = saved["scheme"] if saved["scheme"] in SCHEME_IDS else "aum"
scheme_id = st.selectbox(t("s3_2.scheme_label"), SCHEME_IDS, format_func=lambda s: SCHEMES[s].name(language),
                         key=SCHEME_KEY, on_change=_on_scheme_change)
scheme = SCHEMES[scheme_id]

why, how = flow_columns(2, min_width=320)
with why:
    st.markdown(f"**{t('s3_2.why_title')}**")
    st.markdown(scheme.why(language))
with how:
    st.markdown(f"**{t('s3_2.how_title')}**")
    st.markdown(scheme.how(language))
fields = scheme_fields_text(scheme, language)
st.caption(" · ".join(
    t(f"s3_2.fields_{kind}", fields=fields[kind]) for kind in ("required", "any", "optional") if fields[kind]
))

st.subheader(t("s3_2.params_title"))
views.param_widgets(scheme, language)
overrides = views.overrides_for(scheme_id)
if overrides:
    st.button(t("s3_2.reset"), key="s3_2_reset", icon=":material/restart_alt:", on_click=views.reset_params,
              args=(scheme_id,))
detail, error = views.segmentation_or_error(scheme_id, overrides)
if error is not None:
    st.error(t("s3_2.params_error", error=error.text(language)), icon=":material/error:")

# ---- tiers ------------------------------------------------------------------------------------------------
st.subheader(t("s3_2.tiers_title", scheme=scheme.name(language)))
for warning in detail.warnings:
    st.warning(warning_text(warning, language), icon=":material/warning:")
shown_details = [
    t(f"s3_2.detail.{key}", value=money_text(value, language) if DETAIL_FORMAT.get(key) == "money"
      else (f"{value:,.1f}" if DETAIL_FORMAT.get(key) == "number" else str(value)))
    for key, value in detail.details.items() if key in DETAIL_FORMAT and value is not None
]
if shown_details:
    st.caption(" · ".join(shown_details))

summary = book_memo("s3_2.summary", lambda frame, s, _k: tier_summary(frame, detail), scheme_id,
                    params_key(dict(detail.params)))
labels = detail.labels(language)
# Side by side where both fit; on a projector the table takes the whole width (every column, AUM share included)
# and the chart goes under it.
table_column, chart_column = flow_columns(2, min_width=470)  # the English table needs 466 px
with table_column:
    st.dataframe(tier_table(summary, labels, language, hide_empty=(INSUFFICIENT,)), hide_index=True, width="stretch",
                 key="s3_2_tier_table")
with chart_column:
    codes = [c for c in summary.index if c != INSUFFICIENT or int(summary.loc[c, "customers"])]
    tier_share_chart(summary, codes, labels, t("s3_2.share_axis"), key="s3_2_tier_chart")

# ---- the customers of one tier ----------------------------------------------------------------------------
st.subheader(t("s3_2.members_title"))
non_empty = [c for c in summary.index if int(summary.loc[c, "customers"])]
if non_empty:
    member_key = f"s3_2_members_{scheme_id}"
    if st.session_state.get(member_key) not in non_empty:
        st.session_state[member_key] = non_empty[-1] if non_empty[-1] != INSUFFICIENT or len(non_empty) == 1 \
            else non_empty[-2]
    # Labels computed now, so the options do not depend on session state when formatted later.
    option_labels = {c: t("s3_2.members_option", tier=labels[c], n=int(summary.loc[c, "customers"])) for c in non_empty}
    tier_code = st.selectbox(t("s3_2.members_tier"), non_empty, key=member_key, format_func=option_labels.__getitem__)
    members = book_memo(
        "s3_2.members",
        lambda frame, s, _k, c, lang: values.translate_frame(privacy.mask_frame(
            tier_members(frame, detail, c, columns=("aum_12m_ago",), limit=MEMBERS_LIMIT)), lang),
        scheme_id, params_key(dict(detail.params)), tier_code, language,
    )
    total = int(summary.loc[tier_code, "customers"])
    if total > len(members):
        st.caption(t("s3_2.members_limited", shown=len(members), total=total))
    date_columns = [c for c in members.columns if c in FIELD_BY_KEY and FIELD_BY_KEY[c].kind == Kind.DATE]
    money_columns = [c for c in members.columns
                     if (c in FIELD_BY_KEY and FIELD_BY_KEY[c].kind == Kind.MONEY) or c in MONEY_SCORES]
    # money in 万元 (the unit in the header), one decimal at most: 12.3 for 123,456 元
    shown_members = members.assign(**{c: (pd.to_numeric(members[c], errors="coerce") / 1e4).round(1)
                                      for c in money_columns})
    st.dataframe(
        shown_members,
        hide_index=True, width="stretch", key="s3_2_members_table",
        column_config={
            c: (st.column_config.NumberColumn(_column_label(c), format="localized") if c in money_columns
                else st.column_config.DateColumn(_column_label(c), format="YYYY-MM-DD") if c in date_columns
                # scores to one decimal (51.4, 45.0), not the float's full tail (51.3663)
                else st.column_config.NumberColumn(_column_label(c), format="%.1f") if c.startswith("score_")
                else _column_label(c))
            for c in members.columns
        },
    )

# ---- cross-tab of two schemes -----------------------------------------------------------------------------
st.subheader(t("s3_2.crosstab_title"))
st.caption(t("s3_2.crosstab_help"))
cross = dict(views.DEFAULTS["crosstab"]) | dict(saved.get("crosstab") or {})
cross = {part: cross[part] if part == "value" or cross[part] in CROSS_IDS else views.DEFAULTS["crosstab"][part]
         for part in ("a", "b", "value")}
for part in ("a", "b", "value"):
    st.session_state[f"s3_2_cross_{part}"] = cross[part]


def _on_cross_change() -> None:
    save_values(PAGE, crosstab={part: st.session_state[f"s3_2_cross_{part}"] for part in ("a", "b", "value")})


cross_names = {sid: get_scheme(sid).name(language) for sid in CROSS_IDS}
left, right, kind = st.columns([2, 2, 1])
with left:
    scheme_a = st.selectbox(t("s3_2.crosstab_rows"), CROSS_IDS, format_func=cross_names.__getitem__,
                            key="s3_2_cross_a", on_change=_on_cross_change)
with right:
    scheme_b = st.selectbox(t("s3_2.crosstab_columns"), CROSS_IDS, format_func=cross_names.__getitem__,
                            key="s3_2_cross_b", on_change=_on_cross_change)
with kind:
    value_labels = {v: t(f"s3_2.crosstab_{v}") for v in ("count", "aum")}
    value_kind = st.radio(t("s3_2.crosstab_value"), list(value_labels), key="s3_2_cross_value",
                          format_func=value_labels.__getitem__, on_change=_on_cross_change)
seg_a, _ = views.segmentation_or_error(scheme_a, views.overrides_for(scheme_a))
seg_b, _ = views.segmentation_or_error(scheme_b, views.overrides_for(scheme_b))
table = book_memo("s3_2.crosstab", lambda frame, a, b, v, _ka, _kb: crosstab(frame, seg_a, seg_b, v),
                  scheme_a, scheme_b, value_kind, params_key(dict(seg_a.params)), params_key(dict(seg_b.params)))
rows = [c for c in table.index if c != INSUFFICIENT or table.loc[c].sum() > 0]
columns = [c for c in table.columns if c != INSUFFICIENT or table[c].sum() > 0]
if value_kind == "aum":
    texts = [[wan_cell(float(table.loc[r, c])) for c in columns] for r in rows]
else:
    texts = [[f"{int(table.loc[r, c]):,}" for c in columns] for r in rows]
labels_a, labels_b = seg_a.labels(language), seg_b.labels(language)
# Rebuilt only when the cross-tab or the language changes (for the sample book, once for every session).
heatmap = book_memo(
    "s3_2.heatmap",
    lambda _frame, *_inputs: views.heatmap(
        table.loc[rows, columns], [labels_a[r] for r in rows], [labels_b[c] for c in columns], texts,
        x_title=cross_names[scheme_b], y_title=cross_names[scheme_a]),
    scheme_a, scheme_b, value_kind, params_key(dict(seg_a.params)), params_key(dict(seg_b.params)), language,
)
st.plotly_chart(heatmap, width="stretch", key="s3_2_heatmap")

# ---- the profile of each tier: which customers are your assets ---------------------------------------------
st.subheader(t("s3_2.profile_title"))
st.caption(t("s3_2.profile_help"))
PROFILE_KEY = "s3_2_profile"
profile_by = (saved.get("profile") or "kind")
st.session_state[PROFILE_KEY] = profile_by if profile_by in CROSS_IDS else "kind"
profile_id = st.selectbox(t("s3_2.profile_by"), CROSS_IDS, format_func=cross_names.__getitem__, key=PROFILE_KEY,
                          on_change=lambda: save_values(PAGE, profile=st.session_state[PROFILE_KEY]))
grouping, _ = views.segmentation_or_error(profile_id, views.overrides_for(profile_id))
profit_params, _ = profit_settings.profit_params()  # 1.4's, as the asset/liability dimension uses them
revenue_known = book_memo("s3_2.revenue_known", services.revenue_known)
profile = book_memo(
    "s3_2.profile",
    lambda frame, _g, _k, _p, known: profiles.profile_table(
        frame, grouping.tiers, profitability(frame, profit_params)
        if known else None),
    profile_id, params_key(dict(grouping.params)), repr(profit_params), revenue_known,
)
profile_codes = [c for c in profile.columns if c != profiles.ALL and profile.loc["customers", c] > 0]
profile_labels = grouping.labels(language) | {profiles.ALL: t("s3_2.profile_all")}


def _profile_cell(unit: str, value: float) -> str:
    if pd.isna(value):
        return "—"
    if unit == "count":
        return f"{int(value):,}"
    if unit in ("share", "ratio"):
        return charts.percent(float(value), 0)
    if unit == "money":
        return wan_cell(float(value))
    if unit == "money_small":
        return yuan_cell(float(value))
    if unit == "score":
        return f"{value:+.0f}"
    if unit == "rate":  # rare events per customer: 0.07, not 0.1
        return f"{value:,.2f}"
    return f"{value:,.1f}"


profile_rows = [
    {"": t(f"s3_2.profile.{figure.key}"),
     **{profile_labels[c]: _profile_cell(figure.unit, profile.loc[figure.key, c]) for c in [*profile_codes,
                                                                                              profiles.ALL]}}
    for figure in profiles.PROFILE_FIGURES
]
st.dataframe(pd.DataFrame(profile_rows), hide_index=True, width="stretch", height=35 * (len(profile_rows) + 1) + 3,
             key="s3_2_profile_table",
             column_config={"": st.column_config.TextColumn(t("s3_2.profile_figure"), pinned=True, width=260)})
profile_gaps = book_memo("s3_2.profile_missing", profiles.profile_missing)
if profile_gaps or not revenue_known:
    st.caption(t("s3_2.profile_missing", fields=t("common.list_sep").join(field_label(f, language)
                                                                          for f in profile_gaps) or "—"))
if profile_id == "kind":
    st.caption(t("s3_2.profile_kind_source", page=t("nav.s1_4")))

# ---- migration a year ago → now ---------------------------------------------------------------------------
st.subheader(t("s3_2.migration_title"))
aum_overrides = views.overrides_for("aum")
migration_key = params_key(aum_overrides)
try:
    moved = book_memo("s3_2.migration", lambda frame, _k: migration_detail(frame, aum_overrides), migration_key)
except SchemeParamError:
    migration_key = "{}"
    moved = book_memo("s3_2.migration", lambda frame, _k: migration_detail(frame, None), migration_key)
for warning in moved.warnings:
    st.warning(warning_text(warning, language), icon=":material/warning:")
shown_moves = [m for m in ("up", "same", "down", "new", "unknown") if m != "unknown" or moved.moves[m]]
metrics = metric_row(len(shown_moves), min_width=140)
for column, move in zip(metrics, shown_moves, strict=True):
    column.metric(t(f"s3_2.moves.{move}"), f"{moved.moves[move]:,}")
aum_labels = {tier.code: tier.label(language) for tier in moved.sources}
aum_labels[NEW_SOURCE] = t("s3_2.migration_new_source")
if int(moved.flows["customers"].sum()):
    sankey = book_memo(
        "s3_2.sankey",
        lambda _frame, *_inputs: views.sankey(
            moved.flows, [tier.code for tier in moved.sources], [tier.code for tier in moved.tier_list], aum_labels,
            left_title=t("s3_2.migration_before"), right_title=t("s3_2.migration_now"),
            count_unit=t("unit.customers")),
        migration_key, language,
    )
    st.plotly_chart(sankey, width="stretch", key="s3_2_sankey")
st.caption(t("s3_2.migration_help"))

# ---- the lesson -------------------------------------------------------------------------------------------
st.info(t("s3_2.lesson"), icon=":material/set_meal:")
persona_cards(PAGE, profit_params)

footer(PAGE)
