"""Pieces shared by the tier pages 3.1, 3.4 and 3.5: memo keys for parameters, the tier-summary display table and a
grouped-bar figure. Presentation only: numbers come from ``workbook``."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from ui import charts
from ui.state import t


def params_key(params: Mapping[str, Any] | None) -> str:
    """A hashable, order-independent key for scheme parameters (for the session memo)."""
    return json.dumps(params or {}, sort_keys=True, ensure_ascii=False, default=str)


def tier_table(
    summary: pd.DataFrame, labels: Mapping[str, str], lang: str, *, hide_empty: Sequence[str] = ()
) -> pd.DataFrame:
    """``segmentation.tier_summary`` output as a display table (labels, formatted money and shares)."""
    rows = []
    for code, row in summary.iterrows():
        if code in hide_empty and int(row["customers"]) == 0:
            continue
        rows.append(
            {
                t("tiers.col.tier"): labels.get(str(code), str(code)),
                t("tiers.col.customers"): int(row["customers"]),
                t("tiers.col.customer_share"): charts.percent(float(row["customer_share"])),
                t("tiers.col.aum"): charts.money(float(row["aum"]), lang),
                t("tiers.col.aum_share"): charts.percent(float(row["aum_share"])),
            }
        )
    return pd.DataFrame(rows)


def grouped_bars(
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float], Sequence[str]]],
    *,
    y_title: str,
    percent_axis: bool = False,
    value_ticks: bool = True,
    height: int | None = None,
    colours: Sequence[str] | None = None,
) -> go.Figure:
    """Bars per category, one colour per series (e.g. customer share vs AUM share, or revenue vs plan cost)."""
    figure = go.Figure()
    palette = list(colours) if colours else list(charts.PALETTE)
    for index, (name, values, texts) in enumerate(series):
        figure.add_trace(
            go.Bar(
                x=list(categories),
                y=list(values),
                name=name,
                text=list(texts),
                textposition="outside",
                cliponaxis=False,
                marker_color=palette[index % len(palette)],
            )
        )
    charts.style(figure, height=height or charts.CHART_HEIGHT)
    # one text size for every bar label: Plotly otherwise shrinks the labels that barely fit (30% beside 0%)
    figure.update_layout(barmode="group", legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
                         uniformtext={"minsize": 13, "mode": "show"})
    # Full numbers with separators: plotly's SI suffixes ("1M") would leak English into a Chinese chart.
    figure.update_yaxes(title=y_title, rangemode="tozero", tickformat=".0%" if percent_axis else ",.0f",
                        showticklabels=value_ticks)
    return figure
