"""4.1 客户经营梯度: the outline's 12 engagement levels; per tier of a chosen segmentation the level reached today
(suggested from the book where it has contacts, gifts, events and referrals) and the target; a staircase chart;
the next actions are the levels between the two."""

import pandas as pd
import streamlit as st

from ui import section4
from ui import segment_views as views
from ui.frame import footer, header
from ui.state import book_memo, lang, module_values, save_values, t
from ui.tier_views import params_key, plain_markdown, text_table
from workbook import ladder
from workbook.schema import field_label
from workbook.segmentation import INSUFFICIENT

PAGE = "s4_1"

header(PAGE)
language = lang()
saved = module_values(PAGE, {"scheme": None, "levels": {}})

# ---- which segmentation ------------------------------------------------------------------------------------
scheme_id = section4.scheme_choice(PAGE, "s4.scheme_label")
detail, params = views.trainee_segmentation(scheme_id)
figures = book_memo("s4_1.figures", lambda frame, _s, _k: ladder.engagement_figures(frame, detail.tiers),
                    scheme_id, params_key(dict(detail.params)))
suggested = ladder.suggestions(figures)
labels = detail.labels(language)
codes = [c for c in figures.index if int(figures.loc[c, "customers"]) > 0]
separator = t("common.list_sep")

# ---- what the book can suggest ------------------------------------------------------------------------------
missing_everywhere = sorted({f for s in suggested.values() if s.level is None for f in s.missing},
                            key=ladder.SUGGESTION_FIELDS.index)
if codes and all(suggested[c].level is None for c in codes):
    st.info(t("s4_1.no_suggestion", fields=separator.join(field_label(f, language) for f in missing_everywhere)),
            icon=":material/info:")
else:
    unchecked = sorted({f for c in codes for f in suggested[c].unchecked}, key=ladder.SUGGESTION_FIELDS.index)
    st.caption(t("s4_1.suggestion_help"))
    if unchecked:
        st.caption(t("s4_1.suggestion_partial", fields=separator.join(field_label(f, language) for f in unchecked)))

# ---- the assessment -----------------------------------------------------------------------------------------
st.subheader(t("s4_1.assess_title"))
scheme_levels: dict = dict((saved["levels"] or {}).get(scheme_id) or {})
rows = ladder.assessments(codes, scheme_levels, suggested)


def _suggestion_text(code: str) -> str:
    level = suggested[code].level
    return t("s4_1.level_short", level=level) if level else "—"


frame = pd.DataFrame(
    {
        "label": [labels[c] for c in codes],
        "customers": [int(figures.loc[c, "customers"]) for c in codes],
        "suggested": [_suggestion_text(c) for c in codes],
        "current": pd.array([r.current for r in rows], dtype="Int64"),
        "target": pd.array([r.target for r in rows], dtype="Int64"),
    },
    index=pd.Index(codes, name="tier"),
)
level_options = [lvl.number for lvl in ladder.LADDER]


def _level_option(number: int) -> str:
    return f"{number} · {ladder.level(int(number)).short(language)}"


edited = st.data_editor(
    frame,
    hide_index=True,
    width="stretch",
    num_rows="fixed",
    disabled=["label", "customers", "suggested"],
    key=f"s4_1_levels_{scheme_id}_{'-'.join(codes)}_{language}",
    placeholder=t("s4_1.choose"),
    column_config={
        # widths that fit 1024×768 with the sidebar open (about 560 px): the target column must not scroll away
        "label": st.column_config.TextColumn(t("tiers.col.tier"), width=120),
        "customers": st.column_config.NumberColumn(t("tiers.col.customers"), format="%d", width=84),
        "suggested": st.column_config.TextColumn(t("s4_1.col.suggested"), width=76,
                                                 help=t("s4_1.col.suggested_help")),
        "current": st.column_config.SelectboxColumn(t("s4_1.col.current"), options=level_options,
                                                    format_func=_level_option, width=136),
        "target": st.column_config.SelectboxColumn(t("s4_1.col.target"), options=level_options,
                                                   format_func=_level_option, width=136),
    },
)

# Keep what the trainee set: a current level only when it is theirs (not the untouched suggestion), a target always.
new_levels = {code: dict(entry) for code, entry in scheme_levels.items() if code not in codes}
for code in codes:
    current = ladder.valid_level(edited.at[code, "current"])
    target = ladder.valid_level(edited.at[code, "target"])
    entry = dict(scheme_levels.get(code) or {})
    if "current" in entry or current != suggested[code].level:
        entry["current"] = current
    if "target" in entry or target is not None:
        entry["target"] = target
    if entry:
        new_levels[code] = entry
if new_levels != scheme_levels:
    all_levels = dict(saved["levels"] or {})
    all_levels[scheme_id] = new_levels
    save_values(PAGE, levels=all_levels)
rows = ladder.assessments(codes, new_levels, suggested)

# Why each suggestion: the rule's clauses with the tier's own figures.
reasons = []
for code in codes:
    suggestion = suggested[code]
    if suggestion.level is None:
        continue
    clauses = t("s4_1.and").join(
        t(f"s4_1.clause.{e.figure}", value=f"{e.value * 100:.0f}%" if e.figure == "gift_share" else f"{e.value:.1f}",
          threshold=f"{e.threshold * 100:.0f}%" if e.figure == "gift_share" else f"{e.threshold:g}",
          op=t(f"s4_1.op.{e.op}"))
        for e in suggestion.evidence
    )
    reasons.append(t("s4_1.reason", tier=plain_markdown(labels[code]), level=suggestion.level, clauses=clauses))
if reasons:
    with st.expander(t("s4_1.reasons_title"), icon=":material/rule:"):
        st.markdown("\n".join(f"- {r}" for r in reasons))

# ---- the staircase ----------------------------------------------------------------------------------------------
st.subheader(t("s4_1.chart_title"))
real = [r for r in rows if r.tier != INSUFFICIENT]
if any(r.current for r in rows):
    st.plotly_chart(
        section4.staircase(
            [labels[r.tier] for r in real], [r.current for r in real], [r.target for r in real],
            [lvl.short(language) for lvl in ladder.LADDER], current_name=t("s4_1.col.current"),
            climb_name=t("s4_1.climb"), level_text=t("s4_1.level_short"),
        ),
        width="stretch", key="s4_1_staircase",
    )
else:
    st.caption(t("s4_1.chart_empty"))

# ---- next actions -----------------------------------------------------------------------------------------------
st.subheader(t("s4_1.next_title"))
climbing = [r for r in rows if r.steps]
if not climbing:
    st.caption(t("s4_1.next_empty"))
for row in climbing:
    with st.container(border=True):
        st.markdown(t("s4_1.next_tier", tier=plain_markdown(labels[row.tier]), current=row.current, target=row.target,
                      gap=row.gap))
        st.markdown("\n".join(
            f"{lvl.number}. **{lvl.label(language)}** — {lvl.action(language)}" for lvl in row.steps
        ))
unset = [labels[r.tier] for r in rows if r.target is None]
if unset:
    st.caption(t("s4_1.target_missing", tiers=separator.join(plain_markdown(x) for x in unset)))

# ---- the ladder itself ------------------------------------------------------------------------------------------
with st.expander(t("s4_1.ladder_title"), icon=":material/stairs:"):
    st.caption(t("s4_1.ladder_help"))
    text_table(
        pd.DataFrame({
            "number": [lvl.number for lvl in ladder.LADDER],
            "level": [lvl.label(language) for lvl in ladder.LADDER],
            "action": [lvl.action(language) for lvl in ladder.LADDER],
        }),
        {"number": t("s4_1.col.number"), "level": t("s4_1.col.level"), "action": t("s4_1.col.action")},
        nowrap=("number",), min_widths={"level": "14em", "action": "18em"},
    )

footer(PAGE)
