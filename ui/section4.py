"""Pieces shared by the section 四 pages (4.1–4.4): the segmentation picker, number formats for hours and money per
hour, the staircase chart of the engagement ladder and the hours-moved chart. Presentation only: every number
comes from ``workbook``."""

from __future__ import annotations

import math
from collections.abc import Sequence

import plotly.graph_objects as go
import streamlit as st

from ui import charts
from ui import segment_views as views
from ui.state import lang, module_values, save_values, t
from ui.tier_views import axis_label
from workbook.money import money_text
from workbook.segmentation import SCHEME_IDS, SCHEMES


def scheme_choice(page: str, label_key: str) -> str:
    """A selectbox of the seven segmentations, kept in the page's workspace module as ``scheme``; it opens on the
    page's last choice, else on the scheme chosen on 3.2."""
    key = f"{page}_scheme"
    saved = module_values(page, {"scheme": None}).get("scheme")
    if st.session_state.get(key) not in SCHEME_IDS:
        default = saved or views.saved().get("scheme") or "aum"
        st.session_state[key] = default if default in SCHEME_IDS else "aum"
    language = lang()
    scheme_id = str(st.selectbox(t(label_key), SCHEME_IDS, format_func=lambda s: SCHEMES[s].name(language), key=key))
    if scheme_id != saved:
        save_values(page, scheme=scheme_id)
    return scheme_id


def hours(value: float | None) -> str:
    """Hours with separators, whole from 10 up ("1,250 小时" / "1,250 h"), a tenth below when not whole ("0.5 h");
    "—" when unknown."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    number = float(value)
    shown = f"{number:.1f}" if abs(number) < 10 and round(number, 1) != round(number) else f"{number:,.0f}"
    return t("s4.hours", hours=shown)


def per_hour(value: float | None, language: str) -> str:
    """Money per hour of the manager's time ("683 元/小时" / "CNY 683/h"); "—" when unknown."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return t("s4.per_hour", amount=money_text(value, language))


def staircase(
    tiers: Sequence[str],
    current: Sequence[int | None],
    target: Sequence[int | None],
    level_names: Sequence[str],
    *,
    current_name: str,
    climb_name: str,
    level_text: str,
) -> go.Figure:
    """Per tier (low → high, left to right) a bar up to today's level and, stacked on it, the climb to the target:
    tiers that climb read as a staircase. ``level_names``: the 12 levels' short names for the axis;
    ``level_text``: a catalogue pattern with ``{level}`` for the bar labels."""
    names = [axis_label(name, 14) for name in tiers]
    base = [c or 0 for c in current]
    climb = [max((g or 0) - (c or 0), 0) if g is not None and c is not None else 0
             for c, g in zip(current, target, strict=True)]
    figure = go.Figure()
    figure.add_trace(go.Bar(
        x=names, y=base, name=current_name, marker_color=charts.PALETTE[1],
        text=[level_text.format(level=c) if c else "" for c in current], textposition="inside",
        insidetextanchor="end", textfont={"color": "white", "size": 15},
    ))
    figure.add_trace(go.Bar(
        x=names, y=climb, name=climb_name, marker_color=charts.ACCENT, opacity=0.85,
        text=[level_text.format(level=g) if step else "" for g, step in zip(target, climb, strict=True)],
        textposition="inside", insidetextanchor="end", textfont={"color": "white", "size": 15},
    ))
    count = len(level_names)
    charts.style(figure, height=520)
    figure.update_layout(
        barmode="stack", bargap=0.35, plot_bgcolor="white", showlegend=True,
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "traceorder": "normal"},
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        uniformtext={"minsize": 13, "mode": "show"},
    )
    figure.update_yaxes(
        range=[0, count + 0.3], tickvals=list(range(1, count + 1)),
        ticktext=[f"{n} · {name}" for n, name in enumerate(level_names, start=1)],
        gridcolor=charts.GRID, automargin=True, tickfont={"size": 13},
    )
    figure.update_xaxes(automargin=True, tickfont={"size": 14})
    return figure


def hours_moved_chart(tiers: Sequence[str], moved: Sequence[float], texts: Sequence[str], axis_title: str
                      ) -> go.Figure:
    """Hours a year moved per tier: green bars to the right for tiers that gain hours, red to the left for tiers
    that give them up; each bar labelled. Tiers top to bottom in the order given."""
    names = [axis_label(name) for name in tiers]
    colours = [charts.GOOD if value > 0 else charts.ACCENT if value < 0 else charts.MUTED for value in moved]
    figure = go.Figure(go.Bar(
        y=names, x=list(moved), orientation="h", marker_color=colours, text=list(texts), textposition="outside",
        cliponaxis=False, textfont={"size": 15, "color": "#1F2A36"},
    ))
    reach = max([abs(v) for v in moved] + [1.0]) * 1.35
    charts.style(figure, height=max(240, 110 + 56 * len(tiers)))
    figure.update_layout(showlegend=False, plot_bgcolor="white", margin={"l": 10, "r": 30, "t": 20, "b": 10})
    figure.update_yaxes(autorange="reversed", automargin=True, tickfont={"size": 15})
    figure.update_xaxes(range=[-reach, reach], title=axis_title, zeroline=True, zerolinecolor=charts.NEUTRAL,
                        zerolinewidth=2, gridcolor=charts.GRID, tickformat=",.0f")
    return figure
