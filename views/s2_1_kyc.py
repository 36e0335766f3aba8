"""2.1 深度KYC与潜在需求: a KYC card for one customer (from the book, from the outline's cases, or blank), the
needs the need rules find (表象 → 潜在 → 配置建议), the four-account target against the holdings with its gaps,
and a proposal the trainee edits. The card lives in the workspace as overrides of its source, its free text
masked; no submission reads it."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from ui import kyc_views
from ui.frame import footer, header
from ui.state import active_book, book_memo, lang, memo, module_values, save_values, t
from ui.tier_views import plain_markdown
from ui.values import value_label
from ui.widgets import multiselect
from workbook import cards, i18n, kyc
from workbook.households import (
    ACCOUNT_INFO,
    ACCOUNTS,
    BOOK_FIELD_ACCOUNTS,
    BOOK_FIELD_WHY,
    DEFAULT_SHARES,
    HouseholdError,
    four_account_plan,
    holdings_fields_present,
    plan_findings,
)
from workbook.money import money_text, wan_input
from workbook.privacy import mask_series, mask_value
from workbook.products import product_label
from workbook.schema import RISK_LEVELS, field_label

PAGE = "s2_1"
SOURCES: tuple[str, ...] = ("book", "case", "blank")
DEFAULTS: dict[str, Any] = {
    "source": "book",
    "customer": None,  # customer id (text) on the book
    "case": "pufa",
    "cards": {},  # card key -> the trainee's overrides (cards.card_overrides)
    "shares_pct": {code: share * 100 for code, share in DEFAULT_SHARES.items()},
    "proposals": {},  # card key -> the trainee's proposal text (masked)
}
PICK_LIMIT = 2000  # customers listed in the picker; a larger book is searched by customer id
# The customer opened first needs assets the four accounts can show on a projector: a card of 3,000元 draws its
# targets as "0" and "0.1" 万元. From 5万元 (the sample ladders' first step) up, most needs first.
SUGGEST_MIN_AUM = 50_000
AUTO_STAGE = "auto"


def _values() -> dict[str, Any]:
    return module_values(PAGE, DEFAULTS)


def _key(name: str, card_key: str = "") -> str:
    return f"{PAGE}_{name}" + (f"_{card_key}" if card_key else "")


# ---- whose card ---------------------------------------------------------------------------------------------


def _choices(frame: pd.DataFrame) -> pd.DataFrame:
    """The picker's customers (AUM high → low, at most PICK_LIMIT plus the suggested one): id, masked label, row
    position, and which customer to open first (the one with most needs among those with at least
    SUGGEST_MIN_AUM, when there are any; ties: the larger AUM)."""
    ids = frame["customer_id"].astype("str").str.strip()
    aum = pd.to_numeric(frame["aum"], errors="coerce").fillna(0.0)
    label = ids.copy()
    if "name" in frame.columns:
        names = mask_series(frame["name"], "name").astype("str")
        label = ids.where(frame["name"].isna(), ids + " · " + names)
    needs = kyc.book_needs(frame).sum(axis=1)
    table = pd.DataFrame({"id": ids.to_numpy(), "label": label.to_numpy(), "aum": aum.to_numpy(),
                          "needs": needs.to_numpy(), "position": range(len(frame))})
    table = table.drop_duplicates("id")
    table["enough"] = table["aum"] >= SUGGEST_MIN_AUM
    suggested = table.sort_values(["enough", "needs", "aum"], ascending=False, kind="stable").head(1)
    table = table.drop(columns="enough")
    suggested = suggested.drop(columns="enough")
    listed = table.sort_values("aum", ascending=False, kind="stable").head(PICK_LIMIT)
    listed = pd.concat([listed, suggested]).drop_duplicates("id")
    listed["suggested"] = listed["id"].isin(suggested["id"])
    return listed.set_index("id")


def _save(**values: Any) -> None:
    save_values(PAGE, **values)


def _on_source() -> None:
    _save(source=st.session_state[_key("source")])


def _on_customer() -> None:
    _save(customer=st.session_state[_key("customer")])


def _on_customer_id(choices: pd.DataFrame, all_ids: pd.Series) -> None:
    typed = str(st.session_state.get(_key("customer_id")) or "").strip()
    if typed and typed in set(all_ids):
        _save(customer=typed)


def _on_case() -> None:
    _save(case=st.session_state[_key("case")])


# ---- the card's fields --------------------------------------------------------------------------------------


def _store(card_key: str, defaults: dict[str, Any], field: str, value: Any) -> None:
    """Keep one field of a card: as an override when it differs from the source, else drop the override."""
    values = _values()
    all_cards = dict(values["cards"])
    card = cards.merge_card(defaults, all_cards.get(card_key))
    card[field] = value
    all_cards[card_key] = cards.card_overrides(defaults, card)
    if not all_cards[card_key]:
        all_cards.pop(card_key)
    _save(cards=all_cards)


def _on_field(card_key: str, defaults: dict[str, Any], field: str, names: tuple[str, ...]) -> None:
    widget = _key(field, card_key)
    value = st.session_state.get(widget)
    if field in ("age", "children"):
        value = None if value is None else int(value)
    elif field == "life_stage":
        value = None if value in (None, AUTO_STAGE) else value
    elif field in cards.MASKED_FIELDS:
        value = cards.masked(value, names)
        st.session_state[widget] = value  # the box shows what is kept
    elif field == "occupation":
        value = str(value or "").strip()
    elif field == "life_events":
        value = list(value or [])
    _store(card_key, defaults, field, value)


def _on_money(card_key: str, defaults: dict[str, Any], account: str | None) -> None:
    if account is None:
        value = st.session_state.get(_key("total", card_key))
        _store(card_key, defaults, "total_assets_wan", None if value is None else float(value))
        return
    card = cards.merge_card(defaults, _values()["cards"].get(card_key))
    holdings = dict(card["holdings_wan"])
    value = st.session_state.get(_key(f"hold_{account}", card_key))
    holdings[account] = 0.0 if value is None else float(value)
    _store(card_key, defaults, "holdings_wan", holdings)


def _set(widget: str, value: Any) -> None:
    # The workspace is the source of truth on every run: widgets show it even after the page was left.
    st.session_state[widget] = value


def _members_editor(card_key: str, defaults: dict[str, Any], card: dict[str, Any], names: tuple[str, ...]) -> None:
    """Family members in an editor whose starting rows stay fixed while it lives (its edits are relative to
    them); a new editor (another card, back from another page, other language) starts from the workspace."""
    language = lang()
    base_key = _key("members_base", card_key)
    base = st.session_state.get(base_key)
    version = int(st.session_state.get(_key("members_version", card_key), 0))
    editor_key = _key(f"members_{version}_{language}", card_key)
    if base is None or editor_key not in st.session_state:
        base = card["members"]
        st.session_state[base_key] = base
    frame = pd.DataFrame(base, columns=["relation", "age", "note"])
    frame["relation"] = frame["relation"].astype("object")
    frame["age"] = pd.to_numeric(frame["age"], errors="coerce").astype("float64")
    frame["note"] = frame["note"].astype("object")
    edited = st.data_editor(
        frame,
        key=editor_key,
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        column_config={
            "relation": st.column_config.SelectboxColumn(
                t("s2_1.col.relation"), options=list(kyc.RELATIONS), required=True, default="child",
                format_func=lambda code: kyc.RELATIONS[code].label(language) if code in kyc.RELATIONS else str(code),
            ),
            "age": st.column_config.NumberColumn(t("s2_1.col.age"), min_value=0, max_value=120, step=1,
                                                 format="%d"),
            "note": st.column_config.TextColumn(t("s2_1.col.note"), width="large"),
        },
    )
    members = cards.clean_members(edited.to_dict("records"), names)
    if members != card["members"]:
        _store(card_key, defaults, "members", members)
        card["members"] = members
        # A note that was masked must show masked: rebuild the editor from what is kept.
        if any(a.get("note") != b.get("note") for a, b in zip(members, edited.to_dict("records"), strict=False)):
            st.session_state[_key("members_version", card_key)] = version + 1
            st.session_state.pop(base_key, None)
            st.session_state.pop(editor_key, None)  # the unmasked edits are not kept in the session either
            st.rerun()


# ---- the page -----------------------------------------------------------------------------------------------

header(PAGE)
language = lang()
values = _values()
book = active_book()
frame = book.frame
separator = t("common.list_sep")

_set(_key("source"), values["source"] if values["source"] in SOURCES else "book")
source = st.radio(t("s2_1.source_label"), SOURCES, key=_key("source"), horizontal=True, on_change=_on_source,
                  format_func={s: t(f"s2_1.source.{s}") for s in SOURCES}.__getitem__)

names: tuple[str, ...] = ()
row: pd.Series | None = None
if source == "book":
    choices = book_memo("s2_1.choices", _choices)
    all_ids = book_memo("s2_1.ids", lambda f: f["customer_id"].astype("str").str.strip())
    chosen = values["customer"]
    if chosen not in choices.index and chosen not in set(all_ids):
        chosen = str(choices.index[choices["suggested"]][0])
    if chosen not in choices.index:  # a customer typed by id beyond the list: add them for this run
        position = int(all_ids.reset_index(drop=True).eq(chosen).idxmax())
        name = frame["name"].iloc[position] if "name" in frame.columns else None
        label = f"{chosen} · {mask_value(name, 'name')}" if isinstance(name, str) and name.strip() else chosen
        choices = pd.concat([choices, pd.DataFrame({"label": [label], "position": [position],
                                                    "suggested": [False]}, index=[chosen])])
    _set(_key("customer"), chosen)
    pick_column, id_column = st.columns([3, 2])
    with pick_column:
        st.selectbox(t("s2_1.customer"), list(choices.index), key=_key("customer"), on_change=_on_customer,
                     format_func=lambda cid: str(choices.at[cid, "label"]), help=t("s2_1.customer_help"))
    with id_column:
        if len(all_ids) > PICK_LIMIT:
            st.text_input(t("s2_1.customer_id"), key=_key("customer_id"), on_change=_on_customer_id,
                          args=(choices, all_ids), placeholder=t("s2_1.customer_id_placeholder"))
            st.caption(t("s2_1.pick_limit", n=f"{PICK_LIMIT:,}"))
        elif bool(choices.at[chosen, "suggested"]):
            st.caption(t("s2_1.suggested"))
    row = frame.iloc[int(choices.at[chosen, "position"])]
    if "name" in frame.columns and isinstance(row.get("name"), str):
        names = (row["name"].strip(),)
    card_key = f"book:{chosen}"
    defaults = cards.card_from_row(row)
    # The book's occupation in the page's language where the catalogue knows it (企业主 → Business owner); the
    # occupation groups read both.
    defaults["occupation"] = str(value_label("occupation", defaults["occupation"], language))
elif source == "case":
    _set(_key("case"), values["case"] if values["case"] in cards.CASES else next(iter(cards.CASES)))
    case_id = st.radio(t("s2_1.case_pick"), list(cards.CASES), key=_key("case"), horizontal=True,
                       on_change=_on_case, format_func={c: t(f"s2_1.case.{c}.title") for c in cards.CASES}.__getitem__)
    with st.container(border=True):
        st.markdown(f"**{t(f's2_1.case.{case_id}.title')}**")
        st.markdown(t(f"s2_1.case.{case_id}.story"))
        st.caption(t("s2_1.case.illustrative"))
    card_key = f"{cards.CASE_PREFIX}{case_id}"
    defaults = cards.card_from_case(case_id, language)
else:
    st.caption(t("s2_1.blank_help"))
    card_key = cards.BLANK_KEY
    defaults = cards.blank_card()

card = cards.merge_card(defaults, values["cards"].get(card_key))

# ---- the KYC card -------------------------------------------------------------------------------------------
st.subheader(t("s2_1.card_title"))
if source == "book":
    missing = book_memo("s2_1.missing", kyc.missing_kyc_fields)
    if missing:
        st.info(t("s2_1.book_missing", fields=separator.join(field_label(f, language) for f in missing)),
                icon=":material/info:")
    raw_event = row.get("life_event") if row is not None else None
    if isinstance(raw_event, str) and raw_event.strip() and kyc.read_events(raw_event) == () \
            and raw_event.strip() not in kyc.EVENTS["none"].words:
        st.caption(t("s2_1.event_unread", text=plain_markdown(raw_event.strip())))

with st.container(border=True):
    first = st.columns(4)
    _set(_key("age", card_key), card["age"])
    first[0].number_input(t("s2_1.age"), min_value=0, max_value=120, step=1, value=None, key=_key("age", card_key),
                          on_change=_on_field, args=(card_key, defaults, "age", names),
                          placeholder=t("s2_1.unknown"))
    _set(_key("marital", card_key), card["marital"])
    first[1].selectbox(t("s2_1.marital"), list(kyc.MARITAL), index=None, key=_key("marital", card_key),
                       format_func=lambda code: kyc.MARITAL[code].label(language), placeholder=t("s2_1.unknown"),
                       on_change=_on_field, args=(card_key, defaults, "marital", names))
    _set(_key("children", card_key), card["children"])
    first[2].number_input(t("s2_1.children"), min_value=0, max_value=20, step=1, value=None,
                          key=_key("children", card_key), placeholder=t("s2_1.unknown"),
                          on_change=_on_field, args=(card_key, defaults, "children", names))
    _set(_key("risk_level", card_key), card["risk_level"])
    first[3].selectbox(t("s2_1.risk_level"), list(RISK_LEVELS), index=None, key=_key("risk_level", card_key),
                       placeholder=t("s2_1.risk_unknown"), on_change=_on_field,
                       args=(card_key, defaults, "risk_level", names))

    second = st.columns([2, 3])
    with second[0]:
        _set(_key("occupation", card_key), card["occupation"])
        st.text_input(t("s2_1.occupation"), key=_key("occupation", card_key), on_change=_on_field,
                      args=(card_key, defaults, "occupation", names), placeholder=t("s2_1.occupation_placeholder"))
        group = kyc.read_occupation(card["occupation"])
        if group is not None:
            st.caption(t("s2_1.occupation_read", group=kyc.OCCUPATIONS[group].label(language)))
        elif card["occupation"]:
            st.caption(t("s2_1.occupation_unread"))
    with second[1]:
        event_codes = [code for code in kyc.EVENTS if code != kyc.NONE_EVENT]
        _set(_key("life_events", card_key), [e for e in card["life_events"] if e in event_codes])
        multiselect(t("s2_1.life_events"), event_codes, key=_key("life_events", card_key),
                       format_func=lambda code: kyc.EVENTS[code].label(language), placeholder=t("s2_1.none_yet"),
                       on_change=_on_field, args=(card_key, defaults, "life_events", names))

    st.markdown(f"**{t('s2_1.members')}**")
    st.caption(t("s2_1.members_help"))
    _members_editor(card_key, defaults, card, names)

    profile = cards.card_profile(card)
    derived = kyc.derived_stage(profile)
    stage_column, about_column = st.columns([2, 3])
    with stage_column:
        auto_label = t("s2_1.stage_auto", stage=kyc.STAGES[derived].label(language) if derived
                       else t("s2_1.stage_unknown"))
        _set(_key("life_stage", card_key), card["life_stage"] or AUTO_STAGE)
        st.selectbox(t("s2_1.life_stage"), [AUTO_STAGE, *kyc.STAGE_CODES], key=_key("life_stage", card_key),
                     format_func=lambda code: auto_label if code == AUTO_STAGE else kyc.STAGES[code].label(language),
                     on_change=_on_field, args=(card_key, defaults, "life_stage", names))
    with about_column:
        stage = kyc.life_stage(profile)
        if stage is not None:
            st.caption(kyc.STAGES[stage].about[language])
        else:
            st.caption(t("s2_1.stage_missing"))

    goals_column, notes_column = st.columns(2)
    for column, field in ((goals_column, "goals"), (notes_column, "notes")):
        with column:
            _set(_key(field, card_key), card[field])
            st.text_area(t(f"s2_1.{field}"), key=_key(field, card_key), height=100,
                         placeholder=t(f"s2_1.{field}_placeholder"), on_change=_on_field,
                         args=(card_key, defaults, field, names))
    st.caption(t("s2_1.privacy"), help=t("s2_1.privacy_help"))

# ---- needs ----------------------------------------------------------------------------------------------------
st.subheader(t("s2_1.needs_title"))
st.caption(t("s2_1.needs_help"))
needs = kyc.latent_needs(profile)
if not needs:
    st.info(t("s2_1.no_needs"), icon=":material/person_search:")
else:
    kyc_views.need_grid(needs, language)

# ---- the four accounts ------------------------------------------------------------------------------------------
st.subheader(t("s2_1.accounts_title"))
st.caption(t("s2_1.accounts_help"))
with st.expander(t("s2_1.accounts_about"), icon=":material/info:"):
    for code in ACCOUNTS:
        account = ACCOUNT_INFO[code]
        st.markdown(t("s2_1.account_line", name=account.label(language), share=f"{account.share * 100:g}",
                      purpose=account.purpose[language],
                      products=separator.join(product_label(p, language) for p in account.products)))
    st.caption(t("s2_1.accounts_source"))

st.markdown(f"**{t('s2_1.shares_title')}**")
share_columns = st.columns(4)
shares_pct = dict(values["shares_pct"])
for column, code in zip(share_columns, ACCOUNTS, strict=True):
    widget = _key(f"share_{code}")
    _set(widget, float(shares_pct.get(code, DEFAULT_SHARES[code] * 100)))
    column.number_input(ACCOUNT_INFO[code].short_label(language), min_value=0.0, max_value=100.0,
                        step=5.0, format="%g", key=widget,
                        on_change=lambda code=code, widget=widget: _save(
                            shares_pct={**_values()["shares_pct"], code: float(st.session_state[widget])}))
if st.button(t("s2_1.shares_reset"), key=_key("shares_reset"), icon=":material/restart_alt:"):
    _save(shares_pct=dict(DEFAULTS["shares_pct"]))
    st.rerun()

total_column, total_note = st.columns([1, 2])
_set(_key("total", card_key), card["total_assets_wan"])
total_column.number_input(t("s2_1.total_assets"), min_value=0.0, step=10.0, value=None, format="%g",
                          key=_key("total", card_key), placeholder=t("s2_1.total_placeholder"),
                          on_change=_on_money, args=(card_key, defaults, None))
external = None
if source == "book" and row is not None:
    external = pd.to_numeric(pd.Series([row.get("external_assets_est")]), errors="coerce").iloc[0]
with total_note:
    if external is not None and pd.notna(external) and external > 0:
        st.caption(t("s2_1.external", amount=money_text(float(external), language)))
    st.caption(t("s2_1.total_help"))
st.markdown(f"**{t('s2_1.holdings_title')}**")
holding_columns = st.columns(4)
for column, code in zip(holding_columns, ACCOUNTS, strict=True):
    widget = _key(f"hold_{code}", card_key)
    _set(widget, float(card["holdings_wan"].get(code, 0.0)))
    column.number_input(ACCOUNT_INFO[code].short_label(language), min_value=0.0, step=1.0,
                        format="%g", key=widget, on_change=_on_money, args=(card_key, defaults, code))
if source == "book":
    present = holdings_fields_present(frame.columns)
    if present:
        with st.expander(t("s2_1.holdings_from_book"), icon=":material/help:"):
            for field in present:
                st.markdown(t("s2_1.holdings_field", field=field_label(field, language),
                              account=ACCOUNT_INFO[BOOK_FIELD_ACCOUNTS[field]].label(language),
                              why=BOOK_FIELD_WHY[field][language]))
    else:
        st.info(t("s2_1.no_balances"), icon=":material/info:")

total = cards.plan_total(card)
plan = None
shares = {code: float(shares_pct.get(code, DEFAULT_SHARES[code] * 100)) / 100 for code in ACCOUNTS}
if total is None:
    st.info(t("s2_1.plan_empty"), icon=":material/info:")
else:
    try:
        plan = four_account_plan(total, cards.plan_holdings(card), shares)
    except HouseholdError as err:
        st.error(err.text(language), icon=":material/error:")

if plan is not None:
    figure = memo("s2_1.plan_chart", (language, tuple(plan.to_numpy().ravel().tolist())),
                  lambda: kyc_views.plan_chart(plan, language))
    st.plotly_chart(figure, width="stretch", key=_key("plan_chart"))
    table = pd.DataFrame({
        "account": [ACCOUNT_INFO[code].label(language) for code in plan.index],
        "share": [f"{v * 100:g}%" for v in plan["target_share"]],
        "target": [wan_input(v) for v in plan["target"]],
        "current": [wan_input(v) for v in plan["current"]],
        "gap": [wan_input(v) for v in plan["gap"]],
    })
    # A static table: short cells, so no Styler (it costs a fifth of this page's rerun)
    st.table(table.rename(columns={name: t(f"s2_1.col.{name}") for name in table.columns}), hide_index=True,
             border="horizontal")
    st.caption(t("s2_1.gap_help"))
    findings = plan_findings(plan)
    if findings.unplaced > 0.5:
        st.caption(t("s2_1.unplaced", amount=money_text(findings.unplaced, language)))

# ---- the proposal -------------------------------------------------------------------------------------------------
st.subheader(t("s2_1.proposal_title"))


def _draft() -> str:
    """The proposal's starting paragraph, from the card, its needs and the plan (the trainee rewrites it)."""
    parts: list[str] = []
    stage_code = kyc.life_stage(profile)
    if stage_code is not None:
        parts.append(t("s2_1.draft.stage", stage=kyc.STAGES[stage_code].label(language)))
    if needs:
        parts.append(t("s2_1.draft.needs", needs=separator.join(n.text("label", language) for n in needs[:3])))
    if plan is not None:
        found = plan_findings(plan)
        parts.append(t("s2_1.draft.total", total=money_text(float(plan["target"].sum()), language)))
        if found.short is not None:
            suggestions = [p for n in needs if n.account == found.short for p in n.products
                           if p in ACCOUNT_INFO[found.short].products]
            suggestions = list(dict.fromkeys(suggestions or ACCOUNT_INFO[found.short].products))[:3]
            parts.append(t("s2_1.draft.short", account=ACCOUNT_INFO[found.short].label(language),
                           amount=money_text(found.short_amount, language),
                           products=separator.join(product_label(p, language) for p in suggestions)))
        if found.excess is not None:
            parts.append(t("s2_1.draft.excess", account=ACCOUNT_INFO[found.excess].label(language),
                           amount=money_text(found.excess_amount, language)))
    unknown = [t(f"s2_1.draft.ask.{f}") for f in ("age", "marital", "children", "risk_level")
               if card.get(f) in (None, "")]
    if card["children"] and not any(m.get("relation") == "child" and m.get("age") is not None
                                    for m in card["members"]):
        unknown.append(t("s2_1.draft.ask.child_ages"))
    if unknown:
        parts.append(t("s2_1.draft.ask_intro", items=separator.join(unknown)))
    return i18n.pick(language, "", " ").join(parts) if parts else t("s2_1.draft.nothing")


proposals = dict(values["proposals"])
proposal_key = _key("proposal", card_key)
_set(proposal_key, proposals.get(card_key) or _draft())


def _on_proposal() -> None:
    text = cards.masked(st.session_state.get(proposal_key), names)
    st.session_state[proposal_key] = text
    kept = dict(_values()["proposals"])
    kept[card_key] = text
    _save(proposals=kept)


st.text_area(t("s2_1.proposal"), key=proposal_key, height=170, on_change=_on_proposal,
             help=t("s2_1.proposal_help"))
if card_key in proposals and st.button(t("s2_1.proposal_redraft"), key=_key("redraft"),
                                       icon=":material/refresh:"):
    kept = dict(values["proposals"])
    kept.pop(card_key, None)
    _save(proposals=kept)
    st.rerun()

# ---- the outline's cases --------------------------------------------------------------------------------------------
if source != "case":
    st.subheader(t("s2_1.cases_title"))
    case_columns = st.columns(len(cards.CASES))
    for column, case_id in zip(case_columns, cards.CASES, strict=True):
        with column, st.container(border=True, height="stretch"):
            st.markdown(f"**{t(f's2_1.case.{case_id}.title')}**")
            st.markdown(t(f"s2_1.case.{case_id}.story"))
            st.caption(t("s2_1.case.illustrative"))
    st.caption(t("s2_1.cases_open"))

footer(PAGE)
