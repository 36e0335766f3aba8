"""Pieces of page 2.1 (深度KYC与潜在需求): a need as a card (表象 → 潜在 → 配置建议), the evidence it fired on in
words, and the four-account chart. Presentation only: the needs, the plan and its gaps come from ``workbook``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ui import charts
from ui.state import t
from workbook import kyc
from workbook.households import ACCOUNT_INFO
from workbook.money import money_text, wan_input
from workbook.products import product_label


def fact_text(key: str, value: Any, lang: str) -> str:
    """One piece of evidence (``kyc.Need.evidence``) in words: 「子女 15 岁」, 「企业主」."""
    if key in ("age", "child_age", "parent_age", "children"):
        return t(f"s2_1.fact.{key}", value=f"{float(value):g}")
    if key == "assets":
        return t("s2_1.fact.assets", value=money_text(float(value), lang))
    vocabulary = {"marital": kyc.MARITAL, "event": kyc.EVENTS, "occupation": kyc.OCCUPATIONS}.get(key)
    if vocabulary is not None and value in vocabulary:
        return vocabulary[value].label(lang)
    if key == "stage" and value in kyc.STAGES:
        return kyc.STAGES[value].label(lang)
    return str(value)


def need_card(need: kyc.Need, lang: str) -> None:
    """One need: its name and category, what the customer says, what lies beneath, the product categories, and
    why the rule fired (the facts it read, then the rule's reason)."""
    separator = t("common.list_sep")
    with st.container(border=True, height="stretch"):
        st.markdown(f"**{need.text('label', lang)}**")
        st.caption(kyc.CATEGORIES[need.category].label(lang))
        st.markdown(t("s2_1.need.stated", text=need.text("stated", lang)))
        st.markdown(t("s2_1.need.latent", text=need.text("latent", lang)))
        st.markdown(t("s2_1.need.products",
                      text=separator.join(product_label(code, lang) for code in need.products)))
        facts = separator.join(fact_text(key, value, lang) for key, value in need.evidence)
        st.caption(t("s2_1.need.why", facts=facts, why=need.why(lang)))


def need_grid(needs: Sequence[kyc.Need], lang: str, columns: int = 2) -> None:
    """Needs in rows of ``columns`` cards (two read well on a laptop with the sidebar open)."""
    for start in range(0, len(needs), columns):
        row = st.columns(columns)
        for column, need in zip(row, needs[start:start + columns], strict=False):
            with column:
                need_card(need, lang)


def plan_chart(plan: pd.DataFrame, lang: str) -> go.Figure:
    """Target beside current for each account, each bar labelled with its amount in 万元 (the unit in the legend),
    the gap written above each pair."""
    names = [ACCOUNT_INFO[code].label(lang) for code in plan.index]
    figure = go.Figure()
    for column, colour, label in (("target", charts.PALETTE[1], t("s2_1.plan.target")),
                                  ("current", charts.NEUTRAL, t("s2_1.plan.current"))):
        values = [float(v) for v in plan[column]]
        figure.add_trace(go.Bar(
            x=names, y=values, name=label, marker_color=colour, text=[wan_input(v) for v in values],
            textposition="outside", cliponaxis=False, textfont={"size": 14},
        ))
    top = max([*plan["target"], *plan["current"], 1.0])
    for name, gap in zip(names, plan["gap"], strict=True):
        key = "s2_1.plan.gap_add" if gap > 0.5 else "s2_1.plan.gap_cut" if gap < -0.5 else "s2_1.plan.gap_none"
        colour = charts.GOOD if gap > 0.5 else charts.ACCENT if gap < -0.5 else charts.NEUTRAL
        figure.add_annotation(x=name, y=top * 1.2, text=f"<b>{t(key, amount=wan_input(abs(float(gap))))}</b>",
                              showarrow=False, font={"size": 14, "color": colour})
    charts.style(figure, height=400)
    figure.update_layout(
        barmode="group", bargap=0.35, plot_bgcolor="white", uniformtext={"minsize": 13, "mode": "show"},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0,
                "title": {"text": t("s2_1.plan.unit"), "side": "left"}},
        margin={"t": 50, "b": 10},
    )
    # The bars carry their amounts; raw 元 ticks would contradict them.
    figure.update_yaxes(range=[0, top * 1.3], showticklabels=False, gridcolor=charts.GRID)
    figure.update_xaxes(tickfont={"size": 15})
    return figure
