"""2.2 时间杠杆：一对多经营: the trainee's weekly hours (from 1.3), what one-to-one service of each group would take
(tiers of a segmentation with 3.4's service hours, or groups with a shared need from the need rules), events that
serve a group at once, the hours they save and what those hours are worth, and an event calendar per group."""

from __future__ import annotations

import datetime
from typing import Any

import pandas as pd
import streamlit as st

from ui import charts, leverage_views, profit_settings
from ui import segment_views as segments
from ui.frame import footer, header
from ui.state import book_memo, lang, memo, module_values, save_values, t
from ui.tier_views import grouped_bars, params_key, text_table
from workbook import bottleneck, kyc, services
from workbook import leverage as lv
from workbook.money import money_text, wan_cell, yuan_cell
from workbook.schema import field_label
from workbook.segmentation import SCHEME_IDS, SCHEMES

PAGE = "s2_2"
SOURCES: tuple[str, ...] = ("tier", "need")
DEFAULTS: dict[str, Any] = {
    "weekly_hours": None,  # None: from 1.3
    "source": "tier",
    "scheme": None,  # None: the scheme chosen on 3.2
    "groups": {},  # group key -> the trainee's edits (leverage.group_overrides)
    "formats": {},  # format code -> the trainee's numbers (capacity, hours_per_event, follow_up_hours, cost)
}


def _values() -> dict[str, Any]:
    return module_values(PAGE, DEFAULTS)


def _key(name: str) -> str:
    return f"{PAGE}_{name}"


def _save_widget(name: str, widget: str) -> None:
    save_values(PAGE, **{name: st.session_state.get(widget)})


def _set(widget: str, value: Any) -> None:
    st.session_state[widget] = value  # the workspace is the source of truth on every run


def _rows_height(rows: int) -> int:
    """An editor's height that shows every group without an inner scroll bar (Streamlit rows are 35 px)."""
    return 35 * (rows + 1) + 3


def _hours(value: float) -> str:
    """Hours to a tenth without a needless ".0" (29, 15, 7.5)."""
    text = f"{value:,.1f}"
    return text[:-2] if text.endswith(".0") else text


header(PAGE)
language = lang()
values = _values()
separator = t("common.list_sep")

# ---- the week ---------------------------------------------------------------------------------------------------
st.subheader(t("s2_2.week_title"))
s1_3 = module_values("s1_3")
from_s1_3 = bool(s1_3.get("stages"))
stage_hours = lv.weekly_hours(s1_3.get("stages") or bottleneck.default_rows())
week_column, note_column = st.columns([1, 2])
_set(_key("weekly_hours"), float(values["weekly_hours"]) if values["weekly_hours"] is not None else stage_hours)
weekly = week_column.number_input(t("s2_2.weekly_hours"), min_value=0.0, max_value=100.0, step=1.0, format="%g",
                                  key=_key("weekly_hours"), on_change=_save_widget,
                                  args=("weekly_hours", _key("weekly_hours")))
with note_column:
    if values["weekly_hours"] is not None:
        st.caption(t("s2_2.weekly_own", hours=f"{stage_hours:g}", page=t("nav.s1_3")))
    else:
        st.caption(t("s2_2.weekly_from_s1_3" if from_s1_3 else "s2_2.weekly_default", page=t("nav.s1_3")))

# ---- the groups -----------------------------------------------------------------------------------------------
st.subheader(t("s2_2.groups_title"))
_set(_key("source"), values["source"] if values["source"] in SOURCES else "tier")
source = st.radio(t("s2_2.source_label"), SOURCES, key=_key("source"), horizontal=True,
                  format_func={s: t(f"s2_2.source.{s}") for s in SOURCES}.__getitem__, on_change=_save_widget,
                  args=("source", _key("source")))

specs: list[lv.GroupSpec] = []
labels: dict[str, str] = {}
if source == "need":
    groups = book_memo("s2_2.need_groups", lambda frame: kyc.need_groups(frame, kyc.book_needs(frame)))
    specs = lv.need_group_specs(groups)
    labels = {spec.key: kyc.CATEGORIES[spec.code].label(language) for spec in specs}
    st.caption(t("s2_2.need_help"))
    if not specs:
        missing = book_memo("s2_2.missing", kyc.missing_kyc_fields)
        st.info(t("s2_2.no_need_groups", fields=separator.join(field_label(f, language) for f in missing))
                if missing else t("s2_2.no_need_groups_data"), icon=":material/info:")
        source = "tier"
if source == "tier":
    chosen = values["scheme"] or segments.saved().get("scheme") or "aum"
    _set(_key("scheme"), chosen if chosen in SCHEME_IDS else "aum")
    scheme_id = st.selectbox(t("s2_2.scheme"), SCHEME_IDS, key=_key("scheme"),
                             format_func=lambda s: SCHEMES[s].name(language), on_change=_save_widget,
                             args=("scheme", _key("scheme")))
    detail, _params = segments.trainee_segmentation(scheme_id)
    counts = detail.tiers.value_counts()
    codes = [tier.code for tier in detail.tier_list]
    service_rows = services.matrix_rows(scheme_id, codes, language,
                                        module_values("s3_4", {"overrides": {}})["overrides"].get(scheme_id))
    hours_by_tier = {row["tier"]: float(row["hours"]) for row in service_rows}
    specs = lv.tier_groups(scheme_id, codes, {c: int(counts.get(c, 0)) for c in codes}, hours_by_tier)
    tier_labels = detail.labels(language)
    labels = {spec.key: tier_labels[spec.code] for spec in specs}
    st.caption(t("s2_2.tier_help", page=t("nav.s3_4")))

formats = {code: lv.format_with(code, values["formats"].get(code)) for code in lv.FORMATS}
spec_by_key = {spec.key: spec for spec in specs}
group_keys = [spec.key for spec in specs]


def _plans(edits: dict[str, Any]) -> tuple[list[lv.GroupPlan], dict[str, float]]:
    built = [lv.group_plan(spec, edits.get(spec.key), formats) for spec in specs]
    return [plan for plan, _ in built], {plan.key: suggested for plan, suggested in built}


def _keep(editor_key: str, columns: tuple[str, ...]) -> None:
    """The cells the trainee edited in a group table (the editor's ``edited_rows``) → the workspace, keeping only
    what differs from the group's start. Cells not edited keep their saved value: a cell that merely shows the
    suggestion must not become an edit when the suggestion moves."""
    saved = _values()["groups"]
    edits: dict[str, dict[str, Any]] = {key: dict(value) for key, value in saved.items()}
    state = st.session_state.get(editor_key) or {}
    for position, cells in (state.get("edited_rows") or {}).items():
        index = int(position)
        if 0 <= index < len(group_keys):
            record = edits.setdefault(group_keys[index], {})
            record.update({name: value for name, value in cells.items() if name in columns})
    kept = {key: value for key, value in edits.items() if key not in spec_by_key and value}
    for key in group_keys:
        record = edits.get(key) or {}
        # What the group starts with given its other values (a new format or share moves the suggestion).
        _plan, suggested = lv.group_plan(spec_by_key[key], record, formats)
        changed = lv.group_overrides(spec_by_key[key], record, suggested)
        if changed:
            kept[key] = changed
    if kept != saved:
        save_values(PAGE, groups=kept)


# ---- one to one ---------------------------------------------------------------------------------------------
st.subheader(t("s2_2.one_to_one_title"))
st.caption(t("s2_2.one_to_one_help"))
plans, suggestions = _plans(values["groups"])
editor_suffix = f"{source}_{'-'.join(group_keys)}_{language}"


def _group_editor(name: str, columns: dict[str, list[Any]], config: dict[str, Any], editable: tuple[str, ...]) -> None:
    """A table of the groups, one row each with its label pinned, whose ``editable`` columns the trainee edits;
    the edits go to the workspace (``_keep``). The key names the groups, so another grouping starts afresh."""
    key = _key(f"{name}_{editor_suffix}")
    frame = pd.DataFrame({"label": [labels[p.key] for p in plans], **columns},
                         index=pd.Index(group_keys, name="group"))
    st.data_editor(frame, height=_rows_height(len(plans)), key=key, hide_index=True, width="stretch",
                   num_rows="fixed", disabled=[column for column in frame.columns if column not in editable],
                   column_config={"label": st.column_config.TextColumn(t("s2_2.col.group"), pinned=True), **config})
    _keep(key, editable)


_group_editor(
    "one",
    {"customers": [p.customers for p in plans], "hours_per_customer": [p.hours_per_customer for p in plans],
     "touch_hours": [p.touch_hours for p in plans]},
    {
        "customers": st.column_config.NumberColumn(t("s2_2.col.customers"), format="%d", width="small"),
        "hours_per_customer": st.column_config.NumberColumn(t("s2_2.col.hours_per_customer"), min_value=0.0,
                                                            step=0.5, format="%g", width="small"),
        "touch_hours": st.column_config.NumberColumn(t("s2_2.col.touch_hours"), min_value=0.25, max_value=8.0,
                                                     step=0.25, format="%g", help=t("s2_2.touch_help"),
                                                     width="small"),
    },
    ("hours_per_customer", "touch_hours"),
)
plans, suggestions = _plans(_values()["groups"])
load_week = sum(p.customers * p.hours_per_customer for p in plans) / lv.WEEKS_PER_YEAR
first, second = st.columns(2)
first.metric(t("s2_2.metric.one_to_one_week"), _hours(load_week))
second.metric(t("s2_2.metric.weekly_hours"), _hours(weekly))
if weekly > 0 and plans:
    st.markdown(t("s2_2.load_share", share=f"{load_week / weekly * 100:,.0f}", hours=_hours(load_week),
                  weekly=_hours(weekly)))
if load_week > weekly:
    st.warning(t("s2_2.over_week", hours=_hours(load_week), weekly=_hours(weekly)), icon=":material/schedule:")

# ---- the event plan ----------------------------------------------------------------------------------------------
st.subheader(t("s2_2.events_title"))
st.caption(t("s2_2.events_help"))
_group_editor(
    "events",
    {"format": [p.format for p in plans], "replaceable_pct": [p.replaceable * 100 for p in plans],
     "suggested": [suggestions[p.key] for p in plans], "events_per_month": [p.events_per_month for p in plans]},
    {
        "format": st.column_config.SelectboxColumn(t("s2_2.col.format"), options=list(lv.FORMATS), required=True,
                                                   format_func=lambda c: lv.FORMATS[c].label(language)),
        "replaceable_pct": st.column_config.NumberColumn(t("s2_2.col.replaceable"), min_value=0.0, max_value=100.0,
                                                         step=5.0, format="%.0f%%", help=t("s2_2.replaceable_help"),
                                                         width="small"),
        "suggested": st.column_config.NumberColumn(t("s2_2.col.suggested"), format="%g",
                                                   help=t("s2_2.suggested_help"), width="small"),
        "events_per_month": st.column_config.NumberColumn(t("s2_2.col.events"), min_value=0.0, max_value=60.0,
                                                          step=lv.EVENT_STEP, format="%g", width="small"),
    },
    ("format", "replaceable_pct", "events_per_month"),
)
saved_groups: dict[str, Any] = _values()["groups"]
plans, suggestions = _plans(saved_groups)

button_column, reset_column = st.columns(2)
if button_column.button(t("s2_2.use_suggested"), key=_key("use_suggested"), icon=":material/auto_fix_high:"):
    kept = {}
    for key, edits in saved_groups.items():
        rest = {k: v for k, v in edits.items() if k != "events_per_month"}
        if rest:
            kept[key] = rest
    save_values(PAGE, groups=kept)
    st.session_state.pop(_key(f"events_{editor_suffix}"), None)
    st.rerun()
if reset_column.button(t("s2_2.reset"), key=_key("reset"), icon=":material/restart_alt:"):
    save_values(PAGE, groups={key: v for key, v in saved_groups.items() if key not in spec_by_key}, formats={})
    for key in [k for k in st.session_state
                if str(k).startswith((_key("one_"), _key("events_"), _key("fmt_")))]:
        st.session_state.pop(key, None)
    st.rerun()

with st.expander(t("s2_2.formats_title"), icon=":material/event:"):
    st.caption(t("s2_2.formats_help"))
    format_frame = pd.DataFrame(
        {
            "label": [lv.FORMATS[c].label(language) for c in lv.FORMATS],
            "capacity": [formats[c].capacity for c in lv.FORMATS],
            "hours_per_event": [formats[c].hours_per_event for c in lv.FORMATS],
            "follow_up_hours": [formats[c].follow_up_hours for c in lv.FORMATS],
            "cost_per_event": [formats[c].cost_per_event for c in lv.FORMATS],
        },
        index=pd.Index(list(lv.FORMATS), name="format"),
    )
    edited_formats = st.data_editor(
        format_frame,
        key=_key(f"fmt_{language}"),
        hide_index=True,
        width="stretch",
        num_rows="fixed",
        disabled=["label"],
        column_config={
            "label": st.column_config.TextColumn(t("s2_2.col.format"), pinned=True),
            "capacity": st.column_config.NumberColumn(t("s2_2.col.capacity"), min_value=1, step=1, format="%d"),
            "hours_per_event": st.column_config.NumberColumn(t("s2_2.col.hours_per_event"), min_value=0.0,
                                                             step=0.5, format="%g"),
            "follow_up_hours": st.column_config.NumberColumn(t("s2_2.col.follow_up"), min_value=0.0, step=0.05,
                                                             format="%g"),
            "cost_per_event": st.column_config.NumberColumn(t("s2_2.col.cost"), min_value=0.0, step=500.0,
                                                            format="%,.0f"),
        },
    )
    for code in lv.FORMATS:
        event_format = lv.FORMATS[code]
        st.caption(t("s2_2.format_about", name=event_format.label(language), about=event_format.about[language]))
    new_formats: dict[str, dict[str, float]] = {}
    for code, record in edited_formats.to_dict("index").items():
        changed_numbers = {}
        for name in lv.FORMAT_FIELDS:
            value = record.get(name)
            if value is not None and pd.notna(value) and float(value) != getattr(lv.FORMATS[str(code)], name):
                changed_numbers[name] = float(value)
        if changed_numbers:
            new_formats[str(code)] = changed_numbers
    if new_formats != values["formats"]:
        try:
            for code, numbers in new_formats.items():
                lv.format_with(code, numbers)  # refuses a capacity of 0 or a negative number, with a message
        except lv.LeverageError as err:
            st.error(err.text(language), icon=":material/error:")
        else:
            save_values(PAGE, formats=new_formats)
            st.rerun()

table = lv.leverage_table(plans, formats) if plans else None

# ---- hours saved -------------------------------------------------------------------------------------------------
st.subheader(t("s2_2.saved_title"))
if table is None:
    st.info(t("s2_2.no_groups"), icon=":material/info:")
    footer(PAGE)
    st.stop()

total = lv.totals(table)
profit_params, from_s1_4 = profit_settings.profit_params()
hourly = profit_params.hourly_cost
# A freed hour is worth its tier's T per manager-hour (4.3); the hourly cost of 1.4 only where that is unknown.
group_tiers = {spec.key: spec.code for spec in specs}
revenue_known = book_memo("s2_2.revenue_known", services.revenue_known)
if source != "tier":
    hour_values = lv.hour_values(group_tiers, None, hourly, lv.NEED_GROUPS)
elif not revenue_known:
    hour_values = lv.hour_values(group_tiers, None, hourly, lv.NO_REVENUE)
else:
    t_per_hour = book_memo(
        "s2_2.t_per_hour", lambda frame, *_: lv.tier_t_per_hour(frame, detail.tiers, profit_params),
        scheme_id, params_key(dict(detail.params)), repr(profit_params))
    hour_values = lv.hour_values(group_tiers, t_per_hour, hourly)
yearly = lv.yearly_values(table, hour_values)
top_left, top_right = st.columns(2)
top_left.metric(t("s2_2.metric.saved_month"), _hours(total.hours_saved))
top_right.metric(t("s2_2.metric.saved_week"), _hours(total.saved_weekly))
bottom_left, bottom_right = st.columns(2)
bottom_left.metric(t("s2_2.metric.after_week"), _hours(total.after_weekly),
                   delta=t("s2_2.metric.before", hours=_hours(total.one_to_one_weekly)), delta_color="off",
                   delta_arrow="off")
bottom_right.metric(t("s2_2.metric.value_year"), money_text(float(yearly.sum()), language))


def _groups_valued(basis: str, reason: str = "") -> list[str]:
    return [labels[key] for key in table.index
            if hour_values[key].basis == basis and (not reason or hour_values[key].reason == reason)]


hourly_text = t("s2_2.value_hourly_from_s1_4" if from_s1_4 else "s2_2.value_hourly_default",
                hourly=money_text(hourly, language), page=t("nav.s1_4"),
                annual=money_text(profit_params.annual_cost, language),
                hours=f"{profit_params.effective_hours:,.0f}")
notes = []
if _groups_valued(lv.VALUE_T):
    notes.append(t("s2_2.value_t", page=t("nav.s4_3")))
if _groups_valued(lv.VALUE_NONE):
    notes.append(t("s2_2.value_none", groups=separator.join(_groups_valued(lv.VALUE_NONE))))
for reason in (lv.NEED_GROUPS, lv.NO_REVENUE, lv.NO_HOURS):
    valued_at_cost = _groups_valued(lv.VALUE_COST, reason)
    if valued_at_cost:
        notes.append(t(f"s2_2.value_cost.{reason}", groups=separator.join(valued_at_cost), page=t("nav.s4_3"),
                       hourly=hourly_text))
st.caption(("" if language == "zh" else " ").join(notes))  # no space between Chinese sentences
if total.hours_saved > 0:
    st.markdown(t("s2_2.saved_means", hours=_hours(total.hours_saved),
                  meetings=f"{total.hours_saved / 1.5:,.0f}", page=t("nav.s1_3")))

results = pd.DataFrame({
    "group": [labels[key] for key in table.index],
    "one_to_one": [_hours(v) for v in table["one_to_one_hours"]],
    "events": [f"{v:g}" for v in table["events_per_month"]],
    "attendees": [f"{v:,.0f}" for v in table["attendees"]],
    "coverage": [f"{v * 100:.0f}%" for v in table["coverage"]],
    "event_hours": [_hours(v) for v in table["event_hours"]],
    "after": [_hours(v) for v in table["hours_after"]],
    "saved": [_hours(v) for v in table["hours_saved"]],
})
st.table(results.rename(columns={name: t(f"s2_2.col.result.{name}") for name in results.columns}),
         hide_index=True, border="horizontal")
worth = pd.DataFrame({
    "group": [labels[key] for key in table.index],
    "basis": [t(f"s2_2.basis.{hour_values[key].basis}") for key in table.index],
    "hour_value": [yuan_cell(hour_values[key].value) for key in table.index],
    "value": [wan_cell(v) for v in yearly],
})
text_table(worth, {name: t(f"s2_2.col.worth.{name}") for name in worth.columns}, nowrap=["group", "basis"])
if total.event_cost > 0:
    st.caption(t("s2_2.event_cost", cost=money_text(total.event_cost, language),
                 year=money_text(total.event_cost * lv.MONTHS_PER_YEAR, language)))
losing = [labels[key] for key in table.index if table.at[key, "hours_saved"] < -1e-9]
if losing:
    st.warning(t("s2_2.losing", groups=separator.join(losing)), icon=":material/warning:")

hours_key = (language, tuple(labels[key] for key in table.index), tuple(table["one_to_one_hours"]),
             tuple(table["hours_after"]))
hours_figure = memo("s2_2.hours_chart", hours_key, lambda: grouped_bars(
    [labels[key] for key in table.index],
    [
        (t("s2_2.chart.before"), table["one_to_one_hours"].tolist(), [_hours(v) for v in table["one_to_one_hours"]]),
        (t("s2_2.chart.after"), table["hours_after"].tolist(), [_hours(v) for v in table["hours_after"]]),
    ],
    y_title=t("s2_2.chart.axis"),
    height=420,
    colours=(charts.NEUTRAL, charts.PALETTE[1]),
))
st.plotly_chart(hours_figure, width="stretch", key=_key("hours_chart"))

# ---- the calendar ----------------------------------------------------------------------------------------------
st.subheader(t("s2_2.calendar_title"))
today = datetime.date.today()
start_month = today.month % 12 + 1  # from next month
st.caption(t("s2_2.calendar_help"))
themes = {spec.key: spec.defaults.themes for spec in specs}
calendar = lv.event_calendar(plans, themes, start_month=start_month)
month_names = t("s2_2.months").split(",")
month_label = {offset: month_names[(start_month - 1 + offset) % 12] for offset in range(lv.MONTHS_PER_YEAR)}
if calendar.empty:
    st.info(t("s2_2.calendar_empty"), icon=":material/event_busy:")
else:
    event_text = [t("s2_2.calendar_event", format=lv.FORMATS[r["format"]].label(language),
                    theme=lv.THEMES[r["theme"]].label(language) if r["theme"] else "")
                  for r in calendar.to_dict("records")]
    calendar_key = (language, start_month, tuple(labels[p.key] for p in plans),
                    tuple(map(tuple, calendar.to_numpy().tolist())))
    calendar_figure = memo("s2_2.calendar", calendar_key, lambda: leverage_views.calendar_grid(
        calendar, [p.key for p in plans], labels, [month_label[offset] for offset in range(lv.MONTHS_PER_YEAR)],
        event_text))
    st.plotly_chart(calendar_figure, width="stretch", key=_key("calendar_chart"))
    st.caption(t("s2_2.calendar_counts"))
    with_events = [p.key for p in plans if (calendar["group"] == p.key).any()]
    chosen_group = st.selectbox(t("s2_2.calendar_group"), with_events, key=_key("calendar_group"),
                                format_func=lambda key: labels[key])
    rows = calendar[calendar["group"] == chosen_group]
    detail_rows = []
    for offset in sorted(int(o) for o in rows["offset"].unique()):
        lines = [event_text[position] for position in rows.index[rows["offset"] == offset]]
        detail_rows.append({"month": month_label[offset], "events": "\n".join(lines)})
    text_table(pd.DataFrame(detail_rows), {"month": t("s2_2.col.month"), "events": t("s2_2.col.calendar_events")},
               nowrap=["month"], line_breaks=["events"])

footer(PAGE)
