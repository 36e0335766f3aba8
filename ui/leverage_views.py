"""Pieces of page 2.2 (时间杠杆：一对多经营): the event calendar as a grid of groups × months. Presentation only: the
events and their months come from ``workbook.leverage.event_calendar``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go

from ui import charts


def calendar_grid(
    calendar: pd.DataFrame,
    group_keys: Sequence[str],
    labels: Mapping[str, str],
    month_labels: Sequence[str],
    event_text: Sequence[str],
) -> go.Figure:
    """Groups (rows, first on top) × the next twelve months (columns), each cell the number of events that month,
    the themes on hover (``event_text``: one "format: theme" per calendar row). A figure rather than a table so the
    twelve months fit a 1024-pixel screen with the sidebar open."""
    months = len(month_labels)
    counts = [[0] * months for _ in group_keys]
    hovers = [[""] * months for _ in group_keys]
    row_of = {key: i for i, key in enumerate(group_keys)}
    for event, text in zip(calendar.to_dict("records"), event_text, strict=True):
        row, column = row_of.get(str(event["group"])), int(event["offset"])
        if row is None or not 0 <= column < months:
            continue
        counts[row][column] += 1
        hovers[row][column] = f"{hovers[row][column]}<br>{text}" if hovers[row][column] else text
    figure = go.Figure(go.Heatmap(
        z=counts,
        x=list(month_labels),
        y=[labels[key] for key in group_keys],
        text=[[str(n) if n else "" for n in row] for row in counts],
        texttemplate="%{text}",
        textfont={"size": 15},
        customdata=hovers,
        hovertemplate="%{y} · %{x}<br>%{customdata}<extra></extra>",
        colorscale=[[0.0, "#F7F9FB"], [0.5, "#A9C4E6"], [1.0, charts.PALETTE[1]]],
        showscale=False,
        xgap=2,
        ygap=2,
    ))
    charts.style(figure, height=max(220, 60 * len(group_keys) + 90))
    figure.update_xaxes(side="top", tickfont={"size": 14}, automargin=True)
    figure.update_yaxes(autorange="reversed", tickfont={"size": 14}, automargin=True)
    figure.update_layout(plot_bgcolor="white", paper_bgcolor="white", margin={"t": 40, "b": 10})
    return figure
