"""3.5 练习一：三种分层与差异化服务 — the group worksheet: group and members, at least three segmentations (parameters
from 3.2), their tier counts, a service line per tier (prefilled from 3.4), a reflection; submitting is blocked
with the list of what is missing until the exercise is complete, then the aggregates-only payload goes to the
classroom database (workshop code and the trainee's name asked here, where they are needed) with a receipt."""

import json
from typing import Any

import pandas as pd
import streamlit as st

from ui import charts
from ui import exercise_views as submit_flow
from ui.frame import footer, header
from ui.state import active_book, book_memo, lang, memo, module_values, save_values, t
from ui.tier_views import plain_markdown, text_table, wan_cell
from ui.widgets import multiselect
from workbook import course, exercises, peers, services
from workbook.money import money_text
from workbook.segmentation import INSUFFICIENT, SCHEME_IDS, SCHEMES, SchemeParamError, segment_detail, tier_summary

PAGE = "s3_5"
EXERCISE = submit_flow.Exercise(PAGE, exercises.EXERCISE_ID, texts="s3_5")
# Row heights (px) that let a service line wrap: three lines of Chinese, four of English (an English line runs to
# ~250 characters). Below about 64 px the grid keeps every cell on one line.
SERVICE_ROW_HEIGHT = {"zh": 68, "en": 90}

header(PAGE)
language = lang()
book = active_book()
saved = module_values(
    PAGE,
    {"group": "", "members": "", "schemes": None, "services": {}, "reflection": "", "submission": None,
     "submitted_at": None, "receipt": None},
)
chosen = module_values("s3_2", {"scheme": "aum", "params": {}})  # 3.2 opens on the AUM scheme
service_overrides = module_values("s3_4", {"overrides": {}})["overrides"]


def _keep(widget: str, field: str) -> None:
    save_values(PAGE, **{field: st.session_state[widget]})


def _segment(frame: pd.DataFrame, scheme_id: str, params_json: str) -> tuple:
    detail = segment_detail(frame, scheme_id, json.loads(params_json))
    return detail, tier_summary(frame, detail)


def _init(widget: str, value: object) -> None:
    if widget not in st.session_state:
        st.session_state[widget] = value


# ---- group ------------------------------------------------------------------------------------------------------
# the group's name lives with the trainee's identity (one group for both exercises)
group, members = submit_flow.group_fields(EXERCISE, saved["group"], saved["members"])

# ---- segmentations ---------------------------------------------------------------------------------------------
st.subheader(t("s3_5.schemes_title"))
st.caption(t("s3_5.schemes_help", minimum=exercises.MIN_SCHEMES))
initial = saved["schemes"]
if initial is None:
    initial = [chosen["scheme"]] if chosen.get("scheme") in SCHEME_IDS else []
_init("s3_5_schemes", [s for s in initial if s in SCHEME_IDS])
selected = multiselect(  # no bulk "Select all": one Enter picked all seven schemes
    t("s3_5.schemes_label"), SCHEME_IDS, format_func=lambda s: SCHEMES[s].name(language), key="s3_5_schemes",
    on_change=_keep, args=("s3_5_schemes", "schemes"),
)
dimension_labels = {d: t(f"service.dim.{d}") for d in services.DIMENSIONS}
service_edits: dict[str, dict[str, str]] = {k: dict(v) for k, v in saved["services"].items()}
configured: list[tuple[str, dict]] = []
lines_by_scheme: dict[str, dict[str, str]] = {}
for scheme_id in selected:
    scheme = SCHEMES[scheme_id]
    params = dict((chosen.get("params") or {}).get(scheme_id) or {})
    try:
        resolved = scheme.resolve(params)
    except SchemeParamError as err:
        st.warning(t("s3_5.params_invalid", scheme=scheme.name(language), error=err.text(language)))
        params, resolved = {}, scheme.resolve({})
    configured.append((scheme_id, params))
    params_json = json.dumps(params, sort_keys=True, default=str)
    detail, summary = book_memo("s3_5.segment", _segment, scheme_id, params_json)
    with st.container(border=True):
        st.markdown(f"**{scheme.name(language)}** — {scheme.why(language)}")
        if scheme_id == "aum":
            st.caption(t("s3_5.params_ladder", ladder=peers.ladder_text(resolved, language)))
        else:
            st.caption(exercises.params_text(scheme_id, resolved, language))
        st.caption(t("s3_5.params_source" if params else "s3_5.params_default"))
        codes = [c.code for c in detail.tier_list
                 if c.code != INSUFFICIENT or int(summary.loc[c.code, "customers"])]
        matrix = services.matrix_rows(scheme_id, codes, language, service_overrides.get(scheme_id, {}))
        prefill = {row["tier"]: services.service_line(row, dimension_labels, language) for row in matrix}
        edits = service_edits.get(scheme_id, {})
        labels = detail.labels(language)
        frame = pd.DataFrame(
            {
                "label": [labels[c] for c in codes],
                "customers": [int(summary.loc[c, "customers"]) for c in codes],
                "aum": [wan_cell(float(summary.loc[c, "aum"])) for c in codes],
                "service": [edits.get(c, prefill[c]) for c in codes],
            },
            index=pd.Index(codes, name="tier"),
        )
        edited = st.data_editor(
            frame,
            hide_index=True,
            width="stretch",
            num_rows="fixed",
            disabled=["label", "customers", "aum"],
            key=f"s3_5_services_{scheme_id}_{'-'.join(codes)}_{language}",
            # The service line gets the room and rows tall enough for it to wrap (an English line runs to ~250
            # characters); the summary below shows every line in full.
            row_height=SERVICE_ROW_HEIGHT[language],
            # The line the group writes right after the tier's name: on a projector the read-only counts are the
            # columns that scroll out of sight, never the one to edit.
            column_order=["label", "service", "customers", "aum"],
            column_config={
                "label": st.column_config.TextColumn(t("tiers.col.tier"), width=140),  # "Hybrid (online + branch)"
                "customers": st.column_config.NumberColumn(t("tiers.col.customers"), format="%d", width=80),
                "aum": st.column_config.TextColumn(t("tiers.col.aum"), width=110),
                "service": st.column_config.TextColumn(t("s3_5.col.service"), width=490),
            },
        )
        # Keep only lines that differ from the 3.4 prefill (an untouched line follows the matrix), and every line
        # kept before: after a submission all of them are the group's own, in the language they were sent in.
        lines = {c: ("" if pd.isna(edited.at[c, "service"]) else str(edited.at[c, "service"]).strip()) for c in codes}
        kept = {c: v for c, v in lines.items() if v != prefill[c] or c in edits}
        kept.update({c: v for c, v in edits.items() if c not in codes})
        service_edits[scheme_id] = kept
        lines_by_scheme[scheme_id] = lines
        if any(p.id == "s3_2" for p in course.PAGES):
            st.page_link("views/s3_2_segmentation.py", label=t("s3_5.edit_params"), icon=":material/tune:")
if service_edits != saved["services"]:
    save_values(PAGE, services=service_edits)

# ---- reflection ------------------------------------------------------------------------------------------------
st.subheader(t("s3_5.reflection_title"))
_init("s3_5_reflection", saved["reflection"])
st.text_area(t("s3_5.reflection_label"), key="s3_5_reflection", on_change=_keep,
             args=("s3_5_reflection", "reflection"), height=140, placeholder=t("s3_5.reflection_placeholder"))

# ---- completeness and finishing -------------------------------------------------------------------------------
reflection = st.session_state["s3_5_reflection"]
inputs_key = json.dumps([group, members, configured, lines_by_scheme, reflection], sort_keys=True, default=str)
# The group's own text is in the key: kept in this session (memo), never in the results shared for the sample book.
payload = memo(
    "s3_5.payload",
    (book.token, inputs_key),
    lambda: exercises.exercise1_submission(
        book.frame, group=group, members=members, schemes=configured, services=lines_by_scheme,
        reflection=reflection, book_source=book.source,
    ),
)
problems = exercises.check_exercise1(payload, language)

submit_flow.completeness(problems, language, "s3_5")

# ---- what is submitted, as the group reads it --------------------------------------------------------------------
SUMMARY_COLUMNS = {
    "tier": t("tiers.col.tier"), "customers": t("tiers.col.customers"),
    "customer_share": t("tiers.col.customer_share"), "aum_share": t("tiers.col.aum_share"),
    "service": t("s3_5.col.service_short"),  # a short header: headers never wrap, and the table fits at 1024 px
}


def _show_summary(submission: Any) -> None:
    """A payload as the group reads it: group, members, book, each segmentation's tiers and services, reflection."""
    shown = exercises.submission_summary(submission, language)
    empty = t("s3_5.summary_empty")
    st.markdown(
        t("s3_5.summary_group", group=plain_markdown(shown.group) if shown.group else empty) + "  \n"
        + (t("s3_5.summary_members", count=len(shown.members),
             members=t("s3_5.members_separator").join(plain_markdown(m) for m in shown.members))
           if shown.members else t("s3_5.summary_members_none", empty=empty))
        + "  \n"
        + t("s3_5.summary_book", source=t(f"s3_5.book_source.{shown.book_source or 'upload'}"),
            customers=f"{shown.book_customers:,}", aum=money_text(shown.book_aum, language))
    )
    if not shown.schemes:
        st.caption(t("s3_5.summary_no_schemes"))
    for index, scheme_summary in enumerate(shown.schemes, start=1):
        st.markdown(t("s3_5.summary_scheme", index=index, name=scheme_summary.name))
        st.caption(t("s3_5.summary_params", params=scheme_summary.params))
        rows = pd.DataFrame(list(scheme_summary.tiers), columns=list(SUMMARY_COLUMNS))
        text_table(
            rows.assign(
                customer_share=[charts.percent(v) for v in rows["customer_share"]],
                aum_share=[charts.percent(v) for v in rows["aum_share"]],
                service=[plain_markdown(v) if v else "—" for v in rows["service"]],
            ),
            SUMMARY_COLUMNS,
            nowrap=("customers", "customer_share", "aum_share"),
            min_widths={"tier": "7.5em", "service": "12em"},  # fits beside the figures at 1024 px
        )
    st.markdown(t("s3_5.summary_reflection"))
    st.markdown(plain_markdown(shown.reflection) if shown.reflection else empty)


st.subheader(t("s3_5.payload_title"))
st.caption(t("s3_5.payload_help"))
_show_summary(payload)

# ---- submitting to the classroom database -------------------------------------------------------------------------
# The lines as sent become the group's own: a switch of language (which translates untouched 3.4 prefills) must not
# make the submitted exercise look changed.
sent_lines = {**service_edits, **{scheme_id: dict(lines) for scheme_id, lines in lines_by_scheme.items()}}
submit_flow.submit(EXERCISE, group, payload, problems, language, _show_summary, sent_values={"services": sent_lines})

footer(PAGE)
