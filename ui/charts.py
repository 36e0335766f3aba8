"""Shared chart and number presentation: one look for every plotly figure, readable on a laptop and on a
projector, and the percent format (money is written by ``workbook.money``). Presentation only; no domain
arithmetic here."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

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


def percent(value: float | None, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    text = f"{value * 100:.{digits}f}"
    if text.startswith("-") and float(text) == 0:  # "-0.0%" would read as a shortfall that is not there
        text = text[1:]
    return f"{text}%"


# ---- figure builders (section 一 and any page that needs the same shapes) ---------------------------------
# They only draw what they are given: numbers come computed from ``workbook``, labels translated.

ACCENT = PALETTE[0]  # bank red: what the page wants the eye on (constraint, liabilities)
GOOD = PALETTE[3]
NEUTRAL = PALETTE[5]
HIGHLIGHT = PALETTE[2]  # targets and reference lines
MUTED = "#B8C2CC"
GRID = "#E6EAEE"


def _axes(figure: go.Figure) -> go.Figure:
    figure.update_layout(plot_bgcolor="white", paper_bgcolor="white")
    figure.update_xaxes(gridcolor=GRID, zerolinecolor=MUTED, automargin=True)
    figure.update_yaxes(gridcolor=GRID, zerolinecolor=MUTED, automargin=True)
    return figure


def radar(
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    *,
    value_range: tuple[float, float] = (0, 5),
    title: str | None = None,
    height: int = CHART_HEIGHT + 80,
    rotation: float = 0,
    clockwise: bool = False,
) -> go.Figure:
    """A filled radar chart; ``series`` is (trace name, values in category order). The first category sits at
    ``rotation`` degrees (0 = right, 90 = top), the others follow counter-clockwise unless ``clockwise``."""
    figure = go.Figure()
    for index, (name, values) in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        figure.add_trace(
            go.Scatterpolar(
                r=[*values, values[0]] if values else [],
                theta=[*categories, categories[0]] if categories else [],
                name=name,
                fill="toself",
                line={"color": colour, "width": 3},
                opacity=0.8,
            )
        )
    style(figure, height=height)
    left, right = _radar_sides(categories, rotation, clockwise)
    legend_rows = math.ceil(len(series) / 3) if len(series) > 1 else 0
    figure.update_layout(
        title={"text": title} if title else None,
        showlegend=len(series) > 1,
        polar={
            # the scale runs between the first two axes, so its numbers never sit on a category label
            "radialaxis": {"range": list(value_range), "dtick": 1, "tickfont": {"size": 12}, "angle": 22.5,
                           "tickangle": 0},
            "angularaxis": {"tickfont": {"size": 15}, "rotation": rotation,
                            "direction": "clockwise" if clockwise else "counterclockwise"},
        },
        # the legend goes under the bottom category label, in its own strip of margin
        # (measured from the bottom of the whole figure, so a taller chart on a projector keeps the gap)
        legend={"orientation": "h", "yref": "container", "yanchor": "bottom", "y": 0.0, "x": 0.5,
                "xanchor": "center"},
        margin={"l": left, "r": right, "t": 56 if title else 36, "b": 44 + 28 * legend_rows},
    )
    return figure


def _radar_sides(categories: Sequence[str], rotation: float, clockwise: bool) -> tuple[int, int]:
    """Left and right margins (px) that fit the category labels: Plotly does not grow a polar chart's margins,
    so without this "Contribution" loses its first letters in a half-width column. A label on a side spoke
    sticks out by its full width, one on a diagonal by most of it, one at the top or bottom by nothing."""
    left = right = 0.0
    count = len(categories)
    for index, label in enumerate(categories):
        angle = math.radians(rotation + (-1 if clockwise else 1) * 360 * index / max(count, 1))
        reach = abs(math.cos(angle))
        share = 1.0 if reach > 0.9 else 0.75 if reach > 0.2 else 0.0
        need = _text_width(label, 15) * share
        if math.cos(angle) > 0:
            right = max(right, need)
        else:
            left = max(left, need)
    return max(60, int(left) + 24), max(60, int(right) + 24)


def _text_width(text: str, size: int) -> int:
    """Rough rendered width in px of a one-line label: CJK glyphs are square, Latin ones about half as wide."""
    return int(sum(size if ord(char) > 0x2E80 else size * 0.55 for char in text))


def waterfall(
    labels: Sequence[str],
    measures: Sequence[str],
    values: Sequence[float],
    texts: Sequence[str],
    *,
    target: float | None = None,
    target_label: str | None = None,
    title: str | None = None,
    y_title: str | None = None,
) -> go.Figure:
    """A waterfall chart; ``measures`` are Plotly's "absolute" / "relative" / "total", one per bar."""
    figure = go.Figure(
        go.Waterfall(
            x=list(labels),
            measure=list(measures),
            y=list(values),
            text=list(texts),
            textposition="outside",
            cliponaxis=False,
            connector={"line": {"color": MUTED}},
            increasing={"marker": {"color": GOOD}},
            decreasing={"marker": {"color": ACCENT}},
            totals={"marker": {"color": PALETTE[1]}},
        )
    )
    if target is not None:
        figure.add_hline(
            y=target,
            line={"color": HIGHLIGHT, "width": 3, "dash": "dash"},
            annotation_text=target_label,
            annotation_position="top left",
            annotation_font={"color": HIGHLIGHT},
        )
    style(figure)
    figure.update_layout(title={"text": title} if title else None, showlegend=False)
    # The bars carry their values in the page's money format (万元 / CNY k); axis ticks would say "4M".
    figure.update_yaxes(title=y_title, rangemode="tozero", showticklabels=False)
    return _axes(figure)


def bars(
    labels: Sequence[str],
    values: Sequence[float],
    texts: Sequence[str],
    *,
    highlight: Sequence[bool] | None = None,
    line: float | None = None,
    line_label: str | None = None,
    title: str | None = None,
    value_title: str | None = None,
    horizontal: bool = True,
    height: int | None = None,
) -> go.Figure:
    """Bars, the highlighted ones in the accent colour, with an optional reference line (e.g. throughput).

    Horizontal bars list the first label on top, the way a sales funnel reads.
    """
    flags = list(highlight) if highlight is not None else [False] * len(values)
    colours = [ACCENT if flag else NEUTRAL for flag in flags]
    common = {"text": list(texts), "marker_color": colours, "textposition": "outside", "cliponaxis": False}
    if horizontal:
        figure = go.Figure(go.Bar(y=list(labels), x=list(values), orientation="h", **common))
    else:
        figure = go.Figure(go.Bar(x=list(labels), y=list(values), **common))
    if line is not None:
        # The line's label sits above the plot area, where it cannot cover a bar's value.
        line_style = {"color": HIGHLIGHT, "width": 3, "dash": "dash"}
        if horizontal:
            figure.add_vline(x=line, line=line_style)
            figure.add_annotation(x=line, y=1.0, yref="paper", yanchor="bottom", text=line_label, showarrow=False,
                                  font={"color": HIGHLIGHT})
        else:
            figure.add_hline(y=line, line=line_style)
            figure.add_annotation(y=line, x=1.0, xref="paper", xanchor="right", yanchor="bottom", text=line_label,
                                  showarrow=False, font={"color": HIGHLIGHT})
    finite = [v for v in values if v is not None]
    # Room beyond the longest bar for its value label (cliponaxis=False still needs space inside the figure).
    value_range = [0, max(finite) * 1.18] if finite and max(finite) > 0 else None
    style(figure, height=height if height is not None else max(CHART_HEIGHT, 62 * len(values) + 110))
    figure.update_layout(title={"text": title} if title else None, showlegend=False)
    figure.update_layout(margin={"t": 80 if title else 40})
    if horizontal:
        figure.update_yaxes(autorange="reversed")
        figure.update_xaxes(title=value_title, range=value_range)
    else:
        figure.update_yaxes(title=value_title, range=value_range)
    return _axes(figure)


def curve_with_marks(
    x: Sequence[float],
    y: Sequence[float],
    *,
    name: str,
    marks: Sequence[tuple[float, float, str]] = (),
    reference_y: float | None = None,
    reference_label: str | None = None,
    x_title: str | None = None,
    y_title: str | None = None,
    percent_axes: bool = True,
    title: str | None = None,
    from_origin: bool = False,
) -> go.Figure:
    """A curve (e.g. the whale curve) with annotated points ``(x, y, text)`` and a horizontal reference line.

    ``from_origin`` draws a cumulative curve from (0, 0), where it starts by definition (no customers, no
    profit), and keeps 0 on the value axis so the first customer's jump is visible."""
    xs, ys = ([0.0, *x], [0.0, *y]) if from_origin else (list(x), list(y))
    figure = go.Figure(go.Scatter(x=xs, y=ys, mode="lines", name=name, line={"color": PALETTE[1], "width": 4}))
    right_edge = max(x) if len(x) else 0
    for index, (mark_x, mark_y, text) in enumerate(marks):
        figure.add_trace(go.Scatter(x=[mark_x], y=[mark_y], mode="markers", showlegend=False, hoverinfo="skip",
                                    marker={"size": 14, "color": ACCENT}))
        # Labels near the right edge point back into the plot so they are not cut off, and sit below the mark:
        # a cumulative curve arrives there from above, so a label above it would hide the curve's last stretch.
        near_right = mark_x >= 0.8 * right_edge
        figure.add_annotation(x=mark_x, y=mark_y, text=text, showarrow=True, arrowhead=2,
                              ax=-70 if near_right else 50, ay=95 if near_right else (45 if index % 2 else -45),
                              font={"color": ACCENT}, bgcolor="rgba(255,255,255,0.6)")
    if reference_y is not None:
        # The line's label above it, mid-way: the marks' labels sit below the line at both ends (a label there
        # ran into the first mark's in a half-width column), and a whale curve passes well above its middle.
        figure.add_hline(y=reference_y, line={"color": HIGHLIGHT, "width": 2, "dash": "dash"},
                         annotation_text=reference_label, annotation_position="top",
                         annotation_font={"color": HIGHLIGHT})
    style(figure)
    figure.update_layout(title={"text": title} if title else None, showlegend=False)
    figure.update_xaxes(title=x_title, tickformat=".0%" if percent_axes else None)
    figure.update_yaxes(title=y_title, tickformat=".0%" if percent_axes else None,
                        rangemode="tozero" if from_origin else "normal")
    return _axes(figure)


def scatter_groups(
    groups: Sequence[tuple[str, Sequence[float], Sequence[float], Sequence[str], str]],
    *,
    diagonal: tuple[float, float] | None = None,
    diagonal_label: str | None = None,
    x_title: str | None = None,
    y_title: str | None = None,
    log_axes: bool = False,
    tick_label: Callable[[float], str] | None = None,
    title: str | None = None,
) -> go.Figure:
    """Scatter of groups ``(name, xs, ys, hover texts, colour)``; ``diagonal=(low, high)`` draws y = x.

    On log axes, ``tick_label`` formats the powers of ten (e.g. money in 万元), so ticks read in the page's units.
    """
    figure = go.Figure()
    for name, xs, ys, hovers, colour in groups:
        figure.add_trace(go.Scatter(x=list(xs), y=list(ys), mode="markers", name=name, text=list(hovers),
                                    hovertemplate="%{text}<extra></extra>",
                                    marker={"size": 10, "color": colour, "opacity": 0.75,
                                            "line": {"width": 1, "color": "white"}}))
    if diagonal is not None:
        low, high = diagonal
        figure.add_trace(go.Scatter(x=[low, high], y=[low, high], mode="lines", name=diagonal_label,
                                    line={"color": HIGHLIGHT, "width": 2, "dash": "dash"}, hoverinfo="skip"))
    style(figure, height=CHART_HEIGHT + 80)
    # The legend in its own strip at the bottom of the figure, measured from the figure's edge (not the plot's):
    # placed relative to the plot it lands on the x-axis title whenever the plot is short. A top legend wraps
    # into the figure's title in a narrow column.
    figure.update_layout(title={"text": title} if title else None, showlegend=True,
                         legend={"orientation": "h", "yref": "container", "yanchor": "bottom", "y": 0.0, "x": 0},
                         margin={"t": 56 if title else 24, "b": 130})
    axis: dict[str, object] = {"type": "log"} if log_axes else {}
    if log_axes and tick_label is not None and diagonal is not None and diagonal[0] > 0:
        low_power = math.floor(math.log10(diagonal[0]))
        high_power = math.ceil(math.log10(diagonal[1]))
        ticks = [10.0 ** power for power in range(low_power, high_power + 1)]
        axis.update(tickvals=ticks, ticktext=[tick_label(tick) for tick in ticks])
    figure.update_xaxes(title=x_title, **axis)
    figure.update_yaxes(title=y_title, **axis)
    return _axes(figure)
