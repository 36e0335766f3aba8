"""4.4 练习二：核心经营客户方向与策略 — each member picks a core customer direction (one tier of one of the group's
segmentations), sees the evidence from the data, carries the segment's strategy from 4.2 and writes 90-day actions
with owners and dates; submitting is blocked with the list of what is missing, then the aggregates-only payload goes
to the classroom database with a receipt — the submit flow of 3.5 (``ui.exercise_views``)."""

import json
from datetime import date

import pandas as pd
import streamlit as st

from ui import charts, profit_settings, section4
from ui import exercise_views as submit_flow
from ui import segment_views as views
from ui.frame import footer, header
from ui.state import active_book, book_memo, lang, module_values, save_values, t
from ui.tier_views import params_key, plain_markdown, text_table
from workbook import exercises, ladder
from workbook import strategy as strat
from workbook.money import money_text
from workbook.segmentation import INSUFFICIENT, SCHEME_IDS, SCHEMES, SchemeParamError

PAGE = "s4_4"
EXERCISE = submit_flow.Exercise(PAGE, exercises.EXERCISE2_ID, texts="s4_4")
DEFAULTS = {"group": None, "members": None, "start": None, "directions": {}, "submission": None,
            "submitted_at": None, "receipt": None}

header(PAGE)
language = lang()
book = active_book()
saved = module_values(PAGE, DEFAULTS)
exercise1 = module_values("s3_5", {"group": "", "members": "", "schemes": None})
profit_params, _ = profit_settings.profit_params()
separator = t("common.list_sep")

# ---- the group: the same people as in exercise 1 unless they say otherwise -----------------------------------------
group, members = submit_flow.group_fields(
    EXERCISE, saved["group"] if saved["group"] is not None else exercise1["group"],
    saved["members"] if saved["members"] is not None else exercise1["members"],
)
members = list(dict.fromkeys(members))  # a name typed twice is one member (and one tab)

start_key = f"{PAGE}_start"
if start_key not in st.session_state:
    try:
        st.session_state[start_key] = date.fromisoformat(str(saved["start"]))
    except ValueError:
        st.session_state[start_key] = date.today()


def _keep_start() -> None:
    value = st.session_state[start_key]
    save_values(PAGE, start=value.isoformat() if value else None)


st.columns([1, 2])[0].date_input(t("s4_4.start_label"), key=start_key, on_change=_keep_start,
                                 help=t("s4_4.start_help"), format="YYYY-MM-DD")
start_value = st.session_state[start_key]
start = start_value.isoformat() if start_value else ""
window = exercises.action_window(start)

# ---- the group's segmentations (exercise 1), else all seven --------------------------------------------------------
group_schemes = [s for s in (exercise1.get("schemes") or []) if s in SCHEME_IDS]
if group_schemes:
    st.caption(t("s4_4.schemes_from_ex1", schemes=separator.join(SCHEMES[s].name(language) for s in group_schemes),
                 page=t("nav.s3_5")))
else:
    st.caption(t("s4_4.schemes_all", page=t("nav.s3_5")))
scheme_options = group_schemes or list(SCHEME_IDS)


def _params(scheme_id: str) -> dict:
    """The trainee's parameters from 3.2, or the defaults (with a warning) when the saved ones are invalid."""
    overrides = views.overrides_for(scheme_id)
    try:
        SCHEMES[scheme_id].resolve(overrides)
    except SchemeParamError as err:
        st.warning(t("segments.params_invalid", error=err.text(language)), icon=":material/warning:")
        return {}
    return overrides


def _evidence(scheme_id: str, overrides: dict) -> exercises.SegmentEvidence:
    return book_memo("s4_4.evidence", lambda frame, _s, k, _p: exercises.segment_evidence(
        frame, scheme_id, json.loads(k), profit_params), scheme_id, params_key(overrides), repr(profit_params))


def _directions() -> dict:
    return {k: dict(v) for k, v in (module_values(PAGE, DEFAULTS)["directions"] or {}).items()}


def _keep_direction(member: str, field: str, key: str) -> None:
    directions = _directions()
    entry = directions.setdefault(member, {})
    entry[field] = st.session_state[key]
    if field == "scheme":
        entry.pop("tier", None)  # a tier of another segmentation means nothing here
    save_values(PAGE, directions=directions)


def _rows_frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame({
        "action": pd.Series([r.get("action", "") for r in rows], dtype="str"),
        "owner": pd.Series([r.get("owner", "") for r in rows], dtype="str"),
        "due": pd.to_datetime(pd.Series([r.get("due") or None for r in rows], dtype="object"), errors="coerce"),
    })


def _due(value: object) -> str:
    return "" if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()  # type: ignore[arg-type]


# ---- each member's direction ---------------------------------------------------------------------------------------
st.subheader(t("s4_4.directions_title"))
if not members:
    st.info(t("s4_4.no_members"), icon=":material/group_add:")
inputs: list[dict] = []
stored = _directions()
for member, tab in zip(members, st.tabs(members) if members else [], strict=True):
    with tab:
        mine = stored.get(member, {})
        scheme_key, tier_key = f"{PAGE}_{member}_scheme", f"{PAGE}_{member}_tier"
        if st.session_state.get(scheme_key) not in scheme_options:
            st.session_state[scheme_key] = mine.get("scheme") if mine.get("scheme") in scheme_options else \
                scheme_options[0]
        left, right = st.columns(2, gap="large")
        scheme_id = left.selectbox(t("s4_4.scheme_label"), scheme_options, key=scheme_key,
                                   format_func=lambda s: SCHEMES[s].name(language), on_change=_keep_direction,
                                   args=(member, "scheme", scheme_key))
        params = _params(scheme_id)
        evidence = _evidence(scheme_id, params)
        labels = evidence.segmentation.labels(language)
        tier_options = [c for c in evidence.tiers.index if int(evidence.tiers.loc[c, "customers"]) > 0
                        and c != INSUFFICIENT]
        if st.session_state.get(tier_key) not in tier_options:
            st.session_state[tier_key] = mine.get("tier") if mine.get("tier") in tier_options else None
        code = right.selectbox(t("s4_4.tier_label"), tier_options, key=tier_key, index=None,
                               format_func=lambda c, names=labels: names.get(c, c),
                               placeholder=t("s4_4.tier_placeholder"), on_change=_keep_direction,
                               args=(member, "tier", tier_key))
        plan = None
        if code:
            row = evidence.tiers.loc[code]
            # two metrics a row: three across cut "CNY 130.74m" at 1024 px with the sidebar open
            first, second = st.columns(2)
            first.metric(t("s4_4.metric.customers"), f"{int(row['customers']):,}",
                         delta=charts.percent(float(row["customer_share"]), 0), delta_color="off", delta_arrow="off")
            second.metric(t("s4_4.metric.aum"), money_text(float(row["aum"]), language),
                          delta=charts.percent(float(row["aum_share"]), 0), delta_color="off", delta_arrow="off")
            first, second = st.columns(2)
            first.metric(t("s4_4.metric.t_per_hour"), section4.per_hour(row["t_per_hour"], language))
            second.metric(t("s4_4.metric.t"), "—" if pd.isna(row["t"]) else money_text(float(row["t"]), language))
            if pd.isna(row["revenue"]):
                st.caption(t("s4_4.no_revenue"))
            else:
                assumed = row["hours_source"] == exercises.HOURS_ASSUMED
                st.caption(t("s4_4.evidence_line_assumed" if assumed else "s4_4.evidence_line",
                             revenue=money_text(float(row["revenue"]), language),
                             hours=section4.hours(row["hours"]), page=t("nav.s1_4")))
            # The segment's strategy from 4.2 (its starting point where the group has not written one there).
            codes = [c for c in evidence.tiers.index if int(evidence.tiers.loc[c, "customers"]) > 0]
            written = (module_values("s4_2", {"strategies": {}})["strategies"] or {}).get(scheme_id, {})
            plan = strat.strategies(
                scheme_id, codes, language, written,
                module_values("s3_4", {"overrides": {}})["overrides"].get(scheme_id, {}), evidence.figures,
            )[code]
            with st.container(border=True):
                st.markdown(t("s4_4.strategy_title", tier=plain_markdown(labels[code])))
                st.caption(t("s4_4.strategy_written" if written.get(code) else "s4_4.strategy_template",
                             page=t("nav.s4_2")))
                st.markdown("\n".join(
                    f"- **{t(f's4_2.field.{field}')}**：{plain_markdown(plan.value(field)) or '—'}"
                    if language == "zh" else
                    f"- **{t(f's4_2.field.{field}')}**: {plain_markdown(plan.value(field)) or '—'}"
                    for field in strat.TEXT_FIELDS
                ))
                st.markdown(t("s4_4.strategy_channels", channels=separator.join(
                    t(f"s4_2.channel.{c}") for c in plan.channels) or "—",
                    hours=section4.hours(plan.hours_per_customer * int(row["customers"])),
                    today=section4.hours(row["hours"])))
                targets = separator.join(t(f"s4_4.kpi.{degree}", target=f"{value:g}")
                                         for degree, value in plan.kpis.items() if value is not None)
                st.markdown(t("s4_4.strategy_kpis", kpis=targets or "—"))
                st.page_link("views/s4_2_strategy.py", label=t("s4_4.edit_strategy"), icon=":material/edit:")
            steps = ladder.assessments(
                [code], (module_values("s4_1", {"levels": {}})["levels"] or {}).get(scheme_id, {}))[0].steps
            if steps:
                st.caption(t("s4_4.ladder_steps", steps=separator.join(f"{s.number}. {s.label(language)}"
                                                                         for s in steps)))

        # 90-day actions. The editor's starting frame stays the same while the editor lives (a changing frame
        # under a dynamic editor would re-apply its added rows); it is re-read from the workspace on return.
        st.markdown(f"**{t('s4_4.actions_title')}**")
        st.caption(t("s4_4.actions_help", minimum=exercises.MIN_ACTIONS,
                     start=window[0].isoformat() if window else "—", end=window[1].isoformat() if window else "—"))
        editor_key = f"{PAGE}_actions_{member}_{language}"
        base_key = f"{editor_key}__base"
        if editor_key not in st.session_state or base_key not in st.session_state:
            st.session_state[base_key] = _rows_frame(exercises.clean_actions(mine.get("actions")))
        edited = st.data_editor(
            st.session_state[base_key], key=editor_key, num_rows="dynamic", hide_index=True, width="stretch",
            column_config={
                # widths that keep the date in view at 1024 px with the sidebar open
                "action": st.column_config.TextColumn(t("s4_4.col.action"), width=300, required=True),
                "owner": st.column_config.TextColumn(t("s4_4.col.owner"), width=90, default=member),
                "due": st.column_config.DateColumn(t("s4_4.col.due"), format="YYYY-MM-DD", width=110,
                                                   min_value=window[0] if window else None,
                                                   max_value=window[1] if window else None),
            },
        )
        actions = exercises.clean_actions([
            {"action": "" if pd.isna(r["action"]) else str(r["action"]),
             "owner": "" if pd.isna(r["owner"]) else str(r["owner"]), "due": _due(r["due"])}
            for r in edited.to_dict("records")
        ])
        if actions != exercises.clean_actions(mine.get("actions")):
            directions = _directions()
            directions.setdefault(member, {})["actions"] = actions
            save_values(PAGE, directions=directions)
        inputs.append({"member": member, "scheme": scheme_id, "params": params,
                       "tier": code or "", "strategy": plan, "actions": actions})

# ---- completeness, what is submitted, finishing --------------------------------------------------------------------
inputs_key = json.dumps([group, members, start, [{**d, "strategy": repr(d["strategy"])} for d in inputs]],
                        sort_keys=True, default=str, ensure_ascii=False)
payload = book_memo(
    "s4_4.payload",
    lambda frame, _k: exercises.exercise2_submission(
        frame, group=group, members=members, start=start, directions=inputs, book_source=book.source,
        profit_params=profit_params),
    inputs_key,
)
problems = exercises.check_exercise2(payload, language)
submit_flow.completeness(problems, language, "s4_4")


def _show_summary(submission: object) -> None:
    """A payload as the group reads it: group, members, book, the 90 days, then each member's direction with its
    evidence, goal, ways of marketing, KPI targets and actions."""
    shown = exercises.exercise2_summary(submission, language)
    empty = t("s3_5.summary_empty")
    submit_flow.summary_heading(shown, language, t("s4_4.summary_window", start=shown.start or empty,
                                                    end=shown.end or empty))
    for direction in shown.directions:
        if not direction.tier:
            continue
        evidence = direction.evidence
        st.markdown(t("s4_4.summary_direction", member=plain_markdown(direction.member),
                      scheme=plain_markdown(direction.scheme), tier=plain_markdown(direction.tier)))
        st.caption(t("s4_4.summary_evidence", customers=f"{int(evidence.get('customers') or 0):,}",
                     aum=money_text(evidence.get("aum") or 0.0, language),
                     t_per_hour=section4.per_hour(evidence.get("t_per_hour"), language)))
        kpis = separator.join(t(f"s4_4.kpi.{k['degree']}", target=f"{k['target']:g}") for k in direction.kpis
                              if k["target"] is not None)
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
                nowrap=("owner", "due"), min_widths={"action": "20em"},
            )


st.subheader(t("s3_5.payload_title"))
st.caption(t("s4_4.payload_help"))
_show_summary(payload)

# ---- submitting to the classroom database -------------------------------------------------------------------------
submit_flow.submit(EXERCISE, group, payload, problems, language, _show_summary)

footer(PAGE)
