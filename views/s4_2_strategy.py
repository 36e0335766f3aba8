"""4.2 经营策略设计: the outline's seven questions as guided prompts; per chosen segment a strategy — goal, real
needs, product mix, service actions, ways of marketing (一对一 / 一对多 / 线上), cadence, four-degree KPI targets and
the hours it needs — starting from templates and the 3.4 plan; the hours all strategies need against the hours the
trainee has."""

import pandas as pd
import streamlit as st

from ui import charts, profit_settings, section4
from ui import segment_views as views
from ui.frame import footer, header
from ui.state import book_memo, lang, module_values, save_values, t
from ui.tier_views import params_key, plain_markdown
from ui.widgets import multiselect
from workbook import ladder, services
from workbook import strategy as strat
from workbook.degrees import four_degrees
from workbook.money import money_text
from workbook.segmentation import INSUFFICIENT, tier_summary
from workbook.throughput import throughput_by_tier

PAGE = "s4_2"
DEFAULTS = {"scheme": None, "state": "", "review": "", "tiers": {}, "strategies": {}}
KPI_FORMAT = {"points": "%.0f", "percent": "%.0f", "growth_percent": "%.0f"}

header(PAGE)
language = lang()
saved = module_values(PAGE, DEFAULTS)
separator = t("common.list_sep")

# ---- which segmentation ------------------------------------------------------------------------------------
scheme_id = section4.scheme_choice(PAGE, "s4.scheme_label")
detail, params = views.trainee_segmentation(scheme_id)
labels = detail.labels(language)
profit_params, _ = profit_settings.profit_params()
key_args = (scheme_id, params_key(dict(detail.params)), repr(profit_params))
summary = book_memo("s4_2.summary", lambda frame, *_: tier_summary(frame, detail), *key_args)
figures = book_memo("s4_2.degrees", lambda frame, *_: four_degrees(frame, detail.tiers, profit_params=profit_params)
                    .figures, *key_args)
flows = book_memo("s4_2.throughput", lambda frame, *_: throughput_by_tier(frame, detail.tiers, profit_params),
                  *key_args)
revenue_known = book_memo("s4_2.revenue_known", services.revenue_known)
with_customers = [c for c in summary.index if int(summary.loc[c, "customers"]) > 0]


def _keep_text(name: str) -> None:
    save_values(PAGE, **{name: st.session_state[f"{PAGE}_{name}"]})


# ---- the seven questions: the whole book first -----------------------------------------------------------------
st.subheader(t("s4_2.questions_title"))
st.caption(t("s4_2.questions_help"))
with st.expander(t("s4_2.questions_list"), icon=":material/help:"):
    st.markdown("\n".join(
        f"{q.number}. **{q.label(language)}** — {q.prompt(language)} *({t(f's4_2.where.{q.field}')})*"
        for q in strat.QUESTIONS
    ))
overall = {q.field: q for q in strat.QUESTIONS if q.field in strat.OVERALL_FIELDS}
left, right = st.columns(2, gap="large")
for column, name in zip((left, right), strat.OVERALL_FIELDS, strict=True):
    key = f"{PAGE}_{name}"
    if key not in st.session_state:
        st.session_state[key] = saved[name]
    column.text_area(f"{overall[name].number}. {overall[name].prompt(language)}", key=key, height=110,
                     on_change=_keep_text, args=(name,))

# ---- which segments -----------------------------------------------------------------------------------------------
st.subheader(t("s4_2.segments_title"))
tiers_key = f"{PAGE}_tiers_{scheme_id}"
remembered = [c for c in (saved["tiers"] or {}).get(scheme_id, []) if c in with_customers]
if tiers_key not in st.session_state:
    st.session_state[tiers_key] = remembered or [c for c in with_customers if c != INSUFFICIENT]


def _keep_tiers() -> None:
    all_tiers = dict(module_values(PAGE, DEFAULTS)["tiers"] or {})
    all_tiers[scheme_id] = list(st.session_state[tiers_key])
    save_values(PAGE, tiers=all_tiers)


chosen = multiselect(t("s4_2.segments_label"), with_customers, format_func=lambda c: labels.get(c, c),
                        key=tiers_key, on_change=_keep_tiers)
codes = [tier.code for tier in detail.tier_list if tier.code in with_customers]
service_overrides = module_values("s3_4", {"overrides": {}})["overrides"].get(scheme_id, {})
scheme_overrides: dict = {k: dict(v) for k, v in (saved["strategies"] or {}).get(scheme_id, {}).items()}
start = strat.starting_strategies(scheme_id, codes, language, service_overrides, figures)
resolved = {c: strat.apply_overrides(start[c], scheme_overrides.get(c)) for c in codes}
levels = (module_values("s4_1", {"levels": {}})["levels"] or {}).get(scheme_id, {})


def _on_change(code: str, field: str, key: str) -> None:
    all_strategies = dict(module_values(PAGE, DEFAULTS)["strategies"] or {})
    mine = dict(all_strategies.get(scheme_id) or {})
    updated = strat.set_override(mine.get(code), start[code], field, st.session_state[key])
    if updated:
        mine[code] = updated
    else:
        mine.pop(code, None)
    all_strategies[scheme_id] = mine
    save_values(PAGE, strategies=all_strategies)


def _widget(code: str, field: str) -> str:
    """The widget key of one field; its value is set from the workspace on every run (the workspace is the
    source of truth, and an untouched field follows the language)."""
    key = f"{PAGE}_{scheme_id}_{code}_{field}"
    value = resolved[code].value(field)
    st.session_state[key] = list(value) if field == "channels" else value
    return key


prompts = {q.field: q for q in strat.QUESTIONS}


def _prompt(field: str) -> str:
    question = prompts[field]
    return f"{t(f's4_2.field.{field}')} · {question.number}. {question.prompt(language)}"


if not chosen:
    st.info(t("s4_2.no_segments"), icon=":material/info:")
ordered = [c for c in codes if c in chosen]
for code, tab in zip(ordered, st.tabs([labels[c] for c in ordered]) if ordered else [], strict=True):
    with tab:
        row = summary.loc[code]
        facts = [t("s4_2.fact.customers", count=f"{int(row['customers']):,}", share=charts.percent(
            float(row["customer_share"]), 0)), t("s4_2.fact.aum", aum=money_text(float(row["aum"]), language))]
        if revenue_known and pd.notna(flows.loc[code, "t_per_hour"]):
            facts.append(t("s4_2.fact.t_per_hour", amount=section4.per_hour(flows.loc[code, "t_per_hour"], language)))
        entry = levels.get(code) or {}
        current, target = ladder.valid_level(entry.get("current")), ladder.valid_level(entry.get("target"))
        if current and target:
            facts.append(t("s4_2.fact.ladder", current=current, target=target))
        st.caption(" · ".join(facts))
        st.text_area(_prompt("goal"), key=_widget(code, "goal"), height=68, on_change=_on_change,
                     args=(code, "goal", f"{PAGE}_{scheme_id}_{code}_goal"))
        for field in ("needs", "products", "services", "cadence"):
            # one field a row: the guiding question is the label, and labels of different length would
            # leave side-by-side boxes misaligned
            label = _prompt(field) if field in prompts else t(f"s4_2.field.{field}")
            st.text_area(label, key=_widget(code, field), height=68, on_change=_on_change,
                         args=(code, field, f"{PAGE}_{scheme_id}_{code}_{field}"))
        multiselect(_prompt("channels"), strat.CHANNELS, format_func=lambda c: t(f"s4_2.channel.{c}"),
                       key=_widget(code, "channels"), on_change=_on_change,
                       args=(code, "channels", f"{PAGE}_{scheme_id}_{code}_channels"))
        st.markdown(f"**{t('s4_2.kpi_title')}**")
        # two by two: four across leave no room for the number at 1024 px with the sidebar open
        kpi_columns = [column for _ in range(2) for column in st.columns(2, gap="medium")]
        for column, spec in zip(kpi_columns, strat.KPIS, strict=True):
            field = f"kpi.{spec.degree}"
            key = _widget(code, field)
            column.number_input(t(f"s4_2.kpi.{spec.degree}"), key=key, value=None, step=1.0,
                                min_value=spec.low, max_value=spec.high, format=KPI_FORMAT[spec.unit],
                                on_change=_on_change, args=(code, field, key))
            today = strat.kpi_current(spec, figures.loc[code].to_dict())
            if today is None:
                column.caption(t("s4_2.kpi_unknown"))
            elif spec.unit == "growth_percent":
                column.caption(t("s4_2.kpi_today_money", value=money_text(today, language)))
            else:
                column.caption(t(f"s4_2.kpi_today_{spec.unit}", value=f"{today:.0f}"))
        key = _widget(code, "hours_per_customer")
        hours_column = st.columns([1, 2])[0]
        hours_column.number_input(t("s4_2.field.hours_per_customer"), key=key, min_value=0.0, step=0.5,
                                  format="%g", on_change=_on_change, args=(code, "hours_per_customer", key))
        hours = resolved[code].hours_per_customer * int(row["customers"])
        hours_column.caption(t("s4_2.hours_needed", customers=f"{int(row['customers']):,}",
                     per=f"{resolved[code].hours_per_customer:g}", hours=section4.hours(hours)))

# ---- the hours all strategies need ---------------------------------------------------------------------------------
if ordered:
    st.subheader(t("s4_2.hours_title"))
    check = strat.hours_check({c: resolved[c] for c in ordered}, summary["customers"].to_dict(),
                              profit_params.effective_hours)
    first, second = st.columns(2)
    first.metric(t("s4_2.metric.needed"), section4.hours(check.needed))
    second.metric(t("s4_2.metric.available"), section4.hours(check.available))
    st.dataframe(pd.DataFrame({
        t("tiers.col.tier"): [labels[c] for c in check.tiers.index],
        t("tiers.col.customers"): check.tiers["customers"].tolist(),
        t("s4_2.col.per_customer"): [f"{v:g}" for v in check.tiers["hours_per_customer"]],
        t("s4_2.col.hours"): [section4.hours(v) for v in check.tiers["hours"]],
        # today's hours as 1.4 prices them, beside the plan (4.3 counts the same)
        t("s4_2.col.today"): [section4.hours(flows.loc[c, "hours"]) for c in check.tiers.index],
    }), hide_index=True, width="stretch")
    st.caption(t("s4_2.today_note", page=t("nav.s1_4")))
    if check.fits:
        st.success(t("s4_2.hours_fit", needed=section4.hours(check.needed), available=section4.hours(
            check.available)), icon=":material/check_circle:")
    else:
        heavy = check.tiers["hours"].idxmax()
        st.warning(t("s4_2.hours_over", needed=section4.hours(check.needed),
                     available=section4.hours(check.available), short=section4.hours(check.shortfall),
                     tier=plain_markdown(labels[heavy])), icon=":material/schedule:")
    st.caption(t("s4_2.hours_source", page=t("nav.s1_4")))

footer(PAGE)
