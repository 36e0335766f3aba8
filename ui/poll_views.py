"""The 1.1 class poll: sending one's ratings from page 1.1, and the pooled answers drawn — the class radar (with
the trainee's own ratings beside it on 1.1) and the distribution of ratings per question: one row per question, a
dot per rating sized by how many gave it, the class mean as a diamond and, on 1.1, the trainee's own answer as a
ring. The numbers come from ``workbook.poll``."""

from __future__ import annotations

import math
from collections.abc import Mapping

import plotly.graph_objects as go
import streamlit as st

from ui import charts, saving
from ui.state import lang, memo, module_values, save_trainee, save_values, t, trainee
from ui.tier_views import plain_markdown
from workbook import poll, self_check
from workbook import store as classroom_store
from workbook.store import StoreUnavailable

ROW_HEIGHT = 46


def _labels() -> list[str]:
    return [t(item.short_key) for item in self_check.ITEMS]


def class_radar(result: poll.PollResult, mine: Mapping[str, int] | None = None) -> go.Figure:
    """The class mean per question on the 1–5 scale; with ``mine``, the trainee's own ratings as a second trace."""
    series = []
    if mine is not None:
        series.append((t("board.poll.mine"), self_check.radar_values(mine)))
    series.append((t("board.poll.class_mean", n=result.respondents), result.radar()))
    return charts.radar(_labels(), series, title=t("board.poll.radar_title"))


def distribution(result: poll.PollResult, mine: Mapping[str, int] | None = None) -> go.Figure:
    """Ratings 1–5 across, questions down (in the course's order, first on top)."""
    labels = _labels()
    xs, ys, sizes, texts, hovers = [], [], [], [], []
    biggest = max((max(item.counts) for item in result.items), default=0) or 1
    for label, item in zip(labels, result.items, strict=True):
        for rating, count in zip(self_check.RATINGS, item.counts, strict=True):
            if not count:
                continue
            xs.append(rating)
            ys.append(label)
            # area ∝ count: the dot of 8 answers has twice the area of the dot of 4
            sizes.append(12 + 30 * math.sqrt(count / biggest))
            texts.append(str(count))
            hovers.append(t("board.poll.hover", rating=rating, n=count, share=charts.percent(item.share(rating), 0)))
    figure = go.Figure()
    # every question keeps its row, also one nobody has rated yet
    figure.add_trace(go.Scatter(x=[3] * len(labels), y=labels, mode="markers", marker={"opacity": 0},
                                hoverinfo="skip", showlegend=False))
    figure.add_trace(go.Scatter(
        # the count beside its dot, where neither the mean's diamond nor one's own ring covers it
        x=xs, y=ys, mode="markers+text", text=texts, textposition="middle right",
        textfont={"size": 13, "color": "#1F2933"},
        marker={"size": sizes, "color": charts.PALETTE[1], "opacity": 0.3, "line": {"width": 0}},
        hovertext=hovers, hoverinfo="text", name=t("board.poll.answers"), showlegend=True,
    ))
    means = [(item.mean, label) for item, label in zip(result.items, labels, strict=True) if item.mean is not None]
    figure.add_trace(go.Scatter(
        x=[m for m, _ in means], y=[label for _, label in means], mode="markers",
        marker={"symbol": "diamond", "size": 15, "color": charts.ACCENT},
        name=t("board.poll.mean"), hovertemplate="%{x:.1f}<extra></extra>",
    ))
    if mine is not None:
        own = self_check.clean_ratings(mine)
        points = [(own[item.id], label) for item, label in zip(self_check.ITEMS, labels, strict=True)
                  if item.id in own]
        figure.add_trace(go.Scatter(
            x=[v for v, _ in points], y=[label for _, label in points], mode="markers",
            marker={"symbol": "circle-open", "size": 26, "color": charts.HIGHLIGHT, "line": {"width": 3}},
            name=t("board.poll.mine"), hoverinfo="skip",
        ))
    charts.style(figure, height=ROW_HEIGHT * len(labels) + 150)
    figure.update_layout(title={"text": t("board.poll.distribution_title")}, plot_bgcolor="white",
                         legend={"orientation": "h", "yref": "container", "y": 0.0, "yanchor": "bottom", "x": 0},
                         margin={"l": 10, "r": 20, "t": 56, "b": 70})
    figure.update_xaxes(range=[0.5, 5.5], dtick=1, title=t("board.poll.rating_axis"), gridcolor=charts.GRID)
    figure.update_yaxes(autorange="reversed", categoryorder="array", categoryarray=labels, gridcolor=charts.GRID,
                        automargin=True)
    return figure


# ---- 1.1: sending one's ratings, and the class beside them -----------------------------------------------------------

PAGE = "s1_1"
WORKSHOP_WIDGET = "s1_1_workshop"
CLASS_CACHE_S = 10


@st.cache_data(ttl=CLASS_CACHE_S, show_spinner=False, max_entries=64)
def _class_poll(code: str) -> poll.PollResult | None:
    # The class's pooled, anonymous ratings — the same for everyone in the workshop, no one's own answer — so a
    # short process-wide cache spares the database when sixty trainees look at once.
    try:
        current = saving.with_store(lambda store: store.submissions(code, poll.POLL_ID))
    except StoreUnavailable:
        return None
    return poll.aggregate(s.payload for s in current)


def _keep_workshop() -> None:
    save_trainee(workshop=str(st.session_state.get(WORKSHOP_WIDGET) or ""))


def send_panel(ratings: Mapping[str, int]) -> None:
    """On 1.1: send the ratings to the class poll (anonymous, idempotent), then the class beside one's own."""
    language = lang()
    saved = module_values(PAGE, {"poll_receipt": None, "poll_sent": None})
    payload = poll.poll_payload(ratings)
    with st.container(border=True):
        st.subheader(t("s1.poll.title"))
        st.caption(t("s1.poll.help"))
        code_column, button_column = st.columns([3, 2], vertical_alignment="bottom")
        with code_column:
            if WORKSHOP_WIDGET not in st.session_state:
                st.session_state[WORKSHOP_WIDGET] = trainee()["workshop"]
            st.text_input(t("s3_5.workshop_label"), key=WORKSHOP_WIDGET, on_change=_keep_workshop,
                          placeholder=t("s3_5.workshop_placeholder"), max_chars=classroom_store.MAX_NAME_LENGTH)
        with button_column:
            pressed = st.button(t("s1.poll.send"), key="s1_1_poll_send", type="primary", icon=":material/send:",
                                width="stretch")
        if pressed:
            _send(payload, saved, language)
            saved = module_values(PAGE, {"poll_receipt": None, "poll_sent": None})
        receipt = saved.get("poll_receipt")
        if not isinstance(receipt, dict):
            return
        when = saving.receipt_time(receipt.get("time"), language)
        if saved.get("poll_sent") == payload["ratings"]:
            st.success(t("s1.poll.sent", workshop=plain_markdown(str(receipt.get("workshop", ""))), time=when),
                       icon=":material/verified:")
        else:
            st.info(t("s1.poll.changed"), icon=":material/edit_note:")
    _beside_class(str(receipt.get("workshop", "")), ratings)


def _send(payload: dict, saved: Mapping[str, object], language: str) -> None:
    code = classroom_store.workshop_code(st.session_state.get(WORKSHOP_WIDGET))
    if not poll.can_send(payload["ratings"]):
        st.error(t("s1.poll.need_rating"), icon=":material/block:")
        return
    if not code:
        st.error(t("s1.poll.need_workshop"), icon=":material/block:")
        return
    respondent = poll.respondent(saving.token())
    last = saved.get("poll_receipt") if isinstance(saved.get("poll_receipt"), dict) else None
    key = classroom_store.submission_key(saving.token(), code, respondent, poll.POLL_ID, payload, last)  # type: ignore[arg-type]
    try:
        receipt = saving.with_store(lambda store: store.submit(code, respondent, poll.POLL_ID, payload, key))
    except StoreUnavailable:
        st.error(t("s1.poll.unavailable"), icon=":material/cloud_off:")
        return
    except classroom_store.SubmissionError as err:
        st.error(err.text(language), icon=":material/block:")
        return
    save_trainee(workshop=code)
    save_values(PAGE, poll_receipt=classroom_store.receipt_record(receipt, payload), poll_sent=payload["ratings"])
    _class_poll.clear()  # one's own answer counts at once in what one sees


def _beside_class(code: str, ratings: Mapping[str, int]) -> None:
    result = _class_poll(code) if code else None
    if result is None:
        return
    st.subheader(t("s1.poll.class_title"))
    if not result.shown_to_trainees:
        st.caption(t("s1.poll.class_waiting", n=result.respondents, minimum=poll.MIN_RESPONDENTS))
        st.button(t("s1.poll.refresh"), key="s1_1_poll_refresh", icon=":material/refresh:")
        return
    st.caption(t("s1.poll.class_caption", n=result.respondents))
    digest = (lang(), result, tuple(sorted(self_check.clean_ratings(ratings).items())))
    radar = memo("s1_1.poll.radar", digest, lambda: class_radar(result, ratings))
    spread = memo("s1_1.poll.distribution", digest, lambda: distribution(result, ratings))
    st.plotly_chart(radar, width="stretch", config={"displayModeBar": False})
    st.plotly_chart(spread, width="stretch", config={"displayModeBar": False})
    st.button(t("s1.poll.refresh"), key="s1_1_poll_refresh", icon=":material/refresh:")
