"""Shared chart and number presentation: one look for every plotly figure, readable on a laptop and on a
projector, and money/percent formats per language. Presentation only; no domain arithmetic here."""

from __future__ import annotations

import math

import plotly.graph_objects as go

FONT_FAMILY = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif'
PALETTE = ("#B5282F", "#1F5FA8", "#E3A21A", "#2E8B57", "#7A4EAB", "#5F6B7A", "#D9534F", "#17A2B8")
CHART_HEIGHT = 380


def style(figure: go.Figure, height: int = CHART_HEIGHT) -> go.Figure:
    """Apply the product's chart look: CJK-capable font, large enough type, our palette, tight margins."""
    figure.update_layout(
        font={"family": FONT_FAMILY, "size": 15},
        title={"font": {"size": 18}},
        colorway=list(PALETTE),
        height=height,
        margin={"l": 10, "r": 10, "t": 56, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": -0.25, "x": 0},
        hoverlabel={"font": {"family": FONT_FAMILY}},
    )
    return figure


def money(value: float | None, lang: str) -> str:
    """Money for display: 万元 / 亿元 in Chinese, k / m / bn CNY in English. NaN → '—'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    sign = "-" if value < 0 else ""
    amount = abs(float(value))
    if lang == "zh":
        if amount >= 1e8:
            return f"{sign}{amount / 1e8:,.2f} 亿元"
        if amount >= 1e4:
            return f"{sign}{amount / 1e4:,.1f} 万元"
        return f"{sign}{amount:,.0f} 元"
    if amount >= 1e9:
        return f"{sign}CNY {amount / 1e9:,.2f}bn"
    if amount >= 1e6:
        return f"{sign}CNY {amount / 1e6:,.2f}m"
    if amount >= 1e3:
        return f"{sign}CNY {amount / 1e3:,.1f}k"
    return f"{sign}CNY {amount:,.0f}"


def percent(value: float | None, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{value * 100:.{digits}f}%"
