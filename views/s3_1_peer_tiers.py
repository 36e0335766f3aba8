"""3.1 梯度等级与同业分层: the ten banks' published tiers, each as a preset for the aum scheme applied to the
trainee's book, the up/down-grade hysteresis simulator and 工商银行's star-points calculator."""

from typing import Any

import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots

from ui import charts, saving
from ui.frame import footer, header
from ui.state import active_book, book_memo, lang, memo, module_values, save_values, t
from ui.tier_views import axis_label, params_key, text_table, tier_share_chart, tier_table
from workbook import gradient, peers
from workbook.segmentation import INSUFFICIENT, SCHEMES, get_scheme, segment_detail, tier_summary, warning_text

PAGE = "s3_1"
COURSE = "course"  # the course's default ladder, offered beside the bank presets
PRESET_KEY = "s3_1_preset"
DEFAULTS = {
    "preset": "cmb",
    "blend": False,
    "monthly_aum_wan": list(gradient.DEFAULT_MONTHLY_AUM_WAN),
    "stars": {a.code: 0.0 for a in gradient.STAR_ASSETS} | {"short_term": 50.0},
}


def _hysteresis_figure(values: list[float], params: dict[str, Any], result: Any, tier_names: list[str]) -> Any:
    month_axis = [t("s3_1.month_tick", month=m) for m in range(1, gradient.MONTHS + 1)]
    figure = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.45, 0.55], vertical_spacing=0.08)
    figure.add_trace(
        # a see-through fill (not trace opacity, which would fade the labels too) and dark labels for a projector
        go.Bar(x=month_axis, y=values, name=t("s3_1.series_aum"), marker_color="rgba(95, 107, 122, 0.42)",
               text=[f"{v:g}" for v in values], textposition="outside", cliponaxis=False,
               textfont={"size": 15, "color": "#1F2A36"}),
        row=1, col=1,
    )
    for bound, label in zip(gradient.to_wan(params["thresholds"]), params["labels"][1:], strict=True):
        if bound <= max([*values, 0.0]) * 1.5:  # a far-off line would squash the bars: show the nearby ones
            # the tier's name right of the plot, beside its line, where no bar can be under it
            figure.add_hline(y=bound, line_dash="dot", line_width=2, line_color=charts.HIGHLIGHT, row=1, col=1,
                             annotation_text=axis_label(label[language], 16), annotation_position="right",
                             annotation_font={"size": 14, "color": "#8A5A00"})
    figure.add_trace(
        go.Scatter(x=month_axis, y=list(result.qualifies), name=t("s3_1.series_qualifies"), mode="markers",
                   marker={"size": 12, "symbol": "circle-open", "color": charts.PALETTE[5]}),
        row=2, col=1,
    )
    figure.add_trace(
        go.Scatter(x=month_axis, y=list(result.without_buffer), name=t("s3_1.series_without"), mode="lines+markers",
                   line={"shape": "hv", "width": 3, "dash": "dash", "color": charts.PALETTE[0]}),
        row=2, col=1,
    )
    figure.add_trace(
        go.Scatter(x=month_axis, y=list(result.with_buffer), name=t("s3_1.series_with"), mode="lines+markers",
                   line={"shape": "hv", "width": 4, "color": charts.PALETTE[1]}),
        row=2, col=1,
    )
    charts.style(figure, height=580)
    figure.update_layout(legend={"orientation": "h", "yanchor": "top", "y": -0.08, "x": 0}, plot_bgcolor="white",
                         margin={"l": 10, "r": 10, "t": 30, "b": 10})
    figure.update_xaxes(gridcolor=charts.GRID)
    figure.update_yaxes(title=t("s3_1.axis_aum"), rangemode="tozero", gridcolor=charts.GRID, row=1, col=1)
    # Tier names on the right, under the threshold names of the upper plot: the left margin keeps only numbers.
    figure.update_yaxes(side="right", tickvals=list(range(len(tier_names))),
                        ticktext=[axis_label(n, 16) for n in tier_names], gridcolor=charts.GRID, automargin=True,
                        tickfont={"size": 15, "color": "#1F2A36"},
                        range=[-0.4, len(tier_names) - 0.6], row=2, col=1)
    return figure


@saving.fragment  # st.fragment that also saves after its own reruns
def _hysteresis_simulator(params: dict[str, Any]) -> None:
    """The twelve months' AUM and the grade they earn with and without the buffer: typing a month reruns only
    this part of the page."""
    # read again here: when only this fragment reruns, the page's ``saved`` is from its last full run
    months = list(module_values(PAGE, DEFAULTS)["monthly_aum_wan"])[: gradient.MONTHS]
    months += [0.0] * (gradient.MONTHS - len(months))
    grid = st.columns(6)
    values: list[float] = []
    for index in range(gradient.MONTHS):
        widget = f"s3_1_month_{index}"
        if widget not in st.session_state:
            st.session_state[widget] = float(months[index])
        with grid[index % 6]:
            values.append(st.number_input(t("s3_1.month_label", month=index + 1), min_value=0.0, step=5.0,
                                          format="%.1f", key=widget))
    if values != [float(v) for v in months]:
        save_values(PAGE, monthly_aum_wan=values)

    result = gradient.simulate_hysteresis(gradient.from_wan(values), params["thresholds"], rule=rule)
    tier_names = [label[language] for label in params["labels"]]
    left, right = st.columns(2)
    left.metric(t("s3_1.changes_without"), result.changes_without_buffer)
    right.metric(t("s3_1.changes_with"), result.changes_with_buffer)
    if result.changes_without_buffer == 0:
        st.caption(t("s3_1.hysteresis_flat", bounds=peers.thresholds_text(params, language)))

    figure = memo("s3_1.hysteresis_chart", (tuple(values), params_key(params), language),
                  lambda: _hysteresis_figure(values, params, result, tier_names))
    st.plotly_chart(figure, width="stretch", key="s3_1_hysteresis_chart")
    with st.expander(t("s3_1.hysteresis_table"), icon=":material/table:"):
        st.dataframe(
            result.frame(tier_names).assign(aum=values),
            hide_index=True,
            width="stretch",
            column_config={
                "month": t("s3_1.col.month"),
                "aum": st.column_config.NumberColumn(t("s3_1.axis_aum"), format="%.1f"),
                "qualifies": t("s3_1.series_qualifies"),
                "without_buffer": t("s3_1.series_without"),
                "with_buffer": t("s3_1.series_with"),
                "months_below": t("s3_1.col.months_below"),
            },
        )


@saving.fragment  # st.fragment that also saves after its own reruns
def _star_calculator() -> None:
    """Points and level for the amounts typed: a change reruns only this part of the page."""
    saved_stars = module_values(PAGE, DEFAULTS)["stars"]
    inputs, outcome = st.columns([3, 2], gap="large")
    amounts: dict[str, float] = {}
    with inputs:
        for asset in gradient.STAR_ASSETS:
            widget = f"s3_1_star_{asset.code}"
            if widget not in st.session_state:
                st.session_state[widget] = float(saved_stars.get(asset.code, 0.0))
            amounts[asset.code] = st.number_input(
                t("s3_1.star_input", asset=asset.label(language), points=f"{asset.points_per_wan:g}"),
                min_value=0.0, step=10.0, format="%.1f", key=widget,
            )
    if amounts != {k: float(v) for k, v in saved_stars.items() if k in amounts}:
        save_values(PAGE, stars=amounts)
    star = gradient.star_result(amounts)
    with outcome:
        st.metric(t("s3_1.star_points"), f"{star.points:,.0f}")
        st.metric(t("s3_1.star_level"), star.level.label(language))
        if star.next_level is not None:
            st.caption(
                t("s3_1.star_next", level=star.next_level.label(language), points=f"{star.points_to_next:,.0f}",
                  wan=f"{star.wan_to_next('short_term'):,.1f}")
            )
        else:
            st.caption(t("s3_1.star_top"))
        st.dataframe(
            [
                {t("s3_1.col.level"): lv.label(language), t("s3_1.col.min_points"): f"≥ {lv.min_points:,.0f}"}
                for lv in gradient.STAR_LEVELS
            ],
            hide_index=True,
            width="stretch",
        )


header(PAGE)
language = lang()
book = active_book()
saved = module_values(PAGE, DEFAULTS)

# The trainee's own ladder and result first (doing before reading), then the ten banks behind the presets.
# ---- a bank's ladder on my book -----------------------------------------------------------------------------
st.subheader(t("s3_1.preset_title"))
options = [*peers.PRESET_BANKS, COURSE]
if st.session_state.get(PRESET_KEY) not in options:
    st.session_state[PRESET_KEY] = saved["preset"] if saved["preset"] in options else options[0]


# Labels resolved now (a format function may be called outside the script run, where the language is unknown).
preset_labels = {o: t("s3_1.course_ladder") if o == COURSE else peers.BANK_BY_ID[o].name(language) for o in options}
_preset_label = preset_labels.__getitem__
# Each option says how much of its ladder the bank publishes and how much this workbook fills in.
option_labels = {
    o: preset_labels[o] if o == COURSE
    else t("s3_1.preset_option", name=preset_labels[o], summary=peers.preset_summary(o, language))
    for o in options
}
choice = st.selectbox(t("s3_1.preset_label"), options, format_func=option_labels.__getitem__, key=PRESET_KEY)
if choice != saved["preset"]:
    save_values(PAGE, preset=choice)
blend = False
if choice in peers.PRIVATE_ONLY_BANKS:
    # A two-tier ladder (below private banking · private banking) says little about one manager's book: offer the
    # course's lower tiers below the bank's private-banking line.
    BLEND_KEY = "s3_1_blend"
    st.session_state[BLEND_KEY] = bool(saved.get("blend"))
    blend = st.checkbox(t("s3_1.blend", name=preset_labels[choice]), key=BLEND_KEY,
                        on_change=lambda: save_values(PAGE, blend=bool(st.session_state["s3_1_blend"])))
if choice == COURSE:
    params = SCHEMES["aum"].default_params()
else:
    params = peers.course_blend(choice).params() if blend else peers.aum_preset(choice)
ladder = peers.ladder_text(params, language)
st.markdown(t("s3_1.ladder", ladder=ladder))
if choice != COURSE:
    st.caption(t("s3_1.preset_caveat", caveat=peers.caveat(language)))
# Where the ladder comes from, folded: what the bank publishes and what the preset fills in, tier by tier.
with st.expander(t("s3_1.origin_title"), icon=":material/fact_check:"):
    st.markdown(t("s3_1.preset_intro", two_tier=peers.names_text(peers.PRIVATE_ONLY_BANKS, language)))
    if choice != COURSE:
        st.caption(peers.BANK_BY_ID[choice].note(language))
        origin_columns = ["tier", "range", "origin", "provenance"]
        text_table(
            peers.preset_table(choice, language, blend=blend),
            {c: t("tiers.col.tier") if c == "tier" else t(f"peers.col.{c}") for c in origin_columns},
            nowrap=("range",),
            min_widths={"origin": "16em"},
        )

key = params_key(params)
detail = book_memo("s3_1.segment", lambda frame, _k: segment_detail(frame, "aum", params), key)
summary = book_memo("s3_1.summary", lambda frame, _k: tier_summary(frame, detail), key)
labels = detail.labels(language)
# Table above a full-width chart: side by side, half a column squeezed the money and the tier names.
st.table(tier_table(summary, labels, language, hide_empty=(INSUFFICIENT,)), hide_index=True, border="horizontal")
for warning in detail.warnings:
    st.caption(warning_text(warning, language))
shown = [c for c in summary.index if not (c == INSUFFICIENT and summary.loc[c, "customers"] == 0)]
tier_share_chart(summary, shown, labels, t("s3_1.share_axis"), key="s3_1_tier_chart")

applied = module_values("s3_2", {"params": {}}).get("params", {}).get("aum")
if st.button(t("s3_1.apply"), key="s3_1_apply", type="primary", icon=":material/done_all:"):
    s3_2 = module_values("s3_2", {"params": {}})
    all_params = dict(s3_2.get("params") or {})
    all_params["aum"] = params
    save_values("s3_2", params=all_params)
    save_values(PAGE, applied=choice)
    applied = params
applied_name = t("s3_1.blend_name", name=_preset_label(choice)) if blend else _preset_label(choice)
if applied == params:
    st.success(t("s3_1.applied", name=applied_name), icon=":material/check_circle:")
else:
    st.caption(t("s3_1.apply_help"))

# ---- the ten banks -----------------------------------------------------------------------------------------
st.subheader(t("s3_1.peers_title"))
st.warning(peers.caveat(language), icon=":material/info:")
anchor = peers.ANCHOR
st.info(
    t("s3_1.anchor", text=anchor.text(language), detail=anchor.detail(language),
      source=anchor.provenance.source(language), year=anchor.provenance.year(language),
      confidence=peers.confidence_phrase(anchor.provenance.confidence, language)),
    icon=":material/gavel:",
)
overview = peers.overview_table(language)
# A static table: ten rows whose long cells wrap instead of scrolling sideways, one tier per line. Short cells
# (bank, year, grade) stay on one line in Chinese; English names are long, so there they get a minimum width.
# (How much of each bank's preset is published shows in the ladder picker below.)
shown_columns = ["bank", "tiers", "private_banking", "source", "year", "confidence"]
widths = {"tiers": "19em", "private_banking": "6em", "source": "6em"}
if language == "en":
    widths |= {"tiers": "21em", "bank": "7em", "year": "4.5em", "confidence": "6.5em"}
text_table(
    overview,
    {c: t(f"peers.col.{c}") for c in shown_columns},
    nowrap=() if language == "en" else ("bank", "year", "confidence"),
    min_widths=widths,
    line_breaks=("tiers",),
)
st.caption(t("s3_1.confidence_legend"))
bands = peers.MARKET_BANDS_PROVENANCE
st.caption(
    t("s3_1.market_bands", source=bands.source(language), year=bands.year(language),
      confidence=peers.confidence_phrase(bands.confidence, language),
      bands=peers.market_bands_text(language))
)
with st.expander(t("s3_1.figures_title"), icon=":material/fact_check:"):
    st.markdown("\n".join(f"- **{row.bank}** — {row.note}" for row in overview.itertuples()))
    figures = peers.figures_table(language)
    st.dataframe(
        figures,
        hide_index=True,
        width="stretch",
        column_config={
            "bank": t("peers.col.bank"),
            "item": t("peers.col.item"),
            "value": t("peers.col.value"),
            "source": t("peers.col.source"),
            "year": t("peers.col.year"),
            "confidence": t("peers.col.confidence"),
            "flagged": st.column_config.CheckboxColumn(t("peers.col.flagged")),
        },
    )

with st.expander(t("s3_1.reach_title"), icon=":material/diamond:"):
    reach = book_memo("s3_1.reach", lambda frame, lang_: peers.private_banking_reach(frame, lang_), language)
    st.dataframe(
        reach.assign(
            threshold=[peers.amount_text(v, language) for v in reach["threshold"]],
            customer_share=[charts.percent(v) for v in reach["customer_share"]],
            aum_share=[charts.percent(v) for v in reach["aum_share"]],
        ),
        hide_index=True,
        width="stretch",
        column_config={
            "threshold": t("peers.col.private_banking"),
            "banks": t("peers.col.bank"),
            "customers": t("tiers.col.customers"),
            "customer_share": t("tiers.col.customer_share"),
            "aum_share": t("tiers.col.aum_share"),
        },
    )

# ---- hysteresis ---------------------------------------------------------------------------------------------
st.subheader(t("s3_1.hysteresis_title"))
rule = gradient.BOHAI_RULE
st.markdown(
    t("s3_1.hysteresis_intro", up=rule.upgrade_after_months, down=rule.downgrade_after_months,
      private=rule.private_downgrade_after_months, source=gradient.HYSTERESIS_PROVENANCE.source(language),
      confidence=peers.confidence_phrase(gradient.HYSTERESIS_PROVENANCE.confidence, language),
      anchor=peers.amount_text(peers.PRIVATE_BANKING_ANCHOR, language), ladder=_preset_label(choice))
)
_hysteresis_simulator(params)

# ---- 工商银行 star points -----------------------------------------------------------------------------------------
st.subheader(t("s3_1.stars_title"))
stars = gradient.STAR_PROVENANCE
st.markdown(
    t("s3_1.stars_intro", review=gradient.STAR_REVIEW["en" if language == "en" else "zh"],
      source=stars.source(language), year=stars.year(language),
      confidence=peers.confidence_phrase(stars.confidence, language))
)
_star_calculator()

# ---- 三.2: the three uses of a gradient scale ----------------------------------------------------------------------
st.subheader(t("s3_1.uses_title"))
st.markdown(t("s3_1.uses_intro"))
with st.container(border=True):
    st.markdown(t("s3_1.use_tiers"))
with st.container(border=True):
    st.markdown(t("s3_1.use_service_levels"))
with st.container(border=True):
    st.markdown(t("s3_1.use_lifecycle"))
    phases = book_memo("s3_1.lifecycle", lambda frame: tier_summary(frame, segment_detail(frame, "lifecycle")))
    lifecycle = get_scheme("lifecycle")
    counts = [t("s3_1.phase_count", phase=tier.label(language), n=f"{int(phases.loc[tier.code, 'customers']):,}")
              for tier in lifecycle.tiers() if tier.code != INSUFFICIENT or int(phases.loc[tier.code, "customers"])]
    st.caption(t("s3_1.phases_in_book", phases=" · ".join(counts)))

footer(PAGE)
