"""Pieces of the segmentation pages 3.2 / 3.3: parameter widgets generated from a scheme's parameter data, the
cross-tab heatmap and the migration Sankey. Presentation only; every number comes from ``workbook``.

Where the trainee's choices live (workspace module ``s3_2``, shared with 3.1, 3.3, 3.4 and 3.5)::

    {"scheme": "aum",                                   # the scheme chosen on 3.2
     "params": {"aum": {"thresholds": [...], "labels": [...]}, "relationship": {"cuts": [...]}, ...},
     "crosstab": {"a": "aum", "b": "contribution", "value": "count"}}

``params[scheme_id]`` holds only what differs from the scheme's defaults (merged with ``Scheme.resolve``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ui import charts, profit_settings
from ui.state import book_memo, lang, module_values, save_values, t
from ui.tier_views import params_key
from workbook.schema import field_label
from workbook.segmentation import SCHEMES, ParamSpec, Scheme, SchemeParamError, Segmentation, Tier, segment_detail

MODULE = "s3_2"
DEFAULTS: dict[str, Any] = {"scheme": "aum", "params": {}, "crosstab": {"a": "aum", "b": "contribution",
                                                                          "value": "count"}}
WAN = 10_000.0  # 元 per 万元: money thresholds are edited in 万元
NEW_SOURCE_COLOUR = "#8E9AA6"  # the migration's 新客户 source: not one of the tier colours


def saved() -> dict[str, Any]:
    return module_values(MODULE, DEFAULTS)


def overrides_for(scheme_id: str) -> dict[str, Any]:
    """The trainee's parameter overrides for one scheme (empty: the defaults). The ``kind`` dimension takes the
    trainee's 1.4 settings, so its asset / liability verdicts are the ones 1.4 shows."""
    if scheme_id == "kind":
        return kind_settings()
    return dict((saved().get("params") or {}).get(scheme_id) or {})


def kind_settings() -> dict[str, Any]:
    """The 1.4 entries the trainee changed there (``ui.profit_settings.kind_settings``); empty for the defaults."""
    return profit_settings.kind_settings()


def segmentation_or_error(
    scheme_id: str, overrides: Mapping[str, Any]
) -> tuple[Segmentation, SchemeParamError | None]:
    """The current book segmented with ``overrides``; if they are invalid, the defaults' result and the error.

    Memoised per session, so 3.2, 3.3 and 3.4 share one result for the same scheme, parameters and book.
    """
    try:
        return book_memo("segment", _segment, scheme_id, params_key(overrides)), None
    except SchemeParamError as err:
        return book_memo("segment", _segment, scheme_id, params_key({})), err


def trainee_segmentation(scheme_id: str) -> tuple[Segmentation, dict[str, Any]]:
    """The current book segmented by ``scheme_id`` with the trainee's parameters from 3.2, saying on the page
    which parameters are in use (a warning and the defaults when the saved ones are invalid).
    Returns the segmentation and the parameters actually used (empty: the defaults)."""
    overrides = overrides_for(scheme_id)
    detail, error = segmentation_or_error(scheme_id, overrides)
    if error is not None:
        st.warning(t("segments.params_invalid", error=error.text(lang())), icon=":material/warning:")
        return detail, {}
    st.caption(t("segments.params_from_s3_2" if overrides else "segments.params_default"))
    return detail, overrides


def _segment(frame: pd.DataFrame, scheme_id: str, params_json: str) -> Segmentation:
    # The parameters travel as their JSON key so the memo can hash them; parse them back here.
    return segment_detail(frame, scheme_id, json.loads(params_json) or None)


def _clean(number: float) -> float | int:
    """Drop binary noise from a widget value (30.000000000000004 → 30) and keep whole numbers whole."""
    value = round(float(number), 6)
    return int(value) if value.is_integer() else value


def _display_scale(spec: ParamSpec) -> float:
    """Widget value × scale = stored value: money in 万元, shares in %."""
    if spec.kind in ("money_list", "money"):
        return WAN
    if spec.kind == "share":
        return 0.01
    return 1.0


def _decimals(step: float) -> int:
    return max(0, -math.floor(math.log10(step) + 1e-9)) if step > 0 else 0


def _format(spec: ParamSpec) -> str:
    if spec.kind in ("money_list", "money"):
        return "%g"  # 万元 without needless decimals: 5 · 50 · 600, and 2.5 when typed
    step = (spec.step or 1.0) / _display_scale(spec)
    suffix = "%%" if spec.kind == "share" else ""
    return f"%.{_decimals(step)}f{suffix}"


def _widget_key(scheme_id: str, spec: ParamSpec, item: object = None) -> str:
    return f"s3_2_param_{scheme_id}_{spec.key}" + ("" if item is None else f"_{item}")


def _on_change(scheme_id: str, spec_key: str, item: object, widget_key: str) -> None:
    scheme = SCHEMES[scheme_id]
    spec = next(p for p in scheme.params if p.key == spec_key)
    stored = _clean(float(st.session_state[widget_key]) * _display_scale(spec))
    values = saved()
    all_params = dict(values.get("params") or {})
    mine = dict(all_params.get(scheme_id) or {})
    current = scheme.merge(mine)[spec_key]
    if isinstance(current, list):
        current = list(current)
        current[int(str(item))] = stored
    elif isinstance(current, dict):
        current = dict(current)
        current[str(item)] = stored
    else:
        current = stored
    mine[spec_key] = current
    all_params[scheme_id] = mine
    save_values(MODULE, params=all_params)


def reset_params(scheme_id: str) -> None:
    values = saved()
    all_params = dict(values.get("params") or {})
    all_params.pop(scheme_id, None)
    save_values(MODULE, params=all_params)
    for key in [k for k in st.session_state if str(k).startswith(f"s3_2_param_{scheme_id}_")]:
        del st.session_state[key]


def _number(label: str, value: float, spec: ParamSpec, key: str, on_change_args: tuple[Any, ...]) -> None:
    scale = _display_scale(spec)
    st.session_state[key] = float(value) / scale  # the workspace is the source of truth on every run
    low = None if spec.minimum is None else float(spec.minimum) / scale
    high = None if spec.maximum is None else float(spec.maximum) / scale
    step = float(spec.step or 1.0) / scale if spec.kind not in ("money_list", "money") else 1.0
    if spec.kind == "share" and low is not None and high is not None:
        st.slider(label, min_value=low, max_value=high, step=step, key=key, on_change=_on_change,
                  args=on_change_args, format=_format(spec))
    else:
        st.number_input(label, min_value=low, max_value=high, step=step, key=key, on_change=_on_change,
                        args=on_change_args, format=_format(spec))


def _cut_label(spec: ParamSpec, index: int, tiers: Sequence[Tier], lang: str) -> str:
    if spec.first_tier is not None and spec.first_tier + index < len(tiers) - 1:
        return t("s3_2.cut_label", tier=tiers[spec.first_tier + index].label(lang))
    return t("s3_2.cut_number", n=index + 1)


def param_widgets(scheme: Scheme, lang: str) -> None:
    """Widgets for every parameter the scheme declares (basic ones, then an expander with advanced ones)."""
    merged = scheme.merge(overrides_for(scheme.id))
    labels = merged.get("labels")
    tiers: tuple[Tier, ...]
    if isinstance(labels, list) and labels:
        tiers = (*(Tier(str(x["code"]), str(x["zh"]), str(x["en"])) for x in labels), Tier("", "", ""))
    else:
        tiers = (*scheme.base_tiers, Tier("", "", ""))
    basic = [p for p in scheme.params if not p.advanced]
    advanced = [p for p in scheme.params if p.advanced]
    for spec in basic:
        _spec_widgets(scheme, spec, merged[spec.key], tiers, lang)
    if advanced:
        with st.expander(t("s3_2.advanced"), icon=":material/tune:"):
            for spec in advanced:
                _spec_widgets(scheme, spec, merged[spec.key], tiers, lang)


def _spec_widgets(scheme: Scheme, spec: ParamSpec, value: Any, tiers: Sequence[Tier], lang: str) -> None:
    if spec.kind in ("money_list", "number_list"):
        st.markdown(f"**{spec.label(lang)}**")
        columns = st.columns(max(len(value), 1))
        for index, (column, item) in enumerate(zip(columns, value, strict=False)):
            with column:
                key = _widget_key(scheme.id, spec, index)
                _number(_cut_label(spec, index, tiers, lang), item, spec, key, (scheme.id, spec.key, index, key))
    elif spec.kind == "weights":
        st.markdown(f"**{spec.label(lang)}**")
        items = list(value.items())
        columns = st.columns(max(len(items), 1))
        for column, (field, item) in zip(columns, items, strict=False):
            with column:
                key = _widget_key(scheme.id, spec, field)
                _number(field_label(field, lang), item, spec, key, (scheme.id, spec.key, field, key))
    else:
        key = _widget_key(scheme.id, spec)
        _number(spec.label(lang), value, spec, key, (scheme.id, spec.key, None, key))


# ---- figures ----------------------------------------------------------------------------------------------


def heatmap(
    table: pd.DataFrame,
    row_labels: Sequence[str],
    column_labels: Sequence[str],
    texts: Sequence[Sequence[str]],
    *,
    x_title: str,
    y_title: str,
) -> go.Figure:
    """A cross-tab as a heatmap, the value written in every cell; rows bottom-up in tier order."""
    figure = go.Figure(
        go.Heatmap(
            z=table.to_numpy(dtype=float),
            x=list(column_labels),
            y=list(row_labels),
            text=[list(row) for row in texts],
            texttemplate="%{text}",
            textfont={"size": 15},
            colorscale=[[0.0, "#F7F9FB"], [0.5, "#F2B8B5"], [1.0, charts.PALETTE[0]]],
            showscale=False,
            hovertemplate="%{y} × %{x}: %{text}<extra></extra>",
            xgap=2,
            ygap=2,
        )
    )
    charts.style(figure, height=max(charts.CHART_HEIGHT, 70 * len(row_labels) + 140))
    figure.update_xaxes(title=x_title, side="bottom", automargin=True)
    figure.update_yaxes(title=y_title, automargin=True)
    figure.update_layout(plot_bgcolor="white", paper_bgcolor="white")
    return figure


def sankey(
    flows: pd.DataFrame,
    sources: Sequence[str],
    codes: Sequence[str],
    labels: Mapping[str, str],
    *,
    left_title: str,
    right_title: str,
    count_unit: str,
) -> go.Figure:
    """Tiers a year ago (left: ``sources``, e.g. 新客户 then the tiers) → now (right: ``codes``); links carry
    customers. ``flows`` as ``segmentation.migration``; ``labels`` names every code of either side."""
    left = {code: i for i, code in enumerate(sources)}
    right = {code: len(sources) + i for i, code in enumerate(codes)}
    shown = flows[flows["customers"] > 0]
    # one colour per tier on both sides; the new-customer source in a slate grey no tier uses
    tier_colour = {code: charts.PALETTE[i % len(charts.PALETTE)] for i, code in enumerate(codes)}
    colour = {code: tier_colour.get(code, NEW_SOURCE_COLOUR) for code in (*sources, *codes)}

    def rgba(hex_colour: str, alpha: float) -> str:
        red, green, blue = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
        return f"rgba({red},{green},{blue},{alpha})"

    figure = go.Figure(
        go.Sankey(
            arrangement="snap",
            node={
                "label": [labels[c] for c in sources] + [labels[c] for c in codes],
                "color": [colour[c] for c in sources] + [colour[c] for c in codes],
                "pad": 18,
                "thickness": 22,
                "line": {"color": "white", "width": 1},
                "hovertemplate": "%{label}: %{value} " + count_unit + "<extra></extra>",
            },
            link={
                "source": [left[c] for c in shown["from"]],
                "target": [right[c] for c in shown["to"]],
                "value": shown["customers"].tolist(),
                "color": [rgba(colour[c], 0.35) for c in shown["from"]],
                "hovertemplate": "%{source.label} → %{target.label}: %{value} " + count_unit + "<extra></extra>",
            },
            textfont={"size": 15},
        )
    )
    charts.style(figure, height=charts.CHART_HEIGHT + 120)
    figure.add_annotation(x=0, y=1.08, xref="paper", yref="paper", text=f"<b>{left_title}</b>", showarrow=False,
                          xanchor="left", font={"size": 16})
    figure.add_annotation(x=1, y=1.08, xref="paper", yref="paper", text=f"<b>{right_title}</b>", showarrow=False,
                          xanchor="right", font={"size": 16})
    figure.update_layout(margin={"l": 10, "r": 10, "t": 60, "b": 10})
    return figure
