"""1.1 难题自测: rate the outline's four pain questions and four market changes; radar; where to start."""

from __future__ import annotations

import streamlit as st

from ui import charts, poll_views
from ui.frame import footer, header
from ui.layout import flow_columns
from ui.state import lang, memo, module_values, save_values, t
from workbook import course, i18n, self_check

PAGE = "s1_1"
DEFAULTS = {"ratings": {}, "note": "", "my_value": "", "needs": []}
NOTE_KEY = f"{PAGE}_note"
VALUE_KEY = f"{PAGE}_my_value"


def _rating_key(item_id: str) -> str:
    return f"{PAGE}_rate_{item_id}"


def _saved_ratings() -> dict[str, int]:
    return self_check.clean_ratings(module_values(PAGE, DEFAULTS)["ratings"])


def _save_rating(item_id: str) -> None:
    ratings = _saved_ratings()
    value = st.session_state.get(_rating_key(item_id))
    if value is None:
        ratings.pop(item_id, None)
    else:
        ratings[item_id] = int(value)
    save_values(PAGE, ratings=ratings)


def _save_note() -> None:
    save_values(PAGE, note=str(st.session_state.get(NOTE_KEY) or ""))


def _save_value() -> None:
    save_values(PAGE, my_value=str(st.session_state.get(VALUE_KEY) or ""))


def _needs_key(question: str) -> str:
    return f"{PAGE}_needs_{question}"


def _save_needs() -> None:
    save_values(PAGE, needs=[q for q in self_check.NEEDS_QUESTIONS if st.session_state.get(_needs_key(q))])


def _clear() -> None:
    save_values(PAGE, ratings={})
    for item in self_check.ITEMS:
        st.session_state.pop(_rating_key(item.id), None)


def _module_title(module_id: str) -> str:
    nav_key = f"nav.{module_id}"
    return t(nav_key) if i18n.has_key(nav_key) else t(f"s1.check.module.{module_id}")


header(PAGE)
saved = _saved_ratings()
# Widget values start from the workspace, so answers survive leaving the page and coming back.
for item in self_check.ITEMS:
    if _rating_key(item.id) not in st.session_state:
        st.session_state[_rating_key(item.id)] = saved.get(item.id)
if NOTE_KEY not in st.session_state:
    st.session_state[NOTE_KEY] = module_values(PAGE, DEFAULTS)["note"]

st.info(t("s1.check.intro"), icon=":material/edit_note:")
for group, column in zip(self_check.GROUPS, st.columns(2, gap="large"), strict=True):
    with column:
        st.subheader(t(f"s1.check.group.{group}"))
        st.caption(t(f"s1.check.scale.{group}"))
        for item in self_check.items_in(group):
            st.segmented_control(
                t(item.text_key),
                options=self_check.RATINGS,
                key=_rating_key(item.id),
                on_change=_save_rating,
                args=(item.id,),
            )

ratings = _saved_ratings()
st.divider()
# Side by side where the radar keeps its labels and a readable drawing area; stacked on a 1024 px projector.
chart_column, focus_column = flow_columns(2, min_width=420)
with chart_column:
    values = self_check.radar_values(ratings)
    # Building a Plotly figure costs ~20 ms: keep it per session until the ratings or the language change.
    figure = memo("s1_1.radar", (lang(), tuple(values)), lambda: charts.radar(
        [t(item.short_key) for item in self_check.ITEMS],
        [(t("s1.check.radar_name"), values)],
        title=t("s1.check.radar_title"),
    ))
    st.plotly_chart(figure, width="stretch")
with focus_column:
    st.caption(t("s1.check.answered", n=self_check.answered(ratings), total=len(self_check.ITEMS)))
    mean_columns = st.columns(2)
    for group, column in zip(self_check.GROUPS, mean_columns, strict=True):
        mean = self_check.group_mean(ratings, group)
        column.metric(t(f"s1.check.mean_{group}"), t("s1.check.no_mean") if mean is None else f"{mean:.1f}")
    st.subheader(t("s1.check.focus_title"))
    picks = self_check.focus(ratings)
    if not ratings:
        st.write(t("s1.check.focus_none"))
    elif not picks:
        st.success(t("s1.check.focus_low"))
    for pick in picks:
        title = _module_title(pick.module_id)
        with st.container(border=True):
            st.markdown(t("s1.check.focus_item", title=title, why=t(f"s1.check.why.{pick.module_id}")))
            items = [t(self_check.ITEM_BY_ID[item_id].short_key) for item_id in pick.because]
            st.caption(t("s1.check.focus_because", items=t("s1.list_sep").join(items)))
            entry = next((p for p in course.PAGES if p.id == pick.module_id), None)
            if entry is not None:
                st.page_link(entry.file, label=t("s1.check.open", title=title), icon=":material/arrow_forward:")
            else:
                st.caption(t("s1.check.later"))
    if picks:
        st.caption(t("s1.check.focus_rule"))

# ---- the class poll: send one's ratings, then see them beside the class's -------------------------------------------
poll_views.send_panel(ratings)

# ---- 一.1.(3) 先让自己拥有价值 and 一.1.(6)–(7) 营销是否满足客户的真实需求 ---------------------------------------
values = module_values(PAGE, DEFAULTS)
with st.container(border=True):
    st.subheader(t("s1.check.value.title"))
    st.markdown(t("s1.check.value.body"))
    if VALUE_KEY not in st.session_state:
        st.session_state[VALUE_KEY] = str(values["my_value"] or "")
    st.text_area(t("s1.check.value.prompt"), key=VALUE_KEY, on_change=_save_value,
                 placeholder=t("s1.check.value.placeholder"), height=80)

with st.container(border=True):
    st.subheader(t("s1.check.needs_title"))
    st.markdown(t("s1.check.needs_intro"))
    yes = self_check.clean_needs(values["needs"])
    for question in self_check.NEEDS_QUESTIONS:
        if _needs_key(question) not in st.session_state:
            st.session_state[_needs_key(question)] = question in yes
        st.checkbox(t(f"s1.check.needs.{question}"), key=_needs_key(question), on_change=_save_needs)
    level = self_check.needs_level(yes)
    message = t(f"s1.check.needs_level.{level}", n=len(yes), total=len(self_check.NEEDS_QUESTIONS))
    {"good": st.success, "partial": st.info, "weak": st.warning}[level](message)
    st.markdown(t("s1.check.needs_case"))
    st.caption(t("frame.illustrative"))

st.text_area(t("s1.check.note_label"), key=NOTE_KEY, on_change=_save_note,
             placeholder=t("s1.check.note_placeholder"), height=90)
st.button(t("s1.check.clear"), on_click=_clear, icon=":material/restart_alt:", key=f"{PAGE}_clear")

footer(PAGE)
