"""The pieces of the 讲师看板 page: the workshop bar (choose, create, archive, reset), the timer bar, and the live
part that reruns every few seconds in the instructor's session only — who handed in what, one submission in full,
two groups side by side, the schemes the class chose, the 1.1 poll and the class workbook.

Presentation only: the figures come from ``workbook.classroom``, ``workbook.poll`` and ``workbook.exercises``. Every
text a trainee typed (group names, members, service lines, reflections, strategies) goes through
:func:`ui.tier_views.plain_markdown`, so it shows as typed, never as Markdown or HTML.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ui import charts, instructor, poll_views, saving
from ui.state import lang, memo, t
from ui.tier_views import plain_markdown, text_table
from workbook import class_export, classroom, clock, exercises, i18n, poll
from workbook import strategy as strat
from workbook.money import money_text
from workbook.segmentation import SCHEMES
from workbook.store import WORKSHOP_ARCHIVED, StoreUnavailable, Submission, SubmissionError, workshop_code

LIVE_REFRESH_S = 5
VIEWS: tuple[str, ...] = ("submission", "compare", "schemes", "poll", "export")
VIEW_KEY = "board_view"
SELECT_KEY = "board_workshop_select"
ARCHIVED_KEY = "board_show_archived"


def _unavailable() -> None:
    st.error(t("board.store_unavailable"), icon=":material/cloud_off:")


def _when(moment: Any) -> str:
    return saving.receipt_time(moment.isoformat() if moment is not None else "", lang())


def _short_time(moment: Any) -> str:
    """A moment today in the classroom's time, as 14:32."""
    return moment.astimezone(clock.classroom_zone()).strftime("%H:%M")


# ---- the workshop bar ----------------------------------------------------------------------------------------------


def _choose(code: str | None) -> None:
    if code:
        st.session_state[instructor.WORKSHOP_KEY] = code
    else:
        st.session_state.pop(instructor.WORKSHOP_KEY, None)
    st.session_state.pop(SELECT_KEY, None)


def _on_select() -> None:
    st.session_state[instructor.WORKSHOP_KEY] = st.session_state[SELECT_KEY]


def workshop_bar() -> str | None:
    """Choose the workshop to run (open ones, archived on request), create one, archive or reset the chosen one.
    Returns the chosen code, or None when there is none yet."""
    try:
        listed = saving.with_store(lambda store: store.workshops(classroom.GROUP_EXERCISES))
    except StoreUnavailable:
        _unavailable()
        return None
    show_archived = bool(st.session_state.get(ARCHIVED_KEY, False))
    shown = [w for w in listed if show_archived or w.status != WORKSHOP_ARCHIVED]
    info = {w.code: w for w in listed}
    codes = [w.code for w in shown]
    chosen = st.session_state.get(instructor.WORKSHOP_KEY)
    if chosen not in codes:
        chosen = codes[0] if codes else None
        _choose(chosen)
    pick, actions = st.columns([2, 3], gap="medium", vertical_alignment="bottom")
    with pick:
        if codes:
            st.session_state[SELECT_KEY] = chosen
            # labels made in this run (a format function that read the language later would miss the session)
            labels = {code: t("board.workshop.option_archived" if info[code].status == WORKSHOP_ARCHIVED
                              else "board.workshop.option", code=code, groups=info[code].groups) for code in codes}
            st.selectbox(t("board.workshop.label"), codes, key=SELECT_KEY, on_change=_on_select,
                         format_func=labels.__getitem__)
        else:
            st.info(t("board.workshop.none"), icon=":material/info:")
    with actions:
        buttons = st.container(horizontal=True)  # each as wide as its label, side by side
    with buttons, st.popover(t("board.workshop.new"), icon=":material/add:"), \
            st.form("board_new_workshop", clear_on_submit=True, border=False):
        typed = st.text_input(t("board.workshop.new_label"), max_chars=40, placeholder=t("s3_5.workshop_placeholder"))
        if st.form_submit_button(t("board.workshop.create"), type="primary"):
            try:
                code = saving.with_store(lambda store: store.create_workshop(typed))
            except SubmissionError as err:
                st.error(err.text(lang()))
            except StoreUnavailable:
                _unavailable()
            else:
                _choose(code)
                st.rerun()
    with buttons, st.popover(t("board.workshop.manage"), icon=":material/settings:"):
        st.toggle(t("board.workshop.show_archived"), key=ARCHIVED_KEY)
        if chosen:
            _manage(chosen, info[chosen].status)
    return chosen


def _manage(code: str, status: str) -> None:
    if status == WORKSHOP_ARCHIVED:
        st.caption(t("board.workshop.archived_note", code=code))
        if st.button(t("board.workshop.reopen", code=code), key="board_reopen", icon=":material/unarchive:"):
            saving.with_store(lambda store: store.create_workshop(code))
            st.rerun()
    else:
        st.caption(t("board.workshop.archive_help"))
        if st.button(t("board.workshop.archive", code=code), key="board_archive", icon=":material/archive:"):
            saving.with_store(lambda store: store.archive_workshop(code))
            instructor.forget_timers()
            st.rerun()
    st.divider()
    st.caption(t("board.workshop.reset_help", code=code))
    st.text_input(t("board.workshop.reset_confirm", code=code), key=RESET_CONFIRM_KEY)
    st.button(t("board.workshop.reset", code=code), key="board_reset", type="primary", icon=":material/delete_sweep:",
              on_click=_reset, args=(code,))
    outcome = st.session_state.pop(RESET_OUTCOME_KEY, None)
    if outcome == "mismatch":
        st.error(t("board.workshop.reset_mismatch", code=code))
    elif outcome == "unavailable":
        _unavailable()
    elif isinstance(outcome, int):
        st.success(t("board.workshop.reset_done", code=code, n=outcome), icon=":material/delete_sweep:")


RESET_CONFIRM_KEY = "board_reset_confirm"
RESET_OUTCOME_KEY = "_board_reset_outcome"


def _reset(code: str) -> None:
    """The reset, only when the code was typed again (a callback: it may empty the confirmation box)."""
    if workshop_code(st.session_state.get(RESET_CONFIRM_KEY)) != code:
        st.session_state[RESET_OUTCOME_KEY] = "mismatch"
        return
    try:
        st.session_state[RESET_OUTCOME_KEY] = saving.with_store(lambda store: store.reset_workshop(code))
    except StoreUnavailable:
        st.session_state[RESET_OUTCOME_KEY] = "unavailable"
        return
    instructor.forget_timers()
    st.session_state[RESET_CONFIRM_KEY] = ""


# ---- the timer bar -------------------------------------------------------------------------------------------------

ACTIVITY_KEY = "board_timer_activity"
MINUTES_KEY = "board_timer_minutes"


def _activity_minutes() -> None:
    found = classroom.activity(str(st.session_state.get(ACTIVITY_KEY)))
    if found is not None:
        st.session_state[MINUTES_KEY] = found.minutes


def timer_bar(code: str) -> None:
    """Start a countdown for an activity (its minutes from the agenda, editable), or stop it; the countdown itself
    runs in the browser here and in every trainee's sidebar."""
    activities = classroom.timer_activities()
    ids = [a.id for a in activities]
    if ACTIVITY_KEY not in st.session_state or st.session_state[ACTIVITY_KEY] not in ids:
        st.session_state[ACTIVITY_KEY] = ids[0]
        _activity_minutes()
    with st.container(border=True):
        st.markdown(f"**{t('board.timer.title')}**")
        what, length = st.columns([3, 1], vertical_alignment="bottom")
        labels = {a.id: t("board.timer.activity_option", activity=instructor.activity_label(a.id),
                          minutes=a.minutes) for a in activities}
        what.selectbox(t("board.timer.activity"), ids, key=ACTIVITY_KEY, on_change=_activity_minutes,
                       format_func=labels.__getitem__)
        length.number_input(t("board.timer.minutes"), min_value=1, max_value=240, step=1, key=MINUTES_KEY)
        with st.container(horizontal=True):
            start = st.button(t("board.timer.start"), key="board_timer_start", type="primary",
                              icon=":material/timer:")
            stop = st.button(t("board.timer.stop"), key="board_timer_stop", icon=":material/timer_off:")
        if start:
            try:
                saving.with_store(lambda store: store.start_timer(code, st.session_state[ACTIVITY_KEY],
                                                                  float(st.session_state[MINUTES_KEY])))
            except StoreUnavailable:
                _unavailable()
            instructor.forget_timers()
        if stop:
            try:
                saving.with_store(lambda store: store.stop_timer(code))
            except StoreUnavailable:
                _unavailable()
            instructor.forget_timers()
        try:
            running = saving.with_store(lambda store: store.timer(code))
        except StoreUnavailable:
            running = None
        if running is not None:
            st.html(instructor.countdown_html(running, large=True), unsafe_allow_javascript=True)
            st.caption(t("board.timer.everyone"))
        else:
            st.caption(t("board.timer.none"))


# ---- the live part -------------------------------------------------------------------------------------------------


def live(code: str) -> None:
    """The part of the board that follows the class: reruns every few seconds (a fragment of this session only)."""
    try:
        submissions = saving.with_store(lambda store: store.submissions(code))
        running = saving.with_store(lambda store: store.timer(code))
    except StoreUnavailable:
        _unavailable()
        return
    groups = classroom.roster(submissions)
    answers = poll.aggregate(classroom.poll_answers(submissions))
    st.caption(t("board.live.updated", time=clock.now().astimezone(clock.classroom_zone()).strftime("%H:%M:%S"),
                 seconds=LIVE_REFRESH_S))
    counts = st.columns(4)
    counts[0].metric(t("board.live.groups"), f"{len(groups):,}")
    for column, exercise in zip(counts[1:3], classroom.GROUP_EXERCISES, strict=True):
        column.metric(t(f"board.live.handed.{exercise}"), f"{sum(g.has(exercise) for g in groups):,}")
    counts[3].metric(t("board.live.poll"), f"{answers.respondents:,}")
    watched = classroom.activity(running.exercise) if running is not None else None
    if watched is not None and watched.watches is not None:
        _watch(watched.watches, groups, answers)
    _roster(groups)
    views = {v: t(f"board.view.{v}") for v in VIEWS}
    view = st.segmented_control(t("board.view.label"), VIEWS, key=VIEW_KEY, format_func=views.__getitem__,
                                default=VIEWS[0])
    view = view or VIEWS[0]
    if view == "submission":
        _one_submission(submissions, groups)
    elif view == "compare":
        _compare(submissions, groups)
    elif view == "schemes":
        _schemes(submissions)
    elif view == "poll":
        show_poll(answers)
    else:
        _export(code, groups)


def _watch(exercise: str, groups: Sequence[classroom.GroupStatus], answers: poll.PollResult) -> None:
    """While the timer runs: who has handed in the exercise it watches, and who not yet."""
    with st.container(border=True):
        if exercise == poll.POLL_ID:
            st.markdown(t("board.watch.poll", n=answers.respondents))
            return
        done, waiting = classroom.handed_during(groups, exercise)
        label = instructor.activity_label(exercise)
        names = t("board.list_separator").join(
            f"{plain_markdown(g.group)} {_short_time(g.handed[exercise].time)}" for g in done)
        st.markdown(t("board.watch.done", activity=label, n=len(done), groups=names or "—"))
        if waiting:
            st.markdown(t("board.watch.waiting", n=len(waiting), groups=t("board.list_separator").join(
                plain_markdown(g.group) for g in waiting)))


def _handed_cell(group: classroom.GroupStatus, exercise: str) -> str:
    handed = group.handed.get(exercise)
    if handed is None:
        return t("board.roster.not_yet")
    by = f" · {plain_markdown(handed.by)}" if handed.by else ""
    return f"✓ {_short_time(handed.time)}{by}"


def _roster(groups: Sequence[classroom.GroupStatus]) -> None:
    st.subheader(t("board.roster.title"))
    if not groups:
        st.caption(t("board.roster.empty"))
        return
    frame = pd.DataFrame({
        "group": [plain_markdown(g.group) for g in groups],
        "members": [t("board.list_separator").join(plain_markdown(m) for m in g.members) or "—" for g in groups],
        **{exercise: [_handed_cell(g, exercise) for g in groups] for exercise in classroom.GROUP_EXERCISES},
    })
    headers = {"group": t("board.roster.group"), "members": t("board.roster.members"),
               **{e: instructor.activity_label(e) for e in classroom.GROUP_EXERCISES}}
    text_table(frame, headers, nowrap=("group", *classroom.GROUP_EXERCISES), min_widths={"members": "12em"})


# ---- one submission in full ----------------------------------------------------------------------------------------


def _pick_group(label: str, groups: Sequence[str], key: str, default: int = 0) -> str:
    if st.session_state.get(key) not in groups:
        st.session_state[key] = groups[min(default, len(groups) - 1)]
    return str(st.selectbox(label, list(groups), key=key))


def _pick_exercise(key: str) -> str:
    if st.session_state.get(key) not in classroom.GROUP_EXERCISES:
        st.session_state[key] = classroom.GROUP_EXERCISES[0]
    labels = {e: instructor.activity_label(e) for e in classroom.GROUP_EXERCISES}
    return str(st.radio(t("board.pick.exercise"), classroom.GROUP_EXERCISES, key=key, horizontal=True,
                        format_func=labels.__getitem__))


def _one_submission(submissions: Sequence[Submission], groups: Sequence[classroom.GroupStatus]) -> None:
    if not groups:
        st.caption(t("board.roster.empty"))
        return
    left, right = st.columns([2, 3], vertical_alignment="bottom")
    with left:
        group = _pick_group(t("board.pick.group"), [g.group for g in groups], "board_open_group")
    with right:
        exercise = _pick_exercise("board_open_exercise")
    found = classroom.current(submissions, group, exercise)
    if found is None:
        st.info(t("board.open.none", group=plain_markdown(group), activity=instructor.activity_label(exercise)))
        return
    st.caption(t("board.open.handed", time=_when(found.time), by=plain_markdown(found.submitted_by or "—"),
                 number=found.number))
    if exercise == exercises.EXERCISE_ID:
        show_exercise1(found.payload)
    else:
        show_exercise2(found.payload)


SUMMARY_COLUMNS = ("tier", "customers", "customer_share", "aum_share", "service")


def show_exercise1(payload: Any) -> None:
    """An exercise-1 payload as the group wrote it: members and book, each segmentation with its parameters and its
    tiers (customers, shares, service line), the reflection."""
    language = lang()
    shown = exercises.submission_summary(payload, language)
    _heading(shown)
    headers = {"tier": t("tiers.col.tier"), "customers": t("tiers.col.customers"),
               "customer_share": t("tiers.col.customer_share"), "aum_share": t("tiers.col.aum_share"),
               "service": t("s3_5.col.service_short")}
    for index, scheme in enumerate(shown.schemes, start=1):
        st.markdown(t("s3_5.summary_scheme", index=index, name=scheme.name))
        st.caption(t("s3_5.summary_params", params=scheme.params))
        rows = pd.DataFrame(list(scheme.tiers), columns=list(SUMMARY_COLUMNS))
        text_table(
            rows.assign(
                tier=[plain_markdown(v) for v in rows["tier"]],
                customers=[f"{int(v):,}" for v in rows["customers"]],
                customer_share=[charts.percent(v) for v in rows["customer_share"]],
                aum_share=[charts.percent(v) for v in rows["aum_share"]],
                service=[plain_markdown(v) if v else "—" for v in rows["service"]],
            ),
            headers, nowrap=("customers", "customer_share", "aum_share"),
            min_widths={"tier": "7em", "service": "14em"},
        )
    st.markdown(t("s3_5.summary_reflection"))
    st.markdown(plain_markdown(shown.reflection) if shown.reflection else t("s3_5.summary_empty"))


def _heading(shown: Any) -> None:
    empty = t("s3_5.summary_empty")
    members = (t("s3_5.summary_members", count=len(shown.members),
                 members=t("s3_5.members_separator").join(plain_markdown(m) for m in shown.members))
               if shown.members else t("s3_5.summary_members_none", empty=empty))
    book = t("s3_5.summary_book", source=t(f"s3_5.book_source.{shown.book_source or 'upload'}"),
             customers=f"{shown.book_customers:,}", aum=money_text(shown.book_aum, lang()))
    st.markdown("  \n".join([members, book]))


def show_exercise2(payload: Any) -> None:
    """An exercise-2 payload: each member's direction with its evidence, goal, ways of marketing, measures and
    90-day actions."""
    language = lang()
    shown = exercises.exercise2_summary(payload, language)
    empty = t("s3_5.summary_empty")
    _heading(shown)
    st.markdown(t("s4_4.summary_window", start=shown.start or empty, end=shown.end or empty))
    separator = t("board.list_separator")
    for direction in shown.directions:
        if not direction.tier:
            st.markdown(t("board.open.no_direction", member=plain_markdown(direction.member or empty)))
            continue
        evidence = direction.evidence
        st.markdown(t("s4_4.summary_direction", member=plain_markdown(direction.member),
                      scheme=plain_markdown(direction.scheme), tier=plain_markdown(direction.tier)))
        per_hour = evidence.get("t_per_hour")
        st.caption(t("s4_4.summary_evidence", customers=f"{int(evidence.get('customers') or 0):,}",
                     aum=money_text(evidence.get("aum") or 0.0, language),
                     t_per_hour="—" if per_hour is None else t("s4.per_hour",
                                                              amount=money_text(per_hour, language))))
        kpis = separator.join(t(f"s4_4.kpi.{k['degree']}", target=f"{k['target']:g}") for k in direction.kpis
                              if k["target"] is not None and i18n.has_key(f"s4_4.kpi.{k['degree']}"))
        st.markdown(t("s4_4.summary_goal", goal=plain_markdown(direction.strategy.get("goal") or empty),
                      channels=separator.join(t(f"s4_2.channel.{c}") for c in direction.channels
                                              if c in strat.CHANNELS) or empty,
                      kpis=kpis or empty))
        if direction.actions:
            text_table(
                pd.DataFrame(list(direction.actions)).assign(
                    action=lambda f: [plain_markdown(v) for v in f["action"]],
                    owner=lambda f: [plain_markdown(v) for v in f["owner"]],
                ),
                {"action": t("s4_4.col.action"), "owner": t("s4_4.col.owner"), "due": t("s4_4.col.due")},
                nowrap=("owner", "due"), min_widths={"action": "18em"},
            )


# ---- two groups side by side ---------------------------------------------------------------------------------------


def _compare(submissions: Sequence[Submission], groups: Sequence[classroom.GroupStatus]) -> None:
    exercise = _pick_exercise("board_compare_exercise")
    having = [g.group for g in groups if g.has(exercise)]
    if len(having) < 2:
        st.info(t("board.compare.too_few", activity=instructor.activity_label(exercise)), icon=":material/info:")
        return
    left, right = st.columns(2, gap="large")
    with left:
        first = _pick_group(t("board.compare.first"), having, "board_compare_a", 0)
    with right:
        second = _pick_group(t("board.compare.second"), having, "board_compare_b", 1)
    a = classroom.current(submissions, first, exercise)
    b = classroom.current(submissions, second, exercise)
    assert a is not None and b is not None
    if exercise == exercises.EXERCISE2_ID:
        for column, found in zip(st.columns(2, gap="large"), (a, b), strict=True):
            with column:
                st.markdown(f"### {plain_markdown(found.group)}")
                show_exercise2(found.payload)
        return
    compared = classroom.compare_exercise1(a, b, lang())
    for pair in compared.schemes:
        with st.container(border=True):
            st.markdown(f"**{pair.name}**" + ("" if pair.shared else " · " + t("board.compare.only", group=(
                plain_markdown(first) if pair.params[0] is not None else plain_markdown(second)))))
            for column, group, params in zip(st.columns(2, gap="large"), (first, second), pair.params, strict=True):
                column.caption(f"{plain_markdown(group)}：{params}" if lang() == "zh" and params
                               else f"{plain_markdown(group)}: {params}" if params
                               else t("board.compare.not_used", group=plain_markdown(group)))
            if pair.tiers:
                # one column per group, each cell the tier's customers and the group's service line for it
                frame = pd.DataFrame({
                    "tier": [plain_markdown(p.tier) for p in pair.tiers],
                    "first": [_pair_cell(p, 0) for p in pair.tiers],
                    "second": [_pair_cell(p, 1) for p in pair.tiers],
                })
                text_table(frame, {"tier": t("tiers.col.tier"), "first": plain_markdown(first),
                                   "second": plain_markdown(second)},
                           nowrap=("tier",), min_widths={"first": "11em", "second": "11em"})
    st.markdown(f"**{t('board.compare.reflections')}**")
    for column, group, text in zip(st.columns(2, gap="large"), (first, second), compared.reflections, strict=True):
        with column, st.container(border=True):
            st.markdown(f"**{plain_markdown(group)}**")
            st.markdown(plain_markdown(text) if text else t("s3_5.summary_empty"))


def _pair_cell(pair: classroom.TierPair, side: int) -> str:
    customers, service = pair.customers[side], pair.service[side]
    if customers is None:
        return "—"
    return t("board.compare.cell", customers=f"{customers:,}", service=plain_markdown(service) if service else "—")


# ---- which schemes the class chose ---------------------------------------------------------------------------------


def _schemes(submissions: Sequence[Submission]) -> None:
    choices = classroom.scheme_choices(submissions)
    handed = sum(1 for s in submissions if s.exercise == exercises.EXERCISE_ID)
    if not handed:
        st.info(t("board.schemes.none"), icon=":material/info:")
        return
    language = lang()
    names = [SCHEMES[c.scheme_id].name(language) for c in choices]
    counts = [len(c.groups) for c in choices]
    key = hashlib.sha256(repr((language, names, counts)).encode()).hexdigest()
    figure = memo("board.schemes", key, lambda: _scheme_figure(names, counts, handed))
    st.plotly_chart(figure, width="stretch", config={"displayModeBar": False})
    separator = t("board.list_separator")
    lines = [f"- **{name}**：{separator.join(plain_markdown(g) for g in c.groups)}" if language == "zh"
             else f"- **{name}**: {separator.join(plain_markdown(g) for g in c.groups)}"
             for name, c in zip(names, choices, strict=True) if c.groups]
    st.markdown("\n".join(lines))


def _scheme_figure(names: list[str], counts: list[int], handed: int) -> go.Figure:
    texts = [t("board.schemes.bar_text", n=n, share=charts.percent(n / handed, 0)) for n in counts]
    most = max(counts) if counts else 0
    figure = charts.bars(names, counts, texts, highlight=[n == most and n > 0 for n in counts],
                         title=t("board.schemes.title", n=handed), value_title=t("board.schemes.axis"))
    # whole groups on the axis, and room to the right of the longest bar for its "2 组（100%）"
    return figure.update_xaxes(range=[0, max(most, 1) * 1.45], tick0=0, dtick=max(1, math.ceil(most / 6)))


# ---- the 1.1 poll --------------------------------------------------------------------------------------------------


def show_poll(answers: poll.PollResult) -> None:
    if not answers.respondents:
        st.info(t("board.poll.none"), icon=":material/info:")
        return
    digest = hashlib.sha256(repr((lang(), answers)).encode()).hexdigest()
    radar = memo("board.poll.radar", digest, lambda: poll_views.class_radar(answers))
    spread = memo("board.poll.distribution", digest, lambda: poll_views.distribution(answers))
    # one under the other: side by side, a radar in half of a 1024-px page is too small to read
    figures = st.columns(3)
    figures[0].metric(t("board.live.poll"), f"{answers.respondents:,}")
    for column, group in zip(figures[1:], ("pain", "market"), strict=True):
        value = answers.group_mean(group)
        column.metric(t(f"s1.check.mean_{group}"), "—" if value is None else f"{value:.1f}")
    st.plotly_chart(radar, width="stretch", config={"displayModeBar": False})
    st.plotly_chart(spread, width="stretch", config={"displayModeBar": False})


# ---- the class workbook --------------------------------------------------------------------------------------------


def _export(code: str, groups: Sequence[classroom.GroupStatus]) -> None:
    language = lang()
    st.caption(t("board.export.help", n=len(groups)))

    def build() -> bytes:
        # Runs when the button is pressed (on its own thread): the class as it is at that moment.
        current = saving.with_store(lambda store: store.submissions(code))
        return class_export.class_workbook(code, current, language)

    st.download_button(
        t("board.export.button"), data=build, file_name=class_export.class_filename(code, language),
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", type="primary",
        icon=":material/download:", key="board_export", on_click="ignore",
    )
