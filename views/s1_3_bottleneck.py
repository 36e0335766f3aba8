"""1.3 核心瓶颈突破五步法: the trainee's sales stages, each stage's capacity in deals/week, the constraint,
the worksheet for steps 2–5 and the elevate what-if (the constraint moves: step 5)."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import streamlit as st

from ui import charts
from ui.editors import editor_start, restart_editor
from ui.frame import footer, header
from ui.layout import flow_columns, metric_row
from ui.state import lang, memo, module_values, save_values, t
from workbook import bottleneck as neck

PAGE = "s1_3"
DEFAULTS: dict[str, Any] = {
    "stages": neck.default_rows(),
    "actions": {},
    "elevate_pct": neck.DEFAULT_ELEVATION * 100,
    "next_focus": "",
}
EDITOR = f"{PAGE}_editor"  # the stage table (ui.editors: its key and the rows it starts from)
ELEVATE_KEY = f"{PAGE}_elevate_pct"
NEXT_KEY = f"{PAGE}_next_focus"


def _values() -> dict[str, Any]:
    return module_values(PAGE, DEFAULTS)


def _kind_label(kind: str) -> str:
    return t(f"s1.neck.kind.{kind if kind in neck.STAGE_KINDS else 'other'}")


def _stage_name(stage: neck.Stage) -> str:
    return stage.name or _kind_label(stage.kind)


def _editor_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """The rows as the editor shows them: a blank name shows the stage type's name in this language."""
    frame = pd.DataFrame(rows, columns=list(neck.ROW_FIELDS))
    frame["name"] = [str(row.get("name") or "") or _kind_label(str(row.get("kind"))) for row in rows]
    frame["kind"] = frame["kind"].astype("object")
    for column in ("weekly_hours", "hours_per_customer", "pass_pct"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    return frame


def _rows_from_editor(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Plain JSON rows for the workspace; a name equal to its type's label is stored blank (so it translates)."""
    rows: list[dict[str, Any]] = []
    for record in frame.to_dict("records"):
        kind = record.get("kind") if record.get("kind") in neck.STAGE_KINDS else "other"
        name = record.get("name")
        name = "" if not isinstance(name, str) or name.strip() in ("", _kind_label(kind)) else name.strip()
        row: dict[str, Any] = {"kind": kind, "name": name}
        for column in ("weekly_hours", "hours_per_customer", "pass_pct"):
            value = record.get(column)
            row[column] = None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)
        rows.append(row)
    return rows


def _reset() -> None:
    save_values(PAGE, stages=neck.default_rows())
    restart_editor(EDITOR)


def _save_action(step: str, key: str) -> None:
    actions = dict(_values()["actions"])
    actions[step] = str(st.session_state.get(key) or "")
    save_values(PAGE, actions=actions)


def _save_plain(name: str, key: str) -> None:
    save_values(PAGE, **{name: st.session_state.get(key)})


def _init(key: str, value: Any) -> None:
    if key not in st.session_state:
        st.session_state[key] = value


def _deals(value: float) -> str:
    """Deals a week to two decimals without needless zeros (2.67, 2.5, 3)."""
    if math.isinf(value):
        return "∞"
    text = f"{value:,.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _deals_chart(result: neck.Analysis, names: list[str], title: str) -> Any:
    """Deals/week per stage, the constraint in red, the throughput as a line (a stage that never gets flow
    after the deal has no finite bar)."""
    plotted = [None if math.isinf(r.deals_capacity) else r.deals_capacity for r in result.results]
    return charts.bars(
        names, plotted, [_deals(r.deals_capacity) for r in result.results],
        highlight=[i == result.constraint for i in range(len(names))],
        line=result.throughput, line_label=t("s1.neck.throughput_line", value=_deals(result.throughput)),
        title=title, value_title=t("s1.neck.axis_deals"),
    )


def _trimmed(hours: float) -> str:
    """Hours to one decimal, without a needless ".0" (29 hours, 4.5 hours)."""
    text = f"{hours:,.1f}"
    return text[:-2] if text.endswith(".0") else text


def _subordinate_block(stages: tuple[neck.Stage, ...], names: list[str]) -> None:
    """Step 3 as a number: the same hours rebalanced, before any extra hour."""
    result = neck.subordinate(stages)
    if result.throughput_gain <= 1e-9:
        st.info(t("s1.neck.subordinate_none"))
        return
    st.markdown(t("s1.neck.subordinate_result", total=_trimmed(sum(result.hours_before)),
                  moved=_trimmed(result.hours_moved), before=_deals(result.before.throughput),
                  after=_deals(result.after.throughput), gain=charts.percent(result.gain_share, 0)))
    st.dataframe(pd.DataFrame({
        t("s1.neck.col.name"): names,
        t("s1.neck.col.hours_now"): result.hours_before,
        t("s1.neck.col.hours_rebalanced"): result.hours_after,
        t("s1.neck.col.hours_change"): result.moved,
    }), hide_index=True, width="stretch", column_config={
        t("s1.neck.col.hours_now"): st.column_config.NumberColumn(format="%.1f"),
        t("s1.neck.col.hours_rebalanced"): st.column_config.NumberColumn(format="%.1f"),
        t("s1.neck.col.hours_change"): st.column_config.NumberColumn(format="%+.1f"),
    })
    st.caption(t("s1.neck.subordinate_note"))


header(PAGE)
language = lang()
values = _values()

# The five steps on one line (each is explained where the worksheet reaches it), so the table is on the first screen.
st.markdown(" → ".join(f"**{t(f's1.neck.step.{step}.title')}**" for step in neck.STEPS))

# ---- the stage table -------------------------------------------------------------------------------------
st.header(t("s1.neck.table_title"))
st.caption(t("s1.neck.table_help"))
editor_key, start_rows = editor_start(EDITOR, language, lambda: values["stages"])
edited = st.data_editor(
    _editor_frame(start_rows),
    key=editor_key,
    num_rows="dynamic",
    hide_index=True,
    width="stretch",
    # The numbers a trainee types come first; the stage type (which only picks the suggestions) last, so on a
    # projector the pass rate is never the column scrolled out of sight.
    column_order=["name", "weekly_hours", "hours_per_customer", "pass_pct", "kind"],
    column_config={
        "name": st.column_config.TextColumn(t("s1.neck.col.name"), help=t("s1.neck.help.name"), width="small"),
        "kind": st.column_config.SelectboxColumn(t("s1.neck.col.kind"), options=list(neck.STAGE_KINDS),
                                                 format_func=_kind_label, default="other", required=True),
        # "localized": 3, 7.5, 0.05, 1.5 hours without needless zeros
        "weekly_hours": st.column_config.NumberColumn(t("s1.neck.col.weekly_hours"), min_value=0.0, step=0.5,
                                                      format="localized", help=t("s1.neck.help.weekly_hours")),
        "hours_per_customer": st.column_config.NumberColumn(t("s1.neck.col.hours_per_customer"), min_value=0.01,
                                                            step=0.05, format="localized",
                                                            help=t("s1.neck.help.hours_per_customer")),
        "pass_pct": st.column_config.NumberColumn(t("s1.neck.col.pass_pct"), min_value=0.0, max_value=100.0,
                                                  step=1.0, format="%.0f%%", help=t("s1.neck.help.pass_pct")),
    },
)
rows = _rows_from_editor(edited)
if rows != values["stages"]:
    save_values(PAGE, stages=rows)
st.button(t("s1.neck.reset"), on_click=_reset, icon=":material/restart_alt:", key=f"{PAGE}_reset")
with st.expander(t("s1.neck.convention_title"), icon=":material/info:"):
    st.markdown(t("s1.neck.convention"))

stages, issues = neck.stages_from_rows(rows)
for issue in issues:
    st.warning(t(f"s1.neck.issue.{issue.problem}", row=issue.row + 1))
if not stages:
    st.error(t("s1.neck.no_stages"))
    footer(PAGE)
    st.stop()

analysis = neck.analyse(stages)
names = [_stage_name(result.stage) for result in analysis.results]
constraint_name = names[analysis.constraint]
if analysis.deal_stage_assumed:
    st.info(t("s1.neck.deal_assumed", name=names[analysis.deal_index]))

# ---- step 1: identify ------------------------------------------------------------------------------------
st.header(t("s1.neck.identify_title"))
# The constraint's name takes two columns: "Present a proposal" does not fit a quarter of a projector's page.
metric_columns = metric_row(4, spans=(2, 1, 1, 1))
metric_columns[0].metric(t("s1.neck.constraint_metric"), constraint_name)
metric_columns[1].metric(t("s1.neck.throughput_metric"), _deals(analysis.throughput))
metric_columns[2].metric(t("s1.neck.throughput_month"), _trimmed(analysis.throughput_per_month))
metric_columns[3].metric(t("s1.neck.idle_metric"), _trimmed(analysis.idle_hours_elsewhere))
if analysis.is_tie:
    st.warning(t("s1.neck.tie", n=len(analysis.tied), names=t("s1.list_sep").join(names[i] for i in analysis.tied)))
st.markdown(t("s1.neck.identify_note", name=constraint_name, value=_deals(analysis.throughput)))

chart_column, note_column = flow_columns(2, min_width=420)  # the note under the chart on a projector
with note_column:
    idle = analysis.results[analysis.most_idle]
    st.markdown(t("s1.neck.table_note", name=names[analysis.most_idle], hours=f"{idle.idle_hours:,.1f}",
                  constraint=constraint_name))
with chart_column:
    figure = memo("s1_3.chart", (language, stages),
                  lambda: _deals_chart(analysis, names, t("s1.neck.chart_title")))
    st.plotly_chart(figure, width="stretch")
# The per-stage table, full width so every column reads.
table = pd.DataFrame({
    t("s1.neck.col.name"): names,
    t("s1.neck.col.capacity"): [r.capacity for r in analysis.results],
    t("s1.neck.col.deals"): [r.deals_capacity for r in analysis.results],
    t("s1.neck.col.utilisation"): [r.utilisation_pct for r in analysis.results],
    t("s1.neck.col.idle_hours"): [r.idle_hours for r in analysis.results],
    t("s1.neck.col.is_constraint"): [i == analysis.constraint for i in range(len(names))],
})
st.dataframe(
    table, hide_index=True, width="stretch",
    column_config={
        t("s1.neck.col.capacity"): st.column_config.NumberColumn(format="%.1f"),
        t("s1.neck.col.deals"): st.column_config.NumberColumn(format="%.2f"),
        # whole percent points for every stage (format="percent" gave 41.67% beside 75%)
        t("s1.neck.col.utilisation"): st.column_config.ProgressColumn(format="%.0f%%", min_value=0.0,
                                                                      max_value=100.0),
        t("s1.neck.col.idle_hours"): st.column_config.NumberColumn(format="%.1f"),
    },
)

# ---- steps 2–5: the worksheet ------------------------------------------------------------------------------
st.header(t("s1.neck.worksheet_title"))
saved_actions = values["actions"]
constraint_kind = analysis.constraint_stage.kind
for step in neck.ACTION_STEPS:
    with st.container(border=True):
        st.subheader(t(f"s1.neck.step.{step}.title"))
        st.caption(t(f"s1.neck.step.{step}.body"))
        suggest_column, mine_column = st.columns([1, 1], gap="large")
        with suggest_column:
            st.markdown(t("s1.neck.suggest", name=constraint_name))
            st.markdown(t(neck.action_key(constraint_kind, step)))
        with mine_column:
            key = f"{PAGE}_action_{step}"
            _init(key, str(saved_actions.get(step, "")))
            st.text_area(t("s1.neck.my_action"), key=key, on_change=_save_action, args=(step, key),
                         placeholder=t("s1.neck.my_action_placeholder"), height=110)
        if step == "subordinate":
            _subordinate_block(stages, names)
        if step == "elevate":
            _init(ELEVATE_KEY, float(values["elevate_pct"]))
            pct = st.slider(t("s1.neck.elevate_slider", name=constraint_name), min_value=0.0, max_value=200.0,
                            step=5.0, format="%.0f%%", key=ELEVATE_KEY, on_change=_save_plain,
                            args=("elevate_pct", ELEVATE_KEY))
            lift = neck.elevate_pct(stages, pct)
            after_names = [_stage_name(result.stage) for result in lift.after.results]
            st.markdown(t(
                "s1.neck.elevate_result", before=_deals(lift.before.throughput), after=_deals(lift.after.throughput),
                gain=("+" if lift.throughput_gain >= 0 else "") + _deals(lift.throughput_gain),
                hours=f"{lift.extra_hours:,.1f}",
                per0=f"{lift.before.results[lift.stage_index].stage.hours_per_customer:,.2f}",
                per1=f"{lift.hours_per_customer_after:,.2f}",
            ))
            after_figure = memo("s1_3.after", (language, stages, pct),
                                lambda lift=lift, names=after_names: _deals_chart(lift.after, names,
                                                                                  t("s1.neck.elevate_chart")))
            st.plotly_chart(after_figure, width="stretch")

with st.container(border=True):
    st.subheader(t("s1.neck.step.repeat.title"))
    new_name = after_names[lift.after.constraint]
    if lift.constraint_moved:
        st.success(t("s1.neck.moved", name=new_name))
    else:
        st.info(t("s1.neck.not_moved", name=new_name))
    _init(NEXT_KEY, str(values["next_focus"]))
    st.text_area(t("s1.neck.next_focus"), key=NEXT_KEY, on_change=_save_plain, args=("next_focus", NEXT_KEY),
                 placeholder=t("s1.neck.my_action_placeholder"), height=90)
st.caption(t("s1.neck.no_book_needed"))

footer(PAGE)
