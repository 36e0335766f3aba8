"""Pieces shared by the tier pages 3.1–3.5: memo keys for parameters, the tier-summary display table, the
customer-share / AUM-share chart of a tier summary, a grouped-bar figure and a static text table with sensible
column widths. Presentation only: numbers come from ``workbook``; money is written by ``workbook.money`` (the
team's one display rule)."""

from __future__ import annotations

import json
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
from workbook.money import wan_cell


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
    # A typed run with no break point (a pasted link, "aaaa…") would run past its cell; only such cells may break
    # anywhere, so ordinary English words keep whole. Streamlit resets the wrap on the cell's inner block, so the
    # rule targets what is inside the cell.
    for row_number, row in enumerate(shown.itertuples(index=False)):
        for column_number, value in enumerate(row):
            if _LONG_RUN.search(str(value)):
                styles.append({"selector": f"td.row{row_number}.col{column_number} *",
                               "props": "overflow-wrap: anywhere;"})
    shown = shown.rename(columns=dict(headers))
    st.table(shown.style.set_table_styles(styles), hide_index=True, border="horizontal")

_LONG_RUN = re.compile(r"[^\s\u3000-\u9fff\uff00-\uffef]{30,}")  # 30+ characters with no space and no CJK


_MARKDOWN_ESCAPES = {ord(c): f"\\{c}" for c in string.punctuation}


def plain_markdown(text: str) -> str:
    """Text the trainees typed, safe to place in Markdown (a table cell, a line of st.markdown): every ASCII
    punctuation mark is escaped, so "*", "$5", ":red[x]" or "<b>" show as typed, and line breaks are kept.

    Escapes do not stop GFM's literal autolinks (found in the text after parsing): an invisible word joiner
    inside "://", "www." and "@" does, so that http://x, www.x.com and a@b.com stay text, not links."""
    text = _AUTOLINK_STARTS.sub(lambda match: match.group(0)[:-1] + "\u2060" + match.group(0)[-1], str(text))
    return "  \n".join(line.translate(_MARKDOWN_ESCAPES) for line in text.split("\n"))


_AUTOLINK_STARTS = re.compile(r"://|(?i:www)\.|@.")
