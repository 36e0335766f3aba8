"""Pieces shared by the tier pages 3.1–3.5: memo keys for parameters, money as bankers write it, the tier-summary
display table, the customer-share / AUM-share chart of a tier summary, a grouped-bar figure and a static text table
with sensible column widths. Presentation only: numbers come from ``workbook``.

Money (the team's display rule): in a table, one unit per column, stated in the header — 万元 for amounts
(:func:`wan_cell`), 元 for small per-customer amounts (:func:`yuan_cell`); in running Chinese text the way a
banker writes it, without a space and without needless decimals — 800万元, 36.5万元, 1.25亿元, 3,500元
(:func:`money_text`; English: CNY 8m, CNY 365k, CNY 3.5k)."""

from __future__ import annotations

import json
import math
import re
import string
import textwrap
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ui import charts
from ui.state import t


def _trim(number: float, decimals: int) -> str:
    """``number`` with separators and at most ``decimals`` decimals, trailing zeros dropped (800, 36.5, 1.25)."""
    text = f"{number:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _is_missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def money_text(value: float | None, lang: str) -> str:
    """Money in a sentence or a metric: 800万元 · 36.5万元 · 1.25亿元 · 3,500元 / CNY 8m · CNY 365k · CNY 3.5k.

    Three significant figures at most above 10万 (and above CNY 1k), whole 元 below 1万元; "—" when unknown."""
    if _is_missing(value):
        return "—"
    assert value is not None
    sign = "-" if value < 0 else ""
    amount = abs(float(value))
    if lang == "zh":
        if amount >= 1e8:
            return f"{sign}{_trim(amount / 1e8, 2)}亿元"
        if amount >= 1e4:
            wan = amount / 1e4
            return f"{sign}{_trim(wan, 0 if wan >= 100 else 1)}万元"
        return f"{sign}{amount:,.0f}元"
    if amount >= 1e9:
        return f"{sign}CNY {_trim(amount / 1e9, 2)}bn"
    if amount >= 1e6:
        return f"{sign}CNY {_trim(amount / 1e6, 2)}m"
    if amount >= 1e3:  # compact, so a metric fits a narrow column: CNY 6.2k, CNY 365k
        thousands = amount / 1e3
        return f"{sign}CNY {_trim(thousands, 0 if thousands >= 100 else 1)}k"
    return f"{sign}CNY {amount:,.0f}"


def wan_cell(value: float | None) -> str:
    """An amount for a table column headed in 万元 (CNY 10k): 12,345 · 36.5 · 0.35; "—" when unknown."""
    if _is_missing(value):
        return "—"
    assert value is not None
    wan = float(value) / 1e4
    size = abs(wan)
    return _trim(wan, 0 if size >= 100 else (1 if size >= 1 else 2))


def yuan_cell(value: float | None) -> str:
    """A small amount (per customer) for a table column headed in 元: 1,234; "—" when unknown."""
    return "—" if _is_missing(value) else f"{float(value):,.0f}"  # type: ignore[arg-type]


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
                t("tiers.col.aum"): wan_cell(float(row["aum"])),
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


def _display_width(text: str) -> int:
    """Width in half-width cells: a CJK character is as wide as two Latin letters."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def axis_label(label: str, width: int = 20) -> str:
    """A tier label broken over lines for a chart axis (after " · ", before a bracket, then between words or
    characters) so no line is wider than ``width`` half-width cells: plotly keeps the ticks level and the plot
    its room."""
    if _display_width(label) <= width:
        return label
    parts = label.replace(" · ", " ·\n").replace(" (", "\n(").replace("（", "\n（").split("\n")
    lines: list[str] = []
    for part in parts:
        if _display_width(part) <= width:
            lines.append(part)
        elif " " in part:  # words
            lines.extend(textwrap.wrap(part, width) or [part])
        else:  # CJK: break between characters
            line = ""
            for char in part:
                if _display_width(line + char) > width:
                    lines.append(line)
                    line = ""
                line += char
            lines.append(line)
    return "<br>".join(line for line in lines if line)


def share_label(value: float) -> str:
    """A share as a bar label: whole percent, "<1%" for a sliver, nothing for an empty bar (a row of "0%" labels
    only crowds the chart)."""
    if value <= 0:
        return ""
    if value < 0.005:
        return "<1%"
    return charts.percent(value, 0)


def tier_share_chart(
    summary: pd.DataFrame, codes: Sequence[str], labels: Mapping[str, str], axis_title: str, key: str
) -> None:
    """Customer share beside AUM share for each tier of ``segmentation.tier_summary`` (3.1 and 3.2).

    Horizontal bars: the tier names sit level on the left however long they are, the lowest tier at the bottom
    and the highest on top like a ladder, each bar labelled with its share.
    """
    names = [axis_label(labels.get(c, c)) for c in codes]
    series = (("customer_share", t("tiers.col.customer_share")), ("aum_share", t("tiers.col.aum_share")))
    figure = go.Figure()
    top = 0.0
    # AUM share first: plotly stacks a group's bars upwards, so customer share sits on top, as in the legend
    for index in (1, 0):
        column, name = series[index]
        values = [float(v) for v in summary.loc[list(codes), column]]
        top = max([top, *values])
        figure.add_trace(
            go.Bar(
                y=names, x=values, name=name, orientation="h", marker_color=charts.PALETTE[index],
                text=[share_label(v) for v in values], textposition="outside", cliponaxis=False,
                textfont={"size": 15, "color": "#1F2A36"},
            )
        )
    charts.style(figure, height=max(260, 120 + 62 * len(codes)))
    figure.update_layout(
        barmode="group", bargap=0.28, plot_bgcolor="white",
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "traceorder": "reversed"},
        uniformtext={"minsize": 13, "mode": "show"},
        margin={"l": 10, "r": 40, "t": 50, "b": 10},
    )
    figure.update_xaxes(title=axis_title, tickformat=".0%", range=[0, max(top, 0.01) * 1.15], gridcolor=charts.GRID,
                        automargin=True)
    figure.update_yaxes(automargin=True, tickfont={"size": 15, "color": "#1F2A36"})
    st.plotly_chart(figure, width="stretch", key=key)


def text_table(
    frame: pd.DataFrame,
    headers: Mapping[str, str],
    *,
    nowrap: Sequence[str] = (),
    min_widths: Mapping[str, str] | None = None,
    line_breaks: Sequence[str] = (),
) -> None:
    """A static table of ``frame``'s columns named in ``headers`` (column → shown header), whose long cells wrap:
    ``nowrap`` columns (names, years, grades) never break, ``min_widths`` give a column its room (CSS lengths
    such as "22em", and no 400 px cap on its text), and in ``line_breaks`` columns each ``\\n`` starts a new
    line (the cells are Markdown). Headers never break."""
    columns = list(headers)
    shown = frame[columns].copy()
    for column in line_breaks:
        shown[column] = [str(v).replace("\n", "  \n") for v in shown[column]]
    styles: list[Any] = [{"selector": "th p", "props": "white-space: nowrap;"}]  # pandas' CSSDict shape
    for column in nowrap:
        styles.append({"selector": f"td.col{columns.index(column)} p", "props": "white-space: nowrap;"})
    for column, width in (min_widths or {}).items():
        styles.append({"selector": f"td.col{columns.index(column)}", "props": f"min-width: {width};"})
        # Streamlit caps a cell's text at 400 px; a column meant to be wide may use the table's whole width
        styles.append({"selector": f"td.col{columns.index(column)} > div", "props": "max-width: none;"})
    shown = shown.rename(columns=dict(headers))
    st.table(shown.style.set_table_styles(styles), hide_index=True, border="horizontal")


_MARKDOWN_ESCAPES = {ord(c): f"\\{c}" for c in string.punctuation}


def plain_markdown(text: str) -> str:
    """Text the trainees typed, safe to place in Markdown (a table cell, a line of st.markdown): every ASCII
    punctuation mark is escaped, so "*", "$5", ":red[x]" or "<b>" show as typed, and line breaks are kept.

    Escapes do not stop GFM's literal autolinks (found in the text after parsing): an invisible word joiner
    inside "://", "www." and "@" does, so that http://x, www.x.com and a@b.com stay text, not links."""
    text = _AUTOLINK_STARTS.sub(lambda match: match.group(0)[:-1] + "\u2060" + match.group(0)[-1], str(text))
    return "  \n".join(line.translate(_MARKDOWN_ESCAPES) for line in text.split("\n"))


_AUTOLINK_STARTS = re.compile(r"://|(?i:www)\.|@.")
